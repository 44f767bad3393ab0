//! Research computing tools that reach beyond the cluster or change who
//! may use it:
//!
//! - GridFTP copies (`globus-url-copy [OPTS] SRC DST`, `uberftp SRC DST`):
//!   a `file://` source sent to a remote destination is an upload of it
//!   to that host; a remote source copied to a `file://` destination is a
//!   download that writes it; between two servers, the destination
//!   receives what the source names.
//! - Slurm's accounting database (`sacctmgr`): adding a user to an
//!   account, making someone a coordinator, setting a user's admin level,
//!   default account or QOS, removing users, coordinators or accounts,
//!   and loading associations from a file change who may do what on the
//!   cluster ([`Effect::GrantAccess`], the account named in the resource
//!   as [`super::accounts`] names local accounts). `show`/`list` read;
//!   `dump` writes its file.
//! - Apptainer and Singularity (`apptainer push IMAGE library://...` or
//!   `oras://...`): an upload of the image file to the library or
//!   registry, as `docker push` is one to its registry; `remote login`
//!   and `registry login` send the password or token they are given;
//!   `exec IMAGE CMD...` runs CMD as it would run outside the container.

use super::cloud::image_upload;
use super::{Invocation, Nested, Outcome, request, send_file, url};
use crate::args::{self, Arg, OptionsEnd, Spec};
use crate::{Effect, FileRef, Payload, Resource, Target, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "globus-url-copy" => Some(globus_url_copy(inv)),
        "uberftp" => uberftp(inv),
        "sacctmgr" => Some(sacctmgr(inv)),
        "apptainer" | "singularity" => apptainer(inv),
        "ichmod" => Some(ichmod(inv)),
        _ => None,
    }
}

/// iRODS's `ichmod [-rMv] [-z ZONE] LEVEL USER|GROUP PATH...`: grants
/// USER LEVEL (`read`, `write`, `own`, ...; `null` removes it) on each
/// collection or data object; `ichmod inherit|noinherit COLL` changes no
/// one's access.
fn ichmod(inv: &Invocation<'_>) -> Outcome {
    let items = crate::args::parse(
        inv.args,
        &crate::args::Spec {
            short: "z",
            ..crate::args::Spec::default()
        },
    );
    let words = crate::args::positionals(&items);
    let mut outcome = Outcome::default();
    let [level, grantee, paths @ ..] = words.as_slice() else {
        return outcome;
    };
    if matches!(level.text.as_str(), "inherit" | "noinherit") {
        return outcome;
    }
    for path in paths {
        outcome.effects.push(crate::Effect::GrantAccess {
            resource: crate::Resource::Other {
                name: format!("irods {}", path.text),
            },
            grantee: Some(grantee.text.clone()),
        });
    }
    outcome
}

/// globus-url-copy's options that take a value (`-p 4`, `-tcp-bs 16M`),
/// each written with one dash.
const GUC_VALUES: &[&str] = &[
    "f",
    "af",
    "alias-file",
    "p",
    "parallel",
    "cc",
    "concurrency",
    "bs",
    "block-size",
    "tcp-bs",
    "tcp-buffer-size",
    "sbs",
    "striped-block-size",
    "off",
    "partial-offset",
    "len",
    "partial-length",
    "list",
    "rst-retries",
    "rst-interval",
    "rst-timeout",
    "stall-timeout",
    "st",
    "sync-level",
    "df",
    "dumpfile",
    "do",
    "dump-only",
    "s",
    "subject",
    "ss",
    "source-subject",
    "ds",
    "dest-subject",
    "cred",
    "src-cred",
    "dst-cred",
    "dcstack",
    "data-channel-stack",
    "src-dcstack",
    "dst-dcstack",
    "fsstack",
    "src-fsstack",
    "dst-fsstack",
    "authz",
    "src-authz",
    "dst-authz",
    "mn",
    "module-name",
    "mp",
    "module-parameters",
    "sp",
    "src-pipe",
    "DP",
    "dst-pipe",
    "checksum-alg",
    "exclude",
    "t",
];

