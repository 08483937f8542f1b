//! `https://` through the test TLS proxy (`chwire_tests::tls_proxy`): real queries over TLS,
//! custom CAs, server-name override, certificate failures as typed errors, mutual TLS.

use std::sync::Arc;

use chwire::{Client, ClientBuilder, Compression, Error, Value};
use chwire_rt::Runtime;
use chwire_tests::tls_proxy::{ProxyKind, native_tls_proxy, pki, tls_proxy};
use chwire_tests::unique_name;

fn https(rt: Arc<dyn Runtime>, kind: ProxyKind, host: &str) -> ClientBuilder {
    let port = tls_proxy(kind).port();
    Client::builder(rt).url(format!("https://{host}:{port}"))
}

async fn select_42(client: &Client) -> chwire::Result<Vec<Vec<Value>>> {
    client
        .query("SELECT 6*7")
        .fetch_all_rows()
        .await
        .map(|(_, rows)| rows)
}

/// The TLS error of a failed query, with its message.
fn tls_error(result: chwire::Result<Vec<Vec<Value>>>) -> String {
    match result {
        Err(e @ Error::Tls { .. }) => {
            assert!(e.is_tls());
            e.to_string()
        }
        other => panic!("expected a TLS error, got {other:?}"),
    }
}

/// Queries over TLS return the server's values, plain and LZ4-compressed, small and large (the
/// large one goes through the off-loop decoding pipeline); the pooled connection is reused.
#[chwire_tests::case]
pub async fn select_over_https(rt: Arc<dyn Runtime>) {
    for compression in [Compression::None, Compression::Lz4] {
        let client = https(rt.clone(), ProxyKind::Plain, "127.0.0.1")
            .tls_ca_pem(pki().ca_pem.clone())
            .compression(compression)
            .build()
            .unwrap();
        assert_eq!(
            select_42(&client).await.unwrap(),
            vec![vec![Value::UInt16(42)]]
        );
        let (cols, rows) = client
            .query("SELECT number, toString(number) AS s FROM numbers(300000)")
            .fetch_all_rows()
            .await
            .unwrap();
        assert_eq!(cols.len(), 2);
        assert_eq!(rows.len(), 300_000);
        let mut sum = 0u64;
        for (i, row) in rows.iter().enumerate() {
            let Value::UInt64(n) = row[0] else {
                panic!("row {i}: {row:?}")
            };
            assert_eq!(n, i as u64);
            sum += n;
            if i % 9999 == 0 {
                assert_eq!(row[1], Value::String(i.to_string().into_bytes()));
            }
        }
        assert_eq!(sum, 299_999 * 300_000 / 2);
        let stats = client.pool_stats();
        assert_eq!(stats.connects, 1, "{stats:?}");
        assert!(stats.reuses >= 1, "{stats:?}");
    }
}

/// The native protocol over TLS (`clickhouses://`, and `?secure=true`), through a proxy in
/// front of the native port: a large LZ4 result and a block insert read back, the pooled
/// connection reused; a wrong CA is a TLS error.
#[chwire_tests::case]
pub async fn native_over_tls(rt: Arc<dyn Runtime>) {
    let port = native_tls_proxy().port();
    for url in [
        format!("clickhouses://127.0.0.1:{port}?compress=lz4"),
        format!("clickhouse://127.0.0.1:{port}?secure=true&compress=none"),
    ] {
        let client = Client::builder(rt.clone())
            .url(&url)
            .tls_ca_pem(pki().ca_pem.clone())
            .build()
            .unwrap();
        assert_eq!(
            select_42(&client).await.unwrap(),
            vec![vec![Value::UInt16(42)]]
        );
        let (_, rows) = client
            .query("SELECT sum(number), count() FROM (SELECT number FROM numbers(300000))")
            .fetch_all_rows()
            .await
            .unwrap();
        assert_eq!(
            rows,
            vec![vec![
                Value::UInt64(299_999 * 300_000 / 2),
                Value::UInt64(300_000)
            ]]
        );
        let blocks = client
            .query("SELECT number AS n, toString(number) AS s FROM numbers(300000)")
            .fetch_all_blocks()
            .await
            .unwrap();
        assert_eq!(
            blocks.iter().map(|b| b.rows).sum::<usize>(),
            300_000,
            "{url}"
        );
        let db = crate::query::DB;
        client
            .query(format!("CREATE DATABASE IF NOT EXISTS {db}"))
            .execute()
            .await
            .unwrap();
        let table = format!("{db}.{}", unique_name("native_tls"));
        client
            .query(format!(
                "CREATE TABLE {table} (n UInt64, s String) ENGINE = Memory"
            ))
            .execute()
            .await
            .unwrap();
        let mut insert = client.insert_blocks(&table);
        for block in blocks {
            insert.write(block).await.unwrap();
        }
        insert.end().await.unwrap();
        let (_, rows) = client
            .query(format!("SELECT count(), sum(n) FROM {table}"))
            .fetch_all_rows()
            .await
            .unwrap();
        assert_eq!(
            rows,
            vec![vec![
                Value::UInt64(300_000),
                Value::UInt64(299_999 * 300_000 / 2)
            ]]
        );
        client
            .query(format!("DROP TABLE {table}"))
            .execute()
            .await
            .unwrap();
        let stats = client.pool_stats();
        assert!(stats.reuses >= 1, "{url}: {stats:?}");
    }
    let wrong = Client::builder(rt)
        .url(format!("clickhouses://localhost:{port}"))
        .tls_ca_pem(pki().other_ca_pem.clone())
        .build()
        .unwrap();
    tls_error(select_42(&wrong).await);
}

