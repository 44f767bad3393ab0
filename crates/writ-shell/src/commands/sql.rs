//! SQL clients: psql, mysql/mariadb/mycli, sqlite3 and duckdb (and
//! DuckDB's MotherDuck databases, `duckdb md:NAME`), `dropdb`,
//! `pg_restore` (a restore as the statements it runs), csvkit's
//! `csvsql --db` and `sql2csv` ([`csvkit`]), Datasette's publishing
//! ([`datasette`]),
//! PowerShell's `Invoke-Sqlcmd`, `bq query`, and the clients read from one
//! table of their options (pgcli, usql, mysqlsh, sqlcmd, clickhouse client
//! and local, cockroach sql, trino, snowsql, `snow sql`, Couchbase's
//! `cbq`, whose SQL++ is SQL).

mod clickhouse;
mod csvkit;
mod datasette;
mod meta;
mod sqlmap;
pub(crate) mod tokens;

use super::{Invocation, Nested, Outcome};
use crate::args::{self, Arg, Spec};
use crate::{Effect, Payload, Sql, flow};
use meta::{Action, Language};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    Some(match inv.program {
        "dropdb" => dropdb(inv),
        "pg_restore" => pg_restore(inv),
        "sqlite3" | "sqlite" | "duckdb" => sqlite_shell(inv),
        "invoke-sqlcmd" | "invoke-dbaquery" => invoke_sqlcmd(inv),
        "remove-dbadatabase" | "remove-dbadbtable" | "remove-dbalogin" | "remove-dbadbuser" => {
            dbatools_removal(inv)?
        }
        "bq" => bq_query(inv)?,
        "cqlsh" => cqlsh(inv),
        "csvsql" => csvkit::csvsql(inv),
        "sql2csv" => csvkit::sql2csv(inv),
        "datasette" => datasette::handle(inv)?,
        "sqlmap" => sqlmap::handle(inv),
        program => {
            // `clickhouse client ...`, `cockroach sql ...`, `snow sql ...`:
            // the words after the subcommand.
            let first = inv.args.first().map(|a| a.text.as_str());
            let (client, skip) = CLIENTS.iter().find_map(|client| {
                client
                    .commands
                    .iter()
                    .find_map(|(name, subcommand)| match subcommand {
                        _ if *name != program => None,
                        None => Some(0),
                        Some(word) => (first == Some(*word)).then_some(1),
                    })
                    .map(|skip| (client, skip))
            })?;
            tabled(
                &inv.with_args(inv.args.get(skip..).unwrap_or_default()),
                client,
            )
        }
    })
}

/// A SQL client by the options that name its server, its SQL and its
/// script files.
struct Client {
    /// Its programs, each with the subcommand that runs SQL when the
    /// program does other things too (`snow sql`, `clickhouse client`).
    commands: &'static [(&'static str, Option<&'static str>)],
    spec: Spec<'static>,
    /// Options naming the server: a host, `host:port`, `tcp:host,port`,
    /// `host\instance`, `user@host:port/db`, or a URI.
    host: &'static [&'static str],
    /// Options whose value may be a whole connection string, a URI or a
    /// `key=value` conninfo (psql's `-d`), as an operand may.
    dsn: &'static [&'static str],
    /// Options naming a Snowflake account, whose server is
    /// `ACCOUNT.snowflakecomputing.com`.
    account: &'static [&'static str],
    /// Environment variables naming the server, then the account
    /// (`SNOWSQL_HOST=... snowsql`), when no option does.
    host_env: &'static [&'static str],
    account_env: &'static [&'static str],
    sql: &'static [&'static str],
    files: &'static [&'static str],
    /// Options whose value is the password the client logs in with
    /// (`sqlcmd -P`, `--password VALUE`, mysql's `--password=VALUE`).
    password: &'static [&'static str],
    /// A short option whose attached value is the password (`mysql
    /// -pSECRET`); alone it asks for one, and the next word is not it.
    short_password: Option<char>,
    /// Environment variables the client logs in with, when the line sets
    /// them for it (`PGPASSWORD=... psql`).
    password_env: &'static [&'static str],
    /// The commands the client runs itself among its SQL (`\! CMD`,
    /// `system CMD`), when it has them.
    own: Option<Language>,
}

