//! The migration files a run applies, when earlier steps of the session
//! wrote them: a run sends the statements of their up parts to its
//! database, so `flyway migrate` after a `V44__drop_legacy.sql` holding
//! `DROP TABLE legacy` drops that table.
//!
//! Each runner looks in its own place: Flyway in its `-locations`
//! (`flyway.locations` in its configuration, else `sql/` and
//! `db/migration`), golang-migrate in its `-path` or `-source file://DIR`,
//! goose in its `-dir` (the part after `-- +goose Up`), dbmate in its
//! `--migrations-dir` or `db/migrations` (after `-- migrate:up`), sqitch
//! in `deploy/`, Prisma in `prisma/migrations/*/migration.sql`,
//! Liquibase in its changelog (formatted SQL, the SQL files an XML or
//! YAML changelog includes, and its `dropTable`, `dropColumn` and `sql`
//! changes). Code migrations are read as the SQL their destructive
//! operations run (`migrate/code.rs`). A down migration (`.down.sql`,
//! `-- migrate:down`, a rollback) is not what an up migration runs.
//!
//! Only files the session wrote are known, and which of them are pending
//! is not: a file written in the session is taken as one the run applies.

use super::code::{self, Framework};
use super::config::{self, Lookup};
use super::{Runner, option_value};
use crate::args::Arg;
use crate::commands::Invocation;

/// The files known below a directory (at any depth), each with its
/// whole text, by path.
pub(crate) type Listing<'a> = dyn Fn(&str) -> Vec<(String, String)> + 'a;

/// A migration file a run applies and the SQL its up part runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Applied {
    pub path: String,
    pub sql: String,
}

/// How a runner's migration files are found and read.
struct Place<'a, 'i> {
    inv: &'a Invocation<'i>,
    text_of: &'a Lookup<'a>,
    listing: &'a Listing<'a>,
}

impl Place<'_, '_> {
    /// The known files in the directories `dirs` (relative to the working
    /// directory), directly in them or, when `nested`, at any depth.
    fn files(&self, dirs: &[String], nested: bool) -> Vec<(String, String)> {
        let mut found: Vec<(String, String)> = Vec::new();
        for dir in dirs {
            let dir = self.inv.path(dir);
            for (path, text) in (self.listing)(&dir) {
                let direct = parent(&path) == dir;
                if (nested || direct) && !found.iter().any(|(p, _)| *p == path) {
                    found.push((path, text));
                }
            }
        }
        found
    }
}

