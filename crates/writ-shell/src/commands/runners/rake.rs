//! `rake TASK` (and `rails TASK`, which hands tasks it does not know to
//! rake) when the file that defines the task was written earlier: the
//! Rakefile (found upward from the directory rake runs in, or `-f FILE`),
//! the files it `import`s or `load`s, and the task files rake and Rails
//! load by themselves (`rakelib/*.rake`, `lib/tasks/*.rake`), looked for
//! under the names a task's namespaces give them (`audit:reset` in
//! `lib/tasks/audit.rake`), since a directory's other files are not known.
//!
//! Tasks are read from the Ruby of the file: `namespace :audit do ... end`
//! scopes, `task :name`, `task name: [:deps]`, `task :name, [:args] =>
//! :dep`, `multitask`, each with its `do ... end` or `{ ... }` body. The
//! task runs its prerequisites first (resolved in its namespace, then the
//! enclosing ones, as rake does), each once, then its body, as Ruby code
//! (`ruby -e BODY`: `sh "..."`, `system`, backticks, requests); a task that
//! loads the application (`=> :environment`, Rails' own task) runs as
//! `rails runner BODY`, so the SQL its models run goes to the
//! application's database. `Rake::Task["x"].invoke` in a body runs `x`.
//! `rake -e CODE` runs CODE; `-n`, `-T`, `-P`, `-D`, `-W` run nothing;
//! `VAR=value` words are the tasks' environment.

use std::collections::HashSet;

use super::{Lookup, MAX_JOBS, MAX_NESTING, find_file, parent};
use crate::args::Arg;
use crate::commands::{Invocation, Nested};
use crate::paths;

/// A task read from a rake file.
#[derive(Debug, Default, Clone)]
struct Task {
    /// `ns:name`.
    name: String,
    /// Its namespaces, outermost first.
    scope: Vec<String>,
    prereqs: Vec<String>,
    body: String,
}

/// rake's options that take a value (`-j` takes a count).
pub(in crate::commands) const VALUED: &[&str] = &[
    "-f",
    "--rakefile",
    "-C",
    "--directory",
    "-I",
    "--libdir",
    "-R",
    "--rakelibdir",
    "-r",
    "--require",
    "-e",
    "--execute",
    "-E",
    "--execute-continue",
    "-p",
    "--execute-print",
    "-j",
    "--jobs",
];

/// Options after which nothing runs.
const RUN_NOTHING: &[&str] = &[
    "-n",
    "--dry-run",
    "-T",
    "--tasks",
    "-D",
    "--describe",
    "-P",
    "--prereqs",
    "-W",
    "--where",
    "-V",
    "--version",
    "-h",
    "-H",
    "--help",
];

/// Rails' own commands, which are no rake tasks.
const RAILS_COMMANDS: &[&str] = &[
    "server",
    "s",
    "console",
    "c",
    "runner",
    "r",
    "generate",
    "g",
    "destroy",
    "d",
    "new",
    "dbconsole",
    "db",
    "credentials",
    "secrets",
    "test",
    "plugin",
    "app:update",
];

