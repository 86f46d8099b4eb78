#!/bin/sh
# Checks each DLL's tables: it exports exactly msstore.def's names, undecorated,
# and imports only DLLs every Windows has (no libgcc_s, no libwinpthread, no mapi32).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
expected=$(sed -n '/^EXPORTS/,$p' "$here/../msstore.def" | sed '1d; s/;.*//; s/[[:space:]]//g; /^$/d' | sort)
status=0
for dll in "$@"; do
    if [ ! -f "$dll" ]; then
        echo "FAIL $dll: missing (build both presets first)"; status=1; continue
    fi
    tables=$("$here/../scripts/dll-tables.sh" "$dll")
    exports=$(printf '%s\n' "$tables" | sed -n 's/^export //p' | sort)
    if [ "$exports" != "$expected" ]; then
        echo "FAIL $dll exports:"; printf '  %s\n' $exports; echo "  expected:"; printf '  %s\n' $expected
        status=1
    fi
    for import in $(printf '%s\n' "$tables" | sed -n 's/^import //p'); do
        case $(printf '%s' "$import" | tr 'A-Z' 'a-z') in
            kernel32.dll | msvcrt.dll | ucrtbase.dll | api-ms-win-*.dll | advapi32.dll | user32.dll | ole32.dll | version.dll) ;;
            *) echo "FAIL $dll imports $import, which is not a system DLL"; status=1 ;;
        esac
    done
    [ $status -eq 0 ] && echo "ok $dll: exports $(echo $exports); imports $(printf '%s\n' "$tables" | sed -n 's/^import //p' | tr '\n' ' ')"
done
exit $status
