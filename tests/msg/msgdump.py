#!/usr/bin/python3
"""msgdump.py: an independent reader of .msg files ([MS-OXMSG]), on top of olefile.

Prints every property of the message, its recipients, its attachments and its embedded messages,
one line each, sorted, so that two files can be compared property by property with diff:

    <object path> TAB <property key> TAB <type class> TAB <value>

  object path   message, message/recip0, message/attach1, message/attach1/embedded/recip0 (each
                numbered 0, 1, ... in the order of its storage's number in the file)
  property key  0xPPPP (the property id, 4 hex digits) below 0x8000; a named property by its
                name: named:{GUID}:id:0xNNNN or named:{GUID}:name:TEXT
  type class    string for PT_STRING8 and PT_UNICODE alike (PT_STRING8 decoded with the message's
                code page: PR_MESSAGE_CODEPAGE, else PR_INTERNET_CPID, else cp1252), mv-string for
                both multi-valued kinds; short, long, float, double, currency, apptime, error,
                boolean, i8, systime, clsid, binary, object, and mv-<that> for the others
  value         decimal numbers; systime in UTC to 100 ns; binary in lowercase hex, or its length
                and SHA-256 past 128 bytes; a string with one trailing NUL removed, \\, tab, CR, LF
                and other control characters escaped; a multi-valued one as [v1, v2, ...] with
                strings quoted

usage: msgdump.py [--check] [--strict] [--exclude KEY]... FILE.msg
  --exclude KEY  leave out that property key everywhere (repeatable), e.g. a computed property
  --check        parse only, print nothing: exit 1 with one line saying why on a structural defect
  --strict       also hold the file to what [MS-OXMSG] says a writer MUST do where real readers
                 are lenient: the Size of a string is the stream's length plus its terminator,
                 that of an embedded message 0xFFFFFFFF, and no value stream belongs to no property
Exit status: 0 done, 1 a defect (said on stderr), 2 a usage error.
"""
import codecs
import datetime
import decimal
import hashlib
import re
import struct
import sys
import uuid

import olefile

PROPS = "__properties_version1.0"
NAMEID = "__nameid_version1.0"
RECIP = "__recip_version1.0_#"
ATTACH = "__attach_version1.0_#"
SUBSTG = "__substg1.0_"
PS_MAPI = "{00020328-0000-0000-C000-000000000046}"
PS_PUBLIC_STRINGS = "{00020329-0000-0000-C000-000000000046}"

# Fixed-size types, whose value is in the property stream's 8-byte Value field.
FIXED = {0x0002: "short", 0x0003: "long", 0x0004: "float", 0x0005: "double", 0x0006: "currency",
         0x0007: "apptime", 0x000A: "error", 0x000B: "boolean", 0x0014: "i8", 0x0040: "systime"}
# Variable-size types (and PT_CLSID), each value in a stream of its own.
VARIABLE = {0x001E: "string", 0x001F: "string", 0x0102: "binary", 0x0048: "clsid", 0x000D: "object"}
# Multi-valued fixed-size types: the values back to back in one stream ([MS-OXMSG] 2.1.4.1;
# PtypMultipleGuid is one of them). Element size and struct format.
MV_FIXED = {0x1002: (2, "<h"), 0x1003: (4, "<i"), 0x1004: (4, "<f"), 0x1005: (8, "<d"),
            0x1006: (8, "<q"), 0x1007: (8, "<d"), 0x1014: (8, "<q"), 0x1040: (8, "<Q"),
            0x1048: (16, None)}
# Multi-valued variable-size types: a length stream and one stream per value (2.1.4.2).
# Size of one length-stream entry.
MV_VARIABLE = {0x101E: 4, 0x101F: 4, 0x1102: 8}

NUL_WIDTH = {0x001E: 1, 0x001F: 2, 0x101E: 1, 0x101F: 2}
BINARY_INLINE = 128  # longer binaries are printed as length and SHA-256
STRING_INLINE = 4096  # longer strings likewise, with their first characters

