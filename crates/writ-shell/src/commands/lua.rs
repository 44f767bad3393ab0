//! Lua code read for what it visibly does: the shell commands it runs
//! (`os.execute`, `io.popen`), the commands pandoc runs for it with a text
//! on their standard input (`pandoc.pipe(CMD, {ARGS}, INPUT)`), the files
//! it opens, reads, writes, removes and renames (`io.open(F, 'w')`,
//! `io.lines`, `os.remove`), the chunks it loads (`dofile`), and its HTTP
//! requests (LuaSocket's `http.request(URL [, BODY])`, pandoc's
//! `pandoc.mediabag.fetch`). A string is a literal, a name bound to one
//! earlier (`local cmd = "..."`), `os.getenv(NAME)` (the variable, as the
//! shell would expand it), `string.format(FMT, ...)` (`FMT:format(...)`)
//! of those, or a concatenation of those (`..`); a part the code computes
//! otherwise is unknown.
//!
//! A script is read with its command line: `arg` is the list of its words
//! (`arg[1]`), and a `for` loop over a list known item by item (`for _, d
//! in ipairs(arg) do`, `for i = 1, #arg do`) runs its body once for each,
//! so `os.execute("rm -rf " .. d)` reads as each command it runs.
//!
//! Used for `lua`/`luajit` (`-e CODE`, a script written earlier, code on
//! standard input) and pandoc's Lua filters, whose code holds the document
//! ([`Document`]): what it pipes to a command or writes to a file carries
//! the document's files.

use std::collections::HashMap;

use super::sql::Lookup;
use super::{Invocation, Nested, Outcome, request, top_level, url, words};
use crate::{FileRef, Payload, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    is_lua(inv.program).then(|| interpreter(inv))
}

/// The Lua interpreters: `lua`, `lua5.4`, `lua54`, `luajit`.
fn is_lua(program: &str) -> bool {
    program == "luajit"
        || program
            .strip_prefix("lua")
            .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// The text a piece of code holds as its input: a pandoc filter's
/// document, read from these files (none: from standard input).
#[derive(Debug, Default)]
pub(super) struct Document {
    pub(super) files: Vec<String>,
}

impl Document {
    /// Shell text running `command` with the document on its standard
    /// input (standard input itself when no file holds it).
    pub(super) fn feed(&self, command: &str) -> String {
        let quoted: Vec<String> = self.files.iter().map(|f| words::quote(f)).collect();
        match quoted.as_slice() {
            [] => command.to_owned(),
            [one] => format!("{{ {command}\n}} < {one}"),
            many => format!("cat -- {} | {{ {command}\n}}", many.join(" ")),
        }
    }

    fn payload(&self) -> Payload {
        let mut payload = Payload::default();
        for path in &self.files {
            flow::push_file(
                &mut payload,
                FileRef {
                    path: path.clone(),
                    recursive: false,
                    excludes: Vec::new(),
                },
            );
        }
        payload
    }
}

/// `lua [-e CODE] [-l MOD] [-i] [-v] [-E] [-W] [SCRIPT [ARGS]]` (and
/// luajit's `-b IN OUT`, `-j CMD`, `-O...`): `-e` code is read here, a
/// script is read (its text by [`written_scripts`] when written earlier),
/// `-` or no script reads the code from standard input.
fn interpreter(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut ran_code = false;
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        match text {
            "-e" => {
                let code = words.next().map(|w| w.text.clone()).unwrap_or_default();
                inline(inv, &code, &mut outcome);
                ran_code = true;
            }
            "-l" | "-j" => {
                words.next();
            }
            // `luajit -b IN OUT`: compiles, runs nothing.
            "-b" if inv.program == "luajit" => {
                bytecode(inv, words.as_slice(), &mut outcome);
                return outcome;
            }
            "--" => {
                script(inv, words.next(), ran_code, &mut outcome);
                return outcome;
            }
            _ if text.starts_with("-e") && text.len() > 2 => {
                inline(inv, text.get(2..).unwrap_or_default(), &mut outcome);
                ran_code = true;
            }
            _ if text.len() > 1 && text.starts_with('-') => {}
            _ => {
                script(inv, Some(word), ran_code, &mut outcome);
                return outcome;
            }
        }
    }
    script(inv, None, ran_code, &mut outcome);
    outcome
}

/// `-e CODE`.
fn inline(inv: &Invocation<'_>, code: &str, outcome: &mut Outcome) {
    run(inv, code, None, outcome);
    outcome
        .opaque
        .push(format!("{} runs inline code: {code}", inv.program));
}

/// The script a Lua interpreter runs: a file, or standard input (`-`, or
/// none when no `-e` ran and input is given).
fn script(
    inv: &Invocation<'_>,
    word: Option<&crate::args::Arg>,
    ran_code: bool,
    outcome: &mut Outcome,
) {
    match word.map(|w| w.text.as_str()) {
        Some("-") | None if inv.has_stdin && (word.is_some() || !ran_code) => {
            if inv.stdin.files.is_empty() && inv.stdin.env.is_empty() {
                run(inv, &inv.stdin.text.join("\n"), None, outcome);
            }
            outcome
                .opaque
                .push(format!("{} runs code from standard input", inv.program));
        }
        Some("-") | None => {}
        Some(file) => {
            let path = inv.path(file);
            outcome.read(path.clone(), false);
            outcome.opaque.push(ran_note(inv.program, &path));
        }
    }
}

