//! CMake: a configure step (`cmake -S SRC -B BUILD -DVAR=value`, `cmake
//! SRC` in the build directory) writes `BUILD/CMakeCache.txt`, holding the
//! source directory and the cache entries the line sets, merged into the
//! cache an earlier step left; an install writes under its prefix (see the
//! parent module); a build of a target (`cmake --build B --target NAME`,
//! `ninja -C B NAME`, `make -C B NAME` in a CMake build directory) runs
//! the commands the project gives it, when its CMakeLists.txt is known.
//!
//! The project is read as configure reads it: its commands in order, the
//! files `add_subdirectory` and `include` name when known, `set`,
//! `option` and `unset` (a cache entry the configure step set wins over
//! `set(... CACHE ...)`, as in CMake), `${VAR}` (variables, then cache
//! entries) and `$ENV{X}` (the environment's `X`, which the commands read
//! as the shell variable). Both branches of an `if` are read; the bodies
//! of functions and macros are not. A custom target runs its commands
//! after what it depends on (`DEPENDS`, `add_dependencies`, the custom
//! commands whose `OUTPUT` it needs); an ordinary target runs the custom
//! commands that generate its sources and its `PRE_BUILD`/`POST_BUILD`
//! commands; the default build (no target) builds every target in `ALL`.
//! `execute_process` commands run at configure.

use std::collections::{HashMap, HashSet};

use super::{DEFAULT_PREFIX, Install, MAX_JOBS, MAX_NESTING, replace_install, shell_job};
use crate::args::{self, Arg};
use crate::commands::{Invocation, Lookup, Nested, Outcome};
use crate::paths;

/// The cache a configure step leaves in its build directory.
const CACHE_FILE: &str = "CMakeCache.txt";

// ------------------------------------------------------------ the line

/// What a `cmake` command line asks for.
#[derive(Debug)]
enum Mode<'a> {
    /// Generate a build directory.
    Configure(Configure),
    /// `--build DIR [--target T...]`.
    Build { dir: String, targets: Vec<String> },
    /// `--install DIR [--prefix P]`.
    Install {
        dir: String,
        prefix: Option<&'a Arg>,
    },
    /// Scripts, tools and help (`-P`, `-E`, `--help`): nothing here.
    Other,
}

/// A configure step's directories and cache entries.
#[derive(Debug, Default)]
struct Configure {
    source: Option<String>,
    build: Option<String>,
    /// A directory named without `-S`/`-B`: the source, or a build
    /// directory whose cache is known.
    named: Option<String>,
    /// `-DNAME[:TYPE]=VALUE`, `--install-prefix P`, in order.
    entries: Vec<Entry>,
    /// `-UNAME`.
    unset: Vec<String>,
}

/// A cache entry: `NAME:TYPE=VALUE`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    name: String,
    kind: String,
    value: String,
}

/// Configure options that take a value, as the next word or attached.
const CONFIGURE_VALUED: &[&str] = &["-S", "-B", "-D", "-U", "-G", "-T", "-A", "-C"];

/// Options after which CMake runs a script, a tool or help, not a build.
const NOT_CONFIGURE: &[&str] = &[
    "-E",
    "-P",
    "-N",
    "--open",
    "--workflow",
    "--find-package",
    "--system-information",
    "--version",
    "-version",
    "--help",
    "-help",
    "-h",
    "/?",
];

/// Reads a cmake command line.
fn mode<'a>(inv: &'a Invocation<'_>) -> Mode<'a> {
    let words = inv.args;
    let at = |name: &str| words.iter().position(|a| a.text == name);
    if let Some(build) = at("--build") {
        let Some(dir) = words.get(build + 1) else {
            return Mode::Other;
        };
        return Mode::Build {
            dir: inv.path(&dir.text),
            targets: build_targets_named(words),
        };
    }
    if let Some(install) = at("--install") {
        let Some(dir) = words.get(install + 1) else {
            return Mode::Other;
        };
        let prefix = words
            .iter()
            .position(|a| a.text == "--prefix")
            .and_then(|p| words.get(p + 1));
        return Mode::Install {
            dir: inv.path(&dir.text),
            prefix,
        };
    }
    if words
        .iter()
        .any(|a| NOT_CONFIGURE.contains(&a.text.as_str()) || a.text.starts_with("--help"))
    {
        return Mode::Other;
    }
    Mode::Configure(configure(inv))
}

/// The targets `--target`/`-t` name (each word after it up to the next
/// option), before `--`.
fn build_targets_named(words: &[Arg]) -> Vec<String> {
    let mut targets = Vec::new();
    let mut naming = false;
    for word in words {
        let text = word.text.as_str();
        if text == "--" {
            break;
        }
        if text == "--target" || text == "-t" {
            naming = true;
            continue;
        }
        if let Some(target) = text.strip_prefix("--target=") {
            targets.push(target.to_owned());
            naming = false;
            continue;
        }
        if text.starts_with('-') {
            naming = false;
        } else if naming {
            targets.push(text.to_owned());
        }
    }
    targets
}

