//! Inserts of preformatted data (CSV, TSV, JSONEachRow, Parquet) from an `AsyncRead` and from
//! a stream of `Bytes`, in every compression mode, read back from the server.

use std::sync::Arc;

use bytes::Bytes;
use chwire::{Client, Error, Value};
use chwire_rt::Runtime;
use chwire_tests::{COMPRESSIONS, Transport, client_builder, unique_name};
use futures_util::io::Cursor;

use crate::query::DB;

async fn table(c: &Client) -> String {
    c.query(format!("CREATE DATABASE IF NOT EXISTS {DB}"))
        .execute()
        .await
        .unwrap();
    let t = format!("{DB}.{}", unique_name("formatted"));
    c.query(format!(
        "CREATE TABLE {t} (id UInt32, name String, score Nullable(Float64)) \
         ENGINE = MergeTree ORDER BY id"
    ))
    .execute()
    .await
    .unwrap();
    t
}

async fn rows(c: &Client, t: &str) -> Vec<Vec<Value>> {
    let sql = format!("SELECT id, name, score FROM {t} ORDER BY id");
    c.query(sql).fetch_all_rows().await.unwrap().1
}

fn expected() -> Vec<Vec<Value>> {
    vec![
        vec![
            Value::UInt32(1),
            Value::String("a, \"quoted\"".into()),
            Value::Float64(0.5),
        ],
        vec![Value::UInt32(2), Value::String("b\tc".into()), Value::Null],
    ]
}

const CSV: &str = "1,\"a, \"\"quoted\"\"\",0.5\n2,\"b\tc\",\\N\n";
const TSV: &str = "1\ta, \"quoted\"\t0.5\n2\tb\\tc\t\\N\n";
const JSON: &str = "{\"id\":1,\"name\":\"a, \\\"quoted\\\"\",\"score\":0.5}\n{\"id\":2,\"name\":\"b\\tc\",\"score\":null}\n";

/// HTTP only: preformatted bodies are HTTP only (the native protocol takes Native blocks; refused: `native_transport::http_only_features_are_refused`).
#[chwire_tests::case]
pub async fn text_formats_from_a_reader_and_a_stream(rt: Arc<dyn Runtime>) {
    let transport = Transport::Http;
    for compression in COMPRESSIONS {
        let c = client_builder(rt.clone(), transport)
            .compression(compression)
            .build()
            .unwrap();
        for (format, data) in [("CSV", CSV), ("TSV", TSV), ("JSONEachRow", JSON)] {
            let t = table(&c).await;
            let summary = c
                .insert_formatted(&t, format)
                .from_reader(Cursor::new(data.as_bytes()))
                .await
                .unwrap();
            assert_eq!(summary.written_rows, 2, "{format} {compression:?}");
            assert_eq!(rows(&c, &t).await, expected(), "{format} {compression:?}");
            // The same data as a stream of one-byte pieces.
            let t2 = table(&c).await;
            let pieces = data
                .bytes()
                .map(|b| Ok::<_, std::io::Error>(Bytes::from(vec![b])));
            c.insert_formatted(&t2, format)
                .from_stream(futures_util::stream::iter(pieces))
                .await
                .unwrap();
            assert_eq!(rows(&c, &t2).await, expected(), "{format} {compression:?}");
        }
    }
}

/// HTTP only: preformatted bodies are HTTP only (the native protocol takes Native blocks; refused: `native_transport::http_only_features_are_refused`).
#[chwire_tests::case]
pub async fn parquet_made_by_the_server_goes_back_in(rt: Arc<dyn Runtime>) {
    let transport = Transport::Http;
    for compression in COMPRESSIONS {
        let c = client_builder(rt.clone(), transport)
            .compression(compression)
            .offload_chunk_size(4096)
            .build()
            .unwrap();
        let mut parquet = Vec::new();
        let mut bytes = c
            .query(
                "SELECT toUInt32(number) AS id, concat('n', toString(number)) AS name, \
                 if(number % 3 = 0, NULL, number / 2) AS score FROM numbers(50000) \
                 FORMAT Parquet",
            )
            .fetch_bytes("Parquet")
            .await
            .unwrap();
        while let Some(piece) = bytes.next().await {
            parquet.extend_from_slice(&piece.unwrap());
        }
        assert!(parquet.len() > 4096 * 4, "{} bytes", parquet.len());
        let t = table(&c).await;
        let summary = c
            .insert_formatted(&t, "Parquet")
            .from_reader(Cursor::new(parquet))
            .await
            .unwrap();
        assert_eq!(summary.written_rows, 50000);
        let check = format!(
            "SELECT count(), sum(id), countIf(score IS NULL), sum(score), \
             countIf(name != concat('n', toString(id))) FROM {t}"
        );
        let (_, got) = c.query(check).fetch_all_rows().await.unwrap();
        assert_eq!(
            got,
            vec![vec![
                Value::UInt64(50000),
                Value::UInt64(49999 * 50000 / 2),
                Value::UInt64(16667),
                Value::Float64((0..50000u64).filter(|n| n % 3 != 0).sum::<u64>() as f64 / 2.0),
                Value::UInt64(0),
            ]],
            "{compression:?}"
        );
    }
}

