//! Compressed-block framing of hostile bytes.
//!
//! Input layout: `[mode, chunk_seed, rest...]`.
//! - bit 0 of `mode`: fix up the checksum of every block in `rest` (walking the declared sizes)
//!   with `block_checksum`, so that inputs get past the checksum to the decompressors.
//! - bit 1: a small `max_block_size` (64 KiB) instead of the default.
//! - bit 2: `rest` is plain data: compress it with the method in bits 3-4 and check that the
//!   reader returns it unchanged.
//!
//! Properties: no panic; bounded memory; feeding the input in fuzz-sized pieces yields the same
//! blocks and error as feeding it whole; blocks never exceed the cap; compression round-trips.
#![no_main]

use bytes::BytesMut;
use chwire_proto::CompressionError;
use chwire_proto::compression::{
    CHECKSUM_SIZE, CompressedBlockReader, Compression, HEADER_SIZE, block_checksum, compress_block,
};
use libfuzzer_sys::fuzz_target;

#[path = "chunks.rs"]
mod chunks;
use chunks::Chunks;

const PREFIX_SIZE: usize = CHECKSUM_SIZE + HEADER_SIZE;

/// Rewrites the checksum of each block whose declared extent fits in `buf`.
fn fix_checksums(buf: &mut [u8]) {
    let mut at = 0;
    while buf.len() - at >= PREFIX_SIZE {
        let size = u32::from_le_bytes(buf[at + 17..at + 21].try_into().unwrap()) as usize;
        let end = at
            .saturating_add(CHECKSUM_SIZE)
            .saturating_add(size)
            .min(buf.len());
        let sum = block_checksum(&buf[at + CHECKSUM_SIZE..end]);
        buf[at..at + CHECKSUM_SIZE].copy_from_slice(&sum.to_le_bytes());
        if size < HEADER_SIZE || end == buf.len() {
            break;
        }
        at = end;
    }
}

fn reader(small: bool) -> CompressedBlockReader {
    if small {
        CompressedBlockReader::with_max_block_size(1 << 16)
    } else {
        CompressedBlockReader::new()
    }
}

fn run(
    small: bool,
    input: &[u8],
    chunks: Option<u32>,
) -> (Vec<Vec<u8>>, Result<(), CompressionError>) {
    let mut r = reader(small);
    let mut blocks = Vec::new();
    let mut drain = |r: &mut CompressedBlockReader| -> Result<(), CompressionError> {
        while let Some(b) = r.next_block()? {
            assert!(b.len() as u64 <= u64::from(r.max_block_size()));
            blocks.push(b.to_vec());
        }
        Ok(())
    };
    let result = (|| {
        match chunks {
            None => {
                r.feed(input);
                drain(&mut r)?;
            }
            Some(seed) => {
                let mut chunks = Chunks::new(seed, 26, 512);
                let mut rest = input;
                while !rest.is_empty() {
                    let n = chunks.next_len().min(rest.len());
                    r.feed(&rest[..n]);
                    rest = &rest[n..];
                    drain(&mut r)?;
                }
            }
        }
        r.finish()
    })();
    (blocks, result)
}

fuzz_target!(|data: &[u8]| {
    let [mode, seed, rest @ ..] = data else {
        return;
    };
    let small = mode & 2 != 0;
    let seed = u32::from(*seed) * 0x9e37 + 1;
    if mode & 4 != 0 {
        let compression = match (mode >> 3) % 3 {
            0 => Compression::None,
            1 => Compression::Lz4,
            _ => Compression::Zstd {
                level: i32::from(mode >> 5) - 2,
            },
        };
        let mut framed = BytesMut::new();
        compress_block(compression, rest, &mut framed).expect("compress");
        let (blocks, result) = run(small, &framed, Some(seed));
        result.expect("own block does not read back");
        assert_eq!(blocks, [rest.to_vec()], "compression round trip");
        return;
    }
    let mut input = rest.to_vec();
    if mode & 1 != 0 {
        fix_checksums(&mut input);
    }
    let whole = run(small, &input, None);
    let pieces = run(small, &input, Some(seed));
    assert_eq!(
        whole, pieces,
        "chunked reading differs from whole-input reading"
    );
});
