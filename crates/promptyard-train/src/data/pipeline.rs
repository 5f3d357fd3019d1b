//! The data build: sources → normalise (and split by group) → drop guarded texts → dedupe →
//! clean held-out → balance → records.
//!
//! [`build`] runs every stage in memory and returns the three splits with a [`BuildStats`]
//! summary (read, kept, dropped by reason; per-source, per-label, per-split counts);
//! [`write_dataset`] writes them, the generated `README.md` and the licence texts to a
//! directory. The output depends only on the inputs: every choice is made by stable hashes
//! and sorted orders, never by iteration order of a hash map or a random seed.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::data::balance::{self, is_generated};
use crate::data::dedupe::{Fingerprint, NearDupIndex};
use crate::data::normalise::{dedupe_key, normalise};
use crate::data::sources::{self, Source};
use crate::data::split::{split_of, Split};
use crate::data::{write, RawPrompt, Record};
use crate::{Error, Result};
use promptyard::label::{Label, NUM_LABELS};

/// Where the build reads from.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// The permissive raw folder (`../shared/data/raw`).
    pub raw_dir: PathBuf,
    /// Folder of mined `*.jsonl` prompts (`data/raw-extra`); `None` leaves them out. A folder
    /// that is named but missing is an error, so a typo cannot drop a source silently.
    pub raw_extra_dir: Option<PathBuf>,
    /// The non-commercial folder (`../shared/data/raw-nc`), read only when set.
    pub nc_dir: Option<PathBuf>,
    /// Folder of the `other` data written for this project (`data/other`, see
    /// [`sources::other`]); `None` leaves it out; named but missing is an error.
    pub other_dir: Option<PathBuf>,
    /// Folder of the hand-written confusion slices (`data/confusions`: `train.jsonl` and
    /// `kinds_train.jsonl` are read, the `*dev.jsonl` files guarded); `None`
    /// leaves them out; named but missing is an error.
    pub confusions_dir: Option<PathBuf>,
    /// Include the template-generated prompts of [`crate::data::synth`].
    pub synth: bool,
    /// Labelled files that must stay unseen (`data/gateway_dev.jsonl`): prompts that are
    /// exact or near duplicates of their texts are dropped. A missing file is an error: a
    /// guard that silently guards nothing would let a dev set leak into training.
    pub guard_files: Vec<PathBuf>,
}

/// The evaluation files a build of `out` guards by default: `out/gateway_dev.jsonl`,
/// `out/lockbox_dev.jsonl`, `out/short/{calib,eval}.jsonl`, the gateway dev files of the `other` folder
/// ([`sources::other::DEV_FILES`]) and the confusions dev file, where those folders are read.
pub fn default_guard_files(
    out: &Path,
    other_dir: Option<&Path>,
    confusions_dir: Option<&Path>,
) -> Vec<PathBuf> {
    let mut files = vec![
        out.join("gateway_dev.jsonl"),
        out.join("lockbox_dev.jsonl"),
        // Hand-written short prompts: one half fits the short-prompt tempering, the other
        // half only reports; neither may leak into training.
        out.join("short/calib.jsonl"),
        out.join("short/eval.jsonl"),
    ];
    if let Some(dir) = other_dir {
        files.extend(sources::other::DEV_FILES.iter().map(|f| dir.join(f)));
    }
    if let Some(dir) = confusions_dir {
        files.extend(sources::other::CONFUSIONS_DEV_FILES.iter().map(|f| dir.join(f)));
    }
    files
}

/// Why a prompt did not make it into the dataset.
pub mod reason {
    /// Nothing left once normalised.
    pub const EMPTY: &str = "empty after normalisation";
    /// The same normalised text was already kept.
    pub const EXACT_DUP: &str = "exact duplicate";
    /// The same text appears with another label: every copy is dropped.
    pub const LABEL_CONFLICT: &str = "exact duplicate with another label";
    /// Near-identical (MinHash) to a kept prompt of the same split.
    pub const NEAR_DUP: &str = "near duplicate";
    /// A valid or test prompt near-identical to a train prompt.
    pub const NEAR_TRAIN: &str = "held-out near duplicate of train";
    /// Trimmed to keep labels and sources balanced.
    pub const BALANCE: &str = "balance trim";
    /// Same text as a guarded evaluation file (e.g. `gateway_dev.jsonl`).
    pub const GUARDED: &str = "duplicate of a held-out evaluation text";
}

