//! [`Inserter`]: one shared, bounded-memory ingestion pipeline for many producer tasks.
//!
//! The handle is here (flush, end, counters); the rest has a file each: `builder` (options and
//! the fixed configuration), `write` (rows encoded and admitted against the budget), `shared`
//! (the state handles, flusher and senders share), `flusher` (rows into batches, a sender per
//! batch), `send` (one batch through the insert path, with retries), `retry` (backoff and the
//! AIMD limit), `stats` (the counters) and `failed` (batches handed back, their handlers).

mod builder;
mod failed;
mod flusher;
mod retry;
mod send;
mod shared;
mod stats;
mod write;

use std::fmt;
use std::sync::Arc;

use chwire_proto::DataType;

pub use builder::InserterBuilder;
pub use failed::{FailedBatch, InserterError};
pub use retry::RetryPolicy;
pub use stats::InserterStats;

use crate::handle::Client;
use shared::{Msg, Shared};

/// A cloneable handle on a shared insert pipeline.
///
/// ```no_run
/// # use std::time::Duration;
/// # use chwire::{Inserter, Value};
/// # async fn run(client: chwire::Client) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
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
/// println!("{} rows committed", stats.rows_committed);
/// # Ok(())
/// # }
/// ```
///
/// # How rows travel
///
/// `write` encodes the row in the calling task and hands it to a background *flusher* task,
/// which appends it to the open batch. When every column's type has Native data that
/// concatenates (numbers of up to 64 bits, `Bool`, dates and times, decimals of up to 18
/// digits, enums, IPs, `FixedString`, `String`), rows are laid into columns and a batch is sent as one `FORMAT Native` block:
/// the server reads it column by column, for about half the CPU of RowBinary rows. Other
/// columns (`Nullable`, `Array`, `LowCardinality`, `Map`, 128- and 256-bit numbers, `UUID`,
/// ...) make the inserter send
/// `FORMAT RowBinary` batches, encoded row by row. A batch is sent when it reaches
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
/// a [`FailedBatch`] holding its rows (the body, in [`FailedBatch::format`]) and the error. It goes to the
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
        InserterBuilder::new(client, table.into())
    }

    /// The columns rows are written for.
    pub fn columns(&self) -> &[(String, DataType)] {
        &self.shared.config.columns
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
        self.shared.notify();
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
