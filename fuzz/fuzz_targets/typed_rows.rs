//! The facade's typed rows (`chwire::RowDecoder`, serde) over hostile bytes, for a few
//! representative `#[derive(Row)]` types.
//!
//! Input layout: `[row_type, source, chunk_seed, rest...]`. `row_type % 5` picks the Rust row
//! type (their columns are those of the golden captures in `crates/chwire/tests/golden/rows/`,
//! so those seed the corpus); `source % 3` says where the columns and the RowBinary rows come
//! from:
//! - 0: `rest` = one type string per field of the row type, separated by `\n`, a NUL, then
//!   RowBinary rows (the column names are the row type's);
//! - 1: `rest` is a `RowBinaryWithNamesAndTypes` stream, names as given (a permutation of the
//!   row type's names reads by name, anything else is refused up front);
//! - 2: `rest` is a Native stream: each block whose column count fits is re-laid as RowBinary
//!   (`block_to_row_binary`, what the client does with the server's default format) and read.
//!
//! Properties: no panic; bounded memory; decoding rows as the input arrives in fuzz-sized
//! pieces (keeping the incomplete tail, as the client does) gives exactly what decoding it
//! whole gives; every row of a complete Native block decodes or is a typed error (never
//! "incomplete"); a decoded row that encodes back (`RowEncoder`) decodes to the same value.
#![no_main]

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::net::{Ipv4Addr, Ipv6Addr};

use chwire::{Row, RowDecoder, RowEncoder, RowError, read_header};
use chwire_proto::rowbinary::block_to_row_binary;
use chwire_proto::{ByteCursor, DataType, DecodeLimits, NativeDecoder};
use libfuzzer_sys::fuzz_target;
use serde::{Deserialize, Serialize};

#[path = "chunks.rs"]
mod chunks;
use chunks::Chunks;

/// `numbers.sql`; `name` as bytes (a sequence of `u8` to serde).
#[derive(Row, Serialize, Deserialize, Debug)]
struct Numbers {
    id: u64,
    name: Vec<u8>,
    list: Vec<u64>,
}

#[derive(Serialize, Deserialize, Debug)]
struct Named {
    a: i32,
    b: String,
}

/// `compound.sql`: options, arrays, tuples, a struct, maps, geo types.
#[derive(Row, Serialize, Deserialize, Debug)]
struct Compound {
    n_u8: Option<u8>,
    n_s: Option<Vec<u8>>,
    arr: Vec<u32>,
    arr_n: Vec<Option<String>>,
    tup: (u8, String),
    named: Named,
    m: BTreeMap<String, u64>,
    m_arr: Vec<(u8, Vec<String>)>,
    lc: String,
    lc_n: Option<String>,
    pt: (f64, f64),
    ring: Vec<(f64, f64)>,
    nested: Vec<Vec<i16>>,
}

#[derive(Serialize, Deserialize, Debug)]
struct Pair {
    a: u8,
    b: String,
}

/// `nested.sql`: `Nested` as a `Vec` of structs, a map with array values.
#[derive(Row, Serialize, Deserialize, Debug)]
struct NestedRow {
    n: Vec<Pair>,
    lcm: BTreeMap<String, Vec<u16>>,
}

/// In the order of the column type's alternatives (the server sorts them by name).
#[derive(Serialize, Deserialize, Debug)]
enum Alternative {
    A(Vec<u8>),
    S(String),
    N(u64),
}

/// `variant.sql`: a `Variant(Array(UInt8), String, UInt64)` as an `Option` of a Rust enum.
#[derive(Row, Serialize, Deserialize, Debug)]
struct VariantRow {
    id: u8,
    v: Option<Alternative>,
}

#[derive(Serialize, Deserialize, Debug)]
#[allow(non_camel_case_types)]
enum E8 {
    a,
    b,
}

