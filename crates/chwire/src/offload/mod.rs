//! Off-loop decoding.
//!
//! Decompressing and decoding a large result is CPU work that would stall every other task on
//! the executor thread polling it. For a large response, three stages run concurrently:
//!
//! ```text
//!  socket ──► reader task ──[input channel, depth D]──► decoder ──[output channel, depth D]──► user Stream
//!            (Runtime::spawn)  raw chunks            (Runtime::spawn_blocking)   items
//! ```
//!
//! Both channels are bounded, so a slow consumer stops the decoder, which stops the reader,
//! which stops reading the socket (TCP backpressure reaches the server); memory stays bounded
//! by `D` chunks in and `D` batches out. Dropping the user stream closes the output channel: the
//! decoder stops decoding (the native filter still sees the queued chunks), the reader sees the
//! cancel signal and drops the body, which closes the connection (HTTP) or cancels the query
//! and drains the connection (native).
//!
//! Decoding starts with the first body bytes, on the consuming task: each chunk is decoded as
//! it arrives, so a row or block reaches the caller as soon as it is complete and a corrupt body
//! fails as soon as the bytes that prove it arrive, however slowly the server writes. A body
//! that ends within `inline_decode_threshold` bytes is decoded that way to the end (the thread
//! hops would cost more than the work); one that grows past it is handed, filter and decoder
//! state included, to the pipeline above.
//!
//! The format decoders the pipeline runs are in [`decode`] (bytes, blocks, dynamic rows) and
//! [`typed`] (typed rows).

mod decode;
mod typed;

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};

use bytes::Bytes;
use chwire_rt::{Runtime, RuntimeExt};
use futures_core::Stream;
use futures_util::future::{Either, select};

use crate::cancel::KillOnDrop;
use crate::config::OffloadConfig;
use crate::coop::Budget;
use crate::error::{Error, Result};
use crate::telemetry::Span;
use crate::transport::{Body, BodyFilter, Piece};
use chwire_proto::Block;

/// What typed reads stream: batches of rows (see [`crate::row`]).
pub(crate) use crate::row::RowBatch;
pub(crate) use decode::{DiscardDecode, NativeDecode, RawDecode, RowItem, RowsDecode};
pub(crate) use typed::{RowBatches, TypedDecode};

/// A format decoder run by the pipeline: bytes (or, from the native protocol, decoded blocks)
/// in, items out.
pub(crate) trait Decode: Send + 'static {
    type Item: Send + 'static;
    /// Whether the decoder passes the result's bytes through as the server wrote them (the
    /// request must then ask for them in that format).
    const BYTES: bool = false;
    fn feed(&mut self, data: Bytes, out: &mut Vec<Self::Item>) -> Result<()>;
    /// A block the transport decoded (native: the result's header block, with no rows, then
    /// its data blocks). Decoders of byte formats have no use for blocks.
    fn feed_block(&mut self, _block: Block, _out: &mut Vec<Self::Item>) -> Result<()> {
        Err(Error::NotAvailable {
            protocol: "native",
            what: "results as bytes other than Native".into(),
        })
    }
    fn finish(&mut self, out: &mut Vec<Self::Item>) -> Result<()>;
    /// Result rows in one item (for the rows-returned count; 0 when unknown, e.g. raw bytes).
    fn item_rows(_item: &Self::Item) -> u64 {
        0
    }
}

/// Reader → decoder messages.
#[derive(Debug)]
pub(crate) enum Input {
    Chunk(Bytes),
    End,
    Failed(Error),
}

/// Decoder → stream messages.
#[derive(Debug)]
enum Out<T> {
    Items(Vec<T>),
    Done,
    Failed(Error),
}

/// Counters of one pipeline, for observability and tests.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    offloaded: AtomicBool,
    chunks: AtomicU64,
    bytes: AtomicU64,
    buffered_bytes: AtomicUsize,
    max_buffered_bytes: AtomicUsize,
    max_queued_chunks: AtomicUsize,
    max_queued_batches: AtomicUsize,
    largest_chunk: AtomicUsize,
    rows: AtomicU64,
}

