//! Runs chwire-rt's conformance checks on tokio, including from outside any tokio context.

use std::sync::Arc;

use chwire_rt::{Runtime, conformance};
use chwire_tokio::TokioRuntime;

fn current() -> Arc<dyn Runtime> {
    Arc::new(TokioRuntime::try_current().expect("inside a tokio runtime"))
}

#[tokio::test(flavor = "current_thread")]
async fn conformance_current_thread() {
    conformance::run_all(current()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance_multi_thread() {
    conformance::run_all(current()).await;
}

#[tokio::test(flavor = "current_thread")]
async fn blocking_offload_on_current_thread() {
    conformance::blocking_offload_keeps_executor_responsive(&current()).await;
}

#[tokio::test(flavor = "current_thread")]
async fn yield_lets_timers_fire_on_current_thread() {
    conformance::yield_now_lets_timers_fire(&current()).await;
}

/// Every future the adapter returns is polled here by a non-tokio executor on a thread that has
/// no tokio context: the adapter must enter its handle itself.
#[test]
fn conformance_polled_outside_tokio_context() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let rt: Arc<dyn Runtime> = Arc::new(TokioRuntime::from_handle(runtime.handle().clone()));
    futures_lite::future::block_on(conformance::run_all(rt));
}

#[test]
fn try_current_outside_runtime_is_an_error() {
    assert!(TokioRuntime::try_current().is_err());
}
