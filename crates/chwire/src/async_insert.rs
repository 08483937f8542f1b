//! Server-side asynchronous inserts: typed options, and helpers to inspect and flush the
//! server's queue.
//!
//! With `async_insert=1` the server buffers small inserts from many clients in memory and
//! writes them as one part when the buffer is old or big enough (the busy timeout, the data
//! size and the query count limits below). `wait_for_async_insert=1` (the default here) makes
//! each insert return only once its data is written, so errors reach the client and an `Ok`
//! means durable. See `docs/inserts.md` for how this compares with client-side batching
//! ([`Inserter`](crate::inserter::Inserter)).
//!
//! The options apply per client ([`ClientBuilder::async_insert`]), per insert
//! ([`BlockInsert::async_insert`], [`Insert::async_insert`]) or per inserter
//! ([`InserterBuilder::async_insert`](crate::inserter::InserterBuilder::async_insert)); a
//! narrower scope overrides a wider one setting by setting.

use std::time::Duration;

use chwire_proto::Value;

use crate::builder::ClientBuilder;
use crate::error::{Error, Result};
use crate::handle::Client;
use crate::insert::{BlockInsert, Insert};
use crate::row::Row;
use crate::settings::Settings;

/// How long the server buffers an async insert before writing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BusyTimeout {
    /// Always flush after this long (`async_insert_use_adaptive_busy_timeout=0`,
    /// `async_insert_busy_timeout_max_ms`, of which `async_insert_busy_timeout_ms` is an alias).
    Fixed(Duration),
    /// The server adapts the timeout between `min` and `max` to the insert rate
    /// (`async_insert_use_adaptive_busy_timeout=1`, `async_insert_busy_timeout_min_ms`,
    /// `async_insert_busy_timeout_max_ms`).
    Adaptive {
        /// The shortest timeout, sent in whole milliseconds.
        min: Duration,
        /// The longest timeout, sent in whole milliseconds.
        max: Duration,
    },
}

/// Typed `async_insert*` settings. [`AsyncInsertOptions::new`] enables async inserts and waits
/// for the data to be written (`wait_for_async_insert=1`); every other setting is left to the
/// server unless set.
///
/// ```no_run
/// # fn build(rt: std::sync::Arc<dyn chwire_rt::Runtime>) -> chwire::Result<()> {
/// use std::time::Duration;
/// use chwire::{AsyncInsertOptions, BusyTimeout, Client};
///
/// let opts = AsyncInsertOptions::new()
///     .busy_timeout(BusyTimeout::Fixed(Duration::from_millis(200)))
///     .deduplicate(true);
/// let client = Client::builder(rt).async_insert(&opts).build()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsyncInsertOptions {
    enabled: bool,
    wait: bool,
    busy_timeout: Option<BusyTimeout>,
    max_data_size: Option<u64>,
    max_query_number: Option<u64>,
    deduplicate: Option<bool>,
}

impl Default for AsyncInsertOptions {
    fn default() -> Self {
        Self::new()
    }
}

impl AsyncInsertOptions {
    /// `async_insert=1`, `wait_for_async_insert=1`.
    pub fn new() -> Self {
        AsyncInsertOptions {
            enabled: true,
            wait: true,
            busy_timeout: None,
            max_data_size: None,
            max_query_number: None,
            deduplicate: None,
        }
    }

    /// `async_insert=0`: synchronous inserts, each one a part of its own. Useful to override a
    /// server or client default (ClickHouse 26 enables `async_insert` by default).
    pub fn disabled() -> Self {
        AsyncInsertOptions {
            enabled: false,
            ..Self::new()
        }
    }

    /// `wait_for_async_insert=0`: the server acknowledges an insert as soon as it is queued in
    /// memory, before it is parsed against the table or written.
    ///
    /// **Risks.** An `Ok` then means only "received": errors found later (bad data, a dropped
    /// table, constraint violations, too many parts) are logged on the server and never reach
    /// the client, and queued data is lost if the server stops or crashes before its flush.
    /// No retry can help, since the client never learns of the failure. Use it only for data
    /// you can afford to lose (metrics, logs), never with the [`Inserter`]'s dead-letter
    /// guarantee in mind.
    ///
    /// [`Inserter`]: crate::inserter::Inserter
    pub fn fire_and_forget(mut self) -> Self {
        self.wait = false;
        self
    }

