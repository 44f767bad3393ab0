//! `gradle TASK...` and `./gradlew TASK...`: what a task of the project's
//! build scripts does, when the scripts' text is known.
//!
//! The scripts: `build.gradle.kts` or `build.gradle` in `-p DIR` or the
//! directory gradle runs in, or `-b FILE` (`:sub:task` in the subproject
//! `sub`, below the root a `settings.gradle(.kts)` marks); the script
//! plugins it applies (`apply(from = "gradle/release.gradle.kts")`,
//! Groovy's `apply from: '...'`); the init scripts the line gives (`-I
//! FILE`, `--init-script FILE`). When the task is in none of them (the
//! applying build script not known), a known script of the project's
//! `gradle/` directory named after the task (`gradle/release.gradle.kts`
//! for `releaseNotes`) that defines it is read instead.
//!
//! A task is found by its definition: Kotlin's `tasks.register<Exec>("x")
//! { ... }`, `tasks.register("x", Exec::class) { ... }`, `task<Exec>("x")`,
//! `tasks.named("x") { ... }`, `tasks.x { ... }`, the delegated `val x by
//! tasks.registering(Exec::class) { ... }` (`creating`, `getting`,
//! `existing`), and Groovy's `task x(type: Exec) { ... }` and
//! `tasks.register('x', Exec) { ... }`. Its `dependsOn(...)` tasks run
//! first (`"y"`, `tasks.named("y")`, a delegated task's `val`), its
//! `finalizedBy(...)` tasks after, each task once, none the line excludes
//! (`-x y`). Each `commandLine(...)` (`commandLine 'a', 'b'`, `commandLine =
//! listOf(...)`, in the task or in a `doLast { project.exec { ... } }`) is
//! a command it runs, else its `executable` with its `args`, with its
//! `environment("K", v)`, in its `workingDir` (a literal, `file("..")`,
//! `layout.projectDirectory.dir("..")`, `rootProject...`, `rootDir`) or the
//! project's directory. A `Copy` or `Sync` task, and a `copy { ... }`
//! block, copies its `from(...)` into its `into(...)`, as `cp -R` would.
//!
//! Values are evaluated where known: string literals with their escapes
//! (`\$` is a `$` the shell sees) and `$name`/`${expr}` templates, raw
//! `"""..."""` strings, `+`, the task's and script's `val`/`def` locals,
//! the project's directories (`layout.buildDirectory` is its `build/`),
//! the project properties the command line sets (`-Pname=value`,
//! `ORG_GRADLE_PROJECT_name`) read by `providers.gradleProperty("name")`,
//! `project.property("name")`, `findProperty("name")` (with `?:`,
//! `getOrElse` and `orElse` defaults), the system properties
//! (`System.getProperty("user.home")` is the home directory, `-Dname=value`
//! sets others), and `System.getenv("X")` as the variable `$X`.

use std::collections::{HashMap, HashSet};

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
    "--console",
    "--warning-mode",
    "--project-cache-dir",
    "-F",
    "--dependency-verification",
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

/// The `tasks` container's delegates that define or configure the task
/// named by the `val` they are assigned to (`val x by tasks.registering`).
const DELEGATES: &[&str] = &["registering", "creating", "getting", "existing"];

/// Task types that copy their `from` into their `into`.
const COPY_TYPES: &[&str] = &["Copy", "Sync"];

/// How deep script plugins applying script plugins are followed.
const MAX_APPLIED: usize = 4;

/// Script plugins' usual names besides the task's own words.
const USUAL_SCRIPTS: &[&str] = &["tasks", "scripts", "ci", "release", "publishing"];

/// A value of a build script's expression.
#[derive(Debug, Clone)]
enum Value {
    Str(Arg),
    List(Vec<Arg>),
}

/// One definition or configuration of a task: the body of its block and
/// whether its type copies files.
struct TaskBlock {
    body: String,
    copies: bool,
}

/// What a gradle command line asks for.
#[derive(Default)]
struct Line {
    dir: String,
    build_file: Option<String>,
    init_scripts: Vec<String>,
    props: HashMap<String, String>,
    system_props: HashMap<String, String>,
    excluded: Vec<String>,
    tasks: Vec<String>,
}

