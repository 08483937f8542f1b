//! Testing your own code without a server: `chwire::test::Mock` (feature `test-util`)
//! answers the client with rows you give it and records what it inserts.
//! `cargo run -p chwire-examples --example mock`.

use chwire::test::Mock;
use chwire::{Client, Row};
use chwire_examples::BoxError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Row, Serialize, Deserialize)]
struct Visit {
    page: String,
    n: u32,
}

/// The code under test: reads the top pages and stores a summary row.
async fn summarize(client: &Client) -> chwire::Result<u32> {
    let visits: Vec<Visit> = client
        .query("SELECT page, n FROM visits ORDER BY n DESC LIMIT 10")
        .fetch_all()
        .await?;
    let total = visits.iter().map(|v| v.n).sum();
    let mut insert = client.insert::<Visit>("summaries").await?;
    insert
        .write(&Visit {
            page: "*".into(),
            n: total,
        })
        .await?;
    insert.end().await?;
    Ok(total)
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let mock = Mock::start()?;
    let client = Client::builder(chwire_tokio::runtime()?)
        .url(mock.url())
        .build()?;

    // What the SELECT returns, and the schema the insert looks up.
    mock.provide(
        "page String, n UInt32",
        [
            Visit {
                page: "/".into(),
                n: 3,
            },
            Visit {
                page: "/about".into(),
                n: 1,
            },
        ],
    )?;
    mock.table("summaries", "page String, n UInt32")?;
    let insert = mock.record();

    let total = summarize(&client).await?;
    let stored: Vec<Visit> = insert.rows()?;
    println!("mock: total {total}, stored {stored:?}");
    if total != 4
        || stored
            != [Visit {
                page: "*".into(),
                n: 4,
            }]
    {
        return Err("the summary is wrong".into());
    }

    // A failure path: the server's exception reaches the caller as a typed error.
    mock.fail(60, "UNKNOWN_TABLE", "Table default.visits does not exist");
    let err = summarize(&client).await.unwrap_err();
    println!("mock: failure {err}");
    if err.server_code() != Some(60) {
        return Err("expected UNKNOWN_TABLE".into());
    }
    Ok(())
}
