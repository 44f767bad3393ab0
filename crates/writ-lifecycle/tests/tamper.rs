#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

//! Tamper campaign: every single-field change of an exported bundle, every
//! signature bit flip, reordered or dropped log entries and a policy
//! swapped after the fact must fail verification, naming the cause.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine as _;
use common::*;
use serde_json::{Value, json};
use writ_core::{PolicyPack, SessionState};
use writ_ledger::{Ledger, Verifier};
use writ_lifecycle::{Recorder, VerifyError, build_bundle, verify_bundle};
use writ_proof::Nonce;

fn trusted() -> Vec<Verifier> {
    vec![log_signer().verifier(), approver_signer().verifier()]
}

/// Every leaf of `value` with its path.
fn leaves(value: &Value, path: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| leaves(v, format!("{path}/{k}"), out)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| leaves(v, format!("{path}/{i}"), out)),
        _ => out.push(path),
    }
}

fn mutations(leaf: &Value) -> Vec<Value> {
    match leaf {
        Value::String(s) => {
            let mut first = s.clone();
            let replaced = match first.chars().next() {
                Some('a') => 'b',
                Some(_) => 'a',
                None => 'x',
            };
            if first.is_empty() {
                first.push(replaced);
            } else {
                first.replace_range(
                    ..first.chars().next().map_or(0, char::len_utf8),
                    &replaced.to_string(),
                );
            }
            vec![Value::String(format!("{s}x")), Value::String(first)]
        }
        Value::Number(n) => vec![json!(n.as_u64().map_or(1, |n| n + 1))],
        Value::Bool(b) => vec![Value::Bool(!b)],
        Value::Null => vec![json!("x")],
        _ => vec![],
    }
}

/// The error kinds allowed for a change under `path`.
fn allowed(path: &str, e: &VerifyError) -> bool {
    use VerifyError as E;
    let region = path.split('/').nth(1).unwrap_or_default();
    // A value that no longer has its field's shape (a 65-digit digest, a
    // `keyid` that is not a string, ...) is refused while parsing, and so
    // is a bundle of another format.
    if matches!(e, E::Malformed(_)) {
        return region == "evidence" || path == "/summary/format";
    }
    match region {
        "manifest" => matches!(e, E::ManifestMismatch { .. }),
        "verification" => matches!(e, E::VerificationMismatch),
        "summary" => matches!(e, E::SummaryMismatch { .. } | E::OriginMismatch { .. }),
        _ if path.contains("/checkpoint") => matches!(e, E::CheckpointInvalid(_)),
        _ if path.starts_with("/evidence/inputs/") => matches!(e, E::InputInvalid { .. }),
        _ if path.contains("/certificate/") => matches!(e, E::CertificateInvalid { .. }),
        _ if path.contains("/receipts/") => matches!(e, E::ReceiptInvalid { .. }),
        _ if path.contains("/proofs/") => {
            matches!(e, E::InclusionFailed { .. } | E::LeafIndexMismatch { .. })
        }
        _ => false,
    }
}

#[test]
fn every_single_field_change_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (recorder, certified) = three_actions(dir.path());
    let bundle = recorder.bundle(&certified).unwrap();
    verify_bundle(&bundle, &trusted()).unwrap();
    let mut paths = Vec::new();
    leaves(&bundle, String::new(), &mut paths);
    assert!(paths.len() > 200, "{} leaves", paths.len());
    assert!(
        paths.iter().any(|p| p.starts_with("/evidence/inputs/")),
        "the shared replay inputs are mutated too"
    );
    let mut causes: BTreeMap<u8, usize> = BTreeMap::new();
    let mut tried = 0;
    for path in &paths {
        let leaf = bundle.pointer(path).unwrap().clone();
        for mutated in mutations(&leaf) {
            let mut copy = bundle.clone();
            *copy.pointer_mut(path).unwrap() = mutated.clone();
            tried += 1;
            match verify_bundle(&copy, &trusted()) {
                Ok(_) => panic!("changing {path} from {leaf} to {mutated} still verifies"),
                Err(e) => {
                    assert!(
                        allowed(path, &e),
                        "changing {path} to {mutated}: unexpected cause {e:?}"
                    );
                    assert!(!e.to_string().is_empty());
                    *causes.entry(e.exit_code()).or_default() += 1;
                }
            }
        }
    }
    assert!(tried > paths.len(), "{tried} changes");
    assert!(causes.len() >= 7, "{causes:?}");
}