const CLIENTS: &[Client] = &[
    Client {
        commands: &[("psql", None)],
        spec: Spec {
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
        },
        dsn: &["-d", "--dbname"],
        host: &["-h", "--host"],
        account: &[],
        host_env: &["PGHOST"],
        account_env: &[],
        sql: &["-c", "--command"],
        files: &["-f", "--file"],
        password: &[],
        short_password: None,
        password_env: &["PGPASSWORD"],
        own: Some(Language::Psql),
    },
    Client {
        commands: &[("mysql", None), ("mariadb", None), ("mycli", None)],
        spec: Spec {
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
                "tee",
                "protocol",
                "ssl-ca",
                "ssl-cert",
                "ssl-key",
                "login-path",
            ],
            stop_after: None,
        },
        dsn: &[],
        host: &["-h", "--host"],
        account: &[],
        host_env: &["MYSQL_HOST"],
        account_env: &[],
        sql: &["-e", "--execute"],
        files: &[],
        password: &["--password"],
        short_password: Some('p'),
        password_env: &["MYSQL_PWD"],
        own: Some(Language::Mysql),
    },
    Client {
        commands: &[("pgcli", None)],
        spec: Spec {
            short: "hpUdD",
            long: &["host", "port", "username", "dbname", "dsn"],
            stop_after: None,
        },
        dsn: &[],
        host: &["-h", "--host"],
        account: &[],
        host_env: &["PGHOST"],
        account_env: &[],
        sql: &[],
        files: &[],
        password: &[],
        short_password: None,
        password_env: &["PGPASSWORD"],
        own: None,
    },
    Client {
        commands: &[("usql", None)],
        spec: Spec {
            short: "cfo",
            long: &["command", "file", "out", "set", "variable"],
            stop_after: None,
        },
        dsn: &[],
        host: &[],
        account: &[],
        host_env: &[],
        account_env: &[],
        sql: &["-c", "--command"],
        files: &["-f", "--file"],
        password: &[],
        short_password: None,
        password_env: &[],
        own: Some(Language::Psql),
    },
    Client {
        commands: &[("mysqlsh", None)],
        spec: Spec {
            short: "hPueufD",
            long: &[
                "host", "port", "user", "uri", "execute", "file", "schema", "database",
            ],
            stop_after: None,
        },
        dsn: &[],
        host: &["--uri", "-h", "--host"],
        account: &[],
        host_env: &[],
        account_env: &[],
        sql: &["-e", "--execute"],
        files: &["-f", "--file"],
        password: &["--password"],
        short_password: Some('p'),
        password_env: &[],
        own: None,
    },
    Client {
        commands: &[("sqlcmd", None)],
        spec: Spec {
            short: "SdUPQqioH",
            long: &[],
            stop_after: None,
        },
        dsn: &[],
        host: &["-S"],
        account: &[],
        host_env: &["SQLCMDSERVER"],
        account_env: &[],
        sql: &["-Q", "-q"],
        files: &["-i"],
        password: &["-P"],
        short_password: None,
        password_env: &["SQLCMDPASSWORD"],
        own: None,
    },
    Client {
        commands: &[("clickhouse-client", None), ("clickhouse", Some("client"))],
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
        dsn: &[],
        host: &["-h", "--host"],
        account: &[],
        host_env: &["CLICKHOUSE_HOST"],
        account_env: &[],
        sql: &["-q", "--query"],
        files: &["--queries-file"],
        password: &["--password"],
        short_password: None,
        password_env: &["CLICKHOUSE_PASSWORD"],
        own: Some(Language::ClickHouse { local: false }),
    },
    // The server in the process: no host; its `file()` reads local files.
    Client {
        commands: &[("clickhouse-local", None), ("clickhouse", Some("local"))],
        spec: Spec {
            short: "qSNF",
            long: &[
                "query",
                "queries-file",
                "structure",
                "input-format",
                "output-format",
                "table",
                "file",
                "database",
                "path",
            ],
            stop_after: None,
        },
        dsn: &[],
        host: &[],
        account: &[],
        host_env: &[],
        account_env: &[],
        sql: &["-q", "--query"],
        files: &["--queries-file"],
        password: &[],
        short_password: None,
        password_env: &[],
        own: Some(Language::ClickHouse { local: true }),
    },
    Client {
        commands: &[("cockroach", Some("sql"))],
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
        dsn: &[],
        host: &["--url", "--host"],
        account: &[],
        host_env: &["COCKROACH_HOST"],
        account_env: &[],
        sql: &["-e", "--execute"],
        files: &["-f", "--file"],
        password: &[],
        short_password: None,
        password_env: &[],
        own: None,
    },
    Client {
        commands: &[("trino", None), ("presto", None)],
        spec: Spec {
            short: "f",
            long: &["server", "execute", "file", "catalog", "schema", "user"],
            stop_after: None,
        },
        dsn: &[],
        host: &["--server"],
        account: &[],
        host_env: &[],
        account_env: &[],
        sql: &["--execute"],
        files: &["-f", "--file"],
        password: &[],
        short_password: None,
        password_env: &["TRINO_PASSWORD"],
        own: None,
    },
    // Couchbase's shell: `cbq -e URL -s STATEMENT | -f FILE`, logging in
    // with `-p` or `-c user:password`.
    Client {
        commands: &[("cbq", None)],
        spec: Spec {
            short: "eupcsfot",
            long: &[
                "engine",
                "user",
                "password",
                "credentials",
                "script",
                "file",
                "output",
                "timeout",
                "cacert",
                "cert",
                "key",
                "networkconfig",
                "query_context",
            ],
            stop_after: None,
        },
        dsn: &[],
        host: &["-e", "--engine"],
        account: &[],
        host_env: &[],
        account_env: &[],
        sql: &["-s", "--script"],
        files: &["-f", "--file"],
        password: &["-p", "--password", "-c", "--credentials"],
        short_password: None,
        password_env: &[],
        own: None,
    },
    // SnowSQL: `-a ACCOUNT` (honours `SNOWSQL_ACCOUNT`); `-h` is deprecated.
    Client {
        commands: &[("snowsql", None)],
        spec: Spec {
            short: "audsrwhpmDofqc",
            long: &[
                "accountname",
                "username",
                "dbname",
                "schemaname",
                "rolename",
                "warehouse",
                "host",
                "port",
                "region",
                "mfa-passcode",
                "authenticator",
                "variable",
                "option",
                "filename",
                "query",
                "connection",
                "config",
                "private-key-path",
                "proxy-host",
                "proxy-port",
                "proxy-user",
                "proxy-password",
            ],
            stop_after: None,
        },
        dsn: &[],
        host: &["-h", "--host"],
        account: &["-a", "--accountname"],
        host_env: &["SNOWSQL_HOST"],
        account_env: &["SNOWSQL_ACCOUNT"],
        sql: &["-q", "--query"],
        files: &["-f", "--filename"],
        password: &[],
        short_password: None,
        password_env: &["SNOWSQL_PWD"],
        own: None,
    },
    // Snowflake CLI: `snow sql -q SQL [--account ACCOUNT] [-c CONNECTION]`.
    Client {
        commands: &[("snow", Some("sql"))],
        spec: Spec {
            short: "qfDpc",
            long: &[
                "query",
                "filename",
                "variable",
                "project",
                "env",
                "connection",
                "environment",
                "host",
                "port",
                "account",
                "accountname",
                "user",
                "username",
                "password",
                "authenticator",
                "workload-identity-provider",
                "private-key-file",
                "private-key-path",
                "token",
                "token-file-path",
                "database",
                "dbname",
                "schema",
                "schemaname",
                "role",
                "rolename",
                "warehouse",
                "mfa-passcode",
                "diag-log-path",
                "diag-allowlist-path",
                "oauth-client-id",
                "oauth-client-secret",
                "oauth-authorization-url",
                "oauth-token-request-url",
                "oauth-redirect-uri",
                "oauth-scope",
                "format",
                "enable-templating",
                "decimal-precision",
            ],
            stop_after: None,
        },
        dsn: &[],
        host: &["--host"],
        account: &["--account", "--accountname"],
        host_env: &["SNOWFLAKE_HOST"],
        account_env: &["SNOWFLAKE_ACCOUNT"],
        sql: &["-q", "--query"],
        files: &["-f", "--filename"],
        password: &["--password", "--token"],
        short_password: None,
        password_env: &["SNOWFLAKE_PASSWORD"],
        own: None,
    },
];

