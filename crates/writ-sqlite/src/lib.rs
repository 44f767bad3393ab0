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

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};

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
    /// Begins a change on `conn`. A shared reference will do: the stores
    /// that share one connection (the server's one database) each begin
    /// their changes on it, one at a time, on the thread that owns it.
    pub fn begin(conn: &'c Connection) -> rusqlite::Result<Write<'c>> {
        if conn.is_autocommit() {
            Transaction::new_unchecked(conn, TransactionBehavior::Immediate).map(Write::Alone)
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

/// Checkpoints a connection's WAL when its owner chooses, and mostly on a
/// thread of its own, not inside the commit that made it long. SQLite's
/// automatic checkpoint runs in the commit, so whoever committed waits for
/// it: copying the WAL's pages into the database and two fsyncs, several
/// milliseconds for a long WAL. A server that answers a batch only after
/// its commit would make every request queued behind it wait that long.
///
/// So commits only note how long the WAL is, and the owner calls
/// [`DeferredCheckpoint::run_if_due`] after its commits, from the
/// connection's thread. Once the WAL has `threshold` pages, that wakes a
/// checkpoint thread with a connection of its own, which copies the pages
/// while the owner goes on committing. A writer starts the WAL over only
/// when every frame in it is in the database, and a checkpoint that ran
/// beside a commit leaves that commit's frames behind; under steady load
/// the WAL would grow for ever. So at twice the threshold the owner
/// checkpoints on its own connection, between commits: it copies only
/// what the thread has not, and its next commit starts the WAL over.
pub struct DeferredCheckpoint {
    /// The WAL's length in pages after the last commit.
    frames: Arc<AtomicI32>,
    threshold: i32,
    wake: mpsc::SyncSender<()>,
    background_runs: Arc<AtomicU64>,
}

/// What [`DeferredCheckpoint::run_if_due`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checkpoint {
    /// The WAL is shorter than the threshold.
    NotDue,
    /// The checkpoint thread was woken (or was still running).
    Woken,
    /// Checkpointed on the owner's connection, to let the WAL start over.
    RanHere,
}

impl DeferredCheckpoint {
    /// Replaces `conn`'s automatic checkpoint, and starts the checkpoint
    /// thread with its own connection to the same file.
    pub fn install(conn: &mut Connection, threshold_pages: u32) -> rusqlite::Result<Self> {
        let path = match conn.path() {
            Some(path) if !path.is_empty() => PathBuf::from(path),
            _ => {
                return Err(rusqlite::Error::InvalidPath(PathBuf::from(
                    "(checkpoints can be deferred only for a database file)",
                )));
            }
        };
        let background = Connection::open(&path)?;
        let frames = Arc::new(AtomicI32::new(0));
        let seen = frames.clone();
        conn.wal_hook(Some(move |_: &mut rusqlite::hooks::Wal, pages| {
            seen.store(pages, Ordering::Relaxed);
            Ok(())
        }))?;
        let (wake, woken) = mpsc::sync_channel::<()>(1);
        let background_runs = Arc::new(AtomicU64::new(0));
        let runs = background_runs.clone();
        std::thread::Builder::new()
            .name("writ-checkpoint".into())
            .spawn(move || {
                while woken.recv().is_ok() {
                    match checkpoint_passive(&background) {
                        Ok(_) => runs.fetch_add(1, Ordering::Relaxed),
                        // Nothing is lost: the WAL keeps the frames, and
                        // the owner checkpoints at twice the threshold.
                        Err(e) => {
                            eprintln!("writ: checkpoint of `{}` failed: {e}", path.display());
                            0
                        }
                    };
                }
            })
            .map_err(|e| {
                rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
                    Some(format!("cannot start the checkpoint thread: {e}")),
                )
            })?;
        Ok(DeferredCheckpoint {
            frames,
            threshold: i32::try_from(threshold_pages).unwrap_or(i32::MAX),
            wake,
            background_runs,
        })
    }

    /// Wakes the checkpoint thread if the WAL has reached the threshold,
    /// or checkpoints on `conn` (passively: it waits for nobody) if it has
    /// reached twice that; says which.
    pub fn run_if_due(&self, conn: &Connection) -> rusqlite::Result<Checkpoint> {
        let frames = self.frames.load(Ordering::Relaxed);
        if frames >= self.threshold.saturating_mul(2) {
            checkpoint_passive(conn)?;
            // The next commit says how long the WAL is then.
            self.frames.store(0, Ordering::Relaxed);
            return Ok(Checkpoint::RanHere);
        }
        if frames >= self.threshold {
            // Full: a wake-up is pending already.
            let _ = self.wake.try_send(());
            return Ok(Checkpoint::Woken);
        }
        Ok(Checkpoint::NotDue)
    }

    /// How many checkpoints the checkpoint thread has completed.
    pub fn background_runs(&self) -> u64 {
        self.background_runs.load(Ordering::Relaxed)
    }
}

/// What a checkpoint found: the WAL's frames, and how many of them are
/// now in the database (all of them: the next commit starts the WAL over).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckpointFrames {
    pub log: i64,
    pub copied: i64,
}

