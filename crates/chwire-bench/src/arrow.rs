//! The Arrow scenarios: the same selects as `select_u64` / `select_mixed` into `RecordBatch`es,
//! chwire's Native-to-Arrow path (`chwire_arrow::fetch_arrow`) against what users of other
//! clients do (`FORMAT ArrowStream` bytes over HTTP, decoded with arrow-ipc's `StreamDecoder`);
//! and the peak RSS of a 100M-row Arrow stream consumed batch by batch, measured in a child
//! process (its `VmHWM`), so nothing else the benchmark allocated counts.

use std::time::Instant;

use arrow_array::cast::AsArray;
use arrow_array::types::UInt64Type;
use arrow_array::{Array, RecordBatch};
use chwire::{Client, Compression};
use chwire_arrow::QueryArrowExt;
use serde::Serialize;

use crate::data::{Kind, Scenario};
use crate::{BoxError, Case, Check, Measurement, compression_name, peak_rss, progress, quiesce};

/// The hidden flag that makes the binary the RSS child: `--arrow-rss-child PATH ROWS URL`.
pub const RSS_CHILD_FLAG: &str = "--arrow-rss-child";

/// Rows of the RSS scenario (scaled like the others).
const RSS_ROWS: f64 = 100e6;

/// The peak RSS target of the issue.
const RSS_LIMIT_MB: f64 = 128.0;

#[derive(Debug, Clone, Serialize)]
pub struct ArrowComparison {
    pub scenario: String,
    pub description: String,
    pub compression: &'static str,
    pub chwire_arrow_rows_per_s: f64,
    pub arrow_stream_rows_per_s: f64,
    pub chwire_vs_arrow_stream: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RssMeasurement {
    pub path: &'static str,
    pub rows: u64,
    pub batches: u64,
    pub peak_rss_mb: f64,
    pub under_128_mb: bool,
    pub seconds: f64,
}

/// What [`run`] measured.
pub struct ArrowResults {
    pub measurements: Vec<Measurement>,
    pub comparisons: Vec<ArrowComparison>,
    pub rss: Vec<RssMeasurement>,
}

/// The scenarios, named so that `--only arrow` picks them all and no other scenario's filter
/// does.
fn scenarios(scale: f64) -> Vec<Scenario> {
    Scenario::all(scale)
        .into_iter()
        .filter_map(|s| {
            let name = match s.kind {
                Kind::SelectU64 => "arrow_u64",
                Kind::SelectMixed => "arrow_mixed",
                Kind::InsertMixed => return None,
            };
            Some(Scenario { name, ..s })
        })
        .collect()
}

/// Folds a batch into the check every client of a case must agree on.
fn fold(check: &mut Check, batch: &RecordBatch) -> Result<(), BoxError> {
    check.rows += batch.num_rows() as u64;
    for (f, col) in batch.schema().fields().iter().zip(batch.columns()) {
        if let Some(ids) = col.as_primitive_opt::<UInt64Type>() {
            check.id_sum = check
                .id_sum
                .wrapping_add(ids.values().iter().map(|&v| u128::from(v)).sum::<u128>());
        } else if let Some(names) = col.as_string_opt::<i32>() {
            let offs = names.value_offsets();
            check.name_bytes += (offs[offs.len() - 1] - offs[0]) as u64;
        } else if col.data_type() != &arrow_schema::DataType::Float64 {
            return Err(format!("unexpected column {f}").into());
        }
    }
    Ok(())
}

/// The two ways to get a result as batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Path {
    /// chwire: Native blocks converted to batches (off the event loop).
    ChwireArrow,
    /// The other clients' way: the server writes `FORMAT ArrowStream` (IPC compression
    /// `lz4_frame` for LZ4, the server's default, else none) and arrow-ipc decodes the bytes as
    /// they come. The transport itself stays uncompressed.
    ArrowStream,
}

impl Path {
    const ALL: [Path; 2] = [Path::ChwireArrow, Path::ArrowStream];

    fn name(self) -> &'static str {
        match self {
            Path::ChwireArrow => "chwire-arrow",
            Path::ArrowStream => "arrowstream+ipc",
        }
    }
}

/// Streams `sql` as batches through `path`, handing each to `each` (one alive at a time);
/// `client` must match: LZ4 transport compression for chwire's LZ4 runs, none otherwise.
async fn consume(
    path: Path,
    client: &Client,
    sql: &str,
    lz4: bool,
    mut each: impl FnMut(&RecordBatch) -> Result<(), BoxError>,
) -> Result<(), BoxError> {
    match path {
        Path::ChwireArrow => {
            let mut batches = client.query(sql).fetch_arrow().await?;
            while let Some(b) = futures_util::StreamExt::next(&mut batches).await {
                each(&b?)?;
            }
        }
        Path::ArrowStream => {
            let method = if lz4 { "lz4_frame" } else { "none" };
            let mut bytes = client
                .query(sql)
                .setting("output_format_arrow_compression_method", method)
                .fetch_bytes("ArrowStream")
                .await?;
            let mut decoder = arrow_ipc::reader::StreamDecoder::new();
            while let Some(chunk) = bytes.next().await {
                let mut buf = arrow_buffer::Buffer::from(chunk?);
                while !buf.is_empty() {
                    if let Some(batch) = decoder.decode(&mut buf)? {
                        each(&batch)?;
                    }
                }
            }
            decoder.finish()?;
        }
    }
    Ok(())
}

