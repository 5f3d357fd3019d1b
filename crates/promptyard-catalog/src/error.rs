//! The crate's one error type: every variant names the file and, where the format gives one,
//! the line and the field at fault.

use std::path::PathBuf;

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while reading price feeds or editing a catalog.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },

    /// A feed file is not valid JSON.
    #[error("{path}:{line}:{column}: invalid JSON: {msg}")]
    Json {
        /// The feed file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What serde_json said.
        msg: String,
    },

    /// A JSON file is neither a genai-prices v2 feed nor a LiteLLM price map.
    #[error("{path}: not a price feed: {msg}")]
    UnknownFeed {
        /// The file.
        path: PathBuf,
        /// What was found instead.
        msg: String,
    },

    /// A feed entry is malformed (a price that is not a number, a bad date, …).
    #[error("{path}: {field}: {msg}")]
    Feed {
        /// The feed file.
        path: PathBuf,
        /// JSON path of the value at fault, e.g. `[3].models[2].prices.input_mtok`.
        field: String,
        /// What is wrong.
        msg: String,
    },

    /// A catalog file is not valid TOML, or a field the tooling edits has the wrong type.
    #[error("catalog {path}:{line}: {field}: {msg}")]
    Toml {
        /// The catalog file.
        path: PathBuf,
        /// 1-based line, 0 when unknown.
        line: usize,
        /// The field at fault, or `-`.
        field: String,
        /// What is wrong.
        msg: String,
    },

    /// The catalog fails promptyard's own validation (what `Router` would refuse to load).
    #[error(transparent)]
    Catalog(#[from] promptyard::Error),

    /// A date is not a real `YYYY-MM-DD` date.
    #[error("invalid date {value:?}: {msg}")]
    Date {
        /// The text given.
        value: String,
        /// What is wrong.
        msg: String,
    },

    /// An outcome log (prompts JSONL or outcomes CSV) is malformed.
    #[error("{path}:{line}: {field}: {msg}")]
    Outcomes {
        /// The file.
        path: PathBuf,
        /// 1-based line, 0 when unknown.
        line: usize,
        /// The field or column at fault, or `-`.
        field: String,
        /// What is wrong.
        msg: String,
    },

    /// A labelled log (the output of `promptyard label`) cannot be joined with outcomes: a
    /// record lacks the id, label, probabilities or model, or names a model the catalog lacks.
    #[error("{path}:{line}: {field}: {msg}")]
    LabelledLog {
        /// The labelled log.
        path: PathBuf,
        /// 1-based line, 0 when the problem is the whole log.
        line: usize,
        /// The field at fault, or `-`.
        field: String,
        /// What is wrong, and what to do.
        msg: String,
    },

    /// Calibration cannot produce a catalog (no model has prices, no outcomes left, …).
    #[error("calibrate: {0}")]
    Calibrate(String),

    /// A feed argument is incomplete, e.g. no snapshot date for a feed that has none.
    #[error("{path}: {msg}")]
    Usage {
        /// The feed file.
        path: PathBuf,
        /// What to give.
        msg: String,
    },
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
