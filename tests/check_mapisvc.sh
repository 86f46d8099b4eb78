#!/bin/sh
# MergeWithMAPISVC and RemoveFromMAPISVC for real: wine rundll32 on the built
# x64 DLL, against a MAPISVC.INF that already lists another service.
#   check_mapisvc.sh <msstore32.dll> <msstore-mapisvc.inf> <scratch folder>
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dll=$1 fragment=$2 work=$3
run() { "$here/../scripts/wine-run" "$@"; }
windows_path() { printf 'Z:%s' "$1" | tr / '\\'; }
# An INF as sorted "[section] key=value" lines, ignoring comments, blank lines and line ends.
entries() {
    tr -d '\r' < "$1" | awk '/^[ \t]*(;|$)/ {next} /^\[/ {section = $0; next} {print section " " $0}' | sort
}
fail() { echo "FAIL: $*"; exit 1; }

rm -rf "$work" && mkdir -p "$work"
inf="$work/MAPISVC.INF"
printf '[Services]\r\nOTHER=Other Service\r\n\r\n[OTHER]\r\nPR_DISPLAY_NAME=Other Service\r\nProviders=OTHER_P\r\n' > "$inf"
entries "$inf" > "$work/before"

run rundll32.exe "$(windows_path "$dll"),MergeWithMAPISVC" "$(windows_path "$inf")"
registered=$(windows_path "$(dirname "$dll")/msstore.dll")
entries "$inf" > "$work/merged"
# Everything msstore-mapisvc.inf says (its DLL path aside), and the other service untouched.
mask_dll() { sed -E 's/(_DLL_NAME=).*/\1<the DLL>/' "$@"; }
{ entries "$fragment"; cat "$work/before"; } | mask_dll | sort > "$work/expected"
mask_dll "$work/merged" > "$work/merged-masked"
diff -u "$work/expected" "$work/merged-masked" || fail "MergeWithMAPISVC wrote something else than msstore-mapisvc.inf"
grep -qxF "[MSSTORE] PR_SERVICE_DLL_NAME=$registered" "$work/merged" || fail "no full DLL path without 32"
grep -qxF "[MSSTORE_MS] PR_RESOURCE_TYPE=MAPI_STORE_PROVIDER" "$work/merged" || fail "no PR_RESOURCE_TYPE"

cp "$inf" "$work/once"
run rundll32.exe "$(windows_path "$dll"),MergeWithMAPISVC" "$(windows_path "$inf")"
cmp -s "$work/once" "$inf" || fail "a second merge changed the file"

run rundll32.exe "$(windows_path "$dll"),RemoveFromMAPISVC" "$(windows_path "$inf")"
entries "$inf" > "$work/removed"
diff -u "$work/before" "$work/removed" || fail "RemoveFromMAPISVC did not remove exactly what was added"

# A period in a folder name: refused with a message, the file untouched.
mkdir -p "$work/with.period"
cp "$dll" "$work/with.period/"
cp "$inf" "$work/untouched"
run rundll32.exe "$(windows_path "$work/with.period/$(basename "$dll")"),MergeWithMAPISVC" \
    "$(windows_path "$inf")" 2> "$work/message"
cmp -s "$work/untouched" "$inf" || fail "a refused merge changed the file"
grep -q "period" "$work/message" || fail "no message about the period: $(cat "$work/message")"

# A DLL not named ...32.dll (MAPI could not find it by its registered name): refused, the file untouched.
mkdir -p "$work/renamed"
cp "$dll" "$work/renamed/mystore.dll"
run rundll32.exe "$(windows_path "$work/renamed/mystore.dll"),MergeWithMAPISVC" "$(windows_path "$inf")" \
    2> "$work/message"
cmp -s "$work/untouched" "$inf" || fail "a merge from a wrongly named DLL changed the file"
grep -q "must be named" "$work/message" || fail "no message about the DLL's name: $(cat "$work/message")"

# No argument: the system directory's MAPISVC.INF (Wine has no Outlook to ask), added to and cleaned.
system_inf="${WINEPREFIX:-$here/../.wine}/drive_c/windows/system32/MAPISVC.INF"
rm -f "$system_inf"
run rundll32.exe "$(windows_path "$dll"),MergeWithMAPISVC"
grep -q '^MSSTORE=msstore Message Store' "$system_inf" || fail "no default MAPISVC.INF written"
run rundll32.exe "$(windows_path "$dll"),RemoveFromMAPISVC"
[ -z "$(entries "$system_inf")" ] || fail "the default MAPISVC.INF kept msstore lines: $(entries "$system_inf")"
rm -f "$system_inf"
echo "ok: merge, merge again, remove, both refusals and the default MAPISVC.INF"
