//! Streamable HTTP: the proxy fronting an HTTP MCP server.
//!
//! [`serve`] answers MCP clients at `http://LISTEN/mcp` with rmcp's
//! `StreamableHttpService`. Every client session gets its own [`Proxy`], so
//! its own upstream session ([`connect`]) and its own writ session; when the
//! client's session ends (`DELETE`, idle timeout, shutdown) the proxy is
//! dropped and ends its upstream session (`DELETE` upstream).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

// `SetLevelRequestParams`: logging is still part of the protocols served here.
#[allow(deprecated)]
use rmcp::model::{
    CallToolRequest, CallToolRequestParams, CallToolResponse, CallToolResult, CancelTaskParams,
    ClientNotification, ClientRequest, CompleteRequestParams, CustomNotification, CustomRequest,
    CustomResult, GetPromptRequestParams, GetPromptResponse, GetPromptResult,
    GetSkillRequestParams, GetSkillResult, GetTaskParams, GetTaskResult, InitializeRequestParams,
    InitializeResult, ListPromptsResult, ListResourceTemplatesResult, ListResourcesResult,
    ListSkillsResult, ListToolsResult, Notification, NotificationNoParam, PaginatedRequestParams,
    ProgressNotificationParam, ReadResourceDirectoryRequestParams, ReadResourceDirectoryResult,
    ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Request,
    RequestOptionalParam, ServerConfig, ServerResult, SetLevelRequestParams,
    SubscribeRequestParams, UnsubscribeRequestParams, UpdateTaskParams,
};
use rmcp::service::{
    ClientInitializeError, NotificationContext, RequestContext, RunningService, ServiceExt,
};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{ErrorData as McpError, RoleClient, RoleServer, ServerHandler, Service};
use serde::de::DeserializeOwned;
use tokio_util::sync::CancellationToken;

use crate::ProxyError;
use crate::gate::Gate;
use crate::proxy::{Proxy, Upstream, UpstreamHandler};

/// The path the proxy serves MCP on.
pub const PATH: &str = "/mcp";

/// Connects `handler` to the upstream Streamable HTTP server at `url`. The
/// session ends (`DELETE`) when `ct` is cancelled. rmcp's client keeps
/// retrying a server that went away, and opens a new session with the same
/// `initialize` when the server no longer knows the old one (a restart);
/// until then every request fails with the transport's error.
pub async fn connect(
    handler: UpstreamHandler,
    url: &str,
    ct: CancellationToken,
) -> Result<RunningService<RoleClient, UpstreamHandler>, ClientInitializeError> {
    let transport = StreamableHttpClientTransport::from_uri(url);
    handler.serve_with_ct(transport, ct).await
}

/// How long a client session may stay silent before it is closed: longer
/// than a call may be held for approval, and at least rmcp's five minutes.
fn idle_timeout(approval_timeout: Duration) -> Duration {
    (approval_timeout + Duration::from_secs(60)).max(Duration::from_secs(300))
}

/// Hosts a client may name in `Host` (DNS rebinding guard): the loopback
/// names and the address the proxy listens on.
fn allowed_hosts(listen: SocketAddr) -> Vec<String> {
    let mut hosts: Vec<String> = ["localhost", "127.0.0.1", "::1"]
        .iter()
        .map(|h| (*h).to_owned())
        .collect();
    let ip = listen.ip().to_string();
    if !hosts.contains(&ip) {
        hosts.push(ip);
    }
    hosts
}

/// Serves Streamable HTTP on `listen` at [`PATH`], one proxy session per
/// client session, until Ctrl-C.
pub async fn serve(
    upstream: String,
    listen: SocketAddr,
    name: Option<String>,
    gate: Gate,
) -> Result<(), ProxyError> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| ProxyError::Start(format!("cannot listen on {listen}: {e}")))?;
    let bound = listener
        .local_addr()
        .map_err(|e| ProxyError::Start(format!("cannot read the listening address: {e}")))?;
    let stop = CancellationToken::new();

    let mut sessions = LocalSessionManager::default();
    sessions.session_config.keep_alive = Some(idle_timeout(gate.approval_timeout()));
    let sessions = Arc::new(sessions);
    let mut config = StreamableHttpServerConfig::default()
        .with_allowed_hosts(allowed_hosts(bound))
        .with_allowed_origins(["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"])
        .with_cancellation_token(stop.child_token());
    config.legacy_session_mode = true;
    let (live, mut all_ended) = tokio::sync::mpsc::channel::<()>(1);
    let ends = Ends {
        stop: stop.clone(),
        live: live.downgrade(),
    };
    // Also called for throwaway instances (header validation), so it only
    // builds values; the upstream connects on the client's `initialize`.
    let factory = move || {
        let upstream = Upstream::Http {
            url: upstream.clone(),
        };
        Ok(Front {
            proxy: Proxy::new(upstream, name.clone(), gate.clone()),
            ends: ends.clone(),
        })
    };
    let service = StreamableHttpService::new(factory, sessions, config);
    let router = axum::Router::new().nest_service(PATH, service);

    eprintln!("writ mcp-proxy: serving Streamable HTTP at http://{bound}{PATH}");
    let shutdown = {
        let stop = stop.clone();
        async move {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                () = stop.cancelled() => {}
            }
            eprintln!("writ mcp-proxy: shutting down");
            stop.cancel();
        }
    };
    let served = axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await;
    // Every upstream session has ended (said `DELETE`) once the last
    // sender is gone; rmcp bounds each goodbye, this bounds them all.
    drop(live);
    let _ = tokio::time::timeout(Duration::from_secs(10), all_ended.recv()).await;
    served.map_err(|e| ProxyError::Start(format!("the HTTP server stopped: {e}")))
}

