//! Python projects' task runners whose tasks are written in files: Poe
//! the Poet (`poe TASK`, `poetry poe TASK`; `[tool.poe.tasks]` of
//! pyproject.toml or the `[tasks]` of poe_tasks.toml), nox (`nox -s
//! SESSION`; the noxfile's `session.run(...)` calls) and tox (`tox -e
//! ENV`; tox.ini's `commands`). Each runs what its file says when the
//! file's text is known; `poetry run poe` and `uv run poe` reach `poe`
//! through the project runners' handler.

use std::collections::HashMap;

use super::{MAX_JOBS, MAX_NESTING, find_file, interpreter_job, parent, shell_job};
use crate::args::{self, Arg, Spec};
use crate::commands::toml::{Document, Value};
use crate::commands::words;
use crate::commands::{Invocation, Lookup, Nested};
use crate::paths;

// -------------------------------------------------------------------- poe

/// Where a project's poe tasks are: the file, and the key its tasks are
/// below.
const POE_FILES: &[(&str, &[&str])] = &[
    ("pyproject.toml", &["tool", "poe", "tasks"]),
    ("poe_tasks.toml", &["tasks"]),
];

/// `poe [OPTIONS] TASK [ARGS]` (and `poetry poe TASK`): the task of the
/// project (`-C`/`--directory`/`--root`, else the nearest directory with
/// a pyproject.toml or poe_tasks.toml): its `deps` first, then its `cmd`
/// (the arguments appended) or `shell` script (by its `interpreter`), a
/// `ref` to another task, or a `sequence` of them (a string item names a
/// task), in the project's directory or the task's `cwd`, with its `env`.
/// `script` and `expr` tasks (Python functions) are not read. A dry run,
/// help or version runs nothing.
pub(super) fn poe(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let words: &[Arg] = match inv.program {
        "poetry" => match inv.args.split_first() {
            Some((verb, rest)) if verb.text == "poe" => rest,
            _ => return Vec::new(),
        },
        _ => inv.args,
    };
    let items = args::parse(
        words,
        &Spec {
            short: "Ce",
            long: &["directory", "root", "executor"],
            stop_after: Some(1),
        },
    );
    let runs_nothing = ["-d", "--dry-run", "-h", "--help", "--version"];
    if args::has(&items, &runs_nothing) {
        return Vec::new();
    }
    let Some((name, extra)) = args::positionals(&items)
        .split_first()
        .map(|(n, e)| (*n, e.to_vec()))
    else {
        return Vec::new();
    };
    let start = args::value(&items, &["-C", "--directory", "--root"])
        .map_or_else(|| inv.cwd.to_owned(), |d| inv.path(&d.text));
    let Some((dir, tasks)) = poe_tasks(&start, text_of) else {
        return Vec::new();
    };
    let project = PoeProject {
        tasks,
        dir,
        home: inv.home,
    };
    let mut jobs = Vec::new();
    project.run(&name.text, &extra, 0, &mut jobs);
    jobs
}

/// The nearest project's tasks (by name) and its directory.
fn poe_tasks(start: &str, text_of: &Lookup<'_>) -> Option<(String, HashMap<String, Value>)> {
    let mut dir = start.to_owned();
    loop {
        for (name, prefix) in POE_FILES {
            let Some(text) = text_of(&paths::resolve(&dir, "/", name)) else {
                continue;
            };
            let document = Document::parse(&text);
            let tasks: HashMap<String, Value> = document
                .keys_below(prefix)
                .into_iter()
                .filter_map(|task| {
                    let mut path = prefix.to_vec();
                    path.push(&task);
                    let value = document.section(&path)?;
                    Some((task, value))
                })
                .collect();
            if !tasks.is_empty() {
                return Some((dir, tasks));
            }
        }
        if dir == "/" || dir.is_empty() {
            return None;
        }
        dir = parent(&dir);
    }
}

struct PoeProject<'a> {
    tasks: HashMap<String, Value>,
    dir: String,
    home: &'a str,
}

