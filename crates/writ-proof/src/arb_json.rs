//! A proptest strategy for arbitrary JSON values, with the strings,
//! keys and numbers that canonicalisation gets wrong most easily (control
//! characters, non-BMP characters, integers around 2^53, fractions).
//! Shared by the tests of `writ-proof` and `writ-lifecycle` (`#[path]`).

use proptest::prelude::*;
use serde_json::{Value, json};

/// Values nested up to four deep.
pub fn arb_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|i| json!(i)),
        any::<u64>().prop_map(|u| json!(u)),
        (-(1i64 << 53)..=(1i64 << 53)).prop_map(|i| json!(i)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        any::<String>().prop_map(Value::String),
        "[\\x00-\\x20\"\\\\a\u{7f}\u{2028}\u{e000}\u{10000}\u{1f600}]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                ("[a-zA-Z\u{e000}\u{10000}\u{1f600}\u{7f}_]{0,4}", inner),
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
