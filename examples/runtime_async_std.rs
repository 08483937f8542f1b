//! A client on async-std in one line. `cargo run -p chwire-examples --example runtime_async_std`.

use chwire::Client;
use chwire_examples::{BoxError, hello, server_url};

#[async_std::main]
async fn main() -> Result<(), BoxError> {
    let client = Client::builder(chwire_async_std::runtime())
        .url(server_url())
        .build()?;
    hello(&client, "async-std").await
}
