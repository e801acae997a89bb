#!/usr/bin/env python3
"""The programs on every transfer's path link neither Foundation nor the argument parser
(issue 17 item 7): their start-up is part of the fixed cost of each copy and each open.

  check-transfer-path.py BIN_DIR

For qfile-agent, qfile-unpacker, qopen-in-vm and vm-file-editor: no such module among their
dependencies (`swift package describe`), no libFoundation*.so among the libraries the built
program loads (ldd), and no symbol of those modules in it (demangled nm)."""
import json
import os
import re
import subprocess
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
bin_dir = sys.argv[1]
swift = os.environ.get("SWIFT", "swift")
PROGRAMS = ["qfile-agent", "qfile-unpacker", "qopen-in-vm", "vm-file-editor"]
FORBIDDEN = ["ArgumentParser", "Foundation", "FoundationEssentials", "FoundationInternationalization"]

described = json.loads(subprocess.run([swift, "package", "describe", "--type", "json"], cwd=root,
                                      check=True, capture_output=True, text=True).stdout)
targets = {target["name"]: target for target in described["targets"]}
failures = []
for program in PROGRAMS:
    linked, products, pending = set(), set(), [program]
    while pending:
        name = pending.pop()
        if name not in linked:
            linked.add(name)
            pending += targets[name].get("target_dependencies", [])
            products.update(targets[name].get("product_dependencies", []))
    for module in sorted((linked | products) & set(FORBIDDEN)):
        failures.append(f"{program} depends on {module}")
    path = os.path.join(bin_dir, program)
    libraries = subprocess.run(["ldd", path], capture_output=True, text=True).stdout
    for library in re.findall(r"lib(Foundation\w*)\.so", libraries):
        failures.append(f"{program} loads lib{library}.so")
    symbols = subprocess.run(f"nm '{path}' | {swift} demangle", shell=True, check=True, capture_output=True, text=True).stdout
    found = sorted(set(re.findall(r"\b(" + "|".join(FORBIDDEN) + r")\.", symbols)))
    if found:
        failures.append(f"{program} holds symbols of {', '.join(found)}")
    print(f"{program}: modules {', '.join(sorted(linked))}; packages {', '.join(sorted(products)) or 'none'}")
for failure in failures:
    print(f"FAIL: {failure}")
sys.exit(1 if failures else 0)
