//! Code-completion sources: HumanEval (plain, infilling, mxeval translations), MBXP,
//! ODEX and ClassEval.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{files, id_number, read_json, read_json_lines, source_err, str_field, Adapted, Source};
use crate::Result;
use promptyard::label::Label;

/// Marks the hole in fill-in-the-middle prompts (the convention of Code Llama's infilling).
pub const HOLE_MARKER: &str = "<FILL_ME>";

pub(super) fn sources() -> Vec<Source> {
    vec![
        Source {
            name: "human-eval",
            licence: "MIT",
            origin: "openai/human-eval @ 6d43fb980f9fee3c892a914eda09951f772ad10d",
            cut: "`prompt` (signature + docstring); solution and tests dropped.",
            adapter: human_eval,
            non_commercial: false,
        },
        Source {
            name: "human-eval-infilling",
            licence: "MIT",
            origin: "openai/human-eval-infilling @ 88062ff9859c875d04db115b698ed4b0f0395170",
            cut: "`prompt` (prefix) + `<FILL_ME>` + `suffix`; the missing span and tests dropped.",
            adapter: human_eval_infilling,
            non_commercial: false,
        },
        Source {
            name: "mxeval-multilingual-humaneval",
            licence: "MIT",
            origin: "amazon-science/mxeval @ e09974f990eeaf0c0e8f2b5eaff4be66effb2c86",
            cut: "`prompt` (signature + doc comment in 12 languages); solution and tests dropped.",
            adapter: mxeval_humaneval,
            non_commercial: false,
        },
        Source {
            name: "mxeval-mbxp",
            licence: "CC-BY-4.0",
            origin: "amazon-science/mxeval @ e09974f990eeaf0c0e8f2b5eaff4be66effb2c86",
            cut: "`prompt` (signature + doc comment in 13 languages); solution and tests dropped.",
            adapter: mbxp,
            non_commercial: false,
        },
        Source {
            name: "odex",
            licence: "CC-BY-SA-4.0",
            origin: "zorazrw/odex @ 21308ea6d474a078d5a85c61c2b5ca228d1fd167",
            cut: "`intent` (the StackOverflow request, en/es/ja/ru) + a blank line + the \
                  `prompt` stub; solution and tests dropped.",
            adapter: odex,
            non_commercial: false,
        },
        Source {
            name: "classeval",
            licence: "MIT",
            origin: "FudanSELab/ClassEval @ eaeac44d0d5dcd8a95feec50726d66fedc73a98f",
            cut: "the class `skeleton`, and one prompt per method: imports + class header and \
                  description + the method's signature and docstring; solutions and tests dropped.",
            adapter: classeval,
            non_commercial: false,
        },
    ]
}

/// The classifier text of a fill-in-the-middle record.
pub fn infilling_text(prefix: &str, suffix: &str) -> String {
    format!("{prefix}{HOLE_MARKER}{suffix}")
}

/// `humaneval/N` from any HumanEval task id (`HumanEval/3`, `HumanEval_go/3`,
/// `MultiLineInfilling/HumanEval/3/L0_L4`).
pub fn humaneval_group(task_id: &str) -> Option<String> {
    let mut parts = task_id.split('/');
    while let Some(p) = parts.next() {
        if p.starts_with("HumanEval") {
            let n: u64 = parts.next()?.parse().ok()?;
            return Some(format!("humaneval/{n}"));
        }
    }
    None
}

fn human_eval(dir: &Path) -> Result<Adapted> {
    humaneval_stubs("human-eval", &[dir.join("HumanEval.jsonl.gz")])
}

/// HumanEval-shaped files (`task_id` + `prompt`), the original or a translation: each
/// task's group is its HumanEval number, so every language variant shares a split.
fn humaneval_stubs(name: &str, paths: &[PathBuf]) -> Result<Adapted> {
    let mut out = Adapted::default();
    for path in paths {
        for (_, v) in read_json_lines(name, path)? {
            out.read += 1;
            let task = str_field(name, path, &v, "task_id")?;
            let group = humaneval_group(task)
                .ok_or_else(|| source_err(name, path, format!("unexpected task id {task}")))?;
            let prompt = str_field(name, path, &v, "prompt")?;
            out.push(
                name,
                Label::CodeCompletion,
                task.to_string(),
                group,
                prompt.to_string(),
            );
        }
    }
    Ok(out)
}

fn human_eval_infilling(dir: &Path) -> Result<Adapted> {
    const NAME: &str = "human-eval-infilling";
    let mut out = Adapted::default();
    for path in files(NAME, dir, "HumanEval-", ".jsonl.gz")? {
        for (_, v) in read_json_lines(NAME, &path)? {
            out.read += 1;
            let task = str_field(NAME, &path, &v, "task_id")?;
            let group = humaneval_group(task)
                .ok_or_else(|| source_err(NAME, &path, format!("unexpected task id {task}")))?;
            let prefix = str_field(NAME, &path, &v, "prompt")?;
            let suffix = str_field(NAME, &path, &v, "suffix")?;
            let text = infilling_text(prefix, suffix);
            out.push(NAME, Label::CodeCompletion, task.to_string(), group, text);
        }
    }
    Ok(out)
}

