//! The latency the proxy adds to an allowed GET: N sequential requests to a
//! loopback upstream, directly and through `writ proxy` (embedded control
//! plane in a tempdir, outcomes certified), and `POST /v1/guard` alone,
//! with p50/p90/p99 of each.
//!
//! `cargo run --release -p writ-proxy --example latency -- [N]` (default 1000).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use writ_proxy::{Control, Settings, start};

async fn upstream() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            tokio::spawn(async move {
                let service = service_fn(|_| async {
                    Ok::<_, Infallible>(hyper::Response::new(Full::new(Bytes::from_static(
                        b"{\"ok\":true}",
                    ))))
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    addr
}

async fn run(client: &reqwest::Client, url: &str, n: usize) -> Vec<Duration> {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        let response = client.get(url).send().await.unwrap();
        assert!(response.status().is_success(), "{}", response.status());
        response.bytes().await.unwrap();
        times.push(started.elapsed());
    }
    times.sort();
    times
}

/// The control plane's part alone: `POST /v1/guard` of the same event,
/// without forwarding or outcomes.
async fn guards(dir: &std::path::Path, control: &str, url: &str, n: usize) -> Vec<Duration> {
    let token =
        writ_server::tokens_create(dir, writ_server::Role::Agent, "latency-bench", &[]).unwrap();
    let client = writ_client::Client::new(control, &token).unwrap();
    let event =
        serde_json::json!({"method": "GET", "url": url, "headers": {"accept": "*/*"}, "body": ""});
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        let guarded = client.guard("http", &event, None, None).await.unwrap();
        assert!(guarded.released());
        times.push(started.elapsed());
    }
    times.sort();
    times
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn line(name: &str, t: &[Duration]) {
    println!(
        "{name:>8}: p50 {:>9.3} ms  p90 {:>9.3} ms  p99 {:>9.3} ms  max {:>9.3} ms",
        pct(t, 0.50).as_secs_f64() * 1e3,
        pct(t, 0.90).as_secs_f64() * 1e3,
        pct(t, 0.99).as_secs_f64() * 1e3,
        pct(t, 1.0).as_secs_f64() * 1e3,
    );
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().unwrap())
        .unwrap_or(1000);
    let dir = tempfile::tempdir().unwrap();
    let target = format!("http://{}/item", upstream().await);
    let running = start(Settings {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        control: Control::Embedded {
            data_dir: dir.path().to_path_buf(),
            deployment: None,
        },
        session: None,
        approval_timeout: Duration::ZERO,
        max_body: writ_proxy::DEFAULT_MAX_BODY,
    })
    .await
    .unwrap();
    let direct = reqwest::Client::builder().no_proxy().build().unwrap();
    let proxied = reqwest::Client::builder()
        .proxy(reqwest::Proxy::all(format!("http://{}", running.addr)).unwrap())
        .build()
        .unwrap();
    // Warm both paths (connections, the control plane's caches).
    run(&direct, &target, 20).await;
    run(&proxied, &target, 20).await;

    let d = run(&direct, &target, n).await;
    let p = run(&proxied, &target, n).await;
    let g = guards(dir.path(), &running.control_url, &target, n).await;
    println!("{n} sequential GETs, loopback upstream, keep-alive");
    line("direct", &d);
    line("proxied", &p);
    line("guard", &g);
    println!(
        "   added: p50 {:.3} ms, p99 {:.3} ms",
        (pct(&p, 0.5).as_secs_f64() - pct(&d, 0.5).as_secs_f64()) * 1e3,
        (pct(&p, 0.99).as_secs_f64() - pct(&d, 0.99).as_secs_f64()) * 1e3,
    );
}