/// `luajit -b [OPTS] IN OUT`: reads IN, writes OUT.
fn bytecode(inv: &Invocation<'_>, rest: &[crate::args::Arg], outcome: &mut Outcome) {
    let files: Vec<&str> = rest
        .iter()
        .map(|a| a.text.as_str())
        .filter(|w| !w.starts_with('-') || *w == "-")
        .collect();
    if let [input, output, ..] = files.as_slice() {
        if *input != "-" {
            outcome.read(inv.path(input), false);
        }
        if *output != "-" {
            outcome.write(inv.path(output), false);
        }
    }
}

/// The note left for a code file whose text is not known.
pub(super) fn ran_note(program: &str, path: &str) -> String {
    format!("{program} runs the Lua code of {path}")
}

/// The Lua files written earlier (on the line or by an earlier step) that
/// a command runs, read as the code they hold in place of the note their
/// handler left: a Lua interpreter's script, pandoc's Lua filters.
pub(crate) fn written_scripts(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    if is_lua(inv.program) {
        let words = script_words(inv);
        for (_, text) in super::noted_scripts(outcome, &ran_note(inv.program, ""), text_of) {
            run_with(inv, &text, None, words.as_deref(), outcome);
        }
        return;
    }
    let Some((filters, document)) = super::printing::pandoc_lua_filters(inv) else {
        return;
    };
    for path in filters {
        let Some(text) = text_of(&path) else {
            continue;
        };
        let note = ran_note(inv.program, &path);
        outcome.opaque.retain(|line| *line != note);
        run(inv, &text, Some(&document), outcome);
    }
}

/// The words a Lua interpreter gives the script it runs (those after
/// the script, as [`interpreter`] finds it); `None` when there is no
/// script or a word is not known.
fn script_words(inv: &Invocation<'_>) -> Option<Vec<String>> {
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        match word.text.as_str() {
            "-e" | "-l" | "-j" => {
                words.next();
            }
            "--" => {
                words.next();
                break;
            }
            "-" => return None,
            text if text.len() > 1 && text.starts_with('-') => {}
            _ => break,
        }
    }
    let rest = words.as_slice();
    (!rest.iter().any(|a| a.dynamic)).then(|| rest.iter().map(|a| a.text.clone()).collect())
}

/// Adds what Lua `code` does to `outcome`; `document` is what it holds
/// when it is a pandoc filter.
pub(super) fn run(
    inv: &Invocation<'_>,
    code: &str,
    document: Option<&Document>,
    outcome: &mut Outcome,
) {
    run_with(inv, code, document, None, outcome);
}

/// [`run`], for a script given the words `args` (its `arg` table).
fn run_with(
    inv: &Invocation<'_>,
    code: &str,
    document: Option<&Document>,
    args: Option<&[String]>,
    outcome: &mut Outcome,
) {
    // What the code holds: the document, then every file it reads.
    let mut holds = document.map(Document::payload).unwrap_or_default();
    let mut fed = Document {
        files: document.map(|d| d.files.clone()).unwrap_or_default(),
    };
    let what = format!("a command {} runs", inv.program);
    for call in calls_given(code, args) {
        match call {
            Call::Shell { text, input } => {
                let text = if input { fed.feed(&text) } else { text };
                outcome.nested.push(Nested::Script {
                    text,
                    what: what.clone(),
                });
            }
            Call::Read(path) => {
                let path = inv.path(&path);
                outcome.read(path.clone(), false);
                flow::push_file(
                    &mut holds,
                    FileRef {
                        path: path.clone(),
                        recursive: false,
                        excludes: Vec::new(),
                    },
                );
                fed.files.push(path);
            }
            Call::Write { path, append } => {
                let path = inv.path(&path);
                if !holds.is_empty() {
                    outcome.contents.push((path.clone(), holds.clone()));
                }
                outcome.write(path, append);
            }
            Call::Delete(path) => outcome.delete(inv.path(&path), false),
            Call::Rename { from, to } => {
                let (from, to) = (inv.path(&from), inv.path(&to));
                outcome.read(from.clone(), false);
                outcome.contents.push((to.clone(), file_payload(&from)));
                outcome.write(to, false);
                outcome.delete(from, false);
            }
            Call::Http { target, body } => {
                let (method, payload) = match body {
                    None => ("GET", Payload::default()),
                    Some(Body::Text(text)) => ("POST", text_payload(&text)),
                    Some(Body::Held) => ("POST", holds.clone()),
                };
                outcome
                    .effects
                    .push(request(inv.program, url(&target), method, payload, false));
            }
        }
    }
}

fn file_payload(path: &str) -> Payload {
    let mut payload = Payload::default();
    flow::push_file(
        &mut payload,
        FileRef {
            path: path.to_owned(),
            recursive: false,
            excludes: Vec::new(),
        },
    );
    payload
}

fn text_payload(text: &str) -> Payload {
    let mut payload = Payload::default();
    flow::push_text(&mut payload, text);
    payload
}

// ---------------------------------------------------------------------
// Reading the code.

/// What a call does, with its arguments as far as they are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Call {
    /// Shell text run by `sh -c`; `input`: what the code holds is on its
    /// standard input (`io.popen(cmd, 'w')`, `pandoc.pipe`).
    Shell {
        text: String,
        input: bool,
    },
    Read(String),
    Write {
        path: String,
        append: bool,
    },
    Delete(String),
    Rename {
        from: String,
        to: String,
    },
    /// An HTTP request to `target`, sending `body` when it has one.
    Http {
        target: String,
        body: Option<Body>,
    },
}

