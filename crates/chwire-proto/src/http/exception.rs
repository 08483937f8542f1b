//! Server exceptions: parsing the `Code: N. DB::Exception: …` text, and finding an exception the
//! server wrote into the body after it had already committed a 2xx status.
//!
//! Once ClickHouse has sent the head and some data, an error can only be reported inside the
//! body. Servers have done that in three ways, all handled by [`ExceptionScanner`]:
//!
//! 1. **Tagged** (25.11+, every response carries `X-ClickHouse-Exception-Tag: <token>`):
//!    `\r\n__exception__\r\n<token>\r\n<message>\n<len> <token>\r\n__exception__\r\n`, after which
//!    the server breaks the HTTP framing (closes without the chunked terminator). The random
//!    token makes a false match in data practically impossible, so it is matched anywhere.
//! 2. **Bare marker** (some 25.x releases): `__exception__\n` (or `\r\n`) followed by
//!    `Code: …` text until the connection closes. Matched anywhere, but only together with the
//!    `Code: ` that must follow it, and only when the server sent no tag.
//! 3. **Legacy text** (older servers): `Code: NNN. DB::Exception: …` simply appended to the
//!    data, body terminated normally. Binary data can contain `Code: ` anywhere, so this form is
//!    only recognised at the very end of the body: the scanner holds back the data from the
//!    first line start where such an exception could still begin (a prefix of `Code: N.
//!    DB::Exception:` cut by the end of the data so far, or that whole opening, for at most
//!    [`ScannerLimits::legacy_tail`] bytes) and, when the body ends, takes an exception that
//!    starts there and runs to the end. Other data is released at once. Only used when the
//!    server sent no tag (a tag proves the server uses form 1).
//!
//! Not handled here: with `http_write_exception_in_output_format=1` (off by default since
//! 25.11) the exception is written by the output format itself (e.g. a `{"exception": …}` row in
//! JSON formats); that is the format decoder's business.
//!
//! With `compress=1` or HTTP `Content-Encoding`, the exception text is inside the compressed
//! stream: run a scanner over the *decompressed* bytes instead of the raw body.

use std::collections::VecDeque;

use memchr::memmem;

use bytes::{Bytes, BytesMut};

use crate::server::ServerException;

impl ServerException {
    /// Builds an exception from a failure body, using `header_code`
    /// (`X-ClickHouse-Exception-Code`) when the text is not in the server's usual shape.
    ///
    /// A server that fails before its first flush answers 500 with the result rows written so
    /// far (binary in Native) followed by the exception text: the text is taken from the first
    /// `Code: N. DB::Exception:` after the last binary byte, never the data before it.
    pub fn from_body(body: &[u8], header_code: Option<i32>) -> Option<ServerException> {
        let body = &body[exception_start(body).unwrap_or(0)..];
        let text = String::from_utf8_lossy(body);
        if let Some(mut e) = ServerException::parse(&text) {
            if let Some(code) = header_code {
                e.code = code;
            }
            return Some(e);
        }
        header_code.map(|code| ServerException::new(code, text.trim()))
    }
}

/// Bounds on what an [`ExceptionScanner`] buffers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScannerLimits {
    /// Longest legacy exception (form 3) detected at the end of an untagged body: data from a
    /// line start that opens one is held back up to this many bytes. 0 disables legacy
    /// detection.
    pub legacy_tail: usize,
    /// Longest exception message collected after a marker; longer text is cut.
    pub max_message: usize,
}

impl Default for ScannerLimits {
    fn default() -> Self {
        ScannerLimits {
            legacy_tail: 16 * 1024,
            max_message: 1 << 20,
        }
    }
}

