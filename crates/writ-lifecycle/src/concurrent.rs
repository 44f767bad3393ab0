//! Certifying from many threads at once through one log.

use std::sync::{Condvar, Mutex, MutexGuard};

use crate::action::Action;
use crate::recorder::{CertifiedAction, RecordError, Recorder};

/// A [`Recorder`] that many threads certify batches through at once.
///
/// A batch's leaves are reserved under the lock ([`Recorder::reserve`]:
/// cheap), its certificates are built and signed outside it (the costly
/// part: two Ed25519 hashes of each statement and a scalar multiplication),
/// and batches are appended in the order they reserved
/// ([`Recorder::commit`]), each waiting its turn. So one thread's signing
/// overlaps another's append instead of queueing behind it. If a batch
/// fails, the batches reserved after it fail too (their leaves would no
/// longer follow on) and nothing of them is logged.
#[derive(Debug)]
pub struct ConcurrentRecorder {
    recorder: Mutex<Recorder>,
    /// Signalled whenever a batch commits or a reservation is dropped.
    turn: Condvar,
}

impl ConcurrentRecorder {
    pub fn new(recorder: Recorder) -> ConcurrentRecorder {
        ConcurrentRecorder {
            recorder: Mutex::new(recorder),
            turn: Condvar::new(),
        }
    }

    /// The recorder, for anything but certifying (checkpoints, bundles).
    pub fn lock(&self) -> Result<MutexGuard<'_, Recorder>, RecordError> {
        self.recorder.lock().map_err(|_| RecordError::Poisoned)
    }

    /// [`Recorder::certify`] for one of many threads: logs the pending
    /// receipts and the signed certificates of `actions` (which must all
    /// have an outcome) in one transaction, in the order batches reserved
    /// their leaves. Committed is not durable: with
    /// `synchronous=NORMAL`, the caller syncs the WAL before counting the
    /// actions as certified.
    pub fn certify(
        &self,
        actions: &mut [&mut Action],
    ) -> Result<Vec<CertifiedAction>, RecordError> {
        let mut reservation = self.lock()?.reserve(actions)?.on_this_thread();
        if let Err(e) = reservation.sign(actions) {
            self.lock()?.abandon(reservation, actions);
            self.turn.notify_all();
            return Err(e);
        }
        // Waits for its turn; a lost reservation goes on to fail in commit.
        let mut recorder = self
            .turn
            .wait_while(self.lock()?, |r| {
                matches!(r.is_next(&reservation), Ok(false))
            })
            .map_err(|_| RecordError::Poisoned)?;
        let committed = recorder.commit_reserved(reservation, actions);
        drop(recorder);
        self.turn.notify_all();
        Ok(crate::recorder::certified(actions, committed?))
    }
}
