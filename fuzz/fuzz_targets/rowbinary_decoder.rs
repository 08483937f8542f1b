//! RowBinary decoding of hostile bytes.
//!
//! Input layout: `[mode, chunk_seed, rest...]`.
//! - mode 0: `rest` = type strings separated by `\n`, a NUL, then the row bytes (plain RowBinary).
//! - mode 1: `rest` = column count byte, that many binary-encoded types, then the row bytes.
//! - mode 2: `rest` is a `RowBinaryWithNamesAndTypes` stream (type strings in the header).
//! - mode 3: the same with binary-encoded header types.
//!
//! Properties: no panic; bounded memory (run with `-malloc_limit_mb`); every returned row consumes
//! input; feeding the input in pieces of fuzz-chosen sizes gives exactly what feeding it whole
//! gives; decoded rows re-encode, and the re-encoding decodes to rows that encode identically.
#![no_main]

use chwire_proto::rowbinary::{
    RowBinaryEncoder, TypeEncoding, decode_rows, decode_type_binary, encode_type_binary,
};
use chwire_proto::{ByteCursor, DataType, DecodeError, DecodeLimits, RowBinaryDecoder, Value};
use libfuzzer_sys::fuzz_target;

#[path = "chunks.rs"]
mod chunks;
use chunks::Chunks;

/// Everything observable about one decoding run, for comparing runs.
#[derive(Debug, PartialEq)]
struct Outcome {
    /// Debug forms of the rows (Debug rather than `Value` equality so NaN compares equal).
    rows: Vec<String>,
    /// The first error from `next_row`, if any.
    error: Option<String>,
    /// What `finish` said (only called when no error occurred).
    finish: Option<String>,
    /// Columns announced by the header.
    types: Vec<DataType>,
    names: Vec<String>,
}

fn drain(dec: &mut RowBinaryDecoder, out: &mut Outcome, raw: &mut Vec<Vec<Value>>) -> bool {
    loop {
        let before = dec.buffered();
        match dec.next_row() {
            Ok(Some(row)) => {
                assert!(
                    dec.buffered() < before,
                    "a row was returned without consuming input (types {:?})",
                    dec.types()
                );
                out.rows.push(format!("{row:?}"));
                raw.push(row);
            }
            Ok(None) => return true,
            Err(e) => {
                out.error = Some(e.to_string());
                return false;
            }
        }
    }
}

/// Decodes `payload` whole (`chunks` = None) or in pieces; returns the outcome and the rows.
fn run(
    make: &dyn Fn() -> RowBinaryDecoder,
    payload: &[u8],
    chunks: Option<u32>,
) -> (Outcome, Vec<Vec<Value>>) {
    let mut dec = make();
    let mut raw = Vec::new();
    let mut out = Outcome {
        rows: Vec::new(),
        error: None,
        finish: None,
        types: Vec::new(),
        names: Vec::new(),
    };
    let mut ok = true;
    match chunks {
        None => {
            dec.feed(payload);
            ok = drain(&mut dec, &mut out, &mut raw);
        }
        Some(seed) => {
            let mut chunks = Chunks::new(seed, 8, 128);
            let mut rest = payload;
            while ok && !rest.is_empty() {
                let n = chunks.next_len().min(rest.len());
                dec.feed(&rest[..n]);
                rest = &rest[n..];
                ok = drain(&mut dec, &mut out, &mut raw);
            }
            if ok {
                // An empty input never polled the header above.
                ok = drain(&mut dec, &mut out, &mut raw);
            }
        }
    }
    if ok {
        out.finish = Some(format!("{:?}", dec.finish()));
    }
    out.types = dec.types().to_vec();
    out.names = dec.names().to_vec();
    (out, raw)
}

/// Decoded rows must encode, and what they encode to must decode and encode identically.
fn check_reencode(types: &[DataType], rows: &[Vec<Value>]) {
    if types.is_empty() || rows.is_empty() {
        return;
    }
    let mut enc = RowBinaryEncoder::new(types.to_vec());
    for row in rows {
        if let Err(e) = enc.write_row(row) {
            panic!("decoded row {row:?} of {types:?} does not re-encode: {e}");
        }
    }
    let first = enc.buffer().to_vec();
    let mut again = RowBinaryEncoder::new(types.to_vec());
    let mut n = 0;
    let mut it = decode_rows(types, &first, DecodeLimits::default());
    for row in it.by_ref() {
        let row = match row {
            Ok(row) => row,
            // The allowance for zero-width collection elements grows with the bytes of the row;
            // a row accepted thanks to padded (non-minimal) varints may exceed it once
            // re-encoded compactly. That is the documented limit, not a bug.
            Err(DecodeError::LimitExceeded { what, .. }) if what.contains("zero-width") => return,
            Err(e) => panic!("re-encoded rows of {types:?} do not decode: {e}"),
        };
        again
            .write_row(&row)
            .unwrap_or_else(|e| panic!("re-decoded row {row:?} does not encode: {e}"));
        n += 1;
    }
    assert_eq!(
        n,
        rows.len(),
        "re-encoded rows of {types:?} decode to another count"
    );
    assert!(it.remainder().is_empty());
    assert_eq!(
        first,
        again.buffer(),
        "re-encoding of {types:?} is not stable"
    );
}

fn parse_text_types(spec: &[u8]) -> Option<Vec<DataType>> {
    let text = std::str::from_utf8(spec).ok()?;
    text.split('\n').map(|t| DataType::parse(t).ok()).collect()
}

fn parse_binary_types(rest: &[u8]) -> Option<(Vec<DataType>, usize)> {
    let (&count, body) = rest.split_first()?;
    let mut cur = ByteCursor::new(body);
    let limits = DecodeLimits::default();
    let mut types = Vec::new();
    for _ in 0..(count % 5) {
        let ty = decode_type_binary(&mut cur, &limits).ok()?;
        // The binary type encoding must round-trip too.
        let mut bytes = Vec::new();
        if encode_type_binary(&ty, &mut bytes).is_ok() {
            let back = decode_type_binary(&mut ByteCursor::new(&bytes), &limits);
            assert_eq!(back, Ok(ty.clone()), "binary type round trip");
        }
        types.push(ty);
    }
    Some((types, 1 + cur.position()))
}

fuzz_target!(|data: &[u8]| {
    let [mode, seed, rest @ ..] = data else {
        return;
    };
    let (make, payload): (Box<dyn Fn() -> RowBinaryDecoder>, &[u8]) = match mode % 4 {
        0 => {
            let nul = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
            let Some(types) = parse_text_types(&rest[..nul]) else {
                return;
            };
            let payload = rest.get(nul + 1..).unwrap_or(&[]);
            (
                Box::new(move || RowBinaryDecoder::new(types.clone())),
                payload,
            )
        }
        1 => {
            let Some((types, used)) = parse_binary_types(rest) else {
                return;
            };
            (
                Box::new(move || RowBinaryDecoder::new(types.clone())),
                &rest[used..],
            )
        }
        2 => (Box::new(RowBinaryDecoder::with_names_and_types), rest),
        _ => (
            Box::new(|| RowBinaryDecoder::with_header(TypeEncoding::Binary)),
            rest,
        ),
    };
    let (whole, rows) = run(&*make, payload, None);
    let (pieces, _) = run(&*make, payload, Some(u32::from(*seed) * 0x9e37 + 1));
    assert_eq!(
        whole, pieces,
        "chunked decoding differs from whole-input decoding"
    );
    check_reencode(&whole.types, &rows);
});
