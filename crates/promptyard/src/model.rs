//! The classifier's files on disk: one home for their names, format and checks.
//!
//! A model directory holds `model.safetensors` and `config.json` ([`ModelConfig`]). The
//! safetensors file has three tensors: `embedding` `[buckets, dim]` (stored as f16),
//! `linear.weight` `[labels, dim]` and `linear.bias` `[labels]` (f32); its metadata repeats the
//! format, label order, featurizer settings and dim, and both copies are checked against each
//! other and against this build at load. Any mismatch is an [`Error::Model`] naming the file.
//!
//! The label order is [`Label::ALL`] (four labels), or [`Label::LEGACY`] for models trained
//! before `other` existed: their `linear` tensors have three rows, and the classifier reports
//! `other` with probability 0 for them.
//!
//! [`ModelFile`] is the parsed file (what training writes and tooling inspects);
//! [`Classifier`](crate::classifier::Classifier) keeps only the table the hot path reads.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::features::FeaturizerConfig;
use crate::hash::{fnv1a64_parts, fnv1a_hex, Fingerprint};
use crate::label::Label;

/// `format` value of a model this build can read.
pub const MODEL_FORMAT: &str = "switchyard-fasttext-v1";
/// Weights file inside a model directory.
pub const WEIGHTS_FILE: &str = "model.safetensors";
/// Config file inside a model directory.
pub const CONFIG_FILE: &str = "config.json";
/// The files of a model directory, as published (`hf:ORG/REPO`) and as saved.
pub const MODEL_FILES: [&str; 2] = [CONFIG_FILE, WEIGHTS_FILE];

const T_EMBEDDING: &str = "embedding";
const T_WEIGHT: &str = "linear.weight";
const T_BIAS: &str = "linear.bias";

/// How a model was trained: provenance written by training, shown by `eval`.
///
/// Equality ignores [`seconds`](Self::seconds), which is not saved: a model read back from
/// disk equals the one that was written.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TrainingInfo {
    /// RNG seed of initialisation and shuffling (of the first model of an ensemble).
    pub seed: u64,
    /// Models averaged into this one, seeds `seed`, `seed + 1`, … (1, and not saved, for one).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub ensemble: usize,
    /// Epochs run.
    pub epochs: usize,
    /// Training examples seen per epoch.
    pub examples: usize,
    /// FNV-1a 64 (hex) over the training records' ids, labels and texts, in file order.
    pub data_fingerprint: String,
    /// The data files trained on.
    pub data_files: Vec<String>,
    /// Wall-clock training time, seconds. Not saved: it would make identical retrains differ.
    #[serde(default, skip_serializing)]
    pub seconds: f64,
    /// Validation metrics (accuracy, macro_f1, ece, nll, ...).
    pub metrics: BTreeMap<String, f64>,
}

impl PartialEq for TrainingInfo {
    fn eq(&self, other: &Self) -> bool {
        // Destructured so that a new field cannot be left out of the comparison by mistake.
        let TrainingInfo {
            seed,
            ensemble,
            epochs,
            examples,
            data_fingerprint,
            data_files,
            seconds: _,
            metrics,
        } = self;
        *seed == other.seed
            && *ensemble == other.ensemble
            && *epochs == other.epochs
            && *examples == other.examples
            && *data_fingerprint == other.data_fingerprint
            && *data_files == other.data_files
            && *metrics == other.metrics
    }
}

impl TrainingInfo {
    /// Provenance of a run with `seed` over `examples` records with the given fingerprint.
    pub fn new(seed: u64, epochs: usize, examples: usize, data_fingerprint: String) -> Self {
        TrainingInfo {
            seed,
            epochs,
            examples,
            data_fingerprint,
            ..TrainingInfo::default()
        }
    }
}

impl Default for TrainingInfo {
    /// One model (`ensemble` 1, as a file without the field reads), nothing else known.
    fn default() -> Self {
        TrainingInfo {
            seed: 0,
            ensemble: one(),
            epochs: 0,
            examples: 0,
            data_fingerprint: String::new(),
            data_files: Vec::new(),
            seconds: 0.0,
            metrics: BTreeMap::new(),
        }
    }
}

