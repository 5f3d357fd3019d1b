//! Published models: resolve a model spec (a path or `hf:ORG/REPO[@REV]`) to a local model
//! directory.
//!
//! A plain path is returned unchanged. `hf:ORG/REPO[@REVISION]` names a model directory
//! (`config.json` + `model.safetensors`) on the Hugging Face Hub. With the opt-in `hub`
//! feature it is looked up in the standard HF cache first (`HF_HUB_CACHE`, else
//! `$HF_HOME/hub`, else `~/.cache/huggingface/hub`) and downloaded into it on a miss unless
//! `HF_HUB_OFFLINE=1`. Without the feature an `hf:` spec is a typed [`Error::Hub`]: the
//! default build never touches the network.
//!
//! Library users call [`resolve_model`] before [`crate::router::RouterBuilder::model`],
//! which stays path-only.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The files of an encoder directory (the Hugging Face layout), fetched by
/// [`resolve_encoder`].
pub const ENCODER_FILES: [&str; 3] = ["config.json", "model.safetensors", "tokenizer.json"];

/// The prefix that marks a model spec as a Hub repository.
const HF_PREFIX: &str = "hf:";

/// A parsed `hf:ORG/REPO[@REVISION]` spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HubSpec {
    /// `ORG/REPO`.
    pub(crate) repo: String,
    /// Branch, tag or commit hash; `main` when omitted.
    pub(crate) revision: String,
}

impl HubSpec {
    /// Parses `hf:ORG/REPO[@REV]`; `Ok(None)` when `spec` has no `hf:` prefix (a plain path).
    pub(crate) fn parse(spec: &str) -> Result<Option<HubSpec>> {
        let Some(rest) = spec.strip_prefix(HF_PREFIX) else {
            return Ok(None);
        };
        let bad = |msg: &str| Error::Hub {
            spec: spec.to_string(),
            msg: format!("{msg}; expected hf:ORG/REPO or hf:ORG/REPO@REVISION"),
        };
        let (repo, revision) = match rest.split_once('@') {
            Some((repo, "")) => return Err(bad(&format!("empty revision after `@` in {repo}"))),
            Some((repo, rev)) => (repo, rev),
            None => (rest, "main"),
        };
        let parts: Vec<&str> = repo.split('/').collect();
        let valid = |p: &str| {
            !p.is_empty()
                && p != "."
                && p != ".."
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        };
        if parts.len() != 2 || !parts.iter().all(|p| valid(p)) {
            return Err(bad(&format!("`{repo}` is not a repository id")));
        }
        if revision.split('/').any(|p| !valid(p)) {
            return Err(bad(&format!("`{revision}` is not a revision")));
        }
        Ok(Some(HubSpec {
            repo: repo.to_string(),
            revision: revision.to_string(),
        }))
    }
}

/// Resolves a model spec to a local model directory.
///
/// A plain path comes back as is (it is checked when the model is loaded). An `hf:` spec
/// goes through the HF cache, see the module docs; offline is `HF_HUB_OFFLINE=1`.
pub fn resolve_model(spec: impl AsRef<Path>) -> Result<PathBuf> {
    resolve_files(spec.as_ref(), &crate::model::MODEL_FILES)
}

/// Like [`resolve_model`] for an encoder directory ([`ENCODER_FILES`]), e.g.
/// `hf:sentence-transformers/all-MiniLM-L6-v2`.
pub fn resolve_encoder(spec: impl AsRef<Path>) -> Result<PathBuf> {
    resolve_files(spec.as_ref(), &ENCODER_FILES)
}

fn resolve_files(path: &Path, files: &[&str]) -> Result<PathBuf> {
    // A non-UTF-8 argument cannot carry the `hf:` prefix: it is a path.
    match path.to_str().map(HubSpec::parse).transpose()?.flatten() {
        None => Ok(path.to_path_buf()),
        Some(hub) => resolve_env(&path.to_string_lossy(), &hub, files),
    }
}

/// Like [`resolve_model`] with an explicit cache directory (the `hub/` level that holds
/// `models--ORG--REPO`) and offline flag instead of the environment.
pub fn resolve_model_in(
    spec: impl AsRef<Path>,
    cache_dir: impl AsRef<Path>,
    offline: bool,
) -> Result<PathBuf> {
    let path = spec.as_ref();
    let cache_dir = cache_dir.as_ref();
    match path.to_str().map(HubSpec::parse).transpose()?.flatten() {
        None => Ok(path.to_path_buf()),
        Some(hub) => fetch(
            &path.to_string_lossy(),
            &hub,
            cache_dir,
            offline,
            &crate::model::MODEL_FILES,
        ),
    }
}

#[cfg(feature = "hub")]
fn resolve_env(spec: &str, hub: &HubSpec, files: &[&str]) -> Result<PathBuf> {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    let cache_dir = env("HF_HUB_CACHE")
        .map(PathBuf::from)
        .or_else(|| env("HF_HOME").map(|h| PathBuf::from(h).join("hub")))
        .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".cache/huggingface/hub")))
        .ok_or_else(|| Error::Hub {
            spec: spec.to_string(),
            msg: "no Hugging Face cache directory: set HF_HUB_CACHE or HF_HOME".to_string(),
        })?;
    let offline = env("HF_HUB_OFFLINE").is_some_and(|v| {
        matches!(
            v.to_str(),
            Some("1" | "true" | "TRUE" | "yes" | "ON" | "on")
        )
    });
    fetch(spec, hub, &cache_dir, offline, files)
}

