//! Tool manifests: what a tool does, so a plain function name gets a meaning.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The built-in kinds a manifest can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToolKind {
    Shell,
    Http,
    WebFetch,
    FileRead,
    FileWrite,
    EmailSend,
    MessageSend,
    PasteCreate,
    Payment,
    Deploy,
    Share,
    DbQuery,
    ReadOnly,
}

impl ToolKind {
    /// The roles a kind takes.
    pub fn roles(self) -> &'static [&'static str] {
        match self {
            ToolKind::Shell => &["command", "cwd"],
            ToolKind::Http => &["method", "url", "body", "headers"],
            ToolKind::WebFetch => &["url"],
            ToolKind::FileRead => &["path"],
            ToolKind::FileWrite => &["path", "content"],
            ToolKind::EmailSend => &["to", "cc", "bcc", "subject", "body", "attachments"],
            ToolKind::MessageSend => &["channel", "text"],
            ToolKind::PasteCreate => &["content", "visibility", "host"],
            ToolKind::Payment => &["amount_usd", "recipient"],
            ToolKind::Deploy => &["environment", "service"],
            ToolKind::Share => &["resource", "grantee", "role"],
            ToolKind::DbQuery => &["host", "query"],
            ToolKind::ReadOnly => &[],
        }
    }

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ToolKind::Shell => "shell",
            ToolKind::Http => "http",
            ToolKind::WebFetch => "web_fetch",
            ToolKind::FileRead => "file_read",
            ToolKind::FileWrite => "file_write",
            ToolKind::EmailSend => "email_send",
            ToolKind::MessageSend => "message_send",
            ToolKind::PasteCreate => "paste_create",
            ToolKind::Payment => "payment",
            ToolKind::Deploy => "deploy",
            ToolKind::Share => "share",
            ToolKind::DbQuery => "db_query",
            ToolKind::ReadOnly => "read_only",
        }
    }
}

/// A manifest: a kind, which argument plays which role, and fixed roles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub kind: ToolKind,
    /// Role name to argument name.
    #[serde(default)]
    pub args: BTreeMap<String, String>,
    /// Role name to a constant value.
    #[serde(default)]
    pub fixed: BTreeMap<String, Value>,
}

impl Manifest {
    /// A manifest mapping every role of `kind` to the argument of the same name.
    pub fn identity(kind: ToolKind) -> Manifest {
        Manifest {
            kind,
            args: kind
                .roles()
                .iter()
                .map(|r| ((*r).to_owned(), (*r).to_owned()))
                .collect(),
            fixed: BTreeMap::new(),
        }
    }

    /// Checks that every role named is one the kind takes.
    pub fn validate(&self) -> Result<(), String> {
        let roles = self.kind.roles();
        for role in self.args.keys().chain(self.fixed.keys()) {
            if !roles.contains(&role.as_str()) {
                return Err(format!(
                    "role `{role}` is not a role of kind `{}` (roles: {})",
                    self.kind.as_str(),
                    if roles.is_empty() {
                        "none".to_owned()
                    } else {
                        roles.join(", ")
                    }
                ));
            }
        }
        Ok(())
    }

    /// Splits `arguments` into role values and the arguments no role maps.
    pub fn bind<'a>(&'a self, arguments: &'a Value) -> Bound<'a> {
        let mut roles: BTreeMap<&'a str, &'a Value> = BTreeMap::new();
        for (role, value) in &self.fixed {
            roles.insert(role.as_str(), value);
        }
        let object = arguments.as_object();
        for (role, arg) in &self.args {
            if let Some(value) = object.and_then(|o| o.get(arg)) {
                roles.insert(role.as_str(), value);
            }
        }
        let mapped: Vec<&str> = self.args.values().map(String::as_str).collect();
        let unmapped = object
            .map(|o| {
                o.iter()
                    .filter(|(k, _)| !mapped.contains(&k.as_str()))
                    .map(|(_, v)| v)
                    .collect()
            })
            .unwrap_or_default();
        Bound { roles, unmapped }
    }
}

/// Arguments bound to roles.
#[derive(Debug, Clone, Default)]
pub struct Bound<'a> {
    pub roles: BTreeMap<&'a str, &'a Value>,
    /// Values of arguments that no role maps: still part of the payload.
    pub unmapped: Vec<&'a Value>,
}

impl Bound<'_> {
    /// A role's value as text (strings as they are, other JSON as JSON text).
    pub fn text(&self, role: &str) -> Option<String> {
        self.roles.get(role).map(|v| value_text(v))
    }

    /// A role's value as a list of strings (a string, or an array of them;
    /// comma-separated strings are split).
    pub fn list(&self, role: &str) -> Vec<String> {
        match self.roles.get(role) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items.iter().map(value_text).collect(),
            Some(Value::String(s)) => s
                .split([',', ';'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            Some(other) => vec![value_text(other)],
        }
    }
}

/// A JSON value as text: a string as it is, anything else as compact JSON.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
