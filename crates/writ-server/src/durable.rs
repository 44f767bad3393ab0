//! Group commit: one fsync makes many requests' commits durable.
//!
//! The server's three SQLite files (`ledger.db`, `server.db`, `writ.db`) run
//! in WAL mode with `synchronous=NORMAL`, so a commit writes its WAL frames
//! without waiting for the disk. Before the API answers, the request waits
//! until the WAL files have been fsynced *after* its commit: every commit
//! before an fsync is on disk once it returns (fsync covers the whole
//! file, whoever wrote it). One request at a time leads: it fsyncs the WAL
//! files for everything committed so far, while later requests keep
//! committing and wait for the next round. Nothing is acknowledged before
//! it is durable, as with `synchronous=FULL`, but concurrent requests share
//! the fsyncs instead of paying one each per database.
//!
//! What SQLite moves from the WAL into the database file at a checkpoint it
//! fsyncs itself in `NORMAL` mode, so acknowledged commits stay durable
//! across checkpoints and WAL restarts.
//!
//! A failed fsync poisons the server: what was committed may not be on
//! disk, so every later request is refused until a restart (fail closed).

use std::fs::File;
use std::path::PathBuf;
use std::sync::{Condvar, Mutex, MutexGuard};

use crate::error::Problem;

#[derive(Debug, Default)]
struct Round {
    /// Tickets handed out: commits that happened.
    committed: u64,
    /// Every ticket up to this one is durable.
    synced: u64,
    /// A leader is fsyncing now.
    syncing: bool,
    /// Why the last fsync failed; set once, never cleared.
    failed: Option<String>,
}

/// The WAL files to fsync and who is waiting for them.
#[derive(Debug)]
pub struct GroupSync {
    wal_files: Vec<PathBuf>,
    round: Mutex<Round>,
    done: Condvar,
}

impl GroupSync {
    /// Syncs the WAL files of these databases (`x.db` -> `x.db-wal`).
    pub fn new(databases: impl IntoIterator<Item = PathBuf>) -> GroupSync {
        GroupSync {
            wal_files: databases
                .into_iter()
                .map(|db| {
                    let mut name = db.into_os_string();
                    name.push("-wal");
                    PathBuf::from(name)
                })
                .collect(),
            round: Mutex::new(Round::default()),
            done: Condvar::new(),
        }
    }

    fn lock(&self) -> Result<MutexGuard<'_, Round>, Problem> {
        self.round
            .lock()
            .map_err(|_| Problem::internal("the group-commit lock is poisoned"))
    }

    /// A ticket for what has been committed so far. Take it after the
    /// commit, while the writes are still serialised.
    pub fn ticket(&self) -> Result<u64, Problem> {
        let mut round = self.lock()?;
        round.committed += 1;
        Ok(round.committed)
    }

    /// Blocks until everything up to `ticket` is on disk.
    pub fn wait(&self, ticket: u64) -> Result<(), Problem> {
        let mut round = self.lock()?;
        loop {
            if let Some(why) = &round.failed {
                return Err(unavailable(why));
            }
            if round.synced >= ticket {
                return Ok(());
            }
            if round.syncing {
                round = self
                    .done
                    .wait(round)
                    .map_err(|_| Problem::internal("the group-commit lock is poisoned"))?;
                continue;
            }
            // Lead a round for everything committed so far.
            round.syncing = true;
            let target = round.committed;
            drop(round);
            let outcome = self.sync_all();
            round = self.lock()?;
            round.syncing = false;
            match outcome {
                Ok(()) => round.synced = round.synced.max(target),
                Err(why) => round.failed = Some(why),
            }
            self.done.notify_all();
        }
    }

    /// fsyncs every WAL file that exists (one that does not holds nothing
    /// uncheckpointed).
    fn sync_all(&self) -> Result<(), String> {
        for path in &self.wal_files {
            match File::open(path) {
                Ok(file) => file
                    .sync_data()
                    .map_err(|e| format!("fsync `{}`: {e}", path.display()))?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(format!("open `{}`: {e}", path.display())),
            }
        }
        Ok(())
    }
}

fn unavailable(why: &str) -> Problem {
    Problem::new(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "not_durable",
        format!("writ could not make its stores durable ({why}); restart it"),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::sync::Arc;

    use super::*;

    #[test]
    fn every_ticket_is_released_by_a_later_round() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        std::fs::write(dir.path().join("x.db-wal"), b"frames").unwrap();
        let sync = Arc::new(GroupSync::new([db, dir.path().join("absent.db")]));
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let sync = sync.clone();
                std::thread::spawn(move || {
                    for _ in 0..50 {
                        let t = sync.ticket().unwrap();
                        sync.wait(t).unwrap();
                        assert!(sync.lock().unwrap().synced >= t);
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let round = sync.lock().unwrap();
        assert_eq!(round.committed, 400);
        assert_eq!(round.synced, 400);
    }

    #[test]
    fn a_failed_sync_refuses_everything_after_it() {
        let dir = tempfile::tempdir().unwrap();
        // A directory where the WAL file should be: open works, but it is
        // not the file; make open fail instead with a path under a file.
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, b"").unwrap();
        let sync = GroupSync::new([blocker.join("x.db")]);
        let t = sync.ticket().unwrap();
        let err = sync.wait(t).unwrap_err();
        assert_eq!(err.code, "not_durable");
        assert_eq!(err.status, axum::http::StatusCode::SERVICE_UNAVAILABLE);
        let t2 = sync.ticket().unwrap();
        assert_eq!(sync.wait(t2).unwrap_err().code, "not_durable");
    }
}
