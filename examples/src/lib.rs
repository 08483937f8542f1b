//! The chwire quickstart, written once and run on every runtime.
//!
//! [`quickstart`] takes the runtime as an `Arc<dyn Runtime>`: that is the only thing that
//! differs between `examples/quickstart.rs` (tokio), `quickstart_async_std.rs` and
//! `quickstart_smol.rs`. It creates a MergeTree table, inserts a million rows as columnar
//! Native blocks, streams them back, checks what came back and reports the throughput.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chwire::{Block, Client, Column, ColumnData, Compression, DataType, StringColumn};
use chwire_rt::Runtime;

/// The server the examples talk to unless `CHWIRE_HTTP_URL` names another.
pub const DEFAULT_URL: &str = "http://127.0.0.1:8123";

/// Rows the quickstart inserts and reads back.
pub const ROWS: u64 = 1_000_000;

/// Rows per inserted block: large enough to amortise per-block costs, small enough that
/// encoding block N+1 overlaps with sending block N.
const BLOCK_ROWS: u64 = 100_000;

const TABLE: &str = "chwire_quickstart";

/// Any error of the quickstart: the client's, or a check of the data that failed.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The URL from `CHWIRE_HTTP_URL`, or [`DEFAULT_URL`].
pub fn server_url() -> String {
    std::env::var("CHWIRE_HTTP_URL").unwrap_or_else(|_| DEFAULT_URL.to_string())
}

/// What the quickstart did and how fast.
#[derive(Debug, Clone)]
pub struct Summary {
    pub server_version: String,
    pub rows_inserted: u64,
    pub insert_time: Duration,
    pub rows_read: u64,
    pub select_time: Duration,
    pub blocks_read: u64,
}

fn per_second(rows: u64, time: Duration) -> f64 {
    rows as f64 / time.as_secs_f64().max(1e-9)
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "ClickHouse {}", self.server_version)?;
        writeln!(
            f,
            "insert: {} rows in {:.3} s ({:.2} M rows/s)",
            self.rows_inserted,
            self.insert_time.as_secs_f64(),
            per_second(self.rows_inserted, self.insert_time) / 1e6
        )?;
        write!(
            f,
            "select: {} rows in {} blocks, {:.3} s ({:.2} M rows/s); count and sums check out",
            self.rows_read,
            self.blocks_read,
            self.select_time.as_secs_f64(),
            per_second(self.rows_read, self.select_time) / 1e6
        )
    }
}

/// The value column of row `id`.
fn value_of(id: u64) -> f64 {
    id as f64 * 0.25
}

/// Rows `start..end` as one columnar block: `id UInt64, name String, value Float64`.
fn make_block(start: u64, end: u64) -> Result<Block, BoxError> {
    let ids: Vec<u64> = (start..end).collect();
    let mut names = StringColumn::default();
    for id in start..end {
        names.push(format!("name-{id}").as_bytes());
    }
    let values: Vec<f64> = (start..end).map(value_of).collect();
    Ok(Block::new(vec![
        (
            "id".into(),
            Column::new(DataType::UInt64, ColumnData::U64(ids))?,
        ),
        (
            "name".into(),
            Column::new(DataType::String, ColumnData::String(names))?,
        ),
        (
            "value".into(),
            Column::new(DataType::Float64, ColumnData::F64(values))?,
        ),
    ])?)
}

