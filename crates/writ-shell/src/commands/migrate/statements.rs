//! The SQL a migration runner is given to run as it is, not a migration:
//! Liquibase's `execute-sql --sql TEXT | --sql-file FILE` (or
//! `LIQUIBASE_COMMAND_SQL`, `LIQUIBASE_COMMAND_SQL_FILE`), Prisma's `db
//! execute --file FILE | --stdin`, TypeORM's `query TEXT`, Doctrine's
//! `dbal:run-sql TEXT` (`doctrine:query:sql`). Such a run is that SQL sent
//! to the runner's connection, so the SQL reader classes it (a `TRUNCATE`
//! destroys, a `SELECT` reads) rather than the subcommand.

use super::super::Invocation;
use crate::args::Arg;

/// The statements a run sends and the script files holding more.
#[derive(Debug, Default)]
pub(super) struct Given {
    pub sql: Option<String>,
    pub files: Vec<String>,
}

/// What `verb` of `program` is given to run; `None` when the subcommand
/// runs no SQL of its own.
pub(super) fn given(
    inv: &Invocation<'_>,
    program: &str,
    verb: &str,
    words: &[Arg],
) -> Option<Given> {
    let mut given = Given::default();
    match (program, verb) {
        ("liquibase", "executesql") => {
            given.sql = named(words, "sql").or_else(|| {
                inv.env_value("LIQUIBASE_COMMAND_SQL")
                    .map(|a| a.text.clone())
            });
            let file = named(words, "sqlfile").or_else(|| {
                inv.env_value("LIQUIBASE_COMMAND_SQL_FILE")
                    .map(|a| a.text.clone())
            });
            given.files.extend(file.map(|f| inv.path(&f)));
        }
        ("prisma", "db execute") => {
            given
                .files
                .extend(named(words, "file").map(|f| inv.path(&f)));
            if words.iter().any(|w| w.text == "--stdin") && inv.has_stdin {
                if !inv.stdin.text.is_empty() {
                    given.sql = Some(inv.stdin.text.join("\n"));
                }
                given
                    .files
                    .extend(inv.stdin.files.iter().map(|f| f.path.clone()));
            }
        }
        ("typeorm" | "typeorm-ts-node-commonjs" | "typeorm-ts-node-esm", "query")
        | ("console", "dbal:run-sql" | "doctrine:query:sql") => {
            given.sql = operand_after(words, verb);
        }
        _ => return None,
    }
    Some(given)
}

/// The value of an option whose name, without dashes and case, is `key`
/// (`--sql-file=F`, `--sqlFile F`, `-sql=TEXT`).
fn named(words: &[Arg], key: &str) -> Option<String> {
    words.iter().enumerate().find_map(|(index, word)| {
        let bare = word
            .text
            .strip_prefix("--")
            .or_else(|| word.text.strip_prefix('-'))?;
        let (name, value) = match bare.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (bare, None),
        };
        if name.to_ascii_lowercase().replace('-', "") != key {
            return None;
        }
        value.or_else(|| words.get(index + 1).map(|a| a.text.clone()))
    })
}

/// The first operand after the subcommand's word.
fn operand_after(words: &[Arg], verb: &str) -> Option<String> {
    let at = words.iter().position(|w| w.text == verb)?;
    words
        .get(at + 1..)?
        .iter()
        .find(|w| !w.text.starts_with('-'))
        .map(|w| w.text.clone())
}
