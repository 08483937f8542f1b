//! Compressed-block framing against blocks captured from a real ClickHouse 26.9 server.
//!
//! `tests/golden/compression/<case>_<method>.bin` is the body of an HTTP response with
//! `compress=1&network_compression_method=<method>` (URL in the matching `.url` file) and
//! `<case>.native` the uncompressed response of the same query.

use bytes::{Bytes, BytesMut};
use chwire_proto::compression::{
    CHECKSUM_SIZE, CompressedBlockReader, Compression, CompressionError, CompressionMethod,
    block_checksum, compress_block,
};

fn golden(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/golden/compression/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const METHODS: [(&str, CompressionMethod); 3] = [
    ("lz4", CompressionMethod::Lz4),
    ("zstd", CompressionMethod::Zstd),
    ("none", CompressionMethod::None),
];

/// Feeds `pieces` one after another, draining blocks after each, then finishes.
fn decode_pieces<'a>(
    reader: &mut CompressedBlockReader,
    pieces: impl IntoIterator<Item = &'a [u8]>,
) -> Result<Vec<Bytes>, CompressionError> {
    let mut blocks = Vec::new();
    for piece in pieces {
        reader.feed(piece);
        while let Some(block) = reader.next_block()? {
            blocks.push(block);
        }
    }
    reader.finish()?;
    Ok(blocks)
}

fn decode(wire: &[u8]) -> Result<Vec<u8>, CompressionError> {
    let blocks = decode_pieces(&mut CompressedBlockReader::new(), [wire])?;
    Ok(blocks.concat())
}

/// Byte offsets where each block of a well-formed stream starts, with its method byte.
fn block_starts(wire: &[u8]) -> Vec<(usize, u8)> {
    let mut starts = Vec::new();
    let mut pos = 0;
    while pos < wire.len() {
        let size = u32::from_le_bytes(wire[pos + 17..pos + 21].try_into().unwrap()) as usize;
        starts.push((pos, wire[pos + CHECKSUM_SIZE]));
        pos += CHECKSUM_SIZE + size;
    }
    assert_eq!(pos, wire.len());
    starts
}

#[test]
fn server_blocks_decode_to_uncompressed_response() {
    for case in ["small", "numbers"] {
        let expected = golden(&format!("{case}.native"));
        for (name, method) in METHODS {
            let wire = golden(&format!("{case}_{name}.bin"));
            let starts = block_starts(&wire);
            assert!(
                starts.iter().all(|&(_, m)| m == method.byte()),
                "{case}_{name}"
            );
            assert_eq!(decode(&wire).unwrap(), expected, "{case}_{name}");
        }
    }
    // The 800 kB responses really are multi-block streams.
    assert!(block_starts(&golden("numbers_lz4.bin")).len() > 1);
    assert!(block_starts(&golden("numbers_none.bin")).len() > 1);
}

#[test]
fn small_vectors_split_at_every_position() {
    for (name, _) in METHODS {
        let wire = golden(&format!("small_{name}.bin"));
        let expected = golden("small.native");
        for i in 0..=wire.len() {
            let got = decode_pieces(&mut CompressedBlockReader::new(), [&wire[..i], &wire[i..]])
                .unwrap()
                .concat();
            assert_eq!(got, expected, "small_{name} split at {i}");
            for j in i..=wire.len() {
                let pieces = [&wire[..i], &wire[i..j], &wire[j..]];
                let got = decode_pieces(&mut CompressedBlockReader::new(), pieces)
                    .unwrap()
                    .concat();
                assert_eq!(got, expected, "small_{name} split at {i} and {j}");
            }
        }
        // One byte at a time.
        let got = decode_pieces(&mut CompressedBlockReader::new(), wire.chunks(1))
            .unwrap()
            .concat();
        assert_eq!(got, expected);
    }
}

