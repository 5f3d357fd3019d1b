//! Invariants of the committed dataset in `data/` (no raw sources needed).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use promptyard::Label;
use promptyard_train::data::normalise::dedupe_key;
use promptyard_train::data::split::Split;
use promptyard_train::data::{read_split, Record};

fn load(split: Split) -> Vec<Record> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data");
    read_split(dir, split).unwrap().records
}

#[test]
fn committed_splits_are_balanced_disjoint_and_labelled() {
    let splits = [
        ("train", load(Split::Train)),
        ("valid", load(Split::Valid)),
        ("test", load(Split::Test)),
    ];
    let train = &splits[0].1;

    // each task label: at least 3,000 train records from at least 3 sources; no class under 20%
    let mut per_label: BTreeMap<Label, (usize, BTreeSet<&str>)> = BTreeMap::new();
    for r in train {
        let e = per_label.entry(r.label).or_default();
        e.0 += 1;
        e.1.insert(&r.source);
    }
    // (`other`, which has the least real data: at least 1,500 from 3 sources, and 10%: the
    // floor of balancing's 3 × ratio with four labels.)
    for label in Label::ALL {
        let (n, sources) = &per_label[&label];
        let (least, share) = if label == Label::Other {
            (1_500, 0.10)
        } else {
            (3_000, 0.20)
        };
        assert!(*n >= least, "{label}: {n} train records");
        assert!(sources.len() >= 3, "{label}: sources {sources:?}");
        assert!(
            *n as f64 >= share * train.len() as f64,
            "{label}: {n} of {}",
            train.len()
        );
        // generated sources never the majority of a class
        let generated = train
            .iter()
            .filter(|r| r.label == label && r.source.starts_with("synth"))
            .count();
        assert!(generated * 2 < *n, "{label}: {generated} generated of {n}");
    }

    // no normalised text in two splits, ids unique, no raw-nc data, BBH carries its canary
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut ids = BTreeSet::new();
    for (name, records) in &splits {
        for r in records {
            assert!(ids.insert(r.id.clone()), "duplicate id {}", r.id);
            if let Some(other) = seen.insert(dedupe_key(&r.text), name) {
                assert_eq!(other, *name, "text of {} is in {other} and {name}", r.id);
            }
            assert!(
                !r.source.ends_with("-nc"),
                "non-commercial source in {}",
                r.id
            );
            if r.source == "big-bench-hard" {
                assert!(
                    r.canary
                        .as_deref()
                        .is_some_and(|c| c.contains("canary GUID")),
                    "{}",
                    r.id
                );
            }
        }
    }
}
