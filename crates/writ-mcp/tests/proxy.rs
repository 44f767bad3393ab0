//! End to end: the built `writ` binary runs `writ mcp-proxy -- writ-mcp-demo-mail`
//! as a real child process; an rmcp client drives it over stdio; approvals go
//! through the embedded control plane's real HTTP API. The demo server logs
//! every call it receives, so a test can prove what reached it.
//!
//! Needs `target/debug/writ` (`cargo build -p writ`), or `$WRIT_BIN`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::{
    Agent, SECRET_MAIL, Sandbox, Stderr, assert_allowed_search, capture, first_pending, is_error,
    text, writ_bin,
};
use rmcp::model::{CallToolRequestParams, ElicitationAction};
use rmcp::service::RunningService;
use rmcp::transport::TokioChildProcess;
use rmcp::{RoleClient, ServiceExt};
use serde_json::{Value, json};

struct Proxy {
    client: RunningService<RoleClient, Agent>,
    agent: Agent,
    sandbox: Sandbox,
    stderr: Stderr,
}

impl Proxy {
    /// Starts `writ mcp-proxy [extra] -- writ-mcp-demo-mail` and initializes.
    async fn start(extra: &[&str], agent: Agent) -> Proxy {
        let sandbox = Sandbox::new();
        let mut cmd = tokio::process::Command::new(writ_bin());
        cmd.arg("mcp-proxy")
            .arg("--data-dir")
            .arg(sandbox.data())
            .arg("--deployment")
            .arg(sandbox.deployment())
            .args(extra)
            .arg("--")
            .arg(common::demo_bin())
            .env("WRIT_MCP_DEMO_LOG", sandbox.calls())
            .current_dir(sandbox.dir.path());
        let (transport, stderr) = TokioChildProcess::builder(cmd)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = capture(stderr.unwrap(), "proxy");
        let client = agent.clone().serve(transport).await.unwrap();
        Proxy {
            client,
            agent,
            sandbox,
            stderr,
        }
    }

    async fn call(&self, name: &str, arguments: Value) -> Value {
        common::call(self.client.peer(), name, arguments).await
    }

    /// The tools the demo server received calls for.
    fn reached(&self) -> Vec<String> {
        self.sandbox.reached()
    }

    /// A client of the embedded control plane with a fresh approver token.
    async fn approver(&self) -> writ_client::Client {
        let url = common::control_plane(&self.stderr).await;
        self.sandbox.approver(&url)
    }
}

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
    assert_allowed_search(&result);
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
    let approver = proxy.approver().await;
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
    let approver = proxy.approver().await;
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
    let approver = proxy.approver().await;
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
    // The child gets the token, not this process.
    let sandbox = Sandbox::new();
    let mut cmd = tokio::process::Command::new(writ_bin());
    cmd.args(["mcp-proxy", "--server", "http://127.0.0.1:1", "--"])
        .arg(common::demo_bin())
        .env("WRIT_TOKEN", "writ_agent_unused")
        .env("WRIT_MCP_DEMO_LOG", sandbox.calls());
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
    assert_eq!(sandbox.sessions("initialized"), 1);
    assert!(sandbox.reached().is_empty(), "{:?}", sandbox.reached());
}
