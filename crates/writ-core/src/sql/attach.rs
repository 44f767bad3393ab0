//! Other databases a SQL text attaches: DuckDB's `ATTACH 'conn' AS name
//! (TYPE postgres|mysql)` (and its `postgres:`/`mysql:` connection
//! strings, and the secrets `CREATE SECRET` gives them) makes the
//! statements that name `name` run on that server. Reading them as
//! statements of the local database would let `DELETE FROM
//! prod.public.t` empty a production table unseen. MotherDuck's
//! databases (`ATTACH 'md:name'`, or the client's own `duckdb md:name`)
//! are tables at its service ([`MOTHERDUCK_HOST`]): what is created or
//! inserted there from local files carries those files to it, and its
//! token (`md:name?motherduck_token=...`, `SET motherduck_token`, a
//! `TYPE motherduck` secret) goes with the connection.

use super::{
    Dialect, Lexicon, SqlClass, Statement, Tok, Token, class, local_reads, statements, top_level,
};

/// A server a SQL text attaches, and what its statements do there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// How it is reached: a libpq conninfo (`host=h dbname=d user=u`), a
    /// URI, or DuckDB's MySQL `key=value` string, followed by the options
    /// of the secret it logs in with.
    pub connection: String,
    /// The dialect of the server: PostgreSQL's or MySQL's.
    pub dialect: Dialect,
    /// What runs there with its own class, as written: statements whose
    /// target is one of its tables (`DELETE FROM prod.public.t`, an
    /// unqualified table after `USE prod`), and the SQL given to
    /// `postgres_execute('prod', '...')` and its kin.
    pub runs: Vec<String>,
    /// Statements that only read from it (`INSERT INTO local SELECT *
    /// FROM prod.public.t`).
    pub reads: Vec<String>,
    /// Local files the statements that run there read, as written
    /// (`INSERT INTO prod.public.t SELECT * FROM read_csv('f.csv')`):
    /// their rows go to the server.
    pub files: Vec<String>,
}

/// The host of MotherDuck's service, which `md:` databases live at.
const MOTHERDUCK_HOST: &str = "api.motherduck.com";

/// The remote databases `sql` attaches, in order, with what runs there.
pub fn attachments(sql: &str, dialect: Dialect) -> Vec<Attachment> {
    attachments_from(None, sql, dialect)
}

/// The remote databases `sql` reaches from a client opened on `database`
/// (its database argument or connection string): a MotherDuck database
/// (`duckdb md:name`) is attached and in use from the start; then those
/// the text attaches, in order, with what runs on each.
pub fn attachments_from(database: Option<&str>, sql: &str, dialect: Dialect) -> Vec<Attachment> {
    let opened = database.and_then(|d| motherduck(d, None));
    if opened.is_none()
        && !sql
            .as_bytes()
            .windows(6)
            .any(|w| w.eq_ignore_ascii_case(b"attach"))
    {
        return Vec::new();
    }
    let lexicon = dialect
        .readings(sql)
        .first()
        .copied()
        .unwrap_or(Lexicon::STANDARD);
    let mut secrets: Vec<Secret> = Vec::new();
    let mut current: Option<String> = opened.as_ref().and_then(|o| o.alias.clone());
    let mut attached: Vec<Attached> = opened.into_iter().collect();
    for statement in statements(sql, lexicon) {
        let tokens = &statement.tokens;
        match tokens.iter().find_map(Token::word) {
            Some("CREATE") if is_secret(tokens) => secrets.extend(secret(&statement)),
            Some("SET") => secrets.extend(token_setting(tokens)),
            Some("ATTACH") => attached.extend(attach(&statement, &secrets)),
            // It was reached all the same; later statements are not.
            Some("DETACH") => {
                let detached = last_name(tokens);
                for database in &mut attached {
                    if database.alias.is_some() && database.alias == detached {
                        database.alias = None;
                    }
                }
            }
            Some("USE") => current = tokens.get(1).and_then(name),
            _ => {
                let catalogs: Vec<String> = attached
                    .iter()
                    .filter_map(|a| a.alias.clone())
                    .chain(LOCAL_CATALOGS.iter().map(|c| (*c).to_owned()))
                    .collect();
                for database in &mut attached {
                    database.route(&statement, current.as_deref(), &catalogs);
                }
            }
        }
    }
    attached.into_iter().map(|a| a.attachment).collect()
}

/// An attached database and the name statements call it by.
struct Attached {
    alias: Option<String>,
    attachment: Attachment,
}

