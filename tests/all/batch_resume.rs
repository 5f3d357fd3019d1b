//! Kill a real `promptyard label` run midway (SIGKILL: no chance to clean up), resume it,
//! and check the result equals an uninterrupted run: nothing duplicated, nothing skipped.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RECORDS: usize = 300_000;

fn write_log(path: &Path) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..RECORDS {
        if i % 1000 == 999 {
            writeln!(f, "{{\"id\":{i},\"text\":{i}}}").unwrap(); // an error record now and then
        } else {
            writeln!(f, "{{\"id\":{i},\"text\":\"please plan the rollout of feature {i} across our regional teams\"}}").unwrap();
        }
    }
}

/// The same as CSV, with quoted multi-line fields and bad rows, so resuming must seek to
/// record boundaries the csv parser reported, not to line starts.
fn write_csv(path: &Path) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "id,text").unwrap();
    for i in 0..RECORDS {
        match i % 1000 {
            999 => writeln!(f, "{i}").unwrap(), // too few fields
            500 => write!(f, "{i},\"why does step {i}\r\nfail, twice?\"\r\n").unwrap(),
            _ => writeln!(
                f,
                "{i},please plan the rollout of feature {i} across our regional teams"
            )
            .unwrap(),
        }
    }
}

fn label_file(dir: &Path, input: &str, out: &str, extra: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_promptyard"));
    cmd.current_dir(dir)
        .args(["label", "--chunk-kib", "64", "-i", input, "-o", out])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn label(dir: &Path, out: &str, extra: &[&str]) -> Command {
    label_file(dir, "log.jsonl", out, extra)
}

/// Runs `input` once through, then again killed midway and resumed; the outputs must match.
fn kill_and_resume(d: &Path, input: &str) {
    let full = label_file(d, input, "full.jsonl", &[]).output().unwrap();
    assert_eq!(
        full.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&full.stderr)
    );
    let expected = std::fs::read(d.join("full.jsonl")).unwrap();
    assert_eq!(expected.iter().filter(|&&b| b == b'\n').count(), RECORDS);

    // Kill as soon as some chunks are checkpointed: the checkpoint itself must record output
    // (it exists from the start with none, and the partial file grows before it is updated).
    let mut child = label_file(d, input, "out.jsonl", &[]).spawn().unwrap();
    let started = Instant::now();
    while checkpointed_output(&d.join("out.jsonl.checkpoint")) < 200_000 {
        assert!(started.elapsed() < Duration::from_secs(30), "no progress");
        std::thread::sleep(Duration::from_millis(1));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "finished before it could be killed"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        !d.join("out.jsonl").exists(),
        "an interrupted run is never under the final name"
    );
    let partial = std::fs::metadata(d.join("out.jsonl.partial"))
        .unwrap()
        .len();
    assert!(partial < expected.len() as u64, "killed midway");

    let resumed = label_file(d, input, "out.jsonl", &["--resume"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    assert_eq!(resumed.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("resumed"), "{stderr}");
    assert!(
        stderr.contains(&format!("read      {RECORDS:>12}")),
        "the summary covers both runs: {stderr}"
    );
    let got = std::fs::read(d.join("out.jsonl")).unwrap();
    assert!(
        got == expected,
        "{input}: resumed output differs from an uninterrupted run"
    );
    assert!(!d.join("out.jsonl.partial").exists() && !d.join("out.jsonl.checkpoint").exists());
}

#[test]
fn killed_csv_run_resumes_to_the_same_output() {
    let dir = tempfile::tempdir().unwrap();
    write_csv(&dir.path().join("log.csv"));
    kill_and_resume(dir.path(), "log.csv");
}

#[test]
fn killed_run_resumes_to_the_same_output() {
    let dir = tempfile::tempdir().unwrap();
    write_log(&dir.path().join("log.jsonl"));
    kill_and_resume(dir.path(), "log.jsonl");
}

/// Gzip: the reader hashes the decompressed bytes it hands out for each checkpoint, and a
/// resume re-hashes the decompressed prefix; the two must agree.
#[test]
fn killed_gzip_run_resumes_to_the_same_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_log(&d.join("log.jsonl"));
    let plain = std::fs::read(d.join("log.jsonl")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&plain).unwrap();
    std::fs::write(d.join("log.jsonl.gz"), gz.finish().unwrap()).unwrap();
    kill_and_resume(d, "log.jsonl.gz");
}

#[test]
fn resume_refuses_a_checkpoint_for_another_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_log(&d.join("log.jsonl"));
    let mut child = label(d, "out.jsonl", &[]).spawn().unwrap();
    while !std::fs::metadata(d.join("out.jsonl.partial")).is_ok_and(|m| m.len() > 0) {
        std::thread::sleep(Duration::from_millis(1));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // The log grew since: resuming would mis-align, so it is refused (exit 2).
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(d.join("log.jsonl"))
        .unwrap();
    writeln!(f, "{{\"text\":\"one more\"}}").unwrap();
    let out = label(d, "out.jsonl", &["--resume"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("run without --resume"), "{stderr}");
    // Starting over without --resume works.
    let out = label(d, "out.jsonl", &[]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let lines = std::fs::read_to_string(d.join("out.jsonl"))
        .unwrap()
        .lines()
        .count();
    assert_eq!(lines, RECORDS + 1);
}

/// `output_len` of a checkpoint file, 0 while it is missing (it is replaced atomically, so a
/// read sees a whole file).
fn checkpointed_output(path: &Path) -> u64 {
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v["body"]["output_len"].as_u64())
        .unwrap_or(0)
}
