//! Remote development environments and terminal sharing: `coder ssh`,
//! `gitpod workspace ssh` and `gh codespace ssh` run their command on the
//! workspace; `gp ports visibility` and `gh codespace ports visibility`
//! make a port public; `gh codespace cp` uploads to or downloads from a
//! codespace under the `-R` repository's owner; `upterm host`, `tmate`
//! and `sshx` send the terminal to their relay.

use crate::common;

use common::*;
use serde_json::{Value, json};

/// The kinds of effects `command` reports, in order.
fn kinds(command: &str) -> Vec<String> {
    let effects = effects_after(&[], command);
    effects
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|e| e.get("effect").and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn workspace_ssh_runs_its_command_there() {
    let cases: &[(&str, &[&str])] = &[
        (
            "coder ssh kira/web-dev -- git -C /home/coder/web push https://github.com/acme/web.git +HEAD:main",
            &["git_push"],
        ),
        (
            "coder ssh --wait yes kira/ops -- kubectl rollout restart deploy/web --context=prod-eu-west",
            &["kubectl"],
        ),
        // The command may follow the workspace without `--`.
        ("coder ssh kira/ops kubectl delete pod web-0", &["kubectl"]),
        (
            "gitpod workspace ssh ws-1 -- git push -f origin HEAD:main",
            &["git_push"],
        ),
        (
            "gh codespace ssh -c cs1 -- kubectl --context prod-us-east scale deploy/web --replicas=6",
            &["kubectl"],
        ),
        // An interactive shell runs nothing the line names.
        ("coder ssh kira/ops", &[]),
        ("coder ssh -A kira/ops", &[]),
        ("gitpod workspace ssh ws-1", &[]),
        // `--dry-run` only prints the ssh command.
        ("gitpod ws ssh ws-1 --dry-run -- rm -rf /", &[]),
        // Its files are the workspace's.
        ("coder ssh kira/ops -- rm -rf build", &[]),
        ("coder list", &[]),
    ];
    for (command, expected) in cases {
        assert_eq!(kinds(command), *expected, "effects of: {command}");
    }
}

#[test]
fn workspace_ports_made_public() {
    let port = |name: &str| make_public(json!({"kind": "other", "name": name}));
    run_table(&[
        (
            "gp ports visibility 3000:public",
            json!([port("gitpod workspace port 3000")]),
        ),
        ("gp ports visibility 3000:private", json!([])),
        ("gp ports list", json!([])),
        (
            "gh codespace ports visibility 3000:public -c cs1",
            json!([port("codespace cs1 port 3000")]),
        ),
        (
            "gh codespace ports visibility 3000:public",
            json!([port("codespace port 3000")]),
        ),
        ("gh codespace ports visibility 3000:org -c cs1", json!([])),
        ("gh codespace ports visibility 3000:private", json!([])),
    ]);
}

#[test]
fn codespace_copies_go_to_the_repository_owner() {
    let env = at(".env");
    let upload = |url: &str, files: &[(&str, bool)]| {
        url_request("gh", url, "UPLOAD", payload(&[], files, &[]))
    };
    run_table(&[
        (
            "gh codespace cp -R kira-sandbox/playground .env 'remote:/workspaces/playground/.env'",
            json!([upload(
                "https://github.com/kira-sandbox/playground",
                &[(&env, false)]
            )]),
        ),
        (
            "gh cs cp -r --repo acme/web src remote:/workspaces/web/",
            json!([upload("https://github.com/acme/web", &[(&at("src"), true)])]),
        ),
        (
            "gh codespace cp --repo-owner acme .env remote:.env",
            json!([upload("https://github.com/acme", &[(&env, false)])]),
        ),
        // A codespace of the user's choosing: somewhere on GitHub.
        (
            "gh codespace cp .env remote:.env",
            json!([upload("https://github.com", &[(&env, false)])]),
        ),
        (
            "gh codespace cp -c cs1 .env remote:.env",
            json!([upload("https://github.com", &[(&env, false)])]),
        ),
        // Copying from the codespace downloads and writes here.
        (
            "gh codespace cp -R acme/web remote:/workspaces/web/.env ./copy.env",
            json!([
                url_request("gh", "https://github.com/acme/web", "DOWNLOAD", empty()),
                write(&at("copy.env")),
            ]),
        ),
        // Local to local is no codespace copy.
        ("gh codespace cp a b", json!([])),
    ]);
}

#[test]
fn shared_terminals_send_to_their_relay() {
    let send = |program: &str, url: &str| url_request(program, url, "SEND", empty());
    run_table(&[
        (
            "upterm host --server ssh://relay.example.net:22 --github-user x --accept -- bash",
            json!([send("upterm", "ssh://relay.example.net:22")]),
        ),
        (
            "upterm host --accept --server=ssh://relay.example.net:2222 -- bash",
            json!([send("upterm", "ssh://relay.example.net:2222")]),
        ),
        (
            "upterm host -- bash",
            json!([send("upterm", "ssh://uptermd.upterm.dev:22")]),
        ),
        (
            "UPTERM_SERVER=ssh://relay.example.net:22 upterm host",
            json!([send("upterm", "ssh://relay.example.net:22")]),
        ),
        ("upterm session current", json!([])),
        ("tmate", json!([send("tmate", "ssh://ssh.tmate.io:22")])),
        (
            "tmate -S /tmp/t.sock new-session -d",
            json!([send("tmate", "ssh://ssh.tmate.io:22")]),
        ),
        ("sshx", json!([send("sshx", "https://sshx.io")])),
        (
            "sshx --server https://relay.example.net",
            json!([send("sshx", "https://relay.example.net")]),
        ),
    ]);
}
