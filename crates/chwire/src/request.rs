//! [`Request`]: what one request sends besides its body and what it reports back while it
//! runs, independent of the transport; the server [`Session`] it runs in; and [`RunningQuery`], where the request path records
//! the query id and endpoint of each attempt.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, PoisonError};

use http::{HeaderName, HeaderValue};

use crate::error::Result;
use crate::events::EventCallbacks;
use crate::headers::HeaderList;
use crate::progress::ProgressFn;
use crate::settings::Settings;
use crate::telemetry::Span;

/// The description of one request: built with [`query`](Self::query) or
/// [`insert`](Self::insert) and the methods below, read by the transport.
#[derive(Clone, Copy)]
pub(crate) struct Request<'a> {
    /// SQL sent beside the body (inserts, whose body is data); `None`: the body is the SQL.
    pub(crate) sql_beside_body: Option<&'a str>,
    pub(crate) settings: Option<&'a Settings>,
    pub(crate) params: &'a [(String, String)],
    pub(crate) format: Option<&'a str>,
    /// The caller wants the result's bytes in `format` as the server writes them
    /// (`fetch_bytes`), not decoded rows or blocks.
    pub(crate) bytes_of_format: bool,
    /// The query id of every attempt; `None`: a fresh random one each.
    pub(crate) query_id: Option<&'a str>,
    /// The body is compressed blocks (the client's compression).
    pub(crate) body_compressed: bool,
    /// The body is streamed after the first bytes, its length unknown.
    pub(crate) streaming: bool,
    /// Run on this endpoint only (e.g. `KILL QUERY` for a query running there).
    pub(crate) endpoint: Option<usize>,
    /// Records each attempt's query id and endpoint (for cancellation).
    pub(crate) running: Option<&'a RunningQuery>,
    /// Reports the server's progress while waiting for the response.
    pub(crate) progress: Option<&'a ProgressFn>,
    /// Callbacks for what the server reports besides the result (native only).
    pub(crate) events: Option<&'a EventCallbacks>,
    /// The request's client span (trace context, server address).
    pub(crate) span: Option<&'a Span>,
    /// Set when an attempt wrote the whole request and then got no response: the server may
    /// have acted on it (also when a later, transparent attempt fails to connect).
    pub(crate) delivered_unanswered: Option<&'a AtomicBool>,
    /// The request's own custom headers (over the client's, by name).
    pub(crate) headers: &'a [(http::HeaderName, http::HeaderValue)],
    /// The request's own roles (instead of the client's); `None`: the client's.
    pub(crate) roles: Option<&'a [String]>,
    /// The server session the request runs in.
    pub(crate) session: Option<&'a Session>,
}

