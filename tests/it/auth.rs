//! Who a request runs as: access tokens (`Authorization: Bearer`), custom headers per client
//! and per query, roles per client and per query; each checked by what the server saw.

use std::sync::Arc;

use chwire::{Error, Value, error_codes};
use chwire_rt::Runtime;
use chwire_tests::{Transport, client_builder};

/// The server's view of a request header (`getClientHTTPHeader`).
const SEE_HEADER: &str = "SELECT getClientHTTPHeader('X-Tenant') \
    SETTINGS allow_get_client_http_header = 1";

async fn seen_tenant(q: chwire::Query) -> Value {
    let (_, rows) = q.fetch_all_rows().await.expect("header query");
    rows[0][0].clone()
}

/// HTTP only: access tokens, custom headers and roles are HTTP features (refused over native: `native_transport::http_only_features_are_refused`).
#[chwire_tests::case]
pub async fn custom_headers_reach_the_server(rt: Arc<dyn Runtime>) {
    let transport = Transport::Http;
    let plain = client_builder(rt.clone(), transport).build().unwrap();
    assert_eq!(
        seen_tenant(plain.query(SEE_HEADER)).await,
        Value::String(Vec::new())
    );
    let c = client_builder(rt, transport)
        .header("X-Tenant", "first")
        .header("x-tenant", "acme")
        .build()
        .unwrap();
    // The later header of a name replaces the earlier one; a query's own replaces the client's.
    assert_eq!(
        seen_tenant(c.query(SEE_HEADER)).await,
        Value::String("acme".into())
    );
    assert_eq!(
        seen_tenant(c.query(SEE_HEADER).header("X-Tenant", "per-query")).await,
        Value::String("per-query".into())
    );
}

/// HTTP only: access tokens, custom headers and roles are HTTP features (refused over native: `native_transport::http_only_features_are_refused`).
#[chwire_tests::case]
pub async fn reserved_or_invalid_headers_are_config_errors(rt: Arc<dyn Runtime>) {
    let transport = Transport::Http;
    for (name, value) in [
        ("Authorization", "Basic eDp5"),
        ("Content-Length", "0"),
        ("X-ClickHouse-User", "other"),
        ("bad name", "v"),
        ("X-Ok", "a\r\nInjected: 1"),
    ] {
        let built = client_builder(rt.clone(), transport)
            .header(name, value)
            .build();
        assert!(matches!(built, Err(Error::Config(_))), "{name}: {built:?}");
        let c = client_builder(rt.clone(), transport).build().unwrap();
        let sent = c.query("SELECT 1").header(name, value).execute().await;
        assert!(matches!(sent, Err(Error::Config(_))), "{name}: {sent:?}");
    }
}

/// HTTP only: access tokens, custom headers and roles are HTTP features (refused over native: `native_transport::http_only_features_are_refused`).
#[chwire_tests::case]
pub async fn access_token_is_sent_as_bearer(rt: Arc<dyn Runtime>) {
    let transport = Transport::Http;
    // The embedded server has no JWT validator: it names the scheme it received in its refusal.
    let c = client_builder(rt.clone(), transport)
        .access_token("eyJhbGciOiJIUzI1NiJ9.e30.sig")
        .build()
        .unwrap();
    let e = c.query("SELECT 1").execute().await.unwrap_err();
    assert_eq!(
        e.server_code(),
        Some(error_codes::AUTHENTICATION_FAILED),
        "{e}"
    );
    assert!(e.to_string().contains("'Bearer'"), "{e}");
    assert!(!e.to_string().contains("e30.sig"), "{e}");
    for both in [
        client_builder(rt.clone(), transport).user("default"),
        client_builder(rt.clone(), transport).password("x"),
        chwire::Client::builder(rt.clone()).url("http://default:x@127.0.0.1:1"),
    ] {
        let built = both.access_token("t").build();
        assert!(matches!(built, Err(Error::Config(_))), "{built:?}");
    }
}

/// HTTP only: access tokens, custom headers and roles are HTTP features (refused over native: `native_transport::http_only_features_are_refused`).
#[chwire_tests::case]
pub async fn roles_reach_the_server(rt: Arc<dyn Runtime>) {
    let transport = Transport::Http;
    let plain = client_builder(rt.clone(), transport).build().unwrap();
    let (_, rows) = plain
        .query("SELECT length(currentRoles())")
        .fetch_all_rows()
        .await
        .unwrap();
    assert_eq!(rows, vec![vec![Value::UInt64(0)]]);
    // The embedded server cannot store roles (no writable access storage), so the roles are
    // ones it does not know: its refusal names the role it was asked for.
    let c = client_builder(rt, transport)
        .role("chwire_client_role")
        .build()
        .unwrap();
    let e = c.query("SELECT 1").execute().await.unwrap_err();
    assert_eq!(e.server_code(), Some(error_codes::UNKNOWN_ROLE), "{e}");
    assert!(e.to_string().contains("chwire_client_role"), "{e}");
    let e = c
        .query("SELECT 1")
        .role("chwire_query_role")
        .execute()
        .await
        .unwrap_err();
    assert_eq!(e.server_code(), Some(error_codes::UNKNOWN_ROLE), "{e}");
    assert!(e.to_string().contains("chwire_query_role"), "{e}");
    assert!(!e.to_string().contains("chwire_client_role"), "{e}");
}

