//! Deterministic template generator of gateway-style prompts.
//!
//! Public benchmarks look nothing like what people send through an LLM gateway: terse
//! requests for jq filters and spreadsheet formulas, planning asks from finance or HR,
//! incident questions with pasted log lines, and a good share not in English. This module
//! writes such prompts from hand-written templates with varied slots, under five sources so
//! that the effect of each can be measured on its own:
//!
//! | source                | what                                                      |
//! |-----------------------|-----------------------------------------------------------|
//! | `synth_code_requests` | English requests for code in many languages and DSLs       |
//! | `synth_planning`      | English planning requests, work and personal, agent tasks  |
//! | `synth_reasoning`     | English word problems, logic, root cause, estimation       |
//! | `synth_multilingual`  | the three task labels in es, de, fr, pt, ja, zh, it, ko     |
//! | `synth_other`         | `other` (chat, translation, rewriting, look-ups ...): en, es, de, fr, ja, zh; few per template, since the hand-written and collected `other` data come first |
//!
//! The templates and slot pools are data, not code: `templates/LANG.toml` holds one language's
//! templates (a list per label), `templates/pools/*.toml` the slot pools (by theme, or by
//! language for natively written phrases; pool names are global), `templates/courtesy.toml`
//! the greetings and thanks of each language. They are compiled in (`include_str!`) and
//! parsed once; this module keeps the generator: which families exist, how many prompts each
//! template yields, how slots are drawn and how text is restyled.
//!
//! Every instantiation of one template shares `group` = the template id
//! (`synth-LANG-KIND-NNN`), so the pipeline's split-by-group puts each template wholly in one
//! split and the held-out splits measure unseen templates, not unseen slot values. The output
//! depends on nothing but this module and its template files: each template draws from its own
//! SplitMix64 stream seeded by a hash of its text, so editing one template leaves the others'
//! texts unchanged (ids are positional: append new templates at the end of their list to keep
//! ids stable, and expect `data/` to change when a pool changes). Templates were written fresh
//! for this project, not taken from benchmarks or the dev set.
//!
//! Template syntax: `{pool}` draws from a named slot pool; `{pool#2}` draws a second,
//! different value from the same pool; `{n:LO-HI}` draws an integer. Within one
//! instantiation a repeated placeholder repeats its value. After filling, the first line is
//! restyled as chat traffic is (greetings, thanks, lowercase, dropped punctuation, typos);
//! pasted code below it is left alone.
//!
//! ```
//! let prompts = promptyard_train::data::synth::generate();
//! assert!(prompts.iter().any(|p| p.source == "synth_multilingual"));
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

use crate::data::RawPrompt;
use crate::rng::Rng;
use promptyard::hash::fnv1a64;
use promptyard::label::Label;

/// Source of English requests for code.
pub const SOURCE_CODE: &str = "synth_code_requests";
/// Source of English planning requests.
pub const SOURCE_PLANNING: &str = "synth_planning";
/// Source of English reasoning requests.
pub const SOURCE_REASONING: &str = "synth_reasoning";
/// Source of non-English requests of the three task labels.
pub const SOURCE_MULTILINGUAL: &str = "synth_multilingual";
/// Source of `other` prompts (English and five other languages).
pub const SOURCE_OTHER: &str = "synth_other";

/// Global seed; changing it reshuffles every slot draw.
const SEED: u64 = 0x5EED_5717_C4A2_0261;

/// Templates of one language and label, written to one source.
struct Family {
    source: &'static str,
    /// ISO 639-1 code: the template file (`templates/LANG.toml`) and part of each template id.
    lang: &'static str,
    label: Label,
    /// Prompts wanted per template (fewer come out when the slots cannot make that many
    /// distinct texts).
    per_template: usize,
}

impl Family {
    /// This family's templates, in file order.
    fn templates(&self) -> &'static [String] {
        catalogue().templates(self.lang, self.label)
    }
}

/// Generates every synthetic prompt, in a fixed order.
pub fn generate() -> Vec<RawPrompt> {
    let mut out = Vec::new();
    for family in FAMILIES {
        let kind = label_tag(family.label);
        for (i, tpl) in family.templates().iter().enumerate() {
            // English sources hold one label each, the multilingual one no English and no
            // `other`, so `synth-lang-kind-nnn` is unique across all families.
            let id = format!("synth-{}-{kind}-{i:03}", family.lang);
            instantiate(family, &id, tpl, &mut out);
        }
    }
    out
}

