//! Outcome records: which models answered which prompts, how well, and at what cost.
//!
//! The format is the one of the shared outcomes data (and of a team's own side-by-side pilot):
//! a directory holding
//!
//! - `prompts.jsonl` or `prompts.jsonl.gz`: one object per prompt with `prompt_id`, `source`,
//!   `text`, and optionally `task` and `label` (`planning`, `reasoning`, `code_completion`, or
//!   anything else, e.g. `other`, which routing does not know);
//! - `outcomes.csv` or `outcomes.csv.gz`: header `prompt_id,model,score,cost_usd,in_chars,out_chars`,
//!   one row per (prompt, model); `score` in 0..=1 (1 = correct), the other three may be empty.
//!
//! Model names are kept as each source wrote them (`gpt-4o-2024-08-06` in one source,
//! `gpt-4o_chat` in another): they are only joined across sources when they are equal, or after
//! a [`ModelMap`] maps them to one catalog id.
//!
//! Reading is strict about structure (a missing column or invalid JSON is an [`Error::Outcomes`]
//! naming the file, line and field) and lenient about rows: a row whose prompt id is unknown,
//! whose score is not a number in 0..=1, or which repeats a (prompt, model) pair is dropped and
//! counted in [`ReadSummary`], so one bad row of a million does not stop a calibration.
//!
//! ```no_run
//! let outcomes = promptyard_catalog::outcomes::Outcomes::read_dir("data/outcomes")?;
//! println!("{} prompts, {} rows", outcomes.prompts.len(), outcomes.rows.len());
//! # Ok::<(), promptyard_catalog::Error>(())
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// One prompt of an outcome log.
#[derive(Clone, Debug, PartialEq)]
pub struct Prompt {
    /// Unique id, `source:original-id` in the shared data.
    pub id: String,
    /// The task set it belongs to (each source has its own model pool).
    pub source: String,
    /// Benchmark or task inside the source, if given.
    pub task: Option<String>,
    /// The label as written in the log (`planning`, `reasoning`, `code_completion`, `other`…).
    pub label: Option<String>,
    /// The prompt as the models saw it.
    pub text: String,
}

/// One (prompt, model) outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Index into [`Outcomes::prompts`].
    pub prompt: usize,
    /// Model name as the source wrote it.
    pub model: String,
    /// Quality of the answer, 0..=1 (1 = correct).
    pub score: f64,
    /// Measured cost of the call in USD, where recorded.
    pub cost_usd: Option<f64>,
    /// Prompt length in characters, where known.
    pub in_chars: Option<u64>,
    /// Response length in characters, where known.
    pub out_chars: Option<u64>,
}

/// What was read and what was dropped, with reasons.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadSummary {
    /// Prompts read.
    pub prompts: usize,
    /// Outcome rows kept.
    pub rows: usize,
    /// Rows dropped, by reason (e.g. `"unknown prompt_id"`), with the first line seen.
    pub dropped: BTreeMap<String, (usize, usize)>,
    /// Prompts dropped, by reason (e.g. `"duplicate prompt_id"`).
    pub dropped_prompts: BTreeMap<String, usize>,
}

impl ReadSummary {
    fn drop_row(&mut self, reason: impl Into<String>, line: usize) {
        self.dropped.entry(reason.into()).or_insert((0, line)).0 += 1;
    }

    /// One line per reason, e.g. `dropped 3 row(s): unknown prompt_id (first on line 17)`.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!(
            "read {} prompt(s) and {} outcome row(s)",
            self.prompts, self.rows
        )];
        for (reason, n) in &self.dropped_prompts {
            out.push(format!("dropped {n} prompt(s): {reason}"));
        }
        for (reason, (n, line)) in &self.dropped {
            out.push(format!("dropped {n} row(s): {reason} (first on line {line})"));
        }
        out
    }
}

/// An outcome log in memory.
#[derive(Clone, Debug, Default)]
pub struct Outcomes {
    /// Prompts in file order.
    pub prompts: Vec<Prompt>,
    /// Outcome rows in file order (only rows whose prompt is known).
    pub rows: Vec<Outcome>,
    /// What was read and dropped.
    pub summary: ReadSummary,
}

#[derive(Deserialize)]
struct RawPrompt {
    prompt_id: String,
    source: String,
    #[serde(default)]
    task: Option<String>,
    #[serde(default)]
    label: Option<String>,
    text: String,
}

