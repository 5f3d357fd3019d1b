//! Byte buffers handed back for reuse: a run's chunk and output buffers cycle through a few
//! pools instead of being freed and allocated afresh, since fresh ones cost a page fault and
//! the kernel's zeroing of every page (6% of a label run's CPU, measured; `benchmarks/REPORT.md`,
//! session 16).

use std::sync::{Arc, Mutex, PoisonError};

/// A bounded, shared stack of empty buffers; clones share it.
#[derive(Clone, Debug)]
pub(crate) struct Buffers {
    free: Arc<Mutex<Vec<Vec<u8>>>>,
    /// Buffers kept at most; more handed back are freed, so memory stays bounded.
    keep: usize,
    /// A buffer grown past this many bytes (by a very long line) is freed, not kept.
    max_bytes: usize,
}

impl Buffers {
    pub(crate) fn new(keep: usize, max_bytes: usize) -> Self {
        Buffers {
            free: Arc::default(),
            keep,
            max_bytes,
        }
    }

    /// An empty buffer with room for at least `capacity` bytes: a used one if there is one.
    pub(crate) fn take(&self, capacity: usize) -> Vec<u8> {
        let reused = self
            .free
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let mut buf = reused.unwrap_or_default();
        buf.reserve(capacity);
        buf
    }

    /// Hands `buf` back (emptied) for a later [`Buffers::take`].
    pub(crate) fn give(&self, mut buf: Vec<u8>) {
        if buf.capacity() == 0 || buf.capacity() > self.max_bytes {
            return;
        }
        buf.clear();
        let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
        if free.len() < self.keep {
            free.push(buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_buffer_given_back_is_taken_again_empty_and_the_pool_stays_bounded() {
        let pool = Buffers::new(1, 1000);
        let mut a = pool.take(100);
        a.extend_from_slice(b"hello");
        let ptr = a.as_ptr();
        pool.give(a);
        pool.give(Vec::with_capacity(10)); // over `keep`: freed
        let b = pool.take(50);
        assert!(b.is_empty());
        assert_eq!(b.as_ptr(), ptr, "the used buffer comes back");
        assert!(b.capacity() >= 100);
        let c = pool.take(10);
        assert_ne!(c.as_ptr(), ptr);
        assert!(c.capacity() >= 10);
        pool.give(Vec::with_capacity(2000)); // over `max_bytes`: freed
        assert_eq!(pool.take(0).capacity(), 0);
    }
}
