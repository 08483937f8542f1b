//! What a new user touches first: a client in one line on each runtime, `next()` on every
//! result without a stream trait in scope, and the error-code constants (up to date with the
//! server under test).

use chwire::{Block, Client, Value, error_codes};
use chwire_tests::http_url;

#[derive(Debug, PartialEq, chwire::Row, serde::Deserialize)]
struct Number {
    number: u64,
}

/// A query through `client`, read back: proves the one-line runtime drives real IO.
async fn answers(client: Client) {
    let answer: Number = client
        .query("SELECT toUInt64(6 * 7) AS number")
        .fetch_one()
        .await
        .unwrap();
    assert_eq!(answer, Number { number: 42 });
}

#[chwire_tests::test]
fn one_line_client_on_tokio() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let client = Client::builder(chwire_tokio::runtime().unwrap())
            .url(http_url())
            .build();
        answers(client.unwrap()).await;
    });
    // Outside a tokio context the one-liner is an error, not a panic.
    assert!(chwire_tokio::runtime().is_err());
}

#[chwire_tests::test]
fn one_line_client_on_async_std() {
    async_std::task::block_on(async {
        let client = Client::builder(chwire_async_std::runtime())
            .url(http_url())
            .build();
        answers(client.unwrap()).await;
    });
}

#[chwire_tests::test]
fn one_line_client_on_smol() {
    smol::block_on(async {
        let client = Client::builder(chwire_smol::runtime())
            .url(http_url())
            .build();
        answers(client.unwrap()).await;
    });
}

/// Every result type has an inherent `next()`: no `StreamExt` is imported in this file.
#[chwire_tests::test]
fn results_have_inherent_next() {
    smol::block_on(async {
        let client = Client::builder(chwire_smol::runtime())
            .url(http_url())
            .build()
            .unwrap();
        let numbers = "SELECT number FROM numbers(5)";

        let mut rows = client.query(numbers).fetch::<Number>().await.unwrap();
        let mut typed = Vec::new();
        while let Some(row) = rows.next().await {
            typed.push(row.unwrap().number);
        }
        assert_eq!(typed, [0, 1, 2, 3, 4]);

        let mut rows = client.query(numbers).fetch_rows().await.unwrap();
        let mut dynamic = Vec::new();
        while let Some(row) = rows.next().await {
            dynamic.extend(row.unwrap());
        }
        assert_eq!(dynamic, (0..5).map(Value::UInt64).collect::<Vec<_>>());

        let mut blocks = client.query(numbers).fetch_blocks().await.unwrap();
        let mut block_rows = 0;
        while let Some(block) = blocks.next().await {
            let block: Block = block.unwrap();
            block_rows += block.rows;
        }
        assert_eq!(block_rows, 5);

        let mut bytes = client.query(numbers).fetch_bytes("CSV").await.unwrap();
        let mut csv = Vec::new();
        while let Some(piece) = bytes.next().await {
            csv.extend_from_slice(&piece.unwrap());
        }
        assert_eq!(csv, b"0\n1\n2\n3\n4\n");
    });
}

/// The checked-in `error_codes` module is what `cargo xtask error-codes` renders from this
/// server, and a real error carries the constant's code.
#[chwire_tests::test]
fn error_codes_match_the_server() {
    let port = chwire_tests::http_addr().port();
    let codes = xtask::error_codes::fetch(port).unwrap();
    assert!(
        codes.len() > 500,
        "system.errors lists {} codes",
        codes.len()
    );
    let file =
        std::fs::read_to_string(xtask::server::workspace_root().join(xtask::error_codes::FILE))
            .unwrap();
    assert!(
        file == xtask::error_codes::render(&codes),
        "{} is out of date with this server: run `cargo xtask error-codes`",
        xtask::error_codes::FILE
    );
    assert_eq!(
        error_codes::name(error_codes::UNKNOWN_TABLE),
        Some("UNKNOWN_TABLE")
    );

    smol::block_on(async {
        let client = Client::builder(chwire_smol::runtime())
            .url(http_url())
            .build()
            .unwrap();
        let e = client
            .query("SELECT * FROM chwire_no_such_table_anywhere")
            .execute()
            .await
            .unwrap_err();
        assert_eq!(e.server_code(), Some(error_codes::UNKNOWN_TABLE), "{e}");
        let name = e.server_error().and_then(|s| s.name.clone());
        assert_eq!(
            name.as_deref(),
            error_codes::name(error_codes::UNKNOWN_TABLE)
        );
    });
}
