//! The server database (`server.db` in the data directory): principals and
//! their token hashes, the contexts actions were decided under, and every
//! action's lifecycle record. WAL mode. [`open`] sets `synchronous=FULL`
//! (each commit is durable: the token commands); the server's core turns
//! that down to `NORMAL` and fsyncs for many commits at once before it
//! acknowledges any (`durable`), so what the API acknowledged survives a
//! crash either way.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::error::ServeError;

/// File name of the server database inside the data directory.
pub const SERVER_DB: &str = "server.db";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    jurisdictions TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS tokens_live_name ON tokens(name) WHERE revoked_at IS NULL;
CREATE TABLE IF NOT EXISTS contexts (
    id TEXT PRIMARY KEY,
    deployment TEXT NOT NULL,
    policy TEXT NOT NULL,
    policy_version TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS actions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    session TEXT,
    principal TEXT NOT NULL,
    created_at TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS actions_status ON actions(status, seq);
CREATE INDEX IF NOT EXISTS actions_session ON actions(session, seq);
";

/// Opens (creating the directory and the schema if needed) the server database.
pub fn open(data_dir: &Path) -> Result<Connection, ServeError> {
    std::fs::create_dir_all(data_dir).map_err(|source| ServeError::CreateDir {
        path: data_dir.display().to_string(),
        source,
    })?;
    let conn = Connection::open(data_dir.join(SERVER_DB))?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.execute_batch(SCHEMA)?;
    Ok(conn)
}

/// Now, RFC 3339.
pub fn now_text() -> String {
    OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// Inserts a new action record.
pub fn insert_action(
    conn: &Connection,
    id: &str,
    status: &str,
    session: Option<&str>,
    principal: &str,
    created_at: &str,
    record: &str,
) -> Result<(), rusqlite::Error> {
    conn.prepare_cached("INSERT INTO actions (id, status, session, principal, created_at, record) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?.execute(
        params![id, status, session, principal, created_at, record],
    )?;
    Ok(())
}

/// Replaces an action's record and status.
pub fn update_action(
    conn: &Connection,
    id: &str,
    status: &str,
    record: &str,
) -> Result<(), rusqlite::Error> {
    conn.prepare_cached("UPDATE actions SET status = ?2, record = ?3 WHERE id = ?1")?
        .execute(params![id, status, record])?;
    Ok(())
}

/// An action's record.
pub fn action(conn: &Connection, id: &str) -> Result<Option<String>, rusqlite::Error> {
    conn.prepare_cached("SELECT record FROM actions WHERE id = ?1")?
        .query_row(params![id], |r| r.get(0))
        .optional()
}

/// Records of actions with `status`, oldest first.
pub fn actions_with_status(
    conn: &Connection,
    status: &str,
    limit: i64,
) -> Result<Vec<String>, rusqlite::Error> {
    let mut stmt =
        conn.prepare("SELECT record FROM actions WHERE status = ?1 ORDER BY seq LIMIT ?2")?;
    let rows = stmt.query_map(params![status, limit], |r| r.get(0))?;
    rows.collect()
}

/// The latest `limit` actions of a session, newest first.
pub fn session_actions(
    conn: &Connection,
    session: &str,
    limit: i64,
) -> Result<Vec<String>, rusqlite::Error> {
    let mut stmt =
        conn.prepare("SELECT record FROM actions WHERE session = ?1 ORDER BY seq DESC LIMIT ?2")?;
    let rows = stmt.query_map(params![session, limit], |r| r.get(0))?;
    rows.collect()
}

/// Number of actions with `status`.
pub fn count_status(conn: &Connection, status: &str) -> Result<i64, rusqlite::Error> {
    conn.query_row(
        "SELECT COUNT(*) FROM actions WHERE status = ?1",
        params![status],
        |r| r.get(0),
    )
}

/// Stores a context (idempotent).
pub fn put_context(
    conn: &Connection,
    id: &str,
    deployment: &str,
    policy: &str,
    policy_version: &str,
) -> Result<(), rusqlite::Error> {
    conn.execute(
        "INSERT OR IGNORE INTO contexts (id, deployment, policy, policy_version) VALUES (?1, ?2, ?3, ?4)",
        params![id, deployment, policy, policy_version],
    )?;
    Ok(())
}

/// A stored context: deployment JSON, policy sources JSON, policy version.
pub fn context(
    conn: &Connection,
    id: &str,
) -> Result<Option<(String, String, String)>, rusqlite::Error> {
    conn.query_row(
        "SELECT deployment, policy, policy_version FROM contexts WHERE id = ?1",
        params![id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()
}
