#!/usr/bin/env bash
# .msg files (MS-OXMSG) through msstore and back: for each sample, a fresh store, mapihost mkfolder,
# import and export under Wine, then the export judged by readers msstore has nothing to do with:
#   (a) tests/msg/msgdump.py (olefile) prints the same properties for the original and the export,
#       once the computed properties below are left out of both
#   (b) olecfinfo (libolecf) reads the export
#   (c) msgdump.py --check --strict finds no structural defect in the export
#   (d) tests/msg/check-readers.js (@kenjiuno/msgreader) prints the same for both
#   (e) msgconvert (Email::Outlook::Message) makes the same .eml of both, once the MIME boundaries
#       it draws at random are named alike
#   check_msg.sh [--no-store] <folder holding mapihost.exe and msstore32.dll, or the build folder
#                above x64/> <folder of sample .msg files, e.g. .deps/msg-samples>
# --no-store checks each sample against a plain copy of itself instead (no Wine, no mapihost;
# (c) without --strict, since the file is not ours): the readers and this script, on the samples.
# scripts/setup.sh installs the readers and the samples. Exit 0 when every sample passed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

# Properties the store computes or assigns itself, so that an export cannot hold the original's
# value: left out of both dumps in (a). Each with why.
computed=(
    0x0FFF # PR_ENTRYID: the store's own entry identifier for the message, recipient or attachment
    0x0E09 # PR_PARENT_ENTRYID: the folder's entry ID in this store
    0x0FF9 # PR_RECORD_KEY: assigned by the store (for messages, attachments)
    0x0FFB # PR_STORE_ENTRYID: this store's entry ID
    0x0FFA # PR_STORE_RECORD_KEY: this store's record key
    0x0FF8 # PR_MAPPING_SIGNATURE: this store's provider signature
    0x0E08 # PR_MESSAGE_SIZE: the store's own measure of the message
    0x0FF6 # PR_INSTANCE_KEY: a table row's key, made up per table
    0x0FFE # PR_OBJECT_TYPE: said by the object itself (MAPI_MESSAGE, MAPI_ATTACH, MAPI_MAILUSER)
    0x0FF4 # PR_ACCESS: the access this session has to the object
    0x0FF7 # PR_ACCESS_LEVEL: the same, for the message as a whole
    0x340D # PR_STORE_SUPPORT_MASK: this store's capabilities
    0x3000 # PR_ROWID: a recipient's or attachment's row number in this store
    0x0E21 # PR_ATTACH_NUM: an attachment's number in this store
    0x3007 # PR_CREATION_TIME: when the store created the message (the import)
    0x3008 # PR_LAST_MODIFICATION_TIME: when the store last saved it
    0x0E02 # PR_DISPLAY_BCC: computed from the recipients (charset.msg's own disagrees with its recipient)
    0x0E03 # PR_DISPLAY_CC: the same
    0x0E04 # PR_DISPLAY_TO: the same
    0x0E17 # PR_MSG_STATUS: the store answers 0 for a message that has none
    0x0E1B # PR_HASATTACH: computed from the attachments
    0x0E20 # PR_ATTACH_SIZE: the store's own measure of the attachment
    0x300B # PR_SEARCH_KEY: the store gives a message one when it has none
    0x65E0 # PR_SOURCE_KEY: the store's key for the message, given at its first save
    0x65E2 # PR_CHANGE_KEY: the store's key of the message's last change
    0x65E3 # PR_PREDECESSOR_CHANGE_LIST: the store's change keys of the message
)
# PR_MESSAGE_FLAGS (0x0E07) is compared but for MSGFLAG_HASATTACH (0x10), which the store computes from
# the attachments (charset.msg's flags claim one it does not have).
folder="Top of Information Store/Imported"

self_check=0
if [ "${1:-}" = --no-store ]; then
    self_check=1
    shift
