//! Hypervisors and virtual machine tools, by the host they act on.
//!
//! - libvirt (`virsh`, `virt-install`, `virt-clone`): the connection URI
//!   (`-c`/`--connect`, else `LIBVIRT_DEFAULT_URI` or
//!   `VIRSH_DEFAULT_CONNECT_URI`) names the host, `qemu+ssh://user@host/system`
//!   or `qemu+tcp://host/system`; one with no host (`qemu:///system`), a
//!   loopback host or the `+unix` transport is this machine. On another
//!   host a command that changes state (`destroy`, `shutdown`, `undefine`,
//!   `start`, `snapshot-*`, `attach-disk`, ...) is a request that changes
//!   that host, carrying the XML files it reads and `vol-upload`'s file; a
//!   read (`list`, `dominfo`, `dumpxml`, ...) only reads from it, and a
//!   read-only connection (`-r`) changes nothing. Local files the command
//!   reads or writes (`define FILE`, `vol-download VOL FILE`, `screenshot`)
//!   are read or written either way.
//! - Vagrant Cloud (`vagrant cloud publish ORG/BOX VERSION PROVIDER FILE`,
//!   `provider upload`, `box|version|provider` changes, `auth login`):
//!   requests to the registry (`VAGRANT_SERVER_URL`, else Vagrant Cloud),
//!   a publish uploading the box file, public unless `--private`.
//! - govc (`-u URL` or `GOVC_URL`): `import.ova|ovf|vmdk FILE`,
//!   `datastore.upload`, `guest.upload` and `library.import` upload the
//!   local file to the vCenter or ESXi host; `datastore.download`,
//!   `guest.download` and `export.ovf` download and write here; commands
//!   that read (`ls`, `find`, `*.info`, `*.ls`, ...) read; any other
//!   changes that host, and its permission, role, SSO and host account
//!   commands also change who may do what there ([`Effect::GrantAccess`]).
//! - Proxmox VE's access commands (`pveum`, `pvesh` on `/access`) and
//!   LXD/Incus (`lxc`, `incus`): [`proxmox`] and [`lxd`].

mod lxd;
mod proxmox;
pub(crate) use lxd::written_image_documents;

use super::{Invocation, Outcome, request, url};
use crate::args::{self, Arg, Item, OptionsEnd, Spec};
use crate::{Effect, FileRef, Payload, Resource, Target, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "virsh" => Some(virsh(inv)),
        "virt-install" | "virt-clone" => Some(virt_tool(inv)),
        "vagrant" => vagrant(inv),
        "govc" => Some(govc(inv)),
        "pveum" => Some(proxmox::pveum(inv)),
        "pvesh" => proxmox::pvesh(inv),
        "lxc" | "incus" => lxd::handle(inv),
        _ => None,
    }
}

/// Adds a local file to `payload` and reads it.
fn send_local(inv: &Invocation<'_>, file: &Arg, payload: &mut Payload, out: &mut Outcome) {
    let path = inv.path(&file.text);
    out.read(path.clone(), false);
    flow::merge(payload, &file.expansions());
    flow::push_file(
        payload,
        FileRef {
            path,
            recursive: false,
            excludes: Vec::new(),
        },
    );
}

/// What the words of a command carry when they are sent.
fn words_payload(words: &[&Arg]) -> Payload {
    let mut payload = Payload::default();
    for word in words {
        flow::merge(&mut payload, &word.payload());
    }
    payload
}

// -------------------------------------------------------------- libvirt

/// The host a libvirt URI names (`driver[+transport]://[user@][host][:port]/path`),
/// as a target; `None` for this machine or a URI alias, which only the
/// configuration resolves.
fn libvirt_host(uri: &str) -> Option<Target> {
    let (scheme, rest) = uri.split_once("://")?;
    if scheme.ends_with("+unix") {
        return None;
    }
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let (user, host_port) = match authority.rsplit_once('@') {
        Some((user, host)) => (Some(user.to_owned()), host),
        None => (None, authority),
    };
    let (host, port) = match host_port.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') => (host, port.parse().ok()),
        _ => (host_port, None),
    };
    if host.is_empty() || crate::is_loopback_host(host) {
        return None;
    }
    Some(Target::Host {
        user,
        host: host.to_owned(),
        port,
        path: None,
    })
}

