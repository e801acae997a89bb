#!/bin/sh
# Builds the Debian packages (debian/) with dpkg-buildpackage -us -uc -b, puts the .deb,
# .buildinfo and .changes files in OUT_DIR (default build/deb) instead of the parent folder,
# and runs lintian over them (errors fail the build; warnings are listed).
# The Swift toolchain on PATH builds the programs (see debian/rules).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "${1:-build/deb}"
out=$(cd "${1:-build/deb}" && pwd)
cd "$top"
if ! dpkg-checkbuilddeps; then
    echo "$0: install the build dependencies above (apt-get install ...), plus debhelper dpkg-dev fakeroot lintian" >&2
    exit 1
fi
command -v swift >/dev/null || { echo "$0: swift is not on PATH (the Swift toolchain is not a Debian package)" >&2; exit 1; }
version=$(dpkg-parsechangelog -S Version)
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
rm -f "$out"/*.deb "$out"/*.ddeb "$out"/*.buildinfo "$out"/*.changes
start=$(date +%s)
INTERVM_DEB_DIR="$out" dpkg-buildpackage -us -uc -b --post-clean \
    --buildinfo-file="$out/intervm-copy_${version}_${arch}.buildinfo" \
    --changes-file="$out/intervm-copy_${version}_${arch}.changes" \
    --buildinfo-option=-u"$out" --changes-option=-u"$out"
echo "dpkg-buildpackage took $(($(date +%s) - start)) s"
ls -l "$out"
if command -v lintian >/dev/null; then
    lintian --fail-on error --info "$out/intervm-copy_${version}_${arch}.changes"
else
    echo "$0: lintian is not installed: not checked" >&2
fi
