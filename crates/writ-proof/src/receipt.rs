//! Receipts: signed by their author (approvals, replay inputs) or logged
//! unsigned and authenticated by the log and a signed statement.

use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::canonical::{CanonicalError, Digest, canonical_bytes_of, digest_bytes};
use crate::dsse::pae;
use crate::keys::{b64_decode_lenient, b64_encode, find_key, signature_from_slice};

/// The payload type bound into receipt signatures through the DSSE PAE.
pub const RECEIPT_PAYLOAD_TYPE: &str = "application/vnd.writ.receipt+json";

/// Why a receipt could not be signed, parsed or verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    /// The receipt kind is empty.
    #[error("receipt kind is empty")]
    EmptyKind,
    /// The receipt cannot be canonicalised.
    #[error("receipt cannot be canonicalised: {0}")]
    Canonical(#[from] CanonicalError),
    /// The text is not JSON of the signed-receipt shape.
    #[error("malformed receipt: {reason}")]
    MalformedReceipt {
        /// The parser's message.
        reason: String,
    },
    /// The recorded digest is not the digest of the receipt.
    #[error("receipt digest is {computed}, record says {recorded}")]
    DigestMismatch {
        /// `digest` as recorded.
        recorded: Digest,
        /// Digest of the canonical receipt.
        computed: Digest,
    },
    /// The receipt names a key id that is not trusted.
    #[error("receipt names unknown key id {keyid:?}")]
    UnknownKeyId {
        /// The key id the receipt names.
        keyid: String,
    },
    /// `sig` is not base64.
    #[error("receipt signature is not valid base64")]
    MalformedSignatureBase64,
    /// `sig` does not decode to 64 bytes.
    #[error("receipt signature is {length} bytes, expected 64")]
    WrongSignatureLength {
        /// Decoded length.
        length: usize,
    },
    /// The signature does not verify.
    #[error("receipt signature does not verify")]
    BadSignature,
    /// The receipt is of another kind than expected.
    #[error("receipt kind is {found:?}, expected {expected:?}")]
    KindMismatch {
        /// The kind the caller expects.
        expected: String,
        /// The kind the receipt declares.
        found: String,
    },
}

/// The signed content of a receipt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// What the receipt attests, e.g. `approval` or `checkpoint`.
    pub kind: String,
    /// The receipt's data.
    pub body: Value,
}

/// A receipt with its digest and an Ed25519 signature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedReceipt {
    /// The signed content.
    pub receipt: Receipt,
    /// `sha256:` of the canonical JSON of `receipt`.
    pub digest: Digest,
    /// Id of the signing key.
    pub keyid: String,
    /// Standard base64 of the Ed25519 signature over
    /// `PAE(RECEIPT_PAYLOAD_TYPE, canonical JSON of receipt)`.
    pub sig: String,
}

impl SignedReceipt {
    /// Signs a receipt of `kind` with `body`.
    pub fn sign(
        kind: impl Into<String>,
        body: Value,
        keyid: impl Into<String>,
        key: &SigningKey,
    ) -> Result<Self, ReceiptError> {
        let receipt = Receipt {
            kind: kind.into(),
            body,
        };
        if receipt.kind.is_empty() {
            return Err(ReceiptError::EmptyKind);
        }
        let bytes = canonical_bytes_of(&receipt)?;
        let signature = key.sign(&pae(RECEIPT_PAYLOAD_TYPE, &bytes));
        Ok(Self {
            receipt,
            digest: digest_bytes(&bytes),
            keyid: keyid.into(),
            sig: b64_encode(&signature.to_bytes()),
        })
    }

    /// Checks the digest, then the signature with the trusted key that
    /// `keyid` names.
    pub fn verify<K: AsRef<str>>(&self, keys: &[(K, VerifyingKey)]) -> Result<(), ReceiptError> {
        let bytes = canonical_bytes_of(&self.receipt)?;
        let computed = digest_bytes(&bytes);
        if computed != self.digest {
            return Err(ReceiptError::DigestMismatch {
                recorded: self.digest,
                computed,
            });
        }
        let key = find_key(keys, &self.keyid).ok_or_else(|| ReceiptError::UnknownKeyId {
            keyid: self.keyid.clone(),
        })?;
        let raw = b64_decode_lenient(&self.sig).ok_or(ReceiptError::MalformedSignatureBase64)?;
        let signature = signature_from_slice(&raw)
            .ok_or(ReceiptError::WrongSignatureLength { length: raw.len() })?;
        key.verify_strict(&pae(RECEIPT_PAYLOAD_TYPE, &bytes), &signature)
            .map_err(|_| ReceiptError::BadSignature)
    }

    /// [`SignedReceipt::verify`], then requires the kind to be
    /// `expected_kind`.
    pub fn verify_kind<K: AsRef<str>>(
        &self,
        expected_kind: &str,
        keys: &[(K, VerifyingKey)],
    ) -> Result<(), ReceiptError> {
        self.verify(keys)?;
        if self.receipt.kind != expected_kind {
            return Err(ReceiptError::KindMismatch {
                expected: expected_kind.to_owned(),
                found: self.receipt.kind.clone(),
            });
        }
        Ok(())
    }

