//! Regression tests for the batch side of issue 12: runs that lost, mixed or destroyed data,
//! or failed without saying so. Library-level where the library decides, through the
//! `promptyard` binary where the command line does (exit codes, messages, files left).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output as ProcOutput, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use promptyard::model::ModelFile;
use promptyard::router::Router;
use promptyard_batch::{
    self as batch, Format, Input, Labeler, Labelled, Output, RouterLabeler, RunOptions,
};

pub(crate) fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_promptyard"))
}

/// `promptyard label` in `dir` with small chunks; stdout discarded.
pub(crate) fn label(dir: &Path, args: &[&str]) -> ProcOutput {
    bin()
        .current_dir(dir)
        .args(["label", "--quiet", "--chunk-kib", "1"])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

fn stderr(o: &ProcOutput) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A JSONL log of `n` records, every 50th one bad.
pub(crate) fn jsonl(n: usize) -> String {
    (0..n)
        .map(|i| {
            if i % 50 == 49 {
                format!("{{\"id\":{i},\"text\":{i}}}\n")
            } else {
                format!(
                    "{{\"id\":{i},\"text\":\"plan the rollout of feature {i} for team {}\"}}\n",
                    i % 7
                )
            }
        })
        .collect()
}

/// A CSV log of `n` rows with ragged rows, blank lines, CRLF and quoted multi-line fields.
pub(crate) fn ragged_csv(n: usize) -> String {
    let mut s = String::from("id,text\n");
    for i in 0..n {
        match i % 13 {
            3 => s += &format!("{i}\n"),                         // too few fields
            5 => s += &format!("{i},why does {i} fail,extra\n"), // too many
            7 => s += &format!("{i},\"why does step {i}\r\nfail, twice?\"\r\n"),
            9 => s += &format!("\n\n{i},after blank lines {i}\n"),
            _ => s += &format!("{i},plan the rollout of feature {i}\n"),
        }
    }
    s
}

/// Wraps a labeller and makes its batch calls fail after `limit` of them, like a device
/// that dies midway: the run stops with an error and keeps its checkpoint.
struct Interrupting<L> {
    inner: L,
    calls: AtomicUsize,
    limit: usize,
}

impl<L: Labeler> Interrupting<L> {
    fn new(inner: L, limit: usize) -> Self {
        Interrupting {
            inner,
            calls: AtomicUsize::new(0),
            limit,
        }
    }
}

impl<L: Labeler> Labeler for Interrupting<L> {
    fn label<'a>(&'a self, text: &str) -> batch::Result<Labelled<'a>> {
        self.inner.label(text)
    }

    fn label_batch<'a>(
        &'a self,
        texts: &[&str],
    ) -> batch::Result<Vec<batch::Result<Labelled<'a>>>> {
        if self.calls.fetch_add(1, Ordering::SeqCst) >= self.limit {
            return Err(batch::Error::io(
                "<device>",
                std::io::Error::other("interrupted"),
            ));
        }
        self.inner.label_batch(texts)
    }

    fn prefers_batches(&self) -> bool {
        true
    }

    fn identity(&self) -> Vec<(&'static str, String)> {
        self.inner.identity()
    }
}

fn opts(format: Format, resume: bool) -> RunOptions {
    let mut o = RunOptions::new(format);
    o.chunk_bytes = 96;
    o.resume = resume;
    o
}

fn run_file(
    input: &Path,
    out: &Path,
    o: &RunOptions,
    l: &dyn Labeler,
) -> batch::Result<batch::RunSummary> {
    batch::run(
        Input::Path(input.into()),
        Output::Path(out.into()),
        o,
        l,
        &mut |_| {},
    )
}

