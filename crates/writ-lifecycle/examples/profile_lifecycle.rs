//! A small driver for profiling (`valgrind --tool=callgrind`): runs the
//! bench's lifecycle for N actions in batches of 100, then verifies a bundle
//! of the last batch. `profile_lifecycle [actions] [lifecycle|verify|both]`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;
use time::macros::datetime;
use writ_core::{Deployment, Envelope, GuardInput, PolicyPack, SessionState};
use writ_lifecycle::{Action, Check, Closure, Context, Outcome, Recorder, Signer, verify_bundle};
use writ_proof::Nonce;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let mode = args.get(2).cloned().unwrap_or_else(|| "both".to_owned());
    let d = Deployment::from_json(
        r#"{"workspace": "/w", "home": "/home/dev", "org_domains": ["acme.com"]}"#,
    )
    .unwrap();
    let ctx = Context::new(
        &d.over(Deployment::builtin()),
        PolicyPack::default_pack().unwrap(),
        "bench",
        vec![],
    )
    .unwrap();
    let signer = Signer::from_seed("writ.bench/log", &[5u8; 32]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut recorder = Recorder::open(dir.path().join("ledger.db"), signer.clone()).unwrap();
    let session = SessionState::default();
    let now = datetime!(2025-06-01 12:00:00 UTC);
    let envs: Vec<Envelope> = (0..n)
        .map(|i| {
            serde_json::from_value(json!({
                "runtime": "claude-code", "family": "tool_hook", "session_id": "bench", "call_id": format!("c{i}"),
                "tool": "Bash", "arguments": {"command": format!("ls -la /w/dir{i}")}, "cwd": "/w"
            }))
            .unwrap()
        })
        .collect();
    let mut last = Vec::new();
    let start = std::time::Instant::now();
    for chunk in envs.chunks(100) {
        let mut actions: Vec<Action> = chunk
            .iter()
            .map(|env| {
                let input = GuardInput {
                    envelope: env,
                    session: &session,
                    approvals: &[],
                    now,
                    agent: "a",
                    user: None,
                };
                let mut a = Action::guard(&ctx, input).unwrap();
                a.open().unwrap();
                a.record_assumption(
                    "file_digest",
                    json!({"path": "/w/x", "digest": "sha256:00"}),
                )
                .unwrap();
                a.release(&ctx, now, 60, Nonce::random(), &signer).unwrap();
                a.outcome(Outcome {
                    closure: Closure::Completed,
                    result: json!({"exit": 0}),
                    evidence: vec![],
                    checks: vec![Check::ToolError {
                        tool: "Bash".into(),
                        expected: false,
                        observed: Some(false),
                    }],
                })
                .unwrap();
                a
            })
            .collect();
        let mut refs: Vec<&mut Action> = actions.iter_mut().collect();
        last = recorder.certify(&mut refs).unwrap();
    }
    eprintln!("lifecycle: {n} actions in {:?}", start.elapsed());
    if std::env::var_os("SHOW_SIZES").is_some() {
        let c = serde_json::to_value(&last[0].certificate).unwrap();
        for (k, v) in c.as_object().unwrap() {
            eprintln!("certificate.{k}: {} bytes", v.to_string().len());
        }
        for (k, v) in c["inputs"].as_object().unwrap() {
            eprintln!("certificate.inputs.{k}: {} bytes", v.to_string().len());
        }
        for r in &last[0].receipts {
            eprintln!(
                "receipt {}: {} bytes",
                r.kind(),
                writ_lifecycle::recorder::receipt_leaf(r).unwrap().len()
            );
        }
        eprintln!("{}", c["decision"]);
    }
    if mode == "lifecycle" {
        return;
    }
    let bundle = recorder.bundle(&last).unwrap();
    let trusted = [signer.verifier()];
    let start = std::time::Instant::now();
    let rounds = if mode == "verify" { 5 } else { 1 };
    let mut receipts = 0;
    for _ in 0..rounds {
        receipts += verify_bundle(&bundle, &trusted).unwrap().receipts;
    }
    eprintln!("verify: {receipts} receipts in {:?}", start.elapsed());
}
