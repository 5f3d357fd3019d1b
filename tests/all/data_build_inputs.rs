//! `promptyard data build --out DIR` reads every input from a named path: the mined prompts
//! (`--raw-extra`, default `data/raw-extra`) and the dev-set guard (`--guard`, default
//! `data/gateway_dev.jsonl`). A missing one is an error naming the flag, never a silent skip
//! (which used to drop 1,070 training rows and the guard when building outside the repo).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_promptyard");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build(cwd: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(cwd)
        .args(["data", "build"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn data_build_outside_the_repo_fails_on_the_missing_default_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("raw");
    std::fs::create_dir(&raw).unwrap();
    let raw = raw.to_str().unwrap();

    let out = build(dir.path(), &["--raw", raw, "--out", "built"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--raw-extra data/raw-extra: no such folder"),
        "{stderr}"
    );
    assert!(stderr.contains("--no-raw-extra"), "{stderr}");
    assert!(!dir.path().join("built").exists(), "nothing is written");

    // With the mined prompts given, the guard is the next input that must exist.
    let extra = root().join("data/raw-extra");
    let extra = extra.to_str().unwrap();
    let out = build(
        dir.path(),
        &["--raw", raw, "--out", "built", "--raw-extra", extra],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--guard data/gateway_dev.jsonl: no such file"),
        "{stderr}"
    );
    assert!(stderr.contains("--no-guard"), "{stderr}");

    // A named guard file that is missing is refused the same way.
    let out = build(
        dir.path(),
        &[
            "--raw",
            raw,
            "--out",
            "built",
            "--raw-extra",
            extra,
            "--guard",
            "dev.jsonl",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--guard dev.jsonl: no such file"),
        "{stderr}"
    );

    // Opting out is explicit; the build then gets as far as the raw sources.
    let out = build(
        dir.path(),
        &[
            "--raw",
            raw,
            "--out",
            "built",
            "--no-raw-extra",
            "--no-guard",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("source gsm8k:"), "{stderr}");
}

#[test]
fn data_build_into_another_folder_gives_the_committed_splits() {
    let raw = root().join("../shared/data/raw");
    if !raw.is_dir() {
        assert!(
            std::env::var_os("PROMPTYARD_REQUIRE_SHARED").is_none_or(|v| v != "1"),
            "{} is absent, and PROMPTYARD_REQUIRE_SHARED=1 requires it",
            raw.display()
        );
        eprintln!(
            "SKIPPED: data_build_into_another_folder_gives_the_committed_splits: no {}",
            raw.display()
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = build(
        &root(),
        &[
            "--raw",
            raw.to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    for name in ["train.jsonl", "valid.jsonl", "test.jsonl", "README.md"] {
        let want = std::fs::read(root().join("data").join(name)).unwrap();
        let got = std::fs::read(dir.path().join(name)).unwrap();
        assert!(
            got == want,
            "{name} built into another folder differs from data/{name}"
        );
    }
    // The mined sources' licences travel with the splits that the README points them to.
    assert!(dir.path().join("raw-extra/README.md").is_file());
    assert!(
        dir.path()
            .join("raw-extra/LICENSES")
            .read_dir()
            .unwrap()
            .count()
            > 0
    );
}
