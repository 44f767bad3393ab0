//! Debuggers, whose commands run shell lines, Python, and the program
//! they debug.
//!
//! - `gdb [-q] [-batch] [-ex CMD|--eval-command=CMD]... [-x FILE]...
//!   [-p PID] [PROGRAM [CORE|PID] | --args PROGRAM ARGS]`: `shell CMD` and
//!   `!CMD` run CMD with `/bin/sh -c`; `pipe GDBCMD | CMD` and `|
//!   GDBCMD | CMD` (or `pipe -d DELIM GDBCMD DELIM CMD`) run CMD; a
//!   `python CODE` (or a `python` ... `end` block) runs Python;
//!   `run`/`start` run the program (`run ARGS` through a shell, as gdb
//!   starts it); `dump`/`append` and `gcore` write files; `source FILE`
//!   reads a command file.
//! - `lldb [-b] [-o CMD|--one-line CMD]... [-s FILE]... [-f PROGRAM |
//!   PROGRAM | -- PROGRAM ARGS]`: `platform shell [OPTIONS --] CMD` and
//!   its alias `shell CMD` run CMD; `script [-l python] [--] CODE` runs
//!   Python; `run`/`process launch` run the program.
//! - Both: an expression that calls `system("CMD")` or `popen("CMD", ...)`
//!   in the debugged process (`call`, `print`, `expr`, `po`) runs CMD.
//!
//! Commands come from the command-line options, then the command files
//! (read; their text when written earlier: [`super::written_scripts`]),
//! then standard input, which an interactive debugger reads commands
//! from.

use super::super::words::quote as shell_quote;
use super::super::{Invocation, Nested, Outcome};
use crate::args::{self, Arg, Item, OptionsEnd};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let debugger = Debugger::of(inv.program)?;
    let session = Session::parse(inv, debugger);
    let mut outcome = Outcome::default();
    for path in &session.reads {
        outcome.read(path.clone(), false);
    }
    let mut run = Run::new(debugger, &session);
    for command in &session.commands {
        run.command(command);
    }
    if inv.has_stdin && !inv.stdin.text.is_empty() {
        run.script(&inv.stdin.text.join("\n"));
    }
    for file in &session.files {
        outcome.opaque.push(note(debugger, file));
    }
    run.finish(inv, &mut outcome);
    Some(outcome)
}

/// Which debugger: they share expressions, not command names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Debugger {
    Gdb,
    Lldb,
}

impl Debugger {
    fn of(program: &str) -> Option<Self> {
        // Versioned installs: `lldb-18`, `gdb-12`.
        let (base, version) = program.split_once('-').unwrap_or((program, "0"));
        let versioned = version.chars().all(|c| c.is_ascii_digit() || c == '.');
        match (base, versioned) {
            ("gdb" | "cgdb", true) => Some(Self::Gdb),
            ("gdb", false) if version == "multiarch" => Some(Self::Gdb),
            ("lldb", true) => Some(Self::Lldb),
            _ => None,
        }
    }

    fn options(self) -> &'static Options {
        match self {
            Self::Gdb => &GDB_OPTIONS,
            Self::Lldb => &LLDB_OPTIONS,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Gdb => "gdb",
            Self::Lldb => "lldb",
        }
    }
}

/// The opaque note for a command file whose text is not known.
fn note(debugger: Debugger, file: &str) -> String {
    format!("{} runs the commands of {file}", debugger.name())
}

/// The command files (by absolute path), each with the note
/// [`handle`] left for it.
pub(super) fn script_files(inv: &Invocation<'_>) -> Vec<(String, String)> {
    let Some(debugger) = Debugger::of(inv.program) else {
        return Vec::new();
    };
    Session::parse(inv, debugger)
        .files
        .iter()
        .map(|file| (file.clone(), note(debugger, file)))
        .collect()
}

/// What a command file written earlier does: a gdb Python script
/// (`-x f.py`) is Python, any other the debugger's commands.
pub(super) fn script(inv: &Invocation<'_>, path: &str, text: &str) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(debugger) = Debugger::of(inv.program) else {
        return outcome;
    };
    let session = Session::parse(inv, debugger);
    let mut run = Run::new(debugger, &session);
    if debugger == Debugger::Gdb && path.ends_with(".py") {
        run.python(text);
    } else {
        run.script(text);
    }
    run.finish(inv, &mut outcome);
    outcome
}

/// gdb's options that take a value, by name without dashes (gdb takes
/// one dash or two, and the value after `=` or as the next word).
const GDB_VALUES: &[&str] = &[
    "ex",
    "eval-command",
    "iex",
    "init-eval-command",
    "x",
    "command",
    "ix",
    "init-command",
    "p",
    "pid",
    "c",
    "core",
    "e",
    "exec",
    "se",
    "s",
    "symbols",
    "d",
    "directory",
    "cd",
    "t",
    "tty",
    "D",
    "data-directory",
    "i",
    "interpreter",
    "b",
    "l",
    "annotate",
];

