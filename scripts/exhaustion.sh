#!/usr/bin/env bash
# Resource exhaustion runs of the receiver (docs/RELIABILITY.md): hand-made streams of 100,000
# and 1,000,000 empty files, the same stopped by --max-files and --max-bytes, and 8191 nested
# folders (the deepest the 16383-byte name limit allows), each piped from
# scripts/exhaustion-stream.py into a release qfile-unpacker. Before the end header the stream
# pauses; the receiver, having consumed every record, is then measured: peak memory (VmHWM,
# the high-water mark of its resident memory so far),
# open descriptors (/proc/PID/fd), time so far. Figures go to stdout and to $OUT
# (default .build-exhaustion/figures.txt).
#   BIN=dir   use the qfile-unpacker in dir instead of building the release one
#   RUNS="flat-100k flat-1m ..."  choose runs (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
swift=${SWIFT:-swift}
if [ -z "${BIN:-}" ]; then
    "$swift" build -c release --product qfile-unpacker 2>&1 | grep -v '^\[' || true
    BIN=$("$swift" build -c release --show-bin-path)
fi
out=${OUT:-.build-exhaustion/figures.txt}
mkdir -p "$(dirname "$out")"
work=$(mktemp -d "${TMPDIR:-/tmp}/exhaustion-XXXXXX")
trap 'rm -rf "$work"' EXIT
runs=${RUNS:-"flat-100k flat-1m max-files max-bytes deep-8191"}

now() { date +%s.%N; }

# User and system CPU seconds of a process so far (/proc/PID/stat fields 14 and 15) as
# "USER+SYSTEM". User time is the receiver's own code, which a busy shared machine disturbs far
# less than wall time; system time includes the filesystem and any memory reclaim the kernel
# charges to it.
cpu_seconds() {
    awk -v ticks="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f+%.2f", $12 / ticks, $13 / ticks }' "/proc/$1/stat" 2>/dev/null
}

# Closes every descriptor above 2 except bash's own script descriptor (255).
close_inherited() {
    local fd
    for fd in $(ls /proc/$BASHPID/fd); do
        if [ "$fd" -gt 2 ] && [ "$fd" -ne 255 ]; then eval "exec $fd>&-"; fi
    done
}

# measure LABEL "GENERATOR ARGS" "RECEIVER OPTIONS"
measure() {
    local label=$1 generator=$2 options=$3
    local incoming=$work/incoming fifo=$work/pause
    rm -rf "$incoming" "$fifo" "$fifo.ready"
    mkdir "$incoming"
    mkfifo "$fifo"
    local start paused end
    start=$(now)
    # The receiver inherits only stdin, stdout and stderr (descriptors this shell inherited
    # are closed for it), so the count at the pause is its own.
    # shellcheck disable=SC2086
    python3 scripts/exhaustion-stream.py $generator --pause "$fifo" |
        (close_inherited; exec "$BIN/qfile-unpacker" $options 0 "$incoming" >"$work/result" 2>"$work/stderr") &
    local pid=$!
    # Wait until every record is consumed: the generator paused and the receiver blocks reading.
    # Peak memory and CPU time are sampled all along (a run stopped by a limit ends early).
    local hwm="-" cpu="-" fds="-" fdlist="" sample
    while kill -0 "$pid" 2>/dev/null; do
        sample=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null) && [ -n "$sample" ] && hwm=$sample
        sample=$(cpu_seconds "$pid") && [ -n "$sample" ] && cpu=$sample
        if [ -e "$fifo.ready" ] && [[ "$(cat "/proc/$pid/wchan" 2>/dev/null)" == *pipe_read ]]; then
            fdlist=$(ls -l "/proc/$pid/fd" | awk 'NR > 1 {print $9 "->" $11}' | tr '\n' ' ')
            fds=$(ls "/proc/$pid/fd" | wc -l)
            break
        fi
        sleep 0.05
    done
    paused=$(now)
    # Release the generator (or unblock it if the receiver stopped early), send the end header.
    if [ -e "$fifo.ready" ] || kill -0 "$pid" 2>/dev/null; then : >"$fifo" & fi
    wait "$pid" || true
    end=$(now)
    local code entries
    code=$(od -An -tu4 -N4 "$work/result" | tr -d ' ')
    entries=$(find "$incoming" -mindepth 1 | wc -l)
    printf '%-10s code %-3s entries %-8s records-consumed %7.2f s (CPU user+sys %s s)  total %7.2f s  VmHWM %s kB  fds at pause %s [%s]\n' \
        "$label" "$code" "$entries" "$(echo "$paused - $start" | bc)" "$cpu" "$(echo "$end - $start" | bc)" \
        "$hwm" "$fds" "$fdlist" | tee -a "$out"
    echo "$(echo "$paused - $start" | bc) $cpu" >"$work/$label.seconds"
    rm -rf "$incoming"
}

echo "# $(date -u +%FT%TZ) $(uname -r) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), receiver $BIN/qfile-unpacker" | tee -a "$out"
for run in $runs; do
    case $run in
        flat-100k) measure flat-100k "flat 100000" "" ;;
        flat-1m) measure flat-1m "flat 1000000" "" ;;
        max-files) measure max-files "flat 1000000" "--max-files 500000" ;;
        max-bytes) measure max-bytes "flat 1000000 --size 1" "--max-bytes 100000" ;;
        deep-8191) measure deep-8191 "deep 8191" "" ;;
        *) echo "unknown run $run" >&2; exit 2 ;;
    esac
done
if [ -e "$work/flat-100k.seconds" ] && [ -e "$work/flat-1m.seconds" ]; then
    read -r wall100k cpu100k <"$work/flat-100k.seconds"
    read -r wall1m cpu1m <"$work/flat-1m.seconds"
    printf 'ratio 1M / 100k files: wall time %.2f, user CPU %.2f, system CPU %.2f (10.00 is linear)\n' \
        "$(echo "$wall1m / $wall100k" | bc -l)" "$(echo "${cpu1m%+*} / ${cpu100k%+*}" | bc -l)" \
        "$(echo "${cpu1m#*+} / ${cpu100k#*+}" | bc -l)" | tee -a "$out"
fi