impl Attached {
    /// Adds `statement` to what runs on or reads from this database when
    /// it names it; `current` is the database `USE` made the default, and
    /// `catalogs` the names of every database the text can name.
    fn route(&mut self, statement: &Statement<'_>, current: Option<&str>, catalogs: &[String]) {
        let Some(alias) = self.alias.as_deref() else {
            return;
        };
        let tokens = &statement.tokens;
        for (database, sql) in executed(tokens) {
            if database == alias {
                self.attachment.runs.push(sql);
            }
        }
        let heads = qualifiers(statement);
        let is_default = current == Some(alias);
        let named = is_default || heads.iter().any(|h| h == alias);
        if !named {
            return;
        }
        let text = statement.slice(
            tokens.first().map_or(0, |t| t.start),
            tokens.last().map_or(0, |t| t.end),
        );
        let changes = class(tokens).is_some_and(|c| c != SqlClass::Read);
        let written_here = match target(statement) {
            // A qualified target is here when its first part is this
            // database's name, or a schema of the default database.
            Some(Some(head)) => head == alias || (is_default && !catalogs.contains(&head)),
            Some(None) => is_default,
            None => true,
        };
        if changes && written_here {
            self.attachment.runs.push(text);
            for file in local_reads(tokens) {
                if !self.attachment.files.contains(&file) {
                    self.attachment.files.push(file);
                }
            }
        } else {
            self.attachment.reads.push(text);
        }
    }
}

/// DuckDB's own databases, which a qualified name can name whatever is
/// attached.
const LOCAL_CATALOGS: &[&str] = &["MEMORY", "TEMP", "SYSTEM"];

/// A secret `CREATE SECRET` made: its name, its type and its options as a
/// `key=value` string.
struct Secret {
    name: Option<String>,
    kind: String,
    conninfo: String,
}

/// `CREATE [OR REPLACE] [PERSISTENT|TEMPORARY] SECRET [name] (...)`.
fn is_secret(tokens: &[Token]) -> bool {
    tokens
        .iter()
        .take_while(|t| !t.is_punct('('))
        .take(5)
        .any(|t| t.is("SECRET"))
}

/// The options of a secret for a database server, as a conninfo.
fn secret(statement: &Statement<'_>) -> Option<Secret> {
    let tokens = &statement.tokens;
    let open = tokens.iter().position(|t| t.is_punct('('))?;
    let at = tokens.iter().position(|t| t.is("SECRET"))?;
    let name = tokens
        .get(at + 1..open)
        .unwrap_or_default()
        .iter()
        .filter(|t| {
            !t.word()
                .is_some_and(|w| matches!(w, "IF" | "NOT" | "EXISTS"))
        })
        .find_map(name);
    let options = options(statement, open);
    let kind = option(&options, "TYPE")?.to_ascii_lowercase();
    let mut conninfo = Vec::new();
    for (key, param) in [
        ("HOST", "host"),
        ("PORT", "port"),
        ("DATABASE", "dbname"),
        ("DBNAME", "dbname"),
        ("USER", "user"),
        ("PASSWORD", "password"),
        // A MotherDuck secret's token.
        ("TOKEN", "password"),
    ] {
        if let Some(value) = option(&options, key) {
            conninfo.push(format!("{param}={value}"));
        }
    }
    Some(Secret {
        name,
        kind,
        conninfo: conninfo.join(" "),
    })
}

