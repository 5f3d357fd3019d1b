//! Batch labelling of prompt logs: stream a JSONL, CSV or Parquet file, label and route every
//! record in parallel, and write one output record per input record, in input order.
//!
//! The pipeline has three stages on their own threads: a reader cuts the input into
//! chunks of whole records (a few MiB each, so memory stays bounded whatever the file
//! size), the calling thread labels a chunk on the rayon pool, and a writer appends it
//! to `OUTPUT.partial` and then records a checkpoint (`OUTPUT.checkpoint`) of how far input and
//! output got. The finished file is renamed into place, so a killed run never leaves a
//! truncated output under the final name, and [`Options::resume`] picks up where the
//! last checkpoint says.
//!
//! Bad records (invalid JSON or UTF-8, a missing or non-string field, empty text, a bad
//! CSV row) become error records in the same position; see [`ErrorKind`].
//!
//! ```
//! use promptyard_batch::{self as batch, Labelled, Options, Sink, Source, Format};
//! use promptyard::Label;
//!
//! let dir = tempfile::tempdir().unwrap();
//! let input = dir.path().join("log.jsonl");
//! std::fs::write(&input, "{\"text\":\"plan a trip\"}\n{\"text\":7}\n").unwrap();
//! let output = dir.path().join("out.jsonl");
//! let labeler = |text: &str| -> promptyard::Result<Labelled> {
//!     Ok(Labelled {
//!         label: Label::Planning,
//!         confidence: 1.0,
//!         probs: [1.0, 0.0, 0.0, 0.0],
//!         model: "small".into(),
//!         est_cost_usd: text.len() as f64 * 1e-6,
//!         input_tokens: text.len() as u64 / 4,
//!         output_tokens: 100,
//!     })
//! };
//! let opts = Options::new(Format::Jsonl);
//! let summary = batch::run(&Source::Path(input), &Sink::Path(output.clone()), &opts, &labeler, &mut |_| {}).unwrap();
//! assert_eq!((summary.counts.read(), summary.counts.labelled), (2, 1));
//! let out = std::fs::read_to_string(&output).unwrap();
//! assert!(out.lines().nth(1).unwrap().starts_with("{\"line\":2,\"error\":\"not_a_string\""));
//! ```

mod checkpoint;
pub mod report;
mod csv_input;
mod jsonl;
mod output;
#[cfg(feature = "parquet")]
mod parquet_input;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use promptyard::catalog::Catalog;
use promptyard::classifier::Classifier;
use promptyard::{Error, Result};
use promptyard::label::{Label, Probs};
use promptyard::policy::{estimate_input_tokens, Policy};
use promptyard::router::Router;
use checkpoint::{beside, Checkpoint};

/// Keys every labelled output record gets; input fields with these names are replaced.
pub const OUTPUT_KEYS: [&str; 7] = [
    "label",
    "confidence",
    "probs",
    "model",
    "est_cost_usd",
    "input_tokens",
    "output_tokens",
];

/// Input file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
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
    /// `.parquet`).
    pub fn from_path(path: &Path) -> Option<Format> {
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
            other => Err(Error::Invalid {
                what: "format".into(),
                msg: format!("{other:?} (expected jsonl, csv or parquet)"),
            }),
        }
    }
}

/// Where the prompt is: a JSON key, a dotted path into nested objects and arrays
/// (`messages.0.content`), or a CSV column name (used whole, dots included).
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

    fn segments(&self) -> &[String] {
        &self.segments
    }
}

