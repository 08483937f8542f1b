//! Query building against the server: `?` binding (values, identifiers, `?fields`, `??`) and
//! server-side parameters of every shape, with hostile strings read back exactly.

use std::collections::BTreeMap;
use std::sync::Arc;

use chwire::{Client, Compression, Error, Identifier};
use chwire_rt::Runtime;
use chwire_tests::{Transport, unique_name};
use serde::{Deserialize, Serialize};

use crate::query::{DB, client};

/// Strings that break naive escaping: quotes, backslashes, control characters, NUL, unicode,
/// placeholders and parameter braces.
const HOSTILE: &[&str] = &[
    "",
    "it's",
    "\"double\" and `back`",
    "back\\slash\\",
    "\\'",
    "\\N",
    "tab\there",
    "new\nline\r\n",
    "nul\0byte",
    "héllo ✓ 🦀 日本",
    "a ? b ?? c ?fields",
    "{s:String} $1 %s %% &x=1+2#",
    "'; DROP TABLE t; --",
];

/// Byte strings that are not UTF-8.
const HOSTILE_BYTES: &[&[u8]] = &[b"\xff\xfe", b"a\x80b\0\t'\\", b"\xc3(", b"\xed\xa0\x80"];

#[derive(Debug, PartialEq, chwire::Row, Serialize, Deserialize)]
struct Text {
    id: u32,
    s: String,
    #[serde(with = "serde_bytes")]
    b: Vec<u8>,
}

/// Every hostile value, each string paired with a byte string.
fn hostile_rows() -> Vec<Text> {
    let mut rows = Vec::new();
    for (i, s) in HOSTILE.iter().enumerate() {
        let b = HOSTILE_BYTES[i % HOSTILE_BYTES.len()];
        rows.push(Text {
            id: i as u32,
            s: s.to_string(),
            b: b.to_vec(),
        });
    }
    rows
}

/// A new table in `DB` for [`Text`] rows; its bare name (bound as `?.?` with `DB`).
async fn text_table(c: &Client) -> String {
    let t = unique_name("bind");
    c.query("CREATE TABLE ?.? (id UInt32, s String, b String) ENGINE = MergeTree ORDER BY id")
        .bind(Identifier(DB))
        .bind(Identifier(&t))
        .execute()
        .await
        .unwrap();
    t
}

#[chwire_tests::case]
pub async fn bind_hostile_strings_round_trip(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt, transport, Compression::Lz4).await;
    let t = text_table(&c).await;
    let rows = hostile_rows();
    for r in &rows {
        c.query("INSERT INTO ?.? VALUES (?, ?, ?)")
            .bind(Identifier(DB))
            .bind(Identifier(&t))
            .bind(r.id)
            .bind(&r.s)
            .bind(serde_bytes::Bytes::new(&r.b))
            .execute()
            .await
            .unwrap();
    }
    let back: Vec<Text> = c
        .query(format!("SELECT ?fields FROM {DB}.`{t}` ORDER BY id"))
        .fetch_all()
        .await
        .unwrap();
    assert_eq!(back, rows);
    // Each value also matches itself as a bound comparison.
    for r in &rows {
        let found: Text = c
            .query("SELECT ?fields FROM ?.? WHERE s = ? AND b = ? AND id IN ?")
            .bind(Identifier(DB))
            .bind(Identifier(&t))
            .bind(r.s.as_str())
            .bind(serde_bytes::Bytes::new(&r.b))
            .bind(vec![r.id, 1000])
            .fetch_one()
            .await
            .unwrap();
        assert_eq!(&found, r);
    }
    c.query("DROP TABLE ?.?")
        .bind(Identifier(DB))
        .bind(Identifier(&t))
        .execute()
        .await
        .unwrap();
}

#[chwire_tests::case]
pub async fn param_hostile_strings_round_trip(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt, transport, Compression::None).await;
    for r in hostile_rows() {
        let back: Text = c
            .query("SELECT {id:UInt32} AS id, {s:String} AS s, {b:String} AS b")
            .param("id", r.id)
            .param("s", &r.s)
            .param("b", serde_bytes::Bytes::new(&r.b))
            .fetch_one()
            .await
            .unwrap();
        assert_eq!(back, r);
    }
    #[derive(Debug, PartialEq, chwire::Row, Deserialize)]
    struct Nested {
        a: Vec<String>,
        n: Option<String>,
        none: Option<String>,
        nested: Vec<Vec<Option<String>>>,
    }
    let all: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
    let back: Nested = c
        .query(
            "SELECT {a:Array(String)} AS a, {n:Nullable(String)} AS n, \
             {none:Nullable(String)} AS none, {nested:Array(Array(Nullable(String)))} AS nested",
        )
        .param("a", &all)
        .param("n", Some("\\N"))
        .param("none", None::<&str>)
        .param("nested", vec![vec![Some("x'\t"), None], vec![]])
        .fetch_one()
        .await
        .unwrap();
    assert_eq!(back.a, all);
    assert_eq!(back.n.as_deref(), Some("\\N"));
    assert_eq!(back.none, None);
    assert_eq!(
        back.nested,
        vec![vec![Some("x'\t".to_owned()), None], vec![]]
    );
}

