//! The shared [`Inserter`]: exact counts from many producers, bounded buffers, dead letters,
//! retries forced by the server, a server killed mid-ingest, and async-insert settings read
//! back from the server.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chwire::{
    AsyncInsertOptions, Block, BusyTimeout, Client, Column, DataType, FailedBatch, Format,
    Inserter, InserterError, RetryPolicy, Value,
};
use chwire_rt::Runtime;
use chwire_tests::{OwnServer, Transport, client_builder, unique_name};
use xtask::server::state_dir;

const DB: &str = "it_inserter";

async fn client(rt: Arc<dyn Runtime>, transport: Transport) -> Client {
    let c = client_builder(rt, transport).build().expect("client");
    c.query(format!("CREATE DATABASE IF NOT EXISTS {DB}"))
        .execute()
        .await
        .expect("create database");
    c
}

/// Creates `{DB}.<unique>` with the given column list and engine clause.
async fn table(c: &Client, prefix: &str, definition: &str) -> String {
    let t = format!("{DB}.{}", unique_name(prefix));
    c.query(format!("CREATE TABLE {t} {definition}"))
        .execute()
        .await
        .unwrap();
    t
}

/// `count()`, `sum(id)`, `uniqExact(id)` of a table.
async fn totals(c: &Client, t: &str) -> (u64, u64, u64) {
    let (_, rows) = c
        .query(format!("SELECT count(), sum(id), uniqExact(id) FROM {t}"))
        .fetch_all_rows()
        .await
        .unwrap();
    match rows.as_slice() {
        [row] => match row.as_slice() {
            [Value::UInt64(n), Value::UInt64(s), Value::UInt64(u)] => (*n, *s, *u),
            other => panic!("unexpected totals {other:?}"),
        },
        other => panic!("unexpected totals {other:?}"),
    }
}

fn expected_totals(ids: impl Iterator<Item = u64>) -> (u64, u64, u64) {
    let mut seen = std::collections::HashSet::new();
    let (mut n, mut s) = (0, 0);
    for id in ids {
        n += 1;
        s += id;
        seen.insert(id);
    }
    (n, s, seen.len() as u64)
}

fn row(id: u64, p: u32) -> Vec<Value> {
    vec![Value::UInt64(id), Value::UInt32(p)]
}

#[derive(chwire::Row, serde::Serialize)]
struct Event {
    id: u64,
    p: u32,
}

/// Runs `producers` tasks, each calling `work(index)`, and waits for all of them.
async fn run_producers<F, Fut>(rt: &Arc<dyn Runtime>, producers: u64, work: F)
where
    F: Fn(u64) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (done_tx, done_rx) = async_channel::unbounded::<()>();
    for i in 0..producers {
        let fut = work(i);
        let done = done_tx.clone();
        rt.spawn(Box::pin(async move {
            fut.await;
            let _ = done.send(()).await;
        }));
    }
    drop(done_tx);
    for _ in 0..producers {
        // A panicking producer drops its sender without sending: the count comes up short.
        done_rx.recv().await.expect("a producer task panicked");
    }
}

#[chwire_tests::case]
pub async fn million_rows_sixteen_producers(rt: Arc<dyn Runtime>, transport: Transport) {
    const PRODUCERS: u64 = 16;
    const PER: u64 = 62_500;
    let c = client(rt.clone(), transport).await;
    let t = table(
        &c,
        "million",
        "(id UInt64, p UInt32) ENGINE = MergeTree ORDER BY id",
    )
    .await;
    let ins = Inserter::builder(c.clone(), &t)
        .columns_of::<Event>()
        .await
        .unwrap()
        .max_rows(50_000)
        .max_in_flight(4)
        .build()
        .unwrap();
    run_producers(&rt, PRODUCERS, |i| {
        let ins = ins.clone();
        async move {
            let ids = i * PER..(i + 1) * PER;
            match i % 4 {
                // One dynamic row at a time.
                0 => {
                    for id in ids {
                        ins.write(&row(id, i as u32)).await.unwrap();
                    }
                }
                // Dynamic rows in chunks.
                1 => {
                    let ids: Vec<u64> = ids.collect();
                    for chunk in ids.chunks(1000) {
                        let rows: Vec<_> = chunk.iter().map(|&id| row(id, i as u32)).collect();
                        ins.write_rows(&rows).await.unwrap();
                    }
                }
                // One typed row at a time.
                2 => {
                    for id in ids {
                        ins.write_row(&Event { id, p: i as u32 }).await.unwrap();
                    }
                }
                // Typed rows in chunks.
                _ => {
                    let rows: Vec<Event> = ids.map(|id| Event { id, p: i as u32 }).collect();
                    for chunk in rows.chunks(2500) {
                        ins.write_rows_typed(chunk).await.unwrap();
                    }
                }
            }
        }
    })
    .await;
    let stats = ins.end().await.unwrap();
    let n = PRODUCERS * PER;
    assert_eq!(totals(&c, &t).await, expected_totals(0..n));
    assert_eq!(stats.rows_written, n);
    assert_eq!(stats.rows_committed, n);
    assert_eq!(stats.failed_rows, 0);
    assert_eq!(stats.buffered_rows, 0);
    assert!(stats.batches_committed >= n / 50_000, "{stats:?}");
    assert!(stats.max_buffered_rows_seen <= stats.buffered_rows_limit);
}

