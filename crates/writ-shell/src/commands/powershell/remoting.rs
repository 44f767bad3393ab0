//! PowerShell remoting: `New-PSSession -ComputerName H` (or `-HostName H`
//! over SSH, `-ConnectionUri U`) opens a session to H, returned as a
//! [`Object::Session`] that travels with the variable it is assigned to;
//! `Copy-Item SRC -Destination D -ToSession $s` uploads SRC to D on the
//! session's hosts, as `scp SRC H:D` does (D is that host's path, no write
//! here), and `-FromSession` downloads; `Invoke-Command -Session $s |
//! -ComputerName H {...}` runs its script block (or `-FilePath` script) on
//! those hosts, a [`Nested::Remote`] job as `ssh H CMD`'s is, and without a
//! host runs it here; `Enter-PSSession` connects.

use super::objects::{self, Object};
use super::{Bound, Cmdlet, bind, blocks, list, path_text, ps_payload};
use crate::args::Arg;
use crate::commands::{Invocation, Nested, Outcome, request};
use crate::{Payload, Target, flow};

/// Parameters that name the hosts a session or command reaches, shared by
/// `New-PSSession`, `Invoke-Command` and `Enter-PSSession`.
const CONNECTION: &[&str] = &[
    "computername",
    "hostname",
    "connectionuri",
    "session",
    "credential",
    "username",
    "port",
    "authentication",
    "keyfilepath",
    "configurationname",
    "applicationname",
    "sessionoption",
    "certificatethumbprint",
    "name",
    "vmname",
    "vmid",
    "containerid",
    "throttlelimit",
    "subsystem",
    "sshconnection",
    "options",
    "id",
    "instanceid",
];

const CONNECTION_SWITCHES: &[&str] = &[
    "usessl",
    "sshtransport",
    "allowredirection",
    "enablenetworkaccess",
    "runasadministrator",
];

const CONNECTION_ALIASES: &[(&str, &str)] = &[
    ("cn", "computername"),
    ("uri", "connectionuri"),
    ("cu", "connectionuri"),
];

/// `New-PSSession`/`Enter-PSSession [-ComputerName] H ...`.
const SESSION: Cmdlet = Cmdlet {
    values: CONNECTION,
    positional: 1,
    switches: CONNECTION_SWITCHES,
    aliases: CONNECTION_ALIASES,
};

/// `Invoke-Command`: its positional arguments are read by [`invoke`].
const INVOKE: Cmdlet = Cmdlet {
    values: &[
        "computername",
        "hostname",
        "connectionuri",
        "session",
        "scriptblock",
        "filepath",
        "argumentlist",
        "inputobject",
        "credential",
        "username",
        "port",
        "authentication",
        "keyfilepath",
        "configurationname",
        "applicationname",
        "sessionoption",
        "certificatethumbprint",
        "jobname",
        "sessionname",
        "throttlelimit",
        "vmname",
        "vmid",
        "containerid",
        "subsystem",
        "sshconnection",
        "options",
    ],
    positional: 0,
    switches: &[
        "usessl",
        "sshtransport",
        "asjob",
        "hidecomputername",
        "indisconnectedsession",
        "nonewscope",
        "remotedebug",
        "allowredirection",
        "enablenetworkaccess",
        "runasadministrator",
    ],
    aliases: &[
        ("cn", "computername"),
        ("uri", "connectionuri"),
        ("cu", "connectionuri"),
        ("command", "scriptblock"),
        ("pspath", "filepath"),
        ("args", "argumentlist"),
        ("disconnected", "indisconnectedsession"),
    ],
};

/// The remoting cmdlets this module reads.
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "new-pssession" | "nsn" => Some(new_session(inv)),
        "enter-pssession" | "etsn" => Some(connect(inv, &bind(&SESSION, inv.args))),
        "invoke-command" | "icm" => Some(invoke(inv)),
        _ => None,
    }
}

/// A host as a target: `[user@]host[:port]`, or a URI's host.
fn host_target(text: &str, user: Option<&str>) -> Option<Target> {
    let text = text.trim().trim_matches(['\'', '"']);
    let rest = text.split_once("://").map_or(text, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or_default();
    let (login, address) = match authority.rsplit_once('@') {
        Some((login, address)) => (Some(login.to_owned()), address),
        None => (user.map(str::to_owned), authority),
    };
    let (host, port) = match address.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') && port.parse::<u16>().is_ok() => {
            (host, port.parse().ok())
        }
        _ => (address, None),
    };
    (!host.is_empty() && !host.starts_with('$')).then(|| Target::Host {
        user: login,
        host: host.to_owned(),
        port,
        path: None,
    })
}

/// The hosts a remoting cmdlet names: its `-ComputerName`, `-HostName`
/// and `-ConnectionUri` values, and the sessions it is given.
fn hosts(bound: &Bound) -> Vec<Target> {
    let user = bound.value("username").map(|u| u.text.clone());
    let mut targets: Vec<Target> = ["computername", "hostname", "connectionuri"]
        .iter()
        .flat_map(|name| bound.all(name))
        .flat_map(list)
        .filter_map(|h| host_target(&h, user.as_deref()))
        .collect();
    targets.extend(
        bound
            .all("session")
            .flat_map(session_hosts)
            .filter_map(|h| host_target(&h, None)),
    );
    targets
}

/// The hosts of the sessions a value holds (`$s`, `(New-PSSession ...)`).
pub(super) fn session_hosts(value: &Arg) -> Vec<String> {
    objects::in_value(value)
        .into_iter()
        .flat_map(|object| match object {
            Object::Session { hosts } => hosts,
            _ => Vec::new(),
        })
        .collect()
}