/// Short label tag used in template ids.
fn label_tag(label: Label) -> &'static str {
    match label {
        Label::Planning => "plan",
        Label::Reasoning => "reason",
        Label::CodeCompletion => "code",
        Label::Other => "other",
    }
}

/// Language code (`en`, `es` ...) of a template id made by [`generate`]
/// (`synth-lang-kind-nnn`), for per-language counts and accuracy.
pub fn lang_of_group(group: &str) -> Option<&str> {
    group.split('-').nth(1)
}

fn instantiate(family: &Family, id: &str, tpl: &str, out: &mut Vec<RawPrompt>) {
    let mut rng = Rng(SEED ^ fnv1a64(tpl.as_bytes()));
    let mut seen = HashSet::new();
    // A template with few distinct fills would otherwise repeat itself in greetings only.
    let wanted = family.per_template.min(variety(tpl) * 3 / 2).max(1);
    let mut tries = 0;
    while seen.len() < wanted && tries < wanted * 4 {
        tries += 1;
        // A template naming an unknown pool is a bug caught by the tests; skip it here.
        let Ok(text) = fill(tpl, &mut rng) else {
            return;
        };
        let text = restyle(&text, family.lang, &mut rng);
        if seen.insert(text.clone()) {
            out.push(RawPrompt {
                text,
                label: family.label,
                source: family.source.to_string(),
                origin_id: format!("{id}#{}", seen.len() - 1),
                group: id.to_string(),
                canary: None,
            });
        }
    }
}

/// How many distinct texts the slots of `tpl` can make (saturating; unknown pools count 1).
fn variety(tpl: &str) -> usize {
    let mut keys: Vec<&str> = Vec::new();
    let mut rest = tpl;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        keys.push(&after[..end]);
        rest = &after[end + 1..];
    }
    keys.sort_unstable();
    keys.dedup();
    keys.iter().fold(1usize, |acc, key| {
        let name = key.split('#').next().unwrap_or(key);
        let n = match name.strip_prefix("n:").and_then(|r| r.split_once('-')) {
            Some((lo, hi)) => match (lo.parse::<usize>(), hi.parse::<usize>()) {
                (Ok(lo), Ok(hi)) => hi.saturating_sub(lo) + 1,
                _ => 1,
            },
            None => pool(name).map_or(1, <[String]>::len),
        };
        acc.saturating_mul(n)
    })
}

