//! The flusher task: groups the rows handles queue into batches, closes a batch when it is
//! full or old enough, and starts a sender task per batch within the concurrency limit.

use std::pin::pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use chwire_proto::native::ConcatenatedBlock;
use chwire_rt::Runtime;
use futures_util::future::{Either, select};

use super::send::{BatchData, send_batch};
use super::shared::{Msg, Shared};

/// A batch being filled by the flusher.
struct OpenBatch {
    /// RowBinary rows (a `RowBinary` inserter).
    data: BytesMut,
    /// The rows of the blocks queued (a `Native` inserter), written into one block's columns
    /// as they come.
    columns: Option<ConcatenatedBlock>,
    /// Why blocks could not be appended (not expected: handles queue blocks of the
    /// inserter's columns only); the batch then fails with it.
    broken: Option<crate::error::Error>,
    rows: u64,
    /// The bytes its rows were admitted with (released when it is done).
    bytes: u64,
    opened: Instant,
}

/// The open batch and the id the next batch sent gets (ids start at 1, in sending order).
struct Batches {
    open: Option<OpenBatch>,
    next_id: u64,
}

impl Batches {
    /// Sends the open batch, if any.
    async fn close(&mut self, shared: &Arc<Shared>) {
        if let Some(batch) = self.open.take() {
            let id = self.next_id;
            self.next_id += 1;
            dispatch(shared, batch, id).await;
        }
    }

    /// Appends queued rows to the open batch (opening one at `now`); true when it is full.
    fn append(&mut self, msg: Msg, now: Instant, shared: &Shared) -> bool {
        let b = self.open.get_or_insert_with(|| OpenBatch {
            data: BytesMut::new(),
            columns: None,
            broken: None,
            rows: 0,
            bytes: 0,
            opened: now,
        });
        match msg {
            Msg::Rows { rows, data } => {
                b.data.extend_from_slice(&data);
                b.rows += rows;
                b.bytes += data.len() as u64;
            }
            Msg::Block { block, bytes } => {
                b.rows += block.rows as u64;
                b.bytes += bytes;
                let columns = match b.columns.take() {
                    Some(c) => Ok(c),
                    None => ConcatenatedBlock::new(&shared.config.columns),
                };
                match columns.and_then(|mut c| c.push(&block).map(|()| c)) {
                    Ok(c) => b.columns = Some(c),
                    Err(e) => b.broken = Some(e.into()),
                }
            }
            Msg::Flush(_) => {}
        }
        b.rows >= shared.config.max_rows || b.bytes >= shared.config.max_bytes
    }
}

/// What the flusher waits for next.
enum Next {
    Msg(Msg),
    /// The open batch's period is over.
    Deadline,
    /// Every handle is gone (or the inserter was ended) and the queue is drained.
    Closed,
}

/// Takes what is queued without arming a timer; waits (until the open batch's deadline, if
/// any) only when the queue is empty. Cancel-safe: a message is never lost to the timer.
async fn next(
    rx: &async_channel::Receiver<Msg>,
    open: Option<&OpenBatch>,
    rt: &dyn Runtime,
    period: Duration,
) -> Next {
    let received = |m: Result<Msg, _>| m.map_or(Next::Closed, Next::Msg);
    match rx.try_recv() {
        Ok(m) => Next::Msg(m),
        Err(async_channel::TryRecvError::Closed) => Next::Closed,
        Err(async_channel::TryRecvError::Empty) => match open {
            None => received(rx.recv().await),
            Some(b) => {
                let deadline = chwire_rt::deadline_after(b.opened, period);
                match select(pin!(rx.recv()), rt.sleep_until(deadline)).await {
                    Either::Left((m, _)) => received(m),
                    Either::Right(_) => Next::Deadline,
                }
            }
        },
    }
}

/// The flusher task of one inserter; ends once every handle is gone or the inserter was
/// ended, after the batches in flight finished.
pub(super) async fn flusher(shared: Arc<Shared>, rx: async_channel::Receiver<Msg>) {
    let rt = Arc::clone(shared.client.runtime());
    let mut batches = Batches {
        open: None,
        next_id: 1,
    };
    loop {
        match next(&rx, batches.open.as_ref(), &*rt, shared.config.period).await {
            Next::Msg(Msg::Flush(reply)) => {
                batches.close(&shared).await;
                let _ = reply.try_send(batches.next_id - 1);
            }
            Next::Msg(msg) => {
                if batches.append(msg, rt.now(), &shared) {
                    batches.close(&shared).await;
                }
            }
            Next::Deadline => batches.close(&shared).await,
            Next::Closed => break,
        }
    }
    batches.close(&shared).await;
    shared.wait_until(|st| st.in_flight.is_empty()).await;
    for batch in shared.flusher_stopped() {
        shared.handlers.orphan(batch);
    }
}

/// Waits for an in-flight slot, then starts the sender task of batch `id`.
async fn dispatch(shared: &Arc<Shared>, batch: OpenBatch, id: u64) {
    shared
        .wait_until(|st| {
            if st.in_flight.len() < st.aimd.slots() {
                st.in_flight.insert(id);
                st.stats.batches_in_flight = st.in_flight.len();
                st.stats.batches_sent += 1;
                true
            } else {
                false
            }
        })
        .await;
    let OpenBatch {
        data,
        columns,
        broken,
        rows,
        bytes,
        ..
    } = batch;
    let data = match (broken, columns) {
        (Some(e), _) => Err(e),
        (None, Some(columns)) => Ok(BatchData::Native(Box::new(columns))),
        (None, None) => Ok(BatchData::RowBinary(data.freeze())),
    };
    // Releases the slot and budget even if the task is dropped unpolled or a handler panics.
    let guard = ReleaseGuard {
        shared: Arc::clone(shared),
        id,
        rows,
        bytes,
    };
    shared.client.runtime().spawn(Box::pin(async move {
        send_batch(&guard.shared, id, rows, bytes, data).await;
        drop(guard);
    }));
}

struct ReleaseGuard {
    shared: Arc<Shared>,
    id: u64,
    rows: u64,
    bytes: u64,
}

impl Drop for ReleaseGuard {
    fn drop(&mut self) {
        self.shared.release(self.id, self.rows, self.bytes);
    }
}
