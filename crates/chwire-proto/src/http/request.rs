//! Encoding a request to ClickHouse's HTTP interface: request line with the query string that
//! carries the query and its settings, and the head. The body is written by the caller, either
//! as-is (`Content-Length`) or through [`ChunkedEncoder`].

use std::fmt;

use bytes::{BufMut, BytesMut};
use http::{HeaderName, HeaderValue, Method};

use super::error::HttpError;
use crate::server::Credentials;

/// How the credentials travel in the request head.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AuthScheme {
    /// `X-ClickHouse-User` / `X-ClickHouse-Key` headers (ClickHouse's own; no encoding).
    #[default]
    ClickHouseHeaders,
    /// `Authorization: Basic base64(user:password)`, for proxies that expect standard auth.
    Basic,
}

/// Settings that ClickHouse's HTTP interface takes as credentials when they arrive in the
/// URL (`?password=…`): `Debug` shows `<redacted>` for their values.
pub fn is_credential_setting(name: &str) -> bool {
    name == "password"
}

/// Request headers that carry credentials: their values are marked sensitive, so `Debug`
/// does not print them.
fn is_credential_header(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "authorization" | "proxy-authorization" | "cookie" | "x-clickhouse-key"
    )
}

/// `Debug` of `name=value` settings with credential values (see [`is_credential_setting`])
/// shown as `<redacted>`.
pub struct RedactedSettings<'a, I>(pub &'a I);

impl<'a, I, N, V> fmt::Debug for RedactedSettings<'a, I>
where
    &'a I: IntoIterator<Item = &'a (N, V)>,
    N: AsRef<str> + 'a,
    V: AsRef<str> + 'a,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.into_iter().map(|(n, v)| {
                let v = if is_credential_setting(n.as_ref()) {
                    "<redacted>"
                } else {
                    v.as_ref()
                };
                (n.as_ref(), v)
            }))
            .finish()
    }
}

/// How the request body is delimited.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RequestBody {
    /// No body (`Content-Length: 0` on POST, nothing on GET).
    #[default]
    Empty,
    /// A body of exactly this many bytes follows the head.
    Length(u64),
    /// `Transfer-Encoding: chunked`; write the body with [`ChunkedEncoder`].
    Chunked,
}

/// A request to the ClickHouse HTTP interface, built then encoded with
/// [`encode_head`](Self::encode_head).
///
/// ```
/// # use chwire_proto::http::{HttpRequest, RequestBody};
/// # use chwire_proto::server::Credentials;
/// let req = HttpRequest::post("localhost:8123")
///     .query("SELECT {x:UInt8}")
///     .database("db")
///     .param("x", "1")
///     .setting("max_threads", "2")
///     .credentials(Credentials::new("default", "secret"));
/// let mut out = bytes::BytesMut::new();
/// req.encode_head(&mut out).unwrap();
/// assert!(out.starts_with(b"POST /?query=SELECT%20%7Bx%3AUInt8%7D&database=db&"));
/// ```
#[derive(Clone)]
pub struct HttpRequest {
    method: Method,
    host: String,
    path: String,
    query: Option<String>,
    database: Option<String>,
    default_format: Option<String>,
    query_id: Option<String>,
    session_id: Option<String>,
    settings: Vec<(String, String)>,
    params: Vec<(String, String)>,
    compress_response: bool,
    body_compressed: bool,
    credentials: Option<Credentials>,
    auth_scheme: AuthScheme,
    content_encoding: Option<String>,
    accept_encoding: Option<String>,
    headers: Vec<(HeaderName, HeaderValue)>,
    keep_alive: bool,
    user_agent: Option<String>,
    body: RequestBody,
}

/// Credentials never appear: [`Credentials`] redacts its password, credential headers are
/// sensitive, and credential settings (`password`) are redacted.
impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("host", &self.host)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("database", &self.database)
            .field("default_format", &self.default_format)
            .field("query_id", &self.query_id)
            .field("session_id", &self.session_id)
            .field("settings", &RedactedSettings(&self.settings))
            .field("params", &self.params)
            .field("compress_response", &self.compress_response)
            .field("body_compressed", &self.body_compressed)
            .field("credentials", &self.credentials)
            .field("auth_scheme", &self.auth_scheme)
            .field("content_encoding", &self.content_encoding)
            .field("accept_encoding", &self.accept_encoding)
            .field("headers", &self.headers)
            .field("keep_alive", &self.keep_alive)
            .field("user_agent", &self.user_agent)
            .field("body", &self.body)
            .finish()
    }
}

