//! Bucket ids are persisted with every model's weights, so the featurizer's output must not
//! drift when its code is made faster: a digest of every id of every prompt in the realistic
//! bench set (code, prose, CJK, mixed; 720 prompts) and the training split, under several
//! configurations, is pinned here.

use promptyard::features::{FeatureScratch, Featurizer, FeaturizerConfig};

/// Count and digest of the ids of every line's `text`, each line's ids sorted.
fn digest(cfg: FeaturizerConfig, files: &[&str]) -> (u64, u64) {
    let f = Featurizer::new(cfg).unwrap();
    let (mut scratch, mut ids) = (FeatureScratch::default(), Vec::new());
    let (mut n, mut h) = (0u64, 0xcbf2_9ce4_8422_2325u64);
    for file in files {
        let path = format!("{}/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        for line in text.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            f.featurize(v["text"].as_str().unwrap(), &mut scratch, &mut ids);
            // A prompt's ids are a bag (the model sums their rows), so the order the
            // featurizer emits them in is free; the ids and their counts are pinned.
            ids.sort_unstable();
            n += ids.len() as u64;
            for &b in &ids {
                h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
            }
            h = (h ^ 0xff).wrapping_mul(0x100_0000_01b3);
        }
    }
    (n, h)
}

/// The digests change when `data/train.jsonl` is rebuilt with other records: re-pin only
/// after checking that the featurizer gives the old digests on the old file (last re-pinned
/// 2026-12-03, when the `kinds` source grew a second time; the old file gave the old digests).
const FILES: [&str; 2] = ["benches/data/realistic.jsonl", "data/train.jsonl"];

/// The truncation budget of every default before 2026-12-03 (session 15): 2,048 bytes of head,
/// 512 of tail. Models trained with it (`1a3ca91f` and older) keep loading with it.
fn old_budget() -> FeaturizerConfig {
    FeaturizerConfig {
        head_bytes: 2048,
        tail_bytes: 512,
        ..Default::default()
    }
}

#[test]
fn default_config_ids_are_pinned() {
    let got = digest(FeaturizerConfig::default(), &FILES);
    assert_eq!(
        got,
        (2_826_252, 13_119_379_339_645_688_614),
        "feature ids drifted: every model's weights would be invalid"
    );
    // The default up to model 1a3ca91f (the same rules, the longer budget).
    assert_eq!(
        digest(old_budget(), &FILES),
        (3_635_893, 4_978_706_387_188_184_423),
        "feature ids drifted: every model's weights would be invalid"
    );
}

#[test]
fn other_configs_ids_are_pinned() {
    let cfgs = [
        // Scheme 2's default until 2026-12-02 (char 6-grams, no lead words; model c1da2eb2).
        FeaturizerConfig {
            scheme: 2,
            lead_tokens: 0,
            ..old_budget()
        },
        // The default before that (char 4-grams): models trained with it keep loading.
        FeaturizerConfig {
            char_ngram_min: 4,
            char_ngram_max: 4,
            lead_tokens: 0,
            ..old_budget()
        },
        FeaturizerConfig {
            char_ngram_min: 3,
            char_ngram_max: 5,
            lead_tokens: 0,
            ..old_budget()
        },
        FeaturizerConfig {
            char_ngram_min: 0,
            char_ngram_max: 0,
            word_ngrams: 1,
            lead_tokens: 0,
            ..old_budget()
        },
        FeaturizerConfig {
            char_ngram_min: 1,
            char_ngram_max: 8,
            buckets: 1 << 20,
            head_bytes: 300,
            tail_bytes: 100,
            lead_tokens: 0,
            ..old_budget()
        },
    ];
    let got: Vec<_> = cfgs.into_iter().map(|c| digest(c, &FILES)).collect();
    assert_eq!(
        got,
        vec![
            (3_527_393, 14_917_266_398_210_739_503),
            (4_670_969, 12_401_046_615_078_227_860),
            (9_559_867, 1_288_551_558_584_437_647),
            (1_121_309, 10_610_120_346_912_913_864),
            (12_967_200, 15_617_869_485_106_615_648),
        ],
        "feature ids drifted: every model's weights would be invalid"
    );
}