fn flip_b64(text: &str, byte: usize) -> String {
    let engine = base64::engine::general_purpose::STANDARD;
    let mut raw = engine.decode(text).unwrap();
    raw[byte] ^= 0x01;
    engine.encode(raw)
}

#[test]
fn signature_bit_flips_fail() {
    let dir = tempfile::tempdir().unwrap();
    let (recorder, certified) = three_actions(dir.path());
    let bundle = recorder.bundle(&certified).unwrap();
    let mut flipped = 0;
    for byte in [0, 17, 31, 32, 50, 63] {
        for action in 0..3 {
            let mut copy = bundle.clone();
            let sig = copy
                .pointer_mut(&format!(
                    "/evidence/actions/{action}/certificate/signatures/0/sig"
                ))
                .unwrap();
            *sig = json!(flip_b64(sig.as_str().unwrap(), byte));
            let e = verify_bundle(&copy, &trusted()).unwrap_err();
            assert!(matches!(e, VerifyError::CertificateInvalid { .. }), "{e}");
            assert_eq!(e.exit_code(), 22);
            let receipts = bundle["evidence"]["actions"][action]["receipts"]
                .as_array()
                .unwrap()
                .len();
            // Only approval grants and denials carry a receipt signature.
            for r in 0..receipts {
                let mut copy = bundle.clone();
                let Some(sig) =
                    copy.pointer_mut(&format!("/evidence/actions/{action}/receipts/{r}/sig"))
                else {
                    continue;
                };
                flipped += 1;
                *sig = json!(flip_b64(sig.as_str().unwrap(), byte));
                let e = verify_bundle(&copy, &trusted()).unwrap_err();
                assert!(
                    matches!(e, VerifyError::ReceiptInvalid { ref reason, .. } if reason.contains("signature")),
                    "{e}"
                );
            }
        }
        // The checkpoint's signature line: `— <name> <base64(key id || sig)>`.
        let mut copy = bundle.clone();
        let note = copy["evidence"]["checkpoint"].as_str().unwrap().to_owned();
        let (body, line) = note.trim_end().rsplit_once('\n').unwrap();
        let (prefix, sig) = line.rsplit_once(' ').unwrap();
        let flipped = format!("{body}\n{prefix} {}\n", flip_b64(sig, 4 + byte));
        copy["evidence"]["checkpoint"] = json!(flipped);
        let e = verify_bundle(&copy, &trusted()).unwrap_err();
        assert!(matches!(e, VerifyError::CheckpointInvalid(_)), "{e}");
    }
    assert_eq!(flipped, 6, "the one approval grant, at every flipped byte");
}

#[test]
fn untrusted_keys_fail() {
    let dir = tempfile::tempdir().unwrap();
    let (recorder, certified) = three_actions(dir.path());
    let bundle = recorder.bundle(&certified).unwrap();
    let stranger = writ_lifecycle::Signer::from_seed("writ.test/log", &[9u8; 32]).unwrap();
    let e = verify_bundle(&bundle, &[stranger.verifier()]).unwrap_err();
    assert!(matches!(e, VerifyError::CheckpointInvalid(_)), "{e}");
    // The log key alone: the approver's grant cannot be checked.
    let e = verify_bundle(&bundle, &[log_signer().verifier()]).unwrap_err();
    assert!(
        matches!(e, VerifyError::ReceiptInvalid { ref kind, .. } if kind == "approval_grant"),
        "{e}"
    );
    assert!(matches!(
        verify_bundle(&bundle, &[]),
        Err(VerifyError::NoTrustedKeys)
    ));
}

