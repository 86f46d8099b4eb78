#!/bin/sh
# Prints a Windows DLL's export names ("export NAME") and imported DLLs ("import NAME"),
# read from its tables with the MinGW-w64 objdump that matches its bitness.
set -eu
dll=$1
case $(od -An -tx1 -j"$(( $(od -An -tu4 -j60 -N4 "$dll") + 4 ))" -N2 "$dll" | tr -d ' \n') in
    6486) objdump=x86_64-w64-mingw32-objdump ;; # IMAGE_FILE_MACHINE_AMD64
    4c01) objdump=i686-w64-mingw32-objdump ;;   # IMAGE_FILE_MACHINE_I386
    *) echo "dll-tables: $dll is not an x86 or x64 PE file" >&2; exit 2 ;;
esac
"$objdump" -p "$dll" | awk '
    /^\[Ordinal\/Name Pointer\] Table/ { in_exports = 1; next }
    in_exports && NF == 0 { in_exports = 0 }
    in_exports { print "export " $NF }
    /DLL Name:/ { print "import " $3 }'
