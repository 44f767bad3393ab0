//! End to end over Streamable HTTP: the demo server runs as a real HTTP MCP
//! server (`writ-mcp-demo-mail --http`), the built `writ` binary runs
//! `writ mcp-proxy --upstream URL --listen 127.0.0.1:0` in front of it, and
//! rmcp's Streamable HTTP client drives the proxy. The demo server logs
//! every call and every session it sees, so a test can prove what reached
//! it.
//!
//! Needs `target/debug/writ` (`cargo build -p writ`), or `$WRIT_BIN`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::{
    Agent, SECRET_MAIL, Sandbox, Stderr, assert_allowed_search, call, capture, customer_mail,
    eventually, first_pending, is_error, text, word_after, writ_bin,
};
use rmcp::model::{CallToolRequestParams, ElicitationAction};
use rmcp::service::RunningService;
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::{RoleClient, ServiceExt};
use serde_json::json;
use tokio::process::{Child, Command};

/// A process that is killed when the test ends, with its stderr.
struct Running {
    child: Child,
    stderr: Stderr,
}

fn spawn(mut cmd: Command, tag: &'static str) -> Running {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd.spawn().unwrap();
    let stderr = capture(child.stderr.take().unwrap(), tag);
    Running { child, stderr }
}

/// The demo mail server over HTTP on a free port; returns it and its URL.
async fn upstream(sandbox: &Sandbox) -> (Running, String) {
    let mut cmd = Command::new(common::demo_bin());
    cmd.args(["--http", "127.0.0.1:0"])
        .env("WRIT_MCP_DEMO_LOG", sandbox.calls());
    let server = spawn(cmd, "mail");
    let url = word_after(&server.stderr, "serving ").await;
    (server, url)
}

/// `writ mcp-proxy --upstream URL --listen 127.0.0.1:0 [extra]` with the
/// sandbox's embedded control plane; returns it and the URL it serves.
async fn gateway(sandbox: &Sandbox, upstream: &str, extra: &[&str]) -> (Running, String) {
    let mut cmd = Command::new(writ_bin());
    cmd.arg("mcp-proxy")
        .arg("--data-dir")
        .arg(sandbox.data())
        .arg("--deployment")
        .arg(sandbox.deployment())
        .args(["--upstream", upstream, "--listen", "127.0.0.1:0"])
        .args(extra)
        .current_dir(sandbox.dir.path());
    let proxy = spawn(cmd, "proxy");
    let url = word_after(&proxy.stderr, "serving Streamable HTTP at ").await;
    (proxy, url)
}

async fn connect(url: &str, agent: Agent) -> RunningService<RoleClient, Agent> {
    agent
        .serve(StreamableHttpClientTransport::from_uri(url.to_owned()))
        .await
        .unwrap()
}

/// The demo server, the proxy in front of it, and one connected client.
struct Setup {
    sandbox: Sandbox,
    upstream: Running,
    proxy: Running,
    url: String,
    client: RunningService<RoleClient, Agent>,
}

