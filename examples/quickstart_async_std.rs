//! The quickstart on async-std:
//! `cargo run --release -p chwire-examples --example quickstart_async_std`
//! (or `cargo xtask demo --runtime async-std`). The body is in `src/lib.rs`.

use std::process::ExitCode;
use std::sync::Arc;

use chwire_async_std::AsyncStdRuntime;

fn main() -> ExitCode {
    async_std::task::block_on(chwire_examples::run(Arc::new(AsyncStdRuntime), "async-std"))
}
