//! parallel-ssh's copy tools: `pscp.pssh`/`parallel-scp` and
//! `prsync`/`parallel-rsync` send local files to every host, as `scp`
//! and `rsync` send them to one; `pslurp`/`parallel-slurp` fetch a remote
//! file from each host into a local directory; `pnuke`/`parallel-nuke`
//! kills the processes a pattern names on each host. A bare `pscp` is
//! parallel-ssh's when it names hosts the way parallel-ssh does (`-h`,
//! `-H`), else PuTTY's scp.

use super::super::{Invocation, Outcome, request, send_file};
use super::{PSSH_SPEC, host_names, remote, user_host_port};
use crate::args::{self, Arg, Item};
use crate::{Payload, Target, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "pscp.pssh" | "parallel-scp" => Some(copy(inv, "pscp")),
        "pscp" if names_pssh_hosts(inv.args) => Some(copy(inv, "pscp")),
        "pscp" => Some(putty_pscp(inv)),
        "prsync" | "parallel-rsync" => Some(copy(inv, "prsync")),
        "pslurp" | "parallel-slurp" => Some(slurp(inv)),
        "pnuke" | "parallel-nuke" => Some(nuke(inv)),
        _ => None,
    }
}

/// True when the arguments name hosts as parallel-ssh does (`-h FILE`,
/// `-H HOST`, `--hosts`, `--host`): PuTTY's pscp has none of these.
fn names_pssh_hosts(args: &[Arg]) -> bool {
    args.iter().any(|a| {
        matches!(a.text.as_str(), "-h" | "-H" | "--hosts" | "--host")
            || a.text.starts_with("--hosts=")
            || a.text.starts_with("--host=")
    })
}

/// The hosts (`[user@]host[:port]`) named by `-H`, each value a
/// space-separated list; a `-h` hosts file is read (its hosts are not
/// known).
fn hosts(inv: &Invocation<'_>, items: &[Item<'_>], outcome: &mut Outcome) -> Vec<String> {
    for file in args::values(items, &["-h", "--hosts"]) {
        outcome.read(inv.path(&file.text), false);
    }
    args::values(items, &["-H", "--host"])
        .iter()
        .flat_map(|v| v.text.split_whitespace())
        .map(str::to_owned)
        .collect()
}

/// The ssh port an `-x '-p N'` (or `-X -p -X N`, `-O Port=N`) passes.
fn ssh_port(items: &[Item<'_>]) -> Option<u16> {
    let mut words: Vec<String> = Vec::new();
    for value in args::values(items, &["-x", "--extra-args", "-X", "--extra-arg"]) {
        words.extend(value.text.split_whitespace().map(str::to_owned));
    }
    let from_args = words
        .windows(2)
        .find(|pair| pair[0] == "-p")
        .and_then(|pair| pair[1].parse().ok())
        .or_else(|| {
            words
                .iter()
                .find_map(|w| w.strip_prefix("-p").and_then(|p| p.parse().ok()))
        });
    from_args.or_else(|| {
        args::values(items, &["-O", "--option"])
            .iter()
            .find_map(|o| {
                let (key, value) = o.text.split_once(['=', ' '])?;
                key.eq_ignore_ascii_case("port")
                    .then(|| value.trim().parse().ok())
                    .flatten()
            })
    })
}

/// The target of each host: its own user and port, else `-l` and the
/// ssh arguments' port, and `path` there.
fn targets(hosts: &[String], login: Option<&str>, port: Option<u16>, path: &str) -> Vec<Target> {
    hosts
        .iter()
        .map(|entry| {
            let (user, host, own_port) = user_host_port(entry);
            Target::Host {
                user: user.or_else(|| login.map(str::to_owned)),
                host,
                port: own_port.or(port),
                path: Some(path.to_owned()),
            }
        })
        .collect()
}

/// `pscp.pssh [-r] -H HOSTS LOCAL... REMOTE`, `prsync [-r|-a] -H HOSTS
/// LOCAL... REMOTE`: each local file (its expansions too) is uploaded to
/// REMOTE on every host.
fn copy(inv: &Invocation<'_>, program: &str) -> Outcome {
    let items = args::parse(inv.args, &PSSH_SPEC);
    let mut outcome = Outcome::default();
    let hosts = hosts(inv, &items, &mut outcome);
    let words = args::positionals(&items);
    let Some((destination, sources)) = words.split_last() else {
        return outcome;
    };
    let recursive = args::has(&items, &["-r", "--recursive", "-a", "--archive"]);
    let mut payload = Payload::default();
    for source in sources {
        send_file(inv, &mut payload, &source.text, recursive);
        flow::merge(&mut payload, &source.expansions());
    }
    let login = args::value(&items, &["-l", "--user"]).map(|u| u.text.as_str());
    for target in targets(&hosts, login, ssh_port(&items), &destination.text) {
        outcome
            .effects
            .push(request(program, target, "UPLOAD", payload.clone(), false));
    }
    outcome
}

/// `pslurp -H HOSTS [-L LOCALDIR] [-r] REMOTE LOCAL`: REMOTE on each host
/// is downloaded to `LOCALDIR/HOST/LOCAL` (LOCALDIR defaults to the
/// working directory).
fn slurp(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &PSSH_SPEC);
    let mut outcome = Outcome::default();
    let hosts = hosts(inv, &items, &mut outcome);
    let [source, local, ..] = args::positionals(&items)[..] else {
        return outcome;
    };
    let login = args::value(&items, &["-l", "--user"]).map(|u| u.text.as_str());
    let directory = args::value(&items, &["-L", "--localdir"])
        .map_or_else(|| inv.cwd.to_owned(), |d| inv.path(&d.text));
    for target in targets(&hosts, login, ssh_port(&items), &source.text) {
        outcome.effects.push(request(
            "pslurp",
            target,
            "DOWNLOAD",
            Payload::default(),
            false,
        ));
    }
    for host in host_names(&hosts) {
        outcome.write(format!("{directory}/{host}/{}", local.text), false);
    }
    outcome
}

