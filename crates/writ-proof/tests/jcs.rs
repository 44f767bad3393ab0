//! RFC 8785 canonicalisation and digests.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use writ_proof::{
    CanonicalError, Digest, DigestParseError, canonical_bytes, canonical_string, digest_bytes,
    digest_json,
};

fn canon(text: &str) -> String {
    let value: Value = serde_json::from_str(text).expect("test input parses");
    canonical_string(&value).expect("canonicalises")
}

/// RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text.
#[test]
fn rfc8785_appendix_b_numbers() {
    let vectors: &[(u64, &str)] = &[
        (0x0000000000000000, "0"),
        (0x8000000000000000, "0"),
        (0x0000000000000001, "5e-324"),
        (0x8000000000000001, "-5e-324"),
        (0x7fefffffffffffff, "1.7976931348623157e+308"),
        (0xffefffffffffffff, "-1.7976931348623157e+308"),
        (0x4340000000000000, "9007199254740992"),
        (0xc340000000000000, "-9007199254740992"),
        (0x4430000000000000, "295147905179352830000"),
        (0x44b52d02c7e14af5, "9.999999999999997e+22"),
        (0x44b52d02c7e14af6, "1e+23"),
        (0x44b52d02c7e14af7, "1.0000000000000001e+23"),
        (0x444b1ae4d6e2ef4e, "999999999999999700000"),
        (0x444b1ae4d6e2ef4f, "999999999999999900000"),
        (0x444b1ae4d6e2ef50, "1e+21"),
        (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"),
        (0x3eb0c6f7a0b5ed8d, "0.000001"),
        (0x41b3de4355555553, "333333333.3333332"),
        (0x41b3de4355555554, "333333333.33333325"),
        (0x41b3de4355555555, "333333333.3333333"),
        (0x41b3de4355555556, "333333333.3333334"),
        (0x41b3de4355555557, "333333333.33333343"),
        (0xbecbf647612f3696, "-0.0000033333333333333333"),
        (0x43143ff3c1cb0959, "1424953923781206.2"),
    ];
    for &(bits, expected) in vectors {
        let value = Value::from(f64::from_bits(bits));
        let got = canonical_string(&value).expect("finite number canonicalises");
        assert_eq!(got, expected, "bits {bits:016x}");
        // The canonical text parses back to the same double.
        let reparsed: f64 = got.parse().expect("parses");
        assert_eq!(
            reparsed,
            f64::from_bits(bits),
            "bits {bits:016x} round trip"
        );
    }
}

/// NaN and infinities have no JSON value: `serde_json` cannot even hold
/// them, and `Value::from` maps them to null.
#[test]
fn non_finite_numbers_are_not_numbers() {
    assert_eq!(Value::from(f64::NAN), Value::Null);
    assert_eq!(Value::from(f64::INFINITY), Value::Null);
}

/// RFC 8785 §3.2.2 / cyberphone testdata `values.json`.
#[test]
fn rfc8785_values_example() {
    let input = r#"{
  "numbers": [1E30, 4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001],
  "escaping": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}"#;
    let expected = r#"{"escaping":"€$\u000f\nA'B\"\\\\\"/","literals":[null,true,false],"numbers":[1e+30,4.5,333333333.3333333,0.002,1e-27]}"#;
    assert_eq!(canon(input), expected);
}

/// RFC 8785 §3.2.3 sorting example / cyberphone testdata `weird.json`.
#[test]
fn rfc8785_sorting_example() {
    let input = r#"{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}"#;
    let got = canon(input);
    let expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\
                    \"\u{f6}\":\"Latin Small Letter O With Diaeresis\",\"\u{20ac}\":\"Euro Sign\",\
                    \"\u{1f600}\":\"Emoji: Grinning Face\",\
                    \"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}";
    assert_eq!(got, expected);
}

#[test]
fn cyberphone_weird() {
    let input = r#"{
  "\u20ac": "Euro Sign",
  "1": "One",
  "\u0080": "Control\u007f",
  "\ud83d\ude02": "Smiley",
  "\u00f6": "Latin Small Letter O With Diaeresis",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "</script>": "Browser Challenge"
}"#;
    let expected = "{\"1\":\"One\",\"</script>\":\"Browser Challenge\",\"\u{80}\":\"Control\u{7f}\",\
                    \"\u{f6}\":\"Latin Small Letter O With Diaeresis\",\"\u{20ac}\":\"Euro Sign\",\
                    \"\u{1f602}\":\"Smiley\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}";
    assert_eq!(canon(input), expected);
}