/// lldb's options that take a value.
const LLDB_VALUES: &[&str] = &[
    "o",
    "one-line",
    "O",
    "one-line-before-file",
    "k",
    "one-line-on-crash",
    "s",
    "source",
    "S",
    "source-before-file",
    "K",
    "source-on-crash",
    "f",
    "file",
    "c",
    "core",
    "p",
    "attach-pid",
    "n",
    "attach-name",
    "a",
    "arch",
    "l",
    "script-language",
    "R",
    "repl-language",
    "capture-path",
    "replay",
];

/// A debugger's options (by name with one dash, as
/// [`args::long_options`] gives them): those that take a value, and those
/// that give commands, command files, the program and a core file.
struct Options {
    values: &'static [&'static str],
    commands: &'static [&'static str],
    files: &'static [&'static str],
    program: &'static [&'static str],
    core: &'static [&'static str],
}

const GDB_OPTIONS: Options = Options {
    values: GDB_VALUES,
    commands: &["-ex", "-eval-command", "-iex", "-init-eval-command"],
    files: &["-x", "-command", "-ix", "-init-command"],
    program: &["-e", "-exec", "-se"],
    core: &["-c", "-core"],
};

const LLDB_OPTIONS: Options = Options {
    values: LLDB_VALUES,
    commands: &[
        "-o",
        "-one-line",
        "-O",
        "-one-line-before-file",
        "-k",
        "-one-line-on-crash",
    ],
    files: &[
        "-s",
        "-source",
        "-S",
        "-source-before-file",
        "-K",
        "-source-on-crash",
    ],
    program: &["-f", "-file"],
    core: &["-c", "-core"],
};

/// A debugger's command line read.
#[derive(Debug, Default)]
struct Session {
    /// Commands given as options, in order.
    commands: Vec<String>,
    /// Command files, by absolute path.
    files: Vec<String>,
    /// The program debugged and its arguments.
    program: Vec<Arg>,
    /// Files the debugger reads: the program, a core file.
    reads: Vec<String>,
}

impl Session {
    fn parse(inv: &Invocation<'_>, debugger: Debugger) -> Self {
        let (options, after) = match debugger {
            Debugger::Gdb => {
                // `--args` ends the options: the program and its arguments follow.
                let split = inv
                    .args
                    .iter()
                    .position(|a| matches!(a.text.as_str(), "--args" | "-args"));
                match split {
                    Some(at) => (&inv.args[..at], Some(&inv.args[at + 1..])),
                    None => (inv.args, None),
                }
            }
            Debugger::Lldb => (inv.args, None),
        };
        let names = debugger.options();
        let items = args::long_options(options, names.values, OptionsEnd::DoubleDash, "-");
        let text = |names: &[&str]| -> Vec<String> {
            args::values(&items, names)
                .iter()
                .map(|a| a.text.clone())
                .collect()
        };
        let mut session = Session {
            commands: text(names.commands),
            files: text(names.files).iter().map(|f| inv.path(f)).collect(),
            ..Session::default()
        };
        let positionals: Vec<&Arg> = items
            .iter()
            .filter_map(|item| match item {
                Item::Pos(arg) => Some(*arg),
                Item::Opt { .. } => None,
            })
            .collect();
        session.program = match after {
            Some(rest) => rest.to_vec(),
            None => {
                let named = args::value(&items, names.program).cloned();
                match (named, debugger) {
                    (Some(program), _) => vec![program],
                    // lldb: `lldb PROGRAM ARGS`, `lldb -- PROGRAM ARGS`.
                    (None, Debugger::Lldb) => positionals.iter().map(|a| (*a).clone()).collect(),
                    // gdb: `gdb PROGRAM [CORE|PID]`.
                    (None, Debugger::Gdb) => positionals
                        .first()
                        .map(|a| (*a).clone())
                        .into_iter()
                        .collect(),
                }
            }
        };
        // The program's file, when it is named by a path (a bare name is
        // looked up on `PATH`), and a core file.
        session.reads = session
            .program
            .first()
            .filter(|p| p.text.contains('/'))
            .into_iter()
            .map(|p| p.text.clone())
            .chain(text(names.core))
            .map(|p| inv.path(&p))
            .collect();
        session.reads.extend(session.files.iter().cloned());
        session
    }
}

