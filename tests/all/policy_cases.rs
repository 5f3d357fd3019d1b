//! The policy's behaviours, one test per rule, on small hand-written catalogs and on the
//! bundled catalog. Probabilities are given directly, so no classifier is involved.

use std::sync::Arc;

use promptyard::catalog::Catalog;
use promptyard::policy::{estimate_input_tokens, Policy, Rejection};
use promptyard::{Error, Label};

const POLICY: &str = r#"[policy]
min_quality = { planning = 0.80, reasoning = 0.80, code_completion = 0.75, other = 0.70 }
expected_output_tokens = { planning = 800, reasoning = 500, code_completion = 300, other = 400 }
plausible_label_floor = 0.20
"#;

/// `[[model]]` with prices in USD/MTok, a context window and quality (planning, reasoning,
/// code, other).
fn model(id: &str, provider: &str, price: (f64, f64), context: u64, q: [f64; 4]) -> String {
    format!(
        "[[model]]\nid = \"{id}\"\nprovider = \"{provider}\"\ninput_usd_per_mtok = {:?}\n\
         output_usd_per_mtok = {:?}\ncontext_tokens = {context}\n\
         quality = {{ planning = {:?}, reasoning = {:?}, code_completion = {:?}, other = {:?} }}\n",
        price.0, price.1, q[0], q[1], q[2], q[3]
    )
}

/// tiny: code and other, small window. mid: code + reasoning + other. big: everything.
fn three(extra_policy: &str) -> Policy {
    let text = format!(
        "{POLICY}{extra_policy}\n{}{}{}",
        model("tiny", "acme", (0.1, 0.4), 2_000, [0.5, 0.6, 0.8, 0.75]),
        model("mid", "acme", (0.5, 1.5), 128_000, [0.7, 0.85, 0.85, 0.8]),
        model("big", "globex", (3.0, 15.0), 200_000, [0.9, 0.9, 0.9, 0.8]),
    );
    Policy::new(Arc::new(Catalog::parse(&text, "three.toml").unwrap()))
}

const CODE: [f32; 4] = [0.02, 0.01, 0.97, 0.0];
const PLAN: [f32; 4] = [0.90, 0.05, 0.05, 0.0];
const OTHER: [f32; 4] = [0.02, 0.03, 0.05, 0.90];

#[test]
fn clear_code_prompt_goes_to_the_cheapest_code_model_with_fallbacks_in_cost_order() {
    let d = three("").decide(&CODE, "complete `def f(x):`").unwrap();
    assert_eq!(d.label, Label::CodeCompletion);
    assert_eq!(d.confidence, 0.97);
    assert_eq!(d.model, "tiny");
    assert_eq!(d.fallbacks[..], ["mid", "big"]);
    assert!(!d.used_default);
    // 20 bytes → 5 input tokens; 300 output tokens for code.
    assert_eq!((d.input_tokens, d.output_tokens), (5, 300));
    assert_eq!(d.est_cost_usd, (5.0 * 0.1 + 300.0 * 0.4) / 1e6);
    assert_eq!(
        d.reason.to_string(),
        "code_completion p=0.97 → tiny: cheapest with code_completion quality ≥ 0.75, est. $0.00012"
    );
}

#[test]
fn uncertain_prompt_escalates_to_a_model_adequate_for_every_plausible_label() {
    let p = three("");
    // Code is most likely, but reasoning at 0.30 ≥ floor 0.20 must be served too.
    let d = p
        .decide(&[0.05, 0.30, 0.65, 0.0], "why does this loop not end")
        .unwrap();
    assert_eq!(d.label, Label::CodeCompletion);
    assert_eq!(d.model, "mid");
    assert!(
        d.reason.to_string().contains("also plausible: reasoning p=0.30"),
        "{}",
        d.reason
    );
    assert!(
        d.reason.to_string()
            .contains("reasoning quality ≥ 0.8 and code_completion quality ≥ 0.75"),
        "{}",
        d.reason
    );
    // Planning plausible as well: only `big` serves all three.
    let d = p.decide(&[0.25, 0.25, 0.50, 0.0], "x").unwrap();
    assert_eq!((d.model.as_str(), d.fallbacks.len()), ("big", 0));
    // Below the floor, the runner-up does not escalate.
    let d = p.decide(&[0.05, 0.19, 0.76, 0.0], "x").unwrap();
    assert_eq!(d.model, "tiny");
}

