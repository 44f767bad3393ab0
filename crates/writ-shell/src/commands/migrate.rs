//! Schema migration runners (Prisma, Alembic, Flyway, Liquibase, Django,
//! Rails, Sequelize, Knex, TypeORM, dbmate, goose, golang-migrate, Atlas,
//! sqitch, Supabase, Laravel, Ecto, EF Core): each changes the schema of
//! the database its connection string names (or, for a reset, drops
//! everything in it), in the environment it is told to use.
//!
//! A run reports a [`DataCommand`] to the connection's host, classed by
//! the subcommand (`migrate deploy` writes, `migrate reset` destroys,
//! `status` reads; undoing every migration, as `db:migrate:undo:all` or
//! `downgrade base` do, drops every table they made), with the password
//! the connection string carries (what psql given the same string sends),
//! and a [`Deploy`] to the environment it names (`RAILS_ENV=production`,
//! `--env production`, a settings module such as
//! `app.settings.production`): a schema change released to an environment.
//! A line that names no connection uses the one its configuration file
//! names for that environment, when an earlier step wrote it
//! (`migrate/config.rs`). A dry run (`--dry-run`, Alembic's `--sql`) changes nothing.
//! SQL a runner is given to run as it is (`liquibase execute-sql --sql`)
//! is that SQL sent to the connection (`migrate/statements.rs`), and a
//! framework's database shell (`manage.py dbshell`) is its database's
//! client on that connection (`migrate/shells.rs`). Supabase's commands
//! on its linked project, which name no connection, are
//! `migrate/supabase.rs`'s.
//!
//! A run that applies migrations also sends the statements of the
//! migration files it applies that earlier steps wrote (`V44__drop.sql`
//! holding `DROP TABLE t`, a Rails migration's `drop_table :t`), as SQL
//! to its connection, so the SQL reader classes them
//! (`migrate/applied.rs`, `migrate/code.rs`). The online schema change
//! tools (`pt-online-schema-change`, `gh-ost`) send the `ALTER TABLE` they
//! make (`migrate/online.rs`).

mod applied;
mod code;
mod config;
mod online;
mod shells;
mod statements;
mod supabase;

use applied::Listing;

use super::sql::{dsn_host, is_conninfo};
use super::{Invocation, Outcome};
use crate::args::Arg;
use crate::{DataClass, DataCommand, Deploy, Effect, Payload, Sql, flow};

/// A migration runner's subcommands: the words that name them (joined by
/// a space) and what each does. A word not listed does nothing we know of.
struct Runner {
    /// Program names, or for scripts run by an interpreter the script's
    /// file name (`manage.py`, `artisan`).
    names: &'static [&'static str],
    verbs: &'static [(&'static str, DataClass)],
    /// The variables that name its environment (`RAILS_ENV`).
    env_vars: &'static [&'static str],
    /// The option without which it works on a local copy only
    /// (`wrangler d1 ... --remote`).
    remote_flag: Option<&'static str>,
}

use DataClass::{Destroy, Read, Write};

