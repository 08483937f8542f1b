//! The `serde_helpers` mappings through the real server: `chrono` and `time` dates and times
//! (with their `option` variants and precision checks), `serde_json::Value` as `JSON`,
//! `ethnum` 256-bit integers and `rust_decimal` decimals. Each is written, checked against the
//! server's own text of what it stored, and read back with the server writing Native and
//! RowBinary.

use std::sync::Arc;

use chwire::chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use chwire::ethnum::{I256, U256};
use chwire::rust_decimal::Decimal;
use chwire::serde_json::{Value, json};
use chwire::{Client, RowError};
use chwire_rt::Runtime;
use chwire_tests::Transport;
use serde::{Deserialize, Serialize};

use crate::query::client;
use crate::type_mappings::{FORMATS, client_with, table, text};

const DATES: &str = "id UInt64, d Date, d32 Date32, dt DateTime('UTC'), \
    dt64 DateTime64(3, 'UTC'), dt64n DateTime64(9, 'UTC'), t Time, t64 Time64(6), \
    od Nullable(Date32), odt64 Nullable(DateTime64(6, 'UTC')), ot64 Nullable(Time64(3))";

const DATE_COLUMNS: &str = "id, d, d32, dt, dt64, dt64n, t, t64, od, odt64, ot64";

#[derive(Debug, Clone, PartialEq, chwire::Row, Serialize, Deserialize)]
struct ChronoRow {
    id: u64,
    #[serde(with = "chwire::serde_helpers::chrono::date")]
    d: NaiveDate,
    #[serde(with = "chwire::serde_helpers::chrono::date32")]
    d32: NaiveDate,
    #[serde(with = "chwire::serde_helpers::chrono::datetime")]
    dt: DateTime<Utc>,
    #[serde(with = "chwire::serde_helpers::chrono::datetime64::millis")]
    dt64: DateTime<Utc>,
    /// Micros into `DateTime64(9)`: rescaled exactly by typed rows.
    #[serde(with = "chwire::serde_helpers::chrono::datetime64::micros")]
    dt64n: DateTime<Utc>,
    #[serde(with = "chwire::serde_helpers::chrono::time")]
    t: TimeDelta,
    #[serde(with = "chwire::serde_helpers::chrono::time64::micros")]
    t64: TimeDelta,
    #[serde(with = "chwire::serde_helpers::chrono::date32::option")]
    od: Option<NaiveDate>,
    #[serde(with = "chwire::serde_helpers::chrono::datetime64::micros::option")]
    odt64: Option<DateTime<Utc>>,
    #[serde(with = "chwire::serde_helpers::chrono::time64::millis::option")]
    ot64: Option<TimeDelta>,
}

#[derive(Debug, Clone, PartialEq, chwire::Row, Serialize, Deserialize)]
struct TimeRow {
    id: u64,
    #[serde(with = "chwire::serde_helpers::time::date")]
    d: time::Date,
    #[serde(with = "chwire::serde_helpers::time::date32")]
    d32: time::Date,
    #[serde(with = "chwire::serde_helpers::time::datetime")]
    dt: time::OffsetDateTime,
    #[serde(with = "chwire::serde_helpers::time::datetime64::millis")]
    dt64: time::OffsetDateTime,
    #[serde(with = "chwire::serde_helpers::time::datetime64::nanos")]
    dt64n: time::OffsetDateTime,
    #[serde(with = "chwire::serde_helpers::time::time")]
    t: time::Duration,
    #[serde(with = "chwire::serde_helpers::time::time64::micros")]
    t64: time::Duration,
    #[serde(with = "chwire::serde_helpers::time::date32::option")]
    od: Option<time::Date>,
    #[serde(with = "chwire::serde_helpers::time::datetime64::micros::option")]
    odt64: Option<time::OffsetDateTime>,
    #[serde(with = "chwire::serde_helpers::time::time64::millis::option")]
    ot64: Option<time::Duration>,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(secs: i64, nanos: u32) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, nanos).unwrap()
}

