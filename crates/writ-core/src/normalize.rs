//! Lowering native events into the [`Envelope`].
//!
//! Each runtime has one function; [`detect`] guesses the runtime from the
//! shape of the JSON when the caller does not say.

use serde_json::{Map, Value};

use crate::envelope::{Annotations, Envelope, Phase, Runtime};

/// A native event that cannot be lowered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NormalizeError {
    /// A field is missing or has the wrong shape.
    #[error("invalid {runtime} event at `{path}`: {message}")]
    Field {
        runtime: &'static str,
        path: String,
        message: String,
    },
    /// The shape matches no known runtime.
    #[error("cannot tell the runtime of this event: {0}; pass --runtime")]
    UnknownRuntime(String),
}

/// Lowers `event` in the format of `runtime`.
pub fn normalize(runtime: Runtime, event: &Value) -> Result<Envelope, NormalizeError> {
    let mut envelope = match runtime {
        Runtime::ClaudeCode | Runtime::Codex => hook(runtime, event),
        Runtime::Mcp => mcp(event),
        Runtime::OpenaiAgents => openai(event),
        Runtime::Http => http(event),
        Runtime::Otel => otel(event),
        Runtime::Envelope => envelope(event),
    }?;
    // Arguments in canonical key order: what is derived from them (payload
    // text, unmapped values) must not depend on how a runtime ordered its
    // JSON, or a proof's replay from the canonical record would differ.
    envelope.arguments.sort_all_objects();
    Ok(envelope)
}

/// Guesses the runtime of `event` from its shape.
pub fn detect(event: &Value) -> Result<Runtime, NormalizeError> {
    let Some(o) = event.as_object() else {
        return Err(NormalizeError::UnknownRuntime(
            "the event is not a JSON object".to_owned(),
        ));
    };
    let has = |k: &str| o.contains_key(k);
    if has("hook_event_name") {
        // Codex hook input carries `turn_id`/`model`; Claude Code's carries `transcript_path` and no `turn_id`.
        return Ok(if has("turn_id") {
            Runtime::Codex
        } else {
            Runtime::ClaudeCode
        });
    }
    if has("request") && (has("server") || has("tool")) {
        return Ok(Runtime::Mcp);
    }
    if o.get("type").and_then(Value::as_str) == Some("function_call") {
        return Ok(Runtime::OpenaiAgents);
    }
    if has("attributes") && has("name") {
        return Ok(Runtime::Otel);
    }
    if has("method") && has("url") {
        return Ok(Runtime::Http);
    }
    if has("runtime") && has("tool") && has("arguments") {
        return Ok(Runtime::Envelope);
    }
    Err(NormalizeError::UnknownRuntime(
        "no known runtime has this shape".to_owned(),
    ))
}

struct Fields<'a> {
    runtime: &'static str,
    object: &'a Map<String, Value>,
}

impl<'a> Fields<'a> {
    fn of(runtime: Runtime, event: &'a Value) -> Result<Fields<'a>, NormalizeError> {
        let object = event.as_object().ok_or_else(|| NormalizeError::Field {
            runtime: runtime.as_str(),
            path: "(root)".to_owned(),
            message: "expected a JSON object".to_owned(),
        })?;
        Ok(Fields {
            runtime: runtime.as_str(),
            object,
        })
    }

    fn error(&self, path: &str, message: impl Into<String>) -> NormalizeError {
        NormalizeError::Field {
            runtime: self.runtime,
            path: path.to_owned(),
            message: message.into(),
        }
    }

    fn str(&self, key: &str) -> Result<&'a str, NormalizeError> {
        match self.object.get(key) {
            Some(Value::String(s)) => Ok(s),
            Some(_) => Err(self.error(key, "expected a string")),
            None => Err(self.error(key, "missing")),
        }
    }