#[chwire_tests::case]
pub async fn memory_bounded_under_fast_producers(rt: Arc<dyn Runtime>, transport: Transport) {
    const PRODUCERS: u64 = 8;
    const PER: u64 = 12_500;
    const ROW_BYTES: u64 = 12;
    let c = client(rt.clone(), transport).await;
    let t = table(
        &c,
        "bounded",
        "(id UInt64, p UInt32) ENGINE = MergeTree ORDER BY id",
    )
    .await;
    let ins = Inserter::builder(c.clone(), &t)
        .columns(&[("id", "UInt64"), ("p", "UInt32")])
        .max_rows(1000)
        .max_in_flight(2)
        .max_buffered_rows(2500)
        .max_buffered_bytes(2000 * ROW_BYTES)
        .build()
        .unwrap();
    // A sampler checks the bound while producers run, not only at the end.
    let sampler = {
        let ins = ins.clone();
        let rt2 = rt.clone();
        let (stop_tx, stop_rx) = async_channel::bounded::<()>(1);
        let (res_tx, res_rx) = async_channel::bounded(1);
        rt.spawn(Box::pin(async move {
            let mut max_seen = (0, 0);
            while stop_rx.try_recv().is_err() {
                let s = ins.stats();
                assert!(s.buffered_rows <= 2500 && s.buffered_bytes <= 2000 * ROW_BYTES);
                max_seen = (
                    max_seen.0.max(s.buffered_rows),
                    max_seen.1.max(s.buffered_bytes),
                );
                rt2.sleep(Duration::from_millis(1)).await;
            }
            let _ = res_tx.send(max_seen).await;
        }));
        (stop_tx, res_rx)
    };
    run_producers(&rt, PRODUCERS, |i| {
        let ins = ins.clone();
        async move {
            for id in i * PER..(i + 1) * PER {
                ins.write(&row(id, 0)).await.unwrap();
            }
        }
    })
    .await;
    let _ = sampler.0.send(()).await;
    let sampled = sampler.1.recv().await.expect("the sampler panicked");
    let stats = ins.end().await.unwrap();
    let n = PRODUCERS * PER;
    assert_eq!(totals(&c, &t).await, expected_totals(0..n));
    assert_eq!(stats.buffered_rows_limit, 2500);
    assert!(stats.max_buffered_rows_seen <= 2500, "{stats:?}");
    assert!(
        stats.max_buffered_bytes_seen <= 2000 * ROW_BYTES,
        "{stats:?}"
    );
    assert!(sampled.0 <= 2500 && sampled.1 <= 2000 * ROW_BYTES);
    // The producers did outrun the server: they had to wait for space.
    assert!(stats.write_waits > 0, "{stats:?}");
    assert!(
        stats.max_buffered_bytes_seen > 1000 * ROW_BYTES,
        "{stats:?}"
    );
}

fn collector() -> (
    Arc<Mutex<Vec<FailedBatch>>>,
    impl Fn(FailedBatch) + Send + Sync,
) {
    let sink = Arc::new(Mutex::new(Vec::new()));
    let s = sink.clone();
    (sink, move |b| s.lock().unwrap().push(b))
}

