//! Regression tests for the runtime crate's hardening (issue 12): inputs that used to panic,
//! take quadratic time, or answer wrongly without a word.

use std::time::Instant;

use promptyard::catalog::Catalog;
use promptyard::classifier::Classifier;
use promptyard::features::FeaturizerConfig;
use promptyard::model::{ModelConfig, ModelFile};
use promptyard::router::Router;
use promptyard::Error;

const POLICY: &str = r#"[policy]
min_quality = { planning = 0.8, reasoning = 0.8, code_completion = 0.75 }
expected_output_tokens = { planning = 800, reasoning = 500, code_completion = 300 }
plausible_label_floor = 0.2
"#;

fn model(id: &str, input: &str, context: u64) -> String {
    format!(
        "[[model]]\nid = \"{id}\"\nprovider = \"p\"\ninput_usd_per_mtok = {input}\n\
         output_usd_per_mtok = 1.0\ncontext_tokens = {context}\n\
         quality = {{ planning = 0.9, reasoning = 0.9, code_completion = 0.9 }}\n"
    )
}

fn catalog_error(text: &str) -> (usize, String, String) {
    match Catalog::parse(text, "t.toml") {
        Err(Error::Catalog {
            line, field, msg, ..
        }) => (line, field, msg),
        Err(e) => panic!("not a catalog error: {e}"),
        Ok(_) => panic!("accepted:\n{text}"),
    }
}

#[test]
fn catalog_with_a_multibyte_char_before_an_equals_sign_is_an_error_not_a_panic() {
    // `key_before` used to slice inside `→` and panic, so a reload could take down a service.
    let (_, _, msg) = catalog_error("# a→=\x01");
    assert!(!msg.is_empty());
    let (line, _, _) = catalog_error("[policy]\nmin_quality→ = 3\n");
    assert_eq!(line, 2);
}

#[test]
fn catalog_control_character_in_a_comment_gets_a_message() {
    let (line, _, msg) = catalog_error(&format!("{POLICY}# a comment with \x07 a bell\n"));
    assert_eq!(line, 5);
    assert!(msg.contains("control character U+0007"), "{msg}");
}

#[test]
fn catalog_price_that_makes_costs_infinite_is_refused() {
    let text = format!("{POLICY}{}", model("m", "1e308", 200000));
    let (line, field, msg) = catalog_error(&text);
    assert_eq!((line, field.as_str()), (8, "model[0].input_usd_per_mtok"));
    assert!(msg.contains("above the limit"), "{msg}");
    // The largest accepted price still gives finite costs at any token count.
    let ok = Catalog::parse(&format!("{POLICY}{}", model("m", "1e6", 200000)), "t").unwrap();
    assert!(ok.models()[0].cost_usd(u64::MAX, u64::MAX).is_finite());
}

#[test]
fn catalog_expected_output_larger_than_every_context_window_is_refused() {
    let text = format!("{POLICY}{}{}", model("a", "1", 700), model("b", "2", 800));
    let (line, field, msg) = catalog_error(&text);
    assert_eq!(line, 3);
    assert_eq!(field, "policy.expected_output_tokens.planning");
    assert!(msg.contains("the largest holds 800"), "{msg}");
    // One token of room is enough to load.
    Catalog::parse(&format!("{POLICY}{}", model("a", "1", 801)), "t").unwrap();
}

/// `n` models, one line each for the fields a catalog needs.
fn big_catalog(n: usize) -> String {
    let mut s = String::from(POLICY);
    for i in 0..n {
        s += &model(&format!("m{i}"), "1.5", 128000);
    }
    s
}

#[test]
fn catalog_load_time_is_linear_in_the_number_of_models() {
    // Line lookups rescanned the file per model: 20k models took 12-18 s. Now a load of
    // 100k models takes ~1 s in release (`cargo run --release --example catalog_load`);
    // this debug-build test only checks the growth is about linear.
    let time = |n: usize| {
        let text = big_catalog(n);
        let t = Instant::now();
        let c = Catalog::parse(&text, "big.toml").unwrap();
        assert_eq!(c.models().len(), n);
        t.elapsed().as_secs_f64()
    };
    let small = time(5_000);
    let large = time(40_000);
    assert!(
        large < small * 8.0 * 3.0 + 0.5,
        "5k models: {small:.3} s, 40k: {large:.3} s (quadratic?)"
    );
}

/// A 2-bucket model: every feature lands on a row with these values.
fn tiny_model(embedding: f32, weight: f32, bias: [f32; 4], temperature: f32) -> ModelFile {
    let featurizer = FeaturizerConfig {
        buckets: 2,
        ..FeaturizerConfig::default()
    };
    let mut config = ModelConfig::new(featurizer, 1);
    config.temperature = temperature;
    ModelFile::from_f32(
        config,
        &[embedding, -embedding],
        &[weight, -weight, 0.0, 0.0],
        &bias,
    )
    .unwrap()
}

#[test]
fn model_whose_finite_weights_overflow_is_refused_at_load() {
    let prompt = "plan plan plan plan plan plan plan plan plan plan ".repeat(20);
    for (what, file) in [
        // E·Wᵀ = 6.5e37 per feature is finite; the sum over a prompt's features is not.
        ("summed rows", tiny_model(65504.0, 1e33, [0.0; 4], 1.0)),
        ("temperature", tiny_model(1.0, 4.0, [0.0; 4], 1e-38)),
        ("bias", tiny_model(1.0, 1.0, [3e38, -3e38, 0.0, 0.0], 1.0)),
    ] {
        match Classifier::from_file(&file, "tiny") {
            Err(Error::Model { msg, .. }) => assert!(msg.contains("overflow"), "{what}: {msg}"),
            Err(e) => panic!("{what}: {e}"),
            Ok(c) => panic!("{what}: loaded; predicts {:?}", c.predict(&prompt)),
        }
    }
    // Large but safe weights still load and predict finite probabilities.
    let c =
        Classifier::from_file(&tiny_model(100.0, 1e3, [5.0, 0.0, -5.0, 0.0], 0.01), "ok").unwrap();
    let p = c.predict(&prompt);
    assert!(p.iter().all(|x| x.is_finite()), "{p:?}");
}

#[test]
fn router_decide_refuses_probabilities_that_are_not_a_distribution() {
    let router = Router::new().unwrap();
    for probs in [
        [f32::NAN, 0.5, 0.5, 0.0],
        [-0.5, 0.5, 1.0, 0.0],
        [f32::INFINITY, 0.0, 0.0, 0.0],
        [0.2, 0.2, 0.2, 0.2],
        [1.0, 1.0, 1.0, 0.0],
    ] {
        match router.decide(&probs, "why?") {
            Err(Error::InvalidProbs { probs: got, msg }) => {
                assert_eq!(got.len(), 4, "{msg}");
            }
            other => panic!("{probs:?}: {other:?}"),
        }
    }
    // Rounded to a few digits is still a distribution.
    router.decide(&[0.25, 0.333, 0.083, 0.334], "why?").unwrap();
}
