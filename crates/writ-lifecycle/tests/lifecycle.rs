#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use common::*;
use serde_json::json;
use writ_core::{Route, SessionState};
use writ_lifecycle::{ApprovalError, LifecycleError, SqliteNonceStore, State, verify_bundle};
use writ_proof::{Nonce, ReleaseError, verify_release};

#[test]
fn allow_lifecycle_releases_a_token_a_gateway_accepts_once() {
    let ctx = context();
    let signer = log_signer();
    let env = envelope(ALLOW, "c1");
    let mut a = guard(&ctx, &env, &SessionState::default());
    assert_eq!(a.route(), Route::Allow);
    assert_eq!(a.state(), State::Guarded);
    let id = a.open().unwrap().to_owned();
    assert!(id.starts_with("act_") && id.len() == 36, "{id}");
    assert_eq!(a.join_key().session_id.as_deref(), Some("sess-1"));
    assert_eq!(a.join_key().tool_call_id.as_deref(), Some("c1"));
    assert_eq!(a.join_key().policy_digest, ctx.engine.policy.digest);
    let released = a.release(&ctx, NOW, 60, Nonce::random(), &signer).unwrap();
    let mut nonces = SqliteNonceStore::in_memory().unwrap();
    let now = NOW.unix_timestamp();
    let claims = verify_release(
        &released.token,
        &signer.verifying_key(),
        &env.arguments,
        now,
        &mut nonces,
    )
    .unwrap();
    assert_eq!(claims.action_digest.to_string(), a.digests().action);
    assert_eq!(claims.policy_digest.to_string(), ctx.engine.policy.digest);
    let replay = verify_release(
        &released.token,
        &signer.verifying_key(),
        &env.arguments,
        now,
        &mut nonces,
    );
    assert!(
        matches!(replay, Err(ReleaseError::Replayed { .. })),
        "{replay:?}"
    );
    let drifted = verify_release(
        &released.token,
        &signer.verifying_key(),
        &json!({"command": "rm -rf /"}),
        now,
        &mut nonces,
    );
    assert!(
        matches!(drifted, Err(ReleaseError::ArgumentsMismatch { .. })),
        "{drifted:?}"
    );
    let record = a.outcome(done(json!({"exit": 0}))).unwrap();
    assert_eq!(record.reconciliation.status, "reconciled");
    assert_eq!(record.reconciliation.residue, vec!["none"]);
    assert_eq!(a.state(), State::Closed);
}

#[test]
fn stable_action_id() {
    let ctx = context();
    let env = envelope(ALLOW, "c1");
    let a = guard(&ctx, &env, &SessionState::default());
    let b = guard(&ctx, &env, &SessionState::default());
    assert_eq!(a.id(), b.id());
    let c = guard(&ctx, &envelope(ALLOW, "c2"), &SessionState::default());
    assert_ne!(a.id(), c.id());
}

#[test]
fn approval_lifecycle() {
    let ctx = context();
    let signer = log_signer();
    let mut a = guard(&ctx, &envelope(APPROVAL, "c2"), &SessionState::default());
    assert_eq!(a.route(), Route::RequireApproval);
    a.open().unwrap();
    a.request_approval("data_sharing").unwrap();
    let err = a
        .release(&ctx, NOW, 60, Nonce::random(), &signer)
        .unwrap_err();
    assert!(
        matches!(err, LifecycleError::ReleaseWithoutApproval { ref missing, .. } if missing == &["data_sharing"]),
        "{err}"
    );
    let mut used = BTreeSet::new();
    a.grant(
        &ctx,
        grant(&a, "alice@acme.com", "data_sharing", "2025-06-01T13:00:00Z"),
        NOW,
        &mut used,
    )
    .unwrap();
    assert_eq!(used.len(), 1);
    a.release(&ctx, NOW, 60, Nonce::random(), &signer).unwrap();
    let err = a
        .release(&ctx, NOW, 60, Nonce::random(), &signer)
        .unwrap_err();
    assert!(
        matches!(err, LifecycleError::AlreadyReleased { .. }),
        "{err}"
    );
    let record = a.outcome(done(json!({}))).unwrap();
    assert_eq!(record.reconciliation.residue, vec!["data_left_org"]);
}