/// A configure step's options.
fn configure(inv: &Invocation<'_>) -> Configure {
    let mut found = Configure::default();
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        let (name, value) = match CONFIGURE_VALUED.iter().find(|name| text.starts_with(*name)) {
            Some(name) if text.len() > name.len() => {
                (*name, text.get(name.len()..).map(str::to_owned))
            }
            Some(name) => (*name, words.next().map(|v| v.text.clone())),
            None => match text.split_once('=') {
                Some(("--install-prefix", value)) => ("--install-prefix", Some(value.to_owned())),
                _ if text == "--install-prefix" => {
                    ("--install-prefix", words.next().map(|v| v.text.clone()))
                }
                _ if text.starts_with('-') => continue,
                _ => {
                    found.named = Some(inv.path(text));
                    continue;
                }
            },
        };
        let Some(value) = value else {
            continue;
        };
        match name {
            "-S" => found.source = Some(inv.path(&value)),
            "-B" => found.build = Some(inv.path(&value)),
            "-D" => found.entries.extend(entry(inv, &value)),
            "-U" => found.unset.push(value),
            "--install-prefix" => found.entries.push(Entry {
                name: "CMAKE_INSTALL_PREFIX".to_owned(),
                kind: "PATH".to_owned(),
                value: inv.path(&value),
            }),
            _ => {}
        }
    }
    found
}

/// `NAME[:TYPE]=VALUE` of `-D`; an install prefix made absolute, as CMake
/// makes a path given on its command line.
fn entry(inv: &Invocation<'_>, text: &str) -> Option<Entry> {
    let (name, value) = text.split_once('=')?;
    let (name, kind) = match name.split_once(':') {
        Some((name, kind)) => (name, kind),
        None => (name, "UNINITIALIZED"),
    };
    if name.is_empty() {
        return None;
    }
    let value = if name == "CMAKE_INSTALL_PREFIX" && !value.is_empty() {
        inv.path(value)
    } else {
        value.to_owned()
    };
    Some(Entry {
        name: name.to_owned(),
        kind: kind.to_owned(),
        value,
    })
}

impl Configure {
    /// The source and build directories, a named directory that holds a
    /// known cache being a build directory (`cmake .` to configure again).
    fn dirs(&self, inv: &Invocation<'_>, text_of: &Lookup<'_>) -> (String, String) {
        let reconfigured = match (&self.source, &self.build, &self.named) {
            (None, None, Some(named)) => cache(named, text_of).map(|c| (c, named.clone())),
            _ => None,
        };
        if let Some((cache, build)) = reconfigured {
            let source = cache
                .get("CMAKE_HOME_DIRECTORY")
                .unwrap_or(&build)
                .to_owned();
            return (source, build);
        }
        let source = self
            .source
            .clone()
            .or_else(|| self.named.clone())
            .unwrap_or_else(|| inv.cwd.to_owned());
        let build = self.build.clone().unwrap_or_else(|| inv.cwd.to_owned());
        (source, build)
    }

    /// The cache it leaves, over `earlier`.
    fn cache(&self, source: &str, build: &str, earlier: Cache) -> Cache {
        let mut cache = earlier;
        cache.set("CMAKE_HOME_DIRECTORY", "INTERNAL", source);
        cache.set("CMAKE_CACHEFILE_DIR", "INTERNAL", build);
        for name in &self.unset {
            cache.entries.retain(|e| e.name != *name);
        }
        for entry in &self.entries {
            cache.set(&entry.name, &entry.kind, &entry.value);
        }
        cache
    }
}

/// What the line alone says: the cache a configure step writes, the
/// prefix an install writes into.
pub(super) fn line(inv: &Invocation<'_>) -> Option<Outcome> {
    let mut outcome = Outcome::default();
    match mode(inv) {
        Mode::Configure(configure) => {
            let (source, build) = configure.dirs(inv, &|_| None);
            let cache = configure.cache(&source, &build, Cache::default());
            write_cache(&mut outcome, &build, &cache);
        }
        Mode::Install { prefix, .. } => {
            let prefix = prefix.map_or_else(|| DEFAULT_PREFIX.to_owned(), |p| inv.path(&p.text));
            outcome.write(Install::from_env(inv).path(&prefix), false);
        }
        Mode::Build { targets, .. } if targets.iter().any(|t| t == "install") => {
            outcome.write(Install::from_env(inv).path(DEFAULT_PREFIX), false);
        }
        Mode::Build { .. } | Mode::Other => return None,
    }
    Some(outcome)
}

/// Writes `cache` into `build`'s cache file, in place of what the line
/// alone said it holds.
fn write_cache(outcome: &mut Outcome, build: &str, cache: &Cache) {
    let path = paths::resolve(build, "/", CACHE_FILE);
    outcome.contents.retain(|(p, _)| *p != path);
    outcome.contents.push((
        path.clone(),
        crate::Payload {
            text: vec![cache.text()],
            ..crate::Payload::default()
        },
    ));
    if !outcome
        .effects
        .iter()
        .any(|e| matches!(e, crate::Effect::Write { path: p, .. } if *p == path))
    {
        outcome.write(path, false);
    }
}

