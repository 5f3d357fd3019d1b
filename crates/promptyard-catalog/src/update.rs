//! Applying price feeds to a catalog document, keeping its comments and layout (`toml_edit`).
//!
//! For each `[[model]]`, each feed is searched for the model's record ([`find_record`]):
//!
//! 1. `price_key`, if set: the record whose key (or id) it is;
//! 2. `api_id`: a record whose key, id or alias is the `api_id`, preferring the model's own
//!    provider (`google` covers Gemini and Vertex AI; Bedrock ids match any provider);
//! 3. `id`: a record of the model's provider whose id or alias is the catalog id.
//!
//! Ties go to the record that comes first in the feed. Matching is by exact ids only: a
//! genai-prices prefix rule such as `starts_with: "claude-sonnet-5"` would also claim
//! `claude-sonnet-5-5`, so rules are kept in the records but never used to match; give the
//! model a `price_key` instead.
//!
//! A matched model gets the feed's prices **in effect on `today`** (input, output, tiers as
//! `price_tiers`), its context window when the feed has one, and `prices_source` /
//! `prices_checked`. Price changes dated after `today` are not applied: they are recorded in
//! `scheduled_prices` with their source, replacing that database's earlier announcements.
//! Feeds are applied in the order given, so a later feed overrides an earlier one for a model
//! both price: list the newest snapshot last. A model that no feed prices has its own
//! `scheduled_prices` applied once their date has come.
//!
//! ```
//! use promptyard_catalog::update::{apply, CatalogDoc};
//! use promptyard_catalog::{Date, Feed};
//!
//! let mut doc = CatalogDoc::parse(
//!     "[policy]\nmin_quality = { planning = 0.5, reasoning = 0.5, code_completion = 0.5 }\n\
//!      expected_output_tokens = { planning = 800, reasoning = 500, code_completion = 300 }\n\
//!      plausible_label_floor = 0.2\n\n\
//!      [[model]]\nid = \"m\"\nprovider = \"openai\"\n\
//!      input_usd_per_mtok = 1.0 # typed in by hand\noutput_usd_per_mtok = 2.0\n\
//!      context_tokens = 128000\n\
//!      quality = { planning = 0.9, reasoning = 0.9, code_completion = 0.9 }\n",
//!     "catalog.toml",
//! )?;
//! let feed = Feed::parse(
//!     r#"{"m": {"litellm_provider": "openai", "mode": "chat",
//!        "input_cost_per_token": 1.25e-6, "output_cost_per_token": 1e-5}}"#,
//!     "litellm.json",
//!     Some("2026-11-02".parse::<Date>()?),
//! )?;
//! let report = apply(&mut doc, &[feed], "2026-12-01".parse()?)?;
//! assert!(report.unmatched.is_empty());
//! let text = doc.to_string();
//! assert!(text.contains("input_usd_per_mtok = 1.25 # typed in by hand"));
//! assert!(text.contains("prices_checked = \"2026-11-02\""));
//! doc.validate()?; // what Router would load
//! # Ok::<(), promptyard_catalog::Error>(())
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

use crate::date::Date;
use crate::error::{Error, Result};
use crate::feeds::{Feed, PriceRecord, Prices, Tier};

/// A catalog TOML document open for editing.
#[derive(Clone, Debug)]
pub struct CatalogDoc {
    doc: DocumentMut,
    path: PathBuf,
}

impl CatalogDoc {
    /// Reads a catalog file.
    pub fn load(path: impl AsRef<Path>) -> Result<CatalogDoc> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        CatalogDoc::parse(&text, path)
    }

    /// Parses catalog TOML; `path` names it in errors.
    pub fn parse(text: &str, path: impl Into<PathBuf>) -> Result<CatalogDoc> {
        let path = path.into();
        let doc: DocumentMut = text
            .parse()
            .map_err(|e: toml_edit::TomlError| Error::Toml {
                line: e.span().map_or(0, |s| line_of(text, s.start)),
                path: path.clone(),
                field: "-".to_string(),
                msg: e.message().trim().to_string(),
            })?;
        Ok(CatalogDoc { doc, path })
    }

    /// Where the document came from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Validates the document as promptyard would load it.
    pub fn validate(&self) -> Result<promptyard::Catalog> {
        Ok(promptyard::Catalog::parse(
            &self.doc.to_string(),
            &self.path,
        )?)
    }

    /// Writes the document (validated first, so a broken catalog is never written).
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        self.validate()?;
        let path = path.as_ref();
        std::fs::write(path, self.doc.to_string()).map_err(|e| Error::io(path, e))
    }
}

