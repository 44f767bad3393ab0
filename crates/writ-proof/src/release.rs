//! Release tokens: signed, single-use, expiring permissions to execute one
//! action with exactly one set of arguments.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use rand::{CryptoRng, RngCore};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::canonical::{CanonicalError, Digest, canonical_bytes_of, digest_json};
use crate::dsse::pae;
use crate::keys::{b64url_decode, b64url_encode, signature_from_slice};

/// The payload type bound into the release-token signature through the
/// DSSE PAE, so a release signature can never be mistaken for any other
/// signature made with the same key.
pub const RELEASE_PAYLOAD_TYPE: &str = "application/vnd.writ.release+json";

/// Longest token text accepted before any decoding.
pub const MAX_TOKEN_LEN: usize = 4096;

/// Why a release token could not be issued or was refused.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    /// The token text exceeds [`MAX_TOKEN_LEN`].
    #[error("token is {length} bytes, longer than the {max} allowed")]
    TokenTooLong {
        /// Length of the token text.
        length: usize,
        /// [`MAX_TOKEN_LEN`].
        max: usize,
    },
    /// The token is not `<base64url claims>.<base64url signature>`.
    #[error("malformed token: {reason}")]
    MalformedToken {
        /// What is wrong.
        reason: String,
    },
    /// The signature does not verify with the gateway's key.
    #[error("token signature does not verify")]
    BadSignature,
    /// The signed claims are not a JSON object of the claims shape.
    #[error("malformed claims: {reason}")]
    MalformedClaims {
        /// The parser's message.
        reason: String,
    },
    /// The signed claims are not in RFC 8785 canonical form.
    #[error("claims are not in canonical form")]
    NonCanonicalClaims,
    /// `expires_at` is not after `issued_at`.
    #[error("validity window is empty: issued at {issued_at}, expires at {expires_at}")]
    InvalidWindow {
        /// `issued_at` of the claims.
        issued_at: i64,
        /// `expires_at` of the claims.
        expires_at: i64,
    },
    /// `now` is before `issued_at`.
    #[error("token is not valid before {issued_at} (now {now})")]
    NotYetValid {
        /// `issued_at` of the claims.
        issued_at: i64,
        /// The time the verifier was given.
        now: i64,
    },
    /// `now` is at or after `expires_at`.
    #[error("token expired at {expires_at} (now {now})")]
    Expired {
        /// `expires_at` of the claims.
        expires_at: i64,
        /// The time the verifier was given.
        now: i64,
    },
    /// The arguments about to be executed are not the ones released.
    #[error("arguments digest is {actual}, token releases {released}")]
    ArgumentsMismatch {
        /// `arguments_digest` of the claims.
        released: Digest,
        /// Digest of the arguments presented for execution.
        actual: Digest,
    },
    /// The claims or the presented arguments cannot be canonicalised.
    #[error("cannot canonicalise: {0}")]
    Canonical(#[from] CanonicalError),
    /// The nonce was already used: the token is being replayed.
    #[error("nonce {nonce} was already used")]
    Replayed {
        /// The replayed nonce.
        nonce: Nonce,
    },
    /// The nonce store failed; the token is refused since its freshness is
    /// unknown.
    #[error("nonce store failed: {0}")]
    NonceStore(#[from] NonceStoreError),
}

/// A 128-bit random nonce, written as 32 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nonce([u8; 16]);

/// Why a string is not a [`Nonce`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("nonce must be 32 lowercase hex digits")]
pub struct NonceParseError;

impl Nonce {
    /// A fresh nonce from the operating system's random source.
    pub fn random() -> Self {
        Self::random_with(&mut rand::rngs::OsRng)
    }

    /// A fresh nonce from the given cryptographic random source.
    pub fn random_with<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        let mut bytes = [0u8; 16];
        rng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// Wraps 16 raw bytes.
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// The 16 raw bytes.
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

impl fmt::Display for Nonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for Nonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nonce({self})")
    }
}

impl FromStr for Nonce {
    type Err = NonceParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() != 32 || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(NonceParseError);
        }
        let mut out = [0u8; 16];
        hex::decode_to_slice(s, &mut out).map_err(|_| NonceParseError)?;
        Ok(Self(out))
    }
}