/// Interrupts a run after each possible number of chunks, resumes it, and compares with a
/// clean run: the same bytes every time.
fn interrupt_everywhere(input: &Path, format: Format, chunks: usize) {
    let dir = input.parent().unwrap();
    let router = Router::new().unwrap();
    let clean_out = dir.join("clean.jsonl");
    run_file(
        input,
        &clean_out,
        &opts(format, false),
        &RouterLabeler::new(&router),
    )
    .unwrap();
    let clean = std::fs::read(&clean_out).unwrap();
    for stop in 1..chunks {
        let out = dir.join(format!("out-{stop}.jsonl"));
        let first = Interrupting::new(RouterLabeler::new(&router), stop);
        match run_file(input, &out, &opts(format, false), &first) {
            Ok(_) => break, // past the last chunk
            Err(e) => assert!(e.to_string().contains("interrupted"), "{e}"),
        }
        assert!(dir.join(format!("out-{stop}.jsonl.checkpoint")).exists());
        let rest = Interrupting::new(RouterLabeler::new(&router), usize::MAX);
        run_file(input, &out, &opts(format, true), &rest).unwrap();
        let got = std::fs::read(&out).unwrap();
        assert!(
            got == clean,
            "stopped after {stop} chunks: the resumed output differs"
        );
    }
}

#[test]
fn csv_resume_just_before_a_ragged_row_equals_a_clean_run() {
    // The resumed reader took its field count from the first row it read: when that row was
    // ragged, every later row became an error record.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("log.csv");
    std::fs::write(&input, ragged_csv(120)).unwrap();
    interrupt_everywhere(&input, Format::Csv, 200);
}

#[test]
fn jsonl_resume_after_any_chunk_equals_a_clean_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("log.jsonl");
    std::fs::write(&input, jsonl(150)).unwrap();
    interrupt_everywhere(&input, Format::Jsonl, 300);
}

/// Runs until interrupted after 3 chunks, leaving a resumable checkpoint.
fn interrupted(dir: &Path, input: &Path, format: Format, router: &Router) {
    let first = Interrupting::new(RouterLabeler::new(router), 3);
    run_file(input, &dir.join("out.jsonl"), &opts(format, false), &first).unwrap_err();
    assert!(dir.join("out.jsonl.checkpoint").exists());
}

fn refused(dir: &Path, input: &Path, o: &RunOptions, router: &Router) -> String {
    let e = run_file(
        input,
        &dir.join("out.jsonl"),
        o,
        &RouterLabeler::new(router),
    )
    .unwrap_err();
    assert!(matches!(e, batch::Error::CheckpointMismatch { .. }), "{e}");
    // A refused resume leaves the interrupted run's files as they were.
    assert!(dir.join("out.jsonl.checkpoint").exists() && dir.join("out.jsonl.partial").exists());
    e.to_string()
}

#[test]
fn resume_refuses_a_same_size_edit_of_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let (d, input) = (dir.path(), dir.path().join("log.jsonl"));
    std::fs::write(&input, jsonl(100)).unwrap();
    let router = Router::new().unwrap();
    interrupted(d, &input, Format::Jsonl, &router);
    // Same size, same modification time, other words in a record already labelled.
    let before = std::fs::metadata(&input).unwrap().modified().unwrap();
    let edited = std::fs::read_to_string(&input)
        .unwrap()
        .replacen("rollout", "rollOUT", 1);
    std::fs::write(&input, edited).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&input)
        .unwrap()
        .set_modified(before)
        .unwrap();
    assert_eq!(
        std::fs::metadata(&input).unwrap().len() as usize,
        jsonl(100).len()
    );
    let msg = refused(d, &input, &opts(Format::Jsonl, true), &router);
    assert!(msg.contains("input contents was hash"), "{msg}");
    // Touched but unchanged is refused too: the time is part of the identity.
    std::fs::write(&input, jsonl(100)).unwrap();
    let msg = refused(d, &input, &opts(Format::Jsonl, true), &router);
    assert!(msg.contains("input modification time"), "{msg}");
}

