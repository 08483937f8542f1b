//! Both: an `Inserter` batching on the client, sending its batches as async inserts, for
//! many independent writers (e.g. processes) into one table. Run against a server:
//! `CHWIRE_HTTP_URL=http://127.0.0.1:8123 cargo run -p chwire --example inserts_both`.

use std::sync::Arc;
use std::time::Duration;

use chwire::{AsyncInsertOptions, Client, Inserter, Value};

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("CHWIRE_HTTP_URL").unwrap_or_else(|_| "http://127.0.0.1:8123".into());
    let rt = Arc::new(chwire_tokio::TokioRuntime::from_handle(
        tokio::runtime::Handle::current(),
    ));
    let client = Client::builder(rt).url(url).build()?;
    client
        .query(
            "CREATE TABLE IF NOT EXISTS example_both (id UInt64, payload String) \
             ENGINE = MergeTree ORDER BY id",
        )
        .execute()
        .await?;
    // Small client batches (low latency), merged further by the server. The inserter sets
    // async_insert_deduplicate=1 so its retries stay idempotent.
    let inserter = Inserter::builder(client.clone(), "example_both")
        .columns(&[("id", "UInt64"), ("payload", "String")])
        .max_rows(1000)
        .period(Duration::from_millis(100))
        .async_insert(&AsyncInsertOptions::new())
        .build()?;
    for id in 0..10_000u64 {
        inserter
            .write(&[
                Value::UInt64(id),
                Value::String(format!("p{id}").into_bytes()),
            ])
            .await?;
    }
    let stats = inserter.end().await?;
    println!(
        "committed {} rows in {} batches",
        stats.rows_committed, stats.batches_committed
    );
    Ok(())
}