/// 2024-02-29 12:34:56 UTC.
const LEAP_NOON: i64 = 1_709_210_096;

fn chrono_row() -> ChronoRow {
    ChronoRow {
        id: 1,
        d: ymd(2149, 6, 6),
        d32: ymd(1900, 1, 1),
        dt: at(LEAP_NOON, 0),
        dt64: at(LEAP_NOON, 789_000_000),
        dt64n: at(-1, 123_456_000),
        t: -TimeDelta::seconds(3723),
        t64: TimeDelta::seconds(45296) + TimeDelta::microseconds(123_456),
        od: Some(ymd(2299, 12, 31)),
        odt64: Some(at(LEAP_NOON, 1_000)),
        ot64: Some(-TimeDelta::milliseconds(1_500)),
    }
}

fn time_row() -> TimeRow {
    let date = |y, m, d| time::Date::from_calendar_date(y, m, d).unwrap();
    let at = |nanos: i128| time::OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap();
    TimeRow {
        id: 2,
        d: date(1970, time::Month::January, 1),
        d32: date(2024, time::Month::February, 29),
        dt: at(0),
        dt64: at(-1_000_000),
        dt64n: at(i128::from(LEAP_NOON) * 1_000_000_000 + 987_654_321),
        t: time::Duration::seconds(3_599_999),
        t64: time::Duration::microseconds(-1),
        od: None,
        odt64: None,
        ot64: None,
    }
}

/// The server's text of every column of the dates table.
async fn dates_text(c: &Client, t: &str) -> Vec<String> {
    let exprs = DATE_COLUMNS
        .split(", ")
        .skip(1)
        .map(|col| format!("ifNull(toString({col}), 'NULL')"))
        .collect::<Vec<_>>()
        .join(", ");
    text(c, t, &exprs).await
}

/// `chrono` and `time` values (every date helper, its `option` variant with values and with
/// NULLs, `DateTime64`/`Time64` helpers of another precision than the column's) are stored
/// as the server's text shows and read back equal, through either crate's helpers.
#[chwire_tests::case]
pub async fn chrono_and_time_helpers_round_trip(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt.clone(), transport, chwire::Compression::Lz4).await;
    let t = table(&c, "dates", DATES).await;
    let mut ins = c.insert::<ChronoRow>(&t).await.unwrap();
    ins.write(&chrono_row()).await.unwrap();
    ins.end().await.unwrap();
    let mut ins = c.insert::<TimeRow>(&t).await.unwrap();
    ins.write(&time_row()).await.unwrap();
    ins.end().await.unwrap();
    assert_eq!(
        dates_text(&c, &t).await,
        [
            "2149-06-06\t1900-01-01\t2024-02-29 12:34:56\t2024-02-29 12:34:56.789\t\
             1969-12-31 23:59:59.123456000\t-01:02:03\t12:34:56.123456\t2299-12-31\t\
             2024-02-29 12:34:56.000001\t-00:00:01.500",
            "1970-01-01\t2024-02-29\t1970-01-01 00:00:00\t1969-12-31 23:59:59.999\t\
             2024-02-29 12:34:56.987654321\t999:59:59\t-00:00:00.000001\tNULL\tNULL\tNULL",
        ]
    );
    let select = format!("SELECT {DATE_COLUMNS} FROM {t} WHERE id = {{id:UInt64}}");
    for format in FORMATS {
        let c = client_with(&rt, transport, format);
        let chrono: Vec<ChronoRow> = c
            .query(&select)
            .param("id", 1u64)
            .fetch_all()
            .await
            .unwrap();
        assert_eq!(chrono, [chrono_row()], "{format:?}");
        let time: Vec<TimeRow> = c
            .query(&select)
            .param("id", 2u64)
            .fetch_all()
            .await
            .unwrap();
        assert_eq!(time, [time_row()], "{format:?}");
    }
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}

