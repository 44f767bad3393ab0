//! The proxy's request handling: decide, then forward, tunnel or refuse,
//! and close every decided action with its outcome.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderValue, Request, Response, StatusCode, header};
use http_body::{Body, Frame, SizeHint};
use http_body_util::{BodyExt, Empty, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper_util::client::legacy::Client as Upstream;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

use crate::ProxyBody;
use crate::decide::{Decider, Refusal};
use crate::event::{self, Target};
use crate::problem::{ACTION_HEADER, Problem};

/// How long the proxy waits for a tunnel's TCP connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A running proxy's shared state.
pub struct Proxy {
    pub decider: Decider,
    /// Largest request body inspected (and so forwarded), in bytes.
    pub max_body: usize,
    pub upstream: Upstream<HttpConnector, Full<Bytes>>,
}

impl Proxy {
    pub fn new(decider: Decider, max_body: usize) -> Proxy {
        let mut connector = HttpConnector::new();
        connector.set_connect_timeout(Some(CONNECT_TIMEOUT));
        let upstream = Upstream::builder(hyper_util::rt::TokioExecutor::new()).build(connector);
        Proxy {
            decider,
            max_body,
            upstream,
        }
    }
}

/// Answers one request from an agent.
pub async fn handle(
    proxy: Arc<Proxy>,
    request: Request<Incoming>,
) -> Result<Response<ProxyBody>, Infallible> {
    Ok(match event::target(request.method(), request.uri()) {
        Err(detail) => {
            Problem::new(StatusCode::BAD_REQUEST, "not_a_proxy_request", detail).response()
        }
        Ok(Target::Forward { url, authority }) => forward(&proxy, request, url, &authority).await,
        Ok(Target::Tunnel { authority, url }) => tunnel(&proxy, request, authority, &url).await,
    })
}

/// Plain HTTP: read the body (bounded), decide on the whole request, send it.
async fn forward(
    proxy: &Arc<Proxy>,
    request: Request<Incoming>,
    url: String,
    authority: &str,
) -> Response<ProxyBody> {
    let (mut parts, body) = request.into_parts();
    if let Some(encoding) = event::opaque_encoding(&parts.headers) {
        return Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "opaque_body",
            format!(
                "the request body is encoded (`content-encoding: {encoding}`); writ inspects \
                 only identity bodies, so it was not sent"
            ),
        )
        .response();
    }
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > proxy.max_body as u64) {
        return too_large(proxy.max_body);
    }
    let body = match Limited::new(body, proxy.max_body).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.is::<LengthLimitError>() => return too_large(proxy.max_body),
        Err(e) => {
            return Problem::new(
                StatusCode::BAD_REQUEST,
                "bad_body",
                format!("cannot read the request body: {e}"),
            )
            .response();
        }
    };
    let headers = match event::forwarded_headers(std::mem::take(&mut parts.headers), authority) {
        Ok(h) => h,
        Err(detail) => {
            return Problem::new(StatusCode::BAD_REQUEST, "bad_host", detail).response();
        }
    };
    let event = event::http_event(&parts.method, &url, &headers, &event::body_text(&body));
    let id = match proxy.decider.decide(&event).await {
        Ok(id) => id,
        Err(refusal) => return refuse(proxy, refusal),
    };
    let mut upstream = Request::new(Full::new(body));
    *upstream.method_mut() = parts.method;
    *upstream.uri_mut() = parts.uri;
    *upstream.headers_mut() = headers;
    match proxy.upstream.request(upstream).await {
        Ok(response) => {
            let (mut parts, body) = response.into_parts();
            event::strip_hop_by_hop(&mut parts.headers);
            set_action(&mut parts.headers, &id);
            let status = parts.status.as_u16();
            let (done, finished) = oneshot::channel();
            spawn_outcome(proxy, id, async move {
                match finished.await {
                    Ok(Ok(bytes)) => ("completed", json!({"status": status, "bytes": bytes})),
                    Ok(Err(error)) => ("failed", json!({"status": status, "error": error})),
                    Err(_) => (
                        "failed",
                        json!({"status": status, "error": "the response was abandoned"}),
                    ),
                }
            });
            let body = Observed {
                inner: body,
                bytes: 0,
                done: Some(done),
            };
            Response::from_parts(parts, body.boxed())
        }
        Err(e) => {
            let error = format!("{e}: {}", source_chain(&e));
            let problem = Problem::new(
                StatusCode::BAD_GATEWAY,
                "upstream_unreachable",
                format!("writ released the request but the upstream failed: {error}"),
            )
            .with("action_id", json!(id));
            spawn_outcome(
                proxy,
                id,
                async move { ("failed", json!({"error": error})) },
            );
            problem.response()
        }
    }
}

