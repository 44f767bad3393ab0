//! Terminal multiplexers and session keepers that run commands: a
//! session, window or pane started with a command runs it (`tmux
//! new-session -d 'CMD'`, `screen -dmS NAME CMD ARGS`, `dtach -n SOCK
//! CMD`, `abduco -n NAME CMD`, `zellij run -- CMD`), and keys typed into
//! a pane are a line its shell runs (`tmux send-keys 'CMD' Enter`, `screen
//! -X stuff 'CMD^M'`, `zellij action write-chars CMD`). Text typed without
//! its Enter waits at the prompt for one, and counts as run. What runs is
//! analysed as the shell would run it, from the start directory given
//! (`-c DIR`, `--cwd DIR`) with the variables given (`-e VAR=VALUE`).
//! tmux's commands are in [`tmux`], screen's in [`screen`], the others in
//! [`detached`].

mod detached;
mod screen;
mod tmux;

use super::{Invocation, Nested, Outcome};
use crate::args::Arg;

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "tmux" | "byobu" | "byobu-tmux" => Some(tmux::tmux(inv)),
        "screen" | "byobu-screen" => Some(screen::screen(inv)),
        "dtach" => Some(detached::dtach(inv)),
        "abduco" => Some(detached::abduco(inv)),
        "zellij" => Some(detached::zellij(inv)),
        _ => None,
    }
}

/// Where and with what a started command runs.
#[derive(Debug, Default)]
struct Start {
    /// The start directory, absolute.
    cwd: Option<String>,
    /// Variables set for it.
    env: Vec<(String, Arg)>,
}

/// Runs a started command: one word is shell text (`tmux new 'a; b'`),
/// several are a program and its arguments, run directly.
fn run_command(words: &[&Arg], start: Start, outcome: &mut Outcome) {
    match words {
        [] => {}
        [text] => run_shell(&text.text, start, outcome),
        _ => outcome.nested.push(Nested::Argv {
            argv: words.iter().map(|w| (*w).clone()).collect(),
            env: start.env,
            cwd: start.cwd,
        }),
    }
}

/// Runs shell text, as `sh -c TEXT`.
fn run_shell(text: &str, start: Start, outcome: &mut Outcome) {
    if text.trim().is_empty() {
        return;
    }
    outcome.nested.push(Nested::Argv {
        argv: vec![Arg::literal("sh"), Arg::literal("-c"), Arg::literal(text)],
        env: start.env,
        cwd: start.cwd,
    });
}

/// A program and its arguments, run directly.
fn run_argv(argv: Vec<Arg>, start: Start, outcome: &mut Outcome) {
    if argv.is_empty() {
        return;
    }
    outcome.nested.push(Nested::Argv {
        argv,
        env: start.env,
        cwd: start.cwd,
    });
}

/// Lines typed into a pane, run by the shell there; the last runs too,
/// with its Enter or without.
fn run_typed(text: &str, what: &str, outcome: &mut Outcome) {
    if text.trim().is_empty() {
        return;
    }
    outcome.nested.push(Nested::Script {
        text: text.to_owned(),
        what: what.to_owned(),
    });
}

/// Typed text after a key that erases the line being typed (`C-c`, `C-u`).
fn erase_line(text: &mut String) {
    let kept = text.rfind('\n').map_or(0, |at| at + 1);
    text.truncate(kept);
}

/// `NAME=VALUE` as a variable setting.
fn assignment(arg: &Arg) -> Option<(String, Arg)> {
    let (name, value) = arg.text.split_once('=')?;
    let valid = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    valid.then(|| (name.to_owned(), arg.with_text(value)))
}
