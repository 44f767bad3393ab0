//! Perforce's `p4`: every command goes to the server that `-p PORT` or
//! `P4PORT` names (`[ssl|tcp...:]host:port`). `submit` and `shelve` send
//! the workspace's files there (the repository's contents, as a push
//! does); `obliterate -y` destroys history there; `protect`, `group` and
//! `grant-permission` change who may do what; reads (`sync`, `files`,
//! `print`, `protects`, a spec's `-o`) change nothing there; every other
//! command changes server state (opened files, specs, counters). When the
//! line names no server, the one the user's configuration names is
//! unknown and no request is reported; access changes are, wherever they
//! go.

use super::{Invocation, Outcome, request};
use crate::args::Arg;
use crate::{Effect, Payload, Resource, Target, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    (inv.program == "p4").then(|| p4(inv))
}

/// p4's global options that take a value (`p4 help usage`).
const GLOBAL_VALUE_LETTERS: &str = "bcCdHLpPQruvxz";

/// The `PROTOCOL:` prefixes of a P4PORT.
const PROTOCOLS: &[&str] = &[
    "tcp", "tcp4", "tcp6", "tcp46", "tcp64", "ssl", "ssl4", "ssl6", "ssl46", "ssl64",
];

/// Commands that only read from the server (their output aside).
const READS: &[&str] = &[
    "annotate",
    "branches",
    "changes",
    "changelists",
    "clients",
    "counters",
    "cstat",
    "depots",
    "describe",
    "diff",
    "diff2",
    "dirs",
    "filelog",
    "files",
    "fixes",
    "fstat",
    "grep",
    "groups",
    "have",
    "ignores",
    "info",
    "interchanges",
    "istat",
    "jobs",
    "keys",
    "labels",
    "login",
    "logout",
    "opened",
    "print",
    "protects",
    "remotes",
    "servers",
    "sizes",
    "status",
    "streams",
    "sync",
    "unshelve",
    "users",
    "where",
    "workspaces",
];

/// Commands that change nothing at any server.
const LOCAL: &[&str] = &["help", "set", "tickets", "trust"];

fn p4(inv: &Invocation<'_>) -> Outcome {
    let mut port: Option<Arg> = None;
    let mut password: Option<Arg> = None;
    let mut rest = inv.args;
    while let Some((word, tail)) = rest.split_first() {
        let text = word.text.as_str();
        let Some(letter) = text
            .strip_prefix('-')
            .and_then(|o| o.chars().next())
            .filter(|_| text.len() > 1)
        else {
            break;
        };
        rest = tail;
        if !GLOBAL_VALUE_LETTERS.contains(letter) {
            continue;
        }
        // `-p PORT` or `-pPORT`.
        let attached = text.get(2..).filter(|v| !v.is_empty());
        let separate = match attached {
            Some(_) => None,
            None => {
                let value = rest.first();
                rest = rest.get(1..).unwrap_or_default();
                value
            }
        };
        let value = || {
            attached
                .map(|a| word.with_text(a))
                .or_else(|| separate.cloned())
        };
        match letter {
            'p' => port = value(),
            'P' => password = value(),
            _ => {}
        }
    }
    let Some((command, args)) = rest.split_first() else {
        return Outcome::default();
    };
    let command = command.text.as_str();
    if LOCAL.contains(&command) {
        return Outcome::default();
    }
    let has = |flag: &str| args.iter().any(|a| a.text == flag);
    let mut outcome = Outcome::default();
    let server_text = port
        .as_ref()
        .map(|p| p.text.as_str())
        .or_else(|| inv.env_value("P4PORT").map(|v| v.text.as_str()));
    let server = server_text.and_then(server_address);
    let server_name = server_text.unwrap_or("the configured server");
    // Who may do what.
    let access = match command {
        "protect" | "group" if !has("-o") => Some(match command {
            "protect" => format!("perforce protections at {server_name}"),
            _ => match args.iter().rfind(|a| !a.text.starts_with('-')) {
                Some(group) => format!("perforce group {} at {server_name}", group.text),
                // `group -i` takes the group's spec from standard input.
                None => format!("perforce groups at {server_name}"),
            },
        }),
        "grant-permission" | "revoke-permission" => {
            Some(format!("perforce repository permissions at {server_name}"))
        }
        _ => None,
    };
    if let Some(resource) = access {
        let grantee = option_after(args, &["-u", "-g"]).map(|g| g.text.clone());
        outcome.effects.push(Effect::GrantAccess {
            resource: Resource::Other { name: resource },
            grantee,
        });
    }
    let Some((host, port_number)) = server else {
        return outcome;
    };
    let (method, mut payload) = match command {
        "submit" => ("UPLOAD", submitted(args)),
        "shelve" if !has("-d") => ("UPLOAD", submitted(args)),
        "obliterate" if has("-y") => ("DELETE", expansions(args)),
        // Without `-y`, obliterate only reports what it would remove.
        "obliterate" => ("DOWNLOAD", expansions(args)),
        _ if READS.contains(&command) || has("-o") || has("-n") => ("DOWNLOAD", expansions(args)),
        // What it changes, named by its operands.
        _ => {
            let mut payload = expansions(args);
            for arg in args.iter().filter(|a| !a.text.starts_with('-')) {
                flow::push_text(&mut payload, &arg.text);
            }
            ("SEND", payload)
        }
    };
    if let Some(password) = &password {
        flow::merge(&mut payload, &password.payload());
    }
    flow::merge(&mut payload, &super::publish::credentials(inv, &[], &[]));
    let target = Target::Host {
        user: None,
        host,
        port: port_number,
        path: None,
    };
    outcome
        .effects
        .push(request(inv.program, target, method, payload, false));
    outcome
}