#[test]
fn reordered_receipts_fail() {
    let dir = tempfile::tempdir().unwrap();
    let (recorder, certified) = three_actions(dir.path());
    let bundle = recorder.bundle(&certified).unwrap();
    let mut copy = bundle.clone();
    let receipts = copy["evidence"]["actions"][1]["receipts"]
        .as_array_mut()
        .unwrap();
    receipts.swap(1, 2);
    let proofs = copy["evidence"]["actions"][1]["proofs"]
        .as_array_mut()
        .unwrap();
    proofs.swap(1, 2);
    let e = verify_bundle(&copy, &trusted()).unwrap_err();
    assert!(
        matches!(e, VerifyError::ReceiptSetMismatch { position: 1, .. }),
        "{e}"
    );
    // Swapping only the proofs.
    let mut copy = bundle.clone();
    copy["evidence"]["actions"][1]["proofs"]
        .as_array_mut()
        .unwrap()
        .swap(0, 3);
    let e = verify_bundle(&copy, &trusted()).unwrap_err();
    assert!(
        matches!(e, VerifyError::LeafIndexMismatch { position: 0, .. }),
        "{e}"
    );
    // Dropping a receipt from the bundle.
    let mut copy = bundle.clone();
    copy["evidence"]["actions"][0]["receipts"]
        .as_array_mut()
        .unwrap()
        .remove(1);
    let e = verify_bundle(&copy, &trusted()).unwrap_err();
    assert!(matches!(e, VerifyError::ReceiptSetMismatch { .. }), "{e}");
    // Moving an action's evidence under another's summary.
    let mut copy = bundle.clone();
    copy["evidence"]["actions"]
        .as_array_mut()
        .unwrap()
        .swap(0, 2);
    let e = verify_bundle(&copy, &trusted()).unwrap_err();
    assert!(matches!(e, VerifyError::SummaryMismatch { .. }), "{e}");
}

/// A copy of the log at `path` with its leaves transformed by `edit`.
fn rewritten_log(
    from: &Ledger,
    path: &std::path::Path,
    edit: impl Fn(&mut Vec<Vec<u8>>),
) -> Ledger {
    let mut items: Vec<Vec<u8>> = (0..from.size()).map(|i| from.leaf(i).unwrap()).collect();
    edit(&mut items);
    let mut log = Ledger::open(path).unwrap();
    log.append_batch(&items).unwrap();
    log
}

#[test]
fn dropped_or_reordered_log_entries_fail_inclusion() {
    let dir = tempfile::tempdir().unwrap();
    let (recorder, certified) = three_actions(dir.path());
    let signer = log_signer();
    // Leaves 0 and 1 are the shared deployment and policy, 2-5 the first
    // action's receipts, 6-11 the approval action's.
    // Two receipts of the approval action swapped in the log.
    let swapped = rewritten_log(recorder.ledger(), &dir.path().join("swapped.db"), |items| {
        items.swap(7, 8)
    });
    let bundle = build_bundle(&swapped, &signer, &certified).unwrap();
    let e = verify_bundle(&bundle, &trusted()).unwrap_err();
    assert!(
        matches!(e, VerifyError::InclusionFailed { leaf_index: 7, .. }),
        "{e}"
    );
    assert_eq!(e.exit_code(), 31);
    // The first receipt dropped: every later index shifts.
    let dropped = rewritten_log(recorder.ledger(), &dir.path().join("dropped.db"), |items| {
        items.remove(2);
    });
    let bundle = build_bundle(&dropped, &signer, &certified[1..2]).unwrap();
    let e = verify_bundle(&bundle, &trusted()).unwrap_err();
    assert!(matches!(e, VerifyError::InclusionFailed { .. }), "{e}");
    // The first entry (the shared deployment) dropped: the input's own proof fails.
    let dropped = rewritten_log(
        recorder.ledger(),
        &dir.path().join("dropped0.db"),
        |items| {
            items.remove(0);
        },
    );
    let bundle = build_bundle(&dropped, &signer, &certified[1..2]).unwrap();
    let e = verify_bundle(&bundle, &trusted()).unwrap_err();
    assert!(matches!(e, VerifyError::InputInvalid { .. }), "{e}");
    // The untouched log still verifies.
    verify_bundle(&recorder.bundle(&certified).unwrap(), &trusted()).unwrap();
}

/// Runs the approval action under `ctx` and returns its verified-or-not bundle.
fn approval_bundle(ctx: &writ_lifecycle::Context, dir: &std::path::Path) -> Value {
    let signer = log_signer();
    let mut recorder = Recorder::open(dir.join("policy.db"), signer.clone()).unwrap();
    let mut a = guard(ctx, &envelope(APPROVAL, "c9"), &SessionState::default());
    a.open().unwrap();
    let g = grant(&a, "alice@acme.com", "data_sharing", "2025-06-01T13:00:00Z");
    a.grant(ctx, g, NOW, &mut BTreeSet::new()).unwrap();
    a.release(ctx, NOW, 60, Nonce::from_bytes([3; 16]), &signer)
        .unwrap();
    a.outcome(done(json!({}))).unwrap();
    let certified = recorder.certify(&mut [&mut a]).unwrap();
    recorder.bundle(&certified).unwrap()
}

