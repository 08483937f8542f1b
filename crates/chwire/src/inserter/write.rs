//! The writing half of an [`Inserter`] handle: rows (dynamic values, blocks, typed rows)
//! encoded in the caller's task — into columns for a `Native` inserter, as RowBinary for a
//! `RowBinary` one (see [`Format`]) — admitted against the memory budget (waiting for room)
//! and queued to the flusher.

use bytes::{Bytes, BytesMut};
use chwire_proto::rowbinary::encode_value;
use chwire_proto::{Block, Column, Value};
use serde::Serialize;

use super::Inserter;
use super::failed::InserterError;
use super::shared::Msg;
use crate::config::Format;
use crate::error::{Error, Result};
use crate::insert::encoded_size_hint_of;
use crate::row::{Row, RowEncoder, RowError};

impl Inserter {
    /// Writes one row (values in [`columns`](Self::columns) order). Waits while the buffer
    /// budget is used up. Fails, without writing the row, with batches that failed earlier.
    pub async fn write(&self, row: &[Value]) -> std::result::Result<(), InserterError> {
        self.write_values(std::slice::from_ref(&row)).await
    }

    /// Writes several rows as one unit (cheaper than one `write` each).
    pub async fn write_rows(&self, rows: &[Vec<Value>]) -> std::result::Result<(), InserterError> {
        let rows: Vec<&[Value]> = rows.iter().map(Vec::as_slice).collect();
        self.write_values(&rows).await
    }

    async fn write_values(&self, rows: &[&[Value]]) -> std::result::Result<(), InserterError> {
        self.shared.take_errors()?;
        let types = &self.shared.config.types;
        if let Some(row) = rows.iter().find(|r| r.len() != types.len()) {
            return Err(InserterError::Row(Error::Config(format!(
                "{} values for {} columns",
                row.len(),
                types.len()
            ))));
        }
        if self.native() {
            let block = self.values_block(rows).map_err(InserterError::Row)?;
            return self.write_block_msg(block).await;
        }
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
        block
            .check_rows()
            .map_err(|e| InserterError::Row(e.into()))?;
        let same_types = block
            .columns
            .iter()
            .map(|(_, c)| c.data_type())
            .eq(cfg.types.iter());
        match (self.native(), same_types) {
            (true, true) => self.write_block_msg(block.clone()).await,
            // Columns of the inserter's types are re-laid as RowBinary a column at a time (the
            // same bytes as value by value: each cell in its own type's layout).
            (false, true) => {
                let mut data = Vec::new();
                chwire_proto::rowbinary::block_to_row_binary(block, &mut data)
                    .map_err(|e| InserterError::Row(e.into()))?;
                self.write_encoded(block.rows as u64, Bytes::from(data))
                    .await
            }
            // Other types: converted value by value to the inserter's.
            (_, false) => {
                let rows = (0..block.rows)
                    .map(|i| block.row_values(i))
                    .collect::<std::result::Result<Vec<_>, _>>()
                    .map_err(|e| InserterError::Row(e.into()))?;
                let rows: Vec<&[Value]> = rows.iter().map(Vec::as_slice).collect();
                self.write_values(&rows).await
            }
        }
    }

    /// Writes one typed row. `T`'s columns ([`Row::COLUMN_NAMES`]) must be the inserter's, in
    /// order (see [`InserterBuilder::columns_of`](crate::InserterBuilder::columns_of)).
    pub async fn write_row<T: Row + Serialize + ?Sized>(
        &self,
        row: &T,
    ) -> std::result::Result<(), InserterError> {
        self.write_typed(std::slice::from_ref(&row)).await
    }

    /// Writes typed rows as one unit (cheaper than one `write_row` each).
    pub async fn write_rows_typed<T: Row + Serialize>(
        &self,
        rows: &[T],
    ) -> std::result::Result<(), InserterError> {
        let rows: Vec<&T> = rows.iter().collect();
        self.write_typed(&rows).await
    }

    async fn write_typed<T: Row + Serialize + ?Sized>(
        &self,
        rows: &[&T],
    ) -> std::result::Result<(), InserterError> {
        self.shared.take_errors()?;
        let encoder = self.row_encoder::<T>()?;
        if rows.is_empty() {
            return Ok(());
        }
        if self.native() {
            // The builder chose Native only for columns typed rows can be laid into.
            let mut cols = (self.shared.column_rows())
                .ok_or_else(|| InserterError::Row(Error::pipeline("no column layout")))?;
            for row in rows {
                // A failed row drops the buffers with the call's earlier rows in them.
                cols.push(*row)?;
            }
            let block = cols.take_block()?;
            self.shared.put_column_rows(cols);
            return self.write_block_msg(block).await;
        }
        let mut buf = Vec::new();
        for row in rows {
            encoder.encode(*row, &mut buf)?;
        }
        self.write_encoded(rows.len() as u64, buf.into()).await
    }

    /// Whether batches are Native blocks (else RowBinary).
    fn native(&self) -> bool {
        self.shared.config.format == Format::Native
    }

    /// `rows` (of the inserter's width) as a block of its columns.
    fn values_block(&self, rows: &[&[Value]]) -> Result<Block> {
        let cfg = &self.shared.config;
        let columns = cfg
            .columns
            .iter()
            .enumerate()
            .map(|(j, (name, ty))| {
                let column = Column::from_values(ty, rows.iter().map(|r| r[j].clone()))?;
                Ok((name.clone(), column))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Block::new(columns)?)
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

    /// Appends `row` (of the inserter's width: `write_values` checked it) as RowBinary.
    fn encode_row(&self, row: &[Value], out: &mut BytesMut) -> Result<()> {
        let types = &self.shared.config.types;
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
        self.queue(rows, bytes, Msg::Rows { rows, data }).await
    }

    /// Queues a block of the inserter's columns (a `Native` inserter), once the budget has
    /// room for it.
    async fn write_block_msg(&self, block: Block) -> std::result::Result<(), InserterError> {
        let rows = block.rows as u64;
        if rows == 0 {
            return Ok(());
        }
        let bytes = block
            .columns
            .iter()
            .map(|(_, c)| encoded_size_hint_of(c) as u64)
            .sum();
        self.queue(rows, bytes, Msg::Block { block, bytes }).await
    }

    async fn queue(
        &self,
        rows: u64,
        bytes: u64,
        msg: Msg,
    ) -> std::result::Result<(), InserterError> {
        self.admit(rows, bytes).await?;
        if self.tx.send(msg).await.is_err() {
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