impl fmt::Display for CatalogDoc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.doc.to_string())
    }
}

/// What identifies a catalog model in a feed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ModelKeys {
    /// Catalog id.
    pub id: String,
    /// Catalog provider.
    pub provider: String,
    /// The vendor's API id, if given.
    pub api_id: Option<String>,
    /// Explicit feed key, if given.
    pub price_key: Option<String>,
}

impl From<&promptyard::catalog::ModelSpec> for ModelKeys {
    fn from(m: &promptyard::catalog::ModelSpec) -> Self {
        ModelKeys {
            id: m.id.clone(),
            provider: m.provider.clone(),
            api_id: m.api_id.clone(),
            price_key: m.price_key.clone(),
        }
    }
}

/// The feed record for a catalog model, by the rules in the module docs.
pub fn find_record<'f>(feed: &'f Feed, keys: &ModelKeys) -> Option<&'f PriceRecord> {
    let own = |r: &PriceRecord| r.platform == keys.provider || r.platform == "bedrock";
    let names = |r: &PriceRecord, s: &str| r.id == s || r.aliases.iter().any(|a| a == s);
    let rank = |r: &PriceRecord| -> Option<u8> {
        if let Some(k) = &keys.price_key {
            if r.key == *k {
                return Some(0);
            }
            if r.id == *k {
                return Some(1);
            }
        }
        if let Some(api) = &keys.api_id {
            if r.key == *api {
                return Some(2);
            }
            if names(r, api) {
                return Some(if own(r) { 3 } else { 4 });
            }
        }
        (own(r) && names(r, &keys.id)).then_some(5)
    };
    let mut best: Option<(u8, &PriceRecord)> = None;
    for r in &feed.records {
        if let Some(k) = rank(r) {
            if best.is_none_or(|(b, _)| k < b) {
                best = Some((k, r));
            }
        }
    }
    best.map(|(_, r)| r)
}

/// What kind of field a [`Change`] touched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// `input_usd_per_mtok`, `output_usd_per_mtok` or `price_tiers`.
    Price,
    /// `context_tokens`.
    Context,
    /// `scheduled_prices`.
    Schedule,
    /// `prices_source`, `prices_checked`.
    Provenance,
}

/// One field of one model changed by [`apply`].
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// Catalog id.
    pub model: String,
    /// The TOML key.
    pub field: String,
    /// What kind of field.
    pub kind: ChangeKind,
    /// The old value as written in TOML (`None` if the key was absent).
    pub old: Option<String>,
    /// The new value as written in TOML (`None` if the key was removed).
    pub new: Option<String>,
    /// The source label of the new value (`litellm 2026-11-02`).
    pub source: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".to_string());
        write!(
            f,
            "{}: {} {} → {} ({})",
            self.model,
            self.field,
            show(&self.old),
            show(&self.new),
            self.source
        )
    }
}

/// A model a feed has no record for.
#[derive(Clone, Debug, PartialEq)]
pub struct Unmatched {
    /// Catalog id.
    pub model: String,
    /// The feed's source label.
    pub feed: String,
}

/// What [`apply`] did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// Every field changed, in catalog order.
    pub changes: Vec<Change>,
    /// (model, feed) pairs without a match.
    pub unmatched: Vec<Unmatched>,
    /// (model id, feed label, record key) for every match.
    pub matched: Vec<(String, String, String)>,
}

impl Report {
    /// Models that no feed priced, in catalog order.
    pub fn unpriced(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for u in &self.unmatched {
            let priced = self.matched.iter().any(|(m, _, _)| *m == u.model);
            if !priced && !out.contains(&u.model.as_str()) {
                out.push(&u.model);
            }
        }
        out
    }

    /// Changes of price fields only.
    pub fn price_changes(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.kind == ChangeKind::Price)
    }
}

/// A scheduled price as kept in the document.
#[derive(Clone, Debug, PartialEq)]
struct Scheduled {
    start: Date,
    prices: Prices,
    source: String,
}

