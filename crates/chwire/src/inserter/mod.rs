//! [`Inserter`]: one shared, bounded-memory ingestion pipeline for many producer tasks.

mod retry;

use std::collections::{BTreeSet, VecDeque};
use std::fmt;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use chwire_proto::rowbinary::encode_value;
use chwire_proto::{Block, CompressedBlockWriter, DataType, Value};
use chwire_rt::RuntimeExt;
use event_listener::Event;
use futures_util::future::{Either, select};
use serde::Serialize;

pub use crate::classify::FailureClass;
pub use retry::RetryPolicy;

use crate::async_insert::AsyncInsertOptions;
use crate::error::{Error, Result};
use crate::handle::Client;
use crate::request::{Request, new_query_id};
use crate::row::{Row, RowEncoder, RowError};
use crate::settings::Settings;
use crate::summary::QuerySummary;

/// Bodies above this many bytes are compressed on the blocking pool.
const INLINE_COMPRESS_BYTES: usize = 256 * 1024;

/// A batch handed back to the application, with its rows: one that could not be inserted
/// (dead-letter, orphan, [`InserterError::Failed`]), or one acknowledged only after an attempt
/// whose outcome is unknown (the [`uncertain`](InserterBuilder::uncertain) handler).
#[non_exhaustive]
pub struct FailedBatch {
    /// The target table.
    pub table: String,
    /// Column names, in the order of the encoded rows.
    pub columns: Vec<String>,
    /// Number of rows.
    pub rows: u64,
    /// The rows, as a `RowBinary` body for `columns` (insert it again with
    /// `INSERT INTO table (columns) FORMAT RowBinary`, or decode it with
    /// [`values`](Self::values)).
    pub data: Bytes,
    /// The batch's `insert_deduplication_token` (reuse it when re-inserting the batch, so a
    /// copy that did reach the server is not doubled).
    pub dedup_token: String,
    /// Attempts made.
    pub attempts: u32,
    /// The last attempt's error; for an uncertain batch, the error of the first attempt whose
    /// outcome is unknown.
    pub error: Error,
    types: Vec<DataType>,
}

impl fmt::Debug for FailedBatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FailedBatch")
            .field("table", &self.table)
            .field("rows", &self.rows)
            .field("bytes", &self.data.len())
            .field("dedup_token", &self.dedup_token)
            .field("attempts", &self.attempts)
            .field("error", &self.error)
            .finish()
    }
}

impl FailedBatch {
    /// The rows decoded into dynamic values.
    pub fn values(&self) -> Result<Vec<Vec<Value>>> {
        chwire_proto::rowbinary::decode_rows(
            &self.types,
            &self.data,
            chwire_proto::DecodeLimits::default(),
        )
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(Error::from)
    }
}

/// Errors of [`Inserter`] calls.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InserterError {
    /// Batches failed (after their retries) and no dead-letter handler took them; their rows
    /// are inside. Returned once, by the first call that sees them.
    #[error("{} batch(es) with {} rows failed to insert; first error: {}",
        .0.len(), .0.iter().map(|b| b.rows).sum::<u64>(),
        .0.first().map_or(String::new(), |b| b.error.to_string()))]
    Failed(Vec<FailedBatch>),
    /// The row did not fit the inserter's columns; nothing was written.
    #[error("row rejected: {0}")]
    Row(Error),
    /// A typed row did not fit the inserter's columns; nothing was written.
    #[error("typed row rejected: {0}")]
    TypedRow(#[from] RowError),
    /// The inserter was ended; nothing was written.
    #[error("the inserter was ended")]
    Closed,
}

impl InserterError {
    /// The failed batches, if this is [`InserterError::Failed`].
    pub fn failed_batches(&self) -> &[FailedBatch] {
        match self {
            InserterError::Failed(b) => b,
            _ => &[],
        }
    }
}

/// Counters of an [`Inserter`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct InserterStats {
    /// Rows and encoded bytes accepted by `write`.
    pub rows_written: u64,
    pub bytes_written: u64,
    /// Rows, bytes and batches the server committed.
    pub rows_committed: u64,
    pub bytes_committed: u64,
    pub batches_committed: u64,
    /// Batches sent so far (each counted once, however many attempts).
    pub batches_sent: u64,
    pub batches_in_flight: usize,
    /// Attempts repeated after a retryable failure.
    pub retries: u64,
    /// Overload errors seen (each halves the concurrency limit).
    pub back_pressure_errors: u64,
    /// Batches (and their rows) given up on: to the dead-letter handler or returned as errors.
    pub failed_batches: u64,
    pub failed_rows: u64,
    /// Batches (and their rows) acknowledged on a retry after an attempt whose outcome is
    /// unknown (see *Idempotent retries* in the module docs): exactly once on tables that
    /// deduplicate atomically, possibly missing (never doubled) on a plain `MergeTree` whose
    /// server crashed at the wrong moment.
    pub uncertain_batches: u64,
    pub uncertain_rows: u64,
    /// The adaptive limit on batches in flight now, and the lowest it has been.
    pub concurrency_limit: usize,
    pub min_concurrency_limit: usize,
    /// Rows and bytes written but not yet committed or failed, now and at most so far.
    pub buffered_rows: u64,
    pub buffered_bytes: u64,
    pub max_buffered_rows_seen: u64,
    pub max_buffered_bytes_seen: u64,
    /// The configured bounds of the buffered rows and bytes.
    pub buffered_rows_limit: u64,
    pub buffered_bytes_limit: u64,
    /// Times a `write` had to wait for buffer space.
    pub write_waits: u64,
}

