//! RFC 8785 (JCS) canonical JSON and `sha256:` digests.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use sha2::{Digest as _, Sha256};

/// Why a JSON value could not be canonicalised.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CanonicalError {
    /// An integer whose RFC 8785 form is not its exact decimal form (such
    /// as 2^53 + 1, written `9007199254740992`). RFC 8785 serialises every
    /// number as an IEEE 754 double, so such an integer would silently be
    /// rounded and two different values would share one canonical form
    /// (and one digest). Encode such integers as strings.
    #[error("integer {value} would be rounded by canonicalisation")]
    UnsafeInteger {
        /// The integer, as written in the value.
        value: String,
    },
    /// A value could not be turned into JSON at all (for example a
    /// `Serialize` implementation that fails, or a map with non-string keys).
    #[error("value cannot be serialised as json: {reason}")]
    Serialization {
        /// The serializer's message.
        reason: String,
    },
}

/// The RFC 8785 canonical form of `value` as UTF-8 bytes.
///
/// Object members are sorted by the UTF-16 code units of their names
/// whatever the insertion order of the (order-preserving) map, numbers are
/// written as ECMAScript `Number.prototype.toString` would, and strings use
/// the minimal JSON escapes. Integers that canonicalisation would round
/// (e.g. 2^53 + 1) are refused with [`CanonicalError::UnsafeInteger`].
pub fn canonical_bytes(value: &Value) -> Result<Vec<u8>, CanonicalError> {
    check_safe_integers(value)?;
    serde_json_canonicalizer::to_vec(value).map_err(|e| CanonicalError::Serialization {
        reason: e.to_string(),
    })
}

/// [`canonical_bytes`] as a `String`.
pub fn canonical_string(value: &Value) -> Result<String, CanonicalError> {
    let bytes = canonical_bytes(value)?;
    String::from_utf8(bytes).map_err(|e| CanonicalError::Serialization {
        reason: e.to_string(),
    })
}

/// The canonical bytes of any serialisable value (via `serde_json::Value`).
pub fn canonical_bytes_of<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, CanonicalError> {
    let value = serde_json::to_value(value).map_err(|e| CanonicalError::Serialization {
        reason: e.to_string(),
    })?;
    canonical_bytes(&value)
}

/// 2^53: every integer up to this magnitude is an exact double whose
/// ECMAScript form is its decimal form.
const SAFE_INTEGER_LIMIT: u64 = 1 << 53;

/// Whether RFC 8785 writes the integer `n` as exactly `decimal`.
fn integer_text_is_exact(n: &serde_json::Number, decimal: String) -> bool {
    serde_json_canonicalizer::to_vec(n).is_ok_and(|text| text == decimal.into_bytes())
}

fn check_safe_integers(value: &Value) -> Result<(), CanonicalError> {
    match value {
        Value::Number(n) => {
            let exact = if let Some(u) = n.as_u64() {
                u <= SAFE_INTEGER_LIMIT || integer_text_is_exact(n, u.to_string())
            } else if let Some(i) = n.as_i64() {
                i.unsigned_abs() <= SAFE_INTEGER_LIMIT || integer_text_is_exact(n, i.to_string())
            } else {
                true
            };
            let unsafe_int = !exact;
            if unsafe_int {
                Err(CanonicalError::UnsafeInteger {
                    value: n.to_string(),
                })
            } else {
                Ok(())
            }
        }
        Value::Array(items) => items.iter().try_for_each(check_safe_integers),
        Value::Object(map) => map.values().try_for_each(check_safe_integers),
        Value::Null | Value::Bool(_) | Value::String(_) => Ok(()),
    }
}

/// A SHA-256 digest, written `sha256:` followed by 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest([u8; 32]);

/// The textual prefix of every [`Digest`].
pub const DIGEST_PREFIX: &str = "sha256:";

/// Why a string is not a [`Digest`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DigestParseError {
    /// The string does not start with `sha256:`.
    #[error("digest does not start with \"sha256:\"")]
    MissingPrefix,
    /// The hex part is not 64 characters long.
    #[error("digest has {found} hex characters, expected 64")]
    WrongLength {
        /// How many characters followed the prefix.
        found: usize,
    },
    /// The hex part has a character other than `0-9a-f`.
    #[error("digest is not lowercase hex")]
    NotLowercaseHex,
}

impl Digest {
    /// Wraps 32 raw digest bytes.
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The 32 raw digest bytes.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The 64 lowercase hex digits, without the `sha256:` prefix.
    pub fn hex(&self) -> String {
        std::str::from_utf8(&self.hex_digits())
            .unwrap_or_default()
            .to_owned()
    }

    /// The 64 lowercase hex digits as ASCII bytes, written from a table
    /// (digests are formatted for every receipt, leaf and certificate;
    /// `hex::encode` goes through a `char` iterator).
    fn hex_digits(&self) -> [u8; 64] {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 64];
        for (pair, byte) in out.chunks_exact_mut(2).zip(self.0) {
            pair.copy_from_slice(&[
                DIGITS[usize::from(byte >> 4)],
                DIGITS[usize::from(byte & 0xf)],
            ]);
        }
        out
    }

    /// Parses 64 lowercase hex digits without a prefix (the form in-toto
    /// subjects use: `{"sha256": "<hex>"}`).
    pub fn from_hex(hex_part: &str) -> Result<Self, DigestParseError> {
        if hex_part.len() != 64 {
            return Err(DigestParseError::WrongLength {
                found: hex_part.chars().count(),
            });
        }
        if !hex_part
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(DigestParseError::NotLowercaseHex);
        }
        let mut out = [0u8; 32];
        hex::decode_to_slice(hex_part, &mut out).map_err(|_| DigestParseError::NotLowercaseHex)?;
        Ok(Self(out))
    }
}

/// SHA-256 of raw bytes.
pub fn digest_bytes(bytes: &[u8]) -> Digest {
    Digest(Sha256::digest(bytes).into())
}

/// SHA-256 of the RFC 8785 canonical bytes of `value`.
pub fn digest_json(value: &Value) -> Result<Digest, CanonicalError> {
    Ok(digest_bytes(&canonical_bytes(value)?))
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.hex_digits();
        f.write_str(DIGEST_PREFIX)?;
        f.write_str(std::str::from_utf8(&digits).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({self})")
    }
}

impl FromStr for Digest {
    type Err = DigestParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let hex_part = s
            .strip_prefix(DIGEST_PREFIX)
            .ok_or(DigestParseError::MissingPrefix)?;
        Self::from_hex(hex_part)
    }
}

impl Serialize for Digest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Digest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
