//! Class and source balancing of the training split.
//!
//! Rules, applied per label to the train counts of each `(label, source)`:
//! 1. **Generated data never dominates a class**: sources whose name starts with `synth`
//!    ([`is_generated`]) keep at most [`MAX_GENERATED_SHARE`] of the class together, and get
//!    that share when they have enough records.
//! 2. **No class dwarfs another**: a class keeps at most [`MAX_CLASS_RATIO`] times the
//!    smallest class, so with four labels the smallest holds at least 1 / (1 + 3 × 3) = 10%.
//!    The ratio was 1.4 with three labels; `other` has the least real data (about 1,300
//!    training prompts), and 1.4 (or 2) would have cut the three task classes by a third to
//!    match it, which cost 3 to 11 points of gateway-dev accuracy when tried. Training
//!    re-weights labels to equal mass anyway, so the ratio bounds how much data is thrown
//!    away, not how much each label counts.
//! 3. **Big sources give way first**: within a class, the real sources share the rest by
//!    water-filling (each keeps `min(size, level)` for one common level), so the largest lose
//!    most and small sources stay whole; so do the generated sources within their share.
//!
//! Which records survive a trim is decided by a stable hash of their id ([`pick`]), so the
//! result is deterministic. Valid and test keep the same fraction per `(label, source)` as
//! train, which keeps their mix comparable.

use std::collections::BTreeMap;

use promptyard::label::Label;

/// Largest class size as a multiple of the smallest.
pub const MAX_CLASS_RATIO: f64 = 3.0;
/// Largest share of a class that generated sources may hold together.
pub const MAX_GENERATED_SHARE: f64 = 0.45;
/// Seed of the hash that orders records for trimming.
pub const PICK_SEED: &str = "switchyard-balance-v1";

/// Whether a source is template-generated rather than collected.
pub fn is_generated(source: &str) -> bool {
    source.starts_with("synth")
}

/// Records kept per `(label, source)` in train, given the train counts.
pub fn train_quotas(counts: &BTreeMap<(Label, String), usize>) -> BTreeMap<(Label, String), usize> {
    let mut cap = usize::MAX;
    let mut quotas = BTreeMap::new();
    for _ in 0..10 {
        quotas.clear();
        let mut totals = Vec::new();
        for label in Label::ALL {
            let class: Vec<(&String, usize)> = counts
                .iter()
                .filter(|((l, _), _)| *l == label)
                .map(|((_, s), &n)| (s, n))
                .collect();
            if class.is_empty() {
                continue;
            }
            let q = class_quotas(&class, cap);
            totals.push(q.values().sum::<usize>());
            for (s, n) in q {
                quotas.insert((label, s), n);
            }
        }
        // A class with nothing to keep (say, generated data only) cannot be balanced; it
        // must not wipe out the others.
        let smallest = totals.iter().copied().filter(|&t| t > 0).min().unwrap_or(0);
        let next = (smallest as f64 * MAX_CLASS_RATIO).floor() as usize;
        if next == cap {
            break;
        }
        cap = next;
    }
    quotas
}

/// Quotas inside one class whose target is at most `cap`.
fn class_quotas(class: &[(&String, usize)], cap: usize) -> BTreeMap<String, usize> {
    let g = MAX_GENERATED_SHARE;
    let (gen, real): (Vec<_>, Vec<_>) = class.iter().copied().partition(|(s, _)| is_generated(s));
    let real_n: usize = real.iter().map(|(_, n)| n).sum();
    let gen_n: usize = gen.iter().map(|(_, n)| n).sum();
    let gen_max_for_real = |r: usize| (r as f64 * g / (1.0 - g)).floor() as usize;
    let possible = real_n + gen_n.min(gen_max_for_real(real_n));
    let target = possible.min(cap);
    let gen_allowed = gen_n
        .min((target as f64 * g).floor() as usize)
        .min(gen_max_for_real(real_n));
    // Generated sources get their full share first: they are the natural, gateway-style
    // requests the benchmarks lack (on data/gateway_dev.jsonl this beat trimming them like
    // any other source by about 2 points of accuracy). Real sources fill the rest.
    let real_q = water_fill(&real, target - gen_allowed.min(target));
    let real_kept: usize = real_q.values().sum();
    let gen_q = water_fill(&gen, gen_allowed.min(gen_max_for_real(real_kept)));
    real_q.into_iter().chain(gen_q).collect()
}

