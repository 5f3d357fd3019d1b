//! promptyard's errors as Python exceptions, one class per kind a caller handles differently;
//! the message is the Rust error's `Display`, word for word.
//!
//! ```text
//! PromptyardError (Exception)      Io, Invalid and anything else
//! ├── CatalogError                 Error::Catalog
//! ├── ModelError                   Error::Model, Error::Hub
//! └── NoAdequateModel              Error::NoAdequateModel
//! ```

use std::any::Any;

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::PyErr;

create_exception!(
    promptyard,
    PromptyardError,
    PyException,
    "Base class of every error promptyard raises; also raised as is for I/O and invalid arguments."
);
create_exception!(
    promptyard,
    CatalogError,
    PromptyardError,
    "A catalog file or TOML string is invalid (the message names the path, line and field)."
);
create_exception!(
    promptyard,
    ModelError,
    PromptyardError,
    "A model directory is missing, truncated or does not match this build."
);
create_exception!(
    promptyard,
    NoAdequateModel,
    PromptyardError,
    "No catalog model is adequate for the prompt and the catalog sets no default_model."
);

/// Maps a promptyard error to its exception class, keeping the message.
pub fn to_py(e: promptyard::Error) -> PyErr {
    let msg = e.to_string();
    match e {
        promptyard::Error::Catalog { .. } => CatalogError::new_err(msg),
        promptyard::Error::Model { .. } | promptyard::Error::Hub { .. } => {
            ModelError::new_err(msg)
        }
        promptyard::Error::NoAdequateModel { .. } => NoAdequateModel::new_err(msg),
        _ => PromptyardError::new_err(msg),
    }
}

/// A panic caught at the boundary: reported as an ordinary error, never a `PanicException`.
pub fn from_panic(payload: Box<dyn Any + Send>) -> PyErr {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    PromptyardError::new_err(format!("internal error (please report): {what}"))
}
