//! Clojure code (babashka's `bb -e`, `clojure -M -e`): the commands it
//! runs (`(sh "git" "push")`, `(shell "make test")`, `(p/process ["ls"])`)
//! and the files it deletes through a name bound to literals (`(doseq [d
//! ["a" "b"]] (fs/delete-tree d))`). Its quote (`'[a :as b]`) is no string.

use super::Literal;
use super::argv::{Job, Run};
use crate::args::Arg;

/// The Clojure runners.
pub(super) fn is_clojure(program: &str) -> bool {
    matches!(program, "bb" | "clojure" | "clj")
}

/// The code with each quote outside a string (`'sym`, `'[...]`) made a
/// space, so that only `"..."` are literals.
pub(super) fn unquote(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut comment = false;
    for c in code.chars() {
        if comment {
            comment = c != '\n';
            out.push(if c == '\n' { c } else { ' ' });
            continue;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            out.push(c);
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            ';' => {
                comment = true;
                out.push(' ');
            }
            '\'' | '`' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Last segments of the names of calls that run a command.
const RUNS: &[&str] = &["sh", "shell", "process", "exec"];

/// Last segments of the names of calls that delete a file, and whether
/// they delete a tree.
const DELETES: &[(&str, bool)] = &[
    ("fs/delete-tree", true),
    ("fs/delete", false),
    ("fs/delete-if-exists", false),
    ("io/delete-file", false),
    ("clojure.java.io/delete-file", false),
];

/// One form read from Clojure code.
enum Form {
    Text(String),
    Vector(Vec<Form>),
    Map,
    Keyword,
    Other(String),
}

fn is_symbol_char(c: char) -> bool {
    !(c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | '{' | '}' | '"' | ','))
}

/// The form at `at` (after whitespace and commas) and where it ends, or
/// `None` at a closing bracket or the end.
fn form(code: &str, at: usize) -> Option<(Form, usize)> {
    let rest = code.get(at..)?;
    let skip = rest.len()
        - rest
            .trim_start_matches(|c: char| c.is_whitespace() || c == ',')
            .len();
    let at = at + skip;
    let rest = code.get(at..)?;
    let first = rest.chars().next()?;
    match first {
        ')' | ']' | '}' => None,
        '"' => {
            let literals = super::literals(rest);
            let literal = literals.first().filter(|l| l.start == 0)?;
            Some((Form::Text(literal.text.clone()), at + literal.end))
        }
        '[' | '(' | '{' => {
            let mut items = Vec::new();
            let mut next = at + 1;
            while let Some((item, end)) = form(code, next) {
                items.push(item);
                next = end;
            }
            // Past the closing bracket.
            let rest = code.get(next..)?;
            let skip = rest.len()
                - rest
                    .trim_start_matches(|c: char| c.is_whitespace() || c == ',')
                    .len();
            let end = next + skip + 1;
            let whole = code.get(at..end.min(code.len())).unwrap_or_default();
            Some((
                match first {
                    '[' => Form::Vector(items),
                    '{' => Form::Map,
                    _ => Form::Other(whole.to_owned()),
                },
                end.min(code.len()),
            ))
        }
        _ => {
            let len = rest
                .find(|c: char| !is_symbol_char(c))
                .unwrap_or(rest.len());
            let token = rest.get(..len).unwrap_or_default();
            let form = if token.starts_with(':') {
                Form::Keyword
            } else {
                Form::Other(token.to_owned())
            };
            Some((form, at + len.max(1)))
        }
    }
}

/// A form as a word of a command: a string's text, anything else an
/// expansion whose value is unknown.
fn word(form: &Form) -> Arg {
    match form {
        Form::Text(text) => Arg::literal(text),
        Form::Other(text) => Arg {
            text: format!("${text}"),
            dynamic: true,
            ..Arg::default()
        },
        _ => Arg {
            text: "$value".to_owned(),
            dynamic: true,
            ..Arg::default()
        },
    }
}

/// The name of the call whose `(` is at `open`.
fn call_name(code: &str, open: usize) -> &str {
    let rest = code.get(open + 1..).unwrap_or_default();
    let len = rest
        .find(|c: char| !is_symbol_char(c))
        .unwrap_or(rest.len());
    rest.get(..len).unwrap_or_default()
}

/// The commands the code runs.
pub(super) fn runs(code: &str) -> Vec<Run> {
    let mut found = Vec::new();
    for (open, _) in code.match_indices('(') {
        if inside_string(code, open) {
            continue;
        }
        let name = call_name(code, open);
        let last = name.rsplit('/').next().unwrap_or(name);
        if !RUNS.contains(&last) || (name.contains('/') && !last.is_empty() && name.ends_with('/'))
        {
            continue;
        }
        let mut args = Vec::new();
        let mut at = open + 1 + name.len();
        let mut skip_value = false;
        while let Some((item, end)) = form(code, at) {
            at = end;
            if skip_value {
                skip_value = false;
                continue;
            }
            match item {
                Form::Keyword => skip_value = true,
                Form::Map => {}
                other => args.push(other),
            }
        }
        let job = match args.as_slice() {
            [Form::Text(line)] => Job::Shell(line.clone()),
            [Form::Vector(words), ..] => {
                let argv: Vec<Arg> = words.iter().map(word).collect();
                match argv.first() {
                    Some(first) if !first.dynamic => Job::Argv(argv),
                    _ => continue,
                }
            }
            [Form::Text(_), ..] => Job::Argv(args.iter().map(word).collect()),
            _ => continue,
        };
        found.push(Run {
            job,
            span: open..at,
        });
    }
    found
}

/// True when `at` is inside a `"..."` string.
fn inside_string(code: &str, at: usize) -> bool {
    super::literals(code)
        .iter()
        .any(|l| l.start < at && at < l.end)
}

/// Files deleted by a delete call given a name bound to a literal or a
/// vector of literals (`(let [d "x"] ...)`, `(doseq [d ["a" "b"]] ...)`),
/// and whether each is a tree.
pub(super) fn deleted(code: &str, literals: &[Literal]) -> Vec<(String, bool)> {
    let mut found = Vec::new();
    for (open, _) in code.match_indices('(') {
        if literals.iter().any(|l| l.start < open && open < l.end) {
            continue;
        }
        let name = call_name(code, open);
        let Some(recursive) = DELETES
            .iter()
            .find(|(call, _)| name == *call || name.ends_with(&format!(".{call}")))
            .map(|(_, tree)| *tree)
        else {
            continue;
        };
        let Some((Form::Other(symbol), _)) = form(code, open + 1 + name.len()) else {
            continue;
        };
        let head = code.get(..open).unwrap_or_default();
        for path in bound(head, &symbol) {
            if !found.iter().any(|(p, _)| *p == path) {
                found.push((path, recursive));
            }
        }
    }
    found
}

/// The literals `symbol` is bound to in `head`'s binding vectors.
fn bound(head: &str, symbol: &str) -> Vec<String> {
    let mut values = Vec::new();
    for (at, _) in head.match_indices(symbol) {
        let whole_before = head
            .get(..at)
            .and_then(|b| b.chars().next_back())
            .is_some_and(|c| c == '[' || c.is_whitespace());
        let end = at + symbol.len();
        let whole_after = head
            .get(end..)
            .and_then(|a| a.chars().next())
            .is_some_and(char::is_whitespace);
        if !(whole_before && whole_after) {
            continue;
        }
        match form(head, end) {
            Some((Form::Text(text), _)) => values.push(text),
            Some((Form::Vector(items), _)) => {
                values.extend(items.into_iter().filter_map(|i| match i {
                    Form::Text(text) => Some(text),
                    _ => None,
                }))
            }
            _ => {}
        }
    }
    values
}
