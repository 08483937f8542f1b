//! Apache Arrow for chwire: query results as streams of `RecordBatch`es converted from the
//! Native blocks chwire already decodes (zero-copy for fixed-width columns without nulls), and
//! inserts from `RecordBatch`es checked against the table's columns.
//!
//! A separate crate so that users who do not need Arrow do not compile it. The mapping follows
//! the server's own `FORMAT ArrowStream`; see `docs/arrow.md` for the table and the few
//! deliberate differences.
//!
//! ```no_run
//! # async fn demo(client: chwire::Client) -> Result<(), chwire_arrow::Error> {
//! use chwire_arrow::QueryArrowExt;
//! use futures_util::StreamExt;
//! let mut batches = client.query("SELECT number FROM numbers(10)").fetch_arrow().await?;
//! println!("{}", batches.schema());
//! while let Some(batch) = batches.next().await {
//!     println!("{} rows", batch?.num_rows());
//! }
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

mod error;
mod from_arrow;
mod insert;
mod json_text;
mod query;
mod schema;
mod to_arrow;

pub use error::Error;
pub use from_arrow::batch_to_block;
pub use insert::{ClientArrowExt, InserterArrowExt};
pub use query::{ArrowStream, QueryArrowExt};
pub use schema::schema_of;
pub use to_arrow::{block_to_batch, block_to_batch_with_schema};

/// Choices in the ClickHouse → Arrow mapping. The defaults reproduce the server's
/// `FORMAT ArrowStream` output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ArrowOptions {
    /// `String` as `Binary` instead of `Utf8` (needed for columns holding bytes that are not
    /// UTF-8: `Utf8` conversion of those fails naming the column). The server's
    /// `output_format_arrow_string_as_string=0`.
    pub strings_as_binary: bool,
    /// `LowCardinality(T)` as `Dictionary(Int32, T)` (the dictionary and indices are moved
    /// without expanding them) instead of plain `T`. The server's
    /// `output_format_arrow_low_cardinality_as_dictionary=1`.
    pub low_cardinality_as_dictionary: bool,
}

impl ArrowOptions {
    /// See [`ArrowOptions::strings_as_binary`].
    pub fn strings_as_binary(mut self, yes: bool) -> Self {
        self.strings_as_binary = yes;
        self
    }

    /// See [`ArrowOptions::low_cardinality_as_dictionary`].
    pub fn low_cardinality_as_dictionary(mut self, yes: bool) -> Self {
        self.low_cardinality_as_dictionary = yes;
        self
    }
}
