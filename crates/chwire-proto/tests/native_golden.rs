//! Golden Native vectors captured from ClickHouse 26.9 over HTTP (`tests/golden/native/`,
//! `<case>.sql` is the query, `<case>.bin` the reply; `cargo xtask golden native` re-captures them).
//! Each case is decoded and its values asserted, re-encoded and compared byte for byte, and
//! re-decoded from split input.

mod common;

use std::net::{Ipv4Addr, Ipv6Addr};

use chwire_proto::value::{I256, U256};
use chwire_proto::{Block, DataType, NativeDecoder, NativeEncoder, Point, Value};

fn golden(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/golden/native/{name}.bin",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn decoder() -> NativeDecoder {
    NativeDecoder::new().with_type_parser(common::parse_type)
}

/// Decodes `bytes` fed in the given chunks.
fn decode_chunks<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> Vec<Block> {
    let mut d = decoder();
    let mut out = Vec::new();
    for c in chunks {
        d.feed(c);
        while let Some(b) = d.next_block().unwrap() {
            out.push(b);
        }
    }
    while let Some(b) = d.finish().unwrap() {
        out.push(b);
    }
    out
}

/// Decodes, checks re-encoding reproduces the bytes, and checks split decoding agrees.
fn encode(blocks: &[Block]) -> Vec<u8> {
    let enc = NativeEncoder::new().with_type_printer(common::print_type);
    let mut out = Vec::new();
    for b in blocks {
        enc.encode_into(b, &mut out).unwrap();
    }
    out
}

/// `blocks` encoded in parts ([`NativeEncoder::encode_parts`]), the parts concatenated.
fn encode_in_parts(blocks: &[Block], min_borrow: usize) -> Vec<u8> {
    let enc = NativeEncoder::new().with_type_printer(common::print_type);
    let mut out = Vec::new();
    for b in blocks {
        let mut encoded = Vec::new();
        for part in enc.encode_parts(b, min_borrow, &mut encoded).unwrap() {
            out.extend_from_slice(part.bytes(&encoded, b));
        }
    }
    out
}

/// Decodes, checks re-encoding reproduces the bytes, and checks split decoding agrees (compared
/// through re-encoding, since NaN makes `Block` equality unreliable). Returns all blocks.
fn check(name: &str) -> Vec<Block> {
    let bytes = golden(name);
    let blocks = decode_chunks([bytes.as_slice()]);
    assert!(!blocks.is_empty(), "{name}: no blocks");
    assert_eq!(encode(&blocks), bytes, "{name}: re-encoding differs");
    for min_borrow in [0, 1, 64, usize::MAX] {
        let parts = encode_in_parts(&blocks, min_borrow);
        assert_eq!(
            parts, bytes,
            "{name}: parts (borrowing from {min_borrow} bytes) differ"
        );
    }

    if bytes.len() <= 4096 {
        for cut in 0..=bytes.len() {
            let got = decode_chunks([&bytes[..cut], &bytes[cut..]]);
            assert_eq!(got.len(), blocks.len(), "{name}: split at {cut}");
            assert_eq!(encode(&got), bytes, "{name}: split at {cut}");
        }
    }
    for chunk in [1, 7, 1000] {
        let got = decode_chunks(bytes.chunks(chunk));
        assert_eq!(got.len(), blocks.len(), "{name}: {chunk}-byte chunks");
        assert_eq!(encode(&got), bytes, "{name}: {chunk}-byte chunks");
    }
    blocks
}

/// The values of column `name` across all blocks.
fn col(blocks: &[Block], name: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for b in blocks {
        let c = b.column(name).unwrap_or_else(|| panic!("no column {name}"));
        assert_eq!(c.len(), b.rows);
        out.extend((0..c.len()).map(|i| c.try_get(i).unwrap()));
    }
    out
}

fn s(v: &str) -> Value {
    Value::string(v)
}

