//! sqlmap, the SQL injection tool. With `-d DSN` it connects to the
//! database itself (`DBMS://USER:PASSWORD@HOST:PORT/DB`, or
//! `DBMS://FILE` for SQLite) and runs what it is told there: `--sql-query`,
//! `--sql-file`, an interactive `--sql-shell`, the enumerations and dumps
//! (`--dump`, `--tables`, `--passwords`: reads), operating system commands
//! on the server (`--os-cmd`, `--os-shell`) and files written there
//! (`--file-write LOCAL --file-dest PATH`). With `-u URL` it sends HTTP
//! requests to that URL (`--data` makes them POSTs), and the SQL it is
//! told to run goes to the database behind that site.

use super::super::{Invocation, Nested, Outcome};
use super::{Server, sql_effects, uri_host};
use crate::args::{self, Arg, Spec};
use crate::{DataClass, DataCommand, Effect, Payload, Target, flow};

const SPEC: Spec<'static> = Spec {
    short: "udlmrgcxpDTCUXAHstvz",
    long: &[
        "url",
        "direct",
        "data",
        "method",
        "cookie",
        "headers",
        "header",
        "user-agent",
        "referer",
        "sql-query",
        "sql-file",
        "os-cmd",
        "file-read",
        "file-write",
        "file-dest",
        "dbms",
        "os",
        "level",
        "risk",
        "technique",
        "tamper",
        "threads",
        "proxy",
        "output-dir",
        "answers",
        "where",
        "search",
        "auth-type",
        "auth-cred",
        "csrf-token",
        "csrf-url",
        "prefix",
        "suffix",
        "string",
        "regexp",
        "eval",
        "timeout",
        "delay",
        "retries",
        "crawl",
        "scope",
        "second-url",
        "dump-format",
        "start",
        "stop",
        "first",
        "last",
        "tmp-path",
        "msf-path",
        "shared-lib",
    ],
    stop_after: None,
};

/// Options that only read the database: its enumerations and dumps.
const READS: &[&str] = &[
    "--dump",
    "--dump-all",
    "--tables",
    "--columns",
    "--schema",
    "--count",
    "--dbs",
    "--users",
    "--passwords",
    "--privileges",
    "--roles",
    "--banner",
    "-b",
    "--all",
    "-a",
    "--current-user",
    "--current-db",
    "--hostname",
    "--is-dba",
    "--statements",
    "--file-read",
];

/// Options opening an interactive shell on the server, whose commands are
/// not on the line.
const OS_SHELLS: &[&str] = &["--os-shell", "--os-pwn", "--os-smbrelay", "--os-bof"];

pub(super) fn handle(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &SPEC);
    let mut outcome = Outcome::default();
    let direct = args::value(&items, &["-d", "--direct"]);
    let url = args::value(&items, &["-u", "--url"]);
    for file in args::values(&items, &["-r", "-m", "-l", "-c", "-x"]) {
        outcome.read(inv.path(&file.text), false);
    }
    if let Some(url) = url {
        outcome.effects.push(web_request(&items, url));
    }
    let host = direct
        .and_then(|d| uri_host(&d.text))
        .or_else(|| url.and_then(|u| uri_host(&u.text)));
    let sql = args::value(&items, &["--sql-query"]).map(|q| q.text.clone());
    let files: Vec<String> = args::values(&items, &["--sql-file"])
        .iter()
        .map(|f| inv.path(&f.text))
        .collect();
    let shell = args::has(&items, &["--sql-shell"]);
    if sql.is_some() || !files.is_empty() || shell {
        let server = Server {
            host: host.clone(),
            dsn: direct.map(|d| d.text.clone()),
            login: Payload::default(),
        };
        let effects = sql_effects(inv, "sqlmap", server, sql, files);
        outcome.effects.extend(effects.effects);
    }
    let ran_sql = outcome.effects.iter().any(|e| matches!(e, Effect::Sql(_)));
    if let Some(direct) = direct
        && (!ran_sql || items.iter().any(|i| i.is(READS)))
    {
        // Connecting fingerprints the server, at least.
        outcome.effects.push(Effect::DataCommand(DataCommand {
            client: "sqlmap".to_owned(),
            host: host.clone(),
            command: None,
            files: Vec::new(),
            class: DataClass::Read,
            login: super::super::migrate::dsn_login(direct),
        }));
    }
    if let Some(host) = host {
        on_server(inv, &items, &host, &mut outcome);
    }
    outcome
}

/// The HTTP requests sqlmap sends to a target URL: its method (`--method`,
/// else POST when `--data` is given), with the data, cookies and headers
/// it is given.
fn web_request(items: &[args::Item<'_>], url: &Arg) -> Effect {
    let data = args::value(items, &["--data"]);
    let method = args::value(items, &["--method"])
        .map(|m| m.text.to_ascii_uppercase())
        .unwrap_or_else(|| if data.is_some() { "POST" } else { "GET" }.to_owned());
    let mut payload = Payload::default();
    let sent = [
        "--data",
        "--cookie",
        "-H",
        "--headers",
        "--header",
        "--auth-cred",
    ];
    for value in args::values(items, &sent) {
        flow::merge(&mut payload, &value.payload());
    }
    flow::merge(&mut payload, &url.expansions());
    super::super::request(
        "sqlmap",
        super::super::url(&url.text),
        &method,
        payload,
        false,
    )
}

/// What sqlmap does on the database's server beyond SQL: the
/// command it runs there (`--os-cmd`), an interactive shell there, and
/// the local file it writes there (`--file-write F --file-dest PATH`).
fn on_server(inv: &Invocation<'_>, items: &[args::Item<'_>], host: &str, outcome: &mut Outcome) {
    if let Some(command) = args::value(items, &["--os-cmd"]) {
        outcome.nested.push(Nested::Remote {
            argv: vec![
                command.with_text("sh"),
                command.with_text("-c"),
                command.clone(),
            ],
            hosts: vec![host.to_owned()],
            cwd: "/".to_owned(),
            stdin: false,
        });
    }
    if items.iter().any(|i| i.is(OS_SHELLS)) {
        outcome
            .opaque
            .push(format!("sqlmap opens a shell on {host}"));
    }
    if let Some(local) = args::value(items, &["--file-write"]) {
        let mut payload = Payload::default();
        super::super::send_file(inv, &mut payload, &local.text, false);
        let path = args::value(items, &["--file-dest"]).map(|d| d.text.clone());
        outcome.read(inv.path(&local.text), false);
        outcome.effects.push(super::super::request(
            "sqlmap",
            Target::Host {
                user: None,
                host: host.to_owned(),
                port: None,
                path,
            },
            "UPLOAD",
            payload,
            false,
        ));
    }
}
