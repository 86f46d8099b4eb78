#!/usr/bin/env bash
# The test command: set up what is missing, build both DLLs, run the suite under Wine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
ctest --preset x64
