//! Local accounts and privileges: the commands that change who may log in
//! to this machine, as whom, and who may act as root (`usermod -aG`,
//! `gpasswd -a`, `useradd`, `passwd LOGIN`, `visudo`, macOS's `dscl` and
//! `dseditgroup`, FreeBSD's `pw`), each a grant on the account or group
//! beside writes of the files it rewrites, and their read-only forms. Each
//! case is a command line and every effect `analyze` must report for it.
//! Run in `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};
use writ_shell::changes_account_access;

fn grant(resource: &str) -> Value {
    json!({"effect": "grant_access", "resource": {"kind": "other", "name": resource}, "grantee": null})
}

fn with(mut effects: Vec<Value>, files: &[&str]) -> Value {
    effects.extend(files.iter().map(|f| write(f)));
    Value::Array(effects)
}

const DB: &[&str] = &["/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow"];
const GROUPS: &[&str] = &["/etc/group", "/etc/gshadow"];

#[test]
fn group_membership() {
    run_table(&[
        (
            "sudo usermod -aG docker,sudo mira",
            with(
                vec![
                    grant("group docker member mira"),
                    grant("group sudo member mira"),
                ],
                GROUPS,
            ),
        ),
        (
            "usermod --append --groups=wheel bob",
            with(vec![grant("group wheel member bob")], GROUPS),
        ),
        (
            "usermod -g admin bob",
            with(vec![grant("group admin member bob")], &["/etc/passwd"]),
        ),
        (
            "gpasswd -a mira sudo",
            with(vec![grant("group sudo member mira")], GROUPS),
        ),
        (
            "gpasswd -d mira docker",
            with(vec![grant("group docker member mira")], GROUPS),
        ),
        (
            "gpasswd -M ann,bob wheel",
            with(
                vec![
                    grant("group wheel member ann"),
                    grant("group wheel member bob"),
                ],
                GROUPS,
            ),
        ),
        (
            "gpasswd -A ann wheel",
            with(vec![grant("group wheel administrator ann")], GROUPS),
        ),
        ("gpasswd wheel", with(vec![grant("group wheel")], GROUPS)),
        (
            "groupmems -g docker -a mira",
            with(vec![grant("group docker member mira")], GROUPS),
        ),
        (
            "adduser mira sudo",
            with(vec![grant("group sudo member mira")], GROUPS),
        ),
        (
            "deluser mira sudo",
            with(vec![grant("group sudo member mira")], GROUPS),
        ),
        (
            "addgroup -S mira wheel",
            with(vec![grant("group wheel member mira")], GROUPS),
        ),
        (
            "groupadd -U ann,bob devs",
            with(
                vec![
                    grant("group devs"),
                    grant("group devs member ann"),
                    grant("group devs member bob"),
                ],
                GROUPS,
            ),
        ),
        ("groupdel devs", with(vec![grant("group devs")], GROUPS)),
    ]);
}

#[test]
fn accounts_made_changed_or_removed() {
    run_table(&[
        (
            "useradd -m -s /bin/bash -G wheel deploy",
            with(
                vec![grant("account deploy"), grant("group wheel member deploy")],
                DB,
            ),
        ),
        (
            "adduser --disabled-password --gecos '' ci",
            with(vec![grant("account ci")], DB),
        ),
        (
            "usermod -L bob",
            with(vec![grant("account bob")], &["/etc/shadow"]),
        ),
        (
            "usermod -o -u 0 bob",
            with(vec![grant("account bob")], &["/etc/passwd"]),
        ),
        (
            "usermod -R /mnt/sys -U bob",
            with(vec![grant("account bob")], &["/mnt/sys/etc/shadow"]),
        ),
        ("userdel bob", with(vec![grant("account bob")], DB)),
        (
            "userdel -r bob",
            with(vec![grant("account bob")], DB)
                .as_array()
                .map(|a| {
                    let mut a = a.clone();
                    a.push(delete("/home/bob", true));
                    Value::Array(a)
                })
                .unwrap_or_default(),
        ),
        (
            "passwd -d root",
            with(vec![grant("account root")], &["/etc/shadow"]),
        ),
        (
            "echo 'bob:hunter2' | chpasswd",
            with(vec![grant("account bob")], &["/etc/shadow"]),
        ),
        (
            "chpasswd < users.txt",
            json!([
                read(&at("users.txt")),
                grant("accounts"),
                write("/etc/shadow")
            ]),
        ),
        (
            "chage -E -1 bob",
            with(vec![grant("account bob")], &["/etc/shadow"]),
        ),
    ]);
}

#[test]
fn editors_of_the_files() {
    run_table(&[
        ("visudo", json!([write("/etc/sudoers")])),
        (
            "visudo -f /etc/sudoers.d/90-ci",
            json!([write("/etc/sudoers.d/90-ci")]),
        ),
        ("sudoedit /etc/doas.conf", json!([write("/etc/doas.conf")])),
        ("vipw -s", json!([write("/etc/shadow")])),
        ("vigr", json!([write("/etc/group")])),
    ]);
}