/// `pnuke -H HOSTS PATTERN`: `pkill -9 PATTERN` on every host.
fn nuke(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &PSSH_SPEC);
    let mut outcome = Outcome::default();
    let hosts = hosts(inv, &items, &mut outcome);
    let Some(pattern) = args::positionals(&items).first().copied() else {
        return outcome;
    };
    let argv = vec![Arg::literal("pkill"), Arg::literal("-9"), pattern.clone()];
    outcome
        .nested
        .push(remote(argv, &host_names(&hosts), inv.home, false));
    outcome
}

/// PuTTY's options that take a value (`pscp -h`).
const PUTTY_VALUES: &[&str] = &[
    "-P",
    "-l",
    "-pw",
    "-i",
    "-load",
    "-hostkey",
    "-proxycmd",
    "-sshlog",
    "-sshrawlog",
    "-jumphost",
    "-pwfile",
];

/// PuTTY's `pscp [-P PORT] [-l USER] [-pw PASS] [-r] SOURCE... [USER@]HOST:TARGET`
/// (or the reverse): copies as `scp` does; the password (`-pw`, or the
/// file `-pwfile` names) is sent to the host.
fn putty_pscp(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut words: Vec<&Arg> = Vec::new();
    let mut options: Vec<(&str, &Arg)> = Vec::new();
    let mut iter = inv.args.iter();
    while let Some(arg) = iter.next() {
        let text = arg.text.as_str();
        if PUTTY_VALUES.contains(&text) {
            if let Some(value) = iter.next() {
                options.push((text, value));
            }
        } else if !(text.len() > 1 && text.starts_with('-')) {
            words.push(arg);
        }
    }
    let option = |name: &str| {
        options
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    };
    let recursive = inv.args.iter().any(|a| a.text == "-r");
    let port = option("-P").and_then(|p| p.text.parse().ok());
    let login = option("-l").map(|u| u.text.clone());
    let mut credential = Payload::default();
    if let Some(password) = option("-pw") {
        flow::merge(&mut credential, &password.payload());
    }
    if let Some(file) = option("-pwfile") {
        send_file(inv, &mut credential, &file.text, false);
    }
    let Some((destination, sources)) = words.split_last() else {
        return outcome;
    };
    let with_login = |target: Target| match target {
        Target::Host {
            user,
            host,
            port: own,
            path,
        } => Target::Host {
            user: user.or_else(|| login.clone()),
            host,
            port: own.or(port),
            path,
        },
        other => other,
    };
    let mut payload = credential.clone();
    for source in sources {
        match super::super::net::scp_remote(&source.text) {
            Some(target) => outcome.effects.push(request(
                "pscp",
                with_login(target),
                "DOWNLOAD",
                credential.clone(),
                false,
            )),
            None => {
                send_file(inv, &mut payload, &source.text, recursive);
                flow::merge(&mut payload, &source.expansions());
            }
        }
    }
    match super::super::net::scp_remote(&destination.text) {
        Some(target) => {
            outcome.effects.push(request(
                "pscp",
                with_login(target),
                "UPLOAD",
                payload,
                false,
            ));
        }
        None => outcome.write(inv.path(&destination.text), false),
    }
    outcome
}
