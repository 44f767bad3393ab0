//! Tcl code read for what it visibly does: `tclsh`/`wish` (a script file,
//! `-` or code on standard input) and the Tcl of `expect` scripts.
//!
//! - A script is split into commands (newlines and `;`), words grouped by
//!   `"..."` and `{...}`; `$var`, `${var}`, `$::env(NAME)` and
//!   `[command substitution]` are evaluated as they are read, variables
//!   `set` earlier holding what their value carries (files read, the
//!   environment, literal text, channels).
//! - `exec` runs a command word by word (a pipeline or redirection as
//!   shell text); `open "|CMD"` runs a pipeline; `open F ?MODE?`, `read`,
//!   `gets` read a file, `open F w` and `puts` write it; `file delete
//!   ?-force?`, `file copy`, `file rename` change files; `cd` moves later
//!   commands.
//! - `http::geturl URL ?-query Q? ?-method M? ?-headers H? ?-querychannel
//!   C?` is a request (a POST with a query); `socket HOST PORT` and `puts
//!   $sock DATA` send DATA to HOST:PORT.
//! - Braced bodies of other commands (`if`, `foreach`, `proc`, `catch`,
//!   ...) are read as scripts; a [`Dialect`] adds its own commands
//!   (expect's `spawn` and `send`).

use std::collections::HashMap;

use super::sql::Lookup;
use super::{Invocation, Nested, Outcome, request, url, words};
use crate::args::Arg;
use crate::{Payload, Target, flow, paths};

/// How deep braced bodies and `[...]` substitutions are read.
const MAX_DEPTH: usize = 16;

/// Whether `program` is a Tcl shell: `tclsh`, `tclsh8.6`, `wish`, `wish8.6`.
pub(super) fn is_tcl(program: &str) -> bool {
    ["tclsh", "wish", "jimsh"].iter().any(|base| {
        program
            .strip_prefix(base)
            .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
    })
}

/// Options of tclsh and wish that take a value.
const VALUED: &[&str] = &[
    "-encoding",
    "-display",
    "-geometry",
    "-name",
    "-use",
    "-visual",
    "-colormap",
];

/// `tclsh ?-encoding E? ?FILE|- ARGS...?`, `wish ?OPTIONS? ?FILE ARGS?`:
/// the script file is read (its text by [`written_scripts`] when known),
/// `-` or no file reads the code from standard input.
pub(super) fn handle(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut words = inv.args.iter();
    let mut file = None;
    while let Some(word) = words.next() {
        match word.text.as_str() {
            text if VALUED.contains(&text) => {
                words.next();
            }
            "-file" | "-f" => {
                file = words.next().map(|w| w.text.clone());
                break;
            }
            "-" => break,
            "--" => {
                file = words.next().map(|w| w.text.clone());
                break;
            }
            text if text.starts_with('-') && text.len() > 1 => {}
            text => {
                file = Some(text.to_owned());
                break;
            }
        }
    }
    match file {
        Some(file) if file != "-" => {
            let path = inv.path(&file);
            outcome.read(path.clone(), false);
            outcome.opaque.push(note(inv.program, &path));
        }
        _ if inv.has_stdin => {
            super::interactive::merge(
                &mut outcome,
                run(inv, &inv.stdin.text.join("\n"), &mut Plain),
            );
        }
        _ => {}
    }
    outcome
}

/// The note left for a script file whose text is not known.
fn note(program: &str, path: &str) -> String {
    format!("{program} runs the Tcl script {path}")
}

/// A Tcl shell's script written earlier, read as the code it holds in
/// place of the note [`handle`] left.
pub(super) fn written_scripts(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    for (_, text) in super::noted_scripts(outcome, &note(inv.program, ""), text_of) {
        let ran = run(inv, &text, &mut Plain);
        super::interactive::merge(outcome, ran);
    }
}

/// What Tcl `code` does, with `dialect`'s own commands.
pub(super) fn run(inv: &Invocation<'_>, code: &str, dialect: &mut dyn Dialect) -> Outcome {
    let mut reader = Reader::new(inv);
    reader.script(code, 0, dialect);
    dialect.finish(&mut reader);
    reader.finish()
}