/// FNV-1a, 64-bit: a stable hash of the template text for its stream seed.
/// Fills every `{...}` placeholder of `tpl`; `Err` names a placeholder that has no pool.
fn fill(tpl: &str, rng: &mut Rng) -> Result<String, String> {
    let mut out = String::with_capacity(tpl.len() * 2);
    let mut memo: Vec<(&str, String)> = Vec::new();
    let mut rest = tpl;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after
            .find('}')
            .ok_or_else(|| format!("unclosed brace in {tpl:?}"))?;
        let key = &after[..end];
        let value = match memo.iter().find(|(k, _)| *k == key) {
            Some((_, v)) => v.clone(),
            None => {
                let taken: Vec<&str> = memo.iter().map(|(_, v)| v.as_str()).collect();
                let v = draw(key, &taken, rng)?;
                memo.push((key, v.clone()));
                v
            }
        };
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// One value for placeholder `key` (`pool`, `pool#k` or `n:LO-HI`), avoiding the values
/// in `taken` (those already drawn for this text) while the pool has others.
fn draw(key: &str, taken: &[&str], rng: &mut Rng) -> Result<String, String> {
    let name = key.split('#').next().unwrap_or(key);
    if let Some(range) = name.strip_prefix("n:") {
        let (lo, hi) = range
            .split_once('-')
            .ok_or_else(|| format!("bad range {key}"))?;
        let lo: u64 = lo.parse().map_err(|_| format!("bad range {key}"))?;
        let hi: u64 = hi.parse().map_err(|_| format!("bad range {key}"))?;
        if hi < lo {
            return Err(format!("bad range {key}"));
        }
        return Ok((lo + rng.next_u64() % (hi - lo + 1)).to_string());
    }
    let values = pool(name).ok_or_else(|| format!("unknown pool {name}"))?;
    // `{person}` and `{person#2}` must name two different people.
    let mut value = values[rng.below(values.len())].as_str();
    for _ in 0..values.len() * 4 {
        if !taken.contains(&value) {
            break;
        }
        value = values[rng.below(values.len())].as_str();
    }
    Ok(value.to_string())
}

/// Chat-style variation: greetings, thanks, lowercase, dropped punctuation and typos, as
/// real traffic has them. Only the first line is touched so pasted code stays intact.
fn restyle(text: &str, lang: &str, rng: &mut Rng) -> String {
    let (head, tail) = match text.find('\n') {
        Some(i) => (&text[..i], &text[i..]),
        None => (text, ""),
    };
    let mut head = head.to_string();
    let latin = !matches!(lang, "ja" | "zh" | "ko");
    if latin && rng.chance(15) {
        head = head.to_lowercase();
    }
    if latin && tail.is_empty() && rng.chance(12) && head.ends_with(['.', '?']) {
        head.pop();
        head.truncate(head.trim_end().len());
    }
    if lang == "en" && rng.chance(8) {
        head = typo(&head, rng);
    }
    let (greetings, thanks) = courtesy(lang);
    if rng.chance(15) {
        let greeting = &greetings[rng.below(greetings.len())];
        // "Hi, can you ..." rather than "Hi, Can you ..."; German keeps its capitals (nouns).
        if greeting.ends_with(", ")
            && latin
            && lang != "de"
            && !head.starts_with("I ")
            && !head.starts_with("I'")
        {
            head = lowercase_first(&head);
        }
        head = format!("{greeting}{head}");
    }
    let mut text = head + tail;
    if rng.chance(12) {
        let sep = if tail.is_empty() { " " } else { "\n" };
        text.push_str(sep);
        text.push_str(&thanks[rng.below(thanks.len())]);
    }
    text
}

/// Lowercases the first letter, skipping leading punctuation such as `¿`.
fn lowercase_first(s: &str) -> String {
    match s.char_indices().find(|(_, c)| c.is_alphabetic()) {
        Some((i, c)) => {
            let rest = &s[i + c.len_utf8()..];
            format!("{}{}{rest}", &s[..i], c.to_lowercase())
        }
        None => s.to_string(),
    }
}

/// Swaps two adjacent letters inside one longer ASCII word.
fn typo(s: &str, rng: &mut Rng) -> String {
    let words: Vec<&str> = s.split(' ').collect();
    let candidates: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].len() >= 5 && words[i].bytes().all(|b| b.is_ascii_alphabetic()))
        .collect();
    if candidates.is_empty() {
        return s.to_string();
    }
    let w = candidates[rng.below(candidates.len())];
    let mut bytes = words[w].as_bytes().to_vec();
    let at = 1 + rng.below(bytes.len() - 2);
    bytes.swap(at, at + 1);
    let swapped = String::from_utf8(bytes).unwrap_or_else(|_| words[w].to_string());
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    out[w] = swapped;
    out.join(" ")
}

/// The template files, one per language, with one list per label named as the label is
/// serialised (`planning`, `reasoning`, `code_completion`).
const TEMPLATE_FILES: &[(&str, &str)] = &[
    ("en", include_str!("../../templates/en.toml")),
    ("es", include_str!("../../templates/es.toml")),
    ("de", include_str!("../../templates/de.toml")),
    ("fr", include_str!("../../templates/fr.toml")),
    ("pt", include_str!("../../templates/pt.toml")),
    ("ja", include_str!("../../templates/ja.toml")),
    ("zh", include_str!("../../templates/zh.toml")),
    ("it", include_str!("../../templates/it.toml")),
    ("ko", include_str!("../../templates/ko.toml")),
];

/// The slot pool files, by theme (shared pools) or language (natively written phrases).
const POOL_FILES: &[(&str, &str)] = &[
    ("people", include_str!("../../templates/pools/people.toml")),
    (
        "programming",
        include_str!("../../templates/pools/programming.toml"),
    ),
    ("work", include_str!("../../templates/pools/work.toml")),
    (
        "reasoning",
        include_str!("../../templates/pools/reasoning.toml"),
    ),
    ("tech", include_str!("../../templates/pools/tech.toml")),
    ("places", include_str!("../../templates/pools/places.toml")),
    ("other", include_str!("../../templates/pools/other.toml")),
    ("es", include_str!("../../templates/pools/es.toml")),
    ("de", include_str!("../../templates/pools/de.toml")),
    ("fr", include_str!("../../templates/pools/fr.toml")),
    ("pt", include_str!("../../templates/pools/pt.toml")),
    ("ja", include_str!("../../templates/pools/ja.toml")),
    ("zh", include_str!("../../templates/pools/zh.toml")),
    ("it", include_str!("../../templates/pools/it.toml")),
    ("ko", include_str!("../../templates/pools/ko.toml")),
];