#[derive(Debug, PartialEq, chwire::Row, Serialize, Deserialize)]
struct Shapes {
    tuple: Triple,
    map: ArrayMap,
    uuid: String,
    dec: String,
    flag: bool,
    float: f64,
    wide: i128,
}

/// A tuple parameter's value.
type Triple = (String, u8, Option<i64>);
/// A map parameter's value.
type ArrayMap = BTreeMap<String, Vec<Option<u16>>>;

fn shapes() -> (Shapes, Triple, ArrayMap, chwire::uuid::Uuid) {
    let tuple = ("t'\\\n".to_owned(), 7u8, None);
    let map = BTreeMap::from([
        ("k'1".to_owned(), vec![Some(1), None]),
        ("\t".to_owned(), vec![]),
    ]);
    let uuid = chwire::uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
    let expected = Shapes {
        tuple: tuple.clone(),
        map: map.clone(),
        uuid: uuid.to_string(),
        dec: "-12.3456".into(),
        flag: true,
        float: -0.1,
        wide: i128::MIN,
    };
    (expected, tuple, map, uuid)
}

/// Tuples, maps, UUIDs, decimals (as strings), bools, floats and 128-bit integers, as
/// parameters and as bound literals, read back through `toString` where the type has no
/// direct Rust form.
#[chwire_tests::case]
pub async fn params_and_binds_of_every_shape(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt, transport, Compression::None).await;
    let (expected, tuple, map, uuid) = shapes();
    let back: Shapes = c
        .query(
            "SELECT {t:Tuple(String, UInt8, Nullable(Int64))} AS tuple, \
             {m:Map(String, Array(Nullable(UInt16)))} AS map, toString({u:UUID}) AS uuid, \
             toString({d:Decimal(18, 4)}) AS dec, {f:Bool} AS flag, {x:Float64} AS float, \
             {w:Int128} AS wide",
        )
        .param("t", &tuple)
        .param("m", &map)
        .param("u", uuid)
        .param("d", "-12.3456")
        .param("f", true)
        .param("x", -0.1f64)
        .param("w", i128::MIN)
        .fetch_one()
        .await
        .unwrap();
    assert_eq!(back, expected);
    let back: Shapes = c
        .query(
            "SELECT ?::Tuple(String, UInt8, Nullable(Int64)) AS tuple, \
             ?::Map(String, Array(Nullable(UInt16))) AS map, toString(toUUID(?)) AS uuid, \
             toString(toDecimal64(?, 4)) AS dec, ? AS flag, ? AS float, ?::Int128 AS wide",
        )
        .bind(&tuple)
        .bind(&map)
        .bind(uuid)
        .bind("-12.3456")
        .bind(true)
        .bind(-0.1f64)
        .bind(i128::MIN)
        .fetch_one()
        .await
        .unwrap();
    assert_eq!(back, expected);
}

#[derive(Debug, PartialEq, chwire::Row, Serialize, Deserialize)]
struct Times {
    #[serde(with = "chwire::serde_helpers::time::date")]
    d: time::Date,
    #[serde(with = "chwire::serde_helpers::time::date32")]
    d32: time::Date,
    #[serde(with = "chwire::serde_helpers::time::datetime")]
    dt: time::OffsetDateTime,
    #[serde(with = "chwire::serde_helpers::time::datetime64::millis")]
    dt64: time::OffsetDateTime,
}