/// A snapshot of a result stream's pipeline counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct PipelineStats {
    /// Whether decoding ran off the event loop (false: small response decoded inline).
    pub offloaded: bool,
    /// Raw body chunks read from the socket.
    pub chunks: u64,
    /// Raw body bytes read from the socket.
    pub bytes: u64,
    /// Most raw chunks ever waiting in the input channel (≤ `offload_queue_depth`).
    pub max_queued_chunks: usize,
    /// Most raw bytes ever read from the socket but not yet taken by the decoder: at most the
    /// chunk that crossed `inline_decode_threshold`, the queued chunks and the one the reader
    /// holds while waiting for room.
    pub max_buffered_bytes: usize,
    /// Largest raw chunk.
    pub largest_chunk: usize,
    /// Most decoded batches ever waiting in the output channel (≤ `offload_queue_depth`).
    pub max_queued_batches: usize,
    /// Result rows decoded so far (0 for raw bytes).
    pub rows: u64,
}

impl Counters {
    fn snapshot(&self) -> PipelineStats {
        PipelineStats {
            offloaded: self.offloaded.load(Ordering::Relaxed),
            chunks: self.chunks.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            max_queued_chunks: self.max_queued_chunks.load(Ordering::Relaxed),
            max_buffered_bytes: self.max_buffered_bytes.load(Ordering::Relaxed),
            largest_chunk: self.largest_chunk.load(Ordering::Relaxed),
            max_queued_batches: self.max_queued_batches.load(Ordering::Relaxed),
            rows: self.rows.load(Ordering::Relaxed),
        }
    }

    fn read_chunk(&self, len: usize) {
        self.chunks.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(len as u64, Ordering::Relaxed);
        self.largest_chunk.fetch_max(len, Ordering::Relaxed);
        let now = self.buffered_bytes.fetch_add(len, Ordering::SeqCst) + len;
        self.max_buffered_bytes.fetch_max(now, Ordering::Relaxed);
    }

    fn took_chunk(&self, len: usize) {
        self.buffered_bytes.fetch_sub(len, Ordering::SeqCst);
    }
}

/// A response's filter and decoder: one raw input in, decoded items out. Shared by the inline
/// probe and the off-loop decoder, which takes it over where the probe stopped.
struct Decoding<D> {
    filter: BodyFilter,
    decoder: D,
}

impl<D: Decode> Decoding<D> {
    /// Decodes one input into `items`: `Ok(true)` once the body has ended cleanly.
    fn step(
        &mut self,
        input: Input,
        items: &mut Vec<D::Item>,
        counters: &Counters,
    ) -> Result<bool> {
        let outcome = self.decode(input, items);
        let rows: u64 = items.iter().map(D::item_rows).sum();
        counters.rows.fetch_add(rows, Ordering::Relaxed);
        outcome
    }

    fn decode(&mut self, input: Input, items: &mut Vec<D::Item>) -> Result<bool> {
        match input {
            Input::Chunk(raw) => {
                let pushed = self.filter.push(raw);
                self.decode_released(items)?;
                pushed?;
                Ok(false)
            }
            Input::End => {
                let finished = self.filter.finish();
                self.decode_released(items)?;
                finished?;
                self.decoder.finish(items)?;
                Ok(true)
            }
            Input::Failed(e) => {
                let e = self.filter.exception_or(e);
                self.decode_released(items)?;
                Err(e)
            }
        }
    }

    /// Data the filter released before an exception it found is the server's real output: it
    /// is decoded (complete rows and blocks reach the caller) before the exception is reported.
    fn decode_released(&mut self, items: &mut Vec<D::Item>) -> Result<()> {
        while let Some(piece) = self.filter.pop() {
            match piece {
                Piece::Bytes(plain) => self.decoder.feed(plain, items)?,
                Piece::Block(block) => self.decoder.feed_block(block, items)?,
            }
        }
        Ok(())
    }

    /// What one step leaves for the stream: its items, then the end if it was the last.
    fn outs(items: Vec<D::Item>, outcome: Result<bool>) -> (Vec<Out<D::Item>>, bool) {
        let mut outs = Vec::with_capacity(2);
        if !items.is_empty() {
            outs.push(Out::Items(items));
        }
        let last = match outcome {
            Ok(false) => false,
            Ok(true) => {
                outs.push(Out::Done);
                true
            }
            Err(e) => {
                outs.push(Out::Failed(e));
                true
            }
        };
        (outs, last)
    }
}

