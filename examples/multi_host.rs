//! Several servers: failover in order (or round robin); a request moves to the next endpoint
//! only when it failed before anything was sent. Here the first URL has no server.
//! `cargo run -p chwire-examples --example multi_host`.

use chwire::{Client, LoadBalancing};
use chwire_examples::{BoxError, server_url};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    // Port 1 on localhost: nothing listens, so connecting fails at once.
    let client = Client::builder(chwire_tokio::runtime()?)
        .urls(["http://127.0.0.1:1".to_string(), server_url()])
        .load_balancing(LoadBalancing::InOrder)
        .build()?;
    let one: u8 = client
        .query("SELECT 1 AS one")
        .fetch_one::<One>()
        .await?
        .one;
    assert_eq!(one, 1);
    let stats = client.endpoint_stats();
    assert!(!stats[0].healthy && stats[1].healthy, "{stats:?}");
    for endpoint in &stats {
        println!(
            "multi host: {} healthy={}",
            endpoint.address, endpoint.healthy
        );
    }
    Ok(())
}

#[derive(chwire::Row, serde::Deserialize)]
struct One {
    one: u8,
}
