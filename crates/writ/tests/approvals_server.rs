//! `writ approvals list|show|approve|deny --server URL`: a reviewer works a
//! real `writ serve`'s queue from the terminal (real binary, real server).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::process::Output;

use serde_json::{Value, json};
use support::{Server, writ};

/// `writ approvals ARGS --server URL` with `token` in `WRIT_TOKEN`.
fn approvals(s: &Server, token: &str, args: &[&str]) -> (i32, String, String) {
    let out: Output = writ()
        .arg("approvals")
        .args(args)
        .args(["--server", &s.url])
        .env("WRIT_TOKEN", token)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// An e-mail through an MCP tool no manifest describes: `require_approval` in `platform`.
fn email(n: u32) -> Value {
    json!({"runtime": "mcp", "session_id": "s-1", "event": {"server": {"name": "gmail"},
        "tool": {"name": "send_message", "annotations": {"openWorldHint": true}},
        "request": {"jsonrpc": "2.0", "id": n, "method": "tools/call",
          "params": {"name": "send_message", "arguments": {"to": "someone@example.net", "subject": format!("hello {n}")}}}}})
}

fn guard(s: &Server, agent: &str, n: u32) -> String {
    let (status, out) = s.post(agent, "/v1/guard", &email(n));
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["route"], "require_approval", "{out}");
    out["action_id"].as_str().unwrap().to_owned()
}

#[test]
fn a_reviewer_lists_shows_approves_and_denies_from_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), None);
    let agent = s.token("agent", "build-bot", &[]);
    let alice = s.token("approver", "alice@example.com", &["platform"]);
    let first = guard(&s, &agent, 1);
    let second = guard(&s, &agent, 2);

    let (code, out, err) = approvals(&s, &alice, &["list"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    for column in ["ID", "AGE", "TOOL", "ROUTE", "REASONS", "WHAT"] {
        assert!(lines[0].contains(column), "{out}");
    }
    for (line, id) in lines[1..].iter().zip([&first, &second]) {
        assert!(line.starts_with(id.as_str()), "{out}");
        for cell in [
            "gmail/send_message",
            "require_approval",
            "UNKNOWN_TOOL",
            "build-bot wants to use `gmail/send_message` to send to `someone@example.net`",
        ] {
            assert!(line.contains(cell), "`{cell}` in {line}");
        }
    }

    let (code, out, err) = approvals(&s, &alice, &["show", &first]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(&format!(
            "{first}  pending, route require_approval (enforced require_approval)"
        )),
        "{out}"
    );
    assert!(out.contains("needs     an approver for platform"), "{out}");
    assert!(
        out.contains("  UNKNOWN_TOOL -> require_approval in platform: "),
        "{out}"
    );
    assert!(out.contains("facts\n  "), "{out}");
    assert!(out.contains("someone@example.net"), "{out}");

    // `grant` is `approve`; a unique prefix of a pending id will do.
    let comment = "known recipient";
    let prefix = &first[..12];
    let (code, out, err) = approvals(&s, &alice, &["grant", prefix, "--comment", comment]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!("approved {first} (gmail/send_message): now released, enforced route allow\n")
    );
    let (_, view) = s.get(&agent, &format!("/v1/actions/{first}"));
    assert_eq!(view["enforced_route"], "allow");
    assert_eq!(view["reviews"][0]["by"], "alice@example.com");
    assert_eq!(view["reviews"][0]["comment"], comment);

    let (code, out, err) = approvals(&s, &alice, &["deny", &second, "--comment", "not this one"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with(&format!("denied {second}")), "{out}");
    assert!(out.contains("enforced route block"), "{out}");
    let (_, view) = s.get(&agent, &format!("/v1/actions/{second}"));
    assert_eq!(view["reviews"][0]["decision"], "deny");

    let (code, out, _) = approvals(&s, &alice, &["list"]);
    assert_eq!((code, out.as_str()), (0, "no pending actions\n"));
}

#[test]
fn refusals_and_bad_input_exit_2_with_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(dir.path(), None);
    let agent = s.token("agent", "build-bot", &[]);
    let finance = s.token("approver", "fred@example.com", &["finance"]);
    let alice = s.token("approver", "alice@example.com", &["platform"]);
    let id = guard(&s, &agent, 1);

    // An agent may not read the queue.
    let (code, out, err) = approvals(&s, &agent, &["list"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains("403") && err.contains("cannot read the approval queue"),
        "{err}"
    );
    // An approver without the jurisdiction may not approve.
    let (code, _, err) = approvals(&s, &finance, &["approve", &id]);
    assert_eq!(code, 2);
    assert!(err.contains("platform"), "{err}");
    // An unknown token.
    let (code, _, err) = approvals(&s, "writ_nope", &["list"]);
    assert_eq!(code, 2);
    assert!(err.contains("401"), "{err}");
    // No token at all.
    let out = writ()
        .args(["approvals", "list", "--server", &s.url])
        .env_remove("WRIT_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("WRIT_TOKEN"));
    // No such action.
    let (code, _, err) = approvals(&s, &alice, &["show", "act_ffff"]);
    assert_eq!(code, 2);
    assert!(err.contains("no pending action `act_ffff`"), "{err}");
    // Local-store options do not mix with --server.
    let (code, _, err) = approvals(&s, &alice, &["approve", &id, "--approver", "x"]);
    assert_eq!(code, 2);
    assert!(err.contains("--approver"), "{err}");
    // A server that is not there.
    let out = writ()
        .args(["approvals", "list", "--server", "http://127.0.0.1:9"])
        .env("WRIT_TOKEN", &alice)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unreachable"));
    // Nothing was decided along the way.
    let (_, view) = s.get(&agent, &format!("/v1/actions/{id}"));
    assert_eq!(view["status"], "pending");
}
