//! Inserter throughput and memory: N rows from T producer tasks through one `Inserter`, and
//! many one-row inserts with server-side async inserts. Build in release:
//! `CHWIRE_HTTP_URL=http://127.0.0.1:8123 cargo run --release -p chwire --example inserter_bench
//! [rows] [tasks]` (default 5 000 000 rows, 16 tasks). Prints rows/s, the inserter's buffer
//! high-water marks and the process's peak RSS (VmHWM).

use std::sync::Arc;
use std::time::{Duration, Instant};

use chwire::{AsyncInsertOptions, Client, Inserter, Row};

#[derive(Row, serde::Serialize)]
struct Event {
    id: u64,
    source: u32,
    value: f64,
    name: String,
}

fn vm_hwm() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| "n/a".into())
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("CHWIRE_HTTP_URL").unwrap_or_else(|_| "http://127.0.0.1:8123".into());
    let mut args = std::env::args().skip(1);
    let rows: u64 = args.next().map_or(5_000_000, |a| a.parse().unwrap());
    let tasks: u64 = args.next().map_or(16, |a| a.parse().unwrap());
    let rt = Arc::new(chwire_tokio::TokioRuntime::from_handle(
        tokio::runtime::Handle::current(),
    ));
    let client = Client::builder(rt).url(&url).build()?;
    client
        .query(
            "CREATE OR REPLACE TABLE bench_inserter (id UInt64, source UInt32, value Float64, \
             name String) ENGINE = MergeTree ORDER BY id",
        )
        .execute()
        .await?;

    // 1. Inserter: rows from `tasks` producers, typed rows in chunks of 1000.
    let inserter = Inserter::builder(client.clone(), "bench_inserter")
        .columns_of::<Event>()
        .await?
        .max_rows(200_000)
        .max_in_flight(4)
        .build()?;
    let start = Instant::now();
    let mut handles = Vec::new();
    for t in 0..tasks {
        let inserter = inserter.clone();
        handles.push(tokio::spawn(async move {
            let per = rows / tasks;
            let mut chunk = Vec::with_capacity(1000);
            for i in t * per..(t + 1) * per {
                chunk.push(Event {
                    id: i,
                    source: t as u32,
                    value: i as f64 * 0.5,
                    name: format!("event-{}", i % 1000),
                });
                if chunk.len() == 1000 {
                    inserter.write_rows_typed(&chunk).await.unwrap();
                    chunk.clear();
                }
            }
            inserter.write_rows_typed(&chunk).await.unwrap();
        }));
    }
    for h in handles {
        h.await?;
    }
    let stats = inserter.end().await?;
    let elapsed = start.elapsed();
    let (_, count) = client
        .query("SELECT count() FROM bench_inserter")
        .fetch_all_rows()
        .await?;
    println!(
        "inserter: {} rows from {tasks} tasks in {elapsed:?}: {:.0} rows/s, {:.1} MB/s encoded; \
         {} batches, peak buffered {} rows / {} bytes (limits {} / {}); VmHWM {}; server count {:?}",
        stats.rows_committed,
        stats.rows_committed as f64 / elapsed.as_secs_f64(),
        stats.bytes_committed as f64 / elapsed.as_secs_f64() / 1e6,
        stats.batches_committed,
        stats.max_buffered_rows_seen,
        stats.max_buffered_bytes_seen,
        stats.buffered_rows_limit,
        stats.buffered_bytes_limit,
        vm_hwm(),
        count[0][0],
    );

    // 2. One-row inserts with server-side async inserts, 32 tasks.
    #[derive(Row, serde::Serialize)]
    struct One {
        id: u64,
        source: u32,
        value: f64,
        name: String,
    }
    let async_client = Client::builder(Arc::clone(client.runtime()))
        .url(&url)
        .compression(chwire::Compression::None)
        .pool_max_connections_per_host(32)
        .pool_max_idle(32)
        .async_insert(&AsyncInsertOptions::new())
        .build()?;
    let (inserts, tasks) = (2000u64, 32u64);
    let start = Instant::now();
    let mut handles = Vec::new();
    for t in 0..tasks {
        let c = async_client.clone();
        handles.push(tokio::spawn(async move {
            for i in (t..inserts).step_by(tasks as usize) {
                let mut ins = c.insert::<One>("bench_inserter").await.unwrap();
                ins.write(&One {
                    id: rows + i,
                    source: 0,
                    value: 0.0,
                    name: String::new(),
                })
                .await
                .unwrap();
                ins.end().await.unwrap();
            }
        }));
    }
    for h in handles {
        h.await?;
    }
    let elapsed: Duration = start.elapsed();
    println!(
        "one-row async inserts: {inserts} from {tasks} tasks in {elapsed:?}: {:.0} inserts/s",
        inserts as f64 / elapsed.as_secs_f64()
    );
    Ok(())
}
