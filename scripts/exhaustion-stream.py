#!/usr/bin/env python3
"""Writes a hand-made qubes.Filecopy stream to stdout, for the resource-exhaustion runs
(scripts/exhaustion.sh). Nothing is created on the sending side.

  exhaustion-stream.py flat N [--size BYTES] [--pause FIFO]
      N files of BYTES bytes (default 0) in folders of 1000 (d0000/f0000000, ...).
  exhaustion-stream.py deep LEVELS [--pause FIFO]
      LEVELS nested folders a/a/a/... (the name limit, 16383 bytes with its NUL, allows 8191).

With --pause, everything but the end header is written and flushed, FIFO.ready is created,
then the generator opens FIFO for reading and waits until a writer closes it before sending the end header: the
receiver can be measured (memory, open descriptors) with every record consumed."""
import argparse
import os
import struct
import sys

FILE, DIR = 0o100644, 0o040755
TIME = 1_600_000_000


def record(name, mode, size=0):
    wire = name + b"\0"
    return struct.pack("<IIQIIII", len(wire), mode, size, TIME, 0, TIME, 0) + wire + b"\0" * size


def flat(count, size):
    for start in range(0, count, 1000):
        folder = b"d%04d" % (start // 1000)
        chunk = [record(folder, DIR)]
        chunk += [record(folder + b"/f%07d" % index, FILE, size) for index in range(start, min(start + 1000, count))]
        chunk.append(record(folder, DIR))
        yield b"".join(chunk)


def deep(levels):
    names = [b"/".join([b"a"] * depth) for depth in range(1, levels + 1)]
    for name in names:
        yield record(name, DIR)
    for name in reversed(names):
        yield record(name, DIR)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("shape", choices=["flat", "deep"])
    parser.add_argument("count", type=int)
    parser.add_argument("--size", type=int, default=0)
    parser.add_argument("--pause")
    options = parser.parse_args()
    out = sys.stdout.buffer
    try:
        for piece in flat(options.count, options.size) if options.shape == "flat" else deep(options.count):
            out.write(piece)
        out.flush()
        if options.pause:
            # Say so (FIFO.ready), then wait for a writer to open and close FIFO.
            open(options.pause + ".ready", "w").close()
            with open(options.pause, "rb") as control:
                control.read()
        out.write(b"\0" * 32)
        out.flush()
    except BrokenPipeError:
        # The receiver stopped reading (a limit, an error): its answer says why.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


main()
