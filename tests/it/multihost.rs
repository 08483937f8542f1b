//! Several endpoints per client: the harness' server plus a second one started here. The
//! servers are told apart by `tcpPort()` (each has its own native port).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chwire::{Client, LoadBalancing, Value};
use chwire_rt::Runtime;
use chwire_tests::{OwnServer, Transport, http_url, tcp_addr};
use xtask::server::free_port_pair;

/// The native port of the server that answered.
async fn port_of(c: &Client) -> u16 {
    let (_, rows) = c
        .query("SELECT tcpPort()")
        .fetch_all_rows()
        .await
        .expect("a query through a healthy endpoint");
    match rows[0][0] {
        Value::UInt16(p) => p,
        ref other => panic!("tcpPort() = {other:?}"),
    }
}

async fn spread(c: &Client, n: usize) -> HashMap<u16, usize> {
    let mut seen = HashMap::new();
    for _ in 0..n {
        *seen.entry(port_of(c).await).or_default() += 1;
    }
    seen
}

/// The URL of the server with HTTP URL `http` and native port `tcp` for `transport`.
fn url_for(transport: Transport, http: String, tcp: u16) -> String {
    match transport {
        Transport::Http => http,
        Transport::Native => format!("clickhouse://127.0.0.1:{tcp}"),
    }
}

#[chwire_tests::case]
pub async fn failover_and_round_robin(rt: Arc<dyn Runtime>, transport: Transport) {
    let config = OwnServer::free_config();
    let server = OwnServer::start(&rt, config.clone()).await;
    let a_port = tcp_addr().port();
    let a_url = url_for(transport, http_url(), a_port);
    let b_port = config.tcp_port;
    let b_url = url_for(transport, server.http_url(), b_port);
    let backoff = Duration::from_millis(300);
    let round_robin = Client::builder(rt.clone())
        .urls([&a_url, &b_url])
        .load_balancing(LoadBalancing::RoundRobin)
        .endpoint_backoff(backoff, backoff * 2)
        .build()
        .unwrap();
    let in_order = Client::builder(rt.clone())
        .url(&b_url)
        .add_url(&a_url)
        .endpoint_backoff(backoff, backoff * 2)
        .build()
        .unwrap();

    // Round robin spreads the load evenly; in order sticks to the first endpoint.
    let seen = spread(&round_robin, 10).await;
    assert_eq!(seen.get(&a_port), Some(&5), "{seen:?}");
    assert_eq!(seen.get(&b_port), Some(&5), "{seen:?}");
    assert_eq!(spread(&in_order, 4).await, HashMap::from([(b_port, 4)]));
    let stats = round_robin.endpoint_stats();
    assert_eq!(stats.len(), 2);
    assert!(
        stats.iter().all(|s| s.healthy && s.pool.connects >= 1),
        "{stats:?}"
    );

    // Second server killed: every query still succeeds, through the first.
    server.kill(&rt).await;
    assert_eq!(
        spread(&round_robin, 10).await,
        HashMap::from([(a_port, 10)])
    );
    assert_eq!(spread(&in_order, 4).await, HashMap::from([(a_port, 4)]));
    let stats = round_robin.endpoint_stats();
    assert!(stats[0].healthy, "{stats:?}");
    assert!(stats[1].consecutive_failures >= 1, "{stats:?}");

    // Restarted: used again once its back-off has passed.
    let server = OwnServer::start(&rt, config).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        rt.sleep(backoff).await;
        let rr = spread(&round_robin, 4).await;
        let io = port_of(&in_order).await;
        if rr.get(&b_port).is_some_and(|&n| n >= 1) && io == b_port {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "restarted endpoint not used again: {rr:?}, in order {io}"
        );
    }
    assert!(round_robin.endpoint_stats()[1].healthy);
    server.kill(&rt).await;
}

/// Every endpoint down: the error is the last connect failure, quickly.
#[chwire_tests::case]
pub async fn all_endpoints_down(rt: Arc<dyn Runtime>, transport: Transport) {
    let (p1, p2) = free_port_pair().unwrap();
    let c = Client::builder(rt)
        .urls([
            url_for(transport, format!("http://127.0.0.1:{p1}"), p1),
            url_for(transport, format!("http://127.0.0.1:{p2}"), p2),
        ])
        .build()
        .unwrap();
    let e = c.query("SELECT 1").execute().await.unwrap_err();
    assert!(e.is_connect(), "{e:?}");
    assert!(c.endpoint_stats().iter().all(|s| !s.healthy));
}
