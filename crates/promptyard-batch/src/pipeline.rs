//! The run: a reader thread cuts the input into chunks of whole records, the calling
//! thread labels each chunk (on the rayon pool, or in one batch call for labellers that
//! [prefer batches](crate::Labeler::prefers_batches)), and a writer thread appends the
//! output records in input order and, for files, records a checkpoint after each chunk.

use std::borrow::Cow;
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

use crate::buffers::Buffers;
use crate::checkpoint::{beside, Checkpoint, InputHash, RunIdentity};
use crate::chunk::{Chunk, Position, Records};
use crate::error::{Error, Result};
use crate::files::{self, Prefix};
use crate::format::{Format, RunOptions};
use crate::labeler::{Labeler, Labelled};
use crate::record::{Counts, RecordError, RecordErrorKind, Tally};
use crate::{csv_input, jsonl, output};

/// Where a run's records come from.
#[non_exhaustive]
pub enum Input<'a> {
    /// Standard input (JSONL or CSV; cannot be resumed).
    Stdin,
    /// A file: the only input that can be resumed, and the only one Parquet can be read from.
    /// Gzip is decompressed (any input starting with the gzip magic bytes); a FIFO or device
    /// is read once, as a stream.
    Path(PathBuf),
    /// A caller's stream (JSONL or CSV; cannot be resumed), e.g. `&[u8]` or a socket.
    Reader(Box<dyn Read + Send + 'a>),
}

/// Where a run's output records go.
#[non_exhaustive]
pub enum Output<'a> {
    /// Standard output, flushed after each chunk (cannot be resumed).
    Stdout,
    /// A file, written as `PATH.partial` (locked against a second run, with
    /// `PATH.checkpoint` beside it when the input is a file) and renamed to `PATH` when
    /// complete. A `PATH` that is a device, FIFO or socket is written in place instead
    /// (cannot be resumed); one that is the input, or a directory, is refused.
    Path(PathBuf),
    /// A caller's stream, e.g. `&mut Vec<u8>`, flushed after each chunk (cannot be resumed).
    Writer(Box<dyn Write + Send + 'a>),
}

impl<'a> Input<'a> {
    /// A file path, or standard input for `-`.
    pub fn from_arg(arg: impl AsRef<Path>) -> Self {
        let arg = arg.as_ref();
        if arg == Path::new("-") {
            Input::Stdin
        } else {
            Input::Path(arg.to_path_buf())
        }
    }

    /// Reads from `read`.
    pub fn reader(read: impl Read + Send + 'a) -> Self {
        Input::Reader(Box::new(read))
    }

    /// How errors name it.
    fn name(&self) -> PathBuf {
        match self {
            Input::Stdin => PathBuf::from("-"),
            Input::Path(p) => p.clone(),
            Input::Reader(_) => PathBuf::from("<reader>"),
        }
    }

    /// What it is in words, for errors about streams.
    fn kind(&self) -> &'static str {
        match self {
            Input::Stdin => "standard input",
            Input::Path(_) => "a file",
            Input::Reader(_) => "a reader",
        }
    }
}

impl<'a> Output<'a> {
    /// A file path, or standard output for `-`.
    pub fn from_arg(arg: impl AsRef<Path>) -> Self {
        let arg = arg.as_ref();
        if arg == Path::new("-") {
            Output::Stdout
        } else {
            Output::Path(arg.to_path_buf())
        }
    }

    /// Writes to `write`.
    pub fn writer(write: impl Write + Send + 'a) -> Self {
        Output::Writer(Box::new(write))
    }
}

impl fmt::Debug for Input<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Input::Stdin => f.write_str("Stdin"),
            Input::Path(p) => f.debug_tuple("Path").field(p).finish(),
            Input::Reader(_) => f.write_str("Reader(..)"),
        }
    }
}

impl fmt::Debug for Output<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Output::Stdout => f.write_str("Stdout"),
            Output::Path(p) => f.debug_tuple("Path").field(p).finish(),
            Output::Writer(_) => f.write_str("Writer(..)"),
        }
    }
}

/// The end-of-run account, for the caller to print.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RunSummary {
    /// All records, including those done before a resume.
    pub counts: Counts,
    /// Records that a previous, interrupted run had already written.
    pub resumed_from: u64,
    /// Wall time of this run.
    pub elapsed: Duration,
}

