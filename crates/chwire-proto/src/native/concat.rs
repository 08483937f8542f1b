//! [`ConcatenatedBlock`]: blocks with the same columns gathered into the encoding of one
//! block as they come, each block's data written at once so that the blocks need not be kept
//! (a batch of a million rows written a thousand at a time holds one buffer per column, not
//! a thousand blocks). Each column's data is kept in segments of about [`SEGMENT`] bytes, so
//! that appending never copies what was appended before (a doubling buffer would copy 32 MiB
//! at once on its way to a 64 MiB batch, on the task that appends).

use super::{NativeEncoder, concatenable, plain_bytes, write_concatenable_data};
use crate::{Block, Column, DataType, DecodeError};

/// A column's data segments hold this many bytes (more for a larger block's column): a
/// block's data goes into the last one if it fits, else into a new one.
const SEGMENT: usize = 1 << 20;

/// The rows of several blocks with the same [`concatenable`] columns (numbers, dates,
/// `FixedString`, `String`, ...), as one Native block's column data.
#[derive(Debug, Clone)]
pub struct ConcatenatedBlock {
    /// Each column's name, an empty column of its type (for its head), and its data so far
    /// (in segments).
    columns: Vec<(String, Column, Vec<Vec<u8>>)>,
    rows: usize,
}

impl ConcatenatedBlock {
    /// An empty block of `columns`; fails on a type whose data does not concatenate.
    pub fn new(columns: &[(String, DataType)]) -> Result<ConcatenatedBlock, DecodeError> {
        let columns = columns
            .iter()
            .map(|(name, ty)| {
                let empty = Column::empty(ty);
                if !concatenable(&empty) {
                    return Err(DecodeError::TypeMismatch {
                        ty: ty.to_string(),
                        reason: format!(
                            "column {name}: only numbers, FixedString and String columns are \
                             concatenated"
                        ),
                    });
                }
                Ok((name.clone(), empty, Vec::new()))
            })
            .collect::<Result<_, _>>()?;
        Ok(ConcatenatedBlock { columns, rows: 0 })
    }

    /// Whether a column of type `ty` can be part of a concatenated block.
    pub fn accepts(ty: &DataType) -> bool {
        concatenable(&Column::empty(ty))
    }

    /// Appends `block`'s rows: its columns must be this block's (names and types, in
    /// order); on a mismatch nothing is appended.
    pub fn push(&mut self, block: &Block) -> Result<(), DecodeError> {
        block.check_rows()?;
        let same = block.columns.len() == self.columns.len()
            && (block.columns.iter().zip(&self.columns))
                .all(|((n, c), (name, empty, _))| n == name && c.data_type() == empty.data_type());
        if !same {
            let names: Vec<&str> = block.columns.iter().map(|(n, _)| n.as_str()).collect();
            return Err(DecodeError::TypeMismatch {
                ty: "Block".into(),
                reason: format!("columns {names:?} are not the concatenated block's"),
            });
        }
        for ((_, col), (_, _, segments)) in block.columns.iter().zip(&mut self.columns) {
            // At most what the data takes: its bytes, and a 10-byte varint per string.
            let need = match (plain_bytes(col), col.as_strings()) {
                (Some(bytes), _) => bytes.len(),
                (None, Some(strings)) => strings.data.len() + 10 * strings.len(),
                (None, None) => 0,
            };
            match segments.last_mut() {
                Some(last) if last.capacity() - last.len() >= need => {
                    write_concatenable_data(col, last);
                }
                _ => {
                    let mut segment = Vec::with_capacity(SEGMENT.max(need));
                    write_concatenable_data(col, &mut segment);
                    segments.push(segment);
                }
            }
        }
        self.rows += block.rows;
        Ok(())
    }

    /// Rows appended so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The bytes of column data appended so far.
    pub fn data_len(&self) -> usize {
        (self.columns.iter())
            .flat_map(|(_, _, segments)| segments.iter().map(Vec::len))
            .sum()
    }

    /// Appends the Native encoding of the block (what [`NativeEncoder::encode_into`] writes
    /// for a block holding the appended blocks' rows in turn).
    pub fn encode_into(&self, encoder: &NativeEncoder, out: &mut Vec<u8>) {
        out.reserve(self.data_len() + 64 * self.columns.len());
        encoder.encode_block_head(self.columns.len(), self.rows, out);
        for (name, empty, segments) in &self.columns {
            encoder.encode_column_head(name, empty, out);
            for segment in segments {
                out.extend_from_slice(segment);
            }
        }
    }
}
