//! `gradle TASK...` and `./gradlew TASK...`: the command an `Exec` task
//! of the project's build script runs, when the script's text is known
//! (`build.gradle.kts` or `build.gradle` in `-p DIR` or the directory
//! gradle runs in, or `-b FILE`; `:sub:task` in the subproject `sub`).
//!
//! A task is found by its definition: Kotlin's `tasks.register<Exec>("x")
//! { ... }`, `tasks.register("x", Exec::class) { ... }`, `task<Exec>("x")`,
//! `tasks.named("x") { ... }`, and Groovy's `task x(type: Exec) { ... }`
//! and `tasks.register('x', Exec) { ... }`. Its `dependsOn("y")` tasks run
//! first; each `commandLine(...)` (`commandLine 'a', 'b'`, `commandLine =
//! listOf(...)`) is a command it runs, else its `executable` with its
//! `args`, in its `workingDir` (a literal, `file("..")`,
//! `layout.projectDirectory.dir("..")`, `rootProject...`, `rootDir`)
//! or the project's directory. Values are evaluated where known: string
//! literals with their `$name` and `${expr}` templates, `+`, the task's
//! and script's `val`/`def` locals, and the project properties the
//! command line sets (`-Pname=value`, `ORG_GRADLE_PROJECT_name`) read by
//! `providers.gradleProperty("name").get()`, `project.property("name")`,
//! `findProperty("name")` (with `?:`, `getOrElse` and `orElse` defaults),
//! and `System.getenv("X")` as the variable `$X`.

use std::collections::HashMap;

use super::source_text::{
    comment_end, is_ident_byte, literal_end, matching, split_top, string_value,
};
use super::{Lookup, MAX_JOBS, MAX_NESTING, find_file, parent};
use crate::args::Arg;
use crate::commands::{Invocation, Nested};
use crate::paths;

/// Gradle's options that take a value.
const VALUED: &[&str] = &[
    "-p",
    "--project-dir",
    "-b",
    "--build-file",
    "-c",
    "--settings-file",
    "-g",
    "--gradle-user-home",
    "-I",
    "--init-script",
    "-x",
    "--exclude-task",
    "-P",
    "--project-prop",
    "-D",
    "--system-prop",
    "--max-workers",
    "--priority",
    "-M",
    "--write-verification-metadata",
    "--include-build",
];

/// Options after which no task runs.
const RUN_NOTHING: &[&str] = &[
    "-m",
    "--dry-run",
    "-h",
    "-?",
    "--help",
    "-v",
    "--version",
    "--stop",
    "--status",
];

/// Calls that define or configure a task named by their first argument.
const DEFINERS: &[&str] = &[
    "register",
    "create",
    "task",
    "named",
    "maybeCreate",
    "getByName",
];

/// A value of a build script's expression.
#[derive(Debug, Clone)]
enum Value {
    Str(Arg),
    List(Vec<Arg>),
}

/// A project: its build script's text and directories, and the
/// properties the command line sets.
struct Project {
    text: String,
    dir: String,
    root: String,
    props: HashMap<String, String>,
}

