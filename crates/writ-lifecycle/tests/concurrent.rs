//! Certifying from many threads through one log: reservations, signing
//! outside the lock, commits in reservation order, and failures that take
//! the batches reserved after them down with them (never a gap or a
//! misplaced leaf).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::json;
use writ_core::SessionState;
use writ_lifecycle::{
    Action, CertifiedAction, ConcurrentRecorder, LifecycleError, RecordError, Recorder,
    verify_bundle,
};

/// Checks a committed batch: its certificates follow its receipts, one per
/// action in order, each listing its own action's receipts.
fn assert_whole_batch(batch: &[CertifiedAction], ids: &[String]) {
    let last_receipt = batch
        .iter()
        .flat_map(|c| c.certificate.receipts.iter().map(|r| r.leaf_index))
        .max()
        .unwrap();
    for (i, c) in batch.iter().enumerate() {
        assert_eq!(c.certificate.action_id, ids[i]);
        assert_eq!(c.certificate_leaf, last_receipt + 1 + i as u64);
        assert_eq!(c.receipts.len(), c.certificate.receipts.len());
    }
}

fn ids(actions: &[Action]) -> Vec<String> {
    actions.iter().map(|a| a.id().to_owned()).collect()
}

#[test]
fn threads_certifying_at_once_log_every_batch_whole_and_the_log_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context();
    let signer = log_signer();
    let shared = ConcurrentRecorder::new(
        Recorder::open(dir.path().join("ledger.db"), signer.clone()).unwrap(),
    );
    let (threads, batches, per_batch) = (4, 5, 7);
    let certified: Vec<CertifiedAction> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (ctx, signer, shared) = (&ctx, &signer, &shared);
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    for b in 0..batches {
                        let mut actions =
                            closed_allowed_actions(ctx, signer, per_batch, &format!("t{t}b{b}c"));
                        let ids = ids(&actions);
                        let mut refs: Vec<&mut Action> = actions.iter_mut().collect();
                        let batch = shared.certify(&mut refs).unwrap();
                        assert_whole_batch(&batch, &ids);
                        mine.extend(batch);
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let total = threads * batches * per_batch;
    assert_eq!(certified.len(), total);
    let recorder = shared.lock().unwrap();
    // Deployment and policy once, then three receipts and a certificate per action.
    assert_eq!(recorder.ledger().size(), 2 + 4 * total as u64);
    let mut leaves: Vec<u64> = certified
        .iter()
        .flat_map(|c| {
            c.certificate
                .receipts
                .iter()
                .map(|r| r.leaf_index)
                .chain([c.certificate_leaf])
        })
        .collect();
    leaves.sort_unstable();
    let expected: Vec<u64> = (2..2 + 4 * total as u64).collect();
    assert_eq!(leaves, expected, "every leaf used once, none skipped");
    assert_eq!(recorder.certified_actions().unwrap().len(), total);
    let bundle = recorder.bundle(&certified).unwrap();
    let report = verify_bundle(&bundle, &[signer.verifier()]).unwrap();
    assert_eq!(report.receipts, 4 * total + 2);
}

