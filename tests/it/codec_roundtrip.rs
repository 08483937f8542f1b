//! Round trips of chwire's codecs through the real server, for every type in the golden
//! vectors: values are encoded by chwire (Native blocks, RowBinary rows), inserted with
//! `INSERT … FORMAT Native|RowBinary` — plain, and as LZ4 and ZSTD compressed blocks
//! (`decompress=1`) — then selected back, decoded by chwire and compared with the originals.
//!
//! The transport here is xtask's tiny blocking HTTP client on purpose: these tests prove the
//! codecs against the server independently of chwire's own transport (which has its own tests).

use std::path::PathBuf;

use bytes::BytesMut;
use chwire_proto::compression::{CompressedBlockWriter, Compression};
use chwire_proto::rowbinary::header::TypeEncoding;
use chwire_proto::{
    Block, DataType, NativeDecoder, NativeEncoder, RowBinaryDecoder, RowBinaryEncoder, Value,
};

/// Settings that let every golden type be a table column.
const SETTINGS: &str = "session_timezone=UTC&allow_experimental_qbit_type=1&enable_time_time64_type=1\
&allow_suspicious_variant_types=1&allow_suspicious_low_cardinality_types=1&flatten_nested=0\
&allow_suspicious_fixed_string_types=1&max_threads=1";

/// Columns the server refuses in tables (`Nothing`, `Interval…`: error 370
/// DATA_TYPE_CANNOT_BE_USED_IN_TABLES). They are left out of the round trip; their decoding is
/// covered by the golden tests.
fn storable(ty: &DataType) -> bool {
    let text = ty.to_string();
    !text.contains("Nothing") && !text.starts_with("Interval")
}

fn golden_dir(area: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/chwire-proto/tests/golden")
        .join(area)
}

fn cases(area: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(golden_dir(area))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "sql" && p.file_stem()? != "setup")
                .then(|| p.file_stem().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    out.sort();
    out
}

fn port() -> u16 {
    chwire_tests::http_addr().port()
}

fn encode_component(text: &str) -> String {
    let mut out = String::new();
    chwire_proto::http::percent_encode(text, &mut out);
    out
}

fn sql(query: &str) -> Result<Vec<u8>, String> {
    xtask::http::post(port(), SETTINGS, query)
}

fn insert(table: &str, format: &str, body: &[u8], compression: Compression) -> Result<(), String> {
    let query = encode_component(&format!("INSERT INTO {table} FORMAT {format}"));
    let (body, flag) = match compression {
        Compression::None => (body.to_vec(), ""),
        method => {
            let mut out = BytesMut::new();
            CompressedBlockWriter::new(method)
                .write(body, &mut out)
                .map_err(|e| e.to_string())?;
            (out.to_vec(), "&decompress=1")
        }
    };
    xtask::http::post_body(port(), &format!("/?{SETTINGS}{flag}&query={query}"), &body).map(drop)
}

fn create_table(table: &str, columns: &[(String, DataType)]) -> Result<(), String> {
    let cols: Vec<String> = columns
        .iter()
        .map(|(name, ty)| format!("`{}` {ty}", name.replace('`', "\\`")))
        .collect();
    sql(&format!("DROP TABLE IF EXISTS {table}"))?;
    sql(&format!(
        "CREATE TABLE {table} ({}) ENGINE = Memory",
        cols.join(", ")
    ))
    .map(drop)
}

/// Debug text compares structurally and treats NaN like NaN (and keeps -0.0 distinct).
fn same(a: &[Value], b: &[Value]) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

const COMPRESSIONS: [Compression; 3] = [
    Compression::None,
    Compression::Lz4,
    Compression::Zstd { level: 3 },
];

fn native_blocks(bytes: &[u8]) -> Vec<Block> {
    let mut decoder = NativeDecoder::new();
    decoder.feed(bytes);
    let mut blocks = Vec::new();
    while let Some(b) = decoder.next_block().unwrap() {
        blocks.push(b);
    }
    while let Some(b) = decoder.finish().unwrap() {
        blocks.push(b);
    }
    blocks
}

/// Column `i` of all blocks, as values.
fn column_values(blocks: &[Block], i: usize) -> Vec<Value> {
    blocks
        .iter()
        .flat_map(|b| {
            let c = &b.columns[i].1;
            (0..c.len()).map(move |r| c.get(r))
        })
        .collect()
}

fn native_case(case: &str) -> Result<usize, String> {
    let original = std::fs::read(golden_dir("native").join(format!("{case}.bin"))).unwrap();
    let mut blocks = native_blocks(&original);
    for block in &mut blocks {
        block.columns.retain(|(_, c)| storable(c.data_type()));
    }
    if blocks[0].columns.is_empty() {
        return Ok(0);
    }
    let columns: Vec<(String, DataType)> = blocks[0]
        .columns
        .iter()
        .map(|(n, c)| (n.clone(), c.data_type().clone()))
        .collect();
    let table = format!("chwire_roundtrip.native_{case}");
    create_table(&table, &columns)?;
    let encoder = NativeEncoder::new();
    let mut body = Vec::new();
    for block in &blocks {
        encoder
            .encode_into(block, &mut body)
            .map_err(|e| e.to_string())?;
    }
    for compression in COMPRESSIONS {
        sql(&format!("TRUNCATE TABLE {table}"))?;
        insert(&table, "Native", &body, compression)?;
        let back = native_blocks(&sql(&format!("SELECT * FROM {table} FORMAT Native"))?);
        for (i, (name, _)) in columns.iter().enumerate() {
            let (want, got) = (column_values(&blocks, i), column_values(&back, i));
            if !same(&want, &got) {
                return Err(format!(
                    "{case} ({compression:?}) column {name}: sent {want:?}, read back {got:?}"
                ));
            }
        }
    }
    sql(&format!("DROP TABLE {table}"))?;
    Ok(columns.len())
}

