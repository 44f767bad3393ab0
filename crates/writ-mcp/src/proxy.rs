//! The MCP side of the proxy, on rmcp.
//!
//! [`Proxy`] is the MCP server the agent's client talks to. On the client's
//! `initialize` it connects to the upstream server as an MCP client with
//! the same client capabilities, and answers with the upstream's
//! `InitializeResult`. Every request, result and notification then passes
//! through in both directions ([`UpstreamHandler`] forwards the upstream's
//! own requests, e.g. sampling or elicitation, to the client), except
//! `tools/call`, which writ guards first ([`Proxy::call_tool`]).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rmcp::model::{
    CallToolRequest, ClientNotification, ClientRequest, ClientResult, ElicitationAction,
    InitializeRequestParams, InitializeResult, ProgressToken, ProtocolVersion, RequestId,
    ServerNotification, ServerRequest, ServerResult,
};
use rmcp::service::{
    NotificationContext, PeerRequestOptions, RequestContext, RunningService, ServiceRole,
};
use rmcp::transport::TokioChildProcess;
use rmcp::{ErrorData as McpError, Peer, RoleClient, RoleServer, Service, ServiceExt};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use writ_client::Guarded;

use crate::ProxyError;
use crate::gate::{self, Gate, Verdict};

/// The MCP server the proxy wraps.
#[derive(Debug, Clone)]
pub enum Upstream {
    /// A stdio server: spawned as a child, spoken to on its stdin/stdout.
    Command { program: String, args: Vec<String> },
    /// A Streamable HTTP server at this URL.
    Http { url: String },
}

/// Protocol versions the proxy speaks: those with an `initialize`
/// handshake, so every connection has one upstream session.
fn supported_versions() -> Vec<ProtocolVersion> {
    ProtocolVersion::KNOWN_VERSIONS
        .iter()
        .filter(|v| v.has_initialize())
        .cloned()
        .collect()
}

/// The upstream's tools by name, as its `tools/list` answered them.
type ToolCache = Arc<Mutex<HashMap<String, Value>>>;
/// Upstream progress token to the client's progress token.
type ProgressMap = Arc<Mutex<HashMap<ProgressToken, ProgressToken>>>;

/// One live upstream session.
struct Conn {
    peer: Peer<RoleClient>,
    /// The server's name for manifests and policy.
    name: String,
    init: InitializeResult,
}

struct State {
    upstream: Upstream,
    name: Option<String>,
    gate: Gate,
    session: String,
    conn: tokio::sync::OnceCell<Conn>,
    tools: ToolCache,
    progress: ProgressMap,
    /// Cancelled when the client's side ends: stops the upstream session.
    shutdown: CancellationToken,
    /// Cancelled when the upstream session ends: stops the client's side.
    gone: CancellationToken,
}

/// The proxy for one client connection.
#[derive(Clone)]
pub struct Proxy(Arc<State>);

impl Drop for State {
    /// The client's side is gone: end its upstream session.
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// A session id unique to this process and connection.
fn session_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "mcp-{}-{nanos:x}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

fn internal(message: impl Into<Cow<'static, str>>) -> McpError {
    McpError::internal_error(message, None)
}

/// An upstream failure as the error the client sees: the upstream's own
/// MCP error passes through unchanged.
fn upstream_error(e: rmcp::ServiceError) -> McpError {
    match e {
        rmcp::ServiceError::McpError(e) => e,
        other => internal(format!("upstream MCP server: {other}")),
    }
}

/// A `CallToolResult` with `isError: true`, one text block and `_meta.writ`.
fn tool_error(text: String, writ: Value) -> Result<ServerResult, McpError> {
    let result = json!({
        "content": [{"type": "text", "text": text}],
        "isError": true,
        "_meta": {"writ": writ},
    });
    serde_json::from_value(result)
        .map(ServerResult::CallToolResult)
        .map_err(|e| internal(format!("cannot build a tool error: {e}")))
}

impl Proxy {
    /// A proxy for one client connection; `gone` is cancelled when its
    /// upstream session ends.
    pub fn new(upstream: Upstream, name: Option<String>, gate: Gate) -> Proxy {
        Proxy(Arc::new(State {
            upstream,
            name,
            gate,
            session: session_id(),
            conn: tokio::sync::OnceCell::new(),
            tools: Arc::default(),
            progress: Arc::default(),
            shutdown: CancellationToken::new(),
            gone: CancellationToken::new(),
        }))
    }

