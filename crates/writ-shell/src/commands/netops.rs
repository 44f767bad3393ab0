//! Network-operations clients that reach a host without speaking HTTP (or
//! that speak it for a protocol of their own): TFTP, SNMP, NETCONF, DNS
//! UPDATE, IPMI and other BMC CLIs, remote syslog, ansible ad-hoc
//! commands, and ACME/CA clients (`expect` scripts are read by
//! `interactive`).
//!
//! Each reports a request to the host it reaches carrying what it sends:
//! `GET` for a read (which still carries a community string or password),
//! `SEND` for a state change at the host, `UPLOAD`/`DOWNLOAD` for file
//! transfers, and the HTTP method for a CA's API.

use super::{Invocation, Nested, Outcome, printed_lines, request, send_file, url};
use crate::args::{self, Arg, Item, Spec};
use crate::{Payload, Target, flow, paths};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    Some(match inv.program {
        "tftp" | "atftp" => tftp(inv),
        "snmpset" | "snmpget" | "snmpgetnext" | "snmpwalk" | "snmpbulkwalk" | "snmpbulkget"
        | "snmptable" | "snmptrap" | "snmpinform" | "snmpdelta" | "snmpstatus" => snmp(inv),
        "netconf-console" | "netconf-console2" => netconf_console(inv),
        "nsupdate" => nsupdate(inv),
        "ipmitool" => ipmitool(inv),
        "racadm" => racadm(inv),
        "redfishtool" => redfishtool(inv),
        "logger" => logger(inv)?,
        "ansible" => ansible(inv),
        "certbot" | "certbot-auto" | "letsencrypt" => certbot(inv),
        "acme.sh" => acme_sh(inv),
        "step" => step(inv)?,
        _ => return None,
    })
}

/// A host target without a user or path.
fn host(host: &str, port: Option<u16>) -> Target {
    Target::Host {
        user: None,
        host: host.to_owned(),
        port,
        path: None,
    }
}

/// `HOST[:PORT]`, `[V6]:PORT`.
fn host_port(text: &str) -> (&str, Option<u16>) {
    if let Some(rest) = text.strip_prefix('[')
        && let Some((address, after)) = rest.split_once(']')
    {
        return (
            address,
            after.strip_prefix(':').and_then(|p| p.parse().ok()),
        );
    }
    match text.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') && p.parse::<u16>().is_ok() => (h, p.parse().ok()),
        _ => (text, None),
    }
}

/// Adds option values a command sends (a password, a community string).
fn send_values(payload: &mut Payload, items: &[Item<'_>], names: &[&str]) {
    for value in args::values(items, names) {
        flow::merge(payload, &value.payload());
    }
}

/// A read or a change at `target`, carrying `payload`.
fn at_host(program: &str, target: Target, changes: bool, payload: Payload) -> Outcome {
    let method = if changes { "SEND" } else { "GET" };
    Outcome::default().effect(request(program, target, method, payload, false))
}

// ---------------------------------------------------------------- TFTP

/// `tftp [-m mode] [-R p:p] HOST [PORT] [-c put|get FILES...]` (tftp-hpa),
/// `tftp -p|-g -l LOCAL [-r REMOTE] HOST [PORT]` (BusyBox), `atftp
/// --put|--get -l LOCAL -r REMOTE HOST [PORT]`; commands may also come on
/// standard input (`tftp HOST <<EOF put f EOF`). A put uploads the local
/// file; a get downloads into it.
fn tftp(inv: &Invocation<'_>) -> Outcome {
    // tftp-hpa's `-c` takes the rest of the line as one command.
    let (options, command) = match inv.args.iter().position(|a| a.text == "-c") {
        Some(at) => inv.args.split_at(at),
        None => (inv.args, &[][..]),
    };
    let command: Vec<&str> = command.iter().skip(1).map(|a| a.text.as_str()).collect();
    // `-l`/`-r` name files in BusyBox and atftp; in tftp-hpa `-l` is a flag.
    let flagged = inv.program == "atftp"
        || options
            .iter()
            .any(|a| matches!(a.text.as_str(), "-p" | "-g" | "--put" | "--get"));
    let spec = if flagged {
        Spec {
            short: "lrbBmP",
            long: &[
                "local-file",
                "remote-file",
                "option",
                "mode",
                "tftp-timeout",
                "password",
            ],
            stop_after: None,
        }
    } else {
        Spec {
            short: "mR",
            ..Spec::default()
        }
    };
    let items = args::parse(options, &spec);
    let positional = args::positionals(&items);
    let mut outcome = Outcome::default();
    let Some(server) = positional.first() else {
        return outcome;
    };
    let (name, mut port) = host_port(&server.text);
    if let Some(p) = positional.get(1) {
        port = p.text.parse().ok().or(port);
    }
    let target = host(name, port);
    let mut transfers: Vec<(bool, Vec<String>)> = Vec::new();
    if flagged {
        let local = args::value(&items, &["-l", "--local-file"]);
        let remote = args::value(&items, &["-r", "--remote-file"]);
        let file = local.or(remote).map(|f| f.text.clone());
        if args::has(&items, &["-p", "--put"]) {
            transfers.push((true, file.into_iter().collect()));
        } else if args::has(&items, &["-g", "--get"]) {
            transfers.push((false, file.into_iter().collect()));
        }
    } else if !command.is_empty() {
        transfers.extend(tftp_command(&command));
    } else {
        let text = printed_lines(&inv.stdin.text.join("\n"));
        for line in text.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            transfers.extend(tftp_command(&words));
        }
    }
    for (put, files) in transfers {
        if put {
            let mut payload = Payload::default();
            for file in &files {
                send_file(inv, &mut payload, file, false);
            }
            outcome.effects.push(request(
                inv.program,
                target.clone(),
                "UPLOAD",
                payload,
                false,
            ));
        } else {
            outcome.effects.push(request(
                inv.program,
                target.clone(),
                "DOWNLOAD",
                Payload::default(),
                false,
            ));
            for file in files {
                outcome.write(inv.path(&file), false);
            }
        }
    }
    outcome
}

