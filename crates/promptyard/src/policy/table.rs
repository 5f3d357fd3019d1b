//! The scan of [`Policy::choose`] precomputed for every prompt length, so a route does a
//! binary search and prices only the models it returns instead of pricing and ranking every
//! eligible model (~1,100 instructions over the bundled catalog's 20 models, a quarter of a
//! 20-word prompt's route).
//!
//! For a fixed predicted label and set of required labels the adequate models are fixed,
//! each one's cost is linear in the prompt's input tokens between its price-tier boundaries,
//! and it fits its context window up to a fixed length. So the ranking changes only at those
//! boundaries and where two cost lines cross. Between two boundaries the ranking is computed
//! at both ends: when the two agree it holds in between (two lines in the same order at both
//! ends of an interval keep that order throughout, and a model ranked below the last kept
//! one at both ends stays below it), otherwise the interval is halved. The ranking itself
//! always comes from the scan ([`Policy::scan`]), which stays the one definition of the
//! order; a test checks table and scan agree on random catalogs and lengths.

use super::{Choice, Policy, Ranked};
use crate::catalog::{cost_at, MAX_FALLBACKS};
use crate::label::{Label, NUM_LABELS};

/// Required-label masks per predicted label.
const MASKS: usize = 1 << NUM_LABELS;

/// Above this many eligible models the table is not built (its build grows with the square
/// of the count) and routes scan.
pub(super) const MAX_TABLE_MODELS: usize = 256;

/// The scan's result for one range of prompt lengths: ranked catalog indices (pick first)
/// with their prices there (a range never spans a price tier's boundary), and how many
/// quality-adequate models were too small.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Ranking {
    models: [u32; MAX_FALLBACKS + 1],
    prices: [(f64, f64); MAX_FALLBACKS + 1],
    len: u8,
    too_small: u32,
}

impl Ranking {
    /// Fills `choice` from the ranking, pricing only the ranked models.
    #[inline]
    pub(super) fn fill(&self, choice: &mut Choice) {
        let n = self.len as usize;
        let (input, output) = (choice.input_tokens, choice.output_tokens);
        for ((slot, &i), &p) in choice
            .ranked
            .iter_mut()
            .zip(&self.models[..n])
            .zip(&self.prices[..n])
        {
            *slot = Ranked {
                model: i as usize,
                cost_usd: cost_at(p, input, output),
            };
        }
        choice.len = self.len as usize;
        choice.too_small = self.too_small as usize;
    }

    fn of(policy: &Policy, choice: &Choice) -> Ranking {
        let all = policy.catalog.models();
        let mut models = [0; MAX_FALLBACKS + 1];
        let mut prices = [(0.0, 0.0); MAX_FALLBACKS + 1];
        for ((m, p), r) in models
            .iter_mut()
            .zip(&mut prices)
            .zip(&choice.ranked[..choice.len])
        {
            *m = r.model as u32;
            *p = all[r.model].prices_for(choice.input_tokens);
        }
        Ranking {
            models,
            prices,
            len: choice.len as u8,
            too_small: choice.too_small as u32,
        }
    }
}

/// Rankings of one (label, required labels) pair: `rankings[i]` holds for input tokens in
/// `starts[i]..starts[i + 1]`; `starts[0]` is 0.
#[derive(Debug, Default)]
struct Segments {
    starts: Vec<u64>,
    rankings: Vec<Ranking>,
}

/// Every (label, required labels) pair's segments, indexed by `label * MASKS + required`;
/// empty for pairs the scan handles (a required set without its label, and `other` when the
/// catalog does not configure it).
#[derive(Debug)]
pub(super) struct RouteTable {
    slots: Vec<Segments>,
}

impl RouteTable {
    /// The table for `policy`, or `None` when it has too many eligible models.
    pub(super) fn build(policy: &Policy) -> Option<RouteTable> {
        if policy.eligible.len() > MAX_TABLE_MODELS {
            return None;
        }
        let other_configured = policy.catalog.settings().other_configured;
        let mut slots = Vec::with_capacity(NUM_LABELS * MASKS);
        for label in Label::ALL {
            for required in 0..MASKS as u8 {
                let routed = required & (1 << label.index()) != 0
                    && (label != Label::Other || other_configured);
                slots.push(if routed {
                    segments(policy, label, required)
                } else {
                    Segments::default()
                });
            }
        }
        Some(RouteTable { slots })
    }

