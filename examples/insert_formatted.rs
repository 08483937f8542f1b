//! Inserting data that is already CSV, JSONEachRow or Parquet: streamed from any
//! `futures_io::AsyncRead` (a file, a socket, bytes in memory) or a stream of `Bytes`, with
//! bounded memory and the client's compression.
//! `cargo run -p chwire-examples --example insert_formatted`.

use bytes::Bytes;
use chwire::{Client, Value};
use chwire_examples::{BoxError, server_url};
use futures_util::io::Cursor;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let client = Client::builder(chwire_tokio::runtime()?)
        .url(server_url())
        .build()?;
    client
        .query(
            "CREATE OR REPLACE TABLE example_formatted (id UInt32, city String) \
             ENGINE = MergeTree ORDER BY id",
        )
        .execute()
        .await?;

    let csv = "1,Lisbon\n2,\"Paris, France\"\n";
    let s = client
        .insert_formatted("example_formatted", "CSV")
        .from_reader(Cursor::new(csv.as_bytes()))
        .await?;
    println!("insert_formatted: CSV, {} rows", s.written_rows);

    // A stream of pieces, e.g. the body of an HTTP download.
    let pieces = [
        "{\"id\":3,\"city\":\"Oslo\"}\n",
        "{\"id\":4,\"city\":\"Rome\"}\n",
    ]
    .map(|p| Ok::<_, std::io::Error>(Bytes::from_static(p.as_bytes())));
    client
        .insert_formatted("example_formatted", "JSONEachRow")
        .from_stream(futures_util::stream::iter(pieces))
        .await?;

    // Parquet made by the server itself, inserted back (a copy of the table).
    let mut parquet = Vec::new();
    let mut body = client
        .query("SELECT id + 100 AS id, city FROM example_formatted")
        .fetch_bytes("Parquet")
        .await?;
    while let Some(piece) = body.next().await {
        parquet.extend_from_slice(&piece?);
    }
    client
        .insert_formatted("example_formatted", "Parquet")
        .from_reader(Cursor::new(parquet))
        .await?;

    let (_, rows) = client
        .query(
            "SELECT count(), groupArray(city) FROM (SELECT * FROM example_formatted ORDER BY id)",
        )
        .fetch_all_rows()
        .await?;
    let cities = ["Lisbon", "Paris, France", "Oslo", "Rome"];
    let expected: Vec<Value> = cities
        .iter()
        .chain(&cities)
        .map(|c| Value::String(c.as_bytes().to_vec()))
        .collect();
    assert_eq!(rows, [[Value::UInt64(8), Value::Array(expected)]]);
    println!("insert_formatted: {rows:?}");
    client
        .query("DROP TABLE example_formatted")
        .execute()
        .await?;
    Ok(())
}
