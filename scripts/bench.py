#!/usr/bin/env python3
"""make bench: time qfile-agent | qfile-unpacker against tar | tar, cp -a and cat | cat.

Every shape is copied several times by each contender in the same run; the table reports
medians, the ratio against the peer named in the issue's targets, and the peak RSS of each
side (from wait4's rusage). Every timed command ends with a syncfs of the destination
(`sync -f`), because our receiver does one and the peers do not.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

KIB, MIB = 1024, 1024 * 1024


def make_shapes(root, repo, quick):
    """Creates the four shapes under root; returns {name: (path, description)}."""
    shapes = {}
    scale = 10 if quick else 1
    a = os.path.join(root, "a-small-files")
    os.makedirs(a)
    block = os.urandom(4 * KIB)
    for d in range(200 // scale):
        folder = os.path.join(a, f"dir{d:03}")
        os.mkdir(folder)
        for f in range(100):
            with open(os.path.join(folder, f"file{f:03}.bin"), "wb") as out:
                out.write(block)
    shapes["a"] = (a, f"{20000 // scale} files of 4 KiB in {200 // scale} folders")

    b = os.path.join(root, "b-big-file")
    os.makedirs(b)
    size = (512 // scale) * MIB
    chunk = os.urandom(MIB)
    with open(os.path.join(b, "big.bin"), "wb") as out:
        for _ in range(size // MIB):
            out.write(chunk)
    shapes["b"] = (b, f"one {size // MIB} MiB file")

    c = os.path.join(root, "c-empty-files")
    os.makedirs(c)
    for d in range(200 // scale):
        folder = os.path.join(c, f"dir{d:03}")
        os.mkdir(folder)
        for f in range(1000):
            open(os.path.join(folder, f"e{f:04}"), "wb").close()
    shapes["c"] = (c, f"{200000 // scale} empty files")

    d = os.path.join(root, "d-mixed-tree")
    os.makedirs(d)
    files = subprocess.run(["git", "-C", repo, "ls-files", "-z"], capture_output=True, check=True).stdout.split(b"\0")
    copies = 10 // scale if not quick else 2
    for copy in range(copies):
        for name in filter(None, files):
            source = os.path.join(repo.encode(), name)
            target = os.path.join(d.encode(), f"copy{copy}".encode(), name)
            if os.path.isfile(source) and not os.path.islink(source):
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copy2(source, target)
    shapes["d"] = (d, f"this repository copied {copies} times")
    return shapes


def wait_all(processes):
    """Waits for every process; returns the largest peak RSS in KiB of each, in order."""
    peaks = {}
    pending = {p.pid: p for p in processes}
    while pending:
        pid, status, usage = os.wait4(-1, 0)
        if pid in pending:
            proc = pending.pop(pid)
            proc.returncode = os.waitstatus_to_exitcode(status)
            peaks[pid] = usage.ru_maxrss
    for p in processes:
        if p.returncode != 0:
            raise RuntimeError(f"{p.args} exited with {p.returncode}")
    return [peaks[p.pid] for p in processes]


def ours(bin_dir, source, dest):
    to_receiver_r, to_receiver_w = os.pipe()
    to_sender_r, to_sender_w = os.pipe()
    receiver = subprocess.Popen([os.path.join(bin_dir, "qfile-unpacker"), str(os.getuid()), dest],
                                stdin=to_receiver_r, stdout=to_sender_w)
    sender = subprocess.Popen([os.path.join(bin_dir, "qfile-agent"), source], stdin=to_sender_r, stdout=to_receiver_w)
    for fd in (to_receiver_r, to_receiver_w, to_sender_r, to_sender_w):
        os.close(fd)
    sender_rss, receiver_rss = wait_all([sender, receiver])
    return sender_rss, receiver_rss


def tar_tar(source, dest):
    parent, name = os.path.split(source)
    reader, writer = os.pipe()
    packer = subprocess.Popen(["tar", "cf", "-", "-C", parent, name], stdout=writer)
    unpacker = subprocess.Popen(["tar", "xf", "-", "-C", dest], stdin=reader)
    os.close(reader)
    os.close(writer)
    return wait_all([packer, unpacker])


def cp_a(source, dest):
    return wait_all([subprocess.Popen(["cp", "-a", source, dest])]) + [0]


def cat_cat(source, dest):
    big = os.path.join(source, "big.bin")
    reader, writer = os.pipe()
    first = subprocess.Popen(["cat", big], stdout=writer)
    with open(os.path.join(dest, "big.bin"), "wb") as out:
        second = subprocess.Popen(["cat"], stdin=reader, stdout=out)
    os.close(reader)
    os.close(writer)
    return wait_all([first, second])


def timed(contender, source, dest_root, runs):
    """Median seconds over runs, and the peak RSS (KiB) of each side."""
    times, peaks = [], [0, 0]
    for _ in range(runs):
        dest = os.path.join(dest_root, "dest")
        if os.path.exists(dest):
            subprocess.run(["chmod", "-R", "u+rwx", dest], check=True)
            shutil.rmtree(dest)
        os.mkdir(dest)
        subprocess.run(["sync", "-f", dest], check=True)
        start = time.perf_counter()
        rss = contender(source, dest)
        subprocess.run(["sync", "-f", dest], check=True)
        times.append(time.perf_counter() - start)
        peaks = [max(x, y) for x, y in zip(peaks, rss)]
    return statistics.median(times), peaks


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bin", required=True, help="folder with release qfile-agent and qfile-unpacker")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="shapes ten times smaller")
    parser.add_argument("--output", default="build/bench.md")
    parser.add_argument("--filesystems", default="/dev/shm,disk")
    args = parser.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    bin_dir = os.path.abspath(args.bin)
    targets = {"a": ("tar | tar", 1.2), "b": ("cat | cat", 1.3), "c": ("tar | tar", 1.5), "d": ("tar | tar", None)}
    lines = ["| file system | shape | contender | median s | ratio | peak RSS sender / receiver |",
             "|---|---|---|---:|---:|---|"]
    summary = []
    for fs in args.filesystems.split(","):
        base = os.path.join(repo, "build") if fs == "disk" else fs
        os.makedirs(base, exist_ok=True)
        root = os.path.join(base, f"bench-{os.getpid()}")
        os.makedirs(root)
        try:
            shapes = make_shapes(os.path.join(root, "src"), repo, args.quick)
            for shape, (source, description) in shapes.items():
                contenders = {"ours": lambda s, d: ours(bin_dir, s, d), "tar | tar": tar_tar, "cp -a": cp_a}
                if shape == "b":
                    contenders["cat | cat"] = cat_cat
                results = {name: timed(run, source, root, args.runs) for name, run in contenders.items()}
                peer, target = targets[shape]
                for name, (seconds, peaks) in results.items():
                    ratio = seconds / results[peer][0]
                    lines.append(f"| {fs} | {shape}: {description} | {name} | {seconds:.3f} | {ratio:.2f}x {peer} "
                                 f"| {peaks[0] // 1024} / {peaks[1] // 1024} MiB |")
                ratio = results["ours"][0] / results[peer][0]
                verdict = "" if target is None else (" (target <= %.1fx: %s)" % (target, "met" if ratio <= target else "MISSED"))
                summary.append(f"{fs} shape {shape} ({description}): ours {results['ours'][0]:.3f} s = "
                               f"{ratio:.2f}x {peer}{verdict}; peak RSS {results['ours'][1][0] // 1024} / "
                               f"{results['ours'][1][1] // 1024} MiB")
                print(summary[-1], flush=True)
        finally:
            subprocess.run(["chmod", "-R", "u+rwx", root])
            shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w") as out:
        out.write("\n".join(lines) + "\n\n" + "\n".join(summary) + "\n")
    print("\n".join(lines))
    print(f"\nwritten to {args.output}")


if __name__ == "__main__":
    sys.exit(main())
