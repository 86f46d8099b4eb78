#!/usr/bin/env bash
# Builds msstore's plain-C parts natively (clang, Wine's headers for the MAPI
# types) with libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer, and
# fuzzes each target for a bounded time, starting from the committed seeds in
# tests/fuzz/corpus/<target>. New inputs libFuzzer finds go to build/fuzz (kept
# until the next run), never into the repository. A crash, leak or failed
# property stops with the input that caused it saved in build/fuzz/<target>/
# (replay: build/fuzz/fuzz_<target> FILE).
#
#   tests/fuzz/run.sh [seconds per target]      (default 15)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-15}
out="$root/build/fuzz"
mkdir -p "$out"

flags=(-g -O1 -Wall -Wextra -Werror -Wno-unused-parameter -Wno-pragma-pack
       -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$root/include" -I"$root/src" -I"$root/tools" -I/usr/include/wine/wine/windows)
declare -A sources=(
    [entryid]="src/mapi/entryid.c"
    [restriction]="src/table/restriction.c src/mapi/memory.c"
    [msg]="tools/msg/msg_format.c"
    [cfb]="tools/msg/msg_cfb.c"
)
# Flags of one target alone: msg_format.c uses ATTACH_EMBEDDED_MSG, which Wine's mapidefs.h lacks
# (tests/fuzz/wine_mapi_gaps.h defines it).
declare -A extra=(
    [msg]="-include tests/fuzz/wine_mapi_gaps.h"
)

for target in entryid restriction msg cfb; do
    binary="$out/fuzz_$target"
    # shellcheck disable=SC2086 # the source and flag lists split on purpose
    (cd "$root" && clang "${flags[@]}" ${extra[$target]:-} tests/fuzz/fuzz_$target.c ${sources[$target]} -o "$binary")
    rm -rf "$out/$target/found" && mkdir -p "$out/$target/found" # each run starts from the committed seeds
    echo "fuzz: $target for ${seconds}s"
    status=0
    (cd "$out/$target" && "$binary" -max_total_time="$seconds" -print_final_stats=1 \
        found "$root/tests/fuzz/corpus/$target" >log 2>&1) || status=$?
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|INFO: seed corpus)' "$out/$target/log" || true
    if [ "$status" -ne 0 ]; then
        grep -E 'property failed|ERROR|runtime error|SUMMARY|Test unit written' "$out/$target/log" || true
        echo "fuzz: $target FAILED (exit $status); the whole log is $out/$target/log"
        exit 1
    fi
done
