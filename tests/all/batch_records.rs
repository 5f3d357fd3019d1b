//! Every input record yields exactly one output record, in order, with the right error
//! records, for JSONL and CSV full of the problems real logs have.

use std::borrow::Cow;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use promptyard::{Label, Result};
use promptyard_batch::{self as batch, Format, Input, Labelled, Output, RunOptions, RunSummary};
use proptest::prelude::*;
use serde_json::Value;

const BIG: usize = 5 << 20;

/// A deterministic labeller: the label and model follow the text's length.
fn by_length(text: &str) -> Result<Labelled<'static>> {
    let i = text.len() % 3;
    Ok(Labelled {
        label: Label::ALL[i],
        confidence: 0.5,
        probs: [0.25, 0.25, 0.25, 0.0].map(|p| p + if i == 0 { 0.25 } else { 0.0 }),
        model: Cow::Borrowed(["m0", "m1", "m2"][i]),
        est_cost_usd: text.len() as f64 * 1e-6,
        input_tokens: text.len() as u64,
        output_tokens: 7,
        tier: promptyard_batch::Tier::Fast,
    })
}

fn run_on(input: &[u8], ext: &str, field: &str, chunk_bytes: usize) -> (Vec<Value>, RunSummary) {
    run_limited(input, ext, field, chunk_bytes, 64 << 20)
}

fn run_limited(
    input: &[u8],
    ext: &str,
    field: &str,
    chunk_bytes: usize,
    max_record: usize,
) -> (Vec<Value>, RunSummary) {
    let dir = tempfile::tempdir().unwrap();
    let inp = dir.path().join(format!("in.{ext}"));
    let out = dir.path().join("out.jsonl");
    std::fs::write(&inp, input).unwrap();
    let mut opts = RunOptions::new(Format::from_path(&inp).unwrap());
    opts.field = field.parse().unwrap();
    opts.chunk_bytes = chunk_bytes;
    opts.max_record_bytes = max_record;
    let longest = AtomicUsize::new(0);
    let labeler = |t: &str| {
        longest.fetch_max(t.len(), Ordering::Relaxed);
        by_length(t)
    };
    let summary = batch::run(
        Input::Path(inp),
        Output::Path(out.clone()),
        &opts,
        &labeler,
        &mut |_| {},
    )
    .unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(!dir.path().join("out.jsonl.partial").exists());
    assert!(!dir.path().join("out.jsonl.checkpoint").exists());
    let records = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (records, summary)
}

/// `Ok(id)` for a labelled record, `Err((line, kind))` for an error record.
fn shape(v: &Value) -> std::result::Result<String, (u64, String)> {
    match v.get("error") {
        Some(kind) => Err((
            v["line"].as_u64().unwrap(),
            kind.as_str().unwrap().to_owned(),
        )),
        None => {
            for key in [
                "label",
                "confidence",
                "probs",
                "model",
                "est_cost_usd",
                "input_tokens",
                "output_tokens",
                "tier",
            ] {
                assert!(v.get(key).is_some(), "{key} missing in {v}");
            }
            Ok(v["id"].to_string().trim_matches('"').to_owned())
        }
    }
}

fn mixed_jsonl() -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(b"{\"id\":1,\"text\":\"plan the sprint\"}\r\n");
    b.extend_from_slice(b"{\"id\":2,\"text\":\"unterminated\n");
    b.extend_from_slice(b"{\"id\":3}\n");
    b.extend_from_slice(b"{\"id\":4,\"text\":1234}\n");
    b.extend_from_slice(b"{\"id\":5,\"text\":\"  \"}\n");
    b.extend_from_slice(
        format!("{{\"id\":6,\"text\":\"{}\"}}\n", "word ".repeat(BIG / 5)).as_bytes(),
    );
    b.extend_from_slice(b"{\"id\":7,\"text\":\"caf\xe9\"}\n");
    b.extend_from_slice(b"\n");
    b.extend_from_slice(b"[\"id\",9]\n");
    b.extend_from_slice(
        b"{\"id\":10,\"text\":\"keep \\\"quotes\\\" \\u00e9\",\"label\":\"gold\"}\r\n",
    );
    b.extend_from_slice(b"{\"id\":11,\"text\":\"no newline at the end\"}");
    b
}