/// What the known files add: the earlier cache a configure step keeps and
/// the `execute_process` commands it runs, the cached prefix of an
/// install, the commands of the targets a build runs.
pub(super) fn known(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    match mode(inv) {
        Mode::Configure(configure) => {
            let (source, build) = configure.dirs(inv, text_of);
            let earlier = cache(&build, text_of).unwrap_or_default();
            let cache = configure.cache(&source, &build, earlier);
            write_cache(outcome, &build, &cache);
            if let Some(project) = Project::read(&source, &build, &cache, inv.cwd, text_of) {
                outcome
                    .nested
                    .extend(project.configure_jobs.into_iter().take(MAX_JOBS));
            }
        }
        Mode::Install { dir, prefix: None } => {
            if let Some(prefix) = cached_prefix(&dir, text_of) {
                replace_install(outcome, &Install::from_env(inv), &prefix);
            }
        }
        Mode::Build { dir, targets } => {
            if targets.iter().any(|t| t == "install")
                && let Some(prefix) = cached_prefix(&dir, text_of)
            {
                replace_install(outcome, &Install::from_env(inv), &prefix);
            }
            let project = Project::of_build(&dir, true, text_of);
            outcome.nested.extend(project.jobs(&targets));
        }
        Mode::Install { .. } | Mode::Other => {}
    }
}

/// `make [-C DIR] [VAR=value] [TARGET...]` in a build directory whose
/// CMake cache is known: `install` writes under the cached prefix (and
/// `DESTDIR`), the other targets run the project's commands.
pub(super) fn make_in_build_dir(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    let items = args::parse(inv.args, &crate::commands::files::MAKE_OPTIONS);
    if args::has(
        &items,
        &[
            "-n",
            "--just-print",
            "--dry-run",
            "--recon",
            "-q",
            "--question",
        ],
    ) {
        return;
    }
    let dir = args::values(&items, &["-C", "--directory"])
        .iter()
        .fold(inv.cwd.to_owned(), |dir, d| {
            paths::resolve(&dir, inv.home, &d.text)
        });
    let Some(cache) = cache(&dir, text_of) else {
        return;
    };
    let mut targets = Vec::new();
    let mut destdir = inv.env_value("DESTDIR");
    for arg in args::positionals(&items) {
        match arg.text.split_once('=') {
            Some(("DESTDIR", _)) => destdir = Some(arg),
            Some((name, _)) if !name.contains('/') => {}
            _ => targets.push(arg.text.clone()),
        }
    }
    if targets.iter().any(|t| t == "install") {
        let destdir = destdir.map(|d| {
            let value = d.text.strip_prefix("DESTDIR=").unwrap_or(&d.text);
            d.with_text(value)
        });
        let prefix = cache
            .get("CMAKE_INSTALL_PREFIX")
            .filter(|p| !p.is_empty())
            .unwrap_or(DEFAULT_PREFIX);
        outcome.write(Install::staged(inv, destdir.as_ref()).path(prefix), false);
    }
    let project = Project::of_build(&dir, false, text_of);
    outcome.nested.extend(project.jobs(&targets));
}

/// A build directory's install prefix, when its cache is known.
pub(super) fn cached_prefix(dir: &str, text_of: &Lookup<'_>) -> Option<String> {
    let cache = cache(dir, text_of)?;
    Some(
        cache
            .get("CMAKE_INSTALL_PREFIX")
            .filter(|p| !p.is_empty())
            .unwrap_or(DEFAULT_PREFIX)
            .to_owned(),
    )
}

/// What building `targets` (the default build when none) in the build
/// directory `dir` runs, when it is a CMake build directory whose cache is
/// known.
pub(super) fn build_targets(
    dir: &str,
    targets: &[String],
    outcome: &mut Outcome,
    text_of: &Lookup<'_>,
) {
    let project = Project::of_build(dir, false, text_of);
    outcome.nested.extend(project.jobs(targets));
}

// ------------------------------------------------------------ the cache

/// A `CMakeCache.txt`'s entries.
#[derive(Debug, Default)]
struct Cache {
    entries: Vec<Entry>,
}

/// The cache of the build directory `dir`, when its text is known.
fn cache(dir: &str, text_of: &Lookup<'_>) -> Option<Cache> {
    text_of(&paths::resolve(dir, "/", CACHE_FILE)).map(|text| Cache::parse(&text))
}

impl Cache {
    /// `NAME:TYPE=VALUE` lines (`NAME=VALUE` too); comments skipped.
    fn parse(text: &str) -> Cache {
        let entries = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.starts_with('#') && !line.starts_with("//"))
            .filter_map(|line| {
                let (name, value) = line.split_once('=')?;
                let (name, kind) = name.split_once(':').unwrap_or((name, "STRING"));
                let name = name.trim().trim_matches('"');
                (!name.is_empty()).then(|| Entry {
                    name: name.to_owned(),
                    kind: kind.to_owned(),
                    value: value.to_owned(),
                })
            })
            .collect();
        Cache { entries }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.name == name)
            .map(|e| e.value.as_str())
    }

    fn set(&mut self, name: &str, kind: &str, value: &str) {
        let entry = Entry {
            name: name.to_owned(),
            kind: kind.to_owned(),
            value: value.to_owned(),
        };
        match self.entries.iter_mut().find(|e| e.name == name) {
            Some(existing) => *existing = entry,
            None => self.entries.push(entry),
        }
    }

    fn text(&self) -> String {
        let mut text = String::from("# This is the CMakeCache file.\n");
        for entry in &self.entries {
            text.push_str(&format!("{}:{}={}\n", entry.name, entry.kind, entry.value));
        }
        text
    }
}

// ------------------------------------------------------------ the project

/// A command of a CMakeLists.txt: its name in lower case, its arguments.
#[derive(Debug)]
struct Call {
    name: String,
    args: Vec<RawArg>,
}

