//! The `select1_latency` scenario: sequential `SELECT 1` on a pooled client (the connection is
//! reused from the second query on), median and p99 per query in µs. chwire over HTTP and over
//! the native protocol (blocks and typed rows), the official crate, and the raw native socket
//! on one kept connection (the floor: one Query packet out, a few packets back). The clients
//! take turns in rounds of 100 queries, so load drifts hit all of them alike.

use std::time::Instant;

use chwire::{Client, Row};
use serde::{Deserialize, Serialize};

use crate::{BoxError, progress, raw_native};

/// Queries per client at scale 1.
pub const QUERIES: f64 = 10_000.0;
const ROUND: usize = 100;

#[derive(Debug, Clone, Serialize)]
pub struct Latency {
    pub client: &'static str,
    pub transport: &'static str,
    pub queries: usize,
    pub median_us: f64,
    pub p99_us: f64,
    pub mean_us: f64,
}

#[derive(Debug, Row, Deserialize)]
struct One {
    one: u8,
}

const SQL: &str = "SELECT 1 AS one";

/// One client's query, checked to have returned 1.
enum Probe<'a> {
    Blocks(&'a Client),
    Typed(&'a Client),
    Official(&'a clickhouse::Client),
    RawNative(Box<raw_native::KeptSession>),
}

impl Probe<'_> {
    fn once(&mut self, rt: &tokio::runtime::Runtime) -> Result<(), BoxError> {
        let one = match self {
            Probe::Blocks(c) => rt.block_on(async {
                let mut blocks = c.query(SQL).fetch_blocks().await?;
                let mut rows = 0;
                while let Some(block) = blocks.next().await {
                    rows += block?.rows;
                }
                Ok::<_, chwire::Error>(rows as u8)
            })?,
            Probe::Typed(c) => rt.block_on(c.query(SQL).fetch_one::<One>())?.one,
            Probe::Official(c) => rt.block_on(c.query(SQL).fetch_one::<u8>())?,
            Probe::RawNative(s) => {
                s.select(SQL)?;
                1
            }
        };
        if one != 1 {
            return Err(format!("SELECT 1 returned {one}").into());
        }
        Ok(())
    }
}

/// Runs the scenario: `queries` per client.
pub fn run(
    rt: &tokio::runtime::Runtime,
    http: &Client,
    native: Option<&Client>,
    official: &clickhouse::Client,
    tcp_addr: Option<&str>,
    queries: usize,
) -> Result<Vec<Latency>, BoxError> {
    progress(&format!(
        "select1_latency: {queries} sequential `{SQL}` per client on a pooled connection"
    ));
    let mut probes: Vec<(&'static str, &'static str, Probe<'_>)> = vec![
        ("chwire", "http", Probe::Blocks(http)),
        ("chwire-rows", "http", Probe::Typed(http)),
        ("official", "http", Probe::Official(official)),
    ];
    if let Some(native) = native {
        probes.push(("chwire", "native", Probe::Blocks(native)));
        probes.push(("chwire-rows", "native", Probe::Typed(native)));
    }
    if let Some(addr) = tcp_addr {
        let session = raw_native::KeptSession::open(addr)?;
        probes.push(("raw", "native", Probe::RawNative(Box::new(session))));
    }
    // Warm-up: every pool holds its connection before the clock.
    for (_, _, probe) in &mut probes {
        for _ in 0..10 {
            probe.once(rt)?;
        }
    }
    let mut samples = vec![Vec::with_capacity(queries); probes.len()];
    let mut done = 0;
    while done < queries {
        let n = ROUND.min(queries - done);
        for (i, (_, _, probe)) in probes.iter_mut().enumerate() {
            for _ in 0..n {
                let started = Instant::now();
                probe.once(rt)?;
                samples[i].push(started.elapsed().as_secs_f64() * 1e6);
            }
        }
        done += n;
    }
    Ok(probes
        .iter()
        .zip(samples)
        .map(|((client, transport, _), mut us)| {
            us.sort_by(f64::total_cmp);
            let at = |q: f64| us[((us.len() - 1) as f64 * q).round() as usize];
            Latency {
                client,
                transport,
                queries: us.len(),
                median_us: at(0.5),
                p99_us: at(0.99),
                mean_us: us.iter().sum::<f64>() / us.len() as f64,
            }
        })
        .collect())
}

/// The latency table; the native rows are n/a while the transport is not built.
pub fn render(rows: &[Latency], native_status: &str, out: &mut String) {
    use std::fmt::Write as _;
    let _ = writeln!(
        out,
        "\nselect1_latency: sequential `{SQL}` on a pooled connection, µs per query"
    );
    let _ = writeln!(
        out,
        "{:<12} {:<7} {:>8} {:>10} {:>8} {:>8}",
        "client", "over", "queries", "median", "p99", "mean"
    );
    for l in rows {
        let _ = writeln!(
            out,
            "{:<12} {:<7} {:>8} {:>10.1} {:>8.1} {:>8.1}",
            l.client, l.transport, l.queries, l.median_us, l.p99_us, l.mean_us
        );
    }
    for client in ["chwire", "chwire-rows"] {
        if !rows
            .iter()
            .any(|l| l.client == client && l.transport == "native")
        {
            let _ = writeln!(out, "{client:<12} {:<7} {native_status}", "native");
        }
    }
}
