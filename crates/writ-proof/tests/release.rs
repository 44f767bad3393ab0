//! Release tokens: the success path and every refusal.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signer as _, SigningKey};
use serde_json::{Value, json};
use writ_proof::{
    Digest, MAX_TOKEN_LEN, MemoryNonceStore, Nonce, NonceStore, NonceStoreError,
    RELEASE_PAYLOAD_TYPE, ReleaseClaims, ReleaseError, canonical_bytes, digest_bytes, digest_json,
    inspect_release_unverified, issue_release, pae, unix_now, verify_release, verify_release_now,
};

const T0: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

fn gateway_key() -> SigningKey {
    SigningKey::from_bytes(&[9; 32])
}

fn arguments() -> Value {
    json!({"path": "/repo/build", "recursive": true, "retries": 3})
}

fn claims() -> ReleaseClaims {
    ReleaseClaims {
        action_digest: digest_bytes(b"action"),
        arguments_digest: digest_json(&arguments()).expect("digest"),
        policy_digest: digest_bytes(b"policy"),
        nonce: Nonce::from_bytes([0xab; 16]),
        issued_at: T0,
        expires_at: T0 + 60,
    }
}

fn token() -> String {
    issue_release(&claims(), &gateway_key()).expect("issues")
}

/// Signs arbitrary claim bytes the way a token is signed.
fn token_over(body: &[u8], key: &SigningKey) -> String {
    let sig = key.sign(&pae(RELEASE_PAYLOAD_TYPE, body));
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(body),
        URL_SAFE_NO_PAD.encode(sig.to_bytes())
    )
}

fn verify(
    token: &str,
    args: &Value,
    now: i64,
    store: &mut MemoryNonceStore,
) -> Result<ReleaseClaims, ReleaseError> {
    verify_release(token, &gateway_key().verifying_key(), args, now, store)
}

#[test]
fn success_path_and_format() {
    let token = token();
    let (body, sig) = token.split_once('.').expect("two parts");
    assert_eq!(URL_SAFE_NO_PAD.decode(sig).expect("sig").len(), 64);
    let body = URL_SAFE_NO_PAD.decode(body).expect("body");
    let expected = format!(
        r#"{{"action_digest":"{}","arguments_digest":"{}","expires_at":{},"issued_at":{},"nonce":"abababababababababababababababab","policy_digest":"{}"}}"#,
        digest_bytes(b"action"),
        digest_json(&arguments()).expect("digest"),
        T0 + 60,
        T0,
        digest_bytes(b"policy"),
    );
    assert_eq!(String::from_utf8(body).expect("utf8"), expected);

    let mut store = MemoryNonceStore::new();
    // Valid from issued_at inclusive to expires_at exclusive.
    for now in [T0, T0 + 30, T0 + 59] {
        let mut fresh = MemoryNonceStore::new();
        assert_eq!(
            verify(&token, &arguments(), now, &mut fresh).expect("valid"),
            claims()
        );
    }
    let got = verify(&token, &arguments(), T0 + 1, &mut store).expect("valid");
    assert_eq!(got, claims());
    assert!(store.contains(&claims().nonce));
    assert_eq!(
        inspect_release_unverified(&token).expect("decodes"),
        claims()
    );
}

