//! Reasoning sources: GSM8K, BIG-Bench Hard, AQuA-RAT, StrategyQA.

use std::path::Path;

use serde_json::Value;

use super::{files, read_json, read_json_lines, source_err, str_field, Adapted, Source};
use crate::Result;
use promptyard::label::Label;

/// BIG-Bench Hard tasks left out: string manipulation (`word_sorting`, `dyck_languages`) and
/// tasks that are more linguistic than multi-step (the raw README suggests dropping them).
pub const BBH_EXCLUDED: [&str; 6] = [
    "word_sorting",
    "dyck_languages",
    "salient_translation_error_detection",
    "ruin_names",
    "hyperbaton",
    "snarks",
];

pub(super) fn sources() -> Vec<Source> {
    vec![
        Source {
            name: "gsm8k",
            licence: "MIT",
            origin: "openai/grade-school-math @ 3101c7d5072418e28b9008a6636bde82a006892c",
            cut: "`question` (the word problem); the worked answer is dropped.",
            adapter: gsm8k,
            non_commercial: false,
        },
        Source {
            name: "big-bench-hard",
            licence: "MIT",
            origin: "suzgunmirac/BIG-Bench-Hard @ 9ee07bd481feebf959a6b59d61ea57bdcf30964d",
            cut: "`input` (question with its options); `target` dropped. Tasks word_sorting, \
                  dyck_languages, salient_translation_error_detection, ruin_names, hyperbaton \
                  and snarks left out. Every record carries the benchmark canary.",
            adapter: big_bench_hard,
            non_commercial: false,
        },
        Source {
            name: "aqua-rat",
            licence: "Apache-2.0",
            origin: "google-deepmind/AQuA @ 26b64ed1f22208c6742f47df547dfd65088ec30d",
            cut: "`question` + the answer options; rationale and answer dropped.",
            adapter: aqua_rat,
            non_commercial: false,
        },
        Source {
            name: "strategyqa",
            licence: "MIT",
            origin: "eladsegal/strategyqa @ 1ba1e97452e189569357876f2854b01357ffbe37",
            cut: "`question`; facts, decomposition and answer dropped.",
            adapter: strategyqa,
            non_commercial: false,
        },
    ]
}

fn gsm8k(dir: &Path) -> Result<Adapted> {
    const NAME: &str = "gsm8k";
    let mut out = Adapted::default();
    for file in ["train.jsonl", "test.jsonl"] {
        let path = dir.join(file);
        for (line, v) in read_json_lines(NAME, &path)? {
            out.read += 1;
            let q = str_field(NAME, &path, &v, "question")?;
            let id = format!("{file}:{line}");
            out.push_single(NAME, Label::Reasoning, id, q.to_string());
        }
    }
    Ok(out)
}

fn big_bench_hard(dir: &Path) -> Result<Adapted> {
    const NAME: &str = "big-bench-hard";
    let mut out = Adapted::default();
    for path in files(NAME, dir, "", ".json")? {
        let task = super::file_name(&path)
            .trim_end_matches(".json")
            .to_string();
        let doc = read_json(NAME, &path)?;
        let canary = doc
            .get("canary")
            .and_then(Value::as_str)
            .map(str::to_string);
        let examples = doc
            .get("examples")
            .and_then(Value::as_array)
            .ok_or_else(|| source_err(NAME, &path, "no `examples` list"))?;
        for (i, ex) in examples.iter().enumerate() {
            out.read += 1;
            if BBH_EXCLUDED.contains(&task.as_str()) {
                out.drop("bbh task not multi-step reasoning");
                continue;
            }
            let input = str_field(NAME, &path, ex, "input")?;
            let id = format!("{task}:{i}");
            out.push_single(NAME, Label::Reasoning, id, input.to_string());
            if let Some(last) = out.prompts.last_mut() {
                last.canary = canary.clone();
            }
        }
    }
    Ok(out)
}

fn aqua_rat(dir: &Path) -> Result<Adapted> {
    const NAME: &str = "aqua-rat";
    let mut out = Adapted::default();
    for file in ["dev.json", "test.json"] {
        let path = dir.join(file);
        for (line, v) in read_json_lines(NAME, &path)? {
            out.read += 1;
            let q = str_field(NAME, &path, &v, "question")?;
            let options: Vec<&str> = v
                .get("options")
                .and_then(Value::as_array)
                .map(|o| o.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let text = if options.is_empty() {
                q.to_string()
            } else {
                format!("{q}\nOptions: {}", options.join(" "))
            };
            let id = format!("{file}:{line}");
            out.push_single(NAME, Label::Reasoning, id, text);
        }
    }
    Ok(out)
}

fn strategyqa(dir: &Path) -> Result<Adapted> {
    const NAME: &str = "strategyqa";
    let mut out = Adapted::default();
    for file in ["train.json.gz", "dev.json"] {
        let path = dir.join(file);
        let doc = read_json(NAME, &path)?;
        let items = doc
            .as_array()
            .ok_or_else(|| source_err(NAME, &path, "expected a JSON list"))?;
        for item in items {
            out.read += 1;
            let q = str_field(NAME, &path, item, "question")?;
            let qid = str_field(NAME, &path, item, "qid")?;
            out.push(
                NAME,
                Label::Reasoning,
                qid.to_string(),
                format!("{NAME}/{qid}"),
                q.to_string(),
            );
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bbh_keeps_the_canary_and_skips_excluded_tasks() {
        let dir = tempfile::tempdir().unwrap();
        let doc = r#"{"canary": "BENCHMARK DATA SHOULD NEVER APPEAR. canary GUID x",
                      "examples": [{"input": "Is A before B?\nOptions:\n(A) yes", "target": "(A)"}]}"#;
        std::fs::write(dir.path().join("date_understanding.json"), doc).unwrap();
        std::fs::write(dir.path().join("word_sorting.json"), doc).unwrap();
        let out = big_bench_hard(dir.path()).unwrap();
        assert_eq!(out.read, 2);
        assert_eq!(out.prompts.len(), 1);
        let p = &out.prompts[0];
        assert_eq!(p.text, "Is A before B?\nOptions:\n(A) yes");
        assert_eq!(p.origin_id, "date_understanding:0");
        assert!(p.canary.as_deref().unwrap().contains("canary GUID"));
        assert_eq!(out.dropped["bbh task not multi-step reasoning"], 1);
    }

    #[test]
    fn aqua_appends_the_options_and_drops_the_rationale() {
        let dir = tempfile::tempdir().unwrap();
        let line = r#"{"question": "What is 2+2?", "options": ["A)3", "B)4"], "rationale": "2+2=4", "correct": "B"}"#;
        std::fs::write(dir.path().join("dev.json"), format!("{line}\n")).unwrap();
        std::fs::write(dir.path().join("test.json"), "").unwrap();
        let out = aqua_rat(dir.path()).unwrap();
        assert_eq!(out.prompts[0].text, "What is 2+2?\nOptions: A)3 B)4");
        assert_eq!(out.prompts[0].group, "aqua-rat/dev.json:1");
    }
}