    /// Parses a signed receipt from JSON bytes (no verification).
    pub fn from_json(bytes: &[u8]) -> Result<Self, ReceiptError> {
        serde_json::from_slice(bytes).map_err(|e| ReceiptError::MalformedReceipt {
            reason: e.to_string(),
        })
    }

    /// The signed receipt as compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "receipt": {"kind": self.receipt.kind, "body": self.receipt.body},
            "digest": self.digest.to_string(),
            "keyid": self.keyid,
            "sig": self.sig,
        })
        .to_string()
    }
}

/// A receipt logged without a signature of its own: `{"receipt", "digest"}`.
///
/// Its authenticity comes from where it is recorded, not from a key: it is
/// a leaf of a Merkle log whose signed checkpoint commits to its exact
/// bytes, and a signed statement (for writ, the action certificate) lists
/// its digest and leaf index. Verifying one on its own checks only the
/// digest; the caller must also prove its inclusion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnsignedReceipt {
    /// The content.
    pub receipt: Receipt,
    /// `sha256:` of the canonical JSON of `receipt`.
    pub digest: Digest,
}

impl UnsignedReceipt {
    /// A receipt of `kind` with `body`, with its digest.
    pub fn new(kind: impl Into<String>, body: Value) -> Result<Self, ReceiptError> {
        let receipt = Receipt {
            kind: kind.into(),
            body,
        };
        if receipt.kind.is_empty() {
            return Err(ReceiptError::EmptyKind);
        }
        let digest = digest_bytes(&canonical_bytes_of(&receipt)?);
        Ok(Self { receipt, digest })
    }

    /// Recomputes the digest and refuses a record that differs.
    pub fn verify_digest(&self) -> Result<(), ReceiptError> {
        let computed = digest_bytes(&canonical_bytes_of(&self.receipt)?);
        if computed != self.digest {
            return Err(ReceiptError::DigestMismatch {
                recorded: self.digest,
                computed,
            });
        }
        Ok(())
    }
}

/// A receipt as logged: unsigned (authenticated by the log and the
/// certificate) or signed by its author (approvals).
///
/// In JSON it is the object of either form; `keyid` and `sig` are present
/// together or not at all, and nothing else may appear.
#[derive(Debug, Clone, PartialEq)]
pub enum LoggedReceipt {
    /// Authenticated by log inclusion and the certificate.
    Unsigned(UnsignedReceipt),
    /// Carries its author's signature.
    Signed(SignedReceipt),
}

impl LoggedReceipt {
    /// The content.
    pub fn receipt(&self) -> &Receipt {
        match self {
            LoggedReceipt::Unsigned(r) => &r.receipt,
            LoggedReceipt::Signed(r) => &r.receipt,
        }
    }

    /// The recorded kind.
    pub fn kind(&self) -> &str {
        &self.receipt().kind
    }

    /// The recorded digest.
    pub fn digest(&self) -> &Digest {
        match self {
            LoggedReceipt::Unsigned(r) => &r.digest,
            LoggedReceipt::Signed(r) => &r.digest,
        }
    }

    /// The signing key id, for a signed receipt.
    pub fn keyid(&self) -> Option<&str> {
        match self {
            LoggedReceipt::Unsigned(_) => None,
            LoggedReceipt::Signed(r) => Some(&r.keyid),
        }
    }

    /// The signed receipt, if this one is signed.
    pub fn signed(&self) -> Option<&SignedReceipt> {
        match self {
            LoggedReceipt::Unsigned(_) => None,
            LoggedReceipt::Signed(r) => Some(r),
        }
    }
}

impl From<SignedReceipt> for LoggedReceipt {
    fn from(r: SignedReceipt) -> Self {
        LoggedReceipt::Signed(r)
    }
}

impl From<UnsignedReceipt> for LoggedReceipt {
    fn from(r: UnsignedReceipt) -> Self {
        LoggedReceipt::Unsigned(r)
    }
}

impl Serialize for LoggedReceipt {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            LoggedReceipt::Unsigned(r) => r.serialize(s),
            LoggedReceipt::Signed(r) => r.serialize(s),
        }
    }
}

/// Either form, as parsed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnyReceipt {
    receipt: Receipt,
    digest: Digest,
    #[serde(default, deserialize_with = "present")]
    keyid: Option<String>,
    #[serde(default, deserialize_with = "present")]
    sig: Option<String>,
}

impl<'de> Deserialize<'de> for LoggedReceipt {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = AnyReceipt::deserialize(d)?;
        match (r.keyid, r.sig) {
            (None, None) => Ok(LoggedReceipt::Unsigned(UnsignedReceipt {
                receipt: r.receipt,
                digest: r.digest,
            })),
            (Some(keyid), Some(sig)) => Ok(LoggedReceipt::Signed(SignedReceipt {
                receipt: r.receipt,
                digest: r.digest,
                keyid,
                sig,
            })),
            (Some(_), None) => Err(serde::de::Error::custom(
                "receipt has a `keyid` but no `sig`",
            )),
            (None, Some(_)) => Err(serde::de::Error::custom(
                "receipt has a `sig` but no `keyid`",
            )),
        }
    }
}

/// A member that is present must be a string (`null` is refused).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    String::deserialize(d).map(Some)
}
