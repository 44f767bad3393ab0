//! Frameworks' database shells: `manage.py dbshell`, `rails dbconsole`
//! (`rails db`) and `artisan db` run the database's own client (psql,
//! mysql, sqlite3) on the connection their settings name, and Django's
//! passes it the words after `--` (`dbshell -- -c 'TRUNCATE t'`). The
//! connection is the URL the settings read by convention (`DATABASE_URL`,
//! dj-database-url's and Rails'; Laravel's `DB_URL`), set on the line or
//! exported earlier; the client runs as a nested command, so what it does
//! (its `-c`, the SQL piped into it) is read as that client's.

use super::super::{Invocation, Nested, Outcome};
use crate::args::Arg;

/// A framework's shell command: the program, the subcommands that open
/// the shell, the options that take a value, the option naming another
/// connection than the default, and the variables holding the default's URL.
struct Shell {
    program: &'static [&'static str],
    verbs: &'static [&'static str],
    valued: &'static [&'static str],
    alias: &'static [&'static str],
    default_aliases: &'static [&'static str],
    url_vars: &'static [&'static str],
    /// Whether the words after `--` go to the client.
    passes_through: bool,
}

const SHELLS: &[Shell] = &[
    Shell {
        program: &["manage.py", "django-admin"],
        verbs: &["dbshell"],
        valued: &[
            "--database",
            "--settings",
            "--pythonpath",
            "-v",
            "--verbosity",
        ],
        alias: &["--database"],
        default_aliases: &["default"],
        url_vars: &["DATABASE_URL"],
        passes_through: true,
    },
    Shell {
        program: &["rails"],
        verbs: &["dbconsole", "db"],
        valued: &["-e", "--environment", "--db", "--database", "--mode"],
        alias: &["--db", "--database"],
        default_aliases: &["primary"],
        url_vars: &["DATABASE_URL"],
        passes_through: false,
    },
    Shell {
        program: &["artisan"],
        verbs: &["db"],
        valued: &["--env"],
        alias: &[],
        default_aliases: &[],
        url_vars: &["DB_URL", "DATABASE_URL"],
        passes_through: false,
    },
];

/// The shell `program` opens with `words`, run as its database's client;
/// `None` when the words open no shell or its connection is not known.
pub(super) fn handle(inv: &Invocation<'_>, program: &str, words: &[Arg]) -> Option<Outcome> {
    let shell = SHELLS.iter().find(|s| s.program.contains(&program))?;
    let (own, passed) = match words.iter().position(|w| w.text == "--") {
        Some(at) => (&words[..at], words.get(at + 1..).unwrap_or_default()),
        None => (words, &[][..]),
    };
    let positionals = positionals(own, shell.valued);
    let verb = positionals.first()?;
    if !shell.verbs.contains(&verb.text.as_str()) {
        return None;
    }
    // Laravel's `artisan db NAME` opens the connection NAME.
    let other_positional = program == "artisan" && positionals.len() > 1;
    if other_positional || !default_alias(shell, own) {
        return None;
    }
    let url = shell.url_vars.iter().find_map(|v| inv.env_value(v))?;
    let (mut argv, env) = client_argv(url)?;
    if shell.passes_through {
        argv.extend(passed.iter().cloned());
    }
    let mut outcome = Outcome::default();
    outcome.nested.push(Nested::Argv {
        argv,
        env,
        cwd: None,
    });
    Some(outcome)
}

/// The words that are not options nor their values.
fn positionals<'a>(words: &'a [Arg], valued: &[&str]) -> Vec<&'a Arg> {
    let mut found = Vec::new();
    let mut skip = false;
    for word in words {
        if skip {
            skip = false;
        } else if word.text.starts_with('-') {
            skip = valued.contains(&word.text.as_str());
        } else {
            found.push(word);
        }
    }
    found
}

/// Whether the shell opens the default connection, the one the URL
/// variable configures (no alias option, or the default's name).
fn default_alias(shell: &Shell, words: &[Arg]) -> bool {
    let mut named: Option<&str> = None;
    for (index, word) in words.iter().enumerate() {
        let text = word.text.as_str();
        if let Some((name, value)) = text.split_once('=')
            && shell.alias.contains(&name)
        {
            named = Some(value);
        } else if shell.alias.contains(&text) {
            named = words.get(index + 1).map(|a| a.text.as_str());
        }
    }
    named.is_none_or(|n| shell.default_aliases.contains(&n))
}

/// A client's words and the variables set for it.
type ClientRun = (Vec<Arg>, Vec<(String, Arg)>);

/// The client a database URL's scheme names and its arguments (with the
/// environment that gives it the password); the program's name is a
/// literal word, its values carry the URL's expansions: `psql URL` for PostgreSQL and
/// its kin, `mysql -h HOST -P PORT -u USER DB` for MySQL, `sqlite3 FILE`.
fn client_argv(url: &Arg) -> Option<ClientRun> {
    let (scheme, rest) = url.text.split_once(':')?;
    let scheme = scheme.to_ascii_lowercase();
    let engine = scheme.split('+').next().unwrap_or_default();
    let word = |text: &str| url.with_text(text);
    match engine {
        "postgres" | "postgresql" | "pgsql" | "postgis" | "timescale" | "timescalegis"
        | "cockroach" | "redshift" => {
            let rest = rest.strip_prefix("//")?;
            Some((
                vec![Arg::literal("psql"), word(&format!("postgresql://{rest}"))],
                Vec::new(),
            ))
        }
        "mysql" | "mysql2" | "mysqlgis" | "mysql-connector" | "mariadb" | "trilogy" => {
            Some(mysql_argv(url, rest.strip_prefix("//")?))
        }
        "sqlite" | "sqlite3" | "spatialite" => {
            // `sqlite:////abs/path`, `sqlite:///rel/path`, Rails' `sqlite3:db/x.sqlite3`.
            let path = match rest.strip_prefix("//") {
                Some(after) => after.strip_prefix('/').unwrap_or(after),
                None => rest,
            };
            (!path.is_empty() && path != ":memory:")
                .then(|| (vec![Arg::literal("sqlite3"), word(path)], Vec::new()))
        }
        _ => None,
    }
}

/// `mysql://USER:PASSWORD@HOST:PORT/DB` as mysql's options, the password
/// in `MYSQL_PWD` (as Django's and Rails' shells give it).
fn mysql_argv(url: &Arg, rest: &str) -> ClientRun {
    let word = |text: &str| url.with_text(text);
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let (userinfo, hostport) = authority.rsplit_once('@').unwrap_or(("", authority));
    let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
    let (host, port) = hostport.split_once(':').unwrap_or((hostport, ""));
    let database = path.split('?').next().unwrap_or_default();
    let mut argv = vec![Arg::literal("mysql")];
    for (flag, value) in [("-h", host), ("-P", port), ("-u", user)] {
        if !value.is_empty() {
            argv.extend([Arg::literal(flag), word(value)]);
        }
    }
    if !database.is_empty() {
        argv.push(word(database));
    }
    let env = if password.is_empty() {
        Vec::new()
    } else {
        vec![("MYSQL_PWD".to_owned(), word(password))]
    };
    (argv, env)
}