type BatchHandler = Box<dyn Fn(FailedBatch) + Send + Sync>;

/// Configures an [`Inserter`] ([`Inserter::builder`]).
#[must_use]
pub struct InserterBuilder {
    client: Client,
    table: String,
    columns: Vec<(String, DataType)>,
    column_error: Option<Error>,
    max_rows: u64,
    max_bytes: u64,
    period: Duration,
    max_in_flight: usize,
    max_buffered_rows: Option<u64>,
    max_buffered_bytes: Option<u64>,
    retry: RetryPolicy,
    settings: Settings,
    async_insert: Option<AsyncInsertOptions>,
    dead_letter: Option<BatchHandler>,
    uncertain: Option<BatchHandler>,
    orphan: Option<BatchHandler>,
}

impl fmt::Debug for InserterBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InserterBuilder")
            .field("table", &self.table)
            .field("columns", &self.columns)
            .field("max_rows", &self.max_rows)
            .field("max_bytes", &self.max_bytes)
            .field("period", &self.period)
            .field("max_in_flight", &self.max_in_flight)
            .finish_non_exhaustive()
    }
}

impl InserterBuilder {
    /// The columns rows are written for, with their ClickHouse types (e.g. `("id", "UInt64")`).
    /// Columns left out get their table defaults.
    pub fn columns<N: AsRef<str>, T: AsRef<str>>(mut self, columns: &[(N, T)]) -> Self {
        let mut out = Vec::with_capacity(columns.len());
        for (n, t) in columns {
            match DataType::parse(t.as_ref()) {
                Ok(ty) => out.push((n.as_ref().to_owned(), ty)),
                Err(e) => {
                    self.column_error = Some(Error::Config(format!(
                        "column {}: bad type {:?}: {e}",
                        n.as_ref(),
                        t.as_ref()
                    )));
                }
            }
        }
        self.columns = out;
        self
    }

    /// Like [`columns`](Self::columns), with parsed types.
    pub fn column_types(mut self, columns: Vec<(String, DataType)>) -> Self {
        self.columns = columns;
        self
    }

    /// Takes the columns of the typed row `T` ([`Row::COLUMN_NAMES`], in field order) with
    /// their types from the table (`DESCRIBE TABLE`), for [`Inserter::write_row`].
    pub async fn columns_of<T: Row + ?Sized>(self) -> Result<Self> {
        let (_, rows) = self
            .client
            .query(format!("DESCRIBE TABLE {}", self.table))
            .fetch_all_rows()
            .await?;
        let mut table = Vec::with_capacity(rows.len());
        for row in rows {
            if let [Value::String(name), Value::String(ty), ..] = row.as_slice() {
                let ty = String::from_utf8_lossy(ty);
                let ty = DataType::parse(&ty)
                    .map_err(|e| Error::Config(format!("column type {ty:?}: {e}")))?;
                table.push((String::from_utf8_lossy(name).into_owned(), ty));
            }
        }
        let mut columns = Vec::with_capacity(T::COLUMN_NAMES.len());
        for name in T::COLUMN_NAMES {
            match table.iter().find(|(n, _)| n == name) {
                Some(c) => columns.push(c.clone()),
                None => {
                    return Err(Error::Config(format!(
                        "{} has no column {name:?} (row type {})",
                        self.table,
                        T::NAME
                    )));
                }
            }
        }
        Ok(self.column_types(columns))
    }

    /// Rows that close a batch (default 100 000).
    pub fn max_rows(mut self, n: u64) -> Self {
        self.max_rows = n.max(1);
        self
    }

    /// Encoded bytes that close a batch (default 16 MiB).
    pub fn max_bytes(mut self, n: u64) -> Self {
        self.max_bytes = n.max(1);
        self
    }

    /// Age of a batch's first row that closes it (default 1 s).
    pub fn period(mut self, period: Duration) -> Self {
        self.period = period;
        self
    }

    /// Most batches in flight at once (default 4); the adaptive limit stays at or below it.
    pub fn max_in_flight(mut self, n: usize) -> Self {
        self.max_in_flight = n.max(1);
        self
    }

    /// Bound on rows written and not yet committed (default `max_rows * (max_in_flight + 2)`).
    pub fn max_buffered_rows(mut self, n: u64) -> Self {
        self.max_buffered_rows = Some(n.max(1));
        self
    }

