//! SQLite-backed append-only Merkle log.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};
use writ_sqlite::Write;

use crate::checkpoint::Checkpoint;
use crate::merkle::{
    Hash, NodeSource, ProofError, leaf_hash, node_hash, path_from_source, root_from_source,
    subproof_from_source,
};

/// Schema version stored in `meta`.
const SCHEMA_VERSION: i64 = 1;

/// Errors from the ledger store.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// SQLite failed.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A leaf index is not inside the requested tree.
    #[error("leaf index {index} is not below tree size {size}")]
    IndexOutOfRange {
        /// Requested index.
        index: u64,
        /// Tree size.
        size: u64,
    },
    /// A tree size beyond the log's current size was requested.
    #[error("tree size {requested} exceeds log size {size}")]
    SizeOutOfRange {
        /// Requested tree size.
        requested: u64,
        /// Current log size.
        size: u64,
    },
    /// A consistency proof was requested with `old > new`.
    #[error("old tree size {old} exceeds new tree size {new}")]
    SizeOrder {
        /// Old size.
        old: u64,
        /// New size.
        new: u64,
    },
    /// The database does not contain what the log structure requires.
    #[error("ledger database is corrupt: {0}")]
    Corrupt(String),
    /// The database was written by an incompatible version.
    #[error("unsupported ledger schema version {0}")]
    UnsupportedSchema(i64),
    /// The log would exceed 2^62 leaves.
    #[error("ledger is full")]
    Full,
}

impl From<ProofError> for LedgerError {
    fn from(e: ProofError) -> Self {
        match e {
            ProofError::IndexOutOfRange { index, size } => Self::IndexOutOfRange { index, size },
            ProofError::SizeOrder { old, new } => Self::SizeOrder { old, new },
            other => Self::Corrupt(other.to_string()),
        }
    }
}

/// SQLite `synchronous` setting used with WAL. See the crate docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Synchronous {
    /// `synchronous=FULL`: the WAL is fsynced at every commit, so an
    /// acknowledged append survives power loss and OS crashes. Default.
    #[default]
    Full,
    /// `synchronous=NORMAL`: survives a crash of the process, but the last
    /// commits before a power loss or OS crash may be rolled back.
    Normal,
}

/// File name of the log in a writ data directory, beside its keys
/// ([`crate::keys::SKEY_FILE`], [`crate::keys::VKEY_FILE`]).
pub const LEDGER_FILE: &str = "ledger.db";

/// Options for [`Ledger::open_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LedgerOptions {
    /// Durability of commits.
    pub synchronous: Synchronous,
    /// Checkpoint the WAL when a commit leaves it this many pages long
    /// (SQLite's `wal_autocheckpoint`); `None`: SQLite's default, 1,000.
    pub autocheckpoint: Option<u32>,
    /// How long a write waits for the write lock another connection holds
    /// before it fails (SQLite's busy timeout); `None`: [`DEFAULT_LOCK_WAIT`].
    pub lock_wait: Option<Duration>,
}

/// How long a write waits for another connection's write lock by default.
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(30);

/// An append-only RFC 9162 Merkle log stored in one SQLite file.
///
/// Tables: `leaves(idx, hash, data)` holds every entry and its leaf hash;
/// `nodes(level, idx, hash)` holds every complete (perfect) subtree above
/// the leaves, written in the same transaction as the leaf that completes
/// it. Roots and proofs for any tree size are assembled from O(log n)
/// stored nodes per proof hash; nothing is re-hashed from the leaves.
/// Triggers reject `UPDATE` and `DELETE` on both tables.
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
    size: u64,
    /// Perfect subtrees covering `[0, size)`, left (largest) to right:
    /// `(level, hash)`. Lets appends and the current root avoid reads.
    frontier: Vec<(u32, Hash)>,
    /// Set by [`Ledger::defer_checkpoints`].
    deferred: Option<writ_sqlite::DeferredCheckpoint>,
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger")
            .field("path", &self.path)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

fn to_i64(v: u64) -> Result<i64, LedgerError> {
    i64::try_from(v).map_err(|_| LedgerError::Full)
}

fn to_hash(bytes: Vec<u8>, what: &str) -> Result<Hash, LedgerError> {
    bytes
        .try_into()
        .map_err(|_| LedgerError::Corrupt(format!("{what} is not 32 bytes")))
}