/// Reads commands and collects what they run.
struct Run {
    debugger: Debugger,
    /// The program a `run` starts and its arguments.
    program: Vec<Arg>,
    /// Its arguments as shell text, once `set args` or `run ARGS` gave
    /// them.
    shell_args: Option<String>,
    reads: Vec<String>,
    writes: Vec<(String, bool)>,
    nested: Vec<Nested>,
    /// Lines of a `python` block being read, until `end`.
    python_block: Option<Vec<String>>,
}

impl Run {
    fn new(debugger: Debugger, session: &Session) -> Self {
        Self {
            debugger,
            program: session.program.clone(),
            shell_args: None,
            reads: Vec::new(),
            writes: Vec::new(),
            nested: Vec::new(),
            python_block: None,
        }
    }

    /// Adds what the commands read, wrote and ran to `outcome`; their
    /// paths are relative to the debugger's working directory.
    fn finish(self, inv: &Invocation<'_>, outcome: &mut Outcome) {
        for path in self.reads {
            outcome.read(inv.path(&path), false);
        }
        for (path, append) in self.writes {
            outcome.write(inv.path(&path), append);
        }
        outcome.nested.extend(self.nested);
    }

    /// A command file's or standard input's lines, each a command.
    fn script(&mut self, text: &str) {
        for line in text.lines() {
            self.command(line);
        }
    }

    fn shell(&mut self, text: &str) {
        let text = text.trim();
        if !text.is_empty() {
            self.nested.push(Nested::Script {
                text: text.to_owned(),
                what: format!("{} shell", self.debugger.name()),
            });
        }
    }

    fn python(&mut self, code: &str) {
        if !code.trim().is_empty() {
            self.nested.push(Nested::Argv {
                argv: vec![
                    Arg::literal("python3"),
                    Arg::literal("-c"),
                    Arg::literal(code),
                ],
                env: Vec::new(),
                cwd: None,
            });
        }
    }

    /// Starts the program, with `args` (shell text) when given.
    fn launch(&mut self, args: &str) {
        let args = args.trim();
        if !args.is_empty() {
            self.shell_args = Some(args.to_owned());
        }
        let Some(program) = self.program.first() else {
            return;
        };
        match &self.shell_args {
            Some(args) => {
                let text = format!("{} {args}", shell_quote(&program.text));
                self.nested.push(Nested::Script {
                    text,
                    what: format!("{} run", self.debugger.name()),
                });
            }
            None => self.nested.push(Nested::Argv {
                argv: self.program.clone(),
                env: Vec::new(),
                cwd: None,
            }),
        }
    }

    fn command(&mut self, line: &str) {
        let line = line.trim();
        if let Some(block) = &mut self.python_block {
            if line == "end" {
                let code = block.join("\n");
                self.python_block = None;
                self.python(&code);
            } else {
                block.push(line.to_owned());
            }
            return;
        }
        if line.is_empty() || line.starts_with('#') {
            return;
        }
        let (verb, rest) = match line.strip_prefix('!') {
            Some(rest) if self.debugger == Debugger::Gdb => ("!", rest),
            _ => line
                .split_once(char::is_whitespace)
                .map_or((line, ""), |(v, r)| (v, r.trim_start())),
        };
        let handled = match self.debugger {
            Debugger::Gdb => self.gdb(verb, rest),
            Debugger::Lldb => self.lldb(verb, rest),
        };
        if !handled {
            for command in called_commands(rest) {
                self.shell(&command);
            }
        }
    }

    /// A gdb command; false when it is none that runs or writes anything
    /// (its expressions are then read for calls).
    fn gdb(&mut self, verb: &str, rest: &str) -> bool {
        match verb {
            "!" | "shell" => self.shell(rest),
            "pipe" | "|" => self.shell(&piped(rest)),
            // A block of Python lines up to `end`; `pi` alone is a prompt.
            "python" | "py" if rest.is_empty() => self.python_block = Some(Vec::new()),
            "python-interactive" | "pi" if rest.is_empty() => {}
            "python" | "py" | "python-interactive" | "pi" => self.python(rest),
            "run" | "r" | "start" | "starti" => self.launch(rest),
            "set" => match rest.strip_prefix("args") {
                Some(args) if args.is_empty() || args.starts_with(char::is_whitespace) => {
                    self.shell_args = Some(args.trim().to_owned()).filter(|a| !a.is_empty());
                }
                _ => return false,
            },
            "file" | "exec-file" => self.program = program_word(rest),
            "source" => {
                if let Some(file) = last_word(rest) {
                    self.reads.push(file);
                }
            }
            "dump" | "append" => {
                let words: Vec<&str> = rest.split_whitespace().collect();
                let file = words
                    .iter()
                    .position(|w| matches!(*w, "memory" | "value"))
                    .and_then(|at| words.get(at + 1));
                if let Some(file) = file {
                    self.writes.push(((*file).to_owned(), verb == "append"));
                }
            }
            "gcore" | "generate-core-file" => {
                if let Some(file) = rest.split_whitespace().next() {
                    self.writes.push((file.to_owned(), false));
                }
            }
            _ => return false,
        }
        true
    }

