//! SCons: `scons [-C DIR] [-f FILE] [-u|-U|-D] [NAME=value...] [TARGET...]`
//! runs the actions of the targets it builds, as the SConstruct (found in
//! the directory, or above it with `-u`/`-U`/`-D`) declares them, when an
//! earlier step wrote or read it.
//!
//! The SConstruct is read as the Python it is, as far as its strings go:
//! assignments, string literals (f-strings' plain names too), `+`, `%`
//! formatting, lists and tuples, `ARGUMENTS.get('k', default)` and
//! `ARGUMENTS['k']` bound from the line's `k=v` words, `os.environ` and
//! `os.getenv` as the environment's variable, `Split`, `File`/`Dir`, and
//! the construction variables `Environment(K=V)`, `env.Replace(K=V)` and
//! `env['K'] = V` set. Both branches of an `if` are read; function bodies
//! are not. `Command(target, source, action)` (an action string, a list
//! of them, or `Touch`, `Mkdir`, `Copy`, `Move`, `Delete`, `Chmod`)
//! declares a target its actions make; `Install(dir, sources)` copies
//! into `dir`; `Program`, `Library` and their kin make targets from
//! sources, with no action of their own; `Alias(name, targets, [action])`
//! names targets; `Depends` adds prerequisites; `Default` says what a
//! bare `scons` builds (every target when nothing does). A target is built
//! after its sources and prerequisites, each once, its actions run by the
//! shell in the SConstruct's directory, with `$TARGET`, `$TARGETS`,
//! `$SOURCE`, `$SOURCES`, `$$` and construction variables substituted
//! (an unset one is empty, as in SCons). `-n`, `-q`, `-c` and help run
//! nothing.

use std::collections::{HashMap, HashSet};

use super::{MAX_JOBS, MAX_NESTING, shell_job};
use crate::args;
use crate::commands::{Invocation, Lookup, Nested};
use crate::paths;

/// The names SCons looks for its build script under, in order.
const SCRIPTS: &[&str] = &[
    "SConstruct",
    "Sconstruct",
    "sconstruct",
    "SConstruct.py",
    "Sconstruct.py",
    "sconstruct.py",
];

/// SCons options that take a value.
const VALUED: &[&str] = &[
    "C",
    "f",
    "j",
    "I",
    "Y",
    "directory",
    "file",
    "makefile",
    "sconstruct",
    "jobs",
    "include-dir",
    "site-dir",
    "repository",
    "srcdir",
];

/// Options after which nothing is built.
const RUN_NOTHING: &[&str] = &[
    "-n",
    "--no-exec",
    "--just-print",
    "--dry-run",
    "--recon",
    "-q",
    "--question",
    "-c",
    "--clean",
    "--remove",
    "-h",
    "--help",
    "-H",
    "--help-options",
    "-v",
    "--version",
];

/// Marks an environment variable's reference in a string.
const ENV_START: char = '\u{1}';
const ENV_END: char = '\u{2}';

/// The jobs `scons` runs, when its SConstruct is known.
pub(super) fn scons(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let items = args::parse_valued(inv.args, VALUED);
    if args::has(&items, RUN_NOTHING) {
        return Vec::new();
    }
    let dir = args::values(&items, &["-C", "--directory"])
        .iter()
        .fold(inv.cwd.to_owned(), |dir, d| {
            paths::resolve(&dir, inv.home, &d.text)
        });
    let upward = args::has(&items, &["-u", "-U", "-D", "--up", "--search-up"]);
    let named = args::value(&items, &["-f", "--file", "--makefile", "--sconstruct"]);
    let (top, text) = match named {
        Some(file) => {
            let path = paths::resolve(&dir, inv.home, &file.text);
            let Some(text) = text_of(&path) else {
                return Vec::new();
            };
            (super::super::runners::parent(&path), text)
        }
        None => match super::super::runners::find_file(&dir, SCRIPTS, upward, text_of) {
            Some((top, _, text)) => (top, text),
            None => return Vec::new(),
        },
    };
    let mut arguments = HashMap::new();
    let mut goals = Vec::new();
    for arg in args::positionals(&items) {
        match arg.text.split_once('=') {
            Some((name, value)) if !name.is_empty() && !name.contains('/') => {
                arguments.insert(name.to_owned(), value.to_owned());
            }
            _ => goals.push(arg.text.clone()),
        }
    }
    let mut script = Script {
        arguments,
        ..Script::default()
    };
    script.run(&text);
    // An alias is named as written; a file, relative to where scons starts.
    let goals: Vec<(String, String)> = goals
        .into_iter()
        .map(|g| {
            let file = relative_to(&top, &paths::resolve(&dir, inv.home, &g));
            (file.unwrap_or_else(|| g.clone()), g)
        })
        .collect();
    script
        .jobs(&goals)
        .into_iter()
        .take(MAX_JOBS)
        .map(|text| shell_job(shell_text(&text), &top))
        .collect()
}

