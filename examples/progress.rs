//! Live progress of a long query from the server's `X-ClickHouse-Progress` headers.
//! `cargo run -p chwire-examples --example progress`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chwire::{Client, Progress};
use chwire_examples::{BoxError, server_url};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let client = Client::builder(chwire_tokio::runtime()?)
        .url(server_url())
        .build()?;
    let last: Arc<Mutex<Option<Progress>>> = Arc::default();
    let sink = last.clone();
    let (_, rows) = client
        .query("SELECT sleepEachRow(0.001) FROM numbers(300) SETTINGS max_block_size = 1")
        // Progress for the whole query: the server sends headers until the body starts.
        .setting("wait_end_of_query", 1)
        .on_progress(Duration::from_millis(20), move |p: &Progress| {
            println!("progress: {}/{} rows", p.read_rows, p.total_rows_to_read);
            *sink.lock().unwrap() = Some(*p);
        })
        .fetch_all_rows()
        .await?;
    assert_eq!(rows.len(), 300);
    let last = last.lock().unwrap().ok_or("no progress report arrived")?;
    assert_eq!(last.total_rows_to_read, 300);
    println!("progress: done, {} rows", rows.len());
    Ok(())
}