/// Separates body data from an exception the server appended to it (see the module docs).
///
/// Push body bytes in with [`push`](Self::push), take clean data out with
/// [`pop`](Self::pop), call [`finish`](Self::finish) when the body ends (normally or not). Data
/// handed out never contains marker bytes: a read that ends with a possible marker prefix is
/// held back until the next bytes decide it (at most one marker length). Clean data is handed
/// out as slices of the pushed `Bytes`, not copies.
#[derive(Debug)]
pub struct ExceptionScanner {
    /// Byte sequences that open an exception. The tagged form has one; the untagged one has
    /// the bare marker variants.
    markers: Vec<Vec<u8>>,
    /// One SIMD substring searcher per marker, built once: every body byte is scanned.
    finders: Vec<memmem::Finder<'static>>,
    /// For the tagged form: ` <tag>\r\n__exception__\r\n`, which closes the message.
    closing: Option<Vec<u8>>,
    /// A suffix of the previous input that is a proper prefix of a marker.
    held: Bytes,
    /// After a marker: the exception text collected so far.
    collecting: Option<BytesMut>,
    /// Clean data withheld for legacy detection (untagged only).
    tail: VecDeque<Bytes>,
    tail_len: usize,
    /// Whether the byte just before `tail` is a line start (body start or after `\n`).
    tail_at_line_start: bool,
    out: VecDeque<Bytes>,
    limits: ScannerLimits,
    done: bool,
}

impl ExceptionScanner {
    /// A scanner for a body whose head carried `tag` (`X-ClickHouse-Exception-Tag`), or none.
    pub fn new(tag: Option<&str>) -> ExceptionScanner {
        ExceptionScanner::with_limits(tag, ScannerLimits::default())
    }

    /// Like [`ExceptionScanner::new`], with explicit bounds on what it buffers.
    pub fn with_limits(tag: Option<&str>, limits: ScannerLimits) -> ExceptionScanner {
        let (markers, closing, legacy) = match tag {
            Some(tag) => {
                let open = [b"\r\n__exception__\r\n", tag.as_bytes(), b"\r\n"].concat();
                let close = [b" ", tag.as_bytes(), b"\r\n__exception__\r\n"].concat();
                (vec![open], Some(close), false)
            }
            None => {
                let m = |s: &str| [s.as_bytes(), b"Code: "].concat();
                let variants = vec![
                    m("\r\n__exception__\r\n"),
                    m("\n__exception__\n"),
                    m("__exception__\r\n"),
                    m("__exception__\n"),
                ];
                (variants, None, true)
            }
        };
        let finders = markers
            .iter()
            .map(|m| memmem::Finder::new(m).into_owned())
            .collect();
        ExceptionScanner {
            markers,
            finders,
            closing,
            held: Bytes::new(),
            collecting: None,
            tail: VecDeque::new(),
            tail_len: 0,
            tail_at_line_start: true,
            out: VecDeque::new(),
            limits: ScannerLimits {
                legacy_tail: if legacy { limits.legacy_tail } else { 0 },
                ..limits
            },
            done: false,
        }
    }

    /// Whether a marker has been seen and the exception text is being collected: if the body
    /// ends now, the result is this exception, not a truncation.
    pub fn in_exception(&self) -> bool {
        self.collecting.is_some()
    }

    /// Next piece of clean data, if any.
    pub fn pop(&mut self) -> Option<Bytes> {
        self.out.pop_front()
    }

    /// Feeds body bytes. Returns the exception once one is complete (tagged form, or message cap
    /// reached); the scanner ignores input after that.
    pub fn push(&mut self, data: Bytes) -> Option<ServerException> {
        if self.done || data.is_empty() {
            return None;
        }
        if self.collecting.is_some() {
            return self.collect(&data);
        }
        let max_marker = self.markers.iter().map(Vec::len).max().unwrap_or(0);
        let mut data = data;
        if !self.held.is_empty() {
            let held = std::mem::take(&mut self.held);
            let h = held.len();
            let take = data.len().min(max_marker);
            let mut joined = Vec::with_capacity(h + take);
            joined.extend_from_slice(&held);
            joined.extend_from_slice(&data[..take]);
            match find_marker(&joined, &self.markers, &self.finders) {
                Some(Hit::Full(i, m)) if i < h => {
                    self.emit(held.slice(..i));
                    let after = i + self.markers[m].len() - h;
                    self.start_collecting();
                    return self.collect(&data[after..]);
                }
                Some(Hit::Partial(i)) if i < h => {
                    // Only possible when all of `data` fit in `joined`.
                    self.emit(held.slice(..i));
                    self.held = Bytes::from(joined[i..].to_vec());
                    return None;
                }
                _ => self.emit(held),
            }
        }
        match find_marker(&data, &self.markers, &self.finders) {
            Some(Hit::Full(i, m)) => {
                let after = data.split_off(i + self.markers[m].len());
                data.truncate(i);
                self.emit(data);
                self.start_collecting();
                self.collect(&after)
            }
            Some(Hit::Partial(i)) => {
                self.held = data.split_off(i);
                self.emit(data);
                None
            }
            None => {
                self.emit(data);
                None
            }
        }
    }