impl FromStr for FieldPath {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let segments: Vec<String> = s.split('.').map(str::to_owned).collect();
        if segments.iter().any(String::is_empty) {
            return Err(Error::Invalid {
                what: "field".into(),
                msg: format!("{s:?}: empty path segment"),
            });
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

/// What a run reads and how.
#[derive(Clone, Debug)]
pub struct Options {
    pub format: Format,
    /// The prompt field; default `text`.
    pub field: FieldPath,
    /// Input bytes per chunk; bounds memory (about 4× this is live at once). Default 4 MiB.
    pub chunk_bytes: usize,
    /// Continue from `OUTPUT.checkpoint` if there is one (a fresh run otherwise).
    pub resume: bool,
    /// JSONL lines longer than this become `record_too_long` error records, so one
    /// runaway line cannot exhaust memory. Default 64 MiB.
    pub max_record_bytes: usize,
}

impl Options {
    /// Defaults for `format`: field `text`, 4 MiB chunks, no resume.
    pub fn new(format: Format) -> Self {
        Options {
            format,
            field: FieldPath {
                raw: "text".into(),
                segments: vec!["text".into()],
            },
            chunk_bytes: 4 << 20,
            resume: false,
            max_record_bytes: 64 << 20,
        }
    }
}

/// Where records come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Stdin,
    Path(PathBuf),
}

/// Where records go. A file is written as `PATH.partial` and renamed when complete.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sink {
    Stdout,
    Path(PathBuf),
}

impl Source {
    /// `-` is standard input.
    pub fn from_arg(arg: &Path) -> Self {
        if arg == Path::new("-") {
            Source::Stdin
        } else {
            Source::Path(arg.to_path_buf())
        }
    }
}

impl Sink {
    /// `-` is standard output.
    pub fn from_arg(arg: &Path) -> Self {
        if arg == Path::new("-") {
            Sink::Stdout
        } else {
            Sink::Path(arg.to_path_buf())
        }
    }
}

/// The fields a labeller adds to each record (the routing part of a
/// [`Decision`](promptyard::router::Decision)); `model` borrows from the labeller's catalog.
#[derive(Clone, Debug, PartialEq)]
pub struct Labelled<'a> {
    pub label: Label,
    /// Probability of `label`.
    pub confidence: f32,
    pub probs: Probs,
    /// Catalog id of the chosen model.
    pub model: Cow<'a, str>,
    /// Estimated cost of sending the prompt to `model`, USD.
    pub est_cost_usd: f64,
    /// Estimated input tokens of the prompt (what the cost was computed from).
    pub input_tokens: u64,
    /// Output tokens assumed for the label.
    pub output_tokens: u64,
}

/// Labels one prompt. Called from rayon workers, so it must be `Sync` and should do its
/// work on the calling thread (no nested thread pools).
pub trait Labeler: Sync {
    fn label<'a>(&'a self, text: &str) -> Result<Labelled<'a>>;
}

impl<F: Fn(&str) -> Result<Labelled<'static>> + Sync> Labeler for F {
    fn label<'a>(&'a self, text: &str) -> Result<Labelled<'a>> {
        self(text)
    }
}

/// Labels with a snapshot of a [`Router`]'s classifier and catalog: the same decision as
/// [`Router::route`] minus the strings a batch record does not carry (reason, fallbacks),
/// so the hot path does not allocate. A reload of the router does not affect a run.
pub struct RouterLabeler {
    classifier: Arc<Classifier>,
    policy: Policy,
}

impl RouterLabeler {
    pub fn new(router: &Router) -> Self {
        RouterLabeler {
            classifier: router.classifier(),
            policy: Policy::new(router.catalog()),
        }
    }

    /// The catalog decisions are made over.
    pub fn catalog(&self) -> &Catalog {
        self.policy.catalog()
    }
}

impl Labeler for RouterLabeler {
    fn label<'a>(&'a self, text: &str) -> Result<Labelled<'a>> {
        let probs = self.classifier.predict(text);
        let choice = self.policy.choose(&probs, estimate_input_tokens(text))?;
        let pick = choice.pick();
        Ok(Labelled {
            label: choice.label,
            confidence: probs[choice.label.index()],
            probs,
            model: Cow::Borrowed(&self.policy.catalog().models()[pick.model].id),
            est_cost_usd: pick.cost_usd,
            input_tokens: choice.input_tokens,
            output_tokens: choice.output_tokens,
        })
    }
}

