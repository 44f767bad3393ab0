//! The proxy's own answers: RFC 9457 problem documents
//! (`application/problem+json`), in the same shape as `writ serve`'s.

use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode, header};
use http_body_util::{BodyExt, Full};
use serde_json::{Map, Value, json};

use crate::ProxyBody;

/// Header naming the writ action of a decided request, on every answer.
pub const ACTION_HEADER: &str = "x-writ-action";

/// A problem document with optional extension members.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub status: StatusCode,
    /// Stable machine-readable code (also the last part of `type`).
    pub code: &'static str,
    /// What is wrong, for a person or an agent to read.
    pub detail: String,
    /// Extension members: route, reasons, action id...
    pub extra: Map<String, Value>,
}

impl Problem {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Problem {
        Problem {
            status,
            code,
            detail: detail.into(),
            extra: Map::new(),
        }
    }

    /// Adds an extension member.
    pub fn with(mut self, key: &str, value: Value) -> Problem {
        self.extra.insert(key.to_owned(), value);
        self
    }

    /// The JSON document.
    pub fn document(&self) -> Value {
        let mut doc = json!({
            "type": format!("urn:writ:problem:{}", self.code),
            "title": self.status.canonical_reason().unwrap_or("Error"),
            "status": self.status.as_u16(),
            "detail": self.detail,
            "code": self.code,
        });
        if let Some(o) = doc.as_object_mut() {
            // Extensions never replace the standard members.
            for (key, value) in &self.extra {
                o.entry(key.clone()).or_insert_with(|| value.clone());
            }
        }
        doc
    }

    /// The HTTP answer; names the action in [`ACTION_HEADER`] when there is one.
    pub fn response(&self) -> Response<ProxyBody> {
        let body = Full::new(Bytes::from(self.document().to_string()))
            .map_err(|never| match never {})
            .boxed();
        let mut response = Response::new(body);
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(id) = self.extra.get("action_id").and_then(Value::as_str)
            && let Ok(value) = HeaderValue::from_str(id)
        {
            headers.insert(ACTION_HEADER, value);
        }
        response
    }
}