/// What a request sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Body {
    Text(String),
    /// Something the code computed: what it holds.
    Held,
}

/// What a function does with its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Does {
    /// `os.execute(CMD)`.
    Execute,
    /// `io.popen(CMD [, MODE])`: MODE `w` writes to its standard input.
    Popen,
    /// `pandoc.pipe(CMD, {ARGS}, INPUT)`.
    Pipe,
    /// `io.open(F [, MODE])`: written when MODE writes or appends.
    Open,
    Read,
    Write,
    Delete,
    Rename,
    /// `http.request(URL [, BODY])`.
    Http,
    /// `pandoc.mediabag.fetch(URL)`.
    Fetch,
}

/// Functions by name.
const FUNCTIONS: &[(&str, Does)] = &[
    ("os.execute", Does::Execute),
    ("io.popen", Does::Popen),
    ("pandoc.pipe", Does::Pipe),
    ("io.open", Does::Open),
    ("io.lines", Does::Read),
    ("io.input", Does::Read),
    ("dofile", Does::Read),
    ("loadfile", Does::Read),
    ("io.output", Does::Write),
    ("os.remove", Does::Delete),
    ("os.rename", Does::Rename),
    ("pandoc.mediabag.fetch", Does::Fetch),
];

/// What a function name does: the table's, or an HTTP module's `request`
/// however the module was bound (`socket.http.request`, `http.request`,
/// `https.request`).
fn does(name: &str) -> Option<Does> {
    if let Some((_, does)) = FUNCTIONS.iter().find(|(n, _)| *n == name) {
        return Some(*does);
    }
    let module = name.strip_suffix(".request")?;
    matches!(
        module.rsplit('.').next(),
        Some("http" | "https" | "requests")
    )
    .then_some(Does::Http)
}

/// A part of a string.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    /// `os.getenv(NAME)`.
    Env(String),
    /// Computed by the code.
    Unknown,
}

/// A value as far as the text shows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Text(Vec<Part>),
    /// A table constructor's positional entries.
    List(Vec<Value>),
    Other,
}

/// What the shell makes of an unknown part: a variable nobody set.
const UNKNOWN: &str = "${LUA_VALUE}";

impl Value {
    /// The whole text when every part is literal.
    fn literal(&self) -> Option<String> {
        let Value::Text(parts) = self else {
            return None;
        };
        parts
            .iter()
            .map(|part| match part {
                Part::Literal(text) => Some(text.as_str()),
                Part::Env(_) | Part::Unknown => None,
            })
            .collect()
    }

    /// Shell text: literal parts as written, the others as variables.
    fn shell_text(&self) -> Option<String> {
        let Value::Text(parts) = self else {
            return None;
        };
        let known = parts.iter().any(|p| matches!(p, Part::Literal(_)));
        known.then(|| {
            parts
                .iter()
                .map(|part| match part {
                    Part::Literal(text) => text.clone(),
                    Part::Env(name) => format!("${{{name}}}"),
                    Part::Unknown => UNKNOWN.to_owned(),
                })
                .collect()
        })
    }

    /// One shell word holding the value.
    fn shell_word(&self) -> String {
        match self {
            Value::Text(parts) if !parts.is_empty() => parts
                .iter()
                .map(|part| match part {
                    Part::Literal(text) => format!("'{}'", text.replace('\'', r"'\''")),
                    Part::Env(name) => format!("\"${{{name}}}\""),
                    Part::Unknown => format!("\"{UNKNOWN}\""),
                })
                .collect(),
            _ => format!("\"{UNKNOWN}\""),
        }
    }

    /// Concatenation (`a .. b`).
    fn join(self, other: Value) -> Value {
        let parts = |value: Value| match value {
            Value::Text(parts) => parts,
            Value::List(_) | Value::Other => vec![Part::Unknown],
        };
        let mut joined = parts(self);
        joined.extend(parts(other));
        if joined.iter().all(|p| *p == Part::Unknown) {
            Value::Other
        } else {
            Value::Text(joined)
        }
    }
}

/// The calls in `code` whose effect its text shows, in order.
#[cfg(test)]
pub(super) fn calls(code: &str) -> Vec<Call> {
    calls_given(code, None)
}

/// How deep loops unrolled inside each other go.
const MAX_LOOP_DEPTH: usize = 3;
/// The most items a loop is unrolled for.
const MAX_ITEMS: usize = 32;

/// [`calls`] of a script given the words `args` (its `arg` table).
fn calls_given(code: &str, args: Option<&[String]>) -> Vec<Call> {
    let mut found = Vec::new();
    let mut bindings: HashMap<String, Value> = HashMap::new();
    if let Some(words) = args {
        let words = words
            .iter()
            .map(|w| Value::Text(vec![Part::Literal(w.clone())]))
            .collect();
        bindings.insert("arg".to_owned(), Value::List(words));
    }
    scan(code, 0, code.len(), &mut bindings, &mut found, 0);
    found
}

