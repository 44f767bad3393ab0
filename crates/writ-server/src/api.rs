//! The HTTP API.
//!
//! | endpoint | roles |
//! |---|---|
//! | `POST /v1/guard` | agent, admin |
//! | `POST /v1/actions/{id}/assumptions`, `.../outcome` | the agent that guarded it, admin |
//! | `POST /v1/actions/{id}/approvals` | approver, admin: in a jurisdiction the action needs, never on its own action |
//! | `GET /v1/actions/{id}` (`?wait=SECONDS`) | every role (an agent: its own actions) |
//! | `GET /v1/actions/{id}/proof` | auditor, admin, the agent that guarded it |
//! | `GET /v1/approvals` | approver, auditor, admin |
//! | `GET /v1/log/checkpoint`, `GET /v1/whoami` | every role |
//! | `GET /v1/log/key`, `/healthz`, `/metrics`, `/openapi.json` | anyone |
//!
//! Errors are `application/problem+json` (RFC 9457) with a stable `code`.

use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use opentelemetry::KeyValue;

use crate::AppState;
use crate::control::{
    AssumptionRequest, GuardAnswer, GuardRequest, OutcomeRequest, Record, ReviewRequest, Status,
    Touch,
};
use crate::error::Problem;
use crate::tokens::{self, Principal, Role};

/// The whole application: API, approvals page, health and metrics.
pub fn router(state: AppState) -> Router {
    let limit = state.shared.body_limit;
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/v1/guard", post(guard))
        .route("/v1/whoami", get(whoami))
        .route("/v1/approvals", get(pending))
        .route("/v1/actions/{id}", get(action))
        .route("/v1/actions/{id}/assumptions", post(assumption))
        .route("/v1/actions/{id}/approvals", post(review))
        .route("/v1/actions/{id}/outcome", post(outcome))
        .route("/v1/actions/{id}/proof", get(proof))
        .route("/v1/log/checkpoint", get(checkpoint))
        .route("/v1/log/key", get(log_key))
        .route("/openapi.json", get(openapi_json))
        .merge(crate::page::routes())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

async fn not_found() -> Problem {
    Problem::not_found("no such endpoint")
}

/// The W3C trace context a caller sent, if any.
fn traceparent(headers: &HeaderMap) -> Option<&str> {
    headers.get("traceparent")?.to_str().ok()
}

/// What an assumption span says beyond the action: the latest assumption's kind.
fn assumption_extra(record: &crate::control::Record) -> Vec<KeyValue> {
    let kind = record.steps.iter().rev().find_map(|s| match s {
        crate::control::Step::Assumption { kind, .. } => Some(kind.clone()),
        _ => None,
    });
    kind.map(|k| vec![KeyValue::new("writ.assumption.kind", k)])
        .unwrap_or_default()
}

/// What an outcome span says beyond the action: how it ended.
fn outcome_extra(record: &crate::control::Record) -> Vec<KeyValue> {
    let closure = record.steps.iter().rev().find_map(|s| match s {
        crate::control::Step::Outcome { closure, .. } => Some(closure.as_str()),
        _ => None,
    });
    closure
        .map(|c| vec![KeyValue::new("writ.outcome.closure", c)])
        .unwrap_or_default()
}

/// The bearer token of a request.
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// The principal a token belongs to.
///
/// Looked up on the request's own worker, not the blocking pool: one
/// indexed read of a WAL-mode database (readers never wait for the
/// writer), a few microseconds. The blocking pool cost two thread
/// hand-offs per request, more than the read, and on an idle machine each
/// woke a sleeping thread.
pub(crate) fn authenticate(state: &AppState, token: &str) -> Result<Principal, Problem> {
    let found = {
        let conn = state
            .shared
            .auth
            .lock()
            .map_err(|_| Problem::internal("the auth lock is poisoned"))?;
        tokens::authenticate(&conn, token).map_err(Problem::from)?
    };
    found.ok_or_else(|| Problem::unauthorized("the token is unknown or revoked"))
}

fn principal(state: &AppState, headers: &HeaderMap) -> Result<Principal, Problem> {
    let token = bearer(headers)
        .ok_or_else(|| Problem::unauthorized("send `Authorization: Bearer TOKEN`"))?;
    authenticate(state, &token)
}

fn require(p: &Principal, roles: &[Role], what: &str) -> Result<(), Problem> {
    if roles.contains(&p.role) {
        return Ok(());
    }
    Err(Problem::forbidden(
        "role",
        format!("a `{}` cannot {what}", p.role.as_str()),
    ))
}

fn parse_body<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, Problem> {
    let bytes = body.map_err(|e| {
        let status = e.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "too_large"
        } else {
            "bad_request"
        };
        Problem::new(status, code, e.body_text().to_lowercase())
    })?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Problem::bad_request(format!("invalid request body: {e}")))
}

