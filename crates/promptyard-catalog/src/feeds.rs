//! Price feeds: a genai-prices v2 data feed or a LiteLLM price map, read into one normalised
//! list of [`PriceRecord`]s.
//!
//! The format is detected from the JSON's shape: genai-prices is an array of providers, each
//! with `id` and `models`; LiteLLM is an object keyed by model id whose entries carry
//! `litellm_provider`. Prices are normalised to USD per million tokens (LiteLLM's per-token
//! prices × 10⁶, rounded to 10⁻⁶ USD/MTok to drop float noise such as `0.19999999999999998`).
//!
//! | normalised          | genai-prices v2                              | LiteLLM                                       |
//! |---------------------|----------------------------------------------|-----------------------------------------------|
//! | `provider`          | provider `id` (`anthropic`, `aws`, …)        | `litellm_provider` (`bedrock_converse`, …)    |
//! | `key`               | `{provider}/{model id}`                      | the map key (`gemini/gemini-3.8-flash`)       |
//! | `id`                | model `id`                                   | the key after its last `/`                    |
//! | `aliases`, `rule`   | `equals` values of `match`; the whole clause | —                                             |
//! | `prices`            | the unconstrained `prices` entry             | `input_cost_per_token`, `output_cost_per_token` |
//! | `prices.tiers`      | `{base, tiers: [{start, price}]}`            | `…_cost_per_token_above_{N}k_tokens`          |
//! | `scheduled`         | entries with `constraint: {start_date}`      | — (no effective dates)                        |
//! | `context_tokens`    | `context_window`                             | `max_input_tokens`                            |
//! | `prices_checked`    | `prices_checked` where present, else the snapshot date given | the snapshot date given      |
//!
//! Only text prices are read (no cache, audio, image or batch prices); LiteLLM entries whose
//! `mode` is not `chat`, `completion` or `responses` are skipped, and so are entries without
//! both an input and an output price. genai-prices' time-of-day prices (DeepSeek's off-peak
//! discount) are ignored: the unconstrained price is the list price.
//!
//! ```
//! use promptyard_catalog::feeds::{Feed, FeedFormat};
//! use promptyard_catalog::Date;
//!
//! let json = r#"{"m-1": {"litellm_provider": "openai", "mode": "chat",
//!                "input_cost_per_token": 2e-7, "output_cost_per_token": 1.2e-6,
//!                "max_input_tokens": 272000}}"#;
//! let feed = Feed::parse(json, "prices.json", Some("2026-11-02".parse::<Date>()?))?;
//! assert_eq!(feed.format, FeedFormat::LiteLlm);
//! let m = &feed.records[0];
//! assert_eq!((m.prices.input_per_mtok, m.prices.output_per_mtok), (0.2, 1.2));
//! # Ok::<(), promptyard_catalog::Error>(())
//! ```

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::date::Date;
use crate::error::{Error, Result};

/// Which database a feed file comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedFormat {
    /// pydantic's genai-prices v2 data feed (`prices/new_data/v2/data.json`).
    GenaiPrices,
    /// LiteLLM's `model_prices_and_context_window.json`.
    LiteLlm,
}

impl FeedFormat {
    /// Short name recorded in `prices_source`: `genai-prices` or `litellm`.
    pub fn name(self) -> &'static str {
        match self {
            FeedFormat::GenaiPrices => "genai-prices",
            FeedFormat::LiteLlm => "litellm",
        }
    }
}

/// Text prices in USD per million tokens, with long-prompt tiers.
#[derive(Clone, Debug, PartialEq)]
pub struct Prices {
    /// Input (prompt) price, USD per million tokens.
    pub input_per_mtok: f64,
    /// Output (completion) price, USD per million tokens.
    pub output_per_mtok: f64,
    /// Tiers ascending by threshold; empty for one price over the whole window.
    pub tiers: Vec<Tier>,
}

/// Prices for prompts of more than `above_input_tokens` input tokens (all tokens pay them).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tier {
    /// The tier applies above this many input tokens.
    pub above_input_tokens: u64,
    /// Input price in the tier, USD per million tokens.
    pub input_per_mtok: f64,
    /// Output price in the tier, USD per million tokens.
    pub output_per_mtok: f64,
}

