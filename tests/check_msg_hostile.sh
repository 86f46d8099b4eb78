#!/usr/bin/env bash
# Hostile .msg files through mapihost import, under Wine: each must be refused, quickly, with one
# line saying why, and leave nothing in the store. tests/msg/make_hostile.py writes the files (its
# top comment says what each breaks) and good.msg, the sound message most of them are made from,
# which must import: it shows that what the others are refused for is what was broken in them.
# For each hostile file, in a fresh store:
#   (a) mapihost import exits 1 within the time limit (60 s; a hang is killed there)
#   (b) it prints one line, "FILE: refused: <reason>", with the reason this file should get
#       where the reader decides it (a compound-file reader may word its own refusals)
#   (c) the folder is empty after: mapihost export of it writes no file
# Each line of the report gives the time the import took and what mapihost printed. Files that
# fail are kept, with the logs, in build/msg-hostile/ (emptied at the start of each run).
#   check_msg_hostile.sh <folder holding mapihost.exe and msstore32.dll, or the build folder above x64/>
# Exit 0 when every file passed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
limit=60
folder="Top of Information Store/Imported"

# File, then the pattern its reason must match ('' for any reason at all). Both directory loops are
# refused by msg_cfb.c before ole32 opens the file: Wine's ole32 (findElement in storage32.c) would
# loop forever on the siblings' loop inside OpenStorage.
hostile=(
    not-compound.msg '^not a compound file$'
    truncated.msg ''
    dir-loop-siblings.msg '^its directory loops: entry [0-9]+ is reached twice$'
    dir-loop-nesting.msg '^its directory loops: entry [0-9]+ is reached twice$'
    stream-size-lies.msg 'stream __substg1\.0_37010102 cannot be read'
    stream-size-huge.msg 'stream __substg1\.0_37010102 cannot be read'
    props-wrong-length.msg '^a property stream of 293 bytes'
    unknown-type.msg 'unknown type 0x0099'
    nameid-string-outside.msg 'runs past the string stream'
    nameid-guid-outside.msg "GUID index 5 is not in the file"
    same-id-two-types.msg ''
    nested-10000.msg 'nested deeper than 32'
    many-properties.msg ''
)

