#!/usr/bin/env bash
# Runs msstore-bench on the x64 build under Wine and prints its figures as a Markdown table,
# with the machine, both DLLs' sizes and imports, and the targets' PASS/FAIL lines.
# Extra arguments go to the benchmark (--quick for a short run that only checks it works).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
scripts/build.sh >/dev/null
samples="Z:$(pwd | tr / '\\')\\.deps\\msg-samples" # the suite's .msg files, as Wine names them (Z: is /)
json=$(cd build/x64 && ../../scripts/wine-run msstore-bench.exe --json --msg-samples "$samples" "$@" | tr -d '\r') ||
    true # verdicts below

echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores;" \
     "$(. /etc/os-release && echo "$PRETTY_NAME"); $(wine --version 2>/dev/null) running the x64 build"
echo "Repetitions per figure: $(sed -n 's/.*"repetitions": \([0-9]*\).*/\1/p' <<<"$json")"
echo
echo "| Scenario | Median | Low | High | Unit |"
echo "|---|---:|---:|---:|---|"
# One metric per line: {"name": "...", "unit": "...", "median": M, "low": L, "high": H}
sed -n 's/.*{"name": "\([^"]*\)", "unit": "\([^"]*\)", "median": \([^,]*\), "low": \([^,]*\), "high": \([^}]*\)}.*/\1|\3|\4|\5|\2/p' <<<"$json" |
    awk -F'|' '{ f = ($5 == "bytes" || $5 == "calls") ? "%.0f" : "%.2f"
                 printf "| %s | " f " | " f " | " f " | %s |\n", $1, $2, $3, $4, $5 }'
echo
echo "| DLL | Bytes | Imports |"
echo "|---|---:|---|"
for arch in x64 x86; do
    dll=build/$arch/msstore32.dll
    imports=$(scripts/dll-tables.sh "$dll" | sed -n 's/^import //p' | paste -sd, - | sed 's/,/, /g')
    echo "| $arch | $(stat -c %s "$dll") | $imports |"
done
echo
status=0
# {"target": "...", "verdict": "PASS|FAIL|NOT JUDGED", "detail": "..."}
while IFS='|' read -r target verdict detail; do
    echo "- $verdict $target: $detail"
    [ "$verdict" != FAIL ] || status=1
done < <(sed -n 's/.*{"target": "\([^"]*\)", "verdict": "\([^"]*\)", "detail": "\([^"]*\)"}.*/\1|\2|\3/p' <<<"$json")
exit $status
