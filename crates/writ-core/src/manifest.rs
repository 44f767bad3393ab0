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
            ToolKind::Payment => &["amount_usd", "recipient", "currency"],
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
        // Recipients the manifest leaves unmapped are still recipients when
        // the argument is named as the role is (`bcc` beside a mapped `to`).
        for role in ["to", "cc", "bcc"] {
            if !roles.contains_key(role)
                && let Some(value) = object.and_then(|o| o.get(role))
            {
                roles.insert(role, value);
            }
        }
        let mapped: Vec<&str> = self.args.values().map(String::as_str).collect();
        let mut unmapped = Vec::new();
        let mut files = Vec::new();
        for (name, value) in object.into_iter().flatten() {
            if mapped.contains(&name.as_str()) {
                continue;
            }
            unmapped.push(value);
            if names_a_sent_file(name) {
                files.push(value);
            }
        }
        Bound {
            roles,
            unmapped,
            files,
        }
    }
}

/// True for an argument named as a local file the tool sends
/// (`file_path`, `filePath`, `files`, `attachment`, `local_path`,
/// `upload`): a browser's `upload_file`, a chat tool's file upload. A bare
/// `path` is left out: it is as often a URL's path.
fn names_a_sent_file(name: &str) -> bool {
    let name = name.to_ascii_lowercase().replace(['_', '-'], "");
    matches!(
        name.as_str(),
        "file"
            | "files"
            | "filepath"
            | "filepaths"
            | "filename"
            | "localpath"
            | "localfile"
            | "sourcepath"
            | "sourcefile"
            | "upload"
            | "uploadfile"
            | "attachment"
            | "attachments"
    )
}

/// Arguments bound to roles.
#[derive(Debug, Clone, Default)]
pub struct Bound<'a> {
    pub roles: BTreeMap<&'a str, &'a Value>,
    /// Values of arguments that no role maps: still part of the payload.
    pub unmapped: Vec<&'a Value>,
    /// Unmapped arguments named as local files the tool sends
    /// ([`names_a_sent_file`]): the files are read and go with what it sends.
    pub files: Vec<&'a Value>,
}

impl Bound<'_> {
    /// A role's value as text (strings as they are, other JSON as JSON text).
    pub fn text(&self, role: &str) -> Option<String> {
        self.roles.get(role).map(|v| value_text(v))
    }

    /// A role's value as a list of strings (a string, or an array of them;
    /// comma-separated strings are split; an object is what it identifies,
    /// [`identifier`]).
    pub fn list(&self, role: &str) -> Vec<String> {
        match self.roles.get(role) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items.iter().map(identifier).collect(),
            Some(Value::String(s)) => split_list(s),
            Some(other) => vec![identifier(other)],
        }
    }

    /// A role's value as the one thing it names: a string as it is, an
    /// object by its identifying member ([`identifier`]).
    pub fn identifier(&self, role: &str) -> Option<String> {
        self.roles.get(role).map(|v| identifier(v))
    }
}

/// A list written as one string, split at `,` and `;` outside quotes and
/// angle brackets, as an address list is (`"Shah, Priya" <p@x.io>, o@x.io`
/// is two entries).
fn split_list(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let (mut quoted, mut angled, mut escaped) = (false, false, false);
    for c in text.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '<' if !quoted => angled = true,
            '>' if !quoted => angled = false,
            ',' | ';' if !quoted && !angled => {
                items.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    items.push(current);
    items
        .into_iter()
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect()
}

/// What a value names: a string as it is; an object by its identifying
/// member (`{"address": "a@x.io", "name": "A"}` is `a@x.io`, `{"iban":
/// ..., "name": ...}` its IBAN), else by a member holding an address, else
/// as JSON text.
pub fn identifier(value: &Value) -> String {
    /// Members that name a party or a thing, most telling first.
    const KEYS: &[&str] = &[
        "address",
        "email",
        "email_address",
        "emailAddress",
        "mail",
        "iban",
        "account",
        "account_id",
        "accountId",
        "handle",
        "username",
        "user",
        "path",
        "file",
        "filename",
        "url",
        "id",
    ];
    let Value::Object(members) = value else {
        return value_text(value);
    };
    // A member may itself be an object that names the party (Graph's
    // `{"emailAddress": {"address": "a@x.io", "name": "A"}}`).
    let named = KEYS.iter().find_map(|key| {
        members
            .iter()
            .find(|(k, v)| k.eq_ignore_ascii_case(key) && (v.is_string() || v.is_object()))
            .map(|(_, v)| identifier(v))
    });
    named
        .or_else(|| {
            members
                .values()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s.clone()),
                    Value::Object(_) => Some(identifier(v)),
                    _ => None,
                })
                .find(|s| s.contains('@') && !s.starts_with('{'))
        })
        .unwrap_or_else(|| value_text(value))
}

/// A JSON value as text: a string as it is, anything else as compact JSON.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{identifier, split_list};

    #[test]
    fn address_lists_split_outside_quotes() {
        assert_eq!(
            split_list(r#""Shah, Priya" <p.shah@x.io>, "Ops; Claims" <ops@x.io>;c@y.io"#),
            [
                r#""Shah, Priya" <p.shah@x.io>"#,
                r#""Ops; Claims" <ops@x.io>"#,
                "c@y.io"
            ]
        );
        assert_eq!(split_list("a@x.io, b@x.io ,"), ["a@x.io", "b@x.io"]);
    }

    #[test]
    fn objects_are_what_they_identify() {
        assert_eq!(
            identifier(&json!({"name": "Audit", "address": "audit@x.io"})),
            "audit@x.io"
        );
        assert_eq!(
            identifier(&json!({"name": "ACME", "iban": "DE89370400440532013000"})),
            "DE89370400440532013000"
        );
        assert_eq!(
            identifier(&json!({"label": "Lee", "contact": "lee@y.io"})),
            "lee@y.io"
        );
        assert_eq!(identifier(&json!("plain@z.io")), "plain@z.io");
        assert_eq!(
            identifier(&json!({"emailAddress": {"address": "m@x.io", "name": "M"}})),
            "m@x.io"
        );
        assert_eq!(
            identifier(&json!({"recipient": {"contact": {"mail": "n@x.io"}}})),
            "n@x.io"
        );
        assert_eq!(identifier(&json!({"n": 1})), r#"{"n":1}"#);
    }
}