/// The connection of a libvirt client: `-c`/`--connect`, else the
/// environment's default URI.
fn libvirt_target(inv: &Invocation<'_>, connect: Option<&Arg>) -> Option<Target> {
    let uri = connect.or_else(|| {
        inv.env_value("LIBVIRT_DEFAULT_URI")
            .or_else(|| inv.env_value("VIRSH_DEFAULT_CONNECT_URI"))
    })?;
    libvirt_host(&uri.text)
}

/// virsh's global options that take a value.
const VIRSH_GLOBAL: Spec<'static> = Spec {
    short: "cdeklK",
    long: &[
        "connect",
        "debug",
        "escape",
        "keepalive-interval",
        "keepalive-count",
        "log",
    ],
    stop_after: Some(1),
};

/// virsh commands that only read. Tuning commands read too when they set
/// nothing ([`TUNING`]).
const VIRSH_READS: &[&str] = &[
    "list",
    "dominfo",
    "domstate",
    "domid",
    "domname",
    "domuuid",
    "domhostname",
    "domblklist",
    "domiflist",
    "domblkinfo",
    "domblkstat",
    "domblkerror",
    "domifstat",
    "domifaddr",
    "domif-getlink",
    "dommemstat",
    "domstats",
    "domjobinfo",
    "domcontrol",
    "domdisplay",
    "domfsinfo",
    "domlaunchsecinfo",
    "dumpxml",
    "domxml-to-native",
    "domxml-from-native",
    "vcpuinfo",
    "vcpucount",
    "iothreadinfo",
    "vncdisplay",
    "ttyconsole",
    "maxvcpus",
    "guestinfo",
    "get-user-sshkeys",
    "capabilities",
    "domcapabilities",
    "nodeinfo",
    "nodecpustats",
    "nodememstats",
    "nodecpumap",
    "sysinfo",
    "hostname",
    "uri",
    "version",
    "freecell",
    "freepages",
    "cpu-models",
    "cpu-baseline",
    "cpu-compare",
    "hypervisor-cpu-compare",
    "hypervisor-cpu-baseline",
    "net-list",
    "net-info",
    "net-dumpxml",
    "net-uuid",
    "net-name",
    "net-dhcp-leases",
    "net-port-list",
    "net-port-dumpxml",
    "iface-list",
    "iface-dumpxml",
    "iface-name",
    "iface-mac",
    "pool-list",
    "pool-info",
    "pool-dumpxml",
    "pool-name",
    "pool-uuid",
    "pool-capabilities",
    "find-storage-pool-sources",
    "find-storage-pool-sources-as",
    "vol-list",
    "vol-info",
    "vol-dumpxml",
    "vol-name",
    "vol-path",
    "vol-key",
    "vol-pool",
    "nodedev-list",
    "nodedev-dumpxml",
    "nodedev-info",
    "secret-list",
    "secret-dumpxml",
    "secret-get-value",
    "snapshot-list",
    "snapshot-info",
    "snapshot-dumpxml",
    "snapshot-parent",
    "checkpoint-list",
    "checkpoint-info",
    "checkpoint-dumpxml",
    "checkpoint-parent",
    "nwfilter-list",
    "nwfilter-dumpxml",
    "nwfilter-binding-list",
    "nwfilter-binding-dumpxml",
    "backup-dumpxml",
    "event",
    "net-event",
    "pool-event",
    "nodedev-event",
    "secret-event",
    "qemu-monitor-event",
    "help",
    "echo",
    "connect",
    "quit",
    "exit",
    "pwd",
    "cd",
];

/// virsh commands that show a setting when given nothing to set.
const TUNING: &[&str] = &[
    "schedinfo",
    "blkiotune",
    "memtune",
    "numatune",
    "blkdeviotune",
    "domiftune",
    "vcpupin",
    "emulatorpin",
    "iothreadpin",
    "domtime",
    "metadata",
    "perf",
    "guestvcpus",
    "node-memory-tune",
    "snapshot-current",
    "autostart",
];

