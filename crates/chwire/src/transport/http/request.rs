//! Writing an HTTP request: the head from the request description and the client's
//! configuration (settings, parameters, credentials, compression, trace context), the first
//! body bytes with it, a streamed body as chunks; and one attempt of a request on a pooled
//! connection.

use bytes::BytesMut;
use chwire_proto::http::{ChunkedEncoder, HttpRequest, RequestBody};

use super::HttpTransport;
use super::connection::{Exchange, MAX_HTTP_CHUNK};
use crate::config::{Compression, Config};
use crate::error::{Error, Result};
use crate::request::Request;
use crate::telemetry::TraceCarrier;
use crate::transport::{Attempt, AttemptError};

/// Trace context as request headers, skipping names or values that are not valid in HTTP.
#[derive(Default)]
struct HeaderCarrier(Vec<(http::HeaderName, http::HeaderValue)>);

impl TraceCarrier for HeaderCarrier {
    fn set(&mut self, key: &str, value: String) {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(key.as_bytes()),
            http::HeaderValue::from_str(&value),
        ) {
            self.0.push((name, value));
        }
    }
}

impl HttpTransport {
    /// The request head of one attempt.
    fn request_head(&self, c: &Config, req: &Request<'_>, query_id: &str) -> HttpRequest {
        let mut head = HttpRequest::post(self.authority.clone())
            .path(self.path.as_str())
            .query_id(query_id)
            .user_agent(concat!("chwire/", env!("CARGO_PKG_VERSION")));
        if let Some(q) = req.sql_beside_body {
            head = head.query(q);
        }
        if let Some(db) = c.database() {
            head = head.database(db);
        }
        if let Some(f) = req.format {
            head = head.default_format(f);
        }
        head = identity(head, c, req);
        head = compression(head, c.compression()).body_compressed(req.body_compressed);
        let settings = req.effective_settings(c);
        for (n, v) in settings.iter() {
            head = head.setting(n, v);
        }
        for (n, v) in req.params {
            head = head.param(n, v);
        }
        if let Some(span) = req.span {
            let mut carrier = HeaderCarrier::default();
            span.inject(&mut carrier);
            for (name, value) in carrier.0 {
                head = head.header(name, value);
            }
        }
        head
    }

    /// [`Transport::attempt`](crate::transport::Transport::attempt) over HTTP: the head and
    /// the first body bytes (framed as chunks when the body streams), then with `answer` the
    /// response head.
    pub(crate) async fn attempt(&self, a: &Attempt<'_>) -> Result<Exchange, AttemptError> {
        let req = a.req;
        // A callback the transport could never call is refused, not kept silently.
        if let Some(what) = req.events.and_then(|e| e.registered()) {
            return Err(AttemptError::before_connect(Error::NotAvailable {
                protocol: "HTTP",
                what: what.into(),
            }));
        }
        let body = if req.streaming {
            RequestBody::Chunked
        } else {
            RequestBody::Length(
                a.body_len
                    .unwrap_or_else(|| a.first.iter().map(|s| s.len() as u64).sum()),
            )
        };
        let mut head = BytesMut::with_capacity(512);
        self.request_head(a.config, req, a.query_id)
            .body(body)
            .encode_head(&mut head)
            .map_err(|e| AttemptError::before_connect(e.into()))?;
        let conn = self
            .pool
            .acquire(a.limits, a.fresh)
            .await
            .map_err(AttemptError::before_connect)?;
        (a.on_connect)();
        let compressed = a.config.compression().wire().is_some();
        let mut ex = Exchange::new(
            conn,
            a.limits.clone(),
            compressed,
            a.config.offload().chunk_size,
        );
        ex.expect_query_id(a.query_id);
        if let Some(progress) = req.progress {
            ex.report_progress(progress.clone());
        }
        let chunks = req.streaming.then_some(MAX_HTTP_CHUNK);
        let mut outcome = ex.write_framed(&head, a.first, chunks).await;
        if outcome.is_ok() && a.answer {
            outcome = ex.read_head().await.map(|h| ex.head = Some(h));
            if let (Err(_), Some(flag)) = (&outcome, req.delivered_unanswered) {
                flag.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
        match outcome {
            Ok(()) => Ok(ex),
            Err(error) => Err(AttemptError {
                stale: ex.connection_reused() && ex.received == 0 && error.is_connection(),
                error,
                connected: true,
            }),
        }
    }
}

/// Who the request runs as and in what: the access token or credentials, roles, session,
/// and the custom headers (the request's own over the client's of the same name).
fn identity(mut head: HttpRequest, c: &Config, req: &Request<'_>) -> HttpRequest {
    if let Some(token) = c.access_token() {
        head = head.header(http::header::AUTHORIZATION, token.clone());
    } else if let Some(cred) = c.credentials() {
        head = head.credentials(cred.clone());
    }
    for role in req.roles.unwrap_or(c.roles()) {
        head = head.setting("role", role);
    }
    if let Some(session) = req.session {
        head = head.session_id(session.id.as_str());
        if let Some(t) = c.session_timeout() {
            head = head.setting("session_timeout", t.as_secs().max(1).to_string());
        }
        if session.check {
            head = head.setting("session_check", "1");
        }
    }
    // Checked when the client was built.
    let client_headers = c.headers().check().unwrap_or_default();
    let own = |name: &http::HeaderName| req.headers.iter().any(|(n, _)| n == name);
    for (name, value) in client_headers.iter().filter(|(n, _)| !own(n)) {
        head = head.header(name.clone(), value.clone());
    }
    for (name, value) in req.headers {
        head = head.header(name.clone(), value.clone());
    }
    head
}

/// The client's compression as request flags and settings.
fn compression(head: HttpRequest, c: Compression) -> HttpRequest {
    match c {
        Compression::None => head,
        Compression::Lz4 => head
            .compress_response(true)
            .setting("network_compression_method", "lz4"),
        Compression::Zstd { level } => head
            .compress_response(true)
            .setting("network_compression_method", "zstd")
            .setting("network_zstd_compression_level", level.to_string()),
    }
}

impl Exchange {
    /// Sends more of a streamed body (segments, in order) as HTTP chunks of at most
    /// [`MAX_HTTP_CHUNK`], size lines beside the data (vectored writes, nothing copied).
    pub(crate) async fn send_body(&mut self, segments: &[&[u8]]) -> Result<()> {
        self.write_framed(&[], segments, Some(MAX_HTTP_CHUNK)).await
    }

    /// Ends a streamed body: the final chunk.
    pub(crate) async fn end_body(&mut self) -> Result<()> {
        let mut end = BytesMut::new();
        ChunkedEncoder.encode_end(&mut end);
        self.write_all(&end).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telemetry::TraceCarrier;

    #[test]
    fn header_carrier_skips_invalid_values() {
        let mut h = HeaderCarrier::default();
        h.set("traceparent", "00-abc-01".into());
        h.set("bad header", "x".into());
        h.set("tracestate", "a=b\r\nInjected: yes".into());
        assert_eq!(h.0.len(), 1);
        assert_eq!(h.0[0].0, "traceparent");
    }
}