impl Serialize for Nonce {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Nonce {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// What a release token asserts. Times are unix seconds (UTC); the token is
/// valid for `issued_at <= now < expires_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseClaims {
    /// Digest of the action being released.
    pub action_digest: Digest,
    /// Canonical digest of the exact arguments released.
    pub arguments_digest: Digest,
    /// Digest of the policy that allowed the action.
    pub policy_digest: Digest,
    /// Single-use nonce.
    pub nonce: Nonce,
    /// Unix seconds from which the token is valid.
    pub issued_at: i64,
    /// Unix seconds at which the token stops being valid.
    pub expires_at: i64,
}

impl ReleaseClaims {
    /// Claims with a fresh random nonce.
    pub fn new(
        action_digest: Digest,
        arguments_digest: Digest,
        policy_digest: Digest,
        issued_at: i64,
        expires_at: i64,
    ) -> Self {
        Self {
            action_digest,
            arguments_digest,
            policy_digest,
            nonce: Nonce::random(),
            issued_at,
            expires_at,
        }
    }

    /// Claims releasing `arguments` (digested canonically) for
    /// `ttl_seconds` from `issued_at`, with a fresh random nonce.
    pub fn for_arguments(
        action_digest: Digest,
        arguments: &Value,
        policy_digest: Digest,
        issued_at: i64,
        ttl_seconds: i64,
    ) -> Result<Self, ReleaseError> {
        Ok(Self::new(
            action_digest,
            digest_json(arguments)?,
            policy_digest,
            issued_at,
            issued_at.saturating_add(ttl_seconds),
        ))
    }

    /// The canonical JSON bytes that the token carries and signs.
    pub fn canonical_bytes(&self) -> Result<Vec<u8>, ReleaseError> {
        Ok(canonical_bytes_of(self)?)
    }

    /// Refuses an empty validity window ([`ReleaseError::InvalidWindow`]),
    /// which no token may carry.
    pub fn check_window(&self) -> Result<(), ReleaseError> {
        if self.expires_at <= self.issued_at {
            return Err(ReleaseError::InvalidWindow {
                issued_at: self.issued_at,
                expires_at: self.expires_at,
            });
        }
        Ok(())
    }
}

/// Signs `claims` into a compact token:
/// `base64url(canonical claims) "." base64url(signature)`, where the
/// signature is Ed25519 over `PAE(RELEASE_PAYLOAD_TYPE, canonical claims)`.
pub fn issue_release(claims: &ReleaseClaims, key: &SigningKey) -> Result<String, ReleaseError> {
    issue_release_with(claims, |message| key.sign(message))
}

/// [`issue_release`] with `sign` making the Ed25519 signature of the
/// message it is given (for signers that keep their key expanded).
pub fn issue_release_with(
    claims: &ReleaseClaims,
    sign: impl FnOnce(&[u8]) -> ed25519_dalek::Signature,
) -> Result<String, ReleaseError> {
    claims.check_window()?;
    let body = claims.canonical_bytes()?;
    let signature = sign(&pae(RELEASE_PAYLOAD_TYPE, &body));
    Ok(format!(
        "{}.{}",
        b64url_encode(&body),
        b64url_encode(&signature.to_bytes())
    ))
}

/// Decodes the claims of a token **without verifying anything**. For
/// display and diagnostics only; never act on the result.
pub fn inspect_release_unverified(token: &str) -> Result<ReleaseClaims, ReleaseError> {
    let (body, _signature) = split_token(token)?;
    parse_claims(&body)
}

/// Verifies a release token before execution. In order, it refuses:
/// a token that is too long or not two base64url parts
/// ([`ReleaseError::TokenTooLong`], [`ReleaseError::MalformedToken`]);
/// a signature that does not verify with `key`
/// ([`ReleaseError::BadSignature`]); claims that are not canonical JSON of
/// the claims shape ([`ReleaseError::MalformedClaims`],
/// [`ReleaseError::NonCanonicalClaims`]); an empty window, `now` before
/// `issued_at` or at/after `expires_at` ([`ReleaseError::InvalidWindow`],
/// [`ReleaseError::NotYetValid`], [`ReleaseError::Expired`]); arguments
/// whose canonical digest differs from `arguments_digest`
/// ([`ReleaseError::ArgumentsMismatch`]); and, last, a nonce the store has
/// already seen ([`ReleaseError::Replayed`]). The nonce is recorded only
/// when every other check has passed, so a refused token does not burn it.
///
/// `now` is unix seconds; nothing here reads a clock. The caller still has
/// to compare `action_digest` and `policy_digest` of the returned claims
/// with what it is about to do.
pub fn verify_release<S: NonceStore + ?Sized>(
    token: &str,
    key: &VerifyingKey,
    expected_arguments: &Value,
    now: i64,
    nonces: &mut S,
) -> Result<ReleaseClaims, ReleaseError> {
    let (body, signature) = split_token(token)?;
    let signature =
        signature_from_slice(&signature).ok_or_else(|| ReleaseError::MalformedToken {
            reason: format!("signature is {} bytes, expected 64", signature.len()),
        })?;
    key.verify_strict(&pae(RELEASE_PAYLOAD_TYPE, &body), &signature)
        .map_err(|_| ReleaseError::BadSignature)?;
    let claims = parse_claims(&body)?;
    claims.check_window()?;
    if now < claims.issued_at {
        return Err(ReleaseError::NotYetValid {
            issued_at: claims.issued_at,
            now,
        });
    }
    if now >= claims.expires_at {
        return Err(ReleaseError::Expired {
            expires_at: claims.expires_at,
            now,
        });
    }
    let actual = digest_json(expected_arguments)?;
    if actual != claims.arguments_digest {
        return Err(ReleaseError::ArgumentsMismatch {
            released: claims.arguments_digest,
            actual,
        });
    }
    if !nonces.check_and_insert(&claims.nonce, claims.expires_at)? {
        return Err(ReleaseError::Replayed {
            nonce: claims.nonce,
        });
    }
    Ok(claims)
}

/// The current time as unix seconds, read from the system clock. The one
/// place this crate reads a clock; use it at the edge only.
pub fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// [`verify_release`] with `now` = [`unix_now`].
pub fn verify_release_now<S: NonceStore + ?Sized>(
    token: &str,
    key: &VerifyingKey,
    expected_arguments: &Value,
    nonces: &mut S,
) -> Result<ReleaseClaims, ReleaseError> {
    verify_release(token, key, expected_arguments, unix_now(), nonces)
}

fn split_token(token: &str) -> Result<(Vec<u8>, Vec<u8>), ReleaseError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(ReleaseError::TokenTooLong {
            length: token.len(),
            max: MAX_TOKEN_LEN,
        });
    }
    let (body, signature) = token
        .split_once('.')
        .ok_or_else(|| ReleaseError::MalformedToken {
            reason: "missing '.' separator".to_owned(),
        })?;
    if signature.contains('.') {
        return Err(ReleaseError::MalformedToken {
            reason: "more than two parts".to_owned(),
        });
    }
    let body = b64url_decode(body).ok_or_else(|| ReleaseError::MalformedToken {
        reason: "claims are not unpadded base64url".to_owned(),
    })?;
    let signature = b64url_decode(signature).ok_or_else(|| ReleaseError::MalformedToken {
        reason: "signature is not unpadded base64url".to_owned(),
    })?;
    Ok((body, signature))
}

