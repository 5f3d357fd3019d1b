#!/usr/bin/env bash
# Side-by-side benchmark of promptyard against fastText on the bundled data.
# Usage: bash benches/compare/run.sh [--quick]
# Needs the network once, for `pip install` into a local virtualenv; nothing else.
# Writes benchmarks/REPORT.md, benchmarks/report.json and benchmarks/compare.svg.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
VENV="$ROOT/benches/compare/.venv"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "numpy<2" "fasttext-wheel==0.9.2"
fi
cargo build --release --quiet --bin promptyard --example latency
mkdir -p benchmarks
"$VENV/bin/python" benches/compare/compare.py --root "$ROOT" "$@"
