//! What the readers hand the labeller: chunks of whole records, and the input positions
//! around them that a checkpoint records.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::csv_input;

/// A position in the input between two records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Position {
    /// Byte offset.
    pub offset: u64,
    /// Lines consumed before `offset`.
    pub line: u64,
    /// Records consumed before `offset` (for CSV, as counted by the csv crate).
    pub record: u64,
}

impl Position {
    pub(crate) const START: Position = Position {
        offset: 0,
        line: 0,
        record: 0,
    };
}

/// Records as read, before labelling.
pub(crate) enum Records {
    /// JSONL: a buffer of whole lines and each line's span (without the `\n`).
    Lines {
        buf: Vec<u8>,
        spans: Vec<(usize, usize)>,
    },
    /// CSV: rows and the header they are read against.
    Csv {
        columns: Arc<csv_input::Columns>,
        rows: Vec<csv_input::Row>,
    },
    /// One JSONL line over the size limit, skipped unread.
    TooLong { bytes: u64 },
}

/// A run of whole records and the input positions around it.
pub(crate) struct Chunk {
    pub first: Position,
    pub next: Position,
    pub records: Records,
    /// Digest of the input's bytes from its start up to `next`, when the reader hashes as
    /// it reads (JSONL from a file); otherwise the writer hashes a second stream.
    pub input_hash: Option<String>,
}

impl Chunk {
    /// Records in the chunk.
    pub(crate) fn len(&self) -> usize {
        match &self.records {
            Records::Lines { spans, .. } => spans.len(),
            Records::Csv { rows, .. } => rows.len(),
            Records::TooLong { .. } => 1,
        }
    }
}