/// The jobs of a `gradle`/`gradlew` command line, from the build script known.
pub(super) fn gradle(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let mut dir = inv.cwd.to_owned();
    let mut build_file = None;
    let mut props = HashMap::new();
    let mut tasks = Vec::new();
    let mut words = inv.args.iter();
    while let Some(arg) = words.next() {
        let text = arg.text.as_str();
        if !text.starts_with('-') {
            tasks.push(text.to_owned());
            continue;
        }
        let attached = ["-P", "-D"].into_iter().find_map(|flag| {
            text.strip_prefix(flag)
                .filter(|v| !v.is_empty())
                .map(|v| (flag, v))
        });
        let (name, value) = match (attached, text.split_once('=')) {
            (Some((flag, value)), _) => (flag, Some(value.to_owned())),
            (None, Some((name, value))) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (text, None),
        };
        if RUN_NOTHING.contains(&name) {
            return Vec::new();
        }
        if !VALUED.contains(&name) {
            continue;
        }
        let Some(value) = value.or_else(|| words.next().map(|v| v.text.clone())) else {
            break;
        };
        match name {
            "-p" | "--project-dir" => dir = inv.path(&value),
            "-b" | "--build-file" => build_file = Some(inv.path(&value)),
            "-P" | "--project-prop" => {
                if let Some((key, value)) = value.split_once('=') {
                    props.insert(key.to_owned(), value.to_owned());
                }
            }
            "-D" | "--system-prop" => {
                if let Some((key, value)) = value
                    .strip_prefix("org.gradle.project.")
                    .and_then(|v| v.split_once('='))
                {
                    props.insert(key.to_owned(), value.to_owned());
                }
            }
            _ => {}
        }
    }
    for (name, value) in inv.env {
        if let Some(key) = name.strip_prefix("ORG_GRADLE_PROJECT_") {
            props
                .entry(key.to_owned())
                .or_insert_with(|| value.text.clone());
        }
    }
    let root = find_file(
        &dir,
        &["settings.gradle.kts", "settings.gradle"],
        true,
        text_of,
    )
    .map_or_else(|| dir.clone(), |(root, _, _)| root);
    let mut jobs = Vec::new();
    for task in tasks {
        // `:sub:name`: the task of the subproject `sub`.
        let (project_path, name) = match task.rsplit_once(':') {
            Some((path, name)) => (
                path.trim_start_matches(':').replace(':', "/"),
                name.to_owned(),
            ),
            None => (String::new(), task.clone()),
        };
        let base = if task.starts_with(':') { &root } else { &dir };
        let project_dir = if project_path.is_empty() {
            base.clone()
        } else {
            paths::resolve(base, "/", &project_path)
        };
        let found = match &build_file {
            Some(path) if project_path.is_empty() => text_of(path).map(|text| (parent(path), text)),
            _ => find_file(
                &project_dir,
                &["build.gradle.kts", "build.gradle"],
                false,
                text_of,
            )
            .map(|(dir, _, text)| (dir, text)),
        };
        let Some((project_dir, text)) = found else {
            continue;
        };
        let project = Project {
            text,
            dir: project_dir,
            root: root.clone(),
            props: props.clone(),
        };
        project.run(&name, 0, &mut jobs);
    }
    jobs
}

impl Project {
    /// Adds the commands of task `name`, after those of its dependencies.
    fn run(&self, name: &str, depth: usize, jobs: &mut Vec<Nested>) {
        if depth > MAX_NESTING || jobs.len() >= MAX_JOBS {
            return;
        }
        let mut locals = self.script_locals();
        for body in task_bodies(&self.text, name) {
            let mut working_dir = self.dir.clone();
            let mut commands: Vec<Vec<Arg>> = Vec::new();
            let mut executable: Option<Arg> = None;
            let mut arguments: Vec<Arg> = Vec::new();
            for (key, value) in statements(&body) {
                match key.as_str() {
                    "val" | "def" | "var" => {
                        if let Some((name, expr)) = value.split_once('=') {
                            let name = name.split(':').next().unwrap_or_default().trim();
                            if let Some(value) = self.eval(expr, &locals) {
                                locals.insert(name.to_owned(), value);
                            }
                        }
                    }
                    "dependsOn" => {
                        for dependency in split_top(&value, b',') {
                            if let Some(dependency) = string_value(dependency) {
                                self.run(&dependency, depth + 1, jobs);
                            }
                        }
                    }
                    "workingDir" => {
                        if let Some(Value::Str(path)) = self.eval(&value, &locals) {
                            working_dir = paths::resolve(&self.dir, "/", &path.text);
                        }
                    }
                    "commandLine" => commands.push(self.list(&value, &locals)),
                    "executable" => {
                        if let Some(Value::Str(program)) = self.eval(&value, &locals) {
                            executable = Some(program);
                        }
                    }
                    "args" => arguments.extend(self.list(&value, &locals)),
                    _ => {}
                }
            }
            if commands.is_empty()
                && let Some(program) = executable
            {
                commands.push(std::iter::once(program).chain(arguments).collect());
            }
            for argv in commands.into_iter().filter(|argv| {
                argv.first()
                    .is_some_and(|p| !p.dynamic && !p.text.is_empty())
            }) {
                jobs.push(Nested::Argv {
                    argv,
                    env: Vec::new(),
                    cwd: Some(working_dir.clone()),
                });
            }
        }
    }

