//! `chwire::test::Mock` (feature `test-util`) against chwire itself, on every runtime: rows
//! in every result format and compression, recorded inserts read back (typed inserts, block
//! inserts, the Inserter), exceptions, dropped connections and an unexpected request.
//! HTTP only: the mock speaks chwire's HTTP protocol.

use std::sync::Arc;

use chwire::test::Mock;
use chwire::{Client, Compression, Format, Inserter};
use chwire_rt::Runtime;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, chwire::Row, Serialize, Deserialize)]
struct Event {
    id: u64,
    name: String,
    tags: Vec<String>,
    score: Option<f64>,
}

const SCHEMA: &str = "id UInt64, name String, tags Array(String), score Nullable(Float64)";

fn events() -> Vec<Event> {
    (0..3)
        .map(|i| Event {
            id: i,
            name: format!("e'{i}\\\t"),
            tags: vec!["a".into(); i as usize],
            score: (i % 2 == 0).then_some(i as f64 / 2.0),
        })
        .collect()
}

fn client(rt: &Arc<dyn Runtime>, mock: &Mock, compression: Compression) -> Client {
    Client::builder(rt.clone())
        .url(mock.url())
        .compression(compression)
        .build()
        .unwrap()
}

#[chwire_tests::case]
pub async fn mock_provides_rows_in_every_format(rt: Arc<dyn Runtime>) {
    let mock = Mock::start().unwrap();
    for compression in [Compression::None, Compression::Lz4] {
        for format in [Format::Native, Format::RowBinary] {
            let c = Client::builder(rt.clone())
                .url(mock.url())
                .compression(compression)
                .default_format(format)
                .build()
                .unwrap();
            mock.provide(SCHEMA, events()).unwrap();
            let rows: Vec<Event> = c.query("SELECT * FROM events").fetch_all().await.unwrap();
            assert_eq!(rows, events(), "{compression:?} {format:?}");
        }
        // Blocks.
        let c = client(&rt, &mock, compression);
        mock.provide(SCHEMA, events()).unwrap();
        let blocks = c
            .query("SELECT * FROM events")
            .fetch_all_blocks()
            .await
            .unwrap();
        assert_eq!(blocks.iter().map(|b| b.rows).sum::<usize>(), 3);
        // Rows whose fields do not match the schema are refused when queued.
        mock.provide("id UInt64", events()).unwrap_err();
        mock.provide_bytes("1\tone\n");
        let mut bytes = c
            .query("SELECT 1, 'one'")
            .fetch_bytes("TabSeparated")
            .await
            .unwrap();
        let mut text = Vec::new();
        while let Some(piece) = bytes.next().await {
            text.extend_from_slice(&piece.unwrap());
        }
        assert_eq!(text, b"1\tone\n");
    }
    assert!(mock.requests() >= 7);
}

#[chwire_tests::case]
pub async fn mock_records_inserts(rt: Arc<dyn Runtime>) {
    let mock = Mock::start().unwrap();
    mock.table("events", SCHEMA).unwrap();
    for compression in [Compression::None, Compression::Lz4] {
        let c = client(&rt, &mock, compression);
        // A typed insert (Native blocks), after the schema lookup the table answers.
        let recording = mock.record();
        let mut insert = c.insert::<Event>("events").await.unwrap();
        for e in events() {
            insert.write(&e).await.unwrap();
        }
        insert.end().await.unwrap();
        assert_eq!(recording.rows::<Event>().unwrap(), events());
        assert!(recording.query().unwrap().starts_with("INSERT INTO events"));

        // RowBinaryWithNamesAndTypes, with a setting and a query id.
        let recording = mock.record();
        let mut insert = c
            .insert::<Event>("events")
            .await
            .unwrap()
            .format(Format::RowBinary)
            .setting("max_threads", 3)
            .query_id("mock-insert");
        insert.write(&events()[1]).await.unwrap();
        insert.end().await.unwrap();
        assert_eq!(recording.rows::<Event>().unwrap(), [events()[1].clone()]);
        assert_eq!(
            recording.param("max_threads").unwrap().as_deref(),
            Some("3")
        );
        assert_eq!(
            recording.param("query_id").unwrap().as_deref(),
            Some("mock-insert")
        );

        // The Inserter (RowBinary with the table's schema).
        let recording = mock.record();
        let ins = Inserter::builder(c.clone(), "events")
            .columns_of::<Event>()
            .await
            .unwrap()
            .build()
            .unwrap();
        ins.write_rows_typed(&events()).await.unwrap();
        ins.end().await.unwrap();
        assert_eq!(recording.rows::<Event>().unwrap(), events());
    }
}

#[chwire_tests::case]
pub async fn mock_fails_disconnects_and_refuses_the_unexpected(rt: Arc<dyn Runtime>) {
    let mock = Mock::start().unwrap();
    let c = client(&rt, &mock, Compression::Lz4);
    mock.fail(60, "UNKNOWN_TABLE", "Table default.nope does not exist");
    let e = c.query("SELECT * FROM nope").execute().await.unwrap_err();
    let server = e.server_error().expect("a server error");
    assert_eq!(
        (server.code, server.name.as_deref()),
        (60, Some("UNKNOWN_TABLE"))
    );
    assert!(
        server.message.contains("default.nope"),
        "{}",
        server.message
    );

    // Nothing queued: the mock's own exception names the request.
    let e = c.query("SELECT 42").execute().await.unwrap_err();
    let server = e.server_error().expect("a server error");
    assert_eq!(server.code, 1000);
    assert!(server.message.contains("SELECT 42"), "{}", server.message);

    // A dropped connection on a fresh client's first request is a connection error.
    let fresh = Client::builder(rt.clone()).url(mock.url()).build().unwrap();
    mock.disconnect();
    let e = fresh.query("SELECT 1").execute().await.unwrap_err();
    assert!(e.is_connection(), "{e:?}");

    // A recording the request has not reached yet is an error, not a hang.
    let pending = mock.record();
    assert!(pending.rows::<Event>().is_err());
}