/// Options of a virsh command that say only where a setting is read
/// from, not what to set.
const SCOPE_FLAGS: &[&str] = &["--config", "--live", "--current", "--inactive", "--domain"];

/// How a virsh command's XML or data file is named: an option, or the
/// operand at an index when the option is not given.
const VIRSH_FILES: &[(&str, &[&str], usize)] = &[
    ("define", &["--file"], 0),
    ("create", &["--file"], 0),
    ("net-define", &["--file"], 0),
    ("net-create", &["--file"], 0),
    ("pool-define", &["--file"], 0),
    ("pool-create", &["--file"], 0),
    ("nwfilter-define", &["--file"], 0),
    ("nwfilter-binding-create", &["--file"], 0),
    ("secret-define", &["--file"], 0),
    ("iface-define", &["--file"], 0),
    ("nodedev-create", &["--file"], 0),
    ("nodedev-define", &["--file"], 0),
    ("attach-device", &["--file"], 1),
    ("detach-device", &["--file"], 1),
    ("update-device", &["--file"], 1),
    ("vol-create", &["--file"], 1),
    ("vol-create-from", &["--file"], 1),
    ("vol-upload", &["--file"], 1),
    ("snapshot-create", &["--xmlfile"], 1),
    ("checkpoint-create", &["--xmlfile"], 1),
    (
        "backup-begin",
        &["--backupxml", "--checkpointxml"],
        usize::MAX,
    ),
    ("secret-set-value", &["--file"], usize::MAX),
];

/// Options of virsh commands that take a value, where an operand may stand
/// instead (`--domain D`, `--pool P`): skipped when counting operands.
const VIRSH_VALUES: &[&str] = &[
    "--domain",
    "--pool",
    "--vol",
    "--name",
    "--description",
    "--file",
    "--xmlfile",
    "--backupxml",
    "--checkpointxml",
    "--screen",
    "--offset",
    "--length",
];

/// A virsh command's operands (its words that are not options, and not
/// the values of [`VIRSH_VALUES`]) and its option words with their values.
fn virsh_operands<'a>(words: &[&'a Arg]) -> (Vec<&'a Arg>, Vec<(&'a str, Option<&'a Arg>)>) {
    let mut operands = Vec::new();
    let mut options = Vec::new();
    let mut at = 0;
    while let Some(word) = words.get(at) {
        let text = word.text.as_str();
        if let Some((name, _)) = text.split_once('=').filter(|_| text.starts_with("--")) {
            options.push((name, Some(*word)));
        } else if VIRSH_VALUES.contains(&text) {
            options.push((text, words.get(at + 1).copied()));
            at += 1;
        } else if text.starts_with("--") {
            options.push((text, None));
        } else {
            operands.push(*word);
        }
        at += 1;
    }
    (operands, options)
}

/// The value of a `--name=value` or `--name value` option among `options`.
fn option_value(options: &[(&str, Option<&Arg>)], names: &[&str]) -> Vec<Arg> {
    options
        .iter()
        .filter(|(name, _)| names.contains(name))
        .filter_map(|(name, value)| {
            let value = (*value)?;
            let text = value
                .text
                .strip_prefix(&format!("{name}="))
                .unwrap_or(&value.text);
            Some(value.with_text(text))
        })
        .collect()
}

