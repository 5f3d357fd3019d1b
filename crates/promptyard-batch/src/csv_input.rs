//! CSV input with a header row: the prompt is the column named by the field path; every
//! column is carried into the output record as a string field.

use std::collections::VecDeque;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

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
    /// Fields in the header: a row with another count is a `bad_csv_row`.
    pub width: usize,
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
    /// What the tracker saw of the raw bytes (line breaks, record starts, quoting).
    seen: Arc<Mutex<Seen>>,
    /// Where the reader started in the file; the csv crate counts from there.
    base: Position,
    next: Position,
    target: usize,
    done: bool,
}

/// Where a byte stands in the CSV grammar (the csv crate's defaults: `,` delimiter, `"`
/// quotes doubled to escape, `\r`, `\n` or `\r\n` ending a record, blank lines skipped).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quoting {
    /// Between records: terminators are skipped, anything else starts a record.
    RecordStart,
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: closes it, or escapes a second quote.
    QuoteInQuoted,
}

/// The raw bytes' story, which the csv crate does not tell: its line numbers ignore skipped
/// blank lines and count `\r\n` oddly, and a quote left open at the end of the input just
/// ends the last field. Offsets are relative to where reading started. Lines are counted
/// by `\n`, as for JSONL: rows ended by a lone `\r` (classic Mac files) share the line
/// number of the row they follow.
struct Seen {
    state: Quoting,
    /// Bytes read from the input so far.
    bytes: u64,
    eof: bool,
    /// Starts of records read ahead but not yet handed out.
    record_starts: VecDeque<u64>,
    /// Offsets of `\n` bytes not yet counted into `lines_before`.
    newlines: VecDeque<u64>,
    /// `\n` bytes before the last offset asked about.
    lines_before: u64,
}

impl Seen {
    fn new() -> Self {
        Seen {
            state: Quoting::RecordStart,
            bytes: 0,
            eof: false,
            record_starts: VecDeque::new(),
            newlines: VecDeque::new(),
            lines_before: 0,
        }
    }

    fn scan(&mut self, block: &[u8]) {
        use Quoting::*;
        let base = self.bytes;
        for (i, &b) in block.iter().enumerate() {
            let at = base + i as u64;
            if b == b'\n' {
                self.newlines.push_back(at);
            }
            self.state = match (self.state, b) {
                (RecordStart, b'\r' | b'\n') => RecordStart,
                (RecordStart, _) => {
                    self.record_starts.push_back(at);
                    match b {
                        b'"' => Quoted,
                        b',' => FieldStart,
                        _ => Unquoted,
                    }
                }
                (FieldStart | Unquoted | QuoteInQuoted, b'\r' | b'\n') => RecordStart,
                (FieldStart | Unquoted | QuoteInQuoted, b',') => FieldStart,
                (FieldStart, b'"') => Quoted,
                (QuoteInQuoted, b'"') => Quoted,
                (FieldStart | Unquoted | QuoteInQuoted, _) => Unquoted,
                (Quoted, b'"') => QuoteInQuoted,
                (Quoted, _) => Quoted,
            };
        }
        self.bytes += block.len() as u64;
    }

    /// `\n` bytes before `offset`; offsets must not decrease between calls.
    fn lines_before(&mut self, offset: u64) -> u64 {
        while self.newlines.front().is_some_and(|&n| n < offset) {
            self.newlines.pop_front();
            self.lines_before += 1;
        }
        self.lines_before
    }

    /// The input ended inside a quoted field.
    fn ended_in_quotes(&self) -> bool {
        self.eof && self.state == Quoting::Quoted
    }
}

/// Passes the input through to the csv reader, telling [`Seen`] about every byte.
struct Tracked<R> {
    inner: R,
    seen: Arc<Mutex<Seen>>,
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if n == 0 && !buf.is_empty() {
            seen.eof = true;
        }
        seen.scan(&buf[..n]);
        Ok(n)
    }
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
    Ok(Columns {
        text,
        copied,
        width: names.len(),
    })
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
        let seen = Arc::new(Mutex::new(Seen::new()));
        let tracked: Box<dyn Read + Send + 'a> = Box::new(Tracked {
            inner: read,
            seen: Arc::clone(&seen),
        });
        // Flexible: row widths are checked against the header here, not against whatever
        // row the reader happens to see first (which, on resume, may be a ragged one).
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(resumed.is_none())
            .flexible(true)
            .from_reader(tracked);
        let columns = match resumed {
            Some(c) => c,
            None => {
                let header = rdr.byte_headers().map_err(|e| csv_error(path, e))?;
                let columns = resolve_columns(header, path, field)?;
                lock(&seen).record_starts.pop_front();
                columns
            }
        };
        let mut chunks = CsvChunks {
            rdr,
            path: path.to_path_buf(),
            columns: Arc::new(columns),
            seen,
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
            line: self.base.line + lock(&self.seen).lines_before(p.byte()),
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
            match self.rdr.read_byte_record(&mut record) {
                Ok(true) => {
                    bytes += record.as_slice().len() + record.len();
                    let end = self.rdr.position().byte();
                    let (start, line, unterminated) = {
                        let mut seen = lock(&self.seen);
                        let start = seen.record_starts.pop_front().unwrap_or(end);
                        let line = self.base.line + seen.lines_before(start) + 1;
                        (start, line, seen.ended_in_quotes() && end == seen.bytes)
                    };
                    let width = self.columns.width;
                    let record = if unterminated {
                        Err(format!(
                            "unterminated quoted field: a quote opened on this row is never \
                             closed, so the row runs to the end of the input ({} bytes)",
                            end - start
                        ))
                    } else if record.len() != width {
                        Err(format!(
                            "row has {} fields, the header has {width}",
                            record.len()
                        ))
                    } else {
                        Ok(record)
                    };
                    rows.push(Row { line, record });
                }
                Ok(false) => {
                    self.done = true;
                    break;
                }
                Err(e) => return Err(csv_error(&self.path, e)),
            }
        }
        self.next = self.here();
        if rows.is_empty() {
            return Ok(None);
        }
        Ok(Some(Chunk {
            input_hash: None,
            first,
            next: self.next,
            records: Records::Csv {
                columns: Arc::clone(&self.columns),
                rows,
            },
        }))
    }
}

fn lock(seen: &Mutex<Seen>) -> std::sync::MutexGuard<'_, Seen> {
    seen.lock().unwrap_or_else(|e| e.into_inner())
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

#[cfg(test)]
mod tests {
    #[test]
    fn rows_ended_by_a_lone_carriage_return_keep_line_numbers_in_order() {
        // Found by the `csv` fuzz target: `\r` ends a row but not a line.
        let data = b"id,text\r\n0,pln\x8a\ra\r\n2\r\n3,\"multi\nline\"\n4,a,b\n5,\"open\n6,x\n";
        for target in [1, 7, 1 << 20] {
            crate::fuzzing::csv(data, "text", target);
        }
    }
}
