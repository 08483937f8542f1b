//! The `async_inserts` scenario of `chwire-bench`: many one-row inserts from concurrent tasks with
//! server-side async inserts (`async_insert=1`, `wait_for_async_insert=1`), chwire against the
//! official `clickhouse` crate. Both clients use plain bodies and the same settings; each
//! insert is one HTTP request acknowledged after the server wrote it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chwire::{AsyncInsertOptions, Row};

#[derive(Row, serde::Serialize, clickhouse::Row)]
pub struct OneRow {
    pub id: u64,
    pub name: String,
}

const TABLE: &str = "bench_async_one_row";

fn async_settings() -> Vec<(&'static str, &'static str)> {
    vec![
        ("async_insert", "1"),
        ("wait_for_async_insert", "1"),
        ("async_insert_use_adaptive_busy_timeout", "1"),
    ]
}

/// A chwire client with one pooled connection per task and async-insert settings.
fn async_insert_client(url: &str, tasks: u64) -> chwire::Client {
    let rt = Arc::new(chwire_tokio::TokioRuntime::from_handle(
        tokio::runtime::Handle::current(),
    ));
    chwire::Client::builder(rt)
        .url(url)
        .compression(chwire::Compression::None)
        .pool_max_connections_per_host(tasks as usize)
        .pool_max_idle(tasks as usize)
        .async_insert(&AsyncInsertOptions::new())
        .build()
        .unwrap()
}

/// Inserts ids `0..inserts` one at a time from `tasks` spawned tasks (task `t` takes every
/// `tasks`-th id from `t`), each calling `insert_one(client, id)`; the wall time.
async fn spread<C, F, Fut>(client: C, inserts: u64, tasks: u64, insert_one: F) -> Duration
where
    C: Clone + Send + 'static,
    F: Fn(C, u64) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let start = Instant::now();
    let mut handles = Vec::new();
    for t in 0..tasks {
        let client = client.clone();
        let insert_one = insert_one.clone();
        handles.push(tokio::spawn(async move {
            for i in (t..inserts).step_by(tasks as usize) {
                insert_one(client.clone(), i).await;
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    start.elapsed()
}

fn one_row(id: u64) -> OneRow {
    OneRow {
        id,
        name: format!("n{id}"),
    }
}

/// `inserts` one-row inserts spread over `tasks` chwire tasks; the wall time.
pub async fn chwire_one_row_inserts(url: &str, inserts: u64, tasks: u64) -> Duration {
    let client = async_insert_client(url, tasks);
    spread(
        client,
        inserts,
        tasks,
        |client: chwire::Client, i| async move {
            let mut ins = client.insert::<OneRow>(TABLE).await.unwrap();
            ins.write(&one_row(i)).await.unwrap();
            ins.end().await.unwrap();
        },
    )
    .await
}

/// Like [`chwire_one_row_inserts`] with dynamic one-row blocks (`insert_block`).
pub async fn chwire_one_row_block_inserts(url: &str, inserts: u64, tasks: u64) -> Duration {
    use chwire::{Block, Column, DataType, Value};
    let client = async_insert_client(url, tasks);
    spread(
        client,
        inserts,
        tasks,
        |client: chwire::Client, i| async move {
            let row = one_row(i);
            let block = Block::new(vec![
                (
                    "id".into(),
                    Column::from_values(&DataType::UInt64, vec![Value::UInt64(row.id)]).unwrap(),
                ),
                (
                    "name".into(),
                    Column::from_values(
                        &DataType::String,
                        vec![Value::String(row.name.into_bytes())],
                    )
                    .unwrap(),
                ),
            ])
            .unwrap();
            client.insert_block(TABLE, block).await.unwrap();
        },
    )
    .await
}

/// The same with the official client.
pub async fn official_one_row_inserts(url: &str, inserts: u64, tasks: u64) -> Duration {
    let mut client = clickhouse::Client::default()
        .with_url(url)
        .with_compression(clickhouse::Compression::None);
    for (n, v) in async_settings() {
        client = client.with_setting(n, v);
    }
    spread(
        client,
        inserts,
        tasks,
        |client: clickhouse::Client, i| async move {
            let mut ins = client.insert::<OneRow>(TABLE).await.unwrap();
            ins.write(&one_row(i)).await.unwrap();
            ins.end().await.unwrap();
        },
    )
    .await
}

/// Runs both clients `rounds` times, alternating; prints inserts/s of the best round of each.
pub async fn run(url: &str, inserts: u64, tasks: u64, rounds: u32) {
    let setup = clickhouse::Client::default().with_url(url);
    setup
        .query(&format!(
            "CREATE OR REPLACE TABLE {TABLE} (id UInt64, name String) ENGINE = MergeTree ORDER BY id"
        ))
        .execute()
        .await
        .unwrap();
    let (mut best_c, mut best_b, mut best_o) = (Duration::MAX, Duration::MAX, Duration::MAX);
    for _ in 0..rounds {
        best_c = best_c.min(chwire_one_row_inserts(url, inserts, tasks).await);
        best_b = best_b.min(chwire_one_row_block_inserts(url, inserts, tasks).await);
        best_o = best_o.min(official_one_row_inserts(url, inserts, tasks).await);
    }
    let count: u64 = setup
        .query(&format!("SELECT count() FROM {TABLE}"))
        .fetch_one()
        .await
        .unwrap();
    assert_eq!(count, inserts * 3 * u64::from(rounds));
    let rate = |d: Duration| inserts as f64 / d.as_secs_f64();
    println!(
        "one-row async inserts ({inserts} inserts, {tasks} tasks): chwire typed {:.0}/s ({:?}), \
         chwire blocks {:.0}/s ({:?}), official {:.0}/s ({:?}); chwire/official: typed {:.2}, \
         blocks {:.2}",
        rate(best_c),
        best_c,
        rate(best_b),
        best_b,
        rate(best_o),
        best_o,
        best_o.as_secs_f64() / best_c.as_secs_f64(),
        best_o.as_secs_f64() / best_b.as_secs_f64()
    );
}