/// The effect of a client's SQL, with the files its client-side loads send
/// along (`\copy t FROM 'f'`, `LOAD DATA LOCAL INFILE 'f'`, and `\copy ...
/// FROM STDIN` or ClickHouse's `INSERT ... FORMAT` reading standard input):
/// each is read here and goes to the server with the SQL.
fn sql_effects(
    inv: &Invocation<'_>,
    client: &str,
    server: Server,
    sql: Option<String>,
    mut files: Vec<String>,
) -> Outcome {
    let Server { host, dsn, login } = server;
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
        login,
    }))
}

pub(crate) use crate::commands::Lookup;

/// A client's script files whose text is known (`psql -f FILE`, `sqlcmd
/// -i FILE`, `mysql < FILE`, written earlier): their statements are the
/// statements it runs, after those given on the line, so a file that only
/// reads is a read and one that deletes every row is that delete. The
/// files its statements load data from (`\copy t FROM 'f'`, rows piped in
/// for `COPY ... FROM STDIN`) are not scripts. A script whose text is not
/// known leaves the SQL unknown, as it was.
pub(crate) fn written_scripts(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    // The shells of databases without SQL read their scripts alike.
    super::nosql::written_scripts(outcome, text_of);
    if !is_sql_client(inv) {
        return;
    }
    let language = own_language(inv);
    let mut local = Outcome::default();
    let mut loaded: Vec<String> = Vec::new();
    for effect in &mut outcome.effects {
        let Effect::Sql(query) = effect else {
            continue;
        };
        if query.client == "pg_restore" || query.client == "dropdb" {
            continue;
        }
        let data: Vec<String> = query.sql.as_deref().map_or_else(Vec::new, |text| {
            let loads = client_loads(text);
            let mut data: Vec<String> = loads.files.iter().map(|f| inv.path(f)).collect();
            if loads.stdin && inv.has_stdin {
                data.extend(inv.stdin.files.iter().map(|f| f.path.clone()));
            }
            data
        });
        let mut statements: Vec<String> = query.sql.iter().cloned().collect();
        let mut loads: Vec<String> = Vec::new();
        let mut read_by_commands: Vec<String> = Vec::new();
        let mut added = false;
        for path in query.files.iter().filter(|f| !data.contains(f)) {
            let Some(text) = text_of(path) else {
                continue;
            };
            // `psql < FILE` already read it as standard input.
            if statements.iter().any(|s| s.contains(text.as_str())) {
                continue;
            }
            // What the script loads goes to the server with it.
            loads.extend(client_loads(&text).files.iter().map(|f| inv.path(f)));
            // The client's own commands in it run here, and the files they
            // read go to the server as it does.
            let text = own_commands(inv, language, &text, &mut local, &mut read_by_commands);
            statements.push(text);
            added = true;
        }
        if added {
            query.sql = Some(statements.join(";\n"));
            for path in loads.iter().chain(&read_by_commands) {
                if !query.files.contains(path) {
                    query.files.push(path.clone());
                }
            }
            loaded.append(&mut loads);
        }
    }
    for path in loaded {
        outcome.read(path, false);
    }
    outcome.effects.extend(local.effects);
    outcome.nested.extend(local.nested);
}

/// The client's own commands, by its program.
fn own_language(inv: &Invocation<'_>) -> Option<Language> {
    if matches!(inv.program, "sqlite3" | "sqlite" | "duckdb") {
        return Some(Language::Dot);
    }
    CLIENTS
        .iter()
        .find(|client| client.commands.iter().any(|(name, _)| *name == inv.program))
        .and_then(|client| client.own)
}

/// True for the programs this module reads as SQL clients.
fn is_sql_client(inv: &Invocation<'_>) -> bool {
    let first = inv.args.first().map(|a| a.text.as_str());
    matches!(
        inv.program,
        "sqlite3" | "sqlite" | "duckdb" | "invoke-sqlcmd" | "invoke-dbaquery" | "bq" | "cqlsh"
    ) || CLIENTS.iter().any(|client| {
        client.commands.iter().any(|(name, subcommand)| {
            *name == inv.program && subcommand.is_none_or(|word| first == Some(word))
        })
    })
}

/// The server a client connects to and how it logs in there.
#[derive(Default)]
struct Server {
    host: Option<String>,
    dsn: Option<String>,
    login: Payload,
}

/// What the line gives a client to log in with: the values of its
/// password options and the password variables set for it.
fn login(inv: &Invocation<'_>, passwords: &[&Arg], variables: &[&str]) -> Payload {
    let mut login = Payload::default();
    let set = variables.iter().filter_map(|name| inv.env_value(name));
    for value in passwords.iter().copied().chain(set) {
        flow::merge(&mut login, &value.payload());
    }
    login
}

