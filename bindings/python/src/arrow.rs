//! `Router.route_arrow`: prompts in and decision columns out through the Arrow C data
//! interface (arrow-pyarrow), never one Python object per row.
//!
//! Output schema, one row per prompt, every column nullable:
//!
//! | column | type | null when |
//! |---|---|---|
//! | label | utf8 | error |
//! | confidence, p_planning, p_reasoning, p_code_completion, p_other | float32 | error |
//! | model | utf8 | error |
//! | est_cost_usd | float64 | error |
//! | input_tokens, output_tokens | int64 | error |
//! | error | utf8 | the prompt was routed |
//!
//! Each row is exactly what [`promptyard::Router::route`] decides (through
//! [`FastDecider`], as `promptyard label`), minus the strings an analytics table does not need (reason, fallbacks),
//! the way `promptyard label` does it, so the hot loop allocates nothing per row. Token counts
//! are int64 rather than uint64 because Spark has no unsigned types.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::cast::AsArray;
use arrow_array::{
    make_array, Array, ArrayRef, Float32Array, Float64Array, Int64Array, RecordBatch,
};
use arrow_buffer::NullBuffer;
use arrow_data::ArrayData;
use arrow_pyarrow::{FromPyArrow, ToPyArrow};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyList;
use rayon::prelude::*;

use promptyard::router::FastDecider;
use promptyard::{Label, Probs, NUM_LABELS};

use crate::error::from_panic;

/// Message in the `error` column for a null prompt.
const NULL_PROMPT: &str = "null prompt";

/// The output schema (see the module docs).
pub fn schema() -> SchemaRef {
    let f = |name: &str, t: DataType| Field::new(name, t, true);
    Arc::new(Schema::new(vec![
        f("label", DataType::Utf8),
        f("confidence", DataType::Float32),
        f("p_planning", DataType::Float32),
        f("p_reasoning", DataType::Float32),
        f("p_code_completion", DataType::Float32),
        f("p_other", DataType::Float32),
        f("model", DataType::Utf8),
        f("est_cost_usd", DataType::Float64),
        f("input_tokens", DataType::Int64),
        f("output_tokens", DataType::Int64),
        f("error", DataType::Utf8),
    ]))
}

pub fn route_arrow(
    router: &promptyard::Router,
    py: Python<'_>,
    prompts: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let pa = py.import("pyarrow")?;
    let chunked = prompts.is_instance(&pa.getattr("ChunkedArray")?)?;
    let arrays: Vec<ArrayRef> = if chunked {
        let chunks = prompts.getattr("chunks")?;
        let chunks = chunks.cast::<PyList>()?;
        chunks
            .iter()
            .map(|c| array_from_py(&c))
            .collect::<PyResult<_>>()?
    } else {
        vec![array_from_py(prompts)?]
    };
    for a in &arrays {
        if !matches!(
            a.data_type(),
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
        ) {
            return Err(PyTypeError::new_err(format!(
                "route_arrow expects a pyarrow string, large_string or string_view array, got {}",
                a.data_type()
            )));
        }
    }

    let batches = py
        .detach(|| {
            catch_unwind(AssertUnwindSafe(|| {
                let snapshot = Snapshot::of(router);
                arrays
                    .iter()
                    .map(|a| snapshot.route(a.as_ref()))
                    .collect::<Vec<_>>()
            }))
        })
        .map_err(from_panic)?;
    let batches = batches
        .into_iter()
        .collect::<Result<Vec<_>, arrow_schema::ArrowError>>()
        .map_err(|e| crate::error::PromptyardError::new_err(e.to_string()))?;

    if chunked {
        let py_batches = batches
            .iter()
            .map(|b| b.to_pyarrow(py))
            .collect::<PyResult<Vec<_>>>()?;
        let table = pa.getattr("Table")?.call_method(
            "from_batches",
            (py_batches, schema().to_pyarrow(py)?),
            None,
        )?;
        Ok(table.unbind())
    } else {
        Ok(batches[0].to_pyarrow(py)?.unbind())
    }
}

fn array_from_py(obj: &Bound<'_, PyAny>) -> PyResult<ArrayRef> {
    Ok(make_array(ArrayData::from_pyarrow_bound(obj)?))
}

/// One consistent (classifier, catalog) pair of the router, as a single `route` would see.
struct Snapshot(FastDecider);

impl Snapshot {
    fn of(router: &promptyard::Router) -> Snapshot {
        Snapshot(FastDecider::of(router))
    }

    fn route(&self, prompts: &dyn Array) -> Result<RecordBatch, arrow_schema::ArrowError> {
        let texts = Texts::of(prompts);
        let rows: Vec<Row> = (0..prompts.len())
            .into_par_iter()
            .with_min_len(1024)
            .map(|i| match texts.get(i) {
                None => Row::Null,
                Some(text) => self.row(text),
            })
            .collect();
        self.columns(&rows)
    }