#[test]
fn a_prompt_that_overflows_a_context_window_skips_that_model() {
    let p = three("");
    // tiny's window is 2000 tokens: 1700 input + 300 output fits, 1701 does not.
    let fits = "a".repeat(1700 * 4);
    let d = p.decide(&CODE, &fits).unwrap();
    assert_eq!(d.model, "tiny");
    let too_long = "a".repeat(1700 * 4 + 1);
    let d = p.decide(&CODE, &too_long).unwrap();
    assert_eq!(d.model, "mid");
    assert!(
        d.reason.to_string().contains("1 adequate model(s) skipped"),
        "{}",
        d.reason
    );
    // Longer than every window: a typed error saying so, model by model.
    let huge = "a".repeat(200_000 * 4);
    match p.decide(&CODE, &huge) {
        Err(e @ Error::NoAdequateModel { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("context window"), "{msg}");
            assert!(!msg.contains('\n'), "{msg}");
            let Error::NoAdequateModel {
                required,
                tokens,
                rejected,
            } = e
            else {
                unreachable!()
            };
            assert_eq!(required, [Label::CodeCompletion]);
            assert_eq!(tokens, 200_000 + 300);
            let window = |id: &str, context_tokens| {
                (id.to_string(), Rejection::ContextWindow { context_tokens })
            };
            assert_eq!(
                rejected,
                [
                    window("tiny", 2_000),
                    window("mid", 128_000),
                    window("big", 200_000)
                ]
            );
        }
        other => panic!("expected NoAdequateModel, got {other:?}"),
    }
}

#[test]
fn allow_and_deny_by_provider_or_model_id() {
    // Deny a model id: code goes to the next cheapest.
    let d = three("deny = [\"tiny\"]").decide(&CODE, "x").unwrap();
    assert_eq!(
        (d.model.as_str(), ids(&d.fallbacks).as_slice()),
        ("mid", &["big"][..])
    );
    // Allow a provider: only globex models.
    let d = three("allow = [\"globex\"]").decide(&CODE, "x").unwrap();
    assert_eq!((d.model.as_str(), d.fallbacks.len()), ("big", 0));
    // Allow a provider, then deny one of its models.
    let d = three("allow = [\"acme\", \"big\"]\ndeny = [\"tiny\"]")
        .decide(&CODE, "x")
        .unwrap();
    assert_eq!(d.model, "mid");
    // A denied model never appears, even as a fallback.
    let d = three("deny = [\"mid\"]").decide(&CODE, "x").unwrap();
    assert_eq!(
        (d.model.as_str(), ids(&d.fallbacks).as_slice()),
        ("tiny", &["big"][..])
    );
}

#[test]
fn disabled_models_are_never_chosen() {
    let text = format!(
        "{POLICY}\n{}enabled = false\n{}",
        model("tiny", "acme", (0.1, 0.4), 2_000, [0.9, 0.9, 0.9, 0.8]),
        model("big", "globex", (3.0, 15.0), 200_000, [0.9, 0.9, 0.9, 0.8]),
    );
    let p = Policy::new(Arc::new(Catalog::parse(&text, "t.toml").unwrap()));
    assert_eq!(p.decide(&CODE, "x").unwrap().model, "big");
}

#[test]
fn nothing_adequate_is_an_error_or_the_configured_default_never_a_silent_pick() {
    let text = |default: &str| {
        format!(
            "{POLICY}{default}\n{}{}",
            model("coder", "acme", (0.1, 0.4), 100_000, [0.5, 0.5, 0.9, 0.8]),
            model("planner", "acme", (1.0, 4.0), 100_000, [0.9, 0.9, 0.5, 0.8]),
        )
    };
    // Planning and code both plausible: no single model serves both.
    let probs = [0.5, 0.0, 0.5, 0.0];
    let p = Policy::new(Arc::new(Catalog::parse(&text(""), "t.toml").unwrap()));
    match p.decide(&probs, "x") {
        Err(e @ Error::NoAdequateModel { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("for planning and code_completion"), "{msg}");
            assert!(msg.contains("no default_model"), "{msg}");
            let Error::NoAdequateModel {
                required, rejected, ..
            } = e
            else {
                unreachable!()
            };
            assert_eq!(required, [Label::Planning, Label::CodeCompletion]);
            let quality = |id: &str, label, quality, min| {
                (
                    id.to_string(),
                    Rejection::Quality {
                        label,
                        quality,
                        min,
                    },
                )
            };
            assert_eq!(
                rejected,
                [
                    quality("coder", Label::Planning, 0.5, 0.8),
                    quality("planner", Label::CodeCompletion, 0.5, 0.75),
                ]
            );
        }
        other => panic!("expected NoAdequateModel, got {other:?}"),
    }
    let p = Policy::new(Arc::new(
        Catalog::parse(&text("default_model = \"planner\""), "t.toml").unwrap(),
    ));
    let d = p.decide(&probs, "x").unwrap();
    assert!(d.used_default);
    assert_eq!((d.model.as_str(), d.fallbacks.len()), ("planner", 0));
    assert!(
        d.reason.to_string()
            .contains("no adequate model, using the configured default"),
        "{}",
        d.reason
    );
    // With an adequate model available the default is not used.
    let d = p.decide(&CODE, "x").unwrap();
    assert_eq!((d.model.as_str(), d.used_default), ("coder", false));
}

