//! The encoder tier: a BERT-family sentence encoder for the prompts the fast classifier is
//! unsure about (feature `encoder`).
//!
//! Pipeline, in the order of sentence-transformers' `all-MiniLM-L6-v2`:
//!
//! ```text
//! text ─▶ tokenizer.json ─▶ BERT (candle-transformers) ─▶ mean pool ─▶ L2 normalise ─▶ head
//!         (WordPiece,        hidden [B, T, H]               over the     e [B, H]         (linear
//!          ≤ max_tokens)                                    attention                     softmax)
//!                                                           mask
//! ```
//!
//! `e_b = normalise(Σ_t m_bt · h_bt / Σ_t m_bt)` with `m` the attention mask (1 for a token,
//! 0 for padding) and `normalise(x) = x / max(‖x‖₂, 1e-12)`, `h` the last layer's hidden
//! states. An encoder may instead pool several layers ([`Encoder::with_pooled_layers`]):
//! each layer's `e` as above, concatenated and divided by `√k` for `k` layers (unit length
//! again). A contrastively trained encoder's last layer is tuned for similarity, and the task
//! of a prompt reads better with a middle layer beside it (`docs/encoder.md`); a [`Head`]
//! records the layers it was trained on and the cascade pools those. The [`Head`] maps `e` to the four
//! label probabilities; it is trained by `promptyard train-encoder` and keyed to the
//! encoder's [`fingerprint`](Encoder::fingerprint), so the bundled head for
//! all-MiniLM-L6-v2 is found from the encoder directory alone.
//!
//! An encoder directory has the Hugging Face layout ([`ENCODER_FILES`]): `config.json`
//! (a BERT config), `model.safetensors` and `tokenizer.json`. Inference runs on the device
//! given (CPU, or a GPU with the `cuda` feature; see
//! [`device_from_name`](crate::classifier::device_from_name)); batches are sorted by length
//! so padding stays small.
//!
//! ```no_run
//! use promptyard::encoder::Encoder;
//! let enc = Encoder::load(".cache/encoders/all-minilm-l6-v2", &candle_core::Device::Cpu)?;
//! let e = enc.embed(&["Plan a product launch", "Why is this query slow?"])?;
//! assert_eq!(e[0].len(), enc.dim());
//! # Ok::<(), promptyard::Error>(())
//! ```

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertEncoder, BertModel, Config as BertConfig};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

use crate::error::{Error, Result};
use crate::hash::fnv1a_hex;

pub mod head;

pub use head::{Head, Layers};

pub use crate::hub::ENCODER_FILES;

/// Tokens kept per prompt (longer prompts are truncated): 128 is what all-MiniLM-L6-v2 was
/// trained with, and attention cost grows with its square.
pub const DEFAULT_MAX_TOKENS: usize = 128;

/// Prompts per forward pass in [`Encoder::embed`]: bounds memory (B × T × H activations).
pub const BATCH: usize = 32;

/// A loaded sentence encoder: BERT weights, tokenizer and device. Immutable; `Send + Sync`.
pub struct Encoder {
    /// The embedding layer alone (a BERT of 0 layers): token, position and type embeddings.
    embeddings: BertModel,
    /// The transformer layers one by one, so any layer's hidden states can be pooled.
    layers: Vec<BertEncoder>,
    /// Hidden states pooled into an embedding, ascending: 0 is the embedding layer's output,
    /// `layers.len()` the last layer's (the default).
    pooled: Vec<usize>,
    tokenizer: Tokenizer,
    device: Device,
    /// `hidden_size`.
    hidden: usize,
    fingerprint: String,
    path: PathBuf,
}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder")
            .field("path", &self.path)
            .field("dim", &self.dim())
            .field("pooled_layers", &self.pooled)
            .field("device", &self.device)
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

fn enc_err(path: impl Into<PathBuf>, msg: impl std::fmt::Display) -> Error {
    Error::Encoder {
        path: path.into(),
        msg: msg.to_string(),
    }
}

