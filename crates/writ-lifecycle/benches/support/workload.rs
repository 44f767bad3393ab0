//! The workload the lifecycle bench and `examples/profile_lifecycle.rs`
//! share: the context, the events and every step of an action but its
//! certificate.

use serde_json::json;
use time::OffsetDateTime;
use time::macros::datetime;
use writ_core::{Deployment, Envelope, GuardInput, PolicyPack, SessionState};
use writ_lifecycle::{Action, Check, Closure, Context, Outcome, Signer};
use writ_proof::Nonce;

/// The time every action is decided at.
pub const NOW: OffsetDateTime = datetime!(2025-06-01 12:00:00 UTC);

/// The guard input of `env` from agent `a` in `session`.
pub fn guard_input<'a>(env: &'a Envelope, session: &'a SessionState) -> GuardInput<'a> {
    GuardInput {
        envelope: env,
        session,
        approvals: &[],
        now: NOW,
        agent: "a",
        user: None,
    }
}

pub fn context() -> Context {
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

pub fn envelopes(n: usize) -> Vec<Envelope> {
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

/// Every step of each action but the certificate.
pub fn run_actions(ctx: &Context, signer: &Signer, envs: &[Envelope]) -> Vec<Action> {
    let session = SessionState::default();
    envs.iter()
        .map(|env| {
            let input = guard_input(env, &session);
            let mut a = Action::guard(ctx, input).unwrap();
            a.open().unwrap();
            a.record_assumption(
                "file_digest",
                json!({"path": "/w/x", "digest": "sha256:00"}),
            )
            .unwrap();
            a.release(ctx, NOW, 60, Nonce::random(), signer).unwrap();
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
        .collect()
}