#[test]
fn equal_costs_are_broken_by_quality_then_id() {
    let text = format!(
        "{POLICY}\n{}{}{}",
        model("b", "acme", (1.0, 1.0), 100_000, [0.9, 0.9, 0.9, 0.8]),
        model("a", "acme", (1.0, 1.0), 100_000, [0.9, 0.9, 0.9, 0.8]),
        model("c", "acme", (1.0, 1.0), 100_000, [0.9, 0.9, 0.95, 0.8]),
    );
    let p = Policy::new(Arc::new(Catalog::parse(&text, "t.toml").unwrap()));
    let d = p.decide(&CODE, "x").unwrap();
    assert_eq!(
        (d.model.as_str(), ids(&d.fallbacks).as_slice()),
        ("c", &["a", "b"][..])
    );
}

#[test]
fn max_fallbacks_limits_the_list() {
    assert_eq!(
        three("max_fallbacks = 1")
            .decide(&CODE, "x")
            .unwrap()
            .fallbacks[..],
        ["mid"]
    );
    assert!(three("max_fallbacks = 0")
        .decide(&CODE, "x")
        .unwrap()
        .fallbacks
        .is_empty());
}

#[test]
fn degenerate_probabilities_do_not_panic() {
    let p = three("");
    for probs in [
        [f32::NAN; 4],
        [0.0; 4],
        [f32::INFINITY, 0.0, 0.0, 0.0],
        [-1.0, 2.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, f32::NEG_INFINITY],
    ] {
        let _ = p.decide(&probs, "");
    }
    assert_eq!(p.decide(&PLAN, "").unwrap().model, "big");
}

#[test]
fn the_decision_serialises_with_probs_as_a_map() {
    let d = three("").decide(&CODE, "x").unwrap();
    let v: serde_json::Value = serde_json::to_value(&d).unwrap();
    assert_eq!(v["label"], "code_completion");
    assert_eq!(v["model"], "tiny");
    assert_eq!(v["fallbacks"], serde_json::json!(["mid", "big"]));
    // Labels in their canonical order, as written by serde_json.
    let text = serde_json::to_string(&d).unwrap();
    assert!(
        text.contains(
            r#""probs":{"planning":0.02,"reasoning":0.01,"code_completion":0.97,"other":0.0}"#
        ),
        "{text}"
    );
    assert_eq!(v["catalog_fingerprint"].as_str().unwrap().len(), 16);
    assert!(v["classifier_fingerprint"].is_null());
}

#[test]
fn input_tokens_are_bytes_over_four_rounded_up() {
    assert_eq!(estimate_input_tokens(&"x".repeat(401)), 101);
}