/// Per-source part of [`BuildStats`].
#[derive(Clone, Debug, Default)]
pub struct SourceStats {
    /// Upstream records read by the adapter (lines of raw-extra files, prompts generated).
    pub read: usize,
    /// Prompts the adapter cut out.
    pub prompts: usize,
    /// Dropped, by reason (adapter filters and pipeline stages).
    pub dropped: BTreeMap<String, usize>,
    /// Records kept, indexed `[label][split]`.
    pub kept: [[usize; 3]; NUM_LABELS],
    /// SPDX licence expression of the source (`NC` marks non-commercial ones).
    pub licence: String,
    /// Where the licence texts are, relative to the output folder.
    pub licence_texts: String,
    /// Where the raw files come from (upstream name or URL).
    pub origin: String,
    /// What the adapter cuts out of each upstream record.
    pub cut: String,
    /// Read from `raw-nc/` only in non-commercial builds; never in the shipped model.
    pub non_commercial: bool,
    /// Folder whose `LICENSE*` / `NOTICE*` files are copied to `licenses/NAME/`, when not the
    /// source's raw folder.
    pub licence_dir: Option<PathBuf>,
}

impl SourceStats {
    /// Records kept in `split` (all labels).
    pub fn kept_in(&self, split: Split) -> usize {
        self.kept.iter().map(|row| row[split as usize]).sum()
    }
}

/// What a build read, kept and dropped.
#[derive(Clone, Debug, Default)]
pub struct BuildStats {
    /// Per-source counts, by source name.
    pub sources: BTreeMap<String, SourceStats>,
}

impl BuildStats {
    /// Upstream records read, all sources.
    pub fn read(&self) -> usize {
        self.sources.values().map(|s| s.read).sum()
    }

    /// Records kept, all sources and splits.
    pub fn kept(&self) -> usize {
        self.sources
            .values()
            .map(|s| s.kept.iter().flatten().sum::<usize>())
            .sum()
    }

    /// Dropped records by reason, all sources.
    pub fn dropped(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for s in self.sources.values() {
            for (r, n) in &s.dropped {
                *out.entry(r.clone()).or_default() += n;
            }
        }
        out
    }

    /// Records kept per label and split, indexed `[label][split]`.
    pub fn by_label(&self) -> [[usize; 3]; NUM_LABELS] {
        let mut out = [[0; 3]; NUM_LABELS];
        for s in self.sources.values() {
            for (l, row) in s.kept.iter().enumerate() {
                for (k, n) in row.iter().enumerate() {
                    out[l][k] += n;
                }
            }
        }
        out
    }

    fn drop(&mut self, source: &str, reason: &str) {
        let s = self.sources.entry(source.to_string()).or_default();
        *s.dropped.entry(reason.to_string()).or_default() += 1;
    }
}

impl fmt::Display for BuildStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "read {}, kept {}", self.read(), self.kept())?;
        writeln!(f, "dropped:")?;
        for (r, n) in self.dropped() {
            writeln!(f, "  {n:>7}  {r}")?;
        }
        writeln!(
            f,
            "{:<16} {:>7} {:>7} {:>7} {:>6}",
            "label", "train", "valid", "test", "train%"
        )?;
        let by_label = self.by_label();
        let train_total: usize = by_label.iter().map(|r| r[0]).sum();
        for l in Label::ALL {
            let r = by_label[l.index()];
            let pct = 100.0 * r[0] as f64 / train_total.max(1) as f64;
            writeln!(
                f,
                "{:<16} {:>7} {:>7} {:>7} {:>5.1}%",
                l.as_str(),
                r[0],
                r[1],
                r[2],
                pct
            )?;
        }
        writeln!(
            f,
            "{:<32} {:<16} {:>6} {:>6} {:>6} {:>6}",
            "source", "label", "read", "train", "valid", "test"
        )?;
        for (name, s) in &self.sources {
            for l in Label::ALL {
                let r = s.kept[l.index()];
                if r.iter().sum::<usize>() == 0 {
                    continue;
                }
                writeln!(
                    f,
                    "{:<32} {:<16} {:>6} {:>6} {:>6} {:>6}",
                    name,
                    l.as_str(),
                    s.read,
                    r[0],
                    r[1],
                    r[2]
                )?;
            }
        }
        Ok(())
    }
}

/// The built dataset.
#[derive(Debug)]
pub struct Dataset {
    /// Training split, sorted by id.
    pub train: Vec<Record>,
    /// Validation split (calibration, early checks), sorted by id.
    pub valid: Vec<Record>,
    /// Test split, sorted by id.
    pub test: Vec<Record>,
    /// What was read, kept and dropped, per source.
    pub stats: BuildStats,
}

