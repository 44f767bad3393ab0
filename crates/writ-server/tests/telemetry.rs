//! Spans over OTLP: a real server exports a span per checkpoint to a real
//! OTLP/HTTP (JSON) receiver on a loopback port.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use common::{Server, email, guard, id, listing, tokens};
use reqwest::StatusCode;
use serde_json::{Value, json};
use writ_server::Mode;
use writ_server::telemetry::{OtlpConfig, OtlpProtocol};

type Received = Arc<Mutex<Vec<Value>>>;

/// An OTLP/HTTP JSON collector: keeps every `/v1/traces` request body.
async fn collector() -> (String, Received) {
    let received: Received = Arc::default();
    let app = axum::Router::new()
        .route(
            "/v1/traces",
            post(|State(r): State<Received>, body: Bytes| async move {
                r.lock()
                    .unwrap()
                    .push(serde_json::from_slice(&body).unwrap());
                axum::Json(json!({}))
            }),
        )
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), received)
}

/// A span as the receiver got it, with its attributes flattened.
#[derive(Debug)]
struct Span {
    name: String,
    trace_id: String,
    span_id: String,
    parent: String,
    attrs: BTreeMap<String, Value>,
    status: Value,
}

fn spans(received: &Received) -> Vec<Span> {
    let mut out = Vec::new();
    for body in received.lock().unwrap().iter() {
        for rs in body["resourceSpans"].as_array().unwrap() {
            let service = rs["resource"]["attributes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["key"] == "service.name")
                .unwrap();
            assert_eq!(service["value"]["stringValue"], "writ");
            for ss in rs["scopeSpans"].as_array().unwrap() {
                for s in ss["spans"].as_array().unwrap() {
                    let attrs = s["attributes"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|a| (a["key"].as_str().unwrap().to_owned(), a["value"].clone()))
                        .collect();
                    out.push(Span {
                        name: s["name"].as_str().unwrap().to_owned(),
                        trace_id: s["traceId"].as_str().unwrap().to_lowercase(),
                        span_id: s["spanId"].as_str().unwrap().to_lowercase(),
                        parent: s["parentSpanId"].as_str().unwrap_or("").to_lowercase(),
                        attrs,
                        status: s["status"].clone(),
                    });
                }
            }
        }
    }
    out
}

fn text<'a>(span: &'a Span, key: &str) -> &'a str {
    span.attrs
        .get(key)
        .and_then(|v| v["stringValue"].as_str())
        .unwrap_or_else(|| panic!("{key} missing in {span:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_checkpoint_of_an_action_is_a_span_in_one_trace() {
    let (endpoint, received) = collector().await;
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start_with(dir.path(), Mode::Enforce, |c| {
        c.otlp = Some(OtlpConfig {
            endpoint: Some(endpoint),
            protocol: OtlpProtocol::Json,
            batch_delay: Some(Duration::from_millis(50)),
        });
    })
    .await;
    let t = tokens(dir.path());

    // The agent's own trace: writ's spans join it.
    let agent_trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    let agent_span = "00f067aa0ba902b7";
    let resp = s
        .client
        .post(s.url("/v1/guard"))
        .bearer_auth(&t.agent)
        .header("traceparent", format!("00-{agent_trace}-{agent_span}-01"))
        .json(&email(1))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let out: Value = resp.json().await.unwrap();
    assert_eq!(out["route"], "require_approval");
    let action = id(&out);

    let path = format!("/v1/actions/{action}");
    let (status, _) = s
        .post(
            Some(&t.agent),
            &format!("{path}/assumptions"),
            &json!({"kind": "recipient_known", "value": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = s
        .post(
            Some(&t.approver),
            &format!("{path}/approvals"),
            &json!({"decision": "grant", "comment": "expected"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, closed) = s
        .post(
            Some(&t.agent),
            &format!("{path}/outcome"),
            &json!({"closure": "completed", "result": {"sent": true}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    let digest = closed["certificate_digest"].as_str().unwrap().to_owned();
    assert!(
        digest.starts_with("sha256:") && digest.len() == 71,
        "{digest}"
    );

    // An allowed action in another trace, and a refused request.
    guard(&s, &t.agent, &listing()).await;
    let (status, _) = s.post(Some("writ_bogus"), "/v1/guard", &email(2)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Stopping the server sends what is buffered.
    s.stop().await;
    let spans = spans(&received);
    let of_action: Vec<&Span> = spans
        .iter()
        .filter(|s| {
            s.attrs
                .get("writ.action.id")
                .and_then(|v| v["stringValue"].as_str())
                == Some(action.as_str())
        })
        .collect();
    let checkpoints: Vec<&str> = of_action
        .iter()
        .map(|s| text(s, "writ.checkpoint"))
        .collect();
    assert_eq!(
        checkpoints,
        ["guard", "open", "assumption", "approval", "outcome"],
        "{spans:#?}"
    );
    let guard_span = of_action[0];
    assert_eq!(guard_span.trace_id, agent_trace);
    assert_eq!(guard_span.parent, agent_span);
    for span in &of_action {
        assert_eq!(span.name, "execute_tool gmail/send_message");
        assert_eq!(text(span, "gen_ai.operation.name"), "execute_tool");
        assert_eq!(text(span, "gen_ai.tool.name"), "gmail/send_message");
        assert_eq!(text(span, "gen_ai.conversation.id"), "session-1");
        assert_eq!(text(span, "writ.route"), "require_approval");
        assert_eq!(span.trace_id, agent_trace, "one action, one trace");
        if span.span_id != guard_span.span_id {
            assert_eq!(span.parent, guard_span.span_id, "{span:?}");
        }
        let reasons = &span.attrs["writ.reasons"]["arrayValue"]["values"];
        assert!(
            reasons
                .as_array()
                .unwrap()
                .contains(&json!({"stringValue": "UNKNOWN_TOOL"})),
            "{reasons}"
        );
        assert_eq!(text(span, "gen_ai.tool.call.id"), "1", "the MCP request id");
    }
    assert_eq!(text(of_action[0], "writ.status"), "pending");
    assert_eq!(
        text(of_action[2], "writ.assumption.kind"),
        "recipient_known"
    );
    assert_eq!(text(of_action[3], "writ.approval.decision"), "grant");
    assert_eq!(text(of_action[3], "writ.approval.by"), "alice@example.com");
    assert_eq!(text(of_action[3], "writ.enforced_route"), "allow");
    assert_eq!(text(of_action[4], "writ.outcome.closure"), "completed");
    assert_eq!(text(of_action[4], "writ.certificate.digest"), digest);
    assert_eq!(text(of_action[4], "writ.status"), "closed");

    let allowed = spans
        .iter()
        .find(|s| s.name == "execute_tool Bash" && text(s, "writ.checkpoint") == "guard")
        .unwrap();
    assert_eq!(text(allowed, "writ.route"), "allow");
    assert_ne!(allowed.trace_id, agent_trace);
    assert!(allowed.parent.is_empty());

    let refused = spans
        .iter()
        .find(|s| s.attrs.contains_key("error.type"))
        .unwrap();
    assert_eq!(text(refused, "error.type"), "unauthorized");
    assert_eq!(
        refused.status["code"], 2,
        "STATUS_CODE_ERROR: {:?}",
        refused.status
    );
}