/// The jobs of `rake [OPTIONS] TASK[ARGS]... [VAR=value]...` (or `rails
/// TASK`) from the task files known.
pub(super) fn rake(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let rails = inv.program == "rails";
    let mut options: Vec<(&str, Option<&Arg>)> = Vec::new();
    let mut words: Vec<&Arg> = Vec::new();
    let mut iter = inv.args.iter();
    while let Some(arg) = iter.next() {
        let text = arg.text.as_str();
        if text.starts_with('-') && text.len() > 1 {
            let (name, inline) = match text.split_once('=') {
                Some((n, _)) if n.starts_with("--") => (n, true),
                _ => (text, false),
            };
            if VALUED.contains(&name) && !inline {
                options.push((name, iter.next()));
            } else {
                options.push((name, Some(arg)));
            }
        } else {
            words.push(arg);
        }
    }
    let value = |names: &[&str]| -> Option<String> {
        options.iter().find_map(|(name, value)| {
            let value = (*value)?;
            if !names.contains(name) {
                return None;
            }
            Some(match value.text.split_once('=') {
                Some((n, v)) if n.starts_with("--") => v.to_owned(),
                _ => value.text.clone(),
            })
        })
    };
    if options.iter().any(|(name, _)| RUN_NOTHING.contains(name)) {
        return Vec::new();
    }
    let dir = value(&["-C", "--directory"]).map_or_else(
        || inv.cwd.to_owned(),
        |d| paths::resolve(inv.cwd, inv.home, &d),
    );
    // The line's environment, then its `VAR=value` words over it.
    let mut env: Vec<(String, Arg)> = inv.env.to_vec();
    let mut goals = Vec::new();
    for word in &words {
        match word.text.split_once('=') {
            Some((name, _)) if !name.contains('[') && is_env_name(name) => {
                let value = word.text.get(name.len() + 1..).unwrap_or_default();
                env.push((name.to_owned(), Arg::literal(value)));
            }
            _ => goals.push(word.text.split('[').next().unwrap_or_default().to_owned()),
        }
    }
    let mut jobs = Vec::new();
    // `rake -e CODE`: Ruby code, with rake's helpers.
    if !rails && let Some(code) = value(&["-e", "--execute", "-E", "--execute-continue", "-p"]) {
        jobs.push(ruby_job(&code, false, &dir, &env));
    }
    if rails
        && goals
            .first()
            .is_none_or(|g| RAILS_COMMANDS.contains(&g.as_str()) || g.starts_with("db:"))
    {
        return jobs;
    }
    if goals.is_empty() && jobs.is_empty() {
        goals.push("default".to_owned());
    }
    let tasks = known_tasks(&dir, inv, value(&["-f", "--rakefile"]), &goals, text_of);
    let rakelib = value(&["-R", "--rakelibdir"]);
    let tasks = match rakelib {
        // Another task directory: its files by the goals' names too.
        Some(lib) => {
            let mut tasks = tasks;
            let lib = paths::resolve(&dir, inv.home, &lib);
            for file in task_file_names(&goals) {
                if let Some(text) = text_of(&paths::resolve(&lib, "/", &file)) {
                    tasks.extend(parse(&text));
                }
            }
            tasks
        }
        None => tasks,
    };
    let mut run = Runner {
        tasks: &tasks,
        done: HashSet::new(),
        jobs: Vec::new(),
    };
    for goal in &goals {
        run.task(goal, &[], false, 0);
    }
    jobs.extend(
        run.jobs
            .into_iter()
            .map(|(body, app)| ruby_job(&with_env(&body, &env), app, &dir, &env)),
    );
    jobs.truncate(MAX_JOBS);
    jobs
}

/// A task body with what its environment reads give filled in: each
/// local assigned `ENV.fetch("X", "default")`, `ENV["X"]` (`|| "default"`)
/// or a string takes the line's value of X (the last one given), else
/// the default; `#{local}` and `#{ENV[...]}` in the body's strings are
/// then that text. A read with no value known is left as written.
fn with_env(body: &str, env: &[(String, Arg)]) -> String {
    let value_of = |name: &str| {
        env.iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.text.clone())
    };
    let mut locals: Vec<(String, String)> = Vec::new();
    let mut out = Vec::new();
    for line in body.lines() {
        let mut line = line.to_owned();
        for (name, value) in &locals {
            line = line.replace(&format!("#{{{name}}}"), &ruby_escaped(value));
        }
        line = fill_env_reads(&line, &value_of);
        if let Some((name, expr)) = assignment(&line)
            && let Some(value) = env_expression(expr, &value_of)
        {
            locals.retain(|(n, _)| n != name);
            locals.push((name.to_owned(), value));
        }
        out.push(line);
    }
    out.join("\n")
}