impl PoeProject<'_> {
    /// Adds the jobs of the task `name`, given `extra` arguments.
    fn run(&self, name: &str, extra: &[&Arg], depth: usize, jobs: &mut Vec<Nested>) {
        let mut words = name.split_whitespace();
        let Some(task) = words.next().and_then(|task| self.tasks.get(task)) else {
            return;
        };
        // `ref = "other ARGS"`: the other task with those arguments.
        let named: Vec<Arg> = words.map(Arg::literal).collect();
        let extra: Vec<&Arg> = if named.is_empty() {
            extra.to_vec()
        } else {
            named.iter().collect()
        };
        self.task(task, &extra, depth, jobs);
    }

    fn task(&self, task: &Value, extra: &[&Arg], depth: usize, jobs: &mut Vec<Nested>) {
        if depth > MAX_NESTING || jobs.len() >= MAX_JOBS {
            return;
        }
        match task {
            // `name = "cmd ARGS"`: a command.
            Value::Str(cmd) => jobs.push(self.cmd(cmd, extra, &self.dir, Vec::new())),
            // `name = ["a", "b"]`: a sequence of tasks.
            Value::Array(items) => self.sequence(items, "ref", depth, jobs),
            Value::Table(_) => self.table(task, extra, depth, jobs),
            Value::Other(_) => {}
        }
    }

    /// A task given as a table: `cmd`, `shell`, `ref` or `sequence`, after
    /// its `deps`.
    fn table(&self, task: &Value, extra: &[&Arg], depth: usize, jobs: &mut Vec<Nested>) {
        let text = |key: &str| match task.get(&[key]) {
            Some(Value::Str(text)) => Some(text.clone()),
            _ => None,
        };
        for dep in task.get(&["deps"]).map(Value::strings).unwrap_or_default() {
            self.run(&dep, &[], depth + 1, jobs);
        }
        let cwd = text("cwd").map_or_else(
            || self.dir.clone(),
            |cwd| paths::resolve(&self.dir, self.home, &cwd),
        );
        let env: Vec<(String, Arg)> = match task.get(&["env"]) {
            Some(Value::Table(entries)) => entries
                .iter()
                .filter_map(|(key, value)| match (key.as_slice(), value) {
                    ([name], Value::Str(value)) => Some((name.clone(), Arg::literal(value))),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        // Declared arguments are bound from the line's words, and given to
        // the task as variables instead of being appended.
        let declared = poe_args(task);
        let (extra, env) = if declared.is_empty() {
            (extra, env)
        } else {
            let mut bound = bind_poe_args(&declared, extra);
            bound.extend(env);
            (&[][..], bound)
        };
        if let Some(cmd) = text("cmd") {
            let cmd = substitute_vars(&cmd, &env);
            jobs.push(self.cmd(&cmd, extra, &cwd, env));
        } else if let Some(script) = text("shell") {
            let interpreter = task
                .get(&["interpreter"])
                .map(Value::strings)
                .and_then(|names| names.into_iter().next())
                .unwrap_or_else(|| "sh".to_owned());
            let job = match interpreter.as_str() {
                "sh" | "bash" | "zsh" | "posix" => Some(with_env(shell_job(&script, &cwd), env)),
                other => interpreter_job(other, &script, &cwd).map(|job| with_env(job, env)),
            };
            jobs.extend(job);
        } else if let Some(other) = text("ref") {
            self.run(&other, extra, depth + 1, jobs);
        } else if let Some(Value::Array(items)) = task.get(&["sequence"]) {
            let kind = text("default_item_type").unwrap_or_else(|| "ref".to_owned());
            self.sequence(items, &kind, depth, jobs);
        }
    }

    /// A sequence's items in order: a string is a task's name (or a
    /// command, by `default_item_type`), a table a task of its own.
    fn sequence(&self, items: &[Value], kind: &str, depth: usize, jobs: &mut Vec<Nested>) {
        for item in items {
            match item {
                Value::Str(text) if kind == "ref" => self.run(text, &[], depth + 1, jobs),
                Value::Str(text) if kind == "shell" => jobs.push(shell_job(text, &self.dir)),
                Value::Str(text) => jobs.push(self.cmd(text, &[], &self.dir, Vec::new())),
                Value::Table(_) => self.table(item, &[], depth + 1, jobs),
                Value::Array(_) | Value::Other(_) => {}
            }
        }
    }

    /// A `cmd` task: the command with the line's arguments appended.
    fn cmd(&self, cmd: &str, extra: &[&Arg], cwd: &str, env: Vec<(String, Arg)>) -> Nested {
        let mut line = cmd.trim().to_owned();
        for arg in extra {
            line.push(' ');
            line.push_str(&words::quote(&arg.text));
        }
        with_env(shell_job(&line, cwd), env)
    }
}

/// An argument a poe task declares (`args = ["sink"]`, `args = [{ name =
/// "sink", options = ["-s"], default = "..." }]`, or a table of them by
/// name).
#[derive(Debug, Default)]
struct PoeArg {
    name: String,
    /// Its option words (`--sink` unless `options` says otherwise).
    options: Vec<String>,
    default: Option<String>,
    positional: bool,
    boolean: bool,
    multiple: bool,
}

/// A table's entries: each key path below the table, and its value.
type TableEntries = Vec<(Vec<String>, Value)>;

/// The arguments `task` declares, in order.
fn poe_args(task: &Value) -> Vec<PoeArg> {
    let Value::Table(entries) = task else {
        return Vec::new();
    };
    // By name: `args = { sink = {...} }` and `[...tasks.x.args.sink]`.
    let mut named: Vec<(String, TableEntries)> = Vec::new();
    let mut add = |name: &str, key: Vec<String>, value: Value| match named
        .iter_mut()
        .find(|(n, _)| n == name)
    {
        Some((_, fields)) => fields.push((key, value)),
        None => named.push((name.to_owned(), vec![(key, value)])),
    };
    for (key, value) in entries {
        match (key.as_slice(), value) {
            ([args], Value::Array(items)) if args == "args" => {
                return items.iter().filter_map(poe_arg).collect();
            }
            ([args], Value::Table(inner)) if args == "args" => {
                for (inner_key, inner_value) in inner {
                    if let Some((name, rest)) = inner_key.split_first() {
                        add(name, rest.to_vec(), inner_value.clone());
                    }
                }
            }
            ([args, name, rest @ ..], _) if args == "args" => {
                add(name, rest.to_vec(), value.clone());
            }
            _ => {}
        }
    }
    named
        .into_iter()
        .filter_map(|(name, fields)| {
            let mut fields: TableEntries = fields
                .into_iter()
                .flat_map(|(key, value)| match (key.is_empty(), value) {
                    (true, Value::Table(inner)) => inner,
                    (_, value) => vec![(key, value)],
                })
                .collect();
            fields.push((vec!["name".to_owned()], Value::Str(name)));
            poe_arg(&Value::Table(fields))
        })
        .collect()
}

/// One declared argument: a name, or a table describing it.
fn poe_arg(value: &Value) -> Option<PoeArg> {
    let text = |key: &str| match value.get(&[key]) {
        Some(Value::Str(text) | Value::Other(text)) => Some(text.clone()),
        _ => None,
    };
    let flag = |key: &str| matches!(value.get(&[key]), Some(Value::Other(v)) if v == "true");
    let name = match value {
        Value::Str(name) => name.clone(),
        _ => text("name")?,
    };
    let options = value
        .get(&["options"])
        .map(Value::strings)
        .filter(|options| !options.is_empty())
        .unwrap_or_else(|| vec![format!("--{name}")]);
    Some(PoeArg {
        options,
        default: text("default"),
        positional: flag("positional"),
        boolean: text("type").as_deref() == Some("boolean"),
        multiple: flag("multiple"),
        name,
    })
}

/// The values the line's words give the declared arguments (their
/// defaults for those it leaves out), as the task's variables.
fn bind_poe_args(declared: &[PoeArg], words: &[&Arg]) -> Vec<(String, Arg)> {
    let mut values: Vec<(String, String)> = Vec::new();
    let mut set = |name: &str, value: String, multiple: bool| match values
        .iter_mut()
        .find(|(n, _)| n == name)
    {
        Some((_, old)) if multiple => {
            old.push(' ');
            old.push_str(&value);
        }
        Some((_, old)) => *old = value,
        None => values.push((name.to_owned(), value)),
    };
    let mut positional = declared.iter().filter(|a| a.positional).peekable();
    let mut words = words.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        let (option, attached) = match text.split_once('=') {
            Some((option, value)) if option.starts_with('-') => (option, Some(value.to_owned())),
            _ => (text, None),
        };
        if let Some(arg) = declared
            .iter()
            .find(|a| !a.positional && a.options.iter().any(|o| o == option))
        {
            let value = if arg.boolean {
                Some(attached.unwrap_or_else(|| "True".to_owned()))
            } else {
                attached.or_else(|| words.next().map(|w| w.text.clone()))
            };
            if let Some(value) = value {
                set(&arg.name, value, arg.multiple);
            }
            continue;
        }
        if text.starts_with('-') {
            continue;
        }
        let Some(arg) = positional.peek() else {
            continue;
        };
        set(&arg.name, text.to_owned(), arg.multiple);
        if !arg.multiple {
            positional.next();
        }
    }
    for arg in declared {
        if !values.iter().any(|(n, _)| *n == arg.name)
            && let Some(default) = &arg.default
        {
            values.push((arg.name.clone(), default.clone()));
        }
    }
    values
        .into_iter()
        .map(|(name, value)| (name, Arg::literal(&value)))
        .collect()
}

/// `${NAME}` and `$NAME` in a `cmd` task's text, for the variables poe
/// gives it, as their values (poe expands them itself, not a shell).
fn substitute_vars(text: &str, vars: &[(String, Arg)]) -> String {
    let mut out = text.to_owned();
    // Longer names first, so `$sink_url` is not read as `$sink`.
    let mut vars: Vec<&(String, Arg)> = vars.iter().collect();
    vars.sort_by_key(|(name, _)| std::cmp::Reverse(name.len()));
    for (name, value) in vars {
        out = out.replace(&format!("${{{name}}}"), &value.text);
        let bare = format!("${name}");
        let mut replaced = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(at) = rest.find(&bare) {
            let after = rest.get(at + bare.len()..).unwrap_or_default();
            replaced.push_str(rest.get(..at).unwrap_or_default());
            if after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
                replaced.push_str(&bare);
            } else {
                replaced.push_str(&value.text);
            }
            rest = after;
        }
        replaced.push_str(rest);
        out = replaced;
    }
    out
}