#[test]
fn cyberphone_french() {
    let input = r#"{
  "peach": "This sorting order",
  "péché": "is wrong according to French",
  "pêche": "but canonicalization MUST",
  "sin":   "ingnore locale"
}"#;
    let expected = r#"{"peach":"This sorting order","péché":"is wrong according to French","pêche":"but canonicalization MUST","sin":"ingnore locale"}"#;
    assert_eq!(canon(input), expected);
}

#[test]
fn cyberphone_structures() {
    let input = r#"{
  "1": {"f": {"f": "hi","F": 5} ,"\n": 56.0},
  "10": { },
  "": "empty",
  "a": { },
  "111": [ { } ],
  "A": { }
}"#;
    let expected =
        r#"{"":"empty","1":{"\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{}],"A":{},"a":{}}"#;
    assert_eq!(canon(input), expected);
}

#[test]
fn cyberphone_arrays() {
    let input = "[\n  56,\n  {\n    \"d\": true,\n    \"10\": null,\n    \"1\": [ ]\n  }\n]";
    assert_eq!(canon(input), r#"[56,{"1":[],"10":null,"d":true}]"#);
}

/// Unicode is not normalised (cyberphone testdata `unicode.json`).
#[test]
fn cyberphone_unicode_not_normalised() {
    let input = r#"{"Unnormalized Unicode":"\u1e0d\u0307"}"#;
    assert_eq!(
        canon(input),
        "{\"Unnormalized Unicode\":\"\u{1e0d}\u{307}\"}"
    );
}

#[test]
fn cyberphone_simple_string() {
    let input = r#""\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/""#;
    assert_eq!(canon(input), "\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"");
}

/// The workspace's serde_json keeps insertion order (`preserve_order`);
/// canonicalisation must sort anyway.
#[test]
fn sorts_keys_despite_preserve_order() {
    let mut map = Map::new();
    map.insert("zebra".into(), json!(1));
    map.insert("apple".into(), json!({"y": 2, "b": 3}));
    map.insert("Mango".into(), json!([{"z": 0, "a": 0}]));
    let value = Value::Object(map);
    // The map really is in insertion order.
    assert_eq!(
        serde_json::to_string(&value).expect("serialises"),
        r#"{"zebra":1,"apple":{"y":2,"b":3},"Mango":[{"z":0,"a":0}]}"#
    );
    assert_eq!(
        canonical_string(&value).expect("canonicalises"),
        r#"{"Mango":[{"a":0,"z":0}],"apple":{"b":3,"y":2},"zebra":1}"#
    );
}

#[test]
fn sorting_uses_utf16_code_units_not_code_points() {
    // U+FB33 (one UTF-16 unit 0xFB33) sorts after U+1F600 (surrogates
    // 0xD83D 0xDE00), although its code point is smaller.
    let value = json!({"\u{fb33}": 1, "\u{1f600}": 2});
    assert_eq!(
        canonical_string(&value).expect("canonicalises"),
        "{\"\u{1f600}\":2,\"\u{fb33}\":1}"
    );
}

#[test]
fn integers_that_canonicalisation_would_round_are_refused() {
    let max_safe = 9_007_199_254_740_991_i64;
    assert_eq!(
        canonical_string(&json!([
            max_safe,
            -max_safe,
            1_i64 << 53,
            -(1_i64 << 53),
            1_152_921_504_606_847_000_u64,
            -9_223_372_036_854_776_000_i128 as f64,
        ]))
        .expect("exact"),
        "[9007199254740991,-9007199254740991,9007199254740992,-9007199254740992,1152921504606847000,-9223372036854776000]"
    );
    for value in [
        json!(max_safe + 2),
        json!(-max_safe - 2),
        json!({"a": [u64::MAX]}),
        json!({"nested": {"n": i64::MAX}}),
        json!([(1_u64 << 60) + 1]),
        json!(1_u64 << 60),
        json!(i64::MIN),
    ] {
        assert!(
            matches!(
                canonical_bytes(&value),
                Err(CanonicalError::UnsafeInteger { .. })
            ),
            "{value} should be refused"
        );
    }
    // 2^53 + 1 would round to 2^53: two different arguments, one digest.
    assert!(matches!(
        digest_json(&json!(9_007_199_254_740_993_u64)),
        Err(CanonicalError::UnsafeInteger { .. })
    ));
}

#[test]
fn digest_of_empty_input_and_display_parse() {
    let empty = digest_bytes(b"");
    assert_eq!(
        empty.to_string(),
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let parsed: Digest = empty.to_string().parse().expect("parses");
    assert_eq!(parsed, empty);
    // JSON digest = digest of canonical bytes.
    let value = json!({"b": 1, "a": "x"});
    assert_eq!(
        digest_json(&value).expect("digest"),
        digest_bytes(br#"{"a":"x","b":1}"#)
    );
    // serde form is the string.
    assert_eq!(
        serde_json::to_value(empty).expect("serialises"),
        json!(empty.to_string())
    );
}

#[test]
fn digest_parse_errors() {
    let hex64 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    assert_eq!(
        hex64.parse::<Digest>(),
        Err(DigestParseError::MissingPrefix)
    );
    assert_eq!(
        format!("sha512:{hex64}").parse::<Digest>(),
        Err(DigestParseError::MissingPrefix)
    );
    assert_eq!(
        "sha256:abcd".parse::<Digest>(),
        Err(DigestParseError::WrongLength { found: 4 })
    );
    assert_eq!(
        format!("sha256:{}", hex64.to_uppercase()).parse::<Digest>(),
        Err(DigestParseError::NotLowercaseHex)
    );
    let mut bad = hex64.to_owned();
    bad.replace_range(0..1, "g");
    assert_eq!(
        format!("sha256:{bad}").parse::<Digest>(),
        Err(DigestParseError::NotLowercaseHex)
    );
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-(1_i64 << 53) + 1..(1_i64 << 53)).prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((any::<String>(), inner), 0..8)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(xs), Value::Array(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(xs), Value::Object(ys)) => {
            xs.len() == ys.len()
                && xs
                    .iter()
                    .all(|(k, x)| ys.get(k).is_some_and(|y| same_json(x, y)))
        }
        _ => a == b,
    }
}

/// Rebuilds every object with its members inserted in reverse order.
fn reverse_key_order(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(reverse_key_order).collect()),
        Value::Object(map) => {
            let mut reversed = Map::new();
            for (k, v) in map.iter().rev() {
                reversed.insert(k.clone(), reverse_key_order(v));
            }
            Value::Object(reversed)
        }
        other => other.clone(),
    }
}

