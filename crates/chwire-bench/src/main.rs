//! `chwire-bench`: throughput of chwire against the official `clickhouse` crate and against a raw
//! socket read/write of the same bytes, on one server, in one run. Usually run through
//! `cargo xtask bench`, which starts a server and builds this in release mode.
//!
//! Every scenario runs once uncompressed and once with LZ4, for each client; the clients take
//! turns within each repetition (so background load drifts hit all of them alike), in an order
//! that rotates from one repetition to the next, each after the server is idle (checked over a
//! blocking socket, so no runtime is woken just before a timed run); the first repetition is a
//! warm-up and is not counted. Reported: medians, ratios, and a JSON file.

mod arrow;
mod async_inserts;
mod chwire_side;
mod data;
mod inserter;
mod latency;
mod malloc;
mod native_scan;
mod official;
mod peak_rss;
mod raw;
mod raw_native;
mod runtimes;
mod stream_rss;
mod throughput;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chwire_rt::Runtime;
use serde::Serialize;

use data::{DATABASE, INSERT_TABLE, Scenario};

const USAGE: &str = "\
chwire-bench [--url URL] [--tcp-addr HOST:PORT] [--native-url URL] [--repeat N] [--scale F]
             [--only NAME] [--out FILE] [--glibc-malloc-defaults]

  --url URL     server (default: $CHWIRE_HTTP_URL, else http://127.0.0.1:8123)
  --tcp-addr HOST:PORT
                the server's native port, for the raw native socket and (as
                clickhouse://HOST:PORT) chwire's native rows (default: $CHWIRE_TCP_ADDR;
                without one the native rows are n/a)
  --native-url URL
                chwire's native URL when it is not clickhouse://TCP-ADDR
  --repeat N    measured repetitions per case (default 5; one warm-up run more)
  --scale F     multiply every row count by F (default 1: 20M / 5M / 5M rows)
  --only NAME   run only scenarios whose name contains NAME (select_u64, select_mixed,
                insert_mixed, select1_latency, inserter, runtimes, async_inserts, arrow_u64,
                arrow_mixed, arrow_rss, stream_rss; `arrow` selects the three Arrow ones,
                `rss` both peak-RSS ones)
  --out FILE    JSON results (default target/bench/results.json)
  --glibc-malloc-defaults
                keep glibc's dynamic malloc thresholds (default: pinned, see src/malloc.rs)
";

/// What a run read or wrote, compared across clients so every client is seen doing the same
/// work.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Check {
    pub rows: u64,
    pub id_sum: u128,
    pub name_bytes: u64,
}

struct Args {
    url: String,
    tcp_addr: Option<String>,
    native_url: Option<String>,
    repeat: usize,
    scale: f64,
    only: Option<String>,
    out: PathBuf,
    malloc_defaults: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        url: std::env::var("CHWIRE_HTTP_URL").unwrap_or_else(|_| "http://127.0.0.1:8123".into()),
        tcp_addr: std::env::var("CHWIRE_TCP_ADDR")
            .ok()
            .filter(|a| !a.is_empty()),
        native_url: None,
        repeat: 5,
        scale: 1.0,
        only: None,
        out: PathBuf::from("target/bench/results.json"),
        malloc_defaults: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => args.url = value()?,
            "--tcp-addr" => args.tcp_addr = Some(value()?),
            "--native-url" => args.native_url = Some(value()?),
            "--repeat" => {
                args.repeat = value()?
                    .parse()
                    .map_err(|_| "--repeat takes a number".to_string())?;
                args.repeat = args.repeat.max(1);
            }
            "--scale" => {
                args.scale = value()?
                    .parse()
                    .map_err(|_| "--scale takes a number".to_string())?;
            }
            "--only" => args.only = Some(value()?),
            "--out" => args.out = PathBuf::from(value()?),
            "--glibc-malloc-defaults" => args.malloc_defaults = true,
            "-h" | "--help" => {
                print!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown option {other}\n\n{USAGE}")),
        }
    }
    if args.native_url.is_none() {
        args.native_url = args.tcp_addr.as_ref().map(|a| format!("clickhouse://{a}"));
    }
    if args.tcp_addr.is_none() {
        args.tcp_addr = args.native_url.as_deref().map(raw_native::host_port);
    }
    Ok(args)
}

