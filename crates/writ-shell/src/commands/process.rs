//! Stopping processes and services, and `launchctl submit`, which has
//! launchd run a command and keep it running.

use super::{Invocation, Nested, Outcome};
use crate::Effect;
use crate::args::{self, Arg, Spec};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let names = match inv.program {
        "pkill" => {
            let items = args::parse(
                inv.args,
                &Spec {
                    short: "gGPstuUF",
                    long: &[
                        "signal", "group", "parent", "session", "terminal", "euid", "uid",
                        "pidfile", "ns", "nslist",
                    ],
                    stop_after: None,
                },
            );
            first_positional(&items)
        }
        "killall" => {
            let items = args::parse(
                inv.args,
                &Spec {
                    short: "sougyOn",
                    long: &[
                        "signal",
                        "user",
                        "older-than",
                        "younger-than",
                        "context",
                        "ns",
                    ],
                    stop_after: None,
                },
            );
            args::positionals(&items)
                .iter()
                .map(|a| a.text.clone())
                .collect()
        }
        "kill" => kill_targets(inv),
        "systemctl" => systemctl(inv),
        "service" => match inv.args {
            [name, action, ..] if matches!(action.text.as_str(), "stop" | "force-stop") => {
                vec![name.text.clone()]
            }
            _ => Vec::new(),
        },
        "launchctl" => match launchctl_submit(inv) {
            Some(outcome) => return Some(outcome),
            None => launchctl(inv),
        },
        "docker" | "podman" | "nerdctl" => containers_stopped(inv)?,
        _ => return None,
    };
    let mut outcome = Outcome::default();
    for name in names {
        outcome.effects.push(Effect::StopProcess { name });
    }
    Some(outcome)
}

fn first_positional(items: &[args::Item]) -> Vec<String> {
    args::positionals(items)
        .first()
        .map(|a| vec![a.text.clone()])
        .unwrap_or_default()
}

/// `kill $(pgrep NAME)`, `kill -9 $(pidof NAME)`.
fn kill_targets(inv: &Invocation<'_>) -> Vec<String> {
    let mut names = Vec::new();
    for arg in inv.args {
        for inner in &arg.substitutions {
            let words: Vec<&str> = inner
                .split_whitespace()
                .map(|w| w.trim_matches(['"', '\'']))
                .collect();
            let Some((program, rest)) = words.split_first() else {
                continue;
            };
            if matches!(*program, "pgrep" | "pidof")
                && let Some(name) = rest.iter().find(|w| !w.starts_with('-'))
            {
                names.push((*name).to_owned());
            }
        }
    }
    names
}

fn systemctl(inv: &Invocation<'_>) -> Vec<String> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "sHMtpo",
            long: &[
                "signal",
                "host",
                "machine",
                "type",
                "property",
                "output",
                "kill-whom",
                "job-mode",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    match positional.split_first() {
        Some((verb, units))
            if matches!(
                verb.text.as_str(),
                "stop"
                    | "kill"
                    | "disable"
                    | "mask"
                    | "restart"
                    | "try-restart"
                    | "reload-or-restart"
            ) =>
        {
            units.iter().map(|u| u.text.clone()).collect()
        }
        _ => Vec::new(),
    }
}

/// `docker stop|kill|pause NAME...`, `docker rm -f NAME...` (and `docker
/// container ...`, podman, nerdctl): the containers stopped, by name.
fn containers_stopped(inv: &Invocation<'_>) -> Option<Vec<String>> {
    let words = match inv.args {
        [group, rest @ ..] if group.text == "container" => rest,
        rest => rest,
    };
    let (verb, rest) = words.split_first()?;
    let items = args::parse(
        rest,
        &Spec {
            short: "st",
            long: &["signal", "time", "timeout"],
            stop_after: None,
        },
    );
    let stops = match verb.text.as_str() {
        "stop" | "kill" | "pause" => true,
        "rm" => args::has(&items, &["-f", "--force"]),
        _ => return None,
    };
    Some(if stops {
        args::positionals(&items)
            .iter()
            .map(|a| a.text.clone())
            .collect()
    } else {
        Vec::new()
    })
}

fn launchctl(inv: &Invocation<'_>) -> Vec<String> {
    let positional: Vec<&str> = inv
        .args
        .iter()
        .map(|a| a.text.as_str())
        .filter(|t| !t.starts_with('-'))
        .collect();
    match positional.as_slice() {
        ["unload" | "stop" | "remove" | "bootout", targets @ ..] => {
            targets.iter().map(|t| (*t).to_owned()).collect()
        }
        ["kill", _signal, target, ..] => vec![(*target).to_owned()],
        _ => Vec::new(),
    }
}

/// `launchctl submit -l LABEL [-p PROGRAM] [-o OUT] [-e ERR] -- COMMAND
/// [ARGS...]`: launchd runs COMMAND (with `-p`, PROGRAM given COMMAND's
/// arguments) from `/` and keeps it running, which is running it now;
/// its output and errors are appended to `-o` and `-e`'s files.
fn launchctl_submit(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "lpoe",
            long: &[],
            stop_after: Some(2),
        },
    );
    let positional = args::positionals(&items);
    let (verb, command) = positional.split_first()?;
    if verb.text != "submit" {
        return None;
    }
    let mut argv: Vec<Arg> = command.iter().map(|a| (*a).clone()).collect();
    if let Some(program) = args::value(&items, &["-p"]) {
        match argv.first_mut() {
            Some(first) => *first = program.clone(),
            None => argv.push(program.clone()),
        }
    }
    let mut outcome = Outcome::default();
    for log in args::values(&items, &["-o", "-e"]) {
        outcome.write(inv.path(&log.text), true);
    }
    if !argv.is_empty() {
        outcome.nested.push(Nested::Argv {
            argv,
            env: Vec::new(),
            cwd: Some("/".to_owned()),
        });
    }
    Some(outcome)
}
