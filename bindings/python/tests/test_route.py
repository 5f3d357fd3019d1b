"""Router.route and Router.route_batch: typed decisions, equal to the CLI's."""

import json
import subprocess

import pytest

import promptyard

from conftest import BUNDLED_CATALOG

FIELDS = [
    "label", "confidence", "probs", "model", "provider", "api_id", "est_cost_usd",
    "input_tokens", "output_tokens", "fallbacks", "used_default", "reason",
    "catalog_fingerprint", "classifier_fingerprint", "tier",
]


def test_bundled_router_routes_code_to_a_cheap_model(router):
    d = router.route("Write a Python function that merges overlapping intervals")
    assert d.label == "code_completion"
    assert isinstance(d, promptyard.Decision)
    assert 0.0 < d.confidence <= 1.0 and d.confidence == d.probs["code_completion"]
    assert set(d.probs) == set(promptyard.LABELS)
    assert abs(sum(d.probs.values()) - 1.0) < 1e-5
    assert d.model in router.models and d.est_cost_usd > 0
    assert isinstance(d.input_tokens, int) and isinstance(d.fallbacks, list)
    assert d.reason.startswith("code_completion")
    assert len(d.catalog_fingerprint) == 16
    assert "Decision(label='code_completion'" in repr(d)


def test_decision_is_read_only(router):
    d = router.route("What is 17 * 23?")
    with pytest.raises(AttributeError):
        d.label = "planning"


def test_to_dict_has_the_json_keys_in_order(router):
    d = router.route("Plan a 3-day trip to Lisbon")
    assert list(d.to_dict()) == FIELDS
    assert d.to_dict() == json.loads(d.to_json())
    for f in FIELDS:
        assert d.to_dict()[f] == getattr(d, f)


def _cli_route(cli, prompt, *extra):
    out = subprocess.run(
        [cli, "route", *extra, "--", prompt], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_decisions_equal_the_cli_route(router, prompts, cli):
    sample = prompts[::4]
    for text in sample:
        line = _cli_route(cli, text)
        d = router.route(text)
        assert d.to_json() == line, text[:80]
        assert d.to_dict() == json.loads(line), text[:80]
    assert {router.route(t).label for t in sample} == set(promptyard.LABELS)


def test_decisions_equal_the_cli_route_with_a_catalog_file(cheap_catalog, prompts, cli):
    r = promptyard.Router(catalog=cheap_catalog)
    for text in prompts[:5]:
        assert r.route(text).to_dict() == json.loads(
            _cli_route(cli, text, "--catalog", str(cheap_catalog))
        )


def test_route_batch_equals_route(router, prompts):
    batch = router.route_batch(prompts)
    assert len(batch) == len(prompts)
    for text, d in zip(prompts, batch):
        assert d.to_dict() == router.route(text).to_dict()
    assert router.route_batch([]) == []


def test_explicit_bundled_paths_decide_like_the_bundled_router(router, prompts):
    from conftest import REPO

    r = promptyard.Router(catalog=BUNDLED_CATALOG, model=REPO / "models" / "default")
    for text in prompts[:20]:
        a, b = r.route(text).to_dict(), router.route(text).to_dict()
        assert a == b


def test_catalog_from_a_string(tiny_catalog):
    r = promptyard.Router.from_catalog_str(tiny_catalog.read_text())
    assert r.models == ["tiny"]
    assert r.route("Plan a picnic").model == "tiny"


def test_odd_inputs_route_without_crashing(router):
    for text in ["\x00", "é" * 10_000, "🙂" * 3, "-", "--help"]:
        d = router.route(text)
        assert d.label in promptyard.LABELS
    # Empty and whitespace-only prompts are an error, as in Rust and the CLI.
    for text in ["", " ", "\n\t"]:
        with pytest.raises(promptyard.PromptyardError, match="empty prompt"):
            router.route(text)


def test_non_str_is_a_type_error(router):
    with pytest.raises(TypeError):
        router.route(42)
    with pytest.raises(TypeError):
        router.route_batch(["ok", None])
