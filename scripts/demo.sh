#!/usr/bin/env bash
# The main job: set up what is missing, build both DLLs, and show what Outlook's MAPI loads.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh >/dev/null
for arch in x64 x86; do
    dll="build/$arch/msstore32.dll"
    echo "== $dll ($(stat -c %s "$dll") bytes)"
    scripts/dll-tables.sh "$dll" | sed 's/^/  /'
done
