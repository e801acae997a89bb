#!/usr/bin/env python3
"""Copies measured figures into the documents, so that no figure there is typed by hand.

  scripts/update-figures.py [--check]

Each `<!-- figures:begin NAME ... -->` ... `<!-- figures:end NAME -->` block in README.md and
docs/*.md is replaced by the table of the matching report: `bench` is `build/bench.md` (written
by `make bench`). With --check nothing is written; the exit status is 1 when a block has no
report or would change."""
import glob
import os
import re
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
reports = {"bench": os.path.join(root, "build", "bench.md")}
block = re.compile(r"(<!-- figures:begin (\w+)[^>]*-->\n)(.*?)(<!-- figures:end \2 -->)", re.S)

def table(report):
    with open(report, encoding="utf-8") as text:
        return "".join(line for line in text if line.startswith("|"))

check = sys.argv[1:] == ["--check"]
stale = []
for document in [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "*.md"))):
    with open(document, encoding="utf-8") as text:
        original = text.read()
    def replace(match):
        report = reports.get(match.group(2))
        if report is None or not os.path.exists(report):
            stale.append(f"{os.path.relpath(document, root)}: no report for block {match.group(2)}")
            return match.group(0)
        return match.group(1) + table(report) + match.group(4)
    updated = block.sub(replace, original)
    if updated != original:
        stale.append(f"{os.path.relpath(document, root)}: figures differ from the reports")
        if not check:
            with open(document, "w", encoding="utf-8") as text:
                text.write(updated)
for line in stale:
    print(line)
sys.exit(1 if check and stale else 0)