#[test]
fn denied_action_is_not_released() {
    let ctx = context();
    let signer = log_signer();
    let mut a = guard(&ctx, &envelope(APPROVAL, "c2"), &SessionState::default());
    a.open().unwrap();
    let deny = a
        .grant_body(
            "alice@acme.com",
            "data_sharing",
            "2025-06-01T11:00:00Z",
            "2025-06-01T13:00:00Z",
        )
        .sign(true, &approver_signer())
        .unwrap();
    a.deny(&ctx, deny, NOW).unwrap();
    let err = a
        .release(&ctx, NOW, 60, Nonce::random(), &signer)
        .unwrap_err();
    assert!(
        matches!(err, LifecycleError::ReleaseDenied { ref approver, .. } if approver == "alice@acme.com"),
        "{err}"
    );
}

#[test]
fn block_can_never_be_released() {
    let ctx = context();
    let signer = log_signer();
    let mut a = guard(&ctx, &envelope(BLOCK, "c3"), &SessionState::default());
    assert_eq!(a.route(), Route::Block);
    a.open().unwrap();
    let err = a
        .release(&ctx, NOW, 60, Nonce::random(), &signer)
        .unwrap_err();
    assert!(
        matches!(err, LifecycleError::ReleaseBlocked { ref reasons, .. } if reasons == &["EXFIL_SECRET"]),
        "{err}"
    );
    let err = a.request_approval("data_sharing").unwrap_err();
    assert!(
        matches!(err, LifecycleError::ApprovalNotRequired { .. }),
        "{err}"
    );
    let err = a.outcome(done(json!({}))).unwrap_err();
    assert!(
        matches!(err, LifecycleError::OutcomeWithoutRelease { .. }),
        "{err}"
    );
    a.outcome(not_run()).unwrap();
}

#[test]
fn simulate_first_is_not_released() {
    let ctx = context();
    let signer = log_signer();
    let env = envelope("terraform apply -auto-approve", "c4");
    let mut a = guard(&ctx, &env, &SessionState::default());
    assert_eq!(a.route(), Route::SimulateFirst, "{:?}", a.reasons());
    a.open().unwrap();
    let err = a
        .release(&ctx, NOW, 60, Nonce::random(), &signer)
        .unwrap_err();
    assert!(
        matches!(err, LifecycleError::ReleaseNeedsSimulation { .. }),
        "{err}"
    );
}

#[test]
fn illegal_transitions() {
    let ctx = context();
    let signer = log_signer();
    let mut a = guard(&ctx, &envelope(ALLOW, "c1"), &SessionState::default());
    let err = a.outcome(not_run()).unwrap_err();
    assert!(
        matches!(err, LifecycleError::OutcomeBeforeOpen { .. }),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "outcome before open: action {} was guarded but never opened",
            a.id()
        )
    );
    let err = a.record_assumption("env", json!({})).unwrap_err();
    assert!(
        matches!(
            err,
            LifecycleError::NotOpen {
                step: "assumption",
                ..
            }
        ),
        "{err}"
    );
    let err = a
        .release(&ctx, NOW, 60, Nonce::random(), &signer)
        .unwrap_err();
    assert!(
        matches!(
            err,
            LifecycleError::NotOpen {
                step: "release",
                ..
            }
        ),
        "{err}"
    );
    let err = a.certificate("x").unwrap_err();
    assert!(matches!(err, LifecycleError::NoOutcome { .. }), "{err}");
    a.open().unwrap();
    let err = a.open().unwrap_err();
    assert!(matches!(err, LifecycleError::AlreadyOpen { .. }), "{err}");
    let err = a.outcome(done(json!({}))).unwrap_err();
    assert!(
        matches!(err, LifecycleError::OutcomeWithoutRelease { .. }),
        "{err}"
    );
    a.release(&ctx, NOW, 60, Nonce::random(), &signer).unwrap();
    a.outcome(done(json!({}))).unwrap();
    let err = a.outcome(done(json!({}))).unwrap_err();
    assert!(matches!(err, LifecycleError::SecondOutcome { .. }), "{err}");
    let err = a.record_assumption("env", json!({})).unwrap_err();
    assert!(
        matches!(
            err,
            LifecycleError::AfterOutcome {
                step: "assumption",
                ..
            }
        ),
        "{err}"
    );
    let err = a.certificate("x").unwrap_err();
    assert!(
        matches!(err, LifecycleError::NotLogged { count: 3, .. }),
        "{err}"
    );
}