fn one() -> usize {
    1
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

/// `config.json` of a model directory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ModelConfig {
    /// Always [`MODEL_FORMAT`].
    pub format: String,
    /// Label order of the output rows: [`Label::ALL`], or [`Label::LEGACY`] for a three-label
    /// model (which never predicts `other`).
    pub labels: Vec<Label>,
    /// Featurizer settings the weights were trained with.
    pub featurizer: FeaturizerConfig,
    /// Embedding width.
    pub dim: usize,
    /// Softmax temperature fitted on the validation split (1.0 = uncalibrated).
    pub temperature: f32,
    /// Tempers short prompts: a prompt with `n` features gets the temperature
    /// `temperature · (1 + (short_scale / n)²)`. The mean of a handful of rows is as extreme
    /// as the mean of hundreds, so without it `x` or `?` came back at p = 1.000. Fitted on
    /// hand-written short prompts (`data/short/`); absent (no tempering) in older models.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_scale: Option<f32>,
    /// Provenance; absent for hand-built models.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training: Option<TrainingInfo>,
}

impl ModelConfig {
    /// A fresh config for `featurizer` and `dim`, temperature 1.
    pub fn new(featurizer: FeaturizerConfig, dim: usize) -> Self {
        ModelConfig {
            format: MODEL_FORMAT.to_string(),
            labels: Label::ALL.to_vec(),
            featurizer,
            dim,
            temperature: 1.0,
            short_scale: None,
            training: None,
        }
    }

    /// Output rows of the model: 4, or 3 for a [`Label::LEGACY`] model.
    pub fn num_labels(&self) -> usize {
        self.labels.len()
    }
}

/// A model's weights as saved: the embedding rounded to f16 (its stored precision), the linear
/// layer in f32. Row-major.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ModelFile {
    /// Settings and provenance.
    pub config: ModelConfig,
    /// `[buckets, dim]`, f16.
    pub embedding: Vec<half::f16>,
    /// `[labels, dim]`.
    pub weight: Vec<f32>,
    /// `[labels]`.
    pub bias: Vec<f32>,
    fingerprint: String,
}

fn model_err(path: &Path, msg: impl Into<String>) -> Error {
    Error::Model {
        path: path.to_path_buf(),
        msg: msg.into(),
    }
}

fn metadata(config: &ModelConfig) -> HashMap<String, String> {
    let labels: Vec<&str> = config.labels.iter().map(|l| l.as_str()).collect();
    HashMap::from([
        ("format".to_string(), config.format.clone()),
        ("labels".to_string(), labels.join(",")),
        (
            "featurizer".to_string(),
            serde_json::to_string(&config.featurizer).unwrap_or_default(),
        ),
        ("dim".to_string(), config.dim.to_string()),
    ])
}

/// FNV-1a over the metadata (sorted by key) and the tensors' stored bytes: equal for equal
/// weights however the file was written (safetensors writes metadata in hash-map order).
fn fingerprint_of(meta: &HashMap<String, String>, tensors: [&[u8]; 3]) -> String {
    let sorted: BTreeMap<&String, &String> = meta.iter().collect();
    let mut parts: Vec<&[u8]> = Vec::new();
    for (k, v) in &sorted {
        parts.extend([k.as_bytes(), b"=", v.as_bytes(), b"\n"]);
    }
    parts.extend(tensors);
    fnv1a_hex(&parts)
}

