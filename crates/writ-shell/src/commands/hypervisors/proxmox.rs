//! Proxmox VE's access control, which decides who may do what with the
//! cluster's machines: `pveum` (`acl modify PATH --roles R --users U`,
//! `user add|modify|delete`, tokens, groups, roles, realms, `passwd`, and
//! the older one-word forms `aclmod`, `useradd`, ...) and `pvesh
//! create|set|delete` on the API's `/access` paths. Each change is an
//! [`Effect::GrantAccess`] whose resource names what changes and with
//! which roles or groups, once for each user, group or token it names;
//! listings, `ticket` and `user permissions` read. Where the command runs
//! (`ssh root@node "pveum ..."`) is the cluster it changes.

use super::super::{Invocation, Outcome};
use crate::args::Arg;
use crate::{Effect, Resource};

/// A Proxmox command's operands and `--name value` options (a boolean
/// option may stand alone, before another option).
struct Words<'a> {
    operands: Vec<&'a str>,
    options: Vec<(&'a str, &'a str)>,
}

fn words(args: &[Arg]) -> Words<'_> {
    let mut operands = Vec::new();
    let mut options = Vec::new();
    let mut at = 0;
    while let Some(word) = args.get(at) {
        let text = word.text.as_str();
        at += 1;
        // Options are written with two dashes or, in older forms, one.
        let Some(name) = text
            .strip_prefix("--")
            .or_else(|| text.strip_prefix('-'))
            .filter(|n| n.starts_with(|c: char| c.is_ascii_alphabetic()))
        else {
            operands.push(text);
            continue;
        };
        if let Some((name, value)) = name.split_once('=') {
            options.push((name, value));
            continue;
        }
        match args.get(at) {
            Some(value) if !value.text.starts_with('-') => {
                options.push((name, value.text.as_str()));
                at += 1;
            }
            _ => options.push((name, "1")),
        }
    }
    Words { operands, options }
}

impl Words<'_> {
    fn option(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }

    /// The users, groups and tokens named by `--users`, `--groups` and
    /// `--tokens` (comma-separated lists; older forms say `-user`,
    /// `-group`).
    fn principals(&self) -> Vec<String> {
        ["users", "groups", "tokens", "user", "group", "token"]
            .iter()
            .filter_map(|name| self.option(name))
            .flat_map(|list| list.split(','))
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// The settings that decide access, as `key=value`.
    fn settings(&self) -> Vec<String> {
        [
            "roles",
            "role",
            "groups",
            "privs",
            "propagate",
            "privsep",
            "enable",
        ]
        .iter()
        .filter_map(|name| self.option(name).map(|v| format!("{name}={v}")))
        .collect()
    }
}

/// What a change does: the kind of thing and its name.
fn change(kind: &str, name: &str, words: &Words<'_>, grantees: Vec<String>) -> Vec<Effect> {
    let settings = words.settings();
    let name = if settings.is_empty() {
        format!("proxmox {kind} {name}")
    } else {
        format!("proxmox {kind} {name} ({})", settings.join(", "))
    };
    let resource = || Resource::Other { name: name.clone() };
    if grantees.is_empty() {
        return vec![Effect::GrantAccess {
            resource: resource(),
            grantee: None,
        }];
    }
    grantees
        .into_iter()
        .map(|grantee| Effect::GrantAccess {
            resource: resource(),
            grantee: Some(grantee),
        })
        .collect()
}

/// The one-word forms of pveum's commands, as their two-word ones.
fn long_form(word: &str) -> Option<(&'static str, &'static str)> {
    Some(match word {
        "aclmod" => ("acl", "modify"),
        "acldel" => ("acl", "delete"),
        "useradd" => ("user", "add"),
        "usermod" => ("user", "modify"),
        "userdel" => ("user", "delete"),
        "groupadd" => ("group", "add"),
        "groupmod" => ("group", "modify"),
        "groupdel" => ("group", "delete"),
        "roleadd" => ("role", "add"),
        "rolemod" => ("role", "modify"),
        "roledel" => ("role", "delete"),
        _ => return None,
    })
}

/// True for a subcommand that changes what it names.
fn changes(verb: &str) -> bool {
    matches!(
        verb,
        "add" | "modify" | "delete" | "remove" | "update" | "sync" | "unlock"
    )
}

/// `pveum COMMAND ...` (module docs).
pub(super) fn pveum(inv: &Invocation<'_>) -> Outcome {
    let words = words(inv.args);
    let mut outcome = Outcome::default();
    let mut operands: Vec<&str> = words.operands.clone();
    if let Some((noun, verb)) = operands.first().and_then(|w| long_form(w)) {
        operands.splice(0..1, [noun, verb]);
    }
    let effects = match operands.as_slice() {
        ["acl", verb, path, ..] if changes(verb) => change("acl", path, &words, words.principals()),
        ["user", "token", verb, user, token, ..] if changes(verb) => change(
            "token",
            &format!("{user}!{token}"),
            &words,
            vec![(*user).to_owned()],
        ),
        ["user", "tfa", verb, user, ..] if changes(verb) => {
            change("user tfa", user, &words, vec![(*user).to_owned()])
        }
        ["user", verb, user, ..] if changes(verb) => {
            change("user", user, &words, vec![(*user).to_owned()])
        }
        ["passwd", user, ..] => change("password", user, &words, vec![(*user).to_owned()]),
        [kind @ ("group" | "role" | "realm"), verb, name, ..] if changes(verb) => {
            change(kind, name, &words, Vec::new())
        }
        _ => Vec::new(),
    };
    outcome.effects.extend(effects);
    outcome
}

/// `pvesh create|set|delete /access/...`: the API's access changes, as
/// pveum's; other paths are left to the handlers after this one.
pub(super) fn pvesh(inv: &Invocation<'_>) -> Option<Outcome> {
    let words = words(inv.args);
    let [verb, path, ..] = words.operands.as_slice() else {
        return None;
    };
    if !matches!(*verb, "create" | "set" | "delete") {
        return None;
    }
    let parts: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|p| !p.is_empty())
        .collect();
    let effects = match parts.as_slice() {
        ["access", "acl"] => {
            let on = words.option("path").unwrap_or("/");
            change("acl", on, &words, words.principals())
        }
        ["access", "users"] => {
            let user = words.option("userid").unwrap_or_default().to_owned();
            change("user", &user, &words, vec![user.clone()])
        }
        ["access", "users", user, "token", token] => change(
            "token",
            &format!("{user}!{token}"),
            &words,
            vec![(*user).to_owned()],
        ),
        ["access", "users", user, ..] => change("user", user, &words, vec![(*user).to_owned()]),
        ["access", "password"] => {
            let user = words.option("userid").unwrap_or_default().to_owned();
            change("password", &user, &words, vec![user.clone()])
        }
        ["access", kind @ ("groups" | "roles" | "domains"), rest @ ..] => {
            let id_option = match *kind {
                "groups" => "groupid",
                "roles" => "roleid",
                _ => "realm",
            };
            let name = rest
                .first()
                .copied()
                .or_else(|| words.option(id_option))
                .unwrap_or_default();
            change(kind.trim_end_matches('s'), name, &words, Vec::new())
        }
        _ => return None,
    };
    let mut outcome = Outcome::default();
    outcome.effects.extend(effects);
    Some(outcome)
}
