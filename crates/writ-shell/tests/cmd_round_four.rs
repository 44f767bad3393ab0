//! cmd.exe, round four: loops over a set run their body once per value
//! with the loop's variable bound (`for %c in (a,b) do kubectl --context
//! %c ...`: one command per context; `for /d /r DIR %d in (bin obj) do rd
//! /s /q "%d"`: the named directories within DIR), and a line with a cmd
//! loop after one of its operators (`del ... & for /d /r ...`, `dotnet
//! clean && for ...`) is read as cmd's. Each case is a command line and
//! the effects `analyze` must report, with benign look-alikes.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};
use writ_shell::{ShellContext, analyze};

/// A Windows machine: the workspace `C:\Users\mira\src\ledger-sync` in
/// Git Bash's form, home `C:\Users\mira`.
const WIN: ShellContext<'static> = ShellContext {
    cwd: "/c/Users/mira/src/ledger-sync",
    home: "/c/Users/mira",
    workspace: Some("/c/Users/mira/src/ledger-sync"),
    written: &[],
};

const WS: &str = "/c/Users/mira/src/ledger-sync";

fn ws(relative: &str) -> String {
    format!("{WS}/{relative}")
}

/// The effects of `command` on the Windows machine.
fn win_effects(command: &str) -> Value {
    let analysis = analyze(command, &WIN).unwrap_or_else(|e| panic!("{command}: {e}"));
    assert!(
        analysis.unparsed.is_empty(),
        "{command}: {:?}",
        analysis.unparsed
    );
    serde_json::to_value(&analysis.effects).unwrap_or_default()
}

/// A restart of the `ledger-sync` deployment in `context`.
fn restart(context: &str, deployment: &str) -> Value {
    kubectl(
        "rollout",
        &["restart", deployment],
        Some(context),
        Some("ledger"),
        &[],
        false,
        false,
    )
}

/// `name` deleted in `root` and wherever it occurs below it.
fn deleted_within(root: &str, name: &str) -> [Value; 2] {
    [
        delete(&format!("{root}/{name}"), true),
        json!({"effect": "delete_named", "root": root, "names": [name]}),
    ]
}

#[test]
fn a_loops_variable_is_each_value_of_its_set() {
    let both = json!([
        restart("aks-prod-weu", "deploy/ledger-sync"),
        restart("aks-prod-neu", "deploy/ledger-sync"),
    ]);
    for command in [
        "for %c in (aks-prod-weu,aks-prod-neu) do @kubectl --context=%c -n ledger rollout restart deploy/ledger-sync",
        "for %c in (aks-prod-weu aks-prod-neu) do kubectl --context %c -n ledger rollout restart deploy/ledger-sync",
        "for %c in (aks-prod-weu;aks-prod-neu) do kubectl --context \"%c\" -n ledger rollout restart deploy/ledger-sync",
        // Through Git Bash, and as a batch file writes it.
        "cmd //c 'for %c in (aks-prod-weu aks-prod-neu) do kubectl --context %c -n ledger rollout restart deploy/ledger-sync'",
        "cmd /c \"for %%c in (aks-prod-weu aks-prod-neu) do kubectl --context %%c -n ledger rollout restart deploy/ledger-sync\"",
        // After another command, and in a block.
        "echo restarting & for %c in (aks-prod-weu aks-prod-neu) do (kubectl --context %c -n ledger rollout restart deploy/ledger-sync)",
    ] {
        assert_eq!(win_effects(command), both, "{command}");
    }
}