/// A project: its build scripts' text and directories, and the
/// properties the command line sets.
struct Project<'l> {
    text: String,
    dir: String,
    root: String,
    home: String,
    line: &'l Line,
}

/// The jobs of a `gradle`/`gradlew` command line, from the build scripts known.
pub(super) fn gradle(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let Some(line) = parse_line(inv) else {
        return Vec::new();
    };
    let root = find_file(
        &line.dir,
        &["settings.gradle.kts", "settings.gradle"],
        true,
        text_of,
    )
    .map_or_else(|| line.dir.clone(), |(root, _, _)| root);
    let init_texts: Vec<String> = line
        .init_scripts
        .iter()
        .filter_map(|path| text_of(path))
        .collect();
    let mut jobs = Vec::new();
    let mut done = HashSet::new();
    for task in &line.tasks {
        // `:sub:name`: the task of the subproject `sub`.
        let (project_path, name) = match task.rsplit_once(':') {
            Some((path, name)) => (path.trim_start_matches(':').replace(':', "/"), name),
            None => (String::new(), task.as_str()),
        };
        let base = if task.starts_with(':') {
            &root
        } else {
            &line.dir
        };
        let dir = if project_path.is_empty() {
            base.clone()
        } else {
            paths::resolve(base, "/", &project_path)
        };
        let mut project = Project {
            text: String::new(),
            dir,
            root: root.clone(),
            home: inv.home.to_owned(),
            line: &line,
        };
        project.read_scripts(name, project_path.is_empty(), &init_texts, text_of);
        if !project.text.is_empty() {
            project.run(name, 0, &mut done, &mut jobs);
        }
    }
    jobs.truncate(MAX_JOBS);
    jobs
}

