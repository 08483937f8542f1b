//! The HTTP response: its head turned into the neutral [`Response`] (or, for a failure, into
//! the server's error), and its body in two halves:
//!
//! - [`RawBody`] (async, on the event loop): HTTP framing removed, one chunk per read; returns
//!   the connection to the pool after a clean end.
//! - [`BodyFilter`] (sync, CPU work, may run off-loop): ClickHouse block decompression when
//!   `compress=1`, then the mid-stream exception scan over the decompressed bytes. Without
//!   compression the scan runs over the plain body: the HTTP parser starts it and a streaming
//!   result takes it over ([`RawBody::take_exception_scanner`]), so every body byte is scanned
//!   on the decoder's thread rather than on the event loop.

use std::collections::VecDeque;

use bytes::Bytes;
use chwire_proto::CompressedBlockReader;
use chwire_proto::http::{ExceptionScanner, HttpError, ResponseEvent, ResponseHead};
use chwire_proto::server::ServerException;

use super::connection::Exchange;
use crate::error::{Error, Result, ServerError};
use crate::transport::{Body, Head, Response};

impl Exchange {
    /// The response: its head (read now unless the attempt did), a failure head turned into
    /// the server's error.
    pub(crate) async fn response(mut self) -> Result<Response> {
        let head = match self.head.take() {
            Some(head) => head,
            None => self.read_head().await?,
        };
        let sent_id = self.query_id().unwrap_or_default().to_owned();
        let mut body = RawBody {
            tag: head.exception_tag.clone(),
            compressed: self.body_encoded(),
            exchange: Some(self),
        };
        if head.is_failure() {
            return Err(failure_error(&head, &mut body).await);
        }
        Ok(Response {
            query_id: head.query_id.clone().unwrap_or(sent_id),
            head: Head {
                summary: head.summary.unwrap_or_default(),
            },
            body: Body::Http(body),
        })
    }
}

/// The async source of raw body chunks of one response.
#[derive(Debug)]
pub(crate) struct RawBody {
    exchange: Option<Exchange>,
    /// The head's `X-ClickHouse-Exception-Tag`.
    tag: Option<String>,
    /// The body is compressed blocks.
    compressed: bool,
}

impl RawBody {
    /// The filter for this body's chunks (see [`BodyFilter::new`]).
    pub(crate) fn filter(&mut self) -> BodyFilter {
        let scanner = self.take_exception_scanner();
        BodyFilter::new(self.compressed, self.tag.as_deref(), scanner)
    }

    /// The next chunk of body bytes, `None` at the clean end of the body.
    pub(crate) async fn next_chunk(&mut self) -> Result<Option<Bytes>> {
        let Some(exchange) = self.exchange.as_mut() else {
            return Ok(None);
        };
        loop {
            match exchange.next_event().await {
                Ok(ResponseEvent::Data(b)) if b.is_empty() => {}
                Ok(ResponseEvent::Data(b)) => return Ok(Some(b)),
                Ok(ResponseEvent::Head(_)) => {}
                Ok(ResponseEvent::End) => {
                    if let Some(ex) = self.exchange.take() {
                        ex.finish();
                    }
                    return Ok(None);
                }
                Err(e) => {
                    // The connection is out of sync: close it.
                    self.exchange = None;
                    return Err(e);
                }
            }
        }
    }

    /// Takes over the parser's mid-stream exception scanner (see
    /// `HttpResponseParser::take_exception_scanner`): body chunks then come unscanned and the
    /// caller scans them, e.g. in a [`BodyFilter`] off the event loop.
    fn take_exception_scanner(&mut self) -> Option<ExceptionScanner> {
        self.exchange.as_mut()?.take_exception_scanner()
    }

    /// Reads the whole body, keeping at most `cap` bytes.
    pub(crate) async fn collect_capped(&mut self, cap: usize) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        while let Some(c) = self.next_chunk().await? {
            let room = cap.saturating_sub(out.len());
            out.extend_from_slice(&c[..c.len().min(room)]);
        }
        Ok(out)
    }
}

