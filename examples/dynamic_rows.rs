//! Dynamic rows: any result as `Vec<Value>` rows with the column names and types, when no
//! struct fits. `cargo run -p chwire-examples --example dynamic_rows`.

use chwire::{Client, DataType, Value};
use chwire_examples::{BoxError, server_url};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let client = Client::builder(chwire_tokio::runtime()?)
        .url(server_url())
        .build()?;
    let mut rows = client
        .query("SELECT number AS n, toString(number) AS s FROM numbers(3)")
        .fetch_rows()
        .await?;
    let columns = rows.columns().to_vec();
    assert_eq!(
        columns,
        [
            ("n".to_string(), DataType::UInt64),
            ("s".to_string(), DataType::String)
        ]
    );
    let mut read = Vec::new();
    while let Some(row) = rows.next().await {
        read.push(row?);
    }
    assert_eq!(read[2], [Value::UInt64(2), Value::String(b"2".to_vec())]);
    println!("dynamic rows: {columns:?} {read:?}");
    Ok(())
}