#[test]
fn batches_commit_only_in_the_order_they_reserved() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context();
    let signer = log_signer();
    let mut recorder = Recorder::open(dir.path().join("ledger.db"), signer.clone()).unwrap();
    let mut first = closed_allowed_actions(&ctx, &signer, 3, "a");
    let mut second = closed_allowed_actions(&ctx, &signer, 2, "b");
    let mut first_refs: Vec<&mut Action> = first.iter_mut().collect();
    let mut second_refs: Vec<&mut Action> = second.iter_mut().collect();
    let mut a = recorder.reserve(&mut first_refs).unwrap();
    let mut b = recorder.reserve(&mut second_refs).unwrap();
    // Deployment and policy, 3 × 3 receipts, 3 certificates; then b's.
    assert_eq!((a.start(), a.leaves()), (0, 2 + 9 + 3));
    assert_eq!((b.start(), b.leaves()), (14, 6 + 2));
    b.sign(&second_refs).unwrap();
    a.sign(&first_refs).unwrap();
    assert!(!recorder.is_next(&b).unwrap());
    assert!(recorder.is_next(&a).unwrap());

    // Committing b first fails, nothing is logged, and a is dropped with it.
    let err = recorder.commit(b, &mut second_refs).unwrap_err();
    assert!(
        matches!(err, RecordError::OutOfTurn { start: 14, size: 0 }),
        "{err}"
    );
    assert!(matches!(
        recorder.is_next(&a),
        Err(RecordError::ReservationLost { start: 0 })
    ));
    let err = recorder.commit(a, &mut first_refs).unwrap_err();
    assert!(
        matches!(err, RecordError::ReservationLost { start: 0 }),
        "{err}"
    );
    assert_eq!(recorder.ledger().size(), 0);
    assert!(first_refs.iter().all(|a| a.unlogged().count() == 3));
    assert!(second_refs.iter().all(|a| a.unlogged().count() == 3));

    // Reserved again and committed in order, both are logged whole.
    let mut a = recorder.reserve(&mut first_refs).unwrap();
    let mut b = recorder.reserve(&mut second_refs).unwrap();
    a.sign(&first_refs).unwrap();
    b.sign(&second_refs).unwrap();
    let mut certified = recorder.commit(a, &mut first_refs).unwrap();
    assert_whole_batch(&certified, &ids(&first));
    let later = recorder.commit(b, &mut second_refs).unwrap();
    assert_whole_batch(&later, &ids(&second));
    assert_eq!(later[0].certificate.receipts[0].leaf_index, 14);
    certified.extend(later);
    assert_eq!(recorder.ledger().size(), 22);
    let bundle = recorder.bundle(&certified).unwrap();
    verify_bundle(&bundle, &[signer.verifier()]).unwrap();
}

#[test]
fn a_batch_that_fails_to_sign_takes_the_batches_reserved_after_it_down() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context();
    let signer = log_signer();
    let mut recorder = Recorder::open(dir.path().join("ledger.db"), signer.clone()).unwrap();
    let mut unfinished = guard(&ctx, &envelope(ALLOW, "u1"), &SessionState::default());
    unfinished.open().unwrap();
    let mut later = closed_allowed_actions(&ctx, &signer, 2, "l");
    let mut later_refs: Vec<&mut Action> = later.iter_mut().collect();
    // The failing batch reserves the deployment's and the policy's leaves.
    let mut failing = recorder.reserve(&mut [&mut unfinished]).unwrap();
    let mut after = recorder.reserve(&mut later_refs).unwrap();
    // Deployment, policy, the decision receipt and one certificate.
    assert_eq!(after.start(), 2 + 1 + 1);
    let err = failing.sign(&[&mut unfinished]).unwrap_err();
    assert!(
        matches!(
            err,
            RecordError::Lifecycle(LifecycleError::NoOutcome { .. })
        ),
        "{err}"
    );
    recorder.abandon(failing, &mut [&mut unfinished]);
    assert_eq!(unfinished.unlogged().count(), 1);
    after.sign(&later_refs).unwrap();
    let err = recorder.commit(after, &mut later_refs).unwrap_err();
    assert!(
        matches!(err, RecordError::ReservationLost { start: 4 }),
        "{err}"
    );
    assert_eq!(recorder.ledger().size(), 0);

    // A new batch logs the deployment and the policy itself, from leaf 0.
    let shared = ConcurrentRecorder::new(recorder);
    let certified = shared.certify(&mut later_refs).unwrap();
    assert_eq!(certified[0].certificate.receipts[0].leaf_index, 2);
    assert_eq!(certified[0].inputs[0].leaf_index, 0);
    let recorder = shared.lock().unwrap();
    assert_eq!(recorder.ledger().size(), 2 + 2 * 4);
    let bundle = recorder.bundle(&certified).unwrap();
    verify_bundle(&bundle, &[signer.verifier()]).unwrap();
}

