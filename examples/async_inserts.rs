//! Server-side async inserts: many small inserts that the server buffers and merges into
//! larger parts (`AsyncInsertOptions`; `new()` waits for the flush, so `end()` means stored).
//! `cargo run -p chwire-examples --example async_inserts`.

use chwire::{AsyncInsertOptions, Client, Row};
use chwire_examples::{BoxError, create_table, server_url};
use serde::{Deserialize, Serialize};

#[derive(Row, Serialize, Deserialize)]
struct Reading {
    sensor: u32,
    value: f64,
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let client = Client::builder(chwire_tokio::runtime()?)
        .url(server_url())
        .build()?;
    create_table(
        &client,
        "example_async",
        "(sensor UInt32, value Float64) ENGINE = MergeTree ORDER BY sensor",
    )
    .await?;
    let options = AsyncInsertOptions::new();
    for sensor in 0..20u32 {
        let mut insert = client
            .insert::<Reading>("example_async")
            .await?
            .async_insert(&options);
        insert
            .write(&Reading {
                sensor,
                value: sensor as f64 * 1.5,
            })
            .await?;
        insert.end().await?;
    }
    #[derive(Row, Deserialize)]
    struct Sum {
        n: u64,
        total: f64,
    }
    let sum: Sum = client
        .query("SELECT count() AS n, sum(value) AS total FROM example_async")
        .fetch_one()
        .await?;
    assert_eq!((sum.n, sum.total), (20, 1.5 * 190.0));
    println!(
        "async inserts: {} one-row inserts stored, total {}",
        sum.n, sum.total
    );
    Ok(())
}
