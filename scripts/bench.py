#!/usr/bin/env python3
"""make bench: time qfile-agent | qfile-unpacker against tar | tar, cp -a and cat | cat.

Every shape is copied several times by each contender, the contenders taking turns so that
load from elsewhere on the machine falls on all of them alike; the table reports the median,
the spread (fastest and slowest run), the ratio of the medians against the peer named in the
issue's targets, and the peak RSS of each side. Peak RSS comes from `/usr/bin/time -f %M`
wrapping each program (Debian package `time`), so it is the program's own, not that of the
Python process it was forked from. Every timed command ends with a syncfs of the destination
(`sync -f`), because our receiver does one and the peers do not.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

KIB, MIB = 1024, 1024 * 1024


def make_shapes(root, repo, quick):
    """Creates the five shapes under root; returns {name: (path, description)}."""
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

    # The fixed cost of one transfer: two programs start, confine themselves and exchange one
    # small file; what a right-click on one document costs.
    e = os.path.join(root, "e-one-file")
    os.makedirs(e)
    with open(os.path.join(e, "note.txt"), "wb") as out:
        out.write(os.urandom(4 * KIB))
    shapes["e"] = (os.path.join(e, "note.txt"), "one small file end to end (4 KiB)")
    return shapes


TIME = "/usr/bin/time"
PROFILE_HEADING = ("Top costs (one more copy of each shape under `strace -c`, tmpfs: a system call's share of the "
                   "time spent in system calls, and how often it was made):")


class Side:
    """One program of a contender, run under /usr/bin/time to learn its peak RSS."""

    def __init__(self, argv, **popen):
        self.report = tempfile.NamedTemporaryFile(prefix="bench-rss-", delete=False)
        self.report.close()
        self.process = subprocess.Popen([TIME, "-f", "%M", "-o", self.report.name] + argv, **popen)

    def finish(self):
        """Waits; returns the peak RSS in KiB. Raises if the program failed."""
        code = self.process.wait()
        with open(self.report.name) as report:
            lines = report.read().split()
        os.unlink(self.report.name)
        if code != 0:
            raise RuntimeError(f"{self.process.args} exited with {code}: {' '.join(lines)}")
        return int(lines[-1])


def finish_all(sides):
    return [side.finish() for side in sides]


def ours(bin_dir, source, dest):
    to_receiver_r, to_receiver_w = os.pipe()
    to_sender_r, to_sender_w = os.pipe()
    receiver = Side([os.path.join(bin_dir, "qfile-unpacker"), str(os.getuid()), dest],
                    stdin=to_receiver_r, stdout=to_sender_w)
    sender = Side([os.path.join(bin_dir, "qfile-agent"), source], stdin=to_sender_r, stdout=to_receiver_w)
    for fd in (to_receiver_r, to_receiver_w, to_sender_r, to_sender_w):
        os.close(fd)
    return finish_all([sender, receiver])


def tar_tar(source, dest):
    parent, name = os.path.split(source)
    reader, writer = os.pipe()
    packer = Side(["tar", "cf", "-", "-C", parent, name], stdout=writer)
    unpacker = Side(["tar", "xf", "-", "-C", dest], stdin=reader)
    os.close(reader)
    os.close(writer)
    return finish_all([packer, unpacker])


def cp_a(source, dest):
    return finish_all([Side(["cp", "-a", source, dest])]) + [0]


def cat_cat(source, dest):
    big = os.path.join(source, "big.bin")
    reader, writer = os.pipe()
    first = Side(["cat", big], stdout=writer)
    with open(os.path.join(dest, "big.bin"), "wb") as out:
        second = Side(["cat"], stdin=reader, stdout=out)
    os.close(reader)
    os.close(writer)
    return finish_all([first, second])


def fresh(dest):
    """An empty destination, its removal flushed before the clock starts."""
    if os.path.exists(dest):
        subprocess.run(["chmod", "-R", "u+rwx", dest], check=True)
        shutil.rmtree(dest)
    os.mkdir(dest)
    subprocess.run(["sync", "-f", dest], check=True)


def timed_once(contender, source, dest):
    """Seconds for one copy (ending with a syncfs of the destination) and each side's peak RSS."""
    fresh(dest)
    start = time.perf_counter()
    rss = contender(source, dest)
    subprocess.run(["sync", "-f", dest], check=True)
    return time.perf_counter() - start, rss


