//! Typed mappings of the `serde_helpers`: `chrono` dates and times (and `Option`s of them as
//! `Nullable` columns), `serde_json::Value` as `JSON`, `ethnum` 256-bit integers and
//! `rust_decimal` decimals, inserted and read back; a `Dynamic` column as a Rust enum whose
//! variants are named after ClickHouse types. `cargo run -p chwire-examples --example type_mappings`
//! (server: `CHWIRE_HTTP_URL`).

use chwire::chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use chwire::ethnum::U256;
use chwire::rust_decimal::Decimal;
use chwire::serde_json::{Value, json};
use chwire::{Client, Row};
use chwire_examples::{BoxError, create_table, server_url};
use serde::{Deserialize, Serialize};

#[derive(Debug, PartialEq, Row, Serialize, Deserialize)]
struct Order {
    id: u64,
    #[serde(with = "chwire::serde_helpers::chrono::datetime64::millis")]
    placed: DateTime<Utc>, // DateTime64(3, 'UTC')
    #[serde(with = "chwire::serde_helpers::chrono::date::option")]
    shipped: Option<NaiveDate>, // Nullable(Date)
    #[serde(with = "chwire::serde_helpers::chrono::time64::millis")]
    took: TimeDelta, // Time64(3)
    #[serde(with = "chwire::serde_helpers::rust_decimal")]
    total: Decimal, // Decimal(18, 2): 19.9 is stored as 19.90
    #[serde(with = "chwire::serde_helpers::ethnum::u256")]
    token: U256, // UInt256
    #[serde(with = "chwire::serde_helpers::json")]
    details: Value, // JSON
}

/// A `Dynamic` value: each newtype variant is named after the ClickHouse type it holds (as
/// the server prints it; `rename` for the ones that are not Rust identifiers); `NULL` is
/// `None`. Written, the variant's name is the type stored.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
enum Attr {
    Float64(f64),
    Int64(i64),
    String(String),
    #[serde(rename = "Array(Int64)")]
    Ints(Vec<i64>),
}

#[derive(Debug, PartialEq, Row, Serialize, Deserialize)]
struct Attribute {
    id: u64,
    value: Option<Attr>,
}

/// The server's text of an order's columns.
#[derive(Debug, Row, Deserialize)]
struct Stored {
    placed: String,
    took: String,
    total: String,
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let client = Client::builder(chwire_tokio::runtime()?)
        .url(server_url())
        .build()?;
    create_table(
        &client,
        "example_mappings",
        "(id UInt64, placed DateTime64(3, 'UTC'), shipped Nullable(Date), took Time64(3), \
         total Decimal(18, 2), token UInt256, details JSON) ENGINE = MergeTree ORDER BY id",
    )
    .await?;
    let orders = vec![
        Order {
            id: 1,
            placed: DateTime::from_timestamp_millis(1_709_210_096_789).ok_or("time")?,
            shipped: NaiveDate::from_ymd_opt(2024, 3, 1),
            took: TimeDelta::milliseconds(90_061_500),
            total: "19.9".parse()?,
            token: U256::MAX,
            details: json!({"coupon": "SPRING", "items": {"sku": "a-1"}}),
        },
        Order {
            id: 2,
            placed: DateTime::from_timestamp_millis(0).ok_or("time")?,
            shipped: None,
            took: TimeDelta::zero(),
            total: Decimal::ZERO,
            token: U256::ONE,
            details: json!({}),
        },
    ];
    let mut insert = client.insert::<Order>("example_mappings").await?;
    for order in &orders {
        insert.write(order).await?;
    }
    insert.end().await?;
    let read: Vec<Order> = client
        .query("SELECT id, placed, shipped, took, total, token, details FROM example_mappings ORDER BY id")
        .fetch_all()
        .await?;
    assert_eq!(read, orders);
    assert_eq!(
        read[0].total.to_string(),
        "19.90",
        "read with the column's scale"
    );

    // What the server stored, as its own text.
    let stored: Stored = client
        .query(
            "SELECT toString(placed) AS placed, toString(took) AS took, toString(total) AS total \
             FROM example_mappings WHERE id = 1",
        )
        .fetch_one()
        .await?;
    assert_eq!(
        (
            stored.placed.as_str(),
            stored.took.as_str(),
            stored.total.as_str()
        ),
        ("2024-02-29 12:34:56.789", "25:01:01.500", "19.9")
    );
    println!("stored: {stored:?}");

    // A precise error, never a rounded value: 0.001 has more digits than Decimal(18, 2).
    let mut lossy = client.insert::<Order>("example_mappings").await?;
    let too_precise = Order {
        id: 3,
        total: "0.001".parse()?,
        ..orders.into_iter().nth(1).ok_or("row")?
    };
    let error = lossy
        .write(&too_precise)
        .await
        .expect_err("digits beyond the scale");
    println!("rejected: {error}");

    create_table(
        &client,
        "example_dynamic",
        "(id UInt64, value Dynamic) ENGINE = MergeTree ORDER BY id",
    )
    .await?;
    // Values the server typed itself, and typed rows whose variants give the types.
    client
        .query("INSERT INTO example_dynamic VALUES (1, 1.5), (2, 42), (3, 'text'), (4, NULL)")
        .execute()
        .await?;
    let mut insert = client.insert::<Attribute>("example_dynamic").await?;
    insert
        .write(&Attribute {
            id: 5,
            value: Some(Attr::Ints(vec![1, 2])),
        })
        .await?;
    insert.end().await?;
    let attributes: Vec<Attribute> = client
        .query("SELECT id, value FROM example_dynamic ORDER BY id")
        .fetch_all()
        .await?;
    assert_eq!(
        attributes,
        [
            Attribute {
                id: 1,
                value: Some(Attr::Float64(1.5))
            },
            Attribute {
                id: 2,
                value: Some(Attr::Int64(42))
            },
            Attribute {
                id: 3,
                value: Some(Attr::String("text".into()))
            },
            Attribute { id: 4, value: None },
            Attribute {
                id: 5,
                value: Some(Attr::Ints(vec![1, 2]))
            },
        ]
    );
    let stored: String = client
        .query("SELECT dynamicType(value) FROM example_dynamic WHERE id = 5")
        .fetch_one()
        .await?;
    assert_eq!(stored, "Array(Int64)");
    println!(
        "type mappings: {} orders and {} dynamic values read back",
        read.len(),
        attributes.len()
    );
    Ok(())
}
