//! Reconciliation: what the action was expected to do against what was
//! observed, and the residue of irreversible effects it leaves.

use serde_json::Value;

use crate::certificate::{CheckResult, Reconciliation};

/// One expectation with what was observed (`None`: not observed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// Content digest (`sha256:…`) of a written file.
    FileDigest {
        path: String,
        expected: String,
        observed: Option<String>,
    },
    /// HTTP status of a request.
    HttpStatus {
        url: String,
        expected: u16,
        observed: Option<u16>,
    },
    /// Commit a remote ref points at after a push.
    RemoteRef {
        reference: String,
        expected: String,
        observed: Option<String>,
    },
    /// The tool's `isError` (expected false for a successful call).
    ToolError {
        tool: String,
        expected: bool,
        observed: Option<bool>,
    },
}

impl Check {
    /// The check's recorded form.
    pub fn result(&self) -> CheckResult {
        let (kind, subject, expected, observed) = match self {
            Check::FileDigest {
                path,
                expected,
                observed,
            } => (
                "file_digest",
                path.clone(),
                expected.clone(),
                observed.clone(),
            ),
            Check::HttpStatus {
                url,
                expected,
                observed,
            } => (
                "http_status",
                url.clone(),
                expected.to_string(),
                observed.map(|s| s.to_string()),
            ),
            Check::RemoteRef {
                reference,
                expected,
                observed,
            } => (
                "remote_ref",
                reference.clone(),
                expected.clone(),
                observed.clone(),
            ),
            Check::ToolError {
                tool,
                expected,
                observed,
            } => (
                "tool_error",
                tool.clone(),
                expected.to_string(),
                observed.map(|b| b.to_string()),
            ),
        };
        let status = match &observed {
            None => "unobserved",
            Some(o) if *o == expected => "match",
            Some(_) => "mismatch",
        };
        CheckResult {
            kind: kind.to_owned(),
            subject,
            expected,
            observed,
            status: status.to_owned(),
        }
    }
}

/// Overall status of a set of checks: `reconciled` when every check
/// matched, `drift` when something observed differs and nothing matched,
/// `partial` when some matched and others differ or were not observed,
/// `unverifiable` when nothing was observed.
pub fn status_of(checks: &[CheckResult]) -> &'static str {
    let matched = checks.iter().filter(|c| c.status == "match").count();
    let mismatched = checks.iter().filter(|c| c.status == "mismatch").count();
    if checks.is_empty() || (matched == 0 && mismatched == 0) {
        "unverifiable"
    } else if matched == checks.len() {
        "reconciled"
    } else if matched == 0 {
        "drift"
    } else {
        "partial"
    }
}

/// Irreversible effects of an action that ran, from its decision's facts
/// (the JSON `writ-core` serialises): payments, messages leaving the
/// organisation, data sent to destinations it does not own, and any other
/// change its externality marks irreversible. `["none"]` when there is none
/// or the action did not run.
pub fn residue_of(decision: &Value, ran: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if ran {
        let facts = &decision["facts"];
        if facts["payment_max_cents"].is_i64() || facts["payment_unreadable"] == Value::Bool(true) {
            out.push("money_moved".to_owned());
        }
        let outside = |o: &Value| o.as_str().is_some_and(|s| s != "org");
        if facts["message_recipients"]
            .as_array()
            .is_some_and(|r| r.iter().any(outside))
        {
            out.push("message_sent".to_owned());
        }
        let left = facts["egress"].as_array().is_some_and(|egress| {
            egress
                .iter()
                .any(|e| !e["host"].is_null() && outside(&e["ownership"]))
        });
        if left {
            out.push("data_left_org".to_owned());
        }
        if out.is_empty() && facts["externality"]["reversibility"] == "irreversible" {
            out.push("irreversible_change".to_owned());
        }
    }
    if out.is_empty() {
        out.push("none".to_owned());
    }
    out
}

/// Reconciles `checks` for a decision.
pub fn reconcile(checks: &[Check], decision: &Value, ran: bool) -> Reconciliation {
    let results: Vec<CheckResult> = checks.iter().map(Check::result).collect();
    Reconciliation {
        status: status_of(&results).to_owned(),
        checks: results,
        residue: residue_of(decision, ran),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn file(observed: Option<&str>) -> Check {
        Check::FileDigest {
            path: "/w/a".into(),
            expected: "sha256:aa".into(),
            observed: observed.map(str::to_owned),
        }
    }

    #[test]
    fn statuses() {
        let d = json!({});
        assert_eq!(
            reconcile(&[file(Some("sha256:aa"))], &d, true).status,
            "reconciled"
        );
        assert_eq!(
            reconcile(&[file(Some("sha256:bb"))], &d, true).status,
            "drift"
        );
        assert_eq!(reconcile(&[file(None)], &d, true).status, "unverifiable");
        assert_eq!(reconcile(&[], &d, true).status, "unverifiable");
        let http = Check::HttpStatus {
            url: "https://x".into(),
            expected: 200,
            observed: Some(200),
        };
        assert_eq!(
            reconcile(&[file(Some("sha256:bb")), http.clone()], &d, true).status,
            "partial"
        );
        assert_eq!(reconcile(&[file(None), http], &d, true).status, "partial");
        let tool = Check::ToolError {
            tool: "t".into(),
            expected: false,
            observed: Some(true),
        };
        assert_eq!(reconcile(&[tool], &d, true).status, "drift");
        let push = Check::RemoteRef {
            reference: "origin/main".into(),
            expected: "abc".into(),
            observed: Some("abc".into()),
        };
        assert_eq!(reconcile(&[push], &d, true).status, "reconciled");
    }

    #[test]
    fn residues() {
        let money =
            json!({"facts": {"payment_max_cents": 500, "egress": [], "message_recipients": []}});
        assert_eq!(residue_of(&money, true), vec!["money_moved"]);
        assert_eq!(residue_of(&money, false), vec!["none"]);
        let mail = json!({"facts": {"message_recipients": ["org", "personal"]}});
        assert_eq!(residue_of(&mail, true), vec!["message_sent"]);
        let data = json!({"facts": {"egress": [{"host": "x.io", "ownership": "third_party"}]}});
        assert_eq!(residue_of(&data, true), vec!["data_left_org"]);
        let internal = json!({"facts": {"egress": [{"host": "corp.io", "ownership": "org"}], "externality": {"reversibility": "reversible"}}});
        assert_eq!(residue_of(&internal, true), vec!["none"]);
        let rm = json!({"facts": {"externality": {"reversibility": "irreversible"}}});
        assert_eq!(residue_of(&rm, true), vec!["irreversible_change"]);
    }
}