    /// The body ended (cleanly or not). Releases held-back data and returns the exception found
    /// in the body, if any. Call [`pop`](Self::pop) afterwards for the remaining clean data.
    pub fn finish(&mut self) -> Option<ServerException> {
        if self.done {
            return None;
        }
        self.done = true;
        if let Some(text) = self.collecting.take() {
            self.release_tail();
            return Some(self.exception_from(&text));
        }
        let held = std::mem::take(&mut self.held);
        if !held.is_empty() {
            self.emit(held);
        }
        let found = self.legacy_exception();
        self.release_tail();
        found
    }

    fn start_collecting(&mut self) {
        // The bare markers end with the `Code: ` that starts the exception text.
        self.collecting = Some(match self.closing {
            Some(_) => BytesMut::new(),
            None => BytesMut::from(&b"Code: "[..]),
        });
    }

    fn release_tail(&mut self) {
        self.out.extend(self.tail.drain(..));
        self.tail_len = 0;
    }

    /// Looks for a legacy `Code: N. DB::Exception:` text that starts on a line inside the held
    /// tail and runs to the end of the body; strips it from the tail.
    fn legacy_exception(&mut self) -> Option<ServerException> {
        if self.tail_len == 0 {
            return None;
        }
        let mut buf = Vec::with_capacity(self.tail_len);
        for piece in &self.tail {
            buf.extend_from_slice(piece);
        }
        let mut start = 0;
        while let Some(off) = find(&buf[start..], b"Code: ") {
            let p = start + off;
            let line_start = if p == 0 {
                self.tail_at_line_start
            } else {
                buf[p - 1] == b'\n'
            };
            if line_start && looks_like_exception(&buf[p..]) {
                let text = String::from_utf8_lossy(&buf[p..]);
                let e = ServerException::parse(&text)?;
                let keep = Bytes::from(buf).slice(..p);
                self.tail.clear();
                self.tail_len = 0;
                if !keep.is_empty() {
                    self.tail.push_back(keep);
                }
                return Some(e);
            }
            start = p + 1;
        }
        None
    }

    fn collect(&mut self, data: &[u8]) -> Option<ServerException> {
        let text = self.collecting.as_mut()?;
        let room = self.limits.max_message.saturating_sub(text.len());
        let old_len = text.len();
        text.extend_from_slice(&data[..data.len().min(room)]);
        let complete = match &self.closing {
            Some(close) => {
                // Only the new bytes (plus an overlap) can complete the closing sequence.
                let from = old_len.saturating_sub(close.len() - 1);
                find(&text[from..], close).map(|end| {
                    // `<message>\n<len>` precedes the closing; drop the length line.
                    let body = &text[..from + end];
                    body.iter().rposition(|&b| b == b'\n').unwrap_or(body.len())
                })
            }
            None => None,
        };
        let capped = data.len() > room;
        if complete.is_none() && !capped {
            return None;
        }
        let mut text = self.collecting.take()?;
        if let Some(cut) = complete {
            text.truncate(cut);
        }
        self.done = true;
        self.release_tail();
        Some(self.exception_from(&text))
    }

    fn exception_from(&self, text: &[u8]) -> ServerException {
        ServerException::from_body(text, None)
            .unwrap_or_else(|| ServerException::new(0, String::from_utf8_lossy(text).trim()))
    }

