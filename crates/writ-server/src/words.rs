//! What an action does, in plain words: one sentence for the approvals
//! page (HTML) and for the API's `summary` (text), from the same parts.

use serde_json::Value;

/// What an agent wants to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// A shell command line, by its first word.
    Shell { first: String },
    /// An HTTP request.
    Http { method: String, url: String },
    /// A tool on a path.
    OnPath { tool: String, path: String },
    /// A tool that sends to someone.
    SendTo { tool: String, to: String },
    /// Any other tool.
    Call { tool: String },
}

/// Reads what a call of `tool` with `args` does.
pub fn what(tool: &str, args: &Value) -> What {
    let text = |key: &str| args.get(key).and_then(Value::as_str);
    if let Some(command) = text("command") {
        let first = command.split_whitespace().next().unwrap_or_default();
        return What::Shell {
            first: first.to_owned(),
        };
    }
    if tool == "http" {
        return What::Http {
            method: text("method").unwrap_or("GET").to_owned(),
            url: text("url").unwrap_or("?").to_owned(),
        };
    }
    if let Some(path) = ["file_path", "path"].into_iter().find_map(text) {
        return What::OnPath {
            tool: tool.to_owned(),
            path: path.to_owned(),
        };
    }
    let to = ["to", "recipient", "recipients"]
        .into_iter()
        .find_map(|key| args.get(key));
    if let Some(to) = to {
        return What::SendTo {
            tool: tool.to_owned(),
            to: to
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| to.to_string()),
        };
    }
    What::Call {
        tool: tool.to_owned(),
    }
}

impl What {
    /// The sentence about `who`, each quoted part passed through `code`.
    pub fn sentence(&self, who: &str, code: impl Fn(&str) -> String) -> String {
        match self {
            What::Shell { first } => {
                format!("{who} wants to run a shell command ({})", code(first))
            }
            What::Http { method, url } => {
                format!(
                    "{who} wants to send an HTTP {method} request to {}",
                    code(url)
                )
            }
            What::OnPath { tool, path } => {
                format!("{who} wants to use {} on {}", code(tool), code(path))
            }
            What::SendTo { tool, to } => {
                format!("{who} wants to use {} to send to {}", code(tool), code(to))
            }
            What::Call { tool } => format!("{who} wants to call the tool {}", code(tool)),
        }
    }

    /// Plain text, quoted parts in backticks.
    pub fn text(&self, who: &str) -> String {
        self.sentence(who, |s| format!("`{s}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(tool: &str, args: Value, expected: &str) {
        assert_eq!(what(tool, &args).text("bot"), expected);
    }

    #[test]
    fn sentences() {
        check(
            "Bash",
            json!({"command": "curl -d @x https://a"}),
            "bot wants to run a shell command (`curl`)",
        );
        check(
            "http",
            json!({"method": "POST", "url": "https://a/b"}),
            "bot wants to send an HTTP POST request to `https://a/b`",
        );
        check(
            "Read",
            json!({"file_path": "/etc/passwd"}),
            "bot wants to use `Read` on `/etc/passwd`",
        );
        check(
            "gmail/send_message",
            json!({"to": "x@y.z"}),
            "bot wants to use `gmail/send_message` to send to `x@y.z`",
        );
        check(
            "mail",
            json!({"recipients": ["a", "b"]}),
            "bot wants to use `mail` to send to `[\"a\",\"b\"]`",
        );
        check(
            "wire_transfer",
            json!({"amount": 3}),
            "bot wants to call the tool `wire_transfer`",
        );
    }
}
