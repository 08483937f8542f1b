//! Streaming inserts of dynamic blocks.
//!
//! The request body is sent with `Transfer-Encoding: chunked`, one HTTP chunk per written block
//! (as ClickHouse compressed blocks when compression is on). Serialization (encoding and
//! compressing a block) runs on the blocking pool, while a writer task streams already encoded
//! chunks to the socket through a bounded channel: encoding block N+1 overlaps with sending
//! block N, and a slow network stops `write` once the channel is full.
//!
//! # Dropping an unfinished insert
//!
//! If a [`BlockInsert`] is dropped without [`end`](BlockInsert::end) (or its future cancelled),
//! the connection is closed without the final zero-length chunk, so the server sees a request
//! body that ends prematurely and fails the query. What was already *committed* stays, however:
//! ClickHouse does not make a whole HTTP insert atomic. The server forms insert blocks of
//! `max_insert_block_size` rows (1 048 449 by default) and, for MergeTree tables, writes each
//! one as a part as soon as it is formed. A dropped insert therefore commits nothing while the
//! data received so far is under one insert block, but a long insert that is dropped keeps every
//! insert block the server had already squashed and written (a prefix of the rows). The
//! integration tests check both cases against the server. To make a large insert all-or-nothing,
//! send it as one block no larger than `max_insert_block_size`, raise that setting (it also
//! bounds server memory), or use `insert_deduplication_token` to retry safely.
//!
//! # Cancelling a write
//!
//! A `write` future dropped before it completes (a `select!` or timeout around it) may have
//! been handing rows that earlier writes accepted (an [`Insert`] buffers rows into chunks) to
//! the writer task. Rather than go on with a gap, the insert then refuses every later call
//! with an error ("a cancelled write left the insert incomplete"); drop it, as above, and
//! insert again. A `write` that completed, or that was cancelled before handing anything over,
//! leaves the insert usable.

use std::sync::Arc;

use bytes::BytesMut;
use chwire_proto::http::ChunkedEncoder;
use chwire_proto::rowbinary::{TypeEncoding, encode_header};
use chwire_proto::{Block, CompressedBlockWriter, DataType, NativeEncoder, RowBinaryEncoder};
use chwire_rt::RuntimeExt;
use serde::Serialize;

use crate::buffers::BufferPool;
use crate::cancel::{KillOnDrop, RunningQuery, may_still_run};
use crate::client::{Client, Format, RequestParts, finish_head};
use crate::connection::Exchange;
use crate::error::{Error, Result};
use crate::query::QuerySummary;
use crate::row::{Row, RowEncoder};
use crate::settings::Settings;
use crate::telemetry::Span;

/// Blocks up to this many cells are encoded inline: a thread hop costs more.
const INLINE_ENCODE_CELLS: usize = 4096;

enum WriterMsg {
    Chunk(Chunk),
    End,
}

/// One framed HTTP chunk in a buffer of its own: `buf[start..]` goes on the wire, then the
/// buffer returns to the insert's [`BufferPool`].
struct Chunk {
    buf: Vec<u8>,
    start: usize,
}

impl Chunk {
    fn bytes(&self) -> &[u8] {
        &self.buf[self.start..]
    }
}

/// Chunk buffers an insert keeps for reuse once written (see [`BufferPool`]).
const KEEP_CHUNK_BUFFERS: usize = 4;

/// A buffer holding just the room for a chunk's size line, recycled when one is waiting.
fn chunk_buffer(pool: &BufferPool) -> Vec<u8> {
    let mut buf = pool.take().unwrap_or_default();
    buf.clear();
    buf.resize(ChunkedEncoder::HEAD_ROOM, 0);
    buf
}

struct Running {
    tx: async_channel::Sender<WriterMsg>,
    result: async_channel::Receiver<Result<QuerySummary>>,
}

