#!/bin/bash
# Runs the C harness on each built variant: exported symbols, behaviour (under
# valgrind when $VALGRIND names it), and German labels under a German locale (LANGUAGE=de).
#   run-harness.sh BUILD/nautilus BUILD/nemo ...   (each holds libintervm-copy.so and harness)
# Environment: VALGRIND (path or empty), LOCALEDIR (catalogue root for --german).
set -uo pipefail
passed=0 failed=0 skipped=0

count() { # reads harness output, adds its closing line to the totals
    local line
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
    [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)? ]] || { failed=$((failed + 1)); return; }
    passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2])); skipped=$((skipped + ${BASH_REMATCH[4]:-0}))
}

# glibc 2.41 (Debian 13) ignores LANGUAGE while the locale is C or C.UTF-8, so the German labels
# are checked under a real German locale: compiled once into a private folder (LOCPATH) from the
# `locales` package's sources. Without them the check is skipped with that reason.
german_env=()
locales=$(mktemp -d)
trap 'rm -rf "$locales"' EXIT
if command -v localedef >/dev/null && [ -e /usr/share/i18n/locales/de_DE ] \
    && localedef -i de_DE -f UTF-8 "$locales/de_DE.UTF-8" 2>/dev/null; then
    german_env=(LOCPATH="$locales" LC_ALL=de_DE.UTF-8 LANGUAGE=de)
fi

for dir in "$@"; do
    variant=$(basename "$dir")
    module="$dir/libintervm-copy.so"
    out=$(mktemp)

    exported=$(nm -D --defined-only "$module" | awk '$2 ~ /^[TDBRW]$/ {print $3}' | sort | tr '\n' ' ')
    want=$(printf '%s\n' "${variant}_module_initialize" "${variant}_module_list_types" "${variant}_module_shutdown" | sort | tr '\n' ' ')
    if [ "$exported" = "$want" ]; then
        echo "ok - $variant: exports only $want"; passed=$((passed + 1))
    else
        echo "not ok - $variant: exports [$exported], expected [$want]"; failed=$((failed + 1))
    fi

    runner=()
    if [ -n "${VALGRIND:-}" ]; then
        # Memory errors and definite leaks of the module fail the run.
        runner=("$VALGRIND" -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
                --show-leak-kinds=definite)
    fi
    timeout 300 env G_SLICE=always-malloc G_DEBUG=gc-friendly "${runner[@]}" "$dir/harness" "$module" 2>&1 \
        | grep --line-buffered -v -E '^--[0-9]+-- ' | tee "$out"
    rc=${PIPESTATUS[0]}
    count "$out"
    if [ "$rc" != 0 ] && ! grep -q '^not ok' "$out"; then
        echo "not ok - $variant: harness exited $rc (valgrind error 99, timeout 124)"; failed=$((failed + 1))
    fi

    if [ ${#german_env[@]} = 0 ]; then
        echo "skip - $variant: German labels: no de_DE locale could be compiled (Debian package locales)"
        skipped=$((skipped + 1))
    else
        env "${german_env[@]}" timeout 60 "$dir/harness" --german "$module" 2>&1 | tee "$out"
        count "$out"
    fi
    rm -f "$out"
done
echo "CExtension: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