    fn opt_str(&self, key: &str) -> Result<Option<&'a str>, NormalizeError> {
        match self.object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(self.error(key, "expected a string")),
        }
    }

    fn object(&self, key: &str) -> Result<&'a Map<String, Value>, NormalizeError> {
        match self.object.get(key) {
            Some(Value::Object(o)) => Ok(o),
            Some(_) => Err(self.error(key, "expected an object")),
            None => Err(self.error(key, "missing")),
        }
    }
}

/// Parses a JSON text that must hold an arguments object; an empty text is `{}`.
fn arguments_text(fields: &Fields<'_>, path: &str, text: &str) -> Result<Value, NormalizeError> {
    if text.trim().is_empty() {
        return Ok(Value::Object(Map::new()));
    }
    match serde_json::from_str::<Value>(text) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(fields.error(path, "expected the JSON text of an object")),
        Err(e) => Err(fields.error(path, format!("not valid JSON: {e}"))),
    }
}

/// `mcp__server__tool` is `server/tool`; other names are kept.
pub fn tool_name(native: &str) -> String {
    if let Some(rest) = native.strip_prefix("mcp__")
        && let Some((server, tool)) = rest.split_once("__")
        && !server.is_empty()
        && !tool.is_empty()
    {
        return format!("{server}/{tool}");
    }
    native.to_owned()
}

fn hook(runtime: Runtime, event: &Value) -> Result<Envelope, NormalizeError> {
    let f = Fields::of(runtime, event)?;
    let phase = match f.str("hook_event_name")? {
        "PreToolUse" => Phase::Pre,
        "PostToolUse" => Phase::Post,
        "PermissionRequest" => Phase::PermissionRequest,
        other => {
            return Err(f.error(
                "hook_event_name",
                format!("`{other}` is not a tool event (expected PreToolUse, PostToolUse or PermissionRequest)"),
            ));
        }
    };
    let native = f.str("tool_name")?;
    if native.is_empty() {
        return Err(f.error("tool_name", "empty"));
    }
    let arguments = match f.object.get("tool_input") {
        Some(v @ Value::Object(_)) => v.clone(),
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(_) => return Err(f.error("tool_input", "expected an object")),
    };
    let output = match phase {
        Phase::Post => f.object.get("tool_response").map(response_text),
        _ => None,
    };
    Ok(Envelope {
        runtime,
        family: runtime.family(),
        phase,
        session_id: f.opt_str("session_id")?.map(str::to_owned),
        call_id: f
            .opt_str("tool_use_id")?
            .or(f.opt_str("call_id")?)
            .map(str::to_owned),
        tool: tool_name(native),
        arguments,
        cwd: f.opt_str("cwd")?.map(str::to_owned),
        annotations: None,
        output,
    })
}