#[test]
fn resume_refuses_another_catalog_model_or_field() {
    let dir = tempfile::tempdir().unwrap();
    let (d, input) = (dir.path(), dir.path().join("log.jsonl"));
    std::fs::write(&input, jsonl(100)).unwrap();
    let bundled = Router::new().unwrap();
    interrupted(d, &input, Format::Jsonl, &bundled);

    let small = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/catalogs/small.toml"
    );
    let other_catalog = Router::builder().catalog(small).build().unwrap();
    let msg = refused(d, &input, &opts(Format::Jsonl, true), &other_catalog);
    assert!(msg.contains("(catalog was "), "{msg}");

    let mut file = ModelFile::bundled().unwrap();
    file.config.temperature *= 0.5;
    file.save(d.join("model")).unwrap();
    let other_model = Router::builder().model(d.join("model")).build().unwrap();
    let msg = refused(d, &input, &opts(Format::Jsonl, true), &other_model);
    assert!(msg.contains("(classifier was "), "{msg}");

    let mut other_field = opts(Format::Jsonl, true);
    other_field.field = "id".parse().unwrap();
    let msg = refused(d, &input, &other_field, &bundled);
    assert!(msg.contains("field path was `text`, now `id`"), "{msg}");

    // The original settings still resume.
    run_file(
        &input,
        &d.join("out.jsonl"),
        &opts(Format::Jsonl, true),
        &RouterLabeler::new(&bundled),
    )
    .unwrap();
}