/// `virsh [GLOBAL] COMMAND [ARGS]` (module docs).
fn virsh(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &VIRSH_GLOBAL);
    let mut outcome = Outcome::default();
    if let Some(log) = args::value(&items, &["-l", "--log"]) {
        outcome.write(inv.path(&log.text), true);
    }
    let target = libvirt_target(inv, args::value(&items, &["-c", "--connect"]));
    let read_only = args::has(&items, &["-r", "--readonly"]);
    let positional = args::positionals(&items);
    let Some((command, words)) = positional.split_first() else {
        return outcome;
    };
    let command = command.text.as_str();
    let (operands, options) = virsh_operands(words);
    let mut payload = Payload::default();
    flow::push_text(&mut payload, command);
    flow::merge(&mut payload, &words_payload(words));
    // Local files the command reads and sends, or writes.
    if let Some((_, names, index)) = VIRSH_FILES.iter().find(|(c, _, _)| *c == command) {
        let named = option_value(&options, names);
        let files: Vec<Arg> = if named.is_empty() {
            operands
                .get(*index)
                .map(|a| (*a).clone())
                .into_iter()
                .collect()
        } else {
            named
        };
        for file in &files {
            send_local(inv, file, &mut payload, &mut outcome);
        }
    }
    let written = match command {
        "vol-download" | "screenshot" => option_value(&options, &["--file"])
            .into_iter()
            .next()
            .or_else(|| operands.get(1).map(|a| (*a).clone())),
        // The daemon writes and reads these on its own host.
        "save" | "dump" | "managedsave-dumpxml" if target.is_none() => {
            operands.get(1).map(|a| (*a).clone())
        }
        _ => None,
    };
    if let Some(file) = &written {
        outcome.write(inv.path(&file.text), false);
    }
    if command == "restore"
        && target.is_none()
        && let Some(file) = operands.first()
    {
        outcome.read(inv.path(&file.text), false);
    }
    let Some(target) = target else {
        return outcome;
    };
    let reads = VIRSH_READS.contains(&command)
        || (TUNING.contains(&command)
            && operands.len() <= 1
            && options.iter().all(|(name, _)| SCOPE_FLAGS.contains(name)));
    let method = if written.is_some() || reads || read_only {
        "GET"
    } else if command == "vol-upload" {
        "UPLOAD"
    } else {
        "SEND"
    };
    if method == "GET" {
        payload = Payload::default();
    }
    outcome
        .effects
        .push(request(inv.program, target, method, payload, false));
    outcome
}

/// `virt-install` and `virt-clone` with `--connect URI`: a new machine on
/// that host, a change there carrying the options it is given.
fn virt_tool(inv: &Invocation<'_>) -> Outcome {
    let items = args::long_options(inv.args, &["connect"], OptionsEnd::DoubleDash, "--");
    let mut outcome = Outcome::default();
    let Some(target) = libvirt_target(inv, args::value(&items, &["--connect"])) else {
        return outcome;
    };
    let words: Vec<&Arg> = inv.args.iter().collect();
    outcome.effects.push(request(
        inv.program,
        target,
        "SEND",
        words_payload(&words),
        false,
    ));
    outcome
}

// -------------------------------------------------------- Vagrant Cloud

/// Where Vagrant Cloud is when `VAGRANT_SERVER_URL` names no other server.
const VAGRANT_CLOUD: &str = "https://app.vagrantup.com";

/// Options of `vagrant cloud` commands that take a value.
const VAGRANT_CLOUD_VALUES: Spec<'static> = Spec {
    short: "dsucCt",
    long: &[
        "description",
        "short-description",
        "version-description",
        "url",
        "checksum",
        "checksum-type",
        "architecture",
        "token",
        "username",
        "provider",
        "sort-by",
        "limit",
        "page",
        "order",
    ],
    stop_after: None,
};

