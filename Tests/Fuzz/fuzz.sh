#!/bin/sh
# Runs libFuzzer targets one after another (one core), each for SECONDS, then minimises Tests/Fuzz/corpus/<target>/ to the
# fewest inputs, old and new, that reach every edge reached so far. Crash, timeout and out-of-memory reproducers go to $FUZZ_OUT/findings/<target>/; a fixed
# one belongs in Tests/Fuzz/regressions/<target>/. Prints one summary line per target and exits 1 if any target found
# something.
#
# Usage: Tests/Fuzz/fuzz.sh BINARY SECONDS TARGET...   (normally through `make fuzz`)
set -u
binary=$1
seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
out=${FUZZ_OUT:-.build-fuzz/fuzz}
mkdir -p "$out"
status=0

# Per-target limits: inputs up to max_len bytes, and the dictionary whose tokens the format is built from.
options() {
    case $1 in
        feed) echo "-max_len=16384 -dict=$here/dictionaries/xml.dict" ;;
        jsonfeed) echo "-max_len=8192 -dict=$here/dictionaries/json.dict" ;;
        opml) echo "-max_len=8192 -dict=$here/dictionaries/xml.dict" ;;
        article) echo "-max_len=32768 -dict=$here/dictionaries/html.dict" ;;
        date) echo "-max_len=128 -dict=$here/dictionaries/date.dict" ;;
        delimited | survey | series) echo "-max_len=4096 -dict=$here/dictionaries/csv.dict" ;;
        config) echo "-max_len=4096 -dict=$here/dictionaries/toml.dict" ;;
        *) return 1 ;;
    esac
}

# Every input must finish in 10 s and 2 GiB; the parsers' own caps are far below both.
limits="-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048"

# The Swift runtime's backtracer would race libFuzzer and AddressSanitizer for the crash signal.
export SWIFT_BACKTRACE=enable=no

for target in "$@"; do
    target_options=$(options "$target") || { echo "fuzz: unknown target '$target'" >&2; status=1; continue; }
    corpus=$here/corpus/$target
    findings=$out/findings/$target
    fresh=$out/new/$target
    log=$out/$target.log
    rm -rf "$fresh"
    mkdir -p "$corpus" "$findings" "$fresh"
    # shellcheck disable=SC2086
    DIVERGENCE_FUZZ_TARGET=$target "$binary" "$fresh" "$corpus" $target_options $limits \
        -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$findings/" >"$log" 2>&1
    result=$?
    # Keep the committed corpus small: the fewest inputs (old and new) that still reach every edge reached so far.
    # After a finding the corpus is left alone: the merge would skip the inputs that crash.
    minimal=$out/minimal/$target
    rm -rf "$minimal"
    mkdir -p "$minimal"
    # shellcheck disable=SC2086
    if [ "$result" -ne 0 ]; then
        echo "fuzz: $target: corpus not merged after a finding" >&2
    elif DIVERGENCE_FUZZ_TARGET=$target "$binary" -set_cover_merge=1 -use_counters=0 "$minimal" "$corpus" "$fresh" \
        $target_options $limits -artifact_prefix="$findings/" >"$log.merge" 2>&1 && [ -n "$(ls "$minimal")" ]; then
        # libFuzzer names inputs by their SHA-1; a seed that survives keeps the name that says what it is.
        for seed in "$corpus"/*; do
            hash=$(sha1sum <"$seed" | cut -c1-40)
            [ -f "$minimal/$hash" ] && [ "$hash" != "$(basename "$seed")" ] && mv "$minimal/$hash" "$minimal/$(basename "$seed")"
        done
        rm -rf "$corpus"
        mv "$minimal" "$corpus"
    else
        echo "fuzz: $target: merge failed, corpus unchanged; see $log.merge" >&2
    fi
    rm -rf "$fresh" "$minimal"
    ran=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    coverage=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\) ft: \([0-9]*\).*/cov \1, ft \2/p')
    files=$(find "$corpus" -type f | wc -l | tr -d ' ')
    size=$(du -sk --apparent-size "$corpus" | cut -f1)
    if [ "$result" -eq 0 ]; then verdict=ok; else verdict="FOUND (exit $result), see $log and $findings"; status=1; fi
    echo "fuzz: $target: ${ran:-?} s, ${execs:-?} execs, ${rate:-?} exec/s, ${coverage:-no coverage line}, corpus $files files ${size} KiB: $verdict"
done
exit $status
