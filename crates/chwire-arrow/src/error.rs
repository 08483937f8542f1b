//! The crate's one error type: the client's errors, and conversions that have no sound result
//! (each naming the column).

/// An error of an Arrow query or insert.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The query or insert failed in the client or on the server.
    #[error(transparent)]
    Client(#[from] chwire::Error),
    /// A column's type, or a value in it, has no Arrow mapping (ClickHouse → Arrow).
    #[error("column {column} ({ty}) cannot be converted to Arrow: {reason}")]
    Unsupported {
        /// The column's name.
        column: String,
        /// The column's ClickHouse type.
        ty: String,
        /// Why it has no mapping.
        reason: String,
    },
    /// A batch column does not fit the table's column (Arrow → ClickHouse).
    #[error("column {column}: {reason}")]
    Mismatch {
        /// The table column's name.
        column: String,
        /// How the batch column differs.
        reason: String,
    },
    /// A block's columns differ from the schema the stream announced.
    #[error("the result's columns changed between blocks: {0}")]
    SchemaChanged(String),
    /// The Inserter refused the rows (ended, or earlier batches failed).
    #[error(transparent)]
    Inserter(chwire::InserterError),
    /// Arrow rejected what the conversion built.
    #[error(transparent)]
    Arrow(#[from] arrow_schema::ArrowError),
    /// The conversion on the runtime's blocking pool panicked or was cancelled.
    #[error("conversion on the blocking pool failed: {0}")]
    Offload(#[from] chwire_rt::BlockingError),
}