#[test]
fn policy_changed_after_the_fact_fails_replay() {
    let dir = tempfile::tempdir().unwrap();
    // Honest: verifies.
    verify_bundle(&approval_bundle(&context(), dir.path()), &trusted()).unwrap();

    // The decision was made by the default pack, but the certificate records
    // a pack without the approval rules (with that pack's own digest).
    let mut ctx = context();
    let weakened: Vec<(String, String)> = ctx
        .engine
        .policy
        .sources
        .iter()
        .filter(|(n, _)| n != "approval.cedar")
        .cloned()
        .collect();
    let weak = PolicyPack::load(weakened.clone()).unwrap();
    ctx.engine.policy.sources = weakened;
    ctx.engine.policy.digest = weak.digest;
    let sub = tempfile::tempdir().unwrap();
    let e = verify_bundle(&approval_bundle(&ctx, sub.path()), &trusted()).unwrap_err();
    assert!(
        matches!(e, VerifyError::ReplayMismatch { ref which, ref recorded, ref replayed, .. }
            if which == "recorded" && recorded == "require_approval [EXTERNAL_WRITE]" && replayed.starts_with("allow")),
        "{e}"
    );
    assert_eq!(e.exit_code(), 52);

    // The recorded text edited, the digest left as it was.
    let mut ctx = context();
    if let Some((_, text)) = ctx
        .engine
        .policy
        .sources
        .iter_mut()
        .find(|(n, _)| n == "approval.cedar")
    {
        text.push_str("\n// edited\n");
    }
    let sub = tempfile::tempdir().unwrap();
    let e = verify_bundle(&approval_bundle(&ctx, sub.path()), &trusted()).unwrap_err();
    assert!(matches!(e, VerifyError::PolicyDigestMismatch { .. }), "{e}");
    assert_eq!(e.exit_code(), 51);
}

#[test]
fn exit_codes_are_distinct() {
    let s = String::new;
    let all = [
        VerifyError::Malformed(s()),
        VerifyError::NoTrustedKeys,
        VerifyError::CheckpointInvalid(s()),
        VerifyError::OriginMismatch {
            expected: s(),
            found: s(),
        },
        VerifyError::CertificateInvalid {
            index: 0,
            reason: s(),
        },
        VerifyError::SubjectMismatch {
            index: 0,
            expected: s(),
            found: s(),
        },
        VerifyError::ReceiptSetMismatch {
            action: s(),
            position: 0,
            reason: s(),
        },
        VerifyError::ReceiptInvalid {
            action: s(),
            position: 0,
            kind: s(),
            reason: s(),
        },
        VerifyError::ReceiptContentMismatch {
            action: s(),
            position: 0,
            kind: s(),
            reason: s(),
        },
        VerifyError::InputInvalid {
            digest: s(),
            reason: s(),
        },
        VerifyError::LeafIndexMismatch {
            action: s(),
            position: 0,
            expected: 0,
            found: 0,
        },
        VerifyError::InclusionFailed {
            action: s(),
            leaf_index: 0,
            reason: s(),
        },
        VerifyError::DigestMismatch {
            action: s(),
            what: s(),
            recorded: s(),
            computed: s(),
        },
        VerifyError::LifecycleViolation {
            action: s(),
            reason: s(),
        },
        VerifyError::ApprovalInvalid {
            action: s(),
            reason: s(),
        },
        VerifyError::ReleaseMismatch {
            action: s(),
            reason: s(),
        },
        VerifyError::ReconciliationMismatch {
            action: s(),
            recorded: s(),
            computed: s(),
        },
        VerifyError::ReplayUnavailable {
            action: s(),
            reason: s(),
        },
        VerifyError::PolicyDigestMismatch {
            action: s(),
            recorded: s(),
            computed: s(),
        },
        VerifyError::ReplayMismatch {
            action: s(),
            which: s(),
            recorded: s(),
            replayed: s(),
        },
        VerifyError::ReplayDetailMismatch {
            action: s(),
            field: s(),
        },
        VerifyError::SummaryMismatch { field: s() },
        VerifyError::VerificationMismatch,
        VerifyError::ManifestMismatch {
            component: s(),
            recorded: s(),
            computed: s(),
        },
    ];
    let codes: BTreeSet<u8> = all.iter().map(VerifyError::exit_code).collect();
    assert_eq!(codes.len(), all.len());
    assert!(codes.iter().all(|c| *c >= 10));
}

