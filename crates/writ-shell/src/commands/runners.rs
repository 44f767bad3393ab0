//! Task runners and schedulers whose jobs are written in files: `make
//! TARGET` (the Makefile's recipe lines of the target and its
//! prerequisites, by its explicit rule or a pattern rule, with the
//! makefiles it includes; a makefile on standard input, `make -f -`, too:
//! `runners/make.rs`), `just RECIPE` (justfile), `npm run
//! NAME`, `pnpm NAME`, `yarn NAME` (package.json's scripts, with their
//! `pre`/`post` scripts; `bun [run] NAME` too: `runners/bun.rs`),
//! `composer run-script NAME` (composer.json's scripts and the events of
//! Composer's commands: `runners/composer.rs`), `task NAME`
//! (Taskfile.yml's `cmds`, their Go templates evaluated:
//! `runners/go_template.rs`), `rake TASK` (a Rakefile's or task file's
//! task bodies, as Ruby: `runners/rake.rs`), `invoke TASK` (a tasks.py
//! task, as Python with the line's flags bound to its parameters:
//! `runners/invoke.rs`), `poe TASK`, `nox -s SESSION` and `tox -e ENV`
//! (pyproject.toml's poe tasks with their declared arguments, a
//! noxfile's sessions, tox.ini's commands: `runners/python_tasks.rs`),
//! the arguments a mise task declares (`runners/mise_usage.rs`, for
//! `wrappers/envs/mise.rs`), `act` (GitHub Actions workflows' `run:`
//! steps: `runners/workflows.rs`), the hooks `git commit` runs and
//! `pre-commit run` (`runners/hooks.rs`), `launchctl load|bootstrap
//! PLIST` (the plist's `ProgramArguments`), `crontab FILE` (each cron
//! line's command), `at -f FILE`, and `awk -f FILE`/`sed -f FILE` (what
//! their program runs, writes and reads: `files/awk.rs`, `files/sed.rs`). Each job runs the text its
//! file holds when that text is known, from a write earlier on the line or
//! by an earlier step (`ShellContext::written`): running a target does
//! what its recipe says, whenever it is scheduled to run. Only the named
//! targets run, so another target's recipe in the same file does nothing;
//! with no known file, the runner's own handler is all there is, and a
//! target, recipe or script named as a deploy is read by its name
//! (`deploy/tooling.rs`), a guess a known file's text replaces.

mod bun;
mod cargo_make;
mod composer;
mod go_template;
mod gradle;
mod hooks;
mod invoke;
mod mage;
mod make;
mod maven;
pub(in crate::commands) mod mise_usage;
mod node_workspaces;
mod nx;
mod python_tasks;
mod rake;
mod source_text;
mod workflows;
pub(super) use make::stdin_makefile_jobs;
pub(super) use rake::VALUED as RAKE_VALUED;

use std::collections::{HashMap, HashSet};

use super::words;
use super::{Invocation, Nested, Outcome};
use crate::args::{self, Arg, Item, Spec};
use crate::paths;

pub(crate) use crate::commands::Lookup;

/// Runners read as unknown programs are (their path-like words read, a
/// server their words name contacted) when their file is not known.
const READ_AS_UNKNOWN: &[&str] = &["invoke", "inv", "poe", "composer"];

/// How many recipe lines, scripts or jobs one runner command runs at most.
const MAX_JOBS: usize = 64;
/// How deep variable references and dependencies are followed.
const MAX_NESTING: usize = 16;

/// Adds the jobs of the runner `inv` names, when the file that defines
/// them is known, to what it runs.
pub(crate) fn run_recipes(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    super::build_systems::known_files(inv, outcome, text_of);
    // A script written earlier runs what it holds, not what its name says.
    if super::deploy::tooling::script_operand(inv)
        .is_some_and(|script| text_of(&inv.path(&script)).is_some())
    {
        super::deploy::tooling::forget_guesses(inv, outcome);
    }
    // A package manager's command aimed at a workspace package (`pnpm
    // --filter NAME publish`) runs again in that package's directory.
    if node_workspaces::redirect(inv, outcome, text_of) {
        return;
    }
    // Nx runs a project's target (`nx run web:deploy`), under any runner.
    if inv.program == "nx" {
        let jobs = nx::nx(inv, text_of);
        if !jobs.is_empty() {
            super::deploy::tooling::forget_guesses(inv, outcome);
        }
        outcome.nested.extend(jobs.into_iter().take(MAX_JOBS));
        return;
    }
    let jobs = match inv.program {
        "make" | "gmake" => {
            // The handler ran a makefile on standard input without the
            // files written earlier: run it again with them.
            if make::reads_stdin_makefile(inv) {
                outcome.nested.clear();
            }
            make::make(inv, text_of)
        }
        "just" => just(inv, text_of),
        "npm" | "pnpm" | "yarn" => {
            let Some((script, jobs)) = node_scripts(inv, text_of) else {
                return;
            };
            // The package's script, not an executable of the same name.
            outcome.nested.retain(|job| {
                !matches!(job, Nested::Argv { argv, .. }
                    if argv.first().is_some_and(|a| a.text == script))
            });
            jobs
        }
        "bun" => {
            let Some((script, shorthand, jobs)) = bun::bun(inv, text_of) else {
                return;
            };
            // The package's script, not an executable or a file of its name.
            outcome.nested.retain(|job| {
                !matches!(job, Nested::Argv { argv, .. }
                    if argv.first().is_some_and(|a| a.text == script))
            });
            if shorthand {
                let file = inv.path(&script);
                outcome.effects.retain(|effect| {
                    !matches!(effect, crate::Effect::Read { file: read } if read.path == file)
                });
            }
            jobs
        }
        "task" | "go-task" => task(inv, text_of),
        "composer" => composer::composer(inv, text_of),
        "invoke" | "inv" => invoke::invoke(inv, text_of),
        "rake" | "rails" => rake::rake(inv, text_of),
        "poe" | "poetry" => python_tasks::poe(inv, text_of),
        "nox" => python_tasks::nox(inv, text_of),
        "tox" => python_tasks::tox(inv, text_of),
        "act" => workflows::act(inv, text_of),
        "mage" => mage::mage(inv, text_of),
        "cargo" | "cargo-make" | "makers" => cargo_make::cargo_make(inv, text_of),
        "gradle" | "gradlew" => gradle::gradle(inv, text_of),
        "mvn" | "mvnw" | "mvnd" => maven::maven(inv, text_of),
        "pre-commit" => hooks::pre_commit(inv, text_of),
        // The hooks a commit or push runs, beside what git does.
        "git" => {
            outcome
                .nested
                .extend(hooks::git(inv, text_of).into_iter().take(MAX_JOBS));
            return;
        }
        "launchctl" => launchctl(inv, text_of),
        "crontab" => crontab_files(inv, text_of),
        "at" | "batch" => at_file(inv, text_of),
        "pwsh" | "powershell" => super::powershell::written_script_jobs(inv, text_of),
        // Their programs' own commands, writes and reads (`awk -f x.awk`).
        "awk" | "gawk" | "mawk" | "nawk" => {
            return super::files::written_awk_program(inv, outcome, text_of);
        }
        "sed" | "gsed" => return super::files::written_sed_script(inv, outcome, text_of),
        _ => return,
    };
    // The known recipe decides what runs, not the deploy its name suggests,
    // nor, for a runner writ has no handler of its own for, what its words
    // look like (`inv reset-db --host db.internal` reads no file
    // `db.internal`; `poe upload --sink URL` fetches nothing from URL).
    if !jobs.is_empty() {
        super::deploy::tooling::forget_guesses(inv, outcome);
        if READ_AS_UNKNOWN.contains(&inv.program) {
            let guessed = super::files::unknown(inv).effects;
            outcome.effects.retain(|effect| !guessed.contains(effect));
        }
    }
    outcome.nested.extend(jobs.into_iter().take(MAX_JOBS));
}