const RUNNERS: &[Runner] = &[
    Runner {
        names: &["prisma"],
        verbs: &[
            ("migrate deploy", Write),
            ("migrate dev", Write),
            ("migrate resolve", Write),
            ("migrate reset", Destroy),
            ("migrate status", Read),
            ("migrate diff", Read),
            ("db push", Write),
            ("db execute", Write),
            ("db seed", Write),
            ("db pull", Read),
        ],
        env_vars: &[],
        remote_flag: None,
    },
    Runner {
        names: &["alembic"],
        verbs: &[
            ("upgrade", Write),
            ("downgrade", Write),
            ("stamp", Write),
            ("current", Read),
            ("history", Read),
            ("heads", Read),
            ("check", Read),
        ],
        env_vars: &[],
        remote_flag: None,
    },
    Runner {
        names: &["flyway"],
        verbs: &[
            ("migrate", Write),
            ("repair", Write),
            ("baseline", Write),
            ("undo", Write),
            ("clean", Destroy),
            ("info", Read),
            ("validate", Read),
        ],
        env_vars: &[],
        remote_flag: None,
    },
    Runner {
        names: &["liquibase"],
        verbs: &[
            ("update", Write),
            ("updatecount", Write),
            ("updatetotag", Write),
            ("rollback", Write),
            ("rollbackcount", Write),
            ("rollbacktodate", Write),
            ("changelogsync", Write),
            ("executesql", Write),
            ("dropall", Destroy),
            ("status", Read),
            ("history", Read),
            ("updatesql", Read),
            ("validate", Read),
            ("diff", Read),
        ],
        env_vars: &[],
        remote_flag: None,
    },
    Runner {
        names: &["manage.py", "django-admin"],
        verbs: &[
            ("migrate", Write),
            ("loaddata", Write),
            ("flush", Destroy),
            ("reset_db", Destroy),
            ("showmigrations", Read),
            ("sqlmigrate", Read),
        ],
        env_vars: &["DJANGO_SETTINGS_MODULE"],
        remote_flag: None,
    },
    Runner {
        names: &["rails", "rake"],
        verbs: &[
            ("db:migrate", Write),
            ("db:rollback", Write),
            ("db:migrate:redo", Write),
            ("db:migrate:up", Write),
            ("db:migrate:down", Write),
            ("db:seed", Write),
            ("db:setup", Write),
            ("db:prepare", Write),
            ("db:create", Write),
            ("db:drop", Destroy),
            ("db:reset", Destroy),
            ("db:purge", Destroy),
            ("db:schema:load", Destroy),
            ("db:truncate_all", Destroy),
            ("db:seed:replant", Destroy),
            ("db:migrate:status", Read),
            ("db:version", Read),
        ],
        env_vars: &["RAILS_ENV", "RACK_ENV"],
        remote_flag: None,
    },
    Runner {
        names: &["sequelize", "sequelize-cli"],
        verbs: &[
            ("db:migrate", Write),
            ("db:migrate:undo", Write),
            ("db:migrate:undo:all", Write),
            ("db:seed", Write),
            ("db:seed:all", Write),
            ("db:seed:undo", Write),
            ("db:seed:undo:all", Write),
            ("db:create", Write),
            ("db:drop", Destroy),
            ("db:migrate:status", Read),
        ],
        env_vars: &["NODE_ENV"],
        remote_flag: None,
    },
    Runner {
        names: &["knex"],
        verbs: &[
            ("migrate:latest", Write),
            ("migrate:up", Write),
            ("migrate:down", Write),
            ("migrate:rollback", Write),
            ("seed:run", Write),
            ("migrate:status", Read),
            ("migrate:list", Read),
        ],
        env_vars: &["NODE_ENV"],
        remote_flag: None,
    },
    Runner {
        names: &["typeorm", "typeorm-ts-node-commonjs", "typeorm-ts-node-esm"],
        verbs: &[
            ("migration:run", Write),
            ("migration:revert", Write),
            ("schema:sync", Write),
            ("schema:drop", Destroy),
            ("migration:show", Read),
            ("schema:log", Read),
            ("query", Write),
        ],
        env_vars: &["NODE_ENV"],
        remote_flag: None,
    },
    Runner {
        names: &["dbmate"],
        verbs: &[
            ("up", Write),
            ("migrate", Write),
            ("rollback", Write),
            ("down", Write),
            ("load", Write),
            ("create", Write),
            ("drop", Destroy),
            ("status", Read),
            ("dump", Read),
        ],
        env_vars: &[],
        remote_flag: None,
    },
    Runner {
        names: &["goose"],
        verbs: &[
            ("up", Write),
            ("up-by-one", Write),
            ("up-to", Write),
            ("down", Write),
            ("down-to", Write),
            ("redo", Write),
            ("reset", Destroy),
            ("status", Read),
            ("version", Read),
        ],
        env_vars: &[],
        remote_flag: None,
    },
    Runner {
        names: &["migrate"],
        verbs: &[
            ("up", Write),
            ("down", Write),
            ("goto", Write),
            ("force", Write),
            ("drop", Destroy),
            ("version", Read),
        ],
        env_vars: &[],
        remote_flag: None,
    },
    Runner {
        names: &["atlas"],
        verbs: &[
            ("schema apply", Write),
            ("migrate apply", Write),
            ("migrate down", Write),
            ("schema clean", Destroy),
            ("schema inspect", Read),
            ("migrate status", Read),
            ("schema diff", Read),
        ],
        env_vars: &[],
        remote_flag: None,
    },
    Runner {
        names: &["sqitch"],
        verbs: &[
            ("deploy", Write),
            ("revert", Write),
            ("rebase", Write),
            ("checkout", Write),
            ("status", Read),
            ("verify", Read),
        ],
        env_vars: &[],
        remote_flag: None,
    },
    Runner {
        names: &["supabase"],
        verbs: &[
            ("db push", Write),
            ("migration up", Write),
            ("migration repair", Write),
            ("db reset", Destroy),
            ("db diff", Read),
            ("db dump", Read),
            ("db pull", Read),
            ("db lint", Read),
            ("migration list", Read),
            ("migration fetch", Read),
            ("migration down", Write),
        ],
        env_vars: &[],
        remote_flag: None,
    },
    Runner {
        names: &["artisan"],
        verbs: &[
            ("migrate", Write),
            ("migrate:rollback", Write),
            ("db:seed", Write),
            ("migrate:fresh", Destroy),
            ("migrate:refresh", Destroy),
            ("migrate:reset", Destroy),
            ("db:wipe", Destroy),
            ("migrate:status", Read),
        ],
        env_vars: &["APP_ENV"],
        remote_flag: None,
    },
    Runner {
        names: &["mix"],
        verbs: &[
            ("ecto.migrate", Write),
            ("ecto.rollback", Write),
            ("ecto.create", Write),
            ("ecto.drop", Destroy),
            ("ecto.reset", Destroy),
            ("ecto.migrations", Read),
        ],
        env_vars: &["MIX_ENV"],
        remote_flag: None,
    },
    Runner {
        names: &["dotnet-ef"],
        verbs: &[
            ("database update", Write),
            ("database drop", Destroy),
            ("migrations list", Read),
        ],
        env_vars: &["ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT"],
        remote_flag: None,
    },
    Runner {
        names: &["sqlx"],
        verbs: &[
            ("migrate run", Write),
            ("migrate revert", Write),
            ("database create", Write),
            ("database setup", Write),
            ("database drop", Destroy),
            ("database reset", Destroy),
            ("migrate info", Read),
        ],
        env_vars: &[],
        remote_flag: None,
    },
    Runner {
        names: &["diesel"],
        verbs: &[
            ("migration run", Write),
            ("migration revert", Write),
            ("migration redo", Write),
            ("database setup", Write),
            ("database reset", Destroy),
            ("database drop", Destroy),
            ("migration list", Read),
            ("migration pending", Read),
        ],
        env_vars: &[],
        remote_flag: None,
    },
    Runner {
        names: &["drizzle-kit"],
        verbs: &[
            ("push", Write),
            ("migrate", Write),
            ("check", Read),
            ("introspect", Read),
            ("pull", Read),
        ],
        env_vars: &[],
        remote_flag: None,
    },
    Runner {
        names: &["mikro-orm"],
        verbs: &[
            ("migration:up", Write),
            ("migration:down", Write),
            ("schema:update", Write),
            ("schema:create", Write),
            ("migration:fresh", Destroy),
            ("schema:drop", Destroy),
            ("schema:fresh", Destroy),
            ("migration:pending", Read),
            ("migration:list", Read),
        ],
        env_vars: &["NODE_ENV", "MIKRO_ORM_ENV"],
        remote_flag: None,
    },
    Runner {
        // Symfony's console (`php bin/console`, `bin/console`).
        names: &["console"],
        verbs: &[
            ("doctrine:migrations:migrate", Write),
            ("doctrine:migrations:execute", Write),
            ("doctrine:schema:update", Write),
            ("doctrine:schema:create", Write),
            ("doctrine:database:create", Write),
            ("doctrine:fixtures:load", Write),
            ("dbal:run-sql", Write),
            ("doctrine:query:sql", Write),
            ("doctrine:database:drop", Destroy),
            ("doctrine:schema:drop", Destroy),
            ("doctrine:migrations:status", Read),
            ("doctrine:schema:validate", Read),
        ],
        env_vars: &["APP_ENV"],
        remote_flag: None,
    },
    Runner {
        names: &["phinx"],
        verbs: &[
            ("migrate", Write),
            ("rollback", Write),
            ("seed:run", Write),
            ("status", Read),
        ],
        env_vars: &[],
        remote_flag: None,
    },
    Runner {
        // dbt builds tables in the warehouse its target names.
        names: &["dbt"],
        verbs: &[
            ("run", Write),
            ("seed", Write),
            ("snapshot", Write),
            ("build", Write),
            ("run-operation", Write),
            ("test", Read),
            ("compile", Read),
            ("ls", Read),
            ("list", Read),
            ("debug", Read),
            ("parse", Read),
            ("docs", Read),
        ],
        env_vars: &["DBT_TARGET"],
        remote_flag: None,
    },
    Runner {
        names: &["hasura"],
        verbs: &[
            ("migrate apply", Write),
            ("metadata apply", Write),
            ("seed apply", Write),
            ("migrate status", Read),
            ("metadata diff", Read),
        ],
        env_vars: &[],
        remote_flag: None,
    },
    Runner {
        names: &["wrangler"],
        verbs: &[
            ("d1 migrations apply", Write),
            ("d1 execute", Write),
            ("d1 migrations list", Read),
        ],
        env_vars: &[],
        remote_flag: Some("--remote"),
    },
];