/// `vagrant cloud ...`; other vagrant commands are left to the handlers
/// after this one.
fn vagrant(inv: &Invocation<'_>) -> Option<Outcome> {
    let at = inv.args.iter().position(|a| !a.text.starts_with('-'))?;
    if inv.args.get(at)?.text != "cloud" {
        return None;
    }
    let items = args::parse(inv.args.get(at + 1..)?, &VAGRANT_CLOUD_VALUES);
    let operands = args::positionals(&items);
    let server = inv
        .env_value("VAGRANT_SERVER_URL")
        .map_or(VAGRANT_CLOUD, |s| s.text.as_str())
        .trim_end_matches('/')
        .to_owned();
    let mut outcome = Outcome::default();
    let words: Vec<&str> = operands.iter().map(|a| a.text.as_str()).collect();
    let (method, box_at, file_at) = match words.as_slice() {
        ["publish", ..] => ("UPLOAD", 1, Some(4)),
        ["provider", "upload", ..] => ("UPLOAD", 2, Some(operands.len().saturating_sub(1))),
        ["box" | "version" | "provider", "delete", ..] | ["version", "revoke", ..] => {
            ("DELETE", 2, None)
        }
        ["box" | "version" | "provider", "create" | "update", ..] | ["version", "release", ..] => {
            ("POST", 2, None)
        }
        ["auth", "login", ..] => ("POST", usize::MAX, None),
        _ => return Some(outcome),
    };
    let mut payload = Payload::default();
    for value in args::values(
        &items,
        &[
            "-d",
            "--description",
            "-s",
            "--short-description",
            "--version-description",
            "-t",
            "--token",
            "-u",
            "--url",
        ],
    ) {
        flow::merge(&mut payload, &value.payload());
    }
    let file = file_at
        .filter(|at| *at > box_at)
        .and_then(|at| operands.get(at));
    if let Some(file) = file {
        send_local(inv, file, &mut payload, &mut outcome);
    }
    let method = if method == "UPLOAD" && file.is_none() {
        "POST"
    } else {
        method
    };
    let target = match operands.get(box_at) {
        Some(tag) => format!("{server}/{}", tag.text),
        None => server,
    };
    // A box published is public unless it is made private.
    let public = words.first() == Some(&"publish") && !args::has(&items, &["--private"]);
    if words.first() == Some(&"box")
        && args::has(&items, &["--no-private"])
        && let Some(tag) = operands.get(box_at)
    {
        outcome.effects.push(Effect::MakePublic {
            resource: Resource::Other {
                name: format!("vagrant box {}", tag.text),
            },
        });
    }
    outcome
        .effects
        .push(request(inv.program, url(&target), method, payload, public));
    Some(outcome)
}

// ----------------------------------------------------------------- govc

/// govc's options that take a value when written apart from it (Go's
/// flag package: `-name value` or `-name=value`; boolean ones only with
/// `=`).
const GOVC_VALUES: &[&str] = &[
    "u",
    "cert",
    "key",
    "tls-ca-certs",
    "tls-known-hosts",
    "vim-namespace",
    "vim-version",
    "dc",
    "ds",
    "pool",
    "folder",
    "host",
    "host.dns",
    "host.ip",
    "host.ipath",
    "host.uuid",
    "vm",
    "vm.dns",
    "vm.ip",
    "vm.ipath",
    "vm.uuid",
    "vm.path",
    "name",
    "options",
    "net",
    "net.adapter",
    "net.address",
    "cluster",
    "datastore-cluster",
    "disk",
    "disk.controller",
    "m",
    "c",
    "g",
    "annotation",
    "e",
    "iso",
    "iso-datastore",
    "snapshot",
    "principal",
    "role",
    "l",
    "firmware",
    "version",
    "profile",
    "size",
    "library",
    "item",
];

/// govc commands that upload their last operand (or the next to last,
/// for those that also name where it goes).
const GOVC_UPLOADS: &[(&str, usize)] = &[
    ("import.ova", 1),
    ("import.ovf", 1),
    ("import.vmdk", 1),
    ("library.import", 1),
    ("datastore.upload", 2),
    ("guest.upload", 2),
];

/// govc commands that download and write their last operand here.
const GOVC_DOWNLOADS: &[&str] = &["datastore.download", "guest.download", "export.ovf"];

/// govc commands that only read besides those named `*.info` and `*.ls`.
const GOVC_READS: &[&str] = &[
    "about",
    "about.cert",
    "ls",
    "find",
    "tree",
    "events",
    "logs",
    "tasks",
    "version",
    "env",
    "collect",
    "object.collect",
    "metric.sample",
    "vm.ip",
    "vm.console",
    "datastore.cat",
    "datastore.tail",
    "import.spec",
];

/// govc commands that change who may do what on the host: the option
/// naming whom, if any.
const GOVC_ACCESS: &[&str] = &[
    "permissions.set",
    "permissions.remove",
    "role.create",
    "role.update",
    "role.remove",
    "sso.user.create",
    "sso.user.update",
    "sso.user.rm",
    "sso.group.create",
    "sso.group.update",
    "sso.group.rm",
    "host.account.create",
    "host.account.update",
    "host.account.remove",
];

