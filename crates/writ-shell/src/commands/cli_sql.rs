//! An organisation's own command-line tools that run SQL against a
//! database: `ledgerctl sql --dsn postgres://db.prod/ledger --exec "UPDATE
//! ..."`, `DATABASE_URL=mysql://... ./bin/admin query "DELETE FROM ..."`.
//! writ has no handler for such a program, yet a careful reader sees SQL
//! run against that database, as `psql URL -c SQL` runs it.
//!
//! The reading is conservative: a program writ has no handler for whose
//! words (or whose `DATABASE_URL`-like environment) give a database URL
//! ([`is_database_url`]) or a connection string naming a server and a
//! database (`Host=db;Database=ledger`), and one of whose words is a SQL statement
//! ([`is_statement`]) runs that statement there, a [`Sql`] effect whose
//! client is the program's name. Without a statement nothing is said.
//! The same holds for the words a runner passes to a program built from
//! the project (`go run ./cmd/tool ARGS`, `cargo run -- ARGS`, `python -m
//! tool ARGS`, `dotnet run --project tools/Ops -- ARGS`); `npx tool` and the like already run `tool` as a program.

use super::{Invocation, Outcome, sql};
use crate::args::Arg;
use crate::{Effect, Sql};

/// Schemes of database connection URLs (after an optional `jdbc:`).
const DATABASE_SCHEMES: &[&str] = &[
    "postgres://",
    "postgresql://",
    "mysql://",
    "mariadb://",
    "sqlserver://",
    "mssql://",
    "redshift://",
    "cockroachdb://",
    "oracle://",
    "clickhouse://",
    "snowflake://",
];

/// Keywords a SQL statement starts with, each with a word that must come
/// later in it for the text to read as a statement rather than prose
/// (`--message "Update the docs"` is no `UPDATE`); `None` when the keyword
/// and anything after it are enough.
const STATEMENTS: &[(&str, Option<&str>)] = &[
    ("select", None),
    ("insert", Some("into")),
    ("update", Some("set")),
    ("delete", Some("from")),
    ("truncate", None),
    ("drop", None),
    ("alter", None),
    ("create", None),
    ("with", Some("as")),
    ("merge", Some("into")),
    ("grant", Some("on")),
    ("revoke", Some("on")),
];

/// The SQL an organisation's own CLI runs (see the module's docs), added
/// to `outcome` when it names no SQL already: for a runner of a program
/// built from the project, the words it passes; for a program writ has
/// no handler for (`known` false), its own words.
pub(super) fn add(inv: &Invocation<'_>, known: bool, outcome: &mut Outcome) {
    if outcome.effects.iter().any(|e| matches!(e, Effect::Sql(_))) {
        return;
    }
    let run = run_program(inv).or_else(|| (!known).then(|| (inv.program.to_owned(), inv.args)));
    if let Some(effect) = run.and_then(|(client, args)| statement(inv, &client, args)) {
        outcome.effects.push(effect);
    }
}

/// The `Sql` effect of `client` given `args` in `inv`'s environment, when
/// they name a database and hold a statement.
fn statement(inv: &Invocation<'_>, client: &str, args: &[Arg]) -> Option<Effect> {
    let values = || args.iter().map(|arg| option_value(&arg.text));
    let sql = values().find(|text| is_statement(text))?;
    let dsn = values().find(|text| is_database(text)).or_else(|| {
        // `DATABASE_URL=... tool`: the variable the tool reads, else any
        // variable of its environment holding a database URL.
        let urls = || inv.env.iter().filter(|(_, value)| is_database(&value.text));
        urls()
            .find(|(name, _)| name.ends_with("DATABASE_URL"))
            .or_else(|| urls().next())
            .map(|(_, value)| value.text.as_str())
    })?;
    Some(Effect::Sql(Sql {
        client: client.to_owned(),
        host: url_host(dsn).or_else(|| connection_string_host(dsn)),
        dsn: Some(dsn.to_owned()),
        sql: Some(sql.to_owned()),
        files: Vec::new(),
        login: crate::Payload::default(),
    }))
}