fi
if [ $# -ne 2 ]; then
    echo "usage: check_msg.sh [--no-store] <mapihost.exe's folder or the build folder> <samples folder>" >&2
    exit 2
fi
bin=$1
[ -f "$bin/mapihost.exe" ] || bin="$1/x64"
samples=$(cd "$2" && pwd)

missing=()
[ $self_check = 1 ] || [ -f "$bin/mapihost.exe" ] || missing+=("mapihost.exe in $1 or $1/x64")
/usr/bin/python3 -c 'import olefile' 2>/dev/null || missing+=("python3-olefile")
command -v olecfinfo >/dev/null || missing+=("olecfinfo (libolecf-utils)")
command -v msgconvert >/dev/null || missing+=("msgconvert (libemail-outlook-message-perl)")
command -v node >/dev/null || missing+=("node")
modules=${MSGREADER_MODULES:-$root/.deps/node/node_modules}
[ -f "$modules/@kenjiuno/msgreader/package.json" ] || missing+=("@kenjiuno/msgreader in $modules")
if [ ${#missing[@]} -gt 0 ]; then
    printf 'check_msg: missing %s; scripts/setup.sh installs it\n' "${missing[@]}" >&2
    exit 2
fi
shopt -s nullglob
msgs=("$samples"/*.msg)
if [ ${#msgs[@]} = 0 ]; then
    echo "check_msg: no .msg file in $samples" >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/check_msg.XXXXXX")
trap 'rm -rf "$work"' EXIT
exclude=()
for key in "${computed[@]}"; do exclude+=(--exclude "$key"); done

# A path as the Wine program wants it: Z: is /.
winpath() { printf 'Z:%s' "$(printf '%s' "$1" | tr / '\\')"; }
# Runs mapihost from its folder (beside msstore32.dll), its output into $1 without CRs.
mapihost() {
    local log=$1 status=0
    shift
    (cd "$bin" && "$root/scripts/wine-run" mapihost.exe "$@") > "$log.raw" 2>&1 || status=$?
    tr -d '\r' < "$log.raw" > "$log"
    rm -f "$log.raw"
    return $status
}
msgdump() { /usr/bin/python3 "$here/msg/msgdump.py" "$@"; }
# The dump with MSGFLAG_HASATTACH cleared from PR_MESSAGE_FLAGS (see above).
without_hasattach() {
    awk -F'\t' -v OFS='\t' '$2 == "0x0E07" && $3 == "long" && int($4 / 16) % 2 == 1 { $4 -= 16 } { print }' "$1"
}
# Whether a .msg is an ANSI file: it keeps PT_STRING8 values (streams __substg1.0_XXXX001E).
is_ansi() {
    /usr/bin/python3 -c 'import olefile, sys
ole = olefile.OleFileIO(sys.argv[1])
sys.exit(0 if any(e[-1].upper().endswith("001E") for e in ole.listdir()) else 1)' "$1"
}
readers() { node "$here/msg/check-readers.js" --modules "$modules" "$1"; }
# An .eml from msgconvert with each boundary it drew at random (time and counter, random letters,
# process id: 17963012750.F6C65aA.14291) named by its order of appearance; nothing else changed.
normalise_eml() {
    /usr/bin/python3 - "$1" <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read()
drawn = []
for m in re.finditer(rb'boundary="?(\d+\.[0-9A-Za-z]+\.\d+)"?(?=[;\s]|$)', data):
    if m.group(1) not in drawn:
        drawn.append(m.group(1))
for number, boundary in enumerate(drawn):
    data = data.replace(boundary, b"BOUNDARY-%d" % number)
sys.stdout.buffer.write(data)
PY
}

# problem WHAT [FILE]: a failed step, and the start of the file that says why, for the report.
problem() {
    problems+=("  $1")
    [ -z "${2:-}" ] || [ ! -s "$2" ] || problems+=("$(head -n 40 "$2" | sed 's/^/      /')")
}

[ $self_check = 1 ] || "$root/scripts/wine-services" 30

passed=0 failed=0
for msg in "${msgs[@]}"; do
    name=$(basename "$msg" .msg)
    dir="$work/$name"
    mkdir -p "$dir/export" "$dir/eml-original" "$dir/eml-export"
    problems=()

    exported=""
    if [ $self_check = 1 ]; then
        cp "$msg" "$dir/export/$name (1).msg"
        exported="$dir/export/$name (1).msg"
    else
        store=$(winpath "$dir/store.msstore")
        if ! mapihost "$dir/mkfolder.log" mkfolder --store "$store" "$folder"; then
            problem "mkfolder failed:" "$dir/mkfolder.log"
        elif ! mapihost "$dir/import.log" import --store "$store" --folder "$folder" "$(winpath "$msg")"; then
            problem "import refused it:" "$dir/import.log"
        elif width=(); is_ansi "$msg" && width=(--ansi); \
             ! mapihost "$dir/export.log" export --store "$store" --folder "$folder" --out "$(winpath "$dir/export")" \
                 "${width[@]}"; then
            problem "export failed:" "$dir/export.log"
        else
            found=("$dir/export"/*.msg)
            if [ ${#found[@]} != 1 ]; then
                problem "export wrote ${#found[@]} .msg file(s), not 1:" "$dir/export.log"
            else
                exported=${found[0]}
            fi
        fi
    fi

    if [ -n "$exported" ]; then
        # (a) property by property
        if ! msgdump "${exclude[@]}" "$msg" > "$dir/original.dump" 2> "$dir/original.dump.err"; then
            problem "(a) msgdump.py cannot read the original:" "$dir/original.dump.err"
        elif ! msgdump "${exclude[@]}" "$exported" > "$dir/export.dump" 2> "$dir/export.dump.err"; then
            problem "(a) msgdump.py cannot read the export:" "$dir/export.dump.err"
        elif ! without_hasattach "$dir/original.dump" > "$dir/original.flags" ||
             ! without_hasattach "$dir/export.dump" > "$dir/export.flags" || [ ! -s "$dir/original.flags" ]; then
            problem "(a) the dumps could not be read"
        elif ! diff "$dir/original.flags" "$dir/export.flags" > "$dir/dump.diff"; then
            problem "(a) the properties differ (< original, > export):" "$dir/dump.diff"
        fi
        # (b) libolecf
        olecfinfo "$exported" > "$dir/olecfinfo.log" 2>&1 || problem "(b) olecfinfo failed:" "$dir/olecfinfo.log"
        # (c) the structure MS-OXMSG asks of a writer
        strict=(--strict)
        [ $self_check = 0 ] || strict=()
        msgdump --check "${strict[@]}" "$exported" > "$dir/check.log" 2>&1 ||
            problem "(c) msgdump.py --check ${strict[*]} found a defect:" "$dir/check.log"
        # (d) @kenjiuno/msgreader
        if ! readers "$msg" > "$dir/original.readers" 2>&1; then
            problem "(d) check-readers.js cannot read the original:" "$dir/original.readers"
        elif ! readers "$exported" > "$dir/export.readers" 2>&1; then
            problem "(d) check-readers.js cannot read the export:" "$dir/export.readers"
        elif ! diff "$dir/original.readers" "$dir/export.readers" > "$dir/readers.diff"; then
            problem "(d) check-readers.js reads them differently (< original, > export):" "$dir/readers.diff"
        fi
        # (e) msgconvert
        if ! msgconvert --outfile "$dir/eml-original/message.eml" "$msg" > "$dir/msgconvert-original.log" 2>&1; then
            problem "(e) msgconvert failed on the original:" "$dir/msgconvert-original.log"
        elif ! msgconvert --outfile "$dir/eml-export/message.eml" "$exported" > "$dir/msgconvert-export.log" 2>&1; then
            problem "(e) msgconvert failed on the export:" "$dir/msgconvert-export.log"
        elif ! normalise_eml "$dir/eml-original/message.eml" > "$dir/original.eml" ||
             ! normalise_eml "$dir/eml-export/message.eml" > "$dir/export.eml" || [ ! -s "$dir/original.eml" ]; then
            problem "(e) the .eml files could not be read"
        elif ! diff "$dir/original.eml" "$dir/export.eml" > "$dir/eml.diff"; then
            problem "(e) msgconvert makes different .eml files of them (< original, > export):" "$dir/eml.diff"
        fi
    fi

    if [ ${#problems[@]} = 0 ]; then
        echo "ok   $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name"
        printf '%s\n' "${problems[@]}"
        failed=$((failed + 1))
    fi
done

echo "check_msg: $passed passed, $failed failed"
[ $failed = 0 ]