#[test]
fn jsonl_every_line_accounted_for_in_order() {
    for chunk in [64, 1 << 20] {
        let (out, summary) = run_on(&mixed_jsonl(), "jsonl", "text", chunk);
        let shapes: Vec<_> = out.iter().map(shape).collect();
        let err = |line: u64, kind: &str| Err((line, kind.to_owned()));
        assert_eq!(
            shapes,
            [
                Ok("1".into()),
                err(2, "invalid_json"),
                err(3, "missing_field"),
                err(4, "not_a_string"),
                err(5, "empty_text"),
                Ok("6".into()),
                err(7, "invalid_utf8"),
                err(8, "empty_line"),
                err(9, "not_an_object"),
                Ok("10".into()),
                Ok("11".into()),
            ]
        );
        // Input fields are kept byte for byte; an input `label` is replaced by ours.
        assert_eq!(out[9]["text"], "keep \"quotes\" é");
        assert_eq!(
            out[9]["label"],
            by_length("keep \"quotes\" é").unwrap().label.as_str()
        );
        assert_eq!(
            out[5]["input_tokens"].as_u64(),
            Some(BIG as u64),
            "the 5 MB text reached the labeller whole"
        );
        assert_eq!(
            (
                summary.counts.read(),
                summary.counts.labelled,
                summary.counts.error_total()
            ),
            (11, 4, 7)
        );
        assert_eq!(
            summary.counts.errors.len(),
            7,
            "one of each kind: {:?}",
            summary.counts.errors
        );
    }
}

fn mixed_csv() -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(b"id,text,note\r\n");
    b.extend_from_slice(b"1,plan the sprint,a\r\n");
    b.extend_from_slice(b"2,\"quoted, with comma\nand newline\",b\n");
    b.extend_from_slice(b"3,too few\n");
    b.extend_from_slice(b"4,,empty\n");
    b.extend_from_slice(b"5,caf\xe9,bad utf8\n");
    b.extend_from_slice(format!("6,{},big\n", "word ".repeat(BIG / 5)).as_bytes());
    b.extend_from_slice(b"7,a,b,extra\n");
    b.extend_from_slice(b"8,\"the \"\"last\"\" row\",no newline");
    b
}

#[test]
fn csv_every_row_accounted_for_in_order() {
    for chunk in [64, 1 << 20] {
        let (out, summary) = run_on(&mixed_csv(), "csv", "text", chunk);
        let shapes: Vec<_> = out.iter().map(shape).collect();
        let err = |line: u64, kind: &str| Err((line, kind.to_owned()));
        assert_eq!(
            shapes,
            [
                Ok("1".into()),
                Ok("2".into()),
                err(5, "bad_csv_row"),
                err(6, "empty_text"),
                err(7, "invalid_utf8"),
                Ok("6".into()),
                err(9, "bad_csv_row"),
                Ok("8".into()),
            ]
        );
        assert_eq!(out[1]["text"], "quoted, with comma\nand newline");
        assert_eq!(out[1]["note"], "b");
        assert_eq!(out[7]["text"], "the \"last\" row");
        assert_eq!((summary.counts.read(), summary.counts.labelled), (8, 4));
    }
}

#[test]
fn runaway_lines_become_error_records_instead_of_filling_memory() {
    let long = format!("{{\"id\":2,\"text\":\"{}\"}}", "y".repeat(5000));
    for (tail, chunk) in [
        ("\n{\"id\":3,\"text\":\"after\"}\n", 64),
        ("", 1 << 20),
        ("\n", 100),
    ] {
        let input = format!("{{\"id\":1,\"text\":\"before\"}}\n{long}{tail}");
        let (out, _) = run_limited(input.as_bytes(), "jsonl", "text", chunk, 1000);
        let shapes: Vec<_> = out.iter().map(shape).collect();
        let mut expected = vec![Ok("1".to_string()), Err((2, "record_too_long".to_string()))];
        if tail.len() > 1 {
            expected.push(Ok("3".into()));
        }
        assert_eq!(shapes, expected, "tail {tail:?}, chunk {chunk}");
        assert!(
            out[1]["message"].as_str().unwrap().contains("5018 bytes"),
            "{}",
            out[1]
        );
    }
}

#[test]
fn dotted_paths_reach_into_chat_logs() {
    let log = br#"{"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"plan a trip"}]}
{"messages":[{"role":"system","content":"be brief"}]}
"#;
    let (out, _) = run_on(log, "jsonl", "messages.1.content", 1 << 20);
    assert_eq!(out[0]["input_tokens"], "plan a trip".len());
    assert_eq!(out[1]["error"], "missing_field");
    assert!(out[1]["message"]
        .as_str()
        .unwrap()
        .contains("messages.1.content"));
}

