//! The embedded store: session state and decisions in SQLite.
//!
//! Every Claude Code hook call is a new process, so session state lives in
//! a SQLite file that all of them share. Each change is one `BEGIN
//! IMMEDIATE` transaction (read, fold, write), so concurrent hook processes
//! serialise on the database lock instead of losing updates. The journal is
//! WAL with `synchronous=NORMAL`: a committed change survives a crash of any
//! process (the hook's, the agent's); a power loss may forget the last
//! changes. That is the price of a hook answering in a few milliseconds
//! (one fsync costs ~4 ms on the test machine, and each hook call commits).
//! The WAL outlives the processes (no checkpoint on close), so a hook call
//! neither recreates nor checkpoints it. A process that opens the store
//! alone, though, reads the whole WAL back to rebuild SQLite's index of it
//! (the `-shm` file), and forgets what earlier processes checkpointed, so
//! SQLite never starts the WAL over. So the first hook call starts a
//! keeper ([`Store::keep`], `writ store keep`) in a process of its own: it
//! holds the store open, which keeps the index alive between hook calls
//! (none reads the WAL back), checkpoints now and then without blocking
//! hooks, then starts the WAL over with a commit of its own (so no hook
//! pays for the new WAL header's fsync), and exits once idle. Without a
//! keeper hooks still work: they commit without checkpointing, a keeper
//! starting on a long WAL empties it first ([`Store::compact`]), and past
//! [`WAL_TRUNCATE_BYTES`] opening the store empties it inline.
//! The proof log (`writ-ledger`) uses `synchronous=FULL`: receipts
//! acknowledged there survive power loss.

pub mod environment;

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OptionalExtension, params};
use writ_core::{Decision, SessionState, StepRecord};
use writ_sqlite::Write;

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
    #[error("store keeper: {0}")]
    Keeper(std::io::Error),
    #[error("stored session `{session}` is corrupt: {message}")]
    Corrupt { session: String, message: String },
    #[error("cannot serialise the {what} to store it: {message}")]
    Serialize { what: &'static str, message: String },
}

/// WAL size past which a keeper starting empties the WAL first
/// ([`Store::wal_is_long`]); about fifty hook calls' commits.
pub const WAL_COMPACT_BYTES: u64 = 1 << 20;
/// WAL size past which opening the store empties it at once: the safety
/// net for when nobody compacted it.
pub const WAL_TRUNCATE_BYTES: u64 = 8 << 20;
/// WAL length (pages) at which a commit checkpoints it: above what hooks
/// leave behind, so only a long-running process's commits checkpoint.
const AUTOCHECKPOINT_PAGES: u32 = (WAL_TRUNCATE_BYTES / 4096) as u32;
/// The schema's version (`PRAGMA user_version`); a store at this version
/// needs no `CREATE ... IF NOT EXISTS`, which every process would parse.
const SCHEMA_VERSION: u32 = 2;

/// How often a keeper looks at the WAL.
const KEEP_POLL: Duration = Duration::from_millis(100);
/// How often at most a keeper checkpoints (and then starts the WAL over,
/// fsyncing its new header and the directory: [`Store::keep`]).
pub const KEEP_CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// How often, and how long apart, a keeper's checkpoint tries again to
/// catch up with hooks' commits.
pub const KEEP_CATCH_UP_TRIES: u32 = 50;
const KEEP_CATCH_UP_PAUSE: Duration = Duration::from_millis(2);

/// Opens (creating it) the file a keeper of the store at `path` holds
/// locked while it runs.
fn open_keeper_lock(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(writ_sqlite::beside(path, "-keeper"))
}

/// The length of the WAL of the database at `path` (0 when it has none).
fn wal_len(path: &Path) -> u64 {
    std::fs::metadata(writ_sqlite::wal_path(path)).map_or(0, |m| m.len())
}