/// The chunked request body of one insert, shared by [`BlockInsert`] and [`Insert`]: opens
/// the request with the first chunk, then hands chunks to the writer task.
struct BodyWriter {
    client: Client,
    settings: Settings,
    query_id: Option<String>,
    running: Option<Running>,
    failed: bool,
    /// Set while rows that earlier calls accepted are on their way to the writer task: still
    /// set at the next call means a cancelled call dropped them, so the insert refuses to go
    /// on rather than lose them silently.
    handing_over: bool,
    /// The table, for the span's `db.collection.name`.
    table: String,
    /// Query id and endpoint of the started request, for `KILL QUERY`.
    running_query: RunningQuery,
    /// Kills the insert if it is dropped unfinished (`kill_query_on_drop`).
    kill: Option<KillOnDrop>,
    /// The insert's client span, from the first chunk to `end` (or the drop).
    span: Span,
    /// Chunk buffers, shared with the encoders and the writer task.
    pool: Arc<BufferPool>,
}

impl BodyWriter {
    fn new(client: Client, table: &str) -> BodyWriter {
        BodyWriter {
            client,
            settings: Settings::new(),
            query_id: None,
            running: None,
            failed: false,
            handing_over: false,
            table: table.to_owned(),
            running_query: RunningQuery::default(),
            kill: None,
            span: Span::none(),
            pool: Arc::new(BufferPool::new(KEEP_CHUNK_BUFFERS)),
        }
    }

    fn check(&self) -> Result<()> {
        if self.handing_over {
            return Err(Error::Config(
                "a cancelled write left the insert incomplete; drop it and insert again".into(),
            ));
        }
        if self.failed {
            return Err(Error::Config("the insert already failed".into()));
        }
        Ok(())
    }

    /// The insert ended with `outcome`: ends the span, disarms the kill guard unless the
    /// server may still be running the insert.
    fn settle(&mut self, outcome: std::result::Result<&QuerySummary, &Error>) {
        let span = std::mem::replace(&mut self.span, Span::none());
        let kill = self.kill.take();
        match outcome {
            Ok(summary) => {
                span.set_summary(summary);
                span.end_ok();
                if let Some(k) = kill {
                    k.disarm();
                }
            }
            Err(e) => {
                span.end_err(e);
                if let Some(k) = kill {
                    if !may_still_run(e) {
                        k.disarm();
                    }
                }
            }
        }
    }

    /// Marks the insert failed (its rows cannot all be sent any more) and returns `e`.
    fn fail(&mut self, e: Error) -> Error {
        self.failed = true;
        e
    }

    /// Sends one HTTP chunk; the first one opens the request for `sql`.
    async fn send(&mut self, sql: &str, chunk: Chunk) -> Result<()> {
        self.check()?;
        self.handing_over = true;
        let sent = self.hand_over(sql, chunk).await;
        self.handing_over = false;
        sent
    }

    async fn hand_over(&mut self, sql: &str, chunk: Chunk) -> Result<()> {
        let Some(running) = &self.running else {
            return self.start(sql, chunk).await;
        };
        if running.tx.send(WriterMsg::Chunk(chunk)).await.is_err() {
            let e = self.writer_error().await;
            self.settle(Err(&e));
            return Err(e);
        }
        Ok(())
    }

    async fn end(mut self) -> Result<QuerySummary> {
        self.check()?;
        let Some(running) = self.running.as_ref() else {
            // Nothing written: nothing to insert.
            return Ok(QuerySummary::default());
        };
        let outcome = if running.tx.send(WriterMsg::End).await.is_err() {
            Err(self.writer_error().await)
        } else {
            match running.result.recv().await {
                Ok(r) => r,
                Err(_) => Err(Error::pipeline("insert writer stopped")),
            }
        };
        self.settle(outcome.as_ref());
        outcome
    }

    async fn writer_error(&mut self) -> Error {
        self.failed = true;
        match &self.running {
            Some(r) => match r.result.recv().await {
                Ok(Err(e)) => e,
                _ => Error::pipeline("insert writer stopped"),
            },
            None => Error::pipeline("insert not started"),
        }
    }