impl RunSummary {
    /// Records per second processed by this run.
    pub fn rate(&self) -> f64 {
        let done = self.counts.read() - self.resumed_from;
        done as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// How far a run has got, passed to the progress callback after each chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RunProgress {
    /// Records done, including any before a resume.
    pub records: u64,
    /// Input bytes consumed (for Parquet, rows done scaled to the file size; for a gzip
    /// file, compressed bytes read, a few chunks ahead of the records done).
    pub bytes: u64,
    /// Input size, when the input is a file (compressed size for gzip).
    pub total_bytes: Option<u64>,
}

/// The chunk reader for one input format. One per run, on the stack: the size difference
/// between its variants costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
enum Reader<'a> {
    Lines(jsonl::LineChunks<'a>),
    Csv(csv_input::CsvChunks<'a>),
    #[cfg(feature = "parquet")]
    Parquet(crate::parquet_input::ParquetChunks),
}

impl Reader<'_> {
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
    /// The reader's digest of the input up to `next`, if it hashed as it read.
    input_hash: Option<String>,
}

/// A labeller failure as the record error it becomes.
fn route_failed(e: Error) -> RecordError {
    RecordError::new(RecordErrorKind::RouteFailed, e.to_string())
}

/// Record ranges for the rayon tasks of a chunk of `n` records.
fn task_ranges(n: usize) -> Vec<std::ops::Range<usize>> {
    let per_task = (n / (rayon::current_num_threads() * 8)).clamp(64, 8192);
    (0..n)
        .step_by(per_task)
        .map(|s| s..(s + per_task).min(n))
        .collect()
}

/// Labels `chunk`: per record on the rayon pool as it is parsed, or, for a labeller that
/// prefers batches, all its prompts in one call on this thread. The output parts are in
/// input order.
fn label_chunk(
    chunk: &Chunk,
    opts: &RunOptions,
    labeler: &dyn Labeler,
    outputs: &Buffers,
) -> Result<(Vec<Vec<u8>>, Tally)> {
    if !labeler.prefers_batches() {
        return Ok(write_chunk(chunk, opts, outputs, |_, text| {
            labeler.label(text).map_err(route_failed)
        }));
    }
    let prompts: Vec<Option<Cow<str>>> = (0..chunk.len())
        .into_par_iter()
        .map(|i| prompt(chunk, opts, i))
        .collect();
    let texts: Vec<&str> = prompts.iter().flatten().map(|t| &**t).collect();
    let mut labelled = labeler.label_batch(&texts)?.into_iter();
    let results: Vec<Option<Result<Labelled, RecordError>>> = prompts
        .iter()
        .map(|p| {
            p.as_ref().map(|_| {
                labelled
                    .next()
                    .expect("label_batch returns one result per text")
                    .map_err(route_failed)
            })
        })
        .collect();
    Ok(write_chunk(chunk, opts, outputs, |i, _| {
        results[i]
            .clone()
            .expect("a record with a prompt was labelled")
    }))
}

/// The prompt of record `i` of `chunk`, if it has one (the same records
/// [`write_chunk`] labels).
fn prompt<'c>(chunk: &'c Chunk, opts: &RunOptions, i: usize) -> Option<Cow<'c, str>> {
    match &chunk.records {
        Records::Lines { buf, spans } => {
            let (s, e) = spans[i];
            if e - s > opts.max_record_bytes {
                return None;
            }
            output::jsonl_prompt(&buf[s..e], &opts.field)
                .ok()
                .map(|x| x.text)
        }
        Records::Csv { columns, rows } => output::csv_prompt(&rows[i], columns)
            .ok()
            .map(|(_, text)| Cow::Borrowed(text)),
        Records::TooLong { .. } => None,
    }
}

