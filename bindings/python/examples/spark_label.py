"""Label a Parquet prompt log with PySpark and write labelled Parquet.

Each Spark task hands its Arrow record batches to ``Router.route_arrow`` (``mapInArrow``):
no Python object per row, the GIL released while routing, and the decision columns appended
to the input columns.

    python examples/spark_label.py prompts.parquet labelled/ --field text --master 'local[2]'

On a cluster, install the promptyard wheel on every executor (the bundled classifier and
catalog are compiled into it) and pass ``--model DIR`` / ``--catalog FILE`` to ship your own
through ``SparkContext.addFile`` / ``SparkFiles``; see bindings/python/README.md.
"""

import argparse
import os
import sys

DECISION_DDL = (
    "label string, confidence float, p_planning float, p_reasoning float, "
    "p_code_completion float, p_other float, model string, est_cost_usd double, input_tokens bigint, "
    "output_tokens bigint, error string"
)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("input", help="Parquet file or directory with a string prompt column")
    p.add_argument("output", help="output directory (Parquet), overwritten")
    p.add_argument("--field", default="text", help="the prompt column (default: text)")
    p.add_argument("--prefix", default="", help="prefix for the decision columns")
    p.add_argument("--master", default=None, help="Spark master, e.g. local[2]")
    p.add_argument("--catalog", default=None, help="catalog TOML (default: bundled)")
    p.add_argument("--model", default=None, help="model directory (default: bundled)")
    return p.parse_args(argv)


def make_labeller(field, prefix, catalog_name, model_name):
    """The function ``mapInArrow`` runs on executors: Arrow batches in, batches out.

    ``catalog_name`` / ``model_name`` are names given to ``SparkContext.addFile``; they are
    resolved with ``SparkFiles.get`` on the executor, where the files were shipped."""

    def label(batches):
        import pyarrow as pa
        import promptyard
        from pyspark import SparkFiles

        router = promptyard.Router(
            catalog=SparkFiles.get(catalog_name) if catalog_name else None,
            model=SparkFiles.get(model_name) if model_name else None,
        )
        for batch in batches:
            decisions = router.route_arrow(batch.column(field))
            yield pa.RecordBatch.from_arrays(
                batch.columns + decisions.columns,
                names=batch.schema.names + [prefix + n for n in decisions.schema.names],
            )

    return label


def main(argv=None):
    args = parse_args(argv)
    # Executors in local mode run this interpreter (the one promptyard is installed in).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("promptyard-label")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.config("spark.ui.enabled", "false").getOrCreate()
    try:
        sc = spark.sparkContext
        catalog_name = model_name = None
        if args.catalog:
            sc.addFile(os.path.abspath(args.catalog))
            catalog_name = os.path.basename(os.path.abspath(args.catalog))
        if args.model:
            sc.addFile(os.path.abspath(args.model), recursive=True)
            model_name = os.path.basename(os.path.abspath(args.model))

        df = spark.read.parquet(args.input)
        if args.field not in df.columns:
            sys.exit(f"{args.input}: no column {args.field!r} (columns: {df.columns})")
        names = [args.prefix + c.split()[0] for c in DECISION_DDL.split(", ")]
        clash = sorted(set(names) & set(df.columns))
        if clash:
            sys.exit(f"decision columns {clash} already exist in the input: pass --prefix")
        out_ddl = ", ".join(
            [f"`{f.name}` {f.dataType.simpleString()}" for f in df.schema.fields]
            + [f"`{args.prefix}{c.split()[0]}` {c.split()[1]}" for c in DECISION_DDL.split(", ")]
        )
        labelled = df.mapInArrow(
            make_labeller(args.field, args.prefix, catalog_name, model_name), out_ddl
        )
        labelled.write.mode("overwrite").parquet(args.output)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