    /// Bound on encoded bytes written and not yet committed (default
    /// `max_bytes * (max_in_flight + 2)`).
    pub fn max_buffered_bytes(mut self, n: u64) -> Self {
        self.max_buffered_bytes = Some(n.max(1));
        self
    }

    /// Retry schedule of each batch (default: 8 retries, 100 ms doubling to 10 s, jittered).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// A setting for every insert (e.g. `insert_quorum`).
    pub fn setting(mut self, name: impl Into<String>, value: impl fmt::Display) -> Self {
        self.settings.set(name, value);
        self
    }

    /// Server-side async inserts on top of client-side batching (`async_insert_deduplicate=1`
    /// unless `options` set it). See `docs/inserts.md` for when this pays off.
    pub fn async_insert(mut self, options: &AsyncInsertOptions) -> Self {
        self.async_insert = Some(options.clone());
        self
    }

    /// Receives every batch that failed for good. It runs on the sending task: hand heavy work
    /// to a channel.
    pub fn dead_letter(mut self, handler: impl Fn(FailedBatch) + Send + Sync + 'static) -> Self {
        self.dead_letter = Some(Box::new(handler));
        self
    }

    /// Receives every batch that the server acknowledged only on a retry after an attempt
    /// whose outcome is unknown (its `error`): the rows are committed exactly once on a table
    /// whose deduplication is atomic with the commit (`Replicated*MergeTree`), but on a plain
    /// `MergeTree` a server crash between recording the batch's deduplication token and
    /// committing its part makes the retry count as a duplicate of rows that were never
    /// stored. Check such batches (e.g. by key) where that matters. Runs on the sending task.
    pub fn uncertain(mut self, handler: impl Fn(FailedBatch) + Send + Sync + 'static) -> Self {
        self.uncertain = Some(Box::new(handler));
        self
    }

    /// Receives failed batches nobody can collect any more: no dead-letter handler, and every
    /// handle dropped without `end`. Default: a warning on stderr.
    pub fn orphan(mut self, handler: impl Fn(FailedBatch) + Send + Sync + 'static) -> Self {
        self.orphan = Some(Box::new(handler));
        self
    }

    /// Starts the flusher task on the client's runtime.
    pub fn build(self) -> Result<Inserter> {
        if let Some(e) = self.column_error {
            return Err(e);
        }
        if self.columns.is_empty() {
            return Err(Error::Config("the inserter needs columns".into()));
        }
        let slots = self.max_in_flight as u64 + 2;
        let budget_rows = self
            .max_buffered_rows
            .unwrap_or(self.max_rows.saturating_mul(slots));
        let budget_bytes = self
            .max_buffered_bytes
            .unwrap_or(self.max_bytes.saturating_mul(slots));
        let cols = self
            .columns
            .iter()
            .map(|(c, _)| format!("`{}`", c.replace('\\', "\\\\").replace('`', "\\`")))
            .collect::<Vec<_>>()
            .join(", ");
        let insert_sql = format!("INSERT INTO {} ({cols}) FORMAT RowBinary", self.table);
        let mut settings = Settings::new();
        settings.set("insert_deduplicate", 1);
        match &self.async_insert {
            Some(a) => {
                settings = settings.merged(&a.settings());
                if a.is_enabled() && a.deduplicate_setting().is_none() {
                    settings.set("async_insert_deduplicate", 1);
                }
            }
            None => {
                settings.set("async_insert", 0);
            }
        }
        settings = settings.merged(&self.settings);
        let aimd = retry::Aimd::new(self.max_in_flight);
        let shared = Arc::new(Shared {
            config: Config {
                table: self.table,
                types: self.columns.iter().map(|(_, t)| t.clone()).collect(),
                columns: self.columns,
                insert_sql,
                settings,
                max_rows: self.max_rows.min(budget_rows),
                max_bytes: self.max_bytes.min(budget_bytes),
                period: self.period,
                retry: self.retry,
                budget_rows,
                budget_bytes,
                token_prefix: new_query_id(),
            },
            state: Mutex::new(State {
                stats: InserterStats {
                    concurrency_limit: aimd.slots(),
                    min_concurrency_limit: aimd.slots(),
                    buffered_rows_limit: budget_rows,
                    buffered_bytes_limit: budget_bytes,
                    ..InserterStats::default()
                },
                aimd,
                in_flight: BTreeSet::new(),
                errors: VecDeque::new(),
                ended: false,
                flusher_done: false,
            }),
            changed: Event::new(),
            dead_letter: self.dead_letter,
            uncertain: self.uncertain,
            orphan: self.orphan,
            client: self.client,
        });
        let (tx, rx) = async_channel::unbounded();
        let rt = Arc::clone(shared.client.runtime());
        rt.spawn(Box::pin(flusher(Arc::clone(&shared), rx)));
        Ok(Inserter { tx, shared })
    }
}

