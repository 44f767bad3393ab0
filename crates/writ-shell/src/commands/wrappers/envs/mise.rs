//! mise (formerly rtx): `mise exec|x [TOOL@VERSION...] -- CMD ARGS` (or
//! `-c TEXT`) runs a command with the project's tools; `mise run|r TASK
//! [ARGS] [::: TASK ...]`, `mise tasks run TASK`, `mise watch TASK` and the
//! shorthand `mise TASK` run a task of the configuration (`[tasks.NAME]`
//! of `mise.toml`, `.mise.toml`, `.config/mise.toml`, ... in the directory
//! and its parents, and the user's `~/.config/mise/config.toml`; or a file
//! task under `mise-tasks/`), its `depends` first, when the file was
//! written earlier. `--dry-run` runs nothing. `mise install|use
//! TOOL@VERSION` installs tools.

use super::super::{Invocation, Nested, Outcome};
use super::{Lookup, install, parent, shell_job, split_double_dash, with_args};
use crate::args::{self, Arg, Spec};
use crate::commands::runners::mise_usage;
use crate::commands::toml::{Document, Value};
use crate::paths;

/// mise's own commands; any other first word names a task.
const COMMANDS: &[&str] = &[
    "activate",
    "alias",
    "backends",
    "bin-paths",
    "cache",
    "completion",
    "config",
    "cfg",
    "deactivate",
    "doctor",
    "dr",
    "en",
    "env",
    "e",
    "exec",
    "x",
    "fmt",
    "generate",
    "gen",
    "help",
    "implode",
    "install",
    "i",
    "install-into",
    "latest",
    "link",
    "ln",
    "list",
    "ls",
    "ls-remote",
    "mcp",
    "outdated",
    "plugins",
    "p",
    "prune",
    "registry",
    "reshim",
    "run",
    "r",
    "search",
    "self-update",
    "set",
    "settings",
    "shell",
    "sh",
    "sync",
    "tasks",
    "t",
    "test-tool",
    "tool",
    "tool-stub",
    "trust",
    "uninstall",
    "unset",
    "unuse",
    "upgrade",
    "up",
    "usage",
    "use",
    "u",
    "version",
    "watch",
    "w",
    "where",
    "which",
];

/// Options that take a value before the subcommand.
const GLOBAL_SPEC: Spec<'static> = Spec {
    short: "CEj",
    long: &["cd", "env", "jobs", "log-level"],
    stop_after: Some(0),
};

/// `mise run`'s options that take a value (the task's own follow its name).
const RUN_SPEC: Spec<'static> = Spec {
    short: "CEjost",
    long: &["cd", "env", "jobs", "output", "shell", "tool", "timeout"],
    stop_after: Some(0),
};

/// Configuration files in a directory, weakest first (a later one's task
/// replaces an earlier one's of the same name).
const CONFIG_FILES: &[&str] = &[
    ".config/mise/config.toml",
    ".config/mise.toml",
    "mise/config.toml",
    ".mise/config.toml",
    ".rtx.toml",
    "mise.toml",
    ".mise.toml",
    "mise.local.toml",
    ".mise.local.toml",
];

/// Directories of file tasks (`mise-tasks/deploy/prod` is `deploy:prod`).
const TASK_DIRS: &[&str] = &[
    "mise-tasks",
    ".mise-tasks",
    "mise/tasks",
    ".mise/tasks",
    ".config/mise/tasks",
];

/// How many jobs one `mise run` runs at most, and how deep `depends` go.
const MAX_JOBS: usize = 64;
const MAX_DEPTH: usize = 16;

/// A mise command line: its working directory and subcommand.
struct Line<'a> {
    /// `-C DIR`, absolute.
    dir: Option<String>,
    verb: &'a str,
    rest: &'a [Arg],
}