/// Variables a runner reads its connection string from.
const URL_VARS: &[&str] = &[
    "DATABASE_URL",
    "DB_URL",
    "FLYWAY_URL",
    "LIQUIBASE_COMMAND_URL",
    "GOOSE_DBSTRING",
    "SQLALCHEMY_DATABASE_URI",
    "MIKRO_ORM_CLIENT_URL",
    "HASURA_GRAPHQL_DATABASE_URL",
];

/// Options whose value is a connection string (with one dash or two, the
/// value after `=` or in the next word).
const URL_OPTIONS: &[&str] = &[
    "url",
    "db-url",
    "database-url",
    "database",
    "dsn",
    "db",
    "connection",
    "target",
    "u",
];

/// Options naming the environment a runner uses (dbt's `--target`).
const ENV_OPTIONS: &[&str] = &["env", "environment", "e", "settings", "target", "t"];

/// Dry runs: the change is printed or checked, not made.
const DRY_RUNS: &[&str] = &["--dry-run", "--dryrun", "--pretend", "--preview", "--dump"];

/// Alembic's offline mode: the migration's SQL is printed, not run
/// (Liquibase's `--sql` is the SQL it runs).
const ALEMBIC_OFFLINE: &str = "--sql";

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    if let Some(outcome) = online::handle(inv) {
        return Some(outcome);
    }
    let (program, words) = runner_words(inv)?;
    if let Some(outcome) = shells::handle(inv, program, words) {
        return Some(outcome);
    }
    let runner = RUNNERS.iter().find(|r| r.names.contains(&program))?;
    let mut outcome = Outcome::default();
    outcome
        .effects
        .extend(supabase::dump_file(inv, runner, words));
    if let Some(linked) = supabase::linked(inv, runner, words) {
        outcome.effects.extend(linked);
        return Some(outcome);
    }
    let Some(class) = change(runner, words) else {
        // A read, a dry run or a local copy's change: nothing to report,
        // but the runner is known.
        verb_of(runner, words)?;
        return Some(outcome);
    };
    if let Some(connection) = connection(inv, words) {
        outcome
            .effects
            .push(run_effect(inv, runner, program, words, connection, class));
    }
    if let Some(environment) = environment(inv, runner, words) {
        outcome.effects.push(Effect::Deploy(Deploy {
            program: program.to_owned(),
            environment,
            service: None,
            production: false,
        }));
    }
    Some(outcome)
}

