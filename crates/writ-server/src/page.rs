//! The approvals page: server-rendered HTML, no build step. A reviewer
//! pastes an approver token once; it is kept in an `HttpOnly`,
//! `SameSite=Strict` cookie that only the page's routes read (the API
//! takes bearer tokens only). A few lines of inline JavaScript refresh the
//! queue when it changes, keeping any comment being typed.

use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::Value;

use crate::AppState;
use crate::api::{authenticate, review_as};
use crate::control::{Record, ReviewRequest, Verdict};
use crate::error::Problem;
use crate::tokens::{Principal, Role};

const COOKIE: &str = "writ_token";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/",
            get(|| async { axum::response::Redirect::to("/approvals") }),
        )
        .route("/approvals", get(page))
        .route("/approvals/queue", get(queue))
        .route("/approvals/login", post(login))
        .route("/approvals/logout", post(logout))
        .route("/approvals/{id}", post(decide))
}

/// Escapes text for HTML.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

fn reviewer(state: &AppState, headers: &HeaderMap) -> Option<Principal> {
    let token = cookie_token(headers)?;
    let p = authenticate(state, &token).ok()?;
    matches!(p.role, Role::Approver | Role::Auditor | Role::Admin).then_some(p)
}

const STYLE: &str = "body{font:15px/1.45 system-ui,sans-serif;margin:0;background:#f5f5f4;color:#1c1917}
header{background:#1c1917;color:#fafaf9;padding:.8em 1.5em;display:flex;justify-content:space-between;align-items:center}
header h1{font-size:1.1em;margin:0}main{max-width:60em;margin:1.5em auto;padding:0 1em}
.card{background:#fff;border:1px solid #d6d3d1;border-radius:8px;padding:1em 1.3em;margin:0 0 1.2em}
.card:target{outline:3px solid #f59e0b;outline-offset:2px}
.card h2{font-size:1.05em;margin:.2em 0 .6em}pre{background:#f5f5f4;padding:.6em;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
table{border-collapse:collapse;margin:.3em 0}td,th{border:1px solid #e7e5e4;padding:.2em .5em;text-align:left;vertical-align:top;font-size:.92em}
.route{font-weight:600;padding:.05em .4em;border-radius:4px;background:#fde68a}.block,.deny{background:#fecaca}.allow,.grant{background:#bbf7d0}
.muted{color:#78716c;font-size:.9em}textarea{width:100%;min-height:3em;box-sizing:border-box}
button{font-size:1em;padding:.35em 1.2em;margin:.4em .6em 0 0;border-radius:6px;border:1px solid #a8a29e;cursor:pointer}
button.approve{background:#16a34a;color:#fff;border-color:#15803d}button.deny{background:#dc2626;color:#fff;border-color:#b91c1c}
.flash{padding:.6em 1em;border-radius:6px;background:#dcfce7;margin-bottom:1em}.error{background:#fee2e2}";

fn shell(title: &str, who: Option<&Principal>, body: &str) -> String {
    let who = match who {
        Some(p) => format!(
            "<span>{} ({}{}) <form method=post action=/approvals/logout style=display:inline><button>Sign out</button></form></span>",
            esc(&p.name),
            p.role.as_str(),
            if p.jurisdictions.is_empty() {
                String::new()
            } else {
                format!(": {}", esc(&p.jurisdictions.join(", ")))
            }
        ),
        None => String::new(),
    };
    format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><meta name=viewport content='width=device-width,initial-scale=1'><title>{}</title><style>{STYLE}</style></head><body><header><h1>writ · {}</h1>{who}</header><main>{body}</main></body></html>",
        esc(title),
        esc(title)
    )
}

fn login_page(error: Option<&str>) -> String {
    let error = error
        .map(|e| format!("<div class='flash error'>{}</div>", esc(e)))
        .unwrap_or_default();
    shell(
        "Approvals",
        None,
        &format!(
            "{error}<div class=card><h2>Sign in</h2><p>Paste an approver, auditor or admin token (from <code>writ tokens create</code>). It is kept in a cookie for this page only.</p><form method=post action=/approvals/login><input name=token type=password autocomplete=off style='width:100%' placeholder='writ_…'><button class=approve id=signin>Sign in</button></form></div>"
        ),
    )
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for key in path {
        cur = cur.get(key)?;
    }
    cur.as_str()
}

/// What the agent wants to do, in plain words (HTML).
pub fn plain_words(record: &Record) -> String {
    crate::words::what(
        &record.input.envelope.tool,
        &record.input.envelope.arguments,
    )
    .sentence(&esc(&record.principal), |s| {
        format!("<code>{}</code>", esc(s))
    })
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn facts_html(decision: &Value) -> String {
    let facts = decision.get("facts").cloned().unwrap_or(Value::Null);
    let mut out = String::new();
    if let Some(egress) = facts.get("egress").and_then(Value::as_array)
        && !egress.is_empty()
    {
        out.push_str("<table><tr><th>channel</th><th>destination</th><th>ownership</th><th>sensitivity</th><th>evidence</th></tr>");
        for e in egress {
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&value_text(e.get("channel").unwrap_or(&Value::Null))),
                esc(&value_text(e.get("target").unwrap_or(&Value::Null))),
                esc(&value_text(e.get("ownership").unwrap_or(&Value::Null))),
                esc(&value_text(e.get("sensitivity").unwrap_or(&Value::Null))),
                esc(&value_text(e.get("evidence").unwrap_or(&Value::Null))),
            ));
        }
        out.push_str("</table>");
    }
    let mut rows = String::new();
    if let Some(obj) = facts.as_object() {
        for (key, v) in obj {
            let shown = match v {
                Value::Bool(true) => "yes".to_owned(),
                Value::Array(a) if !a.is_empty() && key != "egress" && key != "effects" => {
                    value_text(v)
                }
                Value::Number(n) => n.to_string(),
                _ => continue,
            };
            rows.push_str(&format!(
                "<tr><th>{}</th><td>{}</td></tr>",
                esc(&key.replace('_', " ")),
                esc(&shown)
            ));
        }
    }
    if let Some(ext) = facts.get("externality").and_then(Value::as_object) {
        for (key, v) in ext {
            let shown = value_text(v);
            if shown.is_empty() || shown == "null" || shown == "none" || shown == "false" {
                continue;
            }
            rows.push_str(&format!(
                "<tr><th>{}</th><td>{}</td></tr>",
                esc(&key.replace('_', " ")),
                esc(&shown)
            ));
        }
    }
    if !rows.is_empty() {
        out.push_str(&format!("<table>{rows}</table>"));
    }
    if out.is_empty() {
        "<p class=muted>No notable facts.</p>".to_owned()
    } else {
        out
    }
}

fn reasons_html(decision: &Value) -> String {
    let Some(rules) = decision.get("rules").and_then(Value::as_array) else {
        return String::new();
    };
    let items: String = rules
        .iter()
        .map(|r| {
            let route = str_at(r, &["route"]).unwrap_or_default();
            format!(
                "<li><code>{}</code> <span class='route {}'>{}</span>{} — {}</li>",
                esc(str_at(r, &["reason"]).unwrap_or_default()),
                esc(route),
                esc(route),
                str_at(r, &["jurisdiction"])
                    .map(|j| format!(" in <b>{}</b>", esc(j)))
                    .unwrap_or_default(),
                esc(str_at(r, &["description"]).unwrap_or_default()),
            )
        })
        .collect();
    format!("<ul>{items}</ul>")
}

fn card(record: &Record, history: &[Record], viewer: &Principal) -> String {
    let args = &record.input.envelope.arguments;
    let shown = match args.get("command").and_then(Value::as_str) {
        Some(c) => c.to_owned(),
        None => serde_json::to_string_pretty(args).unwrap_or_default(),
    };
    let recent: String = history
        .iter()
        .filter(|r| r.id != record.id)
        .map(|r| {
            let route = r.route().as_str();
            format!(
                "<tr><td class=muted>{}</td><td><code>{}</code></td><td><span class='route {route}'>{route}</span></td><td>{}</td></tr>",
                esc(r.created_at.get(..19).unwrap_or(&r.created_at)),
                esc(&r.input.envelope.tool),
                esc(r.status.as_str())
            )
        })
        .collect();
    let recent = if recent.is_empty() {
        "<p class=muted>No earlier actions in this session.</p>".to_owned()
    } else {
        format!("<table>{recent}</table>")
    };
    let mine: Vec<&String> = record
        .required
        .iter()
        .filter(|j| viewer.jurisdictions.contains(j))
        .collect();
    let actions = if !viewer.role.approves() {
        "<p class=muted>Read only (auditor).</p>".to_owned()
    } else if viewer.name.eq_ignore_ascii_case(&record.principal) {
        "<p class=muted>This is your own action: someone else must review it.</p>".to_owned()
    } else if mine.is_empty() {
        format!(
            "<p class=muted>Needs {}; you approve in {}.</p>",
            esc(&record.required.join(", ")),
            esc(&viewer.jurisdictions.join(", "))
        )
    } else {
        let id = esc(&record.id);
        format!(
            "<form method=post action='/approvals/{id}'><label>Comment<textarea name=comment id='comment-{id}' data-keep='{id}'></textarea></label><button class=approve name=decision value=grant id='approve-{id}'>Approve</button><button class=deny name=decision value=deny id='deny-{id}'>Deny</button></form>"
        )
    };
    format!(
        "<div class=card id='action-{id}'><h2>{words}</h2><p class=muted>{id} · {tool} via {runtime} · session {session} · {at} · needs <b>{needs}</b></p><h3>Command or arguments</h3><pre>{shown}</pre><h3>Why it needs a review</h3>{reasons}<h3>Facts</h3>{facts}<h3>Session's recent actions</h3>{recent}{actions}</div>",
        id = esc(&record.id),
        words = plain_words(record),
        tool = esc(&record.input.envelope.tool),
        runtime = esc(record.input.envelope.runtime.as_str()),
        session = esc(record.session.as_deref().unwrap_or("none")),
        at = esc(&record.created_at),
        needs = esc(&record.required.join(", ")),
        shown = esc(&shown),
        reasons = reasons_html(&record.decision),
        facts = facts_html(&record.decision),
    )
}

async fn queue_html(state: &AppState, viewer: &Principal) -> Result<String, Problem> {
    let version = *state.shared.changes.borrow();
    let cards = state
        .core(|c| {
            let pending = c.pending(100)?;
            let mut out = Vec::with_capacity(pending.len());
            for record in pending {
                let history = match &record.session {
                    Some(s) => c.session_actions(s, 9)?,
                    None => Vec::new(),
                };
                out.push((record, history));
            }
            Ok(out)
        })
        .await?;
    let body: String = if cards.is_empty() {
        "<div class=card id=empty><p>Nothing is waiting for approval.</p></div>".to_owned()
    } else {
        cards.iter().map(|(r, h)| card(r, h, viewer)).collect()
    };
    Ok(format!(
        "<div id=queue data-version='{version}' data-count='{}'>{body}</div>",
        cards.len()
    ))
}

const SCRIPT: &str = "<script>
(function(){
  async function refresh(){
    try{
      const q=document.getElementById('queue');
      const r=await fetch('/approvals/queue',{credentials:'same-origin'});
      if(!r.ok)return;
      const html=await r.text();
      const box=document.createElement('div');box.innerHTML=html;
      const next=box.firstElementChild;
      if(!next||next.dataset.version===q.dataset.version)return;
      const kept={};
      document.querySelectorAll('textarea[data-keep]').forEach(t=>{kept[t.dataset.keep]=t.value;});
      q.replaceWith(next);
      document.querySelectorAll('textarea[data-keep]').forEach(t=>{if(kept[t.dataset.keep])t.value=kept[t.dataset.keep];});
    }catch(e){}
  }
  setInterval(refresh,2000);
})();
</script>";

#[derive(Debug, Deserialize)]
pub(crate) struct PageQuery {
    #[serde(default)]
    msg: Option<String>,
}

/// The approvals page: the sign-in form, or the queue with approve and deny buttons.
#[utoipa::path(get, path = "/approvals", tag = "page",
    params(("msg" = Option<String>, Query, description = "A message to show once")),
    responses((status = 200, description = "HTML", body = String, content_type = "text/html")))]
pub(crate) async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Query<PageQuery>,
) -> Response {
    let Some(viewer) = reviewer(&state, &headers) else {
        return Html(login_page(None)).into_response();
    };
    let flash = query
        .msg
        .as_deref()
        .map(|m| format!("<div class=flash id=flash>{}</div>", esc(m)))
        .unwrap_or_default();
    match queue_html(&state, &viewer).await {
        Ok(queue) => Html(shell(
            "Approvals",
            Some(&viewer),
            &format!("{flash}{queue}{SCRIPT}"),
        ))
        .into_response(),
        Err(p) => error_page(&viewer, &p),
    }
}

fn error_page(viewer: &Principal, p: &Problem) -> Response {
    (
        p.status,
        Html(shell(
            "Approvals",
            Some(viewer),
            &format!(
                "<div class='flash error' id=flash>{}</div><p><a href=/approvals>Back to the queue</a></p>",
                esc(&p.detail)
            ),
        )),
    )
        .into_response()
}

/// The queue fragment the page refreshes itself with (the sign-in cookie).
#[utoipa::path(get, path = "/approvals/queue", tag = "page",
    responses(
        (status = 200, description = "HTML fragment", body = String, content_type = "text/html"),
        (status = 401, description = "Not signed in", body = crate::error::ProblemDocument, content_type = "application/problem+json"),
    ))]
pub(crate) async fn queue(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(viewer) = reviewer(&state, &headers) else {
        return Problem::unauthorized("sign in on /approvals").into_response();
    };
    match queue_html(&state, &viewer).await {
        Ok(html) => Html(html).into_response(),
        Err(p) => p.into_response(),
    }
}

/// The sign-in form.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub(crate) struct LoginForm {
    /// An approver's, auditor's or admin's token.
    token: String,
}

/// Signs in with a token; it is kept in an `HttpOnly`, `SameSite=Strict` cookie for `/approvals`.
#[utoipa::path(post, path = "/approvals/login", tag = "page",
    request_body(content = LoginForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Signed in: back to `/approvals` with the cookie"),
        (status = 400, description = "No token in the form", body = String, content_type = "text/html"),
        (status = 401, description = "Unknown, revoked or an agent's token", body = String, content_type = "text/html"),
    ))]