/// Adds the calls from `from` to `to` in `code` to `found`, binding the
/// names it assigns; a loop over a list known item by item runs its body
/// once for each.
fn scan(
    code: &str,
    from: usize,
    to: usize,
    bindings: &mut HashMap<String, Value>,
    found: &mut Vec<Call>,
    depth: usize,
) {
    let mut at = from;
    while let Some(c) = code.get(at..to).and_then(|rest| rest.chars().next()) {
        if let Some(end) = comment_end(code, at) {
            at = end;
            continue;
        }
        if let Some((_, end)) = string_at(code, at) {
            at = end;
            continue;
        }
        if !(c.is_ascii_alphabetic() || c == '_') {
            at += c.len_utf8();
            continue;
        }
        let end = name_end(code, at);
        let name = code.get(at..end).unwrap_or_default();
        at = end;
        if name == "for"
            && depth < MAX_LOOP_DEPTH
            && let Some(each) = for_loop(code, end, bindings)
        {
            for value in each.values.into_iter().take(MAX_ITEMS) {
                let mut inner = bindings.clone();
                inner.insert(each.variable.clone(), value);
                scan(
                    code,
                    each.body.start,
                    each.body.end,
                    &mut inner,
                    found,
                    depth + 1,
                );
            }
            at = each.end;
            continue;
        }
        if let Some(value_at) = assignment(code, end)
            && !name.contains(['.', ':'])
        {
            let value_end = expression_end(code, value_at);
            let text = code.get(value_at..value_end).unwrap_or_default();
            bindings.insert(name.to_owned(), evaluate(text, bindings));
            continue;
        }
        let Some(does) = does(name) else {
            continue;
        };
        if let Some(arguments) = call_arguments(code, end) {
            if does == Does::Http
                && let [table] = arguments.as_slice()
                && let Some(request) = table_request(table.trim(), bindings)
            {
                found.push(request);
                continue;
            }
            let values: Vec<Value> = arguments
                .iter()
                .map(|text| evaluate(text, bindings))
                .collect();
            found.extend(call(does, &values));
        }
    }
}

/// A `for` loop whose items are known: the variable it binds, each value,
/// where its body is and where the loop ends.
struct Each {
    variable: String,
    values: Vec<Value>,
    body: std::ops::Range<usize>,
    end: usize,
}

/// The loop whose header starts at `from` (just past `for`): `for _, v in
/// ipairs(LIST) do` (or `pairs`) over a list known item by item, or `for
/// i = A, B do` with known bounds (`#LIST` too); `None` for any other.
fn for_loop(code: &str, from: usize, bindings: &HashMap<String, Value>) -> Option<Each> {
    let body_start = keyword_after(code, from, "do")?;
    let header = code.get(from..body_start - 2)?.trim();
    let close = block_end(code, body_start)?;
    let end = close + "end".len();
    let body = body_start..close;
    if let Some((names, iterated)) = header.split_once(" in ") {
        let names: Vec<&str> = names.split(',').map(str::trim).collect();
        let [_, variable] = names.as_slice() else {
            return None;
        };
        let iterated = iterated.trim();
        let list = ["ipairs", "pairs"].iter().find_map(|f| {
            let arguments = call_arguments(iterated, f.len())
                .filter(|_| iterated.starts_with(f) && name_end(iterated, 0) == f.len())?;
            match arguments.as_slice() {
                [list] => Some(evaluate(list.trim(), bindings)),
                _ => None,
            }
        })?;
        let Value::List(values) = list else {
            return None;
        };
        return is_plain_name(variable).then(|| Each {
            variable: (*variable).to_owned(),
            values,
            body,
            end,
        });
    }
    let (variable, range) = header.split_once('=')?;
    let variable = variable.trim();
    let bounds: Vec<&str> = range.split(',').map(str::trim).collect();
    let [first, last] = bounds.as_slice() else {
        return None;
    };
    let number = |text: &str| -> Option<usize> {
        if let Some(list) = text.strip_prefix('#') {
            return match bindings.get(list.trim()) {
                Some(Value::List(items)) => Some(items.len()),
                _ => None,
            };
        }
        evaluate(text, bindings).literal()?.parse().ok()
    };
    let (first, last) = (number(first)?, number(last)?);
    if !is_plain_name(variable) || last.saturating_sub(first) >= MAX_ITEMS {
        return None;
    }
    let values = (first..=last)
        .map(|n| Value::Text(vec![Part::Literal(n.to_string())]))
        .collect();
    Some(Each {
        variable: variable.to_owned(),
        values,
        body,
        end,
    })
}

/// True for a name with no `.` or `:` in it.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Just past the first whole word `keyword` after `from`, strings and
/// comments skipped.
fn keyword_after(code: &str, from: usize, keyword: &str) -> Option<usize> {
    let mut at = from;
    while let Some(c) = code.get(at..).and_then(|rest| rest.chars().next()) {
        if let Some(end) = token_end(code, at) {
            at = end;
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let end = name_end(code, at);
            if code.get(at..end) == Some(keyword) {
                return Some(end);
            }
            at = end;
            continue;
        }
        at += c.len_utf8();
    }
    None
}

/// Where the `end` that closes the block opened just before `from`
/// starts: blocks nest by `function`, `if` and `do` (`while` and `for`
/// open theirs with `do`), each closed by `end`.
fn block_end(code: &str, from: usize) -> Option<usize> {
    let mut depth = 1usize;
    let mut at = from;
    while let Some(c) = code.get(at..).and_then(|rest| rest.chars().next()) {
        if let Some(end) = token_end(code, at) {
            at = end;
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let end = name_end(code, at);
            match code.get(at..end) {
                Some("function" | "if" | "do") => depth += 1,
                Some("end") => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(at);
                    }
                }
                _ => {}
            }
            at = end;
            continue;
        }
        at += c.len_utf8();
    }
    None
}