/// Why a record became an error record (the `error` field of the record).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
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
    /// A JSONL line longer than [`Options::max_record_bytes`].
    RecordTooLong,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 10] = [
        ErrorKind::InvalidJson,
        ErrorKind::NotAnObject,
        ErrorKind::MissingField,
        ErrorKind::NotAString,
        ErrorKind::EmptyText,
        ErrorKind::EmptyLine,
        ErrorKind::InvalidUtf8,
        ErrorKind::BadCsvRow,
        ErrorKind::RouteFailed,
        ErrorKind::RecordTooLong,
    ];

    /// The snake_case name written in error records.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidJson => "invalid_json",
            ErrorKind::NotAnObject => "not_an_object",
            ErrorKind::MissingField => "missing_field",
            ErrorKind::NotAString => "not_a_string",
            ErrorKind::EmptyText => "empty_text",
            ErrorKind::EmptyLine => "empty_line",
            ErrorKind::InvalidUtf8 => "invalid_utf8",
            ErrorKind::BadCsvRow => "bad_csv_row",
            ErrorKind::RouteFailed => "route_failed",
            ErrorKind::RecordTooLong => "record_too_long",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A record-level failure: becomes an error record, never stops the run.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RecordError {
    pub kind: ErrorKind,
    pub message: String,
}

impl RecordError {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        RecordError {
            kind,
            message: message.into(),
        }
    }
}

/// Per-worker counters, merged into [`Counts`].
#[derive(Default)]
pub(crate) struct Tally {
    labelled: u64,
    errors: [u64; ErrorKind::ALL.len()],
}

/// Records accounted for so far.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub labelled: u64,
    /// Error records by reason.
    pub errors: BTreeMap<ErrorKind, u64>,
}

impl Counts {
    /// Records read: labelled plus errors.
    pub fn read(&self) -> u64 {
        self.labelled + self.error_total()
    }

    pub fn error_total(&self) -> u64 {
        self.errors.values().sum()
    }

    fn add(&mut self, t: &Tally) {
        self.labelled += t.labelled;
        for (kind, n) in ErrorKind::ALL.iter().zip(t.errors) {
            if n > 0 {
                *self.errors.entry(*kind).or_default() += n;
            }
        }
    }
}

/// The end-of-run account, for the caller to print.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// All records, including those done before a resume.
    pub counts: Counts,
    /// Records that a previous, interrupted run had already written.
    pub resumed_from: u64,
    /// Wall time of this run.
    pub elapsed: Duration,
}

impl Summary {
    /// Records per second processed by this run.
    pub fn rate(&self) -> f64 {
        let done = self.counts.read() - self.resumed_from;
        done as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// How far a run has got, passed to the progress callback after each chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Records done, including any before a resume.
    pub records: u64,
    /// Input bytes consumed.
    pub bytes: u64,
    /// Input size, when the input is a file.
    pub total_bytes: Option<u64>,
}

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
}

impl Chunk {
    fn len(&self) -> usize {
        match &self.records {
            Records::Lines { spans, .. } => spans.len(),
            Records::Csv { rows, .. } => rows.len(),
            Records::TooLong { .. } => 1,
        }
    }
}

enum Reader {
    Lines(jsonl::LineChunks),
    Csv(csv_input::CsvChunks),
    #[cfg(feature = "parquet")]
    Parquet(parquet_input::ParquetChunks),
}

impl Reader {
    fn next_chunk(&mut self) -> Result<Option<Chunk>> {
        match self {
            Reader::Lines(r) => r.next_chunk(),
            Reader::Csv(r) => r.next_chunk(),
            #[cfg(feature = "parquet")]
            Reader::Parquet(r) => r.next_chunk(),
        }
    }
}

/// A labelled chunk on its way to the writer.
struct Done {
    parts: Vec<Vec<u8>>,
    next: Position,
    counts: Counts,
}

