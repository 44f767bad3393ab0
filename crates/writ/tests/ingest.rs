//! `writ ingest otel` end to end: real OTLP/HTTP JSON, a real `writ serve`,
//! certificates fetched over the API and verified offline.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{Server, acme, free_port, repo_root, writ};

fn trace() -> std::path::PathBuf {
    repo_root().join("examples/otel/trace.json")
}

fn blocked(summary: &Value) -> &Value {
    summary["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["violation"] == true)
        .unwrap()
}

#[test]
fn spans_become_observe_only_certificates_and_violations_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let out = writ()
        .args(["ingest", "otel"])
        .arg(trace())
        .arg("--data-dir")
        .arg(dir.path())
        .arg("--deployment")
        .arg(acme())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    // The chat span is skipped; both tool spans are decided and certified.
    assert_eq!(summary["spans"], 2);
    assert_eq!(summary["violations"], 1);
    assert_eq!(summary["violations_by_reason"]["EXFIL_SECRET"], 1);
    for r in summary["reports"].as_array().unwrap() {
        assert!(r["certificate_leaf"].is_u64(), "{r}");
    }
    let bad = blocked(&summary);
    assert_eq!(bad["tool"], "create_paste");
    assert_eq!(bad["route"], "block");
}

#[test]
fn against_a_server_violations_reach_metrics_and_the_proof() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), Some(&acme()));
    let agent = server.token("agent", "platform-observer", &[]);
    let auditor = server.token("auditor", "audit", &[]);

    let out = writ()
        .args(["ingest", "otel"])
        .arg(trace())
        .args(["--server", &server.url])
        .env("WRIT_TOKEN", &agent)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = blocked(&summary)["action_id"].as_str().unwrap().to_owned();

    let metrics = server.get_text("/metrics");
    assert!(
        metrics.contains("writ_violations_total{runtime=\"otel\",reason=\"EXFIL_SECRET\"} 1"),
        "{metrics}"
    );

    let (status, bundle) = server.get(&auditor, &format!("/v1/actions/{id}/proof"));
    assert_eq!(status, 200, "{bundle}");
    let summary = &bundle["summary"]["actions"][0];
    assert_eq!(summary["violation"], true, "the proof marks the violation");
    assert_eq!(summary["enforceability"], "observe_only");
    assert_eq!(summary["reasons"][0], "EXFIL_SECRET");

    // Anyone can verify it offline with the server's log key.
    server.verify_offline(&bundle, "bundle.json");
}

#[test]
fn the_otlp_receiver_takes_exports_and_refuses_what_it_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = writ()
        .args(["ingest", "otel", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(dir.path())
        .arg("--deployment")
        .arg(acme())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let http = reqwest::blocking::Client::new();
    let url = format!("http://127.0.0.1:{port}/v1/traces");
    let body = std::fs::read_to_string(trace()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let response = loop {
        match http
            .post(&url)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
        {
            Ok(r) => break r,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => panic!("the receiver did not come up: {e}"),
        }
    };
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.json::<Value>().unwrap(), serde_json::json!({}));

    let protobuf = http
        .post(&url)
        .header("content-type", "application/x-protobuf")
        .body(vec![0u8; 4])
        .send()
        .unwrap();
    assert_eq!(protobuf.status().as_u16(), 415);
    let garbage = http
        .post(&url)
        .header("content-type", "application/json")
        .body("{\"spans\": []}")
        .send()
        .unwrap();
    assert_eq!(garbage.status().as_u16(), 400);
    assert!(garbage.text().unwrap().contains("resourceSpans"));
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn bad_input_is_exit_2() {
    let out = writ().args(["ingest", "otel"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.json");
    std::fs::write(&file, "{\"resourceSpans\": 7}").unwrap();
    let out = writ()
        .args(["ingest", "otel"])
        .arg(&file)
        .arg("--data-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("resourceSpans"));
}
