//! End to end: the built `writ` binary runs `writ mcp-proxy -- writ-mcp-demo-mail`
//! as a real child process; an rmcp client drives it over stdio; approvals go
//! through the embedded control plane's real HTTP API. The demo server logs
//! every call it receives, so a test can prove what reached it.
//!
//! Needs `target/debug/writ` (`cargo build -p writ`), or `$WRIT_BIN`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rmcp::model::{
    CallToolRequestParams, ClientConfig, ElicitRequestParams, ElicitResult, ElicitationAction,
};
use rmcp::service::{RequestContext, RunningService};
use rmcp::transport::TokioChildProcess;
use rmcp::{ClientHandler, ErrorData as McpError, RoleClient, ServiceExt};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};

/// The `writ` binary: `$WRIT_BIN`, else next to this test's target dir.
fn writ_bin() -> PathBuf {
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

/// The agent's MCP client: declares elicitation when `answer` is set and
/// answers every elicitation with it, keeping the messages it was shown.
#[derive(Clone, Default)]
struct Agent {
    answer: Option<ElicitationAction>,
    shown: Arc<Mutex<Vec<String>>>,
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

struct Proxy {
    client: RunningService<RoleClient, Agent>,
    agent: Agent,
    dir: tempfile::TempDir,
    stderr: Arc<Mutex<String>>,
}

impl Proxy {
    /// Starts `writ mcp-proxy [extra] -- writ-mcp-demo-mail` and initializes.
    async fn start(extra: &[&str], agent: Agent) -> Proxy {
        let dir = tempfile::tempdir().unwrap();
        let deployment = dir.path().join("deployment.json");
        std::fs::write(
            &deployment,
            json!({"tools": {"mail/send_message": {"kind": "email_send",
                "args": {"to": "to", "subject": "subject", "body": "body"}}}})
            .to_string(),
        )
        .unwrap();
        let mut cmd = tokio::process::Command::new(writ_bin());
        cmd.arg("mcp-proxy")
            .arg("--data-dir")
            .arg(dir.path().join("data"))
            .arg("--deployment")
            .arg(&deployment)
            .args(extra)
            .arg("--")
            .arg(env!("CARGO_BIN_EXE_writ-mcp-demo-mail"))
            .env("WRIT_MCP_DEMO_LOG", dir.path().join("calls.jsonl"))
            .current_dir(dir.path());
        let (transport, stderr) = TokioChildProcess::builder(cmd)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        if let Some(stderr) = stderr {
            let log = log.clone();
            tokio::spawn(async move {
                let mut lines = BufReader::new(stderr).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    eprintln!("[proxy] {line}");
                    log.lock().unwrap().push_str(&(line + "\n"));
                }
            });
        }
        let client = agent.clone().serve(transport).await.unwrap();
        Proxy {
            client,
            agent,
            dir,
            stderr: log,
        }
    }

    async fn call(&self, name: &str, arguments: Value) -> Value {
        let params: CallToolRequestParams =
            serde_json::from_value(json!({"name": name, "arguments": arguments})).unwrap();
        let result = self.client.peer().call_tool(params).await.unwrap();
        serde_json::to_value(result).unwrap()
    }

    /// The tools the demo server received calls for.
    fn reached(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join("calls.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["tool"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    }

    /// The embedded control plane's URL, from the proxy's stderr.
    fn control_plane(&self) -> String {
        let text = self.stderr.lock().unwrap().clone();
        let start = text
            .find("control plane at ")
            .unwrap_or_else(|| panic!("no control plane URL in stderr: {text}"));
        text[start + 17..]
            .split_whitespace()
            .next()
            .unwrap()
            .to_owned()
    }

    /// A client of the control plane with a fresh approver token.
    fn approver(&self) -> writ_client::Client {
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
            .arg(self.dir.path().join("data"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let token = String::from_utf8(out.stdout).unwrap();
        writ_client::Client::new(&self.control_plane(), token.trim()).unwrap()
    }
}

/// Waits until the approval queue holds an action; returns its id.
async fn first_pending(approver: &writ_client::Client) -> String {
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

fn text(result: &Value) -> String {
    result["content"][0]["text"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

fn is_error(result: &Value) -> bool {
    result["isError"] == json!(true)
}

const SECRET_MAIL: &str = "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tools_list_passes_through_and_a_harmless_call_is_forwarded_with_its_proof() {
    let proxy = Proxy::start(&[], Agent::default()).await;
    let info = proxy.client.peer_info().unwrap();
    assert_eq!(info.server_info.as_ref().unwrap().name, "mail");

    let tools = proxy.client.peer().list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    assert_eq!(names, ["search", "send_message", "delete_mailbox"]);
    let search = serde_json::to_value(&tools[0]).unwrap();
    assert_eq!(search["annotations"]["readOnlyHint"], true);

    let result = proxy.call("search", json!({"query": "invoices"})).await;
    assert!(!is_error(&result), "{result}");
    assert_eq!(text(&result), "2 messages match `invoices`");
    let writ = &result["_meta"]["writ"];
    assert!(
        writ["action_id"].as_str().unwrap().starts_with("act_"),
        "{writ}"
    );
    assert_eq!(writ["route"], "allow");
    assert_eq!(writ["status"], "closed");
    assert!(writ["certificate_leaf"].is_u64(), "{writ}");
    assert_eq!(proxy.reached(), ["search"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocked_call_is_a_tool_error_and_never_reaches_the_server() {
    let proxy = Proxy::start(&[], Agent::default()).await;
    let result = proxy
        .call(
            "send_message",
            json!({"to": "bob@gmail.com", "subject": "keys", "body": SECRET_MAIL}),
        )
        .await;
    assert!(is_error(&result), "{result}");
    let t = text(&result);
    assert!(
        t.contains("route block") && t.contains("EXFIL_SECRET"),
        "{t}"
    );
    assert_eq!(result["_meta"]["writ"]["route"], "block");
    assert!(proxy.reached().is_empty(), "{:?}", proxy.reached());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_call_waits_for_an_approver_then_runs() {
    let proxy = Proxy::start(&[], Agent::default()).await;
    let approver = proxy.approver();
    let peer = proxy.client.peer().clone();
    let call = tokio::spawn(async move {
        let params: CallToolRequestParams = serde_json::from_value(json!({
            "name": "send_message",
            "arguments": {"to": "lee@brightmail.io", "subject": "Your order", "body": "It ships Monday."},
        }))
        .unwrap();
        serde_json::to_value(peer.call_tool(params).await.unwrap()).unwrap()
    });
    let id = first_pending(&approver).await;
    assert!(proxy.reached().is_empty(), "forwarded before approval");
    approver.review(&id, true, "customer asked").await.unwrap();
    let result = call.await.unwrap();
    assert!(!is_error(&result), "{result}");
    assert_eq!(text(&result), "sent to lee@brightmail.io");
    assert_eq!(result["_meta"]["writ"]["action_id"], id);
    assert_eq!(result["_meta"]["writ"]["route"], "require_approval");
    assert_eq!(proxy.reached(), ["send_message"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denied_call_is_refused() {
    let proxy = Proxy::start(&[], Agent::default()).await;
    let approver = proxy.approver();
    let peer = proxy.client.peer().clone();
    let call = tokio::spawn(async move {
        let params: CallToolRequestParams = serde_json::from_value(json!({
            "name": "send_message",
            "arguments": {"to": "lee@brightmail.io", "subject": "Hi", "body": "Hello."},
        }))
        .unwrap();
        serde_json::to_value(peer.call_tool(params).await.unwrap()).unwrap()
    });
    let id = first_pending(&approver).await;
    approver
        .review(&id, false, "not to customers")
        .await
        .unwrap();
    let result = call.await.unwrap();
    assert!(is_error(&result), "{result}");
    assert!(text(&result).contains("denied"), "{}", text(&result));
    assert!(proxy.reached().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_call_times_out_with_a_clear_error() {
    let proxy = Proxy::start(&["--approval-timeout", "1"], Agent::default()).await;
    let result = proxy
        .call(
            "send_message",
            json!({"to": "lee@brightmail.io", "subject": "Hi", "body": "Hello."}),
        )
        .await;
    assert!(is_error(&result), "{result}");
    let t = text(&result);
    assert!(
        t.contains("needs approval") && t.contains("/approvals"),
        "{t}"
    );
    assert!(proxy.reached().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn elicitation_tells_the_user_and_an_accept_still_waits_for_the_approver() {
    let agent = Agent {
        answer: Some(ElicitationAction::Accept),
        ..Agent::default()
    };
    let proxy = Proxy::start(&[], agent).await;
    let approver = proxy.approver();
    let peer = proxy.client.peer().clone();
    let call = tokio::spawn(async move {
        let params: CallToolRequestParams = serde_json::from_value(json!({
            "name": "send_message",
            "arguments": {"to": "lee@brightmail.io", "subject": "Hi", "body": "Hello."},
        }))
        .unwrap();
        serde_json::to_value(peer.call_tool(params).await.unwrap()).unwrap()
    });
    let id = first_pending(&approver).await;
    // Accepting the elicitation is not an approval.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        proxy.reached().is_empty(),
        "an elicitation accept released the call"
    );
    let shown = proxy.agent.shown.lock().unwrap().clone();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(
        shown[0].contains(&id) && shown[0].contains("/approvals"),
        "{}",
        shown[0]
    );
    assert!(shown[0].contains("EXTERNAL_MESSAGE"), "{}", shown[0]);
    approver.review(&id, true, "ok").await.unwrap();
    let result = call.await.unwrap();
    assert!(!is_error(&result), "{result}");
    assert_eq!(proxy.reached(), ["send_message"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn declining_the_elicitation_cancels_the_call() {
    let agent = Agent {
        answer: Some(ElicitationAction::Decline),
        ..Agent::default()
    };
    let proxy = Proxy::start(&[], agent).await;
    let result = proxy
        .call(
            "send_message",
            json!({"to": "lee@brightmail.io", "subject": "Hi", "body": "Hello."}),
        )
        .await;
    assert!(is_error(&result), "{result}");
    assert!(text(&result).contains("declined"), "{}", text(&result));
    assert_eq!(result["_meta"]["writ"]["status"], "closed");
    assert!(proxy.reached().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_control_plane_refuses_every_call() {
    // SAFETY of the environment: the child gets the token, not this process.
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = tokio::process::Command::new(writ_bin());
    cmd.args(["mcp-proxy", "--server", "http://127.0.0.1:1", "--"])
        .arg(env!("CARGO_BIN_EXE_writ-mcp-demo-mail"))
        .env("WRIT_TOKEN", "writ_agent_unused")
        .env("WRIT_MCP_DEMO_LOG", dir.path().join("calls.jsonl"));
    let transport = TokioChildProcess::new(cmd).unwrap();
    let client = Agent::default().serve(transport).await.unwrap();
    assert_eq!(client.peer().list_all_tools().await.unwrap().len(), 3);
    let params: CallToolRequestParams =
        serde_json::from_value(json!({"name": "search", "arguments": {"query": "x"}})).unwrap();
    let result = serde_json::to_value(client.peer().call_tool(params).await.unwrap()).unwrap();
    assert!(is_error(&result), "{result}");
    assert!(
        text(&result).contains("could not decide"),
        "{}",
        text(&result)
    );
    assert!(!Path::new(&dir.path().join("calls.jsonl")).exists());
}