    /// The directories a script names, as locals.
    fn script_locals(&self) -> HashMap<String, Value> {
        let mut locals = HashMap::new();
        for (name, dir) in [
            ("projectDir", &self.dir),
            ("project.projectDir", &self.dir),
            ("layout.projectDirectory", &self.dir),
            ("project.layout.projectDirectory", &self.dir),
            ("rootDir", &self.root),
            ("project.rootDir", &self.root),
            ("rootProject.projectDir", &self.root),
            ("rootProject.rootDir", &self.root),
            ("rootProject.layout.projectDirectory", &self.root),
        ] {
            locals.insert(name.to_owned(), Value::Str(Arg::literal(dir)));
        }
        locals
    }

    /// The words of a command line's value: a list, or items separated by commas.
    fn list(&self, value: &str, locals: &HashMap<String, Value>) -> Vec<Arg> {
        let mut words = Vec::new();
        for piece in split_top(value, b',') {
            match self.eval(piece, locals) {
                Some(Value::Str(arg)) => words.push(arg),
                Some(Value::List(items)) => words.extend(items),
                None => words.push(Arg {
                    text: format!("${{{piece}}}"),
                    dynamic: true,
                    ..Arg::default()
                }),
            }
        }
        words
    }

    /// The value of a Kotlin or Groovy expression, when its parts are known.
    fn eval(&self, expr: &str, locals: &HashMap<String, Value>) -> Option<Value> {
        let mut expr = expr.trim();
        // `A ?: B`: B when A is not known (a property not set).
        if let [first, fallback] = split_elvis(expr).as_slice() {
            return self
                .eval(first, locals)
                .or_else(|| self.eval(fallback, locals));
        }
        let terms = split_top(expr, b'+');
        if terms.len() > 1 {
            let mut out = Arg::default();
            for term in terms {
                match self.eval(term, locals)? {
                    Value::Str(part) => absorb(&mut out, &part),
                    Value::List(_) => return None,
                }
            }
            return Some(Value::Str(out));
        }
        for suffix in [
            " as String?",
            " as String",
            " as File",
            "!!",
            "?.toString()",
            ".toString()",
            ".get()",
            ".asFile",
            ".path",
            ".absolutePath",
        ] {
            if let Some(stripped) = expr.strip_suffix(suffix) {
                return self.eval(stripped, locals);
            }
        }
        if expr.starts_with('"') && !expr.starts_with("'") {
            let text = string_value(expr)?;
            return Some(Value::Str(self.template(&text, locals)));
        }
        if let Some(text) = string_value(expr) {
            return Some(Value::Str(Arg::literal(&text)));
        }
        if expr.bytes().all(|b| is_ident_byte(b) || b == b'.') {
            return locals.get(expr).cloned();
        }
        if let Some(inside) = expr.strip_prefix('[').and_then(|e| e.strip_suffix(']')) {
            return Some(Value::List(self.list(inside, locals)));
        }
        expr = expr.strip_suffix(')')?;
        let open = last_call_open(expr)?;
        let head = expr.get(..open)?.trim();
        let inside = expr.get(open + 1..)?;
        let (receiver, method) = match head.rsplit_once('.') {
            Some((receiver, method)) => (receiver.trim_end_matches('?'), method),
            None => ("", head),
        };
        let method = method.split('<').next().unwrap_or(method);
        let arg = || match self.eval(inside, locals) {
            Some(Value::Str(arg)) => Some(arg),
            _ => None,
        };
        match method {
            "gradleProperty" | "property" | "findProperty" | "getProperty" => {
                let name = string_value(inside)?;
                self.props
                    .get(&name)
                    .map(|value| Value::Str(Arg::literal(value)))
            }
            "getenv" | "environmentVariable" => {
                let name = string_value(inside)?;
                Some(Value::Str(Arg {
                    text: format!("${name}"),
                    env: vec![name],
                    dynamic: true,
                    ..Arg::default()
                }))
            }
            "getOrElse" | "orElse" => self
                .eval(receiver, locals)
                .or_else(|| self.eval(inside, locals)),
            "listOf" | "arrayOf" | "mutableListOf" => Some(Value::List(self.list(inside, locals))),
            "file" | "dir" | "resolve" | "File" => {
                let base = match receiver {
                    "" | "project" => self.dir.clone(),
                    "rootProject" => self.root.clone(),
                    _ => match self.eval(receiver, locals)? {
                        Value::Str(base) => base.text,
                        Value::List(_) => return None,
                    },
                };
                let pieces = split_top(inside, b',');
                let path = match pieces.as_slice() {
                    // `File(dir, "x")`.
                    [dir, name] => {
                        let Value::Str(dir) = self.eval(dir, locals)? else {
                            return None;
                        };
                        let Value::Str(name) = self.eval(name, locals)? else {
                            return None;
                        };
                        paths::resolve(&paths::resolve(&base, "/", &dir.text), "/", &name.text)
                    }
                    _ => paths::resolve(&base, "/", &arg()?.text),
                };
                Some(Value::Str(Arg::literal(&path)))
            }
            _ => None,
        }
    }

