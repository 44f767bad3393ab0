//! The InfluxDB CLI. Version 2 (`influx SUBCOMMAND --host URL`, else
//! `INFLUX_HOST`): `query` reads (unless its Flux writes with `to()`),
//! `write` sends its points to the server, `delete --predicate P`
//! removes what the predicate matches and `delete` without one removes
//! every point of the range, `bucket delete` and `org delete` destroy
//! the bucket or organisation; other resources' `list`/`find` read and
//! the rest change. The token (`-t`, `INFLUX_TOKEN`) goes to the server.
//! Version 1 (`influx -host H -execute 'InfluxQL'`) runs InfluxQL.

use super::super::{Invocation, Outcome};
use super::{endpoint_host, login, stdin_files, stdin_text};
use crate::args::{self, Arg, OptionsEnd, Spec};
use crate::{DataClass, DataCommand, Effect, Payload, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Outcome {
    if is_version_one(inv.args) {
        return version_one(inv);
    }
    let items = args::parse(
        inv.args,
        &Spec {
            short: "tobfnipuce",
            long: V2_VALUES,
            stop_after: None,
        },
    );
    let positionals = args::positionals(&items);
    let words: Vec<&str> = positionals.iter().map(|a| a.text.as_str()).collect();
    let Some(class) = v2_class(&words, &items) else {
        return Outcome::default();
    };
    let mut outcome = Outcome::default();
    let (command, files) = v2_payload(inv, &words, &positionals, &items, &mut outcome);
    let host = args::value(&items, &["--host"])
        .or_else(|| inv.env_value("INFLUX_HOST"))
        .and_then(|h| endpoint_host(&h.text));
    let tokens = args::values(&items, &["-t", "--token"]);
    let mut login = login(inv, &tokens, None, &["INFLUX_TOKEN"]);
    // What the points carry besides their text (`$(cat f)`, variables).
    for word in positionals.iter().skip(1) {
        flow::merge(&mut login, &word.expansions());
    }
    outcome.effect(Effect::DataCommand(DataCommand {
        client: inv.program.to_owned(),
        host,
        command,
        files,
        class,
        login,
    }))
}

const V2_VALUES: &[&str] = &[
    "host",
    "token",
    "org",
    "org-id",
    "bucket",
    "bucket-id",
    "start",
    "stop",
    "predicate",
    "file",
    "format",
    "precision",
    "url",
    "name",
    "id",
    "active-config",
    "configs-path",
    "retention",
    "shard-group-duration",
    "description",
    "header",
    "rate-limit",
    "compression",
    "encoding",
    "errors-file",
    "max-line-length",
    "skipHeader",
    "skip-header",
    "profilers",
    "schema-type",
];

/// What a version 2 command line does; `None` for one that does not
/// reach the data (`config`, `version`, `completion`, `help`).
fn v2_class(words: &[&str], items: &[args::Item<'_>]) -> Option<DataClass> {
    let (&command, rest) = words.split_first()?;
    Some(match command {
        "query" => {
            let flux = rest.first().copied().unwrap_or_default();
            if writes_to_bucket(flux) {
                DataClass::Write
            } else {
                DataClass::Read
            }
        }
        "write" if rest.first() == Some(&"dryrun") => DataClass::Read,
        "write" | "apply" | "setup" => DataClass::Write,
        "delete" if args::has(items, &["-p", "--predicate"]) => DataClass::Write,
        "delete" => DataClass::Destroy,
        "restore" if args::has(items, &["--full"]) => DataClass::Destroy,
        "restore" => DataClass::Write,
        "backup" | "export" | "ping" => DataClass::Read,
        "v1" => match rest.first() {
            Some(&"shell") => DataClass::Unknown,
            _ => resource_class("", rest.get(1..).unwrap_or_default()),
        },
        "config" | "version" | "completion" | "help" | "server-config" => return None,
        resource => resource_class(resource, rest),
    })
}

/// A resource subcommand (`bucket delete`, `user list`): listing reads,
/// deleting a bucket or organisation destroys it, the rest change.
fn resource_class(resource: &str, rest: &[&str]) -> DataClass {
    match rest.first().copied() {
        Some("delete" | "rm" | "remove") if matches!(resource, "bucket" | "org") => {
            DataClass::Destroy
        }
        _ if !changes(rest) => DataClass::Read,
        _ => DataClass::Write,
    }
}

/// True unless the verb only looks (`list`, `find`, `get`, `log`).
fn changes(rest: &[&str]) -> bool {
    !matches!(
        rest.first().copied(),
        None | Some("list" | "ls" | "find" | "get" | "log" | "logs")
    )
}

/// Flux that writes its results into a bucket (`|> to(bucket: "b")`).
fn writes_to_bucket(flux: &str) -> bool {
    flux.match_indices("to(").any(|(at, _)| {
        flux[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_')
    })
}

/// The text a version 2 command sends and the files it reads and sends:
/// a query's Flux or its file, a write's points (an operand, `-f FILE`,
/// standard input), a delete's predicate; `--url` points are fetched
/// first. A backup's directory is written here.
fn v2_payload(
    inv: &Invocation<'_>,
    words: &[&str],
    positionals: &[&Arg],
    items: &[args::Item<'_>],
    outcome: &mut Outcome,
) -> (Option<String>, Vec<String>) {
    let mut files: Vec<String> = Vec::new();
    let mut text: Option<String> = None;
    match words.first().copied() {
        Some("query" | "write") => {
            files.extend(
                args::values(items, &["-f", "--file"])
                    .iter()
                    .filter(|f| f.text != "-")
                    .map(|f| inv.path(&f.text)),
            );
            text = positionals
                .get(1)
                .filter(|p| p.text != "dryrun")
                .map(|p| p.text.clone());
            if text.is_none() && files.is_empty() {
                text = stdin_text(inv);
                files.extend(stdin_files(inv));
            }
            for url in args::values(items, &["-u", "--url"]) {
                outcome.effects.push(super::super::request(
                    inv.program,
                    super::super::url(&url.text),
                    "GET",
                    Payload::default(),
                    false,
                ));
            }
        }
        Some("delete") => {
            text = args::value(items, &["-p", "--predicate"]).map(|p| p.text.clone());
        }
        Some("backup") => {
            if let Some(dir) = positionals.get(1) {
                outcome.write(inv.path(&dir.text), false);
            }
        }
        Some("restore") => {
            files.extend(positionals.get(1).map(|d| inv.path(&d.text)));
        }
        Some("apply") => {
            files.extend(
                args::values(items, &["-f", "--file"])
                    .iter()
                    .filter(|f| !f.text.contains("://"))
                    .map(|f| inv.path(&f.text)),
            );
        }
        _ => {}
    }
    (text, files)
}

/// Version 1's options are single-dash words (`-host`, `-execute`).
fn is_version_one(args: &[Arg]) -> bool {
    args.iter().any(|a| {
        matches!(
            a.text.as_str(),
            "-execute" | "-host" | "-database" | "-import" | "-username" | "-password" | "-port"
        )
    })
}

/// `influx [-host H] [-port P] [-database DB] [-execute 'InfluxQL']
/// [-import -path F]`: the statements on the line, the file imported, or
/// an interactive shell.
fn version_one(inv: &Invocation<'_>) -> Outcome {
    let items = args::long_options(
        inv.args,
        &[
            "host",
            "port",
            "username",
            "password",
            "database",
            "execute",
            "format",
            "precision",
            "consistency",
            "path",
            "pps",
            "socket",
            "type",
            "node",
        ],
        OptionsEnd::DoubleDash,
        "-",
    );
    let statement = args::value(&items, &["-execute"]).map(|e| e.text.clone());
    let import = args::has(&items, &["-import"]);
    let files: Vec<String> = args::values(&items, &["-path"])
        .iter()
        .filter(|_| import)
        .map(|p| inv.path(&p.text))
        .collect();
    let class = match (&statement, import) {
        (_, true) => DataClass::Write,
        (Some(text), false) => influxql_class(text),
        (None, false) => DataClass::Unknown,
    };
    let host = args::value(&items, &["-host"])
        .and_then(|h| endpoint_host(&h.text))
        .or_else(|| Some("localhost".to_owned()));
    let passwords = args::values(&items, &["-password"]);
    Outcome::default().effect(Effect::DataCommand(DataCommand {
        client: inv.program.to_owned(),
        host,
        command: statement,
        files,
        class,
        login: login(inv, &passwords, None, &["INFLUX_PASSWORD"]),
    }))
}

/// InfluxQL's strongest statement: dropping a database, measurement,
/// retention policy or shard, and a `DELETE` or `DROP SERIES` without
/// `WHERE`, destroy; `SELECT ... INTO`, `INSERT`, `CREATE`, `ALTER`, a
/// narrowed delete and the other drops change; `SELECT`, `SHOW` read.
fn influxql_class(text: &str) -> DataClass {
    super::strongest(
        text.split(';')
            .filter(|s| !s.trim().is_empty())
            .map(|statement| {
                let words: Vec<String> = statement
                    .split_whitespace()
                    .map(str::to_ascii_uppercase)
                    .collect();
                let has = |word: &str| words.iter().any(|w| w == word);
                let second = words.get(1).map(String::as_str);
                match words.first().map(String::as_str) {
                    Some("SELECT") if has("INTO") => DataClass::Write,
                    Some("SELECT" | "SHOW" | "EXPLAIN" | "USE") => DataClass::Read,
                    Some("DROP") => match second {
                        Some("DATABASE" | "MEASUREMENT" | "RETENTION" | "SHARD") => {
                            DataClass::Destroy
                        }
                        Some("SERIES") if !has("WHERE") => DataClass::Destroy,
                        _ => DataClass::Write,
                    },
                    Some("DELETE") if !has("WHERE") => DataClass::Destroy,
                    Some(
                        "DELETE" | "INSERT" | "CREATE" | "ALTER" | "GRANT" | "REVOKE" | "SET"
                        | "KILL",
                    ) => DataClass::Write,
                    _ => DataClass::Unknown,
                }
            }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn influxql_statements() {
        assert_eq!(influxql_class("DROP DATABASE iot"), DataClass::Destroy);
        assert_eq!(influxql_class("delete from cpu"), DataClass::Destroy);
        assert_eq!(
            influxql_class("DELETE FROM cpu WHERE time < '2020-01-01'"),
            DataClass::Write
        );
        assert_eq!(influxql_class("SHOW MEASUREMENTS"), DataClass::Read);
        assert_eq!(
            influxql_class("SELECT * INTO copy FROM cpu"),
            DataClass::Write
        );
    }

    #[test]
    fn flux_that_writes() {
        assert!(writes_to_bucket("from(bucket: \"a\") |> to(bucket: \"b\")"));
        assert!(!writes_to_bucket(
            "from(bucket: \"a\") |> range(start: -1h)"
        ));
    }
}
