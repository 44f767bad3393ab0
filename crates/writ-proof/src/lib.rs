//! Cryptographic building blocks of writ proofs.
//!
//! This crate knows nothing of writ's decisions: it works on
//! `serde_json::Value` and bytes, and defines the byte formats an auditor
//! needs to check writ's evidence offline with nothing but a public key.
//! Everything below is specified precisely enough to write an independent
//! verifier.
//!
//! # Conventions
//!
//! * **Signatures** are Ed25519 (RFC 8032, pure, no pre-hash), 64 bytes.
//!   Verification is *strict* (`verify_strict`: canonical `S`, no
//!   small-order keys or `R`), so signatures are not malleable.
//! * **Base64** written by writ is standard base64 with padding (RFC 4648
//!   §4), except release tokens, which use URL-safe base64 without padding
//!   (RFC 4648 §5). DSSE and receipt verifiers accept the standard or the
//!   URL-safe alphabet, padded or not, but never a mix of both alphabets nor
//!   non-zero trailing bits.
//! * **Key ids** are opaque hints that select a trusted key. The convention
//!   of [`key_id`] is `ed25519:` + lowercase hex SHA-256 of the 32 raw
//!   public-key bytes.
//!
//! # Canonical JSON and digests
//!
//! [`canonical_bytes`] is RFC 8785 (JSON Canonicalization Scheme): no
//! whitespace; object members sorted by the UTF-16 code units of their
//! names (whatever order the map kept them in); strings in UTF-8 with only
//! `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t` and `\u00xx` (lowercase hex)
//! for the other controls escaped; numbers as ECMAScript
//! `Number.prototype.toString` writes an IEEE 754 double (`1e+30`, `4.5`,
//! `0.002`, `1e-27`, `-0` as `0`). One restriction on top of RFC 8785: an
//! integer whose RFC 8785 form is not its exact decimal form is refused
//! ([`CanonicalError::UnsafeInteger`]) instead of being rounded, so two
//! different integers can never share a digest. Every integer of magnitude
//! up to 2^53 is accepted; beyond that only those that a double holds and
//! that ECMAScript prints digit for digit (`1152921504606847000` is
//! accepted, `2^53 + 1` and `2^60 = 1152921504606846976` are not).
//! Canonical output always canonicalises again to itself.
//!
//! A [`Digest`] is the text `sha256:` followed by the 64 lowercase hex
//! digits of a SHA-256. [`digest_json`] hashes the canonical bytes;
//! [`digest_bytes`] hashes raw bytes.
//!
//! # DSSE envelopes
//!
//! DSSE v1. The signed message is the pre-authentication encoding
//!
//! ```text
//! PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
//! ```
//!
//! where `SP` is one 0x20 byte, `type` is the UTF-8 of the payload type and
//! `LEN` the ASCII decimal byte length without leading zeros (an empty body
//! ends in `"0" SP`). The envelope is the JSON object
//!
//! ```text
//! {"payload":"<base64 body>","payloadType":"<type>",
//!  "signatures":[{"keyid":"<key id>","sig":"<base64 of 64-byte signature>"}]}
//! ```
//!
//! `keyid` may be absent or empty (then every trusted key is tried).
//! [`Envelope::verify`] is strict: the payload type must be the expected
//! one, there must be a signature, and every signature must verify with
//! the trusted key its `keyid` names (an untrusted `keyid` is refused), or,
//! without a `keyid`, with some trusted key. [`Envelope::verify_threshold`] is the DSSE `(t, n)`
//! check: bad or untrusted signatures are skipped and at least `t` distinct
//! trusted keys must verify.
//!
//! # in-toto statements (action certificates)
//!
//! A [`Statement`] is an in-toto Statement v1:
//!
//! ```text
//! {"_type":"https://in-toto.io/Statement/v1",
//!  "subject":[{"name":"<name>","digest":{"sha256":"<64 lowercase hex>"}}],
//!  "predicateType":"<uri>","predicate":<json>}
//! ```
//!
//! It is signed as a DSSE envelope with payload type
//! `application/vnd.in-toto+json` and, as payload, the RFC 8785 canonical
//! JSON of the statement. writ's action certificates use the predicate type
//! [`ACTION_CERTIFICATE_PREDICATE_TYPE`]
//! (`https://writ.dev/action-certificate/v1`). Opening one
//! ([`open_statement`], [`open_action_certificate`]) verifies the envelope
//! strictly, then requires `_type` to be the v1 URI, a non-empty `subject`,
//! and a well-formed `sha256` digest on every subject. Verifiers must not
//! require the payload to be canonical; writ always writes it canonical.
//!
//! # Release tokens
//!
//! A release token lets a gateway execute exactly one action with exactly
//! one set of arguments, once, within a time window. Its claims are the JSON
//! object ([`ReleaseClaims`], no other member allowed)
//!
//! ```text
//! {"action_digest":"sha256:<hex>","arguments_digest":"sha256:<hex>",
//!  "expires_at":<unix seconds>,"issued_at":<unix seconds>,
//!  "nonce":"<32 lowercase hex = 128 random bits>","policy_digest":"sha256:<hex>"}
//! ```
//!
//! `arguments_digest` is [`digest_json`] of the arguments. Times are integer
//! unix seconds, UTC; the token is valid for
//! `issued_at <= now < expires_at`. The token text is
//!
//! ```text
//! base64url(C) "." base64url(S)
//! C = RFC 8785 canonical JSON of the claims (the bytes verified and parsed)
//! S = Ed25519(PAE("application/vnd.writ.release+json", C))
//! ```
//!
//! with URL-safe base64 without padding. The signature covers the DSSE PAE
//! rather than `C` alone, so that a release signature can never be confused
//! with an envelope or receipt signature made by the same key. Verifiers
//! must refuse `C` unless it is byte-identical to the canonical form of the
//! claims it parses to. Verification ([`verify_release`]) refuses, in this
//! order: bad shape, bad signature, malformed or non-canonical claims, an
//! empty window, `now` outside the window, arguments whose canonical digest
//! differs, and, last, a nonce the [`NonceStore`] has already seen (so a
//! refused token never burns its nonce). Tokens longer than
//! [`MAX_TOKEN_LEN`] bytes are refused before decoding.
//!
//! # Signed receipts
//!
//! A [`SignedReceipt`] is the JSON object
//!
//! ```text
//! {"receipt":{"kind":"<non-empty>","body":<json>},
//!  "digest":"sha256:<hex of SHA-256(R)>","keyid":"<key id>","sig":"<base64>"}
//! R = RFC 8785 canonical JSON of the "receipt" member
//! sig = Ed25519(PAE("application/vnd.writ.receipt+json", R))
//! ```
//!
//! Verification recomputes `R`, refuses a `digest` that differs, looks up
//! the key by `keyid`, and verifies `sig`.
//!
//! # Unsigned receipts
//!
//! An [`UnsignedReceipt`] is `{"receipt":{...},"digest":"sha256:..."}`, the
//! same without `keyid` and `sig`. It is meant to be a leaf of a Merkle log:
//! its authenticity is its inclusion under a signed checkpoint and a signed
//! statement that lists its digest and leaf index, which the verifier must
//! check; on its own only the digest can be recomputed. A
//! [`LoggedReceipt`] parses either form and nothing else (`keyid` and `sig`
//! together or not at all).