#[test]
fn ints() {
    let b = &check("ints");
    assert_eq!(col(b, "i8"), [Value::Int8(-128), Value::Int8(127)]);
    assert_eq!(
        col(b, "i16"),
        [Value::Int16(i16::MIN), Value::Int16(i16::MAX)]
    );
    assert_eq!(
        col(b, "i32"),
        [Value::Int32(i32::MIN), Value::Int32(i32::MAX)]
    );
    assert_eq!(
        col(b, "i64"),
        [Value::Int64(i64::MIN), Value::Int64(i64::MAX)]
    );
    assert_eq!(
        col(b, "i128"),
        [Value::Int128(i128::MIN), Value::Int128(i128::MAX)]
    );
    assert_eq!(
        col(b, "i256"),
        [Value::Int256(I256::MIN), Value::Int256(I256::MAX)]
    );
    assert_eq!(col(b, "u8"), [Value::UInt8(0), Value::UInt8(255)]);
    assert_eq!(col(b, "u16"), [Value::UInt16(0), Value::UInt16(u16::MAX)]);
    assert_eq!(col(b, "u32"), [Value::UInt32(0), Value::UInt32(u32::MAX)]);
    assert_eq!(col(b, "u64"), [Value::UInt64(0), Value::UInt64(u64::MAX)]);
    assert_eq!(
        col(b, "u128"),
        [Value::UInt128(0), Value::UInt128(u128::MAX)]
    );
    assert_eq!(
        col(b, "u256"),
        [Value::UInt256(U256::ZERO), Value::UInt256(U256::MAX)]
    );
    assert_eq!(b[1].column("u64").unwrap().as_u64(), Some(&[u64::MAX][..]));
}

#[test]
fn floats() {
    let b = &check("floats");
    let f32s = b[0].column("f32").unwrap().as_f32().unwrap();
    assert!(f32s[0] == 0.0 && f32s[0].is_sign_negative());
    assert_eq!(
        &f32s[1..],
        &[1.5, f32::INFINITY, f32::NEG_INFINITY, f32::MAX]
    );
    let f64s = b[0].column("f64").unwrap().as_f64().unwrap();
    assert!(f64s[0] == 0.0 && f64s[0].is_sign_negative());
    assert_eq!(&f64s[1..3], &[2.5, f64::INFINITY]);
    assert!(f64s[3].is_nan());
    assert_eq!(f64s[4], f64::MIN);
    let bf: Vec<u16> = b[0].column("bf16").unwrap().as_u16().unwrap().to_vec();
    assert_eq!(bf[1], (1.5f32.to_bits() >> 16) as u16);
    assert_eq!(bf[2], ((-2.0f32).to_bits() >> 16) as u16);
    assert_eq!(col(b, "bf16")[0], Value::BFloat16(0));
}

#[test]
fn decimals() {
    let b = &check("decimals");
    let d = |v: &str| Value::Decimal(I256::from_str_radix(v, 10).unwrap());
    assert_eq!(col(b, "d32"), [d("-1234567"), d("0")]);
    assert_eq!(col(b, "d64"), [d("1234567890123456"), d("0")]);
    assert_eq!(
        col(b, "d128"),
        [d("-12345678901234567890123456780123456789"), d("0")]
    );
    assert_eq!(
        col(b, "d256"),
        [
            d("1234567890123456789012345678901234567890123456789012345678901234567890"),
            d("0")
        ]
    );
    assert_eq!(col(b, "d5"), [d("15"), d("0")]);
}

#[test]
fn bool_string() {
    let b = &check("bool_string");
    assert_eq!(col(b, "b"), [false, true, false, true].map(Value::Bool));
    assert_eq!(
        col(b, "s"),
        [
            s(""),
            s("hello"),
            s(&"long-string-".repeat(200)),
            s("Ünïcødé ✓")
        ]
    );
    let fs = col(b, "fs");
    assert_eq!(fs[0], Value::FixedString(vec![0; 5]));
    assert_eq!(fs[1], Value::FixedString(b"ab\0\0\0".to_vec()));
    assert_eq!(fs[2], Value::FixedString(b"abcde".to_vec()));
    let strings = b[0].column("s").unwrap().as_strings().unwrap();
    assert_eq!(strings.get(1), Some(&b"hello"[..]));
}

#[test]
fn uuid_ip() {
    let b = &check("uuid_ip");
    assert_eq!(
        col(b, "u")[0],
        Value::Uuid([
            0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab,
            0xcd, 0xef
        ])
    );
    assert_eq!(col(b, "u")[1], Value::Uuid([0; 16]));
    assert_eq!(
        col(b, "v4"),
        [
            Value::IPv4(Ipv4Addr::new(1, 2, 3, 4)),
            Value::IPv4(Ipv4Addr::BROADCAST)
        ]
    );
    assert_eq!(
        col(b, "v6"),
        [
            Value::IPv6("2001:db8::ff00:42:8329".parse::<Ipv6Addr>().unwrap()),
            Value::IPv6("::ffff:1.2.3.4".parse::<Ipv6Addr>().unwrap())
        ]
    );
}