/// An option's value given with `=` (`--database-url=URL`), else the
/// word itself.
fn option_value(text: &str) -> &str {
    match text.split_once('=') {
        Some((name, value)) if name.starts_with('-') => value,
        _ => text,
    }
}

/// True when `text` is a database connection URL
/// (`postgres://user@host:5432/db`, `jdbc:postgresql://host/db`).
pub(super) fn is_database_url(text: &str) -> bool {
    let lower = text.trim().to_ascii_lowercase();
    let url = lower.strip_prefix("jdbc:").unwrap_or(&lower);
    DATABASE_SCHEMES.iter().any(|scheme| {
        url.strip_prefix(scheme)
            .is_some_and(|rest| !rest.is_empty())
    })
}

/// True when `text` names a database: a URL ([`is_database_url`]) or a
/// connection string ([`connection_string_host`]).
fn is_database(text: &str) -> bool {
    is_database_url(text) || connection_string_host(text).is_some()
}

/// The server of an ADO.NET or Npgsql connection string that names a
/// server and a database (`Host=db.corp;Port=5432;Database=ledger`,
/// `Server=tcp:db.corp,1433;Initial Catalog=pay`).
fn connection_string_host(text: &str) -> Option<String> {
    if text.contains("://") || !text.contains(';') {
        return None;
    }
    sql::connection_string_value(text, &["database", "initial catalog", "dbname"])?;
    let server = sql::connection_string_value(
        text,
        &[
            "host",
            "server",
            "data source",
            "address",
            "addr",
            "network address",
        ],
    )?;
    Some(sql::server_host(&server)).filter(|host| !host.is_empty())
}

/// The server a database URL names; JDBC's SQL Server URLs put their
/// properties after `;` (`jdbc:sqlserver://host;databaseName=x`).
fn url_host(url: &str) -> Option<String> {
    let url = url.split(';').next().unwrap_or(url);
    if !is_database_url(url) {
        return None;
    }
    sql::uri_host(url)
}

/// True when `text`, after blanks, is a SQL statement: a keyword of
/// [`STATEMENTS`] (any case) followed by more words, among them the
/// keyword's required one.
pub(super) fn is_statement(text: &str) -> bool {
    let mut words = text
        .split(|c: char| c.is_whitespace() || c == '(' || c == ';')
        .filter(|w| !w.is_empty());
    let Some(first) = words.next() else {
        return false;
    };
    let Some((_, required)) = STATEMENTS
        .iter()
        .find(|(keyword, _)| first.eq_ignore_ascii_case(keyword))
    else {
        return false;
    };
    let rest: Vec<&str> = words.collect();
    match required {
        None => !rest.is_empty(),
        Some(word) => rest.iter().any(|w| w.eq_ignore_ascii_case(word)),
    }
}

/// The program a runner builds from the project and runs, by name, with
/// the words it passes it: `go run [FLAGS] PKG|FILES ARGS` (the package's
/// directory names the program), `cargo run [OPTIONS] -- ARGS` (its
/// `--bin` or `--package`, else the project's directory), `python -m
/// MODULE ARGS`, `dotnet run [--project PATH] -- ARGS`.
fn run_program<'a>(inv: &Invocation<'a>) -> Option<(String, &'a [Arg])> {
    let args = inv.args;
    let first = args.first().map(|a| a.text.as_str());
    match inv.program {
        "go" if first == Some("run") => go_run(inv, args.get(1..).unwrap_or_default()),
        "cargo" => cargo_run(inv),
        "dotnet" if first == Some("run") => dotnet_run(inv),
        program if is_python(program) => python_module(args),
        _ => None,
    }
}

/// `go run`'s build flags that take a value.
const GO_VALUE_FLAGS: &[&str] = &[
    "-tags",
    "-exec",
    "-ldflags",
    "-gcflags",
    "-o",
    "-C",
    "-mod",
    "-p",
    "-modfile",
    "-overlay",
    "-pkgdir",
    "-toolexec",
    "-asmflags",
];