fn ids_of(batches: &[FailedBatch]) -> Vec<u64> {
    batches
        .iter()
        .flat_map(|b| b.values().unwrap())
        .map(|r| match r[0] {
            Value::UInt64(id) => id,
            ref v => panic!("{v:?}"),
        })
        .collect()
}

#[chwire_tests::case]
pub async fn non_retryable_goes_to_dead_letter(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt.clone(), transport).await;
    let t = table(
        &c,
        "constraint",
        "(id UInt64, p UInt32, CONSTRAINT small CHECK p < 1000) ENGINE = MergeTree ORDER BY id",
    )
    .await;
    let (dead, handler) = collector();
    let ins = Inserter::builder(c.clone(), &t)
        .columns(&[("id", "UInt64"), ("p", "UInt32")])
        .max_rows(1000)
        .period(Duration::from_secs(3600))
        .dead_letter(handler)
        .build()
        .unwrap();
    // 20 batches of 1000 rows (one writer, so batch boundaries are exact); batches 3 and 11
    // hold a row violating the constraint.
    for id in 0..20_000u64 {
        let p = if id == 3_500 || id == 11_999 { 5000 } else { 1 };
        ins.write(&row(id, p)).await.unwrap();
    }
    let stats = ins.end().await.unwrap();
    let dead = std::mem::take(&mut *dead.lock().unwrap());
    assert_eq!(dead.len(), 2, "{dead:?}");
    for b in &dead {
        assert_eq!(b.error.server_code(), Some(469), "{:?}", b.error); // VIOLATED_CONSTRAINT
        assert_eq!(b.attempts, 1, "a non-retryable error must fail fast");
        assert_eq!(b.rows, 1000);
    }
    let mut dead_ids = ids_of(&dead);
    dead_ids.sort_unstable();
    assert_eq!(
        dead_ids,
        (3000..4000).chain(11_000..12_000).collect::<Vec<_>>()
    );
    let committed =
        (0..20_000u64).filter(|id| !(3000..4000).contains(id) && !(11_000..12_000).contains(id));
    assert_eq!(totals(&c, &t).await, expected_totals(committed));
    assert_eq!(stats.failed_rows, 2000);
    assert_eq!(stats.rows_committed, 18_000);
    assert_eq!(stats.retries, 0);

    // Without a handler, the failure comes back from flush, rows included; a dropped table.
    let (gone, ins) =
        inserter_of_dropped_table(&c, "gone", &[("id", "UInt64"), ("p", "UInt32")]).await;
    ins.write_rows(&[row(1, 1), row(2, 2)]).await.unwrap();
    let err = ins.flush().await.unwrap_err();
    let InserterError::Failed(batches) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(batches.len(), 1);
    assert_eq!(batches[0].error.server_code(), Some(60)); // UNKNOWN_TABLE
    assert_eq!(batches[0].values().unwrap(), vec![row(1, 1), row(2, 2)]);
    // Columns that concatenate: the batch is a Native body, which inserts again as it is.
    assert_eq!(batches[0].format, Format::Native);
    c.query(format!(
        "CREATE TABLE {gone} (id UInt64, p UInt32) ENGINE = MergeTree ORDER BY id"
    ))
    .execute()
    .await
    .unwrap();
    c.insert_formatted(&gone, batches[0].format.name())
        .from_reader(futures_util::io::Cursor::new(batches[0].data.to_vec()))
        .await
        .unwrap();
    assert_eq!(totals(&c, &gone).await, expected_totals(1..3));
    // Reported once; the inserter keeps working.
    assert_eq!(ins.end().await.unwrap().failed_rows, 2);

    // A Nullable column: RowBinary batches, handed back the same way.
    let columns = [("id", "UInt64"), ("p", "Nullable(UInt32)")];
    let (_, ins) = inserter_of_dropped_table(&c, "gone_nullable", &columns).await;
    let nullable_rows = vec![
        vec![Value::UInt64(1), Value::Null],
        vec![Value::UInt64(2), Value::UInt32(2)],
    ];
    ins.write_rows(&nullable_rows).await.unwrap();
    let err = ins.end().await.unwrap_err();
    let batches = err.failed_batches();
    assert_eq!(batches.len(), 1, "{err:?}");
    assert_eq!(batches[0].format, Format::RowBinary);
    assert_eq!(batches[0].values().unwrap(), nullable_rows);
}

