//! RowBinary rows gathered into Native blocks: the reverse of
//! [`block_to_row_binary`](super::block_to_row_binary).
//!
//! A client that writes RowBinary (typed rows through serde) but talks the native protocol must
//! send the rows as column blocks. [`RowBinaryBlocks`] takes the body's bytes split anywhere and
//! hands out a block every `rows_per_block` rows, so memory is bounded by that many rows plus
//! one feed. Cells of the plain column types are appended straight to the column vectors; every
//! other cell is decoded to its [`Value`] by the value codec (checked against the server) and the
//! column is built from the values when its block is full.
//!
//! The buffering (a row split across feeds is kept; a truncated body at the end is an error)
//! is [`RowBinaryDecoder`]'s, through [`RowBinaryDecoder::next_row_with`].

use std::mem;

use super::decoder::RowBinaryDecoder;
use super::header::TypeEncoding;
use super::value_codec::{Budget, decode_value_budgeted};
use crate::column::{Column, ColumnData, physical_type};
use crate::native::Block;
use crate::wire::{ByteCursor, DecodeError, DecodeLimits, ReadError};
use crate::{DataType, Value};

/// One column's cells of the block being gathered.
#[derive(Debug)]
enum Cells {
    /// A fixed-width number, `String` or `FixedString`: the storage itself, appended to.
    Plain(ColumnData),
    /// Any other type: the decoded values, made a column when the block is full.
    Values(Vec<Value>),
}

impl Cells {
    fn for_type(ty: &DataType) -> Cells {
        // A UUID is written as two halves, high first; a Bool byte must be 0 or 1.
        if matches!(*physical_type(ty), DataType::Uuid | DataType::Bool) {
            return Cells::Values(Vec::new());
        }
        match Column::empty(ty).into_data() {
            d @ (ColumnData::I8(_)
            | ColumnData::I16(_)
            | ColumnData::I32(_)
            | ColumnData::I64(_)
            | ColumnData::I128(_)
            | ColumnData::U8(_)
            | ColumnData::U16(_)
            | ColumnData::U32(_)
            | ColumnData::U64(_)
            | ColumnData::U128(_)
            | ColumnData::F32(_)
            | ColumnData::F64(_)
            | ColumnData::String(_)
            | ColumnData::FixedString(_)) => Cells::Plain(d),
            _ => Cells::Values(Vec::new()),
        }
    }

    /// Appends one cell read from `cur`.
    #[inline]
    fn read(
        &mut self,
        ty: &DataType,
        cur: &mut ByteCursor<'_>,
        limits: &DecodeLimits,
        budget: &mut Budget,
    ) -> Result<(), ReadError> {
        match self {
            Cells::Plain(ColumnData::I8(v)) => v.push(cur.i8_le()?),
            Cells::Plain(ColumnData::I16(v)) => v.push(cur.i16_le()?),
            Cells::Plain(ColumnData::I32(v)) => v.push(cur.i32_le()?),
            Cells::Plain(ColumnData::I64(v)) => v.push(cur.i64_le()?),
            Cells::Plain(ColumnData::I128(v)) => v.push(cur.i128_le()?),
            Cells::Plain(ColumnData::U8(v)) => v.push(cur.u8()?),
            Cells::Plain(ColumnData::U16(v)) => v.push(cur.u16_le()?),
            Cells::Plain(ColumnData::U32(v)) => v.push(cur.u32_le()?),
            Cells::Plain(ColumnData::U64(v)) => v.push(cur.u64_le()?),
            Cells::Plain(ColumnData::U128(v)) => v.push(cur.u128_le()?),
            Cells::Plain(ColumnData::F32(v)) => v.push(cur.f32_le()?),
            Cells::Plain(ColumnData::F64(v)) => v.push(cur.f64_le()?),
            Cells::Plain(ColumnData::String(s)) => s.push(cur.string(limits)?),
            Cells::Plain(ColumnData::FixedString(f)) => {
                let cell = cur.bytes(f.width)?;
                f.data.extend_from_slice(cell);
            }
            Cells::Plain(_) => {
                return Err(ReadError::Bad(DecodeError::Unsupported(format!(
                    "no plain storage for {ty}"
                ))));
            }
            Cells::Values(v) => v.push(decode_value_budgeted(ty, cur, limits, budget)?),
        }
        Ok(())
    }