/// What a call does with its argument values.
fn call(does: Does, values: &[Value]) -> Option<Call> {
    let literal = |index: usize| values.get(index).and_then(Value::literal);
    let shell = |index: usize| values.get(index).and_then(Value::shell_text);
    Some(match does {
        Does::Execute => Call::Shell {
            text: shell(0)?,
            input: false,
        },
        Does::Popen => Call::Shell {
            text: shell(0)?,
            input: literal(1).is_some_and(|mode| mode.contains('w')),
        },
        Does::Pipe => {
            let mut words = vec![values.first()?.shell_word()];
            if let Some(Value::List(arguments)) = values.get(1) {
                words.extend(arguments.iter().map(Value::shell_word));
            }
            let command = words.join(" ");
            let text = match literal(2) {
                Some(input) => format!("{{ {command}\n}} <<< {}", words::quote(&input)),
                None => {
                    return Some(Call::Shell {
                        text: command,
                        input: true,
                    });
                }
            };
            Call::Shell { text, input: false }
        }
        Does::Open => {
            let path = literal(0)?;
            match literal(1) {
                Some(mode) if mode.contains(['w', 'a', '+']) => Call::Write {
                    path,
                    append: mode.contains('a'),
                },
                _ => Call::Read(path),
            }
        }
        Does::Read => Call::Read(literal(0)?),
        Does::Write => Call::Write {
            path: literal(0)?,
            append: false,
        },
        Does::Delete => Call::Delete(literal(0)?),
        Does::Rename => Call::Rename {
            from: literal(0)?,
            to: literal(1)?,
        },
        Does::Fetch => Call::Http {
            target: shell(0)?,
            body: None,
        },
        Does::Http => Call::Http {
            target: shell(0)?,
            body: values.get(1).map(|body| match body.literal() {
                Some(text) => Body::Text(text),
                None => Body::Held,
            }),
        },
    })
}

/// LuaSocket's table form of a request, `http.request{url = U, method =
/// M, source = ltn12.source.string(BODY)}`: a request to `url` that sends
/// a body when it has a `source` or its method is not `GET` or `HEAD`.
fn table_request(text: &str, bindings: &HashMap<String, Value>) -> Option<Call> {
    if !text.starts_with('{') || matching(text, 0) != Some(text.len() - 1) {
        return None;
    }
    let inner = text.get(1..text.len() - 1)?;
    let mut entries = HashMap::new();
    for entry in split_top(inner, ",")
        .into_iter()
        .flat_map(|entry| split_top(entry, ";"))
        .map(str::trim)
    {
        let key_end = name_end(entry, 0);
        if let Some(value_at) = assignment_in(entry).filter(|at| *at > 0) {
            let key = entry.get(..key_end)?.trim();
            entries.insert(key.to_owned(), entry.get(value_at..)?.trim());
        }
    }
    let target = evaluate(entries.get("url")?, bindings).shell_text()?;
    let method = entries
        .get("method")
        .and_then(|m| evaluate(m, bindings).literal())
        .unwrap_or_else(|| "GET".to_owned());
    let source = entries.get("source").map(|source| {
        // `ltn12.source.string(BODY)`: BODY, when it is written out.
        let text = call_arguments(source, name_end(source, 0))
            .and_then(|arguments| arguments.first().map(|a| evaluate(a.trim(), bindings)))
            .and_then(|value| value.literal());
        text.map_or(Body::Held, Body::Text)
    });
    let writes = !matches!(method.to_ascii_uppercase().as_str(), "GET" | "HEAD");
    let body = source.or_else(|| writes.then_some(Body::Held));
    Some(Call::Http { target, body })
}

/// Where the value of an assignment to the name ending at `end` starts
/// (`name = value`, not `name == value`).
fn assignment(code: &str, end: usize) -> Option<usize> {
    let rest = code.get(end..)?;
    let trimmed = rest.trim_start_matches([' ', '\t']);
    let after = trimmed.strip_prefix('=')?;
    (!after.starts_with('=')).then(|| code.len() - after.len())
}

/// The value of an expression's text.
fn evaluate(text: &str, bindings: &HashMap<String, Value>) -> Value {
    let pieces = split_top(text, "..");
    let mut pieces = pieces.into_iter().map(|piece| term(piece.trim(), bindings));
    let Some(first) = pieces.next() else {
        return Value::Other;
    };
    pieces.fold(first, Value::join)
}

/// One term: a string, a number, a bound name, `os.getenv(NAME)`, a
/// parenthesised expression or a table.
fn term(text: &str, bindings: &HashMap<String, Value>) -> Value {
    if let Some((literal, end)) = string_at(text, 0)
        && end == text.len()
    {
        return Value::Text(vec![Part::Literal(literal)]);
    }
    if text.starts_with(|c: char| c.is_ascii_digit())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
    {
        return Value::Text(vec![Part::Literal(text.to_owned())]);
    }
    if text.starts_with('(') && matching(text, 0) == Some(text.len() - 1) {
        return evaluate(text.get(1..text.len() - 1).unwrap_or_default(), bindings);
    }
    if text.starts_with('{') && matching(text, 0) == Some(text.len() - 1) {
        let inner = text.get(1..text.len() - 1).unwrap_or_default();
        let entries = split_top(inner, ",")
            .into_iter()
            .flat_map(|entry| split_top(entry, ";"))
            .map(str::trim)
            .filter(|entry| !entry.is_empty() && assignment_in(entry).is_none())
            .map(|entry| evaluate(entry, bindings))
            .collect();
        return Value::List(entries);
    }
    if let Some(name) = environment_lookup(text) {
        return Value::Text(vec![Part::Env(name)]);
    }
    if let Some(value) = formatted(text, bindings) {
        return value;
    }
    if !text.is_empty() && name_end(text, 0) == text.len() {
        return bindings.get(text).cloned().unwrap_or(Value::Other);
    }
    if let Some(value) = indexed(text, bindings) {
        return value;
    }
    Value::Other
}

