//! What becomes of each input record: the keys a labelled output record gets, why a record
//! became an error record instead, and the run's account of both.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Keys every labelled output record gets; input fields with these names are replaced.
pub const OUTPUT_KEYS: [&str; 8] = [
    "label",
    "confidence",
    "probs",
    "model",
    "est_cost_usd",
    "input_tokens",
    "output_tokens",
    "tier",
];

/// Why a record became an error record (the `error` field of the record).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RecordErrorKind {
    /// A JSONL line that is not valid JSON.
    InvalidJson,
    /// A JSONL line that is JSON but not an object.
    NotAnObject,
    /// The field path does not exist in the record.
    MissingField,
    /// The field exists but is a number, boolean, null, array or object.
    NotAString,
    /// The text is empty or only whitespace.
    EmptyText,
    /// A blank JSONL line.
    EmptyLine,
    /// The line (or a CSV field) is not valid UTF-8.
    InvalidUtf8,
    /// A CSV row with a different number of fields than the header.
    BadCsvRow,
    /// The labeller or router failed on the text.
    RouteFailed,
    /// A JSONL line longer than [`RunOptions::max_record_bytes`](crate::RunOptions::max_record_bytes).
    RecordTooLong,
}

impl RecordErrorKind {
    /// Every kind, in declaration order (the order of [`Counts::errors`]).
    pub const ALL: [RecordErrorKind; 10] = [
        RecordErrorKind::InvalidJson,
        RecordErrorKind::NotAnObject,
        RecordErrorKind::MissingField,
        RecordErrorKind::NotAString,
        RecordErrorKind::EmptyText,
        RecordErrorKind::EmptyLine,
        RecordErrorKind::InvalidUtf8,
        RecordErrorKind::BadCsvRow,
        RecordErrorKind::RouteFailed,
        RecordErrorKind::RecordTooLong,
    ];

    /// The snake_case name written in error records.
    pub const fn as_str(self) -> &'static str {
        match self {
            RecordErrorKind::InvalidJson => "invalid_json",
            RecordErrorKind::NotAnObject => "not_an_object",
            RecordErrorKind::MissingField => "missing_field",
            RecordErrorKind::NotAString => "not_a_string",
            RecordErrorKind::EmptyText => "empty_text",
            RecordErrorKind::EmptyLine => "empty_line",
            RecordErrorKind::InvalidUtf8 => "invalid_utf8",
            RecordErrorKind::BadCsvRow => "bad_csv_row",
            RecordErrorKind::RouteFailed => "route_failed",
            RecordErrorKind::RecordTooLong => "record_too_long",
        }
    }
}

impl fmt::Display for RecordErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A record-level failure: becomes an error record (`{"line":…,"error":kind,"message":…}`),
/// never stops the run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: {message}")]
#[non_exhaustive]
pub struct RecordError {
    /// Why, as a matchable kind.
    pub kind: RecordErrorKind,
    /// Why, in words (the record's `message`).
    pub message: String,
}

impl RecordError {
    pub(crate) fn new(kind: RecordErrorKind, message: impl Into<String>) -> Self {
        RecordError {
            kind,
            message: message.into(),
        }
    }
}

/// Per-worker counters, merged into [`Counts`].
#[derive(Default)]
pub(crate) struct Tally {
    pub labelled: u64,
    pub errors: [u64; RecordErrorKind::ALL.len()],
}

impl Tally {
    pub(crate) fn error(&mut self, kind: RecordErrorKind) {
        self.errors[kind as usize] += 1;
    }

    pub(crate) fn merge(&mut self, other: &Tally) {
        self.labelled += other.labelled;
        for (a, b) in self.errors.iter_mut().zip(other.errors) {
            *a += b;
        }
    }
}

/// Records accounted for so far.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Counts {
    /// Records labelled.
    pub labelled: u64,
    /// Error records by reason.
    pub errors: BTreeMap<RecordErrorKind, u64>,
}

impl Counts {
    /// Records read: labelled plus errors.
    pub fn read(&self) -> u64 {
        self.labelled + self.error_total()
    }

    /// Error records of every kind.
    pub fn error_total(&self) -> u64 {
        self.errors.values().sum()
    }

    pub(crate) fn add(&mut self, t: &Tally) {
        self.labelled += t.labelled;
        for (kind, n) in RecordErrorKind::ALL.iter().zip(t.errors) {
            if n > 0 {
                *self.errors.entry(*kind).or_default() += n;
            }
        }
    }
}
