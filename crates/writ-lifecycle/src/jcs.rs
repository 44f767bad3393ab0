//! The receipt, statement and leaf encodings of the log, written straight
//! to RFC 8785 (JCS) bytes with `writ_proof`'s canonical writer instead of
//! through `serde` structs and a general canonicaliser.
//!
//! Output is byte-identical to `writ_proof`'s own encodings (the tests
//! check it on arbitrary values).

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use ed25519_dalek::Signer as _;
use serde_json::Value;

use crate::strict::StrictKey;
use writ_proof::{
    CanonicalError, Digest, Envelope, LoggedReceipt, RECEIPT_PAYLOAD_TYPE, Receipt, ReceiptError,
    SignedReceipt, UnsignedReceipt, VerifyingKey, canonical_bytes, digest_bytes, pae,
    write_canonical_str,
};

/// The canonical bytes of a receipt's signed content `{"body", "kind"}`.
pub fn receipt_content(receipt: &Receipt) -> Result<Vec<u8>, CanonicalError> {
    let body = canonical_bytes(&receipt.body)?;
    let mut out = Vec::with_capacity(body.len() + receipt.kind.len() + 20);
    out.extend_from_slice(b"{\"body\":");
    out.extend_from_slice(&body);
    out.extend_from_slice(b",\"kind\":");
    write_canonical_str(&receipt.kind, &mut out);
    out.push(b'}');
    Ok(out)
}

/// The canonical bytes of a signed receipt (its log leaf), from the canonical content.
pub fn receipt_leaf_from(receipt: &SignedReceipt, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + receipt.keyid.len() + receipt.sig.len() + 64);
    out.extend_from_slice(b"{\"digest\":\"");
    out.extend_from_slice(receipt.digest.to_string().as_bytes());
    out.extend_from_slice(b"\",\"keyid\":");
    write_canonical_str(&receipt.keyid, &mut out);
    out.extend_from_slice(b",\"receipt\":");
    out.extend_from_slice(content);
    out.extend_from_slice(b",\"sig\":");
    write_canonical_str(&receipt.sig, &mut out);
    out.push(b'}');
    out
}

/// The canonical bytes of an unsigned receipt (its log leaf), from the
/// canonical content: `{"digest":"sha256:...","receipt":<content>}`.
pub fn unsigned_leaf_from(digest: &Digest, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 96);
    out.extend_from_slice(b"{\"digest\":\"");
    out.extend_from_slice(digest.to_string().as_bytes());
    out.extend_from_slice(b"\",\"receipt\":");
    out.extend_from_slice(content);
    out.push(b'}');
    out
}

/// The canonical bytes of a logged receipt (its log leaf).
pub fn logged_leaf(receipt: &LoggedReceipt) -> Result<Vec<u8>, CanonicalError> {
    let content = receipt_content(receipt.receipt())?;
    Ok(match receipt {
        LoggedReceipt::Unsigned(r) => unsigned_leaf_from(&r.digest, &content),
        LoggedReceipt::Signed(r) => receipt_leaf_from(r, &content),
    })
}

/// A receipt of `kind` (not empty) with `body`, and its canonical content.
fn receipt_with_content(kind: &str, body: Value) -> Result<(Receipt, Vec<u8>), ReceiptError> {
    if kind.is_empty() {
        return Err(ReceiptError::EmptyKind);
    }
    let receipt = Receipt {
        kind: kind.to_owned(),
        body,
    };
    let content = receipt_content(&receipt)?;
    Ok((receipt, content))
}

/// An unsigned receipt of `kind` with `body`, exactly as
/// `UnsignedReceipt::new` makes it; also returns its log leaf.
pub fn unsigned_receipt(
    kind: &str,
    body: Value,
) -> Result<(UnsignedReceipt, Vec<u8>), ReceiptError> {
    let (receipt, content) = receipt_with_content(kind, body)?;
    let digest = digest_bytes(&content);
    let leaf = unsigned_leaf_from(&digest, &content);
    Ok((UnsignedReceipt { receipt, digest }, leaf))
}

/// Recomputes an unsigned receipt's digest (refusing a record that
/// differs); returns its log leaf, whose inclusion the caller must prove.
pub fn verify_unsigned(receipt: &UnsignedReceipt) -> Result<Vec<u8>, ReceiptError> {
    let content = receipt_content(&receipt.receipt)?;
    let computed = digest_bytes(&content);
    if computed != receipt.digest {
        return Err(ReceiptError::DigestMismatch {
            recorded: receipt.digest,
            computed,
        });
    }
    Ok(unsigned_leaf_from(&receipt.digest, &content))
}

