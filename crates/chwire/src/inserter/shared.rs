//! What the handles, the flusher and the senders of one inserter share: its fixed
//! configuration, the state under one lock (counters, concurrency limit, batches in flight,
//! failed batches kept), the wake-ups when that state changes, and the messages to the flusher.

use std::collections::{BTreeSet, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use chwire_proto::{Block, DataType};
use event_listener::Event;

use super::failed::{FailedBatch, Handlers, InserterError};
use super::retry::{Aimd, RetryPolicy};
use super::stats::InserterStats;
use crate::config::Format;
use crate::error::Error;
use crate::handle::Client;
use crate::row::ColumnRows;
use crate::settings::Settings;

/// What does not change once the inserter is built.
pub(super) struct Config {
    pub(super) table: String,
    pub(super) columns: Vec<(String, DataType)>,
    pub(super) types: Vec<DataType>,
    /// How batches are sent: `Native` blocks whenever every column's type lets the blocks of
    /// a batch be sent as one (see [`batch_format`](super::builder)), `RowBinary` otherwise.
    pub(super) format: Format,
    pub(super) insert_sql: String,
    /// The settings of every batch (its dedup token is added per batch).
    pub(super) settings: Settings,
    pub(super) max_rows: u64,
    pub(super) max_bytes: u64,
    pub(super) period: Duration,
    pub(super) retry: RetryPolicy,
    pub(super) budget_rows: u64,
    pub(super) budget_bytes: u64,
    /// Random per inserter, so tokens of two inserters never collide.
    pub(super) token_prefix: String,
}

impl Config {
    /// The `insert_deduplication_token` of batch `id`, the same on every attempt.
    pub(super) fn dedup_token(&self, id: u64) -> String {
        format!("{}-{id}", self.token_prefix)
    }

    /// A batch of this inserter, handed back to the application.
    pub(super) fn batch(
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
            format: self.format,
            rows,
            data,
            dedup_token,
            attempts,
            error,
        }
    }
}

pub(super) struct State {
    pub(super) stats: InserterStats,
    pub(super) aimd: Aimd,
    /// Ids of the batches sent and not yet finished.
    pub(super) in_flight: BTreeSet<u64>,
    /// Failed batches waiting to be returned (no dead-letter handler).
    pub(super) errors: VecDeque<FailedBatch>,
    pub(super) ended: bool,
    pub(super) flusher_done: bool,
}

impl State {
    pub(super) fn new(aimd: Aimd, budget_rows: u64, budget_bytes: u64) -> State {
        State {
            stats: InserterStats::new(aimd.slots(), budget_rows, budget_bytes),
            aimd,
            in_flight: BTreeSet::new(),
            errors: VecDeque::new(),
            ended: false,
            flusher_done: false,
        }
    }
}

pub(super) struct Shared {
    pub(super) client: Client,
    pub(super) config: Config,
    pub(super) state: Mutex<State>,
    /// Notified whenever buffer space, an in-flight slot or the flusher's state changes.
    pub(super) changed: Event,
    pub(super) handlers: Handlers,
    /// Column buffers of typed writes, kept between calls with the room they grew to (a
    /// `Native` inserter): a write then neither plans its columns nor regrows them.
    pub(super) spare_columns: Mutex<Vec<ColumnRows>>,
}

impl Shared {
    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain counters behind: keep going.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Column buffers for a typed write: spare ones if any, else new ones; `None` when the
    /// inserter's columns have no column layout.
    pub(super) fn column_rows(&self) -> Option<ColumnRows> {
        let spare = self
            .spare_columns
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop();
        spare.or_else(|| ColumnRows::new(&self.config.columns))
    }

    /// Keeps emptied column buffers for the next typed write (as many as writes ran at once).
    pub(super) fn put_column_rows(&self, columns: ColumnRows) {
        debug_assert_eq!(columns.rows(), 0);
        let mut spare = self.spare_columns.lock().unwrap_or_else(|e| e.into_inner());
        if spare.len() < MAX_SPARE_COLUMNS {
            spare.push(columns);
        }
    }

    /// Wakes every task waiting in [`wait_until`](Self::wait_until).
    pub(super) fn notify(&self) {
        self.changed.notify(usize::MAX);
    }

    /// Waits until `ready` holds; `ready` runs under the lock.
    pub(super) async fn wait_until(&self, mut ready: impl FnMut(&mut State) -> bool) {
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

    pub(super) fn take_errors(&self) -> std::result::Result<(), InserterError> {
        let mut st = self.lock();
        if st.errors.is_empty() {
            return Ok(());
        }
        Err(InserterError::Failed(st.errors.drain(..).collect()))
    }

    /// Marks the flusher stopped and wakes its waiters; returns the failed batches nobody can
    /// collect any more (no handle ended the inserter).
    pub(super) fn flusher_stopped(&self) -> Vec<FailedBatch> {
        let orphans = {
            let mut st = self.lock();
            st.flusher_done = true;
            if st.ended {
                Vec::new()
            } else {
                st.errors.drain(..).collect()
            }
        };
        self.notify();
        orphans
    }

    /// Returns a finished batch's budget and slot.
    pub(super) fn release(&self, id: u64, rows: u64, bytes: u64) {
        let mut st = self.lock();
        st.in_flight.remove(&id);
        st.stats.released(rows, bytes);
        st.stats.batches_in_flight = st.in_flight.len();
        drop(st);
        self.notify();
    }
}

/// Column buffers kept for typed writes, at most.
const MAX_SPARE_COLUMNS: usize = 64;

/// What handles send the flusher.
pub(super) enum Msg {
    /// Rows encoded as RowBinary (a `RowBinary` inserter).
    Rows { rows: u64, data: Bytes },
    /// Rows as a block of the inserter's columns (a `Native` inserter); `bytes`: the size it
    /// was admitted with.
    Block { block: Block, bytes: u64 },
    /// Send the open batch; reply with the id of the last batch sent.
    Flush(async_channel::Sender<u64>),
}
