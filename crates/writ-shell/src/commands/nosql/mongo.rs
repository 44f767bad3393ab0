//! MongoDB's shells (`mongosh`, the legacy `mongo`) and database tools:
//! `mongoimport` and `mongorestore` write what they are given into the
//! server, `mongodump` and `mongoexport` read it into local files. Each
//! logs in with its password options and its connection string's
//! password, which go to the server.

use super::super::sql::{strip_port, uri_host};
use super::super::{Invocation, Outcome};
use super::{js, login, stdin_files, stdin_text};
use crate::args::{self, Arg, Spec};
use crate::{DataClass, DataCommand, Effect};

pub(super) fn handle(inv: &Invocation<'_>) -> Outcome {
    match inv.program {
        "mongoimport" => mongoimport(inv),
        "mongorestore" => mongorestore(inv),
        "mongodump" | "mongoexport" => dump(inv),
        _ => shell(inv),
    }
}

/// The options every database tool takes with a value.
const TOOL_VALUES: &[&str] = &[
    "uri",
    "host",
    "port",
    "username",
    "password",
    "db",
    "collection",
    "authenticationDatabase",
    "authenticationMechanism",
    "awsSessionToken",
    "gssapiServiceName",
    "gssapiHostName",
    "readPreference",
    "sslCAFile",
    "sslPEMKeyFile",
    "sslPEMKeyPassword",
    "sslCRLFile",
    "tlsCAFile",
    "tlsCertificateKeyFile",
    "tlsCertificateKeyFilePassword",
    "tlsCRLFile",
    "config",
    "verbose",
];

/// A tool's options: the common ones and its own.
fn tool_items<'a>(inv: &'a Invocation<'_>, short: &str, own: &[&str]) -> Vec<args::Item<'a>> {
    let long: Vec<&str> = TOOL_VALUES.iter().chain(own).copied().collect();
    args::parse(
        inv.args,
        &Spec {
            short,
            long: &long,
            stop_after: None,
        },
    )
}

/// A tool's server, and how it logs in.
fn tool_command(
    inv: &Invocation<'_>,
    items: &[args::Item<'_>],
    files: Vec<String>,
    class: DataClass,
) -> DataCommand {
    let uri = connection_uri(items);
    DataCommand {
        client: inv.program.to_owned(),
        host: connection_host(items, uri, &["-h", "--host"]),
        command: None,
        files,
        class,
        login: login(inv, &args::values(items, &["-p", "--password"]), uri, &[]),
    }
}

/// `mongoimport --uri URI|--host H [--file F] [--drop]`: the file (or
/// standard input) is written into the collection; `--drop` drops the
/// collection before it imports.
fn mongoimport(inv: &Invocation<'_>) -> Outcome {
    let items = tool_items(
        inv,
        "hdcupf",
        &[
            "file",
            "type",
            "fields",
            "fieldFile",
            "mode",
            "upsertFields",
            "numInsertionWorkers",
            "writeConcern",
            "columnsHaveTypes",
            "parseGrace",
        ],
    );
    let mut files: Vec<String> = args::values(&items, &["--file"])
        .iter()
        .map(|f| inv.path(&f.text))
        .collect();
    if files.is_empty() {
        files = stdin_files(inv);
    }
    let class = if args::has(&items, &["--drop"]) {
        DataClass::Destroy
    } else {
        DataClass::Write
    };
    Outcome::default().effect(Effect::DataCommand(tool_command(inv, &items, files, class)))
}

/// `mongorestore [--uri URI | --host H] [--drop] [--dryRun]
/// [--archive[=F] | --dir D | D]`: the dump is written into the server's
/// collections; `--drop` drops each collection it restores first, and
/// `--dryRun` writes nothing. The dump goes to the server: `--archive`'s
/// file (standard input without one), `--dir`'s or the positional
/// directory or BSON file (`dump/` when none is given).
fn mongorestore(inv: &Invocation<'_>) -> Outcome {
    let items = tool_items(
        inv,
        "hupdcj",
        &[
            "nsInclude",
            "nsExclude",
            "nsFrom",
            "nsTo",
            "dir",
            "oplogFile",
            "oplogLimit",
            "numParallelCollections",
            "numInsertionWorkersPerCollection",
            "writeConcern",
        ],
    );
    let archive = items.iter().find_map(|item| match item {
        args::Item::Opt { name, value } if name == "--archive" => Some(value.as_deref()),
        _ => None,
    });
    let files = match archive {
        Some(Some(file)) if file.text != "-" => vec![inv.path(&file.text)],
        Some(_) => stdin_files(inv),
        None => args::value(&items, &["--dir"])
            .or_else(|| args::positionals(&items).into_iter().next())
            .map_or_else(|| vec![inv.path("dump")], |d| vec![inv.path(&d.text)]),
    };
    let class = if args::has(&items, &["--dryRun"]) {
        DataClass::Read
    } else if args::has(&items, &["--drop"]) {
        DataClass::Destroy
    } else {
        DataClass::Write
    };
    Outcome::default().effect(Effect::DataCommand(tool_command(inv, &items, files, class)))
}

/// `mongodump [--out D | --archive[=F]]` and `mongoexport [--out F]`:
/// a read of the server, written here (`dump/` by default; an archive
/// without a file, and an export without `--out`, go to standard output).
fn dump(inv: &Invocation<'_>) -> Outcome {
    let items = tool_items(
        inv,
        "hupdcqo",
        &[
            "out",
            "query",
            "queryFile",
            "type",
            "fields",
            "fieldFile",
            "sort",
            "skip",
            "limit",
            "excludeCollection",
            "excludeCollectionsWithPrefix",
            "numParallelCollections",
            "nsInclude",
            "nsExclude",
        ],
    );
    let mut outcome = Outcome::default();
    let archive = items.iter().find_map(|item| match item {
        args::Item::Opt { name, value } if name == "--archive" => Some(value.as_deref()),
        _ => None,
    });
    let out = args::value(&items, &["-o", "--out"]).filter(|o| o.text != "-");
    match (archive, out) {
        (Some(Some(file)), _) if file.text != "-" => outcome.write(inv.path(&file.text), false),
        (Some(_), _) => {}
        (None, Some(out)) => outcome.write(inv.path(&out.text), false),
        (None, None) if inv.program == "mongodump" => outcome.write(inv.path("dump"), false),
        (None, None) => {}
    }
    outcome.effect(Effect::DataCommand(tool_command(
        inv,
        &items,
        Vec::new(),
        DataClass::Read,
    )))
}

/// `mongosh [ADDRESS] [--host H] [--eval JS]... [--file F | F.js]...`;
/// the code comes from `--eval` or standard input, and from the script
/// files, which [`super::written_scripts`] reads when the session wrote
/// them; with neither it is an interactive shell.
fn shell(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "upf",
            long: &[
                "host",
                "port",
                "eval",
                "username",
                "password",
                "authenticationDatabase",
                "authenticationMechanism",
                "awsAccessKeyId",
                "awsSecretAccessKey",
                "awsSessionToken",
                "file",
                "tlsCAFile",
                "tlsCertificateKeyFile",
                "tlsCertificateKeyFilePassword",
                "tlsCRLFile",
                "sslCAFile",
                "sslPEMKeyFile",
                "sslPEMKeyPassword",
                "gssapiServiceName",
                "gssapiHostName",
                "apiVersion",
                "keyVaultNamespace",
                "kmsURL",
                "jsContext",
                "browser",
                "oidcFlows",
                "oidcRedirectUri",
            ],
            stop_after: None,
        },
    );
    let uri = connection_uri(&items);
    let host = connection_host(&items, uri, &["--host"]).or_else(|| address_host(&items));
    let evals: Vec<String> = args::values(&items, &["--eval"])
        .iter()
        .map(|c| c.text.clone())
        .collect();
    let code = if evals.is_empty() {
        stdin_text(inv)
    } else {
        Some(evals.join("\n"))
    };
    let class = code
        .as_deref()
        .map_or(DataClass::Unknown, |c| js::class(c, js::Shell::Mongo));
    let mut files = stdin_files(inv);
    files.extend(
        args::values(&items, &["--file", "-f"])
            .into_iter()
            .chain(
                args::positionals(&items)
                    .into_iter()
                    .filter(|a| a.text.ends_with(".js")),
            )
            .map(|f| inv.path(&f.text)),
    );
    let passwords: Vec<&Arg> = args::values(&items, &["-p", "--password"])
        .into_iter()
        .filter(|p| !is_uri(&p.text))
        .collect();
    Outcome::default().effect(Effect::DataCommand(DataCommand {
        client: inv.program.to_owned(),
        host,
        command: code,
        files,
        class,
        login: login(inv, &passwords, uri, &[]),
    }))
}