/// Commands a Tcl-based program adds to the language.
pub(super) trait Dialect {
    /// What `words` do when the dialect knows the command (its result).
    fn command(&mut self, reader: &mut Reader<'_>, words: &[Word], depth: usize) -> Option<Value>;
    /// Called when the whole script has been read.
    fn finish(&mut self, _reader: &mut Reader<'_>) {}
}

/// Plain Tcl.
pub(super) struct Plain;

impl Dialect for Plain {
    fn command(&mut self, _: &mut Reader<'_>, _: &[Word], _: usize) -> Option<Value> {
        None
    }
}

// ---------------------------------------------------------------------
// Values.

/// A piece of a value's text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    /// `$::env(NAME)`.
    Env(String),
    /// A variable whose value is not known.
    Unknown(String),
    /// The output of a command (shell text).
    Output(String),
}

/// An open channel.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Channel {
    /// A file, by absolute path.
    File(String),
    /// A command pipeline (shell text).
    Pipe(String),
    Socket {
        host: String,
        port: Option<u16>,
    },
}

/// A Tcl value as far as the text shows: its text in parts, the data it
/// carries, and the channel it names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Value {
    parts: Vec<Part>,
    /// Files and environment variables whose contents it holds.
    payload: Payload,
    channel: Option<Channel>,
}

/// How a value is written as shell text.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Inside double quotes.
    Quoted,
    /// In an unquoted heredoc's body.
    Heredoc,
    /// As it stands, for a line the shell splits again.
    Raw,
}

impl Value {
    fn literal_text(text: &str) -> Value {
        Value {
            parts: vec![Part::Literal(text.to_owned())],
            ..Value::default()
        }
    }

    fn push(&mut self, part: Part) {
        if let (Part::Literal(more), Some(Part::Literal(last))) = (&part, self.parts.last_mut()) {
            last.push_str(more);
            return;
        }
        self.parts.push(part);
    }

    fn extend(&mut self, other: Value) {
        for part in other.parts {
            self.push(part);
        }
        flow::merge(&mut self.payload, &other.payload);
        if self.channel.is_none() {
            self.channel = other.channel;
        }
    }

    /// The whole text when every part is literal.
    pub(super) fn literal(&self) -> Option<String> {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Literal(text) => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The text with what is not known as the shell would write it:
    /// `${NAME}` for a variable, `$(CMD)` for a command's output.
    pub(super) fn shell(&self, mode: Mode) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(text) => {
                    for c in text.chars() {
                        let special = match mode {
                            Mode::Quoted => matches!(c, '"' | '\\' | '$' | '`'),
                            Mode::Heredoc => matches!(c, '\\' | '$' | '`'),
                            Mode::Raw => false,
                        };
                        if special {
                            out.push('\\');
                        }
                        out.push(c);
                    }
                }
                Part::Env(name) => out.push_str(&format!("${{{name}}}")),
                Part::Unknown(name) => {
                    let base: String = name
                        .trim_start_matches(':')
                        .chars()
                        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                        .collect();
                    out.push_str(&format!("${{{base}}}"));
                }
                Part::Output(command) => out.push_str(&format!("$({command})")),
            }
        }
        out
    }

    /// The value as one shell word.
    pub(super) fn word(&self) -> String {
        match self.literal() {
            Some(text) => words::quote(&text),
            None => format!("\"{}\"", self.shell(Mode::Quoted)),
        }
    }

    /// The value as an argument of a command run.
    fn arg(&self) -> Arg {
        let mut arg = Arg::literal(&self.literal().unwrap_or_else(|| self.shell(Mode::Raw)));
        for part in &self.parts {
            match part {
                Part::Env(name) if !arg.env.contains(name) => arg.env.push(name.clone()),
                Part::Output(command) => arg.substitutions.push(command.clone()),
                Part::Unknown(_) => arg.dynamic = true,
                _ => {}
            }
        }
        arg.prov = self.payload.clone();
        arg
    }

    /// What sending the value sends: its literal text, the environment
    /// variables in it, the files it holds.
    pub(super) fn data(&self) -> Payload {
        let mut payload = self.payload.clone();
        let text: String = self
            .parts
            .iter()
            .filter_map(|part| match part {
                Part::Literal(text) => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(" ");
        if !text.trim().is_empty() {
            flow::push_text(&mut payload, text.trim());
        }
        for part in &self.parts {
            if let Part::Env(name) = part {
                flow::push_env(&mut payload, name);
            }
        }
        payload
    }

    /// The commands whose output the value holds.
    fn outputs(&self) -> Vec<String> {
        self.parts
            .iter()
            .filter_map(|part| match part {
                Part::Output(command) => Some(command.clone()),
                _ => None,
            })
            .collect()
    }

    /// A value holding what all of `values` hold, their texts joined by spaces.
    fn joined(values: Vec<Value>) -> Value {
        let mut out = Value::default();
        for (i, value) in values.into_iter().enumerate() {
            if i > 0 {
                out.push(Part::Literal(" ".to_owned()));
            }
            out.extend(value);
        }
        out.channel = None;
        out
    }
}

// ---------------------------------------------------------------------
// Reading.

/// What a script does, as it is read.
pub(super) struct Reader<'a> {
    inv: &'a Invocation<'a>,
    pub(super) outcome: Outcome,
    vars: HashMap<String, Value>,
    /// The working directory `cd` moved to.
    cwd: Option<String>,
    /// Sockets opened and not yet written to.
    silent_sockets: Vec<(String, Option<u16>)>,
    /// `exit` was read.
    exited: bool,
    /// Commands `exec` ran, by their shell text, with where their run is
    /// in `outcome.nested`: a shell line that holds their output runs them.
    ran: Vec<(String, usize)>,
}