fn f16_le(v: &[half::f16]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn f32_le(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// Where the bundled model's files are named in errors.
const BUNDLED_DIR: &str = "<bundled models/default>";

/// The default model, embedded in the library with `include_bytes!` so it works from any
/// directory with zero configuration (about 8 MB of the binary, paged in once at first use).
const BUNDLED_WEIGHTS: &[u8] = include_bytes!("../../../models/default/model.safetensors");
const BUNDLED_CONFIG: &[u8] = include_bytes!("../../../models/default/config.json");

impl ModelFile {
    /// Builds a model from weights in f32 (the embedding is rounded to f16, its stored
    /// precision, so the result predicts exactly what its saved copy will).
    pub fn from_f32(
        config: ModelConfig,
        embedding: &[f32],
        weight: &[f32],
        bias: &[f32],
    ) -> Result<Self> {
        let buckets = config.featurizer.buckets as usize;
        let labels = config.num_labels();
        let dir = Path::new("<in memory>");
        for (name, len, want) in [
            (T_EMBEDDING, embedding.len(), buckets * config.dim),
            (T_WEIGHT, weight.len(), labels * config.dim),
            (T_BIAS, bias.len(), labels),
        ] {
            if len != want {
                return Err(model_err(
                    &dir.join(WEIGHTS_FILE),
                    format!("tensor {name} has {len} values, config implies {want}"),
                ));
            }
        }
        let embedding: Vec<half::f16> = embedding.iter().map(|&x| half::f16::from_f32(x)).collect();
        let mut file = ModelFile {
            config,
            embedding,
            weight: weight.to_vec(),
            bias: bias.to_vec(),
            fingerprint: String::new(),
        };
        file.check(dir)?;
        file.fingerprint = fingerprint_of(
            &metadata(&file.config),
            [&f16_le(&file.embedding), &f32_le(&file.weight), &f32_le(&file.bias)],
        );
        Ok(file)
    }

    /// Reads a model directory (`model.safetensors` + `config.json`).
    pub fn load(dir: impl AsRef<Path>) -> Result<Self> {
        let dir = dir.as_ref();
        let read = |p: PathBuf| {
            std::fs::read(&p).map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    model_err(
                        &p,
                        "missing (a model directory holds model.safetensors and config.json)",
                    )
                } else {
                    Error::io(&p, e)
                }
            })
        };
        let config = read(dir.join(CONFIG_FILE))?;
        let weights = read(dir.join(WEIGHTS_FILE))?;
        Self::from_bytes(&config, &weights, dir)
    }

    /// The default model bundled with the library.
    pub fn bundled() -> Result<Self> {
        Self::from_bytes(BUNDLED_CONFIG, BUNDLED_WEIGHTS, Path::new(BUNDLED_DIR))
    }

    /// Parses a model from the bytes of its two files; `dir` names them in errors.
    pub fn from_bytes(
        config_json: &[u8],
        safetensors_bytes: &[u8],
        dir: impl AsRef<Path>,
    ) -> Result<Self> {
        let dir = dir.as_ref();
        let cpath = dir.join(CONFIG_FILE);
        let wpath = dir.join(WEIGHTS_FILE);
        let config: ModelConfig = serde_json::from_slice(config_json)
            .map_err(|e| model_err(&cpath, format!("invalid config: {e}")))?;
        check_config(&config, &cpath)?;
        let st = safetensors::SafeTensors::deserialize(safetensors_bytes).map_err(|e| {
            model_err(
                &wpath,
                format!("not a valid safetensors file (truncated?): {e}"),
            )
        })?;
        let (_, header) = safetensors::SafeTensors::read_metadata(safetensors_bytes)
            .map_err(|e| model_err(&wpath, format!("unreadable header: {e}")))?;
        let meta = header.metadata().clone().unwrap_or_default();
        let expected = metadata(&config);
        for key in ["format", "labels", "featurizer", "dim"] {
            let (got, want) = (meta.get(key), expected.get(key));
            let same = match key {
                "featurizer" => {
                    got.and_then(|g| serde_json::from_str::<FeaturizerConfig>(g).ok())
                        .as_ref()
                        == Some(&config.featurizer)
                }
                _ => got == want,
            };
            if !same {
                return Err(model_err(
                    &wpath,
                    format!(
                        "metadata {key} = {} does not match config.json ({})",
                        got.map_or("<missing>", String::as_str),
                        want.map_or("", String::as_str)
                    ),
                ));
            }
        }
        let buckets = config.featurizer.buckets as usize;
        // Borrowed from `safetensors_bytes`: a load holds the file's bytes and the decoded
        // tensors, never a third copy.
        let tensor = |name: &str, shape: &[usize]| -> Result<(safetensors::Dtype, &[u8])> {
            let view = st
                .tensor(name)
                .map_err(|e| model_err(&wpath, format!("tensor {name}: {e}")))?;
            if view.shape() != shape {
                return Err(model_err(
                    &wpath,
                    format!(
                        "tensor {name} has shape {:?}, config.json implies {shape:?}",
                        view.shape()
                    ),
                ));
            }
            match view.dtype() {
                d @ (safetensors::Dtype::F16 | safetensors::Dtype::F32) => Ok((d, view.data())),
                other => Err(model_err(
                    &wpath,
                    format!("tensor {name} has dtype {other:?} (expected F16 or F32)"),
                )),
            }
        };
        let (edt, ebytes) = tensor(T_EMBEDDING, &[buckets, config.dim])?;
        let labels = config.num_labels();
        let (wdt, wbytes) = tensor(T_WEIGHT, &[labels, config.dim])?;
        let (bdt, bbytes) = tensor(T_BIAS, &[labels])?;
        let fingerprint = fingerprint_of(&meta, [ebytes, wbytes, bbytes]);
        let embedding = match edt {
            safetensors::Dtype::F16 => ebytes
                .chunks_exact(2)
                .map(|c| half::f16::from_le_bytes([c[0], c[1]]))
                .collect(),
            _ => to_f32(ebytes, edt)
                .into_iter()
                .map(half::f16::from_f32)
                .collect(),
        };
        let file = ModelFile {
            config,
            embedding,
            weight: to_f32(wbytes, wdt),
            bias: to_f32(bbytes, bdt),
            fingerprint,
        };
        file.check(dir)?;
        Ok(file)
    }

    /// Values must be finite, and so must every projected score, so that no input can give
    /// NaN probabilities (finite f16 weights can still overflow once multiplied out).
    fn check(&self, dir: &Path) -> Result<()> {
        let wpath = dir.join(WEIGHTS_FILE);
        check_config(&self.config, &dir.join(CONFIG_FILE))?;
        for (name, finite) in [
            (T_EMBEDDING, self.embedding.iter().all(|x| x.is_finite())),
            (T_WEIGHT, self.weight.iter().all(|x| x.is_finite())),
            (T_BIAS, self.bias.iter().all(|x| x.is_finite())),
        ] {
            if !finite {
                return Err(model_err(
                    &wpath,
                    format!("tensor {name} holds non-finite values"),
                ));
            }
        }
        Ok(())
    }

    /// FNV-1a 64 (hex) over the weights' metadata and tensor data: tells which weights
    /// produced a decision, and is equal for equal weights however they were saved. The
    /// temperature is part of it: two models that differ only there decide differently.
    pub fn fingerprint(&self) -> String {
        self.fingerprint_inline().to_string()
    }

    /// [`ModelFile::fingerprint`] held inline (what a classifier keeps).
    pub(crate) fn fingerprint_inline(&self) -> Fingerprint {
        let base = u64::from_str_radix(&self.fingerprint, 16).unwrap_or(0);
        let t = self.config.temperature.to_le_bytes();
        Fingerprint::new(match self.config.short_scale {
            // Older models (no short-prompt tempering) keep their fingerprints.
            None => fnv1a64_parts(&[&base.to_le_bytes(), b"temperature=", &t]),
            Some(s) => fnv1a64_parts(&[
                &base.to_le_bytes(),
                b"temperature=",
                &t,
                b"short_scale=",
                &s.to_le_bytes(),
            ]),
        })
    }

    /// The file contents: (`config.json`, `model.safetensors`).
    pub fn to_bytes(&self) -> Result<(Vec<u8>, Vec<u8>)> {
        let buckets = self.config.featurizer.buckets as usize;
        let labels = self.config.num_labels();
        let weights = encode_safetensors(
            &metadata(&self.config),
            &[
                (T_EMBEDDING, "F16", vec![buckets, self.config.dim], f16_le(&self.embedding)),
                (T_WEIGHT, "F32", vec![labels, self.config.dim], f32_le(&self.weight)),
                (T_BIAS, "F32", vec![labels], f32_le(&self.bias)),
            ],
        );
        let mut json = serde_json::to_vec_pretty(&self.config)
            .map_err(|e| model_err(Path::new(CONFIG_FILE), e.to_string()))?;
        json.push(b'\n');
        Ok((json, weights))
    }

    /// Writes `model.safetensors` and `config.json` into `dir` (created if needed). Equal
    /// weights and config give byte-identical files.
    pub fn save(&self, dir: impl AsRef<Path>) -> Result<()> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let (json, weights) = self.to_bytes()?;
        let wpath = dir.join(WEIGHTS_FILE);
        std::fs::write(&wpath, weights).map_err(|e| Error::io(&wpath, e))?;
        let cpath = dir.join(CONFIG_FILE);
        std::fs::write(&cpath, json).map_err(|e| Error::io(&cpath, e))
    }

    /// The embedding widened to f32, row-major `[buckets, dim]`.
    pub fn embedding_f32(&self) -> Vec<f32> {
        self.embedding.iter().map(|x| x.to_f32()).collect()
    }
}

