//! Windows and WSL interop: a `wsl -- CMD` line whose joined words the
//! Linux shell cannot parse is read as the command its words name; a
//! line whose Windows program takes a `%NAME%\...` path is cmd's; and a
//! share path on this machine's WSL file system (`\\wsl.localhost\D\x`,
//! `\\wsl$\D\x`) is the local path `/x`, no other host's share.

#![allow(clippy::panic)]

use crate::common::{delete, write};
use serde_json::{Value, json};
use writ_shell::{ShellContext, analyze};

/// A Windows machine, in Git Bash's form.
const WIN: ShellContext<'static> = ShellContext {
    cwd: "/c/Users/mira/src/ledger",
    home: "/c/Users/mira",
    workspace: Some("/c/Users/mira/src/ledger"),
    written: &[],
};

/// The effects of `command` on the Windows machine; it must parse whole.
fn win_effects(command: &str) -> Vec<Value> {
    let analysis = analyze(command, &WIN).unwrap_or_else(|e| panic!("{command}: {e}"));
    assert!(
        analysis.unparsed.is_empty(),
        "{command}: {:?}",
        analysis.unparsed
    );
    serde_json::to_value(&analysis.effects)
        .unwrap_or_default()
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn move_onto_a_cmd_variable_path_after_wsl_is_cmds() {
    let found = win_effects(
        r#"wsl.exe -- jq "del(.hooks)" /mnt/c/Users/mira/.claude/settings.json > %TEMP%\s.json && move /y %TEMP%\s.json %USERPROFILE%\.claude\settings.json"#,
    );
    assert!(
        found.contains(&write("/c/Users/mira/.claude/settings.json")),
        "{found:#?}"
    );
}

#[test]
fn wsl_words_the_shell_cannot_parse_run_as_they_are() {
    let found = win_effects(
        r"wsl -- find /mnt/c/Users/mira/src/ledger/src -type d \\( -name bin -o -name obj \\) -prune -exec rm -rf {} +",
    );
    assert!(
        found.iter().all(|e| e["effect"] != json!("request")),
        "{found:#?}"
    );
    // A line the shell parses still runs through it.
    let piped =
        win_effects("wsl -- cat /mnt/c/Users/mira/notes.txt '|' rm -rf /mnt/c/Users/mira/x");
    assert!(
        piped.contains(&delete("/c/Users/mira/x", true)),
        "{piped:#?}"
    );
}

#[test]
fn wsl_share_paths_are_local() {
    for command in [
        r"cmd.exe /c 'robocopy C:\Users\mira\Downloads\st \\wsl.localhost\Ubuntu-22.04\home\mira\src\ledger\fixtures *.ofx /NJH'",
        r"cmd.exe /c 'robocopy C:\Users\mira\Downloads\st \\wsl$\Ubuntu-22.04\home\mira\src\ledger\fixtures *.ofx'",
    ] {
        let found = win_effects(command);
        assert!(
            found.iter().all(|e| e["effect"] != json!("request")),
            "{command}: {found:#?}"
        );
        assert!(
            found.iter().any(|e| e["path"].as_str()
                == Some("/home/mira/src/ledger/fixtures/*.ofx")
                || e["path"]
                    .as_str()
                    .is_some_and(|p| p.starts_with("/home/mira/src/ledger/fixtures"))),
            "{command}: {found:#?}"
        );
    }
    // Another host's share is still that host's.
    let nas = win_effects(r"robocopy C:\Users\mira\Downloads\st \\nas01\drop *.ofx");
    assert!(
        nas.iter().any(|e| e["effect"] == json!("request")),
        "{nas:#?}"
    );
}