impl<'a> Reader<'a> {
    fn new(inv: &'a Invocation<'a>) -> Self {
        Reader {
            inv,
            outcome: Outcome::default(),
            vars: HashMap::new(),
            cwd: None,
            silent_sockets: Vec::new(),
            exited: false,
            ran: Vec::new(),
        }
    }

    fn finish(mut self) -> Outcome {
        for (host, port) in std::mem::take(&mut self.silent_sockets) {
            self.outcome.effects.push(request(
                self.inv.program,
                host_target(&host, port),
                "CONNECT",
                Payload::default(),
                false,
            ));
        }
        self.outcome
    }

    /// A path as the script names it, absolute.
    pub(super) fn path(&self, text: &str) -> String {
        paths::resolve(
            self.cwd.as_deref().unwrap_or(self.inv.cwd),
            self.inv.home,
            text,
        )
    }

    /// Reads `text` as a script; its value is its last command's.
    pub(super) fn script(&mut self, text: &str, depth: usize, dialect: &mut dyn Dialect) -> Value {
        let mut last = Value::default();
        if depth > MAX_DEPTH {
            return last;
        }
        for command in commands(text) {
            if self.exited {
                break;
            }
            last = self.command(&command, depth, dialect);
        }
        last
    }

    /// A word's value: braced text as it stands, else with its
    /// substitutions made.
    pub(super) fn value(&mut self, word: &Word, depth: usize, dialect: &mut dyn Dialect) -> Value {
        if word.braced {
            return Value::literal_text(&word.text);
        }
        let text = word.text.as_str();
        let mut out = Value::default();
        let mut at = 0;
        while let Some(c) = text[at..].chars().next() {
            at += c.len_utf8();
            match c {
                '\\' => {
                    let next = text[at..].chars().next();
                    at += next.map_or(0, char::len_utf8);
                    out.push(Part::Literal(escaped(next).to_string()));
                }
                '$' => match variable(&text[at..]) {
                    Some((name, len)) => {
                        at += len;
                        out.extend(self.variable_value(&name));
                    }
                    None => out.push(Part::Literal("$".to_owned())),
                },
                '[' => {
                    let len = bracket_len(&text[at..]);
                    let inner = text[at..at + len].to_owned();
                    at = (at + len + 1).min(text.len());
                    let value = self.script(&inner, depth + 1, dialect);
                    out.extend(value);
                }
                c => out.push(Part::Literal(c.to_string())),
            }
        }
        out
    }

    fn variable_value(&self, name: &str) -> Value {
        let bare = name.trim_start_matches("::");
        if let Some(env) = bare.strip_prefix("env(").and_then(|n| n.strip_suffix(')')) {
            let mut value = Value::default();
            value.push(Part::Env(env.to_owned()));
            flow::push_env(&mut value.payload, env);
            return value;
        }
        match self.vars.get(bare) {
            Some(value) => value.clone(),
            None => Value {
                parts: vec![Part::Unknown(bare.to_owned())],
                ..Value::default()
            },
        }
    }

    /// Sets a variable.
    pub(super) fn set(&mut self, name: &str, value: Value) {
        self.vars
            .insert(name.trim_start_matches("::").to_owned(), value);
    }

    /// Runs a command: argv as words, in the directory `cd` moved to.
    pub(super) fn run_argv(&mut self, argv: &[Value]) {
        if argv.is_empty() {
            return;
        }
        // A command's output in a word: the shell runs it.
        if argv.iter().any(|v| !v.outputs().is_empty()) {
            let line: Vec<String> = argv.iter().map(Value::word).collect();
            self.run_shell(
                line.join(" "),
                &format!("a command {} runs", self.inv.program),
            );
            return;
        }
        self.outcome.nested.push(Nested::Argv {
            argv: argv.iter().map(Value::arg).collect(),
            env: Vec::new(),
            cwd: self.cwd.clone(),
        });
    }

