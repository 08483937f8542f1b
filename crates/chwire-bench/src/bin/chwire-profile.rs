//! Runs one chwire path in a loop, nothing else, so `perf record` sees only chwire:
//! `chwire-profile [select_u64|select_mixed|insert_mixed] [none|lz4] [runs]` against
//! `$CHWIRE_HTTP_URL`. Env: RT=async-std|smol, CHUNK, DEPTH, FETCH=bytes (stream the
//! undecoded Native bytes) or FETCH=rows (typed rows; FETCH=inserter: insert_mixed through a
//! shared Inserter from 16 tasks, into TABLE), IDLE_MS (pause before each run, as the
//! bench's turns do), MAX_IDLE (pool size; 0 = a new connection per run), INLINE (inline decode
//! threshold), TOKIO_WORKERS, ROWS (select_u64's row count), MALLOC=default (keep glibc's
//! dynamic malloc thresholds).

use std::sync::Arc;
use std::time::Instant;

use chwire::{Client, Compression};
use chwire_rt::Runtime;

#[allow(dead_code)]
#[path = "../data.rs"]
mod data;
#[path = "../malloc.rs"]
mod malloc;
#[allow(dead_code)]
#[path = "../raw.rs"]
mod raw;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let scenario = args.first().map_or("select_u64", String::as_str);
    let lz4 = args.get(1).is_some_and(|c| c == "lz4");
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    // Same allocator settings as chwire-bench unless MALLOC=default.
    if std::env::var("MALLOC").as_deref() != Ok("default") {
        malloc::pin_thresholds();
    }
    let url = std::env::var("CHWIRE_HTTP_URL").unwrap_or_else(|_| "http://127.0.0.1:8123".into());
    let mixed = scenario == "select_mixed";
    // The bench's own queries. ROWS: select_u64's row count (longer runs average out
    // scheduling noise).
    let select = if mixed {
        data::Scenario {
            name: "select_mixed",
            kind: data::Kind::SelectMixed,
            rows: 5_000_000,
        }
    } else {
        data::Scenario {
            name: "select_u64",
            kind: data::Kind::SelectU64,
            rows: match std::env::var("ROWS") {
                Ok(rows) => rows.parse()?,
                Err(_) => 20_000_000,
            },
        }
    };
    let select_rows = select.rows;
    let sql = select.select_sql();
    let sql = sql.as_str();
    let mut tokio_builder = tokio::runtime::Builder::new_multi_thread();
    // TOKIO_WORKERS: the multi-thread runtime's worker count (default: one per core).
    if let Some(n) = std::env::var("TOKIO_WORKERS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        tokio_builder.worker_threads(n);
    }
    let rt = tokio_builder.enable_all().build()?;
    // RT=async-std|smol runs the select loop on that runtime instead of tokio.
    let which = std::env::var("RT").unwrap_or_default();
    let runtime: Arc<dyn Runtime> = match which.as_str() {
        "async-std" => Arc::new(chwire_async_std::AsyncStdRuntime),
        "smol" => Arc::new(chwire_smol::SmolRuntime::new()),
        _ => Arc::new(chwire_tokio::TokioRuntime::from_handle(rt.handle().clone())),
    };
    let block_on = |f: std::pin::Pin<
        Box<dyn std::future::Future<Output = chwire::Result<u64>>>,
    >| match which.as_str() {
        "async-std" => async_std::task::block_on(f),
        "smol" => smol::block_on(f),
        _ => rt.block_on(f),
    };
    let mut builder = Client::builder(runtime);
    if let Some(n) = std::env::var("CHUNK").ok().and_then(|v| v.parse().ok()) {
        builder = builder.offload_chunk_size(n);
    }
    if let Some(n) = std::env::var("MAX_IDLE").ok().and_then(|v| v.parse().ok()) {
        builder = builder.pool_max_idle(n);
    }
    if let Some(n) = std::env::var("INLINE").ok().and_then(|v| v.parse().ok()) {
        builder = builder.inline_decode_threshold(n);
    }
    if let Some(n) = std::env::var("DEPTH").ok().and_then(|v| v.parse().ok()) {
        builder = builder.offload_queue_depth(n);
    }
    let client = builder
        .url(url.as_str())
        .compression(if lz4 {
            Compression::Lz4
        } else {
            Compression::None
        })
        .build()?;
    if scenario == "insert_mixed" {
        rt.block_on(
            client
                .query("CREATE TABLE IF NOT EXISTS default.profile_null (id UInt64, name String, value Float64) ENGINE = Null")
                .execute(),
        )?;
        if std::env::var("FETCH").as_deref() == Ok("rows") {
            // Typed rows (`insert::<T>`, RowBinary), as the bench's "chwire rows".
            let rows = data::mixed_rows(5_000_000);
            for _ in 0..runs {
                timed_insert("rows", || {
                    rt.block_on(async {
                        let mut insert = client
                            .insert::<data::MixedRow>("default.profile_null")
                            .await?;
                        for row in &rows {
                            insert.write(row).await?;
                        }
                        insert.end().await
                    })?;
                    Ok(())
                })?;
            }
            return Ok(());
        }
        if std::env::var("FETCH").as_deref() == Ok("inserter") {
            // The bench's Inserter: 16 tasks writing 1000-row `write_rows_typed` calls into
            // one shared Inserter (1M-row batches), into TABLE (default: the Null table).
            let table = std::env::var("TABLE").unwrap_or_else(|_| "default.profile_null".into());
            let rows = Arc::new(data::mixed_rows(5_000_000));
            for _ in 0..runs {
                timed_insert("inserter", || {
                    rt.block_on(async {
                        let ins = chwire::Inserter::builder(client.clone(), &table)
                            .columns_of::<data::MixedRow>()
                            .await?
                            .max_rows(1_000_000)
                            .max_bytes(64 << 20)
                            .build()?;
                        let tasks: Vec<_> = (0..16)
                            .map(|t| {
                                let (ins, rows) = (ins.clone(), Arc::clone(&rows));
                                tokio::spawn(async move {
                                    let part =
                                        &rows[t * rows.len() / 16..(t + 1) * rows.len() / 16];
                                    for chunk in part.chunks(1000) {
                                        ins.write_rows_typed(chunk)
                                            .await
                                            .map_err(|e| chwire::Error::Config(e.to_string()))?;
                                    }
                                    Ok::<_, chwire::Error>(())
                                })
                            })
                            .collect();
                        for t in tasks {
                            t.await
                                .map_err(|e| chwire::Error::Config(e.to_string()))??;
                        }
                        ins.end()
                            .await
                            .map_err(|e| chwire::Error::Config(e.to_string()))?;
                        Ok::<_, chwire::Error>(())
                    })?;
                    Ok(())
                })?;
            }
            return Ok(());
        }
        let blocks = data::mixed_blocks(5_000_000);
        if std::env::var("FETCH").as_deref() == Ok("raw") {
            // The limit: the bench's raw body (merged blocks) over a blocking socket.
            let body = data::native_body(&blocks, lz4);
            let addr = raw::host_port(&url);
            for _ in 0..runs {
                timed_insert("raw", || {
                    raw::insert(&addr, "default.profile_null", "id, name, value", &body, lz4)?;
                    Ok(())
                })?;
            }
            return Ok(());
        }
        for _ in 0..runs {
            let work = blocks.clone();
            std::thread::sleep(std::time::Duration::from_millis(idle_ms()));
            timed_insert(if lz4 { "lz4" } else { "none" }, || {
                rt.block_on(async {
                    let mut insert = client.insert_blocks("default.profile_null");
                    for block in work {
                        insert.write(block).await?;
                    }
                    insert.end().await
                })?;
                Ok(())
            })?;
        }
        return Ok(());
    }
    let idle_ms = idle_ms();
    for _ in 0..runs {
        // IDLE_MS: wait before each run, as the bench does between clients.
        std::thread::sleep(std::time::Duration::from_millis(idle_ms));
        let cpu = CpuMeter::start();
        let started = Instant::now();
        let rows = block_on(Box::pin(async {
            if std::env::var("FETCH").as_deref() == Ok("bytes") {
                // The pipeline without decoding: Native bytes streamed and dropped.
                let mut bytes = client.query(sql).fetch_bytes("Native").await?;
                let mut n = 0u64;
                while let Some(b) = bytes.next().await {
                    n += b?.len() as u64;
                }
                eprintln!("bytes: {n}");
                return Ok::<_, chwire::Error>(select_rows);
            }
            if std::env::var("FETCH").as_deref() == Ok("rows") {
                // Typed rows (RowBinaryWithNamesAndTypes + serde), as the bench's "chwire rows".
                let mut n = 0u64;
                if !mixed {
                    let mut rows = client.query(sql).fetch::<data::NumberRow>().await?;
                    while let Some(row) = rows.next().await {
                        n += u64::from(row?.number > 0) | 1;
                    }
                } else {
                    let mut rows = client.query(sql).fetch::<data::MixedRow>().await?;
                    while let Some(row) = rows.next().await {
                        n += u64::from(!row?.name.is_empty()) | 1;
                    }
                }
                return Ok(n);
            }
            let mut blocks = client.query(sql).fetch_blocks().await?;
            let mut rows = 0u64;
            while let Some(block) = blocks.next().await {
                rows += block?.rows as u64;
            }
            let stats = blocks.stats();
            eprintln!(
                "pipeline: {} chunks, {} bytes, {} bytes per chunk on average",
                stats.chunks,
                stats.bytes,
                stats.bytes / stats.chunks.max(1)
            );
            Ok::<_, chwire::Error>(rows)
        }))?;
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{scenario} {}: {rows} rows in {secs:.3} s = {:.1} M rows/s ({})",
            if lz4 { "lz4" } else { "none" },
            rows as f64 / secs / 1e6,
            cpu.report()
        );
    }
    Ok(())
}