# Code pages whose Python codec is not simply "cp<N>".
CODECS = {65001: "utf-8", 65000: "utf-7", 20127: "ascii", 1200: "utf-16-le", 1201: "utf-16-be",
          20866: "koi8_r", 21866: "koi8_u", 50220: "iso2022_jp", 50221: "iso2022_jp",
          50222: "iso2022_jp", 50225: "iso2022_kr", 51932: "euc_jp", 20932: "euc_jp",
          51949: "euc_kr", 52936: "hz", 54936: "gb18030", 936: "gbk", 10000: "mac_roman"}
for _n in list(range(1, 11)) + [13, 14, 15, 16]:
    CODECS[28590 + _n] = "iso8859_%d" % _n


class Defect(Exception):
    pass


class UsageError(Exception):
    pass


def escape(text):
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\x%02x" % ord(ch))
        elif 0xD800 <= ord(ch) <= 0xDFFF:  # a lone surrogate, or a byte the code page cannot map
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def fmt_string(text, quoted=False):
    if len(text) > STRING_INLINE:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        return "<%d chars, sha256 %s> %s..." % (len(text), digest, escape(text[:80]))
    if quoted:
        return '"' + escape(text).replace('"', '\\"') + '"'
    return escape(text)


def fmt_binary(data):
    if len(data) > BINARY_INLINE:
        return "<%d bytes, sha256 %s>" % (len(data), hashlib.sha256(data).hexdigest())
    return data.hex()


def fmt_guid(data):
    return "{%s}" % str(uuid.UUID(bytes_le=bytes(data))).upper()


