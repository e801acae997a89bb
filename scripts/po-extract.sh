#!/usr/bin/env bash
# Writes the translation template (default po/intervm-copy.pot) from the files in po/POTFILES.
# xgettext has no Swift parser: Swift sources go through scripts/swift-for-xgettext.pl (same line
# numbers, literals in C spelling) into a scratch copy of the tree, and xgettext reads them as C.
# Data files (Dolphin .desktop service menus, Thunar's uca.xml through po/its/) are joined after.
set -euo pipefail
cd "$(dirname "$0")/.."
output=${1:-po/intervm-copy.pot}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
grep -v -e '^#' -e '^[[:space:]]*$' po/POTFILES > "$scratch/.files"
while IFS= read -r file; do
    [ -f "$file" ] || { echo "po/POTFILES names $file, which does not exist" >&2; exit 1; }
    mkdir -p "$scratch/$(dirname "$file")"
    case "$file" in
        *.swift) perl scripts/swift-for-xgettext.pl < "$file" > "$scratch/$file" ;;
        *) cp "$file" "$scratch/$file" ;;
    esac
done < "$scratch/.files"
grep -E '\.(swift|c|h)$' "$scratch/.files" > "$scratch/.code" || true
grep -v -E '\.(swift|c|h)$' "$scratch/.files" > "$scratch/.data" || true
xgettext -L C --from-code=UTF-8 \
    -ktr -ktrn:1,2 -k_ -kN_ -kg_dgettext:2 -kC_:1c,2 \
    --add-comments=TRANSLATORS: --package-name=intervm-copy \
    -D "$scratch" -f "$scratch/.code" -o "$output"
if [ -s "$scratch/.data" ]; then
    GETTEXTDATADIRS="$PWD/po" xgettext -j --from-code=UTF-8 --add-comments=TRANSLATORS: --package-name=intervm-copy \
        -D "$scratch" -f "$scratch/.data" -o "$output"
fi