#[test]
fn dates() {
    let b = &check("dates");
    assert_eq!(col(b, "d"), [Value::Date(19782)]);
    assert_eq!(col(b, "d32"), [Value::Date32(-25567)]);
    assert_eq!(col(b, "dt"), [Value::DateTime(1704164645)]);
    // 2024-01-02 03:04:05.123 in Tokyo is 2024-01-01 18:04:05.123 UTC.
    assert_eq!(col(b, "dt64"), [Value::DateTime64(1704132245123)]);
    assert_eq!(col(b, "dtmax"), [Value::DateTime(u32::MAX)]);
    assert_eq!(col(b, "dt64min"), [Value::DateTime64(-2208988799999999)]);
    assert_eq!(col(b, "t"), [Value::Time(-(12 * 3600 + 34 * 60 + 56))]);
    assert_eq!(col(b, "t64"), [Value::Time64(86399123456)]);
    assert_eq!(
        b[0].column("dt64").unwrap().data_type(),
        &DataType::DateTime64(3, Some("Asia/Tokyo".into()))
    );
}

#[test]
fn enums() {
    let b = &check("enums");
    assert_eq!(col(b, "e8"), [1, -2, 127].map(Value::Enum8));
    assert_eq!(col(b, "e16"), [30000; 3].map(Value::Enum16));
}

#[test]
fn arrays() {
    let b = &check("arrays");
    assert_eq!(
        col(b, "a"),
        [
            Value::Array(vec![]),
            Value::Array(vec![Value::UInt8(1)]),
            Value::Array(vec![Value::UInt8(1), Value::UInt8(2), Value::UInt8(3)])
        ]
    );
    assert_eq!(
        col(b, "aa")[1],
        Value::Array(vec![
            Value::Array(vec![s("a"), s("b")]),
            Value::Array(vec![])
        ])
    );
    assert_eq!(
        col(b, "an")[2],
        Value::Array(vec![Value::Int32(2), Value::Null])
    );
}

#[test]
fn tuple_map() {
    let b = &check("tuple_map");
    assert_eq!(col(b, "t")[2], Value::Tuple(vec![Value::UInt8(2), s("2")]));
    assert_eq!(
        col(b, "tu")[1],
        Value::Tuple(vec![Value::UInt8(1), Value::Array(vec![s("1"), s("z")])])
    );
    assert_eq!(
        col(b, "m"),
        [
            Value::Map(vec![]),
            Value::Map(vec![(s("a"), Value::UInt64(1))]),
            Value::Map(vec![(s("b"), Value::UInt64(2)), (s("c"), Value::UInt64(3))])
        ]
    );
    assert_eq!(
        col(b, "ml")[2],
        Value::Map(vec![(
            s("2"),
            Value::Array(vec![Value::UInt8(2), Value::UInt8(2)])
        )])
    );
}

#[test]
fn nullable() {
    let b = &check("nullable");
    assert_eq!(col(b, "ns"), [s("0"), Value::Null, s("2")]);
    assert_eq!(
        col(b, "nu"),
        [Value::Null, Value::UInt64(1000), Value::UInt64(2000)]
    );
    assert_eq!(col(b, "nn"), [Value::Null, Value::Null, Value::Null]);
    assert_eq!(col(b, "an")[0], Value::Array(vec![Value::Null, s("x")]));
}

#[test]
fn lowcard() {
    let b = &check("lowcard");
    assert_eq!(col(b, "lcn"), [Value::Null, s("a"), s("b"), s("a")]);
    assert_eq!(col(b, "lc"), [s("x"), s("y"), s("x"), s("")]);
    assert_eq!(
        col(b, "alc"),
        [
            Value::Array(vec![]),
            Value::Array(vec![s("p")]),
            Value::Array(vec![s("q"), s("p")]),
            Value::Array(vec![])
        ]
    );
    assert_eq!(col(b, "lcfs")[3], Value::FixedString(b"cc".to_vec()));
    assert_eq!(col(b, "lcu")[2], Value::UInt32(20));
    let m = b[0].column("lcn").unwrap().materialize();
    assert_eq!(
        m.data_type(),
        &DataType::Nullable(Box::new(DataType::String))
    );
    assert_eq!(m.get(2), s("b"));
    assert_eq!(m.get(0), Value::Null);

    let b = &check("lowcard_wide");
    let v = col(b, "lc");
    assert_eq!(v.len(), 300);
    assert_eq!(v[299], s("299"));
    let b = &check("lowcard_empty");
    assert_eq!(col(b, "e"), [Value::Array(vec![])]);
    assert_eq!(col(b, "one"), [s("a")]);
}

