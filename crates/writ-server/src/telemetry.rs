//! OpenTelemetry spans for the checkpoints, exported over OTLP/HTTP.
//!
//! Every checkpoint the API handles (guard, open, assumption, approval,
//! outcome) becomes one span named as the GenAI conventions name a tool
//! execution, `execute_tool {tool}`, with `gen_ai.*` attributes for the
//! tool and call and `writ.*` attributes for the decision. The guard span
//! is the parent of the action's later checkpoints, so one action is one
//! trace; a W3C `traceparent` header on `POST /v1/guard` puts that trace
//! under the agent's own. The guard span's `traceparent` is kept with the
//! action, so spans of later requests (even after a restart) join it.
//!
//! Off unless configured; then nothing is built and every call is a no-op.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use opentelemetry::propagation::TextMapPropagator;
use opentelemetry::trace::{
    Span as _, SpanBuilder, SpanKind, Status, TraceContextExt, Tracer as _, TracerProvider as _,
};
use opentelemetry::{Array, Context, KeyValue, StringValue, Value};
use opentelemetry_otlp::{Protocol, WithExportConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{
    BatchConfigBuilder, BatchSpanProcessor, SdkTracer, SdkTracerProvider,
};

use crate::control::Record;

/// The OTLP/HTTP wire format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OtlpProtocol {
    /// `http/protobuf`, the OTLP default.
    #[default]
    Protobuf,
    /// `http/json`.
    Json,
}

impl OtlpProtocol {
    /// Parses the names `OTEL_EXPORTER_OTLP_PROTOCOL` uses.
    pub fn parse(name: &str) -> Option<OtlpProtocol> {
        match name {
            "http/protobuf" => Some(OtlpProtocol::Protobuf),
            "http/json" => Some(OtlpProtocol::Json),
            _ => None,
        }
    }
}

/// Where spans go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OtlpConfig {
    /// Base URL of the collector (`http://localhost:4318`); spans go to
    /// `{endpoint}/v1/traces`. `None`: the `OTEL_EXPORTER_OTLP_*` variables.
    pub endpoint: Option<String>,
    pub protocol: OtlpProtocol,
    /// How long finished spans wait before a batch is sent (default 5 s).
    pub batch_delay: Option<Duration>,
}

