//! What the end-to-end tests of `writ mcp-proxy` share: the built `writ`
//! binary, an agent's MCP client, a sandbox directory with the deployment,
//! the embedded control plane's data and the demo server's call log, and
//! helpers to read the proxy's stderr and results.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rmcp::model::{
    CallToolRequestParams, ClientConfig, ElicitRequestParams, ElicitResult, ElicitationAction,
};
use rmcp::service::RequestContext;
use rmcp::{ClientHandler, ErrorData as McpError, Peer, RoleClient};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};

/// The `writ` binary: `$WRIT_BIN`, else next to this test's target dir.
pub fn writ_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("WRIT_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    let bin = dir.join("writ");
    assert!(
        bin.exists(),
        "{} is missing: run `cargo build -p writ` first (or set WRIT_BIN)",
        bin.display()
    );
    bin
}

/// The demo server binary of this crate.
pub fn demo_bin() -> &'static str {
    env!("CARGO_BIN_EXE_writ-mcp-demo-mail")
}

/// The agent's MCP client: declares elicitation when `answer` is set and
/// answers every elicitation with it, keeping the messages it was shown.
#[derive(Clone, Default)]
pub struct Agent {
    pub answer: Option<ElicitationAction>,
    pub shown: Arc<Mutex<Vec<String>>>,
}

impl ClientHandler for Agent {
    fn get_info(&self) -> ClientConfig {
        let capabilities = if self.answer.is_some() {
            json!({"elicitation": {}})
        } else {
            json!({})
        };
        serde_json::from_value(json!({
            "protocolVersion": "2025-06-18",
            "capabilities": capabilities,
            "clientInfo": {"name": "test-agent", "version": "0.0.1"},
        }))
        .unwrap()
    }

    async fn create_elicitation(
        &self,
        request: ElicitRequestParams,
        _context: RequestContext<RoleClient>,
    ) -> Result<ElicitResult, McpError> {
        let v = serde_json::to_value(&request).unwrap();
        self.shown
            .lock()
            .unwrap()
            .push(v["message"].as_str().unwrap_or("").to_owned());
        Ok(ElicitResult::new(
            self.answer.clone().unwrap_or(ElicitationAction::Decline),
        ))
    }
}

/// A temporary directory with a deployment (a manifest for
/// `mail/send_message`), the control plane's data and the demo's call log.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("deployment.json"),
            json!({"tools": {"mail/send_message": {"kind": "email_send",
                "args": {"to": "to", "subject": "subject", "body": "body"}}}})
            .to_string(),
        )
        .unwrap();
        Sandbox { dir }
    }

    pub fn deployment(&self) -> PathBuf {
        self.dir.path().join("deployment.json")
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Where the demo server logs what reached it (`$WRIT_MCP_DEMO_LOG`).
    pub fn calls(&self) -> PathBuf {
        self.dir.path().join("calls.jsonl")
    }

    /// The lines the demo server has finished writing: tests poll this
    /// while it appends, and a last line without its newline is still
    /// being written.
    fn logged(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(self.calls()).unwrap_or_default();
        let complete = text.rfind('\n').map_or("", |end| &text[..end]);
        complete
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// The tools the demo server received calls for.
    pub fn reached(&self) -> Vec<String> {
        self.logged()
            .iter()
            .filter_map(|v| v["tool"].as_str().map(str::to_owned))
            .collect()
    }

    /// How many sessions the demo server saw `event` (`initialized`, `closed`).
    pub fn sessions(&self, event: &str) -> usize {
        self.logged()
            .iter()
            .filter(|v| v["session"] == event)
            .count()
    }

    /// A client of the control plane at `url` with a fresh approver token.
    pub fn approver(&self, url: &str) -> writ_client::Client {
        let out = std::process::Command::new(writ_bin())
            .args([
                "tokens",
                "create",
                "--role",
                "approver",
                "--name",
                "reviewer@example.com",
            ])
            .args(["--jurisdiction", "external_comms", "--data-dir"])
            .arg(self.data())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let token = String::from_utf8(out.stdout).unwrap();
        writ_client::Client::new(url, token.trim()).unwrap()
    }
}

/// What a child process wrote on stderr so far.
pub type Stderr = Arc<Mutex<String>>;

/// Collects a child's stderr, echoing it to the test's own with `tag`.
pub fn capture(stderr: impl AsyncRead + Unpin + Send + 'static, tag: &'static str) -> Stderr {
    let log = Stderr::default();
    let sink = log.clone();
    tokio::spawn(async move {
        let mut lines = BufReader::new(stderr).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            eprintln!("[{tag}] {line}");
            sink.lock().unwrap().push_str(&(line + "\n"));
        }
    });
    log
}

/// The word after `marker` on stderr, waiting up to 60 s for it to appear.
pub async fn word_after(log: &Stderr, marker: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let text = log.lock().unwrap().clone();
        if let Some(start) = text.find(marker) {
            let rest = &text[start + marker.len()..];
            if let Some(word) = rest.split_whitespace().next()
                && rest.contains('\n')
            {
                return word.trim_end_matches(';').to_owned();
            }
        }
        assert!(Instant::now() < deadline, "no `{marker}` on stderr: {text}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The embedded control plane's URL, from the proxy's stderr.
pub async fn control_plane(log: &Stderr) -> String {
    word_after(log, "control plane at ").await
}

/// Waits until `done` holds, up to 30 s.
pub async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the approval queue holds an action; returns its id.
pub async fn first_pending(approver: &writ_client::Client) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let queue = approver.pending().await.unwrap();
        if let Some(id) = queue["pending"][0]["action_id"].as_str() {
            return id.to_owned();
        }
        assert!(Instant::now() < deadline, "nothing pending: {queue}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Calls `name` and returns the result as JSON.
pub async fn call(peer: &Peer<RoleClient>, name: &str, arguments: Value) -> Value {
    let params: CallToolRequestParams =
        serde_json::from_value(json!({"name": name, "arguments": arguments})).unwrap();
    serde_json::to_value(peer.call_tool(params).await.unwrap()).unwrap()
}

pub fn text(result: &Value) -> String {
    result["content"][0]["text"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

pub fn is_error(result: &Value) -> bool {
    result["isError"] == json!(true)
}

/// The demo server's answer to `search {"query": "invoices"}`, forwarded
/// because writ allowed it, with the certified action in `_meta.writ`.
pub fn assert_allowed_search(result: &Value) {
    assert!(!is_error(result), "{result}");
    assert_eq!(text(result), "2 messages match `invoices`");
    let writ = &result["_meta"]["writ"];
    assert!(
        writ["action_id"].as_str().unwrap().starts_with("act_"),
        "{writ}"
    );
    assert_eq!(writ["route"], "allow");
    assert_eq!(writ["status"], "closed");
    assert!(writ["certificate_leaf"].is_u64(), "{writ}");
}

pub const SECRET_MAIL: &str = "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// A message to a customer: `EXTERNAL_MESSAGE`, held for approval.
pub fn customer_mail() -> Value {
    json!({"to": "lee@brightmail.io", "subject": "Hi", "body": "Hello."})
}
