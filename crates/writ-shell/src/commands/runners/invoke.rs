//! Invoke's tasks (`invoke TASK [--flag VALUE] [VALUE]...`, `inv`): the
//! `@task` functions of the collection module (`tasks.py` or
//! `tasks/__init__.py`, `-c NAME`'s `NAME.py`, found from `-r`'s
//! directory or the working directory up, as Invoke searches), when an
//! earlier step wrote or read it.
//!
//! A task runs as the Python code it is: the module's top-level
//! statements (its imports and constants; other functions' bodies are
//! left out), the task's parameters bound to what the line gives them,
//! then the function's body, its context's `c.run(...)`, `c.sudo(...)`
//! and `c.local(...)` read as the shell commands they run. The line binds
//! a parameter by its flag (`host` is `--host VALUE`, `--host=VALUE` or
//! `-h VALUE`; `dry_run` is `--dry-run`), a boolean one by its flag alone
//! (`--no-NAME` for one that defaults to true), and a parameter with no
//! default by position, as Invoke's parser does; one the line leaves
//! unset keeps its default. A task's `pre` tasks run before it and its
//! `post` tasks after, each once. Listing, help and `--dry` run nothing.

use super::{Lookup, MAX_JOBS, MAX_NESTING, python_tasks};
use crate::args::Arg;
use crate::commands::{Invocation, Nested};

/// Invoke's own options that take a value.
const VALUED: &[&str] = &[
    "-c",
    "--collection",
    "-r",
    "--search-root",
    "-f",
    "--config",
    "-T",
    "--command-timeout",
    "-D",
    "--list-depth",
    "-F",
    "--list-format",
];

/// Invoke's own options after which no task runs.
const RUN_NOTHING: &[&str] = &[
    "-l",
    "--list",
    "-h",
    "--help",
    "-V",
    "--version",
    "--complete",
    "--print-completion-script",
    "-R",
    "--dry",
];

/// A task function of the collection.
#[derive(Debug, Default)]
struct Task {
    /// The name Invoke gives it (`reset_db` is `reset-db`), and its aliases.
    names: Vec<String>,
    /// The name its function gives the context (`c`, `ctx`).
    context: String,
    params: Vec<Param>,
    /// Tasks (function names) run before it and after it.
    pre: Vec<String>,
    post: Vec<String>,
    /// The function's name.
    function: String,
    /// Its body, dedented.
    body: String,
}

#[derive(Debug, Clone)]
struct Param {
    name: String,
    /// The default's Python text, if it has one.
    default: Option<String>,
    /// Bound by position (no default, or named by `positional=[...]`).
    positional: bool,
}

impl Param {
    fn boolean(&self) -> bool {
        matches!(self.default.as_deref(), Some("True" | "False"))
    }
}

/// A collection module: its top-level code and its tasks.
#[derive(Debug, Default)]
struct Module {
    top_level: Vec<String>,
    tasks: Vec<Task>,
}

/// What `invoke`/`inv` runs of a collection known from earlier steps.
pub(super) fn invoke(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let mut collection = "tasks".to_owned();
    let mut root = inv.cwd.to_owned();
    let mut words = inv.args.iter().peekable();
    // Invoke's own options, before the first task.
    while let Some(word) = words.peek() {
        let text = word.text.as_str();
        if !text.starts_with('-') || text == "-" {
            break;
        }
        words.next();
        let (option, attached) = match text.split_once('=') {
            Some((option, value)) if option.starts_with("--") => (option, Some(value.to_owned())),
            _ => (text, None),
        };
        if RUN_NOTHING.contains(&option) {
            return Vec::new();
        }
        if !VALUED.contains(&option) {
            continue;
        }
        let value = attached.or_else(|| words.next().map(|w| w.text.clone()));
        match (option, value) {
            ("-c" | "--collection", Some(name)) => collection = name,
            ("-r" | "--search-root", Some(dir)) => root = inv.path(&dir),
            _ => {}
        }
    }
    let Some(module) = find_module(&root, &collection, text_of) else {
        return Vec::new();
    };
    let rest: Vec<&Arg> = words.collect();
    let calls = module.calls(&rest);
    let mut jobs = Vec::new();
    let mut done = Vec::new();
    for (task, values) in calls {
        module.run(task, &values, inv.cwd, 0, &mut done, &mut jobs);
    }
    jobs.truncate(MAX_JOBS);
    jobs
}