impl Encoder {
    /// Loads an encoder directory ([`ENCODER_FILES`]) onto `device`, truncating prompts to
    /// [`DEFAULT_MAX_TOKENS`].
    pub fn load(dir: impl AsRef<Path>, device: &Device) -> Result<Encoder> {
        let dir = dir.as_ref();
        for f in ENCODER_FILES {
            if !dir.join(f).is_file() {
                return Err(enc_err(
                    dir,
                    format!("missing {f} (an encoder directory holds {ENCODER_FILES:?})"),
                ));
            }
        }
        let cpath = dir.join("config.json");
        let config_bytes = std::fs::read(&cpath).map_err(|e| Error::io(&cpath, e))?;
        let config: BertConfig = serde_json::from_slice(&config_bytes)
            .map_err(|e| enc_err(&cpath, format!("not a BERT config: {e}")))?;
        let wpath = dir.join("model.safetensors");
        let weights = std::fs::read(&wpath).map_err(|e| Error::io(&wpath, e))?;
        let tpath = dir.join("tokenizer.json");
        let tokenizer_bytes = std::fs::read(&tpath).map_err(|e| Error::io(&tpath, e))?;
        let tokenizer = Tokenizer::from_bytes(&tokenizer_bytes)
            .map_err(|e| enc_err(&tpath, format!("not a tokenizer: {e}")))?;
        let fingerprint = fingerprint_of(
            &config_bytes,
            &tokenizer_bytes,
            &weights,
            weights.len() as u64,
        )
        .map_err(|msg| enc_err(&wpath, msg))?;
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, device)
            .map_err(|e| enc_err(&wpath, e))?;
        Encoder::from_parts(&config, vb, tokenizer, fingerprint, dir)
    }

    /// Builds an encoder from parts already in memory (tests build a tiny random BERT this
    /// way). `fingerprint` keys the [`Head`] that goes with it; `path` names it in errors.
    pub fn from_parts(
        config: &BertConfig,
        vb: VarBuilder,
        mut tokenizer: Tokenizer,
        fingerprint: String,
        path: impl AsRef<Path>,
    ) -> Result<Encoder> {
        let path = path.as_ref().to_path_buf();
        let device = vb.device().clone();
        let (embeddings, layers) = load_layers(vb, config).map_err(|e| enc_err(&path, e))?;
        // Pad each batch to its longest prompt (the file may ask for a fixed 128), keeping
        // the file's pad token and id.
        let pad = tokenizer.get_padding().cloned().unwrap_or_default();
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            ..pad
        }));
        let max_length = DEFAULT_MAX_TOKENS.min(config.max_position_embeddings);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length,
                ..Default::default()
            }))
            .map_err(|e| enc_err(&path, format!("tokenizer truncation: {e}")))?;
        Ok(Encoder {
            embeddings,
            pooled: vec![layers.len()],
            layers,
            tokenizer,
            device,
            hidden: config.hidden_size,
            fingerprint,
            path,
        })
    }

    /// Embedding width: `hidden_size` (384 for all-MiniLM-L6-v2) times the pooled layers.
    pub fn dim(&self) -> usize {
        self.hidden * self.pooled.len()
    }

    /// Transformer layers (12 for multilingual-e5-small).
    pub fn num_layers(&self) -> usize {
        self.layers.len()
    }

    /// The layers an embedding is pooled from (ascending; 0 is the embedding layer's output,
    /// [`num_layers`](Self::num_layers) the last layer's, the default).
    pub fn pooled_layers(&self) -> &[usize] {
        &self.pooled
    }

    /// True when the embedding is the last layer's alone (the default, what heads and caches
    /// written before layer pooling hold).
    pub fn pools_last_layer_only(&self) -> bool {
        self.pooled == [self.layers.len()]
    }

    /// The same encoder pooling these layers (see the module docs); an empty list means the
    /// last layer. Errors on a layer past the last or a list that is not strictly ascending.
    pub fn with_pooled_layers(mut self, layers: &[usize]) -> Result<Encoder> {
        if layers.is_empty() {
            self.pooled = vec![self.layers.len()];
            return Ok(self);
        }
        if layers.windows(2).any(|w| w[0] >= w[1]) || layers[layers.len() - 1] > self.layers.len() {
            return Err(enc_err(
                &self.path,
                format!(
                    "pooled layers {layers:?}: need strictly ascending layers in 0..={}",
                    self.layers.len()
                ),
            ));
        }
        self.pooled = layers.to_vec();
        Ok(self)
    }

    /// The device inference runs on.
    pub fn device(&self) -> &Device {
        &self.device
    }

    /// Where the encoder was loaded from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// FNV-1a 64 (hex) of `config.json`, `tokenizer.json`, and the size and header of
    /// `model.safetensors`: what a [`Head`] is keyed to. Reading the header instead of
    /// hashing 90 MB keeps loading fast; any retrained or re-exported weights change it.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// L2-normalised mean-pooled embeddings, one `dim()`-vector per text, in order.
    /// Texts are grouped by length into batches of [`BATCH`].
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| texts[i].len());
        let mut out = vec![Vec::new(); texts.len()];
        for chunk in order.chunks(BATCH) {
            let batch: Vec<&str> = chunk.iter().map(|&i| texts[i]).collect();
            for (&i, row) in chunk.iter().zip(self.embed_batch(&batch)?) {
                out[i] = row;
            }
        }
        Ok(out)
    }

    /// One forward pass over `texts` (no reordering, no chunking).
    pub fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| enc_err(&self.path, format!("tokenizing: {e}")))?;
        let width = encodings
            .iter()
            .map(|e| e.get_ids().len())
            .max()
            .unwrap_or(0)
            .max(1);
        let b = encodings.len();
        let mut ids = vec![0u32; b * width];
        let mut mask = vec![0u32; b * width];
        for (r, e) in encodings.iter().enumerate() {
            let n = e.get_ids().len();
            ids[r * width..r * width + n].copy_from_slice(e.get_ids());
            mask[r * width..r * width + n].copy_from_slice(e.get_attention_mask());
        }
        let ids = Tensor::from_vec(ids, (b, width), &self.device)?;
        let mask = Tensor::from_vec(mask, (b, width), &self.device)?;
        let type_ids = ids.zeros_like()?;
        let mut hidden = self.embeddings.forward(&ids, &type_ids, Some(&mask))?;
        // What BertModel::forward does with the mask: 0 for a token, f32::MIN for padding.
        let extended = {
            let a = mask.unsqueeze(1)?.unsqueeze(1)?.to_dtype(hidden.dtype())?;
            let min = Tensor::try_from(f32::MIN)?
                .to_device(&self.device)?
                .to_dtype(hidden.dtype())?;
            (a.ones_like()? - &a)?.broadcast_mul(&min)?
        };
        let m = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
        let counts = m.sum(1)?.clamp(1e-9f32, f32::MAX)?;
        let mut parts = Vec::with_capacity(self.pooled.len());
        for depth in 0..=self.pooled[self.pooled.len() - 1] {
            if depth > 0 {
                hidden = self.layers[depth - 1].forward(&hidden, &extended)?;
            }
            if self.pooled.contains(&depth) {
                let mean = hidden.broadcast_mul(&m)?.sum(1)?.broadcast_div(&counts)?;
                let norm = mean
                    .sqr()?
                    .sum_keepdim(1)?
                    .sqrt()?
                    .clamp(1e-12f32, f32::MAX)?;
                parts.push(mean.broadcast_div(&norm)?);
            }
        }
        let e = if parts.len() == 1 {
            parts.remove(0)
        } else {
            (Tensor::cat(&parts, 1)? / (parts.len() as f64).sqrt())?
        };
        Ok(e.to_device(&Device::Cpu)?.to_vec2::<f32>()?)
    }
}

