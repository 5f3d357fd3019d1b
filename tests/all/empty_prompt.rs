//! Empty and whitespace-only prompts get one answer from every entry point: the library
//! refuses them with `Error::EmptyPrompt`, `promptyard route` exits 2 with its message, and
//! `promptyard label` writes an `empty_text` error record (issue 14). Before, `route ""` sent
//! the empty prompt to a flagship model while `label` refused it.

use std::io::Write;
use std::process::{Command, Stdio};

use promptyard::router::{is_blank, Router};
use promptyard::Error;

/// Empty, ASCII whitespace, and Unicode `White_Space` (no-break and ideographic spaces).
const BLANK: [&str; 5] = ["", " ", "\n\t\r\n", "\u{00A0}", " \u{3000} "];

#[test]
fn router_refuses_blank_prompts_in_route_route_batch_and_decide() {
    let router = Router::new().unwrap();
    for text in BLANK {
        assert!(is_blank(text), "{text:?}");
        assert!(
            matches!(router.route(text), Err(Error::EmptyPrompt)),
            "{text:?}"
        );
        assert!(matches!(
            router.decide(&[0.25; 4], text),
            Err(Error::EmptyPrompt)
        ));
    }
    let batch = router.route_batch(&["", "Plan a 3-day trip to Lisbon", " "]);
    assert!(matches!(batch[0], Err(Error::EmptyPrompt)));
    assert!(batch[1].is_ok());
    assert!(matches!(batch[2], Err(Error::EmptyPrompt)));
    // A zero-width no-break space (BOM) is not whitespace: there is something to classify.
    assert!(router.route("\u{FEFF}").is_ok());
}

#[test]
fn route_command_exits_2_on_a_blank_prompt_from_the_argument_or_stdin() {
    for (args, stdin) in [(vec![""], ""), (vec!["  \t "], ""), (vec!["-"], " \n\n ")] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_promptyard"))
            .arg("route")
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            err.trim_end(),
            format!("promptyard: error: {}", Error::EmptyPrompt),
            "{args:?}"
        );
    }
}

#[test]
fn label_command_writes_an_empty_text_record_for_each_blank_prompt() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let mut lines = String::new();
    for text in BLANK {
        lines.push_str(&serde_json::json!({ "text": text }).to_string());
        lines.push('\n');
    }
    lines.push_str("{\"text\":\"Plan a 3-day trip to Lisbon\"}\n");
    std::fs::write(&input, lines).unwrap();
    let output = dir.path().join("out.jsonl");
    let status = Command::new(env!("CARGO_BIN_EXE_promptyard"))
        .args([
            "label",
            "-i",
            input.to_str().unwrap(),
            "-o",
            output.to_str().unwrap(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    // Exit 1: some records failed (the blank ones), the rest were labelled.
    assert_eq!(status.code(), Some(1));
    let records: Vec<serde_json::Value> = std::fs::read_to_string(&output)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), BLANK.len() + 1);
    for r in &records[..BLANK.len()] {
        assert_eq!(r["error"], "empty_text", "{r}");
    }
    assert_eq!(records[BLANK.len()]["label"], "planning");
    assert!(records[BLANK.len()]["probs"].get("other").is_some());
}