/// Splits `target` over sources: each gets `min(size, level)` for the largest level that
/// fits, then single leftovers go to the sources above that level in name order.
fn water_fill(sources: &[(&String, usize)], target: usize) -> BTreeMap<String, usize> {
    let at = |level: usize| -> usize { sources.iter().map(|(_, n)| (*n).min(level)).sum() };
    let (mut lo, mut hi) = (0usize, sources.iter().map(|(_, n)| *n).max().unwrap_or(0));
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if at(mid) <= target {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let mut out: BTreeMap<String, usize> = sources
        .iter()
        .map(|(s, n)| ((*s).clone(), (*n).min(lo)))
        .collect();
    let mut left = target.saturating_sub(at(lo));
    for (s, n) in sources {
        let q = out.get_mut(*s).expect("inserted above");
        if left > 0 && *q < *n {
            *q += 1;
            left -= 1;
        }
    }
    out
}

/// Order in which records of one `(label, source, split)` bucket are kept: by a stable hash
/// of the id. Returns the indices of `ids` to keep, `keep` of them.
pub fn pick(ids: &[&str], keep: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by_key(|&i| (crate::data::split::stable_hash(PICK_SEED, ids[i]), ids[i]));
    order.truncate(keep);
    order.sort_unstable();
    order
}

/// How many of `n` records to keep in valid or test when train keeps `quota` of `train_n`.
pub fn held_out_keep(n: usize, quota: usize, train_n: usize) -> usize {
    if train_n == 0 || quota >= train_n {
        n
    } else {
        ((n as f64) * quota as f64 / train_n as f64).round() as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use promptyard::label::NUM_LABELS;
    use proptest::prelude::*;

    fn counts(rows: &[(Label, &str, usize)]) -> BTreeMap<(Label, String), usize> {
        rows.iter()
            .map(|(l, s, n)| ((*l, s.to_string()), *n))
            .collect()
    }

    fn check_invariants(
        c: &BTreeMap<(Label, String), usize>,
        q: &BTreeMap<(Label, String), usize>,
    ) {
        let mut class = [0usize; NUM_LABELS];
        let mut gen = [0usize; NUM_LABELS];
        for ((l, s), &n) in q {
            assert!(n <= c[&(*l, s.clone())], "quota above count for {s}");
            class[l.index()] += n;
            if is_generated(s) {
                gen[l.index()] += n;
            }
        }
        let present: Vec<usize> = class.iter().copied().filter(|&n| n > 0).collect();
        let (Some(min), Some(max)) = (present.iter().min(), present.iter().max()) else {
            return;
        };
        assert!(
            *max as f64 <= MAX_CLASS_RATIO * *min as f64 + 1.0,
            "{class:?}"
        );
        for i in 0..NUM_LABELS {
            assert!(
                gen[i] as f64 <= MAX_GENERATED_SHARE * class[i] as f64 + 1.0,
                "{gen:?} {class:?}"
            );
        }
    }

    #[test]
    fn thin_class_sets_the_size_and_big_sources_are_trimmed_first() {
        let c = counts(&[
            (Label::Planning, "planbench", 3000),
            (Label::Planning, "webarena", 500),
            (Label::Planning, "synth_planning", 5000),
            (Label::Reasoning, "gsm8k", 9000),
            (Label::Reasoning, "aqua-rat", 400),
            (Label::Reasoning, "synth_reasoning", 6000),
            (Label::CodeCompletion, "mxeval-mbxp", 12000),
            (Label::CodeCompletion, "odex", 900),
        ]);
        let q = train_quotas(&c);
        check_invariants(&c, &q);
        let planning: usize = q
            .iter()
            .filter(|((l, _), _)| *l == Label::Planning)
            .map(|(_, n)| n)
            .sum();
        let total: usize = q.values().sum();
        // Three classes, the others at most MAX_CLASS_RATIO × planning each.
        let least = 1.0 / (1.0 + 2.0 * MAX_CLASS_RATIO);
        assert!(planning as f64 / total as f64 >= least - 1e-3, "{q:?}");
        // small sources survive whole
        assert_eq!(q[&(Label::Reasoning, "aqua-rat".into())], 400);
        assert_eq!(q[&(Label::Planning, "webarena".into())], 500);
        // generated data is capped below half of its class, and gets that share
        assert!(q[&(Label::Planning, "synth_planning".into())] * 2 < planning);
        let reasoning: usize = q
            .iter()
            .filter(|((l, _), _)| *l == Label::Reasoning)
            .map(|(_, n)| n)
            .sum();
        // (or all of it, when the class is not trimmed to its share)
        let synth = q[&(Label::Reasoning, "synth_reasoning".into())];
        assert_eq!(
            synth,
            ((reasoning as f64 * MAX_GENERATED_SHARE).floor() as usize).min(6000)
        );
    }

    #[test]
    fn pick_is_deterministic_and_keeps_the_asked_number() {
        let ids = ["a", "b", "c", "d", "e"];
        let first = pick(&ids, 3);
        assert_eq!(first.len(), 3);
        assert_eq!(first, pick(&ids, 3));
        assert_eq!(held_out_keep(100, 50, 200), 25);
        assert_eq!(held_out_keep(100, 300, 200), 100);
    }

    proptest! {
        #[test]
        fn quotas_respect_the_invariants(
            sizes in proptest::collection::vec((0usize..NUM_LABELS, 0usize..4, 1usize..5000), 3..20)
        ) {
            let names = ["alpha", "beta", "synth_a", "gamma"];
            let mut c: BTreeMap<(Label, String), usize> = BTreeMap::new();
            for (l, s, n) in sizes {
                *c.entry((Label::ALL[l], names[s].to_string())).or_default() += n;
            }
            let q = train_quotas(&c);
            check_invariants(&c, &q);
        }
    }
}