/// `#{ENV["X"]}` and `#{ENV.fetch("X", "d")}` in a line, as their value.
fn fill_env_reads(line: &str, value_of: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find("#{ENV") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        match env_expression(&after[..close], value_of) {
            Some(value) => out.push_str(&ruby_escaped(&value)),
            None => out.push_str(&rest[open..open + 2 + close + 1]),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// `name = EXPR` on a line: the local's name and the expression.
fn assignment(line: &str) -> Option<(&str, &str)> {
    let (name, expr) = line.split_once('=')?;
    let name = name.trim();
    let local = !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let expr = expr.trim();
    (local && !expr.starts_with(['=', '~'])).then_some((name, expr))
}

/// The value of an environment read or a plain string: `ENV.fetch("X",
/// "d")`, `ENV.fetch("X") { "d" }`, `ENV["X"] || "d"`, `ENV["X"]`,
/// `"text"`.
fn env_expression(expr: &str, value_of: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let expr = expr.trim();
    if let Some(args) = expr.strip_prefix("ENV.fetch(") {
        let (inner, after) = args.split_once(')')?;
        let mut parts = inner.splitn(2, ',');
        let name = plain_string(parts.next()?)?;
        let default = parts.next().and_then(plain_string).or_else(|| {
            let block = after.trim().strip_prefix('{')?.strip_suffix('}')?;
            plain_string(block)
        });
        return value_of(&name).or(default);
    }
    if let Some(args) = expr.strip_prefix("ENV[") {
        let (inner, after) = args.split_once(']')?;
        let name = plain_string(inner)?;
        let default = after.trim().strip_prefix("||").and_then(plain_string);
        return value_of(&name).or(default);
    }
    plain_string(expr)
}

/// A string literal's text, when it interpolates nothing.
fn plain_string(text: &str) -> Option<String> {
    let text = text.trim();
    let quote = text.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
    let inner = text.strip_prefix(quote)?.strip_suffix(quote)?;
    let plain = !inner.contains(quote) && !inner.contains('\\') && !inner.contains("#{");
    plain.then(|| inner.to_owned())
}

/// Text as it reads inside a double-quoted Ruby string.
fn ruby_escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace("#{", "\\#{")
}

/// A variable's name, as rake takes `NAME=value` words.
fn is_env_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

/// Ruby code run in `dir`: by `ruby -e`, or by `rails runner` when the
/// application is loaded.
fn ruby_job(code: &str, app: bool, dir: &str, env: &[(String, Arg)]) -> Nested {
    let argv = if app {
        vec![
            Arg::literal("rails"),
            Arg::literal("runner"),
            Arg::literal(code),
        ]
    } else {
        vec![Arg::literal("ruby"), Arg::literal("-e"), Arg::literal(code)]
    };
    Nested::Argv {
        argv,
        env: env.to_vec(),
        cwd: Some(dir.to_owned()),
    }
}

/// The task files a goal's names point to: `audit:reset` is looked for in
/// `audit.rake`, `audit/reset.rake`, `reset.rake`, `audit_reset.rake`.
fn task_file_names(goals: &[String]) -> Vec<String> {
    let mut names = Vec::new();
    for goal in goals {
        let parts: Vec<&str> = goal.split(':').filter(|p| !p.is_empty()).collect();
        let mut stems: Vec<String> = parts.iter().map(|p| (*p).to_owned()).collect();
        for n in 2..=parts.len() {
            stems.push(parts[..n].join("/"));
            stems.push(parts[..n].join("_"));
        }
        for stem in stems {
            let name = format!("{stem}.rake");
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// The tasks of the known files rake loads for `goals`.
fn known_tasks(
    dir: &str,
    inv: &Invocation<'_>,
    rakefile: Option<String>,
    goals: &[String],
    text_of: &Lookup<'_>,
) -> Vec<Task> {
    let mut tasks = Vec::new();
    let mut seen = HashSet::new();
    let found = match rakefile {
        Some(file) => {
            let path = paths::resolve(dir, inv.home, &file);
            text_of(&path).map(|text| (parent(&path), path, text))
        }
        None => find_file(
            dir,
            &["Rakefile", "rakefile", "Rakefile.rb", "rakefile.rb"],
            true,
            text_of,
        ),
    };
    // Where the Rakefile is (rake runs from there), else each directory
    // up from here, for a Rakefile on disk that loads the task files.
    let roots: Vec<String> = match &found {
        Some((root, path, text)) => {
            seen.insert(path.clone());
            let root = root.clone();
            load(&root, text, text_of, &mut seen, &mut tasks, 0);
            vec![root]
        }
        None => {
            let mut roots = vec![dir.to_owned()];
            let mut at = dir.to_owned();
            while at != "/" && !at.is_empty() && roots.len() < MAX_NESTING {
                at = parent(&at);
                roots.push(at.clone());
            }
            roots
        }
    };
    let names = task_file_names(goals);
    for root in &roots {
        for lib in ["rakelib", "lib/tasks", "tasks"] {
            for name in &names {
                let path = paths::resolve(root, "/", &format!("{lib}/{name}"));
                if seen.insert(path.clone())
                    && let Some(text) = text_of(&path)
                {
                    load(root, &text, text_of, &mut seen, &mut tasks, 0);
                }
            }
        }
    }
    tasks
}

/// Reads the tasks of a file's `text`, and of the files it imports.
fn load(
    root: &str,
    text: &str,
    text_of: &Lookup<'_>,
    seen: &mut HashSet<String>,
    tasks: &mut Vec<Task>,
    depth: usize,
) {
    tasks.extend(parse(text));
    if depth >= MAX_NESTING {
        return;
    }
    for line in text.lines() {
        let line = line.trim_start();
        let Some(rest) = ["import", "load", "require_relative"]
            .iter()
            .find_map(|k| line.strip_prefix(k))
        else {
            continue;
        };
        let rest = rest.trim_start_matches(['(', ' ']);
        for file in quoted(rest) {
            let file = if line.starts_with("require_relative") && !file.ends_with(".rb") {
                format!("{file}.rb")
            } else {
                file
            };
            let path = paths::resolve(root, "/", &file);
            if seen.insert(path.clone())
                && let Some(text) = text_of(&path)
            {
                load(root, &text, text_of, seen, tasks, depth + 1);
            }
        }
    }
}

/// The string literals at the start of `text` (`'a', "b"`).
fn quoted(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while let Some(q) = rest.chars().next().filter(|c| matches!(c, '\'' | '"')) {
        let Some(end) = rest[1..].find(q) else { break };
        out.push(rest[1..=end].to_owned());
        rest = rest[end + 2..].trim_start();
        match rest.strip_prefix(',') {
            Some(r) => rest = r.trim_start(),
            None => break,
        }
    }
    out
}

/// Runs tasks by name, prerequisites first, each once.
struct Runner<'a> {
    tasks: &'a [Task],
    done: HashSet<String>,
    /// Bodies run, and whether the application is loaded for them.
    jobs: Vec<(String, bool)>,
}

impl Runner<'_> {
    /// The task `name` names from `scope`: in it, then in each enclosing
    /// namespace (`^x` one up); all tasks of that name (rake adds a later
    /// definition's body to an earlier one's).
    fn resolve(&self, name: &str, scope: &[String]) -> Vec<&Task> {
        let mut scope = scope.to_vec();
        let mut name = name;
        while let Some(up) = name.strip_prefix('^') {
            scope.pop();
            name = up;
        }
        if let Some(top) = name.strip_prefix("rake:") {
            scope.clear();
            name = top;
        }
        for n in (0..=scope.len()).rev() {
            let full = scope[..n]
                .iter()
                .map(String::as_str)
                .chain([name])
                .collect::<Vec<_>>()
                .join(":");
            let found: Vec<&Task> = self.tasks.iter().filter(|t| t.name == full).collect();
            if !found.is_empty() {
                return found;
            }
        }
        Vec::new()
    }

    /// Runs `name`: true when the application is loaded for it (a
    /// prerequisite rake does not know, such as Rails' `environment`).
    fn task(&mut self, name: &str, scope: &[String], app: bool, depth: usize) -> bool {
        if depth > MAX_NESTING || self.jobs.len() >= MAX_JOBS {
            return app;
        }
        let found: Vec<Task> = self.resolve(name, scope).into_iter().cloned().collect();
        if found.is_empty() {
            // Rails' `environment` (and tasks of files not known) load the
            // application.
            return app || name == "environment";
        }
        let full = found.first().map(|t| t.name.clone()).unwrap_or_default();
        if !self.done.insert(full) {
            return app;
        }
        let mut loaded = app;
        for task in &found {
            for prereq in &task.prereqs {
                loaded = self.task(prereq, &task.scope, loaded, depth + 1) || loaded;
            }
        }
        for task in &found {
            if task.body.trim().is_empty() {
                continue;
            }
            self.jobs.push((task.body.clone(), loaded));
            // `Rake::Task["x"].invoke` runs `x` (with its prerequisites).
            for invoked in invoked_tasks(&task.body) {
                self.task(&invoked, &[], loaded, depth + 1);
            }
        }
        loaded
    }
}

/// The tasks a body invokes: `Rake::Task["x"].invoke`, `.execute`.
fn invoked_tasks(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in body.match_indices("Rake::Task[") {
        let rest = &body[at + "Rake::Task[".len()..];
        let Some(close) = rest.find(']') else {
            continue;
        };
        let after = &rest[close + 1..];
        if !(after.starts_with(".invoke") || after.starts_with(".execute")) {
            continue;
        }
        if let Some(name) = symbol_or_string(rest[..close].trim()) {
            out.push(name);
        }
    }
    out
}

/// `:name`, `"name"` or `'name'` as the name.
fn symbol_or_string(text: &str) -> Option<String> {
    let text = text.trim();
    if let Some(sym) = text.strip_prefix(':') {
        let sym = sym.trim_matches(['"', '\'']);
        let name: String = sym
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | ':' | '?' | '!'))
            .collect();
        return (!name.is_empty()).then_some(name);
    }
    let q = text.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
    let end = text[1..].find(q)?;
    Some(text[1..=end].to_owned())
}