/// Shell text run by `sh -c` in `cwd`, as a runner runs a recipe line.
fn shell_job(text: &str, cwd: &str) -> Nested {
    Nested::Argv {
        argv: vec![Arg::literal("sh"), Arg::literal("-c"), Arg::literal(text)],
        env: Vec::new(),
        cwd: Some(cwd.to_owned()),
    }
}

/// The first known file among `names` in `dir`, then in each parent
/// directory when `upward`: `(directory, path, text)`.
pub(super) fn find_file(
    dir: &str,
    names: &[&str],
    upward: bool,
    text_of: &Lookup<'_>,
) -> Option<(String, String, String)> {
    let mut dir = dir.to_owned();
    loop {
        for name in names {
            let path = paths::resolve(&dir, "/", name);
            if let Some(text) = text_of(&path) {
                return Some((dir, path, text));
            }
        }
        if !upward || dir == "/" || dir.is_empty() {
            return None;
        }
        dir = parent(&dir);
    }
}

/// The directory that holds `path`.
pub(super) fn parent(path: &str) -> String {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/".to_owned(),
        Some((parent, _)) => parent.to_owned(),
    }
}

/// A shell variable's name.
fn is_name(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with(|c: char| c.is_ascii_digit())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

// ------------------------------------------------------------------- just

#[derive(Debug, Default)]
struct JustRecipe {
    name: String,
    params: Vec<JustParam>,
    /// Recipes run before it, and after it (`&& name`), with their arguments.
    before: Vec<(String, Vec<String>)>,
    after: Vec<(String, Vec<String>)>,
    body: Vec<String>,
    /// `[no-cd]`: runs in the directory just was run from.
    no_cd: bool,
}

#[derive(Debug, Default)]
struct JustParam {
    name: String,
    default: Option<String>,
    variadic: bool,
}

#[derive(Debug, Default)]
struct Justfile {
    vars: HashMap<String, String>,
    recipes: Vec<JustRecipe>,
}

/// `just [OPTIONS] [NAME=VALUE...] [RECIPE [ARGS...]]...`: the justfile
/// (`-f`, else `justfile` in the directory or a parent) runs the recipe
/// (the first one when none is named) after its dependencies, each body
/// line by `sh -c` in the justfile's directory (a `#!` body as one
/// script), `{{name}}` replaced by the recipe's arguments and the
/// justfile's variables. Listing, showing and dry runs run nothing.
fn just(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "fdcs",
            long: &[
                "justfile",
                "working-directory",
                "shell",
                "shell-arg",
                "dotenv-filename",
                "dotenv-path",
                "color",
                "dump-format",
                "list-heading",
                "list-prefix",
                "chooser",
                "command",
                "show",
                "set",
                "completions",
            ],
            stop_after: None,
        },
    );
    let runs_nothing = [
        "-l",
        "--list",
        "--summary",
        "-s",
        "--show",
        "--dump",
        "--evaluate",
        "-n",
        "--dry-run",
        "--choose",
        "-e",
        "--edit",
        "--init",
        "--fmt",
        "--variables",
        "--completions",
        "-h",
        "--help",
        "-V",
        "--version",
        "--groups",
        "--check",
        "-c",
        "--command",
    ];
    if args::has(&items, &runs_nothing) {
        return Vec::new();
    }
    let start = args::value(&items, &["-d", "--working-directory"])
        .map_or_else(|| inv.cwd.to_owned(), |d| inv.path(&d.text));
    let found = match args::value(&items, &["-f", "--justfile"]) {
        Some(file) => {
            let path = inv.path(&file.text);
            text_of(&path).map(|text| (parent(&path), text))
        }
        None => find_file(
            &start,
            &["justfile", "Justfile", ".justfile"],
            true,
            text_of,
        )
        .map(|(dir, _, text)| (dir, text)),
    };
    let Some((dir, text)) = found else {
        return Vec::new();
    };
    let mut justfile = parse_justfile(&text);
    let mut words: Vec<&Arg> = args::positionals(&items);
    while let Some(word) = words.first() {
        match word.text.split_once('=') {
            Some((name, value)) if is_name(name) => {
                justfile.vars.insert(name.to_owned(), value.to_owned());
                words.remove(0);
            }
            _ => break,
        }
    }
    // The named recipes with their arguments.
    let mut calls: Vec<(String, Vec<String>)> = Vec::new();
    let mut words = words.into_iter().peekable();
    while let Some(word) = words.next() {
        let Some(recipe) = justfile.recipes.iter().find(|r| r.name == word.text) else {
            return Vec::new();
        };
        let mut arguments = Vec::new();
        for param in &recipe.params {
            if param.variadic {
                arguments.extend(words.by_ref().map(|w| w.text.clone()));
            } else if param.default.is_none() {
                arguments.extend(words.next().map(|w| w.text.clone()));
            } else if let Some(w) =
                words.next_if(|w| !justfile.recipes.iter().any(|r| r.name == w.text))
            {
                arguments.push(w.text.clone());
            }
        }
        calls.push((recipe.name.clone(), arguments));
    }
    if calls.is_empty() {
        match justfile.recipes.first() {
            Some(first) => calls.push((first.name.clone(), Vec::new())),
            None => return Vec::new(),
        }
    }
    let mut jobs = Vec::new();
    let mut done = HashSet::new();
    for (name, arguments) in calls {
        just_recipe(
            &justfile, &name, arguments, &dir, inv.cwd, 0, &mut done, &mut jobs,
        );
    }
    jobs
}