/// A tftp-hpa command as `(put, local files)`: `put LOCAL [REMOTE]` and
/// `put F1 F2 ... DIR` send the local files; `get REMOTE [LOCAL]` writes
/// LOCAL (or the remote name's last part).
fn tftp_command(words: &[&str]) -> Option<(bool, Vec<String>)> {
    let (verb, files) = words.split_first()?;
    match *verb {
        "put" | "send" => {
            let local = match files.len() {
                0 => return None,
                1 | 2 => &files[..1],
                n => &files[..n - 1],
            };
            Some((true, local.iter().map(|f| (*f).to_owned()).collect()))
        }
        "get" | "recv" => {
            let local = match files {
                [] => return None,
                [remote] => remote.rsplit('/').next().unwrap_or(remote),
                [_, local] => local,
                [.., last] => last,
            };
            Some((false, vec![local.to_owned()]))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------- SNMP

/// net-snmp's options that take a value (common and application ones).
const SNMP_SPEC: Spec<'static> = Spec {
    short: "vcaAeElnuxXZrtmMOIPLCYT",
    long: &[],
    stop_after: None,
};

/// `snmpset [OPTIONS] AGENT OID TYPE VALUE...`, `snmpget`/`snmpwalk
/// [OPTIONS] AGENT [OID...]`, `snmptrap`/`snmpinform AGENT ...`: the agent
/// is `[TRANSPORT:]HOST[:PORT]`. Every request carries the community
/// string (`-c`) or the SNMPv3 passphrases (`-A`, `-X`) in the clear or as
/// keys the agent checks, so reads carry them too; a set (and a trap or
/// inform) changes state at the agent and carries its values.
fn snmp(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &SNMP_SPEC);
    let positional = args::positionals(&items);
    let Some((agent, rest)) = positional.split_first() else {
        return Outcome::default();
    };
    let (name, port) = snmp_agent(&agent.text);
    let mut payload = Payload::default();
    send_values(&mut payload, &items, &["-c", "-A", "-X", "-u"]);
    let changes = matches!(inv.program, "snmpset" | "snmptrap" | "snmpinform");
    if changes {
        for word in rest {
            flow::merge(&mut payload, &word.payload());
        }
    }
    at_host(inv.program, host(name, port), changes, payload)
}

/// An SNMP agent address: `[udp:|tcp:|udp6:|tcp6:|...]HOST[:PORT]`.
fn snmp_agent(text: &str) -> (&str, Option<u16>) {
    const TRANSPORTS: &[&str] = &[
        "udp:", "tcp:", "udp6:", "tcp6:", "udpv6:", "tcpv6:", "udpipv6:", "tcpipv6:", "dtlsudp:",
        "tlstcp:", "ssh:",
    ];
    let lower = text
        .get(..text.find(':').map_or(0, |c| c + 1))
        .unwrap_or("");
    let rest = if TRANSPORTS.iter().any(|t| t.eq_ignore_ascii_case(lower)) {
        &text[lower.len()..]
    } else {
        text
    };
    host_port(rest)
}

// ---------------------------------------------------------------- NETCONF

/// `netconf-console[2] [--host H] [--port P] [-u U] [-p PASS] OPERATION
/// [FILE]`: `--edit-config[=FILE]`, `--rpc[=FILE]`, `--set`, `--delete`,
/// `--copy-config`, `--commit`, ... change the device's configuration and
/// send their file (or a file operand, raw RPCs); `--get`, `--get-config`
/// and `--hello` read. The host defaults to this machine.
fn netconf_console(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "upx",
            long: &[
                "host",
                "port",
                "user",
                "password",
                "privKeyFile",
                "db",
                "with-defaults",
                "xpath",
                "proto",
                "ns",
                "timeout",
                "style",
                "set",
                "delete",
                "create",
                "copy",
                "copy-config",
            ],
            stop_after: None,
        },
    );
    let mut payload = Payload::default();
    send_values(&mut payload, &items, &["-p", "--password"]);
    let mut changes = false;
    for item in &items {
        let Item::Opt { name, value } = item else {
            continue;
        };
        match name.as_ref() {
            "--edit-config" | "--rpc" => {
                changes = true;
                if let Some(file) = value {
                    send_file(inv, &mut payload, &file.text, false);
                }
            }
            "--set" | "--delete" | "--create" | "--copy" | "--copy-config" => {
                changes = true;
                if let Some(v) = value {
                    flow::merge(&mut payload, &v.payload());
                }
            }
            "--copy-running-to-startup"
            | "--commit"
            | "--delete-config"
            | "--kill-session"
            | "--discard-changes"
            | "--lock"
            | "--unlock" => changes = true,
            _ => {}
        }
    }
    // A file operand holds the RPCs sent as they are.
    for file in args::positionals(&items) {
        changes = true;
        send_file(inv, &mut payload, &file.text, false);
    }
    let server = args::value(&items, &["--host"]).map_or("localhost", |h| h.text.as_str());
    let port = args::value(&items, &["--port"]).and_then(|p| p.text.parse().ok());
    at_host(inv.program, host(server, port), changes, payload)
}