/// `path` relative to `top`, when it is below it.
fn relative_to(top: &str, path: &str) -> Option<String> {
    if path == top {
        return Some(".".to_owned());
    }
    path.strip_prefix(top)
        .and_then(|rest| rest.strip_prefix('/'))
        .map(str::to_owned)
}

/// A path as written, `.`, `..` and repeated slashes resolved; a
/// relative one stays relative (to the SConstruct's directory).
fn tidy(path: &str) -> String {
    if path.starts_with('/') {
        return paths::normalize(path);
    }
    paths::normalize(&format!("/{path}"))
        .trim_start_matches('/')
        .to_owned()
}

/// An action's text for the shell: environment variables' references
/// left to expand.
fn shell_text(text: &str) -> String {
    text.replace(ENV_START, "${").replace(ENV_END, "}")
}

// ------------------------------------------------------------ the model

/// A value of the script, as far as it is known.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Str(String),
    List(Vec<Value>),
    /// Nodes the script declared.
    Nodes(Vec<usize>),
    Unknown,
}

impl Value {
    /// Its text, as Python's `str` gives it (a list's, as its words).
    fn text(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            Value::List(items) => items.iter().map(Value::text).collect::<Vec<_>>().join(" "),
            Value::Nodes(_) | Value::Unknown => String::new(),
        }
    }

    /// Its elements: a list's, or itself.
    fn items(&self) -> Vec<Value> {
        match self {
            Value::List(items) => items.iter().flat_map(Value::items).collect(),
            Value::Nodes(nodes) => nodes.iter().map(|n| Value::Nodes(vec![*n])).collect(),
            Value::Unknown => Vec::new(),
            other => vec![other.clone()],
        }
    }
}

/// A target the script declares, or an alias.
#[derive(Debug, Default)]
struct Node {
    /// Paths relative to the SConstruct's directory, or the alias's name.
    targets: Vec<String>,
    alias: bool,
    /// Sources and prerequisites: paths or nodes.
    sources: Vec<Value>,
    depends: Vec<Value>,
    actions: Vec<String>,
}

/// What the script declared.
#[derive(Debug, Default)]
struct Script {
    arguments: HashMap<String, String>,
    vars: HashMap<String, Value>,
    /// Construction variables.
    construction: HashMap<String, String>,
    nodes: Vec<Node>,
    defaults: Vec<Value>,
}

impl Script {
    /// Runs the script's statements, function bodies left out.
    fn run(&mut self, text: &str) {
        let mut skip_below: Option<usize> = None;
        for (indent, line) in logical_lines(text) {
            if let Some(level) = skip_below {
                if indent > level {
                    continue;
                }
                skip_below = None;
            }
            if line.starts_with("def ") || line.starts_with("class ") {
                skip_below = Some(indent);
                continue;
            }
            self.statement(&line);
        }
    }