    /// Drops the cells past the first `rows` (those of a row cut short).
    fn truncate(&mut self, rows: usize) {
        match self {
            Cells::Plain(ColumnData::I8(v)) => v.truncate(rows),
            Cells::Plain(ColumnData::I16(v)) => v.truncate(rows),
            Cells::Plain(ColumnData::I32(v)) => v.truncate(rows),
            Cells::Plain(ColumnData::I64(v)) => v.truncate(rows),
            Cells::Plain(ColumnData::I128(v)) => v.truncate(rows),
            Cells::Plain(ColumnData::U8(v)) => v.truncate(rows),
            Cells::Plain(ColumnData::U16(v)) => v.truncate(rows),
            Cells::Plain(ColumnData::U32(v)) => v.truncate(rows),
            Cells::Plain(ColumnData::U64(v)) => v.truncate(rows),
            Cells::Plain(ColumnData::U128(v)) => v.truncate(rows),
            Cells::Plain(ColumnData::F32(v)) => v.truncate(rows),
            Cells::Plain(ColumnData::F64(v)) => v.truncate(rows),
            Cells::Plain(ColumnData::String(s)) => {
                s.offsets.truncate(rows);
                let end = s.offsets.last().map_or(0, |&e| e as usize);
                s.data.truncate(end);
            }
            Cells::Plain(ColumnData::FixedString(f)) => f.data.truncate(rows * f.width),
            Cells::Plain(_) => {}
            Cells::Values(v) => v.truncate(rows),
        }
    }

    /// The gathered cells as a column of `ty`; `self` starts over empty.
    fn take(&mut self, ty: &DataType) -> Result<Column, DecodeError> {
        match self {
            Cells::Plain(data) => {
                let fresh = Column::empty(ty).into_data();
                Column::new(ty.clone(), mem::replace(data, fresh))
            }
            Cells::Values(v) => Column::from_values(ty, mem::take(v)),
        }
    }
}

/// RowBinary (or `RowBinaryWithNamesAndTypes`) bytes in, Native [`Block`]s out.
#[derive(Debug)]
pub struct RowBinaryBlocks {
    rows: RowBinaryDecoder,
    /// Column names (for plain RowBinary: given; otherwise from the header once read).
    names: Vec<String>,
    /// Per column, once the types are known.
    cells: Vec<Cells>,
    /// Complete rows in `cells`.
    gathered: usize,
    rows_per_block: usize,
}

impl RowBinaryBlocks {
    /// Plain `RowBinary` rows of the given columns; a block every `rows_per_block` rows (at
    /// least 1).
    pub fn new(names: Vec<String>, types: Vec<DataType>, rows_per_block: usize) -> Self {
        let cells = types.iter().map(Cells::for_type).collect();
        RowBinaryBlocks {
            rows: RowBinaryDecoder::new(types),
            names,
            cells,
            gathered: 0,
            rows_per_block: rows_per_block.max(1),
        }
    }

    /// `RowBinaryWithNamesAndTypes` rows: the columns come from the header in the bytes.
    pub fn with_header(encoding: TypeEncoding, rows_per_block: usize) -> Self {
        RowBinaryBlocks {
            rows: RowBinaryDecoder::with_header(encoding),
            names: Vec::new(),
            cells: Vec::new(),
            gathered: 0,
            rows_per_block: rows_per_block.max(1),
        }
    }

    /// Replaces the default limits.
    pub fn with_limits(mut self, limits: DecodeLimits) -> Self {
        self.rows = self.rows.with_limits(limits);
        self
    }

    /// `JSON` columns carry their text (`input_format_binary_read_json_as_string`): they
    /// become `String` columns, which the server casts into its `JSON` columns when a Native
    /// block brings them (checked against 26.9: the stored JSON is the text's).
    pub fn json_as_text(mut self) -> Self {
        self.rows = self.rows.json_as_text();
        if !self.cells.is_empty() {
            self.cells = self.rows.types().iter().map(Cells::for_type).collect();
        }
        self
    }

    /// Appends body bytes.
    pub fn feed(&mut self, data: &[u8]) {
        self.rows.feed(data);
    }

