//! Each catalog validation error names the file, the line and the field.

use std::path::Path;

use promptyard::catalog::Catalog;
use promptyard::{Error, Label};

const POLICY: &str = r#"[policy]
min_quality = { planning = 0.80, reasoning = 0.80, code_completion = 0.75 }
expected_output_tokens = { planning = 800, reasoning = 500, code_completion = 300 }
plausible_label_floor = 0.20
"#;

/// A valid model table; `extra` is spliced in as its last lines.
fn model(id: &str, extra: &str) -> String {
    format!(
        r#"
[[model]]
id = "{id}"
provider = "acme"
input_usd_per_mtok = 1.0
output_usd_per_mtok = 2.0
context_tokens = 100000
quality = {{ planning = 0.9, reasoning = 0.9, code_completion = 0.9 }}
{extra}"#
    )
}

/// Parses `text` and returns (line, field, msg) of the expected catalog error.
fn catalog_err(text: &str) -> (usize, String, String) {
    match Catalog::parse(text, "test.toml") {
        Err(Error::Catalog {
            path,
            line,
            field,
            msg,
        }) => {
            assert_eq!(path, Path::new("test.toml"));
            (line, field, msg)
        }
        Err(other) => panic!("expected a catalog error, got {other:?}"),
        Ok(_) => panic!("expected a catalog error, the catalog was accepted:\n{text}"),
    }
}

/// 1-based line of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    let at = text.find(needle).expect("needle in text");
    text[..at].matches('\n').count() + 1
}

#[test]
fn a_valid_catalog_parses_with_integer_prices_and_optional_fields() {
    let text = format!(
        "{POLICY}{}",
        model(
            "a",
            "api_id = \"acme.a-v1\"\nenabled = true\ntags = [\"x\"]\nlatency_ms = 300"
        )
    )
    .replace("input_usd_per_mtok = 1.0", "input_usd_per_mtok = 1");
    let c = Catalog::parse(&text, "test.toml").unwrap();
    let m = c.model("a").unwrap();
    assert_eq!(m.input_usd_per_mtok, 1.0);
    assert_eq!(m.api_id.as_deref(), Some("acme.a-v1"));
    assert_eq!(m.latency_ms, Some(300));
    assert!(m.eligible);
    assert_eq!(c.settings().min_quality(Label::CodeCompletion), 0.75);
    assert_eq!(c.settings().expected_output_tokens(Label::Planning), 800);
    assert_eq!(c.settings().max_fallbacks, 3);
}

#[test]
fn unknown_key_in_a_model() {
    let text = format!("{POLICY}{}", model("a", "colour = \"blue\""));
    let (line, field, msg) = catalog_err(&text);
    assert_eq!((line, field.as_str()), (line_of(&text, "colour"), "colour"));
    assert!(msg.contains("unknown field"), "{msg}");
}

#[test]
fn unknown_key_in_policy_and_in_a_quality_table() {
    let text = format!("{POLICY}cheapest = true\n{}", model("a", ""));
    let (line, field, _) = catalog_err(&text);
    assert_eq!(
        (line, field.as_str()),
        (line_of(&text, "cheapest"), "cheapest")
    );

    let text = format!("{POLICY}{}", model("a", "")).replace(
        "code_completion = 0.9 }",
        "code_completion = 0.9, chat = 0.5 }",
    );
    let (line, field, _) = catalog_err(&text);
    assert_eq!((line, field.as_str()), (line_of(&text, "chat ="), "chat"));
}

#[test]
fn missing_price() {
    let text = format!("{POLICY}{}", model("a", "")).replace("output_usd_per_mtok = 2.0\n", "");
    let (line, field, msg) = catalog_err(&text);
    assert_eq!(field, "output_usd_per_mtok");
    assert!(msg.contains("missing field"), "{msg}");
    // toml reports a missing key at the table that lacks it.
    assert_eq!(line, line_of(&text, "[[model]]"));
}

#[test]
fn negative_price() {
    let b = model("b", "").replace("input_usd_per_mtok = 1.0", "input_usd_per_mtok = -0.5");
    let text = format!("{POLICY}{}{b}", model("a", ""));
    let (line, field, msg) = catalog_err(&text);
    assert_eq!(
        (line, field.as_str()),
        (line_of(&text, "-0.5"), "model[1].input_usd_per_mtok")
    );
    assert!(msg.contains("non-negative"), "{msg}");
}

#[test]
fn negative_price_in_a_file_names_the_file() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/catalogs/bad_negative_price.toml");
    let err = Catalog::load(&path).unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.starts_with(&format!(
            "catalog {}:9: model[0].input_usd_per_mtok:",
            path.display()
        )),
        "{shown}"
    );
}

#[test]
fn price_of_the_wrong_type() {
    let text = format!("{POLICY}{}", model("a", ""))
        .replace("output_usd_per_mtok = 2.0", "output_usd_per_mtok = \"2\"");
    let (line, field, _) = catalog_err(&text);
    assert_eq!(
        (line, field.as_str()),
        (line_of(&text, "output_usd_per_mtok"), "output_usd_per_mtok")
    );
}

