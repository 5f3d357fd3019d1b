//! Hand-tagged subsets (self-instruct, awesome-chatgpt-prompts) and mined extras
//! (`data/raw-extra/*.jsonl`): files that already hold one prompt and a label per line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{read_json_lines, source_err, Adapted, Source};
use crate::data::RawPrompt;
use crate::{Error, Result};
use promptyard::label::Label;

pub(super) fn sources() -> Vec<Source> {
    vec![
        Source {
            name: "self-instruct-human",
            licence: "Apache-2.0",
            origin: "yizhongw/self-instruct @ 0b26ccaa415992100fa32df62d41b994cf928e23",
            cut: "`self_instruct_tagged.jsonl`: human-written instruction + first input, hand-tagged \
                  by the collectors; untagged rows are not used.",
            adapter: self_instruct,
            non_commercial: false,
        },
        Source {
            name: "awesome-chatgpt-prompts",
            licence: "CC0-1.0",
            origin: "f/awesome-chatgpt-prompts (prompts.csv) @ 50a97c072933c93c76cc0714e9dd4c4cf1d80ae7",
            cut: "`planning_subset.jsonl`: 38 rows hand-picked by the collectors that ask for a \
                  plan, itinerary, roadmap or schedule; the rest of prompts.csv is not used.",
            adapter: awesome_prompts,
            non_commercial: false,
        },
    ]
}

/// Reads a `{text, label_hint, origin_id}` file tagged by the raw data's collectors.
fn tagged(name: &str, path: &Path) -> Result<Adapted> {
    let mut out = Adapted::default();
    for (line, v) in read_json_lines(name, path)? {
        out.read += 1;
        let field = |f: &str| {
            v.get(f)
                .and_then(Value::as_str)
                .ok_or_else(|| source_err(name, path, format!("line {line}: no string `{f}`")))
        };
        let label: Label = field("label_hint")?
            .parse()
            .map_err(|e| source_err(name, path, format!("line {line}: {e}")))?;
        let origin = field("origin_id")?.to_string();
        let text = field("text")?.to_string();
        out.push(
            name,
            label,
            origin.clone(),
            format!("{name}/{origin}"),
            text,
        );
    }
    Ok(out)
}

fn self_instruct(dir: &Path) -> Result<Adapted> {
    tagged(
        "self-instruct-human",
        &dir.join("self_instruct_tagged.jsonl"),
    )
}

fn awesome_prompts(dir: &Path) -> Result<Adapted> {
    tagged(
        "awesome-chatgpt-prompts",
        &dir.join("planning_subset.jsonl"),
    )
}

/// Prompts read from `raw-extra` files, with the licence each source declared.
#[derive(Debug, Default)]
pub struct Extra {
    pub prompts: Vec<RawPrompt>,
    /// Lines read per file.
    pub read: BTreeMap<PathBuf, usize>,
    /// Licences declared per source.
    pub licences: BTreeMap<String, Vec<String>>,
}

/// Reads every `*.jsonl` in `dir` (mined prompts written by other tools): one object per
/// line with `text`, `label`, `source`, `origin_id`, `license` and optional `group`
/// (defaults to `origin_id`). A missing `dir` yields nothing; a bad line is an error naming
/// file, line and field.
pub fn read_raw_extra(dir: &Path) -> Result<Extra> {
    let mut extra = Extra::default();
    if !dir.is_dir() {
        return Ok(extra);
    }
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    paths.sort();
    for path in paths {
        let lines = read_json_lines("raw-extra", &path)?;
        extra.read.insert(path.clone(), lines.len());
        for (line, v) in lines {
            let field = |f: &str| -> Result<String> {
                v.get(f)
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| Error::Record {
                        path: path.clone(),
                        line: line as u64,
                        field: f.to_string(),
                        msg: "missing or not a string".into(),
                    })
            };
            let label: Label =
                field("label")?
                    .parse()
                    .map_err(|e: promptyard::label::UnknownLabel| Error::Record {
                        path: path.clone(),
                        line: line as u64,
                        field: "label".into(),
                        msg: e.to_string(),
                    })?;
            let source = field("source")?;
            let origin_id = field("origin_id")?;
            let licence = field("license")?;
            let group = field("group").unwrap_or_else(|_| origin_id.clone());
            let known = extra.licences.entry(source.clone()).or_default();
            if !known.contains(&licence) {
                known.push(licence);
            }
            extra.prompts.push(RawPrompt {
                text: field("text")?,
                label,
                group: format!("{source}/{group}"),
                source,
                origin_id,
                canary: None,
            });
        }
    }
    Ok(extra)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_extra_reads_lines_and_names_bad_fields() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_raw_extra(&dir.path().join("missing"))
            .unwrap()
            .prompts
            .is_empty());
        let good = r#"{"text":"fn add(a: i32, b: i32) -> i32 {","label":"code_completion","source":"stubs_rust","origin_id":"core:1","license":"MIT"}"#;
        std::fs::write(dir.path().join("a.jsonl"), format!("{good}\n")).unwrap();
        let extra = read_raw_extra(dir.path()).unwrap();
        assert_eq!(extra.prompts.len(), 1);
        assert_eq!(extra.prompts[0].group, "stubs_rust/core:1");
        assert_eq!(extra.licences["stubs_rust"], vec!["MIT".to_string()]);
        std::fs::write(
            dir.path().join("b.jsonl"),
            "\n{\"text\":\"x\",\"label\":\"poetry\"}\n",
        )
        .unwrap();
        let err = read_raw_extra(dir.path()).unwrap_err().to_string();
        assert!(err.contains("b.jsonl:2: label"), "{err}");
    }
}
