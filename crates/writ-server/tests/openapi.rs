//! The OpenAPI document: generated from the code, committed as
//! `docs/openapi.json`, served at `/openapi.json`, and complete.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::Value;
use writ_server::Mode;

const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
const UPDATE: &str = "WRIT_UPDATE_OPENAPI";

fn generated() -> String {
    writ_server::openapi::document().unwrap()
}

/// The committed document is the generated one, byte for byte.
#[test]
fn the_committed_document_is_the_generated_one() {
    let now = generated();
    if std::env::var_os(UPDATE).is_some() {
        std::fs::write(COMMITTED, &now).unwrap();
    }
    let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
    assert!(
        committed == now,
        "docs/openapi.json drifted from the code: regenerate it with\n  \
         {UPDATE}=1 cargo test -p writ-server --test openapi\nand commit it"
    );
}

/// Every route the router serves is documented, with its errors and bearer auth.
#[test]
fn every_endpoint_is_documented() {
    let doc: Value = serde_json::from_str(&generated()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let expected = [
        ("/v1/guard", "post"),
        ("/v1/actions/{id}", "get"),
        ("/v1/actions/{id}/assumptions", "post"),
        ("/v1/actions/{id}/approvals", "post"),
        ("/v1/actions/{id}/outcome", "post"),
        ("/v1/actions/{id}/proof", "get"),
        ("/v1/approvals", "get"),
        ("/v1/whoami", "get"),
        ("/v1/log/checkpoint", "get"),
        ("/v1/log/key", "get"),
        ("/healthz", "get"),
        ("/metrics", "get"),
        ("/openapi.json", "get"),
        ("/approvals", "get"),
        ("/approvals/queue", "get"),
        ("/approvals/login", "post"),
        ("/approvals/logout", "post"),
        ("/approvals/{id}", "post"),
    ];
    for (path, method) in expected {
        let op = &paths[path][method];
        assert!(op.is_object(), "{method} {path} is not documented");
        assert!(op["responses"]["200"].is_object() || op["responses"]["303"].is_object());
        if path.starts_with("/v1/") && path != "/v1/log/key" {
            assert_eq!(
                op["security"][0]["bearer"],
                Value::Array(vec![]),
                "{path}: bearer auth"
            );
            let unauthorized = &op["responses"]["401"]["content"]["application/problem+json"];
            assert_eq!(
                unauthorized["schema"]["$ref"], "#/components/schemas/ProblemDocument",
                "{path}: 401 is a problem document"
            );
        }
    }
    assert_eq!(
        paths.len(),
        expected.len(),
        "an undocumented path is listed"
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let guard = &paths["/v1/guard"]["post"];
    assert_eq!(
        guard["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/GuardRequest"
    );
    for status in ["400", "413"] {
        assert!(
            guard["responses"][status]["content"]["application/problem+json"].is_object(),
            "guard documents {status}"
        );
    }
}

/// The server serves the same document, and its answers match the schemas'
/// required fields.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_serves_it_and_answers_as_documented() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), Mode::Enforce).await;
    let t = tokens(dir.path());
    let resp = s.client.get(s.url("/openapi.json")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "application/json");
    let served = resp.text().await.unwrap();
    assert_eq!(served, generated());
    let doc: Value = serde_json::from_str(&served).unwrap();
    let schemas = &doc["components"]["schemas"];

    let guarded = guard(&s, &t.agent, &email(1)).await;
    let (_, view) = s
        .get(Some(&t.agent), &format!("/v1/actions/{}", id(&guarded)))
        .await;
    let (status, problem) = s.get(None, "/v1/approvals").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    for (name, value) in [
        ("ActionView", &view),
        ("ProblemDocument", &problem),
        ("GuardResponse", &guarded),
    ] {
        let schema = &schemas[name];
        for field in schema["required"].as_array().unwrap() {
            let field = field.as_str().unwrap();
            assert!(
                value.get(field).is_some(),
                "{name}: `{field}` is required but missing in {value}"
            );
        }
        for (field, _) in value.as_object().unwrap() {
            assert!(
                schema["properties"].get(field).is_some()
                    || schema["additionalProperties"].is_object(),
                "{name}: `{field}` is served but not documented"
            );
        }
    }
    s.stop().await;
}