/// What the files earlier steps wrote tell of a run: a runner whose line
/// names no connection reads the one its configuration file names
/// (`config/database.yml`, `knexfile.js`, `.env`, ...), for the
/// environment it uses, and its change goes to that database; and a run
/// that applies migrations sends what the migration files it applies run
/// (`files_under` lists the known files below a directory).
pub(crate) fn configured(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    text_of: &config::Lookup<'_>,
    files_under: &Listing<'_>,
) {
    let Some((program, words)) = runner_words(inv) else {
        return;
    };
    let Some(runner) = RUNNERS.iter().find(|r| r.names.contains(&program)) else {
        return;
    };
    let Some(class) = change(runner, words) else {
        return;
    };
    written_statements(program, outcome, text_of);
    configured_connection(inv, runner, (program, words), class, outcome, text_of);
    applied_migrations(inv, runner, (program, words), outcome, text_of, files_under);
}

/// The change of a run whose line names no connection, to the one its
/// configuration file names.
fn configured_connection(
    inv: &Invocation<'_>,
    runner: &Runner,
    (program, words): (&str, &[Arg]),
    class: DataClass,
    outcome: &mut Outcome,
    text_of: &config::Lookup<'_>,
) {
    let reported = outcome.effects.iter().any(|e| match e {
        Effect::DataCommand(d) => d.client == program,
        Effect::Sql(s) => s.client == program,
        _ => false,
    });
    if reported || connection(inv, words).is_some() {
        return;
    }
    if let Some(connection) = config::connection(inv, runner, program, words, text_of) {
        let effect = run_effect(inv, runner, program, words, connection, class);
        outcome.effects.insert(0, effect);
        written_statements(program, outcome, text_of);
    }
}