/// genai-prices' boolean rule for which API model ids a price entry covers.
#[derive(Clone, Debug, PartialEq)]
pub enum MatchRule {
    /// The id is exactly this.
    Equals(String),
    /// The id starts with this.
    StartsWith(String),
    /// The id ends with this.
    EndsWith(String),
    /// The id contains this.
    Contains(String),
    /// The id matches this regular expression (kept, not evaluated).
    Regex(String),
    /// Any clause matches.
    Or(Vec<MatchRule>),
    /// Every clause matches.
    And(Vec<MatchRule>),
}

impl MatchRule {
    /// Whether `id` satisfies the rule; `None` when that depends on a regex clause.
    pub fn matches(&self, id: &str) -> Option<bool> {
        match self {
            MatchRule::Equals(s) => Some(id == s),
            MatchRule::StartsWith(s) => Some(id.starts_with(s.as_str())),
            MatchRule::EndsWith(s) => Some(id.ends_with(s.as_str())),
            MatchRule::Contains(s) => Some(id.contains(s.as_str())),
            MatchRule::Regex(_) => None,
            MatchRule::Or(v) => v
                .iter()
                .try_fold(false, |acc, r| Some(acc || r.matches(id)?)),
            MatchRule::And(v) => v
                .iter()
                .try_fold(true, |acc, r| Some(acc && r.matches(id)?)),
        }
    }

    fn equals_into(&self, out: &mut Vec<String>) {
        match self {
            MatchRule::Equals(s) => out.push(s.clone()),
            MatchRule::Or(v) => v.iter().for_each(|r| r.equals_into(out)),
            _ => {}
        }
    }
}

/// One model's prices in one feed.
#[derive(Clone, Debug, PartialEq)]
pub struct PriceRecord {
    /// The feed's provider name (`anthropic`, `aws`, `bedrock_converse`, `gemini`, …).
    pub provider: String,
    /// The provider folded to the vendor or platform a catalog names: `bedrock` for AWS
    /// Bedrock, `google` for Gemini and Vertex AI, else the provider name.
    pub platform: String,
    /// The model id within the provider.
    pub id: String,
    /// Unique key within the feed (what a catalog's `price_key` names).
    pub key: String,
    /// Other exact ids the feed says this price covers.
    pub aliases: Vec<String>,
    /// genai-prices' full match rule, if any (informational: matching uses exact ids).
    pub rule: Option<MatchRule>,
    /// The prices in effect without a date constraint.
    pub prices: Prices,
    /// Prices that take effect on a date, ascending by date.
    pub scheduled: Vec<(Date, Prices)>,
    /// Context window (maximum input tokens), if the feed gives one.
    pub context_tokens: Option<u64>,
    /// When the feed's maintainers last checked this price, if the feed says.
    pub prices_checked: Option<Date>,
    /// The date the vendor retires the model, if the feed says (LiteLLM).
    pub deprecation_date: Option<Date>,
}

impl PriceRecord {
    /// The prices in effect on `date`: the latest scheduled entry on or before it, else
    /// [`PriceRecord::prices`].
    pub fn price_on(&self, date: Date) -> &Prices {
        self.scheduled
            .iter()
            .rev()
            .find(|(start, _)| *start <= date)
            .map_or(&self.prices, |(_, p)| p)
    }

    /// Scheduled changes that take effect after `date`, ascending.
    pub fn upcoming(&self, date: Date) -> impl Iterator<Item = &(Date, Prices)> + '_ {
        self.scheduled
            .iter()
            .filter(move |(start, _)| *start > date)
    }
}

/// Where a feed came from: database name, snapshot date, file.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// `genai-prices` or `litellm`.
    pub name: String,
    /// When the snapshot was taken, as given by the caller.
    pub snapshot: Option<Date>,
    /// The file read.
    pub path: PathBuf,
}

impl Source {
    /// What `prices_source` records: `"litellm 2026-11-02"` (or just the name when undated).
    pub fn label(&self) -> String {
        match self.snapshot {
            Some(d) => format!("{} {d}", self.name),
            None => self.name.clone(),
        }
    }
}

/// A parsed price feed.
#[derive(Clone, Debug)]
pub struct Feed {
    /// Which database.
    pub format: FeedFormat,
    /// Name, snapshot date and file.
    pub source: Source,
    /// Every text-priced model, in file order.
    pub records: Vec<PriceRecord>,
}

