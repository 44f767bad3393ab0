//! The Dev Container CLI: `devcontainer exec [--workspace-folder DIR]
//! CMD ARGS` runs a command in the workspace's container, where DIR is
//! mounted at `/workspaces/NAME`; `devcontainer up` and `devcontainer
//! run-user-commands` run the lifecycle commands of `devcontainer.json`
//! (`initializeCommand` on this machine, `onCreateCommand` through
//! `postAttachCommand` in the container) when the file was written
//! earlier.

use serde_json::Value;

use super::super::{Invocation, Nested, Outcome};
use super::{Lookup, jsonc};
use crate::args::{self, Arg, Spec};
use crate::paths;

/// Options that take a value.
const SPEC: Spec<'static> = Spec {
    short: "",
    long: &[
        "workspace-folder",
        "container-id",
        "id-label",
        "config",
        "override-config",
        "remote-env",
        "docker-path",
        "docker-compose-path",
        "log-level",
        "log-format",
        "terminal-columns",
        "terminal-rows",
        "default-user-env-probe",
        "user-data-folder",
        "container-data-folder",
        "container-system-data-folder",
        "secrets-file",
        "dotfiles-repository",
        "dotfiles-install-command",
        "dotfiles-target-path",
        "additional-features",
        "mount",
        "cache-from",
        "cache-to",
        "buildkit",
        "workspace-mount-consistency",
        "gpu-availability",
    ],
    stop_after: Some(0),
};

/// The container commands of the lifecycle, in the order they run.
const CONTAINER_COMMANDS: &[&str] = &[
    "onCreateCommand",
    "updateContentCommand",
    "postCreateCommand",
    "postStartCommand",
    "postAttachCommand",
];

/// A workspace and where its container sees it.
struct Workspace {
    /// This machine's folder.
    host: String,
    /// Its path in the container.
    container: String,
}

impl Workspace {
    fn new(inv: &Invocation<'_>, items: &[args::Item<'_>]) -> Workspace {
        let host = args::value(items, &["--workspace-folder"])
            .map_or_else(|| inv.cwd.to_owned(), |dir| inv.path(&dir.text));
        let container = format!("/workspaces/{}", paths::basename(&host));
        Workspace { host, container }
    }

    /// A job run in the container, from the workspace.
    fn job(&self, argv: Vec<Arg>) -> Nested {
        Nested::Container {
            argv,
            workdir: self.container.clone(),
            mounts: vec![(self.host.clone(), self.container.clone())],
        }
    }
}

/// `exec`'s command; `up` and `run-user-commands` run what the
/// configuration holds (`written`).
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let (verb, rest) = inv.args.split_first()?;
    let mut outcome = Outcome::default();
    match verb.text.as_str() {
        "exec" => {}
        "up" | "run-user-commands" => return Some(outcome),
        _ => return None,
    }
    let items = args::parse(rest, &SPEC);
    let command: Vec<Arg> = args::positionals(&items).into_iter().cloned().collect();
    if command.is_empty() {
        return Some(outcome);
    }
    // `--remote-env NAME=VALUE`: the command's environment, set as `env` sets it.
    let env = args::values(&items, &["--remote-env"]);
    let mut argv = Vec::with_capacity(env.len() + command.len() + 1);
    if !env.is_empty() {
        argv.push(Arg::literal("env"));
        argv.extend(env.into_iter().cloned());
    }
    argv.extend(command);
    outcome.nested.push(Workspace::new(inv, &items).job(argv));
    Some(outcome)
}

/// The lifecycle commands `devcontainer up` (or `run-user-commands`)
/// runs, from the configuration written earlier.
pub(super) fn written(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    let Some((verb, rest)) = inv.args.split_first() else {
        return;
    };
    let up = match verb.text.as_str() {
        "up" => true,
        "run-user-commands" => false,
        _ => return,
    };
    let items = args::parse(rest, &SPEC);
    let mut workspace = Workspace::new(inv, &items);
    let candidates = match args::value(&items, &["--config"]) {
        Some(file) => vec![inv.path(&file.text)],
        None => [".devcontainer/devcontainer.json", ".devcontainer.json"]
            .iter()
            .map(|name| paths::resolve(&workspace.host, "/", name))
            .collect(),
    };
    let Some(config) = candidates
        .iter()
        .find_map(|path| text_of(path))
        .and_then(|text| jsonc::parse(&text))
    else {
        return;
    };
    if let Some(folder) = config.get("workspaceFolder").and_then(Value::as_str) {
        let name = paths::basename(&workspace.host).to_owned();
        workspace.container = folder.replace("${localWorkspaceFolderBasename}", &name);
    }
    if up && let Some(command) = config.get("initializeCommand") {
        for argv in command_lines(command) {
            outcome.nested.push(Nested::Argv {
                argv,
                env: Vec::new(),
                cwd: Some(workspace.host.clone()),
            });
        }
    }
    for name in container_commands(&items, &config) {
        if let Some(command) = config.get(name) {
            for argv in command_lines(command) {
                outcome.nested.push(workspace.job(argv));
            }
        }
    }
}

/// The container commands that run, as the skip options leave them:
/// `--skip-post-create` runs none, `--prebuild` stops after
/// `updateContentCommand`, `--skip-non-blocking-commands` after the one
/// `waitFor` names (`updateContentCommand` by default), and
/// `--skip-post-attach` leaves out `postAttachCommand`.
fn container_commands(items: &[args::Item<'_>], config: &Value) -> Vec<&'static str> {
    if args::has(items, &["--skip-post-create"]) {
        return Vec::new();
    }
    let last = if args::has(items, &["--prebuild"]) {
        "updateContentCommand"
    } else if args::has(items, &["--skip-non-blocking-commands"]) {
        config
            .get("waitFor")
            .and_then(Value::as_str)
            .unwrap_or("updateContentCommand")
    } else {
        "postAttachCommand"
    };
    let end = CONTAINER_COMMANDS
        .iter()
        .position(|name| *name == last)
        .map_or(0, |at| at + 1);
    CONTAINER_COMMANDS
        .iter()
        .take(end)
        .copied()
        .filter(|name| !(*name == "postAttachCommand" && args::has(items, &["--skip-post-attach"])))
        .collect()
}

/// A lifecycle command's runs: a string is shell text, an array a
/// command's words, an object several of either (run in parallel).
fn command_lines(command: &Value) -> Vec<Vec<Arg>> {
    match command {
        Value::String(text) => vec![vec![
            Arg::literal("sh"),
            Arg::literal("-c"),
            Arg::literal(text),
        ]],
        Value::Array(words) => {
            let argv: Vec<Arg> = words
                .iter()
                .filter_map(Value::as_str)
                .map(Arg::literal)
                .collect();
            if argv.is_empty() {
                Vec::new()
            } else {
                vec![argv]
            }
        }
        Value::Object(commands) => commands
            .values()
            .filter(|inner| !inner.is_object())
            .flat_map(command_lines)
            .collect(),
        _ => Vec::new(),
    }
}