// ---------------------------------------------------------------- DNS UPDATE

/// `nsupdate [-k KEYFILE | -y [ALG:]NAME:SECRET] [-l] [FILE]`: the update
/// commands (from FILE or standard input) go to the `server` line's host,
/// or without one to the zone's primary (reported as the `zone` line's
/// name, or the first updated name); each `send` (or the end of input)
/// sends the pending `update`/`prereq` lines. The TSIG key signs the
/// update and is never sent. `-l` updates this machine's server.
fn nsupdate(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "Lkytur",
            ..Spec::default()
        },
    );
    let mut outcome = Outcome::default();
    if args::has(&items, &["-l"]) {
        return outcome;
    }
    let script = match args::positionals(&items).first() {
        Some(file) => {
            outcome.read(inv.path(&file.text), false);
            outcome
                .opaque
                .push(format!("nsupdate reads its updates from {}", file.text));
            return outcome;
        }
        None => printed_lines(&inv.stdin.text.join("\n")),
    };
    let mut server: Option<(String, Option<u16>)> = None;
    let mut zone: Option<String> = None;
    let mut pending = Payload::default();
    let mut first_name: Option<String> = None;
    for line in script.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["server", name, rest @ ..] => {
                let port = rest.first().and_then(|p| p.parse().ok());
                server = Some(((*name).to_owned(), port));
            }
            ["zone", name, ..] => zone = Some((*name).to_owned()),
            ["update" | "prereq", _, name, ..] | ["add" | "del" | "delete", name, ..] => {
                first_name.get_or_insert_with(|| (*name).to_owned());
                flow::push_text(&mut pending, line.trim());
            }
            ["send", ..] => {
                flush_update(&server, &zone, &mut first_name, &mut pending, &mut outcome)
            }
            _ => {}
        }
    }
    flush_update(&server, &zone, &mut first_name, &mut pending, &mut outcome);
    outcome
}

/// Sends the pending update lines to the server (or the zone's primary).
fn flush_update(
    server: &Option<(String, Option<u16>)>,
    zone: &Option<String>,
    first_name: &mut Option<String>,
    pending: &mut Payload,
    outcome: &mut Outcome,
) {
    if pending.text.is_empty() {
        return;
    }
    let target = match (server, zone, first_name.as_ref()) {
        (Some((name, port)), _, _) => host(name, *port),
        (None, Some(zone), _) => host(zone.trim_end_matches('.'), None),
        (None, None, Some(name)) => host(name.trim_end_matches('.'), None),
        (None, None, None) => return,
    };
    outcome.effects.push(request(
        "nsupdate",
        target,
        "SEND",
        std::mem::take(pending),
        false,
    ));
    *first_name = None;
}

// ---------------------------------------------------------------- BMCs

/// Words of a BMC command that only read (`chassis status`, `sel list`,
/// `lan print`, `sensor get`, `mc info`, `user list`).
const BMC_READS: &[&str] = &[
    "status",
    "list",
    "elist",
    "print",
    "info",
    "get",
    "reading",
    "summary",
    "getaccess",
    "getenables",
    "selftest",
    "guid",
    "poh",
    "restart_cause",
    "powerstatus",
];

/// `ipmitool -I lan|lanplus -H HOST [-p PORT] [-U USER] [-P PASS | -E | -f
/// FILE] COMMAND...`: `chassis power off|reset|cycle`, `mc`/`bmc reset`,
/// `user set password`, `raw`, `sel clear`, ... change the BMC's (or its
/// server's) state; `sdr`, `sensor` and commands with a reading verb
/// (`chassis status`, `lan print`) read. The password travels with each.
/// Without `-H` the local BMC is used: no network.
fn ipmitool(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "bBCdefHIkLlmNoOpPRStTUyz",
            ..Spec::default()
        },
    );
    let Some(server) = args::value(&items, &["-H"]) else {
        return Outcome::default();
    };
    let port = args::value(&items, &["-p"]).and_then(|p| p.text.parse().ok());
    let words: Vec<&Arg> = args::positionals(&items);
    let mut payload = bmc_credentials(inv, &items, &["-P"], &["-f"]);
    if args::has(&items, &["-E"]) {
        flow::push_env(&mut payload, "IPMI_PASSWORD");
    }
    let first = words.first().map(|w| w.text.as_str());
    let reads = match first {
        Some("sdr" | "sensor") => !words
            .iter()
            .any(|w| matches!(w.text.as_str(), "thresh" | "fill")),
        Some(_) => words
            .iter()
            .skip(1)
            .any(|w| BMC_READS.contains(&w.text.as_str())),
        None => true,
    };
    let changes = !reads;
    if changes {
        for word in &words {
            flow::merge(&mut payload, &word.payload());
        }
    }
    at_host("ipmitool", host(&server.text, port), changes, payload)
}

