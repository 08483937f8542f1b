//! One query on a native connection: the Query packet sent, then the answer's first packets
//! read on the calling task (progress reported, a failure before any result turned into the
//! server's error), and the rest handed to the body ([`RawBody`]).

use chwire_proto::Block;
use chwire_proto::tcp::{Event, Query};

use super::body::RawBody;
use super::connection::{Connection, server_error};
use super::insert::BodyBlocks;
use crate::error::{Error, Result};
use crate::limits::IoLimits;
use crate::pool::PooledConnection;
use crate::progress::ProgressFn;
use crate::transport::{Body, Head, Response};

/// A query sent on a pooled native connection. The connection goes back to the pool only in
/// a reusable state (proto says so); dropping the exchange closes it.
pub(crate) struct Exchange {
    conn: Option<PooledConnection<Connection>>,
    limits: IoLimits,
    query_id: String,
    progress: Option<ProgressFn>,
    /// The result's header block, once read.
    header: Option<Block>,
    /// The answer was read to its EndOfStream.
    ended: bool,
    /// A packet of the answer arrived (the connection was not stale).
    answered: bool,
    /// An INSERT's body, read back into blocks.
    insert: Option<BodyBlocks>,
    /// Rows of the INSERT sent so far.
    sent_rows: u64,
}

impl Exchange {
    pub(super) fn new(
        conn: PooledConnection<Connection>,
        limits: IoLimits,
        query_id: &str,
        progress: Option<ProgressFn>,
    ) -> Exchange {
        Exchange {
            conn: Some(conn),
            limits,
            query_id: query_id.to_owned(),
            progress,
            header: None,
            ended: false,
            answered: false,
            insert: None,
            sent_rows: 0,
        }
    }

    pub(crate) fn limits(&self) -> &IoLimits {
        &self.limits
    }

    pub(super) fn connection_reused(&self) -> bool {
        self.conn.as_ref().is_some_and(|c| c.reused)
    }

    pub(super) fn answered(&self) -> bool {
        self.answered
    }

    fn conn(&mut self) -> Result<&mut Connection> {
        match self.conn.as_mut() {
            Some(c) => Ok(c.connection()),
            None => Err(Error::pipeline("the native connection is gone")),
        }
    }

    /// Sends the Query packet.
    pub(super) async fn start(&mut self, packet: &Query) -> Result<()> {
        let limits = self.limits.clone();
        let conn = self.conn()?;
        conn.proto_mut()?
            .query(packet)
            .map_err(|e| Error::pipeline(format!("native connection: {e}")))?;
        conn.flush(&limits).await
    }

    /// Sends an INSERT's Query packet and waits for the server's schema block (the table's
    /// columns; blocks are sent as they come, the server checks them against it). The body
    /// follows through [`send_body`](Self::send_body) (`compressed`: as compressed blocks).
    pub(super) async fn start_insert(&mut self, packet: &Query, compressed: bool) -> Result<()> {
        let limits = self.limits.clone();
        let conn = self.conn()?;
        conn.proto_mut()?
            .insert(packet)
            .map_err(|e| Error::pipeline(format!("native connection: {e}")))?;
        conn.flush(&limits).await?;
        self.insert = Some(BodyBlocks::new(compressed));
        loop {
            let event = self.conn()?.next_event(&limits).await?;
            self.answered = true;
            match event {
                Event::Schema(_) => return Ok(()),
                Event::Progress(_) => self.report_progress()?,
                Event::Exception(e) => {
                    self.release();
                    return Err(server_error(e, false));
                }
                _ => {}
            }
        }
    }

    /// Sends blocks of the INSERT's body as Data packets.
    async fn send_blocks(&mut self, blocks: Vec<Block>) -> Result<()> {
        let limits = self.limits.clone();
        self.sent_rows += blocks.iter().map(|b| b.rows as u64).sum::<u64>();
        let conn = self.conn()?;
        for block in &blocks {
            conn.proto_mut()?
                .send_block(block)
                .map_err(|e| Error::pipeline(format!("native insert: {e}")))?;
            conn.flush(&limits).await?;
        }
        Ok(())
    }

    /// Reads the answer up to the result's header block (`to_end`: up to its end, result
    /// blocks dropped). An exception is the server's error; the connection, ready again, goes
    /// back to the pool.
    pub(super) async fn read_answer(&mut self, to_end: bool) -> Result<()> {
        let limits = self.limits.clone();
        loop {
            let event = self.conn()?.next_event(&limits).await?;
            self.answered = true;
            match event {
                Event::Header(b) if !to_end => {
                    self.header = Some(b);
                    return Ok(());
                }
                Event::Progress(_) => self.report_progress()?,
                Event::Exception(e) => {
                    self.release();
                    return Err(server_error(e, false));
                }
                Event::EndOfStream => {
                    self.ended = true;
                    return Ok(());
                }
                _ => {}
            }
        }
    }

    fn report_progress(&mut self) -> Result<()> {
        let total = self.conn()?.proto_mut()?.progress();
        if let Some(f) = &self.progress {
            f(&total);
        }
        Ok(())
    }

    /// Returns the connection to the pool if proto says it is reusable (closes it otherwise).
    fn release(&mut self) {
        if let Some(mut conn) = self.conn.take() {
            if conn.connection().is_reusable() {
                conn.release();
            }
        }
    }

    /// The answer: the counters so far as its head, the rest as its body (an INSERT's answer
    /// is read to its end first).
    pub(crate) async fn response(mut self) -> Result<Response> {
        if self.insert.is_some() && !self.ended {
            self.read_answer(true).await?;
        }
        let mut summary = self.conn()?.proto_mut()?.progress();
        if self.insert.is_some() && summary.written_rows == 0 {
            // The server reports an INSERT's rows in profile events, not in Progress: its
            // EndOfStream acknowledges every row sent.
            summary.written_rows = self.sent_rows;
        }
        let Exchange {
            conn,
            limits,
            query_id,
            progress,
            header,
            ended,
            ..
        } = self;
        Ok(Response {
            head: Head { summary },
            body: Body::Native(RawBody::new(conn, limits, header, progress, ended)),
            query_id,
        })
    }

    /// Sends more of an INSERT's body (segments, in order): the blocks they complete.
    pub(crate) async fn send_body(&mut self, segments: &[&[u8]]) -> Result<()> {
        let Some(body) = self.insert.as_mut() else {
            return Err(Error::pipeline("a body for a native query"));
        };
        let mut blocks = Vec::new();
        for s in segments {
            body.feed(s, &mut blocks)?;
        }
        self.send_blocks(blocks).await
    }

    /// Ends an INSERT's body: its last blocks, then the empty block that ends the data.
    pub(crate) async fn end_body(&mut self) -> Result<()> {
        let Some(body) = self.insert.as_mut() else {
            return Err(Error::pipeline("a body for a native query"));
        };
        let mut blocks = Vec::new();
        body.finish(&mut blocks)?;
        self.send_blocks(blocks).await?;
        let limits = self.limits.clone();
        let conn = self.conn()?;
        conn.proto_mut()?
            .finish_input()
            .map_err(|e| Error::pipeline(format!("native insert: {e}")))?;
        conn.flush(&limits).await
    }
}

impl std::fmt::Debug for Exchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exchange")
            .field("query_id", &self.query_id)
            .field("ended", &self.ended)
            .field("answered", &self.answered)
            .finish_non_exhaustive()
    }
}
