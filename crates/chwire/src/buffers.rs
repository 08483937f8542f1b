//! [`BufferPool`]: large I/O buffers kept for reuse instead of freed. A fresh multi-megabyte
//! allocation costs a page fault per 4 KiB touched (and zeroing, where it is read into), which
//! measured at about a tenth of a bulk select's or insert's time.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use chwire_rt::AsyncIo;
use futures_util::AsyncReadExt;

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

/// Read buffers a connection keeps for reuse: enough for a streaming pipeline's queue to cycle
/// without allocating; more come back only between bursts and are freed.
pub(crate) const KEEP_READ_BUFFERS: usize = 6;

/// Reads up to `max` bytes from `io` into a buffer of `pool`, returned as `Bytes` that give the
/// buffer back when the last slice of them is dropped; empty means EOF. Cancel-safe (a dropped
/// read has read nothing). Every transport's socket reads go through it.
pub(crate) async fn read_lent(
    io: &mut Box<dyn AsyncIo>,
    pool: &Arc<BufferPool>,
    max: usize,
) -> std::io::Result<Bytes> {
    let mut buf = read_buffer(pool, max);
    match io.read(&mut buf).await {
        Ok(n) => Ok(Bytes::from_owner(LentBuffer {
            buf,
            len: n,
            home: Arc::clone(pool),
        })),
        Err(e) => {
            pool.put(buf);
            Err(e)
        }
    }
}

/// A buffer of exactly `len` initialised bytes, recycled when one is waiting. A recycled
/// buffer was zeroed when it was created: only a changed read size costs zeroing (of the new
/// part).
fn read_buffer(pool: &BufferPool, len: usize) -> Vec<u8> {
    match pool.take() {
        Some(mut buf) => {
            buf.resize(len, 0);
            buf
        }
        None => vec![0; len],
    }
}

/// A read buffer lent out as `Bytes`: body data reaches the decoder as slices of the buffer
/// it was read into (no copy), and the buffer goes back to its connection's pool when the last
/// slice is dropped, on whichever thread that happens.
struct LentBuffer {
    buf: Vec<u8>,
    len: usize,
    home: Arc<BufferPool>,
}

impl AsRef<[u8]> for LentBuffer {
    fn as_ref(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl Drop for LentBuffer {
    fn drop(&mut self) {
        self.home.put(std::mem::take(&mut self.buf));
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

    #[test]
    fn lent_read_buffers_come_back_when_the_last_slice_drops() {
        let home = Arc::new(BufferPool::new(KEEP_READ_BUFFERS));
        let mut buf = read_buffer(&home, 16);
        assert_eq!(buf.len(), 16);
        buf[..5].copy_from_slice(b"hello");
        let ptr = buf.as_ptr();
        let bytes = Bytes::from_owner(LentBuffer {
            buf,
            len: 5,
            home: Arc::clone(&home),
        });
        let tail = bytes.slice(1..);
        drop(bytes);
        assert_eq!(home.waiting(), 0, "a slice is still alive");
        assert_eq!(&tail[..], b"ello");
        drop(tail);
        // The same allocation, still 16 initialised bytes, serves the next read.
        let again = read_buffer(&home, 16);
        assert_eq!(again.as_ptr(), ptr);
        assert_eq!(again.len(), 16);
        for _ in 0..KEEP_READ_BUFFERS + 3 {
            home.put(vec![0; 4]);
        }
        assert_eq!(home.waiting(), KEEP_READ_BUFFERS);
    }
}