/// A safetensors file with its header keys in sorted order, so equal weights give equal
/// bytes (the `safetensors` crate writes metadata in hash-map order). Layout: header length
/// (u64 LE), the JSON header padded with spaces to a multiple of 8, then the tensors' bytes.
pub(crate) fn encode_safetensors(
    meta: &HashMap<String, String>,
    tensors: &[(&str, &str, Vec<usize>, Vec<u8>)],
) -> Vec<u8> {
    let mut header = serde_json::Map::new();
    header.insert(
        "__metadata__".into(),
        serde_json::to_value(meta.iter().collect::<BTreeMap<_, _>>()).unwrap_or_default(),
    );
    let mut offset = 0usize;
    for (name, dtype, shape, data) in tensors {
        header.insert(
            (*name).into(),
            serde_json::json!({
                "dtype": dtype,
                "shape": shape,
                "data_offsets": [offset, offset + data.len()],
            }),
        );
        offset += data.len();
    }
    // serde_json's map is sorted by key (no `preserve_order` feature in this workspace).
    let mut json = serde_json::Value::Object(header).to_string().into_bytes();
    json.resize(json.len().div_ceil(8) * 8, b' ');
    let mut out = Vec::with_capacity(8 + json.len() + offset);
    out.extend((json.len() as u64).to_le_bytes());
    out.extend(json);
    for (_, _, _, data) in tensors {
        out.extend(data);
    }
    out
}

