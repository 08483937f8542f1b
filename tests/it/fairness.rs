//! Event-loop fairness: a ticker sharing one task with a result stream or an insert keeps
//! ticking, so neither holds the thread for long (chwire's cooperative budget: a stream or
//! write whose items are ready still gives the executor back every slice).
//!
//! The ticker and the work are joined in one task: the ticker runs only when the work returns
//! `Pending`, so the longest gap between ticks is the longest the work held the task. What is
//! bounded is the CPU time the thread spent between two ticks (its own clock,
//! `CLOCK_THREAD_CPUTIME_ID`, compared only between two ticks on the same thread: a
//! multi-threaded runtime may resume the task on another worker): work that did not yield. The wall-clock gap is reported too,
//! but not bounded: on a loaded machine it mostly measures how long the OS let other
//! processes run (on 2 cores at a load of 20, gaps of 50-150 ms with chwire idle). The
//! cases run on every runtime; the plain tests at the end run them on a single-threaded
//! executor (tokio's current-thread runtime, one smol `Executor` on one thread), where the
//! client's own tasks (the body reader, the insert writer) share that thread too.

use std::cell::Cell;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chwire::{Block, Client, Compression};
use chwire_proto::column::ColumnData;
use chwire_rt::Runtime;
use chwire_tests::{Transport, client_builder, unique_name};
use serde::{Deserialize, Serialize};

use crate::query::DB;

/// The longest a task may wait for its turn while chwire streams or inserts on its thread,
/// in CPU time of that thread: the target, 10 ms. A typed insert's single poll once
/// took 8.1 ms in a fresh-clone CI run (its column buffers doubling: copies of several MiB in
/// one `write`); with the room for a block reserved at once, its longest poll is 1.4-2.1 ms and
/// two debug runs of every case measured at most 5.5 ms. Before the budget, the issue measured
/// 19 ms for a block insert and 36 ms for a typed stream (this bound fails both); without any
/// budget the stalls were 5-14 s.
const MAX_GAP: Duration = Duration::from_millis(10);

/// How often the ticker asks to run.
const TICK: Duration = Duration::from_millis(1);

/// Rows each scenario reads or writes: enough for the stalls this guards against to show in
/// a debug build (several batches and blocks, an insert of several chunks), few enough to
/// run in seconds.
const ROWS: u64 = 300_000;

/// The mixed shape of the measurements.
const SOURCE: &str = "SELECT number AS id, toString(number) AS name, number / 4 AS score";

#[derive(Debug, Clone, PartialEq, chwire::Row, Serialize, Deserialize)]
struct Mixed {
    id: u64,
    name: String,
    score: f64,
}

#[derive(Debug, chwire::Row, Deserialize)]
struct Totals {
    rows: u64,
    sum: u64,
}

/// Ticks seen while some work ran in the same task.
#[derive(Debug, Default)]
struct Ticks {
    count: u32,
    /// The longest wall-clock time between two ticks.
    max_gap: Duration,
    /// The most CPU time the thread spent between two ticks (`None`: no thread clock here).
    max_busy: Option<Duration>,
    /// Wall-clock gaps and CPU times between ticks over 5 ms, for the report.
    gaps_over_5ms: u32,
    busy_over_5ms: u32,
    /// The most CPU time one poll of the work took: a larger `max_busy` was spent by other
    /// tasks on the thread (the client's reader or writer task), not by the caller's future.
    max_poll: Option<Duration>,
}

/// The CPU time this thread has run, precise to the call (the kernel's thread clock).
#[cfg(any(target_os = "linux", target_os = "macos"))]
fn thread_cpu_time() -> Option<Duration> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec it is given.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32))
}

#[cfg(not(any(target_os = "linux", target_os = "macos")))]
fn thread_cpu_time() -> Option<Duration> {
    None
}

