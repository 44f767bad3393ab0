//! The core's two threads, batches and group commit: one commit and one
//! fsync make many requests durable.
//!
//! The server's database (`ledger.db`: the log, sessions, principals and
//! actions; `db`) runs in WAL mode with `synchronous=NORMAL`, so a commit
//! writes its WAL frames without waiting for the disk. Requests run one
//! after another on the *core thread*, which owns the [`Core`]. It takes
//! every request queued so far as one *batch*: one write transaction, each
//! request's writes in its own savepoints, committed once the batch has
//! run. The committed batch goes to the *sync thread*, which takes every
//! batch committed so far, fsyncs the WAL once, and only then answers their
//! requests. fsync covers a whole file, whoever wrote it, so every commit
//! made before the fsync started is on disk when it returns. Nothing is
//! acknowledged before it is durable, as with `synchronous=FULL`, but the
//! requests of a batch share one commit and those of a round one fsync,
//! and the core thread never waits for the disk. A read is answered after
//! the same kind of round, so nobody is shown state that could still
//! vanish.
//!
//! What SQLite moves from the WAL into the database file at a checkpoint it
//! fsyncs itself in `NORMAL` mode, so acknowledged commits stay durable
//! across checkpoints and WAL restarts.
//!
//! A failed commit or fsync poisons the server: what was committed may not
//! be on disk, or what the core holds in memory may not match its database,
//! so every later request is refused until a restart (fail closed). A
//! transaction that cannot start refuses only its batch: nothing ran.

use std::path::PathBuf;
use std::sync::mpsc;

use writ_sqlite::WalFiles;

use crate::control::Core;
use crate::error::Problem;

/// Delivers a request's answer once its round is durable (or not).
type Completion = Box<dyn FnOnce(Result<(), Problem>) + Send>;
/// A request to run on the core thread; given the core, or why the core
/// cannot take requests any more.
type Job = Box<dyn FnOnce(Result<&mut Core, Problem>) -> Completion + Send>;

/// The most requests one batch (one commit) takes.
const MAX_BATCH: usize = 256;

/// The handle requests use to reach the core thread.
pub struct Worker {
    jobs: mpsc::Sender<Job>,
}

impl Worker {
    /// Starts the core and sync threads; `databases` are the SQLite files
    /// whose WAL (`x.db` -> `x.db-wal`) a round fsyncs.
    pub fn start(
        core: Core,
        databases: impl IntoIterator<Item = PathBuf>,
    ) -> std::io::Result<Worker> {
        let wal = WalFiles::new(databases);
        let (jobs, job_queue) = mpsc::channel::<Job>();
        let (finished, finished_queue) = mpsc::channel::<Vec<Completion>>();
        std::thread::Builder::new()
            .name("writ-sync".into())
            .spawn(move || sync_rounds(&wal, &finished_queue))?;
        std::thread::Builder::new()
            .name("writ-core".into())
            // The main thread's stack: deciding walks nested text (`writ_shell`'s
            // nesting limits are measured against it).
            .stack_size(8 << 20)
            .spawn(move || run_batches(core, &job_queue, &finished))?;
        Ok(Worker { jobs })
    }

    /// Runs `f` on the core thread; answers once what it (and everything
    /// before it) committed is on disk.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Core) -> Result<T, Problem> + Send + 'static,
    ) -> Result<T, Problem> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |core| {
            let result = core.and_then(f);
            Box::new(move |synced: Result<(), Problem>| {
                let _ = answer.send(synced.and(result));
            })
        });
        self.jobs
            .send(job)
            .map_err(|_| Problem::internal("the core thread is gone"))?;
        answered
            .await
            .map_err(|_| Problem::internal("the core thread dropped the request"))?
    }
}

