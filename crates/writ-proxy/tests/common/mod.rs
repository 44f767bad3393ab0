//! Shared parts of the proxy tests: a loopback upstream that echoes what it
//! received, a TCP echo server, proxies on an embedded control plane, and
//! agents configured to use them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{Map, Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use writ_proxy::{Control, Running, Settings, start};
use writ_server::{Role, tokens_create};

/// An HTTP server on loopback answering every request with a JSON echo of
/// it (method, path, headers, body length), counting requests.
pub struct Upstream {
    pub addr: SocketAddr,
    hits: Arc<AtomicUsize>,
}

impl Upstream {
    pub async fn start() -> Upstream {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        tokio::spawn(async move {
            loop {
                let (stream, _) = listener.accept().await.unwrap();
                let counter = counter.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| echo(counter.clone(), request));
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Upstream { addr, hits }
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

async fn echo(
    hits: Arc<AtomicUsize>,
    request: Request<hyper::body::Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    hits.fetch_add(1, Ordering::SeqCst);
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let headers: Map<String, Value> = parts
        .headers
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v.to_str().unwrap_or(""))))
        .collect();
    let echoed = json!({
        "method": parts.method.as_str(),
        "path": parts.uri.to_string(),
        "headers": headers,
        "body_bytes": body.len(),
    });
    let mut response = Response::new(Full::new(Bytes::from(echoed.to_string())));
    response
        .headers_mut()
        .insert("content-type", "application/json".parse().unwrap());
    Ok(response)
}

/// A TCP server that writes back what it reads.
pub async fn echo_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (mut stream, _) = listener.accept().await.unwrap();
            tokio::spawn(async move {
                let (mut r, mut w) = stream.split();
                let _ = tokio::io::copy(&mut r, &mut w).await;
            });
        }
    });
    addr
}

/// Settings of a proxy on a free loopback port with an embedded control plane in `dir`.
pub fn settings(dir: &Path) -> Settings {
    Settings {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        control: Control::Embedded {
            data_dir: dir.to_path_buf(),
            deployment: None,
        },
        session: None,
        approval_timeout: Duration::ZERO,
        max_body: writ_proxy::DEFAULT_MAX_BODY,
    }
}

pub async fn proxy(dir: &Path) -> Running {
    start(settings(dir)).await.unwrap()
}

/// An agent's HTTP client with the proxy configured (and proxy credentials, if given).
pub fn agent(running: &Running, credentials: Option<(&str, &str)>) -> reqwest::Client {
    let mut proxy = reqwest::Proxy::all(format!("http://{}", running.addr)).unwrap();
    if let Some((user, password)) = credentials {
        proxy = proxy.basic_auth(user, password);
    }
    reqwest::Client::builder()
        .proxy(proxy)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

/// A client of the control plane with an admin token.
pub fn admin_client(dir: &Path, running: &Running) -> writ_client::Client {
    let token = tokens_create(dir, Role::Admin, "admin", &[]).unwrap();
    writ_client::Client::new(&running.control_url, &token).unwrap()
}

/// The control plane's log key.
pub async fn vkey(running: &Running) -> writ_ledger::Verifier {
    let text = reqwest::get(format!("{}/v1/log/key", running.control_url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    writ_ledger::Verifier::from_vkey(text.trim()).unwrap()
}

/// Writes `request` and reads the answer's head (up to the blank line).
pub async fn send_head(stream: &mut TcpStream, request: &str) -> String {
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).await.unwrap();
        assert_eq!(n, 1, "connection closed in the head: {head:?}");
        head.push(byte[0]);
    }
    String::from_utf8(head).unwrap()
}

/// One raw request on a fresh connection: the answer's head and body
/// (by its Content-Length).
pub async fn raw_exchange(addr: SocketAddr, request: &str) -> (String, String) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let head = send_head(&mut stream, request).await;
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().unwrap())
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).await.unwrap();
    (head, String::from_utf8(body).unwrap())
}