/// `globus-url-copy [OPTS] SRC DST`: one copy ([`copy`]); `-f FILE` lists
/// the copies in FILE, which is read; `-list URL` only lists.
fn globus_url_copy(inv: &Invocation<'_>) -> Outcome {
    let items = args::long_options(inv.args, GUC_VALUES, OptionsEnd::DoubleDash, "-");
    let mut outcome = Outcome::default();
    for file in args::values(&items, &["-f"]) {
        outcome.read(inv.path(&file.text), false);
    }
    let recursive = args::has(&items, &["-r", "-recurse"]);
    if let [source, destination] = args::positionals(&items).as_slice() {
        copy(inv, source, destination, recursive, &mut outcome);
    }
    outcome
}

/// uberftp's options that take a value (`-parallel 4`, `-P 2811`).
const UBERFTP_VALUES: &[&str] = &[
    "a",
    "P",
    "u",
    "parallel",
    "blksize",
    "tcpbuf",
    "mode",
    "prot",
    "pbsz",
    "keepalive",
    "retry",
    "debug",
    "cksum",
    "family",
    "glob",
    "resume",
];

/// `uberftp [OPTS] SRC_URL DST_URL`: a copy as globus-url-copy's; its
/// interactive and command forms (`uberftp HOST 'cmds'`) are left to the
/// handlers after this one.
fn uberftp(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::long_options(inv.args, UBERFTP_VALUES, OptionsEnd::DoubleDash, "-");
    let positional = args::positionals(&items);
    let [source, destination] = positional.as_slice() else {
        return None;
    };
    if !source.text.contains("://") || !destination.text.contains("://") {
        return None;
    }
    let mut outcome = Outcome::default();
    copy(
        inv,
        source,
        destination,
        args::has(&items, &["-r"]),
        &mut outcome,
    );
    Some(outcome)
}

/// One end of a GridFTP copy.
enum End {
    /// A file on this machine (`file:///abs/path`, or a bare path).
    Local(String),
    /// A URL on a server (`gsiftp://`, `sshftp://`, `ftp://`, `http(s)://`).
    Remote(String),
}

fn end(inv: &Invocation<'_>, text: &str) -> End {
    if let Some(rest) = text.strip_prefix("file:") {
        // `file:///p` and `file://localhost/p` are `/p`.
        let rest = rest.strip_prefix("//").map_or(rest, |authority| {
            authority.strip_prefix("localhost").unwrap_or(authority)
        });
        return End::Local(inv.path(rest));
    }
    if text.contains("://") {
        End::Remote(text.to_owned())
    } else {
        End::Local(inv.path(text))
    }
}

/// True for an HTTP(S) URL, which GridFTP clients read with `GET` and
/// write with `PUT`.
fn is_http(text: &str) -> bool {
    text.starts_with("http://") || text.starts_with("https://")
}

/// A copy from `source` to `destination`: a local source is read, and
/// sent when the destination is remote; a remote source sends nothing of
/// this machine's, and what a remote destination receives is what it
/// names. A local destination is written. A directory (`-r`, or a source
/// ending in `/`) goes whole.
fn copy(inv: &Invocation<'_>, source: &Arg, destination: &Arg, recursive: bool, out: &mut Outcome) {
    let recursive = recursive || source.text.ends_with('/');
    let program = inv.program;
    match (end(inv, &source.text), end(inv, &destination.text)) {
        (End::Local(from), End::Remote(to)) => {
            out.read(from.clone(), recursive);
            let mut payload = source.expansions();
            flow::push_file(
                &mut payload,
                FileRef {
                    path: from,
                    recursive,
                    excludes: Vec::new(),
                },
            );
            let method = if is_http(&to) { "PUT" } else { "UPLOAD" };
            out.effects
                .push(request(program, url(&to), method, payload, false));
        }
        (End::Remote(from), End::Local(to)) => {
            let method = if is_http(&from) { "GET" } else { "DOWNLOAD" };
            out.effects.push(request(
                program,
                url(&from),
                method,
                Payload::default(),
                false,
            ));
            out.write(to, false);
        }
        (End::Remote(from), End::Remote(to)) => {
            let method = if is_http(&to) { "PUT" } else { "UPLOAD" };
            let mut payload = source.expansions();
            flow::push_text(&mut payload, &from);
            out.effects
                .push(request(program, url(&to), method, payload, false));
        }
        (End::Local(from), End::Local(to)) => {
            out.read(from, recursive);
            out.write(to, false);
        }
    }
}