/// A BMC CLI's password options (sent) and password or upload files.
fn bmc_credentials(
    inv: &Invocation<'_>,
    items: &[Item<'_>],
    passwords: &[&str],
    files: &[&str],
) -> Payload {
    let mut payload = Payload::default();
    send_values(&mut payload, items, passwords);
    for file in args::values(items, files) {
        send_file(inv, &mut payload, &file.text, false);
    }
    payload
}

/// `racadm -r HOST [-u USER] [-p PASS] SUBCOMMAND ...`: `get*` subcommands
/// and `serveraction powerstatus` read; `set`, `config`, `serveraction
/// powerdown`, `racreset`, `update -f FILE`, ... change the iDRAC (its
/// `-f` file is sent). Without `-r` the local iDRAC: no network.
fn racadm(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "rupfl",
            ..Spec::default()
        },
    );
    let Some(server) = args::value(&items, &["-r"]) else {
        return Outcome::default();
    };
    let (name, port) = host_port(&server.text);
    let words = args::positionals(&items);
    let mut payload = bmc_credentials(inv, &items, &["-p"], &["-f"]);
    let reads = match words.first().map(|w| w.text.to_ascii_lowercase()) {
        Some(sub) => {
            sub.starts_with("get")
                || matches!(
                    sub.as_str(),
                    "help" | "version" | "hwinventory" | "swinventory"
                )
                || words
                    .iter()
                    .skip(1)
                    .any(|w| BMC_READS.contains(&w.text.as_str()))
        }
        None => true,
    };
    if !reads {
        for word in &words {
            flow::merge(&mut payload, &word.payload());
        }
    }
    at_host("racadm", host(name, port), !reads, payload)
}

/// `redfishtool -r HOST [-u USER] [-p PASS] [-t TOKEN] SUBCOMMAND OP ...`:
/// operations that set, reset, add, delete or patch change the BMC
/// (`Systems reset GracefulRestart`, `AccountService adduser`, `raw
/// PATCH`); the rest read.
fn redfishtool(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "ruptScTWAPIMFHD",
            long: &[
                "rhost", "user", "password", "token", "Secure", "config", "Timeout", "auth",
            ],
            stop_after: None,
        },
    );
    let Some(server) = args::value(&items, &["-r", "--rhost"]) else {
        return Outcome::default();
    };
    let (name, port) = host_port(&server.text);
    let words = args::positionals(&items);
    let mut payload = bmc_credentials(inv, &items, &["-p", "--password", "-t", "--token"], &[]);
    const CHANGES: &[&str] = &[
        "set", "reset", "add", "delete", "patch", "post", "put", "clear", "update", "create",
        "insert", "eject", "modify",
    ];
    let changes = words.iter().skip(1).any(|w| {
        let lower = w.text.to_ascii_lowercase();
        CHANGES.iter().any(|c| lower.starts_with(c))
    });
    if changes {
        for word in &words {
            flow::merge(&mut payload, &word.payload());
        }
    }
    at_host("redfishtool", host(name, port), changes, payload)
}

// ---------------------------------------------------------------- syslog

/// `logger -n SERVER [-P PORT] [-T|-d] [MESSAGE... | -f FILE]`: the
/// message (the operands, the file, or standard input) goes to that
/// syslog server. Without `-n` it is logged on this machine.
fn logger(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "fnPptSu",
            long: &[
                "file", "server", "port", "priority", "tag", "size", "socket", "sd-id", "sd-param",
                "msgid",
            ],
            stop_after: None,
        },
    );
    let file = args::value(&items, &["-f", "--file"]);
    let Some(server) = args::value(&items, &["-n", "--server"]) else {
        // A local log: only the file is read.
        let mut outcome = Outcome::default();
        if let Some(file) = file {
            outcome.read(inv.path(&file.text), false);
        }
        return Some(outcome);
    };
    let port = args::value(&items, &["-P", "--port"]).and_then(|p| p.text.parse().ok());
    let mut payload = Payload::default();
    if let Some(file) = file {
        send_file(inv, &mut payload, &file.text, false);
    }
    for word in args::positionals(&items) {
        flow::merge(&mut payload, &word.payload());
    }
    Some(Outcome::default().effect(request(
        "logger",
        host(&server.text, port),
        "SEND",
        payload,
        false,
    )))
}

// ---------------------------------------------------------------- ansible

/// Modules that only read from the hosts they run on.
fn reads_only(module: &str) -> bool {
    matches!(
        module,
        "ping"
            | "setup"
            | "gather_facts"
            | "debug"
            | "stat"
            | "slurp"
            | "assert"
            | "wait_for"
            | "wait_for_connection"
            | "package_facts"
            | "service_facts"
            | "find"
            | "get_url"
            | "fetch"
    ) || module.ends_with("_facts")
        || module.ends_with("_info")
        || module.ends_with("_ping")
        // Network modules that run exec-mode (show) commands.
        || (module.ends_with("_command") && module != "command")
}