/// The replay inputs certificates share by digest: renamed, dropped, extra,
/// substituted from another log or re-keyed, every change fails.
#[test]
fn shared_inputs_tampering_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (recorder, certified) = three_actions(dir.path());
    let bundle = recorder.bundle(&certified).unwrap();
    verify_bundle(&bundle, &trusted()).unwrap();
    let inputs = bundle["evidence"]["inputs"].as_object().unwrap().clone();
    assert_eq!(inputs.len(), 2, "one deployment and one policy");
    let role = |v: &Value| {
        v["receipt"]["receipt"]["body"]["role"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (policy_key, policy) = inputs.iter().find(|(_, v)| role(v) == "policy").unwrap();
    let (deployment_key, _) = inputs
        .iter()
        .find(|(_, v)| role(v) == "deployment")
        .unwrap();
    let input_invalid = |copy: &Value| {
        let e = verify_bundle(copy, &trusted()).unwrap_err();
        assert!(matches!(e, VerifyError::InputInvalid { .. }), "{e}");
        assert_eq!(e.exit_code(), 27);
    };

    // Every input dropped in turn: its certificates reference a missing input.
    for key in [policy_key, deployment_key] {
        let mut copy = bundle.clone();
        copy["evidence"]["inputs"]
            .as_object_mut()
            .unwrap()
            .remove(key);
        input_invalid(&copy);
    }
    // Re-keyed under another digest.
    let mut copy = bundle.clone();
    let map = copy["evidence"]["inputs"].as_object_mut().unwrap();
    let entry = map.remove(policy_key).unwrap();
    map.insert(format!("sha256:{}", "0".repeat(64)), entry);
    input_invalid(&copy);
    // The two inputs swapped under each other's keys.
    let mut copy = bundle.clone();
    let map = copy["evidence"]["inputs"].as_object_mut().unwrap();
    let p = map.remove(policy_key).unwrap();
    let d = map.remove(deployment_key).unwrap();
    map.insert(policy_key.clone(), d);
    map.insert(deployment_key.clone(), p);
    input_invalid(&copy);
    // An extra, unreferenced copy (and its manifest entry, so only the input check can catch it).
    let mut copy = bundle.clone();
    let extra = format!("sha256:{}", "1".repeat(64));
    copy["evidence"]["inputs"]
        .as_object_mut()
        .unwrap()
        .insert(extra.clone(), policy.clone());
    input_invalid(&copy);

    // A validly signed policy from another log (a weakened pack), in place of the real one:
    // its inclusion proof is for the other log.
    let mut ctx = context();
    let weakened: Vec<(String, String)> = ctx
        .engine
        .policy
        .sources
        .iter()
        .filter(|(n, _)| n != "approval.cedar")
        .cloned()
        .collect();
    ctx.engine.policy.sources = weakened;
    let sub = tempfile::tempdir().unwrap();
    let other = approval_bundle(&ctx, sub.path());
    let (other_key, other_policy) = other["evidence"]["inputs"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, v)| role(v) == "policy")
        .map(|(k, v)| (k.clone(), v.clone()))
        .unwrap();
    assert_ne!(&other_key, policy_key);
    let mut copy = bundle.clone();
    *copy
        .pointer_mut(&format!("/evidence/inputs/{policy_key}"))
        .unwrap() = other_policy.clone();
    input_invalid(&copy);
    // ... and with the key and the certificates' reference rewritten: the signatures break.
    let mut copy = bundle.clone();
    let map = copy["evidence"]["inputs"].as_object_mut().unwrap();
    map.remove(policy_key);
    map.insert(other_key, other_policy);
    let e = verify_bundle(&copy, &trusted()).unwrap_err();
    assert!(matches!(e, VerifyError::InputInvalid { .. }), "{e}");
}

