//! `make [-C DIR] [-f FILE] [-I DIR] [VAR=value] [TARGET...]` (`gmake`
//! too): the recipe lines of each target after those of its
//! prerequisites, by its explicit rule or a pattern rule, from the
//! makefile make reads (a makefile on standard input, `make -f -`, too).
//!
//! The makefiles it includes (`include mk/*.mk`, `-include .env`,
//! `sinclude`, several names, variables and `$(wildcard ...)` in them) are
//! read where the `include` line stands, each known by its path in the
//! directory make runs in (else in an `-I` directory) or, for a glob, the
//! known files it matches in the order of their paths: their targets and
//! variables are the makefile's. With no makefile known, the makefile
//! fragments known in that directory or below it (`mk/release.mk`) stand
//! in for it when one of them defines a target the line names: the
//! makefile make reads most likely includes them.
//!
//! A line's `VAR=value` overrides the makefile's own assignments of `VAR`
//! (`BRANCH ?= $(shell git rev-parse ...)` is then never run); an
//! assignment nothing expands runs nothing. Recipe lines expand the
//! makefile's variables, the automatic variables (`$@`, `$<`, `$^`, `$*`
//! and their `D`/`F` forms, `$(@D)`, `$(<F)`), and `$$` to the shell's
//! `$`; a variable the makefile does not set is the environment's, left
//! to the shell.

use std::collections::{HashMap, HashSet};

use super::{Lookup, MAX_JOBS, MAX_NESTING, find_file, is_name, shell_job};
use crate::args;
use crate::commands::{Invocation, Nested};
use crate::paths;

/// The options that name a makefile.
const MAKEFILE_OPTIONS: &[&str] = &["-f", "--file", "--makefile"];

/// The names make looks for, in order, when no `-f` names a makefile.
const MAKEFILE_NAMES: &[&str] = &["GNUmakefile", "makefile", "Makefile"];

/// Where makefile fragments stand in a project, relative to the directory
/// make runs in, read when no makefile is known.
const FRAGMENTS: &[&str] = &["*.mk", "*/*.mk", "*/*/*.mk"];

/// How many files one make command reads by `include` at most.
const MAX_INCLUDES: usize = 64;

/// A Makefile's rules and variables.
#[derive(Debug, Default)]
struct Makefile {
    vars: HashMap<String, String>,
    /// Rules in order: targets, prerequisites, recipe lines.
    rules: Vec<MakeRule>,
    /// How many files `include` lines have read.
    included: usize,
}

#[derive(Debug, Default)]
struct MakeRule {
    /// Its targets; a target with `%` makes it a pattern rule
    /// (`grant-%:`), whose `%` stands for any non-empty stem.
    targets: Vec<String>,
    /// `TARGETS: PATTERN: PREREQS` (a static pattern rule): the pattern its
    /// targets match, whose stem fills its prerequisites' `%`.
    static_pattern: Option<String>,
    prereqs: Vec<String>,
    recipe: Vec<String>,
}

/// Where a makefile's text comes from, and what the command line sets.
struct Sources<'a> {
    /// The directory make runs in: relative makefile names are there.
    dir: &'a str,
    home: &'a str,
    /// `-I DIR`: where an included name not known in `dir` is looked up.
    include_dirs: Vec<String>,
    /// The line's `VAR=value`: the makefile's assignments of `VAR` do nothing.
    overrides: &'a HashMap<String, String>,
    text_of: &'a Lookup<'a>,
}

impl Sources<'_> {
    /// The text of the makefile `name` (a glob: of the files it matches),
    /// in the directory make runs in, else in an `-I` directory.
    fn text(&self, name: &str) -> Option<String> {
        std::iter::once(self.dir)
            .chain(self.include_dirs.iter().map(String::as_str))
            .find_map(|dir| (self.text_of)(&paths::resolve(dir, self.home, name)))
    }
}

