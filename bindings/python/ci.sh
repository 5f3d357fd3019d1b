#!/usr/bin/env bash
# Builds the promptyard Python package from source into a fresh virtualenv (one
# `pip install`, maturin as the PEP 517 backend) and runs its pytest suite, the Spark
# example test included. Meant to be called from .ci/run after the root `cargo test`, whose
# debug `promptyard` binary the CLI-equality tests use (a release one is preferred if built).
#
# Needs: python3 >= 3.9 with venv, a Rust toolchain, Java 17 (for pyspark), the PyPI registry.
# Env: PY_VENV (default: a new temporary directory), PYTEST_ARGS (extra pytest arguments).
# Exit status: pytest's (0: all passed); its result line is the last line printed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${PY_VENV:-$(mktemp -d -t promptyard-py.XXXXXX)/venv}"
start=$SECONDS

echo "== python bindings: venv $venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
echo '== python bindings: pip install ./bindings/python pytest pyarrow pyspark[sql]'
"$venv/bin/python" -m pip install --quiet --progress-bar off "$here" pytest pyarrow "pyspark[sql]"
echo "== python bindings: installed in $((SECONDS - start)) s"

cd "$here"
# -rs prints why anything was skipped (no CLI binary, no pyspark/Java). pytest's result
# line ("N passed in S s") stays the last line of the output, and its status is ours.
exec "$venv/bin/python" -m pytest -rs -p no:cacheprovider ${PYTEST_ARGS:-} tests
