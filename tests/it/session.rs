//! Server sessions: temporary tables and `SET` across queries of one session, sessions
//! apart from each other, a busy session's lock, resuming a session by id.

use std::sync::Arc;

use chwire::{Client, Value, error_codes};
use chwire_rt::Runtime;
use chwire_tests::{Transport, client_builder};

#[derive(chwire::Row, serde::Serialize)]
struct Tmp {
    x: u32,
    s: String,
}

async fn one(c: &Client, sql: &str) -> chwire::Result<Vec<Vec<Value>>> {
    c.query(sql).fetch_all_rows().await.map(|(_, rows)| rows)
}

/// HTTP only: sessions are an HTTP feature (refused over native: `native_transport::http_only_features_are_refused`).
#[chwire_tests::case]
pub async fn temporary_tables_and_set_survive_within_a_session(rt: Arc<dyn Runtime>) {
    let transport = Transport::Http;
    let client = client_builder(rt, transport)
        .session_timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap();
    let s = client.session();
    assert_eq!(s.session_id().map(str::len), Some(36));
    assert_eq!(client.session_id(), None);
    s.query("CREATE TEMPORARY TABLE tmp (x UInt32, s String)")
        .execute()
        .await
        .unwrap();
    s.query("INSERT INTO tmp VALUES (1, 'a'), (2, 'b')")
        .execute()
        .await
        .unwrap();
    // A typed insert reads the temporary table's columns in the session too.
    let mut insert = s.insert::<Tmp>("tmp").await.unwrap();
    insert
        .write(&Tmp {
            x: 3,
            s: "c".into(),
        })
        .await
        .unwrap();
    insert.end().await.unwrap();
    s.query("SET max_block_size = 1234")
        .execute()
        .await
        .unwrap();
    assert_eq!(
        one(
            &s,
            "SELECT sum(x), groupArray(s) FROM (SELECT * FROM tmp ORDER BY x)"
        )
        .await
        .unwrap(),
        vec![vec![
            Value::UInt64(6),
            Value::Array(["a", "b", "c"].map(|s| Value::String(s.into())).to_vec()),
        ]]
    );
    assert_eq!(
        one(&s, "SELECT toUInt64(getSetting('max_block_size'))")
            .await
            .unwrap(),
        vec![vec![Value::UInt64(1234)]]
    );
    // Another session, and the client outside any session, see neither.
    for other in [client.session(), client.clone()] {
        let e = one(&other, "SELECT * FROM tmp").await.unwrap_err();
        assert_eq!(e.server_code(), Some(error_codes::UNKNOWN_TABLE), "{e}");
    }
    // Resumed by id, the session is the same one.
    let resumed = client.resume_session(s.session_id().unwrap());
    assert_eq!(
        one(&resumed, "SELECT count() FROM tmp").await.unwrap(),
        vec![vec![Value::UInt64(3)]]
    );
}

/// HTTP only: sessions are an HTTP feature (refused over native: `native_transport::http_only_features_are_refused`).
#[chwire_tests::case]
pub async fn resuming_an_unknown_session_fails(rt: Arc<dyn Runtime>) {
    let transport = Transport::Http;
    let client = client_builder(rt, transport).build().unwrap();
    let gone = client.resume_session(chwire_tests::unique_name("no_such_session"));
    let e = gone.query("SELECT 1").execute().await.unwrap_err();
    assert_eq!(e.server_code(), Some(error_codes::SESSION_NOT_FOUND), "{e}");
}

/// HTTP only: sessions are an HTTP feature (refused over native: `native_transport::http_only_features_are_refused`).
#[chwire_tests::case]
pub async fn a_busy_session_is_locked(rt: Arc<dyn Runtime>) {
    let transport = Transport::Http;
    let client = client_builder(rt, transport).build().unwrap();
    let s = client.session();
    s.query("SELECT 1").execute().await.unwrap();
    // The head has arrived: the endless query runs, holding the session, until dropped.
    let running = s
        .query("SELECT number FROM system.numbers")
        .fetch_bytes("RowBinary")
        .await
        .unwrap();
    let e = s.query("SELECT 1").execute().await.unwrap_err();
    assert_eq!(e.server_code(), Some(error_codes::SESSION_IS_LOCKED), "{e}");
    // Outside the session the server still answers.
    assert_eq!(
        one(&client, "SELECT 1").await.unwrap(),
        vec![vec![Value::UInt8(1)]]
    );
    drop(running);
}
