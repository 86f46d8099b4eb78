#!/usr/bin/env bash
# The main job: set up what is missing, build both DLLs, show what Outlook's MAPI loads,
# then run msstore through a MAPI session with mapihost walk under Wine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh >/dev/null
for arch in x64 x86; do
    dll="build/$arch/msstore32.dll"
    echo "== $dll ($(stat -c %s "$dll") bytes)"
    scripts/dll-tables.sh "$dll" | sed 's/^/  /'
done
echo
echo "== mapihost walk (build/x64, under Wine)"
cd build/x64
../../scripts/wine-run mapihost.exe walk | tr -d '\r'
