//! `stream_rss` (issues 15 and 19): the peak RSS of a 100M-row stream of the mixed rows,
//! uncompressed, consumed as it comes, as blocks (`fetch_blocks`) and as typed rows
//! (`fetch::<MixedRow>`), over HTTP and over native. Each stream runs in a child process (see
//! `peak_rss`); the target is 64 MB.

use std::time::Instant;

use chwire::Client;
use serde::Serialize;

use crate::data::{Kind, Scenario};
use crate::{BoxError, chwire_side, peak_rss, progress, quiesce};

/// The hidden flag that makes the binary this scenario's child: `--stream-rss-child PATH ROWS URL`.
pub const CHILD_FLAG: &str = "--stream-rss-child";

/// Rows of a stream (scaled like the other scenarios).
const ROWS: f64 = 100e6;

/// The issues' peak RSS target.
const LIMIT_MB: f64 = 64.0;

/// How the child consumes the stream.
const PATHS: [&str; 2] = ["blocks", "typed"];

#[derive(Debug, Clone, Serialize)]
pub struct StreamRss {
    pub transport: &'static str,
    pub path: &'static str,
    pub rows: u64,
    pub peak_rss_mb: f64,
    pub under_64_mb: bool,
    pub seconds: f64,
}

/// Every path over HTTP (`url`) and, when given, native (`native_url`).
pub fn run(url: &str, native_url: Option<&str>, scale: f64) -> Result<Vec<StreamRss>, BoxError> {
    let addr = crate::raw::host_port(url);
    let rows = ((ROWS * scale) as u64).max(1000);
    let transports = [("http", Some(url)), ("native", native_url)];
    let mut out = Vec::new();
    for (transport, url) in transports {
        let Some(url) = url else { continue };
        for path in PATHS {
            progress(&format!(
                "stream_rss: {rows} mixed rows as {path} over {transport}, uncompressed, in a \
                 child process"
            ));
            quiesce(&addr);
            let fields = peak_rss::run_child(CHILD_FLAG, &[path, &rows.to_string(), url])?;
            let peak_rss_mb = fields.get("vmhwm_kb")? / 1024.0;
            out.push(StreamRss {
                transport,
                path,
                rows: fields.get("rows")? as u64,
                peak_rss_mb,
                under_64_mb: peak_rss_mb < LIMIT_MB,
                seconds: fields.get("seconds")?,
            });
        }
    }
    Ok(out)
}

/// The child's side: streams `rows` mixed rows through `path`, checks the count, prints its
/// peak RSS.
pub fn child(args: &[String]) -> Result<(), BoxError> {
    let [path, rows, url, ..] = args else {
        return Err(format!("{CHILD_FLAG} PATH ROWS URL").into());
    };
    let rows: u64 = rows.parse()?;
    let (rt, chwire_rt) = peak_rss::child_runtime(args)?;
    let client: Client = chwire_side::client(chwire_rt, url, false)?;
    let sql = Scenario {
        name: "stream_rss",
        kind: Kind::SelectMixed,
        rows,
    }
    .select_sql();
    let started = Instant::now();
    let check = rt.block_on(async {
        match path.as_str() {
            "blocks" => chwire_side::select(&client, &sql).await,
            _ => chwire_side::select_rows(&client, Kind::SelectMixed, &sql).await,
        }
    })?;
    let seconds = started.elapsed().as_secs_f64();
    if check.rows != rows {
        return Err(format!("{path}: {} rows, expected {rows}", check.rows).into());
    }
    let hwm = peak_rss::vmhwm_kb()?;
    println!("rows={rows} vmhwm_kb={hwm} seconds={seconds:.3}");
    Ok(())
}