    fn statement(&mut self, line: &str) {
        let tokens = tokenize(line);
        let first = tokens.first();
        if let Some(Tok::Name(word)) = first
            && matches!(
                word.as_str(),
                "import"
                    | "from"
                    | "if"
                    | "elif"
                    | "else"
                    | "for"
                    | "while"
                    | "with"
                    | "try"
                    | "except"
                    | "finally"
                    | "return"
                    | "pass"
                    | "global"
            )
        {
            return;
        }
        match tokens.as_slice() {
            [Tok::Name(name), Tok::Op('='), rest @ ..] if rest.first() != Some(&Tok::Op('=')) => {
                let value = self.expression(rest);
                self.vars.insert(name.clone(), value);
            }
            [Tok::Name(name), Tok::Op('+'), Tok::Op('='), rest @ ..] => {
                let value = self.expression(rest);
                let joined = match (self.vars.get(name).cloned(), value) {
                    (Some(Value::Str(a)), Value::Str(b)) => Value::Str(a + &b),
                    (Some(a), b) => Value::List(vec![a, b]),
                    (None, b) => b,
                };
                self.vars.insert(name.clone(), joined);
            }
            [
                Tok::Name(_),
                Tok::Op('['),
                Tok::Str(key),
                Tok::Op(']'),
                Tok::Op('='),
                rest @ ..,
            ] => {
                let value = self.expression(rest).text();
                self.construction.insert(key.clone(), value);
            }
            _ => {
                self.expression(&tokens);
            }
        }
    }

    fn expression(&mut self, tokens: &[Tok]) -> Value {
        let mut parser = Parser { tokens, at: 0 };
        parser.expression(self, 0)
    }

    /// What calling `name` (the last part of a dotted name; `receiver`,
    /// the part before it) with `args` gives, declaring nodes.
    fn call(&mut self, receiver: &str, name: &str, args: Vec<(Option<String>, Value)>) -> Value {
        let positional: Vec<Value> = args
            .iter()
            .filter(|(k, _)| k.is_none())
            .map(|(_, v)| v.clone())
            .collect();
        let keyword = |key: &str| {
            args.iter()
                .find(|(k, _)| k.as_deref() == Some(key))
                .map(|(_, v)| v.clone())
        };
        let arg = |at: usize, key: &str| positional.get(at).cloned().or_else(|| keyword(key));
        let text = |at: usize| positional.get(at).map(Value::text).unwrap_or_default();
        match (receiver, name) {
            ("ARGUMENTS", "get") => {
                let key = text(0);
                match self.arguments.get(&key) {
                    Some(value) => Value::Str(value.clone()),
                    None => positional.get(1).cloned().unwrap_or(Value::Unknown),
                }
            }
            ("os.environ", "get") | ("os", "getenv") => {
                Value::Str(format!("{ENV_START}{}{ENV_END}", text(0)))
            }
            (_, "Environment" | "Clone" | "Replace") => {
                for (key, value) in &args {
                    if let Some(key) = key {
                        self.construction.insert(key.clone(), value.text());
                    }
                }
                Value::Unknown
            }
            (_, "Split") => Value::List(
                text(0)
                    .split_whitespace()
                    .map(|w| Value::Str(w.to_owned()))
                    .collect(),
            ),
            (_, "File" | "Dir" | "Entry" | "str" | "Action") => {
                positional.first().cloned().unwrap_or(Value::Unknown)
            }
            (_, "join") if !receiver.is_empty() => Value::Str(
                positional
                    .first()
                    .map(|v| {
                        v.items()
                            .iter()
                            .map(Value::text)
                            .collect::<Vec<_>>()
                            .join(&unquoted(receiver))
                    })
                    .unwrap_or_default(),
            ),
            (_, "Touch") => Value::Str(format!("touch {}", text(0))),
            (_, "Mkdir") => Value::Str(format!("mkdir -p {}", text(0))),
            (_, "Delete") => Value::Str(format!("rm -rf {}", text(0))),
            (_, "Copy") => Value::Str(format!("cp -R {} {}", text(1), text(0))),
            (_, "Move") => Value::Str(format!("mv {} {}", text(1), text(0))),
            (_, "Chmod") => Value::Str(format!("chmod {} {}", text(1), text(0))),
            (_, "Command") => {
                let target = arg(0, "target").unwrap_or(Value::Unknown);
                let source = arg(1, "source").unwrap_or(Value::Unknown);
                let action = arg(2, "action").unwrap_or(Value::Unknown);
                self.declare(&target, &source, actions(&action), false)
            }
            (_, "Install") => {
                let dir = text(0);
                let sources = arg(1, "source").unwrap_or(Value::Unknown);
                let mut targets: Vec<Value> = sources
                    .items()
                    .iter()
                    .map(|s| Value::Str(format!("{dir}/{}", paths::basename(&self.path(s)))))
                    .collect();
                targets.push(Value::Str(dir.clone()));
                let action = format!("cp -R $SOURCES {dir}/");
                self.declare(&Value::List(targets), &sources, vec![action], false)
            }
            (_, "Alias") => {
                let name = arg(0, "alias").unwrap_or(Value::Unknown);
                let targets = arg(1, "source").unwrap_or(Value::Unknown);
                let action = arg(2, "action").unwrap_or(Value::Unknown);
                self.declare(&name, &targets, actions(&action), true)
            }
            (_, "Depends" | "Requires") => {
                let targets = arg(0, "target").unwrap_or(Value::Unknown);
                let depends = arg(1, "dependency").unwrap_or(Value::Unknown);
                for index in self.nodes_of(&targets) {
                    if let Some(node) = self.nodes.get_mut(index) {
                        node.depends.extend(depends.items());
                    }
                }
                Value::Unknown
            }
            (_, "Default") => {
                self.defaults
                    .extend(positional.iter().flat_map(Value::items));
                Value::Unknown
            }
            (
                _,
                "Program" | "Library" | "StaticLibrary" | "SharedLibrary" | "LoadableModule"
                | "Object" | "StaticObject" | "SharedObject" | "CFile" | "CXXFile" | "Tar" | "Zip"
                | "Jar" | "Java",
            ) => {
                let target = arg(0, "target").unwrap_or(Value::Unknown);
                let source = arg(1, "source").unwrap_or(Value::Unknown);
                self.declare(&target, &source, Vec::new(), false)
            }
            _ => Value::Unknown,
        }
    }

