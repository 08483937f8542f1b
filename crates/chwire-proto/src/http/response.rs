//! The sans-IO HTTP/1.x response state machine.
//!
//! Bytes go in with [`HttpResponseParser::feed`] (and [`feed_eof`](HttpResponseParser::feed_eof)
//! when the peer closes); events come out of [`next_event`](HttpResponseParser::next_event) until
//! it returns `Ok(None)` (needs more input). Body data events are zero-copy slices of the
//! parser's input buffer.

use bytes::{Buf, Bytes, BytesMut};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode, Version};

use super::error::HttpError;
use super::exception::{ExceptionScanner, ScannerLimits};
use super::head::{BodyFraming, ResponseHead};
use crate::server::ServerException;

/// Parser settings. Defaults suit ClickHouse responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseConfig {
    /// Largest response head (status line + all headers). ClickHouse can send one
    /// `X-ClickHouse-Progress` header per progress update, so this, not a header count, bounds
    /// the head.
    pub max_head_size: usize,
    /// Most header fields in the head, and most trailer fields after a chunked body. A head of
    /// tiny lines fits many more fields than real ClickHouse heads (a progress header is about
    /// 150 bytes, so `max_head_size` admits about 7 000); this bounds the rest, and stays
    /// under the 24 576 distinct names `http::HeaderMap` can hold (it panics beyond).
    pub max_headers: usize,
    /// Most bytes of a failure body kept for the error message: the last ones (a server that
    /// fails before its first flush sends the result rows so far, then the exception text);
    /// the rest is read and dropped.
    pub max_error_body: usize,
    /// Longest chunk-size line (with extensions) accepted.
    pub max_chunk_line: usize,
    /// The request was `HEAD`: the response has no body whatever its headers say.
    pub head_request: bool,
    /// The body is not plain text on the wire: the request asked for `compress=1` (ClickHouse
    /// compressed blocks). The raw body is then not scanned for exceptions, and a failure
    /// response's body is handed out as `Data` (the caller decompresses it and parses it with
    /// [`ServerException::from_body`], or runs an [`ExceptionScanner`] over the decompressed
    /// stream). The same applies automatically when the response has a `Content-Encoding`.
    pub body_encoded: bool,
    /// Bounds of the mid-stream exception scanner.
    pub scanner: ScannerLimits,
}

impl Default for ResponseConfig {
    fn default() -> Self {
        ResponseConfig {
            max_head_size: 1 << 20,
            max_headers: 16 * 1024,
            max_error_body: 1 << 20,
            max_chunk_line: 4096,
            head_request: false,
            body_encoded: false,
            scanner: ScannerLimits::default(),
        }
    }
}

impl ResponseConfig {
    /// Sets the `head_request` field: the request was `HEAD`, expect no body.
    pub fn head_request(mut self, yes: bool) -> Self {
        self.head_request = yes;
        self
    }
    /// Sets the `body_encoded` field: the body is compressed, do not scan it for exceptions.
    pub fn body_encoded(mut self, yes: bool) -> Self {
        self.body_encoded = yes;
        self
    }
    /// Sets the `max_head_size` field, in bytes (default 1 MiB).
    pub fn max_head_size(mut self, n: usize) -> Self {
        self.max_head_size = n;
        self
    }
    /// Sets the `max_headers` field (default 16 384).
    pub fn max_headers(mut self, n: usize) -> Self {
        self.max_headers = n;
        self
    }
    /// Sets the `max_error_body` field, in bytes (default 1 MiB).
    pub fn max_error_body(mut self, n: usize) -> Self {
        self.max_error_body = n;
        self
    }
    /// Sets the `scanner` field: the exception scanner's buffering bounds.
    pub fn scanner(mut self, limits: ScannerLimits) -> Self {
        self.scanner = limits;
        self
    }
}

/// What the parser found next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseEvent {
    /// The final (non-1xx) response head. Always the first event.
    Head(Box<ResponseHead>),
    /// A piece of body data (transfer framing removed, exception markers never included).
    Data(Bytes),
    /// The body is complete and no exception was found.
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Head,
    Length(u64),
    ChunkSize,
    ChunkData(u64),
    ChunkDataEnd,
    Trailers,
    UntilClose,
    /// The outcome is decided; only queued data and the final event remain.
    Finishing,
    Done,
    Failed,
}

/// Collects the body of a failure response to turn it into an error.
#[derive(Debug)]
struct FailureBody {
    status: StatusCode,
    code: Option<i32>,
    body: BytesMut,
}

/// Appends `data` to `body`, keeping only the last `max` bytes (trimmed once the buffer is
/// twice that, so each byte is moved at most once).
fn keep_tail(body: &mut BytesMut, data: &[u8], max: usize) {
    body.extend_from_slice(&data[data.len().saturating_sub(max)..]);
    if body.len() > max.saturating_mul(2) {
        let _ = body.split_to(body.len() - max);
    }
}

