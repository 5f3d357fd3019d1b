//! The `promptyard._promptyard` extension module: a thin pyo3 shell over the `promptyard`
//! crate. Python sees it through the pure-Python package in `py_src/promptyard`, which
//! re-exports everything here and carries the type stubs.
//!
//! ```text
//! Python str / list[str] / pyarrow array
//!     ─▶ router.rs (GIL released, rayon for batches)
//!     ─▶ promptyard::Router ─▶ decision.rs (Decision pyclass) / arrow.rs (RecordBatch)
//! ```
//!
//! Errors become the exception classes of error.rs with the Rust error's message; no panic
//! crosses into Python (batch work runs under `catch_unwind`).

use pyo3::prelude::*;

mod arrow;
mod decision;
mod error;
mod router;

/// Routes LLM prompts to the cheapest adequate model (native part of `promptyard`).
#[pymodule]
fn _promptyard(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<router::Router>()?;
    m.add_class::<decision::Decision>()?;
    m.add("PromptyardError", py.get_type::<error::PromptyardError>())?;
    m.add("CatalogError", py.get_type::<error::CatalogError>())?;
    m.add("ModelError", py.get_type::<error::ModelError>())?;
    m.add("NoAdequateModel", py.get_type::<error::NoAdequateModel>())?;
    m.add("LABELS", promptyard::Label::ALL.map(|l| l.as_str()).to_vec())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
