//! The `inserter` scenario (issue #19): 5M mixed rows from 16 producer tasks into a MergeTree
//! table through one shared chwire `Inserter` (typed rows with `write_rows_typed`, and blocks
//! with `write_block`), over HTTP and (when built) the native protocol, against the official
//! crate (it has no shared multi-producer inserter: 16 concurrent `insert()`s, one per task)
//! and against the raw limits: the same rows as one Native body POSTed over a raw HTTP socket,
//! and as Native Data packets over a raw native socket, all encoded before the clock starts.
//!
//! Every run starts on an empty table and is checked afterwards (untimed): the table must hold
//! exactly the rows written, with the expected sum of ids.

use std::sync::Arc;
use std::time::Instant;

use chwire::{Block, Client, Inserter};
use serde::Serialize;

use crate::data::{self, DATABASE, MixedRow};
use crate::raw_native::InsertPackets;
use crate::throughput::Clients;
use crate::{BoxError, Case, Check, Measurement, compression_name, progress, quiesce, raw};

/// Rows at scale 1.
pub const ROWS: f64 = 5e6;
/// Producer tasks.
const TASKS: usize = 16;
/// Rows per `write_rows_typed` call and per written block.
const WRITE_ROWS: usize = 1000;
/// The target: MergeTree, so the server does the work a real ingest does.
const TABLE: &str = "inserter_mt";
/// The Inserter's batch limits: about the server's `min_insert_block_size_rows`, so a batch is
/// one part, as the raw body's merged 1M-row blocks are.
const MAX_ROWS: u64 = 1_000_000;
const MAX_BYTES: u64 = 64 << 20;

const CLIENTS: [(&str, &str); 7] = [
    ("inserter-rows", "tokio"),
    ("inserter-blocks", "tokio"),
    ("official-16", "tokio"),
    ("raw", "blocking"),
    ("native-inserter-rows", "tokio"),
    ("native-inserter-blocks", "tokio"),
    ("raw-native", "blocking"),
];