impl Dataset {
    /// The records of `split`.
    pub fn split(&self, split: Split) -> &[Record] {
        match split {
            Split::Train => &self.train,
            Split::Valid => &self.valid,
            Split::Test => &self.test,
        }
    }
}

/// A prompt after normalisation, on its way through the stages.
struct Item {
    prompt: RawPrompt,
    text: String,
    split: Split,
    fp: Fingerprint,
}

/// Runs the whole pipeline in memory.
pub fn build(opts: &BuildOptions) -> Result<Dataset> {
    for (name, dir) in [
        ("raw-extra", &opts.raw_extra_dir),
        ("other", &opts.other_dir),
        ("confusions", &opts.confusions_dir),
    ] {
        if let Some(dir) = dir.as_ref().filter(|d| !d.is_dir()) {
            return Err(Error::Source {
                source_name: name.into(),
                path: dir.clone(),
                msg: "folder missing (leave the source out explicitly instead of naming a \
                      folder that does not exist)"
                    .into(),
            });
        }
    }
    if let Some(path) = opts.guard_files.iter().find(|p| !p.is_file()) {
        return Err(Error::Source {
            source_name: "guard".into(),
            path: path.clone(),
            msg: "guarded evaluation file missing: its texts could not be kept out of training"
                .into(),
        });
    }
    let mut stats = BuildStats::default();
    let mut prompts = Vec::new();
    let mut registry: Vec<Source> = sources::permissive();
    if opts.nc_dir.is_some() {
        registry.extend(sources::non_commercial());
    }
    for source in &registry {
        let base = if source.non_commercial {
            opts.nc_dir.as_deref().unwrap_or(&opts.raw_dir)
        } else {
            &opts.raw_dir
        };
        let dir = base.join(source.name.trim_end_matches("-nc"));
        if !dir.is_dir() {
            return Err(Error::Source {
                source_name: source.name.to_string(),
                path: dir,
                msg: "folder missing".into(),
            });
        }
        let adapted = (source.adapter)(&dir)?;
        let s = stats.sources.entry(source.name.to_string()).or_default();
        s.read += adapted.read;
        s.prompts += adapted.prompts.len();
        s.dropped.extend(adapted.dropped);
        s.licence = source.licence.to_string();
        s.licence_texts = format!("`licenses/{}/`", source.name);
        s.origin = source.origin.to_string();
        s.cut = source.cut.to_string();
        s.non_commercial = source.non_commercial;
        prompts.extend(adapted.prompts);
    }
    if let Some(dir) = &opts.raw_extra_dir {
        let extra = sources::read_raw_extra(dir)?;
        for p in &extra.prompts {
            let s = stats.sources.entry(p.source.clone()).or_default();
            s.read += 1;
            s.prompts += 1;
        }
        for (source, licences) in extra.licences {
            let s = stats.sources.entry(source).or_default();
            s.licence = licences.join(", ");
            s.licence_texts = "`raw-extra/LICENSES/` (see `raw-extra/README.md`)".into();
            s.origin =
                "mined by this project from permissively licensed code (`raw-extra/`)".into();
            s.cut = "one prompt per line as written by the miner (see data/raw-extra)".into();
        }
        prompts.extend(extra.prompts);
    }
    if let Some(dir) = &opts.other_dir {
        let other = sources::read_other(dir)?;
        add_other(&mut stats, &mut prompts, other, "other", &opts.raw_dir);
    }
    if let Some(dir) = &opts.confusions_dir {
        let confusions = sources::other::read_labelled(dir, &sources::other::CONFUSIONS_TRAIN_FILES)?;
        add_other(&mut stats, &mut prompts, confusions, "confusions", &opts.raw_dir);
    }
    if opts.synth {
        add_generated(&mut stats, &mut prompts);
    }

    let mut guard = Vec::new();
    for path in &opts.guard_files {
        guard.extend(
            crate::data::read_jsonl_strict(path)?
                .into_iter()
                .map(|r| r.text),
        );
    }
    let records = process(prompts, &guard, &mut stats);
    let mut dataset = Dataset {
        train: Vec::new(),
        valid: Vec::new(),
        test: Vec::new(),
        stats,
    };
    for (split, record) in records {
        let s = dataset
            .stats
            .sources
            .entry(record.source.clone())
            .or_default();
        s.kept[record.label.index()][split as usize] += 1;
        match split {
            Split::Train => dataset.train.push(record),
            Split::Valid => dataset.valid.push(record),
            Split::Test => dataset.test.push(record),
        }
    }
    for split in [&mut dataset.train, &mut dataset.valid, &mut dataset.test] {
        split.sort_by(|a, b| a.id.cmp(&b.id));
    }
    Ok(dataset)
}