/// Applies `feeds` (in order) to every `[[model]]` of `doc`, as of `today`.
pub fn apply(doc: &mut CatalogDoc, feeds: &[Feed], today: Date) -> Result<Report> {
    let mut report = Report::default();
    let text = doc.doc.to_string();
    let path = doc.path.clone();
    let Some(models) = doc.doc.get_mut("model") else {
        return Ok(report);
    };
    let models = models.as_array_of_tables_mut().ok_or_else(|| Error::Toml {
        path: path.clone(),
        line: 0,
        field: "model".to_string(),
        msg: "must be an array of tables ([[model]])".to_string(),
    })?;
    for (i, table) in models.iter_mut().enumerate() {
        let at = Ctx {
            path: &path,
            text: &text,
            index: i,
        };
        let keys = model_keys(table, &at)?;
        let mut edit = Edit {
            table,
            model: keys.id.clone(),
            changes: &mut report.changes,
        };
        let before = read_scheduled(edit.table, &at)?;
        let mut scheduled = before.clone();
        let mut priced = false;
        for feed in feeds {
            let label = feed.source.label();
            let Some(record) = find_record(feed, &keys) else {
                report.unmatched.push(Unmatched {
                    model: keys.id.clone(),
                    feed: label,
                });
                continue;
            };
            priced = true;
            report
                .matched
                .push((keys.id.clone(), label.clone(), record.key.clone()));
            edit.prices(record.price_on(today), &label);
            if let Some(ctx) = record.context_tokens {
                edit.set(
                    "context_tokens",
                    ChangeKind::Context,
                    Value::from(ctx as i64),
                    &label,
                );
            }
            edit.set(
                "prices_source",
                ChangeKind::Provenance,
                Value::from(label.clone()),
                &label,
            );
            if let Some(checked) = feed.checked(record) {
                edit.set(
                    "prices_checked",
                    ChangeKind::Provenance,
                    Value::from(checked.to_string()),
                    &label,
                );
            }
            let name = &feed.source.name;
            scheduled.retain(|s| !(s.source == *name || s.source.starts_with(&format!("{name} "))));
            scheduled.extend(record.upcoming(today).map(|(start, prices)| Scheduled {
                start: *start,
                prices: prices.clone(),
                source: label.clone(),
            }));
        }
        if !priced {
            // No feed speaks for this model: its own announced changes apply on their date.
            for s in scheduled.iter().filter(|s| s.start <= today) {
                edit.prices(&s.prices, &format!("scheduled {} ({})", s.start, s.source));
            }
        }
        scheduled.retain(|s| s.start > today);
        scheduled.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.source.cmp(&b.source)));
        if scheduled != before {
            let source = feeds
                .iter()
                .map(|f| f.source.label())
                .collect::<Vec<_>>()
                .join(", ");
            let old = edit.table.get("scheduled_prices").map(item_text);
            if scheduled.is_empty() {
                edit.table.remove("scheduled_prices");
            } else {
                put(edit.table, "scheduled_prices", scheduled_value(&scheduled));
            }
            let new = edit.table.get("scheduled_prices").map(item_text);
            edit.changes.push(Change {
                model: keys.id.clone(),
                field: "scheduled_prices".to_string(),
                kind: ChangeKind::Schedule,
                old,
                new,
                source,
            });
        }
    }
    Ok(report)
}

/// Where a model table sits, for errors.
struct Ctx<'a> {
    path: &'a Path,
    text: &'a str,
    index: usize,
}

impl Ctx<'_> {
    fn err(&self, table: &Table, field: &str, msg: impl Into<String>) -> Error {
        let line = table
            .get(field)
            .and_then(Item::span)
            .or_else(|| table.span())
            .map_or(0, |s| line_of(self.text, s.start));
        Error::Toml {
            path: self.path.to_path_buf(),
            line,
            field: format!("model[{}].{field}", self.index),
            msg: msg.into(),
        }
    }
}

