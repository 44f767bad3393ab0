//! Throughput of the full lifecycle (guard, open, assumption, release,
//! outcome, signatures, certificate, durable group-committed append) and of
//! `verify_bundle`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::json;
use time::macros::datetime;
use writ_core::{Deployment, Envelope, GuardInput, PolicyPack, SessionState};
use writ_lifecycle::{Action, Check, Closure, Context, Outcome, Recorder, Signer, verify_bundle};
use writ_proof::Nonce;

const BATCH: usize = 1000;

fn context() -> Context {
    let d = Deployment::from_json(
        r#"{"workspace": "/w", "home": "/home/dev", "org_domains": ["acme.com"]}"#,
    )
    .unwrap();
    Context::new(
        &d.over(Deployment::builtin()),
        PolicyPack::default_pack().unwrap(),
        "bench",
        vec![],
    )
    .unwrap()
}

fn envelopes(n: usize) -> Vec<Envelope> {
    (0..n)
        .map(|i| {
            serde_json::from_value(json!({
                "runtime": "claude-code", "family": "tool_hook", "session_id": "bench", "call_id": format!("c{i}"),
                "tool": "Bash", "arguments": {"command": format!("ls -la /w/dir{i}")}, "cwd": "/w"
            }))
            .unwrap()
        })
        .collect()
}

fn run_batch(
    ctx: &Context,
    signer: &Signer,
    recorder: &mut Recorder,
    envs: &[Envelope],
) -> Vec<writ_lifecycle::CertifiedAction> {
    let session = SessionState::default();
    let now = datetime!(2025-06-01 12:00:00 UTC);
    let mut actions: Vec<Action> = envs
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
            let mut a = Action::guard(ctx, input, signer).unwrap();
            a.open().unwrap();
            a.record_assumption(
                "file_digest",
                json!({"path": "/w/x", "digest": "sha256:00"}),
                signer,
            )
            .unwrap();
            a.release(ctx, now, 60, Nonce::random(), signer).unwrap();
            a.outcome(
                Outcome {
                    closure: Closure::Completed,
                    result: json!({"exit": 0}),
                    evidence: vec![],
                    checks: vec![Check::ToolError {
                        tool: "Bash".into(),
                        expected: false,
                        observed: Some(false),
                    }],
                },
                signer,
            )
            .unwrap();
            a
        })
        .collect();
    let mut refs: Vec<&mut Action> = actions.iter_mut().collect();
    recorder.certify(&mut refs).unwrap()
}

fn lifecycle(c: &mut Criterion) {
    let ctx = context();
    let signer = Signer::from_seed("writ.bench/log", &[5u8; 32]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut recorder = Recorder::open(dir.path().join("ledger.db"), signer.clone()).unwrap();
    let envs = envelopes(BATCH);
    let mut group = c.benchmark_group("lifecycle");
    group.sample_size(10);
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function("guard_only_1000_actions", |b| {
        let session = SessionState::default();
        let now = datetime!(2025-06-01 12:00:00 UTC);
        b.iter(|| {
            for env in &envs {
                let input = GuardInput {
                    envelope: env,
                    session: &session,
                    approvals: &[],
                    now,
                    agent: "a",
                    user: None,
                };
                std::hint::black_box(ctx.engine.guard(input));
            }
        })
    });
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function("full_lifecycle_group_commit_1000_actions", |b| {
        b.iter(|| run_batch(&ctx, &signer, &mut recorder, &envs))
    });
    group.finish();

    // verify_bundle: one session bundle of 200 actions (5 receipts each incl. the certificate).
    let certified = run_batch(&ctx, &signer, &mut recorder, &envs[..200]);
    let bundle = recorder.bundle(&certified).unwrap();
    let trusted = [signer.verifier()];
    let receipts = verify_bundle(&bundle, &trusted).unwrap().receipts;
    let mut group = c.benchmark_group("verify");
    group.sample_size(10);
    group.throughput(Throughput::Elements(receipts as u64));
    group.bench_function(
        format!("verify_bundle_200_actions_{receipts}_receipts"),
        |b| {
            b.iter_batched(
                || bundle.clone(),
                |bundle| verify_bundle(&bundle, &trusted).unwrap(),
                BatchSize::LargeInput,
            )
        },
    );
    group.finish();
}

criterion_group!(benches, lifecycle);
criterion_main!(benches);