/// Adds the jobs of one recipe call, after its dependencies' and before
/// its subsequent dependencies'.
#[allow(clippy::too_many_arguments)]
fn just_recipe(
    justfile: &Justfile,
    name: &str,
    arguments: Vec<String>,
    dir: &str,
    invoked_in: &str,
    depth: usize,
    done: &mut HashSet<(String, Vec<String>)>,
    jobs: &mut Vec<Nested>,
) {
    if depth > MAX_NESTING || jobs.len() >= MAX_JOBS {
        return;
    }
    let Some(recipe) = justfile.recipes.iter().find(|r| r.name == name) else {
        return;
    };
    if !done.insert((name.to_owned(), arguments.clone())) {
        return;
    }
    let mut values = justfile.vars.clone();
    let mut arguments = arguments.into_iter();
    for param in &recipe.params {
        let value = if param.variadic {
            arguments.by_ref().collect::<Vec<_>>().join(" ")
        } else {
            arguments
                .next()
                .or_else(|| param.default.clone())
                .unwrap_or_default()
        };
        values.insert(param.name.clone(), value);
    }
    let expand = |text: &str| just_expand(text, &values, dir, invoked_in);
    for (dep, args) in &recipe.before {
        let args = args.iter().map(|a| expand(a)).collect();
        just_recipe(justfile, dep, args, dir, invoked_in, depth + 1, done, jobs);
    }
    let cwd = if recipe.no_cd { invoked_in } else { dir };
    let body: Vec<String> = recipe.body.iter().map(|line| expand(line)).collect();
    match body.first().and_then(|l| l.strip_prefix("#!")) {
        Some(shebang) => {
            let script = body.get(1..).unwrap_or_default().join("\n");
            jobs.extend(interpreter_job(shebang, &script, cwd));
        }
        None => {
            for line in &continued_lines(&body) {
                let line = line.trim_start_matches(['@', '-']);
                if !line.trim().is_empty() {
                    jobs.push(shell_job(line, cwd));
                }
            }
        }
    }
    for (dep, args) in &recipe.after {
        let args = args.iter().map(|a| expand(a)).collect();
        just_recipe(justfile, dep, args, dir, invoked_in, depth + 1, done, jobs);
    }
}

/// Recipe lines with each line ending in a backslash joined to the next,
/// as just hands them to the shell as one command line.
fn continued_lines(body: &[String]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut continues = false;
    for line in body {
        match lines.last_mut() {
            Some(last) if continues => {
                last.push(' ');
                last.push_str(line.trim_start());
            }
            _ => lines.push(line.clone()),
        }
        continues = line.trim_end().ends_with('\\');
        if continues && let Some(last) = lines.last_mut() {
            let trimmed = last.trim_end();
            let kept = trimmed
                .strip_suffix('\\')
                .unwrap_or(trimmed)
                .trim_end()
                .len();
            last.truncate(kept);
        }
    }
    lines
}

/// A script run by the interpreter its `#!` line names: a shell's as shell
/// text, Python's, Node's, Perl's and Ruby's as their inline code.
fn interpreter_job(shebang: &str, script: &str, cwd: &str) -> Option<Nested> {
    let mut words = shebang.split_whitespace();
    let mut program = paths::basename(words.next()?);
    if program == "env" {
        program = words
            .find(|w| !w.starts_with('-') && !w.contains('='))
            .map(paths::basename)?;
    }
    let flag = match program {
        "sh" | "bash" | "dash" | "zsh" | "ksh" => "-c",
        "node" | "nodejs" | "perl" | "ruby" => "-e",
        _ if program.starts_with("python") => "-c",
        _ => return None,
    };
    Some(Nested::Argv {
        argv: vec![
            Arg::literal(program),
            Arg::literal(flag),
            Arg::literal(script),
        ],
        env: Vec::new(),
        cwd: Some(cwd.to_owned()),
    })
}

/// The recipes and variables of a justfile's text.
fn parse_justfile(text: &str) -> Justfile {
    let mut justfile = Justfile::default();
    let mut no_cd = false;
    let lines: Vec<&str> = text.lines().collect();
    let mut at = 0;
    while let Some(line) = lines.get(at) {
        at += 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || line.starts_with([' ', '\t']) {
            continue;
        }
        if trimmed.starts_with('[') {
            no_cd |= trimmed.contains("no-cd");
            continue;
        }
        let first_word = trimmed.split_whitespace().next().unwrap_or_default();
        if matches!(first_word, "set" | "alias" | "import" | "mod" | "unexport") {
            continue;
        }
        let statement = trimmed
            .strip_prefix("export ")
            .unwrap_or(trimmed)
            .trim_start();
        if let Some((name, value)) = statement.split_once(":=")
            && is_recipe_name(name.trim())
        {
            justfile
                .vars
                .insert(name.trim().to_owned(), just_value(value.trim()));
            continue;
        }
        let Some((head, deps)) = split_header(trimmed) else {
            continue;
        };
        let mut words = split_quoted(head.trim_start_matches('@')).into_iter();
        let Some(name) = words.next().filter(|n| is_recipe_name(n)) else {
            continue;
        };
        let params = words
            .map(|word| {
                let variadic = word.starts_with(['+', '*']);
                let word = word.trim_start_matches(['+', '*', '$']);
                match word.split_once('=') {
                    Some((name, default)) => JustParam {
                        name: name.to_owned(),
                        default: Some(just_value(default)),
                        variadic,
                    },
                    None => JustParam {
                        name: word.to_owned(),
                        default: variadic.then(String::new),
                        variadic,
                    },
                }
            })
            .collect();
        let (before, after) = match deps.split_once("&&") {
            Some((before, after)) => (just_deps(before), just_deps(after)),
            None => (just_deps(deps), Vec::new()),
        };
        let mut body: Vec<&str> = Vec::new();
        while let Some(next) = lines.get(at) {
            if !next.trim().is_empty() && !next.starts_with([' ', '\t']) {
                break;
            }
            body.push(next);
            at += 1;
        }
        while body.last().is_some_and(|l| l.trim().is_empty()) {
            body.pop();
        }
        let indent = body
            .iter()
            .find(|l| !l.trim().is_empty())
            .map_or(0, |l| l.len() - l.trim_start().len());
        let body = body
            .iter()
            .map(|l| l.get(indent..).unwrap_or(l.trim_start()).to_owned())
            .collect();
        justfile.recipes.push(JustRecipe {
            name: name.clone(),
            params,
            before,
            after,
            body,
            no_cd,
        });
        no_cd = false;
    }
    justfile
}