proptest! {
    #[test]
    fn canonicalisation_is_idempotent(value in arb_json()) {
        let once = canonical_bytes(&value).expect("canonicalises");
        let reparsed: Value = serde_json::from_slice(&once).expect("canonical output is json");
        let twice = canonical_bytes(&reparsed).expect("canonicalises");
        prop_assert_eq!(&once, &twice);
        // And it loses nothing (numbers compared as doubles: `1.0` is
        // written `1` and comes back as an integer).
        prop_assert!(same_json(&reparsed, &value), "{} vs {}", reparsed, value);
    }

    #[test]
    fn canonicalisation_ignores_key_order(value in arb_json()) {
        let reversed = reverse_key_order(&value);
        prop_assert_eq!(
            canonical_bytes(&value).expect("canonicalises"),
            canonical_bytes(&reversed).expect("canonicalises")
        );
        prop_assert_eq!(
            digest_json(&value).expect("digest"),
            digest_json(&reversed).expect("digest")
        );
    }

    #[test]
    fn integers_are_exact_or_refused(n in any::<i64>(), u in any::<u64>()) {
        for (value, decimal) in [(json!(n), n.to_string()), (json!(u), u.to_string())] {
            match canonical_string(&value) {
                Ok(text) => prop_assert_eq!(text, decimal),
                Err(CanonicalError::UnsafeInteger { value: shown }) => prop_assert_eq!(shown, decimal),
                Err(other) => prop_assert!(false, "unexpected {other:?}"),
            }
        }
    }

    #[test]
    fn random_objects_ignore_insertion_order(
        pairs in prop::collection::btree_map(any::<String>(), any::<i32>(), 0..16),
        seed in any::<u64>(),
    ) {
        let forward: Map<String, Value> =
            pairs.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
        // A seed-driven rotation of the insertion order.
        let entries: Vec<_> = pairs.iter().collect();
        let mut shuffled = Map::new();
        if !entries.is_empty() {
            let offset = (seed % entries.len() as u64) as usize;
            for i in 0..entries.len() {
                let (k, v) = entries[(i + offset) % entries.len()];
                shuffled.insert(k.clone(), json!(v));
            }
        }
        prop_assert_eq!(
            canonical_bytes(&Value::Object(forward)).expect("canonicalises"),
            canonical_bytes(&Value::Object(shuffled)).expect("canonicalises")
        );
    }
}

proptest! {
    #[test]
    fn digests_print_as_hex_encode_does(bytes in prop::array::uniform32(any::<u8>())) {
        let digest = Digest::from_bytes(bytes);
        let hex = hex::encode(bytes);
        prop_assert_eq!(digest.hex(), hex.clone());
        prop_assert_eq!(digest.to_string(), format!("sha256:{hex}"));
        prop_assert_eq!(digest.to_string().parse::<Digest>().unwrap(), digest);
    }
}