/// The directory, build file, scripts, properties and tasks of a gradle
/// command line; `None` when it runs no task (`--dry-run`, `--help`).
fn parse_line(inv: &Invocation<'_>) -> Option<Line> {
    let mut line = Line {
        dir: inv.cwd.to_owned(),
        ..Line::default()
    };
    let mut words = inv.args.iter();
    while let Some(arg) = words.next() {
        let text = arg.text.as_str();
        if !text.starts_with('-') {
            line.tasks.push(text.to_owned());
            continue;
        }
        let attached = ["-P", "-D", "-I", "-x"].into_iter().find_map(|flag| {
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
            return None;
        }
        if !VALUED.contains(&name) {
            continue;
        }
        let Some(value) = value.or_else(|| words.next().map(|v| v.text.clone())) else {
            break;
        };
        match name {
            "-p" | "--project-dir" => line.dir = inv.path(&value),
            "-b" | "--build-file" => line.build_file = Some(inv.path(&value)),
            "-I" | "--init-script" => line.init_scripts.push(inv.path(&value)),
            "-x" | "--exclude-task" => line.excluded.push(value),
            "-P" | "--project-prop" => {
                if let Some((key, value)) = value.split_once('=') {
                    line.props.insert(key.to_owned(), value.to_owned());
                }
            }
            "-D" | "--system-prop" => {
                if let Some((key, value)) = value.split_once('=') {
                    match key.strip_prefix("org.gradle.project.") {
                        Some(key) => line.props.insert(key.to_owned(), value.to_owned()),
                        None => line.system_props.insert(key.to_owned(), value.to_owned()),
                    };
                }
            }
            _ => {}
        }
    }
    for (name, value) in inv.env {
        if let Some(key) = name.strip_prefix("ORG_GRADLE_PROJECT_") {
            line.props
                .entry(key.to_owned())
                .or_insert_with(|| value.text.clone());
        }
    }
    Some(line)
}

/// The first known script of the project's (else the root's) `gradle/`
/// directory named after task `name` that defines it: its camel-case
/// words' prefixes joined as they are, by `-` or by `_` (`release`,
/// `releaseNotes`, `release-notes`, `release_notes`), each word alone, and
/// the usual names of script plugins.
fn guessed_script(dir: &str, root: &str, name: &str, text_of: &Lookup<'_>) -> Option<String> {
    let words = camel_words(name);
    let mut stems: Vec<String> = Vec::new();
    for n in 1..=words.len() {
        let prefix = words.get(..n).unwrap_or_default();
        stems.push(camel_join(prefix));
        stems.push(prefix.join("-"));
        stems.push(prefix.join("_"));
    }
    stems.extend(words.iter().cloned());
    stems.extend(USUAL_SCRIPTS.iter().map(|s| (*s).to_owned()));
    let mut seen = HashSet::new();
    stems.retain(|stem| seen.insert(stem.clone()));
    let mut dirs = vec![dir];
    if root != dir {
        dirs.push(root);
    }
    dirs.into_iter().find_map(|dir| {
        stems.iter().find_map(|stem| {
            [".gradle.kts", ".gradle"]
                .into_iter()
                .find_map(|extension| {
                    let path = paths::resolve(dir, "/", &format!("gradle/{stem}{extension}"));
                    text_of(&path).filter(|text| !task_blocks(text, name).is_empty())
                })
        })
    })
}

/// The lower-cased words of a camel-case name (`releaseNotes` is
/// `release`, `notes`); `-` and `_` separate words too.
fn camel_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in name.chars() {
        if c == '-' || c == '_' || c.is_uppercase() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            if c == '-' || c == '_' {
                continue;
            }
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Words joined in camel case (`release`, `notes` is `releaseNotes`).
fn camel_join(words: &[String]) -> String {
    let mut out = String::new();
    for (i, word) in words.iter().enumerate() {
        let mut chars = word.chars();
        match chars.next() {
            Some(first) if i > 0 => {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
            _ => out.push_str(word),
        }
    }
    out
}

impl Project<'_> {
    /// Reads the scripts that define the project's tasks: its build
    /// script (the line's `-b FILE` for the project gradle runs in) with
    /// the script plugins it applies, the line's init scripts, and, when
    /// none of them has task `name`, the `gradle/` script named after it.
    fn read_scripts(
        &mut self,
        name: &str,
        line_project: bool,
        init_texts: &[String],
        text_of: &Lookup<'_>,
    ) {
        let found = match &self.line.build_file {
            Some(path) if line_project => text_of(path).map(|text| (parent(path), text)),
            _ => find_file(
                &self.dir,
                &["build.gradle.kts", "build.gradle"],
                false,
                text_of,
            )
            .map(|(dir, _, text)| (dir, text)),
        };
        if let Some((dir, text)) = found {
            self.dir = dir;
            self.text = self.with_applied(text, 0, text_of);
        }
        for init in init_texts {
            self.text.push('\n');
            self.text.push_str(init);
        }
        if task_blocks(&self.text, name).is_empty()
            && let Some(text) = guessed_script(&self.dir, &self.root, name, text_of)
        {
            let text = self.with_applied(text, 0, text_of);
            self.text.push('\n');
            self.text.push_str(&text);
        }
    }

    /// A script's text followed by that of the known script plugins it
    /// applies (`apply(from = "gradle/x.gradle.kts")`, `apply from:
    /// file('x.gradle')`), theirs in turn.
    fn with_applied(&self, text: String, depth: usize, text_of: &Lookup<'_>) -> String {
        if depth >= MAX_APPLIED {
            return text;
        }
        let locals = self.script_locals(&text);
        let mut out = text.clone();
        for expr in applied_from(&text) {
            let Some(Value::Str(path)) = self.eval(&expr, &locals) else {
                continue;
            };
            if path.dynamic || path.text.contains("://") {
                continue;
            }
            let path = paths::resolve(&self.dir, &self.home, &path.text);
            if let Some(applied) = text_of(&path) {
                out.push('\n');
                out.push_str(&self.with_applied(applied, depth + 1, text_of));
            }
        }
        out
    }

    /// Adds the commands of task `name`, after those of its dependencies
    /// and before those of the tasks it is finalized by.
    fn run(&self, name: &str, depth: usize, done: &mut HashSet<String>, jobs: &mut Vec<Nested>) {
        if depth > MAX_NESTING
            || jobs.len() >= MAX_JOBS
            || self.line.excluded.iter().any(|x| x == name)
            || !done.insert(name.to_owned())
        {
            return;
        }
        let script_locals = self.script_locals(&self.text);
        let mut finalizers = Vec::new();
        for block in task_blocks(&self.text, name) {
            let mut locals = script_locals.clone();
            let mut working_dir = self.dir.clone();
            let mut commands: Vec<Vec<Arg>> = Vec::new();
            let mut executable: Option<Arg> = None;
            let mut arguments: Vec<Arg> = Vec::new();
            let mut env: Vec<(String, Arg)> = Vec::new();
            for (key, value) in statements(&block.body) {
                match key.as_str() {
                    "val" | "def" | "var" => self.bind(&value, &mut locals),
                    "dependsOn" => {
                        for dependency in split_top(&value, ",") {
                            if let Some(dependency) = task_reference(dependency) {
                                self.run(&dependency, depth + 1, done, jobs);
                            }
                        }
                    }
                    "finalizedBy" => {
                        finalizers.extend(
                            split_top(&value, ",")
                                .into_iter()
                                .filter_map(task_reference),
                        );
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
                    "environment" => {
                        if let [name, value] = split_top(&value, ",").as_slice()
                            && let Some(name) = string_value(name)
                            && let Some(Value::Str(value)) = self.eval(value, &locals)
                        {
                            env.push((name, value));
                        }
                    }
                    _ => {}
                }
            }
            if block.copies {
                jobs.extend(self.copy(&block.body, &locals));
            }
            for spec in copy_blocks(&block.body) {
                jobs.extend(self.copy(&spec, &locals));
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
                    env: env.clone(),
                    cwd: Some(working_dir.clone()),
                });
            }
        }
        for finalizer in finalizers {
            self.run(&finalizer, depth + 1, done, jobs);
        }
    }

    /// A copy spec's `from(...)` copied into its `into(...)` (the first
    /// one of the spec's own, not of a nested child spec), as `cp -R
    /// SOURCE... DESTINATION` run in the project's directory.
    fn copy(&self, spec: &str, locals: &HashMap<String, Value>) -> Option<Nested> {
        let own = top_level(spec);
        let mut sources = Vec::new();
        let mut destination = None;
        for (key, value) in statements(&own) {
            match key.as_str() {
                "from" => sources.extend(self.list(&value, locals)),
                "into" | "destinationDir" if destination.is_none() => {
                    destination = match self.eval(&value, locals) {
                        Some(Value::Str(path)) => Some(path),
                        _ => None,
                    };
                }
                _ => {}
            }
        }
        let destination = destination?;
        let argv = [Arg::literal("cp"), Arg::literal("-R")]
            .into_iter()
            .chain(sources)
            .chain(std::iter::once(destination))
            .collect();
        Some(Nested::Argv {
            argv,
            env: Vec::new(),
            cwd: Some(self.dir.clone()),
        })
    }

    /// Binds a `val`'s (`def`'s, `var`'s) `name = expr` among `locals`, when
    /// its value is known.
    fn bind(&self, declaration: &str, locals: &mut HashMap<String, Value>) {
        if let Some((name, expr)) = declaration.split_once('=') {
            let name = name.split(':').next().unwrap_or_default().trim();
            if let Some(value) = self.eval(expr, locals) {
                locals.insert(name.to_owned(), value);
            }
        }
    }

    /// The directories a script names, and the values of the `val`s (`def`s)
    /// at its top level, as locals.
    fn script_locals(&self, text: &str) -> HashMap<String, Value> {
        let build = paths::resolve(&self.dir, "/", "build");
        let gradle_home = paths::resolve(&self.home, "/", ".gradle");
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
            ("buildDir", &build),
            ("project.buildDir", &build),
            ("layout.buildDirectory", &build),
            ("project.layout.buildDirectory", &build),
            ("gradle.gradleUserHomeDir", &gradle_home),
        ] {
            locals.insert(name.to_owned(), Value::Str(Arg::literal(dir)));
        }
        for (key, value) in statements(&top_level(text)) {
            if matches!(key.as_str(), "val" | "def" | "var") {
                self.bind(&value, &mut locals);
            }
        }
        locals
    }

    /// The words of a command line's value: a list, or items separated by commas.
    fn list(&self, value: &str, locals: &HashMap<String, Value>) -> Vec<Arg> {
        let mut words = Vec::new();
        for piece in split_top(value, ",") {
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
        let terms = split_top(expr, "+");
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
        if let Some(text) = self.literal(expr, locals) {
            return Some(Value::Str(text));
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
            "getProperty" if receiver == "System" => self.system_property(inside),
            "systemProperty" => self.system_property(inside),
            "gradleProperty" | "property" | "findProperty" | "getProperty" => {
                let name = string_value(inside)?;
                self.line
                    .props
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
                let pieces = split_top(inside, ",");
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

    /// A JVM system property: the home directory for `user.home`, the
    /// project's directory for `user.dir`, else what the line's `-D` sets.
    fn system_property(&self, inside: &str) -> Option<Value> {
        let name = string_value(inside)?;
        let value = match name.as_str() {
            "user.home" => self.home.clone(),
            "user.dir" => self.root.clone(),
            _ => self.line.system_props.get(&name)?.clone(),
        };
        Some(Value::Str(Arg::literal(&value)))
    }

    /// The value of `piece` when it is one string literal: a double-quoted
    /// string's escapes read and templates filled in, a raw `"""..."""`
    /// string's templates filled in, single-quoted ones as written.
    fn literal(&self, piece: &str, locals: &HashMap<String, Value>) -> Option<Arg> {
        if literal_end(piece, 0)? != piece.len() {
            return None;
        }
        if let Some(inner) = piece
            .strip_prefix("\"\"\"")
            .and_then(|p| p.strip_suffix("\"\"\""))
        {
            return Some(self.template(inner, false, locals));
        }
        if let Some(inner) = piece.strip_prefix('"').and_then(|p| p.strip_suffix('"')) {
            return Some(self.template(inner, true, locals));
        }
        string_value(piece).map(|text| Arg::literal(&text))
    }

    /// A string's `$name` and `${expr}` templates filled in, and with
    /// `escapes` its backslash escapes read: `\$` is a `$` of the text
    /// (one a shell running it expands), not a template.
    fn template(&self, text: &str, escapes: bool, locals: &HashMap<String, Value>) -> Arg {
        let mut out = Arg::default();
        let bytes = text.as_bytes();
        let mut at = 0;
        let mut plain = 0;
        while let Some(&byte) = bytes.get(at) {
            if byte == b'\\' && escapes {
                out.text.push_str(text.get(plain..at).unwrap_or_default());
                let escaped = text.get(at + 1..).and_then(|r| r.chars().next());
                match escaped {
                    Some('n') => out.text.push('\n'),
                    Some('t') => out.text.push('\t'),
                    Some('r') => out.text.push('\r'),
                    Some(other) => out.text.push(other),
                    None => {}
                }
                at += 1 + escaped.map_or(0, char::len_utf8);
                plain = at;
                continue;
            }
            if byte != b'$' {
                at += 1;
                continue;
            }
            let after = text.get(at + 1..).unwrap_or_default();
            let (expr, len) = if after.starts_with('{') {
                match matching(after, 0) {
                    Some(close) => (after.get(1..close).unwrap_or_default(), close + 1),
                    None => (after, after.len()),
                }
            } else if after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
                let len = after.bytes().take_while(|b| is_ident_byte(*b)).count();
                (after.get(..len).unwrap_or_default(), len)
            } else {
                // A `$` no name follows is the character.
                at += 1;
                continue;
            };
            out.text.push_str(text.get(plain..at).unwrap_or_default());
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
            at += 1 + len;
            plain = at;
        }
        out.text.push_str(text.get(plain..).unwrap_or_default());
        out
    }
}

/// A task a `dependsOn`/`finalizedBy` argument names: a string (`"y"`,
/// `":y"`), `tasks.named("y")`, `tasks.getByName("y")`, `tasks["y"]`,
/// `tasks.y`, or the `val` a delegated task is assigned to (`y`).
fn task_reference(piece: &str) -> Option<String> {
    let piece = piece.trim();
    if let Some(name) = string_value(piece) {
        return Some(name.rsplit(':').next().unwrap_or_default().to_owned());
    }
    for call in ["tasks.named", "tasks.getByName", "tasks.findByName"] {
        let inside = piece
            .strip_prefix(call)
            .map(|rest| rest.split('<').next_back().unwrap_or(rest))
            .and_then(|rest| rest.split_once('('))
            .and_then(|(_, rest)| rest.strip_suffix(')'));
        if let Some(inside) = inside {
            return task_reference(split_top(inside, ",").first()?);
        }
    }
    if let Some(inside) = piece
        .strip_prefix("tasks[")
        .and_then(|rest| rest.strip_suffix(']'))
    {
        return task_reference(inside);
    }
    let name = piece.strip_prefix("tasks.").unwrap_or(piece);
    (!name.is_empty() && name.bytes().all(is_ident_byte)).then(|| name.to_owned())
}

/// The expressions of the script plugins a script applies: Kotlin's
/// `apply(from = EXPR)`, Groovy's `apply from: EXPR` and `apply(from: EXPR)`.
fn applied_from(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if let Some(end) = literal_end(text, at).or_else(|| comment_end(text, at)) {
            at = end;
            continue;
        }
        let word_start = at == 0
            || bytes
                .get(at - 1)
                .is_some_and(|b| !is_ident_byte(*b) && *b != b'.');
        let rest = text.get(at..).unwrap_or_default();
        if byte != b'a' || !word_start || !rest.starts_with("apply") {
            at += 1;
            continue;
        }
        let after = at + "apply".len();
        let spaced = text.get(after..).unwrap_or_default();
        let gap = spaced.len() - spaced.trim_start_matches([' ', '\t']).len();
        let value = if spaced.trim_start().starts_with('(') {
            matching(text, after + gap).and_then(|close| text.get(after + gap + 1..close))
        } else {
            Some(line_value(text, after))
        };
        if let Some(expr) = value
            .map(str::trim)
            .and_then(|v| v.strip_prefix("from"))
            .map(str::trim_start)
            .and_then(|v| v.strip_prefix('=').or_else(|| v.strip_prefix(':')))
        {
            found.push(expr.trim().to_owned());
        }
        at = after;
    }
    found
}

/// The inner text of the `copy { ... }` and `sync { ... }` blocks (the
/// project's copies, `project.copy`) of a task's body.
fn copy_blocks(body: &str) -> Vec<String> {
    let bytes = body.as_bytes();
    let mut blocks = Vec::new();
    let mut at = 0;
    while bytes.get(at).is_some() {
        if let Some(end) = literal_end(body, at).or_else(|| comment_end(body, at)) {
            at = end;
            continue;
        }
        let rest = body.get(at..).unwrap_or_default();
        let word = ["copy", "sync"].into_iter().find(|w| rest.starts_with(w));
        // `project.copy { ... }` as well as `copy { ... }`.
        let before = body.get(..at).unwrap_or_default();
        let word_start = || {
            before
                .strip_suffix("project.")
                .unwrap_or(before)
                .bytes()
                .next_back()
                .is_none_or(|b| !is_ident_byte(b) && b != b'.')
        };
        if let Some(word) = word.filter(|_| word_start()) {
            let after = rest.get(word.len()..).unwrap_or_default();
            let gap = after.len() - after.trim_start().len();
            if after.trim_start().starts_with('{')
                && let Some(close) = matching(body, at + word.len() + gap)
            {
                let open = at + word.len() + gap;
                blocks.extend(body.get(open + 1..close).map(str::to_owned));
                at = close + 1;
                continue;
            }
        }
        at += 1;
    }
    blocks
}

/// `text` with what its `{ ... }` blocks hold taken out: the statements
/// at its top level.
fn top_level(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut start = 0;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if let Some(end) = literal_end(text, at).or_else(|| comment_end(text, at)) {
            at = end;
            continue;
        }
        match byte {
            b'{' => {
                if depth == 0 {
                    out.push_str(text.get(start..=at).unwrap_or_default());
                }
                depth += 1;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    start = at;
                }
            }
            _ => {}
        }
        at += 1;
    }
    if depth == 0 {
        out.push_str(text.get(start..).unwrap_or_default());
    }
    out
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

/// The blocks (the text inside `{ ... }`) of the definitions and
/// configurations of task `name` in `text`, in order, each with whether
/// its type copies files (`register<Copy>`, `registering(Sync::class)`,
/// `task x(type: Copy)`).
fn task_blocks(text: &str, name: &str) -> Vec<TaskBlock> {
    let bytes = text.as_bytes();
    let mut blocks = Vec::new();
    let mut add = |open: Option<(usize, String)>| {
        if let Some((open, body)) = open {
            let line_start = text
                .get(..open)
                .and_then(|t| t.rfind('\n'))
                .map_or(0, |n| n + 1);
            let header = text.get(line_start..open).unwrap_or_default();
            let copies = COPY_TYPES.iter().any(|kind| has_word(header, kind));
            blocks.push(TaskBlock { body, copies });
        }
    };
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
                add(body_after(text, end));
            }
            at = end;
            continue;
        }
        let word_start = at == 0
            || bytes
                .get(at - 1)
                .is_some_and(|b| !is_ident_byte(*b) && *b != b'.');
        if !word_start || !byte.is_ascii_alphabetic() {
            at += 1;
            continue;
        }
        let rest = text.get(at..).unwrap_or_default();
        // Groovy's `task name(type: Exec) {` and `task name {`.
        if let Some(after) = rest.strip_prefix("task ")
            && let Some(len) = named(after, name)
        {
            add(body_after(text, at + rest.len() - after.len() + len));
        }
        // Kotlin's `val name by tasks.registering(Exec::class) {`.
        for keyword in ["val ", "var "] {
            if let Some(after) = rest.strip_prefix(keyword)
                && let Some(len) = named(after, name)
                && let Some(end) = delegate_end(after.get(len..).unwrap_or_default())
            {
                add(body_after(text, at + rest.len() - after.len() + len + end));
            }
        }
        // Kotlin's accessor `tasks.name {`.
        if let Some(after) = rest.strip_prefix("tasks.")
            && let Some(len) = named(after, name)
            && after
                .get(len..)
                .is_some_and(|r| r.trim_start().starts_with('{'))
        {
            add(body_after(text, at + rest.len() - after.len() + len));
        }
        at += 1;
    }
    blocks
}

