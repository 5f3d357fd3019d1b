//! The `other` data written for this project (`data/other/`, see its README): hand-written
//! prompts and the rows `other/extract.py` cut from `../shared/data`, both already in the
//! record format (`id`, `text`, `label`, `source`, plus `lang`, `licence` ...).
//!
//! Only the training files are read here ([`TRAIN_FILES`]); the evaluation files
//! ([`DEV_FILES`]) are guard files of the build, so no prompt like them is trained on.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::read_json_lines;
use crate::data::RawPrompt;
use crate::{Error, Result};
use promptyard::label::Label;

/// Training files of `data/other/`, read in this order.
pub const TRAIN_FILES: [&str; 2] = ["handwritten_train.jsonl", "from_sources.jsonl"];

/// Evaluation files of `data/other/` (gateway dev prompts); never trained on.
pub const DEV_FILES: [&str; 2] = ["gateway_dev_other.jsonl", "gateway_dev_borderline.jsonl"];

/// Licence of rows without a `licence` field: written by the project's team.
pub const PROJECT_LICENCE: &str = "MIT OR Apache-2.0";

/// What the rows of one source in the `other` files declare.
#[derive(Debug, Default)]
pub struct OtherSource {
    /// The file the rows come from.
    pub file: String,
    /// Rows read.
    pub rows: usize,
    /// Distinct `licence` values (the project's licence where absent), in first-seen order.
    pub licences: Vec<String>,
    /// Distinct `upstream_licence` values: licences of the data sets under a router
    /// project's prompts.
    pub upstream_licences: Vec<String>,
}

/// Prompts read from the `other` training files, and what each source declared.
#[derive(Debug, Default)]
pub struct OtherData {
    /// One prompt per row, each its own problem group (`source/origin_id`).
    pub prompts: Vec<RawPrompt>,
    /// By source name.
    pub sources: BTreeMap<String, OtherSource>,
}

/// Training files of `data/confusions/` (hand-written prompts for the confusions seen on real
/// traffic and for request kinds the benchmarks barely hold, any label; see its README).
pub const CONFUSIONS_TRAIN_FILES: [&str; 2] = ["train.jsonl", "kinds_train.jsonl"];

/// Evaluation files of `data/confusions/`; guarded, never trained on.
pub const CONFUSIONS_DEV_FILES: [&str; 3] =
    ["dev.jsonl", "kinds_dev.jsonl", "multilingual_dev.jsonl"];

/// Reads [`TRAIN_FILES`] from `dir`. A missing `dir` yields nothing; a missing file or a bad
/// row is an error naming file, line and field.
pub fn read_other(dir: &Path) -> Result<OtherData> {
    read_labelled(dir, &TRAIN_FILES)
}

/// Reads hand-written labelled `files` (record format, any label) from `dir`, as
/// [`read_other`] does.
pub fn read_labelled(dir: &Path, files: &[&str]) -> Result<OtherData> {
    let mut data = OtherData::default();
    if !dir.is_dir() {
        return Ok(data);
    }
    for &file in files {
        let path = dir.join(file);
        for (line, v) in read_json_lines("other", &path)? {
            let bad = |field: &str, msg: String| Error::Record {
                path: path.clone(),
                line: line as u64,
                field: field.to_string(),
                msg,
            };
            let field = |f: &str| -> Result<String> {
                v.get(f)
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| bad(f, "missing or not a string".into()))
            };
            let label: Label = field("label")?
                .parse()
                .map_err(|e: promptyard::label::UnknownLabel| bad("label", e.to_string()))?;
            let source = field("source")?;
            let id = field("id")?;
            let origin_id = id
                .strip_prefix(&format!("{source}:"))
                .unwrap_or(&id)
                .to_string();
            let licence = field("licence").unwrap_or_else(|_| PROJECT_LICENCE.to_string());
            let s = data.sources.entry(source.clone()).or_default();
            s.file = file.to_string();
            s.rows += 1;
            if !s.licences.contains(&licence) {
                s.licences.push(licence);
            }
            if let Ok(up) = field("upstream_licence") {
                if !s.upstream_licences.contains(&up) {
                    s.upstream_licences.push(up);
                }
            }
            data.prompts.push(RawPrompt {
                text: field("text")?,
                label,
                group: format!("{source}/{origin_id}"),
                source,
                origin_id,
                canary: None,
            });
        }
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_files_with_licences_and_names_bad_rows() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_other(&dir.path().join("missing"))
            .unwrap()
            .prompts
            .is_empty());
        std::fs::write(
            dir.path().join(TRAIN_FILES[0]),
            r#"{"id":"other_handwritten:1","text":"hi","label":"other","source":"other_handwritten","lang":"en"}"#,
        )
        .unwrap();
        std::fs::write(
            dir.path().join(TRAIN_FILES[1]),
            r#"{"id":"outcomes-x:nq:7","text":"who wrote Dracula","label":"other","source":"outcomes-x","licence":"MIT","upstream_licence":"CC-BY-SA-3.0"}"#,
        )
        .unwrap();
        let data = read_other(dir.path()).unwrap();
        assert_eq!(data.prompts.len(), 2);
        assert_eq!(data.prompts[1].origin_id, "nq:7");
        assert_eq!(data.prompts[1].group, "outcomes-x/nq:7");
        assert_eq!(
            data.sources["other_handwritten"].licences,
            [PROJECT_LICENCE]
        );
        assert_eq!(
            data.sources["outcomes-x"].upstream_licences,
            ["CC-BY-SA-3.0"]
        );
        std::fs::write(
            dir.path().join(TRAIN_FILES[1]),
            "{\"id\":\"a\",\"text\":\"x\",\"label\":\"poetry\",\"source\":\"s\"}\n",
        )
        .unwrap();
        let err = read_other(dir.path()).unwrap_err().to_string();
        assert!(err.contains("from_sources.jsonl:1: label"), "{err}");
    }
}
