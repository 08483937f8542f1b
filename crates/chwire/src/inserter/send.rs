//! Sending one batch: its body encoded (a `Native` inserter's blocks as one block) and
//! compressed, then attempts through the insert path
//! ([`InsertRequest`]) until one commits, the failure is fatal or the retry policy gives up;
//! the outcome moves the counters and the concurrency limit, and reaches the handlers.

use std::sync::atomic::{AtomicBool, Ordering};

use bytes::{Bytes, BytesMut};
use chwire_proto::native::ConcatenatedBlock;
use chwire_proto::{CompressedBlockWriter, NativeEncoder};
use chwire_rt::RuntimeExt;

use super::shared::Shared;
use crate::classify::FailureClass;
use crate::error::{Error, Result};
use crate::handle::ClientInner;
use crate::insert::InsertRequest;
use crate::settings::Settings;

/// Bodies above this many bytes are encoded and compressed on the blocking pool.
const INLINE_COMPRESS_BYTES: usize = 256 * 1024;

/// A closed batch's rows, as the flusher gathered them.
pub(super) enum BatchData {
    /// RowBinary rows: the body as it is.
    RowBinary(Bytes),
    /// The rows of a `Native` inserter, as one block.
    Native(Box<ConcatenatedBlock>),
}

/// One batch on its way: its rows (the uncompressed body), the bytes they were admitted
/// with, and its deduplication token.
struct Batch {
    rows: u64,
    bytes: u64,
    data: Bytes,
    token: String,
}

/// How a batch's attempts ended.
enum Outcome {
    Committed {
        attempts: u32,
        /// The first failure after which the server may have applied the batch anyway.
        unknown: Option<Error>,
    },
    Failed {
        attempts: u32,
        error: Error,
    },
}

/// Sends batch `id` with retries; hands it to the uncertain handler when it committed only
/// after an attempt of unknown outcome, and on final failure to the dead-letter handler or the
/// queue of failed batches. `data` is the flusher's error when it could not gather the rows:
/// the batch then fails with it.
pub(super) async fn send_batch(
    shared: &Shared,
    id: u64,
    rows: u64,
    bytes: u64,
    data: Result<BatchData>,
) {
    let token = shared.config.dedup_token(id);
    let prepared = match data {
        Ok(data) => body(&shared.client.inner, data, bytes).await,
        Err(e) => Err(e),
    };
    let (batch, outcome) = match prepared {
        Ok((data, body)) => {
            let batch = Batch {
                rows,
                bytes,
                data,
                token,
            };
            let outcome = attempts(shared, &batch, &body).await;
            (batch, outcome)
        }
        Err(error) => {
            let batch = Batch {
                rows,
                bytes,
                data: Bytes::new(),
                token,
            };
            (batch, Outcome::Failed { attempts: 0, error })
        }
    };
    settle(shared, batch, outcome);
}

/// The batch's body, uncompressed (kept for the batch's handlers) and as the client sends it:
/// compressed blocks when it compresses. Large batches are encoded and compressed on the
/// blocking pool.
async fn body(inner: &ClientInner, data: BatchData, bytes: u64) -> Result<(Bytes, Bytes)> {
    let compression = inner.body_compression();
    if let (BatchData::RowBinary(plain), None) = (&data, compression) {
        return Ok((plain.clone(), plain.clone()));
    }
    let work = move || -> Result<(Bytes, Bytes)> {
        let plain = match data {
            BatchData::RowBinary(plain) => plain,
            BatchData::Native(columns) => {
                let mut out = Vec::new();
                columns.encode_into(&NativeEncoder::new(), &mut out);
                Bytes::from(out)
            }
        };
        let Some(c) = compression else {
            return Ok((plain.clone(), plain));
        };
        let mut out = BytesMut::with_capacity(plain.len() / 2 + 64);
        CompressedBlockWriter::new(c).write(&plain, &mut out)?;
        Ok((plain, out.freeze()))
    };
    if bytes as usize <= INLINE_COMPRESS_BYTES {
        return work();
    }
    match inner.rt.run_blocking(work).await {
        Ok(r) => r,
        Err(e) => Err(Error::Pipeline(format!("encoder: {e}"))),
    }
}

