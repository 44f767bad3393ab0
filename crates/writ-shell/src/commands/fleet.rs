//! Commands that run a command on other hosts: Salt (`salt T cmd.run
//! CMD`, `salt-ssh -r`), parallel shells (`parallel-ssh`/`pssh`, `pdsh`,
//! `clush`) and parallel-ssh's copy tools ([`copies`]), Puppet Bolt
//! (`bolt command|script|file|task|apply`), Chef's `knife` ([`knife`]),
//! Puppet run here ([`puppet`]), and
//! the clouds' run-command services (`aws ssm
//! send-command`, `az vm run-command`, `gcloud compute ssh --command`).
//!
//! The command each one runs there is analysed as shell text (or
//! PowerShell, for a Windows document) in a [`Nested::Remote`] job, as
//! `ssh HOST CMD`'s is: what it sends, queries or changes elsewhere is
//! what it is, and [`remote_effects`] keeps of its effects on files only
//! what stays true on another machine.

mod copies;
mod knife;
mod puppet;

pub(crate) use puppet::written_manifests;

use super::{Invocation, Nested, Outcome, request, top_level};
use crate::args::{self, Arg, Spec};
use crate::{Effect, Payload, Target, paths};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "salt" | "salt-ssh" => salt(inv),
        "salt-call" => salt_call(inv),
        "parallel-ssh" | "pssh" => Some(pssh(inv)),
        "pdsh" => Some(pdsh(inv)),
        "clush" => clush(inv),
        "aws" => ssm(inv),
        "gcloud" => gcloud_ssh(inv),
        "az" => az_run_command(inv),
        "bolt" => bolt(inv),
        "puppet" => puppet::handle(inv),
        "knife" => knife::handle(inv),
        _ => copies::handle(inv),
    }
}

/// What an effect of a command run on another host is here. Its reads
/// stay (what it reads there is what it prints or sends, and a path's
/// label is matched whichever host holds the file), as do its requests,
/// queries and cloud changes. Its writes are that host's files, not this
/// machine's, and go, as do the git settings of its repositories; a
/// delete goes too unless it destroys the whole tree of `/` or the
/// login's home, which is the same harm on any host. A database client
/// that names no server, or names this machine, reaches the host it runs
/// on: one query for each of `hosts`.
pub(crate) fn remote_effects(effect: Effect, hosts: &[String], home: &str) -> Vec<Effect> {
    match effect {
        // Keys that may log in there, or its sudoers and account files,
        // added or taken away: access to the host changes (`cat k.pub |
        // ssh h 'cat >> ~/.ssh/authorized_keys'`, `ssh h 'sudo usermod -aG sudo u'`).
        Effect::Write { ref path, .. } | Effect::Delete { ref path, .. }
            if {
                let recursive = matches!(
                    effect,
                    Effect::Delete {
                        recursive: true,
                        ..
                    }
                );
                super::changes_login_keys(path, recursive)
                    || super::changes_account_access(path, recursive)
            } =>
        {
            let on = if hosts.is_empty() {
                vec![String::new()]
            } else {
                hosts.to_vec()
            };
            on.into_iter()
                .map(|host| Effect::GrantAccess {
                    resource: crate::Resource::Other {
                        name: if host.is_empty() {
                            path.clone()
                        } else {
                            format!("{host}:{path}")
                        },
                    },
                    grantee: None,
                })
                .collect()
        }
        Effect::Write { .. }
        | Effect::DeleteNamed { .. }
        | Effect::GitRemote { .. }
        | Effect::GitSetting { .. }
        | Effect::GitSwitch { .. } => Vec::new(),
        Effect::Delete { path, recursive } => {
            if recursive && whole_tree(&path, home) {
                vec![Effect::Delete { path, recursive }]
            } else {
                Vec::new()
            }
        }
        Effect::Sql(sql) if !hosts.is_empty() && sql.host.as_deref().is_none_or(local_server) => {
            hosts
                .iter()
                .map(|host| {
                    Effect::Sql(crate::Sql {
                        host: Some(host.clone()),
                        ..sql.clone()
                    })
                })
                .collect()
        }
        Effect::DataCommand(data)
            if !hosts.is_empty() && data.host.as_deref().is_none_or(local_server) =>
        {
            hosts
                .iter()
                .map(|host| {
                    Effect::DataCommand(crate::DataCommand {
                        host: Some(host.clone()),
                        ..data.clone()
                    })
                })
                .collect()
        }
        other => vec![other],
    }
}

/// A database server address that is the machine the client runs on: a
/// loopback name or address, or a Unix socket's directory.
fn local_server(host: &str) -> bool {
    crate::is_loopback_host(host) || host.starts_with('/')
}

