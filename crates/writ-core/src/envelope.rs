//! The action envelope: one shape for every runtime's native event.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The native format an event came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Runtime {
    /// Claude Code hook input (`PreToolUse`, `PostToolUse`, `PermissionRequest`).
    ClaudeCode,
    /// Codex hook input.
    Codex,
    /// An MCP `tools/call` seen by a gateway.
    Mcp,
    /// An OpenAI Responses / Agents SDK `function_call` item.
    OpenaiAgents,
    /// An outbound HTTP request seen by an egress gateway.
    Http,
    /// An OpenTelemetry GenAI `execute_tool` span.
    Otel,
    /// writ's own envelope.
    Envelope,
}

impl Runtime {
    /// All runtimes, for help texts and detection.
    pub const ALL: [Runtime; 7] = [
        Runtime::ClaudeCode,
        Runtime::Codex,
        Runtime::Mcp,
        Runtime::OpenaiAgents,
        Runtime::Http,
        Runtime::Otel,
        Runtime::Envelope,
    ];

    /// The name used on the command line and in corpora.
    pub fn as_str(self) -> &'static str {
        match self {
            Runtime::ClaudeCode => "claude-code",
            Runtime::Codex => "codex",
            Runtime::Mcp => "mcp",
            Runtime::OpenaiAgents => "openai-agents",
            Runtime::Http => "http",
            Runtime::Otel => "otel",
            Runtime::Envelope => "envelope",
        }
    }

    /// Parses a runtime name.
    pub fn parse(name: &str) -> Option<Runtime> {
        Runtime::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// The runtime family, which fixes what the firewall can enforce.
    pub fn family(self) -> Family {
        match self {
            Runtime::ClaudeCode | Runtime::Codex => Family::ToolHook,
            Runtime::Mcp | Runtime::Http => Family::Gateway,
            Runtime::OpenaiAgents => Family::FrameworkSdk,
            Runtime::Otel => Family::ManagedPlatform,
            Runtime::Envelope => Family::Gateway,
        }
    }
}

/// The four runtime families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    ToolHook,
    Gateway,
    FrameworkSdk,
    ManagedPlatform,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::ToolHook => "tool_hook",
            Family::Gateway => "gateway",
            Family::FrameworkSdk => "framework_sdk",
            Family::ManagedPlatform => "managed_platform",
        }
    }

    pub fn parse(name: &str) -> Option<Family> {
        [
            Family::ToolHook,
            Family::Gateway,
            Family::FrameworkSdk,
            Family::ManagedPlatform,
        ]
        .into_iter()
        .find(|f| f.as_str() == name)
    }

    /// What the firewall can do in this family.
    pub fn enforceability(self) -> Enforceability {
        match self {
            Family::ToolHook | Family::Gateway => Enforceability::PreExecutionGate,
            Family::FrameworkSdk => Enforceability::DelegatedRuntimeControl,
            Family::ManagedPlatform => Enforceability::ObserveOnly,
        }
    }
}

/// What the firewall can do about an action in a runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Enforceability {
    /// The firewall answers before the tool runs.
    PreExecutionGate,
    /// The runtime asks and is trusted to obey.
    DelegatedRuntimeControl,
    /// Seen after the fact; a non-allow route is a violation to report.
    ObserveOnly,
}

impl Enforceability {
    pub fn as_str(self) -> &'static str {
        match self {
            Enforceability::PreExecutionGate => "pre_execution_gate",
            Enforceability::DelegatedRuntimeControl => "delegated_runtime_control",
            Enforceability::ObserveOnly => "observe_only",
        }
    }
}

/// Where in the tool call's life the event was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Before the tool runs: a decision is asked for.
    #[default]
    Pre,
    /// The runtime asks the user for permission (Claude Code `PermissionRequest`).
    PermissionRequest,
    /// After the tool ran: carries its output.
    Post,
}

/// MCP tool annotations (`tools/list`), as far as writ uses them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Annotations {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only_hint: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destructive_hint: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotent_hint: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_world_hint: Option<bool>,
}

/// One agent action, whatever runtime it came through.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub runtime: Runtime,
    pub family: Family,
    #[serde(default)]
    pub phase: Phase,
    /// The runtime's session or run id, when it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// The runtime's id for this tool call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    /// Normalised tool name: Claude Code's own names, `server/tool` for MCP,
    /// the plain function name otherwise, `http` for egress requests.
    pub tool: String,
    /// The arguments object as the runtime passed it.
    pub arguments: Value,
    /// Working directory, when the runtime gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    /// MCP annotations of the tool, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Annotations>,
    /// The tool's output, for `Post` events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
}
