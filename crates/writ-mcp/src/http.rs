//! Streamable HTTP: the proxy fronting an HTTP MCP server.

use std::net::SocketAddr;

use rmcp::RoleClient;
use rmcp::service::{ClientInitializeError, RunningService};
use tokio_util::sync::CancellationToken;

use crate::ProxyError;
use crate::gate::Gate;
use crate::proxy::UpstreamHandler;

/// Connects `handler` to the upstream Streamable HTTP server at `url`.
pub async fn connect(
    _handler: UpstreamHandler,
    url: &str,
    _ct: CancellationToken,
) -> Result<RunningService<RoleClient, UpstreamHandler>, ClientInitializeError> {
    Err(ClientInitializeError::ConnectionClosed(format!(
        "{url}: not yet"
    )))
}

/// Serves Streamable HTTP on `listen`, one proxy session per client session.
pub async fn serve(
    _upstream: String,
    _listen: SocketAddr,
    _name: Option<String>,
    _gate: Gate,
) -> Result<(), ProxyError> {
    Err(ProxyError::Usage(
        "--upstream (Streamable HTTP) is not implemented yet; wrap a stdio server with -- CMD ARGS"
            .into(),
    ))
}
