//! Type mappings the documentation promises, through the real server: `[T; N]` for arrays,
//! named tuples written by field name, and `Dynamic`/`JSON` values the server keeps in the
//! shared variant / shared data read from Native blocks.

use std::sync::Arc;

use chwire::{Client, DataType, Format, RowError, Value};
use chwire_rt::Runtime;
use chwire_tests::{Transport, unique_name};
use serde::{Deserialize, Serialize};

use crate::query::{DB, client};

pub(crate) const FORMATS: [Format; 2] = [Format::Native, Format::RowBinary];

pub(crate) fn client_with(rt: &Arc<dyn Runtime>, transport: Transport, format: Format) -> Client {
    chwire_tests::client_builder(rt.clone(), transport)
        .default_format(format)
        .build()
        .unwrap()
}

/// Creates `{DB}.<unique>` with `columns` and returns its name.
pub(crate) async fn table(c: &Client, prefix: &str, columns: &str) -> String {
    let t = format!("{DB}.{}", unique_name(prefix));
    c.query(format!(
        "CREATE TABLE {t} ({columns}) ENGINE = MergeTree ORDER BY id"
    ))
    .execute()
    .await
    .unwrap();
    t
}

/// The server's own text of `SELECT {exprs} FROM t ORDER BY id`, one tab-separated line per row.
pub(crate) async fn text(c: &Client, t: &str, exprs: &str) -> Vec<String> {
    let (_, rows) = c
        .query(format!(
            "SELECT concatWithSeparator('\\t', {exprs}) FROM {t} ORDER BY id"
        ))
        .fetch_all_rows()
        .await
        .unwrap();
    rows.into_iter()
        .map(|r| match r.as_slice() {
            [Value::String(s)] => String::from_utf8(s.clone()).unwrap(),
            other => panic!("{other:?}"),
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, chwire::Row, Serialize, Deserialize)]
struct Fixed {
    id: u64,
    arr: [u32; 3],
    grid: [[i16; 2]; 2],
    names: [String; 2],
    pairs: [(String, u8); 1],
}

/// `[T; N]` for `Array(T)` (and `[(K, V); N]` for a map) is written and read back exactly, with
/// the server writing Native or RowBinary; an array of another length is a typed error naming
/// the column, on both.
#[chwire_tests::case]
pub async fn fixed_size_arrays(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt.clone(), transport, chwire::Compression::Lz4).await;
    let t = table(
        &c,
        "fixed",
        "id UInt64, arr Array(UInt32), grid Array(Array(Int16)), names Array(String), \
         pairs Map(String, UInt8)",
    )
    .await;
    let rows = vec![
        Fixed {
            id: 1,
            arr: [1, 2, u32::MAX],
            grid: [[-1, 2], [3, i16::MIN]],
            names: ["a".into(), "b c".into()],
            pairs: [("k".into(), 7)],
        },
        Fixed {
            id: 2,
            arr: [0, 0, 0],
            grid: [[0, 0], [0, 0]],
            names: [String::new(), "x".repeat(40)],
            pairs: [(String::new(), 0)],
        },
    ];
    let mut ins = c.insert::<Fixed>(&t).await.unwrap();
    for r in &rows {
        ins.write(r).await.unwrap();
    }
    assert_eq!(ins.end().await.unwrap().written_rows, 2);
    assert_eq!(
        text(
            &c,
            &t,
            "toString(arr), toString(grid), toString(names), toString(pairs)"
        )
        .await,
        [
            "[1,2,4294967295]\t[[-1,2],[3,-32768]]\t['a','b c']\t{'k':7}".to_owned(),
            format!(
                "[0,0,0]\t[[0,0],[0,0]]\t['','{}']\t{{'':0}}",
                "x".repeat(40)
            ),
        ]
    );
    for format in FORMATS {
        let c = client_with(&rt, transport, format);
        let back: Vec<Fixed> = c
            .query(format!(
                "SELECT id, arr, grid, names, pairs FROM {t} ORDER BY id"
            ))
            .fetch_all()
            .await
            .unwrap();
        assert_eq!(back, rows, "{format:?}");
        for (sql, column) in [
            (
                "SELECT 3::UInt64 AS id, [1, 2]::Array(UInt32) AS arr, [[1, 2], [3, 4]]::Array(Array(Int16)) AS grid, \
                 ['a', 'b'] AS names, map('k', 1)::Map(String, UInt8) AS pairs",
                "arr",
            ),
            (
                "SELECT 3::UInt64 AS id, [1, 2, 3]::Array(UInt32) AS arr, [[1, 2], [3, 4, 5]]::Array(Array(Int16)) AS grid, \
                 ['a', 'b'] AS names, map('k', 1)::Map(String, UInt8) AS pairs",
                "grid[]",
            ),
        ] {
            let e = c.query(sql).fetch_all::<Fixed>().await.unwrap_err();
            match e {
                chwire::Error::Row(RowError::InvalidValue { column: col, .. }) => {
                    assert_eq!(col, column, "{format:?}")
                }
                e => panic!("{format:?}: {e:?}"),
            }
        }
    }
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Inner {
    c: Vec<u8>,
    b: String,
    a: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Item {
    y: String,
    x: u8,
}

#[derive(Debug, Clone, PartialEq, chwire::Row, Serialize, Deserialize)]
struct WithTuples {
    id: u64,
    t: Inner,
    items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Unknown {
    a: i32,
    b: String,
    d: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, chwire::Row, Serialize, Deserialize)]
struct WithUnknown {
    id: u64,
    t: Unknown,
    items: Vec<Item>,
}

/// Structs whose fields are in another order than a named tuple's elements are written by
/// name (as they are read), so every value lands in its element; a field that names no
/// element is a typed error naming it and the column.
#[chwire_tests::case]
pub async fn named_tuples_insert_by_name(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt.clone(), transport, chwire::Compression::Lz4).await;
    let t = table(
        &c,
        "named",
        "id UInt64, t Tuple(a Int32, b String, c Array(UInt8)), \
         items Array(Tuple(x UInt8, y String))",
    )
    .await;
    let rows = vec![
        WithTuples {
            id: 1,
            t: Inner {
                c: vec![1, 2],
                b: "bee".into(),
                a: -5,
            },
            items: vec![
                Item {
                    y: "why".into(),
                    x: 9,
                },
                Item {
                    y: String::new(),
                    x: 255,
                },
            ],
        },
        WithTuples {
            id: 2,
            t: Inner {
                c: vec![],
                b: String::new(),
                a: i32::MAX,
            },
            items: vec![],
        },
    ];
    let mut ins = c.insert::<WithTuples>(&t).await.unwrap();
    for r in &rows {
        ins.write(r).await.unwrap();
    }
    assert_eq!(ins.end().await.unwrap().written_rows, 2);
    assert_eq!(
        text(&c, &t, "toString(t.a), t.b, toString(t.c), toString(items)").await,
        [
            "-5\tbee\t[1,2]\t[(9,'why'),(255,'')]",
            "2147483647\t\t[]\t[]"
        ]
    );
    for format in FORMATS {
        let back: Vec<WithTuples> = client_with(&rt, transport, format)
            .query(format!("SELECT id, t, items FROM {t} ORDER BY id"))
            .fetch_all()
            .await
            .unwrap();
        assert_eq!(back, rows, "{format:?}");
    }

    let mut ins = c.insert::<WithUnknown>(&t).await.unwrap();
    let e = ins
        .write(&WithUnknown {
            id: 3,
            t: Unknown {
                a: 1,
                b: "b".into(),
                d: vec![],
            },
            items: vec![],
        })
        .await
        .unwrap_err();
    match e {
        chwire::Error::Row(RowError::InvalidValue { column, reason }) => {
            assert_eq!(column, "t");
            assert!(reason.contains("`d`") && reason.contains("`c`"), "{reason}");
        }
        e => panic!("{e:?}"),
    }
    drop(ins);
    assert_eq!(text(&c, &t, "toString(id)").await, ["1", "2"]);
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}

fn dynamic(ty: &str, v: Value) -> Value {
    Value::Dynamic(Box::new(DataType::parse(ty).unwrap()), Box::new(v))
}

/// With `max_types` / `max_dynamic_paths` exceeded the server keeps values in `Dynamic`'s
/// shared variant and paths in `JSON`'s shared data; Native blocks return them as values, the
/// same values dynamic rows (RowBinary) return.
#[chwire_tests::case]
pub async fn shared_dynamic_values_in_blocks(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt.clone(), transport, chwire::Compression::Lz4).await;
    let t = table(
        &c,
        "shared",
        "id UInt32, d Dynamic(max_types = 1), j JSON(max_dynamic_paths = 1, a UInt32)",
    )
    .await;
    c.query(format!(
        "INSERT INTO {t} VALUES \
         (1, 42::Int64, '{{\"a\": 1, \"b\": 5, \"c\": \"x\", \"d\": {{\"e\": [1, 2]}}}}'), \
         (2, 'hello', '{{\"a\": 2, \"c\": \"y\", \"g\": true}}'), \
         (3, NULL, '{{}}'), \
         (4, [1, 2]::Array(Int64), '{{\"b\": 6}}'), \
         (5, toDate('2024-01-01'), '{{\"h\": 2.5, \"k\": [{{\"x\": 1}}]}}')"
    ))
    .execute()
    .await
    .unwrap();
    // The values really are in the shared structures.
    assert_eq!(
        text(
            &c,
            &t,
            "toString(isDynamicElementInSharedData(d)), toString(JSONSharedDataPaths(j))"
        )
        .await,
        [
            "false\t['c','d.e']",
            "true\t['c','g']",
            "false\t[]",
            "true\t[]",
            "true\t['h','k']"
        ]
    );
    let s = |v: &str| Value::string(v);
    let expected_d = [
        dynamic("Int64", Value::Int64(42)),
        dynamic("String", s("hello")),
        Value::Null,
        dynamic(
            "Array(Int64)",
            Value::Array(vec![Value::Int64(1), Value::Int64(2)]),
        ),
        dynamic("Date", Value::Date(19723)),
    ];
    let json = |pairs: Vec<(&str, Value)>| {
        Value::Json(pairs.into_iter().map(|(p, v)| (p.to_owned(), v)).collect())
    };
    let expected_j = [
        json(vec![
            ("a", Value::UInt32(1)),
            ("b", dynamic("Int64", Value::Int64(5))),
            ("c", dynamic("String", s("x"))),
            (
                "d.e",
                dynamic(
                    "Array(Nullable(Int64))",
                    Value::Array(vec![Value::Int64(1), Value::Int64(2)]),
                ),
            ),
        ]),
        json(vec![
            ("a", Value::UInt32(2)),
            ("c", dynamic("String", s("y"))),
            ("g", dynamic("Bool", Value::Bool(true))),
        ]),
        json(vec![("a", Value::UInt32(0))]),
        json(vec![
            ("a", Value::UInt32(0)),
            ("b", dynamic("Int64", Value::Int64(6))),
        ]),
        json(vec![
            ("a", Value::UInt32(0)),
            ("h", dynamic("Float64", Value::Float64(2.5))),
            (
                "k",
                dynamic(
                    "Array(JSON(max_dynamic_types=16, max_dynamic_paths=0))",
                    Value::Array(vec![json(vec![("x", dynamic("Int64", Value::Int64(1)))])]),
                ),
            ),
        ]),
    ];
    let sql = format!("SELECT d, j FROM {t} ORDER BY id");
    let blocks = c.query(sql.as_str()).fetch_all_blocks().await.unwrap();
    let mut from_blocks = Vec::new();
    for b in &blocks {
        let (d, j) = (b.column("d").unwrap(), b.column("j").unwrap());
        for i in 0..b.rows {
            from_blocks.push(vec![d.try_get(i).unwrap(), j.try_get(i).unwrap()]);
            assert_eq!(d.get(i), d.try_get(i).unwrap());
        }
    }
    let expected: Vec<Vec<Value>> = expected_d
        .into_iter()
        .zip(expected_j)
        .map(|(d, j)| vec![d, j])
        .collect();
    assert_eq!(from_blocks, expected);
    let (_, from_rows) = c.query(sql).fetch_all_rows().await.unwrap();
    assert_eq!(from_rows, expected);
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}