    /// Drops the runs of the commands whose output `text` holds as
    /// `$(...)`: the shell running `text` runs them.
    fn unrun(&mut self, text: &str) {
        while let Some(at) = self
            .ran
            .iter()
            .position(|(line, _)| text.contains(&format!("$({line})")))
        {
            let (_, index) = self.ran.remove(at);
            if index < self.outcome.nested.len() {
                self.outcome.nested.remove(index);
            }
            for (_, later) in &mut self.ran {
                if *later > index {
                    *later -= 1;
                }
            }
        }
    }

    /// Runs shell text, in the directory `cd` moved to.
    pub(super) fn run_shell(&mut self, text: String, what: &str) {
        if text.trim().is_empty() {
            return;
        }
        self.unrun(&text);
        let text = match &self.cwd {
            Some(cwd) => format!("cd {} && {text}", words::quote(cwd)),
            None => text,
        };
        self.outcome.nested.push(Nested::Script {
            text,
            what: what.to_owned(),
        });
    }

    fn command(&mut self, words: &[Word], depth: usize, dialect: &mut dyn Dialect) -> Value {
        let Some((verb, rest)) = words.split_first() else {
            return Value::default();
        };
        if let Some(value) = dialect.command(self, words, depth) {
            return value;
        }
        let name = if verb.braced {
            verb.text.clone()
        } else {
            self.value(verb, depth, dialect)
                .literal()
                .unwrap_or_default()
        };
        let name = name.trim_start_matches("::");
        match name {
            "set" => {
                let values = self.values(rest, depth, dialect);
                match values.as_slice() {
                    [var, value] => {
                        let var = var.literal().unwrap_or_default();
                        self.set(&var, value.clone());
                        value.clone()
                    }
                    [var] => self.variable_value(&var.literal().unwrap_or_default()),
                    _ => Value::default(),
                }
            }
            "append" | "lappend" => {
                let values = self.values(rest, depth, dialect);
                let Some((var, more)) = values.split_first() else {
                    return Value::default();
                };
                let var = var.literal().unwrap_or_default();
                let mut all = vec![self.vars.get(&var).cloned().unwrap_or_default()];
                all.extend(more.iter().cloned());
                let value = if name == "append" {
                    let mut out = Value::default();
                    all.into_iter().for_each(|v| out.extend(v));
                    out
                } else {
                    Value::joined(all)
                };
                self.set(&var, value.clone());
                value
            }
            "exec" => {
                let values = self.values(rest, depth, dialect);
                self.exec(&values)
            }
            "open" => {
                let values = self.values(rest, depth, dialect);
                self.open(&values)
            }
            "read" | "gets" => {
                let values = self.values(rest, depth, dialect);
                let channel = values.iter().find_map(|v| v.channel.clone());
                let value = match channel {
                    Some(Channel::File(path)) => Value {
                        payload: flow::file_payload(path, false),
                        ..Value::default()
                    },
                    Some(Channel::Pipe(command)) => Value {
                        parts: vec![Part::Output(command)],
                        ..Value::default()
                    },
                    _ => Value::default(),
                };
                if name == "gets"
                    && let [_, var, ..] = values.as_slice()
                    && let Some(var) = var.literal()
                {
                    self.set(&var, value.clone());
                }
                value
            }
            "puts" => {
                let values = self.values(rest, depth, dialect);
                self.puts(&values);
                Value::default()
            }
            "socket" => {
                let values = self.values(rest, depth, dialect);
                self.socket(&values)
            }
            "file" => {
                let values = self.values(rest, depth, dialect);
                self.file(&values);
                Value::default()
            }
            "cd" => {
                let values = self.values(rest, depth, dialect);
                let target = values
                    .first()
                    .and_then(Value::literal)
                    .unwrap_or_else(|| self.inv.home.to_owned());
                self.cwd = Some(self.path(&target));
                Value::default()
            }
            "source" => {
                let values = self.values(rest, depth, dialect);
                if let Some(file) = values.last().and_then(Value::literal) {
                    let path = self.path(&file);
                    self.outcome.read(path, false);
                }
                Value::default()
            }
            "exit" => {
                self.exited = true;
                Value::default()
            }
            "eval" | "uplevel" => {
                let values = self.values(rest, depth, dialect);
                let code: Vec<String> = values
                    .iter()
                    .filter_map(Value::literal)
                    .filter(|t| name != "uplevel" || !t.starts_with('#'))
                    .collect();
                self.script(&code.join(" "), depth + 1, dialect)
            }
            "proc" => {
                if let Some(body) = rest.get(2) {
                    self.body(body, depth, dialect);
                }
                Value::default()
            }
            "http::geturl" | "https::geturl" => {
                let values = self.values(rest, depth, dialect);
                self.geturl(&values);
                Value::default()
            }
            // Values built from their arguments: they carry what those carry.
            "list" | "format" | "concat" | "join" | "string" | "subst" | "lindex" | "lrange"
            | "encoding" | "binary" | "http::formatQuery" | "dict" | "expr" | "return"
            | "base64::encode" | "json::write" | "lsort" | "split" | "regsub" | "lmap"
            | "array" | "incr" => {
                let values = self.values(rest, depth, dialect);
                let mut joined = Value::joined(values);
                if matches!(name, "return") {
                    joined.channel = None;
                }
                joined
            }
            _ => {
                // Bodies of `if`, `foreach`, `catch`, ... read as scripts;
                // other words for their substitutions.
                for word in rest {
                    if word.braced {
                        self.body(word, depth, dialect);
                    } else {
                        self.value(word, depth, dialect);
                    }
                }
                Value::default()
            }
        }
    }