#[test]
fn chunking_never_changes_the_output() {
    let mut log = String::new();
    for i in 0..5000 {
        match i % 97 {
            13 => log.push_str("oops\n"),
            _ => log.push_str(&format!(
                "{{\"id\":{i},\"text\":\"prompt number {i} {}\"}}\n",
                "x".repeat(i % 50)
            )),
        }
    }
    let (small, _) = run_on(log.as_bytes(), "jsonl", "text", 100);
    let (large, summary) = run_on(log.as_bytes(), "jsonl", "text", 8 << 20);
    assert_eq!(small, large);
    assert_eq!(summary.counts.read(), 5000);
    for (i, v) in large.iter().enumerate() {
        match shape(v) {
            Ok(id) => assert_eq!(id, i.to_string()),
            Err((line, kind)) => assert_eq!((line, kind.as_str()), (i as u64 + 1, "invalid_json")),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Whatever the bytes, one output line per input line, error records at the right lines.
    #[test]
    fn one_output_line_per_input_line(lines in prop::collection::vec(
        prop_oneof![
            Just("{\"text\":\"hello\"}".to_string()),
            Just("{\"text\":\"\"}".to_string()),
            Just("{\"text\":[1]}".to_string()),
            Just("{\"text\":\"a\\u0000b\"}\r".to_string()),
            "[^\n]{0,20}",
        ],
        1..40,
    )) {
        let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let (out, summary) = run_on(input.as_bytes(), "jsonl", "text", 32);
        prop_assert_eq!(out.len(), lines.len());
        prop_assert_eq!(summary.counts.read(), lines.len() as u64);
        for (i, v) in out.iter().enumerate() {
            if let Some(line) = v.get("line") {
                prop_assert_eq!(line.as_u64(), Some(i as u64 + 1));
            }
        }
    }
}

fn promptyard(args: &[&str], cwd: &Path, stdin: &[u8]) -> (Option<i32>, Vec<u8>, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_promptyard"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = pipe.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    (
        out.status.code(),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_exit_status_and_summary() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("good.jsonl"),
        "{\"text\":\"plan a trip\"}\n{\"text\":\"why?\"}\n",
    )
    .unwrap();
    std::fs::write(d.join("mixed.jsonl"), mixed_jsonl()).unwrap();
    std::fs::write(d.join("mixed.csv"), mixed_csv()).unwrap();

    let (code, _, err) = promptyard(
        &["label", "-i", "good.jsonl", "-o", "good.out.jsonl"],
        d,
        b"",
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("labelled             2"), "{err}");
    assert_eq!(
        std::fs::read_to_string(d.join("good.out.jsonl"))
            .unwrap()
            .lines()
            .count(),
        2
    );

    let (code, _, err) = promptyard(
        &["label", "-i", "mixed.jsonl", "-o", "mixed.out.jsonl"],
        d,
        b"",
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("invalid_json 1") && err.contains("records/s"),
        "{err}"
    );

    let (code, _, err) = promptyard(
        &["label", "-q", "-i", "mixed.csv", "-o", "mixed.out.jsonl"],
        d,
        b"",
    );
    assert_eq!(
        (code, err.as_str()),
        (Some(1), ""),
        "--quiet prints nothing"
    );

    // Standard input to standard output needs --format.
    let (code, out, _) = promptyard(
        &["label", "-q", "--format", "jsonl", "-i", "-", "-o", "-"],
        d,
        b"{\"text\":\"x\"}\n{}\n",
    );
    assert_eq!(code, Some(1));
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out.lines().count(), 2);
    assert!(out.lines().nth(1).unwrap().contains("\"missing_field\""));

    // Could not run: exit 2 and no output file.
    for args in [
        &["label", "-i", "-", "-o", "x.jsonl"][..],
        &["label", "-i", "absent.jsonl", "-o", "x.jsonl"],
        &[
            "label",
            "-i",
            "mixed.csv",
            "--field",
            "prompt",
            "-o",
            "x.jsonl",
        ],
        &[
            "label",
            "-i",
            "good.jsonl",
            "--catalog",
            "absent.toml",
            "-o",
            "x.jsonl",
        ],
        &["label", "-i", "good.jsonl", "-o", "-", "--resume"],
    ] {
        let (code, _, err) = promptyard(args, d, b"");
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.starts_with("promptyard: error: "), "{err}");
        assert!(!d.join("x.jsonl").exists());
    }
    let (_, _, err) = promptyard(
        &[
            "label",
            "-i",
            "mixed.csv",
            "--field",
            "prompt",
            "-o",
            "x.jsonl",
        ],
        d,
        b"",
    );
    assert!(
        err.contains("prompt") && err.contains("columns: id, text, note"),
        "{err}"
    );

    if !cfg!(feature = "parquet") {
        std::fs::write(d.join("log.parquet"), b"PAR1").unwrap();
        let (code, _, err) = promptyard(&["label", "-i", "log.parquet", "-o", "x.jsonl"], d, b"");
        assert_eq!(code, Some(2));
        assert!(err.contains("--features parquet"), "{err}");
    }
}