/// `/`, the home directory or a directory above it, or everything in one
/// of them (`dir/*`).
fn whole_tree(path: &str, home: &str) -> bool {
    let path = path
        .strip_suffix("/*")
        .or(path.strip_suffix("/.*"))
        .unwrap_or(path);
    path.is_empty() || path == "/" || paths::is_within(home, path)
}

/// Shell text run by the host's shell.
fn shell(text: &Arg) -> Vec<Arg> {
    vec![Arg::literal("sh"), Arg::literal("-c"), text.clone()]
}

/// PowerShell text run by the host's PowerShell.
fn powershell(text: &Arg) -> Vec<Arg> {
    vec![
        Arg::literal("powershell"),
        Arg::literal("-NoProfile"),
        Arg::literal("-Command"),
        text.clone(),
    ]
}

/// A job run on `hosts` (when their names are known) from `cwd`.
fn remote(argv: Vec<Arg>, hosts: &[String], cwd: &str, stdin: bool) -> Nested {
    Nested::Remote {
        argv,
        hosts: hosts.to_vec(),
        cwd: cwd.to_owned(),
        stdin,
    }
}

/// `[user@]host[:port]` split.
fn user_host_port(text: &str) -> (Option<String>, String, Option<u16>) {
    let (user, rest) = match text.rsplit_once('@') {
        Some((user, rest)) => (Some(user.to_owned()), rest),
        None => (None, text),
    };
    match rest.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') && port.parse::<u16>().is_ok() => {
            (user, host.to_owned(), port.parse().ok())
        }
        _ => (user, rest.to_owned(), None),
    }
}

/// A request that runs `command` on each host (`[user@]host[:port]`), as
/// `login` when the entry names no user.
fn exec_requests_as(
    outcome: &mut Outcome,
    program: &str,
    hosts: &[String],
    command: &Arg,
    login: Option<&str>,
) {
    for target in hosts {
        let (user, host, port) = user_host_port(target);
        outcome.effects.push(request(
            program,
            Target::Host {
                user: user.or_else(|| login.map(str::to_owned)),
                host,
                port,
                path: None,
            },
            "EXEC",
            command.payload(),
            false,
        ));
    }
}

// ------------------------------------------------------------------- bolt

/// Bolt's options that take a value (`bolt --help`).
const BOLT_SPEC: Spec<'static> = Spec {
    short: "tuipe",
    long: &[
        "targets",
        "query",
        "rerun",
        "user",
        "password",
        "private-key",
        "run-as",
        "sudo-password",
        "inventoryfile",
        "project",
        "modulepath",
        "concurrency",
        "compile-concurrency",
        "transport",
        "connect-timeout",
        "tmpdir",
        "format",
        "log-level",
        "env-var",
        "params",
        "execute",
        "hiera-config",
        "script-dir",
        "color",
    ],
    stop_after: None,
};

