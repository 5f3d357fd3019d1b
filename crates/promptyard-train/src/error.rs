//! The training crate's one error type. Every variant says what went wrong and where (file,
//! line, field, option) so the CLI can print it once and a caller can match on it. Errors of
//! the runtime crate (featurizer configuration, model files, devices) pass through unchanged
//! as [`Error::Runtime`].

use std::path::PathBuf;

use crate::data::split::Split;

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while building data, training or evaluating.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The runtime crate refused something: a featurizer configuration, a model file, a
    /// compute device.
    #[error(transparent)]
    Runtime(#[from] promptyard::Error),

    /// A tensor operation failed inside candle (training, batch scoring).
    #[error("candle: {0}")]
    Candle(#[from] candle_core::Error),

    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// What the operating system reported.
        #[source]
        source: std::io::Error,
    },

    /// A data record (a split, a user file, a mined `raw-extra` file) is malformed.
    #[error("{path}:{line}: {field}: {msg}")]
    Record {
        /// The data file.
        path: PathBuf,
        /// 1-based line number in the file.
        line: u64,
        /// The JSON field at fault, or `-` for the whole line.
        field: String,
        /// What is wrong with it.
        msg: String,
    },

    /// A raw public source could not be imported by the data pipeline.
    #[error("source {source_name}: {path}: {msg}")]
    Source {
        /// The source's registry name (`gsm8k`, `humaneval` ...).
        source_name: String,
        /// The file or folder at fault.
        path: PathBuf,
        /// What is wrong with it.
        msg: String,
    },

    /// A data directory lacks a split that the operation needs.
    #[error("{}: no {split}.jsonl or {split}.jsonl.gz", dir.display())]
    MissingSplit {
        /// The data directory searched.
        dir: PathBuf,
        /// The split that is missing.
        split: Split,
    },

    /// Training was asked to run on no records at all.
    #[error("no training records")]
    EmptyTrainingSet,

    /// Embeddings were passed for a different number of records than were given.
    #[error("{embeddings} embeddings for {records} records")]
    EmbeddingCount {
        /// Embeddings passed.
        embeddings: usize,
        /// Records they should belong to.
        records: usize,
    },

    /// A training option is out of its range.
    #[error("training option {option} = {value}: must be {expected}")]
    TrainOption {
        /// The [`TrainOptions`](crate::train::TrainOptions) field at fault.
        option: &'static str,
        /// The value given, as text.
        value: String,
        /// The range it must lie in.
        expected: &'static str,
    },

    /// A stub-mining language name is not one the miner knows.
    #[error("unknown stub language {name:?} (expected python, rust, go or js)")]
    UnknownStubLang {
        /// The name given.
        name: String,
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