/// Runs `decoding` over `inputs`, handing results to `sink` (which returns false when nobody
/// listens any more): the off-loop decoder's loop. Once nobody listens, the chunks the reader
/// had already queued still go through the filter ([`BodyFilter::skip`]) until the reader
/// stops: the native protocol state must have seen every byte read off the socket for the
/// drain after Cancel to continue from it.
fn run_decoder<D: Decode>(
    mut decoding: Decoding<D>,
    mut inputs: impl Iterator<Item = Input>,
    counters: &Counters,
    mut sink: impl FnMut(Out<D::Item>) -> bool,
) {
    while let Some(input) = inputs.next() {
        if let Input::Chunk(raw) = &input {
            counters.took_chunk(raw.len());
        }
        let mut items = Vec::new();
        let outcome = decoding.step(input, &mut items, counters);
        let (outs, last) = Decoding::<D>::outs(items, outcome);
        for out in outs {
            if !sink(out) {
                for input in inputs {
                    if let Input::Chunk(raw) = input {
                        counters.took_chunk(raw.len());
                        if decoding.filter.skip(raw).is_err() {
                            return;
                        }
                    }
                }
                return;
            }
        }
        if last {
            return;
        }
    }
    sink(Out::Failed(Error::pipeline(
        "the body reader stopped without finishing",
    )));
}

/// Starts decoding a response body. Decoding begins with the first bytes, on the consuming
/// task (each chunk as it arrives, so a row or block is yielded as soon as it is complete and a
/// corrupt body fails as soon as the bytes that prove it arrive); once the body has passed
/// `inline_threshold` bytes without ending, the rest is decoded off-loop, the filter and
/// decoder carrying on where the inline part stopped.
pub(crate) fn start<D: Decode>(
    rt: &Arc<dyn Runtime>,
    config: OffloadConfig,
    body: Body,
    filter: BodyFilter,
    decoder: D,
) -> ItemStream<D::Item> {
    let probe = Probe {
        body,
        decoding: Decoding { filter, decoder },
        read: 0,
        rt: Arc::clone(rt),
        config,
        counters: Arc::new(Counters::default()),
    };
    let counters = Arc::clone(&probe.counters);
    let stages =
        futures_util::stream::unfold(
            Some(probe),
            |probe| async move { Some(probe?.step().await) },
        );
    ItemStream {
        queue: VecDeque::new(),
        source: Source::Inline {
            outs: VecDeque::new(),
            stages: std::sync::Mutex::new(Box::pin(stages)),
        },
        done: false,
        budget: Budget::new(1, rt),
        counters,
        kill: None,
        span: Span::none(),
    }
}

/// The inline part of a response: the body read and decoded on the consuming task while it
/// is small.
struct Probe<D> {
    body: Body,
    decoding: Decoding<D>,
    /// Raw body bytes read so far.
    read: usize,
    rt: Arc<dyn Runtime>,
    config: OffloadConfig,
    counters: Arc<Counters>,
}

/// The inline part of a response as a stream of [`Stage`]s.
type InlineStages<T> = Pin<Box<dyn Stream<Item = Stage<T>> + Send>>;

/// What the inline part yields: decoded outputs, or the off-loop source that takes over.
enum Stage<T> {
    Outs(Vec<Out<T>>),
    Offloaded(Source<T>),
}

impl<D: Decode> Probe<D> {
    /// Reads and decodes one chunk (the probe continues unless it was the last), or hands the
    /// body over to the off-loop pipeline once it has passed the threshold: a chunk that
    /// crosses it is decoded off-loop, so at most `inline_threshold` bytes are decoded here.
    async fn step(mut self) -> (Stage<D::Item>, Option<Self>) {
        if self.read >= self.config.inline_threshold {
            return (Stage::Offloaded(self.offload(None)), None);
        }
        let input = match self.body.next_chunk().await {
            Ok(Some(c)) => {
                self.read += c.len();
                if self.read > self.config.inline_threshold {
                    self.counters.read_chunk(c.len());
                    return (Stage::Offloaded(self.offload(Some(c))), None);
                }
                Input::Chunk(c)
            }
            Ok(None) => Input::End,
            Err(e) => Input::Failed(e),
        };
        if let Input::Chunk(c) = &input {
            self.counters.read_chunk(c.len());
            self.counters.took_chunk(c.len());
        }
        let mut items = Vec::new();
        let outcome = self.decoding.step(input, &mut items, &self.counters);
        let (outs, last) = Decoding::<D>::outs(items, outcome);
        (Stage::Outs(outs), (!last).then_some(self))
    }

