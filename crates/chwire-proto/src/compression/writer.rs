//! Producing compressed blocks.

use bytes::{BufMut, BytesMut};

use super::{
    CHECKSUM_SIZE, Compression, CompressionError, CompressionMethod, DEFAULT_MAX_BLOCK_SIZE,
    DEFAULT_WRITE_BLOCK_SIZE, HEADER_SIZE, LZ4_WRITE_BLOCK_SIZE, block_checksum,
};

const PREFIX_SIZE: usize = CHECKSUM_SIZE + HEADER_SIZE;

/// A growable byte buffer compressed blocks are appended to: `BytesMut`, or `Vec<u8>` when
/// the caller frames and recycles its own buffers (an HTTP chunk built in place).
pub trait CompressedOutput: AsMut<[u8]> {
    /// Bytes in the buffer.
    fn filled(&self) -> usize;
    /// Grows (zero-filled) or shrinks to `len` bytes.
    fn resize(&mut self, len: usize);
}

impl CompressedOutput for BytesMut {
    fn filled(&self) -> usize {
        BytesMut::len(self)
    }
    fn resize(&mut self, len: usize) {
        BytesMut::resize(self, len, 0);
    }
}

impl CompressedOutput for Vec<u8> {
    fn filled(&self) -> usize {
        Vec::len(self)
    }
    fn resize(&mut self, len: usize) {
        Vec::resize(self, len, 0);
    }
}

/// Appends `data` to `out` as exactly one compressed block.
///
/// Fails with [`CompressionError::BlockTooLarge`] if `data` is longer than
/// [`DEFAULT_MAX_BLOCK_SIZE`], the largest block the server reads. Use
/// [`CompressedBlockWriter`] to split larger inputs and to reuse the ZSTD context across blocks.
pub fn compress_block(
    compression: Compression,
    data: &[u8],
    out: &mut impl CompressedOutput,
) -> Result<(), CompressionError> {
    encode_block(compression, &mut None, data, out)
}

/// Compresses byte streams into blocks of bounded size.
///
/// Each [`write`](Self::write) call emits its input as blocks of at most
/// [`block_size`](Self::block_size) uncompressed bytes; nothing is buffered between calls, so the
/// caller decides block boundaries (e.g. one Native block per call) and there is no flush step.
pub struct CompressedBlockWriter {
    compression: Compression,
    block_size: usize,
    /// Reused across ZSTD blocks: creating a context is costly.
    zstd: Option<zstd::bulk::Compressor<'static>>,
}

impl std::fmt::Debug for CompressedBlockWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompressedBlockWriter")
            .field("compression", &self.compression)
            .field("block_size", &self.block_size)
            .finish_non_exhaustive()
    }
}

/// A writer with the same settings; the ZSTD context is not copied (it is recreated when needed).
impl Clone for CompressedBlockWriter {
    fn clone(&self) -> Self {
        CompressedBlockWriter {
            compression: self.compression,
            block_size: self.block_size,
            zstd: None,
        }
    }
}

impl CompressedBlockWriter {
    /// A writer producing blocks of at most [`LZ4_WRITE_BLOCK_SIZE`] (64 KiB) uncompressed
    /// bytes with LZ4, [`DEFAULT_WRITE_BLOCK_SIZE`] (1 MiB, the server's
    /// `max_compress_block_size`) otherwise.
    pub fn new(compression: Compression) -> Self {
        CompressedBlockWriter {
            compression,
            block_size: match compression {
                Compression::Lz4 => LZ4_WRITE_BLOCK_SIZE,
                _ => DEFAULT_WRITE_BLOCK_SIZE,
            },
            zstd: None,
        }
    }

    /// Sets the largest uncompressed size of one block, clamped to
    /// `1..=`[`DEFAULT_MAX_BLOCK_SIZE`].
    pub fn with_block_size(mut self, block_size: usize) -> Self {
        self.block_size = block_size.clamp(1, DEFAULT_MAX_BLOCK_SIZE as usize);
        self
    }

