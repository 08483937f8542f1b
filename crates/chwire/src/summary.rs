//! [`QuerySummary`]: what the server reports about a finished request, on every transport.

use crate::progress::Progress;

/// The server's summary of a finished request (HTTP: `X-ClickHouse-Summary`): the query id it ran under plus
/// the server's counters (`read_rows`, `written_rows`, `elapsed_ns`, … — the fields of
/// [`Progress`], reachable directly on the summary).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct QuerySummary {
    /// The query id the request ran under.
    pub query_id: String,
    /// The counters of the summary header.
    pub counters: Progress,
}

impl std::ops::Deref for QuerySummary {
    type Target = Progress;

    fn deref(&self) -> &Progress {
        &self.counters
    }
}

impl QuerySummary {
    pub(crate) fn new(query_id: String, counters: Progress) -> QuerySummary {
        QuerySummary { query_id, counters }
    }
}
