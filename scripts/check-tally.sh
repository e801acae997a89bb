# Sourced by the check scripts: a tally of checks, one line each ("ok" or "FAIL" with details).
# pass WHAT; fail WHAT [DETAILS]; check WHAT COMMAND... (passes when COMMAND succeeds, quietly);
# tally NAME prints "NAME: N passed, N failed" and fails when any check did.
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok    $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1"; [ -z "${2-}" ] || printf '%s\n' "$2" | sed 's/^/      /' | head -40; }
check() { local what=$1; shift; if "$@" >/dev/null 2>&1; then pass "$what"; else fail "$what"; fi; }
tally() { echo "$1: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; }