/// The migration files `verb` of `program` applies, in the order of
/// their paths; empty when it applies none (a rollback, a status) or none
/// is known.
pub(super) fn applied(
    inv: &Invocation<'_>,
    runner: &Runner,
    program: &str,
    verb: &str,
    words: &[Arg],
    text_of: &Lookup<'_>,
    listing: &Listing<'_>,
) -> Vec<Applied> {
    let place = Place {
        inv,
        text_of,
        listing,
    };
    let mut applied = match (program, verb) {
        ("flyway", "migrate") => sql_files(
            place.files(&flyway_dirs(inv, words, text_of), true),
            is_flyway_migration,
            whole,
        ),
        ("migrate", "up") => {
            let dirs: Vec<String> = golang_migrate_dir(words).into_iter().collect();
            sql_files(place.files(&dirs, false), |n| n.ends_with(".up.sql"), whole)
        }
        ("goose", "up" | "up-by-one" | "up-to") => {
            let dir = option_value(words, &["dir"])
                .map(str::to_owned)
                .or_else(|| inv.env_value("GOOSE_MIGRATION_DIR").map(|a| a.text.clone()))
                .unwrap_or_else(|| ".".to_owned());
            sql_files(place.files(&[dir], false), is_up_sql, |text| {
                marked(text, "--+gooseup", "--+goosedown")
            })
        }
        ("dbmate", "up" | "migrate") => {
            let dir = option_value(words, &["migrations-dir", "d"])
                .map(str::to_owned)
                .or_else(|| {
                    inv.env_value("DBMATE_MIGRATIONS_DIR")
                        .map(|a| a.text.clone())
                })
                .unwrap_or_else(|| "db/migrations".to_owned());
            sql_files(place.files(&[dir], false), is_up_sql, |text| {
                marked(text, "--migrate:up", "--migrate:down")
            })
        }
        ("sqitch", "deploy" | "rebase") => {
            let dir = option_value(words, &["deploy-dir"])
                .map(str::to_owned)
                .unwrap_or_else(|| {
                    let top = option_value(words, &["top-dir"]).unwrap_or(".");
                    format!("{}/deploy", top.trim_end_matches('/'))
                });
            sql_files(place.files(&[dir], true), is_up_sql, whole)
        }
        ("prisma", "migrate deploy" | "migrate dev") => {
            let schema_dir = option_value(words, &["schema"])
                .map_or_else(|| "prisma".to_owned(), |schema| parent(&inv.path(schema)));
            let dir = format!("{schema_dir}/migrations");
            sql_files(place.files(&[dir], true), |n| n == "migration.sql", whole)
        }
        ("liquibase", "update" | "updatecount" | "updatetotag") => liquibase(&place, words),
        ("rails" | "rake", "db:migrate" | "db:migrate:up") => code_files(
            place.files(&["db/migrate".to_owned()], false),
            ".rb",
            |_| Some(Framework::Rails),
        ),
        ("alembic", "upgrade") => code_files(
            place.files(&alembic_dirs(inv, words, text_of), true),
            ".py",
            |_| Some(Framework::Alembic),
        ),
        ("manage.py" | "django-admin", "migrate") => {
            let app = django_app(words);
            // The project is where `manage.py` is.
            let root = inv
                .args
                .first()
                .filter(|a| a.text.ends_with("manage.py"))
                .map_or_else(|| ".".to_owned(), |script| parent(&inv.path(&script.text)));
            code_files(place.files(&[root], true), ".py", |path| {
                let label = django_label(path)?;
                app.is_none_or(|a| a == label)
                    .then(|| Framework::Django(label.to_owned()))
            })
        }
        ("knex", "migrate:latest" | "migrate:up") => code_files(
            place.files(&[knex_dir(inv, runner, words, text_of)], false),
            "",
            |path| is_script(path).then_some(Framework::Knex),
        ),
        _ => Vec::new(),
    };
    applied.retain(|a| !a.sql.trim().is_empty());
    applied.sort_by(|a, b| a.path.cmp(&b.path));
    applied
}

/// The SQL files among `files` whose names pass `named`, each read by `up`.
fn sql_files(
    files: Vec<(String, String)>,
    named: impl Fn(&str) -> bool,
    up: impl Fn(&str) -> String,
) -> Vec<Applied> {
    files
        .into_iter()
        .filter(|(path, _)| named(file_name(path)))
        .map(|(path, text)| Applied {
            sql: up(&text),
            path,
        })
        .collect()
}

/// The code migrations among `files` (names ending with `suffix`) that
/// `framework` reads, as the statements they run.
fn code_files(
    files: Vec<(String, String)>,
    suffix: &str,
    framework: impl Fn(&str) -> Option<Framework>,
) -> Vec<Applied> {
    files
        .into_iter()
        .filter(|(path, _)| path.ends_with(suffix) && !file_name(path).starts_with("__"))
        .filter_map(|(path, text)| {
            let statements = code::statements(&framework(&path)?, &text);
            Some(Applied {
                sql: statements.join(";\n"),
                path,
            })
        })
        .collect()
}

