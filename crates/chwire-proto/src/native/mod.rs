//! ClickHouse `Native` format: blocks of columns, decoded and encoded a column at a time.
//!
//! A block is `varuint columns, varuint rows`, then per column its name, its type string and
//! its data (state prefixes for `LowCardinality`/`Variant`/`Dynamic`/`JSON`, then values). The
//! native TCP protocol puts a [`BlockInfo`] header in front of every block; HTTP `FORMAT Native`
//! does not, so that header has its own functions.

mod concat;
mod custom;
mod decoder;
mod fill;
mod read;
mod write;

use crate::column::Column;
use crate::wire::{ByteCursor, DecodeError, DecodeLimits, ReadError, put_string, put_varuint};
use crate::{DataType, TypeParseError};

use custom::Kinds;

pub use concat::ConcatenatedBlock;
pub use decoder::NativeDecoder;
pub use read::TypeParser;
pub use write::plain_bytes;

/// One block: named columns of equal length.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Block {
    /// The named columns, in order.
    pub columns: Vec<(String, Column)>,
    /// The number of rows of each column.
    pub rows: usize,
}

impl Block {
    /// Builds a block, checking every column has the same number of rows.
    pub fn new(columns: Vec<(String, Column)>) -> Result<Block, DecodeError> {
        let rows = columns.first().map_or(0, |c| c.1.len());
        if let Some((name, c)) = columns.iter().find(|c| c.1.len() != rows) {
            return Err(DecodeError::TypeMismatch {
                ty: c.data_type().to_string(),
                reason: format!("column {name} has {} rows, expected {rows}", c.len()),
            });
        }
        Ok(Block { columns, rows })
    }

    /// The column named `name`, if the block has one.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.0 == name).map(|c| &c.1)
    }

    /// Row `i` as dynamic values, one per column (the slow path: a `Value` per cell).
    pub fn row_values(&self, i: usize) -> Result<Vec<crate::Value>, DecodeError> {
        self.columns.iter().map(|(_, c)| c.try_get(i)).collect()
    }

    /// Checks that every column has `rows` rows (columns of `Tuple()`, which cannot record a
    /// count, match any), as encoding requires.
    pub fn check_rows(&self) -> Result<(), DecodeError> {
        match self
            .columns
            .iter()
            .find(|(_, c)| c.len() != self.rows && !write::is_rowless(c))
        {
            Some((name, c)) => Err(DecodeError::TypeMismatch {
                ty: c.data_type().to_string(),
                reason: format!(
                    "column {name} has {} rows, block has {}",
                    c.len(),
                    self.rows
                ),
            }),
            None => Ok(()),
        }
    }
}

/// Per-block header of the native TCP protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockInfo {
    /// Set on the block of `WITH TOTALS`/overflow rows from `GROUP BY ... max_rows_to_group_by`.
    pub is_overflows: bool,
    /// Two-level aggregation bucket, or -1.
    pub bucket_num: i32,
    /// Field 3 (servers from revision 54480 send it, empty in results to a client): buckets of
    /// a two-level aggregation that arrive out of order, which only a server merging a
    /// distributed aggregation acts on. Kept so a block's header is passed on as sent.
    pub out_of_order_buckets: Vec<i32>,
}

impl Default for BlockInfo {
    fn default() -> Self {
        BlockInfo {
            is_overflows: false,
            bucket_num: -1,
            out_of_order_buckets: Vec::new(),
        }
    }
}

/// Reads a [`BlockInfo`]: numbered fields (1: `is_overflows` u8, 2: `bucket_num` i32, 3 (from
/// revision 54480): `out_of_order_buckets`, a varint count checked against
/// `limits.max_collection_len`, then that many i32) terminated by 0. Like the server, any field
/// is accepted at any revision; an unknown field number is an error.
pub fn read_block_info(
    cur: &mut ByteCursor<'_>,
    limits: &DecodeLimits,
) -> Result<BlockInfo, ReadError> {
    let mut info = BlockInfo::default();
    loop {
        match cur.varuint()? {
            0 => return Ok(info),
            1 => info.is_overflows = cur.u8()? != 0,
            2 => info.bucket_num = cur.i32_le()?,
            3 => {
                let n = cur.length(limits.max_collection_len, "block info bucket count")?;
                // Allocated only once all of its bytes are in.
                let bytes = cur.bytes(read::column_bytes(n, 4)?)?;
                info.out_of_order_buckets = bytes
                    .chunks_exact(4)
                    .map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .collect();
            }
            n => {
                return Err(ReadError::Bad(DecodeError::Malformed {
                    offset: cur.position(),
                    reason: format!("unknown block info field {n}"),
                }));
            }
        }
    }
}

