//! Every Native golden case also exists as the server's `compress=1` response with LZ4 and ZSTD
//! (`CASE.native.lz4`, `CASE.native.zstd`, captured by `cargo xtask golden`). Decompressing those
//! blocks must give exactly the uncompressed response, which then decodes as the plain case does.

use std::path::PathBuf;

use chwire_proto::compression::CompressedBlockReader;
use chwire_proto::{CompressionMethod, NativeDecoder};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/native")
}

fn decompress(bytes: &[u8], method: CompressionMethod, chunk: usize) -> Vec<u8> {
    let mut reader = CompressedBlockReader::new();
    let mut out = Vec::new();
    let mut blocks = 0;
    for piece in bytes.chunks(chunk) {
        reader.feed(piece);
        while let Some(block) = reader.next_block().expect("valid compressed stream") {
            out.extend_from_slice(&block);
            blocks += 1;
        }
    }
    reader.finish().expect("no partial block left");
    assert!(blocks > 0, "at least one block");
    // The method byte follows the 16-byte checksum of the first block.
    assert_eq!(CompressionMethod::from_byte(bytes[16]), Some(method));
    out
}

#[test]
fn compressed_native_cases_decompress_to_the_plain_response() {
    let mut cases = 0;
    for entry in std::fs::read_dir(dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("sql") {
            continue;
        }
        let case = path.file_stem().unwrap().to_str().unwrap().to_string();
        if case == "setup" {
            continue;
        }
        let plain = std::fs::read(dir().join(format!("{case}.bin"))).unwrap();
        for (ext, method) in [
            ("lz4", CompressionMethod::Lz4),
            ("zstd", CompressionMethod::Zstd),
        ] {
            let file = dir().join(format!("{case}.native.{ext}"));
            let compressed = std::fs::read(&file).unwrap_or_else(|e| {
                panic!("{}: {e} (run `cargo xtask golden native`)", file.display())
            });
            for chunk in [1, 13, 4096, usize::MAX] {
                if chunk == 1 && compressed.len() > 20_000 {
                    continue;
                }
                let out = decompress(&compressed, method, chunk);
                assert_eq!(out, plain, "{case}.native.{ext} (chunk {chunk})");
            }
            let mut decoder = NativeDecoder::new();
            decoder.feed(&decompress(&compressed, method, usize::MAX));
            let mut rows = 0;
            while let Some(block) = decoder.next_block().unwrap() {
                rows += block.rows;
            }
            while let Some(block) = decoder.finish().unwrap() {
                rows += block.rows;
            }
            let mut plain_decoder = NativeDecoder::new();
            plain_decoder.feed(&plain);
            let mut plain_rows = 0;
            while let Some(block) = plain_decoder.next_block().unwrap() {
                plain_rows += block.rows;
            }
            while let Some(block) = plain_decoder.finish().unwrap() {
                plain_rows += block.rows;
            }
            assert_eq!(rows, plain_rows, "{case}.native.{ext}");
        }
        cases += 1;
    }
    assert!(
        cases >= 20,
        "expected the Native golden cases, found {cases}"
    );
}
