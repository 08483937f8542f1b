//! The writer of an insert's body: opens the request with the first chunk, then a task that
//! starts queued encodings (at most one per core) and feeds the finished chunks, in order, to
//! the insert's [`BodySink`].

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::future::{Either, select};

use super::chunk::{Chunk, EncodingChunk};
use super::merge::{JobSource, WriterMsg};
use super::request::InsertRequest;
use super::sink::BodySink;
use crate::buffers::BufferPool;
use crate::cancel::KillOnDrop;
use crate::coop::Budget;
use crate::error::{Error, Result};
use crate::events::EventCallbacks;
use crate::handle::Client;
use crate::request::RequestIdentity;
use crate::request::RunningQuery;
use crate::settings::Settings;
use crate::summary::QuerySummary;
use crate::telemetry::Span;

/// Chunk buffers an insert keeps for reuse once written (see [`BufferPool`]).
const KEEP_CHUNK_BUFFERS: usize = 4;

struct Running {
    tx: async_channel::Sender<WriterMsg>,
    result: async_channel::Receiver<Result<QuerySummary>>,
    /// Set when the insert is dropped before `end` handed its `End` over: the writer then
    /// stops at once instead of encoding and sending what is still queued.
    dropped: Arc<AtomicBool>,
    /// Whether `End` was handed over (a cancelled `end` after that still commits).
    end_sent: bool,
}

impl Drop for Running {
    fn drop(&mut self) {
        if !self.end_sent {
            self.dropped.store(true, Ordering::Relaxed);
        }
    }
}

/// The chunked request body of one insert, shared by [`BlockInsert`] and [`Insert`]: opens
/// the request with the first chunk, then hands chunks to the writer task.
pub(super) struct BodyWriter {
    pub(super) client: Client,
    pub(super) settings: Settings,
    pub(super) query_id: Option<String>,
    /// The insert's own custom headers and roles.
    pub(super) identity: RequestIdentity,
    /// Logs and profile events of the insert (native).
    pub(super) events: EventCallbacks,
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
    pub(super) pool: Arc<BufferPool>,
}