/// A job with `env` added to its environment.
fn with_env(mut job: Nested, env: Vec<(String, Arg)>) -> Nested {
    if let Nested::Argv { env: inner, .. } = &mut job {
        inner.extend(env);
    }
    job
}

// -------------------------------------------------------------------- nox

/// nox's options that take one value.
const NOX_VALUED: &[&str] = &[
    "-f",
    "--noxfile",
    "--envdir",
    "-db",
    "--default-venv-backend",
    "-fb",
    "--force-venv-backend",
    "--report",
    "--extra-pythons",
    "--extra-python",
    "-P",
    "--force-python",
    "--force-pythons",
    "-p",
    "--python",
    "--pythons",
];

/// `nox [-f FILE] [-s SESSION...] [-- POSARGS]` (`-e`, `--session`,
/// `--sessions` too): each selected session of the noxfile (`noxfile.py`
/// in the directory, or `-f`'s) runs its `session.run(...)`,
/// `session.run_always(...)` and `session.install(...)` calls of string
/// literals (module-level string constants, and `*session.posargs` as the
/// words after `--`), in the noxfile's directory or where
/// `session.chdir(...)` went. No `-s` runs `nox.options.sessions`, else
/// every session; `SESSION` selects a session by name, or one of its
/// parametrised runs (`tests-3.12`). Listing, help, keyword and tag
/// selections run nothing.
pub(super) fn nox(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let (own, posargs) = args::split_double_dash(inv.args);
    let mut selected: Vec<String> = Vec::new();
    let mut noxfile = "noxfile.py".to_owned();
    let mut words = own.iter().peekable();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        let (name, attached) = match text.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value)),
            _ => (text, None),
        };
        match name {
            "-l" | "--list" | "--list-sessions" | "-h" | "--help" | "--version" | "-k"
            | "--keywords" | "-t" | "--tags" | "--json" => return Vec::new(),
            "-s" | "-e" | "--session" | "--sessions" => {
                selected.extend(attached.map(str::to_owned));
                while let Some(next) = words.next_if(|w| !w.text.starts_with('-')) {
                    selected.extend(next.text.split(',').map(str::to_owned));
                }
            }
            "-f" | "--noxfile" => {
                if let Some(file) = attached
                    .map(str::to_owned)
                    .or_else(|| words.next().map(|w| w.text.clone()))
                {
                    noxfile = file;
                }
            }
            _ if NOX_VALUED.contains(&name) && attached.is_none() => {
                words.next();
            }
            _ => {}
        }
    }
    let path = inv.path(&noxfile);
    let Some(text) = text_of(&path) else {
        return Vec::new();
    };
    let dir = parent(&path);
    let module = PythonModule::parse(&text);
    if selected.is_empty() {
        selected = module.default_sessions.clone();
    }
    let posargs: Vec<String> = posargs.iter().map(|a| a.text.clone()).collect();
    let mut jobs = Vec::new();
    for session in &module.sessions {
        let chosen = selected.is_empty()
            || selected.iter().any(|s| {
                s == &session.name
                    || s.strip_prefix(session.name.as_str())
                        .is_some_and(|rest| rest.starts_with(['-', '(']))
            });
        if chosen {
            session_jobs(session, &module, &posargs, &dir, inv.home, &mut jobs);
        }
        if jobs.len() >= MAX_JOBS {
            break;
        }
    }
    jobs
}