/// Runs `work` joined with a ticker (a sleep of [`TICK`] at a time) in one task and returns
/// its output and what the ticker saw.
async fn with_ticker<F: Future>(rt: &Arc<dyn Runtime>, work: F) -> (F::Output, Ticks) {
    let done = Cell::new(false);
    let ticker = async {
        let mut ticks = Ticks::default();
        let mut last = Instant::now();
        let mut last_cpu = thread_cpu_time();
        let mut last_thread = std::thread::current().id();
        while !done.get() {
            rt.sleep(TICK).await;
            let (now, cpu) = (Instant::now(), thread_cpu_time());
            let thread = std::thread::current().id();
            let gap = now - last;
            ticks.max_gap = ticks.max_gap.max(gap);
            ticks.gaps_over_5ms += u32::from(gap > Duration::from_millis(5));
            // Two readings of one thread's clock only: on a multi-threaded runtime the task
            // may resume on another worker, whose clock says nothing about this one.
            if let (Some(cpu), Some(last_cpu), true) = (cpu, last_cpu, thread == last_thread) {
                let busy = cpu.saturating_sub(last_cpu);
                ticks.max_busy = Some(ticks.max_busy.unwrap_or_default().max(busy));
                ticks.busy_over_5ms += u32::from(busy > Duration::from_millis(5));
            }
            ticks.count += 1;
            (last, last_cpu, last_thread) = (now, cpu, thread);
        }
        ticks
    };
    let max_poll = Cell::new(None::<Duration>);
    let mut work = std::pin::pin!(work);
    let work = std::future::poll_fn(|cx| {
        let before = thread_cpu_time();
        let polled = work.as_mut().poll(cx);
        if let (Some(before), Some(after)) = (before, thread_cpu_time()) {
            let took = after.saturating_sub(before);
            max_poll.set(Some(max_poll.get().unwrap_or_default().max(took)));
        }
        if polled.is_ready() {
            done.set(true);
        }
        polled
    });
    let (mut ticks, out) = futures_util::future::join(ticker, work).await;
    ticks.max_poll = max_poll.get();
    (out, ticks)
}

/// Fails when the thread worked longer than [`MAX_GAP`] between two ticks (without a thread
/// clock: when the ticker waited longer than that).
fn assert_fair(what: &str, compression: Compression, ticks: &Ticks, elapsed: Duration) {
    println!(
        "fairness: {what} {compression:?}: {} ticks in {elapsed:?}; most CPU between ticks \
         {:?} ({} over 5 ms); longest poll of the work {:?}; longest wall gap {:?} ({} over 5 ms)",
        ticks.count,
        ticks.max_busy,
        ticks.busy_over_5ms,
        ticks.max_poll,
        ticks.max_gap,
        ticks.gaps_over_5ms
    );
    // The ticker's sleep is pending whenever the work runs (join polls it first), so its
    // last tick measures the work's last stretch too: two ticks mean at least one measured
    // gap with work in it. Fewer than 10 is a fast run (a block stream of `ROWS` decodes in
    // under 10 ms with the optimised codecs), not an unmeasured one.
    assert!(ticks.count >= 2, "{what} {compression:?}: {ticks:?}");
    let held = ticks.max_busy.unwrap_or(ticks.max_gap);
    assert!(
        held <= MAX_GAP,
        "{what} {compression:?}: the thread ran {held:?} without the ticker (bound \
         {MAX_GAP:?}): {ticks:?}"
    );
}

const COMPRESSIONS: [Compression; 2] = [Compression::None, Compression::Lz4];

fn fair_client(rt: &Arc<dyn Runtime>, transport: Transport, compression: Compression) -> Client {
    client_builder(rt.clone(), transport)
        .compression(compression)
        .build()
        .expect("client")
}

/// `(rows, sum of ids)` of the first `ROWS` numbers.
fn expected() -> (u64, u64) {
    (ROWS, ROWS * (ROWS - 1) / 2)
}

/// Typed rows: `while let Some(row) = cursor.next().await` over a result whose rows are ready.
async fn typed_stream(rt: &Arc<dyn Runtime>, transport: Transport) {
    for compression in COMPRESSIONS {
        let c = fair_client(rt, transport, compression);
        let start = Instant::now();
        let (got, ticks) = with_ticker(rt, async {
            let mut cursor = c
                .query(format!("{SOURCE} FROM numbers({ROWS})"))
                .fetch::<Mixed>()
                .await
                .unwrap();
            let (mut rows, mut sum) = (0u64, 0u64);
            while let Some(row) = cursor.next().await {
                let row = row.unwrap();
                assert_eq!(row.name, row.id.to_string());
                rows += 1;
                sum += row.id;
            }
            (rows, sum)
        })
        .await;
        assert_eq!(got, expected());
        assert_fair("typed stream", compression, &ticks, start.elapsed());
    }
}

/// Native blocks, read whole.
async fn block_stream(rt: &Arc<dyn Runtime>, transport: Transport) {
    for compression in COMPRESSIONS {
        let c = fair_client(rt, transport, compression);
        let start = Instant::now();
        let (got, ticks) = with_ticker(rt, async {
            let mut s = c
                .query(format!("{SOURCE} FROM numbers({ROWS})"))
                .fetch_blocks()
                .await
                .unwrap();
            let (mut rows, mut sum) = (0u64, 0u64);
            while let Some(b) = s.next().await {
                let b = b.unwrap();
                rows += b.rows as u64;
                let ColumnData::U64(ids) = b.columns[0].1.data() else {
                    panic!("UInt64 column expected")
                };
                sum += ids.iter().sum::<u64>();
            }
            (rows, sum)
        })
        .await;
        assert_eq!(got, expected());
        assert_fair("block stream", compression, &ticks, start.elapsed());
    }
}

