//! What the native protocol reports besides a result (issue 15): server logs, profile events,
//! totals and extremes, through `Query::on_log`, `on_profile_events`, `on_totals` and
//! `on_extremes`, on every kind of query; never among the result's rows. Over HTTP each
//! callback is refused before the query is sent, and the server itself drops totals and
//! extremes from Native and RowBinary results (checked here, so a server that starts sending
//! them is noticed).
//!
//! The embedded server sends no Log packets at any `send_logs_level` (clickhouse-local's
//! logging goes to a null channel, which is where the server picks up a query's lines): the
//! decoding of log lines is tested on the server's block layout in `chwire::events`, and here
//! that `on_log` sets the level the server runs the query with.

use std::sync::{Arc, Mutex};

use chwire::{Block, LogPriority, ProfileEvent, ProfileEventKind, ServerLog, Value};
use chwire_rt::Runtime;
use chwire_tests::{Transport, client_builder, unique_name};

fn native(rt: Arc<dyn Runtime>) -> chwire::Client {
    client_builder(rt, Transport::Native).build().unwrap()
}

/// 10 rows grouped by parity: 5 and 5, totals 10.
const GROUPED: &str =
    "SELECT number % 2 AS k, count() AS c FROM numbers(10) GROUP BY k WITH TOTALS ORDER BY k";

/// Where the totals and extremes callbacks put their blocks.
#[derive(Clone, Default)]
struct Seen {
    totals: Arc<Mutex<Vec<Block>>>,
    extremes: Arc<Mutex<Vec<Block>>>,
}

impl Seen {
    fn watch(&self, q: chwire::Query) -> chwire::Query {
        let (t, e) = (self.totals.clone(), self.extremes.clone());
        q.on_totals(move |b| t.lock().unwrap().push(b.clone()))
            .on_extremes(move |b| e.lock().unwrap().push(b.clone()))
    }

    /// One totals block (k = 0, c = 10) and one extremes block (k 0..1, c 5..5).
    fn check(&self, kind: &str) {
        let totals = std::mem::take(&mut *self.totals.lock().unwrap());
        assert_eq!(totals.len(), 1, "{kind}: {totals:?}");
        assert_eq!(totals[0].rows, 1, "{kind}");
        assert_eq!(
            totals[0].column("c").unwrap().get(0),
            Value::UInt64(10),
            "{kind}"
        );
        assert_eq!(
            totals[0].column("k").unwrap().get(0),
            Value::UInt8(0),
            "{kind}"
        );
        let extremes = std::mem::take(&mut *self.extremes.lock().unwrap());
        assert_eq!(extremes.len(), 1, "{kind}: {extremes:?}");
        let k = extremes[0].column("k").unwrap();
        assert_eq!(extremes[0].rows, 2, "{kind}");
        assert_eq!(
            (k.get(0), k.get(1)),
            (Value::UInt8(0), Value::UInt8(1)),
            "{kind}"
        );
        let c = extremes[0].column("c").unwrap();
        assert_eq!(
            (c.get(0), c.get(1)),
            (Value::UInt64(5), Value::UInt64(5)),
            "{kind}"
        );
    }
}

#[derive(Debug, PartialEq, chwire::Row, serde::Deserialize)]
struct Group {
    k: u8,
    c: u64,
}