fn mxeval_humaneval(dir: &Path) -> Result<Adapted> {
    const NAME: &str = "mxeval-multilingual-humaneval";
    humaneval_stubs(NAME, &files(NAME, dir, "HumanEval", ".jsonl.gz")?)
}

fn mbxp(dir: &Path) -> Result<Adapted> {
    const NAME: &str = "mxeval-mbxp";
    let mut out = Adapted::default();
    for path in files(NAME, dir, "mb", ".jsonl.gz")? {
        for (_, v) in read_json_lines(NAME, &path)? {
            out.read += 1;
            let task = str_field(NAME, &path, &v, "task_id")?;
            let n = id_number(task)
                .ok_or_else(|| source_err(NAME, &path, format!("unexpected task id {task}")))?;
            let prompt = str_field(NAME, &path, &v, "prompt")?;
            out.push(
                NAME,
                Label::CodeCompletion,
                task.to_string(),
                format!("mbpp/{n}"),
                prompt.to_string(),
            );
        }
    }
    Ok(out)
}

fn odex(dir: &Path) -> Result<Adapted> {
    const NAME: &str = "odex";
    let mut out = Adapted::default();
    for lang in ["en", "es", "ja", "ru"] {
        let path = dir.join(format!("{lang}_test.jsonl"));
        for (line, v) in read_json_lines(NAME, &path)? {
            out.read += 1;
            let intent = str_field(NAME, &path, &v, "intent")?;
            let stub = str_field(NAME, &path, &v, "prompt")?;
            let task = v.get("task_id").map(Value::to_string).unwrap_or_default();
            let id = format!("{lang}:{line}");
            // The same StackOverflow question may appear in several languages.
            let group = format!("{NAME}/{}", task.trim_matches('"'));
            out.push(
                NAME,
                Label::CodeCompletion,
                id,
                group,
                format!("{intent}\n\n{stub}"),
            );
        }
    }
    Ok(out)
}

fn classeval(dir: &Path) -> Result<Adapted> {
    const NAME: &str = "classeval";
    let path = dir.join("ClassEval_data.json.gz");
    let doc = read_json(NAME, &path)?;
    let classes = doc
        .as_array()
        .ok_or_else(|| source_err(NAME, &path, "expected a JSON list"))?;
    let mut out = Adapted::default();
    for class in classes {
        out.read += 1;
        let task = str_field(NAME, &path, class, "task_id")?;
        let group = format!("{NAME}/{task}");
        let skeleton = str_field(NAME, &path, class, "skeleton")?;
        out.push(
            NAME,
            Label::CodeCompletion,
            task.to_string(),
            group.clone(),
            skeleton.to_string(),
        );
        let header = class_header(class);
        for method in class
            .get("methods_info")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (Some(name), Some(desc)) = (
                method.get("method_name").and_then(Value::as_str),
                method.get("method_description").and_then(Value::as_str),
            ) else {
                out.drop("classeval method without name or description");
                continue;
            };
            let text = format!("{header}\n    {desc}");
            out.push(
                NAME,
                Label::CodeCompletion,
                format!("{task}:{name}"),
                group.clone(),
                text,
            );
        }
    }
    Ok(out)
}

/// Imports, `class Name:` and the class docstring: the context a method prompt needs.
fn class_header(class: &Value) -> String {
    let get = |f: &str| {
        class
            .get(f)
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim_end()
    };
    // upstream stores the imports as a list of lines
    let imports = match class.get("import_statement") {
        Some(Value::Array(lines)) => lines
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("\n"),
        _ => get("import_statement").to_string(),
    };
    let mut header = String::new();
    if !imports.is_empty() {
        header.push_str(&imports);
        header.push_str("\n\n");
    }
    header.push_str(&format!("class {}:\n", get("class_name")));
    let description = get("class_description");
    if !description.is_empty() {
        header.push_str(description);
        header.push('\n');
    }
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_humaneval_variant_maps_to_one_group() {
        for id in [
            "HumanEval/42",
            "HumanEval_go/42",
            "SingleLineInfilling/HumanEval/42/L3",
            "RandomSpanInfillingLight/HumanEval/42/1",
        ] {
            assert_eq!(humaneval_group(id).as_deref(), Some("humaneval/42"), "{id}");
        }
        assert_eq!(humaneval_group("MBPP/42"), None);
        assert_eq!(
            infilling_text("def f(x):\n    ", "\n    return y\n"),
            "def f(x):\n    <FILL_ME>\n    return y\n"
        );
    }

    #[test]
    fn classeval_method_prompt_has_class_context() {
        let class: Value = serde_json::json!({
            "import_statement": ["import math", "import os"],
            "class_name": "Circle",
            "class_description": "    \"\"\"A circle.\"\"\"",
        });
        assert_eq!(
            class_header(&class),
            "import math\nimport os\n\nclass Circle:\n    \"\"\"A circle.\"\"\"\n"
        );
    }
}
