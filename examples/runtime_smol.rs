//! A client on smol in one line. `cargo run -p chwire-examples --example runtime_smol`.

use chwire::Client;
use chwire_examples::{BoxError, hello, server_url};

fn main() -> Result<(), BoxError> {
    smol::block_on(async {
        let client = Client::builder(chwire_smol::runtime())
            .url(server_url())
            .build()?;
        hello(&client, "smol").await
    })
}