    /// The row of one prompt: the decision `Router::route` makes (per prompt when the
    /// catalog carries an adequacy model; a blank prompt refused with the same error).
    fn row(&self, text: &str) -> Row {
        match self.0.choose(text) {
            Ok((probs, choice)) => {
                let pick = choice.pick();
                Row::Routed {
                    label: choice.label,
                    probs,
                    model: pick.model as u32,
                    est_cost_usd: promptyard::policy::round_usd(pick.cost_usd),
                    input_tokens: choice.input_tokens,
                    output_tokens: choice.output_tokens,
                }
            }
            Err(e) => Row::Failed(e.to_string()),
        }
    }

    fn columns(&self, rows: &[Row]) -> Result<RecordBatch, arrow_schema::ArrowError> {
        let n = rows.len();
        let models = self.0.policy().catalog().models();
        let ok = NullBuffer::from_iter(rows.iter().map(|r| matches!(r, Row::Routed { .. })));
        let mut label = StringBuilder::with_capacity(n, n * 10);
        let mut model = StringBuilder::with_capacity(n, n * 16);
        let mut error = StringBuilder::new();
        let mut conf = Vec::with_capacity(n);
        let mut p: [Vec<f32>; NUM_LABELS] = std::array::from_fn(|_| Vec::with_capacity(n));
        let mut cost = Vec::with_capacity(n);
        let mut tin = Vec::with_capacity(n);
        let mut tout = Vec::with_capacity(n);
        for r in rows {
            match r {
                Row::Routed {
                    label: l,
                    probs,
                    model: m,
                    est_cost_usd,
                    input_tokens,
                    output_tokens,
                } => {
                    label.append_value(l.as_str());
                    model.append_value(&models[*m as usize].id);
                    error.append_null();
                    conf.push(probs[l.index()]);
                    for (col, v) in p.iter_mut().zip(probs) {
                        col.push(*v);
                    }
                    cost.push(*est_cost_usd);
                    tin.push(i64::try_from(*input_tokens).unwrap_or(i64::MAX));
                    tout.push(i64::try_from(*output_tokens).unwrap_or(i64::MAX));
                }
                Row::Null | Row::Failed(_) => {
                    label.append_null();
                    model.append_null();
                    error.append_value(match r {
                        Row::Failed(msg) => msg.as_str(),
                        _ => NULL_PROMPT,
                    });
                    conf.push(0.0);
                    for col in &mut p {
                        col.push(0.0);
                    }
                    cost.push(0.0);
                    tin.push(0);
                    tout.push(0);
                }
            }
        }
        let nulls = Some(ok);
        let f32col =
            |v: Vec<f32>| -> ArrayRef { Arc::new(Float32Array::new(v.into(), nulls.clone())) };
        let [pp, pr, pc, po] = p;
        RecordBatch::try_new(
            schema(),
            vec![
                Arc::new(label.finish()),
                f32col(conf),
                f32col(pp),
                f32col(pr),
                f32col(pc),
                f32col(po),
                Arc::new(model.finish()),
                Arc::new(Float64Array::new(cost.into(), nulls.clone())),
                Arc::new(Int64Array::new(tin.into(), nulls.clone())),
                Arc::new(Int64Array::new(tout.into(), nulls.clone())),
                Arc::new(error.finish()),
            ],
        )
    }
}

/// One routed prompt, by catalog index: no strings unless it failed.
enum Row {
    Routed {
        label: Label,
        probs: Probs,
        model: u32,
        est_cost_usd: f64,
        input_tokens: u64,
        output_tokens: u64,
    },
    Null,
    Failed(String),
}

/// Read access to the three Arrow string layouts.
enum Texts<'a> {
    Utf8(&'a arrow_array::StringArray),
    Large(&'a arrow_array::LargeStringArray),
    View(&'a arrow_array::StringViewArray),
}

impl<'a> Texts<'a> {
    fn of(a: &'a dyn Array) -> Texts<'a> {
        match a.data_type() {
            DataType::Utf8 => Texts::Utf8(a.as_string::<i32>()),
            DataType::LargeUtf8 => Texts::Large(a.as_string::<i64>()),
            DataType::Utf8View => Texts::View(a.as_string_view()),
            other => unreachable!("checked before routing: {other}"),
        }
    }

    fn get(&self, i: usize) -> Option<&'a str> {
        match self {
            Texts::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            Texts::Large(a) => a.is_valid(i).then(|| a.value(i)),
            Texts::View(a) => a.is_valid(i).then(|| a.value(i)),
        }
    }
}