/// Writes the output records of `chunk` on the rayon pool, into buffers from `outputs`;
/// `label(i, prompt)` labels record `i` of the chunk and is called only for records with a
/// prompt.
fn write_chunk<'l, F>(
    chunk: &Chunk,
    opts: &RunOptions,
    outputs: &Buffers,
    label: F,
) -> (Vec<Vec<u8>>, Tally)
where
    F: Fn(usize, &str) -> std::result::Result<Labelled<'l>, RecordError> + Sync,
{
    let field = &opts.field;
    let results: Vec<(Vec<u8>, Tally)> = task_ranges(chunk.len())
        .into_par_iter()
        .map(|range| {
            let mut tally = Tally::default();
            match &chunk.records {
                Records::Lines { buf, spans } => {
                    // Input bytes plus the added fields (~250 bytes), so `out` never regrows.
                    let input = spans[range.end - 1].1 - spans[range.start].0;
                    let mut out = outputs.take(input + range.len() * 288);
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
                            |text| label(i, text),
                            &mut tally,
                        );
                    }
                    (out, tally)
                }
                Records::Csv { columns, rows } => {
                    let mut out = outputs.take(range.len() * 512);
                    for i in range {
                        let text = |t: &str| label(i, t);
                        output::csv_record(&mut out, &rows[i], columns, text, &mut tally);
                    }
                    (out, tally)
                }
                Records::TooLong { bytes } => {
                    let mut out = outputs.take(0);
                    too_long(&mut out, chunk.first.line + 1, *bytes, opts, &mut tally);
                    (out, tally)
                }
            }
        })
        .collect();
    let mut total = Tally::default();
    let mut parts = Vec::with_capacity(results.len());
    for (out, t) in results {
        total.merge(&t);
        parts.push(out);
    }
    (parts, total)
}

/// The error record for a JSONL line over [`RunOptions::max_record_bytes`].
fn too_long(out: &mut Vec<u8>, line_no: u64, bytes: u64, opts: &RunOptions, tally: &mut Tally) {
    let msg = format!(
        "line of {bytes} bytes exceeds the limit of {}",
        opts.max_record_bytes
    );
    let e = RecordError::new(RecordErrorKind::RecordTooLong, msg);
    output::error_record(out, line_no, &e);
    tally.error(e.kind);
}

/// The output side: a partial file with an optional checkpoint, or a stream.
#[allow(clippy::large_enum_variant)] // one per run
enum Writer<'a> {
    Stream {
        out: Box<dyn Write + Send + 'a>,
        /// How errors name it.
        name: PathBuf,
    },
    File {
        /// `OUTPUT.partial`, exclusively locked while this handle lives.
        file: File,
        partial: PathBuf,
        target: PathBuf,
        /// Checkpoint path and contents; `None` when the input cannot be resumed (a stream).
        checkpoint: Option<(PathBuf, Checkpoint)>,
        /// Hashes the input up to each checkpoint; `None` for Parquet (hashed whole at the
        /// start) and streams.
        prefix: Option<Prefix>,
    },
}

impl Writer<'_> {
    fn write_chunk(&mut self, done: &Done) -> Result<()> {
        match self {
            Writer::Stream { out, name } => {
                for p in &done.parts {
                    out.write_all(p).map_err(|e| Error::write(&*name, e))?;
                }
                out.flush().map_err(|e| Error::write(&*name, e))
            }
            Writer::File {
                file,
                partial,
                checkpoint,
                prefix,
                ..
            } => {
                let mut len = 0;
                for p in &done.parts {
                    file.write_all(p).map_err(|e| Error::write(&*partial, e))?;
                    len += p.len() as u64;
                }
                if let Some((path, ck)) = checkpoint {
                    if let Some(hash) = &done.input_hash {
                        ck.input_hash.clone_from(hash);
                    } else if let Some(prefix) = prefix {
                        prefix.advance_to(done.next.offset)?;
                        ck.input_hash = prefix.hash.hex();
                    }
                    ck.next = done.next;
                    ck.output_len += len;
                    ck.counts = done.counts.clone();
                    ck.save(path)?;
                }
                Ok(())
            }
        }
    }

    /// Hands the input hash over to a reader that hashes the bytes it reads (JSONL), so the
    /// writer stops reading the input a second time: that second read was ~4% of a run's CPU
    /// on a plain file and a second full decompression on gzip.
    fn take_input_hash(&mut self) -> Option<InputHash> {
        match self {
            Writer::File { prefix, .. } => prefix.take().map(|p| p.hash),
            Writer::Stream { .. } => None,
        }
    }

    /// Makes the output durable and visible under its final name.
    fn finish(self) -> Result<()> {
        match self {
            Writer::Stream { mut out, name } => out.flush().map_err(|e| Error::write(name, e)),
            Writer::File {
                file,
                partial,
                target,
                checkpoint,
                ..
            } => {
                file.sync_all().map_err(|e| Error::write(&partial, e))?;
                // Checkpoint first: a kill between the two leaves a complete .partial that
                // a resume redoes from scratch, never a checkpoint for a finished file.
                if let Some((path, _)) = checkpoint {
                    std::fs::remove_file(&path).map_err(|e| Error::write(&path, e))?;
                }
                // Renamed while still locked (the lock follows the file), so no other run
                // can start on this .partial in between.
                std::fs::rename(&partial, &target).map_err(|e| Error::write(&target, e))
            }
        }
    }

    /// After a failure: keeps `OUTPUT.partial` and `OUTPUT.checkpoint` when the checkpoint
    /// records progress (a resume continues from it), removes them otherwise.
    fn abandon(self) {
        if let Writer::File {
            file,
            partial,
            checkpoint,
            ..
        } = self
        {
            let resumable = checkpoint
                .as_ref()
                .is_some_and(|(_, ck)| ck.next != Position::START);
            if !resumable {
                if let Some((path, _)) = &checkpoint {
                    let _ = std::fs::remove_file(path);
                    let _ = std::fs::remove_file(beside(path, ".tmp"));
                }
                let _ = std::fs::remove_file(&partial);
            }
            drop(file);
        }
    }
}