/// Reads stored nodes through cached prepared statements.
struct DbNodes<'a> {
    conn: &'a Connection,
}

impl NodeSource for DbNodes<'_> {
    type Error = LedgerError;
    fn node(&mut self, level: u32, index: u64) -> Result<Hash, LedgerError> {
        let idx = to_i64(index)?;
        let row: Option<Vec<u8>> = if level == 0 {
            self.conn
                .prepare_cached("SELECT hash FROM leaves WHERE idx = ?1")?
                .query_row(params![idx], |r| r.get(0))
                .optional()?
        } else {
            self.conn
                .prepare_cached("SELECT hash FROM nodes WHERE level = ?1 AND idx = ?2")?
                .query_row(params![level, idx], |r| r.get(0))
                .optional()?
        };
        let bytes = row.ok_or_else(|| {
            LedgerError::Corrupt(format!("missing node at level {level} index {index}"))
        })?;
        to_hash(bytes, "node hash")
    }
}

fn read_size(conn: &Connection) -> Result<u64, LedgerError> {
    // Run under the write lock of every append: prepared once per connection.
    let max: Option<i64> = conn
        .prepare_cached("SELECT MAX(idx) FROM leaves")?
        .query_row([], |r| r.get(0))?;
    match max {
        None => Ok(0),
        Some(m) => u64::try_from(m)
            .ok()
            .and_then(|m| m.checked_add(1))
            .ok_or_else(|| LedgerError::Corrupt("negative leaf index".into())),
    }
}

fn load_frontier(conn: &Connection, size: u64) -> Result<Vec<(u32, Hash)>, LedgerError> {
    let mut src = DbNodes { conn };
    let mut frontier = Vec::new();
    let mut pos = 0u64;
    for level in (0..64u32).rev() {
        if size & (1u64 << level) != 0 {
            frontier.push((level, src.node(level, pos >> level)?));
            pos += 1u64 << level;
        }
    }
    Ok(frontier)
}

fn fold_frontier(frontier: &[(u32, Hash)]) -> Hash {
    let mut it = frontier.iter().rev();
    let Some((_, last)) = it.next() else {
        return crate::merkle::empty_root();
    };
    it.fold(*last, |acc, (_, left)| node_hash(left, &acc))
}

/// Inserts `items` as leaves `size..` with the subtrees they complete;
/// returns the new size and frontier.
fn insert_leaves<T: AsRef<[u8]>>(
    tx: &Connection,
    mut size: u64,
    mut frontier: Vec<(u32, Hash)>,
    items: &[T],
) -> Result<(u64, Vec<(u32, Hash)>), LedgerError> {
    let mut ins_leaf =
        tx.prepare_cached("INSERT INTO leaves (idx, hash, data) VALUES (?1, ?2, ?3)")?;
    let mut ins_node =
        tx.prepare_cached("INSERT INTO nodes (level, idx, hash) VALUES (?1, ?2, ?3)")?;
    for data in items {
        let data = data.as_ref();
        if size >= 1u64 << 62 {
            return Err(LedgerError::Full);
        }
        let h = leaf_hash(data);
        ins_leaf.execute(params![to_i64(size)?, &h[..], data])?;
        let mut node = (0u32, h);
        let mut idx = size;
        while idx & 1 == 1 {
            let Some((left_level, left)) = frontier.pop() else {
                return Err(LedgerError::Corrupt("frontier underflow".into()));
            };
            if left_level != node.0 {
                return Err(LedgerError::Corrupt("frontier level mismatch".into()));
            }
            idx >>= 1;
            node = (node.0 + 1, node_hash(&left, &node.1));
            ins_node.execute(params![node.0, to_i64(idx)?, &node.1[..]])?;
        }
        frontier.push(node);
        size += 1;
    }
    Ok((size, frontier))
}

impl Ledger {
    /// Opens (creating if needed) the ledger at `path` with default options
    /// (WAL, `synchronous=FULL`).
    pub fn open(path: impl AsRef<Path>) -> Result<Self, LedgerError> {
        Self::open_with(path, LedgerOptions::default())
    }

