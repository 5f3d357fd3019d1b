//! The crate's one error type. Every variant says what went wrong and where
//! (file, line, field) so a CLI can print it once and a service can match on it.
//!
//! Stages add variants here rather than defining their own error types.

use std::path::PathBuf;

/// Result alias used across the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in promptyard's library code.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A data record (training, evaluation or user file) is malformed.
    #[error("{path}:{line}: {field}: {msg}")]
    Record {
        path: PathBuf,
        /// 1-based line number in the file.
        line: u64,
        /// The JSON field at fault, or `-` for the whole line.
        field: String,
        msg: String,
    },

    /// A raw source could not be imported by the data pipeline.
    #[error("source {source_name}: {path}: {msg}")]
    Source {
        source_name: String,
        path: PathBuf,
        msg: String,
    },

    /// A model directory is missing, truncated or does not match this build.
    #[error("model {path}: {msg}")]
    Model { path: PathBuf, msg: String },

    /// A catalog file is invalid; `line` is 1-based, 0 when unknown.
    #[error("catalog {path}:{line}: {field}: {msg}")]
    Catalog {
        path: PathBuf,
        line: usize,
        field: String,
        msg: String,
    },

    /// No model in the catalog is adequate for the prompt and no default is configured.
    #[error("no adequate model: {0}")]
    NoAdequateModel(String),

    /// A published model (`hf:ORG/REPO[@REV]`) could not be resolved to a local directory.
    #[error("model {spec}: {msg}")]
    Hub { spec: String, msg: String },

    /// An invalid argument or configuration value.
    #[error("invalid {what}: {msg}")]
    Invalid { what: String, msg: String },

    /// A compute device could not be used (`cpu`, `cuda`).
    #[error("device {name}: {msg}")]
    Device { name: String, msg: String },

    /// A tensor operation failed inside candle (batch inference, training).
    #[cfg(feature = "candle")]
    #[error("candle: {0}")]
    Candle(#[from] candle_core::Error),
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