/// The bundled catalog: enough real models, and the routes its header documents.
///
/// Thresholds: planning ≥ 0.80, reasoning ≥ 0.82, code ≥ 0.72, other ≥ 0.70 (quality =
/// τ²-bench retail, GPQA Diamond, SWE-bench Verified, MMLU-Pro, mostly estimates; see
/// models/catalog.toml).
#[test]
fn bundled_catalog_routes_as_documented() {
    let c = Catalog::bundled().unwrap();
    assert!(c.models().len() >= 15);
    let mut providers: Vec<&str> = c.models().iter().map(|m| m.provider.as_str()).collect();
    providers.sort();
    providers.dedup();
    assert!(providers.len() >= 6, "{providers:?}");
    assert!(c.models().iter().all(|m| m.api_id.is_some()));
    let p = Policy::new(Arc::new(c));
    let prompt = "Complete this function: def fizzbuzz(n):";
    // Code: claude-haiku-5-5 (code 0.733, $0.10/$0.50) is the only adequate budget model.
    let d = p.decide(&CODE, prompt).unwrap();
    assert_eq!(d.model, "claude-haiku-5-5");
    // Next: claude-sonnet-5-5 and gpt-6.1-sol both $2/$10, the tie broken by code quality
    // (0.772 > 0.749); then gemini-3.1-pro-preview ($2/$12).
    assert_eq!(
        d.fallbacks[..],
        ["claude-sonnet-5-5", "gpt-6.1-sol", "gemini-3.1-pro-preview"]
    );
    // Planning: claude-sonnet-5-5 and gpt-6.1-sol tie on cost ($2/$10); planning quality
    // 0.862 > 0.803 decides.
    assert_eq!(p.decide(&PLAN, prompt).unwrap().model, "claude-sonnet-5-5");
    // Reasoning: gemini-3.8-flash ($0.75/$3.75, GPQA 0.828) is cheaper than gpt-6.1-terra ($1/$5).
    assert_eq!(
        p.decide(&[0.05, 0.9, 0.05, 0.0], prompt).unwrap().model,
        "gemini-3.8-flash"
    );
    // Reasoning with planning plausible: gemini-3.8-flash (planning 0.716) is not adequate, so
    // escalate to the $2/$10 pair, where reasoning quality (0.857 > 0.834) picks gpt-6.1-sol.
    assert_eq!(
        p.decide(&[0.3, 0.7, 0.0, 0.0], prompt).unwrap().model,
        "gpt-6.1-sol"
    );
    // A planning-reasoning tie is a planning prompt (earlier label): claude-sonnet-5-5.
    assert_eq!(
        p.decide(&[0.5, 0.5, 0.0, 0.0], prompt).unwrap().model,
        "claude-sonnet-5-5"
    );
    // Other: gpt-6-luna ($0.10/$0.50, other 0.762 ≥ 0.70) is the cheapest adequate model;
    // claude-haiku-5-5 costs the same but its other estimate (0.600) is below the minimum.
    let d = p
        .decide(&OTHER, "Translate to French: see you tomorrow")
        .unwrap();
    assert_eq!((d.label, d.model.as_str()), (Label::Other, "gpt-6-luna"));
    assert_eq!(d.output_tokens, 400);
    assert_eq!(
        d.fallbacks[..],
        ["llama-4-scout", "llama-4-maverick", "deepseek-v4-flash"]
    );
    // Other with reasoning plausible: both must be adequate; gemini-3.8-flash serves both.
    assert_eq!(
        p.decide(&[0.0, 0.3, 0.0, 0.7], prompt).unwrap().model,
        "gemini-3.8-flash"
    );
}

#[test]
fn other_prompt_goes_to_the_cheapest_model_adequate_for_other() {
    let d = three("")
        .decide(&OTHER, "Translate to French: good morning")
        .unwrap();
    assert_eq!(d.label, Label::Other);
    assert_eq!(
        (d.model.as_str(), ids(&d.fallbacks).as_slice()),
        ("tiny", &["mid", "big"][..])
    );
    assert_eq!(d.output_tokens, 400);
    assert_eq!(
        d.reason.to_string(),
        "other p=0.90 → tiny: cheapest with other quality ≥ 0.7, est. $0.00016"
    );
}

/// A catalog written before the `other` label: no `other` in `[policy]` or in any model.
const LEGACY_POLICY: &str = r#"[policy]
min_quality = { planning = 0.80, reasoning = 0.80, code_completion = 0.75 }
expected_output_tokens = { planning = 800, reasoning = 500, code_completion = 300 }
plausible_label_floor = 0.20
"#;

fn legacy_model(id: &str, price: (f64, f64), q: [f64; 3]) -> String {
    format!(
        "[[model]]\nid = \"{id}\"\nprovider = \"acme\"\ninput_usd_per_mtok = {:?}\n\
         output_usd_per_mtok = {:?}\ncontext_tokens = 128000\n\
         quality = {{ planning = {:?}, reasoning = {:?}, code_completion = {:?} }}\n",
        price.0, price.1, q[0], q[1], q[2]
    )
}

