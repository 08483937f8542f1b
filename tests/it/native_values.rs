//! Native blocks built by chwire from Rust values (`Column::from_values`) for 37 column types —
//! 128/256-bit integers, Decimal(76), BFloat16, strings, Nullable, nested arrays, named tuples,
//! maps, both LowCardinality kinds, dates and times, UUID, IPs, enums, Variant, Dynamic, JSON,
//! geo, QBit — are inserted with `INSERT … FORMAT Native`, selected back and compared.

use std::net::{Ipv4Addr, Ipv6Addr};

use chwire_proto::value::{I256, U256};
use chwire_proto::{Block, Column, DataType, NativeDecoder, NativeEncoder, Point, Value};

fn query(sql: &str, body: &[u8]) -> Vec<u8> {
    let port = chwire_tests::http_addr().port();
    let mut target = String::from("/?query=");
    chwire_proto::http::percent_encode(sql, &mut target);
    xtask::http::post_body(port, &target, body).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn s(v: &str) -> Value {
    Value::string(v)
}

#[chwire_tests::test]
fn values_built_by_chwire_round_trip_through_the_server() {
    let d = |t: &str, v: Value| Value::Dynamic(Box::new(DataType::parse(t).unwrap()), Box::new(v));
    let columns: Vec<(&str, &str, Vec<Value>)> = vec![
        (
            "id",
            "UInt64",
            vec![Value::UInt64(1), Value::UInt64(u64::MAX)],
        ),
        ("i8", "Int8", vec![Value::Int8(-128), Value::Int8(127)]),
        (
            "i128",
            "Int128",
            vec![Value::Int128(i128::MIN), Value::Int128(5)],
        ),
        (
            "u256",
            "UInt256",
            vec![Value::UInt256(U256::MAX), Value::UInt256(U256::ZERO)],
        ),
        (
            "f",
            "Float64",
            vec![Value::Float64(-1.5), Value::Float64(f64::INFINITY)],
        ),
        ("b", "Bool", vec![Value::Bool(true), Value::Bool(false)]),
        ("s", "String", vec![s(""), s(&"long ✓".repeat(500))]),
        (
            "fs",
            "FixedString(3)",
            vec![
                Value::FixedString(b"abc".to_vec()),
                Value::FixedString(b"x\0\0".to_vec()),
            ],
        ),
        ("n", "Nullable(String)", vec![Value::Null, s("x")]),
        (
            "a",
            "Array(Nullable(UInt32))",
            vec![
                Value::Array(vec![]),
                Value::Array(vec![Value::UInt32(1), Value::Null]),
            ],
        ),
        (
            "aa",
            "Array(Array(String))",
            vec![
                Value::Array(vec![Value::Array(vec![s("p")]), Value::Array(vec![])]),
                Value::Array(vec![]),
            ],
        ),
        (
            "t",
            "Tuple(a UInt8, b String)",
            vec![
                Value::Tuple(vec![Value::UInt8(1), s("one")]),
                Value::Tuple(vec![Value::UInt8(2), s("")]),
            ],
        ),
        (
            "m",
            "Map(String, UInt64)",
            vec![
                Value::Map(vec![(s("k"), Value::UInt64(7)), (s("l"), Value::UInt64(8))]),
                Value::Map(vec![]),
            ],
        ),
        (
            "lcn",
            "LowCardinality(Nullable(String))",
            vec![Value::Null, s("v")],
        ),
        ("lc", "LowCardinality(String)", vec![s("w"), s("w")]),
        (
            "alc",
            "Array(LowCardinality(String))",
            vec![
                Value::Array(vec![s("q"), s("r"), s("q")]),
                Value::Array(vec![]),
            ],
        ),
        ("dt", "Date", vec![Value::Date(19782), Value::Date(0)]),
        (
            "d32",
            "Date32",
            vec![Value::Date32(-25567), Value::Date32(1)],
        ),
        (
            "tm",
            "DateTime('UTC')",
            vec![Value::DateTime(1704164645), Value::DateTime(u32::MAX)],
        ),
        (
            "tm64",
            "DateTime64(3, 'Asia/Tokyo')",
            vec![Value::DateTime64(1704132245123), Value::DateTime64(-1)],
        ),
        (
            "u",
            "UUID",
            vec![
                Value::Uuid([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]),
                Value::Uuid([0; 16]),
            ],
        ),
        (
            "ip4",
            "IPv4",
            vec![
                Value::IPv4(Ipv4Addr::new(10, 0, 0, 1)),
                Value::IPv4(Ipv4Addr::BROADCAST),
            ],
        ),
        (
            "ip6",
            "IPv6",
            vec![
                Value::IPv6("2001:db8::1".parse::<Ipv6Addr>().unwrap()),
                Value::IPv6(Ipv6Addr::LOCALHOST),
            ],
        ),
        (
            "e",
            "Enum8('a' = 1, 'b' = -2)",
            vec![Value::Enum8(1), Value::Enum8(-2)],
        ),
        (
            "e16",
            "Enum16('x' = -1000, 'y' = 30000)",
            vec![Value::Enum16(30000), Value::Enum16(-1000)],
        ),
        (
            "dec",
            "Decimal(10, 2)",
            vec![
                Value::Decimal(I256::from(-12345i32)),
                Value::Decimal(I256::from(1i32)),
            ],
        ),
        (
            "dec76",
            "Decimal(76, 10)",
            vec![
                Value::Decimal(I256::MAX / 10),
                Value::Decimal(I256::from(-1i32)),
            ],
        ),
        (
            "bf",
            "BFloat16",
            vec![Value::BFloat16(0x3fc0), Value::BFloat16(0)],
        ),
        (
            "v",
            "Variant(String, UInt64)",
            vec![Value::Variant(1, Box::new(Value::UInt64(3))), Value::Null],
        ),
        (
            "dy",
            "Dynamic",
            vec![
                d("Int64", Value::Int64(-4)),
                d("Array(String)", Value::Array(vec![s("z")])),
            ],
        ),
        (
            "j",
            "JSON",
            vec![
                Value::Json(vec![
                    ("a.b".into(), d("Int64", Value::Int64(1))),
                    ("c".into(), d("String", s("x"))),
                ]),
                Value::Json(vec![]),
            ],
        ),
        (
            "p",
            "Point",
            vec![
                Value::Point(Point { x: 1.0, y: 2.0 }),
                Value::Point(Point::default()),
            ],
        ),
        (
            "pg",
            "Polygon",
            vec![
                Value::Polygon(vec![vec![
                    Point { x: 0.0, y: 0.0 },
                    Point { x: 1.0, y: 1.0 },
                ]]),
                Value::Polygon(vec![]),
            ],
        ),
        ("tt", "Time", vec![Value::Time(-3600), Value::Time(59)]),
        (
            "t64",
            "Time64(3)",
            vec![Value::Time64(1500), Value::Time64(0)],
        ),
        (
            "q",
            "QBit(Float32, 3)",
            vec![
                Value::QBit(vec![
                    Value::Float32(1.0),
                    Value::Float32(-2.0),
                    Value::Float32(0.5),
                ]),
                Value::QBit(vec![Value::Float32(0.0); 3]),
            ],
        ),
    ];
    let table_columns: Vec<_> = columns.iter().collect();
    let ddl = table_columns
        .iter()
        .map(|(n, t, _)| format!("{n} {t}"))
        .collect::<Vec<_>>()
        .join(", ");
    query("CREATE DATABASE IF NOT EXISTS chwire_roundtrip", b"");
    query("DROP TABLE IF EXISTS chwire_roundtrip.native_values", b"");
    query(
        &format!(
            "CREATE TABLE chwire_roundtrip.native_values ({ddl}) ENGINE = Memory SETTINGS allow_experimental_qbit_type=1, enable_time_time64_type=1"
        ),
        b"",
    );

    let block = Block::new(
        table_columns
            .iter()
            .map(|(n, t, vals)| {
                let ty = DataType::parse(t).unwrap();
                (
                    n.to_string(),
                    Column::from_values(&ty, vals.clone()).unwrap(),
                )
            })
            .collect(),
    )
    .unwrap();
    let bytes = NativeEncoder::new().encode(&block).unwrap();
    query(
        "INSERT INTO chwire_roundtrip.native_values FORMAT Native",
        &bytes,
    );

    let back = query(
        "SELECT * FROM chwire_roundtrip.native_values ORDER BY id FORMAT Native SETTINGS output_format_native_write_json_as_string=0",
        b"",
    );
    let mut dec = NativeDecoder::new();
    dec.feed(&back);
    let got = dec.finish().unwrap().expect("a block");
    assert_eq!(got.rows, 2);
    for (name, _, vals) in &table_columns {
        let c = got.column(name).unwrap_or_else(|| panic!("{name}"));
        let back: Vec<Value> = (0..2).map(|i| c.try_get(i).unwrap()).collect();
        assert_eq!(&back, vals, "column {name}");
    }
}