    /// A double-quoted string's `$name` and `${expr}` templates filled in.
    fn template(&self, text: &str, locals: &HashMap<String, Value>) -> Arg {
        let mut out = Arg::default();
        let mut rest = text;
        while let Some(at) = rest.find('$') {
            out.text.push_str(rest.get(..at).unwrap_or_default());
            let after = rest.get(at + 1..).unwrap_or_default();
            let (expr, len) = if after.starts_with('{') {
                match matching(after, 0) {
                    Some(close) => (after.get(1..close).unwrap_or_default(), close + 1),
                    None => (after, after.len()),
                }
            } else {
                let len = after.bytes().take_while(|b| is_ident_byte(*b)).count();
                (after.get(..len).unwrap_or_default(), len)
            };
            if expr.is_empty() {
                out.text.push('$');
            } else {
                match self.eval(expr, locals) {
                    Some(Value::Str(value)) => absorb(&mut out, &value),
                    _ => absorb(
                        &mut out,
                        &Arg {
                            text: format!("${{{expr}}}"),
                            dynamic: true,
                            ..Arg::default()
                        },
                    ),
                }
            }
            rest = after.get(len..).unwrap_or_default();
        }
        out.text.push_str(rest);
        out
    }
}

/// `expr` split at its first top-level `?:`.
fn split_elvis(expr: &str) -> Vec<&str> {
    let bytes = expr.as_bytes();
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if let Some(end) = literal_end(expr, at).or_else(|| comment_end(expr, at)) {
            at = end;
            continue;
        }
        match byte {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'?' if depth == 0 && bytes.get(at + 1) == Some(&b':') => {
                return vec![
                    expr.get(..at).unwrap_or_default().trim(),
                    expr.get(at + 2..).unwrap_or_default().trim(),
                ];
            }
            _ => {}
        }
        at += 1;
    }
    vec![expr]
}

/// The index of the `(` whose call's arguments run to the end of `expr`
/// (which has had its closing `)` taken off).
fn last_call_open(expr: &str) -> Option<usize> {
    let closed = format!("{expr})");
    let mut at = 0;
    let bytes = closed.as_bytes();
    let mut last = None;
    while let Some(&byte) = bytes.get(at) {
        if let Some(end) = literal_end(&closed, at) {
            at = end;
            continue;
        }
        if byte == b'(' {
            let close = matching(&closed, at)?;
            if close + 1 == closed.len() {
                last = Some(at);
                break;
            }
            at = close + 1;
            continue;
        }
        at += 1;
    }
    last
}

/// The bodies (the text inside `{ ... }`) of the definitions and
/// configurations of task `name` in `text`, in order.
fn task_bodies(text: &str, name: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut bodies = Vec::new();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if let Some(end) = comment_end(text, at) {
            at = end;
            continue;
        }
        if let Some(end) = literal_end(text, at) {
            let names_it =
                string_value(text.get(at..end).unwrap_or_default()).as_deref() == Some(name);
            if names_it && defines_at(text, at) {
                bodies.extend(body_after(text, end));
            }
            at = end;
            continue;
        }
        // Groovy's `task name(type: Exec) {` and `task name {`.
        let word_start = at == 0
            || bytes
                .get(at - 1)
                .is_some_and(|b| !is_ident_byte(*b) && *b != b'.');
        if byte == b't' && word_start && text.get(at..).is_some_and(|r| r.starts_with("task ")) {
            let rest = text.get(at + 5..).unwrap_or_default();
            let trimmed = rest.trim_start();
            let len = trimmed.bytes().take_while(|b| is_ident_byte(*b)).count();
            if trimmed.get(..len) == Some(name) {
                let after = at + 5 + (rest.len() - trimmed.len()) + len;
                bodies.extend(body_after(text, after));
            }
        }
        at += 1;
    }
    bodies
}