/// The view of `record` for `p`: with the release token for an admin and
/// for the agent that guarded it.
fn view_for(state: &AppState, p: &Principal, record: &Record) -> Result<Value, Problem> {
    let secret = p.role == Role::Admin || p.name == record.principal;
    record.view(secret.then_some(&state.shared.signer))
}

fn check_id(id: &str) -> Result<(), Problem> {
    let ok = id.len() <= 64
        && id.starts_with("act_")
        && id.bytes().skip(4).all(|b| b.is_ascii_hexdigit());
    if ok {
        Ok(())
    } else {
        Err(Problem::not_found(format!("no action `{id}`")))
    }
}

/// This API's OpenAPI 3.1 document.
#[utoipa::path(get, path = "/openapi.json", tag = "service",
    responses((status = 200, description = "The OpenAPI document", body = Object)))]
pub(crate) async fn openapi_json() -> Result<Response, Problem> {
    let text = crate::openapi::document()
        .map_err(|e| Problem::internal(format!("cannot render the OpenAPI document: {e}")))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], text).into_response())
}

/// Liveness.
#[utoipa::path(get, path = "/healthz", tag = "service",
    responses((status = 200, description = "The server is up", body = crate::openapi::Health)))]
pub(crate) async fn healthz() -> Response {
    axum::Json(json!({"status": "ok"})).into_response()
}

/// Prometheus metrics (decisions by route and mode, reasons, reviews, latencies, queue and log size).
#[utoipa::path(get, path = "/metrics", tag = "service",
    responses((status = 200, description = "Prometheus text format 0.0.4", body = String, content_type = "text/plain; version=0.0.4")))]
pub(crate) async fn metrics(State(state): State<AppState>) -> Result<Response, Problem> {
    let (pending, size) = state
        .core(|c| Ok((c.pending_count()?, c.ledger_size())))
        .await?;
    let text = state.shared.metrics.render(pending, size);
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response())
}

/// The principal a token belongs to.
#[utoipa::path(get, path = "/v1/whoami", tag = "service", security(("bearer" = [])),
    responses((status = 200, description = "The principal", body = crate::openapi::Whoami), crate::openapi::AuthErrors))]
pub(crate) async fn whoami(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let p = principal(&state, &headers)?;
    Ok(
        axum::Json(json!({"name": p.name, "role": p.role, "jurisdictions": p.jurisdictions}))
            .into_response(),
    )
}

/// Decides one action (an agent or admin): the first checkpoint. A
/// `require_approval` action waits in the queue; long-poll `GET /v1/actions/{id}?wait=`.
#[utoipa::path(post, path = "/v1/guard", tag = "actions", security(("bearer" = [])),
    request_body = crate::control::GuardRequest,
    responses(
        (status = 200, description = "The decision and the action", body = crate::openapi::GuardResponse),
        crate::openapi::BodyErrors,
        crate::openapi::AuthErrors,
    ))]
pub(crate) async fn guard(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let started = Instant::now();
    let wall = SystemTime::now();
    let span = state.shared.telemetry.begin(wall, traceparent(&headers));
    let trace = span.as_ref().and_then(|s| s.traceparent());
    let answer = async {
        let p = principal(&state, &headers)?;
        require(&p, &[Role::Agent, Role::Admin], "guard actions")?;
        let req: GuardRequest = parse_body(body)?;
        state.core(move |c| c.guard(&p, req, trace)).await
    }
    .await;
    let GuardAnswer {
        out,
        decision,
        decided_at,
        touched,
        ..
    } = match answer.and_then(|mut answer| {
        answer.sign_release(&state.shared.signer)?;
        Ok(answer)
    }) {
        Ok(answer) => answer,
        Err(problem) => {
            if let Some(span) = span {
                span.fail("guard", problem.code, &problem.detail);
            }
            return Err(problem);
        }
    };
    match (span, touched) {
        (Some(span), Some((Touch::Opened, record))) => {
            span.finish("guard", &record, Vec::new(), Some(decided_at));
            state
                .shared
                .telemetry
                .checkpoint("open", decided_at, &record, Vec::new);
        }
        (Some(span), Some((Touch::Claimed, record))) => {
            // The retry of an approved call: it runs as that action.
            let claimed = vec![KeyValue::new("writ.approval.claimed", true)];
            span.finish("guard", &record, claimed, Some(decided_at));
        }
        (span, Some((Touch::Closed, record))) => {
            if let Some(span) = span {
                span.finish_decision("guard", &decision, decided_at);
            }
            state
                .shared
                .telemetry
                .checkpoint("outcome", wall, &record, || outcome_extra(&record));
        }
        (Some(span), None) => span.finish_decision("guard", &decision, decided_at),
        (None, _) => {}
    }
    state.shared.metrics.decision(
        decision.route.as_str(),
        state.shared.mode.as_str(),
        &decision.reasons,
    );
    if decision.violation {
        state
            .shared
            .metrics
            .violation(decision.runtime.as_str(), &decision.reasons);
    }
    for rule in &decision.shadowed {
        state
            .shared
            .metrics
            .shadowed(&rule.reason, rule.route.as_str());
    }
    state.shared.metrics.latency("guard", started.elapsed());
    state.changed();
    Ok(axum::Json(out).into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct WaitQuery {
    /// Seconds to wait for a pending action to be decided (at most 60).
    #[serde(default)]
    wait: Option<f64>,
}

/// One action (every role; an agent sees its own). With `wait`, a pending
/// action is held until it is decided or the wait ends.
#[utoipa::path(get, path = "/v1/actions/{id}", tag = "actions", security(("bearer" = [])),
    params(("id" = String, Path, description = "The action id (`act_...`)"), WaitQuery),
    responses(
        (status = 200, description = "The action", body = crate::control::ActionView),
        (status = 400, description = "`wait` is not a number of seconds", body = crate::error::ProblemDocument, content_type = "application/problem+json"),
        crate::openapi::ActionErrors,
        crate::openapi::AuthErrors,
    ))]
