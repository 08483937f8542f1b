//! `block_to_row_binary` against the generic path: every golden Native case (every type the
//! server sends) re-laid as RowBinary must be byte for byte what `RowBinaryEncoder` writes
//! from the same rows' `Value`s; `column_row_binary` must be each column's values the same
//! way, column after column.

mod common;

use chwire_proto::rowbinary::{block_to_row_binary, column_row_binary};
use chwire_proto::{Block, NativeDecoder, RowBinaryEncoder};

fn cases() -> Vec<String> {
    let dir = format!("{}/tests/golden/native", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".bin").map(str::to_owned)
        })
        .collect();
    names.sort();
    names
}

fn blocks(name: &str) -> Vec<Block> {
    let path = format!(
        "{}/tests/golden/native/{name}.bin",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap();
    let mut d = NativeDecoder::new().with_type_parser(common::parse_type);
    d.feed(&bytes);
    let mut out = Vec::new();
    while let Some(b) = d.next_block().unwrap() {
        out.push(b);
    }
    while let Some(b) = d.finish().unwrap() {
        out.push(b);
    }
    out
}

#[test]
fn every_golden_case_transcodes_as_the_value_encoder_writes() {
    let names = cases();
    assert!(names.len() >= 20, "golden cases: {names:?}");
    let mut checked = 0;
    for name in &names {
        for block in blocks(name) {
            let types = block
                .columns
                .iter()
                .map(|(_, c)| c.data_type().clone())
                .collect();
            let mut reference = RowBinaryEncoder::new(types);
            let mut values = Vec::new();
            let mut encodable = true;
            for row in 0..block.rows {
                values.clear();
                for (_, c) in &block.columns {
                    values.push(c.try_get(row).unwrap());
                }
                if reference.write_row(&values).is_err() {
                    encodable = false;
                    break;
                }
            }
            let mut fast = Vec::new();
            let result = block_to_row_binary(&block, &mut fast);
            if !encodable {
                // What the value encoder refuses, the transcoder refuses too (no wrong bytes).
                assert!(
                    result.is_err(),
                    "{name}: transcoded what the encoder refuses"
                );
                continue;
            }
            result.unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(fast, reference.take().to_vec(), "{name}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} blocks compared");
}

#[test]
fn every_golden_column_is_its_values_row_binary() {
    let mut checked = 0;
    let mut borrowed = 0;
    for name in &cases() {
        for block in blocks(name) {
            for (col_name, column) in &block.columns {
                let mut reference = RowBinaryEncoder::new(vec![column.data_type().clone()]);
                let encodable = (0..block.rows)
                    .all(|row| reference.write_row(&[column.try_get(row).unwrap()]).is_ok());
                let owned = column.clone();
                let plain = chwire_proto::native::plain_bytes(&owned).map(<[u8]>::as_ptr);
                let result = column_row_binary(owned, block.rows);
                if !encodable {
                    assert!(
                        result.is_err(),
                        "{name}.{col_name}: re-laid what the encoder refuses"
                    );
                    continue;
                }
                let bytes = result.unwrap_or_else(|e| panic!("{name}.{col_name}: {e}"));
                assert_eq!(
                    bytes.to_vec(),
                    reference.take().to_vec(),
                    "{name}.{col_name}"
                );
                if let Some(ptr) = plain {
                    // Not copied: the bytes are the column's own memory.
                    assert_eq!(bytes.as_ptr(), ptr, "{name}.{col_name}");
                    borrowed += 1;
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 40, "only {checked} columns compared");
    assert!(borrowed >= 10, "only {borrowed} plain columns");
}

#[test]
fn a_column_of_another_length_is_refused() {
    let column = chwire_proto::Column::new(
        chwire_proto::DataType::UInt64,
        chwire_proto::ColumnData::U64(vec![1, 2, 3]),
    )
    .unwrap();
    assert!(column_row_binary(column, 4).is_err());
}
