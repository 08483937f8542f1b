//! The client half of `cargo xtask soak`: producers write through one shared `Inserter` into
//! a MergeTree table while the harness `kill -9`s and restarts the server; at the end every
//! row must be stored exactly once and this process's memory must have stayed flat.
//!
//! Protocol with the harness: the server URL comes from `CHWIRE_HTTP_URL`; `ready` on stdout
//! once the table exists and producers run; stdin reaching EOF means "stop producing" (the
//! harness closes it with the server up, and kills no more). The report (`key value` lines)
//! goes to `--report FILE` and stdout; the exit code is 0 only when every check passed.
//!
//! Run it with `cargo xtask soak`, which builds it in release; by hand:
//! `cargo run --release -p chwire-examples --example soak -- --report r.txt` (Ctrl-D stops it).

mod resolve;
mod rss;

use std::fmt::Write as _;
use std::io::Read;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chwire::{Client, Inserter, InserterStats, RetryPolicy, Value};
use chwire_rt::Runtime;
use chwire_tokio::TokioRuntime;

use resolve::{Kind, Resolution};
use rss::RssTimeline;

const TABLE: &str = "chwire_soak";

/// How often RSS is sampled.
const RSS_SAMPLE: Duration = Duration::from_millis(200);
/// Producers write in steps of this length (rows per step = rate × step / producers).
const STEP: Duration = Duration::from_millis(50);

const USAGE: &str = "soak [--producers N] [--rate ROWS_PER_S] [--interval-secs S] [--report FILE]";

#[derive(Debug)]
struct Args {
    producers: u64,
    rate: u64,
    interval: Duration,
    report: Option<std::path::PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        producers: 4,
        rate: 20_000,
        interval: Duration::from_secs(60),
        report: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n\nusage: {USAGE}"))?;
        let number = || {
            value
                .parse::<u64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{flag} takes a positive integer, not `{value}`"))
        };
        match flag.as_str() {
            "--producers" => args.producers = number()?,
            "--rate" => args.rate = number()?,
            "--interval-secs" => args.interval = Duration::from_secs(number()?),
            "--report" => args.report = Some(value.into()),
            other => return Err(format!("unknown option `{other}`\n\nusage: {USAGE}")),
        }
    }
    Ok(args)
}

/// The value column of row `id`: a fixed function of the id, so its sum checks the stored
/// values, not only the keys.
fn value_of(id: u64) -> u64 {
    id.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40
}

/// What one producer wrote: ids `p, p + P, p + 2P, …` (`rows` of them).
#[derive(Debug, Default, Clone, Copy)]
struct Written {
    rows: u64,
    sum_id: u64,
    sum_v: u64,
}