impl<'a> Line<'a> {
    fn read(inv: &Invocation<'a>) -> Option<Line<'a>> {
        let args = inv.args;
        let items = args::parse(args, &GLOBAL_SPEC);
        let verb = args::positionals(&items).first().copied()?;
        // The subcommand's place among the words: what follows it is its own.
        let at = args.iter().position(|a| std::ptr::eq(a, verb))?;
        Some(Line {
            dir: args::value(&items, &["-C", "--cd"]).map(|d| inv.path(&d.text)),
            verb: verb.text.as_str(),
            rest: args.get(at + 1..).unwrap_or_default(),
        })
    }
}

/// `exec` and the installs; a task's jobs come from the configuration
/// (`written`), and any other verb is left to the handlers of unknown
/// programs.
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let line = Line::read(inv)?;
    let outcome = match line.verb {
        "exec" | "x" => exec(inv, &line),
        "install" | "i" | "use" | "u" => {
            let items = args::parse(
                line.rest,
                &Spec {
                    short: "epj",
                    long: &["env", "path", "jobs", "rm"],
                    stop_after: None,
                },
            );
            let tools = args::positionals(&items)
                .into_iter()
                .map(|tool| tool.text.clone())
                .collect();
            install("mise", tools, None)
        }
        "run" | "r" | "watch" | "w" | "tasks" | "t" => Outcome::default(),
        _ => return None,
    };
    Some(outcome)
}

/// `mise exec [TOOLS] -- CMD ARGS` or `mise exec [TOOLS] -c TEXT`.
fn exec(inv: &Invocation<'_>, line: &Line<'_>) -> Outcome {
    let (own, command) = split_double_dash(line.rest);
    let items = args::parse(
        own,
        &Spec {
            short: "cjC",
            long: &["command", "jobs", "cd"],
            stop_after: None,
        },
    );
    let dir = args::value(&items, &["-C", "--cd"])
        .map(|d| inv.path(&d.text))
        .or_else(|| line.dir.clone());
    let mut outcome = Outcome::default();
    if let Some(text) = args::value(&items, &["-c", "--command"]) {
        let text = match &dir {
            Some(dir) => format!("cd {}\n{}", super::words::quote(dir), text.text),
            None => text.text.clone(),
        };
        outcome.nested.push(Nested::Script {
            text,
            what: "mise exec -c".to_owned(),
        });
    } else if let Some(argv) = command.filter(|argv| !argv.is_empty()) {
        outcome = super::super::run_argv(argv.to_vec(), dir);
    }
    outcome
}

/// The tasks a command line runs.
struct Request {
    /// Each task's name and arguments.
    tasks: Vec<(String, Vec<Arg>)>,
    /// The directory they are looked up from.
    dir: String,
}

/// What a command line asks to run; `None` when it runs no task
/// (`--dry-run`, another subcommand).
fn requested(inv: &Invocation<'_>, line: &Line<'_>) -> Option<Request> {
    let (words, shorthand) = match (line.verb, line.rest.first().map(|a| a.text.as_str())) {
        ("run" | "r" | "watch" | "w", _) => (line.rest, None),
        ("tasks" | "t", Some("run" | "r")) => (line.rest.get(1..).unwrap_or_default(), None),
        (verb, _) if !COMMANDS.contains(&verb) => (line.rest, Some(verb)),
        _ => return None,
    };
    let items = args::parse(words, &RUN_SPEC);
    if args::has(&items, &["-n", "--dry-run"]) {
        return None;
    }
    let dir = args::value(&items, &["-C", "--cd"])
        .map(|d| inv.path(&d.text))
        .or_else(|| line.dir.clone())
        .unwrap_or_else(|| inv.cwd.to_owned());
    let mut words: Vec<Arg> = args::positionals(&items).into_iter().cloned().collect();
    if let Some(name) = shorthand {
        words.insert(0, Arg::literal(name));
    }
    // `watch -t TASK` names its tasks by option.
    let mut tasks: Vec<(String, Vec<Arg>)> = args::values(&items, &["-t", "--task"])
        .into_iter()
        .filter(|_| matches!(line.verb, "watch" | "w"))
        .map(|task| (task.text.clone(), Vec::new()))
        .collect();
    for group in words.split(|w| w.text == ":::") {
        if let Some((name, rest)) = group.split_first() {
            tasks.push((name.text.clone(), rest.to_vec()));
        }
    }
    if tasks.is_empty() && shorthand.is_none() {
        tasks.push(("default".to_owned(), Vec::new()));
    }
    Some(Request { tasks, dir })
}

