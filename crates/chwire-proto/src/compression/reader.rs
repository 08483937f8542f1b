//! Incremental decoding of a compressed block stream.

use bytes::{Buf, Bytes, BytesMut};

use super::{
    CHECKSUM_SIZE, CompressionError, CompressionMethod, DEFAULT_MAX_BLOCK_SIZE, HEADER_SIZE,
    block_checksum,
};

/// Checksum plus header: what must be buffered before a block's sizes are known.
const PREFIX_SIZE: usize = CHECKSUM_SIZE + HEADER_SIZE;

/// Decodes a stream of compressed blocks fed in arbitrary pieces.
///
/// Sans-IO: append received bytes with [`feed`](Self::feed) (or read straight into
/// [`buffer_mut`](Self::buffer_mut)), then call [`next_block`](Self::next_block) until it returns
/// `Ok(None)`. How the input is split never changes the output.
///
/// Declared sizes are checked against [`max_block_size`](Self::max_block_size) as soon as the
/// 25-byte prefix has arrived, before any payload is awaited or memory reserved. Decompression
/// writes into one buffer of exactly the declared uncompressed size, allocated only after the
/// checksum matched and the payload was found able to expand to that size, so a block can never
/// make the reader allocate more than the cap. Blocks stored with method `None` are returned without
/// copying (a slice of the input buffer).
///
/// Errors are not consumed: after an error the stream is corrupt and the reader should be dropped.
pub struct CompressedBlockReader {
    buf: BytesMut,
    max_block_size: u32,
    /// Reused across ZSTD blocks: creating a context costs an allocation of ~100 KiB.
    zstd: Option<zstd::bulk::Decompressor<'static>>,
}

impl std::fmt::Debug for CompressedBlockReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompressedBlockReader")
            .field("buffered", &self.buf.len())
            .field("max_block_size", &self.max_block_size)
            .finish_non_exhaustive()
    }
}

/// A copy of the reader's state; the ZSTD context is not copied (it is recreated when needed).
impl Clone for CompressedBlockReader {
    fn clone(&self) -> Self {
        CompressedBlockReader {
            buf: self.buf.clone(),
            max_block_size: self.max_block_size,
            zstd: None,
        }
    }
}

impl Default for CompressedBlockReader {
    fn default() -> Self {
        Self::new()
    }
}

/// The fixed-size part of a block, validated.
#[derive(Debug, Clone, Copy)]
struct Header {
    checksum: u128,
    method: CompressionMethod,
    /// Checksum + header + payload.
    total_len: usize,
    uncompressed_size: u32,
}

impl CompressedBlockReader {
    /// A reader accepting blocks up to [`DEFAULT_MAX_BLOCK_SIZE`].
    pub fn new() -> Self {
        Self::with_max_block_size(DEFAULT_MAX_BLOCK_SIZE)
    }

    /// A reader rejecting blocks whose declared uncompressed size exceeds `max_block_size` bytes.
    /// The declared compressed size may exceed it only by the codecs' worst-case expansion of
    /// incompressible data (about 0.4 % plus a few bytes).
    pub fn with_max_block_size(max_block_size: u32) -> Self {
        CompressedBlockReader {
            buf: BytesMut::new(),
            max_block_size,
            zstd: None,
        }
    }

    /// The cap on a block's declared uncompressed size.
    pub fn max_block_size(&self) -> u32 {
        self.max_block_size
    }

    /// Appends received bytes.
    pub fn feed(&mut self, data: &[u8]) {
        self.buf.extend_from_slice(data);
    }

    /// The input buffer, for callers that read from a socket straight into it. Only append to it.
    pub fn buffer_mut(&mut self) -> &mut BytesMut {
        &mut self.buf
    }

    /// Bytes received but not yet returned as part of a block.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// How many more bytes the next block needs before [`next_block`](Self::next_block) can
    /// return it (0 if a whole block is buffered). Useful to size reads.
    pub fn bytes_needed(&self) -> usize {
        match self.header() {
            Ok(Some(h)) => h.total_len.saturating_sub(self.buf.len()),
            Ok(None) => PREFIX_SIZE - self.buf.len(),
            Err(_) => 0,
        }
    }