/// A noxfile's sessions and its module-level string constants.
#[derive(Debug, Default)]
struct PythonModule {
    constants: HashMap<String, String>,
    /// `nox.options.sessions = [...]`.
    default_sessions: Vec<String>,
    sessions: Vec<NoxSession>,
}

#[derive(Debug)]
struct NoxSession {
    name: String,
    /// The name its function gives the session object.
    param: String,
    body: String,
}

impl PythonModule {
    fn parse(text: &str) -> PythonModule {
        let mut module = PythonModule::default();
        let lines: Vec<&str> = text.lines().collect();
        let mut at = 0;
        // The name the decorator before a `def` gives its session.
        let mut decorated: Option<Option<String>> = None;
        while let Some(line) = lines.get(at) {
            at += 1;
            if line.starts_with([' ', '\t']) || line.trim().is_empty() {
                continue;
            }
            let trimmed = line.trim();
            if let Some(decorator) = trimmed.strip_prefix('@') {
                // A decorator's arguments may go on over several lines.
                let mut text = decorator.to_owned();
                while text.matches('(').count() > text.matches(')').count() {
                    let Some(next) = lines.get(at) else { break };
                    text.push_str(next.trim());
                    at += 1;
                }
                if text.starts_with("nox.session") || text.starts_with("session") {
                    decorated = Some(keyword_string(&text, "name"));
                }
                continue;
            }
            if let Some(def) = trimmed.strip_prefix("def ") {
                let Some(named) = decorated.take() else {
                    continue;
                };
                let (function, params) = def.split_once('(').unwrap_or((def, ""));
                let param = params
                    .split([',', ')', ':'])
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_owned();
                let mut body = Vec::new();
                while let Some(next) = lines.get(at) {
                    if !next.trim().is_empty() && !next.starts_with([' ', '\t']) {
                        break;
                    }
                    body.push(*next);
                    at += 1;
                }
                module.sessions.push(NoxSession {
                    name: named.unwrap_or_else(|| function.trim().to_owned()),
                    param: if param.is_empty() {
                        "session".to_owned()
                    } else {
                        param
                    },
                    body: body.join("\n"),
                });
                continue;
            }
            decorated = None;
            let Some((target, value)) = trimmed.split_once('=') else {
                continue;
            };
            let target = target.trim().split(':').next().unwrap_or_default().trim();
            let value = value.trim();
            if target == "nox.options.sessions" {
                module.default_sessions =
                    call_arguments(value.trim_start_matches('[').trim_end_matches(']'))
                        .iter()
                        .filter_map(|a| string_literal(a))
                        .collect();
            } else if super::is_name(target)
                && let Some(text) = string_literal(value)
            {
                module.constants.insert(target.to_owned(), text);
            }
        }
        module
    }
}

