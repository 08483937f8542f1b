//! Streaming: bounded buffering on a 10M-row result, a pool under 200 concurrent queries,
//! KILL QUERY on drop (the event loop staying responsive: `fairness`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use chwire::Value;
use chwire_proto::column::ColumnData;
use chwire_rt::Runtime;
use chwire_tests::{COMPRESSIONS, Transport, client_builder, unique_name};

#[chwire_tests::case]
pub async fn ten_million_bounded(rt: Arc<dyn Runtime>, transport: Transport) {
    const DEPTH: usize = 3;
    for compression in COMPRESSIONS {
        let c = client_builder(rt.clone(), transport)
            .compression(compression)
            .offload_queue_depth(DEPTH)
            .offload_chunk_size(64 * 1024)
            .inline_decode_threshold(64 * 1024)
            .build()
            .unwrap();
        let mut s = c
            .query("SELECT number FROM numbers(10000000)")
            .fetch_blocks()
            .await
            .unwrap();
        let (mut rows, mut sum) = (0u64, 0u64);
        while let Some(b) = s.next().await {
            let b = b.unwrap();
            let ColumnData::U64(v) = b.columns[0].1.data() else {
                panic!("UInt64 column expected")
            };
            rows += v.len() as u64;
            sum = sum.wrapping_add(v.iter().sum::<u64>());
        }
        assert_eq!(rows, 10_000_000);
        assert_eq!(sum, 10_000_000 * 9_999_999 / 2);
        let st = s.stats();
        println!("10M rows {compression:?}: {st:?}");
        assert!(st.offloaded);
        assert!(st.max_queued_chunks <= DEPTH, "{st:?}");
        assert!(st.max_queued_batches <= DEPTH, "{st:?}");
        assert!(
            // The inline probe's read-ahead (threshold + one chunk), the queue, the chunk the
            // reader holds while waiting for room.
            st.max_buffered_bytes <= 64 * 1024 + (DEPTH + 2) * st.largest_chunk,
            "{st:?}"
        );
        assert!(st.largest_chunk <= 64 * 1024 + 64, "{st:?}");
    }
}

#[chwire_tests::case]
pub async fn concurrent_pool(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client_builder(rt, transport)
        .pool_max_connections_per_host(8)
        .build()
        .unwrap();
    let queries = (0..200u64).map(|i| {
        let c = c.clone();
        async move {
            let (_, rows) = c
                .query("SELECT {i:UInt64} * 2, count() FROM numbers(1000)")
                .param("i", i)
                .fetch_all_rows()
                .await
                .unwrap();
            assert_eq!(rows, vec![vec![Value::UInt64(i * 2), Value::UInt64(1000)]]);
        }
    });
    futures_util::future::join_all(queries).await;
    let st = c.pool_stats();
    println!("pool after 200 queries: {st:?}");
    assert!(st.max_open <= 8, "{st:?}");
    assert!(st.connects >= 1 && st.connects + st.reuses >= 200, "{st:?}");
}

#[chwire_tests::case]
pub async fn drop_kills_query(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client_builder(rt.clone(), transport)
        .kill_query_on_drop(true)
        .build()
        .unwrap();
    let id = unique_name("kill");
    let mut s = c
        .query("SELECT number FROM system.numbers")
        .query_id(&id)
        .fetch_blocks()
        .await
        .unwrap();
    for _ in 0..3 {
        s.next().await.unwrap().unwrap();
    }
    drop(s);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, rows) = c
            .query("SELECT count() FROM system.processes WHERE query_id = {id:String}")
            .param("id", &id)
            .fetch_all_rows()
            .await
            .unwrap();
        if rows[0][0] == Value::UInt64(0) {
            break;
        }
        assert!(Instant::now() < deadline, "query {id} still running");
        rt.sleep(Duration::from_millis(20)).await;
    }
}