/// The jobs of `make`: the recipe lines of each target (the first one
/// when none is named) after those of its prerequisites, each once, run
/// by `sh -c` in the directory make runs in, their `@`, `-` and `+`
/// prefixes dropped. `-n`, `-q`, `-t` and `-p` run no recipe.
pub(super) fn make(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let items = args::parse(inv.args, &super::super::files::MAKE_OPTIONS);
    let runs_nothing = [
        "-n",
        "--just-print",
        "--dry-run",
        "--recon",
        "-q",
        "--question",
        "-t",
        "--touch",
        "-p",
        "--print-data-base",
        "-v",
        "--version",
        "-h",
        "--help",
    ];
    if args::has(&items, &runs_nothing) {
        return Vec::new();
    }
    let dir = args::values(&items, &["-C", "--directory"])
        .iter()
        .fold(inv.cwd.to_owned(), |dir, d| {
            paths::resolve(&dir, inv.home, &d.text)
        });
    let mut overrides = HashMap::new();
    let mut goals = Vec::new();
    for arg in args::positionals(&items) {
        match arg.text.split_once('=') {
            Some((name, value)) if !name.is_empty() && !name.contains('/') => {
                overrides.insert(name.trim_end_matches(':').to_owned(), value.to_owned());
            }
            _ => goals.push(arg.text.clone()),
        }
    }
    let sources = Sources {
        dir: &dir,
        home: inv.home,
        include_dirs: args::values(&items, &["-I", "--include-dir"])
            .iter()
            .map(|d| paths::resolve(&dir, inv.home, &d.text))
            .collect(),
        overrides: &overrides,
        text_of,
    };
    let files = args::values(&items, MAKEFILE_OPTIONS);
    let mut makefile = if files.is_empty() {
        match find_file(&dir, MAKEFILE_NAMES, false, text_of) {
            Some((_, _, text)) => parse_makefile(&text, &sources),
            None => match fragments_defining(&goals, &sources) {
                Some(makefile) => makefile,
                None => return Vec::new(),
            },
        }
    } else {
        let texts: Vec<String> = files
            .iter()
            .filter_map(|f| match f.text.as_str() {
                "-" | "/dev/stdin" => inv.stdin_only_text(),
                name => text_of(&paths::resolve(&dir, inv.home, name)),
            })
            .collect();
        if texts.is_empty() {
            return Vec::new();
        }
        parse_makefile(&texts.join("\n"), &sources)
    };
    makefile.vars.extend(overrides.clone());
    if goals.is_empty() {
        goals.extend(default_goal(&makefile));
    }
    let mut lines = Vec::new();
    let mut done = HashSet::new();
    for goal in &goals {
        make_target(&makefile, goal, 0, &mut done, &mut lines);
    }
    lines.iter().map(|line| shell_job(line, &dir)).collect()
}

/// The goal make builds when none is named: `.DEFAULT_GOAL`, else the
/// first target read that is not special (`.PHONY`) nor a pattern.
fn default_goal(makefile: &Makefile) -> Option<String> {
    makefile
        .vars
        .get(".DEFAULT_GOAL")
        .map(|g| g.trim().to_owned())
        .filter(|g| !g.is_empty())
        .or_else(|| {
            makefile
                .rules
                .iter()
                .flat_map(|r| r.targets.iter())
                .find(|t| !t.starts_with('.') && !t.contains('%'))
                .cloned()
        })
}

/// With no makefile known, the makefile fragments known in the directory
/// make runs in or below it ([`FRAGMENTS`]), read together, when one of
/// them gives one of the named `goals` a rule of its own: the makefile
/// make reads likely includes them (`include mk/*.mk`). A default goal
/// is no such sign: `None` when no goal is named.
fn fragments_defining(goals: &[String], sources: &Sources<'_>) -> Option<Makefile> {
    let texts: Vec<String> = FRAGMENTS
        .iter()
        .filter_map(|glob| (sources.text_of)(&paths::resolve(sources.dir, sources.home, glob)))
        .collect();
    if texts.is_empty() {
        return None;
    }
    let makefile = parse_makefile(&texts.join("\n"), sources);
    let defines = |goal: &String| makefile.rules.iter().any(|r| r.targets.contains(goal));
    goals.iter().any(defines).then_some(makefile)
}

