//! GitHub Codespaces through gh: `gh codespace ssh [-c NAME] [-- SSH
//! OPTIONS] [CMD...]` runs a command on the codespace, a machine of its
//! own (its files are the codespace's, its repository under
//! `/workspaces`), reading what is piped to gh as ssh's does; `gh
//! codespace ports visibility PORT:public` makes a forwarded port
//! reachable by anyone.

use super::super::{Invocation, Nested, Outcome};
use super::split_double_dash;
use crate::args::{self, Arg, Spec};
use crate::{Effect, Resource};

/// `gh codespace ssh`'s options that take a value.
const SSH_SPEC: Spec<'static> = Spec {
    short: "cR",
    long: &[
        "codespace",
        "debug-file",
        "profile",
        "repo",
        "repo-owner",
        "server-port",
    ],
    stop_after: Some(0),
};

/// ssh's options that take a value (`-L 8080:localhost:8080`).
const SSH_VALUE_LETTERS: &str = "BbcDEeFIiJLlmOoPpQRSWw";

/// Where a codespace keeps its repositories.
const WORKSPACES: &str = "/workspaces";

/// `gh codespace|cs SUBCOMMAND ...`: `args` follow `codespace`.
pub(in crate::commands) fn codespace(inv: &Invocation<'_>, args: &[Arg]) -> Outcome {
    let words: Vec<&str> = args.iter().map(|a| a.text.as_str()).collect();
    match words.as_slice() {
        ["ssh", ..] => ssh(inv, args.get(1..).unwrap_or_default()),
        ["ports", "visibility", ..] => visibility(args.get(2..).unwrap_or_default()),
        _ => Outcome::default(),
    }
}

/// The command `gh codespace ssh` runs there, as shell text (ssh joins its
/// words); with none, what is piped in is the shell's script.
fn ssh(inv: &Invocation<'_>, args: &[Arg]) -> Outcome {
    let (own, after) = split_double_dash(args);
    let items = args::parse(own, &SSH_SPEC);
    let mut outcome = Outcome::default();
    if args::has(&items, &["--config"]) {
        return outcome;
    }
    let mut command: Vec<&Arg> = args::positionals(&items);
    command.extend(without_ssh_options(after.unwrap_or_default()));
    let argv = if !command.is_empty() {
        let text: Vec<&str> = command.iter().map(|w| w.text.as_str()).collect();
        vec![
            Arg::literal("sh"),
            Arg::literal("-c"),
            Arg::literal(&text.join(" ")),
        ]
    } else if inv.has_stdin {
        vec![Arg::literal("sh")]
    } else {
        return outcome;
    };
    outcome.nested.push(Nested::Remote {
        argv,
        hosts: Vec::new(),
        cwd: WORKSPACES.to_owned(),
        stdin: true,
    });
    outcome
}

/// The words after ssh's own options (`-tt`, `-L SPEC`).
fn without_ssh_options(words: &[Arg]) -> Vec<&Arg> {
    let mut rest = words.iter();
    let mut command = Vec::new();
    while let Some(word) = rest.next() {
        let text = word.text.as_str();
        if !command.is_empty() || !text.starts_with('-') || text == "-" {
            command.push(word);
            continue;
        }
        // A cluster ending in a letter that takes a value takes the next word.
        let body = text.get(1..).unwrap_or_default();
        if let Some(at) = body.find(|c| SSH_VALUE_LETTERS.contains(c))
            && at + 1 == body.len()
        {
            rest.next();
        }
    }
    command
}

/// `gh codespace ports visibility PORT:VISIBILITY...`: each port made
/// `public` is reachable by anyone.
fn visibility(args: &[Arg]) -> Outcome {
    let items = args::parse(
        args,
        &Spec {
            short: "cR",
            long: &["codespace", "repo", "repo-owner"],
            stop_after: None,
        },
    );
    let codespace = args::value(&items, &["-c", "--codespace"]).map(|c| c.text.clone());
    let mut outcome = Outcome::default();
    for setting in args::positionals(&items) {
        let Some((port, level)) = setting.text.split_once(':') else {
            continue;
        };
        if level.eq_ignore_ascii_case("public") {
            let name = match &codespace {
                Some(codespace) => format!("codespace {codespace} port {port}"),
                None => format!("codespace port {port}"),
            };
            outcome.effects.push(Effect::MakePublic {
                resource: Resource::Other { name },
            });
        }
    }
    outcome
}