    /// The ranking for a prompt of `input_tokens`, if this pair has a table.
    #[inline]
    pub(super) fn lookup(&self, label: Label, required: u8, input_tokens: u64) -> Option<&Ranking> {
        let s = self.slots.get(label.index() * MASKS + required as usize)?;
        let i = s.starts.partition_point(|&x| x <= input_tokens);
        s.rankings.get(i.checked_sub(1)?)
    }
}

/// The segments of one (label, required labels) pair.
fn segments(policy: &Policy, label: Label, required: u8) -> Segments {
    let models = policy.catalog.models();
    let output_tokens = policy.catalog.settings().expected_output_tokens(label);
    // Where a candidate stops fitting its context window or enters a price tier.
    let mut bounds = vec![0u64];
    for &(i, mask) in &policy.eligible {
        if mask & required != required {
            continue;
        }
        let m = &models[i];
        if let Some(last) = m.context_tokens.checked_sub(output_tokens) {
            bounds.push(last.saturating_add(1));
        }
        bounds.extend(
            m.price_tiers
                .iter()
                .map(|t| t.above_input_tokens.saturating_add(1)),
        );
    }
    bounds.sort_unstable();
    bounds.dedup();
    let rank = |n: u64| policy.scan_ranking(label, required, n, output_tokens);
    let mut found = Vec::new();
    for (j, &a) in bounds.iter().enumerate() {
        let b = bounds.get(j + 1).map_or(u64::MAX, |&next| next - 1);
        split(&rank, a, b, rank(a), rank(b), &mut found);
    }
    let mut s = Segments::default();
    for (start, r) in found {
        if s.rankings.last() != Some(&r) {
            s.starts.push(start);
            s.rankings.push(r);
        }
    }
    s
}

/// Appends the rankings over `a..=b` (`ra`, `rb` at its ends), halving until the ends agree.
fn split(
    rank: &impl Fn(u64) -> Ranking,
    a: u64,
    b: u64,
    ra: Ranking,
    rb: Ranking,
    out: &mut Vec<(u64, Ranking)>,
) {
    if ra == rb || a == b {
        out.push((a, ra));
        return;
    }
    if b == a + 1 {
        out.push((a, ra));
        out.push((b, rb));
        return;
    }
    let mid = a + (b - a) / 2;
    split(rank, a, mid, ra, rank(mid), out);
    split(rank, mid + 1, b, rank(mid + 1), rb, out);
}