#[cfg(not(feature = "hub"))]
fn resolve_env(spec: &str, hub: &HubSpec, files: &[&str]) -> Result<PathBuf> {
    fetch(spec, hub, Path::new(""), true, files)
}

#[cfg(not(feature = "hub"))]
fn fetch(
    spec: &str,
    hub: &HubSpec,
    _cache_dir: &Path,
    _offline: bool,
    _files: &[&str],
) -> Result<PathBuf> {
    Err(Error::Hub {
        spec: spec.to_string(),
        msg: format!(
            "hf: model specs need promptyard's `hub` cargo feature; without it, \
             download the repository (https://huggingface.co/{}/tree/{}) and load its \
             directory",
            hub.repo, hub.revision
        ),
    })
}

/// Returns the snapshot directory holding `files`, from the cache or downloaded.
#[cfg(feature = "hub")]
fn fetch(
    spec: &str,
    hub: &HubSpec,
    cache_dir: &Path,
    offline: bool,
    files: &[&str],
) -> Result<PathBuf> {
    if let Some(dir) = cached_snapshot(hub, cache_dir, files) {
        return Ok(dir);
    }
    let where_ = format!(
        "not in the local cache at {}",
        cache_dir.join(repo_folder(hub)).display()
    );
    if offline {
        return Err(Error::Hub {
            spec: spec.to_string(),
            msg: format!(
                "{where_}, and HF_HUB_OFFLINE=1 forbids downloading it; \
                 unset HF_HUB_OFFLINE (or set it to 0) to download, or load a local model directory"
            ),
        });
    }
    download(hub, cache_dir, files).map_err(|e| Error::Hub {
        spec: spec.to_string(),
        msg: format!(
            "{where_}, and the download failed: {e}; check the network and the repository \
             name (private repos need a token in HF_HOME/token), or load a local model directory"
        ),
    })
}

/// `models--ORG--REPO`, the cache folder layout shared with huggingface_hub.
#[cfg(feature = "hub")]
fn repo_folder(hub: &HubSpec) -> String {
    format!("models--{}", hub.repo.replace('/', "--"))
}

/// The cached snapshot for `hub`, if every model file is present. The revision is a ref
/// (`refs/<rev>` holds a commit hash) or a commit hash naming `snapshots/<rev>` directly.
#[cfg(feature = "hub")]
fn cached_snapshot(hub: &HubSpec, cache_dir: &Path, files: &[&str]) -> Option<PathBuf> {
    let repo_dir = cache_dir.join(repo_folder(hub));
    let commit = std::fs::read_to_string(repo_dir.join("refs").join(&hub.revision))
        .map(|c| c.trim().to_string())
        .unwrap_or_else(|_| hub.revision.clone());
    if commit.is_empty() || commit.contains(['/', '\\']) || commit.starts_with('.') {
        return None;
    }
    let dir = repo_dir.join("snapshots").join(commit);
    files.iter().all(|f| dir.join(f).is_file()).then_some(dir)
}

/// Downloads the model files with hf-hub's blocking client into `cache_dir`.
#[cfg(feature = "hub")]
fn download(
    hub: &HubSpec,
    cache_dir: &Path,
    files: &[&str],
) -> std::result::Result<PathBuf, String> {
    use hf_hub::api::sync::ApiBuilder;
    use hf_hub::{Cache, Repo, RepoType};

    let mut builder =
        ApiBuilder::from_cache(Cache::new(cache_dir.to_path_buf())).with_progress(false);
    if let Some(endpoint) = std::env::var_os("HF_ENDPOINT").and_then(|e| e.into_string().ok()) {
        builder = builder.with_endpoint(endpoint);
    }
    let api = builder.build().map_err(|e| e.to_string())?;
    let repo = api.repo(Repo::with_revision(
        hub.repo.clone(),
        RepoType::Model,
        hub.revision.clone(),
    ));
    let mut dir = None;
    for file in files {
        let path = repo.get(file).map_err(|e| format!("{file}: {e}"))?;
        dir = path.parent().map(Path::to_path_buf);
    }
    dir.ok_or_else(|| "hf-hub returned a file path without a parent".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_specs() {
        assert_eq!(HubSpec::parse("models/default").unwrap(), None);
        let s = HubSpec::parse("hf:acme/router-small").unwrap().unwrap();
        assert_eq!(
            (s.repo.as_str(), s.revision.as_str()),
            ("acme/router-small", "main")
        );
        let s = HubSpec::parse("hf:acme/r@v1.2").unwrap().unwrap();
        assert_eq!(s.revision, "v1.2");
        for bad in [
            "hf:",
            "hf:acme",
            "hf:a/b/c",
            "hf:acme/r@",
            "hf:../x",
            "hf:a/b@../x",
            "hf:a b/c",
        ] {
            assert!(
                matches!(HubSpec::parse(bad), Err(Error::Hub { .. })),
                "{bad} should be rejected"
            );
        }
    }
}
