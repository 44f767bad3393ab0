//! Composer's scripts (PHP): the `scripts` of composer.json, run by
//! `composer run-script NAME [ARGS]` (`composer run`), by the shorthand
//! `composer NAME [ARGS]` for a script that is no Composer command, and
//! by the events Composer's own commands fire (`composer install` runs
//! `pre-install-cmd`, the autoload dump's `pre-autoload-dump` and
//! `post-autoload-dump`, then `post-install-cmd`). The project is the
//! directory of `-d`/`--working-dir` (else the working directory), its
//! file composer.json (or `COMPOSER`'s name).
//!
//! A script is a command line or a list of them, each run by `sh -c` in
//! the project's directory with the line's arguments appended; in a list,
//! `@NAME` runs another script, `@php ARGS` and `@composer ARGS` run PHP
//! and Composer, and `@putenv NAME=VALUE` sets a variable for the
//! commands after it. A PHP callback (`Vendor\\Tool::method`) runs code of
//! a class that is not read. `--no-scripts` runs none of them.

use super::{Lookup, MAX_JOBS, MAX_NESTING, parent, shell_job};
use crate::args::Arg;
use crate::commands::words;
use crate::commands::{Invocation, Nested};
use crate::paths;

/// Composer's own commands (and their aliases), which no script of the
/// same name replaces.
const COMMANDS: &[&str] = &[
    "about",
    "archive",
    "audit",
    "browse",
    "home",
    "bump",
    "check-platform-reqs",
    "clear-cache",
    "clearcache",
    "cc",
    "config",
    "create-project",
    "depends",
    "why",
    "diagnose",
    "dump-autoload",
    "dumpautoload",
    "exec",
    "fund",
    "global",
    "help",
    "init",
    "install",
    "i",
    "licenses",
    "list",
    "outdated",
    "prohibits",
    "why-not",
    "reinstall",
    "remove",
    "rm",
    "require",
    "r",
    "run-script",
    "run",
    "search",
    "self-update",
    "selfupdate",
    "show",
    "info",
    "status",
    "suggests",
    "update",
    "u",
    "upgrade",
    "validate",
];

/// The events a Composer command fires, in order, by its name.
fn events(command: &str, autoload: bool) -> Vec<&'static str> {
    let (before, after): (&[&str], &[&str]) = match command {
        "install" | "i" => (&["pre-install-cmd"], &["post-install-cmd"]),
        "update" | "u" | "upgrade" | "require" | "r" | "remove" | "rm" => {
            (&["pre-update-cmd"], &["post-update-cmd"])
        }
        "dump-autoload" | "dumpautoload" => (&[], &[]),
        _ => return Vec::new(),
    };
    let dump: &[&str] = if autoload || matches!(command, "dump-autoload" | "dumpautoload") {
        &["pre-autoload-dump", "post-autoload-dump"]
    } else {
        &[]
    };
    before.iter().chain(dump).chain(after).copied().collect()
}

/// A Composer command line: its options, its command and the words after.
struct Line<'a> {
    dir: String,
    command: Option<&'a str>,
    rest: Vec<&'a Arg>,
    no_scripts: bool,
    no_autoloader: bool,
    list: bool,
}

fn line<'a>(inv: &Invocation<'a>) -> Line<'a> {
    let mut line = Line {
        dir: inv.cwd.to_owned(),
        command: None,
        rest: Vec::new(),
        no_scripts: false,
        no_autoloader: false,
        list: false,
    };
    let mut words = inv.args.iter();
    let mut after_dash = false;
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        // The words after a script's name are the script's.
        if line.command.is_some_and(|c| !COMMANDS.contains(&c)) || after_dash {
            line.rest.push(word);
            continue;
        }
        if text == "--" {
            after_dash = line.command.is_some();
            continue;
        }
        let (option, attached) = match text.split_once('=') {
            Some((option, value)) if option.starts_with("--") => (option, Some(value.to_owned())),
            _ => (text, None),
        };
        if option.starts_with('-') {
            // `-d DIR`, `-dDIR`, `--working-dir[=]DIR`.
            let dir = match (option, attached.as_deref()) {
                ("-d" | "--working-dir", Some(dir)) => Some(dir.to_owned()),
                ("-d" | "--working-dir", None) => words.next().map(|w| w.text.clone()),
                _ => option
                    .strip_prefix("-d")
                    .filter(|dir| !dir.is_empty() && !option.starts_with("--"))
                    .map(str::to_owned),
            };
            if let Some(dir) = dir {
                line.dir = paths::resolve(&line.dir, inv.home, &dir);
            }
            match option {
                "--no-scripts" => line.no_scripts = true,
                "--no-autoloader" => line.no_autoloader = true,
                "-l" | "--list" => line.list = true,
                "--timeout" if attached.is_none() => {
                    words.next();
                }
                _ => {}
            }
            continue;
        }
        match line.command {
            None => line.command = Some(text),
            Some(_) => line.rest.push(word),
        }
    }
    line
}