struct Config {
    table: String,
    columns: Vec<(String, DataType)>,
    types: Vec<DataType>,
    insert_sql: String,
    settings: Settings,
    max_rows: u64,
    max_bytes: u64,
    period: Duration,
    retry: RetryPolicy,
    budget_rows: u64,
    budget_bytes: u64,
    token_prefix: String,
}

impl Config {
    /// A batch of this inserter, handed back to the application.
    fn batch(
        &self,
        rows: u64,
        data: Bytes,
        dedup_token: String,
        attempts: u32,
        error: Error,
    ) -> FailedBatch {
        FailedBatch {
            table: self.table.clone(),
            columns: self.columns.iter().map(|(n, _)| n.clone()).collect(),
            types: self.types.clone(),
            rows,
            data,
            dedup_token,
            attempts,
            error,
        }
    }
}

struct State {
    stats: InserterStats,
    aimd: retry::Aimd,
    /// Ids of the batches sent and not yet finished.
    in_flight: BTreeSet<u64>,
    /// Failed batches waiting to be returned (no dead-letter handler).
    errors: VecDeque<FailedBatch>,
    ended: bool,
    flusher_done: bool,
}

struct Shared {
    client: Client,
    config: Config,
    state: Mutex<State>,
    /// Notified whenever buffer space, an in-flight slot or the flusher's state changes.
    changed: Event,
    dead_letter: Option<BatchHandler>,
    uncertain: Option<BatchHandler>,
    orphan: Option<BatchHandler>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain counters behind: keep going.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until `ready` holds; `ready` runs under the lock.
    async fn wait_until(&self, mut ready: impl FnMut(&mut State) -> bool) {
        loop {
            let listener = {
                let mut st = self.lock();
                if ready(&mut st) {
                    return;
                }
                self.changed.listen()
            };
            // Re-check after registering, in case of a notification in between.
            if ready(&mut self.lock()) {
                return;
            }
            listener.await;
        }
    }

    fn take_errors(&self) -> std::result::Result<(), InserterError> {
        let mut st = self.lock();
        if st.errors.is_empty() {
            return Ok(());
        }
        Err(InserterError::Failed(st.errors.drain(..).collect()))
    }

    /// Returns a finished batch's budget and slot.
    fn release(&self, id: u64, rows: u64, bytes: u64) {
        let mut st = self.lock();
        st.in_flight.remove(&id);
        st.stats.buffered_rows -= rows;
        st.stats.buffered_bytes -= bytes;
        st.stats.batches_in_flight = st.in_flight.len();
        drop(st);
        self.changed.notify(usize::MAX);
    }
}

enum Msg {
    Rows {
        rows: u64,
        data: Bytes,
    },
    /// Send the open batch; reply with the id of the last batch sent.
    Flush(async_channel::Sender<u64>),
}

