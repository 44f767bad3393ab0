//! Errors: one enum for starting the server, and RFC 9457 problem details
//! for everything an HTTP caller gets wrong or that fails while serving.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

/// Why the server could not start or a management command failed.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot create the directory `{path}`: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write `{path}`: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot read `{path}`: {message}")]
    Read { path: String, message: String },
    #[error("keys in `{path}`: {message}")]
    Keys { path: String, message: String },
    #[error("store: {0}")]
    Store(#[from] writ_store::StoreError),
    #[error("server database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("ledger: {0}")]
    Record(#[from] writ_lifecycle::RecordError),
    #[error("deployment: {0}")]
    Deployment(String),
    #[error("policy: {0}")]
    Policy(String),
    #[error("telemetry: {0}")]
    Telemetry(String),
    #[error("cannot listen on `{addr}`: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("server failed: {0}")]
    Serve(std::io::Error),
    #[error("{0}")]
    Token(String),
    #[error("internal error: {0}")]
    Internal(String),
}

/// An RFC 9457 problem document, the body of every API error
/// (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({"type": "urn:writ:problem:unauthorized", "title": "Unauthorized", "status": 401, "detail": "the token is unknown or revoked", "code": "unauthorized"}))]
pub struct ProblemDocument {
    /// `urn:writ:problem:` and the code.
    #[serde(rename = "type")]
    pub kind: String,
    /// The HTTP status's reason phrase.
    pub title: String,
    pub status: u16,
    /// What is wrong, for a person.
    pub detail: String,
    /// Stable machine-readable code, e.g. `bad_request`, `unauthorized`, `role`, `not_found`, `too_large`.
    pub code: String,
}

/// An HTTP error as `application/problem+json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub status: StatusCode,
    /// Stable machine-readable code (also the last part of `type`).
    pub code: &'static str,
    pub detail: String,
}

impl Problem {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Problem {
        Problem {
            status,
            code,
            detail: detail.into(),
        }
    }

    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, "bad_request", detail)
    }

    pub fn unauthorized(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::UNAUTHORIZED, "unauthorized", detail)
    }

    pub fn forbidden(code: &'static str, detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::FORBIDDEN, code, detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not_found", detail)
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::CONFLICT, code, detail)
    }

    pub fn internal(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", detail)
    }

    fn title(&self) -> &'static str {
        self.status.canonical_reason().unwrap_or("Error")
    }

    /// The problem document.
    pub fn document(&self) -> ProblemDocument {
        ProblemDocument {
            kind: format!("urn:writ:problem:{}", self.code),
            title: self.title().to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.code.to_owned(),
        }
    }

    pub fn body(&self) -> serde_json::Value {
        serde_json::to_value(self.document()).unwrap_or_else(|_| json!({"code": self.code}))
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body().to_string()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("application/problem+json"),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"writ\""),
            );
        }
        response
    }
}

impl From<rusqlite::Error> for Problem {
    fn from(e: rusqlite::Error) -> Problem {
        Problem::internal(format!("server database: {e}"))
    }
}

impl From<writ_store::StoreError> for Problem {
    fn from(e: writ_store::StoreError) -> Problem {
        Problem::internal(e.to_string())
    }
}

impl From<writ_lifecycle::RecordError> for Problem {
    fn from(e: writ_lifecycle::RecordError) -> Problem {
        Problem::internal(format!("ledger: {e}"))
    }
}
