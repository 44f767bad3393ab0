//! Chef's `knife`: `knife ssh QUERY COMMAND` runs COMMAND on the nodes a
//! search (or, with `-m`, a list of hosts) finds, analysed as `ssh HOST
//! CMD`'s command is; `knife acl add|remove`, `knife acl bulk
//! add|remove`, `knife group add|remove`, `knife org user add|remove` and
//! `knife user|client key create` change who may do what on the Chef
//! server; `knife ... delete` and `knife cookbook upload` change the
//! server (the one `-s/--server-url` names, else the configuration's);
//! `knife data bag show --secret-file F` reads the secret.

use super::super::{Invocation, Outcome, request, send_file, url};
use super::{exec_requests_as, joined, remote, shell};
use crate::args::{self, Arg, Item, Spec};
use crate::{Effect, Payload, Resource};

/// knife's options that take a value (`knife --help`, `knife ssh --help`).
const KNIFE_SPEC: Spec<'static> = Spec {
    short: "sukcEFxPaCipGeoSKr",
    long: &[
        "server-url",
        "user",
        "key",
        "config",
        "config-option",
        "environment",
        "format",
        "profile",
        "chef-zero-port",
        "ssh-user",
        "ssh-password",
        "attribute",
        "concurrency",
        "ssh-identity-file",
        "ssh-port",
        "ssh-gateway",
        "ssh-gateway-identity",
        "editor",
        "secret",
        "secret-file",
        "cookbook-path",
        "run-list",
        "prefix-attribute",
        "exit-on-error",
        "tmux-split",
        "field-separator",
        "depends",
        "freeze",
    ],
    stop_after: None,
};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(inv.args, &KNIFE_SPEC);
    let words = args::positionals(&items);
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let mut outcome = Outcome::default();
    for file in args::values(&items, &["--secret-file"]) {
        outcome.read(inv.path(&file.text), false);
    }
    match texts.as_slice() {
        ["ssh", ..] => ssh(inv, &items, &words, &mut outcome),
        ["acl", "add" | "remove", _, member, kind, name, ..] => {
            grant(&mut outcome, &format!("chef {kind}/{name}"), member);
        }
        [
            "acl",
            "bulk",
            "add" | "remove",
            _,
            member,
            kind,
            pattern,
            ..,
        ] => {
            grant(&mut outcome, &format!("chef {kind}/{pattern}"), member);
        }
        ["group", "add" | "remove", _, member, group, ..] => {
            grant(&mut outcome, &format!("chef groups/{group}"), member);
        }
        ["org", "user", "add" | "remove", org, user, ..] => {
            grant(&mut outcome, &format!("chef organization {org}"), user);
        }
        ["user" | "client", "key", "create", name, ..] => {
            grant(&mut outcome, &format!("chef {} {name}", texts[0]), name);
        }
        [_, "delete", ..] | [_, _, "delete", ..] => {
            if let Some(server) = server(&items) {
                let what = texts.join(" ");
                let mut payload = Payload::default();
                crate::flow::push_text(&mut payload, &what);
                outcome
                    .effects
                    .push(request("knife", url(&server), "DELETE", payload, false));
            }
        }
        ["cookbook", "upload", names @ ..] => {
            let base = args::value(&items, &["-o", "--cookbook-path"])
                .map_or_else(|| inv.path("cookbooks"), |p| inv.path(&p.text));
            let mut payload = Payload::default();
            for name in names {
                send_file(inv, &mut payload, &format!("{base}/{name}"), true);
            }
            if let Some(server) = server(&items) {
                outcome
                    .effects
                    .push(request("knife", url(&server), "UPLOAD", payload, false));
            }
        }
        _ => {}
    }
    Some(outcome)
}

/// The Chef server `-s/--server-url` names.
fn server(items: &[Item<'_>]) -> Option<String> {
    args::value(items, &["-s", "--server-url"]).map(|s| s.text.clone())
}

/// A change of `grantee`'s access to `resource` on the Chef server.
fn grant(outcome: &mut Outcome, resource: &str, grantee: &str) {
    outcome.effects.push(Effect::GrantAccess {
        resource: Resource::Other {
            name: resource.to_owned(),
        },
        grantee: Some(grantee.to_owned()),
    });
}

/// `knife ssh QUERY COMMAND... [-m] [-x USER] [-a ATTR]`: the command runs
/// on every node the search finds; with `-m` (`--manual-list`) QUERY is a
/// space-separated list of hosts. `interactive`, `screen`, `tmux`,
/// `macterm` and `csshx` open sessions rather than run a command.
fn ssh(inv: &Invocation<'_>, items: &[Item<'_>], words: &[&Arg], outcome: &mut Outcome) {
    let [_, query, command @ ..] = words else {
        return;
    };
    if command.is_empty() {
        return;
    }
    let command = joined(command);
    if matches!(
        command.text.as_str(),
        "interactive" | "screen" | "tmux" | "macterm" | "csshx" | "cssh"
    ) {
        return;
    }
    let hosts: Vec<String> = if args::has(items, &["-m", "--manual-list"]) {
        query.text.split_whitespace().map(str::to_owned).collect()
    } else {
        Vec::new()
    };
    let login = args::value(items, &["-x", "--ssh-user"]).map(|u| u.text.as_str());
    exec_requests_as(outcome, "knife", &hosts, &command, login);
    outcome
        .nested
        .push(remote(shell(&command), &hosts, inv.home, false));
}