/// The tasks `mise run` (or its shorthand) runs, from the configuration
/// files written earlier.
pub(super) fn written(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    let Some(line) = Line::read(inv) else {
        return;
    };
    let Some(request) = requested(inv, &line) else {
        return;
    };
    let config = Config::load(&request.dir, inv.home, text_of);
    let mut jobs = Vec::new();
    for (name, task_args) in &request.tasks {
        config.jobs(name, task_args, &mut Vec::new(), &mut jobs);
    }
    outcome.nested.extend(jobs.into_iter().take(MAX_JOBS));
}

/// One step of a task's `run`.
#[derive(Debug, Clone)]
enum Step {
    /// Shell text.
    Shell(String),
    /// Another task (`{ task = "build" }`).
    Task(String),
}

/// A task as the configuration defines it.
#[derive(Debug, Clone, Default)]
struct Task {
    run: Vec<Step>,
    /// A script file it runs (`file = "..."`, or a file task).
    file: Option<String>,
    depends: Vec<String>,
    depends_post: Vec<String>,
    /// The directory it runs in.
    dir: String,
    aliases: Vec<String>,
    /// Its `usage` spec, which declares its arguments.
    usage: Option<String>,
}

/// The tasks of the configuration files that were written earlier.
struct Config<'a> {
    tasks: Vec<(String, Task)>,
    /// Directories from the working directory up, for file tasks.
    dirs: Vec<String>,
    text_of: &'a Lookup<'a>,
}

impl<'a> Config<'a> {
    fn load(cwd: &str, home: &str, text_of: &'a Lookup<'a>) -> Config<'a> {
        let mut dirs = vec![cwd.to_owned()];
        while let Some(last) = dirs.last().filter(|d| d.as_str() != "/") {
            let up = parent(last);
            dirs.push(up);
        }
        let mut config = Config {
            tasks: Vec::new(),
            dirs,
            text_of,
        };
        let global = paths::resolve(home, home, ".config/mise/config.toml");
        if let Some(text) = text_of(&global) {
            config.add(&Document::parse(&text), cwd);
        }
        for dir in config.dirs.clone().iter().rev() {
            for name in CONFIG_FILES {
                if let Some(text) = text_of(&paths::resolve(dir, "/", name)) {
                    config.add(&Document::parse(&text), dir);
                }
            }
        }
        config
    }

    /// Adds the tasks of `doc`, whose paths are relative to `root`.
    fn add(&mut self, doc: &Document, root: &str) {
        for name in doc.keys_below(&["tasks"]) {
            let Some(value) = doc.section(&["tasks", &name]) else {
                continue;
            };
            let task = task(&value, root);
            self.tasks.retain(|(n, _)| *n != name);
            self.tasks.push((name, task));
        }
    }

    /// The task called `name` (or aliased so), else a file task.
    fn task(&self, name: &str) -> Option<Task> {
        let defined = self
            .tasks
            .iter()
            .rev()
            .find(|(n, task)| n == name || task.aliases.iter().any(|a| a == name))
            .map(|(_, task)| task.clone());
        defined.or_else(|| self.file_task(name))
    }

    /// A file task written earlier: `mise-tasks/a/b` for `a:b`.
    fn file_task(&self, name: &str) -> Option<Task> {
        let relative = name.replace(':', "/");
        self.dirs.iter().find_map(|dir| {
            TASK_DIRS.iter().find_map(|tasks| {
                let path = paths::resolve(dir, "/", &format!("{tasks}/{relative}"));
                (self.text_of)(&path).map(|_| Task {
                    file: Some(path),
                    dir: dir.clone(),
                    ..Task::default()
                })
            })
        })
    }

    /// Adds the jobs of task `name` run with `task_args`: its `depends`,
    /// its steps (the arguments go to the last), its `depends_post`.
    fn jobs(&self, name: &str, task_args: &[Arg], seen: &mut Vec<String>, out: &mut Vec<Nested>) {
        if seen.len() >= MAX_DEPTH || out.len() >= MAX_JOBS || seen.iter().any(|s| s == name) {
            return;
        }
        let Some(task) = self.task(name) else {
            return;
        };
        seen.push(name.to_owned());
        for dependency in &task.depends {
            self.dependency(dependency, seen, out);
        }
        // Arguments the task declares take the line's words as values
        // (`runners/mise_usage.rs`); else the words go to its last step.
        let texts: Vec<&str> = task
            .run
            .iter()
            .filter_map(|step| match step {
                Step::Shell(text) => Some(text.as_str()),
                Step::Task(_) => None,
            })
            .collect();
        let usage = mise_usage::usage(task.usage.as_deref(), &texts);
        let bound = (!usage.is_empty()).then(|| usage.bind(task_args));
        let last = task.run.len().saturating_sub(1);
        for (at, step) in task.run.iter().enumerate() {
            match (step, &bound) {
                (Step::Shell(text), Some(bound)) => out.push(Nested::Argv {
                    argv: ["sh", "-c", &bound.render(text)].map(Arg::literal).to_vec(),
                    env: bound.env(),
                    cwd: Some(task.dir.clone()),
                }),
                (Step::Shell(text), None) if at == last => {
                    out.push(shell_job(&with_args(text, task_args), &task.dir));
                }
                (Step::Shell(text), None) => out.push(shell_job(text, &task.dir)),
                (Step::Task(other), _) => self.jobs(other, &[], seen, out),
            }
        }
        if let Some(file) = &task.file {
            let mut argv = vec![Arg::literal(file)];
            argv.extend(task_args.iter().cloned());
            out.push(Nested::Argv {
                argv,
                env: Vec::new(),
                cwd: Some(task.dir.clone()),
            });
        }
        for dependency in &task.depends_post {
            self.dependency(dependency, seen, out);
        }
    }

    /// A `depends` entry: a task's name, then its arguments.
    fn dependency(&self, entry: &str, seen: &mut Vec<String>, out: &mut Vec<Nested>) {
        let mut words = entry.split_whitespace();
        if let Some(name) = words.next() {
            let dependency_args: Vec<Arg> = words.map(Arg::literal).collect();
            self.jobs(name, &dependency_args, seen, out);
        }
    }
}