impl Feed {
    /// Reads a feed file. `snapshot` is the date the file was taken from its database; it is
    /// required unless every record carries its own `prices_checked` date.
    pub fn load(path: impl AsRef<Path>, snapshot: Option<Date>) -> Result<Feed> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Feed::parse(&text, path, snapshot)
    }

    /// Parses feed JSON; `path` names the source in errors and in [`Source`].
    pub fn parse(text: &str, path: impl Into<PathBuf>, snapshot: Option<Date>) -> Result<Feed> {
        let path = path.into();
        let json: Value = serde_json::from_str(text).map_err(|e| Error::Json {
            path: path.clone(),
            line: e.line(),
            column: e.column(),
            msg: e.to_string(),
        })?;
        let format = detect(&json).map_err(|msg| Error::UnknownFeed {
            path: path.clone(),
            msg,
        })?;
        let records = match format {
            FeedFormat::GenaiPrices => genai::records(&json, &path)?,
            FeedFormat::LiteLlm => litellm::records(&json, &path)?,
        };
        if snapshot.is_none() && records.iter().any(|r| r.prices_checked.is_none()) {
            return Err(Error::Usage {
                path,
                msg: format!(
                    "this {} feed has no prices_checked dates: give the date the snapshot was taken",
                    format.name()
                ),
            });
        }
        Ok(Feed {
            format,
            source: Source {
                name: format.name().to_string(),
                snapshot,
                path,
            },
            records,
        })
    }

    /// The date a record's prices were checked: its own date, else the snapshot's.
    pub fn checked(&self, record: &PriceRecord) -> Option<Date> {
        record.prices_checked.or(self.source.snapshot)
    }
}