/// Attempts until one commits or the batch fails for good, waiting the policy's backoff in
/// between. Every attempt carries the batch's token, so a retry of an attempt the server did
/// apply is dropped as a duplicate.
async fn attempts(shared: &Shared, batch: &Batch, body: &Bytes) -> Outcome {
    let cfg = &shared.config;
    let mut settings = cfg.settings.clone();
    settings.set("insert_deduplication_token", &batch.token);
    let mut attempts = 0u32;
    let mut unknown: Option<Error> = None;
    loop {
        attempts += 1;
        let delivered_unanswered = AtomicBool::new(false);
        let error = match attempt(shared, &settings, body, &delivered_unanswered).await {
            Ok(()) => return Outcome::Committed { attempts, unknown },
            Err(e) => e,
        };
        if !retry_after(shared, &error, attempts) {
            return Outcome::Failed { attempts, error };
        }
        if unknown.is_none()
            && (error.outcome_unknown() || delivered_unanswered.load(Ordering::Relaxed))
        {
            unknown = Some(error);
        }
        let rt = &shared.client.inner.rt;
        rt.sleep(cfg.retry.backoff(attempts - 1)).await;
    }
}

/// One attempt, with a client span of its own (a no-op without the `opentelemetry` feature).
/// On success the concurrency limit grows.
async fn attempt(
    shared: &Shared,
    settings: &Settings,
    body: &[u8],
    delivered_unanswered: &AtomicBool,
) -> Result<()> {
    let inner = &shared.client.inner;
    let sql = &shared.config.insert_sql;
    let span = inner.span(sql, None);
    let request = InsertRequest {
        sql,
        settings,
        query_id: None,
        running: None,
        span: &span,
        delivered_unanswered: Some(delivered_unanswered),
        session: shared.client.session.as_deref(),
        identity: None,
        events: None,
    };
    match request.send(inner, body).await {
        Ok(summary) => {
            span.set_summary(&summary);
            span.end_ok();
            shared.lock().aimd.on_success();
            Ok(())
        }
        Err(e) => {
            span.end_err(&e);
            Err(e)
        }
    }
}

/// Records a failed attempt (an overload halves the concurrency limit); whether to retry:
/// not after a fatal failure or the policy's last retry.
fn retry_after(shared: &Shared, error: &Error, attempts: u32) -> bool {
    let class = error.failure_class();
    let mut st = shared.lock();
    if class == FailureClass::BackPressure {
        st.aimd.on_back_pressure();
        let slots = st.aimd.slots();
        st.stats.back_pressure(slots);
    }
    if class == FailureClass::Fatal || attempts > shared.config.retry.max_retries {
        return false;
    }
    st.stats.retries += 1;
    true
}

/// Counts the outcome and hands the batch to whoever must see it.
fn settle(shared: &Shared, batch: Batch, outcome: Outcome) {
    let cfg = &shared.config;
    let Batch {
        rows,
        bytes,
        data,
        token,
    } = batch;
    match outcome {
        Outcome::Committed { attempts, unknown } => {
            shared
                .lock()
                .stats
                .committed(rows, bytes, unknown.is_some());
            if let Some(error) = unknown {
                let batch = || cfg.batch(rows, data, token, attempts, error);
                shared.handlers.uncertain(batch);
            }
        }
        Outcome::Failed { attempts, error } => {
            shared.lock().stats.failed(rows);
            let failed = cfg.batch(rows, data, token, attempts, error);
            if let Some(kept) = shared.handlers.dead_letter(failed) {
                shared.lock().errors.push_back(kept);
            }
        }
    }
}