    /// Opens the request with the first chunk and starts the writer task.
    async fn start(&mut self, sql: &str, first: Chunk) -> Result<()> {
        let inner = &self.client.inner;
        self.span = Span::start(inner, sql, Some(&self.table));
        self.kill = KillOnDrop::new(&self.client, &self.running_query);
        let parts = RequestParts {
            url_query: Some(sql),
            settings: Some(&self.settings),
            query_id: self.query_id.as_deref(),
            body_compressed: inner.body_compression().is_some(),
            chunked: true,
            running: Some(&self.running_query),
            span: Some(&self.span),
            ..RequestParts::default()
        };
        let opened = inner.open(&parts, first.bytes(), None, false).await;
        self.pool.put(first.buf);
        let (ex, _, query_id) = match opened {
            Ok(x) => x,
            Err(e) => {
                self.failed = true;
                self.settle(Err(&e));
                return Err(e);
            }
        };
        let depth = inner.config.offload.queue_depth;
        let (tx, rx) = async_channel::bounded(depth);
        let (result_tx, result) = async_channel::bounded(1);
        let pool = Arc::clone(&self.pool);
        inner
            .rt
            .spawn(crate::telemetry::in_current_context(async move {
                let outcome = write_body(ex, rx, query_id, &pool).await;
                if let Some(outcome) = outcome {
                    let _ = result_tx.send(outcome).await;
                }
            }));
        self.running = Some(Running { tx, result });
        Ok(())
    }
}

/// A streaming insert of [`Block`]s ([`Client::insert_blocks`]).
///
/// The request starts with the first [`write`](Self::write), whose block decides the column
/// list; later blocks must have the same columns. [`end`](Self::end) completes the body and
/// returns the server's summary. See the [module docs](self) for what a drop without `end`
/// does.
#[must_use = "an insert must be ended with `end()` to commit"]
pub struct BlockInsert {
    table: String,
    format: Format,
    columns: Option<Vec<String>>,
    writer: BodyWriter,
}

impl std::fmt::Debug for BlockInsert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockInsert")
            .field("table", &self.table)
            .field("format", &self.format)
            .field("started", &self.writer.running.is_some())
            .finish_non_exhaustive()
    }
}

impl BlockInsert {
    pub(crate) fn new(client: Client, table: String) -> BlockInsert {
        BlockInsert {
            format: client.inner.config.default_format,
            writer: BodyWriter::new(client, &table),
            table,
            columns: None,
        }
    }

    /// The body format (default: the client's `default_format`). Only before the first write.
    pub fn format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// A setting for the insert query (e.g. `insert_deduplication_token`).
    pub fn setting(mut self, name: impl Into<String>, value: impl std::fmt::Display) -> Self {
        self.writer.settings.set(name, value);
        self
    }

    pub fn query_id(mut self, id: impl Into<String>) -> Self {
        self.writer.query_id = Some(id.into());
        self
    }

    /// Encodes `block` (off-loop when large) and queues it for sending.
    pub async fn write(&mut self, block: Block) -> Result<()> {
        self.writer.check()?;
        let names: Vec<String> = block.columns.iter().map(|(n, _)| n.clone()).collect();
        match &self.columns {
            Some(cols) if *cols != names => {
                return Err(Error::Config(format!(
                    "block columns {names:?} differ from the insert's {cols:?}"
                )));
            }
            _ => {}
        }
        if block.rows == 0 {
            return Ok(());
        }
        let sql = format!(
            "INSERT INTO {} {} FORMAT {}",
            self.table,
            column_list(&names),
            self.format.name()
        );
        self.columns = Some(names);
        let chunk = self.encode(block).await?;
        self.writer.send(&sql, chunk).await
    }

    /// Ends the body and waits for the server to commit; returns its summary.
    pub async fn end(self) -> Result<QuerySummary> {
        self.writer.end().await
    }

    /// Serializes one block into an HTTP chunk (compressed when compression is on).
    async fn encode(&self, block: Block) -> Result<Chunk> {
        let format = self.format;
        let inner = &self.writer.client.inner;
        let compression = inner.body_compression();
        let small = block.rows.saturating_mul(block.columns.len()) <= INLINE_ENCODE_CELLS;
        let pool = Arc::clone(&self.writer.pool);
        let work = move || encode_chunk(&block, format, compression, &pool);
        if small {
            return work();
        }
        inner
            .rt
            .run_blocking(work)
            .await
            .map_err(|e| Error::pipeline(format!("encoder: {e}")))?
    }
}

/// `` (`a`, `b`) ``: quoted column names for an `INSERT`.
fn column_list(names: &[String]) -> String {
    let cols = names
        .iter()
        .map(|c| format!("`{}`", c.replace('\\', "\\\\").replace('`', "\\`")))
        .collect::<Vec<_>>()
        .join(", ");
    format!("({cols})")
}

