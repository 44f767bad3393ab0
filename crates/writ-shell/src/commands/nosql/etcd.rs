//! `etcdctl [--endpoints=URLS] COMMAND ...` (`ETCDCTL_ENDPOINTS`): `get`
//! and `watch` read, `put` and the cluster's administration change, and
//! `del` removes a key or a range, everything when its prefix or start is
//! empty (`del "" --prefix`, `del "" --from-key`) or the root (`/`). The
//! version 2 API (`ETCDCTL_API=2`: `rm -r /`, `set`, `ls`) alike.
//! `snapshot save FILE` writes the store here; the password (`--user
//! U:P`, `--password`) goes to the server.

use super::super::{Invocation, Outcome};
use super::{endpoint_host, login, stdin_files, stdin_text};
use crate::args::{self, Arg, Spec};
use crate::{DataClass, DataCommand, Effect, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "w",
            long: VALUES,
            stop_after: None,
        },
    );
    let positionals = args::positionals(&items);
    let words: Vec<&str> = positionals.iter().map(|a| a.text.as_str()).collect();
    let version_two = inv.env_value("ETCDCTL_API").is_some_and(|v| v.text == "2");
    let Some(class) = (if version_two {
        v2_class(&words, &items)
    } else {
        v3_class(&words, &items)
    }) else {
        return Outcome::default();
    };
    let mut outcome = Outcome::default();
    if let ["snapshot", "save", file, ..] = words.as_slice() {
        outcome.write(inv.path(file), false);
    }
    let host = args::value(&items, &["--endpoints", "--endpoint", "-C", "--peers"])
        .or_else(|| inv.env_value("ETCDCTL_ENDPOINTS"))
        .and_then(|e| endpoint_host(e.text.split(',').next().unwrap_or_default()));
    let mut command = words.join(" ");
    let mut files = Vec::new();
    // `put KEY` without a value, and `txn`, read it from standard input.
    if matches!(words.as_slice(), ["put", _] | ["txn", ..]) {
        if let Some(text) = stdin_text(inv) {
            command.push(' ');
            command.push_str(&text);
        }
        files = stdin_files(inv);
    }
    let mut login = login(inv, &passwords(&items), None, &["ETCDCTL_PASSWORD"]);
    for word in positionals.iter().skip(1) {
        flow::merge(&mut login, &word.expansions());
    }
    // `make-mirror DEST` copies every key it reads into the cluster at DEST.
    if let ["make-mirror", destination, ..] = words.as_slice() {
        let passwords = args::values(&items, &["--dest-password"]);
        outcome.effects.push(Effect::DataCommand(DataCommand {
            client: inv.program.to_owned(),
            host: endpoint_host(destination.split(',').next().unwrap_or_default()),
            command: Some(command.clone()),
            files: Vec::new(),
            class: DataClass::Write,
            login: super::login(inv, &passwords, None, &[]),
        }));
    }
    outcome.effect(Effect::DataCommand(DataCommand {
        client: inv.program.to_owned(),
        host,
        command: Some(command),
        files,
        class,
        login,
    }))
}

/// The options that take a value, global and of the commands.
const VALUES: &[&str] = &[
    "endpoints",
    "endpoint",
    "peers",
    "cacert",
    "cert",
    "key",
    "ca-file",
    "cert-file",
    "key-file",
    "user",
    "password",
    "dial-timeout",
    "command-timeout",
    "keepalive-time",
    "keepalive-timeout",
    "discovery-srv",
    "discovery-srv-name",
    "write-out",
    "auth-jwt-token",
    "lease",
    "limit",
    "rev",
    "order",
    "sort-by",
    "consistency",
    "interval",
    "dest-cacert",
    "dest-cert",
    "dest-key",
    "dest-prefix",
    "dest-user",
    "dest-password",
    "prefix-to-strip",
    "ttl",
];

/// The passwords given: `--password`, and the `:PASSWORD` of `--user`.
fn passwords<'a>(items: &'a [args::Item<'_>]) -> Vec<&'a Arg> {
    let mut out = args::values(items, &["--password"]);
    out.extend(
        args::values(items, &["--user"])
            .into_iter()
            .filter(|u| u.text.contains(':')),
    );
    out
}

/// A version 3 command; `None` for one that leaves the data alone
/// (`version`, `completion`, `snapshot status` of a local file).
fn v3_class(words: &[&str], items: &[args::Item<'_>]) -> Option<DataClass> {
    let (&command, rest) = words.split_first()?;
    let sub = rest.first().copied();
    Some(match command {
        "get" | "watch" | "endpoint" => DataClass::Read,
        "del" => delete_class(rest, items),
        "snapshot" if sub == Some("save") => DataClass::Read,
        "snapshot" | "version" | "completion" | "help" => return None,
        "member" | "alarm" | "user" | "role" | "lease" | "auth" => match sub {
            Some("list" | "get" | "status" | "timetolive") | None => DataClass::Read,
            _ => DataClass::Write,
        },
        "make-mirror" => DataClass::Read,
        _ => DataClass::Write,
    })
}

/// `del KEY [RANGE_END] [--prefix | --from-key]`: one key or a range is a
/// change; an empty prefix or start, or the root prefix, is every key.
fn delete_class(rest: &[&str], items: &[args::Item<'_>]) -> DataClass {
    let key = rest.first().copied().unwrap_or_default();
    let everything = matches!(key, "" | "/" | "\\x00" | "\\0");
    let ranged = args::has(items, &["--prefix", "--from-key"]);
    if ranged && everything {
        DataClass::Destroy
    } else {
        DataClass::Write
    }
}

/// A version 2 command: `rm -r /` (or `rmdir /`) removes the store.
fn v2_class(words: &[&str], items: &[args::Item<'_>]) -> Option<DataClass> {
    let (&command, rest) = words.split_first()?;
    Some(match command {
        "get" | "ls" | "watch" | "exec-watch" | "cluster-health" => DataClass::Read,
        "rm" | "rmdir" => {
            let root = matches!(rest.first().copied(), Some("/") | None);
            let recursive = args::has(items, &["-r", "--recursive"]) || command == "rmdir";
            if root && recursive {
                DataClass::Destroy
            } else {
                DataClass::Write
            }
        }
        "version" | "help" => return None,
        _ => DataClass::Write,
    })
}