// ------------------------------------------------------------ the reader

/// One line of Ruby with its strings and comment blanked (so keywords and
/// brackets are read only where they are code), beside its text.
fn masked(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                    out.push(c);
                    continue;
                }
                blank(&mut out, c);
            }
            None => match c {
                '#' => break,
                '\'' | '"' | '`' => {
                    quote = Some(c);
                    out.push(c);
                }
                // `%(...)`, `%q(...)`, `%x{...}`, `%w[...]`: blanked to
                // their end, on this line.
                '%' if out
                    .trim_end()
                    .ends_with(|p: char| !p.is_alphanumeric() && p != ')')
                    || out.trim_end().is_empty() =>
                {
                    let mut kind = String::new();
                    while let Some(&k) = chars.peek().filter(|k| k.is_ascii_alphabetic()) {
                        kind.push(k);
                        chars.next();
                    }
                    let Some(&open) = chars.peek() else {
                        out.push('%');
                        out.push_str(&kind);
                        continue;
                    };
                    let close = match open {
                        '(' => ')',
                        '[' => ']',
                        '{' => '}',
                        '<' => '>',
                        '|' | '!' | '/' => open,
                        _ => {
                            out.push('%');
                            out.push_str(&kind);
                            continue;
                        }
                    };
                    chars.next();
                    // As long as the text, so positions stay the line's.
                    out.push(' ');
                    out.push_str(&" ".repeat(kind.len()));
                    out.push('"');
                    let mut depth = 0usize;
                    let mut escaped = false;
                    for c in chars.by_ref() {
                        if escaped {
                            escaped = false;
                        } else if c == '\\' {
                            escaped = true;
                        } else if c == close && depth == 0 {
                            break;
                        } else if c == close {
                            depth -= 1;
                        } else if c == open && open != close {
                            depth += 1;
                        }
                        blank(&mut out, c);
                    }
                    out.push('"');
                }
                _ => out.push(c),
            },
        }
    }
    out
}

