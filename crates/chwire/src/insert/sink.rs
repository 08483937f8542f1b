//! Where an insert's encoded body goes: the body of a request the transport has started
//! (HTTP: chunks of an open request). The writer only hands it payload and the end.

use chwire_rt::RuntimeExt;

use crate::error::{Error, Result};
use crate::summary::QuerySummary;
use crate::transport::{Exchange, Response};

/// The body of one started insert request (its head and first chunk already written).
pub(super) struct BodySink {
    ex: Exchange,
}

impl BodySink {
    pub(super) fn new(ex: Exchange) -> BodySink {
        BodySink { ex }
    }

    /// Sends one chunk's payload (`segments`, in order), nothing copied.
    pub(super) async fn write(&mut self, segments: &[&[u8]]) -> Result<()> {
        self.ex.send_body(segments).await
    }

    /// Sends one whole block (the native protocol's Data packet), when
    /// [`takes_blocks`](Self::takes_blocks).
    pub(super) async fn write_block(&mut self, block: chwire_proto::Block) -> Result<()> {
        self.ex.send_block(block).await
    }

    /// Writes out what the transport holds back (nothing is waiting to be sent).
    pub(super) async fn idle(&mut self) -> Result<()> {
        self.ex.send_pending().await
    }

    /// Whether the body takes whole blocks rather than encoded bytes.
    pub(super) fn takes_blocks(&self) -> bool {
        self.ex.takes_blocks()
    }

    /// Ends the body and waits for the server to commit; returns its summary.
    pub(super) async fn finish(mut self) -> Result<QuerySummary> {
        if let Err(e) = self.ex.end_body().await {
            return Err(self.failure(e).await);
        }
        summary(self.ex.response().await?).await
    }

    /// After a failed write: the server's exception if it sent one, else `write_error`.
    pub(super) async fn failure(self, write_error: Error) -> Error {
        let rt = self.ex.runtime();
        let read = self.ex.response();
        match rt.timeout(std::time::Duration::from_secs(5), read).await {
            Ok(Err(e @ Error::Server(_))) => e,
            _ => write_error,
        }
    }
}

/// An insert's answer: its body is empty (or a few bytes), read to keep the connection
/// reusable; the summary is in the head.
pub(super) async fn summary(mut resp: Response) -> Result<QuerySummary> {
    resp.body.collect_capped(1 << 16).await?;
    Ok(QuerySummary::from_head(&resp.head, &resp.query_id))
}