/// sacctmgr's commands, each with the shortest abbreviation it accepts
/// (`mod user ...`), as the kind of change they make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Command {
    Add,
    Delete,
    Modify,
    Load,
    Dump,
    Other,
}

const SACCTMGR_COMMANDS: &[(&str, usize, Command)] = &[
    ("add", 3, Command::Add),
    ("create", 2, Command::Add),
    ("delete", 3, Command::Delete),
    ("remove", 3, Command::Delete),
    ("modify", 1, Command::Modify),
    ("update", 1, Command::Modify),
    ("load", 2, Command::Load),
    ("dump", 3, Command::Dump),
];

/// The command a word names, abbreviated as sacctmgr allows.
fn sacctmgr_command(word: &str) -> Command {
    let word = word.to_ascii_lowercase();
    SACCTMGR_COMMANDS
        .iter()
        .find(|(name, shortest, _)| word.len() >= *shortest && name.starts_with(word.as_str()))
        .map_or(Command::Other, |(_, _, command)| *command)
}

/// The entities whose changes are access changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entity {
    User,
    Account,
    Association,
    Coordinator,
    Other,
}

fn sacctmgr_entity(word: &str) -> Entity {
    let word = word.to_ascii_lowercase();
    let is = |full: &str, shortest: usize| word.len() >= shortest && full.starts_with(&word);
    if is("users", 1) {
        Entity::User
    } else if is("accounts", 3) {
        Entity::Account
    } else if is("associations", 3) {
        Entity::Association
    } else if is("coordinators", 3) {
        Entity::Coordinator
    } else {
        Entity::Other
    }
}

/// Settings of a user, account or association that decide what it may do
/// rather than how much: admin level, the accounts and QOS it may use.
const ACCESS_SETTINGS: &[&str] = &[
    "adminlevel",
    "defaultaccount",
    "account",
    "accounts",
    "qos",
    "defaultqos",
    "partition",
    "partitions",
    "defaultwckey",
    "wckeys",
    "parent",
];

/// The words of a sacctmgr command after the entity: bare names, the
/// `where` conditions and the `set` values, each `key=value` (`qos+=x`
/// is `qos`), keys lower case.
#[derive(Debug, Default)]
struct Clauses {
    names: Vec<String>,
    conditions: Vec<(String, String)>,
    settings: Vec<(String, String)>,
}

fn clauses(words: &[&Arg]) -> Clauses {
    let mut clauses = Clauses::default();
    let mut setting = false;
    for word in words {
        let text = word.text.as_str();
        match text.to_ascii_lowercase().as_str() {
            "where" => {
                setting = false;
                continue;
            }
            "set" => {
                setting = true;
                continue;
            }
            _ => {}
        }
        let Some((key, value)) = text.split_once('=') else {
            clauses.names.push(text.to_owned());
            continue;
        };
        let key = key.trim_end_matches(['+', '-']).to_ascii_lowercase();
        let pair = (key, value.to_owned());
        if setting {
            clauses.settings.push(pair);
        } else {
            clauses.conditions.push(pair);
        }
    }
    clauses
}

