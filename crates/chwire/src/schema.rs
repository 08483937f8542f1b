//! The column lists of tables that typed inserts write to, cached per client.
//!
//! A typed insert must know the table's column types to encode `T` (a `u32` field may be a
//! `UInt32` or a `DateTime` column). Asking the server before every insert doubles the
//! round trips of small inserts, so the answer is cached per table name. A schema change is
//! picked up when an insert into that table fails (its entry is dropped, and the next insert
//! asks again) or after [`Client::forget_table_schemas`](crate::Client::forget_table_schemas).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chwire_proto::DataType;

/// A table's insertable columns (`SELECT * FROM t LIMIT 0`), in table order.
pub(crate) type TableColumns = Arc<Vec<(String, DataType)>>;

#[derive(Debug, Default)]
pub(crate) struct SchemaCache {
    tables: Mutex<HashMap<String, TableColumns>>,
}

impl SchemaCache {
    pub(crate) fn get(&self, table: &str) -> Option<TableColumns> {
        self.lock().get(table).cloned()
    }

    pub(crate) fn insert(&self, table: &str, columns: TableColumns) {
        self.lock().insert(table.to_owned(), columns);
    }

    pub(crate) fn forget(&self, table: &str) {
        self.lock().remove(table);
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, TableColumns>> {
        // The map stays consistent even if a holder panicked: every operation is one call.
        self.tables.lock().unwrap_or_else(|e| e.into_inner())
    }
}
