//! A small MCP server for trying `writ mcp-proxy` and for its tests: a mail
//! server named `mail` with a read-only `search`, an open-world
//! `send_message` and a destructive `delete_mailbox`. It does not send
//! anything; when `$WRIT_MCP_DEMO_LOG` names a file, it appends one JSON
//! line per call it received (`{"tool": ..., "arguments": ...}`) and per
//! session it opened or closed (`{"session": "initialized" | "closed"}`),
//! so a test can prove what reached it.
//!
//! Speaks stdio by default; `--http ADDR` serves Streamable HTTP at
//! `http://ADDR/mcp` instead (port 0 picks a free port; the URL is printed
//! on stderr).

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, InitializeRequestParams,
    InitializeResult, ListToolsResult, PaginatedRequestParams, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Value, json};

/// One session of the server (the HTTP mode makes one per client session).
#[derive(Default)]
struct Mail {
    initialized: AtomicBool,
}

impl Drop for Mail {
    fn drop(&mut self) {
        if self.initialized.load(Ordering::Relaxed) {
            let _ = log(&json!({"session": "closed"}));
        }
    }
}

fn tools() -> Result<Vec<Tool>, serde_json::Error> {
    let object = |props: Value| json!({"type": "object", "properties": props});
    serde_json::from_value(json!([
        {"name": "search", "description": "Search the mailbox",
         "inputSchema": object(json!({"query": {"type": "string"}})),
         "annotations": {"readOnlyHint": true, "openWorldHint": false}},
        {"name": "send_message", "description": "Send an e-mail",
         "inputSchema": object(json!({"to": {"type": "string"}, "subject": {"type": "string"}, "body": {"type": "string"}})),
         "annotations": {"readOnlyHint": false, "destructiveHint": false, "openWorldHint": true}},
        {"name": "delete_mailbox", "description": "Delete a mailbox and every message in it",
         "inputSchema": object(json!({"mailbox": {"type": "string"}})),
         "annotations": {"readOnlyHint": false, "destructiveHint": true}},
    ]))
}

/// Appends one line to `$WRIT_MCP_DEMO_LOG`, if set.
fn log(line: &Value) -> std::io::Result<()> {
    let Some(path) = std::env::var_os("WRIT_MCP_DEMO_LOG") else {
        return Ok(());
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    // One write for the whole line: readers poll the file while it grows
    // (`Value`'s `Display` would write it in pieces).
    file.write_all(format!("{line}\n").as_bytes())
}

/// Logs a call this server received.
fn record(name: &str, arguments: &Value) -> std::io::Result<()> {
    log(&json!({"tool": name, "arguments": arguments}))
}

fn answer(name: &str, arguments: &Value) -> (String, bool) {
    let arg = |k: &str| arguments.get(k).and_then(Value::as_str).unwrap_or("");
    match name {
        "search" => (format!("2 messages match `{}`", arg("query")), false),
        "send_message" => (format!("sent to {}", arg("to")), false),
        "delete_mailbox" if arg("mailbox") == "inbox" => ("deleted inbox".into(), false),
        "delete_mailbox" => (format!("no mailbox `{}`", arg("mailbox")), true),
        other => (format!("no tool `{other}`"), true),
    }
}

impl ServerHandler for Mail {
    fn get_info(&self) -> ServerConfig {
        serde_json::from_value(json!({
            "protocolVersion": "2025-06-18",
            "capabilities": {"tools": {"listChanged": false}},
            "serverInfo": {"name": "mail", "version": "0.1.0"},
        }))
        .unwrap_or_else(|_| ServerConfig::new(Default::default()))
    }

    async fn initialize(
        &self,
        request: InitializeRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<InitializeResult, McpError> {
        context.peer.set_peer_info(request.clone());
        let result = self.negotiate_initialize(&request)?;
        self.initialized.store(true, Ordering::Relaxed);
        log(&json!({"session": "initialized"}))
            .map_err(|e| McpError::internal_error(format!("cannot log: {e}"), None))?;
        Ok(result)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        let tools = tools().map_err(|e| McpError::internal_error(e.to_string(), None))?;
        Ok(ListToolsResult::with_all_items(tools))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        let arguments = Value::Object(request.arguments.unwrap_or_default());
        record(&request.name, &arguments)
            .map_err(|e| McpError::internal_error(format!("cannot record the call: {e}"), None))?;
        let (text, failed) = answer(&request.name, &arguments);
        let content = vec![rmcp::model::ContentBlock::text(text)];
        Ok(if failed {
            CallToolResult::error(content)
        } else {
            CallToolResult::success(content)
        }
        .into())
    }
}

/// Serves one client on stdin/stdout.
async fn serve_stdio() -> Result<(), String> {
    let served = Mail::default()
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|e| e.to_string())?;
    served.waiting().await.map(drop).map_err(|e| e.to_string())
}

/// Serves Streamable HTTP at `http://ADDR/mcp`, one [`Mail`] per session.
async fn serve_http(addr: &str) -> Result<(), String> {
    use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
    use rmcp::transport::streamable_http_server::{
        StreamableHttpServerConfig, StreamableHttpService,
    };
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    let service = StreamableHttpService::new(
        || Ok(Mail::default()),
        std::sync::Arc::new(LocalSessionManager::default()),
        StreamableHttpServerConfig::default(),
    );
    let router = axum::Router::new().nest_service("/mcp", service);
    eprintln!("writ-mcp-demo-mail: serving http://{bound}/mcp");
    axum::serve(listener, router)
        .await
        .map_err(|e| e.to_string())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let served = match args.as_slice() {
        [] => serve_stdio().await,
        [flag, addr] if flag == "--http" => serve_http(addr).await,
        _ => {
            eprintln!("usage: writ-mcp-demo-mail [--http ADDR]");
            return std::process::ExitCode::from(2);
        }
    };
    match served {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("writ-mcp-demo-mail: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