/// Where a run starts: the writer, the input position and counts to continue from (the
/// start, or a checkpoint), and the input size when it is a plain file.
struct Start<'a> {
    writer: Writer<'a>,
    position: Position,
    counts: Counts,
    total: Option<u64>,
}

/// Checks the input and output against each other and opens the output: refuses an output
/// that is the input (or its `.partial`/`.checkpoint`), a directory, a locked output, and
/// a resume whose checkpoint was written for another input, contents, options or labeller.
/// Nothing is opened for writing before the checks that need no lock have passed.
fn open_output<'a>(
    input: &Input<'_>,
    output: Output<'a>,
    opts: &RunOptions,
    labeler: &dyn Labeler,
) -> Result<Start<'a>> {
    // The input file: its metadata, canonical path and whether it is gzip. A FIFO or
    // device named as the input is read once, as a stream: no checkpoint, no resume.
    let file_input = match input {
        Input::Path(p) => {
            let meta = std::fs::metadata(p).map_err(|e| Error::io(p, e))?;
            if meta.is_file() {
                let canonical = p.canonicalize().map_err(|e| Error::io(p, e))?;
                let gzip = opts.format != Format::Parquet && files::is_gzip(p)?;
                Some((p, meta, canonical, gzip))
            } else if opts.resume {
                return Err(Error::ResumeNeedsFile {
                    end: "input",
                    given: "a device, FIFO or socket",
                });
            } else {
                None
            }
        }
        _ => None,
    };
    let total = file_input.as_ref().map(|(_, meta, _, _)| meta.len());
    let refuse_resume = |given| {
        if opts.resume {
            Err(Error::ResumeNeedsFile {
                end: "output",
                given,
            })
        } else {
            Ok(())
        }
    };
    let streaming = |writer| Start {
        writer,
        position: Position::START,
        counts: Counts::default(),
        total,
    };
    let target = match output {
        Output::Stdout => {
            refuse_resume("standard output")?;
            #[cfg(unix)]
            if let Some((p, meta, canonical, _)) = &file_input {
                if files::is_same_file(meta, canonical, Path::new("/dev/stdout")) {
                    return Err(Error::SameFile {
                        input: p.to_path_buf(),
                        output: "standard output".into(),
                    });
                }
            }
            return Ok(streaming(Writer::Stream {
                out: Box::new(std::io::stdout()),
                name: "standard output".into(),
            }));
        }
        Output::Writer(w) => {
            refuse_resume("a writer")?;
            return Ok(streaming(Writer::Stream {
                out: w,
                name: "<writer>".into(),
            }));
        }
        Output::Path(p) => p,
    };
    let partial = beside(&target, ".partial");
    let ck_path = beside(&target, ".checkpoint");
    if let Some((p, meta, canonical, _)) = &file_input {
        for path in [&target, &partial, &ck_path, &beside(&ck_path, ".tmp")] {
            if files::is_same_file(meta, canonical, path) {
                return Err(Error::SameFile {
                    input: p.to_path_buf(),
                    output: path.clone(),
                });
            }
        }
    }
    match std::fs::metadata(&target) {
        Ok(m) if m.is_dir() => return Err(Error::OutputIsDirectory { path: target }),
        // A device, FIFO or socket: written in place, never replaced by a rename.
        Ok(m) if !m.is_file() => {
            refuse_resume("a device, FIFO or socket")?;
            let out = OpenOptions::new()
                .write(true)
                .open(&target)
                .map_err(|e| Error::write(&target, e))?;
            return Ok(streaming(Writer::Stream {
                out: Box::new(out),
                name: target,
            }));
        }
        _ => {}
    }
    let fresh = match &file_input {
        Some((_, meta, canonical, _)) => Some(RunIdentity {
            input: canonical.clone(),
            input_len: meta.len(),
            input_modified_ns: files::modified_ns(meta),
            format: opts.format,
            field: opts.field.as_str().to_owned(),
            max_record_bytes: opts.max_record_bytes as u64,
            labeler: labeler
                .identity()
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        }),
        None if opts.resume => {
            return Err(Error::ResumeNeedsFile {
                end: "input",
                given: input.kind(),
            })
        }
        None => None,
    };

    let (mut file, created) = files::lock_partial(&partial)?;
    // From here on a failure must not leave a lock-free half state behind: undo what this
    // call created.
    let undo = |e: Error| {
        if created {
            let _ = std::fs::remove_file(&partial);
        }
        e
    };
    let prefix = |path: &Path| -> Result<Prefix> { Prefix::open(path) };
    let Some(id) = fresh else {
        file.set_len(0)
            .map_err(|e| undo(Error::write(&partial, e)))?;
        return Ok(streaming(Writer::File {
            file,
            partial,
            target,
            checkpoint: None,
            prefix: None,
        }));
    };
    let input_path = file_input
        .as_ref()
        .map(|f| f.0.clone())
        .expect("a file input");
    if opts.resume {
        if let Some(saved) = Checkpoint::load(&ck_path).map_err(undo)? {
            let now = Checkpoint::new(id, String::new());
            saved.check_matches(&now, &ck_path).map_err(undo)?;
            // The bytes already consumed must be the ones labelled: hash them again.
            let (prefix, hash) = if opts.format == Format::Parquet {
                let mut whole = prefix(&input_path).map_err(undo)?;
                whole.advance_to(u64::MAX).map_err(undo)?;
                (None, whole.hash.hex())
            } else {
                let mut p = prefix(&input_path).map_err(undo)?;
                p.advance_to(saved.next.offset).map_err(undo)?;
                let hash = p.hash.hex();
                (Some(p), hash)
            };
            if hash != saved.input_hash {
                let covered = if opts.format == Format::Parquet {
                    "the file".to_owned()
                } else {
                    format!("the first {} bytes", saved.next.offset)
                };
                return Err(undo(Error::CheckpointMismatch {
                    path: ck_path,
                    setting: "input contents".into(),
                    was: format!("hash {} of {covered}", saved.input_hash),
                    now: format!("hash {hash}"),
                }));
            }
            let have = file
                .metadata()
                .map_err(|e| undo(Error::io(&partial, e)))?
                .len();
            if have < saved.output_len {
                return Err(undo(Error::PartialTooShort {
                    path: partial.clone(),
                    found: have,
                    expected: saved.output_len,
                }));
            }
            // Drop whatever was written after the last checkpoint.
            file.set_len(saved.output_len)
                .map_err(|e| Error::write(&partial, e))?;
            file.seek(SeekFrom::End(0))
                .map_err(|e| Error::write(&partial, e))?;
            let (position, counts) = (saved.next, saved.counts.clone());
            return Ok(Start {
                writer: Writer::File {
                    file,
                    partial,
                    target,
                    checkpoint: Some((ck_path, saved)),
                    prefix,
                },
                position,
                counts,
                total,
            });
        }
    }
    file.set_len(0)
        .map_err(|e| undo(Error::write(&partial, e)))?;
    let (prefix, hash) = if opts.format == Format::Parquet {
        let mut whole = prefix(&input_path).map_err(undo)?;
        whole.advance_to(u64::MAX).map_err(undo)?;
        (None, whole.hash.hex())
    } else {
        let p = prefix(&input_path).map_err(undo)?;
        let hash = p.hash.hex();
        (Some(p), hash)
    };
    let ck = Checkpoint::new(id, hash);
    let writer = Writer::File {
        file,
        partial,
        target,
        checkpoint: Some((ck_path.clone(), ck)),
        prefix,
    };
    if let Writer::File {
        checkpoint: Some((path, ck)),
        ..
    } = &writer
    {
        if let Err(e) = ck.save(path) {
            writer.abandon();
            return Err(e);
        }
    }
    Ok(streaming(writer))
}