/// What `submit` and `shelve` send: the workspace's files (the
/// repository's contents) and the change's `-d` description.
fn submitted(args: &[Arg]) -> Payload {
    let mut payload = Payload {
        repository: true,
        ..Payload::default()
    };
    if let Some(description) = option_after(args, &["-d"]) {
        flow::merge(&mut payload, &description.payload());
    }
    payload
}

/// The value of the first of `names` among a command's words.
fn option_after<'a>(args: &'a [Arg], names: &[&str]) -> Option<&'a Arg> {
    args.iter()
        .position(|a| names.contains(&a.text.as_str()))
        .and_then(|at| args.get(at + 1))
}

/// What a command's words carry besides their text (variables, substitutions).
fn expansions(args: &[Arg]) -> Payload {
    let mut payload = Payload::default();
    for arg in args {
        flow::merge(&mut payload, &arg.expansions());
    }
    payload
}

/// The host and port a P4PORT names: `[PROTOCOL:]host[:port]`, or a bare
/// port on this machine; `rsh:` runs a local server (none).
fn server_address(text: &str) -> Option<(String, Option<u16>)> {
    let rest = match text.split_once(':') {
        Some((protocol, rest)) if PROTOCOLS.contains(&protocol.to_ascii_lowercase().as_str()) => {
            rest
        }
        Some(("rsh", _)) => return None,
        _ => text,
    };
    if rest.is_empty() {
        return None;
    }
    if let Ok(port) = rest.parse::<u16>() {
        return Some(("localhost".to_owned(), Some(port)));
    }
    match rest.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() => match port.parse::<u16>() {
            Ok(port) => Some((host.to_owned(), Some(port))),
            Err(_) => Some((rest.to_owned(), None)),
        },
        _ => Some((rest.to_owned(), None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_p4ports() {
        let ssl = server_address("ssl:perforce.example.com:1666");
        assert_eq!(ssl, Some(("perforce.example.com".to_owned(), Some(1666))));
        let tcp = server_address("tcp6:p4.example.com:1667");
        assert_eq!(tcp, Some(("p4.example.com".to_owned(), Some(1667))));
        let bare = server_address("p4.example.com:1666");
        assert_eq!(bare, Some(("p4.example.com".to_owned(), Some(1666))));
        let name = server_address("perforce");
        assert_eq!(name, Some(("perforce".to_owned(), None)));
        let local = server_address("1666");
        assert_eq!(local, Some(("localhost".to_owned(), Some(1666))));
        assert_eq!(server_address("rsh:p4d -r /p4root -i"), None);
        assert_eq!(server_address(""), None);
    }
}