impl Setup {
    async fn start(agent: Agent) -> Setup {
        let sandbox = Sandbox::new();
        let (upstream, upstream_url) = upstream(&sandbox).await;
        let (proxy, url) = gateway(&sandbox, &upstream_url, &[]).await;
        let client = connect(&url, agent).await;
        Setup {
            sandbox,
            upstream,
            proxy,
            url,
            client,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tools_list_passes_through_and_an_allowed_call_carries_its_proof() {
    let s = Setup::start(Agent::default()).await;
    assert!(s.url.starts_with("http://127.0.0.1:") && s.url.ends_with("/mcp"));
    let info = s.client.peer_info().unwrap();
    assert_eq!(info.server_info.as_ref().unwrap().name, "mail");

    let tools = s.client.peer().list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    assert_eq!(names, ["search", "send_message", "delete_mailbox"]);
    let tools = serde_json::to_value(&tools).unwrap();
    assert_eq!(tools[0]["annotations"]["readOnlyHint"], true);
    assert_eq!(tools[2]["annotations"]["destructiveHint"], true);

    let result = call(s.client.peer(), "search", json!({"query": "invoices"})).await;
    assert_allowed_search(&result);
    assert_eq!(s.sandbox.reached(), ["search"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocked_call_is_a_tool_error_and_never_reaches_the_server() {
    let s = Setup::start(Agent::default()).await;
    let mail = json!({"to": "bob@gmail.com", "subject": "keys", "body": SECRET_MAIL});
    let result = call(s.client.peer(), "send_message", mail).await;
    assert!(is_error(&result), "{result}");
    let t = text(&result);
    assert!(
        t.contains("route block") && t.contains("EXFIL_SECRET"),
        "{t}"
    );
    let writ = &result["_meta"]["writ"];
    assert_eq!(writ["route"], "block");
    assert_eq!(writ["status"], "closed");
    assert!(writ["action_id"].as_str().unwrap().starts_with("act_"));
    assert!(s.sandbox.reached().is_empty(), "{:?}", s.sandbox.reached());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_call_asks_the_user_over_http_and_runs_once_approved() {
    let agent = Agent {
        answer: Some(ElicitationAction::Accept),
        ..Agent::default()
    };
    let s = Setup::start(agent.clone()).await;
    let approver = s
        .sandbox
        .approver(&common::control_plane(&s.proxy.stderr).await);
    let peer = s.client.peer().clone();
    let held = tokio::spawn(async move { call(&peer, "send_message", customer_mail()).await });
    let id = first_pending(&approver).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(s.sandbox.reached().is_empty(), "forwarded before approval");
    let shown = agent.shown.lock().unwrap().clone();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(
        shown[0].contains(&id) && shown[0].contains("/approvals"),
        "{}",
        shown[0]
    );
    approver.review(&id, true, "customer asked").await.unwrap();
    let result = held.await.unwrap();
    assert!(!is_error(&result), "{result}");
    assert_eq!(text(&result), "sent to lee@brightmail.io");
    assert_eq!(result["_meta"]["writ"]["action_id"], id);
    assert_eq!(result["_meta"]["writ"]["route"], "require_approval");
    assert_eq!(s.sandbox.reached(), ["send_message"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_client_session_has_its_own_upstream_session_which_ends_with_it() {
    let s = Setup::start(Agent::default()).await;
    let second = connect(&s.url, Agent::default()).await;
    assert_eq!(s.sandbox.sessions("initialized"), 2);
    assert_eq!(s.sandbox.sessions("closed"), 0);

    // The first client ends its session (DELETE): its upstream session ends.
    s.client.cancel().await.unwrap();
    eventually("the upstream session to close", || {
        s.sandbox.sessions("closed") == 1
    })
    .await;

    // The second is untouched.
    let result = call(second.peer(), "search", json!({"query": "x"})).await;
    assert!(!is_error(&result), "{result}");
    assert_eq!(s.sandbox.reached(), ["search"]);
    second.cancel().await.unwrap();
    eventually("both upstream sessions to close", || {
        s.sandbox.sessions("closed") == 2
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_that_is_down_fails_closed() {
    let sandbox = Sandbox::new();
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let upstream = format!("http://127.0.0.1:{port}/mcp");
    let (mut proxy, url) = gateway(&sandbox, &upstream, &[]).await;
    let refused = Agent::default()
        .serve(StreamableHttpClientTransport::from_uri(url.clone()))
        .await;
    let error = format!(
        "{:?}",
        refused.err().expect("initialized without an upstream")
    );
    assert!(
        error.contains("cannot initialize the upstream MCP server"),
        "{error}"
    );
    assert!(sandbox.reached().is_empty());

    // The proxy stays up and serves the next session once the upstream is there.
    assert!(proxy.child.try_wait().unwrap().is_none(), "the proxy died");
    let mut cmd = Command::new(common::demo_bin());
    cmd.args(["--http", &format!("127.0.0.1:{port}")])
        .env("WRIT_MCP_DEMO_LOG", sandbox.calls());
    let server = spawn(cmd, "mail");
    word_after(&server.stderr, "serving ").await;
    let client = connect(&url, Agent::default()).await;
    let result = call(client.peer(), "search", json!({"query": "x"})).await;
    assert!(!is_error(&result), "{result}");
    assert_eq!(sandbox.reached(), ["search"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_that_goes_away_refuses_calls_until_it_is_back() {
    let mut s = Setup::start(Agent::default()).await;
    assert_eq!(s.client.peer().list_all_tools().await.unwrap().len(), 3);
    let upstream_url = word_after(&s.upstream.stderr, "serving ").await;
    s.upstream.child.kill().await.unwrap();

    let params: CallToolRequestParams =
        serde_json::from_value(json!({"name": "search", "arguments": {"query": "x"}})).unwrap();
    let error = s.client.peer().call_tool(params).await.unwrap_err();
    let error = error.to_string();
    assert!(
        error.contains("upstream MCP server") && error.contains(&upstream_url),
        "{error}"
    );
    assert!(s.sandbox.reached().is_empty());
    assert!(
        s.proxy.child.try_wait().unwrap().is_none(),
        "the proxy died"
    );

    // The server is back on the same address: the proxy opens a new
    // upstream session with the client's `initialize` and calls flow again.
    let addr = upstream_url
        .trim_start_matches("http://")
        .trim_end_matches("/mcp")
        .to_owned();
    let mut cmd = Command::new(common::demo_bin());
    cmd.args(["--http", &addr])
        .env("WRIT_MCP_DEMO_LOG", s.sandbox.calls());
    let _back = spawn(cmd, "mail");
    let result = call(s.client.peer(), "search", json!({"query": "y"})).await;
    assert!(!is_error(&result), "{result}");
    assert_eq!(result["_meta"]["writ"]["route"], "allow");
    assert_eq!(s.sandbox.reached(), ["search"]);
    assert_eq!(s.sandbox.sessions("initialized"), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_stops_the_proxy_and_ends_its_upstream_sessions() {
    let mut s = Setup::start(Agent::default()).await;
    assert_eq!(s.sandbox.sessions("initialized"), 1);
    // A call held for approval does not keep the upstream session open.
    let approver = s
        .sandbox
        .approver(&common::control_plane(&s.proxy.stderr).await);
    let peer = s.client.peer().clone();
    let _held = tokio::spawn(async move {
        let params: CallToolRequestParams =
            serde_json::from_value(json!({"name": "send_message", "arguments": customer_mail()}))
                .unwrap();
        peer.call_tool(params).await
    });
    first_pending(&approver).await;
    let pid = s.proxy.child.id().unwrap().to_string();
    let kill = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = tokio::time::timeout(Duration::from_secs(30), s.proxy.child.wait())
        .await
        .expect("the proxy did not stop on SIGINT")
        .unwrap();
    assert!(status.success(), "{status:?}");
    eventually("the upstream session to close", || {
        s.sandbox.sessions("closed") == 1
    })
    .await;
    assert!(s.sandbox.reached().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_listen_and_upstream_are_usage_errors() {
    for (args, why) in [
        (vec!["--upstream", "ftp://x/mcp"], "must be an http:// URL"),
        (
            vec!["--upstream", "https://mcp.example.com/mcp"],
            "https://",
        ),
        (
            vec![
                "--upstream",
                "http://127.0.0.1:9/mcp",
                "--listen",
                "0.0.0.0:7768",
            ],
            "must be a loopback address",
        ),
        (
            vec!["--upstream", "http://127.0.0.1:9/mcp", "--listen", "7768"],
            "not an address",
        ),
    ] {
        let out = std::process::Command::new(writ_bin())
            .arg("mcp-proxy")
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(why), "{args:?}: {stderr}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listen_address_in_use_is_a_clear_error() {
    let sandbox = Sandbox::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = std::process::Command::new(writ_bin())
        .arg("mcp-proxy")
        .arg("--data-dir")
        .arg(sandbox.data())
        .args(["--upstream", "http://127.0.0.1:9/mcp", "--listen", &addr])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("cannot listen on {addr}")),
        "{stderr}"
    );
}
