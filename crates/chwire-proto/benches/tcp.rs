//! Demultiplexing and decoding a native TCP reply (`tcp::Receiver`): 20M `UInt64` (plain and
//! LZ4) and 5M `(UInt64, String, Float64)` rows, fed in 64 KiB reads, each beside a `memcpy` of
//! the same bytes in the same run. Run with `cargo bench -p chwire-proto --bench tcp`.
//!
//! The reply is laid out as the server sends it (Data packets of 65 536-row blocks with
//! BlockInfo and the serialization byte, then EndOfStream), built here rather than stored:
//! 160 MB is too large for a golden file. Same harness as `decode.rs`: median of a fixed number
//! of runs after a warm-up.

use std::hint::black_box;
use std::time::Duration;

use chwire_proto::column::{ColumnData, StringColumn};
use chwire_proto::compression::{CompressedBlockWriter, Compression};
use chwire_proto::native::{BlockInfo, NativeOptions, write_block_info};
use chwire_proto::tcp::{Packet, REVISION, Receiver};
use chwire_proto::wire::{put_string, put_varuint};
use chwire_proto::{Block, Column, DataType, DecodeLimits, NativeEncoder};

const ITERATIONS: usize = 7;
const BLOCK_ROWS: usize = 65_536;
const READ: usize = 64 << 10;

mod common;

fn time(f: impl FnMut()) -> Duration {
    common::time(1, ITERATIONS, f)
}

/// A reply of `rows` rows in Data packets built by `block(first_row, rows)`; also appends the
/// compressed frames alone to `frames`.
fn reply(
    rows: usize,
    compression: Option<Compression>,
    block: impl Fn(usize, usize) -> Block,
    frames: &mut Vec<u8>,
) -> Vec<u8> {
    // The layout the receiver reads at `REVISION` (from 54492 strings as offsets, then bytes).
    let encoder = NativeEncoder::new().with_options(NativeOptions {
        custom_serialization_flag: true,
        block_info: true,
        string_offsets: REVISION >= 54492,
    });
    let mut writer = compression.map(CompressedBlockWriter::new);
    let mut out = Vec::new();
    let mut body = Vec::new();
    for first in (0..rows).step_by(BLOCK_ROWS) {
        let b = block(first, BLOCK_ROWS.min(rows - first));
        put_varuint(&mut out, 1);
        put_string(&mut out, b"");
        body.clear();
        write_block_info(&mut body, &BlockInfo::default());
        encoder.encode_into(&b, &mut body).unwrap();
        match writer.as_mut() {
            Some(w) => {
                let start = out.len();
                w.write(&body, &mut out).unwrap();
                frames.extend_from_slice(&out[start..]);
            }
            None => out.extend_from_slice(&body),
        }
    }
    put_varuint(&mut out, 5);
    out
}

fn u64s(first: usize, rows: usize) -> Column {
    let v = (first as u64..(first + rows) as u64).collect();
    Column::new(DataType::UInt64, ColumnData::U64(v)).unwrap()
}

fn mixed(first: usize, rows: usize) -> Block {
    let mut s = StringColumn::default();
    for i in first..first + rows {
        s.push(format!("event-{i}").as_bytes());
    }
    let f = (first..first + rows).map(|i| i as f64 * 0.5).collect();
    Block::new(vec![
        ("n".into(), u64s(first, rows)),
        (
            "s".into(),
            Column::new(DataType::String, ColumnData::String(s)).unwrap(),
        ),
        (
            "f".into(),
            Column::new(DataType::Float64, ColumnData::F64(f)).unwrap(),
        ),
    ])
    .unwrap()
}

/// Feeds `bytes` in 64 KiB reads; returns the rows decoded.
fn demux(bytes: &[u8], compressed: bool) -> usize {
    let mut receiver = Receiver::new(REVISION, DecodeLimits::default());
    receiver.set_compressed(compressed);
    let mut packets = Vec::new();
    let mut rows = 0;
    for read in bytes.chunks(READ) {
        receiver.feed(read, &mut packets).unwrap();
        for p in packets.drain(..) {
            if let Packet::Data(_, b) = p {
                rows += b.rows;
            }
        }
    }
    rows
}

fn bench(case: &str, rows: usize, bytes: &[u8], compressed: bool) {
    assert_eq!(demux(bytes, compressed), rows);
    let memcpy = common::memcpy_time(1, ITERATIONS, bytes);
    let decode = time(|| {
        black_box(demux(black_box(bytes), compressed));
    });
    let gbps = |d: Duration| bytes.len() as f64 / d.as_secs_f64() / 1e9;
    println!(
        "{case:<36} {:>7.1} MB  demux+decode {:>6.2} GB/s  memcpy {:>6.2} GB/s  ratio {:>5.1} %",
        bytes.len() as f64 / 1e6,
        gbps(decode),
        gbps(memcpy),
        100.0 * memcpy.as_secs_f64() / decode.as_secs_f64()
    );
}

/// The compressed frames of an LZ4 reply alone, read with `CompressedBlockReader` in 64 KiB
/// reads: the decompression share of the demux+decode figure.
fn frames_only(frames: &[u8]) {
    use chwire_proto::compression::CompressedBlockReader;
    let run = || {
        let mut reader = CompressedBlockReader::new();
        let mut out = 0;
        for read in frames.chunks(READ) {
            reader.feed(read);
            while let Some(b) = reader.next_block().unwrap() {
                out += b.len();
            }
        }
        out
    };
    let out = run();
    let d = time(|| {
        black_box(run());
    });
    println!(
        "{:<36} {:>7.1} MB  decompress   {:>6.2} GB/s (output {:.1} MB)",
        "20M UInt64, LZ4 frames only",
        frames.len() as f64 / 1e6,
        frames.len() as f64 / d.as_secs_f64() / 1e9,
        out as f64 / 1e6
    );
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("tcp bench: run with `cargo bench -p chwire-proto --bench tcp` for numbers");
        return;
    }
    let one = |first, rows| Block::new(vec![("number".into(), u64s(first, rows))]).unwrap();
    let n = 20_000_000;
    bench(
        "20M UInt64, plain",
        n,
        &reply(n, None, one, &mut Vec::new()),
        false,
    );
    let mut frames = Vec::new();
    let lz4 = reply(n, Some(Compression::Lz4), one, &mut frames);
    bench("20M UInt64, LZ4 (wire bytes)", n, &lz4, true);
    frames_only(&frames);
    let m = 5_000_000;
    bench(
        "5M (UInt64, String, Float64), plain",
        m,
        &reply(m, None, mixed, &mut Vec::new()),
        false,
    );
}
