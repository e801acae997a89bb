#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/: the Qubes-made vectors (copied) and small
hand-made hostile streams for fuzz-receiver; names, links, headers and results for fuzz-names.
Run from the checkout: fuzz/make-seeds.py [VECTORS_DIR] (default Tests/Fixtures/qubes)."""
import os
import shutil
import struct
import sys

here = os.path.dirname(os.path.abspath(__file__))
vectors = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "Tests", "Fixtures", "qubes")
FILE, DIR, LINK, FIFO = 0o100644, 0o040755, 0o120777, 0o010644


def header(namelen, mode, filelen, atime=1600000000, ansec=0, mtime=1600000000, mnsec=0):
    return struct.pack("<IIQIIII", namelen, mode, filelen, atime, ansec, mtime, mnsec)


def record(name, mode, body=b"", filelen=None, namelen=None, **times):
    wire = name + b"\0"
    return header(len(wire) if namelen is None else namelen, mode, len(body) if filelen is None else filelen, **times) + wire + body


END = header(0, 0, 0, 0, 0, 0, 0)

receiver = {
    "traversal": record(b"../outside/x", FILE, b"pwned") + END,
    "absolute": record(b"/etc/x", FILE, b"pwned") + END,
    "link-then-write-through": record(b"d", DIR) + record(b"d/l", LINK, b"..") + record(b"d/l/x", FILE, b"x") + END,
    "link-escape": record(b"d", DIR) + record(b"d/l", LINK, b"../../etc") + END,
    "fifo": record(b"p", FIFO) + END,
    "dir-with-length": record(b"d", DIR, filelen=5) + END,
    "huge-namelen": header(0xFFFFFFFF, FILE, 0),
    "huge-filelen": record(b"big", FILE, filelen=1 << 63),
    "cut-in-body": record(b"f", FILE, b"abc", filelen=10),
    "cut-in-header": record(b"f", FILE, b"abc")[:20],
    "bad-nsec": record(b"t", FILE, b"x", mnsec=1000000000) + END,
    "nul-in-name": header(4, FILE, 0) + b"a\0b\0" + END,
    "unterminated-name": header(2, FILE, 0) + b"ab" + END,
    "bidi-name": record("a\u202etxt.exe".encode(), FILE, b"x") + END,
    "nested-closing": record(b"d", DIR) + record(b"d/e", DIR) + record(b"d/e/f", FILE, b"1") + record(b"d/e", 0o040500)
    + record(b"d", 0o040555) + END,
    "same-name-twice": record(b"a", FILE, b"1") + record(b"a", FILE, b"2") + END,
    "setuid": record(b"s", 0o104755, b"#!") + END,
}

names = {
    "plain": b"\0a/b/c.txt",
    "utf8": b"\0" + "Zażółć/gęślą".encode(),
    "allow-all-bidi": b"\1" + "a\u202e".encode(),
    "dotdot": b"\0a/../b",
    "trailing-slash": b"\0a/",
    "overlong": b"\0\xc0\xaf",
    "surrogate": b"\0\xed\xa0\x80",
    "long-component": b"\0" + b"x" * 256,
    "link-ok": b"\0d/e/l\0../a",
    "link-climb": b"\0d/l\0../x",
    "link-dotdot-after-name": b"\0d/e/l\0a/../../x",
    "header-file": b"\0" + record(b"f", FILE, b"x"),
    "header-end": b"\0" + END,
    "result-ok": b"\0" + struct.pack("<IIQI", 0, 0, 0x12345678, 3) + b"abc",
    "result-bad-crc": b"\0" + struct.pack("<IIQ", 28, 0, 1 << 40),
    "result-long-name": b"\0" + struct.pack("<IIQI", 17, 0, 1, 16385),
}


def write(target, seeds):
    folder = os.path.join(here, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(folder, name), "wb") as out:
            out.write(data)
    return folder


folder = write("fuzz-receiver", receiver)
for entry in sorted(os.listdir(os.path.join(vectors, "filecopy"))):
    if entry.endswith(".stream"):
        shutil.copyfile(os.path.join(vectors, "filecopy", entry), os.path.join(folder, "qubes-" + entry))
write("fuzz-names", names)