/// The collection module `name` (`NAME/__init__.py`, then `NAME.py`) in
/// `start` or the nearest directory above that holds one.
fn find_module(start: &str, name: &str, text_of: &Lookup<'_>) -> Option<Module> {
    let name = name.trim_end_matches(".py");
    let package = format!("{name}/__init__.py");
    let file = format!("{name}.py");
    let (_, _, text) = super::find_file(start, &[&package, &file], true, text_of)?;
    Some(Module::parse(&text))
}

impl Module {
    /// A module's top-level statements and its `@task` functions.
    fn parse(text: &str) -> Module {
        let mut module = Module::default();
        let lines: Vec<&str> = text.lines().collect();
        let mut at = 0;
        let mut decorators: Vec<String> = Vec::new();
        while let Some(line) = lines.get(at) {
            at += 1;
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if let Some(decorator) = trimmed.strip_prefix('@') {
                let mut text = decorator.to_owned();
                while text.matches('(').count() > text.matches(')').count() {
                    let Some(next) = lines.get(at) else { break };
                    text.push(' ');
                    text.push_str(next.trim());
                    at += 1;
                }
                decorators.push(text);
                continue;
            }
            let def = trimmed
                .strip_prefix("def ")
                .or_else(|| trimmed.strip_prefix("async def "));
            let is_class = trimmed.starts_with("class ");
            if def.is_none() && !is_class {
                decorators.clear();
                module.top_level.push((*line).to_owned());
                // A statement's continuation lines go with it.
                while let Some(next) = lines.get(at) {
                    if next.trim().is_empty() || !next.starts_with([' ', '\t', ')', ']', '}']) {
                        break;
                    }
                    module.top_level.push((*next).to_owned());
                    at += 1;
                }
                continue;
            }
            // The signature may go on over several lines.
            let mut signature = def.unwrap_or_default().to_owned();
            while signature.matches('(').count() > signature.matches(')').count() {
                let Some(next) = lines.get(at) else { break };
                signature.push(' ');
                signature.push_str(next.trim());
                at += 1;
            }
            let mut body = Vec::new();
            while let Some(next) = lines.get(at) {
                if !next.trim().is_empty() && !next.starts_with([' ', '\t']) {
                    break;
                }
                body.push(*next);
                at += 1;
            }
            let decorator = decorators.iter().find(|d| is_task_decorator(d)).cloned();
            decorators.clear();
            if let (Some(decorator), Some(_)) = (decorator, def) {
                module
                    .tasks
                    .extend(task(&signature, &decorator, &dedented(&body)));
            }
        }
        module
    }

    /// The task a command-line word names: by its name, its alias, or
    /// its function's name.
    fn named(&self, word: &str) -> Option<&Task> {
        let bare = word.rsplit('.').next().unwrap_or(word);
        self.tasks.iter().find(|t| {
            t.names.iter().any(|n| n == word || n == bare)
                || t.function == word
                || t.function == bare.replace('-', "_")
        })
    }

    /// The task a function name (a `pre`/`post` entry) is.
    fn function(&self, name: &str) -> Option<&Task> {
        self.tasks.iter().find(|t| t.function == name)
    }