/// A [`Proxy`] as the `ServerHandler` rmcp's `StreamableHttpService`
/// requires: every request and notification goes back to the proxy's own
/// dispatch, so HTTP clients get exactly what stdio clients get.
#[derive(Clone)]
struct Front {
    proxy: Proxy,
    ends: Ends,
}

/// How the server ends its sessions' upstream connections on shutdown.
#[derive(Clone)]
struct Ends {
    /// Cancelled when the proxy shuts down.
    stop: CancellationToken,
    /// Upgraded and held by a task per upstream session until that
    /// session has ended.
    live: tokio::sync::mpsc::WeakSender<()>,
}

/// The proxy's answer as the result type a `ServerHandler` method returns
/// (the same JSON, read as that type).
fn typed<T: DeserializeOwned>(result: ServerResult) -> Result<T, McpError> {
    serde_json::to_value(result)
        .and_then(serde_json::from_value)
        .map_err(|e| McpError::internal_error(format!("unexpected result: {e}"), None))
}

fn paginated<M: Default>(
    params: Option<PaginatedRequestParams>,
) -> RequestOptionalParam<M, PaginatedRequestParams> {
    RequestOptionalParam {
        method: M::default(),
        params,
        extensions: Default::default(),
    }
}

impl Front {
    /// Ends the upstream session on shutdown, and keeps the server waiting
    /// until it has ended, on its own or because of the shutdown.
    fn track(&self) {
        // Holding the proxy would keep it alive; hold its tokens instead.
        let (gone, end) = (self.proxy.gone(), self.proxy.shutdown_token());
        let Some(live) = self.ends.live.upgrade() else {
            // Shutting down already: the session ends with the process.
            return;
        };
        let stop = self.ends.stop.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = gone.cancelled() => {}
                () = stop.cancelled() => {
                    end.cancel();
                    gone.cancelled().await;
                }
            }
            drop(live);
        });
    }

    async fn pass(
        &self,
        request: ClientRequest,
        context: RequestContext<RoleServer>,
    ) -> Result<ServerResult, McpError> {
        Service::<RoleServer>::handle_request(&self.proxy, request, context).await
    }

    async fn notify(
        &self,
        notification: ClientNotification,
        context: NotificationContext<RoleServer>,
    ) {
        if let Err(e) =
            Service::<RoleServer>::handle_notification(&self.proxy, notification, context).await
        {
            eprintln!(
                "writ mcp-proxy: cannot forward a notification upstream: {}",
                e.message
            );
        }
    }
}

impl ServerHandler for Front {
    fn get_info(&self) -> ServerConfig {
        Service::<RoleServer>::get_info(&self.proxy)
    }