/// The statements of the migration files a run applies, when earlier
/// steps wrote them: sent, besides the run's change, to each database the
/// run changes (`flyway migrate` after a `V44__drop.sql` holding `DROP
/// TABLE t` is that `DROP TABLE` on its connection).
fn applied_migrations(
    inv: &Invocation<'_>,
    runner: &Runner,
    (program, words): (&str, &[Arg]),
    outcome: &mut Outcome,
    text_of: &config::Lookup<'_>,
    files_under: &Listing<'_>,
) {
    let hosts: Vec<Option<String>> = outcome
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::DataCommand(d) if d.client == program && d.class == Write => {
                Some(d.host.clone())
            }
            _ => None,
        })
        .collect();
    let Some((verb, _)) = verb_of(runner, words).filter(|_| !hosts.is_empty()) else {
        return;
    };
    let applied = applied::applied(inv, runner, program, verb, words, text_of, files_under);
    if applied.is_empty() {
        return;
    }
    let statements: Vec<&str> = applied
        .iter()
        .map(|a| a.sql.trim().trim_end_matches(';').trim_end())
        .collect();
    let sql = statements.join(";\n");
    for host in hosts {
        outcome.effects.push(Effect::Sql(Sql {
            client: program.to_owned(),
            host,
            dsn: None,
            sql: Some(sql.clone()),
            files: Vec::new(),
            login: Payload::default(),
        }));
    }
}

/// The statements of the script files a runner's SQL names (`liquibase
/// execute-sql --sql-file F`), when an earlier step wrote them: what it
/// runs, after the SQL given on the line.
fn written_statements(program: &str, outcome: &mut Outcome, text_of: &config::Lookup<'_>) {
    for effect in &mut outcome.effects {
        let Effect::Sql(query) = effect else {
            continue;
        };
        if query.client != program {
            continue;
        }
        let mut statements: Vec<String> = query.sql.iter().cloned().collect();
        let known = query.files.iter().filter_map(|path| text_of(path));
        for text in known {
            if !statements.contains(&text) {
                statements.push(text);
            }
        }
        if !statements.is_empty() {
            query.sql = Some(statements.join(";\n"));
        }
    }
}

/// What a run sends its connection: the SQL it is given to run, when its
/// subcommand takes SQL, else a command of the subcommand's class.
fn run_effect(
    inv: &Invocation<'_>,
    runner: &Runner,
    program: &str,
    words: &[Arg],
    connection: Connection,
    class: DataClass,
) -> Effect {
    let given =
        verb_of(runner, words).and_then(|(verb, _)| statements::given(inv, program, verb, words));
    match given {
        Some(given) => Effect::Sql(Sql {
            client: program.to_owned(),
            host: Some(connection.host),
            dsn: connection.dsn,
            sql: given.sql,
            files: given.files,
            login: connection.login,
        }),
        None => data_command(program, connection, class),
    }
}

/// What a run changes: its subcommand's class, made a destruction when it
/// undoes every migration; `None` for a read, a dry run, or a run that
/// changes only a local copy.
fn change(runner: &Runner, words: &[Arg]) -> Option<DataClass> {
    let (verb, class) = verb_of(runner, words)?;
    let offline = runner.names == ["alembic"] && words.iter().any(|w| w.text == ALEMBIC_OFFLINE);
    if offline || words.iter().any(|w| DRY_RUNS.contains(&w.text.as_str())) {
        return None;
    }
    // Prisma's `db push --force-reset` drops the schema first.
    let resets = verb == "db push" && words.iter().any(|w| w.text == "--force-reset");
    let class = if undoes_all(verb, words) || resets {
        Destroy
    } else {
        class
    };
    let local_only = runner
        .remote_flag
        .is_some_and(|flag| !words.iter().any(|w| w.text == flag));
    (class != Read && !local_only).then_some(class)
}

