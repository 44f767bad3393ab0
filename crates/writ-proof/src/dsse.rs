//! DSSE v1 (Dead Simple Signing Envelope) with Ed25519 signatures.

use std::collections::BTreeSet;

use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::keys::{b64_decode_lenient, b64_encode, find_key, signature_from_slice};

/// Why an envelope could not be parsed, signed or verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DsseError {
    /// The envelope is not JSON of the envelope shape.
    #[error("malformed envelope: {reason}")]
    MalformedEnvelope {
        /// The parser's message.
        reason: String,
    },
    /// `payload` is not base64 (standard or URL-safe).
    #[error("payload is not valid base64")]
    MalformedPayloadBase64,
    /// A signature's `sig` is not base64 (standard or URL-safe).
    #[error("signature {index} is not valid base64")]
    MalformedSignatureBase64 {
        /// Position in `signatures`.
        index: usize,
    },
    /// A signature decodes to something other than 64 bytes.
    #[error("signature {index} is {length} bytes, expected 64")]
    WrongSignatureLength {
        /// Position in `signatures`.
        index: usize,
        /// Decoded length.
        length: usize,
    },
    /// The envelope carries no signature.
    #[error("envelope has no signatures")]
    NoSignatures,
    /// The verifier was given no trusted key.
    #[error("no trusted keys were given")]
    NoTrustedKeys,
    /// A signature names a key id that is not trusted.
    #[error("signature {index} names unknown key id {keyid:?}")]
    UnknownKeyId {
        /// Position in `signatures`.
        index: usize,
        /// The key id the signature names.
        keyid: String,
    },
    /// A signature does not verify over the PAE with the trusted key it
    /// names (or, without a key id, with any trusted key).
    #[error("signature {index} does not verify")]
    BadSignature {
        /// Position in `signatures`.
        index: usize,
        /// The key id the signature names, if any.
        keyid: Option<String>,
    },
    /// `payloadType` is not the one the verifier expects.
    #[error("payload type is {found:?}, expected {expected:?}")]
    PayloadTypeMismatch {
        /// The type the verifier expects.
        expected: String,
        /// The type the envelope declares.
        found: String,
    },
    /// `payloadType` is not among the types the verifier supports.
    #[error("payload type {found:?} is not supported")]
    UnsupportedPayloadType {
        /// The type the envelope declares.
        found: String,
    },
    /// Fewer distinct trusted keys verified than the threshold requires.
    #[error("{verified} distinct trusted keys verified, {required} required")]
    ThresholdNotMet {
        /// The threshold.
        required: usize,
        /// Distinct trusted keys with a valid signature.
        verified: usize,
    },
    /// A threshold of zero would accept anything.
    #[error("threshold must be at least 1")]
    InvalidThreshold,
}

/// One signature of an [`Envelope`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvelopeSignature {
    /// Unauthenticated hint naming the key. Absent (or empty) means "try
    /// every trusted key".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyid: Option<String>,
    /// Base64 of the 64-byte Ed25519 signature over the PAE.
    pub sig: String,
}

/// The DSSE JSON envelope. `payload` and `sig` hold base64 text exactly as
/// transmitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// Base64 of the serialized body.
    pub payload: String,
    /// The payload type, authenticated through the PAE.
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    /// The signatures.
    pub signatures: Vec<EnvelopeSignature>,
}

/// What a successful verification yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedPayload {
    /// The payload type (as checked).
    pub payload_type: String,
    /// The decoded payload bytes.
    pub payload: Vec<u8>,
    /// Key ids (from the trusted list) of the keys whose signatures
    /// verified, in signature order, without repeats.
    pub signers: Vec<String>,
}