/// The name a target is known by, as a session keeps it.
fn target_name(target: &Target) -> Option<String> {
    let Target::Host {
        user, host, port, ..
    } = target
    else {
        return None;
    };
    let mut name = user.as_ref().map(|u| format!("{u}@")).unwrap_or_default();
    name.push_str(host);
    if let Some(port) = port {
        name.push_str(&format!(":{port}"));
    }
    Some(name)
}

/// A connection to each host, logging in with the credential given.
fn connect(inv: &Invocation<'_>, bound: &Bound) -> Outcome {
    let mut outcome = Outcome::default();
    let mut login = Payload::default();
    for credential in bound.all("credential") {
        flow::merge(&mut login, &credential.expansions());
    }
    for target in hosts(bound) {
        outcome.effects.push(request(
            inv.program,
            target,
            "CONNECT",
            login.clone(),
            false,
        ));
    }
    outcome
}

/// `New-PSSession`: connects, and returns the session.
fn new_session(inv: &Invocation<'_>) -> Outcome {
    let bound = bind(&SESSION, inv.args);
    let mut outcome = connect(inv, &bound);
    let hosts: Vec<String> = hosts(&bound).iter().filter_map(target_name).collect();
    if !hosts.is_empty() {
        outcome.stdout = Some(objects::printed(&[Object::Session { hosts }]));
    }
    outcome
}

/// `Invoke-Command [[-ComputerName] H | -Session S | -HostName H]
/// [-ScriptBlock] {...} | -FilePath F [-ArgumentList ...]`: the block runs
/// on the hosts (here when none is named); a `-FilePath` script is read
/// here and its text sent to run there.
fn invoke(inv: &Invocation<'_>) -> Outcome {
    let mut bound = bind(&INVOKE, inv.args);
    let extra = std::mem::take(&mut bound.extra);
    for word in extra {
        let name = if blocks::body(&word).is_some() {
            "scriptblock"
        } else if bound.value("computername").is_none()
            && bound.value("session").is_none()
            && bound.value("hostname").is_none()
            && bound.value("connectionuri").is_none()
        {
            "computername"
        } else {
            "filepath"
        };
        bound.values.push((name.to_owned(), word));
    }
    let targets = hosts(&bound);
    let code: Vec<&str> = bound.all("scriptblock").filter_map(blocks::body).collect();
    let mut outcome = Outcome::default();
    if targets.is_empty() {
        let arguments = blocks::argument_list(inv.args);
        for code in code {
            outcome.nested.push(blocks::job_with_arguments(
                code,
                &arguments,
                "Invoke-Command script block",
            ));
        }
        return outcome;
    }
    let mut sent = Payload::default();
    for block in bound.all("scriptblock") {
        flow::merge(&mut sent, &ps_payload(block));
    }
    for argument in bound.all("argumentlist") {
        flow::merge(&mut sent, &ps_payload(argument));
    }
    for script in bound.all("filepath") {
        let path = inv.path(&path_text(&script.text));
        outcome.read(path.clone(), false);
        flow::push_file(
            &mut sent,
            crate::FileRef {
                path,
                recursive: false,
                excludes: Vec::new(),
            },
        );
    }
    let names: Vec<String> = targets.iter().filter_map(target_name).collect();
    for target in targets {
        outcome
            .effects
            .push(request(inv.program, target, "EXEC", sent.clone(), false));
    }
    for code in code {
        outcome.nested.push(Nested::Remote {
            argv: vec![
                Arg::literal("pwsh"),
                Arg::literal("-NoProfile"),
                Arg::literal("-Command"),
                Arg::literal(code),
            ],
            hosts: names.clone(),
            cwd: inv.home.to_owned(),
            stdin: false,
        });
    }
    outcome
}

/// `Copy-Item SRC -Destination D -ToSession S` (an upload of SRC to D on
/// the session's hosts) or `-FromSession S` (a download of SRC there into
/// D here); `None` when the copy names no session.
pub(super) fn copy(inv: &Invocation<'_>, bound: &Bound, sources: &[String]) -> Option<Outcome> {
    let (to, from) = (bound.value("tosession"), bound.value("fromsession"));
    let session = to.or(from)?;
    let destination = bound.value("destination").map(|d| path_text(&d.text));
    let recursive = bound.switch("recurse");
    let mut outcome = Outcome::default();
    let targets: Vec<Target> = session_hosts(session)
        .iter()
        .filter_map(|h| host_target(h, None))
        .collect();
    if to.is_some() {
        let mut payload = Payload::default();
        for source in sources {
            crate::commands::send_file(inv, &mut payload, source, recursive);
        }
        if targets.is_empty() {
            // A session the line does not show: the files still leave.
            outcome.opaque.push(format!(
                "{} copies to a remote session: {}",
                inv.program, session.text
            ));
            for source in sources {
                outcome.read(inv.path(source), recursive);
            }
        }
        for target in targets {
            outcome.effects.push(request(
                inv.program,
                with_path(target, destination.clone()),
                "UPLOAD",
                payload.clone(),
                false,
            ));
        }
        return Some(outcome);
    }
    for target in targets {
        for source in sources {
            outcome.effects.push(request(
                inv.program,
                with_path(target.clone(), Some(source.clone())),
                "DOWNLOAD",
                Payload::default(),
                false,
            ));
        }
    }
    if let Some(destination) = destination {
        outcome.write(inv.path(&destination), false);
    }
    Some(outcome)
}

/// A host target with the path it is reached at.
fn with_path(target: Target, path: Option<String>) -> Target {
    match target {
        Target::Host {
            user, host, port, ..
        } => Target::Host {
            user,
            host,
            port,
            path,
        },
        other => other,
    }
}
