//! Cancelling a running query: `CancelHandle::kill()` sends `KILL QUERY` for it (from any
//! task); dropping a result with `kill_query_on_drop(true)` does the same.
//! `cargo run -p chwire-examples --example cancel`.

use std::time::{Duration, Instant};

use chwire::{Client, error_codes};
use chwire_examples::{BoxError, server_url};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let client = Client::builder(chwire_tokio::runtime()?)
        .url(server_url())
        .build()?;
    // 50 s unless killed. Its first progress report says it runs on the server.
    let (running, started) = async_channel::bounded(1);
    let query = client
        .query("SELECT sleepEachRow(0.5) FROM numbers(100) SETTINGS max_block_size = 1")
        .setting("wait_end_of_query", 1)
        .on_progress(Duration::from_millis(50), move |_| {
            let _ = running.try_send(());
        });
    let handle = query.cancel_handle();
    let begun = Instant::now();
    let killer = async {
        started.recv().await?;
        handle.kill().await?;
        Ok::<_, BoxError>(())
    };
    let (result, killed) = tokio::join!(query.execute(), killer);
    killed?;
    let e = result
        .err()
        .ok_or("the query finished although it was killed")?;
    assert_eq!(
        e.server_code(),
        Some(error_codes::QUERY_WAS_CANCELLED),
        "{e}"
    );
    println!(
        "cancel: query {:?} cancelled after {:.1} s",
        handle.query_id(),
        begun.elapsed().as_secs_f64()
    );
    Ok(())
}
