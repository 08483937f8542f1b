//! chwire's side: the fastest natural path, Native blocks (`fetch_blocks`, `insert_blocks`), and
//! typed rows (`fetch::<T>` with the client's default format, Native re-laid as rows;
//! `insert::<T>`, Native blocks transposed from the rows). Runtime-agnostic: the same code runs on tokio, async-std and smol.

use std::sync::Arc;

use chwire::{Block, Client, Compression};
use chwire_rt::Runtime;

use crate::Check;
use crate::data::{Kind, MixedRow, NumberRow};

pub fn client(rt: Arc<dyn Runtime>, url: &str, lz4: bool) -> chwire::Result<Client> {
    Client::builder(rt)
        .url(url)
        .compression(if lz4 {
            Compression::Lz4
        } else {
            Compression::None
        })
        .build()
}

/// Streams the result as blocks and folds the columns the scenario checks.
pub async fn select(client: &Client, sql: &str) -> chwire::Result<Check> {
    let mut blocks = client.query(sql).fetch_blocks().await?;
    let mut check = Check::default();
    while let Some(block) = blocks.next().await {
        let block = block?;
        check.rows += block.rows as u64;
        for (name, column) in &block.columns {
            if let Some(ids) = column.as_u64() {
                check.id_sum = check.id_sum.wrapping_add(sum_u64(ids));
            } else if let Some(names) = column.as_strings() {
                check.name_bytes += names.data.len() as u64;
            } else if column.as_f64().is_none() {
                return Err(chwire::Error::Config(format!("unexpected column {name}")));
            }
        }
    }
    Ok(check)
}

/// The exact sum of a column, as the consumer of a column would compute it: the low and high
/// 32-bit halves are summed separately in `u64` lanes (no overflow below 2^32 values), which
/// vectorises, instead of one `u128` add per value.
fn sum_u64(values: &[u64]) -> u128 {
    let mut sum = 0u128;
    for chunk in values.chunks(1 << 31) {
        let lo: u64 = chunk.iter().map(|&x| x & 0xffff_ffff).sum();
        let hi: u64 = chunk.iter().map(|&x| x >> 32).sum();
        sum = sum.wrapping_add((u128::from(hi) << 32) + u128::from(lo));
    }
    sum
}

/// One streaming insert of `blocks`.
pub async fn insert(client: &Client, table: &str, blocks: Vec<Block>) -> chwire::Result<u64> {
    let mut insert = client.insert_blocks(table);
    let mut rows = 0;
    for block in blocks {
        rows += block.rows as u64;
        insert.write(block).await?;
    }
    insert.end().await?;
    Ok(rows)
}

/// Streams the result as typed rows (`RowBinaryWithNamesAndTypes`, header checked once).
pub async fn select_rows(client: &Client, kind: Kind, sql: &str) -> chwire::Result<Check> {
    let mut check = Check::default();
    if kind == Kind::SelectU64 {
        let mut rows = client.query(sql).fetch::<NumberRow>().await?;
        while let Some(row) = rows.next().await {
            check.rows += 1;
            check.id_sum = check.id_sum.wrapping_add(u128::from(row?.number));
        }
    } else {
        let mut rows = client.query(sql).fetch::<MixedRow>().await?;
        while let Some(row) = rows.next().await {
            let row = row?;
            check.rows += 1;
            check.id_sum = check.id_sum.wrapping_add(u128::from(row.id));
            check.name_bytes += row.name.len() as u64;
        }
    }
    Ok(check)
}

/// One streaming insert of typed rows (Native blocks; `FORMAT RowBinary` when the environment
/// sets `CHWIRE_BENCH_TYPED_INSERT=rowbinary`, to compare the two in one build).
pub async fn insert_rows(client: &Client, table: &str, rows: &[MixedRow]) -> chwire::Result<u64> {
    let mut insert = client.insert::<MixedRow>(table).await?;
    if std::env::var("CHWIRE_BENCH_TYPED_INSERT").is_ok_and(|v| v == "rowbinary") {
        insert = insert.format(chwire::Format::RowBinary);
    }
    for row in rows {
        insert.write(row).await?;
    }
    insert.end().await?;
    Ok(rows.len() as u64)
}

/// What the native rows show while `Client::builder(..).build()` rejects the native URL scheme.
pub const NATIVE_NOT_BUILT: &str = "n/a (native transport not built)";

/// chwire over the native protocol at `url`, uncompressed and LZ4; `None` while the facade has
/// no native transport (the builder's URL-scheme error). Any other error is one.
pub fn native_clients(rt: Arc<dyn Runtime>, url: &str) -> chwire::Result<Option<[Client; 2]>> {
    let build = |lz4| match client(rt.clone(), url, lz4) {
        Ok(c) => Ok(Some(c)),
        Err(chwire::Error::Config(m)) if m.contains("unsupported URL scheme") => Ok(None),
        Err(e) => Err(e),
    };
    Ok(build(false)?.zip(build(true)?).map(|(a, b)| [a, b]))
}