/// Labels `chunk` on the rayon pool; the output parts are in input order.
fn label_chunk(chunk: &Chunk, opts: &Options, labeler: &dyn Labeler) -> (Vec<Vec<u8>>, Tally) {
    let field = &opts.field;
    let n = chunk.len();
    let per_task = (n / (rayon::current_num_threads() * 8)).clamp(64, 8192);
    let ranges: Vec<_> = (0..n)
        .step_by(per_task)
        .map(|s| s..(s + per_task).min(n))
        .collect();
    let results: Vec<(Vec<u8>, Tally)> = ranges
        .into_par_iter()
        .map(|range| {
            let mut tally = Tally::default();
            match &chunk.records {
                Records::Lines { buf, spans } => {
                    // Input bytes plus the added fields (~250 bytes), so `out` never regrows.
                    let input = spans[range.end - 1].1 - spans[range.start].0;
                    let mut out = Vec::with_capacity(input + range.len() * 288);
                    for i in range {
                        let (s, e) = spans[i];
                        let line_no = chunk.first.line + i as u64 + 1;
                        if e - s > opts.max_record_bytes {
                            too_long(&mut out, line_no, (e - s) as u64, opts, &mut tally);
                            continue;
                        }
                        output::jsonl_record(
                            &mut out,
                            line_no,
                            &buf[s..e],
                            field,
                            labeler,
                            &mut tally,
                        );
                    }
                    (out, tally)
                }
                Records::Csv { columns, rows } => {
                    let mut out = Vec::with_capacity(range.len() * 512);
                    for row in &rows[range] {
                        output::csv_record(&mut out, row, columns, labeler, &mut tally);
                    }
                    (out, tally)
                }
                Records::TooLong { bytes } => {
                    let mut out = Vec::new();
                    too_long(&mut out, chunk.first.line + 1, *bytes, opts, &mut tally);
                    (out, tally)
                }
            }
        })
        .collect();
    let mut total = Tally::default();
    let mut parts = Vec::with_capacity(results.len());
    for (out, t) in results {
        total.labelled += t.labelled;
        for (a, b) in total.errors.iter_mut().zip(t.errors) {
            *a += b;
        }
        parts.push(out);
    }
    (parts, total)
}

/// The error record for a JSONL line over [`Options::max_record_bytes`].
fn too_long(out: &mut Vec<u8>, line_no: u64, bytes: u64, opts: &Options, tally: &mut Tally) {
    let msg = format!(
        "line of {bytes} bytes exceeds the limit of {}",
        opts.max_record_bytes
    );
    output::error_record(
        out,
        line_no,
        &RecordError::new(ErrorKind::RecordTooLong, msg),
    );
    tally.errors[ErrorKind::RecordTooLong as usize] += 1;
}

/// The output side: a partial file with an optional checkpoint, or stdout.
enum Writer {
    Stdout(std::io::Stdout),
    File {
        file: File,
        partial: PathBuf,
        target: PathBuf,
        /// Checkpoint path and contents; `None` when the input cannot be resumed (stdin).
        checkpoint: Option<(PathBuf, Checkpoint)>,
    },
}

impl Writer {
    fn write_chunk(&mut self, done: &Done) -> Result<()> {
        match self {
            Writer::Stdout(out) => {
                let mut out = out.lock();
                for p in &done.parts {
                    out.write_all(p).map_err(|e| Error::io("-", e))?;
                }
                out.flush().map_err(|e| Error::io("-", e))
            }
            Writer::File {
                file,
                partial,
                checkpoint,
                ..
            } => {
                let mut len = 0;
                for p in &done.parts {
                    file.write_all(p).map_err(|e| Error::io(&*partial, e))?;
                    len += p.len() as u64;
                }
                if let Some((path, ck)) = checkpoint {
                    ck.next = done.next;
                    ck.output_len += len;
                    ck.counts = done.counts.clone();
                    ck.save(path)?;
                }
                Ok(())
            }
        }
    }

    /// Makes the output durable and visible under its final name.
    fn finish(self) -> Result<()> {
        match self {
            Writer::Stdout(out) => out.lock().flush().map_err(|e| Error::io("-", e)),
            Writer::File {
                file,
                partial,
                target,
                checkpoint,
            } => {
                file.sync_all().map_err(|e| Error::io(&partial, e))?;
                // Checkpoint first: a kill between the two leaves a complete .partial that
                // a resume redoes from scratch, never a checkpoint for a finished file.
                if let Some((path, _)) = checkpoint {
                    std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
                }
                std::fs::rename(&partial, &target).map_err(|e| Error::io(&target, e))
            }
        }
    }
}

