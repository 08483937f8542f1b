//! The writing half of an [`Inserter`] handle: rows (dynamic values, blocks, typed rows)
//! encoded as RowBinary in the caller's task, admitted against the memory budget (waiting for
//! room) and queued to the flusher.

use bytes::{Bytes, BytesMut};
use chwire_proto::rowbinary::encode_value;
use chwire_proto::{Block, Value};
use serde::Serialize;

use super::Inserter;
use super::failed::InserterError;
use super::shared::Msg;
use crate::error::{Error, Result};
use crate::row::{Row, RowEncoder, RowError};

impl Inserter {
    /// Writes one row (values in [`columns`](Self::columns) order). Waits while the buffer
    /// budget is used up. Fails, without writing the row, with batches that failed earlier.
    pub async fn write(&self, row: &[Value]) -> std::result::Result<(), InserterError> {
        self.shared.take_errors()?;
        let mut buf = BytesMut::new();
        self.encode_row(row, &mut buf).map_err(InserterError::Row)?;
        self.write_encoded(1, buf.freeze()).await
    }

    /// Writes several rows as one unit (cheaper than one `write` each).
    pub async fn write_rows(&self, rows: &[Vec<Value>]) -> std::result::Result<(), InserterError> {
        self.shared.take_errors()?;
        let mut buf = BytesMut::new();
        for row in rows {
            self.encode_row(row, &mut buf).map_err(InserterError::Row)?;
        }
        self.write_encoded(rows.len() as u64, buf.freeze()).await
    }

    /// Writes the rows of a block whose columns are the inserter's, in order.
    pub async fn write_block(&self, block: &Block) -> std::result::Result<(), InserterError> {
        self.shared.take_errors()?;
        let cfg = &self.shared.config;
        let names: Vec<&str> = block.columns.iter().map(|(n, _)| n.as_str()).collect();
        let expected: Vec<&str> = cfg.columns.iter().map(|(n, _)| n.as_str()).collect();
        if names != expected {
            return Err(InserterError::Row(Error::Config(format!(
                "block columns {names:?} differ from the inserter's {expected:?}"
            ))));
        }
        // Columns of the inserter's types are re-laid as RowBinary a column at a time (the
        // same bytes as value by value: each cell in its own type's layout).
        let types = &cfg.types;
        if block
            .columns
            .iter()
            .map(|(_, c)| c.data_type())
            .eq(types.iter())
        {
            let mut data = Vec::new();
            chwire_proto::rowbinary::block_to_row_binary(block, &mut data)
                .map_err(|e| InserterError::Row(e.into()))?;
            return self
                .write_encoded(block.rows as u64, Bytes::from(data))
                .await;
        }
        let mut buf = BytesMut::new();
        let mut row = Vec::with_capacity(names.len());
        for i in 0..block.rows {
            row.clear();
            for (_, c) in &block.columns {
                row.push(c.try_get(i).map_err(|e| InserterError::Row(e.into()))?);
            }
            self.encode_row(&row, &mut buf)
                .map_err(InserterError::Row)?;
        }
        self.write_encoded(block.rows as u64, buf.freeze()).await
    }

    /// Writes one typed row. `T`'s columns ([`Row::COLUMN_NAMES`]) must be the inserter's, in
    /// order (see [`InserterBuilder::columns_of`](crate::InserterBuilder::columns_of)).
    pub async fn write_row<T: Row + Serialize + ?Sized>(
        &self,
        row: &T,
    ) -> std::result::Result<(), InserterError> {
        self.shared.take_errors()?;
        let encoder = self.row_encoder::<T>()?;
        let mut buf = Vec::new();
        encoder.encode(row, &mut buf)?;
        self.write_encoded(1, buf.into()).await
    }

    /// Writes typed rows as one unit (cheaper than one `write_row` each).
    pub async fn write_rows_typed<T: Row + Serialize>(
        &self,
        rows: &[T],
    ) -> std::result::Result<(), InserterError> {
        self.shared.take_errors()?;
        let encoder = self.row_encoder::<T>()?;
        let mut buf = Vec::new();
        for row in rows {
            encoder.encode(row, &mut buf)?;
        }
        self.write_encoded(rows.len() as u64, buf.into()).await
    }

    fn row_encoder<T: Row + ?Sized>(&self) -> std::result::Result<RowEncoder<'_>, InserterError> {
        let columns = &self.shared.config.columns;
        let same = T::COLUMN_NAMES.len() == columns.len()
            && T::COLUMN_NAMES
                .iter()
                .zip(columns)
                .all(|(a, (b, _))| *a == b.as_str());
        if !same {
            return Err(InserterError::TypedRow(RowError::Columns {
                row: T::NAME,
                expected: T::COLUMN_NAMES.iter().map(|s| (*s).to_owned()).collect(),
                actual: columns.iter().map(|(n, _)| n.clone()).collect(),
            }));
        }
        Ok(RowEncoder::positional(columns))
    }

    fn encode_row(&self, row: &[Value], out: &mut BytesMut) -> Result<()> {
        let types = &self.shared.config.types;
        if row.len() != types.len() {
            return Err(Error::Config(format!(
                "{} values for {} columns",
                row.len(),
                types.len()
            )));
        }
        let mark = out.len();
        for (t, v) in types.iter().zip(row) {
            if let Err(e) = encode_value(t, v, out) {
                out.truncate(mark);
                return Err(e.into());
            }
        }
        Ok(())
    }

    /// Queues `rows` already encoded as RowBinary for the inserter's columns, once the budget
    /// has room for them.
    pub(crate) async fn write_encoded(
        &self,
        rows: u64,
        data: Bytes,
    ) -> std::result::Result<(), InserterError> {
        if rows == 0 {
            return Ok(());
        }
        let bytes = data.len() as u64;
        self.admit(rows, bytes).await?;
        if self.tx.send(Msg::Rows { rows, data }).await.is_err() {
            self.shared.lock().stats.withdrawn(rows, bytes);
            self.shared.notify();
            return Err(InserterError::Closed);
        }
        Ok(())
    }

    /// Waits until the budget has room for `rows` and `bytes` (or nothing is buffered: a write
    /// larger than the budget is admitted alone) and counts them in; fails once the inserter
    /// was ended.
    async fn admit(&self, rows: u64, bytes: u64) -> std::result::Result<(), InserterError> {
        let cfg = &self.shared.config;
        let mut closed = false;
        let mut waited = false;
        self.shared
            .wait_until(|st| {
                if st.ended || st.flusher_done {
                    closed = true;
                    return true;
                }
                let s = &mut st.stats;
                let fits = (s.buffered_rows + rows <= cfg.budget_rows
                    && s.buffered_bytes + bytes <= cfg.budget_bytes)
                    || s.buffered_rows == 0;
                if !fits {
                    if !waited {
                        s.write_waits += 1;
                    }
                    waited = true;
                    return false;
                }
                s.admitted(rows, bytes);
                true
            })
            .await;
        if closed {
            return Err(InserterError::Closed);
        }
        Ok(())
    }
}