/// A BERT's embedding layer and its transformer layers one by one, from the names
/// `BertModel::load` reads (`encoder.layer.N.…`, or under the config's `model_type` prefix).
fn load_layers(
    vb: VarBuilder,
    config: &BertConfig,
) -> candle_core::Result<(BertModel, Vec<BertEncoder>)> {
    let embeddings = BertModel::load(
        vb.clone(),
        &BertConfig {
            num_hidden_layers: 0,
            ..config.clone()
        },
    )?;
    let one = BertConfig {
        num_hidden_layers: 1,
        ..config.clone()
    };
    let layer = |prefix: &str, i: usize| {
        // A one-layer encoder reads `layer.0.…`: point that at layer i.
        let from = format!("{prefix}.layer.0.");
        let to = format!("{prefix}.layer.{i}.");
        let renamed = vb
            .clone()
            .rename_f(move |name: &str| name.replacen(&from, &to, 1));
        BertEncoder::load(renamed.pp(prefix), &one)
    };
    let layers = (0..config.num_hidden_layers)
        .map(|i| {
            layer("encoder", i).or_else(|e| match &config.model_type {
                Some(t) => layer(&format!("{t}.encoder"), i),
                None => Err(e),
            })
        })
        .collect::<candle_core::Result<Vec<_>>>()?;
    Ok((embeddings, layers))
}

