//! Faults of the native transport with a server of our own: killed mid-select and
//! mid-insert, a stale pooled connection after a restart, an idle pooled connection the
//! server closed past its idle timeout, a RowBinary insert right after a failed one. (A block
//! insert right after a failed one and a 10 000-block insert are in `native_transport`.)

use std::sync::Arc;
use std::time::Duration;

use chwire::{Block, Client, Column, DataType, Format, Value};
use chwire_rt::{Runtime, RuntimeExt};
use chwire_tests::OwnServer;
use serde::Serialize;

fn numbers(from: u64, rows: u64) -> Block {
    let column = Column::from_values(&DataType::UInt64, (from..from + rows).map(Value::UInt64));
    Block::new(vec![("x".into(), column.unwrap())]).unwrap()
}

fn native(rt: &Arc<dyn Runtime>, tcp_port: u16) -> chwire::ClientBuilder {
    Client::builder(rt.clone()).url(format!("clickhouse://127.0.0.1:{tcp_port}"))
}

async fn one(c: &Client) -> Vec<Vec<Value>> {
    c.query("SELECT 1").fetch_all_rows().await.unwrap().1
}

async fn count_and_distinct(c: &Client, t: &str) -> Vec<Vec<Value>> {
    c.query(format!("SELECT count(), uniqExact(x) FROM {t}"))
        .fetch_all_rows()
        .await
        .unwrap()
        .1
}

/// The server killed while a select streams and while an insert sends: both end in a typed
/// connection error within a bound (no hang, no panic), and the insert's rows are never
/// reported written. After a restart on the same ports (and data), a client whose pooled
/// connection went stale gets its next query answered on a fresh connection, and the table
/// holds no row twice.
#[chwire_tests::case]
pub async fn killed_mid_select_and_mid_insert_then_restarted(rt: Arc<dyn Runtime>) {
    let config = OwnServer::free_config();
    let server = OwnServer::start(&rt, config.clone()).await;
    let port = config.tcp_port;
    let c = native(&rt, port)
        .pool_liveness_check(false)
        .pool_idle_timeout(Duration::from_secs(600))
        .build()
        .unwrap();
    let t = "default.native_faults_killed";
    c.query(format!(
        "CREATE TABLE {t} (x UInt64) ENGINE = MergeTree ORDER BY x"
    ))
    .execute()
    .await
    .unwrap();

    let streaming = native(&rt, port).build().unwrap();
    let mut s = streaming
        .query("SELECT number FROM system.numbers")
        .fetch_blocks()
        .await
        .unwrap();
    let first = s.next().await.unwrap().unwrap();
    assert_eq!(first.columns[0].1.get(0), Value::UInt64(0));

    let inserting = native(&rt, port).build().unwrap();
    let mut ins = inserting.insert_blocks(t);
    let mut sent = 0u64;
    for b in 0..10u64 {
        ins.write(numbers(b * 1000, 1000)).await.unwrap();
        sent += 1000;
    }
    // Pooled: stale after the restart.
    assert_eq!(one(&c).await, vec![vec![Value::UInt8(1)]]);
    server.kill(&rt).await;

    let select_error = rt
        .timeout(Duration::from_secs(30), async {
            loop {
                match s.next().await {
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => return Some(e),
                    None => return None,
                }
            }
        })
        .await
        .expect("the select hung after the server died")
        .expect("the select ended cleanly although the server died");
    assert!(select_error.is_connection(), "{select_error:?}");

    let insert_outcome = rt
        .timeout(Duration::from_secs(30), async {
            for b in 10..1000u64 {
                ins.write(numbers(b * 1000, 1000)).await?;
                sent += 1000;
            }
            ins.end().await
        })
        .await
        .expect("the insert hung after the server died");
    let insert_error = insert_outcome.expect_err("an insert to a dead server succeeded");
    assert!(insert_error.is_connection(), "{insert_error:?}");

    let server = OwnServer::start(&rt, config).await;
    assert_eq!(one(&c).await, vec![vec![Value::UInt8(1)]]);
    let stats = c.pool_stats();
    assert!(stats.connects >= 2, "{stats:?}");
    // Blocks the server had taken may have been written as parts before it died: never more
    // rows than were sent, never one twice.
    let rows = count_and_distinct(&c, t).await;
    let (Value::UInt64(count), Value::UInt64(distinct)) = (&rows[0][0], &rows[0][1]) else {
        panic!("{rows:?}");
    };
    assert!(*count <= sent, "{count} rows stored, {sent} sent");
    assert_eq!(count, distinct);
    // The restarted server takes inserts again.
    c.query(format!("TRUNCATE TABLE {t}"))
        .execute()
        .await
        .unwrap();
    c.insert_block(t, numbers(0, 5)).await.unwrap();
    assert_eq!(
        count_and_distinct(&c, t).await,
        vec![vec![Value::UInt64(5), Value::UInt64(5)]]
    );
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
    server.kill(&rt).await;
}