/// `list[N]` of a list known item by item (Lua counts from 1; `N` a
/// number or a name bound to one).
fn indexed(text: &str, bindings: &HashMap<String, Value>) -> Option<Value> {
    let open = name_end(text, 0);
    if open == 0 || !text.ends_with(']') || matching(text, open) != Some(text.len() - 1) {
        return None;
    }
    let Value::List(items) = bindings.get(text.get(..open)?)? else {
        return None;
    };
    let index: usize = evaluate(text.get(open + 1..text.len() - 1)?, bindings)
        .literal()?
        .trim()
        .parse()
        .ok()?;
    Some(
        items
            .get(index.checked_sub(1)?)
            .cloned()
            .unwrap_or(Value::Other),
    )
}

/// `string.format(FMT, ...)` and `FMT:format(...)` (`FMT` a string, a
/// name bound to one, or either in parentheses): `%s` and the numeric
/// conversions are the argument's text, `%q` the argument quoted as Lua
/// quotes it (`"..."`), `%%` a percent sign.
fn formatted(text: &str, bindings: &HashMap<String, Value>) -> Option<Value> {
    if !text.ends_with(')') {
        return None;
    }
    let (format, arguments) = if text.starts_with("string.format") {
        let arguments = call_arguments(text, "string.format".len())?;
        let (format, rest) = arguments.split_first()?;
        (evaluate(format.trim(), bindings), rest.to_vec())
    } else {
        let open = text.rfind(":format(")?;
        let head = text.get(..open)?;
        if term_end(text, 0) != text.len() || head.trim().is_empty() {
            return None;
        }
        let arguments = call_arguments(text, open + ":format".len())?;
        (evaluate(head.trim(), bindings), arguments)
    };
    if call_end(text)? != text.len() {
        return None;
    }
    let format = format.literal()?;
    let values: Vec<Value> = arguments
        .iter()
        .map(|a| evaluate(a.trim(), bindings))
        .collect();
    let mut values = values.into_iter();
    let mut parts: Vec<Part> = Vec::new();
    let mut literal = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            literal.push(c);
            continue;
        }
        // Flags, width and precision, then the conversion.
        let mut spec = String::new();
        while let Some(&next) = chars.peek() {
            if next.is_ascii_digit() || matches!(next, '-' | '+' | ' ' | '#' | '.') {
                spec.push(next);
                chars.next();
            } else {
                break;
            }
        }
        let conversion = chars.next()?;
        if conversion == '%' {
            literal.push('%');
            continue;
        }
        if !matches!(
            conversion,
            's' | 'q' | 'd' | 'i' | 'u' | 'x' | 'X' | 'o' | 'c' | 'f' | 'g' | 'G' | 'e' | 'E' | 'a'
        ) {
            return None;
        }
        let value = values.next()?;
        let mut pieces = match value {
            Value::Text(pieces) => pieces,
            Value::List(_) | Value::Other => vec![Part::Unknown],
        };
        if conversion == 'q' {
            for piece in &mut pieces {
                if let Part::Literal(text) = piece {
                    *text = text
                        .replace('\\', "\\\\")
                        .replace('"', "\\\"")
                        .replace('\n', "\\\n");
                }
            }
            pieces.insert(0, Part::Literal("\"".to_owned()));
            pieces.push(Part::Literal("\"".to_owned()));
        }
        parts.push(Part::Literal(std::mem::take(&mut literal)));
        parts.extend(pieces);
    }
    parts.push(Part::Literal(literal));
    // Adjacent literal parts as one.
    let mut merged: Vec<Part> = Vec::new();
    for part in parts {
        match (merged.last_mut(), part) {
            (_, Part::Literal(text)) if text.is_empty() => {}
            (Some(Part::Literal(last)), Part::Literal(text)) => last.push_str(&text),
            (_, part) => merged.push(part),
        }
    }
    Some(Value::Text(merged))
}

/// Where the call at the start of `text` ends: the name and its first
/// bracketed arguments, or the parenthesised receiver and its method's.
fn call_end(text: &str) -> Option<usize> {
    let end = term_end(text, 0);
    (end > 0).then_some(end)
}

/// `os.getenv("NAME")`'s NAME.
fn environment_lookup(text: &str) -> Option<String> {
    let arguments =
        call_arguments(text, "os.getenv".len()).filter(|_| text.starts_with("os.getenv"))?;
    let [name] = arguments.as_slice() else {
        return None;
    };
    let (name, _) = string_at(name.trim(), 0)?;
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some(name)
}

/// A table entry's `key = value` split, when it is one.
fn assignment_in(entry: &str) -> Option<usize> {
    let end = name_end(entry, 0);
    if end > 0 && !entry[..end].contains(['.', ':']) {
        return assignment(entry, end);
    }
    entry.starts_with('[').then_some(0)
}

