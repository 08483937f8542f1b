//! Raw results in any ClickHouse format (here CSV), decompressed, as they arrive.
//! `cargo run -p chwire-examples --example raw_bytes`.

use chwire::Client;
use chwire_examples::{BoxError, server_url};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let client = Client::builder(chwire_tokio::runtime()?)
        .url(server_url())
        .build()?;
    let mut bytes = client
        .query("SELECT number, number * 2 FROM numbers(3)")
        .fetch_bytes("CSV")
        .await?;
    let mut csv = Vec::new();
    while let Some(piece) = bytes.next().await {
        csv.extend_from_slice(&piece?);
    }
    assert_eq!(csv, b"0,0\n1,2\n2,4\n");
    print!("raw bytes (CSV):\n{}", String::from_utf8_lossy(&csv));
    Ok(())
}