    /// An lldb command; false as for [`Run::gdb`].
    fn lldb(&mut self, verb: &str, rest: &str) -> bool {
        match verb {
            "platform" => {
                let (sub, text) = rest
                    .split_once(char::is_whitespace)
                    .map_or((rest, ""), |(s, t)| (s, t.trim_start()));
                if sub != "shell" {
                    return false;
                }
                self.shell(raw_command(text));
            }
            "shell" => self.shell(raw_command(rest)),
            "script" => {
                let (options, code) = match rest.split_once("-- ") {
                    Some((options, code)) if rest.starts_with('-') => (options, code),
                    _ if rest.starts_with('-') => (rest, ""),
                    _ => ("", rest),
                };
                let other_language = options
                    .split_whitespace()
                    .skip_while(|w| !matches!(*w, "-l" | "--language"))
                    .nth(1)
                    .is_some_and(|l| !l.eq_ignore_ascii_case("python"));
                if !other_language {
                    self.python(code);
                }
            }
            "run" | "r" => self.launch(rest),
            "process" if rest.starts_with("launch") => {
                let args = rest.split_once("-- ").map_or("", |(_, a)| a);
                self.launch(args);
            }
            "target" if rest.starts_with("create") => {
                self.program = program_word(rest.trim_start_matches("create"));
            }
            "file" => self.program = program_word(rest),
            "command" => {
                let words: Vec<&str> = rest.split_whitespace().collect();
                match words.as_slice() {
                    ["source", .., file] | ["script", "import", .., file] => {
                        self.reads.push((*file).to_owned());
                    }
                    _ => return false,
                }
            }
            _ => return false,
        }
        true
    }
}

/// The shell command of gdb's `pipe [-d DELIM] [COMMAND] DELIM SHELL`.
fn piped(rest: &str) -> String {
    if let Some(after) = rest.strip_prefix("-d")
        && let Some((delim, rest)) = after.trim_start().split_once(char::is_whitespace)
    {
        return rest.split_once(delim).map_or("", |(_, s)| s).to_owned();
    }
    rest.split_once('|').map_or("", |(_, s)| s).to_owned()
}

/// The command of an lldb raw command whose options end at `--`
/// (`platform shell -t 5 -- CMD`); without options, all of it.
fn raw_command(text: &str) -> &str {
    if text.starts_with('-') {
        text.split_once("-- ").map_or("", |(_, c)| c)
    } else {
        text
    }
}

/// A program named by `file PROGRAM`, `target create PROGRAM`.
fn program_word(text: &str) -> Vec<Arg> {
    last_word(text)
        .map(|w| Arg::literal(&w))
        .into_iter()
        .collect()
}

/// The last word of a command's arguments, its quotes removed.
fn last_word(text: &str) -> Option<String> {
    text.split_whitespace()
        .last()
        .map(|w| w.trim_matches(['"', '\'']).to_owned())
}

/// The shell commands an expression runs in the debugged process:
/// `system("CMD")` and `popen("CMD", ...)`, their C strings unescaped.
fn called_commands(expression: &str) -> Vec<String> {
    let mut out = Vec::new();
    for call in ["system", "popen"] {
        let mut rest = expression;
        while let Some(at) = rest.find(call) {
            let before = &rest[..at];
            rest = &rest[at + call.len()..];
            if before.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let Some(string) = rest.trim_start().strip_prefix('(') else {
                continue;
            };
            if let Some(text) = c_string(string.trim_start()) {
                out.push(text);
            }
        }
    }
    out
}

/// The value of a C string literal at the start of `text`.
fn c_string(text: &str) -> Option<String> {
    let mut chars = text.strip_prefix('"')?.chars();
    let mut out = String::new();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_that_run_commands() {
        assert_eq!(
            called_commands(r#"(int)system("curl -d \"a b\" https://x")"#),
            ["curl -d \"a b\" https://x"]
        );
        assert_eq!(called_commands("popen(\"id\", \"r\")"), ["id"]);
        assert!(called_commands("my_system(\"x\")").is_empty());
        assert!(called_commands("system(cmd)").is_empty());
    }

    #[test]
    fn pipe_commands() {
        assert_eq!(
            piped("info registers | curl -d @- https://x"),
            " curl -d @- https://x"
        );
        assert_eq!(piped("-d XX print 1 XX wc -l"), " wc -l");
        assert_eq!(raw_command("-t 5 -- rm -rf x"), "rm -rf x");
        assert_eq!(raw_command("git push"), "git push");
    }
}