    /// Reads the header if there is one and it has arrived; `Ok(false)`: more bytes needed.
    /// The columns are known ([`names`](Self::names), [`types`](Self::types)) once it is true.
    pub fn poll_header(&mut self) -> Result<bool, DecodeError> {
        if !self.rows.poll_header()? {
            return Ok(false);
        }
        if self.cells.is_empty() && !self.rows.types().is_empty() {
            self.names = self.rows.names().to_vec();
            self.cells = self.rows.types().iter().map(Cells::for_type).collect();
        }
        Ok(true)
    }

    /// Column names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Column types (empty until the header, when there is one, has been read).
    pub fn types(&self) -> &[DataType] {
        self.rows.types()
    }

    /// The next full block of `rows_per_block` rows, or `Ok(None)` until enough bytes were fed.
    pub fn next_block(&mut self) -> Result<Option<Block>, DecodeError> {
        if !self.poll_header()? {
            return Ok(None);
        }
        while self.gathered < self.rows_per_block {
            if !self.read_row()? {
                return Ok(None);
            }
        }
        self.take_block().map(Some)
    }

    /// Declares the end of the body: the rows left as a last block (`None` if there are none),
    /// or an error if the body ends inside a header or a row.
    pub fn finish(&mut self) -> Result<Option<Block>, DecodeError> {
        if let Some(block) = self.next_block()? {
            // A full block was pending; the caller calls again for the rest.
            return Ok(Some(block));
        }
        self.rows.finish()?;
        if self.gathered == 0 {
            return Ok(None);
        }
        self.take_block().map(Some)
    }

    /// Reads one row into the cells; `Ok(false)` (and no cell of it kept) if it is incomplete.
    fn read_row(&mut self) -> Result<bool, DecodeError> {
        let cells = &mut self.cells;
        let gathered = self.gathered;
        let complete = self.rows.next_row_with(|types, cur, limits| {
            let mut budget = Budget::starting_at(cur);
            for (c, ty) in cells.iter_mut().zip(types) {
                c.read(ty, cur, limits, &mut budget)?;
            }
            Ok(())
        })?;
        if complete {
            self.gathered += 1;
        } else {
            for c in &mut self.cells {
                c.truncate(gathered);
            }
        }
        Ok(complete)
    }