impl<'a> Request<'a> {
    /// The settings the request runs with: the client's, with the request's own over them
    /// (the same on every transport).
    pub(crate) fn effective_settings<'c>(
        &self,
        client: &'c crate::config::Config,
    ) -> std::borrow::Cow<'c, Settings> {
        match self.settings {
            Some(s) => std::borrow::Cow::Owned(client.settings().merged(s)),
            None => std::borrow::Cow::Borrowed(client.settings()),
        }
    }

    /// A query: the body is its SQL.
    pub(crate) fn query() -> Self {
        Request {
            sql_beside_body: None,
            settings: None,
            params: &[],
            format: None,
            bytes_of_format: false,
            query_id: None,
            body_compressed: false,
            streaming: false,
            endpoint: None,
            running: None,
            progress: None,
            events: None,
            span: None,
            delivered_unanswered: None,
            headers: &[],
            roles: None,
            session: None,
        }
    }

    /// An insert running `sql`: the body is its data, compressed when `compressed`.
    pub(crate) fn insert(sql: &'a str, compressed: bool) -> Self {
        Request {
            sql_beside_body: Some(sql),
            body_compressed: compressed,
            ..Request::query()
        }
    }

    /// Settings over the client's.
    pub(crate) fn settings(mut self, settings: &'a Settings) -> Self {
        self.settings = Some(settings);
        self
    }

    /// Server-side parameters (`name`, text value).
    pub(crate) fn params(mut self, params: &'a [(String, String)]) -> Self {
        self.params = params;
        self
    }

    /// The output format of a result (the server's default format for the request).
    pub(crate) fn format(mut self, format: Option<&'a str>) -> Self {
        self.format = format;
        self
    }

    pub(crate) fn bytes_of_format(mut self, yes: bool) -> Self {
        self.bytes_of_format = yes;
        self
    }

    pub(crate) fn query_id(mut self, id: Option<&'a str>) -> Self {
        self.query_id = id;
        self
    }

    /// The body streams after the first bytes (length unknown).
    pub(crate) fn streaming(mut self) -> Self {
        self.streaming = true;
        self
    }

    pub(crate) fn on_endpoint(mut self, endpoint: Option<usize>) -> Self {
        self.endpoint = endpoint;
        self
    }

    pub(crate) fn running(mut self, running: &'a RunningQuery) -> Self {
        self.running = Some(running);
        self
    }

    pub(crate) fn progress(mut self, progress: Option<&'a ProgressFn>) -> Self {
        self.progress = progress;
        self
    }

    /// Callbacks for logs, profile events, totals and extremes (`None` when none is set).
    pub(crate) fn events(mut self, events: &'a EventCallbacks) -> Self {
        self.events = events.registered().map(|_| events);
        self
    }

    pub(crate) fn span(mut self, span: &'a Span) -> Self {
        self.span = Some(span);
        self
    }

    pub(crate) fn delivered_unanswered(mut self, flag: &'a AtomicBool) -> Self {
        self.delivered_unanswered = Some(flag);
        self
    }

    /// Runs in `session` (when some).
    pub(crate) fn session(mut self, session: Option<&'a Session>) -> Self {
        self.session = session;
        self
    }
}

/// The server session a client handle's requests run in (`Client::session`).
#[derive(Debug)]
pub(crate) struct Session {
    /// `session_id=`.
    pub id: String,
    /// `session_check=1`: the server fails the request when the session does not exist.
    pub check: bool,
}

/// The query id and endpoint of a request's current attempt (each attempt may get a fresh
/// id; a failover changes the endpoint), recorded by the request path; and the way to its
/// connection for an in-band Cancel (native).
#[derive(Debug, Clone, Default)]
pub(crate) struct RunningQuery {
    current: Arc<Mutex<Option<(String, usize)>>>,
    pub(crate) in_band: crate::in_band::InBand,
}

impl RunningQuery {
    pub(crate) fn set(&self, query_id: &str, endpoint: usize) {
        *self.current.lock().unwrap_or_else(PoisonError::into_inner) =
            Some((query_id.into(), endpoint));
    }

    pub(crate) fn get(&self) -> Option<(String, usize)> {
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// A fresh random (version 4) UUID in text form, the query id of one request attempt.
pub(crate) fn new_query_id() -> String {
    let mut b = fastrand::u128(..).to_be_bytes();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_ids_are_v4_uuids() {
        let a = new_query_id();
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(a, new_query_id());
    }
}

/// A request's own custom headers (over the client's, by name) and roles (instead of the
/// client's): what queries and inserts add to their requests, set and applied in one place.
#[derive(Debug, Clone, Default)]
pub(crate) struct RequestIdentity {
    headers: HeaderList,
    roles: Option<Vec<String>>,
}

impl RequestIdentity {
    /// Adds a custom header (checked when the request is sent).
    pub(crate) fn header<K, V>(&mut self, name: K, value: V)
    where
        HeaderName: TryFrom<K>,
        HeaderValue: TryFrom<V>,
    {
        self.headers.push(name, value);
    }

    /// Adds a role; the request's roles replace the client's.
    pub(crate) fn role(&mut self, role: impl Into<String>) {
        self.roles.get_or_insert_with(Vec::new).push(role.into());
    }

    /// Puts them on `req`; [`Error::Config`] for an invalid header, before anything is sent.
    pub(crate) fn apply<'a>(&'a self, req: &mut Request<'a>) -> Result<()> {
        if !self.headers.is_empty() {
            req.headers = self.headers.check()?;
        }
        req.roles = self.roles.as_deref();
        Ok(())
    }
}
