#!/usr/bin/env bash
# Builds every fuzz target and runs each for a short time (default 30 s; `fuzz/smoke.sh 600`
# for ten minutes each), starting from the seed corpus in fuzz/corpus/<target>/. Exits
# non-zero on the first crash; the crashing input is in fuzz/artifacts/<target>/.
#
# Needs the nightly toolchain and cargo-fuzz; installs cargo-fuzz when missing (~3 min).
set -euo pipefail
cd "$(dirname "$0")"

secs="${1:-30}"
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi
if ! rustup toolchain list | grep -q '^nightly'; then
    rustup toolchain install nightly --profile minimal
fi

targets=$(cargo +nightly fuzz list)
cargo +nightly fuzz build -O
for t in $targets; do
    # Work on a copy of the seeds so a smoke run never adds files to the repository.
    work=$(mktemp -d)
    cp corpus/"$t"/seed-* "$work"/ 2>/dev/null || true
    echo "== fuzz $t for ${secs} s"
    log="$work.log"
    status=0
    cargo +nightly fuzz run -O "$t" "$work" -- -max_total_time="$secs" -max_len=65536 \
        -print_final_stats=1 >"$log" 2>&1 || status=$?
    grep -E '^(#[0-9]+ +DONE|Done [0-9]+ runs|stat::number_of_executed_units)' "$log" || true
    if [ "$status" -ne 0 ]; then
        tail -n 60 "$log" >&2
        echo "fuzz $t: crash (status $status); the input is in fuzz/artifacts/$t/" >&2
        exit 1
    fi
    rm -f "$log"
    rm -rf "$work"
done