/// An inserter of `columns` into a MergeTree table that is dropped once the inserter is built
/// (its batches fail with UNKNOWN_TABLE); the table's name.
async fn inserter_of_dropped_table(
    c: &Client,
    prefix: &str,
    columns: &[(&str, &str)],
) -> (String, Inserter) {
    let definition = columns
        .iter()
        .map(|(n, t)| format!("{n} {t}"))
        .collect::<Vec<_>>()
        .join(", ");
    let t = table(
        c,
        prefix,
        &format!("({definition}) ENGINE = MergeTree ORDER BY id"),
    )
    .await;
    let ins = Inserter::builder(c.clone(), &t)
        .columns(columns)
        .build()
        .unwrap();
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
    (t, ins)
}

#[chwire_tests::case]
pub async fn back_pressure_retries_then_succeeds(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt.clone(), transport).await;
    let t = table(
        &c,
        "parts",
        "(id UInt64, p UInt32) ENGINE = MergeTree ORDER BY id \
         SETTINGS parts_to_throw_insert = 3, non_replicated_deduplication_window = 1000",
    )
    .await;
    // Three parts and no merges: every insert now fails with TOO_MANY_PARTS.
    c.query(format!("SYSTEM STOP MERGES {t}"))
        .execute()
        .await
        .unwrap();
    for id in 0..3u64 {
        c.query(format!("INSERT INTO {t} VALUES ({id}, 0)"))
            .setting("async_insert", 0)
            .execute()
            .await
            .unwrap();
    }
    let (dead, handler) = collector();
    let ins = Inserter::builder(c.clone(), &t)
        .columns(&[("id", "UInt64"), ("p", "UInt32")])
        .max_rows(2000)
        .max_in_flight(4)
        .retry(RetryPolicy {
            max_retries: 1000,
            initial_backoff: Duration::from_millis(20),
            max_backoff: Duration::from_millis(200),
        })
        .dead_letter(handler)
        .build()
        .unwrap();
    let writer = {
        let ins = ins.clone();
        async move {
            for id in 3..20_003u64 {
                ins.write(&row(id, 1)).await.unwrap();
            }
        }
    };
    let (wdone_tx, wdone_rx) = async_channel::bounded(1);
    rt.spawn(Box::pin(async move {
        writer.await;
        let _ = wdone_tx.send(()).await;
    }));
    // Wait (with a deadline) until the server has pushed back and the limit has shrunk.
    let deadline = rt.now() + Duration::from_secs(60);
    loop {
        let s = ins.stats();
        if s.back_pressure_errors >= 3 && s.retries >= 3 {
            assert!(s.concurrency_limit < 4, "{s:?}");
            assert_eq!(s.rows_committed, 0, "{s:?}");
            break;
        }
        assert!(rt.now() < deadline, "no back-pressure seen: {s:?}");
        rt.sleep(Duration::from_millis(10)).await;
    }
    c.query(format!("SYSTEM START MERGES {t}"))
        .execute()
        .await
        .unwrap();
    // Keep merging until the inserter got through (parts keep arriving).
    let merger = {
        let c = c.clone();
        let t = t.clone();
        let rt2 = rt.clone();
        let (stop_tx, stop_rx) = async_channel::bounded::<()>(1);
        rt.spawn(Box::pin(async move {
            while stop_rx.try_recv().is_err() {
                let _ = c.query(format!("OPTIMIZE TABLE {t} FINAL")).execute().await;
                rt2.sleep(Duration::from_millis(20)).await;
            }
        }));
        stop_tx
    };
    wdone_rx.recv().await.unwrap();
    let stats = ins.end().await.unwrap();
    let _ = merger.send(()).await;
    assert!(dead.lock().unwrap().is_empty());
    assert_eq!(totals(&c, &t).await, expected_totals(0..20_003));
    assert_eq!(stats.rows_committed, 20_000);
    assert!(stats.min_concurrency_limit < 4, "{stats:?}");
}