/// `ansible PATTERN [-i INVENTORY] [-m MODULE] [-a ARGS] [-C]`: the module
/// runs on the hosts of PATTERN. An inline inventory (`-i 'h1,h2,'`) names
/// them; otherwise a PATTERN that is a host name does. `uri` makes its
/// HTTP request (`url=`, `method=`, `body=`, `src=`); `command`/`shell`
/// (the default module) run their text there, as `ssh HOST CMD` does;
/// read-only modules (`ping`, `setup`, `*_facts`, `*_command`) read; any
/// other module (`copy`, `template`, `*_config`, `service`, ...) changes
/// the host, carrying its arguments and any `src=` file. With a
/// file inventory a module that changes the hosts goes to the environments
/// its path and the pattern name, as `ansible-playbook`'s does; a command
/// does only what it does there. `-C` changes nothing.
fn ansible(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "imaelucfBPtTMo",
            long: &[
                "inventory",
                "inventory-file",
                "module-name",
                "args",
                "extra-vars",
                "limit",
                "user",
                "connection",
                "forks",
                "background",
                "poll",
                "tree",
                "timeout",
                "module-path",
                "private-key",
                "key-file",
                "become-user",
                "become-method",
                "vault-id",
                "vault-password-file",
                "playbook-dir",
                "ssh-common-args",
                "ssh-extra-args",
                "sftp-extra-args",
                "scp-extra-args",
            ],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    if args::has(&items, &["-C", "--check", "--list-hosts", "--syntax-check"]) {
        return outcome;
    }
    let Some(pattern) = args::positionals(&items).first().map(|p| p.text.as_str()) else {
        return outcome;
    };
    let module = args::value(&items, &["-m", "--module-name"])
        .map_or("command", |m| m.text.rsplit('.').next().unwrap_or(&m.text));
    let module_args = args::value(&items, &["-a", "--args"]);
    let arg_text = module_args.map_or("", |a| a.text.as_str());
    let inventories = args::values(&items, &["-i", "--inventory", "--inventory-file"]);
    let inline: Vec<&str> = inventories
        .iter()
        .filter(|i| i.text.contains(','))
        .flat_map(|i| i.text.split(','))
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .collect();
    let patterns: Vec<&str> = pattern
        .split([',', ':'])
        .filter(|p| !p.is_empty())
        .collect();
    let hosts: Vec<&str> = if inline.is_empty() {
        patterns
            .iter()
            .copied()
            .filter(|p| p.contains('.') && !p.contains(['*', '!', '&', '~']))
            .collect()
    } else if patterns.iter().any(|p| matches!(*p, "all" | "*")) {
        inline
    } else {
        inline
            .into_iter()
            .filter(|h| patterns.contains(h))
            .collect()
    };
    let local = hosts.iter().all(|h| crate::is_loopback_host(h))
        && (patterns.iter().all(|p| crate::is_loopback_host(p))
            || args::value(&items, &["-c", "--connection"]).is_some_and(|c| c.text == "local"));
    let mut payload = module_args.map(Arg::payload).unwrap_or_default();
    match module {
        "uri" => {
            outcome.effects.extend(ansible_uri(inv, module_args));
            return outcome;
        }
        "get_url" => {
            if let Some(address) = module_arg(arg_text, "url") {
                outcome.effects.push(request(
                    "ansible",
                    url(address),
                    "GET",
                    Payload::default(),
                    false,
                ));
            }
        }
        "command" | "shell" | "raw" => {
            let (command, chdir) = free_form(arg_text);
            let script = if local {
                Nested::Script {
                    text: command,
                    what: format!("ansible {module}"),
                }
            } else {
                Nested::Remote {
                    argv: vec![
                        Arg::literal("sh"),
                        Arg::literal("-c"),
                        Arg::literal(&command),
                    ],
                    hosts: hosts.iter().map(|h| host_port(h).0.to_owned()).collect(),
                    cwd: paths::resolve(inv.home, inv.home, chdir.unwrap_or(".")),
                    stdin: false,
                }
            };
            if !arg_text.is_empty() {
                outcome.nested.push(script);
            }
        }
        _ => {}
    }
    let host_names: Vec<String> = hosts.iter().map(|h| host_port(h).0.to_owned()).collect();
    for effect in ansible_module_effects(inv, module, arg_text, &host_names) {
        if local {
            outcome.effects.push(effect);
        } else {
            outcome
                .effects
                .extend(super::remote_effects(effect, &host_names, inv.home));
        }
    }
    if local {
        return outcome;
    }
    // A command run on the hosts does what it does there, and only that
    // (a cache purge is no release), so it goes to no environment.
    let runs_command = matches!(module, "command" | "shell" | "raw");
    let changes = !reads_only(module);
    for key in ["src", "script"] {
        if let Some(file) = module_arg(arg_text, key) {
            send_file(inv, &mut payload, file, true);
        }
    }
    if module == "script"
        && let Some(file) = arg_text.split_whitespace().next()
        && !file.contains('=')
    {
        send_file(inv, &mut payload, file, false);
    }
    let method = match module {
        "command" | "shell" | "raw" | "script" => "EXEC",
        _ if changes => "SEND",
        _ => "GET",
    };
    for name in &hosts {
        let (name, port) = host_port(name);
        outcome.effects.push(request(
            "ansible",
            host(name, port),
            method,
            payload.clone(),
            false,
        ));
    }
    if hosts.is_empty() && changes && !runs_command {
        outcome
            .effects
            .extend(ansible_environments(&inventories, &patterns));
    }
    outcome
}