/// Parses one HTTP/1.x response (see the module docs).
#[derive(Debug)]
pub struct HttpResponseParser {
    config: ResponseConfig,
    /// Bytes being parsed; always ahead of `input` in the stream.
    buf: BytesMut,
    /// Adopted input ([`feed_bytes`](Self::feed_bytes)): body data is sliced out of it without
    /// copying; only framing lines and heads move (a little at a time) into `buf`.
    input: Bytes,
    eof: bool,
    state: State,
    /// Where to resume looking for the end of the head.
    head_scan_from: usize,
    trailer_bytes: usize,
    trailers: HeaderMap,
    keep_alive: bool,
    /// Whether the body ended exactly where its framing said (so the connection is in sync).
    framing_complete: bool,
    failure: Option<FailureBody>,
    scanner: Option<ExceptionScanner>,
    pending: Option<Result<ResponseEvent, HttpError>>,
}

enum Step {
    Event(ResponseEvent),
    NeedMore,
    Continue,
}

impl Default for HttpResponseParser {
    fn default() -> Self {
        HttpResponseParser::new(ResponseConfig::default())
    }
}

impl HttpResponseParser {
    /// A parser for one response, bounded by `config`.
    pub fn new(config: ResponseConfig) -> HttpResponseParser {
        HttpResponseParser {
            config,
            buf: BytesMut::new(),
            input: Bytes::new(),
            eof: false,
            state: State::Head,
            head_scan_from: 0,
            trailer_bytes: 0,
            trailers: HeaderMap::new(),
            keep_alive: false,
            framing_complete: false,
            failure: None,
            scanner: None,
            pending: None,
        }
    }

    /// Appends bytes received from the connection. Ignored after [`feed_eof`](Self::feed_eof).
    pub fn feed(&mut self, data: &[u8]) {
        if !self.eof {
            self.absorb_input();
            self.buf.extend_from_slice(data);
        }
    }

    /// Appends received bytes without copying them: body data in `data` reaches
    /// [`ResponseEvent::Data`] as slices of it. For a caller that reads into buffers it owns
    /// (and recycles when the slices are dropped). Ignored after [`feed_eof`](Self::feed_eof).
    pub fn feed_bytes(&mut self, data: Bytes) {
        if self.eof || data.is_empty() {
            return;
        }
        // `buf` (a partial line, say) stays ahead of the new input.
        self.absorb_input();
        self.input = data;
    }

    /// Moves all adopted input into `buf` (keeps the byte order when copying input follows).
    fn absorb_input(&mut self) {
        if !self.input.is_empty() {
            self.buf.extend_from_slice(&self.input);
            self.input.clear();
        }
    }

    /// Moves the next few adopted bytes into `buf` for the line and head parsers; false when
    /// there were none.
    fn refill(&mut self) -> bool {
        /// Enough for any chunk-size line at once; heads take a few rounds.
        const STEP: usize = 4096;
        if self.input.is_empty() {
            return false;
        }
        let piece = self.input.split_to(STEP.min(self.input.len()));
        self.buf.extend_from_slice(&piece);
        true
    }

    /// The peer closed the connection: ends a close-delimited body, and turns an incomplete
    /// response into [`HttpError::Truncated`].
    pub fn feed_eof(&mut self) {
        self.eof = true;
    }

    /// The input buffer, for reading from the connection straight into it (e.g. with a
    /// runtime's `read_buf`) instead of [`feed`](Self::feed), saving a copy. Only append.
    pub fn input_buffer(&mut self) -> &mut BytesMut {
        self.absorb_input();
        &mut self.buf
    }

    /// Trailer fields of a chunked body (available after `End`).
    pub fn trailers(&self) -> &HeaderMap {
        &self.trailers
    }

    /// Whether the connection can carry the next request: the response ended cleanly where its
    /// framing said, the server allows keep-alive, and no stray bytes followed.
    pub fn is_reusable(&self) -> bool {
        self.framing_complete
            && self.keep_alive
            && matches!(self.state, State::Done | State::Failed)
            && self.buf.is_empty()
            && self.input.is_empty()
            && !self.eof
    }

    /// Hands the mid-stream exception scanner over to the caller, which then scans the body
    /// data itself, e.g. off the event loop (feeding it every `Data` event and calling
    /// `finish` when the body ends); from here on the parser passes body data through
    /// unscanned. `None` when there is none: an encoded body, a failure status, or taken
    /// already.
    pub fn take_exception_scanner(&mut self) -> Option<ExceptionScanner> {
        self.scanner.take()
    }

    /// Whether the response is finished (after `End` or an error).
    pub fn is_finished(&self) -> bool {
        matches!(self.state, State::Done | State::Failed)
    }