/// Turns the body of a failed response (`head.is_failure()`) into an error. With compression
/// the exception text arrives as compressed blocks (verified against the server), otherwise the
/// parser has already decoded it (keeping the body's end) and reports it as the body's error.
async fn failure_error(head: &ResponseHead, body: &mut RawBody) -> Error {
    // The exception comes last: a server that fails before its first flush sends the rows so
    // far first (compressed too, with `compress=1`), so the whole body is read, decompressed
    // as it comes, and only the last bytes are kept.
    const KEEP: usize = 1 << 20;
    let mut raw = Vec::new();
    let mut text = Vec::new();
    let mut reader = Some(CompressedBlockReader::new());
    loop {
        let chunk = match body.next_chunk().await {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => return e,
        };
        keep_tail(&mut raw, &chunk, KEEP);
        let Some(r) = reader.as_mut() else { continue };
        r.feed(&chunk);
        loop {
            match r.next_block() {
                Ok(Some(b)) => keep_tail(&mut text, &b, KEEP),
                Ok(None) => break,
                Err(_) => {
                    reader = None;
                    break;
                }
            }
        }
        // Not compressed blocks after all (a plain text body waiting for a block's end).
        if reader.as_ref().is_some_and(|r| r.buffered() > 2 * KEEP) {
            reader = None;
        }
    }
    if reader.is_none_or(|r| r.buffered() != 0) || text.is_empty() {
        text = raw;
    }
    keep_tail(&mut text, &[], KEEP);
    match ServerException::from_body(&text, head.exception_code) {
        Some(e) => Error::Server(ServerError::from_exception(
            e,
            false,
            Some(head.status.as_u16()),
        )),
        None => HttpError::Status {
            status: head.status,
            body: String::from_utf8_lossy(&text).into_owned(),
        }
        .into(),
    }
}

/// Appends `data` to `buf`, keeping only the last `max` bytes (trimmed lazily, once `buf` is
/// twice that, and exactly when `data` is empty).
fn keep_tail(buf: &mut Vec<u8>, data: &[u8], max: usize) {
    buf.extend_from_slice(&data[data.len().saturating_sub(max)..]);
    if buf.len() > 2 * max || (data.is_empty() && buf.len() > max) {
        buf.drain(..buf.len() - max);
    }
}

/// Decompression and exception scanning of body chunks (see the module docs).
#[derive(Debug)]
pub(crate) struct BodyFilter {
    decompress: Option<CompressedBlockReader>,
    scanner: Option<ExceptionScanner>,
    out: VecDeque<Bytes>,
}

impl BodyFilter {
    /// A filter for a response: `compressed` when the request asked for `compress=1`; `tag` is
    /// the head's `X-ClickHouse-Exception-Tag`; `plain_scanner` is the parser's scanner for an
    /// uncompressed body, taken over from it ([`RawBody::take_exception_scanner`]).
    pub(crate) fn new(
        compressed: bool,
        tag: Option<&str>,
        plain_scanner: Option<ExceptionScanner>,
    ) -> BodyFilter {
        BodyFilter {
            decompress: compressed.then(CompressedBlockReader::new),
            scanner: if compressed {
                Some(ExceptionScanner::new(tag))
            } else {
                plain_scanner
            },
            out: VecDeque::new(),
        }
    }

    /// Feeds a raw chunk; plain data becomes available through [`pop`](Self::pop).
    pub(crate) fn push(&mut self, raw: Bytes) -> Result<()> {
        let Some(reader) = self.decompress.as_mut() else {
            return scan(&mut self.scanner, &mut self.out, raw);
        };
        reader.feed(&raw);
        loop {
            let block = match reader.next_block() {
                Ok(Some(b)) => b,
                Ok(None) => return Ok(()),
                Err(e) => return Err(self.exception_or(e.into())),
            };
            scan(&mut self.scanner, &mut self.out, block)?;
        }
    }

    pub(crate) fn pop(&mut self) -> Option<Bytes> {
        self.out.pop_front()
    }

    /// The body ended cleanly: checks nothing is left half-decoded and releases held-back data.
    pub(crate) fn finish(&mut self) -> Result<()> {
        if let Some(reader) = &self.decompress {
            if reader.buffered() != 0 {
                return Err(self.exception_or(HttpError::Truncated("compressed body").into()));
            }
        }
        if let Some(scanner) = self.scanner.as_mut() {
            let found = scanner.finish();
            while let Some(d) = scanner.pop() {
                self.out.push_back(d);
            }
            if let Some(e) = found {
                return Err(Error::Server(ServerError::from_exception(
                    e,
                    true,
                    Some(200),
                )));
            }
        }
        Ok(())
    }

    /// The body broke with `err` (e.g. the server closed the connection after writing an
    /// exception into the compressed stream): the exception, if one was being read, explains
    /// the failure better than the truncation.
    pub(crate) fn exception_or(&mut self, err: Error) -> Error {
        if let Some(scanner) = self.scanner.as_mut() {
            if let Some(e) = scanner.finish() {
                return Error::Server(ServerError::from_exception(e, true, Some(200)));
            }
        }
        err
    }
}

/// Passes plain body data through `scanner` (if any) into `out`; an exception found ends it.
fn scan(
    scanner: &mut Option<ExceptionScanner>,
    out: &mut VecDeque<Bytes>,
    data: Bytes,
) -> Result<()> {
    let Some(scanner) = scanner.as_mut() else {
        out.push_back(data);
        return Ok(());
    };
    let found = scanner.push(data);
    // Clean data before the exception is released first, even from the same piece.
    while let Some(d) = scanner.pop() {
        out.push_back(d);
    }
    match found {
        Some(e) => Err(Error::Server(ServerError::from_exception(
            e,
            true,
            Some(200),
        ))),
        None => Ok(()),
    }
}