#[test]
fn nested() {
    let b = &check("nested");
    assert_eq!(
        col(b, "n"),
        [Value::Array(vec![
            Value::Tuple(vec![Value::UInt8(1), s("a")]),
            Value::Tuple(vec![Value::UInt8(2), s("b")])
        ])]
    );
}

#[test]
fn geo() {
    let b = &check("geo");
    let p = |x, y| Point { x, y };
    assert_eq!(col(b, "p"), [Value::Point(p(1.5, -2.5))]);
    assert_eq!(
        col(b, "r"),
        [Value::Ring(vec![p(0., 0.), p(1., 0.), p(1., 1.)])]
    );
    assert_eq!(
        col(b, "ls"),
        [Value::LineString(vec![p(0., 0.), p(2., 2.)])]
    );
    assert_eq!(
        col(b, "mls"),
        [Value::MultiLineString(vec![
            vec![p(0., 0.), p(1., 1.)],
            vec![p(2., 2.)]
        ])]
    );
    assert_eq!(
        col(b, "pg"),
        [Value::Polygon(vec![
            vec![p(0., 0.), p(3., 0.), p(3., 3.)],
            vec![p(1., 1.), p(2., 1.)]
        ])]
    );
    assert_eq!(
        col(b, "mpg"),
        [Value::MultiPolygon(vec![
            vec![vec![p(0., 0.), p(1., 0.), p(1., 1.)]],
            vec![vec![p(5., 5.)]]
        ])]
    );
}

#[test]
fn interval() {
    let b = &check("interval");
    assert_eq!(col(b, "d"), [Value::Interval(5)]);
    assert_eq!(col(b, "m"), [Value::Interval(-3)]);
    assert_eq!(col(b, "ns"), [Value::Interval(123456789)]);
    assert_eq!(col(b, "y"), [Value::Interval(2)]);
}

#[test]
fn simpleagg() {
    let b = &check("simpleagg");
    assert_eq!(col(b, "s"), [Value::UInt64(1), Value::UInt64(2)]);
    assert_eq!(col(b, "a"), [s("a"), Value::Null]);
}

#[test]
fn variant() {
    let b = &check("variant");
    // Alternatives sorted by name: Array(UInt8), String, UInt64.
    assert_eq!(
        col(b, "v"),
        [
            Value::Variant(1, Box::new(s("str"))),
            Value::Variant(2, Box::new(Value::UInt64(42))),
            Value::Null,
            Value::Variant(
                0,
                Box::new(Value::Array(vec![Value::UInt8(1), Value::UInt8(2)]))
            ),
        ]
    );
}

#[test]
fn dynamic() {
    let b = &check("dynamic");
    let d = |t: DataType, v: Value| Value::Dynamic(Box::new(t), Box::new(v));
    assert_eq!(
        col(b, "d"),
        [
            d(DataType::Int64, Value::Int64(42)),
            d(DataType::String, s("hello")),
            Value::Null,
            d(
                DataType::Array(Box::new(DataType::Int64)),
                Value::Array(vec![Value::Int64(1), Value::Int64(2)])
            ),
            d(DataType::Float64, Value::Float64(2.5)),
            d(DataType::String, s("x")),
            d(DataType::Date, Value::Date(19723)),
        ]
    );
}

