//! Property tests of the policy over random catalogs and random probability vectors, against
//! a brute-force reference: never a model when a cheaper adequate one exists, never an
//! inadequate one, the documented tie-break, deterministic and independent of file order;
//! for three-label catalogs (no `other` settings), `other` prompts go to the most capable
//! model, or to the default model when one is set.

use std::fmt::Write as _;
use std::sync::Arc;

use promptyard::catalog::Catalog;
use promptyard::policy::Policy;
use promptyard::{Error, Label, Probs};
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct M {
    input: f64,
    output: f64,
    context: u64,
    quality: [f64; 4],
    enabled: bool,
    provider: u8,
}

#[derive(Clone, Debug)]
struct Spec {
    min_quality: [f64; 4],
    out_tokens: [u64; 4],
    /// False: a three-label catalog, no `other` in `[policy]` or in the models.
    other_configured: bool,
    floor: f64,
    max_fallbacks: u64,
    deny_provider: Option<u8>,
    quality_target: Option<f64>,
    models: Vec<M>,
}

/// Few distinct values, so equal costs (ties) and equal qualities are common.
fn price() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        Just(0.1),
        Just(0.5),
        Just(1.0),
        Just(3.0),
        0.0f64..20.0
    ]
}

fn quality() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.5), Just(0.8), Just(0.9), Just(1.0), 0.0f64..=1.0]
}

fn model() -> impl Strategy<Value = M> {
    (
        price(),
        price(),
        prop_oneof![Just(1_000u64), Just(8_000), Just(200_000), 1u64..300_000],
        [quality(), quality(), quality(), quality()],
        prop::bool::weighted(0.9),
        0u8..3,
    )
        .prop_map(|(input, output, context, quality, enabled, provider)| M {
            input,
            output,
            context,
            quality,
            enabled,
            provider,
        })
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        [quality(), quality(), quality(), quality()],
        [0u64..2_000, 0u64..2_000, 0u64..2_000, 0u64..2_000],
        prop_oneof![Just(0.2), 0.0f64..=1.0],
        0u64..=8,
        prop::option::weighted(0.2, 0u8..3),
        prop::option::weighted(0.4, prop_oneof![Just(1.0), Just(0.95), 0.01f64..=1.0]),
        prop::collection::vec(model(), 1..12),
        prop::bool::weighted(0.75),
    )
        .prop_map(
            |(
                min_quality,
                out_tokens,
                floor,
                max_fallbacks,
                deny_provider,
                quality_target,
                models,
                other_configured,
            )| Spec {
                min_quality,
                out_tokens,
                other_configured,
                floor,
                max_fallbacks,
                deny_provider,
                quality_target,
                models,
            },
        )
}

fn probs() -> impl Strategy<Value = Probs> {
    prop_oneof![
        // Clear-cut, uncertain and exact ties all occur.
        [0.0f32..1.0, 0.0f32..1.0, 0.0f32..1.0, 0.0f32..1.0].prop_map(|p| {
            let s: f32 = p.iter().sum::<f32>().max(1e-6);
            p.map(|x| x / s)
        }),
        Just([0.25; 4]),
        Just([0.5, 0.5, 0.0, 0.0]),
        Just([0.0, 0.0, 1.0, 0.0]),
        Just([0.0, 0.0, 0.0, 1.0]),
        Just([0.0, 0.3, 0.0, 0.7]),
    ]
}