/// Which format `json` is, or what it looks like instead.
fn detect(json: &Value) -> std::result::Result<FeedFormat, String> {
    const EXPECTED: &str = "expected a genai-prices v2 data feed (a JSON array of providers, \
                            each with `id` and `models`) or a LiteLLM price map (a JSON object \
                            of models, each with `litellm_provider`)";
    match json {
        Value::Array(items) => {
            let providers = items.iter().all(|p| {
                p.get("id").is_some_and(Value::is_string)
                    && p.get("models").is_some_and(Value::is_array)
            });
            if !items.is_empty() && providers {
                Ok(FeedFormat::GenaiPrices)
            } else {
                Err(format!(
                    "a JSON array whose items are not providers; {EXPECTED}"
                ))
            }
        }
        Value::Object(map) => {
            let litellm = map
                .values()
                .filter(|v| v.is_object())
                .any(|v| v.get("litellm_provider").is_some());
            if litellm {
                Ok(FeedFormat::LiteLlm)
            } else {
                Err(format!(
                    "a JSON object without `litellm_provider` entries; {EXPECTED}"
                ))
            }
        }
        other => Err(format!("a JSON {}; {EXPECTED}", kind(other))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Folds a feed's provider name to the vendor/platform names a catalog uses.
fn platform(provider: &str) -> String {
    match provider {
        "aws" | "bedrock" | "bedrock_converse" => "bedrock",
        "google" | "gemini" | "vertex_ai" | "vertex_ai-language-models" => "google",
        "x-ai" | "xai" => "xai",
        other => other,
    }
    .to_string()
}

/// USD per million tokens, rounded to 10⁻⁶ to drop float noise.
fn round_mtok(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn feed_err(path: &Path, field: impl Into<String>, msg: impl Into<String>) -> Error {
    Error::Feed {
        path: path.to_path_buf(),
        field: field.into(),
        msg: msg.into(),
    }
}

/// Parsing of pydantic's genai-prices v2 data feed.
mod genai {
    use super::*;

    pub(super) fn records(json: &Value, path: &Path) -> Result<Vec<PriceRecord>> {
        let mut out = Vec::new();
        for (pi, provider) in json.as_array().into_iter().flatten().enumerate() {
            let pid = provider["id"].as_str().unwrap_or_default();
            for (mi, model) in provider["models"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                let at = format!("[{pi}].models[{mi}]");
                if let Some(r) = record(pid, model, path, &at)? {
                    out.push(r);
                }
            }
        }
        Ok(out)
    }

    fn record(pid: &str, model: &Value, path: &Path, at: &str) -> Result<Option<PriceRecord>> {
        let id = model["id"]
            .as_str()
            .ok_or_else(|| feed_err(path, format!("{at}.id"), "missing or not a string"))?;
        let rule = match model.get("match") {
            Some(m) => Some(rule(m, path, &format!("{at}.match"))?),
            None => None,
        };
        let mut aliases = Vec::new();
        if let Some(r) = &rule {
            r.equals_into(&mut aliases);
        }
        aliases.retain(|a| a != id);
        let mut base: Option<Prices> = None;
        let mut scheduled = Vec::new();
        match &model["prices"] {
            Value::Object(p) => base = prices(p, path, &format!("{at}.prices"))?,
            Value::Array(list) => {
                for (ci, cond) in list.iter().enumerate() {
                    let cat = format!("{at}.prices[{ci}]");
                    let Some(p) = cond["prices"].as_object() else {
                        return Err(feed_err(
                            path,
                            format!("{cat}.prices"),
                            "missing or not an object",
                        ));
                    };
                    let Some(p) = prices(p, path, &format!("{cat}.prices"))? else {
                        continue;
                    };
                    match cond.get("constraint") {
                        None | Some(Value::Null) => base = Some(p),
                        // Time-of-day prices (off-peak discounts, no start date) are not
                        // list prices.
                        Some(c) => {
                            if let Some(d) = c.get("start_date") {
                                let d = date(d, path, &format!("{cat}.constraint.start_date"))?;
                                scheduled.push((d, p));
                            }
                        }
                    }
                }
            }
            _ => {
                return Err(feed_err(
                    path,
                    format!("{at}.prices"),
                    "missing or not an object or array",
                ))
            }
        }
        scheduled.sort_by_key(|(d, _)| *d);
        let base = match base {
            Some(b) => b,
            // Only dated prices: the earliest stands for the time before it.
            None if !scheduled.is_empty() => scheduled.remove(0).1,
            None => return Ok(None),
        };
        let prices_checked = match model.get("prices_checked") {
            Some(d) => Some(date(d, path, &format!("{at}.prices_checked"))?),
            None => None,
        };
        Ok(Some(PriceRecord {
            provider: pid.to_string(),
            platform: platform(pid),
            id: id.to_string(),
            key: format!("{pid}/{id}"),
            aliases,
            rule,
            prices: base,
            scheduled,
            context_tokens: model["context_window"].as_u64(),
            prices_checked,
            deprecation_date: None,
        }))
    }

    /// Text input/output prices of one `ModelPrice`; `None` when it lacks either.
    fn prices(p: &Map<String, Value>, path: &Path, at: &str) -> Result<Option<Prices>> {
        let (Some(input), Some(output)) = (p.get("input_mtok"), p.get("output_mtok")) else {
            return Ok(None);
        };
        let input = tiered(input, path, &format!("{at}.input_mtok"))?;
        let output = tiered(output, path, &format!("{at}.output_mtok"))?;
        let mut starts: Vec<u64> = input.1.iter().chain(&output.1).map(|t| t.0).collect();
        starts.sort_unstable();
        starts.dedup();
        let at_start = |(base, tiers): &(f64, Vec<(u64, f64)>), s: u64| {
            tiers.iter().rev().find(|t| t.0 <= s).map_or(*base, |t| t.1)
        };
        let tiers = starts
            .into_iter()
            .map(|s| Tier {
                above_input_tokens: s,
                input_per_mtok: at_start(&input, s),
                output_per_mtok: at_start(&output, s),
            })
            .collect();
        Ok(Some(Prices {
            input_per_mtok: input.0,
            output_per_mtok: output.0,
            tiers,
        }))
    }

    /// A number, or `{base, tiers: [{start, price}]}`: (base, [(start, price)] ascending).
    fn tiered(v: &Value, path: &Path, at: &str) -> Result<(f64, Vec<(u64, f64)>)> {
        if let Some(x) = v.as_f64() {
            return Ok((price(x, path, at)?, Vec::new()));
        }
        let base = v["base"]
            .as_f64()
            .ok_or_else(|| feed_err(path, at, "neither a number nor {base, tiers}"))?;
        let mut tiers = Vec::new();
        for (ti, t) in v["tiers"].as_array().into_iter().flatten().enumerate() {
            let tat = format!("{at}.tiers[{ti}]");
            let start = t["start"]
                .as_u64()
                .ok_or_else(|| feed_err(path, format!("{tat}.start"), "not a token count"))?;
            let p = t["price"]
                .as_f64()
                .ok_or_else(|| feed_err(path, format!("{tat}.price"), "not a number"))?;
            tiers.push((start, price(p, path, &tat)?));
        }
        tiers.sort_by_key(|t| t.0);
        Ok((price(base, path, at)?, tiers))
    }

    fn price(x: f64, path: &Path, at: &str) -> Result<f64> {
        if x.is_finite() && x >= 0.0 {
            Ok(round_mtok(x))
        } else {
            Err(feed_err(path, at, format!("not a non-negative price: {x}")))
        }
    }

    fn rule(v: &Value, path: &Path, at: &str) -> Result<MatchRule> {
        let text = |k: &str| v[k].as_str().map(str::to_string);
        let list = |k: &str| -> Result<Vec<MatchRule>> {
            v[k].as_array()
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(i, c)| rule(c, path, &format!("{at}.{k}[{i}]")))
                .collect()
        };
        Ok(if let Some(s) = text("equals") {
            MatchRule::Equals(s)
        } else if let Some(s) = text("starts_with") {
            MatchRule::StartsWith(s)
        } else if let Some(s) = text("ends_with") {
            MatchRule::EndsWith(s)
        } else if let Some(s) = text("contains") {
            MatchRule::Contains(s)
        } else if let Some(s) = text("regex") {
            MatchRule::Regex(s)
        } else if v.get("or").is_some() {
            MatchRule::Or(list("or")?)
        } else if v.get("and").is_some() {
            MatchRule::And(list("and")?)
        } else {
            return Err(feed_err(path, at, "unknown match clause"));
        })
    }

    fn date(v: &Value, path: &Path, at: &str) -> Result<Date> {
        let s = v
            .as_str()
            .ok_or_else(|| feed_err(path, at, "not a date string"))?;
        s.parse()
            .map_err(|e: Error| feed_err(path, at, e.to_string()))
    }
}

/// Parsing of LiteLLM's model price map.
mod litellm {
    use super::*;

    const TEXT_MODES: [&str; 3] = ["chat", "completion", "responses"];

    pub(super) fn records(json: &Value, path: &Path) -> Result<Vec<PriceRecord>> {
        let mut out = Vec::new();
        for (key, v) in json.as_object().into_iter().flatten() {
            let Some(entry) = v.as_object() else { continue };
            if key == "sample_spec"
                || !entry
                    .get("mode")
                    .and_then(Value::as_str)
                    .is_some_and(|m| TEXT_MODES.contains(&m))
            {
                continue;
            }
            let per_token = |k: &str| -> Result<Option<f64>> {
                match entry.get(k) {
                    None | Some(Value::Null) => Ok(None),
                    Some(x) => match x.as_f64() {
                        Some(x) if x.is_finite() && x >= 0.0 => Ok(Some(round_mtok(x * 1e6))),
                        _ => Err(feed_err(
                            path,
                            format!("{key}.{k}"),
                            format!("not a non-negative price: {x}"),
                        )),
                    },
                }
            };
            let (Some(input), Some(output)) = (
                per_token("input_cost_per_token")?,
                per_token("output_cost_per_token")?,
            ) else {
                continue;
            };
            let mut tiers: Vec<Tier> = Vec::new();
            for k in entry.keys() {
                let Some(n) = tier_threshold(k, "input_cost_per_token_above_") else {
                    continue;
                };
                let tier_in = per_token(k)?.unwrap_or(input);
                let tier_out = per_token(&format!(
                    "output_cost_per_token_above_{}",
                    &k["input_cost_per_token_above_".len()..]
                ))?
                .unwrap_or(output);
                tiers.push(Tier {
                    above_input_tokens: n,
                    input_per_mtok: tier_in,
                    output_per_mtok: tier_out,
                });
            }
            tiers.sort_by_key(|t| t.above_input_tokens);
            let provider = entry
                .get("litellm_provider")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let deprecation_date = entry
                .get("deprecation_date")
                .and_then(Value::as_str)
                .and_then(|s| s.parse::<Date>().ok());
            out.push(PriceRecord {
                provider: provider.to_string(),
                platform: platform(provider),
                id: key.rsplit('/').next().unwrap_or(key).to_string(),
                key: key.clone(),
                aliases: Vec::new(),
                rule: None,
                prices: Prices {
                    input_per_mtok: input,
                    output_per_mtok: output,
                    tiers,
                },
                scheduled: Vec::new(),
                context_tokens: entry.get("max_input_tokens").and_then(Value::as_u64),
                prices_checked: None,
                deprecation_date,
            });
        }
        Ok(out)
    }

    /// `input_cost_per_token_above_200k_tokens` → 200000; `None` for batch/flex/priority
    /// variants and anything else.
    fn tier_threshold(key: &str, prefix: &str) -> Option<u64> {
        let rest = key.strip_prefix(prefix)?.strip_suffix("_tokens")?;
        let (num, mult) = match rest.strip_suffix('k') {
            Some(n) => (n, 1_000),
            None => (rest.strip_suffix('m')?, 1_000_000),
        };
        num.parse::<u64>().ok().map(|n| n * mult)
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn tier_keys_parse_only_plain_tiers() {
            let t = |k| super::tier_threshold(k, "input_cost_per_token_above_");
            assert_eq!(t("input_cost_per_token_above_200k_tokens"), Some(200_000));
            assert_eq!(t("input_cost_per_token_above_1m_tokens"), Some(1_000_000));
            assert_eq!(t("input_cost_per_token_above_272k_tokens_batches"), None);
            assert_eq!(t("input_cost_per_token_batches"), None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_shapes_are_refused_with_what_was_found() {
        for (json, found) in [
            ("[1, 2]", "array whose items"),
            ("{\"a\": {}}", "without `litellm_provider`"),
            ("3", "JSON number"),
        ] {
            let err = Feed::parse(json, "x.json", None).unwrap_err().to_string();
            assert!(err.contains(found) && err.contains("genai-prices"), "{err}");
        }
        let err = Feed::parse("{", "x.json", None).unwrap_err().to_string();
        assert!(err.starts_with("x.json:1:"), "{err}");
    }

    #[test]
    fn genai_tiers_and_dates_are_normalised() {
        let json = r#"[{"id": "openai", "models": [{"id": "m", "match": {"or": [{"equals": "m"}, {"equals": "m-2026"}]},
            "context_window": 1000000, "prices": [
              {"prices": {"input_mtok": {"base": 1, "tiers": [{"start": 272000, "price": 2}]}, "output_mtok": 6}},
              {"constraint": {"start_date": "2026-07-30"}, "prices": {"input_mtok": 0.2, "output_mtok": 1.2}},
              {"constraint": {"start_time": "00:30:00Z", "end_time": "16:30:00Z"}, "prices": {"input_mtok": 9, "output_mtok": 9}}]}]}]"#;
        let feed = Feed::parse(json, "g.json", Some("2026-08-21".parse().unwrap())).unwrap();
        let r = &feed.records[0];
        assert_eq!(
            (r.key.as_str(), r.aliases.as_slice()),
            ("openai/m", &["m-2026".to_string()][..])
        );
        assert_eq!(
            r.prices.tiers,
            [Tier {
                above_input_tokens: 272_000,
                input_per_mtok: 2.0,
                output_per_mtok: 6.0
            }]
        );
        assert_eq!(
            r.price_on("2026-07-29".parse().unwrap()).input_per_mtok,
            1.0
        );
        assert_eq!(
            r.price_on("2026-07-30".parse().unwrap()).input_per_mtok,
            0.2
        );
        assert_eq!(
            r.scheduled.len(),
            1,
            "time-of-day prices are not list prices"
        );
        assert_eq!(feed.checked(r).unwrap().to_string(), "2026-08-21");
    }

    #[test]
    fn a_feed_without_dates_needs_a_snapshot_date() {
        let json = r#"{"m": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6}}"#;
        let err = Feed::parse(json, "l.json", None).unwrap_err().to_string();
        assert!(err.contains("snapshot"), "{err}");
    }
}