pub(crate) async fn login(
    State(state): State<AppState>,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return (
            StatusCode::BAD_REQUEST,
            Html(login_page(Some("paste a token"))),
        )
            .into_response();
    };
    let token = form.token.trim().to_owned();
    let ok = !token.is_empty()
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && authenticate(&state, &token)
            .is_ok_and(|p| matches!(p.role, Role::Approver | Role::Auditor | Role::Admin));
    if !ok {
        return (
            StatusCode::UNAUTHORIZED,
            Html(login_page(Some(
                "that token is unknown, revoked, or not an approver's, auditor's or admin's",
            ))),
        )
            .into_response();
    }
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/approvals".to_owned()),
            (
                header::SET_COOKIE,
                format!("{COOKIE}={token}; Path=/approvals; HttpOnly; SameSite=Strict"),
            ),
        ],
    )
        .into_response()
}

/// Signs out (clears the cookie).
#[utoipa::path(post, path = "/approvals/logout", tag = "page",
    responses((status = 303, description = "Signed out: back to `/approvals`")))]
pub(crate) async fn logout() -> Response {
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/approvals".to_owned()),
            (
                header::SET_COOKIE,
                format!("{COOKIE}=; Path=/approvals; HttpOnly; SameSite=Strict; Max-Age=0"),
            ),
        ],
    )
        .into_response()
}

