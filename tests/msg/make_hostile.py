#!/usr/bin/python3
"""make_hostile.py: .msg files that break the format on purpose, for tests/check_msg_hostile.sh.

Writes the compound files itself (olefile only reads): a small writer of [MS-CFB] version 3
files (512-byte sectors, a mini stream for streams under 4096 bytes, each storage's children in a
valid red-black tree) under a small writer of [MS-OXMSG] messages. First a sound message, good.msg
(properties of most kinds, named properties by id and by name, a recipient, an attachment by
value whose data lives in regular sectors, an embedded message with a recipient of its own), then
each hostile file as good.msg with one thing broken, or built on its own:

  not-compound.msg         text, not a compound file
  truncated.msg            the first half of good.msg's bytes
  dir-loop-siblings.msg    the root's directory tree loops: the left child of the tree's root has
                           both siblings pointing back at that root, so a lookup of a name that
                           sorts before the root goes round for ever unless the reader sees it
  dir-loop-nesting.msg     the directory loops through an ancestor: the embedded message (made to
                           claim an attachment) lists, as a sibling in its own children's tree, the
                           attachment storage that holds it, so that its attachment is that same
                           storage, holding itself, nested without end
  stream-size-lies.msg     the attachment's data stream claims 1 MB more than the file holds
  stream-size-huge.msg     the same stream claims 4 GB - 16 bytes (past what a reader should take)
  props-wrong-length.msg   the message's property stream is 5 bytes longer than its 32-byte header
                           and 16-byte entries
  unknown-type.msg         a property of type 0x0099, which MAPI does not have
  nameid-string-outside.msg  a string name's entry points past the end of the string stream
  nameid-guid-outside.msg  a name's entry names a GUID one past the GUID stream
  same-id-two-types.msg    the message's subject twice, as PT_UNICODE and as PT_STRING8 with
                           another text: MAPI holds one property per id, so which one a reader
                           shows is its own choice (a parser differential, a spoofing aid)
  nested-10000.msg         10,000 embedded messages, each inside the one before (a compound file
                           holds that easily: 5 directory entries a level, 8.5 MB)
  many-properties.msg      655,340 properties on one message, 10 MB: every property id (the
                           32,767 named ones mapped), each under all 10 fixed-size types

usage: make_hostile.py OUTDIR     prints each file's name as it is written
"""
import os
import struct
import sys

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
ENTRY = 128
FREESECT, ENDOFCHAIN, FATSECT, DIFSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC
NOSTREAM = 0xFFFFFFFF
HEADER_DIFAT = 109
RED, BLACK = 0, 1
STORAGE, STREAM, ROOT = 1, 2, 5
PATH_DEPTH = 4


def guid_bytes(text):
    """A GUID as a compound file and MS-OXMSG keep it: the first three fields little-endian."""
    hex_ = text.strip("{}").replace("-", "")
    raw = bytes.fromhex(hex_)
    return raw[3::-1] + raw[5:3:-1] + raw[7:5:-1] + raw[8:]


CLSID_MAIL_MESSAGE = guid_bytes("00020D0B-0000-0000-C000-000000000046")
PS_MAPI = guid_bytes("00020328-0000-0000-C000-000000000046")
PS_PUBLIC_STRINGS = guid_bytes("00020329-0000-0000-C000-000000000046")
PSETID_COMMON = guid_bytes("00062008-0000-0000-C000-000000000046")
PS_INTERNET_HEADERS = guid_bytes("00020386-0000-0000-C000-000000000046")

# ---- the compound file ----


class Stream:
    def __init__(self, name, data):
        self.name, self.data = name, bytes(data)


class Storage:
    def __init__(self, name, children=(), clsid=bytes(16)):
        self.name, self.children, self.clsid = name, list(children), clsid

    def find(self, name):
        return next(c for c in self.children if c.name == name)


class Entry:
    def __init__(self, node, kind):
        self.node, self.kind = node, kind
        self.left = self.right = self.child = NOSTREAM
        self.color = BLACK
        self.start, self.size = ENDOFCHAIN, 0


