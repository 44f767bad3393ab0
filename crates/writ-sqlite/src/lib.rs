//! SQLite writes that can join a batch.
//!
//! writ's stores (the proof log, the session store, the server database)
//! make each change in its own write transaction, so that separate
//! processes sharing a file queue for its lock. A server that answers only
//! after a durable round can do better: open one transaction per database
//! for a whole batch of requests ([`begin_batch`]), let each change run in
//! a savepoint of it ([`Write`]), and commit once ([`commit_batch`]).
//!
//! Every statement here is prepared once per connection and cached: the
//! savepoints and commits of a batch run thousands of times a second.

use rusqlite::{Connection, Transaction, TransactionBehavior};

/// One change's write: a `BEGIN IMMEDIATE` transaction of its own when no
/// batch is open (a concurrent process then waits for the lock instead of
/// failing to upgrade a read), else a savepoint inside the batch. Dropped
/// without [`Write::commit`], it changes nothing.
pub enum Write<'c> {
    Alone(Transaction<'c>),
    InBatch(Savepoint<'c>),
}

impl<'c> Write<'c> {
    /// Begins a change on `conn`.
    pub fn begin(conn: &'c mut Connection) -> rusqlite::Result<Write<'c>> {
        if conn.is_autocommit() {
            conn.transaction_with_behavior(TransactionBehavior::Immediate)
                .map(Write::Alone)
        } else {
            Savepoint::begin(conn).map(Write::InBatch)
        }
    }

    /// Keeps the change (for a savepoint: in the batch, until it commits).
    pub fn commit(self) -> rusqlite::Result<()> {
        match self {
            Write::Alone(tx) => tx.commit(),
            Write::InBatch(sp) => sp.release(),
        }
    }
}

impl std::ops::Deref for Write<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        match self {
            Write::Alone(tx) => tx,
            Write::InBatch(sp) => sp.conn,
        }
    }
}

/// A savepoint through cached statements; rolled back unless released.
pub struct Savepoint<'c> {
    conn: &'c Connection,
    released: bool,
}

impl<'c> Savepoint<'c> {
    fn begin(conn: &'c Connection) -> rusqlite::Result<Savepoint<'c>> {
        run(conn, "SAVEPOINT writ_change")?;
        Ok(Savepoint {
            conn,
            released: false,
        })
    }

    fn release(mut self) -> rusqlite::Result<()> {
        self.released = true;
        run(self.conn, "RELEASE writ_change")
    }
}

impl Drop for Savepoint<'_> {
    fn drop(&mut self) {
        if !self.released {
            // If this fails the batch is broken and its commit fails too.
            let _ = run(self.conn, "ROLLBACK TO writ_change");
            let _ = run(self.conn, "RELEASE writ_change");
        }
    }
}

/// Opens a batch on `conn`: every [`Write`] until [`commit_batch`] joins
/// one write transaction.
pub fn begin_batch(conn: &Connection) -> rusqlite::Result<()> {
    run(conn, "BEGIN IMMEDIATE")
}

/// Commits the open batch (a no-op without one).
pub fn commit_batch(conn: &Connection) -> rusqlite::Result<()> {
    if conn.is_autocommit() {
        return Ok(());
    }
    run(conn, "COMMIT")
}

/// Rolls the open batch back (a no-op without one).
pub fn rollback_batch(conn: &Connection) -> rusqlite::Result<()> {
    if conn.is_autocommit() {
        return Ok(());
    }
    run(conn, "ROLLBACK")
}

fn run(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn open(path: &std::path::Path) -> Connection {
        let conn = Connection::open(path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.execute_batch("CREATE TABLE IF NOT EXISTS t (v INTEGER)")
            .unwrap();
        conn
    }

    fn count(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap()
    }

    fn insert(conn: &mut Connection, v: i64, keep: bool) {
        let w = Write::begin(conn).unwrap();
        w.execute("INSERT INTO t VALUES (?1)", [v]).unwrap();
        if keep {
            w.commit().unwrap();
        }
    }

    #[test]
    fn alone_each_write_commits_and_a_dropped_one_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = open(&dir.path().join("x.db"));
        let other = open(&dir.path().join("x.db"));
        insert(&mut conn, 1, true);
        insert(&mut conn, 2, false);
        assert_eq!(count(&other), 1);
        assert!(conn.is_autocommit());
    }

    #[test]
    fn in_a_batch_writes_wait_for_the_commit_and_a_dropped_one_is_undone() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = open(&dir.path().join("x.db"));
        let other = open(&dir.path().join("x.db"));
        begin_batch(&conn).unwrap();
        insert(&mut conn, 1, true);
        insert(&mut conn, 2, false);
        insert(&mut conn, 3, true);
        assert_eq!(count(&conn), 2);
        assert_eq!(count(&other), 0);
        commit_batch(&conn).unwrap();
        assert_eq!(count(&other), 2);
        assert!(conn.is_autocommit());
        commit_batch(&conn).unwrap();
    }

    #[test]
    fn a_rolled_back_batch_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = open(&dir.path().join("x.db"));
        begin_batch(&conn).unwrap();
        insert(&mut conn, 1, true);
        rollback_batch(&conn).unwrap();
        assert_eq!(count(&conn), 0);
        rollback_batch(&conn).unwrap();
    }
}
