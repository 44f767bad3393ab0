//! Key identifiers, trusted-key lookup and base64 helpers shared by the
//! formats.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use ed25519_dalek::{SIGNATURE_LENGTH, Signature, VerifyingKey};

use crate::canonical::digest_bytes;

/// The conventional key id of an Ed25519 public key: `ed25519:` followed by
/// the lowercase hex SHA-256 of the 32 raw public-key bytes.
///
/// Key ids are hints that select a trusted key; nothing here requires this
/// convention, any string agreed between signer and verifier works.
pub fn key_id(key: &VerifyingKey) -> String {
    format!("ed25519:{}", digest_bytes(key.as_bytes()).hex())
}

/// A trusted key list entry: anything that names a key id, paired with the
/// key. `(&str, VerifyingKey)` and `(String, VerifyingKey)` both fit.
pub(crate) fn find_key<'a, K: AsRef<str>>(
    keys: &'a [(K, VerifyingKey)],
    keyid: &str,
) -> Option<&'a VerifyingKey> {
    keys.iter()
        .find(|(id, _)| id.as_ref() == keyid)
        .map(|(_, key)| key)
}

const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

/// Standard base64 with padding (RFC 4648 §4), the form writ emits.
pub(crate) fn b64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes standard or URL-safe base64, padded or not (DSSE verifiers must
/// accept either alphabet). Mixed alphabets and non-zero trailing bits are
/// refused.
pub(crate) fn b64_decode_lenient(text: &str) -> Option<Vec<u8>> {
    STANDARD_LENIENT
        .decode(text)
        .or_else(|_| URL_SAFE_LENIENT.decode(text))
        .ok()
}

/// URL-safe base64 without padding (RFC 4648 §5), used by release tokens.
pub(crate) fn b64url_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Strict URL-safe base64 without padding.
pub(crate) fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .ok()
}

/// Turns decoded bytes into an Ed25519 signature if they are 64 long.
pub(crate) fn signature_from_slice(bytes: &[u8]) -> Option<Signature> {
    let arr: [u8; SIGNATURE_LENGTH] = bytes.try_into().ok()?;
    Some(Signature::from_bytes(&arr))
}