    fn supported_protocol_versions(
        &self,
    ) -> std::borrow::Cow<'static, [rmcp::model::ProtocolVersion]> {
        Service::<RoleServer>::supported_protocol_versions(&self.proxy)
    }

    async fn initialize(
        &self,
        request: InitializeRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<InitializeResult, McpError> {
        let request = ClientRequest::InitializeRequest(Request::new(request));
        let result = typed(self.pass(request, context).await?)?;
        self.track();
        Ok(result)
    }

    async fn complete(
        &self,
        request: CompleteRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<rmcp::model::CompleteResult, McpError> {
        typed(
            self.pass(
                ClientRequest::CompleteRequest(Request::new(request)),
                context,
            )
            .await?,
        )
    }

    #[allow(deprecated)]
    async fn set_level(
        &self,
        request: SetLevelRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<(), McpError> {
        self.pass(
            ClientRequest::SetLevelRequest(Request::new(request)),
            context,
        )
        .await
        .map(drop)
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, McpError> {
        match self
            .pass(
                ClientRequest::GetPromptRequest(Request::new(request)),
                context,
            )
            .await?
        {
            ServerResult::InputRequiredResult(r) => Ok(r.into()),
            other => typed::<GetPromptResult>(other).map(Into::into),
        }
    }

    async fn list_prompts(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, McpError> {
        typed(
            self.pass(
                ClientRequest::ListPromptsRequest(paginated(request)),
                context,
            )
            .await?,
        )
    }

    async fn list_resources(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, McpError> {
        typed(
            self.pass(
                ClientRequest::ListResourcesRequest(paginated(request)),
                context,
            )
            .await?,
        )
    }

    async fn list_resource_templates(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, McpError> {
        let request = ClientRequest::ListResourceTemplatesRequest(paginated(request));
        typed(self.pass(request, context).await?)
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, McpError> {
        match self
            .pass(
                ClientRequest::ReadResourceRequest(Request::new(request)),
                context,
            )
            .await?
        {
            ServerResult::InputRequiredResult(r) => Ok(r.into()),
            other => typed::<ReadResourceResult>(other).map(Into::into),
        }
    }

    #[allow(deprecated)]
    async fn subscribe(
        &self,
        request: SubscribeRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<(), McpError> {
        self.pass(
            ClientRequest::SubscribeRequest(Request::new(request)),
            context,
        )
        .await
        .map(drop)
    }

    #[allow(deprecated)]
    async fn unsubscribe(
        &self,
        request: UnsubscribeRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<(), McpError> {
        self.pass(
            ClientRequest::UnsubscribeRequest(Request::new(request)),
            context,
        )
        .await
        .map(drop)
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        let request = ClientRequest::CallToolRequest(CallToolRequest::new(request));
        match self.pass(request, context).await? {
            ServerResult::CallToolResult(r) => Ok(r.into()),
            ServerResult::CreateTaskResult(r) => Ok(r.into()),
            ServerResult::InputRequiredResult(r) => Ok(r.into()),
            other => typed::<CallToolResult>(other).map(Into::into),
        }
    }

    async fn list_tools(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        typed(
            self.pass(ClientRequest::ListToolsRequest(paginated(request)), context)
                .await?,
        )
    }

    async fn on_custom_request(
        &self,
        request: CustomRequest,
        context: RequestContext<RoleServer>,
    ) -> Result<CustomResult, McpError> {
        match self
            .pass(ClientRequest::CustomRequest(request), context)
            .await?
        {
            ServerResult::CustomResult(r) => Ok(r),
            other => typed(other),
        }
    }

    async fn get_task(
        &self,
        request: GetTaskParams,
        context: RequestContext<RoleServer>,
    ) -> Result<GetTaskResult, McpError> {
        typed(
            self.pass(
                ClientRequest::GetTaskRequest(Request::new(request)),
                context,
            )
            .await?,
        )
    }

    async fn update_task(
        &self,
        request: UpdateTaskParams,
        context: RequestContext<RoleServer>,
    ) -> Result<(), McpError> {
        self.pass(
            ClientRequest::UpdateTaskRequest(Request::new(request)),
            context,
        )
        .await
        .map(drop)
    }

    async fn cancel_task(
        &self,
        request: CancelTaskParams,
        context: RequestContext<RoleServer>,
    ) -> Result<(), McpError> {
        self.pass(
            ClientRequest::CancelTaskRequest(Request::new(request)),
            context,
        )
        .await
        .map(drop)
    }

    async fn list_skills(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListSkillsResult, McpError> {
        typed(
            self.pass(
                ClientRequest::ListSkillsRequest(paginated(request)),
                context,
            )
            .await?,
        )
    }

    async fn get_skill(
        &self,
        request: GetSkillRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<GetSkillResult, McpError> {
        typed(
            self.pass(
                ClientRequest::GetSkillRequest(Request::new(request)),
                context,
            )
            .await?,
        )
    }

    async fn read_resource_directory(
        &self,
        request: ReadResourceDirectoryRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceDirectoryResult, McpError> {
        let request = ClientRequest::ReadResourceDirectoryRequest(Request::new(request));
        typed(self.pass(request, context).await?)
    }

    async fn on_progress(
        &self,
        notification: ProgressNotificationParam,
        context: NotificationContext<RoleServer>,
    ) {
        let n = ClientNotification::ProgressNotification(Notification::new(notification));
        self.notify(n, context).await;
    }

    async fn on_initialized(&self, _context: NotificationContext<RoleServer>) {
        // The upstream session sent its own `initialized`.
    }

    async fn on_roots_list_changed(&self, context: NotificationContext<RoleServer>) {
        let n = ClientNotification::RootsListChangedNotification(NotificationNoParam::default());
        self.notify(n, context).await;
    }

    async fn on_custom_notification(
        &self,
        notification: CustomNotification,
        context: NotificationContext<RoleServer>,
    ) {
        self.notify(
            ClientNotification::CustomNotification(notification),
            context,
        )
        .await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_outlive_a_held_call() {
        assert_eq!(
            idle_timeout(Duration::from_secs(1)),
            Duration::from_secs(300)
        );
        assert_eq!(
            idle_timeout(Duration::from_secs(900)),
            Duration::from_secs(960)
        );
    }

    #[test]
    fn the_listening_address_is_an_allowed_host() {
        let hosts = allowed_hosts("127.0.0.2:7768".parse().unwrap());
        assert!(hosts.contains(&"127.0.0.2".to_owned()), "{hosts:?}");
        assert_eq!(allowed_hosts("127.0.0.1:1".parse().unwrap()).len(), 3);
    }
}