/// An argument as written.
#[derive(Debug)]
struct RawArg {
    text: String,
    kind: ArgKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArgKind {
    /// `"..."`: one argument, references expanded.
    Quoted,
    /// Bare: references expanded, then split at `;` into a list.
    Unquoted,
    /// `[[...]]`: as written.
    Bracket,
}

/// An argument after expansion; `quoted` ones are never keywords.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    quoted: bool,
}

/// A command a build or configure step runs: shell text and its directory.
#[derive(Debug, Clone)]
struct Step {
    text: String,
    cwd: String,
}

/// What a target or a custom command waits for: a target's name, or a
/// file relative to the source or build directory it was declared in.
#[derive(Debug, Clone)]
struct Dep {
    name: String,
    candidates: Vec<String>,
}

#[derive(Debug, Default)]
struct Target {
    name: String,
    /// Built by the default build.
    in_all: bool,
    depends: Vec<Dep>,
    /// Its own commands (a custom target's) and `PRE_BUILD`/`PRE_LINK` ones.
    steps: Vec<Step>,
    /// `POST_BUILD` commands.
    post: Vec<Step>,
}

/// `add_custom_command(OUTPUT ...)`.
#[derive(Debug, Default)]
struct Rule {
    outputs: Vec<String>,
    depends: Vec<Dep>,
    steps: Vec<Step>,
}

/// A project's targets and custom commands, as its configure read them.
#[derive(Debug, Default)]
struct Project {
    targets: Vec<Target>,
    rules: Vec<Rule>,
    configure_jobs: Vec<Nested>,
}

/// Where a file is being read: its directories and variables.
#[derive(Debug, Clone)]
struct Scope {
    source: String,
    binary: String,
    vars: HashMap<String, String>,
}

/// Keywords of `add_custom_target` and `add_custom_command`.
const CUSTOM_KEYWORDS: &[&str] = &[
    "COMMAND",
    "COMMENT",
    "DEPENDS",
    "BYPRODUCTS",
    "WORKING_DIRECTORY",
    "VERBATIM",
    "USES_TERMINAL",
    "SOURCES",
    "JOB_POOL",
    "JOB_SERVER_AWARE",
    "COMMAND_EXPAND_LISTS",
    "OUTPUT",
    "MAIN_DEPENDENCY",
    "IMPLICIT_DEPENDS",
    "DEPFILE",
    "APPEND",
    "DEPENDS_EXPLICIT_ONLY",
    "CODEGEN",
    "TARGET",
    "PRE_BUILD",
    "PRE_LINK",
    "POST_BUILD",
];

/// Keywords of `execute_process`.
const PROCESS_KEYWORDS: &[&str] = &[
    "COMMAND",
    "WORKING_DIRECTORY",
    "TIMEOUT",
    "RESULT_VARIABLE",
    "RESULTS_VARIABLE",
    "OUTPUT_VARIABLE",
    "ERROR_VARIABLE",
    "INPUT_FILE",
    "OUTPUT_FILE",
    "ERROR_FILE",
    "OUTPUT_QUIET",
    "ERROR_QUIET",
    "COMMAND_ECHO",
    "OUTPUT_STRIP_TRAILING_WHITESPACE",
    "ERROR_STRIP_TRAILING_WHITESPACE",
    "ENCODING",
    "ECHO_OUTPUT_VARIABLE",
    "ECHO_ERROR_VARIABLE",
    "COMMAND_ERROR_IS_FATAL",
];

/// Marks a reference to an environment variable in expanded text.
const ENV_START: char = '\u{1}';
const ENV_END: char = '\u{2}';

impl Project {
    /// The project a build directory was configured from: the source
    /// directory its cache names, or, with `nearest` and no cache known,
    /// the nearest directory above it with a known CMakeLists.txt.
    fn of_build(dir: &str, nearest: bool, text_of: &Lookup<'_>) -> Project {
        let known = cache(dir, text_of);
        let source = match &known {
            Some(cache) => cache.get("CMAKE_HOME_DIRECTORY").map(str::to_owned),
            None if nearest => nearest_project(dir, text_of),
            None => None,
        };
        let (Some(source), cache) = (source, known.unwrap_or_default()) else {
            return Project::default();
        };
        Project::read(&source, dir, &cache, dir, text_of).unwrap_or_default()
    }

    /// Reads `source`'s CMakeLists.txt (when known) configured into
    /// `binary` with `cache`; `cwd` is where `execute_process` runs.
    fn read(
        source: &str,
        binary: &str,
        cache: &Cache,
        cwd: &str,
        text_of: &Lookup<'_>,
    ) -> Option<Project> {
        let text = text_of(&paths::resolve(source, "/", "CMakeLists.txt"))?;
        let mut vars = HashMap::new();
        for name in ["CMAKE_SOURCE_DIR", "PROJECT_SOURCE_DIR"] {
            vars.insert(name.to_owned(), source.to_owned());
        }
        for name in ["CMAKE_BINARY_DIR", "PROJECT_BINARY_DIR"] {
            vars.insert(name.to_owned(), binary.to_owned());
        }
        vars.insert("CMAKE_COMMAND".to_owned(), "cmake".to_owned());
        let mut reader = Reader {
            cache,
            text_of,
            cwd,
            project: Project::default(),
        };
        let mut scope = Scope {
            source: source.to_owned(),
            binary: binary.to_owned(),
            vars,
        };
        reader.file(&text, &mut scope, 0);
        Some(reader.project)
    }