/// A cloneable handle on a shared insert pipeline.
///
/// ```text
/// let inserter = Inserter::builder(client.clone(), "events")
///     .columns(&[("id", "UInt64"), ("name", "String")])
///     .max_rows(100_000)
///     .period(Duration::from_secs(1))
///     .max_in_flight(4)
///     .dead_letter(|batch| eprintln!("{} rows failed: {}", batch.rows, batch.error))
///     .build()?;
/// // in any number of tasks:
/// inserter.clone().write(&[Value::UInt64(1), Value::String(b"a".to_vec())]).await?;
/// // at the end:
/// let stats = inserter.end().await?;
/// ```
///
/// # How rows travel
///
/// `write` encodes the row (RowBinary) in the calling task and hands it to a background
/// *flusher* task, which appends it to the open batch. A batch is sent when it reaches
/// [`max_rows`](InserterBuilder::max_rows) or [`max_bytes`](InserterBuilder::max_bytes), or
/// when its first row is [`period`](InserterBuilder::period) old, whichever comes first. Each
/// batch is one `INSERT` request, sent by a task of its own; at most the current concurrency
/// limit of them are in flight (see *Adaptive concurrency*).
///
/// # Bounded memory
///
/// Every written row counts against a budget ([`max_buffered_rows`] and
/// [`max_buffered_bytes`]) from `write` until its batch is committed or has failed: queued,
/// in the open batch, or in flight. When the budget is used up, `write` waits. Memory is thus
/// bounded by configuration, not by how fast producers are; [`InserterStats`] reports the
/// high-water marks. (A single write larger than the whole budget is admitted only when
/// nothing else is buffered.)
///
/// # Idempotent retries
///
/// Each batch carries an `insert_deduplication_token` that stays the same across its retries,
/// while every attempt gets a fresh `query_id`. When an attempt fails ambiguously (the server
/// died after writing the part but before answering), the retry is recognised as a duplicate
/// and dropped by the server, so no row is written twice. This relies on the table keeping
/// deduplication state:
///
/// - plain `MergeTree`: the table setting `non_replicated_deduplication_window` must be
///   non-zero (it is 0 by default!), e.g. `SETTINGS non_replicated_deduplication_window = 1000`;
/// - `Replicated*MergeTree`: deduplicates by default (`replicated_deduplication_window`);
/// - with server-side async inserts ([`async_insert`](InserterBuilder::async_insert)):
///   `async_insert_deduplicate=1`, which the inserter sets unless the options say otherwise.
///
/// What deduplication cannot cover: a plain `MergeTree` records a block's token in its
/// deduplication log *before* it commits the block's part, and does not reconcile the two when
/// it starts. If the server is killed between those two steps, the restarted server treats the
/// retry as a duplicate of a part that was never stored (observed on ClickHouse 26.9: the
/// log lists two tokens for the same part name). Rows are then missing, never doubled. The
/// inserter cannot tell this apart from a good deduplication (both answer 200 with the same
/// summary), so it reports every batch acknowledged after an attempt whose outcome is
/// unknown ([`Error::outcome_unknown`](crate::Error::outcome_unknown)): counted in [`InserterStats::uncertain_batches`] and handed,
/// rows included, to the [`uncertain`](InserterBuilder::uncertain) handler to verify. For
/// exactly-once across server crashes, use a `Replicated*MergeTree`, which records the token
/// and the part in one Keeper transaction.
///
/// The inserter always sends `insert_deduplicate=1` and, unless async options are given,
/// `async_insert=0` (ClickHouse 26 enables `async_insert` by default, under which the token
/// is ignored unless `async_insert_deduplicate` is on).
///
/// Retried failures: connection errors, timeouts, HTTP 5xx/429 without a ClickHouse code, and
/// the server codes listed in [`Error::failure_class`](crate::Error::failure_class); the waits are exponential with jitter
/// ([`RetryPolicy`]). Syntax errors, unknown tables, type mismatches, parse errors and
/// constraint violations fail at once.
///
/// # Adaptive concurrency
///
/// On overload errors (252 `TOO_MANY_PARTS`, 241 `MEMORY_LIMIT_EXCEEDED`, 202
/// `TOO_MANY_SIMULTANEOUS_QUERIES`) the in-flight limit halves; every success adds
/// `1/limit` back (AIMD), up to [`max_in_flight`](InserterBuilder::max_in_flight).
///
/// # Failures: nothing is dropped silently
///
/// A batch that still fails after its retries (or at once, for a non-retryable error) becomes
/// a [`FailedBatch`] holding its rows (as the RowBinary body) and the error. It goes to the
/// [`dead_letter`](InserterBuilder::dead_letter) handler when one is set; otherwise it is kept
/// and returned, as [`InserterError::Failed`], by the next `write`, `flush` or `end` of any
/// handle.
///
/// # Dropping without `end`
///
/// When every handle is dropped without [`end`](Inserter::end), the flusher still sends
/// everything written, waits for the batches in flight, and hands any failed batch nobody
/// collected to the [`orphan`](InserterBuilder::orphan) handler (by default: a warning on
/// stderr with the table, row count and error). Rows are only lost if the process exits
/// before that background work finishes, so call `end` when you can.
///
/// [`max_buffered_rows`]: InserterBuilder::max_buffered_rows
/// [`max_buffered_bytes`]: InserterBuilder::max_buffered_bytes
#[derive(Clone)]
pub struct Inserter {
    tx: async_channel::Sender<Msg>,
    shared: Arc<Shared>,
}

impl fmt::Debug for Inserter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inserter")
            .field("table", &self.shared.config.table)
            .field("stats", &self.stats())
            .finish()
    }
}

impl Inserter {
    /// Starts configuring an inserter into `table` (a name as SQL, e.g. `db.events`).
    pub fn builder(client: Client, table: impl Into<String>) -> InserterBuilder {
        InserterBuilder {
            client,
            table: table.into(),
            columns: Vec::new(),
            column_error: None,
            max_rows: 100_000,
            max_bytes: 16 << 20,
            period: Duration::from_secs(1),
            max_in_flight: 4,
            max_buffered_rows: None,
            max_buffered_bytes: None,
            retry: RetryPolicy::default(),
            settings: Settings::new(),
            async_insert: None,
            dead_letter: None,
            uncertain: None,
            orphan: None,
        }
    }

    /// The columns rows are written for.
    pub fn columns(&self) -> &[(String, DataType)] {
        &self.shared.config.columns
    }

    /// Writes one row (values in [`columns`](Self::columns) order). Waits while the buffer
    /// budget is used up. Fails, without writing the row, with batches that failed earlier.
    pub async fn write(&self, row: &[Value]) -> std::result::Result<(), InserterError> {
        self.shared.take_errors()?;
        let mut buf = BytesMut::new();
        self.encode_row(row, &mut buf).map_err(InserterError::Row)?;
        self.write_encoded(1, buf.freeze()).await
    }

    /// Writes several rows as one unit (cheaper than one `write` each).
    pub async fn write_rows(&self, rows: &[Vec<Value>]) -> std::result::Result<(), InserterError> {
        self.shared.take_errors()?;
        let mut buf = BytesMut::new();
        for row in rows {
            self.encode_row(row, &mut buf).map_err(InserterError::Row)?;
        }
        self.write_encoded(rows.len() as u64, buf.freeze()).await
    }