/// Where a name (`a.b:c`) starting at `at` ends.
fn name_end(code: &str, at: usize) -> usize {
    code.get(at..)
        .and_then(|rest| rest.find(|c: char| !(c.is_ascii_alphanumeric() || "_.:".contains(c))))
        .map_or(code.len(), |n| at + n)
}

/// Where the expression starting at `at` ends: terms joined by `..`.
fn expression_end(code: &str, at: usize) -> usize {
    let mut end = term_end(code, at);
    loop {
        let next = skip_blanks(code, end);
        let rest = code.get(next..).unwrap_or_default();
        if rest.starts_with("..") && !rest.starts_with("...") {
            end = term_end(code, next + 2);
        } else {
            return end;
        }
    }
}

/// Where the term starting at `at` (after blanks) ends: a string, a
/// number, a bracketed expression or a name with its calls and indexes.
fn term_end(code: &str, at: usize) -> usize {
    let at = skip_blanks(code, at);
    if let Some((_, end)) = string_at(code, at) {
        return end;
    }
    let Some(c) = code.get(at..).and_then(|rest| rest.chars().next()) else {
        return at;
    };
    let mut end = if matches!(c, '(' | '{') {
        matching(code, at).map_or(code.len(), |close| close + 1)
    } else if c.is_ascii_digit() {
        code.get(at..)
            .and_then(|rest| rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.')))
            .map_or(code.len(), |n| at + n)
    } else if c.is_ascii_alphabetic() || c == '_' {
        name_end(code, at)
    } else {
        return at;
    };
    // Calls and indexes after it: `f(x)`, `t[k]`, `f"x"`, `f{...}`.
    loop {
        let next = skip_blanks(code, end);
        if let Some((_, string_end)) = string_at(code, next) {
            end = string_end;
            continue;
        }
        match code.get(next..).and_then(|rest| rest.chars().next()) {
            Some('(' | '[' | '{') => match matching(code, next) {
                Some(close) => end = close + 1,
                None => return code.len(),
            },
            Some('.' | ':') if !code.get(next..).unwrap_or_default().starts_with("..") => {
                end = name_end(code, next + 1);
            }
            _ => return end,
        }
    }
}

fn skip_blanks(code: &str, at: usize) -> usize {
    code.get(at..).map_or(at, |rest| {
        at + (rest.len() - rest.trim_start_matches([' ', '\t']).len())
    })
}

/// The argument texts of a call whose name ends at `end`: `(a, b)`, or
/// one string or table (`f "x"`, `f[[x]]`, `f{...}`).
fn call_arguments(code: &str, end: usize) -> Option<Vec<String>> {
    let start = end + (code.get(end..)?.len() - code.get(end..)?.trim_start().len());
    let rest = code.get(start..)?;
    if rest.starts_with('(') {
        let close = matching(code, start)?;
        let inner = code.get(start + 1..close)?;
        if inner.trim().is_empty() {
            return Some(Vec::new());
        }
        return Some(
            split_top(inner, ",")
                .into_iter()
                .map(str::to_owned)
                .collect(),
        );
    }
    if let Some((_, string_end)) = string_at(code, start) {
        return Some(vec![code.get(start..string_end)?.to_owned()]);
    }
    if rest.starts_with('{') {
        let close = matching(code, start)?;
        return Some(vec![code.get(start..=close)?.to_owned()]);
    }
    None
}

/// Where a comment starting at `at` ends (`-- ...` to the line's end,
/// `--[[ ... ]]`, `--[==[ ... ]==]`, an unclosed one at the code's end).
fn comment_end(code: &str, at: usize) -> Option<usize> {
    let body = code.get(at..)?.strip_prefix("--")?;
    let start = at + 2;
    if let Some(level) = long_bracket_level(body) {
        return Some(long_bracket_close(code, start, level).unwrap_or(code.len()));
    }
    Some(body.find('\n').map_or(code.len(), |n| start + n))
}

/// `[[` or `[==[` at the start of `text`: its level (the number of `=`).
pub(super) fn long_bracket_level(text: &str) -> Option<usize> {
    let body = text.strip_prefix('[')?;
    let level = body.len() - body.trim_start_matches('=').len();
    body.get(level..)?.starts_with('[').then_some(level)
}

/// Where the long bracket opened at `at` with `level` closes (just past
/// it); `None` when it is not closed.
pub(super) fn long_bracket_close(code: &str, at: usize, level: usize) -> Option<usize> {
    let open = level + 2;
    let close = format!("]{}]", "=".repeat(level));
    let n = code.get(at + open..)?.find(&close)?;
    Some(at + open + n + close.len())
}

/// The text of the long string opened at `at` with `level` and ending at
/// `end`, without its first newline.
pub(super) fn long_string_text(code: &str, at: usize, level: usize, end: usize) -> Option<String> {
    let body = code.get(at + level + 2..end.checked_sub(level + 2)?)?;
    Some(body.strip_prefix('\n').unwrap_or(body).to_owned())
}

/// The string literal starting at `at` and where it ends: `"..."` and
/// `'...'` with Lua's escapes, `[[...]]` and `[==[...]==]` (an unclosed one
/// runs to the code's end).
fn string_at(code: &str, at: usize) -> Option<(String, usize)> {
    let rest = code.get(at..)?;
    if let Some(level) = long_bracket_level(rest) {
        let end = long_bracket_close(code, at, level).unwrap_or(code.len());
        return Some((long_string_text(code, at, level, end)?, end));
    }
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let mut text = String::new();
    let mut chars = rest.char_indices().skip(1).peekable();
    while let Some((index, c)) = chars.next() {
        match c {
            _ if c == quote => return Some((text, at + index + 1)),
            '\n' => return None,
            '\\' => escape(&mut chars, &mut text)?,
            _ => text.push(c),
        }
    }
    None
}

/// Reads one escape after a backslash into `text`.
fn escape(
    chars: &mut std::iter::Peekable<impl Iterator<Item = (usize, char)>>,
    text: &mut String,
) -> Option<()> {
    let (_, c) = chars.next()?;
    let simple = match c {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'v' => Some('\u{b}'),
        'x' | 'z' | 'u' => None,
        _ if c.is_ascii_digit() => None,
        other => Some(other),
    };
    if let Some(simple) = simple {
        text.push(simple);
        return Some(());
    }
    match c {
        'x' => {
            let digits: String = (0..2)
                .filter_map(|_| chars.next().map(|(_, d)| d))
                .collect();
            text.push(char::from(u8::from_str_radix(&digits, 16).ok()?));
        }
        'z' => {
            while chars.peek().is_some_and(|(_, d)| d.is_whitespace()) {
                chars.next();
            }
        }
        'u' => {
            chars.next().filter(|(_, d)| *d == '{')?;
            let mut digits = String::new();
            for (_, d) in chars.by_ref() {
                if d == '}' {
                    break;
                }
                digits.push(d);
            }
            text.push(char::from_u32(u32::from_str_radix(&digits, 16).ok()?)?);
        }
        _ => {
            let mut digits = c.to_string();
            while digits.len() < 3 && chars.peek().is_some_and(|(_, d)| d.is_ascii_digit()) {
                digits.extend(chars.next().map(|(_, d)| d));
            }
            text.push(char::from(u8::try_from(digits.parse::<u32>().ok()?).ok()?));
        }
    }
    Some(())
}

/// Where a Lua token starting at `at` whose brackets and separators do not
/// count ends: a comment, a string, or `...` (whose `..` does not join).
fn token_end(code: &str, at: usize) -> Option<usize> {
    comment_end(code, at)
        .or_else(|| string_at(code, at).map(|(_, end)| end))
        .or_else(|| code.get(at..)?.starts_with("...").then_some(at + 3))
}

/// Where the bracket opened at `open` closes, strings and comments skipped.
fn matching(code: &str, open: usize) -> Option<usize> {
    top_level::matching_with(code, open, token_end)
}

/// `text` split at each top-level `separator` (outside strings, comments
/// and brackets); `..` is not split by `...`.
fn split_top<'t>(text: &'t str, separator: &str) -> Vec<&'t str> {
    top_level::split_with(text, separator, token_end)
}