fn legacy(extra_policy: &str) -> Policy {
    let text = format!(
        "{LEGACY_POLICY}{extra_policy}\n{}{}{}",
        legacy_model("tiny", (0.1, 0.4), [0.5, 0.6, 0.8]),
        legacy_model("mid", (0.5, 1.5), [0.7, 0.85, 0.85]),
        legacy_model("big", (3.0, 15.0), [0.9, 0.9, 0.9]),
    );
    Policy::new(Arc::new(Catalog::parse(&text, "legacy.toml").unwrap()))
}

#[test]
fn three_label_catalog_routes_other_to_the_most_capable_model_flagged_in_the_reason() {
    let p = legacy("");
    assert!(!p.catalog().settings().other_configured);
    // The three task labels route exactly as before.
    assert_eq!(p.decide(&CODE, "x").unwrap().model, "tiny");
    // Other: highest mean quality (big 0.90, mid 0.80, tiny 0.63), not the cheapest.
    let d = p.decide(&OTHER, "hi, how are you?").unwrap();
    assert_eq!(d.label, Label::Other);
    assert_eq!(
        (d.model.as_str(), ids(&d.fallbacks).as_slice()),
        ("big", &["mid", "tiny"][..])
    );
    assert!(!d.used_default);
    // Output tokens: the largest of the configured labels (planning's 800).
    assert_eq!(d.output_tokens, 800);
    assert!(
        d.reason.to_string().starts_with(
            "other p=0.90 → big: catalog has no other settings, using the most capable model (mean quality 0.90)"
        ),
        "{}",
        d.reason
    );
    // A plausible `other` (p ≥ floor) on a code prompt is not a required label here.
    let d = p.decide(&[0.0, 0.0, 0.6, 0.4], "x").unwrap();
    assert_eq!((d.label, d.model.as_str()), (Label::CodeCompletion, "tiny"));
}

#[test]
fn three_label_catalog_routes_other_to_its_default_model_when_set() {
    let d = legacy("default_model = \"mid\"")
        .decide(&OTHER, "Summarise this email: ...")
        .unwrap();
    assert_eq!((d.model.as_str(), d.used_default), ("mid", true));
    assert!(d.fallbacks.is_empty());
    assert!(
        d.reason.to_string()
            .contains("→ mid: catalog has no other settings, using the configured default"),
        "{}",
        d.reason
    );
}

#[test]
fn other_must_be_configured_whole_once_the_policy_names_it() {
    // min_quality.other without expected_output_tokens.other.
    let text = LEGACY_POLICY.replace(
        "code_completion = 0.75 }",
        "code_completion = 0.75, other = 0.7 }",
    ) + &legacy_model("m", (1.0, 1.0), [0.9, 0.9, 0.9]);
    let err = Catalog::parse(&text, "t.toml").unwrap_err().to_string();
    assert!(err.contains("policy.expected_output_tokens.other"), "{err}");
    // Both set: every model needs quality.other.
    let text = text.replace(
        "code_completion = 300 }",
        "code_completion = 300, other = 400 }",
    );
    let err = Catalog::parse(&text, "t.toml").unwrap_err().to_string();
    assert!(err.contains("model[0].quality.other: missing"), "{err}");
}

/// The ids of a decision's fallbacks, to compare with string literals.
fn ids(fallbacks: &[promptyard::ModelId]) -> Vec<&str> {
    fallbacks.iter().map(|id| id.as_str()).collect()
}

#[test]
fn a_quality_target_names_its_floor_in_the_reason_and_the_json() {
    // Best code quality 0.9 (big): floor max(0.75, 0.95 × 0.9) = 0.855, so tiny (0.8) and
    // mid (0.85) fall short.
    let p = three("quality_target = 0.95");
    let d = p.decide(&CODE, "complete `def f(x):`").unwrap();
    assert_eq!((d.model.as_str(), d.fallbacks.len()), ("big", 0));
    let text = d.reason.to_string();
    assert!(
        text.starts_with(
            "code_completion p=0.97 → big: cheapest with code_completion quality ≥ 0.855 \
             (0.95 × best), est. $"
        ),
        "{text}"
    );
    // Formatted when shown, the same text everywhere.
    assert_eq!(format!("{}", d.reason), text);
    assert_eq!(format!("{:?}", d.reason), format!("{text:?}"));
    let json: serde_json::Value = serde_json::to_value(&d).unwrap();
    assert_eq!(json["reason"], text.as_str());
    let choice = p.choose_for(&CODE, "complete `def f(x):`").unwrap();
    let mut written = String::new();
    p.write_reason(&CODE, &choice, &mut written).unwrap();
    assert_eq!(written, text);
}
