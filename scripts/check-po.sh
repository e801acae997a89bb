#!/usr/bin/env bash
# Checks the translations (make check-po): every source with translatable calls is in po/POTFILES,
# po/intervm-copy.pot matches the sources, and every language in po/LINGUAS is valid
# (msgfmt -c --check-format) and complete (no untranslated or fuzzy entry, nothing missing).
set -euo pipefail
cd "$(dirname "$0")/.."
pot=po/intervm-copy.pot
failed=0
fail() { echo "check-po: $*" >&2; failed=1; }

listed=$(grep -v -e '^#' -e '^[[:space:]]*$' po/POTFILES)
# A call with a literal: tr("...", trn("...", _("...", N_("...", C_("...", g_dgettext(D, "...",
# or tr( at the end of a line (a multi-line literal follows). Test harnesses (*/tests/*) are not shipped.
while IFS= read -r file; do
    grep -qxF "$file" <<<"$listed" || fail "$file has translatable strings but is not in po/POTFILES"
done < <(find Sources CExtension -type f \( -name '*.swift' -o -name '*.c' -o -name '*.h' \) -not -path '*/tests/*' 2>/dev/null |
    sort | xargs -r perl -0777 -ne \
    'print "$ARGV\n" if /\b(?:trn?|_|N_|C_)\(\s*#*"|\btrn?\(\s*$|\bg_d?n?gettext\s*\([^,()]*,\s*"/m'; find data -name '*.desktop' -o -name '*uca.xml' 2>/dev/null | sort)

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
scripts/po-extract.sh "$scratch/fresh.pot"
# Compared as sorted entries without source references, so moving code does not count.
entries() { msgcat --no-location --sort-output --no-wrap "$1" | grep -v '^"POT-Creation-Date:'; }
if ! diff -u <(entries "$pot") <(entries "$scratch/fresh.pot") > "$scratch/pot.diff"; then
    head -40 "$scratch/pot.diff" >&2
    fail "$pot is out of date: run make update-po and translate what is new"
fi

strings=$(msgattrib --no-obsolete "$pot" | grep -c '^msgid ' || true)
for lang in $(grep -v -e '^#' -e '^[[:space:]]*$' po/LINGUAS); do
    po=po/$lang.po
    [ -f "$po" ] || { fail "$po is missing"; continue; }
    grep -q '^"Language: '"$lang"'\\n"' "$po" || fail "$po: the Language header is not $lang"
    stats=$(msgfmt -c --check-format --statistics -o /dev/null "$po" 2>&1) || { fail "$po: $stats"; continue; }
    [[ "$stats" =~ ^[0-9]+\ translated\ messages?\.$ ]] || fail "$po: $stats"
    msgcmp "$po" "$pot" 2>"$scratch/msgcmp" || fail "$po lacks entries of the template: $(head -5 "$scratch/msgcmp")"
    plural=$(grep -o '^"Plural-Forms: nplurals=[0-9]' "$po" | grep -o '[0-9]$' || true)
    case "$lang" in
        pl|ru) want=3 ;;
        ja|zh_CN) want=1 ;;
        *) want=2 ;;
    esac
    [ "$plural" = "$want" ] || fail "$po: Plural-Forms must have nplurals=$want (has ${plural:-none})"
    # Typography and placeholders: tr() fills %s in order (no %1$s), an ellipsis stays "…",
    # and the English straight quotes around names become the language's own quotation marks.
    msgcat --no-wrap --no-location "$po" | perl -CSD -ne '
        sub check {
            return if $id eq "" || $str eq "";
            push @bad, "positional argument in \"$str\"" if $str =~ /%\d+\$/;
            push @bad, "no ellipsis character in \"$str\"" if $id =~ /…/ && $str !~ /…/;
            push @bad, "straight quotes in \"$str\"" if $id =~ /\\"/ && $str =~ /\\"/;
        }
        if (/^msgid "(.*)"$/) { check(); ($id, $str, $in) = ($1, "", "id"); next }
        if (/^msgstr "(.*)"$/) { ($str, $in) = ($1, "str"); next }
        if (/^"(.*)"$/) { $in eq "id" ? ($id .= $1) : ($str .= $1); next }
        END { check(); print "$_\n" for @bad; exit(@bad ? 1 : 0) }
    ' > "$scratch/style" || fail "$po: $(head -5 "$scratch/style")"
    echo "check-po: $lang ${stats%%.}, template has $((strings - 1))"
done
# The data files built by make mo carry every language.
for data in $(grep '^data/' po/POTFILES); do
    built=build/data/${data#data/}
    [ -f "$built" ] || { fail "$built is missing: run make mo"; continue; }
    for lang in $(grep -v -e '^#' -e '^[[:space:]]*$' po/LINGUAS); do
        grep -q -e "^Name\[$lang\]=" -e "xml:lang=\"$lang\"" "$built" || fail "$built has no $lang text"
    done
done
[ "$failed" = 0 ] || exit 1
echo "check-po: all translations complete"