/// Many actions are certified and verified on several threads: the result
/// keeps bundle order and the failure reported is the first in that order.
#[test]
fn parallel_verification_reports_the_first_failure() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context();
    let signer = log_signer();
    let mut recorder = Recorder::open(dir.path().join("many.db"), signer.clone()).unwrap();
    let mut actions = closed_allowed_actions(&ctx, &signer, 40, "m");
    let ids: Vec<String> = actions.iter().map(|a| a.id().to_owned()).collect();
    let mut refs: Vec<&mut writ_lifecycle::Action> = actions.iter_mut().collect();
    let certified = recorder.certify(&mut refs).unwrap();
    let got: Vec<&str> = certified
        .iter()
        .map(|c| c.certificate.action_id.as_str())
        .collect();
    assert_eq!(got, ids, "certificates in action order");
    let bundle = recorder.bundle(&certified).unwrap();
    let report = verify_bundle(&bundle, &trusted()).unwrap();
    assert_eq!(report.actions, ids, "verified in bundle order");
    assert_eq!(report.receipts, 2 + 40 * 4);
    // Breaks in a late and an early action (in different workers' runs).
    for early in [0usize, 5, 19] {
        let mut copy = bundle.clone();
        for action in [35, early] {
            *copy
                .pointer_mut(&format!(
                    "/evidence/actions/{action}/receipts/1/receipt/body/action_id"
                ))
                .unwrap() = json!("act_forged");
        }
        let e = verify_bundle(&copy, &trusted()).unwrap_err();
        assert!(
            matches!(e, VerifyError::ReceiptInvalid { ref action, .. } if *action == ids[early]),
            "{e}"
        );
    }
    // Workers parse the actions, yet a malformed one still outranks an
    // earlier action's failure and a broken checkpoint.
    let mut copy = bundle.clone();
    *copy
        .pointer_mut("/evidence/actions/3/receipts/1/receipt/body/action_id")
        .unwrap() = json!("act_forged");
    *copy.pointer_mut("/evidence/actions/37/proofs").unwrap() = json!("no proofs");
    let e = verify_bundle(&copy, &trusted()).unwrap_err();
    assert!(matches!(e, VerifyError::Malformed(_)), "{e}");
    copy["evidence"]["checkpoint"] = json!("not a checkpoint");
    let e = verify_bundle(&copy, &trusted()).unwrap_err();
    assert!(matches!(e, VerifyError::Malformed(_)), "{e}");
}

/// The approval action's evidence in a bundle of [`three_actions`].
fn approval(bundle: &mut Value) -> &mut Value {
    &mut bundle["evidence"]["actions"][1]
}

