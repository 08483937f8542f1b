//! Query building: `?` placeholders bound client-side as escaped literals (values, an
//! `Identifier`, `?fields` for a row type's columns, `??` for a literal `?`), and server-side
//! parameters `{name:Type}` from any serde value (arrays, tuples, maps, `Option`).
//! `cargo run -p chwire-examples --example binding`.

use std::collections::BTreeMap;

use chwire::{Client, Identifier};
use chwire_examples::{BoxError, server_url};
use serde::{Deserialize, Serialize};

#[derive(Debug, PartialEq, chwire::Row, Serialize, Deserialize)]
struct Event {
    id: u64,
    name: String,
    tags: Vec<String>,
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let client = Client::builder(chwire_tokio::runtime()?)
        .url(server_url())
        .build()?;
    let table = format!("binding_example_{}", std::process::id());
    client
        .query("CREATE TABLE ? (id UInt64, name String, tags Array(String)) ENGINE = Memory")
        .bind(Identifier(&table))
        .execute()
        .await?;

    // Client-side binding: each `?` takes the next value, escaped; `??` is a literal `?`.
    client
        .query("INSERT INTO ? VALUES (?, ?, ?), (2, 'why??', [])")
        .bind(Identifier(&table))
        .bind(1u64)
        .bind("it's a \"test\"\\ \t ?")
        .bind(vec!["web", "o'clock"])
        .execute()
        .await?;

    // `?fields` is the fetched row type's columns: `id`, `name`, `tags`.
    let events: Vec<Event> = client
        .query("SELECT ?fields FROM ? WHERE id IN ? ORDER BY id")
        .bind(Identifier(&table))
        .bind((1u64, 2u64))
        .fetch_all()
        .await?;
    assert_eq!(
        events,
        [
            Event {
                id: 1,
                name: "it's a \"test\"\\ \t ?".into(),
                tags: vec!["web".into(), "o'clock".into()],
            },
            Event {
                id: 2,
                name: "why?".into(),
                tags: vec![],
            },
        ]
    );

    // Server-side parameters: the value travels apart from the SQL, for any serde value.
    #[derive(Debug, PartialEq, chwire::Row, Deserialize)]
    struct Matched {
        n: u64,
        label: Option<String>,
        weights: BTreeMap<String, u8>,
    }
    let matched: Matched = client
        .query(
            "SELECT count() AS n, {label:Nullable(String)} AS label, \
             {weights:Map(String, UInt8)} AS weights \
             FROM {t:Identifier} WHERE has({tags:Array(String)}, tags[1])",
        )
        .param("t", Identifier(&table))
        // A slice or Vec is an Array; a fixed-size array is a tuple to serde (as `(1, 2)` above).
        .param("tags", &["web", "app"][..])
        .param("label", None::<&str>)
        .param("weights", BTreeMap::from([("web", 3u8)]))
        .fetch_one()
        .await?;
    assert_eq!(
        matched,
        Matched {
            n: 1,
            label: None,
            weights: BTreeMap::from([("web".into(), 3)])
        }
    );

    // A mistake is a typed error before anything is sent.
    let err = client
        .query("SELECT ?, ?")
        .bind(1u8)
        .execute()
        .await
        .unwrap_err();
    assert!(matches!(err, chwire::Error::Bind(_)), "{err}");

    client
        .query("DROP TABLE ?")
        .bind(Identifier(&table))
        .execute()
        .await?;
    println!("binding: {events:?} {matched:?}; a mismatch: {err}");
    Ok(())
}