    /// Hands clean data on, through the legacy hold-back when enabled: only the data from the
    /// first line start where a legacy exception could still begin is held (a `Code: N.
    /// DB::Exception:` opening, or a prefix of one cut by the end of the data so far), so rows
    /// are not kept waiting for bytes that cannot change them.
    fn emit(&mut self, data: Bytes) {
        if data.is_empty() {
            return;
        }
        if self.limits.legacy_tail == 0 {
            self.out.push_back(data);
            return;
        }
        self.tail_len += data.len();
        self.tail.push_back(data);
        loop {
            let keep = self.legacy_start().unwrap_or(self.tail_len);
            self.release_front(keep);
            if self.tail_len <= self.limits.legacy_tail {
                return;
            }
            // Longer than the window: not detected as an exception, so it is data; look for
            // the next opening after its first byte.
            self.release_front(1);
        }
    }

    /// Offset in the held tail of the first line start where a legacy exception may begin.
    /// Only line starts followed by `Code: ` in the same piece, or near a piece's end (the
    /// rest is in the next one), need a closer look.
    fn legacy_start(&self) -> Option<usize> {
        let mut base = 0;
        let mut line_start = self.tail_at_line_start;
        for (i, piece) in self.tail.iter().enumerate() {
            if line_start && self.may_open_legacy(i, 0) {
                return Some(base);
            }
            let near_end = piece.len().saturating_sub(LEGACY_OPENING_MAX);
            let inner = LEGACY_LINE_FINDER
                .find_iter(piece)
                .take_while(|&n| n < near_end)
                .map(|n| n + 1);
            let edge = memchr::memchr_iter(b'\n', &piece[near_end..]).map(|n| near_end + n + 1);
            for start in inner.chain(edge) {
                if start < piece.len() && self.may_open_legacy(i, start) {
                    return Some(base + start);
                }
            }
            line_start = piece.last() == Some(&b'\n');
            base += piece.len();
        }
        None
    }

    /// Whether a legacy exception may begin at `start` of held piece `i` (its opening may run
    /// into the following pieces).
    fn may_open_legacy(&self, i: usize, start: usize) -> bool {
        let mut opening = [0u8; LEGACY_OPENING_MAX];
        let mut n = 0;
        let mut from = start;
        for piece in self.tail.iter().skip(i) {
            let take = (piece.len() - from).min(LEGACY_OPENING_MAX - n);
            opening[n..n + take].copy_from_slice(&piece[from..from + take]);
            n += take;
            from = 0;
            if n == LEGACY_OPENING_MAX {
                break;
            }
        }
        may_open_legacy(&opening[..n])
    }

    /// Hands the first `n` held bytes on as clean data.
    fn release_front(&mut self, mut n: usize) {
        while n > 0 {
            let Some(front) = self.tail.front_mut() else {
                return;
            };
            let piece = if front.len() <= n {
                self.tail.pop_front().unwrap_or_default()
            } else {
                front.split_to(n)
            };
            n -= piece.len();
            self.tail_len -= piece.len();
            self.tail_at_line_start = piece.last() == Some(&b'\n');
            self.out.push_back(piece);
        }
    }
}

/// Most bytes of a legacy exception's opening that decide whether it is one: `Code: `, up to
/// 10 digits, `, e.displayText() = DB::Exception:`.
const LEGACY_OPENING_MAX: usize = 6 + 10 + LEGACY_AFTER_CODE[1].len();

/// What follows the code in a legacy exception's opening.
const LEGACY_AFTER_CODE: [&[u8]; 2] = [b". DB::Exception:", b", e.displayText() = DB::Exception:"];

/// A line start followed by `Code: `: where a legacy exception inside a piece can begin.
static LEGACY_LINE_FINDER: std::sync::LazyLock<memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memmem::Finder::new(b"\nCode: "));

/// Whether `s`, the bytes from a line start to the end of the data so far (at most
/// [`LEGACY_OPENING_MAX`]), opens a legacy exception or may still turn out to.
fn may_open_legacy(s: &[u8]) -> bool {
    /// Whether `s` starts with `pattern`; `None` while undecided (`s` ends within it).
    fn starts(s: &[u8], pattern: &[u8]) -> Option<bool> {
        if s.len() >= pattern.len() {
            Some(s.starts_with(pattern))
        } else if pattern.starts_with(s) {
            None
        } else {
            Some(false)
        }
    }
    let rest = match starts(s, b"Code: ") {
        None => return true,
        Some(false) => return false,
        Some(true) => &s[6..],
    };
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits > 10 {
        return false;
    }
    if digits == rest.len() {
        return true;
    }
    if digits == 0 {
        return false;
    }
    let rest = &rest[digits..];
    LEGACY_AFTER_CODE
        .iter()
        .any(|p| starts(rest, p) != Some(false))
}

