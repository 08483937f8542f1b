//! Settling batches the inserter could not vouch for: an *uncertain* batch (acknowledged only
//! after an attempt whose outcome is unknown; on a plain MergeTree its rows can be missing,
//! see docs/inserts.md) or a *dead letter* (failed for good; its rows may or may not be in).
//! Each is looked up by key and, when its rows are missing, inserted again under a fresh
//! deduplication token, as docs/inserts.md tells applications to do.

use std::fmt;
use std::time::Duration;

use chwire::{Block, Client, Column, DataType, FailedBatch, Value};

/// Why a batch reached the resolver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Uncertain,
    DeadLetter,
}

/// What the lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every row was stored (the acknowledged attempt, or a retry, did write it).
    Present,
    /// No row was stored; the batch was inserted again (`inserts` attempts) and is now present.
    Reinserted { inserts: u32 },
    /// Some rows, not all: a batch is one block, one part, so this must not happen.
    Partial { stored: u64 },
    /// The batch's rows could not be decoded.
    Undecodable(String),
    /// The server did not answer the lookup for [`GIVE_UP`].
    Unresolved(String),
}

/// One settled batch, for the report.
#[derive(Debug, Clone)]
pub struct Resolution {
    pub kind: Kind,
    pub token: String,
    pub rows: u64,
    pub error: String,
    pub outcome: Outcome,
}

impl fmt::Display for Resolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            Kind::Uncertain => "uncertain",
            Kind::DeadLetter => "dead_letter",
        };
        let outcome = match &self.outcome {
            Outcome::Present => "present".to_string(),
            Outcome::Reinserted { inserts } => format!("missing_reinserted inserts={inserts}"),
            Outcome::Partial { stored } => format!("PARTIAL stored={stored}"),
            Outcome::Undecodable(e) => format!("UNDECODABLE {e}"),
            Outcome::Unresolved(e) => format!("UNRESOLVED {e}"),
        };
        write!(
            f,
            "{kind} token={} rows={} resolution={outcome} first_unknown_error={:?}",
            self.token, self.rows, self.error
        )
    }
}

impl Resolution {
    pub fn ok(&self) -> bool {
        matches!(self.outcome, Outcome::Present | Outcome::Reinserted { .. })
    }
}

/// Settles `batch` in `table` (columns `id UInt64, v UInt64`). Server errors (it may be down:
/// the harness keeps killing it) are waited out; the lookup is repeated after every insert,
/// so an insert whose own outcome is unknown is never doubled.
pub async fn resolve(client: &Client, table: &str, kind: Kind, batch: FailedBatch) -> Resolution {
    let mut resolution = Resolution {
        kind,
        token: batch.dedup_token.clone(),
        rows: batch.rows,
        error: batch.error.to_string(),
        outcome: Outcome::Present,
    };
    let rows = match batch.values() {
        Ok(rows) => rows,
        Err(e) => {
            resolution.outcome = Outcome::Undecodable(e.to_string());
            return resolution;
        }
    };
    drop(batch);
    let ids: Vec<String> = rows
        .iter()
        .filter_map(|r| match r.first() {
            Some(Value::UInt64(id)) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let lookup = format!(
        "SELECT count() FROM {table} WHERE id IN ({})",
        ids.join(",")
    );
    drop(ids);
    let mut inserts = 0u32;
    loop {
        let stored = match until_ok(client, || count(client, &lookup)).await {
            Ok(stored) => stored,
            Err(e) => {
                resolution.outcome = Outcome::Unresolved(e.to_string());
                return resolution;
            }
        };
        if stored == resolution.rows {
            if inserts > 0 {
                resolution.outcome = Outcome::Reinserted { inserts };
            }
            return resolution;
        }
        if stored != 0 {
            resolution.outcome = Outcome::Partial { stored };
            return resolution;
        }
        inserts += 1;
        let token = format!("{}-resolve-{inserts}", resolution.token);
        // The outcome of this insert does not matter: the next lookup decides.
        let _ = reinsert(client, table, &rows, &token).await;
    }
}

async fn count(client: &Client, sql: &str) -> chwire::Result<u64> {
    let (_, rows) = client.query(sql).fetch_all_rows().await?;
    match rows.first().and_then(|r| r.first()) {
        Some(Value::UInt64(n)) => Ok(*n),
        other => Err(chwire::Error::Config(format!("count() answered {other:?}"))),
    }
}

async fn reinsert(
    client: &Client,
    table: &str,
    rows: &[Vec<Value>],
    token: &str,
) -> chwire::Result<()> {
    let mut columns = Vec::new();
    for (i, name) in ["id", "v"].into_iter().enumerate() {
        let values: Vec<Value> = rows.iter().map(|r| r[i].clone()).collect();
        columns.push((
            name.to_string(),
            Column::from_values(&DataType::UInt64, values)?,
        ));
    }
    let mut insert = client
        .insert_blocks(table)
        .setting("insert_deduplication_token", token)
        .setting("async_insert", 0);
    insert.write(Block::new(columns)?).await?;
    insert.end().await.map(|_| ())
}

/// How long [`until_ok`] keeps trying: far longer than a server restart takes.
pub const GIVE_UP: Duration = Duration::from_secs(300);

/// Repeats `attempt` until it succeeds, backing off between tries (the server may be
/// restarting); the last error after [`GIVE_UP`].
pub async fn until_ok<T, F, Fut>(client: &Client, mut attempt: F) -> chwire::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = chwire::Result<T>>,
{
    let rt = client.runtime();
    let give_up = rt.now() + GIVE_UP;
    let mut wait = Duration::from_millis(50);
    loop {
        match attempt().await {
            Ok(value) => return Ok(value),
            Err(e) if rt.now() >= give_up => return Err(e),
            Err(_) => {
                rt.sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(1));
            }
        }
    }
}