#[cfg(test)]
mod arb_json;
mod canonical;
mod dsse;
mod keys;
mod receipt;
mod release;
mod statement;

pub use canonical::{
    CanonicalError, DIGEST_PREFIX, Digest, DigestParseError, canonical_bytes, canonical_bytes_of,
    canonical_string, digest_bytes, digest_json, write_str as write_canonical_str,
    write_value as write_canonical,
};
pub use dsse::{DsseError, Envelope, EnvelopeSignature, VerifiedPayload, pae};
pub use keys::key_id;
pub use receipt::{
    LoggedReceipt, RECEIPT_PAYLOAD_TYPE, Receipt, ReceiptError, SignedReceipt, UnsignedReceipt,
};
pub use release::{
    MAX_TOKEN_LEN, MemoryNonceStore, Nonce, NonceParseError, NonceStore, NonceStoreError,
    RELEASE_PAYLOAD_TYPE, ReleaseClaims, ReleaseError, inspect_release_unverified, issue_release,
    issue_release_with, unix_now, verify_release, verify_release_now,
};
pub use statement::{
    ACTION_CERTIFICATE_PREDICATE_TYPE, IN_TOTO_PAYLOAD_TYPE, STATEMENT_TYPE_V1, Statement,
    StatementError, Subject, open_action_certificate, open_statement, open_statement_of_type,
};

/// Re-exported so callers name the same key types this crate uses.
pub use ed25519_dalek::{SigningKey, VerifyingKey};