/// The arguments without those that attach a password to `short`
/// (`-pSECRET`, which would otherwise read as a cluster of options), and
/// those passwords.
fn without_short_password(args: &[Arg], short: Option<char>) -> (Vec<Arg>, Vec<Arg>) {
    let Some(short) = short else {
        return (args.to_vec(), Vec::new());
    };
    let prefix = format!("-{short}");
    args.iter().cloned().partition(|arg| {
        !arg.text
            .strip_prefix(prefix.as_str())
            .is_some_and(|rest| !rest.is_empty() && !arg.text.starts_with("--"))
    })
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
    // Snowflake's `PUT file://PATH @stage` uploads a local file (its path
    // quoted when it has spaces).
    for (at, _) in lower.match_indices("put ") {
        let starts_statement = lower[..at]
            .trim_end()
            .chars()
            .next_back()
            .is_none_or(|c| c == ';');
        let operand = sql[at + 4..].trim_start();
        let (operand, ends): (&str, &[char]) = match operand.strip_prefix(['\'', '"']) {
            Some(inner) => (inner, &['\'', '"']),
            None => (operand, &[' ', '\t', '\n', ';']),
        };
        let path = operand
            .get(..7)
            .filter(|scheme| scheme.eq_ignore_ascii_case("file://"))
            .and_then(|_| operand.get(7..))
            .and_then(|path| path.split(ends).next())
            .filter(|path| starts_statement && !path.is_empty());
        if let Some(path) = path {
            loads.files.push(path.to_owned());
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

/// A client from [`CLIENTS`]: its server from its options, a URI among
/// its operands, or its environment; its SQL from its options or standard
/// input.
fn tabled(inv: &Invocation<'_>, client: &Client) -> Outcome {
    let (words, attached_passwords) = without_short_password(inv.args, client.short_password);
    let items = args::parse(&words, &client.spec);
    let dsn = args::values(&items, client.dsn)
        .into_iter()
        .chain(args::positionals(&items))
        .chain(args::values(&items, client.host))
        .find(|a| a.text.contains("://") || is_conninfo(&a.text))
        .map(|a| a.text.clone());
    let env = |names: &[&str]| names.iter().find_map(|name| inv.env_value(name));
    let host = args::value(&items, client.host)
        .map(|h| server_host(&h.text))
        .or_else(|| args::value(&items, client.account).map(|a| snowflake_host(&a.text)))
        .or_else(|| dsn.as_deref().and_then(dsn_host))
        .or_else(|| env(client.host_env).map(|h| server_host(&h.text)))
        .or_else(|| env(client.account_env).map(|a| snowflake_host(&a.text)));
    let (stdin_files, script_files): (Vec<&Arg>, Vec<&Arg>) = args::values(&items, client.files)
        .into_iter()
        .partition(|f| reads_stdin(&f.text));
    let mut files: Vec<String> = script_files.iter().map(|f| file_path(inv, f)).collect();
    let mut local = Outcome::default();
    let given: Vec<&Arg> = args::values(&items, client.sql);
    let statements: Vec<String> = given
        .iter()
        .map(|a| own_commands(inv, client.own, &a.text, &mut local, &mut files))
        .filter(|s| !s.is_empty())
        .collect();
    let mut sql = (!given.is_empty()).then(|| statements.join("; "));
    if (sql.is_none() && files.is_empty()) || !stdin_files.is_empty() {
        let given = sql.is_some();
        stdin_sql(inv, &mut sql, &mut files);
        if !given && let Some(text) = sql.take() {
            sql = Some(own_commands(inv, client.own, &text, &mut local, &mut files));
        }
    }
    output_options(inv, client.own, &items, &mut local);
    let attached: Vec<Arg> = attached_passwords
        .iter()
        .map(|a| a.with_text(a.text.get(2..).unwrap_or_default()))
        .collect();
    let mut passwords: Vec<&Arg> = args::values(&items, client.password);
    passwords.extend(&attached);
    // `user:password@host` given as a server option.
    let userinfo: Vec<Arg> = args::values(&items, client.host)
        .into_iter()
        .filter(|h| !h.text.contains("://"))
        .filter_map(|h| {
            let (userinfo, _) = h.text.rsplit_once('@')?;
            userinfo.contains(':').then(|| h.with_text(userinfo))
        })
        .collect();
    passwords.extend(&userinfo);
    let login = login(inv, &passwords, client.password_env);
    let outcome = sql_effects(inv, inv.program, Server { host, dsn, login }, sql, files);
    with_local(outcome, local)
}

/// A client's outcome with what its own commands do on this machine.
fn with_local(mut outcome: Outcome, local: Outcome) -> Outcome {
    outcome.effects.extend(local.effects);
    outcome.nested.extend(local.nested);
    outcome
}

/// Takes the client's own commands out of `text` ([`meta::split`]):
/// what they run and write goes to `local`, the files of statements or
/// rows they read to `files` (rows are read here too); the SQL left is
/// what the server is sent.
fn own_commands(
    inv: &Invocation<'_>,
    language: Option<Language>,
    text: &str,
    local: &mut Outcome,
    files: &mut Vec<String>,
) -> String {
    let Some(language) = language else {
        return text.to_owned();
    };
    let split = meta::split(text, language);
    for action in split.actions {
        match action {
            Action::Shell(text) => local.nested.push(Nested::Script {
                text,
                what: format!("{} client command", inv.program),
            }),
            Action::Write { path, append } => local.write(inv.path(&path), append),
            Action::Data(path) => {
                let path = inv.path(&path);
                local.read(path.clone(), false);
                files.push(path);
            }
            Action::Script(path) => files.push(inv.path(&path)),
            Action::Upload {
                target,
                files: read,
                source,
            } => {
                let mut payload = Payload::default();
                flow::push_text(&mut payload, &source);
                for path in read {
                    super::send_file(inv, &mut payload, &path, false);
                }
                local.effects.push(super::request(
                    inv.program,
                    target,
                    "UPLOAD",
                    payload,
                    false,
                ));
            }
        }
    }
    split.sql
}

/// Options that send a client's output elsewhere: psql's `-o FILE|'|CMD'`
/// and `-L FILE` (usql's `--out`), mysql's `--tee=FILE` and
/// `--pager=CMD`.
fn output_options(
    inv: &Invocation<'_>,
    language: Option<Language>,
    items: &[args::Item<'_>],
    local: &mut Outcome,
) {
    let (outputs, logs, pagers): (&[&str], &[&str], &[&str]) = match language {
        Some(Language::Psql) => (&["-o", "--output", "--out"], &["-L", "--log-file"], &[]),
        Some(Language::Mysql) => (&[], &["--tee"], &["--pager"]),
        Some(Language::Dot | Language::ClickHouse { .. }) | None => return,
    };
    for output in args::values(items, outputs) {
        match output.text.strip_prefix('|') {
            Some(command) => pagers_run(inv, command, local),
            None => local.write(inv.path(&output.text), false),
        }
    }
    for log in args::values(items, logs) {
        local.write(inv.path(&log.text), true);
    }
    for pager in args::values(items, pagers) {
        pagers_run(inv, &pager.text, local);
    }
}

/// A command the client pipes its output to.
fn pagers_run(inv: &Invocation<'_>, command: &str, local: &mut Outcome) {
    if !command.trim().is_empty() {
        local.nested.push(Nested::Script {
            text: command.trim().to_owned(),
            what: format!("{} output", inv.program),
        });
    }
}

/// The server of a Snowflake account identifier (`orgname-acct`,
/// `xy12345.us-east-1`): `ACCOUNT.snowflakecomputing.com`, or the
/// account itself when it is already that host.
fn snowflake_host(account: &str) -> String {
    let account = account.trim().trim_end_matches('/').to_ascii_lowercase();
    let account = account
        .split_once("://")
        .map_or(account.as_str(), |(_, rest)| rest);
    if account == "snowflakecomputing.com" || account.ends_with(".snowflakecomputing.com") {
        account.to_owned()
    } else {
        format!("{account}.snowflakecomputing.com")
    }
}

/// The host of a server option: `host`, `host:port`, `tcp:host,port`,
/// `host\instance`, `user@host:port/db`, or a URI.
pub(super) fn server_host(text: &str) -> String {
    if text.starts_with('/') {
        // A Unix socket, or the directory that holds it (`psql -h
        // /var/run/postgresql`): a server on this machine.
        return text.to_owned();
    }
    if text.contains("://") {
        return uri_host(text).unwrap_or_default();
    }
    let text = text.strip_prefix("tcp:").unwrap_or(text);
    let text = text.rsplit_once('@').map_or(text, |(_, h)| h);
    let text = text.split(['/', ',', '\\']).next().unwrap_or_default();
    strip_port(text)
}

/// A script file that is standard input (`psql -f -`).
fn reads_stdin(path: &str) -> bool {
    matches!(path, "-" | "/dev/stdin" | "/dev/fd/0")
}

/// `cqlsh [HOST [PORT]] [-e CQL] [-f FILE] [-u USER -p PASSWORD]`:
/// Cassandra's shell, whose server is its first operand (else
/// `CQLSH_HOST`, else this machine) and whose CQL comes from `-e`, `-f`
/// or standard input.
fn cqlsh(inv: &Invocation<'_>) -> Outcome {
    let spec = Spec {
        short: "eufkpb",
        long: &[
            "execute",
            "username",
            "file",
            "keyspace",
            "password",
            "cqlshrc",
            "cqlversion",
            "protocol-version",
            "connect-timeout",
            "request-timeout",
            "encoding",
            "secure-connect-bundle",
        ],
        stop_after: None,
    };
    let items = args::parse(inv.args, &spec);
    let host = args::positionals(&items)
        .first()
        .map(|h| strip_port(&h.text))
        .or_else(|| inv.env_value("CQLSH_HOST").map(|h| strip_port(&h.text)));
    let mut sql = args::value(&items, &["-e", "--execute"]).map(|a| a.text.clone());
    let mut files: Vec<String> = args::values(&items, &["-f", "--file"])
        .iter()
        .filter(|f| !reads_stdin(&f.text))
        .map(|f| file_path(inv, f))
        .collect();
    if sql.is_none() && files.is_empty() {
        stdin_sql(inv, &mut sql, &mut files);
    }
    let passwords = args::values(&items, &["-p", "--password"]);
    let login = login(inv, &passwords, &[]);
    sql_effects(
        inv,
        inv.program,
        Server {
            host,
            dsn: None,
            login,
        },
        sql,
        files,
    )
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

fn file_path(inv: &Invocation<'_>, word: &Arg) -> String {
    if word.text == "-" {
        "-".to_owned()
    } else {
        inv.path(&word.text)
    }
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
        login: login(inv, &[], &["PGPASSWORD"]),
    }))
}

/// What a restore's statements name when its archive decides: every
/// table, or the database, it holds.
const ALL: &str = "\"*\"";

/// pg_restore's options that take a value.
const PG_RESTORE_SPEC: Spec<'static> = Spec {
    short: "dfFIjLnNPStThpU",
    long: &[
        "dbname",
        "file",
        "format",
        "index",
        "jobs",
        "use-list",
        "schema",
        "exclude-schema",
        "function",
        "superuser",
        "table",
        "trigger",
        "host",
        "port",
        "username",
        "role",
        "section",
        "filter",
        "transaction-size",
    ],
    stop_after: None,
};

/// `pg_restore -d DB [-h HOST] [-c] [-C] [-a|-s] [-t T]... [ARCHIVE]`: a
/// restore into a database, as the statements it runs there: for each
/// table, with `-c`/`--clean` `DROP TABLE IF EXISTS T` first, unless
/// `-a`/`--data-only` its `CREATE TABLE`, and unless `-s`/`--schema-only`
/// its rows loaded (`COPY T FROM STDIN`, the archive's data); with
/// `-C`/`--create` the database is created (and with `--clean` dropped
/// first). The tables are those `-t` names, or the indexes, functions and
/// triggers `-I`, `-P`, `-T` name instead; with none, every table of the
/// archive ([`ALL`]). The archive (or standard input) goes to the
/// server. Without `-d` it only writes the script out (`-f FILE`), and
/// `-l` only lists the archive: nothing reaches a server.
fn pg_restore(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &PG_RESTORE_SPEC);
    let mut archive: Vec<String> = args::positionals(&items)
        .first()
        .map(|a| vec![inv.path(&a.text)])
        .unwrap_or_default();
    if archive.is_empty() && inv.has_stdin {
        archive.extend(inv.stdin.files.iter().map(|f| f.path.clone()));
    }
    let database = args::value(&items, &["-d", "--dbname"]);
    let Some(database) = database.filter(|_| !args::has(&items, &["-l", "--list"])) else {
        // A script or a listing: the archive is read, the script written.
        let mut outcome = Outcome::default();
        for path in archive {
            outcome.read(path, false);
        }
        if let Some(file) = args::value(&items, &["-f", "--file"]).filter(|f| f.text != "-") {
            outcome.write(inv.path(&file.text), false);
        }
        return outcome;
    };
    let dsn = (database.text.contains("://") || is_conninfo(&database.text))
        .then(|| database.text.clone());
    let host = args::value(&items, &["-h", "--host"])
        .map(|h| server_host(&h.text))
        .or_else(|| dsn.as_deref().and_then(dsn_host))
        .or_else(|| inv.env_value("PGHOST").map(|h| server_host(&h.text)));
    let sections: Vec<&str> = args::values(&items, &["--section"])
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    let data_only = args::has(&items, &["-a", "--data-only"])
        || (!sections.is_empty() && sections.iter().all(|s| *s == "data"));
    let schema_only = args::has(&items, &["-s", "--schema-only"])
        || (!sections.is_empty() && !sections.contains(&"data"));
    // `--clean` with `--data-only` is refused.
    let clean = args::has(&items, &["-c", "--clean"]) && !data_only;
    let create = args::has(&items, &["-C", "--create"]);
    let named = |names: &[&str]| -> Vec<String> {
        args::values(&items, names)
            .iter()
            .map(|a| a.text.clone())
            .collect()
    };
    let mut statements = Vec::new();
    if create {
        // The archive's database, which `-d` only connects through.
        if clean {
            statements.push(format!("DROP DATABASE IF EXISTS {ALL}"));
        }
        statements.push(format!("CREATE DATABASE {ALL}"));
    }
    let mut tables = named(&["-t", "--table"]);
    let others: Vec<(&str, String)> = [
        ("INDEX", &["-I", "--index"][..]),
        ("FUNCTION", &["-P", "--function"][..]),
        ("TRIGGER", &["-T", "--trigger"][..]),
    ]
    .iter()
    .flat_map(|(kind, names)| named(names).into_iter().map(move |n| (*kind, n)))
    .collect();
    if tables.is_empty() && others.is_empty() {
        tables.push(ALL.to_owned());
    }
    for table in &tables {
        if clean {
            statements.push(format!("DROP TABLE IF EXISTS {table}"));
        }
        if !data_only {
            statements.push(format!("CREATE TABLE {table} ()"));
        }
        if !schema_only {
            statements.push(format!("COPY {table} FROM STDIN"));
        }
    }
    for (kind, name) in &others {
        if clean {
            statements.push(format!("DROP {kind} IF EXISTS {name}"));
        }
        statements.push(format!("CREATE {kind} {name}"));
    }
    let server = Server {
        host,
        dsn,
        login: login(inv, &[], &["PGPASSWORD"]),
    };
    sql_effects(
        inv,
        inv.program,
        server,
        Some(statements.join("; ")),
        archive,
    )
}