/// Writes a [`BlockInfo`] in the layout [`read_block_info`] reads. Field 3 is written only when
/// `out_of_order_buckets` is not empty (servers before revision 54480 reject it; clients
/// never have buckets to send), so a client's header is the 8 bytes every server reads.
pub fn write_block_info(out: &mut Vec<u8>, info: &BlockInfo) {
    put_varuint(out, 1);
    out.push(info.is_overflows as u8);
    put_varuint(out, 2);
    out.extend_from_slice(&info.bucket_num.to_le_bytes());
    if !info.out_of_order_buckets.is_empty() {
        put_varuint(out, 3);
        put_varuint(out, info.out_of_order_buckets.len() as u64);
        for bucket in &info.out_of_order_buckets {
            out.extend_from_slice(&bucket.to_le_bytes());
        }
    }
    put_varuint(out, 0);
}

/// Options of the block layout that depend on the transport.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NativeOptions {
    /// The native TCP protocol (from revision 54454) sends one byte after each column type
    /// saying whether custom serialization kinds (sparse, replicated) follow; HTTP
    /// `FORMAT Native` does not. Such columns are densified when read; writers never send them.
    pub custom_serialization_flag: bool,
    /// The native TCP protocol puts a [`BlockInfo`] before each block; [`NativeDecoder`] reads
    /// it (and hands it out with [`NativeDecoder::take_one`]).
    pub block_info: bool,
    /// The native TCP protocol from revision 54492 sends `String` data as the u64 end offset of
    /// every value, then all the bytes (`LowCardinality` dictionaries keep the varint layout);
    /// HTTP `FORMAT Native` sends a varint length before each value.
    pub string_offsets: bool,
}

impl NativeOptions {
    pub(crate) fn strings(&self) -> StringLayout {
        match self.string_offsets {
            true => StringLayout::Offsets,
            false => StringLayout::Varint,
        }
    }
}

/// How `String` column data is laid out ([`NativeOptions::string_offsets`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StringLayout {
    /// A varint length, then the bytes, per value.
    Varint,
    /// Every value's u64 end offset, then all the bytes.
    Offsets,
}

/// Reads one block (without [`BlockInfo`]), resolving type strings with `parse`.
pub fn read_block(
    cur: &mut ByteCursor<'_>,
    limits: &DecodeLimits,
    options: &NativeOptions,
    parse: TypeParser<'_>,
) -> Result<Block, ReadError> {
    let ncols = cur.length(limits.max_columns, "column count")?;
    let rows = cur.length(limits.max_collection_len, "row count")?;
    let mut columns = Vec::with_capacity(ncols.min(cur.remaining().len()));
    let mut reader = read::ColumnReader {
        limits,
        parse,
        strings: options.strings(),
    };
    for _ in 0..ncols {
        let (name, ty, kinds) = read_column_header(cur, limits, options, reader.parse)?;
        let name = name.to_string();
        // No rows, no data: not even state prefixes.
        let col = if rows == 0 {
            Column::empty(&ty)
        } else {
            reader.read_column_kinds(cur, &ty, rows, &kinds)?
        };
        columns.push((name, col));
    }
    Ok(Block { columns, rows })
}