if [ $# -ne 1 ]; then
    echo "usage: check_msg_hostile.sh <mapihost.exe's folder or the build folder>" >&2
    exit 2
fi
bin=$1
[ -f "$bin/mapihost.exe" ] || bin="$1/x64"
missing=()
[ -f "$bin/mapihost.exe" ] || missing+=("mapihost.exe in $1 or $1/x64")
[ -x /usr/bin/python3 ] || missing+=("/usr/bin/python3")
command -v timeout >/dev/null || missing+=("timeout (coreutils)")
if [ ${#missing[@]} -gt 0 ]; then
    printf 'check_msg_hostile: missing %s\n' "${missing[@]}" >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/check_msg_hostile.XXXXXX")
trap 'rm -rf "$work"' EXIT
kept="$root/build/msg-hostile"
rm -rf "$kept"

# A path as the Wine program wants it: Z: is /.
winpath() { printf 'Z:%s' "$(printf '%s' "$1" | tr / '\\')"; }
# Runs mapihost from its folder (beside msstore32.dll), killed past the time limit, its output
# into $1 without CRs; its exit status is mapihost's (124 when the limit killed it).
mapihost() {
    local log=$1 status=0
    shift
    (cd "$bin" && timeout -k 5 "$limit" "$root/scripts/wine-run" mapihost.exe "$@") > "$log.raw" 2>&1 || status=$?
    tr -d '\r' < "$log.raw" > "$log"
    rm -f "$log.raw"
    return $status
}
# A fresh store in $1 with the folder made: "" when that failed (said in $1/mkfolder.log).
fresh_store() {
    mkdir -p "$1"
    mapihost "$1/mkfolder.log" mkfolder --store "$(winpath "$1/store.msstore")" "$folder" &&
        printf '%s' "$1/store.msstore"
}
# The number of .msg files export writes of the folder of store $1 into $2 (empty first), or "export
# failed" (its log $2.log).
exported_count() {
    local found
    mkdir -p "$2"
    if ! mapihost "$2.log" export --store "$(winpath "$1")" --folder "$folder" --out "$(winpath "$2")"; then
        echo "export failed"
        return
    fi
    found=("$2"/*.msg)
    echo ${#found[@]}
}
shopt -s nullglob
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
# keep NAME: the file and its run's logs into build/msg-hostile/NAME/.
keep() {
    mkdir -p "$kept/$1"
    cp "$work/files/$1" "$kept/$1/"
    cp "$work/runs/$1"/*.log "$kept/$1/" 2>/dev/null || true
}

if ! /usr/bin/python3 "$here/msg/make_hostile.py" "$work/files" > "$work/made.log" 2>&1; then
    echo "check_msg_hostile: make_hostile.py failed:" >&2
    sed 's/^/    /' "$work/made.log" >&2
    exit 1
fi
"$root/scripts/wine-services" 60

passed=0 failed=0

# The control: good.msg imports, and exports again as one file.
dir="$work/runs/good.msg"
start=$(now)
store=$(fresh_store "$dir") || true
if [ -z "$store" ]; then
    echo "FAIL good.msg: mkfolder failed: $(head -n 1 "$dir/mkfolder.log")"
    failed=$((failed + 1))
elif ! mapihost "$dir/import.log" import --store "$(winpath "$store")" --folder "$folder" \
         "$(winpath "$work/files/good.msg")" || ! grep -q ': imported "hostile test base"$' "$dir/import.log"; then
    echo "FAIL good.msg (the control): not imported, so the refusals below would prove nothing:"
    sed 's/^/       | /' "$dir/import.log"
    failed=$((failed + 1))
elif [ "$(exported_count "$store" "$dir/export")" != 1 ]; then
    echo "FAIL good.msg (the control): imported, but its export did not give one file"
    failed=$((failed + 1))
else
    echo "ok   good.msg (the control, $(seconds "$start" "$(now)") s): $(head -n 1 "$dir/import.log")"
    passed=$((passed + 1))
fi
[ $failed = 0 ] || { keep good.msg; echo "check_msg_hostile: the control failed; kept in $kept"; exit 1; }

for ((i = 0; i < ${#hostile[@]}; i += 2)); do
    name=${hostile[i]} reason=${hostile[i + 1]}
    file="$work/files/$name"
    dir="$work/runs/$name"
    problems=()
    store=$(fresh_store "$dir") || true
    if [ -z "$store" ]; then
        echo "FAIL $name: mkfolder failed: $(head -n 1 "$dir/mkfolder.log")"
        failed=$((failed + 1))
        continue
    fi
    status=0
    start=$(now)
    mapihost "$dir/import.log" import --store "$(winpath "$store")" --folder "$folder" "$(winpath "$file")" || status=$?
    took=$(seconds "$start" "$(now)")
    lines=$(grep -c . "$dir/import.log" || true)
    said=$(head -n 1 "$dir/import.log")
    prefix="$(winpath "$file"): refused: "
    # (a)
    if [ $status = 124 ] || [ $status = 137 ]; then
        problems+=("a hang: killed after ${limit} s")
    elif [ $status != 1 ]; then
        problems+=("exit $status, not 1")
    fi
    # (b)
    if [ "$lines" != 1 ]; then
        problems+=("$lines lines of output, not 1")
    elif [ "${said#"$prefix"}" = "$said" ] || [ -z "${said#"$prefix"}" ]; then
        problems+=("not a \"FILE: refused: <reason>\" line")
    elif [ -n "$reason" ] && ! printf '%s\n' "${said#"$prefix"}" | grep -qE "$reason"; then
        problems+=("refused, but not for what was broken (wanted /$reason/)")
    fi
    # (c)
    count=$(exported_count "$store" "$dir/export")
    if [ "$count" = "export failed" ]; then
        problems+=("exporting the folder after failed, so whether it is empty is not known:"
                   "$(head -n 1 "$dir/export.log")")
    elif [ "$count" != 0 ]; then
        problems+=("the folder is not empty after: $count message(s) exported")
    fi

    shown=${said#"$(winpath "$file"): "}
    [ -n "$said" ] || shown="(nothing)"
    if [ ${#problems[@]} = 0 ]; then
        echo "ok   $name ($took s): $shown"
        passed=$((passed + 1))
    else
        echo "FAIL $name ($took s): $shown"
        printf '       %s\n' "${problems[@]}"
        [ "$lines" -le 1 ] || sed -n '2,10s/^/       | /p' "$dir/import.log"
        keep "$name"
        failed=$((failed + 1))
    fi
done

echo "check_msg_hostile: $passed passed, $failed failed"
[ $failed = 0 ] || echo "check_msg_hostile: the files that failed, and their logs, are in $kept"
[ $failed = 0 ]
