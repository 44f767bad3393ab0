//! csvkit's database tools. `csvsql --db URL [--insert] FILE...` creates a
//! table for each CSV file in the database the SQLAlchemy URL names and,
//! with `--insert`, sends it the files' rows; without `--db` it only prints
//! the `CREATE TABLE` statements (or, with `--query`, queries the files in
//! a database in memory). `sql2csv --db URL --query SQL|FILE` reads from
//! that database. The URL's host is the server, its password a login; a
//! `sqlite:///PATH` URL is a local database file.

use super::super::{Invocation, Outcome};
use super::{Server, login, sql_effects, stdin_sql, uri_host};
use crate::args::{self, Arg, Item, Spec};
use crate::flow;

/// csvsql's long options, for the unique prefixes argparse accepts
/// (`--table` for `--tables`).
const CSVSQL_LONG: &[&str] = &[
    "delimiter",
    "tabs",
    "quotechar",
    "quoting",
    "no-doublequote",
    "escapechar",
    "maxfieldsize",
    "encoding",
    "locale",
    "skipinitialspace",
    "blanks",
    "null-value",
    "date-format",
    "datetime-format",
    "no-header-row",
    "skip-lines",
    "verbose",
    "linenumbers",
    "zero",
    "version",
    "dialect",
    "db",
    "query",
    "insert",
    "prefix",
    "before-insert",
    "after-insert",
    "tables",
    "no-constraints",
    "unique-constraint",
    "no-create",
    "create-if-not-exists",
    "overwrite",
    "db-schema",
    "snifflimit",
    "no-inference",
    "chunk-size",
    "sql-delimiter",
    "min-col-len",
    "col-len-multiplier",
];

/// csvsql's options that take a value.
const CSVSQL_SPEC: Spec<'static> = Spec {
    short: "dqupzeLKiy",
    long: &[
        "delimiter",
        "quotechar",
        "quoting",
        "escapechar",
        "maxfieldsize",
        "encoding",
        "locale",
        "date-format",
        "datetime-format",
        "skip-lines",
        "dialect",
        "db",
        "query",
        "prefix",
        "before-insert",
        "after-insert",
        "tables",
        "unique-constraint",
        "db-schema",
        "snifflimit",
        "chunk-size",
        "sql-delimiter",
        "min-col-len",
        "col-len-multiplier",
    ],
    stop_after: None,
};

/// `csvsql [OPTIONS] [FILE...]`: with `--db URL`, for each file (or
/// standard input) its table `--tables` names (else the file's name) is
/// dropped first with `--overwrite`, created unless `--no-create` (`IF NOT
/// EXISTS` with `--create-if-not-exists`), and with `--insert` filled with
/// the file's rows between the `--before-insert` and `--after-insert` SQL;
/// then `--query` runs there. The files are read in every case.
pub(super) fn csvsql(inv: &Invocation<'_>) -> Outcome {
    let words = full_names(&without_null_values(inv.args), CSVSQL_LONG);
    let items = args::parse(&words, &CSVSQL_SPEC);
    let mut outcome = Outcome::default();
    let mut files: Vec<String> = args::positionals(&items)
        .iter()
        .filter(|f| f.text != "-")
        .map(|f| inv.path(&f.text))
        .collect();
    let piped = files.is_empty() && inv.has_stdin;
    for path in &files {
        outcome.read(path.clone(), false);
    }
    let Some(url) = args::value(&items, &["--db"]) else {
        return outcome;
    };
    let tables = table_names(&items, inv, &files);
    let statements = csvsql_statements(&items, &tables);
    if !args::has(&items, &["--insert"]) {
        // Only the tables' columns reach the database.
        files.clear();
    } else if piped {
        files.extend(inv.stdin.files.iter().map(|f| f.path.clone()));
    }
    let effects = sql_effects(
        inv,
        "csvsql",
        server(inv, url),
        Some(statements.join("; ")),
        files,
    );
    outcome.effects.extend(effects.effects);
    outcome
}