/// Inserts and DDL work over TLS too (request bodies go through the TLS stream).
#[chwire_tests::case]
pub async fn insert_over_https(rt: Arc<dyn Runtime>) {
    let client = https(rt, ProxyKind::Plain, "127.0.0.1")
        .tls_ca_pem(pki().ca_pem.clone())
        .build()
        .unwrap();
    let db = crate::query::DB;
    client
        .query(format!("CREATE DATABASE IF NOT EXISTS {db}"))
        .execute()
        .await
        .unwrap();
    let t = format!("{db}.{}", unique_name("tls"));
    client
        .query(format!("CREATE TABLE {t} (x UInt64) ENGINE = Memory"))
        .execute()
        .await
        .unwrap();
    client
        .query(format!("INSERT INTO {t} SELECT number FROM numbers(1000)"))
        .execute()
        .await
        .unwrap();
    let (_, rows) = client
        .query(format!("SELECT count(), sum(x) FROM {t}"))
        .fetch_all_rows()
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![vec![Value::UInt64(1000), Value::UInt64(499_500)]]
    );
    client
        .query(format!("DROP TABLE {t}"))
        .execute()
        .await
        .unwrap();
}

/// The CA read from a file at `build()`; the URL names `localhost`, which the certificate
/// covers.
#[chwire_tests::case]
pub async fn custom_ca_file(rt: Arc<dyn Runtime>) {
    let dir = std::env::temp_dir().join(unique_name("chwire_tls"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ca.pem");
    std::fs::write(&path, &pki().ca_pem).unwrap();
    let client = https(rt, ProxyKind::Plain, "localhost")
        .tls_ca_file(&path)
        .build()
        .unwrap();
    let result = select_42(&client).await;
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(result.unwrap(), vec![vec![Value::UInt16(42)]]);

    let missing = Client::builder(client.runtime().clone())
        .url("https://localhost")
        .tls_ca_file(dir.join("missing.pem"))
        .build()
        .unwrap_err();
    assert!(
        matches!(&missing, Error::Config(m) if m.contains("missing.pem")),
        "{missing}"
    );
}

/// A server certificate from a CA the client does not trust: the public roots (default) and
/// an unrelated custom CA both fail with a typed TLS error naming the problem.
#[chwire_tests::case]
pub async fn wrong_ca_fails(rt: Arc<dyn Runtime>) {
    let addr = tls_proxy(ProxyKind::Plain);
    for builder in [
        https(rt.clone(), ProxyKind::Plain, "127.0.0.1"),
        https(rt.clone(), ProxyKind::Plain, "127.0.0.1").tls_ca_pem(pki().other_ca_pem.clone()),
        // Both the public roots and an unrelated CA: still unknown.
        https(rt.clone(), ProxyKind::Plain, "127.0.0.1")
            .tls_ca_pem(pki().other_ca_pem.clone())
            .tls_default_roots(true),
    ] {
        let client = builder.build().unwrap();
        let message = tls_error(select_42(&client).await);
        assert_eq!(
            message,
            format!("TLS handshake with {addr} failed: invalid peer certificate: UnknownIssuer")
        );
        assert_eq!(client.pool_stats().open, 0);
    }
}

/// The system's trust store: alone it does not know the test CA (the handshake fails as with
/// the public roots); beside the test CA as a custom CA, the proxy is trusted.
#[chwire_tests::case]
pub async fn native_roots_beside_a_custom_ca(rt: Arc<dyn Runtime>) {
    let addr = tls_proxy(ProxyKind::Plain);
    let system_only = https(rt.clone(), ProxyKind::Plain, "127.0.0.1")
        .tls_native_roots(true)
        .build()
        .unwrap();
    assert_eq!(
        tls_error(select_42(&system_only).await),
        format!("TLS handshake with {addr} failed: invalid peer certificate: UnknownIssuer")
    );
    let both = https(rt, ProxyKind::Plain, "127.0.0.1")
        .tls_native_roots(true)
        .tls_ca_pem(pki().ca_pem.clone())
        .build()
        .unwrap();
    assert_eq!(
        select_42(&both).await.unwrap(),
        vec![vec![Value::UInt16(42)]]
    );
}

/// Connecting to 127.0.0.1 while verifying the certificate as `localhost` works; a name the
/// certificate does not cover fails.
#[chwire_tests::case]
pub async fn server_name_override(rt: Arc<dyn Runtime>) {
    let client = https(rt.clone(), ProxyKind::Plain, "127.0.0.1")
        .tls_ca_pem(pki().ca_pem.clone())
        .tls_server_name("localhost")
        .build()
        .unwrap();
    assert_eq!(
        select_42(&client).await.unwrap(),
        vec![vec![Value::UInt16(42)]]
    );

    let client = https(rt, ProxyKind::Plain, "127.0.0.1")
        .tls_ca_pem(pki().ca_pem.clone())
        .tls_server_name("db.example.com")
        .build()
        .unwrap();
    let message = tls_error(select_42(&client).await);
    assert!(
        message.contains("TLS handshake with 127.0.0.1:")
            && message.contains("certificate not valid for name \"db.example.com\""),
        "{message}"
    );
}

/// An expired server certificate fails verification.
#[chwire_tests::case]
pub async fn expired_certificate_fails(rt: Arc<dyn Runtime>) {
    let client = https(rt, ProxyKind::Expired, "127.0.0.1")
        .tls_ca_pem(pki().ca_pem.clone())
        .build()
        .unwrap();
    let message = tls_error(select_42(&client).await);
    assert!(
        message.contains("invalid peer certificate: certificate expired"),
        "{message}"
    );
}

/// A server requiring client certificates rejects a client without one or with one from
/// another CA, and serves a client presenting one signed by its CA.
#[chwire_tests::case]
pub async fn mutual_tls(rt: Arc<dyn Runtime>) {
    let pki = pki();
    let without = https(rt.clone(), ProxyKind::MutualTls, "127.0.0.1")
        .tls_ca_pem(pki.ca_pem.clone())
        .build()
        .unwrap();
    let message = tls_error(select_42(&without).await);
    assert!(
        message.contains("CertificateRequired") || message.contains("HandshakeFailure"),
        "{message}"
    );
    assert!(message.contains("client certificate"), "{message}");

    let untrusted = https(rt.clone(), ProxyKind::MutualTls, "127.0.0.1")
        .tls_ca_pem(pki.ca_pem.clone())
        .tls_client_cert_pem(
            pki.untrusted_client.cert_pem.clone(),
            pki.untrusted_client.key_pem.clone(),
        )
        .build()
        .unwrap();
    let message = tls_error(select_42(&untrusted).await);
    assert!(message.contains("UnknownCA"), "{message}");

    let with = https(rt, ProxyKind::MutualTls, "127.0.0.1")
        .tls_ca_pem(pki.ca_pem.clone())
        .tls_client_cert_pem(pki.client.cert_pem.clone(), pki.client.key_pem.clone())
        .build()
        .unwrap();
    for _ in 0..3 {
        assert_eq!(
            select_42(&with).await.unwrap(),
            vec![vec![Value::UInt16(42)]]
        );
    }
    assert_eq!(with.pool_stats().connects, 1);
}

/// Configuration mistakes fail at `build()` with a message, never at the first query.
#[chwire_tests::case]
pub async fn tls_config_errors(rt: Arc<dyn Runtime>) {
    let config = |b: ClientBuilder| match b.build() {
        Err(Error::Config(m)) => m,
        other => panic!("expected a configuration error, got {other:?}"),
    };
    let m = config(
        Client::builder(rt.clone())
            .url("https://localhost")
            .tls_ca_pem("not a certificate"),
    );
    assert!(
        m.contains("no certificate found in CA certificate PEM"),
        "{m}"
    );
    let m = config(
        Client::builder(rt.clone())
            .url("https://localhost")
            .tls_client_cert_pem(pki().client.cert_pem.clone(), "no key here"),
    );
    assert!(m.contains("client key"), "{m}");
    let m = config(
        Client::builder(rt.clone())
            .url("https://localhost")
            .tls_client_cert_pem(pki().client.cert_pem.clone(), pki().server.key_pem.clone()),
    );
    assert!(m.contains("client certificate or key"), "{m}");
    let m = config(
        Client::builder(rt.clone())
            .url("http://localhost")
            .tls_ca_pem(pki().ca_pem.clone()),
    );
    assert!(m.contains("not https://"), "{m}");
    let m = config(
        Client::builder(rt)
            .url("https://localhost")
            .tls_server_name("bad name!"),
    );
    assert!(m.contains("invalid TLS server name"), "{m}");
}

/// A peer that accepts TCP but never answers the TLS hello: the handshake is bounded by
/// `connect_timeout` and reported as a connect timeout.
#[chwire_tests::case]
pub async fn handshake_timeout(rt: Arc<dyn Runtime>) {
    // The kernel completes the TCP handshake from the backlog; nobody ever reads.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let client = Client::builder(rt)
        .url(format!("https://127.0.0.1:{port}"))
        .tls_ca_pem(pki().ca_pem.clone())
        .connect_timeout(std::time::Duration::from_millis(300))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = select_42(&client).await.unwrap_err();
    assert_eq!(
        err.timeout_kind(),
        Some(chwire::TimeoutKind::Connect),
        "{err}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    drop(silent);
}
