//! Row batches: runs of complete rows of one result (RowBinary rows or a block's columns),
//! found off-loop and turned into typed rows by whoever consumes them.

use std::sync::Arc;

use bytes::Bytes;
use chwire_proto::{Block, ByteCursor, DataType, DecodeLimits};

use super::columns_de::BlockColumns;
use super::{Order, Row, RowDecoder, RowError};

/// A run of complete rows of one result, found off-loop: RowBinary rows, or a Native
/// block's columns ([`BlockColumns`], read row by row without laying rows out). Turning them
/// into `T`s ([`next_row`](Self::next_row)) is left to whoever consumes them: a streaming
/// cursor does it on the consuming task's thread, so the rows' `String`s are allocated on the
/// thread that will free them (glibc's malloc serves that from its per-thread cache; allocated
/// on the blocking pool and freed by the consumer, 5M short strings took three times as long).
#[derive(Debug)]
pub(crate) struct RowBatch {
    shape: RowShape,
    limits: DecodeLimits,
    layout: Layout,
    rows: usize,
    /// Rows not yet taken (a row may take no bytes: `Tuple()` columns).
    rows_left: usize,
    /// Used up by an error (or the leftover error said): nothing more to say.
    ended: bool,
}

#[derive(Debug)]
enum Layout {
    /// RowBinary rows in `data`; the next one starts at `pos`.
    Rows { data: Bytes, pos: usize },
    /// A block's columns.
    Columns(Box<BlockColumns>),
}

impl RowBatch {
    /// `rows` complete rows of `shape`'s columns, in `data`.
    pub(crate) fn new(shape: RowShape, limits: DecodeLimits, data: Bytes, rows: usize) -> Self {
        RowBatch {
            shape,
            limits,
            layout: Layout::Rows { data, pos: 0 },
            rows,
            rows_left: rows,
            ended: false,
        }
    }

    /// The rows of a Native `block` whose columns are `shape`'s, read from its columns.
    pub(crate) fn of_block(
        shape: RowShape,
        limits: DecodeLimits,
        block: Block,
    ) -> Result<Self, RowError> {
        let rows = block.rows;
        let layout = Layout::Columns(Box::new(BlockColumns::new(block, &shape.columns, limits)?));
        Ok(RowBatch {
            shape,
            limits,
            layout,
            rows,
            rows_left: rows,
            ended: false,
        })
    }

    /// Rows in the batch (taken or not).
    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    /// The next row as `T`, or `None` when the batch is used up. After an error the batch is
    /// used up (the rest of it cannot be trusted to start on a row). The error is boxed: a
    /// row comes back in registers rather than beside an 80-byte error.
    #[inline]
    pub(crate) fn next_row<T: serde::de::DeserializeOwned>(
        &mut self,
    ) -> Option<Result<T, Box<RowError>>> {
        self.next_row_borrowed()
    }

    /// The next row as `R`, whose `&str` and `&[u8]` fields may point into the batch's bytes
    /// (so it lives no longer than this borrow of the batch); as [`next_row`](Self::next_row)
    /// otherwise.
    #[inline]
    pub(crate) fn next_row_borrowed<'b, R: serde::Deserialize<'b>>(
        &'b mut self,
    ) -> Option<Result<R, Box<RowError>>> {
        if self.rows_left == 0 {
            return self.leftover().map(Err);
        }
        let RowBatch {
            shape,
            limits,
            layout,
            rows,
            rows_left,
            ended,
        } = self;
        let row = *rows - *rows_left;
        let result = match layout {
            Layout::Columns(columns) => {
                let columns: &'b BlockColumns = columns;
                columns.row::<R>(&shape.columns, shape.order, row)
            }
            Layout::Rows { data, pos } => {
                let data: &'b Bytes = data;
                let decoder = RowDecoder::with_order(&shape.columns, shape.order, *limits);
                let mut cur = ByteCursor::new(data.get(*pos..).unwrap_or_default());
                let result = decoder.decode::<R>(&mut cur).map_err(Box::new);
                *pos = match result {
                    Ok(_) => *pos + cur.position(),
                    Err(_) => data.len(),
                };
                result
            }
        };
        match result {
            Ok(row) => {
                *rows_left -= 1;
                Some(Ok(row))
            }
            Err(e) => {
                // The rest cannot be trusted: not read, not said to be left over.
                *rows_left = 0;
                *ended = true;
                Some(Err(e))
            }
        }
    }

    /// Whether [`next_row`](Self::next_row) has anything more to say (a row, or the leftover
    /// error).
    pub(crate) fn has_more(&self) -> bool {
        self.rows_left > 0
            || !self.ended
                && match &self.layout {
                    Layout::Rows { data, pos } => *pos < data.len(),
                    Layout::Columns(columns) => !columns.all_read(),
                }
    }

    /// After the last row: the rows were counted by stepping over them, and reading them as
    /// `T` must take the same bytes. Anything left means it did not: said once.
    #[cold]
    fn leftover(&mut self) -> Option<Box<RowError>> {
        if !self.has_more() {
            return None;
        }
        self.ended = true;
        Some(Box::new(RowError::invalid(
            "the rows read took fewer bytes than the result holds",
        )))
    }
}

/// A result's columns and how `T`'s fields match them, shared by all its batches.
#[derive(Debug, Clone)]
pub(crate) struct RowShape {
    columns: Arc<Vec<(String, DataType)>>,
    order: Order,
}

impl RowShape {
    /// Checks `T`'s columns against the result's.
    pub(crate) fn of<T: Row>(columns: Vec<(String, DataType)>) -> Result<RowShape, RowError> {
        let order = RowDecoder::new::<T>(&columns)?.order();
        Ok(RowShape {
            columns: Arc::new(columns),
            order,
        })
    }

    /// The result's columns.
    pub(crate) fn columns(&self) -> &[(String, DataType)] {
        &self.columns
    }
}
