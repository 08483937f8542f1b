//! Typed rows: a struct with `#[derive(Row)]` and serde, inserted and streamed back.
//! `cargo run -p chwire-examples --example typed_rows` (server: `CHWIRE_HTTP_URL`).

use chwire::{Client, Row};
use chwire_examples::{BoxError, create_table, server_url};
use serde::{Deserialize, Serialize};

#[derive(Debug, PartialEq, Row, Serialize, Deserialize)]
struct Event {
    id: u64,
    name: String,
    tags: Vec<String>,
    score: Option<f64>,
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let client = Client::builder(chwire_tokio::runtime()?)
        .url(server_url())
        .build()?;
    create_table(
        &client,
        "example_typed",
        "(id UInt64, name String, tags Array(String), \
             score Nullable(Float64)) ENGINE = MergeTree ORDER BY id",
    )
    .await?;

    let events: Vec<Event> = (0..3)
        .map(|id| Event {
            id,
            name: format!("event-{id}"),
            tags: vec!["a".into(); id as usize],
            score: (id % 2 == 0).then_some(id as f64 / 2.0),
        })
        .collect();
    let mut insert = client.insert::<Event>("example_typed").await?;
    for event in &events {
        insert.write(event).await?;
    }
    insert.end().await?;

    // A cursor streams rows as they arrive; `next()` needs no trait import.
    let mut cursor = client
        .query("SELECT id, name, tags, score FROM example_typed ORDER BY id")
        .fetch::<Event>()
        .await?;
    let mut read = Vec::new();
    while let Some(event) = cursor.next().await {
        read.push(event?);
    }
    assert_eq!(read, events);
    println!("typed rows: wrote and read back {} events", read.len());
    Ok(())
}
