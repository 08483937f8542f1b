//! Server sessions over HTTP: a [`Client`] handle whose requests carry one `session_id`, so
//! that temporary tables and `SET` survive from one query to the next. The server keeps the
//! session's state; chwire only names it (and, when resuming one, asks the server to check that
//! it still exists).

use std::sync::Arc;

use crate::handle::Client;
use crate::request::{Session, new_query_id};

impl Client {
    /// A handle on this client (same pools and options) whose queries and inserts all run in
    /// one new server session, named by a fresh random id: a `CREATE TEMPORARY TABLE` or `SET`
    /// of one query is seen by the next. Other handles, and other sessions, do not see it.
    ///
    /// The server ends a session after [`ClientBuilder::session_timeout`] (its default: 60 s)
    /// without a request. A session runs one query at a time: a request sent while another of
    /// the same session still runs (a result stream not yet read to its end, a concurrent
    /// task) fails with the server's error
    /// [`SESSION_IS_LOCKED`](crate::error_codes::SESSION_IS_LOCKED); chwire does not queue
    /// them. A session lives on one server: with several URLs, give it a client of its own
    /// server (or [`LoadBalancing::InOrder`](crate::LoadBalancing::InOrder), which sends to the
    /// first healthy one).
    ///
    /// [`ClientBuilder::session_timeout`]: crate::ClientBuilder::session_timeout
    pub fn session(&self) -> Client {
        self.in_session(new_query_id(), false)
    }

    /// A handle that runs in the existing session `id` (e.g. one [`session_id`](Self::session_id)
    /// reported): the server checks that it still exists (`session_check=1`) and fails every
    /// request with [`SESSION_NOT_FOUND`](crate::error_codes::SESSION_NOT_FOUND) once it has
    /// expired.
    pub fn resume_session(&self, id: impl Into<String>) -> Client {
        self.in_session(id.into(), true)
    }

    /// The id of the session this handle's requests run in ([`session`](Self::session),
    /// [`resume_session`](Self::resume_session)); `None` outside a session.
    pub fn session_id(&self) -> Option<&str> {
        self.session.as_deref().map(|s| s.id.as_str())
    }

    /// This client outside any session (for `KILL QUERY`, which must not wait for the
    /// session's running query).
    pub(crate) fn without_session(&self) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            session: None,
        }
    }

    fn in_session(&self, id: String, check: bool) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            session: Some(Arc::new(Session { id, check })),
        }
    }
}
