//! Runs chwire-rt's conformance checks on async-std.

use std::sync::Arc;

use chwire_async_std::AsyncStdRuntime;
use chwire_rt::{Runtime, conformance};

fn runtime() -> Arc<dyn Runtime> {
    Arc::new(AsyncStdRuntime)
}

#[test]
fn conformance() {
    async_std::task::block_on(conformance::run_all(runtime()));
}

/// async-std always runs spawned tasks on its (multi-threaded) global executor, so this mainly
/// checks the blocking closure does not occupy an executor thread.
#[test]
fn blocking_offload() {
    async_std::task::block_on(conformance::blocking_offload_keeps_executor_responsive(
        &runtime(),
    ));
}
