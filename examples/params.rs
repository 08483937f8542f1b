//! Server-side query parameters (`{name:Type}`): values travel separately from the SQL text,
//! so no escaping or injection. `cargo run -p chwire-examples --example params`.

use chwire::{Client, Value};
use chwire_examples::{BoxError, server_url};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let client = Client::builder(chwire_tokio::runtime()?)
        .url(server_url())
        .build()?;
    let (_, rows) = client
        .query("SELECT count(), {s:String} FROM numbers({n:UInt64}) WHERE number >= {min:UInt64}")
        .param("n", 100u64)
        .param("min", 90u64)
        .param("s", "it's; DROP TABLE x")
        .fetch_all_rows()
        .await?;
    assert_eq!(
        rows,
        [[
            Value::UInt64(10),
            Value::String(b"it's; DROP TABLE x".to_vec())
        ]]
    );
    println!("params: {rows:?}");
    Ok(())
}