/// Greetings and thanks per language (`[LANG] greetings = [...] thanks = [...]`).
const COURTESY_FILE: &str = include_str!("../../templates/courtesy.toml");

/// Greeting prefixes and thank-you suffixes of one language.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Courtesy {
    greetings: Vec<String>,
    thanks: Vec<String>,
}

/// Every template, pool and courtesy phrase, parsed once from the embedded files.
struct Catalogue {
    /// `(lang, label)` → templates, in file order.
    templates: HashMap<(&'static str, Label), Vec<String>>,
    pools: HashMap<String, Vec<String>>,
    courtesy: HashMap<String, Courtesy>,
}

impl Catalogue {
    /// Parses the embedded files.
    ///
    /// # Panics
    /// On a malformed file, an unknown list name or a pool defined twice. The files are
    /// compiled in and parsed by this module's tests, so this cannot happen in a tested build.
    fn parse() -> Catalogue {
        let mut templates = HashMap::new();
        for &(lang, text) in TEMPLATE_FILES {
            let lists: BTreeMap<String, Vec<String>> =
                toml::from_str(text).unwrap_or_else(|e| panic!("templates/{lang}.toml: {e}"));
            for (kind, list) in lists {
                let label: Label = kind
                    .parse()
                    .unwrap_or_else(|e| panic!("templates/{lang}.toml: list {kind:?}: {e}"));
                templates.insert((lang, label), list);
            }
        }
        let mut pools = HashMap::new();
        for &(file, text) in POOL_FILES {
            let parsed: BTreeMap<String, Vec<String>> =
                toml::from_str(text).unwrap_or_else(|e| panic!("templates/pools/{file}.toml: {e}"));
            for (name, values) in parsed {
                assert!(
                    !values.is_empty(),
                    "templates/pools/{file}.toml: pool {name} is empty"
                );
                if pools.insert(name.clone(), values).is_some() {
                    panic!("templates/pools/{file}.toml: pool {name} is defined twice");
                }
            }
        }
        let courtesy: HashMap<String, Courtesy> = toml::from_str(COURTESY_FILE)
            .unwrap_or_else(|e| panic!("templates/courtesy.toml: {e}"));
        assert!(
            courtesy.contains_key("en"),
            "templates/courtesy.toml: no [en] table"
        );
        Catalogue {
            templates,
            pools,
            courtesy,
        }
    }

    /// The templates of one language and label (empty when there are none).
    fn templates(&self, lang: &'static str, label: Label) -> &[String] {
        self.templates
            .get(&(lang, label))
            .map_or(&[], Vec::as_slice)
    }
}

/// The parsed catalogue of templates, pools and courtesy phrases.
fn catalogue() -> &'static Catalogue {
    static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(Catalogue::parse);
    &CATALOGUE
}

/// Greeting prefixes and thank-you suffixes for `lang` (English where it has none).
fn courtesy(lang: &str) -> (&'static [String], &'static [String]) {
    let c = catalogue();
    let entry = c.courtesy.get(lang).unwrap_or(&c.courtesy["en"]);
    (&entry.greetings, &entry.thanks)
}

/// The values of a named slot pool.
fn pool(name: &str) -> Option<&'static [String]> {
    catalogue().pools.get(name).map(Vec::as_slice)
}

/// Every template family, in output order.
const FAMILIES: &[Family] = &[
    Family {
        source: SOURCE_CODE,
        lang: "en",
        label: Label::CodeCompletion,
        per_template: 26,
    },
    Family {
        source: SOURCE_PLANNING,
        lang: "en",
        label: Label::Planning,
        per_template: 28,
    },
    Family {
        source: SOURCE_REASONING,
        lang: "en",
        label: Label::Reasoning,
        per_template: 28,
    },
    multilingual("es", Label::CodeCompletion, 12),
    multilingual("es", Label::Planning, 12),
    multilingual("es", Label::Reasoning, 12),
    multilingual("de", Label::CodeCompletion, 12),
    multilingual("de", Label::Planning, 12),
    multilingual("de", Label::Reasoning, 12),
    multilingual("fr", Label::CodeCompletion, 12),
    multilingual("fr", Label::Planning, 12),
    multilingual("fr", Label::Reasoning, 12),
    multilingual("pt", Label::CodeCompletion, 12),
    multilingual("pt", Label::Planning, 12),
    multilingual("pt", Label::Reasoning, 12),
    multilingual("ja", Label::CodeCompletion, 12),
    multilingual("ja", Label::Planning, 12),
    multilingual("ja", Label::Reasoning, 12),
    multilingual("zh", Label::CodeCompletion, 12),
    multilingual("zh", Label::Planning, 12),
    multilingual("zh", Label::Reasoning, 12),
    multilingual("it", Label::CodeCompletion, 12),
    multilingual("it", Label::Planning, 12),
    multilingual("it", Label::Reasoning, 12),
    multilingual("ko", Label::CodeCompletion, 12),
    multilingual("ko", Label::Planning, 12),
    multilingual("ko", Label::Reasoning, 12),
    other("en", 8),
    other("es", 6),
    other("de", 6),
    other("fr", 6),
    other("ja", 6),
    other("zh", 6),
];

