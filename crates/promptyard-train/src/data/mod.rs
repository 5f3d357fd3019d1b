//! Labelled prompt data: the record format, reading it with precise errors,
//! and (in submodules) the pipeline that builds `data/` from public raw sources.
//!
//! A data file is JSON Lines (optionally gzipped, `.jsonl.gz`), one object per line:
//! `{"id": "...", "text": "...", "label": "planning|reasoning|code_completion|other", "source": "..."}`.
//! Extra fields are kept but ignored by training.
//!
//! The build, one module per stage ([`pipeline`] runs them): [`sources`] (one adapter per raw
//! source, plus [`stubs`]-mined and [`synth`]-generated prompts) → [`normalise`] → [`dedupe`]
//! → [`split`] (by problem group) → [`balance`] → [`write`](mod@write). [`user`] validates your
//! own files.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use split::Split;

use crate::{Error, Result};
use promptyard::label::Label;

pub mod balance;
pub mod dedupe;
pub mod normalise;
pub mod pipeline;
pub mod sources;
pub mod split;
pub mod stubs;
pub mod synth;
pub mod user;
pub mod write;

pub use pipeline::{build, default_guard_files, write_dataset, BuildOptions, BuildStats, Dataset};
pub use user::{check_files, load_labelled_files, Check, Problem, ProblemKind, Summary};

/// One labelled prompt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Stable identifier, unique within a dataset (`source:origin-id`).
    pub id: String,
    /// The prompt text as a user would send it.
    pub text: String,
    /// What the user mostly wants.
    pub label: Label,
    /// Where the record came from; leave-one-source-out evaluation groups by it.
    pub source: String,
    /// Benchmark canary string carried by records cut from benchmarks that ask for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canary: Option<String>,
}

/// A prompt cut out of a raw source (benchmark adapter, mined stub or generator),
/// before normalisation, de-duplication and splitting.
#[derive(Clone, Debug, PartialEq)]
pub struct RawPrompt {
    /// The prompt text as cut out (normalised later by the pipeline).
    pub text: String,
    /// What the user mostly wants.
    pub label: Label,
    /// Source name, e.g. `gsm8k`, `synth_planning`; becomes [`Record::source`].
    pub source: String,
    /// Identifier inside the source (file:line, task id ...); becomes part of [`Record::id`].
    pub origin_id: String,
    /// Split key: every variant of one underlying problem (e.g. HumanEval/42 in any language
    /// or infilling form) shares a group and so lands in one split.
    pub group: String,
    /// Benchmark canary string, carried into [`Record::canary`].
    pub canary: Option<String>,
}

/// Why a line of a data file was not turned into a [`Record`].
#[derive(Clone, Debug, PartialEq)]
pub struct Rejected {
    /// 1-based line number.
    pub line: u64,
    /// The field at fault (`-` for the whole line).
    pub field: String,
    /// Human-readable reason.
    pub reason: String,
}

/// The records of one file plus every line that was rejected, so nothing is lost silently.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// The lines that parsed, in file order.
    pub records: Vec<Record>,
    /// The 1-based line number of each of `records`.
    pub record_lines: Vec<u64>,
    /// The lines that did not, with line, field and reason.
    pub rejected: Vec<Rejected>,
    /// Non-empty lines read.
    pub lines_read: u64,
}

/// Opens a file for reading, transparently gunzipping names ending in `.gz`.
pub fn open_maybe_gz(path: &Path) -> Result<Box<dyn BufRead>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    Ok(Box::new(BufReader::with_capacity(1 << 16, reader)))
}

