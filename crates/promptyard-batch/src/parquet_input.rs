//! Parquet input (cargo feature `parquet`): each row becomes a JSON object (nested groups
//! as objects, lists as arrays) and then goes down the JSONL path, so field paths, output
//! records and error records work the same; the "line" of a record is its 1-based row.
//!
//! Uses parquet's row API rather than arrow, which would triple the build cost of the
//! feature. A checkpoint counts rows; resuming decodes and skips the rows already done.

use std::fs::File;
use std::path::{Path, PathBuf};

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::reader::RowIter;

use crate::chunk::{Chunk, Position, Records};
use crate::error::{Error, Result};

/// Reads rows in chunks of about `target` bytes of JSON.
pub(crate) struct ParquetChunks {
    rows: RowIter<'static>,
    path: PathBuf,
    next: Position,
    /// Rows in the file.
    pub total_rows: u64,
    target: usize,
}

fn parquet_error(path: &Path, e: parquet::errors::ParquetError) -> Error {
    Error::Parquet {
        path: path.to_path_buf(),
        msg: e.to_string(),
    }
}

impl ParquetChunks {
    /// Opens `path` and skips the `start.record` rows a previous run already did.
    pub(crate) fn open(path: &Path, start: Position, target: usize) -> Result<Self> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let reader = SerializedFileReader::new(file).map_err(|e| parquet_error(path, e))?;
        let total_rows = reader.metadata().file_metadata().num_rows().max(0) as u64;
        let mut rows = RowIter::from_file_into(Box::new(reader));
        for _ in 0..start.record {
            match rows.next() {
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(parquet_error(path, e)),
                None => break,
            }
        }
        Ok(ParquetChunks {
            rows,
            path: path.to_path_buf(),
            next: start,
            total_rows,
            target: target.max(1),
        })
    }

    pub(crate) fn next_chunk(&mut self) -> Result<Option<Chunk>> {
        let first = self.next;
        let mut buf = Vec::with_capacity(self.target + (self.target >> 3));
        let mut spans = Vec::new();
        while buf.len() < self.target {
            let row = match self.rows.next() {
                Some(r) => r.map_err(|e| parquet_error(&self.path, e))?,
                None => break,
            };
            let start = buf.len();
            serde_json::to_writer(&mut buf, &row.to_json_value()).expect("JSON values serialise");
            spans.push((start, buf.len()));
            buf.push(b'\n');
        }
        if spans.is_empty() {
            return Ok(None);
        }
        let n = spans.len() as u64;
        self.next = Position {
            offset: first.offset + n,
            line: first.line + n,
            record: first.record + n,
        };
        Ok(Some(Chunk {
            first,
            next: self.next,
            records: Records::Lines { buf, spans },
        }))
    }
}
