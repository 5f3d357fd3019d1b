//! Validating user-supplied labelled files (`promptyard train --extra my.jsonl`).
//!
//! A malformed line (bad JSON, missing or non-string field, empty text) is an error naming
//! file, line and field: the user must fix it. A well-formed line whose label is not one of
//! the three is reported in the [`Summary`] (file, line, label) and left out, never dropped
//! silently. Texts are normalised like the bundled data; exact repeats are dropped and counted.
//!
//! [`check_files`] (`promptyard data check`) goes further and fails on nothing: it lists every
//! problem of every line (malformed, unknown label, repeated id, repeated text) so a file can
//! be fixed in one pass.

use std::collections::{BTreeMap, HashMap, HashSet};
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

/// What is wrong with a line found by [`check_files`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProblemKind {
    /// Not JSON, not an object, a missing or non-string field, or an empty text: the line
    /// cannot be used at all (training stops on it).
    Malformed,
    /// A well-formed line whose label is not a known one: training leaves it out.
    UnknownLabel,
    /// The id of an earlier line (in any of the files) again.
    DuplicateId,
    /// The text of an earlier line again, after normalisation: training keeps the first.
    DuplicateText,
}

impl ProblemKind {
    /// Every kind, in the order summaries list them.
    pub const ALL: [ProblemKind; 4] = [
        ProblemKind::Malformed,
        ProblemKind::UnknownLabel,
        ProblemKind::DuplicateId,
        ProblemKind::DuplicateText,
    ];

    /// A short name for counts: `malformed`, `unknown label`, `duplicate id`, `duplicate text`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::Malformed => "malformed",
            ProblemKind::UnknownLabel => UNKNOWN_LABEL,
            ProblemKind::DuplicateId => "duplicate id",
            ProblemKind::DuplicateText => DUPLICATE,
        }
    }
}

/// One problem on one line of a labelled file.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// The file.
    pub path: PathBuf,
    /// 1-based line number.
    pub line: u64,
    /// The JSON field at fault, or `-` for the whole line.
    pub field: String,
    /// What kind of problem it is.
    pub kind: ProblemKind,
    /// Human-readable reason.
    pub msg: String,
    /// For a duplicate: the file and line of the first occurrence.
    pub first: Option<(PathBuf, u64)>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.path.display(),
            self.line,
            self.field,
            self.msg
        )?;
        if let Some((path, line)) = &self.first {
            write!(f, " (first at {}:{line})", path.display())?;
        }
        Ok(())
    }
}

/// Everything [`check_files`] found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Check {
    /// Files read.
    pub files: usize,
    /// Non-empty lines read.
    pub read: usize,
    /// Lines that training would use as they are (well-formed, known label, first of their
    /// id and text).
    pub usable: usize,
    /// Every problem, file by file in line order.
    pub problems: Vec<Problem>,
}

impl Check {
    /// True when no line has a problem: nothing would be dropped and no id repeats.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }

    /// Problems of `kind`.
    pub fn count(&self, kind: ProblemKind) -> usize {
        self.problems.iter().filter(|p| p.kind == kind).count()
    }
}

/// One line: `read 5 lines in 2 files: 3 usable, 2 problems (1 malformed, 1 duplicate id)`.
impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        write!(
            f,
            "read {} in {}: {} usable, ",
            plural(self.read, "line"),
            plural(self.files, "file"),
            self.usable
        )?;
        if self.is_clean() {
            return write!(f, "no problems");
        }
        let counts: Vec<String> = ProblemKind::ALL
            .iter()
            .map(|&k| (k, self.count(k)))
            .filter(|&(_, n)| n > 0)
            .map(|(k, n)| format!("{n} {}", k.as_str()))
            .collect();
        write!(
            f,
            "{} ({})",
            plural(self.problems.len(), "problem"),
            counts.join(", ")
        )
    }
}

