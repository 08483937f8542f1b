//! Columnar blocks: build a Native `Block`, insert it, read blocks back.
//! `cargo run -p chwire-examples --example blocks` (server: `CHWIRE_HTTP_URL`).

use chwire::{Block, Client, Column, ColumnData, DataType, StringColumn};
use chwire_examples::{BoxError, create_table, server_url};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let client = Client::builder(chwire_tokio::runtime()?)
        .url(server_url())
        .build()?;
    create_table(
        &client,
        "example_blocks",
        "(id UInt64, name String) ENGINE = Memory",
    )
    .await?;

    let mut names = StringColumn::default();
    for id in 0..1000 {
        names.push(format!("n{id}").as_bytes());
    }
    let block = Block::new(vec![
        (
            "id".into(),
            Column::new(DataType::UInt64, ColumnData::U64((0..1000).collect()))?,
        ),
        (
            "name".into(),
            Column::new(DataType::String, ColumnData::String(names))?,
        ),
    ])?;
    client.insert_block("example_blocks", block).await?;

    let mut blocks = client
        .query("SELECT id, name FROM example_blocks ORDER BY id")
        .fetch_blocks()
        .await?;
    let mut sum = 0;
    let mut rows = 0;
    while let Some(block) = blocks.next().await {
        let block = block?;
        rows += block.rows;
        if let ColumnData::U64(ids) = block.column("id").ok_or("no id column")?.data() {
            sum += ids.iter().sum::<u64>();
        }
    }
    assert_eq!((rows, sum), (1000, 999 * 1000 / 2));
    println!("blocks: {rows} rows, ids sum to {sum}");
    Ok(())
}
