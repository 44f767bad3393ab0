//! in-toto statements in DSSE envelopes, and a tamper campaign over an
//! exported signed statement.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde_json::{Value, json};
use writ_proof::{
    ACTION_CERTIFICATE_PREDICATE_TYPE, DsseError, Envelope, IN_TOTO_PAYLOAD_TYPE,
    STATEMENT_TYPE_V1, Statement, StatementError, canonical_bytes, digest_json, key_id,
    open_action_certificate, open_statement, open_statement_of_type,
};

fn signer() -> SigningKey {
    SigningKey::from_bytes(&[0x42; 32])
}

fn other_signer() -> SigningKey {
    SigningKey::from_bytes(&[0x24; 32])
}

fn certificate() -> Statement {
    let action = json!({"tool": "shell", "command": "rm -rf build/", "cwd": "/repo"});
    Statement::action_certificate(
        "action-0001",
        &digest_json(&action).expect("digest"),
        json!({"decision": "allow", "policy": "default", "reasons": ["inside workspace"]}),
    )
}

/// The signed certificate as an auditor would receive it: JSON text.
fn exported() -> (String, String) {
    let key = signer();
    let keyid = key_id(&key.verifying_key());
    let envelope = certificate().sign(&keyid, &key).expect("signs");
    (envelope.to_json(), keyid)
}

fn trusted(keyid: &str) -> Vec<(String, VerifyingKey)> {
    vec![
        (keyid.to_owned(), signer().verifying_key()),
        ("other".to_owned(), other_signer().verifying_key()),
    ]
}

fn import(json: &str) -> Envelope {
    Envelope::from_json(json.as_bytes()).expect("imports")
}

#[test]
fn statement_shape_and_round_trip() {
    let (json, keyid) = exported();
    let envelope = import(&json);
    assert_eq!(envelope.payload_type, IN_TOTO_PAYLOAD_TYPE);
    // The payload is the canonical JSON of the statement.
    let payload = envelope.payload_bytes().expect("decodes");
    let as_value: Value = serde_json::from_slice(&payload).expect("json");
    assert_eq!(canonical_bytes(&as_value).expect("canonical"), payload);
    assert_eq!(as_value["_type"], STATEMENT_TYPE_V1);
    assert_eq!(as_value["predicateType"], ACTION_CERTIFICATE_PREDICATE_TYPE);
    assert_eq!(
        ACTION_CERTIFICATE_PREDICATE_TYPE,
        "https://writ.dev/action-certificate/v1"
    );
    assert_eq!(as_value["subject"][0]["name"], "action-0001");
    let hex = as_value["subject"][0]["digest"]["sha256"]
        .as_str()
        .expect("hex");
    assert_eq!(hex.len(), 64);
    assert_eq!(
        certificate().subject[0].sha256().expect("digest").hex(),
        hex
    );

    let opened = open_action_certificate(&envelope, &trusted(&keyid)).expect("opens");
    assert_eq!(opened, certificate());
    assert_eq!(
        open_statement(&envelope, &trusted(&keyid)).expect("opens"),
        certificate()
    );
    assert_eq!(
        open_statement_of_type(&envelope, &trusted(&keyid), "https://example.com/other/v1"),
        Err(StatementError::PredicateTypeMismatch {
            expected: "https://example.com/other/v1".into(),
            found: ACTION_CERTIFICATE_PREDICATE_TYPE.into()
        })
    );
}

fn bad_signature(keyid: &str) -> StatementError {
    StatementError::Dsse(DsseError::BadSignature {
        index: 0,
        keyid: Some(keyid.to_owned()),
    })
}

#[test]
fn tamper_every_payload_byte() {
    let (json, keyid) = exported();
    let keys = trusted(&keyid);
    let original = import(&json);
    let payload = original.payload_bytes().expect("decodes");
    assert!(payload.len() > 200);
    let mut attempts = 0;
    // Every byte is flipped once, with the mask rotating over four
    // patterns (one flip per byte keeps the debug-build run time low).
    for i in 0..payload.len() {
        let mask = [0x01_u8, 0x20, 0x80, 0xff][i % 4];
        let mut tampered = payload.clone();
        tampered[i] ^= mask;
        let mut envelope = original.clone();
        envelope.payload = STANDARD.encode(&tampered);
        let result = open_statement(&envelope, &keys);
        assert_eq!(result, Err(bad_signature(&keyid)), "byte {i} ^ {mask:#04x}");
        attempts += 1;
    }
    assert_eq!(attempts, payload.len());
    // Truncation and extension.
    for tampered in [
        payload[..payload.len() - 1].to_vec(),
        [payload.as_slice(), b" "].concat(),
        Vec::new(),
    ] {
        let mut envelope = original.clone();
        envelope.payload = STANDARD.encode(&tampered);
        assert_eq!(open_statement(&envelope, &keys), Err(bad_signature(&keyid)));
    }
}

#[test]
fn tamper_every_signature_byte() {
    let (json, keyid) = exported();
    let keys = trusted(&keyid);
    let original = import(&json);
    let sig = STANDARD
        .decode(&original.signatures[0].sig)
        .expect("decodes");
    assert_eq!(sig.len(), 64);
    for i in 0..sig.len() {
        for mask in [0x01_u8, 0x80, 0xff] {
            let mut tampered = sig.clone();
            tampered[i] ^= mask;
            let mut envelope = original.clone();
            envelope.signatures[0].sig = STANDARD.encode(&tampered);
            assert_eq!(
                open_statement(&envelope, &keys),
                Err(bad_signature(&keyid)),
                "sig byte {i} ^ {mask:#04x}"
            );
        }
    }
    // A signature of the wrong length.
    let mut envelope = original.clone();
    envelope.signatures[0].sig = STANDARD.encode(&sig[..63]);
    assert_eq!(
        open_statement(&envelope, &keys),
        Err(StatementError::Dsse(DsseError::WrongSignatureLength {
            index: 0,
            length: 63
        }))
    );
}