#[derive(Debug, chwire::Row, Serialize, Deserialize)]
struct Nanos {
    id: u64,
    #[serde(with = "chwire::serde_helpers::chrono::datetime64::nanos")]
    at: DateTime<Utc>,
    #[serde(with = "chwire::serde_helpers::time::time64::nanos")]
    took: time::Duration,
}

#[derive(Debug, chwire::Row, Deserialize)]
struct Millis {
    #[allow(dead_code)]
    id: u64,
    #[serde(with = "chwire::serde_helpers::chrono::datetime64::millis")]
    #[allow(dead_code)]
    at: DateTime<Utc>,
    #[serde(with = "chwire::serde_helpers::time::time64::millis")]
    #[allow(dead_code)]
    took: time::Duration,
}

fn invalid_column(e: chwire::Error) -> String {
    match e {
        chwire::Error::Row(RowError::InvalidValue { column, reason }) => {
            assert!(reason.contains("cannot hold"), "{reason}");
            column
        }
        e => panic!("{e:?}"),
    }
}

/// A value with digits the column's (or the helper's) precision cannot hold is a typed error
/// naming the column, when writing and when reading; nothing is stored or rounded.
#[chwire_tests::case]
pub async fn date_helpers_keep_precise_errors(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt.clone(), transport, chwire::Compression::None).await;
    let t = table(
        &c,
        "precise",
        "id UInt64, at DateTime64(6, 'UTC'), took Time64(6)",
    )
    .await;
    for (id, row) in [
        (
            1,
            Nanos {
                id: 1,
                at: at(LEAP_NOON, 1),
                took: time::Duration::ZERO,
            },
        ),
        (
            2,
            Nanos {
                id: 2,
                at: at(LEAP_NOON, 0),
                took: time::Duration::nanoseconds(1_001),
            },
        ),
    ] {
        let mut ins = c.insert::<Nanos>(&t).await.unwrap();
        let e = ins.write(&row).await.unwrap_err();
        assert_eq!(invalid_column(e), if id == 1 { "at" } else { "took" });
    }
    assert_eq!(text(&c, &t, "toString(id)").await, Vec::<String>::new());
    c.query(format!(
        "INSERT INTO {t} VALUES (1, '2024-02-29 12:34:56.000001', '00:00:00.001'), \
         (2, '2024-02-29 12:34:56.001', '00:00:00.000002')"
    ))
    .execute()
    .await
    .unwrap();
    for format in FORMATS {
        let c = client_with(&rt, transport, format);
        for (id, column) in [(1, "at"), (2, "took")] {
            let e = c
                .query(format!("SELECT id, at, took FROM {t} WHERE id = {id}"))
                .fetch_all::<Millis>()
                .await
                .unwrap_err();
            assert_eq!(invalid_column(e), column, "{format:?}");
        }
    }
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}

#[derive(Debug, Clone, PartialEq, chwire::Row, Serialize, Deserialize)]
struct Doc {
    id: u64,
    #[serde(with = "chwire::serde_helpers::json")]
    doc: Value,
}

/// `serde_json::Value` fields write `JSON` columns and read them back; the server's text is
/// what it stored (keys sorted, as ClickHouse prints an object).
#[chwire_tests::case]
pub async fn json_values_round_trip(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt.clone(), transport, chwire::Compression::Lz4).await;
    let t = table(&c, "json", "id UInt64, doc JSON").await;
    let rows = vec![
        Doc {
            id: 1,
            doc: json!({"b": "quote \" tab \t", "a": {"n": 42, "list": [1, 2]}}),
        },
        Doc {
            id: 2,
            doc: json!({}),
        },
    ];
    let mut ins = c.insert::<Doc>(&t).await.unwrap();
    for r in &rows {
        ins.write(r).await.unwrap();
    }
    ins.end().await.unwrap();
    assert_eq!(
        text(&c, &t, "toString(doc)").await,
        [r#"{"a":{"list":[1,2],"n":42},"b":"quote \" tab \t"}"#, "{}"]
    );
    for format in FORMATS {
        let back: Vec<Doc> = client_with(&rt, transport, format)
            .query(format!("SELECT id, doc FROM {t} ORDER BY id"))
            .fetch_all()
            .await
            .unwrap();
        assert_eq!(back, rows, "{format:?}");
    }
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}

