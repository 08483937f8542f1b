//! Queries: DDL, typed values through Native blocks and dynamic rows, raw bytes, parameters.

use std::sync::Arc;

use chwire::{Client, Compression, Value};
use chwire_rt::Runtime;
use chwire_tests::{COMPRESSIONS, Transport, client_builder, unique_name};

pub const DB: &str = "h_facade";

pub async fn client(
    rt: Arc<dyn Runtime>,
    transport: Transport,
    compression: Compression,
) -> Client {
    let client = client_builder(rt, transport)
        .compression(compression)
        .build()
        .expect("client");
    client
        .query(format!("CREATE DATABASE IF NOT EXISTS {DB}"))
        .execute()
        .await
        .expect("create database");
    client
}

#[chwire_tests::case]
pub async fn execute_ddl(rt: Arc<dyn Runtime>, transport: Transport) {
    for compression in COMPRESSIONS {
        let c = client(rt.clone(), transport, compression).await;
        let t = format!("{DB}.{}", unique_name("ddl"));
        c.query(format!(
            "CREATE TABLE {t} (x UInt64) ENGINE = MergeTree ORDER BY x"
        ))
        .execute()
        .await
        .unwrap();
        let s = c
            .query(format!("INSERT INTO {t} SELECT number FROM numbers(10)"))
            .execute()
            .await
            .unwrap();
        assert_eq!(s.written_rows, 10, "{s:?}");
        assert_eq!(s.query_id.len(), 36);
        let (cols, rows) = c
            .query(format!("SELECT count(), sum(x) FROM {t}"))
            .fetch_all_rows()
            .await
            .unwrap();
        assert_eq!(cols.len(), 2);
        assert_eq!(rows, vec![vec![Value::UInt64(10), Value::UInt64(45)]]);
        c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
    }
}

const MANY_TYPES: &str = "SELECT \
    toUInt8(200) AS u8, toInt16(-300) AS i16, toInt64(-5) AS i64, toUInt128('12345678901234567890123') AS u128, \
    toFloat32(1.5) AS f32, toFloat64(-2.25) AS f64, 'héllo' AS s, toFixedString('ab', 3) AS fs, \
    toDate('2024-01-02') AS d, toDate32('1900-01-02') AS d32, toDateTime('2024-01-02 03:04:05', 'UTC') AS dt, \
    toDateTime64('2024-01-02 03:04:05.678', 3, 'UTC') AS dt64, toDecimal64(12.34, 2) AS dec, \
    toIPv4('1.2.3.4') AS ip4, [1, 2, 3]::Array(UInt32) AS arr, CAST(NULL AS Nullable(Int32)) AS nul, \
    CAST(7 AS Nullable(Int32)) AS nn, ('a', 7)::Tuple(String, UInt8) AS tup, map('k', 1) AS m, \
    toLowCardinality('lc') AS lc, true AS b, CAST('y' AS Enum8('x' = 1, 'y' = 2)) AS e, \
    toUUID('01020304-0506-0708-090a-0b0c0d0e0f10') AS u FROM numbers(3)";

fn expected_row() -> Vec<Value> {
    vec![
        Value::UInt8(200),
        Value::Int16(-300),
        Value::Int64(-5),
        Value::UInt128(12345678901234567890123),
        Value::Float32(1.5),
        Value::Float64(-2.25),
        Value::String("héllo".into()),
        Value::FixedString(b"ab\0".to_vec()),
        Value::Date(19724),
        Value::Date32(-25566),
        Value::DateTime(1704164645),
        Value::DateTime64(1704164645678),
        Value::Decimal(1234.into()),
        Value::IPv4("1.2.3.4".parse().unwrap()),
        Value::Array(vec![Value::UInt32(1), Value::UInt32(2), Value::UInt32(3)]),
        Value::Null,
        Value::Int32(7),
        Value::Tuple(vec![Value::String(b"a".to_vec()), Value::UInt8(7)]),
        Value::Map(vec![(Value::String(b"k".to_vec()), Value::UInt8(1))]),
        Value::String(b"lc".to_vec()),
        Value::Bool(true),
        Value::Enum8(2),
    ]
}