/// The Arrow scenarios' measurements and comparisons, and the RSS runs.
pub fn run(
    rt: &tokio::runtime::Runtime,
    tokio_chwire: &std::sync::Arc<dyn chwire_rt::Runtime>,
    url: &str,
    repeat: usize,
    scale: f64,
    selected: &dyn Fn(&str) -> bool,
) -> Result<ArrowResults, BoxError> {
    let addr = crate::raw::host_port(url);
    let plain = crate::chwire_side::client(tokio_chwire.clone(), url, false)?;
    let lz4_client = crate::chwire_side::client(tokio_chwire.clone(), url, true)?;
    let clients = Path::ALL.map(|p| (p.name(), "tokio"));
    let mut measurements = Vec::new();
    let mut comparisons = Vec::new();
    for scenario in scenarios(scale) {
        if !selected(scenario.name) {
            continue;
        }
        let sql = scenario.select_sql();
        for lz4 in [false, true] {
            progress(&format!(
                "{} ({} into RecordBatches), compression {}",
                scenario.name,
                scenario.description(),
                compression_name(lz4)
            ));
            let mut case = Case::new(&scenario, lz4, &clients);
            for rep in 0..=repeat {
                for k in 0..clients.len() {
                    let which = (rep + k) % clients.len();
                    quiesce(&addr);
                    let started = Instant::now();
                    let path = Path::ALL[which];
                    let client = if lz4 && path == Path::ChwireArrow {
                        &lz4_client
                    } else {
                        &plain
                    };
                    let mut check = Check::default();
                    rt.block_on(consume(path, client, &sql, lz4, |b| fold(&mut check, b)))?;
                    case.record(which, started.elapsed(), Some(check), None, rep > 0)?;
                }
            }
            let ms = case.measurements();
            comparisons.push(ArrowComparison {
                scenario: scenario.name.to_string(),
                description: scenario.description(),
                compression: compression_name(lz4),
                chwire_arrow_rows_per_s: ms[0].rows_per_s,
                arrow_stream_rows_per_s: ms[1].rows_per_s,
                chwire_vs_arrow_stream: ms[0].rows_per_s / ms[1].rows_per_s,
            });
            measurements.extend(ms);
        }
    }
    let mut rss = Vec::new();
    if selected("arrow_rss") {
        let rows = ((RSS_ROWS * scale) as u64).max(1000);
        for path in Path::ALL.map(Path::name) {
            progress(&format!(
                "arrow_rss: {rows} mixed rows as Arrow batches through {path}, uncompressed, \
                 in a child process"
            ));
            quiesce(&addr);
            rss.push(rss_in_child(path, rows, url)?);
        }
    }
    Ok(ArrowResults {
        measurements,
        comparisons,
        rss,
    })
}

/// Runs the RSS child for `path` and reads its fields.
fn rss_in_child(path: &'static str, rows: u64, url: &str) -> Result<RssMeasurement, BoxError> {
    let fields = peak_rss::run_child(RSS_CHILD_FLAG, &[path, &rows.to_string(), url])?;
    let peak_rss_mb = fields.get("vmhwm_kb")? / 1024.0;
    Ok(RssMeasurement {
        path,
        rows: fields.get("rows")? as u64,
        batches: fields.get("batches")? as u64,
        peak_rss_mb,
        under_128_mb: peak_rss_mb < RSS_LIMIT_MB,
        seconds: fields.get("seconds")?,
    })
}

/// The child's side: streams `rows` mixed rows through `path`, one batch alive at a time, and
/// prints its peak RSS (`VmHWM` of /proc/self/status, Linux).
pub fn rss_child(args: &[String]) -> Result<(), BoxError> {
    let [path, rows, url, ..] = args else {
        return Err(format!("{RSS_CHILD_FLAG} PATH ROWS URL").into());
    };
    let rows: u64 = rows.parse()?;
    let (rt, chwire_rt) = peak_rss::child_runtime(args)?;
    let client = Client::builder(chwire_rt)
        .url(url.as_str())
        .compression(Compression::None)
        .build()?;
    let sql = Scenario {
        name: "arrow_rss",
        kind: Kind::SelectMixed,
        rows,
    }
    .select_sql();
    let path = Path::ALL
        .into_iter()
        .find(|p| p.name() == path)
        .ok_or_else(|| format!("unknown path {path}"))?;
    let started = Instant::now();
    let mut check = Check::default();
    let mut batches = 0u64;
    rt.block_on(consume(path, &client, &sql, false, |b| {
        batches += 1;
        fold(&mut check, b)
    }))?;
    let seconds = started.elapsed().as_secs_f64();
    if check.rows != rows {
        return Err(format!("{}: {} rows, expected {rows}", path.name(), check.rows).into());
    }
    let hwm = peak_rss::vmhwm_kb()?;
    println!("rows={rows} batches={batches} vmhwm_kb={hwm} seconds={seconds:.3}");
    Ok(())
}
