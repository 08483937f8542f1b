//! The typed view of a response head: status, headers, connection reuse and the `X-ClickHouse-*`
//! headers decoded once, so callers never re-parse header strings.

use std::time::Duration;

use http::{HeaderMap, HeaderName, StatusCode, Version};

use crate::server::Progress;

/// Parsing the HTTP interface's JSON rendering of the counters.
impl Progress {
    /// Parses the server's flat JSON object whose values are quoted (or bare) integers, e.g.
    /// `{"read_rows":"1","read_bytes":"1",...}`. Unknown keys are ignored so newer servers adding
    /// counters do not break parsing. Returns `None` if the text is not such an object.
    pub fn parse_json(text: &str) -> Option<Progress> {
        let mut p = Progress::default();
        for_each_json_field(text.as_bytes(), |key, value| {
            let value = std::str::from_utf8(value).ok()?;
            match key {
                b"memory_usage" => p.memory_usage = value.parse().ok()?,
                _ => {
                    let slot = match key {
                        b"read_rows" => &mut p.read_rows,
                        b"read_bytes" => &mut p.read_bytes,
                        b"written_rows" => &mut p.written_rows,
                        b"written_bytes" => &mut p.written_bytes,
                        b"total_rows_to_read" => &mut p.total_rows_to_read,
                        b"result_rows" => &mut p.result_rows,
                        b"result_bytes" => &mut p.result_bytes,
                        b"elapsed_ns" => &mut p.elapsed_ns,
                        _ => return Some(()),
                    };
                    *slot = value.parse().ok()?;
                }
            }
            Some(())
        })?;
        Some(p)
    }
}

/// Walks a flat JSON object `{"k": "v" | number, ...}` calling `f(key, raw_value)` for each
/// field, string values unquoted. Escapes are not decoded: the server's keys and numbers never
/// contain any, and a value with a backslash is passed through raw. Nested values are rejected.
fn for_each_json_field(s: &[u8], mut f: impl FnMut(&[u8], &[u8]) -> Option<()>) -> Option<()> {
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < s.len() && s[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    let string = |i: &mut usize| -> Option<(usize, usize)> {
        if s.get(*i) != Some(&b'"') {
            return None;
        }
        let start = *i + 1;
        let mut j = start;
        while j < s.len() && s[j] != b'"' {
            j += if s[j] == b'\\' { 2 } else { 1 };
        }
        if j >= s.len() {
            return None;
        }
        *i = j + 1;
        Some((start, j))
    };
    skip_ws(&mut i);
    if s.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    skip_ws(&mut i);
    if s.get(i) == Some(&b'}') {
        i += 1;
        skip_ws(&mut i);
        return (i == s.len()).then_some(());
    }
    loop {
        skip_ws(&mut i);
        let (ks, ke) = string(&mut i)?;
        skip_ws(&mut i);
        if s.get(i) != Some(&b':') {
            return None;
        }
        i += 1;
        skip_ws(&mut i);
        let (vs, ve) = if s.get(i) == Some(&b'"') {
            string(&mut i)?
        } else {
            let start = i;
            while i < s.len() && (s[i].is_ascii_alphanumeric() || b"+-.".contains(&s[i])) {
                i += 1;
            }
            if i == start {
                return None;
            }
            (start, i)
        };
        f(&s[ks..ke], &s[vs..ve])?;
        skip_ws(&mut i);
        match s.get(i) {
            Some(b',') => i += 1,
            Some(b'}') => {
                i += 1;
                skip_ws(&mut i);
                return (i == s.len()).then_some(());
            }
            _ => return None,
        }
    }
}

/// The server's `Keep-Alive: timeout=N, max=M` hints: how long it keeps an idle connection and
/// how many more requests it will serve on it. A pool should retire connections before either.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeepAliveParams {
    /// `timeout=N`: seconds the server keeps the connection idle before closing it.
    pub timeout: Option<Duration>,
    /// `max=M`: requests the server will still serve on this connection.
    pub max: Option<u32>,
}