/// Checks labelled JSONL files (plain or `.gz`) without stopping at the first problem:
/// every malformed line, unknown label, repeated id (across all files) and repeated text
/// (after the same normalisation as [`load_labelled_files`]) is listed. Fails only when a
/// file cannot be read.
pub fn check_files<P: AsRef<Path>>(paths: &[P]) -> Result<Check> {
    let mut check = Check {
        files: paths.len(),
        ..Check::default()
    };
    let mut ids: HashMap<String, (PathBuf, u64)> = HashMap::new();
    let mut texts: HashMap<String, (PathBuf, u64)> = HashMap::new();
    for path in paths {
        let path = path.as_ref();
        let loaded = read_jsonl(path)?;
        check.read += loaded.lines_read as usize;
        let mut problems: Vec<Problem> = loaded
            .rejected
            .iter()
            .map(|rej| {
                let kind = if rej.field == "label" && rej.reason.starts_with(UNKNOWN_LABEL) {
                    ProblemKind::UnknownLabel
                } else {
                    ProblemKind::Malformed
                };
                Problem {
                    path: path.to_path_buf(),
                    line: rej.line,
                    field: rej.field.clone(),
                    kind,
                    msg: rej.reason.clone(),
                    first: None,
                }
            })
            .collect();
        for (record, &line) in loaded.records.iter().zip(&loaded.record_lines) {
            let here = (path.to_path_buf(), line);
            let mut usable = true;
            if let Some(first) = ids.get(&record.id) {
                usable = false;
                problems.push(Problem {
                    path: path.to_path_buf(),
                    line,
                    field: "id".into(),
                    kind: ProblemKind::DuplicateId,
                    msg: format!("duplicate id {:?}", record.id),
                    first: Some(first.clone()),
                });
            } else {
                ids.insert(record.id.clone(), here.clone());
            }
            let key = dedupe_key(&normalise(&record.text));
            if let Some(first) = texts.get(&key) {
                usable = false;
                problems.push(Problem {
                    path: path.to_path_buf(),
                    line,
                    field: "text".into(),
                    kind: ProblemKind::DuplicateText,
                    msg: "duplicate text (after normalisation)".into(),
                    first: Some(first.clone()),
                });
            } else {
                texts.insert(key, here);
            }
            check.usable += usize::from(usable);
        }
        problems.sort_by_key(|p| p.line);
        check.problems.extend(problems);
    }
    Ok(check)
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

    #[test]
    fn check_lists_every_problem_and_names_both_copies_of_a_duplicate() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.jsonl");
        let b = dir.path().join("b.jsonl");
        std::fs::write(
            &a,
            concat!(
                r#"{"id":"1","text":"Plan my week","label":"planning","source":"me"}"#,
                "\n",
                r#"{"id":"2","text":"write a poem","label":"poetry","source":"me"}"#,
                "\n",
                "not json\n",
                "\n",
                r#"{"id":"1","text":"Why is the sky blue?","label":"reasoning","source":"me"}"#,
                "\n",
            ),
        )
        .unwrap();
        std::fs::write(
            &b,
            concat!(
                r#"{"id":"3","text":"plan my  week","label":"planning","source":"me"}"#,
                "\n",
                r#"{"id":"4","label":"planning","source":"me"}"#,
                "\n",
            ),
        )
        .unwrap();
        let check = check_files(&[&a, &b]).unwrap();
        assert!(!check.is_clean());
        assert_eq!((check.files, check.read, check.usable), (2, 6, 1));
        let mut lines: Vec<String> = check.problems.iter().map(|p| p.to_string()).collect();
        let a_ = a.display();
        let b_ = b.display();
        // The label's complaint lists the known labels; only its start is pinned here.
        let unknown = lines.remove(0);
        assert!(
            unknown.starts_with(&format!("{a_}:2: label: unknown label \"poetry\"")),
            "{unknown}"
        );
        assert_eq!(
            lines,
            [
                format!("{a_}:3: -: invalid JSON: expected ident at line 1 column 2"),
                format!("{a_}:5: id: duplicate id \"1\" (first at {a_}:1)"),
                format!("{b_}:1: text: duplicate text (after normalisation) (first at {a_}:1)"),
                format!("{b_}:2: text: missing"),
            ]
        );
        assert_eq!(
            check.to_string(),
            "read 6 lines in 2 files: 1 usable, 5 problems (2 malformed, 1 unknown label, \
             1 duplicate id, 1 duplicate text)"
        );
        let c = dir.path().join("c.jsonl");
        std::fs::write(
            &c,
            concat!(
                r#"{"id":"5","text":"Plan a trip","label":"planning","source":"me"}"#,
                "\n"
            ),
        )
        .unwrap();
        let clean = check_files(&[&c]).unwrap();
        assert!(clean.is_clean());
        assert_eq!(
            clean.to_string(),
            "read 1 line in 1 file: 1 usable, no problems"
        );
    }
}