/// `go run [FLAGS] PKG ARGS` or `go run [FLAGS] a.go b.go ARGS`.
fn go_run<'a>(inv: &Invocation<'a>, words: &'a [Arg]) -> Option<(String, &'a [Arg])> {
    let mut at = 0;
    while let Some(word) = words.get(at).map(|a| a.text.as_str()) {
        if word == "--" || !word.starts_with('-') {
            break;
        }
        at += if GO_VALUE_FLAGS.contains(&word) { 2 } else { 1 };
    }
    if words.get(at).is_some_and(|a| a.text == "--") {
        at += 1;
    }
    let target = words.get(at)?.text.as_str();
    let name = if target.ends_with(".go") {
        while words.get(at).is_some_and(|a| a.text.ends_with(".go")) {
            at += 1;
        }
        // The files' directory names the program, as `go build` names it.
        let path = inv.path(target);
        base_name(path.rsplit_once('/').map_or("", |(dir, _)| dir))
    } else {
        at += 1;
        base_name(&inv.path(target))
    };
    Some((name, words.get(at..).unwrap_or_default()))
}

/// `cargo [+TOOLCHAIN] run [OPTIONS] -- ARGS`: the words after `--`.
fn cargo_run<'a>(inv: &Invocation<'a>) -> Option<(String, &'a [Arg])> {
    let args = inv.args;
    let run = args.iter().position(|a| !a.text.starts_with('+'))?;
    if args.get(run).is_none_or(|a| a.text != "run") {
        return None;
    }
    let dashes = args.iter().position(|a| a.text == "--")?;
    let options = args.get(run + 1..dashes).unwrap_or_default();
    let named = options.iter().enumerate().find_map(|(at, arg)| {
        for option in ["--bin", "--package", "-p", "--example"] {
            if arg.text == option {
                return options.get(at + 1).map(|v| v.text.clone());
            }
            if let Some(value) = arg.text.strip_prefix(&format!("{option}=")) {
                return Some(value.to_owned());
            }
        }
        None
    });
    let name = named.unwrap_or_else(|| base_name(inv.cwd));
    Some((name, args.get(dashes + 1..).unwrap_or_default()))
}

/// `dotnet run [--project PATH] [OPTIONS] -- ARGS`: the words after
/// `--`; the project (its directory or `.csproj` file) names the program,
/// else the working directory.
fn dotnet_run<'a>(inv: &Invocation<'a>) -> Option<(String, &'a [Arg])> {
    let args = inv.args;
    let dashes = args.iter().position(|a| a.text == "--")?;
    let options = args.get(1..dashes).unwrap_or_default();
    let project = options.iter().enumerate().find_map(|(at, arg)| {
        if matches!(arg.text.as_str(), "--project" | "-p") {
            return options.get(at + 1).map(|v| v.text.as_str());
        }
        arg.text.strip_prefix("--project=")
    });
    let name = match project {
        Some(project) => {
            let base = base_name(project);
            base.strip_suffix(".csproj").unwrap_or(&base).to_owned()
        }
        None => base_name(inv.cwd),
    };
    Some((name, args.get(dashes + 1..).unwrap_or_default()))
}

/// True for `python`, `python3`, `python3.12`.
fn is_python(program: &str) -> bool {
    program
        .strip_prefix("python")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `python [OPTIONS] -m MODULE ARGS` (`-mMODULE`): the module and its words.
fn python_module(args: &[Arg]) -> Option<(String, &[Arg])> {
    let mut at = 0;
    while let Some(word) = args.get(at).map(|a| a.text.as_str()) {
        if word == "-m" {
            let module = args.get(at + 1)?.text.clone();
            return Some((module, args.get(at + 2..).unwrap_or_default()));
        }
        if let Some(module) = word.strip_prefix("-m") {
            return Some((module.to_owned(), args.get(at + 1..).unwrap_or_default()));
        }
        // Options before the module; `-c`, a script or `-` end them.
        if !word.starts_with('-') || word == "-" || word.starts_with("-c") {
            return None;
        }
        at += if matches!(word, "-X" | "-W") { 2 } else { 1 };
    }
    None
}

/// The last component of a path (`/src/ledger/cmd/ledgerctl`: `ledgerctl`).
fn base_name(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_owned()
}
