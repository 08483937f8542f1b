//! Typed inserts ([`Insert`]): rows of a [`Row`] type transposed into Native columns as they
//! are written and sent as Native blocks through the block writer, or serialized as RowBinary
//! ([`Insert::format`]).

use crate::coop::Budget;
use std::sync::Arc;

use chwire_proto::DataType;
use chwire_proto::rowbinary::{TypeEncoding, encode_header};
use serde::Serialize;

use super::chunk::{Chunk, Job, chunk_buffer};
use super::merge::WriterMsg;
use super::send_block;
use super::writer::BodyWriter;
use crate::config::Format;
use crate::error::{Error, Result};
use crate::handle::Client;
use crate::row::{ColumnRows, Row, RowEncoder, RowError};
use crate::summary::QuerySummary;

/// A Native block is cut once its columns hold this many `offload_chunk_size`s (8 MiB by
/// default): large enough that the writer's merging makes server-sized blocks of them, small
/// enough that the queue of blocks stays a few tens of MiB.
const BLOCK_CHUNKS: usize = 8;

/// The size of the buffered rows is looked at every this many rows (it is a sum over the
/// columns).
const SIZE_CHECK_ROWS: usize = 256;

/// A block is never larger than the server's `min_insert_block_size_rows` default
/// (1 048 449), so the server never splits one.
const MAX_BLOCK_ROWS: usize = 1 << 20;
const _: () = assert!(MAX_BLOCK_ROWS % SIZE_CHECK_ROWS == 0);

/// A streaming insert of typed rows ([`Client::insert`]).
///
/// Rows are transposed into one buffer per column as they are written (each field appended to
/// its column, checked against the column's type), and sent as `FORMAT Native` blocks of up to
/// 8 × `offload_chunk_size` bytes of column data through the same writer as a [`BlockInsert`]
/// (merging queued blocks, off-loop encoding and compression, see there). Columns of types
/// without a column layout here (`LowCardinality`, `Map`, `Tuple`, `Nested`, `Variant`,
/// `JSON`, geo types; `Nullable` and `Array` of the plain types have one) make the insert
/// `FORMAT RowBinaryWithNamesAndTypes` instead, as does [`format`](Self::format)`(Format::RowBinary)`:
/// rows are then serialized into a buffer, queued (compressed off-loop) every
/// `offload_chunk_size` bytes. Either way nothing is sent before the first block or chunk is
/// full or [`end`](Self::end) is called, so an insert smaller than that which is dropped never
/// reaches the server. See the [`BlockInsert`] docs for larger ones.
///
/// [`BlockInsert`]: crate::BlockInsert
#[must_use = "an insert must be ended with `end()` to commit"]
pub struct Insert<T> {
    table: String,
    columns: Vec<(String, DataType)>,
    body: TypedBody,
    chunk_size: usize,
    writer: BodyWriter,
    /// Yields to the executor while rows keep being accepted at once ([`crate::coop`]): they
    /// are serialized on the caller's task.
    budget: Budget,
    _row: std::marker::PhantomData<fn(&T)>,
}

/// What the written rows are buffered as.
enum TypedBody {
    /// Column buffers, sent as Native blocks.
    Columns { rows: ColumnRows, sql: String },
    /// RowBinaryWithNamesAndTypes bytes (the header first), sent in chunks.
    RowBinary { buf: Vec<u8>, sql: String },
}

impl<T> std::fmt::Debug for Insert<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (sql, buffered) = match &self.body {
            TypedBody::Columns { rows, sql } => (sql, rows.byte_len()),
            TypedBody::RowBinary { buf, sql } => (sql, buf.len()),
        };
        f.debug_struct("Insert")
            .field("sql", sql)
            .field("buffered", &buffered)
            .finish_non_exhaustive()
    }
}