/// The jobs of a session's calls, in order.
fn session_jobs(
    session: &NoxSession,
    module: &PythonModule,
    posargs: &[String],
    dir: &str,
    home: &str,
    jobs: &mut Vec<Nested>,
) {
    let mut cwd = dir.to_owned();
    let prefix = format!("{}.", session.param);
    let body = session.body.as_str();
    let mut rest = body;
    while let Some(at) = rest.find(&prefix) {
        let before = rest.get(..at).and_then(|b| b.chars().last());
        let after = rest.get(at + prefix.len()..).unwrap_or_default();
        // `subsession.run(` is another object's.
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            rest = after;
            continue;
        }
        let method: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let Some(open) = after.get(method.len()..).filter(|r| r.starts_with('(')) else {
            rest = after;
            continue;
        };
        let inside = balanced(open.get(1..).unwrap_or_default());
        rest = open.get(1 + inside.len()..).unwrap_or_default();
        let words = argument_words(inside, module, &session.param, posargs);
        match method.as_str() {
            "run" | "run_always" | "run_install" if !words.is_empty() => {
                jobs.push(Nested::Argv {
                    argv: words.iter().map(|w| Arg::literal(w)).collect(),
                    env: Vec::new(),
                    cwd: Some(cwd.clone()),
                });
            }
            "install" if !words.is_empty() => {
                let argv = ["python", "-m", "pip", "install"]
                    .iter()
                    .map(|w| (*w).to_owned())
                    .chain(words)
                    .map(|w| Arg::literal(&w))
                    .collect();
                jobs.push(Nested::Argv {
                    argv,
                    env: Vec::new(),
                    cwd: Some(cwd.clone()),
                });
            }
            "chdir" | "cd" => {
                if let Some(to) = words.first() {
                    cwd = paths::resolve(&cwd, home, to);
                }
            }
            _ => {}
        }
    }
}

