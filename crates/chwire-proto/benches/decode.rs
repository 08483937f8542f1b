//! Decode throughput of the Native codec and the compressed-block reader, each measured beside a
//! plain `memcpy` of the same bytes in the same run (the ceiling for a decoder that must produce
//! an owned copy). Run with `cargo bench -p chwire-proto`.
//!
//! A custom harness (no criterion): each case runs a fixed number of iterations after a warm-up
//! and reports the median, which is stable enough on a shared 2-core machine and keeps the bench
//! dependency-free.

use std::hint::black_box;
use std::time::Duration;

use chwire_proto::compression::{CompressedBlockReader, CompressedBlockWriter, Compression};
use chwire_proto::native::{NativeOptions, read_block};
use chwire_proto::{
    Block, ByteCursor, Column, DataType, DecodeLimits, NativeDecoder, NativeEncoder, Value,
};

const ROWS: usize = 1_000_000;
const ITERATIONS: usize = 15;

mod common;

fn time(f: impl FnMut()) -> Duration {
    common::time(3, ITERATIONS, f)
}

fn memcpy_time(bytes: &[u8]) -> Duration {
    common::memcpy_time(3, ITERATIONS, bytes)
}

fn native_bytes(name: &str, ty: &str, values: Vec<Value>) -> Vec<u8> {
    let ty = DataType::parse(ty).unwrap();
    let column = Column::from_values(&ty, values).unwrap();
    let block = Block::new(vec![(name.to_string(), column)]).unwrap();
    NativeEncoder::new().encode(&block).unwrap()
}

fn decode_native(bytes: &[u8]) -> usize {
    let mut decoder = NativeDecoder::new();
    decoder.feed(bytes);
    let mut rows = 0;
    while let Some(block) = decoder.next_block().unwrap() {
        rows += block.rows;
    }
    while let Some(block) = decoder.finish().unwrap() {
        rows += block.rows;
    }
    rows
}

/// The bulk path: blocks read straight from a borrowed slice (what the client does with a
/// decompressed block or a complete buffer), no intermediate buffering.
fn decode_slice(bytes: &[u8]) -> usize {
    let mut cursor = ByteCursor::new(bytes);
    let limits = DecodeLimits::default();
    let mut parse = |t: &str| DataType::parse(t);
    let mut rows = 0;
    while !cursor.is_empty() {
        let block = read_block(&mut cursor, &limits, &NativeOptions::default(), &mut parse)
            .expect("complete block");
        rows += block.rows;
    }
    rows
}

fn report(case: &str, bytes: usize, decode: Duration, memcpy: Duration) {
    let mbps = |d: Duration| bytes as f64 / d.as_secs_f64() / 1e6;
    println!(
        "{case:<40} {:>8.1} MB  decode {:>9.1} MB/s  memcpy {:>9.1} MB/s  decode/memcpy {:>6.1} %",
        bytes as f64 / 1e6,
        mbps(decode),
        mbps(memcpy),
        100.0 * memcpy.as_secs_f64() / decode.as_secs_f64()
    );
}

fn bench_native(case: &str, bytes: Vec<u8>) {
    assert_eq!(decode_native(&bytes), ROWS);
    assert_eq!(decode_slice(&bytes), ROWS);
    let memcpy = memcpy_time(&bytes);
    let buffered = time(|| {
        black_box(decode_native(black_box(&bytes)));
    });
    report(
        &format!("{case} (NativeDecoder)"),
        bytes.len(),
        buffered,
        memcpy,
    );
    let slice = time(|| {
        black_box(decode_slice(black_box(&bytes)));
    });
    report(&format!("{case} (read_block)"), bytes.len(), slice, memcpy);
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this once as a smoke test.
    let quick = !std::env::args().any(|a| a == "--bench");
    if quick {
        println!("decode bench: run with `cargo bench -p chwire-proto` for numbers");
        return;
    }
    println!("Native decode, {ROWS} rows per column, median of {ITERATIONS} runs");
    let n = ROWS as u64;
    bench_native(
        "UInt64",
        native_bytes("x", "UInt64", (0..n).map(Value::UInt64).collect()),
    );
    bench_native(
        "Float64",
        native_bytes(
            "x",
            "Float64",
            (0..n).map(|i| Value::Float64(i as f64 * 0.5)).collect(),
        ),
    );
    bench_native(
        "String",
        native_bytes(
            "x",
            "String",
            (0..n)
                .map(|i| Value::string(format!("event-{i}")))
                .collect(),
        ),
    );
    bench_native(
        "Nullable(UInt64)",
        native_bytes(
            "x",
            "Nullable(UInt64)",
            (0..n)
                .map(|i| {
                    if i % 10 == 0 {
                        Value::Null
                    } else {
                        Value::UInt64(i)
                    }
                })
                .collect(),
        ),
    );
    bench_native(
        "LowCardinality(String)",
        native_bytes(
            "x",
            "LowCardinality(String)",
            (0..n)
                .map(|i| Value::string(format!("city-{}", i % 1000)))
                .collect(),
        ),
    );

    // Compressed LZ4 blocks carrying a UInt64 + String Native block (1 MiB blocks, as the server
    // writes them): checksum verification + decompression.
    let mut plain = native_bytes("x", "UInt64", (0..n).map(Value::UInt64).collect());
    plain.extend(native_bytes(
        "s",
        "String",
        (0..n)
            .map(|i| Value::string(format!("event-{i}")))
            .collect(),
    ));
    let mut compressed = bytes::BytesMut::new();
    CompressedBlockWriter::new(Compression::Lz4)
        .write(&plain, &mut compressed)
        .unwrap();
    let decompress = || {
        let mut reader = CompressedBlockReader::new();
        reader.feed(&compressed);
        let mut total = 0;
        while let Some(block) = reader.next_block().unwrap() {
            total += block.len();
        }
        total
    };
    assert_eq!(decompress(), plain.len());
    let lz4 = time(|| {
        black_box(decompress());
    });
    println!(
        "LZ4 blocks: {:.1} MB compressed -> {:.1} MB",
        compressed.len() as f64 / 1e6,
        plain.len() as f64 / 1e6
    );
    report("LZ4 (output bytes)", plain.len(), lz4, memcpy_time(&plain));
    report(
        "LZ4 (input bytes)",
        compressed.len(),
        lz4,
        memcpy_time(&compressed),
    );
}