/// A RowBinary client whose endpoints mix HTTP and native reads `JSON` as text on both: the
/// query asks for both formats' settings (the native protocol brings Native blocks).
#[chwire_tests::case]
pub async fn json_values_over_mixed_endpoints(rt: Arc<dyn Runtime>) {
    let c = client(rt.clone(), Transport::Http, chwire::Compression::Lz4).await;
    let t = table(&c, "json_mixed", "id UInt64, doc JSON").await;
    c.query(format!(r#"INSERT INTO {t} VALUES (1, '{{"a":[1,2]}}')"#))
        .execute()
        .await
        .unwrap();
    let mixed = Client::builder(rt)
        .urls([chwire_tests::http_url(), chwire_tests::native_url()])
        .load_balancing(chwire::LoadBalancing::RoundRobin)
        .default_format(chwire::Format::RowBinary)
        .build()
        .unwrap();
    let want = vec![Doc {
        id: 1,
        doc: json!({"a": [1, 2]}),
    }];
    // Round robin: the four reads alternate between the two endpoints.
    for _ in 0..4 {
        let back: Vec<Doc> = mixed
            .query(format!("SELECT id, doc FROM {t}"))
            .fetch_all()
            .await
            .unwrap();
        assert_eq!(back, want);
    }
    let stats = mixed.endpoint_stats();
    assert!(stats.iter().all(|s| s.pool.connects >= 1), "{stats:?}");
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}

#[derive(Debug, Clone, PartialEq, chwire::Row, Serialize, Deserialize)]
struct Numbers {
    id: u64,
    #[serde(with = "chwire::serde_helpers::ethnum::i256")]
    i: I256,
    #[serde(with = "chwire::serde_helpers::ethnum::u256::option")]
    u: Option<U256>,
    #[serde(with = "chwire::serde_helpers::rust_decimal")]
    d32: Decimal,
    #[serde(with = "chwire::serde_helpers::rust_decimal")]
    d64: Decimal,
    #[serde(with = "chwire::serde_helpers::rust_decimal")]
    d128: Decimal,
    #[serde(with = "chwire::serde_helpers::rust_decimal::option")]
    od: Option<Decimal>,
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// `ethnum` 256-bit integers and `rust_decimal` decimals (rescaled to each column's scale, NULLs
/// through the `option` helpers) are stored as the server's text shows and read back; a
/// decimal with more digits than the column's scale is a typed error naming the column.
#[chwire_tests::case]
pub async fn wide_integers_and_decimals_round_trip(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt.clone(), transport, chwire::Compression::Lz4).await;
    let t = table(
        &c,
        "numbers",
        "id UInt64, i Int256, u Nullable(UInt256), d32 Decimal32(2), d64 Decimal64(4), \
         d128 Decimal128(10), od Nullable(Decimal(9, 3))",
    )
    .await;
    let rows = vec![
        Numbers {
            id: 1,
            i: I256::MIN,
            u: Some(U256::MAX),
            d32: dec("-9999999.99"),
            d64: dec("12345.6"),
            d128: dec("-79228162514.2643383279"),
            od: Some(dec("0.5")),
        },
        Numbers {
            id: 2,
            i: I256::new(-1),
            u: None,
            d32: dec("0.01"),
            d64: dec("-0.0001"),
            d128: Decimal::ZERO,
            od: None,
        },
    ];
    let mut ins = c.insert::<Numbers>(&t).await.unwrap();
    for r in &rows {
        ins.write(r).await.unwrap();
    }
    ins.end().await.unwrap();
    assert_eq!(
        text(
            &c,
            &t,
            "toString(i), ifNull(toString(u), 'NULL'), toString(d32), toString(d64), \
             toString(d128), ifNull(toString(od), 'NULL')"
        )
        .await,
        [
            format!(
                "{}\t{}\t-9999999.99\t12345.6\t-79228162514.2643383279\t0.5",
                I256::MIN,
                U256::MAX
            ),
            "-1\tNULL\t0.01\t-0.0001\t0\tNULL".to_owned(),
        ]
    );
    for format in FORMATS {
        let back: Vec<Numbers> = client_with(&rt, transport, format)
            .query(format!(
                "SELECT id, i, u, d32, d64, d128, od FROM {t} ORDER BY id"
            ))
            .fetch_all()
            .await
            .unwrap();
        assert_eq!(back, rows, "{format:?}");
        assert_eq!(
            back[0].d64.to_string(),
            "12345.6000",
            "read with the column's scale"
        );
    }
    let mut lossy = rows[1].clone();
    lossy.od = Some(dec("0.0005"));
    let mut ins = c.insert::<Numbers>(&t).await.unwrap();
    match ins.write(&lossy).await.unwrap_err() {
        chwire::Error::Row(RowError::InvalidValue { column, reason }) => {
            assert_eq!(column, "od");
            assert!(
                reason.contains("0.0005 has digits beyond the scale of Decimal(9, 3)"),
                "{reason}"
            );
        }
        e => panic!("{e:?}"),
    }
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}

/// A `Dynamic` value as a Rust enum: one newtype variant per `Variant` alternative, in the
/// server's sorted order.
#[derive(Debug, PartialEq, Deserialize)]
enum Dyn {
    Float(f64),
    Int(i64),
    Text(String),
}

#[derive(Debug, PartialEq, chwire::Row, Deserialize)]
struct DynRow {
    id: u64,
    value: Option<Dyn>,
}

/// A `Dynamic` column also reads as a typed enum through a cast to `Variant(...)` (variants by
/// position; `typed_dynamic` has the direct mapping by type name), NULL as `None`; a value of a type the
/// `Variant` does not list is the server's typed error, not a wrong value.
#[chwire_tests::case]
pub async fn dynamic_reads_as_an_enum_through_variant(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt.clone(), transport, chwire::Compression::Lz4).await;
    let t = table(&c, "dynamic", "id UInt64, value Dynamic").await;
    c.query(format!(
        "INSERT INTO {t} VALUES (1, 1.5), (2, -42), (3, 'text'), (4, NULL)"
    ))
    .execute()
    .await
    .unwrap();
    assert_eq!(
        text(&c, &t, "dynamicType(value)").await,
        ["Float64", "Int64", "String", "None"]
    );
    let select =
        format!("SELECT id, value::Variant(Float64, Int64, String) AS value FROM {t} ORDER BY id");
    for format in FORMATS {
        let rows: Vec<DynRow> = client_with(&rt, transport, format)
            .query(&select)
            .fetch_all()
            .await
            .unwrap();
        assert_eq!(
            rows,
            [
                DynRow {
                    id: 1,
                    value: Some(Dyn::Float(1.5))
                },
                DynRow {
                    id: 2,
                    value: Some(Dyn::Int(-42))
                },
                DynRow {
                    id: 3,
                    value: Some(Dyn::Text("text".into()))
                },
                DynRow { id: 4, value: None },
            ],
            "{format:?}"
        );
    }
    let e = c
        .query(format!(
            "SELECT id, value::Variant(Float64, String) AS value FROM {t} ORDER BY id"
        ))
        .fetch_all::<DynRow>()
        .await
        .unwrap_err();
    assert_eq!(
        e.server_code(),
        Some(chwire::error_codes::CANNOT_CONVERT_TYPE),
        "{e:?}"
    );
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}
