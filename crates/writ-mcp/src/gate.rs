//! The writ side of the proxy: the `mcp` event of a call, what to do with
//! writ's answer, the texts a refused call answers with, and the `_meta`
//! a forwarded call carries. Pure functions, except [`Gate`]'s calls to
//! the control plane.

use std::time::Duration;

use serde_json::{Value, json};
use writ_client::{Client, ClientError, Guarded};

/// The control plane and how long a held call waits for review.
#[derive(Debug, Clone)]
pub struct Gate {
    client: Client,
    approval_timeout: Duration,
}

/// What the proxy does with one guarded call.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Forward it: writ released it (`allow`, `warn`, or approved).
    Forward,
    /// Ask for review: writ holds it (`require_approval`).
    Hold,
    /// Refuse it (`block`, `simulate_first`, denied, expired).
    Refuse,
}

/// The verdict of writ's answer. Anything not released and not pending is
/// refused, so an answer the proxy does not understand never forwards.
pub fn verdict(guarded: &Guarded) -> Verdict {
    if guarded.released() {
        Verdict::Forward
    } else if guarded.pending() {
        Verdict::Hold
    } else {
        Verdict::Refuse
    }
}

/// The `mcp` runtime event of one `tools/call` (FORMAT.md): the server's
/// name, the tool's `tools/list` entry when known, and the request.
pub fn mcp_event(
    server: &str,
    tool: Option<&Value>,
    id: &Value,
    name: &str,
    arguments: &Value,
) -> Value {
    let mut event = json!({
        "server": {"name": server},
        "request": {
            "jsonrpc": "2.0",
            "id": id,
            "method": "tools/call",
            "params": {"name": name, "arguments": arguments},
        },
    });
    if let Some(tool) = tool {
        event["tool"] = tool.clone();
    }
    event
}

/// The text a refused call answers with: what writ decided and why.
pub fn refusal_text(tool: &str, guarded: &Guarded, approvals: &str) -> String {
    let id = guarded.action_id().unwrap_or("-");
    let why = guarded.explanation();
    let status = guarded
        .0
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or("");
    match (guarded.enforced_route(), status) {
        (_, "denied") => {
            format!("writ: an approver denied `{tool}` (action {id}), so it was not run. {why}")
        }
        (_, "expired") => format!(
            "writ: nobody approved `{tool}` in time (action {id}), so it was not run. {why}"
        ),
        ("simulate_first", _) => format!(
            "writ: `{tool}` was not run, route simulate_first: {why}. Do a dry run (plan, preview) first, then call again (action {id})."
        ),
        (_, "pending") => format!(
            "writ: `{tool}` needs approval and was not approved in time, so it was not run: {why}. An approver can review action {id} at {approvals}; call again once it is approved."
        ),
        (route, _) => {
            format!("writ: `{tool}` was not run, route {route}: {why} (action {id}).")
        }
    }
}

/// The text of a call refused because writ could not decide (fail closed).
pub fn undecided_text(tool: &str, error: &ClientError) -> String {
    format!("writ: `{tool}` was not run because writ could not decide it: {error}")
}

/// The message of the elicitation that tells the user a call waits for
/// approval, and where to give it.
pub fn approval_message(tool: &str, guarded: &Guarded, approvals: &str) -> String {
    format!(
        "writ holds `{tool}` for approval: {why}. An approver must review action {id} at {approvals} (you cannot approve it here). Accept to wait for that decision, or decline to cancel the call.",
        why = guarded.explanation(),
        id = guarded.action_id().unwrap_or("-"),
    )
}

/// The `_meta.writ` object of a call's result: the action, its route and
/// reasons, and once closed its status and certificate leaf.
pub fn writ_meta(guarded: &Guarded, closed: Option<&Value>) -> Value {
    let mut meta = json!({
        "action_id": guarded.action_id(),
        "route": guarded.route(),
        "enforced_route": guarded.enforced_route(),
        "reasons": guarded.reason_codes(),
    });
    if let Some(closed) = closed {
        meta["status"] = closed.get("status").cloned().unwrap_or(Value::Null);
        meta["certificate_leaf"] = closed
            .get("certificate_leaf")
            .cloned()
            .unwrap_or(Value::Null);
    }
    meta
}

