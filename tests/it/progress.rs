//! Live progress from `X-ClickHouse-Progress` headers, on the real server.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chwire::Progress;
use chwire_rt::Runtime;
use chwire_tests::{Transport, client_builder};

const SLOW: &str = "SELECT sleepEachRow(0.001) FROM numbers(500) SETTINGS max_block_size = 1";

#[chwire_tests::case]
pub async fn progress_updates(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client_builder(rt, transport).build().unwrap();
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let sink = seen.clone();
    let (_, rows) = c
        .query(SLOW)
        .setting("wait_end_of_query", 1)
        .on_progress(Duration::from_millis(20), move |p| {
            sink.lock().unwrap().push(*p)
        })
        .fetch_all_rows()
        .await
        .unwrap();
    assert_eq!(rows.len(), 500);
    let seen = seen.lock().unwrap().clone();
    println!("{} progress updates, last {:?}", seen.len(), seen.last());
    assert!(seen.len() >= 2, "{seen:?}");
    assert!(seen.iter().all(|p| p.total_rows_to_read == 500), "{seen:?}");
    assert!(
        seen.windows(2).all(|w| w[0].read_rows <= w[1].read_rows),
        "{seen:?}"
    );
    assert!(
        seen.windows(2).all(|w| w[0].elapsed_ns <= w[1].elapsed_ns),
        "{seen:?}"
    );
    let last = seen.last().unwrap();
    assert!(last.read_rows > 0 && last.read_rows <= 500, "{last:?}");
    assert!(last.read_rows > seen[0].read_rows, "{seen:?}");
}

/// One header per millisecond: hundreds of headers, none of them break the head.
#[chwire_tests::case]
pub async fn many_progress_headers(rt: Arc<dyn Runtime>) {
    let c = client_builder(rt, Transport::Http).build().unwrap();
    let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = count.clone();
    let summary = c
        .query(SLOW)
        .on_progress(Duration::from_millis(1), move |_| {
            counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        })
        .execute()
        .await
        .unwrap();
    let n = count.load(std::sync::atomic::Ordering::Relaxed);
    println!("{n} progress headers");
    assert!(n >= 50, "{n}");
    assert_eq!(summary.read_rows, 500);
}
