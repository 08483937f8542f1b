//! Regressions of the typed-row and client defects of issue 16, against the real server.

use std::sync::Arc;

use chwire::{Client, Compression, Format};
use chwire_rt::Runtime;
use chwire_tests::{Transport, client_builder, unique_name};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::query::{DB, client};

/// A client reading typed rows in `format`.
async fn client_in(rt: Arc<dyn Runtime>, transport: Transport, format: Format) -> Client {
    client(rt.clone(), transport, Compression::None).await;
    client_builder(rt, transport)
        .default_format(format)
        .build()
        .unwrap()
}

#[derive(chwire::Row, Deserialize)]
struct Text {
    s: String,
}

/// The values as the server prints them (`sql` selects one `String` column named `s`).
async fn strings(c: &Client, sql: String) -> Vec<String> {
    let rows: Vec<Text> = c.query(sql).fetch_all().await.unwrap();
    rows.into_iter().map(|t| t.s).collect()
}

#[derive(Debug, PartialEq, chwire::Row, Serialize, Deserialize)]
struct Times {
    id: u8,
    #[serde(with = "chwire::serde_helpers::time::datetime64::millis")]
    micro_col: OffsetDateTime,
    #[serde(with = "chwire::serde_helpers::time::datetime64::nanos")]
    milli_col: OffsetDateTime,
    #[serde(with = "chwire::serde_helpers::time::datetime64::secs")]
    nano_col: OffsetDateTime,
}

fn at(nanos: i128) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap()
}

/// A `DateTime64` helper of one precision on a column of another is rescaled exactly both ways
/// (it used to store 1970-01-20 for a 2023 time); a value the column cannot hold is an error
/// naming the column.
#[chwire_tests::case]
pub async fn datetime64_helpers_follow_the_column_precision(
    rt: Arc<dyn Runtime>,
    transport: Transport,
) {
    for format in [Format::RowBinary, Format::Native] {
        let c = client_in(rt.clone(), transport, format).await;
        let t = format!("{DB}.{}", unique_name("dt64_precision"));
        c.query(format!(
            "CREATE TABLE {t} (id UInt8, micro_col DateTime64(6, 'UTC'), \
             milli_col DateTime64(3, 'UTC'), nano_col DateTime64(9, 'UTC')) \
             ENGINE = MergeTree ORDER BY id"
        ))
        .execute()
        .await
        .unwrap();
        let row = Times {
            id: 1,
            micro_col: at(1_700_000_000_123_000_000),
            milli_col: at(1_700_000_000_456_000_000),
            nano_col: at(1_700_000_000_000_000_000),
        };
        let mut ins = c.insert::<Times>(&t).await.unwrap();
        ins.write(&row).await.unwrap();
        ins.end().await.unwrap();
        assert_eq!(
            strings(
                &c,
                format!("SELECT concat(toString(micro_col), ' ', toString(milli_col), ' ', toString(nano_col)) AS s FROM {t}")
            )
            .await,
            ["2023-11-14 22:13:20.123000 2023-11-14 22:13:20.456 2023-11-14 22:13:20.000000000"],
            "{format:?}"
        );
        let back: Vec<Times> = c
            .query(format!("SELECT * FROM {t}"))
            .fetch_all()
            .await
            .unwrap();
        assert_eq!(back, [row], "{format:?}");

        // Sub-millisecond digits into DateTime64(3): refused, nothing written.
        let lossy = Times {
            id: 2,
            micro_col: at(1_700_000_000_123_000_000),
            milli_col: at(1_700_000_000_456_789_000),
            nano_col: at(1_700_000_000_000_000_000),
        };
        let mut ins = c.insert::<Times>(&t).await.unwrap();
        let e = ins.write(&lossy).await.unwrap_err();
        assert!(
            matches!(&e, chwire::Error::Row(chwire::RowError::InvalidValue { column, .. }) if column == "milli_col"),
            "{e:?}"
        );
        drop(ins);
        // Reading sub-millisecond digits with `millis` is refused the same way.
        let e = c
            .query(format!(
                "SELECT 3 AS id, toDateTime64('2023-11-14 22:13:20.123456', 6, 'UTC') AS micro_col, \
                 milli_col, nano_col FROM {t}"
            ))
            .fetch_all::<Times>()
            .await
            .unwrap_err();
        assert!(
            matches!(&e, chwire::Error::Row(chwire::RowError::InvalidValue { column, .. }) if column == "micro_col"),
            "{e:?}"
        );
        assert_eq!(
            strings(&c, format!("SELECT toString(count()) AS s FROM {t}")).await,
            ["1"]
        );
        c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
    }
}

