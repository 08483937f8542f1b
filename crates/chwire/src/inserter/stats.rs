//! [`InserterStats`]: the counters of an [`Inserter`](crate::Inserter), and how each event of
//! the pipeline moves them.

/// Counters of an [`Inserter`](crate::Inserter).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct InserterStats {
    /// Rows and encoded bytes accepted by `write`.
    pub rows_written: u64,
    /// Encoded bytes accepted by `write`.
    pub bytes_written: u64,
    /// Rows, bytes and batches the server committed.
    pub rows_committed: u64,
    /// Encoded bytes the server committed.
    pub bytes_committed: u64,
    /// Batches the server committed.
    pub batches_committed: u64,
    /// Batches sent so far (each counted once, however many attempts).
    pub batches_sent: u64,
    /// Batches sent and not yet answered, now.
    pub batches_in_flight: usize,
    /// Attempts repeated after a retryable failure.
    pub retries: u64,
    /// Overload errors seen (each halves the concurrency limit).
    pub back_pressure_errors: u64,
    /// Batches (and their rows) given up on: to the dead-letter handler or returned as errors.
    pub failed_batches: u64,
    /// Rows of the failed batches.
    pub failed_rows: u64,
    /// Batches (and their rows) acknowledged on a retry after an attempt whose outcome is
    /// unknown (see *Idempotent retries* in the [`Inserter`](crate::Inserter) docs): exactly
    /// once on tables that deduplicate atomically, possibly missing (never doubled) on a plain
    /// `MergeTree` whose server crashed at the wrong moment.
    pub uncertain_batches: u64,
    /// Rows of the uncertain batches.
    pub uncertain_rows: u64,
    /// The adaptive limit on batches in flight now, and the lowest it has been.
    pub concurrency_limit: usize,
    /// The lowest the adaptive concurrency limit has been.
    pub min_concurrency_limit: usize,
    /// Rows and bytes written but not yet committed or failed, now and at most so far.
    pub buffered_rows: u64,
    /// Encoded bytes written but not yet committed or failed, now.
    pub buffered_bytes: u64,
    /// The most rows buffered at once so far.
    pub max_buffered_rows_seen: u64,
    /// The most encoded bytes buffered at once so far.
    pub max_buffered_bytes_seen: u64,
    /// The configured bounds of the buffered rows and bytes.
    pub buffered_rows_limit: u64,
    /// The configured bound of the buffered encoded bytes.
    pub buffered_bytes_limit: u64,
    /// Times a `write` had to wait for buffer space.
    pub write_waits: u64,
}

impl InserterStats {
    /// The counters of a new inserter: `slots` batches in flight allowed, within the budget.
    pub(super) fn new(slots: usize, budget_rows: u64, budget_bytes: u64) -> InserterStats {
        InserterStats {
            concurrency_limit: slots,
            min_concurrency_limit: slots,
            buffered_rows_limit: budget_rows,
            buffered_bytes_limit: budget_bytes,
            ..InserterStats::default()
        }
    }

    /// A write was admitted into the budget.
    pub(super) fn admitted(&mut self, rows: u64, bytes: u64) {
        self.buffered_rows += rows;
        self.buffered_bytes += bytes;
        self.max_buffered_rows_seen = self.max_buffered_rows_seen.max(self.buffered_rows);
        self.max_buffered_bytes_seen = self.max_buffered_bytes_seen.max(self.buffered_bytes);
        self.rows_written += rows;
        self.bytes_written += bytes;
    }

    /// An admitted write never reached the flusher (it had stopped).
    pub(super) fn withdrawn(&mut self, rows: u64, bytes: u64) {
        self.buffered_rows -= rows;
        self.buffered_bytes -= bytes;
        self.rows_written -= rows;
        self.bytes_written -= bytes;
    }

    /// A finished batch (committed or failed) left the budget.
    pub(super) fn released(&mut self, rows: u64, bytes: u64) {
        self.buffered_rows -= rows;
        self.buffered_bytes -= bytes;
    }

    /// The server committed a batch; `uncertain` after an attempt whose outcome is unknown.
    pub(super) fn committed(&mut self, rows: u64, bytes: u64, uncertain: bool) {
        self.rows_committed += rows;
        self.bytes_committed += bytes;
        self.batches_committed += 1;
        if uncertain {
            self.uncertain_batches += 1;
            self.uncertain_rows += rows;
        }
    }

    /// An overload error; the concurrency limit is now `slots`.
    pub(super) fn back_pressure(&mut self, slots: usize) {
        self.back_pressure_errors += 1;
        self.min_concurrency_limit = self.min_concurrency_limit.min(slots);
    }

    /// A batch was given up on.
    pub(super) fn failed(&mut self, rows: u64) {
        self.failed_batches += 1;
        self.failed_rows += rows;
    }
}
