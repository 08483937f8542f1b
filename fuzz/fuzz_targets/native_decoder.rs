//! `FORMAT Native` decoding of hostile bytes.
//!
//! Input layout: `[flags, split_lo, split_hi, stream...]`; bit 0 of `flags` selects the native-TCP
//! layout (a custom-serialization byte after each column type).
//!
//! Properties: no panic; bounded memory (run with `-malloc_limit_mb`); feeding the stream in two
//! pieces split at a fuzz-chosen position yields the same blocks and the same final error as
//! feeding it whole (error offsets included: they count from the stream start); every decoded
//! block re-encodes to bytes that decode to the same block.
#![no_main]

use chwire_proto::native::NativeOptions;
use chwire_proto::{Block, NativeDecoder, NativeEncoder};
use libfuzzer_sys::fuzz_target;

/// Blocks (as Debug strings, so NaN compares equal) and the error that ended decoding.
#[derive(Debug, PartialEq)]
struct Outcome {
    blocks: Vec<String>,
    error: Option<String>,
}

fn decoder(options: NativeOptions) -> NativeDecoder {
    NativeDecoder::new().with_options(options)
}

/// Feeds `pieces` one after the other, draining blocks after each, then finishes.
fn run(options: NativeOptions, pieces: &[&[u8]], blocks: &mut Vec<Block>) -> Outcome {
    let mut dec = decoder(options);
    let mut out = Outcome {
        blocks: Vec::new(),
        error: None,
    };
    let mut push = |b: Block, out: &mut Outcome| {
        out.blocks.push(format!("{b:?}"));
        blocks.push(b);
    };
    for piece in pieces {
        dec.feed(piece);
        loop {
            match dec.next_block() {
                Ok(Some(b)) => push(b, &mut out),
                Ok(None) => break,
                Err(e) => {
                    out.error = Some(e.to_string());
                    return out;
                }
            }
        }
    }
    // `finish` may return several blocks decoded at once without consuming more input, but
    // every block takes at least two bytes (column and row counts): more blocks than that
    // would be blocks made of nothing.
    let bound = pieces.iter().map(|p| p.len()).sum::<usize>() / 2;
    loop {
        match dec.finish() {
            Ok(Some(b)) => {
                push(b, &mut out);
                assert!(
                    out.blocks.len() <= bound,
                    "more blocks than the input can hold"
                );
            }
            Ok(None) => break,
            Err(e) => {
                out.error = Some(e.to_string());
                break;
            }
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let [flags, lo, hi, stream @ ..] = data else {
        return;
    };
    let options = NativeOptions {
        custom_serialization_flag: flags & 1 != 0,
        // BlockInfo framing (native TCP Data packets) is fuzzed through `tcp_receiver`.
        block_info: false,
        string_offsets: flags & 2 != 0,
    };
    let split = usize::from(u16::from_le_bytes([*lo, *hi])) % (stream.len() + 1);
    let mut blocks = Vec::new();
    let whole = run(options, &[stream], &mut blocks);
    let (a, b) = stream.split_at(split);
    let pieces = run(options, &[a, b], &mut Vec::new());
    assert_eq!(whole, pieces, "split at {split} changes the result");

    let encoder = NativeEncoder::new().with_options(options);
    for block in &blocks {
        let bytes = match encoder.encode(block) {
            Ok(bytes) => bytes,
            Err(e) => panic!("decoded block does not re-encode: {e}\n{block:?}"),
        };
        let mut dec = decoder(options);
        dec.feed(&bytes);
        let again = dec
            .finish()
            .unwrap_or_else(|e| panic!("re-encoded block does not decode: {e}\n{block:?}"))
            .expect("re-encoded block is empty");
        assert_eq!(dec.buffered(), 0, "re-encoded block leaves bytes behind");
        assert_eq!(
            format!("{again:?}"),
            format!("{block:?}"),
            "re-encode round trip"
        );
    }
});