/// The store.
pub struct Store {
    conn: Connection,
    /// Set by [`Store::defer_checkpoints`].
    deferred: Option<writ_sqlite::DeferredCheckpoint>,
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
-- Closing a call touches only its open decisions, however many closed
-- ones share its call id.
CREATE INDEX IF NOT EXISTS decisions_open_call ON decisions(session, call_id) WHERE closed = 0;
CREATE TABLE IF NOT EXISTS approval_requests (
    id TEXT PRIMARY KEY,
    session TEXT NOT NULL,
    tool TEXT NOT NULL,
    arguments TEXT NOT NULL,
    jurisdictions TEXT NOT NULL,
    reasons TEXT NOT NULL,
    summary TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    status TEXT NOT NULL DEFAULT 'pending'
);
CREATE TABLE IF NOT EXISTS approvals (
    id TEXT PRIMARY KEY,
    request TEXT,
    tool TEXT NOT NULL,
    record TEXT NOT NULL,
    used INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS approvals_tool ON approvals(tool, used);
-- One row, written by the keeper to start the WAL over (Store::keep).
CREATE TABLE IF NOT EXISTS keeper (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    wal_started_at TEXT NOT NULL
);
";

/// An action waiting for someone to approve it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ApprovalRequest {
    /// Stable id: the digest of the tool and its canonical arguments.
    pub id: String,
    pub session: String,
    pub tool: String,
    pub arguments: serde_json::Value,
    /// Jurisdictions whose approval the action needs.
    pub jurisdictions: Vec<String>,
    pub reasons: Vec<String>,
    /// What the action does, in plain words.
    pub summary: String,
    pub created_at: String,
    /// `pending`, `granted` or `denied`.
    pub status: String,
}

impl Store {
    /// Opens (creating if needed) the store at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.display().to_string(),
            source,
        })?;
        let store = Store::init(conn)?;
        store.truncate_long_wal(path)?;
        Ok(store)
    }

    /// Checkpoints and empties the WAL when it has outgrown the automatic
    /// checkpoint. Short-lived processes (a hook call each) do not make
    /// SQLite restart the WAL after a complete checkpoint: it kept growing
    /// past the threshold, and then every call checkpointed (three fsyncs).
    /// `TRUNCATE` waits for other connections and leaves an empty WAL.
    fn truncate_long_wal(&self, path: &Path) -> Result<(), StoreError> {
        if wal_len(path) > WAL_TRUNCATE_BYTES {
            self.truncate_wal()?;
        }
        Ok(())
    }

    /// Copies the WAL into the database and, once every frame is in it,
    /// starts the WAL over ([`Store::start_wal_over`]); true when it did.
    /// A commit made during a checkpoint leaves frames behind, so it tries
    /// `tries` times, briefly apart. The keeper's loop, checkpointing while
    /// hook processes commit, tries [`KEEP_CATCH_UP_TRIES`] times; the
    /// keeper answering hooks (`writ::keeper`) is then the one process that
    /// commits and, between two of its commits, needs one try. (From
    /// another thread, while its commits streamed in, a checkpoint rarely
    /// found every frame copied and the WAL grew to its limit: measured.)
    pub fn checkpoint_and_start_over(&self, tries: u32) -> Result<bool, StoreError> {
        for n in 0..tries {
            if n > 0 {
                std::thread::sleep(KEEP_CATCH_UP_PAUSE);
            }
            let frames = writ_sqlite::checkpoint_passive(&self.conn)?;
            if frames.log == frames.copied {
                self.start_wal_over()?;
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Commits one small change (the `keeper` row) right after a complete
    /// checkpoint, so that this commit, not a hook's, starts the WAL over:
    /// the commit that does writes a new WAL header and fsyncs it and the
    /// directory (even at `synchronous=NORMAL`), 1-2 ms on the test machine
    /// that a hook would otherwise spend once per checkpoint. If a hook
    /// committed since the checkpoint, this commit just follows it.
    fn start_wal_over(&self) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO keeper (id, wal_started_at) \
             VALUES (1, strftime('%Y-%m-%dT%H:%M:%fZ','now')) \
             ON CONFLICT (id) DO UPDATE SET wal_started_at = excluded.wal_started_at",
            [],
        )?;
        Ok(())
    }

    /// Copies the WAL into the database and empties it: the long part
    /// (copying the pages, two fsyncs) without the write lock, so hooks go
    /// on committing meanwhile; then the short part (what they added, and
    /// emptying the WAL) with it.
    fn empty_wal(&self) -> Result<(), StoreError> {
        writ_sqlite::checkpoint_passive(&self.conn)?;
        self.truncate_wal()
    }

    fn truncate_wal(&self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Whether a keeper ([`Store::keep`]) holds the store at `path` open.
    pub fn keeper_running(path: &Path) -> bool {
        let Ok(lock) = open_keeper_lock(path) else {
            return false;
        };
        matches!(lock.try_lock(), Err(std::fs::TryLockError::WouldBlock))
    }

    /// [`KeeperLock::keep`] unless another keeper holds the store at `path`
    /// (then it returns at once).
    pub fn keep(path: &Path, idle: Duration) -> Result<(), StoreError> {
        match KeeperLock::take(path)? {
            Some(lock) => lock.keep(idle, || false, true),
            None => Ok(()),
        }
    }

    /// True when the WAL of the store at `path` has passed
    /// [`WAL_COMPACT_BYTES`] and should be compacted.
    pub fn wal_is_long(path: &Path) -> bool {
        wal_len(path) > WAL_COMPACT_BYTES
    }

    /// Copies the WAL of the store at `path` into the database and empties
    /// it, waiting for the processes using it to let go; a no-op on a store
    /// that does not exist.
    pub fn compact(path: &Path) -> Result<(), StoreError> {
        if !path.exists() {
            return Ok(());
        }
        Store::open(path)?.empty_wal()
    }

    /// A store that lives in memory (for replays that keep nothing).
    pub fn in_memory() -> Result<Store, StoreError> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Store, StoreError> {
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // A hook process opens the store, commits once and exits. Closing
        // the last connection would checkpoint the WAL into the database
        // and delete it, and the next process would create it again: four
        // fsyncs per call. Without that, the WAL stays and SQLite
        // checkpoints it when it grows (`wal_autocheckpoint`).
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        // Each process that opens the store reads the WAL back to rebuild
        // its index; hooks keep it short (see the module's doc).
        conn.pragma_update(None, "wal_autocheckpoint", AUTOCHECKPOINT_PAGES)?;
        SessionTables::create(&conn)?;
        Ok(Store {
            conn,
            deferred: None,
        })
    }

    /// Commits stop checkpointing the WAL; once it has `pages` pages,
    /// [`Store::checkpoint_if_due`] has a thread of its own do it (see
    /// [`writ_sqlite::DeferredCheckpoint`]).
    pub fn defer_checkpoints(&mut self, pages: u32) -> Result<(), StoreError> {
        self.deferred = Some(writ_sqlite::DeferredCheckpoint::install(
            &mut self.conn,
            pages,
        )?);
        Ok(())
    }

    /// Starts (or, with a WAL twice as long, runs) a due checkpoint if
    /// checkpoints are deferred.
    pub fn checkpoint_if_due(&self) -> Result<writ_sqlite::Checkpoint, StoreError> {
        match &self.deferred {
            Some(d) => Ok(d.run_if_due(&self.conn)?),
            None => Ok(writ_sqlite::Checkpoint::NotDue),
        }
    }

    /// Opens a batch: every change until [`Store::commit_batch`] joins one
    /// write transaction (each operation in its own savepoint, so a failed
    /// one still changes nothing). A server that answers only after its
    /// batch is committed and synced pays one commit for many requests.
    pub fn begin_batch(&self) -> Result<(), StoreError> {
        writ_sqlite::begin_batch(&self.conn)?;
        Ok(())
    }

    /// Commits the open batch (a no-op without one).
    pub fn commit_batch(&self) -> Result<(), StoreError> {
        writ_sqlite::commit_batch(&self.conn)?;
        Ok(())
    }

    /// Rolls the open batch back (a no-op without one).
    pub fn rollback_batch(&self) -> Result<(), StoreError> {
        writ_sqlite::rollback_batch(&self.conn)?;
        Ok(())
    }

    /// The session tables, on the store's connection.
    fn tables(&self) -> SessionTables<'_> {
        SessionTables::on(&self.conn)
    }

    /// A session's state (empty when the session is new).
    pub fn session(&self, id: &str) -> Result<SessionState, StoreError> {
        self.tables().session(id)
    }

    /// Applies `change` to a session's state atomically and returns the new state.
    pub fn update_session(
        &mut self,
        id: &str,
        change: impl FnOnce(&mut SessionState),
    ) -> Result<SessionState, StoreError> {
        self.tables().update_session(id, change)
    }

    /// Records a decision taken before a tool runs
    /// ([`SessionTables::record_decision`]).
    pub fn record_decision(
        &mut self,
        session: &str,
        call_id: Option<&str>,
        decision: &Decision,
        immediate: Option<&StepRecord>,
    ) -> Result<i64, StoreError> {
        self.tables()
            .record_decision(session, call_id, decision, immediate)
    }

    /// Closes the open decision of a tool call ([`SessionTables::close_step`]).
    pub fn close_step(
        &mut self,
        session: &str,
        call_id: Option<&str>,
        step: &StepRecord,
    ) -> Result<SessionState, StoreError> {
        self.tables().close_step(session, call_id, step)
    }

    /// Records that an action waits for approval (idempotent per id).
    pub fn request_approval(&mut self, request: &ApprovalRequest) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO approval_requests (id, session, tool, arguments, jurisdictions, reasons, summary)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(id) DO UPDATE SET status = CASE WHEN status = 'granted' THEN status ELSE 'pending' END",
            params![
                request.id,
                request.session,
                request.tool,
                request.arguments.to_string(),
                to_json("request's jurisdictions", &request.jurisdictions)?,
                to_json("request's reasons", &request.reasons)?,
                request.summary
            ],
        )?;
        Ok(())
    }

    /// Approval requests, newest first; only pending ones unless `all`.
    pub fn approval_requests(&self, all: bool) -> Result<Vec<ApprovalRequest>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, session, tool, arguments, jurisdictions, reasons, summary, created_at, status
             FROM approval_requests WHERE ?1 OR status = 'pending' ORDER BY created_at DESC",
        )?;
        let rows = stmt.query_map(params![all], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, session, tool, arguments, jurisdictions, reasons, summary, created_at, status) =
                row?;
            let corrupt = |e: serde_json::Error| StoreError::Corrupt {
                session: session.clone(),
                message: e.to_string(),
            };
            out.push(ApprovalRequest {
                arguments: serde_json::from_str(&arguments).map_err(corrupt)?,
                jurisdictions: serde_json::from_str(&jurisdictions).map_err(corrupt)?,
                reasons: serde_json::from_str(&reasons).map_err(corrupt)?,
                id,
                session: session.clone(),
                tool,
                summary,
                created_at,
                status,
            });
        }
        Ok(out)
    }

    /// One approval request by id, or by a unique prefix of it.
    pub fn approval_request(&self, id: &str) -> Result<Option<ApprovalRequest>, StoreError> {
        let matches: Vec<ApprovalRequest> = self
            .approval_requests(true)?
            .into_iter()
            .filter(|r| {
                let hex = r.id.strip_prefix("sha256:").unwrap_or(&r.id);
                !id.is_empty() && (r.id == id || hex.starts_with(id))
            })
            .collect();
        Ok(if matches.len() == 1 {
            matches.into_iter().next()
        } else {
            None
        })
    }

    /// Stores a granted approval for a request and marks the request.
    pub fn grant(
        &mut self,
        request_id: &str,
        approval: &writ_core::Approval,
    ) -> Result<String, StoreError> {
        let id = approval.id();
        let record = to_json("approval", approval)?;
        let tx = Write::begin(&self.conn)?;
        tx.execute(
            "INSERT OR IGNORE INTO approvals (id, request, tool, record) VALUES (?1, ?2, ?3, ?4)",
            params![id, request_id, approval.tool, record],
        )?;
        tx.execute(
            "UPDATE approval_requests SET status = 'granted' WHERE id = ?1",
            params![request_id],
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Marks a request denied.
    pub fn deny(&mut self, request_id: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE approval_requests SET status = 'denied' WHERE id = ?1",
            params![request_id],
        )?;
        Ok(())
    }

    /// Unused approvals for `tool` (the engine checks arguments, approver and time).
    pub fn approvals_for(&self, tool: &str) -> Result<Vec<writ_core::Approval>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT record FROM approvals WHERE tool = ?1 AND used = 0")?;
        let rows = stmt.query_map(params![tool], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            let text = row?;
            out.push(
                serde_json::from_str(&text).map_err(|e| StoreError::Corrupt {
                    session: tool.to_owned(),
                    message: e.to_string(),
                })?,
            );
        }
        Ok(out)
    }

    /// Marks approvals used; returns how many were still unused. A caller
    /// that gets fewer than it asked for lost a race and must not release.
    pub fn use_approvals(&mut self, ids: &[String]) -> Result<usize, StoreError> {
        let tx = Write::begin(&self.conn)?;
        let mut n = 0;
        for id in ids {
            n += tx.execute(
                "UPDATE approvals SET used = 1 WHERE id = ?1 AND used = 0",
                params![id],
            )?;
        }
        tx.commit()?;
        Ok(n)
    }

    /// Number of decisions recorded.
    pub fn decision_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM decisions", [], |r| r.get(0))?)
    }
}