/// The stages after reading: normalise, guard, dedupe, split, clean held-out, balance.
fn process(
    prompts: Vec<RawPrompt>,
    guard: &[String],
    stats: &mut BuildStats,
) -> Vec<(Split, Record)> {
    let items = normalise_all(prompts, stats);
    let items = drop_guarded(items, guard, stats);
    let items = dedupe_all(items, stats);
    let items = clean_held_out(items, stats);
    balance_all(items, stats)
}

/// Adds the `other` training files of `dir` (`data/other`). A source already read from
/// `raw/` (self-instruct, awesome-chatgpt-prompts) gets a note on its cut; a new one (the
/// hand-written prompts, the router projects' prompts) its own origin and licence. The router
/// projects' licence texts are in `raw/../outcomes/licenses/NAME/`.
fn add_other(
    stats: &mut BuildStats,
    prompts: &mut Vec<RawPrompt>,
    other: sources::other::OtherData,
    folder: &str,
    raw_dir: &Path,
) {
    for (name, o) in &other.sources {
        let s = stats.sources.entry(name.clone()).or_default();
        s.read += o.rows;
        s.prompts += o.rows;
        let file = format!("`{folder}/{}`", o.file);
        if !s.origin.is_empty() {
            let _ = write!(
                s.cut,
                " Plus {} `other` rows from {file}: untagged rows hand-picked by \
                 `other/extract.py` (see `other/README.md`).",
                o.rows
            );
            continue;
        }
        let mut licence = o.licences.join(", ");
        if !o.upstream_licences.is_empty() {
            let _ = write!(licence, "; upstream data {}", o.upstream_licences.join(", "));
        }
        s.licence = licence;
        if let Some(project) = name.strip_prefix("outcomes-") {
            s.origin = format!(
                "{project} router project's prompts in `../shared/data/outcomes`, cut by \
                 `other/extract.py` into {file}"
            );
            s.cut = "prompts labelled `other`, allow-listed tasks only, the router's wrapper \
                     stripped (see `other/README.md`)"
                .into();
            s.licence_dir = Some(raw_dir.join("../outcomes/licenses").join(project));
            s.licence_texts = format!(
                "`licenses/{name}/`; upstream data sets as listed in `other/README.md`"
            );
        } else {
            s.origin = format!("written by hand for this project ({file})");
            s.cut = "the prompt as written".into();
            s.licence_texts = "the project's licence".into();
        }
    }
    prompts.extend(other.prompts);
}

/// Adds the template-generated prompts (their own `synth_*` sources).
fn add_generated(stats: &mut BuildStats, prompts: &mut Vec<RawPrompt>) {
    let generated = crate::data::synth::generate();
    for p in &generated {
        let s = stats.sources.entry(p.source.clone()).or_default();
        s.read += 1;
        s.prompts += 1;
        s.licence = "MIT OR Apache-2.0 (generated by this project)".into();
        s.licence_texts = "the project's licence".into();
        s.origin = "generated from templates in `crates/promptyard-train/templates/` (see `src/data/synth.rs`)".into();
        s.cut = "the generated request as is".into();
    }
    prompts.extend(generated);
}

fn normalise_all(prompts: Vec<RawPrompt>, stats: &mut BuildStats) -> Vec<Item> {
    let normalised: Vec<(RawPrompt, String, Fingerprint)> = prompts
        .into_par_iter()
        .map(|p| {
            let text = normalise(&p.text);
            let fp = Fingerprint::new(&text);
            (p, text, fp)
        })
        .collect();
    let mut items = Vec::with_capacity(normalised.len());
    for (prompt, text, fp) in normalised {
        if text.is_empty() {
            stats.drop(&prompt.source, reason::EMPTY);
            continue;
        }
        let split = split_of(&prompt.group);
        items.push(Item {
            prompt,
            text,
            split,
            fp,
        });
    }
    items
}

/// Drops prompts that are exact or near duplicates of a `guard` text.
fn drop_guarded(items: Vec<Item>, guard: &[String], stats: &mut BuildStats) -> Vec<Item> {
    if guard.is_empty() {
        return items;
    }
    let keys: HashSet<String> = guard.iter().map(|t| dedupe_key(&normalise(t))).collect();
    let mut index = NearDupIndex::new();
    for t in guard {
        index.insert(Fingerprint::new(&normalise(t)));
    }
    let hits: Vec<bool> = items
        .par_iter()
        .map(|i| {
            keys.contains(&dedupe_key(&i.text)) || index.find(&Fingerprint::new(&i.text)).is_some()
        })
        .collect();
    let mut kept = Vec::with_capacity(items.len());
    for (item, hit) in items.into_iter().zip(hits) {
        if hit {
            stats.drop(&item.prompt.source, reason::GUARDED);
        } else {
            kept.push(item);
        }
    }
    kept
}