    /// Declares a node making `target` from `source` by `actions`.
    fn declare(
        &mut self,
        target: &Value,
        source: &Value,
        actions: Vec<String>,
        alias: bool,
    ) -> Value {
        let targets: Vec<String> = target.items().iter().map(|t| self.path(t)).collect();
        if targets.is_empty() {
            return Value::Unknown;
        }
        self.nodes.push(Node {
            targets,
            alias,
            sources: source.items(),
            depends: Vec::new(),
            actions,
        });
        Value::Nodes(vec![self.nodes.len() - 1])
    }

    /// A target or source's path: a node's first target.
    fn path(&self, value: &Value) -> String {
        match value {
            Value::Nodes(nodes) => nodes
                .first()
                .and_then(|n| self.nodes.get(*n))
                .and_then(|n| n.targets.first())
                .cloned()
                .unwrap_or_default(),
            other => tidy(&other.text()),
        }
    }

    /// The nodes a value names: its nodes, or those with a target it names.
    fn nodes_of(&self, value: &Value) -> Vec<usize> {
        let mut found = Vec::new();
        for item in value.items() {
            match item {
                Value::Nodes(nodes) => found.extend(nodes),
                other => {
                    let path = self.path(&other);
                    found.extend(
                        self.nodes
                            .iter()
                            .enumerate()
                            .filter(|(_, n)| n.targets.contains(&path))
                            .map(|(at, _)| at),
                    );
                }
            }
        }
        found
    }

    /// The action lines building `goals` (each a file's path relative to
    /// the SConstruct's directory, and the word as written, an alias's
    /// name) runs: the defaults, or every file target, when none is named.
    fn jobs(&self, goals: &[(String, String)]) -> Vec<String> {
        let selected: Vec<usize> = if !goals.is_empty() {
            goals
                .iter()
                .flat_map(|(file, word)| {
                    let file = tidy(file);
                    self.nodes.iter().enumerate().filter(move |(_, n)| {
                        let name = if n.alias { word } else { &file };
                        n.targets.contains(name)
                    })
                })
                .map(|(at, _)| at)
                .collect()
        } else if !self.defaults.is_empty() {
            self.nodes_of(&Value::List(self.defaults.clone()))
        } else {
            (0..self.nodes.len())
                .filter(|at| self.nodes.get(*at).is_some_and(|n| !n.alias))
                .collect()
        };
        let mut done = HashSet::new();
        let mut lines = Vec::new();
        for index in selected {
            self.build(index, 0, &mut done, &mut lines);
        }
        lines
    }