/// `bolt command run CMD`, `bolt script run SCRIPT [ARGS]`, `bolt file
/// upload SRC DEST`, `bolt file download SRC DEST`, `bolt task run TASK
/// [K=V]...`, `bolt plan run PLAN [K=V]...` and `bolt apply [MANIFEST | -e
/// CODE]`, each `--targets T1,T2` (`-t`). A command runs on every target
/// as `ssh HOST CMD`'s does (PowerShell over `winrm://`); a script, an
/// upload or a manifest sends its file; a task, plan or apply changes the
/// targets with its parameters, unless `--noop`. A download writes its
/// local destination. Targets that are inventory groups name no host;
/// `localhost` and `local://` run here.
fn bolt(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(inv.args, &BOLT_SPEC);
    let words = args::positionals(&items);
    let verb: Vec<&str> = words.iter().take(2).map(|w| w.text.as_str()).collect();
    let operands = words.get(2..).unwrap_or_default();
    let mut outcome = Outcome::default();
    for file in args::values(&items, &["-i", "--inventoryfile"]) {
        outcome.read(inv.path(&file.text), false);
    }
    let mut remote_hosts: Vec<(Option<String>, String, Option<u16>, bool)> = Vec::new();
    let mut local = false;
    for list in args::values(&items, &["-t", "--targets"]) {
        for entry in list.text.split(',').map(str::trim) {
            let (scheme, rest) = entry.split_once("://").unwrap_or(("ssh", entry));
            let (user, host, port) = user_host_port(rest);
            if scheme == "local" || crate::is_loopback_host(&host) {
                local = true;
            } else if host.contains('.') && !host.contains(['*', '!']) {
                remote_hosts.push((user, host, port, scheme == "winrm"));
            }
        }
    }
    let target =
        |(user, host, port, _): &(Option<String>, String, Option<u16>, bool)| Target::Host {
            user: user.clone(),
            host: host.clone(),
            port: *port,
            path: None,
        };
    let names: Vec<String> = remote_hosts.iter().map(|h| h.1.clone()).collect();
    let noop = args::has(&items, &["--noop"]);
    match verb.as_slice() {
        ["command", "run"] => {
            let command = operands.first()?;
            for host in &remote_hosts {
                outcome.effects.push(request(
                    "bolt",
                    target(host),
                    "EXEC",
                    command.payload(),
                    false,
                ));
            }
            let windows = remote_hosts.iter().any(|h| h.3);
            let argv = if windows {
                powershell(command)
            } else {
                shell(command)
            };
            if !names.is_empty() {
                outcome
                    .nested
                    .push(remote(argv.clone(), &names, inv.home, false));
            }
            if local {
                outcome.nested.push(Nested::Argv {
                    argv,
                    env: Vec::new(),
                    cwd: None,
                });
            }
        }
        ["script" | "file", "run" | "upload"] => {
            let file = operands.first()?;
            let mut payload = Payload::default();
            super::send_file(inv, &mut payload, &file.text, verb[0] == "file");
            for argument in operands.iter().skip(1).filter(|_| verb[0] == "script") {
                crate::flow::merge(&mut payload, &argument.payload());
            }
            let method = if verb[0] == "script" { "EXEC" } else { "PUT" };
            for host in &remote_hosts {
                outcome.effects.push(request(
                    "bolt",
                    target(host),
                    method,
                    payload.clone(),
                    false,
                ));
            }
            if local && verb[0] == "script" {
                outcome.nested.push(Nested::Argv {
                    argv: operands.iter().map(|a| (*a).clone()).collect(),
                    env: Vec::new(),
                    cwd: None,
                });
            } else if local && let Some(dest) = operands.get(1) {
                outcome.read(inv.path(&file.text), true);
                outcome.write(inv.path(&dest.text), false);
            }
        }
        ["file", "download"] => {
            let dest = operands.get(1)?;
            for host in &remote_hosts {
                outcome.effects.push(request(
                    "bolt",
                    target(host),
                    "GET",
                    Payload::default(),
                    false,
                ));
            }
            outcome.write(inv.path(&dest.text), false);
        }
        ["task" | "plan", "run"] | ["apply", ..] => {
            let mut payload = Payload::default();
            for argument in operands {
                crate::flow::merge(&mut payload, &argument.payload());
            }
            for params in args::values(&items, &["--params", "-e", "--execute"]) {
                crate::flow::merge(&mut payload, &params.payload());
            }
            if verb[0] == "apply"
                && let Some(manifest) = words.get(1)
            {
                super::send_file(inv, &mut payload, &manifest.text, false);
            }
            let method = if noop { "GET" } else { "SEND" };
            for host in &remote_hosts {
                outcome.effects.push(request(
                    "bolt",
                    target(host),
                    method,
                    payload.clone(),
                    false,
                ));
            }
        }
        _ => return None,
    }
    Some(outcome)
}

// ------------------------------------------------------------------- salt

/// Salt's options that take a value.
const SALT_SPEC: Spec<'static> = Spec {
    short: "tbacl",
    long: &[
        "timeout",
        "batch-size",
        "batch",
        "batch-wait",
        "eauth",
        "config-dir",
        "log-level",
        "log-file",
        "log-file-level",
        "out",
        "output",
        "out-file",
        "output-file",
        "out-indent",
        "output-indent",
        "return",
        "return-config",
        "return-kwargs",
        "args-separator",
        "subset",
        "state-output",
        "state-verbose",
        "module-executors",
        "executor-opts",
        "metadata",
        "roster",
        "roster-file",
        "priv",
        "user",
        "passwd",
        "ssh-option",
        "saltfile",
        "id",
        "file-root",
        "pillar-root",
        "master",
        "retcode-passthrough",
    ],
    stop_after: None,
};

