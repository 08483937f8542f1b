//! No public type that holds credentials prints them: the `Debug` output (and the errors) of
//! every such type must not contain the secret, and must show that something was redacted.

use std::sync::Arc;

use chwire::{Client, ClientBuilder, Inserter};
use chwire_proto::http::HttpRequest;
use chwire_proto::server::Credentials;
use chwire_tokio::TokioRuntime;

const SECRET: &str = "hunter2-s3cr3t";

fn runtime() -> Arc<dyn chwire_rt::Runtime> {
    Arc::new(TokioRuntime::try_current().expect("inside #[tokio::test]"))
}

/// `what`'s text must hide [`SECRET`] and say so.
fn assert_redacted(what: &str, text: &str) {
    assert!(!text.contains(SECRET), "{what} shows the secret: {text}");
    assert!(
        text.contains("<redacted>"),
        "{what} shows no redaction marker: {text}"
    );
}

fn with_password() -> ClientBuilder {
    Client::builder(runtime())
        .url("http://127.0.0.1:8123")
        .user("alice")
        .password(SECRET)
}

#[tokio::test]
async fn builder_and_client_hide_the_password() {
    assert_redacted("ClientBuilder", &format!("{:?}", with_password()));
    let client = with_password().build().unwrap();
    // Client's Debug includes its configuration (credentials, endpoints).
    assert_redacted("Client", &format!("{client:?}"));
    // These hold the client but do not print it: nothing to redact, nothing to leak.
    let builder = Inserter::builder(client.clone(), "t").columns(&[("id", "UInt64")]);
    let mut shown = vec![
        ("Query", format!("{:?}", client.query("SELECT 1"))),
        ("BlockInsert", format!("{:?}", client.insert_blocks("t"))),
        ("InserterBuilder", format!("{builder:?}")),
    ];
    shown.push(("Inserter", format!("{:?}", builder.build().unwrap())));
    for (what, text) in shown {
        assert!(!text.contains(SECRET), "{what} shows the secret: {text}");
    }
}

#[tokio::test]
async fn urls_with_user_info_or_query_credentials_are_redacted() {
    for url in [
        format!("http://alice:{SECRET}@db.local:8123"),
        format!("http://alice:{SECRET}/x@db.local:8123"),
        format!("http://db.local:8123/?user=alice&password={SECRET}"),
        format!("http://db.local:8123?password={SECRET}"),
        format!("https://alice:{SECRET}@db.local"),
    ] {
        let builder = Client::builder(runtime()).url(&url);
        assert_redacted("ClientBuilder (url)", &format!("{builder:?}"));
        let builder = Client::builder(runtime())
            .url("http://127.0.0.1:8123")
            .add_url(&url);
        assert_redacted("ClientBuilder (add_url)", &format!("{builder:?}"));
        // User info is the credentials and the query is ignored; an error (here: https
        // without the `rustls` feature, a bad port) must not quote the secret.
        match Client::builder(runtime()).url(&url).build() {
            Err(e) => {
                assert!(!e.to_string().contains(SECRET), "{url}: {e}");
                assert!(!format!("{e:?}").contains(SECRET), "{url}: {e:?}");
            }
            Ok(client) => assert!(!format!("{client:?}").contains(SECRET), "{url}"),
        }
    }
}

/// ClickHouse takes `password` from the URL, so a `password` setting is a credential too.
#[tokio::test]
async fn password_settings_are_redacted() {
    let builder = Client::builder(runtime()).setting("password", SECRET);
    assert_redacted("ClientBuilder (setting)", &format!("{builder:?}"));
    let client = builder.build().unwrap();
    assert_redacted("Client (setting)", &format!("{client:?}"));
    let query = client.query("SELECT 1").setting("password", SECRET);
    assert_redacted("Query (setting)", &format!("{query:?}"));
    let insert = client.insert_blocks("t").setting("password", SECRET);
    assert!(!format!("{insert:?}").contains(SECRET), "{insert:?}");
    let mut settings = chwire::Settings::new();
    settings.set("password", SECRET).set("max_threads", 2);
    let shown = format!("{settings:?}");
    assert_redacted("Settings", &shown);
    assert!(shown.contains("max_threads"), "{shown}");
    let request = HttpRequest::post("db.local:8123").setting("password", SECRET);
    assert_redacted("HttpRequest (setting)", &format!("{request:?}"));
}

#[tokio::test]
async fn tls_key_material_is_not_printed() {
    let cert = format!("-----BEGIN CERTIFICATE-----\n{SECRET}\n-----END CERTIFICATE-----\n");
    let key = format!("-----BEGIN PRIVATE KEY-----\n{SECRET}\n-----END PRIVATE KEY-----\n");
    let builder = with_password()
        .url("https://db.local")
        .tls_ca_pem(cert.clone())
        .tls_client_cert_pem(cert, key);
    assert_redacted("ClientBuilder (TLS)", &format!("{builder:?}"));
    // Unparsable PEM: the error names what was wrong, not the bytes (or, without the
    // `rustls` feature, that TLS is not compiled in).
    let e = builder.build().unwrap_err();
    assert!(!e.to_string().contains(SECRET), "{e}");
    assert!(!format!("{e:?}").contains(SECRET), "{e:?}");
}

#[test]
fn request_descriptions_hide_credentials() {
    let credentials = Credentials::new("alice", SECRET);
    assert_redacted("Credentials", &format!("{credentials:?}"));
    let request = HttpRequest::post("db.local:8123").credentials(credentials);
    assert_redacted("HttpRequest", &format!("{request:?}"));
    for name in [
        "authorization",
        "proxy-authorization",
        "cookie",
        "x-clickhouse-key",
    ] {
        let request = HttpRequest::post("db.local:8123").header(
            http::HeaderName::from_static(name),
            http::HeaderValue::from_str(&format!("Basic {SECRET}")).unwrap(),
        );
        let shown = format!("{request:?}");
        assert!(
            !shown.contains(SECRET),
            "HttpRequest header {name}: {shown}"
        );
    }
}

#[tokio::test]
async fn access_tokens_and_header_values_are_not_printed() {
    let builder = Client::builder(runtime())
        .url("http://127.0.0.1:8123")
        .access_token(SECRET)
        .header("X-Api-Key", SECRET);
    assert_redacted("ClientBuilder", &format!("{builder:?}"));
    let client = builder.build().unwrap();
    let text = format!("{client:?}");
    assert!(!text.contains(SECRET), "Client shows the secret: {text}");
    let query = client.query("SELECT 1").header("X-Api-Key", SECRET);
    let text = format!("{query:?}");
    assert!(!text.contains(SECRET), "Query shows the secret: {text}");
    // An invalid value is refused without being echoed.
    let bad = format!("{SECRET}\r\nInjected: 1");
    let e = client
        .query("SELECT 1")
        .header("X-Api-Key", bad.as_str())
        .execute()
        .await
        .unwrap_err();
    assert!(!e.to_string().contains(SECRET), "{e}");
}