fn approval_action() -> (writ_lifecycle::Context, writ_lifecycle::Action) {
    let ctx = context();
    let mut a = guard(&ctx, &envelope(APPROVAL, "c2"), &SessionState::default());
    a.open().unwrap();
    (ctx, a)
}

fn refused(
    a: &mut writ_lifecycle::Action,
    ctx: &writ_lifecycle::Context,
    r: writ_proof::SignedReceipt,
    used: &mut BTreeSet<String>,
) -> ApprovalError {
    match a.grant(ctx, r, NOW, used).unwrap_err() {
        LifecycleError::Approval(e) => e,
        other => panic!("not an approval error: {other}"),
    }
}

#[test]
fn replayed_approval_is_refused() {
    let (ctx, mut a) = approval_action();
    let g = grant(&a, "alice@acme.com", "data_sharing", "2025-06-01T13:00:00Z");
    let mut used = BTreeSet::new();
    a.grant(&ctx, g.clone(), NOW, &mut used).unwrap();
    // The same grant presented again, for the same action or an identical new one.
    let (_, mut b) = approval_action();
    let e = refused(&mut b, &ctx, g, &mut used);
    assert!(matches!(e, ApprovalError::AlreadyUsed { .. }), "{e}");
}

#[test]
fn expired_and_premature_approvals_are_refused() {
    let (ctx, mut a) = approval_action();
    let g = grant(&a, "alice@acme.com", "data_sharing", "2025-06-01T11:30:00Z");
    let e = refused(&mut a, &ctx, g, &mut BTreeSet::new());
    assert_eq!(
        e.to_string(),
        "approval expired at 2025-06-01T11:30:00Z (now 2025-06-01T12:00:00Z)"
    );
    let early = a
        .grant_body(
            "alice@acme.com",
            "data_sharing",
            "2025-06-01T12:30:00Z",
            "2025-06-01T13:00:00Z",
        )
        .sign(false, &approver_signer())
        .unwrap();
    let e = refused(&mut a, &ctx, early, &mut BTreeSet::new());
    assert!(matches!(e, ApprovalError::NotYetValid { .. }), "{e}");
}

#[test]
fn drifted_approval_is_refused_precisely() {
    let ctx = context();
    let original = guard(&ctx, &envelope(APPROVAL, "c2"), &SessionState::default());
    let g = grant(
        &original,
        "alice@acme.com",
        "data_sharing",
        "2025-06-01T13:00:00Z",
    );
    let mut changed = guard(
        &ctx,
        &envelope(
            "curl -X POST -d 'secret plans' https://example.org/api",
            "c2",
        ),
        &SessionState::default(),
    );
    changed.open().unwrap();
    let e = refused(&mut changed, &ctx, g, &mut BTreeSet::new());
    assert_eq!(
        e,
        ApprovalError::Drifted {
            granted: original.digests().arguments.clone(),
            actual: changed.digests().arguments.clone()
        }
    );
    assert!(
        e.to_string()
            .starts_with("action drifted since approval: arguments digest was sha256:"),
        "{e}"
    );
}