/// `Dynamic(max_types = 1)`: one type has its own alternative, the others are kept in the
/// shared variant as binary-encoded type + value, and come back as the same values.
#[test]
fn dynamic_shared() {
    let b = &check("dynamic_shared");
    let Some(chwire_proto::ColumnData::Dynamic(dy)) = b[0].column("d").map(|c| c.data()) else {
        panic!("not a Dynamic column");
    };
    let shared = dy.shared_index().unwrap();
    assert_eq!(
        dy.variant.variants[shared].len(),
        10,
        "values in the shared variant"
    );
    let d =
        |t: &str, v: Value| Value::Dynamic(Box::new(common::parse_type(t).unwrap()), Box::new(v));
    assert_eq!(
        col(b, "d"),
        [
            d("Int64", Value::Int64(42)),
            d("String", s("hello")),
            Value::Null,
            d(
                "Array(Int64)",
                Value::Array(vec![Value::Int64(1), Value::Int64(2)])
            ),
            d("Float64", Value::Float64(2.5)),
            d("Date", Value::Date(19723)),
            d(
                "Tuple(a UInt8, b String)",
                Value::Tuple(vec![Value::UInt8(1), s("a")])
            ),
            d(
                "Map(String, UInt8)",
                Value::Map(vec![(s("k"), Value::UInt8(1))])
            ),
            d("Int64", Value::Int64(7)),
            d("Decimal(18, 2)", Value::Decimal(I256::from(-125))),
            d(
                "UUID",
                Value::Uuid([
                    0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89,
                    0xab, 0xcd, 0xef
                ])
            ),
            d("DateTime64(3, 'UTC')", Value::DateTime64(1_704_067_200_123)),
            d(
                "Array(Nullable(String))",
                Value::Array(vec![Value::Null, s("x")])
            ),
        ]
    );
    // Shared values are real values: `get` agrees with `try_get`.
    let c = b[0].column("d").unwrap();
    assert_eq!(c.get(1), c.try_get(1).unwrap());
}

/// `JSON(max_dynamic_paths = 1)`: one path is a dynamic path, the others are kept in shared data
/// as (path, binary-encoded type + value) and come back as paths like the others.
#[test]
fn json_shared() {
    let b = &check("json_shared");
    let Some(chwire_proto::ColumnData::Json(j)) = b[0].column("j").map(|c| c.data()) else {
        panic!("not a JSON column");
    };
    assert_eq!(j.dynamic_paths.len(), 1);
    let Value::Array(shared) = j.shared_data.try_get(0).unwrap() else {
        panic!("shared data is not an array");
    };
    assert_eq!(shared.len(), 2, "paths of row 0 in shared data");
    let d =
        |t: &str, v: Value| Value::Dynamic(Box::new(common::parse_type(t).unwrap()), Box::new(v));
    let json = |pairs: Vec<(&str, Value)>| {
        Value::Json(pairs.into_iter().map(|(p, v)| (p.to_owned(), v)).collect())
    };
    assert_eq!(
        col(b, "j"),
        [
            json(vec![
                ("a", Value::UInt32(1)),
                ("b", d("Int64", Value::Int64(5))),
                ("c", d("String", s("x"))),
                (
                    "d.e",
                    d(
                        "Array(Nullable(Int64))",
                        Value::Array(vec![Value::Int64(1), Value::Int64(2)])
                    )
                ),
            ]),
            json(vec![
                ("a", Value::UInt32(2)),
                ("c", d("String", s("y"))),
                ("g", d("Bool", Value::Bool(true))),
            ]),
            json(vec![("a", Value::UInt32(0))]),
            json(vec![
                ("a", Value::UInt32(0)),
                ("b", d("Int64", Value::Int64(6))),
                (
                    "k",
                    d(
                        "Array(JSON(max_dynamic_types=16, max_dynamic_paths=0))",
                        Value::Array(vec![json(vec![("x", d("Int64", Value::Int64(1)))])])
                    )
                ),
            ]),
        ]
    );
}

