//! Batch labelling of prompt logs, and the numbers of the cost report.
//!
//! The flow, one module per stage:
//!
//! 1. **logs in** ([`format`](mod@format)): a JSONL, CSV or Parquet log from a file, standard input or
//!    any [`Read`](std::io::Read) ([`Input`]); [`FieldPath`] says where the prompt is.
//! 2. **label** ([`labeler`]): a [`Labeler`] turns each prompt into the fields of its
//!    output record ([`Labelled`]): [`RouterLabeler`] with the plain-Rust classifier, one
//!    prompt at a time on the rayon pool, or `EngineLabeler` (cargo feature `candle`) a
//!    chunk at a time through candle on CPU or a GPU.
//! 3. **records out** ([`record`]): one output record per input record, in input order, to
//!    a file, standard output or any [`Write`](std::io::Write) ([`Output`]); bad records
//!    (invalid JSON or UTF-8, a missing or non-string field, empty text, a bad CSV row)
//!    become error records in the same position ([`RecordErrorKind`]).
//! 4. **report** ([`report`]): what routing a labelled log cost against sending every
//!    prompt to one baseline model.
//!
//! [`run`] drives 1–3 over a whole log with three threads: a reader cuts the input into
//! chunks of whole records (a few MiB each, so memory stays bounded whatever the size), the
//! calling thread labels each chunk, and a writer appends it to `OUTPUT.partial` and records
//! a checkpoint (`OUTPUT.checkpoint`) of how far input and output got. The finished file is
//! renamed into place, so a killed run never leaves a truncated output under the final
//! name, and [`RunOptions::resume`] picks up where the last checkpoint says (for a file
//! input and a file output only: a checkpoint records file offsets). Without files,
//! [`label_texts`] and [`label_records`] label what a caller holds in memory.
//!
//! ```
//! use promptyard_batch::{self as batch, Format, Input, Labelled, Output, RunOptions};
//! use promptyard::Label;
//!
//! let log = "{\"text\":\"plan a trip\"}\n{\"text\":7}\n";
//! let labeler = |text: &str| -> promptyard::Result<Labelled> {
//!     Ok(Labelled {
//!         label: Label::Planning,
//!         confidence: 1.0,
//!         probs: [1.0, 0.0, 0.0, 0.0],
//!         model: "small".into(),
//!         est_cost_usd: text.len() as f64 * 1e-6,
//!         input_tokens: text.len() as u64 / 4,
//!         output_tokens: 100,
//!         tier: batch::Tier::Fast,
//!     })
//! };
//! let mut out = Vec::new();
//! let opts = RunOptions::new(Format::Jsonl);
//! let input = Input::reader(log.as_bytes());
//! let summary = batch::run(input, Output::writer(&mut out), &opts, &labeler, &mut |_| {})?;
//! assert_eq!((summary.counts.read(), summary.counts.labelled), (2, 1));
//! let out = String::from_utf8(out).unwrap();
//! assert!(out.lines().next().unwrap().contains("\"label\":\"planning\""));
//! assert!(out.lines().nth(1).unwrap().starts_with("{\"line\":2,\"error\":\"not_a_string\""));
//!
//! // The same records without a stream, one at a time.
//! let field = "text".parse()?;
//! let records: Vec<_> = batch::label_records(&labeler, &field, log.lines()).collect();
//! assert_eq!(records[1].error, Some(batch::RecordErrorKind::NotAString));
//! # Ok::<(), batch::Error>(())
//! ```

#![warn(missing_docs)]

mod buffers;
mod checkpoint;
mod chunk;
mod csv_input;
pub mod error;
mod files;
pub mod format;
mod in_memory;
mod jsonl;
pub mod labeler;
mod output;
#[cfg(feature = "parquet")]
mod parquet_input;
mod pipeline;
pub mod record;
pub mod report;

pub use error::{Error, Result};
pub use format::{FieldPath, Format, RunOptions};
pub use in_memory::{label_records, label_texts, OutputRecord};
#[cfg(feature = "candle")]
pub use labeler::EngineLabeler;
pub use labeler::{Labeler, Labelled, RouterLabeler, Tier};
pub use pipeline::{run, Input, Output, RunProgress, RunSummary};
pub use record::{Counts, RecordError, RecordErrorKind, OUTPUT_KEYS};

