//! Dispatch: how a [`Request`] reaches a server, whatever the transport. The endpoint plan
//! and failover (a request that could not connect moves to the next endpoint), and one retry
//! on a fresh connection when a reused one turns out stale; each attempt is the endpoint
//! transport's ([`Transport::attempt`](crate::transport::Transport::attempt)).

use crate::error::{Error, Result};
use crate::handle::ClientInner;
use crate::limits::IoLimits;
use crate::request::{Request, new_query_id};
use crate::transport::{Attempt, AttemptError, Exchange, Response};

/// A request whose head (and first body bytes) went out on a connection.
#[derive(Debug)]
pub(crate) struct Opened {
    pub exchange: Exchange,
}

impl ClientInner {
    /// Opens an exchange: checks out a connection, writes the head and the `first` body bytes
    /// (segments, in order; with `req.streaming`, the payload of the first chunks). `body_len`
    /// is the body's length when it is not streamed. With `read_head`, also waits for the
    /// server's answer (read by [`Exchange::response`]).
    ///
    /// Endpoints are tried in the order [`Endpoints::plan`](crate::endpoints::Endpoints::plan)
    /// gives; a failure to connect (nothing sent yet) marks the endpoint unhealthy and moves on
    /// to the next one.
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
            let sent = Sent {
                first,
                body_len,
                read_head,
                limits: &limits,
            };
            match self.open_on(i, req, &sent).await {
                Ok(opened) => return Ok(opened),
                Err(AttemptError {
                    error, connected, ..
                }) => {
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
    /// one fails before any response byte (the server closed it while idle).
    async fn open_on(
        &self,
        i: usize,
        req: &Request<'_>,
        sent: &Sent<'_>,
    ) -> std::result::Result<Opened, AttemptError> {
        let endpoint = self.endpoints.get(i);
        let mut fresh = false;
        loop {
            let query_id = req.query_id.map_or_else(new_query_id, str::to_owned);
            if let Some(span) = req.span {
                span.set_endpoint(&endpoint.host, endpoint.port);
            }
            let on_connect = || {
                self.endpoints.succeeded(i);
                if let Some(running) = req.running {
                    running.set(&query_id, i);
                }
            };
            let attempt = Attempt {
                config: &self.config,
                req,
                query_id: &query_id,
                first: sent.first,
                body_len: sent.body_len,
                answer: sent.read_head,
                limits: sent.limits,
                fresh,
                on_connect: &on_connect,
            };
            match endpoint.transport.attempt(&attempt).await {
                Ok(exchange) => return Ok(Opened { exchange }),
                Err(e) if e.stale && !fresh => {
                    fresh = true;
                    endpoint.transport.count_retry();
                    self.telemetry.retry("stale_connection");
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Sends a request with a complete body and reads the answer; a failure answer becomes
    /// the server's exception.
    pub(crate) async fn send(&self, req: &Request<'_>, body: &[u8]) -> Result<Response> {
        let opened = self.open(req, &[body], None, true).await?;
        opened.exchange.response().await
    }
}

/// What every attempt of one request sends.
struct Sent<'a> {
    first: &'a [&'a [u8]],
    body_len: Option<u64>,
    read_head: bool,
    limits: &'a IoLimits,
}