/// The directory that holds `path`.
fn parent(path: &str) -> String {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/".to_owned(),
        Some((dir, _)) => dir.to_owned(),
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn whole(text: &str) -> String {
    text.to_owned()
}

/// A SQL file that is not a down migration.
fn is_up_sql(name: &str) -> bool {
    name.ends_with(".sql") && !name.contains(".down.")
}

/// Flyway's versioned and repeatable migrations (`V44__drop.sql`,
/// `R__views.sql`); its undo migrations (`U44__...`) are not.
fn is_flyway_migration(name: &str) -> bool {
    name.ends_with(".sql") && name.contains("__") && name.starts_with(['V', 'R', 'v', 'r'])
}

/// The lines of `text` between a line starting `up` and one starting
/// `down` (compared without spaces or case, `-- +goose Up` as
/// `--+gooseup`).
fn marked(text: &str, up: &str, down: &str) -> String {
    let mut inside = false;
    let mut lines = Vec::new();
    for line in text.lines() {
        let key: String = line
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if key.starts_with(up) {
            inside = true;
        } else if key.starts_with(down) {
            inside = false;
        } else if inside {
            lines.push(line);
        }
    }
    lines.join("\n")
}

/// Flyway's locations: `-locations`, `FLYWAY_LOCATIONS` or the
/// configuration's `flyway.locations`, else its defaults. A
/// `filesystem:` location is a directory; a `classpath:` one (or one
/// without a prefix) is under a build's resources or the directory itself.
fn flyway_dirs(inv: &Invocation<'_>, words: &[Arg], text_of: &Lookup<'_>) -> Vec<String> {
    let locations = option_value(words, &["locations"])
        .map(str::to_owned)
        .or_else(|| inv.env_value("FLYWAY_LOCATIONS").map(|a| a.text.clone()))
        .or_else(|| {
            let conf = config::flyway_conf(inv, words, text_of)?;
            config::ini(&conf, None, &["flyway.locations"])
        })
        .unwrap_or_else(|| "filesystem:sql,classpath:db/migration".to_owned());
    let mut dirs = Vec::new();
    for location in locations.split(',').map(str::trim) {
        match location.strip_prefix("filesystem:") {
            Some(dir) => dirs.push(dir.to_owned()),
            None => {
                let dir = location.strip_prefix("classpath:").unwrap_or(location);
                dirs.push(format!("src/main/resources/{dir}"));
                dirs.push(dir.to_owned());
            }
        }
    }
    dirs
}

/// golang-migrate's directory: `-path DIR` or `-source file://DIR`.
fn golang_migrate_dir(words: &[Arg]) -> Option<String> {
    option_value(words, &["path"])
        .or_else(|| option_value(words, &["source"])?.strip_prefix("file://"))
        .map(str::to_owned)
}

/// Alembic's version directories: `version_locations`, else
/// `script_location`'s `versions` (`%(here)s` is the configuration's
/// directory), else `alembic/versions` and Flask-Migrate's
/// `migrations/versions`.
fn alembic_dirs(inv: &Invocation<'_>, words: &[Arg], text_of: &Lookup<'_>) -> Vec<String> {
    let Some((path, text)) = config::alembic_ini(inv, words, text_of) else {
        return vec![
            "alembic/versions".to_owned(),
            "migrations/versions".to_owned(),
        ];
    };
    let here = parent(&path);
    let section = option_value(words, &["n", "name"]).unwrap_or("alembic");
    let setting =
        |key: &str| config::ini(&text, Some(section), &[key]).map(|v| v.replace("%(here)s", &here));
    if let Some(locations) = setting("version_locations") {
        return locations
            .split([' ', ',', ':', ';'])
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
    }
    let script = setting("script_location").unwrap_or_else(|| "alembic".to_owned());
    // A package location (`myapp:migrations`) names a directory too.
    let script = script.replace(':', "/");
    vec![format!("{}/versions", script.trim_end_matches('/'))]
}

/// The app `manage.py migrate APP [MIGRATION]` names, if any.
fn django_app(words: &[Arg]) -> Option<&str> {
    let mut plain = words.iter().filter(|w| !w.text.starts_with('-'));
    plain.find(|w| w.text == "migrate")?;
    plain.next().map(|w| w.text.as_str())
}

/// The app a Django migration file belongs to: the directory holding the
/// `migrations/` it is in (`payouts/migrations/0012_x.py` is `payouts`'s).
fn django_label(path: &str) -> Option<&str> {
    let (dir, name) = path.rsplit_once("/migrations/")?;
    let app = file_name(dir);
    (!app.is_empty() && !name.contains('/')).then_some(app)
}

/// Knex's migrations directory: `--migrations-directory`, the
/// knexfile's `migrations.directory`, else `migrations`.
fn knex_dir(inv: &Invocation<'_>, runner: &Runner, words: &[Arg], text_of: &Lookup<'_>) -> String {
    if let Some(dir) = option_value(words, &["migrations-directory"]) {
        return dir.to_owned();
    }
    let configured = config::knex_config(inv, runner, words, text_of).and_then(|block| match block
        .get("migrations")?
        .get("directory")?
    {
        config::Value::Text(dir) => Some(dir.clone()),
        _ => None,
    });
    configured.unwrap_or_else(|| "migrations".to_owned())
}

fn is_script(path: &str) -> bool {
    [".js", ".ts", ".cjs", ".mjs"]
        .iter()
        .any(|e| path.ends_with(e) && !path.ends_with(".d.ts"))
}

// ---- Liquibase ----

/// What a Liquibase update runs: its changelog (`--changelog-file`,
/// `LIQUIBASE_COMMAND_CHANGELOG_FILE`, the defaults file's), read as
/// formatted SQL, or for an XML or YAML changelog, the SQL files it
/// includes and the changes it makes.
fn liquibase(place: &Place<'_, '_>, words: &[Arg]) -> Vec<Applied> {
    let inv = place.inv;
    let keys = [
        "changelog-file",
        "changeLogFile",
        "changelogFile",
        "liquibase.command.changelogFile",
    ];
    let name = option_value(words, &keys)
        .map(str::to_owned)
        .or_else(|| {
            inv.env_value("LIQUIBASE_COMMAND_CHANGELOG_FILE")
                .map(|a| a.text.clone())
        })
        .or_else(|| {
            let properties = config::liquibase_properties(inv, words, place.text_of)?;
            config::ini(&properties, None, &keys)
        });
    let Some(name) = name else {
        return Vec::new();
    };
    let path = inv.path(&name);
    let Some(text) = (place.text_of)(&path) else {
        return Vec::new();
    };
    if is_formatted_sql(&text) {
        return vec![Applied {
            sql: formatted_sql(&text),
            path,
        }];
    }
    let mut applied = vec![Applied {
        sql: code::liquibase_changes(&text).join(";\n"),
        path: path.clone(),
    }];
    let here = parent(&path);
    let resolve =
        |name: &str| [here.as_str(), inv.cwd].map(|dir| crate::paths::resolve(dir, "/", name));
    for (key, value) in code::liquibase_includes(&text) {
        if key == "includeAll" {
            for dir in resolve(&value) {
                for (path, text) in (place.listing)(&dir) {
                    if path.ends_with(".sql") && is_formatted_sql(&text) {
                        applied.push(Applied {
                            sql: formatted_sql(&text),
                            path,
                        });
                    }
                }
            }
            continue;
        }
        let known = resolve(&value)
            .into_iter()
            .find_map(|path| (place.text_of)(&path).map(|text| (path, text)));
        if let Some((path, text)) = known {
            let sql = if is_formatted_sql(&text) {
                formatted_sql(&text)
            } else {
                text
            };
            applied.push(Applied { sql, path });
        }
    }
    applied
}

/// A Liquibase formatted SQL changelog (`--liquibase formatted sql` first).
fn is_formatted_sql(text: &str) -> bool {
    text.lines()
        .map(|line| {
            line.split_whitespace()
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .find(|line| !line.is_empty())
        .is_some_and(|line| line.starts_with("--liquibaseformattedsql"))
}

/// A formatted SQL changelog without its rollback lines.
fn formatted_sql(text: &str) -> String {
    text.lines()
        .filter(|line| {
            let key: String = line
                .split_whitespace()
                .collect::<String>()
                .to_ascii_lowercase();
            !key.starts_with("--rollback")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_parts_leave_out_the_down_part() {
        let goose = "-- +goose Up\nDROP TABLE a;\n-- +goose Down\nCREATE TABLE a (id int);\n";
        assert_eq!(marked(goose, "--+gooseup", "--+goosedown"), "DROP TABLE a;");
        let dbmate = "-- migrate:up transaction:false\nALTER TABLE t DROP COLUMN c;\n\n-- migrate:down\nALTER TABLE t ADD COLUMN c int;";
        assert_eq!(
            marked(dbmate, "--migrate:up", "--migrate:down"),
            "ALTER TABLE t DROP COLUMN c;\n"
        );
    }

    #[test]
    fn flyway_names() {
        assert!(is_flyway_migration("V44__drop_payouts_legacy.sql"));
        assert!(is_flyway_migration("R__views.sql"));
        assert!(!is_flyway_migration("U44__drop_payouts_legacy.sql"));
        assert!(!is_flyway_migration("notes.sql"));
    }

    #[test]
    fn formatted_sql_without_rollbacks() {
        let text = "--liquibase formatted sql\n--changeset a:1\nDROP TABLE t;\n--rollback CREATE TABLE t (id int);\n";
        assert!(is_formatted_sql(text));
        assert_eq!(
            formatted_sql(text),
            "--liquibase formatted sql\n--changeset a:1\nDROP TABLE t;"
        );
    }
}