    /// The next event, `Ok(None)` when more input is needed (or after `End`).
    /// An `Err` ends the response: later calls return [`HttpError::Finished`].
    pub fn next_event(&mut self) -> Result<Option<ResponseEvent>, HttpError> {
        loop {
            if let Some(d) = self.scanner.as_mut().and_then(ExceptionScanner::pop) {
                return Ok(Some(ResponseEvent::Data(d)));
            }
            if let Some(outcome) = self.pending.take() {
                self.state = if outcome.is_ok() {
                    State::Done
                } else {
                    State::Failed
                };
                return outcome.map(Some);
            }
            match self.state {
                State::Done => return Ok(None),
                State::Failed => return Err(HttpError::Finished),
                _ => {}
            }
            match self.step() {
                Ok(Step::Event(ev)) => return Ok(Some(ev)),
                Ok(Step::NeedMore) => return Ok(None),
                Ok(Step::Continue) => {}
                Err(e) => self.fail(e),
            }
        }
    }

    fn fail(&mut self, e: HttpError) {
        self.keep_alive = false;
        self.framing_complete = false;
        self.pending = Some(Err(e));
        self.state = State::Finishing;
    }

    fn step(&mut self) -> Result<Step, HttpError> {
        match self.state {
            State::Head => self.parse_head(),
            State::Length(0) => {
                self.body_complete();
                Ok(Step::Continue)
            }
            State::Length(n) | State::ChunkData(n) => {
                let data = if !self.buf.is_empty() {
                    let take = n.min(self.buf.len() as u64);
                    self.buf.split_to(take as usize).freeze()
                } else if !self.input.is_empty() {
                    let take = n.min(self.input.len() as u64);
                    self.input.split_to(take as usize)
                } else {
                    return self.need_more_or_truncated("body");
                };
                let take = data.len() as u64;
                let left = n - take;
                self.state = match self.state {
                    State::Length(_) => State::Length(left),
                    _ if left == 0 => State::ChunkDataEnd,
                    _ => State::ChunkData(left),
                };
                Ok(self.on_body(data))
            }
            State::ChunkSize => {
                let Some(line) = self.take_line("chunk size line")? else {
                    return self.need_more_or_truncated("chunked body");
                };
                let size = parse_chunk_size(&line)?;
                self.state = if size == 0 {
                    State::Trailers
                } else {
                    State::ChunkData(size)
                };
                Ok(Step::Continue)
            }
            State::ChunkDataEnd => {
                match self.buf.first() {
                    None => return self.need_more_or_truncated("chunked body"),
                    Some(b'\n') => self.buf.advance(1),
                    Some(b'\r') => match self.buf.get(1) {
                        None => return self.need_more_or_truncated("chunked body"),
                        Some(b'\n') => self.buf.advance(2),
                        Some(_) => return Err(malformed("missing CRLF after chunk data")),
                    },
                    Some(_) => return Err(malformed("missing CRLF after chunk data")),
                }
                self.state = State::ChunkSize;
                Ok(Step::Continue)
            }
            State::Trailers => {
                let Some(line) = self.take_line("trailer")? else {
                    return self.need_more_or_truncated("chunked body trailers");
                };
                if line.is_empty() {
                    self.body_complete();
                    return Ok(Step::Continue);
                }
                self.trailer_bytes += line.len() + 2;
                if self.trailer_bytes > self.config.max_head_size {
                    return Err(HttpError::HeadTooLarge {
                        limit: self.config.max_head_size,
                    });
                }
                let (name, value) = split_field(&line)?;
                append_field(&mut self.trailers, name, value, self.config.max_headers)?;
                Ok(Step::Continue)
            }
            State::UntilClose => {
                if !self.buf.is_empty() {
                    let data = self.buf.split().freeze();
                    return Ok(self.on_body(data));
                }
                if !self.input.is_empty() {
                    let data = std::mem::take(&mut self.input);
                    return Ok(self.on_body(data));
                }
                if self.eof {
                    self.body_complete();
                    // The close is the framing; the connection is gone either way.
                    self.keep_alive = false;
                    return Ok(Step::Continue);
                }
                Ok(Step::NeedMore)
            }
            State::Finishing | State::Done | State::Failed => Ok(Step::NeedMore),
        }
    }

    fn need_more_or_truncated(&mut self, what: &'static str) -> Result<Step, HttpError> {
        if self.refill() {
            return Ok(Step::Continue);
        }
        if !self.eof {
            return Ok(Step::NeedMore);
        }
        self.body_truncated(what);
        Ok(Step::Continue)
    }