    /// A braced body (or a braced condition) read as a script.
    pub(super) fn body(&mut self, word: &Word, depth: usize, dialect: &mut dyn Dialect) {
        if word.braced {
            self.script(&word.text, depth + 1, dialect);
        } else {
            self.value(word, depth, dialect);
        }
    }

    /// The values of `words`.
    pub(super) fn values(
        &mut self,
        words: &[Word],
        depth: usize,
        dialect: &mut dyn Dialect,
    ) -> Vec<Value> {
        words
            .iter()
            .map(|word| self.value(word, depth, dialect))
            .collect()
    }

    /// `exec ?-ignorestderr? ?-keepnewline? ?--? WORDS`: a command run word
    /// by word, or a shell pipeline when it has `|`, `<`, `>`, `&`.
    fn exec(&mut self, values: &[Value]) -> Value {
        let mut values = values.iter().peekable();
        while values
            .next_if(|v| {
                matches!(
                    v.literal().as_deref(),
                    Some("-ignorestderr" | "-keepnewline")
                )
            })
            .is_some()
        {}
        values.next_if(|v| v.literal().as_deref() == Some("--"));
        let rest: Vec<Value> = values.cloned().collect();
        let (line, plain) = pipeline(&rest);
        let index = self.outcome.nested.len();
        if plain {
            let argv: Vec<Value> = rest
                .iter()
                .filter(|v| v.literal().is_none_or(|t| channel_redirect(&t).is_none()))
                .cloned()
                .collect();
            // `>@ chan` takes the next word as its channel.
            let argv = drop_channel_targets(&rest, argv);
            self.run_argv(&argv);
        } else {
            self.run_shell(
                line.clone(),
                &format!("a command {} runs", self.inv.program),
            );
        }
        if self.outcome.nested.len() > index {
            self.ran.push((line.clone(), index));
        }
        Value {
            parts: vec![Part::Output(line)],
            ..Value::default()
        }
    }

    /// `open NAME ?ACCESS? ?PERMS?`: `|CMD` runs a pipeline; a file is read,
    /// or written when ACCESS writes.
    fn open(&mut self, values: &[Value]) -> Value {
        let Some(target) = values.first() else {
            return Value::default();
        };
        let text = target.literal().unwrap_or_else(|| target.shell(Mode::Raw));
        let access = values.get(1).and_then(Value::literal).unwrap_or_default();
        if let Some(list) = text.strip_prefix('|') {
            let words = commands(list).into_iter().next().unwrap_or_default();
            let line = pipeline(
                &words
                    .iter()
                    .map(|w| Value::literal_text(&w.text))
                    .collect::<Vec<_>>(),
            )
            .0;
            self.run_shell(line.clone(), &format!("a pipe {} opens", self.inv.program));
            return Value {
                channel: Some(Channel::Pipe(line)),
                ..Value::default()
            };
        }
        let path = self.path(&text);
        let writes = access.contains(['w', 'a', '+'])
            || access.contains("WRONLY")
            || access.contains("RDWR");
        let appends = access.contains('a') || access.contains("APPEND");
        if writes {
            self.outcome.write(path.clone(), appends);
        }
        if !writes || access.contains('+') || access.contains("RDWR") {
            self.outcome.read(path.clone(), false);
        }
        Value {
            channel: Some(Channel::File(path)),
            ..Value::default()
        }
    }