/// `ATTACH [DATABASE] [IF NOT EXISTS] 'connection' [AS name] [(TYPE t,
/// SECRET s, ...)]`, when it attaches a PostgreSQL or MySQL server.
fn attach(statement: &Statement<'_>, secrets: &[Secret]) -> Option<Attached> {
    let tokens = &statement.tokens;
    let (path_at, path) = tokens
        .iter()
        .enumerate()
        .find_map(|(at, t)| t.text().map(|text| (at, text)))?;
    let alias = tokens
        .get(path_at + 1)
        .filter(|t| t.is("AS"))
        .and_then(|_| tokens.get(path_at + 2))
        .and_then(name);
    let options = tokens
        .iter()
        .skip(path_at)
        .position(|t| t.is_punct('('))
        .map(|open| options(statement, path_at + open))
        .unwrap_or_default();
    if let Some(mut database) = motherduck(path, token(secrets)) {
        if let Some(alias) = alias {
            database.alias = Some(alias);
        }
        return Some(database);
    }
    let (prefixed, connection) = remote_prefix(path);
    let kind = prefixed
        .map(str::to_owned)
        .or_else(|| option(&options, "TYPE").map(|t| t.to_ascii_lowercase()))
        .or_else(|| uri_kind(path))?;
    let dialect = match kind.as_str() {
        "postgres" | "postgresql" => Dialect::Standard,
        "mysql" => Dialect::MySql,
        _ => return None,
    };
    let named = option(&options, "SECRET");
    let secret = secrets.iter().rev().find(|s| match &named {
        Some(n) => s.name.as_deref().is_some_and(|m| m.eq_ignore_ascii_case(n)),
        None => same_kind(&s.kind, &kind),
    });
    let mut connection = connection.trim().to_owned();
    if let Some(secret) = secret.filter(|_| !connection.contains("://")) {
        connection = format!("{connection} {}", secret.conninfo)
            .trim()
            .to_owned();
    }
    Some(Attached {
        alias,
        attachment: Attachment {
            connection,
            dialect,
            runs: Vec::new(),
            reads: Vec::new(),
            files: Vec::new(),
        },
    })
}

/// A MotherDuck database (`md:name[?motherduck_token=T&...]`, or
/// `motherduck:`), called by its name, reached at [`MOTHERDUCK_HOST`]
/// with its token: the one in the path, else `session_token`.
fn motherduck(path: &str, session_token: Option<&str>) -> Option<Attached> {
    let rest = ["md:", "motherduck:"].iter().find_map(|prefix| {
        path.get(..prefix.len())
            .filter(|p| p.eq_ignore_ascii_case(prefix))
            .and_then(|_| path.get(prefix.len()..))
    })?;
    let (name, query) = rest.split_once('?').unwrap_or((rest, ""));
    let name = name.trim();
    let token = query
        .split('&')
        .find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            key.eq_ignore_ascii_case("motherduck_token")
                .then_some(value)
        })
        .or(session_token)
        .filter(|t| !t.is_empty());
    let mut connection = format!("host={MOTHERDUCK_HOST}");
    if !name.is_empty() {
        connection.push_str(&format!(" dbname={name}"));
    }
    if let Some(token) = token {
        connection.push_str(&format!(" password={token}"));
    }
    Some(Attached {
        alias: (!name.is_empty()).then(|| name.to_ascii_uppercase()),
        attachment: Attachment {
            connection,
            dialect: Dialect::Standard,
            runs: Vec::new(),
            reads: Vec::new(),
            files: Vec::new(),
        },
    })
}

/// The MotherDuck token the session holds: the latest `TYPE motherduck`
/// secret's or `SET motherduck_token`'s.
fn token(secrets: &[Secret]) -> Option<&str> {
    secrets
        .iter()
        .rev()
        .find(|s| s.kind == "motherduck")
        .and_then(|s| s.conninfo.strip_prefix("password="))
}

/// `SET [GLOBAL|SESSION] motherduck_token = 'T'` (or `TO 'T'`), kept as a
/// MotherDuck secret.
fn token_setting(tokens: &[Token]) -> Option<Secret> {
    let named = tokens
        .iter()
        .skip(1)
        .filter_map(Token::word)
        .find(|w| !matches!(*w, "GLOBAL" | "SESSION" | "LOCAL"))?;
    let value = tokens.iter().find_map(Token::literal)?;
    (named == "MOTHERDUCK_TOKEN").then(|| Secret {
        name: None,
        kind: "motherduck".to_owned(),
        conninfo: format!("password={value}"),
    })
}

fn same_kind(a: &str, b: &str) -> bool {
    canonical_kind(a) == canonical_kind(b)
}

/// `postgres` and `postgresql` are one type.
fn canonical_kind(kind: &str) -> &str {
    if kind == "postgresql" {
        "postgres"
    } else {
        kind
    }
}

/// DuckDB's `postgres:CONNINFO` and `mysql:KEY=VALUE ...` strings: the
/// server's type and its connection string.
fn remote_prefix(path: &str) -> (Option<&'static str>, &str) {
    for (prefix, kind) in [
        ("postgresql:", "postgres"),
        ("postgres:", "postgres"),
        ("mysql:", "mysql"),
    ] {
        if let Some(rest) = path
            .get(..prefix.len())
            .filter(|p| p.eq_ignore_ascii_case(prefix))
            .and_then(|_| path.get(prefix.len()..))
            .filter(|rest| !rest.starts_with("//"))
        {
            return (Some(kind), rest);
        }
    }
    (None, path)
}

