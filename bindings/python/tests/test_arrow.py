"""Router.route_arrow: the same decisions as the list API, as Arrow columns."""

import pyarrow as pa
import pytest

import promptyard
from conftest import REPO

COLUMNS = [
    "label", "confidence", "p_planning", "p_reasoning", "p_code_completion", "p_other", "model",
    "est_cost_usd", "input_tokens", "output_tokens", "error",
]


def _f32(x):
    return pa.array([x], pa.float32())[0].as_py()


def assert_rows_equal_decisions(batch, decisions):
    rows = batch.to_pylist()
    assert len(rows) == len(decisions)
    for row, d in zip(rows, decisions):
        assert row["error"] is None
        assert row["label"] == d.label
        assert row["model"] == d.model
        assert row["est_cost_usd"] == d.est_cost_usd
        assert row["input_tokens"] == d.input_tokens
        assert row["output_tokens"] == d.output_tokens
        # float32 in Arrow; the Decision shows the same f32 as a short decimal.
        assert row["confidence"] == _f32(d.confidence)
        for label in promptyard.LABELS:
            assert row[f"p_{label}"] == _f32(d.probs[label])


def test_string_array_gives_a_record_batch_equal_to_route_batch(router, prompts):
    out = router.route_arrow(pa.array(prompts, pa.string()))
    assert isinstance(out, pa.RecordBatch)
    assert out.schema.names == COLUMNS
    assert out.schema.field("confidence").type == pa.float32()
    assert out.schema.field("input_tokens").type == pa.int64()
    assert_rows_equal_decisions(out, router.route_batch(prompts))


@pytest.mark.parametrize("typ", [pa.large_string(), pa.string_view()], ids=str)
def test_large_string_and_string_view(router, prompts, typ):
    out = router.route_arrow(pa.array(prompts[:50], typ))
    assert_rows_equal_decisions(out, router.route_batch(prompts[:50]))


def test_chunked_array_gives_a_table(router, prompts):
    chunked = pa.chunked_array([prompts[:7], prompts[7:7], prompts[7:60]], pa.string())
    out = router.route_arrow(chunked)
    assert isinstance(out, pa.Table)
    assert out.schema.names == COLUMNS
    assert out.num_rows == 60
    assert_rows_equal_decisions(out, router.route_batch(prompts[:60]))


def test_empty_inputs(router):
    empty = router.route_arrow(pa.array([], pa.string()))
    assert empty.num_rows == 0 and empty.schema.names == COLUMNS
    table = router.route_arrow(pa.chunked_array([], pa.string()))
    assert isinstance(table, pa.Table) and table.num_rows == 0
    assert table.schema.names == COLUMNS


def test_sliced_array_respects_the_offset(router, prompts):
    arr = pa.array(prompts, pa.string()).slice(10, 20)
    assert_rows_equal_decisions(router.route_arrow(arr), router.route_batch(prompts[10:30]))


def test_nulls_become_error_rows(router):
    out = router.route_arrow(pa.array(["Plan a trip to Rome", None, "What is 2+2?"]))
    rows = out.to_pylist()
    assert rows[1]["error"] == "null prompt"
    assert all(rows[1][c] is None for c in COLUMNS if c != "error")
    assert rows[0]["error"] is None and rows[0]["label"] == "planning"
    assert rows[2]["error"] is None and rows[2]["label"] is not None
    assert out.column(out.schema.get_field_index("label")).null_count == 1


def test_unroutable_prompts_become_error_rows_with_the_rust_message(tiny_catalog):
    r = promptyard.Router(catalog=tiny_catalog)
    long_prompt = "Plan a detailed migration of our data warehouse. " * 100
    rows = r.route_arrow(pa.array(["Plan a picnic", long_prompt])).to_pylist()
    assert rows[0]["model"] == "tiny" and rows[0]["error"] is None
    with pytest.raises(promptyard.NoAdequateModel) as exc:
        r.route(long_prompt)
    assert rows[1]["error"] == str(exc.value)
    assert rows[1]["label"] is None


def test_non_string_arrays_are_a_type_error(router):
    with pytest.raises(TypeError, match="string"):
        router.route_arrow(pa.array([1, 2, 3]))
    with pytest.raises(TypeError):
        router.route_arrow(["a python list is not an arrow array"])


def test_blank_prompts_are_error_rows_with_the_route_error(router):
    rows = router.route_arrow(pa.array(["", " \t\n", "Plan a trip to Rome"])).to_pylist()
    with pytest.raises(promptyard.PromptyardError) as exc:
        router.route("")
    for row in rows[:2]:
        assert row["error"] == str(exc.value)
        assert row["label"] is None and row["model"] is None
    assert rows[2]["error"] is None


def test_a_per_prompt_catalog_decides_as_route(cli, tmp_path, prompts):
    """A catalog with an adequacy model (from `calibrate` on the test fixture) chooses per
    prompt; the Arrow rows must make the same choices as `route`, not the per-label ones."""
    import subprocess

    out = tmp_path / "pilot.toml"
    subprocess.run(
        [cli, "calibrate", "--outcomes", str(REPO / "tests" / "fixtures" / "outcomes"),
         "--labels", "given", "--date", "2026-01-02", "--out", str(out)],
        check=True, capture_output=True,
    )
    r = promptyard.Router(catalog=out)
    decisions = r.route_batch(prompts)
    assert any(d.reason.endswith("(per-prompt adequacy)") for d in decisions)
    assert_rows_equal_decisions(r.route_arrow(pa.array(prompts, pa.string())), decisions)
