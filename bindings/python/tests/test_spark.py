"""The Spark example labels a Parquet log like Router.route_batch (which test_route ties to
the CLI). Needs pyspark and Java 17; marked `spark`."""

import json
import os
import shutil
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import REPO

pytest.importorskip(
    "pyspark",
    reason="pyspark is not installed: `pip install 'pyspark[sql]'` to run the Spark example test",
)
pytest.importorskip(
    "pandas", reason="mapInArrow needs pandas: `pip install 'pyspark[sql]'` to run the Spark test"
)
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("no Java (pyspark needs Java 17): the Spark example test is skipped",
                allow_module_level=True)

EXAMPLE = REPO / "bindings" / "python" / "examples" / "spark_label.py"


@pytest.mark.spark
def test_spark_example_labels_like_route_batch(router, tmp_path):
    rows = []
    with open(REPO / "data" / "test.jsonl", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            rows.append({"id": r["id"], "text": r["text"], "label": r["label"]})
            if len(rows) == 200:
                break
    rows[17]["text"] = None  # a null prompt becomes an error row, not a failed job
    src = tmp_path / "prompts.parquet"
    pq.write_table(pa.Table.from_pylist(rows), src, row_group_size=64)
    out = tmp_path / "labelled"

    run = subprocess.run(
        [sys.executable, str(EXAMPLE), str(src), str(out), "--master", "local[2]",
         "--prefix", "py_"],
        capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]

    got = pq.read_table(out).to_pylist()
    assert len(got) == 200
    by_id = {r["id"]: r for r in got}
    assert by_id[rows[17]["id"]]["py_error"] == "null prompt"
    texts = [r["text"] for r in rows if r["text"] is not None]
    expected = router.route_batch(texts)
    for r, d in zip((r for r in rows if r["text"] is not None), expected):
        row = by_id[r["id"]]
        assert row["label"] == r["label"]  # input columns pass through
        assert row["py_label"] == d.label
        assert row["py_model"] == d.model
        assert row["py_est_cost_usd"] == d.est_cost_usd
        assert row["py_error"] is None
