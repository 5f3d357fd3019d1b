//! The file system side of a run: opening inputs (gzip detected by its magic bytes), the
//! identity of an input file, refusing an output that is the input, and the lock that keeps
//! two runs off one output.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::checkpoint::InputHash;
use crate::error::{Error, Result};

/// The two bytes every gzip member starts with.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Reads up to two bytes and puts them back in front of the rest: gzip streams (also several
/// concatenated members, as `cat a.gz b.gz` makes) are decompressed, anything else passes.
pub(crate) fn maybe_gunzip<'a>(
    mut read: Box<dyn Read + Send + 'a>,
) -> std::io::Result<(Box<dyn Read + Send + 'a>, bool)> {
    let mut head = [0u8; 2];
    let mut n = 0;
    while n < 2 {
        match read.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let whole = std::io::Cursor::new(head[..n].to_vec()).chain(read);
    Ok(if n == 2 && head == GZIP_MAGIC {
        (Box::new(flate2::read::MultiGzDecoder::new(whole)), true)
    } else {
        (Box::new(whole), false)
    })
}

/// Whether the file at `path` is gzip (by its first two bytes).
pub(crate) fn is_gzip(path: &Path) -> Result<bool> {
    let mut f = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut head = [0u8; 2];
    let n = f.read(&mut head).map_err(|e| Error::io(path, e))?;
    Ok(n == 2 && head == GZIP_MAGIC)
}

/// The input's records as a byte stream starting at `offset` (decompressed bytes for gzip,
/// which cannot seek, so the first `offset` bytes are decompressed and dropped).
pub(crate) fn open_at(path: &Path, offset: u64) -> Result<Box<dyn Read + Send + 'static>> {
    open_counted(path, offset).map(|(read, _)| read)
}

/// An opened input: its records as a byte stream.
type Input = Box<dyn Read + Send + 'static>;

/// A reader that counts the bytes it passes on, readable from another thread.
struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// [`open_at`], plus for a gzip file a count of the compressed bytes read so far (from the
/// file's start): decompressed offsets have no known total, the file's size does, so this
/// is what a progress bar can show for gzip.
pub(crate) fn open_counted(path: &Path, offset: u64) -> Result<(Input, Option<Arc<AtomicU64>>)> {
    let io = |e| Error::io(path, e);
    let mut file = File::open(path).map_err(io)?;
    if !file.metadata().map_err(io)?.is_file() {
        // A FIFO or device: read once, as a stream (it cannot be resumed, so offset is 0).
        return Ok((maybe_gunzip(Box::new(file)).map_err(io)?.0, None));
    }
    if is_gzip(path)? {
        let count = Arc::new(AtomicU64::new(0));
        let counted = Counting {
            inner: file,
            read: Arc::clone(&count),
        };
        let mut read: Box<dyn Read + Send> = Box::new(flate2::read::MultiGzDecoder::new(
            std::io::BufReader::with_capacity(1 << 16, counted),
        ));
        let skipped =
            std::io::copy(&mut (&mut read).take(offset), &mut std::io::sink()).map_err(io)?;
        if skipped < offset {
            return Err(Error::io(
                path,
                std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    format!(
                        "the input ends after {skipped} bytes, before the resume point {offset}"
                    ),
                ),
            ));
        }
        return Ok((read, Some(count)));
    }
    if offset > 0 {
        file.seek(SeekFrom::Start(offset)).map_err(io)?;
    }
    Ok((Box::new(file), None))
}

/// Hashes the input's bytes from its start, a chunk at a time, on a stream of its own (the
/// chunk readers read ahead, so they cannot say which bytes were consumed).
pub(crate) struct Prefix {
    read: Box<dyn Read + Send + 'static>,
    path: PathBuf,
    pub(crate) hash: InputHash,
    buf: Vec<u8>,
}

impl Prefix {
    pub(crate) fn open(path: &Path) -> Result<Self> {
        Ok(Prefix {
            read: open_at(path, 0)?,
            path: path.to_path_buf(),
            hash: InputHash::default(),
            buf: vec![0; 1 << 20],
        })
    }

    /// Hashes on up to byte `offset` (or the end of the input, whichever is first).
    pub(crate) fn advance_to(&mut self, offset: u64) -> Result<()> {
        while self.hash.len() < offset {
            let want = (offset - self.hash.len()).min(self.buf.len() as u64) as usize;
            let n = match self.read.read(&mut self.buf[..want]) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::io(&self.path, e)),
            };
            self.hash.update(&self.buf[..n]);
        }
        Ok(())
    }
}

/// Modification time, ns since the Unix epoch, where the platform has one.
pub(crate) fn modified_ns(meta: &Metadata) -> Option<u64> {
    let t = meta.modified().ok()?;
    let d = t.duration_since(std::time::UNIX_EPOCH).ok()?;
    u64::try_from(d.as_nanos()).ok()
}

/// Whether `path` exists and is the same file as the one `meta` describes (same device and
/// inode on Unix, so hard links, symlinks and `..` in paths are all seen through).
pub(crate) fn is_same_file(meta: &Metadata, canonical: &Path, path: &Path) -> bool {
    let Ok(other) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = canonical;
        meta.dev() == other.dev() && meta.ino() == other.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (meta, other);
        path.canonicalize().is_ok_and(|p| p == canonical)
    }
}

/// Opens `partial` for writing without truncating it and takes an exclusive advisory lock
/// on it; the lock lives as long as the file handle. Returns the file and whether this call
/// created it. Refuses with [`Error::OutputLocked`] when another run holds the lock.
pub(crate) fn lock_partial(partial: &Path) -> Result<(File, bool)> {
    // A lock is briefly held by a forked child of this process between its fork and exec
    // (the handle is close-on-exec), so a busy lock is tried again for half a second: a
    // real concurrent run holds it for its whole length.
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(500);
    let mut attempts = 0;
    let existed = partial.exists();
    loop {
        attempts += 1;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(partial)
            .map_err(|e| Error::write(partial, e))?;
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => {}
            Err(fs4::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(10));
                continue;
            }
            Err(fs4::TryLockError::WouldBlock) => {
                return Err(Error::OutputLocked {
                    path: partial.to_path_buf(),
                })
            }
            Err(fs4::TryLockError::Error(e)) => return Err(Error::write(partial, e)),
        }
        // A run that just finished renamed this very file to the output and let go of the
        // lock: the path now names another file (or none), and this handle is the output.
        // Try again with whatever the path names now.
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let held = file.metadata().map_err(|e| Error::io(partial, e))?;
            match std::fs::metadata(partial) {
                Ok(now) if now.dev() == held.dev() && now.ino() == held.ino() => {}
                _ if attempts < 100 => continue,
                _ => {
                    return Err(Error::OutputLocked {
                        path: partial.to_path_buf(),
                    })
                }
            }
        }
        return Ok((file, !existed));
    }
}
