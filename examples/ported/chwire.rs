//! The port: `official.rs`'s service on chwire, changed only where the APIs differ (the
//! runtime passed to the builder, the `Inserter` built once and shared, error codes as
//! numbers). docs/porting.md compares the two.
//! `cargo run -p chwire-examples --example ported_chwire`.

use chwire::{Client, Error, Identifier, Inserter, Row, error_codes};
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

async fn run(client: &Client, table: &str) -> Result<(), Box<dyn std::error::Error>> {
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

    let inserter = Inserter::builder(client.clone(), table)
        .columns_of::<Event>()
        .await?
        .max_rows(250)
        .build()?;
    for id in 1000..2000 {
        inserter.write_row(&event(id)).await?;
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
        Err(e @ Error::Server(_)) => e.server_code() == Some(error_codes::UNKNOWN_TABLE),
        _ => false,
    };
    client
        .query("DROP TABLE ?")
        .bind(Identifier(table))
        .execute()
        .await?;

    println!(
        "ported_chwire: {count} rows, {} in range, {named} named, missing table seen: {missing}",
        some.len()
    );
    let expected: Vec<Event> = (10..15).map(event).collect();
    if count != 2000 || some != expected || named != 1 || !missing {
        return Err("unexpected results".into());
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder(chwire_tokio::runtime()?)
        .url(chwire_examples::server_url())
        .build()?;
    run(&client, &format!("ported_chwire_{}", std::process::id())).await?;
    Ok(())
}