/// Options of SQLite's shell, and of DuckDB's (which descends from it),
/// that take a value; they are written with one dash or two (`-cmd SQL`,
/// `--init FILE`).
const SQLITE_SHELL_VALUES: &[&str] = &[
    "c",
    "s",
    "f",
    "cmd",
    "init",
    "separator",
    "newline",
    "nullvalue",
    "escape",
    "maxsize",
    "mmap",
    "nonce",
    "vfs",
    "format-file",
];

/// `sqlite3|duckdb [OPTIONS] [DBFILE] [SQL...]`: the database file, then
/// SQL to run; `-cmd SQL` runs before standard input is read, DuckDB's `-c
/// SQL` (or `-s`) and `-f FILE` run and exit without reading it, `-init
/// FILE` runs first. Without a file the database is in memory. What it
/// prints comes from the database file (and what it is fed).
fn sqlite_shell(inv: &Invocation<'_>) -> Outcome {
    let mut options: Vec<(&str, &Arg)> = Vec::new();
    let mut positional: Vec<&Arg> = Vec::new();
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        let name = word.text.trim_start_matches('-');
        if word.text.starts_with('-') && !name.is_empty() {
            if let Some(&known) = SQLITE_SHELL_VALUES.iter().find(|v| **v == name)
                && let Some(value) = words.next()
            {
                options.push((known, value));
            }
            continue;
        }
        positional.push(word);
    }
    let option = |names: &[&str]| -> Vec<&Arg> {
        options
            .iter()
            .filter(|(n, _)| names.contains(n))
            .map(|(_, v)| *v)
            .collect()
    };
    let dsn = positional.first().map(|db| {
        // `:memory:`, and DuckDB's remote catalogues (`md:analytics`).
        if db.text.contains(':') && !db.text.starts_with(['/', '.', '~']) {
            db.text.clone()
        } else {
            inv.path(&db.text)
        }
    });
    let run_and_exit: Vec<&Arg> = option(&["c", "s"])
        .into_iter()
        .chain(positional.iter().skip(1).copied())
        .collect();
    let mut files: Vec<String> = option(&["init", "f"])
        .iter()
        .map(|f| inv.path(&f.text))
        .collect();
    let mut local = Outcome::default();
    let given: Vec<&Arg> = option(&["cmd"])
        .into_iter()
        .chain(run_and_exit.iter().copied())
        .collect();
    let statements: Vec<String> = given
        .iter()
        .map(|a| own_commands(inv, Some(Language::Dot), &a.text, &mut local, &mut files))
        .filter(|s| !s.is_empty())
        .collect();
    let mut sql = (!given.is_empty()).then(|| statements.join("; "));
    let exits = !run_and_exit.is_empty() || !option(&["f"]).is_empty();
    if !exits && inv.has_stdin {
        if !inv.stdin.text.is_empty() {
            let piped = own_commands(
                inv,
                Some(Language::Dot),
                &inv.stdin.text.join("\n"),
                &mut local,
                &mut files,
            );
            sql = Some(match sql {
                Some(first) => format!("{first};\n{piped}"),
                None => piped,
            });
        }
        files.extend(inv.stdin.files.iter().map(|f| f.path.clone()));
    }
    let client = if inv.program == "duckdb" {
        "duckdb"
    } else {
        "sqlite3"
    };
    let opened = positional
        .first()
        .filter(|db| client == "duckdb" && is_motherduck(&db.text));
    let server = match opened {
        Some(database) => motherduck_server(inv, database),
        None => Server {
            dsn,
            ..Server::default()
        },
    };
    let printed = server
        .dsn
        .as_deref()
        .filter(|_| server.host.is_none())
        .filter(|dsn| dsn.starts_with('/'))
        .map(|database| {
            let mut printed = flow::file_payload(database.to_owned(), false);
            flow::merge(&mut printed, inv.stdin);
            printed
        });
    let mut outcome = with_local(sql_effects(inv, client, server, sql, files), local);
    // What the shell prints comes from the database file it opens, so
    // piping it on sends what that file holds.
    if printed.is_some() {
        outcome.stdout = printed;
    }
    outcome
}

