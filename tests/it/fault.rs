//! Faults with a server of our own: killed mid-stream, stale pooled connections after a
//! restart.

use std::sync::Arc;
use std::time::Duration;

use chwire::{Client, Value};
use chwire_rt::{Runtime, RuntimeExt};
use chwire_tests::OwnServer;

async fn one(c: &Client) -> Vec<Vec<Value>> {
    c.query("SELECT 1").fetch_all_rows().await.unwrap().1
}

#[chwire_tests::case]
pub async fn killed_and_restarted(rt: Arc<dyn Runtime>) {
    let config = OwnServer::free_config();
    let server = OwnServer::start(&rt, config.clone()).await;
    let url = server.http_url();
    let probing = Client::builder(rt.clone()).url(&url).build().unwrap();
    let retrying = Client::builder(rt.clone())
        .url(&url)
        .pool_liveness_check(false)
        // Kept idle across a restart: longer than the 10 s default, which a slow restart
        // under load exceeded (then the pool dropped it instead of retrying on it).
        .pool_idle_timeout(Duration::from_secs(600))
        .build()
        .unwrap();
    assert_eq!(one(&probing).await, vec![vec![Value::UInt8(1)]]);
    assert_eq!(probing.pool_stats().idle, 1);

    // Killed mid-stream: a typed error, no hang.
    let streaming = Client::builder(rt.clone()).url(&url).build().unwrap();
    let mut s = streaming
        .query("SELECT number FROM system.numbers")
        .fetch_blocks()
        .await
        .unwrap();
    s.next().await.unwrap().unwrap();
    // Pooled as late as possible: the server's `Keep-Alive: timeout=30` expires idle
    // connections in the pool, and under load a restart can take a good part of that.
    assert_eq!(one(&retrying).await, vec![vec![Value::UInt8(1)]]);
    server.kill(&rt).await;
    let outcome = rt
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
        .expect("the stream hung after the server died");
    let e = outcome.expect("the stream ended cleanly although the server died");
    assert!(e.is_connection(), "{e:?}");

    // Restart on the same ports: pooled connections are stale now.
    let server = OwnServer::start(&rt, config).await;
    assert_eq!(one(&probing).await, vec![vec![Value::UInt8(1)]]);
    assert!(
        probing.pool_stats().discarded >= 1,
        "{:?}",
        probing.pool_stats()
    );
    assert_eq!(one(&retrying).await, vec![vec![Value::UInt8(1)]]);
    assert_eq!(
        retrying.pool_stats().retries,
        1,
        "{:?}",
        retrying.pool_stats()
    );
    server.kill(&rt).await;
}
