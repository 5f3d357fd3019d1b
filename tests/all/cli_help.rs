//! Every flag of every subcommand is described in `--help`: the test walks the command
//! tree from `promptyard --help` (nested ones such as `data build`, `catalog prices`
//! included) and checks that each `--flag` line carries text beyond its defaults.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_promptyard");

fn help(path: &[String]) -> String {
    let out = Command::new(BIN).args(path).arg("--help").output().unwrap();
    assert!(
        out.status.success(),
        "promptyard {} --help: {}",
        path.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The names in the `Commands:` section, without `help`.
fn subcommands(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line == "Commands:" {
            inside = true;
            continue;
        }
        if !inside {
            continue;
        }
        if line.trim().is_empty() || !line.starts_with("  ") {
            break;
        }
        // A command line is indented by two; a wrapped description by more.
        if line.starts_with("   ") {
            continue;
        }
        let name = line.split_whitespace().next().unwrap();
        if name != "help" {
            names.push(name.to_string());
        }
    }
    names
}

/// Text with `[default: …]`, `[possible values: …]` and `[aliases: …]` removed.
fn without_brackets(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// Every flag line of one help text that has no description: `(flag, line)`.
fn undescribed(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut missing = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if !trimmed.starts_with('-') || !trimmed.contains("--") {
            continue;
        }
        let indent = line.len() - trimmed.len();
        // Short help puts the description after two spaces; long help on the next lines.
        let (spec, rest) = trimmed.split_once("  ").unwrap_or((trimmed, ""));
        let mut described = !without_brackets(rest).is_empty();
        if !described {
            if let Some(next) = lines.get(i + 1) {
                let next_trimmed = next.trim_start();
                let next_indent = next.len() - next_trimmed.len();
                described = next_indent > indent
                    && !next_trimmed.starts_with('-')
                    && !without_brackets(next_trimmed).is_empty();
            }
        }
        if !described {
            missing.push(spec.trim().to_string());
        }
    }
    missing
}

#[test]
fn every_flag_of_every_subcommand_has_a_description() {
    let mut queue: Vec<Vec<String>> = vec![Vec::new()];
    let mut seen = Vec::new();
    let mut problems = Vec::new();
    while let Some(path) = queue.pop() {
        let text = help(&path);
        for flag in undescribed(&text) {
            problems.push(format!("promptyard {} {flag}", path.join(" ")));
        }
        for name in subcommands(&text) {
            let mut sub = path.clone();
            sub.push(name);
            queue.push(sub);
        }
        seen.push(path.join(" "));
    }
    // The walk reached the nested commands, not only the top level.
    for cmd in [
        "route",
        "train",
        "eval",
        "label",
        "report",
        "data build",
        "data check",
        "catalog prices",
    ] {
        assert!(seen.iter().any(|s| s == cmd), "{cmd} not visited: {seen:?}");
    }
    assert!(
        problems.is_empty(),
        "flags without a description:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_checker_catches_a_flag_with_only_a_default() {
    let text = "Options:\n      --epochs <EPOCHS>  [default: 8]\n      --lr <LR>  Peak rate [default: 0.1]\n      --seed <SEED>\n          Seed for shuffling\n      --dim <DIM>\n      --quiet\n";
    assert_eq!(
        undescribed(text),
        ["--epochs <EPOCHS>", "--dim <DIM>", "--quiet"]
    );
}