#[chwire_tests::case]
pub async fn retryable_until_dead_letter(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt.clone(), transport).await;
    let t = table(
        &c,
        "partitions",
        "(id UInt64, p UInt32) ENGINE = MergeTree PARTITION BY p ORDER BY id",
    )
    .await;
    let (dead, handler) = collector();
    let ins = Inserter::builder(c.clone(), &t)
        .columns(&[("id", "UInt64"), ("p", "UInt32")])
        .setting("max_partitions_per_insert_block", 2)
        .setting("throw_on_max_partitions_per_insert_block", 1)
        .retry(RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
        })
        .dead_letter(handler)
        .build()
        .unwrap();
    // Batch 1: two partitions (fine). Batch 2: five partitions (always TOO_MANY_PARTS).
    ins.write_rows(
        &(0..100)
            .map(|id| row(id, (id % 2) as u32))
            .collect::<Vec<_>>(),
    )
    .await
    .unwrap();
    ins.flush().await.unwrap();
    ins.write_rows(
        &(100..200)
            .map(|id| row(id, (id % 5) as u32))
            .collect::<Vec<_>>(),
    )
    .await
    .unwrap();
    ins.flush().await.unwrap();
    let stats = ins.end().await.unwrap();
    let dead = std::mem::take(&mut *dead.lock().unwrap());
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].error.server_code(), Some(252));
    assert_eq!(dead[0].attempts, 4, "1 attempt + 3 retries");
    assert_eq!(stats.retries, 3);
    let (committed, _, _) = totals(&c, &t).await;
    assert_eq!(committed, 100);
    assert_eq!(committed + dead[0].rows, stats.rows_written);
    assert_eq!(ids_of(&dead), (100..200).collect::<Vec<_>>());
}

/// The server is SIGKILLed mid-ingest and restarted on its data directory. No row may be
/// written twice, and every row the table lacks must have been reported as uncertain: a plain
/// `MergeTree` can lose a batch whose token it logged just before the kill (see
/// `docs/inserts.md`, "The crash window of plain `MergeTree`"); that is the server's to fix,
/// reporting it is the client's.
#[chwire_tests::case]
pub async fn killed_mid_ingest_no_duplicates_no_silent_loss(rt: Arc<dyn Runtime>) {
    const PRODUCERS: u64 = 4;
    const PER: u64 = 50_000;
    let mut config = OwnServer::free_config();
    let data_dir = state_dir(config.http_port).join("data");
    let _ = std::fs::remove_dir_all(&data_dir);
    config.data_dir = Some(data_dir);
    let server = OwnServer::start(&rt, config.clone()).await;
    let c = Client::builder(rt.clone())
        .url(server.http_url())
        .connect_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    c.query("CREATE DATABASE IF NOT EXISTS db")
        .execute()
        .await
        .unwrap();
    let t = "db.survivor";
    c.query(format!(
        "CREATE TABLE {t} (id UInt64, p UInt32) ENGINE = MergeTree ORDER BY id \
         SETTINGS non_replicated_deduplication_window = 10000"
    ))
    .execute()
    .await
    .unwrap();
    let (dead, handler) = collector();
    let (uncertain, uncertain_handler) = collector();
    let ins = Inserter::builder(c.clone(), t)
        .columns(&[("id", "UInt64"), ("p", "UInt32")])
        .max_rows(2000)
        .max_in_flight(4)
        .retry(RetryPolicy {
            max_retries: 200,
            initial_backoff: Duration::from_millis(50),
            max_backoff: Duration::from_millis(500),
        })
        .dead_letter(handler)
        .uncertain(uncertain_handler)
        .build()
        .unwrap();
    let (wdone_tx, wdone_rx) = async_channel::bounded(PRODUCERS as usize);
    for i in 0..PRODUCERS {
        let ins = ins.clone();
        let done = wdone_tx.clone();
        rt.spawn(Box::pin(async move {
            for id in i * PER..(i + 1) * PER {
                ins.write(&row(id, i as u32)).await.unwrap();
            }
            let _ = done.send(()).await;
        }));
    }
    // Kill once a part of the data is in, with batches in flight.
    let deadline = rt.now() + Duration::from_secs(120);
    while ins.stats().rows_committed < 40_000 {
        assert!(rt.now() < deadline, "{:?}", ins.stats());
        rt.sleep(Duration::from_millis(2)).await;
    }
    server.kill(&rt).await;
    let at_kill = ins.stats();
    assert!(at_kill.rows_committed < PRODUCERS * PER, "{at_kill:?}");
    let server = OwnServer::start(&rt, config).await;
    for _ in 0..PRODUCERS {
        wdone_rx.recv().await.unwrap();
    }
    let stats = ins.end().await.unwrap();
    assert!(
        dead.lock().unwrap().is_empty(),
        "{:?}",
        dead.lock().unwrap()
    );
    assert!(stats.retries > 0, "{stats:?}");
    assert_eq!(stats.rows_committed, PRODUCERS * PER, "{stats:?}");
    let uncertain = std::mem::take(&mut *uncertain.lock().unwrap());
    assert_eq!(uncertain.len() as u64, stats.uncertain_batches);
    assert_eq!(
        uncertain.iter().map(|b| b.rows).sum::<u64>(),
        stats.uncertain_rows
    );
    let (count, _, distinct) = totals(&c, t).await;
    assert_eq!(count, distinct, "no row may be stored twice");
    let (_, stored) = c
        .query(format!("SELECT id FROM {t} ORDER BY id"))
        .fetch_all_rows()
        .await
        .unwrap();
    let stored: std::collections::HashSet<u64> = stored
        .iter()
        .map(|r| match r.as_slice() {
            [Value::UInt64(id)] => *id,
            other => panic!("{other:?}"),
        })
        .collect();
    let reported: std::collections::HashSet<u64> = ids_of(&uncertain).into_iter().collect();
    let unreported: Vec<u64> = (0..PRODUCERS * PER)
        .filter(|id| !stored.contains(id) && !reported.contains(id))
        .take(10)
        .collect();
    assert!(unreported.is_empty(), "rows lost silently: {unreported:?}…");
    println!(
        "killed mid-ingest: {} retries, {} uncertain batches, {} rows missing (all reported)",
        stats.retries,
        stats.uncertain_batches,
        PRODUCERS * PER - stored.len() as u64
    );
    server.kill(&rt).await;
}