fn is_uri(text: &str) -> bool {
    text.starts_with("mongodb://") || text.starts_with("mongodb+srv://")
}

/// The connection string: `--uri`, or a positional `mongodb://…` (one
/// that a bare `-p`, which asks for a password, took as its value too).
fn connection_uri<'a>(items: &'a [args::Item<'_>]) -> Option<&'a Arg> {
    args::value(items, &["--uri"]).or_else(|| {
        args::positionals(items)
            .into_iter()
            .chain(args::values(items, &["-p", "--password"]))
            .find(|a| is_uri(&a.text))
    })
}

/// The server a MongoDB tool connects to: its connection string first,
/// else its host option.
fn connection_host(
    items: &[args::Item<'_>],
    uri: Option<&Arg>,
    host_options: &[&str],
) -> Option<String> {
    uri.and_then(|u| uri_host(&u.text))
        .or_else(|| args::value(items, host_options).map(|h| mongo_host(&h.text)))
}

/// The server of the shell's address operand written `host[:port]/db`
/// (a bare name is a database on this machine).
fn address_host(items: &[args::Item<'_>]) -> Option<String> {
    args::positionals(items)
        .into_iter()
        .find(|a| !a.text.ends_with(".js"))
        .and_then(|a| a.text.split_once('/'))
        .map(|(host, _)| strip_port(host))
        .filter(|h| !h.is_empty())
}

/// The first host of a `--host` value: `h`, `h:port`, a replica set's
/// `SET/h1:port,h2:port`, or a URI.
fn mongo_host(text: &str) -> String {
    if text.contains("://") {
        return uri_host(text).unwrap_or_default();
    }
    let hosts = text.split_once('/').map_or(text, |(_, hosts)| hosts);
    strip_port(hosts.split(',').next().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_hosts() {
        assert_eq!(
            uri_host("mongodb://app:pw@db1.prod.x:27017,db2.prod.x/app?rs=a").as_deref(),
            Some("db1.prod.x")
        );
        assert_eq!(uri_host("redis://:pw@[::1]:6379/0").as_deref(), Some("::1"));
        assert_eq!(mongo_host("rs0/m1.x:27017,m2.x"), "m1.x");
    }
}