#[test]
fn quality_outside_zero_one() {
    let text = format!("{POLICY}{}", model("a", "")).replace("reasoning = 0.9", "reasoning = 1.5");
    let (line, field, msg) = catalog_err(&text);
    assert_eq!(
        (line, field.as_str()),
        (line_of(&text, "1.5"), "model[0].quality.reasoning")
    );
    assert!(msg.contains("between 0 and 1"), "{msg}");

    let text = format!("{POLICY}{}", model("a", "")).replace("planning = 0.80", "planning = -0.1");
    let (line, field, _) = catalog_err(&text);
    assert_eq!((line, field.as_str()), (2, "policy.min_quality.planning"));

    let text = format!("{POLICY}{}", model("a", "")).replace("floor = 0.20", "floor = 2");
    let (line, field, _) = catalog_err(&text);
    assert_eq!((line, field.as_str()), (4, "policy.plausible_label_floor"));
}

#[test]
fn duplicate_ids() {
    let text = format!("{POLICY}{}{}", model("a", ""), model("a", ""));
    let (line, field, msg) = catalog_err(&text);
    let second = text.rfind("id = \"a\"").unwrap();
    assert_eq!(line, text[..second].matches('\n').count() + 1);
    assert_eq!(field, "model[1].id");
    assert!(
        msg.contains(&format!(
            "first defined on line {}",
            line_of(&text, "id = \"a\"")
        )),
        "{msg}"
    );
}

#[test]
fn a_label_no_model_can_serve() {
    let text = format!("{POLICY}{}", model("a", ""))
        .replace("code_completion = 0.75", "code_completion = 0.95");
    let (line, field, msg) = catalog_err(&text);
    assert_eq!(
        (line, field.as_str()),
        (2, "policy.min_quality.code_completion")
    );
    assert!(msg.contains("best is a at 0.9"), "{msg}");

    // Disabled and denied models do not count.
    let text = format!("{POLICY}{}", model("a", "enabled = false"));
    let (_, field, msg) = catalog_err(&text);
    assert_eq!(field, "policy.min_quality.planning");
    assert!(msg.contains("no eligible models"), "{msg}");

    let text = format!("{POLICY}deny = [\"acme\"]\n{}", model("a", ""));
    let (_, field, _) = catalog_err(&text);
    assert_eq!(field, "policy.min_quality.planning");

    // No models at all.
    let (_, field, _) = catalog_err(POLICY);
    assert_eq!(field, "policy.min_quality.planning");
}

#[test]
fn allow_and_deny_entries_must_name_a_provider_or_model() {
    let text = format!("{POLICY}allow = [\"acme\", \"acmee\"]\n{}", model("a", ""));
    let (line, field, msg) = catalog_err(&text);
    assert_eq!((line, field.as_str()), (5, "policy.allow"));
    assert!(msg.contains("\"acmee\""), "{msg}");

    let text = format!("{POLICY}deny = [\"zz\"]\n{}", model("a", ""));
    let (_, field, _) = catalog_err(&text);
    assert_eq!(field, "policy.deny");
}

#[test]
fn default_model_must_exist_and_be_eligible() {
    let text = format!("{POLICY}default_model = \"nope\"\n{}", model("a", ""));
    let (line, field, _) = catalog_err(&text);
    assert_eq!((line, field.as_str()), (5, "policy.default_model"));

    let text = format!(
        "{POLICY}default_model = \"b\"\n{}{}",
        model("a", ""),
        model("b", "enabled = false")
    );
    let (_, field, msg) = catalog_err(&text);
    assert_eq!(field, "policy.default_model");
    assert!(msg.contains("disabled"), "{msg}");
}

#[test]
fn other_bounds() {
    let text = format!("{POLICY}max_fallbacks = 9\n{}", model("a", ""));
    let (line, field, _) = catalog_err(&text);
    assert_eq!((line, field.as_str()), (5, "policy.max_fallbacks"));

    let text = format!("{POLICY}adequacy_weight = 1.5\n{}", model("a", ""));
    let (line, field, msg) = catalog_err(&text);
    assert_eq!((line, field.as_str()), (5, "policy.adequacy_weight"));
    assert!(msg.contains("[0, 1]"), "{msg}");
    let ok = format!("{POLICY}adequacy_weight = 0.3\n{}", model("a", ""));
    let catalog = promptyard::Catalog::parse(&ok, "ok.toml").unwrap();
    assert_eq!(catalog.settings().adequacy_weight, Some(0.3));

    let text = format!("{POLICY}{}", model("a", ""))
        .replace("context_tokens = 100000", "context_tokens = 0");
    let (_, field, _) = catalog_err(&text);
    assert_eq!(field, "model[0].context_tokens");

    let text = format!("{POLICY}{}", model("", ""));
    let (_, field, _) = catalog_err(&text);
    assert_eq!(field, "model[0].id");

    let (line, field, _) = catalog_err("[policy\n");
    assert_eq!(line, 1);
    assert!(!field.is_empty());
}

#[test]
fn missing_policy_table() {
    let text = model("a", "");
    let (_, field, msg) = catalog_err(&text);
    assert_eq!(field, "policy");
    assert!(msg.contains("missing field"), "{msg}");
}
