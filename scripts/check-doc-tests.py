#!/usr/bin/env python3
"""Fails when a document names a test that no longer exists.

Every `SuiteTests` or `SuiteTests.testName` written in backticks in README.md and docs/*.md must
be a type declared under Tests/ (struct, class, enum or extension), and `testName` a function
declared in a file that declares or extends that type."""
import glob
import os
import re
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sources = {}
for path in glob.glob(os.path.join(root, "Tests", "**", "*.swift"), recursive=True):
    with open(path, encoding="utf-8") as swift:
        sources[path] = swift.read()

def files_of(suite):
    declaration = re.compile(r"\b(?:struct|class|enum|extension)\s+" + re.escape(suite) + r"\b")
    return [text for text in sources.values() if declaration.search(text)]

missing = []
for document in [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "*.md"))):
    with open(document, encoding="utf-8") as text:
        for number, line in enumerate(text, 1):
            for suite, test in re.findall(r"`([A-Z][A-Za-z0-9]*Tests)(?:\.([A-Za-z_][A-Za-z0-9_]*))?[^`]*`", line):
                files = files_of(suite)
                name = suite + ("." + test if test else "")
                if not files:
                    missing.append(f"{os.path.relpath(document, root)}:{number}: no test suite {suite}")
                elif test and not any(re.search(r"\bfunc\s+" + re.escape(test) + r"\b", text) for text in files):
                    missing.append(f"{os.path.relpath(document, root)}:{number}: no test {name}")
for line in missing:
    print(line)
print(f"check-doc-tests: {len(missing)} missing")
sys.exit(1 if missing else 0)
