#!/usr/bin/env python3
"""The receiver links only what it runs (issue 17 item 2), within the code budget that
docs/SECURITY.md states.

  check-receiver-footprint.py BIN_DIR [PROGRAM]

1. The modules PROGRAM (default qfile-unpacker) depends on, from `swift package describe`:
   none of the forbidden ones (the qrexec stand-in, the dialogs, the argument parser, Foundation).
2. BIN_DIR/PROGRAM's symbol table (demangled, with module names): no symbol of those modules or of the policy,
   simulator or dialog types, and some symbols of its own modules (so a stripped binary fails).
3. Its code size: the lines of its own sources plus every module of this package it links,
   at most the budget in docs/SECURITY.md ("Receiver code budget: N lines")."""
import json
import os
import re
import subprocess
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
bin_dir = sys.argv[1]
program = sys.argv[2] if len(sys.argv) > 2 else "qfile-unpacker"
swift = os.environ.get("SWIFT", "swift")
FORBIDDEN_MODULES = ["FilecopySend", "QrexecLocal", "QrexecClient", "DialogClient", "Dialogs", "ArgumentParser", "Foundation"]
FORBIDDEN_TYPES = ["PolicyRule", "PolicyParser", "LocalVMs", "LocalFiles", "DialogHelper", "AskPrompt", "Sandbox"]
failures = []

described = json.loads(subprocess.run([swift, "package", "describe", "--type", "json"], cwd=root,
                                      check=True, capture_output=True, text=True).stdout)
targets = {target["name"]: target for target in described["targets"]}
linked, products, pending = set(), set(), [program]
while pending:
    name = pending.pop()
    if name in linked:
        continue
    linked.add(name)
    pending += targets[name].get("target_dependencies", [])
    products.update(targets[name].get("product_dependencies", []))
for module in sorted((linked | products) & set(FORBIDDEN_MODULES)):
    failures.append(f"{program} depends on {module}")

symbols = subprocess.run(f"nm '{bin_dir}/{program}' | {swift} demangle", shell=True,
                         check=True, capture_output=True, text=True).stdout.splitlines()
pattern = re.compile(r"\b(" + "|".join(FORBIDDEN_MODULES) + r")\.|\b(" + "|".join(FORBIDDEN_TYPES) + r")\b")
offending = [line for line in symbols if pattern.search(line)]
if offending:
    failures.append(f"{len(offending)} symbols of code the receiver never runs, e.g. " + offending[0].split(" ", 2)[-1][:160])
if not any("Filecopy." in line for line in symbols):
    failures.append(f"{bin_dir}/{program} has no Filecopy symbols: is it stripped?")

def lines_of(target):
    folder = os.path.join(root, target["path"])
    total = 0
    for directory, _, files in os.walk(folder):
        for file in files:
            if file.endswith((".swift", ".c", ".h")):
                with open(os.path.join(directory, file), "rb") as source:
                    total += source.read().count(b"\n")
    return total

sizes = {name: lines_of(targets[name]) for name in sorted(linked)}
total = sum(sizes.values())
with open(os.path.join(root, "docs", "SECURITY.md"), encoding="utf-8") as security:
    budget = re.search(r"Receiver code budget: ([\d,]+) lines", security.read())
if not budget:
    failures.append("docs/SECURITY.md states no \"Receiver code budget: N lines\"")
elif total > int(budget.group(1).replace(",", "")):
    failures.append(f"{total} lines is over the budget of {budget.group(1)} lines in docs/SECURITY.md")

print(f"{program}: {total} lines in " + ", ".join(f"{name} {size}" for name, size in sizes.items())
      + f"; packages: {', '.join(sorted(products)) or 'none'}; {len(symbols)} symbols checked")
for failure in failures:
    print(f"FAIL: {failure}")
sys.exit(1 if failures else 0)
