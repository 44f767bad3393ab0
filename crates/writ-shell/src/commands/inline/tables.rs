//! Data frames written into a database: pandas' `df.to_sql(name, con,
//! schema=..., if_exists=...)` and polars' `df.write_database(table_name,
//! connection, if_table_exists=...)`. The connection is a DSN literal,
//! `create_engine("DSN")`, or a name assigned one (`eng =
//! create_engine(...)`, `with eng.connect() as conn`). Each is the SQL the
//! library runs against that DSN's server: an `INSERT INTO` the table,
//! after a `CREATE TABLE` when it may create it, and after a `DROP TABLE`
//! for `if_exists='replace'` (pandas documents it as dropping the table
//! before inserting). The rows are what the code read.

use super::storage::{Item, args_at, calls, is_ident, literal_at};
use super::{Literal, called_with};

/// One table the code writes.
pub(super) struct TableWrite {
    /// The connection string, as written.
    pub(super) dsn: String,
    /// The statements the library runs.
    pub(super) sql: String,
}

/// How many names in a row are followed to a connection.
const MAX_HOPS: usize = 4;

/// The writers: their name, the keys of their table, connection and mode
/// arguments, and the mode that replaces.
const WRITERS: &[(&str, &str, &[&str], &str)] = &[
    ("to_sql", "name", &["con"], "if_exists"),
    (
        "write_database",
        "table_name",
        &["connection", "connection_uri"],
        "if_table_exists",
    ),
];

/// The tables the code writes, and the literals they use.
pub(super) fn writes(code: &str, literals: &[Literal]) -> (Vec<TableWrite>, Vec<usize>) {
    let mut out = Vec::new();
    let mut used = Vec::new();
    for (writer, table_key, con_keys, mode_key) in WRITERS {
        for (at, open) in calls(code, writer) {
            // A method of a frame: `df.to_sql(...)`.
            if !code.get(..at).is_some_and(|b| b.ends_with('.')) {
                continue;
            }
            let Some(mut args) = args_at(code, literals, open) else {
                continue;
            };
            let Some(table) = args.text(&[table_key], Some(0)) else {
                continue;
            };
            let Some((dsn, index)) = args
                .keyed(con_keys)
                .or_else(|| args.items.iter().filter(|i| i.key.is_none()).nth(1))
                .and_then(|item| connection(code, literals, item, at, 0))
            else {
                continue;
            };
            used.push(index);
            let schema = args.text(&["schema"], None);
            let mode = args.text(&[mode_key], None).unwrap_or_default();
            used.append(&mut args.used);
            let table = match schema {
                Some(schema) => format!("{}.{}", quoted(&schema), quoted(&table)),
                None => quoted(&table),
            };
            let sql = match mode.as_str() {
                "replace" => {
                    format!("DROP TABLE {table}; CREATE TABLE {table}; INSERT INTO {table}")
                }
                "append" => format!("INSERT INTO {table}"),
                // `fail`, the default: created, then filled.
                _ => format!("CREATE TABLE {table}; INSERT INTO {table}"),
            };
            out.push(TableWrite { dsn, sql });
        }
    }
    (out, used)
}

