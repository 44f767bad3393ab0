//! A SQLite-backed [`NonceStore`] for gateways that verify release tokens.

use std::path::Path;

use rusqlite::{Connection, params};
use writ_proof::{Nonce, NonceStore, NonceStoreError};

/// Remembers the nonces of accepted release tokens in one SQLite table, so
/// a token is accepted once across restarts and across processes sharing
/// the file.
pub struct SqliteNonceStore {
    conn: Connection,
}

impl std::fmt::Debug for SqliteNonceStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteNonceStore").finish_non_exhaustive()
    }
}

impl SqliteNonceStore {
    /// Opens (creating if needed) the store at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteNonceStore, rusqlite::Error> {
        SqliteNonceStore::with(Connection::open(path)?)
    }

    /// An in-memory store.
    pub fn in_memory() -> Result<SqliteNonceStore, rusqlite::Error> {
        SqliteNonceStore::with(Connection::open_in_memory()?)
    }

    fn with(conn: Connection) -> Result<SqliteNonceStore, rusqlite::Error> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL;
             CREATE TABLE IF NOT EXISTS release_nonces (nonce TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID;",
        )?;
        Ok(SqliteNonceStore { conn })
    }

    /// Forgets nonces of tokens that expired at or before `now`; returns how many.
    pub fn prune_expired(&self, now: i64) -> Result<usize, rusqlite::Error> {
        self.conn.execute(
            "DELETE FROM release_nonces WHERE expires_at <= ?1",
            params![now],
        )
    }

    /// Number of remembered nonces.
    pub fn len(&self) -> Result<u64, rusqlite::Error> {
        self.conn
            .query_row("SELECT COUNT(*) FROM release_nonces", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n.unsigned_abs())
    }

    /// Whether no nonce is remembered.
    pub fn is_empty(&self) -> Result<bool, rusqlite::Error> {
        Ok(self.len()? == 0)
    }
}

impl NonceStore for SqliteNonceStore {
    fn check_and_insert(
        &mut self,
        nonce: &Nonce,
        expires_at: i64,
    ) -> Result<bool, NonceStoreError> {
        let changed = self
            .conn
            .execute(
                "INSERT OR IGNORE INTO release_nonces (nonce, expires_at) VALUES (?1, ?2)",
                params![nonce.to_string(), expires_at],
            )
            .map_err(NonceStoreError::new)?;
        Ok(changed == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonce_is_accepted_once_across_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nonces.db");
        let n = Nonce::from_bytes([9; 16]);
        {
            let mut store = SqliteNonceStore::open(&path).unwrap();
            assert!(store.check_and_insert(&n, 100).unwrap());
            assert!(!store.check_and_insert(&n, 100).unwrap());
        }
        let mut store = SqliteNonceStore::open(&path).unwrap();
        assert!(!store.check_and_insert(&n, 100).unwrap());
        assert_eq!(store.prune_expired(100).unwrap(), 1);
        assert!(store.is_empty().unwrap());
    }
}
