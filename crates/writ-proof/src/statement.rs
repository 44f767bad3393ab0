//! in-toto Statement v1 carried in a DSSE envelope.

use std::collections::BTreeMap;

use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::canonical::{CanonicalError, Digest, DigestParseError, canonical_bytes_of};
use crate::dsse::{DsseError, Envelope};

/// `_type` of an in-toto Statement v1.
pub const STATEMENT_TYPE_V1: &str = "https://in-toto.io/Statement/v1";

/// DSSE `payloadType` of an in-toto statement.
pub const IN_TOTO_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

/// `predicateType` of a writ action certificate.
pub const ACTION_CERTIFICATE_PREDICATE_TYPE: &str = "https://writ.dev/action-certificate/v1";

/// Why a statement could not be built, signed or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatementError {
    /// The envelope failed DSSE verification.
    #[error("envelope verification failed: {0}")]
    Dsse(#[from] DsseError),
    /// The statement could not be canonicalised for signing.
    #[error("statement cannot be canonicalised: {0}")]
    Canonical(#[from] CanonicalError),
    /// The verified payload is not a JSON statement of the v1 shape.
    #[error("malformed statement: {reason}")]
    MalformedStatement {
        /// The parser's message.
        reason: String,
    },
    /// `_type` is not `https://in-toto.io/Statement/v1`.
    #[error("statement type is {found:?}, expected \"https://in-toto.io/Statement/v1\"")]
    WrongStatementType {
        /// The `_type` found.
        found: String,
    },
    /// `predicateType` is not the expected one.
    #[error("predicate type is {found:?}, expected {expected:?}")]
    PredicateTypeMismatch {
        /// The type the caller expects.
        expected: String,
        /// The type the statement declares.
        found: String,
    },
    /// `subject` is empty.
    #[error("statement has no subject")]
    NoSubject,
    /// A subject has no `sha256` entry in its digest set.
    #[error("subject {name:?} has no sha256 digest")]
    MissingSubjectDigest {
        /// The subject's name.
        name: String,
    },
    /// A subject's `sha256` digest is not 64 lowercase hex digits.
    #[error("subject {name:?} has a malformed sha256 digest: {source}")]
    InvalidSubjectDigest {
        /// The subject's name.
        name: String,
        /// What is wrong with the digest.
        source: DigestParseError,
    },
}

/// One subject of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    /// A name for the subject (writ uses the action id).
    pub name: String,
    /// Algorithm name to lowercase hex digest; writ writes `sha256`.
    pub digest: BTreeMap<String, String>,
}

impl Subject {
    /// A subject with a single `sha256` digest.
    pub fn new(name: impl Into<String>, digest: &Digest) -> Self {
        let mut map = BTreeMap::new();
        map.insert("sha256".to_owned(), digest.hex());
        Self {
            name: name.into(),
            digest: map,
        }
    }

    /// The subject's `sha256` digest.
    pub fn sha256(&self) -> Result<Digest, StatementError> {
        let hex_part =
            self.digest
                .get("sha256")
                .ok_or_else(|| StatementError::MissingSubjectDigest {
                    name: self.name.clone(),
                })?;
        Digest::from_hex(hex_part).map_err(|source| StatementError::InvalidSubjectDigest {
            name: self.name.clone(),
            source,
        })
    }
}

/// An in-toto Statement v1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// Always [`STATEMENT_TYPE_V1`].
    #[serde(rename = "_type")]
    pub statement_type: String,
    /// What the statement is about.
    pub subject: Vec<Subject>,
    /// URI naming the predicate's schema.
    #[serde(rename = "predicateType")]
    pub predicate_type: String,
    /// The predicate (any JSON; writ's is an object).
    pub predicate: Value,
}

impl Statement {
    /// A statement about one subject.
    pub fn new(
        subject_name: impl Into<String>,
        subject_digest: &Digest,
        predicate_type: impl Into<String>,
        predicate: Value,
    ) -> Self {
        Self {
            statement_type: STATEMENT_TYPE_V1.to_owned(),
            subject: vec![Subject::new(subject_name, subject_digest)],
            predicate_type: predicate_type.into(),
            predicate,
        }
    }

    /// A statement with [`ACTION_CERTIFICATE_PREDICATE_TYPE`].
    pub fn action_certificate(
        subject_name: impl Into<String>,
        subject_digest: &Digest,
        predicate: Value,
    ) -> Self {
        Self::new(
            subject_name,
            subject_digest,
            ACTION_CERTIFICATE_PREDICATE_TYPE,
            predicate,
        )
    }

    /// The RFC 8785 canonical JSON of the statement: the DSSE payload.
    pub fn canonical_bytes(&self) -> Result<Vec<u8>, StatementError> {
        Ok(canonical_bytes_of(self)?)
    }

    /// Signs the statement: a DSSE envelope with payload type
    /// [`IN_TOTO_PAYLOAD_TYPE`] whose payload is the canonical JSON.
    pub fn sign(&self, keyid: &str, key: &SigningKey) -> Result<Envelope, StatementError> {
        let payload = self.canonical_bytes()?;
        Ok(Envelope::sign(IN_TOTO_PAYLOAD_TYPE, &payload, keyid, key))
    }

    fn validate(&self) -> Result<(), StatementError> {
        if self.statement_type != STATEMENT_TYPE_V1 {
            return Err(StatementError::WrongStatementType {
                found: self.statement_type.clone(),
            });
        }
        if self.subject.is_empty() {
            return Err(StatementError::NoSubject);
        }
        for subject in &self.subject {
            subject.sha256()?;
        }
        Ok(())
    }
}

/// Verifies an envelope strictly (see [`Envelope::verify`]) as an in-toto
/// statement and returns the statement: payload type
/// [`IN_TOTO_PAYLOAD_TYPE`], `_type` [`STATEMENT_TYPE_V1`], at least one
/// subject, every subject with a well-formed `sha256` digest.
pub fn open_statement<K: AsRef<str>>(
    envelope: &Envelope,
    keys: &[(K, VerifyingKey)],
) -> Result<Statement, StatementError> {
    let verified = envelope.verify(IN_TOTO_PAYLOAD_TYPE, keys)?;
    let statement: Statement = serde_json::from_slice(&verified.payload).map_err(|e| {
        StatementError::MalformedStatement {
            reason: e.to_string(),
        }
    })?;
    statement.validate()?;
    Ok(statement)
}

/// [`open_statement`], then requires `predicateType` to be
/// `expected_predicate_type`.
pub fn open_statement_of_type<K: AsRef<str>>(
    envelope: &Envelope,
    keys: &[(K, VerifyingKey)],
    expected_predicate_type: &str,
) -> Result<Statement, StatementError> {
    let statement = open_statement(envelope, keys)?;
    if statement.predicate_type != expected_predicate_type {
        return Err(StatementError::PredicateTypeMismatch {
            expected: expected_predicate_type.to_owned(),
            found: statement.predicate_type,
        });
    }
    Ok(statement)
}

/// [`open_statement_of_type`] for [`ACTION_CERTIFICATE_PREDICATE_TYPE`].
pub fn open_action_certificate<K: AsRef<str>>(
    envelope: &Envelope,
    keys: &[(K, VerifyingKey)],
) -> Result<Statement, StatementError> {
    open_statement_of_type(envelope, keys, ACTION_CERTIFICATE_PREDICATE_TYPE)
}