/// Renders `spec` as catalog TOML; `reverse` writes the models in the opposite order.
fn toml(spec: &Spec, reverse: bool) -> String {
    let mut s = String::new();
    let q = spec.min_quality;
    let o = spec.out_tokens;
    // `, other = …` only in four-label catalogs.
    let other = |v: String| {
        if spec.other_configured {
            format!(", other = {v}")
        } else {
            String::new()
        }
    };
    writeln!(s, "[policy]").unwrap();
    writeln!(
        s,
        "min_quality = {{ planning = {:?}, reasoning = {:?}, code_completion = {:?}{} }}",
        q[0],
        q[1],
        q[2],
        other(format!("{:?}", q[3]))
    )
    .unwrap();
    writeln!(
        s,
        "expected_output_tokens = {{ planning = {}, reasoning = {}, code_completion = {}{} }}",
        o[0],
        o[1],
        o[2],
        other(o[3].to_string())
    )
    .unwrap();
    writeln!(s, "plausible_label_floor = {:?}", spec.floor).unwrap();
    writeln!(s, "max_fallbacks = {}", spec.max_fallbacks).unwrap();
    if let Some(t) = spec.quality_target {
        writeln!(s, "quality_target = {t:?}").unwrap();
    }
    let used = |p: u8| spec.models.iter().any(|m| m.provider == p);
    if let Some(p) = spec.deny_provider.filter(|&p| used(p)) {
        writeln!(s, "deny = [\"p{p}\"]").unwrap();
    }
    let mut order: Vec<usize> = (0..spec.models.len()).collect();
    if reverse {
        order.reverse();
    }
    for i in order {
        let m = &spec.models[i];
        writeln!(
            s,
            "[[model]]\nid = \"m{i}\"\nprovider = \"p{}\"",
            m.provider
        )
        .unwrap();
        writeln!(
            s,
            "input_usd_per_mtok = {:?}\noutput_usd_per_mtok = {:?}\ncontext_tokens = {}",
            m.input, m.output, m.context
        )
        .unwrap();
        writeln!(
            s,
            "quality = {{ planning = {:?}, reasoning = {:?}, code_completion = {:?}{} }}\nenabled = {}",
            m.quality[0],
            m.quality[1],
            m.quality[2],
            other(format!("{:?}", m.quality[3])),
            m.enabled
        )
        .unwrap();
    }
    s
}