/// A call's positional arguments as words: string literals, constants,
/// and the session's posargs spread in; keyword arguments and other
/// expressions are left out.
fn argument_words(
    inside: &str,
    module: &PythonModule,
    param: &str,
    posargs: &[String],
) -> Vec<String> {
    let spread = format!("*{param}.posargs");
    let mut words = Vec::new();
    for argument in call_arguments(inside) {
        let argument = argument.trim();
        if argument == spread {
            words.extend(posargs.iter().cloned());
        } else if let Some(text) = string_literal(argument) {
            words.push(text);
        } else if let Some(text) = module.constants.get(argument) {
            words.push(text.clone());
        }
    }
    words
}

/// The text up to the `)` that closes a call, strings, comments and
/// nested brackets skipped.
pub(super) fn balanced(text: &str) -> &str {
    let mut level = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut comment = false;
    for (at, c) in text.char_indices() {
        if comment {
            comment = c != '\n';
            continue;
        }
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '#' => comment = true,
                '\'' | '"' => quote = Some(c),
                '(' | '[' | '{' => level += 1,
                ')' | ']' | '}' if level == 0 => return text.get(..at).unwrap_or(text),
                ')' | ']' | '}' => level -= 1,
                _ => {}
            },
        }
    }
    text
}

/// A call's arguments, split at the commas outside strings and brackets,
/// comments dropped.
pub(super) fn call_arguments(text: &str) -> Vec<String> {
    let mut arguments = Vec::new();
    let mut current = String::new();
    let mut level = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut comment = false;
    for c in text.chars() {
        if comment {
            comment = c != '\n';
            continue;
        }
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '#' => {
                    comment = true;
                    continue;
                }
                '\'' | '"' => quote = Some(c),
                '(' | '[' | '{' => level += 1,
                ')' | ']' | '}' => level = level.saturating_sub(1),
                ',' if level == 0 => {
                    arguments.push(std::mem::take(&mut current));
                    continue;
                }
                _ => {}
            },
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        arguments.push(current);
    }
    arguments
        .into_iter()
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty())
        .collect()
}

/// The text of a Python string literal (`"x"`, `'x'`, `r"x"`), adjacent
/// literals joined; `None` for anything else (an f-string, a name).
pub(super) fn string_literal(text: &str) -> Option<String> {
    let text = text.trim();
    let raw = text.starts_with(['r', 'R']);
    let body = if raw { text.get(1..)? } else { text };
    let quote = body.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let mut out = String::new();
    let mut chars = body.get(1..)?.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if !raw => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                other => out.push(other),
            },
            c if c == quote => {
                let rest: String = chars.collect();
                let rest = rest.trim();
                return if rest.is_empty() || rest.starts_with('#') {
                    Some(out)
                } else {
                    string_literal(rest).map(|more| out + &more)
                };
            }
            c => out.push(c),
        }
    }
    None
}

