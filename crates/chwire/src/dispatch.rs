//! Dispatch: how a [`Request`] reaches a server. The endpoint plan and failover (a request
//! that could not connect moves to the next endpoint), one retry on a fresh connection when a
//! reused one turns out stale, and the request head built from the request and the client's
//! configuration.

use bytes::BytesMut;
use chwire_proto::http::{HttpRequest, ResponseHead};

use crate::body::{RawBody, failure_error};
use crate::config::Compression;
use crate::connection::{Exchange, IoLimits};
use crate::endpoints::Endpoint;
use crate::error::{Error, Result};
use crate::handle::ClientInner;
use crate::request::{Request, new_query_id};
use crate::summary::QuerySummary;
use crate::telemetry::TraceCarrier;

/// A successful response to a request, before its body is read.
#[derive(Debug)]
pub(crate) struct Response {
    pub head: ResponseHead,
    pub body: RawBody,
    pub query_id: String,
}

/// A request whose head (and first body bytes) went out on a connection.
#[derive(Debug)]
pub(crate) struct Opened {
    pub exchange: Exchange,
    /// The response head, when it was asked for.
    pub head: Option<ResponseHead>,
    /// The query id the attempt was sent with.
    pub query_id: String,
}

/// An attempt on one endpoint failed; `connected` says whether a connection had been
/// established (so the request may have reached the server and must not go elsewhere).
#[derive(Debug)]
struct AttemptError {
    error: Error,
    connected: bool,
}

impl AttemptError {
    fn before_connect(error: Error) -> AttemptError {
        AttemptError {
            error,
            connected: false,
        }
    }
}

impl QuerySummary {
    pub(crate) fn from_head(head: &ResponseHead, query_id: &str) -> QuerySummary {
        QuerySummary::new(query_id.to_owned(), head.summary.unwrap_or_default())
    }
}

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