#[derive(Debug, PartialEq, chwire::Row, Serialize, Deserialize)]
struct Plain {
    id: u8,
    name: String,
    count: u32,
    label: String,
    values: Vec<i64>,
    #[serde(with = "chwire::serde_helpers::time::datetime64::millis")]
    at: OffsetDateTime,
}

#[derive(Debug, PartialEq, chwire::Row, Serialize, Deserialize)]
struct Optional {
    id: u8,
    name: Option<String>,
    count: Option<u32>,
    label: Option<String>,
    values: Vec<Option<i64>>,
}

/// A value that is not an `Option` writes into a `Nullable` column as non-NULL (it was a
/// schema mismatch, while reads accept an `Option` for a non-nullable column).
#[chwire_tests::case]
pub async fn plain_values_insert_into_nullable_columns(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client_in(rt, transport, Format::RowBinary).await;
    let t = format!("{DB}.{}", unique_name("nullable_writes"));
    c.query(format!(
        "CREATE TABLE {t} (id UInt8, name Nullable(String), count Nullable(UInt32), \
         label LowCardinality(Nullable(String)), values Array(Nullable(Int64)), \
         at Nullable(DateTime64(3, 'UTC'))) ENGINE = MergeTree ORDER BY id"
    ))
    .execute()
    .await
    .unwrap();
    let row = Plain {
        id: 1,
        name: "plain".into(),
        count: 42,
        label: "lc".into(),
        values: vec![-1, 7],
        at: at(1_700_000_000_123_000_000),
    };
    let mut ins = c.insert::<Plain>(&t).await.unwrap();
    ins.write(&row).await.unwrap();
    ins.end().await.unwrap();
    assert_eq!(
        strings(
            &c,
            format!(
                "SELECT ifNull(concat(toString(isNull(name)), name, ' ', toString(count), ' ', \
                 label, ' ', toString(values), ' ', toString(at)), 'NULL') AS s FROM {t}"
            )
        )
        .await,
        ["0plain 42 lc [-1,7] 2023-11-14 22:13:20.123"]
    );
    let back: Vec<Optional> = c
        .query(format!("SELECT id, name, count, label, values FROM {t}"))
        .fetch_all()
        .await
        .unwrap();
    assert_eq!(
        back,
        [Optional {
            id: 1,
            name: Some("plain".into()),
            count: Some(42),
            label: Some("lc".into()),
            values: vec![Some(-1), Some(7)],
        }]
    );
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}

#[derive(Debug, PartialEq, chwire::Row, Serialize, Deserialize)]
struct Doc {
    id: u8,
    doc: String,
}

/// A `JSON` column reads into and writes from a `String` (typed rows refused it), in both formats.
#[chwire_tests::case]
pub async fn json_columns_as_strings(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client_in(rt.clone(), transport, Format::RowBinary).await;
    let t = format!("{DB}.{}", unique_name("json_text"));
    c.query(format!(
        "CREATE TABLE {t} (id UInt8, doc JSON) ENGINE = MergeTree ORDER BY id"
    ))
    .execute()
    .await
    .unwrap();
    let stored = || Doc {
        id: 1,
        doc: r#"{"a":{"b":7},"s":"x"}"#.into(),
    };
    let mut ins = c.insert::<Doc>(&t).await.unwrap();
    ins.write(&stored()).await.unwrap();
    ins.end().await.unwrap();
    assert_eq!(
        strings(&c, format!("SELECT toString(doc.a.b) AS s FROM {t}")).await,
        ["7"]
    );
    let back: Vec<Doc> = c
        .query(format!("SELECT id, doc FROM {t}"))
        .fetch_all()
        .await
        .unwrap();
    assert_eq!(back, [stored()]);
    // Native (the default format) too: the server writes the JSON as its text there as well.
    let native = client_in(rt, transport, Format::Native).await;
    let back: Vec<Doc> = native
        .query(format!("SELECT id, doc FROM {t}"))
        .fetch_all()
        .await
        .unwrap();
    assert_eq!(back, [stored()]);
    let mut cursor = native
        .query(format!("SELECT doc, id FROM {t}"))
        .fetch::<Doc>()
        .await
        .unwrap();
    assert_eq!(cursor.next().await.unwrap().unwrap(), stored());
    assert!(cursor.next().await.is_none());
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}