#[derive(Debug, Clone, Serialize)]
pub struct InserterComparison {
    pub compression: &'static str,
    pub rows: u64,
    /// One row per client that ran: (client, M rows/s of the median run).
    pub rows_per_s: Vec<(&'static str, f64)>,
    /// Typed-row Inserter over HTTP against the raw HTTP body.
    pub inserter_vs_raw: f64,
    /// Typed-row Inserter over native against the raw native packets.
    pub native_inserter_vs_raw_native: Option<f64>,
}

/// The rows in each client's form.
struct Data {
    rows: Arc<Vec<MixedRow>>,
    /// Per task, its rows as blocks of [`WRITE_ROWS`].
    task_blocks: Arc<Vec<Vec<Block>>>,
    bodies: [Vec<u8>; 2],
    packets: Option<[InsertPackets; 2]>,
}

fn task_range(task: usize, rows: usize) -> std::ops::Range<usize> {
    task * rows / TASKS..(task + 1) * rows / TASKS
}

impl Data {
    fn new(rows: u64, with_native: bool) -> Result<Data, BoxError> {
        let n = rows as usize;
        let task_blocks = (0..TASKS)
            .map(|t| {
                let r = task_range(t, n);
                data::mixed_blocks_of(r.start as u64, r.end as u64, WRITE_ROWS)
            })
            .collect();
        let blocks = data::mixed_blocks(rows);
        let packets = if with_native {
            Some([
                InsertPackets::new(&blocks, false)?,
                InsertPackets::new(&blocks, true)?,
            ])
        } else {
            None
        };
        Ok(Data {
            rows: Arc::new(data::mixed_rows(rows)),
            task_blocks: Arc::new(task_blocks),
            bodies: [
                data::native_body(&blocks, false),
                data::native_body(&blocks, true),
            ],
            packets,
        })
    }
}

/// 16 producers into one shared Inserter; the rows it committed.
async fn through_inserter(client: &Client, data: &Data, blocks: bool) -> Result<u64, BoxError> {
    let inserter = Inserter::builder(client.clone(), format!("{DATABASE}.{TABLE}"))
        .columns(&[("id", "UInt64"), ("name", "String"), ("value", "Float64")])
        .max_rows(MAX_ROWS)
        .max_bytes(MAX_BYTES)
        .build()?;
    let mut tasks = Vec::with_capacity(TASKS);
    for t in 0..TASKS {
        let inserter = inserter.clone();
        let rows = data.rows.clone();
        let task_blocks = data.task_blocks.clone();
        tasks.push(tokio::spawn(async move {
            if blocks {
                for block in &task_blocks[t] {
                    inserter.write_block(block).await?;
                }
            } else {
                for chunk in rows[task_range(t, rows.len())].chunks(WRITE_ROWS) {
                    inserter.write_rows_typed(chunk).await?;
                }
            }
            Ok::<_, chwire::InserterError>(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(inserter.end().await?.rows_committed)
}

/// 16 concurrent official inserts, one per task's rows.
async fn official_16(
    client: &clickhouse::Client,
    rows: &Arc<Vec<MixedRow>>,
) -> Result<(), BoxError> {
    let mut tasks = Vec::with_capacity(TASKS);
    for t in 0..TASKS {
        let client = client.clone();
        let rows = rows.clone();
        tasks.push(tokio::spawn(async move {
            let mut insert = client.insert::<MixedRow>(TABLE).await?;
            for row in &rows[task_range(t, rows.len())] {
                insert.write(row).await?;
            }
            insert.end().await
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(())
}

/// What the table holds (untimed, over a blocking socket).
fn table_check(addr: &str) -> Result<Check, BoxError> {
    let text = raw::query_text(
        addr,
        &format!("SELECT count(), sum(toUInt128(id)), sum(length(name)) FROM {DATABASE}.{TABLE}"),
    )?;
    let mut fields = text.split_whitespace().map(str::parse::<u128>);
    let mut next = || -> Result<u128, BoxError> { Ok(fields.next().ok_or("short check reply")??) };
    Ok(Check {
        rows: next()? as u64,
        id_sum: next()?,
        name_bytes: next()? as u64,
    })
}

/// Runs the scenario, uncompressed and with LZ4.
pub fn run(
    clients: &Clients<'_>,
    scale: f64,
    repeat: usize,
) -> Result<(Vec<Measurement>, Vec<InserterComparison>), BoxError> {
    let rows = ((ROWS * scale) as u64).max(10_000);
    let addr = clients.http_addr;
    raw::query_text(
        addr,
        &format!(
            "CREATE TABLE IF NOT EXISTS {DATABASE}.{TABLE} (id UInt64, name String, \
             value Float64) ENGINE = MergeTree ORDER BY id"
        ),
    )?;
    let data = Data::new(rows, clients.tcp_addr.is_some())?;
    let scenario = data::Scenario {
        name: "inserter",
        kind: data::Kind::InsertMixed,
        rows,
    };
    let mut measurements = Vec::new();
    let mut comparisons = Vec::new();
    for lz4 in [false, true] {
        progress(&format!(
            "inserter: {rows} x (UInt64, String, Float64) from {TASKS} tasks into MergeTree, \
             compression {}",
            compression_name(lz4)
        ));
        let mut case = Case::new(&scenario, lz4, &CLIENTS);
        for rep in 0..=repeat {
            for k in 0..CLIENTS.len() {
                let which = (rep + k) % CLIENTS.len();
                let available = match which {
                    4 | 5 => clients.native.is_some(),
                    6 => clients.tcp_addr.is_some(),
                    _ => true,
                };
                if !available {
                    continue;
                }
                raw::query_text(addr, &format!("TRUNCATE TABLE {DATABASE}.{TABLE}"))?;
                quiesce(addr);
                let started = Instant::now();
                run_client(clients, which, &data, lz4)?;
                let elapsed = started.elapsed();
                case.record(which, elapsed, Some(table_check(addr)?), None, rep > 0)?;
            }
        }
        let ms = case.measurements();
        let rate = |name: &str| ms.iter().find(|m| m.client == name).map(|m| m.rows_per_s);
        let ratio = |a: &str, b: &str| rate(a).zip(rate(b)).map(|(a, b)| a / b);
        comparisons.push(InserterComparison {
            compression: compression_name(lz4),
            rows,
            rows_per_s: ms.iter().map(|m| (m.client, m.rows_per_s)).collect(),
            inserter_vs_raw: ratio("inserter-rows", "raw").unwrap_or(f64::NAN),
            native_inserter_vs_raw_native: ratio("native-inserter-rows", "raw-native"),
        });
        measurements.extend(ms);
    }
    raw::query_text(addr, &format!("TRUNCATE TABLE {DATABASE}.{TABLE}"))?;
    Ok((measurements, comparisons))
}

fn run_client(clients: &Clients<'_>, which: usize, data: &Data, lz4: bool) -> Result<(), BoxError> {
    let ci = usize::from(lz4);
    let table = format!("{DATABASE}.{TABLE}");
    match which {
        0 | 1 | 4 | 5 => {
            let client = clients.chwire(which >= 4, lz4);
            let committed =
                clients
                    .tokio
                    .block_on(through_inserter(client, data, which % 2 == 1))?;
            if committed != data.rows.len() as u64 {
                return Err(format!("the Inserter committed {committed} rows").into());
            }
        }
        2 => clients
            .tokio
            .block_on(official_16(&clients.official[ci], &data.rows))?,
        3 => {
            raw::insert(
                clients.http_addr,
                &table,
                "id, name, value",
                &data.bodies[ci],
                lz4,
            )?;
        }
        _ => {
            let addr = clients.tcp_addr.ok_or("no native address")?;
            let packets = data.packets.as_ref().ok_or("no native packets")?;
            crate::raw_native::insert(addr, &table, "id, name, value", &packets[ci])?;
        }
    }
    Ok(())
}

/// The scenario's table: every client's M rows/s and the ratios against the raw sockets.
pub fn render(rows: &[InserterComparison], native_status: &str, out: &mut String) {
    use std::fmt::Write as _;
    for c in rows {
        let _ = writeln!(
            out,
            "\ninserter: {} rows from {TASKS} tasks into MergeTree, compression {}, M rows/s",
            c.rows, c.compression
        );
        for (client, _) in CLIENTS {
            match c.rows_per_s.iter().find(|(name, _)| *name == client) {
                Some((_, rate)) => {
                    let _ = writeln!(out, "  {client:<24} {:>8.2}", rate / 1e6);
                }
                None => {
                    let _ = writeln!(out, "  {client:<24} {native_status}");
                }
            }
        }
        let _ = writeln!(
            out,
            "  inserter-rows/raw {:.2}, native-inserter-rows/raw-native {}",
            c.inserter_vs_raw,
            c.native_inserter_vs_raw_native
                .map_or_else(|| "n/a".into(), |r| format!("{r:.2}"))
        );
    }
}