impl<T: Row + Serialize> Insert<T> {
    pub(crate) async fn new(client: Client, table: &str) -> Result<Insert<T>> {
        // The table's columns, for checking and encoding the row type.
        let mut table_columns = client.table_columns(table).await?;
        if RowEncoder::new::<T>(&table_columns).is_err() {
            // A cached schema may predate an ALTER: ask the server once more before failing.
            client.inner.schemas.forget(table);
            table_columns = client.table_columns(table).await?;
        }
        let encoder = RowEncoder::new::<T>(&table_columns).map_err(Error::Row)?;
        let columns: Vec<(String, DataType)> = encoder.columns().cloned().collect();
        let chunk_size = client.inner.config.offload().chunk_size;
        let mut insert = Insert {
            table: table.to_owned(),
            body: TypedBody::RowBinary {
                buf: Vec::new(),
                sql: String::new(),
            },
            columns,
            chunk_size,
            budget: Budget::new(crate::coop::ROWS_PER_CHECK, &client.inner.rt),
            writer: BodyWriter::new(client, table),
            _row: std::marker::PhantomData,
        };
        insert.body = match ColumnRows::new(&insert.columns) {
            Some(rows) => {
                // The block's header states the types the rows were encoded for; the server
                // refuses them (code 53) if the table no longer has them, instead of
                // converting, so a stale cached schema fails loudly (as RowBinary's header).
                insert
                    .writer
                    .settings
                    .set("input_format_native_allow_types_conversion", 0);
                TypedBody::Columns {
                    rows,
                    sql: format!(
                        "INSERT INTO {table} {} FORMAT Native",
                        encoder.insert_columns()
                    ),
                }
            }
            None => insert.row_binary_body()?,
        };
        Ok(insert)
    }

    /// The RowBinary body: its header and statement.
    fn row_binary_body(&mut self) -> Result<TypedBody> {
        // RowBinaryWithNamesAndTypes: the header states the types the rows were encoded for,
        // and the server rejects the insert (code 117) if the table no longer has them, so a
        // stale cached schema fails loudly instead of being misread.
        let encoder = RowEncoder::positional(&self.columns);
        let sql = format!(
            "INSERT INTO {} {} FORMAT RowBinaryWithNamesAndTypes",
            self.table,
            encoder.insert_columns()
        );
        let (names, types): (Vec<&str>, Vec<DataType>) = self
            .columns
            .iter()
            .map(|(name, ty)| (name.as_str(), ty.clone()))
            .unzip();
        let mut buf = Vec::new();
        encode_header(&names, &types, TypeEncoding::Text, &mut buf).map_err(Error::Decode)?;
        if types.iter().any(|t| matches!(t, DataType::Json(_))) {
            // Typed rows write a `JSON` column as its text (a `String`).
            self.writer
                .settings
                .set("input_format_binary_read_json_as_string", 1);
        }
        Ok(TypedBody::RowBinary { buf, sql })
    }

    /// The body format. Default: `Native` (rows transposed into columns), unless a column's
    /// type has no column layout here (see the [`Insert`] docs); `RowBinary` sends
    /// `FORMAT RowBinaryWithNamesAndTypes`, the rows serialized one after another. Only
    /// before the first write (later, and `Native` for a table that needs RowBinary, it
    /// changes nothing).
    pub fn format(mut self, format: Format) -> Self {
        let untouched = match &self.body {
            TypedBody::Columns { rows, .. } => rows.rows() == 0,
            TypedBody::RowBinary { .. } => false,
        };
        if format == Format::RowBinary && untouched && !self.writer.started() {
            // A header the types cannot be written in keeps the Native body (which has
            // their columns).
            if let Ok(body) = self.row_binary_body() {
                self.body = body;
            }
        }
        self
    }

    /// A setting for the insert query.
    pub fn setting(mut self, name: impl Into<String>, value: impl std::fmt::Display) -> Self {
        self.writer.settings.set(name, value);
        self
    }

    /// A custom header for this insert, over the client's (the rules of
    /// [`Query::header`](crate::Query::header); an invalid one fails the insert with
    /// [`Error::Config`] when it starts). Only before the first write.
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        http::HeaderName: TryFrom<K>,
        http::HeaderValue: TryFrom<V>,
    {
        self.writer.identity.header(name, value);
        self
    }

