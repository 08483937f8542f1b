//! Client-side batching: many tasks share one `Inserter`, which sends large batches with
//! idempotent retries. Run against a server: `CHWIRE_HTTP_URL=http://127.0.0.1:8123 cargo run
//! -p chwire --example inserts_client_batching`.

use std::sync::Arc;
use std::time::Duration;

use chwire::{Client, Inserter, Row};

#[derive(Row, serde::Serialize)]
struct Event {
    id: u64,
    source: u32,
    message: String,
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("CHWIRE_HTTP_URL").unwrap_or_else(|_| "http://127.0.0.1:8123".into());
    let rt = Arc::new(chwire_tokio::TokioRuntime::from_handle(
        tokio::runtime::Handle::current(),
    ));
    let client = Client::builder(rt).url(url).build()?;
    client
        .query(
            "CREATE TABLE IF NOT EXISTS example_events (id UInt64, source UInt32, message String) \
             ENGINE = MergeTree ORDER BY id \
             SETTINGS non_replicated_deduplication_window = 1000", // makes retries idempotent
        )
        .execute()
        .await?;
    client
        .query("TRUNCATE TABLE example_events")
        .execute()
        .await?;

    let inserter = Inserter::builder(client.clone(), "example_events")
        .columns_of::<Event>()
        .await?
        .max_rows(50_000)
        .period(Duration::from_secs(1))
        .max_in_flight(4)
        .dead_letter(|batch| {
            // A real service would persist `batch.data` (RowBinary) for a later replay.
            eprintln!("{} rows failed for good: {}", batch.rows, batch.error);
        })
        .build()?;

    let mut producers = Vec::new();
    for source in 0..8u32 {
        let inserter = inserter.clone();
        producers.push(tokio::spawn(async move {
            for i in 0..25_000u64 {
                let id = u64::from(source) * 1_000_000 + i;
                let event = Event {
                    id,
                    source,
                    message: format!("event {id}"),
                };
                inserter.write_row(&event).await?;
            }
            Ok::<_, chwire::InserterError>(())
        }));
    }
    for p in producers {
        p.await??;
    }
    let stats = inserter.end().await?;
    println!(
        "committed {} rows in {} batches ({} retries, peak buffer {} rows / {} bytes)",
        stats.rows_committed,
        stats.batches_committed,
        stats.retries,
        stats.max_buffered_rows_seen,
        stats.max_buffered_bytes_seen
    );
    let (_, rows) = client
        .query("SELECT count() FROM example_events")
        .fetch_all_rows()
        .await?;
    println!("server count: {:?}", rows[0][0]);
    Ok(())
}