/// The minions a target names: a `-L` list, or one name that is a host
/// name (no glob); a pattern, grain, pillar or compound match names none.
fn salt_hosts(items: &[args::Item<'_>], target: &str) -> Vec<String> {
    if args::has(items, &["-L", "--list"]) {
        return target
            .split([',', ' '])
            .filter(|h| !h.is_empty())
            .map(str::to_owned)
            .collect();
    }
    let matcher = [
        "-E",
        "--pcre",
        "-G",
        "--grain",
        "--grain-pcre",
        "-P",
        "-N",
        "--nodegroup",
        "-C",
        "--compound",
        "-I",
        "--pillar",
        "-J",
        "--pillar-pcre",
        "-S",
        "--ipcidr",
        "-R",
        "--range",
    ];
    if args::has(items, &matcher) || !target.contains('.') || target.contains(['*', '?', '[']) {
        return Vec::new();
    }
    vec![target.to_owned()]
}

/// A `key=value` argument of a Salt function (Salt's own test: an
/// identifier, then `=` not followed by `=`).
fn salt_kwarg(text: &str) -> Option<(&str, &str)> {
    let (key, value) = text.split_once('=')?;
    let mut chars = key.chars();
    let first = chars.next()?;
    let identifier = (first.is_alphabetic() || first == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'));
    (identifier && !value.starts_with('=')).then_some((key, value))
}

/// `salt [OPTIONS] TARGET FUNCTION [ARGS...]` (and `salt-ssh`, whose
/// `-r` runs its argument as a raw shell command): `cmd.run`,
/// `cmd.shell`, `cmd.run_all` and the like run their command on the
/// minions, `cmd.powershell` PowerShell, `cmd.exec_code LANG CODE` the
/// interpreter's code, `cmd.script SOURCE` a script fetched from its
/// source. The command runs from its `cwd=`, else its user's home.
fn salt(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(inv.args, &SALT_SPEC);
    let positional = args::positionals(&items);
    let (target, rest) = positional.split_first()?;
    let hosts = salt_hosts(&items, &target.text);
    let mut outcome = Outcome::default();
    let raw = inv.program == "salt-ssh" && args::has(&items, &["-r", "--raw", "--raw-shell"]);
    let (function, arguments) = if raw {
        ("cmd.run", rest)
    } else {
        let (function, arguments) = rest.split_first()?;
        (function.text.as_str(), arguments)
    };
    let mut plain: Vec<&Arg> = Vec::new();
    let mut cwd = inv.home.to_owned();
    let mut named: Option<&Arg> = None;
    for arg in arguments.iter().copied() {
        match salt_kwarg(&arg.text) {
            Some(("cwd", dir)) => cwd = paths::resolve("/", inv.home, dir),
            Some(("cmd" | "code" | "source", _)) => named = Some(arg),
            Some(_) => {}
            None => plain.push(arg),
        }
    }
    let kwarg_value = |arg: &Arg| {
        let value = salt_kwarg(&arg.text).map_or(arg.text.as_str(), |(_, v)| v);
        arg.with_text(value)
    };
    let first = plain
        .first()
        .map(|a| (*a).clone())
        .or_else(|| named.map(kwarg_value));
    let login = args::value(&items, &["--user"]).map(|u| u.text.as_str());
    match function {
        "cmd.run" | "cmd.run_all" | "cmd.run_stdout" | "cmd.run_stderr" | "cmd.shell"
        | "cmd.run_bg" | "cmd.retcode" | "cmd.shells" => {
            let command = first?;
            exec_requests_as(&mut outcome, inv.program, &hosts, &command, login);
            outcome
                .nested
                .push(remote(shell(&command), &hosts, &cwd, false));
        }
        "cmd.powershell" | "cmd.powershell_all" => {
            let command = first?;
            exec_requests_as(&mut outcome, inv.program, &hosts, &command, login);
            outcome
                .nested
                .push(remote(powershell(&command), &hosts, &cwd, false));
        }
        "cmd.exec_code" | "cmd.exec_code_all" => {
            let language = plain.first()?;
            let code = plain
                .get(1)
                .map(|a| (*a).clone())
                .or_else(|| named.map(kwarg_value))?;
            let flag = match paths::basename(&language.text) {
                l if l.starts_with("python") || matches!(l, "sh" | "bash" | "zsh") => "-c",
                "perl" | "ruby" | "node" | "nodejs" => "-e",
                "php" => "-r",
                _ => return Some(outcome),
            };
            exec_requests_as(&mut outcome, inv.program, &hosts, &code, login);
            let argv = vec![(*language).clone(), Arg::literal(flag), code];
            outcome.nested.push(remote(argv, &hosts, &cwd, false));
        }
        "cmd.script" | "cmd.script_retcode" => {
            let source = first?;
            exec_requests_as(&mut outcome, inv.program, &hosts, &source, login);
            if source.text.starts_with("http://") || source.text.starts_with("https://") {
                outcome.effects.push(request(
                    inv.program,
                    super::url(&source.text),
                    "GET",
                    crate::Payload::default(),
                    false,
                ));
            }
            outcome
                .opaque
                .push(format!("{} {function} runs {}", inv.program, source.text));
        }
        // Other functions act on the minions' own state (`test.ping`,
        // `state.apply`); their arguments are not this machine's files.
        _ => {}
    }
    Some(outcome)
}

/// `salt-call [OPTIONS] cmd.run CMD`: the minion's own function, run on
/// this machine.
fn salt_call(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(inv.args, &SALT_SPEC);
    let positional = args::positionals(&items);
    let (function, arguments) = positional.split_first()?;
    if !matches!(
        function.text.as_str(),
        "cmd.run" | "cmd.run_all" | "cmd.run_stdout" | "cmd.run_stderr" | "cmd.shell"
    ) {
        return None;
    }
    let command = arguments.iter().find(|a| salt_kwarg(&a.text).is_none())?;
    let mut outcome = Outcome::default();
    outcome.nested.push(Nested::Argv {
        argv: shell(command),
        env: Vec::new(),
        cwd: None,
    });
    Some(outcome)
}

// -------------------------------------------------------- parallel shells

/// The options parallel-ssh's tools share, and each tool's own, that take
/// a value (`pssh --help`, `pscp --help`, `prsync --help`, `pslurp --help`).
const PSSH_SPEC: Spec<'static> = Spec {
    short: "hHlpoetOxXSL",
    long: &[
        "hosts",
        "host",
        "user",
        "par",
        "outdir",
        "errdir",
        "timeout",
        "option",
        "extra-args",
        "extra-arg",
        "ssh-args",
        "localdir",
    ],
    stop_after: None,
};

/// `parallel-ssh`/`pssh [-H HOSTS]... [-h FILE]... [-l USER] [-I] CMD...`:
/// the command runs on every host by ssh; `-I` sends standard input to
/// each. Hosts listed in a file are not known: the file is read.
fn pssh(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            stop_after: Some(1),
            ..PSSH_SPEC
        },
    );
    let mut outcome = Outcome::default();
    for file in args::values(&items, &["-h", "--hosts"]) {
        outcome.read(inv.path(&file.text), false);
    }
    let hosts: Vec<String> = args::values(&items, &["-H", "--host"])
        .iter()
        .flat_map(|v| v.text.split_whitespace())
        .map(str::to_owned)
        .collect();
    let login = args::value(&items, &["-l", "--user"]).map(|u| u.text.as_str());
    let words = args::positionals(&items);
    if words.is_empty() {
        return outcome;
    }
    let command = joined(&words);
    exec_requests_as(&mut outcome, "parallel-ssh", &hosts, &command, login);
    let names = host_names(&hosts);
    let stdin = args::has(&items, &["-I", "--send-input"]);
    outcome
        .nested
        .push(remote(shell(&command), &names, inv.home, stdin));
    outcome
}

