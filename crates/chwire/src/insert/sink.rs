//! Where an insert's encoded body goes: today the chunked body of an open HTTP request. The
//! writer only hands it payload and the end, so another transport can take its place here.

use std::sync::Arc;

use bytes::BytesMut;
use chwire_proto::http::ChunkedEncoder;
use chwire_rt::RuntimeExt;

use crate::connection::{Exchange, MAX_HTTP_CHUNK};
use crate::dispatch::{Response, finish_head};
use crate::error::{Error, Result};
use crate::summary::QuerySummary;

/// The body of one started insert request (its head and first chunk already written).
pub(super) struct BodySink {
    ex: Exchange,
    query_id: String,
}

impl BodySink {
    pub(super) fn new(ex: Exchange, query_id: String) -> BodySink {
        BodySink { ex, query_id }
    }

    /// Sends one chunk's payload (`segments`, in order) as HTTP chunks of at most
    /// [`MAX_HTTP_CHUNK`], size lines beside the data (vectored writes, nothing copied).
    pub(super) async fn write(&mut self, segments: &[&[u8]]) -> Result<()> {
        self.ex
            .write_framed(&[], segments, Some(MAX_HTTP_CHUNK))
            .await
    }

    /// Ends the body and waits for the server to commit; returns its summary.
    pub(super) async fn finish(mut self) -> Result<QuerySummary> {
        let mut end = BytesMut::new();
        ChunkedEncoder.encode_end(&mut end);
        if let Err(e) = self.ex.write_all(&end).await {
            return Err(self.failure(e).await);
        }
        let head = self.ex.read_head().await?;
        summary(finish_head(self.ex, head, self.query_id).await?).await
    }

    /// After a failed write: the server's exception if it sent one, else `write_error`.
    pub(super) async fn failure(self, write_error: Error) -> Error {
        let mut ex = self.ex;
        let rt = Arc::clone(&ex.limits().rt);
        let read = async {
            let head = ex.read_head().await?;
            finish_head(ex, head, String::new()).await
        };
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