/// What a module does to the files and accounts of the host it runs on:
/// `file` deletes (`state=absent`) or makes its `path`; `copy`,
/// `template`, `lineinfile`, `blockinfile`, `replace`, `unarchive` and
/// `get_url` write their `dest`/`path`. `authorized_key` adds or takes away a key that may
/// log in as `user`; `user` creates, changes or removes an account (its
/// groups, its password); the `*_user`/`*_privs` modules of databases and
/// `sudoers` change who may do what: each is a grant of access. A remote
/// host's file effects are kept only where they mean the same there
/// (`fleet::remote_effects`).
fn ansible_module_effects(
    inv: &Invocation<'_>,
    module: &str,
    text: &str,
    hosts: &[String],
) -> Vec<crate::Effect> {
    let path = || {
        ["path", "dest", "name"]
            .into_iter()
            .find_map(|key| module_arg(text, key))
            .map(|p| paths::resolve(inv.cwd, inv.home, p))
    };
    let on_hosts = |what: &str| -> Vec<String> {
        if hosts.is_empty() {
            vec![what.to_owned()]
        } else {
            hosts.iter().map(|h| format!("{h}:{what}")).collect()
        }
    };
    let grant = |what: String, grantee: Option<&str>| crate::Effect::GrantAccess {
        resource: crate::Resource::Other { name: what },
        grantee: grantee.map(str::to_owned),
    };
    match module {
        "file" => {
            let Some(path) = path() else {
                return Vec::new();
            };
            match module_arg(text, "state") {
                Some("absent") => vec![crate::Effect::Delete {
                    path,
                    recursive: true,
                }],
                Some("touch" | "directory" | "link" | "hard") => vec![crate::Effect::Write {
                    path,
                    append: false,
                }],
                _ => Vec::new(),
            }
        }
        "copy" | "template" | "lineinfile" | "blockinfile" | "replace" | "unarchive"
        | "get_url" | "ini_file" => path()
            .map(|path| crate::Effect::Write {
                path,
                append: false,
            })
            .into_iter()
            .collect(),
        "authorized_key" => {
            let user = module_arg(text, "user").unwrap_or("root");
            on_hosts(&format!("{user}/.ssh/authorized_keys"))
                .into_iter()
                .map(|what| grant(what, None))
                .collect()
        }
        "user"
        | "sudoers"
        | "mysql_user"
        | "postgresql_user"
        | "postgresql_privs"
        | "mongodb_user"
        | "win_user"
        | "win_group_membership" => {
            let name = module_arg(text, "name").or(module_arg(text, "user"));
            let what = name.map_or_else(|| module.to_owned(), |n| format!("{module} {n}"));
            on_hosts(&what)
                .into_iter()
                .map(|what| grant(what, name))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The command of `command`/`shell`/`raw`'s free-form arguments without
/// the module's own `key=value` options among them (`chdir=/srv/app
/// creates=x make`), and the directory `chdir=` runs it from.
fn free_form(text: &str) -> (String, Option<&str>) {
    const OPTIONS: [&str; 7] = [
        "chdir",
        "creates",
        "removes",
        "executable",
        "warn",
        "stdin",
        "stdin_add_newline",
    ];
    let mut chdir = None;
    let mut kept: Vec<&str> = Vec::new();
    // The quote open at the start of each word: a quoted `k=v` is text.
    let mut open: Option<char> = None;
    for word in text.split(' ') {
        let quoted = open.is_some();
        for c in word.chars() {
            match open {
                Some(q) if c == q => open = None,
                None if matches!(c, '\'' | '"') => open = Some(c),
                _ => {}
            }
        }
        let option = word.split_once('=').filter(|(key, value)| {
            !quoted && OPTIONS.contains(key) && !value.contains(['\'', '"'])
        });
        match option {
            Some(("chdir", dir)) => chdir = Some(dir),
            Some(_) => {}
            None => kept.push(word),
        }
    }
    (kept.join(" ").trim().to_owned(), chdir)
}

/// One deploy for each environment a file inventory's path and the host
/// pattern name (`-i inventories/prod/hosts web`), as for `ansible-playbook`.
fn ansible_environments(inventories: &[&Arg], patterns: &[&str]) -> Vec<crate::Effect> {
    let mut names: Vec<&str> = Vec::new();
    for inventory in inventories {
        for segment in inventory.text.split('/') {
            names.push(segment.split('.').next().unwrap_or(segment));
        }
    }
    names.extend(patterns.iter().copied());
    names.retain(|n| !n.is_empty() && !matches!(*n, "." | ".." | "all" | "*"));
    names.dedup();
    names
        .into_iter()
        .map(|environment| {
            crate::Effect::Deploy(crate::Deploy {
                program: "ansible".to_owned(),
                environment: environment.to_owned(),
                service: None,
                production: false,
            })
        })
        .collect()
}

/// `uri`'s request: `url=`, `method=` (GET by default), `body=` and
/// `src=` (a file sent), credentials and headers.
fn ansible_uri(inv: &Invocation<'_>, module_args: Option<&Arg>) -> Option<crate::Effect> {
    let module_args = module_args?;
    let text = module_args.text.as_str();
    let address = module_arg(text, "url")?;
    let method =
        module_arg(text, "method").map_or_else(|| "GET".to_owned(), str::to_ascii_uppercase);
    let mut payload = module_args.expansions();
    for key in ["body", "url_password", "password", "headers"] {
        if let Some(value) = module_arg(text, key) {
            flow::push_text(&mut payload, value);
        }
    }
    if let Some(file) = module_arg(text, "src") {
        send_file(inv, &mut payload, file, false);
    }
    Some(request("ansible", url(address), &method, payload, false))
}

/// The value of `key=` in ansible's `k=v k2='v 2'` module arguments (or
/// their JSON/YAML-ish `{"k": "v"}` form), its quotes removed; a value
/// that starts a JSON object or list runs to its matching close.
fn module_arg<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let mut search = 0usize;
    while let Some(found) = text.get(search..)?.find(key) {
        let start = search + found;
        search = start + key.len();
        let before_ok = start == 0
            || text[..start].ends_with(|c: char| c.is_whitespace() || matches!(c, '{' | ',' | '"'));
        let after = &text[search..];
        let after = after.strip_prefix('"').unwrap_or(after).trim_start();
        let Some(value) = after.strip_prefix(['=', ':']) else {
            continue;
        };
        if !before_ok {
            continue;
        }
        let value = value.trim_start();
        let value_start = text.len() - value.len();
        return Some(module_value(text, value_start));
    }
    None
}

/// The value starting at `at`: quoted, bracketed, or up to whitespace.
fn module_value(text: &str, at: usize) -> &str {
    let value = &text[at..];
    if let Some(quote) = value.chars().next().filter(|c| matches!(c, '\'' | '"')) {
        let inner = &value[1..];
        return inner.split(quote).next().unwrap_or(inner);
    }
    if let Some(open) = value.chars().next().filter(|c| matches!(c, '{' | '[')) {
        let close = if open == '{' { '}' } else { ']' };
        let mut depth = 0usize;
        for (i, c) in value.char_indices() {
            if c == open {
                depth += 1;
            } else if c == close {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return &value[..=i];
                }
            }
        }
        return value;
    }
    value
        .split(|c: char| c.is_whitespace() || c == ',' || c == '}')
        .next()
        .unwrap_or(value)
}

// ---------------------------------------------------------------- ACME and CAs

/// Let's Encrypt's production and staging ACME directories.
const LETSENCRYPT: &str = "https://acme-v02.api.letsencrypt.org/directory";
const LETSENCRYPT_STAGING: &str = "https://acme-staging-v02.api.letsencrypt.org/directory";

/// `certbot [SUBCOMMAND] [--server URL | --staging] [-d DOMAIN]...`:
/// `run` (the default), `certonly`, `renew`, `revoke`, `register`,
/// `update_account` and `unregister` change state at the CA (an order, a
/// certificate, a revocation, an account), carrying the domains, a
/// `--csr` and the `--cert-path` certificate being revoked (the key only
/// signs). `--dry-run` obtains throwaway certificates from the staging CA
/// and saves nothing: a read of the CA. `certificates`, `delete`,
/// `install`, `enhance`, `rollback` and `plugins` stay on this machine.
fn certbot(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "dmaic",
            long: &[
                "server",
                "domains",
                "domain",
                "email",
                "csr",
                "cert-path",
                "key-path",
                "cert-name",
                "authenticator",
                "installer",
                "config",
                "config-dir",
                "work-dir",
                "logs-dir",
                "webroot-path",
                "reason",
                "key-type",
                "rsa-key-size",
                "elliptic-curve",
                "preferred-challenges",
                "deploy-hook",
                "pre-hook",
                "post-hook",
                "manual-auth-hook",
                "manual-cleanup-hook",
                "eab-kid",
                "eab-hmac-key",
                "dns-cloudflare-credentials",
                "dns-route53-propagation-seconds",
                "user-agent",
                "preferred-chain",
                "http-01-port",
                "https-port",
            ],
            stop_after: None,
        },
    );
    let subcommand = args::positionals(&items)
        .first()
        .map_or("run", |s| s.text.as_str());
    let method = match subcommand {
        "run" | "certonly" | "renew" | "revoke" | "register" | "update_account" | "unregister" => {
            "POST"
        }
        "show_account" => "GET",
        _ => return Outcome::default(),
    };
    let dry_run = args::has(&items, &["--dry-run"]);
    let staging = dry_run || args::has(&items, &["--staging", "--test-cert"]);
    let server = args::value(&items, &["--server"]).map_or(
        if staging {
            LETSENCRYPT_STAGING
        } else {
            LETSENCRYPT
        },
        |s| s.text.as_str(),
    );
    let mut payload = Payload::default();
    send_values(
        &mut payload,
        &items,
        &["-d", "--domains", "--domain", "-m", "--email"],
    );
    for file in args::values(&items, &["--csr", "--cert-path"]) {
        send_file(inv, &mut payload, &file.text, false);
    }
    let method = if dry_run { "GET" } else { method };
    Outcome::default().effect(request(inv.program, url(server), method, payload, false))
}

