//! A shell tool named for PowerShell (`run_powershell`, `powershell/
//! invoke`) runs its command as PowerShell, whatever its first line looks
//! like: a script that starts with a plain `git` line and assigns a
//! PowerShell variable later is read as the PowerShell it is.

#![allow(clippy::panic, clippy::unwrap_used)]

use crate::common;

use common::{decide, engine, function_call};
use serde_json::json;
use writ_core::Route;

const DEPLOYMENT: &str = r#"{
    "organization": "acme",
    "workspace": "/home/dana/ws",
    "home": "/home/dana",
    "org_domains": ["acme.io"],
    "org_repos": ["github.com/acme/*"],
    "protected_branches": ["main"],
    "git_remotes": {"origin": "https://github.com/acme/app.git"},
    "tools": {
        "run_powershell": {"kind": "shell", "args": {"command": "script"}},
        "run_shell": {"kind": "shell", "args": {"command": "script"}}
    }
}"#;

const SCRIPT: &str =
    "git commit --amend --no-edit\n$target = 'main'\ngit push origin \"+HEAD:$target\"";

#[test]
fn a_powershell_tools_script_is_powershell() {
    let decision = decide(
        &engine(DEPLOYMENT),
        &function_call("run_powershell", json!({"script": SCRIPT})),
    );
    assert_eq!(decision.route, Route::Block, "{:?}", decision.reasons);
    assert!(
        decision.reasons.contains(&"DESTROY_PROTECTED".to_owned()),
        "{:?}",
        decision.reasons
    );
}

#[test]
fn a_line_that_already_starts_powershell_is_not_wrapped_again() {
    let command = format!("pwsh -NoProfile -Command '{}'", SCRIPT.replace('\'', "''"));
    let wrapped = writ_shell::in_powershell(&command);
    assert_eq!(wrapped, command);
    assert_ne!(writ_shell::in_powershell(SCRIPT), SCRIPT);
}
