//! `hub::resolve_model`: plain paths pass through; `hf:` specs need the `hub` feature and,
//! with it, resolve from a local HF cache layout. Never touches the network: the feature
//! tests use an explicit cache directory and offline mode.

use std::path::{Path, PathBuf};

use promptyard::hub::{resolve_model, resolve_model_in};
use promptyard::Error;

#[test]
fn plain_paths_pass_through() {
    for p in ["models/default", "/abs/dir", "hf", "./hf:local"] {
        assert_eq!(resolve_model(p).unwrap(), PathBuf::from(p));
    }
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        resolve_model_in("models/default", dir.path(), true).unwrap(),
        PathBuf::from("models/default")
    );
}

#[test]
fn malformed_spec_is_a_typed_error() {
    let err = resolve_model("hf:no-slash").unwrap_err();
    assert!(matches!(err, Error::Hub { .. }), "{err:?}");
    assert!(err.to_string().contains("hf:ORG/REPO"), "{err}");
}

#[cfg(not(feature = "hub"))]
#[test]
fn hf_spec_without_feature_says_how_to_get_it() {
    let dir = tempfile::tempdir().unwrap();
    for err in [
        resolve_model("hf:acme/router-small").unwrap_err(),
        resolve_model_in("hf:acme/router-small@v1", dir.path(), true).unwrap_err(),
    ] {
        let msg = err.to_string();
        assert!(matches!(err, Error::Hub { .. }), "{err:?}");
        assert!(msg.contains("`hub` cargo feature"), "{msg}");
        assert!(
            msg.contains("https://huggingface.co/acme/router-small/tree/"),
            "{msg}"
        );
        assert!(
            !msg.contains("--"),
            "the library names no command-line flag: {msg}"
        );
    }
}

/// Lays out `models--ORG--REPO` like huggingface_hub does: `refs/main` holds the commit,
/// `snapshots/<commit>/` holds the files (copied from the bundled model).
#[cfg(feature = "hub")]
fn fake_cache(cache: &Path, repo: &str, commit: &str) -> PathBuf {
    let repo_dir = cache.join(format!("models--{}", repo.replace('/', "--")));
    std::fs::create_dir_all(repo_dir.join("refs")).unwrap();
    std::fs::write(repo_dir.join("refs/main"), commit).unwrap();
    let snap = repo_dir.join("snapshots").join(commit);
    std::fs::create_dir_all(&snap).unwrap();
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/default");
    for f in promptyard::model::MODEL_FILES {
        std::fs::copy(bundled.join(f), snap.join(f)).unwrap();
    }
    snap
}

#[cfg(feature = "hub")]
#[test]
fn cached_repo_resolves_offline_and_loads() {
    let cache = tempfile::tempdir().unwrap();
    let commit = "0123456789abcdef0123456789abcdef01234567";
    let snap = fake_cache(cache.path(), "acme/router-small", commit);

    let dir = resolve_model_in("hf:acme/router-small", cache.path(), true).unwrap();
    assert_eq!(dir, snap);
    promptyard::classifier::Classifier::load(&dir).unwrap();
    // A commit hash as revision names the snapshot directly.
    let by_hash = format!("hf:acme/router-small@{commit}");
    assert_eq!(
        resolve_model_in(&by_hash, cache.path(), true).unwrap(),
        snap
    );
}

#[cfg(feature = "hub")]
#[test]
fn uncached_or_incomplete_repo_offline_is_a_clear_error() {
    let cache = tempfile::tempdir().unwrap();
    let snap = fake_cache(cache.path(), "acme/partial", "c0ffee");
    std::fs::remove_file(snap.join("model.safetensors")).unwrap();
    for spec in ["hf:acme/missing", "hf:acme/partial", "hf:acme/partial@v2"] {
        let err = resolve_model_in(spec, cache.path(), true).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, Error::Hub { .. }), "{err:?}");
        assert!(msg.contains("not in the local cache at"), "{msg}");
        assert!(msg.contains("HF_HUB_OFFLINE"), "{msg}");
        assert!(msg.contains("local model directory"), "{msg}");
    }
}

/// `promptyard route --model hf:…` with the cache and offline mode taken from the
/// environment, as a user would set them; the child process gets its own env.
fn route_hf(spec: &str, cache: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_promptyard"))
        .args(["route", "--model", spec, "write a binary search in rust"])
        .env("HF_HUB_CACHE", cache)
        .env("HF_HUB_OFFLINE", "1")
        .env_remove("HF_HOME")
        .output()
        .unwrap()
}

#[cfg(not(feature = "hub"))]
#[test]
fn cli_hf_model_without_feature_fails_clearly() {
    let cache = tempfile::tempdir().unwrap();
    let out = route_hf("hf:acme/router-small", cache.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("--features hub"), "{stderr}");
}

#[cfg(feature = "hub")]
#[test]
fn cli_routes_with_a_cached_hf_model_offline() {
    let cache = tempfile::tempdir().unwrap();
    fake_cache(cache.path(), "acme/router-small", "feedface");
    let out = route_hf("hf:acme/router-small", cache.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.is_object(), "{v}");

    let out = route_hf("hf:acme/elsewhere", cache.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("not in the local cache at"), "{stderr}");
}
