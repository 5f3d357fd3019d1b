//! CSV input with a header row: the prompt is the column named by the field path; every
//! column is carried into the output record as a string field.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use csv::ByteRecord;

use crate::chunk::{Chunk, Position, Records};
use crate::error::{Error, Result};
use crate::record::OUTPUT_KEYS;

/// The header, resolved once per file.
pub(crate) struct Columns {
    /// Index of the prompt column.
    pub text: usize,
    /// Columns copied to the output as `(index, "key":)`, with the JSON key pre-escaped.
    /// Columns named like an output field are left out: the output value replaces them.
    pub copied: Vec<(usize, Vec<u8>)>,
}

/// A CSV row as read: its 1-based line number and the record, or why it is bad.
pub(crate) struct Row {
    pub line: u64,
    pub record: std::result::Result<ByteRecord, String>,
}

/// Reads CSV rows in chunks of about `target` bytes.
pub(crate) struct CsvChunks<'a> {
    rdr: csv::Reader<Box<dyn Read + Send + 'a>>,
    path: PathBuf,
    columns: Arc<Columns>,
    /// Where the reader started in the file; the csv crate counts from there.
    base: Position,
    next: Position,
    target: usize,
    done: bool,
}

/// Resolves `field` against a header row.
pub(crate) fn resolve_columns(header: &ByteRecord, path: &Path, field: &str) -> Result<Columns> {
    let mut names = Vec::with_capacity(header.len());
    for (i, name) in header.iter().enumerate() {
        let name = std::str::from_utf8(name).map_err(|_| Error::CsvHeaderUtf8 {
            path: path.to_path_buf(),
            column: i + 1,
        })?;
        names.push(name.to_owned());
    }
    let text = names
        .iter()
        .position(|n| n == field)
        .ok_or_else(|| Error::NoSuchColumn {
            path: path.to_path_buf(),
            field: field.to_owned(),
            columns: names.clone(),
        })?;
    let copied = names
        .iter()
        .enumerate()
        .filter(|(_, n)| !OUTPUT_KEYS.contains(&n.as_str()))
        .map(|(i, n)| {
            let mut key = serde_json::to_vec(n).expect("strings serialise");
            key.push(b':');
            (i, key)
        })
        .collect();
    Ok(Columns { text, copied })
}

impl<'a> CsvChunks<'a> {
    /// `read` is positioned at `start`: the file start (the header is read here and
    /// `field` resolved against it), or a checkpoint, where `resumed` holds the columns
    /// read earlier from the file's start.
    pub(crate) fn new(
        read: Box<dyn Read + Send + 'a>,
        path: &Path,
        field: &str,
        start: Position,
        resumed: Option<Columns>,
        target: usize,
    ) -> Result<Self> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(resumed.is_none())
            .flexible(false)
            .from_reader(read);
        let columns = match resumed {
            Some(c) => c,
            None => {
                let header = rdr.byte_headers().map_err(|e| csv_error(path, e))?;
                resolve_columns(header, path, field)?
            }
        };
        let mut chunks = CsvChunks {
            rdr,
            path: path.to_path_buf(),
            columns: Arc::new(columns),
            base: start,
            next: start,
            target: target.max(1),
            done: false,
        };
        chunks.next = chunks.here();
        Ok(chunks)
    }

    /// Reads just the header of a CSV file and resolves `field` (used when resuming).
    pub(crate) fn header_columns(read: impl Read, path: &Path, field: &str) -> Result<Columns> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(read);
        let header = rdr.byte_headers().map_err(|e| csv_error(path, e))?;
        resolve_columns(header, path, field)
    }

    fn here(&self) -> Position {
        let p = self.rdr.position();
        Position {
            offset: self.base.offset + p.byte(),
            line: self.base.line + p.line().saturating_sub(1),
            record: self.base.record + p.record(),
        }
    }

    /// The next chunk of rows, or `None` at the end.
    pub(crate) fn next_chunk(&mut self) -> Result<Option<Chunk>> {
        if self.done {
            return Ok(None);
        }
        let first = self.next;
        let mut rows = Vec::new();
        let mut bytes = 0;
        while bytes < self.target {
            let mut record = ByteRecord::new();
            let line = self.base.line + self.rdr.position().line();
            match self.rdr.read_byte_record(&mut record) {
                Ok(true) => {
                    bytes += record.as_slice().len() + record.len();
                    let line = record
                        .position()
                        .map_or(line, |p| self.base.line + p.line());
                    rows.push(Row {
                        line,
                        record: Ok(record),
                    });
                }
                Ok(false) => {
                    self.done = true;
                    break;
                }
                Err(e) => match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => {
                        let line = e.position().map_or(line, |p| self.base.line + p.line());
                        rows.push(Row {
                            line,
                            record: Err(format!(
                                "row has {len} fields, the header has {expected_len}"
                            )),
                        });
                        bytes += 64;
                    }
                    _ => return Err(csv_error(&self.path, e)),
                },
            }
        }
        self.next = self.here();
        if rows.is_empty() {
            return Ok(None);
        }
        Ok(Some(Chunk {
            first,
            next: self.next,
            records: Records::Csv {
                columns: Arc::clone(&self.columns),
                rows,
            },
        }))
    }
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    let line = e.position().map_or(0, |p| p.line());
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::io(path, io),
        other => Error::Csv {
            path: path.to_path_buf(),
            line,
            msg: format!("{other:?}"),
        },
    }
}
