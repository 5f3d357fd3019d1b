#!/usr/bin/env bash
# promptyard vs fastText on benches/data/realistic.jsonl, one core: see realistic.py.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VENV="$ROOT/benches/compare/.venv"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "numpy<2" "fasttext-wheel==0.9.2"
fi
"$VENV/bin/python" "$ROOT/benches/compare/realistic.py"
