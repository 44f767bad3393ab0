//! An approval that covers nothing leaves its mark on the reasons whatever
//! the route (DOCTRINE, Approvals: "the reasons gain APPROVAL_INVALID").

#![allow(clippy::panic, clippy::unwrap_used)]

use crate::common;

use common::{engine, shell};
use serde_json::json;
use time::OffsetDateTime;
use writ_core::{Approval, GuardInput, Route, SessionState, normalize};

const DEPLOYMENT: &str = r#"{
    "organization": "acme",
    "workspace": "/home/dana/ws",
    "home": "/home/dana",
    "org_domains": ["acme.io"],
    "approvers": {"platform": ["lead@acme.io"]}
}"#;

fn decide_with(command: &str, approval: Approval) -> (Route, Vec<String>) {
    let engine = engine(DEPLOYMENT);
    let (runtime, event) = shell(command);
    let envelope = normalize(runtime, &event).unwrap();
    let decision = engine.guard(GuardInput {
        envelope: &envelope,
        session: &SessionState::default(),
        approvals: &[approval],
        now: OffsetDateTime::UNIX_EPOCH,
        agent: "agent",
        user: None,
    });
    (decision.route, decision.reasons)
}

fn approval_for(command: &str) -> Approval {
    Approval {
        approver: "lead@acme.io".into(),
        tool: "Bash".into(),
        arguments: json!({"command": command}),
        granted_at: "1969-12-31T00:00:00Z".into(),
        expires_at: "1970-01-02T00:00:00Z".into(),
    }
}

#[test]
fn an_approval_covering_nothing_is_reported_on_every_route() {
    let (route, reasons) = decide_with("ls -la", approval_for("ls -la"));
    assert_eq!(route, Route::Allow);
    assert_eq!(reasons, vec!["APPROVAL_INVALID".to_owned()]);

    let (route, reasons) =
        decide_with("pip install requests", approval_for("pip install requests"));
    assert_eq!(route, Route::Warn);
    assert_eq!(
        reasons,
        vec!["PACKAGE_INSTALL".to_owned(), "APPROVAL_INVALID".to_owned()]
    );
}

const RELEASES: &str = r#"{
    "organization": "acme",
    "workspace": "/home/dana/ws",
    "home": "/home/dana",
    "org_domains": ["acme.io"],
    "org_repos": ["github.com/acme/*"],
    "git_remotes": {"origin": "https://github.com/acme/ws.git"},
    "protected_branches": ["main"],
    "approvers": {"release": ["lead@acme.io"]}
}"#;

fn decide_release(command: &str) -> (Route, Vec<String>) {
    let engine = engine(RELEASES);
    let (runtime, event) = shell(command);
    let envelope = normalize(runtime, &event).unwrap();
    let decision = engine.guard(GuardInput {
        envelope: &envelope,
        session: &SessionState::default(),
        approvals: &[approval_for(command)],
        now: OffsetDateTime::UNIX_EPOCH,
        agent: "agent",
        user: None,
    });
    (decision.route, decision.reasons)
}

#[test]
fn a_covering_approval_leaves_an_owed_dry_run_and_lifts_warnings() {
    // The push's approval covers it; the unplanned apply still needs its
    // plan ("Approvals never weaken block or simulate_first").
    let (route, reasons) =
        decide_release("terraform -chdir=infra apply -auto-approve && git push origin main");
    assert_eq!(route, Route::SimulateFirst);
    assert_eq!(
        reasons,
        vec!["PROTECTED_BRANCH_PUSH", "UNPLANNED_APPLY", "APPROVED"]
    );
    // Every require_approval rule covered and nothing stronger: allow,
    // though a warning fired.
    let (route, reasons) = decide_release("pip install requests && git push origin main");
    assert_eq!(route, Route::Allow);
    assert_eq!(
        reasons,
        vec!["PROTECTED_BRANCH_PUSH", "PACKAGE_INSTALL", "APPROVED"]
    );
}