/// Words joined with spaces as ssh joins a command, with their expansions.
fn joined(words: &[&Arg]) -> Arg {
    let mut arg = Arg::default();
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    arg.text = texts.join(" ");
    for word in words {
        arg.env.extend(word.env.iter().cloned());
        crate::flow::merge(&mut arg.prov, &word.prov);
        arg.substitutions.extend(word.substitutions.iter().cloned());
        arg.dynamic |= word.dynamic;
    }
    arg
}

/// The host names of `[user@]host[:port]` entries.
fn host_names(hosts: &[String]) -> Vec<String> {
    hosts.iter().map(|h| user_host_port(h).1).collect()
}

/// The hosts a pdsh/ClusterShell host list names: comma-separated,
/// with bracketed ranges (`web[01-03,07].example.net`); `^FILE` (a file of
/// hosts, read), `-HOST` (an exclusion), `/regex/` and `@group` name none.
fn host_list(inv: &Invocation<'_>, text: &str, outcome: &mut Outcome) -> Vec<String> {
    let mut hosts = Vec::new();
    for entry in top_level::split_with(text, ",", top_level::no_tokens) {
        if let Some(file) = entry.strip_prefix('^') {
            outcome.read(inv.path(file), false);
            continue;
        }
        if entry.is_empty() || entry.starts_with(['-', '/', '@']) {
            continue;
        }
        let (user, name) = match entry.rsplit_once('@') {
            Some((user, name)) => (Some(user), name),
            None => (None, entry),
        };
        for host in expand_ranges(name) {
            hosts.push(match user {
                Some(user) => format!("{user}@{host}"),
                None => host,
            });
        }
    }
    hosts
}

/// How many hosts one host list entry may expand to.
const MAX_HOSTS: usize = 64;

/// `node[1-3,7]x` as `node1x node2x node3x node7x` (zero padding kept:
/// `[01-03]`); several bracket groups multiply; a list too long, or one
/// that does not read as ranges, stays as written.
fn expand_ranges(name: &str) -> Vec<String> {
    let Some((head, rest)) = name.split_once('[') else {
        return vec![name.to_owned()];
    };
    let Some((inside, tail)) = rest.split_once(']') else {
        return vec![name.to_owned()];
    };
    let mut values: Vec<String> = Vec::new();
    for part in inside.split(',') {
        let (low, high) = part.split_once('-').unwrap_or((part, part));
        let (Ok(from), Ok(to)) = (low.parse::<u64>(), high.parse::<u64>()) else {
            return vec![name.to_owned()];
        };
        if to < from || to - from >= MAX_HOSTS as u64 {
            return vec![name.to_owned()];
        }
        for n in from..=to {
            values.push(format!("{n:0width$}", width = low.len()));
        }
    }
    let tails = expand_ranges(tail);
    let mut hosts = Vec::new();
    for value in &values {
        for tail in &tails {
            if hosts.len() >= MAX_HOSTS {
                return vec![name.to_owned()];
            }
            hosts.push(format!("{head}{value}{tail}"));
        }
    }
    hosts
}

