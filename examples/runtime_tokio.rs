//! A client on tokio in one line. `cargo run -p chwire-examples --example runtime_tokio`.

use chwire::Client;
use chwire_examples::{BoxError, hello, server_url};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let client = Client::builder(chwire_tokio::runtime()?)
        .url(server_url())
        .build()?;
    hello(&client, "tokio").await
}