impl HttpRequest {
    /// A request with the given method to `host` (the `Host` header value, e.g.
    /// `localhost:8123`). Defaults: path `/`, keep-alive, no body.
    pub fn new(method: Method, host: impl Into<String>) -> HttpRequest {
        HttpRequest {
            method,
            host: host.into(),
            path: "/".into(),
            query: None,
            database: None,
            default_format: None,
            query_id: None,
            session_id: None,
            settings: Vec::new(),
            params: Vec::new(),
            compress_response: false,
            body_compressed: false,
            credentials: None,
            auth_scheme: AuthScheme::default(),
            content_encoding: None,
            accept_encoding: None,
            headers: Vec::new(),
            keep_alive: true,
            user_agent: None,
            body: RequestBody::Empty,
        }
    }

    /// `POST`: the usual method; the only one allowed to modify data.
    pub fn post(host: impl Into<String>) -> HttpRequest {
        HttpRequest::new(Method::POST, host)
    }

    /// `GET`: read-only queries (the server enforces `readonly`).
    pub fn get(host: impl Into<String>) -> HttpRequest {
        HttpRequest::new(Method::GET, host)
    }

    /// Path before the query string (default `/`; e.g. a custom HTTP handler's path).
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// The query, sent in the URL. Without it the body carries the query (or, when both are
    /// present, the body's text is appended to it: how `INSERT … FORMAT X` + data works).
    pub fn query(mut self, sql: impl Into<String>) -> Self {
        self.query = Some(sql.into());
        self
    }

    /// `database=`: the database unqualified table names resolve in (default: the user's).
    pub fn database(mut self, db: impl Into<String>) -> Self {
        self.database = Some(db.into());
        self
    }

    /// `default_format=`: the output format when the query has no `FORMAT` clause.
    pub fn default_format(mut self, format: impl Into<String>) -> Self {
        self.default_format = Some(format.into());
        self
    }

    /// `query_id=`: the query's id on the server (it generates one when absent).
    pub fn query_id(mut self, id: impl Into<String>) -> Self {
        self.query_id = Some(id.into());
        self
    }

    /// `session_id=`: runs the query in this server session (temporary tables, `SET`).
    pub fn session_id(mut self, id: impl Into<String>) -> Self {
        self.session_id = Some(id.into());
        self
    }

    /// A ClickHouse setting for this query (`name=value` in the URL).
    pub fn setting(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.settings.push((name.into(), value.into()));
        self
    }

    /// A server-side query parameter `{name:Type}`, sent as `param_<name>=<value>`; `value` is
    /// in the parameter's text form (the server parses it as the declared type).
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    /// `compress=1`: the server sends the response body as ClickHouse compressed blocks.
    pub fn compress_response(mut self, yes: bool) -> Self {
        self.compress_response = yes;
        self
    }

    /// `decompress=1`: the request body is ClickHouse compressed blocks.
    pub fn body_compressed(mut self, yes: bool) -> Self {
        self.body_compressed = yes;
        self
    }

    /// The user and password, sent as [`auth_scheme`](Self::auth_scheme) says.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// How the credentials are sent (default: ClickHouse's own headers).
    pub fn auth_scheme(mut self, scheme: AuthScheme) -> Self {
        self.auth_scheme = scheme;
        self
    }

    /// HTTP-level compression of the request body (`Content-Encoding`, e.g. `gzip`, `zstd`).
    pub fn content_encoding(mut self, encoding: impl Into<String>) -> Self {
        self.content_encoding = Some(encoding.into());
        self
    }

    /// HTTP-level compression wanted for the response (`Accept-Encoding`); the server applies it
    /// only with the `enable_http_compression=1` setting.
    pub fn accept_encoding(mut self, encoding: impl Into<String>) -> Self {
        self.accept_encoding = Some(encoding.into());
        self
    }

    /// An extra header (e.g. `traceparent`, `tracestate`). Values of credential-bearing
    /// headers are marked sensitive so `Debug` does not print them.
    pub fn header(mut self, name: HeaderName, mut value: HeaderValue) -> Self {
        if is_credential_header(&name) {
            value.set_sensitive(true);
        }
        self.headers.push((name, value));
        self
    }

    /// `Connection: keep-alive` (default) or `close`.
    pub fn keep_alive(mut self, yes: bool) -> Self {
        self.keep_alive = yes;
        self
    }

