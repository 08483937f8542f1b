//! In-band Cancel over the native transport (issue 15): a result dropped before its end, or
//! killed through its `CancelHandle`, sends the protocol's Cancel on its own connection; the
//! connection is drained in the background and reused, or closed when the drain passes its
//! bound. Native only: HTTP has no packet to cancel with on the request's connection (it
//! sends `KILL QUERY`, see `cancel.rs`). With one connection per host, the pool's counters
//! show whether the next query reused the cancelled query's connection.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chwire::{Client, Value};
use chwire_rt::Runtime;
use chwire_tests::{native_url, unique_name};

/// Endless for a test: rows stream as fast as the client reads them.
const BIG: &str = "SELECT number FROM numbers(10000000000)";

fn one_connection(rt: Arc<dyn Runtime>) -> Client {
    Client::builder(rt)
        .url(native_url())
        .pool_max_connections_per_host(1)
        .build()
        .unwrap()
}

async fn running(c: &Client, id: &str) -> bool {
    let (_, rows) = c
        .query("SELECT count() FROM system.processes WHERE query_id = {id:String}")
        .param("id", id)
        .fetch_all_rows()
        .await
        .unwrap();
    rows[0][0] != Value::UInt64(0)
}

/// Polls `system.processes` (on `c`, so on its one connection) until `id` is gone.
async fn wait_gone(rt: &Arc<dyn Runtime>, c: &Client, id: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while running(c, id).await {
        assert!(
            Instant::now() < deadline,
            "query {id} still running after 20 s"
        );
        rt.sleep(Duration::from_millis(20)).await;
    }
}

#[derive(Debug, PartialEq, chwire::Row, serde::Deserialize)]
struct Number {
    number: u64,
}

/// The client's one connection answers the next query with the right value.
async fn answers(c: &Client) {
    let n: Number = c
        .query("SELECT toUInt64(42) AS number")
        .fetch_one()
        .await
        .unwrap();
    assert_eq!(n, Number { number: 42 });
}

/// Each kind of result stream (blocks, typed rows, dynamic rows, Native bytes), dropped after
/// its first item and, for blocks, once decoding has moved off-loop: the query leaves
/// `system.processes` and every later query runs on the first connection (one connect, the
/// rest reuses).
#[chwire_tests::case]
pub async fn dropped_streams_cancel_and_reuse_the_connection(rt: Arc<dyn Runtime>) {
    let c = one_connection(rt.clone());
    answers(&c).await;
    for kind in ["blocks", "offloaded", "typed", "rows", "bytes"] {
        let id = unique_name("nc_drop");
        let q = c.query(BIG).query_id(&id);
        match kind {
            "blocks" => {
                let mut s = q.fetch_blocks().await.unwrap();
                assert!(s.next().await.unwrap().unwrap().rows > 0);
            }
            "offloaded" => {
                let mut s = q.fetch_blocks().await.unwrap();
                while !s.stats().offloaded {
                    s.next().await.unwrap().unwrap();
                }
            }
            "typed" => {
                let mut s = q.fetch::<Number>().await.unwrap();
                assert_eq!(s.next().await.unwrap().unwrap(), Number { number: 0 });
            }
            "rows" => {
                let mut s = q.fetch_rows().await.unwrap();
                assert_eq!(s.next().await.unwrap().unwrap()[0], Value::UInt64(0));
            }
            _ => {
                let mut s = q.fetch_bytes("Native").await.unwrap();
                assert!(!s.next().await.unwrap().unwrap().is_empty());
            }
        }
        wait_gone(&rt, &c, &id).await;
        answers(&c).await;
    }
    let stats = c.pool_stats();
    assert_eq!((stats.connects, stats.open), (1, 1), "{stats:?}");
    assert!(stats.reuses >= 10, "{stats:?}");
}

/// `CancelHandle::kill` while the result streams: the Cancel goes on the query's own
/// connection, the stream ends with `QUERY_WAS_CANCELLED` after the rows already sent, and
/// that connection serves the next query.
#[chwire_tests::case]
pub async fn kill_cancels_in_band_and_reuses_the_connection(rt: Arc<dyn Runtime>) {
    let c = one_connection(rt.clone());
    let id = unique_name("nc_kill");
    let q = c.query(BIG).query_id(&id);
    let handle = q.cancel_handle();
    let mut s = q.fetch_blocks().await.unwrap();
    let mut rows = s.next().await.unwrap().unwrap().rows;
    handle.kill().await.unwrap();
    let e = loop {
        match s.next().await {
            Some(Ok(b)) => rows += b.rows,
            Some(Err(e)) => break e,
            None => panic!("the cancelled stream ended cleanly after {rows} rows"),
        }
    };
    assert_eq!(e.server_code(), Some(394), "{e:?}");
    assert!(e.to_string().contains("in-band"), "{e}");
    assert!(rows > 0 && rows < 10_000_000_000);
    drop(s);
    wait_gone(&rt, &c, &id).await;
    answers(&c).await;
    let stats = c.pool_stats();
    assert_eq!(stats.connects, 1, "{stats:?}");
}

/// A query that cannot stop within the drain's time bound (5 s; one `sleep(9)` block, which
/// the server does not interrupt) after its stream is dropped: the drain gives up and closes the
/// connection; the next query opens a new one and works.
#[chwire_tests::case]
pub async fn drain_past_its_bound_closes_the_connection(rt: Arc<dyn Runtime>) {
    let c = one_connection(rt.clone());
    answers(&c).await;
    let id = unique_name("nc_bound");
    let s = c
        .query("SELECT sleep(9) AS x")
        .setting("function_sleep_max_microseconds_per_block", 9_000_000)
        .query_id(&id)
        .fetch_blocks()
        .await
        .unwrap();
    drop(s);
    answers(&c).await;
    let stats = c.pool_stats();
    assert_eq!((stats.connects, stats.open), (2, 1), "{stats:?}");
    wait_gone(&rt, &c, &id).await;
}
