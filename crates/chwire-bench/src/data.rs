//! The benchmark's scenarios and their data, built once, outside the timed region, in each
//! client's natural form: columnar blocks for chwire, row structs for the official crate, and the
//! Native request body chwire sends (blocks merged, plain or compressed) for the raw socket.

use chwire::{Block, Column, ColumnData, DataType, StringColumn};
use chwire_proto::native::write_concatenable_data;
use chwire_proto::{CompressedBlockWriter, NativeEncoder};
use serde::{Deserialize, Serialize};

/// Database holding the insert target; created (and left) by the benchmark.
pub const DATABASE: &str = "chwire_bench";
/// `ENGINE = Null`: the server parses and discards the rows, so the client's cost is not hidden
/// behind MergeTree part writing.
pub const INSERT_TABLE: &str = "insert_null";
/// Rows per inserted block (chwire) and per compressed block (raw body).
pub const INSERT_BLOCK_ROWS: usize = 250_000;

/// What a scenario does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    SelectU64,
    SelectMixed,
    InsertMixed,
}

#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: &'static str,
    pub kind: Kind,
    pub rows: u64,
}

impl Scenario {
    pub fn all(scale: f64) -> Vec<Scenario> {
        let n = |rows: f64| ((rows * scale) as u64).max(1000);
        vec![
            Scenario {
                name: "select_u64",
                kind: Kind::SelectU64,
                rows: n(20e6),
            },
            Scenario {
                name: "select_mixed",
                kind: Kind::SelectMixed,
                rows: n(5e6),
            },
            Scenario {
                name: "insert_mixed",
                kind: Kind::InsertMixed,
                rows: n(5e6),
            },
        ]
    }

    /// The SELECT every client sends (chwire and the raw socket add `FORMAT Native` through
    /// `default_format`, the official crate its own `FORMAT RowBinary`).
    pub fn select_sql(&self) -> String {
        match self.kind {
            Kind::SelectU64 => format!("SELECT number FROM numbers({})", self.rows),
            Kind::SelectMixed => format!(
                "SELECT number AS id, concat('event-', toString(number)) AS name, \
                 toFloat64(number) * 0.5 AS value FROM numbers({})",
                self.rows
            ),
            Kind::InsertMixed => String::new(),
        }
    }

    pub fn description(&self) -> String {
        match self.kind {
            Kind::SelectU64 => format!("SELECT {} x UInt64 (numbers)", self.rows),
            Kind::SelectMixed => format!("SELECT {} x (UInt64, String, Float64)", self.rows),
            Kind::InsertMixed => format!(
                "INSERT {} x (UInt64, String, Float64) into ENGINE = Null",
                self.rows
            ),
        }
    }
}

/// One row of the mixed scenarios, for the official crate and for chwire's typed rows (the same
/// struct, derived for both).
#[derive(Debug, Clone, clickhouse::Row, chwire::Row, Serialize, Deserialize)]
pub struct MixedRow {
    pub id: u64,
    pub name: String,
    pub value: f64,
}

/// A row of `SELECT number FROM numbers(n)` for chwire's typed rows (the official crate reads a
/// bare `u64`).
#[derive(Debug, Clone, Copy, chwire::Row, Serialize, Deserialize)]
pub struct NumberRow {
    pub number: u64,
}

pub fn name_of(id: u64) -> String {
    format!("event-{id}")
}

pub fn value_of(id: u64) -> f64 {
    id as f64 * 0.5
}

/// The insert data as rows (official crate).
pub fn mixed_rows(rows: u64) -> Vec<MixedRow> {
    (0..rows)
        .map(|id| MixedRow {
            id,
            name: name_of(id),
            value: value_of(id),
        })
        .collect()
}

/// The insert data as columnar blocks of [`INSERT_BLOCK_ROWS`] (chwire).
pub fn mixed_blocks(rows: u64) -> Vec<Block> {
    mixed_blocks_of(0, rows, INSERT_BLOCK_ROWS)
}

/// The rows `first..last` of the insert data as blocks of `block_rows`.
pub fn mixed_blocks_of(first: u64, last: u64, block_rows: usize) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut start = first;
    while start < last {
        let end = (start + block_rows as u64).min(last);
        let mut names = StringColumn::default();
        for id in start..end {
            names.push(name_of(id).as_bytes());
        }
        let columns = vec![
            (
                "id".to_string(),
                Column::new(DataType::UInt64, ColumnData::U64((start..end).collect()))
                    .expect("UInt64 storage"),
            ),
            (
                "name".to_string(),
                Column::new(DataType::String, ColumnData::String(names)).expect("String storage"),
            ),
            (
                "value".to_string(),
                Column::new(
                    DataType::Float64,
                    ColumnData::F64((start..end).map(value_of).collect()),
                )
                .expect("Float64 storage"),
            ),
        ];
        blocks.push(Block::new(columns).expect("equal column lengths"));
        start = end;
    }
    blocks
}

/// The Native request body for `blocks` at its cheapest for the server: consecutive blocks
/// merged into Native blocks of at least `MERGE_ROWS` rows (the server's
/// `min_insert_block_size_rows`, which spares it the squashing copy) from the first one (chwire
/// merges only what is queued, so its first block goes alone), and with `lz4` compressed as one
/// stream.
pub fn native_body(blocks: &[Block], lz4: bool) -> Vec<u8> {
    const MERGE_ROWS: usize = 1_048_449;
    let encoder = NativeEncoder::new();
    let mut plain = Vec::new();
    let mut rest = blocks;
    while !rest.is_empty() {
        let mut take = 0;
        let mut rows = 0;
        while take < rest.len() && rows < MERGE_ROWS {
            rows += rest[take].rows;
            take += 1;
        }
        let (batch, after) = rest.split_at(take);
        encoder.encode_block_head(batch[0].columns.len(), rows, &mut plain);
        for (j, (name, column)) in batch[0].columns.iter().enumerate() {
            encoder.encode_column_head(name, column, &mut plain);
            for block in batch {
                assert!(write_concatenable_data(&block.columns[j].1, &mut plain));
            }
        }
        rest = after;
    }
    if !lz4 {
        return plain;
    }
    let mut framed = bytes::BytesMut::new();
    CompressedBlockWriter::new(chwire_proto::Compression::Lz4)
        .write(&plain, &mut framed)
        .expect("compressible body");
    framed.to_vec()
}