    /// Cancelled when the upstream session ends.
    pub fn gone(&self) -> CancellationToken {
        self.0.gone.clone()
    }

    /// Ends the upstream session (and a child server with it).
    pub fn shutdown(&self) {
        self.0.shutdown.cancel();
    }

    /// The token [`Proxy::shutdown`] cancels, for ending the upstream
    /// session without holding the proxy.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.0.shutdown.clone()
    }

    /// The live upstream session; an error once it has ended, so nothing
    /// is guarded or forwarded into a closed connection.
    fn conn(&self) -> Result<&Conn, McpError> {
        let conn =
            self.0.conn.get().ok_or_else(|| {
                McpError::invalid_request("the client has not initialized yet", None)
            })?;
        if self.0.gone.is_cancelled() {
            return Err(internal("the upstream MCP server's session has ended"));
        }
        Ok(conn)
    }

    /// Connects to the upstream with the client's `initialize` parameters
    /// (once per connection) and answers with the upstream's result.
    async fn initialize(
        &self,
        params: InitializeRequestParams,
        client: Peer<RoleServer>,
    ) -> Result<InitializeResult, McpError> {
        let conn = self
            .0
            .conn
            .get_or_try_init(|| self.connect(params, client))
            .await?;
        Ok(conn.init.clone())
    }

    async fn connect(
        &self,
        mut params: InitializeRequestParams,
        client: Peer<RoleServer>,
    ) -> Result<Conn, McpError> {
        if !supported_versions().contains(&params.protocol_version) {
            params.protocol_version = ProtocolVersion::LATEST_WITH_INITIALIZE;
        }
        params.meta = None;
        let handler = UpstreamHandler {
            info: params,
            client,
            tools: self.0.tools.clone(),
            progress: self.0.progress.clone(),
        };
        let ct = self.0.shutdown.child_token();
        let running = match &self.0.upstream {
            Upstream::Command { program, args } => {
                let mut command = tokio::process::Command::new(program);
                command.args(args);
                let transport = TokioChildProcess::new(command)
                    .map_err(|e| internal(format!("cannot start `{program}`: {e}")))?;
                handler.serve_with_ct(transport, ct).await
            }
            Upstream::Http { url } => crate::http::connect(handler, url, ct).await,
        }
        .map_err(|e| internal(format!("cannot initialize the upstream MCP server: {e}")))?;
        let peer = running.peer().clone();
        let info = peer
            .peer_info()
            .ok_or_else(|| internal("the upstream MCP server sent no initialize result"))?;
        let mut init = serde_json::to_value(info.as_ref())
            .map_err(|e| internal(format!("cannot read the upstream's initialize result: {e}")))?;
        let upstream_name = init
            .pointer("/serverInfo/name")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let name = self
            .0
            .name
            .clone()
            .or(upstream_name)
            .unwrap_or_else(|| "upstream".to_owned());
        if init.get("serverInfo").is_none() {
            init["serverInfo"] = json!({"name": name, "version": ""});
        }
        let init: InitializeResult = serde_json::from_value(init)
            .map_err(|e| internal(format!("cannot read the upstream's initialize result: {e}")))?;
        watch(running, self.0.gone.clone());
        Ok(Conn { peer, name, init })
    }

    /// Sends `request` upstream, passing the client's `_meta`, progress
    /// and cancellation through.
    async fn forward(
        &self,
        request: ClientRequest,
        context: &RequestContext<RoleServer>,
    ) -> Result<ServerResult, McpError> {
        let conn = self.conn()?;
        let mut meta = context.meta.clone();
        let client_token = meta.get_progress_token();
        meta.remove("progressToken");
        let options = PeerRequestOptions::no_options().with_meta(meta);
        let handle = conn
            .peer
            .send_cancellable_request(request, options)
            .await
            .map_err(upstream_error)?;
        let upstream_token = handle.progress_token.clone();
        if let Some(token) = client_token {
            lock(&self.0.progress).insert(upstream_token.clone(), token);
        }
        let id = handle.id.clone();
        let result = tokio::select! {
            r = handle.await_response() => r.map_err(upstream_error),
            () = context.ct.cancelled() => {
                cancel_upstream(&conn.peer, id).await;
                Err(internal("the client cancelled the request"))
            }
        };
        lock(&self.0.progress).remove(&upstream_token);
        result
    }