/// Every kind of query gets the totals and extremes in their callbacks and only the two
/// groups among its rows.
#[chwire_tests::case]
pub async fn totals_and_extremes_reach_their_callbacks_not_the_rows(rt: Arc<dyn Runtime>) {
    let c = native(rt);
    let seen = Seen::default();
    let groups = vec![Group { k: 0, c: 5 }, Group { k: 1, c: 5 }];

    let rows: Vec<Group> = seen.watch(c.query(GROUPED)).fetch_all().await.unwrap();
    assert_eq!(rows, groups);
    seen.check("fetch_all");

    let mut cursor = seen.watch(c.query(GROUPED)).fetch::<Group>().await.unwrap();
    let mut rows = Vec::new();
    while let Some(r) = cursor.next().await {
        rows.push(r.unwrap());
    }
    assert_eq!(rows, groups);
    seen.check("fetch");

    let one: Group = seen.watch(c.query(GROUPED)).fetch_one().await.unwrap();
    assert_eq!(one, groups[0]);
    seen.check("fetch_one");

    let (_, rows) = seen.watch(c.query(GROUPED)).fetch_all_rows().await.unwrap();
    let expected = [[0u8, 5], [1, 5]].map(|[k, n]| vec![Value::UInt8(k), Value::UInt64(n.into())]);
    assert_eq!(rows, expected);
    seen.check("fetch_rows");

    let blocks = seen
        .watch(c.query(GROUPED))
        .fetch_all_blocks()
        .await
        .unwrap();
    assert_eq!(
        blocks.iter().map(|b| b.rows).sum::<usize>(),
        2,
        "{blocks:?}"
    );
    seen.check("fetch_blocks");

    let mut bytes = seen
        .watch(c.query(GROUPED))
        .fetch_bytes("Native")
        .await
        .unwrap();
    let mut n = 0;
    while let Some(b) = bytes.next().await {
        n += b.unwrap().len();
    }
    assert!(n > 0);
    seen.check("fetch_bytes(Native)");

    seen.watch(c.query(GROUPED)).execute().await.unwrap();
    seen.check("execute");
}

/// Without callbacks the totals row is not a row either.
#[chwire_tests::case]
pub async fn totals_without_a_callback_are_not_rows(rt: Arc<dyn Runtime>, transport: Transport) {
    for format in [chwire::Format::Native, chwire::Format::RowBinary] {
        let c = client_builder(rt.clone(), transport)
            .default_format(format)
            .build()
            .unwrap();
        let rows: Vec<Group> = c
            .query(GROUPED)
            .setting("extremes", 1)
            .fetch_all()
            .await
            .unwrap();
        assert_eq!(rows.len(), 2, "{format:?}: {rows:?}");
    }
    let c = client_builder(rt, transport).build().unwrap();
    let blocks = c.query(GROUPED).fetch_all_blocks().await.unwrap();
    assert_eq!(blocks.iter().map(|b| b.rows).sum::<usize>(), 2);
    let (_, rows) = c.query(GROUPED).fetch_all_rows().await.unwrap();
    assert_eq!(rows.len(), 2);
}

/// `SelectedRows` of a `numbers(N)` scan is N: summed over the increments of every packet and
/// thread, the query's count.
#[chwire_tests::case]
pub async fn profile_events_count_the_selected_rows(rt: Arc<dyn Runtime>) {
    let c = native(rt);
    let events: Arc<Mutex<Vec<ProfileEvent>>> = Arc::default();
    let packets = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (sink, count) = (events.clone(), packets.clone());
    let sum: Vec<(u64,)> = c
        .query("SELECT sum(number) FROM numbers(123456)")
        .on_profile_events(move |e| {
            count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            sink.lock().unwrap().extend_from_slice(e);
        })
        .fetch_all()
        .await
        .unwrap();
    assert_eq!(sum, vec![(123456 * 123455 / 2,)]);
    let events = events.lock().unwrap();
    let packets = packets.load(std::sync::atomic::Ordering::Relaxed);
    println!("{packets} ProfileEvents packets, {} counters", events.len());
    assert!(packets >= 1);
    let selected: i64 = events
        .iter()
        .filter(|e| e.name == "SelectedRows" && e.thread_id == 0)
        .inspect(|e| assert_eq!(e.kind, ProfileEventKind::Increment, "{e:?}"))
        .map(|e| e.value)
        .sum();
    assert_eq!(selected, 123456, "{events:?}");
    let peak = events.iter().find(|e| e.name == "MemoryTrackerPeakUsage");
    assert!(
        peak.is_some_and(|e| e.kind == ProfileEventKind::Gauge && e.value > 0),
        "{peak:?}"
    );
    assert!(events.iter().all(|e| !e.host.is_empty()));
    let now = std::time::SystemTime::now();
    let hour = std::time::Duration::from_secs(3600);
    assert!(
        events
            .iter()
            .all(|e| e.time > now - hour && e.time < now + hour)
    );
}