/// Whether a run undoes every migration applied, which drops every table
/// they created (`DROP TABLE`): Alembic's `downgrade base`, Sequelize's
/// `db:migrate:undo:all` (without `--to`), knex's and golang-migrate's
/// rollback with `--all`, Ecto's and Diesel's `--all`, Rails'
/// `db:migrate VERSION=0`, goose's `down-to 0`, Django's `migrate APP
/// zero`, a rollback or revert to version 0 (`--to 0`, `-t 0`,
/// `--target-version 0`).
fn undoes_all(verb: &str, words: &[Arg]) -> bool {
    let has = |flag: &str| words.iter().any(|w| w.text == flag);
    let positional = |text: &str| {
        words
            .iter()
            .filter(|w| !w.text.starts_with('-'))
            .any(|w| w.text == text)
    };
    let to_zero = option_value(words, &["to", "t", "target", "target-version", "version"])
        .is_some_and(|v| v == "0");
    match verb {
        "downgrade" => positional("base"),
        "db:migrate:undo:all" => option_value(words, &["to"]).is_none(),
        "migrate:rollback" | "down" | "ecto.rollback" | "migration revert" => {
            has("--all") || has("-all") || to_zero
        }
        "db:migrate" => words.iter().any(|w| w.text == "VERSION=0"),
        "down-to" => positional("0"),
        // `manage.py migrate APP zero` unapplies all of APP's migrations.
        "migrate" => positional("zero"),
        "migration:down" | "rollback" | "migrate revert" | "revert" => to_zero,
        _ => false,
    }
}

/// The database a run changes, reported as a command to its server with
/// what the connection logs in with.
fn data_command(program: &str, connection: Connection, class: DataClass) -> Effect {
    Effect::DataCommand(DataCommand {
        client: program.to_owned(),
        host: Some(connection.host),
        command: None,
        files: Vec::new(),
        class,
        login: connection.login,
    })
}

/// The server a run connects to and what it sends there to log in.
#[derive(Debug)]
struct Connection {
    host: String,
    /// The connection string as written, when the line gives one.
    dsn: Option<String>,
    login: Payload,
}

/// The runner's name and its arguments: the program itself, or the
/// script an interpreter runs (`python manage.py migrate`, `php artisan
/// migrate`), or `dotnet ef`.
fn runner_words<'a>(inv: &'a Invocation<'_>) -> Option<(&'a str, &'a [Arg])> {
    let script_runner = inv.program.starts_with("python") || inv.program == "php";
    if script_runner {
        let (script, rest) = inv.args.split_first()?;
        let name = script.text.rsplit('/').next().unwrap_or_default();
        return matches!(name, "manage.py" | "artisan" | "console").then_some((name, rest));
    }
    if inv.program == "dotnet" {
        let (tool, rest) = inv.args.split_first()?;
        return (tool.text == "ef").then_some(("dotnet-ef", rest));
    }
    Some((inv.program, inv.args))
}