    /// The `User-Agent` header (none by default).
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = Some(ua.into());
        self
    }

    /// How the body that follows the head is framed (default: no body).
    pub fn body(mut self, body: RequestBody) -> Self {
        self.body = body;
        self
    }

    /// The HTTP method this request was built with.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// Whether the response will be ClickHouse-compressed (configure the response parser with
    /// `body_encoded` accordingly).
    pub fn response_compressed(&self) -> bool {
        self.compress_response
    }

    /// The request target: path and percent-encoded query string.
    pub fn target(&self) -> String {
        let mut t = String::with_capacity(self.path.len() + 64);
        t.push_str(&self.path);
        let mut first = true;
        let mut pair = |k: &[&str], v: &str| {
            t.push(if first { '?' } else { '&' });
            first = false;
            for part in k {
                percent_encode(part, &mut t);
            }
            t.push('=');
            percent_encode(v, &mut t);
        };
        if let Some(q) = &self.query {
            pair(&["query"], q);
        }
        if let Some(v) = &self.database {
            pair(&["database"], v);
        }
        if let Some(v) = &self.default_format {
            pair(&["default_format"], v);
        }
        if let Some(v) = &self.query_id {
            pair(&["query_id"], v);
        }
        if let Some(v) = &self.session_id {
            pair(&["session_id"], v);
        }
        if self.compress_response {
            pair(&["compress"], "1");
        }
        if self.body_compressed {
            pair(&["decompress"], "1");
        }
        for (k, v) in &self.settings {
            pair(&[k], v);
        }
        for (k, v) in &self.params {
            pair(&["param_", k], v);
        }
        t
    }

    /// Appends the request line and head (through the blank line) to `out`. Fails if a value
    /// would break the head (line breaks, control characters).
    pub fn encode_head(&self, out: &mut BytesMut) -> Result<(), HttpError> {
        let target = self.target();
        out.reserve(target.len() + 256);
        out.put_slice(self.method.as_str().as_bytes());
        out.put_u8(b' ');
        out.put_slice(target.as_bytes());
        out.put_slice(b" HTTP/1.1\r\n");
        put_header(out, "Host", self.host.as_bytes())?;
        if let Some(c) = &self.credentials {
            match self.auth_scheme {
                AuthScheme::ClickHouseHeaders => {
                    put_header(out, "X-ClickHouse-User", c.user.as_bytes())?;
                    put_header(out, "X-ClickHouse-Key", c.password().as_bytes())?;
                }
                AuthScheme::Basic => {
                    let mut value = b"Basic ".to_vec();
                    base64_encode(
                        format!("{}:{}", c.user, c.password()).as_bytes(),
                        &mut value,
                    );
                    put_header(out, "Authorization", &value)?;
                }
            }
        }
        if let Some(ua) = &self.user_agent {
            put_header(out, "User-Agent", ua.as_bytes())?;
        }
        if let Some(e) = &self.content_encoding {
            put_header(out, "Content-Encoding", e.as_bytes())?;
        }
        if let Some(e) = &self.accept_encoding {
            put_header(out, "Accept-Encoding", e.as_bytes())?;
        }
        for (name, value) in &self.headers {
            put_header(out, name.as_str(), value.as_bytes())?;
        }
        match self.body {
            RequestBody::Empty if self.method == Method::GET || self.method == Method::HEAD => {}
            RequestBody::Empty => out.put_slice(b"Content-Length: 0\r\n"),
            RequestBody::Length(n) => {
                out.put_slice(b"Content-Length: ");
                out.put_slice(n.to_string().as_bytes());
                out.put_slice(b"\r\n");
            }
            RequestBody::Chunked => out.put_slice(b"Transfer-Encoding: chunked\r\n"),
        }
        out.put_slice(if self.keep_alive {
            b"Connection: keep-alive\r\n\r\n"
        } else {
            b"Connection: close\r\n\r\n"
        });
        Ok(())
    }
}

/// Writes `name: value\r\n`, rejecting values that could split the head.
fn put_header(out: &mut BytesMut, name: &str, value: &[u8]) -> Result<(), HttpError> {
    if HeaderValue::from_bytes(value).is_err() {
        // Never echo the value: it may be a password.
        return Err(HttpError::InvalidRequest(format!(
            "invalid characters in the {name} header"
        )));
    }
    out.put_slice(name.as_bytes());
    out.put_slice(b": ");
    out.put_slice(value);
    out.put_slice(b"\r\n");
    Ok(())
}

/// Appends `s` percent-encoded for a URL query component: everything but RFC 3986 unreserved
/// characters is escaped, so the server's URL decoder returns exactly `s` (no `+`-for-space
/// ambiguity).
pub fn percent_encode(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

fn base64_encode(input: &[u8], out: &mut Vec<u8>) {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(T[(n >> 18) as usize & 63]);
        out.push(T[(n >> 12) as usize & 63]);
        out.push(if chunk.len() > 1 {
            T[(n >> 6) as usize & 63]
        } else {
            b'='
        });
        out.push(if chunk.len() > 2 {
            T[n as usize & 63]
        } else {
            b'='
        });
    }
}