fn rowbinary_decode(bytes: &[u8]) -> (Vec<String>, Vec<DataType>, Vec<Vec<Value>>) {
    let mut decoder = RowBinaryDecoder::with_names_and_types();
    decoder.feed(bytes);
    let mut rows = Vec::new();
    while let Some(row) = decoder.next_row().unwrap() {
        rows.push(row);
    }
    decoder.finish().unwrap();
    (decoder.names().to_vec(), decoder.types().to_vec(), rows)
}

fn rowbinary_case(case: &str) -> Result<usize, String> {
    let original = std::fs::read(golden_dir("rowbinary").join(format!("{case}.bin"))).unwrap();
    let (all_names, all_types, all_rows) = rowbinary_decode(&original);
    let keep: Vec<bool> = all_types.iter().map(storable).collect();
    let pick = |v: &[Value]| -> Vec<Value> {
        v.iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(x, _)| x.clone())
            .collect()
    };
    let names: Vec<String> = all_names
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(n, _)| n.clone())
        .collect();
    let types: Vec<DataType> = all_types.iter().filter(|t| storable(t)).cloned().collect();
    if types.is_empty() {
        return Ok(0);
    }
    let rows: Vec<Vec<Value>> = all_rows.iter().map(|r| pick(r)).collect();
    let columns: Vec<(String, DataType)> =
        names.iter().cloned().zip(types.iter().cloned()).collect();
    let table = format!("chwire_roundtrip.rowbinary_{case}");
    create_table(&table, &columns)?;
    let mut encoder = RowBinaryEncoder::new(types.clone());
    for row in &rows {
        encoder.write_row(row).map_err(|e| e.to_string())?;
    }
    let body = encoder.take();
    for compression in COMPRESSIONS {
        sql(&format!("TRUNCATE TABLE {table}"))?;
        insert(&table, "RowBinary", &body, compression)?;
        let back = sql(&format!(
            "SELECT * FROM {table} FORMAT RowBinaryWithNamesAndTypes"
        ))?;
        let (back_names, back_types, back_rows) = rowbinary_decode(&back);
        if back_names != names || back_types != types {
            return Err(format!(
                "{case}: header changed: {back_names:?} {back_types:?}"
            ));
        }
        for (i, (want, got)) in rows.iter().zip(&back_rows).enumerate() {
            if !same(want, got) {
                return Err(format!(
                    "{case} ({compression:?}) row {i}: sent {want:?}, read back {got:?}"
                ));
            }
        }
        if back_rows.len() != rows.len() {
            return Err(format!(
                "{case}: sent {} rows, read back {}",
                rows.len(),
                back_rows.len()
            ));
        }
    }
    // The same rows behind a RowBinaryWithNamesAndTypes header written by chwire with binary
    // type encoding: the server must accept our names and binary types.
    sql(&format!("TRUNCATE TABLE {table}"))?;
    let mut encoder =
        RowBinaryEncoder::with_names_and_types(&names, types.clone(), TypeEncoding::Binary)
            .map_err(|e| e.to_string())?;
    for row in &rows {
        encoder.write_row(row).map_err(|e| e.to_string())?;
    }
    let query = encode_component(&format!(
        "INSERT INTO {table} FORMAT RowBinaryWithNamesAndTypes"
    ));
    xtask::http::post_body(
        port(),
        &format!("/?{SETTINGS}&input_format_binary_decode_types_in_binary_format=1&query={query}"),
        &encoder.take(),
    )?;
    let back = sql(&format!(
        "SELECT * FROM {table} FORMAT RowBinaryWithNamesAndTypes"
    ))?;
    if !same(&rowbinary_decode(&back).2.concat(), &rows.concat()) {
        return Err(format!(
            "{case}: rows sent with a binary-types header differ"
        ));
    }
    sql(&format!("DROP TABLE {table}"))?;
    Ok(columns.len())
}

fn run_all(area: &str, case_fn: fn(&str) -> Result<usize, String>) {
    sql("CREATE DATABASE IF NOT EXISTS chwire_roundtrip").unwrap();
    if area == "native" {
        // The dynamic/json/simpleagg cases select from tables made by setup.sql.
        let setup = std::fs::read_to_string(golden_dir("native").join("setup.sql")).unwrap();
        for statement in xtask::golden::setup_statements(&setup) {
            sql(&statement).unwrap();
        }
    }
    let mut failures = Vec::new();
    let mut columns = 0;
    let mut tried = 0;
    for case in cases(area) {
        tried += 1;
        match case_fn(&case) {
            Ok(n) => columns += n,
            Err(e) => failures.push(e),
        }
    }
    assert!(tried >= 15, "expected the golden cases, found {tried}");
    assert!(
        failures.is_empty(),
        "{} of {tried} {area} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{area}: {tried} cases, {columns} columns round-tripped (plain, LZ4, ZSTD)");
}

#[chwire_tests::test]
fn native_blocks_round_trip_through_the_server() {
    run_all("native", native_case);
}

#[chwire_tests::test]
fn rowbinary_rows_round_trip_through_the_server() {
    run_all("rowbinary", rowbinary_case);
}