    /// Decodes the next block if it has fully arrived: `Ok(None)` means more input is needed.
    pub fn next_block(&mut self) -> Result<Option<Bytes>, CompressionError> {
        let Some(header) = self.header()? else {
            return Ok(None);
        };
        if self.buf.len() < header.total_len {
            // Reserving what is still missing saves regrowing the buffer piecewise as the
            // payload arrives; but only up to `RESERVE_AHEAD` (more than the server's 1 MiB
            // blocks): a 25-byte header could otherwise claim a gigabyte that never comes.
            const RESERVE_AHEAD: usize = 8 << 20;
            self.buf
                .reserve((header.total_len - self.buf.len()).min(RESERVE_AHEAD));
            return Ok(None);
        }

        let block = &self.buf[..header.total_len];
        let actual = block_checksum(&block[CHECKSUM_SIZE..]);
        if actual != header.checksum {
            return Err(CompressionError::ChecksumMismatch {
                expected: header.checksum,
                actual,
            });
        }
        let payload = &block[PREFIX_SIZE..];
        let declared = header.uncompressed_size as usize;
        check_expansion(header.method, payload, header.uncompressed_size)?;

        let out = match header.method {
            CompressionMethod::None => {
                // The header check guarantees payload length == declared size.
                let block = self.buf.split_to(header.total_len).freeze();
                return Ok(Some(block.slice(PREFIX_SIZE..)));
            }
            CompressionMethod::Lz4 => {
                // Zeroed (calloc'd) rather than reused, so corrupt input can never expose
                // stale bytes; `safe-decode` bounds every write to this slice.
                let mut out = vec![0u8; declared];
                let n = lz4_flex::block::decompress_into(payload, &mut out).map_err(|e| {
                    CompressionError::Corrupt {
                        method: CompressionMethod::Lz4,
                        reason: e.to_string(),
                    }
                })?;
                if n != declared {
                    return Err(CompressionError::SizeMismatch {
                        declared: header.uncompressed_size,
                        actual: n as u64,
                    });
                }
                out
            }
            CompressionMethod::Zstd => {
                let dctx = match &mut self.zstd {
                    Some(d) => d,
                    slot @ None => slot.insert(zstd::bulk::Decompressor::new().map_err(|e| {
                        CompressionError::Corrupt {
                            method: CompressionMethod::Zstd,
                            reason: format!("cannot create decompression context: {e}"),
                        }
                    })?),
                };
                // ZSTD writes into the spare capacity and fails rather than exceed it.
                let mut out = Vec::with_capacity(declared);
                dctx.decompress_to_buffer(payload, &mut out).map_err(|e| {
                    CompressionError::Corrupt {
                        method: CompressionMethod::Zstd,
                        reason: e.to_string(),
                    }
                })?;
                if out.len() != declared {
                    return Err(CompressionError::SizeMismatch {
                        declared: header.uncompressed_size,
                        actual: out.len() as u64,
                    });
                }
                out
            }
        };
        self.buf.advance(header.total_len);
        Ok(Some(Bytes::from(out)))
    }

    /// Declares the end of input: fails with [`CompressionError::Truncated`] if part of a block
    /// is still buffered. Call after `next_block` has returned `Ok(None)`.
    pub fn finish(&self) -> Result<(), CompressionError> {
        if self.buf.is_empty() {
            Ok(())
        } else {
            Err(CompressionError::Truncated {
                buffered: self.buf.len(),
            })
        }
    }

    /// Parses and validates the prefix of the next block, `None` if not all of it has arrived.
    /// An unknown method byte fails as soon as it has arrived, before the sizes after it.
    fn header(&self) -> Result<Option<Header>, CompressionError> {
        let Some(&method_byte) = self.buf.get(CHECKSUM_SIZE) else {
            return Ok(None);
        };
        let method = CompressionMethod::from_byte(method_byte)
            .ok_or(CompressionError::UnknownMethod(method_byte))?;
        let Some(prefix) = self.buf.get(..PREFIX_SIZE) else {
            return Ok(None);
        };
        let checksum = u128::from_le_bytes(prefix[..CHECKSUM_SIZE].try_into().unwrap());
        let compressed_size = u32::from_le_bytes(prefix[17..21].try_into().unwrap());
        let uncompressed_size = u32::from_le_bytes(prefix[21..25].try_into().unwrap());
        if (compressed_size as usize) < HEADER_SIZE {
            return Err(CompressionError::CompressedSizeTooSmall(compressed_size));
        }
        if uncompressed_size > self.max_block_size {
            return Err(CompressionError::BlockTooLarge {
                what: "uncompressed size",
                size: uncompressed_size.into(),
                limit: self.max_block_size.into(),
            });
        }
        let compressed_limit = compressed_size_limit(self.max_block_size);
        if u64::from(compressed_size) > compressed_limit {
            return Err(CompressionError::BlockTooLarge {
                what: "compressed size",
                size: compressed_size.into(),
                limit: compressed_limit,
            });
        }
        let payload_len = compressed_size as usize - HEADER_SIZE;
        if method == CompressionMethod::None && payload_len != uncompressed_size as usize {
            return Err(CompressionError::SizeMismatch {
                declared: uncompressed_size,
                actual: payload_len as u64,
            });
        }
        Ok(Some(Header {
            checksum,
            method,
            total_len: CHECKSUM_SIZE + compressed_size as usize,
            uncompressed_size,
        }))
    }
}