/// Labels every record of `input` into `output`, one output record per input record, in
/// input order. Record-level problems become error records; an `Err` means the run could
/// not go on (unreadable input, unwritable output, a bad CSV header or checkpoint, a failed
/// batch labeller). `progress` is called after each chunk.
///
/// Labelling runs on rayon's current pool (install a smaller pool to limit cores); the
/// calling thread hands out chunks and, for a labeller that
/// [prefers batches](Labeler::prefers_batches), runs its batch calls.
pub fn run(
    input: Input<'_>,
    output: Output<'_>,
    opts: &RunOptions,
    labeler: &dyn Labeler,
    progress: &mut dyn FnMut(&RunProgress),
) -> Result<RunSummary> {
    let started = Instant::now();
    if opts.format == Format::Parquet {
        check_parquet(&input)?;
    }
    let Start {
        mut writer,
        position: start,
        mut counts,
        total: total_bytes,
    } = open_output(&input, output, opts, labeler)?;
    let resumed_from = counts.read();
    let hash = match opts.format {
        Format::Jsonl => writer.take_input_hash(),
        Format::Csv | Format::Parquet => None,
    };
    // Chunks in flight: two queued, one being read, one labelled, one written; an output
    // part is a rayon task's share of a chunk (`task_ranges`: ~8 per thread).
    let most = 2 * opts.chunk_bytes;
    let inputs = Buffers::new(5, most);
    let outputs = Buffers::new(5 * 8 * rayon::current_num_threads().max(1), most);
    let (mut reader, gauge) = match open_reader(input, opts, start, hash, &inputs) {
        Ok(r) => r,
        Err(e) => {
            writer.abandon();
            return Err(e);
        }
    };
    std::thread::scope(|s| -> Result<RunSummary> {
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
        let written_parts = outputs.clone();
        let writing = s.spawn(move || write_all(writer, done_rx, &written_parts));

        let mut failure = None;
        for chunk in chunk_rx.iter() {
            let labelled = chunk.and_then(|c| {
                let parts = label_chunk(&c, opts, labeler, &outputs)?;
                if let Records::Lines { buf, .. } = c.records {
                    inputs.give(buf);
                }
                Ok((parts, c.next, c.input_hash))
            });
            let ((parts, tally), next, input_hash) = match labelled {
                Ok(l) => l,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            };
            counts.add(&tally);
            let done = Done {
                parts,
                next,
                counts: counts.clone(),
                input_hash,
            };
            if done_tx.send(done).is_err() {
                break; // the writer failed; its error is reported below
            }
            let bytes = match (&gauge, total_bytes) {
                // Parquet positions count rows: scale them to the file size for the bar.
                (Gauge::Rows(rows), Some(total)) => {
                    (next.offset as f64 / (*rows).max(1) as f64 * total as f64) as u64
                }
                (Gauge::Compressed(read), _) => read.load(Ordering::Relaxed),
                _ => next.offset,
            };
            progress(&RunProgress {
                records: counts.read(),
                bytes,
                total_bytes,
            });
        }
        drop(chunk_rx);
        drop(done_tx);
        let (writer, written) = writing.join().expect("the writer thread does not panic");
        if let Some(e) = written.err().or(failure) {
            writer.abandon();
            return Err(e);
        }
        writer.finish()?;
        Ok(RunSummary {
            counts,
            resumed_from,
            elapsed: started.elapsed(),
        })
    })
}

