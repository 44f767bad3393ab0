//! The API against a real server on a loopback port, with a real HTTP client.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use writ_server::Mode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_run_creates_everything_and_serves_health_and_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let s = Server::start(&data, Mode::Enforce).await;
    for file in ["ledger.skey", "ledger.vkey", "ledger.db"] {
        assert!(data.join(file).exists(), "{file} missing");
    }
    // One database: the log, sessions, principals and actions.
    for file in ["writ.db", "server.db"] {
        assert!(!data.join(file).exists(), "{file} made");
    }
    assert!(std::fs::read_dir(data.join("policy")).unwrap().count() > 0);
    let (status, health) = s.get(None, "/healthz").await;
    assert_eq!(
        (status, health["status"].as_str()),
        (StatusCode::OK, Some("ok"))
    );
    let t = tokens(&data);
    guard(&s, &t.agent, &listing()).await;
    guard(&s, &t.agent, &email(1)).await;
    let (status, metrics) = s.get(None, "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    let metrics = metrics.as_str().unwrap().to_owned();
    assert!(
        metrics.contains("writ_decisions_total{route=\"allow\",mode=\"enforce\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("writ_decisions_total{route=\"require_approval\",mode=\"enforce\"} 1")
    );
    assert!(metrics.contains("writ_decision_reasons_total{reason=\"UNKNOWN_TOOL\"} 1"));
    assert!(metrics.contains("writ_pending_approvals 1"));
    assert!(metrics.contains("writ_checkpoint_duration_seconds_count{checkpoint=\"guard\"} 2"));
    let size_line = metrics
        .lines()
        .find(|l| l.starts_with("writ_ledger_size "))
        .unwrap();
    assert_ne!(size_line, "writ_ledger_size 0");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn require_approval_becomes_allow_after_a_grant_and_the_proof_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), Mode::Enforce).await;
    let t = tokens(dir.path());

    let out = guard(&s, &t.agent, &email(1)).await;
    assert_eq!(out["route"], "require_approval");
    assert_eq!(out["status"], "pending");
    assert_eq!(out["enforced_route"], "require_approval");
    assert_eq!(out["released"], false);
    assert_eq!(out["mode"], "enforce");
    assert_eq!(out["required_jurisdictions"], json!(["platform"]));
    assert!(
        out["reasons"]
            .as_array()
            .unwrap()
            .contains(&json!("UNKNOWN_TOOL"))
    );
    assert!(out["policy_digest"].is_string() && out["facts"].is_object());
    let action = id(&out);

    // The agent waits for the decision while a reviewer grants it.
    let waiter = {
        let client = s.client.clone();
        let url = s.url(&format!("/v1/actions/{action}?wait=20"));
        let token = t.agent.clone();
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            let v: Value = client
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            (v, started.elapsed())
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let (status, reviewed) = s
        .post(
            Some(&t.approver),
            &format!("/v1/actions/{action}/approvals"),
            &json!({"decision": "grant", "comment": "expected newsletter"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{reviewed}");
    assert_eq!(reviewed["status"], "released");
    assert_eq!(
        reviewed["release_token"],
        Value::Null,
        "approvers do not get the token"
    );
    let (seen, waited) = waiter.await.unwrap();
    assert!(
        waited >= std::time::Duration::from_millis(250),
        "{waited:?}"
    );
    assert_eq!(seen["status"], "released");
    assert_eq!(seen["enforced_route"], "allow");
    assert_eq!(seen["released"], true);
    assert!(seen["release_token"].as_str().unwrap().len() > 20);
    assert_eq!(seen["reviews"][0]["by"], "alice@example.com");
    assert_eq!(seen["reviews"][0]["comment"], "expected newsletter");

    let (status, _) = s
        .post(
            Some(&t.agent),
            &format!("/v1/actions/{action}/assumptions"),
            &json!({"kind": "recipient_verified", "value": {"to": "someone@example.net"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, closed) = s
        .post(
            Some(&t.agent),
            &format!("/v1/actions/{action}/outcome"),
            &json!({"closure": "completed", "result": {"message_id": "m-1"}, "output": "sent"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["certified"], true);

    let (status, bundle) = s
        .get(Some(&t.auditor), &format!("/v1/actions/{action}/proof"))
        .await;
    assert_eq!(status, StatusCode::OK, "{bundle}");
    let report = writ_lifecycle::verify_bundle(&bundle, &[vkey(&s).await]).unwrap();
    assert_eq!(report.actions.len(), 1);
    assert!(
        report.replayed >= 2,
        "the approved re-decision is replayed too"
    );
    // The approver's identity is in the signed grant receipt.
    let receipts = bundle["evidence"]["actions"][0]["receipts"]
        .as_array()
        .unwrap();
    let grant = receipts
        .iter()
        .find(|r| r["receipt"]["kind"] == "approval_grant")
        .unwrap();
    assert_eq!(grant["receipt"]["body"]["approver"], "alice@example.com");
    assert_eq!(grant["receipt"]["body"]["jurisdiction"], "platform");

    let resp = s
        .client
        .get(s.url("/v1/log/checkpoint"))
        .bearer_auth(&t.auditor)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let checkpoint = resp.text().await.unwrap();
    assert!(
        checkpoint.starts_with("writ.local/ledger\n"),
        "{checkpoint}"
    );

    // Approving again is a conflict, not a second release.
    let (status, problem) = s
        .post(
            Some(&t.admin),
            &format!("/v1/actions/{action}/approvals"),
            &json!({"decision": "grant"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem["code"], "not_pending");
    s.stop().await;
}

/// The token of a release made at the guard is signed on the request's
/// thread from the claims the core kept: it verifies with the server's key
/// for the exact arguments, and reads back the same after a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_release_token_verifies_and_reads_back_the_same_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), Mode::Enforce).await;
    let t = tokens(dir.path());
    let out = guard(&s, &t.agent, &listing()).await;
    assert_eq!(out["status"], "released");
    let token = out["release_token"].as_str().unwrap().to_owned();
    let action = id(&out);
    let key = vkey(&s).await;
    let claims = writ_proof::verify_release(
        &token,
        key.verifying_key(),
        &json!({"command": "ls"}),
        writ_proof::unix_now(),
        &mut writ_proof::MemoryNonceStore::default(),
    )
    .unwrap();
    assert!(claims.expires_at > claims.issued_at);
    let refused = writ_proof::verify_release(
        &token,
        key.verifying_key(),
        &json!({"command": "rm -rf /"}),
        writ_proof::unix_now(),
        &mut writ_proof::MemoryNonceStore::default(),
    );
    assert!(refused.is_err(), "other arguments are refused");
    let (_, seen) = s
        .get(Some(&t.agent), &format!("/v1/actions/{action}"))
        .await;
    assert_eq!(seen["release_token"], token.as_str());
    s.stop().await;

    let s = Server::start(dir.path(), Mode::Enforce).await;
    let (_, seen) = s
        .get(Some(&t.agent), &format!("/v1/actions/{action}"))
        .await;
    assert_eq!(seen["release_token"], token.as_str());
    let (_, audited) = s
        .get(Some(&t.auditor), &format!("/v1/actions/{action}"))
        .await;
    assert_eq!(
        audited["release_token"],
        Value::Null,
        "only its agent and admins see it"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denied_action_is_blocked_and_still_certified() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), Mode::Enforce).await;
    let t = tokens(dir.path());
    let action = id(&guard(&s, &t.agent, &email(2)).await);
    let (status, denied) = s
        .post(
            Some(&t.approver),
            &format!("/v1/actions/{action}/approvals"),
            &json!({"decision": "deny", "comment": "not to that address"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(denied["status"], "denied");
    assert_eq!(denied["enforced_route"], "block");
    let (status, _) = s
        .post(
            Some(&t.agent),
            &format!("/v1/actions/{action}/outcome"),
            &json!({"closure": "completed"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a denied action cannot have run"
    );
    let (status, closed) = s
        .post(
            Some(&t.agent),
            &format!("/v1/actions/{action}/outcome"),
            &json!({"closure": "not_run"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    let (_, bundle) = s
        .get(Some(&t.agent), &format!("/v1/actions/{action}/proof"))
        .await;
    writ_lifecycle::verify_bundle(&bundle, &[vkey(&s).await]).unwrap();
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), Mode::Enforce).await;
    let t = tokens(dir.path());
    let action = id(&guard(&s, &t.agent, &email(3)).await);
    let (status, _) = s
        .post(
            Some(&t.agent),
            &format!("/v1/actions/{action}/assumptions"),
            &json!({"kind": "draft", "value": "v1"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    s.stop().await;

    let s = Server::start(dir.path(), Mode::Enforce).await;
    let (status, pending) = s.get(Some(&t.approver), "/v1/approvals").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(pending["pending"][0]["action_id"], action.as_str());
    let (status, out) = s
        .post(
            Some(&t.approver),
            &format!("/v1/actions/{action}/approvals"),
            &json!({"decision": "grant"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    s.stop().await;

    let s = Server::start(dir.path(), Mode::Enforce).await;
    let (_, seen) = s
        .get(Some(&t.agent), &format!("/v1/actions/{action}"))
        .await;
    assert_eq!(seen["status"], "released");
    let (status, out) = s
        .post(
            Some(&t.agent),
            &format!("/v1/actions/{action}/outcome"),
            &json!({"closure": "completed"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    s.stop().await;

    let s = Server::start(dir.path(), Mode::Enforce).await;
    let (status, bundle) = s
        .get(Some(&t.admin), &format!("/v1/actions/{action}/proof"))
        .await;
    assert_eq!(status, StatusCode::OK, "{bundle}");
    let report = writ_lifecycle::verify_bundle(&bundle, &[vkey(&s).await]).unwrap();
    assert_eq!(report.actions.len(), 1);
    let kinds: Vec<&str> = bundle["evidence"]["actions"][0]["receipts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["receipt"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "decision",
            "approval_request",
            "assumption",
            "approval_grant",
            "release",
            "outcome"
        ]
    );
    s.stop().await;

    // The record cites each receipt at the leaf that holds it: none was
    // logged again after a restart, and none cites another's leaf.
    let db = rusqlite::Connection::open(dir.path().join("ledger.db")).unwrap();
    let text: String = db
        .query_row("SELECT record FROM actions WHERE id = ?1", [&action], |r| {
            r.get(0)
        })
        .unwrap();
    let record: Value = serde_json::from_str(&text).unwrap();
    let leaves = record["leaves"].as_array().unwrap();
    assert_eq!(leaves.len(), kinds.len());
    let logged: Vec<Value> = leaves
        .iter()
        .map(|leaf| {
            let data: Vec<u8> = db
                .query_row(
                    "SELECT data FROM leaves WHERE idx = ?1",
                    [leaf.as_i64().unwrap()],
                    |r| r.get(0),
                )
                .unwrap();
            serde_json::from_slice::<Value>(&data).unwrap()["receipt"].clone()
        })
        .collect();
    // A grant binds to the action's digest, the others name its id.
    let digest = logged[0]["body"]["action_digest"].clone();
    for ((receipt, kind), leaf) in logged.iter().zip(&kinds).zip(leaves) {
        assert_eq!(receipt["kind"].as_str(), Some(*kind), "leaf {leaf}");
        assert!(
            receipt["body"]["action_id"].as_str() == Some(action.as_str())
                || receipt["body"]["action_digest"] == digest,
            "leaf {leaf}: {receipt}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_that_cannot_start_is_refused_alone_and_the_server_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start_with(dir.path(), Mode::Enforce, |c| {
        c.lock_wait = std::time::Duration::from_millis(200);
    })
    .await;
    let t = tokens(dir.path());
    let before = id(&guard(&s, &t.agent, &email(1)).await);

    // Another process holds the database's write lock past the wait.
    let other = rusqlite::Connection::open(dir.path().join("ledger.db")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let (status, problem) = s.post(Some(&t.agent), "/v1/guard", &email(2)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{problem}");
    assert_eq!(problem["code"], "database_unavailable");
    assert!(
        problem["detail"].as_str().unwrap().contains("did not run"),
        "{problem}"
    );
    other.execute_batch("ROLLBACK").unwrap();

    // Nothing of the refused request was kept, and the server goes on.
    let after = id(&guard(&s, &t.agent, &email(2)).await);
    let (status, pending) = s.get(Some(&t.approver), "/v1/approvals").await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> = pending["pending"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["action_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "{pending}");
    assert!(ids.contains(&before.as_str()) && ids.contains(&after.as_str()));
    let (status, out) = s
        .post(
            Some(&t.approver),
            &format!("/v1/actions/{after}/approvals"),
            &json!({"decision": "grant"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receipt_the_log_does_not_hold_is_logged_again_after_a_restart() {
    // As when a pending action's receipts were logged in an older format:
    // its record cites leaves that hold other bytes.
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), Mode::Enforce).await;
    let t = tokens(dir.path());
    let action = id(&guard(&s, &t.agent, &email(4)).await);
    s.stop().await;

    let db = rusqlite::Connection::open(dir.path().join("ledger.db")).unwrap();
    let text: String = db
        .query_row("SELECT record FROM actions WHERE id = ?1", [&action], |r| {
            r.get(0)
        })
        .unwrap();
    let mut record: Value = serde_json::from_str(&text).unwrap();
    let leaves = record["leaves"].as_array_mut().unwrap();
    assert!(leaves.len() >= 2, "{leaves:?}");
    let first = leaves[0].clone();
    for leaf in leaves.iter_mut() {
        *leaf = first.clone();
    }
    db.execute(
        "UPDATE actions SET record = ?2 WHERE id = ?1",
        [&action, &record.to_string()],
    )
    .unwrap();
    drop(db);

    let s = Server::start(dir.path(), Mode::Enforce).await;
    let (status, out) = s
        .post(
            Some(&t.approver),
            &format!("/v1/actions/{action}/approvals"),
            &json!({"decision": "grant"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    let (status, out) = s
        .post(
            Some(&t.agent),
            &format!("/v1/actions/{action}/outcome"),
            &json!({"closure": "completed"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    let (status, bundle) = s
        .get(Some(&t.admin), &format!("/v1/actions/{action}/proof"))
        .await;
    assert_eq!(status, StatusCode::OK, "{bundle}");
    writ_lifecycle::verify_bundle(&bundle, &[vkey(&s).await]).unwrap();
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_problem_json() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), Mode::Enforce).await;
    let t = tokens(dir.path());
    let send = |body: &'static str| {
        s.client
            .post(s.url("/v1/guard"))
            .bearer_auth(&t.agent)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    for (body, code) in [
        ("{not json", "bad_request"),
        ("{\"event\": 1}", "bad_request"),
        ("{\"runtime\": \"nope\", \"event\": {}}", "bad_request"),
        (
            "{\"runtime\": \"mcp\", \"event\": {\"server\": 1}}",
            "bad_request",
        ),
        ("{\"event\": {}, \"surprise\": true}", "bad_request"),
    ] {
        let resp = send(body).await.unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{body}");
        assert!(is_problem(&resp));
        let v: Value = resp.json().await.unwrap();
        assert_eq!(v["code"], code);
        assert_eq!(v["status"], 400);
        assert!(!v["detail"].as_str().unwrap().is_empty());
    }
    let big = format!("{{\"event\": \"{}\"}}", "x".repeat(100 * 1024));
    let resp = s
        .client
        .post(s.url("/v1/guard"))
        .bearer_auth(&t.agent)
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(is_problem(&resp));
    let (status, v) = s.get(Some(&t.admin), "/v1/actions/act_00").await;
    assert_eq!(
        (status, v["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (status, _) = s.get(Some(&t.admin), "/v1/actions/../../etc").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = s.get(Some(&t.admin), "/v1/actions/act_00?wait=soon").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = s.get(None, "/v1/nothing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let action = id(&guard(&s, &t.agent, &email(4)).await);
    let (status, v) = s
        .post(
            Some(&t.approver),
            &format!("/v1/actions/{action}/approvals"),
            &json!({"decision": "maybe"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    let (status, v) = s
        .post(
            Some(&t.agent),
            &format!("/v1/actions/{action}/outcome"),
            &json!({"closure": "exploded"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shadow_mode_releases_everything_and_records_the_mode() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), Mode::Shadow).await;
    let t = tokens(dir.path());
    let out = guard(&s, &t.agent, &email(5)).await;
    assert_eq!(out["route"], "require_approval");
    assert_eq!(out["mode"], "shadow");
    assert_eq!(out["enforced_route"], "allow");
    assert_eq!(out["released"], true);
    let action = id(&out);
    let (status, closed) = s
        .post(
            Some(&t.agent),
            &format!("/v1/actions/{action}/outcome"),
            &json!({"closure": "completed"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(closed["mode"], "shadow");
    let (_, metrics) = s.get(None, "/metrics").await;
    assert!(metrics.as_str().unwrap().contains("mode=\"shadow\""));
    s.stop().await;

    let s = Server::start(dir.path(), Mode::Advisory).await;
    let out = guard(&s, &t.agent, &email(6)).await;
    assert_eq!(
        (out["mode"].as_str(), out["enforced_route"].as_str()),
        (Some("advisory"), Some("warn"))
    );
    let allowed = guard(&s, &t.agent, &listing()).await;
    assert_eq!(allowed["enforced_route"], "allow");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoked_tokens_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), Mode::Enforce).await;
    let t = tokens(dir.path());
    let (status, who) = s.get(Some(&t.agent), "/v1/whoami").await;
    assert_eq!(
        (status, who["role"].as_str()),
        (StatusCode::OK, Some("agent"))
    );
    writ_server::tokens_revoke(dir.path(), "agent-a").unwrap();
    let (status, v) = s.get(Some(&t.agent), "/v1/whoami").await;
    assert_eq!(
        (status, v["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    let listed = writ_server::tokens_list(dir.path()).unwrap();
    assert_eq!(listed.len(), 6);
    assert!(
        listed
            .iter()
            .any(|i| i.name == "agent-a" && i.revoked_at.is_some())
    );
    // The database holds hashes only.
    for file in ["ledger.db", "ledger.db-wal"] {
        let raw = std::fs::read(dir.path().join(file)).unwrap_or_default();
        let needle = t.admin.as_bytes();
        assert!(!raw.windows(needle.len()).any(|w| w == needle), "{file}");
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pending_actions_expire_when_nobody_reviews_them() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start_with(dir.path(), Mode::Enforce, |c| c.approval_timeout = 1).await;
    let t = tokens(dir.path());
    let action = id(&guard(&s, &t.agent, &email(9)).await);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (status, v) = s
        .post(
            Some(&t.approver),
            &format!("/v1/actions/{action}/approvals"),
            &json!({"decision": "grant"}),
        )
        .await;
    assert_eq!(
        (status, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_pending"))
    );
    let (_, seen) = s
        .get(Some(&t.agent), &format!("/v1/actions/{action}"))
        .await;
    assert_eq!(seen["status"], "expired");
    assert_eq!(seen["enforced_route"], "block");
    let (_, queue) = s.get(Some(&t.approver), "/v1/approvals").await;
    assert_eq!(queue["pending"], json!([]));
    let (status, _) = s
        .post(
            Some(&t.agent),
            &format!("/v1/actions/{action}/outcome"),
            &json!({"closure": "not_run"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_earlier_layout_is_carried_into_the_one_database() {
    // Earlier servers kept principals and actions in `server.db` and
    // sessions in `writ.db`, beside the log in `ledger.db`. Make that
    // layout from a real run: the tables moved out of the log's file.
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    let s = Server::start(&first, Mode::Enforce).await;
    let t = tokens(&first);
    let pending = id(&guard(&s, &t.agent, &email(11)).await);
    guard(&s, &t.agent, &listing_in("carried")).await;
    // The listing ran: its post event closes it into the session's state.
    let mut ran = listing_in("carried");
    ran["event"]["hook_event_name"] = json!("PostToolUse");
    ran["event"]["tool_response"] = json!({"stdout": "a b", "stderr": "", "interrupted": false});
    guard(&s, &t.agent, &ran).await;
    s.stop().await;

    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    for file in ["ledger.skey", "ledger.vkey"] {
        std::fs::copy(first.join(file), data.join(file)).unwrap();
    }
    let whole = rusqlite::Connection::open(first.join("ledger.db")).unwrap();
    for file in ["ledger.db", "server.db", "writ.db"] {
        whole
            .execute("VACUUM INTO ?1", [data.join(file).to_str().unwrap()])
            .unwrap();
    }
    let log = rusqlite::Connection::open(data.join("ledger.db")).unwrap();
    log.execute_batch(
        "DELETE FROM tokens; DELETE FROM contexts; DELETE FROM actions;
         DELETE FROM sessions;",
    )
    .unwrap();
    drop(log);
    let session_state = |db: &rusqlite::Connection| -> String {
        db.query_row("SELECT state FROM sessions WHERE id = 'carried'", [], |r| {
            r.get(0)
        })
        .unwrap()
    };
    let state_before = session_state(&whole);

    let s = Server::start(&data, Mode::Enforce).await;
    assert!(!data.join("server.db").exists());
    assert!(data.join("server.db.merged").exists());
    // The tokens authenticate, the action is there with its proof, and
    // the approver can still decide it.
    let (status, v) = s
        .get(Some(&t.auditor), &format!("/v1/actions/{pending}"))
        .await;
    assert_eq!(
        (status, v["status"].as_str()),
        (StatusCode::OK, Some("pending"))
    );
    let (status, reviewed) = s
        .post(
            Some(&t.approver),
            &format!("/v1/actions/{pending}/approvals"),
            &json!({"decision": "grant"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{reviewed}");
    assert_eq!(reviewed["status"], "released");
    let (status, closed) = s
        .post(
            Some(&t.agent),
            &format!("/v1/actions/{pending}/outcome"),
            &json!({"closure": "completed", "result": {"message_id": "m-11"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    let (status, bundle) = s
        .get(Some(&t.auditor), &format!("/v1/actions/{pending}/proof"))
        .await;
    assert_eq!(status, StatusCode::OK, "{bundle}");
    let report = writ_lifecycle::verify_bundle(&bundle, &[vkey(&s).await]).unwrap();
    assert_eq!(report.actions.len(), 1);
    s.stop().await;
    let merged = rusqlite::Connection::open(data.join("ledger.db")).unwrap();
    assert_eq!(session_state(&merged), state_before);

    // A second start has nothing to carry over and changes nothing.
    let s = Server::start(&data, Mode::Enforce).await;
    let (status, v) = s
        .get(Some(&t.auditor), &format!("/v1/actions/{pending}"))
        .await;
    assert_eq!(
        (status, v["status"].as_str()),
        (StatusCode::OK, Some("closed"))
    );
    s.stop().await;
}