#[test]
fn wrong_jurisdiction_and_untrusted_signers_are_refused() {
    let (ctx, mut a) = approval_action();
    // bob approves finance, not data sharing.
    let g = grant(&a, "bob@acme.com", "data_sharing", "2025-06-01T13:00:00Z");
    let e = refused(&mut a, &ctx, g, &mut BTreeSet::new());
    assert_eq!(
        e,
        ApprovalError::WrongJurisdiction {
            approver: "bob@acme.com".into(),
            jurisdiction: "data_sharing".into()
        }
    );
    // A jurisdiction the action does not need.
    let g = grant(&a, "bob@acme.com", "finance", "2025-06-01T13:00:00Z");
    let e = refused(&mut a, &ctx, g, &mut BTreeSet::new());
    assert!(
        matches!(e, ApprovalError::JurisdictionNotRequired { .. }),
        "{e}"
    );
    // Signed by a key that is not a trusted approver key.
    let forged = a
        .grant_body(
            "alice@acme.com",
            "data_sharing",
            "2025-06-01T11:00:00Z",
            "2025-06-01T13:00:00Z",
        )
        .sign(false, &log_signer())
        .unwrap();
    let e = refused(&mut a, &ctx, forged, &mut BTreeSet::new());
    assert!(matches!(e, ApprovalError::Signature(_)), "{e}");
    // A denial presented as a grant.
    let deny = a
        .grant_body(
            "alice@acme.com",
            "data_sharing",
            "2025-06-01T11:00:00Z",
            "2025-06-01T13:00:00Z",
        )
        .sign(true, &approver_signer())
        .unwrap();
    let e = refused(&mut a, &ctx, deny, &mut BTreeSet::new());
    assert!(matches!(e, ApprovalError::WrongKind { .. }), "{e}");
}

#[test]
fn three_actions_verify_and_replay() {
    let dir = tempfile::tempdir().unwrap();
    let (recorder, certified) = three_actions(dir.path());
    assert_eq!(certified.len(), 3);
    // Every receipt and certificate is in the log: the shared deployment and
    // policy once each, 4 + 6 + 2 receipts and 3 certificates.
    assert_eq!(recorder.ledger().size(), 2 + 4 + 6 + 2 + 3);
    let bundle = recorder.bundle(&certified).unwrap();
    let report = verify_bundle(
        &bundle,
        &[log_signer().verifier(), approver_signer().verifier()],
    )
    .unwrap();
    assert_eq!(report.actions.len(), 3);
    assert_eq!(report.receipts, 17);
    assert_eq!(bundle["evidence"]["inputs"].as_object().unwrap().len(), 2);
    assert_eq!(
        report.replayed, 4,
        "three decisions and one approved re-decision"
    );
    let routes: Vec<&str> = bundle["summary"]["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["route"].as_str().unwrap())
        .collect();
    assert_eq!(routes, ["allow", "require_approval", "block"]);
    // Read back from the log alone.
    let again = recorder.certified_actions().unwrap();
    assert_eq!(again.len(), 3);
    assert_eq!(again[1].certificate, certified[1].certificate);
    assert_eq!(again[1].inputs, certified[1].inputs);
    // The fast statement encoding signs exactly what `Statement::sign` would.
    for c in &certified {
        let slow =
            writ_lifecycle::recorder::sign_certificate_slow(&c.certificate, &log_signer()).unwrap();
        assert_eq!(c.envelope, slow);
        assert_eq!(
            writ_lifecycle::sign_certificate(&c.certificate, &log_signer()).unwrap(),
            slow
        );
        assert_eq!(
            writ_lifecycle::recorder::certificate_leaf(&c.envelope).unwrap(),
            writ_proof::canonical_bytes_of(&slow).unwrap()
        );
        for r in &c.receipts {
            assert_eq!(
                writ_lifecycle::recorder::receipt_leaf(r).unwrap(),
                writ_proof::canonical_bytes_of(r).unwrap()
            );
        }
    }
    assert_eq!(
        again[0].inputs[0].leaf_index, 0,
        "the deployment is logged first"
    );
    assert_eq!(again[0].inputs[1].leaf_index, 1, "then the policy");
    // A bundle built from the log alone verifies too.
    let bundle = recorder.bundle(&again).unwrap();
    verify_bundle(
        &bundle,
        &[log_signer().verifier(), approver_signer().verifier()],
    )
    .unwrap();
}

#[test]
fn a_failed_certify_logs_nothing_and_can_be_retried() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context();
    let signer = log_signer();
    let mut recorder =
        writ_lifecycle::Recorder::open(dir.path().join("ledger.db"), signer.clone()).unwrap();
    let mut done_action = guard(&ctx, &envelope(ALLOW, "c1"), &SessionState::default());
    done_action.open().unwrap();
    done_action
        .release(&ctx, NOW, 60, Nonce::random(), &signer)
        .unwrap();
    // A float: the certificate takes the general RFC 8785 writer.
    done_action.outcome(done(json!({"ratio": 0.5}))).unwrap();
    let mut unfinished = guard(&ctx, &envelope(ALLOW, "c2"), &SessionState::default());
    unfinished.open().unwrap();
    let err = recorder
        .certify(&mut [&mut done_action, &mut unfinished])
        .unwrap_err();
    assert!(
        matches!(
            err,
            writ_lifecycle::RecordError::Lifecycle(LifecycleError::NoOutcome { .. })
        ),
        "{err}"
    );
    assert_eq!(
        recorder.ledger().size(),
        0,
        "one transaction: nothing logged"
    );
    assert_eq!(done_action.unlogged().count(), 3);
    unfinished.outcome(not_run()).unwrap();
    let certified = recorder
        .certify(&mut [&mut done_action, &mut unfinished])
        .unwrap();
    // Deployment and policy, 3 + 2 receipts, then the 2 certificates.
    assert_eq!(recorder.ledger().size(), 2 + 3 + 2 + 2);
    assert_eq!(certified[0].certificate_leaf, 7);
    assert_eq!(certified[1].certificate_leaf, 8);
    let leaves: Vec<u64> = certified[1]
        .certificate
        .receipts
        .iter()
        .map(|r| r.leaf_index)
        .collect();
    assert_eq!(leaves, [5, 6]);
    for c in &certified {
        let slow =
            writ_lifecycle::recorder::sign_certificate_slow(&c.certificate, &signer).unwrap();
        assert_eq!(c.envelope, slow);
        assert_eq!(
            writ_lifecycle::sign_certificate(&c.certificate, &signer).unwrap(),
            slow
        );
    }
    let bundle = recorder.bundle(&certified).unwrap();
    verify_bundle(&bundle, &[signer.verifier()]).unwrap();
    assert_eq!(recorder.certified_actions().unwrap().len(), 2);
}

