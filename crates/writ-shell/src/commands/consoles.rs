//! Web frameworks' consoles and runners, which run application code
//! against the application's database: `rails runner CODE` (`bin/rails
//! r`), code piped to `rails console` (`rails c`), `artisan tinker
//! --execute=CODE` (or piped), `manage.py shell -c CODE` (`shell_plus`,
//! or piped), code piped to `iex -S mix`, `mix run -e CODE`.
//!
//! The code is read as inline code of its language ([`inline::analyze`]:
//! the commands it runs, its requests, files and mail), and the SQL it
//! writes out (`connection.execute("UPDATE ...")`, `exec_update(%q(...))`,
//! `DB::insert('insert ...')`, `cursor.execute("DELETE ...")`,
//! `Repo.query!("TRUNCATE ...")`) is sent to the database the
//! environment names: the framework's URL variable (`DATABASE_URL`,
//! `DB_URL`) or Laravel's `DB_HOST`, set on the line or exported earlier.
//! Migration tasks (`rails db:migrate`, `db:drop`) are `migrate.rs`'s.

use super::inline::{copy_literal_or_char, delimited};
use super::{Invocation, Outcome, inline, migrate, sql};
use crate::args::{self, Arg, Spec};
use crate::{Effect, Payload, Sql, flow};

/// A framework whose console or runner this handles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framework {
    Rails,
    Laravel,
    Django,
    Phoenix,
}

impl Framework {
    /// The interpreter whose code the console runs, as inline code names it.
    fn language(self) -> &'static str {
        match self {
            Framework::Rails => "ruby",
            Framework::Laravel => "php",
            Framework::Django => "python",
            Framework::Phoenix => "elixir",
        }
    }

    /// The variables holding the application's database URL.
    fn url_vars(self) -> &'static [&'static str] {
        match self {
            Framework::Laravel => &["DB_URL", "DATABASE_URL"],
            Framework::Rails | Framework::Django | Framework::Phoenix => {
                &["DATABASE_URL", "DB_URL"]
            }
        }
    }
}

/// Where a console's code comes from.
enum Code {
    /// Written on the line.
    Given(String),
    /// Read from standard input.
    Stdin,
}

/// A console run: the framework, the program's name as it reports SQL,
/// and its code.
struct Run {
    framework: Framework,
    client: &'static str,
    code: Code,
}

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let run = console(inv)?;
    let code = match run.code {
        Code::Given(text) => text,
        Code::Stdin => inv.stdin_only_text()?,
    };
    let language = run.framework.language();
    let code = requoted(language, &code).unwrap_or(code);
    let mut outcome = Outcome::default();
    inline::analyze(
        &Invocation {
            program: language,
            args: &[],
            ..*inv
        },
        &code,
        &mut outcome,
    );
    let statements = statements(&code);
    if !statements.is_empty() {
        let connection = connection(inv, run.framework);
        // What the code's own driver already sent to that server.
        let reported = outcome
            .effects
            .iter()
            .any(|e| matches!(e, Effect::Sql(q) if q.host.is_some() && q.host == connection.host));
        if !reported {
            outcome.effects.push(Effect::Sql(Sql {
                client: run.client.to_owned(),
                host: connection.host,
                dsn: connection.dsn,
                sql: Some(statements.join("; ")),
                files: Vec::new(),
                login: connection.login,
            }));
        }
    }
    Some(outcome)
}