    /// Takes one `\n`-terminated line (without the line end) from the buffer.
    fn take_line(&mut self, what: &'static str) -> Result<Option<BytesMut>, HttpError> {
        let limit = if what == "trailer" {
            self.config.max_head_size
        } else {
            self.config.max_chunk_line
        };
        match self.buf.iter().position(|&b| b == b'\n') {
            Some(pos) if pos <= limit => {
                let mut line = self.buf.split_to(pos + 1);
                line.truncate(pos);
                if line.last() == Some(&b'\r') {
                    line.truncate(pos - 1);
                }
                Ok(Some(line))
            }
            Some(_) => Err(malformed(&format!("{what} too long"))),
            None if self.buf.len() > limit => Err(malformed(&format!("{what} too long"))),
            None => Ok(None),
        }
    }

    fn parse_head(&mut self) -> Result<Step, HttpError> {
        let limit = self.config.max_head_size;
        let Some(head_len) = find_head_end(&self.buf, self.head_scan_from) else {
            if self.buf.len() > limit {
                return Err(HttpError::HeadTooLarge { limit });
            }
            self.head_scan_from = self.buf.len().saturating_sub(3);
            if self.refill() {
                return Ok(Step::Continue);
            }
            if self.eof {
                return Err(if self.buf.is_empty() {
                    HttpError::NoResponse
                } else {
                    HttpError::Truncated("response head")
                });
            }
            return Ok(Step::NeedMore);
        };
        if head_len > limit {
            return Err(HttpError::HeadTooLarge { limit });
        }
        let raw = self.buf.split_to(head_len);
        self.head_scan_from = 0;
        let (version, status, headers) = parse_head_bytes(&raw, self.config.max_headers)?;
        if status.is_informational() {
            if status == StatusCode::SWITCHING_PROTOCOLS {
                return Err(malformed("unexpected 101 Switching Protocols"));
            }
            // 100 Continue and friends precede the real response.
            return Ok(Step::Continue);
        }
        let framing = body_framing(&headers, status, self.config.head_request)?;
        let head = ResponseHead::from_parts(version, status, headers, framing);
        self.keep_alive = head.keep_alive;
        let plain_text = !self.config.body_encoded && head.content_encoding().is_none();
        if head.is_failure() && plain_text {
            self.failure = Some(FailureBody {
                status,
                code: head.exception_code,
                body: BytesMut::new(),
            });
        } else if plain_text && status.is_success() {
            self.scanner = Some(ExceptionScanner::with_limits(
                head.exception_tag.as_deref(),
                self.config.scanner,
            ));
        }
        self.state = match framing {
            BodyFraming::Empty => State::Length(0),
            BodyFraming::Length(n) => State::Length(n),
            BodyFraming::Chunked => State::ChunkSize,
            BodyFraming::UntilClose => State::UntilClose,
        };
        Ok(Step::Event(ResponseEvent::Head(Box::new(head))))
    }

    fn on_body(&mut self, data: Bytes) -> Step {
        if let Some(f) = &mut self.failure {
            keep_tail(&mut f.body, &data, self.config.max_error_body);
            return Step::Continue;
        }
        if let Some(scanner) = &mut self.scanner {
            if let Some(e) = scanner.push(data) {
                // The server breaks the framing after a mid-stream exception.
                self.keep_alive = false;
                self.pending = Some(Err(HttpError::MidStream(e)));
                self.state = State::Finishing;
            }
            return Step::Continue;
        }
        Step::Event(ResponseEvent::Data(data))
    }

    fn body_complete(&mut self) {
        self.framing_complete = true;
        self.state = State::Finishing;
        self.pending = Some(self.outcome(None));
    }

    fn body_truncated(&mut self, what: &'static str) {
        self.keep_alive = false;
        self.state = State::Finishing;
        self.pending = Some(self.outcome(Some(what)));
    }

    fn outcome(&mut self, truncated: Option<&'static str>) -> Result<ResponseEvent, HttpError> {
        if let Some(mut f) = self.failure.take() {
            let max = self.config.max_error_body;
            if f.body.len() > max {
                let _ = f.body.split_to(f.body.len() - max);
            }
            // A cut failure body still says why the query failed: report that.
            return Err(match ServerException::from_body(&f.body, f.code) {
                Some(exception) => HttpError::Server {
                    status: f.status,
                    exception,
                },
                None => HttpError::Status {
                    status: f.status,
                    body: String::from_utf8_lossy(&f.body).into_owned(),
                },
            });
        }
        if let Some(scanner) = &mut self.scanner {
            if let Some(e) = scanner.finish() {
                self.keep_alive = false;
                return Err(HttpError::MidStream(e));
            }
        }
        match truncated {
            Some(what) => Err(HttpError::Truncated(what)),
            None => Ok(ResponseEvent::End),
        }
    }
}

fn malformed(what: &str) -> HttpError {
    HttpError::Malformed(what.to_owned())
}

