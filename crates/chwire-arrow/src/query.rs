//! `fetch_arrow` / `fetch_all_arrow`: a query's Native blocks as a stream of `RecordBatch`es,
//! converted on the client runtime's blocking pool (inline when a block is small).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use chwire::{Block, BlockStream, Query, Runtime};
use chwire_rt::RuntimeExt;
use futures_core::Stream;
use futures_util::StreamExt;

use crate::schema::schema_of;
use crate::to_arrow::block_to_batch;
use crate::{ArrowOptions, Error};

/// Blocks with at least this many rows are converted on the blocking pool; smaller ones cost
/// less than the hand-off.
const OFFLOAD_ROWS: usize = 8192;

type Pending = Pin<Box<dyn Future<Output = Result<RecordBatch, Error>> + Send>>;

/// Arrow results of a [`Query`].
pub trait QueryArrowExt {
    /// The result as a stream of `RecordBatch`es (one per non-empty block), with the schema
    /// known before the first batch. A result without rows sends no Native block, so its
    /// schema is read by running the query once more for the header of
    /// `RowBinaryWithNamesAndTypes` (only the header is read).
    fn fetch_arrow(self) -> impl Future<Output = Result<ArrowStream, Error>> + Send;

    /// [`fetch_arrow`](Self::fetch_arrow) with mapping options.
    fn fetch_arrow_with(
        self,
        options: ArrowOptions,
    ) -> impl Future<Output = Result<ArrowStream, Error>> + Send;

    /// Every batch of the result and its schema.
    fn fetch_all_arrow(
        self,
    ) -> impl Future<Output = Result<(SchemaRef, Vec<RecordBatch>), Error>> + Send;
}

impl QueryArrowExt for Query {
    fn fetch_arrow(self) -> impl Future<Output = Result<ArrowStream, Error>> + Send {
        self.fetch_arrow_with(ArrowOptions::default())
    }

    async fn fetch_arrow_with(self, options: ArrowOptions) -> Result<ArrowStream, Error> {
        let rt = Arc::clone(self.client().runtime());
        let query = self;
        let probe = query.clone();
        let mut blocks = query.fetch_blocks().await?;
        let first = loop {
            match blocks.next().await {
                Some(Ok(b)) if b.rows == 0 && b.columns.is_empty() => continue,
                Some(b) => break Some(b?),
                None => break None,
            }
        };
        let columns = match &first {
            Some(b) => b
                .columns
                .iter()
                .map(|(n, c)| (n.clone(), c.data_type().clone()))
                .collect(),
            None => probe.fetch_rows().await?.columns().to_vec(),
        };
        let schema = schema_of(&columns, &options)?;
        Ok(ArrowStream {
            schema,
            blocks,
            first,
            pending: None,
            rt,
            options,
            done: false,
        })
    }

    async fn fetch_all_arrow(self) -> Result<(SchemaRef, Vec<RecordBatch>), Error> {
        let mut stream = self.fetch_arrow().await?;
        let mut batches = Vec::new();
        while let Some(b) = stream.next().await {
            batches.push(b?);
        }
        Ok((stream.schema(), batches))
    }
}

/// `RecordBatch`es of a query ([`QueryArrowExt::fetch_arrow`]). After an error (a server
/// exception mid-stream included) it ends: no batch of an incomplete block is ever yielded.
/// Dropping it closes the connection like dropping a [`BlockStream`].
pub struct ArrowStream {
    schema: SchemaRef,
    blocks: BlockStream,
    first: Option<Block>,
    pending: Option<Pending>,
    rt: Arc<dyn Runtime>,
    options: ArrowOptions,
    done: bool,
}

impl std::fmt::Debug for ArrowStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArrowStream")
            .field("schema", &self.schema)
            .field("query_id", &self.blocks.query_id())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl ArrowStream {
    /// The schema of every batch.
    pub fn schema(&self) -> SchemaRef {
        Arc::clone(&self.schema)
    }

    /// The query id the server ran the query under.
    pub fn query_id(&self) -> &str {
        self.blocks.query_id()
    }

    fn convert(&mut self, block: Block) -> Option<Result<RecordBatch, Error>> {
        if block.rows < OFFLOAD_ROWS {
            return Some(block_to_batch(block, &self.schema, &self.options));
        }
        let schema = Arc::clone(&self.schema);
        let options = self.options;
        let job = self
            .rt
            .run_blocking(move || block_to_batch(block, &schema, &options));
        self.pending = Some(Box::pin(async move { job.await? }));
        None
    }
}

impl Stream for ArrowStream {
    type Item = Result<RecordBatch, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            if let Some(p) = &mut this.pending {
                let out = ready!(p.as_mut().poll(cx));
                this.pending = None;
                this.done = out.is_err();
                return Poll::Ready(Some(out));
            }
            let block = match this.first.take() {
                Some(b) => b,
                None => match ready!(Pin::new(&mut this.blocks).poll_next(cx)) {
                    Some(Ok(b)) => b,
                    Some(Err(e)) => {
                        this.done = true;
                        return Poll::Ready(Some(Err(e.into())));
                    }
                    None => {
                        this.done = true;
                        return Poll::Ready(None);
                    }
                },
            };
            if block.rows == 0 {
                continue;
            }
            if let Some(out) = this.convert(block) {
                this.done = out.is_err();
                return Poll::Ready(Some(out));
            }
        }
    }
}
