//! [`BufferPool`]: large I/O buffers kept for reuse instead of freed. A fresh multi-megabyte
//! allocation costs a page fault per 4 KiB touched (and zeroing, where it is read into), which
//! measured at about a tenth of a bulk select's or insert's time.

use std::sync::Mutex;

/// Buffers given back for reuse, at most `keep` of them; the rest are freed. Shared across
/// threads: a buffer often comes back on another thread than the one that took it.
#[derive(Debug)]
pub(crate) struct BufferPool {
    free: Mutex<Vec<Vec<u8>>>,
    keep: usize,
}

impl BufferPool {
    pub(crate) fn new(keep: usize) -> BufferPool {
        BufferPool {
            free: Mutex::new(Vec::new()),
            keep,
        }
    }

    /// A buffer given back earlier (its length and bytes as they were), or `None`.
    pub(crate) fn take(&self) -> Option<Vec<u8>> {
        self.free.lock().unwrap_or_else(|e| e.into_inner()).pop()
    }

    /// Keeps `buf` for reuse, unless `keep` buffers are already waiting.
    pub(crate) fn put(&self, buf: Vec<u8>) {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        if free.len() < self.keep {
            free.push(buf);
        }
    }

    #[cfg(test)]
    pub(crate) fn waiting(&self) -> usize {
        self.free.lock().unwrap().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_at_most_keep_buffers() {
        let pool = BufferPool::new(2);
        assert!(pool.take().is_none());
        for _ in 0..5 {
            pool.put(vec![7; 4]);
        }
        assert_eq!(pool.waiting(), 2);
        assert_eq!(pool.take(), Some(vec![7; 4]));
    }
}
