//! `promptyard data check`: every bad line is listed (file, line, field, message) up to a
//! cap, duplicate ids name both lines, and the exit code is 0 only for clean files.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_promptyard");

fn check(args: &[&Path], extra: &[&str]) -> Output {
    Command::new(BIN)
        .args(["data", "check"])
        .args(extra)
        .args(args)
        .output()
        .unwrap()
}

fn line(id: &str, text: &str, label: &str) -> String {
    format!(r#"{{"id":"{id}","text":"{text}","label":"{label}","source":"me"}}"#) + "\n"
}

#[test]
fn data_check_lists_every_bad_line_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.jsonl");
    let b = dir.path().join("b.jsonl");
    let mut text = line("1", "Plan my week", "planning");
    text += &line("2", "Write a poem about rain", "poetry");
    text += "{\"id\":\"3\",\"text\":5,\"label\":\"reasoning\",\"source\":\"me\"}\n";
    text += "not json\n";
    text += &line("4", "Why do cats purr?", "reasoning");
    std::fs::write(&a, text).unwrap();
    std::fs::write(&b, line("4", "Sort a list in Rust", "code_completion")).unwrap();

    let out = check(&[&a, &b], &[]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let (a_, b_) = (a.display().to_string(), b.display().to_string());
    for want in [
        format!("{a_}:2: label: unknown label \"poetry\""),
        format!("{a_}:3: text: expected a string, got 5"),
        format!("{a_}:4: -: invalid JSON"),
        format!("{b_}:1: id: duplicate id \"4\" (first at {a_}:5)"),
    ] {
        assert!(stdout.contains(&want), "missing {want:?} in:\n{stdout}");
    }
    assert!(
        stdout.ends_with(
            "read 6 lines in 2 files: 2 usable, 4 problems (2 malformed, 1 unknown label, 1 duplicate id)\n"
        ),
        "{stdout}"
    );

    // The listing is capped; the rest are counted.
    let out = check(&[&a, &b], &["--max-problems", "1"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    assert!(stdout.contains("... and 3 more"), "{stdout}");
}

#[test]
fn data_check_exits_1_on_an_unknown_label_alone_and_0_on_a_clean_file() {
    let dir = tempfile::tempdir().unwrap();
    let unknown = dir.path().join("unknown.jsonl");
    std::fs::write(
        &unknown,
        line("1", "Plan my week", "planning") + &line("2", "A haiku", "poetry"),
    )
    .unwrap();
    let out = check(&[&unknown], &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "an unknown label is dropped: not clean"
    );

    let clean = dir.path().join("clean.jsonl");
    std::fs::write(
        &clean,
        line("1", "Plan my week", "planning") + &line("2", "Why is the sky blue?", "reasoning"),
    )
    .unwrap();
    let out = check(&[&clean], &[]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert_eq!(stdout, "read 2 lines in 1 file: 2 usable, no problems\n");
}

#[test]
fn data_check_names_a_repeated_text_with_both_lines() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.jsonl");
    std::fs::write(
        &a,
        line("1", "Plan my week", "planning") + &line("2", "plan my  week", "planning"),
    )
    .unwrap();
    let out = check(&[&a], &[]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let a_ = a.display();
    assert!(
        stdout.contains(&format!(
            "{a_}:2: text: duplicate text (after normalisation) (first at {a_}:1)"
        )),
        "{stdout}"
    );
}

/// `data build --out DIR` into a folder without the bundled inputs refuses, naming the flag
/// to pass, instead of building without the mined stubs, the `other` data and the dev-set
/// guard (issue 17).
#[test]
fn data_build_into_another_folder_names_every_missing_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let build = |extra: &[&str]| {
        Command::new(BIN)
            .args(["data", "build", "--raw"])
            .arg(dir.path())
            .arg("--out")
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    let o = build(&[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--other DIR") && err.contains("--no-other"),
        "{err}"
    );
    let o = build(&["--no-other"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--raw-extra DIR") && err.contains("--no-raw-extra"),
        "{err}"
    );
    let o = build(&["--no-other", "--no-raw-extra"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--confusions DIR") && err.contains("--no-confusions"),
        "{err}"
    );
    let o = build(&["--no-other", "--no-raw-extra", "--no-confusions"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("gateway_dev.jsonl") && err.contains("--no-guard"),
        "{err}"
    );
    // Everything left out explicitly: it gets as far as the raw sources (absent here).
    let o = build(&[
        "--no-other",
        "--no-raw-extra",
        "--no-confusions",
        "--no-guard",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("folder missing"), "{err}");
    assert!(!out.join("train.jsonl").exists());
}