/// The measurements of one client on one case.
#[derive(Debug, Clone, Serialize)]
struct Measurement {
    scenario: String,
    compression: &'static str,
    client: &'static str,
    runtime: &'static str,
    rows: u64,
    runs_s: Vec<f64>,
    median_s: f64,
    rows_per_s: f64,
    /// The fastest run: on a shared, loaded machine the least disturbed one.
    best_s: f64,
    best_rows_per_s: f64,
    /// Response (select) or request body (insert) bytes; raw client only.
    #[serde(skip_serializing_if = "Option::is_none")]
    wire_bytes: Option<u64>,
}

#[derive(Debug, Serialize)]
struct Report {
    server_version: String,
    url: String,
    /// chwire's native URL, or why its native rows are n/a.
    native: String,
    repeat: usize,
    cpus: usize,
    notes: Vec<String>,
    measurements: Vec<Measurement>,
    comparisons: Vec<throughput::Comparison>,
    runtimes: Vec<runtimes::RuntimeComparison>,
    latency: Vec<latency::Latency>,
    inserter: Vec<inserter::InserterComparison>,
    arrow: Vec<arrow::ArrowComparison>,
    arrow_rss: Vec<arrow::RssMeasurement>,
    stream_rss: Vec<stream_rss::StreamRss>,
}