/// The reference: the ids of all adequate models, sorted by (cost, -quality[label], id).
fn reference(c: &Catalog, probs: &Probs, input_tokens: u64) -> (Label, Vec<(String, f64)>) {
    let s = c.settings();
    let mut label = Label::Planning;
    for l in Label::ALL {
        if probs[l.index()] > probs[label.index()] {
            label = l;
        }
    }
    let out = s.expected_output_tokens(label);
    if label == Label::Other && !s.other_configured {
        // Three-label catalog: the most capable eligible models that fit, by mean quality.
        let mut capable: Vec<_> = c
            .models()
            .iter()
            .filter(|m| m.eligible && input_tokens + out <= m.context_tokens)
            .collect();
        capable.sort_by(|a, b| {
            b.mean_legacy_quality()
                .total_cmp(&a.mean_legacy_quality())
                .then(a.id.cmp(&b.id))
        });
        let ranked = capable
            .into_iter()
            .map(|m| (m.id.clone(), m.cost_usd(input_tokens, out)))
            .collect();
        return (label, ranked);
    }
    let required: Vec<Label> = Label::ALL
        .into_iter()
        .filter(|&l| l != Label::Other || s.other_configured)
        .filter(|&l| l == label || probs[l.index()] >= s.plausible_label_floor)
        .collect();
    // Both floors apply: min_quality and quality_target × the best eligible quality.
    let best = |l: Label| {
        c.models()
            .iter()
            .filter(|m| m.eligible)
            .map(|m| m.quality(l))
            .fold(0.0, f64::max)
    };
    let floor = |l: Label| {
        s.min_quality(l)
            .max(s.quality_target.map_or(0.0, |t| t * best(l)))
    };
    let mut adequate: Vec<_> = c
        .models()
        .iter()
        .filter(|m| m.eligible)
        .filter(|m| required.iter().all(|&l| m.quality(l) >= floor(l)))
        .filter(|m| input_tokens + out <= m.context_tokens)
        .map(|m| {
            (
                m.id.clone(),
                m.cost_usd(input_tokens, out),
                m.quality(label),
            )
        })
        .collect();
    adequate.sort_by(|a, b| {
        a.1.total_cmp(&b.1)
            .then(b.2.total_cmp(&a.2))
            .then(a.0.cmp(&b.0))
    });
    (
        label,
        adequate
            .into_iter()
            .map(|(id, cost, _)| (id, cost))
            .collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn picks_the_cheapest_adequate_model_with_ordered_fallbacks(
        spec in spec(),
        probs in probs(),
        input_tokens in prop_oneof![0u64..2_000, 0u64..400_000],
    ) {
        // Random catalogs where some label has no adequate model are rejected by validation.
        let catalog = match Catalog::parse(&toml(&spec, false), "random.toml") {
            Ok(c) => c,
            Err(Error::Catalog { field, .. }) => {
                prop_assert!(
                    field.starts_with("policy.min_quality.")
                        || field.starts_with("policy.expected_output_tokens."),
                    "unexpected rejection: {field}"
                );
                return Ok(());
            }
            Err(e) => return Err(TestCaseError::fail(format!("{e}"))),
        };
        let (label, expected) = reference(&catalog, &probs, input_tokens);
        let policy = Policy::new(Arc::new(catalog.clone()));
        let got = policy.choose(&probs, input_tokens);
        match (&got, expected.first()) {
            (Err(Error::NoAdequateModel { rejected, .. }), None) => {
                // Every model is accounted for, in file order.
                let ids: Vec<&str> = rejected.iter().map(|(id, _)| id.as_str()).collect();
                let all: Vec<&str> = catalog.models().iter().map(|m| m.id.as_str()).collect();
                prop_assert_eq!(ids, all);
            }
            (Ok(choice), Some((best_id, best_cost))) => {
                let models = catalog.models();
                prop_assert_eq!(choice.label, label);
                let pick = &models[choice.pick().model];
                // Adequate, and nothing adequate is cheaper: it is exactly the reference's first.
                prop_assert_eq!(&pick.id, best_id);
                prop_assert_eq!(choice.pick().cost_usd, *best_cost);
                let fallbacks: Vec<&str> = choice.fallbacks().iter().map(|r| models[r.model].id.as_str()).collect();
                let want: Vec<&str> = expected.iter().skip(1).take(spec.max_fallbacks as usize).map(|(id, _)| id.as_str()).collect();
                prop_assert_eq!(fallbacks, want);
                prop_assert!(!choice.used_default);
            }
            (got, want) => prop_assert!(false, "policy gave {:?}, reference {:?}", got, want),
        }

        // Deterministic, and independent of the order of the models in the file.
        let again = policy.choose(&probs, input_tokens);
        let reversed = Policy::new(Arc::new(Catalog::parse(&toml(&spec, true), "reversed.toml").unwrap()));
        let flipped = reversed.choose(&probs, input_tokens);
        let ids = |p: &Policy, r: &Result<promptyard::policy::Choice, Error>| -> Option<Vec<String>> {
            r.as_ref().ok().map(|c| {
                std::iter::once(c.pick()).chain(c.fallbacks().iter().copied())
                    .map(|r| p.catalog().models()[r.model].id.clone()).collect()
            })
        };
        prop_assert_eq!(ids(&policy, &got), ids(&policy, &again));
        prop_assert_eq!(ids(&policy, &got), ids(&reversed, &flipped));
    }

    #[test]
    fn a_default_model_is_used_only_when_nothing_is_adequate(
        spec in spec(),
        probs in probs(),
        input_tokens in 0u64..400_000,
    ) {
        let Ok(plain) = Catalog::parse(&toml(&spec, false), "random.toml") else { return Ok(()) };
        let Some(default) = plain.models().iter().filter(|m| m.eligible).max_by_key(|m| m.context_tokens) else { return Ok(()) };
        let text = toml(&spec, false).replacen("[policy]\n", &format!("[policy]\ndefault_model = \"{}\"\n", default.id), 1);
        let with_default = Policy::new(Arc::new(Catalog::parse(&text, "default.toml").unwrap()));
        let plain = Policy::new(Arc::new(plain.clone()));
        match (plain.choose(&probs, input_tokens), with_default.choose(&probs, input_tokens)) {
            // A three-label catalog sends `other` to its default model whenever that fits.
            (Ok(_), Ok(b)) if b.other_unconfigured => {
                prop_assert!(b.used_default);
                prop_assert_eq!(&with_default.catalog().models()[b.pick().model].id, &default.id);
            }
            (Ok(a), Ok(b)) => {
                prop_assert!(!b.used_default);
                prop_assert_eq!(a.pick(), b.pick());
            }
            (Err(_), Ok(b)) => {
                prop_assert!(b.used_default);
                prop_assert_eq!(&with_default.catalog().models()[b.pick().model].id, &default.id);
                prop_assert!(b.fallbacks().is_empty());
            }
            // Only when the prompt does not fit even the default's window.
            (Err(_), Err(Error::NoAdequateModel { .. })) => {
                let out = with_default.catalog().settings().expected_output_tokens(Label::argmax(&probs));
                prop_assert!(input_tokens + out > default.context_tokens);
            }
            (a, b) => prop_assert!(false, "plain {:?}, with default {:?}", a, b),
        }
    }
}