/// MotherDuck's service, where DuckDB's `md:NAME` databases are.
const MOTHERDUCK_HOST: &str = "api.motherduck.com";

/// A DuckDB database at MotherDuck: `md:NAME` or `motherduck:NAME`.
fn is_motherduck(database: &str) -> bool {
    ["md:", "motherduck:"].iter().any(|prefix| {
        database
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
    })
}

/// `duckdb md:NAME[?motherduck_token=T]`: a client of MotherDuck's
/// service, logging in with the token in the path or the
/// `motherduck_token` variable the line sets for it.
fn motherduck_server(inv: &Invocation<'_>, database: &Arg) -> Server {
    let mut login = login(inv, &[], &["motherduck_token", "MOTHERDUCK_TOKEN"]);
    let in_path = database
        .text
        .split_once('?')
        .into_iter()
        .flat_map(|(_, query)| query.split('&'))
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| key.eq_ignore_ascii_case("motherduck_token"));
    if let Some((_, token)) = in_path {
        flow::merge(&mut login, &database.with_text(token).payload());
    }
    Server {
        host: Some(MOTHERDUCK_HOST.to_owned()),
        dsn: Some(database.text.clone()),
        login,
    }
}

/// Parameters of PowerShell's `Invoke-Sqlcmd` (and dbatools'
/// `Invoke-DbaQuery`: `sqlinstance`, `sqlcredential`, `file`) that take a
/// value, by their full lower-case names; `query` is also its first
/// positional one.
const INVOKE_SQLCMD_VALUES: &[&str] = &[
    "serverinstance",
    "sqlinstance",
    "sqlcredential",
    "file",
    "database",
    "query",
    "inputfile",
    "username",
    "password",
    "credential",
    "connectionstring",
    "hostname",
    "querytimeout",
    "connectiontimeout",
    "errorlevel",
    "severitylevel",
    "maxcharlength",
    "maxbinarylength",
    "variable",
    "newpassword",
    "outputas",
    "accesstoken",
    "keyvaultaccesstoken",
    "statisticsvariable",
    "applicationintent",
    "encrypt",
    "hostnameincertificate",
    "applicationname",
    "failoverpartner",
    "progressaction",
    "erroraction",
    "warningaction",
    "errorvariable",
    "outvariable",
];