/// The console `inv` opens and its code; `None` for anything else.
fn console(inv: &Invocation<'_>) -> Option<Run> {
    let program = inv.program;
    if program == "rails" {
        return rails(inv.args);
    }
    if program == "iex" {
        return iex(inv.args);
    }
    if program == "mix" {
        return mix(inv.args);
    }
    if program == "artisan" {
        return tinker(inv.args);
    }
    if program == "manage.py" {
        return django_shell("manage.py", inv.args);
    }
    if program == "django-admin" {
        return django_shell("django-admin", inv.args);
    }
    let interpreter = program.starts_with("python")
        || program
            .strip_prefix("php")
            .is_some_and(|v| v.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
    if interpreter {
        // `python manage.py shell`, `php artisan tinker`: the script's
        // name, after the interpreter's options.
        let at = inv.args.iter().position(|a| !a.text.starts_with('-'))?;
        let script = inv.args.get(at)?;
        let rest = inv.args.get(at + 1..).unwrap_or_default();
        let name = script.text.rsplit('/').next().unwrap_or_default();
        return match name {
            "artisan" => tinker(rest),
            "manage.py" => django_shell("manage.py", rest),
            _ => None,
        };
    }
    None
}

/// `rails runner [-e ENV] CODE` (`r`; `-` reads the code from standard
/// input) and `rails console [-e ENV] [--sandbox]` (`c`) reading it.
fn rails(words: &[Arg]) -> Option<Run> {
    let spec = Spec {
        short: "e",
        long: &["environment"],
        stop_after: None,
    };
    let items = args::parse(words, &spec);
    let positionals = args::positionals(&items);
    let (verb, rest) = positionals.split_first()?;
    let code = match verb.text.as_str() {
        "runner" | "r" => match rest.first() {
            Some(code) if code.text == "-" => Code::Stdin,
            // A script file's code is not on the line.
            Some(code) if is_script_path(&code.text, ".rb") => return None,
            Some(code) => Code::Given(code.text.clone()),
            None => return None,
        },
        "console" | "c" => Code::Stdin,
        _ => return None,
    };
    Some(Run {
        framework: Framework::Rails,
        client: "rails",
        code,
    })
}

/// `artisan tinker [--execute=CODE]`: the code given, else standard input.
fn tinker(words: &[Arg]) -> Option<Run> {
    let spec = Spec {
        short: "",
        long: &["execute", "env"],
        stop_after: None,
    };
    let items = args::parse(words, &spec);
    let positionals = args::positionals(&items);
    if positionals.first()?.text != "tinker" {
        return None;
    }
    let code = match args::value(&items, &["--execute"]) {
        Some(code) => Code::Given(code.text.clone()),
        None => Code::Stdin,
    };
    Some(Run {
        framework: Framework::Laravel,
        client: "artisan",
        code,
    })
}

/// `manage.py shell [-c CODE]` (django-extensions' `shell_plus` too):
/// the code given, else standard input.
fn django_shell(client: &'static str, words: &[Arg]) -> Option<Run> {
    let spec = Spec {
        short: "civ",
        long: &[
            "command",
            "interface",
            "settings",
            "pythonpath",
            "verbosity",
        ],
        stop_after: None,
    };
    let items = args::parse(words, &spec);
    let positionals = args::positionals(&items);
    if !matches!(positionals.first()?.text.as_str(), "shell" | "shell_plus") {
        return None;
    }
    let code = match args::value(&items, &["-c", "--command"]) {
        Some(code) => Code::Given(code.text.clone()),
        None => Code::Stdin,
    };
    Some(Run {
        framework: Framework::Django,
        client,
        code,
    })
}

/// `iex -S mix [-e CODE]`: the application's shell, its code given with
/// `-e`/`--eval` or on standard input. A bare `iex` loads no application.
fn iex(words: &[Arg]) -> Option<Run> {
    let spec = Spec {
        short: "Sre",
        long: &[
            "eval",
            "sname",
            "name",
            "cookie",
            "remsh",
            "dot-iex",
            "erl",
            "logger-otp-reports",
            "logger-sasl-reports",
        ],
        stop_after: None,
    };
    let items = args::parse(words, &spec);
    if args::value(&items, &["-S"]).is_none_or(|script| script.text != "mix") {
        return None;
    }
    let code = match args::value(&items, &["-e", "--eval"]) {
        Some(code) => Code::Given(code.text.clone()),
        None => Code::Stdin,
    };
    Some(Run {
        framework: Framework::Phoenix,
        client: "iex",
        code,
    })
}

/// `mix run -e CODE` (`--eval`); a script file's code is not on the line.
fn mix(words: &[Arg]) -> Option<Run> {
    let spec = Spec {
        short: "er",
        long: &["eval", "require", "config"],
        stop_after: None,
    };
    let items = args::parse(words, &spec);
    if args::positionals(&items).first()?.text != "run" {
        return None;
    }
    let code = args::value(&items, &["-e", "--eval"])?;
    Some(Run {
        framework: Framework::Phoenix,
        client: "mix",
        code: Code::Given(code.text.clone()),
    })
}

/// A path to a script file (`script/fix.rb`), not code.
fn is_script_path(text: &str, extension: &str) -> bool {
    text.ends_with(extension) && !text.contains(char::is_whitespace) && !text.contains('(')
}

/// The database the application connects to: the server of the URL its
/// framework reads, or Laravel's `DB_HOST`, with the password it carries.
#[derive(Debug, Default)]
struct Connection {
    host: Option<String>,
    dsn: Option<String>,
    login: Payload,
}

fn connection(inv: &Invocation<'_>, framework: Framework) -> Connection {
    let url = framework
        .url_vars()
        .iter()
        .filter_map(|name| inv.env_value(name))
        .find(|url| sql::dsn_host(&url.text).is_some());
    if let Some(url) = url {
        return Connection {
            host: sql::dsn_host(&url.text),
            dsn: Some(url.text.clone()),
            login: migrate::dsn_login(url),
        };
    }
    if framework == Framework::Laravel
        && let Some(host) = inv.env_value("DB_HOST").filter(|h| !h.text.is_empty())
    {
        let mut login = Payload::default();
        if let Some(password) = inv.env_value("DB_PASSWORD") {
            flow::merge(&mut login, &password.payload());
        }
        return Connection {
            host: Some(sql::strip_port(&host.text)),
            dsn: None,
            login,
        };
    }
    Connection::default()
}

/// Methods whose string argument is SQL run as it is (ActiveRecord's
/// `execute`/`exec_update`, Laravel's `DB::statement`, DB-API's
/// `execute`, Ecto's `query!`, Django's `raw`).
const SQL_CALLS: &[&str] = &[
    "execute",
    "executemany",
    "executescript",
    "exec_query",
    "exec_update",
    "exec_delete",
    "exec_insert",
    "select_all",
    "select_one",
    "select_value",
    "select_values",
    "select_rows",
    "find_by_sql",
    "count_by_sql",
    "insert",
    "update",
    "delete",
    "select",
    "statement",
    "unprepared",
    "affectingStatement",
    "raw",
    "query",
    "query!",
    "exec",
];

/// The SQL statements the code writes out: string literals given to an
/// SQL call, or shaped as a statement (`DELETE FROM t`, `UPDATE t SET`).
fn statements(code: &str) -> Vec<String> {
    let literals = inline::literals(code);
    let masked = masked(code, &literals);
    let mut found: Vec<String> = Vec::new();
    for literal in &literals {
        let text = literal.text.trim();
        if literal.backtick || !starts_statement(text) {
            continue;
        }
        let called = enclosing_call(&masked, literal.start)
            .is_some_and(|call| SQL_CALLS.contains(&call.as_str()));
        if (called || statement_shaped(text)) && !found.iter().any(|s| s == text) {
            found.push(text.to_owned());
        }
    }
    found
}

/// Whether text starts with an SQL verb followed by more words.
fn starts_statement(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let first = words.next().unwrap_or_default().to_ascii_lowercase();
    inline::SQL_VERBS.contains(&first.as_str()) && words.next().is_some()
}

/// Whether text reads as a whole statement, not prose that happens to
/// start with an SQL verb: `INSERT ... INTO`, `UPDATE ... SET`, `DELETE
/// FROM`, `DROP/ALTER/CREATE` of an object kind, `TRUNCATE`, `SELECT ...
/// FROM`.
fn statement_shaped(text: &str) -> bool {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == '(' || c == ',')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let has = |word: &str| words.iter().any(|w| w == word);
    let second = words.get(1).map(String::as_str).unwrap_or_default();
    match words.first().map(String::as_str).unwrap_or_default() {
        "insert" | "replace" => has("into"),
        "update" => has("set"),
        "delete" => second == "from",
        "truncate" => true,
        "drop" | "alter" | "create" => matches!(
            second,
            "table"
                | "database"
                | "schema"
                | "index"
                | "view"
                | "materialized"
                | "unique"
                | "or"
                | "if"
                | "temporary"
                | "temp"
                | "sequence"
                | "function"
                | "trigger"
                | "type"
                | "extension"
                | "role"
                | "user"
                | "column"
        ),
        "select" | "with" => has("from"),
        "grant" | "revoke" => has("on") || has("to"),
        "copy" | "merge" => true,
        _ => false,
    }
}