    /// Writes the rows of a block whose columns are the inserter's, in order.
    pub async fn write_block(&self, block: &Block) -> std::result::Result<(), InserterError> {
        self.shared.take_errors()?;
        let cfg = &self.shared.config;
        let names: Vec<&str> = block.columns.iter().map(|(n, _)| n.as_str()).collect();
        let expected: Vec<&str> = cfg.columns.iter().map(|(n, _)| n.as_str()).collect();
        if names != expected {
            return Err(InserterError::Row(Error::Config(format!(
                "block columns {names:?} differ from the inserter's {expected:?}"
            ))));
        }
        let mut buf = BytesMut::new();
        let mut row = Vec::with_capacity(names.len());
        for i in 0..block.rows {
            row.clear();
            for (_, c) in &block.columns {
                row.push(c.try_get(i).map_err(|e| InserterError::Row(e.into()))?);
            }
            self.encode_row(&row, &mut buf)
                .map_err(InserterError::Row)?;
        }
        self.write_encoded(block.rows as u64, buf.freeze()).await
    }

    /// Writes one typed row. `T`'s columns ([`Row::COLUMN_NAMES`]) must be the inserter's, in
    /// order (see [`InserterBuilder::columns_of`]).
    pub async fn write_row<T: Row + Serialize + ?Sized>(
        &self,
        row: &T,
    ) -> std::result::Result<(), InserterError> {
        self.shared.take_errors()?;
        let encoder = self.row_encoder::<T>()?;
        let mut buf = Vec::new();
        encoder.encode(row, &mut buf)?;
        self.write_encoded(1, buf.into()).await
    }

    /// Writes typed rows as one unit (cheaper than one `write_row` each).
    pub async fn write_rows_typed<T: Row + Serialize>(
        &self,
        rows: &[T],
    ) -> std::result::Result<(), InserterError> {
        self.shared.take_errors()?;
        let encoder = self.row_encoder::<T>()?;
        let mut buf = Vec::new();
        for row in rows {
            encoder.encode(row, &mut buf)?;
        }
        self.write_encoded(rows.len() as u64, buf.into()).await
    }

    fn row_encoder<T: Row + ?Sized>(&self) -> std::result::Result<RowEncoder<'_>, InserterError> {
        let columns = &self.shared.config.columns;
        let same = T::COLUMN_NAMES.len() == columns.len()
            && T::COLUMN_NAMES
                .iter()
                .zip(columns)
                .all(|(a, (b, _))| *a == b.as_str());
        if !same {
            return Err(InserterError::TypedRow(RowError::Columns {
                row: T::NAME,
                expected: T::COLUMN_NAMES.iter().map(|s| (*s).to_owned()).collect(),
                actual: columns.iter().map(|(n, _)| n.clone()).collect(),
            }));
        }
        Ok(RowEncoder::positional(columns))
    }

    fn encode_row(&self, row: &[Value], out: &mut BytesMut) -> Result<()> {
        let types = &self.shared.config.types;
        if row.len() != types.len() {
            return Err(Error::Config(format!(
                "{} values for {} columns",
                row.len(),
                types.len()
            )));
        }
        let mark = out.len();
        for (t, v) in types.iter().zip(row) {
            if let Err(e) = encode_value(t, v, out) {
                out.truncate(mark);
                return Err(e.into());
            }
        }
        Ok(())
    }

    /// Queues `rows` already encoded as RowBinary for the inserter's columns.
    pub(crate) async fn write_encoded(
        &self,
        rows: u64,
        data: Bytes,
    ) -> std::result::Result<(), InserterError> {
        if rows == 0 {
            return Ok(());
        }
        let shared = &self.shared;
        let cfg = &shared.config;
        let bytes = data.len() as u64;
        let mut closed = false;
        let mut waited = false;
        shared
            .wait_until(|st| {
                if st.ended || st.flusher_done {
                    closed = true;
                    return true;
                }
                let fits = (st.stats.buffered_rows + rows <= cfg.budget_rows
                    && st.stats.buffered_bytes + bytes <= cfg.budget_bytes)
                    || st.stats.buffered_rows == 0;
                if !fits {
                    if !waited {
                        st.stats.write_waits += 1;
                    }
                    waited = true;
                    return false;
                }
                let s = &mut st.stats;
                s.buffered_rows += rows;
                s.buffered_bytes += bytes;
                s.max_buffered_rows_seen = s.max_buffered_rows_seen.max(s.buffered_rows);
                s.max_buffered_bytes_seen = s.max_buffered_bytes_seen.max(s.buffered_bytes);
                s.rows_written += rows;
                s.bytes_written += bytes;
                true
            })
            .await;
        if closed {
            return Err(InserterError::Closed);
        }
        if self.tx.send(Msg::Rows { rows, data }).await.is_err() {
            let mut st = shared.lock();
            st.stats.buffered_rows -= rows;
            st.stats.buffered_bytes -= bytes;
            st.stats.rows_written -= rows;
            st.stats.bytes_written -= bytes;
            drop(st);
            shared.changed.notify(usize::MAX);
            return Err(InserterError::Closed);
        }
        Ok(())
    }

    /// Sends the open batch and waits until every row written before this call is committed
    /// (or failed). Returns the batches that failed without a dead-letter handler.
    pub async fn flush(&self) -> std::result::Result<(), InserterError> {
        let (reply_tx, reply_rx) = async_channel::bounded(1);
        if self.tx.send(Msg::Flush(reply_tx)).await.is_err() {
            return Err(InserterError::Closed);
        }
        let Ok(last) = reply_rx.recv().await else {
            // The flusher stopped; it waits for in-flight batches before it does.
            self.shared.wait_until(|st| st.flusher_done).await;
            return self.shared.take_errors();
        };
        self.shared
            .wait_until(|st| st.in_flight.first().is_none_or(|&id| id > last))
            .await;
        self.shared.take_errors()
    }

    /// Flushes, stops the pipeline (writes through other handles then fail with
    /// [`InserterError::Closed`]) and returns the final counters.
    pub async fn end(self) -> std::result::Result<InserterStats, InserterError> {
        let flushed = self.flush().await;
        self.shared.lock().ended = true;
        self.shared.changed.notify(usize::MAX);
        self.tx.close();
        self.shared.wait_until(|st| st.flusher_done).await;
        let rest = self.shared.take_errors();
        match (flushed, rest) {
            (Err(InserterError::Failed(mut a)), Err(InserterError::Failed(b))) => {
                a.extend(b);
                Err(InserterError::Failed(a))
            }
            (Err(e), _) | (Ok(()), Err(e)) => Err(e),
            (Ok(()), Ok(())) => Ok(self.stats()),
        }
    }

    /// Current counters.
    pub fn stats(&self) -> InserterStats {
        let st = self.shared.lock();
        let mut s = st.stats.clone();
        s.batches_in_flight = st.in_flight.len();
        s.concurrency_limit = st.aimd.slots();
        s
    }
}

