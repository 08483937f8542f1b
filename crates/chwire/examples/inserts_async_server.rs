//! Server-side async inserts: many small inserts, each acknowledged once the server has
//! written it (`wait_for_async_insert=1`), batched on the server. Run against a server:
//! `CHWIRE_HTTP_URL=http://127.0.0.1:8123 cargo run -p chwire --example inserts_async_server`.

use std::sync::Arc;
use std::time::Duration;

use chwire::{AsyncInsertOptions, BusyTimeout, Client, Row};

#[derive(Row, serde::Serialize)]
struct Reading {
    sensor: u32,
    value: f64,
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("CHWIRE_HTTP_URL").unwrap_or_else(|_| "http://127.0.0.1:8123".into());
    let rt = Arc::new(chwire_tokio::TokioRuntime::from_handle(
        tokio::runtime::Handle::current(),
    ));
    let options = AsyncInsertOptions::new()
        .busy_timeout(BusyTimeout::Adaptive {
            min: Duration::from_millis(50),
            max: Duration::from_millis(500),
        })
        .deduplicate(true);
    let client = Client::builder(rt)
        .url(url)
        .async_insert(&options)
        .build()?;
    client
        .query(
            "CREATE TABLE IF NOT EXISTS example_readings (sensor UInt32, value Float64) \
             ENGINE = MergeTree ORDER BY sensor",
        )
        .execute()
        .await?;

    // 32 tasks, one row per insert: the server merges them into few parts.
    let mut tasks = Vec::new();
    for sensor in 0..32u32 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..20 {
                let mut insert = client.insert::<Reading>("example_readings").await?;
                insert
                    .write(&Reading {
                        sensor,
                        value: f64::from(i),
                    })
                    .await?;
                // With wait_for_async_insert=1, `end` returns once the row is written (or
                // fails with the server's error).
                insert.end().await?;
            }
            Ok::<_, chwire::Error>(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    let queued = client.async_inserts().await?;
    println!("{} buffers still queued on the server", queued.len());
    let (_, rows) = client
        .query("SELECT count() FROM example_readings")
        .fetch_all_rows()
        .await?;
    println!("server count: {:?}", rows[0][0]);
    Ok(())
}
