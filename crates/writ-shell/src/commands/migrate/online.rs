//! Online schema change tools: Percona's `pt-online-schema-change` and
//! GitHub's `gh-ost`. Each copies a MySQL table into one with the change
//! made and swaps it in: the change is `ALTER TABLE t <alter>` on the
//! server it names, sent as that SQL so the SQL reader classes it (a
//! `DROP COLUMN` destroys data). pt-osc changes nothing without
//! `--execute` (or with `--dry-run`), gh-ost only checks without it.

use super::{option, option_value};
use crate::args::Arg;
use crate::commands::{Invocation, Outcome};
use crate::{Effect, Payload, Sql, flow};

const PT_OSC: &str = "pt-online-schema-change";
const GH_OST: &str = "gh-ost";

/// The table change a tool given its words makes, or, for a run that
/// changes nothing, an empty outcome; `None` for another program.
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let words = inv.args;
    let target = match inv.program {
        PT_OSC => pt_osc_target(words),
        GH_OST => gh_ost_target(words),
        _ => return None,
    };
    let mut outcome = Outcome::default();
    let executes = has(words, "execute") && !has(words, "dry-run");
    let alter = option_value(words, &["alter"]);
    if let (true, Some(alter), Some(target)) = (executes, alter, target) {
        outcome.effects.push(Effect::Sql(Sql {
            client: inv.program.to_owned(),
            host: target.host,
            dsn: target.dsn,
            sql: Some(format!("ALTER TABLE {} {alter}", target.table)),
            files: Vec::new(),
            login: target.login,
        }));
    }
    Some(outcome)
}

/// The table a tool changes, the server it is on (`None`: this machine's)
/// and what the tool logs in with.
struct Target {
    table: String,
    host: Option<String>,
    dsn: Option<String>,
    login: Payload,
}

/// pt-osc's DSN operand (`D=db,t=table,h=host,u=user,p=password`), with
/// `--host`, `--database` and `--password` options where it leaves them out.
fn pt_osc_target(words: &[Arg]) -> Option<Target> {
    let dsn = words.iter().find(|w| is_dsn(&w.text))?;
    let part = |key: &str| {
        dsn_pairs(&dsn.text)
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.to_owned())
    };
    let table = part("t")?;
    let database = part("D").or_else(|| option_value(words, &["database", "D"]).map(str::to_owned));
    let host = part("h").or_else(|| option_value(words, &["host", "h"]).map(str::to_owned));
    let mut login = Payload::default();
    if let Some(password) = part("p") {
        flow::merge(&mut login, &dsn.with_text(&password).payload());
    }
    password_options(words, &mut login);
    Some(Target {
        table: qualified(database.as_deref(), &table),
        host,
        dsn: Some(dsn.text.clone()),
        login,
    })
}

/// gh-ost's `--host`, `--database` and `--table` (with one dash or two).
fn gh_ost_target(words: &[Arg]) -> Option<Target> {
    let table = option_value(words, &["table"])?;
    let database = option_value(words, &["database"]);
    let mut login = Payload::default();
    password_options(words, &mut login);
    Some(Target {
        table: qualified(database, table),
        host: option_value(words, &["host"]).map(str::to_owned),
        dsn: None,
        login,
    })
}

/// `db.table`, or the table alone when no database is named.
fn qualified(database: Option<&str>, table: &str) -> String {
    match database {
        Some(database) if !table.contains('.') => format!("{database}.{table}"),
        _ => table.to_owned(),
    }
}

/// A Percona DSN naming a table: `KEY=value` pairs, each key one letter.
fn is_dsn(text: &str) -> bool {
    let well_formed = text
        .split(',')
        .all(|pair| pair.split_once('=').is_some_and(|(k, _)| k.len() == 1));
    well_formed && dsn_pairs(text).any(|(k, _)| k == "t")
}

/// The `KEY=value` pairs of a Percona DSN.
fn dsn_pairs(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.split(',').filter_map(|pair| pair.split_once('='))
}

/// A `--password` option's value, added to `login`.
fn password_options(words: &[Arg], login: &mut Payload) {
    for (index, word) in words.iter().enumerate() {
        let Some(("password" | "p", value)) = option(&word.text) else {
            continue;
        };
        let value = match value {
            Some(v) => Some(word.with_text(v)),
            None => words.get(index + 1).cloned(),
        };
        if let Some(value) = value {
            flow::merge(login, &value.payload());
        }
    }
}

/// Whether the flag `name` is set (`--name`, `-name`, `--name=true`).
fn has(words: &[Arg], name: &str) -> bool {
    words.iter().any(|w| {
        option(&w.text).is_some_and(|(n, value)| n == name && value.is_none_or(|v| v == "true"))
    })
}