    /// The jobs building `names` runs, in order, each once (the default
    /// build when no name is given); `install` is not a project's own.
    fn jobs(&self, names: &[String]) -> Vec<Nested> {
        let mut walk = Walk {
            project: self,
            targets: HashSet::new(),
            rules: HashSet::new(),
            steps: Vec::new(),
        };
        if names.is_empty() || names.iter().any(|n| n == "all") {
            for (index, target) in self.targets.iter().enumerate() {
                if target.in_all {
                    walk.target(index, 0);
                }
            }
        }
        for name in names {
            if let Some(index) = self.targets.iter().position(|t| t.name == *name) {
                walk.target(index, 0);
            }
        }
        walk.steps
            .into_iter()
            .take(MAX_JOBS)
            .map(|step| shell_job(step.text, &step.cwd))
            .collect()
    }
}

/// The nearest directory from `dir`'s parent up whose CMakeLists.txt is known.
fn nearest_project(dir: &str, text_of: &Lookup<'_>) -> Option<String> {
    let mut at = super::super::runners::parent(dir);
    for _ in 0..MAX_NESTING {
        if text_of(&paths::resolve(&at, "/", "CMakeLists.txt")).is_some() {
            return Some(at);
        }
        if at == "/" {
            return None;
        }
        at = super::super::runners::parent(&at);
    }
    None
}

/// Targets and custom commands visited for a build.
struct Walk<'a> {
    project: &'a Project,
    targets: HashSet<usize>,
    rules: HashSet<usize>,
    steps: Vec<Step>,
}

impl Walk<'_> {
    fn target(&mut self, index: usize, depth: usize) {
        if depth > MAX_NESTING || !self.targets.insert(index) {
            return;
        }
        let Some(target) = self.project.targets.get(index) else {
            return;
        };
        for dep in &target.depends {
            self.dep(dep, depth + 1);
        }
        self.steps.extend(target.steps.iter().cloned());
        self.steps.extend(target.post.iter().cloned());
    }

    fn dep(&mut self, dep: &Dep, depth: usize) {
        if let Some(index) = self.project.targets.iter().position(|t| t.name == dep.name) {
            self.target(index, depth);
            return;
        }
        let made_by: Vec<usize> = (0..self.project.rules.len())
            .filter(|at| {
                self.project
                    .rules
                    .get(*at)
                    .is_some_and(|rule| rule.outputs.iter().any(|o| dep.candidates.contains(o)))
            })
            .collect();
        for at in made_by {
            self.rule(at, depth);
        }
    }

    fn rule(&mut self, index: usize, depth: usize) {
        if depth > MAX_NESTING || !self.rules.insert(index) {
            return;
        }
        let Some(rule) = self.project.rules.get(index) else {
            return;
        };
        for dep in &rule.depends {
            self.dep(dep, depth + 1);
        }
        self.steps.extend(rule.steps.iter().cloned());
    }
}

/// Reads CMake files into a [`Project`].
struct Reader<'a> {
    cache: &'a Cache,
    text_of: &'a Lookup<'a>,
    cwd: &'a str,
    project: Project,
}