/// The DSSE v1 pre-authentication encoding:
/// `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, lengths as ASCII
/// decimal byte counts without leading zeros.
pub fn pae(payload_type: &str, body: &[u8]) -> Vec<u8> {
    let type_bytes = payload_type.as_bytes();
    let mut out = Vec::with_capacity(32 + type_bytes.len() + body.len());
    out.extend_from_slice(b"DSSEv1 ");
    out.extend_from_slice(type_bytes.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(type_bytes);
    out.push(b' ');
    out.extend_from_slice(body.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(body);
    out
}

impl Envelope {
    /// A signed envelope over `payload` with one Ed25519 signature under
    /// `keyid`. Payload and signature are written in standard base64 with
    /// padding.
    pub fn sign(payload_type: &str, payload: &[u8], keyid: &str, key: &SigningKey) -> Self {
        let signature = key.sign(&pae(payload_type, payload));
        Self {
            payload: b64_encode(payload),
            payload_type: payload_type.to_owned(),
            signatures: vec![EnvelopeSignature {
                keyid: Some(keyid.to_owned()),
                sig: b64_encode(&signature.to_bytes()),
            }],
        }
    }

    /// Adds another signature over the same payload.
    pub fn add_signature(&mut self, keyid: &str, key: &SigningKey) -> Result<(), DsseError> {
        let payload = self.payload_bytes()?;
        let signature = key.sign(&pae(&self.payload_type, &payload));
        self.signatures.push(EnvelopeSignature {
            keyid: Some(keyid.to_owned()),
            sig: b64_encode(&signature.to_bytes()),
        });
        Ok(())
    }

    /// The decoded payload, without any signature check.
    pub fn payload_bytes(&self) -> Result<Vec<u8>, DsseError> {
        b64_decode_lenient(&self.payload).ok_or(DsseError::MalformedPayloadBase64)
    }

    /// Parses an envelope from JSON bytes.
    pub fn from_json(bytes: &[u8]) -> Result<Self, DsseError> {
        serde_json::from_slice(bytes).map_err(|e| DsseError::MalformedEnvelope {
            reason: e.to_string(),
        })
    }

    /// The envelope as compact JSON, members in the order
    /// `payload`, `payloadType`, `signatures` (`keyid` before `sig`).
    pub fn to_json(&self) -> String {
        let signatures: Vec<serde_json::Value> = self
            .signatures
            .iter()
            .map(|s| {
                let mut obj = serde_json::Map::new();
                if let Some(keyid) = &s.keyid {
                    obj.insert("keyid".into(), keyid.clone().into());
                }
                obj.insert("sig".into(), s.sig.clone().into());
                serde_json::Value::Object(obj)
            })
            .collect();
        serde_json::json!({
            "payload": self.payload,
            "payloadType": self.payload_type,
            "signatures": signatures,
        })
        .to_string()
    }

    /// Verifies the envelope strictly: the payload type must equal
    /// `expected_payload_type`, there must be at least one signature, and
    /// **every** signature must verify with a trusted key (the key its
    /// `keyid` names, or any trusted key when `keyid` is absent or empty).
    pub fn verify<K: AsRef<str>>(
        &self,
        expected_payload_type: &str,
        keys: &[(K, VerifyingKey)],
    ) -> Result<VerifiedPayload, DsseError> {
        if keys.is_empty() {
            return Err(DsseError::NoTrustedKeys);
        }
        if self.payload_type != expected_payload_type {
            return Err(DsseError::PayloadTypeMismatch {
                expected: expected_payload_type.to_owned(),
                found: self.payload_type.clone(),
            });
        }
        let payload = self.payload_bytes()?;
        if self.signatures.is_empty() {
            return Err(DsseError::NoSignatures);
        }
        let message = pae(&self.payload_type, &payload);
        let mut signers: Vec<String> = Vec::new();
        for (index, entry) in self.signatures.iter().enumerate() {
            let signature = decode_signature(index, &entry.sig)?;
            let keyid = entry.keyid.as_deref().filter(|k| !k.is_empty());
            let verified_by = match keyid {
                Some(keyid) => {
                    let key = find_key(keys, keyid).ok_or_else(|| DsseError::UnknownKeyId {
                        index,
                        keyid: keyid.to_owned(),
                    })?;
                    key.verify_strict(&message, &signature)
                        .ok()
                        .map(|()| keyid.to_owned())
                }
                None => keys
                    .iter()
                    .find(|(_, key)| key.verify_strict(&message, &signature).is_ok())
                    .map(|(id, _)| id.as_ref().to_owned()),
            };
            let Some(signer) = verified_by else {
                return Err(DsseError::BadSignature {
                    index,
                    keyid: keyid.map(str::to_owned),
                });
            };
            if !signers.contains(&signer) {
                signers.push(signer);
            }
        }
        Ok(VerifiedPayload {
            payload_type: self.payload_type.clone(),
            payload,
            signers,
        })
    }

    /// Verifies the envelope as the DSSE protocol's `(t, n)` multi-signature
    /// check: signatures that name an untrusted key id or do not verify are
    /// skipped, and at least `threshold` **distinct** trusted keys must have
    /// verified. The payload type must be one of `supported_types`.
    /// Undecodable signatures (bad base64, wrong length) reject the envelope.
    pub fn verify_threshold<K: AsRef<str>>(
        &self,
        supported_types: &[&str],
        keys: &[(K, VerifyingKey)],
        threshold: usize,
    ) -> Result<VerifiedPayload, DsseError> {
        if threshold == 0 {
            return Err(DsseError::InvalidThreshold);
        }
        if keys.is_empty() {
            return Err(DsseError::NoTrustedKeys);
        }
        if !supported_types.contains(&self.payload_type.as_str()) {
            return Err(DsseError::UnsupportedPayloadType {
                found: self.payload_type.clone(),
            });
        }
        let payload = self.payload_bytes()?;
        if self.signatures.is_empty() {
            return Err(DsseError::NoSignatures);
        }
        let message = pae(&self.payload_type, &payload);
        let mut accepted_keys: BTreeSet<[u8; 32]> = BTreeSet::new();
        let mut signers: Vec<String> = Vec::new();
        for (index, entry) in self.signatures.iter().enumerate() {
            let signature = decode_signature(index, &entry.sig)?;
            let keyid = entry.keyid.as_deref().filter(|k| !k.is_empty());
            let candidates = keys
                .iter()
                .filter(|(id, _)| keyid.is_none_or(|k| id.as_ref() == k));
            for (id, key) in candidates {
                if key.verify_strict(&message, &signature).is_ok() {
                    if accepted_keys.insert(key.to_bytes()) {
                        signers.push(id.as_ref().to_owned());
                    }
                    break;
                }
            }
        }
        if accepted_keys.len() < threshold {
            return Err(DsseError::ThresholdNotMet {
                required: threshold,
                verified: accepted_keys.len(),
            });
        }
        Ok(VerifiedPayload {
            payload_type: self.payload_type.clone(),
            payload,
            signers,
        })
    }
}

fn decode_signature(index: usize, text: &str) -> Result<ed25519_dalek::Signature, DsseError> {
    let bytes = b64_decode_lenient(text).ok_or(DsseError::MalformedSignatureBase64 { index })?;
    signature_from_slice(&bytes).ok_or(DsseError::WrongSignatureLength {
        index,
        length: bytes.len(),
    })
}