pub(crate) async fn action(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: Result<Query<WaitQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let p = principal(&state, &headers)?;
    check_id(&id)?;
    let Query(query) = query.map_err(|e| Problem::bad_request(e.body_text().to_lowercase()))?;
    let wait = query.wait.unwrap_or(0.0);
    if !wait.is_finite() || wait < 0.0 {
        return Err(Problem::bad_request("`wait` must be a number of seconds"));
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs_f64(wait.min(60.0));
    let mut changes = state.shared.changes.subscribe();
    loop {
        let (p2, id2) = (p.clone(), id.clone());
        let record = state.core(move |c| c.view(&p2, &id2)).await?;
        if record.status != Status::Pending || tokio::time::Instant::now() >= deadline {
            return Ok(axum::Json(view_for(&state, &p, &record)?).into_response());
        }
        if tokio::time::timeout_at(deadline, changes.changed())
            .await
            .is_ok_and(|r| r.is_err())
        {
            // The server is shutting down.
            return Ok(axum::Json(view_for(&state, &p, &record)?).into_response());
        }
    }
}

/// Records an assumption the action relies on (the agent that guarded it, or an admin).
#[utoipa::path(post, path = "/v1/actions/{id}/assumptions", tag = "actions", security(("bearer" = [])),
    params(("id" = String, Path, description = "The action id")),
    request_body = crate::control::AssumptionRequest,
    responses(
        (status = 200, description = "The action", body = crate::control::ActionView),
        crate::openapi::BodyErrors,
        crate::openapi::ActionErrors,
        crate::openapi::AuthErrors,
    ))]
pub(crate) async fn assumption(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let started = Instant::now();
    let wall = SystemTime::now();
    let p = principal(&state, &headers)?;
    require(&p, &[Role::Agent, Role::Admin], "record assumptions")?;
    check_id(&id)?;
    let req: AssumptionRequest = parse_body(body)?;
    let record = state.core(move |c| c.assumption(&p, &id, req)).await?;
    state
        .shared
        .metrics
        .latency("assumption", started.elapsed());
    state
        .shared
        .telemetry
        .checkpoint("assumption", wall, &record, || assumption_extra(&record));
    Ok(axum::Json(record.view(Some(&state.shared.signer))?).into_response())
}

/// Grants or denies a pending action (an approver in a jurisdiction it
/// needs, or an admin; never the principal that guarded it).
#[utoipa::path(post, path = "/v1/actions/{id}/approvals", tag = "review", security(("bearer" = [])),
    params(("id" = String, Path, description = "The action id")),
    request_body = crate::control::ReviewRequest,
    responses(
        (status = 200, description = "The action after the review", body = crate::control::ActionView),
        crate::openapi::BodyErrors,
        crate::openapi::ActionErrors,
        crate::openapi::AuthErrors,
    ))]
pub(crate) async fn review(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let p = principal(&state, &headers)?;
    let req: ReviewRequest = parse_body(body)?;
    review_as(&state, p, id, req).await
}