    /// The method and parameters this writer compresses with.
    pub fn compression(&self) -> Compression {
        self.compression
    }

    /// Largest uncompressed size of one block, in bytes.
    pub fn block_size(&self) -> usize {
        self.block_size
    }

    /// Appends `data` to `out` as one or more blocks. Empty input produces no block.
    pub fn write(
        &mut self,
        data: &[u8],
        out: &mut impl CompressedOutput,
    ) -> Result<(), CompressionError> {
        for chunk in data.chunks(self.block_size) {
            encode_block(self.compression, &mut self.zstd, chunk, out)?;
        }
        Ok(())
    }
}

/// Writes one block; `zstd` caches the compression context between calls.
fn encode_block(
    compression: Compression,
    zstd: &mut Option<zstd::bulk::Compressor<'static>>,
    data: &[u8],
    out: &mut impl CompressedOutput,
) -> Result<(), CompressionError> {
    let method = compression.method();
    if data.len() > DEFAULT_MAX_BLOCK_SIZE as usize {
        return Err(CompressionError::BlockTooLarge {
            what: "uncompressed size",
            size: data.len() as u64,
            limit: DEFAULT_MAX_BLOCK_SIZE.into(),
        });
    }
    let start = out.filled();
    let bound = match compression {
        Compression::None => data.len(),
        Compression::Lz4 => lz4_flex::block::get_maximum_output_size(data.len()),
        Compression::Zstd { .. } => zstd::zstd_safe::compress_bound(data.len()),
    };
    // Compress straight into `out` behind a placeholder prefix, then trim to the real size.
    out.resize(start + PREFIX_SIZE + bound);
    let dst = &mut out.as_mut()[start + PREFIX_SIZE..];
    let result = match compression {
        Compression::None => {
            dst.copy_from_slice(data);
            Ok(data.len())
        }
        Compression::Lz4 => lz4_flex::block::compress_into(data, dst).map_err(|e| {
            CompressionError::CompressFailed {
                method,
                reason: e.to_string(),
            }
        }),
        Compression::Zstd { level } => zstd_context(zstd, level)
            .and_then(|cctx| cctx.compress_to_buffer(data, dst).map_err(fail(method))),
    };
    let payload_len = match result {
        Ok(n) => n,
        Err(e) => {
            out.resize(start);
            return Err(e);
        }
    };
    out.resize(start + PREFIX_SIZE + payload_len);

    let block = &mut out.as_mut()[start..];
    // The bounds keep a block of at most 1 GiB input well within u32.
    let compressed_size = u32::try_from(HEADER_SIZE + payload_len).unwrap();
    let mut header = &mut block[CHECKSUM_SIZE..PREFIX_SIZE];
    header.put_u8(method.byte());
    header.put_u32_le(compressed_size);
    header.put_u32_le(data.len() as u32);
    let checksum = block_checksum(&block[CHECKSUM_SIZE..]);
    block[..CHECKSUM_SIZE].copy_from_slice(&checksum.to_le_bytes());
    Ok(())
}

/// The cached ZSTD context, created on first use and set to `level`.
fn zstd_context<'a>(
    slot: &'a mut Option<zstd::bulk::Compressor<'static>>,
    level: i32,
) -> Result<&'a mut zstd::bulk::Compressor<'static>, CompressionError> {
    let method = CompressionMethod::Zstd;
    match slot {
        Some(cctx) => {
            cctx.set_compression_level(level).map_err(fail(method))?;
            Ok(cctx)
        }
        None => Ok(slot.insert(zstd::bulk::Compressor::new(level).map_err(fail(method))?)),
    }
}