    fn take_block(&mut self) -> Result<Block, DecodeError> {
        let types = self.rows.types();
        let mut columns = Vec::with_capacity(self.cells.len());
        for ((name, ty), cells) in self.names.iter().zip(types).zip(&mut self.cells) {
            columns.push((name.clone(), cells.take(ty)?));
        }
        let rows = mem::take(&mut self.gathered);
        Ok(Block { columns, rows })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rowbinary::{block_to_row_binary, encode_header};

    fn ty(s: &str) -> DataType {
        DataType::parse(s).unwrap()
    }

    /// Three rows of plain and value-path columns.
    fn sample() -> Block {
        let cols: Vec<(&str, &str, Vec<Value>)> = vec![
            ("id", "UInt64", (1..=3).map(Value::UInt64).collect()),
            (
                "i8",
                "Int8",
                vec![Value::Int8(-1), Value::Int8(0), Value::Int8(7)],
            ),
            (
                "s",
                "String",
                vec![
                    Value::String(b"".to_vec()),
                    Value::String(b"hello".to_vec()),
                    Value::String(vec![0xff; 200]),
                ],
            ),
            (
                "f",
                "FixedString(2)",
                vec![
                    Value::FixedString(b"ab".to_vec()),
                    Value::FixedString(b"cd".to_vec()),
                    Value::FixedString(b"ef".to_vec()),
                ],
            ),
            (
                "d",
                "Decimal(18, 2)",
                (0..3)
                    .map(|i| Value::Decimal((i * 100 - 150).into()))
                    .collect(),
            ),
            (
                "u",
                "UUID",
                (0..3u8).map(|i| Value::Uuid([i; 16])).collect(),
            ),
            (
                "b",
                "Bool",
                vec![Value::Bool(true), Value::Bool(false), Value::Bool(true)],
            ),
            (
                "n",
                "Nullable(Float64)",
                vec![Value::Null, Value::Float64(1.5), Value::Null],
            ),
            (
                "lc",
                "LowCardinality(String)",
                ["x", "y", "x"]
                    .iter()
                    .map(|s| Value::String(s.as_bytes().to_vec()))
                    .collect(),
            ),
            (
                "m",
                "Map(String, Array(UInt32))",
                vec![
                    Value::Map(vec![]),
                    Value::Map(vec![(
                        Value::String(b"k".to_vec()),
                        Value::Array(vec![Value::UInt32(1), Value::UInt32(2)]),
                    )]),
                    Value::Map(vec![]),
                ],
            ),
        ];
        let columns = cols
            .into_iter()
            .map(|(n, t, v)| (n.to_string(), Column::from_values(&ty(t), v).unwrap()))
            .collect();
        Block::new(columns).unwrap()
    }

    fn names_types(b: &Block) -> (Vec<String>, Vec<DataType>) {
        b.columns
            .iter()
            .map(|(n, c)| (n.clone(), c.data_type().clone()))
            .unzip()
    }

    /// Feeds `pieces` and finishes, collecting every block.
    fn run(mut conv: RowBinaryBlocks, pieces: &[&[u8]]) -> Result<Vec<Block>, DecodeError> {
        let mut out = Vec::new();
        for p in pieces {
            conv.feed(p);
            while let Some(b) = conv.next_block()? {
                out.push(b);
            }
        }
        while let Some(b) = conv.finish()? {
            out.push(b);
        }
        Ok(out)
    }

    #[test]
    fn round_trips_block_to_row_binary_split_at_every_byte() {
        let block = sample();
        let (names, types) = names_types(&block);
        let mut body = Vec::new();
        block_to_row_binary(&block, &mut body).unwrap();
        for cut in 0..=body.len() {
            let (a, b) = body.split_at(cut);
            let conv = RowBinaryBlocks::new(names.clone(), types.clone(), 100);
            let blocks = run(conv, &[a, b]).unwrap();
            assert_eq!(blocks, vec![block.clone()], "cut at {cut}");
        }
        // One byte at a time, a block per row: the same rows, one per block.
        let conv = RowBinaryBlocks::new(names, types, 1);
        let bytes: Vec<&[u8]> = body.chunks(1).collect();
        let blocks = run(conv, &bytes).unwrap();
        assert_eq!(blocks.len(), 3);
        for (i, b) in blocks.iter().enumerate() {
            assert_eq!(b.rows, 1);
            let mut again = Vec::new();
            block_to_row_binary(b, &mut again).unwrap();
            let mut expected = Vec::new();
            let one = Block::new(
                block
                    .columns
                    .iter()
                    .map(|(n, c)| {
                        let v = c.get(i);
                        (n.clone(), Column::from_values(c.data_type(), [v]).unwrap())
                    })
                    .collect(),
            )
            .unwrap();
            block_to_row_binary(&one, &mut expected).unwrap();
            assert_eq!(again, expected, "row {i}");
        }
    }

    #[test]
    fn header_gives_the_columns() {
        let block = sample();
        let (names, types) = names_types(&block);
        let mut body = Vec::new();
        encode_header(&names, &types, TypeEncoding::Text, &mut body).unwrap();
        block_to_row_binary(&block, &mut body).unwrap();
        for cut in 0..=body.len() {
            let (a, b) = body.split_at(cut);
            let conv = RowBinaryBlocks::with_header(TypeEncoding::Text, 2);
            let blocks = run(conv, &[a, b]).unwrap();
            assert_eq!(blocks.iter().map(|b| b.rows).collect::<Vec<_>>(), [2, 1]);
            assert_eq!(blocks[0].columns.len(), names.len());
            assert_eq!(blocks[1].column("id").unwrap().get(0), Value::UInt64(3));
        }
        // The columns are known before any row arrives.
        let mut conv = RowBinaryBlocks::with_header(TypeEncoding::Text, 2);
        let header_len = body.len() - {
            let mut rows = Vec::new();
            block_to_row_binary(&block, &mut rows).unwrap();
            rows.len()
        };
        conv.feed(&body[..header_len]);
        assert!(conv.poll_header().unwrap());
        assert_eq!(conv.names(), names.as_slice());
        assert_eq!(conv.types(), types.as_slice());
    }

    #[test]
    fn a_truncated_body_is_an_error() {
        let block = sample();
        let (names, types) = names_types(&block);
        let mut body = Vec::new();
        block_to_row_binary(&block, &mut body).unwrap();
        for cut in 1..body.len() {
            let conv = RowBinaryBlocks::new(names.clone(), types.clone(), 100);
            let err = run(conv, &[&body[..cut]]);
            // A cut on a row boundary is whole rows; inside a row it is a typed error.
            match err {
                Ok(blocks) => assert!(blocks.iter().map(|b| b.rows).sum::<usize>() < 3),
                Err(e) => assert_eq!(e, DecodeError::Truncated("RowBinary row"), "cut {cut}"),
            }
        }
        let conv = RowBinaryBlocks::with_header(TypeEncoding::Text, 10);
        assert_eq!(
            run(conv, &[&[2u8, 1, b'a'][..]]).unwrap_err(),
            DecodeError::Truncated("RowBinary header")
        );
    }

    #[test]
    fn a_bad_cell_is_an_error_not_a_value() {
        let conv = RowBinaryBlocks::new(vec!["b".into()], vec![DataType::Bool], 10);
        assert!(matches!(
            run(conv, &[&[1, 0, 2][..]]),
            Err(DecodeError::Malformed { .. })
        ));
    }

    #[test]
    fn server_capture_decodes() {
        // Captured from chdb-core 26.9: SELECT number AS n, toString(number) AS s,
        // toUUID('00112233-4455-6677-8899-aabbccddeeff') AS u, [number] AS a
        // FROM numbers(2) FORMAT RowBinary
        let wire: &[u8] = &CAPTURE;
        let types = vec![ty("UInt64"), ty("String"), ty("UUID"), ty("Array(UInt64)")];
        let names = ["n", "s", "u", "a"].map(String::from).to_vec();
        for cut in 0..=wire.len() {
            let conv = RowBinaryBlocks::new(names.clone(), types.clone(), 1000);
            let blocks = run(conv, &[&wire[..cut], &wire[cut..]]).unwrap();
            let b = &blocks[0];
            assert_eq!(b.rows, 2);
            assert_eq!(b.column("n").unwrap().get(1), Value::UInt64(1));
            assert_eq!(b.column("s").unwrap().get(1), Value::String(b"1".to_vec()));
            let canon = [
                0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd,
                0xee, 0xff,
            ];
            assert_eq!(b.column("u").unwrap().get(0), Value::Uuid(canon));
            assert_eq!(
                b.column("a").unwrap().get(1),
                Value::Array(vec![Value::UInt64(1)])
            );
        }
    }

    const CAPTURE: [u8; 70] = [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x30, 0x77, 0x66, 0x55, 0x44, 0x33,
        0x22, 0x11, 0x00, 0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88, 0x01, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x31,
        0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00, 0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99,
        0x88, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];
}

#[cfg(test)]
mod json_as_text_tests {
    use super::*;
    use crate::rowbinary::{encode_header, json_as_text_type};
    use crate::wire::put_string;

