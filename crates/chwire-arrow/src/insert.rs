//! `insert_arrow`: `RecordBatch`es (a list or a stream) into a table, each converted on the
//! client runtime's blocking pool against the table's columns and sent as a Native block; and
//! the Inserter taking `RecordBatch`es.

use std::future::Future;
use std::sync::Arc;

use arrow_array::RecordBatch;
use chwire::{Block, Client, DataType, Inserter, InserterError, QuerySummary, Runtime};
use chwire_rt::RuntimeExt;
use futures_core::Stream;
use futures_util::StreamExt;

use crate::Error;
use crate::from_arrow::batch_to_block;

/// Arrow inserts on a [`Client`].
pub trait ClientArrowExt {
    /// Inserts `batches` into `table` in one INSERT. The table's columns are read first
    /// (`SELECT * FROM table LIMIT 0`); each batch column must name one of them and fit its
    /// type, else the insert fails before anything is sent.
    fn insert_arrow<I>(
        &self,
        table: &str,
        batches: I,
    ) -> impl Future<Output = Result<QuerySummary, Error>> + Send
    where
        I: IntoIterator<Item = RecordBatch> + Send,
        I::IntoIter: Send;

    /// [`insert_arrow`](Self::insert_arrow) from a stream of batches (an error item aborts
    /// the insert; nothing of it is committed).
    fn insert_arrow_stream<S>(
        &self,
        table: &str,
        batches: S,
    ) -> impl Future<Output = Result<QuerySummary, Error>> + Send
    where
        S: Stream<Item = Result<RecordBatch, Error>> + Send;
}

/// The insertable columns of `table` (what the server reports for `SELECT *`).
async fn table_columns(client: &Client, table: &str) -> Result<Vec<(String, DataType)>, Error> {
    let probe = client
        .query(format!("SELECT * FROM {table} LIMIT 0"))
        .fetch_rows()
        .await?;
    Ok(probe.columns().to_vec())
}

/// Converts `batch` on the blocking pool.
async fn convert(
    rt: &Arc<dyn Runtime>,
    batch: RecordBatch,
    columns: &Arc<Vec<(String, DataType)>>,
) -> Result<Block, Error> {
    let columns = Arc::clone(columns);
    rt.run_blocking(move || batch_to_block(&batch, &columns))
        .await?
}

impl ClientArrowExt for Client {
    async fn insert_arrow<I>(&self, table: &str, batches: I) -> Result<QuerySummary, Error>
    where
        I: IntoIterator<Item = RecordBatch> + Send,
        I::IntoIter: Send,
    {
        self.insert_arrow_stream(
            table,
            futures_util::stream::iter(batches.into_iter().map(Ok)),
        )
        .await
    }

    async fn insert_arrow_stream<S>(&self, table: &str, batches: S) -> Result<QuerySummary, Error>
    where
        S: Stream<Item = Result<RecordBatch, Error>> + Send,
    {
        let columns = Arc::new(table_columns(self, table).await?);
        let rt = Arc::clone(self.runtime());
        let mut insert = self.insert_blocks(table);
        let mut batches = std::pin::pin!(batches);
        while let Some(batch) = batches.next().await {
            let block = convert(&rt, batch?, &columns).await?;
            insert.write(block).await?;
        }
        Ok(insert.end().await?)
    }
}

/// `RecordBatch`es into an [`Inserter`] (its batching, retries and dead letters apply to the
/// rows as to any other).
pub trait InserterArrowExt {
    /// Writes the rows of `batch`; its columns must be the inserter's, in order.
    fn write_batch(&self, batch: &RecordBatch) -> impl Future<Output = Result<(), Error>> + Send;
}

impl InserterArrowExt for Inserter {
    async fn write_batch(&self, batch: &RecordBatch) -> Result<(), Error> {
        let block = batch_to_block(batch, self.columns())?;
        self.write_block(&block).await.map_err(|e| match e {
            InserterError::Row(e) => Error::Client(e),
            e => Error::Inserter(e),
        })
    }
}
