//! TLS (`https://`, feature `rustls`) with a private CA. Needs a TLS endpoint:
//! `CHWIRE_TLS_URL=https://localhost:8443 CHWIRE_TLS_CA_FILE=ca.pem cargo run -p chwire-examples
//! --example tls` (the test suite starts its TLS proxy for it); without one it says so and
//! exits successfully.

use chwire::Client;
use chwire_examples::BoxError;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let (Ok(url), Ok(ca_file)) = (
        std::env::var("CHWIRE_TLS_URL"),
        std::env::var("CHWIRE_TLS_CA_FILE"),
    ) else {
        println!(
            "tls: skipped, set CHWIRE_TLS_URL and CHWIRE_TLS_CA_FILE to connect to a TLS server"
        );
        return Ok(());
    };
    let client = Client::builder(chwire_tokio::runtime()?)
        .url(&url)
        .tls_ca_file(ca_file) // trust this CA (instead of the public roots)
        .build()?;
    let row: Answer = client
        .query("SELECT toUInt32(6 * 7) AS answer")
        .fetch_one()
        .await?;
    assert_eq!(row.answer, 42);
    println!("tls: {url} answered {}", row.answer);
    Ok(())
}

#[derive(chwire::Row, serde::Deserialize)]
struct Answer {
    answer: u32,
}
