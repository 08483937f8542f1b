//! `block_to_row_binary` against the generic path: every golden Native case (every type the
//! server sends) re-laid as RowBinary must be byte for byte what `RowBinaryEncoder` writes
//! from the same rows' `Value`s.

mod common;

use chwire_proto::rowbinary::block_to_row_binary;
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