/// The statements csvsql runs at its database.
fn csvsql_statements(items: &[Item<'_>], tables: &[String]) -> Vec<String> {
    let has = |name: &str| args::has(items, &[name]);
    let sql = |name: &str| -> Vec<String> {
        args::values(items, &[name])
            .iter()
            .map(|a| a.text.clone())
            .collect()
    };
    let create = !has("--no-create");
    let insert = has("--insert");
    let mut statements = Vec::new();
    for table in tables {
        if create && has("--overwrite") {
            statements.push(format!("DROP TABLE IF EXISTS {table}"));
        }
        if create {
            let guard = if has("--create-if-not-exists") {
                "IF NOT EXISTS "
            } else {
                ""
            };
            statements.push(format!("CREATE TABLE {guard}{table} ()"));
        }
        if insert {
            statements.extend(sql("--before-insert"));
            statements.push(format!("INSERT INTO {table} VALUES ()"));
            statements.extend(sql("--after-insert"));
        }
    }
    statements.extend(sql("--query"));
    statements
}

/// The tables csvsql fills: `--tables a,b`, else each file's name without
/// its extension (`stdin` for standard input).
fn table_names(items: &[Item<'_>], inv: &Invocation<'_>, files: &[String]) -> Vec<String> {
    if let Some(named) = args::value(items, &["--tables"]) {
        return named
            .text
            .split(',')
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
    }
    if files.is_empty() {
        return if inv.has_stdin {
            vec!["stdin".to_owned()]
        } else {
            Vec::new()
        };
    }
    files
        .iter()
        .map(|path| {
            let name = path.rsplit('/').next().unwrap_or(path);
            name.split('.').next().unwrap_or(name).to_owned()
        })
        .collect()
}

/// `sql2csv --db URL [--query SQL | FILE]`: a query of that database,
/// from the option, a script file or standard input. Without `--db` it
/// has no database to read.
pub(super) fn sql2csv(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "e",
            long: &["db", "query", "encoding"],
            stop_after: None,
        },
    );
    let Some(url) = args::value(&items, &["--db"]) else {
        return Outcome::default();
    };
    let mut sql = args::value(&items, &["--query"]).map(|q| q.text.clone());
    let mut files: Vec<String> = args::positionals(&items)
        .iter()
        .filter(|f| f.text != "-")
        .map(|f| inv.path(&f.text))
        .collect();
    if sql.is_none() && files.is_empty() {
        stdin_sql(inv, &mut sql, &mut files);
    }
    sql_effects(inv, "sql2csv", server(inv, url), sql, files)
}

/// The database a SQLAlchemy URL names: a server (`postgresql+psycopg2://
/// user:pw@host/db`), whose password the URL carries and libpq's
/// `PGPASSWORD` may give; or a local file (`sqlite:///rel.db`,
/// `sqlite:////abs.db`, `duckdb:///f.duckdb`).
fn server(inv: &Invocation<'_>, url: &Arg) -> Server {
    if let Some(path) = local_database(&url.text) {
        return Server {
            dsn: (!path.is_empty()).then(|| inv.path(path)),
            ..Server::default()
        };
    }
    let scheme = url.text.split("://").next().unwrap_or_default();
    let variables: &[&str] = if scheme.to_ascii_lowercase().starts_with("postgres") {
        &["PGPASSWORD"]
    } else {
        &[]
    };
    // What the URL's expansions carry (`postgresql://u:$PW@h/d`) logs in.
    let mut login = login(inv, &[], variables);
    flow::merge(&mut login, &url.expansions());
    Server {
        host: uri_host(&url.text),
        dsn: Some(url.text.clone()),
        login,
    }
}

/// The file of a SQLAlchemy URL of a database in a file: what follows
/// `sqlite://`'s (or `duckdb://`'s) third slash, before any `?`; empty for
/// one in memory.
fn local_database(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once("://")?;
    let base = scheme.split('+').next().unwrap_or_default();
    if !base.eq_ignore_ascii_case("sqlite") && !base.eq_ignore_ascii_case("duckdb") {
        return None;
    }
    let rest = rest.split('?').next().unwrap_or_default();
    Some(rest.strip_prefix('/').unwrap_or(rest))
}

/// The words without `--null-value`'s values: it takes every word up to
/// the next option (argparse's `nargs='+'`).
fn without_null_values(words: &[Arg]) -> Vec<Arg> {
    let mut out = Vec::with_capacity(words.len());
    let mut in_values = false;
    for word in words {
        if word.text.starts_with('-') && word.text.len() > 1 {
            in_values = word.text == "--null-value";
            if in_values {
                continue;
            }
        } else if in_values {
            continue;
        }
        out.push(word.clone());
    }
    out
}

/// The words with each long option abbreviated to a unique prefix of one
/// of `names` (as argparse accepts it) written out in full.
fn full_names(words: &[Arg], names: &[&str]) -> Vec<Arg> {
    words
        .iter()
        .map(|word| {
            let Some(body) = word.text.strip_prefix("--") else {
                return word.clone();
            };
            let (name, value) = match body.split_once('=') {
                Some((name, value)) => (name, Some(value)),
                None => (body, None),
            };
            if name.is_empty() || names.contains(&name) {
                return word.clone();
            }
            let mut candidates = names.iter().filter(|n| n.starts_with(name));
            match (candidates.next(), candidates.next()) {
                (Some(full), None) => word.with_text(&match value {
                    Some(value) => format!("--{full}={value}"),
                    None => format!("--{full}"),
                }),
                _ => word.clone(),
            }
        })
        .collect()
}