/// An INSERT … SELECT run with `execute` reports its written rows in profile events.
#[chwire_tests::case]
pub async fn profile_events_of_an_insert_select(rt: Arc<dyn Runtime>) {
    let c = native(rt);
    let table = unique_name("ne_insert");
    c.query(format!("CREATE TABLE {table} (x UInt64) ENGINE = Memory"))
        .execute()
        .await
        .unwrap();
    let events: Arc<Mutex<Vec<ProfileEvent>>> = Arc::default();
    let sink = events.clone();
    c.query(format!(
        "INSERT INTO {table} SELECT number FROM numbers(777)"
    ))
    .on_profile_events(move |e| sink.lock().unwrap().extend_from_slice(e))
    .execute()
    .await
    .unwrap();
    let inserted: i64 = events
        .lock()
        .unwrap()
        .iter()
        .filter(|e| e.name == "InsertedRows" && e.thread_id == 0)
        .map(|e| e.value)
        .sum();
    assert_eq!(inserted, 777);
    c.query(format!("DROP TABLE {table}"))
        .execute()
        .await
        .unwrap();
}

/// `on_log` runs the query at the level that includes the one asked for (a level the caller
/// set wins), and every line it gets is one of the query's.
#[chwire_tests::case]
pub async fn on_log_sets_send_logs_level(rt: Arc<dyn Runtime>) {
    let c = native(rt);
    let lines: Arc<Mutex<Vec<ServerLog>>> = Arc::default();
    let level = |q: chwire::Query, l: LogPriority| {
        let sink = lines.clone();
        q.on_log(l, move |line| sink.lock().unwrap().push(line.clone()))
    };
    let id = unique_name("ne_log");
    let sql = "SELECT getSetting('send_logs_level') AS l";
    let got: Vec<(String,)> = level(c.query(sql).query_id(&id), LogPriority::Trace)
        .fetch_all()
        .await
        .unwrap();
    assert_eq!(got, vec![("trace".to_owned(),)]);
    let got: Vec<(String,)> = level(c.query(sql), LogPriority::Notice)
        .fetch_all()
        .await
        .unwrap();
    assert_eq!(got, vec![("information".to_owned(),)]);
    let got: Vec<(String,)> = level(
        c.query(sql).setting("send_logs_level", "error"),
        LogPriority::Trace,
    )
    .fetch_all()
    .await
    .unwrap();
    assert_eq!(got, vec![("error".to_owned(),)]);
    let lines = lines.lock().unwrap();
    println!("{} log lines", lines.len());
    assert!(lines.iter().all(|l| !l.text.is_empty()), "{lines:?}");
}

/// Over HTTP every one of these callbacks fails the query before it is sent: nothing would
/// ever call them.
#[chwire_tests::case]
pub async fn http_refuses_the_native_callbacks(rt: Arc<dyn Runtime>) {
    let c = client_builder(rt, Transport::Http).build().unwrap();
    let table = unique_name("ne_http");
    c.query(format!("CREATE TABLE {table} (x UInt64) ENGINE = Memory"))
        .execute()
        .await
        .unwrap();
    let insert = format!("INSERT INTO {table} SELECT 1");
    let queries = [
        c.query(&insert).on_log(LogPriority::Trace, |_| {}),
        c.query(&insert).on_profile_events(|_| {}),
        c.query(&insert).on_totals(|_| {}),
        c.query(&insert).on_extremes(|_| {}),
    ];
    for (i, q) in queries.into_iter().enumerate() {
        match q.execute().await {
            Err(chwire::Error::NotAvailable { protocol, what }) => {
                assert_eq!(protocol, "HTTP");
                let name = ["on_log", "on_profile_events", "on_totals", "on_extremes"][i];
                assert!(what.contains(name), "{what}");
            }
            other => panic!("callback {i}: expected NotAvailable, got {other:?}"),
        }
    }
    let (_, rows) = c
        .query(format!("SELECT count() FROM {table}"))
        .fetch_all_rows()
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![vec![Value::UInt64(0)]],
        "a refused query was sent"
    );
    let blocks = c.query(GROUPED).on_totals(|_| {}).fetch_blocks().await;
    assert!(
        matches!(blocks, Err(chwire::Error::NotAvailable { .. })),
        "{blocks:?}"
    );
    c.query(format!("DROP TABLE {table}"))
        .execute()
        .await
        .unwrap();
}

#[derive(chwire::Row, serde::Serialize)]
struct X {
    x: u64,
}