    /// `puts ?-nonewline? ?CHANNEL? TEXT`: to a file, a written pipe or a
    /// socket; standard output otherwise.
    fn puts(&mut self, values: &[Value]) {
        let values: Vec<&Value> = values
            .iter()
            .filter(|v| v.literal().as_deref() != Some("-nonewline"))
            .collect();
        let [channel, text] = values.as_slice() else {
            return;
        };
        match &channel.channel {
            Some(Channel::File(path)) => {
                let data = text.data();
                if !data.is_empty() {
                    self.outcome.contents.push((path.clone(), data));
                }
            }
            Some(Channel::Pipe(command)) => {
                self.feed(command, text);
            }
            Some(Channel::Socket { host, port }) => {
                let (host, port) = (host.clone(), *port);
                self.silent_sockets
                    .retain(|(h, p)| !(*h == host && *p == port));
                let sink = match port {
                    Some(port) => format!("nc {} {port}", words::quote(&host)),
                    None => format!("nc {}", words::quote(&host)),
                };
                if text.outputs().is_empty() {
                    self.outcome.effects.push(request(
                        self.inv.program,
                        host_target(&host, port),
                        "SEND",
                        text.data(),
                        false,
                    ));
                } else {
                    self.feed(&sink, text);
                }
            }
            None => {}
        }
    }

    /// Runs `command` with `text` on its standard input.
    fn feed(&mut self, command: &str, text: &Value) {
        let outputs = text.outputs();
        let source = if outputs.is_empty() {
            format!("printf '%s\\n' \"{}\"", text.shell(Mode::Quoted))
        } else {
            format!("{{ {}; }}", outputs.join("; "))
        };
        self.run_shell(
            format!("{source} | {command}"),
            &format!("what {} sends", self.inv.program),
        );
    }

    /// `socket ?-myaddr A? ?-myport P? ?-async? HOST PORT` (`-server` listens).
    fn socket(&mut self, values: &[Value]) -> Value {
        let mut words = Vec::new();
        let mut iter = values.iter();
        while let Some(value) = iter.next() {
            match value.literal().as_deref() {
                Some("-server") => return Value::default(),
                Some("-myaddr" | "-myport") => {
                    iter.next();
                }
                Some(text) if text.starts_with('-') => {}
                _ => words.push(value),
            }
        }
        let [host, port, ..] = words.as_slice() else {
            return Value::default();
        };
        let host = host.literal().unwrap_or_else(|| host.shell(Mode::Raw));
        let port = port.literal().and_then(|p| p.parse().ok());
        self.silent_sockets.push((host.clone(), port));
        Value {
            channel: Some(Channel::Socket { host, port }),
            ..Value::default()
        }
    }

    /// `file delete ?-force? ?--? PATHS`, `file copy|rename ?-force? ?--?
    /// SOURCES TARGET`, `file mkdir PATHS`.
    fn file(&mut self, values: &[Value]) {
        let Some((verb, rest)) = values.split_first() else {
            return;
        };
        let force = rest
            .iter()
            .any(|v| v.literal().as_deref() == Some("-force"));
        let paths: Vec<String> = rest
            .iter()
            .filter(|v| !v.literal().is_some_and(|t| t == "-force" || t == "--"))
            .map(|v| self.path(&v.literal().unwrap_or_else(|| v.shell(Mode::Raw))))
            .collect();
        match verb.literal().as_deref() {
            Some("delete") => {
                for path in paths {
                    self.outcome.delete(path, force);
                }
            }
            Some(verb @ ("copy" | "rename")) => {
                let Some((target, sources)) = paths.split_last() else {
                    return;
                };
                for source in sources {
                    self.outcome.read(source.clone(), true);
                    self.outcome
                        .contents
                        .push((target.clone(), flow::file_payload(source.clone(), true)));
                    if verb == "rename" {
                        self.outcome.delete(source.clone(), true);
                    }
                }
                self.outcome.write(target.clone(), false);
            }
            Some("mkdir") => {
                for path in paths {
                    self.outcome.write(path, false);
                }
            }
            _ => {}
        }
    }

