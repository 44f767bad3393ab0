//! `writ approvals ... --server URL`: a reviewer works `writ serve`'s queue
//! from the terminal, with an approver's token in `$WRIT_TOKEN`.
//!
//! The network is in [`run`]; everything else renders the API's JSON into
//! text and is pure.

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use writ::error::CliError;
use writ_client::{Client, ClientError};

/// What to do on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// The pending queue as a table.
    List,
    /// One action with its facts and reasons.
    Show { id: String },
    /// Approve (`grant`) or deny with a comment.
    Review {
        id: String,
        grant: bool,
        comment: String,
    },
}

/// Runs `request` against the server at `server` and returns what to print.
pub fn run(server: &str, request: Request) -> Result<String, CliError> {
    let client = Client::from_env(Some(server)).map_err(cli_error)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Internal(format!("cannot start a runtime: {e}")))?;
    let now = OffsetDateTime::now_utc();
    runtime.block_on(async {
        match request {
            Request::List => Ok(table(&client.pending().await.map_err(cli_error)?, now)),
            Request::Show { id } => {
                let id = full_id(&client, &id).await?;
                let view = client.action(&id, None).await.map_err(cli_error)?;
                Ok(show(&view, now))
            }
            Request::Review { id, grant, comment } => {
                let id = full_id(&client, &id).await?;
                let view = client
                    .review(&id, grant, &comment)
                    .await
                    .map_err(cli_error)?;
                Ok(reviewed(&view))
            }
        }
    })
}

/// Bad input, refusals and an unreachable server exit 2 with the server's
/// detail; a server that failed exits 1.
fn cli_error(e: ClientError) -> CliError {
    match e {
        ClientError::Problem {
            status,
            code,
            detail,
        } if status < 500 => {
            CliError::Input(format!("the server refused ({status} {code}): {detail}"))
        }
        ClientError::Config(message) => CliError::Input(message),
        ClientError::Unreachable { .. } => CliError::Input(e.to_string()),
        other => CliError::Internal(other.to_string()),
    }
}

/// An action id as given, or the one pending action it is a prefix of.
async fn full_id(client: &Client, id: &str) -> Result<String, CliError> {
    if is_full_id(id) {
        return Ok(id.to_owned());
    }
    let queue = client.pending().await.map_err(cli_error)?;
    resolve(id, &queue).map_err(CliError::Input)
}

/// Full ids are `act_` and 32 hex digits.
fn is_full_id(id: &str) -> bool {
    id.len() == 36 && id.starts_with("act_") && id.bytes().skip(4).all(|b| b.is_ascii_hexdigit())
}

/// The pending action whose id starts with `prefix` (with or without `act_`).
fn resolve(prefix: &str, queue: &Value) -> Result<String, String> {
    let wanted = if prefix.starts_with("act_") {
        prefix.to_owned()
    } else {
        format!("act_{prefix}")
    };
    let ids: Vec<&str> = pending(queue)
        .iter()
        .filter_map(|a| a.get("action_id").and_then(Value::as_str))
        .filter(|id| !prefix.is_empty() && id.starts_with(&wanted))
        .collect();
    match ids.as_slice() {
        [one] => Ok((*one).to_owned()),
        [] => Err(format!("no pending action `{prefix}`")),
        _ => Err(format!(
            "`{prefix}` is ambiguous: {}; give more of the id",
            ids.join(", ")
        )),
    }
}

fn pending(queue: &Value) -> &[Value] {
    queue
        .get("pending")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("-")
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// How long ago `at` (RFC 3339) was, e.g. `42s`, `5m`, `3h`, `2d`.
fn age(at: &str, now: OffsetDateTime) -> String {
    let Ok(then) = OffsetDateTime::parse(at, &Rfc3339) else {
        return "?".to_owned();
    };
    let secs = (now - then).whole_seconds().max(0);
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
}

/// Rows under a header, each column as wide as its widest cell; the last
/// column is not padded.
fn columns(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    std::iter::once(&header)
        .chain(rows)
        .map(|row| {
            let last = row.len().saturating_sub(1);
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (cell, w))| {
                    if i == last {
                        cell.clone()
                    } else {
                        format!("{cell:<w$}")
                    }
                })
                .collect();
            cells.join("  ") + "\n"
        })
        .collect()
}

/// The pending queue (`GET /v1/approvals`) as a table.
pub fn table(queue: &Value, now: OffsetDateTime) -> String {
    let rows: Vec<Vec<String>> = pending(queue)
        .iter()
        .map(|a| {
            vec![
                text(a, "action_id").to_owned(),
                age(text(a, "created_at"), now),
                text(a, "tool").to_owned(),
                text(a, "route").to_owned(),
                strings(a, "reasons").join(","),
                text(a, "summary").to_owned(),
            ]
        })
        .collect();
    if rows.is_empty() {
        return "no pending actions\n".to_owned();
    }
    columns(&["ID", "AGE", "TOOL", "ROUTE", "REASONS", "WHAT"], &rows)
}

/// A value on one line: strings bare, the rest as compact JSON.
fn one_line(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// True for facts worth showing: not false, null, zero or empty.
fn notable(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => false,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => o.values().any(notable),
        Value::Bool(true) => true,
    }
}

