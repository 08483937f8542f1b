//! Streaming inserts: the public [`BlockInsert`] (dynamic blocks) and [`Insert`] (typed rows,
//! [`typed`]: transposed into Native blocks, or RowBinary).
//!
//! Their body is encoded into chunks ([`chunk`]), queued blocks are merged ([`merge`]), and a
//! writer task sends it ([`writer`]) through a body sink ([`sink`]: HTTP chunks today) of the
//! request made in one place for every insert, the [`Inserter`](crate::Inserter)'s batches
//! included ([`request`]).

mod chunk;
mod formatted;
mod merge;
mod request;
mod sink;
mod typed;
mod writer;

use std::sync::Arc;

use chwire_proto::Block;
use chwire_proto::native::concatenable;

use crate::config::Format;
use crate::coop::Budget;
use crate::error::{Error, Result};
use crate::handle::Client;
use crate::summary::QuerySummary;
use crate::transport::encodes_inline;
use chunk::{Job, encode_chunk};
use merge::WriterMsg;
use writer::BodyWriter;

pub(crate) use chunk::encoded_size_hint_of;
pub use formatted::FormattedInsert;
pub(crate) use request::InsertRequest;
pub use typed::Insert;

/// A streaming insert of [`Block`]s ([`Client::insert_blocks`]).
///
/// The request starts with the first [`write`](Self::write), whose block decides the column
/// list; later blocks must have the same columns. [`end`](Self::end) completes the body and
/// returns the server's summary. What a drop without `end` does is
/// below.
///
/// The request body is sent with `Transfer-Encoding: chunked`. Serialization (encoding and
/// compressing a written block, or a full buffer of typed rows) runs on the blocking pool: a
/// writer task takes queued chunks, encodes up to one per core at once, and streams each to the
/// socket in order. Up to `offload_queue_depth` chunks wait in the queue, so the next blocks
/// encode while one is sent, and a slow network stops `write` once the queue is full. A chunk
/// is sent as HTTP chunks of at most 128 KiB, with vectored writes: ClickHouse parses a chunk in
/// place only when all of it is in its socket buffer. Large numeric columns of a Native block
/// are sent (or compressed) from the block's own memory.
///
/// Native blocks whose columns are all numbers, `String` or `FixedString` are encoded by the
/// writer, and the ones queued together (a producer faster than the server) are sent as one
/// Native block of about a million rows: the server copies smaller blocks into blocks of
/// `min_insert_block_size_rows` (1 048 449) before inserting them, which measured half its CPU
/// for a 5M-row insert of 250 000-row blocks. The writer only takes blocks already queued, and
/// plans them once it has nothing else to send or has enough rows: a block is never held back
/// to wait for later ones. It keeps up to 64 MiB of such blocks (their encoded size) off the
/// queue for this. Small blocks are encoded together, a megabyte or so a job. Since merging
/// makes the server's block (and part) boundaries depend on timing, it is off when
/// `insert_deduplication_token` is set, and [`BlockInsert::merge_blocks`] turns it off (see
/// there).
///
/// A queued chunk whose encoding fails (a malformed nested column) fails the insert: the next
/// call that hands a chunk over (a `BlockInsert::write`, an `Insert::write` that fills a chunk,
/// or `end`) reports the error, and the request is abandoned, as if dropped. What an insert
/// holds, accepted but not yet written, is bounded: `offload_queue_depth` queued chunks or
/// blocks, up to 64 MiB of blocks taken off the queue to merge (and the block that crosses
/// it), and one encoding per core within the depth.
///
/// # Dropping an unfinished insert
///
/// If a [`BlockInsert`] is dropped without [`end`](BlockInsert::end) (or its future cancelled),
/// the connection is closed without the final zero-length chunk, so the server sees a request
/// body that ends prematurely and fails the query. What was already *committed* stays, however:
/// ClickHouse does not make a whole HTTP insert atomic. The server forms insert blocks of
/// `max_insert_block_size` rows (1 048 449 by default) and, for MergeTree tables, writes each
/// one as a part as soon as it is formed. A dropped insert therefore commits nothing while the
/// data received so far is under one insert block, but a long insert that is dropped keeps every
/// insert block the server had already squashed and written (a prefix of the rows). The
/// integration tests check both cases against the server. To make a large insert all-or-nothing,
/// send it as one block no larger than `max_insert_block_size`, raise that setting (it also
/// bounds server memory), or use `insert_deduplication_token` to retry safely.
///
/// # Cancelling a write
///
/// A `write` future dropped before it completes (a `select!` or timeout around it) may have
/// been handing rows that earlier writes accepted (an [`Insert`] buffers rows into chunks) to
/// the writer task. Rather than go on with a gap, the insert then refuses every later call
/// with an error ("a cancelled write left the insert incomplete"); drop it, as above, and
/// insert again. A `write` that completed, or that was cancelled before handing anything over,
/// leaves the insert usable.
#[must_use = "an insert must be ended with `end()` to commit"]
pub struct BlockInsert {
    table: String,
    format: Format,
    /// Whether queued blocks may be merged ([`merge_blocks`](Self::merge_blocks)); `None`:
    /// unless a deduplication token is set.
    merge: Option<bool>,
    columns: Option<Vec<String>>,
    /// The `INSERT` statement, once the first block gave the columns.
    sql: String,
    writer: BodyWriter,
    /// Yields to the executor when writes keep being accepted at once ([`crate::coop`]).
    budget: Budget,
}