/// `scalars.sql`: every scalar, borrowed where serde allows it.
#[derive(Row, Serialize, Deserialize, Debug)]
struct Scalars<'a> {
    i8: i8,
    i16: i16,
    i32: i32,
    i64: i64,
    i128: i128,
    #[serde(with = "serde_bytes")]
    i256: &'a [u8],
    u8: u8,
    u16: u16,
    u32: u32,
    u64: u64,
    u128: u128,
    u256: [u8; 32],
    f32: f32,
    f64: f64,
    bf16: f32,
    b: bool,
    s: &'a str,
    fs: [u8; 4],
    uuid: u128,
    ip4: Ipv4Addr,
    ip6: Ipv6Addr,
    d: u16,
    d32: i32,
    dt: u32,
    dt64: i64,
    dec32: i32,
    dec64: i64,
    dec128: i128,
    #[serde(with = "serde_bytes")]
    dec256: Vec<u8>,
    e8: E8,
    e16: String,
}

/// A row type for every lifetime of the input it borrows from.
trait Family {
    type R<'a>: Row + Serialize + Deserialize<'a> + Debug;
}

macro_rules! families {
    ($($family:ident => $row:ty),* $(,)?) => {$(
        struct $family;
        impl Family for $family {
            type R<'a> = $row;
        }
    )*};
}

families!(
    NumbersF => Numbers,
    CompoundF => Compound,
    NestedF => NestedRow,
    VariantF => VariantRow,
    ScalarsF => Scalars<'a>,
);

/// Debug forms of the rows read (NaN compares equal that way) and how reading stopped.
#[derive(Debug, PartialEq)]
struct Outcome {
    rows: Vec<String>,
    end: String,
}

/// Reads rows from the front of `cur` until it is empty or a row fails; the rows' Debug forms
/// go to `rows`, the decoded values to `keep` when given. The error is returned, the cursor left
/// at the start of the row that failed.
fn read_rows<'de, F: Family>(
    dec: &RowDecoder<'_>,
    cur: &mut ByteCursor<'de>,
    rows: &mut Vec<String>,
    mut keep: Option<&mut Vec<F::R<'de>>>,
) -> Option<RowError> {
    while !cur.is_empty() {
        let before = cur.position();
        match dec.decode::<F::R<'de>>(cur) {
            Ok(row) => {
                assert!(cur.position() > before, "a row consumed no input");
                rows.push(format!("{row:?}"));
                if let Some(keep) = keep.as_deref_mut() {
                    keep.push(row);
                }
            }
            Err(e) => {
                assert_eq!(cur.position(), before, "a failed row moved the cursor");
                return Some(e);
            }
        }
    }
    None
}

/// How reading stopped; error positions are left out (they count from the start of the
/// buffer, which differs when the input arrives in pieces).
fn end_of(e: Option<RowError>) -> String {
    match e {
        None => "end".to_owned(),
        Some(RowError::Incomplete { .. }) => "incomplete".to_owned(),
        Some(e) => {
            let text = e.to_string();
            match text.split_once(" at byte ") {
                Some((head, tail)) => {
                    let tail = tail.trim_start_matches(|c: char| c.is_ascii_digit());
                    format!("error: {head}{tail}")
                }
                None => format!("error: {text}"),
            }
        }
    }
}