fn is_recipe_name(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A recipe header's name and parameters, and its dependencies: split at
/// the first `:` outside quotes that is not `:=`.
fn split_header(line: &str) -> Option<(&str, &str)> {
    let mut quote: Option<char> = None;
    let bytes: Vec<(usize, char)> = line.char_indices().collect();
    for (i, &(at, c)) in bytes.iter().enumerate() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, ':') if bytes.get(i + 1).map(|(_, c)| *c) != Some('=') => {
                return Some((line.get(..at)?, line.get(at + 1..)?));
            }
            _ => {}
        }
    }
    None
}

/// Words split at spaces outside quotes, each kept as written.
fn split_quoted(text: &str) -> Vec<String> {
    quoted_words(text).0
}

/// Words split at blanks outside quotes, each kept as written, and
/// whether every quote closed.
pub(in crate::commands) fn quoted_words(text: &str) -> (Vec<String>, bool) {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                word.push(c);
            }
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                word.push(c);
            }
            (None, c) if c.is_whitespace() => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            (None, c) => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    (words, quote.is_none())
}

/// A justfile value: a quoted string's text, else the text.
fn just_value(text: &str) -> String {
    let text = text.trim();
    for quote in ['\'', '"'] {
        if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote)) {
            return inner.to_owned();
        }
    }
    text.to_owned()
}

/// Dependencies: `name` or `(name ARG...)`.
fn just_deps(text: &str) -> Vec<(String, Vec<String>)> {
    let mut deps = Vec::new();
    let mut words = split_quoted(&text.replace('(', " ( ").replace(')', " ) ")).into_iter();
    while let Some(word) = words.next() {
        if word == "(" {
            let inner: Vec<String> = words.by_ref().take_while(|w| w != ")").collect();
            if let Some((name, args)) = inner.split_first() {
                deps.push((name.clone(), args.iter().map(|a| just_value(a)).collect()));
            }
        } else if is_recipe_name(&word) {
            deps.push((word, Vec::new()));
        }
    }
    deps
}

/// A recipe line with its `{{...}}` interpolations done: a parameter or
/// variable, a quoted string, `env('X')`/`env_var('X')` as the shell's
/// `${X}`, the justfile's and the invocation's directories; other
/// expressions are empty.
fn just_expand(text: &str, values: &HashMap<String, String>, dir: &str, invoked: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push_str(rest.get(..open).unwrap_or_default());
        let after = rest.get(open + 2..).unwrap_or_default();
        if let Some(escaped) = after.strip_prefix("{{") {
            out.push_str("{{");
            rest = escaped;
            continue;
        }
        let Some(close) = after.find("}}") else {
            out.push_str(rest.get(open..).unwrap_or_default());
            return out;
        };
        let expr = after.get(..close).unwrap_or_default().trim();
        rest = after.get(close + 2..).unwrap_or_default();
        if let Some(value) = values.get(expr) {
            out.push_str(value);
        } else if expr.starts_with(['\'', '"']) {
            out.push_str(&just_value(expr));
        } else if let Some(arg) = expr
            .strip_prefix("env_var(")
            .or_else(|| expr.strip_prefix("env("))
        {
            let name = just_value(arg.split([',', ')']).next().unwrap_or_default());
            if is_name(&name) {
                out.push_str(&format!("${{{name}}}"));
            }
        } else if expr.starts_with("justfile_directory") || expr.starts_with("source_directory") {
            out.push_str(dir);
        } else if expr.starts_with("invocation_directory") {
            out.push_str(invoked);
        }
    }
    out.push_str(rest);
    out
}

// --------------------------------------------------------- npm, pnpm, yarn

/// `npm run NAME [-- ARGS]` (`run-script`, `test`, `start`, `stop`,
/// `restart`), `pnpm [run] NAME`, `yarn [run] NAME`: the script of that
/// name in the nearest package.json (or `--prefix`'s, `--dir`'s,
/// `--cwd`'s), after its `preNAME` and before its `postNAME` script, run
/// by `sh -c` in the package's directory with the arguments appended.
/// Returns the script's name and its jobs.
fn node_scripts(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Option<(String, Vec<Nested>)> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "Cw",
            long: &[
                "prefix",
                "dir",
                "cwd",
                "workspace",
                "filter",
                "script-shell",
            ],
            stop_after: Some(1),
        },
    );
    // Another package's scripts, or every package's, are not this one's.
    let elsewhere = [
        "-w",
        "--workspace",
        "--workspaces",
        "-ws",
        "--filter",
        "-r",
        "--recursive",
    ];
    if args::has(&items, &elsewhere) {
        return None;
    }
    let positionals = args::positionals(&items);
    let start = args::value(&items, &["--prefix", "-C", "--dir", "--cwd"])
        .map_or_else(|| inv.cwd.to_owned(), |d| inv.path(&d.text));
    if let Some(jobs) = install_scripts(inv, &positionals, &start, text_of) {
        return Some(("install".to_owned(), jobs));
    }
    let (verb, rest) = positionals.split_first()?;
    let script_verbs = ["test", "t", "tst", "start", "stop", "restart"];
    let (name, extra): (&str, &[&Arg]) = match verb.text.as_str() {
        "run" | "run-script" | "rum" | "urn" => {
            let (name, extra) = rest.split_first()?;
            (name.text.as_str(), extra)
        }
        "t" | "tst" => ("test", rest),
        v if script_verbs.contains(&v) => (v, rest),
        v if inv.program != "npm" && !v.starts_with('-') => (v, rest),
        _ => return None,
    };
    let extra: Vec<&Arg> = extra.iter().copied().filter(|a| a.text != "--").collect();
    let found = find_file(&start, &["package.json"], true, text_of);
    let package: Option<serde_json::Value> = found
        .as_ref()
        .and_then(|(_, _, text)| serde_json::from_str(text).ok());
    let scripts = package
        .as_ref()
        .and_then(|p| p.get("scripts"))
        .and_then(|s| s.as_object());
    let script = |name: &str| scripts?.get(name)?.as_str();
    // A binary of the project's that is a runner itself (`pnpm nx run
    // web:deploy`), when no script has its name.
    if script(name).is_none() && inv.program != "npm" && nx::is_runner(name) {
        let argv = std::iter::once(Arg::literal(name))
            .chain(extra.iter().map(|a| (*a).clone()))
            .collect();
        let job = Nested::Argv {
            argv,
            env: Vec::new(),
            cwd: Some(start),
        };
        return Some((name.to_owned(), vec![job]));
    }
    let (dir, _, _) = found?;
    let jobs = script_jobs(&script, name, &extra, &dir)?;
    Some((name.to_owned(), jobs))
}