impl KeepAliveParams {
    /// Parses the `Keep-Alive` header value; unknown or malformed parameters are ignored.
    pub fn parse(value: &str) -> KeepAliveParams {
        let mut out = KeepAliveParams::default();
        for part in value.split(',') {
            let Some((k, v)) = part.split_once('=') else {
                continue;
            };
            let v = v.trim().trim_matches('"');
            match k.trim().to_ascii_lowercase().as_str() {
                "timeout" => out.timeout = v.parse::<u64>().ok().map(Duration::from_secs),
                "max" => out.max = v.parse().ok(),
                _ => {}
            }
        }
        out
    }
}

/// How the response body is delimited (RFC 9112 §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFraming {
    /// No body (HEAD request, 204, 304).
    Empty,
    /// `Content-Length: n`.
    Length(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked,
    /// Neither: the body runs until the server closes the connection.
    UntilClose,
}

/// A parsed response head with the ClickHouse headers decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseHead {
    /// HTTP/1.0 or HTTP/1.1, from the status line.
    pub version: Version,
    /// The status code of the final (non-1xx) response.
    pub status: StatusCode,
    /// All headers as received (repeated headers kept, in order).
    pub headers: HeaderMap,
    /// How the body's end is found.
    pub framing: BodyFraming,
    /// Whether the connection may carry another request once this body is fully read: HTTP/1.1
    /// unless `Connection: close`, HTTP/1.0 only with `Connection: keep-alive`, and never when
    /// the body is delimited by the connection closing.
    pub keep_alive: bool,
    /// The `Keep-Alive` header's hints, empty when it is absent.
    pub keep_alive_params: KeepAliveParams,
    /// `X-ClickHouse-Query-Id`.
    pub query_id: Option<String>,
    /// `X-ClickHouse-Exception-Code`: the query failed before the body started.
    pub exception_code: Option<i32>,
    /// `X-ClickHouse-Exception-Tag` (25.11+): the random token framing a mid-stream exception.
    pub exception_tag: Option<String>,
    /// `X-ClickHouse-Timezone`.
    pub timezone: Option<String>,
    /// `X-ClickHouse-Format`.
    pub format: Option<String>,
    /// `X-ClickHouse-Server-Display-Name`.
    pub server_display_name: Option<String>,
    /// `X-ClickHouse-Summary`, if present and well-formed.
    pub summary: Option<Progress>,
    /// Every well-formed `X-ClickHouse-Progress` header, in the order received.
    pub progress: Vec<Progress>,
}

pub(crate) const X_CLICKHOUSE_SUMMARY: &str = "x-clickhouse-summary";
pub(crate) const X_CLICKHOUSE_PROGRESS: &str = "x-clickhouse-progress";
pub(crate) const X_CLICKHOUSE_QUERY_ID: &str = "x-clickhouse-query-id";
pub(crate) const X_CLICKHOUSE_EXCEPTION_CODE: &str = "x-clickhouse-exception-code";
pub(crate) const X_CLICKHOUSE_EXCEPTION_TAG: &str = "x-clickhouse-exception-tag";
pub(crate) const X_CLICKHOUSE_TIMEZONE: &str = "x-clickhouse-timezone";
pub(crate) const X_CLICKHOUSE_FORMAT: &str = "x-clickhouse-format";
pub(crate) const X_CLICKHOUSE_SERVER_DISPLAY_NAME: &str = "x-clickhouse-server-display-name";

impl ResponseHead {
    /// Whether the response reports a failed query: a non-2xx status, or a 2xx that still
    /// carries `X-ClickHouse-Exception-Code`.
    pub fn is_failure(&self) -> bool {
        !self.status.is_success() || self.exception_code.is_some()
    }

    /// `Content-Encoding` if it is anything but `identity` (HTTP-level compression).
    pub fn content_encoding(&self) -> Option<&str> {
        let v = self
            .headers
            .get(http::header::CONTENT_ENCODING)?
            .to_str()
            .ok()?;
        let v = v.trim();
        (!v.is_empty() && !v.eq_ignore_ascii_case("identity")).then_some(v)
    }