/// How a run's progress in bytes (of the input file's size) is read.
enum Gauge {
    /// The offset after the last chunk labelled.
    Offset,
    /// Parquet: rows done, of this many, scaled to the file size.
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    Rows(u64),
    /// A gzip file: compressed bytes read so far (the reader runs a few chunks ahead), since
    /// decompressed offsets have no known total.
    Compressed(Arc<AtomicU64>),
}

/// The chunk reader for `input`, positioned at `start`, and how to read its progress.
/// `hash` (the digest of the input before `start`) makes a JSONL reader hash as it reads.
fn open_reader<'a>(
    input: Input<'a>,
    opts: &RunOptions,
    start: Position,
    hash: Option<InputHash>,
    buffers: &Buffers,
) -> Result<(Reader<'a>, Gauge)> {
    if opts.format == Format::Parquet {
        return open_parquet(input, opts, start);
    }
    let path = input.name();
    let gunzip = |r: Box<dyn Read + Send + 'a>| -> Result<Box<dyn Read + Send + 'a>> {
        files::maybe_gunzip(r)
            .map(|(r, _)| r)
            .map_err(|e| Error::io(&path, e))
    };
    let mut gauge = Gauge::Offset;
    let read: Box<dyn Read + Send + 'a> = match input {
        Input::Stdin => gunzip(Box::new(std::io::stdin()))?,
        Input::Reader(r) => gunzip(r)?,
        // No BufReader: the chunk readers read blocks of a MiB or more themselves.
        Input::Path(p) => {
            let (read, compressed) = files::open_counted(&p, start.offset)?;
            if let Some(c) = compressed {
                gauge = Gauge::Compressed(c);
            }
            read
        }
    };
    let reader = if opts.format == Format::Csv {
        let field = opts.field.as_str();
        let resumed = if start != Position::START {
            let header = files::open_at(&path, 0)?;
            Some(csv_input::CsvChunks::header_columns(header, &path, field)?)
        } else {
            None
        };
        Reader::Csv(csv_input::CsvChunks::new(
            read,
            &path,
            field,
            start,
            resumed,
            opts.chunk_bytes,
        )?)
    } else {
        Reader::Lines(
            jsonl::LineChunks::new(read, &path, start, opts.chunk_bytes, opts.max_record_bytes)
                .hashing(hash)
                .recycling(buffers.clone()),
        )
    };
    Ok((reader, gauge))
}

