//! The resume checkpoint: after each chunk is written, where the input and output stand.
//!
//! Saved beside the output as `OUTPUT.checkpoint` (written to a temporary name and
//! renamed, so a kill never leaves half a checkpoint). The partial output is
//! `OUTPUT.partial`; a resume truncates it to `output_len` and seeks the input to
//! `next.offset`, so a kill after a write but before its checkpoint loses nothing.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::chunk::Position;
use crate::error::{Error, Result};
use crate::format::Format;
use crate::record::Counts;

/// Bumped when the file's meaning changes; older checkpoints are refused.
const VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Checkpoint {
    pub version: u32,
    /// The input file, canonicalised.
    pub input: PathBuf,
    /// The input's size when the run started; a different size means a different file.
    pub input_len: u64,
    pub format: Format,
    pub field: String,
    /// Where the next unread record starts.
    pub next: Position,
    /// Bytes of `OUTPUT.partial` that belong to the records before `next`.
    pub output_len: u64,
    /// Accounting for the records before `next`.
    pub counts: Counts,
}

/// `OUTPUT.suffix`, beside the output.
pub(crate) fn beside(output: &Path, suffix: &str) -> PathBuf {
    let mut name = output.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    output.with_file_name(name)
}

impl Checkpoint {
    pub(crate) fn new(input: PathBuf, input_len: u64, format: Format, field: String) -> Self {
        Checkpoint {
            version: VERSION,
            input,
            input_len,
            format,
            field,
            next: Position::START,
            output_len: 0,
            counts: Counts::default(),
        }
    }

    /// Reads a checkpoint; `None` when there is none.
    pub(crate) fn load(path: &Path) -> Result<Option<Self>> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(path, e)),
        };
        let ck: Checkpoint =
            serde_json::from_slice(&bytes).map_err(|e| Error::CheckpointUnreadable {
                path: path.to_path_buf(),
                msg: e.to_string(),
            })?;
        if ck.version != VERSION {
            return Err(Error::CheckpointVersion {
                path: path.to_path_buf(),
                found: ck.version,
                expected: VERSION,
            });
        }
        Ok(Some(ck))
    }

    /// Replaces the checkpoint atomically.
    pub(crate) fn save(&self, path: &Path) -> Result<()> {
        let tmp = beside(path, ".tmp");
        let bytes = serde_json::to_vec(self).expect("checkpoints serialise");
        std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
    }

    /// Checks that this checkpoint was written for the same input and settings.
    pub(crate) fn check_matches(&self, other: &Checkpoint, path: &Path) -> Result<()> {
        let mismatch = |setting, was: String, now: String| {
            Err(Error::CheckpointMismatch {
                path: path.to_path_buf(),
                setting,
                was,
                now,
            })
        };
        if self.input != other.input {
            let show = |p: &PathBuf| p.display().to_string();
            mismatch("input", show(&self.input), show(&other.input))
        } else if self.input_len != other.input_len {
            let bytes = |n: u64| format!("{n} bytes");
            mismatch("input size", bytes(self.input_len), bytes(other.input_len))
        } else if self.format != other.format {
            mismatch("format", self.format.to_string(), other.format.to_string())
        } else if self.field != other.field {
            let quoted = |f: &str| format!("`{f}`");
            mismatch("field path", quoted(&self.field), quoted(&other.field))
        } else {
            Ok(())
        }
    }
}