    /// Starts the off-loop pipeline for the rest of the body, `first` (already read) first.
    fn offload(self, first: Option<Bytes>) -> Source<D::Item> {
        let Probe {
            body,
            decoding,
            rt,
            config,
            counters,
            ..
        } = self;
        counters.offloaded.store(true, Ordering::Relaxed);
        let depth = config.queue_depth.max(1);
        let (in_tx, in_rx) = async_channel::bounded::<Input>(depth);
        let (out_tx, out_rx) = async_channel::bounded::<Out<D::Item>>(depth);
        let (cancel_tx, cancel_rx) = async_channel::bounded::<()>(1);

        rt.spawn(crate::telemetry::in_current_context(read_body(
            body,
            in_tx,
            cancel_rx,
            Arc::clone(&counters),
        )));

        let decoder_out = out_tx.clone();
        let blocking = rt.run_blocking(crate::telemetry::blocking_in_current_context(move || {
            let inputs = first
                .map(Input::Chunk)
                .into_iter()
                .chain(std::iter::from_fn(|| in_rx.recv_blocking().ok()));
            let counters = &counters;
            run_decoder(decoding, inputs, counters, |o| {
                let ok = decoder_out.send_blocking(o).is_ok();
                counters
                    .max_queued_batches
                    .fetch_max(decoder_out.len(), Ordering::Relaxed);
                ok
            });
        }));
        // Reports a decoder that panicked or never ran (the decoder's own sender is gone by
        // then, so this is the only message left for the stream).
        rt.spawn(Box::pin(async move {
            if let Err(e) = blocking.await {
                let _ = out_tx
                    .send(Out::Failed(Error::pipeline(format!("decoder: {e}"))))
                    .await;
            }
        }));
        Source::Channel {
            rx: Box::pin(out_rx),
            _cancel: cancel_tx,
        }
    }
}

/// The reader task: socket → input channel, until the end of the body, an error, or the
/// stream's cancel signal (its sender dropped).
async fn read_body(
    mut body: Body,
    tx: async_channel::Sender<Input>,
    cancel: async_channel::Receiver<()>,
    counters: Arc<Counters>,
) {
    loop {
        let next = {
            let read = std::pin::pin!(body.next_chunk());
            let cancelled = std::pin::pin!(cancel.recv());
            // The cancel signal first: a socket that always has data would otherwise keep a
            // dropped stream reading.
            match select(cancelled, read).await {
                // Stream dropped: dropping `body` closes the connection (HTTP) or cancels the
                // query and drains it (native).
                Either::Left(_) => return,
                Either::Right((r, _)) => r,
            }
        };
        let (msg, last) = match next {
            Ok(Some(c)) => {
                counters.read_chunk(c.len());
                (Input::Chunk(c), false)
            }
            Ok(None) => (Input::End, true),
            Err(e) => (Input::Failed(e), true),
        };
        if tx.send(msg).await.is_err() {
            return;
        }
        counters
            .max_queued_chunks
            .fetch_max(tx.len(), Ordering::Relaxed);
        if last {
            return;
        }
    }
}

enum Source<T> {
    /// The first bytes, decoded on the consuming task: outputs not yet taken, then the rest.
    /// The stages sit in a `Mutex` only so the stream stays `Sync` (the body they read is
    /// not): it is never locked, only reached through `get_mut`, which costs nothing.
    Inline {
        outs: VecDeque<Out<T>>,
        stages: std::sync::Mutex<InlineStages<T>>,
    },
    Channel {
        rx: Pin<Box<async_channel::Receiver<Out<T>>>>,
        _cancel: async_channel::Sender<()>,
    },
}

/// A stream of decoded items from either path. Ends with `None` only after the body ended
/// cleanly; any failure (server exception, truncation, decode error) is the last item.
pub(crate) struct ItemStream<T> {
    queue: VecDeque<T>,
    source: Source<T>,
    done: bool,
    /// Yields to the executor when items keep being ready ([`crate::coop`]); items are blocks
    /// or batches of rows, each worth a clock read.
    budget: Budget,
    counters: Arc<Counters>,
    /// Kills the query if the stream is dropped before its end (`kill_query_on_drop`).
    kill: Option<KillOnDrop>,
    /// The request's client span, ended with the stream (or when it is dropped).
    span: Span,
}

impl<T> std::fmt::Debug for ItemStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemStream")
            .field("queued", &self.queue.len())
            .field("done", &self.done)
            .field("stats", &self.counters.snapshot())
            .finish_non_exhaustive()
    }
}

impl<T> ItemStream<T> {
    pub(crate) fn stats(&self) -> PipelineStats {
        self.counters.snapshot()
    }

    /// Hands the request's kill guard and span to the stream, which ends both with the result.
    pub(crate) fn attach(&mut self, kill: Option<KillOnDrop>, span: Span) {
        self.kill = kill;
        self.span = span;
    }

    /// Ends the stream with `error` found by its consumer (a row that does not fit its type):
    /// nothing more is yielded; the span records the error.
    pub(crate) fn fail(&mut self, error: &Error) {
        self.queue.clear();
        self.end(Some(error));
    }