/// Runs one 5M-row insert and prints its time, rate and CPU as `insert_mixed <label>: ...`.
fn timed_insert(
    label: &str,
    insert: impl FnOnce() -> Result<(), Box<dyn std::error::Error>>,
) -> Result<(), Box<dyn std::error::Error>> {
    let cpu = CpuMeter::start();
    let started = Instant::now();
    insert()?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "insert_mixed {label}: 5000000 rows in {secs:.3} s = {:.1} M rows/s ({})",
        5.0 / secs,
        cpu.report()
    );
    Ok(())
}

/// IDLE_MS: how long to wait before each run, as the bench does between clients.
fn idle_ms() -> u64 {
    std::env::var("IDLE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// CPU time (user + system, in clock ticks of 10 ms) of this process and, when `SERVER_PID`
/// is set, of the server, over one run: shows which side a run is bound by.
struct CpuMeter {
    client: u64,
    faults: u64,
    /// The server's pid, CPU ticks and page faults at the start.
    server: Option<(String, u64, u64)>,
}

impl CpuMeter {
    fn start() -> CpuMeter {
        CpuMeter {
            client: cpu_ticks("self"),
            faults: stat_field("self", 7),
            server: std::env::var("SERVER_PID")
                .ok()
                .map(|pid| (pid.clone(), cpu_ticks(&pid), stat_field(&pid, 7))),
        }
    }

    fn report(&self) -> String {
        let client = (cpu_ticks("self") - self.client) * 10;
        let faults = stat_field("self", 7) - self.faults;
        match &self.server {
            Some((pid, t0, f0)) => format!(
                "cpu ms: client {client}, server {}; page faults: client {faults}, server {}",
                (cpu_ticks(pid) - t0) * 10,
                stat_field(pid, 7) - f0
            ),
            None => format!("cpu ms: client {client}; client page faults {faults}"),
        }
    }
}

fn cpu_ticks(pid: &str) -> u64 {
    // utime and stime.
    stat_field(pid, 11) + stat_field(pid, 12)
}

/// Field `i` (0-based) after the parenthesised command name of `/proc/<pid>/stat`: 7 is
/// minflt, 11 utime, 12 stime.
fn stat_field(pid: &str, i: usize) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    rest.split_whitespace()
        .nth(i)
        .and_then(|x| x.parse().ok())
        .unwrap_or(0)
}