/// The server type of a `postgres://` or `mysql://` URI.
fn uri_kind(path: &str) -> Option<String> {
    match Dialect::of_dsn(path) {
        Dialect::MySql => Some("mysql".to_owned()),
        Dialect::Standard if path.to_ascii_lowercase().starts_with("postgres") => {
            Some("postgres".to_owned())
        }
        _ => None,
    }
}

/// The options in the parentheses opening at `open`: `KEY value` pairs
/// between commas, keys upper-cased, values as written without quotes.
fn options(statement: &Statement<'_>, open: usize) -> Vec<(String, String)> {
    let tokens = &statement.tokens;
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut key: Option<(String, Option<usize>)> = None;
    let mut end = 0usize;
    let mut flush = |key: &mut Option<(String, Option<usize>)>, end: usize| {
        if let Some((name, Some(start))) = key.take() {
            let value = statement.slice(start, end);
            let value = value.trim_matches(['\'', '"']).to_owned();
            out.push((name, value));
        }
    };
    for t in tokens.iter().skip(open) {
        if t.is_punct('(') {
            depth += 1;
            if depth == 1 {
                continue;
            }
        } else if t.is_punct(')') {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                break;
            }
        } else if depth == 1 && t.is_punct(',') {
            flush(&mut key, end);
            continue;
        }
        match &mut key {
            None => key = t.word().map(|w| (w.to_owned(), None)),
            Some((_, start @ None)) => *start = Some(t.start),
            Some(_) => {}
        }
        end = t.end;
    }
    flush(&mut key, end);
    out
}

fn option<'a>(options: &'a [(String, String)], key: &str) -> Option<&'a str> {
    options
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// A name as statements compare it: upper-cased, quoted or not.
fn name(token: &Token) -> Option<String> {
    match &token.tok {
        Tok::Word(w) => Some(w.clone()),
        Tok::Ident(i) => Some(i.to_ascii_uppercase()),
        _ => None,
    }
}

/// The last name of a statement (`DETACH DATABASE IF EXISTS prod`).
fn last_name(tokens: &[Token]) -> Option<String> {
    tokens.iter().rev().find_map(name)
}

/// The first part of each qualified name (`prod` of `prod.public.t`).
fn qualifiers(statement: &Statement<'_>) -> Vec<String> {
    let text = statement.text;
    let followed_by_dot = |t: &Token| text.get(t.end..).is_some_and(|r| r.starts_with('.'));
    let after_dot = |t: &Token| text.get(..t.start).is_some_and(|r| r.ends_with('.'));
    statement
        .tokens
        .iter()
        .filter(|t| followed_by_dot(t) && !after_dot(t))
        .filter_map(name)
        .collect()
}

/// Words that open a statement which changes the object named after its
/// leading keywords.
const CHANGES: &[&str] = &[
    "DELETE", "UPDATE", "INSERT", "TRUNCATE", "DROP", "ALTER", "CREATE", "MERGE", "UPSERT",
    "REPLACE", "COPY",
];

/// Keywords between a changing statement's first word and its target.
const TARGET_PREFIX: &[&str] = &[
    "DELETE",
    "FROM",
    "UPDATE",
    "ONLY",
    "INSERT",
    "INTO",
    "OR",
    "REPLACE",
    "IGNORE",
    "LOW_PRIORITY",
    "QUICK",
    "TRUNCATE",
    "TABLE",
    "DROP",
    "VIEW",
    "SCHEMA",
    "DATABASE",
    "IF",
    "EXISTS",
    "NOT",
    "ALTER",
    "CREATE",
    "TEMP",
    "TEMPORARY",
    "MERGE",
    "UPSERT",
    "COPY",
    "MATERIALIZED",
    "SEQUENCE",
];

/// The object a changing statement changes: `Some(Some(head))` for a
/// qualified name (`prod` of `DELETE FROM prod.public.t`), `Some(None)`
/// for an unqualified one, `None` when it has none writ can find.
fn target(statement: &Statement<'_>) -> Option<Option<String>> {
    let tokens = &statement.tokens;
    let start = if tokens.first().is_some_and(|t| t.is("WITH")) {
        top_level(tokens)
            .skip(1)
            .find(|(_, t)| {
                t.word()
                    .is_some_and(|w| matches!(w, "DELETE" | "UPDATE" | "INSERT" | "MERGE"))
            })
            .map(|(at, _)| at)?
    } else {
        0
    };
    if !tokens
        .get(start)
        .and_then(Token::word)
        .is_some_and(|w| CHANGES.contains(&w))
    {
        return None;
    }
    let object = tokens
        .get(start..)?
        .iter()
        .find(|t| !t.word().is_some_and(|w| TARGET_PREFIX.contains(&w)))?;
    let head = name(object)?;
    let qualified = statement
        .text
        .get(object.end..)
        .is_some_and(|r| r.starts_with('.'));
    Some(qualified.then_some(head))
}