/// How a forwarded call ended, from its `CallToolResult` JSON: `failed`
/// when `isError` is true, else `completed`; and its text content.
pub fn closure_of(result: &Value) -> (&'static str, String) {
    let failed = result.get("isError").and_then(Value::as_bool) == Some(true);
    let text = result
        .get("content")
        .and_then(Value::as_array)
        .map(|blocks| {
            blocks
                .iter()
                .filter_map(|b| b.get("text").and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default();
    (if failed { "failed" } else { "completed" }, text)
}

impl Gate {
    /// A gate deciding through `client`, holding calls up to `approval_timeout`.
    pub fn new(client: Client, approval_timeout: Duration) -> Gate {
        Gate {
            client,
            approval_timeout,
        }
    }

    /// The control plane's approvals page.
    pub fn approvals_url(&self) -> String {
        format!("{}/approvals", self.client.base())
    }

    /// How long a held call waits.
    pub fn approval_timeout(&self) -> Duration {
        self.approval_timeout
    }

    /// Guards one `mcp` event in `session`.
    pub async fn guard(&self, event: &Value, session: &str) -> Result<Guarded, ClientError> {
        self.client.guard("mcp", event, Some(session), None).await
    }

    /// Waits until a held action is decided or the approval timeout passes.
    pub async fn wait(&self, guarded: &Guarded) -> Result<Guarded, ClientError> {
        let id = guarded
            .action_id()
            .ok_or_else(|| ClientError::BadResponse("a pending action without an id".into()))?;
        self.client.wait_decided(id, self.approval_timeout).await
    }

    /// Records how the action ended; returns the closed action's view.
    /// An action without an id (nothing to close) answers `None`.
    pub async fn close(
        &self,
        guarded: &Guarded,
        closure: &str,
        result: Value,
        output: Option<&str>,
    ) -> Result<Option<Value>, ClientError> {
        match guarded.action_id() {
            Some(id) => self
                .client
                .outcome(id, closure, result, output)
                .await
                .map(Some),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(v: Value) -> Guarded {
        Guarded(v)
    }

    #[test]
    fn verdicts_fail_closed() {
        assert_eq!(verdict(&g(json!({"released": true}))), Verdict::Forward);
        assert_eq!(verdict(&g(json!({"status": "pending"}))), Verdict::Hold);
        assert_eq!(
            verdict(&g(json!({"status": "blocked", "route": "block"}))),
            Verdict::Refuse
        );
        assert_eq!(verdict(&g(json!({}))), Verdict::Refuse);
    }

    #[test]
    fn event_carries_the_tool_entry_when_known() {
        let tool = json!({"name": "search", "annotations": {"readOnlyHint": true}});
        let e = mcp_event("mail", Some(&tool), &json!(3), "search", &json!({"q": 1}));
        assert_eq!(e["server"]["name"], "mail");
        assert_eq!(e["tool"]["annotations"]["readOnlyHint"], true);
        assert_eq!(e["request"]["params"]["name"], "search");
        assert_eq!(e["request"]["id"], 3);
        assert!(
            mcp_event("m", None, &json!("a"), "t", &json!({}))
                .get("tool")
                .is_none()
        );
    }

    #[test]
    fn refusal_names_route_reasons_and_action() {
        let blocked = g(json!({
            "action_id": "act_1", "route": "block", "enforced_route": "block", "status": "blocked",
            "rules": [{"reason": "EXFIL_SECRET", "description": "a secret leaves"}],
        }));
        let t = refusal_text("mail/send_message", &blocked, "http://x/approvals");
        assert!(t.contains("route block"), "{t}");
        assert!(t.contains("EXFIL_SECRET: a secret leaves"), "{t}");
        assert!(t.contains("act_1"), "{t}");
        let held = g(
            json!({"action_id": "act_2", "route": "require_approval", "status": "pending", "reasons": ["EXTERNAL_MESSAGE"]}),
        );
        let t = refusal_text("mail/send_message", &held, "http://x/approvals");
        assert!(
            t.contains("http://x/approvals") && t.contains("EXTERNAL_MESSAGE"),
            "{t}"
        );
    }

    #[test]
    fn closure_follows_is_error() {
        let ok = json!({"content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]});
        assert_eq!(closure_of(&ok), ("completed", "a\nb".to_owned()));
        let bad = json!({"content": [{"type": "text", "text": "boom"}], "isError": true});
        assert_eq!(closure_of(&bad), ("failed", "boom".to_owned()));
    }
}
