//! The `Inserter`: many tasks write rows into one shared, bounded buffer; it batches them
//! (by rows, bytes or time), retries failed batches with a deduplication token (exactly once),
//! and reports what it committed. `cargo run -p chwire-examples --example inserter`.

use std::time::Duration;

use chwire::{Client, Inserter, Value};
use chwire_examples::{BoxError, create_table, server_url};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let client = Client::builder(chwire_tokio::runtime()?)
        .url(server_url())
        .build()?;
    create_table(
        &client,
        "example_inserter",
        "(task UInt32, n UInt64) ENGINE = MergeTree ORDER BY n",
    )
    .await?;
    let inserter = Inserter::builder(client.clone(), "example_inserter")
        .columns(&[("task", "UInt32"), ("n", "UInt64")])
        .max_rows(5_000)
        .period(Duration::from_millis(200))
        .build()?;
    let mut tasks = Vec::new();
    for task in 0..4u32 {
        let inserter = inserter.clone();
        tasks.push(tokio::spawn(async move {
            for n in 0..10_000u64 {
                inserter
                    .write(&[Value::UInt32(task), Value::UInt64(n)])
                    .await?;
            }
            Ok::<_, chwire::InserterError>(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    let stats = inserter.end().await?;
    assert_eq!(stats.rows_committed, 40_000);
    let (_, rows) = client
        .query("SELECT count(), uniqExact(task) FROM example_inserter")
        .fetch_all_rows()
        .await?;
    assert_eq!(rows, [[Value::UInt64(40_000), Value::UInt64(4)]]);
    println!(
        "inserter: {} rows in {} batches",
        stats.rows_committed, stats.batches_committed
    );
    Ok(())
}
