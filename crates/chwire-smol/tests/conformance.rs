//! Runs chwire-rt's conformance checks on smol, with its global executor and with a
//! single-threaded executor driven by the test thread.

use std::sync::Arc;

use chwire_rt::{Runtime, conformance};
use chwire_smol::SmolRuntime;
use smol::Executor;

#[test]
fn conformance_global_executor() {
    let rt: Arc<dyn Runtime> = Arc::new(SmolRuntime::new());
    smol::block_on(conformance::run_all(rt));
}

#[test]
fn conformance_own_single_threaded_executor() {
    let executor = Arc::new(Executor::new());
    let rt: Arc<dyn Runtime> = Arc::new(SmolRuntime::with_executor(Arc::clone(&executor)));
    smol::block_on(executor.run(conformance::run_all(rt)));
}

/// The ticker and the check share one executor on one thread: it can only tick if the CPU loop
/// runs elsewhere.
#[test]
fn blocking_offload_on_single_threaded_executor() {
    let executor = Arc::new(Executor::new());
    let rt: Arc<dyn Runtime> = Arc::new(SmolRuntime::with_executor(Arc::clone(&executor)));
    smol::block_on(executor.run(conformance::blocking_offload_keeps_executor_responsive(&rt)));
}

/// A task that yields between slices of CPU work and the check's timer share one executor on
/// one thread: the timer fires between the slices.
#[test]
fn yield_lets_timers_fire_on_single_threaded_executor() {
    let executor = Arc::new(Executor::new());
    let rt: Arc<dyn Runtime> = Arc::new(SmolRuntime::with_executor(Arc::clone(&executor)));
    smol::block_on(executor.run(conformance::yield_now_lets_timers_fire(&rt)));
}