    /// The tasks the words after Invoke's options call, each with the
    /// values the words give its parameters.
    fn calls<'m>(&'m self, words: &[&Arg]) -> Vec<(&'m Task, Vec<(String, String)>)> {
        let mut calls = Vec::new();
        let mut words = words.iter().peekable();
        while let Some(word) = words.next() {
            let Some(task) = self.named(&word.text) else {
                break;
            };
            let mut values: Vec<(String, String)> = Vec::new();
            let mut positional = task.params.iter().filter(|p| p.positional);
            while let Some(next) = words.peek() {
                let text = next.text.as_str();
                if let Some(flag) = text.strip_prefix('-').filter(|f| !f.is_empty()) {
                    words.next();
                    let (flag, attached) = match flag.split_once('=') {
                        Some((flag, value)) => (flag, Some(value.to_owned())),
                        None => (flag, None),
                    };
                    let Some((param, negated)) = task.flag(flag) else {
                        continue;
                    };
                    let value = if param.boolean() {
                        attached.unwrap_or_else(|| python_bool(!negated).to_owned())
                    } else {
                        match attached.or_else(|| words.next().map(|w| w.text.clone())) {
                            Some(value) => python_string(&value),
                            None => continue,
                        }
                    };
                    values.retain(|(n, _)| *n != param.name);
                    values.push((param.name.clone(), value));
                    continue;
                }
                if self.named(text).is_some() && !task.params.iter().any(|p| p.positional) {
                    break;
                }
                match positional.next() {
                    Some(param) => {
                        words.next();
                        values.retain(|(n, _)| *n != param.name);
                        values.push((param.name.clone(), python_string(text)));
                    }
                    None => break,
                }
            }
            calls.push((task, values));
        }
        calls
    }

    /// Adds the jobs of `task` with `values` bound: its `pre` tasks, its
    /// body, its `post` tasks; each task once.
    fn run(
        &self,
        task: &Task,
        values: &[(String, String)],
        cwd: &str,
        depth: usize,
        done: &mut Vec<String>,
        jobs: &mut Vec<Nested>,
    ) {
        if depth > MAX_NESTING || jobs.len() >= MAX_JOBS || done.contains(&task.function) {
            return;
        }
        done.push(task.function.clone());
        for name in &task.pre {
            if let Some(pre) = self.function(name) {
                self.run(pre, &[], cwd, depth + 1, done, jobs);
            }
        }
        jobs.push(python_job(&self.code(task, values), cwd));
        for name in &task.post {
            if let Some(post) = self.function(name) {
                self.run(post, &[], cwd, depth + 1, done, jobs);
            }
        }
    }

    /// The Python code a task runs: the module's top level, its
    /// parameters' values, its body with the context's commands as
    /// `os.system` calls.
    fn code(&self, task: &Task, values: &[(String, String)]) -> String {
        let mut code = vec!["import os".to_owned()];
        code.extend(self.top_level.iter().cloned());
        for param in &task.params {
            let value = values
                .iter()
                .find(|(name, _)| *name == param.name)
                .map(|(_, value)| value.clone())
                .or_else(|| param.default.clone())
                .unwrap_or_else(|| "None".to_owned());
            code.push(format!("{} = {value}", param.name));
        }
        code.push(context_calls(&task.body, &task.context));
        code.join("\n")
    }
}

impl Task {
    /// The parameter a flag (without its first dash) sets, and whether
    /// it is the `no-` form of a boolean's.
    fn flag(&self, flag: &str) -> Option<(&Param, bool)> {
        if let Some(long) = flag.strip_prefix('-') {
            let name = long.replace('-', "_");
            if let Some(param) = self.params.iter().find(|p| p.name == name) {
                return Some((param, false));
            }
            let negated = name.strip_prefix("no_")?;
            return self
                .params
                .iter()
                .find(|p| p.name == negated && p.boolean())
                .map(|p| (p, true));
        }
        // A short flag: the first letter of one parameter's name only.
        let mut letters = flag.chars();
        let letter = letters.next()?;
        let mut matching = self.params.iter().filter(|p| p.name.starts_with(letter));
        let param = matching.next()?;
        (matching.next().is_none() && letters.next().is_none()).then_some((param, false))
    }
}

/// True for Invoke's task decorator: `@task`, `@task(...)`,
/// `@invoke.task(...)`.
fn is_task_decorator(decorator: &str) -> bool {
    let name = decorator.split('(').next().unwrap_or_default().trim();
    name == "task" || name.ends_with(".task")
}