/// A family of the `other` source: few prompts per template, so that generated text stays a
/// minority of the class even before balancing caps it.
const fn other(lang: &'static str, per_template: usize) -> Family {
    Family {
        source: SOURCE_OTHER,
        lang,
        label: Label::Other,
        per_template,
    }
}

/// A family of the multilingual source.
const fn multilingual(lang: &'static str, label: Label, per_template: usize) -> Family {
    Family {
        source: SOURCE_MULTILINGUAL,
        lang,
        label,
        per_template,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use super::*;

    #[test]
    fn generation_is_deterministic() {
        assert_eq!(generate(), generate());
    }

    #[test]
    fn every_template_fills_without_leftover_placeholders() {
        for family in FAMILIES {
            for tpl in family.templates() {
                let text = fill(tpl, &mut Rng(1)).unwrap_or_else(|e| panic!("{e} in {tpl:?}"));
                assert!(!text.trim().is_empty(), "{tpl:?}");
            }
        }
    }

    #[test]
    fn no_empty_texts_and_ids_are_unique() {
        let prompts = generate();
        let mut ids = HashSet::new();
        for p in &prompts {
            assert!(!p.text.trim().is_empty(), "{}", p.origin_id);
            assert!(
                p.origin_id.starts_with(&p.group),
                "{} not in {}",
                p.origin_id,
                p.group
            );
            assert!(p.canary.is_none());
            assert!(
                ids.insert(p.origin_id.clone()),
                "duplicate id {}",
                p.origin_id
            );
        }
    }

    #[test]
    fn every_label_in_every_language_and_source() {
        let prompts = generate();
        let mut seen: HashSet<(&str, &str, Label)> = HashSet::new();
        for p in &prompts {
            seen.insert((p.source.as_str(), lang_of_group(&p.group).unwrap(), p.label));
        }
        for lang in ["es", "de", "fr", "pt", "ja", "zh", "it", "ko"] {
            for label in Label::LEGACY {
                assert!(
                    seen.contains(&(SOURCE_MULTILINGUAL, lang, label)),
                    "{lang} {label:?}"
                );
            }
        }
        for lang in ["en", "es", "de", "fr", "ja", "zh"] {
            assert!(seen.contains(&(SOURCE_OTHER, lang, Label::Other)), "{lang}");
        }
        assert!(seen.contains(&(SOURCE_CODE, "en", Label::CodeCompletion)));
        assert!(seen.contains(&(SOURCE_PLANNING, "en", Label::Planning)));
        assert!(seen.contains(&(SOURCE_REASONING, "en", Label::Reasoning)));
        // Each English source holds a single label, so its effect can be measured alone.
        for p in &prompts {
            match p.source.as_str() {
                SOURCE_CODE => assert_eq!(p.label, Label::CodeCompletion),
                SOURCE_PLANNING => assert_eq!(p.label, Label::Planning),
                SOURCE_REASONING => assert_eq!(p.label, Label::Reasoning),
                SOURCE_OTHER => assert_eq!(p.label, Label::Other),
                s => {
                    assert_eq!(s, SOURCE_MULTILINGUAL);
                    assert_ne!(p.label, Label::Other);
                }
            }
        }
    }

    #[test]
    fn many_templates_per_label_and_language() {
        let mut templates: HashMap<(&str, Label), usize> = HashMap::new();
        for f in FAMILIES {
            *templates.entry((f.lang, f.label)).or_default() += f.templates().len();
        }
        for label in Label::LEGACY {
            assert!(templates[&("en", label)] >= 40, "en {label:?}");
            for lang in ["es", "de", "fr", "pt", "ja", "zh"] {
                assert!(templates[&(lang, label)] >= 10, "{lang} {label:?}");
            }
        }
        // `other` is mostly hand-written and collected data; its templates are a supplement.
        assert!(templates[&("en", Label::Other)] >= 40);
        for lang in ["es", "de", "fr", "ja", "zh"] {
            assert!(templates[&(lang, Label::Other)] >= 8, "{lang}");
        }
    }

    #[test]
    fn few_duplicate_texts() {
        let prompts = generate();
        let distinct: HashSet<&str> = prompts.iter().map(|p| p.text.as_str()).collect();
        let dup = prompts.len() - distinct.len();
        assert!(
            dup * 100 <= prompts.len(),
            "{dup} duplicates in {}",
            prompts.len()
        );
        // Case-folded, too: the pipeline's normaliser may lowercase.
        let folded: HashSet<String> = prompts.iter().map(|p| p.text.to_lowercase()).collect();
        let dup = prompts.len() - folded.len();
        assert!(
            dup * 100 <= prompts.len() * 5,
            "{dup} case-folded duplicates"
        );
    }

    #[test]
    fn source_sizes_stay_moderate() {
        let prompts = generate();
        let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &prompts {
            *sizes.entry(p.source.as_str()).or_default() += 1;
        }
        for source in [SOURCE_CODE, SOURCE_PLANNING, SOURCE_REASONING] {
            let n = sizes[source];
            // Many templates, few instances each: variety is what generalises.
            assert!((1_000..=2_600).contains(&n), "{source}: {n}");
        }
        let n = sizes[SOURCE_MULTILINGUAL];
        assert!((2_500..=3_900).contains(&n), "{SOURCE_MULTILINGUAL}: {n}");
        // Capped small: the generated share of `other` must stay well below the real data.
        let n = sizes[SOURCE_OTHER];
        assert!((300..=700).contains(&n), "{SOURCE_OTHER}: {n}");
    }

    #[test]
    fn placeholders_repeat_their_value_and_ranges_stay_in_bounds() {
        let mut rng = Rng(7);
        for _ in 0..200 {
            let text = fill("{city} {city} {n:3-5}", &mut rng).unwrap();
            let parts: Vec<&str> = text.rsplitn(2, ' ').collect();
            let n: u64 = parts[0].parse().unwrap();
            assert!((3..=5).contains(&n), "{n}");
            let half = parts[1].len() / 2;
            assert_eq!(&parts[1][..half], &parts[1][half + 1..], "{text}");
        }
        for _ in 0..200 {
            let text = fill("{person}|{person#2}|{person#3}", &mut rng).unwrap();
            let names: HashSet<&str> = text.split('|').collect();
            assert_eq!(names.len(), 3, "{text}");
        }
        assert!(fill("{no_such_pool}", &mut rng).is_err());
        assert!(fill("{n:9-1}", &mut rng).is_err());
        assert!(fill("{city", &mut rng).is_err());
    }

    #[test]
    fn every_template_list_has_a_family_and_every_family_its_list() {
        for f in FAMILIES {
            assert!(!f.templates().is_empty(), "{} {:?}", f.lang, f.label);
        }
        for &(lang, label) in catalogue().templates.keys() {
            assert!(
                FAMILIES.iter().any(|f| f.lang == lang && f.label == label),
                "templates/{lang}.toml: {label:?} has no family"
            );
        }
        for lang in catalogue().courtesy.keys() {
            assert!(TEMPLATE_FILES.iter().any(|(l, _)| l == lang), "{lang}");
        }
    }

    #[test]
    fn every_pool_is_drawn_by_some_template() {
        let all: String = FAMILIES
            .iter()
            .flat_map(|f| f.templates())
            .map(String::as_str)
            .collect();
        let unused: Vec<&str> = catalogue()
            .pools
            .keys()
            .map(String::as_str)
            .filter(|name| {
                !all.contains(&format!("{{{name}}}")) && !all.contains(&format!("{{{name}#"))
            })
            .collect();
        assert!(unused.is_empty(), "unused pools: {unused:?}");
    }

    #[test]
    fn restyle_keeps_pasted_code_intact() {
        let text = "fix this:\ndef F(X):\n    return X";
        let mut rng = Rng(3);
        for _ in 0..300 {
            let out = restyle(text, "en", &mut rng);
            assert!(out.contains("\ndef F(X):\n    return X"), "{out:?}");
        }
    }
}