/// `pdsh -w HOSTS [-l USER] [-R MODULE] CMD...`: the command runs on
/// every host (by ssh or rsh); with `-R exec` it is a local command run
/// once for each host, `%h` standing for the host (`pdsh -R exec -w h1
/// ssh %h uptime`).
fn pdsh(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "wxgXlturfRFM",
            long: &[],
            stop_after: Some(1),
        },
    );
    let mut outcome = Outcome::default();
    let mut hosts = Vec::new();
    for list in args::values(&items, &["-w"]) {
        hosts.extend(host_list(inv, &list.text, &mut outcome));
    }
    let words = args::positionals(&items);
    if words.is_empty() {
        return outcome;
    }
    if args::value(&items, &["-R"]).is_some_and(|m| m.text == "exec") {
        for host in host_names(&hosts) {
            let argv = words
                .iter()
                .map(|w| w.with_text(&w.text.replace("%h", &host)))
                .collect();
            outcome.nested.push(Nested::Argv {
                argv,
                env: Vec::new(),
                cwd: None,
            });
        }
        return outcome;
    }
    let command = joined(&words);
    let login = args::value(&items, &["-l"]).map(|u| u.text.as_str());
    exec_requests_as(&mut outcome, "pdsh", &hosts, &command, login);
    let names = host_names(&hosts);
    outcome
        .nested
        .push(remote(shell(&command), &names, inv.home, false));
    outcome
}

/// `clush -w NODES [-l USER] CMD...` (ClusterShell): the command runs on
/// every node by ssh. Its copies (`-c`/`--copy`, `--rcopy`) are not read.
fn clush(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "wxgXloftuRE",
            long: &[
                "nodes",
                "exclude",
                "group",
                "user",
                "options",
                "fanout",
                "connect_timeout",
                "command_timeout",
                "worker",
                "dest",
                "topology",
                "pick",
                "color",
            ],
            stop_after: Some(1),
        },
    );
    if args::has(&items, &["-c", "--copy", "--rcopy"]) {
        return None;
    }
    let mut outcome = Outcome::default();
    let mut hosts = Vec::new();
    for list in args::values(&items, &["-w", "--nodes"]) {
        hosts.extend(host_list(inv, &list.text, &mut outcome));
    }
    let words = args::positionals(&items);
    if words.is_empty() {
        return Some(outcome);
    }
    let command = joined(&words);
    let login = args::value(&items, &["-l", "--user"]).map(|u| u.text.as_str());
    exec_requests_as(&mut outcome, "clush", &hosts, &command, login);
    let names = host_names(&hosts);
    outcome
        .nested
        .push(remote(shell(&command), &names, inv.home, false));
    Some(outcome)
}

// ------------------------------------------------------------ cloud runs

/// The value of `--NAME VALUE` or `--NAME=VALUE` among `args`.
fn option_value(args: &[Arg], name: &str) -> Option<Arg> {
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg.text == name {
            return iter.next().cloned();
        }
        if let Some(value) = arg
            .text
            .strip_prefix(name)
            .and_then(|rest| rest.strip_prefix('='))
        {
            return Some(arg.with_text(value));
        }
    }
    None
}

/// The leading words of a cloud CLI's command line: the words that are not
/// options, before the first option that takes a value would be read as
/// one (good enough to find `ssm send-command`, `vm run-command invoke`).
fn subcommand(args: &[Arg], value_options: &[&str]) -> Vec<String> {
    let mut words = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let text = arg.text.as_str();
        if text == "--" {
            break;
        }
        if text.starts_with('-') {
            if !text.contains('=') && value_options.contains(&text) {
                iter.next();
            }
            continue;
        }
        words.push(text.to_owned());
    }
    words
}

