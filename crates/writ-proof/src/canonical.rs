//! RFC 8785 (JCS) canonical JSON and `sha256:` digests.

use std::cmp::Ordering;
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
    let mut out = Vec::with_capacity(256);
    if write_value(value, &mut out) {
        Ok(out)
    } else {
        general_canonical_bytes(value)
    }
}

/// [`canonical_bytes`] through `serde_json_canonicalizer`, for every kind
/// of number (and the reference the fast writer is tested against).
fn general_canonical_bytes(value: &Value) -> Result<Vec<u8>, CanonicalError> {
    check_safe_integers(value)?;
    serde_json_canonicalizer::to_vec(value).map_err(|e| CanonicalError::Serialization {
        reason: e.to_string(),
    })
}

/// Appends the canonical form of `value` to `out`: members sorted by
/// UTF-16 code units, minimal string escapes, integers in decimal. False
/// (with `out` partly written) when a number is not an integer of
/// magnitude at most 2^53; [`canonical_bytes`] then takes the general
/// path, which writes other numbers as ECMAScript does and refuses unsafe
/// integers.
pub fn write_value(value: &Value, out: &mut Vec<u8>) -> bool {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                if u > SAFE_INTEGER_LIMIT {
                    return false;
                }
                out.extend_from_slice(u.to_string().as_bytes());
            } else if let Some(i) = n.as_i64() {
                if i.unsigned_abs() > SAFE_INTEGER_LIMIT {
                    return false;
                }
                out.extend_from_slice(i.to_string().as_bytes());
            } else {
                return false;
            }
        }
        Value::String(s) => write_str(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                if !write_value(item, out) {
                    return false;
                }
            }
            out.push(b']');
        }
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_unstable_by(|a, b| utf16_cmp(a.0, b.0));
            out.push(b'{');
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_str(k, out);
                out.push(b':');
                if !write_value(v, out) {
                    return false;
                }
            }
            out.push(b'}');
        }
    }
    true
}

/// Orders strings by their UTF-16 code units (RFC 8785 §3.2.3).
fn utf16_cmp(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.as_bytes().cmp(b.as_bytes())
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

/// Appends `s` as a JSON string with the minimal escapes (RFC 8785 §3.2.2.2).
pub fn write_str(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time while none of them may need an escape.
        if let Some(word) = bytes.get(i..i + 8)
            && !may_need_escape(word)
        {
            i += 8;
            continue;
        }
        let b = bytes.get(i).copied().unwrap_or_default();
        i += 1;
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(bytes.get(start..i - 1).unwrap_or_default());
        if escape.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        } else {
            out.extend_from_slice(escape);
        }
        start = i;
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
    out.push(b'"');
}

/// False only if none of the eight bytes of `word` is `"`, `\\` or a
/// control character (below 0x20); may be true when none is (bytes above
/// 0x7f), and the caller then checks byte by byte.
fn may_need_escape(word: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let Ok(word) = <[u8; 8]>::try_from(word) else {
        return true;
    };
    let x = u64::from_le_bytes(word);
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
    (below_space
        | zero_byte(x ^ (ONES * u64::from(b'"')))
        | zero_byte(x ^ (ONES * u64::from(b'\\'))))
        != 0
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

#[cfg(test)]
mod fast_writer_tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use proptest::prelude::*;

    use crate::arb_json::arb_value;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn strings_are_escaped_as_serde_json_does(
            s in "[\\x00-\\x21\"\\\\a-z\u{7f}\u{80}\u{e9}\u{2028}\u{1f600}]{0,40}"
        ) {
            let mut out = Vec::new();
            write_str(&s, &mut out);
            prop_assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&s).unwrap());
        }

        /// The fast writer agrees with `serde_json_canonicalizer` on every
        /// value, and refuses exactly what it refuses.
        #[test]
        fn the_fast_writer_matches_the_general_canonicaliser(value in arb_value()) {
            prop_assert_eq!(canonical_bytes(&value), general_canonical_bytes(&value));
        }
    }
}