/// A fresh table of the mixed shape; returns its name.
async fn mixed_table(c: &Client) -> String {
    let table = format!("{DB}.{}", unique_name("fair"));
    c.query(format!("CREATE DATABASE IF NOT EXISTS {DB}"))
        .execute()
        .await
        .unwrap();
    c.query(format!(
        "CREATE TABLE {table} (id UInt64, name String, score Float64) ENGINE = Memory"
    ))
    .execute()
    .await
    .unwrap();
    table
}

/// `(rows, sum of ids)` stored in `table`, then drops it.
async fn stored(c: &Client, table: &str) -> (u64, u64) {
    let Totals { rows, sum } = c
        .query(format!(
            "SELECT count() AS rows, sum(id) AS sum FROM {table}"
        ))
        .fetch_one::<Totals>()
        .await
        .unwrap();
    c.query(format!("DROP TABLE {table}"))
        .execute()
        .await
        .unwrap();
    (rows, sum)
}

/// Typed rows written one `write(&row).await` at a time.
async fn typed_insert(rt: &Arc<dyn Runtime>, transport: Transport) {
    for compression in COMPRESSIONS {
        let c = fair_client(rt, transport, compression);
        let table = mixed_table(&c).await;
        let rows: Vec<Mixed> = (0..ROWS)
            .map(|id| Mixed {
                id,
                name: id.to_string(),
                score: id as f64 / 4.0,
            })
            .collect();
        let start = Instant::now();
        let ((), ticks) = with_ticker(rt, async {
            let mut insert = c.insert::<Mixed>(&table).await.unwrap();
            for row in &rows {
                insert.write(row).await.unwrap();
            }
            insert.end().await.unwrap();
        })
        .await;
        assert_eq!(stored(&c, &table).await, expected());
        assert_fair("typed insert", compression, &ticks, start.elapsed());
    }
}

/// Blocks written as fast as the insert takes them (the blocks were read beforehand).
async fn block_insert(rt: &Arc<dyn Runtime>, transport: Transport) {
    for compression in COMPRESSIONS {
        let c = fair_client(rt, transport, compression);
        let table = mixed_table(&c).await;
        let blocks: Vec<Block> = c
            .query(format!("{SOURCE} FROM numbers({ROWS})"))
            .setting("max_block_size", ROWS / 3)
            .fetch_all_blocks()
            .await
            .unwrap();
        let start = Instant::now();
        let ((), ticks) = with_ticker(rt, async {
            let mut insert = c.insert_blocks(&table);
            for block in blocks {
                insert.write(block).await.unwrap();
            }
            insert.end().await.unwrap();
        })
        .await;
        assert_eq!(stored(&c, &table).await, expected());
        assert_fair("block insert", compression, &ticks, start.elapsed());
    }
}

#[chwire_tests::case]
pub async fn typed_stream_yields(rt: Arc<dyn Runtime>, transport: Transport) {
    typed_stream(&rt, transport).await;
}

#[chwire_tests::case]
pub async fn block_stream_yields(rt: Arc<dyn Runtime>, transport: Transport) {
    block_stream(&rt, transport).await;
}

#[chwire_tests::case]
pub async fn typed_insert_yields(rt: Arc<dyn Runtime>, transport: Transport) {
    typed_insert(&rt, transport).await;
}

#[chwire_tests::case]
pub async fn block_insert_yields(rt: Arc<dyn Runtime>, transport: Transport) {
    block_insert(&rt, transport).await;
}

/// Every scenario on one executor thread.
async fn all_scenarios(rt: Arc<dyn Runtime>) {
    for transport in Transport::ALL.iter().copied() {
        typed_stream(&rt, transport).await;
        block_stream(&rt, transport).await;
        typed_insert(&rt, transport).await;
        block_insert(&rt, transport).await;
    }
}

/// On tokio's current-thread runtime: the reader and writer tasks share the ticker's thread.
#[chwire_tests::test]
fn tokio_current_thread() {
    chwire_tests::on_tokio_current_thread(all_scenarios);
}

/// On one smol `Executor` run by one thread: chwire's tasks share the ticker's thread.
#[chwire_tests::test]
fn smol_single_thread() {
    chwire_tests::on_smol_single_thread(all_scenarios);
}
