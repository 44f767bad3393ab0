//! Calls in Vim script and Lua (`:call system("cmd")`, `:lua
//! os.execute("cmd")`, `vim.fn.writefile(...)`, `vim.cmd("w x")`) whose
//! arguments are literal: the commands they run, the Ex commands they
//! execute, the files they write, read and delete. Lua's long brackets
//! and the bracket matching are [`lua`]'s, read here with Vim's strings.

use super::Action;
use crate::commands::{lua, top_level};

/// What a call does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Found {
    Action(Action),
    /// Ex command text it executes (`execute("w x")`, `vim.cmd("!ls")`).
    ExText(String),
}

/// An argument: literal text, a list of literal texts, or anything else.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Text(String),
    List(Vec<String>),
    Other,
}

/// What a function does with its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Does {
    /// Runs its first argument: text through the shell, a list as words.
    Run,
    /// Executes its first argument (text or lines) as Ex commands.
    Ex,
    /// Executes its second argument as Ex commands (`win_execute(id, cmd)`).
    ExSecond,
    /// `writefile(LINES, FILE [, FLAGS])`: `a` in FLAGS appends.
    WriteFile,
    Delete,
    Read,
    /// Moves its first argument to its second.
    Rename,
    /// `io.open(FILE, MODE)`: written when MODE writes or appends.
    Open,
    Copy,
}

/// Functions by name, after `vim.fn.`, `vim.api.`, `vim.uv.` or
/// `vim.loop.`.
const FUNCTIONS: &[(&str, Does)] = &[
    ("system", Does::Run),
    ("systemlist", Does::Run),
    ("jobstart", Does::Run),
    ("termopen", Does::Run),
    ("job_start", Does::Run),
    ("term_start", Does::Run),
    ("vim.system", Does::Run),
    ("os.execute", Does::Run),
    ("io.popen", Does::Run),
    ("execute", Does::Ex),
    ("vim.cmd", Does::Ex),
    ("nvim_command", Does::Ex),
    ("nvim_exec", Does::Ex),
    ("nvim_exec2", Does::Ex),
    ("win_execute", Does::ExSecond),
    ("writefile", Does::WriteFile),
    ("delete", Does::Delete),
    ("os.remove", Does::Delete),
    ("vim.fs.rm", Does::Delete),
    ("fs_unlink", Does::Delete),
    ("fs_rmdir", Does::Delete),
    ("readfile", Does::Read),
    ("rename", Does::Rename),
    ("os.rename", Does::Rename),
    ("fs_rename", Does::Rename),
    ("io.open", Does::Open),
    ("filecopy", Does::Copy),
    ("fs_copyfile", Does::Copy),
];

/// A function's name without Neovim's namespaces.
fn bare_name(name: &str) -> &str {
    ["vim.fn.", "vim.api.", "vim.uv.", "vim.loop.", "fn."]
        .iter()
        .find_map(|prefix| name.strip_prefix(prefix))
        .unwrap_or(name)
}

/// What the calls in `code` do, in order.
pub(super) fn calls(code: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(c) = code.get(at..).and_then(|rest| rest.chars().next()) {
        if let Some((_, end)) = string_at(code, at) {
            at = end;
            continue;
        }
        if !(c.is_ascii_alphabetic() || c == '_') {
            at += c.len_utf8();
            continue;
        }
        let end = code[at..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || "_.:#".contains(c)))
            .map_or(code.len(), |n| at + n);
        let name = bare_name(code[at..end].trim_end_matches([':', '.']));
        at = end;
        let Some((_, does)) = FUNCTIONS.iter().find(|(n, _)| *n == name) else {
            continue;
        };
        if let Some(arguments) = call_arguments(code, end) {
            found.extend(effects(*does, &arguments));
        }
    }
    found
}

/// The arguments of a call whose name ends at `end`: `(a, b)`, or Lua's
/// one string or table (`vim.cmd "w"`, `vim.cmd[[w]]`, `f{...}`).
fn call_arguments(code: &str, end: usize) -> Option<Vec<Value>> {
    let rest = code.get(end..)?;
    let start = end + (rest.len() - rest.trim_start().len());
    let rest = rest.trim_start();
    if rest.starts_with('(') {
        let close = matching(code, start)?;
        return Some(
            split_top(code.get(start + 1..close)?, ",")
                .into_iter()
                .map(value)
                .collect(),
        );
    }
    if let Some((text, _)) = string_at(code, start) {
        return Some(vec![Value::Text(text)]);
    }
    if rest.starts_with('{') {
        let close = matching(code, start)?;
        return Some(vec![value(code.get(start..=close)?)]);
    }
    None
}