    /// Builds the typed head from the parsed status line and header map.
    pub(crate) fn from_parts(
        version: Version,
        status: StatusCode,
        headers: HeaderMap,
        framing: BodyFraming,
    ) -> ResponseHead {
        let text = |name: &str| -> Option<String> {
            let v = headers.get(name)?.to_str().ok()?.trim();
            Some(v.to_owned())
        };
        let mut conn_close = false;
        let mut conn_keep_alive = false;
        for v in headers.get_all(http::header::CONNECTION) {
            for token in v.to_str().unwrap_or("").split(',') {
                let token = token.trim();
                conn_close |= token.eq_ignore_ascii_case("close");
                conn_keep_alive |= token.eq_ignore_ascii_case("keep-alive");
            }
        }
        let persistent = match version {
            Version::HTTP_11 => !conn_close,
            _ => conn_keep_alive && !conn_close,
        };
        let keep_alive = persistent && framing != BodyFraming::UntilClose;
        let keep_alive_params = headers
            .get(HeaderName::from_static("keep-alive"))
            .and_then(|v| v.to_str().ok())
            .map(KeepAliveParams::parse)
            .unwrap_or_default();
        let progress = headers
            .get_all(X_CLICKHOUSE_PROGRESS)
            .iter()
            .filter_map(|v| Progress::parse_json(v.to_str().ok()?))
            .collect();
        ResponseHead {
            version,
            status,
            keep_alive,
            keep_alive_params,
            query_id: text(X_CLICKHOUSE_QUERY_ID),
            exception_code: text(X_CLICKHOUSE_EXCEPTION_CODE).and_then(|c| c.parse().ok()),
            exception_tag: text(X_CLICKHOUSE_EXCEPTION_TAG).filter(|t| !t.is_empty()),
            timezone: text(X_CLICKHOUSE_TIMEZONE),
            format: text(X_CLICKHOUSE_FORMAT),
            server_display_name: text(X_CLICKHOUSE_SERVER_DISPLAY_NAME),
            summary: text(X_CLICKHOUSE_SUMMARY).and_then(|s| Progress::parse_json(&s)),
            progress,
            framing,
            headers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_json() {
        let s = r#"{"read_rows":"3","read_bytes":"12","written_rows":"3","written_bytes":"12","total_rows_to_read":"0","result_rows":"3","result_bytes":"12","elapsed_ns":"3595663","memory_usage":"3370554"}"#;
        let p = Progress::parse_json(s).unwrap();
        assert_eq!(
            p,
            Progress {
                read_rows: 3,
                read_bytes: 12,
                written_rows: 3,
                written_bytes: 12,
                total_rows_to_read: 0,
                total_bytes_to_read: 0,
                result_rows: 3,
                result_bytes: 12,
                elapsed_ns: 3595663,
                memory_usage: 3370554,
            }
        );
        // Bare numbers, whitespace, unknown keys.
        let p = Progress::parse_json(r#" { "read_rows" : 5 , "future":"x" } "#).unwrap();
        assert_eq!(p.read_rows, 5);
        assert_eq!(Progress::parse_json("{}"), Some(Progress::default()));
        for bad in [
            "",
            "{",
            r#"{"read_rows":"x"}"#,
            r#"{"read_rows":"1""#,
            r#"{"a":{}}"#,
            r#"{"a":"1"} x"#,
            r#"{"read_rows":"-1"}"#,
        ] {
            assert_eq!(Progress::parse_json(bad), None, "{bad}");
        }
    }

    #[test]
    fn keep_alive_params() {
        let k = KeepAliveParams::parse("timeout=30, max=9999");
        assert_eq!(k.timeout, Some(Duration::from_secs(30)));
        assert_eq!(k.max, Some(9999));
        assert_eq!(KeepAliveParams::parse("junk"), KeepAliveParams::default());
    }
}