/// True when make reads a makefile from standard input (`make -f -
/// TARGET <<'EOF'`, `cat mk | make --file=- TARGET`).
pub(in crate::commands) fn reads_stdin_makefile(inv: &Invocation<'_>) -> bool {
    let items = args::parse(inv.args, &super::super::files::MAKE_OPTIONS);
    args::values(&items, MAKEFILE_OPTIONS)
        .iter()
        .any(|f| matches!(f.text.as_str(), "-" | "/dev/stdin"))
}

/// The recipe lines make runs from a makefile on standard input, where
/// no other file is known.
pub(in crate::commands) fn stdin_makefile_jobs(inv: &Invocation<'_>) -> Vec<Nested> {
    if !reads_stdin_makefile(inv) {
        return Vec::new();
    }
    make(inv, &|_| None)
}

/// Adds the recipe lines of `target`, after its prerequisites'. A target
/// no explicit rule gives a recipe is made by the pattern rule that
/// matches it with the shortest stem (`make grant-jdoe` by `grant-%:`,
/// `$*` being `jdoe`), its prerequisites' `%` filled with the stem.
fn make_target(
    makefile: &Makefile,
    target: &str,
    depth: usize,
    done: &mut HashSet<String>,
    lines: &mut Vec<String>,
) {
    if depth > MAX_NESTING || lines.len() >= MAX_JOBS || !done.insert(target.to_owned()) {
        return;
    }
    let rules: Vec<&MakeRule> = makefile
        .rules
        .iter()
        .filter(|r| r.targets.iter().any(|t| t == target))
        .collect();
    let mut prereqs: Vec<String> = rules.iter().flat_map(|r| rule_prereqs(r, target)).collect();
    // A later recipe for the same target replaces an earlier one.
    let explicit = rules.iter().rev().find(|r| !r.recipe.is_empty());
    let (rule, stem) = match explicit {
        Some(rule) => (
            *rule,
            rule.static_pattern
                .as_deref()
                .and_then(|pattern| pattern_stem(pattern, target))
                .unwrap_or_default(),
        ),
        // A goal may be made by a match-anything rule (`%:`); a
        // prerequisite, likely a file that exists, is not.
        None => match implicit_rule(makefile, target, depth == 0) {
            Some((rule, stem)) => {
                let implied = rule.prereqs.iter().map(|p| p.replacen('%', &stem, 1));
                prereqs = implied.chain(prereqs).collect();
                (rule, stem)
            }
            None => {
                for prereq in &prereqs {
                    make_target(makefile, prereq, depth + 1, done, lines);
                }
                return;
            }
        },
    };
    for prereq in &prereqs {
        make_target(makefile, prereq, depth + 1, done, lines);
    }
    let prereqs: Vec<&String> = prereqs.iter().collect();
    let automatic = Automatic {
        target,
        stem: &stem,
        prereqs: &prereqs,
    };
    for line in &rule.recipe {
        let line = line.trim_start_matches(['@', '-', '+', ' ', '\t']);
        let line = make_expand(line, &makefile.vars, Some(&automatic), 0);
        if !line.trim().is_empty() {
            lines.push(line);
        }
    }
}

/// The prerequisites an explicit rule gives `target`: a static pattern
/// rule's with their `%` filled with `target`'s stem.
fn rule_prereqs(rule: &MakeRule, target: &str) -> Vec<String> {
    let stem = rule
        .static_pattern
        .as_deref()
        .and_then(|pattern| pattern_stem(pattern, target));
    rule.prereqs
        .iter()
        .map(|p| match &stem {
            Some(stem) => p.replacen('%', stem, 1),
            None => p.clone(),
        })
        .collect()
}

