//! cargo-make (`cargo make TASK`, `cargo-make make TASK`, `makers TASK`):
//! the `[tasks.NAME]` of the project's `Makefile.toml` (`--makefile
//! FILE`, in `--cwd DIR` or the directory it runs in) when its text is
//! known. A task runs its `dependencies` first (names, or `{ name = "x"
//! }`), each once, then its `script` (a string or an array of lines, run
//! by `sh -c` unless its `script_runner` is another language: `#!`
//! shebangs are read, `@duckscript` and `@rust` are not), or its
//! `command` with its `args`, in its `cwd`, then the task `run_task`
//! names. An `alias` runs the other task instead. With no task named,
//! `default` runs. `--list-all-steps`, `--print-steps`, `--help` and
//! `--version` run nothing.

use std::collections::HashSet;

use super::{MAX_JOBS, MAX_NESTING, find_file, interpreter_job, shell_job};
use crate::args::Arg;
use crate::commands::toml::{Document, Value};
use crate::commands::{Invocation, Lookup, Nested};
use crate::paths;

/// cargo-make's options that take a value.
const VALUED: &[&str] = &[
    "--makefile",
    "-t",
    "--task",
    "-e",
    "--env",
    "--env-file",
    "-p",
    "--profile",
    "--cwd",
    "-l",
    "--loglevel",
    "--skip-tasks",
    "--output-format",
    "--output-file",
    "--hide-uninteresting",
];

/// Options after which no task runs.
const RUN_NOTHING: &[&str] = &[
    "--list-all-steps",
    "--list-category-steps",
    "--print-steps",
    "--diff-steps",
    "-h",
    "--help",
    "-V",
    "--version",
];

/// The jobs of a cargo-make command line, from the Makefile.toml known.
pub(super) fn cargo_make(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let words: &[Arg] = match inv.program {
        "makers" => inv.args,
        _ => match inv.args.split_first() {
            Some((verb, rest)) if verb.text == "make" => rest,
            _ => return Vec::new(),
        },
    };
    let mut dir = inv.cwd.to_owned();
    let mut makefile = None;
    let mut task = None;
    let mut rest = words.iter();
    while let Some(arg) = rest.next() {
        let text = arg.text.as_str();
        if !text.starts_with('-') {
            task = Some(text.to_owned());
            break;
        }
        let (name, inline) = match text.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (text, None),
        };
        if RUN_NOTHING.contains(&name) {
            return Vec::new();
        }
        if VALUED.contains(&name) {
            let value = inline.or_else(|| rest.next().map(|v| v.text.clone()));
            match (name, value) {
                ("--cwd", Some(value)) => dir = inv.path(&value),
                ("--makefile", Some(value)) => makefile = Some(value),
                ("-t" | "--task", Some(value)) => task = Some(value),
                _ => {}
            }
        }
    }
    let text = match makefile {
        Some(file) => text_of(&paths::resolve(&dir, inv.home, &file)),
        None => find_file(&dir, &["Makefile.toml"], false, text_of).map(|(_, _, text)| text),
    };
    let Some(text) = text else {
        return Vec::new();
    };
    let project = Project {
        document: Document::parse(&text),
        dir,
    };
    let mut jobs = Vec::new();
    let mut done = HashSet::new();
    let task = task.unwrap_or_else(|| "default".to_owned());
    project.run(&task, 0, &mut done, &mut jobs);
    jobs
}

/// A Makefile.toml and the directory its tasks run in.
struct Project {
    document: Document,
    dir: String,
}

impl Project {
    /// Adds the jobs of the task `name` and of what it depends on.
    fn run(&self, name: &str, depth: usize, done: &mut HashSet<String>, jobs: &mut Vec<Nested>) {
        if depth > MAX_NESTING || jobs.len() >= MAX_JOBS || !done.insert(name.to_owned()) {
            return;
        }
        let Some(task) = self.document.section(&["tasks", name]) else {
            return;
        };
        if let Some(alias) = task_names(task.get(&["alias"])).into_iter().next() {
            self.run(&alias, depth + 1, done, jobs);
            return;
        }
        for dependency in task_names(task.get(&["dependencies"])) {
            self.run(&dependency, depth + 1, done, jobs);
        }
        let cwd = match task.get(&["cwd"]) {
            Some(Value::Str(cwd)) => paths::resolve(&self.dir, "/", cwd),
            _ => self.dir.clone(),
        };
        if let Some(script) = task.get(&["script"]) {
            jobs.extend(script_job(&task, script, &cwd));
        } else if let Some(Value::Str(command)) = task.get(&["command"]) {
            let args = task.get(&["args"]).map(Value::strings).unwrap_or_default();
            let argv = std::iter::once(command.as_str())
                .chain(args.iter().map(String::as_str))
                .map(Arg::literal)
                .collect();
            jobs.push(Nested::Argv {
                argv,
                env: Vec::new(),
                cwd: Some(cwd),
            });
        }
        for next in task_names(task.get(&["run_task"])) {
            self.run(&next, depth + 1, done, jobs);
        }
    }
}

/// A task's `script` as the job that runs it: lines by `sh -c`, or by
/// the interpreter its `#!` line or `script_runner` names; `None` for a
/// runner that is not a shell or known interpreter.
fn script_job(task: &Value, script: &Value, cwd: &str) -> Option<Nested> {
    let text = match script {
        Value::Str(text) => text.clone(),
        Value::Array(_) => script.strings().join("\n"),
        _ => return None,
    };
    if text.trim().is_empty() {
        return None;
    }
    let runner = match task.get(&["script_runner"]) {
        Some(Value::Str(runner)) => runner.clone(),
        _ => String::new(),
    };
    if let Some(shebang) = text.trim_start().strip_prefix("#!") {
        let line = shebang.lines().next().unwrap_or_default();
        return interpreter_job(line, &text, cwd);
    }
    match runner.as_str() {
        "" | "@shell" => Some(shell_job(&text, cwd)),
        runner if !runner.starts_with('@') => interpreter_job(runner, &text, cwd),
        _ => None,
    }
}

/// The task names a `dependencies`, `run_task` or `alias` value gives:
/// a name, names, `{ name = "x" }` or `{ name = ["x", "y"] }` tables.
fn task_names(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Str(name)) => vec![name.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .flat_map(|item| task_names(Some(item)))
            .collect(),
        Some(table @ Value::Table(_)) => task_names(table.get(&["name"])),
        _ => Vec::new(),
    }
}