/// The code with the text inside its string literals blanked, so that
/// brackets in strings do not count.
fn masked(code: &str, literals: &[inline::Literal]) -> Vec<u8> {
    let mut bytes = code.as_bytes().to_vec();
    for literal in literals {
        let inside = literal.start + 1..literal.end.saturating_sub(1);
        for at in inside {
            if let Some(byte) = bytes.get_mut(at) {
                *byte = b' ';
            }
        }
    }
    bytes
}

/// The name of the call whose argument list holds the literal starting at
/// `start` (`conn.exec_update(` gives `exec_update`; `Repo.query!(Repo,
/// "..."` gives `query!`), or of a call without parentheses just before it
/// (Ruby's `conn.execute "..."`).
fn enclosing_call(masked: &[u8], start: usize) -> Option<String> {
    let head = masked.get(..start)?;
    let trimmed = head.trim_ascii_end();
    if trimmed.last().is_some_and(|b| is_name_byte(*b)) {
        return Some(name_before(trimmed));
    }
    let mut depth = 0usize;
    for (at, byte) in head.iter().enumerate().rev() {
        match byte {
            b')' | b']' | b'}' => depth += 1,
            b'(' if depth == 0 => {
                return Some(name_before(head.get(..at)?.trim_ascii_end()));
            }
            b'(' | b'[' | b'{' => {
                if depth == 0 {
                    // A list or map argument (`execute([...])`): look on out.
                    continue;
                }
                depth -= 1;
            }
            b';' | b'\n' if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'!' | b'?')
}

/// The last name segment before a call's bracket (after `.`, `::`, `->`).
fn name_before(head: &[u8]) -> String {
    let start = head
        .iter()
        .rposition(|b| !is_name_byte(*b))
        .map_or(0, |at| at + 1);
    String::from_utf8_lossy(head.get(start..).unwrap_or_default()).into_owned()
}

/// The code with its language's other string literal forms written as
/// double-quoted ones the literal reader knows: Ruby's `%q(...)`,
/// `%Q[...]`, `%(...)`, Elixir's sigils `~s(...)`, `~S"..."`; `None` for
/// other languages, or code without them.
pub(super) fn requoted(program: &str, code: &str) -> Option<String> {
    let opener: &[&str] = if program.starts_with("ruby") {
        &["%q", "%Q", "%"]
    } else if program.starts_with("elixir") {
        &["~s", "~S"]
    } else {
        return None;
    };
    if !opener.iter().any(|o| code.contains(o)) {
        return None;
    }
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    'outer: while !rest.is_empty() {
        for prefix in opener {
            if let Some(after) = rest.strip_prefix(prefix)
                && let Some((text, remainder)) = delimited(after, false)
                && !previous_is_operand(&out)
            {
                out.push('"');
                for c in text.chars() {
                    if matches!(c, '"' | '\\') {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push('"');
                rest = remainder;
                continue 'outer;
            }
        }
        // Existing literals are copied whole, so a `%q(` inside one stays.
        if !copy_literal_or_char(&mut rest, &mut out, &['\'', '"']) {
            break;
        }
    }
    Some(out)
}

/// Whether what precedes is a value, so that `%` is the modulo operator
/// (`x % (y)`), not a literal.
fn previous_is_operand(before: &str) -> bool {
    before
        .chars()
        .last()
        .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | ')' | ']' | '}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_literals_become_quoted() {
        let requoted = |program: &str, code: &str| requoted(program, code).unwrap_or_default();
        assert_eq!(
            requoted("ruby", "x.exec_update(%q(UPDATE t SET s = 'v' WHERE f(1)))"),
            "x.exec_update(\"UPDATE t SET s = 'v' WHERE f(1)\")"
        );
        assert_eq!(requoted("ruby", "a % (b)"), "a % (b)");
        assert_eq!(requoted("ruby", "n%(2)"), "n%(2)");
        assert_eq!(requoted("elixir", "~s[say \"hi\"]"), "\"say \\\"hi\\\"\"");
        assert_eq!(requoted("ruby", "'%q(x)'"), "'%q(x)'");
        assert_eq!(requoted("python", "'%q(x)'"), "");
    }

    #[test]
    fn calls_around_literals_are_named() {
        let call = |code: &str| {
            let literals = inline::literals(code);
            let start = literals.first().map(|l| l.start).unwrap_or_default();
            enclosing_call(&masked(code, &literals), start)
        };
        assert_eq!(call("Repo.query!(Repo, \"x\")").as_deref(), Some("query!"));
        assert_eq!(call("Repo.query!(\"x\")").as_deref(), Some("query!"));
        assert_eq!(call("conn.execute \"x\"").as_deref(), Some("execute"));
        assert_eq!(call("DB::insert('x', [1])").as_deref(), Some("insert"));
        assert_eq!(call("puts 1; \"x\"").as_deref(), None);
    }
}
