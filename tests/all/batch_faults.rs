//! Fault injection on real `promptyard label` runs: SIGKILL at pseudo-random points (several
//! times in a row), a disk that fills up during the write, a checkpoint that cannot be
//! written. After each, `--resume` must give the same bytes as a run that was never
//! disturbed. (Parquet: `batch_parquet_faults`, with `--features parquet`.)

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::batch_hardening::{jsonl, ragged_csv};

fn label(dir: &Path, input: &str, out: &str, extra: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_promptyard"));
    cmd.current_dir(dir)
        .args([
            "label",
            "--quiet",
            "--chunk-kib",
            "32",
            "-i",
            input,
            "-o",
            out,
        ])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// `output_len` recorded in a checkpoint file (0 while there is none).
fn checkpointed(path: &Path) -> u64 {
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v["body"]["output_len"].as_u64())
        .unwrap_or(0)
}

/// A small xorshift, so the kill points differ between tests but not between runs.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// Labels `input` cleanly, then again with `kills` SIGKILLs at random output sizes (each
/// continuing with `--resume`), and compares the two outputs byte for byte.
pub(crate) fn kill_at_random_points(d: &Path, input: &str, seed: u64, kills: usize) {
    let clean = label(d, input, "clean.jsonl", &[]).output().unwrap();
    assert!(
        matches!(clean.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );
    let expected = std::fs::read(d.join("clean.jsonl")).unwrap();
    let mut rng = Rng(seed);
    let ck = d.join("out.jsonl.checkpoint");
    let mut killed = 0;
    for round in 0..kills {
        let resume: &[&str] = if round == 0 { &[] } else { &["--resume"] };
        let at = checkpointed(&ck) + 1 + rng.below(expected.len() as u64 / 2);
        let mut child = label(d, input, "out.jsonl", resume).spawn().unwrap();
        let started = Instant::now();
        let mut finished = false;
        while checkpointed(&ck) < at || !ck.exists() {
            if child.try_wait().unwrap().is_some() {
                finished = true;
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(60), "no progress");
            std::thread::sleep(Duration::from_micros(300));
        }
        if finished {
            break;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        killed += 1;
        assert!(
            !d.join("out.jsonl").exists(),
            "a killed run is never under the final name"
        );
    }
    assert!(
        killed > 0,
        "{input}: every run finished before it could be killed"
    );
    if !d.join("out.jsonl").exists() {
        let last = label(d, input, "out.jsonl", &["--resume"])
            .output()
            .unwrap();
        assert_eq!(
            last.status.code(),
            clean.status.code(),
            "{}",
            String::from_utf8_lossy(&last.stderr)
        );
    }
    let got = std::fs::read(d.join("out.jsonl")).unwrap();
    assert!(
        got == expected,
        "{input} (seed {seed}): resumed output differs from a clean run"
    );
    assert!(!ck.exists() && !d.join("out.jsonl.partial").exists());
}

#[test]
fn jsonl_killed_at_random_points_resumes_to_a_clean_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("log.jsonl"), jsonl(150_000)).unwrap();
    for seed in [0x9e37_79b9, 0x1234_5678] {
        kill_at_random_points(dir.path(), "log.jsonl", seed, 4);
        std::fs::remove_file(dir.path().join("out.jsonl")).unwrap();
    }
}

#[test]
fn ragged_csv_killed_at_random_points_resumes_to_a_clean_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("log.csv"), ragged_csv(150_000)).unwrap();
    for seed in [0x2545_f491, 0xdead_beef] {
        kill_at_random_points(dir.path(), "log.csv", seed, 4);
        std::fs::remove_file(dir.path().join("out.jsonl")).unwrap();
    }
}

#[test]
fn checkpoint_that_cannot_be_written_stops_the_run_and_resume_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("log.jsonl"), jsonl(150_000)).unwrap();
    let clean = label(d, "log.jsonl", "clean.jsonl", &[]).output().unwrap();
    let ck = d.join("out.jsonl.checkpoint");
    let child = label(d, "log.jsonl", "out.jsonl", &[]).spawn().unwrap();
    while checkpointed(&ck) < 100_000 {
        std::thread::sleep(Duration::from_micros(300));
    }
    // The next checkpoint goes through `.checkpoint.tmp`: a directory there makes it fail.
    // The run may be writing that file right now (it is renamed away at once): retry.
    let tmp = d.join("out.jsonl.checkpoint.tmp");
    while let Err(e) = std::fs::create_dir(&tmp) {
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists, "{e}");
        std::thread::sleep(Duration::from_micros(50));
    }
    let failed = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("writing") && stderr.contains("out.jsonl.checkpoint.tmp"),
        "{stderr}"
    );
    assert!(
        ck.exists() && d.join("out.jsonl.partial").exists(),
        "progress is kept for a resume"
    );
    std::fs::remove_dir(d.join("out.jsonl.checkpoint.tmp")).unwrap();
    let resumed = label(d, "log.jsonl", "out.jsonl", &["--resume"])
        .output()
        .unwrap();
    assert_eq!(resumed.status.code(), clean.status.code());
    assert!(
        std::fs::read(d.join("out.jsonl")).unwrap()
            == std::fs::read(d.join("clean.jsonl")).unwrap()
    );
}

/// A tmpfs of `kib` KiB at `dir` (root only); `None` where mounting is not allowed.
#[cfg(target_os = "linux")]
fn tmpfs(dir: &Path, kib: u64) -> Option<()> {
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
        .arg(dir)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(())
}

#[cfg(target_os = "linux")]
fn umount(dir: &Path) {
    let _ = Command::new("umount").arg(dir).status();
}

#[cfg(target_os = "linux")]
#[test]
fn disk_full_during_the_write_exits_2_and_resume_completes_after_space_is_freed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("log.jsonl"), jsonl(20_000)).unwrap();
    let clean = label(d, "log.jsonl", "clean.jsonl", &[]).output().unwrap();
    let expected = std::fs::read(d.join("clean.jsonl")).unwrap();
    let small = d.join("small");
    std::fs::create_dir(&small).unwrap();
    // Room for about a third of the output.
    let kib = expected.len() as u64 / 3 / 1024;
    if tmpfs(&small, kib).is_none() {
        eprintln!("SKIPPED disk-full test: cannot mount a tmpfs here (needs root)");
        return;
    }
    let full = label(d, "log.jsonl", "small/out.jsonl", &[])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&full.stderr).into_owned();
    let partial_len = std::fs::metadata(small.join("out.jsonl.partial")).map(|m| m.len());
    // Move the partial output and checkpoint to where there is room, as a user would.
    let moved = ["out.jsonl.partial", "out.jsonl.checkpoint"]
        .map(|f| std::fs::copy(small.join(f), d.join(f)).is_ok());
    umount(&small);
    assert_eq!(full.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("No space left on device") && stderr.contains("small/out.jsonl"),
        "{stderr}"
    );
    assert!(
        partial_len.is_ok_and(|n| n > 0) && moved == [true, true],
        "the progress made is kept"
    );
    // The checkpoint names the output by nothing but position: resume in the new place.
    let resumed = label(d, "log.jsonl", "out.jsonl", &["--resume"])
        .output()
        .unwrap();
    assert_eq!(
        resumed.status.code(),
        clean.status.code(),
        "{}",
        String::from_utf8_lossy(&resumed.stderr)
    );
    assert!(std::fs::read(d.join("out.jsonl")).unwrap() == expected);
}