    /// Forwards `tools/list` and remembers every tool it lists.
    async fn list_tools(
        &self,
        request: ClientRequest,
        context: &RequestContext<RoleServer>,
    ) -> Result<ServerResult, McpError> {
        let result = self.forward(request, context).await?;
        if let ServerResult::ListToolsResult(list) = &result {
            remember(&self.0.tools, &list.tools);
        }
        Ok(result)
    }

    /// The `tools/list` entry of `name`: cached, else fetched (every page).
    /// `None` when the upstream does not list it or cannot be asked.
    async fn tool_entry(&self, name: &str) -> Option<Value> {
        if let Some(tool) = lock(&self.0.tools).get(name) {
            return Some(tool.clone());
        }
        let conn = self.conn().ok()?;
        let mut cursor: Option<String> = None;
        loop {
            let params = json!({"cursor": cursor});
            let request: ClientRequest =
                serde_json::from_value(json!({"method": "tools/list", "params": params})).ok()?;
            let Ok(ServerResult::ListToolsResult(list)) = conn.peer.send_request(request).await
            else {
                break;
            };
            remember(&self.0.tools, &list.tools);
            cursor = list.next_cursor.clone();
            if cursor.is_none() {
                break;
            }
        }
        lock(&self.0.tools).get(name).cloned()
    }

    /// Guards one `tools/call` and forwards it only if writ releases it.
    async fn call_tool(
        &self,
        request: CallToolRequest,
        context: &RequestContext<RoleServer>,
    ) -> Result<ServerResult, McpError> {
        let server = self.conn()?.name.clone();
        let name = request.params.name.to_string();
        let label = format!("{server}/{name}");
        let arguments = request
            .params
            .arguments
            .clone()
            .map(Value::Object)
            .unwrap_or_else(|| json!({}));
        let tool = self.tool_entry(&name).await;
        let id = serde_json::to_value(&context.id).unwrap_or(Value::Null);
        let event = gate::mcp_event(&server, tool.as_ref(), &id, &name, &arguments);
        let gate = &self.0.gate;
        let guarded = match gate.guard(&event, &self.0.session).await {
            Ok(g) => g,
            Err(e) => {
                return tool_error(
                    gate::undecided_text(&label, &e),
                    json!({"error": e.to_string()}),
                );
            }
        };
        let decided = match gate::verdict(&guarded) {
            Verdict::Hold => match self.review(&label, &guarded, context).await {
                Ok(decided) => decided,
                Err(text) => return self.refuse(&guarded, text).await,
            },
            _ => guarded,
        };
        if gate::verdict(&decided) != Verdict::Forward {
            let text = gate::refusal_text(&label, &decided, &gate.approvals_url());
            return self.refuse(&decided, text).await;
        }
        let result = self
            .forward(ClientRequest::CallToolRequest(request), context)
            .await;
        self.closed(&decided, result).await
    }

    /// Waits for the review of a held call: tells the user through an
    /// elicitation when the client can show one, then long-polls writ.
    /// `Err` carries the text of a refusal (declined, or writ unreachable).
    async fn review(
        &self,
        label: &str,
        held: &Guarded,
        context: &RequestContext<RoleServer>,
    ) -> Result<Guarded, String> {
        let gate = &self.0.gate;
        let approvals = gate.approvals_url();
        if let Some(capability) = elicitation_mode(&context.peer) {
            let message = gate::approval_message(label, held, &approvals);
            match elicit(&context.peer, capability, message, &approvals, held).await {
                Ok(ElicitationAction::Accept) => {}
                Ok(_) => {
                    return Err(format!(
                        "writ: `{label}` needs approval ({}) and the user declined to wait, so it was not run (action {}).",
                        held.explanation(),
                        held.action_id().unwrap_or("-")
                    ));
                }
                // The client could not show it: hold the call all the same.
                Err(e) => eprintln!("writ mcp-proxy: elicitation failed ({e}); holding the call"),
            }
        } else {
            eprintln!(
                "writ mcp-proxy: `{label}` waits for approval of {} at {approvals}",
                held.action_id().unwrap_or("-")
            );
        }
        tokio::select! {
            r = gate.wait(held) => r.map_err(|e| gate::undecided_text(label, &e)),
            () = context.ct.cancelled() => Err(format!("writ: the client cancelled `{label}` while it waited for approval")),
        }
    }

