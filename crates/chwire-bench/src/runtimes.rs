//! The `runtimes` scenario: chwire's `select_u64` on tokio, async-std and smol, as blocks and as
//! typed rows, over HTTP and (when built) the native protocol: the issue's "within 10 % of each
//! other" compares the three runtimes of one path.

use std::sync::Arc;
use std::time::Instant;

use chwire::Client;
use chwire_rt::Runtime;
use serde::Serialize;

use crate::data::Scenario;
use crate::{BoxError, Case, Check, Measurement, chwire_side, compression_name, progress, quiesce};

#[derive(Debug, Clone, Serialize)]
pub struct RuntimeComparison {
    pub scenario: String,
    /// `http` or `native`, then `blocks` or `rows`.
    pub path: String,
    pub compression: &'static str,
    pub tokio_rows_per_s: f64,
    pub async_std_rows_per_s: f64,
    pub smol_rows_per_s: f64,
    /// (fastest - slowest) / fastest, of the medians.
    pub spread: f64,
    pub within_10_percent: bool,
    /// The same over each runtime's best run.
    pub best_tokio_rows_per_s: f64,
    pub best_async_std_rows_per_s: f64,
    pub best_smol_rows_per_s: f64,
    pub best_spread: f64,
}

const RUNTIMES: [&str; 3] = ["tokio", "async-std", "smol"];
const PATHS: [(&str, bool); 2] = [("blocks", false), ("rows", true)];

/// One client per runtime for `url`; `None` when the URL's transport is not built.
fn clients(
    tokio_rt: Arc<dyn Runtime>,
    url: &str,
    lz4: bool,
    native: bool,
) -> Result<Option<[Client; 3]>, BoxError> {
    let rts: [Arc<dyn Runtime>; 3] = [
        tokio_rt,
        Arc::new(chwire_async_std::AsyncStdRuntime),
        Arc::new(chwire_smol::SmolRuntime::new()),
    ];
    let mut out = Vec::with_capacity(3);
    for rt in rts {
        if native {
            match chwire_side::native_clients(rt, url)? {
                Some([plain, compressed]) => out.push(if lz4 { compressed } else { plain }),
                None => return Ok(None),
            }
        } else {
            out.push(chwire_side::client(rt, url, lz4)?);
        }
    }
    Ok(out.try_into().ok())
}

/// Runs the scenario over HTTP (`url`) and native (`native_url`, when given and built).
pub fn run(
    url: &str,
    native_url: Option<&str>,
    scale: f64,
    repeat: usize,
) -> Result<(Vec<Measurement>, Vec<RuntimeComparison>), BoxError> {
    let addr = crate::raw::host_port(url);
    let scenario = Scenario::all(scale).remove(0);
    let sql = scenario.select_sql();
    let mut measurements = Vec::new();
    let mut comparisons = Vec::new();
    let transports =
        std::iter::once(("http", url, false)).chain(native_url.map(|u| ("native", u, true)));
    for (transport, url, native) in transports {
        for lz4 in [false, true] {
            // A fresh tokio runtime, so none inherits the main loop's state (tokio's runtime
            // there also hosts the official client's connection tasks).
            let fresh_tokio = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            let tokio_rt: Arc<dyn Runtime> = Arc::new(chwire_tokio::TokioRuntime::from_handle(
                fresh_tokio.handle().clone(),
            ));
            let Some(on) = clients(tokio_rt, url, lz4, native)? else {
                progress(&format!(
                    "runtimes over {transport}: {}",
                    chwire_side::NATIVE_NOT_BUILT
                ));
                break;
            };
            for (path, typed) in PATHS {
                progress(&format!(
                    "runtimes: chwire {} ({path}, {transport}) on tokio, async-std, smol, \
                     compression {}",
                    scenario.name,
                    compression_name(lz4)
                ));
                let names = RUNTIMES.map(|rt| ("chwire", rt));
                let mut case = Case::new(&scenario, lz4, &names);
                // Runs are short (~80 ms uncompressed) and single runs on this kind of machine
                // vary by +-20 %: take four times as many, so the medians compared are within a
                // few percent of each runtime's own.
                for rep in 0..=4 * repeat {
                    // The runtimes take turns in a rotating order: whichever runs first after
                    // the quiet wait is measured differently (caches, CPU clocks), so no
                    // runtime may always be first.
                    for k in 0..3 {
                        let which = (rep + k) % 3;
                        quiesce(&addr);
                        let started = Instant::now();
                        let check =
                            select_on(&fresh_tokio, which, &on[which], &scenario, &sql, typed)?;
                        case.record(which, started.elapsed(), Some(check), None, rep > 0)?;
                    }
                }
                let ms = case.measurements();
                comparisons.push(compare(&scenario, format!("{transport} {path}"), lz4, &ms));
                measurements.extend(ms);
            }
        }
    }
    Ok((measurements, comparisons))
}

fn select_on(
    tokio: &tokio::runtime::Runtime,
    which: usize,
    client: &Client,
    scenario: &Scenario,
    sql: &str,
    typed: bool,
) -> chwire::Result<Check> {
    let select = async {
        if typed {
            chwire_side::select_rows(client, scenario.kind, sql).await
        } else {
            chwire_side::select(client, sql).await
        }
    };
    match which {
        0 => tokio.block_on(select),
        1 => async_std::task::block_on(select),
        _ => smol::block_on(select),
    }
}

fn compare(scenario: &Scenario, path: String, lz4: bool, ms: &[Measurement]) -> RuntimeComparison {
    let rates: Vec<f64> = ms.iter().map(|m| m.rows_per_s).collect();
    let best: Vec<f64> = ms.iter().map(|m| m.best_rows_per_s).collect();
    let spread_of = |r: &[f64]| {
        let fastest = r.iter().copied().fold(f64::MIN, f64::max);
        let slowest = r.iter().copied().fold(f64::MAX, f64::min);
        (fastest - slowest) / fastest
    };
    let spread = spread_of(&rates);
    RuntimeComparison {
        scenario: scenario.name.to_string(),
        path,
        compression: compression_name(lz4),
        tokio_rows_per_s: rates[0],
        async_std_rows_per_s: rates[1],
        smol_rows_per_s: rates[2],
        spread,
        within_10_percent: spread <= 0.10,
        best_tokio_rows_per_s: best[0],
        best_async_std_rows_per_s: best[1],
        best_smol_rows_per_s: best[2],
        best_spread: spread_of(&best),
    }
}