impl Policy {
    /// The scan's ranking for a prompt of `input_tokens` (for building the table).
    fn scan_ranking(
        &self,
        label: Label,
        required: u8,
        input_tokens: u64,
        output_tokens: u64,
    ) -> Ranking {
        let mut choice = Choice::empty(label, required, input_tokens, output_tokens);
        self.scan(&mut choice);
        Ranking::of(self, &choice)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use proptest::prelude::*;

    use super::*;
    use crate::catalog::Catalog;
    use crate::error::Result;

    /// One random model: prices from a short list (so cost lines tie and cross), a context
    /// window, sometimes a price tier, qualities.
    fn model() -> impl Strategy<Value = String> {
        let price = prop_oneof![
            Just(0.1),
            Just(0.5),
            Just(1.0),
            Just(3.0),
            Just(15.0),
            0.01f64..20.0
        ];
        let ctx = prop_oneof![
            Just(8_000u64),
            Just(128_000),
            Just(200_000),
            Just(1_000_000),
            1_000u64..2_000_000
        ];
        let tier = proptest::option::of((1_000u64..900_000, 0.1f64..30.0, 0.1f64..60.0));
        (price.clone(), price, ctx, tier, proptest::array::uniform4(0.3f64..1.0))
            .prop_map(|(i, o, ctx, tier, q)| {
                let tier = tier.map_or(String::new(), |(above, ti, to)| {
                    format!(
                        "price_tiers = [{{ above_input_tokens = {above}, input_per_mtok = {ti}, output_per_mtok = {to} }}]\n"
                    )
                });
                format!(
                    "input_usd_per_mtok = {i}\noutput_usd_per_mtok = {o}\ncontext_tokens = {ctx}\n\
                     quality = {{ planning = {}, reasoning = {}, code_completion = {}, other = {} }}\n{tier}",
                    q[0], q[1], q[2], q[3]
                )
            })
    }

    fn catalog() -> impl Strategy<Value = Catalog> {
        (
            proptest::collection::vec(model(), 1..14),
            proptest::array::uniform4(0.3f64..0.8),
            proptest::array::uniform4(1u64..5_000),
            0usize..=MAX_FALLBACKS,
            any::<bool>(),
            any::<bool>(),
        )
            .prop_filter_map("min_quality met by some model", |(models, min, out, fallbacks, default, three)| {
                let mut text = format!(
                    "[policy]\nmin_quality = {{ planning = {}, reasoning = {}, code_completion = {}, other = {} }}\n\
                     expected_output_tokens = {{ planning = {}, reasoning = {}, code_completion = {}, other = {} }}\n\
                     plausible_label_floor = 0.2\nmax_fallbacks = {fallbacks}\n",
                    min[0], min[1], min[2], min[3], out[0], out[1], out[2], out[3]
                );
                if default {
                    text.push_str("default_model = \"m0\"\n");
                }
                for (k, m) in models.iter().enumerate() {
                    text.push_str(&format!("[[model]]\nid = \"m{k}\"\nprovider = \"p\"\n{m}"));
                }
                if three {
                    // A three-label catalog: `other` prompts take the scan's unconfigured path.
                    text = without_other(&text);
                }
                Catalog::parse(&text, "random.toml").ok()
            })
    }

    /// `text` with every `, other = <value>` of its inline tables removed.
    fn without_other(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find(", other = ") {
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            rest = &rest[rest.find(" }").unwrap_or(rest.len())..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn three_label_catalogs_are_generated_too() {
        let text =
            "min_quality = { planning = 0.5, reasoning = 0.6, code_completion = 0.7, other = 0.4 }";
        assert_eq!(
            without_other(text),
            "min_quality = { planning = 0.5, reasoning = 0.6, code_completion = 0.7 }"
        );
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let three = (0..64)
            .filter(|_| {
                let c = proptest::strategy::ValueTree::current(
                    &catalog().new_tree(&mut runner).unwrap(),
                );
                !c.settings().other_configured
            })
            .count();
        assert!((8..56).contains(&three), "{three} of 64 without `other`");
    }

    /// What a reader of a choice sees.
    fn seen(c: &Result<Choice>) -> String {
        match c {
            Ok(c) => format!(
                "{:?} {} {:?} {} {} {:?}",
                c.label,
                c.required,
                c.fallbacks_and_pick(),
                c.too_small,
                c.used_default,
                c.pick().cost_usd.to_bits()
            ),
            Err(e) => e.to_string(),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The table answers exactly as the scan for every label mix and prompt length,
        /// including the lengths on either side of each segment start.
        #[test]
        fn the_table_agrees_with_the_scan(
            catalog in catalog(),
            raw in proptest::array::uniform4(0.0f32..1.0),
            lengths in proptest::collection::vec(0u64..3_000_000, 8),
        ) {
            let table = Policy::new(Arc::new(catalog));
            let mut scan = table.clone();
            scan.table = None;
            let t = table.table.as_deref().expect("a small catalog has a table");
            let sum: f32 = raw.iter().sum::<f32>() + 1e-3;
            let probs = raw.map(|p| (p + 1e-3 / 4.0) / sum);
            let (label, required) = table.required(&probs);
            let starts = t
                .slots
                .get(label.index() * MASKS + required as usize)
                .map_or(&[][..], |s| &s.starts[..]);
            let near = starts.iter().flat_map(|&s| [s.saturating_sub(1), s, s + 1]);
            for n in lengths.into_iter().chain(near).chain([0, u64::MAX]) {
                prop_assert_eq!(seen(&table.choose(&probs, n)), seen(&scan.choose(&probs, n)), "{} tokens", n);
            }
        }
    }
}
