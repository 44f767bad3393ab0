//! Asking writ about one request and turning its answer into "send it" or
//! a refusal. Every error refuses: nothing undecided is forwarded.

use std::time::Duration;

use http::StatusCode;
use serde_json::{Value, json};
use writ_client::{Client, ClientError, Guarded};

use crate::problem::Problem;

/// How the proxy asks writ.
#[derive(Debug, Clone)]
pub struct Decider {
    pub client: Client,
    /// Session the proxy's requests belong to.
    pub session: Option<String>,
    /// How long a request waiting for approval is held.
    pub approval_timeout: Duration,
}

/// A refusal, and whether the action should be closed as `not_run` (it
/// is left open while a reviewer may still decide it).
#[derive(Debug)]
pub struct Refusal {
    pub problem: Problem,
    pub close: Option<String>,
}

impl Decider {
    /// The approvals page of the control plane.
    pub fn approvals_url(&self) -> String {
        format!("{}/approvals", self.client.base())
    }

    /// Guards `event`; `Ok` with the action id when writ released it.
    pub async fn decide(&self, event: &Value) -> Result<String, Refusal> {
        let guarded = self
            .client
            .guard("http", event, self.session.as_deref(), None)
            .await
            .map_err(undecided)?;
        let id = guarded
            .action_id()
            .map(str::to_owned)
            .ok_or_else(|| Refusal {
                problem: Problem::new(
                    StatusCode::BAD_GATEWAY,
                    "undecided",
                    "writ answered without an action id, so the request was not sent",
                ),
                close: None,
            })?;
        if guarded.released() {
            return Ok(id);
        }
        let latest = if guarded.pending() && !self.approval_timeout.is_zero() {
            self.client
                .wait_decided(&id, self.approval_timeout)
                .await
                .map_err(undecided)?
        } else {
            guarded.clone()
        };
        if latest.released() {
            return Ok(id);
        }
        Err(refusal(&guarded, &latest, &id, self))
    }
}

/// writ could not decide: fail closed with the reason.
fn undecided(e: ClientError) -> Refusal {
    Refusal {
        problem: Problem::new(
            StatusCode::BAD_GATEWAY,
            "undecided",
            format!("writ could not decide this request, so it was not sent: {e}"),
        ),
        close: None,
    }
}

/// The 403 of a request writ did not release: its route, reasons and
/// explanation (from the decision), and its status now.
fn refusal(decision: &Guarded, latest: &Guarded, id: &str, decider: &Decider) -> Refusal {
    let route = latest.enforced_route().to_owned();
    let status = latest.0.get("status").and_then(Value::as_str).unwrap_or("");
    let pending = latest.pending();
    let explanation = decision.explanation();
    let detail = if pending {
        let waited = decider.approval_timeout.as_secs();
        format!(
            "writ requires approval for this request ({explanation}); it was not sent. \
             Action {id} awaits review at {} (this proxy waited {waited} s)",
            decider.approvals_url()
        )
    } else {
        format!("writ refused this request ({route}): {explanation}; it was not sent")
    };
    let mut problem = Problem::new(StatusCode::FORBIDDEN, "refused", detail)
        .with("action_id", json!(id))
        .with("route", json!(decision.route()))
        .with("enforced_route", json!(route))
        .with("action_status", json!(status))
        .with("reasons", json!(decision.reason_codes()))
        .with("explanation", json!(explanation));
    if pending {
        problem = problem.with("approvals_url", json!(decider.approvals_url()));
    }
    Refusal {
        problem,
        close: (!pending).then(|| format!("refused by writ: {route}")),
    }
}