/// A table name as SQL writes it: quoted unless it is a plain name.
fn quoted(name: &str) -> String {
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// True for a connection string: a URL that is not a web address
/// (`postgresql://...`, `mysql+pymysql://...`, `sqlite:///f.db`) or a
/// libpq conninfo (`host=h dbname=d`).
pub(super) fn is_dsn(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    (text.contains("://") && !lower.starts_with("http")) || super::super::sql::is_conninfo(text)
}

/// The connection string the connection argument `item` names (the call
/// it is given to starts at `call`), and its literal's index.
fn connection(
    code: &str,
    literals: &[Literal],
    item: &Item,
    call: usize,
    hops: usize,
) -> Option<(String, usize)> {
    // A DSN in the argument itself: a literal, `create_engine('...')`.
    if let Some(found) = dsn_within(literals, item.start, item.end) {
        return Some(found);
    }
    if hops >= MAX_HOPS {
        return None;
    }
    // A name (`eng`, `eng.connect()`, `conn`): where it is given a value.
    let text = code
        .get(item.start..item.end)
        .unwrap_or_default()
        .trim_start();
    let len = text.find(|c: char| !is_ident(c)).unwrap_or(text.len());
    let name = text.get(..len).filter(|n| !n.is_empty())?;
    let value = assigned(code, literals, name, call)?;
    connection(code, literals, &value, value.start, hops + 1)
}

/// The first connection string literal between `start` and `end`.
fn dsn_within(literals: &[Literal], start: usize, end: usize) -> Option<(String, usize)> {
    literals
        .iter()
        .enumerate()
        .filter(|(_, l)| l.start >= start && l.end <= end)
        .find(|(_, l)| is_dsn(&l.text))
        .map(|(i, l)| (l.text.clone(), i))
}

/// The value last given to `name` before `before`: `name = VALUE` (to
/// the end of its line or statement), or `with VALUE as name`.
fn assigned(code: &str, literals: &[Literal], name: &str, before: usize) -> Option<Item> {
    let head = code.get(..before)?;
    let mut best: Option<(usize, Item)> = None;
    for (at, _) in head.match_indices(name) {
        let whole = head
            .get(..at)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| !(is_ident(c) || c == '.'))
            && head
                .get(at + name.len()..)
                .and_then(|a| a.chars().next())
                .is_none_or(|c| !is_ident(c));
        if !whole || literal_inside(literals, at) {
            continue;
        }
        let after = head.get(at + name.len()..).unwrap_or_default();
        let trimmed = after.trim_start();
        let found = if let Some(value) = trimmed.strip_prefix('=').filter(|v| !v.starts_with('=')) {
            let start = head.len() - value.len();
            let start = start + (value.len() - value.trim_start().len());
            Some(Item {
                key: None,
                start,
                end: statement_end(code, literals, start),
            })
        } else {
            // `with VALUE as name:`.
            let before_name = head.get(..at).unwrap_or_default().trim_end();
            before_name
                .strip_suffix("as")
                .filter(|rest| rest.ends_with(char::is_whitespace))
                .and_then(|rest| {
                    let with = rest.rfind("with")?;
                    Some(Item {
                        key: None,
                        start: with + "with".len(),
                        end: rest.trim_end().len(),
                    })
                })
        };
        if let Some(item) = found {
            best = Some((at, item));
        }
    }
    best.map(|(_, item)| item)
}

/// True when `at` is inside a string literal.
fn literal_inside(literals: &[Literal], at: usize) -> bool {
    literals.iter().any(|l| l.start <= at && at < l.end)
}

/// Where the statement whose value starts at `start` ends: a line break
/// or `;` outside brackets and strings.
fn statement_end(code: &str, literals: &[Literal], start: usize) -> usize {
    let bytes = code.as_bytes();
    let mut depth = 0usize;
    let mut pos = start;
    while let Some(&b) = bytes.get(pos) {
        if let Some((_, literal)) = literal_at(literals, pos) {
            pos = literal.end;
            continue;
        }
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                if depth == 0 {
                    return pos;
                }
                depth -= 1;
            }
            b'\n' | b';' if depth == 0 => return pos,
            _ => {}
        }
        pos += 1;
    }
    code.len()
}

/// The files the code reads into frames (`read_csv('f')`,
/// `read_parquet('f')`, `open('f')`): the rows it writes.
pub(super) fn frame_files(code: &str, literals: &[Literal]) -> Vec<String> {
    literals
        .iter()
        .filter(|l| {
            let before = code.get(..l.start).unwrap_or_default();
            called_with(before, super::READ_CALLS).is_some()
                && !l.text.contains("://")
                && !is_dsn(&l.text)
        })
        .map(|l| l.text.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::inline::literals;

    fn sql(code: &str) -> Vec<(String, String)> {
        writes(code, &literals(code))
            .0
            .into_iter()
            .map(|w| (w.dsn, w.sql))
            .collect()
    }

    #[test]
    fn connections_are_followed_through_names() {
        let dsn = "postgresql://u@h/db";
        assert_eq!(
            sql("eng = create_engine('postgresql://u@h/db')\ndf.to_sql('t', eng)"),
            [(dsn.to_owned(), "CREATE TABLE t; INSERT INTO t".to_owned())]
        );
        assert_eq!(
            sql(
                "eng = create_engine('postgresql://u@h/db')\nwith eng.begin() as conn:\n    df.to_sql('t', conn, if_exists='append')"
            ),
            [(dsn.to_owned(), "INSERT INTO t".to_owned())]
        );
        assert_eq!(
            sql("df.to_sql(name='t', con='postgresql://u@h/db', schema='s', if_exists='replace')"),
            [(
                dsn.to_owned(),
                "DROP TABLE s.t; CREATE TABLE s.t; INSERT INTO s.t".to_owned()
            )]
        );
        assert!(sql("df.to_sql('t', con)").is_empty());
    }
}