impl ClientInner {
    /// The request head for one attempt on `endpoint`.
    fn request_head(&self, req: &Request<'_>, query_id: &str, endpoint: &Endpoint) -> HttpRequest {
        let c = &self.config;
        let mut head = HttpRequest::post(format!("{}:{}", endpoint.host, endpoint.port))
            .path(endpoint.path.as_str())
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
        if let Some(cred) = c.credentials() {
            head = head.credentials(cred.clone());
        }
        match c.compression() {
            Compression::None => {}
            Compression::Lz4 => {
                head = head
                    .compress_response(true)
                    .setting("network_compression_method", "lz4");
            }
            Compression::Zstd { level } => {
                head = head
                    .compress_response(true)
                    .setting("network_compression_method", "zstd")
                    .setting("network_zstd_compression_level", level.to_string());
            }
        }
        head = head.body_compressed(req.body_compressed);
        let merged;
        let settings = match req.settings {
            Some(s) => {
                merged = c.settings().merged(s);
                &merged
            }
            None => c.settings(),
        };
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

    /// Opens an exchange: checks out a connection, writes the head and the `first` body bytes
    /// (segments, in order; with `req.streaming`, the payload of the first chunks, framed
    /// here). `body_len` is the
    /// Content-Length when not chunked. With `read_head`, also waits for the
    /// response head (and turns failures into errors).
    ///
    /// Endpoints are tried in the order [`Endpoints::plan`] gives; a failure to connect (nothing
    /// sent yet) marks the endpoint unhealthy and moves on to the next one.
    pub(crate) async fn open(
        &self,
        req: &Request<'_>,
        first: &[&[u8]],
        body_len: Option<u64>,
        read_head: bool,
    ) -> Result<Opened> {
        let limits = self.limits();
        let plan = match req.endpoint {
            Some(i) => vec![i.min(self.endpoints.list.len() - 1)],
            None => self.endpoints.plan(self.rt.now()),
        };
        let mut last_error = None;
        for (n, &i) in plan.iter().enumerate() {
            if n > 0 {
                self.telemetry.retry("failover");
            }
            match self
                .open_on(i, req, first, body_len, read_head, &limits)
                .await
            {
                Ok(opened) => return Ok(opened),
                Err(AttemptError { error, connected }) => {
                    // Connect and TLS handshake failures happen before any request byte.
                    if connected || !(error.is_connect() || error.is_tls()) {
                        return Err(error);
                    }
                    self.endpoints.failed(i, self.rt.now());
                    last_error = Some(error);
                }
            }
        }
        Err(last_error.unwrap_or_else(|| Error::Config("no endpoint".into())))
    }

    /// [`open`](Self::open) on endpoint `i`. Retries once on a fresh connection when a reused
    /// one fails before any response byte (the server closed it while idle). The error says
    /// whether a connection had been established (so the request may have reached the server).
    async fn open_on(
        &self,
        i: usize,
        req: &Request<'_>,
        first: &[&[u8]],
        body_len: Option<u64>,
        read_head: bool,
        limits: &IoLimits,
    ) -> std::result::Result<Opened, AttemptError> {
        let endpoint = self.endpoints.get(i);
        let mut attempt = 0;
        loop {
            let query_id = req.query_id.map_or_else(new_query_id, str::to_owned);
            let body = if req.streaming {
                chwire_proto::http::RequestBody::Chunked
            } else {
                chwire_proto::http::RequestBody::Length(
                    body_len.unwrap_or_else(|| first.iter().map(|s| s.len() as u64).sum()),
                )
            };
            if let Some(span) = req.span {
                span.set_endpoint(&endpoint.host, endpoint.port);
            }
            let head_req = self.request_head(req, &query_id, endpoint).body(body);
            let mut head = BytesMut::with_capacity(512);
            head_req
                .encode_head(&mut head)
                .map_err(|e| AttemptError::before_connect(e.into()))?;

            let conn = endpoint
                .pool
                .acquire(limits, attempt > 0)
                .await
                .map_err(AttemptError::before_connect)?;
            self.endpoints.succeeded(i);
            if let Some(running) = req.running {
                running.set(&query_id, i);
            }
            let mut ex = self.exchange(conn, limits, i, &query_id, req);
            let chunks = req.streaming.then_some(crate::connection::MAX_HTTP_CHUNK);
            let outcome = match ex.write_framed(&head, first, chunks).await {
                Ok(()) if read_head => {
                    let head = ex.read_head().await;
                    if let (Err(_), Some(flag)) = (&head, req.delivered_unanswered) {
                        flag.store(true, std::sync::atomic::Ordering::Relaxed);
                    }
                    head.map(Some)
                }
                Ok(()) => Ok(None),
                Err(e) => Err(e),
            };
            match outcome {
                Ok(head) => {
                    return Ok(Opened {
                        exchange: ex,
                        head,
                        query_id,
                    });
                }
                Err(e)
                    if attempt == 0
                        && ex.connection_reused()
                        && ex.received == 0
                        && e.is_connection() =>
                {
                    attempt += 1;
                    endpoint.pool.count_retry();
                    self.telemetry.retry("stale_connection");
                }
                Err(error) => {
                    return Err(AttemptError {
                        error,
                        connected: true,
                    });
                }
            }
        }
    }

    /// The exchange of one attempt on endpoint `i`'s connection `conn`.
    fn exchange(
        &self,
        conn: crate::pool::PooledConnection,
        limits: &IoLimits,
        i: usize,
        query_id: &str,
        req: &Request<'_>,
    ) -> Exchange {
        let mut ex = Exchange::new(
            conn,
            limits.clone(),
            self.compress_response(),
            self.config.offload().chunk_size,
        );
        ex.endpoint = i;
        ex.expect_query_id(query_id);
        if let Some(progress) = req.progress {
            ex.report_progress(progress.clone());
        }
        ex
    }

    /// Sends a request with a complete body and reads the head; a failure status becomes the
    /// server's exception.
    pub(crate) async fn send(&self, req: &Request<'_>, body: &[u8]) -> Result<Response> {
        let opened = self.open(req, &[body], None, true).await?;
        let head = opened
            .head
            .ok_or_else(|| Error::pipeline("no response head"))?;
        finish_head(opened.exchange, head, opened.query_id).await
    }
}

/// Turns a received head into a [`Response`], or into the error a failure head reports.
pub(crate) async fn finish_head(
    ex: Exchange,
    head: ResponseHead,
    query_id: String,
) -> Result<Response> {
    let mut body = RawBody::new(ex);
    if head.is_failure() {
        return Err(failure_error(&head, &mut body).await);
    }
    Ok(Response {
        query_id: head.query_id.clone().unwrap_or(query_id),
        head,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