/// Opens `path`, or `path.gz` when `path` is absent; gzip is detected by the `.gz` suffix.
fn open(path: &Path) -> Result<(PathBuf, Box<dyn BufRead>)> {
    let gz = PathBuf::from(format!("{}.gz", path.display()));
    let path = if path.exists() || !gz.exists() {
        path.to_path_buf()
    } else {
        gz
    };
    let file = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    Ok((path, Box::new(BufReader::with_capacity(1 << 16, reader))))
}

fn bad(path: &Path, line: usize, field: &str, msg: impl Into<String>) -> Error {
    Error::Outcomes {
        path: path.to_path_buf(),
        line,
        field: field.to_string(),
        msg: msg.into(),
    }
}

impl Outcomes {
    /// Reads `DIR/prompts.jsonl[.gz]` and `DIR/outcomes.csv[.gz]`.
    pub fn read_dir(dir: impl AsRef<Path>) -> Result<Outcomes> {
        let dir = dir.as_ref();
        Outcomes::read(dir.join("prompts.jsonl"), dir.join("outcomes.csv"))
    }

    /// Reads a prompts JSONL file and an outcomes CSV file (each plain or `.gz`).
    pub fn read(prompts: impl AsRef<Path>, outcomes: impl AsRef<Path>) -> Result<Outcomes> {
        let mut out = Outcomes::default();
        let mut index: HashMap<String, usize> = HashMap::new();
        let (ppath, reader) = open(prompts.as_ref())?;
        for (i, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| Error::io(&ppath, e))?;
            if line.trim().is_empty() {
                continue;
            }
            let raw: RawPrompt = serde_json::from_str(&line).map_err(|e| {
                let msg = e.to_string();
                let field = msg
                    .split('`')
                    .nth(1)
                    .filter(|_| msg.starts_with("missing field") || msg.starts_with("invalid type"))
                    .unwrap_or("-");
                bad(&ppath, i + 1, field, msg.clone())
            })?;
            if index.contains_key(&raw.prompt_id) {
                *out.summary
                    .dropped_prompts
                    .entry("duplicate prompt_id (first kept)".into())
                    .or_default() += 1;
                continue;
            }
            index.insert(raw.prompt_id.clone(), out.prompts.len());
            out.prompts.push(Prompt {
                id: raw.prompt_id,
                source: raw.source,
                task: raw.task,
                label: raw.label,
                text: raw.text,
            });
        }
        out.summary.prompts = out.prompts.len();

        let (opath, reader) = open(outcomes.as_ref())?;
        let mut csv = csv::ReaderBuilder::new().flexible(false).from_reader(reader);
        let headers = csv
            .headers()
            .map_err(|e| bad(&opath, 1, "-", e.to_string()))?
            .clone();
        let col = |name: &str| headers.iter().position(|h| h.trim() == name);
        let need = |name: &str| col(name).ok_or_else(|| bad(&opath, 1, name, "missing column"));
        let (c_id, c_model, c_score) = (need("prompt_id")?, need("model")?, need("score")?);
        let (c_cost, c_in, c_out) = (col("cost_usd"), col("in_chars"), col("out_chars"));
        let mut seen: HashSet<(usize, String)> = HashSet::new();
        for rec in csv.records() {
            let rec = rec.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line() as usize);
                bad(&opath, line, "-", e.to_string())
            })?;
            let line = rec.position().map_or(0, |p| p.line() as usize);
            let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).map(str::trim).unwrap_or("");
            let Some(&prompt) = index.get(get(Some(c_id))) else {
                out.summary.drop_row("unknown prompt_id", line);
                continue;
            };
            let model = get(Some(c_model));
            if model.is_empty() {
                out.summary.drop_row("empty model", line);
                continue;
            }
            let score = match get(Some(c_score)).parse::<f64>() {
                Ok(s) if (0.0..=1.0).contains(&s) => s,
                _ => {
                    out.summary.drop_row("score not a number in 0..=1", line);
                    continue;
                }
            };
            let cost_usd = match get(c_cost) {
                "" => None,
                s => match s.parse::<f64>() {
                    Ok(c) if c.is_finite() && c >= 0.0 => Some(c),
                    _ => {
                        out.summary.drop_row("cost_usd not a non-negative number", line);
                        continue;
                    }
                },
            };
            let count = |c: Option<usize>| -> std::result::Result<Option<u64>, ()> {
                match get(c) {
                    "" => Ok(None),
                    s => s.parse::<u64>().map(Some).map_err(|_| ()),
                }
            };
            let (Ok(in_chars), Ok(out_chars)) = (count(c_in), count(c_out)) else {
                out.summary.drop_row("in_chars/out_chars not a whole number", line);
                continue;
            };
            if !seen.insert((prompt, model.to_string())) {
                out.summary.drop_row("duplicate (prompt_id, model) (first kept)", line);
                continue;
            }
            out.rows.push(Outcome {
                prompt,
                model: model.to_string(),
                score,
                cost_usd,
                in_chars,
                out_chars,
            });
        }
        out.summary.rows = out.rows.len();
        Ok(out)
    }

    /// Keeps only the prompts of these sources (all when `sources` is empty), re-indexing rows.
    pub fn retain_sources(&mut self, sources: &[String]) {
        if sources.is_empty() {
            return;
        }
        let mut remap = vec![usize::MAX; self.prompts.len()];
        let mut kept = Vec::new();
        for (i, p) in std::mem::take(&mut self.prompts).into_iter().enumerate() {
            if sources.contains(&p.source) {
                remap[i] = kept.len();
                kept.push(p);
            }
        }
        self.prompts = kept;
        self.rows.retain_mut(|r| {
            r.prompt = remap[r.prompt];
            r.prompt != usize::MAX
        });
    }

    /// Distinct sources, sorted.
    pub fn sources(&self) -> Vec<String> {
        let mut s: Vec<String> = self.prompts.iter().map(|p| p.source.clone()).collect();
        s.sort();
        s.dedup();
        s
    }
}