/// Runs the quickstart against the server at `url` on `runtime`.
pub async fn quickstart(runtime: Arc<dyn Runtime>, url: &str) -> Result<Summary, BoxError> {
    let client = Client::builder(runtime)
        .url(url)
        .compression(Compression::Lz4)
        .build()?;

    let version = client.query("SELECT version()").fetch_all_rows().await?.1;
    let server_version = match version.first().and_then(|row| row.first()) {
        Some(chwire::Value::String(v)) => String::from_utf8_lossy(v).into_owned(),
        other => format!("{other:?}"),
    };

    client
        .query(format!("DROP TABLE IF EXISTS {TABLE}"))
        .execute()
        .await?;
    client
        .query(format!(
            "CREATE TABLE {TABLE} (id UInt64, name String, value Float64) \
             ENGINE = MergeTree ORDER BY id"
        ))
        .execute()
        .await?;

    // The data, as columnar blocks (built before the clock starts: the timing is the client's).
    let mut data = Vec::new();
    let mut start = 0;
    while start < ROWS {
        let end = (start + BLOCK_ROWS).min(ROWS);
        data.push(make_block(start, end)?);
        start = end;
    }

    // Insert: one streaming request; each block is encoded and compressed off the event loop
    // while the previous one is on the wire.
    let started = Instant::now();
    let mut insert = client.insert_blocks(TABLE);
    for block in data {
        insert.write(block).await?;
    }
    insert.end().await?;
    let insert_time = started.elapsed();

    // Select: Native blocks, decompressed and decoded off the event loop.
    let started = Instant::now();
    let mut blocks = client
        .query(format!("SELECT id, name, value FROM {TABLE}"))
        .fetch_blocks()
        .await?;
    let (mut rows_read, mut blocks_read, mut id_sum, mut value_sum) = (0u64, 0u64, 0u128, 0f64);
    while let Some(block) = blocks.next().await {
        let block = block?;
        let ids = column(&block, "id")?.as_u64().ok_or("id is not UInt64")?;
        let names = column(&block, "name")?
            .as_strings()
            .ok_or("name is not String")?;
        let values = column(&block, "value")?
            .as_f64()
            .ok_or("value is not Float64")?;
        for (i, (&id, &value)) in ids.iter().zip(values).enumerate() {
            if value != value_of(id) || names.get(i) != Some(format!("name-{id}").as_bytes()) {
                return Err(format!("row with id {id} came back changed").into());
            }
            id_sum += u128::from(id);
            value_sum += value;
        }
        rows_read += block.rows as u64;
        blocks_read += 1;
    }
    let select_time = started.elapsed();

    let expected_id_sum = u128::from(ROWS) * u128::from(ROWS - 1) / 2;
    if rows_read != ROWS || id_sum != expected_id_sum {
        return Err(format!(
            "read {rows_read} rows with id sum {id_sum}, expected {ROWS} and {expected_id_sum}"
        )
        .into());
    }
    // Every value is an exact multiple of 0.25 below 2^53, so the sum is exact too.
    if value_sum != expected_id_sum as f64 * 0.25 {
        return Err(format!("value sum {value_sum} is wrong").into());
    }
    let server_count = client
        .query(format!("SELECT count() FROM {TABLE}"))
        .fetch_all_rows()
        .await?
        .1;
    if server_count.first().and_then(|r| r.first()) != Some(&chwire::Value::UInt64(ROWS)) {
        return Err(format!("the server counts {server_count:?} rows").into());
    }

    client
        .query(format!("DROP TABLE IF EXISTS {TABLE}"))
        .execute()
        .await?;
    Ok(Summary {
        server_version,
        rows_inserted: ROWS,
        insert_time,
        rows_read,
        select_time,
        blocks_read,
    })
}

fn column<'a>(block: &'a Block, name: &str) -> Result<&'a Column, BoxError> {
    block
        .column(name)
        .ok_or_else(|| format!("no column {name}").into())
}

/// Runs [`quickstart`] and prints its summary; the process exit code of every example.
pub async fn run(runtime: Arc<dyn Runtime>, runtime_name: &str) -> std::process::ExitCode {
    let url = server_url();
    println!("chwire quickstart on {runtime_name}, server {url}");
    match quickstart(runtime, &url).await {
        Ok(summary) => {
            println!("{summary}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("quickstart failed: {e}");
            if url == DEFAULT_URL {
                eprintln!(
                    "hint: `cargo xtask demo` starts a server and runs this; or set CHWIRE_HTTP_URL"
                );
            }
            std::process::ExitCode::FAILURE
        }
    }
}

/// The body of the `runtime_*` examples: one query whose answer is checked, on whichever
/// runtime `client` was built with.
pub async fn hello(client: &Client, runtime: &str) -> Result<(), BoxError> {
    let (_, rows) = client.query("SELECT 6 * 7").fetch_all_rows().await?;
    if rows != [[chwire::Value::UInt16(42)]] {
        return Err(format!("expected 42, got {rows:?}").into());
    }
    println!("{runtime}: the server answered 42");
    Ok(())
}

/// The top-level README, whose quick start compiles as a doctest of this crate (it has every
/// dependency the snippet names).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// Drops `table` if it exists and creates it as `definition` (columns and engine), so every
/// example starts from an empty table however often it runs.
pub async fn create_table(client: &Client, table: &str, definition: &str) -> Result<(), BoxError> {
    client
        .query(format!("DROP TABLE IF EXISTS {table}"))
        .execute()
        .await?;
    client
        .query(format!("CREATE TABLE {table} {definition}"))
        .execute()
        .await?;
    Ok(())
}
