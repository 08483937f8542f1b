//! The throughput scenarios (`select_u64`, `select_mixed`, `insert_mixed`): every client on the
//! same rows, uncompressed and with LZ4, taking turns in a rotating order. Clients: chwire over
//! HTTP (blocks, typed rows), the official crate, the raw HTTP socket, and over the native
//! protocol chwire (blocks, typed rows) and the raw native socket. A client that is not
//! available (the native transport not built yet, no native address) is left out of the turns
//! and shown as n/a.

use std::time::Instant;

use chwire::{Block, Client};
use serde::Serialize;

use crate::data::{self, DATABASE, INSERT_TABLE, Kind, MixedRow, Scenario};
use crate::raw_native::InsertPackets;
use crate::{
    BoxError, Case, Check, Measurement, chwire_side, compression_name, official, progress, quiesce,
    raw, raw_native,
};

/// The clients of a case, in `Case` order.
pub const CLIENTS: [(&str, &str); 7] = [
    ("chwire", "tokio"),
    ("chwire-rows", "tokio"),
    ("official", "tokio"),
    ("raw", "blocking"),
    ("chwire-native", "tokio"),
    ("chwire-native-rows", "tokio"),
    ("raw-native", "blocking"),
];

const CHWIRE: usize = 0;
const CHWIRE_ROWS: usize = 1;
const OFFICIAL: usize = 2;
const RAW: usize = 3;
const NATIVE: usize = 4;
const NATIVE_ROWS: usize = 5;
const RAW_NATIVE: usize = 6;

/// One scenario's comparison at one compression; native figures are `None` when not run.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub scenario: String,
    pub description: String,
    pub compression: &'static str,
    /// Native blocks over HTTP.
    pub chwire_rows_per_s: f64,
    /// Typed rows (`#[derive(chwire::Row)]`: selects over Native re-laid as rows, inserts in
    /// RowBinary) over HTTP.
    pub chwire_typed_rows_per_s: f64,
    pub official_rows_per_s: f64,
    pub raw_rows_per_s: f64,
    pub chwire_vs_official: f64,
    pub chwire_typed_vs_official: f64,
    pub chwire_vs_raw: f64,
    /// chwire over the native protocol, blocks and typed rows.
    pub native_rows_per_s: Option<f64>,
    pub native_typed_rows_per_s: Option<f64>,
    /// The raw native socket.
    pub raw_native_rows_per_s: Option<f64>,
    pub native_vs_raw_native: Option<f64>,
    pub native_vs_chwire_http: Option<f64>,
}

/// The clients the scenarios run, built once (shared with the `inserter` scenario).
pub struct Clients<'a> {
    pub tokio: &'a tokio::runtime::Runtime,
    /// chwire over HTTP, uncompressed and LZ4.
    pub http: &'a [Client; 2],
    /// chwire over the native protocol; `None` while the transport is not built.
    pub native: Option<&'a [Client; 2]>,
    pub official: &'a [clickhouse::Client; 2],
    /// `host:port` of the HTTP interface (raw socket).
    pub http_addr: &'a str,
    /// `host:port` of the native interface (raw native socket), if known.
    pub tcp_addr: Option<&'a str>,
}

impl Clients<'_> {
    /// chwire over native (when built, else HTTP) or HTTP, with or without LZ4.
    pub fn chwire(&self, native: bool, lz4: bool) -> &Client {
        let ci = usize::from(lz4);
        match (native, self.native) {
            (true, Some(n)) => &n[ci],
            _ => &self.http[ci],
        }
    }

    fn available(&self, which: usize) -> bool {
        match which {
            NATIVE | NATIVE_ROWS => self.native.is_some(),
            RAW_NATIVE => self.tcp_addr.is_some(),
            _ => true,
        }
    }
}

/// A scenario's data, in each client's natural form, built before any clock starts.
struct Work {
    sql: String,
    blocks: Vec<Block>,
    rows: Vec<MixedRow>,
    /// The raw HTTP bodies, plain and LZ4.
    bodies: [Vec<u8>; 2],
    /// The raw native Data packets, plain and LZ4.
    packets: Option<[InsertPackets; 2]>,
}

impl Work {
    fn new(scenario: &Scenario, with_native: bool) -> Result<Work, BoxError> {
        let mut work = Work {
            sql: scenario.select_sql(),
            blocks: Vec::new(),
            rows: Vec::new(),
            bodies: [Vec::new(), Vec::new()],
            packets: None,
        };
        if scenario.kind == Kind::InsertMixed {
            work.blocks = data::mixed_blocks(scenario.rows);
            work.bodies = [
                data::native_body(&work.blocks, false),
                data::native_body(&work.blocks, true),
            ];
            work.rows = data::mixed_rows(scenario.rows);
            if with_native {
                work.packets = Some([
                    InsertPackets::new(&work.blocks, false)?,
                    InsertPackets::new(&work.blocks, true)?,
                ]);
            }
        }
        Ok(work)
    }
}

