//! Helpers shared by the table tests: the context they run in and the
//! JSON shapes of the effects `analyze` reports.

#![allow(dead_code, clippy::panic)]

use serde_json::{Value, json};
use writ_shell::{Payload, ShellContext, WrittenFile, analyze};

pub const CTX: ShellContext<'static> = ShellContext {
    cwd: "/home/dana/acme-web",
    home: "/home/dana",
    workspace: None,
    written: &[],
};

/// The effects of `command` when earlier steps wrote `written`.
pub fn effects_after(written: &[WrittenFile], command: &str) -> Value {
    let ctx = ShellContext { written, ..CTX };
    let analysis = analyze(command, &ctx).unwrap_or_else(|e| panic!("{command}: {e}"));
    serde_json::to_value(&analysis.effects).unwrap_or_default()
}

/// The effects of `command`, as a list.
pub fn effects(command: &str) -> Vec<Value> {
    effects_after(&[], command)
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The kind of each effect of `command`, in order.
pub fn kinds(command: &str) -> Vec<String> {
    effects(command)
        .iter()
        .map(|e| e["effect"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// A file an earlier step wrote, holding `text`.
pub fn text_file(path: &str, text: &str) -> WrittenFile {
    WrittenFile::new(
        path.to_owned(),
        Payload {
            text: vec![text.to_owned()],
            ..Payload::default()
        },
    )
}

/// Asserts that `command` has exactly `expected` effects.
pub fn check(command: &str, expected: Value) {
    let analysis = analyze(command, &CTX).unwrap_or_else(|e| panic!("{command}: {e}"));
    let actual = serde_json::to_value(&analysis.effects).unwrap_or_default();
    assert_eq!(actual, expected, "effects of: {command}");
}

pub fn run_table(cases: &[(&str, Value)]) {
    for (command, expected) in cases {
        check(command, expected.clone());
    }
}

pub fn read(path: &str) -> Value {
    json!({"effect": "read", "file": {"path": path, "recursive": false}})
}

pub fn read_tree(path: &str) -> Value {
    json!({"effect": "read", "file": {"path": path, "recursive": true}})
}

pub fn write(path: &str) -> Value {
    json!({"effect": "write", "path": path, "append": false})
}

pub fn append(path: &str) -> Value {
    json!({"effect": "write", "path": path, "append": true})
}

pub fn delete(path: &str, recursive: bool) -> Value {
    json!({"effect": "delete", "path": path, "recursive": recursive})
}

/// A payload: text, files as `(path, recursive)`, env names.
pub fn payload(text: &[&str], files: &[(&str, bool)], env: &[&str]) -> Value {
    let files: Vec<Value> = files
        .iter()
        .map(|(path, recursive)| json!({"path": path, "recursive": recursive}))
        .collect();
    json!({"text": text, "files": files, "env": env})
}

pub fn empty() -> Value {
    payload(&[], &[], &[])
}

pub fn url_request(program: &str, url: &str, method: &str, payload: Value) -> Value {
    json!({"effect": "request", "program": program, "target": {"kind": "url", "url": url}, "method": method, "payload": payload, "public": false})
}

pub fn public_request(program: &str, url: &str, method: &str, payload: Value) -> Value {
    json!({"effect": "request", "program": program, "target": {"kind": "url", "url": url}, "method": method, "payload": payload, "public": true})
}

/// A request to the repository the working directory's `origin` is.
pub fn origin_request(program: &str, method: &str, payload: Value) -> Value {
    json!({"effect": "request", "program": program, "target": {"kind": "remote", "name": "origin"}, "method": method, "payload": payload, "public": false})
}

pub fn host(user: Option<&str>, host: &str, port: Option<u16>, path: Option<&str>) -> Value {
    json!({"kind": "host", "user": user, "host": host, "port": port, "path": path})
}

/// An rclone remote of the configuration, `NAME:PATH`, that the line does
/// not define: where `rclone config create` set it to lead (earlier in the
/// session), else its name as a host.
pub fn rclone_remote(name: &str, path: Option<&str>) -> Value {
    let mut target = json!({"kind": "tool_remote", "repo_dir": "/", "name": format!("rclone:{name}"), "unset": host(None, name, None, path)});
    if let Some(path) = path {
        target["path"] = json!(path);
    }
    target
}

pub fn host_request(program: &str, target: Value, method: &str, payload: Value) -> Value {
    json!({"effect": "request", "program": program, "target": target, "method": method, "payload": payload, "public": false})
}

pub fn push(
    dir: &str,
    remote: Option<&str>,
    refspecs: Value,
    force: bool,
    all_refs: bool,
) -> Value {
    json!({"effect": "git_push", "repo_dir": dir, "remote": remote, "refspecs": refspecs, "force": force, "all_refs": all_refs, "cloned_from": null})
}

pub fn refspec(src: Option<&str>, dst: Option<&str>, force: bool, delete: bool) -> Value {
    json!({"src": src, "dst": dst, "force": force, "delete": delete})
}

pub fn install(manager: &str, packages: &[&str]) -> Value {
    json!({"effect": "package_install", "manager": manager, "packages": packages})
}

pub fn install_from(manager: &str, packages: &[&str], registry: &str) -> Value {
    json!({"effect": "package_install", "manager": manager, "packages": packages, "registry": registry})
}

pub fn stop(name: &str) -> Value {
    json!({"effect": "stop_process", "name": name})
}

pub fn sql(
    client: &str,
    host: Option<&str>,
    dsn: Option<&str>,
    sql: Option<&str>,
    files: &[&str],
) -> Value {
    json!({"effect": "sql", "client": client, "host": host, "dsn": dsn, "sql": sql, "files": files})
}

/// A `sql` effect whose client logs in with `login`.
pub fn with_login(mut sql: Value, login: Value) -> Value {
    sql["login"] = login;
    sql
}

pub fn kubectl(
    verb: &str,
    args: &[&str],
    context: Option<&str>,
    namespace: Option<&str>,
    files: &[&str],
    dry_run: bool,
    all: bool,
) -> Value {
    json!({"effect": "kubectl", "verb": verb, "args": args, "context": context, "namespace": namespace, "files": files, "dry_run": dry_run, "all": all})
}

pub fn terraform(verb: &str, dir: &str, plan_file: Option<&str>, destroy: bool) -> Value {
    json!({"effect": "terraform", "verb": verb, "dir": dir, "plan_file": plan_file, "destroy": destroy})
}

pub fn bucket(scheme: &str, name: &str) -> Value {
    json!({"kind": "bucket", "scheme": scheme, "name": name})
}

pub fn make_public(resource: Value) -> Value {
    json!({"effect": "make_public", "resource": resource})
}

pub fn remote_delete(url: &str, recursive: bool) -> Value {
    json!({"effect": "remote_delete", "target": {"kind": "url", "url": url}, "recursive": recursive})
}

pub const W: &str = "/home/dana/acme-web";

pub fn at(relative: &str) -> String {
    format!("{W}/{relative}")
}

/// The access effects (`grant_access`, `make_public`) `command` has.
pub fn access_effects(command: &str) -> Value {
    let analysis = analyze(command, &CTX).unwrap_or_else(|e| panic!("{command}: {e}"));
    let effects = serde_json::to_value(&analysis.effects).unwrap_or_default();
    let kept: Vec<Value> = effects
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| {
            matches!(
                e.get("effect").and_then(Value::as_str),
                Some("grant_access" | "make_public")
            )
        })
        .cloned()
        .collect();
    Value::Array(kept)
}

/// Each command has exactly the access effects given beside it.
pub fn access_table(cases: &[(&str, Value)]) {
    for (command, expected) in cases {
        assert_eq!(
            &access_effects(command),
            expected,
            "access effects of: {command}"
        );
    }
}

/// Commands that change nobody's access.
pub fn no_access_changes(commands: &[&str]) {
    for command in commands {
        assert_eq!(
            access_effects(command),
            json!([]),
            "access effects of: {command}"
        );
    }
}

/// Access to a resource known by name given to `grantee`.
pub fn grant_named(resource: &str, grantee: Option<&str>) -> Value {
    json!({"effect": "grant_access", "resource": {"kind": "other", "name": resource}, "grantee": grantee})
}

/// Each request among `effects`, as `METHOD URL`.
pub fn request_lines(effects: &[Value]) -> Vec<String> {
    effects
        .iter()
        .filter(|e| e["effect"] == "request")
        .map(|e| {
            format!(
                "{} {}",
                e["method"].as_str().unwrap_or_default(),
                e["target"]["url"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

/// The effects of `command` after earlier steps wrote `files` (paths
/// relative to the working directory, with their text).
pub fn after_files(files: &[(&str, &str)], command: &str) -> Vec<Value> {
    let written: Vec<WrittenFile> = files
        .iter()
        .map(|(relative, text)| text_file(&at(relative), text))
        .collect();
    effects_after(&written, command)
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The effects of one kind among `found`.
pub fn of_kind(found: &[Value], kind: &str) -> Vec<Value> {
    found
        .iter()
        .filter(|e| e["effect"] == kind)
        .cloned()
        .collect()
}
