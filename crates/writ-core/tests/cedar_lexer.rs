//! Cedar's lexer with writ's lalrpop-util patch (vendor/lalrpop-util/PATCHES.md):
//! its parsers share one compiled DFA and reuse lazy-DFA caches between
//! parses. Whatever was parsed before, from whichever thread, a text must
//! parse to the same policies, names and expressions, and fail with the
//! same error.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::str::FromStr;

use cedar_policy::{EntityTypeName, Expression, PolicySet};
use writ_core::policy::DEFAULT_PACK;

/// Policy texts: the shipped pack, the same with comments, odd spacing and
/// non-ASCII strings, and texts that must fail to lex or parse.
fn policy_texts() -> Vec<String> {
    let mut texts: Vec<String> = DEFAULT_PACK.iter().map(|(_, t)| (*t).to_owned()).collect();
    for (_, text) in DEFAULT_PACK {
        texts.push(format!("// leading comment\n{}", text.replace(' ', "  \t")));
        texts.push(text.replace("when {", "when { // é\n"));
    }
    texts.extend(
        [
            r#"permit(principal, action, resource) when { context.name == "naïve ☃ \u{1F600}" };"#,
            r#"forbid(principal, action, resource) when { "unterminated };"#,
            "permit(principal, action, resource) when { 1 @@ 2 };",
            "permit(principal, action, resource) when { context.x == 0x10 };",
            "permit(principal, action, resource) when { context.日本 == 1 };",
            "permit(principal action resource);",
            "",
        ]
        .map(str::to_owned),
    );
    texts
}

const NAMES: &[&str] = &[
    "Writ::Action",
    "Writ::Tool",
    "A::B::C",
    "ip",
    "decimal",
    "Writ::",
    "1abc",
    "if",
    "Ünïcode",
];

const EXPRESSIONS: &[&str] = &[
    r#"ip("10.0.0.1").isInRange(ip("10.0.0.0/8"))"#,
    r#"decimal("1.25") < decimal("2.5")"#,
    r#"[1, 2, 3].contains(2) && {"a": "b"}.a like "b*""#,
    r#"if true then "x" else "y""#,
    r#""open string"#,
    "1 +",
];

/// Every parse's outcome, as text, in order.
fn parse_all() -> Vec<String> {
    let mut out = Vec::new();
    for text in policy_texts() {
        out.push(match PolicySet::from_str(&text) {
            Ok(set) => set.to_json().unwrap().to_string(),
            Err(e) => format!("error: {e:?}"),
        });
        for name in NAMES {
            out.push(match EntityTypeName::from_str(name) {
                Ok(n) => format!("name: {n}"),
                Err(e) => format!("name error: {e:?}"),
            });
        }
        for expression in EXPRESSIONS {
            out.push(match Expression::from_str(expression) {
                Ok(e) => format!("expression: {e}"),
                Err(e) => format!("expression error: {e:?}"),
            });
        }
    }
    out
}

#[test]
fn parses_give_the_same_results_whatever_came_before_and_on_any_thread() {
    let first = parse_all();
    assert!(first.iter().any(|r| r.starts_with("error: ")));
    assert!(first.iter().any(|r| r.starts_with("{")));
    assert!(first.iter().any(|r| r.starts_with("name error: ")));
    assert!(first.iter().any(|r| r.starts_with("expression: ")));
    for round in 0..3 {
        assert_eq!(parse_all(), first, "round {round}");
    }
    std::thread::scope(|scope| {
        let threads: Vec<_> = (0..4).map(|_| scope.spawn(parse_all)).collect();
        for thread in threads {
            assert_eq!(thread.join().unwrap(), first);
        }
    });
}
