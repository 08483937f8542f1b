//! Errors: typed, with predicates and the server's code as named constants
//! (`chwire::error_codes`). `cargo run -p chwire-examples --example errors`.

use chwire::{Client, error_codes};
use chwire_examples::{BoxError, server_url};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let client = Client::builder(chwire_tokio::runtime()?)
        .url(server_url())
        .build()?;
    let e = client
        .query("SELECT * FROM no_such_table")
        .execute()
        .await
        .unwrap_err();
    assert!(e.is_server());
    assert_eq!(e.server_code(), Some(error_codes::UNKNOWN_TABLE));
    println!("errors: {e}");

    let e = client.query("SELEC 1").execute().await.unwrap_err();
    match e.server_code() {
        Some(error_codes::SYNTAX_ERROR) => println!("errors: a syntax error, as expected"),
        other => return Err(format!("expected SYNTAX_ERROR, got {other:?}: {e}").into()),
    }
    assert!(!e.is_retryable());

    // Nothing listens on port 1: a connection error, before anything was sent.
    let offline = Client::builder(chwire_tokio::runtime()?)
        .url("http://127.0.0.1:1")
        .build()?;
    let e = offline.query("SELECT 1").execute().await.unwrap_err();
    assert!(e.is_connect(), "{e:?}");
    println!("errors: {e} (retryable: {})", e.is_retryable());
    Ok(())
}