fn model_keys(table: &Table, at: &Ctx) -> Result<ModelKeys> {
    let text = |field: &str, required: bool| -> Result<Option<String>> {
        match table.get(field) {
            None if required => Err(at.err(table, field, "missing")),
            None => Ok(None),
            Some(item) => item
                .as_str()
                .map(|s| Some(s.to_string()))
                .ok_or_else(|| at.err(table, field, "must be a string")),
        }
    };
    Ok(ModelKeys {
        id: text("id", true)?.unwrap_or_default(),
        provider: text("provider", true)?.unwrap_or_default(),
        api_id: text("api_id", false)?,
        price_key: text("price_key", false)?,
    })
}

/// Edits one model table, logging each change.
struct Edit<'a> {
    table: &'a mut Table,
    model: String,
    changes: &'a mut Vec<Change>,
}

impl Edit<'_> {
    /// Sets `key` to `value` unless it already holds that value; logs the change.
    fn set(&mut self, key: &str, kind: ChangeKind, value: Value, source: &str) {
        let old = self.table.get(key).map(item_text);
        let new = value_text(&value);
        let same = match (self.table.get(key).and_then(Item::as_value), &value) {
            (Some(o), n) => same_value(o, n),
            (None, _) => false,
        };
        if same {
            return;
        }
        put(self.table, key, value);
        self.log(Change {
            model: self.model.clone(),
            field: key.to_string(),
            kind,
            old,
            new: Some(new),
            source: source.to_string(),
        });
    }

    /// Logs a change net of earlier feeds: a field that two feeds set is one change from the
    /// original value to the last, and none if the last feed restored the original.
    fn log(&mut self, change: Change) {
        let earlier = self
            .changes
            .iter()
            .position(|c| c.model == change.model && c.field == change.field);
        match earlier {
            Some(i) if self.changes[i].old == change.new => {
                self.changes.remove(i);
            }
            Some(i) => {
                self.changes[i].new = change.new;
                self.changes[i].source = change.source;
            }
            None => self.changes.push(change),
        }
    }

    fn prices(&mut self, p: &Prices, source: &str) {
        self.set(
            "input_usd_per_mtok",
            ChangeKind::Price,
            Value::from(p.input_per_mtok),
            source,
        );
        self.set(
            "output_usd_per_mtok",
            ChangeKind::Price,
            Value::from(p.output_per_mtok),
            source,
        );
        let old = self.table.get("price_tiers");
        let old_tiers = old.map(read_tiers);
        if old_tiers
            .as_ref()
            .is_some_and(|t| t.as_deref() == Some(&p.tiers[..]))
            || (old.is_none() && p.tiers.is_empty())
        {
            return;
        }
        let old_text = old.map(item_text);
        if p.tiers.is_empty() {
            self.table.remove("price_tiers");
        } else {
            put(self.table, "price_tiers", tiers_value(&p.tiers, false));
        }
        self.log(Change {
            model: self.model.clone(),
            field: "price_tiers".to_string(),
            kind: ChangeKind::Price,
            old: old_text,
            new: self.table.get("price_tiers").map(item_text),
            source: source.to_string(),
        });
    }
}

/// Numbers compare by value (an integer `3` equals the float `3.0`), strings by text.
fn same_value(old: &Value, new: &Value) -> bool {
    let num = |v: &Value| v.as_float().or_else(|| v.as_integer().map(|i| i as f64));
    match (num(old), num(new)) {
        (Some(a), Some(b)) => a == b,
        _ => match (old.as_str(), new.as_str()) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        },
    }
}

/// Replaces `key`'s value keeping its decor (a trailing `# comment` stays), or appends it.
fn put(table: &mut Table, key: &str, mut value: Value) {
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        Some(item) => *item = Item::Value(value),
        None => {
            table.insert(key, Item::Value(value));
        }
    }
}

fn value_text(v: &Value) -> String {
    let mut v = v.clone();
    v.decor_mut().clear();
    v.to_string().trim().to_string()
}

fn item_text(item: &Item) -> String {
    match item {
        Item::Value(v) => value_text(v),
        other => other.to_string().trim().to_string(),
    }
}

