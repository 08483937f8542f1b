//! The one place an insert becomes a request: the SQL in the URL, its settings, the body
//! compressed when the client compresses. Streaming inserts and the Inserter's batches both
//! go through it.

use std::sync::atomic::AtomicBool;

use super::sink::BodySink;
use crate::cancel::RunningQuery;
use crate::client::{ClientInner, RequestParts};
use crate::error::Result;
use crate::settings::Settings;
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
}

impl InsertRequest<'_> {
    fn parts(&self, inner: &ClientInner, chunked: bool) -> RequestParts<'_> {
        RequestParts {
            url_query: Some(self.sql),
            settings: Some(self.settings),
            query_id: self.query_id,
            body_compressed: inner.body_compression().is_some(),
            chunked,
            running: self.running,
            span: Some(self.span),
            delivered_unanswered: self.delivered_unanswered,
            ..RequestParts::default()
        }
    }

    /// Starts a streaming insert: writes the head and the `first` chunk's payload; the rest of
    /// the body goes through the returned sink.
    pub(super) async fn open(&self, inner: &ClientInner, first: &[&[u8]]) -> Result<BodySink> {
        let parts = self.parts(inner, true);
        let (ex, _, query_id) = inner.open(&parts, first, None, false).await?;
        Ok(BodySink::new(ex, query_id))
    }
}