impl Reader<'_> {
    fn file(&mut self, text: &str, scope: &mut Scope, depth: usize) {
        if depth > MAX_NESTING {
            return;
        }
        scope
            .vars
            .insert("CMAKE_CURRENT_SOURCE_DIR".to_owned(), scope.source.clone());
        scope
            .vars
            .insert("CMAKE_CURRENT_BINARY_DIR".to_owned(), scope.binary.clone());
        // Functions and macros are defined, not run.
        let mut defining = 0usize;
        for call in parse_calls(text) {
            match call.name.as_str() {
                "function" | "macro" => defining += 1,
                "endfunction" | "endmacro" => defining = defining.saturating_sub(1),
                _ if defining > 0 => {}
                _ => self.call(&call, scope, depth),
            }
        }
    }

    fn call(&mut self, call: &Call, scope: &mut Scope, depth: usize) {
        let words = self.words(&call.args, scope);
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        match call.name.as_str() {
            "set" => self.set(&words, scope),
            "unset" => {
                if let Some(name) = texts.first() {
                    scope.vars.remove(*name);
                }
            }
            "option" => {
                if let (Some(name), Some(value)) = (texts.first(), texts.get(2))
                    && self.cache.get(name).is_none()
                {
                    scope.vars.insert((*name).to_owned(), (*value).to_owned());
                }
            }
            "project" => {
                if let Some(name) = texts.first() {
                    scope
                        .vars
                        .insert("PROJECT_NAME".to_owned(), (*name).to_owned());
                    scope
                        .vars
                        .insert(format!("{name}_SOURCE_DIR"), scope.source.clone());
                    scope
                        .vars
                        .insert(format!("{name}_BINARY_DIR"), scope.binary.clone());
                }
            }
            "add_custom_target" => self.custom_target(&words, scope),
            "add_custom_command" => self.custom_command(&words, scope),
            "add_executable" | "add_library" => self.ordinary_target(&words, scope),
            "add_dependencies" => {
                if let Some((name, deps)) = texts.split_first()
                    && let Some(target) = self.target_mut(name)
                {
                    target.depends.extend(deps.iter().map(|d| dep(d, scope)));
                }
            }
            "execute_process" => {
                let sections = sections(&words, PROCESS_KEYWORDS);
                let pipeline: Vec<String> = sections
                    .iter()
                    .filter(|(k, _)| k == "COMMAND")
                    .map(|(_, argv)| shell_text(argv))
                    .filter(|t| !t.is_empty())
                    .collect();
                if !pipeline.is_empty() {
                    let cwd = working_directory(&sections, &scope.binary)
                        .unwrap_or_else(|| self.cwd.to_owned());
                    self.project
                        .configure_jobs
                        .push(shell_job(pipeline.join(" | "), &cwd));
                }
            }
            "add_subdirectory" => {
                let Some(dir) = texts.first() else {
                    return;
                };
                let source = paths::resolve(&scope.source, "/", dir);
                let binary = match texts.get(1) {
                    Some(binary) => paths::resolve(&scope.binary, "/", binary),
                    None => paths::resolve(&scope.binary, "/", paths::basename(dir)),
                };
                let path = paths::resolve(&source, "/", "CMakeLists.txt");
                if let Some(text) = (self.text_of)(&path) {
                    let mut inner = Scope {
                        source,
                        binary,
                        vars: scope.vars.clone(),
                    };
                    self.file(&text, &mut inner, depth + 1);
                }
            }
            "include" => {
                let Some(file) = texts.first() else {
                    return;
                };
                let path = paths::resolve(&scope.source, "/", file);
                if let Some(text) = (self.text_of)(&path) {
                    self.file(&text, scope, depth + 1);
                    scope
                        .vars
                        .insert("CMAKE_CURRENT_SOURCE_DIR".to_owned(), scope.source.clone());
                }
            }
            _ => {}
        }
    }

    /// `set(NAME VALUE... [CACHE TYPE DOC [FORCE]] [PARENT_SCOPE])`: a cache
    /// entry already set keeps its value unless `FORCE`.
    fn set(&self, words: &[Word], scope: &mut Scope) {
        let Some((name, rest)) = words.split_first() else {
            return;
        };
        let cache_at = rest.iter().position(|w| !w.quoted && w.text == "CACHE");
        let values: Vec<&str> = rest
            .get(..cache_at.unwrap_or(rest.len()))
            .unwrap_or_default()
            .iter()
            .filter(|w| w.quoted || w.text != "PARENT_SCOPE")
            .map(|w| w.text.as_str())
            .collect();
        if let Some(at) = cache_at {
            let forced = rest
                .get(at..)
                .unwrap_or_default()
                .iter()
                .any(|w| !w.quoted && w.text == "FORCE");
            if self.cache.get(&name.text).is_some() && !forced {
                return;
            }
        }
        if values.is_empty() {
            scope.vars.remove(&name.text);
        } else {
            scope.vars.insert(name.text.clone(), values.join(";"));
        }
    }

    /// `add_custom_target(NAME [ALL] [COMMAND...]... [DEPENDS...] ...)`.
    fn custom_target(&mut self, words: &[Word], scope: &Scope) {
        let Some((name, mut rest)) = words.split_first() else {
            return;
        };
        let in_all = rest.first().is_some_and(|w| !w.quoted && w.text == "ALL");
        if in_all {
            rest = rest.get(1..).unwrap_or_default();
        }
        let sections = sections(rest, CUSTOM_KEYWORDS);
        let target = Target {
            name: name.text.clone(),
            in_all,
            depends: section_deps(&sections, scope),
            steps: steps(&sections, scope, true),
            post: Vec::new(),
        };
        self.project.targets.push(target);
    }

    /// `add_custom_command(OUTPUT ...)`, or `add_custom_command(TARGET T
    /// PRE_BUILD|PRE_LINK|POST_BUILD ...)`.
    fn custom_command(&mut self, words: &[Word], scope: &Scope) {
        let sections = sections(words, CUSTOM_KEYWORDS);
        let steps = steps(&sections, scope, false);
        let target = sections
            .iter()
            .find(|(k, _)| k == "TARGET")
            .and_then(|(_, v)| v.first().cloned());
        if let Some(name) = target {
            let post = sections.iter().any(|(k, _)| k == "POST_BUILD");
            if let Some(target) = self.target_mut(&name) {
                if post {
                    target.post.extend(steps);
                } else {
                    target.steps.extend(steps);
                }
            }
            return;
        }
        let outputs = sections
            .iter()
            .filter(|(k, _)| k == "OUTPUT")
            .flat_map(|(_, v)| v.iter())
            .map(|o| paths::resolve(&scope.binary, "/", o))
            .collect();
        let mut depends = section_deps(&sections, scope);
        depends.extend(
            sections
                .iter()
                .filter(|(k, _)| k == "MAIN_DEPENDENCY")
                .flat_map(|(_, v)| v.iter())
                .map(|d| dep(d, scope)),
        );
        self.project.rules.push(Rule {
            outputs,
            depends,
            steps,
        });
    }

    /// `add_executable(NAME [options] SOURCES...)`, `add_library(...)`:
    /// generated sources are built first.
    fn ordinary_target(&mut self, words: &[Word], scope: &Scope) {
        let Some((name, sources)) = words.split_first() else {
            return;
        };
        let excluded = sources.iter().any(|w| w.text == "EXCLUDE_FROM_ALL");
        let imported = sources
            .iter()
            .any(|w| matches!(w.text.as_str(), "IMPORTED" | "ALIAS" | "INTERFACE"));
        self.project.targets.push(Target {
            name: name.text.clone(),
            in_all: !excluded && !imported,
            depends: sources.iter().map(|s| dep(&s.text, scope)).collect(),
            steps: Vec::new(),
            post: Vec::new(),
        });
    }

    fn target_mut(&mut self, name: &str) -> Option<&mut Target> {
        self.project.targets.iter_mut().find(|t| t.name == name)
    }

    /// The arguments expanded: a bare one split into its list's elements.
    fn words(&self, args: &[RawArg], scope: &Scope) -> Vec<Word> {
        let mut words = Vec::new();
        for arg in args {
            match arg.kind {
                ArgKind::Bracket => words.push(Word {
                    text: arg.text.clone(),
                    quoted: true,
                }),
                ArgKind::Quoted => words.push(Word {
                    text: self.expand(&arg.text, scope, 0),
                    quoted: true,
                }),
                ArgKind::Unquoted => {
                    let text = self.expand(&arg.text, scope, 0);
                    words.extend(text.split(';').filter(|t| !t.is_empty()).map(|t| Word {
                        text: t.to_owned(),
                        quoted: false,
                    }));
                }
            }
        }
        words
    }

    /// `text` with its `${VAR}`, `$CACHE{VAR}` and `$ENV{VAR}` references
    /// expanded, innermost first; an environment variable is marked, for
    /// the command that reads it.
    fn expand(&self, text: &str, scope: &Scope, depth: usize) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find('$') {
            let (before, from) = rest.split_at(at);
            out.push_str(before);
            let (kind, open) = if from.starts_with("${") {
                ("", 2)
            } else if from.starts_with("$ENV{") {
                ("ENV", 5)
            } else if from.starts_with("$CACHE{") {
                ("CACHE", 7)
            } else {
                out.push('$');
                rest = from.get(1..).unwrap_or_default();
                continue;
            };
            let body = from.get(open..).unwrap_or_default();
            let Some(close) = closing_brace(body) else {
                out.push_str(from);
                return out;
            };
            let inner = body.get(..close).unwrap_or_default();
            let name = if depth < MAX_NESTING {
                self.expand(inner, scope, depth + 1)
            } else {
                inner.to_owned()
            };
            match kind {
                "ENV" => {
                    out.push(ENV_START);
                    out.push_str(&name);
                    out.push(ENV_END);
                }
                "CACHE" => out.push_str(self.cache.get(&name).unwrap_or_default()),
                _ => out.push_str(
                    scope
                        .vars
                        .get(&name)
                        .map(String::as_str)
                        .or_else(|| self.cache.get(&name))
                        .unwrap_or_default(),
                ),
            }
            rest = body.get(close + 1..).unwrap_or_default();
        }
        out.push_str(rest);
        out
    }
}

