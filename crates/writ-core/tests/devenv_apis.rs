//! Developer-environment APIs' requests that open a workspace's port to
//! anyone (DOCTRINE, `PUBLIC_EXPOSURE`: "making a resource public"), read
//! from the request's path and body on any host, alike from curl in a
//! shell and through the HTTP gateway: Coder's port share at `public`,
//! Gitpod's environment port admitting everyone. Sharing with signed-in
//! users, listing or deleting shares expose nothing.

#![allow(clippy::panic, clippy::unwrap_used)]

use crate::common;

use serde_json::Value;
use writ_core::{Route, Runtime};

const DEPLOYMENT: &str = r#"{
    "organization": "lumen",
    "workspace": "/home/dana/ws",
    "home": "/home/dana",
    "org_domains": ["lumen.io", "lumen.dev"],
    "approvers": {"security": ["sec@lumen.io"]}
}"#;

const CODER: &str =
    "https://coder.lumen.dev/api/v2/workspaces/0d6c5a3e-8f41-4b7e-9a2c-5e1f7b3d9c04/port-share";
const GITPOD: &str = "https://app.gitpod.io/api/gitpod.v1.EnvironmentService/UpdateEnvironment";

/// One request as curl sends it from a shell and as the HTTP gateway sees
/// it.
fn request(method: &str, url: &str, body: &str) -> Vec<(Runtime, Value)> {
    common::curl_and_gateway(
        method,
        url,
        &[
            ("Content-Type", "application/json"),
            ("Coder-Session-Token", "tok"),
        ],
        body,
    )
}

/// Every request routes to `route` with exactly `reasons`, from both
/// runtimes; the failures are listed together.
fn check(cases: &[(&str, &str, &str)], route: Route, reasons: &[&str]) {
    let engine = common::engine(DEPLOYMENT);
    let wanted = (
        route,
        reasons.iter().map(|r| (*r).to_owned()).collect::<Vec<_>>(),
    );
    let mut wrong = Vec::new();
    for (method, url, body) in cases {
        for event in request(method, url, body) {
            let decision = common::decide(&engine, &event);
            let got = (decision.route, decision.reasons);
            if got != wanted {
                wrong.push(format!("{:?} {method} {url} {body}: {got:?}", event.0));
            }
        }
    }
    assert!(wrong.is_empty(), "wanted {wanted:?}:\n{}", wrong.join("\n"));
}

#[test]
fn public_port_shares_are_exposure() {
    check(
        &[
            (
                "POST",
                CODER,
                r#"{"agent_name":"main","port":5173,"protocol":"https","share_level":"public"}"#,
            ),
            (
                "POST",
                "https://dev.example.net/coder/api/v2/workspaces/ws1/port-share",
                r#"{"agent_name":"main","port":8080,"share_level":"public"}"#,
            ),
            (
                "POST",
                GITPOD,
                r#"{"environmentId":"e1","spec":{"ports":[{"port":8080,"name":"web","admission":"ADMISSION_LEVEL_EVERYONE"}]}}"#,
            ),
        ],
        Route::Block,
        &["PUBLIC_EXPOSURE"],
    );
}

#[test]
fn private_port_shares_are_not_exposure() {
    check(
        &[
            (
                "POST",
                CODER,
                r#"{"agent_name":"main","port":5173,"share_level":"authenticated"}"#,
            ),
            (
                "POST",
                CODER,
                r#"{"agent_name":"main","port":5173,"share_level":"owner"}"#,
            ),
            (
                "POST",
                CODER,
                r#"{"agent_name":"main","port":5173,"share_level":"organization"}"#,
            ),
            ("GET", CODER, ""),
            ("DELETE", CODER, r#"{"agent_name":"main","port":5173}"#),
        ],
        Route::Allow,
        &[],
    );
    // Gitpod's host is outside the organization: a write there, not an
    // exposure.
    check(
        &[(
            "POST",
            GITPOD,
            r#"{"environmentId":"e1","spec":{"ports":[{"port":8080,"admission":"ADMISSION_LEVEL_OWNER_ONLY"}]}}"#,
        )],
        Route::RequireApproval,
        &["EXTERNAL_WRITE"],
    );
}