/// A proxy on loopback serving the server under `prefix`: strips it from each request's path
/// (refusing requests without it) and records the request lines. One request per connection
/// (`Connection: close` towards the server, which the client then sees too).
fn prefix_proxy(prefix: &'static str) -> (u16, Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Write};
    use std::net::{TcpListener, TcpStream};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    let upstream = chwire_tests::http_addr();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { return };
            let log = log.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(client.try_clone().unwrap());
                let mut head = String::new();
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                log.lock().unwrap().push(line.trim_end().to_owned());
                let mut parts = line.splitn(3, ' ');
                let (method, target, version) = (
                    parts.next().unwrap(),
                    parts.next().unwrap(),
                    parts.next().unwrap(),
                );
                let Some(rest) = target.strip_prefix(prefix) else {
                    let _ = (&client).write_all(
                        b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                    );
                    return;
                };
                let rest = if rest.starts_with('/') {
                    rest.to_owned()
                } else {
                    format!("/{rest}")
                };
                head.push_str(&format!("{method} {rest} {version}"));
                loop {
                    line.clear();
                    reader.read_line(&mut line).unwrap();
                    if line == "\r\n" {
                        break;
                    }
                    if !line.to_ascii_lowercase().starts_with("connection:") {
                        head.push_str(&line);
                    }
                }
                head.push_str("Connection: close\r\n\r\n");
                let mut server = TcpStream::connect(upstream).unwrap();
                server.write_all(head.as_bytes()).unwrap();
                let mut to_server = server.try_clone().unwrap();
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut reader, &mut to_server);
                });
                let _ = std::io::copy(&mut server, &mut &client);
                let _ = client.shutdown(std::net::Shutdown::Both);
            });
        }
    });
    (port, seen)
}

/// The URL's path (a proxy prefix) is sent with every request, and its user info is used as
/// the credentials (the path was dropped and user info refused).
#[chwire_tests::case]
pub async fn url_path_and_user_info(rt: Arc<dyn Runtime>) {
    client(rt.clone(), Transport::Http, Compression::None).await;
    let (port, seen) = prefix_proxy("/ch/prefix");
    let c = Client::builder(rt.clone())
        .url(format!("http://default:@127.0.0.1:{port}/ch/prefix"))
        .build()
        .unwrap();
    let t = format!("{DB}.{}", unique_name("url_prefix"));
    c.query(format!(
        "CREATE TABLE {t} (id UInt8, name String) ENGINE = MergeTree ORDER BY id"
    ))
    .execute()
    .await
    .unwrap();
    #[derive(Debug, PartialEq, chwire::Row, Serialize, Deserialize)]
    struct Named {
        id: u8,
        name: String,
    }
    let mut ins = c.insert::<Named>(&t).await.unwrap();
    ins.write(&Named {
        id: 3,
        name: "via proxy".into(),
    })
    .await
    .unwrap();
    ins.end().await.unwrap();
    let back: Vec<Named> = c
        .query(format!("SELECT * FROM {t}"))
        .fetch_all()
        .await
        .unwrap();
    assert_eq!(
        back,
        [Named {
            id: 3,
            name: "via proxy".into()
        }]
    );
    let lines = seen.lock().unwrap().clone();
    assert!(lines.len() >= 3, "{lines:?}");
    assert!(
        lines.iter().all(|l| l.starts_with("POST /ch/prefix?")),
        "{lines:?}"
    );
    // The user info is the credentials: a user that does not exist is refused by the server.
    let wrong = Client::builder(rt)
        .url(format!(
            "http://no%20such%20user:pw@127.0.0.1:{port}/ch/prefix"
        ))
        .build()
        .unwrap();
    let e = wrong.query("SELECT 1").execute().await.unwrap_err();
    assert!(e.to_string().contains("no such user"), "{e}");
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}
