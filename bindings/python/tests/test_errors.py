"""Rust errors arrive as promptyard's exception classes, with the Rust messages."""

import subprocess

import pytest

import promptyard


def test_exception_hierarchy():
    for cls in (promptyard.CatalogError, promptyard.ModelError, promptyard.NoAdequateModel):
        assert issubclass(cls, promptyard.PromptyardError)
    assert issubclass(promptyard.PromptyardError, Exception)


def test_negative_price_is_a_catalog_error(negative_price_catalog):
    with pytest.raises(promptyard.CatalogError) as exc:
        promptyard.Router(catalog=negative_price_catalog)
    msg = str(exc.value)
    assert msg.startswith(f"catalog {negative_price_catalog}:")
    assert "input_usd_per_mtok" in msg and "non-negative" in msg


def test_catalog_error_message_is_the_clis(negative_price_catalog, cli):
    with pytest.raises(promptyard.CatalogError) as exc:
        promptyard.Router(catalog=negative_price_catalog)
    out = subprocess.run(
        [cli, "route", "--catalog", str(negative_price_catalog), "hi"],
        capture_output=True, text=True,
    )
    assert out.returncode != 0
    assert str(exc.value) in out.stderr


def test_invalid_toml_string_is_a_catalog_error():
    with pytest.raises(promptyard.CatalogError, match="<inline catalog>"):
        promptyard.Router.from_catalog_str("[policy\n")


def test_missing_model_dir_is_a_model_error(tmp_path):
    with pytest.raises(promptyard.ModelError, match="missing"):
        promptyard.Router(model=tmp_path / "no-such-model")


def test_truncated_model_is_a_model_error(tmp_path):
    from conftest import REPO

    d = tmp_path / "model"
    d.mkdir()
    src = REPO / "models" / "default"
    (d / "config.json").write_bytes((src / "config.json").read_bytes())
    (d / "model.safetensors").write_bytes((src / "model.safetensors").read_bytes()[:1000])
    with pytest.raises(promptyard.ModelError, match="model"):
        promptyard.Router(model=d)


def test_unreadable_catalog_is_a_promptyard_error(tmp_path):
    with pytest.raises(promptyard.PromptyardError) as exc:
        promptyard.Router(catalog=tmp_path / "missing.toml")
    # An I/O error is not a catalog *content* error.
    assert not isinstance(exc.value, promptyard.CatalogError)
    assert "missing.toml" in str(exc.value)


def test_no_adequate_model(tiny_catalog):
    r = promptyard.Router(catalog=tiny_catalog)
    with pytest.raises(promptyard.NoAdequateModel, match="no adequate model"):
        r.route("Plan a detailed migration of our data warehouse. " * 100)
    with pytest.raises(promptyard.NoAdequateModel):
        r.route_batch(["Plan a picnic", "Plan a detailed migration. " * 200])


def test_failed_reloads_keep_the_old_state(router, negative_price_catalog, tmp_path):
    r = promptyard.Router()
    before = r.route("Plan a trip").to_dict()
    with pytest.raises(promptyard.CatalogError):
        r.reload_catalog(negative_price_catalog)
    with pytest.raises(promptyard.ModelError):
        r.reload_model(tmp_path / "nothing-here")
    assert r.route("Plan a trip").to_dict() == before
