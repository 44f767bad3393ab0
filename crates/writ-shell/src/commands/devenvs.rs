//! Remote development environments and terminal sharing. `coder ssh
//! WORKSPACE [--] CMD...` and `gitpod workspace|ws ssh ID -- CMD...` run
//! CMD on the workspace, a machine of its own, as `ssh HOST CMD` does;
//! with no command they open an interactive shell, which does nothing
//! this analysis sees. Gitpod's `gp ports visibility PORT:public` makes a
//! workspace port reachable by anyone. Terminal sharing (`upterm host`,
//! `tmate`, `sshx`) hands this terminal to whoever joins through a relay:
//! a send to the relay's host (the one named, else the tool's default).

use super::{Invocation, Nested, Outcome, request, url};
use crate::args::{self, Arg, Spec};
use crate::{Effect, Payload, Resource};

/// Where a workspace's shell starts when its home is not known.
const REMOTE_HOME: &str = "~";

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let words: Vec<&str> = inv.args.iter().map(|a| a.text.as_str()).collect();
    let rest = |from: usize| inv.args.get(from..).unwrap_or_default();
    match (inv.program, words.as_slice()) {
        ("coder", ["ssh", ..]) => Some(coder_ssh(inv, rest(1))),
        ("gitpod", ["workspace" | "ws", "ssh", ..]) => Some(gitpod_ssh(inv, rest(2))),
        ("gp", ["ports", "visibility", ..]) => Some(gp_visibility(rest(2))),
        ("upterm", ["host", ..]) => Some(upterm_host(inv, rest(1))),
        ("tmate", _) => tmate(inv),
        ("sshx", _) => Some(sshx(inv)),
        _ => None,
    }
}

/// The command a workspace's shell runs from `cwd`, as shell text (ssh
/// joins its words); with none, what is piped in is the shell's script.
/// `gh codespace ssh` shares it.
pub(crate) fn remote_shell(inv: &Invocation<'_>, command: &[&Arg], cwd: &str) -> Outcome {
    let mut outcome = Outcome::default();
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
        cwd: cwd.to_owned(),
        stdin: true,
    });
    outcome
}

/// The words after a leading `--`, else all of them.
fn after_double_dash<'a>(words: &[&'a Arg]) -> Vec<&'a Arg> {
    match words.split_first() {
        Some((first, rest)) if first.text == "--" => rest.to_vec(),
        _ => words.to_vec(),
    }
}

/// `coder ssh [FLAGS] WORKSPACE [--] [CMD...]`.
fn coder_ssh(inv: &Invocation<'_>, args: &[Arg]) -> Outcome {
    let items = args::parse(
        args,
        &Spec {
            short: "elR",
            long: &[
                "env",
                "log-dir",
                "remote-forward",
                "identity-agent",
                "workspace-poll-interval",
                "wait",
                "ssh-host-prefix",
                "hostname-suffix",
                "network-info-dir",
                "network-info-interval",
                "url",
                "token",
                "header",
                "header-command",
                "global-config",
            ],
            stop_after: Some(1),
        },
    );
    let positionals = args::positionals(&items);
    let command = after_double_dash(positionals.get(1..).unwrap_or_default());
    remote_shell(inv, &command, REMOTE_HOME)
}

/// `gitpod workspace ssh ID [--dry-run] [-- CMD...]`: `--dry-run` only
/// prints the ssh command.
fn gitpod_ssh(inv: &Invocation<'_>, args: &[Arg]) -> Outcome {
    let Some(at) = args.iter().position(|a| a.text == "--") else {
        return Outcome::default();
    };
    if args
        .get(..at)
        .unwrap_or_default()
        .iter()
        .any(|a| a.text == "--dry-run")
    {
        return Outcome::default();
    }
    let command: Vec<&Arg> = args.get(at + 1..).unwrap_or_default().iter().collect();
    remote_shell(inv, &command, REMOTE_HOME)
}

/// `gp ports visibility PORT:{public|private}`: a port made `public` is
/// reachable by anyone who has its URL.
fn gp_visibility(args: &[Arg]) -> Outcome {
    let mut outcome = Outcome::default();
    for setting in args.iter().filter(|a| !a.text.starts_with('-')) {
        if let Some((port, level)) = setting.text.split_once(':')
            && level.eq_ignore_ascii_case("public")
        {
            outcome.effects.push(Effect::MakePublic {
                resource: Resource::Other {
                    name: format!("gitpod workspace port {port}"),
                },
            });
        }
    }
    outcome
}

/// A terminal shared through `relay`: whoever joins there types into it.
fn shared_terminal(program: &str, relay: &str) -> Outcome {
    Outcome::default().effect(request(
        program,
        url(relay),
        "SEND",
        Payload::default(),
        false,
    ))
}

/// upterm's relay when none is named.
const UPTERM_SERVER: &str = "ssh://uptermd.upterm.dev:22";

/// `upterm host [--server URL] [FLAGS] [-- CMD...]` (`UPTERM_SERVER`).
fn upterm_host(inv: &Invocation<'_>, args: &[Arg]) -> Outcome {
    let items = args::parse(
        args,
        &Spec {
            short: "fi",
            long: &[
                "server",
                "authorized-keys",
                "codeberg-user",
                "force-command",
                "github-user",
                "gitlab-user",
                "srht-user",
                "known-hosts",
                "private-key",
            ],
            stop_after: None,
        },
    );
    let server = args::value(&items, &["--server"])
        .or_else(|| inv.env_value("UPTERM_SERVER"))
        .map_or(UPTERM_SERVER, |s| s.text.as_str());
    shared_terminal("upterm", server)
}

/// tmate's relay when its configuration names none.
const TMATE_SERVER: &str = "ssh://ssh.tmate.io:22";

/// `tmate [-S SOCKET] [-f FILE] [new-session ...]`: starting a session
/// shares it through tmate's relay; other commands (`tmate -S S wait
/// tmate-ready`, `display -p '#{tmate_ssh}'`) act on a running one.
fn tmate(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "cfLSkrna",
            stop_after: Some(1),
            ..Spec::default()
        },
    );
    let starts = args::positionals(&items)
        .first()
        .is_none_or(|verb| matches!(verb.text.as_str(), "new-session" | "new"));
    starts.then(|| shared_terminal("tmate", TMATE_SERVER))
}

/// sshx's relay when none is named.
const SSHX_SERVER: &str = "https://sshx.io";

/// `sshx [--server URL] [--shell SH] [--name N]` (`SSHX_SERVER`).
fn sshx(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &["server", "shell", "name"],
            stop_after: None,
        },
    );
    let server = args::value(&items, &["--server"])
        .or_else(|| inv.env_value("SSHX_SERVER"))
        .map_or(SSHX_SERVER, |s| s.text.as_str());
    shared_terminal("sshx", server)
}
