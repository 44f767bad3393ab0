//! Julia: `julia -e CODE` (`--eval`, `-E`/`--print`), a script (`julia
//! f.jl`: read), a file loaded first (`-L f.jl`: read), or code on
//! standard input. The code is read as other inline code is (requests,
//! commands in backticks, files, SQL through `LibPQ`), and for the
//! package manager's installs,
//! from the General registry through the package server
//! (`JULIA_PKG_SERVER` names another): `Pkg.add("X")`, `Pkg.add(["A",
//! "B"])`, `Pkg.add(name="X")`, `Pkg.add(PackageSpec(name="X",
//! version="1"))`, `Pkg.develop(...)`, and package-mode commands written
//! as `pkg"add X Y"`. A URL (`url="https://..."`, or given for the name)
//! installs from that repository; a `path=` or a local path from this
//! machine.

use super::packages::{env_registry, is_local_or_url};
use super::{Invocation, Outcome};
use crate::{Effect, PackageInstall};

/// Julia's functions that read a file they are given by name
/// (`read("f", String)`, `readlines("f")`), as the `open` the inline
/// reader knows.
const FILE_READS: &[&str] = &["read(", "readlines(", "readchomp(", "eachline(", "readdlm("];

/// `code` with Julia's file reads spelled as `open(...)`.
fn file_reads_as_opens(code: &str) -> String {
    FILE_READS.iter().fold(code.to_owned(), |code, read| {
        super::inline::renamed_calls(&code, read, "open(").unwrap_or(code)
    })
}

/// Options whose value is the next word (others take theirs after `=`).
const VALUE_OPTIONS: &[&str] = &[
    "-t",
    "--threads",
    "-p",
    "--procs",
    "-J",
    "--sysimage",
    "-C",
    "--cpu-target",
    "-H",
    "--home",
    "--machine-file",
    "--heap-size-hint",
    "--gcthreads",
];

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    if inv.program != "julia" {
        return None;
    }
    let mut outcome = Outcome::default();
    let mut code: Vec<String> = Vec::new();
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        let (option, attached) = match text.split_once('=') {
            Some((option, value)) if option.starts_with("--") => (option, Some(value)),
            _ => (text, None),
        };
        let value = |words: &mut std::slice::Iter<'_, crate::args::Arg>| match attached {
            Some(value) => Some(value.to_owned()),
            None => words.next().map(|w| w.text.clone()),
        };
        match option {
            "-e" | "--eval" | "-E" | "--print" => code.extend(value(&mut words)),
            "-L" | "--load" => {
                if let Some(file) = value(&mut words) {
                    outcome.read(inv.path(&file), false);
                }
            }
            _ if VALUE_OPTIONS.contains(&option) && attached.is_none() => {
                words.next();
            }
            _ if text.starts_with('-') => {}
            // The script (after code, the code's arguments).
            _ => {
                if code.is_empty() {
                    outcome.read(inv.path(text), false);
                    return Some(outcome);
                }
                break;
            }
        }
    }
    if code.is_empty() && inv.has_stdin {
        if inv.stdin.files.is_empty() && inv.stdin.env.is_empty() {
            code.push(inv.stdin.text.join("\n"));
        }
        outcome
            .opaque
            .push("julia runs code from standard input".to_owned());
    }
    let mut installs = Installs::default();
    for text in &code {
        read_installs(text, &mut installs);
        // Requests, commands (`` run(`git push`) ``), files and SQL.
        super::inline::analyze(inv, &file_reads_as_opens(text), &mut outcome);
        outcome
            .opaque
            .push(format!("julia runs inline code: {text}"));
    }
    if !installs.names.is_empty() {
        outcome.effects.push(Effect::PackageInstall(PackageInstall {
            manager: "julia".to_owned(),
            packages: installs.names,
            registry: env_registry(inv),
        }));
    }
    // A repository an install names is the install's, not a fetch of its own.
    outcome.effects.retain(|effect| {
        !matches!(effect, Effect::Request(request)
            if request.method == "GET"
                && matches!(&request.target, crate::Target::Url { url }
                    if installs.repositories.iter().any(|r| r == url)))
    });
    for repository in installs.repositories {
        let source = repository
            .split('#')
            .next()
            .unwrap_or(&repository)
            .trim_end_matches(".git")
            .to_owned();
        outcome.effects.push(Effect::PackageInstall(PackageInstall {
            manager: "julia".to_owned(),
            packages: vec![repository],
            registry: Some(source),
        }));
    }
    Some(outcome)
}

/// Packages the code installs: registry names and repository URLs.
#[derive(Debug, Default, PartialEq, Eq)]
struct Installs {
    names: Vec<String>,
    repositories: Vec<String>,
}

impl Installs {
    /// A package as given: a URL is a repository, a local path nothing.
    fn add(&mut self, spec: &str) {
        let spec = spec.trim();
        if spec.contains("://") || spec.starts_with("git@") {
            self.repositories.push(spec.to_owned());
        } else if !spec.is_empty() && !is_local_or_url(spec) {
            self.names.push(spec.to_owned());
        }
    }
}