    /// Puts an item back at the front (used to peek at the rows header).
    pub(crate) fn push_front(&mut self, item: T) {
        self.queue.push_front(item);
    }

    fn end(&mut self, error: Option<&Error>) {
        self.done = true;
        if let Some(k) = self.kill.take() {
            if error.is_none_or(|e| !e.may_still_run()) {
                k.disarm();
            }
        }
        let span = std::mem::replace(&mut self.span, Span::none());
        span.add_returned_rows(self.counters.rows.load(Ordering::Relaxed));
        match error {
            None => span.end_ok(),
            Some(e) => span.end_err(e),
        }
    }
}

impl<T> Unpin for ItemStream<T> {}

impl<T> Stream for ItemStream<T> {
    type Item = Result<T>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.budget.poll_proceed(cx).is_pending() {
            return Poll::Pending;
        }
        let out = this.poll_item(cx);
        if out.is_pending() {
            this.budget.waited();
        }
        out
    }
}

impl<T> ItemStream<T> {
    /// The next item, without the budget.
    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T>>> {
        let this = self;
        loop {
            if let Some(item) = this.queue.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            let out = match &mut this.source {
                Source::Inline { outs, stages } => match outs.pop_front() {
                    Some(o) => Some(o),
                    None => match stages
                        .get_mut()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .as_mut()
                        .poll_next(cx)
                    {
                        Poll::Ready(Some(Stage::Outs(o))) => {
                            outs.extend(o);
                            continue;
                        }
                        Poll::Ready(Some(Stage::Offloaded(source))) => {
                            this.source = source;
                            continue;
                        }
                        Poll::Ready(None) => None,
                        Poll::Pending => return Poll::Pending,
                    },
                },
                Source::Channel { rx, .. } => match rx.as_mut().poll_next(cx) {
                    Poll::Ready(o) => o,
                    Poll::Pending => return Poll::Pending,
                },
            };
            match out {
                Some(Out::Items(items)) => this.queue.extend(items),
                Some(Out::Done) => this.end(None),
                Some(Out::Failed(e)) => {
                    this.end(Some(&e));
                    return Poll::Ready(Some(Err(e)));
                }
                None => {
                    let e = Error::pipeline("the decoder stopped without finishing");
                    this.end(Some(&e));
                    return Poll::Ready(Some(Err(e)));
                }
            }
        }
    }
}

impl<T> Drop for ItemStream<T> {
    fn drop(&mut self) {
        // Unfinished: the kill guard (if any) fires as it drops; the span ends as cancelled.
        self.span
            .add_returned_rows(self.counters.rows.load(Ordering::Relaxed));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tagged mid-stream exception as ClickHouse writes it into a body.
    fn tagged_exception(tag: &str) -> Vec<u8> {
        let message = "Code: 395. DB::Exception: boom. (FUNCTION_THROW_IF_VALUE_IS_NON_ZERO)\n";
        format!(
            "\r\n__exception__\r\n{tag}\r\n{message}{} {tag}\r\n__exception__\r\n",
            message.len()
        )
        .into_bytes()
    }

    /// Data before an exception in the same piece is the server's real output: it reaches the
    /// caller, then the exception does.
    #[test]
    fn data_before_an_exception_in_the_same_piece_is_delivered_first() {
        let tag = "a1b2c3d4e5f6a7b8";
        let mut body = b"hello, rows".to_vec();
        body.extend(tagged_exception(tag));
        // With the scanner taken over from the parser: data, then the exception.
        let filter = BodyFilter::http_plain(tag);
        let mut outs = Vec::new();
        let inputs = vec![Input::Chunk(Bytes::from(body.clone()))];
        run_decoder(
            Decoding {
                filter,
                decoder: RawDecode,
            },
            inputs.into_iter(),
            &Counters::default(),
            |o| {
                outs.push(o);
                true
            },
        );
        assert!(
            matches!(&outs[0], Out::Items(i) if i.len() == 1 && i[0] == b"hello, rows"[..]),
            "{outs:?}"
        );
        assert!(
            matches!(&outs[1], Out::Failed(e) if e.server_code() == Some(395)),
            "{outs:?}"
        );
        assert_eq!(outs.len(), 2, "{outs:?}");
    }

    /// Result streams may be shared between threads, as before decoding started inline.
    #[test]
    fn item_streams_are_send_and_sync() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<ItemStream<chwire_proto::Block>>();
        send_sync::<ItemStream<RowBatch>>();
    }
}
