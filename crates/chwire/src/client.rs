//! What a [`Client`] does: start queries and inserts, kill queries, report its pools and
//! endpoints. The handle itself is in `handle`, its builder in `builder`.

use std::sync::Arc;

use chwire_rt::Runtime;

use crate::cancel::send_kill;
use crate::endpoints::EndpointStats;
use crate::error::Result;
use crate::handle::Client;
use crate::insert::{BlockInsert, Insert};
use crate::pool::PoolStats;
use crate::query::Query;
use crate::row::Row;
use crate::summary::QuerySummary;

impl Client {
    /// A query; see [`Query`] for parameters, settings and the ways to read the result.
    pub fn query(&self, sql: impl Into<String>) -> Query {
        Query::new(self.clone(), sql.into())
    }

    /// A streaming insert of dynamic [`Block`](chwire_proto::Block)s into `table`, in the
    /// client's default format.
    pub fn insert_blocks(&self, table: impl Into<String>) -> BlockInsert {
        BlockInsert::new(self.clone(), table.into())
    }

    /// Inserts one block (convenience for `insert_blocks(table)`, `write`, `end`).
    pub async fn insert_block(
        &self,
        table: impl Into<String>,
        block: chwire_proto::Block,
    ) -> Result<QuerySummary> {
        let mut insert = self.insert_blocks(table);
        insert.write(block).await?;
        insert.end().await
    }

    /// A streaming insert of typed rows `T` into `table` (Native blocks transposed from the
    /// rows, or RowBinary: see [`Insert`]). The table's
    /// columns, needed to check and encode `T`, are read once (`SELECT * FROM table LIMIT 0`)
    /// and cached per client; a failed insert drops the cached entry.
    pub async fn insert<T: Row + serde::Serialize>(&self, table: &str) -> Result<Insert<T>> {
        Insert::new(self.clone(), table).await
    }

    /// The insertable columns of `table`, from the per-client cache or the server.
    pub(crate) async fn table_columns(&self, table: &str) -> Result<crate::schema::TableColumns> {
        if let Some(columns) = self.inner.schemas.get(table) {
            return Ok(columns);
        }
        let probe = self
            .query(format!("SELECT * FROM {table} LIMIT 0"))
            .fetch_rows()
            .await?;
        let columns = Arc::new(probe.columns().to_vec());
        self.inner.schemas.insert(table, Arc::clone(&columns));
        Ok(columns)
    }

    /// Forgets the cached column lists of typed-insert tables; call it after altering a table
    /// that this client inserts into with [`insert`](Self::insert).
    pub fn forget_table_schemas(&self) {
        self.inner.schemas.clear();
    }

    /// Sends `KILL QUERY … ASYNC` for `query_id` to every endpoint (the query may run on any).
    pub async fn kill_query(&self, query_id: &str) -> Result<()> {
        for i in 0..self.inner.endpoints.list.len() {
            send_kill(self, query_id, i).await?;
        }
        Ok(())
    }

    /// Counters of the connection pool (added up over all endpoints).
    pub fn pool_stats(&self) -> PoolStats {
        self.inner.endpoints.pool_stats()
    }

    /// Health and pool counters of every endpoint, in the order they were configured.
    pub fn endpoint_stats(&self) -> Vec<EndpointStats> {
        self.inner.endpoints.stats(self.inner.rt.now())
    }

    /// The runtime this client runs on.
    pub fn runtime(&self) -> &Arc<dyn Runtime> {
        &self.inner.rt
    }
}