/// Writes a body with `Transfer-Encoding: chunked`. Stateless: each call appends framing to
/// `out`. For large payloads, [`frames`](Self::frames) cuts them into bounded chunks whose size
/// lines are sent beside the data, which is never copied.
#[derive(Debug, Clone, Copy, Default)]
pub struct ChunkedEncoder;

impl ChunkedEncoder {
    /// The line end closing every chunk's data.
    pub const CHUNK_END: &'static [u8] = b"\r\n";

    /// Appends one chunk (size line, data, CRLF). An empty `data` writes nothing: a zero-size
    /// chunk would end the body.
    pub fn encode_chunk(&self, data: &[u8], out: &mut BytesMut) {
        if data.is_empty() {
            return;
        }
        self.chunk_header(data.len(), out);
        out.put_slice(data);
        out.put_slice(Self::CHUNK_END);
    }

    /// Appends the size line of a chunk of `len` (> 0) bytes.
    pub fn chunk_header(&self, len: usize, out: &mut BytesMut) {
        out.put_slice(ChunkSizeLine::new(len).as_bytes());
    }

    /// Appends the last chunk and the empty trailer section, ending the body.
    pub fn encode_end(&self, out: &mut BytesMut) {
        out.put_slice(b"0\r\n\r\n");
    }

    /// Splits a payload of `len` bytes into chunks of at most `max` (> 0) bytes and yields,
    /// for each, its size line and the payload range it frames. Send each as size line, data,
    /// [`CHUNK_END`](Self::CHUNK_END), straight from the payload's buffer (vectored writes):
    /// the payload is never copied.
    ///
    /// Why bound the size: ClickHouse reads a chunk in place only when the whole chunk is
    /// already in its socket buffer (1 MiB); a larger one is first copied whole into a scratch
    /// buffer and parsed only once all of it has arrived.
    pub fn frames(&self, len: usize, max: usize) -> ChunkFrames {
        ChunkFrames {
            pos: 0,
            len,
            max: max.max(1),
        }
    }
}

/// The chunks of one payload ([`ChunkedEncoder::frames`]).
#[derive(Debug, Clone)]
pub struct ChunkFrames {
    pos: usize,
    len: usize,
    max: usize,
}

impl Iterator for ChunkFrames {
    type Item = (ChunkSizeLine, std::ops::Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.len {
            return None;
        }
        let end = self.len.min(self.pos.saturating_add(self.max));
        let range = self.pos..end;
        self.pos = end;
        Some((ChunkSizeLine::new(range.len()), range))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = (self.len - self.pos).div_ceil(self.max);
        (n, Some(n))
    }
}

impl ExactSizeIterator for ChunkFrames {}

/// The size line of one chunk (`{len:X}\r\n`), held inline: framing allocates nothing.
#[derive(Clone, Copy)]
pub struct ChunkSizeLine {
    bytes: [u8; 18],
    len: u8,
}

impl ChunkSizeLine {
    /// The size line of a chunk of `len` (> 0) bytes.
    pub fn new(len: usize) -> ChunkSizeLine {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let mut bytes = [0u8; 18];
        let digits = (usize::BITS - len.leading_zeros()).div_ceil(4).max(1) as usize;
        for (i, b) in bytes[..digits].iter_mut().enumerate() {
            *b = HEX[(len >> (4 * (digits - 1 - i))) & 0xf];
        }
        bytes[digits..digits + 2].copy_from_slice(b"\r\n");
        ChunkSizeLine {
            bytes,
            len: (digits + 2) as u8,
        }
    }