/// A task from its value: a string or array of strings (the shorthand
/// `name = "cmd"`), or a table.
fn task(value: &Value, root: &str) -> Task {
    let mut task = Task {
        dir: root.to_owned(),
        ..Task::default()
    };
    if let Value::Str(_) | Value::Array(_) = value {
        task.run = value.strings().into_iter().map(Step::Shell).collect();
        return task;
    }
    if let Some(run) = value.get(&["run"]) {
        task.run = steps(run);
    }
    let strings = |key: &str| value.get(&[key]).map(Value::strings).unwrap_or_default();
    task.depends = strings("depends");
    task.depends_post = strings("depends_post");
    task.aliases = strings("alias");
    task.usage = strings("usage").into_iter().next();
    if let Some(file) = strings("file").first() {
        task.file = Some(paths::resolve(root, "/", &expand(file, root)));
    }
    if let Some(dir) = strings("dir").first() {
        task.dir = paths::resolve(root, "/", &expand(dir, root));
    }
    task
}

/// The steps of `run`: shell text, or another task (`{ task = "x" }`,
/// `{ tasks = ["x", "y"] }`).
fn steps(run: &Value) -> Vec<Step> {
    let items = match run {
        Value::Array(items) => items.as_slice(),
        single => std::slice::from_ref(single),
    };
    items
        .iter()
        .flat_map(|item| match item {
            Value::Str(text) => vec![Step::Shell(text.clone())],
            Value::Table(_) => item
                .get(&["task"])
                .or_else(|| item.get(&["tasks"]))
                .map(Value::strings)
                .unwrap_or_default()
                .into_iter()
                .map(Step::Task)
                .collect(),
            Value::Array(_) | Value::Other(_) => Vec::new(),
        })
        .collect()
}

/// `{{config_root}}` in a task's path is the directory of its file.
fn expand(text: &str, root: &str) -> String {
    text.replace("{{config_root}}", root)
        .replace("{{ config_root }}", root)
}
