//! Signed receipts.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use serde_json::{Value, json};
use writ_proof::{
    RECEIPT_PAYLOAD_TYPE, ReceiptError, SignedReceipt, canonical_bytes, digest_bytes, pae,
};

fn key() -> SigningKey {
    SigningKey::from_bytes(&[5; 32])
}

fn keys() -> Vec<(&'static str, VerifyingKey)> {
    vec![
        ("approver", key().verifying_key()),
        ("other", SigningKey::from_bytes(&[6; 32]).verifying_key()),
    ]
}

fn receipt() -> SignedReceipt {
    SignedReceipt::sign(
        "approval",
        json!({"action": "sha256:00", "approved_by": "alice", "at": 1767225600}),
        "approver",
        &key(),
    )
    .expect("signs")
}

#[test]
fn sign_verify_and_format() {
    let r = receipt();
    r.verify(&keys()).expect("verifies");
    r.verify_kind("approval", &keys()).expect("kind");
    let canonical =
        canonical_bytes(&json!({"kind": "approval", "body": r.receipt.body})).expect("canonical");
    assert_eq!(r.digest, digest_bytes(&canonical));
    let sig = STANDARD.decode(&r.sig).expect("base64");
    let expected = key().sign(&pae(RECEIPT_PAYLOAD_TYPE, &canonical));
    assert_eq!(sig, expected.to_bytes().to_vec());

    let json = r.to_json();
    let parsed = SignedReceipt::from_json(json.as_bytes()).expect("parses");
    assert_eq!(parsed, r);
    parsed.verify(&keys()).expect("still verifies");
    let v: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["digest"], r.digest.to_string());
    assert_eq!(v["keyid"], "approver");
}

#[test]
fn refusals() {
    let good = receipt();

    let mut r = good.clone();
    r.receipt.body["approved_by"] = json!("mallory");
    assert!(matches!(
        r.verify(&keys()),
        Err(ReceiptError::DigestMismatch { recorded, .. }) if recorded == good.digest
    ));

    // Body and digest both changed: the signature catches it.
    r.digest = digest_bytes(
        &canonical_bytes(&json!({"kind": "approval", "body": r.receipt.body})).expect("c"),
    );
    assert_eq!(r.verify(&keys()), Err(ReceiptError::BadSignature));

    let mut r = good.clone();
    r.receipt.kind = "checkpoint".into();
    r.digest = digest_bytes(
        &canonical_bytes(&json!({"kind": "checkpoint", "body": r.receipt.body})).expect("c"),
    );
    assert_eq!(r.verify(&keys()), Err(ReceiptError::BadSignature));

    let mut r = good.clone();
    r.keyid = "nobody".into();
    assert_eq!(
        r.verify(&keys()),
        Err(ReceiptError::UnknownKeyId {
            keyid: "nobody".into()
        })
    );

    let mut r = good.clone();
    r.keyid = "other".into();
    assert_eq!(r.verify(&keys()), Err(ReceiptError::BadSignature));

    let raw = STANDARD.decode(&good.sig).expect("b64");
    for i in 0..raw.len() {
        let mut bad = raw.clone();
        bad[i] ^= 0x01;
        let mut r = good.clone();
        r.sig = STANDARD.encode(&bad);
        assert_eq!(
            r.verify(&keys()),
            Err(ReceiptError::BadSignature),
            "byte {i}"
        );
    }

    let mut r = good.clone();
    r.sig = "!!".into();
    assert_eq!(
        r.verify(&keys()),
        Err(ReceiptError::MalformedSignatureBase64)
    );
    r.sig = STANDARD.encode([1u8; 65]);
    assert_eq!(
        r.verify(&keys()),
        Err(ReceiptError::WrongSignatureLength { length: 65 })
    );

    assert_eq!(
        good.verify_kind("checkpoint", &keys()),
        Err(ReceiptError::KindMismatch {
            expected: "checkpoint".into(),
            found: "approval".into()
        })
    );

    assert_eq!(
        SignedReceipt::sign("", json!({}), "approver", &key()),
        Err(ReceiptError::EmptyKind)
    );
    assert!(matches!(
        SignedReceipt::sign("approval", json!({"n": u64::MAX}), "approver", &key()),
        Err(ReceiptError::Canonical(_))
    ));
    assert!(matches!(
        SignedReceipt::from_json(
            br#"{"receipt":{"kind":"a","body":1},"digest":"nope","keyid":"k","sig":""}"#
        ),
        Err(ReceiptError::MalformedReceipt { .. })
    ));
    let mut v: Value = serde_json::from_str(&good.to_json()).expect("json");
    v["unsigned_note"] = json!("added later");
    assert!(matches!(
        SignedReceipt::from_json(v.to_string().as_bytes()),
        Err(ReceiptError::MalformedReceipt { .. })
    ));
}

#[test]
fn logged_receipts_are_signed_or_unsigned_and_nothing_else() {
    use writ_proof::{LoggedReceipt, UnsignedReceipt};
    let signed = receipt();
    let unsigned = UnsignedReceipt::new("outcome", json!({"exit": 0})).expect("makes");
    unsigned.verify_digest().expect("digest");
    assert_eq!(unsigned.digest, signed_digest_of(&unsigned));
    let parse = |v: &Value| serde_json::from_value::<LoggedReceipt>(v.clone());

    let v = serde_json::to_value(&signed).expect("json");
    assert_eq!(
        parse(&v).expect("signed"),
        LoggedReceipt::Signed(signed.clone())
    );
    let v = serde_json::to_value(&unsigned).expect("json");
    assert_eq!(v.as_object().expect("object").len(), 2, "{v}");
    assert_eq!(
        parse(&v).expect("unsigned"),
        LoggedReceipt::Unsigned(unsigned.clone())
    );
    assert_eq!(
        serde_json::to_value(LoggedReceipt::Unsigned(unsigned.clone())).expect("json"),
        v
    );

    let signed_json = serde_json::to_value(&signed).expect("json");
    for (what, edit) in [
        ("keyid without sig", json!({"sig": null})),
        ("sig without keyid", json!({"keyid": null})),
        ("null keyid", json!({"keyid": "__null__"})),
        ("extra field", json!({"extra": 1})),
    ] {
        let mut v = signed_json.clone();
        for (k, value) in edit.as_object().expect("object") {
            let map = v.as_object_mut().expect("object");
            match value {
                Value::Null => {
                    map.remove(k);
                }
                Value::String(s) if s == "__null__" => {
                    map.insert(k.clone(), Value::Null);
                }
                other => {
                    map.insert(k.clone(), other.clone());
                }
            }
        }
        assert!(parse(&v).is_err(), "{what}: {v}");
    }

    let mut tampered = unsigned.clone();
    tampered.receipt.body = json!({"exit": 1});
    assert!(matches!(
        tampered.verify_digest(),
        Err(ReceiptError::DigestMismatch { .. })
    ));
    assert_eq!(
        UnsignedReceipt::new("", json!({})),
        Err(ReceiptError::EmptyKind)
    );
}

fn signed_digest_of(r: &writ_proof::UnsignedReceipt) -> writ_proof::Digest {
    digest_bytes(
        &canonical_bytes(&json!({"kind": r.receipt.kind, "body": r.receipt.body}))
            .expect("canonical"),
    )
}