/// Columns that record, with each row, the settings its insert ran with.
const SETTING_COLUMNS: &str = "(id UInt64, \
    ai String DEFAULT toString(getSetting('async_insert')), \
    wait String DEFAULT toString(getSetting('wait_for_async_insert')), \
    adaptive String DEFAULT toString(getSetting('async_insert_use_adaptive_busy_timeout')), \
    bmin String DEFAULT toString(getSetting('async_insert_busy_timeout_min_ms')), \
    bmax String DEFAULT toString(getSetting('async_insert_busy_timeout_max_ms')), \
    size String DEFAULT toString(getSetting('async_insert_max_data_size')), \
    num String DEFAULT toString(getSetting('async_insert_max_query_number')), \
    dedup String DEFAULT toString(getSetting('async_insert_deduplicate')), \
    token String DEFAULT toString(getSetting('insert_deduplication_token'))) \
    ENGINE = MergeTree ORDER BY id";

async fn settings_of(c: &Client, t: &str, id: u64) -> Vec<String> {
    let (_, rows) = c
        .query(format!(
            "SELECT ai, wait, adaptive, bmin, bmax, size, num, dedup, token FROM {t} WHERE id = {id}"
        ))
        .fetch_all_rows()
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "row {id}: {rows:?}");
    rows[0]
        .iter()
        .map(|v| match v {
            Value::String(s) => String::from_utf8(s.clone()).unwrap(),
            v => panic!("{v:?}"),
        })
        .collect()
}

fn id_block(id: u64) -> Block {
    Block::new(vec![(
        "id".into(),
        Column::from_values(&DataType::UInt64, vec![Value::UInt64(id)]).unwrap(),
    )])
    .unwrap()
}