#[test]
fn large_vectors_split_near_boundaries_and_in_chunks() {
    let expected = golden("numbers.native");
    for (name, _) in METHODS {
        let wire = golden(&format!("numbers_{name}.bin"));
        // Every position of the first prefix and around every block boundary, plus a spread of
        // pseudo-random positions.
        let mut cuts: Vec<usize> = (0..64).collect();
        for (start, _) in block_starts(&wire) {
            cuts.extend(start.saturating_sub(32)..(start + 32).min(wire.len()));
        }
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..16 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            cuts.push((x % wire.len() as u64) as usize);
        }
        cuts.push(wire.len());
        for &i in &cuts {
            let got = decode_pieces(&mut CompressedBlockReader::new(), [&wire[..i], &wire[i..]])
                .unwrap()
                .concat();
            assert!(got == expected, "numbers_{name} split at {i}");
        }
        for chunk in [1, 7, 4096, 65_537] {
            let got = decode_pieces(&mut CompressedBlockReader::new(), wire.chunks(chunk))
                .unwrap()
                .concat();
            assert!(got == expected, "numbers_{name} in chunks of {chunk}");
        }
    }
}

#[test]
fn stored_blocks_match_server_bytes_exactly() {
    // Method none is deterministic, so our framing must reproduce the server's bytes, checksum
    // included, when cut at the server's block boundaries.
    for case in ["small", "numbers"] {
        let wire = golden(&format!("{case}_none.bin"));
        let native = golden(&format!("{case}.native"));
        let mut ours = BytesMut::new();
        let mut offset = 0;
        for block in decode_pieces(&mut CompressedBlockReader::new(), [&wire[..]]).unwrap() {
            let data = &native[offset..offset + block.len()];
            compress_block(Compression::None, data, &mut ours).unwrap();
            offset += block.len();
        }
        assert_eq!(&ours[..], &wire[..], "{case}");
    }
}

#[test]
fn blocks_we_compress_decode_back() {
    let native = golden("numbers.native");
    for compression in [Compression::None, Compression::Lz4, Compression::zstd()] {
        let mut writer =
            chwire_proto::CompressedBlockWriter::new(compression).with_block_size(100_000);
        let mut wire = BytesMut::new();
        writer.write(&native, &mut wire).unwrap();
        assert_eq!(block_starts(&wire).len(), 9);
        assert!(decode(&wire).unwrap() == native, "{compression:?}");
    }
}

/// Re-seals a block after editing its header or payload, so only the intended check fails.
fn reseal(block: &mut [u8]) {
    let sum = block_checksum(&block[CHECKSUM_SIZE..]);
    block[..CHECKSUM_SIZE].copy_from_slice(&sum.to_le_bytes());
}