impl std::fmt::Debug for BlockInsert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockInsert")
            .field("table", &self.table)
            .field("format", &self.format)
            .field("started", &self.writer.started())
            .finish_non_exhaustive()
    }
}

impl BlockInsert {
    pub(crate) fn new(client: Client, table: String) -> BlockInsert {
        BlockInsert {
            format: client.inner.config.default_format(),
            budget: Budget::new(1, &client.inner.rt),
            writer: BodyWriter::new(client, &table),
            table,
            merge: None,
            columns: None,
            sql: String::new(),
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

    /// Whether blocks queued together may be sent as one Native block (see the
    /// [`BlockInsert`] docs). Default: yes, unless `insert_deduplication_token` is set on the
    /// insert or the client. Merging makes where the server's blocks, hence parts, begin
    /// depend on timing; turn it off when retries of a partly committed insert rely on the
    /// server recognising the same blocks (a replicated table's deduplication by content).
    pub fn merge_blocks(mut self, yes: bool) -> Self {
        self.merge = Some(yes);
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

    /// Queues `block` to be encoded (off-loop when large) and sent. Returns once the block is
    /// queued (after `offload_queue_depth` blocks, once one was sent); the writer encodes up
    /// to one block per core at once, and sends Native blocks of numbers, `String` and
    /// `FixedString` columns queued together as one (see the [`BlockInsert`] docs). A large
    /// block the encoder rejects (a malformed nested column) fails the insert at a later
    /// `write` or at `end`; a small one, the first one, and one whose columns do not have the
    /// block's row count are refused here, and the insert stays usable.
    pub async fn write(&mut self, block: Block) -> Result<()> {
        // Before the block is accepted: a call cancelled at the yield took nothing.
        self.budget.proceed().await;
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
        block.check_rows().map_err(Error::Decode)?;
        if self.columns.is_none() {
            self.sql = format!(
                "INSERT INTO {} {} FORMAT {}",
                self.table,
                column_list(&names),
                self.format.name()
            );
            self.columns = Some(names);
        }
        send_block(
            &mut self.writer,
            &self.sql,
            self.format,
            self.merge,
            block,
            false,
        )
        .await
    }

    /// Sends the blocks still being encoded, ends the body and waits for the server to
    /// commit; returns its summary.
    pub async fn end(self) -> Result<QuerySummary> {
        self.writer.end().await
    }
}

/// Queues `block` (whose row count was checked) to `writer`: to be merged with the blocks
/// queued behind it when its columns allow and `merge` (see [`BlockInsert::merge_blocks`])
/// does, else as its own chunk, encoded here when small and on the blocking pool otherwise.
/// Shared by block inserts and typed inserts of Native blocks. `accepted`: the block holds
/// rows earlier calls accepted (a typed insert's), so it is handed over at once, never
/// encoded first in this call (a call cancelled then would lose them).
async fn send_block(
    writer: &mut BodyWriter,
    sql: &str,
    format: Format,
    merge: Option<bool>,
    block: Block,
    accepted: bool,
) -> Result<()> {
    let small = encodes_inline(&block);
    if format == Format::Native && !small && writer.client.inner.endpoints.all_native() {
        // The native protocol takes the block itself (a Data packet), encoded once by the
        // transport: never as body bytes to be read back (a small one is still encoded here,
        // so that its error is this call's). The request is opened before the first block is
        // taken, so a call cancelled while it opens took nothing.
        if !accepted {
            writer.open(sql).await?;
        }
        return writer.send(sql, WriterMsg::Block(block)).await;
    }
    let mergeable = format == Format::Native
        && !block.columns.is_empty()
        && block.columns.iter().all(|(_, c)| concatenable(c));
    if mergeable && merging(writer, merge) {
        // Encoded by the writer, possibly with the blocks queued behind it.
        return writer.send(sql, WriterMsg::Block(block)).await;
    }
    let mut job = encode_job(writer, format, block, small)?;
    if !writer.started() && !accepted {
        // The first block is encoded before the hand-over: a call cancelled while it
        // encodes leaves the insert usable (the block was never accepted).
        job = Job::Ready(job.start(&writer.client.inner.rt).await?);
    }
    writer.send(sql, WriterMsg::Job(job)).await
}

/// Whether queued blocks may be merged: as `merge` says, else unless a deduplication token is
/// set on the insert or the client.
fn merging(writer: &BodyWriter, merge: Option<bool>) -> bool {
    const TOKEN: &str = "insert_deduplication_token";
    merge.unwrap_or_else(|| {
        writer.settings.get(TOKEN).is_none()
            && writer.client.inner.config.settings().get(TOKEN).is_none()
    })
}

/// The job of serializing one block into a chunk (compressed when compression is on): done
/// here when the block is `small` ([`encodes_inline`]: a thread hop costs more; its error is
/// this call's and the insert stays usable), else on the blocking pool.
fn encode_job(writer: &BodyWriter, format: Format, block: Block, small: bool) -> Result<Job> {
    let compression = writer.client.inner.body_compression();
    let pool = Arc::clone(&writer.pool);
    let work = move || encode_chunk(block, format, compression, &pool);
    if small {
        return work().map(Job::Ready);
    }
    Ok(Job::Encode(Box::new(work)))
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