#[cfg(test)]
mod tests {
    use super::{Body, Call, calls, string_at};

    fn shell(text: &str, input: bool) -> Call {
        Call::Shell {
            text: text.to_owned(),
            input,
        }
    }

    #[test]
    fn reads_strings_with_lua_escapes_and_long_brackets() {
        assert_eq!(
            string_at(r#""a\tb\"c""#, 0),
            Some(("a\tb\"c".to_owned(), 9))
        );
        assert_eq!(
            string_at(r"'\65\x42\u{43}'", 0),
            Some(("ABC".to_owned(), 15))
        );
        assert_eq!(
            string_at("[==[\nx]]y]==]", 0),
            Some(("x]]y".to_owned(), 13))
        );
        assert_eq!(string_at("[x]", 0), None);
    }

    #[test]
    fn finds_commands_files_and_requests() {
        let cases: &[(&str, Vec<Call>)] = &[
            (
                r#"os.execute("curl -T x https://h")"#,
                vec![shell("curl -T x https://h", false)],
            ),
            (
                "local c = 'scp ' .. \"f h:\"\nos.execute(c)",
                vec![shell("scp f h:", false)],
            ),
            (
                "local p = io.popen('nc h 9', 'w') p:write(doc)",
                vec![shell("nc h 9", true)],
            ),
            (
                "pandoc.pipe('curl', {'-F', 'f=@-', URL}, txt)",
                vec![shell("'curl' '-F' 'f=@-' \"${LUA_VALUE}\"", true)],
            ),
            (
                "os.execute('curl -H \"A: ' .. os.getenv('TOKEN') .. '\" h')",
                vec![shell("curl -H \"A: ${TOKEN}\" h", false)],
            ),
            (
                "local f = io.open('out/x.txt', 'w') io.open('in.txt'):read('a')",
                vec![
                    Call::Write {
                        path: "out/x.txt".to_owned(),
                        append: false,
                    },
                    Call::Read("in.txt".to_owned()),
                ],
            ),
            (
                "http.request('https://h/p', body) socket.http.request'https://g'",
                vec![
                    Call::Http {
                        target: "https://h/p".to_owned(),
                        body: Some(Body::Held),
                    },
                    Call::Http {
                        target: "https://g".to_owned(),
                        body: None,
                    },
                ],
            ),
            // Comments and strings are not calls; unknown commands are not run.
            (
                "-- os.execute('rm -rf x')\n--[[ os.execute('y') ]] print('os.execute(1)') os.execute(cmd)",
                vec![],
            ),
            ("if x == 'a' then os.remove(x) end", vec![]),
        ];
        for (code, expected) in cases {
            assert_eq!(&calls(code), expected, "{code}");
        }
    }
}