/// Spaces as long as `c`.
fn blank(out: &mut String, c: char) {
    out.push_str(&" ".repeat(c.len_utf8()));
}

/// The words of masked code, with where each starts.
fn words(masked: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (at, c) in masked.char_indices() {
        let word = c.is_alphanumeric() || matches!(c, '_' | '?' | '!');
        match (word, start) {
            (true, None) => start = Some(at),
            (false, Some(s)) => {
                out.push((s, &masked[s..at]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &masked[s..]));
    }
    out
}

/// Keywords that open a block closed by `end` when they start a
/// statement.
const OPENERS: &[&str] = &[
    "if", "unless", "while", "until", "case", "begin", "def", "class", "module", "for",
];

/// How a masked line changes the block depth: the `do`s, `{`s and
/// statement-opening keywords it opens, and the `end`s and `}`s it
/// closes, in order; each as +1 or -1 with its position.
fn changes(masked: &str) -> Vec<(usize, i32)> {
    let mut out = Vec::new();
    let words = words(masked);
    let mut loop_do = false;
    for (i, (at, word)) in words.iter().enumerate() {
        let before = masked[..*at].trim_end();
        // A word after `.` or `::` is a method's name (`x.end`).
        let after = &masked[at + word.len()..];
        // `if:` is a hash key.
        let key = after.starts_with(':') && !after.starts_with("::");
        if before.ends_with('.') || before.ends_with("::") || key {
            continue;
        }
        let starts = i == 0
            || before.ends_with(['=', '(', ';', '|', '&', '[', ','])
            || before.ends_with("&&")
            || before.ends_with("||")
            || before.ends_with(" do")
            || before.ends_with(" then")
            || before.ends_with("return");
        match *word {
            "do" if loop_do => loop_do = false,
            "do" => out.push((*at, 1)),
            "end" => out.push((*at, -1)),
            w if OPENERS.contains(&w) && starts => {
                loop_do = matches!(w, "while" | "until" | "for");
                out.push((*at, 1));
            }
            _ => {}
        }
    }
    for (at, c) in masked.char_indices() {
        match c {
            '{' => out.push((at, 1)),
            '}' => out.push((at, -1)),
            _ => {}
        }
    }
    out.sort_by_key(|(at, _)| *at);
    out
}

/// A block a line opened: what it is, and the depth outside it.
enum Frame {
    Namespace,
    Task {
        task: Task,
        /// Where the body starts: the line, and the byte after the `do`
        /// or `{` on it.
        line: usize,
        from: usize,
    },
    Other,
}

/// The tasks of a rake file's Ruby.
fn parse(text: &str) -> Vec<Task> {
    let lines: Vec<&str> = text.lines().collect();
    let mut tasks = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut scope: Vec<String> = Vec::new();
    let mut heredoc: Option<String> = None;
    for (n, line) in lines.iter().enumerate() {
        if let Some(end) = &heredoc {
            if line.trim() == end {
                heredoc = None;
            }
            continue;
        }
        let masked = masked(line);
        heredoc = heredoc_end(line, &masked);
        let trimmed = masked.trim_start();
        let indent = masked.len() - trimmed.len();
        let header = definition(line, trimmed, indent);
        for (at, change) in changes(&masked) {
            if change > 0 {
                let frame = match &header {
                    Some((Definition::Namespace(name), opens)) if *opens == at => {
                        scope.push(name.clone());
                        Frame::Namespace
                    }
                    Some((Definition::Task(task), opens)) if *opens == at => {
                        let mut task = task.clone();
                        task.scope = scope.clone();
                        task.name = qualified(&scope, &task.name);
                        Frame::Task {
                            task,
                            line: n,
                            from: at + if masked[at..].starts_with('{') { 1 } else { 2 },
                        }
                    }
                    _ => Frame::Other,
                };
                stack.push(frame);
            } else {
                match stack.pop() {
                    Some(Frame::Namespace) => {
                        scope.pop();
                    }
                    Some(Frame::Task {
                        mut task,
                        line: start,
                        from,
                    }) => {
                        task.body = body(&lines, start, from, n, at);
                        tasks.push(task);
                    }
                    _ => {}
                }
            }
        }
        // A task without a block (`task default: :spec`).
        if let Some((Definition::Task(task), opens)) = &header
            && *opens == usize::MAX
        {
            let mut task = task.clone();
            task.scope = scope.clone();
            task.name = qualified(&scope, &task.name);
            tasks.push(task);
        }
    }
    tasks
}

/// `scope:name`.
fn qualified(scope: &[String], name: &str) -> String {
    scope
        .iter()
        .map(String::as_str)
        .chain([name])
        .collect::<Vec<_>>()
        .join(":")
}

/// The text between the block's opening (`line`, byte `from`) and its
/// closing (`end_line`, byte `to`), block parameters (`|t, args|`) left
/// out.
fn body(lines: &[&str], line: usize, from: usize, end_line: usize, to: usize) -> String {
    let text = if line == end_line {
        lines
            .get(line)
            .and_then(|l| l.get(from..to))
            .unwrap_or_default()
            .to_owned()
    } else {
        let mut parts = vec![
            lines
                .get(line)
                .and_then(|l| l.get(from..))
                .unwrap_or_default(),
        ];
        parts.extend(lines.get(line + 1..end_line).unwrap_or_default());
        parts.push(
            lines
                .get(end_line)
                .and_then(|l| l.get(..to))
                .unwrap_or_default(),
        );
        parts.join("\n")
    };
    let trimmed = text.trim_start();
    match trimmed.strip_prefix('|').and_then(|r| r.split_once('|')) {
        Some((_, rest)) => rest.to_owned(),
        None => text,
    }
}

/// The terminator of a heredoc a line opens (`<<~SQL`, `<<-'EOS'`).
fn heredoc_end(line: &str, masked: &str) -> Option<String> {
    let at = masked.find("<<")?;
    let rest = line.get(at + 2..)?;
    let rest = rest.trim_start_matches(['~', '-']);
    let rest = rest.trim_start_matches(['\'', '"']);
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// What a line defines, and where its block opens (`usize::MAX`: no
/// block).
enum Definition {
    Namespace(String),
    Task(Task),
}

/// A `namespace` or `task` definition at the start of a line.
fn definition(line: &str, trimmed: &str, indent: usize) -> Option<(Definition, usize)> {
    let keyword = ["namespace", "multitask", "task"].into_iter().find(|k| {
        trimmed
            .strip_prefix(k)
            .is_some_and(|r| r.starts_with([' ', '(', '\t']))
    })?;
    let masked_rest = &trimmed[keyword.len()..];
    let start = indent + keyword.len();
    // Where its block opens: the first ` do` or `{` outside its arguments.
    let mut opens = usize::MAX;
    let mut depth = 0i32;
    for (at, c) in masked_rest.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            '{' if depth == 0 => {
                opens = start + at;
                break;
            }
            _ => {}
        }
        if depth == 0
            && masked_rest[at..].starts_with("do")
            && masked_rest[..at].ends_with([' ', ')'])
            && !masked_rest[at + 2..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
        {
            opens = start + at;
            break;
        }
    }
    let args_end = if opens == usize::MAX {
        line.len()
    } else {
        opens
    };
    let args = line.get(start..args_end).unwrap_or_default().trim();
    let args = args.strip_prefix('(').unwrap_or(args);
    let args = args.strip_suffix(')').unwrap_or(args).trim();
    if keyword == "namespace" {
        let name = symbol_or_string(args)?;
        return Some((Definition::Namespace(name), opens));
    }
    let (name, rest) = task_name(args)?;
    let rest = rest.trim_start();
    // `task :name, [:a, :b] => deps`: the arguments' names are not tasks.
    let rest = match rest.strip_prefix(',') {
        Some(r) => {
            let r = r.trim_start();
            match r.strip_prefix('[').and_then(|x| x.split_once(']')) {
                Some((_, after)) => after.trim_start(),
                None => r,
            }
        }
        None => rest,
    };
    let deps_text = rest.strip_prefix("=>").map_or(rest, str::trim_start);
    let prereqs = names_in(deps_text);
    Some((
        Definition::Task(Task {
            name,
            prereqs,
            ..Task::default()
        }),
        opens,
    ))
}

/// A task's name at the start of its arguments (`:name`, `"ns:name"`,
/// `name:` as a hash key, `"name" =>`), and what follows it.
fn task_name(args: &str) -> Option<(String, &str)> {
    if let Some(sym) = args.strip_prefix(':') {
        let len = sym
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '?' | '!')))
            .unwrap_or(sym.len());
        return (len > 0).then(|| (sym[..len].to_owned(), &sym[len..]));
    }
    if let Some(q) = args.chars().next().filter(|c| matches!(c, '\'' | '"')) {
        let end = args[1..].find(q)?;
        let name = args[1..=end].to_owned();
        let rest = &args[end + 2..];
        // `"name": deps`.
        let rest = rest.strip_prefix(':').unwrap_or(rest);
        return Some((name, rest));
    }
    // `name: deps`.
    let len = args
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '?' | '!')))
        .unwrap_or(args.len());
    let rest = &args[len..];
    (len > 0 && rest.starts_with(':') && !rest.starts_with("::"))
        .then(|| (args[..len].to_owned(), &rest[1..]))
}

