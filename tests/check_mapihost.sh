#!/bin/sh
# mapihost for real, under Wine: walk and check on msstore, check on the deliberately
# broken providers (each must be caught, for its own reason), and bad input.
#   check_mapihost.sh <folder holding mapihost.exe, msstore32.dll and the broken DLLs> <scratch folder>
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=$1 work=$2
rm -rf "$work" && mkdir -p "$work"
failures=0
# One wineserver kept for all the runs below, its services started away from their pipes.
"$here/../scripts/wine-services" 30
# Runs mapihost from its folder; its exit status goes to $work/status (the output is piped).
mapihost() { (cd "$bin" && "$here/../scripts/wine-run" mapihost.exe "$@"; echo $? > "$work/status"); }
# expect NAME STATUS PATTERN -- ARGS: runs mapihost ARGS, wants exit STATUS and PATTERN in its output.
expect() {
    name=$1 status=$2 pattern=$3
    shift 4
    mapihost "$@" 2>&1 | tr -d '\r' > "$work/$name"
    got=$(cat "$work/status")
    if [ "$got" != "$status" ] || ! grep -qE "$pattern" "$work/$name"; then
        echo "FAIL $name: exit $got (wanted $status), output:"
        sed 's/^/    /' "$work/$name"
        failures=$((failures + 1))
    else
        echo "ok   $name"
    fi
}

expect walk 0 'Verdict: ok' -- walk
grep -q '^      Inbox  *IPF.Note  *0 item' "$work/walk" || { echo "FAIL walk: no Inbox in the tree"; failures=$((failures + 1)); }
expect walk-name 0 'Store "Archive 2026"' -- walk --display-name "Archive 2026"
expect walk-trace 0 'IMSLogon::Logoff\(&0\) -> S_OK' -- walk --trace
grep -q 'StoreLogoffTransports(LOGOFF_NO_WAIT) -> S_OK' "$work/walk-trace" ||
    { echo "FAIL walk-trace: no StoreLogoffTransports line"; failures=$((failures + 1)); }
expect walk-json 0 '^\{"command": "walk", "dll": .*, "ok": true' -- walk --json
expect check 0 '^0 of 9 scenarios failed' -- check
[ "$(grep -c ' ok$' "$work/check")" = 9 ] || { echo "FAIL check: not 9 ok lines"; failures=$((failures + 1)); }
expect check-json 0 '"failed": 0, "ok": true' -- check --json

expect never-releases 1 'FAIL: .*support object: 1 reference\(s\) never released' -- check --dll broken_never_releases32.dll
expect releases-twice 1 'FAIL: .*released 1 time\(s\) too many' -- check --dll broken_releases_twice32.dll
expect logoff-crashes 1 'session Logoff with objects held +FAIL: crashed: access violation' -- check --dll broken_logoff_crashes32.dll
grep -q '^two providers side by side  *FAIL: crashed' "$work/logoff-crashes" ||
    { echo "FAIL logoff-crashes: the run did not go on after a crash to the last scenario"; failures=$((failures + 1)); }
expect logon-fails-walk 2 'Logon -> MAPI_E_LOGON_FAILED' -- walk --dll broken_logon_fails32.dll
expect logon-fails-check 1 'FAIL: Logon -> MAPI_E_LOGON_FAILED' -- check --dll broken_logon_fails32.dll

# A store file: changed through MAPI in one process, walked in another, checked, copied, changed again.
store="Z:$(cd "$work" && pwd | tr / '\\')\\kept.msstore"
copy="Z:$(cd "$work" && pwd | tr / '\\')\\copy.msstore"
expect mkfolder 0 'folder "Top of Information Store/Inbox/Projects/2026" is there' -- \
    mkfolder --store "$store" "Top of Information Store/Inbox/Projects/2026"
expect mkfolder-again 0 'is there' -- mkfolder --store "$store" "top of information store/INBOX/projects"
expect put 0 'message "Plans" saved in .*entry ID [0-9A-F]{60}$' -- \
    put --store "$store" --folder "Top of Information Store/Inbox/Projects" --subject "Plans" --body "For 2026."
expect put-second 0 'message "More plans" saved' -- \
    put --store "$store" --folder "Top of Information Store/Inbox/Projects" --subject "More plans"
printf 'an attached note\n' > "$work/note.txt"
note="Z:$(cd "$work" && pwd | tr / '\\')\\note.txt"
expect put-attached 0 'message "With a note" saved' -- \
    put --store "$store" --folder "Top of Information Store/Inbox" --subject "With a note" --attach "$note"
expect put-attach-missing 2 'no such file' -- \
    put --store "$store" --folder "Top of Information Store/Inbox" --subject x --attach 'C:\nowhere\none.txt'
expect put-missing-folder 1 'no folder' -- put --store "$store" --folder "Top of Information Store/Nowhere" --subject x
expect put-no-subject 2 'needs --subject' -- put --store "$store" --folder "Top of Information Store/Inbox"
expect walk-store 0 'Verdict: ok' -- walk --store "$store"
grep -q '^        Projects .* 2 item' "$work/walk-store" && grep -q '^          2026 ' "$work/walk-store" ||
    { echo "FAIL walk-store: the folders mkfolder made are not in the tree"; failures=$((failures + 1)); }
grep -q '^          - "Plans"  from mapihost  20[0-9-]* [0-9:]*  [0-9]* bytes$' "$work/walk-store" ||
    { echo "FAIL walk-store: the message put saved is not listed under its folder"; failures=$((failures + 1)); }
grep -q '^        - "With a note"  from mapihost  .*  with attachments$' "$work/walk-store" ||
    { echo "FAIL walk-store: the message put with --attach is not listed with attachments"; failures=$((failures + 1)); }
expect walk-capped 0 'Verdict: ok' -- walk --store "$store" --messages 1
[ "$(grep -c '^          - "' "$work/walk-capped")" = 1 ] ||
    { echo "FAIL walk-capped: --messages 1 did not list one message"; failures=$((failures + 1)); }
expect walk-bad-cap 2 'takes a number' -- walk --store "$store" --messages many
expect verify 0 '^no problems' -- verify --store "$store"
expect backup 0 'a consistent copy is in' -- backup --store "$store" --out "$copy"
expect rmfolder 0 'deleted, with what it held' -- rmfolder --store "$copy" "Top of Information Store/Inbox/Projects"
expect walk-copy 0 'Verdict: ok' -- walk --store "$copy"
! grep -q 'Projects' "$work/walk-copy" || { echo "FAIL walk-copy: Projects is still there"; failures=$((failures + 1)); }
grep -q 'Projects' "$work/walk-store" || { echo "FAIL walk-store: the original lost Projects"; failures=$((failures + 1)); }
expect verify-copy 0 '^no problems' -- verify --store "$copy"
expect rmfolder-missing 1 'no folder' -- rmfolder --store "$store" "Top of Information Store/Nowhere"
printf 'not a database, only words' > "$work/broken.msstore"
expect verify-broken 1 'cannot be checked: not a database' -- verify --store "Z:$(cd "$work" && pwd | tr / '\\')\\broken.msstore"
expect verify-missing 2 'no such file' -- verify --store 'C:\nowhere\none.msstore'
expect store-missing-path 2 'needs --store' -- verify

expect no-such-dll 2 'cannot load .*nowhere32.dll' -- walk --dll 'C:\nowhere\nowhere32.dll'
expect not-a-provider 2 'exports no MSProviderInit' -- check --dll 'C:\windows\system32\version.dll'
expect usage 2 'usage: mapihost' -- frobnicate

[ $failures = 0 ] && echo "all mapihost checks passed"
exit $failures
