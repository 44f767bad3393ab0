//! `writ ingest otel`: observed platforms.
//!
//! A hosted agent platform cannot be stopped before it acts; it can only be
//! watched. Its OpenTelemetry traces (OTLP/HTTP JSON, the GenAI semantic
//! conventions) are read here: every `execute_tool` span becomes an action
//! of the `otel` runtime, decided by the same policy as every other runtime,
//! and closed at once with the span's result, so the control plane issues
//! an `observe_only` certificate for it. A span whose route is not `allow`
//! is a violation: it is reported here, counted in `/metrics`
//! (`writ_violations_total`) and marked in the certificate's decision.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value, json};
use writ_client::{Client, ClientError};

use crate::error::{CliError, parse_json, read_text};

/// One `execute_tool` span, lowered to the `otel` runtime's event.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservedSpan {
    /// The span as `POST /v1/guard` takes it: name, kind, attributes (without the result).
    pub event: Value,
    /// `gen_ai.conversation.id` (or `session.id`), else the trace id.
    pub session: Option<String>,
    /// `gen_ai.tool.call.result`: what the tool produced.
    pub output: Option<String>,
    /// The span's status was an error.
    pub failed: bool,
    pub trace_id: String,
    pub span_id: String,
    pub start: u64,
}

/// What became of one span.
#[derive(Debug, Clone, Serialize)]
pub struct SpanReport {
    pub trace_id: String,
    pub span_id: String,
    pub tool: String,
    pub route: String,
    pub reasons: Vec<String>,
    pub violation: bool,
    pub action_id: Option<String>,
    pub certificate_leaf: Option<u64>,
    /// Set when the span could not be decided or certified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The GenAI attribute carrying a tool call's result.
const RESULT: &str = "gen_ai.tool.call.result";

/// An OTLP `AnyValue` as plain JSON (scalars, arrays, key-value lists).
fn any_value(v: &Value) -> Value {
    let Some(o) = v.as_object() else {
        return Value::Null;
    };
    if let Some(s) = o.get("stringValue") {
        return s.clone();
    }
    if let Some(b) = o.get("boolValue") {
        return b.clone();
    }
    if let Some(i) = o.get("intValue") {
        // OTLP JSON writes 64-bit integers as strings.
        return match i {
            Value::String(s) => s.parse::<i64>().map(Value::from).unwrap_or(i.clone()),
            other => other.clone(),
        };
    }
    if let Some(d) = o.get("doubleValue") {
        return d.clone();
    }
    if let Some(a) = o.get("arrayValue") {
        let values = a.get("values").and_then(Value::as_array);
        return Value::Array(values.into_iter().flatten().map(any_value).collect());
    }
    if let Some(kv) = o.get("kvlistValue") {
        return Value::Object(attributes(kv.get("values")));
    }
    Value::Null
}

/// An OTLP attribute list (`[{"key", "value"}]`) as a JSON object.
fn attributes(list: Option<&Value>) -> Map<String, Value> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|kv| {
            let key = kv.get("key")?.as_str()?;
            Some((key.to_owned(), kv.get("value").map(any_value)?))
        })
        .collect()
}

/// OTLP span kinds, by their enum number or name.
fn kind_name(kind: Option<&Value>) -> &'static str {
    match kind {
        Some(Value::Number(n)) => match n.as_u64() {
            Some(2) => "SERVER",
            Some(3) => "CLIENT",
            Some(4) => "PRODUCER",
            Some(5) => "CONSUMER",
            _ => "INTERNAL",
        },
        Some(Value::String(s)) => match s.trim_start_matches("SPAN_KIND_") {
            "SERVER" => "SERVER",
            "CLIENT" => "CLIENT",
            "PRODUCER" => "PRODUCER",
            "CONSUMER" => "CONSUMER",
            _ => "INTERNAL",
        },
        _ => "INTERNAL",
    }
}