fn fail(method: CompressionMethod) -> impl Fn(std::io::Error) -> CompressionError {
    move |e| CompressionError::CompressFailed {
        method,
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::CompressedBlockReader;
    use super::*;

    fn sample(len: usize) -> Vec<u8> {
        // Compressible but not trivial: a counter with some noise.
        (0..len)
            .map(|i| ((i / 7) as u8) ^ ((i * 31) as u8 & 0x0f))
            .collect()
    }

    fn read_all(wire: &[u8]) -> Vec<u8> {
        let mut r = CompressedBlockReader::new();
        r.feed(wire);
        let mut out = Vec::new();
        while let Some(b) = r.next_block().unwrap() {
            out.extend_from_slice(&b);
        }
        r.finish().unwrap();
        out
    }

    #[test]
    fn vec_output_matches_bytes_mut_after_existing_bytes() {
        let data = sample(300_000);
        for c in [
            Compression::None,
            Compression::Lz4,
            Compression::Zstd { level: 1 },
        ] {
            let mut bytes = BytesMut::new();
            CompressedBlockWriter::new(c)
                .with_block_size(100_000)
                .write(&data, &mut bytes)
                .unwrap();
            // A Vec that already holds bytes (an HTTP chunk's head room) keeps them.
            let mut vec = vec![7u8; 5];
            CompressedBlockWriter::new(c)
                .with_block_size(100_000)
                .write(&data, &mut vec)
                .unwrap();
            assert_eq!(&vec[..5], &[7; 5]);
            assert_eq!(&vec[5..], &bytes[..], "{c:?}");
            assert_eq!(read_all(&vec[5..]), data);
        }
    }

    #[test]
    fn round_trip_every_method_and_size() {
        for compression in [
            Compression::None,
            Compression::Lz4,
            Compression::zstd(),
            Compression::Zstd { level: 1 },
            Compression::Zstd { level: 19 },
        ] {
            for len in [0usize, 1, 15, 16, 17, 100, 4096, 70_000] {
                let data = sample(len);
                let mut wire = BytesMut::new();
                compress_block(compression, &data, &mut wire).unwrap();
                assert_eq!(wire[CHECKSUM_SIZE], compression.method().byte());
                assert_eq!(read_all(&wire), data, "{compression:?} len {len}");
            }
        }
    }

    #[test]
    fn writer_splits_into_bounded_blocks() {
        let data = sample(10_000);
        for compression in [Compression::None, Compression::Lz4, Compression::zstd()] {
            let mut w = CompressedBlockWriter::new(compression).with_block_size(3000);
            let mut wire = BytesMut::new();
            w.write(&data, &mut wire).unwrap();
            w.write(&[], &mut wire).unwrap();
            w.write(&data, &mut wire).unwrap();

            let mut r = CompressedBlockReader::new();
            r.feed(&wire);
            let mut sizes = Vec::new();
            let mut all = Vec::new();
            while let Some(b) = r.next_block().unwrap() {
                sizes.push(b.len());
                all.extend_from_slice(&b);
            }
            r.finish().unwrap();
            assert_eq!(sizes, [3000, 3000, 3000, 1000, 3000, 3000, 3000, 1000]);
            assert_eq!(all, [&data[..], &data[..]].concat());
        }
    }

    #[test]
    fn appends_after_existing_output() {
        let mut wire = BytesMut::from(&b"prefix"[..]);
        compress_block(Compression::Lz4, b"hello hello hello", &mut wire).unwrap();
        assert_eq!(&wire[..6], b"prefix");
        assert_eq!(read_all(&wire[6..]), b"hello hello hello");
    }

    #[test]
    fn block_size_is_clamped() {
        let w = CompressedBlockWriter::new(Compression::None).with_block_size(0);
        assert_eq!(w.block_size(), 1);
        assert_eq!(
            CompressedBlockWriter::new(Compression::None).block_size(),
            DEFAULT_WRITE_BLOCK_SIZE
        );
        assert_eq!(
            CompressedBlockWriter::new(Compression::zstd()).block_size(),
            DEFAULT_WRITE_BLOCK_SIZE
        );
        assert_eq!(
            CompressedBlockWriter::new(Compression::Lz4).block_size(),
            LZ4_WRITE_BLOCK_SIZE
        );
    }
}