/// Reads a column's name and type (resolved with `parse`) and, where the transport sends it,
/// the custom-serialization flag and, when it is set, the column's serialization kinds.
fn read_column_header<'a>(
    cur: &mut ByteCursor<'a>,
    limits: &DecodeLimits,
    options: &NativeOptions,
    parse: TypeParser<'_>,
) -> Result<(&'a str, DataType, Kinds), ReadError> {
    let name = cur.utf8(limits)?;
    let type_name = cur.utf8(limits)?;
    let ty = parse(type_name).map_err(|e| ReadError::Bad(DecodeError::Type(e)))?;
    let kinds = if !options.custom_serialization_flag {
        Kinds::default()
    } else {
        match cur.u8()? {
            0 => Kinds::default(),
            1 => Kinds::read(cur, &ty, limits, 0)?,
            flag => {
                return Err(ReadError::Bad(DecodeError::Malformed {
                    offset: cur.position(),
                    reason: format!("custom serialization flag {flag} of column {name}"),
                }));
            }
        }
    };
    Ok((name, ty, kinds))
}

/// Reads the data of one column of `rows` rows (state prefixes included) with a directly given
/// type; the building block of [`read_block`], public for protocol layers and tests.
pub fn read_column(
    cur: &mut ByteCursor<'_>,
    ty: &DataType,
    rows: usize,
    limits: &DecodeLimits,
    parse: TypeParser<'_>,
) -> Result<Column, ReadError> {
    read::ColumnReader {
        limits,
        parse,
        strings: StringLayout::Varint,
    }
    .read_column(cur, ty, rows)
}

/// Writes one column's data (state prefixes included), the inverse of [`read_column`].
/// A column of `Tuple()` does not know its row count and is written as empty; use
/// [`write_block`] for those.
pub fn write_column(out: &mut Vec<u8>, col: &Column) -> Result<(), DecodeError> {
    write::write_column(out, col, col.len(), StringLayout::Varint)
}

/// Writes one block (without [`BlockInfo`]); `type_name` prints each column's type.
pub fn write_block(
    out: &mut Vec<u8>,
    block: &Block,
    options: &NativeOptions,
    type_name: &dyn Fn(&DataType) -> String,
) -> Result<(), DecodeError> {
    block.check_rows()?;
    put_block_head(out, block.columns.len(), block.rows);
    for (name, col) in &block.columns {
        put_column_head(out, name, col, options, type_name);
        // A block of no rows has no column data, as the server writes it.
        if block.rows > 0 {
            write::write_column(out, col, block.rows, options.strings())?;
        }
    }
    Ok(())
}

/// A block's head: its column and row counts.
fn put_block_head(out: &mut Vec<u8>, columns: usize, rows: usize) {
    put_varuint(out, columns as u64);
    put_varuint(out, rows as u64);
}

/// A column's head: name, type, and the custom-serialization flag when `options` ask for it.
fn put_column_head(
    out: &mut Vec<u8>,
    name: &str,
    col: &Column,
    options: &NativeOptions,
    type_name: &dyn Fn(&DataType) -> String,
) {
    put_string(out, name.as_bytes());
    put_string(out, type_name(col.data_type()).as_bytes());
    if options.custom_serialization_flag {
        out.push(0);
    }
}

/// Parses a type string with [`DataType::parse`].
pub fn default_type_parser(text: &str) -> Result<DataType, TypeParseError> {
    DataType::parse(text)
}

/// Encodes [`Block`]s as `FORMAT Native` bytes (for `INSERT ... FORMAT Native`).
#[derive(Debug, Clone)]
pub struct NativeEncoder {
    options: NativeOptions,
    type_name: fn(&DataType) -> String,
}

impl Default for NativeEncoder {
    fn default() -> Self {
        Self::new()
    }
}

impl NativeEncoder {
    /// An encoder with the default options.
    pub fn new() -> Self {
        NativeEncoder {
            options: NativeOptions::default(),
            type_name: |t| t.to_string(),
        }
    }

    /// Replaces the encoding options.
    pub fn with_options(mut self, options: NativeOptions) -> Self {
        self.options = options;
        self
    }

    /// Replaces the type printer (default: `DataType`'s `Display`).
    pub fn with_type_printer(mut self, type_name: fn(&DataType) -> String) -> Self {
        self.type_name = type_name;
        self
    }