/// Refuses a Parquet input this build or this kind of input cannot read, before any
/// output is created.
fn check_parquet(input: &Input<'_>) -> Result<()> {
    match input {
        Input::Path(_) if cfg!(feature = "parquet") => Ok(()),
        Input::Path(path) => Err(Error::ParquetNotCompiled { path: path.clone() }),
        _ => Err(Error::ParquetNeedsFile {
            given: input.kind(),
        }),
    }
}

fn open_parquet<'a>(
    input: Input<'a>,
    opts: &RunOptions,
    start: Position,
) -> Result<(Reader<'a>, Gauge)> {
    check_parquet(&input)?;
    #[cfg(feature = "parquet")]
    {
        let Input::Path(path) = input else {
            unreachable!("check_parquet accepts only paths")
        };
        let r = crate::parquet_input::ParquetChunks::open(&path, start, opts.chunk_bytes)?;
        let rows = r.total_rows;
        Ok((Reader::Parquet(r), Gauge::Rows(rows)))
    }
    #[cfg(not(feature = "parquet"))]
    {
        let _ = (input, opts, start);
        unreachable!("check_parquet refuses Parquet without the feature")
    }
}

/// The writer thread: appends chunks in order until the channel closes or a write fails,
/// handing their buffers back to `parts`; hands the writer back either way, to finish or to
/// clean up.
fn write_all<'w>(
    mut writer: Writer<'w>,
    chunks: Receiver<Done>,
    parts: &Buffers,
) -> (Writer<'w>, Result<()>) {
    for done in chunks {
        if let Err(e) = writer.write_chunk(&done) {
            return (writer, Err(e));
        }
        for part in done.parts {
            parts.give(part);
        }
    }
    (writer, Ok(()))
}