impl BodyWriter {
    pub(super) fn new(client: Client, table: &str) -> BodyWriter {
        BodyWriter {
            client,
            settings: Settings::new(),
            query_id: None,
            identity: RequestIdentity::default(),
            events: EventCallbacks::default(),
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

    #[inline]
    pub(super) fn check(&self) -> Result<()> {
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
                    if !e.may_still_run() {
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

    /// Whether the request was opened (by the first chunk).
    pub(super) fn started(&self) -> bool {
        self.running.is_some()
    }

    /// Hands one chunk to the writer task, which encodes queued chunks in parallel and sends
    /// them in order; up to `offload_queue_depth` wait in its queue. The first chunk is
    /// encoded here and opens the request for `sql`, so a failure to connect is this call's
    /// error.
    pub(super) async fn send(&mut self, sql: &str, msg: WriterMsg) -> Result<()> {
        self.check()?;
        self.handing_over = true;
        let sent = self.hand_over(sql, msg).await;
        self.handing_over = false;
        sent
    }

    /// Opens the request (without body bytes) unless it is open: for bodies that take whole
    /// blocks, before the first one is handed over.
    pub(super) async fn open(&mut self, sql: &str) -> Result<()> {
        self.check()?;
        if self.running.is_none() {
            self.start(sql, Chunk::whole(Vec::new())).await?;
        }
        Ok(())
    }

    async fn hand_over(&mut self, sql: &str, msg: WriterMsg) -> Result<()> {
        let msg = if self.running.is_some() {
            msg
        } else {
            match msg {
                WriterMsg::Job(job) => {
                    let first = job
                        .start(&self.client.inner.rt)
                        .await
                        .map_err(|e| self.fail(e))?;
                    return self.start(sql, first).await;
                }
                // Opens the request without body bytes; the writer takes the block.
                WriterMsg::Block(_) => {
                    self.start(sql, Chunk::whole(Vec::new())).await?;
                    msg
                }
                WriterMsg::End => return Err(Error::pipeline("insert end before its start")),
            }
        };
        let Some(running) = &self.running else {
            return Err(Error::pipeline("insert not started"));
        };
        if running.tx.send(msg).await.is_err() {
            let e = self.writer_error().await;
            self.settle(Err(&e));
            return Err(e);
        }
        Ok(())
    }

    pub(super) async fn end(mut self) -> Result<QuerySummary> {
        self.check()?;
        let Some(running) = self.running.as_ref() else {
            // Nothing written: nothing to insert.
            return Ok(QuerySummary::default());
        };
        let outcome = if running.tx.send(WriterMsg::End).await.is_err() {
            Err(self.writer_error().await)
        } else {
            let Some(running) = self.running.as_mut() else {
                return Err(Error::pipeline("insert not started"));
            };
            running.end_sent = true;
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
        self.span = inner.span(sql, Some(&self.table));
        self.kill = KillOnDrop::new(&self.client, &self.running_query);
        let request = InsertRequest {
            sql,
            settings: &self.settings,
            query_id: self.query_id.as_deref(),
            running: Some(&self.running_query),
            span: &self.span,
            delivered_unanswered: None,
            session: self.client.session.as_deref(),
            identity: Some(&self.identity),
            events: Some(&self.events),
        };
        let opened = request.open(inner, &first.segments()).await;
        self.pool.put(first.buf);
        let sink = match opened {
            Ok(sink) => sink,
            Err(e) => {
                self.failed = true;
                self.settle(Err(&e));
                return Err(e);
            }
        };
        let offload = &inner.config.offload();
        let (tx, rx) = async_channel::bounded(offload.queue_depth);
        let (result_tx, result) = async_channel::bounded(1);
        let pool = Arc::clone(&self.pool);
        // At most one encoding per core, and never more than the queue holds.
        let encoders = offload.cores.min(offload.queue_depth);
        let rt = Arc::clone(&inner.rt);
        let compression = inner.body_compression();
        let dropped = Arc::new(AtomicBool::new(false));
        let dropped_flag = Arc::clone(&dropped);
        inner
            .rt
            .spawn(crate::telemetry::in_current_context(async move {
                let outcome = if sink.takes_blocks() {
                    write_blocks(sink, &rx, &pool, &rt, &dropped_flag).await
                } else {
                    let source = JobSource::new(&rx, compression, Arc::clone(&pool));
                    write_body(sink, source, &pool, &rt, encoders, &dropped_flag).await
                };
                if let Some(outcome) = outcome {
                    let _ = result_tx.send(outcome).await;
                }
            }));
        self.running = Some(Running {
            tx,
            result,
            dropped,
            end_sent: false,
        });
        Ok(())
    }
}

/// The writer task: starts the encoding of queued chunks (at most `encoders` at once), sends
/// them in order as they are ready; on `End` sends the terminator and reads the response.
/// Returns `None` when the insert was dropped (the connection is closed without the
/// terminator, so the server fails the request).
async fn write_body(
    mut sink: BodySink,
    mut source: JobSource<'_>,
    pool: &BufferPool,
    rt: &Arc<dyn chwire_rt::Runtime>,
    encoders: usize,
    dropped: &AtomicBool,
) -> Option<Result<QuerySummary>> {
    let mut encoding: VecDeque<EncodingChunk> = VecDeque::new();
    // Chunks ready at once (sent from a block's memory) and a socket with room never wait:
    // the task yields between them every slice (see `crate::coop`).
    let mut budget = Budget::new(1, rt);
    // Starts available jobs while there is room (without waiting for more to arrive).
    let refill = |encoding: &mut VecDeque<EncodingChunk>, source: &mut JobSource<'_>| {
        while encoding.len() < encoders.max(1) {
            match source.next(encoding.is_empty()) {
                Some(job) => encoding.push_back(job.start(rt)),
                None => break,
            }
        }
    };
    loop {
        if dropped.load(Ordering::Relaxed) {
            // Dropped before `end`: send nothing more (the server fails the request).
            return None;
        }
        budget.proceed().await;
        refill(&mut encoding, &mut source);
        if let Some(oldest) = encoding.front_mut() {
            // While it encodes, blocks arriving are taken off the queue to be merged.
            let encoded = loop {
                if !source.gathering() {
                    break oldest.await;
                }
                let next_msg = std::pin::pin!(source.rx.recv());
                match select(&mut *oldest, next_msg).await {
                    Either::Left((encoded, _)) => break encoded,
                    Either::Right((Ok(msg), _)) => source.take(msg),
                    Either::Right((Err(_), _)) => break oldest.await,
                }
            };
            let chunk = match encoded {
                Ok(c) => c,
                // Rows earlier writes accepted cannot be sent: the request is abandoned
                // (the connection closes without the terminator, the server fails it).
                Err(e) => return Some(Err(abandon(source.rx, e))),
            };
            encoding.pop_front();
            // The next chunk encodes while this one is written.
            refill(&mut encoding, &mut source);
            if let Err(e) = sink.write(&chunk.segments()).await {
                // The server may have answered with an exception before closing.
                let e = sink.failure(e).await;
                return Some(Err(abandon(source.rx, e)));
            }
            pool.put(chunk.buf);
            continue;
        }
        if source.ended {
            return Some(sink.finish().await);
        }
        if !source.wait().await {
            return None;
        }
    }
}

/// The writer task of a body that takes whole blocks (the native protocol): each block is
/// handed to the sink as it comes (the sink encodes it as a Data packet, off-loop when large),
/// never merged (the server squashes them) nor encoded as bytes first; a job (a body chunk
/// already encoded, e.g. RowBinary rows) goes as bytes. Same ending as [`write_body`].
async fn write_blocks(
    mut sink: BodySink,
    rx: &async_channel::Receiver<WriterMsg>,
    pool: &BufferPool,
    rt: &Arc<dyn chwire_rt::Runtime>,
    dropped: &AtomicBool,
) -> Option<Result<QuerySummary>> {
    let mut budget = Budget::new(1, rt);
    loop {
        if dropped.load(Ordering::Relaxed) {
            return None;
        }
        budget.proceed().await;
        // Nothing to send next: what the transport holds back goes out now, not with the
        // next block.
        if rx.is_empty() {
            if let Err(e) = sink.idle().await {
                let e = sink.failure(e).await;
                return Some(Err(abandon(rx, e)));
            }
        }
        let written = match rx.recv().await {
            Ok(WriterMsg::Block(block)) => sink.write_block(block).await,
            Ok(WriterMsg::Job(job)) => match job.start(rt).await {
                Ok(chunk) => {
                    let sent = sink.write(&chunk.segments()).await;
                    pool.put(chunk.buf);
                    sent
                }
                Err(e) => return Some(Err(abandon(rx, e))),
            },
            Ok(WriterMsg::End) => return Some(sink.finish().await),
            // The insert was dropped before `end`.
            Err(_) => return None,
        };
        if let Err(e) = written {
            let e = sink.failure(e).await;
            return Some(Err(abandon(rx, e)));
        }
    }
}

/// The writer failed with `e`: closes its queue and drops the chunks waiting there (their
/// blocks or rows), so they are not kept until the insert is dropped.
fn abandon(rx: &async_channel::Receiver<WriterMsg>, e: Error) -> Error {
    rx.close();
    while rx.try_recv().is_ok() {}
    e
}