#[chwire_tests::case]
pub async fn select_types(rt: Arc<dyn Runtime>, transport: Transport) {
    for compression in COMPRESSIONS {
        let c = client(rt.clone(), transport, compression).await;
        let blocks = c.query(MANY_TYPES).fetch_all_blocks().await.unwrap();
        let block_rows: Vec<Vec<Value>> = blocks
            .iter()
            .flat_map(|b| {
                (0..b.rows).map(move |i| b.columns.iter().map(|(_, c)| c.get(i)).collect())
            })
            .collect();
        let (cols, rows) = c.query(MANY_TYPES).fetch_all_rows().await.unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(
            block_rows, rows,
            "Native and RowBinary disagree ({compression:?})"
        );
        assert_eq!(cols[0].0, "u8");
        assert_eq!(cols[22].1.to_string(), "UUID");
        let expected = expected_row();
        for row in &rows {
            assert_eq!(&row[..expected.len()], &expected[..], "{compression:?}");
            // UUID: compare through the server's text form.
            assert!(matches!(row[22], Value::Uuid(_)));
        }
        let (_, text) = c
            .query("SELECT toString(toUUID('01020304-0506-0708-090a-0b0c0d0e0f10'))")
            .fetch_all_rows()
            .await
            .unwrap();
        assert_eq!(
            text[0][0],
            Value::String(b"01020304-0506-0708-090a-0b0c0d0e0f10".to_vec())
        );
    }
}

#[chwire_tests::case]
pub async fn raw_bytes(rt: Arc<dyn Runtime>, transport: Transport) {
    if transport == Transport::Native {
        // The native protocol carries Native blocks only: text formats are HTTP's. Asking is
        // a typed error before anything is sent; `Native` bytes are the blocks re-encoded.
        let c = client(rt.clone(), transport, Compression::Lz4).await;
        let e = c
            .query("SELECT 1")
            .fetch_bytes("TabSeparated")
            .await
            .unwrap_err();
        assert!(matches!(e, chwire::Error::NotAvailable { .. }), "{e:?}");
        let mut s = c
            .query("SELECT number FROM numbers(5)")
            .fetch_bytes("Native")
            .await
            .unwrap();
        let mut all = Vec::new();
        while let Some(chunk) = s.next().await {
            all.extend_from_slice(&chunk.unwrap());
        }
        let mut decoder = chwire_proto::NativeDecoder::new();
        decoder.feed(&all);
        let block = decoder.finish().unwrap().expect("one block");
        assert_eq!(block.rows, 5);
        assert_eq!(block.columns[0].1.get(4), Value::UInt64(4));
        return;
    }
    for compression in COMPRESSIONS {
        let c = client(rt.clone(), transport, compression).await;
        let mut s = c
            .query("SELECT number, toString(number) FROM numbers(5)")
            .fetch_bytes("TabSeparated")
            .await
            .unwrap();
        let mut all = Vec::new();
        while let Some(chunk) = s.next().await {
            all.extend_from_slice(&chunk.unwrap());
        }
        assert_eq!(all, b"0\t0\n1\t1\n2\t2\n3\t3\n4\t4\n");
        // A large raw stream goes through the off-loop pipeline.
        let mut s = c
            .query("SELECT number FROM numbers(2000000)")
            .fetch_bytes("RowBinary")
            .await
            .unwrap();
        let mut n = 0usize;
        let mut sum = 0u64;
        let mut carry = Vec::new();
        while let Some(chunk) = s.next().await {
            carry.extend_from_slice(&chunk.unwrap());
            let whole = carry.len() / 8 * 8;
            for v in carry[..whole].chunks_exact(8) {
                sum += u64::from_le_bytes(v.try_into().unwrap());
                n += 1;
            }
            carry.drain(..whole);
        }
        assert!(carry.is_empty());
        assert_eq!(n, 2_000_000);
        assert_eq!(sum, 2_000_000 * 1_999_999 / 2);
        assert!(s.stats().offloaded, "{:?}", s.stats());
    }
}

#[chwire_tests::case]
pub async fn server_params(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt, transport, Compression::Lz4).await;
    let (_, rows) = c
        .query("SELECT {x:UInt64} * 2, {s:String}, {a:Array(Int32)}, {f:Float64}")
        .param("x", 21u64)
        .param("s", "it's a\ttab\\")
        .param("a", "[1,-2]")
        .param("f", 0.5)
        .setting("max_threads", 1)
        .query_id(unique_name("q"))
        .fetch_all_rows()
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![vec![
            Value::UInt64(42),
            Value::String(b"it's a\ttab\\".to_vec()),
            Value::Array(vec![Value::Int32(1), Value::Int32(-2)]),
            Value::Float64(0.5),
        ]]
    );
    // The user's query id is the one the server ran.
    let id = unique_name("qid");
    let s = c
        .query("SELECT 1")
        .query_id(&id)
        .fetch_blocks()
        .await
        .unwrap();
    assert_eq!(s.query_id(), id);
}
