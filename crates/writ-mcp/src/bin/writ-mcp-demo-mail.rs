//! A small stdio MCP server for trying `writ mcp-proxy` and for its tests:
//! a mail server named `mail` with a read-only `search`, an open-world
//! `send_message` and a destructive `delete_mailbox`. It does not send
//! anything; when `$WRIT_MCP_DEMO_LOG` names a file, it appends one JSON
//! line per call it received, so a test can prove what reached it.

use std::io::Write;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ListToolsResult,
    PaginatedRequestParams, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Value, json};

struct Mail;

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

/// Appends the call to `$WRIT_MCP_DEMO_LOG`, if set.
fn record(name: &str, arguments: &Value) -> std::io::Result<()> {
    let Some(path) = std::env::var_os("WRIT_MCP_DEMO_LOG") else {
        return Ok(());
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    writeln!(file, "{}", json!({"tool": name, "arguments": arguments}))
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

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let served = match Mail.serve(rmcp::transport::stdio()).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("writ-mcp-demo-mail: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match served.waiting().await {
        Ok(_) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("writ-mcp-demo-mail: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