/// The string value of `NAME=...` among a call's keyword arguments.
fn keyword_string(call: &str, name: &str) -> Option<String> {
    let inside = call.split_once('(')?.1;
    call_arguments(balanced(inside))
        .iter()
        .find_map(|argument| {
            let (key, value) = argument.split_once('=')?;
            (key.trim() == name)
                .then(|| string_literal(value))
                .flatten()
        })
}

// -------------------------------------------------------------------- tox

/// `tox [run|r|p|run-parallel] [-e ENV[,ENV]] [-c CONFIG] [-- POSARGS]`
/// (tox 3's `tox -e ENV` too): each environment (`-e`, else `TOXENV`, else
/// the `envlist`) runs its `commands_pre`, `commands` and `commands_post`
/// from tox.ini (its `[testenv:ENV]` section, else `[testenv]`), by `sh
/// -c` in its `changedir` or the file's directory with its `setenv`,
/// `{posargs}` being the words after `--`. Listing, configuration and
/// help run nothing.
pub(super) fn tox(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let (own, posargs) = args::split_double_dash(inv.args);
    let items = args::parse(
        own,
        &Spec {
            short: "ecfxp",
            long: &[
                "conf",
                "override",
                "root",
                "workdir",
                "installpkg",
                "parallel",
                "result-json",
            ],
            stop_after: None,
        },
    );
    let positionals = args::positionals(&items);
    match positionals.first().map(|w| w.text.as_str()) {
        None | Some("run" | "r" | "p" | "run-parallel" | "legacy" | "le") => {}
        Some(_) => return Vec::new(),
    }
    if args::has(
        &items,
        &[
            "-l",
            "-a",
            "--listenvs",
            "--listenvs-all",
            "-h",
            "--help",
            "--version",
            "--showconfig",
            "--notest",
        ],
    ) {
        return Vec::new();
    }
    let found = match args::value(&items, &["-c", "--conf"]) {
        Some(file) => {
            let path = inv.path(&file.text);
            text_of(&path).map(|text| (parent(&path), text))
        }
        None => find_file(inv.cwd, &["tox.ini"], true, text_of).map(|(dir, _, text)| (dir, text)),
    };
    let Some((dir, text)) = found else {
        return Vec::new();
    };
    let ini = Ini::parse(&text);
    let envs: Vec<String> = match args::value(&items, &["-e"]) {
        Some(list) => list.text.split(',').map(|e| e.trim().to_owned()).collect(),
        None => match inv.env.iter().find(|(name, _)| name == "TOXENV") {
            Some((_, list)) => list.text.split(',').map(|e| e.trim().to_owned()).collect(),
            None => ini
                .get("tox", "envlist")
                .or_else(|| ini.get("tox", "env_list"))
                .map(|list| env_list(&list))
                .unwrap_or_default(),
        },
    };
    let posargs = posargs
        .iter()
        .map(|a| words::quote(&a.text))
        .collect::<Vec<_>>()
        .join(" ");
    let mut jobs = Vec::new();
    for env in envs.iter().filter(|e| !e.is_empty()) {
        let section = format!("testenv:{env}");
        let setting = |key: &str| ini.get(&section, key).or_else(|| ini.get("testenv", key));
        let expand = |text: &str| tox_expand(text, &ini, &posargs, &dir, env);
        let cwd = setting("changedir").map_or_else(
            || dir.clone(),
            |d| paths::resolve(&dir, inv.home, &expand(&d)),
        );
        let env_vars: Vec<(String, Arg)> = setting("setenv")
            .unwrap_or_default()
            .lines()
            .filter_map(|line| {
                let (name, value) = line.split_once('=')?;
                let name = name.trim();
                super::is_name(name).then(|| (name.to_owned(), Arg::literal(&expand(value.trim()))))
            })
            .collect();
        for key in ["commands_pre", "commands", "commands_post"] {
            for line in setting(key).unwrap_or_default().lines() {
                let line = expand(line.trim());
                let line = line.trim_start_matches(['-', '!']).trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                jobs.push(with_env(shell_job(line, &cwd), env_vars.clone()));
            }
        }
        if jobs.len() >= MAX_JOBS {
            break;
        }
    }
    jobs
}

