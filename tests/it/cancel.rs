//! Cancellation frees server work: dropped futures and inserts send `KILL QUERY`, and a
//! `CancelHandle` kills on demand. The query is polled in `system.processes` by its id.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chwire::{Client, Value};
use chwire_rt::{Runtime, RuntimeExt};
use chwire_tests::{Transport, client_builder, unique_name};

/// Runs 50 s unless killed; with `wait_end_of_query` (see [`slow`]) the server does not write
/// before the end, so a closed connection alone goes unnoticed.
const SLOW: &str = "SELECT sleepEachRow(0.5) FROM numbers(100) SETTINGS max_block_size = 1";

fn slow(c: &Client) -> chwire::Query {
    c.query(SLOW).setting("wait_end_of_query", 1)
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

async fn wait_until(rt: &Arc<dyn Runtime>, c: &Client, id: &str, want_running: bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while running(c, id).await != want_running {
        assert!(
            Instant::now() < deadline,
            "query {id} running != {want_running} after 20 s"
        );
        rt.sleep(Duration::from_millis(20)).await;
    }
}

#[chwire_tests::case]
pub async fn dropped_future_kills_query(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client_builder(rt.clone(), transport)
        .kill_query_on_drop(true)
        .build()
        .unwrap();
    let probe = client_builder(rt.clone(), transport).build().unwrap();
    // A fetch dropped before its first row: over HTTP while waiting for the head; over
    // native, whose header block comes at once, while waiting for the first data block (the
    // stream's drop sends Cancel in-band).
    let id = unique_name("drop_fetch");
    let q = slow(&c).query_id(&id);
    let fetch = async {
        let mut blocks = q.fetch_blocks().await?;
        blocks.next().await.transpose()
    };
    let fut = rt.timeout(Duration::from_millis(300), fetch);
    assert!(fut.await.is_err(), "the slow query answered");
    wait_until(&rt, &probe, &id, false).await;

    // execute() of an INSERT … SELECT dropped the same way.
    let table = unique_name("drop_exec");
    probe
        .query(format!("CREATE TABLE {table} (x UInt8) ENGINE = Memory"))
        .execute()
        .await
        .unwrap();
    let id = unique_name("drop_exec");
    let q = c
        .query(format!(
            "INSERT INTO {table} SELECT sleepEachRow(0.5) FROM numbers(100) \
             SETTINGS max_block_size = 1"
        ))
        .query_id(&id);
    assert!(
        rt.timeout(Duration::from_millis(300), q.execute())
            .await
            .is_err()
    );
    wait_until(&rt, &probe, &id, false).await;
    probe
        .query(format!("DROP TABLE {table}"))
        .execute()
        .await
        .unwrap();
}

#[chwire_tests::case]
pub async fn dropped_insert_kills_query(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client_builder(rt.clone(), transport)
        .kill_query_on_drop(true)
        .build()
        .unwrap();
    let table = unique_name("drop_ins");
    c.query(format!("CREATE TABLE {table} (x UInt64) ENGINE = Memory"))
        .execute()
        .await
        .unwrap();
    let block = c
        // Incompressible and larger than the server's read buffer: the server parses the
        // INSERT (and lists it in system.processes) only once it has read enough of the body.
        .query("SELECT rand64() AS x FROM numbers(300000)")
        .fetch_all_blocks()
        .await
        .unwrap()
        .remove(0);
    let id = unique_name("drop_ins");
    let mut insert = c.insert_blocks(table.as_str()).query_id(&id);
    insert.write(block.clone()).await.unwrap();
    insert.write(block).await.unwrap();
    wait_until(&rt, &c, &id, true).await;
    drop(insert);
    wait_until(&rt, &c, &id, false).await;
    c.query(format!("DROP TABLE {table}"))
        .execute()
        .await
        .unwrap();
}

#[chwire_tests::case]
pub async fn cancel_handle_kills_query(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client_builder(rt.clone(), transport).build().unwrap();
    let q = slow(&c);
    let handle = q.cancel_handle();
    assert_eq!(handle.query_id(), None);
    let started = Instant::now();
    let killer = {
        let rt = rt.clone();
        let handle = handle.clone();
        async move {
            rt.sleep(Duration::from_millis(300)).await;
            handle.kill().await.unwrap();
        }
    };
    let (result, ()) = futures_util::future::join(q.fetch_all_rows(), killer).await;
    let e = result.unwrap_err();
    assert_eq!(e.server_code(), Some(394), "{e:?}"); // QUERY_WAS_CANCELLED
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(handle.query_id().is_some());
}