/// The approve or deny form of one action.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub(crate) struct DecideForm {
    /// `grant` or `deny`.
    decision: String,
    #[serde(default)]
    comment: String,
}

/// Approves or denies an action from the page (the sign-in cookie), as `POST /v1/actions/{id}/approvals`.
#[utoipa::path(post, path = "/approvals/{id}", tag = "page",
    params(("id" = String, Path, description = "The action id")),
    request_body(content = DecideForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Reviewed: back to `/approvals` with a message"),
        (status = 400, description = "An incomplete form or unknown decision", body = String, content_type = "text/html"),
        (status = 401, description = "Not signed in", body = String, content_type = "text/html"),
        (status = 403, description = "Not allowed to review this action", body = String, content_type = "text/html"),
        (status = 404, description = "No such action", body = String, content_type = "text/html"),
        (status = 409, description = "Already decided", body = String, content_type = "text/html"),
    ))]
pub(crate) async fn decide(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    form: Result<Form<DecideForm>, FormRejection>,
) -> Response {
    let Some(viewer) = reviewer(&state, &headers) else {
        return (
            StatusCode::UNAUTHORIZED,
            Html(login_page(Some("sign in first"))),
        )
            .into_response();
    };
    let Ok(Form(form)) = form else {
        return error_page(&viewer, &Problem::bad_request("the form is incomplete"));
    };
    let decision = match form.decision.as_str() {
        "grant" => Verdict::Grant,
        "deny" => Verdict::Deny,
        other => {
            return error_page(
                &viewer,
                &Problem::bad_request(format!("unknown decision `{other}`")),
            );
        }
    };
    let req = ReviewRequest {
        decision,
        comment: form.comment,
    };
    match review_as(&state, viewer.clone(), id.clone(), req).await {
        Ok(_) => {
            let verb = if decision == Verdict::Grant {
                "Approved"
            } else {
                "Denied"
            };
            let msg = format!("{verb} {id}");
            let location = format!("/approvals?msg={}", msg.replace(' ', "+"));
            (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
        }
        Err(p) => error_page(&viewer, &p),
    }
}