/// The store's session tables (sessions and decisions) on a connection the
/// store does not own: `writ serve` keeps them in the file of its proof log,
/// so that one transaction, and one fsync, covers a request's session
/// change, its receipts and its action record. [`Store`] runs the same
/// operations on its own file.
#[derive(Clone, Copy)]
pub struct SessionTables<'c> {
    conn: &'c Connection,
}

impl<'c> SessionTables<'c> {
    /// Creates the store's tables in `conn`'s database unless they are
    /// there at the current schema version (`PRAGMA user_version`).
    pub fn create(conn: &'c Connection) -> Result<SessionTables<'c>, StoreError> {
        let version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version != SCHEMA_VERSION {
            conn.execute_batch(&format!(
                "BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            ))?;
        }
        Ok(SessionTables { conn })
    }

    /// The tables on `conn`, which [`SessionTables::create`] made.
    pub fn on(conn: &'c Connection) -> SessionTables<'c> {
        SessionTables { conn }
    }

    /// A session's state (empty when the session is new).
    pub fn session(&self, id: &str) -> Result<SessionState, StoreError> {
        read_session(self.conn, id)
    }

    /// Applies `change` to a session's state atomically and returns the new state.
    pub fn update_session(
        &self,
        id: &str,
        change: impl FnOnce(&mut SessionState),
    ) -> Result<SessionState, StoreError> {
        let tx = Write::begin(self.conn)?;
        let state = change_session(&tx, id, change)?;
        tx.commit()?;
        Ok(state)
    }

    /// Records a decision taken before a tool runs. A decision that blocks,
    /// or that uses approvals, changes the session at once (a blocked tool
    /// never reports an outcome; an approval must not be usable twice).
    pub fn record_decision(
        &self,
        session: &str,
        call_id: Option<&str>,
        decision: &Decision,
        immediate: Option<&StepRecord>,
    ) -> Result<i64, StoreError> {
        let tx = Write::begin(self.conn)?;
        let json = to_json("decision", decision)?;
        let reasons = to_json("decision's reasons", &decision.reasons)?;
        tx.prepare_cached(
            "INSERT INTO decisions (session, call_id, tool, route, reasons, decision, closed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![session, call_id, decision.tool, decision.route.as_str(), reasons, json, immediate.is_some()])?;
        let seq = tx.last_insert_rowid();
        if let Some(step) = immediate {
            change_session(&tx, session, |state| state.record(step))?;
        }
        tx.commit()?;
        Ok(seq)
    }

    /// Folds a step into a session's state, recording no decision row:
    /// for a caller that keeps its decisions elsewhere (`writ serve` keeps
    /// them in its action records).
    pub fn record_step(
        &self,
        session: &str,
        step: &StepRecord,
    ) -> Result<SessionState, StoreError> {
        self.update_session(session, |state| state.record(step))
    }

    /// Closes the open decision of a tool call (if any) with the step it
    /// became, folding the step into the session.
    pub fn close_step(
        &self,
        session: &str,
        call_id: Option<&str>,
        step: &StepRecord,
    ) -> Result<SessionState, StoreError> {
        let tx = Write::begin(self.conn)?;
        if let Some(call_id) = call_id {
            let json = to_json("step", step)?;
            tx.prepare_cached(
                "UPDATE decisions SET closed = 1, step = ?3 WHERE session = ?1 AND call_id = ?2 AND closed = 0",
            )?
            .execute(params![session, call_id, json])?;
        }
        let state = change_session(&tx, session, |state| state.record(step))?;
        tx.commit()?;
        Ok(state)
    }
}

/// `value` as JSON text for a column; an error names `what` (nothing is
/// stored in its place).
fn to_json<T: serde::Serialize>(what: &'static str, value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Serialize {
        what,
        message: e.to_string(),
    })
}

fn read_session(conn: &Connection, id: &str) -> Result<SessionState, StoreError> {
    let text: Option<String> = conn
        .prepare_cached("SELECT state FROM sessions WHERE id = ?1")?
        .query_row(params![id], |r| r.get(0))
        .optional()?;
    match text {
        None => Ok(SessionState::default()),
        Some(t) => serde_json::from_str(&t).map_err(|e| StoreError::Corrupt {
            session: id.to_owned(),
            message: e.to_string(),
        }),
    }
}

/// Reads a session's state, applies `change` and writes it back, inside the
/// caller's transaction.
fn change_session(
    conn: &Connection,
    id: &str,
    change: impl FnOnce(&mut SessionState),
) -> Result<SessionState, StoreError> {
    let mut state = read_session(conn, id)?;
    change(&mut state);
    write_session(conn, id, &state)?;
    Ok(state)
}

fn write_session(conn: &Connection, id: &str, state: &SessionState) -> Result<(), StoreError> {
    let text = serde_json::to_string(state).map_err(|e| StoreError::Corrupt {
        session: id.to_owned(),
        message: e.to_string(),
    })?;
    conn.prepare_cached(
        "INSERT INTO sessions (id, state) VALUES (?1, ?2)
         ON CONFLICT(id) DO UPDATE SET state = excluded.state, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')",
    )?
    .execute(params![id, text])?;
    Ok(())
}

/// Held by the one keeper of a store while it runs: an exclusive lock on
/// the file beside the store (`writ.db-keeper`), which the system releases
/// when the keeper's process ends however it ends.
pub struct KeeperLock {
    path: std::path::PathBuf,
    _file: std::fs::File,
}

impl KeeperLock {
    /// Takes the keeper's lock of the store at `path`; `None` when another
    /// keeper holds it.
    pub fn take(path: &Path) -> Result<Option<KeeperLock>, StoreError> {
        let file = open_keeper_lock(path).map_err(StoreError::Keeper)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(KeeperLock {
                path: path.to_owned(),
                _file: file,
            })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(StoreError::Keeper(e)),
        }
    }

    /// Holds the store open while hooks use it, so that SQLite's WAL index
    /// outlives each hook process: a hook then neither reads the WAL back
    /// when it opens the store nor forgets what was checkpointed. Empties a
    /// long WAL first; then, while hooks commit, checkpoints passively
    /// (hooks go on committing) at most every [`KEEP_CHECKPOINT_EVERY`] and
    /// starts the WAL over itself, so no hook waits for that. Returns once
    /// the WAL has not changed for `idle` (its own commits aside), the
    /// store is gone, or `stop` says so. With `checkpoints` false it leaves
    /// checkpoints to whoever commits ([`Store::checkpoint_and_start_over`]
    /// between commits: `writ::keeper`, which commits for hooks).
    pub fn keep(
        &self,
        idle: Duration,
        stop: impl Fn() -> bool,
        checkpoints: bool,
    ) -> Result<(), StoreError> {
        let path = self.path.as_path();
        let store = Store::open(path)?;
        if Store::wal_is_long(path) {
            store.empty_wal()?;
        }
        let wal_changed_at = |p: &Path| {
            std::fs::metadata(writ_sqlite::wal_path(p))
                .and_then(|m| m.modified())
                .ok()
        };
        let mut seen = wal_changed_at(path);
        let mut last_change = Instant::now();
        let mut last_checkpoint = Instant::now();
        let mut uncheckpointed = false;
        loop {
            std::thread::sleep(KEEP_POLL);
            if !path.exists() || stop() {
                return Ok(());
            }
            let changed_at = wal_changed_at(path);
            if changed_at != seen {
                seen = changed_at;
                last_change = Instant::now();
                uncheckpointed = true;
            } else if last_change.elapsed() >= idle {
                return Ok(());
            }
            if checkpoints && uncheckpointed && last_checkpoint.elapsed() >= KEEP_CHECKPOINT_EVERY {
                if store.checkpoint_and_start_over(KEEP_CATCH_UP_TRIES)? {
                    // Its own commit is no sign of hooks at work.
                    seen = wal_changed_at(path);
                }
                last_checkpoint = Instant::now();
                uncheckpointed = false;
            }
        }
    }
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

    #[test]
    fn a_batch_commits_together_and_a_rollback_forgets_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("writ.db");
        let mut store = Store::open(&path).unwrap();
        let blocked = |s: &mut SessionState| s.blocked += 1;

        store.begin_batch().unwrap();
        store.update_session("s", blocked).unwrap();
        store.update_session("s", blocked).unwrap();
        // Another connection does not see the batch before it commits.
        let other = Connection::open(&path).unwrap();
        assert_eq!(read_session(&other, "s").unwrap().blocked, 0);
        store.commit_batch().unwrap();
        assert_eq!(read_session(&other, "s").unwrap().blocked, 2);

        store.begin_batch().unwrap();
        store.update_session("s", blocked).unwrap();
        store.rollback_batch().unwrap();
        assert_eq!(store.session("s").unwrap().blocked, 2);
        // Outside a batch each change commits on its own again.
        store.update_session("s", blocked).unwrap();
        assert_eq!(read_session(&other, "s").unwrap().blocked, 3);
    }

    #[test]
    fn opening_a_store_whose_wal_outgrew_the_checkpoint_empties_the_wal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("writ.db");
        let wal = dir.path().join("writ.db-wal");
        {
            let mut store = Store::open(&path).unwrap();
            // Commits never checkpoint: the WAL only grows.
            store.defer_checkpoints(u32::MAX).unwrap();
            let text = "x".repeat(8000);
            for i in 0..1200 {
                store
                    .update_session(&format!("s{i}"), |s| {
                        s.read_labels.insert(text.clone());
                    })
                    .unwrap();
            }
        }
        assert!(std::fs::metadata(&wal).unwrap().len() > WAL_TRUNCATE_BYTES);
        let store = Store::open(&path).unwrap();
        assert_eq!(std::fs::metadata(&wal).unwrap().len(), 0);
        assert_eq!(store.session("s1199").unwrap().read_labels.len(), 1);
    }

