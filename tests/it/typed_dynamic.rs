//! `Dynamic` columns as Rust enums in typed rows, through the real server: each newtype variant
//! is named after a ClickHouse type, written as that type (checked with the server's own
//! `dynamicType` and `toString`) and read back with the server writing Native and RowBinary,
//! on both transports, from typed inserts and the `Inserter`; a value whose type has no variant is a typed error naming the column.

use std::sync::Arc;

use chwire::serde_json::{Value, json};
use chwire::{Client, RowError};
use chwire_rt::Runtime;
use chwire_tests::Transport;
use serde::{Deserialize, Serialize};

use crate::query::client;
use crate::type_mappings::{FORMATS, client_with, table, text};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Named {
    a: i64,
    b: String,
}

/// One variant per type the rows hold, named as the server names the type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Dyn {
    Int64(i64),
    String(String),
    Bool(bool),
    #[serde(rename = "Array(Int64)")]
    Ints(Vec<i64>),
    #[serde(rename = "Array(Float64)")]
    Floats(Vec<f64>),
    #[serde(rename = "Array(Nullable(String))")]
    MaybeTexts(Vec<Option<String>>),
    /// Ticks of a millisecond.
    #[serde(rename = "DateTime64(3, 'UTC')")]
    Millis(i64),
    #[serde(rename = "Tuple(a Int64, b String)")]
    Named(Named),
    #[serde(rename = "Map(String, UInt8)")]
    Counts(Vec<(String, u8)>),
}

#[derive(Debug, Clone, PartialEq, chwire::Row, Serialize, Deserialize)]
struct DynRow {
    id: u64,
    d: Option<Dyn>,
    many: Vec<Option<Dyn>>,
    pair: (u8, Option<Dyn>),
}

const COLUMNS: &str = "id UInt64, d Dynamic, many Array(Dynamic), pair Tuple(UInt8, Dynamic)";
/// With room for one type per column the server keeps the others in the shared variant.
const SHARED_COLUMNS: &str = "id UInt64, d Dynamic(max_types = 1), \
    many Array(Dynamic(max_types = 1)), pair Tuple(UInt8, Dynamic(max_types = 1))";

fn rows() -> Vec<DynRow> {
    let row = |id, d: Option<Dyn>| DynRow {
        id,
        d,
        many: vec![],
        pair: (0, None),
    };
    vec![
        row(1, Some(Dyn::Int64(-42))),
        row(2, Some(Dyn::String("tab\t'quote'".into()))),
        row(3, Some(Dyn::Bool(true))),
        row(4, Some(Dyn::Ints(vec![1, i64::MIN]))),
        row(5, Some(Dyn::MaybeTexts(vec![Some("x".into()), None]))),
        row(6, Some(Dyn::Millis(1_700_000_000_123))),
        row(
            7,
            Some(Dyn::Named(Named {
                a: 5,
                b: "b".into(),
            })),
        ),
        row(8, Some(Dyn::Counts(vec![("k".into(), 7)]))),
        row(9, None),
        DynRow {
            id: 10,
            d: Some(Dyn::Floats(vec![0.5])),
            many: vec![Some(Dyn::Int64(1)), None, Some(Dyn::String("s".into()))],
            pair: (3, Some(Dyn::Ints(vec![2]))),
        },
    ]
}

/// Typed rows with enums for `Dynamic` (alone, in an array, in a tuple) are inserted; the
/// server says each value has the type its variant names, with the value the Rust side held;
/// read back in both formats they are the rows written.
#[chwire_tests::case]
pub async fn dynamic_enums_round_trip(rt: Arc<dyn Runtime>, transport: Transport) {
    for columns in [COLUMNS, SHARED_COLUMNS] {
        round_trip(&rt, transport, columns).await;
    }
}

async fn round_trip(rt: &Arc<dyn Runtime>, transport: Transport, columns: &str) {
    let c = client(rt.clone(), transport, chwire::Compression::Lz4).await;
    let t = table(&c, "dyn_enum", columns).await;
    let rows = rows();
    let mut ins = c.insert::<DynRow>(&t).await.unwrap();
    for r in &rows {
        ins.write(r).await.unwrap();
    }
    assert_eq!(ins.end().await.unwrap().written_rows, rows.len() as u64);
    assert_eq!(
        text(&c, &t, "dynamicType(d), toString(d)").await,
        [
            "Int64\t-42",
            "String\ttab\t'quote'",
            "Bool\ttrue",
            "Array(Int64)\t[1,-9223372036854775808]",
            "Array(Nullable(String))\t['x',NULL]",
            "DateTime64(3, 'UTC')\t2023-11-14 22:13:20.123",
            "Tuple(a Int64, b String)\t(5,'b')",
            "Map(String, UInt8)\t{'k':7}",
            "None\t",
            "Array(Float64)\t[0.5]",
        ]
    );
    assert_eq!(
        text(
            &c,
            &format!("{t} WHERE id = 10"),
            "toString(arrayMap(x -> dynamicType(x), many)), toString(many), \
             dynamicType(pair.2), toString(pair)"
        )
        .await,
        ["['Int64','None','String']\t[1,NULL,'s']\tArray(Int64)\t(3,[2])"]
    );
    if columns == SHARED_COLUMNS {
        // A merge keeps one type per column (the native insert's block may hold them all).
        c.query(format!("OPTIMIZE TABLE {t} FINAL"))
            .execute()
            .await
            .unwrap();
        let shared = text(&c, &t, "toString(isDynamicElementInSharedData(d))").await;
        assert!(shared.iter().any(|s| s == "true"), "{shared:?}");
    }
    for format in FORMATS {
        let back: Vec<DynRow> = client_with(rt, transport, format)
            .query(format!("SELECT id, d, many, pair FROM {t} ORDER BY id"))
            .fetch_all()
            .await
            .unwrap();
        assert_eq!(back, rows, "{format:?} {columns}");
    }
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}