/// acme.sh's `--server` short names.
fn acme_sh_server(name: &str) -> &str {
    match name.to_ascii_lowercase().as_str() {
        "letsencrypt" => LETSENCRYPT,
        "letsencrypt_test" => LETSENCRYPT_STAGING,
        "zerossl" => "https://acme.zerossl.com/v2/DV90",
        "buypass" => "https://api.buypass.com/acme/directory",
        "buypass_test" => "https://api.test4.buypass.no/acme/directory",
        "sslcom" | "ssl.com" => "https://acme.ssl.com/sslcom-dv-rsa",
        "google" => "https://dv.acme-v02.api.pki.goog/directory",
        "googletest" => "https://dv.acme-v02.test-api.pki.goog/directory",
        _ => name,
    }
}

/// `acme.sh --issue|--renew|--renew-all|--revoke|--signcsr|--cron|
/// --register-account|--deactivate-account [--server NAME|URL] [--staging]
/// -d DOMAIN`: a change at the CA (ZeroSSL unless `--server` names
/// another), carrying the domains and a `--csr` file. Other actions
/// (`--install-cert`, `--list`, `--remove`) stay on this machine.
fn acme_sh(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "dwkm",
            long: &[
                "server",
                "domain",
                "webroot",
                "dns",
                "keylength",
                "accountemail",
                "csr",
                "cert-file",
                "key-file",
                "ca-file",
                "fullchain-file",
                "reloadcmd",
                "home",
                "config-home",
                "cert-home",
                "eab-kid",
                "eab-hmac-key",
                "challenge-alias",
                "domain-alias",
                "pre-hook",
                "post-hook",
                "renew-hook",
                "deploy-hook",
                "days",
                "valid-to",
                "valid-from",
                "preferred-chain",
                "revoke-reason",
            ],
            stop_after: None,
        },
    );
    const CHANGES: &[&str] = &[
        "--issue",
        "--renew",
        "-r",
        "--renew-all",
        "--revoke",
        "--signcsr",
        "--cron",
        "--register-account",
        "--update-account",
        "--deactivate-account",
        "--deactivate",
    ];
    if !args::has(&items, CHANGES) {
        return Outcome::default();
    }
    let server = if args::has(&items, &["--staging", "--test"]) {
        LETSENCRYPT_STAGING
    } else {
        args::value(&items, &["--server"]).map_or("zerossl", |s| s.text.as_str())
    };
    let mut payload = Payload::default();
    send_values(
        &mut payload,
        &items,
        &["-d", "--domain", "-m", "--accountemail"],
    );
    for file in args::values(&items, &["--csr"]) {
        send_file(inv, &mut payload, &file.text, false);
    }
    Outcome::default().effect(request(
        "acme.sh",
        url(acme_sh_server(server)),
        "POST",
        payload,
        false,
    ))
}