impl Written {
    fn add(&mut self, other: Written) {
        self.rows += other.rows;
        self.sum_id = self.sum_id.wrapping_add(other.sum_id);
        self.sum_v = self.sum_v.wrapping_add(other.sum_v);
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("soak: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime: Arc<dyn Runtime> =
        Arc::new(TokioRuntime::try_current().expect("inside #[tokio::main]"));
    match soak(runtime, &args).await {
        Ok((report, passed)) => {
            print!("{report}");
            if let Some(path) = &args.report
                && let Err(e) = std::fs::write(path, &report)
            {
                eprintln!("soak: cannot write {}: {e}", path.display());
                return ExitCode::from(2);
            }
            if passed {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("soak: {e}");
            ExitCode::from(2)
        }
    }
}

/// A future that completes when stdin reaches EOF (the harness's "stop").
fn stop_signal() -> async_channel::Receiver<()> {
    let (tx, rx) = async_channel::bounded(1);
    std::thread::spawn(move || {
        let mut sink = [0u8; 64];
        let mut stdin = std::io::stdin();
        while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
        let _ = tx.send_blocking(());
    });
    rx
}

async fn soak(rt: Arc<dyn Runtime>, args: &Args) -> Result<(String, bool), String> {
    let url = std::env::var("CHWIRE_HTTP_URL").map_err(|_| "CHWIRE_HTTP_URL is not set")?;
    let stop = stop_signal();
    let client = Client::builder(rt.clone())
        .url(url)
        .connect_timeout(Duration::from_secs(2))
        .build()
        .map_err(|e| e.to_string())?;
    for sql in [
        format!("DROP TABLE IF EXISTS {TABLE}"),
        // The deduplication window (in blocks) must outlast how far a retry can lag behind.
        format!(
            "CREATE TABLE {TABLE} (id UInt64, v UInt64) ENGINE = MergeTree ORDER BY id \
             SETTINGS non_replicated_deduplication_window = 100000"
        ),
    ] {
        client
            .query(sql)
            .execute()
            .await
            .map_err(|e| format!("setting up {TABLE}: {e}"))?;
    }

    let (batches_tx, batches_rx) = async_channel::unbounded();
    let uncertain_tx = batches_tx.clone();
    let dead_tx = batches_tx.clone();
    let inserter = Inserter::builder(client.clone(), TABLE)
        .columns(&[("id", "UInt64"), ("v", "UInt64")])
        .max_rows(4000)
        .period(Duration::from_millis(200))
        .max_in_flight(4)
        .retry(RetryPolicy {
            // Far more than a restart needs: a dead letter here means something is wrong.
            max_retries: 10_000,
            initial_backoff: Duration::from_millis(50),
            max_backoff: Duration::from_secs(1),
        })
        .uncertain(move |b| {
            let _ = uncertain_tx.try_send(Some((Kind::Uncertain, b)));
        })
        .dead_letter(move |b| {
            let _ = dead_tx.try_send(Some((Kind::DeadLetter, b)));
        })
        .build()
        .map_err(|e| e.to_string())?;

    // Settles uncertain batches and dead letters as they come (so their rows are not held
    // until the end); `None` after the inserter ended means no more will come.
    let resolutions = Arc::new(Mutex::new(Vec::<Resolution>::new()));
    let (resolved_tx, resolved_rx) = async_channel::bounded::<()>(1);
    {
        let client = client.clone();
        let resolutions = resolutions.clone();
        rt.spawn(Box::pin(async move {
            while let Ok(Some((kind, batch))) = batches_rx.recv().await {
                let r = resolve::resolve(&client, TABLE, kind, batch).await;
                eprintln!("soak: {r}");
                resolutions.lock().unwrap().push(r);
            }
            let _ = resolved_tx.send(()).await;
        }));
    }

    let start = Instant::now();
    let timeline = Arc::new(Mutex::new(Memory {
        rss: RssTimeline::new(args.interval),
        anon: RssTimeline::new(args.interval),
    }));
    let (sampler_stop_tx, sampler_stop_rx) = async_channel::bounded::<()>(1);
    spawn_sampler(&rt, &inserter, start, timeline.clone(), sampler_stop_rx);

    let (done_tx, done_rx) = async_channel::bounded(args.producers as usize);
    let producing = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let per_step = (args.rate * STEP.as_millis() as u64 / 1000 / args.producers).max(1);
    for p in 0..args.producers {
        let inserter = inserter.clone();
        let done = done_tx.clone();
        let producing = producing.clone();
        let rt2 = rt.clone();
        let producers = args.producers;
        rt.spawn(Box::pin(async move {
            let result = produce(&rt2, &inserter, p, producers, per_step, &producing).await;
            let _ = done.send(result).await;
        }));
    }
    println!("ready");

    let _ = stop.recv().await;
    producing.store(false, std::sync::atomic::Ordering::SeqCst);
    let mut expected = Written::default();
    let mut producer_errors = Vec::new();
    for _ in 0..args.producers {
        match done_rx.recv().await {
            Ok(Ok(w)) => expected.add(w),
            Ok(Err(e)) => producer_errors.push(e),
            Err(_) => producer_errors.push("a producer vanished".to_string()),
        }
    }
    let stats = inserter
        .end()
        .await
        .map_err(|e| format!("Inserter::end: {e}"))?;
    let _ = batches_tx.send(None).await;
    let _ = resolved_rx.recv().await;
    let _ = sampler_stop_tx.send(()).await;
    let resolutions = std::mem::take(&mut *resolutions.lock().unwrap());

    let totals = resolve::until_ok(&client, || totals(&client))
        .await
        .map_err(|e| format!("reading the totals: {e}"))?;
    let timeline = timeline.lock().unwrap().clone();
    Ok(report(
        start.elapsed(),
        expected,
        totals,
        &stats,
        &resolutions,
        &producer_errors,
        &timeline,
    ))
}

/// Writes rows until `producing` turns false, `per_step` rows per [`STEP`].
async fn produce(
    rt: &Arc<dyn Runtime>,
    inserter: &Inserter,
    p: u64,
    producers: u64,
    per_step: u64,
    producing: &std::sync::atomic::AtomicBool,
) -> Result<Written, String> {
    let mut written = Written::default();
    let mut next = rt.now();
    while producing.load(std::sync::atomic::Ordering::SeqCst) {
        for _ in 0..per_step {
            let id = p + written.rows * producers;
            inserter
                .write(&[Value::UInt64(id), Value::UInt64(value_of(id))])
                .await
                .map_err(|e| format!("producer {p}: {e}"))?;
            written.add(Written {
                rows: 1,
                sum_id: id,
                sum_v: value_of(id),
            });
        }
        // A fixed rate; after a stall (the server was down) go on from now, no burst.
        next = (next + STEP).max(rt.now());
        rt.sleep_until(next).await;
    }
    Ok(written)
}

/// Peak memory per interval: all of it, and the anonymous part (see [`rss`]).
#[derive(Debug, Clone)]
struct Memory {
    rss: RssTimeline,
    anon: RssTimeline,
}

/// Samples memory every [`RSS_SAMPLE`] into `timeline`, and prints one progress line per
/// interval.
fn spawn_sampler(
    rt: &Arc<dyn Runtime>,
    inserter: &Inserter,
    start: Instant,
    timeline: Arc<Mutex<Memory>>,
    stop: async_channel::Receiver<()>,
) {
    let rt2 = rt.clone();
    let inserter = inserter.clone();
    rt.spawn(Box::pin(async move {
        let mut printed = 0usize;
        while stop.is_empty() {
            let Some(sample) = rss::sample() else {
                return;
            };
            {
                let mut t = timeline.lock().unwrap();
                t.rss.record(start.elapsed(), sample.rss_kib);
                t.anon.record(start.elapsed(), sample.anon_kib);
                if t.rss.peaks_kib.len() > printed + 1 {
                    let s = inserter.stats();
                    eprintln!(
                        "soak: interval {printed} peak RSS {} KiB (anon {} KiB); committed {} rows, {} retries, {} uncertain",
                        t.rss.peaks_kib[printed],
                        t.anon.peaks_kib[printed],
                        s.rows_committed,
                        s.retries,
                        s.uncertain_batches
                    );
                    printed += 1;
                }
            }
            rt2.sleep(RSS_SAMPLE).await;
        }
    }));
}

/// What the table holds.
#[derive(Debug, Clone, Copy)]
struct Totals {
    count: u64,
    distinct: u64,
    sum_id: u64,
    sum_v: u64,
}

async fn totals(client: &Client) -> chwire::Result<Totals> {
    let (_, rows) = client
        .query(format!(
            "SELECT count(), uniqExact(id), sum(id), sum(v) FROM {TABLE}"
        ))
        .fetch_all_rows()
        .await?;
    match rows.first().map(Vec::as_slice) {
        Some(
            [
                Value::UInt64(count),
                Value::UInt64(distinct),
                Value::UInt64(sum_id),
                Value::UInt64(sum_v),
            ],
        ) => Ok(Totals {
            count: *count,
            distinct: *distinct,
            sum_id: *sum_id,
            sum_v: *sum_v,
        }),
        other => Err(chwire::Error::Config(format!("totals: {other:?}"))),
    }
}

/// The report (`key value` lines, one `resolution` line per settled batch, one `rss_interval`
/// line per interval, `check` lines last) and whether every check passed.
fn report(
    elapsed: Duration,
    expected: Written,
    totals: Totals,
    stats: &InserterStats,
    resolutions: &[Resolution],
    producer_errors: &[String],
    memory: &Memory,
) -> (String, bool) {
    let mut out = String::new();
    let count = |kind: Kind, pred: &dyn Fn(&Resolution) -> bool| {
        resolutions
            .iter()
            .filter(|r| r.kind == kind && pred(r))
            .count()
    };
    let reinserted = |r: &Resolution| matches!(r.outcome, resolve::Outcome::Reinserted { .. });
    let _ = writeln!(out, "elapsed_secs {:.1}", elapsed.as_secs_f64());
    let _ = writeln!(out, "rows_expected {}", expected.rows);
    let _ = writeln!(out, "rows_stored {}", totals.count);
    let _ = writeln!(out, "distinct_ids {}", totals.distinct);
    let _ = writeln!(out, "sum_id_expected {}", expected.sum_id);
    let _ = writeln!(out, "sum_id_stored {}", totals.sum_id);
    let _ = writeln!(out, "sum_v_expected {}", expected.sum_v);
    let _ = writeln!(out, "sum_v_stored {}", totals.sum_v);
    let _ = writeln!(out, "batches_committed {}", stats.batches_committed);
    let _ = writeln!(out, "retries {}", stats.retries);
    let _ = writeln!(out, "uncertain_batches {}", stats.uncertain_batches);
    let _ = writeln!(out, "uncertain_rows {}", stats.uncertain_rows);
    let _ = writeln!(
        out,
        "uncertain_present {}",
        count(Kind::Uncertain, &|r| r.outcome == resolve::Outcome::Present)
    );
    let _ = writeln!(
        out,
        "uncertain_reinserted {}",
        count(Kind::Uncertain, &reinserted)
    );
    let _ = writeln!(out, "dead_letters {}", stats.failed_batches);
    let _ = writeln!(
        out,
        "dead_letters_reinserted {}",
        count(Kind::DeadLetter, &reinserted)
    );
    let _ = writeln!(
        out,
        "max_buffered_rows_seen {}",
        stats.max_buffered_rows_seen
    );
    for r in resolutions {
        let _ = writeln!(out, "resolution {r}");
    }
    for (i, (kib, anon)) in memory
        .rss
        .peaks_kib
        .iter()
        .zip(&memory.anon.peaks_kib)
        .enumerate()
    {
        let _ = writeln!(
            out,
            "rss_interval {i} start_secs {} peak_kib {kib} anon_peak_kib {anon}",
            memory.rss.interval.as_secs() * i as u64
        );
    }

    let flat = |timeline: &RssTimeline| match timeline.flat() {
        Some(f) => (
            f.ok(),
            format!(
                "late peak {} KiB, early peak {} KiB, allowed {} KiB",
                f.late_peak_kib, f.early_peak_kib, f.allowed_kib
            ),
        ),
        None => (false, "fewer than two intervals sampled".to_string()),
    };
    let (rss_flat, rss_detail) = flat(&memory.rss);
    let (anon_flat, anon_detail) = flat(&memory.anon);
    let checks = [
        (
            "producers_ran",
            producer_errors.is_empty(),
            producer_errors.join("; "),
        ),
        ("rows_written", expected.rows > 0, String::new()),
        (
            "count",
            totals.count == expected.rows,
            format!("{} stored, {} written", totals.count, expected.rows),
        ),
        (
            "exactly_once",
            totals.distinct == totals.count,
            format!("{} distinct ids in {} rows", totals.distinct, totals.count),
        ),
        ("sum_id", totals.sum_id == expected.sum_id, String::new()),
        ("sum_v", totals.sum_v == expected.sum_v, String::new()),
        (
            "batches_settled",
            resolutions.iter().all(Resolution::ok)
                && resolutions.len() as u64 == stats.uncertain_batches + stats.failed_batches,
            format!(
                "{} settled of {} uncertain + {} dead",
                resolutions.len(),
                stats.uncertain_batches,
                stats.failed_batches
            ),
        ),
        ("rss_flat", rss_flat, rss_detail),
        ("anon_rss_flat", anon_flat, anon_detail),
    ];
    let mut passed = true;
    for (name, ok, detail) in checks {
        passed &= ok;
        let verdict = if ok { "ok" } else { "FAILED" };
        let _ = writeln!(out, "check {name} {verdict} {detail}");
    }
    (out, passed)
}