    /// `http::geturl URL ?-query Q? ?-querychannel C? ?-method M?
    /// ?-headers {K V ...}? ?-type T? ...`.
    fn geturl(&mut self, values: &[Value]) {
        let Some((target, options)) = values.split_first() else {
            return;
        };
        let address = target.literal().unwrap_or_else(|| target.shell(Mode::Raw));
        let mut method = None;
        let mut body: Option<Value> = None;
        let mut payload = target.payload.clone();
        for part in &target.parts {
            if let Part::Env(name) = part {
                flow::push_env(&mut payload, name);
            }
        }
        let mut options = options.iter();
        while let Some(option) = options.next() {
            let Some(value) = options.next() else { break };
            match option.literal().as_deref() {
                Some("-method") => method = value.literal(),
                Some("-query") => body = Some(value.clone()),
                Some("-querychannel") => {
                    let mut held = Value::default();
                    if let Some(Channel::File(path)) = &value.channel {
                        held.payload = flow::file_payload(path.clone(), false);
                    }
                    body = Some(held);
                }
                Some("-headers") => flow::merge(&mut payload, &value.data()),
                _ => {}
            }
        }
        let method = method
            .map(|m| m.to_ascii_uppercase())
            .unwrap_or_else(|| if body.is_some() { "POST" } else { "GET" }.to_owned());
        if let Some(body) = &body
            && !body.outputs().is_empty()
        {
            let sink = format!(
                "curl -sS -X {method} --data-binary @- {}",
                words::quote(&address)
            );
            self.feed(&sink, body);
            return;
        }
        if let Some(body) = &body {
            flow::merge(&mut payload, &body.data());
        }
        self.outcome.effects.push(request(
            self.inv.program,
            url(&address),
            &method,
            payload,
            false,
        ));
    }
}

/// A `HOST` and `PORT` as a target.
fn host_target(host: &str, port: Option<u16>) -> Target {
    Target::Host {
        user: None,
        host: host.to_owned(),
        port,
        path: None,
    }
}

/// The Tcl channel redirection a word is (`>@`, `2>@`, `<@`, with or
/// without its channel joined), and whether the channel is joined.
fn channel_redirect(word: &str) -> Option<bool> {
    ["2>@", ">@", "<@"]
        .iter()
        .find(|op| word.starts_with(**op))
        .map(|op| word.len() > op.len())
}

/// `argv` without the channels that bare `>@`-style words name.
fn drop_channel_targets(all: &[Value], argv: Vec<Value>) -> Vec<Value> {
    let mut dropped = Vec::new();
    let mut iter = all.iter().peekable();
    while let Some(value) = iter.next() {
        if value
            .literal()
            .is_some_and(|t| channel_redirect(&t) == Some(false))
            && let Some(next) = iter.next()
        {
            dropped.push(next.clone());
        }
    }
    let mut argv = argv;
    for channel in dropped {
        if let Some(at) = argv.iter().rposition(|v| *v == channel) {
            argv.remove(at);
        }
    }
    argv
}

/// A Tcl `exec` pipeline as a shell line, and whether it is a plain
/// command (no `|`, `<`, `>`, `&` but Tcl's channel redirections): its
/// operators (`|`, `|&`, `<`, `<<`, `>`, `>>`, `2>`, `2>>`, `>&`, `>>&`,
/// and a last `&`) as the shell's; `<@ ID` and `>@ ID` redirect to Tcl
/// channels and are dropped.
pub(super) fn pipeline(values: &[Value]) -> (String, bool) {
    const OPERATORS: &[(&str, &str)] = &[
        ("2>>", "2>>"),
        (">>&", "&>>"),
        ("2>@1", "2>&1"),
        ("2>@", ""),
        ("2>", "2>"),
        (">>", ">>"),
        (">&", "&>"),
        ("<<", "<<<"),
        ("|&", "|&"),
        ("<@", ""),
        (">@", ""),
        ("<", "<"),
        (">", ">"),
        ("|", "|"),
    ];
    let mut line: Vec<String> = Vec::new();
    let mut plain = true;
    let mut drop_next = false;
    let mut iter = values.iter().peekable();
    while let Some(value) = iter.next() {
        if std::mem::take(&mut drop_next) {
            continue;
        }
        let Some(text) = value.literal() else {
            line.push(value.word());
            continue;
        };
        if text == "&" && iter.peek().is_none() {
            plain = false;
            line.push("&".to_owned());
            continue;
        }
        match OPERATORS.iter().find(|(op, _)| text.starts_with(op)) {
            Some((op, shell)) => {
                let target = &text[op.len()..];
                if shell.is_empty() {
                    drop_next = target.is_empty();
                    continue;
                }
                plain = false;
                line.push((*shell).to_owned());
                if !target.is_empty() {
                    line.push(words::quote(target));
                }
            }
            None => line.push(words::quote(&text)),
        }
    }
    (line.join(" "), plain)
}

// ---------------------------------------------------------------------
// Words.

/// One Tcl word: its text without its delimiters, and whether braces
/// quoted it (then nothing in it is substituted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Word {
    pub(super) text: String,
    pub(super) braced: bool,
}

/// The character a backslash escape stands for.
pub(super) fn escaped(next: Option<char>) -> char {
    match next {
        Some('n') => '\n',
        Some('r') => '\r',
        Some('t') => '\t',
        Some('\n') | None => ' ',
        Some(c) => c,
    }
}

