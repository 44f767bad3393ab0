//! The OpenAPI 3.1 document of the API, generated from the handlers'
//! `#[utoipa::path]` attributes and the request and response types. Served
//! at `/openapi.json`; committed as `docs/openapi.json` and checked for drift
//! by `tests/openapi.rs`.

use serde::Serialize;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{IntoResponses, Modify, OpenApi, ToSchema};

use crate::Mode;
use crate::control::{
    ActionView, AssumptionRequest, CheckInput, GuardRequest, OutcomeRequest, Review, ReviewRequest,
    Status, Verdict,
};
use crate::error::ProblemDocument;

/// The answer of `POST /v1/guard`: the decision as `writ guard` prints it
/// (route, reasons, fired rules, facts, policy digest), plus the action's
/// fields. A post-call event (it closes a step) answers the decision with
/// `closed: true` and no action.
#[derive(Debug, Serialize, ToSchema)]
pub struct GuardResponse {
    /// `allow`, `warn`, `simulate_first`, `require_approval` or `block`.
    #[schema(example = "require_approval")]
    pub route: String,
    /// Reason codes of the fired rules, strongest first.
    #[schema(example = json!(["UNKNOWN_TOOL"]))]
    pub reasons: Vec<String>,
    /// The normalised tool name.
    pub tool: String,
    pub runtime: String,
    /// The rules that fired, each with its reason, route, jurisdiction and description.
    pub rules: Vec<serde_json::Map<String, serde_json::Value>>,
    /// The derived facts.
    #[schema(value_type = Object)]
    pub facts: serde_json::Value,
    pub policy_digest: String,
    /// Absent when the event closed a step.
    pub action_id: Option<String>,
    pub status: Option<Status>,
    pub decided: Option<bool>,
    /// What the caller must do now, given the deployment mode.
    pub enforced_route: Option<String>,
    /// True when the agent may run the action now.
    pub released: Option<bool>,
    pub mode: Mode,
    pub session_id: Option<String>,
    /// Jurisdictions an approver must hold.
    pub required_jurisdictions: Option<Vec<String>>,
    /// A signed release token when the action is released.
    pub release_token: Option<String>,
    /// True when a post-call event closed its step.
    pub closed: Option<bool>,
    /// The decision's other fields (family, enforceability, approvals used, errors, ...).
    #[serde(flatten)]
    pub more: std::collections::BTreeMap<String, serde_json::Value>,
}

/// The answer of `GET /v1/approvals`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PendingList {
    /// Changes whenever the queue may have changed.
    pub version: u64,
    /// Pending actions, oldest first (at most 500).
    pub pending: Vec<ActionView>,
}

/// The answer of `GET /v1/whoami`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Whoami {
    pub name: String,
    /// `agent`, `approver`, `auditor` or `admin`.
    pub role: String,
    pub jurisdictions: Vec<String>,
}

/// The answer of `GET /healthz`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: String,
}

/// Errors every authenticated endpoint may answer.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum AuthErrors {
    /// No bearer token, or an unknown or revoked one.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(ProblemDocument),
    /// The token's role may not do this (code `role`), or the principal may not (e.g. `own_action`, `jurisdiction`).
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(ProblemDocument),
    /// The server failed (the store, the log).
    #[response(status = 500, content_type = "application/problem+json")]
    Internal(ProblemDocument),
}

/// Errors of an endpoint on one action.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum ActionErrors {
    /// No such action, or not one this principal may see.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(ProblemDocument),
    /// The action is not in a state that allows this step (e.g. already decided).
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(ProblemDocument),
}

/// Errors of an endpoint with a JSON body.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum BodyErrors {
    /// The body is not JSON of the documented shape (unknown fields are errors), or a value is invalid.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(ProblemDocument),
    /// The body is larger than `--body-limit`.
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(ProblemDocument),
}

/// Adds the bearer scheme every `/v1` endpoint uses.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.description = Some(
            "A token from `writ tokens create --role agent|approver|auditor|admin`".to_owned(),
        );
        components.add_security_scheme("bearer", SecurityScheme::Http(http));
    }
}

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "writ serve",
        description = "The control plane every adapter talks to: the five checkpoints of an action (guard, assumptions, approvals, outcome, proof), the approval queue and the log. Errors are `application/problem+json` (RFC 9457) with a stable `code`.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    paths(
        crate::api::guard,
        crate::api::action,
        crate::api::assumption,
        crate::api::review,
        crate::api::outcome,
        crate::api::proof,
        crate::api::pending,
        crate::api::whoami,
        crate::api::checkpoint,
        crate::api::log_key,
        crate::api::healthz,
        crate::api::metrics,
        crate::api::openapi_json,
        crate::page::page,
        crate::page::queue,
        crate::page::login,
        crate::page::logout,
        crate::page::decide,
    ),
    components(schemas(
        GuardRequest,
        GuardResponse,
        AssumptionRequest,
        ReviewRequest,
        Verdict,
        OutcomeRequest,
        CheckInput,
        ActionView,
        Review,
        Status,
        Mode,
        PendingList,
        Whoami,
        Health,
        ProblemDocument,
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "actions", description = "The checkpoints of one action"),
        (name = "review", description = "The approval queue"),
        (name = "log", description = "The Merkle log"),
        (name = "service", description = "Identity, health, metrics, this document"),
        (name = "page", description = "The server-rendered approvals page (HTML, cookie sign-in)"),
    ),
)]
pub struct ApiDoc;

/// The document as pretty JSON with a final newline, as committed.
pub fn document() -> Result<String, serde_json::Error> {
    ApiDoc::openapi().to_pretty_json().map(|text| text + "\n")
}