/// Any byte of a shared value or path set to any value gives a value or an error from every
/// accessor, never a panic; `get` is `try_get` or `Null`.
#[test]
fn corrupt_shared_values_are_errors_not_panics() {
    for name in ["dynamic_shared", "json_shared"] {
        let bytes = golden(name);
        for at in 0..bytes.len() {
            for x in [0x00, 0x01, 0x0f, 0x7f, 0x80, 0xfe, 0xff] {
                let mut bad = bytes.clone();
                bad[at] = x;
                let mut d = decoder();
                d.feed(&bad);
                let Ok(Some(block)) = d.next_block() else {
                    continue;
                };
                for (_, c) in &block.columns {
                    for i in 0..=block.rows {
                        match c.try_get(i) {
                            Ok(v) => assert_eq!(c.get(i), v, "{name}: byte {at} = {x}"),
                            Err(_) => assert_eq!(c.get(i), Value::Null, "{name}: byte {at} = {x}"),
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn json() {
    let b = &check("json");
    let d = |t: DataType, v: Value| Value::Dynamic(Box::new(t), Box::new(v));
    let rows = col(b, "j");
    assert_eq!(
        rows[0],
        Value::Json(vec![
            ("a".into(), Value::UInt32(1)),
            ("b.c".into(), s("x")),
            ("d".into(), d(DataType::Int64, Value::Int64(5))),
            (
                "e".into(),
                d(
                    DataType::Array(Box::new(DataType::Nullable(Box::new(DataType::Int64)))),
                    Value::Array(vec![Value::Int64(1), Value::Int64(2)])
                )
            ),
        ])
    );
    assert_eq!(
        rows[1],
        Value::Json(vec![
            ("a".into(), Value::UInt32(2)),
            ("b.c".into(), s("")),
            ("f".into(), d(DataType::String, s("str"))),
            ("g.h".into(), d(DataType::Bool, Value::Bool(true))),
        ])
    );
    assert_eq!(
        rows[2],
        Value::Json(vec![("a".into(), Value::UInt32(0)), ("b.c".into(), s("")),])
    );
}

#[test]
fn qbit() {
    let b = &check("qbit");
    assert_eq!(
        col(b, "q32"),
        [Value::QBit(vec![
            Value::Float32(1.0),
            Value::Float32(-2.0),
            Value::Float32(3.5)
        ])]
    );
    assert_eq!(
        col(b, "q64"),
        [Value::QBit(
            [1.0, 0.5, -0.25, 8., 9., 10., 11., 12., 13.]
                .map(Value::Float64)
                .to_vec()
        )]
    );
    assert_eq!(
        col(b, "q16"),
        [Value::QBit(vec![
            Value::BFloat16((1.0f32.to_bits() >> 16) as u16),
            Value::BFloat16((2.0f32.to_bits() >> 16) as u16)
        ])]
    );
}

#[test]
fn multiblock() {
    let blocks = check("multiblock");
    assert_eq!(
        blocks.iter().map(|b| b.rows).collect::<Vec<_>>(),
        [3, 3, 3, 1]
    );
    let all: Vec<u64> = blocks
        .iter()
        .flat_map(|b| b.column("n").unwrap().as_u64().unwrap().to_vec())
        .collect();
    assert_eq!(all, (0..10).collect::<Vec<_>>());
    assert_eq!(col(&blocks[3..], "s"), [s("9")]);
}

#[test]
fn wide() {
    let blocks = check("wide");
    let rows: usize = blocks.iter().map(|b| b.rows).sum();
    assert_eq!(rows, 5000);
    let b = &blocks[0];
    let n = b.column("n").unwrap().as_u64().unwrap();
    assert!(n.iter().enumerate().all(|(i, &v)| v == i as u64));
    let f = b.column("f").unwrap().as_f64().unwrap();
    assert_eq!(f[4999], 2499.5);
    assert_eq!(col(&blocks, "nu")[3], Value::Null);
    assert_eq!(col(&blocks, "nu")[4], Value::UInt32(4));
}

/// `SELECT arrayJoin(['{"a":{"b":7},"s":"x"}', '{}'])::JSON AS j FORMAT Native` with
/// `output_format_native_write_json_as_string=1`, captured from ClickHouse 26.9 over HTTP: the
/// header says `JSON`, the data is serialization version 1 (string) and one text per row. It
/// decodes to a String column of those texts, whole and split at every byte.
#[test]
fn json_written_as_strings_is_a_string_column() {
    const REPLY: &[u8] = &[
        0x01, 0x02, 0x01, 0x6a, 0x04, 0x4a, 0x53, 0x4f, 0x4e, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x15, 0x7b, 0x22, 0x61, 0x22, 0x3a, 0x7b, 0x22, 0x62, 0x22, 0x3a, 0x37, 0x7d,
        0x2c, 0x22, 0x73, 0x22, 0x3a, 0x22, 0x78, 0x22, 0x7d, 0x02, 0x7b, 0x7d,
    ];
    for cut in 0..=REPLY.len() {
        let blocks = decode_chunks([&REPLY[..cut], &REPLY[cut..]]);
        assert_eq!(blocks.len(), 1, "split at {cut}");
        let col = blocks[0].column("j").expect("column j");
        assert_eq!(col.data_type(), &DataType::String, "split at {cut}");
        assert_eq!(
            col.as_strings().unwrap().iter().collect::<Vec<_>>(),
            [&br#"{"a":{"b":7},"s":"x"}"#[..], b"{}"],
            "split at {cut}"
        );
    }
}