/// A streaming insert of typed rows ([`Client::insert`]), `FORMAT RowBinary`.
///
/// Rows are serialized into a buffer as they are written; every `offload_chunk_size` bytes the
/// buffer is compressed (off-loop) and queued as one chunk for the writer task. Nothing is sent
/// before the first chunk is full or [`end`](Self::end) is called, so an insert smaller than one
/// chunk that is dropped never reaches the server. See the [module docs](self) for larger ones.
#[must_use = "an insert must be ended with `end()` to commit"]
pub struct Insert<T> {
    table: String,
    sql: String,
    columns: Vec<(String, DataType)>,
    buf: Vec<u8>,
    chunk_size: usize,
    writer: BodyWriter,
    _row: std::marker::PhantomData<fn(&T)>,
}

impl<T> std::fmt::Debug for Insert<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Insert")
            .field("sql", &self.sql)
            .field("buffered", &self.buf.len())
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
        // RowBinaryWithNamesAndTypes: the header states the types the rows were encoded for,
        // and the server rejects the insert (code 117) if the table no longer has them, so a
        // stale cached schema fails loudly instead of being misread.
        let sql = format!(
            "INSERT INTO {table} {} FORMAT RowBinaryWithNamesAndTypes",
            encoder.insert_columns()
        );
        let chunk_size = client.inner.config.offload.chunk_size;
        let (names, types): (Vec<&str>, Vec<DataType>) = columns
            .iter()
            .map(|(name, ty)| (name.as_str(), ty.clone()))
            .unzip();
        let mut header = vec![0; ChunkedEncoder::HEAD_ROOM];
        encode_header(&names, &types, TypeEncoding::Text, &mut header).map_err(Error::Decode)?;
        Ok(Insert {
            table: table.to_owned(),
            sql,
            columns,
            buf: header,
            chunk_size,
            writer: BodyWriter::new(client, table),
            _row: std::marker::PhantomData,
        })
    }

    /// A setting for the insert query.
    pub fn setting(mut self, name: impl Into<String>, value: impl std::fmt::Display) -> Self {
        self.writer.settings.set(name, value);
        self
    }

    pub fn query_id(mut self, id: impl Into<String>) -> Self {
        self.writer.query_id = Some(id.into());
        self
    }

    /// Serializes `row`; sends a chunk when the buffer is full.
    pub async fn write(&mut self, row: &T) -> Result<()> {
        self.writer.check()?;
        if let Err(e) = RowEncoder::positional(&self.columns).encode(row, &mut self.buf) {
            // The cached columns may predate an ALTER: the next insert asks the server again.
            self.writer.client.inner.schemas.forget(&self.table);
            return Err(Error::Row(e));
        }
        if self.buf.len() >= self.chunk_size {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<()> {
        if self.buf.len() <= ChunkedEncoder::HEAD_ROOM {
            return Ok(());
        }
        self.writer.check()?;
        let mut next = chunk_buffer(&self.writer.pool);
        // Room for a whole chunk (and the row that crosses its end) up front: rows then never
        // grow the buffer by reallocation.
        next.reserve(self.chunk_size + self.chunk_size / 8);
        let plain = std::mem::replace(&mut self.buf, next);
        let inner = &self.writer.client.inner;
        let compression = inner.body_compression();
        let pool = Arc::clone(&self.writer.pool);
        // The buffered rows were accepted by earlier writes: from here until the writer task
        // has them, a cancelled call would drop them.
        self.writer.handing_over = true;
        let framed = match compression {
            // Framing alone writes a size line: not worth a thread hop.
            None => frame_chunk(plain, None, &pool),
            Some(_) => inner
                .rt
                .run_blocking(move || frame_chunk(plain, compression, &pool))
                .await
                .map_err(|e| Error::pipeline(format!("encoder: {e}")))
                .and_then(|framed| framed),
        };
        let sent = match framed {
            Ok(chunk) => self.writer.hand_over(&self.sql, chunk).await,
            Err(e) => Err(self.writer.fail(e)),
        };
        self.writer.handing_over = false;
        sent
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

/// The writer task: sends queued chunks; on `End` sends the terminator and reads the response.
/// Returns `None` when the insert was dropped (the connection is closed without the
/// terminator, so the server fails the request).
async fn write_body(
    mut ex: Exchange,
    rx: async_channel::Receiver<WriterMsg>,
    query_id: String,
    pool: &BufferPool,
) -> Option<Result<QuerySummary>> {
    loop {
        match rx.recv().await {
            Ok(WriterMsg::Chunk(c)) => {
                if let Err(e) = ex.write_all(c.bytes()).await {
                    // The server may have answered with an exception before closing.
                    return Some(Err(response_error(ex, e).await));
                }
                pool.put(c.buf);
            }
            Ok(WriterMsg::End) => {
                let mut end = BytesMut::new();
                ChunkedEncoder.encode_end(&mut end);
                if let Err(e) = ex.write_all(&end).await {
                    return Some(Err(response_error(ex, e).await));
                }
                return Some(read_summary(ex, query_id).await);
            }
            Err(_) => return None,
        }
    }
}

async fn read_summary(mut ex: Exchange, query_id: String) -> Result<QuerySummary> {
    let head = ex.read_head().await?;
    let mut resp = finish_head(ex, head, query_id).await?;
    // An insert's body is empty (or a few bytes); read it to keep the connection reusable.
    resp.body.collect_capped(1 << 16).await?;
    Ok(QuerySummary::from_head(&resp.head, &resp.query_id))
}

/// After a failed write: the server's exception if it sent one, else the write error.
async fn response_error(mut ex: Exchange, write_error: Error) -> Error {
    let rt = Arc::clone(&ex.limits().rt);
    let read = async {
        let head = ex.read_head().await?;
        finish_head(ex, head, String::new()).await
    };
    match rt.timeout(std::time::Duration::from_secs(5), read).await {
        Ok(Err(e @ Error::Server(_))) => e,
        _ => write_error,
    }
}

/// Encodes a block as one HTTP chunk in `format`, compressed with `compression`.
fn encode_chunk(
    block: &Block,
    format: Format,
    compression: Option<chwire_proto::Compression>,
    pool: &BufferPool,
) -> Result<Chunk> {
    // Encoded straight behind the room for the chunk's size line, so framing copies nothing.
    let mut plain = chunk_buffer(pool);
    plain.reserve(encoded_size_hint(block));
    match format {
        Format::Native => NativeEncoder::new().encode_into(block, &mut plain)?,
        Format::RowBinary => {
            let types = block
                .columns
                .iter()
                .map(|(_, c)| c.data_type().clone())
                .collect();
            let mut enc = RowBinaryEncoder::new(types);
            let mut row = Vec::with_capacity(block.columns.len());
            for i in 0..block.rows {
                row.clear();
                for (_, c) in &block.columns {
                    row.push(c.try_get(i)?);
                }
                enc.write_row(&row)?;
            }
            plain.extend_from_slice(&enc.take());
        }
    }
    frame_chunk(plain, compression, pool)
}

/// Roughly the Native size of `block`, to size the encode buffer once instead of growing it.
fn encoded_size_hint(block: &Block) -> usize {
    block
        .columns
        .iter()
        .map(|(name, column)| {
            let data = match (column.data_type().fixed_size(), column.as_strings()) {
                (Some(width), _) => width * column.len(),
                (None, Some(strings)) => strings.data.len() + 2 * column.len(),
                (None, None) => 16 * column.len(),
            };
            data + name.len() + 64
        })
        .sum()
}

/// Frames the plain body bytes `buf[HEAD_ROOM..]` as one HTTP chunk: uncompressed in place,
/// compressed straight into a second pooled buffer (the plain one goes back to the pool).
fn frame_chunk(
    mut buf: Vec<u8>,
    compression: Option<chwire_proto::Compression>,
    pool: &BufferPool,
) -> Result<Chunk> {
    if let Some(c) = compression {
        let mut compressed = chunk_buffer(pool);
        CompressedBlockWriter::new(c).write(&buf[ChunkedEncoder::HEAD_ROOM..], &mut compressed)?;
        pool.put(std::mem::replace(&mut buf, compressed));
    }
    let start = ChunkedEncoder.frame_in_place(&mut buf);
    Ok(Chunk { buf, start })
}
