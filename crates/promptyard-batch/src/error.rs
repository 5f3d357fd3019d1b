//! The batch crate's one error type: what stops a run or a report, with the file, line or
//! setting at fault in its fields so a caller can match on it and a CLI can print it once.
//!
//! Problems with single records never stop a run: they become error records, described by
//! [`RecordError`](crate::RecordError). Messages name settings by what they are ("resume",
//! "the field path"), not by any command-line flag; a CLI adds its flag names itself.

use std::path::PathBuf;

/// Result alias used across the batch crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can stop a batch run or a cost report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading the input or writing the output, the partial file or the checkpoint failed.
    #[error("{path}: {source}")]
    Io {
        /// The file concerned; `-` for standard input or output, `<reader>` or `<writer>` for
        /// a caller's stream.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },

    /// Writing the output, the partial file or the checkpoint failed (a full disk, a closed
    /// pipe): the message names what was being written.
    #[error("writing {path}: {source}")]
    Write {
        /// The file written; `standard output` or `<writer>` for a stream.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },

    /// The input and the output (or its `.partial` or `.checkpoint` file) are the same file:
    /// writing would destroy the input. Refused before anything is opened for writing.
    #[error("{output} is the input file {input}; choose another output")]
    SameFile {
        /// The input as given.
        input: PathBuf,
        /// The output file (or its `.partial`/`.checkpoint`) that is the same file.
        output: PathBuf,
    },

    /// The output names a directory.
    #[error("{path} is a directory; the output must be a file")]
    OutputIsDirectory {
        /// The output as given.
        path: PathBuf,
    },

    /// Another run holds the lock on this output's partial file: two runs on one output
    /// would interleave their records.
    #[error("{path} is locked by another run writing the same output; wait for it to finish")]
    OutputLocked {
        /// The partial file that is locked.
        path: PathBuf,
    },

    /// A format name other than `jsonl`, `ndjson`, `csv` or `parquet`.
    #[error("unknown format {name:?} (expected jsonl, csv or parquet)")]
    UnknownFormat {
        /// The name as given.
        name: String,
    },

    /// A field path with an empty segment (`a..b`, a leading or trailing dot, or nothing).
    #[error("the field path {path:?} has an empty segment")]
    EmptyFieldSegment {
        /// The path as given.
        path: String,
    },

    /// A field path with a backslash not followed by `.` or `\\`.
    #[error("the field path {path:?} has a bad escape (write `\\.` for a dot in a key, `\\\\` for a backslash)")]
    FieldPathEscape {
        /// The path as given.
        path: String,
    },

    /// Resume was asked for with an end that is not a file: a checkpoint records file
    /// offsets, so both the input and the output must be regular files.
    #[error("resume needs an {end} file, not {given}")]
    ResumeNeedsFile {
        /// `input` or `output`.
        end: &'static str,
        /// What was given instead (`standard input`, `a reader`, …).
        given: &'static str,
    },

    /// A checkpoint file that cannot be parsed. This and the other `Checkpoint*` errors and
    /// [`PartialTooShort`](Error::PartialTooShort) refuse a resume; a run without resume
    /// starts over.
    #[error("checkpoint {path}: {msg}")]
    CheckpointUnreadable {
        /// The checkpoint file.
        path: PathBuf,
        /// What the JSON parser said.
        msg: String,
    },

    /// A checkpoint written by another version of this crate.
    #[error("checkpoint {path}: version {found} (expected {expected})")]
    CheckpointVersion {
        /// The checkpoint file.
        path: PathBuf,
        /// The version in the file.
        found: u32,
        /// The version this build writes.
        expected: u32,
    },

    /// A checkpoint written for a different input, input contents, option or labeller.
    #[error("checkpoint {path}: written for another run ({setting} was {was}, now {now})")]
    CheckpointMismatch {
        /// The checkpoint file.
        path: PathBuf,
        /// What differs: `input`, `input size`, `input modification time`, `input contents`,
        /// `format`, `field path`, `record size limit`, or a key of the labeller's
        /// [identity](crate::Labeler::identity) (`catalog`, `classifier`, `device`).
        setting: String,
        /// Its value in the checkpoint.
        was: String,
        /// Its value in this run.
        now: String,
    },

    /// The partial output is shorter than its checkpoint says: it was truncated or replaced.
    #[error("{path}: has {found} bytes but the checkpoint expects {expected}")]
    PartialTooShort {
        /// The partial output file.
        path: PathBuf,
        /// Its size, bytes.
        found: u64,
        /// The size the checkpoint recorded, bytes.
        expected: u64,
    },

    /// The CSV header is not valid UTF-8.
    #[error("{path}:1: column {column}: the CSV header is not valid UTF-8")]
    CsvHeaderUtf8 {
        /// The CSV file.
        path: PathBuf,
        /// 1-based column number.
        column: usize,
    },

    /// The field path names no column of the CSV header.
    #[error("{path}:1: {field}: no such column in the header (columns: {})", columns.join(", "))]
    NoSuchColumn {
        /// The CSV file.
        path: PathBuf,
        /// The field path as given.
        field: String,
        /// The header's column names, in order.
        columns: Vec<String>,
    },

    /// The CSV reader failed in a way no single row accounts for.
    #[error("{path}:{line}: CSV: {msg}")]
    Csv {
        /// The CSV file.
        path: PathBuf,
        /// 1-based line number, 0 when unknown.
        line: u64,
        /// What the CSV reader said.
        msg: String,
    },

    /// Parquet needs a file it can seek in; a stream cannot be read.
    #[error("Parquet cannot be read from {given}; it needs a file")]
    ParquetNeedsFile {
        /// What was given instead (`standard input`, `a reader`).
        given: &'static str,
    },

    /// A Parquet input without the `parquet` cargo feature.
    #[error(
        "{path}: Parquet support is not compiled in (the `parquet` cargo feature of promptyard-batch)"
    )]
    ParquetNotCompiled {
        /// The Parquet file.
        path: PathBuf,
    },

    /// The Parquet reader failed (bad footer, unsupported encoding, corrupt page).
    #[error("{path}: Parquet: {msg}")]
    Parquet {
        /// The Parquet file.
        path: PathBuf,
        /// What the Parquet reader said.
        msg: String,
    },

    /// The report's baseline model is not in the catalog.
    #[error("baseline {baseline:?} is not in the catalog {catalog} (models: {})", models.join(", "))]
    UnknownBaseline {
        /// The baseline model id as given.
        baseline: String,
        /// The catalog file.
        catalog: PathBuf,
        /// The catalog's model ids, in catalog order.
        models: Vec<String>,
    },

    /// A line of a labelled log that the report cannot read.
    #[error("{path}:{line}: {field}: {msg}")]
    LabelledRecord {
        /// The labelled log.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// The field at fault, or `-` for the whole line.
        field: &'static str,
        /// What is wrong with it.
        msg: String,
    },

    /// A labelled record chose a model the report's catalog does not have: the log was
    /// labelled with another catalog.
    #[error("{path}:{line}: model: {model:?} is not in the catalog; use the catalog the log was labelled with")]
    UnknownModel {
        /// The labelled log.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// The model id in the record.
        model: String,
    },

    /// The router, catalog, model or compute device failed.
    #[error(transparent)]
    Runtime(#[from] promptyard::Error),
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Wraps an error writing `path`.
    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Write {
            path: path.into(),
            source,
        }
    }
}
