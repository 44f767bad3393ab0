//! Environment managers, which run a command inside a project's
//! environment: Nix (`nix run|shell|develop`, `nix-shell --run`), devbox,
//! mise (and rtx), asdf, flox, Guix, direnv and the Dev Container CLI. The
//! command they run is analysed as if run directly. What they do besides:
//! Nix copies store paths to other hosts (`nix copy --to`), and their
//! install verbs are package installs. A hook the environment sources
//! first (`.envrc`, devbox's `init_hook`, flox's `on-activate`) and a
//! task or script the configuration names (`mise run T`, `devbox run S`,
//! `devcontainer up`'s lifecycle commands) run as the text they hold when
//! the file was written earlier (`written_scripts`). `gh codespace ssh`
//! runs its command on the codespace (`codespace.rs`).

mod codespace;
mod devbox;
mod devcontainer;
mod direnv;
mod flox;
mod guix;
mod jsonc;
mod mise;
mod nix;

pub(in crate::commands) use codespace::codespace;

use super::super::runners::{find_file, parent};
use super::{Invocation, Nested, Outcome};
use crate::args::Arg;
use crate::commands::words;
use crate::{Effect, PackageInstall};

pub(crate) use crate::commands::Lookup;

/// The outcome of an environment manager's command line; `None` for
/// other programs and for the verbs read here that do none of the above
/// (`nix build`, `direnv status`), which the handlers of unknown programs
/// read.
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "nix" => nix::nix(inv),
        "nix-shell" => nix::nix_shell(inv),
        "nix-env" => nix::nix_env(inv),
        "nix-copy-closure" => Some(nix::copy_closure(inv)),
        "devbox" => devbox::handle(inv),
        "mise" | "rtx" => mise::handle(inv),
        "asdf" => asdf(inv),
        "flox" => flox::handle(inv),
        "guix" => guix::handle(inv),
        "direnv" => direnv::handle(inv),
        "devcontainer" => devcontainer::handle(inv),
        _ => None,
    }
}

/// What the configuration files written earlier add to an environment
/// manager's command: the hook it sources first, the task or script it
/// names, the lifecycle commands a dev container runs.
pub(crate) fn written_scripts(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    match inv.program {
        "direnv" => direnv::written(inv, outcome, text_of),
        "devbox" => devbox::written(inv, outcome, text_of),
        "mise" | "rtx" => mise::written(inv, outcome, text_of),
        "flox" => flox::written(inv, outcome, text_of),
        "devcontainer" => devcontainer::written(inv, outcome, text_of),
        _ => {}
    }
}

/// `asdf exec CMD ARGS...` and `asdf env CMD UTIL ARGS...` run a command
/// with the tool versions of the project; `asdf install NAME [VERSION]`
/// installs a tool (a bare `asdf install` installs what `.tool-versions`
/// lists, naming none).
fn asdf(inv: &Invocation<'_>) -> Option<Outcome> {
    let (verb, rest) = inv.args.split_first()?;
    let outcome = match verb.text.as_str() {
        "exec" => super::run_argv(rest.to_vec(), None),
        "env" => super::run_argv(rest.get(1..).unwrap_or_default().to_vec(), None),
        "install" => rest
            .first()
            .filter(|name| !name.text.starts_with('-'))
            .map(|name| install("asdf", vec![name.text.clone()], None))
            .unwrap_or_default(),
        _ => return None,
    };
    Some(outcome)
}

/// An outcome that installs `packages` with `manager` (from `registry`
/// when it names one).
fn install(manager: &str, packages: Vec<String>, registry: Option<String>) -> Outcome {
    let mut outcome = Outcome::default();
    if !packages.is_empty() {
        outcome.effects.push(Effect::PackageInstall(PackageInstall {
            manager: manager.to_owned(),
            packages,
            registry,
        }));
    }
    outcome
}

/// The arguments before the first `--` and those after it (`None` when
/// there is none).
fn split_double_dash(args: &[Arg]) -> (&[Arg], Option<&[Arg]>) {
    match args.iter().position(|a| a.text == "--") {
        Some(at) => (
            args.get(..at).unwrap_or_default(),
            Some(args.get(at + 1..).unwrap_or_default()),
        ),
        None => (args, None),
    }
}

/// A hook an environment sources before the command it runs.
struct Prelude<'a> {
    /// Shell text.
    text: &'a str,
    /// The directory the hook runs in.
    dir: &'a str,
    /// Variables the environment sets for the hook and the command.
    env: Vec<(String, Arg)>,
    /// Names the job (`direnv .envrc`).
    what: &'a str,
}

/// Runs `prelude` before the command the handler found (the first
/// `Nested::Argv` or `Nested::Script` job) in one shell, so what the hook
/// exports reaches the command: the command runs in its own directory
/// (`cwd`) with the hook's environment, as `direnv exec` runs it.
fn run_after(outcome: &mut Outcome, prelude: Prelude<'_>, cwd: &str) {
    let at = outcome
        .nested
        .iter()
        .position(|job| matches!(job, Nested::Argv { .. } | Nested::Script { .. }));
    let job = at.map(|at| outcome.nested.remove(at));
    let mut text = String::new();
    if prelude.dir != cwd {
        text.push_str(&format!("cd {}\n", words::quote(prelude.dir)));
    }
    text.push_str(prelude.text);
    text.push('\n');
    let mut env = prelude.env;
    let mut args = vec![Arg::literal(prelude.what)];
    match job {
        Some(Nested::Argv {
            argv,
            env: own,
            cwd: dir,
        }) => {
            let dir = dir.as_deref().unwrap_or(cwd);
            if dir != prelude.dir {
                text.push_str(&format!("cd {}\n", words::quote(dir)));
            }
            text.push_str("\"$@\"\n");
            env.extend(own);
            args.extend(argv);
        }
        Some(Nested::Script { text: script, .. }) => {
            if cwd != prelude.dir {
                text.push_str(&format!("cd {}\n", words::quote(cwd)));
            }
            text.push_str(&script);
        }
        _ => {}
    }
    let at = at.unwrap_or(outcome.nested.len());
    outcome.nested.insert(
        at,
        Nested::ShellScript {
            text,
            what: prelude.what.to_owned(),
            args,
            env,
        },
    );
}

/// Shell text run by `sh -c` in `dir`, as a task runner runs a line.
fn shell_job(text: &str, dir: &str) -> Nested {
    Nested::Argv {
        argv: vec![Arg::literal("sh"), Arg::literal("-c"), Arg::literal(text)],
        env: Vec::new(),
        cwd: Some(dir.to_owned()),
    }
}

/// `text` with `args` appended as shell words (a task's or script's
/// arguments, which the manager adds to its last command).
fn with_args(text: &str, args: &[Arg]) -> String {
    let mut line = text.trim_end().to_owned();
    for arg in args {
        line.push(' ');
        line.push_str(&words::quote(&arg.text));
    }
    line
}