/// Keeps the first of every exact or near-duplicate cluster, in an order that prefers
/// collected over generated data, then source and origin id.
fn dedupe_all(mut items: Vec<Item>, stats: &mut BuildStats) -> Vec<Item> {
    items.sort_by(|a, b| {
        let key = |i: &Item| {
            (
                is_generated(&i.prompt.source),
                i.prompt.source.clone(),
                i.prompt.origin_id.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    let keys: Vec<String> = items.par_iter().map(|i| dedupe_key(&i.text)).collect();
    let mut seen: HashMap<String, Label> = HashMap::with_capacity(items.len());
    let mut unique = Vec::with_capacity(items.len());
    for (item, key) in items.into_iter().zip(keys) {
        match seen.get(&key) {
            Some(&label) if label == item.prompt.label => {
                stats.drop(&item.prompt.source, reason::EXACT_DUP)
            }
            Some(_) => stats.drop(&item.prompt.source, reason::LABEL_CONFLICT),
            None => {
                seen.insert(key, item.prompt.label);
                unique.push(item);
            }
        }
    }
    let mut index = NearDupIndex::new();
    let mut kept = Vec::with_capacity(unique.len());
    for item in unique {
        if index.find(&item.fp).is_some() {
            stats.drop(&item.prompt.source, reason::NEAR_DUP);
        } else {
            index.insert(item.fp.clone());
            kept.push(item);
        }
    }
    kept
}

/// Drops valid and test prompts that are near duplicates of a train prompt. After the global
/// de-duplication this finds nothing unless thresholds diverge; it is the split's guarantee.
fn clean_held_out(items: Vec<Item>, stats: &mut BuildStats) -> Vec<Item> {
    let mut index = NearDupIndex::new();
    for item in items.iter().filter(|i| i.split == Split::Train) {
        index.insert(item.fp.clone());
    }
    let mut kept = Vec::with_capacity(items.len());
    for item in items {
        if item.split != Split::Train && index.find(&item.fp).is_some() {
            stats.drop(&item.prompt.source, reason::NEAR_TRAIN);
        } else {
            kept.push(item);
        }
    }
    kept
}

/// Applies [`balance::train_quotas`] to train and the same keep fraction to valid and test;
/// returns the surviving records with their split.
fn balance_all(items: Vec<Item>, stats: &mut BuildStats) -> Vec<(Split, Record)> {
    let mut buckets: BTreeMap<(Label, String, Split), Vec<Item>> = BTreeMap::new();
    for item in items {
        buckets
            .entry((item.prompt.label, item.prompt.source.clone(), item.split))
            .or_default()
            .push(item);
    }
    let train_counts: BTreeMap<(Label, String), usize> = buckets
        .iter()
        .filter(|((_, _, split), _)| *split == Split::Train)
        .map(|((l, s, _), v)| ((*l, s.clone()), v.len()))
        .collect();
    let quotas = balance::train_quotas(&train_counts);
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for ((label, source, split), mut bucket) in buckets {
        let train_n = train_counts
            .get(&(label, source.clone()))
            .copied()
            .unwrap_or(0);
        let quota = quotas
            .get(&(label, source.clone()))
            .copied()
            .unwrap_or(train_n);
        let keep = match split {
            Split::Train => quota,
            _ => balance::held_out_keep(bucket.len(), quota, train_n),
        };
        bucket.sort_by(|a, b| a.prompt.origin_id.cmp(&b.prompt.origin_id));
        let ids: Vec<String> = bucket
            .iter()
            .map(|i| format!("{}:{}", source, i.prompt.origin_id))
            .collect();
        let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let chosen = balance::pick(&id_refs, keep);
        for _ in chosen.len()..bucket.len() {
            stats.drop(&source, reason::BALANCE);
        }
        let mut chosen = chosen.into_iter().peekable();
        for (i, (item, id)) in bucket.into_iter().zip(ids).enumerate() {
            if chosen.peek() != Some(&i) {
                continue;
            }
            chosen.next();
            out.push((split, record(item, unique_id(id, &mut used_ids))));
        }
    }
    out
}

/// `id`, or `id~N` when an earlier record already took `id`.
fn unique_id(id: String, used: &mut HashMap<String, usize>) -> String {
    let n = used.entry(id.clone()).or_default();
    *n += 1;
    if *n == 1 {
        id
    } else {
        format!("{id}~{n}")
    }
}

fn record(item: Item, id: String) -> Record {
    Record {
        id,
        text: item.text,
        label: item.prompt.label,
        source: item.prompt.source,
        canary: item.prompt.canary,
    }
}

/// Writes the three splits, `README.md` and `licenses/` into `out`. `gzip` writes
/// `.jsonl.gz` files instead of `.jsonl`.
pub fn write_dataset(
    dataset: &Dataset,
    out: &Path,
    opts: &BuildOptions,
    gzip: bool,
) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let mut written = Vec::new();
    for split in Split::ALL {
        written.push(write::write_split(
            out,
            split.as_str(),
            dataset.split(split),
            gzip,
        )?);
    }
    let readme = out.join("README.md");
    std::fs::write(&readme, render_readme(&dataset.stats)).map_err(|e| Error::io(&readme, e))?;
    written.push(readme);
    for (name, s) in &dataset.stats.sources {
        if s.kept.iter().flatten().sum::<usize>() == 0 {
            continue;
        }
        let base = if s.non_commercial {
            opts.nc_dir.as_deref().unwrap_or(&opts.raw_dir)
        } else {
            &opts.raw_dir
        };
        let src = s
            .licence_dir
            .clone()
            .unwrap_or_else(|| base.join(name.trim_end_matches("-nc")));
        if !src.is_dir() {
            continue;
        }
        let mut licence_files: Vec<PathBuf> = std::fs::read_dir(&src)
            .map_err(|e| Error::io(&src, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let n = p
                    .file_name()
                    .map(|n| n.to_string_lossy().to_uppercase())
                    .unwrap_or_default();
                n.starts_with("LICENSE") || n.starts_with("NOTICE") || n.starts_with("DATA_LICENSE")
            })
            .collect();
        licence_files.sort();
        let dest = out.join("licenses").join(name);
        std::fs::create_dir_all(&dest).map_err(|e| Error::io(&dest, e))?;
        for f in licence_files {
            let to = dest.join(f.file_name().unwrap_or_default());
            std::fs::copy(&f, &to).map_err(|e| Error::io(&to, e))?;
            written.push(to);
        }
    }
    Ok(written)
}

/// What the default build leaves out and why (static part of the generated README).
const NOT_INCLUDED: &str = "
### Not included

- `raw-nc/` (CoScript, UltraTool, WorfBench wikihow, CodeAlpaca): non-commercial or
  unlicensed. `promptyard data build --include-nc` adds them under `*-nc` source names; a
  model trained on such a build must not be shipped commercially.
- Most of PlanBench: instances of one domain share the rules and differ in a few facts, so
  about 95% are near duplicates of another instance (Jaccard 0.85–0.98) and are dropped.
- WebArena information look-ups, WebVoyager dictionary and web-search look-ups, one-action
  WorkBench commands, WorfBench text-to-SQL (intercodesql) and visual multiple-choice (lumos)
  items, and six BIG-Bench Hard tasks: not what their label means.
- Untagged rows of self-instruct and awesome-chatgpt-prompts other than the ones
  `other/extract.py` hand-picked as clearly `other` (the rest ask for plans, code, maths or
  role-play set-ups), and the router projects' items whose licence was not verified or that
  are reasoning (see `other/README.md`).
- Whatever balancing trims: the big reasoning and code sources (GSM8K, MBXP, the mined stubs)
  have far more records than the planning class allows.
- The hand-written evaluation files, read only to keep their texts out of the splits:
  `lockbox_dev.jsonl` (330 prompts for final reported figures only, never trained on or tuned
  on; see `LOCKBOX_DEV.md`), `confusions/dev.jsonl` (136), `confusions/kinds_dev.jsonl` (48)
  and `confusions/multilingual_dev.jsonl` (40), never trained on. (The slices' training
  files, `confusions/train.jsonl` and `confusions/kinds_train.jsonl`, are the `confusions`
  and `kinds` sources above; see `confusions/README.md`.) Written by hand for this project;
  licence: the project's licence, MIT OR Apache-2.0, like `other_handwritten`.
";

/// The generated `data/README.md`: sources, licences, cuts and counts from `stats`.
pub fn render_readme(stats: &BuildStats) -> String {
    let mut md = String::new();
    let by_label = stats.by_label();
    let train_total: usize = by_label.iter().map(|r| r[0]).sum();
    let _ = writeln!(md, "# Bundled training data\n");
    let _ = writeln!(
        md,
        "Generated by `promptyard data build --raw ../shared/data/raw --out data/`; do not edit \
         by hand. Rebuilding reproduces `train`, `valid` and `test` byte for byte \
         (`tests/data_rebuild.rs`).\n"
    );
    let _ = writeln!(
        md,
        "Each line of `train.jsonl`, `valid.jsonl` and `test.jsonl` is one record \
         `{{\"id\", \"text\", \"label\", \"source\"}}` (plus `canary` on BIG-Bench Hard records, \
         which carry that benchmark's canary string so crawlers can filter them). The text is \
         normalised (Unicode NFC, whitespace tidied, code indentation kept). Splits are \
         assigned by problem group (80/10/10 by a stable hash), so every variant of a problem \
         (e.g. HumanEval/42 in any language or as infilling, one MBPP task in 13 languages, one \
         PlanBench instance in few- and zero-shot form) is in one split. Exact and near \
         duplicates (Jaccard ≥ 0.8 on word 5-gram shingles) are removed across the whole \
         dataset, so no normalised text is in two splits; so are duplicates of the hand-written \
         real-traffic sets `gateway_dev.jsonl`, `other/gateway_dev_other.jsonl` and \
         `other/gateway_dev_borderline.jsonl`, which are never trained on. Classes are \
         balanced in train (the largest at most 3 × the smallest, big sources trimmed first, \
         generated sources filled to at most 45% of a class); valid and test keep the same \
         per-source fractions.\n"
    );
    let _ = writeln!(
        md,
        "## Totals\n\nRead {} upstream records, kept {}.\n",
        stats.read(),
        stats.kept()
    );
    let _ = writeln!(
        md,
        "| label | train | valid | test | share of train | generated share of its train |\n\
         |---|---:|---:|---:|---:|---:|"
    );
    for l in Label::ALL {
        let r = by_label[l.index()];
        let pct = 100.0 * r[0] as f64 / train_total.max(1) as f64;
        let generated: usize = stats
            .sources
            .iter()
            .filter(|(name, _)| is_generated(name))
            .map(|(_, s)| s.kept[l.index()][Split::Train as usize])
            .sum();
        let gen_pct = 100.0 * generated as f64 / r[0].max(1) as f64;
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {pct:.1}% | {gen_pct:.1}% |",
            l.as_str(),
            r[0],
            r[1],
            r[2],
        );
    }
    let _ = writeln!(
        md,
        "\n### Dropped, by reason\n\n| reason | records |\n|---|---:|"
    );
    for (r, n) in stats.dropped() {
        let _ = writeln!(md, "| {r} | {n} |");
    }
    md.push_str(NOT_INCLUDED);
    let _ = writeln!(md, "\n## Sources\n");
    let _ = writeln!(
        md,
        "| source | licence | label | train | valid | test |\n|---|---|---|---:|---:|---:|"
    );
    for (name, s) in &stats.sources {
        for l in Label::ALL {
            let r = s.kept[l.index()];
            if r.iter().sum::<usize>() > 0 {
                let _ = writeln!(
                    md,
                    "| {name} | {} | {} | {} | {} | {} |",
                    s.licence,
                    l.as_str(),
                    r[0],
                    r[1],
                    r[2]
                );
            }
        }
    }
    for (name, s) in &stats.sources {
        let _ = writeln!(md, "\n### {name}\n");
        if s.non_commercial {
            let _ = writeln!(
                md,
                "**Non-commercial / unlicensed: only in `--include-nc` builds.**\n"
            );
        }
        let _ = writeln!(md, "- origin: {}", s.origin);
        let _ = writeln!(md, "- licence: {} (texts: {})", s.licence, s.licence_texts);
        let _ = writeln!(md, "- prompt cut: {}", s.cut);
        let _ = writeln!(
            md,
            "- read {}, prompts cut {}, kept {}",
            s.read,
            s.prompts,
            s.kept.iter().flatten().sum::<usize>()
        );
        for (r, n) in &s.dropped {
            let _ = writeln!(md, "- dropped {n}: {r}");
        }
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prompt(label: Label, source: &str, origin: &str, group: &str, text: &str) -> RawPrompt {
        RawPrompt {
            text: text.into(),
            label,
            source: source.into(),
            origin_id: origin.into(),
            group: group.into(),
            canary: None,
        }
    }

    /// Distinct texts: every 5-word shingle holds the topic and a number.
    fn text(i: usize, topic: &str) -> String {
        format!(
            "{topic} {i} {topic} {} {topic} {} {topic} {}",
            i * 7,
            i * 13,
            i * 31
        )
    }

    /// Only the raw folder: no extra sources, no synthesis, no guard.
    fn bare(raw_dir: &Path) -> BuildOptions {
        BuildOptions {
            raw_dir: raw_dir.to_path_buf(),
            raw_extra_dir: None,
            nc_dir: None,
            other_dir: None,
            confusions_dir: None,
            synth: false,
            guard_files: Vec::new(),
        }
    }

    #[test]
    fn a_missing_source_folder_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let opts = bare(dir.path());
        let err = build(&opts).unwrap_err().to_string();
        assert!(
            err.starts_with("source gsm8k:") && err.ends_with("folder missing"),
            "{err}"
        );
    }

    #[test]
    fn a_named_but_missing_input_is_an_error_not_a_dropped_source() {
        let dir = tempfile::tempdir().unwrap();
        let base = bare(dir.path());
        let missing = dir.path().join("nope");
        for (opts, what) in [
            (
                BuildOptions {
                    raw_extra_dir: Some(missing.clone()),
                    ..base.clone()
                },
                "source raw-extra:",
            ),
            (
                BuildOptions {
                    other_dir: Some(missing.clone()),
                    ..base.clone()
                },
                "source other:",
            ),
            (
                BuildOptions {
                    guard_files: vec![missing.join("gateway_dev.jsonl")],
                    ..base.clone()
                },
                "source guard:",
            ),
        ] {
            let err = build(&opts).unwrap_err().to_string();
            assert!(err.starts_with(what) && err.contains("nope"), "{err}");
        }
    }

    #[test]
    fn groups_stay_together_and_no_text_crosses_splits() {
        let mut prompts = Vec::new();
        for i in 0..300 {
            let g = format!("problem/{}", i / 3);
            prompts.push(prompt(
                Label::CodeCompletion,
                "code",
                &format!("{i}"),
                &g,
                &text(i, "code"),
            ));
            prompts.push(prompt(
                Label::Reasoning,
                "why",
                &format!("{i}"),
                &format!("w{i}"),
                &text(i, "why"),
            ));
            prompts.push(prompt(
                Label::Planning,
                "plan",
                &format!("{i}"),
                &format!("p{i}"),
                &text(i, "plan"),
            ));
        }
        // an exact duplicate (other spacing and case) and a near duplicate in other groups
        let long = "Schedule the five onboarding sessions for the new analysts across next week, \
                    avoiding Monday mornings and the Thursday all-hands, with one buffer slot per day";
        prompts.push(prompt(Label::Planning, "plan", "dup-a", "ga", long));
        prompts.push(prompt(
            Label::Planning,
            "plan",
            "dup-b",
            "gb",
            &long.to_uppercase(),
        ));
        prompts.push(prompt(
            Label::Planning,
            "plan",
            "dup-c",
            "gc",
            &format!("{long} please"),
        ));
        prompts.push(prompt(Label::Planning, "plan", "empty", "ge", " \n\t "));
        prompts.push(prompt(
            Label::Reasoning,
            "why",
            "guarded",
            "gg",
            "Is it TRUE that  heat escapes via the head?",
        ));
        let guard = vec!["is it true that heat escapes via the head?".to_string()];

        let mut stats = BuildStats::default();
        let out = process(prompts.clone(), &guard, &mut stats);
        let mut again_stats = BuildStats::default();
        assert_eq!(
            out,
            process(prompts, &guard, &mut again_stats),
            "deterministic"
        );

        let split_of_code_group: BTreeMap<String, Vec<Split>> = out
            .iter()
            .filter(|(_, r)| r.source == "code")
            .fold(BTreeMap::new(), |mut m, (s, r)| {
                let i: usize = r.id.trim_start_matches("code:").parse().unwrap();
                m.entry(format!("problem/{}", i / 3)).or_default().push(*s);
                m
            });
        assert!(split_of_code_group
            .values()
            .all(|v| v.iter().all(|s| *s == v[0])));
        assert!(split_of_code_group.values().any(|v| v[0] != Split::Train));

        let mut where_: HashMap<String, Split> = HashMap::new();
        for (s, r) in &out {
            assert_eq!(*where_.entry(dedupe_key(&r.text)).or_insert(*s), *s);
        }
        let dropped = stats.dropped();
        assert_eq!(dropped[reason::EXACT_DUP], 1);
        assert_eq!(dropped[reason::NEAR_DUP], 1);
        assert_eq!(dropped[reason::EMPTY], 1);
        assert_eq!(dropped[reason::GUARDED], 1);
        assert_eq!(
            out.iter()
                .filter(|(_, r)| r.id.starts_with("plan:dup"))
                .count(),
            1
        );
    }
}
