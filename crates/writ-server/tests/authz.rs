//! The authorization matrix: every endpoint × every role, against a real server.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::{Value, json};
use writ_server::Mode;

const ROLES: [&str; 8] = [
    "owner agent",
    "other agent",
    "approver",
    "approver elsewhere",
    "auditor",
    "admin",
    "no token",
    "bad token",
];

fn principals(t: &Tokens) -> Vec<Option<String>> {
    vec![
        Some(t.agent.clone()),
        Some(t.other_agent.clone()),
        Some(t.approver.clone()),
        Some(t.finance.clone()),
        Some(t.auditor.clone()),
        Some(t.admin.clone()),
        None,
        Some("writ_00000000".to_owned()),
    ]
}

fn check(endpoint: &str, got: Vec<(u16, Value)>, want: [u16; 8]) {
    let statuses: Vec<u16> = got.iter().map(|(s, _)| *s).collect();
    for ((role, (status, body)), expected) in ROLES.iter().zip(&got).zip(want) {
        assert_eq!(
            *status, expected,
            "{endpoint} as {role}: got {status}, want {expected}: {body} (all: {statuses:?})"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_for_every_role() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), Mode::Enforce).await;
    let t = tokens(dir.path());
    let who = principals(&t);
    let x = id(&guard(&s, &t.agent, &email(1)).await);

    let mut got = Vec::new();
    for p in &who {
        let (st, v) = s.post(p.as_deref(), "/v1/guard", &listing()).await;
        got.push((st.as_u16(), v));
    }
    check(
        "POST /v1/guard",
        got,
        [200, 200, 403, 403, 403, 200, 401, 401],
    );

    let mut got = Vec::new();
    for p in &who {
        let (st, v) = s.get(p.as_deref(), &format!("/v1/actions/{x}")).await;
        got.push((st.as_u16(), v));
    }
    check(
        "GET /v1/actions/{id}",
        got,
        [200, 403, 200, 200, 200, 200, 401, 401],
    );

    let mut got = Vec::new();
    for p in &who {
        let (st, v) = s
            .post(
                p.as_deref(),
                &format!("/v1/actions/{x}/assumptions"),
                &json!({"kind": "k", "value": 1}),
            )
            .await;
        got.push((st.as_u16(), v));
    }
    check(
        "POST /v1/actions/{id}/assumptions",
        got,
        [200, 403, 403, 403, 403, 200, 401, 401],
    );

    let mut got = Vec::new();
    for p in &who {
        let (st, v) = s.get(p.as_deref(), &format!("/v1/actions/{x}/proof")).await;
        got.push((st.as_u16(), v));
    }
    // 409: allowed, but the action has no certificate before its outcome.
    check(
        "GET /v1/actions/{id}/proof (pending)",
        got,
        [409, 403, 403, 403, 409, 409, 401, 401],
    );

    let mut got = Vec::new();
    for p in &who {
        let (st, v) = s.get(p.as_deref(), "/v1/approvals").await;
        got.push((st.as_u16(), v));
    }
    check(
        "GET /v1/approvals",
        got,
        [403, 403, 200, 200, 200, 200, 401, 401],
    );

    for path in ["/v1/log/checkpoint", "/v1/whoami"] {
        let mut got = Vec::new();
        for p in &who {
            let (st, v) = s.get(p.as_deref(), path).await;
            got.push((st.as_u16(), v));
        }
        check(path, got, [200, 200, 200, 200, 200, 200, 401, 401]);
    }
    for path in ["/healthz", "/metrics", "/v1/log/key", "/approvals"] {
        let mut got = Vec::new();
        for p in &who {
            let (st, v) = s.get(p.as_deref(), path).await;
            got.push((st.as_u16(), v));
        }
        check(path, got, [200; 8]);
    }

    // Approvals and outcomes change the action: a fresh one for each role.
    let mut got = Vec::new();
    for (n, p) in who.iter().enumerate() {
        let a = id(&guard(&s, &t.agent, &email(100 + n as u32)).await);
        let (st, v) = s
            .post(
                p.as_deref(),
                &format!("/v1/actions/{a}/approvals"),
                &json!({"decision": "grant", "comment": "ok"}),
            )
            .await;
        got.push((st.as_u16(), v));
    }
    assert_eq!(got[0].1["code"], "role", "an agent can never approve");
    assert_eq!(got[1].1["code"], "role");
    assert_eq!(got[3].1["code"], "wrong_jurisdiction");
    assert_eq!(got[4].1["code"], "role");
    check(
        "POST /v1/actions/{id}/approvals",
        got,
        [403, 403, 200, 403, 403, 200, 401, 401],
    );

    let mut got = Vec::new();
    for (n, p) in who.iter().enumerate() {
        let a = id(&guard(&s, &t.agent, &email(200 + n as u32)).await);
        let (st, v) = s
            .post(
                p.as_deref(),
                &format!("/v1/actions/{a}/outcome"),
                &json!({"closure": "not_run"}),
            )
            .await;
        got.push((st.as_u16(), v));
    }
    check(
        "POST /v1/actions/{id}/outcome",
        got,
        [200, 403, 403, 403, 403, 200, 401, 401],
    );

    let closed = id(&guard(&s, &t.agent, &listing()).await);
    let (st, _) = s
        .post(
            Some(&t.agent),
            &format!("/v1/actions/{closed}/outcome"),
            &json!({"closure": "completed"}),
        )
        .await;
    assert_eq!(st.as_u16(), 200);
    let mut got = Vec::new();
    for p in &who {
        let (st, v) = s
            .get(p.as_deref(), &format!("/v1/actions/{closed}/proof"))
            .await;
        got.push((st.as_u16(), v));
    }
    check(
        "GET /v1/actions/{id}/proof (certified)",
        got,
        [200, 403, 403, 403, 200, 200, 401, 401],
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_approves_their_own_action() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), Mode::Enforce).await;
    let t = tokens(dir.path());
    // An admin may guard and may approve, but not its own action.
    let mine = id(&guard(&s, &t.admin, &email(1)).await);
    for verdict in ["grant", "deny"] {
        let (st, v) = s
            .post(
                Some(&t.admin),
                &format!("/v1/actions/{mine}/approvals"),
                &json!({"decision": verdict}),
            )
            .await;
        assert_eq!(
            (st.as_u16(), v["code"].as_str()),
            (403, Some("self_approval")),
            "{v}"
        );
    }
    // The agent that guarded an action cannot approve it either.
    let theirs = id(&guard(&s, &t.agent, &email(2)).await);
    let (st, v) = s
        .post(
            Some(&t.agent),
            &format!("/v1/actions/{theirs}/approvals"),
            &json!({"decision": "grant"}),
        )
        .await;
    assert_eq!((st.as_u16(), v["code"].as_str()), (403, Some("role")));
    // Someone else can.
    let (st, v) = s
        .post(
            Some(&t.approver),
            &format!("/v1/actions/{mine}/approvals"),
            &json!({"decision": "grant"}),
        )
        .await;
    assert_eq!(st.as_u16(), 200, "{v}");
    let (_, seen) = s.get(Some(&t.admin), &format!("/v1/actions/{mine}")).await;
    assert_eq!(seen["status"], "released");
    assert_eq!(seen["enforced_route"], "allow");
    s.stop().await;
}
