"""Shared fixtures: the repository, prompts from data/test.jsonl, catalogs made for tests,
and the release CLI the Python decisions are checked against."""

import re
import json
import os
import shutil
from pathlib import Path

import pytest

import promptyard

REPO = Path(__file__).resolve().parents[3]
BUNDLED_CATALOG = REPO / "models" / "catalog.toml"


def load_prompts(n=None, path=REPO / "data" / "test.jsonl"):
    """The first ``n`` texts of a JSONL prompt file (all when ``n`` is None)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            out.append(json.loads(line)["text"])
            if n is not None and len(out) == n:
                break
    return out


@pytest.fixture(scope="session")
def router():
    return promptyard.Router()


@pytest.fixture(scope="session")
def prompts():
    """Every seventh test prompt (~210): all sources and labels, short and long."""
    return load_prompts()[::7]


@pytest.fixture(scope="session")
def cli():
    """Path to the `promptyard` binary, or skip: build it with `cargo build --release` at the
    repository root (or point PROMPTYARD_CLI at one). The debug binary that the root
    `cargo test` builds decides the same and is used when there is no release one."""
    candidates = [
        os.environ.get("PROMPTYARD_CLI"),
        REPO / "target" / "release" / "promptyard",
        REPO / "target" / "debug" / "promptyard",
    ]
    for c in candidates:
        if c and Path(c).is_file() and os.access(c, os.X_OK):
            return str(c)
    found = shutil.which("promptyard")
    if found:
        return found
    pytest.skip(
        "the promptyard CLI is not built: run `cargo build --release` at the repository root "
        "(or set PROMPTYARD_CLI) to compare Python decisions with the CLI's"
    )


# A one-model catalog whose 1000-token window cannot hold a long prompt plus its answer,
# with no default_model: long prompts raise NoAdequateModel.
TINY_CATALOG = """
[policy]
min_quality = { planning = 0.5, reasoning = 0.5, code_completion = 0.5 }
expected_output_tokens = { planning = 800, reasoning = 500, code_completion = 300 }
plausible_label_floor = 0.20

[[model]]
id = "tiny"
provider = "test"
input_usd_per_mtok = 1.0
output_usd_per_mtok = 2.0
context_tokens = 1000
quality = { planning = 0.9, reasoning = 0.9, code_completion = 0.9 }
"""


@pytest.fixture()
def tiny_catalog(tmp_path):
    p = tmp_path / "tiny.toml"
    p.write_text(TINY_CATALOG)
    return p


@pytest.fixture()
def cheap_catalog(tmp_path):
    """The bundled catalog with every price halved: same routing, another fingerprint."""
    text = BUNDLED_CATALOG.read_text()
    lines = []
    for line in text.splitlines():
        key = line.split("=")[0].strip()
        if key in ("input_usd_per_mtok", "output_usd_per_mtok"):
            value = float(line.split("=")[1].split("#")[0])
            line = f"{key} = {value / 2}"
        lines.append(line)
    p = tmp_path / "cheap.toml"
    p.write_text("\n".join(lines) + "\n")
    return p


@pytest.fixture()
def negative_price_catalog(tmp_path):
    text = BUNDLED_CATALOG.read_text()
    bad = re.sub(r"input_usd_per_mtok = ([0-9.]+)", r"input_usd_per_mtok = -\1", text, count=1)
    assert bad != text
    p = tmp_path / "negative.toml"
    p.write_text(bad)
    return p