/// What a call does with its arguments.
fn effects(does: Does, arguments: &[Value]) -> Vec<Found> {
    let text = |index: usize| match arguments.get(index) {
        Some(Value::Text(text)) => Some(text.clone()),
        _ => None,
    };
    let act = |action| vec![Found::Action(action)];
    match does {
        Does::Run => match arguments.first() {
            Some(Value::Text(command)) => act(Action::Shell {
                text: command.clone(),
                input: false,
                expand: false,
            }),
            Some(Value::List(words)) if !words.is_empty() => act(Action::Argv(words.clone())),
            _ => Vec::new(),
        },
        Does::Ex | Does::ExSecond => {
            let index = usize::from(does == Does::ExSecond);
            match arguments.get(index) {
                Some(Value::Text(text)) => vec![Found::ExText(text.clone())],
                Some(Value::List(lines)) => lines.iter().cloned().map(Found::ExText).collect(),
                _ => Vec::new(),
            }
        }
        Does::WriteFile => text(1).map_or_else(Vec::new, |path| {
            act(Action::Write {
                path: Some(path),
                append: text(2).is_some_and(|flags| flags.contains('a')),
            })
        }),
        Does::Delete => text(0).map_or_else(Vec::new, |path| {
            // `delete(f, "rf")`; options other than flags (`vim.fs.rm(d,
            // { recursive = true })`) are taken to remove a tree.
            let recursive = match arguments.get(1) {
                Some(Value::Text(flags)) => flags.contains("rf"),
                Some(Value::List(_) | Value::Other) => true,
                None => false,
            };
            act(Action::Delete { path, recursive })
        }),
        Does::Read => text(0).map_or_else(Vec::new, |path| act(Action::Read(path))),
        Does::Rename | Does::Copy => match (text(0), text(1)) {
            (Some(from), Some(to)) => {
                let mut found = vec![Found::Action(Action::Copy {
                    from: from.clone(),
                    to,
                })];
                if does == Does::Rename {
                    found.push(Found::Action(Action::Delete {
                        path: from,
                        recursive: true,
                    }));
                }
                found
            }
            _ => Vec::new(),
        },
        Does::Open => text(0).map_or_else(Vec::new, |path| {
            let mode = text(1).unwrap_or_default();
            if mode.contains(['w', 'a']) {
                act(Action::Write {
                    path: Some(path),
                    append: mode.contains('a'),
                })
            } else {
                act(Action::Read(path))
            }
        }),
    }
}

/// An argument's value: literal text (joined by `.` or `..`), a list or
/// table of literal texts (a Lua table's named fields left out), or other.
fn value(text: &str) -> Value {
    let text = text.trim();
    if let Some(joined) = join_literals(text, false) {
        return Value::Text(joined);
    }
    let inner = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .or_else(|| text.strip_prefix('{').and_then(|t| t.strip_suffix('}')));
    let Some(inner) = inner else {
        return Value::Other;
    };
    let mut words = Vec::new();
    for item in split_top(inner, ",") {
        let item = item.trim();
        if item.is_empty() || split_top(item, "=").len() > 1 {
            continue;
        }
        match join_literals(item, false) {
            Some(word) => words.push(word),
            None => return Value::Other,
        }
    }
    Value::List(words)
}

/// The text of `:execute`'s arguments when all are literal: strings
/// joined by `.` or `..`, and by a space where only spaces part them.
pub(super) fn execute_text(argument: &str) -> Option<String> {
    join_literals(argument.trim(), true)
}

/// Literal strings joined by `.`/`..` (and by spaces when `spaced`).
fn join_literals(text: &str, spaced: bool) -> Option<String> {
    let mut out = String::new();
    let mut at = 0;
    let mut first = true;
    while at < text.len() {
        let mut rest = &text[at..];
        let mut joined = first;
        if !first {
            let trimmed = rest.trim_start();
            let spaces = rest.len() - trimmed.len();
            let operator = if trimmed.starts_with("..") {
                2
            } else {
                usize::from(trimmed.starts_with('.'))
            };
            if operator == 0 && (!spaced || spaces == 0) {
                return None;
            }
            joined = operator > 0;
            at += spaces + operator;
            rest = text[at..].trim_start();
            at = text.len() - rest.len();
        }
        let (literal, end) = term_at(text, at)?;
        if !joined {
            out.push(' ');
        }
        out.push_str(&literal);
        at = end;
        first = false;
        let rest = &text[at..];
        if rest.trim().is_empty() {
            break;
        }
    }
    (!first).then_some(out)
}

/// A literal term at `at` and where it ends: a string, an environment
/// variable (`$HOME`, kept as the shell writes it), or `expand(STRING)`
/// of a name without buffer specials (`expand("~/.bashrc")`).
fn term_at(text: &str, at: usize) -> Option<(String, usize)> {
    let rest = text.get(at..)?;
    if let Some(name) = rest.strip_prefix('$') {
        let length = name
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(name.len());
        return (length > 0).then(|| (format!("${}", &name[..length]), at + 1 + length));
    }
    if let Some(inner) = rest.strip_prefix("expand(") {
        let start = at + "expand(".len();
        let skipped = inner.len() - inner.trim_start().len();
        let (literal, end) = string_at(text, start + skipped)?;
        let after = text.get(end..)?;
        let close = end + (after.len() - after.trim_start().len());
        let specials = literal.starts_with(['%', '#', '<']);
        return (text.get(close..)?.starts_with(')') && !specials).then(|| (literal, close + 1));
    }
    string_at(text, at)
}