    /// `JSON` cells sent as their text become a `String` column, with and without a header; a
    /// `JSON` nested in another type is left as it is.
    #[test]
    fn json_text_cells_become_string_columns() {
        let json = DataType::parse("JSON").unwrap();
        let mut cells = Vec::new();
        for text in [r#"{"a":1}"#, r#"{"b":"x"}"#] {
            cells.push(7u8);
            put_string(&mut cells, text.as_bytes());
        }
        let types = vec![DataType::UInt8, json.clone()];
        let names = vec!["id".to_string(), "j".to_string()];
        let mut header = Vec::new();
        encode_header(&names, &types, TypeEncoding::Text, &mut header).unwrap();
        header.extend_from_slice(&cells);
        let plain = RowBinaryBlocks::new(names.clone(), types.clone(), 10).json_as_text();
        let with_header = RowBinaryBlocks::with_header(TypeEncoding::Text, 10).json_as_text();
        for (mut rows, bytes) in [(plain, &cells), (with_header, &header)] {
            for b in bytes.iter() {
                rows.feed(&[*b]);
            }
            let block = rows.finish().unwrap().unwrap();
            assert_eq!(block.rows, 2);
            let (name, col) = &block.columns[1];
            assert_eq!((name.as_str(), col.data_type()), ("j", &DataType::String));
            assert_eq!(
                col.try_get(1).unwrap(),
                Value::String(br#"{"b":"x"}"#.to_vec())
            );
        }
        let nested = DataType::parse("Array(JSON)").unwrap();
        assert_eq!(json_as_text_type(&nested), nested);
    }
}