def timed(contenders, source, dest_root, runs):
    """{name: (median s, fastest s, slowest s, [peak RSS KiB per side])}; the contenders take turns."""
    times = {name: [] for name in contenders}
    peaks = {name: [0, 0] for name in contenders}
    dest = os.path.join(dest_root, "dest")
    for _ in range(runs):
        for name, run in contenders.items():
            seconds, rss = timed_once(run, source, dest)
            times[name].append(seconds)
            peaks[name] = [max(x, y) for x, y in zip(peaks[name], rss)]
    fresh(dest)
    return {name: (statistics.median(t), min(t), max(t), peaks[name]) for name, t in times.items()}


def syscall_profile(bin_dir, source, dest):
    """The top system calls of each side for one copy, from `strace -c` (share of the time spent
    in system calls, and calls per side): where our programs spend their time, since nearly all
    of it is in the kernel. strace slows the copy; only the shares are reported."""
    fresh(dest)
    reports = [tempfile.NamedTemporaryFile(prefix="bench-strace-", delete=False).name for _ in range(2)]
    to_receiver_r, to_receiver_w = os.pipe()
    to_sender_r, to_sender_w = os.pipe()
    strace = lambda report: ["strace", "-c", "-o", report]
    receiver = subprocess.Popen(strace(reports[1]) + [os.path.join(bin_dir, "qfile-unpacker"), str(os.getuid()), dest],
                                stdin=to_receiver_r, stdout=to_sender_w)
    sender = subprocess.Popen(strace(reports[0]) + [os.path.join(bin_dir, "qfile-agent"), source],
                              stdin=to_sender_r, stdout=to_receiver_w)
    for fd in (to_receiver_r, to_receiver_w, to_sender_r, to_sender_w):
        os.close(fd)
    if sender.wait() != 0 or receiver.wait() != 0:
        raise RuntimeError("the profiled copy failed")
    sides = []
    for report in reports:
        rows = []
        with open(report) as text:
            for line in text:
                fields = line.split()
                # "% time  seconds  usecs/call  calls  [errors]  syscall"
                if len(fields) >= 5 and fields[0][0].isdigit() and fields[-1] != "total":
                    rows.append((float(fields[0]), int(fields[3]), fields[-1]))
        os.unlink(report)
        rows.sort(reverse=True)
        sides.append(", ".join(f"{name} {share:.0f}% ({calls})" for share, calls, name in rows[:5]))
    return sides