/// The jobs of the package script `name` (`script` gives a script's text
/// by name), run in the package's directory `dir`: its `preNAME`, the
/// script with `extra` appended, its `postNAME`. `None` when there is no
/// such script.
fn script_jobs<'s>(
    script: &dyn Fn(&str) -> Option<&'s str>,
    name: &str,
    extra: &[&Arg],
    dir: &str,
) -> Option<Vec<Nested>> {
    let main = script(name)?;
    let mut jobs = Vec::new();
    if let Some(pre) = script(&format!("pre{name}")) {
        jobs.push(shell_job(pre, dir));
    }
    let mut line = main.to_owned();
    for arg in extra {
        line.push(' ');
        line.push_str(&words::quote(&arg.text));
    }
    jobs.push(shell_job(&line, dir));
    if let Some(post) = script(&format!("post{name}")) {
        jobs.push(shell_job(post, dir));
    }
    Some(jobs)
}

/// The `scripts` object of the nearest package.json from `start` up, and
/// the package's directory.
fn package_scripts(
    start: &str,
    text_of: &Lookup<'_>,
) -> Option<(String, serde_json::Map<String, serde_json::Value>)> {
    let (dir, _, text) = find_file(start, &["package.json"], true, text_of)?;
    let package: serde_json::Value = serde_json::from_str(&text).ok()?;
    let scripts = package.get("scripts")?.as_object()?.clone();
    Some((dir, scripts))
}

/// The root package's lifecycle scripts in the order npm runs them on an
/// install of the project itself.
const INSTALL_LIFECYCLE: &[&str] = &[
    "preinstall",
    "install",
    "postinstall",
    "prepublish",
    "preprepare",
    "prepare",
    "postprepare",
];

/// `npm install`/`npm i`/`npm ci`, `pnpm install`/`pnpm i`, `yarn` and
/// `yarn install` with no package named: the nearest package.json's
/// lifecycle scripts ([`INSTALL_LIFECYCLE`]), each by `sh -c` in its
/// directory. An install of named packages (`npm install lodash`) runs
/// none of them (npm's docs: `prepare` "does not run when installing
/// specific packages"), nor does `--ignore-scripts`. `None` when the line
/// is no such install.
fn install_scripts(
    inv: &Invocation<'_>,
    positionals: &[&Arg],
    start: &str,
    text_of: &Lookup<'_>,
) -> Option<Vec<Nested>> {
    let (verb, rest) = match positionals.split_first() {
        Some((verb, rest)) => (verb.text.as_str(), rest),
        // A bare `yarn` installs.
        None if inv.program == "yarn" => ("install", &[][..]),
        None => return None,
    };
    let installs = match inv.program {
        "npm" => matches!(
            verb,
            "install" | "i" | "in" | "ins" | "isntall" | "ci" | "clean-install" | "install-clean"
        ),
        "pnpm" => matches!(verb, "install" | "i"),
        "yarn" => verb == "install",
        _ => false,
    };
    if !installs {
        return None;
    }
    let named = rest.iter().any(|a| !a.text.starts_with('-'));
    let ignored = inv.args.iter().any(|a| a.text == "--ignore-scripts");
    if named || ignored {
        return Some(Vec::new());
    }
    let (dir, _, text) = find_file(start, &["package.json"], true, text_of)?;
    let package: serde_json::Value = serde_json::from_str(&text).ok()?;
    let scripts = package.get("scripts").and_then(|s| s.as_object());
    let jobs = INSTALL_LIFECYCLE
        .iter()
        .filter_map(|name| scripts?.get(*name)?.as_str())
        .map(|script| shell_job(script, &dir))
        .collect();
    Some(jobs)
}

// ------------------------------------------------------------------- task

#[derive(Debug, Default)]
struct Task {
    cmds: Vec<TaskCmd>,
    deps: Vec<String>,
    dir: Option<String>,
    /// Its variables in order, their values templates.
    vars: Vec<(String, String)>,
}

#[derive(Debug)]
enum TaskCmd {
    Shell(String),
    Task(String),
}

/// `task [-t FILE] [-d DIR] [NAME...] [VAR=value...] [-- ARGS]`: each named
/// task (`default` when none is) of the Taskfile (`-t`, else
/// `Taskfile.yml` and its other names in the directory or a parent) runs
/// its `deps`, then its `cmds` (shell lines, and `task:` calls), in its
/// `dir` or the Taskfile's directory, their Go templates evaluated
/// (`go_template.rs`: `{{.PGHOST | default "localhost"}}`) with the
/// variables Task gives them, weakest first: the environment the line
/// sets, the Taskfile's `vars`, the line's `NAME=value` words, the
/// task's `vars` (each var's own value a template of those before it),
/// and `{{.CLI_ARGS}}`, the words after `--`. Listing, summaries and dry
/// runs run nothing.
fn task(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let (own, cli_args) = args::split_double_dash(inv.args);
    let items = args::parse(
        own,
        &Spec {
            short: "tdoc",
            long: &[
                "taskfile",
                "dir",
                "output",
                "color",
                "concurrency",
                "interval",
                "sort",
            ],
            stop_after: None,
        },
    );
    let runs_nothing = [
        "-l",
        "--list",
        "-a",
        "--list-all",
        "--summary",
        "-n",
        "--dry",
        "-i",
        "--init",
        "-h",
        "--help",
        "--version",
        "--status",
        "--completion",
    ];
    if args::has(&items, &runs_nothing) {
        return Vec::new();
    }
    let start = args::value(&items, &["-d", "--dir"])
        .map_or_else(|| inv.cwd.to_owned(), |d| inv.path(&d.text));
    let found = match args::value(&items, &["-t", "--taskfile"]) {
        Some(file) => {
            let path = paths::resolve(&start, inv.home, &file.text);
            text_of(&path).map(|text| (parent(&path), text))
        }
        None => find_file(
            &start,
            &[
                "Taskfile.yml",
                "taskfile.yml",
                "Taskfile.yaml",
                "taskfile.yaml",
                "Taskfile.dist.yml",
                "taskfile.dist.yml",
                "Taskfile.dist.yaml",
                "taskfile.dist.yaml",
            ],
            true,
            text_of,
        )
        .map(|(dir, _, text)| (dir, text)),
    };
    let Some((dir, text)) = found else {
        return Vec::new();
    };
    let (globals, tasks) = parse_taskfile(&text);
    let mut names = Vec::new();
    let mut given = HashMap::new();
    for arg in args::positionals(&items) {
        match arg.text.split_once('=') {
            Some((name, value)) if is_name(name) => {
                given.insert(name.to_owned(), value.to_owned());
            }
            _ => names.push(arg.text.clone()),
        }
    }
    let mut vars: HashMap<String, String> = inv
        .env
        .iter()
        .map(|(name, value)| (name.clone(), value.text.clone()))
        .collect();
    vars.insert("ROOT_DIR".to_owned(), dir.clone());
    vars.insert("TASKFILE_DIR".to_owned(), dir.clone());
    vars.insert("USER_WORKING_DIR".to_owned(), inv.cwd.to_owned());
    define_vars(&mut vars, &globals);
    vars.extend(given);
    vars.insert(
        "CLI_ARGS".to_owned(),
        cli_args
            .iter()
            .map(|a| words::quote(&a.text))
            .collect::<Vec<_>>()
            .join(" "),
    );
    if names.is_empty() {
        names.push("default".to_owned());
    }
    let mut jobs = Vec::new();
    for name in &names {
        run_task(&tasks, &vars, name, &dir, inv.home, 0, &mut jobs);
    }
    jobs
}