#[test]
fn resume_refuses_another_device() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("log.jsonl"), jsonl(400)).unwrap();
    let router = Router::new().unwrap();
    interrupted(d, &d.join("log.jsonl"), Format::Jsonl, &router);
    let o = label(
        d,
        &[
            "-i",
            "log.jsonl",
            "-o",
            "out.jsonl",
            "--resume",
            "--device",
            "cpu",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("device was not set, now cpu"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn tampered_checkpoint_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let (d, input) = (dir.path(), dir.path().join("log.jsonl"));
    std::fs::write(&input, jsonl(100)).unwrap();
    let router = Router::new().unwrap();
    interrupted(d, &input, Format::Jsonl, &router);
    let ck = d.join("out.jsonl.checkpoint");
    let text = std::fs::read_to_string(&ck).unwrap();
    let edited = text.replacen("\"output_len\":", "\"output_len\":1", 1);
    std::fs::write(&ck, edited).unwrap();
    let o = label(d, &["-i", "log.jsonl", "-o", "out.jsonl", "--resume"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.contains("was edited or damaged") && e.contains("without --resume"),
        "{e}"
    );
    std::fs::write(&ck, "{\"version\":1,\"garbage\"").unwrap();
    let e = stderr(&label(
        d,
        &["-i", "log.jsonl", "-o", "out.jsonl", "--resume"],
    ));
    assert!(e.contains("it is damaged, was edited"), "{e}");
}

#[test]
fn output_that_is_the_input_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let log = jsonl(20);
    std::fs::write(d.join("log.jsonl"), &log).unwrap();
    std::fs::write(d.join("out.jsonl.partial"), &log).unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::fs::hard_link(d.join("log.jsonl"), d.join("link.jsonl")).unwrap();
    for (input, output) in [
        ("log.jsonl", "log.jsonl"),
        ("log.jsonl", "./sub/../log.jsonl"),
        ("log.jsonl", "link.jsonl"),
        ("out.jsonl.partial", "out.jsonl"),
    ] {
        let o = label(d, &["--format", "jsonl", "-i", input, "-o", output]);
        assert_eq!(
            o.status.code(),
            Some(2),
            "-i {input} -o {output}: {}",
            stderr(&o)
        );
        assert!(stderr(&o).contains("is the input file"), "{}", stderr(&o));
    }
    assert_eq!(std::fs::read_to_string(d.join("log.jsonl")).unwrap(), log);
    assert_eq!(
        std::fs::read_to_string(d.join("out.jsonl.partial")).unwrap(),
        log
    );
}

#[test]
fn output_that_is_a_directory_is_refused_before_labelling() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("log.jsonl"), jsonl(20)).unwrap();
    std::fs::create_dir(d.join("outdir")).unwrap();
    let o = label(d, &["-i", "log.jsonl", "-o", "outdir"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("outdir is a directory"),
        "{}",
        stderr(&o)
    );
    assert!(!d.join("outdir.partial").exists() && !d.join("outdir.checkpoint").exists());
}

#[cfg(unix)]
#[test]
fn output_to_a_fifo_streams_into_it_and_is_never_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    std::fs::write(d.join("log.jsonl"), jsonl(30)).unwrap();
    let fifo = d.join("fifo");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let o = label(&d, &["-i", "log.jsonl", "-o", "fifo"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::metadata(&fifo).unwrap().file_type().is_fifo(),
        "the FIFO was replaced"
    );
    assert_eq!(reader.join().unwrap().lines().count(), 30);
    assert!(!d.join("fifo.partial").exists() && !d.join("fifo.checkpoint").exists());
    let o = label(&d, &["-i", "log.jsonl", "-o", "fifo", "--resume"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("device, FIFO or socket"),
        "{}",
        stderr(&o)
    );
}

#[cfg(unix)]
#[test]
fn second_run_on_the_same_output_is_refused_while_the_first_runs() {
    // Two runs on one output used to interleave into a mix with a NUL-filled line. The first
    // run reads a FIFO this test holds open, so it is still running, lock held, when the
    // second starts.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let log = jsonl(3_000);
    std::fs::write(d.join("log.jsonl"), &log).unwrap();
    let clean = label(d, &["-i", "log.jsonl", "-o", "clean.jsonl"]);
    assert_eq!(clean.status.code(), Some(1), "{}", stderr(&clean));
    let fifo = d.join("in.fifo");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let mut first = bin()
        .current_dir(d)
        .args([
            "label",
            "--quiet",
            "--format",
            "jsonl",
            "-i",
            "in.fifo",
            "-o",
            "out.jsonl",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut feed = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    let (head, tail) = log.split_at(log.len() / 2);
    feed.write_all(head.as_bytes()).unwrap();
    let started = std::time::Instant::now();
    while !d.join("out.jsonl.partial").exists() {
        assert!(
            started.elapsed().as_secs() < 60,
            "the first run did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let second = label(d, &["-i", "log.jsonl", "-o", "out.jsonl"]);
    assert!(
        first.try_wait().unwrap().is_none(),
        "the first run waits for its input"
    );
    assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
    assert!(
        stderr(&second).contains("locked by another run"),
        "{}",
        stderr(&second)
    );
    let resume = label(d, &["-i", "log.jsonl", "-o", "out.jsonl", "--resume"]);
    assert_eq!(resume.status.code(), Some(2), "{}", stderr(&resume));
    feed.write_all(tail.as_bytes()).unwrap();
    drop(feed);
    assert_eq!(first.wait().unwrap().code(), Some(1));
    assert!(
        std::fs::read(d.join("out.jsonl")).unwrap()
            == std::fs::read(d.join("clean.jsonl")).unwrap()
    );
}

#[test]
fn csv_unterminated_quote_is_an_error_record_not_swallowed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("log.csv"),
        "id,text\n1,plan a trip\n2,\"why is\n3,this\n4,swallowed\n",
    )
    .unwrap();
    let o = bin()
        .current_dir(d)
        .args(["label", "--quiet", "-i", "log.csv", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[1].starts_with("{\"line\":3,\"error\":\"bad_csv_row\""),
        "{out}"
    );
    assert!(lines[1].contains("unterminated quoted field"), "{out}");
}

#[test]
fn csv_error_records_after_blank_lines_and_crlf_carry_their_line() {
    let csv = "id,text\r\n1,plan\r\n\r\n\r\n2\r\n\n3,\"multi\nline\"\n\n4,a,b\n";
    let o = bin()
        .args(["label", "--quiet", "--format", "csv", "-i", "-", "-o", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(csv.as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    let out = String::from_utf8(o.stdout).unwrap();
    let errors: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("{\"line\":"))
        .collect();
    assert_eq!(errors.len(), 2, "{out}");
    assert!(errors[0].starts_with("{\"line\":5,"), "{out}");
    assert!(errors[1].starts_with("{\"line\":10,"), "{out}");
}

#[test]
fn jsonl_repeated_text_key_counts_at_its_last_occurrence() {
    let mut out = Vec::new();
    let log = "{\"text\":\"plan a trip\",\"text\":7}\n{\"text\":7,\"text\":\"plan a trip\"}\n";
    let labeler = RouterLabeler::new(&Router::new().unwrap());
    let s = batch::run(
        Input::reader(log.as_bytes()),
        Output::writer(&mut out),
        &RunOptions::new(Format::Jsonl),
        &labeler,
        &mut |_| {},
    )
    .unwrap();
    let out = String::from_utf8(out).unwrap();
    assert_eq!((s.counts.labelled, s.counts.error_total()), (1, 1), "{out}");
    assert!(
        out.lines()
            .next()
            .unwrap()
            .contains("\"error\":\"not_a_string\""),
        "{out}"
    );
}

#[test]
fn field_path_can_address_a_key_with_a_dot() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("log.jsonl"),
        "{\"meta.v2\":{\"text\":\"plan a trip\"}}\n",
    )
    .unwrap();
    let o = bin()
        .current_dir(d)
        .args([
            "label",
            "--quiet",
            "-i",
            "log.jsonl",
            "-o",
            "-",
            "--field",
            r"meta\.v2.text",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("\"label\":"));
}

#[test]
fn gzip_inputs_are_read_whatever_their_name() {
    use flate2::write::GzEncoder;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let gz = |text: &str| {
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(text.as_bytes()).unwrap();
        e.finish().unwrap()
    };
    std::fs::write(d.join("log.jsonl"), jsonl(60)).unwrap();
    std::fs::write(d.join("log.jsonl.gz"), gz(&jsonl(60))).unwrap();
    std::fs::write(d.join("log.csv.gz"), gz(&ragged_csv(40))).unwrap();
    std::fs::write(d.join("log.csv"), ragged_csv(40)).unwrap();
    std::fs::write(d.join("hidden.jsonl"), gz(&jsonl(60))).unwrap();
    for (plain, compressed) in [
        ("log.jsonl", "log.jsonl.gz"),
        ("log.csv", "log.csv.gz"),
        ("log.jsonl", "hidden.jsonl"),
    ] {
        let a = label(d, &["-i", plain, "-o", "a.jsonl"]);
        let b = label(d, &["-i", compressed, "-o", "b.jsonl"]);
        assert_eq!(a.status.code(), b.status.code(), "{}", stderr(&b));
        assert!(
            std::fs::read(d.join("a.jsonl")).unwrap() == std::fs::read(d.join("b.jsonl")).unwrap(),
            "{compressed}"
        );
    }
}

#[test]
fn failed_run_without_progress_leaves_no_files_behind() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("log.csv"), "id,prompt\n1,plan a trip\n").unwrap();
    let o = label(d, &["-i", "log.csv", "-o", "out.jsonl"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no such column"), "{}", stderr(&o));
    let left: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        ["log.csv"],
        "a run that could not start leaves nothing"
    );
}

#[test]
fn closed_stdout_is_not_a_silent_success() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("log.jsonl"), jsonl(200_000)).unwrap();
    let mut child = bin()
        .current_dir(d)
        .args([
            "label",
            "--quiet",
            "--chunk-kib",
            "16",
            "-i",
            "log.jsonl",
            "-o",
            "-",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 100];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(141), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("standard output was closed"),
        "{}",
        stderr(&o)
    );
}

#[cfg(target_os = "linux")]
#[test]
fn full_device_on_standard_output_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("log.jsonl"), jsonl(100)).unwrap();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = bin()
        .current_dir(d)
        .args(["label", "--quiet", "-i", "log.jsonl", "-o", "-"])
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("writing standard output") && e.contains("No space left"),
        "{e}"
    );
}

#[test]
fn data_files_with_a_byte_order_mark_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.jsonl");
    let line = r#"{"id":"a","text":"plan a trip","label":"planning","source":"s"}"#;
    std::fs::write(&path, format!("\u{feff}{line}\n{line}\n")).unwrap();
    let loaded = promptyard_train::data::read_jsonl(&path).unwrap();
    assert!(loaded.rejected.is_empty(), "{:?}", loaded.rejected);
    assert_eq!(loaded.records.len(), 2);
}

#[cfg(unix)]
#[test]
fn input_from_a_fifo_is_read_once_as_a_stream() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    let fifo = d.join("in.fifo");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, jsonl(500)).unwrap())
    };
    let o = label(
        &d,
        &["--format", "jsonl", "-i", "in.fifo", "-o", "out.jsonl"],
    );
    writer.join().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = std::fs::read_to_string(d.join("out.jsonl")).unwrap();
    assert_eq!(out.lines().count(), 500);
    assert!(!d.join("out.jsonl.checkpoint").exists());
}