fn open_input(source: &Source) -> Result<(Box<dyn Read + Send>, PathBuf, Option<File>)> {
    match source {
        Source::Stdin => Ok((Box::new(std::io::stdin()), PathBuf::from("-"), None)),
        Source::Path(p) => {
            // No BufReader: the chunk readers read blocks of a MiB or more themselves.
            let file = File::open(p).map_err(|e| Error::io(p, e))?;
            let again = file.try_clone().map_err(|e| Error::io(p, e))?;
            Ok((Box::new(file), p.clone(), Some(again)))
        }
    }
}

/// Sets up the writer and, on resume, the input position and counts to continue from.
fn open_output(
    source: &Source,
    sink: &Sink,
    opts: &Options,
) -> Result<(Writer, Position, Counts, Option<u64>)> {
    let target = match sink {
        Sink::Stdout => {
            if opts.resume {
                return Err(Error::Invalid {
                    what: "--resume".into(),
                    msg: "needs an output file, not standard output".into(),
                });
            }
            let total = match source {
                Source::Path(p) => Some(std::fs::metadata(p).map_err(|e| Error::io(p, e))?.len()),
                Source::Stdin => None,
            };
            return Ok((
                Writer::Stdout(std::io::stdout()),
                Position::START,
                Counts::default(),
                total,
            ));
        }
        Sink::Path(p) => p.clone(),
    };
    let partial = beside(&target, ".partial");
    let (fresh, total) = match source {
        Source::Stdin if opts.resume => {
            return Err(Error::Invalid {
                what: "--resume".into(),
                msg: "needs an input file, not standard input".into(),
            })
        }
        Source::Stdin => (None, None),
        Source::Path(p) => {
            let canonical = p.canonicalize().map_err(|e| Error::io(p, e))?;
            let len = std::fs::metadata(p).map_err(|e| Error::io(p, e))?.len();
            let ck = Checkpoint::new(canonical, len, opts.format, opts.field.as_str().to_owned());
            (Some(ck), Some(len))
        }
    };
    let ck_path = beside(&target, ".checkpoint");
    if let (true, Some(fresh)) = (opts.resume, &fresh) {
        if let Some(saved) = Checkpoint::load(&ck_path)? {
            saved.check_matches(fresh, &ck_path)?;
            let file = OpenOptions::new()
                .write(true)
                .open(&partial)
                .map_err(|e| Error::io(&partial, e))?;
            let have = file.metadata().map_err(|e| Error::io(&partial, e))?.len();
            if have < saved.output_len {
                return Err(Error::Invalid {
                    what: "checkpoint".into(),
                    msg: format!(
                        "{}: has {have} bytes but the checkpoint expects {}; run without --resume",
                        partial.display(),
                        saved.output_len
                    ),
                });
            }
            // Drop whatever was written after the last checkpoint.
            file.set_len(saved.output_len)
                .map_err(|e| Error::io(&partial, e))?;
            let mut file = file;
            file.seek(SeekFrom::End(0))
                .map_err(|e| Error::io(&partial, e))?;
            let (next, counts) = (saved.next, saved.counts.clone());
            let writer = Writer::File {
                file,
                partial,
                target,
                checkpoint: Some((ck_path, saved)),
            };
            return Ok((writer, next, counts, total));
        }
    }
    let file = File::create(&partial).map_err(|e| Error::io(&partial, e))?;
    let checkpoint = match fresh {
        Some(ck) => {
            ck.save(&ck_path)?;
            Some((ck_path, ck))
        }
        None => None,
    };
    let writer = Writer::File {
        file,
        partial,
        target,
        checkpoint,
    };
    Ok((writer, Position::START, Counts::default(), total))
}

