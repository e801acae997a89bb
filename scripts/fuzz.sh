#!/usr/bin/env bash
# Builds the libFuzzer targets (release, -sanitize=fuzzer,address, in .build-fuzz) and runs each
# for SECONDS seconds from its seed corpus (fuzz/corpus/TARGET) with fuzz/filecopy.dict.
# New inputs go to .build-fuzz/corpus/TARGET (kept between runs); crashes to
# .build-fuzz/artifacts/TARGET/. Prints libFuzzer's final lines for each target and fails if any
# target crashed. Usage: scripts/fuzz.sh SECONDS [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: scripts/fuzz.sh SECONDS [TARGET...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz-receiver fuzz-names fuzz-openinvm)
swift=${SWIFT:-swift}
flags=(-c release --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING)
for target in "${targets[@]}"; do
    "$swift" build "${flags[@]}" --product "$target" 2>&1 | grep -v '^\[' || true
done
bin=$("$swift" build "${flags[@]}" --show-bin-path)
status=0
# Let AddressSanitizer report a crash; Swift's own backtracer trips over ASan's shadow memory.
export SWIFT_BACKTRACE=enable=no
for target in "${targets[@]}"; do
    work=.build-fuzz/corpus/$target
    artifacts=.build-fuzz/artifacts/$target
    log=.build-fuzz/$target.log
    mkdir -p "$work" "$artifacts"
    # -timeout: one input may take at most 10 s; -rss_limit_mb: a leak or a huge allocation is a finding.
    if "$bin/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -dict=fuzz/filecopy.dict -artifact_prefix="$artifacts/" "$work" "fuzz/corpus/$target" >"$log" 2>&1; then
        result=ok
    else
        result="FAILED (see $log; the input is in $artifacts/, add it to fuzz/regressions/$target/)"
        status=1
    fi
    echo "== $target: $result"
    grep -E '^#[0-9]+[[:space:]]+(DONE|INITED)|^Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb|ERROR|SUMMARY' "$log" || true
done
exit $status