/// True when the literal at `at` is the first argument of a call that
/// defines or configures a task (`register<Exec>(`, `named(`, `task(`).
fn defines_at(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or_default().trim_end();
    let Some(before) = before.strip_suffix('(') else {
        return false;
    };
    let mut call = before.trim_end();
    // `register<Exec>`: the type argument.
    if call.ends_with('>')
        && let Some(open) = call.rfind('<')
    {
        call = call.get(..open).unwrap_or_default();
    }
    let len = call.bytes().rev().take_while(|b| is_ident_byte(*b)).count();
    let name = call.get(call.len() - len..).unwrap_or_default();
    DEFINERS.contains(&name)
}

/// The block `{ ... }` that follows position `from` (after a call's
/// arguments, when it has them), as its inner text.
fn body_after(text: &str, from: usize) -> Option<String> {
    let mut at = from;
    let bytes = text.as_bytes();
    loop {
        while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
            at += 1;
        }
        match bytes.get(at)? {
            b'{' => {
                let close = matching(text, at)?;
                return text.get(at + 1..close).map(str::to_owned);
            }
            b')' | b',' => at += 1,
            b'(' => at = matching(text, at)? + 1,
            _ if literal_end(text, at).is_some() => at = literal_end(text, at)?,
            // `Exec::class`, `type: Exec`: the rest of the call's arguments.
            b if is_ident_byte(*b) || matches!(b, b':' | b'.' | b'<' | b'>') => at += 1,
            _ => return None,
        }
    }
}

/// The statements of a block as `(keyword, rest)`: `val x = e` is
/// `("val", "x = e")`, `commandLine("a", "b")` and `commandLine 'a', 'b'`
/// are `("commandLine", "\"a\", \"b\"")`, `workingDir = e` is
/// `("workingDir", "e")`. Nested blocks (`doLast { exec { ... } }`) are
/// read as statements too.
fn statements(body: &str) -> Vec<(String, String)> {
    let bytes = body.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if let Some(end) = literal_end(body, at).or_else(|| comment_end(body, at)) {
            at = end;
            continue;
        }
        let word_start = bytes.get(at).is_some_and(|b| b.is_ascii_alphabetic())
            && (at == 0
                || bytes
                    .get(at - 1)
                    .is_some_and(|b| !is_ident_byte(*b) && *b != b'.'));
        if !word_start {
            at += 1;
            continue;
        }
        let len = body
            .get(at..)
            .unwrap_or_default()
            .bytes()
            .take_while(|b| is_ident_byte(*b))
            .count();
        let key = body.get(at..at + len).unwrap_or_default();
        let mut next = at + len;
        while bytes.get(next).is_some_and(|b| *b == b' ' || *b == b'\t') {
            next += 1;
        }
        let rest = body.get(next..).unwrap_or_default();
        let value = if rest.starts_with('(') {
            matching(body, next).and_then(|close| body.get(next + 1..close))
        } else if rest.starts_with('=') && !rest.starts_with("==") {
            Some(line_value(body, next + 1))
        } else if matches!(key, "val" | "def" | "var") || rest.starts_with(['"', '\'', '[']) {
            Some(line_value(body, next))
        } else {
            None
        };
        match value {
            Some(value) if !matches!(key, "if" | "when" | "for" | "while") => {
                found.push((key.to_owned(), value.trim().to_owned()));
                at = next + value.len().max(1);
            }
            _ => at = next.max(at + 1),
        }
    }
    found
}

/// The text from `start` to the end of its line (brackets spanning lines kept whole).
fn line_value(code: &str, start: usize) -> &str {
    let bytes = code.as_bytes();
    let mut at = start;
    while let Some(&byte) = bytes.get(at) {
        if let Some(end) = literal_end(code, at).or_else(|| comment_end(code, at).filter(|_| false))
        {
            at = end;
            continue;
        }
        match byte {
            b'\n' | b';' => break,
            b'(' | b'[' | b'{' => match matching(code, at) {
                Some(close) => at = close + 1,
                None => return code.get(start..).unwrap_or_default(),
            },
            b'/' if bytes.get(at + 1) == Some(&b'/') => break,
            _ => at += 1,
        }
    }
    code.get(start..at).unwrap_or_default()
}

/// `part` appended to `into`: its text and what its expansions carry.
fn absorb(into: &mut Arg, part: &Arg) {
    into.text.push_str(&part.text);
    into.env.extend(part.env.iter().cloned());
    crate::flow::merge(&mut into.prov, &part.prov);
    into.dynamic |= part.dynamic;
}