    /// Runs this insert with `role`, instead of the client's roles (as
    /// [`Query::role`](crate::Query::role)). Only before the first write.
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.writer.identity.role(role);
        self
    }

    /// The server's log lines of this insert, as [`Query::on_log`](crate::Query::on_log)
    /// (native; over HTTP the insert fails with [`Error::NotAvailable`] when it starts). Only
    /// before the first write.
    pub fn on_log(
        mut self,
        level: crate::LogPriority,
        f: impl Fn(&crate::ServerLog) + Send + Sync + 'static,
    ) -> Self {
        let w = &mut self.writer;
        w.events.set_log(&mut w.settings, level, Arc::new(f));
        self
    }

    /// The profile events of this insert (e.g. `InsertedRows`), as
    /// [`Query::on_profile_events`](crate::Query::on_profile_events) (native; over HTTP the
    /// insert fails with [`Error::NotAvailable`] when it starts). Only before the first write.
    pub fn on_profile_events(
        mut self,
        f: impl Fn(&[crate::ProfileEvent]) + Send + Sync + 'static,
    ) -> Self {
        self.writer.events.profile = Some(Arc::new(f));
        self
    }

    /// The insert query's id (the server generates one when unset).
    pub fn query_id(mut self, id: impl Into<String>) -> Self {
        self.writer.query_id = Some(id.into());
        self
    }

    /// Serializes `row`; sends a block (or chunk) when the buffer is full. A row that does
    /// not fit the columns is refused, and the insert stays usable.
    pub async fn write(&mut self, row: &T) -> Result<()> {
        // Before the row is taken: a call cancelled at the yield wrote nothing.
        self.budget.proceed().await;
        self.writer.check()?;
        let full = match &mut self.body {
            TypedBody::Columns { rows, .. } => {
                if let Err(e) = rows.push(row) {
                    return Err(self.refused(e));
                }
                let n = rows.rows();
                // The size is looked at every SIZE_CHECK_ROWS rows (which divides
                // MAX_BLOCK_ROWS), not per row.
                if n % SIZE_CHECK_ROWS != 0 {
                    false
                } else {
                    let target = self.chunk_size.saturating_mul(BLOCK_CHUNKS);
                    if n == SIZE_CHECK_ROWS {
                        // Room for the whole block, at the rows' size so far (once: later
                        // blocks start with the room the first one had).
                        let block_rows = target.saturating_mul(n) / rows.byte_len().max(1);
                        rows.reserve_rows(block_rows.clamp(n, MAX_BLOCK_ROWS));
                    }
                    n >= MAX_BLOCK_ROWS || rows.byte_len() >= target
                }
            }
            TypedBody::RowBinary { buf, .. } => {
                if let Err(e) = RowEncoder::positional(&self.columns).encode(row, buf) {
                    return Err(self.refused(e));
                }
                buf.len() >= self.chunk_size
            }
        };
        if full {
            self.flush().await?;
        }
        Ok(())
    }

    /// A row that did not fit the columns, refused. The cached columns may predate an ALTER:
    /// the next insert asks the server again.
    #[cold]
    fn refused(&self, e: RowError) -> Error {
        self.writer.client.inner.schemas.forget(&self.table);
        Error::Row(e)
    }

    /// Queues the buffered rows: a Native block for the writer, or a RowBinary chunk
    /// (compressed off-loop when compression is on).
    async fn flush(&mut self) -> Result<()> {
        match &mut self.body {
            TypedBody::Columns { rows, sql } => {
                if rows.rows() == 0 {
                    return Ok(());
                }
                self.writer.check()?;
                let block = rows.take_block().map_err(Error::Row)?;
                // The rows were accepted by earlier writes: the block is handed over at once
                // (`send` guards that against a cancelled call), never encoded first here.
                send_block(&mut self.writer, sql, Format::Native, None, block, true).await
            }
            TypedBody::RowBinary { buf, sql } => {
                if buf.is_empty() {
                    return Ok(());
                }
                self.writer.check()?;
                let mut next = chunk_buffer(&self.writer.pool);
                // Room for a whole chunk (and the row that crosses its end) up front: rows
                // then never grow the buffer by reallocation.
                next.reserve(self.chunk_size + self.chunk_size / 8);
                let plain = std::mem::replace(buf, next);
                let inner = &self.writer.client.inner;
                let job = match inner.body_compression() {
                    None => Job::Ready(Chunk::whole(plain)),
                    compression => {
                        let pool = Arc::clone(&self.writer.pool);
                        Job::Encode(Box::new(move || {
                            Chunk::whole(plain).compressed(compression, &pool)
                        }))
                    }
                };
                // The rows were accepted by earlier writes: `send` guards the hand-over
                // against a cancelled call.
                self.writer.send(sql, WriterMsg::Job(job)).await
            }
        }
    }

    /// Sends the rest and waits for the server to commit.
    pub async fn end(mut self) -> Result<QuerySummary> {
        let client = self.writer.client.clone();
        let table = std::mem::take(&mut self.table);
        let result = match self.flush().await {
            Ok(()) => self.writer.end().await,
            Err(e) => Err(e),
        };
        if result.is_err() {
            client.inner.schemas.forget(&table);
        }
        result
    }
}