def mib(kib):
    return f"{kib / 1024:.1f}" if kib else "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bin", required=True, help="folder with release qfile-agent and qfile-unpacker")
    parser.add_argument("--runs", type=int, default=5, help="runs per contender on tmpfs")
    parser.add_argument("--disk-runs", type=int, default=3,
                        help="runs per contender on the disk (200,000 files there take minutes)")
    parser.add_argument("--cp", choices=["none", "tmpfs", "all"], default="tmpfs",
                        help="where to time cp -a as well (default: tmpfs only; on the disk it takes minutes)")
    parser.add_argument("--quick", action="store_true", help="shapes ten times smaller")
    parser.add_argument("--output", default="build/bench.md")
    parser.add_argument("--filesystems", default="/dev/shm,disk")
    parser.add_argument("--shapes", default="a,b,c,d,e")
    parser.add_argument("--small-runs", type=int, default=51,
                        help="runs per contender for shape e (a few milliseconds each, so many)")
    parser.add_argument("--no-profile", action="store_true", help="skip the strace -c profile of each shape")
    args = parser.parse_args()
    if not os.access(TIME, os.X_OK):
        sys.exit(f"bench: {TIME} is missing (Debian package `time`)")
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    bin_dir = os.path.abspath(args.bin)
    targets = {"a": ("tar | tar", 1.2), "b": ("cat | cat", 1.3), "c": ("tar | tar", 1.5), "d": ("tar | tar", None),
               "e": ("tar | tar", 1.5)}
    wanted = args.shapes.split(",")
    lines = [f"Medians of {args.runs} runs on tmpfs and {args.disk_runs} on the disk (spread: fastest - slowest "
             "run); ratio = median / median of the peer.",
             "",
             "| file system | shape | contender | median s | spread s | ratio | peak RSS sender / receiver MiB |",
             "|---|---|---|---:|---:|---:|---|"]
    summary = []
    profiles = []
    can_profile = not args.no_profile and shutil.which("strace") is not None
    for fs in args.filesystems.split(","):
        base = os.path.join(repo, "build") if fs == "disk" else fs
        os.makedirs(base, exist_ok=True)
        root = os.path.join(base, f"bench-{os.getpid()}")
        os.makedirs(root)
        try:
            shapes = make_shapes(os.path.join(root, "src"), repo, args.quick)
            for shape, (source, description) in shapes.items():
                if shape not in wanted:
                    continue
                contenders = {"ours": lambda s, d: ours(bin_dir, s, d), "tar | tar": tar_tar}
                if shape == "b":
                    contenders["cat | cat"] = cat_cat
                if args.cp == "all" or (args.cp == "tmpfs" and fs != "disk"):
                    contenders["cp -a"] = cp_a
                runs = args.small_runs if shape == "e" else args.disk_runs if fs == "disk" else args.runs
                results = timed(contenders, source, root, runs)
                peer, target = targets[shape]
                for name, (median, fastest, slowest, peaks) in results.items():
                    ratio = median / results[peer][0]
                    escaped = lambda text: text.replace("|", "\\|")
                    lines.append(f"| {fs} | {shape}: {description} | {escaped(name)} | {median:.4f} | "
                                 f"{fastest:.2f} - {slowest:.2f} | {ratio:.2f}x {escaped(peer)} | "
                                 f"{mib(peaks[0])} / {mib(peaks[1])} |")
                ours_result = results["ours"]
                ratio = ours_result[0] / results[peer][0]
                if target is None:
                    verdict = ""
                elif fs == "disk":
                    # The targets are for tmpfs; the disk is reported for comparison.
                    verdict = " (the target, <= %.1fx, is for tmpfs)" % target
                else:
                    verdict = " (target <= %.1fx: %s)" % (target, "met" if ratio <= target else "MISSED")
                summary.append(f"- {fs} shape {shape} ({description}): ours {ours_result[0]:.4f} s = "
                               f"{ratio:.2f}x {peer}{verdict}; peak RSS sender {mib(ours_result[3][0])} MiB, "
                               f"receiver {mib(ours_result[3][1])} MiB (target < 32)")
                print(summary[-1], flush=True)
                if can_profile and fs != "disk":
                    sender, receiver = syscall_profile(bin_dir, source, os.path.join(root, "dest"))
                    profiles.append(f"- {fs} shape {shape}: sender {sender}; receiver {receiver}")
        finally:
            subprocess.run(["chmod", "-R", "u+rwx", root])
            shutil.rmtree(root, ignore_errors=True)
    load = os.getloadavg()
    footer = f"Machine: {os.cpu_count()} CPUs, load average at the end {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}."
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w") as out:
        out.write("\n".join(lines) + "\n\n" + "\n".join(summary) + "\n\n" + footer + "\n")
        if profiles:
            out.write("\n" + PROFILE_HEADING + "\n\n" + "\n".join(profiles) + "\n")
    print("\n".join(lines))
    if profiles:
        print("\n" + PROFILE_HEADING + "\n\n" + "\n".join(profiles))
    print("\n" + footer)
    print(f"written to {args.output}")


if __name__ == "__main__":
    sys.exit(main())