/// Parses one JSONL line into a [`Record`], naming the field at fault on error.
pub fn parse_record(line: &str) -> std::result::Result<Record, (String, String)> {
    let value: serde_json::Value =
        serde_json::from_str(line).map_err(|e| ("-".to_string(), format!("invalid JSON: {e}")))?;
    let obj = value
        .as_object()
        .ok_or_else(|| ("-".to_string(), "expected a JSON object".to_string()))?;
    let get_str = |field: &str| -> std::result::Result<String, (String, String)> {
        match obj.get(field) {
            None => Err((field.to_string(), "missing".to_string())),
            Some(serde_json::Value::String(s)) => Ok(s.clone()),
            Some(other) => Err((field.to_string(), format!("expected a string, got {other}"))),
        }
    };
    let text = get_str("text")?;
    if text.trim().is_empty() {
        return Err(("text".to_string(), "empty".to_string()));
    }
    let label_name = get_str("label")?;
    let label = label_name
        .parse::<Label>()
        .map_err(|e| ("label".to_string(), e.to_string()))?;
    let id = get_str("id")?;
    let source = get_str("source")?;
    let canary = match obj.get("canary") {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    Ok(Record {
        id,
        text,
        label,
        source,
        canary,
    })
}

/// Reads a JSONL (or `.jsonl.gz`) data file, collecting bad lines instead of stopping,
/// so callers can report every problem with its line number.
pub fn read_jsonl(path: &Path) -> Result<Loaded> {
    let reader = open_maybe_gz(path)?;
    let mut out = Loaded::default();
    for (i, line) in reader.split(b'\n').enumerate() {
        let line_no = i as u64 + 1;
        let bytes = line.map_err(|e| Error::io(path, e))?;
        let Ok(text) = std::str::from_utf8(&bytes) else {
            out.lines_read += 1;
            out.rejected.push(Rejected {
                line: line_no,
                field: "-".into(),
                reason: "invalid UTF-8".into(),
            });
            continue;
        };
        let text = text.trim_end_matches('\r');
        // A byte-order mark before the first line (editors on Windows write one), accepted
        // as `label` accepts it.
        let text = if i == 0 {
            text.strip_prefix('\u{feff}').unwrap_or(text)
        } else {
            text
        };
        if text.trim().is_empty() {
            continue;
        }
        out.lines_read += 1;
        match parse_record(text) {
            Ok(r) => {
                out.records.push(r);
                out.record_lines.push(line_no);
            }
            Err((field, reason)) => out.rejected.push(Rejected {
                line: line_no,
                field,
                reason,
            }),
        }
    }
    Ok(out)
}

/// Reads a data file and fails on the first bad line with file, line and field.
pub fn read_jsonl_strict(path: &Path) -> Result<Vec<Record>> {
    let loaded = read_jsonl(path)?;
    if let Some(r) = loaded.rejected.first() {
        return Err(Error::Record {
            path: PathBuf::from(path),
            line: r.line,
            field: r.field.clone(),
            msg: r.reason.clone(),
        });
    }
    Ok(loaded.records)
}

/// The file of `split` in the data directory `dir`: `NAME.jsonl`, else `NAME.jsonl.gz`,
/// `None` when neither exists.
pub fn split_path(dir: impl AsRef<Path>, split: Split) -> Option<PathBuf> {
    let dir = dir.as_ref();
    [".jsonl", ".jsonl.gz"]
        .into_iter()
        .map(|ext| dir.join(format!("{split}{ext}")))
        .find(|p| p.is_file())
}

/// One split of a data directory, read strictly.
#[derive(Clone, Debug)]
pub struct SplitFile {
    /// Which split this is.
    pub split: Split,
    /// The file it was read from (`.jsonl` or `.jsonl.gz`).
    pub path: PathBuf,
    /// Its records, in file order.
    pub records: Vec<Record>,
}

/// Reads `split` of the data directory `dir` (`NAME.jsonl` or `NAME.jsonl.gz`), failing on
/// the first malformed line with file, line and field; `Ok(None)` when the split is absent.
///
/// Every reader of `data/{train,valid,test}` (training, leave-one-source-out, tests) goes
/// through here, so plain and gzipped splits are found and checked the same way.
pub fn try_read_split(dir: impl AsRef<Path>, split: Split) -> Result<Option<SplitFile>> {
    let Some(path) = split_path(&dir, split) else {
        return Ok(None);
    };
    let records = read_jsonl_strict(&path)?;
    Ok(Some(SplitFile {
        split,
        path,
        records,
    }))
}

/// Like [`try_read_split`] for a split that must exist: an absent one is
/// [`Error::MissingSplit`].
pub fn read_split(dir: impl AsRef<Path>, split: Split) -> Result<SplitFile> {
    let dir = dir.as_ref();
    try_read_split(dir, split)?.ok_or_else(|| Error::MissingSplit {
        dir: dir.to_path_buf(),
        split,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn bad_lines_are_reported_with_line_and_field() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.jsonl");
        let mut f = File::create(&path).unwrap();
        writeln!(
            f,
            r#"{{"id":"a","text":"plan my week","label":"planning","source":"s"}}"#
        )
        .unwrap();
        writeln!(
            f,
            r#"{{"id":"b","text":"x","label":"poetry","source":"s"}}"#
        )
        .unwrap();
        writeln!(f, "not json").unwrap();
        writeln!(
            f,
            r#"{{"id":"c","text":5,"label":"reasoning","source":"s"}}"#
        )
        .unwrap();
        write!(
            f,
            "{{\"id\":\"d\",\"text\":\"why?\",\"label\":\"reasoning\",\"source\":\"s\"}}\r\n"
        )
        .unwrap();
        drop(f);
        let loaded = read_jsonl(&path).unwrap();
        assert_eq!(loaded.lines_read, 5);
        assert_eq!(loaded.records.len(), 2);
        let fields: Vec<(u64, &str)> = loaded
            .rejected
            .iter()
            .map(|r| (r.line, r.field.as_str()))
            .collect();
        assert_eq!(fields, vec![(2, "label"), (3, "-"), (4, "text")]);
        let err = read_jsonl_strict(&path).unwrap_err().to_string();
        assert!(err.contains("x.jsonl:2: label"), "{err}");
    }

    #[test]
    fn splits_are_found_plain_or_gzipped_and_a_missing_one_is_typed() {
        let dir = tempfile::tempdir().unwrap();
        let line = r#"{"id":"a","text":"plan my week","label":"planning","source":"s"}"#;
        std::fs::write(dir.path().join("train.jsonl"), format!("{line}\n")).unwrap();
        let mut gz = flate2::write::GzEncoder::new(
            File::create(dir.path().join("test.jsonl.gz")).unwrap(),
            flate2::Compression::default(),
        );
        writeln!(gz, "{line}").unwrap();
        gz.finish().unwrap();
        assert_eq!(
            read_split(dir.path(), Split::Train).unwrap().records.len(),
            1
        );
        let test = read_split(dir.path(), Split::Test).unwrap();
        assert!(test.path.ends_with("test.jsonl.gz"));
        assert_eq!(test.records.len(), 1);
        assert!(try_read_split(dir.path(), Split::Valid).unwrap().is_none());
        match read_split(dir.path(), Split::Valid) {
            Err(Error::MissingSplit { split, .. }) => assert_eq!(split, Split::Valid),
            other => panic!("{other:?}"),
        }
    }
}