/// A pooled connection idle past the server's `idle_connection_timeout` (set to 1 s for the
/// client's queries; the server reads it from the connection's last query) is closed by the
/// server; the next query runs on a fresh connection and reads its rows back.
#[chwire_tests::case]
pub async fn idle_pooled_connection_past_the_idle_timeout(rt: Arc<dyn Runtime>) {
    let config = OwnServer::free_config();
    let server = OwnServer::start(&rt, config.clone()).await;
    let c = native(&rt, config.tcp_port)
        .setting("idle_connection_timeout", 1)
        .pool_idle_timeout(Duration::from_secs(600))
        .build()
        .unwrap();
    assert_eq!(one(&c).await, vec![vec![Value::UInt8(1)]]);
    assert_eq!(c.pool_stats().idle, 1);
    // Waiting out the server's timeout is the fault itself, not a synchronisation.
    rt.sleep(Duration::from_secs(3)).await;
    let (_, rows) = c
        .query("SELECT number FROM numbers(3)")
        .fetch_all_rows()
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![
            vec![Value::UInt64(0)],
            vec![Value::UInt64(1)],
            vec![Value::UInt64(2)]
        ]
    );
    let stats = c.pool_stats();
    assert_eq!(
        stats.connects, 2,
        "the server did not close the idle connection: {stats:?}"
    );
    assert!(stats.discarded + stats.retries >= 1, "{stats:?}");
    server.kill(&rt).await;
}

#[derive(Debug, chwire::Row, Serialize)]
struct Tagged {
    x: u64,
    tag: String,
}

/// A RowBinary insert (typed rows, `Format::RowBinary`) the server fails mid-body (a CHECK
/// constraint) leaves the client's single pooled connection usable or replaced: the next
/// RowBinary insert commits, and only its rows are stored.
#[chwire_tests::case]
pub async fn rowbinary_insert_after_a_failed_one(rt: Arc<dyn Runtime>) {
    let c = Client::builder(rt.clone())
        .url(chwire_tests::native_url())
        .pool_max_connections_per_host(1)
        .build()
        .unwrap();
    c.query(format!(
        "CREATE DATABASE IF NOT EXISTS {}",
        crate::query::DB
    ))
    .execute()
    .await
    .unwrap();
    let t = format!(
        "{}.{}",
        crate::query::DB,
        chwire_tests::unique_name("native_rb_fail")
    );
    c.query(format!(
        "CREATE TABLE {t} (x UInt64, tag String, CONSTRAINT small CHECK x < 1000) \
         ENGINE = MergeTree ORDER BY x"
    ))
    .execute()
    .await
    .unwrap();
    let insert = |from: u64, rows: u64| {
        let c = c.clone();
        let t = t.clone();
        async move {
            let mut ins = c.insert::<Tagged>(&t).await?.format(Format::RowBinary);
            for x in from..from + rows {
                ins.write(&Tagged {
                    x,
                    tag: format!("t{x}"),
                })
                .await?;
            }
            ins.end().await
        }
    };
    let e = insert(990, 20).await.unwrap_err();
    assert!(e.is_server(), "{e:?}");
    let s = insert(0, 100).await.unwrap();
    assert_eq!(s.written_rows, 100);
    let (_, rows) = c
        .query(format!("SELECT count(), sum(x), min(tag), max(x) FROM {t}"))
        .fetch_all_rows()
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![vec![
            Value::UInt64(100),
            Value::UInt64(99 * 100 / 2),
            Value::String(b"t0".to_vec()),
            Value::UInt64(99)
        ]]
    );
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}
