#!/usr/bin/env bash
# Line and branch coverage of src/ by the whole suite: builds the gcov-instrumented preset
# (build/coverage), runs every test under Wine one at a time (the counters are merged into
# one .gcda per object file), and summarises with gcovr: per-file table, totals, and an HTML
# report in build/coverage/html. Fails if src/ line coverage is under 90%.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh >/dev/null # build/x64 and build/x86: the suite checks both DLLs' tables
cmake --preset coverage >/dev/null
cmake --build --preset coverage >/dev/null
find build/coverage -name '*.gcda' -delete
suite=0
ctest --preset coverage || suite=$?
gcov=(--gcov-executable x86_64-w64-mingw32-gcov -r . --filter 'src/' build/coverage)
mkdir -p build/coverage/html
gcovr "${gcov[@]}" --html-details build/coverage/html/index.html >/dev/null
gcovr "${gcov[@]}" --print-summary | tee build/coverage/summary.txt
[ "$suite" -eq 0 ] || { echo "coverage: the suite failed (exit $suite); the figures above are from that run"; exit "$suite"; }
lines=$(sed -n 's/^lines: \([0-9.]*\)%.*/\1/p' build/coverage/summary.txt)
awk -v l="$lines" 'BEGIN { exit !(l >= 90) }' || { echo "coverage: src/ line coverage ${lines}% is under 90%"; exit 1; }