    /// Opens (creating if needed) the ledger at `path`.
    pub fn open_with(path: impl AsRef<Path>, opts: LedgerOptions) -> Result<Self, LedgerError> {
        let path = path.as_ref().to_path_buf();
        let conn = Connection::open(&path)?;
        conn.busy_timeout(opts.lock_wait.unwrap_or(DEFAULT_LOCK_WAIT))?;
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(LedgerError::Corrupt(format!(
                "could not enable wal mode (got {mode})"
            )));
        }
        conn.execute_batch(match opts.synchronous {
            Synchronous::Full => "PRAGMA synchronous=FULL;",
            Synchronous::Normal => "PRAGMA synchronous=NORMAL;",
        })?;
        conn.execute_batch("PRAGMA cache_size=-16000;")?;
        if let Some(pages) = opts.autocheckpoint {
            conn.pragma_update(None, "wal_autocheckpoint", pages)?;
        }
        Self::init_schema(&conn)?;
        let size = read_size(&conn)?;
        let frontier = load_frontier(&conn, size)?;
        Ok(Self {
            conn,
            path,
            size,
            frontier,
            deferred: None,
        })
    }

    fn init_schema(conn: &Connection) -> Result<(), LedgerError> {
        conn.execute_batch(
            "BEGIN IMMEDIATE;
             CREATE TABLE IF NOT EXISTS meta (
                 key TEXT PRIMARY KEY,
                 value INTEGER NOT NULL
             );
             CREATE TABLE IF NOT EXISTS leaves (
                 idx  INTEGER PRIMARY KEY,
                 hash BLOB NOT NULL CHECK (length(hash) = 32),
                 data BLOB NOT NULL
             );
             CREATE TABLE IF NOT EXISTS nodes (
                 level INTEGER NOT NULL,
                 idx   INTEGER NOT NULL,
                 hash  BLOB NOT NULL CHECK (length(hash) = 32),
                 PRIMARY KEY (level, idx)
             ) WITHOUT ROWID;
             CREATE TRIGGER IF NOT EXISTS leaves_no_update BEFORE UPDATE ON leaves
                 BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;
             CREATE TRIGGER IF NOT EXISTS leaves_no_delete BEFORE DELETE ON leaves
                 BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;
             CREATE TRIGGER IF NOT EXISTS nodes_no_update BEFORE UPDATE ON nodes
                 BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;
             CREATE TRIGGER IF NOT EXISTS nodes_no_delete BEFORE DELETE ON nodes
                 BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;
             INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', 1);
             COMMIT;",
        )?;
        let v: i64 = conn.query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )?;
        if v != SCHEMA_VERSION {
            return Err(LedgerError::UnsupportedSchema(v));
        }
        Ok(())
    }

    /// The log's connection, for tables of the caller's beside the log's
    /// in the same file, so that one transaction (and, with
    /// [`Synchronous::Normal`], one WAL fsync) covers the log and them:
    /// `writ serve` keeps its principals, actions and sessions there. The
    /// log's own tables are append-only (triggers refuse the rest), and
    /// entries go in only through [`Ledger::append`] and its kin, which
    /// keep the tree's frontier.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The log's WAL file, to fsync after commits made with
    /// [`Synchronous::Normal`] (group commit outside the write lock).
    pub fn wal_files(&self) -> writ_sqlite::WalFiles {
        writ_sqlite::WalFiles::new([self.path.clone()])
    }

    /// Number of entries this handle knows of (all committed entries unless
    /// another process appended since; see [`Ledger::refresh`]).
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Re-reads the size from the database (other processes may append)
    /// and returns it.
    pub fn refresh(&mut self) -> Result<u64, LedgerError> {
        let size = read_size(&self.conn)?;
        if size != self.size {
            self.frontier = load_frontier(&self.conn, size)?;
            self.size = size;
        }
        Ok(size)
    }

    /// Appends one entry and returns its index. Durable when this returns.
    pub fn append(&mut self, data: &[u8]) -> Result<u64, LedgerError> {
        let range = self.append_iter(std::iter::once(data))?;
        Ok(range.start)
    }

    /// Appends all `items` in one transaction (group commit) and returns
    /// their index range. Either all are appended or none.
    pub fn append_batch(&mut self, items: &[Vec<u8>]) -> Result<Range<u64>, LedgerError> {
        self.append_iter(items.iter().map(Vec::as_slice))
    }

    fn append_iter<'a>(
        &mut self,
        items: impl Iterator<Item = &'a [u8]>,
    ) -> Result<Range<u64>, LedgerError> {
        let items: Vec<&[u8]> = items.collect();
        self.append_with(|_| Ok::<_, LedgerError>(items))
    }

    /// Appends, in one transaction (group commit), the items `make` returns
    /// when given the index the first of them will get, so entries can
    /// reference the leaf indices of earlier entries of the same batch.
    /// `make` runs under the write lock. Returns the items' index range.
    /// Either all are appended or none; if `make` fails, none is.
    pub fn append_batch_with<E, F>(&mut self, make: F) -> Result<Range<u64>, E>
    where
        E: From<LedgerError>,
        F: FnOnce(u64) -> Result<Vec<Vec<u8>>, E>,
    {
        self.append_with(make)
    }

    fn append_with<T, E, F>(&mut self, make: F) -> Result<Range<u64>, E>
    where
        T: AsRef<[u8]>,
        E: From<LedgerError>,
        F: FnOnce(u64) -> Result<Vec<T>, E>,
    {
        let tx = Write::begin(&self.conn).map_err(LedgerError::from)?;
        // Under the write lock: pick up appends made by other handles.
        let size = read_size(&tx)?;
        let frontier = if size == self.size {
            self.frontier.clone()
        } else {
            load_frontier(&tx, size)?
        };
        let items = make(size)?;
        let (end, frontier) = insert_leaves(&tx, size, frontier, &items)?;
        tx.commit().map_err(LedgerError::from)?;
        self.size = end;
        self.frontier = frontier;
        Ok(size..end)
    }

    /// Commits stop checkpointing the WAL; once it has `pages` pages,
    /// [`Ledger::checkpoint_if_due`] has a thread of its own do it (see
    /// [`writ_sqlite::DeferredCheckpoint`]).
    pub fn defer_checkpoints(&mut self, pages: u32) -> Result<(), LedgerError> {
        self.deferred = Some(writ_sqlite::DeferredCheckpoint::install(
            &mut self.conn,
            pages,
        )?);
        Ok(())
    }

    /// Starts (or, with a WAL twice as long, runs) a due checkpoint if
    /// checkpoints are deferred.
    pub fn checkpoint_if_due(&self) -> Result<writ_sqlite::Checkpoint, LedgerError> {
        match &self.deferred {
            Some(d) => Ok(d.run_if_due(&self.conn)?),
            None => Ok(writ_sqlite::Checkpoint::NotDue),
        }
    }

    /// Opens a batch: every append until [`Ledger::commit_batch`] joins one
    /// write transaction (each append in its own savepoint, so a failed one
    /// still appends nothing). Appends are durable only once the batch is
    /// committed and synced.
    pub fn begin_batch(&self) -> Result<(), LedgerError> {
        writ_sqlite::begin_batch(&self.conn)?;
        Ok(())
    }

    /// Commits the open batch (a no-op without one).
    pub fn commit_batch(&self) -> Result<(), LedgerError> {
        writ_sqlite::commit_batch(&self.conn)?;
        Ok(())
    }

    /// Rolls the open batch back and forgets its appends.
    pub fn rollback_batch(&mut self) -> Result<(), LedgerError> {
        writ_sqlite::rollback_batch(&self.conn)?;
        self.refresh()?;
        Ok(())
    }

    fn check_size(&self, size: u64) -> Result<(), LedgerError> {
        if size > self.size {
            return Err(LedgerError::SizeOutOfRange {
                requested: size,
                size: self.size,
            });
        }
        Ok(())
    }

    /// Root hash of the current tree.
    pub fn current_root(&self) -> Hash {
        fold_frontier(&self.frontier)
    }

    /// Root hash of the tree made of the first `size` entries.
    pub fn root(&self, size: u64) -> Result<Hash, LedgerError> {
        self.check_size(size)?;
        if size == self.size {
            return Ok(self.current_root());
        }
        root_from_source(&mut DbNodes { conn: &self.conn }, size)
    }

    /// The data of entry `index`.
    pub fn leaf(&self, index: u64) -> Result<Vec<u8>, LedgerError> {
        self.check_index(index, self.size)?;
        self.conn
            .prepare_cached("SELECT data FROM leaves WHERE idx = ?1")?
            .query_row(params![to_i64(index)?], |r| r.get(0))
            .optional()?
            .ok_or_else(|| LedgerError::Corrupt(format!("missing leaf {index}")))
    }

    /// The stored RFC 9162 leaf hash of entry `index`.
    pub fn leaf_hash(&self, index: u64) -> Result<Hash, LedgerError> {
        self.check_index(index, self.size)?;
        DbNodes { conn: &self.conn }.node(0, index)
    }

    fn check_index(&self, index: u64, size: u64) -> Result<(), LedgerError> {
        if index >= size {
            return Err(LedgerError::IndexOutOfRange { index, size });
        }
        Ok(())
    }

    /// Inclusion proof of entry `index` in the tree of `size` entries
    /// (RFC 9162 §2.1.3.1), ordered from the leaf upwards.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, LedgerError> {
        self.check_size(size)?;
        self.check_index(index, size)?;
        let mut out = Vec::new();
        path_from_source(&mut DbNodes { conn: &self.conn }, index, 0, size, &mut out)?;
        Ok(out)
    }

    /// Consistency proof between the trees of `old` and `new` entries
    /// (RFC 9162 §2.1.4.1). Empty when `old == 0` or `old == new`.
    pub fn consistency_proof(&self, old: u64, new: u64) -> Result<Vec<Hash>, LedgerError> {
        self.check_size(new)?;
        if old > new {
            return Err(LedgerError::SizeOrder { old, new });
        }
        let mut out = Vec::new();
        if old == 0 || old == new {
            return Ok(out);
        }
        subproof_from_source(
            &mut DbNodes { conn: &self.conn },
            old,
            0,
            new,
            true,
            &mut out,
        )?;
        Ok(out)
    }

    /// An unsigned checkpoint of the current tree. Sign it with
    /// [`Checkpoint::sign`].
    pub fn checkpoint(&self, origin: &str) -> Checkpoint {
        Checkpoint::new(origin, self.size, self.current_root())
    }

    /// Recomputes every leaf hash from its data and every stored subtree
    /// from its children, and checks the row counts. O(n); meant for
    /// audits and tests, not the hot path.
    pub fn verify_integrity(&self) -> Result<(), LedgerError> {
        let mut level_hashes: Vec<Hash> = Vec::new();
        {
            let mut stmt = self
                .conn
                .prepare("SELECT idx, hash, data FROM leaves ORDER BY idx")?;
            let mut rows = stmt.query([])?;
            let mut expected = 0i64;
            while let Some(row) = rows.next()? {
                let idx: i64 = row.get(0)?;
                if idx != expected {
                    return Err(LedgerError::Corrupt(format!("leaf {expected} missing")));
                }
                let stored = to_hash(row.get(1)?, "leaf hash")?;
                let data: Vec<u8> = row.get(2)?;
                if leaf_hash(&data) != stored {
                    return Err(LedgerError::Corrupt(format!("leaf {idx} hash mismatch")));
                }
                level_hashes.push(stored);
                expected += 1;
            }
        }
        if level_hashes.len() as u64 != self.size {
            return Err(LedgerError::Corrupt("leaf count differs from size".into()));
        }
        let mut src = DbNodes { conn: &self.conn };
        let mut level = 0u32;
        let mut total_nodes = 0u64;
        while level_hashes.len() > 1 {
            level += 1;
            let parents: Vec<Hash> = level_hashes
                .chunks_exact(2)
                .map(|p| match p {
                    [l, r] => node_hash(l, r),
                    _ => [0u8; 32],
                })
                .collect();
            for (i, p) in parents.iter().enumerate() {
                if src.node(level, i as u64)? != *p {
                    return Err(LedgerError::Corrupt(format!(
                        "node level {level} index {i} mismatch"
                    )));
                }
            }
            total_nodes += parents.len() as u64;
            level_hashes = parents;
        }
        let stored_nodes: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM nodes", [], |r| r.get(0))?;
        if u64::try_from(stored_nodes).ok() != Some(total_nodes) {
            return Err(LedgerError::Corrupt("unexpected extra nodes".into()));
        }
        if fold_frontier(&load_frontier(&self.conn, self.size)?) != self.current_root() {
            return Err(LedgerError::Corrupt("frontier mismatch".into()));
        }
        Ok(())
    }
}