#[test]
fn a_body_sees_its_value_in_every_word() {
    // Parts of a word, two nested loops, and a `/l` count.
    assert_eq!(
        win_effects("for %a in (x y) do for %b in (1 2) do echo %a%b > out\\%a-%b.txt"),
        json!([
            write(&ws("out/x-1.txt")),
            write(&ws("out/x-2.txt")),
            write(&ws("out/y-1.txt")),
            write(&ws("out/y-2.txt")),
        ])
    );
    assert_eq!(
        win_effects("for /l %i in (1,1,3) do (echo %i & del /q part%i.tmp)"),
        json!([
            delete(&ws("part1.tmp"), false),
            delete(&ws("part2.tmp"), false),
            delete(&ws("part3.tmp"), false),
        ])
    );
    // The body ends with the block the loop is in: `%a` after it is text.
    assert_eq!(
        win_effects("(for %a in (x) do del /q %a.tmp) & del /q %a.log"),
        json!([delete(&ws("x.tmp"), false), delete(&ws("%a.log"), false)])
    );
}

#[test]
fn a_walk_names_paths_within_its_directory() {
    let bin_obj: Vec<Value> = ["bin", "obj"]
        .iter()
        .flat_map(|name| deleted_within(WS, name))
        .collect();
    for command in [
        "for /d /r . %d in (bin obj) do @if exist \"%d\" rd /s /q \"%d\"",
        "for /d /r . %d in (bin,obj) do @if exist \"%d\" rmdir /s /q \"%d\"",
        "for /r %d in (bin obj) do @if exist \"%d\" rd /s /q \"%d\"",
    ] {
        assert_eq!(win_effects(command), json!(bin_obj), "{command}");
    }
    let src = ws("src");
    let mut in_src: Vec<Value> = deleted_within(&src, "bin").into();
    in_src.extend(deleted_within(&src, "obj"));
    assert_eq!(
        win_effects(
            "cmd //c 'for /d /r src\\ %d in (bin obj) do @if exist \"%d\" rd /s /q \"%d\"'"
        ),
        json!(in_src)
    );
    // Below home, outside the workspace: the paths say so.
    let home = "/c/Users/mira";
    assert_eq!(
        win_effects("for /d /r %USERPROFILE% %d in (node_modules) do rd /s /q \"%d\""),
        json!(deleted_within(home, "node_modules"))
    );
    // What the body reads is each file of the walk.
    assert_eq!(
        win_effects("for /r %f in (.env) do type \"%f\""),
        json!([read(&ws(".env")), read(&ws("**/.env"))])
    );
}

#[test]
fn a_line_with_a_cmd_loop_after_an_operator_is_cmds() {
    let mut cleaned = vec![json!({"effect": "delete_named", "root": WS, "names": ["*.binlog"]})];
    cleaned.extend(
        ["bin", "obj"]
            .iter()
            .flat_map(|name| deleted_within(WS, name)),
    );
    assert_eq!(
        win_effects(
            "del /s /q /f *.binlog 2>nul & for /d /r . %d in (bin obj) do @if exist \"%d\" rd /s /q \"%d\""
        ),
        json!(cleaned)
    );
    let mut rebuilt = vec![read(&ws("LedgerSync.sln"))];
    rebuilt.extend(deleted_within(WS, "obj"));
    assert_eq!(
        win_effects(
            "dotnet clean LedgerSync.sln -c Release -v q && for /d /r . %d in (obj) do @if exist \"%d\" rmdir /s /q \"%d\""
        ),
        json!(rebuilt)
    );
    // Bash's own loop after an operator stays bash's.
    assert_eq!(
        win_effects("make && for f in a b; do rm -f \"$f.tmp\"; done"),
        json!([delete(&ws("a.tmp"), false), delete(&ws("b.tmp"), false)])
    );
}

#[test]
fn a_for_f_loop_and_a_header_that_is_no_loop_keep_their_reading() {
    // `for /f` after another command: its header is dropped as before.
    let found = win_effects("echo x & for /f %v in (list.txt) do del /q %v");
    assert_eq!(found, json!([delete(&ws("%v"), false)]));
    // A loop of an unknown shape runs its body once.
    assert_eq!(
        win_effects("for %v in x do del /q y.tmp"),
        json!([delete(&ws("y.tmp"), false)])
    );
}
