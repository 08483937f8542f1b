//! [`InserterBuilder`]: an inserter's options, and `build`, which fixes its configuration
//! (the insert statement, its settings, the memory budget) and starts its flusher.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chwire_proto::DataType;
use chwire_proto::native::ConcatenatedBlock;
use event_listener::Event;

use super::Inserter;
use super::failed::{FailedBatch, Handlers};
use super::flusher::flusher;
use super::retry::{Aimd, RetryPolicy};
use super::shared::{Config, Shared, State};
use crate::async_insert::AsyncInsertOptions;
use crate::config::Format;
use crate::error::{Error, Result};
use crate::handle::Client;
use crate::request::new_query_id;
use crate::row::{ColumnRows, Row};
use crate::settings::Settings;

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
    handlers: Handlers,
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
    /// The defaults, for `table`.
    pub(super) fn new(client: Client, table: String) -> InserterBuilder {
        InserterBuilder {
            client,
            table,
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
            handlers: Handlers::default(),
        }
    }

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
    /// their types from the table (the columns a `SELECT *` returns, which is what an insert
    /// may write: the same lookup, and cache, as typed inserts), for [`Inserter::write_row`].
    pub async fn columns_of<T: Row + ?Sized>(self) -> Result<Self> {
        let table = self.client.table_columns(&self.table).await?;
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
        self.handlers.dead_letter = Some(Box::new(handler));
        self
    }

    /// Receives every batch that the server acknowledged only on a retry after an attempt
    /// whose outcome is unknown (its `error`): the rows are committed exactly once on a table
    /// whose deduplication is atomic with the commit (`Replicated*MergeTree`), but on a plain
    /// `MergeTree` a server crash between recording the batch's deduplication token and
    /// committing its part makes the retry count as a duplicate of rows that were never
    /// stored. Check such batches (e.g. by key) where that matters. Runs on the sending task.
    pub fn uncertain(mut self, handler: impl Fn(FailedBatch) + Send + Sync + 'static) -> Self {
        self.handlers.uncertain = Some(Box::new(handler));
        self
    }

    /// Receives failed batches nobody can collect any more: no dead-letter handler, and every
    /// handle dropped without `end`. Default: a warning on stderr.
    pub fn orphan(mut self, handler: impl Fn(FailedBatch) + Send + Sync + 'static) -> Self {
        self.handlers.orphan = Some(Box::new(handler));
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
        let aimd = Aimd::new(self.max_in_flight);
        let format = batch_format(&self.columns);
        let shared = Arc::new(Shared {
            config: Config {
                format,
                insert_sql: insert_sql(&self.table, &self.columns, format),
                settings: self.insert_settings(),
                table: self.table,
                types: self.columns.iter().map(|(_, t)| t.clone()).collect(),
                columns: self.columns,
                max_rows: self.max_rows.min(budget_rows),
                max_bytes: self.max_bytes.min(budget_bytes),
                period: self.period,
                retry: self.retry,
                budget_rows,
                budget_bytes,
                token_prefix: new_query_id(),
            },
            state: Mutex::new(State::new(aimd, budget_rows, budget_bytes)),
            changed: Event::new(),
            handlers: self.handlers,
            spare_columns: Mutex::new(Vec::new()),
            client: self.client,
        });
        let (tx, rx) = async_channel::unbounded();
        let rt = Arc::clone(shared.client.runtime());
        rt.spawn(Box::pin(flusher(Arc::clone(&shared), rx)));
        Ok(Inserter { tx, shared })
    }

    /// The settings of every batch: deduplication on, async inserts as configured (off by
    /// default, since the server ignores the token under them unless told otherwise), then
    /// the inserter's own.
    fn insert_settings(&self) -> Settings {
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
        settings.merged(&self.settings)
    }
}

/// How an inserter of `columns` sends its batches: `Native` when every column's type has
/// Native data that concatenates (numbers, dates, `FixedString`, `String`, ...: a batch is
/// then one block, written from the blocks its rows came in without merging them first) and
/// typed rows can be laid straight into its columns; `RowBinary` otherwise. Native costs the
/// server about half the CPU: 0.61 s against 1.28 s for the same 5M `(UInt64, String,
/// Float64)` rows POSTed into a MergeTree table (curl, chdb-core 26.9, this machine).
pub(super) fn batch_format(columns: &[(String, DataType)]) -> Format {
    let concatenable = columns.iter().all(|(_, ty)| ConcatenatedBlock::accepts(ty));
    if concatenable && ColumnRows::new(columns).is_some() {
        Format::Native
    } else {
        Format::RowBinary
    }
}

/// `INSERT INTO table (columns) FORMAT …`, the column names quoted.
fn insert_sql(table: &str, columns: &[(String, DataType)], format: Format) -> String {
    let cols = columns
        .iter()
        .map(|(c, _)| format!("`{}`", c.replace('\\', "\\\\").replace('`', "\\`")))
        .collect::<Vec<_>>()
        .join(", ");
    format!("INSERT INTO {table} ({cols}) FORMAT {}", format.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format_of(types: &[&str]) -> Format {
        let columns: Vec<(String, DataType)> = (types.iter().enumerate())
            .map(|(i, t)| (format!("c{i}"), DataType::parse(t).unwrap()))
            .collect();
        batch_format(&columns)
    }

    #[test]
    fn batches_are_native_when_every_column_concatenates() {
        let native = [
            "UInt64",
            "Int8",
            "Float64",
            "Bool",
            "String",
            "FixedString(3)",
            "Date",
            "DateTime('UTC')",
            "DateTime64(3)",
            "Decimal(18, 4)",
            "Enum8('a' = 1)",
            "IPv4",
            "IPv6",
        ];
        assert_eq!(format_of(&native), Format::Native);
        for other in [
            "Nullable(UInt64)",
            "Array(String)",
            "LowCardinality(String)",
            "Map(String, UInt8)",
            "UUID",
            "Int128",
            "Decimal(38, 2)",
            "Tuple(UInt8, String)",
        ] {
            assert_eq!(format_of(&["UInt64", other]), Format::RowBinary, "{other}");
        }
    }
}
