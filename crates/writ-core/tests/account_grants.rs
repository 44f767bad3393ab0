//! Local privilege and account grants reach the policy as access changes
//! (PERMISSION_CHANGE), as `authorized_keys` does: a sudoers, doas, PAM or
//! polkit file or the account database written by a redirect, `tee`,
//! `install` or a file tool, or removed; the account and group commands
//! (`usermod -aG`, `gpasswd -a`, `useradd`, `passwd LOGIN`, `visudo`,
//! `dseditgroup`, `dscl`); and the same on another host through ssh. Their
//! read-only forms are allowed.

#![allow(clippy::panic, clippy::unwrap_used)]

use crate::common;

use common::{assert_routes, engine, shell};
use serde_json::json;
use writ_core::{Route, Runtime};

const DEPLOYMENT: &str = r#"{
    "organization": "acme",
    "workspace": "/home/dana/ws",
    "home": "/home/dana",
    "org_domains": ["acme.io"]
}"#;

/// Claude Code's Write and Edit tools.
fn file_tool(tool: &str, path: &str) -> (Runtime, serde_json::Value) {
    let input = if tool == "Edit" {
        json!({"file_path": path, "old_string": "root ALL=(ALL) ALL", "new_string": "dana ALL=(ALL) NOPASSWD: ALL"})
    } else {
        json!({"file_path": path, "content": "dana ALL=(ALL) NOPASSWD: ALL\n"})
    };
    (
        Runtime::ClaudeCode,
        json!({"session_id": "s", "hook_event_name": "PreToolUse", "tool_name": tool,
               "tool_input": input, "cwd": "/home/dana/ws"}),
    )
}

#[test]
fn privilege_files_written_or_removed() {
    let engine = engine(DEPLOYMENT);
    assert_routes(
        &engine,
        "a sudoers, doas, PAM, polkit or account file written or removed",
        &[
            file_tool("Write", "/etc/sudoers.d/90-dana"),
            file_tool("Edit", "/etc/sudoers"),
            shell("echo 'dana ALL=(ALL) NOPASSWD: ALL' | sudo tee -a /etc/sudoers.d/90-dana"),
            shell("sudo install -m 0440 ci.sudoers /etc/sudoers.d/ci"),
            shell("echo 'permit nopass dana' | sudo tee /etc/doas.conf"),
            shell("sudo cp 49-nopasswd.rules /etc/polkit-1/rules.d/"),
            shell("sudo sed -i 's/^wheel:x:10:/wheel:x:10:dana/' /etc/group"),
            shell("sudo visudo"),
        ],
        Route::RequireApproval,
        &["PERMISSION_CHANGE", "OUTSIDE_WORKSPACE_WRITE"],
    );
    // Removing one changes access too; a deletion writes no file.
    assert_routes(
        &engine,
        "a sudoers file removed",
        &[shell("sudo rm /etc/sudoers.d/90-dana")],
        Route::RequireApproval,
        &["PERMISSION_CHANGE"],
    );
}

#[test]
fn account_and_group_commands() {
    let engine = engine(DEPLOYMENT);
    assert_routes(
        &engine,
        "an account or group changed",
        &[
            shell("sudo usermod -aG docker,sudo dana"),
            shell("sudo gpasswd -a dana wheel"),
            shell("sudo adduser dana sudo"),
            shell("sudo useradd -m ci"),
            shell("sudo passwd -d root"),
            shell("echo 'ci:changeme' | sudo chpasswd"),
            shell("sudo dseditgroup -o edit -a dana -t user admin"),
            shell("sudo dscl . -append /Groups/admin GroupMembership dana"),
        ],
        Route::RequireApproval,
        &["PERMISSION_CHANGE", "OUTSIDE_WORKSPACE_WRITE"],
    );
    assert_routes(
        &engine,
        "the same on another host",
        &[
            shell("ssh ops@build.acme.io 'sudo usermod -aG sudo dana'"),
            shell(
                "ssh ops@build.acme.io \"echo 'dana ALL=(ALL) NOPASSWD: ALL' | sudo tee /etc/sudoers.d/90-dana\"",
            ),
        ],
        Route::RequireApproval,
        &["PERMISSION_CHANGE"],
    );
}

#[test]
fn read_only_forms_are_allowed() {
    let engine = engine(DEPLOYMENT);
    assert_routes(
        &engine,
        "accounts and sudoers only looked at",
        &[
            shell("id dana"),
            shell("groups"),
            shell("getent group sudo"),
            shell("sudo visudo -c"),
            shell("passwd -S dana"),
            shell("cat /etc/group"),
            shell("dscl . -read /Groups/admin GroupMembership"),
        ],
        Route::Allow,
        &[],
    );
}