/// The canonical bytes of a DSSE envelope (its log leaf).
pub fn envelope_leaf(envelope: &Envelope) -> Vec<u8> {
    let mut out = Vec::with_capacity(envelope.payload.len() + 256);
    out.extend_from_slice(b"{\"payload\":");
    write_canonical_str(&envelope.payload, &mut out);
    out.extend_from_slice(b",\"payloadType\":");
    write_canonical_str(&envelope.payload_type, &mut out);
    out.extend_from_slice(b",\"signatures\":[");
    for (i, s) in envelope.signatures.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'{');
        if let Some(keyid) = &s.keyid {
            out.extend_from_slice(b"\"keyid\":");
            write_canonical_str(keyid, &mut out);
            out.push(b',');
        }
        out.extend_from_slice(b"\"sig\":");
        write_canonical_str(&s.sig, &mut out);
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
    out
}

/// Signs a receipt exactly as `SignedReceipt::sign` does; also returns its log leaf.
pub fn sign_receipt(
    kind: &str,
    body: Value,
    keyid: &str,
    key: &writ_proof::SigningKey,
) -> Result<(SignedReceipt, Vec<u8>), ReceiptError> {
    sign_receipt_with(kind, body, keyid, |message| key.sign(message))
}

/// [`sign_receipt`] with `sign` making the Ed25519 signature.
pub fn sign_receipt_with(
    kind: &str,
    body: Value,
    keyid: &str,
    sign: impl FnOnce(&[u8]) -> ed25519_dalek::Signature,
) -> Result<(SignedReceipt, Vec<u8>), ReceiptError> {
    let (receipt, content) = receipt_with_content(kind, body)?;
    let signature = sign(&pae(RECEIPT_PAYLOAD_TYPE, &content));
    let signed = SignedReceipt {
        receipt,
        digest: digest_bytes(&content),
        keyid: keyid.to_owned(),
        sig: base64::engine::general_purpose::STANDARD.encode(signature.to_bytes()),
    };
    let leaf = receipt_leaf_from(&signed, &content);
    Ok((signed, leaf))
}

const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

/// Verifies a receipt exactly as `SignedReceipt::verify` does (digest, then
/// the signature with the trusted key `keyid` names); returns its log leaf.
pub fn verify_receipt<K: AsRef<str>>(
    receipt: &SignedReceipt,
    keys: &[(K, VerifyingKey)],
) -> Result<Vec<u8>, ReceiptError> {
    verify_receipt_using(receipt, keys, |key, message, signature| {
        key.verify_strict(&message.concat(), signature).is_ok()
    })
}

/// [`verify_receipt`] with keys prepared by [`StrictKey::new`] (the same
/// acceptance, less work per signature).
pub fn verify_receipt_strict<K: AsRef<str>>(
    receipt: &SignedReceipt,
    keys: &[(K, StrictKey)],
) -> Result<Vec<u8>, ReceiptError> {
    verify_receipt_using(receipt, keys, |key, message, signature| {
        key.verify(message, signature)
    })
}

