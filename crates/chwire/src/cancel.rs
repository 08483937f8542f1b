//! Cancellation that frees server work, the way the endpoint's transport does it
//! ([`Transport::cancel`]): HTTP sends `KILL QUERY` as a request of its own; native sends the
//! protocol's Cancel on the query's own connection while a body reads its answer
//! ([`InBand`](crate::in_band::InBand)),
//! and `KILL QUERY` otherwise.
//!
//! Dropping an HTTP request closes its connection, but ClickHouse only notices a closed
//! connection when it next writes to it, which can be long for a query that reads much and
//! returns little (or never, for one that buffers with `wait_end_of_query`). With
//! `kill_query_on_drop` a dropped query or insert also sends `KILL QUERY` for its query id, to
//! the endpoint running it, from a detached task: whether the drop happens while waiting for
//! the response head, while streaming the result, or while sending an insert body. A dropped
//! native result always sends Cancel and drains its connection (`transport/native/body.rs`),
//! so the guard has nothing left to do once a native body has the query. A [`CancelHandle`]
//! does the same on demand, from anywhere.

use crate::error::Result;
use crate::handle::Client;
use crate::request::RunningQuery;
use crate::transport::Transport;

/// Cancels the running query when dropped, unless [disarmed](Self::disarm).
#[derive(Debug)]
pub(crate) struct KillOnDrop {
    client: Client,
    running: RunningQuery,
    armed: bool,
}

impl KillOnDrop {
    /// A guard for `running` if the client kills dropped queries.
    pub(crate) fn new(client: &Client, running: &RunningQuery) -> Option<KillOnDrop> {
        client
            .inner
            .config
            .kill_query_on_drop()
            .then(|| KillOnDrop {
                client: client.clone(),
                running: running.clone(),
                armed: true,
            })
    }

    /// The request finished (or the server ended it): nothing to kill.
    pub(crate) fn disarm(mut self) {
        self.armed = false;
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let Some((id, endpoint)) = self.running.get() else {
            return;
        };
        // A native body that had the query sends Cancel itself as it drops.
        if transport(&self.client, endpoint).cancel().in_band && self.running.in_band.claimed() {
            return;
        }
        kill_query(self.client.clone(), id, endpoint);
    }
}

fn transport(client: &Client, endpoint: usize) -> &Transport {
    &client.inner.endpoints.get(endpoint).transport
}

/// Cancels `query_id` on `endpoint` from a detached task (in the caller's trace context).
pub(crate) fn kill_query(client: Client, query_id: String, endpoint: usize) {
    let rt = client.inner.rt.clone();
    let task = async move {
        let _ = send_kill(&client, &query_id, endpoint).await;
    };
    rt.spawn(crate::telemetry::in_current_context(task));
}

/// Runs endpoint `endpoint`'s cancel statement for `query_id` (`KILL QUERY`).
pub(crate) async fn send_kill(client: &Client, query_id: &str, endpoint: usize) -> Result<()> {
    let sql = transport(client, endpoint).cancel().statement;
    // Outside any session: the session is locked while the query to kill runs.
    let mut q = client.without_session().query(sql).param("id", query_id);
    q.endpoint = Some(endpoint);
    q.kill_on_drop = false;
    q.execute().await.map(drop)
}

/// Kills a query from anywhere ([`Query::cancel_handle`](crate::Query::cancel_handle)): over
/// HTTP it sends `KILL QUERY … ASYNC` to the server running it; over native, Cancel on the
/// query's own connection while its result streams ([`InBand`](crate::in_band::InBand); `KILL QUERY` before that).
/// Cheap to clone.
#[derive(Debug, Clone)]
pub struct CancelHandle {
    pub(crate) client: Client,
    pub(crate) running: RunningQuery,
}

impl CancelHandle {
    /// The query id of the request's current attempt, once it has been sent.
    pub fn query_id(&self) -> Option<String> {
        self.running.get().map(|(id, _)| id)
    }

    /// Asks the server to stop the query (no-op if it has not been sent yet or has ended).
    /// Returns when the server accepted the `KILL QUERY`; over native while the result streams,
    /// once the stream has the request (it sends Cancel when next read, or when dropped). The
    /// query's own stream then ends with the server's `QUERY_WAS_CANCELLED` error (over native:
    /// after the rows the server had already sent) or a cut connection.
    pub async fn kill(&self) -> Result<()> {
        let Some((id, endpoint)) = self.running.get() else {
            return Ok(());
        };
        let in_band = transport(&self.client, endpoint).cancel().in_band;
        if in_band && self.running.in_band.request() {
            return Ok(());
        }
        send_kill(&self.client, &id, endpoint).await
    }
}