#[test]
fn tamper_payload_type() {
    let (json, keyid) = exported();
    let keys = trusted(&keyid);
    let original = import(&json);
    for changed in [
        "application/vnd.in-toto+jsom",
        "application/vnd.in-toto+json ",
        "Application/vnd.in-toto+json",
        "application/json",
        "",
    ] {
        let mut envelope = original.clone();
        envelope.payload_type = changed.into();
        assert_eq!(
            open_statement(&envelope, &keys),
            Err(StatementError::Dsse(DsseError::PayloadTypeMismatch {
                expected: IN_TOTO_PAYLOAD_TYPE.into(),
                found: changed.into()
            })),
            "{changed:?}"
        );
    }
}

#[test]
fn tamper_keyid() {
    let (json, keyid) = exported();
    let keys = trusted(&keyid);
    let original = import(&json);
    // Swapped to an id nobody trusts.
    let mut envelope = original.clone();
    envelope.signatures[0].keyid = Some("ed25519:0000".into());
    assert_eq!(
        open_statement(&envelope, &keys),
        Err(StatementError::Dsse(DsseError::UnknownKeyId {
            index: 0,
            keyid: "ed25519:0000".into()
        }))
    );
    // Swapped to another trusted key's id: that key did not sign.
    let mut envelope = original.clone();
    envelope.signatures[0].keyid = Some("other".into());
    assert_eq!(
        open_statement(&envelope, &keys),
        Err(bad_signature("other"))
    );
    // The right key under a verifier that does not trust it.
    let only_other = [("other", other_signer().verifying_key())];
    assert!(matches!(
        open_statement(&original, &only_other),
        Err(StatementError::Dsse(DsseError::UnknownKeyId { .. }))
    ));
    // Untouched, it still opens.
    assert!(open_statement(&original, &keys).is_ok());
}

#[test]
fn tamper_envelope_text() {
    let (json, keyid) = exported();
    let keys = trusted(&keyid);
    // Flip each byte of the exported JSON text. Whatever it becomes, it
    // either fails, or (when only the unauthenticated keyid hint was lost,
    // e.g. the member name became "jeyid") opens to the very same signed
    // payload and type.
    let original = import(&json);
    let mut opened_anyway = 0;
    for i in 0..json.len() {
        let mut bytes = json.clone().into_bytes();
        bytes[i] ^= 0x01;
        let Ok(envelope) = Envelope::from_json(&bytes) else {
            continue;
        };
        if let Ok(statement) = open_statement(&envelope, &keys) {
            assert_eq!(statement, certificate(), "text byte {i}");
            assert_eq!(envelope.payload, original.payload, "text byte {i}");
            assert_eq!(envelope.payload_type, original.payload_type);
            assert_eq!(envelope.signatures[0].sig, original.signatures[0].sig);
            assert_eq!(envelope.signatures[0].keyid, None, "text byte {i}");
            opened_anyway += 1;
        }
    }
    assert!(opened_anyway <= 5, "only keyid member-name flips may open");
}

fn sign_raw(payload: &[u8]) -> (Envelope, String) {
    let key = signer();
    let keyid = key_id(&key.verifying_key());
    (
        Envelope::sign(IN_TOTO_PAYLOAD_TYPE, payload, &keyid, &key),
        keyid,
    )
}

#[test]
fn signed_but_malformed_statements() {
    let good = serde_json::to_value(certificate()).expect("value");

    let (envelope, keyid) = sign_raw(b"not json");
    assert!(matches!(
        open_statement(&envelope, &trusted(&keyid)),
        Err(StatementError::MalformedStatement { .. })
    ));

    let mut v = good.clone();
    v["_type"] = json!("https://in-toto.io/Statement/v0.1");
    let (envelope, keyid) = sign_raw(v.to_string().as_bytes());
    assert_eq!(
        open_statement(&envelope, &trusted(&keyid)),
        Err(StatementError::WrongStatementType {
            found: "https://in-toto.io/Statement/v0.1".into()
        })
    );

    let mut v = good.clone();
    v["subject"] = json!([]);
    let (envelope, keyid) = sign_raw(v.to_string().as_bytes());
    assert_eq!(
        open_statement(&envelope, &trusted(&keyid)),
        Err(StatementError::NoSubject)
    );

    let mut v = good.clone();
    v["subject"][0]["digest"] = json!({"sha512": "00"});
    let (envelope, keyid) = sign_raw(v.to_string().as_bytes());
    assert_eq!(
        open_statement(&envelope, &trusted(&keyid)),
        Err(StatementError::MissingSubjectDigest {
            name: "action-0001".into()
        })
    );

    let mut v = good.clone();
    v["subject"][0]["digest"] = json!({"sha256": "ABCD"});
    let (envelope, keyid) = sign_raw(v.to_string().as_bytes());
    assert!(matches!(
        open_statement(&envelope, &trusted(&keyid)),
        Err(StatementError::InvalidSubjectDigest { .. })
    ));

    // A payload that is valid but not canonical still opens: verifiers do
    // not require canonical payloads.
    let pretty = serde_json::to_string_pretty(&good).expect("pretty");
    let (envelope, keyid) = sign_raw(pretty.as_bytes());
    assert_eq!(
        open_statement(&envelope, &trusted(&keyid)).expect("opens"),
        certificate()
    );
}