/// Grants or denies as `p` (the API and the page both come here).
pub(crate) async fn review_as(
    state: &AppState,
    p: Principal,
    id: String,
    req: ReviewRequest,
) -> Result<Response, Problem> {
    let started = Instant::now();
    let wall = SystemTime::now();
    require(
        &p,
        &[Role::Approver, Role::Admin],
        "approve or deny actions",
    )?;
    check_id(&id)?;
    let record = state.core(move |c| c.review(&p, &id, req)).await?;
    let review = record.reviews.last();
    state
        .shared
        .metrics
        .review(review.map(|r| r.decision.as_str()).unwrap_or_default());
    state.shared.metrics.latency("approval", started.elapsed());
    state
        .shared
        .telemetry
        .checkpoint("approval", wall, &record, || {
            review
                .map(|r| {
                    vec![
                        KeyValue::new("writ.approval.decision", r.decision.clone()),
                        KeyValue::new("writ.approval.by", r.by.clone()),
                    ]
                })
                .unwrap_or_default()
        });
    state.changed();
    Ok(axum::Json(record.view(None)?).into_response())
}

/// Records how the action ended; a released action is then certified.
#[utoipa::path(post, path = "/v1/actions/{id}/outcome", tag = "actions", security(("bearer" = [])),
    params(("id" = String, Path, description = "The action id")),
    request_body = crate::control::OutcomeRequest,
    responses(
        (status = 200, description = "The action", body = crate::control::ActionView),
        crate::openapi::BodyErrors,
        crate::openapi::ActionErrors,
        crate::openapi::AuthErrors,
    ))]
pub(crate) async fn outcome(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let started = Instant::now();
    let wall = SystemTime::now();
    let p = principal(&state, &headers)?;
    require(&p, &[Role::Agent, Role::Admin], "record outcomes")?;
    check_id(&id)?;
    let req: OutcomeRequest = parse_body(body)?;
    let record = state.core(move |c| c.outcome(&p, &id, req)).await?;
    state.shared.metrics.latency("outcome", started.elapsed());
    state
        .shared
        .telemetry
        .checkpoint("outcome", wall, &record, || outcome_extra(&record));
    state.changed();
    Ok(axum::Json(record.view(Some(&state.shared.signer))?).into_response())
}

/// The proof bundle of a certified action (an auditor, an admin, or the
/// agent that guarded it); verify it offline with `writ verify`.
#[utoipa::path(get, path = "/v1/actions/{id}/proof", tag = "actions", security(("bearer" = [])),
    params(("id" = String, Path, description = "The action id")),
    responses(
        (status = 200, description = "The proof bundle (see docs/proof.md)", body = Object),
        crate::openapi::ActionErrors,
        crate::openapi::AuthErrors,
    ))]
pub(crate) async fn proof(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let started = Instant::now();
    let p = principal(&state, &headers)?;
    require(
        &p,
        &[Role::Agent, Role::Auditor, Role::Admin],
        "read proofs",
    )?;
    check_id(&id)?;
    let bundle: Value = state.core(move |c| c.proof(&p, &id)).await?;
    state.shared.metrics.latency("proof", started.elapsed());
    Ok(axum::Json(bundle).into_response())
}

/// The pending approval queue (approvers, auditors, admins).
#[utoipa::path(get, path = "/v1/approvals", tag = "review", security(("bearer" = [])),
    responses((status = 200, description = "Pending actions", body = crate::openapi::PendingList), crate::openapi::AuthErrors))]
pub(crate) async fn pending(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let p = principal(&state, &headers)?;
    require(
        &p,
        &[Role::Approver, Role::Auditor, Role::Admin],
        "read the approval queue",
    )?;
    let records = state.core(|c| c.pending(500)).await?;
    let version = *state.shared.changes.borrow();
    Ok(axum::Json(json!({
        "version": version,
        "pending": records.iter().map(|r| r.view(None)).collect::<Result<Vec<_>, _>>()?,
    }))
    .into_response())
}

/// The log's latest signed checkpoint (C2SP signed note).
#[utoipa::path(get, path = "/v1/log/checkpoint", tag = "log", security(("bearer" = [])),
    responses((status = 200, description = "The signed checkpoint", body = String, content_type = "text/plain"), crate::openapi::AuthErrors))]
pub(crate) async fn checkpoint(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    principal(&state, &headers)?;
    let text = state.core(|c| c.checkpoint()).await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response())
}

/// The log's verifier key, for offline verification.
#[utoipa::path(get, path = "/v1/log/key", tag = "log",
    responses((status = 200, description = "The verifier key (C2SP vkey)", body = String, content_type = "text/plain")))]
pub(crate) async fn log_key(State(state): State<AppState>) -> Result<Response, Problem> {
    let vkey = state.core(|c| Ok(c.vkey())).await?;
    Ok((
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{vkey}\n"),
    )
        .into_response())
}