fn check_config(config: &ModelConfig, cpath: &Path) -> Result<()> {
    if config.format != MODEL_FORMAT {
        return Err(model_err(
            cpath,
            format!(
                "format {:?} is not supported (expected {MODEL_FORMAT:?})",
                config.format
            ),
        ));
    }
    if config.labels != Label::ALL && config.labels != Label::LEGACY {
        return Err(model_err(
            cpath,
            format!(
                "label order {:?} is neither this build's {:?} nor the three-label {:?}",
                config.labels,
                Label::ALL,
                Label::LEGACY
            ),
        ));
    }
    if !(config.temperature.is_finite() && config.temperature > 0.0) {
        return Err(model_err(
            cpath,
            format!("temperature {} is not positive", config.temperature),
        ));
    }
    if let Some(scale) = config.short_scale {
        if !(scale.is_finite() && scale > 0.0 && scale <= 1e4) {
            return Err(model_err(
                cpath,
                format!("short_scale {scale} is not within (0, 10000]"),
            ));
        }
    }
    if !(1..=4096).contains(&config.dim) {
        return Err(model_err(
            cpath,
            format!("dim {} is not within 1..=4096", config.dim),
        ));
    }
    config
        .featurizer
        .validate()
        .map_err(|e| model_err(cpath, e.to_string()))
}

fn to_f32(bytes: &[u8], dtype: safetensors::Dtype) -> Vec<f32> {
    match dtype {
        safetensors::Dtype::F16 => bytes
            .chunks_exact(2)
            .map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect(),
        _ => bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
    }
}