/// The `parquet` crate this one reads with, so tests and callers write files it reads
/// without pinning a second copy.
#[cfg(feature = "parquet")]
#[doc(hidden)]
pub use parquet;

/// Entry points for the fuzz targets in `fuzz/` (not a stable API): the record readers and
/// the checkpoint parser without threads or files, so a fuzzer runs them fast.
#[doc(hidden)]
pub mod fuzzing {
    use std::path::Path;

    use crate::chunk::Position;

    /// Parses `field` as a field path and extracts the prompt of one JSONL line; checks that
    /// a found prompt is non-empty text.
    pub fn jsonl_line(line: &[u8], field: &str) {
        let Ok(field) = field.parse::<crate::FieldPath>() else {
            return;
        };
        if let Ok(x) = crate::output::jsonl_prompt(line, &field) {
            assert!(!x.text.trim().is_empty());
        }
        let mut out = Vec::new();
        let mut tally = crate::record::Tally::default();
        crate::output::jsonl_record(
            &mut out,
            1,
            line,
            &field,
            |_| {
                Err(crate::RecordError::new(
                    crate::RecordErrorKind::RouteFailed,
                    "x",
                ))
            },
            &mut tally,
        );
        assert!(out.ends_with(b"\n"));
    }

    /// Cuts `data` into JSONL chunks of `target` bytes and checks every byte is accounted for.
    pub fn jsonl_chunks(data: &[u8], target: usize, max_line: usize) {
        let mut r = crate::jsonl::LineChunks::new(
            Box::new(data),
            Path::new("fuzz"),
            Position::START,
            target,
            max_line,
        );
        let mut last = Position::START;
        while let Some(c) = r.next_chunk().expect("reading a slice cannot fail") {
            assert_eq!(c.first, last);
            assert!(c.next.offset > last.offset);
            last = c.next;
        }
        assert_eq!(last.offset, data.len() as u64);
    }

    /// Reads `data` as CSV with the prompt in column `field`, in chunks of `target` bytes,
    /// and formats every row as an output record; line numbers must not go backwards.
    pub fn csv(data: &[u8], field: &str, target: usize) {
        let Ok(mut r) = crate::csv_input::CsvChunks::new(
            Box::new(data),
            Path::new("fuzz"),
            field,
            Position::START,
            None,
            target,
        ) else {
            return;
        };
        let mut line = 0;
        while let Ok(Some(c)) = r.next_chunk() {
            let crate::chunk::Records::Csv { columns, rows } = &c.records else {
                unreachable!("a CSV reader makes CSV chunks")
            };
            for row in rows {
                // Lines count `\n` breaks: rows ended by a lone `\r` share a line number.
                assert!(row.line >= line.max(1), "line {} after {line}", row.line);
                line = row.line;
                let mut out = Vec::new();
                let mut tally = crate::record::Tally::default();
                crate::output::csv_record(
                    &mut out,
                    row,
                    columns,
                    |_| {
                        Err(crate::RecordError::new(
                            crate::RecordErrorKind::RouteFailed,
                            "x",
                        ))
                    },
                    &mut tally,
                );
                assert!(out.ends_with(b"\n"));
            }
            assert!(c.next.offset <= data.len() as u64);
        }
    }

    /// Parses checkpoint bytes; whatever it accepts must write back to bytes it accepts.
    /// The body is parsed on its own too, so the fuzzer gets past the checksum.
    pub fn checkpoint(data: &[u8]) {
        use crate::checkpoint::Checkpoint;
        let path = Path::new("fuzz.checkpoint");
        let body = std::str::from_utf8(data).ok();
        let parsed = Checkpoint::parse(data, path)
            .ok()
            .into_iter()
            .chain(body.and_then(|b| Checkpoint::parse_body(b, path).ok()));
        for ck in parsed {
            let again =
                Checkpoint::parse(&ck.to_bytes(), path).expect("a written checkpoint reads back");
            assert_eq!(again, ck);
        }
    }
}
