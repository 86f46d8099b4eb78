#!/usr/bin/env bash
# Configures and builds both presets: build/x64/msstore32.dll and build/x86/msstore32.dll.
set -euo pipefail
cd "$(dirname "$0")/.."
for preset in x64 x86; do
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset"
done