/// HTTP only: preformatted bodies are HTTP only (the native protocol takes Native blocks; refused: `native_transport::http_only_features_are_refused`).
#[chwire_tests::case]
pub async fn a_large_csv_streams_in_many_chunks(rt: Arc<dyn Runtime>) {
    let transport = Transport::Http;
    let c = client_builder(rt, transport)
        .offload_chunk_size(4096)
        .build()
        .unwrap();
    let t = table(&c).await;
    let csv: String = (0..100_000)
        .map(|i| format!("{i},row{i},{i}.25\n"))
        .collect();
    let summary = c
        .insert_formatted(&t, "CSV")
        .from_reader(Cursor::new(csv.into_bytes()))
        .await
        .unwrap();
    assert_eq!(summary.written_rows, 100_000);
    let (_, got) = c
        .query(format!("SELECT count(), sum(id), max(name) FROM {t}"))
        .fetch_all_rows()
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![vec![
            Value::UInt64(100_000),
            Value::UInt64(99_999 * 100_000 / 2),
            Value::String("row99999".into()),
        ]]
    );
}

/// HTTP only: preformatted bodies are HTTP only (the native protocol takes Native blocks; refused: `native_transport::http_only_features_are_refused`).
#[chwire_tests::case]
pub async fn bad_input_and_failing_readers_commit_nothing(rt: Arc<dyn Runtime>) {
    let transport = Transport::Http;
    let c = client_builder(rt, transport)
        .offload_chunk_size(4096)
        .build()
        .unwrap();
    let t = table(&c).await;
    let e = c
        .insert_formatted(&t, "CSV")
        .from_reader(Cursor::new(b"1,a,0.5\nnot a number,b,1\n".to_vec()))
        .await
        .unwrap_err();
    assert!(e.is_server(), "{e}");
    // The stream fails after a first chunk of valid rows went out: the request is abandoned.
    let valid: String = (0..1000).map(|i| format!("{i},a,0.5\n")).collect();
    assert!(valid.len() > 4096);
    let pieces = [
        Ok(Bytes::from(valid)),
        Err(std::io::Error::other("disk on fire")),
    ];
    let e = c
        .insert_formatted(&t, "CSV")
        .from_stream(futures_util::stream::iter(pieces))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Input(io) if io.to_string() == "disk on fire"),
        "{e}"
    );
    let e = c
        .insert_formatted(&t, "CSV; DROP TABLE x")
        .from_reader(Cursor::new(Vec::new()))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Config(_)), "{e}");
    assert_eq!(rows(&c, &t).await, Vec::<Vec<Value>>::new());
    // The client still works after the abandoned request.
    c.insert_formatted(&t, "CSV")
        .from_reader(Cursor::new(CSV.as_bytes()))
        .await
        .unwrap();
    assert_eq!(rows(&c, &t).await, expected());
}

/// HTTP only: preformatted bodies are HTTP only (the native protocol takes Native blocks; refused: `native_transport::http_only_features_are_refused`).
#[chwire_tests::case]
pub async fn formatted_inserts_run_in_the_session(rt: Arc<dyn Runtime>) {
    let transport = Transport::Http;
    let s = client_builder(rt, transport).build().unwrap().session();
    s.query("CREATE TEMPORARY TABLE ftmp (id UInt32, name String, score Nullable(Float64))")
        .execute()
        .await
        .unwrap();
    s.insert_formatted("ftmp", "JSONEachRow")
        .from_reader(Cursor::new(JSON.as_bytes()))
        .await
        .unwrap();
    assert_eq!(rows(&s, "ftmp").await, expected());
}