/// Length of the head including its blank line, searching from `from`.
fn find_head_end(buf: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(off) = buf.get(i..)?.iter().position(|&b| b == b'\n') {
        let nl = i + off;
        let rest = &buf[nl + 1..];
        if rest.first() == Some(&b'\n') {
            return Some(nl + 2);
        }
        if rest.starts_with(b"\r\n") {
            return Some(nl + 3);
        }
        i = nl + 1;
    }
    None
}

fn parse_head_bytes(
    raw: &[u8],
    max_headers: usize,
) -> Result<(Version, StatusCode, HeaderMap), HttpError> {
    // Most heads fit the stack array; ClickHouse progress headers can make a head arbitrarily
    // long, so on overflow retry with room for one header per line (an exact upper bound),
    // once the line count shows the head may be within `max_headers`.
    let mut small = [httparse::EMPTY_HEADER; 64];
    let mut resp = httparse::Response::new(&mut small);
    match resp.parse(raw) {
        Ok(_) => head_from_httparse(&resp, max_headers),
        Err(httparse::Error::TooManyHeaders) => {
            let lines = raw.iter().filter(|&&b| b == b'\n').count();
            // The status line and the blank line end with a line feed too.
            if lines.saturating_sub(2) > max_headers {
                return Err(HttpError::TooManyHeaders { limit: max_headers });
            }
            let mut big = vec![httparse::EMPTY_HEADER; lines];
            let mut resp = httparse::Response::new(&mut big);
            resp.parse(raw)
                .map_err(|e| malformed(&format!("response head: {e}")))?;
            head_from_httparse(&resp, max_headers)
        }
        Err(e) => Err(malformed(&format!("response head: {e}"))),
    }
}

/// Appends a header or trailer field, refusing the one beyond `max` (and whatever
/// `HeaderMap` cannot hold, whatever `max` says).
fn append_field(
    map: &mut HeaderMap,
    name: HeaderName,
    value: HeaderValue,
    max: usize,
) -> Result<(), HttpError> {
    let too_many = HttpError::TooManyHeaders { limit: max };
    if map.len() >= max {
        return Err(too_many);
    }
    map.try_append(name, value).map_err(|_| too_many)?;
    Ok(())
}

fn head_from_httparse(
    resp: &httparse::Response<'_, '_>,
    max_headers: usize,
) -> Result<(Version, StatusCode, HeaderMap), HttpError> {
    let version = match resp.version {
        Some(0) => Version::HTTP_10,
        Some(1) => Version::HTTP_11,
        _ => return Err(malformed("unsupported HTTP version")),
    };
    let status = resp
        .code
        .and_then(|c| StatusCode::from_u16(c).ok())
        .ok_or_else(|| malformed("bad status code"))?;
    // Capacity is only a hint: `HeaderMap` panics on large ones, and grows as needed.
    let mut headers = HeaderMap::with_capacity(resp.headers.len().min(1024));
    for h in resp.headers.iter() {
        let name = HeaderName::from_bytes(h.name.as_bytes())
            .map_err(|_| malformed(&format!("bad header name {:?}", h.name)))?;
        let value = HeaderValue::from_bytes(h.value)
            .map_err(|_| malformed(&format!("bad value for header {}", h.name)))?;
        append_field(&mut headers, name, value, max_headers)?;
    }
    Ok((version, status, headers))
}

fn body_framing(
    headers: &HeaderMap,
    status: StatusCode,
    head_request: bool,
) -> Result<BodyFraming, HttpError> {
    if head_request || status == StatusCode::NO_CONTENT || status == StatusCode::NOT_MODIFIED {
        return Ok(BodyFraming::Empty);
    }
    let mut te_last_chunked = None;
    for v in headers.get_all(http::header::TRANSFER_ENCODING) {
        let v = v.to_str().map_err(|_| malformed("bad Transfer-Encoding"))?;
        for coding in v.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            te_last_chunked = Some(coding.eq_ignore_ascii_case("chunked"));
        }
    }
    match te_last_chunked {
        Some(true) => return Ok(BodyFraming::Chunked),
        // A transfer coding other than chunked last: only the close delimits the body.
        Some(false) => return Ok(BodyFraming::UntilClose),
        None => {}
    }
    let mut length = None;
    for v in headers.get_all(http::header::CONTENT_LENGTH) {
        let v = v.to_str().map_err(|_| malformed("bad Content-Length"))?;
        for part in v.split(',') {
            let part = part.trim();
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(malformed("bad Content-Length"));
            }
            let n: u64 = part.parse().map_err(|_| malformed("bad Content-Length"))?;
            if length.is_some_and(|l| l != n) {
                return Err(malformed("conflicting Content-Length values"));
            }
            length = Some(n);
        }
    }
    Ok(match length {
        Some(n) => BodyFraming::Length(n),
        None => BodyFraming::UntilClose,
    })
}