def sort_key(name):
    """[MS-CFB] 2.6.4: a shorter name sorts first; names of one length by their upper case."""
    return (len(name), name.upper())


def red_black(ids, entries):
    """A balanced tree of ids (sorted) as a valid red-black tree: the fullest levels black, and the
    last level red unless the tree is that level alone. The root's id, NOSTREAM for none."""
    depth_of = {}

    def build(lo, hi, depth):
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        node = ids[mid]
        depth_of[node] = depth
        entries[node].left = build(lo, mid, depth + 1)
        entries[node].right = build(mid + 1, hi, depth + 1)
        return node

    root = build(0, len(ids), 0)
    deepest = max(depth_of.values(), default=0)
    for node, depth in depth_of.items():
        entries[node].color = RED if depth == deepest and depth > 0 else BLACK
    if root != NOSTREAM:  # every path from the root to a leaf passes as many black entries
        heights = set()

        def walk(node, blacks):
            if node == NOSTREAM:
                heights.add(blacks)
                return
            e = entries[node]
            walk(e.left, blacks + (e.color == BLACK))
            walk(e.right, blacks + (e.color == BLACK))

        walk(root, 0)
        assert len(heights) == 1, "not a red-black tree"
    return root


def directory(root):
    """Every entry, the root first, each storage's children in a red-black tree of their own, and
    the index of each entry at most PATH_DEPTH storages down by its path (what patches need; all of
    them would be quadratic in a nested file's depth). Walks with a list, not recursion: a nested
    file is 20,000 storages deep."""
    entries = [Entry(root, ROOT)]
    paths = {(): 0}
    pending = [(root, 0, ())]
    while pending:
        storage, sid, path = pending.pop()
        kids = sorted(storage.children, key=lambda k: sort_key(k.name))
        ids = []
        for kid in kids:
            entries.append(Entry(kid, STORAGE if isinstance(kid, Storage) else STREAM))
            ids.append(len(entries) - 1)
            kid_path = path + (kid.name,) if path is not None and len(path) < PATH_DEPTH else None
            if kid_path is not None:
                paths[kid_path] = ids[-1]
            if isinstance(kid, Storage):
                pending.append((kid, ids[-1], kid_path))
        entries[sid].child = red_black(ids, entries)
    return entries, paths


def sectors_for(size, unit):
    return (size + unit - 1) // unit