/// See [`Encoder::fingerprint`]: `weights` is the start of `model.safetensors` (at least its
/// header), `size` the whole file's length.
fn fingerprint_of(
    config: &[u8],
    tokenizer: &[u8],
    weights: &[u8],
    size: u64,
) -> std::result::Result<String, &'static str> {
    let header_len = weights
        .get(..8)
        .map(|b| u64::from_le_bytes(b.try_into().unwrap_or_default()))
        .ok_or("shorter than a safetensors header")?;
    let header = usize::try_from(header_len)
        .ok()
        .and_then(|n| weights.get(8..8usize.checked_add(n)?))
        .ok_or("truncated safetensors header")?;
    Ok(fnv1a_hex(&[
        b"config.json\n",
        config,
        b"tokenizer.json\n",
        tokenizer,
        b"model.safetensors\n",
        &size.to_le_bytes(),
        header,
    ]))
}

/// Hashes an encoder directory's files as [`Encoder::fingerprint`] does, without loading
/// the model (reads the safetensors header only).
pub fn fingerprint_dir(dir: impl AsRef<Path>) -> Result<String> {
    use std::io::Read;
    let dir = dir.as_ref();
    let read = |f: &str| {
        let p = dir.join(f);
        std::fs::read(&p).map_err(|e| Error::io(&p, e))
    };
    let (config, tokenizer) = (read("config.json")?, read("tokenizer.json")?);
    let wpath = dir.join("model.safetensors");
    let mut file = std::fs::File::open(&wpath).map_err(|e| Error::io(&wpath, e))?;
    let size = file.metadata().map_err(|e| Error::io(&wpath, e))?.len();
    let mut head = [0u8; 8];
    file.read_exact(&mut head)
        .map_err(|e| Error::io(&wpath, e))?;
    let n = u64::from_le_bytes(head);
    if n > size.saturating_sub(8) {
        return Err(enc_err(&wpath, "truncated safetensors header"));
    }
    let mut weights = head.to_vec();
    weights.resize(8 + n as usize, 0);
    file.read_exact(&mut weights[8..])
        .map_err(|e| Error::io(&wpath, e))?;
    fingerprint_of(&config, &tokenizer, &weights, size).map_err(|msg| enc_err(&wpath, msg))
}

/// A tiny randomly initialised BERT and a WordPiece tokenizer over a dozen words, built in
/// memory: covers the encoder's code paths without the real weights.
#[cfg(test)]
pub(crate) mod tiny {
    use super::*;
    use candle_nn::VarMap;

    /// Width of the tiny encoder's embeddings.
    pub(crate) const DIM: usize = 8;

