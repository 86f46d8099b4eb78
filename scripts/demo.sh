#!/usr/bin/env bash
# The main job: set up what is missing, build both DLLs, show what Outlook's MAPI loads, then
# use msstore through MAPI sessions under Wine with mapihost: a new store file gets a folder in
# one process, a message saved and a real .msg file imported, a second process walks the same
# file and finds them there, and the imported message is exported to a .msg file again.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh >/dev/null
for arch in x64 x86; do
    dll="build/$arch/msstore32.dll"
    echo "== $dll ($(stat -c %s "$dll") bytes)"
    scripts/dll-tables.sh "$dll" | sed 's/^/  /'
done
cd build/x64
rm -rf demo && mkdir demo
store="Z:$(pwd | tr / '\\')\\demo\\demo.msstore" # the store file, as Windows (Wine) names it
# Wine's services started now, away from the pipes below (scripts/wine-services says why).
../../scripts/wine-services 30
mapihost() { ../../scripts/wine-run mapihost.exe "$@" | tr -d '\r'; }
echo
echo "== mapihost mkfolder: a new store file, and a folder made in it through MAPI"
mapihost mkfolder --store "$store" "Top of Information Store/Inbox/Projects/2026"
echo
echo "== mapihost put: a message saved there, through the calls a client makes"
mapihost put --store "$store" --folder "Top of Information Store/Inbox/Projects" --subject "Plans for 2026" \
    --body "Kept in the store file."
echo
echo "== mapihost import: a real .msg file (written by Outlook, from Email::Outlook::Message's tests)"
sample="Z:$(cd ../.. && pwd | tr / '\\')\\.deps\\msg-samples\\plain_jpeg_attached.msg"
mapihost import --store "$store" --folder "Top of Information Store/Inbox" "$sample"
echo
echo "== mapihost walk: another process, the same file"
mapihost walk --store "$store"
echo
echo "== mapihost export: the Inbox's messages as .msg files again"
mkdir demo/exported
mapihost export --store "$store" --folder "Top of Information Store/Inbox" --out "Z:$(pwd | tr / '\\')\\demo\\exported"
echo
echo "== mapihost verify: the file itself"
mapihost verify --store "$store"