#[test]
fn arguments_compare_canonically() {
    let token = token();
    let mut store = MemoryNonceStore::new();
    // Same arguments, other member order and number spelling.
    let reordered: Value =
        serde_json::from_str(r#"{"retries": 3.0, "recursive": true, "path": "/repo/build"}"#)
            .expect("json");
    assert!(verify(&token, &reordered, T0, &mut store).is_ok());
}

#[test]
fn refuses_replay() {
    let token = token();
    let mut store = MemoryNonceStore::new();
    verify(&token, &arguments(), T0, &mut store).expect("first use");
    match verify(&token, &arguments(), T0 + 1, &mut store) {
        Err(ReleaseError::Replayed { nonce }) => assert_eq!(nonce, claims().nonce),
        other => panic!("expected Replayed, got {other:?}"),
    }
    // A different token with the same nonce is a replay too.
    let mut again = claims();
    again.expires_at += 10;
    let token2 = issue_release(&again, &gateway_key()).expect("issues");
    assert!(matches!(
        verify(&token2, &arguments(), T0 + 2, &mut store),
        Err(ReleaseError::Replayed { .. })
    ));
}

#[test]
fn refuses_expired_and_not_yet_valid() {
    let token = token();
    let mut store = MemoryNonceStore::new();
    for now in [T0 + 60, T0 + 61, T0 + 1_000_000] {
        match verify(&token, &arguments(), now, &mut store) {
            Err(ReleaseError::Expired { expires_at, now: n }) => {
                assert_eq!((expires_at, n), (T0 + 60, now));
            }
            other => panic!("expected Expired at {now}, got {other:?}"),
        }
    }
    for now in [T0 - 1, T0 - 3600] {
        match verify(&token, &arguments(), now, &mut store) {
            Err(ReleaseError::NotYetValid { issued_at, now: n }) => {
                assert_eq!((issued_at, n), (T0, now));
            }
            other => panic!("expected NotYetValid at {now}, got {other:?}"),
        }
    }
    // Refusals do not burn the nonce.
    assert!(store.is_empty());
    assert!(verify(&token, &arguments(), T0, &mut store).is_ok());
}

#[test]
fn refuses_other_arguments() {
    let token = token();
    let mut store = MemoryNonceStore::new();
    let changed = [
        json!({"path": "/", "recursive": true, "retries": 3}),
        json!({"path": "/repo/build", "recursive": true, "retries": 4}),
        json!({"path": "/repo/build", "recursive": true}),
        json!({"path": "/repo/build", "recursive": true, "retries": 3, "extra": null}),
        json!(null),
    ];
    for args in changed {
        match verify(&token, &args, T0, &mut store) {
            Err(ReleaseError::ArgumentsMismatch { released, actual }) => {
                assert_eq!(released, claims().arguments_digest);
                assert_eq!(actual, digest_json(&args).expect("digest"));
            }
            other => panic!("expected ArgumentsMismatch for {args}, got {other:?}"),
        }
    }
    // Arguments that cannot be canonicalised are refused, not rounded.
    assert!(matches!(
        verify(
            &token,
            &json!({"n": 9_007_199_254_740_993_u64}),
            T0,
            &mut store
        ),
        Err(ReleaseError::Canonical(_))
    ));
    // The nonce survived all of that.
    assert!(verify(&token, &arguments(), T0, &mut store).is_ok());
}

#[test]
fn refuses_bad_signatures() {
    let mut store = MemoryNonceStore::new();
    // Signed by another key.
    let forged = issue_release(&claims(), &SigningKey::from_bytes(&[8; 32])).expect("issues");
    assert!(matches!(
        verify(&forged, &arguments(), T0, &mut store),
        Err(ReleaseError::BadSignature)
    ));
    // Claims changed under the original signature (later expiry).
    let token = token();
    let (_, sig) = token.split_once('.').expect("two parts");
    let mut longer = claims();
    longer.expires_at += 3600;
    let body = canonical_bytes(&serde_json::to_value(&longer).expect("value")).expect("canon");
    let spliced = format!("{}.{sig}", URL_SAFE_NO_PAD.encode(&body));
    assert!(matches!(
        verify(&spliced, &arguments(), T0, &mut store),
        Err(ReleaseError::BadSignature)
    ));
    // Every signature byte flipped.
    let raw_sig = URL_SAFE_NO_PAD.decode(sig).expect("sig");
    let (body_part, _) = token.split_once('.').expect("two parts");
    for i in 0..raw_sig.len() {
        let mut bad = raw_sig.clone();
        bad[i] ^= 0x01;
        let tampered = format!("{body_part}.{}", URL_SAFE_NO_PAD.encode(&bad));
        assert!(
            matches!(
                verify(&tampered, &arguments(), T0, &mut store),
                Err(ReleaseError::BadSignature)
            ),
            "sig byte {i}"
        );
    }
    // Every claims byte flipped.
    let raw_body = URL_SAFE_NO_PAD.decode(body_part).expect("body");
    for i in 0..raw_body.len() {
        let mut bad = raw_body.clone();
        bad[i] ^= 0x01;
        let tampered = format!("{}.{sig}", URL_SAFE_NO_PAD.encode(&bad));
        assert!(
            matches!(
                verify(&tampered, &arguments(), T0, &mut store),
                Err(ReleaseError::BadSignature)
            ),
            "claims byte {i}"
        );
    }
    // A signature over the bare claims (no PAE) is not a release signature.
    let bare = gateway_key().sign(&raw_body);
    let bare_token = format!("{body_part}.{}", URL_SAFE_NO_PAD.encode(bare.to_bytes()));
    assert!(matches!(
        verify(&bare_token, &arguments(), T0, &mut store),
        Err(ReleaseError::BadSignature)
    ));
    // Nor is a DSSE signature over the same bytes with another type.
    let other_type = gateway_key().sign(&pae("application/vnd.writ.receipt+json", &raw_body));
    let other_token = format!(
        "{body_part}.{}",
        URL_SAFE_NO_PAD.encode(other_type.to_bytes())
    );
    assert!(matches!(
        verify(&other_token, &arguments(), T0, &mut store),
        Err(ReleaseError::BadSignature)
    ));
    assert!(store.is_empty());
}

#[test]
fn refuses_malformed_tokens() {
    let mut store = MemoryNonceStore::new();
    let token = token();
    let (body, sig) = token.split_once('.').expect("two parts");
    let cases = [
        String::new(),
        "no-separator".to_owned(),
        format!("{token}.extra"),
        format!("{body}=.{sig}"),
        format!("{body}.{sig}=="),
        format!("{}.{sig}", body.replace('-', "+").replace('_', "/") + "*"),
        format!("{body}.{}", URL_SAFE_NO_PAD.encode([0u8; 63])),
        format!("{body}."),
    ];
    for case in &cases {
        assert!(
            matches!(
                verify(case, &arguments(), T0, &mut store),
                Err(ReleaseError::MalformedToken { .. })
            ),
            "{case:?}"
        );
    }
    let huge = "a".repeat(MAX_TOKEN_LEN + 1);
    assert!(matches!(
        verify(&huge, &arguments(), T0, &mut store),
        Err(ReleaseError::TokenTooLong { length, max }) if length == MAX_TOKEN_LEN + 1 && max == MAX_TOKEN_LEN
    ));
}

#[test]
fn refuses_signed_but_malformed_claims() {
    let key = gateway_key();
    let mut store = MemoryNonceStore::new();
    let good = serde_json::to_value(claims()).expect("value");

    let mut extra = good.clone();
    extra["admin"] = json!(true);
    let mut missing = good.clone();
    missing.as_object_mut().expect("object").remove("nonce");
    let mut bad_digest = good.clone();
    bad_digest["policy_digest"] = json!("md5:abc");
    let mut bad_nonce = good.clone();
    bad_nonce["nonce"] = json!("ABABABABABABABABABABABABABABABAB");
    let mut string_time = good.clone();
    string_time["expires_at"] = json!("2026-01-01T00:01:00Z");
    for value in [
        extra,
        missing,
        bad_digest,
        bad_nonce,
        string_time,
        json!([1, 2]),
    ] {
        let body = canonical_bytes(&value).expect("canon");
        assert!(
            matches!(
                verify(&token_over(&body, &key), &arguments(), T0, &mut store),
                Err(ReleaseError::MalformedClaims { .. })
            ),
            "{value}"
        );
    }
    assert!(matches!(
        verify(&token_over(b"\xff\xfe", &key), &arguments(), T0, &mut store),
        Err(ReleaseError::MalformedClaims { .. })
    ));

    // Right claims, non-canonical bytes.
    let pretty = serde_json::to_vec_pretty(&good).expect("pretty");
    assert!(matches!(
        verify(&token_over(&pretty, &key), &arguments(), T0, &mut store),
        Err(ReleaseError::NonCanonicalClaims)
    ));
    let insertion_order = serde_json::to_vec(&claims()).expect("json");
    assert_ne!(insertion_order, canonical_bytes(&good).expect("canon"));
    assert!(matches!(
        verify(
            &token_over(&insertion_order, &key),
            &arguments(),
            T0,
            &mut store
        ),
        Err(ReleaseError::NonCanonicalClaims)
    ));

    // Empty validity window, signed anyway.
    let mut empty_window = good.clone();
    empty_window["expires_at"] = json!(T0);
    let body = canonical_bytes(&empty_window).expect("canon");
    assert!(matches!(
        verify(&token_over(&body, &key), &arguments(), T0, &mut store),
        Err(ReleaseError::InvalidWindow { issued_at, expires_at }) if issued_at == T0 && expires_at == T0
    ));
    assert!(store.is_empty());
}

#[test]
fn issuing_refuses_an_empty_window() {
    let mut c = claims();
    c.expires_at = c.issued_at;
    assert!(matches!(
        issue_release(&c, &gateway_key()),
        Err(ReleaseError::InvalidWindow { .. })
    ));
    c.expires_at = c.issued_at - 1;
    assert!(matches!(
        issue_release(&c, &gateway_key()),
        Err(ReleaseError::InvalidWindow { .. })
    ));
}

struct BrokenStore;

impl NonceStore for BrokenStore {
    fn check_and_insert(&mut self, _: &Nonce, _: i64) -> Result<bool, NonceStoreError> {
        Err(NonceStoreError::new("database is locked"))
    }
}

#[test]
fn nonce_store_failure_refuses() {
    let result = verify_release(
        &token(),
        &gateway_key().verifying_key(),
        &arguments(),
        T0,
        &mut BrokenStore,
    );
    match result {
        Err(ReleaseError::NonceStore(e)) => assert_eq!(e.to_string(), "database is locked"),
        other => panic!("expected NonceStore, got {other:?}"),
    }
}

#[test]
fn nonces_and_store() {
    let a = Nonce::random();
    let b = Nonce::random();
    assert_ne!(a, b);
    let text = a.to_string();
    assert_eq!(text.len(), 32);
    assert!(text.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')));
    assert_eq!(text.parse::<Nonce>().expect("parses"), a);
    for bad in [
        "",
        "ab",
        &text.to_uppercase(),
        &format!("{text}00"),
        "zz".repeat(16).as_str(),
    ] {
        assert!(bad.parse::<Nonce>().is_err(), "{bad:?}");
    }

    let mut store = MemoryNonceStore::new();
    assert!(store.check_and_insert(&a, T0 + 10).expect("ok"));
    assert!(!store.check_and_insert(&a, T0 + 10).expect("ok"));
    assert!(store.check_and_insert(&b, T0 + 20).expect("ok"));
    assert_eq!(store.len(), 2);
    store.prune_expired(T0 + 10);
    assert_eq!(store.len(), 1);
    assert!(!store.contains(&a));
    assert!(store.contains(&b));
}

#[test]
fn for_arguments_and_clock_edge() {
    let now = unix_now();
    let c = ReleaseClaims::for_arguments(
        digest_bytes(b"action"),
        &arguments(),
        digest_bytes(b"policy"),
        now,
        30,
    )
    .expect("claims");
    assert_eq!(c.expires_at, now + 30);
    assert_eq!(
        c.arguments_digest,
        digest_json(&arguments()).expect("digest")
    );
    let token = issue_release(&c, &gateway_key()).expect("issues");
    let mut store = MemoryNonceStore::new();
    let got = verify_release_now(
        &token,
        &gateway_key().verifying_key(),
        &arguments(),
        &mut store,
    )
    .expect("valid now");
    assert_eq!(got, c);
    let _: Digest = got.policy_digest;
}