def write_cfb(root, patch=None):
    """The compound file's bytes. patch(entries, paths) may change directory entries once the
    layout is done (paths: a tuple of names from the root -> the entry's index)."""
    entries, paths = directory(root)

    # Streams under the cutoff in the mini stream, the others in sectors of their own.
    mini, minifat, big = bytearray(), [], []
    for e in entries:
        if e.kind != STREAM:
            continue
        data = e.node.data
        e.size = len(data)
        if not data:
            continue
        if len(data) < MINI_CUTOFF:
            count = sectors_for(len(data), MINI_SECTOR)
            e.start = len(minifat)
            minifat += [e.start + i + 1 for i in range(count - 1)] + [ENDOFCHAIN]
            mini += data + bytes(count * MINI_SECTOR - len(data))
        else:
            big.append(e)

    n_dir = sectors_for(len(entries) * ENTRY, SECTOR)
    n_minifat = sectors_for(len(minifat) * 4, SECTOR)
    n_mini = sectors_for(len(mini), SECTOR)
    n_big = sum(sectors_for(e.size, SECTOR) for e in big)
    content = n_dir + n_minifat + n_mini + n_big
    n_fat = n_difat = 0
    while True:  # the FAT maps itself and the DIFAT too
        fat = sectors_for(content + n_fat + n_difat, SECTOR // 4)
        difat = sectors_for(max(0, fat - HEADER_DIFAT), SECTOR // 4 - 1)
        if (fat, difat) == (n_fat, n_difat):
            break
        n_fat, n_difat = fat, difat

    # Sectors in order: the FAT, the DIFAT, the directory, the mini FAT, the mini stream, big streams.
    fat = [FATSECT] * n_fat + [DIFSECT] * n_difat
    next_sector = n_fat + n_difat

    def chain(count):
        nonlocal next_sector
        if not count:
            return ENDOFCHAIN
        start = next_sector
        fat.extend([start + i + 1 for i in range(count - 1)] + [ENDOFCHAIN])
        next_sector += count
        return start

    dir_start = chain(n_dir)
    minifat_start = chain(n_minifat)
    entries[0].start = chain(n_mini)
    entries[0].size = len(mini)
    for e in big:
        e.start = chain(sectors_for(e.size, SECTOR))
    fat += [FREESECT] * (n_fat * (SECTOR // 4) - len(fat))

    if patch:
        patch(entries, paths)

    header = bytearray(SECTOR)
    struct.pack_into("<8s16sHHHHH6sIIIIIIIII", header, 0, bytes.fromhex("D0CF11E0A1B11AE1"), bytes(16),
                     0x003E, 0x0003, 0xFFFE, 9, 6, bytes(6), 0, n_fat, dir_start, 0, MINI_CUTOFF,
                     minifat_start, n_minifat, n_fat if n_difat else ENDOFCHAIN, n_difat)
    fat_ids = list(range(n_fat))
    in_header = fat_ids[:HEADER_DIFAT]
    struct.pack_into("<109I", header, 76, *(in_header + [FREESECT] * (HEADER_DIFAT - len(in_header))))
    out = bytearray(header)
    out += struct.pack("<%dI" % len(fat), *fat)
    rest = fat_ids[HEADER_DIFAT:]
    for i in range(n_difat):
        ids = rest[i * 127:(i + 1) * 127]
        ids += [FREESECT] * (127 - len(ids))
        out += struct.pack("<128I", *ids, n_fat + i + 1 if i + 1 < n_difat else ENDOFCHAIN)

    dir_bytes = bytearray()
    for e in entries:
        name = ("Root Entry" if e.kind == ROOT else e.node.name).encode("utf-16-le")
        assert len(name) <= 62, e.node.name
        clsid = e.node.clsid if e.kind != STREAM else bytes(16)
        dir_bytes += struct.pack("<64sHBBIII16sIQQIQ", name, len(name) + 2, e.kind, e.color, e.left, e.right,
                                 e.child, clsid, 0, 0, 0, e.start, e.size)
    empty = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, bytes(16), 0, 0, 0, 0, 0)
    while len(dir_bytes) % SECTOR:
        dir_bytes += empty
    out += dir_bytes
    minifat_bytes = struct.pack("<%dI" % len(minifat), *minifat)
    out += minifat_bytes + b"\xff" * (n_minifat * SECTOR - len(minifat_bytes))
    out += mini + bytes(n_mini * SECTOR - len(mini))
    for e in big:  # the data itself, whatever size a patch made its entry claim
        size = len(e.node.data)
        out += e.node.data + bytes(sectors_for(size, SECTOR) * SECTOR - size)
    assert len(out) == SECTOR * (1 + next_sector)
    return bytes(out)


# ---- the message ----

PT_I2, PT_LONG, PT_R4, PT_DOUBLE, PT_CURRENCY, PT_APPTIME = 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007
PT_ERROR, PT_BOOLEAN, PT_OBJECT, PT_I8, PT_UNICODE, PT_SYSTIME = 0x000A, 0x000B, 0x000D, 0x0014, 0x001F, 0x0040
PT_BINARY, MV = 0x0102, 0x1000
FIXED = {PT_I2: "<h", PT_LONG: "<I", PT_R4: "<f", PT_DOUBLE: "<d", PT_CURRENCY: "<q", PT_APPTIME: "<d",
         PT_ERROR: "<I", PT_BOOLEAN: "<H", PT_I8: "<q", PT_SYSTIME: "<Q"}
TOP, EMBEDDED, CHILD = 32, 24, 8
READABLE_WRITABLE = 0x6
PROPS = "__properties_version1.0"
NAMEID = "__nameid_version1.0"


def substg(tag, index=None):
    return "__substg1.0_%08X" % tag if index is None else "__substg1.0_%08X-%08X" % (tag, index)


def unicode(text):
    return text.encode("utf-16-le")


def message_storage(name, header, props, recipients=(), attachments=(), clsid=bytes(16)):
    """A message, recipient or attachment storage. props: (tag, value) pairs; a fixed-size value a
    number, PT_UNICODE a str, PT_BINARY bytes, a multi-valued one a list, PT_OBJECT a Storage (the
    embedded message, named for the tag here)."""
    entries, streams = bytearray(), []
    for tag, value in props:
        ptype = tag & 0xFFFF
        if ptype in FIXED:
            field = struct.pack(FIXED[ptype], value) + bytes(8 - struct.calcsize(FIXED[ptype]))
        elif ptype == PT_UNICODE:
            streams.append(Stream(substg(tag), unicode(value)))
            field = struct.pack("<II", len(unicode(value)) + 2, 0)  # the size counts the terminator
        elif ptype == PT_BINARY:
            streams.append(Stream(substg(tag), value))
            field = struct.pack("<II", len(value), 0)
        elif ptype == PT_OBJECT:
            value.name = substg(tag)
            streams.append(value)
            field = struct.pack("<II", 0xFFFFFFFF, 0)
        elif ptype == MV | PT_UNICODE:
            lengths = bytearray()
            for i, text in enumerate(value):
                streams.append(Stream(substg(tag, i), unicode(text) + b"\0\0"))
                lengths += struct.pack("<I", len(unicode(text)) + 2)
            streams.append(Stream(substg(tag), lengths))
            field = struct.pack("<II", len(lengths), 0)
        elif ptype & MV and (ptype & ~MV) in FIXED:
            data = b"".join(struct.pack(FIXED[ptype & ~MV], v) for v in value)
            streams.append(Stream(substg(tag), data))
            field = struct.pack("<II", len(data), 0)
        else:
            raise ValueError("no writer for type 0x%04X" % ptype)
        entries += struct.pack("<II", tag, READABLE_WRITABLE) + field
    head = bytes(8)
    if header > CHILD:
        n_recip, n_attach = len(recipients), len(attachments)
        head += struct.pack("<IIII", n_recip, n_attach, n_recip, n_attach) + bytes(header - 24)
    children = [Stream(PROPS, head + entries)] + streams
    children += [message_storage("__recip_version1.0_#%08X" % i, CHILD, r) for i, r in enumerate(recipients)]
    children += [message_storage("__attach_version1.0_#%08X" % i, CHILD, a) for i, a in enumerate(attachments)]
    return Storage(name, children, clsid)


def name_crc(data):
    """[MS-OXMSG] 2.2.3.1.2's CRC-32 of a string name: reflected, from 0, no final XOR."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xEDB88320 if crc & 1 else crc >> 1
    return crc


def nameid_storage(names):
    """The named-property mapping of names: (guid bytes, id number or name str) in id order."""
    guids, entries, strings = bytearray(), bytearray(), bytearray()
    buckets = {}
    for index, (guid, key) in enumerate(names):
        if guid == PS_MAPI:
            guid_index = 1
        elif guid == PS_PUBLIC_STRINGS:
            guid_index = 2
        else:
            if guid not in bytes(guids):
                guids += guid
            guid_index = 3 + bytes(guids).index(guid) // 16
        is_string = isinstance(key, str)
        kind = index << 16 | guid_index << 1 | is_string
        if is_string:
            entries += struct.pack("<II", len(strings), kind)
            strings += struct.pack("<I", len(unicode(key))) + unicode(key)
            strings += bytes(-len(strings) % 4)
            hash_key = name_crc(unicode(key))
        else:
            entries += struct.pack("<II", key, kind)
            hash_key = key
        bucket = 0x1000 + (hash_key ^ (guid_index << 1 | is_string)) % 0x1F
        buckets.setdefault(bucket, bytearray()).extend(struct.pack("<II", hash_key, kind))
    children = [Stream("__substg1.0_00020102", guids), Stream("__substg1.0_00030102", entries),
                Stream("__substg1.0_00040102", strings)]
    children += [Stream("__substg1.0_%04X0102" % b, data) for b, data in sorted(buckets.items())]
    return Storage(NAMEID, children)


NAMES = [(PSETID_COMMON, 0x8580), (PS_PUBLIC_STRINGS, "Keywords"), (PS_INTERNET_HEADERS, "x-hostile-test")]
ATTACHMENT_DATA = bytes((i * 7 + 3) % 251 for i in range(20000))  # past the mini-stream cutoff


def good_message():
    recipient = [(0x0C150003, 1), (0x3001001F, "Hostile Tester"), (0x3002001F, "SMTP"),
                 (0x3003001F, "tester@example.com")]
    inner = message_storage("", EMBEDDED,
                            [(0x001A001F, "IPM.Note"), (0x0037001F, "the embedded message"),
                             (0x1000001F, "The embedded message's body.")],
                            recipients=[recipient], clsid=CLSID_MAIL_MESSAGE)
    by_value = [(0x37050003, 1), (0x3001001F, "data.bin"), (0x3704001F, "data.bin"),
                (0x3707001F, "data.bin"), (0x37010102, ATTACHMENT_DATA)]
    embedded = [(0x37050003, 5), (0x3001001F, "the embedded message"), (0x3701000D, inner)]
    props = [(0x001A001F, "IPM.Note"), (0x0037001F, "hostile test base"),
             (0x1000001F, "The base message of tests/check_msg_hostile.sh.\r\n"),
             (0x0C1A001F, "Hostile Sender"), (0x0C1F001F, "sender@example.com"),
             (0x00170003, 1), (0x0E070003, 1), (0x00390040, 0x01DC_6000_0000_0000),
             (0x0E060040, 0x01DC_6000_1000_0000), (0x3FDE0003, 65001), (0x0E1F000B, 1),
             (0x00710102, bytes(range(22))), (0x67001003, [1, 2, 3]),
             (0x80000003, 7), (0x8001101F, ["alpha", "beta"]), (0x8002001F, "yes")]
    root = message_storage("", TOP, props, recipients=[recipient], attachments=[embedded, by_value],
                           clsid=CLSID_MAIL_MESSAGE)
    root.children.append(nameid_storage(NAMES))
    return root


def nested_message(levels):
    """levels embedded messages, each the only attachment of the one before; built from the
    inside out."""
    inner = message_storage("", EMBEDDED, [(0x0037001F, "level %d" % levels)], clsid=CLSID_MAIL_MESSAGE)
    for level in range(levels - 1, -1, -1):
        attachment = [(0x37050003, 5), (0x3701000D, inner)]
        header = TOP if level == 0 else EMBEDDED
        inner = message_storage("", header, [(0x0037001F, "level %d" % level)], attachments=[attachment],
                                clsid=CLSID_MAIL_MESSAGE)
    return inner


def many_properties():
    """Every fixed-size type at every property id, 0x0001 to 0xFFFE: 655,340 entries, the named
    ids (from 0x8000) each given a name by the mapping. Each id is there under 10 types, which
    MAPI cannot hold (a property is its id); a reader that checks for that refuses the file at
    its second entry, one that does not must cope with 655,340 properties."""
    types = [PT_I2, PT_LONG, PT_R4, PT_DOUBLE, PT_CURRENCY, PT_APPTIME, PT_ERROR, PT_BOOLEAN, PT_I8, PT_SYSTIME]
    entries = bytearray(TOP)
    entry = struct.Struct("<IIQ")
    for prop_id in range(0x0001, 0xFFFF):
        for ptype in types:
            entries += entry.pack(prop_id << 16 | ptype, READABLE_WRITABLE, 0)
    names = nameid_storage([(PSETID_COMMON, 0x10000 + i) for i in range(0x7FFF)])
    return Storage("", [Stream(PROPS, entries), names], CLSID_MAIL_MESSAGE)


def two_subjects():
    """good.msg with a second subject: PR_SUBJECT_A after its PR_SUBJECT_W, another text."""
    root = good_message()
    props = root.find(PROPS)
    props.data += struct.pack("<IIQ", 0x0037001E, READABLE_WRITABLE, len(b"another subject") + 1)
    root.children.append(Stream(substg(0x0037001E), b"another subject"))
    return root


def changed(stream_path, change):
    """good.msg with one stream's bytes given to change(bytes) -> bytes."""
    root = good_message()
    storage = root
    for name in stream_path[:-1]:
        storage = storage.find(name)
    stream = storage.find(stream_path[-1])
    stream.data = change(stream.data)
    return write_cfb(root)


def loop_siblings(entries, paths):
    tree_root = entries[0].child
    left = entries[tree_root].left
    entries[left].left = entries[left].right = tree_root


def loop_nesting_message():
    """good.msg with its embedded message claiming one attachment (as the header's next id and
    count), so that a reader looks for it; loop_nesting makes the lookup find the ancestor."""
    root = good_message()
    props = root.find("__attach_version1.0_#00000000").find("__substg1.0_3701000D").find(PROPS)
    props.data = props.data[:12] + struct.pack("<I", 1) + props.data[16:20] + struct.pack("<I", 1) + props.data[24:]
    return root


def loop_nesting(entries, paths):
    attachment = paths[("__attach_version1.0_#00000000",)]
    inner = paths[("__attach_version1.0_#00000000", "__substg1.0_3701000D")]
    # The last entry of the inner storage's own tree (the one sorting last) gets as its right
    # sibling the storage holding it: "__attach_version1.0_#00000000", longer than any name there,
    # looked up in the inner storage goes right all the way, and finds that ancestor.
    last = entries[inner].child
    while entries[last].right != NOSTREAM:
        last = entries[last].right
    entries[last].right = attachment


def size_lie(claimed):
    def patch(entries, paths):
        entries[paths[("__attach_version1.0_#00000001", "__substg1.0_37010102")]].size = claimed(entries)
    return patch


def hostile_files():
    good = write_cfb(good_message())
    nameid_entries = (NAMEID, "__substg1.0_00030102")
    yield "good.msg", good
    yield "not-compound.msg", b"This is a text file, not a compound file.\r\nSubject: hello\r\n"
    yield "truncated.msg", good[:len(good) // 2]
    yield "dir-loop-siblings.msg", write_cfb(good_message(), loop_siblings)
    yield "dir-loop-nesting.msg", write_cfb(loop_nesting_message(), loop_nesting)
    yield "stream-size-lies.msg", write_cfb(good_message(), size_lie(lambda e: len(good) + (1 << 20)))
    yield "stream-size-huge.msg", write_cfb(good_message(), size_lie(lambda e: 0xFFFFFFF0))
    yield "props-wrong-length.msg", changed((PROPS,), lambda data: data + bytes(5))
    yield "unknown-type.msg", changed((PROPS,), lambda data: data + struct.pack("<IIQ", 0x66660099,
                                                                                READABLE_WRITABLE, 0))
    # Name 1 ("Keywords", a string name): its offset moved past the string stream's end.
    yield "nameid-string-outside.msg", changed(nameid_entries, lambda data: data[:8] + struct.pack("<I", 0x10000)
                                               + data[12:])
    # Name 2's GUID index made one past the GUID stream's GUIDs (those other than PS_MAPI and
    # PS_PUBLIC_STRINGS, numbered from 3).
    past = 3 + len({guid for guid, _ in NAMES if guid not in (PS_MAPI, PS_PUBLIC_STRINGS)})
    yield "nameid-guid-outside.msg", changed(nameid_entries, lambda data: data[:20] + struct.pack(
        "<I", (struct.unpack_from("<I", data, 20)[0] & ~0xFFFE) | past << 1) + data[24:])
    yield "same-id-two-types.msg", write_cfb(two_subjects())
    yield "nested-10000.msg", write_cfb(nested_message(10000))
    yield "many-properties.msg", write_cfb(many_properties())


def main(argv):
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    os.makedirs(argv[0], exist_ok=True)
    for name, data in hostile_files():
        with open(os.path.join(argv[0], name), "wb") as f:
            f.write(data)
        print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