#[chwire_tests::case]
pub async fn async_settings_reach_server(rt: Arc<dyn Runtime>, transport: Transport) {
    let setup = client(rt.clone(), transport).await;
    let t = table(&setup, "settings", SETTING_COLUMNS).await;
    // Per client.
    let per_client = AsyncInsertOptions::new()
        .busy_timeout(BusyTimeout::Fixed(Duration::from_millis(123)))
        .max_data_size(1_000_001)
        .max_query_number(77)
        .deduplicate(true);
    let c = client_builder(rt.clone(), transport)
        .async_insert(&per_client)
        .build()
        .unwrap();
    c.insert_block(&t, id_block(1)).await.unwrap();
    let got = settings_of(&c, &t, 1).await;
    assert_eq!(
        got[..8],
        [
            "true", "true", "false", "50", "123", "1000001", "77", "true"
        ]
    );

    // Per insert, over the client's.
    let per_insert = AsyncInsertOptions::new().busy_timeout(BusyTimeout::Adaptive {
        min: Duration::from_millis(11),
        max: Duration::from_millis(222),
    });
    let mut ins = c.insert_blocks(&t).async_insert(&per_insert);
    ins.write(id_block(2)).await.unwrap();
    ins.end().await.unwrap();
    let got = settings_of(&c, &t, 2).await;
    assert_eq!(
        got[..8],
        ["true", "true", "true", "11", "222", "1000001", "77", "true"]
    );

    // Per inserter: async options, and the automatic dedup and token.
    let inserter_opts = AsyncInsertOptions::new().max_query_number(5);
    let inserter = Inserter::builder(setup.clone(), &t)
        .columns(&[("id", "UInt64")])
        .async_insert(&inserter_opts)
        .build()
        .unwrap();
    inserter.write(&[Value::UInt64(3)]).await.unwrap();
    inserter.end().await.unwrap();
    let got = settings_of(&setup, &t, 3).await;
    assert_eq!(
        [&got[0], &got[1], &got[6], &got[7]],
        ["true", "true", "5", "true"]
    );
    assert!(got[8].len() > 36, "dedup token {:?}", got[8]);

    // An inserter without options turns async inserts off (26.9 defaults them on).
    let inserter = Inserter::builder(setup.clone(), &t)
        .columns(&[("id", "UInt64")])
        .build()
        .unwrap();
    inserter.write(&[Value::UInt64(4)]).await.unwrap();
    inserter.end().await.unwrap();
    assert_eq!(settings_of(&setup, &t, 4).await[0], "false");

    // Fire and forget: wait_for_async_insert=0 reaches the server; the row appears later
    // (poll with a deadline).
    let mut ff = setup
        .insert_blocks(&t)
        .async_insert(&AsyncInsertOptions::new().fire_and_forget());
    ff.write(id_block(6)).await.unwrap();
    ff.end().await.unwrap();
    let deadline = rt.now() + Duration::from_secs(30);
    loop {
        match setup.flush_async_insert_queue().await {
            Ok(()) => {}
            // The embedded server runs async inserts synchronously and has no queue to flush.
            Err(e) if e.server_code() == Some(36) => {}
            Err(e) => panic!("{e:?}"),
        }
        let (_, rows) = setup
            .query(format!("SELECT count() FROM {t} WHERE id = 6"))
            .fetch_all_rows()
            .await
            .unwrap();
        if rows == vec![vec![Value::UInt64(1)]] {
            break;
        }
        assert!(rt.now() < deadline, "fire-and-forget row never appeared");
        rt.sleep(Duration::from_millis(20)).await;
    }
    let got = settings_of(&setup, &t, 6).await;
    assert_eq!([&got[0], &got[1]], ["true", "false"]);
    // The queue is readable (empty after the flush on this server).
    let queue = setup.async_inserts().await.unwrap();
    assert!(queue.iter().all(|e| e.total_bytes > 0), "{queue:?}");
}