const INVOKE_SQLCMD_SWITCHES: &[&str] = &[
    "encryptconnection",
    "abortonerror",
    "dedicatedadministratorconnection",
    "disablevariables",
    "disablecommands",
    "outputsqlerrors",
    "includesqlusererrors",
    "suppressprovidercontextwarning",
    "ignoreprovidercontext",
    "trustservercertificate",
    "multisubnetfailover",
    "managedidentity",
    "verbose",
    "debug",
];

/// A cmdlet's parameters: the values of those in `value_names` (full
/// lower-case names; a unique prefix names one, written without regard to
/// case, its value after a space or a colon), in order, and its
/// positional words. `switch_names` take no value.
fn powershell_parameters<'a>(
    args: &'a [Arg],
    value_names: &'static [&'static str],
    switch_names: &'static [&'static str],
) -> (Vec<(&'static str, Arg)>, Vec<&'a Arg>) {
    let mut values: Vec<(&str, Arg)> = Vec::new();
    let mut positional: Vec<&Arg> = Vec::new();
    let mut words = args.iter().peekable();
    while let Some(word) = words.next() {
        let Some(body) = word
            .text
            .strip_prefix('-')
            .filter(|b| b.starts_with(|c: char| c.is_ascii_alphabetic()))
        else {
            positional.push(word);
            continue;
        };
        let (written, attached) = match body.split_once(':') {
            Some((name, value)) => (name, Some(value)),
            None => (body, None),
        };
        let written = written.to_ascii_lowercase();
        let param = |names: &'static [&'static str]| -> Option<&'static str> {
            names.iter().find(|n| **n == written).copied().or_else(|| {
                let mut prefixed = names.iter().filter(|n| n.starts_with(written.as_str()));
                match (prefixed.next(), prefixed.next()) {
                    (Some(only), None) => Some(*only),
                    _ => None,
                }
            })
        };
        if param(switch_names).is_some() {
            continue;
        }
        let value = match attached {
            Some(text) => Some(word.with_text(text)),
            None if words.peek().is_some_and(|n| !n.text.starts_with('-')) => words.next().cloned(),
            None => None,
        };
        if let (Some(name), Some(value)) = (param(value_names), value) {
            values.push((name, value));
        }
    }
    (values, positional)
}

/// `Invoke-Sqlcmd [-Query] SQL -ServerInstance HOST[\INSTANCE] | -InputFile
/// F | -ConnectionString 'Server=HOST;...'`, `sqlcmd -S` in PowerShell, and
/// dbatools' `Invoke-DbaQuery -SqlInstance HOST [-Query SQL | -File F]`:
/// parameter names are matched without regard to case, and a unique
/// prefix of one names it (`-Server`), its value after a space or a colon.
fn invoke_sqlcmd(inv: &Invocation<'_>) -> Outcome {
    let (values, positional) =
        powershell_parameters(inv.args, INVOKE_SQLCMD_VALUES, INVOKE_SQLCMD_SWITCHES);
    let value = |name: &str| {
        values
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    };
    let host = value("serverinstance")
        .or_else(|| value("sqlinstance"))
        .map(|s| server_host(&s.text))
        .or_else(|| value("connectionstring").and_then(|c| connection_string_host(&c.text)));
    let sql = value("query")
        .or_else(|| positional.first().copied())
        .map(|q| q.text.clone());
    let files = value("inputfile")
        .or_else(|| value("file"))
        .map(|f| vec![inv.path(&f.text)])
        .unwrap_or_default();
    let in_string = value("connectionstring").and_then(|c| {
        connection_string_value(&c.text, &["password", "pwd"]).map(|p| c.with_text(&p))
    });
    let mut passwords: Vec<&Arg> = ["password", "accesstoken"]
        .iter()
        .filter_map(|name| value(name))
        .collect();
    passwords.extend(&in_string);
    let server = Server {
        host,
        login: login(inv, &passwords, &["SQLCMDPASSWORD"]),
        ..Server::default()
    };
    sql_effects(inv, "invoke-sqlcmd", server, sql, files)
}