    fn build(
        &self,
        index: usize,
        depth: usize,
        done: &mut HashSet<usize>,
        lines: &mut Vec<String>,
    ) {
        if depth > MAX_NESTING || !done.insert(index) {
            return;
        }
        let Some(node) = self.nodes.get(index) else {
            return;
        };
        let before = node.sources.iter().chain(node.depends.iter()).cloned();
        for prerequisite in self.nodes_of(&Value::List(before.collect())) {
            self.build(prerequisite, depth + 1, done, lines);
        }
        for action in &node.actions {
            lines.push(self.substitute(action, node));
        }
    }

    /// An action's `$TARGET`, `$SOURCES`, `$$` and construction variables
    /// substituted.
    fn substitute(&self, action: &str, node: &Node) -> String {
        let sources: Vec<String> = node.sources.iter().map(|s| self.path(s)).collect();
        let targets = if node.alias {
            Vec::new()
        } else {
            node.targets.clone()
        };
        let mut out = String::new();
        let mut rest = action;
        while let Some(at) = rest.find('$') {
            let (before, from) = rest.split_at(at);
            out.push_str(before);
            let from = from.get(1..).unwrap_or_default();
            if let Some(after) = from.strip_prefix('$') {
                out.push('$');
                rest = after;
                continue;
            }
            let (name, after) = match from.strip_prefix('{') {
                Some(braced) => match braced.split_once('}') {
                    Some((name, after)) => (name, after),
                    None => (braced, ""),
                },
                None => {
                    let end = from
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(from.len());
                    from.split_at(end)
                }
            };
            if name.is_empty() {
                out.push('$');
                rest = from;
                continue;
            }
            let value = match name {
                "TARGET" => targets.first().cloned().unwrap_or_default(),
                "TARGETS" => targets.join(" "),
                "SOURCE" => sources.first().cloned().unwrap_or_default(),
                "SOURCES" => sources.join(" "),
                other => self.construction.get(other).cloned().unwrap_or_default(),
            };
            out.push_str(&value);
            rest = after;
        }
        out.push_str(rest);
        out
    }
}

/// An action's command lines: a string, a list of them, an `Action`.
fn actions(action: &Value) -> Vec<String> {
    action
        .items()
        .iter()
        .filter_map(|a| match a {
            Value::Str(s) if !s.trim().is_empty() => Some(s.clone()),
            _ => None,
        })
        .collect()
}

/// A string literal's text given as the receiver of a call (`' '.join`).
fn unquoted(receiver: &str) -> String {
    receiver
        .strip_prefix('\u{0}')
        .unwrap_or(receiver)
        .to_owned()
}

// ------------------------------------------------------------ the syntax

/// A token of a Python line.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Str(String),
    Name(String),
    Num(String),
    Op(char),
}

