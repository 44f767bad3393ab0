//! A rule in `@mode("shadow")` beside enforcing rules: it is evaluated and
//! recorded with the action and its proof, but the enforcing rules decide.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;
use writ_server::Mode;

/// A stricter rule being tried: block every tool nothing describes.
const NEW_RULE: &str = r#"@id("UNKNOWN_TOOL_BLOCK")
@reason("UNKNOWN_TOOL_BLOCK")
@route("block")
@mode("shadow")
@description("block tools nothing describes (trial)")
forbid (principal, action == Writ::Action::"invoke", resource)
when { !context.tool.known };
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shadow_rule_is_recorded_while_the_others_decide() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy");
    std::fs::create_dir_all(&policy).unwrap();
    for (name, text) in writ_core::PolicyPack::default_pack().unwrap().sources {
        std::fs::write(policy.join(name), text).unwrap();
    }
    std::fs::write(policy.join("zz-trial.cedar"), NEW_RULE).unwrap();
    let s = Server::start(dir.path(), Mode::Enforce).await;
    let t = tokens(dir.path());

    let out = guard(&s, &t.agent, &email(1)).await;
    assert_eq!(out["route"], "require_approval", "{out}");
    assert_eq!(out["reasons"], json!(["UNKNOWN_TOOL"]));
    assert_eq!(out["shadowed"][0]["reason"], "UNKNOWN_TOOL_BLOCK");
    assert_eq!(out["shadow_route"], "block");
    let action = id(&out);

    // The approval, outcome and proof go on as the enforcing rules say.
    let (status, _) = s
        .post(
            Some(&t.approver),
            &format!("/v1/actions/{action}/approvals"),
            &json!({"decision": "grant", "comment": "fine"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, closed) = s
        .post(
            Some(&t.agent),
            &format!("/v1/actions/{action}/outcome"),
            &json!({"closure": "completed", "result": {}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    let (_, view) = s
        .get(Some(&t.auditor), &format!("/v1/actions/{action}"))
        .await;
    assert_eq!(
        view["decision"]["shadowed"][0]["policy"],
        "UNKNOWN_TOOL_BLOCK"
    );
    let (status, bundle) = s
        .get(Some(&t.auditor), &format!("/v1/actions/{action}/proof"))
        .await;
    assert_eq!(status, StatusCode::OK, "{bundle}");
    writ_lifecycle::verify_bundle(&bundle, &[vkey(&s).await]).unwrap();

    // Operators see how often the trial rule would have decided.
    let (_, metrics) = s.get(None, "/metrics").await;
    assert!(
        metrics
            .as_str()
            .unwrap()
            .contains("writ_shadow_rules_total{reason=\"UNKNOWN_TOOL_BLOCK\",route=\"block\"} 1"),
        "{metrics}"
    );
    s.stop().await;
}
