//! Session keepers that run a command detached: `dtach -n|-c|-A|-N
//! SOCKET [OPTIONS] CMD ARGS` (and `dtach -p SOCKET`, which types its
//! standard input into the session), `abduco [OPTIONS] -n|-c|-A NAME
//! [CMD ARGS]` (`-p` types standard input), and zellij: `zellij run [OPTS]
//! [--] CMD ARGS`, `zellij action new-pane [OPTS] -- CMD ARGS`, `zellij
//! action write-chars TEXT` and `write BYTES...` (typed into the pane).

use super::{Start, run_argv, run_typed};
use crate::args::{self, Arg, Spec};
use crate::commands::{Invocation, Outcome};

pub(super) fn dtach(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let Some((mode, rest)) = inv.args.split_first() else {
        return outcome;
    };
    // The socket, then dtach's own options, then the command.
    let Some((_, rest)) = rest.split_first() else {
        return outcome;
    };
    match mode.text.as_str() {
        "-n" | "-c" | "-A" | "-N" => {
            let items = args::parse(
                rest,
                &Spec {
                    short: "er",
                    long: &[],
                    stop_after: Some(0),
                },
            );
            let argv = args::positionals(&items).into_iter().cloned().collect();
            run_argv(argv, Start::default(), &mut outcome);
        }
        "-p" => type_stdin(
            inv,
            "standard input typed into a dtach session",
            &mut outcome,
        ),
        _ => {}
    }
    outcome
}

pub(super) fn abduco(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut words = inv.args.iter();
    let mut starts = false;
    let mut passes_stdin = false;
    let mut argv: Vec<Arg> = Vec::new();
    while let Some(word) = words.next() {
        match word.text.as_str() {
            "-e" => {
                words.next();
            }
            "-n" | "-c" | "-A" => {
                starts = true;
                words.next();
                argv.extend(words.by_ref().cloned());
            }
            "-a" => {
                words.next();
            }
            text if text.starts_with('-') => passes_stdin |= text.contains('p'),
            _ => {}
        }
    }
    if starts {
        run_argv(argv, Start::default(), &mut outcome);
    }
    if passes_stdin {
        type_stdin(
            inv,
            "standard input typed into an abduco session",
            &mut outcome,
        );
    }
    outcome
}

/// Standard input typed into a session, when the line fixes it.
fn type_stdin(inv: &Invocation<'_>, what: &str, outcome: &mut Outcome) {
    if !inv.has_stdin {
        return;
    }
    if inv.stdin.files.is_empty() && !inv.stdin.text.is_empty() {
        run_typed(&inv.stdin.text.join("\n"), what, outcome);
    } else {
        outcome
            .opaque
            .push(format!("{} types what standard input holds", inv.program));
    }
}

/// zellij's options before its subcommand that take a value.
const ZELLIJ_VALUES: &[&str] = &[
    "session",
    "layout",
    "config",
    "config-dir",
    "data-dir",
    "max-panes",
];

/// `zellij run` and `zellij action new-pane` options that take a value.
const PANE_VALUES: &[&str] = &[
    "direction",
    "cwd",
    "name",
    "width",
    "height",
    "pinned",
    "x",
    "y",
    "plugin",
    "configuration",
];

pub(super) fn zellij(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let items = args::parse(
        inv.args,
        &Spec {
            short: "slc",
            long: ZELLIJ_VALUES,
            stop_after: Some(0),
        },
    );
    let operands = args::positionals(&items);
    let Some((subcommand, rest)) = operands.split_first() else {
        return outcome;
    };
    match subcommand.text.as_str() {
        "run" | "r" => pane(inv, rest, &mut outcome),
        "action" | "ac" => {
            let Some((action, rest)) = rest.split_first() else {
                return outcome;
            };
            match action.text.as_str() {
                "new-pane" | "np" => pane(inv, rest, &mut outcome),
                "write-chars" | "wc" => {
                    let text: Vec<&str> = rest.iter().map(|w| w.text.as_str()).collect();
                    run_typed(
                        &text.join(" "),
                        "text typed into a zellij pane",
                        &mut outcome,
                    );
                }
                "write" | "w" => {
                    let typed: String = rest
                        .iter()
                        .filter_map(|b| b.text.parse::<u8>().ok())
                        .map(|b| if b == 13 { '\n' } else { char::from(b) })
                        .collect();
                    run_typed(&typed, "bytes written into a zellij pane", &mut outcome);
                }
                _ => {}
            }
        }
        _ => {}
    }
    outcome
}

/// A pane running `[--] CMD ARGS` from `--cwd DIR`.
fn pane(inv: &Invocation<'_>, words: &[&Arg], outcome: &mut Outcome) {
    let owned: Vec<Arg> = words.iter().map(|w| (*w).clone()).collect();
    let items = args::parse(
        &owned,
        &Spec {
            short: "dnxy",
            long: PANE_VALUES,
            stop_after: Some(0),
        },
    );
    let start = Start {
        cwd: args::value(&items, &["--cwd"]).map(|dir| inv.path(&dir.text)),
        env: Vec::new(),
    };
    let argv = args::positionals(&items).into_iter().cloned().collect();
    run_argv(argv, start, outcome);
}