/// The script's logical lines, comments dropped, lines joined inside
/// brackets and after `\`, with the indentation of each.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut indent = 0;
    let mut depth = 0i32;
    let mut quote: Option<&str> = None;
    for line in text.lines() {
        if current.is_empty() && quote.is_none() {
            indent = line.len() - line.trim_start().len();
        }
        let mut chars = line.char_indices().peekable();
        let mut kept = String::new();
        while let Some((at, c)) = chars.next() {
            if let Some(q) = quote {
                if line.get(at..).is_some_and(|rest| rest.starts_with(q)) {
                    kept.push_str(q);
                    for _ in 1..q.len() {
                        chars.next();
                    }
                    quote = None;
                    continue;
                }
                kept.push(c);
                if c == '\\'
                    && let Some((_, next)) = chars.next()
                {
                    kept.push(next);
                }
                continue;
            }
            match c {
                '#' => break,
                '\'' | '"' => {
                    let triple = if c == '"' { "\"\"\"" } else { "'''" };
                    let q = if line.get(at..).is_some_and(|r| r.starts_with(triple)) {
                        triple
                    } else if c == '"' {
                        "\""
                    } else {
                        "'"
                    };
                    kept.push_str(q);
                    for _ in 1..q.len() {
                        chars.next();
                    }
                    quote = Some(q);
                }
                '(' | '[' | '{' => {
                    depth += 1;
                    kept.push(c);
                }
                ')' | ']' | '}' => {
                    depth -= 1;
                    kept.push(c);
                }
                c => kept.push(c),
            }
        }
        // A one-line string left open ends with its line.
        if matches!(quote, Some("'" | "\"")) {
            quote = None;
        }
        let continued = kept.trim_end().ends_with('\\');
        let kept = kept.trim_end().trim_end_matches('\\');
        current.push_str(kept);
        current.push(if quote.is_some() { '\n' } else { ' ' });
        if depth <= 0 && !continued && quote.is_none() {
            let statement = current.trim().to_owned();
            if !statement.is_empty() {
                lines.push((indent, statement));
            }
            current.clear();
            depth = 0;
        }
    }
    let statement = current.trim().to_owned();
    if !statement.is_empty() {
        lines.push((indent, statement));
    }
    lines
}

/// The tokens of a logical line; an f-string's `{NAME}` is kept marked
/// for the parser (`\u{3}NAME\u{4}`).
fn tokenize(line: &str) -> Vec<Tok> {
    let chars: Vec<char> = line.chars().collect();
    let mut tokens = Vec::new();
    let mut at = 0;
    while let Some(&c) = chars.get(at) {
        if c.is_whitespace() {
            at += 1;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = at;
            while chars
                .get(at)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
            {
                at += 1;
            }
            let word: String = chars.get(start..at).unwrap_or_default().iter().collect();
            let prefix = word.to_ascii_lowercase();
            let is_prefix = prefix.len() <= 2 && prefix.chars().all(|c| "rbuf".contains(c));
            if is_prefix && matches!(chars.get(at), Some('\'' | '"')) {
                let (text, end) =
                    string_literal(&chars, at, prefix.contains('r'), prefix.contains('f'));
                tokens.push(Tok::Str(text));
                at = end;
            } else {
                tokens.push(Tok::Name(word));
            }
        } else if c.is_ascii_digit() {
            let start = at;
            while chars
                .get(at)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '.')
            {
                at += 1;
            }
            tokens.push(Tok::Num(
                chars.get(start..at).unwrap_or_default().iter().collect(),
            ));
        } else if c == '\'' || c == '"' {
            let (text, end) = string_literal(&chars, at, false, false);
            tokens.push(Tok::Str(text));
            at = end;
        } else {
            tokens.push(Tok::Op(c));
            at += 1;
        }
    }
    tokens
}

/// A string literal at `at` (its quote): its text and the index past it.
fn string_literal(chars: &[char], at: usize, raw: bool, formatted: bool) -> (String, usize) {
    let quote = chars.get(at).copied().unwrap_or('"');
    let triple = chars.get(at..at + 3) == Some(&[quote, quote, quote][..]);
    let mut pos = at + if triple { 3 } else { 1 };
    let mut text = String::new();
    while let Some(&c) = chars.get(pos) {
        if c == quote && (!triple || chars.get(pos..pos + 3) == Some(&[quote, quote, quote][..])) {
            return (text, pos + if triple { 3 } else { 1 });
        }
        if c == '\\' && !raw {
            if let Some(&next) = chars.get(pos + 1) {
                match next {
                    'n' => text.push('\n'),
                    't' => text.push('\t'),
                    '\\' | '\'' | '"' => text.push(next),
                    '\n' => {}
                    other => {
                        text.push('\\');
                        text.push(other);
                    }
                }
            }
            pos += 2;
            continue;
        }
        if formatted && c == '{' {
            if chars.get(pos + 1) == Some(&'{') {
                text.push('{');
                pos += 2;
                continue;
            }
            let end = (pos..chars.len()).find(|i| chars.get(*i) == Some(&'}'));
            if let Some(end) = end {
                let name: String = chars.get(pos + 1..end).unwrap_or_default().iter().collect();
                text.push('\u{3}');
                text.push_str(name.trim());
                text.push('\u{4}');
                pos = end + 1;
                continue;
            }
        }
        if formatted && c == '}' && chars.get(pos + 1) == Some(&'}') {
            pos += 1;
        }
        text.push(c);
        pos += 1;
    }
    (text, pos)
}