/// DuckDB's functions that run SQL on an attached database:
/// `postgres_execute('db', 'sql')`, `postgres_query`, `mysql_execute`,
/// `mysql_query`. Each database's name, upper-cased, and its SQL.
fn executed(tokens: &[Token]) -> Vec<(String, String)> {
    tokens
        .windows(6)
        .filter_map(|w| match w {
            [function, open, database, comma, sql, _]
                if function.word().is_some_and(|f| {
                    matches!(
                        f,
                        "POSTGRES_EXECUTE" | "POSTGRES_QUERY" | "MYSQL_EXECUTE" | "MYSQL_QUERY"
                    )
                }) && open.is_punct('(')
                    && comma.is_punct(',') =>
            {
                Some((
                    database.text()?.to_ascii_uppercase(),
                    sql.text()?.to_owned(),
                ))
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only(sql: &str) -> Attachment {
        let mut all = attachments(sql, Dialect::Standard);
        assert_eq!(all.len(), 1, "{sql}: {all:?}");
        all.remove(0)
    }

    #[test]
    fn statements_naming_an_attached_database_run_there() {
        let a = only(
            "INSTALL postgres; LOAD postgres; ATTACH 'host=pg.prod.x dbname=ehr user=m' AS prod (TYPE postgres); DELETE FROM prod.public.reminders;",
        );
        assert_eq!(a.connection, "host=pg.prod.x dbname=ehr user=m");
        assert_eq!(a.dialect, Dialect::Standard);
        assert_eq!(a.runs, ["DELETE FROM prod.public.reminders"]);
        let a = only(
            "ATTACH 'postgres:dbname=ehr host=pg.prod.x' AS p; USE p; TRUNCATE reminders; SELECT count(*) FROM visits",
        );
        assert_eq!(a.connection, "dbname=ehr host=pg.prod.x");
        assert_eq!(a.runs, ["TRUNCATE reminders"]);
        assert_eq!(a.reads, ["SELECT count(*) FROM visits"]);
        let a = only(
            "ATTACH 'mysql:host=my.prod.x user=root database=billing' AS b; CALL mysql_execute('b', 'DELETE FROM invoices')",
        );
        assert_eq!(a.dialect, Dialect::MySql);
        assert_eq!(a.runs, ["DELETE FROM invoices"]);
    }

    #[test]
    fn reads_from_an_attached_database_change_only_the_local_one() {
        let a = only(
            "ATTACH 'postgresql://u@pg.prod.x/ehr' AS prod (TYPE postgres, READ_ONLY); CREATE TABLE r AS SELECT * FROM prod.public.reminders; DELETE FROM r",
        );
        assert!(a.runs.is_empty(), "{a:?}");
        assert_eq!(
            a.reads,
            ["CREATE TABLE r AS SELECT * FROM prod.public.reminders"]
        );
    }

    #[test]
    fn secrets_give_an_attachment_its_server() {
        let a = only(
            "CREATE SECRET pg (TYPE postgres, HOST 'pg.prod.x', PORT 5432, DATABASE ehr, USER 'm', PASSWORD 'pw'); ATTACH '' AS prod (TYPE postgres, SECRET pg); DROP TABLE prod.public.t",
        );
        assert_eq!(
            a.connection,
            "host=pg.prod.x port=5432 dbname=ehr user=m password=pw"
        );
        assert_eq!(a.runs, ["DROP TABLE prod.public.t"]);
    }

    #[test]
    fn local_files_and_detached_databases_are_not_remote() {
        assert!(
            attachments(
                "ATTACH 'other.duckdb' AS o; DELETE FROM o.t",
                Dialect::Standard
            )
            .is_empty()
        );
        assert!(attachments("ATTACH DATABASE 'x.db' AS x", Dialect::Standard).is_empty());
        let a = only("ATTACH 'host=h' AS p (TYPE postgres); DETACH p; DELETE FROM p.t");
        assert!(a.runs.is_empty());
    }
}