/// The task names in a prerequisites expression (`:a`, `[:a, "ns:b"]`).
fn names_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find([':', '"', '\'']) {
        let piece = &rest[at..];
        // `::` is a constant's path, not a symbol.
        if let Some(after) = piece.strip_prefix("::") {
            rest = after;
            continue;
        }
        let Some(name) = symbol_or_string(piece) else {
            rest = &piece[1..];
            continue;
        };
        let skip = if piece.starts_with(':') {
            1 + name.len()
        } else {
            name.len() + 2
        };
        out.push(name);
        rest = piece.get(skip..).unwrap_or_default();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_are_read_with_their_namespaces() {
        let tasks = parse(
            "namespace :audit do\n  desc \"Reset\"\n  task :reset => [:environment, :backup] do |t, args|\n    sh %(psql -c \"TRUNCATE a\")\n    if x\n      puts 1\n    end\n  end\n  task backup: :environment do\n    system('pg_dump x')\n  end\nend\ntask default: :spec\ntask(:hi) { puts 'hi' }\n",
        );
        let names: Vec<&str> = tasks.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["audit:reset", "audit:backup", "default", "hi"]);
        assert_eq!(tasks[0].prereqs, ["environment", "backup"]);
        assert!(tasks[0].body.contains("TRUNCATE a"));
        assert!(tasks[0].body.contains("puts 1"));
        assert!(!tasks[0].body.contains("|t"));
        assert_eq!(tasks[2].prereqs, ["spec"]);
        assert_eq!(tasks[3].body.trim(), "puts 'hi'");
    }

    #[test]
    fn files_are_looked_for_by_the_goal_names() {
        assert_eq!(
            task_file_names(&["audit:reset".to_owned()]),
            [
                "audit.rake",
                "reset.rake",
                "audit/reset.rake",
                "audit_reset.rake"
            ]
        );
    }
}
