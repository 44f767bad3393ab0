//! SQL clients: psql, mysql/mariadb/mycli, sqlite3, `dropdb`, and the
//! clients read from one table of their options (pgcli, usql, mysqlsh,
//! sqlcmd, clickhouse-client, cockroach sql, trino).

use super::{Invocation, Outcome};
use crate::args::{self, Arg, Spec};
use crate::{Effect, Sql};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    Some(match inv.program {
        "psql" => psql(inv),
        "mysql" | "mariadb" | "mycli" => mysql(inv),
        "dropdb" => dropdb(inv),
        "sqlite3" | "sqlite" => sqlite(inv),
        // `clickhouse client ...`, `cockroach sql ...`.
        "clickhouse" | "cockroach"
            if inv
                .args
                .first()
                .is_some_and(|a| matches!(a.text.as_str(), "client" | "sql")) =>
        {
            let rest = inv.args.get(1..).unwrap_or_default();
            let client = CLIENTS.iter().find(|c| c.names.contains(&inv.program))?;
            tabled(&inv.with_args(rest), client)
        }
        "clickhouse" | "cockroach" => return None,
        program => tabled(inv, CLIENTS.iter().find(|c| c.names.contains(&program))?),
    })
}

/// A SQL client by the options that name its server, its SQL and its
/// script files.
struct Client {
    names: &'static [&'static str],
    spec: Spec<'static>,
    /// Options naming the server: a host, `host:port`, `tcp:host,port`,
    /// `user@host:port/db`, or a URI.
    host: &'static [&'static str],
    sql: &'static [&'static str],
    files: &'static [&'static str],
}

const CLIENTS: &[Client] = &[
    Client {
        names: &["pgcli"],
        spec: Spec {
            short: "hpUdD",
            long: &["host", "port", "username", "dbname", "dsn"],
            stop_after: None,
        },
        host: &["-h", "--host"],
        sql: &[],
        files: &[],
    },
    Client {
        names: &["usql"],
        spec: Spec {
            short: "cfo",
            long: &["command", "file", "out", "set", "variable"],
            stop_after: None,
        },
        host: &[],
        sql: &["-c", "--command"],
        files: &["-f", "--file"],
    },
    Client {
        names: &["mysqlsh"],
        spec: Spec {
            short: "hPueufD",
            long: &[
                "host", "port", "user", "uri", "execute", "file", "schema", "database",
            ],
            stop_after: None,
        },
        host: &["--uri", "-h", "--host"],
        sql: &["-e", "--execute"],
        files: &["-f", "--file"],
    },
    Client {
        names: &["sqlcmd"],
        spec: Spec {
            short: "SdUPQqioH",
            long: &[],
            stop_after: None,
        },
        host: &["-S"],
        sql: &["-Q", "-q"],
        files: &["-i"],
    },
    Client {
        names: &["clickhouse-client", "clickhouse"],
        spec: Spec {
            short: "hqudp",
            long: &[
                "host",
                "query",
                "user",
                "database",
                "password",
                "port",
                "queries-file",
            ],
            stop_after: None,
        },
        host: &["-h", "--host"],
        sql: &["-q", "--query"],
        files: &["--queries-file"],
    },
    Client {
        names: &["cockroach"],
        spec: Spec {
            short: "ef",
            long: &[
                "url",
                "host",
                "execute",
                "file",
                "database",
                "user",
                "certs-dir",
            ],
            stop_after: None,
        },
        host: &["--url", "--host"],
        sql: &["-e", "--execute"],
        files: &["-f", "--file"],
    },
    Client {
        names: &["trino", "presto"],
        spec: Spec {
            short: "f",
            long: &["server", "execute", "file", "catalog", "schema", "user"],
            stop_after: None,
        },
        host: &["--server"],
        sql: &["--execute"],
        files: &["-f", "--file"],
    },
];

/// The effect of a client's SQL, with the files its client-side loads send
/// along (`\copy t FROM 'f'`, `LOAD DATA LOCAL INFILE 'f'`, and `\copy ...
/// FROM STDIN` or ClickHouse's `INSERT ... FORMAT` reading standard input):
/// each is read here and goes to the server with the SQL.
fn sql_effects(
    inv: &Invocation<'_>,
    client: &str,
    host: Option<String>,
    dsn: Option<String>,
    sql: Option<String>,
    mut files: Vec<String>,
) -> Outcome {
    let mut outcome = Outcome::default();
    if let Some(text) = &sql {
        let loads = client_loads(text);
        for file in loads.files {
            let path = inv.path(&file);
            outcome.read(path.clone(), false);
            files.push(path);
        }
        if loads.stdin && inv.has_stdin {
            files.extend(inv.stdin.files.iter().map(|f| f.path.clone()));
        }
    }
    files.dedup();
    outcome.effect(Effect::Sql(Sql {
        client: client.to_owned(),
        host,
        dsn,
        sql,
        files,
    }))
}

/// What a statement's client loads: files it names, and whether it reads
/// standard input.
#[derive(Debug, Default, PartialEq, Eq)]
struct Loads {
    files: Vec<String>,
    stdin: bool,
}