#[derive(Debug, PartialEq, Eq)]
enum Hit {
    /// Marker `.1` starts at `.0`.
    Full(usize, usize),
    /// `hay[.0..]` is a proper prefix of some marker.
    Partial(usize),
}

/// Earliest position where a marker starts, fully or cut off by the end of `hay`. A partial hit
/// precludes any later full one (a later start has even fewer bytes left); at the same position
/// a full hit wins.
///
/// Full hits come from `memmem` (SIMD, keyed on the markers' rarer bytes), so binary data full of
/// `\r`, `\n` and `_` bytes does not stop the scan at every candidate; partial hits can only
/// start in the last `longest marker - 1` bytes and are checked there directly.
fn find_marker(hay: &[u8], markers: &[Vec<u8>], finders: &[memmem::Finder<'_>]) -> Option<Hit> {
    let full = finders
        .iter()
        .enumerate()
        .filter_map(|(idx, f)| f.find(hay).map(|pos| (pos, idx)))
        .min();
    let longest = markers.iter().map(Vec::len).max().unwrap_or(0);
    let tail_start = hay.len().saturating_sub(longest.saturating_sub(1));
    let search_end = full.map_or(hay.len(), |(pos, _)| pos.max(tail_start));
    let partial = (tail_start..search_end).find(|&i| {
        let rest = &hay[i..];
        markers
            .iter()
            .any(|m| rest.len() < m.len() && m.starts_with(rest))
    });
    match (full, partial) {
        (_, Some(i)) => Some(Hit::Partial(i)),
        (Some((pos, idx)), None) => Some(Hit::Full(pos, idx)),
        (None, None) => None,
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Where the exception text of a failure body starts when data precedes it: the first
/// exception opening in the text after the last byte that text never holds (control bytes
/// other than tab and line ends). `None` when the body has no such opening there.
fn exception_start(body: &[u8]) -> Option<usize> {
    let text_from = body
        .iter()
        .rposition(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') || b == 0x7f)
        .map_or(0, |p| p + 1);
    let text = &body[text_from..];
    memmem::find_iter(text, b"Code: ")
        .find(|&p| looks_like_exception(&text[p..]))
        .map(|p| text_from + p)
}

/// `Code: <digits>. DB::Exception:` (or the old `, e.displayText() = DB::Exception:`).
fn looks_like_exception(s: &[u8]) -> bool {
    let Some(rest) = s.strip_prefix(b"Code: ") else {
        return false;
    };
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return false;
    }
    let rest = &rest[digits..];
    rest.starts_with(b". DB::Exception:") || rest.starts_with(b", e.displayText() = DB::Exception:")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition `find_marker` must match: scan every start position; at the first one
    /// where some marker matches fully (preferred) or is cut off by the end, stop.
    fn naive_find_marker(hay: &[u8], markers: &[Vec<u8>]) -> Option<Hit> {
        for i in 0..hay.len() {
            let rest = &hay[i..];
            if let Some(idx) = markers.iter().position(|m| rest.starts_with(m)) {
                return Some(Hit::Full(i, idx));
            }
            if markers
                .iter()
                .any(|m| rest.len() < m.len() && m.starts_with(rest))
            {
                return Some(Hit::Partial(i));
            }
        }
        None
    }

    #[test]
    fn find_marker_matches_the_naive_scan() {
        let tagged = ExceptionScanner::new(Some("abcdefghijklmnop"));
        let untagged = ExceptionScanner::new(None);
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for scanner in [&tagged, &untagged] {
            for _ in 0..3000 {
                let len = (next() % 120) as usize;
                let mut hay = Vec::with_capacity(len + 40);
                while hay.len() < len {
                    // Fragments of the markers among noise, so partial and full hits happen.
                    let m = &scanner.markers[(next() as usize) % scanner.markers.len()];
                    match next() % 4 {
                        0 => hay.extend_from_slice(m),
                        1 => hay.extend_from_slice(&m[..(next() as usize) % m.len()]),
                        2 => hay.push([b'\r', b'\n', b'_', b'C'][(next() % 4) as usize]),
                        _ => hay.push(next() as u8),
                    }
                }
                let expected = naive_find_marker(&hay, &scanner.markers);
                let got = find_marker(&hay, &scanner.markers, &scanner.finders);
                assert_eq!(
                    format!("{got:?}"),
                    format!("{expected:?}"),
                    "hay {:?}",
                    String::from_utf8_lossy(&hay)
                );
            }
        }
    }

    #[test]
    fn parse_exception_text() {
        let e = ServerException::parse(
            "Code: 62. DB::Exception: Syntax error: failed at position 7 (1): 1\n. Expected one of: end of query. (SYNTAX_ERROR) (version 26.9.2.1)\n",
        )
        .unwrap();
        assert_eq!(e.code, 62);
        assert_eq!(e.name.as_deref(), Some("SYNTAX_ERROR"));
        assert_eq!(e.version.as_deref(), Some("26.9.2.1"));
        assert_eq!(
            e.message,
            "Syntax error: failed at position 7 (1): 1\n. Expected one of: end of query."
        );
        let e = ServerException::parse(
            "Code: 60, e.displayText() = DB::Exception: Table default.wtf doesn't exist (version 21.3.1.1)",
        )
        .unwrap();
        assert_eq!(e.code, 60);
        assert_eq!(e.name, None);
        assert_eq!(e.message, "Table default.wtf doesn't exist");
        assert_eq!(ServerException::parse("<html>bad gateway</html>"), None);
        assert_eq!(
            ServerException::from_body(b"oops", Some(241)).unwrap().code,
            241
        );
        // Binary data before the text is not part of the message; an exception quoted inside
        // the message (all text) is.
        let nested = "Code: 1. DB::Exception: Received: Code: 2. DB::Exception: inner. (X)";
        let mut body = b"\x03\x10\x00\x01row\x00Code: 7. DB::Exception: no\x00".to_vec();
        body.extend_from_slice(nested.as_bytes());
        let got = ServerException::from_body(&body, Some(1)).unwrap();
        assert_eq!(got.code, 1);
        assert_eq!(got.message, "Received: Code: 2. DB::Exception: inner.");
        assert_eq!(
            e.to_string(),
            "Code: 60. DB::Exception: Table default.wtf doesn't exist"
        );
    }

    fn run(scanner: &mut ExceptionScanner, pieces: &[&[u8]]) -> (Vec<u8>, Option<ServerException>) {
        let mut data = Vec::new();
        let mut exc = None;
        for p in pieces {
            if let Some(e) = scanner.push(Bytes::copy_from_slice(p)) {
                exc = Some(e);
            }
            while let Some(d) = scanner.pop() {
                data.extend_from_slice(&d);
            }
        }
        if exc.is_none() {
            exc = scanner.finish();
        }
        while let Some(d) = scanner.pop() {
            data.extend_from_slice(&d);
        }
        (data, exc)
    }

    #[test]
    fn tagged_at_every_split() {
        let body = b"row1\r\nrow2\r\n__exception__\r\nABCDEFGHIJKLMNOP\r\nCode: 395. DB::Exception: boom (FUNCTION_THROW_IF_VALUE_IS_NON_ZERO) (version 26.9.2.1)\n87 ABCDEFGHIJKLMNOP\r\n__exception__\r\n";
        for a in 0..=body.len() {
            for b in a..=body.len() {
                let mut s = ExceptionScanner::new(Some("ABCDEFGHIJKLMNOP"));
                let (data, exc) = run(&mut s, &[&body[..a], &body[a..b], &body[b..]]);
                assert_eq!(data, b"row1\r\nrow2", "{a} {b}");
                let exc = exc.unwrap();
                assert_eq!(exc.code, 395);
                assert_eq!(exc.message, "boom");
            }
        }
    }

    #[test]
    fn near_miss_markers_are_data() {
        let body = b"\r\n__exception__\r\nABCDEFGHIJKLMNOX\r\n\r\n__exc\r\n";
        for a in 0..=body.len() {
            let mut s = ExceptionScanner::new(Some("ABCDEFGHIJKLMNOP"));
            let (data, exc) = run(&mut s, &[&body[..a], &body[a..]]);
            assert_eq!(data, body);
            assert_eq!(exc, None);
        }
    }

    #[test]
    fn bare_marker() {
        let body = b"0,\"a\"\n__exception__\nCode: 395. DB::Exception: There was an error! (FUNCTION_THROW_IF_VALUE_IS_NON_ZERO) (version 25.1.6.34 (official build))\n";
        for a in 0..=body.len() {
            let mut s = ExceptionScanner::new(None);
            let (data, exc) = run(&mut s, &[&body[..a], &body[a..]]);
            assert_eq!(data, b"0,\"a\"");
            let exc = exc.unwrap();
            assert_eq!(exc.code, 395);
            assert_eq!(exc.message, "There was an error!");
            assert_eq!(exc.version.as_deref(), Some("25.1.6.34 (official build)"));
        }
    }

    #[test]
    fn legacy_tail() {
        let body = b"1\n2\nCode: 159. DB::Exception: Timeout exceeded: elapsed 0.1 seconds. (TIMEOUT_EXCEEDED) (version 22.9.1)\n";
        for a in 0..=body.len() {
            let mut s = ExceptionScanner::new(None);
            let (data, exc) = run(&mut s, &[&body[..a], &body[a..]]);
            assert_eq!(data, b"1\n2\n");
            assert_eq!(exc.unwrap().name.as_deref(), Some("TIMEOUT_EXCEEDED"));
        }
        // Mid-line `Code: ` is data; so is anything past the tail window.
        let mut s = ExceptionScanner::new(None);
        let (data, exc) = run(&mut s, &[b"xCode: 1. DB::Exception: no\n"]);
        assert_eq!(exc, None);
        assert_eq!(data, b"xCode: 1. DB::Exception: no\n");
        let limits = ScannerLimits {
            legacy_tail: 8,
            max_message: 100,
        };
        let mut s = ExceptionScanner::with_limits(None, limits);
        let (data, exc) = run(&mut s, &[b"Code: 1. DB::Exception: no\n"]);
        assert_eq!(exc, None);
        assert_eq!(data, b"Code: 1. DB::Exception: no\n");
    }

    /// Untagged data is held back only from where a legacy exception could still begin, so rows
    /// reach the caller as soon as they arrive.
    #[test]
    fn untagged_data_waits_only_for_a_possible_opening() {
        let mut s = ExceptionScanner::new(None);
        let popped = |s: &mut ExceptionScanner| {
            let mut data = Vec::new();
            while let Some(d) = s.pop() {
                data.extend_from_slice(&d);
            }
            data
        };
        // All but the final `\n`, which may open a bare marker (`\n__exception__\n`).
        assert_eq!(s.push(Bytes::from_static(b"1\tCode: x\n2\t3\n")), None);
        assert_eq!(popped(&mut s), b"1\tCode: x\n2\t3");
        // A prefix of an opening at a line start waits for the bytes that decide it.
        assert_eq!(s.push(Bytes::from_static(b"4\nCode: 12")), None);
        assert_eq!(popped(&mut s), b"\n4\n");
        assert_eq!(s.push(Bytes::from_static(b"x\n")), None);
        assert_eq!(popped(&mut s), b"Code: 12x");
        // A whole opening waits for the end of the body.
        assert_eq!(s.push(Bytes::from_static(b"Code: 3. DB::Exc")), None);
        assert_eq!(s.push(Bytes::from_static(b"eption: late\n")), None);
        assert_eq!(popped(&mut s), b"\n");
        assert_eq!(s.finish().map(|e| e.code), Some(3));
        assert_eq!(popped(&mut s), b"");
    }

    #[test]
    fn message_cap() {
        let limits = ScannerLimits {
            legacy_tail: 0,
            max_message: 10,
        };
        let mut s = ExceptionScanner::with_limits(Some("T"), limits);
        let (data, exc) = run(
            &mut s,
            &[b"ab\r\n__exception__\r\nT\r\nCode: 1. DB::Exception: a long message"],
        );
        assert_eq!(data, b"ab");
        assert_eq!(exc.unwrap().code, 1);
    }
}