impl OtlpConfig {
    /// The configuration the standard environment variables ask for, if
    /// any: `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`
    /// set (and `OTEL_SDK_DISABLED` not `true`).
    pub fn from_env() -> Result<Option<OtlpConfig>, String> {
        let set = |name: &str| std::env::var(name).is_ok_and(|v| !v.trim().is_empty());
        if std::env::var("OTEL_SDK_DISABLED").is_ok_and(|v| v.eq_ignore_ascii_case("true"))
            || !(set("OTEL_EXPORTER_OTLP_ENDPOINT") || set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
        {
            return Ok(None);
        }
        let protocol = match std::env::var("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
            .or_else(|_| std::env::var("OTEL_EXPORTER_OTLP_PROTOCOL"))
        {
            Ok(name) => OtlpProtocol::parse(&name).ok_or_else(|| {
                format!(
                    "OTEL_EXPORTER_OTLP_PROTOCOL `{name}` is not supported; one of: http/protobuf, http/json"
                )
            })?,
            Err(_) => OtlpProtocol::Protobuf,
        };
        Ok(Some(OtlpConfig {
            endpoint: None,
            protocol,
            batch_delay: None,
        }))
    }

    /// The traces URL for a base endpoint, checked.
    pub(crate) fn traces_url(base: &str) -> Result<String, String> {
        let base = base.trim_end_matches('/');
        let rest = base
            .strip_prefix("http://")
            .or_else(|| base.strip_prefix("https://"))
            .ok_or_else(|| {
                format!("--otlp-endpoint `{base}` must be an http:// or https:// URL")
            })?;
        if rest.is_empty() || rest.starts_with('/') {
            return Err(format!("--otlp-endpoint `{base}` has no host"));
        }
        Ok(format!("{base}/v1/traces"))
    }
}

struct Exporting {
    provider: SdkTracerProvider,
    tracer: SdkTracer,
}

/// The server's span source: off, or exporting over OTLP.
#[derive(Default)]
pub struct Telemetry {
    exporting: Option<Exporting>,
}

/// One checkpoint's span, started and waiting for what happened.
pub struct CheckpointSpan {
    span: opentelemetry_sdk::trace::Span,
}

/// What a checkpoint adds beyond the action: e.g. the approval's decision.
pub type Extra = Vec<KeyValue>;

fn propagator() -> TraceContextPropagator {
    TraceContextPropagator::new()
}

/// The context a W3C `traceparent` names (empty when absent or malformed).
fn parent_context(traceparent: Option<&str>) -> Context {
    match traceparent {
        Some(tp) => {
            let carrier = HashMap::from([("traceparent".to_owned(), tp.to_owned())]);
            propagator().extract(&carrier)
        }
        None => Context::new(),
    }
}

impl Telemetry {
    /// Exports to `config`'s collector. The exporter's HTTP client lives
    /// on the batch processor's own thread, so this may run anywhere.
    pub fn start(config: &OtlpConfig) -> Result<Telemetry, String> {
        let protocol = match config.protocol {
            OtlpProtocol::Protobuf => Protocol::HttpBinary,
            OtlpProtocol::Json => Protocol::HttpJson,
        };
        let mut builder = opentelemetry_otlp::SpanExporter::builder()
            .with_http()
            .with_protocol(protocol);
        if let Some(base) = &config.endpoint {
            builder = builder.with_endpoint(OtlpConfig::traces_url(base)?);
        }
        let exporter = builder
            .build()
            .map_err(|e| format!("cannot build the OTLP exporter: {e}"))?;
        let mut batch = BatchConfigBuilder::default();
        if let Some(delay) = config.batch_delay {
            batch = batch.with_scheduled_delay(delay);
        }
        let processor = BatchSpanProcessor::builder(exporter)
            .with_batch_config(batch.build())
            .build();
        let provider = SdkTracerProvider::builder()
            .with_span_processor(processor)
            .with_resource(
                Resource::builder()
                    .with_service_name("writ")
                    .with_attribute(KeyValue::new("service.version", env!("CARGO_PKG_VERSION")))
                    .build(),
            )
            .build();
        let tracer = provider.tracer("writ");
        Ok(Telemetry {
            exporting: Some(Exporting { provider, tracer }),
        })
    }

    pub fn enabled(&self) -> bool {
        self.exporting.is_some()
    }

    /// Starts a checkpoint's span at `started` under `parent` (a W3C
    /// `traceparent`); `None` when telemetry is off.
    pub fn begin(&self, started: SystemTime, parent: Option<&str>) -> Option<CheckpointSpan> {
        let exporting = self.exporting.as_ref()?;
        let builder = SpanBuilder::from_name("execute_tool")
            .with_kind(SpanKind::Internal)
            .with_start_time(started)
            .with_attributes([KeyValue::new("gen_ai.operation.name", "execute_tool")]);
        let span = exporting
            .tracer
            .build_with_context(builder, &parent_context(parent));
        Some(CheckpointSpan { span })
    }

    /// The span of a checkpoint that has happened: from `started` to now,
    /// in the action's trace. `extra` runs only when telemetry is on.
    pub fn checkpoint(
        &self,
        checkpoint: &'static str,
        started: SystemTime,
        record: &Record,
        extra: impl FnOnce() -> Extra,
    ) {
        if let Some(span) = self.begin(started, record.trace.as_deref()) {
            span.finish(checkpoint, record, extra(), None);
        }
    }

    /// Sends what is buffered and stops exporting. Blocks: call it off the
    /// async workers.
    pub fn shutdown(&self) {
        if let Some(exporting) = &self.exporting
            && let Err(e) = exporting.provider.shutdown()
        {
            eprintln!("writ serve: OTLP export did not finish: {e}");
        }
    }
}

impl CheckpointSpan {
    /// This span as a W3C `traceparent`, for the action's later checkpoints.
    pub fn traceparent(&self) -> Option<String> {
        let cx = Context::new().with_remote_span_context(self.span.span_context().clone());
        let mut carrier = HashMap::new();
        propagator().inject_context(&cx, &mut carrier);
        carrier.remove("traceparent")
    }

    /// Ends the span (now, or at `at`) with the action's facts as they are.
    pub fn finish(
        mut self,
        checkpoint: &'static str,
        record: &Record,
        extra: Extra,
        at: Option<SystemTime>,
    ) {
        self.span
            .update_name(format!("execute_tool {}", record.input.envelope.tool));
        self.span
            .set_attribute(KeyValue::new("writ.checkpoint", checkpoint));
        for kv in attributes(record).into_iter().chain(extra) {
            self.span.set_attribute(kv);
        }
        match at {
            Some(at) => self.span.end_with_timestamp(at),
            None => self.span.end(),
        }
    }

    /// Ends the span of a guard that opened no action (a post event, an
    /// observation without a session) with its decision.
    pub fn finish_decision(
        mut self,
        checkpoint: &'static str,
        decision: &writ_core::Decision,
        at: SystemTime,
    ) {
        self.span
            .update_name(format!("execute_tool {}", decision.tool));
        let reasons = strings(decision.reasons.clone());
        for kv in [
            KeyValue::new("writ.checkpoint", checkpoint),
            KeyValue::new("gen_ai.tool.name", decision.tool.clone()),
            KeyValue::new("writ.route", decision.route.as_str()),
            KeyValue::new("writ.reasons", reasons),
            KeyValue::new("writ.runtime", decision.runtime.as_str()),
            KeyValue::new("writ.policy.digest", decision.policy_digest.clone()),
        ] {
            self.span.set_attribute(kv);
        }
        self.span.end_with_timestamp(at);
    }

    /// Ends the span of a checkpoint that failed, with the problem's code.
    pub fn fail(mut self, checkpoint: &'static str, code: &str, detail: &str) {
        self.span
            .set_attribute(KeyValue::new("writ.checkpoint", checkpoint));
        self.span
            .set_attribute(KeyValue::new("error.type", code.to_owned()));
        self.span
            .set_status(Status::error(format!("{checkpoint} failed: {detail}")));
        self.span.end();
    }
}

fn strings(values: Vec<String>) -> Value {
    Value::Array(Array::String(
        values.into_iter().map(StringValue::from).collect(),
    ))
}

/// The GenAI and `writ.*` attributes of an action.
fn attributes(record: &Record) -> Vec<KeyValue> {
    let envelope = &record.input.envelope;
    let decision = &record.decision;
    let text = |key: &str| decision.get(key).and_then(serde_json::Value::as_str);
    let reasons: Vec<String> = decision
        .get("reasons")
        .and_then(serde_json::Value::as_array)
        .map(|rs| {
            rs.iter()
                .filter_map(|r| r.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let mut out = vec![
        KeyValue::new("gen_ai.tool.name", envelope.tool.clone()),
        KeyValue::new("gen_ai.tool.type", "function"),
        KeyValue::new("writ.action.id", record.id.clone()),
        KeyValue::new("writ.route", record.route().as_str()),
        KeyValue::new("writ.enforced_route", record.enforced_route()),
        KeyValue::new("writ.reasons", strings(reasons)),
        KeyValue::new("writ.status", record.status.as_str()),
        KeyValue::new("writ.mode", record.mode.as_str()),
        KeyValue::new("writ.runtime", envelope.runtime.as_str()),
        KeyValue::new("writ.principal", record.principal.clone()),
    ];
    if let Some(call) = &envelope.call_id {
        out.push(KeyValue::new("gen_ai.tool.call.id", call.clone()));
    }
    if let Some(session) = &record.session {
        out.push(KeyValue::new("gen_ai.conversation.id", session.clone()));
    }
    if let Some(e) = text("enforceability") {
        out.push(KeyValue::new("writ.enforceability", e.to_owned()));
    }
    if let Some(p) = text("policy_digest") {
        out.push(KeyValue::new("writ.policy.digest", p.to_owned()));
    }
    if decision
        .get("violation")
        .and_then(serde_json::Value::as_bool)
        == Some(true)
    {
        out.push(KeyValue::new("writ.violation", true));
    }
    if let Some(digest) = &record.certificate_digest {
        out.push(KeyValue::new("writ.certificate.digest", digest.clone()));
    }
    if let Some(leaf) = record.certificate_leaf {
        out.push(KeyValue::new(
            "writ.certificate.leaf",
            i64::try_from(leaf).unwrap_or(i64::MAX),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn endpoints_are_checked() {
        assert_eq!(
            OtlpConfig::traces_url("http://localhost:4318/").unwrap(),
            "http://localhost:4318/v1/traces"
        );
        assert!(OtlpConfig::traces_url("localhost:4318").is_err());
        assert!(OtlpConfig::traces_url("http://").is_err());
        assert_eq!(OtlpProtocol::parse("http/json"), Some(OtlpProtocol::Json));
        assert_eq!(OtlpProtocol::parse("grpc"), None);
    }

    #[test]
    fn off_telemetry_makes_no_spans() {
        let t = Telemetry::default();
        assert!(!t.enabled());
        assert!(t.begin(SystemTime::now(), None).is_none());
    }

    #[test]
    fn a_traceparent_round_trips_into_the_child_context() {
        let tp = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        let cx = parent_context(Some(tp));
        let sc = cx.span().span_context().clone();
        assert!(sc.is_valid());
        assert_eq!(
            sc.trace_id().to_string(),
            "0af7651916cd43dd8448eb211c80319c"
        );
        assert!(
            !parent_context(Some("garbage"))
                .span()
                .span_context()
                .is_valid()
        );
    }
}
