//! DSSE: published test vectors, round trips and refusals.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use serde_json::Value;
use writ_proof::{DsseError, Envelope, EnvelopeSignature, IN_TOTO_PAYLOAD_TYPE, key_id, pae};

const VECTORS: &str = include_str!("data/dsse-vectors.json");

fn key_from_seed(seed_hex: &str) -> SigningKey {
    let seed: [u8; 32] = hex::decode(seed_hex)
        .expect("hex")
        .try_into()
        .expect("32 bytes");
    SigningKey::from_bytes(&seed)
}

fn vector_keys(doc: &Value) -> Vec<(String, SigningKey)> {
    doc["keys"]
        .as_object()
        .expect("keys object")
        .iter()
        .map(|(name, key)| {
            let signing = key_from_seed(key["seed"].as_str().expect("seed"));
            assert_eq!(
                hex::encode(signing.verifying_key().as_bytes()),
                key["public"].as_str().expect("public"),
                "key {name}: public key derived from seed"
            );
            (name.clone(), signing)
        })
        .collect()
}

/// The DSSE repository's vectors (Ed25519 keys from RFC 8032 §7.1), run
/// through the `(t, n)` verifier, with the exact refusal checked.
#[test]
fn dsse_published_vectors() {
    let doc: Value = serde_json::from_str(VECTORS).expect("vectors parse");
    let keys = vector_keys(&doc);
    let vectors = doc["vectors"].as_array().expect("vectors");
    assert_eq!(vectors.len(), 9);
    for vector in vectors {
        let id = vector["id"].as_str().expect("id");
        let envelope: Envelope =
            serde_json::from_value(vector["envelope"].clone()).expect("envelope parses");
        let payload = envelope.payload_bytes().expect("payload decodes");

        // Our PAE is byte for byte the published one (which, in the
        // swapped vector, is over the type that was signed, not the one the
        // envelope now claims).
        let signed_type = if id == "payload-type-swapped" {
            IN_TOTO_PAYLOAD_TYPE
        } else {
            envelope.payload_type.as_str()
        };
        let published_pae = hex::decode(vector["pae"].as_str().expect("pae")).expect("hex");
        assert_eq!(pae(signed_type, &payload), published_pae, "{id}: pae");

        let trusted: Vec<(String, VerifyingKey)> = vector["trustedKeys"]
            .as_array()
            .expect("trusted")
            .iter()
            .map(|name| {
                let name = name.as_str().expect("name");
                let (_, key) = keys.iter().find(|(n, _)| n == name).expect("known key");
                (name.to_owned(), key.verifying_key())
            })
            .collect();
        let supported: Vec<&str> = vector["supportedPayloadTypes"]
            .as_array()
            .expect("types")
            .iter()
            .map(|t| t.as_str().expect("type"))
            .collect();
        let threshold = vector["threshold"].as_u64().expect("threshold") as usize;
        let result = envelope.verify_threshold(&supported, &trusted, threshold);

        match (id, vector["expect"].as_str().expect("expect")) {
            (_, "accept") => {
                let verified = result.unwrap_or_else(|e| panic!("{id}: expected accept, got {e}"));
                assert_eq!(verified.payload, payload, "{id}");
                assert_eq!(verified.signers.len(), threshold, "{id}");
            }
            ("payload-type-swapped", "reject") => assert_eq!(
                result,
                Err(DsseError::ThresholdNotMet {
                    required: 1,
                    verified: 0
                }),
                "{id}"
            ),
            ("empty-payload-type", "reject") => assert_eq!(
                result,
                Err(DsseError::UnsupportedPayloadType {
                    found: String::new()
                }),
                "{id}"
            ),
            ("threshold-two-one-key-twice", "reject") => assert_eq!(
                result,
                Err(DsseError::ThresholdNotMet {
                    required: 2,
                    verified: 1
                }),
                "{id}"
            ),
            (other, expect) => panic!("unhandled vector {other} ({expect})"),
        }

        // Ed25519 is deterministic: re-signing the published PAE with one
        // of the keys reproduces each published signature.
        for sig in &envelope.signatures {
            let reproduced = keys.iter().any(|(_, key)| {
                let ours = key.sign(&published_pae).to_bytes();
                base64_std(&ours) == sig.sig || base64_url(&ours) == sig.sig
            });
            assert!(reproduced, "{id}: signature reproduced");
        }
    }
}