/// The core thread: runs the queued requests in batches, each batch one
/// transaction, and hands each committed batch to the sync
/// thread. A batch whose commit fails is rolled back and refused, and so
/// is every request after it (fail closed: what the core holds in memory
/// may no longer match the database). A batch whose transaction cannot
/// start (another process held the write lock too long) is refused alone:
/// none of its requests ran, so nothing changed.
fn run_batches(
    mut core: Core,
    jobs: &mpsc::Receiver<Job>,
    finished: &mpsc::Sender<Vec<Completion>>,
) {
    let mut failed: Option<String> = None;
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        batch.extend(jobs.try_iter().take(MAX_BATCH - 1));
        if failed.is_none()
            && let Err(why) = core.begin_batch()
        {
            eprintln!(
                "writ serve: cannot start a transaction ({}); refusing {} request(s)",
                why.detail,
                batch.len()
            );
            let refused = batch
                .into_iter()
                .map(|job| job(Err(not_started(&why.detail))))
                .collect();
            if finished.send(refused).is_err() {
                break;
            }
            continue;
        }
        let completions: Vec<Completion> = match &failed {
            Some(why) => batch
                .into_iter()
                .map(|job| job(Err(unavailable(why))))
                .collect(),
            None => {
                let done: Vec<Completion> =
                    batch.into_iter().map(|job| job(Ok(&mut core))).collect();
                match core.commit_batch() {
                    Ok(()) => done,
                    Err(why) => {
                        core.rollback_batch();
                        eprintln!(
                            "writ serve: commit failed ({}); refusing every request until restarted",
                            why.detail
                        );
                        let refusal = why.detail.clone();
                        failed = Some(why.detail);
                        done.into_iter()
                            .map(|complete| -> Completion {
                                let refusal = refusal.clone();
                                Box::new(move |_| complete(Err(unavailable(&refusal))))
                            })
                            .collect()
                    }
                }
            }
        };
        if finished.send(completions).is_err() {
            break;
        }
        if failed.is_none() {
            core.checkpoint_due();
        }
    }
}

/// The sync thread: a round per batch of finished requests.
fn sync_rounds(wal: &WalFiles, finished: &mpsc::Receiver<Vec<Completion>>) {
    let mut failed: Option<String> = None;
    while let Ok(first) = finished.recv() {
        let mut round = first;
        round.extend(finished.try_iter().flatten());
        if failed.is_none()
            && let Err(why) = wal.sync()
        {
            eprintln!("writ serve: {why}; refusing every request until restarted");
            failed = Some(why);
        }
        for complete in round {
            complete(match &failed {
                None => Ok(()),
                Some(why) => Err(unavailable(why)),
            });
        }
    }
}

/// Why a request was refused without running: its batch's transaction
/// could not start.
fn not_started(why: &str) -> Problem {
    Problem::new(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "database_unavailable",
        format!(
            "writ could not start a transaction on its database ({why}); the request did not run and can be sent again"
        ),
    )
}

fn unavailable(why: &str) -> Problem {
    Problem::new(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "not_durable",
        format!("writ could not make its database durable ({why}); restart it"),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_failed_sync_refuses_the_round_and_everything_after_it() {
        let dir = tempfile::tempdir().unwrap();
        // A WAL path under a regular file: opening it fails (not NotFound).
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, b"").unwrap();
        let wal = WalFiles::new([blocker.join("x.db")]);
        assert!(wal.sync().unwrap_err().contains("open"));

        let (finished, queue) = mpsc::channel::<Vec<Completion>>();
        let (seen, answers) = mpsc::channel();
        for _ in 0..3 {
            let seen = seen.clone();
            finished
                .send(vec![Box::new(move |r: Result<(), Problem>| {
                    seen.send(r.map_err(|p| p.code)).unwrap();
                })])
                .unwrap();
        }
        drop(finished);
        sync_rounds(&wal, &queue);
        let got: Vec<_> = answers.try_iter().collect();
        assert_eq!(got, vec![Err("not_durable"); 3]);
    }

    #[test]
    fn completions_are_answered_in_order_after_a_successful_round() {
        let dir = tempfile::tempdir().unwrap();
        let wal = WalFiles::new([dir.path().join("x.db")]);
        let (finished, queue) = mpsc::channel::<Vec<Completion>>();
        let (seen, answers) = mpsc::channel();
        for i in 0..5 {
            let seen = seen.clone();
            finished
                .send(vec![Box::new(move |r: Result<(), Problem>| {
                    seen.send((i, r.is_ok())).unwrap();
                })])
                .unwrap();
        }
        drop(finished);
        sync_rounds(&wal, &queue);
        let got: Vec<_> = answers.try_iter().collect();
        assert_eq!(got, (0..5).map(|i| (i, true)).collect::<Vec<_>>());
    }
}