impl Clauses {
    /// The values of the conditions (or, when `settings`, also the
    /// settings) called one of `keys`, split at commas.
    fn values(&self, keys: &[&str], settings: bool) -> Vec<String> {
        let pairs = self
            .conditions
            .iter()
            .chain(self.settings.iter().filter(|_| settings));
        pairs
            .filter(|(key, _)| keys.contains(&key.as_str()))
            .flat_map(|(_, value)| value.split(','))
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// Who the command is about: bare names and `name=`/`names=` (and
    /// `user=`/`users=` for an entity other than a user).
    fn subjects(&self, keys: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = self
            .names
            .iter()
            .flat_map(|n| n.split(','))
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .collect();
        names.extend(self.values(keys, false));
        names
    }

    /// The access settings given, as `key=value`.
    fn access_settings(&self, all: bool) -> Vec<String> {
        let pairs = self
            .settings
            .iter()
            .chain(self.conditions.iter().filter(|_| all));
        pairs
            .filter(|(key, _)| ACCESS_SETTINGS.contains(&key.as_str()))
            .map(|(key, value)| format!("{key}={value}"))
            .collect()
    }
}

/// The access change to the Slurm `kind` called `name`, with what it sets.
fn slurm_change(kind: &str, name: &str, settings: &[String]) -> Effect {
    let name = if settings.is_empty() {
        format!("slurm {kind} {name}")
    } else {
        format!("slurm {kind} {name} ({})", settings.join(", "))
    };
    Effect::GrantAccess {
        resource: Resource::Other { name },
        grantee: None,
    }
}

/// `sacctmgr [OPTS] COMMAND ENTITY [SPECS]` (module docs). `-r`
/// (`--readonly`) changes nothing.
fn sacctmgr(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "M",
            long: &["cluster", "clusters"],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    if args::has(&items, &["-r", "--readonly"]) {
        return outcome;
    }
    let positional = args::positionals(&items);
    let Some((command, rest)) = positional.split_first() else {
        return outcome;
    };
    let command = sacctmgr_command(&command.text);
    if matches!(command, Command::Load | Command::Dump) {
        let spec = clauses(rest);
        let named = spec.values(&["file"], false).into_iter().next();
        if command == Command::Load {
            let file = named.or_else(|| spec.names.first().cloned());
            if let Some(file) = &file {
                outcome.read(inv.path(file), false);
            }
            let source = file.unwrap_or_else(|| "standard input".to_owned());
            outcome
                .effects
                .push(slurm_change("associations from", &source, &[]));
        } else {
            // `dump CLUSTER` writes `CLUSTER.cfg` unless `file=` names another.
            let file = named.or_else(|| spec.names.first().map(|c| format!("{c}.cfg")));
            if let Some(file) = file {
                outcome.write(inv.path(&file), false);
            }
        }
        return outcome;
    }
    let Some((entity, specs)) = rest.split_first() else {
        return outcome;
    };
    let entity = sacctmgr_entity(&entity.text);
    let spec = clauses(specs);
    let changes: Vec<Effect> = match (command, entity) {
        (Command::Add, Entity::User) => {
            let settings = spec.access_settings(true);
            spec.subjects(&["name", "names", "user", "users"])
                .iter()
                .map(|user| slurm_change("user", user, &settings))
                .collect()
        }
        (Command::Add | Command::Delete, Entity::Coordinator) => {
            let accounts = spec.values(&["account", "accounts"], false).join(",");
            spec.subjects(&["name", "names", "user", "users"])
                .iter()
                .map(|user| slurm_change("account", &accounts, &[format!("coordinator={user}")]))
                .collect()
        }
        (Command::Modify, Entity::User | Entity::Account | Entity::Association) => {
            let settings = spec.access_settings(false);
            if settings.is_empty() {
                Vec::new()
            } else {
                let kind = match entity {
                    Entity::User => "user",
                    Entity::Account => "account",
                    _ => "association",
                };
                let mut subjects = spec.subjects(&["name", "names"]);
                if subjects.is_empty() {
                    subjects = spec.values(&["user", "users", "account", "accounts"], false);
                }
                if subjects.is_empty() {
                    subjects.push("*".to_owned());
                }
                subjects
                    .iter()
                    .map(|name| slurm_change(kind, name, &settings))
                    .collect()
            }
        }
        (Command::Delete, Entity::User | Entity::Account) => {
            let kind = if entity == Entity::User {
                "user"
            } else {
                "account"
            };
            let scope = spec.access_settings(true);
            spec.subjects(&["name", "names"])
                .iter()
                .map(|name| slurm_change(kind, name, &scope))
                .collect()
        }
        _ => Vec::new(),
    };
    outcome.effects.extend(changes);
    outcome
}

/// Apptainer's global options that take a value (`-c FILE`).
const APPTAINER_GLOBAL_VALUES: &[&str] = &["config", "c"];

/// `apptainer|singularity [GLOBAL] push|exec|remote login|registry login ...`;
/// other subcommands are left to the handlers after this one.
fn apptainer(inv: &Invocation<'_>) -> Option<Outcome> {
    let mut at = 0;
    while let Some(arg) = inv.args.get(at) {
        let text = arg.text.trim_start_matches('-');
        if !arg.text.starts_with('-') {
            break;
        }
        at += if APPTAINER_GLOBAL_VALUES.contains(&text) {
            2
        } else {
            1
        };
    }
    let rest = inv.args.get(at + 1..).unwrap_or_default();
    match inv.args.get(at).map(|a| a.text.as_str())? {
        "push" => Some(apptainer_push(inv, rest)),
        "exec" => Some(apptainer_exec(rest)),
        "remote" | "registry" if rest.first().is_some_and(|a| a.text == "login") => {
            Some(apptainer_login(inv, rest.get(1..).unwrap_or_default()))
        }
        _ => None,
    }
}

/// `exec [OPTIONS] IMAGE COMMAND [ARGS...]`: COMMAND runs in the
/// container, which by default shares the host's network, working
/// directory and home, so it does what it would do run directly; `--env
/// NAME=VALUE` sets its environment.
fn apptainer_exec(rest: &[Arg]) -> Outcome {
    let items = args::parse(
        rest,
        &Spec {
            short: "BHWoS",
            long: &[
                "bind",
                "mount",
                "env",
                "env-file",
                "home",
                "pwd",
                "workdir",
                "overlay",
                "scratch",
                "security",
                "app",
                "apply-cgroups",
                "dns",
                "hostname",
                "network",
                "network-args",
                "add-caps",
                "drop-caps",
                "cpus",
                "memory",
                "fusemount",
                "pem-path",
                "passphrase",
            ],
            stop_after: Some(1),
        },
    );
    let mut outcome = Outcome::default();
    let positional = args::positionals(&items);
    let argv = positional.get(1..).unwrap_or_default();
    if argv.is_empty() {
        return outcome;
    }
    let env = args::values(&items, &["--env"])
        .iter()
        .flat_map(|pairs| pairs.text.split(','))
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (name.to_owned(), Arg::literal(value)))
        .collect();
    outcome.nested.push(Nested::Argv {
        argv: argv.iter().map(|a| (*a).clone()).collect(),
        env,
        cwd: None,
    });
    outcome
}

