//! ClickHouse compressed-block framing (native protocol and HTTP `compress=1` / `decompress=1`).
//!
//! A compressed stream is a sequence of self-contained blocks:
//!
//! ```text
//! checksum: 16 bytes   CityHash128 v1.0.2 of everything after it (header + payload)
//! method:   u8         0x02 none, 0x82 LZ4, 0x90 ZSTD
//! compressed_size: u32 LE   header (9 bytes) + payload
//! uncompressed_size: u32 LE
//! payload:  compressed_size - 9 bytes
//! ```
//!
//! Block boundaries carry no meaning for the data inside: the decompressed blocks concatenate to
//! the original byte stream (Native, RowBinary, ...). [`CompressedBlockReader`] turns received
//! bytes into decompressed blocks; [`CompressedBlockWriter`] / [`compress_block`] produce blocks the
//! server accepts.

mod checksum;
mod reader;
mod writer;

pub use checksum::block_checksum;
pub use reader::CompressedBlockReader;
pub use writer::{CompressedBlockWriter, CompressedOutput, compress_block};

/// Size of the checksum that starts every block.
pub const CHECKSUM_SIZE: usize = 16;
/// Size of the header after the checksum: method byte and the two sizes. Counted in the declared
/// compressed size.
pub const HEADER_SIZE: usize = 9;

/// Largest block the reader accepts by default and the writer ever produces, in either declared
/// size: 1 GiB, the limit the server applies to the blocks it reads (`DBMS_MAX_COMPRESSED_SIZE`),
/// so every block the server could produce is accepted while a corrupted size cannot request more.
/// Lower it with [`CompressedBlockReader::with_max_block_size`] when memory is tight: servers
/// normally send blocks of at most `max_compress_block_size` (1 MiB by default).
pub const DEFAULT_MAX_BLOCK_SIZE: u32 = 1 << 30;

/// Default uncompressed size of the blocks the writer produces with ZSTD or no compression:
/// ClickHouse's own `max_compress_block_size` default.
pub const DEFAULT_WRITE_BLOCK_SIZE: usize = 1 << 20;

/// Default uncompressed size of the LZ4 blocks the writer produces. LZ4 only looks back
/// 64 KiB, so larger blocks compress no better (measured: the same size within 0.1 %), while
/// 64 KiB ones compress ~5 % faster (the encoder's small hash table) and the server
/// decompresses them into a cache-resident buffer (~3 % less wall time for a 5M-row insert).
pub const LZ4_WRITE_BLOCK_SIZE: usize = 64 << 10;

/// ZSTD level used by [`Compression::zstd`]: the server's `network_zstd_compression_level`
/// default.
pub const DEFAULT_ZSTD_LEVEL: i32 = 3;

/// The codec byte of a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum CompressionMethod {
    /// Stored uncompressed (`0x02`).
    None = 0x02,
    /// LZ4 block format (`0x82`).
    Lz4 = 0x82,
    /// ZSTD frame (`0x90`).
    Zstd = 0x90,
}

impl CompressionMethod {
    /// The method for a wire byte, `None` for codecs this crate does not implement.
    pub const fn from_byte(byte: u8) -> Option<Self> {
        match byte {
            0x02 => Some(CompressionMethod::None),
            0x82 => Some(CompressionMethod::Lz4),
            0x90 => Some(CompressionMethod::Zstd),
            _ => None,
        }
    }

    /// The wire byte.
    pub const fn byte(self) -> u8 {
        self as u8
    }
}

/// How to compress outgoing blocks (method plus its parameters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Compression {
    /// Framed but stored as is: keeps checksums, costs no CPU.
    None,
    /// LZ4 block format: fast, the usual choice for network compression.
    #[default]
    Lz4,
    /// ZSTD at the given level: smaller, slower.
    Zstd {
        /// The zstd level: 1 is fastest, 22 smallest; the server's default is 3.
        level: i32,
    },
}

impl Compression {
    /// ZSTD at [`DEFAULT_ZSTD_LEVEL`].
    pub const fn zstd() -> Self {
        Compression::Zstd {
            level: DEFAULT_ZSTD_LEVEL,
        }
    }

    /// The wire method byte this produces.
    pub const fn method(self) -> CompressionMethod {
        match self {
            Compression::None => CompressionMethod::None,
            Compression::Lz4 => CompressionMethod::Lz4,
            Compression::Zstd { .. } => CompressionMethod::Zstd,
        }
    }
}

/// A failure to read or write compressed blocks. Reading errors are final: the stream is corrupt.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CompressionError {
    /// The checksum in the block does not match its contents.
    #[error(
        "compressed block checksum mismatch: block says {expected:032x}, contents hash to {actual:032x}"
    )]
    ChecksumMismatch {
        /// The checksum stored in the block (little-endian wire bytes as an integer).
        expected: u128,
        /// The checksum of the received header and payload.
        actual: u128,
    },
    /// The method byte names no codec this crate implements.
    #[error("unknown compression method byte 0x{0:02x}")]
    UnknownMethod(u8),
    /// A declared size is above the configured cap (checked before buffering or allocating).
    #[error("compressed block declares a {what} of {size} bytes, above the limit of {limit}")]
    BlockTooLarge {
        /// `"compressed size"` or `"uncompressed size"`.
        what: &'static str,
        /// The size the block header declares, in bytes.
        size: u64,
        /// The configured cap, in bytes.
        limit: u64,
    },
    /// The declared compressed size cannot even hold the 9-byte header.
    #[error("compressed block declares a compressed size of {0}, less than its 9-byte header")]
    CompressedSizeTooSmall(u32),
    /// The payload is not valid data for its codec.
    #[error("corrupt {method:?} payload: {reason}")]
    Corrupt {
        /// The block's codec.
        method: CompressionMethod,
        /// What is wrong: the codec library's message or a size that cannot be right.
        reason: String,
    },
    /// The payload decompressed to a different length than the header declares.
    #[error("compressed block declares {declared} uncompressed bytes but holds {actual}")]
    SizeMismatch {
        /// Uncompressed size from the block header, in bytes.
        declared: u32,
        /// Bytes the payload actually decompressed to.
        actual: u64,
    },
    /// The stream ended inside a block.
    #[error("stream ended inside a compressed block ({buffered} bytes buffered)")]
    Truncated {
        /// Bytes of the unfinished block received before the end.
        buffered: usize,
    },
    /// The codec failed to compress (out of memory in the ZSTD library, invalid parameters).
    #[error("{method:?} compression failed: {reason}")]
    CompressFailed {
        /// The codec that failed.
        method: CompressionMethod,
        /// The codec library's message.
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_bytes() {
        for m in [
            CompressionMethod::None,
            CompressionMethod::Lz4,
            CompressionMethod::Zstd,
        ] {
            assert_eq!(CompressionMethod::from_byte(m.byte()), Some(m));
        }
        assert_eq!(CompressionMethod::None.byte(), 0x02);
        assert_eq!(CompressionMethod::Lz4.byte(), 0x82);
        assert_eq!(CompressionMethod::Zstd.byte(), 0x90);
        assert_eq!(CompressionMethod::from_byte(0x91), None);
        assert_eq!(Compression::zstd().method(), CompressionMethod::Zstd);
        assert_eq!(Compression::default(), Compression::Lz4);
    }
}
