//! The quickstart on tokio: `cargo run --release -p chwire-examples --example quickstart`
//! (or `cargo xtask demo`, which starts a server first). The body is in `src/lib.rs`.

use std::process::ExitCode;
use std::sync::Arc;

use chwire_tokio::TokioRuntime;

#[tokio::main]
async fn main() -> ExitCode {
    let runtime = TokioRuntime::try_current().expect("inside #[tokio::main]");
    chwire_examples::run(Arc::new(runtime), "tokio").await
}