fn run_task(
    tasks: &HashMap<String, Task>,
    vars: &HashMap<String, String>,
    name: &str,
    dir: &str,
    home: &str,
    depth: usize,
    jobs: &mut Vec<Nested>,
) {
    if depth > MAX_NESTING || jobs.len() >= MAX_JOBS {
        return;
    }
    let Some(task) = tasks.get(name) else {
        return;
    };
    let mut values = vars.clone();
    values.insert("TASK".to_owned(), name.to_owned());
    define_vars(&mut values, &task.vars);
    for dep in &task.deps {
        run_task(tasks, vars, dep, dir, home, depth + 1, jobs);
    }
    let cwd = task.dir.as_ref().map_or_else(
        || dir.to_owned(),
        |d| paths::resolve(dir, home, &task_expand(d, &values)),
    );
    for cmd in &task.cmds {
        match cmd {
            TaskCmd::Shell(line) => {
                let line = task_expand(line, &values);
                if !line.trim().is_empty() {
                    jobs.push(shell_job(&line, &cwd));
                }
            }
            TaskCmd::Task(other) => {
                run_task(
                    tasks,
                    vars,
                    &task_expand(other, &values),
                    dir,
                    home,
                    depth + 1,
                    jobs,
                );
            }
        }
    }
}

/// Adds variables in order, each value a template of those before it
/// (`PGHOST: '{{.PGHOST | default "localhost"}}'` keeps a given value).
fn define_vars(values: &mut HashMap<String, String>, vars: &[(String, String)]) {
    for (name, value) in vars {
        let value = task_expand(value, values);
        values.insert(name.clone(), value);
    }
}

/// Text with its Go template actions evaluated (`go_template.rs`).
fn task_expand(text: &str, values: &HashMap<String, String>) -> String {
    go_template::expand(text, &|name| values.get(name).cloned())
}

/// One line of YAML: its indentation and its text without a comment.
#[derive(Debug, Clone, Copy)]
struct YamlLine<'a> {
    indent: usize,
    text: &'a str,
}

fn yaml_lines(text: &str) -> Vec<YamlLine<'_>> {
    text.lines()
        .map(|line| YamlLine {
            indent: line.len() - line.trim_start().len(),
            text: line.trim_end(),
        })
        .collect()
}

/// The lines of the block below line `at` (those indented more than it).
fn yaml_block<'a>(lines: &'a [YamlLine<'a>], at: usize) -> &'a [YamlLine<'a>] {
    let Some(head) = lines.get(at) else {
        return &[];
    };
    let start = at + 1;
    let mut end = start;
    while let Some(line) = lines.get(end) {
        if !line.text.trim().is_empty() && line.indent <= head.indent {
            break;
        }
        end += 1;
    }
    lines.get(start..end).unwrap_or_default()
}

/// The `key: value` entries directly in a block, each with its line's index.
fn yaml_entries<'a>(block: &'a [YamlLine<'a>]) -> Vec<(usize, String, &'a str)> {
    let Some(indent) = block
        .iter()
        .find(|l| !l.text.trim().is_empty() && !l.text.trim_start().starts_with('#'))
        .map(|l| l.indent)
    else {
        return Vec::new();
    };
    block
        .iter()
        .enumerate()
        .filter(|(_, l)| l.indent == indent && !l.text.trim_start().starts_with(['#', '-']))
        .filter_map(|(i, l)| {
            let (key, value) = split_yaml_key(l.text.trim_start())?;
            Some((i, key, value))
        })
        .collect()
}

/// `key: value` (the key unquoted); `None` for a line that is not one.
fn split_yaml_key(text: &str) -> Option<(String, &str)> {
    let (key, value) = if let Some(quote) = text.chars().next().filter(|c| *c == '"' || *c == '\'')
    {
        let close = text.get(1..)?.find(quote)? + 1;
        let rest = text.get(close + 1..)?.trim_start().strip_prefix(':')?;
        (text.get(1..close)?.to_owned(), rest)
    } else {
        let at = text
            .find(": ")
            .or_else(|| text.ends_with(':').then(|| text.len() - 1))?;
        (text.get(..at)?.trim().to_owned(), text.get(at + 1..)?)
    };
    Some((key, value.trim()))
}

/// A scalar's value, or a block scalar's (`|`, `>`) from the block below.
fn yaml_scalar(value: &str, below: &[YamlLine<'_>]) -> String {
    let value = value.trim();
    if value.starts_with('|') || value.starts_with('>') {
        let indent = below
            .iter()
            .find(|l| !l.text.trim().is_empty())
            .map_or(0, |l| l.indent);
        let lines: Vec<&str> = below
            .iter()
            .map(|l| l.text.get(indent..).unwrap_or_default())
            .collect();
        let separator = if value.starts_with('>') { " " } else { "\n" };
        return lines.join(separator).trim_end().to_owned();
    }
    if let Some(inner) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        return inner.replace("''", "'");
    }
    if let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        return inner
            .replace("\\\"", "\"")
            .replace("\\n", "\n")
            .replace("\\\\", "\\");
    }
    match value.find(" #") {
        Some(at) => value.get(..at).unwrap_or(value).trim_end().to_owned(),
        None => value.to_owned(),
    }
}