    /// Answers a refused call with a tool error and closes it `not_run`.
    async fn refuse(&self, guarded: &Guarded, text: String) -> Result<ServerResult, McpError> {
        let closed = match self
            .0
            .gate
            .close(guarded, "not_run", json!({"refused": text}), None)
            .await
        {
            Ok(v) => v,
            Err(e) => {
                eprintln!("writ mcp-proxy: cannot record that the call did not run: {e}");
                None
            }
        };
        tool_error(text, gate::writ_meta(guarded, closed.as_ref()))
    }

    /// Closes a forwarded call with its outcome and puts `_meta.writ` on it.
    async fn closed(
        &self,
        guarded: &Guarded,
        result: Result<ServerResult, McpError>,
    ) -> Result<ServerResult, McpError> {
        let (closure, output, value) = match &result {
            Ok(r) => {
                let value = serde_json::to_value(r).unwrap_or(Value::Null);
                let (closure, output) = gate::closure_of(&value);
                (closure, output, value)
            }
            Err(e) => ("failed", e.message.to_string(), json!({"error": e})),
        };
        let closed = self
            .0
            .gate
            .close(guarded, closure, value, Some(&output))
            .await;
        let mut writ = gate::writ_meta(guarded, closed.as_ref().ok().and_then(Option::as_ref));
        if let Err(e) = &closed {
            eprintln!("writ mcp-proxy: cannot record the outcome: {e}");
            writ["outcome_error"] = json!(e.to_string());
        }
        let mut result = result?;
        if let ServerResult::CallToolResult(r) = &mut result {
            r.meta
                .get_or_insert_with(Default::default)
                .0
                .insert("writ".to_owned(), writ);
        }
        Ok(result)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn remember(cache: &ToolCache, tools: &[rmcp::model::Tool]) {
    let mut cache = lock(cache);
    for tool in tools {
        if let Ok(v) = serde_json::to_value(tool) {
            cache.insert(tool.name.to_string(), v);
        }
    }
}

/// Ends the upstream's copy of a request the client cancelled.
async fn cancel_upstream(peer: &Peer<RoleClient>, id: RequestId) {
    let note = json!({
        "method": "notifications/cancelled",
        "params": {"requestId": id, "reason": "the client cancelled the request"},
    });
    if let Ok(n) = serde_json::from_value::<ClientNotification>(note) {
        let _ = peer.send_notification(n).await;
    }
}

/// Cancels `gone` once the upstream session ends.
fn watch(running: RunningService<RoleClient, UpstreamHandler>, gone: CancellationToken) {
    tokio::spawn(async move {
        let _ = running.waiting().await;
        gone.cancel();
    });
}

/// Which elicitation the client declared: `form` (or the bare capability),
/// else `url`; `None` without the capability.
fn elicitation_mode(client: &Peer<RoleServer>) -> Option<&'static str> {
    let info = client.peer_info()?;
    let capability = serde_json::to_value(&info.capabilities.elicitation).ok()?;
    match capability {
        Value::Object(c) if c.contains_key("form") || !c.contains_key("url") => Some("form"),
        Value::Object(_) => Some("url"),
        _ => None,
    }
}

/// Sends the elicitation telling the user a call waits for approval.
async fn elicit(
    client: &Peer<RoleServer>,
    mode: &str,
    message: String,
    approvals: &str,
    held: &Guarded,
) -> Result<ElicitationAction, String> {
    let params = if mode == "url" {
        json!({"mode": "url", "message": message, "url": approvals,
               "elicitationId": held.action_id().unwrap_or("writ")})
    } else {
        json!({"mode": "form", "message": message,
               "requestedSchema": {"type": "object", "properties": {}}})
    };
    let request: ServerRequest =
        serde_json::from_value(json!({"method": "elicitation/create", "params": params}))
            .map_err(|e| e.to_string())?;
    match client.send_request(request).await {
        Ok(ClientResult::ElicitResult(r)) => Ok(r.action),
        Ok(other) => Err(format!("unexpected answer {other:?}")),
        Err(e) => Err(e.to_string()),
    }
}

impl Service<RoleServer> for Proxy {
    async fn handle_request(
        &self,
        request: ClientRequest,
        context: RequestContext<RoleServer>,
    ) -> Result<ServerResult, McpError> {
        let mut result = match request {
            ClientRequest::InitializeRequest(r) => self
                .initialize(r.params, context.peer.clone())
                .await
                .map(ServerResult::InitializeResult),
            ClientRequest::PingRequest(_) => Ok(ServerResult::empty(())),
            ClientRequest::CallToolRequest(r) => self.call_tool(r, &context).await,
            r @ ClientRequest::ListToolsRequest(_) => self.list_tools(r, &context).await,
            r => self.forward(r, &context).await,
        }?;
        result.strip_result_type_for_legacy_peer();
        Ok(result)
    }