/// `step ca certificate SUBJECT CRT KEY`, `step ca sign CSR CRT`, `step ca
/// renew CRT KEY`, `step ca revoke SERIAL|--cert CRT`, with `--ca-url
/// URL`: a change at that CA (a certificate issued, renewed or revoked),
/// carrying the subject, `--san`s and the CSR; the certificate (and a new
/// key) are written here. `step ca health|roots|root|federation|
/// bootstrap|provisioner list` read it. Without `--ca-url` the CA comes
/// from step's own configuration.
fn step(inv: &Invocation<'_>) -> Option<Outcome> {
    let (first, rest) = inv.args.split_first()?;
    if first.text != "ca" {
        return None;
    }
    let items = args::parse(
        rest,
        &Spec {
            short: "",
            long: &[
                "ca-url",
                "root",
                "san",
                "provisioner",
                "issuer",
                "token",
                "password-file",
                "provisioner-password-file",
                "not-before",
                "not-after",
                "kty",
                "curve",
                "size",
                "crv",
                "reason",
                "reasonCode",
                "cert",
                "key",
                "out",
                "context",
                "fingerprint",
                "offline",
                "exec",
                "expires-in",
                "renew-period",
                "set",
                "set-file",
                "console",
                "admin-cert",
                "admin-key",
                "admin-subject",
                "admin-provisioner",
                "admin-password-file",
                "x5c-cert",
                "x5c-key",
                "acme",
                "attestation-uri",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let (verb, operands) = positional.split_first()?;
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    let method = match verb.text.as_str() {
        "certificate" => {
            if let Some(subject) = operands.first() {
                flow::merge(&mut payload, &subject.payload());
            }
            for file in operands.iter().skip(1) {
                outcome.write(inv.path(&file.text), false);
            }
            "POST"
        }
        "sign" => {
            if let Some(csr) = operands.first() {
                send_file(inv, &mut payload, &csr.text, false);
            }
            for file in operands.iter().skip(1) {
                outcome.write(inv.path(&file.text), false);
            }
            "POST"
        }
        "renew" | "rekey" => {
            if let Some(crt) = operands.first() {
                send_file(inv, &mut payload, &crt.text, false);
                outcome.write(inv.path(&crt.text), false);
            }
            "POST"
        }
        "revoke" => {
            for serial in operands {
                flow::merge(&mut payload, &serial.payload());
            }
            for crt in args::values(&items, &["--cert"]) {
                send_file(inv, &mut payload, &crt.text, false);
            }
            "POST"
        }
        "health" | "roots" | "root" | "federation" | "bootstrap" | "provisioner" => {
            if matches!(verb.text.as_str(), "root" | "roots" | "federation")
                && let Some(file) = operands.first()
            {
                outcome.write(inv.path(&file.text), false);
            }
            "GET"
        }
        _ => return Some(outcome),
    };
    send_values(&mut payload, &items, &["--san"]);
    match args::value(&items, &["--ca-url"]) {
        Some(ca) => outcome
            .effects
            .push(request("step", url(&ca.text), method, payload, false)),
        None if args::has(&items, &["--offline"]) => {}
        None => outcome
            .opaque
            .push("step ca reaches the CA its configuration names".to_owned()),
    }
    Some(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_addresses() {
        assert_eq!(snmp_agent("udp:10.0.0.1:161"), ("10.0.0.1", Some(161)));
        assert_eq!(
            snmp_agent("tcp6:[2001:db8::1]:1161"),
            ("2001:db8::1", Some(1161))
        );
        assert_eq!(snmp_agent("router.example"), ("router.example", None));
        assert_eq!(
            snmp_agent("router.example:1161"),
            ("router.example", Some(1161))
        );
    }

    #[test]
    fn tftp_commands() {
        assert_eq!(
            tftp_command(&["put", "a.cfg", "b.cfg"]),
            Some((true, vec!["a.cfg".to_owned()]))
        );
        assert_eq!(
            tftp_command(&["put", "a", "b", "dir"]),
            Some((true, vec!["a".to_owned(), "b".to_owned()]))
        );
        assert_eq!(
            tftp_command(&["get", "dir/r.cfg"]),
            Some((false, vec!["r.cfg".to_owned()]))
        );
        assert_eq!(tftp_command(&["status"]), None);
    }

    #[test]
    fn module_arguments() {
        let text = r#"url=https://x.example/a method=post body={"t": "d o"} src='f 1.json'"#;
        assert_eq!(module_arg(text, "url"), Some("https://x.example/a"));
        assert_eq!(module_arg(text, "method"), Some("post"));
        assert_eq!(module_arg(text, "body"), Some(r#"{"t": "d o"}"#));
        assert_eq!(module_arg(text, "src"), Some("f 1.json"));
        assert_eq!(module_arg("body_format=json", "body"), None);
        assert_eq!(module_arg("xsrc=a", "src"), None);
    }
}