/// Runs the throughput scenarios `selected` picks.
pub fn run(
    clients: &Clients<'_>,
    scale: f64,
    repeat: usize,
    selected: &dyn Fn(&str) -> bool,
) -> Result<(Vec<Measurement>, Vec<Comparison>), BoxError> {
    let mut measurements = Vec::new();
    let mut comparisons = Vec::new();
    for scenario in Scenario::all(scale) {
        if !selected(scenario.name) {
            continue;
        }
        let work = Work::new(&scenario, clients.tcp_addr.is_some())?;
        for lz4 in [false, true] {
            progress(&format!(
                "{} ({}), compression {}",
                scenario.name,
                scenario.description(),
                compression_name(lz4)
            ));
            let mut case = Case::new(&scenario, lz4, &CLIENTS);
            for rep in 0..=repeat {
                // The clients take turns in a rotating order, so none is always the first
                // one after the idle wait.
                for k in 0..CLIENTS.len() {
                    let which = (rep + k) % CLIENTS.len();
                    if !clients.available(which) {
                        continue;
                    }
                    // chwire's blocks are consumed by the insert: copied before the clock.
                    let blocks = if matches!(which, CHWIRE | NATIVE) {
                        work.blocks.clone()
                    } else {
                        Vec::new()
                    };
                    quiesce(clients.http_addr);
                    let started = Instant::now();
                    let (check, bytes) = run_client(clients, which, &scenario, &work, blocks, lz4)?;
                    case.record(which, started.elapsed(), check, bytes, rep > 0)?;
                }
            }
            let ms = case.measurements();
            comparisons.push(compare(&scenario, lz4, &ms));
            measurements.extend(ms);
        }
    }
    Ok((measurements, comparisons))
}

fn rate_of(ms: &[Measurement], client: &str) -> Option<f64> {
    ms.iter().find(|m| m.client == client).map(|m| m.rows_per_s)
}

fn compare(scenario: &Scenario, lz4: bool, ms: &[Measurement]) -> Comparison {
    let rate = |i: usize| rate_of(ms, CLIENTS[i].0);
    let chwire = rate(CHWIRE).unwrap_or(f64::NAN);
    let typed = rate(CHWIRE_ROWS).unwrap_or(f64::NAN);
    let official = rate(OFFICIAL).unwrap_or(f64::NAN);
    let raw = rate(RAW).unwrap_or(f64::NAN);
    let native = rate(NATIVE);
    let raw_native = rate(RAW_NATIVE);
    Comparison {
        scenario: scenario.name.to_string(),
        description: scenario.description(),
        compression: compression_name(lz4),
        chwire_rows_per_s: chwire,
        chwire_typed_rows_per_s: typed,
        official_rows_per_s: official,
        raw_rows_per_s: raw,
        chwire_vs_official: chwire / official,
        chwire_typed_vs_official: typed / official,
        chwire_vs_raw: chwire / raw,
        native_rows_per_s: native,
        native_typed_rows_per_s: rate(NATIVE_ROWS),
        raw_native_rows_per_s: raw_native,
        native_vs_raw_native: native.zip(raw_native).map(|(n, r)| n / r),
        native_vs_chwire_http: native.map(|n| n / chwire),
    }
}

/// One timed run of client `which`: what it read (selects) and the raw clients' wire bytes.
fn run_client(
    clients: &Clients<'_>,
    which: usize,
    scenario: &Scenario,
    work: &Work,
    blocks: Vec<Block>,
    lz4: bool,
) -> Result<(Option<Check>, Option<u64>), BoxError> {
    let ci = usize::from(lz4);
    let insert = scenario.kind == Kind::InsertMixed;
    let table = format!("{DATABASE}.{INSERT_TABLE}");
    let chwire_client = |native: bool| clients.chwire(native, lz4);
    Ok(match which {
        CHWIRE | NATIVE => {
            let client = chwire_client(which == NATIVE);
            let check = clients.tokio.block_on(async {
                if insert {
                    chwire_side::insert(client, &table, blocks)
                        .await
                        .map(|_| None)
                } else {
                    chwire_side::select(client, &work.sql).await.map(Some)
                }
            })?;
            (check, None)
        }
        CHWIRE_ROWS | NATIVE_ROWS => {
            let client = chwire_client(which == NATIVE_ROWS);
            let check = clients.tokio.block_on(async {
                if insert {
                    chwire_side::insert_rows(client, &table, &work.rows)
                        .await
                        .map(|_| None)
                } else {
                    chwire_side::select_rows(client, scenario.kind, &work.sql)
                        .await
                        .map(Some)
                }
            })?;
            (check, None)
        }
        OFFICIAL => {
            let client = &clients.official[ci];
            let check = clients.tokio.block_on(async {
                if insert {
                    official::insert(client, INSERT_TABLE, &work.rows)
                        .await
                        .map(|_| None)
                } else {
                    official::select(client, scenario.kind, &work.sql)
                        .await
                        .map(Some)
                }
            })?;
            (check, None)
        }
        RAW => {
            let addr = clients.http_addr;
            let bytes = if insert {
                let body = &work.bodies[ci];
                raw::insert(addr, &table, "id, name, value", body, lz4)?;
                body.len() as u64
            } else {
                raw::select(addr, &work.sql, lz4)?
            };
            (None, Some(bytes))
        }
        _ => {
            let addr = clients.tcp_addr.ok_or("no native address")?;
            let bytes = match (&work.packets, insert) {
                (Some(packets), true) => {
                    raw_native::insert(addr, &table, "id, name, value", &packets[ci])?
                }
                (None, true) => return Err("raw native insert without packets".into()),
                (_, false) => raw_native::select(addr, &work.sql, lz4)?,
            };
            (None, Some(bytes))
        }
    })
}