/// Typed and block inserts report their `InsertedRows` through `on_profile_events` (native);
/// over HTTP the insert fails when it starts and writes nothing.
#[chwire_tests::case]
pub async fn insert_profile_events(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client_builder(rt, transport).build().unwrap();
    let table = unique_name("ne_ins");
    c.query(format!("CREATE TABLE {table} (x UInt64) ENGINE = Memory"))
        .execute()
        .await
        .unwrap();
    let events: Arc<Mutex<Vec<ProfileEvent>>> = Arc::default();
    let sink = events.clone();
    let mut insert = c
        .insert::<X>(&table)
        .await
        .unwrap()
        .on_profile_events(move |e| sink.lock().unwrap().extend_from_slice(e));
    let mut outcome = Ok(());
    for x in 0..500 {
        outcome = insert.write(&X { x }).await;
        if outcome.is_err() {
            break;
        }
    }
    let outcome = match outcome {
        Ok(()) => insert.end().await.map(|_| ()),
        Err(e) => Err(e),
    };
    let sink = events.clone();
    let block = Block::new(vec![(
        "x".into(),
        chwire::Column::from_values(&chwire::DataType::UInt64, (0..300).map(Value::UInt64))
            .unwrap(),
    )])
    .unwrap();
    let mut blocks = c
        .insert_blocks(&table)
        .on_profile_events(move |e| sink.lock().unwrap().extend_from_slice(e));
    let block_outcome = match blocks.write(block).await {
        Ok(()) => blocks.end().await.map(|_| ()),
        Err(e) => Err(e),
    };
    let (_, rows) = c
        .query(format!("SELECT count() FROM {table}"))
        .fetch_all_rows()
        .await
        .unwrap();
    let inserted: i64 = events
        .lock()
        .unwrap()
        .iter()
        .filter(|e| e.name == "InsertedRows" && e.thread_id == 0)
        .map(|e| e.value)
        .sum();
    match transport {
        Transport::Native => {
            outcome.unwrap();
            block_outcome.unwrap();
            assert_eq!(inserted, 800);
            assert_eq!(rows, vec![vec![Value::UInt64(800)]]);
        }
        Transport::Http => {
            for o in [outcome, block_outcome] {
                assert!(
                    matches!(
                        o,
                        Err(chwire::Error::NotAvailable {
                            protocol: "HTTP",
                            ..
                        })
                    ),
                    "{o:?}"
                );
            }
            assert_eq!(rows, vec![vec![Value::UInt64(0)]]);
        }
    }
    c.query(format!("DROP TABLE {table}"))
        .execute()
        .await
        .unwrap();
}

/// A long streamed result: profile events arrive while it streams (not only at its end), and
/// every block of rows still reaches the consumer.
#[chwire_tests::case]
pub async fn profile_events_while_a_result_streams(rt: Arc<dyn Runtime>) {
    let c = native(rt);
    let seen: Arc<Mutex<Vec<(usize, i64)>>> = Arc::default();
    let rows = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (sink, counted) = (seen.clone(), rows.clone());
    let mut blocks = c
        .query("SELECT number FROM numbers(3000000) WHERE sleepEachRow(0) = 0")
        .setting("max_block_size", 100000)
        .setting("interactive_delay", 2000)
        .on_profile_events(move |e| {
            let selected = e
                .iter()
                .filter(|e| e.name == "SelectedRows" && e.thread_id == 0)
                .map(|e| e.value)
                .sum();
            let at = counted.load(std::sync::atomic::Ordering::Relaxed);
            sink.lock().unwrap().push((at, selected));
        })
        .fetch_blocks()
        .await
        .unwrap();
    while let Some(b) = blocks.next().await {
        rows.fetch_add(b.unwrap().rows, std::sync::atomic::Ordering::Relaxed);
    }
    assert_eq!(rows.load(std::sync::atomic::Ordering::Relaxed), 3_000_000);
    let seen = seen.lock().unwrap();
    println!(
        "{} ProfileEvents packets, the first after {} of 3000000 rows were consumed",
        seen.len(),
        seen.first().map_or(0, |s| s.0)
    );
    assert_eq!(seen.iter().map(|s| s.1).sum::<i64>(), 3_000_000, "{seen:?}");
    // Every 2 ms of a scan of 3M rows: the first report comes before the last block.
    assert!(seen.len() >= 2 && seen[0].0 < 3_000_000, "{seen:?}");
}