    /// How long the server buffers before writing.
    pub fn busy_timeout(mut self, timeout: BusyTimeout) -> Self {
        self.busy_timeout = Some(timeout);
        self
    }

    /// `async_insert_max_data_size`: buffered bytes (per query shape) that trigger a flush.
    pub fn max_data_size(mut self, bytes: u64) -> Self {
        self.max_data_size = Some(bytes);
        self
    }

    /// `async_insert_max_query_number`: buffered inserts that trigger a flush.
    pub fn max_query_number(mut self, n: u64) -> Self {
        self.max_query_number = Some(n);
        self
    }

    /// `async_insert_deduplicate`: whether async inserts are deduplicated (by
    /// `insert_deduplication_token` when given, else by data hash). Off by default on the
    /// server; the [`Inserter`](crate::inserter::Inserter) turns it on unless set here.
    pub fn deduplicate(mut self, yes: bool) -> Self {
        self.deduplicate = Some(yes);
        self
    }

    /// Whether these options send `async_insert=1`.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Whether an insert waits for its data to be written (`wait_for_async_insert=1`); false
    /// after [`fire_and_forget`](Self::fire_and_forget).
    pub fn waits(&self) -> bool {
        self.wait
    }

    /// Whether `deduplicate` was set explicitly, and to what.
    pub fn deduplicate_setting(&self) -> Option<bool> {
        self.deduplicate
    }

    /// The settings these options stand for, in a stable order.
    pub fn settings(&self) -> Settings {
        let mut s = Settings::new();
        s.set("async_insert", u8::from(self.enabled));
        if !self.enabled {
            return s;
        }
        s.set("wait_for_async_insert", u8::from(self.wait));
        match self.busy_timeout {
            Some(BusyTimeout::Fixed(t)) => {
                s.set("async_insert_use_adaptive_busy_timeout", 0);
                s.set("async_insert_busy_timeout_max_ms", t.as_millis());
            }
            Some(BusyTimeout::Adaptive { min, max }) => {
                s.set("async_insert_use_adaptive_busy_timeout", 1);
                s.set("async_insert_busy_timeout_min_ms", min.as_millis());
                s.set("async_insert_busy_timeout_max_ms", max.as_millis());
            }
            None => {}
        }
        if let Some(n) = self.max_data_size {
            s.set("async_insert_max_data_size", n);
        }
        if let Some(n) = self.max_query_number {
            s.set("async_insert_max_query_number", n);
        }
        if let Some(d) = self.deduplicate {
            s.set("async_insert_deduplicate", u8::from(d));
        }
        s
    }
}

impl ClientBuilder {
    /// Server-side async insert settings for every query of the client.
    pub fn async_insert(mut self, options: &AsyncInsertOptions) -> Self {
        for (n, v) in options.settings().iter() {
            self = self.setting(n, v);
        }
        self
    }
}

impl BlockInsert {
    /// Server-side async insert settings for this insert (over the client's).
    pub fn async_insert(mut self, options: &AsyncInsertOptions) -> Self {
        for (n, v) in options.settings().iter() {
            self = self.setting(n, v);
        }
        self
    }
}

impl<T: Row + serde::Serialize> Insert<T> {
    /// Server-side async insert settings for this typed insert (over the client's).
    pub fn async_insert(mut self, options: &AsyncInsertOptions) -> Self {
        for (n, v) in options.settings().iter() {
            self = self.setting(n, v);
        }
        self
    }
}

/// One row of `system.asynchronous_inserts`: data queued on the server, not yet written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct AsyncInsertEntry {
    /// The insert's query text.
    pub query: String,
    /// Database of the target table.
    pub database: String,
    /// The target table.
    pub table: String,
    /// The input format of the queued data, e.g. `RowBinary` or `Native`.
    pub format: String,
    /// When the first insert joined this buffer, microseconds since the Unix epoch.
    pub first_update_us: i64,
    /// Bytes waiting in this buffer.
    pub total_bytes: u64,
    /// Query ids of the inserts in the buffer (`entries.query_id`).
    pub entry_query_ids: Vec<String>,
    /// Bytes of each insert (`entries.bytes`).
    pub entry_bytes: Vec<u64>,
}

const ASYNC_INSERTS_SQL: &str = "SELECT query, database, table, format, \
     toInt64(toUnixTimestamp64Micro(first_update)), total_bytes, entries.query_id, entries.bytes \
     FROM system.asynchronous_inserts ORDER BY first_update";