/// What `composer ...` runs of the project's scripts, when its
/// composer.json is known.
pub(super) fn composer(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let line = line(inv);
    if line.no_scripts || line.list {
        return Vec::new();
    }
    let file = inv
        .env_value("COMPOSER")
        .map_or("composer.json", |name| name.text.as_str());
    let path = paths::resolve(&line.dir, inv.home, file);
    let Some(project) = text_of(&path).and_then(|text| Project::read(&text, parent(&path))) else {
        return Vec::new();
    };
    let mut jobs = Vec::new();
    match line.command {
        Some("run-script" | "run") => {
            if let Some((name, extra)) = line.rest.split_first() {
                project.script(&name.text, extra, 0, &mut jobs);
            }
        }
        Some(command) if COMMANDS.contains(&command) => {
            for event in events(command, !line.no_autoloader) {
                project.script(event, &[], 0, &mut jobs);
            }
        }
        Some(name) => project.script(&project.resolve_alias(name), &line.rest, 0, &mut jobs),
        // A bare `composer` lists its commands.
        None => {}
    }
    jobs.truncate(MAX_JOBS);
    jobs
}

/// A project's scripts, by name, each its list of commands.
struct Project {
    dir: String,
    scripts: Vec<(String, Vec<String>)>,
    /// `scripts-aliases`: other names of a script.
    aliases: Vec<(String, Vec<String>)>,
}

impl Project {
    fn read(text: &str, dir: String) -> Option<Project> {
        let manifest: serde_json::Value = serde_json::from_str(text).ok()?;
        let entries = |key: &str| -> Vec<(String, Vec<String>)> {
            manifest
                .get(key)
                .and_then(|v| v.as_object())
                .map(|map| {
                    map.iter()
                        .map(|(name, value)| (name.clone(), strings(value)))
                        .collect()
                })
                .unwrap_or_default()
        };
        Some(Project {
            dir,
            scripts: entries("scripts"),
            aliases: entries("scripts-aliases"),
        })
    }

    /// The script `name` is another name of, or `name`.
    fn resolve_alias(&self, name: &str) -> String {
        self.aliases
            .iter()
            .find(|(_, aliases)| aliases.iter().any(|a| a == name))
            .map_or_else(|| name.to_owned(), |(script, _)| script.clone())
    }

    /// Adds the jobs of the script `name` run with `extra`.
    fn script(&self, name: &str, extra: &[&Arg], depth: usize, jobs: &mut Vec<Nested>) {
        if depth > MAX_NESTING || jobs.len() >= MAX_JOBS {
            return;
        }
        let Some((_, commands)) = self.scripts.iter().find(|(n, _)| n == name) else {
            return;
        };
        let mut env: Vec<(String, Arg)> = Vec::new();
        for command in commands {
            let command = command.trim();
            if let Some(reference) = command.strip_prefix('@') {
                let (word, args) = reference
                    .split_once(char::is_whitespace)
                    .unwrap_or((reference, ""));
                match word {
                    "putenv" => {
                        if let Some((variable, value)) = args.trim().split_once('=') {
                            env.push((variable.to_owned(), Arg::literal(value)));
                        }
                    }
                    "php" | "composer" => {
                        let line = appended(&format!("{word} {args}"), extra);
                        jobs.push(with_env(shell_job(&line, &self.dir), &env));
                    }
                    other => {
                        let mut words: Vec<Arg> =
                            args.split_whitespace().map(Arg::literal).collect();
                        words.extend(extra.iter().map(|a| (*a).clone()));
                        let words: Vec<&Arg> = words.iter().collect();
                        self.script(other, &words, depth + 1, jobs);
                    }
                }
            } else if !is_callback(command) {
                let line = appended(command, extra);
                jobs.push(with_env(shell_job(&line, &self.dir), &env));
            }
        }
    }
}

/// A script's commands: one string, or a list of them.
fn strings(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::String(text) => vec![text.clone()],
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(|item| item.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// A PHP callback (`App\\Setup::run`): a static method, no command line.
fn is_callback(command: &str) -> bool {
    !command.contains(char::is_whitespace)
        && command.split_once("::").is_some_and(|(class, method)| {
            !class.is_empty()
                && class
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '\\')
                && method
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// A command line with the line's arguments appended, quoted.
fn appended(command: &str, extra: &[&Arg]) -> String {
    let mut line = command.trim().to_owned();
    for arg in extra {
        line.push(' ');
        line.push_str(&words::quote(&arg.text));
    }
    line
}

/// A job with the variables `@putenv` set before it.
fn with_env(mut job: Nested, variables: &[(String, Arg)]) -> Nested {
    if let Nested::Argv { env, .. } = &mut job {
        env.extend(variables.iter().cloned());
    }
    job
}