/// The index of the `}` that closes a reference whose name starts `body`.
fn closing_brace(body: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(at),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The arguments grouped by the keyword before them (`""` for those
/// before any keyword).
fn sections(words: &[Word], keywords: &[&str]) -> Vec<(String, Vec<String>)> {
    let mut sections = vec![(String::new(), Vec::new())];
    for word in words {
        if !word.quoted && keywords.contains(&word.text.as_str()) {
            sections.push((word.text.clone(), Vec::new()));
        } else if let Some((_, values)) = sections.last_mut() {
            values.push(word.text.clone());
        }
    }
    sections
}

/// The shell commands of the `COMMAND` sections (and, for a custom
/// target, the command given before any keyword), in the
/// `WORKING_DIRECTORY` or the current build directory.
fn steps(sections: &[(String, Vec<String>)], scope: &Scope, leading: bool) -> Vec<Step> {
    let cwd = working_directory(sections, &scope.binary).unwrap_or_else(|| scope.binary.clone());
    sections
        .iter()
        .filter(|(k, _)| k == "COMMAND" || (leading && k.is_empty()))
        .map(|(_, argv)| shell_text(argv))
        .filter(|text| !text.is_empty())
        .map(|text| Step {
            text,
            cwd: cwd.clone(),
        })
        .collect()
}

/// The `WORKING_DIRECTORY` given, relative to `base`.
fn working_directory(sections: &[(String, Vec<String>)], base: &str) -> Option<String> {
    sections
        .iter()
        .find(|(k, _)| k == "WORKING_DIRECTORY")
        .and_then(|(_, v)| v.first())
        .map(|dir| paths::resolve(base, "/", dir))
}

/// The `DEPENDS` of a custom target or command.
fn section_deps(sections: &[(String, Vec<String>)], scope: &Scope) -> Vec<Dep> {
    sections
        .iter()
        .filter(|(k, _)| k == "DEPENDS")
        .flat_map(|(_, v)| v.iter())
        .map(|d| dep(d, scope))
        .collect()
}

/// A dependency named `name`: a target, or a file in the source or the
/// build directory.
fn dep(name: &str, scope: &Scope) -> Dep {
    Dep {
        name: name.to_owned(),
        candidates: vec![
            paths::resolve(&scope.binary, "/", name),
            paths::resolve(&scope.source, "/", name),
        ],
    }
}

/// A command's words as shell text: each quoted, an environment
/// variable's reference (`$ENV{X}`) left for the shell to expand.
fn shell_text(argv: &[String]) -> String {
    argv.iter()
        .map(|word| shell_word(word))
        .collect::<Vec<_>>()
        .join(" ")
}

fn shell_word(word: &str) -> String {
    if word.is_empty() {
        return "''".to_owned();
    }
    let mut out = String::new();
    let mut rest = word;
    while let Some(start) = rest.find(ENV_START) {
        let (literal, marked) = rest.split_at(start);
        out.push_str(&quote(literal));
        let marked = marked.get(ENV_START.len_utf8()..).unwrap_or_default();
        let (name, after) = marked.split_once(ENV_END).unwrap_or((marked, ""));
        out.push_str(&format!("\"${{{name}}}\""));
        rest = after;
    }
    out.push_str(&quote(rest));
    out
}

/// `text` single-quoted for the shell when it needs quoting.
fn quote(text: &str) -> String {
    let plain = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_-./:=@%+,".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

// ------------------------------------------------------------ the syntax

/// The commands of a CMake file, comments skipped.
fn parse_calls(text: &str) -> Vec<Call> {
    let chars: Vec<char> = text.chars().collect();
    let mut calls = Vec::new();
    let mut at = 0;
    while let Some(&c) = chars.get(at) {
        if c == '#' {
            at = comment_end(&chars, at);
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let start = at;
            while chars
                .get(at)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
            {
                at += 1;
            }
            let name: String = chars.get(start..at).unwrap_or_default().iter().collect();
            while chars.get(at).is_some_and(|c| *c == ' ' || *c == '\t') {
                at += 1;
            }
            if chars.get(at) == Some(&'(') {
                let (args, end) = parse_args(&chars, at + 1);
                calls.push(Call {
                    name: name.to_ascii_lowercase(),
                    args,
                });
                at = end;
            }
            continue;
        }
        at += 1;
    }
    calls
}

/// The index past the comment at `at`: `#[[...]]` or to the line's end.
fn comment_end(chars: &[char], at: usize) -> usize {
    if let Some(end) = bracket_end(chars, at + 1) {
        return end.1;
    }
    let mut end = at;
    while chars.get(end).is_some_and(|c| *c != '\n') {
        end += 1;
    }
    end
}

/// A bracket `[==[...]==]` opening at `at`: its text and the index past it.
fn bracket_end(chars: &[char], at: usize) -> Option<(String, usize)> {
    if chars.get(at) != Some(&'[') {
        return None;
    }
    let mut level = 0;
    while chars.get(at + 1 + level) == Some(&'=') {
        level += 1;
    }
    if chars.get(at + 1 + level) != Some(&'[') {
        return None;
    }
    let start = at + 2 + level;
    let mut close = vec![']'];
    close.extend(std::iter::repeat_n('=', level));
    close.push(']');
    let end = (start..chars.len()).find(|i| chars.get(*i..*i + close.len()) == Some(&close[..]))?;
    let mut text: String = chars.get(start..end).unwrap_or_default().iter().collect();
    // A newline right after the opening bracket is not part of it.
    if text.starts_with('\n') {
        text.remove(0);
    }
    Some((text, end + close.len()))
}

/// The arguments of a command from `at` (past its `(`) to its `)`, and the
/// index past that.
fn parse_args(chars: &[char], mut at: usize) -> (Vec<RawArg>, usize) {
    let mut args = Vec::new();
    let mut depth = 0usize;
    while let Some(&c) = chars.get(at) {
        match c {
            c if c.is_whitespace() => at += 1,
            '#' => at = comment_end(chars, at),
            '(' | ')' => {
                if c == ')' && depth == 0 {
                    return (args, at + 1);
                }
                if c == '(' {
                    depth += 1;
                } else {
                    depth -= 1;
                }
                args.push(RawArg {
                    text: c.to_string(),
                    kind: ArgKind::Unquoted,
                });
                at += 1;
            }
            '"' => {
                let (text, end) = quoted(chars, at + 1);
                args.push(RawArg {
                    text,
                    kind: ArgKind::Quoted,
                });
                at = end;
            }
            '[' if bracket_end(chars, at).is_some() => {
                if let Some((text, end)) = bracket_end(chars, at) {
                    args.push(RawArg {
                        text,
                        kind: ArgKind::Bracket,
                    });
                    at = end;
                }
            }
            _ => {
                let mut text = String::new();
                while let Some(&c) = chars.get(at) {
                    if c.is_whitespace() || c == '(' || c == ')' {
                        break;
                    }
                    if c == '\\'
                        && let Some(&next) = chars.get(at + 1)
                    {
                        text.push(escaped(next));
                        at += 2;
                        continue;
                    }
                    text.push(c);
                    at += 1;
                }
                args.push(RawArg {
                    text,
                    kind: ArgKind::Unquoted,
                });
            }
        }
    }
    (args, at)
}

/// A quoted argument's text from `at` (past its `"`), and the index past
/// its closing quote.
fn quoted(chars: &[char], mut at: usize) -> (String, usize) {
    let mut text = String::new();
    while let Some(&c) = chars.get(at) {
        match c {
            '"' => return (text, at + 1),
            '\\' => {
                match chars.get(at + 1) {
                    // A line continuation.
                    Some('\n') => {}
                    Some(&next) => text.push(escaped(next)),
                    None => {}
                }
                at += 2;
            }
            c => {
                text.push(c);
                at += 1;
            }
        }
    }
    (text, at)
}

/// The character an escape `\c` stands for.
fn escaped(c: char) -> char {
    match c {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        c => c,
    }
}
