//! Coding agents' own configuration written from their command lines.
//!
//! `claude mcp add|add-json|remove` records an MCP server in the project's
//! `.mcp.json` (`-s project`) or in `~/.claude.json` (the local and user
//! scopes); `codex mcp add|remove` in `$CODEX_HOME/config.toml`, else
//! `~/.codex/config.toml`. Listing servers writes nothing. Run in
//! `/home/dana/acme-web`.

#![allow(clippy::panic)]

use serde_json::Value;

use crate::common::{CTX, write};

fn effects(command: &str) -> Value {
    let analysis = writ_shell::analyze(command, &CTX).unwrap_or_else(|e| panic!("{command}: {e}"));
    serde_json::to_value(&analysis.effects).unwrap_or_default()
}

#[test]
fn claude_mcp_changes_write_the_scope_s_configuration() {
    let cases = [
        (
            "claude mcp add -s project --transport sse linear https://mcp.linear.app/sse",
            "/home/dana/acme-web/.mcp.json",
        ),
        (
            "claude mcp add --scope=project files -- npx -y @modelcontextprotocol/server-filesystem .",
            "/home/dana/acme-web/.mcp.json",
        ),
        (
            "claude mcp add --scope user linear https://mcp.linear.app/sse",
            "/home/dana/.claude.json",
        ),
        ("claude mcp remove linear", "/home/dana/.claude.json"),
        (
            "claude mcp add-json -s project db '{\"command\":\"pg-mcp\"}'",
            "/home/dana/acme-web/.mcp.json",
        ),
    ];
    for (command, path) in cases {
        assert_eq!(
            effects(command),
            serde_json::json!([write(path)]),
            "{command}"
        );
    }
}

#[test]
fn codex_mcp_changes_write_its_config_toml() {
    assert_eq!(
        effects(
            "codex mcp add browser --env KEY=v -- npx -y @browserbasehq/mcp-server-browserbase"
        ),
        serde_json::json!([write("/home/dana/.codex/config.toml")])
    );
    assert_eq!(
        effects("CODEX_HOME=/srv/codex codex mcp remove browser"),
        serde_json::json!([write("/srv/codex/config.toml")])
    );
}

#[test]
fn listing_mcp_servers_writes_nothing() {
    for command in ["claude mcp list", "claude mcp get linear", "codex mcp list"] {
        assert_eq!(effects(command), serde_json::json!([]), "{command}");
    }
}