fn verify_receipt_using<K: AsRef<str>, T>(
    receipt: &SignedReceipt,
    keys: &[(K, T)],
    check: impl FnOnce(&T, &[&[u8]], &ed25519_dalek::Signature) -> bool,
) -> Result<Vec<u8>, ReceiptError> {
    let content = receipt_content(&receipt.receipt)?;
    let computed = digest_bytes(&content);
    if computed != receipt.digest {
        return Err(ReceiptError::DigestMismatch {
            recorded: receipt.digest,
            computed,
        });
    }
    let key = keys
        .iter()
        .find(|(id, _)| id.as_ref() == receipt.keyid)
        .map(|(_, key)| key)
        .ok_or_else(|| ReceiptError::UnknownKeyId {
            keyid: receipt.keyid.clone(),
        })?;
    let raw = STANDARD_LENIENT
        .decode(&receipt.sig)
        .or_else(|_| URL_SAFE_LENIENT.decode(&receipt.sig))
        .map_err(|_| ReceiptError::MalformedSignatureBase64)?;
    let bytes: [u8; 64] = raw
        .as_slice()
        .try_into()
        .map_err(|_| ReceiptError::WrongSignatureLength { length: raw.len() })?;
    let signature = ed25519_dalek::Signature::from_bytes(&bytes);
    // The DSSE PAE of the content, as its prefix and the content.
    let prefix = pae(RECEIPT_PAYLOAD_TYPE, &[]);
    let prefix = prefix
        .strip_suffix(b"0 ")
        .map(|p| [p, content.len().to_string().as_bytes(), b" "].concat())
        .unwrap_or_default();
    if !check(key, &[&prefix, &content], &signature) {
        return Err(ReceiptError::BadSignature);
    }
    Ok(receipt_leaf_from(receipt, &content))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use proptest::prelude::*;
    use serde_json::json;
    use writ_proof::canonical_bytes_of;

    use crate::arb_json::arb_value;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn same_receipts_and_leaves_as_writ_proof(body in arb_value(), kind in "[a-z_\u{e9}\"]{1,8}", keyid in ".{0,12}") {
            let key = writ_proof::SigningKey::from_bytes(&[7u8; 32]);
            let slow = SignedReceipt::sign(kind.clone(), body.clone(), keyid.clone(), &key);
            let fast = sign_receipt(&kind, body, &keyid, &key);
            match (slow, fast) {
                (Ok(slow), Ok((fast, leaf))) => {
                    prop_assert_eq!(&fast, &slow);
                    prop_assert_eq!(leaf, canonical_bytes_of(&slow).unwrap());
                    let keys = [(keyid.clone(), key.verifying_key())];
                    prop_assert_eq!(verify_receipt(&slow, &keys).map(|_| ()), slow.verify(&keys));
                    let strict = [(keyid.clone(), StrictKey::new(key.verifying_key()))];
                    prop_assert_eq!(verify_receipt_strict(&slow, &strict).map(|_| ()), slow.verify(&keys));
                }
                (Err(a), Err(b)) => prop_assert_eq!(a, b),
                (a, b) => prop_assert!(false, "{a:?} vs {b:?}"),
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn unsigned_receipts_and_leaves_match_writ_proof(body in arb_value(), kind in "[a-z_\u{e9}\"]{1,8}") {
            match (UnsignedReceipt::new(kind.clone(), body.clone()), unsigned_receipt(&kind, body)) {
                (Ok(slow), Ok((fast, leaf))) => {
                    prop_assert_eq!(&fast, &slow);
                    prop_assert_eq!(&leaf, &canonical_bytes_of(&slow).unwrap());
                    prop_assert_eq!(verify_unsigned(&slow).unwrap(), leaf.clone());
                    let logged = LoggedReceipt::Unsigned(slow);
                    prop_assert_eq!(logged_leaf(&logged).unwrap(), leaf.clone());
                    // The leaf parses back as unsigned and encodes to itself.
                    let parsed: LoggedReceipt = serde_json::from_slice(&leaf).unwrap();
                    prop_assert!(parsed.signed().is_none());
                    prop_assert_eq!(logged_leaf(&parsed).unwrap(), leaf);
                }
                (Err(a), Err(b)) => prop_assert_eq!(a, b),
                (a, b) => prop_assert!(false, "{a:?} vs {b:?}"),
            }
        }
    }

    #[test]
    fn unsigned_digest_is_checked() {
        let (mut r, _) = unsigned_receipt("outcome", json!({"a": 1})).unwrap();
        verify_unsigned(&r).unwrap();
        r.receipt.body = json!({"a": 2});
        assert!(matches!(
            verify_unsigned(&r),
            Err(ReceiptError::DigestMismatch { .. })
        ));
    }

    #[test]
    fn verification_agrees_on_tampered_receipts() {
        let key = writ_proof::SigningKey::from_bytes(&[7u8; 32]);
        let keys = [("k".to_owned(), key.verifying_key())];
        let good = SignedReceipt::sign("decision", json!({"a": [1, "x"]}), "k", &key).unwrap();
        let mut cases = vec![good.clone()];
        let mut c = good.clone();
        c.receipt.body = json!({"a": [2, "x"]});
        cases.push(c);
        let mut c = good.clone();
        c.keyid = "other".into();
        cases.push(c);
        let mut c = good.clone();
        c.sig = "!!".into();
        cases.push(c);
        let mut c = good.clone();
        c.sig = "AAAA".into();
        cases.push(c);
        let mut c = good.clone();
        c.sig = c
            .sig
            .trim_end_matches('=')
            .replace('+', "-")
            .replace('/', "_");
        cases.push(c);
        let mut c = good.clone();
        let mut raw = STANDARD_LENIENT.decode(&c.sig).unwrap();
        raw[5] ^= 1;
        c.sig = base64::engine::general_purpose::STANDARD.encode(raw);
        cases.push(c);
        let strict = [("k".to_owned(), StrictKey::new(key.verifying_key()))];
        for c in cases {
            assert_eq!(verify_receipt(&c, &keys).map(|_| ()), c.verify(&keys));
            assert_eq!(
                verify_receipt_strict(&c, &strict).map(|_| ()),
                c.verify(&keys)
            );
        }
    }

    #[test]
    fn envelope_leaf_matches() {
        let key = writ_proof::SigningKey::from_bytes(&[7u8; 32]);
        let mut e = Envelope::sign("application/x\"\u{1}", b"{\"a\":1}", "k\u{e9}", &key);
        assert_eq!(envelope_leaf(&e), canonical_bytes_of(&e).unwrap());
        e.signatures[0].keyid = None;
        assert_eq!(envelope_leaf(&e), canonical_bytes_of(&e).unwrap());
    }
}