/// The `serde_helpers` dates and times as parameters (a row bound as a tuple, and each alone)
/// and bound literals, in a column time zone other than UTC: the same instants come back.
#[chwire_tests::case]
pub async fn dates_through_the_serde_helpers(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt, transport, Compression::None).await;
    let day = time::Date::from_calendar_date(2024, time::Month::February, 29).unwrap();
    let old = time::Date::from_calendar_date(1900, time::Month::January, 1).unwrap();
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(1_709_210_096_789_000_000).unwrap();
    let row = Times {
        d: day,
        d32: old,
        dt: at.replace_millisecond(0).unwrap(),
        dt64: at,
    };
    let cast =
        "Tuple(d Date, d32 Date32, dt DateTime('Asia/Tokyo'), dt64 DateTime64(3, 'Asia/Tokyo'))";
    let back: Times = c
        .query(format!(
            "SELECT tupleElement(x, 1) AS d, tupleElement(x, 2) AS d32, tupleElement(x, 3) AS dt, \
             tupleElement(x, 4) AS dt64 FROM (SELECT {{row:{cast}}} AS x)"
        ))
        .param("row", &row)
        .fetch_one()
        .await
        .unwrap();
    assert_eq!(back, row);
    let back: Times = c
        .query(format!(
            "SELECT tupleElement(x, 1) AS d, tupleElement(x, 2) AS d32, tupleElement(x, 3) AS dt, \
             tupleElement(x, 4) AS dt64 FROM (SELECT ?::{cast} AS x)"
        ))
        .bind(&row)
        .fetch_one()
        .await
        .unwrap();
    assert_eq!(back, row);
    // A table compared against a bound row's fields.
    let t = unique_name("bind_times");
    c.query("CREATE TABLE ?.? (d Date, d32 Date32, dt DateTime('Asia/Tokyo'), dt64 DateTime64(3, 'Asia/Tokyo')) ENGINE = Memory")
        .bind(Identifier(DB))
        .bind(Identifier(&t))
        .execute()
        .await
        .unwrap();
    c.query("INSERT INTO ?.? VALUES ?")
        .bind(Identifier(DB))
        .bind(Identifier(&t))
        .bind(&row)
        .execute()
        .await
        .unwrap();
    let back: Times = c
        .query("SELECT ?fields FROM ?.? WHERE (d, d32, dt, dt64) = ?")
        .bind(Identifier(DB))
        .bind(Identifier(&t))
        .bind(&row)
        .fetch_one()
        .await
        .unwrap();
    assert_eq!(back, row);
    c.query("DROP TABLE ?.?")
        .bind(Identifier(DB))
        .bind(Identifier(&t))
        .execute()
        .await
        .unwrap();
}

#[derive(Debug, PartialEq, chwire::Row, Serialize, Deserialize)]
struct Odd {
    id: u64,
    #[serde(rename = "select")]
    keyword: String,
    #[serde(rename = "a `quoted` name")]
    quoted: u8,
}

/// `?fields` quotes the row type's column names (keywords, backticks), `Identifier` quotes a
/// table name with spaces, and `??` is a literal `?`.
#[chwire_tests::case]
pub async fn fields_identifiers_and_literal_question_marks(
    rt: Arc<dyn Runtime>,
    transport: Transport,
) {
    let c = client(rt, transport, Compression::None).await;
    let t = format!("{} `x`", unique_name("bind odd"));
    c.query("CREATE TABLE ?.? (id UInt64, `select` String, `a \\`quoted\\` name` UInt8) ENGINE = Memory")
        .bind(Identifier(DB))
        .bind(Identifier(&t))
        .execute()
        .await
        .unwrap();
    c.query("INSERT INTO ?.? VALUES (1, 'what??', 2), (?, ?, ?)")
        .bind(Identifier(DB))
        .bind(Identifier(&t))
        .bind(2u64)
        .bind("?")
        .bind(3u8)
        .execute()
        .await
        .unwrap();
    let rows: Vec<Odd> = c
        .query("SELECT ?fields FROM ?.? WHERE id > ? ORDER BY id")
        .bind(Identifier(DB))
        .bind(Identifier(&t))
        .bind(0u64)
        .fetch_all()
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![
            Odd {
                id: 1,
                keyword: "what?".into(),
                quoted: 2
            },
            Odd {
                id: 2,
                keyword: "?".into(),
                quoted: 3
            },
        ]
    );
    let n: Count = c
        .query("SELECT count() AS n FROM {db:Identifier}.{t:Identifier}")
        .param("db", Identifier(DB))
        .param("t", Identifier(&t))
        .fetch_one()
        .await
        .unwrap();
    assert_eq!(n.n, 2);
    c.query("DROP TABLE ?.?")
        .bind(Identifier(DB))
        .bind(Identifier(&t))
        .execute()
        .await
        .unwrap();
}

#[derive(Debug, chwire::Row, Deserialize)]
struct Count {
    n: u64,
}

/// Placeholders and values that do not match, `?fields` without a row type and a value with
/// no literal are [`Error::Bind`] before anything is sent; the client keeps working.
#[chwire_tests::case]
pub async fn binding_mistakes_are_typed_errors(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt, transport, Compression::None).await;
    #[derive(Serialize)]
    enum WithData {
        V(u8),
    }
    let mistakes = [
        c.query("SELECT ?, ?").bind(1u8),
        c.query("SELECT ?").bind(1u8).bind(2u8),
        c.query("SELECT 1").bind(1u8),
        c.query("SELECT 'what?'"),
        c.query("SELECT ?fields FROM system.one"),
        c.query("SELECT ?").bind(WithData::V(1)),
        c.query("SELECT {p:UInt8}").param("p", WithData::V(1)),
    ];
    for q in mistakes {
        let e = q.clone().execute().await.unwrap_err();
        assert!(matches!(e, Error::Bind(_)), "{q:?}: {e:?}");
        let e = q.fetch_bytes("TSV").await.unwrap_err();
        assert!(matches!(e, Error::Bind(_)), "{e:?}");
    }
    let n: Count = c
        .query("SELECT ?::UInt64 AS n")
        .bind(7u8)
        .fetch_one()
        .await
        .unwrap();
    assert_eq!(n.n, 7);
}