def fmt_systime(ticks):
    try:
        when = datetime.datetime(1601, 1, 1) + datetime.timedelta(microseconds=ticks // 10)
    except OverflowError:
        return "filetime 0x%016X" % ticks
    return when.strftime("%Y-%m-%dT%H:%M:%S") + ".%07dZ" % (ticks % 10000000)


def fmt_currency(value):
    return str(decimal.Decimal(value).scaleb(-4))


def fmt_fixed(ptype, value):
    """One fixed-size value from its bytes (the first bytes of the 8-byte Value field)."""
    if ptype == 0x0002:
        return str(struct.unpack_from("<h", value)[0])
    if ptype == 0x0003:
        return str(struct.unpack_from("<i", value)[0])
    if ptype == 0x0004:
        return repr(struct.unpack_from("<f", value)[0])
    if ptype in (0x0005, 0x0007):
        return repr(struct.unpack_from("<d", value)[0])
    if ptype == 0x0006:
        return fmt_currency(struct.unpack_from("<q", value)[0])
    if ptype == 0x000A:
        return "0x%08X" % struct.unpack_from("<I", value)[0]
    if ptype == 0x000B:
        # Outlook leaves garbage past the first two bytes of the Value field.
        return "true" if struct.unpack_from("<H", value)[0] else "false"
    if ptype == 0x0014:
        return str(struct.unpack_from("<q", value)[0])
    if ptype == 0x0040:
        return fmt_systime(struct.unpack_from("<Q", value)[0])
    raise AssertionError(ptype)


_warned = set()


def codec_for(codepage):
    name = CODECS.get(codepage, "cp%d" % codepage)
    try:
        codecs.lookup(name)
    except LookupError:
        if codepage not in _warned:
            _warned.add(codepage)
            print("msgdump: code page %d has no codec here; PT_STRING8 read as cp1252" % codepage,
                  file=sys.stderr)
        return "cp1252"
    return name


class MsgFile:
    def __init__(self, path, strict):
        self.strict = strict
        try:
            self.ole = olefile.OleFileIO(path, raise_defects=olefile.DEFECT_INCORRECT)
            entries = self.ole.listdir(streams=True, storages=True)
        except Exception as e:  # olefile raises several kinds for a malformed compound file
            raise Defect("not a sound compound file: %s" % e)
        # Every stream and storage, by its path in lower case (compound file names ignore case).
        self.kind = {}
        for entry in entries:
            kind = self.ole.get_type(entry)
            self.kind[tuple(n.lower() for n in entry)] = (tuple(entry), kind)
        self.lines = []
        self.named = self.read_nameid()

    # --- compound file access -------------------------------------------------------------

    def find(self, parts):
        return self.kind.get(tuple(n.lower() for n in parts))

    def is_stream(self, parts):
        found = self.find(parts)
        return found is not None and found[1] == olefile.STGTY_STREAM

    def is_storage(self, parts):
        found = self.find(parts)
        return found is not None and found[1] == olefile.STGTY_STORAGE

    def read(self, parts, what):
        found = self.find(parts)
        if found is None or found[1] != olefile.STGTY_STREAM:
            raise Defect("%s: no stream %s" % (what, "/".join(parts)))
        try:
            return self.ole.openstream(list(found[0])).read()
        except Exception as e:
            raise Defect("%s: stream %s cannot be read: %s" % (what, "/".join(parts), e))

    def children(self, parts):
        """The names of the streams and storages directly in storage parts."""
        depth = len(parts)
        low = tuple(n.lower() for n in parts)
        return [real[-1] for key, (real, _) in self.kind.items()
                if len(key) == depth + 1 and key[:depth] == low]

    def tree_digest(self, parts):
        """SHA-256 over a storage's CLSID and everything in it (for a custom attachment storage)."""
        digest = hashlib.sha256()
        low = tuple(n.lower() for n in parts)
        found = self.find(parts)
        digest.update(self.ole.getclsid(list(found[0])).encode())
        for key in sorted(k for k in self.kind if k[:len(low)] == low and len(k) > len(low)):
            real, kind = self.kind[key]
            digest.update(("\0%s\0%d\0" % ("/".join(key[len(low):]), kind)).encode())
            if kind == olefile.STGTY_STREAM:
                digest.update(self.read(real, "object"))
        return digest.hexdigest()

    # --- named properties ([MS-OXMSG] 2.2.3) ----------------------------------------------

    def read_nameid(self):
        named = {}
        if not self.is_storage([NAMEID]):
            self.nameid_missing = True
            return named
        self.nameid_missing = False
        what = "named property mapping"
        guids = self.read([NAMEID, SUBSTG + "00020102"], what)
        entries = self.read([NAMEID, SUBSTG + "00030102"], what)
        strings = self.read([NAMEID, SUBSTG + "00040102"], what)
        if len(guids) % 16:
            raise Defect("%s: GUID stream of %d bytes, not a multiple of 16" % (what, len(guids)))
        if len(entries) % 8:
            raise Defect("%s: entry stream of %d bytes, not a multiple of 8" % (what, len(entries)))
        for at in range(0, len(entries), 8):
            ident, info = struct.unpack_from("<II", entries, at)
            is_string = info & 1
            guid_index = (info >> 1) & 0x7FFF
            prop_index = info >> 16
            if guid_index == 1:
                guid = PS_MAPI
            elif guid_index == 2:
                guid = PS_PUBLIC_STRINGS
            elif guid_index >= 3 and (guid_index - 3) * 16 + 16 <= len(guids):
                start = (guid_index - 3) * 16
                guid = fmt_guid(guids[start:start + 16])
            else:
                raise Defect("%s: entry %d has GUID index %d, and the GUID stream holds %d"
                             % (what, at // 8, guid_index, len(guids) // 16))
            if is_string:
                if ident + 4 > len(strings):
                    raise Defect("%s: entry %d names offset %d past the string stream's %d bytes"
                                 % (what, at // 8, ident, len(strings)))
                length = struct.unpack_from("<I", strings, ident)[0]
                if length % 2 or ident + 4 + length > len(strings):
                    raise Defect("%s: entry %d: a name of %d bytes at offset %d in a string "
                                 "stream of %d" % (what, at // 8, length, ident, len(strings)))
                name = strings[ident + 4:ident + 4 + length].decode("utf-16-le", "surrogatepass")
                key = "named:%s:name:%s" % (guid, escape(name))
            else:
                key = "named:%s:id:0x%04X" % (guid, ident)
            prop_id = 0x8000 + prop_index
            if prop_id > 0xFFFF:
                raise Defect("%s: entry %d has property index %d, past 0x7FFF"
                             % (what, at // 8, prop_index))
            if prop_id in named:
                raise Defect("%s: property index %d is mapped twice" % (what, prop_index))
            named[prop_id] = key
        return named

    def key_of(self, prop_id, where):
        if prop_id < 0x8000:
            return "0x%04X" % prop_id
        if prop_id not in self.named:
            if self.nameid_missing:
                raise Defect("%s: named property 0x%04X, and the file has no %s storage"
                             % (where, prop_id, NAMEID))
            raise Defect("%s: property 0x%04X has no entry in the named property mapping"
                         % (where, prop_id))
        return self.named[prop_id]

    # --- objects ----------------------------------------------------------------------------

    def numbered(self, storage, prefix, where):
        """The sub-storages of storage named prefix + 8 hex digits, in their numbers' order."""
        found = []
        for name in self.children(storage):
            if not name.lower().startswith(prefix.lower()):
                continue
            suffix = name[len(prefix):]
            if not re.fullmatch(r"[0-9A-Fa-f]{8}", suffix) or not self.is_storage(storage + [name]):
                raise Defect("%s: %s is not a %sXXXXXXXX storage" % (where, name, prefix))
            found.append((int(suffix, 16), name))
        return [name for _, name in sorted(found)]

    def read_object(self, storage, kind, path, codepage, depth=0):
        """Reads the object in storage (kind: message, embedded, recip or attach) into self.lines."""
        if depth > 100:
            raise Defect("%s: embedded messages nested deeper than 100" % path)
        header = {"message": 32, "embedded": 24}.get(kind, 8)
        stream = self.read(storage + [PROPS], path)
        if len(stream) < header or (len(stream) - header) % 16:
            raise Defect("%s: property stream of %d bytes, not %d + 16*n"
                         % (path, len(stream), header))
        entries = []
        seen = {}
        for at in range(header, len(stream), 16):
            tag, _flags = struct.unpack_from("<II", stream, at)
            prop_id, ptype = tag >> 16, tag & 0xFFFF
            if ptype not in FIXED and ptype not in VARIABLE and ptype not in MV_FIXED \
                    and ptype not in MV_VARIABLE:
                raise Defect("%s: property 0x%08X has an unknown type 0x%04X" % (path, tag, ptype))
            if prop_id in seen:
                raise Defect("%s: property 0x%04X is there twice (0x%08X and 0x%08X)"
                             % (path, prop_id, seen[prop_id], tag))
            seen[prop_id] = tag
            entries.append((tag, stream[at + 8:at + 16]))
        if kind in ("message", "embedded"):
            own = {tag: value for tag, value in entries}
            if 0x3FFD0003 in own:
                codepage = struct.unpack_from("<I", own[0x3FFD0003])[0]
            elif 0x3FDE0003 in own:
                codepage = struct.unpack_from("<I", own[0x3FDE0003])[0]
            elif codepage is None:
                codepage = 1252
        codec = codec_for(codepage)
        attach_method = None
        for tag, value in entries:
            if tag == 0x37050003:
                attach_method = struct.unpack_from("<I", value)[0]
        used = set()
        for tag, value in entries:
            self.read_property(storage, path, kind, tag, value, codec, attach_method, used,
                               codepage, depth)
        if self.strict:
            for name in self.children(storage):
                if name.lower().startswith(SUBSTG.lower()) and name.lower() not in {u.lower() for u in used}:
                    raise Defect("%s: stream or storage %s belongs to no property" % (path, name))
        if kind in ("message", "embedded"):
            recips = self.numbered(storage, RECIP, path)
            attachs = self.numbered(storage, ATTACH, path)
            n_recips, n_attachs = struct.unpack_from("<II", stream, 16)
            if n_recips != len(recips) or n_attachs != len(attachs):
                raise Defect("%s: the header counts %d recipient(s) and %d attachment(s), the "
                             "file holds %d and %d"
                             % (path, n_recips, n_attachs, len(recips), len(attachs)))
            for number, name in enumerate(recips):
                self.read_object(storage + [name], "recip", "%s/recip%d" % (path, number),
                                 codepage, depth)
            for number, name in enumerate(attachs):
                self.read_object(storage + [name], "attach", "%s/attach%d" % (path, number),
                                 codepage, depth)

    def decode(self, ptype, data, codec):
        """A PT_STRING8 or PT_UNICODE value's text, one trailing NUL removed."""
        if ptype in (0x001E, 0x101E):
            if data.endswith(b"\0"):
                data = data[:-1]
            return data.decode(codec, "surrogateescape")
        if data.endswith(b"\0\0"):
            data = data[:-2]
        return data.decode("utf-16-le", "surrogatepass")

    def read_property(self, storage, path, kind, tag, value, codec, attach_method, used,
                      codepage, depth):
        prop_id, ptype = tag >> 16, tag & 0xFFFF
        where = "%s: property 0x%08X" % (path, tag)
        key = self.key_of(prop_id, path)
        name = SUBSTG + "%08X" % tag
        if ptype in FIXED:
            self.lines.append((path, key, FIXED[ptype], fmt_fixed(ptype, value)))
            return
        size = struct.unpack_from("<I", value)[0]
        used.add(name)
        if ptype == 0x000D:
            if not self.find(storage + [name]):
                raise Defect("%s: no storage %s" % (where, name))
            if kind == "attach" and prop_id == 0x3701 and attach_method != 6:
                if self.strict and size != 0xFFFFFFFF:
                    raise Defect("%s: an embedded message's Size is 0x%08X, not 0xFFFFFFFF"
                                 % (where, size))
                if not self.is_storage(storage + [name]):
                    raise Defect("%s: the embedded message %s is not a storage" % (where, name))
                self.lines.append((path, key, "object", "embedded message"))
                self.read_object(storage + [name], "embedded", path + "/embedded", codepage,
                                 depth + 1)
            elif self.is_storage(storage + [name]):
                self.lines.append((path, key, "object",
                                   "storage sha256 " + self.tree_digest(storage + [name])))
            else:
                data = self.read(storage + [name], where)
                self.lines.append((path, key, "object", "stream " + fmt_binary(data)))
            return
        if ptype in VARIABLE:
            data = self.read(storage + [name], where)
            if ptype in NUL_WIDTH:
                width = NUL_WIDTH[ptype]
                if ptype == 0x001F and len(data) % 2:
                    raise Defect("%s: a UTF-16 stream of %d bytes, an odd length" % (where, len(data)))
                sound = (size == len(data) + width) if self.strict \
                    else size in (len(data), len(data) + width)
                if not sound:
                    raise Defect("%s: Size %d, and its stream holds %d bytes (wanted %s)"
                                 % (where, size, len(data),
                                    "%d" % (len(data) + width) if self.strict
                                    else "%d or %d" % (len(data), len(data) + width)))
                self.lines.append((path, key, "string", fmt_string(self.decode(ptype, data, codec))))
                return
            if size != len(data):
                raise Defect("%s: Size %d, and its stream holds %d bytes" % (where, size, len(data)))
            if ptype == 0x0048:
                if len(data) != 16:
                    raise Defect("%s: a PT_CLSID of %d bytes, not 16" % (where, len(data)))
                self.lines.append((path, key, "clsid", fmt_guid(data)))
            else:
                self.lines.append((path, key, "binary", fmt_binary(data)))
            return
        data = self.read(storage + [name], where)
        if size != len(data):
            raise Defect("%s: Size %d, and its stream holds %d bytes" % (where, size, len(data)))
        if ptype in MV_FIXED:
            element, form = MV_FIXED[ptype]
            if len(data) % element:
                raise Defect("%s: a stream of %d bytes, not a multiple of %d"
                             % (where, len(data), element))
            items = []
            for at in range(0, len(data), element):
                chunk = data[at:at + element]
                if ptype == 0x1048:
                    items.append(fmt_guid(chunk))
                else:
                    items.append(fmt_fixed(ptype & 0x0FFF, chunk))
            self.lines.append((path, key, "mv-" + FIXED.get(ptype & 0x0FFF, "clsid"),
                               "[" + ", ".join(items) + "]"))
            return
        entry = MV_VARIABLE[ptype]
        if len(data) % entry:
            raise Defect("%s: a length stream of %d bytes, not a multiple of %d"
                         % (where, len(data), entry))
        items = []
        for index in range(len(data) // entry):
            length = struct.unpack_from("<I", data, index * entry)[0]
            value_name = "%s-%08X" % (name, index)
            used.add(value_name)
            one = self.read(storage + [value_name], where)
            if ptype == 0x1102:
                if length != len(one):
                    raise Defect("%s: value %d: length %d, and its stream holds %d bytes"
                                 % (where, index, length, len(one)))
                items.append(fmt_binary(one))
                continue
            width = NUL_WIDTH[ptype]
            if ptype == 0x101F and len(one) % 2:
                raise Defect("%s: value %d: a UTF-16 stream of %d bytes, an odd length"
                             % (where, index, len(one)))
            # The length includes the terminating NUL, which the stream holds ([MS-OXMSG] 2.1.4.2).
            sound = (length == len(one) and one.endswith(b"\0" * width)) if self.strict \
                else length in (len(one), len(one) + width)
            if not sound:
                raise Defect("%s: value %d: length %d, and its stream holds %d bytes"
                             % (where, index, length, len(one)))
            items.append(fmt_string(self.decode(ptype, one, codec), quoted=True))
        self.lines.append((path, key, "mv-binary" if ptype == 0x1102 else "mv-string",
                           "[" + ", ".join(items) + "]"))


def normalise_key(key):
    if re.fullmatch(r"0[xX][0-9A-Fa-f]{1,4}", key):
        return "0x%04X" % int(key, 16)
    match = re.fullmatch(r"named:(\{[0-9A-Fa-f-]{36}\}):(id|name):(.*)", key)
    if match:
        guid, kind, rest = match.groups()
        if kind == "id" and re.fullmatch(r"0[xX][0-9A-Fa-f]+", rest):
            rest = "0x%04X" % int(rest, 16)
        return "named:%s:%s:%s" % (guid.upper(), kind, rest)
    raise UsageError("--exclude wants 0xPPPP or named:{GUID}:id:0xNNNN or named:{GUID}:name:TEXT, "
                     "not %r" % key)


def parse_args(argv):
    check = strict = False
    exclude = set()
    files = []
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--check":
            check = True
        elif arg == "--strict":
            strict = True
        elif arg == "--exclude":
            if not args:
                raise UsageError("--exclude needs a property key")
            exclude.add(normalise_key(args.pop(0)))
        elif arg.startswith("--exclude="):
            exclude.add(normalise_key(arg[len("--exclude="):]))
        elif arg in ("-h", "--help"):
            print(__doc__)
            sys.exit(0)
        elif arg == "--":
            files.extend(args)
            args = []
        elif arg.startswith("-"):
            raise UsageError("unknown option %s" % arg)
        else:
            files.append(arg)
    if len(files) != 1:
        raise UsageError("one .msg file, please")
    return check, strict, exclude, files[0]


def main(argv):
    try:
        check, strict, exclude, path = parse_args(argv)
        try:
            open(path, "rb").close()
        except OSError as e:
            raise UsageError("cannot open %s: %s" % (path, e.strerror))
    except UsageError as e:
        print("msgdump: %s" % e, file=sys.stderr)
        print("usage: msgdump.py [--check] [--strict] [--exclude KEY]... FILE.msg", file=sys.stderr)
        return 2
    try:
        msg = MsgFile(path, strict)
        msg.read_object([], "message", "message", None)
    except Defect as e:
        print("msgdump: %s: %s" % (path, e), file=sys.stderr)
        return 1
    if check:
        return 0
    out = sys.stdout
    for line in sorted(msg.lines):
        if line[1] not in exclude:
            out.write("\t".join(line) + "\n")
    return 0


if __name__ == "__main__":
    sys.stdout.reconfigure(encoding="utf-8", newline="\n")
    sys.exit(main(sys.argv[1:]))