/// Rejects, before the output buffer is allocated, declared sizes the payload cannot produce, so
/// that a tiny block cannot make the reader allocate up to the cap for nothing.
fn check_expansion(
    method: CompressionMethod,
    payload: &[u8],
    declared: u32,
) -> Result<(), CompressionError> {
    match method {
        CompressionMethod::None => Ok(()),
        CompressionMethod::Lz4 => {
            // An LZ4 input byte yields at most 255 output bytes (a match-length extension byte).
            let max = payload.len() as u64 * 255 + 16;
            if u64::from(declared) > max {
                return Err(CompressionError::Corrupt {
                    method,
                    reason: format!(
                        "{} payload bytes cannot decompress to the declared {declared}",
                        payload.len()
                    ),
                });
            }
            Ok(())
        }
        CompressionMethod::Zstd => {
            // A single frame that records its content size must record the declared size.
            // (Several frames, or no recorded size, are left to the decompressor.)
            let single_frame =
                zstd::zstd_safe::find_frame_compressed_size(payload) == Ok(payload.len());
            if let (true, Ok(Some(size))) = (
                single_frame,
                zstd::zstd_safe::get_frame_content_size(payload),
            ) {
                if size != u64::from(declared) {
                    return Err(CompressionError::SizeMismatch {
                        declared,
                        actual: size,
                    });
                }
            }
            Ok(())
        }
    }
}

/// Largest declared compressed size (header included) for blocks of at most `max` uncompressed
/// bytes: the worse of the LZ4 bound (`n + n/255 + 16`) and the ZSTD bound (`n + n/256 + 64` at
/// most), plus the header.
fn compressed_size_limit(max: u32) -> u64 {
    let n = u64::from(max);
    n + n / 255 + 64 + HEADER_SIZE as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_limit_covers_codec_bounds() {
        for n in [0usize, 1, 100, 65536, 1 << 20, 1 << 30] {
            let limit = compressed_size_limit(n as u32);
            // LZ4_COMPRESSBOUND from the reference implementation.
            assert!(limit >= (n + n / 255 + 16 + HEADER_SIZE) as u64);
            assert!(limit >= (zstd::zstd_safe::compress_bound(n) + HEADER_SIZE) as u64);
        }
        // Incompressible input really stays within it with our encoders.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let noise: Vec<u8> = (0..100_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        for c in [
            super::super::Compression::Lz4,
            super::super::Compression::zstd(),
        ] {
            let mut out = BytesMut::new();
            super::super::compress_block(c, &noise, &mut out).unwrap();
            let compressed = (out.len() - CHECKSUM_SIZE) as u64;
            assert!(
                compressed > noise.len() as u64,
                "{c:?} should not shrink noise"
            );
            assert!(compressed <= compressed_size_limit(noise.len() as u32));
        }
    }

    #[test]
    fn implausible_expansion_is_rejected_before_allocating() {
        use super::super::{Compression, compress_block};
        // Highly compressible data still passes the LZ4 expansion check.
        for c in [Compression::Lz4, Compression::zstd()] {
            let zeros = vec![0u8; 1 << 20];
            let mut wire = BytesMut::new();
            compress_block(c, &zeros, &mut wire).unwrap();
            let mut r = CompressedBlockReader::new();
            r.feed(&wire);
            assert_eq!(r.next_block().unwrap().unwrap().len(), 1 << 20, "{c:?}");
        }
        // A 20-byte payload claiming 1 GiB.
        for c in [Compression::Lz4, Compression::zstd()] {
            let mut wire = BytesMut::new();
            compress_block(c, b"twenty bytes of data", &mut wire).unwrap();
            wire[21..25].copy_from_slice(&(1u32 << 30).to_le_bytes());
            let sum = block_checksum(&wire[CHECKSUM_SIZE..]);
            wire[..CHECKSUM_SIZE].copy_from_slice(&sum.to_le_bytes());
            let mut r = CompressedBlockReader::new();
            r.feed(&wire);
            let err = r.next_block().unwrap_err();
            assert!(
                matches!(
                    err,
                    CompressionError::Corrupt { .. } | CompressionError::SizeMismatch { .. }
                ),
                "{c:?}: {err:?}"
            );
        }
    }

    #[test]
    fn empty_input_needs_prefix() {
        let mut r = CompressedBlockReader::new();
        assert_eq!(r.next_block(), Ok(None));
        assert_eq!(r.bytes_needed(), PREFIX_SIZE);
        assert_eq!(r.finish(), Ok(()));
    }
}