/// A task from its function's signature, its decorator and its body.
fn task(signature: &str, decorator: &str, body: &str) -> Option<Task> {
    let (function, rest) = signature.split_once('(')?;
    let function = function.trim().to_owned();
    let inside = python_tasks::balanced(rest);
    let mut params = python_tasks::call_arguments(inside).into_iter();
    let context = params
        .next()
        .map(|p| param_name(&p).to_owned())
        .unwrap_or_else(|| "c".to_owned());
    let arguments = decorator
        .split_once('(')
        .map(|(_, inside)| python_tasks::call_arguments(python_tasks::balanced(inside)))
        .unwrap_or_default();
    let keyword = |key: &str| -> Option<&str> {
        arguments.iter().find_map(|a| {
            let (name, value) = a.split_once('=')?;
            (name.trim() == key).then_some(value.trim())
        })
    };
    let names_in = |key: &str| -> Vec<String> { keyword(key).map(list_items).unwrap_or_default() };
    let named_positional = keyword("positional").map(list_items);
    let params: Vec<Param> = params
        .filter(|p| !p.starts_with('*') && !p.starts_with('/'))
        .map(|p| {
            let name = param_name(&p).to_owned();
            let default = p.split_once('=').map(|(_, d)| d.trim().to_owned());
            let positional = match &named_positional {
                Some(named) => named.contains(&name),
                None => default.is_none(),
            };
            Param {
                name,
                default,
                positional,
            }
        })
        .collect();
    // `@task(pre1, pre2)`: positional arguments are pre-tasks.
    let mut pre: Vec<String> = arguments
        .iter()
        .filter(|a| !a.contains('='))
        .map(|a| a.trim().to_owned())
        .collect();
    pre.extend(names_in("pre"));
    let mut names = vec![
        match keyword("name").and_then(python_tasks::string_literal) {
            Some(name) => name,
            None => function.replace('_', "-"),
        },
    ];
    names.extend(
        keyword("aliases")
            .map(|list| {
                python_tasks::call_arguments(
                    list.trim_start_matches(['[', '('])
                        .trim_end_matches([']', ')']),
                )
                .iter()
                .filter_map(|a| python_tasks::string_literal(a))
                .collect::<Vec<_>>()
            })
            .unwrap_or_default(),
    );
    Some(Task {
        names,
        context,
        params,
        pre,
        post: names_in("post"),
        function,
        body: body.to_owned(),
    })
}

/// A parameter's name, its annotation and default dropped.
fn param_name(param: &str) -> &str {
    param.split([':', '=']).next().unwrap_or_default().trim()
}

/// The items of a Python list or tuple of names or strings.
fn list_items(text: &str) -> Vec<String> {
    let inside = text
        .trim()
        .trim_start_matches(['[', '('])
        .trim_end_matches([']', ')']);
    python_tasks::call_arguments(inside)
        .iter()
        .map(|item| python_tasks::string_literal(item).unwrap_or_else(|| item.trim().to_owned()))
        .collect()
}

/// Body lines without the indentation of the first one.
fn dedented(body: &[&str]) -> String {
    let indent = body
        .iter()
        .find(|l| !l.trim().is_empty())
        .map_or(0, |l| l.len() - l.trim_start().len());
    body.iter()
        .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `c.run(`, `c.sudo(` and `c.local(` (for the context named `context`)
/// as `os.system(`, the call the Python reader knows runs a command line.
fn context_calls(body: &str, context: &str) -> String {
    let mut out = body.to_owned();
    for method in ["run", "sudo", "local"] {
        let call = format!("{context}.{method}(");
        let mut rewritten = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(at) = rest.find(&call) {
            let before = rest.get(..at).unwrap_or_default();
            rewritten.push_str(before);
            // `x.c.run(`, `abc.run(`: another object's.
            if before
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
            {
                rewritten.push_str(&call);
            } else {
                rewritten.push_str("os.system(");
            }
            rest = rest.get(at + call.len()..).unwrap_or_default();
        }
        rewritten.push_str(rest);
        out = rewritten;
    }
    out
}

/// Python code run by `python3 -c` in `cwd`.
fn python_job(code: &str, cwd: &str) -> Nested {
    Nested::Argv {
        argv: vec![
            Arg::literal("python3"),
            Arg::literal("-c"),
            Arg::literal(code),
        ],
        env: Vec::new(),
        cwd: Some(cwd.to_owned()),
    }
}

/// A Python string literal holding `text`.
fn python_string(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('\'', "\\'")
        .replace('\n', "\\n");
    format!("'{escaped}'")
}

fn python_bool(value: bool) -> &'static str {
    if value { "True" } else { "False" }
}
