//! Query counters (rows and bytes read and written, totals, elapsed time), the same on every
//! transport.

/// Query counters: over HTTP one `X-ClickHouse-Progress` header per update and
/// `X-ClickHouse-Summary` (the final totals); over the native protocol Progress packets, each an
/// increment to add up ([`Progress::add`]). A counter the server did not send reads as 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Rows read from tables so far.
    pub read_rows: u64,
    /// Bytes read from tables so far (uncompressed).
    pub read_bytes: u64,
    /// Rows inserted so far.
    pub written_rows: u64,
    /// Bytes inserted so far.
    pub written_bytes: u64,
    /// The server's estimate of the rows the query reads in all; 0 when it has none.
    pub total_rows_to_read: u64,
    /// Reported by the native protocol only (from revision 54463).
    pub total_bytes_to_read: u64,
    /// Rows in the result; reported over HTTP only.
    pub result_rows: u64,
    /// Bytes in the result; reported over HTTP only.
    pub result_bytes: u64,
    /// Time since the query started, in nanoseconds.
    pub elapsed_ns: u64,
    /// Peak memory usage; signed on the server.
    pub memory_usage: i64,
}

impl Progress {
    /// Adds an increment (a native Progress packet) to these counters. Totals to read and
    /// elapsed time are increments too on the native protocol; memory usage is a peak, so the
    /// larger one is kept. Saturating: hostile counters cannot overflow.
    pub fn add(&mut self, delta: &Progress) {
        self.read_rows = self.read_rows.saturating_add(delta.read_rows);
        self.read_bytes = self.read_bytes.saturating_add(delta.read_bytes);
        self.written_rows = self.written_rows.saturating_add(delta.written_rows);
        self.written_bytes = self.written_bytes.saturating_add(delta.written_bytes);
        self.total_rows_to_read = self
            .total_rows_to_read
            .saturating_add(delta.total_rows_to_read);
        self.result_rows = self.result_rows.saturating_add(delta.result_rows);
        self.result_bytes = self.result_bytes.saturating_add(delta.result_bytes);
        self.elapsed_ns = self.elapsed_ns.saturating_add(delta.elapsed_ns);
        self.memory_usage = self.memory_usage.max(delta.memory_usage);
    }
}