/// The installs of `Pkg.add(...)`/`Pkg.develop(...)` calls and `pkg"..."`
/// package-mode text in `code`.
fn read_installs(code: &str, installs: &mut Installs) {
    for call in ["Pkg.add(", "Pkg.develop("] {
        let mut from = 0;
        while let Some(at) = code.get(from..).and_then(|rest| rest.find(call)) {
            let start = from + at + call.len();
            let arguments = inside_parentheses(code.get(start..).unwrap_or_default());
            for (key, value) in string_literals(arguments) {
                match key {
                    None | Some("name") => installs.add(&value),
                    Some("url") => installs.repositories.push(value),
                    _ => {}
                }
            }
            from = start;
        }
    }
    let mut from = 0;
    while let Some(at) = code.get(from..).and_then(|rest| rest.find("pkg\"")) {
        let start = from + at + "pkg\"".len();
        let rest = code.get(start..).unwrap_or_default();
        let (text, consumed) = match rest.strip_prefix("\"\"") {
            Some(triple) => {
                let end = triple.find("\"\"\"").unwrap_or(triple.len());
                (triple.get(..end).unwrap_or_default(), end + 2)
            }
            None => {
                let end = rest.find('"').unwrap_or(rest.len());
                (rest.get(..end).unwrap_or_default(), end)
            }
        };
        package_mode(text, installs);
        from = start + consumed;
    }
}

/// Package-mode commands (`add X Y@1.2 Z#main URL`, `dev X`), one a line
/// or separated by `;`.
fn package_mode(text: &str, installs: &mut Installs) {
    for command in text.split(['\n', ';']) {
        let mut words = command.split_whitespace();
        if matches!(words.next(), Some("add" | "dev" | "develop")) {
            for word in words.filter(|w| !w.starts_with('-')) {
                installs.add(word);
            }
        }
    }
}

/// The text up to the parenthesis that closes one already open.
fn inside_parentheses(text: &str) -> &str {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '(' if !in_string => depth += 1,
            ')' if !in_string => {
                if depth == 0 {
                    return text.get(..at).unwrap_or(text);
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    text
}

/// The string literals in call arguments, each with the keyword it is
/// given for (`name="X"` is `(Some("name"), "X")`).
fn string_literals(text: &str) -> Vec<(Option<&str>, String)> {
    let mut literals = Vec::new();
    let mut chars = text.char_indices();
    while let Some((at, c)) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut value = String::new();
        let mut escaped = false;
        for (_, c) in chars.by_ref() {
            match c {
                _ if escaped => {
                    value.push(c);
                    escaped = false;
                }
                '\\' => escaped = true,
                '"' => break,
                _ => value.push(c),
            }
        }
        let before = text.get(..at).unwrap_or_default().trim_end();
        let key = before
            .strip_suffix('=')
            .filter(|b| !b.ends_with(['=', '!', '<', '>']))
            .map(|b| {
                let b = b.trim_end();
                let start = b
                    .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .map_or(0, |i| i + 1);
                b.get(start..).unwrap_or_default()
            });
        literals.push((key, value));
    }
    literals
}

#[cfg(test)]
mod tests {
    use super::*;

    fn installs(code: &str) -> Installs {
        let mut installs = Installs::default();
        read_installs(code, &mut installs);
        installs
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn reads_pkg_calls_and_package_mode() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            (r#"using Pkg; Pkg.add("EDF")"#, &["EDF"], &[]),
            (r#"import Pkg; Pkg.add(["A", "B"])"#, &["A", "B"], &[]),
            (r#"Pkg.add(name="CSV", version="0.10")"#, &["CSV"], &[]),
            (
                r#"Pkg.add(PackageSpec(url="https://github.com/o/X.jl.git", rev="main"))"#,
                &[],
                &["https://github.com/o/X.jl.git"],
            ),
            (r#"Pkg.develop(path="./dev/Local")"#, &[], &[]),
            (r#"Pkg.instantiate(); Pkg.status()"#, &[], &[]),
            (
                r#"using Pkg; pkg"add Plots DataFrames@1.6""#,
                &["Plots", "DataFrames@1.6"],
                &[],
            ),
            (r#"pkg"registry add https://x/R.git""#, &[], &[]),
            ("pkg\"\"\"add A\ndev B\"\"\"", &["A", "B"], &[]),
        ];
        for (code, expected_names, expected_repositories) in cases {
            assert_eq!(
                installs(code),
                Installs {
                    names: names(expected_names),
                    repositories: names(expected_repositories),
                },
                "{code}"
            );
        }
    }

    #[test]
    fn keys_are_the_keyword_before_a_literal() {
        assert_eq!(
            string_literals(r#"name = "X", "Y", v=="Z""#),
            vec![
                (Some("name"), "X".to_owned()),
                (None, "Y".to_owned()),
                (None, "Z".to_owned()),
            ]
        );
    }
}