/// The variable a `$` starts (`name`, `${name}`, `name(index)`,
/// `::env(NAME)`) and how many bytes after the `$` it takes.
fn variable(text: &str) -> Option<(String, usize)> {
    if let Some(inner) = text.strip_prefix('{') {
        let name = inner.split('}').next()?;
        return Some((name.to_owned(), name.len() + 2));
    }
    let len = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(text.len());
    if len == 0 {
        return None;
    }
    let mut name = text[..len].to_owned();
    let mut taken = len;
    if text[len..].starts_with('(')
        && let Some(close) = text[len..].find(')')
    {
        name.push_str(&text[len..=len + close]);
        taken += close + 1;
    }
    Some((name, taken))
}

/// The length of the text inside a `[` whose opening is just before
/// `text`, up to its matching `]` (or the end).
fn bracket_len(text: &str) -> usize {
    let mut depth = 0usize;
    let mut chars = text.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '[' => depth += 1,
            ']' if depth == 0 => return at,
            ']' => depth -= 1,
            _ => {}
        }
    }
    text.len()
}

/// A Tcl script's commands as words: a command ends at `;` or a line
/// break outside quotes, braces and brackets; a `#` where a command
/// starts comments out the line; `"..."` and `{...}` at a word's start
/// group it (their delimiters removed); a backslash before a line break
/// continues the line.
pub(super) fn commands(script: &str) -> Vec<Vec<Word>> {
    let mut commands = Vec::new();
    let mut words: Vec<Word> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote = false;
    let mut braces = 0usize;
    let mut brackets = 0usize;
    let mut braced = false;
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        if braces > 0 {
            match c {
                '\\' => {
                    word.push(c);
                    word.extend(chars.next());
                }
                '{' => {
                    braces += 1;
                    word.push(c);
                }
                '}' => {
                    braces -= 1;
                    if braces > 0 {
                        word.push(c);
                    }
                }
                c => word.push(c),
            }
            continue;
        }
        match c {
            '#' if !in_word && words.is_empty() => while chars.next_if(|c| *c != '\n').is_some() {},
            '\\' if chars.peek() == Some(&'\n') => {
                chars.next();
                while chars.next_if(|c| *c == ' ' || *c == '\t').is_some() {}
                if quote || brackets > 0 {
                    word.push(' ');
                } else if in_word {
                    words.push(take_word(&mut word, &mut braced));
                    in_word = false;
                }
            }
            '\\' => {
                word.push(c);
                word.extend(chars.next());
                in_word = true;
            }
            '{' if !in_word => {
                braces = 1;
                braced = true;
                in_word = true;
            }
            '"' if !in_word => {
                quote = true;
                in_word = true;
            }
            '"' if quote && brackets == 0 => quote = false,
            '[' => {
                brackets += 1;
                word.push(c);
                in_word = true;
            }
            ']' if brackets > 0 => {
                brackets -= 1;
                word.push(c);
            }
            ';' | '\n' if !quote && brackets == 0 => {
                if in_word {
                    words.push(take_word(&mut word, &mut braced));
                    in_word = false;
                }
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            c if c.is_whitespace() && !quote && brackets == 0 => {
                if in_word {
                    words.push(take_word(&mut word, &mut braced));
                    in_word = false;
                }
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(take_word(&mut word, &mut braced));
    }
    if !words.is_empty() {
        commands.push(words);
    }
    commands
}

fn take_word(word: &mut String, braced: &mut bool) -> Word {
    Word {
        text: std::mem::take(word),
        braced: std::mem::take(braced),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(script: &str) -> Vec<Vec<String>> {
        commands(script)
            .into_iter()
            .map(|c| c.into_iter().map(|w| w.text).collect())
            .collect()
    }

    #[test]
    fn tcl_words() {
        assert_eq!(
            texts("spawn telnet h; expect \"P:\"\nsend {a b}"),
            vec![
                vec!["spawn", "telnet", "h"],
                vec!["expect", "P:"],
                vec!["send", "a b"]
            ]
        );
        assert_eq!(
            texts("# spawn rm\nset x [exec cat f; echo]\nputs a{b}"),
            vec![vec!["set", "x", "[exec cat f; echo]"], vec!["puts", "a{b}"]]
        );
    }

    #[test]
    fn tcl_shells() {
        assert!(is_tcl("tclsh") && is_tcl("tclsh8.6") && is_tcl("wish"));
        assert!(!is_tcl("tclshx") && !is_tcl("expect"));
    }
}