/// A list's items, each as its first line's text after `- ` and the lines
/// below it.
fn yaml_items<'a>(value: &str, block: &'a [YamlLine<'a>]) -> Vec<(String, &'a [YamlLine<'a>])> {
    if let Some(inner) = value
        .trim()
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
    {
        return inner
            .split(',')
            .map(|item| (item.trim().to_owned(), &[][..]))
            .filter(|(item, _)| !item.is_empty())
            .collect();
    }
    let Some(indent) = block
        .iter()
        .find(|l| !l.text.trim().is_empty())
        .map(|l| l.indent)
    else {
        return Vec::new();
    };
    let mut items = Vec::new();
    for (i, line) in block.iter().enumerate() {
        if line.indent != indent {
            continue;
        }
        let Some(item) = line.text.trim_start().strip_prefix('-') else {
            continue;
        };
        let below = yaml_block(block, i);
        items.push((item.trim().to_owned(), below));
    }
    items
}

/// A Taskfile's top-level variables and its tasks.
fn parse_taskfile(text: &str) -> (Vec<(String, String)>, HashMap<String, Task>) {
    let lines = yaml_lines(text);
    let mut vars = Vec::new();
    let mut tasks = HashMap::new();
    for (at, key, value) in yaml_entries(&lines) {
        let block = yaml_block(&lines, at);
        match key.as_str() {
            "vars" => vars = task_vars(block),
            "tasks" => {
                for (i, name, value) in yaml_entries(block) {
                    tasks.insert(name, parse_task(value, yaml_block(block, i)));
                }
            }
            _ => {}
        }
        let _ = value;
    }
    (vars, tasks)
}

/// A `vars` block's variables in order.
fn task_vars(block: &[YamlLine<'_>]) -> Vec<(String, String)> {
    let mut vars = Vec::new();
    for (i, name, value) in yaml_entries(block) {
        let below = yaml_block(block, i);
        let value = if value.is_empty() {
            // `NAME: {sh: CMD}` in block form: the command's output.
            yaml_entries(below)
                .into_iter()
                .find(|(_, k, _)| k == "sh")
                .map(|(j, _, v)| format!("$({})", yaml_scalar(v, yaml_block(below, j))))
                .unwrap_or_default()
        } else if let Some(sh) = value
            .strip_prefix('{')
            .and_then(|v| v.strip_suffix('}'))
            .and_then(|v| v.trim().strip_prefix("sh:"))
        {
            format!("$({})", yaml_scalar(sh, &[]))
        } else {
            yaml_scalar(value, below)
        };
        vars.push((name, value));
    }
    vars
}

/// One task: a command, a list of commands, or a map with `cmds`, `cmd`,
/// `deps`, `dir` and `vars`.
fn parse_task(value: &str, block: &[YamlLine<'_>]) -> Task {
    let mut task = Task::default();
    if !value.is_empty() && !value.starts_with('[') {
        task.cmds.push(TaskCmd::Shell(yaml_scalar(value, block)));
        return task;
    }
    let first = block.iter().find(|l| !l.text.trim().is_empty());
    if value.starts_with('[') || first.is_some_and(|l| l.text.trim_start().starts_with('-')) {
        task.cmds = task_cmds(value, block);
        return task;
    }
    for (i, key, value) in yaml_entries(block) {
        let below = yaml_block(block, i);
        match key.as_str() {
            "cmds" => task.cmds = task_cmds(value, below),
            "cmd" => task.cmds = vec![TaskCmd::Shell(yaml_scalar(value, below))],
            "deps" => {
                task.deps = yaml_items(value, below)
                    .into_iter()
                    .map(|(item, item_below)| match item.strip_prefix("task:") {
                        Some(name) => yaml_scalar(name, &[]),
                        None if item.is_empty() => yaml_entries(item_below)
                            .into_iter()
                            .find(|(_, k, _)| k == "task")
                            .map(|(_, _, v)| yaml_scalar(v, &[]))
                            .unwrap_or_default(),
                        None => yaml_scalar(&item, &[]),
                    })
                    .collect();
            }
            "dir" => task.dir = Some(yaml_scalar(value, below)),
            "vars" => task.vars = task_vars(below),
            _ => {}
        }
    }
    task
}

/// A `cmds` list: shell lines (`- CMD`, `- cmd: CMD`, block scalars) and
/// calls of other tasks (`- task: NAME`).
fn task_cmds(value: &str, block: &[YamlLine<'_>]) -> Vec<TaskCmd> {
    let mut cmds = Vec::new();
    for (item, below) in yaml_items(value, block) {
        // A map item: its `cmd:` or `task:` key, on the dash's line or below.
        let mut keys: Vec<(String, String)> = Vec::new();
        if let Some((key, value)) = split_yaml_key(&item)
            && matches!(
                key.as_str(),
                "cmd" | "task" | "defer" | "silent" | "ignore_error" | "vars" | "platforms" | "for"
            )
        {
            keys.push((key, yaml_scalar(value, below)));
            for (i, key, value) in yaml_entries(below) {
                keys.push((key, yaml_scalar(value, yaml_block(below, i))));
            }
        } else {
            cmds.push(TaskCmd::Shell(yaml_scalar(&item, below)));
            continue;
        }
        for (key, value) in keys {
            match key.as_str() {
                "cmd" | "defer" => cmds.push(TaskCmd::Shell(value)),
                "task" => cmds.push(TaskCmd::Task(value)),
                _ => {}
            }
        }
    }
    cmds
}

// -------------------------------------------------------------- launchctl

/// `launchctl load [-w] [-F] PLIST...` and `launchctl bootstrap DOMAIN
/// PLIST...`: launchd runs each job's `ProgramArguments` (or `Program`)
/// with its `EnvironmentVariables`, in its `WorkingDirectory` (else `/`).
fn launchctl(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "SD",
            long: &[],
            stop_after: None,
        },
    );
    let words = args::positionals(&items);
    let plists = match words.split_first() {
        Some((verb, rest)) if verb.text == "load" => rest,
        Some((verb, rest)) if verb.text == "bootstrap" => rest.get(1..).unwrap_or_default(),
        _ => return Vec::new(),
    };
    plists
        .iter()
        .filter_map(|plist| {
            let text = text_of(&inv.path(&plist.text))?;
            launchd_job(&text)
        })
        .collect()
}

/// The command a launchd property list runs.
fn launchd_job(text: &str) -> Option<Nested> {
    let arguments = plist_value(text, "ProgramArguments")
        .map(|value| plist_strings(value, "array"))
        .unwrap_or_default();
    let program = plist_value(text, "Program").and_then(plist_string);
    let argv: Vec<Arg> = match program {
        Some(program) => std::iter::once(program)
            .chain(arguments.into_iter().skip(1))
            .map(|a| Arg::literal(&a))
            .collect(),
        None => arguments.iter().map(|a| Arg::literal(a)).collect(),
    };
    if argv.is_empty() {
        return None;
    }
    let env = plist_value(text, "EnvironmentVariables")
        .map(|value| {
            let inner = value.strip_prefix("<dict>").unwrap_or_default();
            let inner = inner
                .get(..inner.find("</dict>").unwrap_or(inner.len()))
                .unwrap_or_default();
            let mut env = Vec::new();
            let mut rest = inner;
            while let Some(key) = element_text(rest, "key") {
                let after = rest
                    .find("</key>")
                    .and_then(|at| rest.get(at + 6..))
                    .unwrap_or_default();
                if let Some(value) = plist_string(after.trim_start()) {
                    env.push((key, Arg::literal(&value)));
                }
                rest = after;
            }
            env
        })
        .unwrap_or_default();
    let cwd = plist_value(text, "WorkingDirectory")
        .and_then(plist_string)
        .unwrap_or_else(|| "/".to_owned());
    Some(Nested::Argv {
        argv,
        env,
        cwd: Some(cwd),
    })
}

/// The XML after `<key>KEY</key>`.
fn plist_value<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    let marker = format!("<key>{key}</key>");
    let at = text.find(&marker)?;
    Some(text.get(at + marker.len()..)?.trim_start())
}

/// A `<string>` element's text at the start of `xml`.
fn plist_string(xml: &str) -> Option<String> {
    xml.starts_with("<string>")
        .then(|| element_text(xml, "string"))
        .flatten()
}

/// The `<string>` items of the `<TAG>` element at the start of `xml`.
fn plist_strings(xml: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let Some(inner) = xml.strip_prefix(&open) else {
        return Vec::new();
    };
    let inner = inner
        .get(..inner.find(&close).unwrap_or(inner.len()))
        .unwrap_or_default();
    let mut items = Vec::new();
    let mut rest = inner;
    while let Some(at) = rest.find("<string>") {
        rest = rest.get(at..).unwrap_or_default();
        match element_text(rest, "string") {
            Some(item) => items.push(item),
            None => break,
        }
        rest = rest
            .find("</string>")
            .and_then(|end| rest.get(end + 9..))
            .unwrap_or_default();
    }
    items
}

/// The unescaped text of the first `<TAG>...</TAG>` in `xml`.
fn element_text(xml: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml.get(start..)?.find(&close)?;
    Some(
        xml.get(start..end)?
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

// ---------------------------------------------------------------- cron, at

/// `crontab FILE`: each job of the file installed, run in the home folder
/// as cron runs it.
fn crontab_files(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "u",
            ..Spec::default()
        },
    );
    if args::has(&items, &["-l", "-r", "-e", "-i", "-T"]) {
        return Vec::new();
    }
    args::positionals(&items)
        .into_iter()
        .filter(|file| file.text != "-")
        .filter_map(|file| text_of(&inv.path(&file.text)))
        .flat_map(|text| cron_jobs(&text, inv.home))
        .collect()
}

/// The jobs of a crontab's text, each run by `sh -c` in `home`.
pub(super) fn cron_jobs(text: &str, home: &str) -> Vec<Nested> {
    cron_commands(text)
        .iter()
        .take(MAX_JOBS)
        .map(|command| shell_job(&detached(command), home))
        .collect()
}

/// Shell text run as a scheduler runs a job: with nothing on its standard
/// input (not the text that queued it).
pub(super) fn detached(text: &str) -> String {
    format!("{{ {text}\n}} </dev/null")
}

/// The command of each line of a crontab: what follows its five time
/// fields or its `@reboot`/`@daily`/... nickname, up to an unescaped `%`
/// (the rest is its standard input). Comments, blank lines and
/// `NAME=value` settings have none.
pub(super) fn cron_commands(text: &str) -> Vec<String> {
    let mut commands = Vec::new();
    for line in text.lines() {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let first = line.split_whitespace().next().unwrap_or_default();
        let fields = if first.starts_with('@') {
            1
        } else if first.contains('=')
            || !first.starts_with(|c: char| c.is_ascii_digit() || c == '*')
        {
            continue;
        } else {
            5
        };
        let mut rest = line;
        for _ in 0..fields {
            rest = rest.trim_start();
            rest = rest
                .get(rest.find(char::is_whitespace).unwrap_or(rest.len())..)
                .unwrap_or_default();
        }
        let command = cron_command(rest.trim());
        if !command.is_empty() {
            commands.push(command);
        }
    }
    commands
}

/// A cron command up to its first unescaped `%`, its `\%` as `%`.
fn cron_command(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'%') => {
                out.push('%');
                chars.next();
            }
            '%' => break,
            c => out.push(c),
        }
    }
    out.trim().to_owned()
}

/// `at -f FILE TIME` and `batch -f FILE`: the file's text is the job,
/// run in the directory it was queued from.
fn at_file(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let items = args::parse(inv.args, &at_spec());
    if at_queues_nothing(&items) {
        return Vec::new();
    }
    args::values(&items, &["-f"])
        .into_iter()
        .filter_map(|file| {
            let path = inv.path(&file.text);
            let text = text_of(&path)?;
            Some(Nested::Script {
                text: detached(&text),
                what: format!("{} job {path}", inv.program),
            })
        })
        .collect()
}

/// at's and batch's options that take a value.
pub(super) fn at_spec() -> Spec<'static> {
    Spec {
        short: "qftu",
        ..Spec::default()
    }
}

/// True when at lists, removes or prints jobs rather than queueing one.
pub(super) fn at_queues_nothing(items: &[Item<'_>]) -> bool {
    args::has(items, &["-l", "-r", "-d", "-c", "-V", "-h", "--help"])
}