    /// Appends the encoding of `block` to `out`.
    pub fn encode_into(&self, block: &Block, out: &mut Vec<u8>) -> Result<(), DecodeError> {
        write_block(out, block, &self.options, &self.type_name)
    }

    /// Encodes `block` into a new buffer; fails on a block its columns cannot encode.
    pub fn encode(&self, block: &Block) -> Result<Vec<u8>, DecodeError> {
        let mut out = Vec::new();
        self.encode_into(block, &mut out)?;
        Ok(out)
    }
    /// Encodes `block` like [`encode_into`](Self::encode_into), except that the data of plain
    /// columns of at least `min_borrow` bytes ([`plain_bytes`]) is left out of `out` and
    /// referenced instead: the returned parts, in order, are the block's encoding. Lets a
    /// writer send (or compress) large numeric columns straight from their memory.
    pub fn encode_parts(
        &self,
        block: &Block,
        min_borrow: usize,
        out: &mut Vec<u8>,
    ) -> Result<Vec<NativePart>, DecodeError> {
        block.check_rows()?;
        let mut parts = Vec::new();
        let mut start = out.len();
        self.encode_block_head(block.columns.len(), block.rows, out);
        for (index, (name, col)) in block.columns.iter().enumerate() {
            self.encode_column_head(name, col, out);
            match plain_bytes(col) {
                // Plain columns have no state prefix: the data follows the header.
                Some(data) if data.len() >= min_borrow.max(1) => {
                    parts.push(NativePart::Encoded(start..out.len()));
                    parts.push(NativePart::Column(index));
                    start = out.len();
                }
                _ if block.rows == 0 => {}
                _ => write::write_column(out, col, block.rows, self.options.strings())?,
            }
        }
        if out.len() > start {
            parts.push(NativePart::Encoded(start..out.len()));
        }
        Ok(parts)
    }

    /// Writes the head of a block of `columns` columns and `rows` rows. With
    /// [`encode_column_head`](Self::encode_column_head) and [`write_concatenable_data`], writes
    /// several blocks as one: head, then for each column its head and its data in every block
    /// in turn. Only for columns that are [`concatenable`].
    pub fn encode_block_head(&self, columns: usize, rows: usize, out: &mut Vec<u8>) {
        put_block_head(out, columns, rows);
    }

    /// Writes a column's head (name, type, serialization flag) for
    /// [`encode_block_head`](Self::encode_block_head).
    pub fn encode_column_head(&self, name: &str, col: &Column, out: &mut Vec<u8>) {
        put_column_head(out, name, col, &self.options, &self.type_name);
    }
}

/// Whether the Native data of a block whose columns all have this shape is the concatenation
/// of its parts' data: columns without state prefixes or offsets (plain numbers,
/// `FixedString`, `String`). Several such blocks can be sent as one, column by column,
/// without copying them into one block first.
pub fn concatenable(col: &Column) -> bool {
    plain_bytes(col).is_some() || matches!(col.data(), crate::column::ColumnData::String(_))
}

/// Appends the data of a [`concatenable`] column (its values only, no head, `String`s in the
/// varint layout); `false` for any
/// other column (nothing written).
pub fn write_concatenable_data(col: &Column, out: &mut Vec<u8>) -> bool {
    // Such columns have no state prefix: their data is all `write_data` writes, and it cannot
    // fail for them.
    concatenable(col) && write::write_data(out, col, col.len(), StringLayout::Varint).is_ok()
}

/// One piece of a block's Native encoding ([`NativeEncoder::encode_parts`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NativePart {
    /// Bytes the encoder wrote: this range of its output buffer.
    Encoded(std::ops::Range<usize>),
    /// The data of the block's column at this index, sent as it lies in memory
    /// ([`plain_bytes`]).
    Column(usize),
}

impl NativePart {
    /// The bytes of this part: in `encoded` (the encoder's output) or in `block`.
    pub fn bytes<'a>(&self, encoded: &'a [u8], block: &'a Block) -> &'a [u8] {
        match self {
            NativePart::Encoded(range) => &encoded[range.clone()],
            NativePart::Column(i) => block
                .columns
                .get(*i)
                .and_then(|(_, c)| plain_bytes(c))
                .unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests;
