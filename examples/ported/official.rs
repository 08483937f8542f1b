//! The port's starting point: a small service written against the official `clickhouse`
//! crate 0.15 (its idioms: `?` binding, `?fields`, `Identifier`, a server-side parameter,
//! typed inserts, the `Inserter`, `fetch_one::<u64>()`, error matching). `chwire.rs` beside it
//! is the same service on chwire; docs/porting.md compares them.
//! `cargo run -p chwire-examples --example ported_official`.

use clickhouse::error::Error;
use clickhouse::sql::Identifier;
use clickhouse::{Client, Row};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Row, Serialize, Deserialize)]
struct Event {
    id: u64,
    name: String,
    tags: Vec<String>,
}

fn event(id: u64) -> Event {
    Event {
        id,
        name: format!("event-{id}"),
        tags: vec!["t".into(); (id % 3) as usize],
    }
}

async fn run(client: &Client, table: &str) -> Result<(), Error> {
    client
        .query("DROP TABLE IF EXISTS ?")
        .bind(Identifier(table))
        .execute()
        .await?;
    client
        .query("CREATE TABLE ? (id UInt64, name String, tags Array(String)) ENGINE = MergeTree ORDER BY id")
        .bind(Identifier(table))
        .execute()
        .await?;

    let mut insert = client.insert::<Event>(table).await?;
    for id in 0..1000 {
        insert.write(&event(id)).await?;
    }
    insert.end().await?;

    let mut inserter = client.inserter::<Event>(table).with_max_rows(250);
    for id in 1000..2000 {
        inserter.write(&event(id)).await?;
        inserter.commit().await?;
    }
    inserter.end().await?;

    let count = client
        .query("SELECT count() FROM ?")
        .bind(Identifier(table))
        .fetch_one::<u64>()
        .await?;
    let some = client
        .query("SELECT ?fields FROM ? WHERE id BETWEEN ? AND ? ORDER BY id")
        .bind(Identifier(table))
        .bind(10)
        .bind(14)
        .fetch_all::<Event>()
        .await?;
    let named = client
        .query("SELECT count() FROM ? WHERE name = {name:String}")
        .bind(Identifier(table))
        .param("name", "event-1007")
        .fetch_one::<u64>()
        .await?;
    let missing = match client
        .query("SELECT 1 FROM no_such_table_here")
        .execute()
        .await
    {
        Err(Error::BadResponse(message)) => message.contains("UNKNOWN_TABLE"),
        _ => false,
    };
    client
        .query("DROP TABLE ?")
        .bind(Identifier(table))
        .execute()
        .await?;

    println!(
        "ported_official: {count} rows, {} in range, {named} named, missing table seen: {missing}",
        some.len()
    );
    let expected: Vec<Event> = (10..15).map(event).collect();
    if count != 2000 || some != expected || named != 1 || !missing {
        return Err(Error::Custom("unexpected results".into()));
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::default().with_url(chwire_examples::server_url());
    run(&client, &format!("ported_official_{}", std::process::id())).await?;
    Ok(())
}
