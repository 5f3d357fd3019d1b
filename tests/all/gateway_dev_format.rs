//! Shape of the hand-written real-traffic development set `data/gateway_dev.jsonl`
//! (see `data/GATEWAY_DEV.md`): it must stay a valid, balanced, multilingual data file,
//! because every real-traffic accuracy figure the project reports is measured on it.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use promptyard::Label;
use promptyard_train::data::read_jsonl_strict;

fn dev_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/gateway_dev.jsonl")
}

/// Lower-cased with whitespace collapsed, so near-identical pastes count as duplicates.
fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[test]
fn records_parse_strictly_and_are_balanced_and_unique() {
    let records = read_jsonl_strict(&dev_path()).expect("gateway_dev.jsonl parses strictly");
    assert!(records.len() >= 300, "only {} records", records.len());

    let mut per_label: BTreeMap<Label, usize> = BTreeMap::new();
    for r in &records {
        *per_label.entry(r.label).or_default() += 1;
        assert_eq!(r.source, "gateway_dev", "{}: wrong source", r.id);
    }
    // The three task labels; `other` prompts are in data/other/gateway_dev_*.jsonl (checked
    // by data/other/check.py) and this file has none.
    assert_eq!(per_label.get(&Label::Other), None);
    for label in Label::LEGACY {
        let n = per_label.get(&label).copied().unwrap_or(0);
        let share = n as f64 / records.len() as f64;
        assert!(share >= 0.28, "{label:?} is {share:.3} of records ({n})");
    }

    let mut ids = HashSet::new();
    let mut texts = HashSet::new();
    for r in &records {
        assert!(ids.insert(r.id.as_str()), "duplicate id {}", r.id);
        assert!(
            texts.insert(normalise(&r.text)),
            "duplicate text at {}",
            r.id
        );
    }
}

/// `lang`, `borderline` and `dept` are extra fields the record reader ignores, so they are
/// checked on the raw JSON: the per-language and borderline reports depend on them.
#[test]
fn metadata_fields_are_present_and_non_english_share_is_kept() {
    let raw = std::fs::read_to_string(dev_path()).expect("read gateway_dev.jsonl");
    let (mut total, mut non_english, mut borderline) = (0usize, 0usize, 0usize);
    for (i, line) in raw
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: serde_json::Value = serde_json::from_str(line).expect("valid JSON");
        let at = format!("line {}", i + 1);
        let lang = v["lang"]
            .as_str()
            .unwrap_or_else(|| panic!("{at}: lang missing"));
        assert!(
            (2..=3).contains(&lang.len()) && lang.chars().all(|c| c.is_ascii_lowercase()),
            "{at}: lang {lang:?} is not an ISO 639-1 style code"
        );
        let is_borderline = v["borderline"]
            .as_bool()
            .unwrap_or_else(|| panic!("{at}: borderline must be a bool"));
        let dept = v["dept"]
            .as_str()
            .unwrap_or_else(|| panic!("{at}: dept missing"));
        assert!(!dept.is_empty(), "{at}: empty dept");
        total += 1;
        non_english += usize::from(lang != "en");
        borderline += usize::from(is_borderline);
    }
    let share = non_english as f64 / total as f64;
    assert!(
        share >= 0.15,
        "non-English share {share:.3} ({non_english}/{total})"
    );
    let share = borderline as f64 / total as f64;
    assert!(
        share >= 0.15,
        "borderline share {share:.3} ({borderline}/{total})"
    );
}