/// The library a `library://` push goes to when neither the reference nor
/// `--library` names one: the Sylabs Cloud library.
const DEFAULT_LIBRARY: &str = "library.sylabs.io";

/// The host of a URL or a bare `host[:port]`.
fn authority(text: &str) -> &str {
    let rest = text.split_once("://").map_or(text, |(_, rest)| rest);
    rest.split('/').next().unwrap_or(rest)
}

/// `push [-U] [-D TEXT] [--library URL] [--docker-username U
/// --docker-password P] IMAGE URI`: an upload of IMAGE to the library
/// (`library://[HOST/]ENTITY/COLLECTION/NAME[:TAG]`: HOST, else
/// `--library`'s, else [`DEFAULT_LIBRARY`]) or the OCI registry
/// (`oras://REGISTRY/REPO:TAG`), carrying the image's file, its
/// description and the registry password.
fn apptainer_push(inv: &Invocation<'_>, rest: &[Arg]) -> Outcome {
    let items = args::parse(
        rest,
        &Spec {
            short: "D",
            long: &[
                "description",
                "library",
                "docker-username",
                "docker-password",
                "authfile",
            ],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    let [image, destination, ..] = args::positionals(&items)[..] else {
        return outcome;
    };
    let mut payload = Payload::default();
    send_file(inv, &mut payload, &image.text, false);
    outcome.read(inv.path(&image.text), false);
    for value in args::values(&items, &["-D", "--description", "--docker-password"]) {
        flow::merge(&mut payload, &value.payload());
    }
    let reference = if let Some(path) = destination.text.strip_prefix("library://") {
        let path = path.trim_start_matches('/');
        let named_host = path
            .split_once('/')
            .filter(|_| path.split('/').count() >= 4)
            .map(|(host, rest)| (host.to_owned(), rest));
        match named_host {
            Some((host, rest)) => format!("{host}/{rest}"),
            None => {
                let host = args::value(&items, &["--library"])
                    .map_or(DEFAULT_LIBRARY, |library| authority(&library.text));
                format!("{host}/{path}")
            }
        }
    } else if let Some(reference) = destination.text.strip_prefix("oras://") {
        reference.to_owned()
    } else {
        // A push to anything else is refused by the tool.
        return outcome;
    };
    outcome
        .effects
        .push(image_upload(inv.program, &reference, payload));
    outcome
}

/// `remote login` and `registry login [-u U] [-p P | --password-stdin]
/// [--tokenfile F] URI`: the password, standard input or token file goes
/// to the host URI names. A remote known only by its name (`SylabsCloud`)
/// leads where the configuration says, which the line does not show.
fn apptainer_login(inv: &Invocation<'_>, rest: &[Arg]) -> Outcome {
    let items = args::parse(
        rest,
        &Spec {
            short: "up",
            long: &["username", "password", "tokenfile", "authfile"],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    let Some(uri) = args::positionals(&items).first().map(|a| a.text.as_str()) else {
        return outcome;
    };
    let host = authority(uri);
    if !uri.contains("://") && !host.contains(['.', ':']) {
        return outcome;
    }
    let mut payload = Payload::default();
    for password in args::values(&items, &["-p", "--password"]) {
        flow::merge(&mut payload, &password.payload());
    }
    if args::has(&items, &["--password-stdin"]) {
        flow::merge(&mut payload, inv.stdin);
    }
    for file in args::values(&items, &["--tokenfile"]) {
        outcome.read(inv.path(&file.text), false);
        send_file(inv, &mut payload, &file.text, false);
    }
    if payload.is_empty() {
        return outcome;
    }
    let (host, port) = match host.split_once(':') {
        Some((h, p)) => (h.to_owned(), p.parse().ok()),
        None => (host.to_owned(), None),
    };
    let target = Target::Host {
        user: None,
        host,
        port,
        path: None,
    };
    outcome
        .effects
        .push(request(inv.program, target, "POST", payload, false));
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sacctmgr_abbreviations() {
        assert_eq!(sacctmgr_command("mod"), Command::Modify);
        assert_eq!(sacctmgr_command("UPDATE"), Command::Modify);
        assert_eq!(sacctmgr_command("cr"), Command::Add);
        assert_eq!(sacctmgr_command("show"), Command::Other);
        assert_eq!(sacctmgr_command("de"), Command::Other);
        assert_eq!(sacctmgr_entity("User"), Entity::User);
        assert_eq!(sacctmgr_entity("coord"), Entity::Coordinator);
        assert_eq!(sacctmgr_entity("qos"), Entity::Other);
    }

    #[test]
    fn splits_where_and_set() {
        let words: Vec<Arg> = ["where", "name=a,b", "set", "qos+=high", "adminlevel=Admin"]
            .iter()
            .map(|w| Arg::literal(w))
            .collect();
        let refs: Vec<&Arg> = words.iter().collect();
        let spec = clauses(&refs);
        assert_eq!(spec.subjects(&["name"]), ["a", "b"]);
        assert_eq!(
            spec.access_settings(false),
            ["qos=high", "adminlevel=Admin"]
        );
    }
}