    const TOKENIZER: &str = r####"{
      "version": "1.0", "truncation": null, "padding": null, "added_tokens": [],
      "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
                     "strip_accents": null, "lowercase": true},
      "pre_tokenizer": {"type": "BertPreTokenizer"},
      "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]},
      "decoder": null,
      "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                "max_input_chars_per_word": 100,
                "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "plan": 4, "a": 5,
                          "trip": 6, "why": 7, "is": 8, "this": 9, "slow": 10, "write": 11,
                          "code": 12, "##s": 13, "the": 14, "query": 15}}
    }"####;

    pub(crate) fn config() -> BertConfig {
        serde_json::from_str(
            r#"{"vocab_size": 16, "hidden_size": 8, "num_hidden_layers": 2,
                "num_attention_heads": 2, "intermediate_size": 16, "hidden_act": "gelu",
                "hidden_dropout_prob": 0.0, "max_position_embeddings": 32,
                "type_vocab_size": 2, "initializer_range": 0.02, "layer_norm_eps": 1e-12,
                "pad_token_id": 0, "model_type": "bert"}"#,
        )
        .expect("tiny BERT config")
    }

    /// Deterministic values in [-1, 1) (an LCG), so the test numbers do not depend on a
    /// random seed.
    fn fill(n: usize, seed: &mut u64) -> Vec<f32> {
        (0..n)
            .map(|_| {
                *seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((*seed >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
            })
            .collect()
    }

    pub(crate) fn encoder() -> Encoder {
        let varmap = VarMap::new();
        let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
        let tokenizer = TOKENIZER.parse::<Tokenizer>().expect("tiny tokenizer");
        let enc = Encoder::from_parts(&config(), vb, tokenizer, "tiny".into(), "<tiny>")
            .expect("tiny encoder");
        // The model holds the same Vars: overwrite them in name order with fixed values.
        let data = varmap.data().lock().expect("varmap");
        let mut names: Vec<&String> = data.keys().collect();
        names.sort();
        let mut seed = 7u64;
        for name in names {
            let var = &data[name];
            let values = fill(var.elem_count(), &mut seed);
            let t = Tensor::from_vec(values, var.shape(), &Device::Cpu).expect("tensor");
            var.set(&t).expect("set var");
        }
        drop(data);
        enc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeddings_are_unit_length_and_independent_of_the_batch() {
        let enc = tiny::encoder();
        assert_eq!(enc.dim(), tiny::DIM);
        let texts = ["plan a trip", "why is this query slow", "write code", "the"];
        let batched = enc.embed(&texts).unwrap();
        for (t, e) in texts.iter().zip(&batched) {
            let norm: f32 = e.iter().map(|x| x * x).sum::<f32>().sqrt();
            assert!((norm - 1.0).abs() < 1e-5, "{t}: ‖e‖ = {norm}");
            // Alone (no padding) and in a padded batch: the mask makes them agree.
            let alone = &enc.embed(&[t]).unwrap()[0];
            for (a, b) in alone.iter().zip(e) {
                assert!((a - b).abs() < 1e-4, "{t}: {alone:?} vs {e:?}");
            }
        }
        assert_ne!(batched[0], batched[1]);
        assert!(enc.embed(&[]).unwrap().is_empty());
    }

    #[test]
    fn pooled_layers_are_unit_parts_side_by_side() {
        let texts = ["plan a trip", "why is this query slow"];
        let last = tiny::encoder().embed(&texts).unwrap();
        let enc = tiny::encoder().with_pooled_layers(&[0, 2]).unwrap();
        assert_eq!((enc.pooled_layers(), enc.dim()), (&[0, 2][..], 2 * tiny::DIM));
        let both = enc.embed(&texts).unwrap();
        let alone = tiny::encoder().with_pooled_layers(&[0]).unwrap().embed(&texts).unwrap();
        let half = std::f32::consts::FRAC_1_SQRT_2;
        for i in 0..texts.len() {
            let norm: f32 = both[i].iter().map(|x| x * x).sum::<f32>().sqrt();
            assert!((norm - 1.0).abs() < 1e-5, "‖e‖ = {norm}");
            // Each part is that layer's unit embedding, scaled by 1/√2.
            for (k, (a, b)) in both[i][tiny::DIM..].iter().zip(&last[i]).enumerate() {
                assert!((a - b * half).abs() < 1e-5, "last layer, value {k}");
            }
            for (k, (a, b)) in both[i][..tiny::DIM].iter().zip(&alone[i]).enumerate() {
                assert!((a - b * half).abs() < 1e-5, "layer 0, value {k}");
            }
            // The embedding layer's output is not the last layer's.
            assert!(alone[i].iter().zip(&last[i]).any(|(a, b)| (a - b).abs() > 1e-3));
        }
        // An empty list is the last layer; a layer past it, or a list out of order, is refused.
        let reset = tiny::encoder().with_pooled_layers(&[]).unwrap();
        assert_eq!(reset.pooled_layers(), [2]);
        for bad in [&[3][..], &[2, 1], &[1, 1]] {
            let err = tiny::encoder().with_pooled_layers(bad).unwrap_err().to_string();
            assert!(err.contains("pooled layers"), "{bad:?}: {err}");
        }
    }

    #[test]
    fn long_prompts_are_truncated_not_refused() {
        let enc = tiny::encoder();
        // 300 words > 32 positions: without truncation BERT would fail on positions.
        let long = "plan a trip ".repeat(100);
        let e = enc.embed(&[long.as_str()]).unwrap();
        assert_eq!(e[0].len(), tiny::DIM);
    }

    #[test]
    fn fingerprint_reads_the_header_only_and_matches_load_time() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.json"), b"{}").unwrap();
        std::fs::write(dir.path().join("tokenizer.json"), b"{}").unwrap();
        let mut st = 8u64.to_le_bytes().to_vec();
        st.extend(b"{}      ");
        st.extend([1, 2, 3, 4]);
        std::fs::write(dir.path().join("model.safetensors"), &st).unwrap();
        let a = fingerprint_dir(dir.path()).unwrap();
        assert_eq!(
            a,
            fingerprint_of(b"{}", b"{}", &st, st.len() as u64).unwrap()
        );
        // Other weights of the same shapes and size would collide: the size and header are
        // what is hashed, by design. A longer file does not.
        st.extend([5]);
        std::fs::write(dir.path().join("model.safetensors"), &st).unwrap();
        assert_ne!(a, fingerprint_dir(dir.path()).unwrap());
        st.truncate(10);
        std::fs::write(dir.path().join("model.safetensors"), &st).unwrap();
        assert!(fingerprint_dir(dir.path()).is_err());
    }
}