/// The pattern rule with a recipe that makes `target`, and the stem:
/// of those whose target pattern matches, the one with the shortest stem
/// (the first written of equals), as GNU make chooses. A match-anything
/// pattern (`%`) only when `anything` allows it.
fn implicit_rule<'m>(
    makefile: &'m Makefile,
    target: &str,
    anything: bool,
) -> Option<(&'m MakeRule, String)> {
    let mut best: Option<(&MakeRule, String)> = None;
    for rule in &makefile.rules {
        if rule.recipe.is_empty() || rule.static_pattern.is_some() {
            continue;
        }
        for pattern in &rule.targets {
            if pattern == "%" && !anything {
                continue;
            }
            let Some(stem) = pattern_stem(pattern, target) else {
                continue;
            };
            if best
                .as_ref()
                .is_none_or(|(_, shortest)| stem.len() < shortest.len())
            {
                best = Some((rule, stem));
            }
        }
    }
    best
}

/// The non-empty text `%` stands for when `pattern` matches `name`.
fn pattern_stem(pattern: &str, name: &str) -> Option<String> {
    let (prefix, suffix) = pattern.split_once('%')?;
    let stem = name.strip_prefix(prefix)?.strip_suffix(suffix)?;
    (!stem.is_empty()).then(|| stem.to_owned())
}

/// A rule's automatic variables: `$@`, `$*`, `$<`, `$^`.
struct Automatic<'a> {
    target: &'a str,
    /// What a pattern rule's `%` matched (`$*`); empty for other rules.
    stem: &'a str,
    prereqs: &'a [&'a String],
}

impl Automatic<'_> {
    /// The value of the automatic variable `name`: `@`, `*`, `<`, `^`
    /// (`+` and `?` read as `^`), or one of them with `D` (each word's
    /// directory, `.` for a bare name) or `F` (each word's file name).
    fn value(&self, name: &str) -> Option<String> {
        let mut chars = name.chars();
        let variable = chars.next()?;
        let part = chars.next();
        if chars.next().is_some() {
            return None;
        }
        let words: Vec<&str> = match variable {
            '@' => vec![self.target],
            '*' => vec![self.stem],
            '<' => self.prereqs.iter().take(1).map(|p| p.as_str()).collect(),
            '^' | '+' | '?' => self.prereqs.iter().map(|p| p.as_str()).collect(),
            _ => return None,
        };
        let words: Vec<&str> = match part {
            None => words,
            Some('D') => words.into_iter().map(directory_part).collect(),
            Some('F') => words.into_iter().map(paths::basename).collect(),
            Some(_) => return None,
        };
        Some(words.join(" "))
    }
}

/// The directory part of a make word, as `$(@D)` gives it: `.` for a name
/// with no `/`.
fn directory_part(word: &str) -> &str {
    match word.rsplit_once('/') {
        Some(("", _)) => "/",
        Some((dir, _)) => dir,
        None => ".",
    }
}

/// The rules and variables of a makefile's text and of the makefiles it
/// includes (see [`read_makefile`]).
fn parse_makefile(text: &str, sources: &Sources<'_>) -> Makefile {
    let mut makefile = Makefile::default();
    makefile.vars.insert("MAKE".to_owned(), "make".to_owned());
    makefile
        .vars
        .insert("CURDIR".to_owned(), sources.dir.to_owned());
    read_makefile(&mut makefile, text, sources, 0);
    makefile
}