fn median(runs: &[f64]) -> f64 {
    let mut v = runs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn compression_name(lz4: bool) -> &'static str {
    if lz4 { "lz4" } else { "none" }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The runs of one client on one case.
struct ClientRuns {
    client: &'static str,
    runtime: &'static str,
    runs_s: Vec<f64>,
    check: Option<Check>,
    wire_bytes: Option<u64>,
}

/// Collects runs of several clients on one case and checks they did the same work.
struct Case {
    scenario: String,
    lz4: bool,
    rows: u64,
    clients: Vec<ClientRuns>,
}

impl Case {
    fn new(scenario: &Scenario, lz4: bool, clients: &[(&'static str, &'static str)]) -> Case {
        Case {
            scenario: scenario.name.to_string(),
            lz4,
            rows: scenario.rows,
            clients: clients
                .iter()
                .map(|&(client, runtime)| ClientRuns {
                    client,
                    runtime,
                    runs_s: Vec::new(),
                    check: None,
                    wire_bytes: None,
                })
                .collect(),
        }
    }

    /// Records one run of client `i`; `measured` is false for the warm-up.
    fn record(
        &mut self,
        i: usize,
        elapsed: Duration,
        check: Option<Check>,
        wire_bytes: Option<u64>,
        measured: bool,
    ) -> Result<(), BoxError> {
        let name = self.clients[i].client;
        if let Some(check) = check {
            if check.rows != self.rows {
                return Err(
                    format!("{name} saw {} rows, expected {}", check.rows, self.rows).into(),
                );
            }
            let expected_sum = u128::from(self.rows) * u128::from(self.rows - 1) / 2;
            if check.id_sum != expected_sum {
                return Err(format!("{name}: id sum {} != {expected_sum}", check.id_sum).into());
            }
            for other in self.clients.iter().filter_map(|c| c.check) {
                if other != check {
                    return Err(format!("{name}: {check:?} differs from {other:?}").into());
                }
            }
            self.clients[i].check = Some(check);
        }
        if wire_bytes.is_some() {
            self.clients[i].wire_bytes = wire_bytes;
        }
        if measured {
            self.clients[i].runs_s.push(elapsed.as_secs_f64());
        }
        Ok(())
    }

    fn measurements(&self) -> Vec<Measurement> {
        self.clients
            .iter()
            .filter(|c| !c.runs_s.is_empty())
            .map(|c| {
                let m = median(&c.runs_s);
                Measurement {
                    scenario: self.scenario.clone(),
                    compression: compression_name(self.lz4),
                    client: c.client,
                    runtime: c.runtime,
                    rows: self.rows,
                    runs_s: c.runs_s.clone(),
                    median_s: m,
                    rows_per_s: self.rows as f64 / m,
                    best_s: c.runs_s.iter().copied().fold(f64::MAX, f64::min),
                    best_rows_per_s: self.rows as f64
                        / c.runs_s.iter().copied().fold(f64::MAX, f64::min),
                    wire_bytes: c.wire_bytes,
                }
            })
            .collect()
    }
}

fn progress(text: &str) {
    eprintln!("bench: {text}");
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.split_first() {
        Some((flag, rest)) if flag == arrow::RSS_CHILD_FLAG => arrow::rss_child(rest),
        Some((flag, rest)) if flag == stream_rss::CHILD_FLAG => stream_rss::child(rest),
        _ => run(),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("chwire-bench: error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Waits (untimed) until the server runs no query but the harness's keep-alive one, so each
/// timed run starts on an idle server instead of overlapping the previous client's teardown.
/// Asks over a blocking socket: no runtime's threads are woken just before a timed run.
fn quiesce(addr: &str) {
    let sql = "SELECT count() FROM system.processes \
               WHERE query_id != queryID() AND query NOT LIKE '%sleepEachRow%'";
    let deadline = Instant::now() + std::time::Duration::from_secs(3);
    while Instant::now() < deadline {
        match raw::query_text(addr, sql).as_deref().map(str::trim) {
            Ok("0") | Err(_) => return,
            Ok(_) => std::thread::yield_now(),
        }
    }
}

fn run() -> Result<(), BoxError> {
    let args = parse_args()?;
    let malloc = if args.malloc_defaults {
        None
    } else {
        malloc::pin_thresholds()
    };
    let addr = raw::host_port(&args.url);
    let selected = |name: &str| args.only.as_deref().is_none_or(|o| name.contains(o));
    let tokio_rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let tokio_chwire: Arc<dyn Runtime> = Arc::new(chwire_tokio::TokioRuntime::from_handle(
        tokio_rt.handle().clone(),
    ));

    let chwire_clients = [
        chwire_side::client(tokio_chwire.clone(), &args.url, false)?,
        chwire_side::client(tokio_chwire.clone(), &args.url, true)?,
    ];
    let (native_clients, native_status) = match &args.native_url {
        Some(url) => match chwire_side::native_clients(tokio_chwire.clone(), url)? {
            Some(clients) => (Some(clients), url.clone()),
            None => (None, chwire_side::NATIVE_NOT_BUILT.to_string()),
        },
        None => (
            None,
            "n/a (no native address: --tcp-addr or CHWIRE_TCP_ADDR)".into(),
        ),
    };
    let official_clients = tokio_rt.block_on(async {
        [
            official::client(&args.url, DATABASE, false),
            official::client(&args.url, DATABASE, true),
        ]
    });

    let server_version = tokio_rt.block_on(async {
        let c = &chwire_clients[0];
        c.query(format!("CREATE DATABASE IF NOT EXISTS {DATABASE}"))
            .execute()
            .await?;
        c.query(format!(
            "CREATE TABLE IF NOT EXISTS {DATABASE}.{INSERT_TABLE} \
             (id UInt64, name String, value Float64) ENGINE = Null"
        ))
        .execute()
        .await?;
        let (_, rows) = c.query("SELECT version()").fetch_all_rows().await?;
        Ok::<_, chwire::Error>(match rows.first().and_then(|r| r.first()) {
            Some(chwire::Value::String(v)) => String::from_utf8_lossy(v).into_owned(),
            _ => "unknown".into(),
        })
    })?;
    progress(&format!(
        "ClickHouse {server_version} at {}; {} measured runs per case after one warm-up",
        args.url, args.repeat
    ));

    let mut measurements = Vec::new();

    let throughput_clients = throughput::Clients {
        tokio: &tokio_rt,
        http: &chwire_clients,
        native: native_clients.as_ref(),
        official: &official_clients,
        http_addr: &addr,
        tcp_addr: args.tcp_addr.as_deref(),
    };
    let (ms, comparisons) =
        throughput::run(&throughput_clients, args.scale, args.repeat, &selected)?;
    measurements.extend(ms);

    let mut latency = Vec::new();
    if selected("select1_latency") {
        let queries = ((latency::QUERIES * args.scale) as usize).max(100);
        latency = latency::run(
            &tokio_rt,
            &chwire_clients[0],
            native_clients.as_ref().map(|c| &c[0]),
            &official_clients[0],
            args.tcp_addr.as_deref(),
            queries,
        )?;
    }

    let mut inserter_results = Vec::new();
    if selected("inserter") {
        let (ms, comparisons) = inserter::run(&throughput_clients, args.scale, args.repeat)?;
        measurements.extend(ms);
        inserter_results = comparisons;
    }

    if selected("async_inserts") {
        progress("async_inserts: 2000 one-row inserts from 32 tasks with async-insert settings");
        tokio_rt.block_on(async_inserts::run(&args.url, 2000, 32, args.repeat as u32));
    }

    let arrow_results = arrow::run(
        &tokio_rt,
        &tokio_chwire,
        &args.url,
        args.repeat,
        args.scale,
        &selected,
    )?;
    measurements.extend(arrow_results.measurements);

    let mut runtimes = Vec::new();
    if selected("runtimes") {
        let native_url = native_clients.as_ref().and(args.native_url.as_deref());
        let (ms, comparisons) = runtimes::run(&args.url, native_url, args.scale, args.repeat)?;
        measurements.extend(ms);
        runtimes = comparisons;
    }

    let mut stream_rss = Vec::new();
    if selected("stream_rss") {
        let native_url = native_clients.as_ref().and(args.native_url.as_deref());
        stream_rss = stream_rss::run(&args.url, native_url, args.scale)?;
    }

    let report = Report {
        server_version,
        url: args.url.clone(),
        native: native_status,
        repeat: args.repeat,
        cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
        notes: vec![
            "rows/s from the median of the measured runs (one warm-up run not counted)".into(),
            "clients take turns in an order rotating per repetition; each run starts on an idle \
             server (system.processes, asked over a blocking socket)"
                .into(),
            "chwire: Native blocks (fetch_blocks / insert_blocks), tokio multi-thread unless noted"
                .into(),
            "chwire rows: #[derive(chwire::Row)] structs; fetch::<T> asks for Native (the client's \
             default format) and lays the rows out off-loop; insert::<T> sends RowBinary"
                .into(),
            "official: clickhouse 0.15 crate, #[derive(Row)] structs, RowBinary \
             (with_validation(false)); its LZ4 for SELECT is HTTP Accept-Encoding: lz4, \
             for INSERT ClickHouse compressed blocks"
                .into(),
            "runtimes: select_u64 as blocks and as typed rows on a fresh tokio runtime, \
             async-std and smol, over HTTP and (when built) native, four times the runs of the \
             other cases (single ~80 ms runs vary by +-20 %)"
                .into(),
            "native: chwire with the clickhouse:// URL (n/a while build() rejects the scheme); \
             raw-native: blocking TCP, handshake and Query packet built by chwire-proto's \
             tcp::Connection (compression=1 for LZ4), reply packets skipped by size to \
             EndOfStream (never decoded, nor decompressed), then a Ping whose Pong must be the \
             next packet; inserts send Data packets of the same 250k-row blocks, encoded and \
             compressed (64 KiB LZ4 frames) before the clock"
                .into(),
            "select1_latency: 10 000 sequential SELECT 1 per client on one pooled connection, \
             clients in turns of 100, after 10 warm-up queries each"
                .into(),
            "inserter: 5M mixed rows from 16 tokio tasks (1000-row write_rows_typed / write_block \
             calls) into one Inserter (max_rows 1M, max_bytes 64 MiB) into MergeTree; official-16 \
             = 16 concurrent insert()s (the crate has no shared multi-producer inserter); raw = \
             the insert_mixed raw bodies into the same table; each run on an empty table, \
             checked after"
                .into(),
            "raw: blocking TCP, same HTTP request as chwire (FORMAT Native, \
             compress=1&network_compression_method=lz4 for LZ4), response read and discarded; \
             inserts send the blocks merged five at a time into 1.25M-row Native blocks from \
             the first (chwire merges what is queued, so its first block goes alone), \
             compressed as one stream: at most what chwire's body costs the server"
                .into(),
            "inserts go into ENGINE = Null: the server parses and drops the rows".into(),
            "arrow: the select_u64 / select_mixed queries into RecordBatches; chwire-arrow = \
             fetch_arrow (Native, converted off-loop; LZ4 = compress=1), arrowstream+ipc = \
             FORMAT ArrowStream over chwire's HTTP (fetch_bytes) decoded by arrow-ipc's \
             StreamDecoder as chunks arrive (LZ4 = the server's default IPC compression \
             lz4_frame, uncompressed = output_format_arrow_compression_method='none'); \
             arrow_rss: VmHWM of a child process that streams 100M mixed rows batch by batch"
                .into(),
            "stream_rss: VmHWM of a child process that streams 100M mixed rows, uncompressed, \
             as blocks and as typed rows, over HTTP and native (target: under 64 MB)"
                .into(),
            "data to insert is built before the clock starts, in each client's natural form".into(),
            malloc.map_or_else(
                || "allocator: the platform's defaults".into(),
                |m| format!("{m}, for every client (see src/malloc.rs)"),
            ),
        ],
        measurements,
        comparisons,
        runtimes,
        latency,
        inserter: inserter_results,
        arrow: arrow_results.comparisons,
        arrow_rss: arrow_results.rss,
        stream_rss,
    };
    print!("{}", render(&report));
    if let Some(dir) = args.out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&args.out, serde_json::to_string_pretty(&report)?)?;
    println!("results written to {}", args.out.display());
    Ok(())
}

fn mrows(rate: f64) -> String {
    format!("{:.2}", rate / 1e6)
}

/// A rate in M rows/s, or `n/a` for a client that did not run.
fn mrows_or_na(rate: Option<f64>) -> String {
    rate.map_or_else(|| "n/a".into(), mrows)
}

fn ratio_or_na(ratio: Option<f64>) -> String {
    ratio.map_or_else(|| "n/a".into(), |r| format!("{r:.2}"))
}

/// The HTTP rows of the throughput scenarios.
fn render_http(report: &Report, out: &mut String) {
    let _ = writeln!(
        out,
        "{:<14} {:<5} {:>8} {:>9} {:>9} {:>8} {:>9} {:>9} {:>8}",
        "scenario",
        "comp",
        "chwire",
        "chw-rows",
        "official",
        "raw",
        "chw/off",
        "rows/off",
        "chw/raw"
    );
    for c in &report.comparisons {
        let _ = writeln!(
            out,
            "{:<14} {:<5} {:>8} {:>9} {:>9} {:>8} {:>9.2} {:>9.2} {:>8.2}",
            c.scenario,
            c.compression,
            mrows(c.chwire_rows_per_s),
            mrows(c.chwire_typed_rows_per_s),
            mrows(c.official_rows_per_s),
            mrows(c.raw_rows_per_s),
            c.chwire_vs_official,
            c.chwire_typed_vs_official,
            c.chwire_vs_raw
        );
    }
}

/// The native protocol's rows of the throughput scenarios.
fn render_native(report: &Report, out: &mut String) {
    let _ = writeln!(out, "\nNative protocol ({}), M rows/s", report.native);
    let _ = writeln!(
        out,
        "{:<14} {:<5} {:>8} {:>9} {:>8} {:>9} {:>9}",
        "scenario", "comp", "native", "nat-rows", "raw-nat", "nat/rawn", "nat/http"
    );
    for c in &report.comparisons {
        let _ = writeln!(
            out,
            "{:<14} {:<5} {:>8} {:>9} {:>8} {:>9} {:>9}",
            c.scenario,
            c.compression,
            mrows_or_na(c.native_rows_per_s),
            mrows_or_na(c.native_typed_rows_per_s),
            mrows_or_na(c.raw_native_rows_per_s),
            ratio_or_na(c.native_vs_raw_native),
            ratio_or_na(c.native_vs_chwire_http)
        );
    }
}

fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nClickHouse {} at {}, {} CPUs, median of {} runs, M rows/s",
        report.server_version, report.url, report.cpus, report.repeat
    );
    if !report.comparisons.is_empty() {
        render_http(report, &mut out);
        render_native(report, &mut out);
    }
    if !report.latency.is_empty() {
        latency::render(&report.latency, &report.native, &mut out);
    }
    if !report.inserter.is_empty() {
        inserter::render(&report.inserter, &report.native, &mut out);
    }
    if !report.arrow.is_empty() {
        let _ = writeln!(
            out,
            "\nInto Arrow RecordBatches, M rows/s (median of {} runs)",
            report.repeat
        );
        let _ = writeln!(
            out,
            "{:<14} {:<5} {:>12} {:>15} {:>9}",
            "scenario", "comp", "chwire-arrow", "arrowstream+ipc", "ratio"
        );
        for a in &report.arrow {
            let _ = writeln!(
                out,
                "{:<14} {:<5} {:>12} {:>15} {:>9.2}",
                a.scenario,
                a.compression,
                mrows(a.chwire_arrow_rows_per_s),
                mrows(a.arrow_stream_rows_per_s),
                a.chwire_vs_arrow_stream
            );
        }
    }
    for r in &report.arrow_rss {
        let _ = writeln!(
            out,
            "arrow_rss {:<16} {} rows in {} batches, {:.1} s: peak RSS {:.1} MB ({})",
            r.path,
            r.rows,
            r.batches,
            r.seconds,
            r.peak_rss_mb,
            if r.under_128_mb {
                "under 128 MB"
            } else {
                "NOT under 128 MB"
            }
        );
    }
    for r in &report.stream_rss {
        let _ = writeln!(
            out,
            "stream_rss {:<6} {:<6} {} rows, {:.1} s: peak RSS {:.1} MB ({})",
            r.transport,
            r.path,
            r.rows,
            r.seconds,
            r.peak_rss_mb,
            if r.under_64_mb {
                "under 64 MB"
            } else {
                "NOT under 64 MB"
            }
        );
    }
    if !report.runtimes.is_empty() {
        let _ = writeln!(
            out,
            "\nchwire on each runtime, M rows/s (median of {} runs each)",
            4 * report.repeat
        );
        let _ = writeln!(
            out,
            "{:<14} {:<12} {:<5} {:>8} {:>9} {:>8} {:>8}",
            "scenario", "path", "comp", "tokio", "async-std", "smol", "spread"
        );
        for r in &report.runtimes {
            let _ = writeln!(
                out,
                "{:<14} {:<12} {:<5} {:>8} {:>9} {:>8} {:>7.1}%  best runs",
                r.scenario,
                r.path,
                r.compression,
                mrows(r.best_tokio_rows_per_s),
                mrows(r.best_async_std_rows_per_s),
                mrows(r.best_smol_rows_per_s),
                r.best_spread * 100.0
            );
            let _ = writeln!(
                out,
                "{:<14} {:<12} {:<5} {:>8} {:>9} {:>8} {:>7.1}% {}",
                r.scenario,
                r.path,
                r.compression,
                mrows(r.tokio_rows_per_s),
                mrows(r.async_std_rows_per_s),
                mrows(r.smol_rows_per_s),
                r.spread * 100.0,
                if r.within_10_percent {
                    " medians (within 10%)"
                } else {
                    " medians (NOT within 10%)"
                }
            );
        }
    }
    out
}