/// The vCenter or ESXi endpoint: `-u`, else `GOVC_URL`, as a URL
/// (`user@host` is `https://user@host`).
fn govc_url(inv: &Invocation<'_>, items: &[Item<'_>]) -> Option<String> {
    let given = args::value(items, &["-u"])
        .map(|a| a.text.clone())
        .or_else(|| {
            inv.env_value("GOVC_URL")
                .map(|a| a.text.clone())
                .filter(|u| !u.is_empty())
        })?;
    Some(if given.contains("://") {
        given
    } else {
        format!("https://{given}")
    })
}

/// `govc COMMAND [OPTIONS] [ARGS]` (module docs).
fn govc(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let Some((command, rest)) = inv.args.split_first() else {
        return outcome;
    };
    let command = command.text.as_str();
    let items = args::long_options(rest, GOVC_VALUES, OptionsEnd::FirstPositional, "-");
    let operands = args::positionals(&items);
    let mut payload = Payload::default();
    for name in ["GOVC_USERNAME", "GOVC_PASSWORD"] {
        if let Some(value) = inv.env_value(name) {
            flow::merge(&mut payload, &value.payload());
        }
    }
    for options in args::values(&items, &["-options"]) {
        send_local(inv, options, &mut payload, &mut outcome);
    }
    let upload = GOVC_UPLOADS
        .iter()
        .find(|(c, _)| *c == command)
        .and_then(|(_, from_end)| operands.len().checked_sub(*from_end))
        .and_then(|at| operands.get(at));
    if let Some(file) = upload {
        if file.text.contains("://") {
            flow::merge(&mut payload, &file.payload());
        } else if file.text != "-" {
            send_local(inv, file, &mut payload, &mut outcome);
        }
    }
    let download = GOVC_DOWNLOADS.contains(&command);
    if download && let Some(file) = operands.last().filter(|f| f.text != "-") {
        outcome.write(inv.path(&file.text), command == "export.ovf");
    }
    if command == "import.spec" {
        if let Some(file) = operands.last() {
            outcome.read(inv.path(&file.text), false);
        }
        return outcome;
    }
    if GOVC_ACCESS.contains(&command) {
        outcome
            .effects
            .push(govc_access(command, &items, &operands));
    }
    let Some(endpoint) = govc_url(inv, &items) else {
        return outcome;
    };
    let reads = GOVC_READS.contains(&command)
        || command.ends_with(".info")
        || command.ends_with(".ls")
        || command.starts_with("metric.");
    let method = if download {
        "DOWNLOAD"
    } else if reads {
        "GET"
    } else if upload.is_some() {
        "UPLOAD"
    } else {
        "POST"
    };
    if !reads && !download {
        flow::push_text(&mut payload, command);
        let words: Vec<&Arg> = rest.iter().collect();
        flow::merge(&mut payload, &words_payload(&words));
    }
    outcome
        .effects
        .push(request(inv.program, url(&endpoint), method, payload, false));
    outcome
}

/// The access change of a govc permission, role, SSO or host account
/// command: `-principal` (or the account named) is whom it concerns.
fn govc_access(command: &str, items: &[Item<'_>], operands: &[&Arg]) -> Effect {
    let grantee = args::value(items, &["-principal"])
        .map(|p| p.text.clone())
        .or_else(|| {
            (!command.starts_with("role.") && !command.starts_with("permissions."))
                .then(|| operands.first().map(|o| o.text.clone()))
                .flatten()
        });
    let role = args::value(items, &["-role"]).map(|r| format!(" (role={})", r.text));
    let on: Vec<&str> = operands.iter().map(|o| o.text.as_str()).collect();
    Effect::GrantAccess {
        resource: Resource::Other {
            name: format!(
                "vsphere {command} {}{}",
                on.join(" "),
                role.unwrap_or_default()
            ),
        },
        grantee,
    }
}