/// The first subcommand of `runner` the words name, longest first
/// (`migrate reset` before `migrate`). Liquibase's commands are matched
/// without case or dashes (`dropAll`, `drop-all`).
fn verb_of(runner: &Runner, words: &[Arg]) -> Option<(&'static str, DataClass)> {
    let plain: Vec<String> = words
        .iter()
        .filter(|w| !w.text.starts_with('-'))
        .map(|w| w.text.to_ascii_lowercase().replace('-', ""))
        .collect();
    let mut best: Option<(&'static str, DataClass)> = None;
    for (verb, class) in runner.verbs {
        let parts: Vec<String> = verb.split(' ').map(|p| p.replace('-', "")).collect();
        let found = plain
            .windows(parts.len())
            .any(|window| window.iter().zip(&parts).all(|(w, p)| w == p));
        if found && best.is_none_or(|(b, _)| verb.len() > b.len()) {
            best = Some((verb, *class));
        }
    }
    best
}

/// The connection an option, a positional or a variable names, with the
/// password it carries and the password an option or variable gives.
fn connection(inv: &Invocation<'_>, words: &[Arg]) -> Option<Connection> {
    let mut candidates: Vec<Arg> = Vec::new();
    for (index, word) in words.iter().enumerate() {
        let text = word.text.as_str();
        if let Some((name, value)) = option(text) {
            if URL_OPTIONS.contains(&name) {
                match value {
                    Some(v) => candidates.push(word.with_text(v)),
                    None => candidates.extend(words.get(index + 1).cloned()),
                }
            }
        } else if let Some((_, value)) = text.split_once('=').filter(|(k, _)| is_url_key(k)) {
            // Alembic's `-x db_url=URL`.
            candidates.push(word.with_text(value));
        } else if (text.contains("://") && !is_source(words, index)) || is_conninfo(text) {
            candidates.push(word.clone());
        }
    }
    candidates.extend(URL_VARS.iter().filter_map(|v| inv.env_value(v)).cloned());
    let mut connection = candidates.iter().find_map(dsn_connection)?;
    // `flyway -password=...`, `liquibase --password ...`, `FLYWAY_PASSWORD=`.
    for (index, word) in words.iter().enumerate() {
        if let Some(("password", value)) = option(&word.text) {
            let value = match value {
                Some(v) => Some(word.with_text(v)),
                None => words.get(index + 1).cloned(),
            };
            if let Some(value) = value {
                flow::merge(&mut connection.login, &value.payload());
            }
        }
    }
    for name in PASSWORD_VARS {
        if let Some(value) = inv.env_value(name) {
            flow::merge(&mut connection.login, &value.payload());
        }
    }
    Some(connection)
}

/// Whether the word at `index` names where migrations are read from, not
/// a database: a `file://` URL, or golang-migrate's `-source` value
/// (`-source github://owner/repo/migrations`).
fn is_source(words: &[Arg], index: usize) -> bool {
    let follows_source = index
        .checked_sub(1)
        .and_then(|i| words.get(i))
        .and_then(|w| option(&w.text))
        .is_some_and(|(name, value)| name == "source" && value.is_none());
    let file_url = words
        .get(index)
        .is_some_and(|w| w.text.starts_with("file://"));
    follows_source || file_url
}

/// Variables a runner reads its password from.
const PASSWORD_VARS: &[&str] = &[
    "FLYWAY_PASSWORD",
    "LIQUIBASE_COMMAND_PASSWORD",
    "PGPASSWORD",
    "MYSQL_PWD",
];

/// The server a connection string names (a URI, a conninfo, an ADO.NET
/// string) and the password it carries.
fn dsn_connection(dsn: &Arg) -> Option<Connection> {
    let text = dsn.text.as_str();
    let host = if text.contains("://") || is_conninfo(text) {
        // A JDBC URL's properties follow `;` (`jdbc:sqlserver://h;user=u`).
        dsn_host(text).map(|h| h.split(';').next().unwrap_or_default().to_owned())
    } else {
        keyword_host(text)
    }
    .filter(|h| !h.is_empty())?;
    Some(Connection {
        host,
        dsn: Some(text.to_owned()),
        login: credentials(dsn),
    })
}

/// What a client given connection string `dsn` sends to log in
/// (sqlmap's `-d`).
pub(super) fn dsn_login(dsn: &Arg) -> Payload {
    credentials(dsn)
}

/// The password a connection string carries, as the word gives it (with
/// the variables it expands): a URI's `user:password@`, a `password=` or
/// `pwd=` in a conninfo, an ADO.NET string or a query. A psql given the
/// same string sends the same.
fn credentials(dsn: &Arg) -> Payload {
    let mut login = Payload::default();
    let text = dsn.text.as_str();
    if let Some((_, rest)) = text.split_once("://") {
        let authority = rest.split(['/', '?']).next().unwrap_or_default();
        if let Some((userinfo, _)) = authority.rsplit_once('@')
            && userinfo.contains(':')
        {
            flow::merge(&mut login, &dsn.with_text(userinfo).payload());
        }
    }
    for pair in text.split([' ', ';', '&', '?']) {
        if let Some((key, value)) = pair.split_once('=')
            && matches!(key.trim().to_ascii_lowercase().as_str(), "password" | "pwd")
            && !value.is_empty()
        {
            flow::merge(&mut login, &dsn.with_text(value).payload());
        }
    }
    login
}

/// The server of an ADO.NET-style connection string
/// (`Host=db.acme.internal;Database=app`, `Server=tcp:db,1433;...`,
/// `Data Source=db`).
fn keyword_host(text: &str) -> Option<String> {
    text.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        let key = key.trim().to_ascii_lowercase();
        matches!(
            key.as_str(),
            "host" | "server" | "data source" | "address" | "addr"
        )
        .then(|| {
            let value = value.trim();
            let value = value.strip_prefix("tcp:").unwrap_or(value);
            value
                .split([',', ':'])
                .next()
                .unwrap_or_default()
                .to_owned()
        })
    })
}

