//! The official `clickhouse` crate (0.15) as the baseline, used the way its docs suggest:
//! `#[derive(Row)]` structs over RowBinary. Schema validation is turned off
//! (`with_validation(false)`), its documented fastest mode (plain RowBinary instead of
//! RowBinaryWithNamesAndTypes). It needs tokio.

use clickhouse::{Client, Compression};

use crate::Check;
use crate::data::{Kind, MixedRow};

pub fn client(url: &str, database: &str, lz4: bool) -> Client {
    Client::default()
        .with_url(url)
        .with_database(database)
        .with_compression(if lz4 {
            Compression::Lz4
        } else {
            Compression::None
        })
        .with_validation(false)
}

pub async fn select(client: &Client, kind: Kind, sql: &str) -> clickhouse::error::Result<Check> {
    let mut check = Check::default();
    match kind {
        Kind::SelectU64 => {
            let mut cursor = client.query(sql).fetch::<u64>()?;
            while let Some(x) = cursor.next().await? {
                check.rows += 1;
                check.id_sum = check.id_sum.wrapping_add(u128::from(x));
            }
        }
        _ => {
            let mut cursor = client.query(sql).fetch::<MixedRow>()?;
            while let Some(row) = cursor.next().await? {
                check.rows += 1;
                check.id_sum = check.id_sum.wrapping_add(u128::from(row.id));
                check.name_bytes += row.name.len() as u64;
            }
        }
    }
    Ok(check)
}

pub async fn insert(
    client: &Client,
    table: &str,
    rows: &[MixedRow],
) -> clickhouse::error::Result<u64> {
    let mut insert = client.insert::<MixedRow>(table).await?;
    for row in rows {
        insert.write(row).await?;
    }
    insert.end().await?;
    Ok(rows.len() as u64)
}