/// `hex-size [; ext...]`, optional whitespace before the extensions.
fn parse_chunk_size(line: &[u8]) -> Result<u64, HttpError> {
    let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if digits == 0 || digits > 16 {
        return Err(malformed("bad chunk size"));
    }
    let rest = &line[digits..];
    let rest = &rest[rest
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count()..];
    if !rest.is_empty() && rest[0] != b';' {
        return Err(malformed("bad chunk size"));
    }
    let text = std::str::from_utf8(&line[..digits]).map_err(|_| malformed("bad chunk size"))?;
    u64::from_str_radix(text, 16).map_err(|_| malformed("bad chunk size"))
}

fn split_field(line: &[u8]) -> Result<(HeaderName, HeaderValue), HttpError> {
    let colon = line
        .iter()
        .position(|&b| b == b':')
        .ok_or_else(|| malformed("bad trailer field"))?;
    let name = HeaderName::from_bytes(&line[..colon]).map_err(|_| malformed("bad trailer name"))?;
    let value = line[colon + 1..].trim_ascii();
    let value = HeaderValue::from_bytes(value).map_err(|_| malformed("bad trailer value"))?;
    Ok((name, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `input` in pieces split at `cuts`, collecting events until the outcome.
    fn run(input: &[u8], cuts: &[usize], eof: bool) -> (Vec<ResponseEvent>, Option<HttpError>) {
        let mut p = HttpResponseParser::default();
        let mut events = Vec::new();
        let mut last = 0;
        let mut bounds: Vec<usize> = cuts.to_vec();
        bounds.push(input.len());
        for (i, &b) in bounds.iter().enumerate() {
            p.feed(&input[last..b]);
            last = b;
            if eof && i == bounds.len() - 1 {
                p.feed_eof();
            }
            loop {
                match p.next_event() {
                    Ok(Some(ev)) => events.push(ev),
                    Ok(None) => break,
                    Err(e) => return (events, Some(e)),
                }
            }
        }
        (events, None)
    }

    fn data_of(events: &[ResponseEvent]) -> Vec<u8> {
        let mut out = Vec::new();
        for e in events {
            if let ResponseEvent::Data(d) = e {
                out.extend_from_slice(d);
            }
        }
        out
    }

    #[test]
    fn chunked_with_extensions_and_trailers_at_every_split() {
        let input = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-ClickHouse-Exception-Tag: ABCDEFGHIJKLMNOP\r\n\r\n5;ext=1\r\nhello\r\n6 ; a=\"b\"\r\n world\r\n0\r\nX-Trailer: yes\r\n\r\n";
        for cut in 0..=input.len() {
            let (events, err) = run(input, &[cut], false);
            assert_eq!(err, None);
            assert_eq!(data_of(&events), b"hello world");
            assert_eq!(events.last(), Some(&ResponseEvent::End));
            let ResponseEvent::Head(h) = &events[0] else {
                panic!()
            };
            assert_eq!(h.status, StatusCode::OK);
            assert!(h.keep_alive);
        }
        let mut p = HttpResponseParser::default();
        p.feed(input);
        while let Ok(Some(_)) = p.next_event() {}
        assert_eq!(p.trailers()["x-trailer"], "yes");
        assert!(p.is_reusable());
    }

    /// `lines` header (or trailer) lines, named `x-same` or each its own name.
    fn fields(lines: usize, distinct: bool) -> Vec<u8> {
        let mut out = Vec::new();
        for i in 0..lines {
            if distinct {
                out.extend_from_slice(format!("x-h{i}: v\r\n").as_bytes());
            } else {
                out.extend_from_slice(b"x-same: v\r\n");
            }
        }
        out
    }

    /// The outcome of `input` fed whole and split at several positions, which must agree.
    fn outcome_at_splits(input: &[u8]) -> (Vec<ResponseEvent>, Option<HttpError>) {
        let whole = run(input, &[], true);
        let n = input.len();
        for cuts in [
            vec![1],
            vec![n / 3, n / 2],
            vec![n - 5, n - 1],
            vec![4096, 8193],
        ] {
            let (events, err) = run(input, &cuts, true);
            assert_eq!(err, whole.1, "cuts {cuts:?}");
            assert_eq!(data_of(&events), data_of(&whole.0), "cuts {cuts:?}");
        }
        whole
    }

    #[test]
    fn header_count_is_bounded() {
        let limit = ResponseConfig::default().max_headers;
        // Far under the 1 MiB head cap; `HeaderMap` alone panics on such heads.
        for (lines, distinct) in [(32_000, false), (32_000, true), (40_000, true)] {
            let mut input = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n".to_vec();
            input.extend_from_slice(&fields(lines, distinct));
            input.extend_from_slice(b"\r\n");
            assert!(input.len() < 1 << 20);
            let (events, err) = outcome_at_splits(&input);
            assert!(events.is_empty());
            assert_eq!(err, Some(HttpError::TooManyHeaders { limit }));
        }
        // At the limit (the length header counts) the head is accepted.
        let mut input = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n".to_vec();
        input.extend_from_slice(&fields(limit - 1, true));
        input.extend_from_slice(b"\r\nok");
        let (events, err) = outcome_at_splits(&input);
        assert_eq!(err, None);
        let ResponseEvent::Head(h) = &events[0] else {
            panic!("{:?}", events[0])
        };
        assert_eq!(h.headers.len(), limit);
        assert_eq!(data_of(&events), b"ok");
    }

    #[test]
    fn trailer_count_is_bounded() {
        let limit = ResponseConfig::default().max_headers;
        let body = |lines: usize, distinct: bool| {
            let mut input =
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n".to_vec();
            input.extend_from_slice(&fields(lines, distinct));
            input.extend_from_slice(b"\r\n");
            input
        };
        for (lines, distinct) in [(40_000, true), (40_000, false)] {
            let (_, err) = outcome_at_splits(&body(lines, distinct));
            assert_eq!(err, Some(HttpError::TooManyHeaders { limit }));
        }
        let input = body(limit, true);
        let (events, err) = outcome_at_splits(&input);
        assert_eq!(err, None);
        assert_eq!(events.last(), Some(&ResponseEvent::End));
        let mut p = HttpResponseParser::default();
        p.feed(&input);
        while let Ok(Some(_)) = p.next_event() {}
        assert_eq!(p.trailers().len(), limit);
        // A configured limit applies to both.
        let mut p = HttpResponseParser::new(ResponseConfig::default().max_headers(3));
        p.feed(&body(4, true));
        let mut last = Ok(None);
        for _ in 0..10 {
            last = p.next_event();
            if last.is_err() {
                break;
            }
        }
        assert_eq!(last, Err(HttpError::TooManyHeaders { limit: 3 }));
    }

    #[test]
    fn content_length_and_truncation() {
        let input = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        let (events, err) = run(input, &[], false);
        assert_eq!(err, None);
        assert_eq!(data_of(&events), b"hello");
        let (_, err) = run(&input[..input.len() - 1], &[], true);
        assert_eq!(err, Some(HttpError::Truncated("body")));
        let (_, err) = run(b"HTTP/1.1 200 OK\r\nContent-Le", &[], true);
        assert_eq!(err, Some(HttpError::Truncated("response head")));
        let (_, err) = run(b"", &[], true);
        assert_eq!(err, Some(HttpError::NoResponse));
        let (_, err) = run(
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            &[],
            false,
        );
        assert!(matches!(err, Some(HttpError::Malformed(_))));
    }

    #[test]
    fn until_close_http10() {
        let input = b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\nabc";
        let (events, err) = run(input, &[20], true);
        assert_eq!(err, None);
        assert_eq!(data_of(&events), b"abc");
        let ResponseEvent::Head(h) = &events[0] else {
            panic!()
        };
        assert!(!h.keep_alive, "close-delimited body never allows reuse");
        let (events, _) = run(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", &[], false);
        let ResponseEvent::Head(h) = &events[0] else {
            panic!()
        };
        assert!(!h.keep_alive, "HTTP/1.0 defaults to close");
    }

    #[test]
    fn head_limit_and_many_headers() {
        let mut input = b"HTTP/1.1 200 OK\r\n".to_vec();
        for i in 0..1000 {
            input.extend_from_slice(
                format!("X-ClickHouse-Progress: {{\"read_rows\":\"{i}\"}}\r\n").as_bytes(),
            );
        }
        input.extend_from_slice(b"Content-Length: 0\r\n\r\n");
        let (events, err) = run(&input, &[], false);
        assert_eq!(err, None);
        let ResponseEvent::Head(h) = &events[0] else {
            panic!()
        };
        assert_eq!(h.progress.len(), 1000);
        assert_eq!(h.progress[999].read_rows, 999);
        let mut p = HttpResponseParser::new(ResponseConfig::default().max_head_size(1000));
        p.feed(&input);
        assert_eq!(p.next_event(), Err(HttpError::HeadTooLarge { limit: 1000 }));
        assert_eq!(p.next_event(), Err(HttpError::Finished));
    }

    #[test]
    fn failure_with_proxy_body() {
        let input = b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 3\r\n\r\nbad";
        let (_, err) = run(input, &[], false);
        assert_eq!(
            err,
            Some(HttpError::Status {
                status: StatusCode::BAD_GATEWAY,
                body: "bad".into()
            })
        );
    }

    /// A 500 whose body is the rows written before the failure (binary Native) and then the
    /// exception: the error is the exception, whatever the size of the data before it.
    #[test]
    fn failure_body_with_data_before_the_exception() {
        let text = "Code: 395. DB::Exception: Value passed to 'throwIf' function is non-zero. \
                    (FUNCTION_THROW_IF_VALUE_IS_NON_ZERO) (version 26.9.2.1)\n";
        for data_len in [10usize, 5000, 300_000] {
            let mut body: Vec<u8> = (0..data_len).map(|i| (i % 251) as u8).collect();
            body.extend_from_slice(text.as_bytes());
            let mut input = format!(
                "HTTP/1.1 500 Internal Server Error\r\nX-ClickHouse-Exception-Code: 395\r\n\
                 Content-Length: {}\r\n\r\n",
                body.len()
            )
            .into_bytes();
            input.extend_from_slice(&body);
            let mut p = HttpResponseParser::new(ResponseConfig::default().max_error_body(4096));
            let mut err = None;
            'feed: for piece in input.chunks(1000) {
                p.feed(piece);
                loop {
                    match p.next_event() {
                        Ok(Some(ResponseEvent::End)) => panic!("no error"),
                        Ok(Some(_)) => {}
                        Ok(None) => break,
                        Err(e) => {
                            err = Some(e);
                            break 'feed;
                        }
                    }
                }
            }
            let Some(err) = err else { panic!("no error") };
            let HttpError::Server { exception, .. } = err else {
                panic!("{err:?}")
            };
            assert_eq!(exception.code, 395);
            assert_eq!(
                exception.name.as_deref(),
                Some("FUNCTION_THROW_IF_VALUE_IS_NON_ZERO")
            );
            assert_eq!(
                exception.message,
                "Value passed to 'throwIf' function is non-zero."
            );
        }
    }

    #[test]
    fn untagged_servers() {
        // Legacy: exception text appended, body terminated normally.
        let body = "1\n2\nCode: 159. DB::Exception: Timeout exceeded: elapsed 0.1 seconds. (TIMEOUT_EXCEEDED) (version 22.9.1.1)\n";
        let input = format!(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n",
            body.len()
        );
        for cut in 0..=input.len() {
            let (events, err) = run(input.as_bytes(), &[cut], false);
            assert_eq!(data_of(&events), b"1\n2\n");
            let Some(HttpError::MidStream(e)) = err else {
                panic!("{err:?}")
            };
            assert_eq!(e.code, 159);
        }
        // Bare marker (25.x), framing cut.
        let body = "0\n__exception__\nCode: 395. DB::Exception: boom (FUNCTION_THROW_IF_VALUE_IS_NON_ZERO) (version 25.1.6.34 (official build))\n";
        let input = format!(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{body}\r\n",
            body.len()
        );
        for cut in 0..=input.len() {
            let (events, err) = run(input.as_bytes(), &[cut], true);
            assert_eq!(data_of(&events), b"0");
            let Some(HttpError::MidStream(e)) = err else {
                panic!("{err:?}")
            };
            assert_eq!((e.code, e.message.as_str()), (395, "boom"));
        }
        // No exception: all data arrives, just later.
        let input = b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nCode: 1 row";
        let (events, err) = run(input, &[], false);
        assert_eq!(err, None);
        assert_eq!(data_of(&events), b"Code: 1 row");
        assert_eq!(events.last(), Some(&ResponseEvent::End));
    }

    /// Garbage in any position yields events or a typed error, never a panic; random binary
    /// bodies without a marker come out unchanged.
    #[test]
    fn random_input_never_panics() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..300 {
            let len = (next() % 600) as usize;
            let body: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            let mut input = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
            input.extend_from_slice(format!("{len:x}\r\n").as_bytes());
            input.extend_from_slice(&body);
            input.extend_from_slice(b"\r\n0\r\n\r\n");
            let cut = (next() as usize) % (input.len() + 1);
            let (events, err) = run(&input, &[cut], true);
            if len > 0 {
                assert_eq!(err, None, "round {round}");
                assert_eq!(data_of(&events), body);
            }
            // Corrupt one byte anywhere.
            let pos = (next() as usize) % input.len();
            input[pos] = next() as u8;
            let _ = run(&input, &[cut], true);
            let _ = run(&input[..pos], &[], true);
        }
    }

    #[test]
    fn chunk_size_lines() {
        assert_eq!(parse_chunk_size(b"1a").unwrap(), 26);
        assert_eq!(parse_chunk_size(b"1A;x=y").unwrap(), 26);
        assert!(parse_chunk_size(b"").is_err());
        assert!(parse_chunk_size(b"zz").is_err());
        assert!(parse_chunk_size(b"1 x").is_err());
        assert!(parse_chunk_size(b"11111111111111111").is_err());
    }
}