fn parse_claims(body: &[u8]) -> Result<ReleaseClaims, ReleaseError> {
    let claims: ReleaseClaims =
        serde_json::from_slice(body).map_err(|e| ReleaseError::MalformedClaims {
            reason: e.to_string(),
        })?;
    if claims.canonical_bytes()? != body {
        return Err(ReleaseError::NonCanonicalClaims);
    }
    Ok(claims)
}

/// A failure of a [`NonceStore`] backend (I/O, database, ...).
#[derive(Debug)]
pub struct NonceStoreError(Box<dyn std::error::Error + Send + Sync + 'static>);

impl NonceStoreError {
    /// Wraps a backend error.
    pub fn new(source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>) -> Self {
        Self(source.into())
    }
}

impl fmt::Display for NonceStoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for NonceStoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.0.as_ref())
    }
}

/// Remembers the nonces of accepted release tokens.
pub trait NonceStore {
    /// Atomically checks whether `nonce` was seen and records it if not.
    /// Returns `Ok(true)` when the nonce is fresh (and now recorded),
    /// `Ok(false)` when it was already recorded. `expires_at` (unix seconds)
    /// is the token's expiry: after it the entry may be forgotten, since an
    /// expired token is refused before its nonce is looked at.
    fn check_and_insert(&mut self, nonce: &Nonce, expires_at: i64)
    -> Result<bool, NonceStoreError>;
}

/// An in-memory [`NonceStore`], for tests and single-process gateways.
#[derive(Debug, Default, Clone)]
pub struct MemoryNonceStore {
    seen: HashMap<Nonce, i64>,
}

impl MemoryNonceStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Forgets nonces whose tokens expired at or before `now`.
    pub fn prune_expired(&mut self, now: i64) {
        self.seen.retain(|_, expires_at| *expires_at > now);
    }

    /// Number of remembered nonces.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// Whether no nonce is remembered.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }

    /// Whether `nonce` is remembered.
    pub fn contains(&self, nonce: &Nonce) -> bool {
        self.seen.contains_key(nonce)
    }
}

impl NonceStore for MemoryNonceStore {
    fn check_and_insert(
        &mut self,
        nonce: &Nonce,
        expires_at: i64,
    ) -> Result<bool, NonceStoreError> {
        if self.seen.contains_key(nonce) {
            return Ok(false);
        }
        self.seen.insert(*nonce, expires_at);
        Ok(true)
    }
}