#[test]
fn a_thread_whose_batch_fails_loses_nothing_of_the_others_batches() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context();
    let signer = log_signer();
    let shared = ConcurrentRecorder::new(
        Recorder::open(dir.path().join("ledger.db"), signer.clone()).unwrap(),
    );
    // Three threads certify good batches while a fourth's batch cannot be
    // certified (an action without an outcome). However they interleave,
    // every batch either commits whole or fails whole, and a failed good
    // batch commits when tried again.
    let certified: Vec<CertifiedAction> = std::thread::scope(|scope| {
        let bad = scope.spawn(|| {
            for round in 0..4 {
                let mut unfinished = guard(
                    &ctx,
                    &envelope(ALLOW, &format!("bad{round}")),
                    &SessionState::default(),
                );
                unfinished.open().unwrap();
                let err = shared.certify(&mut [&mut unfinished]).unwrap_err();
                assert!(
                    matches!(
                        err,
                        RecordError::Lifecycle(LifecycleError::NoOutcome { .. })
                            | RecordError::ReservationLost { .. }
                    ),
                    "{err}"
                );
                assert_eq!(unfinished.unlogged().count(), 1);
            }
        });
        let good: Vec<_> = (0..3)
            .map(|t| {
                let (ctx, signer, shared) = (&ctx, &signer, &shared);
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    for b in 0..4 {
                        let mut actions =
                            closed_allowed_actions(ctx, signer, 5, &format!("g{t}b{b}c"));
                        let ids = ids(&actions);
                        let mut refs: Vec<&mut Action> = actions.iter_mut().collect();
                        let batch = loop {
                            match shared.certify(&mut refs) {
                                Ok(batch) => break batch,
                                Err(RecordError::ReservationLost { .. }) => {
                                    assert!(refs.iter().all(|a| a.unlogged().count() == 3));
                                }
                                Err(e) => panic!("{e}"),
                            }
                        };
                        assert_whole_batch(&batch, &ids);
                        mine.extend(batch);
                    }
                    mine
                })
            })
            .collect();
        bad.join().unwrap();
        good.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(certified.len(), 3 * 4 * 5);
    let recorder = shared.lock().unwrap();
    let read_back = recorder.certified_actions().unwrap();
    assert_eq!(read_back.len(), certified.len());
    let bundle = recorder.bundle(&read_back).unwrap();
    verify_bundle(&bundle, &[signer.verifier()]).unwrap();
}

#[test]
fn a_reservation_fails_if_another_writer_appended_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    let ctx = context();
    let signer = log_signer();
    let mut recorder = Recorder::open(&path, signer.clone()).unwrap();
    let mut mine = closed_allowed_actions(&ctx, &signer, 2, "m");
    let mut refs: Vec<&mut Action> = mine.iter_mut().collect();
    let mut reserved = recorder.reserve(&mut refs).unwrap();
    reserved.sign(&refs).unwrap();

    // Another handle on the same log appends in between.
    let mut other = Recorder::open(&path, signer.clone()).unwrap();
    let mut theirs = closed_allowed_actions(&ctx, &signer, 1, "o");
    other.certify(&mut [&mut theirs[0]]).unwrap();
    let size = other.ledger().size();
    assert_eq!(size, 2 + 4);

    let err = recorder.commit(reserved, &mut refs).unwrap_err();
    assert!(
        matches!(err, RecordError::LogMoved { start: 0, size: 6 }),
        "{err}"
    );
    assert!(refs.iter().all(|a| a.unlogged().count() == 3));
    let certified = recorder.certify(&mut refs).unwrap();
    assert!(certified[0].certificate.receipts[0].leaf_index >= size);
    let bundle = recorder.bundle(&certified).unwrap();
    verify_bundle(&bundle, &[signer.verifier()]).unwrap();
    assert_eq!(recorder.certified_actions().unwrap().len(), 3);
    assert_eq!(json!(certified.len()), json!(2));
}
