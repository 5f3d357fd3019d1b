#!/usr/bin/env bash
# Runs the README's install line and its documented commands as a new user would, on a fresh
# clone: `cargo install --path .`, then route, label + report, calibrate, data check, train,
# eval and route with the retrained model, each with the README's arguments (small stand-in
# inputs where the README names the user's own files). Exits non-zero on the first failure.
# `.ci/run` calls it; tests/all/readme.rs checks that these command lines parse and that the
# route output shown in the README is what the binary prints.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$repo"
cargo install --path . --locked --root "$work/install" --quiet
export PATH="$work/install/bin:$PATH"

cd "$work"
ln -s "$repo/data" data
mkdir -p models
ln -s "$repo/models/catalog.toml" models/catalog.toml

echo "== route"
promptyard route "Plan the rollout of SSO to our 40 internal apps over Q3" > route.json
python3 - <<'PY'
import json
d = json.load(open("route.json"))
assert d["label"] == "planning" and d["model"], d
print("route:", d["label"], d["model"], d["est_cost_usd"])
PY

echo "== label, resume, report"
cat > prompts.jsonl <<'JSONL'
{"id": 1, "text": "Plan the rollout of SSO to our 40 internal apps over Q3"}
{"id": 2, "text": "Write a Python function that merges overlapping intervals"}
{"id": 3, "text": "A train leaves at 3pm at 80 km/h; a second at 4pm at 100 km/h. When does it catch up?"}
{"id": 4, "text": "Translate to French: good morning, see you tomorrow"}
{"id": 5, "text": ""}
JSONL
status=0
promptyard label --input prompts.jsonl --output labelled.jsonl || status=$?
[ "$status" -eq 1 ] || { echo "label: expected exit 1 (one empty_text record), got $status"; exit 1; }
[ "$(wc -l < labelled.jsonl)" -eq 5 ] || { echo "label: expected 5 output records"; exit 1; }
promptyard label -i prompts.jsonl -o labelled.jsonl --resume || [ $? -eq 1 ]
promptyard report --input labelled.jsonl --baseline claude-opus-5-5 --chart cost.svg
test -s cost.svg

echo "== calibrate, label --catalog, report --outcomes"
cp -r "$repo/tests/fixtures/outcomes" my-pilot
promptyard calibrate --outcomes my-pilot/ --catalog models/catalog.toml --out pilot.toml
promptyard label -i my-pilot/prompts.jsonl -o labelled-pilot.jsonl --catalog pilot.toml
promptyard report -i labelled-pilot.jsonl --catalog pilot.toml --outcomes my-pilot/ --chart frontier.svg
test -s frontier.svg

echo "== retrain"
cat > my.jsonl <<'JSONL'
{"id": "my-1", "text": "draft the sequence for migrating our billing service to the new cluster, with owners", "label": "planning", "source": "mine"}
{"id": "my-2", "text": "bash one-liner to count unique IPs in access.log", "label": "code_completion", "source": "mine"}
{"id": "my-3", "text": "our churn rose 2 points after the price change but only in EMEA; what could explain it?", "label": "reasoning", "source": "mine"}
{"id": "my-4", "text": "make this sound friendlier: we will not refund late orders", "label": "other", "source": "mine"}
JSONL
promptyard data check my.jsonl
promptyard train --data data/ --extra my.jsonl --out models/mine
promptyard eval --data data/test.jsonl --model models/mine
promptyard route --model models/mine "Plan the rollout of SSO to our 40 internal apps over Q3"
echo "== README smoke: ok"
