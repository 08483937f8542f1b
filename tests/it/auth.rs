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
