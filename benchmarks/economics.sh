#!/usr/bin/env bash
# Reproduces benchmarks/ECONOMICS.md: fit on half of each source's problems in the shared
# outcomes (split by problem, stable hash, seed 0), route the other half, report measured
# quality and cost per strategy, per source, with the frontier (CSV + one SVG per source),
# then the same on splits 1..9 for each policy's frontier across ten splits.
#
#   benchmarks/economics.sh [OUTCOMES_DIR] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
OUTCOMES="${1:-../shared/data/outcomes}"
OUT="${2:-benchmarks/economics}"
cargo build --release --quiet
./target/release/promptyard economics \
  --outcomes "$OUTCOMES" \
  --fit-fraction 0.5 --seed 0 \
  --quality-target 0.98 \
  --splits 10 \
  --out-dir "$OUT"
