//! Server sessions: a temporary table and a `SET` that last from one query to the next, a
//! second session that sees neither, and resuming a session by its id.
//! `cargo run -p chwire-examples --example sessions`.

use std::time::Duration;

use chwire::{Client, Value, error_codes};
use chwire_examples::{BoxError, server_url};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let client = Client::builder(chwire_tokio::runtime()?)
        .url(server_url())
        .session_timeout(Duration::from_secs(120))
        .build()?;
    let session = client.session();
    println!("sessions: id {}", session.session_id().unwrap_or_default());
    session
        .query("CREATE TEMPORARY TABLE visits (page String, n UInt32)")
        .execute()
        .await?;
    session
        .query("INSERT INTO visits VALUES ('/', 3), ('/about', 1)")
        .execute()
        .await?;
    session.query("SET max_threads = 1").execute().await?;
    let (_, rows) = session
        .query("SELECT sum(n), toUInt64(getSetting('max_threads')) FROM visits")
        .fetch_all_rows()
        .await?;
    assert_eq!(rows, [[Value::UInt64(4), Value::UInt64(1)]]);
    println!("sessions: the temporary table and the SET lasted: {rows:?}");

    // Another session (or the client outside any) does not see the table.
    let other = client.session();
    let e = other
        .query("SELECT * FROM visits")
        .execute()
        .await
        .unwrap_err();
    assert_eq!(e.server_code(), Some(error_codes::UNKNOWN_TABLE));

    // Elsewhere (another task or process), the same session by its id.
    let id = session.session_id().unwrap_or_default().to_owned();
    let resumed = client.resume_session(id);
    let (_, rows) = resumed
        .query("SELECT count() FROM visits")
        .fetch_all_rows()
        .await?;
    assert_eq!(rows, [[Value::UInt64(2)]]);
    println!("sessions: resumed, {rows:?} rows");
    Ok(())
}
