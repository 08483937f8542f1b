//! [`RowCursor`]: the typed rows of a result, taken from the batches the off-loop decoder
//! finds, on the consuming task (so each row's `String`s are allocated where they are freed).

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::coop::Budget;
use crate::error::{Error, Result};
use crate::offload::{self, ItemStream, PipelineStats};
use crate::row::Row;
use crate::summary::QuerySummary;

/// Typed rows ([`Query::fetch`]): `next()` (or the `Stream`) for owned rows,
/// [`next_borrowed`](Self::next_borrowed) for rows whose `&str`/`&[u8]` fields borrow from
/// the cursor (`fetch::<MyRow<'_>>()`).
pub struct RowCursor<T> {
    items: ItemStream<offload::RowBatch>,
    /// The batch rows are being taken from.
    batch: Option<offload::RowBatch>,
    /// Yields to the executor while rows keep being ready ([`crate::coop`]): rows are built
    /// on this task, so a batch would otherwise be consumed without a break.
    budget: Budget,
    summary: QuerySummary,
    _row: std::marker::PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for RowCursor<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowCursor")
            .field("query_id", &self.summary.query_id)
            .finish_non_exhaustive()
    }
}

impl<T> RowCursor<T> {
    pub(crate) fn new(
        items: ItemStream<offload::RowBatch>,
        budget: Budget,
        summary: QuerySummary,
    ) -> Self {
        RowCursor {
            items,
            batch: None,
            budget,
            summary,
            _row: std::marker::PhantomData,
        }
    }

    /// The query id the server ran the query under.
    pub fn query_id(&self) -> &str {
        &self.summary.query_id
    }

    /// Counters of the decoding pipeline (bounded buffering, inline/off-loop).
    pub fn stats(&self) -> PipelineStats {
        self.items.stats()
    }
}

impl<T: Row> RowCursor<T> {
    /// The next row, whose `&str` and `&[u8]` fields may borrow from the cursor's buffer
    /// (`fetch::<MyRow<'_>>()` for `struct MyRow<'a> { name: &'a str, … }`): no allocation
    /// for them, valid until the next call. `None` after the last row; an error ends the
    /// result. Owned row types work too (`next()` is the usual way for them). Cancellation-safe:
    /// dropping the future loses no row.
    pub async fn next_borrowed(&mut self) -> Option<Result<T::Value<'_>>>
    where
        for<'a> T::Value<'a>: serde::Deserialize<'a>,
    {
        self.budget.proceed().await;
        loop {
            if self.batch.as_ref().is_some_and(offload::RowBatch::has_more) {
                break;
            }
            self.batch = None;
            match self.items.next().await? {
                Ok(batch) => self.batch = Some(batch),
                Err(e) => return Some(Err(e)),
            }
        }
        let batch = self.batch.as_mut()?;
        match batch.next_row_borrowed::<T::Value<'_>>()? {
            Ok(row) => Some(Ok(row)),
            Err(e) => {
                let e = Error::Row(*e);
                self.items.fail(&e);
                Some(Err(e))
            }
        }
    }
}

impl<T: DeserializeOwned> Stream for RowCursor<T> {
    type Item = Result<T>;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.budget.poll_proceed(cx).is_pending() {
            return Poll::Pending;
        }
        loop {
            if let Some(row) = this.take_row() {
                return Poll::Ready(Some(row));
            }
            match Pin::new(&mut this.items).poll_next(cx) {
                Poll::Ready(Some(Ok(batch))) => this.batch = Some(batch),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => {
                    this.budget.waited();
                    return Poll::Pending;
                }
            }
        }
    }
}

impl<T: DeserializeOwned> RowCursor<T> {
    /// The next row, or `None` after the last one (an error ends the result). Cancellation-safe:
    /// dropping the future loses no row.
    #[inline]
    pub async fn next(&mut self) -> Option<Result<T>> {
        // A row of the batch at hand, within the budget, is taken without polling the stream.
        if self.budget.try_proceed() {
            if let Some(row) = self.take_row() {
                return Some(row);
            }
        }
        StreamExt::next(self).await
    }

    /// The next row of the batch at hand, if it has one (or its error, which ends the result).
    #[inline]
    fn take_row(&mut self) -> Option<Result<T>> {
        match self.batch.as_mut()?.next_row::<T>() {
            Some(Ok(row)) => Some(Ok(row)),
            Some(Err(e)) => {
                let e = Error::Row(*e);
                self.batch = None;
                self.items.fail(&e);
                Some(Err(e))
            }
            None => {
                self.batch = None;
                None
            }
        }
    }
}