#[derive(Debug, chwire::Row, serde::Serialize)]
struct Visit {
    x: u64,
}

/// HTTP only (as above). An insert's own headers and roles reach the server with its
/// request: a column defaulting to the request's `X-Tenant` header stores what each insert
/// sent (typed, block and formatted inserts), and an insert's unknown role is refused by name.
#[chwire_tests::case]
pub async fn insert_headers_and_roles_reach_the_server(rt: Arc<dyn Runtime>) {
    const ALLOW: &str = "allow_get_client_http_header";
    let c = client_builder(rt.clone(), Transport::Http)
        .header("X-Tenant", "client")
        .build()
        .unwrap();
    let db = crate::query::DB;
    c.query(format!("CREATE DATABASE IF NOT EXISTS {db}"))
        .execute()
        .await
        .unwrap();
    let table = format!("{db}.{}", chwire_tests::unique_name("insert_headers"));
    c.query(format!(
        "CREATE TABLE {table} (x UInt64, tenant String DEFAULT getClientHTTPHeader('X-Tenant')) \
         ENGINE = Memory"
    ))
    .setting(ALLOW, 1)
    .execute()
    .await
    .unwrap();

    let mut typed = c
        .insert::<Visit>(&table)
        .await
        .unwrap()
        .setting(ALLOW, 1)
        .header("X-Tenant", "typed");
    typed.write(&Visit { x: 1 }).await.unwrap();
    typed.end().await.unwrap();

    let block = chwire::Block::new(vec![(
        "x".into(),
        chwire::Column::new(chwire::DataType::UInt64, chwire::ColumnData::U64(vec![2])).unwrap(),
    )])
    .unwrap();
    let mut blocks = c
        .insert_blocks(&table)
        .setting(ALLOW, 1)
        .header("X-Tenant", "blocks");
    blocks.write(block).await.unwrap();
    blocks.end().await.unwrap();

    c.insert_formatted(&table, "CSV")
        .setting(ALLOW, 1)
        .header("X-Tenant", "csv")
        .from_reader(futures_util::io::Cursor::new(b"3,\n".to_vec()))
        .await
        .unwrap();
    // Without its own header, the client's.
    let mut plain = c.insert::<Visit>(&table).await.unwrap().setting(ALLOW, 1);
    plain.write(&Visit { x: 4 }).await.unwrap();
    plain.end().await.unwrap();

    let (_, rows) = c
        .query(format!("SELECT x, tenant FROM {table} ORDER BY x"))
        .fetch_all_rows()
        .await
        .unwrap();
    let s = |t: &str| Value::String(t.as_bytes().to_vec());
    assert_eq!(
        rows,
        vec![
            vec![Value::UInt64(1), s("typed")],
            vec![Value::UInt64(2), s("blocks")],
            vec![Value::UInt64(3), s("csv")],
            vec![Value::UInt64(4), s("client")],
        ]
    );

    // An insert's role (the embedded server knows none: its refusal names the one asked for).
    let mut typed = c
        .insert::<Visit>(&table)
        .await
        .unwrap()
        .role("chwire_insert_role");
    typed.write(&Visit { x: 5 }).await.unwrap();
    let e = typed.end().await.unwrap_err();
    assert_eq!(e.server_code(), Some(error_codes::UNKNOWN_ROLE), "{e}");
    assert!(e.to_string().contains("chwire_insert_role"), "{e}");
    let e = c
        .insert_formatted(&table, "CSV")
        .role("chwire_csv_role")
        .from_reader(futures_util::io::Cursor::new(b"6,\n".to_vec()))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("chwire_csv_role"), "{e}");
    // An invalid header fails the insert before anything is sent.
    let mut bad = c
        .insert::<Visit>(&table)
        .await
        .unwrap()
        .header("Content-Length", "1");
    bad.write(&Visit { x: 7 }).await.unwrap();
    assert!(matches!(bad.end().await, Err(Error::Config(_))));
    let (_, rows) = c
        .query(format!("SELECT count() FROM {table}"))
        .fetch_all_rows()
        .await
        .unwrap();
    assert_eq!(rows, vec![vec![Value::UInt64(4)]]);
    c.query(format!("DROP TABLE {table}"))
        .execute()
        .await
        .unwrap();
}
