//! A streaming insert of many blocks in one request: each block is encoded (and compressed)
//! while the previous one is on the wire; nothing is committed until `end()`.
//! `cargo run -p chwire-examples --example inserts`.

use chwire::{Block, Client, Column, ColumnData, DataType};
use chwire_examples::{BoxError, create_table, server_url};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let client = Client::builder(chwire_tokio::runtime()?)
        .url(server_url())
        .build()?;
    create_table(
        &client,
        "example_inserts",
        "(x UInt64) ENGINE = MergeTree ORDER BY x",
    )
    .await?;
    let mut insert = client.insert_blocks("example_inserts");
    for part in 0..10u64 {
        let values = (part * 10_000..(part + 1) * 10_000).collect();
        let column = Column::new(DataType::UInt64, ColumnData::U64(values))?;
        insert
            .write(Block::new(vec![("x".into(), column)])?)
            .await?;
    }
    let summary = insert.end().await?;
    assert_eq!(summary.written_rows, 100_000);
    let count: Vec<Count> = client
        .query("SELECT count() AS n FROM example_inserts")
        .fetch_all()
        .await?;
    assert_eq!(count[0].n, 100_000);
    println!("inserts: {} rows in one request", summary.written_rows);
    Ok(())
}

#[derive(chwire::Row, serde::Deserialize)]
struct Count {
    n: u64,
}