/// The problem a prompt id belongs to, for splitting: variants of one problem (PlanBench's
/// `one_shot` and `zero_shot` forms) must fall on the same side. The id without its source
/// prefix and without any `one_shot`/`zero_shot` segment (segments split at `:` and `/`).
pub fn problem_key(prompt: &Prompt) -> String {
    let id = prompt.id.split_once(':').map_or(prompt.id.as_str(), |(_, rest)| rest);
    id.split([':', '/'])
        .filter(|seg| *seg != "one_shot" && *seg != "zero_shot")
        .collect::<Vec<_>>()
        .join(":")
}

/// True when the prompt falls in the fit part of a stable split by problem: FNV-1a 64 of
/// `seed:source:problem`, mixed by the splitmix64 finaliser, below `fit_fraction` of the range. Same answer on every platform and run.
pub fn in_fit_part(prompt: &Prompt, fit_fraction: f64, seed: u64) -> bool {
    let key = format!("{seed}:{}:{}", prompt.source, problem_key(prompt));
    // FNV-1a barely moves its top bits for keys that differ in their last bytes (`…:7`,
    // `…:8`): the splitmix64 finaliser spreads them before the comparison.
    let mut h = promptyard::hash::fnv1a64(key.as_bytes());
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    (h as f64 / u64::MAX as f64) < fit_fraction
}

/// Maps model names of outcome logs to catalog ids.
///
/// A TOML file of `"NAME" = "catalog-id"` or `"SOURCE/NAME" = "catalog-id"` lines (the
/// source-qualified key wins). Names it does not map are matched against a base catalog's
/// model `id`, then `api_id`, then `price_key` (see [`ModelMap::resolve`]); a name that matches
/// nothing keeps its own name as its catalog id.
#[derive(Clone, Debug, Default)]
pub struct ModelMap {
    map: HashMap<String, String>,
}

impl ModelMap {
    /// Reads a mapping file.
    pub fn load(path: impl AsRef<Path>) -> Result<ModelMap> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let map: HashMap<String, String> = toml::from_str(&text).map_err(|e| Error::Toml {
            path: path.to_path_buf(),
            line: e
                .span()
                .map_or(0, |s| text[..s.start].matches('\n').count() + 1),
            field: "-".into(),
            msg: format!("{} (expected \"NAME\" = \"catalog-id\" lines)", e.message()),
        })?;
        Ok(ModelMap { map })
    }

    /// The catalog id for `name` as written by `source`: the mapping file, else a base catalog
    /// model whose `id`, `api_id` or `price_key` equals the name, else the name itself.
    pub fn resolve(
        &self,
        source: &str,
        name: &str,
        base: Option<&promptyard::Catalog>,
    ) -> String {
        if let Some(id) = self
            .map
            .get(&format!("{source}/{name}"))
            .or_else(|| self.map.get(name))
        {
            return id.clone();
        }
        if let Some(base) = base {
            let models = base.models();
            let hit = models
                .iter()
                .find(|m| m.id == name)
                .or_else(|| models.iter().find(|m| m.api_id.as_deref() == Some(name)))
                .or_else(|| models.iter().find(|m| m.price_key.as_deref() == Some(name)));
            if let Some(m) = hit {
                return m.id.clone();
            }
        }
        name.to_string()
    }
}
