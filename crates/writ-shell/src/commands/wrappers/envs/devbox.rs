//! devbox: `devbox run [--] SCRIPT|CMD ARGS...` runs a script of
//! `devbox.json` (`shell.scripts`) from the project's directory, or a
//! command, after the project's `shell.init_hook` and with its `env`;
//! `-e NAME=VALUE` adds to that environment. `devbox add PKGS` and
//! `devbox global add PKGS` install packages.

use serde_json::Value;

use super::super::{Invocation, Outcome, run_argv};
use super::{Lookup, Prelude, find_file, install, jsonc, run_after, shell_job, with_args};
use crate::args::{self, Arg, Spec};

/// `devbox run`'s options that take a value.
const RUN_SPEC: Spec<'static> = Spec {
    short: "ce",
    long: &["config", "env", "env-file", "environment"],
    stop_after: Some(0),
};

/// `devbox add`'s options that take a value.
const ADD_SPEC: Spec<'static> = Spec {
    short: "co",
    long: &[
        "config",
        "environment",
        "platform",
        "exclude-platform",
        "outputs",
        "patch",
        "allow-insecure",
    ],
    stop_after: None,
};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let words: Vec<&str> = inv.args.iter().map(|a| a.text.as_str()).collect();
    let outcome = match words.as_slice() {
        ["run", ..] => {
            let Some(run) = Run::read(inv) else {
                return Some(Outcome::default());
            };
            let mut outcome = run_argv(run.argv, None);
            add_env(&mut outcome, run.env);
            outcome
        }
        ["add", ..] => add(inv.args.get(1..).unwrap_or_default()),
        ["global", "add", ..] => add(inv.args.get(2..).unwrap_or_default()),
        _ => return None,
    };
    Some(outcome)
}

/// What `devbox run` is told.
struct Run {
    /// A script's name or a command, and its arguments.
    argv: Vec<Arg>,
    /// `-e NAME=VALUE`.
    env: Vec<(String, Arg)>,
    /// `-c PATH`: `devbox.json` or its directory.
    config: Option<String>,
}

impl Run {
    /// `None` for `devbox run --list` and a bare `devbox run`.
    fn read(inv: &Invocation<'_>) -> Option<Run> {
        let items = args::parse(inv.args.get(1..).unwrap_or_default(), &RUN_SPEC);
        if args::has(&items, &["-l", "--list"]) {
            return None;
        }
        let argv: Vec<Arg> = args::positionals(&items).into_iter().cloned().collect();
        if argv.is_empty() {
            return None;
        }
        let env = args::values(&items, &["-e", "--env"])
            .into_iter()
            .filter_map(|pair| {
                let (name, value) = pair.text.split_once('=')?;
                Some((name.to_owned(), pair.with_text(value)))
            })
            .collect();
        let config = args::value(&items, &["-c", "--config"]).map(|c| c.text.clone());
        Some(Run { argv, env, config })
    }
}

/// Adds `env` to the command's job.
fn add_env(outcome: &mut Outcome, env: Vec<(String, Arg)>) {
    if let Some(super::Nested::Argv { env: own, .. }) = outcome.nested.first_mut() {
        own.extend(env);
    }
}

fn add(words: &[Arg]) -> Outcome {
    let items = args::parse(words, &ADD_SPEC);
    let packages = args::positionals(&items)
        .into_iter()
        .map(|p| p.text.clone())
        .collect();
    install("devbox", packages, None)
}

/// A project's `devbox.json`, when it was written earlier.
struct Project {
    dir: String,
    config: Value,
}

impl Project {
    fn find(inv: &Invocation<'_>, config: Option<&str>, text_of: &Lookup<'_>) -> Option<Project> {
        let (dir, text) = match config {
            Some(path) if path.ends_with(".json") => {
                let path = inv.path(path);
                let text = text_of(&path)?;
                (super::parent(&path), text)
            }
            Some(dir) => {
                let dir = inv.path(dir);
                let text = text_of(&crate::paths::resolve(&dir, "/", "devbox.json"))?;
                (dir, text)
            }
            None => {
                let (dir, _, text) = find_file(inv.cwd, &["devbox.json"], true, text_of)?;
                (dir, text)
            }
        };
        Some(Project {
            dir,
            config: jsonc::parse(&text)?,
        })
    }

    /// Shell text of `shell.init_hook` or a script: a string, or lines.
    fn text(&self, pointer: &str) -> Option<String> {
        match self.config.pointer(pointer)? {
            Value::String(text) => Some(text.clone()),
            Value::Array(lines) => Some(
                lines
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            _ => None,
        }
    }

    /// The variables of `env`.
    fn env(&self) -> Vec<(String, Arg)> {
        self.config
            .get("env")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(name, value)| Some((name.clone(), Arg::literal(value.as_str()?))))
            .collect()
    }
}

/// `devbox run`'s script, hook and environment from a `devbox.json`
/// written earlier: a script's text runs in place of a command of its
/// name, from the project's directory; the hook runs before either.
pub(super) fn written(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    if inv.args.first().is_none_or(|verb| verb.text != "run") {
        return;
    }
    let Some(run) = Run::read(inv) else {
        return;
    };
    let Some(project) = Project::find(inv, run.config.as_deref(), text_of) else {
        return;
    };
    let Some((name, script_args)) = run.argv.split_first() else {
        return;
    };
    let script = project
        .text(&format!(
            "/shell/scripts/{}",
            json_pointer_token(&name.text)
        ))
        .filter(|_| !name.text.starts_with('-'));
    if let Some(script) = script {
        outcome.nested.clear();
        outcome
            .nested
            .push(shell_job(&with_args(&script, script_args), &project.dir));
    }
    let hook = project.text("/shell/init_hook").unwrap_or_default();
    let mut env = project.env();
    env.extend(run.env);
    if hook.trim().is_empty() && env.is_empty() {
        return;
    }
    let prelude = Prelude {
        text: &hook,
        dir: &project.dir,
        env,
        what: "devbox init_hook",
    };
    run_after(outcome, prelude, inv.cwd);
}

/// A key as a JSON pointer token (`~` and `/` escaped).
fn json_pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