#[chwire_tests::case]
pub async fn dropped_without_end(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt.clone(), transport).await;
    let t = table(
        &c,
        "dropped",
        "(id UInt64, p UInt32) ENGINE = MergeTree ORDER BY id",
    )
    .await;
    let (orphans, handler) = collector();
    {
        let ins = Inserter::builder(c.clone(), &t)
            .columns(&[("id", "UInt64"), ("p", "UInt32")])
            .period(Duration::from_secs(3600))
            .orphan(handler)
            .build()
            .unwrap();
        for id in 0..5000u64 {
            ins.write(&row(id, 1)).await.unwrap();
        }
    }
    // The background flusher still sends the rows.
    let deadline = rt.now() + Duration::from_secs(30);
    while totals(&c, &t).await.0 < 5000 {
        assert!(
            rt.now() < deadline,
            "rows of a dropped inserter never arrived"
        );
        rt.sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(totals(&c, &t).await, expected_totals(0..5000));

    // Failures nobody can collect go to the orphan handler.
    let gone = table(
        &c,
        "gone2",
        "(id UInt64, p UInt32) ENGINE = MergeTree ORDER BY id",
    )
    .await;
    c.query(format!("DROP TABLE {gone}"))
        .execute()
        .await
        .unwrap();
    {
        let ins = Inserter::builder(c.clone(), &gone)
            .columns(&[("id", "UInt64"), ("p", "UInt32")])
            .orphan({
                let o = orphans.clone();
                move |b| o.lock().unwrap().push(b)
            })
            .build()
            .unwrap();
        ins.write(&row(7, 7)).await.unwrap();
    }
    let deadline = rt.now() + Duration::from_secs(30);
    while orphans.lock().unwrap().is_empty() {
        assert!(rt.now() < deadline, "the failed batch was lost");
        rt.sleep(Duration::from_millis(10)).await;
    }
    let o = orphans.lock().unwrap();
    assert_eq!(o.len(), 1);
    assert_eq!(o[0].values().unwrap(), vec![row(7, 7)]);
}

/// `write_block` re-lays a block whose column types are the inserter's a column at a time, and
/// takes a block of other types that encode as the inserter's value by value (a
/// `LowCardinality(String)` block into a `String` column); both read back exactly.
#[chwire_tests::case]
pub async fn blocks_of_every_layout(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt.clone(), transport).await;
    let columns = "id UInt64, name String, tags Array(String), score Nullable(Float64)";
    let t = table(
        &c,
        "blocks",
        &format!("({columns}) ENGINE = MergeTree ORDER BY id"),
    )
    .await;
    let ins = Inserter::builder(c.clone(), &t)
        .columns(&[
            ("id", "UInt64"),
            ("name", "String"),
            ("tags", "Array(String)"),
            ("score", "Nullable(Float64)"),
        ])
        .build()
        .unwrap();
    let column = |ty: &str, values: Vec<Value>| {
        Column::from_values(&DataType::parse(ty).unwrap(), values).unwrap()
    };
    let block = |first: u64, name_type: &str| {
        let ids = first..first + 3;
        Block::new(vec![
            (
                "id".into(),
                column("UInt64", ids.clone().map(Value::UInt64).collect()),
            ),
            (
                "name".into(),
                column(
                    name_type,
                    ids.clone()
                        .map(|i| Value::String(format!("n\t{i}").into_bytes()))
                        .collect(),
                ),
            ),
            (
                "tags".into(),
                column(
                    "Array(String)",
                    ids.clone()
                        .map(|i| {
                            Value::Array(
                                (0..i % 3)
                                    .map(|k| Value::String(vec![b'a' + k as u8]))
                                    .collect(),
                            )
                        })
                        .collect(),
                ),
            ),
            (
                "score".into(),
                column(
                    "Nullable(Float64)",
                    ids.map(|i| match i % 2 {
                        0 => Value::Null,
                        _ => Value::Float64(i as f64 / 4.0),
                    })
                    .collect(),
                ),
            ),
        ])
        .unwrap()
    };
    ins.write_block(&block(0, "String")).await.unwrap();
    ins.write_block(&block(3, "LowCardinality(String)"))
        .await
        .unwrap();
    ins.end().await.unwrap();
    let (_, rows) = c
        .query(format!(
            "SELECT toString(id), name, toString(tags), ifNull(toString(score), 'NULL') FROM {t} ORDER BY id"
        ))
        .fetch_all_rows()
        .await
        .unwrap();
    let text = |v: &Value| match v {
        Value::String(s) => String::from_utf8(s.clone()).unwrap(),
        v => panic!("{v:?}"),
    };
    let got: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(text).collect()).collect();
    let want: Vec<Vec<String>> = (0..6u64)
        .map(|i| {
            let tags: Vec<String> = (0..i % 3)
                .map(|k| format!("'{}'", (b'a' + k as u8) as char))
                .collect();
            let score = match i % 2 {
                0 => "NULL".to_string(),
                _ => (i as f64 / 4.0).to_string(),
            };
            vec![
                i.to_string(),
                format!("n\t{i}"),
                format!("[{}]", tags.join(",")),
                score,
            ]
        })
        .collect();
    assert_eq!(got, want);
}