/// Rows of `bytes` read whole, then piece by piece with the incomplete tail kept; both must
/// agree. Decoded rows are encoded back and read again. Returns the whole outcome.
fn check<F: Family>(columns: &[(String, DataType)], bytes: &[u8], seed: u32) -> Option<Outcome> {
    let dec = RowDecoder::new::<F::R<'static>>(columns).ok()?;
    let mut whole = Outcome {
        rows: Vec::new(),
        end: String::new(),
    };
    let mut values = Vec::new();
    let mut cur = ByteCursor::new(bytes);
    whole.end = end_of(read_rows::<F>(&dec, &mut cur, &mut whole.rows, Some(&mut values)));

    let mut pieces = Outcome {
        rows: Vec::new(),
        end: String::new(),
    };
    let mut chunks = Chunks::new(seed, 16, 256);
    let mut buf: Vec<u8> = Vec::new();
    let mut rest = bytes;
    let mut stop = None;
    while !rest.is_empty() {
        let n = chunks.next_len().min(rest.len());
        buf.extend_from_slice(&rest[..n]);
        rest = &rest[n..];
        let mut cur = ByteCursor::new(&buf);
        let e = read_rows::<F>(&dec, &mut cur, &mut pieces.rows, None);
        let used = cur.position();
        buf.drain(..used);
        if let Some(e) = e.filter(|e| !e.is_incomplete()) {
            stop = Some(e);
            break;
        }
    }
    pieces.end = match stop {
        Some(e) => end_of(Some(e)),
        None if buf.is_empty() => end_of(None),
        None => end_of(Some(RowError::Incomplete { needed: 0 })),
    };
    assert_eq!(whole, pieces, "piecewise reading differs from whole reading");

    if let Ok(enc) = RowEncoder::new::<F::R<'static>>(columns) {
        let order: Vec<(String, DataType)> = enc.columns().cloned().collect();
        let again_dec = RowDecoder::new::<F::R<'static>>(&order).expect("the encoder's columns");
        for (row, debug) in values.iter().zip(&whole.rows) {
            let mut out = Vec::new();
            if enc.encode(row, &mut out).is_err() {
                continue;
            }
            let mut cur = ByteCursor::new(&out);
            let mut again = Vec::new();
            let e = read_rows::<F>(&again_dec, &mut cur, &mut again, None);
            assert!(e.is_none(), "an encoded row does not decode: {e:?}\n{debug}");
            assert_eq!(again, [debug.clone()], "encoded row decodes to another value");
        }
    }
    Some(whole)
}

/// The row type's column names with the given types (if there are as many).
fn named_columns<F: Family>(types: Vec<DataType>) -> Option<Vec<(String, DataType)>> {
    let names = <F::R<'static> as Row>::COLUMN_NAMES;
    (names.len() == types.len()).then(|| {
        names
            .iter()
            .map(|n| (*n).to_owned())
            .zip(types)
            .collect()
    })
}

fn run<F: Family>(source: u8, seed: u32, rest: &[u8]) {
    match source % 3 {
        0 => {
            let nul = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
            let Ok(text) = std::str::from_utf8(&rest[..nul]) else {
                return;
            };
            let Ok(types) = text.split('\n').map(DataType::parse).collect() else {
                return;
            };
            if let Some(columns) = named_columns::<F>(types) {
                check::<F>(&columns, rest.get(nul + 1..).unwrap_or(&[]), seed);
            }
        }
        1 => {
            let mut cur = ByteCursor::new(rest);
            if let Ok(columns) = read_header(&mut cur, &DecodeLimits::default()) {
                check::<F>(&columns, cur.remaining(), seed);
            }
        }
        _ => {
            let mut dec = NativeDecoder::new();
            dec.feed(rest);
            while let Ok(Some(block)) = dec.finish() {
                let types = block
                    .columns
                    .iter()
                    .map(|(_, c)| c.data_type().clone())
                    .collect();
                let Some(columns) = named_columns::<F>(types) else {
                    continue;
                };
                let mut bytes = Vec::new();
                if block_to_row_binary(&block, &mut bytes).is_err() {
                    continue;
                }
                if let Some(out) = check::<F>(&columns, &bytes, seed) {
                    assert_ne!(out.end, "incomplete", "a complete block ends mid-row");
                    if out.end == "end" {
                        assert_eq!(out.rows.len(), block.rows, "rows of the block");
                    }
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let [row_type, source, seed, rest @ ..] = data else {
        return;
    };
    let seed = u32::from(*seed) * 0x9e37 + 1;
    match row_type % 5 {
        0 => run::<NumbersF>(*source, seed, rest),
        1 => run::<CompoundF>(*source, seed, rest),
        2 => run::<NestedF>(*source, seed, rest),
        3 => run::<VariantF>(*source, seed, rest),
        _ => run::<ScalarsF>(*source, seed, rest),
    }
});