/// Adds to `makefile` the rules and variables of a makefile's text:
/// `NAME = value` (and `:=`, `::=`, `?=`, `+=`, with `export`/`override`),
/// `TARGETS: PREREQS [; RECIPE]`, the tab-indented recipe lines after a
/// rule, and, where an `include` line stands, the makefiles it names
/// (`depth` deep in includes). Other directives (`ifeq`, `define`) are
/// skipped, their lines kept.
fn read_makefile(makefile: &mut Makefile, text: &str, sources: &Sources<'_>, depth: usize) {
    let mut current: Option<usize> = None;
    let mut in_define = false;
    let mut lines = text.lines();
    while let Some(first) = lines.next() {
        let recipe = first.starts_with('\t');
        // A backslash at a line's end continues it: a recipe keeps it for
        // the shell (and drops the next line's tab), other lines join.
        let mut line = first.to_owned();
        while line.ends_with('\\') {
            let Some(next) = lines.next() else { break };
            if recipe {
                line.push('\n');
                line.push_str(next.strip_prefix('\t').unwrap_or(next));
            } else {
                line.pop();
                line.push(' ');
                line.push_str(next.trim_start());
            }
        }
        if in_define {
            in_define = line.trim() != "endef";
            continue;
        }
        if recipe {
            if let Some(rule) = current.and_then(|i| makefile.rules.get_mut(i)) {
                rule.recipe
                    .push(line.get(1..).unwrap_or_default().to_owned());
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let first_word = trimmed.split_whitespace().next().unwrap_or_default();
        if first_word == "define" {
            in_define = true;
            current = None;
            continue;
        }
        if matches!(first_word, "include" | "-include" | "sinclude") {
            current = None;
            let names = trimmed.get(first_word.len()..).unwrap_or_default();
            include(makefile, names, sources, depth);
            continue;
        }
        if matches!(
            first_word,
            "ifeq" | "ifneq" | "ifdef" | "ifndef" | "else" | "endif" | "vpath" | "unexport"
        ) {
            continue;
        }
        let statement = ["export ", "override "]
            .iter()
            .fold(trimmed, |s, p| s.strip_prefix(p).unwrap_or(s).trim_start());
        let statement = strip_make_comment(statement);
        let eq = statement.find('=');
        let colon = statement.find(':');
        let assignment = match (eq, colon) {
            (Some(eq), Some(colon)) if colon < eq => statement
                .get(colon..eq)
                .is_some_and(|between| between.chars().all(|c| c == ':')),
            (Some(_), _) => true,
            (None, _) => false,
        };
        if let (true, Some(eq)) = (assignment, eq) {
            current = None;
            let (name, value) = statement.split_at(eq);
            let value = value.get(1..).unwrap_or_default().trim_start();
            let op = name.trim_end().chars().last().unwrap_or(' ');
            let name = name
                .trim_end()
                .trim_end_matches([':', '?', '+', '!'])
                .trim();
            if name.contains(char::is_whitespace) || sources.overrides.contains_key(name) {
                continue;
            }
            let value = match op {
                ':' => make_expand(value, &makefile.vars, None, 0),
                '+' => match makefile.vars.get(name) {
                    Some(old) => format!("{old} {value}"),
                    None => value.to_owned(),
                },
                '?' if makefile.vars.contains_key(name) => continue,
                _ => value.to_owned(),
            };
            makefile.vars.insert(name.to_owned(), value);
            continue;
        }
        let Some(colon) = colon else {
            current = None;
            continue;
        };
        let (targets, rest) = statement.split_at(colon);
        let rest = rest.trim_start_matches(':');
        let (prereqs, inline) = match rest.split_once(';') {
            Some((prereqs, inline)) => (prereqs, Some(inline.trim_start())),
            None => (rest, None),
        };
        // `TARGET: VAR = value` sets a variable for that target only.
        if prereqs.contains('=') {
            continue;
        }
        let words = |text: &str| -> Vec<String> {
            make_expand(text, &makefile.vars, None, 0)
                .split_whitespace()
                .filter(|w| *w != "|")
                .map(str::to_owned)
                .collect()
        };
        // `TARGETS: PATTERN: PREREQS`: a static pattern rule.
        let (static_pattern, prereqs) = match prereqs.split_once(':') {
            Some((pattern, prereqs)) if pattern.contains('%') => {
                (Some(pattern.trim().to_owned()), prereqs)
            }
            _ => (None, prereqs),
        };
        let rule = MakeRule {
            targets: words(targets),
            static_pattern,
            prereqs: words(prereqs),
            recipe: inline.map(str::to_owned).into_iter().collect(),
        };
        makefile.rules.push(rule);
        current = Some(makefile.rules.len() - 1);
    }
}

/// Reads, where an `include` line stands, the makefiles its `names` name
/// (expanded: `include $(MK_DIR)/*.mk`), each in turn; a name or glob no
/// known file answers adds nothing, as a missing `-include` does.
fn include(makefile: &mut Makefile, names: &str, sources: &Sources<'_>, depth: usize) {
    if depth >= MAX_NESTING {
        return;
    }
    let names = make_expand(strip_make_comment(names), &makefile.vars, None, 0);
    for name in names.split_whitespace() {
        if makefile.included >= MAX_INCLUDES {
            return;
        }
        if let Some(text) = sources.text(name) {
            makefile.included += 1;
            read_makefile(makefile, &text, sources, depth + 1);
        }
    }
}

/// A line without its `#` comment (a `\#` is a `#`).
fn strip_make_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (at, byte) in bytes.iter().enumerate() {
        if *byte == b'#' && (at == 0 || bytes.get(at - 1) != Some(&b'\\')) {
            return line.get(..at).unwrap_or(line).trim_end();
        }
    }
    line
}

/// Make's expansion of `text`: `$$` is `$`, `$(NAME)` and `${NAME}` a
/// variable (one the Makefile does not set is the environment's, left to
/// the shell as `${NAME}`), `$(shell CMD)` the shell's `$(CMD)`,
/// `$(wildcard PATTERN)` the pattern (the files it matches), the
/// automatic variables of a rule; other functions expand to nothing.
fn make_expand(
    text: &str,
    vars: &HashMap<String, String>,
    auto: Option<&Automatic<'_>>,
    depth: usize,
) -> String {
    if depth > MAX_NESTING || !text.contains('$') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        let Some((at, next)) = chars.next() else {
            out.push('$');
            break;
        };
        let reference = match next {
            '$' => {
                out.push('$');
                continue;
            }
            '(' | '{' => {
                let close = if next == '(' { ')' } else { '}' };
                let mut level = 1usize;
                let start = at + 1;
                let mut end = text.len();
                for (i, c) in chars.by_ref() {
                    if c == next {
                        level += 1;
                    } else if c == close {
                        level -= 1;
                        if level == 0 {
                            end = i;
                            break;
                        }
                    }
                }
                text.get(start..end).unwrap_or_default().to_owned()
            }
            other => other.to_string(),
        };
        if let Some((function, argument)) = reference.split_once(char::is_whitespace) {
            let argument = make_expand(argument.trim(), vars, auto, depth + 1);
            match function {
                "shell" => {
                    out.push_str("$(");
                    out.push_str(&argument);
                    out.push(')');
                }
                "wildcard" => out.push_str(&argument),
                _ => {}
            }
            continue;
        }
        let name = make_expand(&reference, vars, auto, depth + 1);
        // `$(VAR:.c=.o)`: the variable, its words not substituted.
        let name = name.split_once(':').map_or(name.as_str(), |(n, _)| n);
        if let Some(value) = auto.and_then(|auto| auto.value(name)) {
            out.push_str(&value);
            continue;
        }
        match vars.get(name) {
            Some(value) => out.push_str(&make_expand(value, vars, auto, depth + 1)),
            None if is_name(name) => {
                out.push_str("${");
                out.push_str(name);
                out.push('}');
            }
            None => {}
        }
    }
    out
}
