//! Opt-in sources under `raw-nc/`: non-commercial or unlicensed. Only `--include-nc` reads
//! them; their source names end in `-nc` so a model trained on them can be told apart.

use std::path::Path;

use serde_json::Value;

use super::{between, read_json, read_json_lines, source_err, str_field, Adapted, Source};
use crate::Result;
use promptyard::label::Label;

pub(super) fn sources() -> Vec<Source> {
    vec![
        Source {
            name: "coscript-nc",
            licence: "derived from wikiHow (CC-BY-NC-SA-3.0); no licence file",
            origin: "siyuyuan/coscript @ 669a03228a66bb9fe139b2cebd76b70f6b64de6a",
            cut: "template `Give me step-by-step instructions to {Specific Goal}.`",
            adapter: coscript,
            non_commercial: true,
        },
        Source {
            name: "ultratool-nc",
            licence: "none stated",
            origin: "JoeYing1019/UltraTool @ 9f3793c3f9396b840631833ef76fe4f20c057c39",
            cut: "`input` (English and Chinese planning requests); the reference plan dropped.",
            adapter: ultratool,
            non_commercial: true,
        },
        Source {
            name: "worfbench-wikihow-nc",
            licence: "repo MIT, content from wikiHow (CC-BY-NC-SA-3.0)",
            origin: "zjunlp/WorfBench @ 38a6455557128dffceae9a08ffd745f04a4a9d03",
            cut: "the user turn after `Task:` up to the action list.",
            adapter: worfbench_wikihow,
            non_commercial: true,
        },
        Source {
            name: "codealpaca-nc",
            licence: "CC-BY-NC-4.0",
            origin: "sahil280114/codealpaca @ 2f78ddc5c682ed6738ad092bbbfa59ba915afcb0",
            cut: "`instruction` + blank line + `input` when non-empty; the output dropped.",
            adapter: codealpaca,
            non_commercial: true,
        },
    ]
}

fn coscript(dir: &Path) -> Result<Adapted> {
    const NAME: &str = "coscript-nc";
    let mut out = Adapted::default();
    for file in ["dev_data.jsonl", "test_data.jsonl"] {
        let path = dir.join(file);
        for (line, v) in read_json_lines(NAME, &path)? {
            out.read += 1;
            let goal = str_field(NAME, &path, &v, "Specific Goal")?;
            let text = format!("Give me step-by-step instructions to {goal}.");
            let id = format!("{file}:{line}");
            out.push_single(NAME, Label::Planning, id, text);
        }
    }
    Ok(out)
}

fn ultratool(dir: &Path) -> Result<Adapted> {
    const NAME: &str = "ultratool-nc";
    let mut out = Adapted::default();
    for lang in ["English", "Chinese"] {
        let path = dir.join(format!("{lang}.test_set.planning.jsonl.gz"));
        for (line, v) in read_json_lines(NAME, &path)? {
            out.read += 1;
            let input = str_field(NAME, &path, &v, "input")?;
            let id = format!("{lang}:{line}");
            out.push_single(NAME, Label::Planning, id, input.to_string());
        }
    }
    Ok(out)
}

fn worfbench_wikihow(dir: &Path) -> Result<Adapted> {
    const NAME: &str = "worfbench-wikihow-nc";
    let path = dir.join("graph_eval.wikihow.json.gz");
    let doc = read_json(NAME, &path)?;
    let items = doc
        .as_array()
        .ok_or_else(|| source_err(NAME, &path, "expected a JSON list"))?;
    let mut out = Adapted::default();
    for (i, item) in items.iter().enumerate() {
        out.read += 1;
        let user = item
            .get("conversations")
            .and_then(Value::as_array)
            .and_then(|t| {
                t.iter()
                    .find(|t| t.get("role").and_then(Value::as_str) == Some("user"))
            })
            .and_then(|t| t.get("content"))
            .and_then(Value::as_str)
            .unwrap_or("");
        match between(user, Some("Task:"), &["The action list you can take"]) {
            Some(task) => {
                let id = i.to_string();
                out.push_single(NAME, Label::Planning, id, task.to_string());
            }
            None => out.drop("worfbench request not found"),
        }
    }
    Ok(out)
}

fn codealpaca(dir: &Path) -> Result<Adapted> {
    const NAME: &str = "codealpaca-nc";
    let mut out = Adapted::default();
    for file in ["code_alpaca_2k.json.gz", "new_codealpaca.json.gz"] {
        let path = dir.join(file);
        let doc = read_json(NAME, &path)?;
        let items = doc
            .as_array()
            .ok_or_else(|| source_err(NAME, &path, "expected a JSON list"))?;
        for (i, item) in items.iter().enumerate() {
            out.read += 1;
            let instruction = str_field(NAME, &path, item, "instruction")?;
            let input = item
                .get("input")
                .and_then(Value::as_str)
                .unwrap_or("")
                .trim();
            let text = if input.is_empty() {
                instruction.to_string()
            } else {
                format!("{instruction}\n\n{input}")
            };
            let id = format!("{file}:{i}");
            out.push_single(NAME, Label::CodeCompletion, id, text);
        }
    }
    Ok(out)
}