#[test]
fn macos_and_freebsd() {
    run_table(&[
        (
            "sudo dseditgroup -o edit -a mira -t user admin",
            json!([
                grant("group admin member mira"),
                write("/var/db/dslocal/nodes/Default/groups/admin.plist")
            ]),
        ),
        (
            "sudo dscl . -append /Groups/admin GroupMembership mira",
            json!([
                grant("group admin member mira"),
                write("/var/db/dslocal/nodes/Default/groups/admin.plist")
            ]),
        ),
        (
            "dscl . -create /Users/ci UserShell /bin/zsh",
            json!([
                grant("account ci"),
                write("/var/db/dslocal/nodes/Default/users/ci.plist")
            ]),
        ),
        (
            "sudo sysadminctl -addUser ci -password x -admin -adminUser mira -adminPassword y",
            json!([
                grant("account ci"),
                grant("group admin member ci"),
                write("/var/db/dslocal/nodes/Default/users/ci.plist"),
                write("/var/db/dslocal/nodes/Default/groups/admin.plist")
            ]),
        ),
        (
            "pw groupmod wheel -m mira",
            json!([
                grant("group wheel"),
                grant("group wheel member mira"),
                write("/etc/group")
            ]),
        ),
        (
            "pw useradd ci -G wheel -m",
            json!([
                grant("account ci"),
                grant("group wheel member ci"),
                write("/etc/master.passwd"),
                write("/etc/passwd"),
                write("/etc/group")
            ]),
        ),
    ]);
}

#[test]
fn read_only_forms_change_nothing() {
    run_table(&[
        ("id mira", json!([])),
        ("groups mira", json!([])),
        ("getent group sudo", json!([])),
        ("visudo -c", json!([read("/etc/sudoers")])),
        ("passwd -S mira", json!([])),
        ("passwd", json!([])),
        ("chage -l mira", json!([])),
        ("groupmems -g docker -l", json!([])),
        ("usermod --help", json!([])),
        ("dscl . -read /Groups/admin GroupMembership", json!([])),
        ("dseditgroup -o checkmember -m mira admin", json!([])),
        ("sysadminctl -guestAccount status", json!([])),
        ("pw usershow mira", json!([])),
    ]);
}

#[test]
fn access_files() {
    for path in [
        "/etc/sudoers",
        "/etc/sudoers.d/90-mira",
        "/private/etc/sudoers",
        "/etc/doas.conf",
        "/etc/group",
        "/etc/shadow",
        "/etc/pam.d/sshd",
        "/etc/polkit-1/rules.d/49-nopasswd.rules",
        "/etc/security/access.conf",
        "/etc/ssh/sshd_config.d/10-root.conf",
        "/home/bob/.rhosts",
        "/etc/./sudoers.d/../sudoers",
    ] {
        assert!(changes_account_access(path, false), "{path}");
    }
    for path in [
        "/etc/hosts",
        "/etc/passwd-",
        "/etc/sudo.conf",
        "/home/dana/acme-web/etc/sudoers",
        "/etc/ssh/ssh_config",
        "/etc",
    ] {
        assert!(!changes_account_access(path, false), "{path}");
    }
    // A recursive delete of a directory that holds them, below the top.
    assert!(changes_account_access("/etc/polkit-1", true));
    assert!(changes_account_access("/etc/sudoers.d/*", true));
    assert!(!changes_account_access("/etc/polkit-1", false));
    assert!(!changes_account_access("/etc", true));
}

#[test]
fn file_writes_of_the_grants_stay_writes() {
    // Where the file is decides (writ-core); here they are writes.
    run_table(&[
        (
            "echo 'mira ALL=(ALL) NOPASSWD: ALL' | sudo tee /etc/sudoers.d/90-mira",
            json!([write("/etc/sudoers.d/90-mira")]),
        ),
        (
            "sudo install -m 0440 90-mira /etc/sudoers.d/90-mira",
            json!([read(&at("90-mira")), write("/etc/sudoers.d/90-mira")]),
        ),
    ]);
}

#[test]
fn on_another_host() {
    // The files it rewrites there are that host's: grants on it.
    run_table(&[(
        "ssh ops@build.example.net 'sudo usermod -aG sudo dana'",
        json!([
            host_request(
                "ssh",
                host(Some("ops"), "build.example.net", None, None),
                "EXEC",
                payload(&["sudo usermod -aG sudo dana"], &[], &[])
            ),
            grant("group sudo member dana"),
            grant("build.example.net:/etc/group"),
            grant("build.example.net:/etc/gshadow")
        ]),
    )]);
}
