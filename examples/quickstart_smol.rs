//! The quickstart on smol: `cargo run --release -p chwire-examples --example quickstart_smol`
//! (or `cargo xtask demo --runtime smol`). The body is in `src/lib.rs`.

use std::process::ExitCode;
use std::sync::Arc;

use chwire_smol::SmolRuntime;

fn main() -> ExitCode {
    smol::block_on(chwire_examples::run(Arc::new(SmolRuntime::new()), "smol"))
}
