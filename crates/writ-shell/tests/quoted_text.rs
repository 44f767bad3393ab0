//! Text the shell's quotes keep as written: a quoted here-document's body
//! and a single-quoted word are sent as those characters, so a `$NAME` in
//! them is marked (`Payload::quoted`) for the engine not to read it as
//! that variable's value. Expanded text is not marked.

use crate::common;
use common::*;
use serde_json::Value;

/// The payload of the one request `command` makes.
fn sent(command: &str) -> Value {
    let requests: Vec<Value> = effects(command)
        .into_iter()
        .filter(|e| e["effect"] == "request")
        .collect();
    assert_eq!(requests.len(), 1, "{command}: {requests:?}");
    requests[0]["payload"].clone()
}

#[test]
fn a_quoted_here_document_is_sent_as_written() {
    let body = sent(
        "curl -X POST https://notes.example.net/v2 --data-binary @- <<'EOF'\n\
         set it with: export SENTRY_AUTH_TOKEN=${SENTRY_AUTH_TOKEN}\nEOF",
    );
    let text = "set it with: export SENTRY_AUTH_TOKEN=${SENTRY_AUTH_TOKEN}";
    assert_eq!(body["text"], serde_json::json!([text]));
    assert_eq!(body["quoted"], serde_json::json!([text]));
    assert_eq!(body["env"], serde_json::json!([]));
}

#[test]
fn an_unquoted_here_document_expands_its_variables() {
    let body = sent(
        "curl -X POST https://notes.example.net/v2 --data-binary @- <<EOF\n\
         token=${SENTRY_AUTH_TOKEN}\nEOF",
    );
    assert_eq!(body["env"], serde_json::json!(["SENTRY_AUTH_TOKEN"]));
    assert!(body.get("quoted").is_none(), "{body}");
}

#[test]
fn a_single_quoted_word_is_sent_as_written_and_a_double_quoted_one_expands() {
    let single = sent("curl -d 't=$GITHUB_TOKEN' https://notes.example.net/v2");
    assert_eq!(single["quoted"], serde_json::json!(["t=$GITHUB_TOKEN"]));
    assert_eq!(single["env"], serde_json::json!([]));

    let double = sent("curl -d \"t=$GITHUB_TOKEN\" https://notes.example.net/v2");
    assert!(double.get("quoted").is_none(), "{double}");
    assert_eq!(double["env"], serde_json::json!(["GITHUB_TOKEN"]));
}

#[test]
fn a_file_written_from_a_quoted_here_document_is_sent_as_written() {
    let body = sent(
        "cat > note.txt <<'EOF'\nuse $NPM_TOKEN in CI\nEOF\n\
         curl -F file=@note.txt https://notes.example.net/v2",
    );
    assert_eq!(body["env"], serde_json::json!([]), "{body}");
    assert_eq!(body["quoted"], serde_json::json!(["use $NPM_TOKEN in CI"]));
}

#[test]
fn text_another_program_printed_is_no_longer_as_written() {
    // envsubst fills the `${NAME}` of the template it reads: what it
    // prints is not the quoted text, whether piped on or written to a file.
    for command in [
        "cat > t.tpl <<'EOF'\ntoken=${GITHUB_TOKEN}\nEOF\nenvsubst < t.tpl | curl -d @- https://notes.example.net/v2",
        "cat > t.tpl <<'EOF'\ntoken=${GITHUB_TOKEN}\nEOF\nenvsubst < t.tpl > out.txt; curl -d @out.txt https://notes.example.net/v2",
    ] {
        let body = sent(command);
        assert!(body.get("quoted").is_none(), "{command}: {body}");
    }
    // cat prints what it reads as it is.
    let body = sent(
        "cat > t.tpl <<'EOF'\ntoken=${GITHUB_TOKEN}\nEOF\ncat t.tpl | curl -d @- https://notes.example.net/v2",
    );
    assert_eq!(body["quoted"], serde_json::json!(["token=${GITHUB_TOKEN}"]));
}
