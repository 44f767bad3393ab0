//! The server's database (`ledger.db` in the data directory): one SQLite
//! file for the proof log (`writ-ledger`'s tables), the session tables
//! (`writ-store`'s) and the server's own: principals and their token
//! hashes, the contexts actions were decided under, and every action's
//! lifecycle record. One file, so that the core's batch is one transaction
//! whose receipts, action records and session changes land together, and
//! one WAL fsync makes it durable (`durable`). WAL mode. [`open`] sets
//! `synchronous=FULL` (each commit is durable: the token commands); the
//! core's connection is the log's, opened with `NORMAL`, and fsyncs for
//! many commits at once before it acknowledges any, so what the API
//! acknowledged survives a crash either way.
//!
//! Before, the server kept principals and actions in `server.db` and
//! sessions in `writ.db`; [`prepare`] carries them over once.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use writ_store::SessionTables;

use crate::error::ServeError;

/// File name of the server's database inside the data directory: the proof
/// log's file, which the proof commands read.
pub const DATABASE: &str = writ_ledger::LEDGER_FILE;
/// Where earlier servers kept principals, contexts and actions.
const EARLIER_SERVER_DB: &str = "server.db";
/// Where earlier servers kept sessions (and where the embedded store,
/// which hooks use without a server, still does).
const EARLIER_SESSIONS_DB: &str = "writ.db";
/// What [`prepare`] renames `server.db` to once it has carried it over.
const MERGED_SERVER_DB: &str = "server.db.merged";

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

/// Opens (creating the directory, the file and the schema if needed) the
/// server's database on a connection of its own, `synchronous=FULL`.
pub fn open(data_dir: &Path) -> Result<Connection, ServeError> {
    std::fs::create_dir_all(data_dir).map_err(|source| ServeError::CreateDir {
        path: data_dir.display().to_string(),
        source,
    })?;
    let conn = Connection::open(data_dir.join(DATABASE))?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    prepare(&conn, data_dir)?;
    Ok(conn)
}

/// Creates the server's and the session tables on `conn` (a connection to
/// [`DATABASE`] in `data_dir`) if they are missing, and carries over what an
/// earlier server kept in other files.
fn prepare(conn: &Connection, data_dir: &Path) -> Result<(), ServeError> {
    conn.execute_batch(SCHEMA)?;
    SessionTables::create(conn)?;
    carry_over(conn, data_dir)
}

/// Copies `server.db`'s principals, contexts and actions, and `writ.db`'s
/// session states, into `conn`'s database in one transaction, then
/// renames `server.db` (and its WAL) to `server.db.merged`, kept as it
/// was. Copying skips rows already there, so a copy that a crash cut short
/// is made again. `writ.db` stays: the embedded store uses it.
fn carry_over(conn: &Connection, data_dir: &Path) -> Result<(), ServeError> {
    let earlier = data_dir.join(EARLIER_SERVER_DB);
    if !earlier.exists() {
        return Ok(());
    }
    let failed = |e: rusqlite::Error| {
        ServeError::Internal(format!(
            "cannot carry over `{}` into `{}`: {e}",
            earlier.display(),
            data_dir.join(DATABASE).display()
        ))
    };
    let sessions = data_dir.join(EARLIER_SESSIONS_DB);
    let attach = |path: &Path, name: &str| {
        conn.execute(
            &format!("ATTACH DATABASE ?1 AS {name}"),
            params![path.to_string_lossy()],
        )
    };
    attach(&earlier, "earlier").map_err(failed)?;
    let with_sessions = sessions.exists();
    let copied = (|| {
        if with_sessions {
            attach(&sessions, "earlier_sessions")?;
        }
        let mut copy = String::from(
            "BEGIN IMMEDIATE;
             INSERT OR IGNORE INTO main.tokens (id, name, role, jurisdictions, hash, created_at, revoked_at)
                 SELECT id, name, role, jurisdictions, hash, created_at, revoked_at FROM earlier.tokens;
             INSERT OR IGNORE INTO main.contexts (id, deployment, policy, policy_version)
                 SELECT id, deployment, policy, policy_version FROM earlier.contexts;
             INSERT OR IGNORE INTO main.actions (seq, id, status, session, principal, created_at, record)
                 SELECT seq, id, status, session, principal, created_at, record FROM earlier.actions;",
        );
        if with_sessions {
            copy.push_str(
                "INSERT OR IGNORE INTO main.sessions (id, state, updated_at)
                     SELECT id, state, updated_at FROM earlier_sessions.sessions;",
            );
        }
        copy.push_str("COMMIT;");
        if let Err(e) = conn.execute_batch(&copy) {
            if !conn.is_autocommit() {
                let _ = conn.execute_batch("ROLLBACK");
            }
            return Err(e);
        }
        // Fold the WAL in, so the renamed file holds everything.
        conn.query_row("PRAGMA earlier.wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
    })();
    if with_sessions {
        let _ = conn.execute("DETACH DATABASE earlier_sessions", []);
    }
    let detached = conn.execute("DETACH DATABASE earlier", []);
    copied.map_err(failed)?;
    detached.map_err(failed)?;
    for suffix in ["", "-wal", "-shm"] {
        let from = data_dir.join(format!("{EARLIER_SERVER_DB}{suffix}"));
        let to = data_dir.join(format!("{MERGED_SERVER_DB}{suffix}"));
        match std::fs::rename(&from, &to) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(ServeError::Internal(format!(
                    "carried `{}` over, but cannot rename it to `{}`: {e}",
                    from.display(),
                    to.display()
                )));
            }
        }
    }
    Ok(())
}

/// Now, RFC 3339.
pub fn now_text() -> Result<String, ServeError> {
    OffsetDateTime::now_utc().format(&Rfc3339).map_err(|e| {
        ServeError::Internal(format!(
            "the system clock reads a time RFC 3339 cannot write: {e}"
        ))
    })
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
