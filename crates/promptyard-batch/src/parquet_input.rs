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
            input_hash: None,
            first,
            next: self.next,
            records: Records::Lines { buf, spans },
        }))
    }
}

#[cfg(test)]
mod tests {
    //! Interrupting a Parquet run after any chunk and resuming it gives the bytes of a
    //! clean run; an edited file is refused (for Parquet the checkpoint hashes the whole
    //! file, since positions count rows). The command-line kill -9 tests cover JSONL and
    //! CSV; this is the Parquet counterpart, run with `--features parquet`.

    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    use promptyard::Label;

    use crate::{run, Error, Format, Input, Labeler, Labelled, Output, RunOptions};

    fn write(path: &std::path::Path, rows: usize) {
        let schema = Arc::new(
            parse_message_type(
                "message log { REQUIRED INT64 id; REQUIRED BYTE_ARRAY text (UTF8); }",
            )
            .unwrap(),
        );
        let props = Arc::new(WriterProperties::builder().build());
        let mut w =
            SerializedFileWriter::new(std::fs::File::create(path).unwrap(), schema, props).unwrap();
        for group in 0..4 {
            let ids: Vec<i64> = (0..rows as i64).map(|i| i + group * rows as i64).collect();
            let texts: Vec<ByteArray> = ids
                .iter()
                .map(|i| {
                    ByteArray::from(
                        if i % 17 == 0 {
                            " ".to_string()
                        } else {
                            format!("plan step {i}")
                        }
                        .as_str(),
                    )
                })
                .collect();
            let mut rg = w.next_row_group().unwrap();
            let mut col = rg.next_column().unwrap().unwrap();
            col.typed::<Int64Type>()
                .write_batch(&ids, None, None)
                .unwrap();
            col.close().unwrap();
            let mut col = rg.next_column().unwrap().unwrap();
            col.typed::<ByteArrayType>()
                .write_batch(&texts, None, None)
                .unwrap();
            col.close().unwrap();
            rg.close().unwrap();
        }
        w.close().unwrap();
    }

    struct Stopping {
        calls: AtomicUsize,
        limit: usize,
    }

    impl Labeler for Stopping {
        fn label<'a>(&'a self, text: &str) -> crate::Result<Labelled<'a>> {
            Ok(Labelled {
                label: Label::Planning,
                confidence: 1.0,
                probs: [1.0, 0.0, 0.0, 0.0],
                model: "m".into(),
                est_cost_usd: text.len() as f64 * 1e-6,
                input_tokens: text.len() as u64,
                output_tokens: 1,
                tier: crate::Tier::Fast,
            })
        }
        fn label_batch<'a>(
            &'a self,
            texts: &[&str],
        ) -> crate::Result<Vec<crate::Result<Labelled<'a>>>> {
            if self.calls.fetch_add(1, Ordering::SeqCst) >= self.limit {
                return Err(Error::io("<device>", std::io::Error::other("interrupted")));
            }
            Ok(texts.iter().map(|t| self.label(t)).collect())
        }
        fn prefers_batches(&self) -> bool {
            true
        }
    }

    fn stopping(limit: usize) -> Stopping {
        Stopping {
            calls: AtomicUsize::new(0),
            limit,
        }
    }

    #[test]
    fn interrupted_parquet_run_resumes_to_a_clean_run() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("log.parquet");
        write(&input, 300);
        let mut opts = RunOptions::new(Format::Parquet);
        opts.chunk_bytes = 2048;
        let go = |out: &str, opts: &RunOptions, l: &Stopping| {
            run(
                Input::Path(input.clone()),
                Output::Path(dir.path().join(out)),
                opts,
                l,
                &mut |_| {},
            )
        };
        go("clean.jsonl", &opts, &stopping(usize::MAX)).unwrap();
        let clean = std::fs::read(dir.path().join("clean.jsonl")).unwrap();
        let mut resumed_any = false;
        for stop in 1..100 {
            let out = format!("out-{stop}.jsonl");
            if go(&out, &opts, &stopping(stop)).is_ok() {
                break;
            }
            let mut resume = opts.clone();
            resume.resume = true;
            go(&out, &resume, &stopping(usize::MAX)).unwrap();
            assert!(
                std::fs::read(dir.path().join(&out)).unwrap() == clean,
                "stopped after {stop}"
            );
            resumed_any = true;
        }
        assert!(resumed_any);

        // An edited file is refused.
        go("edited.jsonl", &opts, &stopping(1)).unwrap_err();
        let mut bytes = std::fs::read(&input).unwrap();
        let at = bytes.windows(9).position(|w| w == b"plan step").unwrap();
        bytes[at] = b'P';
        let before = std::fs::metadata(&input).unwrap().modified().unwrap();
        std::fs::write(&input, bytes).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&input)
            .unwrap()
            .set_modified(before)
            .unwrap();
        let mut resume = opts.clone();
        resume.resume = true;
        let e = go("edited.jsonl", &resume, &stopping(usize::MAX)).unwrap_err();
        assert!(e.to_string().contains("input contents"), "{e}");
    }
}