/// The `Inserter` writes the same rows (RowBinary, gathered into blocks over native) and they
/// read back as written.
#[chwire_tests::case]
pub async fn dynamic_enums_through_the_inserter(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt.clone(), transport, chwire::Compression::Lz4).await;
    let t = table(&c, "dyn_inserter", COLUMNS).await;
    let rows = rows();
    let ins = chwire::Inserter::builder(c.clone(), &t)
        .columns_of::<DynRow>()
        .await
        .unwrap()
        .build()
        .unwrap();
    for r in &rows {
        ins.write_row(r).await.unwrap();
    }
    ins.end().await.unwrap();
    let back: Vec<DynRow> = c
        .query(format!("SELECT id, d, many, pair FROM {t} ORDER BY id"))
        .fetch_all()
        .await
        .unwrap();
    assert_eq!(back, rows);
    assert_eq!(
        text(
            &c,
            &format!("{t} WHERE id = 6"),
            "dynamicType(d), toString(d)"
        )
        .await,
        ["DateTime64(3, 'UTC')\t2023-11-14 22:13:20.123"]
    );
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}

#[derive(Debug, PartialEq, chwire::Row, Deserialize)]
struct JsonRow {
    id: u64,
    d: Value,
}

/// Values the server typed itself (an `INSERT ... VALUES`) read into `serde_json::Value`
/// (`deserialize_any`: the value itself, whatever its type) and into an enum; a value whose
/// type the enum has no variant for is a typed error naming the column and the type, in both
/// formats.
#[chwire_tests::case]
pub async fn dynamic_values_typed_by_the_server(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt.clone(), transport, chwire::Compression::Lz4).await;
    let t = table(&c, "dyn_server", "id UInt64, d Dynamic").await;
    c.query(format!(
        "INSERT INTO {t} VALUES (1, 42), (2, 'text'), (3, [1, 2]), (4, NULL), (5, 1.5)"
    ))
    .execute()
    .await
    .unwrap();
    assert_eq!(
        text(&c, &t, "dynamicType(d)").await,
        ["Int64", "String", "Array(Int64)", "None", "Float64"]
    );
    #[derive(Debug, PartialEq, chwire::Row, Deserialize)]
    struct EnumRow {
        id: u64,
        d: Option<Dyn>,
    }
    for format in FORMATS {
        let client: Client = client_with(&rt, transport, format);
        let back: Vec<JsonRow> = client
            .query(format!("SELECT id, d FROM {t} ORDER BY id"))
            .fetch_all()
            .await
            .unwrap();
        let d: Vec<Value> = back.into_iter().map(|r| r.d).collect();
        assert_eq!(
            d,
            [
                json!(42),
                json!("text"),
                json!([1, 2]),
                json!(null),
                json!(1.5)
            ],
            "{format:?}"
        );
        let ok: Vec<EnumRow> = client
            .query(format!("SELECT id, d FROM {t} WHERE id < 5 ORDER BY id"))
            .fetch_all()
            .await
            .unwrap();
        let d: Vec<Option<Dyn>> = ok.into_iter().map(|r| r.d).collect();
        assert_eq!(
            d,
            [
                Some(Dyn::Int64(42)),
                Some(Dyn::String("text".into())),
                Some(Dyn::Ints(vec![1, 2])),
                None
            ],
            "{format:?}"
        );
        let e = client
            .query(format!("SELECT id, d FROM {t} ORDER BY id"))
            .fetch_all::<EnumRow>()
            .await
            .unwrap_err();
        match e {
            chwire::Error::Row(RowError::SchemaMismatch {
                column,
                expected,
                actual,
            }) => {
                assert_eq!(column, "d", "{format:?}");
                assert!(
                    expected.starts_with("enum Dyn with a variant named `Float64`"),
                    "{expected}"
                );
                assert_eq!(actual, "Dynamic (a value of type Float64)");
            }
            e => panic!("{format:?}: {e:?}"),
        }
    }
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}

/// A variant whose name is not a ClickHouse type is refused before anything is sent: the
/// insert goes on, and only the good rows reach the table.
#[chwire_tests::case]
pub async fn dynamic_unknown_variant_is_refused(rt: Arc<dyn Runtime>, transport: Transport) {
    #[derive(Serialize)]
    enum Loose {
        Int64(i64),
        Words(String),
    }
    #[derive(chwire::Row, Serialize)]
    struct LooseRow {
        id: u64,
        d: Loose,
    }
    let c = client(rt.clone(), transport, chwire::Compression::Lz4).await;
    let t = table(&c, "dyn_bad", "id UInt64, d Dynamic").await;
    let mut ins = c.insert::<LooseRow>(&t).await.unwrap();
    ins.write(&LooseRow {
        id: 1,
        d: Loose::Int64(1),
    })
    .await
    .unwrap();
    match ins
        .write(&LooseRow {
            id: 2,
            d: Loose::Words("x".into()),
        })
        .await
        .unwrap_err()
    {
        chwire::Error::Row(RowError::InvalidValue { column, reason }) => {
            assert_eq!(column, "d");
            assert!(
                reason.contains("variant `Words` of enum Loose does not name a ClickHouse type"),
                "{reason}"
            );
        }
        e => panic!("{e:?}"),
    }
    ins.write(&LooseRow {
        id: 3,
        d: Loose::Int64(3),
    })
    .await
    .unwrap();
    ins.end().await.unwrap();
    assert_eq!(
        text(&c, &t, "toString(id), dynamicType(d), toString(d)").await,
        ["1\tInt64\t1", "3\tInt64\t3"]
    );
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}