/// Tiers read from an inline array or `[[model.price_tiers]]`; `None` if malformed (the
/// catalog validator reports it).
fn read_tiers(item: &Item) -> Option<Vec<Tier>> {
    let num = |v: Option<&Item>| {
        v.and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
    };
    let tier = |t: &dyn toml_edit::TableLike| -> Option<Tier> {
        Some(Tier {
            above_input_tokens: u64::try_from(t.get("above_input_tokens")?.as_integer()?).ok()?,
            input_per_mtok: num(t.get("input_per_mtok"))?,
            output_per_mtok: num(t.get("output_per_mtok"))?,
        })
    };
    if let Some(arr) = item.as_array() {
        arr.iter()
            .map(|v| tier(v.as_inline_table()? as &dyn toml_edit::TableLike))
            .collect()
    } else if let Some(aot) = item.as_array_of_tables() {
        aot.iter()
            .map(|t| tier(t as &dyn toml_edit::TableLike))
            .collect()
    } else {
        None
    }
}

fn read_scheduled(table: &Table, at: &Ctx) -> Result<Vec<Scheduled>> {
    let Some(item) = table.get("scheduled_prices") else {
        return Ok(Vec::new());
    };
    let bad = |msg: &str| at.err(table, "scheduled_prices", msg);
    let entries: Vec<&dyn toml_edit::TableLike> = if let Some(arr) = item.as_array() {
        arr.iter()
            .map(|v| {
                v.as_inline_table()
                    .map(|t| t as &dyn toml_edit::TableLike)
                    .ok_or_else(|| bad("entries must be tables"))
            })
            .collect::<Result<_>>()?
    } else if let Some(aot) = item.as_array_of_tables() {
        aot.iter().map(|t| t as &dyn toml_edit::TableLike).collect()
    } else {
        return Err(bad("must be an array of tables"));
    };
    entries
        .into_iter()
        .map(|t| {
            let num = |k: &str| {
                t.get(k)
                    .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
                    .ok_or_else(|| bad(&format!("{k} must be a number")))
            };
            let start: Date = t
                .get("start_date")
                .and_then(Item::as_str)
                .ok_or_else(|| bad("start_date must be a YYYY-MM-DD string"))?
                .parse()
                .map_err(|e: Error| bad(&e.to_string()))?;
            let tiers = match t.get("price_tiers") {
                Some(item) => read_tiers(item).ok_or_else(|| bad("malformed price_tiers"))?,
                None => Vec::new(),
            };
            Ok(Scheduled {
                start,
                prices: Prices {
                    input_per_mtok: num("input_usd_per_mtok")?,
                    output_per_mtok: num("output_usd_per_mtok")?,
                    tiers,
                },
                source: t
                    .get("source")
                    .and_then(Item::as_str)
                    .unwrap_or_default()
                    .to_string(),
            })
        })
        .collect()
}

/// `[{ above_input_tokens = …, input_per_mtok = …, output_per_mtok = … }, …]`, one entry per
/// line when there are several (or when `multiline`).
fn tiers_value(tiers: &[Tier], nested: bool) -> Value {
    let mut arr = Array::new();
    for t in tiers {
        let mut it = InlineTable::new();
        it.insert(
            "above_input_tokens",
            Value::from(t.above_input_tokens as i64),
        );
        it.insert("input_per_mtok", Value::from(t.input_per_mtok));
        it.insert("output_per_mtok", Value::from(t.output_per_mtok));
        arr.push(it);
    }
    if tiers.len() > 1 && !nested {
        one_per_line(&mut arr);
    }
    Value::Array(arr)
}

fn scheduled_value(entries: &[Scheduled]) -> Value {
    let mut arr = Array::new();
    for s in entries {
        let mut it = InlineTable::new();
        it.insert("start_date", Value::from(s.start.to_string()));
        it.insert("input_usd_per_mtok", Value::from(s.prices.input_per_mtok));
        it.insert("output_usd_per_mtok", Value::from(s.prices.output_per_mtok));
        if !s.prices.tiers.is_empty() {
            it.insert("price_tiers", tiers_value(&s.prices.tiers, true));
        }
        it.insert("source", Value::from(s.source.clone()));
        arr.push(it);
    }
    one_per_line(&mut arr);
    Value::Array(arr)
}

fn one_per_line(arr: &mut Array) {
    arr.fmt();
    for v in arr.iter_mut() {
        v.decor_mut().set_prefix("\n    ");
        v.decor_mut().set_suffix("");
    }
    arr.set_trailing_comma(true);
    arr.set_trailing("\n");
}

/// 1-based line of byte offset `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