/// The length of the leading blanks and identifier of `text` when the
/// identifier is `name`.
fn named(text: &str, name: &str) -> Option<usize> {
    let trimmed = text.trim_start_matches([' ', '\t']);
    let len = trimmed.bytes().take_while(|b| is_ident_byte(*b)).count();
    (trimmed.get(..len) == Some(name)).then(|| text.len() - trimmed.len() + len)
}

/// After a `val`'s name, the length of ` by tasks.registering` (or
/// `project.tasks.creating`, ...) when the `val` is a delegated task.
fn delegate_end(text: &str) -> Option<usize> {
    let rest = text.trim_start().strip_prefix("by")?;
    let rest = rest.strip_prefix([' ', '\t'])?.trim_start();
    let rest = rest.strip_prefix("project.").unwrap_or(rest);
    let rest = rest.strip_prefix("tasks.")?;
    let len = rest.bytes().take_while(|b| is_ident_byte(*b)).count();
    let method = rest.get(..len)?;
    DELEGATES
        .contains(&method)
        .then(|| text.len() - rest.len() + len)
}

/// True when `text` holds `word` as a whole identifier.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let bytes = text.as_bytes();
        let before = at.checked_sub(1).and_then(|i| bytes.get(i));
        let after = bytes.get(at + word.len());
        before.is_none_or(|b| !is_ident_byte(*b)) && after.is_none_or(|b| !is_ident_byte(*b))
    })
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
/// arguments, when it has them): where it opens and its inner text. Once
/// the call is closed the block starts on its line, or there is none (a
/// `tasks.named("x")` given as an argument configures nothing).
fn body_after(text: &str, from: usize) -> Option<(usize, String)> {
    let mut at = from;
    let bytes = text.as_bytes();
    let mut closed = false;
    loop {
        while let Some(byte) = bytes.get(at).filter(|b| b.is_ascii_whitespace()) {
            if closed && *byte == b'\n' {
                return None;
            }
            at += 1;
        }
        match bytes.get(at)? {
            b'{' => {
                let close = matching(text, at)?;
                return text.get(at + 1..close).map(|body| (at, body.to_owned()));
            }
            b')' => {
                closed = true;
                at += 1;
            }
            b',' => at += 1,
            b'(' => {
                at = matching(text, at)? + 1;
                closed = true;
            }
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