/// `CONNECT host:port`: decide on the host, connect, answer 200, relay bytes.
async fn tunnel(
    proxy: &Arc<Proxy>,
    mut request: Request<Incoming>,
    authority: String,
    url: &str,
) -> Response<ProxyBody> {
    let event = event::http_event(&request.method().clone(), url, &Default::default(), "");
    let id = match proxy.decider.decide(&event).await {
        Ok(id) => id,
        Err(refusal) => return refuse(proxy, refusal),
    };
    let connected = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(authority.as_str()))
        .await
        .map_err(|_| format!("no connection within {} s", CONNECT_TIMEOUT.as_secs()))
        .and_then(|r| r.map_err(|e| e.to_string()));
    let mut target = match connected {
        Ok(stream) => stream,
        Err(error) => {
            let problem = Problem::new(
                StatusCode::BAD_GATEWAY,
                "upstream_unreachable",
                format!("writ released the tunnel but `{authority}` is unreachable: {error}"),
            )
            .with("action_id", json!(id));
            spawn_outcome(
                proxy,
                id,
                async move { ("failed", json!({"error": error})) },
            );
            return problem.response();
        }
    };
    let upgrade = hyper::upgrade::on(&mut request);
    spawn_outcome(proxy, id.clone(), async move {
        let upgraded = match upgrade.await {
            Ok(u) => u,
            Err(e) => {
                return (
                    "failed",
                    json!({"error": format!("the agent's upgrade failed: {e}")}),
                );
            }
        };
        let mut agent = TokioIo::new(upgraded);
        match tokio::io::copy_bidirectional(&mut agent, &mut target).await {
            Ok((up, down)) => (
                "completed",
                json!({"status": 200, "bytes_sent": up, "bytes_received": down}),
            ),
            Err(e) => ("failed", json!({"status": 200, "error": e.to_string()})),
        }
    });
    let mut response = Response::new(Empty::new().map_err(|never| match never {}).boxed());
    set_action(response.headers_mut(), &id);
    response
}

fn too_large(limit: usize) -> Response<ProxyBody> {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        format!("the request body is over {limit} bytes, the most writ inspects; it was not sent"),
    )
    .response()
}

/// Answers a refusal and closes the action as `not_run` when it is final.
fn refuse(proxy: &Arc<Proxy>, refusal: Refusal) -> Response<ProxyBody> {
    let id = refusal
        .problem
        .extra
        .get("action_id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let (Some(id), Some(reason)) = (id, refusal.close) {
        spawn_outcome(
            proxy,
            id,
            async move { ("not_run", json!({"reason": reason})) },
        );
    }
    refusal.problem.response()
}

fn set_action(headers: &mut http::HeaderMap, id: &str) {
    if let Ok(value) = HeaderValue::from_str(id) {
        headers.insert(ACTION_HEADER, value);
    }
}

/// Closes action `id` with the outcome `closure` resolves to, off the
/// request's path; a failure to record it is reported on stderr.
fn spawn_outcome(
    proxy: &Arc<Proxy>,
    id: String,
    closure: impl Future<Output = (&'static str, Value)> + Send + 'static,
) {
    let client = proxy.decider.client.clone();
    tokio::spawn(async move {
        let (kind, result) = closure.await;
        if let Err(e) = client.outcome(&id, kind, result, None).await {
            eprintln!("writ proxy: cannot record the outcome of {id}: {e}");
        }
    });
}

fn source_chain(e: &dyn std::error::Error) -> String {
    let mut parts = Vec::new();
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

/// An upstream response body that reports, when it ends, how many bytes it
/// carried or why it failed.
struct Observed {
    inner: Incoming,
    bytes: u64,
    done: Option<oneshot::Sender<Result<u64, String>>>,
}

impl Observed {
    fn finish(&mut self, result: Result<u64, String>) {
        if let Some(done) = self.done.take() {
            let _ = done.send(result);
        }
    }
}

impl Body for Observed {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.bytes += data.len() as u64;
                }
            }
            Poll::Ready(Some(Err(e))) => this.finish(Err(e.to_string())),
            Poll::Ready(None) => this.finish(Ok(this.bytes)),
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for Observed {
    fn drop(&mut self) {
        let result = if self.inner.is_end_stream() {
            Ok(self.bytes)
        } else {
            Err("the agent closed the connection before the response ended".to_owned())
        };
        self.finish(result);
    }
}
