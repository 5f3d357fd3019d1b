//! `promptyard.Router`: one shared [`promptyard::Router`] behind an `Arc`.
//!
//! Every call that does real work (loading, routing, reloading) runs with the GIL released
//! (`Python::detach`) and under `catch_unwind`, so Python threads route in parallel and a
//! Rust panic, should one ever happen, arrives as a `PromptyardError`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;

use crate::decision::Decision;
use crate::error::{from_panic, to_py};

/// Runs `f` without the GIL, turning promptyard errors and panics into Python exceptions.
pub fn detached<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce() -> promptyard::Result<T> + Send,
{
    py.detach(|| catch_unwind(AssertUnwindSafe(f)))
        .map_err(from_panic)?
        .map_err(to_py)
}

/// Routes prompts to the cheapest adequate model. Thread-safe: share one per process.
///
/// ``Router()`` uses the catalog and classifier bundled in the package;
/// ``Router(catalog="models.toml", model="models/mine")`` loads either from disk.
#[pyclass(frozen, module = "promptyard", name = "Router")]
pub struct Router {
    pub(crate) inner: Arc<promptyard::Router>,
}

#[pymethods]
impl Router {
    #[new]
    #[pyo3(signature = (catalog = None, model = None))]
    fn new(py: Python<'_>, catalog: Option<PathBuf>, model: Option<PathBuf>) -> PyResult<Self> {
        let router = detached(py, move || {
            let mut builder = promptyard::Router::builder();
            if let Some(path) = catalog {
                builder = builder.catalog(path);
            }
            if let Some(dir) = model {
                builder = builder.model(dir);
            }
            builder.build()
        })?;
        Ok(Router {
            inner: Arc::new(router),
        })
    }

    /// A router over a catalog given as TOML text (errors name it ``<inline catalog>``).
    #[staticmethod]
    #[pyo3(signature = (toml, model = None))]
    fn from_catalog_str(py: Python<'_>, toml: String, model: Option<PathBuf>) -> PyResult<Self> {
        let router = detached(py, move || {
            let mut builder = promptyard::Router::builder().catalog_str(toml);
            if let Some(dir) = model {
                builder = builder.model(dir);
            }
            builder.build()
        })?;
        Ok(Router {
            inner: Arc::new(router),
        })
    }

    /// Classifies ``text`` and picks the cheapest adequate model.
    fn route(&self, py: Python<'_>, text: PyBackedStr) -> PyResult<Decision> {
        let router = &self.inner;
        detached(py, || router.route(&text)).map(Decision::from)
    }

    /// Routes many prompts in parallel (all cores, GIL released); one Decision per prompt,
    /// in order. Raises the error of the first prompt that fails.
    fn route_batch(&self, py: Python<'_>, texts: Vec<PyBackedStr>) -> PyResult<Vec<Decision>> {
        let router = &self.inner;
        let results = detached(py, || {
            let refs: Vec<&str> = texts.iter().map(|t| &**t).collect();
            Ok(router.route_batch(&refs))
        })?;
        results
            .into_iter()
            .map(|r| r.map(Decision::from).map_err(to_py))
            .collect()
    }

    /// Routes a pyarrow ``string``/``large_string``/``string_view`` Array (returns a
    /// RecordBatch) or ChunkedArray (returns a Table) of prompts, in parallel with the GIL
    /// released; null prompts and prompts that cannot be routed become rows with ``error``
    /// set and the other columns null.
    fn route_arrow(&self, py: Python<'_>, prompts: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        crate::arrow::route_arrow(&self.inner, py, prompts)
    }

    /// Reads, validates and swaps in a new catalog file; on error the old one stays.
    /// Routing calls in flight finish on the state they started with.
    fn reload_catalog(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        let router = &self.inner;
        detached(py, || router.reload_catalog(&path))
    }

    /// Loads and swaps in the classifier in model directory ``path``; on error the old one
    /// stays.
    fn reload_model(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        let router = &self.inner;
        detached(py, || router.reload_model(&path))
    }

    /// Path of the catalog in use (``models/catalog.toml (bundled)`` for the bundled one).
    #[getter]
    fn catalog_path(&self) -> PathBuf {
        self.inner.catalog().path().to_path_buf()
    }

    /// Catalog ids of the models in the catalog, in catalog order.
    #[getter]
    fn models(&self) -> Vec<String> {
        self.inner
            .catalog()
            .models()
            .iter()
            .map(|m| m.id.clone())
            .collect()
    }

    fn __repr__(&self) -> String {
        let catalog = self.inner.catalog();
        format!(
            "Router(catalog='{}', models={})",
            catalog.path().display(),
            catalog.models().len()
        )
    }
}