/// A batch being filled by the flusher.
struct OpenBatch {
    data: BytesMut,
    rows: u64,
    opened: Instant,
}

/// The flusher task: groups queued rows into batches and starts a sender per batch.
async fn flusher(shared: Arc<Shared>, rx: async_channel::Receiver<Msg>) {
    let rt = Arc::clone(shared.client.runtime());
    let cfg = &shared.config;
    let mut open: Option<OpenBatch> = None;
    let mut next_id = 1u64;
    loop {
        // Drain what is queued without arming a timer; wait only when the queue is empty.
        let msg = match rx.try_recv() {
            Ok(m) => Some(m),
            Err(async_channel::TryRecvError::Closed) => None,
            Err(async_channel::TryRecvError::Empty) => match &open {
                None => rx.recv().await.ok(),
                Some(b) => {
                    let deadline = chwire_rt::deadline_after(b.opened, cfg.period);
                    match select(pin!(rx.recv()), rt.sleep_until(deadline)).await {
                        Either::Left((m, _)) => m.ok(),
                        Either::Right(_) => {
                            let batch = open.take().expect("open batch");
                            dispatch(&shared, batch, &mut next_id).await;
                            continue;
                        }
                    }
                }
            },
        };
        match msg {
            Some(Msg::Rows { rows, data }) => {
                let b = open.get_or_insert_with(|| OpenBatch {
                    data: BytesMut::new(),
                    rows: 0,
                    opened: rt.now(),
                });
                b.data.extend_from_slice(&data);
                b.rows += rows;
                if b.rows >= cfg.max_rows || b.data.len() as u64 >= cfg.max_bytes {
                    let batch = open.take().expect("open batch");
                    dispatch(&shared, batch, &mut next_id).await;
                }
            }
            Some(Msg::Flush(reply)) => {
                if let Some(batch) = open.take() {
                    dispatch(&shared, batch, &mut next_id).await;
                }
                let _ = reply.try_send(next_id - 1);
            }
            None => break,
        }
    }
    if let Some(batch) = open.take() {
        dispatch(&shared, batch, &mut next_id).await;
    }
    shared.wait_until(|st| st.in_flight.is_empty()).await;
    let orphans: Vec<FailedBatch> = {
        let mut st = shared.lock();
        st.flusher_done = true;
        if st.ended {
            Vec::new()
        } else {
            st.errors.drain(..).collect()
        }
    };
    shared.changed.notify(usize::MAX);
    for batch in orphans {
        match &shared.orphan {
            Some(h) => h(batch),
            None => eprintln!(
                "chwire: inserter dropped without end(): {} rows for {} were not inserted \
                 and nobody collected them: {}",
                batch.rows, batch.table, batch.error
            ),
        }
    }
}

