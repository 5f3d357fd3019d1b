//! What a run reads and how: the input [`Format`], the [`FieldPath`] to the prompt, and the
//! [`RunOptions`] that bound memory and switch on resume.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Input file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Format {
    /// JSON Lines: one JSON object per line.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
    /// Apache Parquet; needs the `parquet` cargo feature (a run without it is refused).
    Parquet,
}

impl Format {
    /// Guesses the format from a file extension (`.jsonl`, `.ndjson`, `.json`, `.csv`,
    /// `.parquet`, `.pq`), looking through a `.gz` (`log.jsonl.gz` is JSONL; a run
    /// decompresses gzip inputs whatever their name).
    pub fn from_path(path: impl AsRef<Path>) -> Option<Format> {
        let path = path.as_ref();
        let path = match path.extension() {
            Some(ext) if ext.eq_ignore_ascii_case("gz") => Path::new(path.file_stem()?),
            _ => path,
        };
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            "parquet" | "pq" => Some(Format::Parquet),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        })
    }
}

impl FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "jsonl" | "ndjson" => Ok(Format::Jsonl),
            "csv" => Ok(Format::Csv),
            "parquet" => Ok(Format::Parquet),
            other => Err(Error::UnknownFormat {
                name: other.to_owned(),
            }),
        }
    }
}

/// Where the prompt is: a JSON key, a dotted path into nested objects and arrays
/// (`messages.0.content`), or a CSV column name (used whole, dots and backslashes included).
///
/// In a JSON path, `\.` is a dot inside a key and `\\` a backslash: `meta\.v2.text` is
/// the key `text` of the key `meta.v2`. When an object repeats a key, the last occurrence
/// counts (as in JavaScript's `JSON.parse` and Python's `json`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldPath {
    raw: String,
    segments: Vec<String>,
}

impl FieldPath {
    /// The path as given.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    pub(crate) fn segments(&self) -> &[String] {
        &self.segments
    }
}

impl Default for FieldPath {
    /// `text`.
    fn default() -> Self {
        FieldPath {
            raw: "text".into(),
            segments: vec!["text".into()],
        }
    }
}

impl FromStr for FieldPath {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let mut segments = vec![String::new()];
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            match c {
                '.' => segments.push(String::new()),
                '\\' => match chars.next() {
                    Some(e @ ('.' | '\\')) => segments.last_mut().expect("non-empty").push(e),
                    _ => return Err(Error::FieldPathEscape { path: s.to_owned() }),
                },
                c => segments.last_mut().expect("non-empty").push(c),
            }
        }
        if segments.iter().any(String::is_empty) {
            return Err(Error::EmptyFieldSegment { path: s.to_owned() });
        }
        Ok(FieldPath {
            raw: s.to_owned(),
            segments,
        })
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// What a run reads and how. Build with [`RunOptions::new`] and set the fields that differ.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RunOptions {
    /// The input format.
    pub format: Format,
    /// The prompt field; default `text`.
    pub field: FieldPath,
    /// Input bytes per chunk; bounds memory (about 4× this is live at once) and sets how often
    /// the checkpoint is written. Default 4 MiB.
    pub chunk_bytes: usize,
    /// Continue from `OUTPUT.checkpoint` if there is one (a fresh run otherwise). Needs a
    /// file on both ends: a checkpoint records file offsets.
    pub resume: bool,
    /// JSONL lines longer than this (bytes) become `record_too_long` error records, so one
    /// runaway line cannot exhaust memory. Default 64 MiB.
    pub max_record_bytes: usize,
}

impl RunOptions {
    /// Defaults for `format`: field `text`, 4 MiB chunks, no resume.
    pub fn new(format: Format) -> Self {
        RunOptions {
            format,
            field: FieldPath::default(),
            chunk_bytes: 4 << 20,
            resume: false,
            max_record_bytes: 64 << 20,
        }
    }
}