    async fn handle_notification(
        &self,
        notification: ClientNotification,
        _context: NotificationContext<RoleServer>,
    ) -> Result<(), McpError> {
        match notification {
            // The upstream session sent its own `initialized`; cancellations
            // reach the upstream through the request's cancellation token.
            ClientNotification::InitializedNotification(_)
            | ClientNotification::CancelledNotification(_) => Ok(()),
            other => {
                if let Ok(conn) = self.conn() {
                    conn.peer
                        .send_notification(other)
                        .await
                        .map_err(upstream_error)?;
                }
                Ok(())
            }
        }
    }

    fn get_info(&self) -> <RoleServer as ServiceRole>::Info {
        match self.0.conn.get() {
            Some(conn) => conn.init.clone(),
            None => InitializeResult::new(Default::default()),
        }
    }

    fn supported_protocol_versions(&self) -> Cow<'static, [ProtocolVersion]> {
        Cow::Owned(supported_versions())
    }
}

/// The proxy's client side: forwards the upstream's requests and
/// notifications to the agent's client.
pub struct UpstreamHandler {
    info: InitializeRequestParams,
    client: Peer<RoleServer>,
    tools: ToolCache,
    progress: ProgressMap,
}

impl Service<RoleClient> for UpstreamHandler {
    async fn handle_request(
        &self,
        request: ServerRequest,
        _context: RequestContext<RoleClient>,
    ) -> Result<ClientResult, McpError> {
        match request {
            ServerRequest::PingRequest(_) => Ok(ClientResult::empty(())),
            other => self
                .client
                .send_request(other)
                .await
                .map_err(upstream_error),
        }
    }

    async fn handle_notification(
        &self,
        notification: ServerNotification,
        _context: NotificationContext<RoleClient>,
    ) -> Result<(), McpError> {
        let notification = match notification {
            ServerNotification::ToolListChangedNotification(n) => {
                lock(&self.tools).clear();
                ServerNotification::ToolListChangedNotification(n)
            }
            ServerNotification::ProgressNotification(mut n) => {
                match lock(&self.progress).get(&n.params.progress_token) {
                    Some(token) => n.params.progress_token = token.clone(),
                    // Progress of a request the proxy sent itself.
                    None => return Ok(()),
                }
                ServerNotification::ProgressNotification(n)
            }
            // Request ids differ on the two sides; cancellations of the
            // upstream's own requests end with its session.
            ServerNotification::CancelledNotification(_) => return Ok(()),
            other => other,
        };
        self.client
            .send_notification(notification)
            .await
            .map_err(upstream_error)
    }

    fn get_info(&self) -> <RoleClient as ServiceRole>::Info {
        self.info.clone()
    }
}

/// Serves one client on stdin/stdout, wrapping `upstream`.
pub async fn serve_stdio(
    upstream: Upstream,
    name: Option<String>,
    gate: Gate,
) -> Result<(), ProxyError> {
    let proxy = Proxy::new(upstream, name, gate);
    let running = proxy
        .clone()
        .serve_with_ct(rmcp::transport::stdio(), proxy.gone())
        .await
        .map_err(|e| ProxyError::Start(format!("the MCP client did not initialize: {e}")))?;
    let quit = running.waiting().await;
    proxy.shutdown();
    if let Err(e) = quit {
        return Err(ProxyError::Start(format!("the proxy stopped: {e}")));
    }
    Ok(())
}
