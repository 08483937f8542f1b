//! Typed rows through the client: `insert::<T>` and `fetch::<T>` over every compression.

use std::sync::Arc;

use chwire_rt::Runtime;
use chwire_tests::{COMPRESSIONS, unique_name};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use crate::query::{DB, client};

#[derive(Debug, Clone, PartialEq, chwire::Row, Serialize, Deserialize)]
struct Event {
    id: u64,
    name: String,
    tags: Vec<String>,
    score: Option<f64>,
}

pub async fn typed_roundtrip(rt: Arc<dyn Runtime>) {
    for compression in COMPRESSIONS {
        let c = client(rt.clone(), compression).await;
        let t = format!("{DB}.{}", unique_name("typed"));
        c.query(format!(
            "CREATE TABLE {t} (id UInt64, name String, tags Array(String), score Nullable(Float64), \
             extra UInt8 DEFAULT 7) ENGINE = MergeTree ORDER BY id"
        ))
        .execute()
        .await
        .unwrap();
        let rows: Vec<Event> = (0..100_000u64)
            .map(|i| Event {
                id: i,
                name: format!("event {i}"),
                tags: (0..i % 3).map(|k| format!("t{k}")).collect(),
                score: (i % 2 == 0).then_some(i as f64 / 4.0),
            })
            .collect();
        let mut ins = c.insert::<Event>(&t).await.unwrap();
        for r in &rows {
            ins.write(r).await.unwrap();
        }
        let s = ins.end().await.unwrap();
        assert_eq!(s.written_rows, 100_000, "{compression:?}");
        let back: Vec<Event> = c
            .query(format!("SELECT id, name, tags, score FROM {t} ORDER BY id"))
            .fetch_all()
            .await
            .unwrap();
        assert_eq!(back, rows, "{compression:?}");
        // Streaming, with the columns in another order (matched by name).
        let mut cur = c
            .query(format!(
                "SELECT score, tags, name, id FROM {t} WHERE id < 10 ORDER BY id"
            ))
            .fetch::<Event>()
            .await
            .unwrap();
        let mut n = 0;
        while let Some(e) = cur.next().await {
            assert_eq!(e.unwrap(), rows[n]);
            n += 1;
        }
        assert_eq!(n, 10);
        // A row type that does not fit the result is a typed error, not a panic.
        let e = c
            .query("SELECT 1 AS id")
            .fetch_all::<Event>()
            .await
            .unwrap_err();
        assert!(matches!(e, chwire::Error::Row(_)), "{e:?}");
        c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
    }
}