fn set_u32(block: &mut [u8], at: usize, v: u32) {
    block[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

#[test]
fn tampered_checksum_or_payload_is_a_checksum_mismatch() {
    for (name, _) in METHODS {
        let wire = golden(&format!("small_{name}.bin"));
        let original = u128::from_le_bytes(wire[..16].try_into().unwrap());

        let mut bad = wire.clone();
        bad[3] ^= 0x40;
        let stored = u128::from_le_bytes(bad[..16].try_into().unwrap());
        assert_eq!(
            decode(&bad),
            Err(CompressionError::ChecksumMismatch {
                expected: stored,
                actual: original
            })
        );

        let mut bad = wire.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert!(matches!(
            decode(&bad),
            Err(CompressionError::ChecksumMismatch { expected, .. }) if expected == original
        ));
    }
}

#[test]
fn unknown_method_is_rejected_from_the_header_alone() {
    let mut wire = golden("small_lz4.bin");
    wire[16] = 0x91;
    let mut reader = CompressedBlockReader::new();
    reader.feed(&wire[..16]);
    assert_eq!(reader.next_block(), Ok(None));
    // The method byte alone decides: the sizes after it are not awaited.
    reader.feed(&wire[16..17]);
    assert_eq!(
        reader.next_block(),
        Err(CompressionError::UnknownMethod(0x91))
    );
    // Errors are not consumed: asking again reports the same.
    assert_eq!(
        reader.next_block(),
        Err(CompressionError::UnknownMethod(0x91))
    );
}

#[test]
fn oversized_declared_sizes_are_rejected_before_the_payload_arrives() {
    let wire = golden("small_lz4.bin");

    let mut bad = wire.clone();
    set_u32(&mut bad, 21, u32::MAX);
    let mut reader = CompressedBlockReader::new();
    reader.feed(&bad[..25]);
    assert_eq!(
        reader.next_block(),
        Err(CompressionError::BlockTooLarge {
            what: "uncompressed size",
            size: u32::MAX.into(),
            limit: 1 << 30
        })
    );

    let mut bad = wire.clone();
    set_u32(&mut bad, 17, 0xffff_fff0);
    let mut reader = CompressedBlockReader::new();
    reader.feed(&bad[..25]);
    assert!(matches!(
        reader.next_block(),
        Err(CompressionError::BlockTooLarge {
            what: "compressed size",
            size: 0xffff_fff0,
            ..
        })
    ));

    // A configured cap below a real block's size.
    let mut reader = CompressedBlockReader::with_max_block_size(100);
    reader.feed(&wire[..25]);
    assert!(matches!(
        reader.next_block(),
        Err(CompressionError::BlockTooLarge {
            what: "uncompressed size",
            limit: 100,
            ..
        })
    ));
    // At exactly its size it passes.
    let declared = u32::from_le_bytes(wire[21..25].try_into().unwrap());
    let mut reader = CompressedBlockReader::with_max_block_size(declared);
    let got = decode_pieces(&mut reader, [&wire[..]]).unwrap().concat();
    assert_eq!(got, golden("small.native"));
}

#[test]
fn compressed_size_below_header_is_rejected() {
    for size in [0u32, 8] {
        let mut bad = golden("small_none.bin");
        set_u32(&mut bad, 17, size);
        assert_eq!(
            decode(&bad),
            Err(CompressionError::CompressedSizeTooSmall(size))
        );
    }
}

#[test]
fn declared_uncompressed_size_must_match_the_payload() {
    let native = golden("small.native");
    let n = native.len() as u32;
    for (name, _) in METHODS {
        let wire = golden(&format!("small_{name}.bin"));
        // Declaring more than the payload holds: a size mismatch.
        let mut bad = wire.clone();
        set_u32(&mut bad, 21, n + 1);
        reseal(&mut bad);
        assert!(
            matches!(
                decode(&bad),
                Err(CompressionError::SizeMismatch { declared, .. }) if declared == n + 1
            ),
            "{name}: {:?}",
            decode(&bad)
        );
        // Declaring less: the codec runs out of room (or, stored, the sizes disagree).
        let mut bad = wire.clone();
        set_u32(&mut bad, 21, n - 1);
        reseal(&mut bad);
        let err = decode(&bad).unwrap_err();
        assert!(
            matches!(
                err,
                CompressionError::SizeMismatch { .. } | CompressionError::Corrupt { .. }
            ),
            "{name}: {err:?}"
        );
    }
}

#[test]
fn corrupt_payload_with_valid_checksum_is_a_typed_error() {
    for name in ["lz4", "zstd"] {
        let wire = golden(&format!("small_{name}.bin"));
        for pos in 25..wire.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut bad = wire.clone();
                bad[pos] ^= flip;
                reseal(&mut bad);
                // Any outcome but a panic is acceptable; a success must still honour the size.
                match decode(&bad) {
                    Ok(data) => assert_eq!(data.len(), golden("small.native").len()),
                    Err(
                        CompressionError::Corrupt { .. } | CompressionError::SizeMismatch { .. },
                    ) => {}
                    Err(e) => panic!("{name} flip at {pos}: unexpected {e:?}"),
                }
            }
        }
    }
}

#[test]
fn truncated_stream_is_reported_by_finish() {
    for (name, _) in METHODS {
        let wire = golden(&format!("small_{name}.bin"));
        for cut in 1..wire.len() {
            let mut reader = CompressedBlockReader::new();
            reader.feed(&wire[..cut]);
            assert_eq!(reader.next_block(), Ok(None));
            assert_eq!(
                reader.bytes_needed(),
                if cut < 25 { 25 - cut } else { wire.len() - cut }
            );
            assert_eq!(
                reader.finish(),
                Err(CompressionError::Truncated { buffered: cut })
            );
        }
    }
}
