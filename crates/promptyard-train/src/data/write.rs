//! Writing a split as JSON Lines, byte-for-byte reproducibly.
//!
//! Records are sorted by id and serialised with `serde_json` (fields in struct order, no
//! trailing spaces), one per line with `\n` endings. With `gzip`, the header carries no file
//! name and mtime 0, so the bytes depend on the records alone.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::data::Record;
use crate::{Error, Result};

/// Serialises `records` sorted by id: the exact bytes of a `.jsonl` split file.
pub fn to_jsonl(records: &[Record]) -> Vec<u8> {
    let mut sorted: Vec<&Record> = records.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let mut out = Vec::with_capacity(records.len() * 512);
    for r in sorted {
        // Serialising a struct of strings and a unit enum cannot fail.
        serde_json::to_writer(&mut out, r).expect("record serialises");
        out.push(b'\n');
    }
    out
}

/// Writes `records` to `dir/NAME.jsonl` (or `.jsonl.gz` with `gzip`), removing a stale file
/// of the other form so readers never see two versions. Returns the path written.
pub fn write_split(dir: &Path, name: &str, records: &[Record], gzip: bool) -> Result<PathBuf> {
    let plain = dir.join(format!("{name}.jsonl"));
    let gz = dir.join(format!("{name}.jsonl.gz"));
    let (path, stale) = if gzip { (gz, plain) } else { (plain, gz) };
    if stale.exists() {
        std::fs::remove_file(&stale).map_err(|e| Error::io(&stale, e))?;
    }
    let bytes = to_jsonl(records);
    let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
    let mut w = BufWriter::new(file);
    if gzip {
        let mut enc = flate2::GzBuilder::new()
            .mtime(0)
            .write(&mut w, flate2::Compression::best());
        enc.write_all(&bytes).map_err(|e| Error::io(&path, e))?;
        enc.finish().map_err(|e| Error::io(&path, e))?;
    } else {
        w.write_all(&bytes).map_err(|e| Error::io(&path, e))?;
    }
    w.flush().map_err(|e| Error::io(&path, e))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::read_jsonl_strict;
    use promptyard::label::Label;

    fn rec(id: &str) -> Record {
        Record {
            id: id.into(),
            text: format!("text of {id}"),
            label: Label::Reasoning,
            source: "s".into(),
            canary: None,
        }
    }

    #[test]
    fn output_is_sorted_and_gzip_is_reproducible() {
        let dir = tempfile::tempdir().unwrap();
        let records = vec![rec("s:2"), rec("s:1")];
        let a = write_split(dir.path(), "train", &records, true).unwrap();
        let first = std::fs::read(&a).unwrap();
        let b = write_split(dir.path(), "train", &records, true).unwrap();
        assert_eq!(first, std::fs::read(&b).unwrap());
        let back = read_jsonl_strict(&a).unwrap();
        assert_eq!(
            back.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["s:1", "s:2"]
        );
        // switching to plain removes the gzipped file
        write_split(dir.path(), "train", &records, false).unwrap();
        assert!(!a.exists());
        assert!(String::from_utf8(to_jsonl(&records))
            .unwrap()
            .starts_with("{\"id\":\"s:1\""));
    }
}
