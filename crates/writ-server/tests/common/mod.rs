//! Shared parts of the integration tests: a real server on a loopback port.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use std::path::Path;

use reqwest::StatusCode;
use serde_json::{Value, json};
use writ_server::{AppState, Mode, Role, ServeConfig, serve_on, tokens_create};

pub struct Server {
    pub base: String,
    pub client: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Server {
    pub async fn start(dir: &Path, mode: Mode) -> Server {
        Server::start_with(dir, mode, |_| {}).await
    }

    pub async fn start_with(
        dir: &Path,
        mode: Mode,
        change: impl FnOnce(&mut ServeConfig),
    ) -> Server {
        let mut config = ServeConfig::new(dir);
        config.mode = mode;
        config.body_limit = 64 * 1024;
        change(&mut config);
        let state = AppState::open(&config).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            serve_on(listener, state, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        Server {
            base: format!("http://{addr}"),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            stop: Some(stop),
            task: Some(task),
        }
    }

    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap();
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn post(&self, token: Option<&str>, path: &str, body: &Value) -> (StatusCode, Value) {
        let mut req = self.client.post(self.url(path)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let problem = is_problem(&resp);
        let text = resp.text().await.unwrap();
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        if !status.is_success() {
            assert!(problem, "{path}: {status} is not problem+json: {value}");
        }
        (status, value)
    }

    pub async fn get(&self, token: Option<&str>, path: &str) -> (StatusCode, Value) {
        let mut req = self.client.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let problem = is_problem(&resp);
        let text = resp.text().await.unwrap();
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        if !status.is_success() {
            assert!(problem, "{path}: {status} is not problem+json: {value}");
        }
        (status, value)
    }
}

pub fn is_problem(resp: &reqwest::Response) -> bool {
    resp.headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        == Some("application/problem+json")
}

pub struct Tokens {
    pub agent: String,
    pub other_agent: String,
    pub approver: String,
    pub finance: String,
    pub auditor: String,
    pub admin: String,
}

pub fn tokens(dir: &Path) -> Tokens {
    let comms = vec!["external_comms".to_owned(), "platform".to_owned()];
    Tokens {
        agent: tokens_create(dir, Role::Agent, "agent-a", &[]).unwrap(),
        other_agent: tokens_create(dir, Role::Agent, "agent-b", &[]).unwrap(),
        approver: tokens_create(dir, Role::Approver, "alice@example.com", &comms).unwrap(),
        finance: tokens_create(dir, Role::Approver, "fred@example.com", &["finance".into()])
            .unwrap(),
        auditor: tokens_create(dir, Role::Auditor, "audrey", &[]).unwrap(),
        admin: tokens_create(dir, Role::Admin, "root", &comms).unwrap(),
    }
}

/// An e-mail through an MCP tool no manifest describes: `UNKNOWN_TOOL`, `require_approval` in `platform`.
pub fn email(n: u32) -> Value {
    json!({
        "runtime": "mcp",
        "session_id": "session-1",
        "event": {"server": {"name": "gmail"}, "tool": {"name": "send_message", "annotations": {"openWorldHint": true}},
          "request": {"jsonrpc": "2.0", "id": n, "method": "tools/call",
            "params": {"name": "send_message", "arguments": {"to": "someone@example.net", "subject": format!("hello {n}"), "body": "hi"}}}}
    })
}

/// Listing a directory: allowed.
pub fn listing() -> Value {
    json!({
        "event": {"session_id": "session-2", "transcript_path": "/tmp/t.jsonl", "cwd": "/tmp",
          "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": "ls"}, "tool_use_id": "toolu_1"}
    })
}

pub async fn guard(s: &Server, token: &str, body: &Value) -> Value {
    let (status, out) = s.post(Some(token), "/v1/guard", body).await;
    assert_eq!(status, StatusCode::OK, "{out}");
    out
}

pub fn id(v: &Value) -> String {
    v["action_id"].as_str().unwrap().to_owned()
}

pub async fn vkey(s: &Server) -> writ_ledger::Verifier {
    let text = s
        .client
        .get(s.url("/v1/log/key"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    writ_ledger::Verifier::from_vkey(text.trim()).unwrap()
}

/// Listing a directory in `session`: allowed.
pub fn listing_in(session: &str) -> Value {
    let mut v = listing();
    v["event"]["session_id"] = json!(session);
    v
}