/// `aws ssm send-command --document-name AWS-RunShellScript --parameters
/// 'commands=[...]'` (the shorthand or JSON form, `workingDirectory` its
/// directory) and `aws ssm start-session --document-name
/// AWS-StartInteractiveCommand --parameters command=...`: the commands run
/// on the instances (PowerShell for `AWS-RunPowerShellScript`). Instance
/// ids and tag targets are not host names.
fn ssm(inv: &Invocation<'_>) -> Option<Outcome> {
    let words = subcommand(
        inv.args,
        &[
            "--region",
            "--profile",
            "--output",
            "--endpoint-url",
            "--query",
            "--color",
            "--cli-read-timeout",
            "--cli-connect-timeout",
            "--ca-bundle",
        ],
    );
    let [service, command, ..] = words.as_slice() else {
        return None;
    };
    if service != "ssm" || !matches!(command.as_str(), "send-command" | "start-session") {
        return None;
    }
    let parameters = option_value(inv.args, "--parameters")?;
    let document = option_value(inv.args, "--document-name").map(|d| d.text);
    let mut outcome = super::cloud::handle(inv).unwrap_or_default();
    let fields = if let Some(file) = parameters.text.strip_prefix("file://") {
        outcome.read(inv.path(file), false);
        return Some(outcome);
    } else {
        parameter_map(&parameters.text)
    };
    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, values)| values.join("\n"))
    };
    let Some(script) = field("commands").or_else(|| field("command")) else {
        return Some(outcome);
    };
    let cwd = field("workingDirectory")
        .filter(|d| d.starts_with('/'))
        .unwrap_or_else(|| "/".to_owned());
    let text = parameters.with_text(&script);
    let windows = document
        .as_deref()
        .is_some_and(|d| d.to_ascii_lowercase().contains("powershell"));
    let argv = if windows {
        powershell(&text)
    } else {
        shell(&text)
    };
    outcome.nested.push(remote(argv, &[], &cwd, false));
    Some(outcome)
}

/// A string reader over the AWS CLI's parameter syntax.
struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<char> {
        self.text.get(self.at..)?.chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        Some(c)
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    /// A quoted string (`"..."` with JSON's escapes, or `'...'`), its
    /// opening quote already seen.
    fn quoted(&mut self, quote: char) -> String {
        let mut out = String::new();
        while let Some(c) = self.bump() {
            match c {
                c if c == quote => break,
                '\\' if quote == '"' => match self.bump() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('r') => out.push('\r'),
                    Some('u') => {
                        let hex: String = (0..4).filter_map(|_| self.bump()).collect();
                        if let Some(c) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                        {
                            out.push(c);
                        }
                    }
                    Some(other) => out.push(other),
                    None => break,
                },
                c => out.push(c),
            }
        }
        out
    }

    /// A value up to one of `stops` (outside quotes), or a quoted one.
    fn scalar(&mut self, stops: &[char]) -> String {
        self.skip_space();
        if let Some(quote) = self.peek().filter(|c| matches!(c, '"' | '\'')) {
            self.bump();
            return self.quoted(quote);
        }
        let start = self.at;
        while self.peek().is_some_and(|c| !stops.contains(&c)) {
            self.bump();
        }
        self.text
            .get(start..self.at)
            .unwrap_or_default()
            .trim()
            .to_owned()
    }

    /// A `[a, "b"]` list, its `[` already seen.
    fn list(&mut self) -> Vec<String> {
        let mut values = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                None => break,
                Some(']') => {
                    self.bump();
                    break;
                }
                Some(',') => {
                    self.bump();
                }
                Some(_) => values.push(self.scalar(&[',', ']'])),
            }
        }
        values
    }

    /// A value: a list or a scalar.
    fn value(&mut self, stops: &[char]) -> Vec<String> {
        self.skip_space();
        if self.peek() == Some('[') {
            self.bump();
            return self.list();
        }
        vec![self.scalar(stops)]
    }

    /// True when the rest starts a `key=` (a new shorthand field).
    fn at_key(&self) -> bool {
        let rest = self.text.get(self.at..).unwrap_or_default().trim_start();
        let key: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        !key.is_empty() && rest.get(key.len()..).is_some_and(|r| r.starts_with('='))
    }
}

/// The fields of an SSM `--parameters` value, each with its string values:
/// JSON (`{"commands": ["a", "b"]}`) or the CLI's shorthand
/// (`commands=["a","b"],workingDirectory=/srv`, `commands=a,b`).
fn parameter_map(text: &str) -> Vec<(String, Vec<String>)> {
    let mut reader = Reader { text, at: 0 };
    let mut fields: Vec<(String, Vec<String>)> = Vec::new();
    reader.skip_space();
    if reader.peek() == Some('{') {
        reader.bump();
        loop {
            reader.skip_space();
            match reader.bump() {
                None | Some('}') => break,
                Some('"') => {
                    let key = reader.quoted('"');
                    reader.skip_space();
                    if reader.peek() == Some(':') {
                        reader.bump();
                    }
                    let values = reader.value(&[',', '}']);
                    fields.push((key, values));
                }
                Some(_) => {}
            }
        }
        return fields;
    }
    loop {
        reader.skip_space();
        if reader.peek().is_none() {
            break;
        }
        let key = reader.scalar(&['=']);
        if reader.bump() != Some('=') {
            break;
        }
        let mut values = reader.value(&[',']);
        // `key=a,b`: a list, up to the next `key=`.
        while reader.peek() == Some(',') {
            reader.bump();
            if reader.at_key() {
                break;
            }
            values.extend(reader.value(&[',']));
        }
        fields.push((key, values));
    }
    fields
}