impl AsyncInsertEntry {
    fn from_row(row: Vec<Value>) -> Result<AsyncInsertEntry> {
        let bad =
            |what: &str| Error::Config(format!("unexpected {what} in system.asynchronous_inserts"));
        let text = |v: Value| match v {
            Value::String(b) => Ok(String::from_utf8_lossy(&b).into_owned()),
            _ => Err(bad("non-string")),
        };
        let mut it = row.into_iter();
        let mut next = || it.next().ok_or_else(|| bad("column count"));
        let query = text(next()?)?;
        let database = text(next()?)?;
        let table = text(next()?)?;
        let format = text(next()?)?;
        let first_update_us = match next()? {
            Value::Int64(x) => x,
            _ => return Err(bad("first_update")),
        };
        let total_bytes = match next()? {
            Value::UInt64(x) => x,
            _ => return Err(bad("total_bytes")),
        };
        let entry_query_ids = match next()? {
            Value::Array(v) => v.into_iter().map(text).collect::<Result<_>>()?,
            _ => return Err(bad("entries.query_id")),
        };
        let entry_bytes = match next()? {
            Value::Array(v) => v
                .into_iter()
                .map(|x| match x {
                    Value::UInt64(n) => Ok(n),
                    _ => Err(bad("entries.bytes")),
                })
                .collect::<Result<_>>()?,
            _ => return Err(bad("entries.bytes")),
        };
        Ok(AsyncInsertEntry {
            query,
            database,
            table,
            format,
            first_update_us,
            total_bytes,
            entry_query_ids,
            entry_bytes,
        })
    }
}

impl Client {
    /// `SYSTEM FLUSH ASYNC INSERT QUEUE`: writes every buffered async insert now (e.g. before
    /// a shutdown or a consistency check).
    pub async fn flush_async_insert_queue(&self) -> Result<()> {
        self.query("SYSTEM FLUSH ASYNC INSERT QUEUE")
            .execute()
            .await
            .map(|_| ())
    }

    /// The server's queue of buffered async inserts (`system.asynchronous_inserts`).
    pub async fn async_inserts(&self) -> Result<Vec<AsyncInsertEntry>> {
        let (_, rows) = self.query(ASYNC_INSERTS_SQL).fetch_all_rows().await?;
        rows.into_iter().map(AsyncInsertEntry::from_row).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(o: &AsyncInsertOptions) -> Vec<(String, String)> {
        o.settings()
            .iter()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect()
    }

    #[test]
    fn defaults_wait() {
        assert_eq!(
            pairs(&AsyncInsertOptions::new()),
            [("async_insert", "1"), ("wait_for_async_insert", "1")]
                .map(|(a, b)| (a.to_owned(), b.to_owned()))
        );
        assert_eq!(
            pairs(&AsyncInsertOptions::disabled().fire_and_forget()),
            [("async_insert".to_owned(), "0".to_owned())]
        );
    }

    #[test]
    fn every_option() {
        let o = AsyncInsertOptions::new()
            .fire_and_forget()
            .busy_timeout(BusyTimeout::Adaptive {
                min: Duration::from_millis(10),
                max: Duration::from_millis(300),
            })
            .max_data_size(1 << 20)
            .max_query_number(7)
            .deduplicate(true);
        let s = o.settings();
        assert_eq!(s.get("wait_for_async_insert"), Some("0"));
        assert_eq!(s.get("async_insert_use_adaptive_busy_timeout"), Some("1"));
        assert_eq!(s.get("async_insert_busy_timeout_min_ms"), Some("10"));
        assert_eq!(s.get("async_insert_busy_timeout_max_ms"), Some("300"));
        assert_eq!(s.get("async_insert_max_data_size"), Some("1048576"));
        assert_eq!(s.get("async_insert_max_query_number"), Some("7"));
        assert_eq!(s.get("async_insert_deduplicate"), Some("1"));
        let fixed = AsyncInsertOptions::new()
            .busy_timeout(BusyTimeout::Fixed(Duration::from_millis(50)))
            .settings();
        assert_eq!(
            fixed.get("async_insert_use_adaptive_busy_timeout"),
            Some("0")
        );
        assert_eq!(fixed.get("async_insert_busy_timeout_max_ms"), Some("50"));
    }
}
