//! `$(git rev-parse --show-toplevel)`: run in the deployment's workspace or
//! below it (after `cd`s, or `git -C DIR`), it prints the workspace, so
//! `cd "$(git rev-parse --show-toplevel)/.." && rm -rf NAME` deletes the
//! workspace itself. Run elsewhere, or without a workspace in the context,
//! its output stays unknown.

use crate::common;
use common::*;
use serde_json::{Value, json};
use writ_shell::{ShellContext, analyze};

/// The workspace of these tests: [`CTX`]'s working directory.
const IN_WORKSPACE: ShellContext<'static> = ShellContext {
    workspace: Some(W),
    ..CTX
};

/// The effects of `command` run in `ctx`.
fn effects_in(ctx: &ShellContext<'_>, command: &str) -> Value {
    analyze(command, ctx)
        .map(|a| serde_json::to_value(&a.effects).unwrap_or_default())
        .unwrap_or_else(|e| Value::String(format!("{command}: {e}")))
}

/// The paths `command`'s deletes name, run in `ctx`.
fn deleted(ctx: &ShellContext<'_>, command: &str) -> Vec<String> {
    effects_in(ctx, command)
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["effect"] == "delete")
        .filter_map(|e| e["path"].as_str().map(str::to_owned))
        .collect()
}

fn workspace_table(cases: &[(&str, Value)]) {
    for (command, expected) in cases {
        assert_eq!(
            effects_in(&IN_WORKSPACE, command),
            *expected,
            "effects of: {command}"
        );
    }
}

#[test]
fn the_parent_of_the_root_holds_the_workspace_itself() {
    let clone = "cd \"$(git rev-parse --show-toplevel)/..\" && rm -rf acme-web \
                 && git clone git@github.com:org/acme-web.git";
    assert_eq!(deleted(&IN_WORKSPACE, clone), [W]);
    workspace_table(&[
        (
            "cd \"$(git rev-parse --show-toplevel)/..\" && rm -rf acme-web",
            json!([delete(W, true)]),
        ),
        (
            "cd `git rev-parse --show-toplevel`/.. && rm -rf ./acme-web/",
            json!([delete(W, true)]),
        ),
        (
            "cd \"$(git rev-parse --show-toplevel)\" && cd .. && rm -rf acme-web",
            json!([delete(W, true)]),
        ),
        (
            "rm -rf \"$(git rev-parse --show-toplevel)\"",
            json!([delete(W, true)]),
        ),
    ]);
    // The same inside shell text run by `bash -c`.
    let nested = "bash -c 'cd \"$(git rev-parse --show-toplevel)/..\" && rm -rf acme-web \
                  && git clone git@github.com:org/acme-web.git'";
    assert_eq!(deleted(&IN_WORKSPACE, nested), [W]);
}

#[test]
fn paths_under_the_root_are_the_workspace_s() {
    workspace_table(&[
        (
            "rm -rf \"$(git rev-parse --show-toplevel)/build\"",
            json!([delete(&at("build"), true)]),
        ),
        (
            "ROOT=$(git rev-parse --show-toplevel); rm -rf \"$ROOT/dist\"",
            json!([delete(&at("dist"), true)]),
        ),
        (
            "git --no-pager rev-parse --show-toplevel >/dev/null; \
             rm -f $(git -C . rev-parse --show-toplevel)/.env",
            json!([delete(&at(".env"), false)]),
        ),
    ]);
}

#[test]
fn a_subdirectory_s_root_is_still_the_workspace() {
    workspace_table(&[
        (
            "cd src/lib && rm -rf \"$(git rev-parse --show-toplevel)/build\"",
            json!([delete(&at("build"), true)]),
        ),
        (
            "rm -rf \"$(git -C src/lib rev-parse --show-toplevel)/build\"",
            json!([delete(&at("build"), true)]),
        ),
        (
            "cd /tmp && rm -rf \"$(git -C /home/dana/acme-web/docs rev-parse --show-toplevel)\"",
            json!([delete(W, true)]),
        ),
    ]);
    // Started below the workspace, the root is still the workspace.
    let below = ShellContext {
        cwd: "/home/dana/acme-web/src",
        ..IN_WORKSPACE
    };
    assert_eq!(
        deleted(&below, "rm -rf \"$(git rev-parse --show-toplevel)/build\""),
        [at("build")]
    );
}

#[test]
fn outside_the_workspace_the_root_is_not_assumed() {
    for command in [
        "cd /tmp && rm -rf \"$(git rev-parse --show-toplevel)/x\"",
        "cd .. && rm -rf \"$(git rev-parse --show-toplevel)/x\"",
        "rm -rf \"$(git -C /srv/other rev-parse --show-toplevel)/x\"",
        "rm -rf \"$(git -C \"$DIR\" rev-parse --show-toplevel)/x\"",
        // Other options, or another repository named, print something else.
        "rm -rf \"$(git rev-parse --show-toplevel --git-dir)/x\"",
        "rm -rf \"$(git --git-dir=/srv/other/.git rev-parse --show-toplevel)/x\"",
        "rm -rf \"$(GIT_DIR=/srv/other/.git git rev-parse --show-toplevel)/x\"",
    ] {
        // The substitution's text stays in the path: its value is unknown.
        let paths = deleted(&IN_WORKSPACE, command);
        assert!(
            !paths.is_empty()
                && paths
                    .iter()
                    .all(|p| p.contains("rev-parse --show-toplevel")),
            "{command}: {paths:?}"
        );
    }
}

#[test]
fn a_repository_cloned_on_the_line_is_its_own_root() {
    workspace_table(&[(
        "git clone https://github.com/org/tool vendor/tool && cd vendor/tool \
         && rm -rf \"$(git rev-parse --show-toplevel)/build\"",
        json!([
            url_request("git", "https://github.com/org/tool", "DOWNLOAD", empty()),
            write(&at("vendor/tool")),
            delete(&at("vendor/tool/build"), true),
        ]),
    )]);
}

#[test]
fn without_a_workspace_nothing_changes() {
    for command in [
        "cd \"$(git rev-parse --show-toplevel)/..\" && rm -rf acme-web",
        "rm -rf \"$(git rev-parse --show-toplevel)/build\"",
        "cd src && rm -rf \"$(git rev-parse --show-toplevel)\"",
    ] {
        // As with a workspace the line never enters.
        let elsewhere = ShellContext {
            workspace: Some("/srv/other"),
            ..CTX
        };
        assert_eq!(
            effects_in(&CTX, command),
            effects_in(&elsewhere, command),
            "{command}"
        );
        let paths = deleted(&CTX, command);
        assert!(
            !paths.is_empty() && paths.iter().all(|p| p != W && *p != at("build")),
            "{command}: {paths:?}"
        );
    }
}