/// Receipts are unsigned but for approval grants and denials: the verifier
/// enforces which is which, and an unsigned receipt is accepted only as the
/// proven leaf the signed certificate lists.
#[test]
fn receipt_signatures_follow_the_kind() {
    let dir = tempfile::tempdir().unwrap();
    let (recorder, certified) = three_actions(dir.path());
    let bundle = recorder.bundle(&certified).unwrap();
    verify_bundle(&bundle, &trusted()).unwrap();
    // The approval action: decision, assumption, request, grant, release, outcome.

    let receipts = bundle["evidence"]["actions"][1]["receipts"].clone();
    assert_eq!(receipts[3]["receipt"]["kind"], "approval_grant");
    for (i, r) in receipts.as_array().unwrap().iter().enumerate() {
        assert_eq!(
            r.get("sig").is_some(),
            i == 3,
            "only the grant is signed: {r}"
        );
        assert_eq!(r.get("keyid").is_some(), i == 3, "{r}");
    }

    // The approver's signature stripped from the grant.
    let mut copy = bundle.clone();
    let grant = approval(&mut copy)["receipts"][3].as_object_mut().unwrap();
    grant.remove("sig");
    grant.remove("keyid");
    let e = verify_bundle(&copy, &trusted()).unwrap_err();
    assert!(
        matches!(e, VerifyError::ReceiptInvalid { position: 3, ref kind, ref reason, .. }
            if kind == "approval_grant" && reason.contains("must carry its approver's signature")),
        "{e}"
    );
    assert_eq!(e.exit_code(), 25);
    // Half a signature: a key id without `sig`.
    let mut copy = bundle.clone();
    approval(&mut copy)["receipts"][3]
        .as_object_mut()
        .unwrap()
        .remove("sig");
    let e = verify_bundle(&copy, &trusted()).unwrap_err();
    assert!(
        matches!(e, VerifyError::Malformed(ref m) if m.contains("no `sig`")),
        "{e}"
    );

    // A signature on a receipt that is logged unsigned (as every receipt of
    // a writ-proof-bundle/v2 carried), even a valid one by the log key, is
    // a field this format does not have.
    for position in [0usize, 1, 2, 4, 5] {
        let mut copy = bundle.clone();
        let r = &receipts[position]["receipt"];
        let (signed, _) = writ_lifecycle::jcs::sign_receipt(
            r["kind"].as_str().unwrap(),
            r["body"].clone(),
            log_signer().keyid(),
            log_signer().signing_key(),
        )
        .unwrap();
        approval(&mut copy)["receipts"][position] = serde_json::to_value(&signed).unwrap();
        let e = verify_bundle(&copy, &trusted()).unwrap_err();
        assert!(
            matches!(e, VerifyError::Malformed(ref m) if m.contains("unexpected fields `keyid` and `sig`")),
            "{e}"
        );
        assert_eq!(e.exit_code(), 10);
    }

    // An unsigned receipt re-made with another body (its digest recomputed,
    // so it is self-consistent): the certificate does not list it.
    let mut copy = bundle.clone();
    let mut body = receipts[5]["receipt"]["body"].clone();
    body["closure"] = json!("not_run");
    let (forged, _) = writ_lifecycle::jcs::unsigned_receipt("outcome", body).unwrap();
    approval(&mut copy)["receipts"][5] = serde_json::to_value(&forged).unwrap();
    let e = verify_bundle(&copy, &trusted()).unwrap_err();
    assert!(
        matches!(e, VerifyError::ReceiptSetMismatch { position: 5, .. }),
        "{e}"
    );
    assert_eq!(e.exit_code(), 24);
    // Another action's genuine, logged receipt with its own valid proof.
    let mut copy = bundle.clone();
    let theirs = bundle["evidence"]["actions"][0].clone();
    approval(&mut copy)["receipts"][1] = theirs["receipts"][1].clone();
    approval(&mut copy)["proofs"][1] = theirs["proofs"][1].clone();
    let e = verify_bundle(&copy, &trusted()).unwrap_err();
    assert!(
        matches!(e, VerifyError::ReceiptSetMismatch { position: 1, .. }),
        "{e}"
    );
    // An extra genuine receipt the certificate does not list.
    let mut copy = bundle.clone();
    let a = approval(&mut copy);
    a["receipts"]
        .as_array_mut()
        .unwrap()
        .push(theirs["receipts"][1].clone());
    a["proofs"]
        .as_array_mut()
        .unwrap()
        .insert(6, theirs["proofs"][1].clone());
    let e = verify_bundle(&copy, &trusted()).unwrap_err();
    assert!(matches!(e, VerifyError::ReceiptSetMismatch { .. }), "{e}");

    // The log's leaf at the outcome's index replaced by a forged outcome
    // (self-consistent digest), the bundle built from that log: the receipt
    // the certificate lists is not the leaf the checkpoint proves.
    let leaf = certified[1].certificate.receipts[5].leaf_index;
    let forged_leaf = writ_lifecycle::recorder::receipt_leaf(&forged.clone().into()).unwrap();
    let forged_log = rewritten_log(recorder.ledger(), &dir.path().join("forged.db"), |items| {
        items[leaf as usize] = forged_leaf.clone();
    });
    let copy = build_bundle(&forged_log, &log_signer(), &certified).unwrap();
    let e = verify_bundle(&copy, &trusted()).unwrap_err();
    assert!(
        matches!(e, VerifyError::InclusionFailed { leaf_index, .. } if leaf_index == leaf),
        "{e}"
    );
    assert_eq!(e.exit_code(), 31);
    // ... and with the forged receipt in the bundle too: not the one the certificate lists.
    let mut copy = copy;
    approval(&mut copy)["receipts"][5] = serde_json::to_value(&forged).unwrap();
    let e = verify_bundle(&copy, &trusted()).unwrap_err();
    assert!(
        matches!(e, VerifyError::ReceiptSetMismatch { position: 5, .. }),
        "{e}"
    );
}

/// A certificate of an older version (signed, logged receipts unchanged) is refused by version.
#[test]
fn older_certificate_version_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (recorder, mut certified) = three_actions(dir.path());
    certified[0].certificate.version = 2;
    certified[0].envelope =
        writ_lifecycle::sign_certificate(&certified[0].certificate, &log_signer()).unwrap();
    let bundle = recorder.bundle(&certified).unwrap();
    let e = verify_bundle(&bundle, &trusted()).unwrap_err();
    assert!(
        matches!(e, VerifyError::CertificateInvalid { index: 0, ref reason } if reason.contains("version is 2")),
        "{e}"
    );
}
