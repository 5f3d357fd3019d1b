//! Validating user-supplied labelled files (`promptyard train --extra my.jsonl`).
//!
//! A malformed line (bad JSON, missing or non-string field, empty text) is an error naming
//! file, line and field: the user must fix it. A well-formed line whose label is not one of
//! the three is reported in the [`Summary`] (file, line, label) and left out, never dropped
//! silently. Texts are normalised like the bundled data; exact repeats are dropped and counted.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::data::normalise::{dedupe_key, normalise};
use crate::data::{read_jsonl, Record};
use crate::{Error, Result};

/// Reason recorded for lines with an unknown label.
pub const UNKNOWN_LABEL: &str = "unknown label";
/// Reason recorded for exact repeats (after normalisation) of an earlier text.
pub const DUPLICATE: &str = "duplicate text";

/// What loading user files read, kept and dropped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// Non-empty lines read.
    pub read: usize,
    /// Records returned.
    pub kept: usize,
    /// Lines left out, by reason.
    pub dropped: BTreeMap<String, usize>,
    /// Every line with an unknown label: file, 1-based line, the label's complaint.
    pub unknown_labels: Vec<(PathBuf, u64, String)>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "read {}, kept {}", self.read, self.kept)?;
        for (reason, n) in &self.dropped {
            write!(f, ", dropped {n} ({reason})")?;
        }
        for (path, line, msg) in &self.unknown_labels {
            write!(f, "\n  {}:{line}: label: {msg}", path.display())?;
        }
        Ok(())
    }
}

/// Loads labelled JSONL files (plain or `.gz`), failing on the first malformed line.
pub fn load_labelled_files<P: AsRef<Path>>(paths: &[P]) -> Result<(Vec<Record>, Summary)> {
    let mut summary = Summary::default();
    let mut records = Vec::new();
    let mut seen = HashSet::new();
    for path in paths {
        let path = path.as_ref();
        let loaded = read_jsonl(path)?;
        summary.read += loaded.lines_read as usize;
        for rej in &loaded.rejected {
            if rej.field == "label" && rej.reason.starts_with("unknown label") {
                *summary.dropped.entry(UNKNOWN_LABEL.into()).or_default() += 1;
                summary
                    .unknown_labels
                    .push((path.to_path_buf(), rej.line, rej.reason.clone()));
            } else {
                return Err(Error::Record {
                    path: path.to_path_buf(),
                    line: rej.line,
                    field: rej.field.clone(),
                    msg: rej.reason.clone(),
                });
            }
        }
        for mut record in loaded.records {
            record.text = normalise(&record.text);
            if !seen.insert(dedupe_key(&record.text)) {
                *summary.dropped.entry(DUPLICATE.into()).or_default() += 1;
                continue;
            }
            records.push(record);
        }
    }
    summary.kept = records.len();
    Ok((records, summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_labels_are_reported_and_malformed_lines_fail() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.jsonl");
        std::fs::write(
            &good,
            concat!(
                r#"{"id":"a","text":"Plan my  week","label":"planning","source":"me"}"#,
                "\n",
                r#"{"id":"b","text":"plan my week","label":"planning","source":"me"}"#,
                "\n",
                r#"{"id":"c","text":"write a poem","label":"poetry","source":"me"}"#,
                "\n",
            ),
        )
        .unwrap();
        let (records, summary) = load_labelled_files(&[&good]).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].text, "Plan my week");
        assert_eq!((summary.read, summary.kept), (3, 1));
        assert_eq!(summary.dropped[UNKNOWN_LABEL], 1);
        assert_eq!(summary.dropped[DUPLICATE], 1);
        assert_eq!(summary.unknown_labels[0].1, 3);
        assert!(summary.to_string().contains("good.jsonl:3: label"));

        let bad = dir.path().join("bad.jsonl");
        std::fs::write(
            &bad,
            "{\"id\":\"x\",\"label\":\"planning\",\"source\":\"me\"}\n",
        )
        .unwrap();
        let err = load_labelled_files(&[&good, &bad]).unwrap_err().to_string();
        assert!(err.contains("bad.jsonl:1: text: missing"), "{err}");
    }
}