/// An `envlist`'s names: split at commas and lines, `py{311,312}`'s
/// braces expanded.
fn env_list(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut level = 0usize;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '{' => level += 1,
            '}' => level = level.saturating_sub(1),
            ',' | '\n' if level == 0 => {
                names.extend(brace_names(current.trim()));
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    names.extend(brace_names(current.trim()));
    names
}

/// A name with one `{a,b}` group expanded (`py{311,312}-django`).
fn brace_names(name: &str) -> Vec<String> {
    if name.is_empty() {
        return Vec::new();
    }
    let Some((head, rest)) = name.split_once('{') else {
        return vec![name.to_owned()];
    };
    let Some((choices, tail)) = rest.split_once('}') else {
        return vec![name.to_owned()];
    };
    choices
        .split(',')
        .flat_map(|choice| brace_names(&format!("{head}{}{tail}", choice.trim())))
        .collect()
}

/// tox's substitutions: `{posargs}` (`{posargs:DEFAULT}` when there are
/// none), `{toxinidir}`, `{envname}`, `{env:NAME[:DEFAULT]}` as the
/// shell's `${NAME:-DEFAULT}`, `{[section]key}`; others are kept.
fn tox_expand(text: &str, ini: &Ini, posargs: &str, dir: &str, env: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(rest.get(..open).unwrap_or_default());
        let after = rest.get(open + 1..).unwrap_or_default();
        let Some(close) = after.find('}') else {
            out.push_str(rest.get(open..).unwrap_or_default());
            return out;
        };
        let inner = after.get(..close).unwrap_or_default();
        rest = after.get(close + 1..).unwrap_or_default();
        let (key, default) = match inner.split_once(':') {
            Some((key, default)) => (key, Some(default)),
            None => (inner, None),
        };
        match key {
            "posargs" if posargs.is_empty() => out.push_str(default.unwrap_or_default()),
            "posargs" => out.push_str(posargs),
            "toxinidir" | "tox_root" => out.push_str(dir),
            "envname" | "env_name" => out.push_str(env),
            "envpython" | "env_python" => out.push_str("python"),
            "env" => {
                let (name, fallback) = default
                    .unwrap_or_default()
                    .split_once(':')
                    .unwrap_or((default.unwrap_or_default(), ""));
                if super::is_name(name) {
                    out.push_str(&format!("${{{name}:-{fallback}}}"));
                }
            }
            _ => match inner.strip_prefix('[').and_then(|r| r.split_once(']')) {
                Some((section, key)) => out.push_str(&ini.get(section, key).unwrap_or_default()),
                None => {
                    out.push('{');
                    out.push_str(inner);
                    out.push('}');
                }
            },
        }
    }
    out.push_str(rest);
    out
}

/// An INI file's values by section and key; a value continued on
/// indented lines keeps them, one a line.
#[derive(Debug, Default)]
struct Ini {
    values: HashMap<(String, String), String>,
}

impl Ini {
    fn parse(text: &str) -> Ini {
        let mut ini = Ini::default();
        let mut section = String::new();
        let mut current: Option<(String, String)> = None;
        for line in text.lines() {
            let trimmed = line.trim();
            if trimmed.starts_with(['#', ';']) {
                continue;
            }
            if line.starts_with([' ', '\t']) {
                if let Some(value) = current.as_ref().and_then(|key| ini.values.get_mut(key))
                    && !trimmed.is_empty()
                {
                    value.push('\n');
                    value.push_str(trimmed);
                }
                continue;
            }
            if let Some(name) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
                section = name.trim().to_owned();
                current = None;
                continue;
            }
            let Some((key, value)) = trimmed.split_once('=') else {
                current = None;
                continue;
            };
            let key = (section.clone(), key.trim().to_owned());
            ini.values.insert(key.clone(), value.trim().to_owned());
            current = Some(key);
        }
        ini
    }

    fn get(&self, section: &str, key: &str) -> Option<String> {
        self.values
            .get(&(section.to_owned(), key.to_owned()))
            .cloned()
    }
}