/// The string literal starting at `at`, and where it ends: `"..."` with
/// backslash escapes, `'...'` with `''` for a quote, Lua's `[[...]]` and
/// `[==[...]==]`.
fn string_at(code: &str, at: usize) -> Option<(String, usize)> {
    let rest = code.get(at..)?;
    if let Some(body) = rest.strip_prefix('"') {
        return double_quoted(body).map(|(text, used)| (text, at + 1 + used));
    }
    if let Some(body) = rest.strip_prefix('\'') {
        let mut text = String::new();
        let mut chars = body.char_indices().peekable();
        while let Some((index, c)) = chars.next() {
            if c == '\'' {
                if chars.peek().is_some_and(|(_, next)| *next == '\'') {
                    chars.next();
                    text.push('\'');
                    continue;
                }
                return Some((text, at + 1 + index + 1));
            }
            text.push(c);
        }
        return None;
    }
    let level = lua::long_bracket_level(rest)?;
    let end = lua::long_bracket_close(code, at, level)?;
    Some((lua::long_string_text(code, at, level, end)?, end))
}

/// A `"..."` string's text after its opening quote, and the bytes it used
/// with the closing quote.
fn double_quoted(body: &str) -> Option<(String, usize)> {
    let mut text = String::new();
    let mut chars = body.char_indices();
    while let Some((index, c)) = chars.next() {
        match c {
            '"' => return Some((text, index + 1)),
            '\\' => {
                let (_, escaped) = chars.next()?;
                text.push(match escaped {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    'e' => '\u{1b}',
                    other => other,
                });
            }
            _ => text.push(c),
        }
    }
    None
}

/// Where the bracket opened at `open` closes, strings skipped.
fn matching(code: &str, open: usize) -> Option<usize> {
    top_level::matching_with(code, open, |code, at| {
        string_at(code, at).map(|(_, end)| end)
    })
}

/// `text` split at each top-level `separator` (outside quoted strings and
/// brackets).
fn split_top<'t>(text: &'t str, separator: &str) -> Vec<&'t str> {
    top_level::split_with(text, separator, item_token_end)
}

/// Where a token starting at `at` that holds no separator ends: a quoted
/// string, or an `=` that compares (`==`, `~=`, `<=`, `>=`, `!=`: only a
/// lone `=` names a field).
fn item_token_end(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    if rest.starts_with(['"', '\'']) {
        return string_at(text, at).map(|(_, end)| end);
    }
    let before = text.get(..at)?.chars().last();
    let compares = rest.starts_with('=')
        && (matches!(before, Some('=' | '~' | '<' | '>' | '!')) || rest.get(1..)?.starts_with('='));
    compares.then_some(at + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell(text: &str) -> Found {
        Found::Action(Action::Shell {
            text: text.to_owned(),
            input: false,
            expand: false,
        })
    }

    #[test]
    fn calls_with_literal_arguments() {
        let cases: &[(&str, Vec<Found>)] = &[
            (r#"system("curl -T .env x")"#, vec![shell("curl -T .env x")]),
            ("system('a' . 'b')", vec![shell("ab")]),
            (
                "vim.fn.system({'git', 'push'})",
                vec![Found::Action(Action::Argv(vec![
                    "git".to_owned(),
                    "push".to_owned(),
                ]))],
            ),
            ("os.execute[[rm -rf x]]", vec![shell("rm -rf x")]),
            (
                "vim.cmd('w /tmp/x')",
                vec![Found::ExText("w /tmp/x".to_owned())],
            ),
            (
                "writefile(['x'], '/home/u/.bashrc', 'a')",
                vec![Found::Action(Action::Write {
                    path: Some("/home/u/.bashrc".to_owned()),
                    append: true,
                })],
            ),
            (
                "delete('build', 'rf')",
                vec![Found::Action(Action::Delete {
                    path: "build".to_owned(),
                    recursive: true,
                })],
            ),
            ("echo 'system(\"x\")'", vec![]),
            ("mysystem('x')", vec![]),
            ("system(cmd)", vec![]),
        ];
        for (code, expected) in cases {
            assert_eq!(&calls(code), expected, "{code}");
        }
    }

    #[test]
    fn execute_joins_its_arguments() {
        assert_eq!(execute_text(r#""!curl" "x""#).as_deref(), Some("!curl x"));
        assert_eq!(execute_text(r#""w " .. "f""#).as_deref(), Some("w f"));
        assert_eq!(execute_text("'w ' . name"), None);
    }
}