fn base64_std(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE.encode(bytes)
}

/// The example in the DSSE protocol document.
#[test]
fn dsse_protocol_pae_example() {
    assert_eq!(
        pae("http://example.com/HelloWorld", b"hello world"),
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
    );
    assert_eq!(
        pae("application/vnd.in-toto+json", b""),
        b"DSSEv1 28 application/vnd.in-toto+json 0 ".to_vec()
    );
    assert_eq!(pae("", b""), b"DSSEv1 0  0 ".to_vec());
}

fn test_key(byte: u8) -> SigningKey {
    SigningKey::from_bytes(&[byte; 32])
}

const TYPE: &str = "application/vnd.example+json";

#[test]
fn round_trip_through_json() {
    let key = test_key(1);
    let keyid = key_id(&key.verifying_key());
    assert!(keyid.starts_with("ed25519:") && keyid.len() == 8 + 64);
    let envelope = Envelope::sign(TYPE, br#"{"hello":"world"}"#, &keyid, &key);
    let json = envelope.to_json();
    // Standard base64 with padding, fixed member order.
    assert!(json.starts_with(r#"{"payload":"eyJoZWxsbyI6IndvcmxkIn0=","payloadType":"application/vnd.example+json","signatures":[{"keyid":"ed25519:"#));
    let parsed = Envelope::from_json(json.as_bytes()).expect("parses");
    assert_eq!(parsed, envelope);
    let verified = parsed
        .verify(TYPE, &[(keyid.as_str(), key.verifying_key())])
        .expect("verifies");
    assert_eq!(verified.payload, br#"{"hello":"world"}"#);
    assert_eq!(verified.payload_type, TYPE);
    assert_eq!(verified.signers, vec![keyid]);
}

#[test]
fn multiple_keys_and_signatures() {
    let (a, b, c) = (test_key(1), test_key(2), test_key(3));
    let mut envelope = Envelope::sign(TYPE, b"body", "a", &a);
    envelope.add_signature("b", &b).expect("adds");
    let trusted = [
        ("c", c.verifying_key()),
        ("b", b.verifying_key()),
        ("a", a.verifying_key()),
    ];
    let verified = envelope.verify(TYPE, &trusted).expect("verifies");
    assert_eq!(verified.signers, vec!["a".to_owned(), "b".to_owned()]);
    let verified = envelope
        .verify_threshold(&[TYPE], &trusted, 2)
        .expect("meets 2");
    assert_eq!(verified.signers.len(), 2);
    assert_eq!(
        envelope.verify_threshold(&[TYPE], &trusted, 3),
        Err(DsseError::ThresholdNotMet {
            required: 3,
            verified: 2
        })
    );
    // Strict verification wants every signature to be trusted.
    assert_eq!(
        envelope.verify(TYPE, &[("a", a.verifying_key())]),
        Err(DsseError::UnknownKeyId {
            index: 1,
            keyid: "b".into()
        })
    );
}

#[test]
fn missing_keyid_tries_every_trusted_key() {
    let (a, b) = (test_key(1), test_key(2));
    let mut envelope = Envelope::sign(TYPE, b"body", "ignored", &b);
    envelope.signatures[0].keyid = None;
    let trusted = [("a", a.verifying_key()), ("b", b.verifying_key())];
    let verified = envelope.verify(TYPE, &trusted).expect("verifies");
    assert_eq!(verified.signers, vec!["b".to_owned()]);
    // An empty keyid counts as absent.
    envelope.signatures[0].keyid = Some(String::new());
    assert!(envelope.verify(TYPE, &trusted).is_ok());
    // And with no trusted key matching, it is a bad signature.
    assert_eq!(
        envelope.verify(TYPE, &[("a", a.verifying_key())]),
        Err(DsseError::BadSignature {
            index: 0,
            keyid: None
        })
    );
    // Serialised without the member.
    envelope.signatures[0].keyid = None;
    assert!(!envelope.to_json().contains("keyid"));
}

#[test]
fn refusals() {
    let key = test_key(1);
    let other = test_key(2);
    let trusted = [("k", key.verifying_key())];
    let good = Envelope::sign(TYPE, b"payload", "k", &key);
    assert!(good.verify(TYPE, &trusted).is_ok());

    // Wrong expected type.
    assert_eq!(
        good.verify("application/other", &trusted),
        Err(DsseError::PayloadTypeMismatch {
            expected: "application/other".into(),
            found: TYPE.into()
        })
    );
    // Unknown keyid.
    let mut e = good.clone();
    e.signatures[0].keyid = Some("stranger".into());
    assert_eq!(
        e.verify(TYPE, &trusted),
        Err(DsseError::UnknownKeyId {
            index: 0,
            keyid: "stranger".into()
        })
    );
    // Signed by another key under a trusted keyid.
    let forged = Envelope::sign(TYPE, b"payload", "k", &other);
    assert_eq!(
        forged.verify(TYPE, &trusted),
        Err(DsseError::BadSignature {
            index: 0,
            keyid: Some("k".into())
        })
    );
    // Payload changed.
    let mut e = good.clone();
    e.payload = base64_std(b"pAyload");
    assert_eq!(
        e.verify(TYPE, &trusted),
        Err(DsseError::BadSignature {
            index: 0,
            keyid: Some("k".into())
        })
    );
    // Malformed payload base64 (mixed alphabets, bad characters, bad length).
    for bad in ["cGF5bG9h-+==", "not base64!", "a"] {
        let mut e = good.clone();
        e.payload = bad.into();
        assert_eq!(
            e.verify(TYPE, &trusted),
            Err(DsseError::MalformedPayloadBase64),
            "{bad}"
        );
    }
    // Malformed signature base64.
    let mut e = good.clone();
    e.signatures[0].sig = "%%%".into();
    assert_eq!(
        e.verify(TYPE, &trusted),
        Err(DsseError::MalformedSignatureBase64 { index: 0 })
    );
    // Signature of the wrong length.
    let mut e = good.clone();
    e.signatures[0].sig = base64_std(&[0u8; 63]);
    assert_eq!(
        e.verify(TYPE, &trusted),
        Err(DsseError::WrongSignatureLength {
            index: 0,
            length: 63
        })
    );
    // No signatures.
    let mut e = good.clone();
    e.signatures.clear();
    assert_eq!(e.verify(TYPE, &trusted), Err(DsseError::NoSignatures));
    // Second signature bad: strict verification refuses the envelope.
    let mut e = good.clone();
    e.signatures.push(EnvelopeSignature {
        keyid: Some("k".into()),
        sig: base64_std(&other.sign(b"whatever").to_bytes()),
    });
    assert_eq!(
        e.verify(TYPE, &trusted),
        Err(DsseError::BadSignature {
            index: 1,
            keyid: Some("k".into())
        })
    );
    // ...while the threshold verifier skips it.
    assert!(e.verify_threshold(&[TYPE], &trusted, 1).is_ok());
    // No trusted keys, zero threshold.
    let none: [(&str, VerifyingKey); 0] = [];
    assert_eq!(good.verify(TYPE, &none), Err(DsseError::NoTrustedKeys));
    assert_eq!(
        good.verify_threshold(&[TYPE], &trusted, 0),
        Err(DsseError::InvalidThreshold)
    );
    // Not an envelope at all.
    assert!(matches!(
        Envelope::from_json(br#"{"payload":"", "signatures":[]}"#),
        Err(DsseError::MalformedEnvelope { .. })
    ));
    assert!(matches!(
        Envelope::from_json(b"not json"),
        Err(DsseError::MalformedEnvelope { .. })
    ));
}

#[test]
fn accepts_url_safe_and_unpadded_base64() {
    let key = test_key(7);
    let payload = [0xfb_u8, 0xff, 0xbf, 0x3e, 0x3f];
    let mut envelope = Envelope::sign(IN_TOTO_PAYLOAD_TYPE, &payload, "k", &key);
    assert_eq!(envelope.payload, "+/+/Pj8=");
    envelope.payload = "-_-_Pj8".into();
    envelope.signatures[0].sig = envelope.signatures[0]
        .sig
        .replace('+', "-")
        .replace('/', "_")
        .trim_end_matches('=')
        .to_owned();
    let verified = envelope
        .verify(IN_TOTO_PAYLOAD_TYPE, &[("k", key.verifying_key())])
        .expect("url-safe accepted");
    assert_eq!(verified.payload, payload);
}