/// A passive checkpoint: copies what it can without waiting for anyone
/// (if another connection is checkpointing, it does nothing).
pub fn checkpoint_passive(conn: &Connection) -> rusqlite::Result<CheckpointFrames> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
        Ok(CheckpointFrames {
            log: r.get(1)?,
            copied: r.get(2)?,
        })
    })
}

/// The file SQLite keeps beside the database at `db` under `suffix`
/// (`x.db` and `-wal` -> `x.db-wal`).
pub fn beside(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The WAL file of the database at `db` (`x.db` -> `x.db-wal`).
pub fn wal_path(db: &Path) -> PathBuf {
    beside(db, "-wal")
}

/// The WAL files of databases committed with `synchronous=NORMAL`, to be
/// made durable by one fsync each after many commits (group commit). A
/// commit in that mode writes its WAL frames without waiting for the disk;
/// fsync covers a whole file, whoever wrote it, so every commit made before
/// [`WalFiles::sync`] started is on disk when it returns. What a checkpoint
/// moves into the database file SQLite fsyncs itself in that mode.
#[derive(Debug)]
pub struct WalFiles {
    paths: Vec<PathBuf>,
    /// One thread per file but the last, started at the first sync and
    /// kept, so a round's fsyncs run at once (the file system can flush
    /// them in one journal commit) without spawning threads per round.
    helpers: Mutex<Vec<SyncHelper>>,
}

#[derive(Debug)]
struct SyncHelper {
    ask: mpsc::Sender<()>,
    done: mpsc::Receiver<Result<(), String>>,
}

impl WalFiles {
    /// The WAL files (`x.db` -> `x.db-wal`) of `databases`.
    pub fn new(databases: impl IntoIterator<Item = PathBuf>) -> WalFiles {
        let paths = databases.into_iter().map(|db| wal_path(&db)).collect();
        WalFiles {
            paths,
            helpers: Mutex::new(Vec::new()),
        }
    }

    /// The WAL files' paths.
    pub fn paths(&self) -> &[PathBuf] {
        &self.paths
    }

    /// fsyncs every WAL file that exists (a missing one holds nothing
    /// uncheckpointed), all at once; the error names the first file that
    /// failed.
    pub fn sync(&self) -> Result<(), String> {
        let Some((last, others)) = self.paths.split_last() else {
            return Ok(());
        };
        if others.is_empty() {
            // One file: callers on several threads fsync it side by side.
            return sync_file(last);
        }
        // The helpers answer one round at a time: a caller must get the
        // answer to its own request, not to one that started before its
        // commit.
        let mut helpers = self
            .helpers
            .lock()
            .map_err(|_| "a WAL sync panicked".to_owned())?;
        while helpers.len() < others.len() {
            let path = others
                .get(helpers.len())
                .cloned()
                .ok_or("no WAL file for a sync thread")?;
            let (ask, asked) = mpsc::channel::<()>();
            let (answer, done) = mpsc::channel();
            std::thread::Builder::new()
                .name("writ-wal-sync".into())
                .spawn(move || {
                    while asked.recv().is_ok() {
                        if answer.send(sync_file(&path)).is_err() {
                            break;
                        }
                    }
                })
                .map_err(|e| format!("cannot start a WAL sync thread: {e}"))?;
            helpers.push(SyncHelper { ask, done });
        }
        for helper in helpers.iter() {
            helper
                .ask
                .send(())
                .map_err(|_| "a WAL sync thread is gone".to_owned())?;
        }
        let mine = sync_file(last);
        // Every helper is waited for, so none still runs when this returns.
        let theirs: Vec<Result<(), String>> = helpers
            .iter()
            .map(|h| {
                h.done
                    .recv()
                    .unwrap_or_else(|_| Err("a WAL sync thread is gone".to_owned()))
            })
            .collect();
        theirs.into_iter().chain([mine]).collect()
    }
}

/// fsyncs the file at `path` if it exists.
fn sync_file(path: &Path) -> Result<(), String> {
    match std::fs::File::open(path) {
        Ok(file) => file
            .sync_data()
            .map_err(|e| format!("fsync `{}`: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("open `{}`: {e}", path.display())),
    }
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
    fn wal_files_sync_existing_files_skip_missing_ones_and_name_a_failure() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.db-wal"), b"frames").unwrap();
        let wal = WalFiles::new([dir.path().join("x.db"), dir.path().join("absent.db")]);
        assert_eq!(wal.paths()[0], dir.path().join("x.db-wal"));
        wal.sync().unwrap();
        // A WAL path under a regular file: opening it fails (not NotFound).
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, b"").unwrap();
        let why = WalFiles::new([blocker.join("x.db")]).sync().unwrap_err();
        assert!(
            why.starts_with("open `") && why.contains("x.db-wal"),
            "{why}"
        );
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

    fn insert_text(conn: &mut Connection, text: &str) {
        let w = Write::begin(conn).unwrap();
        w.execute("INSERT INTO t VALUES (?1)", [text]).unwrap();
        w.commit().unwrap();
    }

    /// Waits (up to 10 s) until the checkpoint thread has completed `n` runs.
    fn wait_for_runs(deferred: &DeferredCheckpoint, n: u64) {
        let start = std::time::Instant::now();
        while deferred.background_runs() < n {
            assert!(start.elapsed().as_secs() < 10, "no background checkpoint");
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }

    #[test]
    fn a_deferred_checkpoint_runs_on_its_thread_only_when_due_and_the_wal_then_starts_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        let mut conn = open(&path);
        // What the hook replaces: a checkpoint every 8 pages, in the commit.
        conn.pragma_update(None, "wal_autocheckpoint", 8).unwrap();
        let deferred = DeferredCheckpoint::install(&mut conn, 8).unwrap();
        let db_file = || std::fs::metadata(&path).unwrap().len();
        let wal_frames = |conn: &Connection| -> i64 { checkpoint_passive(conn).unwrap().log };
        let text = "x".repeat(3000);
        let mut rows = 0;
        // Each commit adds a few pages: the first at or past the threshold
        // (and short of twice it) wakes the thread.
        let due = loop {
            insert_text(&mut conn, &text);
            rows += 1;
            match deferred.run_if_due(&conn).unwrap() {
                Checkpoint::NotDue => continue,
                due => break due,
            }
        };
        assert_eq!(due, Checkpoint::Woken);
        assert!(rows > 2, "{rows}");
        wait_for_runs(&deferred, 1);
        // Commits did not checkpoint, the thread did: the rows are in the
        // database file.
        assert!(db_file() > rows * 3000, "{}", db_file());
        // Everything was copied, so the next commit starts the WAL over.
        insert_text(&mut conn, &text);
        assert!(wal_frames(&conn) < 8, "{}", wal_frames(&conn));
        assert_eq!(deferred.run_if_due(&conn).unwrap(), Checkpoint::NotDue);
        assert_eq!(count(&open(&path)), i64::try_from(rows).unwrap() + 1);
    }

    #[test]
    fn under_steady_commits_the_owner_catches_up_and_the_wal_stays_short() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        let mut conn = open(&path);
        let threshold = 32;
        let deferred = DeferredCheckpoint::install(&mut conn, threshold).unwrap();
        let wal = dir.path().join("x.db-wal");
        let text = "x".repeat(3000);
        let (mut longest, mut here) = (0, 0);
        // About 3,000 pages: without the owner's catch-up the WAL would
        // keep most of them, as no background checkpoint would find it idle.
        for _ in 0..3000 {
            insert_text(&mut conn, &text);
            if deferred.run_if_due(&conn).unwrap() == Checkpoint::RanHere {
                here += 1;
            }
            longest = longest.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
        }
        assert!(here > 0);
        assert!(deferred.background_runs() > 0);
        // Twice the threshold, plus what commits while the thread's last
        // checkpoint finishes.
        let bound = 8 * u64::from(threshold) * 4096;
        assert!(longest < bound, "the WAL grew to {longest} bytes");
        assert_eq!(count(&open(&path)), 3000);
    }

    #[test]
    fn checkpoints_cannot_be_deferred_in_memory() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert!(DeferredCheckpoint::install(&mut conn, 8).is_err());
    }
}