fn is_url_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.ends_with("url") || key.ends_with("uri") || key == "dsn"
}

/// `--name=value`, `-name=value`, `--name`, `-name`: the name and the
/// value written after `=`.
fn option(text: &str) -> Option<(&str, Option<&str>)> {
    let bare = text.strip_prefix("--").or_else(|| text.strip_prefix('-'))?;
    Some(match bare.split_once('=') {
        Some((name, value)) => (name, Some(value)),
        None => (bare, None),
    })
}

/// The value of the first of `names` given as an option (`--name=value`,
/// `-name value`).
fn option_value<'a>(words: &'a [Arg], names: &[&str]) -> Option<&'a str> {
    words.iter().enumerate().find_map(|(index, word)| {
        let (name, value) = option(&word.text)?;
        if !names.contains(&name) {
            return None;
        }
        value.or_else(|| {
            words
                .get(index + 1)
                .map(|a| a.text.as_str())
                .filter(|v| !v.starts_with('-'))
        })
    })
}

/// The environment the run uses: an option (`--env production`,
/// `--settings=app.settings.production`), a `NAME=value` argument or
/// prefix the runner reads (`RAILS_ENV=production`), the last part of a
/// settings module.
fn environment(inv: &Invocation<'_>, runner: &Runner, words: &[Arg]) -> Option<String> {
    let mut named: Option<&str> = None;
    for (index, word) in words.iter().enumerate() {
        let text = word.text.as_str();
        if let Some((name, value)) = option(text)
            && ENV_OPTIONS.contains(&name)
        {
            let value = value.or_else(|| words.get(index + 1).map(|a| a.text.as_str()));
            // sqitch's `--target db:pg://...` is a connection, not a name.
            if value.is_some_and(|v| !v.contains(':')) {
                named = value;
            }
        } else if let Some((key, value)) = text.split_once('=')
            && runner.env_vars.contains(&key)
        {
            named = Some(value);
        }
    }
    let named = named.or_else(|| {
        runner
            .env_vars
            .iter()
            .find_map(|v| inv.env_value(v))
            .map(|a| a.text.as_str())
    })?;
    // A settings module names its environment last (`app.settings.prod`).
    let environment = named.rsplit('.').next().unwrap_or(named);
    (!environment.is_empty()).then(|| environment.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verb(names: &str, words: &[&str]) -> Option<(&'static str, DataClass)> {
        let runner = RUNNERS.iter().find(|r| r.names.contains(&names))?;
        let args: Vec<Arg> = words.iter().map(|w| Arg::literal(w)).collect();
        verb_of(runner, &args)
    }

    #[test]
    fn the_longest_subcommand_named_wins() {
        assert_eq!(
            verb("prisma", &["migrate", "reset", "--force"]),
            Some(("migrate reset", Destroy))
        );
        assert_eq!(
            verb("rails", &["db:migrate:status"]),
            Some(("db:migrate:status", Read))
        );
        assert_eq!(
            verb("liquibase", &["--url=x", "dropAll"]),
            Some(("dropall", Destroy))
        );
        assert_eq!(verb("liquibase", &["drop-all"]), Some(("dropall", Destroy)));
        assert_eq!(verb("prisma", &["generate"]), None);
    }

    #[test]
    fn options_name_and_value() {
        assert_eq!(option("-url=jdbc:x"), Some(("url", Some("jdbc:x"))));
        assert_eq!(option("--env"), Some(("env", None)));
        assert_eq!(option("db:migrate"), None);
    }
}