/// A recursive-descent reader of an expression's tokens.
struct Parser<'a> {
    tokens: &'a [Tok],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.at)
    }

    fn eat(&mut self, op: char) -> bool {
        if self.peek() == Some(&Tok::Op(op)) {
            self.at += 1;
            return true;
        }
        false
    }

    /// `a + b`, `a % b`, and a tuple of them (`a, b`) at the top.
    fn expression(&mut self, script: &mut Script, depth: usize) -> Value {
        let first = self.sum(script, depth);
        if self.peek() != Some(&Tok::Op(',')) {
            return first;
        }
        let mut items = vec![first];
        while self.eat(',') {
            if matches!(self.peek(), None | Some(Tok::Op(')' | ']' | '='))) {
                break;
            }
            items.push(self.sum(script, depth));
        }
        Value::List(items)
    }

    fn sum(&mut self, script: &mut Script, depth: usize) -> Value {
        let mut value = self.product(script, depth);
        while self.eat('+') {
            let right = self.product(script, depth);
            value = match (value, right) {
                (Value::Str(a), Value::Str(b)) => Value::Str(a + &b),
                (Value::List(mut a), b) => {
                    a.extend(b.items());
                    Value::List(a)
                }
                _ => Value::Unknown,
            };
        }
        value
    }

    fn product(&mut self, script: &mut Script, depth: usize) -> Value {
        let mut value = self.postfix(script, depth);
        while self.eat('%') {
            let right = self.postfix(script, depth);
            value = match value {
                Value::Str(format) => Value::Str(percent_format(&format, &right)),
                _ => Value::Unknown,
            };
        }
        value
    }

    fn postfix(&mut self, script: &mut Script, depth: usize) -> Value {
        if depth > MAX_NESTING {
            self.at = self.tokens.len();
            return Value::Unknown;
        }
        let (mut value, mut dotted) = match self.tokens.get(self.at).cloned() {
            Some(Tok::Str(text)) => {
                self.at += 1;
                let mut text = fill_names(&text, script);
                // Adjacent literals join.
                while let Some(Tok::Str(more)) = self.peek().cloned() {
                    self.at += 1;
                    text.push_str(&fill_names(&more, script));
                }
                (Value::Str(text.clone()), format!("\u{0}{text}"))
            }
            Some(Tok::Num(n)) => {
                self.at += 1;
                (Value::Str(n), String::new())
            }
            Some(Tok::Name(name)) => {
                self.at += 1;
                let value = script.vars.get(&name).cloned().unwrap_or(Value::Unknown);
                (value, name)
            }
            Some(Tok::Op('[')) => {
                self.at += 1;
                let items = self.sequence(script, depth, ']');
                (Value::List(items), String::new())
            }
            Some(Tok::Op('(')) => {
                self.at += 1;
                let items = self.sequence(script, depth, ')');
                let value = match items.as_slice() {
                    [one] => one.clone(),
                    _ => Value::List(items),
                };
                (value, String::new())
            }
            Some(Tok::Op('{')) => {
                self.at += 1;
                self.skip_to('}');
                (Value::Unknown, String::new())
            }
            _ => {
                self.at += 1;
                return Value::Unknown;
            }
        };
        loop {
            if self.eat('.') {
                if let Some(Tok::Name(name)) = self.peek().cloned() {
                    self.at += 1;
                    dotted = if dotted.is_empty() {
                        String::new()
                    } else {
                        format!("{dotted}.{name}")
                    };
                    value = Value::Unknown;
                }
            } else if self.eat('(') {
                let args = self.arguments(script, depth);
                let (receiver, name) = match dotted.rsplit_once('.') {
                    Some((receiver, name)) if !receiver.starts_with('\u{0}') || name == "join" => {
                        (receiver.to_owned(), name.to_owned())
                    }
                    Some((_, name)) => (String::new(), name.to_owned()),
                    None => (String::new(), dotted.clone()),
                };
                value = script.call(&receiver, &name, args);
                dotted = String::new();
            } else if self.eat('[') {
                let key = self.expression(script, depth + 1);
                self.eat(']');
                value = match (dotted.as_str(), &value, key) {
                    ("ARGUMENTS", _, Value::Str(key)) => script
                        .arguments
                        .get(&key)
                        .map_or(Value::Unknown, |v| Value::Str(v.clone())),
                    ("os.environ", _, Value::Str(key)) => {
                        Value::Str(format!("{ENV_START}{key}{ENV_END}"))
                    }
                    (_, Value::List(items), Value::Str(n)) => n
                        .parse::<usize>()
                        .ok()
                        .and_then(|n| items.get(n).cloned())
                        .unwrap_or(Value::Unknown),
                    _ => Value::Unknown,
                };
                dotted = String::new();
            } else {
                return value;
            }
        }
    }

    /// Expressions up to the closing bracket, apart by commas.
    fn sequence(&mut self, script: &mut Script, depth: usize, close: char) -> Vec<Value> {
        let mut items = Vec::new();
        while self.peek().is_some() && !self.eat(close) {
            items.push(self.sum(script, depth + 1));
            if !self.eat(',') && self.peek() != Some(&Tok::Op(close)) {
                self.skip_to(close);
                break;
            }
        }
        items
    }

    /// A call's arguments up to its `)`: `(keyword, value)`.
    fn arguments(&mut self, script: &mut Script, depth: usize) -> Vec<(Option<String>, Value)> {
        let mut args = Vec::new();
        while self.peek().is_some() && !self.eat(')') {
            let keyword = match (
                self.peek(),
                self.tokens.get(self.at + 1),
                self.tokens.get(self.at + 2),
            ) {
                (Some(Tok::Name(name)), Some(Tok::Op('=')), next)
                    if next != Some(&Tok::Op('=')) =>
                {
                    let name = name.clone();
                    self.at += 2;
                    Some(name)
                }
                _ => None,
            };
            let value = self.sum(script, depth + 1);
            args.push((keyword, value));
            if !self.eat(',') && self.peek() != Some(&Tok::Op(')')) {
                self.skip_to(')');
                break;
            }
        }
        args
    }

    /// Skips past the bracket `close` that ends the current one.
    fn skip_to(&mut self, close: char) {
        let mut depth = 0usize;
        while let Some(tok) = self.tokens.get(self.at) {
            self.at += 1;
            match tok {
                Tok::Op('(' | '[' | '{') => depth += 1,
                Tok::Op(c) if *c == close && depth == 0 => return,
                Tok::Op(')' | ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
}

/// An f-string's `{NAME}` fields filled from the script's variables.
fn fill_names(text: &str, script: &Script) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('\u{3}') {
        let (before, field) = rest.split_at(start);
        out.push_str(before);
        let field = field.get('\u{3}'.len_utf8()..).unwrap_or_default();
        let (name, after) = field.split_once('\u{4}').unwrap_or((field, ""));
        if let Some(value) = script.vars.get(name) {
            out.push_str(&value.text());
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Python's `format % values` for `%s`, `%d`, `%r` and `%%`.
fn percent_format(format: &str, values: &Value) -> String {
    let values: Vec<Value> = match values {
        Value::List(items) => items.clone(),
        other => vec![other.clone()],
    };
    let mut next = values.iter();
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        // Flags and width, then the conversion.
        while chars
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || "-+ #.".contains(*c))
        {
            chars.next();
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some(_) => out.push_str(&next.next().map(Value::text).unwrap_or_default()),
            None => out.push('%'),
        }
    }
    out
}
