//! The embedded store: session state and decisions in SQLite.
//!
//! Every Claude Code hook call is a new process, so session state lives in
//! a SQLite file that all of them share. Each change is one `BEGIN
//! IMMEDIATE` transaction (read, fold, write), so concurrent hook processes
//! serialise on the database lock instead of losing updates. The journal is
//! WAL with `synchronous=FULL`: a change acknowledged to the caller survives
//! a crash of the process and of the machine.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use writ_core::{Decision, SessionState, StepRecord};

/// A store operation that failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the store at `{path}`: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("store error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("stored session `{session}` is corrupt: {message}")]
    Corrupt { session: String, message: String },
}

/// The store.
pub struct Store {
    conn: Connection,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE TABLE IF NOT EXISTS decisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    session TEXT NOT NULL,
    call_id TEXT,
    tool TEXT NOT NULL,
    route TEXT NOT NULL,
    reasons TEXT NOT NULL,
    decision TEXT NOT NULL,
    step TEXT,
    closed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS decisions_call ON decisions(session, call_id);
";

impl Store {
    /// Opens (creating if needed) the store at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.display().to_string(),
            source,
        })?;
        Store::init(conn)
    }

    /// A store that lives in memory (for replays that keep nothing).
    pub fn in_memory() -> Result<Store, StoreError> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Store, StoreError> {
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(SCHEMA)?;
        Ok(Store { conn })
    }

    /// A session's state (empty when the session is new).
    pub fn session(&self, id: &str) -> Result<SessionState, StoreError> {
        read_session(&self.conn, id)
    }

    /// Applies `change` to a session's state atomically and returns the new state.
    pub fn update_session(
        &mut self,
        id: &str,
        change: impl FnOnce(&mut SessionState),
    ) -> Result<SessionState, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut state = read_session(&tx, id)?;
        change(&mut state);
        write_session(&tx, id, &state)?;
        tx.commit()?;
        Ok(state)
    }

    /// Records a decision taken before a tool runs. A decision that blocks,
    /// or that uses approvals, changes the session at once (a blocked tool
    /// never reports an outcome; an approval must not be usable twice).
    pub fn record_decision(
        &mut self,
        session: &str,
        call_id: Option<&str>,
        decision: &Decision,
        immediate: Option<&StepRecord>,
    ) -> Result<i64, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let json = serde_json::to_string(decision).unwrap_or_default();
        let reasons = serde_json::to_string(&decision.reasons).unwrap_or_default();
        tx.execute(
            "INSERT INTO decisions (session, call_id, tool, route, reasons, decision, closed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![session, call_id, decision.tool, decision.route.as_str(), reasons, json, immediate.is_some()],
        )?;
        let seq = tx.last_insert_rowid();
        if let Some(step) = immediate {
            let mut state = read_session(&tx, session)?;
            state.record(step);
            write_session(&tx, session, &state)?;
        }
        tx.commit()?;
        Ok(seq)
    }

    /// Closes the open decision of a tool call (if any) with the step it
    /// became, folding the step into the session.
    pub fn close_step(
        &mut self,
        session: &str,
        call_id: Option<&str>,
        step: &StepRecord,
    ) -> Result<SessionState, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(call_id) = call_id {
            let json = serde_json::to_string(step).unwrap_or_default();
            tx.execute(
                "UPDATE decisions SET closed = 1, step = ?3 WHERE session = ?1 AND call_id = ?2 AND closed = 0",
                params![session, call_id, json],
            )?;
        }
        let mut state = read_session(&tx, session)?;
        state.record(step);
        write_session(&tx, session, &state)?;
        tx.commit()?;
        Ok(state)
    }

    /// Number of decisions recorded.
    pub fn decision_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM decisions", [], |r| r.get(0))?)
    }
}

fn read_session(conn: &Connection, id: &str) -> Result<SessionState, StoreError> {
    let text: Option<String> = conn
        .query_row(
            "SELECT state FROM sessions WHERE id = ?1",
            params![id],
            |r| r.get(0),
        )
        .optional()?;
    match text {
        None => Ok(SessionState::default()),
        Some(t) => serde_json::from_str(&t).map_err(|e| StoreError::Corrupt {
            session: id.to_owned(),
            message: e.to_string(),
        }),
    }
}

fn write_session(conn: &Connection, id: &str, state: &SessionState) -> Result<(), StoreError> {
    let text = serde_json::to_string(state).map_err(|e| StoreError::Corrupt {
        session: id.to_owned(),
        message: e.to_string(),
    })?;
    conn.execute(
        "INSERT INTO sessions (id, state) VALUES (?1, ?2)
         ON CONFLICT(id) DO UPDATE SET state = excluded.state, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')",
        params![id, text],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_survive_reopening_and_fold_steps() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("writ.db");
        {
            let mut store = Store::open(&path).unwrap();
            store
                .close_step(
                    "s1",
                    None,
                    &StepRecord {
                        ran: true,
                        read_labels: vec!["secret".into()],
                        ..StepRecord::default()
                    },
                )
                .unwrap();
            store
                .close_step(
                    "s1",
                    None,
                    &StepRecord {
                        blocked: true,
                        ..StepRecord::default()
                    },
                )
                .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let state = store.session("s1").unwrap();
        assert_eq!(state.blocked, 1);
        assert_eq!(state.steps, 2);
        assert!(state.read_labels.contains("secret"));
        assert_eq!(store.session("other").unwrap(), SessionState::default());
    }

    #[test]
    fn concurrent_writers_lose_no_update() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("writ.db");
        Store::open(&path).unwrap();
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let mut store = Store::open(&path).unwrap();
                    for _ in 0..25 {
                        store.update_session("s", |s| s.blocked += 1).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(
            Store::open(&path).unwrap().session("s").unwrap().blocked,
            100
        );
    }
}