    /// One hook call after another, each a connection of its own that no
    /// other overlaps (so each rebuilds the WAL index, as a new process
    /// does): none of them checkpoints, whatever the WAL's length below the
    /// hard limit. Under SQLite's default threshold every call past it
    /// copied the whole WAL into the database again.
    #[test]
    fn hook_calls_never_checkpoint_and_compact_empties_the_wal_keeping_every_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("writ.db");
        let wal = dir.path().join("writ.db-wal");
        Store::open(&path).unwrap();
        let database_len = std::fs::metadata(&path).unwrap().len();
        let text = "x".repeat(3000);
        let mut calls = 0;
        while std::fs::metadata(&wal).unwrap().len() <= 3 * WAL_COMPACT_BYTES {
            let mut store = Store::open(&path).unwrap();
            store
                .update_session(&format!("s{calls}"), |s| {
                    s.steps = calls;
                    s.untrusted_text = text.clone();
                })
                .unwrap();
            calls += 1;
        }
        assert!(calls > 100, "{calls}");
        assert!(Store::wal_is_long(&path));
        assert_eq!(std::fs::metadata(&path).unwrap().len(), database_len);

        Store::compact(&path).unwrap();
        assert_eq!(std::fs::metadata(&wal).unwrap().len(), 0);
        assert!(!Store::wal_is_long(&path));
        assert!(std::fs::metadata(&path).unwrap().len() > database_len);
        let store = Store::open(&path).unwrap();
        for call in 0..calls {
            assert_eq!(store.session(&format!("s{call}")).unwrap().steps, call);
        }
        // A store that does not exist is left alone.
        Store::compact(&dir.path().join("absent.db")).unwrap();
        assert!(!dir.path().join("absent.db").exists());
    }

    /// The salt of a WAL's header: SQLite changes it whenever it starts
    /// the WAL over.
    fn wal_salt(wal: &Path) -> Vec<u8> {
        let bytes = std::fs::read(wal).unwrap_or_default();
        bytes.get(16..24).map(<[u8]>::to_vec).unwrap_or_default()
    }

    /// After its checkpoint the keeper starts the WAL over itself, with no
    /// hook committing; the next hook's commit then follows the keeper's
    /// instead of writing (and fsyncing) a new WAL header. Nothing is lost,
    /// and the keeper's own commit does not keep it from going idle.
    #[test]
    fn the_keeper_starts_the_wal_over_itself_so_no_hook_has_to() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("writ.db");
        let wal = dir.path().join("writ.db-wal");
        let hook = |n: u32| {
            Store::open(&path)
                .unwrap()
                .update_session(&format!("s{n}"), |s| s.steps = n)
                .unwrap();
        };
        hook(0);
        // Idle long enough that a loaded machine (CI beside other builds)
        // still has the hook below commit while the keeper waits.
        let keeper = {
            let path = path.clone();
            std::thread::spawn(move || Store::keep(&path, Duration::from_secs(6)))
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while !Store::keeper_running(&path) {
            assert!(Instant::now() < deadline, "the keeper did not start");
            std::thread::sleep(Duration::from_millis(10));
        }
        hook(1);
        let before = wal_salt(&wal);
        while wal_salt(&wal) == before {
            assert!(
                Instant::now() < deadline,
                "the keeper did not start the WAL over"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let restarted = wal_salt(&wal);
        hook(2);
        assert_eq!(wal_salt(&wal), restarted, "the hook started the WAL over");
        keeper.join().unwrap().unwrap();
        let store = Store::open(&path).unwrap();
        for n in 0..3 {
            assert_eq!(store.session(&format!("s{n}")).unwrap().steps, n);
        }
    }

    #[test]
    fn a_store_records_its_schema_version_and_reopens_without_recreating_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("writ.db");
        let version = |conn: &Connection| -> u32 {
            conn.query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(version(&Store::open(&path).unwrap().conn), SCHEMA_VERSION);
        // A store made before the version was recorded gets it on opening.
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 0)
            .unwrap();
        let store = Store::open(&path).unwrap();
        assert_eq!(version(&store.conn), SCHEMA_VERSION);
        assert_eq!(store.decision_count().unwrap(), 0);
    }
}
