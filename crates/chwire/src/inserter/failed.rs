//! Batches handed back to the application ([`FailedBatch`]), the errors that carry them
//! ([`InserterError`]), and the handlers that receive them: dead letters, uncertain batches and
//! orphans.

use std::fmt;

use bytes::Bytes;
use chwire_proto::{DataType, Value};

use crate::config::Format;
use crate::error::{Error, Result};
use crate::row::RowError;

/// A batch handed back to the application, with its rows: one that could not be inserted
/// (dead-letter, orphan, [`InserterError::Failed`]), or one acknowledged only after an attempt
/// whose outcome is unknown (the [`uncertain`](crate::InserterBuilder::uncertain) handler).
#[non_exhaustive]
pub struct FailedBatch {
    /// The target table.
    pub table: String,
    /// Column names, in the order of the encoded rows.
    pub columns: Vec<String>,
    /// Number of rows.
    pub rows: u64,
    /// The rows, as a body in [`format`](Self::format) for `columns` (insert it again with
    /// `INSERT INTO table (columns) FORMAT {format}`, or decode it with
    /// [`values`](Self::values)).
    pub data: Bytes,
    /// The format of `data`: `Native` when the inserter's column types allow it (see
    /// [`Inserter`](crate::Inserter), "How rows travel"), else `RowBinary`.
    pub format: Format,
    /// The batch's `insert_deduplication_token` (reuse it when re-inserting the batch, so a
    /// copy that did reach the server is not doubled).
    pub dedup_token: String,
    /// Attempts made.
    pub attempts: u32,
    /// The last attempt's error; for an uncertain batch, the error of the first attempt whose
    /// outcome is unknown.
    pub error: Error,
    pub(super) types: Vec<DataType>,
}

impl fmt::Debug for FailedBatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FailedBatch")
            .field("table", &self.table)
            .field("rows", &self.rows)
            .field("bytes", &self.data.len())
            .field("format", &self.format)
            .field("dedup_token", &self.dedup_token)
            .field("attempts", &self.attempts)
            .field("error", &self.error)
            .finish()
    }
}

impl FailedBatch {
    /// The rows decoded into dynamic values.
    pub fn values(&self) -> Result<Vec<Vec<Value>>> {
        if self.format == Format::RowBinary {
            return chwire_proto::rowbinary::decode_rows(
                &self.types,
                &self.data,
                chwire_proto::DecodeLimits::default(),
            )
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(Error::from);
        }
        let mut decoder = chwire_proto::NativeDecoder::new();
        decoder.feed_bytes(self.data.clone());
        let mut rows = Vec::new();
        while let Some(block) = decoder.finish()? {
            for i in 0..block.rows {
                rows.push(block.row_values(i)?);
            }
        }
        Ok(rows)
    }
}

/// Errors of [`Inserter`](crate::Inserter) calls.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InserterError {
    /// Batches failed (after their retries) and no dead-letter handler took them; their rows
    /// are inside. Returned once, by the first call that sees them.
    #[error("{} batch(es) with {} rows failed to insert; first error: {}",
        .0.len(), .0.iter().map(|b| b.rows).sum::<u64>(),
        .0.first().map_or(String::new(), |b| b.error.to_string()))]
    Failed(Vec<FailedBatch>),
    /// The row did not fit the inserter's columns; nothing was written.
    #[error("row rejected: {0}")]
    Row(Error),
    /// A typed row did not fit the inserter's columns; nothing was written.
    #[error("typed row rejected: {0}")]
    TypedRow(#[from] RowError),
    /// The inserter was ended; nothing was written.
    #[error("the inserter was ended")]
    Closed,
}

impl InserterError {
    /// The failed batches, if this is [`InserterError::Failed`].
    pub fn failed_batches(&self) -> &[FailedBatch] {
        match self {
            InserterError::Failed(b) => b,
            _ => &[],
        }
    }
}

pub(super) type BatchHandler = Box<dyn Fn(FailedBatch) + Send + Sync>;

/// The application's handlers of batches handed back (each optional).
#[derive(Default)]
pub(super) struct Handlers {
    pub(super) dead_letter: Option<BatchHandler>,
    pub(super) uncertain: Option<BatchHandler>,
    pub(super) orphan: Option<BatchHandler>,
}

impl Handlers {
    /// Hands a batch that failed for good to the dead-letter handler; without one, gives it
    /// back to be returned by the next call.
    pub(super) fn dead_letter(&self, batch: FailedBatch) -> Option<FailedBatch> {
        match &self.dead_letter {
            Some(h) => {
                h(batch);
                None
            }
            None => Some(batch),
        }
    }

    /// Hands an uncertain batch (built only when someone takes it) to its handler.
    pub(super) fn uncertain(&self, batch: impl FnOnce() -> FailedBatch) {
        if let Some(h) = &self.uncertain {
            h(batch());
        }
    }

    /// Hands a failed batch nobody can collect any more to the orphan handler (default: a
    /// warning on stderr).
    pub(super) fn orphan(&self, batch: FailedBatch) {
        match &self.orphan {
            Some(h) => h(batch),
            None => eprintln!(
                "chwire: inserter dropped without end(): {} rows for {} were not inserted \
                 and nobody collected them: {}",
                batch.rows, batch.table, batch.error
            ),
        }
    }
}
