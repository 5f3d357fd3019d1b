//! One adapter per raw source in `../shared/data/raw/` (and, opt-in, `raw-nc/`).
//!
//! Each adapter reads its folder, cuts the real prompt out of every record (dropping few-shot
//! examples, tool lists, system prompts and answers) and returns [`RawPrompt`]s plus a count
//! of what it left out and why. The `group` of a prompt names the underlying problem, so that
//! every variant of it (HumanEval/42 in Go, as infilling, as the mxeval copy) lands in one
//! split. Shared group names: `humaneval/N`, `mbpp/N`, `planbench/DOMAIN/ID`.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::data::{open_maybe_gz, RawPrompt};
use crate::{Error, Result};
use promptyard::label::Label;

mod code;
mod curated;
mod nc;
pub mod other;
mod planning;
mod reasoning;

pub use curated::read_raw_extra;
pub use other::read_other;

/// What one adapter produced.
#[derive(Debug, Default)]
pub struct Adapted {
    /// The prompts cut out, in upstream order.
    pub prompts: Vec<RawPrompt>,
    /// Upstream records read.
    pub read: usize,
    /// Upstream records left out, by reason.
    pub dropped: BTreeMap<String, usize>,
}

impl Adapted {
    fn drop(&mut self, reason: &str) {
        *self.dropped.entry(reason.to_string()).or_default() += 1;
    }

    fn push(&mut self, source: &str, label: Label, origin_id: String, group: String, text: String) {
        self.prompts.push(RawPrompt {
            text,
            label,
            source: source.to_string(),
            origin_id,
            group,
            canary: None,
        });
    }

    /// Pushes a prompt that is its own problem group (`source/origin_id`): the common case
    /// for sources without cross-file variants of one problem.
    fn push_single(&mut self, source: &str, label: Label, origin_id: String, text: String) {
        let group = format!("{source}/{origin_id}");
        self.push(source, label, origin_id, group, text);
    }
}

/// A raw source: its folder under the raw directory, licence and adapter.
pub struct Source {
    /// Source name written to every record: the folder name, plus `-nc` for sources under
    /// `raw-nc/`.
    pub name: &'static str,
    /// SPDX-style licence of the data.
    pub licence: &'static str,
    /// Upstream repository and commit (from the raw folder's README).
    pub origin: &'static str,
    /// How the prompt text is cut out of a record.
    pub cut: &'static str,
    /// Reads `dir` (the source's folder).
    pub adapter: fn(&Path) -> Result<Adapted>,
    /// Whether the source is under a non-commercial or missing licence (`raw-nc/`).
    pub non_commercial: bool,
}

/// Every source the default build reads from `raw/`, in a fixed order.
pub fn permissive() -> Vec<Source> {
    let mut all = reasoning::sources();
    all.extend(code::sources());
    all.extend(planning::sources());
    all.extend(curated::sources());
    all
}

/// The sources under `raw-nc/` that `--include-nc` adds.
pub fn non_commercial() -> Vec<Source> {
    nc::sources()
}

fn source_err(source: &str, path: &Path, msg: impl Into<String>) -> Error {
    Error::Source {
        source_name: source.to_string(),
        path: PathBuf::from(path),
        msg: msg.into(),
    }
}

/// Reads a whole JSON document (gzipped or not).
fn read_json(source: &str, path: &Path) -> Result<Value> {
    let reader = open_maybe_gz(path)?;
    serde_json::from_reader(reader)
        .map_err(|e| source_err(source, path, format!("invalid JSON: {e}")))
}

/// Reads JSON Lines (gzipped or not) as `(1-based line, value)`, skipping blank lines.
fn read_json_lines(source: &str, path: &Path) -> Result<Vec<(usize, Value)>> {
    let reader = open_maybe_gz(path)?;
    let mut out = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| Error::io(path, e))?;
        if line.trim().is_empty() {
            continue;
        }
        let value = serde_json::from_str(&line)
            .map_err(|e| source_err(source, path, format!("line {}: invalid JSON: {e}", i + 1)))?;
        out.push((i + 1, value));
    }
    Ok(out)
}

/// Reads a CSV file with a header row into maps from column name to cell.
fn read_csv(source: &str, path: &Path) -> Result<Vec<BTreeMap<String, String>>> {
    let reader = open_maybe_gz(path)?;
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| source_err(source, path, format!("CSV header: {e}")))?
        .clone();
    let mut rows = Vec::new();
    for row in csv.records() {
        let row = row.map_err(|e| source_err(source, path, format!("CSV: {e}")))?;
        rows.push(
            headers
                .iter()
                .zip(row.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect(),
        );
    }
    Ok(rows)
}

/// The files in `dir` whose names start with `prefix` and end with `suffix`, sorted by name.
fn files(source: &str, dir: &Path, prefix: &str, suffix: &str) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(prefix) && name.ends_with(suffix) {
            out.push(entry.path());
        }
    }
    out.sort();
    if out.is_empty() {
        return Err(source_err(
            source,
            dir,
            format!("no {prefix}*{suffix} files"),
        ));
    }
    Ok(out)
}

/// A string field of a JSON object, or an error naming the field.
fn str_field<'a>(source: &str, path: &Path, value: &'a Value, field: &str) -> Result<&'a str> {
    value.get(field).and_then(Value::as_str).ok_or_else(|| {
        source_err(
            source,
            path,
            format!("record without string field `{field}`"),
        )
    })
}

/// The file name without directories, for origin ids.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The number after the last `/` in ids such as `HumanEval_go/12` or `MBJP/7`.
fn id_number(id: &str) -> Option<u64> {
    id.rsplit('/').next()?.parse().ok()
}

/// The text between `start` (exclusive; the whole text when absent) and the earliest of
/// `ends` (exclusive; the end of the text when none occurs), trimmed.
fn between<'a>(text: &'a str, start: Option<&str>, ends: &[&str]) -> Option<&'a str> {
    let from = match start {
        Some(marker) => text.find(marker)? + marker.len(),
        None => 0,
    };
    let rest = &text[from..];
    let to = ends
        .iter()
        .filter_map(|e| rest.find(e))
        .min()
        .unwrap_or(rest.len());
    let cut = rest[..to].trim();
    (!cut.is_empty()).then_some(cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn between_cuts_at_the_earliest_end_marker() {
        let t = "Task: book a room.\nThe api list you can use: [..]\napi_list: x";
        assert_eq!(
            between(t, Some("Task:"), &["\napi_list:", "The api list"]),
            Some("book a room.")
        );
        assert_eq!(between(t, Some("Nope:"), &[]), None);
        assert_eq!(id_number("HumanEval_go/12"), Some(12));
    }
}