fn client_loads(sql: &str) -> Loads {
    let mut loads = Loads::default();
    let lower = sql.to_ascii_lowercase();
    // `\copy TABLE [(cols)] FROM 'f'|STDIN|pstdin`, and `COPY ... FROM
    // STDIN` (its data comes over the client's input).
    for (at, _) in lower.match_indices("copy ") {
        let rest = &sql[at..];
        let rest_lower = &lower[at..];
        let Some(from) = rest_lower.find(" from ") else {
            continue;
        };
        let client_side = sql[..at].ends_with('\\');
        let source = rest[from + 6..].trim_start();
        let source_lower = source.to_ascii_lowercase();
        if source_lower.starts_with("stdin") || source_lower.starts_with("pstdin") {
            loads.stdin = true;
        } else if client_side && let Some(file) = quoted(source) {
            loads.files.push(file);
        }
    }
    // MySQL's `LOAD DATA LOCAL INFILE 'f'`.
    for (at, _) in lower.match_indices("local infile") {
        if let Some(file) = quoted(sql[at + 12..].trim_start()) {
            loads.files.push(file);
        }
    }
    // ClickHouse: `INSERT INTO t FORMAT CSV` takes its rows from stdin.
    if lower.trim_start().starts_with("insert") && lower.contains(" format ") {
        loads.stdin = true;
    }
    loads
}

/// The text of a leading `'...'` or `"..."`.
fn quoted(text: &str) -> Option<String> {
    let quote = text.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
    text[1..].split(quote).next().map(str::to_owned)
}

/// A client from [`CLIENTS`]: its server from its options or a URI among
/// its operands, its SQL from its options or standard input.
fn tabled(inv: &Invocation<'_>, client: &Client) -> Outcome {
    let items = args::parse(inv.args, &client.spec);
    let dsn = args::positionals(&items)
        .into_iter()
        .chain(args::values(&items, client.host))
        .find(|a| a.text.contains("://"))
        .map(|a| a.text.clone());
    let host = args::value(&items, client.host)
        .map(|h| server_host(&h.text))
        .or_else(|| dsn.as_deref().and_then(uri_host));
    let statements: Vec<&str> = args::values(&items, client.sql)
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    let mut sql = (!statements.is_empty()).then(|| statements.join("; "));
    let mut files: Vec<String> = args::values(&items, client.files)
        .iter()
        .map(|f| file_path(inv, f))
        .collect();
    if sql.is_none() && files.is_empty() {
        stdin_sql(inv, &mut sql, &mut files);
    }
    sql_effects(inv, inv.program, host, dsn, sql, files)
}

/// The host of a server option: `host`, `host:port`, `tcp:host,port`,
/// `user@host:port/db`, or a URI.
fn server_host(text: &str) -> String {
    if text.contains("://") {
        return uri_host(text).unwrap_or_default();
    }
    let text = text.strip_prefix("tcp:").unwrap_or(text);
    let text = text.rsplit_once('@').map_or(text, |(_, h)| h);
    let text = text.split(['/', ',']).next().unwrap_or_default();
    strip_port(text)
}

/// SQL text and script files arriving on standard input.
fn stdin_sql(inv: &Invocation<'_>, sql: &mut Option<String>, files: &mut Vec<String>) {
    if !inv.has_stdin {
        return;
    }
    if sql.is_none() && !inv.stdin.text.is_empty() {
        *sql = Some(inv.stdin.text.join("\n"));
    }
    files.extend(inv.stdin.files.iter().map(|f| f.path.clone()));
}

fn is_uri(text: &str) -> bool {
    text.starts_with("postgres://")
        || text.starts_with("postgresql://")
        || text.starts_with("mysql://")
}

pub(super) fn is_conninfo(text: &str) -> bool {
    text.split_whitespace()
        .any(|kv| kv.starts_with("host=") || kv.starts_with("dbname="))
}

/// The host of a connection URI or a `key=value` conninfo string.
pub(super) fn dsn_host(dsn: &str) -> Option<String> {
    if dsn.contains("://") {
        return uri_host(dsn);
    }
    dsn.split_whitespace()
        .find_map(|kv| kv.strip_prefix("host="))
        .map(str::to_owned)
}

/// The (first) host of a `scheme://[user@]host[:port][,host2]/...` URI, as
/// database clients take them (PostgreSQL, MySQL, MongoDB, Redis).
pub(super) fn uri_host(uri: &str) -> Option<String> {
    let (_, rest) = uri.split_once("://")?;
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let hosts = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let first = hosts.split(',').next().unwrap_or_default();
    let host = strip_port(first);
    (!host.is_empty()).then_some(host)
}

/// `host:port` without the port (IPv6 in brackets kept whole).
pub(super) fn strip_port(text: &str) -> String {
    match text.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default().to_owned(),
        None => text.split(':').next().unwrap_or_default().to_owned(),
    }
}

