#!/bin/sh
# Removes what `make install` installed: every path in the manifest it recorded, files and
# links first, then the folders it created, deepest first and only when empty (something
# put there by someone else keeps its folder).
# Usage: uninstall.sh MANIFEST   (DESTDIR in the environment, as for install)
set -eu
manifest=${1:?usage: uninstall.sh MANIFEST}
DESTDIR=${DESTDIR-}
if [ ! -f "$DESTDIR$manifest" ]; then
    echo "uninstall: $DESTDIR$manifest not found: nothing was installed with this PREFIX and DESTDIR" >&2
    exit 1
fi
list=$(mktemp)
trap 'rm -f "$list"' EXIT
cp "$DESTDIR$manifest" "$list"
grep -v '/$' "$list" | while IFS= read -r path; do
    case "$path" in /*) ;; *) echo "uninstall: ignoring relative path \"$path\" in the manifest" >&2; continue ;; esac
    rm -f "$DESTDIR$path"
done
grep '/$' "$list" | awk '{ print length($0) "\t" $0 }' | sort -rn | cut -f2- | while IFS= read -r dir; do
    case "$dir" in /*) ;; *) continue ;; esac
    rmdir "$DESTDIR${dir%/}" 2>/dev/null || true
done
echo "removed $(grep -vc '/$' "$list") files"