/// True for an error status (`STATUS_CODE_ERROR`, 2).
fn status_failed(status: Option<&Value>) -> bool {
    match status.and_then(|s| s.get("code")) {
        Some(Value::Number(n)) => n.as_u64() == Some(2),
        Some(Value::String(s)) => s == "STATUS_CODE_ERROR" || s == "ERROR",
        _ => false,
    }
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// The `execute_tool` spans of an OTLP/HTTP JSON `ExportTraceServiceRequest`,
/// oldest first (a session's history is built in the order things happened).
/// Other spans (model calls, agent steps) are skipped. A request that is not
/// of that shape is an error naming where.
pub fn execute_tool_spans(request: &Value) -> Result<Vec<ObservedSpan>, String> {
    let resources = request
        .get("resourceSpans")
        .and_then(Value::as_array)
        .ok_or("`resourceSpans` is missing or not an array: expected an OTLP/HTTP JSON ExportTraceServiceRequest")?;
    let mut out = Vec::new();
    for (r, resource) in resources.iter().enumerate() {
        let scopes = match resource.get("scopeSpans") {
            Some(Value::Array(a)) => a.as_slice(),
            None => &[],
            Some(_) => return Err(format!("`resourceSpans[{r}].scopeSpans` is not an array")),
        };
        for (s, scope) in scopes.iter().enumerate() {
            let spans = match scope.get("spans") {
                Some(Value::Array(a)) => a.as_slice(),
                None => &[],
                Some(_) => {
                    return Err(format!(
                        "`resourceSpans[{r}].scopeSpans[{s}].spans` is not an array"
                    ));
                }
            };
            for span in spans {
                let mut attrs = attributes(span.get("attributes"));
                if attrs.get("gen_ai.operation.name").and_then(Value::as_str)
                    != Some("execute_tool")
                {
                    continue;
                }
                let output = match attrs.remove(RESULT) {
                    Some(Value::String(s)) => Some(s),
                    Some(Value::Null) | None => None,
                    Some(other) => Some(other.to_string()),
                };
                let trace_id = text(span, "traceId").to_owned();
                let session = ["gen_ai.conversation.id", "session.id"]
                    .iter()
                    .find_map(|k| attrs.get(*k).and_then(Value::as_str))
                    .map(str::to_owned)
                    .or_else(|| (!trace_id.is_empty()).then(|| trace_id.clone()));
                let start = match span.get("startTimeUnixNano") {
                    Some(Value::String(s)) => s.parse().unwrap_or(0),
                    Some(Value::Number(n)) => n.as_u64().unwrap_or(0),
                    _ => 0,
                };
                out.push(ObservedSpan {
                    event: json!({
                        "name": text(span, "name"),
                        "kind": kind_name(span.get("kind")),
                        "attributes": attrs,
                    }),
                    session,
                    output,
                    failed: status_failed(span.get("status")),
                    span_id: text(span, "spanId").to_owned(),
                    trace_id,
                    start,
                });
            }
        }
    }
    out.sort_by_key(|s| s.start);
    Ok(out)
}

/// Decides and certifies each span through the control plane, in order.
/// A span that cannot be decided is reported with its error (and counted
/// as a violation: what writ cannot judge, it does not call clean).
pub async fn ingest(client: &Client, spans: &[ObservedSpan]) -> Vec<SpanReport> {
    let mut reports = Vec::with_capacity(spans.len());
    for span in spans {
        reports.push(match ingest_one(client, span).await {
            Ok(r) => r,
            Err(e) => SpanReport {
                trace_id: span.trace_id.clone(),
                span_id: span.span_id.clone(),
                tool: span
                    .event
                    .pointer("/attributes/gen_ai.tool.name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                route: "block".to_owned(),
                reasons: Vec::new(),
                violation: true,
                action_id: None,
                certificate_leaf: None,
                error: Some(e.to_string()),
            },
        });
    }
    reports
}

async fn ingest_one(client: &Client, span: &ObservedSpan) -> Result<SpanReport, ClientError> {
    let guarded = client
        .guard("otel", &span.event, span.session.as_deref(), None)
        .await?;
    let action_id = guarded.action_id().map(str::to_owned);
    let mut certificate_leaf = None;
    if let Some(id) = &action_id {
        let closure = if span.failed { "failed" } else { "completed" };
        let result = json!({"trace_id": span.trace_id, "span_id": span.span_id});
        let closed = client
            .outcome(id, closure, result, span.output.as_deref())
            .await?;
        certificate_leaf = closed.get("certificate_leaf").and_then(Value::as_u64);
    }
    Ok(SpanReport {
        trace_id: span.trace_id.clone(),
        span_id: span.span_id.clone(),
        tool: guarded
            .0
            .get("tool")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        route: guarded.route().to_owned(),
        reasons: guarded.reason_codes(),
        violation: guarded.0.get("violation").and_then(Value::as_bool) == Some(true),
        action_id,
        certificate_leaf,
        error: None,
    })
}

/// The summary printed after an ingest: spans, violations by reason.
pub fn summary(reports: &[SpanReport]) -> Value {
    let mut by_reason: BTreeMap<&str, u64> = BTreeMap::new();
    for r in reports.iter().filter(|r| r.violation) {
        for reason in &r.reasons {
            *by_reason.entry(reason).or_default() += 1;
        }
        if r.error.is_some() {
            *by_reason.entry("UNDECIDED").or_default() += 1;
        }
    }
    json!({
        "spans": reports.len(),
        "violations": reports.iter().filter(|r| r.violation).count(),
        "violations_by_reason": by_reason,
        "reports": reports,
    })
}

/// The OTLP/HTTP answer to an export: spans that could not be decided are
/// reported as rejected (`partialSuccess`).
pub fn export_response(reports: &[SpanReport]) -> Value {
    let rejected = reports.iter().filter(|r| r.error.is_some()).count();
    if rejected == 0 {
        return json!({});
    }
    let first = reports
        .iter()
        .find_map(|r| r.error.as_deref())
        .unwrap_or_default();
    json!({"partialSuccess": {"rejectedSpans": rejected.to_string(), "errorMessage": first}})
}

/// Where the spans come from and where they are decided.
#[derive(Debug, Clone)]
pub struct OtelIngest {
    /// An OTLP/HTTP JSON export request (`-` for stdin); `None` with `listen`.
    pub file: Option<PathBuf>,
    /// Serve OTLP/HTTP (`POST /v1/traces`) on this address instead of reading a file.
    pub listen: Option<String>,
    /// A running `writ serve` (token in `WRIT_TOKEN`); else an embedded one on `data_dir`.
    pub server: Option<String>,
    pub data_dir: PathBuf,
    pub deployment: Option<PathBuf>,
}

/// `writ ingest otel`: returns what to print.
pub fn otel_main(args: OtelIngest) -> Result<String, CliError> {
    let request = match (&args.file, &args.listen) {
        (Some(_), Some(_)) => {
            return Err(CliError::Input(
                "give a FILE or --listen ADDR, not both".to_owned(),
            ));
        }
        (None, None) => {
            return Err(CliError::Input(
                "give a FILE (an OTLP/HTTP JSON export, `-` for stdin) or --listen ADDR".to_owned(),
            ));
        }
        (Some(path), None) => {
            let (name, text) = if path.as_os_str() == "-" {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                    .map_err(|e| CliError::Input(format!("cannot read stdin: {e}")))?;
                ("stdin".to_owned(), text)
            } else {
                (path.display().to_string(), read_text(path)?)
            };
            let json = parse_json(&name, &text)?;
            Some(execute_tool_spans(&json).map_err(|e| CliError::Input(format!("`{name}`: {e}")))?)
        }
        (None, Some(_)) => None,
    };
    let listen = match &args.listen {
        Some(l) => Some(
            l.parse::<SocketAddr>()
                .map_err(|e| CliError::Input(format!("--listen `{l}`: {e}")))?,
        ),
        None => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Internal(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async move {
        let client = connect(&args).await?;
        match (request, listen) {
            (Some(spans), _) => {
                let reports = ingest(&client, &spans).await;
                let undecided = reports.iter().filter(|r| r.error.is_some()).count();
                let out = serde_json::to_string_pretty(&summary(&reports))
                    .map_err(|e| CliError::Internal(e.to_string()))?;
                if undecided > 0 {
                    println!("{out}");
                    return Err(CliError::Internal(format!(
                        "{undecided} span(s) could not be decided"
                    )));
                }
                Ok(out + "\n")
            }
            (None, Some(addr)) => serve(client, addr).await.map(|()| String::new()),
            (None, None) => Err(CliError::Input("nothing to ingest".to_owned())),
        }
    })
}

/// A client of `--server`, or of a control plane embedded in this process.
async fn connect(args: &OtelIngest) -> Result<Client, CliError> {
    if let Some(url) = &args.server {
        return Client::from_env(Some(url)).map_err(|e| CliError::Input(e.to_string()));
    }
    std::fs::create_dir_all(&args.data_dir).map_err(|e| {
        CliError::Input(format!("cannot create `{}`: {e}", args.data_dir.display()))
    })?;
    let mut config = writ_server::ServeConfig::new(&args.data_dir);
    config.listen = SocketAddr::from(([127, 0, 0, 1], 0));
    config.deployment = args.deployment.clone();
    let embedded = writ_server::start_embedded(config, "otel-ingest")
        .await
        .map_err(|e| CliError::Input(e.to_string()))?;
    eprintln!(
        "writ ingest: control plane at {} (metrics at {0}/metrics), data in {}",
        embedded.url,
        args.data_dir.display()
    );
    Client::new(&embedded.url, &embedded.token).map_err(|e| CliError::Internal(e.to_string()))
}

/// Serves OTLP/HTTP JSON on `addr` until Ctrl-C.
async fn serve(client: Client, addr: SocketAddr) -> Result<(), CliError> {
    let app = axum::Router::new()
        .route("/v1/traces", axum::routing::post(export))
        .with_state(client)
        .layer(axum::extract::DefaultBodyLimit::max(8 << 20));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| CliError::Input(format!("cannot listen on {addr}: {e}")))?;
    let bound = listener
        .local_addr()
        .map_err(|e| CliError::Internal(e.to_string()))?;
    eprintln!("writ ingest: OTLP/HTTP JSON receiver at http://{bound}/v1/traces");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| CliError::Internal(e.to_string()))
}

fn problem(status: StatusCode, detail: String) -> Response {
    let body = json!({"type": "about:blank", "title": status.canonical_reason(), "status": status.as_u16(), "detail": detail});
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        body.to_string(),
    )
        .into_response()
}