/// Labels every record of `source` into `sink`. Record-level problems become error
/// records; an `Err` means the run could not go on (unreadable input, unwritable output,
/// a bad CSV header or checkpoint). `progress` is called after each chunk.
pub fn run(
    source: &Source,
    sink: &Sink,
    opts: &Options,
    labeler: &dyn Labeler,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Summary> {
    let started = Instant::now();
    let (writer, start, mut counts, total_bytes) = open_output(source, sink, opts)?;
    let resumed_from = counts.read();
    let (reader, rows) = open_reader(source, opts, start)?;
    let mut reader = reader;
    std::thread::scope(|s| -> Result<Summary> {
        let (chunk_tx, chunk_rx) = sync_channel::<Result<Chunk>>(2);
        s.spawn(move || loop {
            let next = reader.next_chunk().transpose();
            let stop = !matches!(next, Some(Ok(_)));
            if let Some(item) = next {
                if chunk_tx.send(item).is_err() {
                    break;
                }
            }
            if stop {
                break;
            }
        });
        let (done_tx, done_rx) = sync_channel::<Done>(2);
        let writing = s.spawn(move || write_all(writer, done_rx));

        let mut failure = None;
        for chunk in chunk_rx.iter() {
            let chunk = match chunk {
                Ok(c) => c,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            };
            let (parts, tally) = label_chunk(&chunk, opts, labeler);
            counts.add(&tally);
            let done = Done {
                parts,
                next: chunk.next,
                counts: counts.clone(),
            };
            if done_tx.send(done).is_err() {
                break; // the writer failed; its error is reported below
            }
            // Parquet positions count rows: scale them to the file size for the bar.
            let bytes = match (rows, total_bytes) {
                (Some(rows), Some(total)) => {
                    (chunk.next.offset as f64 / rows.max(1) as f64 * total as f64) as u64
                }
                _ => chunk.next.offset,
            };
            progress(&Progress {
                records: counts.read(),
                bytes,
                total_bytes,
            });
        }
        drop(chunk_rx);
        drop(done_tx);
        let writer = writing.join().expect("the writer thread does not panic")?;
        if let Some(e) = failure {
            return Err(e);
        }
        writer.finish()?;
        Ok(Summary {
            counts,
            resumed_from,
            elapsed: started.elapsed(),
        })
    })
}

/// The chunk reader for `source`, positioned at `start`; for Parquet also the row count.
fn open_reader(source: &Source, opts: &Options, start: Position) -> Result<(Reader, Option<u64>)> {
    if opts.format == Format::Parquet {
        return open_parquet(source, opts, start);
    }
    let (mut read, path, seekable) = open_input(source)?;
    if start != Position::START {
        let mut file = seekable.expect("open_output refuses to resume from stdin");
        file.seek(SeekFrom::Start(start.offset))
            .map_err(|e| Error::io(&path, e))?;
        read = Box::new(file);
    }
    let reader = if opts.format == Format::Csv {
        let resumed = if start != Position::START {
            let header = File::open(&path).map_err(|e| Error::io(&path, e))?;
            Some(csv_input::CsvChunks::header_columns(
                header,
                &path,
                opts.field.as_str(),
            )?)
        } else {
            None
        };
        let field = opts.field.as_str();
        Reader::Csv(csv_input::CsvChunks::new(
            read,
            &path,
            field,
            start,
            resumed,
            opts.chunk_bytes,
        )?)
    } else {
        Reader::Lines(jsonl::LineChunks::new(
            read,
            &path,
            start,
            opts.chunk_bytes,
            opts.max_record_bytes,
        ))
    };
    Ok((reader, None))
}

fn open_parquet(source: &Source, opts: &Options, start: Position) -> Result<(Reader, Option<u64>)> {
    let Source::Path(path) = source else {
        return Err(Error::Invalid {
            what: "input".into(),
            msg: "Parquet cannot be read from standard input".into(),
        });
    };
    #[cfg(feature = "parquet")]
    {
        let r = parquet_input::ParquetChunks::open(path, start, opts.chunk_bytes)?;
        let rows = r.total_rows;
        Ok((Reader::Parquet(r), Some(rows)))
    }
    #[cfg(not(feature = "parquet"))]
    {
        let _ = (opts, start);
        Err(Error::Invalid {
            what: "format".into(),
            msg: format!(
                "{}: Parquet support is not compiled in; rebuild with `--features parquet`",
                path.display()
            ),
        })
    }
}

/// The writer thread: appends chunks in order until the channel closes.
fn write_all(mut writer: Writer, chunks: Receiver<Done>) -> Result<Writer> {
    for done in chunks {
        writer.write_chunk(&done)?;
    }
    Ok(writer)
}