#[test]
fn a_large_batch_is_certified_in_order_and_verifies() {
    // 40 actions: more than are signed on the caller's thread, so the
    // certificates are made in parallel; each must still be its own
    // action's, at its own leaf, in the order given.
    let dir = tempfile::tempdir().unwrap();
    let ctx = context();
    let signer = log_signer();
    let mut recorder =
        writ_lifecycle::Recorder::open(dir.path().join("ledger.db"), signer.clone()).unwrap();
    let mut actions = closed_allowed_actions(&ctx, &signer, 40, "c");
    let ids: Vec<String> = actions.iter().map(|a| a.id().to_owned()).collect();
    let mut refs: Vec<_> = actions.iter_mut().collect();
    let certified = recorder.certify(&mut refs).unwrap();
    // Deployment and policy, 3 receipts per action, then the certificates.
    let first = 2 + 3 * 40;
    for (i, c) in certified.iter().enumerate() {
        assert_eq!(c.certificate.action_id, ids[i]);
        assert_eq!(c.certificate_leaf, first + i as u64);
        assert_eq!(c.certificate.outcome.result, json!({"exit": i}));
        let receipts: Vec<u64> = c
            .certificate
            .receipts
            .iter()
            .map(|r| r.leaf_index)
            .collect();
        let own = 2 + 3 * i as u64;
        assert_eq!(receipts, [own, own + 1, own + 2]);
    }
    let bundle = recorder.bundle(&certified).unwrap();
    let report = verify_bundle(&bundle, &[signer.verifier()]).unwrap();
    // Three receipts and a certificate per action, and the two inputs.
    assert_eq!(report.receipts, 40 * 4 + 2);
}