    /// The line as written on the wire: hex length then `\r\n`.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

impl std::fmt::Debug for ChunkSizeLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self.as_bytes()))
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn frames_match_encode_chunk() {
        for len in [0usize, 1, 15, 16, 255, 4096, 100_000, 262_145] {
            let payload: Vec<u8> = (0..len).map(|i| i as u8).collect();
            for max in [1usize, 7, 16, 4096, 65_536, 1 << 20] {
                let mut expected = BytesMut::new();
                for piece in payload.chunks(max) {
                    ChunkedEncoder.encode_chunk(piece, &mut expected);
                }
                let frames = ChunkedEncoder.frames(len, max);
                assert_eq!(frames.len(), len.div_ceil(max));
                let mut framed = Vec::new();
                for (line, range) in frames {
                    assert!(!range.is_empty() && range.len() <= max);
                    framed.extend_from_slice(line.as_bytes());
                    framed.extend_from_slice(&payload[range]);
                    framed.extend_from_slice(ChunkedEncoder::CHUNK_END);
                }
                assert_eq!(framed, &expected[..], "{len} bytes in chunks of {max}");
            }
        }
    }

    #[test]
    fn size_lines() {
        for len in [1usize, 9, 10, 15, 16, 255, 256, 0x40000, usize::MAX] {
            let line = ChunkSizeLine::new(len);
            assert_eq!(line.as_bytes(), format!("{len:X}\r\n").as_bytes());
        }
    }

    use super::*;

    fn head(req: &HttpRequest) -> String {
        let mut out = BytesMut::new();
        req.encode_head(&mut out).unwrap();
        String::from_utf8(out.to_vec()).unwrap()
    }

    #[test]
    fn full_request() {
        let req = HttpRequest::post("127.0.0.1:8123")
            .query("SELECT * FROM t WHERE s = {s:String} FORMAT RowBinary")
            .database("my db")
            .default_format("Native")
            .query_id("q-1")
            .session_id("s/1")
            .setting("max_threads", "4")
            .param("s", "a&b=c+d é")
            .compress_response(true)
            .body_compressed(true)
            .credentials(Credentials::new("u", "p@ss"))
            .accept_encoding("zstd")
            .content_encoding("gzip")
            .header(
                HeaderName::from_static("traceparent"),
                HeaderValue::from_static("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
            )
            .user_agent("chwire/0.1")
            .body(RequestBody::Length(12));
        assert_eq!(
            head(&req),
            "POST /?query=SELECT%20%2A%20FROM%20t%20WHERE%20s%20%3D%20%7Bs%3AString%7D%20FORMAT%20RowBinary\
             &database=my%20db&default_format=Native&query_id=q-1&session_id=s%2F1&compress=1&decompress=1\
             &max_threads=4&param_s=a%26b%3Dc%2Bd%20%C3%A9 HTTP/1.1\r\n\
             Host: 127.0.0.1:8123\r\n\
             X-ClickHouse-User: u\r\n\
             X-ClickHouse-Key: p@ss\r\n\
             User-Agent: chwire/0.1\r\n\
             Content-Encoding: gzip\r\n\
             Accept-Encoding: zstd\r\n\
             traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\n\
             Content-Length: 12\r\n\
             Connection: keep-alive\r\n\r\n"
        );
    }

    #[test]
    fn basic_auth_get_chunked() {
        let req = HttpRequest::get("h")
            .credentials(Credentials::new("Aladdin", "open sesame"))
            .auth_scheme(AuthScheme::Basic)
            .keep_alive(false);
        assert_eq!(
            head(&req),
            "GET / HTTP/1.1\r\nHost: h\r\nAuthorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\nConnection: close\r\n\r\n"
        );
        let req = HttpRequest::post("h").body(RequestBody::Chunked);
        assert!(head(&req).contains("Transfer-Encoding: chunked\r\n"));
        assert!(head(&HttpRequest::post("h")).contains("Content-Length: 0\r\n"));
        let mut b = Vec::new();
        base64_encode(b"ab", &mut b);
        assert_eq!(b, b"YWI=");
    }

    #[test]
    fn secrets_never_in_debug_or_errors() {
        let req = HttpRequest::post("h").credentials(Credentials::new("u", "hunter2"));
        assert!(!format!("{req:?}").contains("hunter2"));
        let bad = HttpRequest::post("h").credentials(Credentials::new("u", "hunter2\r\nX: y"));
        let err = bad.encode_head(&mut BytesMut::new()).unwrap_err();
        assert!(!err.to_string().contains("hunter2"));
        let req = HttpRequest::post("h").header(
            http::header::AUTHORIZATION,
            HeaderValue::from_static("Bearer hunter2"),
        );
        assert!(!format!("{req:?}").contains("hunter2"));
        let bad = HttpRequest::post("h\r\nEvil: 1");
        assert!(bad.encode_head(&mut BytesMut::new()).is_err());
    }

    #[test]
    fn chunked_encoder() {
        let enc = ChunkedEncoder;
        let mut out = BytesMut::new();
        enc.encode_chunk(b"hello world, this is 27 b", &mut out);
        enc.encode_chunk(b"", &mut out);
        enc.encode_end(&mut out);
        assert_eq!(&out[..], b"19\r\nhello world, this is 27 b\r\n0\r\n\r\n");
    }
}