/// `POST /v1/traces`: decides and certifies every `execute_tool` span; logs violations.
async fn export(
    State(client): State<Client>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json_body {
        return problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send OTLP/HTTP with `Content-Type: application/json` (protobuf is not supported)"
                .to_owned(),
        );
    }
    let request: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return problem(StatusCode::BAD_REQUEST, format!("invalid JSON: {e}")),
    };
    let spans = match execute_tool_spans(&request) {
        Ok(s) => s,
        Err(e) => return problem(StatusCode::BAD_REQUEST, e),
    };
    let reports = ingest(&client, &spans).await;
    for r in reports.iter().filter(|r| r.violation) {
        eprintln!(
            "writ ingest: violation: {} (trace {}, span {}) route {} [{}]{}",
            r.tool,
            r.trace_id,
            r.span_id,
            r.route,
            r.reasons.join(", "),
            r.error
                .as_deref()
                .map(|e| format!(": {e}"))
                .unwrap_or_default()
        );
    }
    axum::Json(export_response(&reports)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(key: &str, value: Value) -> Value {
        json!({"key": key, "value": value})
    }

    fn request() -> Value {
        json!({"resourceSpans": [{
            "resource": {"attributes": [kv("service.name", json!({"stringValue": "agent"}))]},
            "scopeSpans": [{"spans": [
                {"traceId": "t1", "spanId": "b", "name": "execute_tool send_email", "kind": 1,
                 "startTimeUnixNano": "200", "status": {"code": 2},
                 "attributes": [
                    kv("gen_ai.operation.name", json!({"stringValue": "execute_tool"})),
                    kv("gen_ai.tool.name", json!({"stringValue": "send_email"})),
                    kv("gen_ai.tool.call.arguments", json!({"stringValue": "{\"to\":\"a@b.c\"}"})),
                    kv("gen_ai.tool.call.result", json!({"stringValue": "sent"})),
                    kv("retries", json!({"intValue": "3"})),
                 ]},
                {"traceId": "t1", "spanId": "m", "name": "chat gpt", "startTimeUnixNano": "50",
                 "attributes": [kv("gen_ai.operation.name", json!({"stringValue": "chat"}))]},
                {"traceId": "t1", "spanId": "a", "name": "execute_tool read", "kind": "SPAN_KIND_CLIENT",
                 "startTimeUnixNano": "100",
                 "attributes": [
                    kv("gen_ai.operation.name", json!({"stringValue": "execute_tool"})),
                    kv("gen_ai.tool.name", json!({"stringValue": "read"})),
                    kv("gen_ai.conversation.id", json!({"stringValue": "conv-7"})),
                 ]},
            ]}],
        }]})
    }

    #[test]
    fn keeps_execute_tool_spans_oldest_first() {
        let spans = execute_tool_spans(&request()).unwrap();
        assert_eq!(
            spans.iter().map(|s| s.span_id.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(spans[0].event["kind"], "CLIENT");
        assert_eq!(spans[0].session.as_deref(), Some("conv-7"));
        assert_eq!(spans[1].session.as_deref(), Some("t1"));
    }

    #[test]
    fn lifts_the_result_out_of_the_event() {
        let spans = execute_tool_spans(&request()).unwrap();
        let send = &spans[1];
        assert_eq!(send.output.as_deref(), Some("sent"));
        assert!(send.failed);
        assert!(send.event["attributes"].get(RESULT).is_none());
        assert_eq!(send.event["attributes"]["retries"], 3);
        assert_eq!(send.event["kind"], "INTERNAL");
        // The event is one the otel normaliser takes, as a pre-call event.
        let envelope = writ_core::normalize(writ_core::Runtime::Otel, &send.event).unwrap();
        assert_eq!(envelope.tool, "send_email");
        assert_eq!(envelope.phase, writ_core::envelope::Phase::Pre);
    }

    #[test]
    fn names_what_is_wrong() {
        assert!(
            execute_tool_spans(&json!({"spans": []}))
                .unwrap_err()
                .contains("resourceSpans")
        );
        assert!(
            execute_tool_spans(&json!({"resourceSpans": [{"scopeSpans": 3}]}))
                .unwrap_err()
                .contains("resourceSpans[0].scopeSpans")
        );
    }

    #[test]
    fn export_response_reports_rejected_spans() {
        let ok = SpanReport {
            trace_id: "t".into(),
            span_id: "s".into(),
            tool: "x".into(),
            route: "allow".into(),
            reasons: vec![],
            violation: false,
            action_id: Some("act_1".into()),
            certificate_leaf: Some(3),
            error: None,
        };
        assert_eq!(export_response(std::slice::from_ref(&ok)), json!({}));
        let bad = SpanReport {
            error: Some("down".into()),
            ..ok.clone()
        };
        assert_eq!(
            export_response(&[ok, bad])["partialSuccess"]["rejectedSpans"],
            "1"
        );
    }
}
