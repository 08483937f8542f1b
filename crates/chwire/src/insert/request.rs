//! Where every insert becomes a request: the SQL beside the body, its settings, the body
//! compressed when the client compresses. Streaming inserts open it and feed a body sink; the
//! [`Inserter`](crate::Inserter) sends each batch with its whole body.

use std::sync::atomic::AtomicBool;

use super::sink::{BodySink, summary};
use crate::error::Result;
use crate::events::EventCallbacks;
use crate::handle::ClientInner;
use crate::request::RequestIdentity;
use crate::request::{Request, RunningQuery, Session};
use crate::settings::Settings;
use crate::summary::QuerySummary;
use crate::telemetry::Span;

/// An insert request (not yet sent).
pub(crate) struct InsertRequest<'a> {
    /// The `INSERT … FORMAT …` statement; the body is the data.
    pub sql: &'a str,
    /// The insert's own settings (over the client's).
    pub settings: &'a Settings,
    /// A fixed query id; `None`: a fresh one per attempt.
    pub query_id: Option<&'a str>,
    /// Records each attempt's query id and endpoint (for `KILL QUERY`).
    pub running: Option<&'a RunningQuery>,
    /// The insert's client span.
    pub span: &'a Span,
    /// Set when an attempt wrote the whole request and then got no response head.
    pub delivered_unanswered: Option<&'a AtomicBool>,
    /// The server session the insert runs in (the client handle's).
    pub session: Option<&'a Session>,
    /// The insert's own custom headers and roles.
    pub identity: Option<&'a RequestIdentity>,
    /// Callbacks for the server's logs and profile events (native).
    pub events: Option<&'a EventCallbacks>,
}

impl InsertRequest<'_> {
    fn request(&self, inner: &ClientInner) -> Result<Request<'_>> {
        let mut req = Request::insert(self.sql, inner.body_compression().is_some())
            .settings(self.settings)
            .query_id(self.query_id)
            .session(self.session)
            .span(self.span);
        if let Some(running) = self.running {
            req = req.running(running);
        }
        if let Some(flag) = self.delivered_unanswered {
            req = req.delivered_unanswered(flag);
        }
        if let Some(events) = self.events {
            req = req.events(events);
        }
        if let Some(identity) = self.identity {
            identity.apply(&mut req)?;
        }
        Ok(req)
    }

    /// Starts a streaming insert: writes the head and the `first` chunk's payload; the rest of
    /// the body goes through the returned sink.
    pub(super) async fn open(&self, inner: &ClientInner, first: &[&[u8]]) -> Result<BodySink> {
        let request = self.request(inner)?.streaming();
        let opened = inner.open(&request, first, None, false).await?;
        Ok(BodySink::new(opened.exchange))
    }

    /// Sends the whole `body` (already compressed when the client compresses) and waits for
    /// the server to commit; returns its summary.
    pub(crate) async fn send(&self, inner: &ClientInner, body: &[u8]) -> Result<QuerySummary> {
        summary(inner.send(&self.request(inner)?, body).await?).await
    }
}