fn psql(inv: &Invocation<'_>) -> Outcome {
    let spec = Spec {
        short: "hcfdUpvPoTFRL",
        long: &[
            "host",
            "command",
            "file",
            "dbname",
            "username",
            "port",
            "set",
            "variable",
            "pset",
            "output",
            "log-file",
            "field-separator",
            "record-separator",
        ],
        stop_after: None,
    };
    let items = args::parse(inv.args, &spec);
    let mut dsn: Option<String> = None;
    let candidates = args::values(&items, &["-d", "--dbname"])
        .into_iter()
        .chain(args::positionals(&items));
    for word in candidates {
        if is_uri(&word.text) || is_conninfo(&word.text) {
            dsn = Some(word.text.clone());
            break;
        }
    }
    let host = args::value(&items, &["-h", "--host"])
        .map(|h| h.text.clone())
        .or_else(|| dsn.as_deref().and_then(dsn_host))
        .or_else(|| inv.env_value("PGHOST").map(|h| h.text.clone()));
    let commands: Vec<&str> = args::values(&items, &["-c", "--command"])
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    let mut sql = (!commands.is_empty()).then(|| commands.join("; "));
    let mut files: Vec<String> = args::values(&items, &["-f", "--file"])
        .iter()
        .map(|f| file_path(inv, f))
        .collect();
    if sql.is_none() && files.is_empty() {
        stdin_sql(inv, &mut sql, &mut files);
    }
    sql_effects(inv, "psql", host, dsn, sql, files)
}

fn file_path(inv: &Invocation<'_>, word: &Arg) -> String {
    if word.text == "-" {
        "-".to_owned()
    } else {
        inv.path(&word.text)
    }
}

fn mysql(inv: &Invocation<'_>) -> Outcome {
    let spec = Spec {
        short: "heuPDSo",
        long: &[
            "host",
            "execute",
            "user",
            "port",
            "database",
            "socket",
            "defaults-file",
            "defaults-extra-file",
            "init-command",
            "protocol",
            "ssl-ca",
            "ssl-cert",
            "ssl-key",
            "login-path",
        ],
        stop_after: None,
    };
    let items = args::parse(inv.args, &spec);
    let positional = args::positionals(&items);
    let dsn = positional
        .iter()
        .find(|p| is_uri(&p.text))
        .map(|p| p.text.clone());
    let host = args::value(&items, &["-h", "--host"])
        .map(|h| h.text.clone())
        .or_else(|| dsn.as_deref().and_then(dsn_host))
        .or_else(|| inv.env_value("MYSQL_HOST").map(|h| h.text.clone()));
    let mut sql = args::value(&items, &["-e", "--execute"]).map(|e| e.text.clone());
    let mut files = Vec::new();
    if sql.is_none() {
        stdin_sql(inv, &mut sql, &mut files);
    }
    sql_effects(inv, inv.program, host, dsn, sql, files)
}

/// `dropdb [-h HOST] [-p PORT] [-U USER] NAME` is `DROP DATABASE NAME`.
fn dropdb(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "hpUd",
            long: &["host", "port", "username", "maintenance-db"],
            stop_after: None,
        },
    );
    let Some(name) = args::positionals(&items).first().map(|n| n.text.clone()) else {
        return Outcome::default();
    };
    let host = args::value(&items, &["-h", "--host"])
        .map(|h| h.text.clone())
        .or_else(|| inv.env_value("PGHOST").map(|h| h.text.clone()));
    Outcome::default().effect(Effect::Sql(Sql {
        client: inv.program.to_owned(),
        host,
        dsn: None,
        sql: Some(format!("DROP DATABASE {name}")),
        files: Vec::new(),
    }))
}

fn sqlite(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &["cmd", "separator", "newline", "nullvalue", "init"],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let dsn = positional.first().map(|db| {
        if db.text == ":memory:" {
            db.text.clone()
        } else {
            inv.path(&db.text)
        }
    });
    let mut sql = positional
        .get(1..)
        .filter(|rest| !rest.is_empty())
        .map(|rest| {
            rest.iter()
                .map(|a| a.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        });
    let mut files: Vec<String> = args::values(&items, &["--init"])
        .iter()
        .map(|f| inv.path(&f.text))
        .collect();
    if sql.is_none() {
        stdin_sql(inv, &mut sql, &mut files);
    }
    Outcome::default().effect(Effect::Sql(Sql {
        client: "sqlite3".to_owned(),
        host: None,
        dsn,
        sql,
        files,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_side_loads_name_their_files_or_stdin() {
        assert_eq!(
            client_loads(r"\copy contacts FROM 'exports/c.csv' WITH CSV HEADER"),
            Loads {
                files: vec!["exports/c.csv".to_owned()],
                stdin: false
            }
        );
        assert!(client_loads(r"\copy contacts (a, b) from stdin csv").stdin);
        assert!(client_loads("COPY t FROM STDIN").stdin);
        // The server reads its own file: nothing leaves here.
        assert_eq!(client_loads("COPY t FROM '/srv/x.csv'"), Loads::default());
        assert_eq!(
            client_loads("LOAD DATA LOCAL INFILE \"exports/c.csv\" INTO TABLE t").files,
            ["exports/c.csv"]
        );
        assert!(client_loads("INSERT INTO contacts FORMAT CSVWithNames").stdin);
        assert_eq!(client_loads("select 1"), Loads::default());
    }
}