/// Waits for an in-flight slot, then starts the batch's sender task.
async fn dispatch(shared: &Arc<Shared>, batch: OpenBatch, next_id: &mut u64) {
    let id = *next_id;
    *next_id += 1;
    shared
        .wait_until(|st| {
            if st.in_flight.len() < st.aimd.slots() {
                st.in_flight.insert(id);
                st.stats.batches_in_flight = st.in_flight.len();
                st.stats.batches_sent += 1;
                true
            } else {
                false
            }
        })
        .await;
    let data = batch.data.freeze();
    let rows = batch.rows;
    // Releases the slot and budget even if the task is dropped unpolled or a handler panics.
    let guard = ReleaseGuard {
        shared: Arc::clone(shared),
        id,
        rows,
        bytes: data.len() as u64,
    };
    shared.client.runtime().spawn(Box::pin(async move {
        send_batch(&guard.shared, id, rows, data).await;
        drop(guard);
    }));
}

struct ReleaseGuard {
    shared: Arc<Shared>,
    id: u64,
    rows: u64,
    bytes: u64,
}

impl Drop for ReleaseGuard {
    fn drop(&mut self) {
        self.shared.release(self.id, self.rows, self.bytes);
    }
}

/// Sends one batch with retries; on final failure hands it to the dead-letter handler or the
/// error queue.
async fn send_batch(shared: &Shared, id: u64, rows: u64, data: Bytes) {
    let cfg = &shared.config;
    let inner = &shared.client.inner;
    let token = format!("{}-{id}", cfg.token_prefix);
    let mut settings = cfg.settings.clone();
    settings.set("insert_deduplication_token", &token);
    let compression = inner.body_compression();
    let body = match compression {
        None => Ok(data.clone()),
        Some(c) => {
            let plain = data.clone();
            let work = move || -> Result<Bytes> {
                let mut out = BytesMut::with_capacity(plain.len() / 2 + 64);
                CompressedBlockWriter::new(c).write(&plain, &mut out)?;
                Ok(out.freeze())
            };
            if data.len() <= INLINE_COMPRESS_BYTES {
                work()
            } else {
                match inner.rt.run_blocking(work).await {
                    Ok(r) => r,
                    Err(e) => Err(Error::Pipeline(format!("compressor: {e}"))),
                }
            }
        }
    };
    let mut attempts = 0u32;
    // The first failure after which the server may have applied the batch anyway.
    let mut unknown: Option<Error> = None;
    let error = match body {
        Err(e) => e,
        Ok(body) => loop {
            attempts += 1;
            // One client span per attempt (no-op without the `opentelemetry` feature).
            let span = inner.span(&cfg.insert_sql, None);
            let delivered_unanswered = AtomicBool::new(false);
            let req = Request::insert(&cfg.insert_sql, compression.is_some())
                .settings(&settings)
                .span(&span)
                .delivered_unanswered(&delivered_unanswered);
            let outcome = async {
                let mut resp = inner.send(&req, &body).await?;
                resp.body.collect_capped(1 << 16).await?;
                Ok::<_, Error>(QuerySummary::from_head(&resp.head, &resp.query_id))
            }
            .await;
            match &outcome {
                Ok(summary) => {
                    span.set_summary(summary);
                    span.end_ok();
                }
                Err(e) => span.end_err(e),
            }
            let e = match outcome {
                Ok(_) => {
                    {
                        let mut st = shared.lock();
                        st.aimd.on_success();
                        let s = &mut st.stats;
                        s.rows_committed += rows;
                        s.bytes_committed += data.len() as u64;
                        s.batches_committed += 1;
                        if unknown.is_some() {
                            s.uncertain_batches += 1;
                            s.uncertain_rows += rows;
                        }
                    }
                    if let (Some(error), Some(h)) = (unknown, &shared.uncertain) {
                        h(cfg.batch(rows, data, token, attempts, error));
                    }
                    return;
                }
                Err(e) => e,
            };
            let class = e.failure_class();
            {
                let mut st = shared.lock();
                if class == FailureClass::BackPressure {
                    st.aimd.on_back_pressure();
                    st.stats.back_pressure_errors += 1;
                    let slots = st.aimd.slots();
                    st.stats.min_concurrency_limit = st.stats.min_concurrency_limit.min(slots);
                }
                if class == FailureClass::Fatal || attempts > cfg.retry.max_retries {
                    break e;
                }
                st.stats.retries += 1;
            }
            if unknown.is_none()
                && (e.outcome_unknown() || delivered_unanswered.load(Ordering::Relaxed))
            {
                unknown = Some(e);
            }
            inner.rt.sleep(cfg.retry.backoff(attempts - 1)).await;
        },
    };
    let failed = cfg.batch(rows, data, token, attempts, error);
    {
        let mut st = shared.lock();
        st.stats.failed_batches += 1;
        st.stats.failed_rows += rows;
    }
    match &shared.dead_letter {
        Some(h) => h(failed),
        None => shared.lock().errors.push_back(failed),
    }
}