/// `gcloud [alpha|beta] compute ssh [USER@]INSTANCE --command CMD [--
/// SSH_ARGS... CMD]` (and `compute tpus tpu-vm ssh`, `cloud-shell ssh`,
/// `workstations ssh`): the command runs on the instance by ssh, reading
/// what is piped in. An instance is known by its name, not a host name.
fn gcloud_ssh(inv: &Invocation<'_>) -> Option<Outcome> {
    let split = inv
        .args
        .iter()
        .position(|a| a.text == "--")
        .unwrap_or(inv.args.len());
    let (before, after) = inv.args.split_at(split);
    let words = subcommand(
        before,
        &[
            "--zone",
            "--project",
            "--command",
            "--ssh-flag",
            "--ssh-key-file",
            "--strict-host-key-checking",
            "--account",
            "--configuration",
            "--verbosity",
            "--format",
            "--container",
            "--region",
            "--worker",
            "--impersonate-service-account",
            "--ssh-key-expiration",
            "--ssh-key-expire-after",
            "--network",
            "--cluster",
            "--config",
        ],
    );
    let ssh_at = words.iter().take(5).position(|w| w == "ssh")?;
    let group = words.get(..ssh_at).unwrap_or_default();
    let known = group.iter().any(|w| {
        matches!(
            w.as_str(),
            "compute" | "tpu-vm" | "cloud-shell" | "workstations"
        )
    });
    if !known {
        return None;
    }
    let mut commands: Vec<Arg> = option_value(before, "--command").into_iter().collect();
    let ssh_args = after.get(1..).unwrap_or_default();
    let items = args::parse(
        ssh_args,
        &Spec {
            short: "bcDEeFIiJLlmOopQRSWwB",
            long: &[],
            stop_after: Some(1),
        },
    );
    let trailing = args::positionals(&items);
    if !trailing.is_empty() {
        commands.push(joined(&trailing));
    }
    let mut outcome = super::cloud::handle(inv).unwrap_or_default();
    for command in &commands {
        outcome
            .nested
            .push(remote(shell(command), &[], inv.home, true));
    }
    Some(outcome)
}

/// `az vm run-command invoke --command-id RunShellScript --scripts CMD...`
/// (each script a line; `@FILE` reads a local file), `az vm run-command
/// create|update --script CMD` (and `vmss`, `connectedmachine`): the
/// script runs on the machine, PowerShell for `RunPowerShellScript`.
fn az_run_command(inv: &Invocation<'_>) -> Option<Outcome> {
    let words = subcommand(
        inv.args,
        &[
            "-g",
            "-n",
            "--resource-group",
            "--name",
            "--vm-name",
            "--command-id",
            "--subscription",
            "--output",
            "-o",
            "--query",
            "--instance-id",
            "--location",
            "-l",
            "--script",
            "--script-uri",
            "--run-as-user",
            "--run-as-password",
            "--timeout-in-seconds",
            "--machine-name",
        ],
    );
    let at = words.iter().position(|w| w == "run-command")?;
    let verb = words.get(at + 1)?;
    if !matches!(verb.as_str(), "invoke" | "create" | "update") {
        return None;
    }
    let mut outcome = super::cloud::handle(inv).unwrap_or_default();
    let mut lines: Vec<Arg> = Vec::new();
    let mut iter = inv.args.iter().peekable();
    while let Some(arg) = iter.next() {
        if arg.text == "--scripts" {
            while let Some(script) =
                iter.next_if(|a| !(a.text.len() > 1 && a.text.starts_with('-')))
            {
                lines.push(script.clone());
            }
        } else if let Some(value) = arg.text.strip_prefix("--scripts=") {
            lines.push(arg.with_text(value));
        }
    }
    lines.extend(option_value(inv.args, "--script"));
    let mut text = Vec::new();
    for line in lines {
        match line.text.strip_prefix('@') {
            Some(file) => {
                outcome.read(inv.path(file), false);
                outcome
                    .opaque
                    .push(format!("az {verb} runs the script in {file}"));
            }
            None => text.push(line),
        }
    }
    if text.is_empty() {
        return Some(outcome);
    }
    let refs: Vec<&Arg> = text.iter().collect();
    let mut script = joined(&refs);
    script.text = text
        .iter()
        .map(|a| a.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let windows = option_value(inv.args, "--command-id")
        .is_some_and(|id| id.text.to_ascii_lowercase().contains("powershell"));
    let argv = if windows {
        powershell(&script)
    } else {
        shell(&script)
    };
    outcome.nested.push(remote(argv, &[], "/", false));
    Some(outcome)
}
