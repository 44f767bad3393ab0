//! Fossil: `fossil push|sync [URL]` sends the repository's check-ins (with
//! `--private`, its private branches too) to URL as `git push` does;
//! `pull` and `clone URL [FILE]` read from URL. With no URL, the remote
//! the repository remembers is not on the line: nothing is reported.
//! `-B/--httpauth USER:PASS` and the user info of the URL go to its server.

use super::super::git::clone_from;
use super::super::{Invocation, Outcome};
use super::{changesets_push, credentials_request, download, is_network_url};
use crate::args::{self, Arg, Spec};
use crate::flow;

/// Fossil's sync and clone options that take a value.
const VALUE_OPTIONS: &[&str] = &[
    "repository",
    "httpauth",
    "transport-command",
    "ssh-command",
    "proxy",
    "admin-user",
    "workdir",
    "project-code",
];

pub(super) fn fossil(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "RBAc",
            long: VALUE_OPTIONS,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let Some((command, operands)) = positional.split_first() else {
        return Outcome::default();
    };
    let httpauth = args::values(&items, &["-B", "--httpauth"]);
    let Some(remote) = operands.first().copied() else {
        return Outcome::default();
    };
    match command.text.as_str() {
        "push" | "sync" => push(inv, remote, &httpauth),
        "pull" => Outcome {
            effects: download("fossil", remote, &httpauth),
            ..Outcome::default()
        },
        "clone" => clone(inv, remote, operands.get(1).copied(), &httpauth),
        _ => Outcome::default(),
    }
}

/// The repository's check-ins go to `remote`.
fn push(inv: &Invocation<'_>, remote: &Arg, httpauth: &[&Arg]) -> Outcome {
    let mut outcome = Outcome::default();
    if is_network_url(&remote.text)
        && let Some(credentials) =
            credentials_request("fossil", &remote.text, Some(remote), httpauth)
    {
        outcome.effects.push(credentials);
    }
    outcome.effect(changesets_push(inv.cwd, &remote.text, Vec::new(), false))
}

/// `fossil clone URL [FILE]`: a download into FILE.
fn clone(inv: &Invocation<'_>, source: &Arg, file: Option<&Arg>, httpauth: &[&Arg]) -> Outcome {
    let mut outcome = clone_from("fossil", inv, &source.text, Some(file));
    if let Some(crate::Effect::Request(request)) = outcome.effects.first_mut() {
        flow::merge(&mut request.payload, &source.expansions());
        for credential in httpauth {
            flow::merge(&mut request.payload, &credential.payload());
        }
    }
    outcome
}