/// dbatools' removals, by cmdlet: the parameter naming what goes and
/// the statement that removes it.
const DBATOOLS_REMOVALS: &[(&str, &str, &str)] = &[
    ("remove-dbadatabase", "database", "DROP DATABASE"),
    ("remove-dbadbtable", "table", "DROP TABLE"),
    ("remove-dbalogin", "login", "DROP LOGIN"),
    ("remove-dbadbuser", "user", "DROP USER"),
];

/// Parameters of dbatools' removals that take a value.
const DBATOOLS_REMOVAL_VALUES: &[&str] = &[
    "sqlinstance",
    "sqlcredential",
    "database",
    "table",
    "login",
    "user",
    "schema",
    "inputobject",
    "erroraction",
    "warningaction",
];

/// dbatools' `Remove-DbaDatabase -SqlInstance HOST -Database a,b` (and its
/// table, login and user removals): the statement they run on that server,
/// `DROP DATABASE a, b`. `None` without the names (objects piped in).
fn dbatools_removal(inv: &Invocation<'_>) -> Option<Outcome> {
    let (_, parameter, statement) = DBATOOLS_REMOVALS
        .iter()
        .find(|(cmdlet, _, _)| *cmdlet == inv.program)?;
    let (values, _) = powershell_parameters(
        inv.args,
        DBATOOLS_REMOVAL_VALUES,
        &["enableexception", "force", "whatif"],
    );
    let value = |name: &str| {
        values
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    };
    let names: Vec<&str> = value(parameter)?
        .text
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect();
    if names.is_empty() {
        return None;
    }
    let server = Server {
        host: value("sqlinstance").map(|s| server_host(&s.text)),
        login: login(inv, &[], &[]),
        ..Server::default()
    };
    let sql = format!("{statement} {}", names.join(", "));
    Some(sql_effects(inv, inv.program, server, Some(sql), Vec::new()))
}

/// The server of an ADO.NET connection string (`Server=tcp:h,1433;...`,
/// `Data Source=h\SQLEXPRESS;...`).
fn connection_string_host(text: &str) -> Option<String> {
    connection_string_value(
        text,
        &[
            "server",
            "data source",
            "address",
            "addr",
            "network address",
        ],
    )
    .map(|value| server_host(&value))
    .filter(|h| !h.is_empty())
}

/// The value of the first of `keys` (lower-case) an ADO.NET connection
/// string sets.
pub(super) fn connection_string_value(text: &str, keys: &[&str]) -> Option<String> {
    text.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        let key = key.trim().to_ascii_lowercase();
        keys.contains(&key.as_str())
            .then(|| value.trim().to_owned())
            .filter(|v| !v.is_empty())
    })
}

/// bq's global flags that take a value when written `--flag VALUE`.
const BQ_GLOBAL_VALUES: &[&str] = &[
    "--project_id",
    "--dataset_id",
    "--location",
    "--format",
    "--api",
    "--api_version",
    "--apilog",
    "--bigqueryrc",
    "--ca_certificates_file",
    "--credential_file",
    "--job_id",
    "--max_rows_per_request",
    "--service_account",
    "--service_account_credential_file",
    "--service_account_private_key_file",
    "--trace",
    "--httplib2_debuglevel",
];

/// `bq [GLOBAL FLAGS] query [FLAGS] 'SQL'` (or SQL on standard input):
/// the query runs in BigQuery, a service of no host of the
/// organisation's; what it writes out (`EXPORT DATA`) is in the SQL.
/// `None` for bq's other commands.
fn bq_query(inv: &Invocation<'_>) -> Option<Outcome> {
    let mut rest = inv.args;
    loop {
        let (first, tail) = rest.split_first()?;
        if !first.text.starts_with('-') {
            if first.text != "query" {
                return None;
            }
            rest = tail;
            break;
        }
        rest = match tail.split_first() {
            Some(_) if BQ_GLOBAL_VALUES.contains(&first.text.as_str()) => {
                tail.get(1..).unwrap_or_default()
            }
            _ => tail,
        };
    }
    let items = args::parse(
        rest,
        &Spec {
            short: "n",
            long: &[
                "destination_table",
                "parameter",
                "max_rows",
                "label",
                "maximum_bytes_billed",
                "job_id",
                "location",
                "project_id",
                "dataset_id",
                "format",
                "schedule",
                "display_name",
                "target_dataset",
                "destination_kms_key",
                "destination_schema",
                "external_table_definition",
                "time_partitioning_field",
                "time_partitioning_type",
                "time_partitioning_expiration",
                "clustering_fields",
                "range_partitioning",
                "connection_property",
                "udf_resource",
                "schema_update_option",
                "script_statement_timeout_ms",
                "job_timeout_ms",
                "reservation_id",
                "session_id",
                "request_id",
            ],
            stop_after: None,
        },
    );
    let words: Vec<&str> = args::positionals(&items)
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    let mut sql = (!words.is_empty()).then(|| words.join(" "));
    let mut files = Vec::new();
    if sql.is_none() {
        stdin_sql(inv, &mut sql, &mut files);
    }
    Some(sql_effects(inv, "bq", Server::default(), sql, files))
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
        assert_eq!(
            client_loads("PUT file:///tmp/c.csv @~/staged; LIST @~").files,
            ["/tmp/c.csv"]
        );
        assert_eq!(
            client_loads("use db; put 'file://exports/my c.csv' @%t").files,
            ["exports/my c.csv"]
        );
        assert_eq!(client_loads("SELECT input FROM t"), Loads::default());
        assert_eq!(client_loads("select 1"), Loads::default());
    }
}