/// The text of a tool response: a string, the `output`/`stdout`/`content`
/// of an object (with `stderr` appended), MCP content blocks, or the JSON text.
pub fn response_text(response: &Value) -> String {
    match response {
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(response_text)
            .collect::<Vec<_>>()
            .join("\n"),
        Value::Object(o) => {
            if let Some(Value::String(t)) = o.get("text") {
                return t.clone();
            }
            let mut parts = Vec::new();
            for key in ["output", "stdout", "content", "result", "body"] {
                if let Some(v) = o.get(key) {
                    parts.push(response_text(v));
                }
            }
            if let Some(Value::String(e)) = o.get("stderr")
                && !e.is_empty()
            {
                parts.push(e.clone());
            }
            if parts.is_empty() {
                response.to_string()
            } else {
                parts.join("\n")
            }
        }
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn mcp(event: &Value) -> Result<Envelope, NormalizeError> {
    let f = Fields::of(Runtime::Mcp, event)?;
    let request = f.object("request")?;
    let req = Fields {
        runtime: f.runtime,
        object: request,
    };
    match request.get("method").and_then(Value::as_str) {
        Some("tools/call") => {}
        Some(other) => {
            return Err(f.error("request.method", format!("`{other}` is not tools/call")));
        }
        None => return Err(f.error("request.method", "missing")),
    }
    let params = req
        .object("params")
        .map_err(|_| f.error("request.params", "missing or not an object"))?;
    let name = match params.get("name") {
        Some(Value::String(s)) if !s.is_empty() => s.as_str(),
        _ => return Err(f.error("request.params.name", "missing or not a string")),
    };
    let arguments = match params.get("arguments") {
        Some(v @ Value::Object(_)) => v.clone(),
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(_) => return Err(f.error("request.params.arguments", "expected an object")),
    };
    let server = match f.object.get("server") {
        Some(Value::Object(s)) => match s.get("name") {
            Some(Value::String(n)) if !n.is_empty() => Some(n.as_str()),
            _ => return Err(f.error("server.name", "missing or not a string")),
        },
        None | Some(Value::Null) => None,
        Some(_) => return Err(f.error("server", "expected an object")),
    };
    let annotations = match f.object.get("tool") {
        Some(Value::Object(t)) => match t.get("annotations") {
            Some(a @ Value::Object(_)) => Some(
                serde_json::from_value::<Annotations>(a.clone())
                    .map_err(|e| f.error("tool.annotations", e.to_string()))?,
            ),
            _ => Some(Annotations::default()),
        },
        _ => None,
    };
    let tool = match server {
        Some(s) => format!("{s}/{name}"),
        None => name.to_owned(),
    };
    Ok(Envelope {
        runtime: Runtime::Mcp,
        family: Runtime::Mcp.family(),
        phase: Phase::Pre,
        session_id: f.opt_str("session_id")?.map(str::to_owned),
        call_id: request.get("id").map(|id| match id {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }),
        tool,
        arguments,
        cwd: None,
        annotations,
        output: None,
    })
}

fn openai(event: &Value) -> Result<Envelope, NormalizeError> {
    let f = Fields::of(Runtime::OpenaiAgents, event)?;
    match f.str("type")? {
        "function_call" => {}
        other => return Err(f.error("type", format!("`{other}` is not function_call"))),
    }
    let name = f.str("name")?;
    if name.is_empty() {
        return Err(f.error("name", "empty"));
    }
    let arguments = match f.object.get("arguments") {
        Some(Value::String(text)) => arguments_text(&f, "arguments", text)?,
        Some(v @ Value::Object(_)) => v.clone(),
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(_) => return Err(f.error("arguments", "expected the JSON text of an object")),
    };
    Ok(Envelope {
        runtime: Runtime::OpenaiAgents,
        family: Runtime::OpenaiAgents.family(),
        phase: Phase::Pre,
        session_id: None,
        call_id: f
            .opt_str("call_id")?
            .or(f.opt_str("id")?)
            .map(str::to_owned),
        tool: tool_name(name),
        arguments,
        cwd: None,
        annotations: None,
        output: None,
    })
}

fn http(event: &Value) -> Result<Envelope, NormalizeError> {
    let f = Fields::of(Runtime::Http, event)?;
    let method = f.str("method")?;
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(f.error("method", format!("`{method}` is not an HTTP method")));
    }
    let url = f.str("url")?;
    let headers = match f.object.get("headers") {
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(v @ Value::Object(_)) => v.clone(),
        Some(_) => return Err(f.error("headers", "expected an object")),
    };
    let body = match f.object.get("body") {
        None | Some(Value::Null) => Value::String(String::new()),
        Some(v @ Value::String(_)) => v.clone(),
        Some(other) => Value::String(other.to_string()),
    };
    let mut arguments = Map::new();
    arguments.insert(
        "method".to_owned(),
        Value::String(method.to_ascii_uppercase()),
    );
    arguments.insert("url".to_owned(), Value::String(url.to_owned()));
    arguments.insert("headers".to_owned(), headers);
    arguments.insert("body".to_owned(), body);
    Ok(Envelope {
        runtime: Runtime::Http,
        family: Runtime::Http.family(),
        phase: Phase::Pre,
        session_id: f.opt_str("session_id")?.map(str::to_owned),
        call_id: f.opt_str("request_id")?.map(str::to_owned),
        tool: "http".to_owned(),
        arguments: Value::Object(arguments),
        cwd: None,
        annotations: None,
        output: None,
    })
}

/// Reads span attributes either as a JSON map or as OTLP's
/// `[{"key", "value": {"stringValue"|"intValue"|...}}]` list.
fn otel_attributes(f: &Fields<'_>) -> Result<Map<String, Value>, NormalizeError> {
    match f.object.get("attributes") {
        Some(Value::Object(o)) => Ok(o.clone()),
        Some(Value::Array(items)) => {
            let mut map = Map::new();
            for (i, item) in items.iter().enumerate() {
                let key = item.get("key").and_then(Value::as_str).ok_or_else(|| {
                    f.error(&format!("attributes[{i}].key"), "missing or not a string")
                })?;
                let value = item.get("value").and_then(Value::as_object).and_then(|v| {
                    v.get("stringValue")
                        .cloned()
                        .or_else(|| v.get("intValue").cloned())
                        .or_else(|| v.get("boolValue").cloned())
                        .or_else(|| v.get("doubleValue").cloned())
                });
                map.insert(key.to_owned(), value.unwrap_or(Value::Null));
            }
            Ok(map)
        }
        Some(_) => Err(f.error("attributes", "expected an object or an OTLP attribute list")),
        None => Err(f.error("attributes", "missing")),
    }
}

fn otel(event: &Value) -> Result<Envelope, NormalizeError> {
    let f = Fields::of(Runtime::Otel, event)?;
    let attributes = otel_attributes(&f)?;
    let attr = |key: &str| attributes.get(key).and_then(Value::as_str);
    match attr("gen_ai.operation.name") {
        Some("execute_tool") => {}
        Some(other) => {
            return Err(f.error(
                "attributes.gen_ai.operation.name",
                format!("`{other}` is not execute_tool"),
            ));
        }
        None => return Err(f.error("attributes.gen_ai.operation.name", "missing")),
    }
    // `gen_ai.tool.name` is only recommended; the span's name is
    // `execute_tool {gen_ai.tool.name}` by the same conventions.
    let span_tool = f
        .object
        .get("name")
        .and_then(Value::as_str)
        .and_then(|n| n.strip_prefix("execute_tool "))
        .map(str::trim);
    let name = attr("gen_ai.tool.name")
        .or(span_tool)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| {
            f.error(
                "attributes.gen_ai.tool.name",
                "missing or not a string, and the span's name is not `execute_tool TOOL`",
            )
        })?;
    let arguments = match attributes.get("gen_ai.tool.call.arguments") {
        Some(Value::String(text)) => {
            arguments_text(&f, "attributes.gen_ai.tool.call.arguments", text)?
        }
        Some(v @ Value::Object(_)) => v.clone(),
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(_) => {
            return Err(f.error(
                "attributes.gen_ai.tool.call.arguments",
                "expected JSON text",
            ));
        }
    };
    let output = match attributes.get("gen_ai.tool.call.result") {
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    Ok(Envelope {
        runtime: Runtime::Otel,
        family: Runtime::Otel.family(),
        phase: if output.is_some() {
            Phase::Post
        } else {
            Phase::Pre
        },
        session_id: attr("gen_ai.conversation.id")
            .or(attr("session.id"))
            .map(str::to_owned),
        call_id: attr("gen_ai.tool.call.id").map(str::to_owned),
        tool: tool_name(name),
        arguments,
        cwd: None,
        annotations: None,
        output,
    })
}

fn envelope(event: &Value) -> Result<Envelope, NormalizeError> {
    let f = Fields::of(Runtime::Envelope, event)?;
    let envelope: Envelope =
        serde_json::from_value(event.clone()).map_err(|e| f.error("(root)", e.to_string()))?;
    if !envelope.arguments.is_object() {
        return Err(f.error("arguments", "expected an object"));
    }
    if envelope.tool.is_empty() {
        return Err(f.error("tool", "empty"));
    }
    Ok(envelope)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn arguments_are_in_canonical_key_order() {
        let event = json!({"method": "POST", "url": "http://x.example/", "body": "b",
            "headers": {"x-b": "2", "authorization": "Bearer s", "content-type": "text/plain"}});
        let envelope = normalize(Runtime::Http, &event).unwrap();
        let keys: Vec<&str> = envelope.arguments["headers"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["authorization", "content-type", "x-b"]);
    }

    #[test]
    fn mcp_names_fold_to_server_slash_tool() {
        assert_eq!(tool_name("mcp__gmail__send_message"), "gmail/send_message");
        assert_eq!(tool_name("mcp__my_srv__do__it"), "my_srv/do__it");
        assert_eq!(tool_name("Bash"), "Bash");
        assert_eq!(tool_name("mcp__x"), "mcp__x");
    }

    #[test]
    fn errors_name_the_field() {
        let err = normalize(
            Runtime::ClaudeCode,
            &json!({"hook_event_name": "PreToolUse"}),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid claude-code event at `tool_name`: missing"
        );
        let err = normalize(
            Runtime::OpenaiAgents,
            &json!({"type": "function_call", "name": "f", "arguments": "{"}),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("at `arguments`: not valid JSON"),
            "{err}"
        );
        let err =
            normalize(Runtime::Mcp, &json!({"request": {"method": "tools/list"}})).unwrap_err();
        assert!(
            err.to_string().contains("`tools/list` is not tools/call"),
            "{err}"
        );
    }

    #[test]
    fn detects_each_runtime() {
        let cases = [
            (
                json!({"hook_event_name": "PreToolUse", "tool_name": "Bash"}),
                Runtime::ClaudeCode,
            ),
            (
                json!({"hook_event_name": "PreToolUse", "turn_id": "t", "tool_name": "Bash"}),
                Runtime::Codex,
            ),
            (
                json!({"server": {"name": "s"}, "request": {}}),
                Runtime::Mcp,
            ),
            (
                json!({"type": "function_call", "name": "f"}),
                Runtime::OpenaiAgents,
            ),
            (
                json!({"name": "execute_tool f", "attributes": {}}),
                Runtime::Otel,
            ),
            (json!({"method": "GET", "url": "https://x"}), Runtime::Http),
        ];
        for (event, runtime) in cases {
            assert_eq!(detect(&event).unwrap(), runtime, "{event}");
        }
        assert!(detect(&json!([1])).is_err());
    }

    #[test]
    fn otlp_attribute_lists_are_read() {
        let span = json!({"name": "execute_tool f", "attributes": [
            {"key": "gen_ai.operation.name", "value": {"stringValue": "execute_tool"}},
            {"key": "gen_ai.tool.name", "value": {"stringValue": "send_email"}},
            {"key": "gen_ai.tool.call.arguments", "value": {"stringValue": "{\"to\": \"a@b.c\"}"}}
        ]});
        let e = normalize(Runtime::Otel, &span).unwrap();
        assert_eq!(e.tool, "send_email");
        assert_eq!(e.arguments, json!({"to": "a@b.c"}));
    }

    #[test]
    fn a_span_without_the_tool_attribute_is_named_by_its_span_name() {
        let span = |name: &str| {
            json!({"name": name, "attributes": {
                "gen_ai.operation.name": "execute_tool",
                "gen_ai.tool.call.arguments": "{}"
            }})
        };
        let e = normalize(Runtime::Otel, &span("execute_tool send_email")).unwrap();
        assert_eq!(e.tool, "send_email");
        let error = normalize(Runtime::Otel, &span("tool call")).unwrap_err();
        assert!(
            error.to_string().contains("attributes.gen_ai.tool.name"),
            "{error}"
        );
    }
}