/// One action (`GET /v1/actions/{id}`) with what it does, why, and its facts.
pub fn show(view: &Value, now: OffsetDateTime) -> String {
    let mut out = format!(
        "{}  {}, route {} (enforced {}), {} ago\n",
        text(view, "action_id"),
        text(view, "status"),
        text(view, "route"),
        text(view, "enforced_route"),
        age(text(view, "created_at"), now),
    );
    out.push_str(&format!("what      {}\n", text(view, "summary")));
    out.push_str(&format!(
        "agent     {} (runtime {}, session {}, user {})\n",
        text(view, "principal"),
        text(view, "runtime"),
        text(view, "session_id"),
        text(view, "user"),
    ));
    let needs = strings(view, "required_jurisdictions");
    if !needs.is_empty() {
        out.push_str(&format!(
            "needs     an approver for {}\n",
            needs.join(" and ")
        ));
    }
    let decision = view.get("decision").unwrap_or(&Value::Null);
    out.push_str("reasons\n");
    let rules = decision
        .get("rules")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for r in &rules {
        out.push_str(&format!(
            "  {} -> {}{}: {}\n",
            text(r, "reason"),
            text(r, "route"),
            r.get("jurisdiction")
                .and_then(Value::as_str)
                .map(|j| format!(" in {j}"))
                .unwrap_or_default(),
            text(r, "description"),
        ));
    }
    if rules.is_empty() {
        out.push_str(&format!("  {}\n", strings(view, "reasons").join(", ")));
    }
    out.push_str("facts\n");
    if let Some(facts) = decision.get("facts").and_then(Value::as_object) {
        for (key, v) in facts.iter().filter(|(_, v)| notable(v)) {
            out.push_str(&format!("  {key}: {}\n", one_line(v)));
        }
    }
    out.push_str(&format!(
        "arguments {}\n",
        one_line(view.get("arguments").unwrap_or(&Value::Null))
    ));
    for r in view
        .get("reviews")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.push_str(&format!(
            "review    {} by {} at {}: {}\n",
            text(r, "decision"),
            text(r, "by"),
            text(r, "at"),
            text(r, "comment"),
        ));
    }
    out
}

/// The answer of a review.
pub fn reviewed(view: &Value) -> String {
    let verb = match view
        .get("reviews")
        .and_then(Value::as_array)
        .and_then(|r| r.last())
        .map(|r| text(r, "decision"))
    {
        Some("grant") => "approved",
        Some("deny") => "denied",
        _ => "reviewed",
    };
    format!(
        "{verb} {} ({}): now {}, enforced route {}\n",
        text(view, "action_id"),
        text(view, "tool"),
        text(view, "status"),
        text(view, "enforced_route"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-01-01 12:00:00 UTC);

    fn queue() -> Value {
        json!({"version": 3, "pending": [
            {"action_id": "act_0123456789abcdef0123456789abcdef", "created_at": "2026-01-01T11:55:00Z",
             "tool": "gmail/send_message", "route": "require_approval", "reasons": ["UNKNOWN_TOOL"],
             "summary": "bot wants to use `gmail/send_message` to send to `a@b.c`"},
            {"action_id": "act_01ffffffffffffffffffffffffffffff", "created_at": "2026-01-01T09:00:00Z",
             "tool": "wire_transfer", "route": "require_approval", "reasons": ["UNKNOWN_TOOL", "PAYMENT"],
             "summary": "bot wants to call the tool `wire_transfer`"}
        ]})
    }

    #[test]
    fn the_queue_is_a_table() {
        assert_eq!(
            table(&queue(), NOW),
            "ID                                    AGE  TOOL                ROUTE             REASONS               WHAT\n\
             act_0123456789abcdef0123456789abcdef  5m   gmail/send_message  require_approval  UNKNOWN_TOOL          bot wants to use `gmail/send_message` to send to `a@b.c`\n\
             act_01ffffffffffffffffffffffffffffff  3h   wire_transfer       require_approval  UNKNOWN_TOOL,PAYMENT  bot wants to call the tool `wire_transfer`\n"
        );
        assert_eq!(table(&json!({"pending": []}), NOW), "no pending actions\n");
    }

    #[test]
    fn ages() {
        for (at, expected) in [
            ("2026-01-01T11:59:18Z", "42s"),
            ("2026-01-01T12:00:05Z", "0s"),
            ("2025-12-29T12:00:00Z", "3d"),
            ("yesterday", "?"),
        ] {
            assert_eq!(age(at, NOW), expected, "{at}");
        }
    }

    #[test]
    fn prefixes_resolve_to_one_pending_action() {
        let q = queue();
        assert_eq!(
            resolve("0123", &q).unwrap(),
            "act_0123456789abcdef0123456789abcdef"
        );
        assert_eq!(
            resolve("act_01f", &q).unwrap(),
            "act_01ffffffffffffffffffffffffffffff"
        );
        assert!(resolve("01", &q).unwrap_err().contains("ambiguous"));
        assert_eq!(resolve("9", &q).unwrap_err(), "no pending action `9`");
        assert!(resolve("", &q).is_err());
        assert!(is_full_id("act_0123456789abcdef0123456789abcdef"));
        assert!(!is_full_id("act_0123"));
    }

    #[test]
    fn a_review_reads_as_a_sentence() {
        let view = json!({"action_id": "act_1", "tool": "t", "status": "released", "enforced_route": "allow",
            "reviews": [{"decision": "grant", "by": "a"}]});
        assert_eq!(
            reviewed(&view),
            "approved act_1 (t): now released, enforced route allow\n"
        );
    }

    #[test]
    fn only_notable_facts_show() {
        assert!(!notable(&json!({"a": false, "b": [], "c": 0})));
        assert!(notable(&json!({"a": ["x"]})));
    }
}
