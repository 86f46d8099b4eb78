#!/usr/bin/python3
"""msg_seed.py: a .msg file (a compound file) as an input of tests/fuzz/fuzz_msg.c.

Walks the compound file with olefile and writes its tree of storages and streams in the fuzz
target's container format (described at the top of fuzz_msg.c):

    'F' len:u8 name len:u32le bytes     a stream
    'D' len:u8 name <children> 'E'      a storage and its children

The root's children come first, at the top level; names are written as the file holds them
(ASCII for a .msg file), children in the order of the file's directory. So that seeds stay small
and the fuzzer's mutations land on the structure rather than on bulk, a single value's stream of
a binary or string property (__substg1.0_XXXX0102, ...001E, ...001F) longer than --most bytes
(1024 by default) is cut to --most bytes, rounded down to an even count so that a UTF-16 string
stays whole characters; the reader never checks a value stream against the size its property
entry claims, so the cut file still reads. No other stream is cut.

The committed seeds (tests/fuzz/corpus/msg) are files msstore wrote: each imported into a fresh
store with mapihost import and exported again with mapihost export (--ansi for the ANSI sample),
as tests/check_msg.sh does, then turned into seeds by this script with the default --most:
  ansi-strings, attachment-by-value, msgreader-test, plain-unicode: from .deps/msg-samples
      charset.msg, plain_jpeg_attached.msg, msgreader-test.msg, plain_uc_unsent.msg
  embedded-multivalued-named: from tests/msg/make_hostile.py's good.msg (an embedded message,
      multi-valued properties, names by id and by string, a GUID of its own)
  nested-32: from make_hostile.py's nested_message(32): embedded messages at the reader's limit

usage: msg_seed.py [--most BYTES] FILE.msg OUT
"""
import re
import struct
import sys

import olefile

# Value streams of one binary or string value: __substg1.0_ + 4 hex digits of id + the type.
CUTTABLE = re.compile(r"^__substg1\.0_[0-9A-Fa-f]{4}(0102|001[EeFf])$")


def emit_children(ole, entry, path, most, out):
    for kid in entry.kids:
        name = kid.name.encode("ascii")
        if len(name) > 255:
            raise SystemExit("msg_seed: a name longer than 255 bytes: %r" % kid.name)
        if kid.entry_type == olefile.STGTY_STORAGE:
            out += b"D" + bytes([len(name)]) + name
            emit_children(ole, kid, path + [kid.name], most, out)
            out += b"E"
        elif kid.entry_type == olefile.STGTY_STREAM:
            data = ole.openstream(path + [kid.name]).read()
            if CUTTABLE.match(kid.name) and len(data) > most:
                data = data[: most & ~1]
            out += b"F" + bytes([len(name)]) + name + struct.pack("<I", len(data)) + data


def main(argv):
    most = 1024
    if len(argv) >= 2 and argv[0] == "--most":
        most = int(argv[1])
        argv = argv[2:]
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    ole = olefile.OleFileIO(argv[0])
    out = bytearray()
    emit_children(ole, ole.root, [], most, out)
    ole.close()
    with open(argv[1], "wb") as f:
        f.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
