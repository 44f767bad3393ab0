//! The program `cargo run` builds and runs, by Cargo's conventions, and
//! the words it is given (after `--`):
//! - `--bin NAME` is `src/bin/NAME.rs` or `src/bin/NAME/main.rs`, or the
//!   `[[bin]]` of that name's `path` in a `Cargo.toml` whose text is
//!   known, or `src/main.rs` when the package has that name;
//! - `--example NAME` is `examples/NAME.rs` or `examples/NAME/main.rs`;
//! - neither is `src/main.rs` (or the one `[[bin]]`'s path);
//! - `-p PKG` (`--package`) looks in the package's directory: `PKG` or
//!   `crates/PKG` under the directory cargo runs in (`--manifest-path`
//!   names it);
//! - an alias of `.cargo/config.toml` (`[alias] xtask = "run --package
//!   xtask --"`, in the directory or a parent) runs what it stands for, and
//!   `cargo xtask ...` without one is `cargo run --package xtask -- ...`,
//!   the convention it follows.

use crate::args::Arg;
use crate::commands::toml::{Document, Value};
use crate::commands::{Invocation, Lookup};
use crate::paths;

/// `cargo run`'s options that take a value (besides those read here).
const VALUED: &[&str] = &[
    "--features",
    "-F",
    "--target",
    "--target-dir",
    "--profile",
    "-j",
    "--jobs",
    "--color",
    "--config",
    "-Z",
    "--message-format",
];

/// How many parent directories are searched for `.cargo/config.toml`.
const MAX_PARENTS: usize = 16;

/// What `cargo run` runs: the files that may hold its `main`, in order,
/// and the words it passes the program (`None` when they are not known).
pub(super) struct Program {
    pub(super) files: Vec<String>,
    pub(super) words: Option<Vec<String>>,
}

/// The program `inv` (a `cargo` line) runs, or `None` when it runs none.
pub(super) fn program(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Option<Program> {
    if inv.program != "cargo" {
        return None;
    }
    let args: Vec<&Arg> = inv
        .args
        .iter()
        .skip_while(|a| a.text.starts_with('+'))
        .collect();
    let (verb, rest) = args.split_first()?;
    let expanded: Vec<String>;
    let words: Vec<(String, bool)> = match verb.text.as_str() {
        "run" | "r" => rest.iter().map(|a| (a.text.clone(), a.dynamic)).collect(),
        alias if !alias.starts_with('-') => {
            expanded = aliased(inv, alias, text_of)?;
            let (first, more) = expanded.split_first()?;
            if !matches!(first.as_str(), "run" | "r") {
                return None;
            }
            more.iter()
                .map(|w| (w.clone(), false))
                .chain(rest.iter().map(|a| (a.text.clone(), a.dynamic)))
                .collect()
        }
        _ => return None,
    };
    Some(from_options(inv, &words, text_of))
}

/// What an alias stands for (`xtask` is `run --package xtask --` unless
/// configured otherwise), or `None` for a word that is no alias.
fn aliased(inv: &Invocation<'_>, alias: &str, text_of: &Lookup<'_>) -> Option<Vec<String>> {
    let mut dir = inv.cwd.to_owned();
    for _ in 0..MAX_PARENTS {
        for name in [".cargo/config.toml", ".cargo/config"] {
            let Some(text) = text_of(&format!("{}/{name}", dir.trim_end_matches('/'))) else {
                continue;
            };
            let document = Document::parse(&text);
            match document.get(&["alias", alias]) {
                Some(Value::Str(line)) => {
                    return Some(line.split_whitespace().map(str::to_owned).collect());
                }
                Some(value @ Value::Array(_)) => return Some(value.strings()),
                _ => {}
            }
        }
        match dir.rsplit_once('/') {
            Some((parent, _)) if !parent.is_empty() => dir = parent.to_owned(),
            _ => break,
        }
    }
    (alias == "xtask").then(|| {
        ["run", "--package", "xtask", "--"]
            .map(str::to_owned)
            .to_vec()
    })
}

/// The program of `cargo run`'s option words.
fn from_options(inv: &Invocation<'_>, words: &[(String, bool)], text_of: &Lookup<'_>) -> Program {
    let mut bin = None;
    let mut example = None;
    let mut package = None;
    let mut manifest = None;
    // No `--`: the program is given no words.
    let mut passed = Some(Vec::new());
    let mut at = 0;
    while let Some((word, _)) = words.get(at) {
        if word == "--" {
            let rest = words.get(at + 1..).unwrap_or_default();
            passed = (!rest.iter().any(|(_, dynamic)| *dynamic))
                .then(|| rest.iter().map(|(w, _)| w.clone()).collect());
            break;
        }
        let (name, inline) = match word.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (word.as_str(), None),
        };
        let slot = match name {
            "--bin" => Some(&mut bin),
            "--example" => Some(&mut example),
            "-p" | "--package" => Some(&mut package),
            "--manifest-path" => Some(&mut manifest),
            _ => None,
        };
        if let Some(slot) = slot {
            let value = match inline {
                Some(value) => Some(value),
                None => {
                    at += 1;
                    words.get(at).map(|(w, _)| w.clone())
                }
            };
            *slot = value;
        } else if VALUED.contains(&name) && inline.is_none() {
            at += 1;
        }
        at += 1;
    }
    let dirs: Vec<String> = match (manifest, package) {
        (Some(manifest), _) => {
            let path = inv.path(&manifest);
            vec![
                path.rsplit_once('/')
                    .map_or(path.clone(), |(dir, _)| dir.to_owned()),
            ]
        }
        (None, Some(package)) => vec![
            inv.path(&package),
            inv.path(&format!("crates/{package}")),
            inv.cwd.to_owned(),
        ],
        (None, None) => vec![inv.cwd.to_owned()],
    };
    let files = dirs
        .iter()
        .flat_map(|dir| entry_files(dir, bin.as_deref(), example.as_deref(), text_of))
        .collect();
    Program {
        files,
        words: passed,
    }
}

/// The files that may hold the `main` of the target in package `dir`.
fn entry_files(
    dir: &str,
    bin: Option<&str>,
    example: Option<&str>,
    text_of: &Lookup<'_>,
) -> Vec<String> {
    let dir = dir.trim_end_matches('/');
    let manifest = text_of(&format!("{dir}/Cargo.toml"));
    let bins = manifest.as_deref().map(declared_bins).unwrap_or_default();
    let declared = |name: &str| {
        bins.iter()
            .filter(|(n, _)| n.as_deref() == Some(name))
            .map(|(_, path)| paths::normalize(&format!("{dir}/{path}")))
            .collect::<Vec<_>>()
    };
    if let Some(name) = example {
        return vec![
            format!("{dir}/examples/{name}.rs"),
            format!("{dir}/examples/{name}/main.rs"),
        ];
    }
    let Some(name) = bin else {
        let mut files = vec![format!("{dir}/src/main.rs")];
        if let [(_, path)] = bins.as_slice() {
            files.push(paths::normalize(&format!("{dir}/{path}")));
        }
        return files;
    };
    let mut files = declared(name);
    files.push(format!("{dir}/src/bin/{name}.rs"));
    files.push(format!("{dir}/src/bin/{name}/main.rs"));
    let package = manifest.as_deref().and_then(|text| {
        match Document::parse(text).get(&["package", "name"]) {
            Some(Value::Str(name)) => Some(name.clone()),
            _ => None,
        }
    });
    if package.as_deref().unwrap_or(paths::basename(dir)) == name {
        files.push(format!("{dir}/src/main.rs"));
    }
    files
}

/// The `[[bin]]` tables of a manifest: their names and paths.
fn declared_bins(text: &str) -> Vec<(Option<String>, String)> {
    let mut bins = Vec::new();
    let mut current: Option<(Option<String>, Option<String>)> = None;
    let value = |line: &str| {
        line.split_once('=')
            .map(|(_, v)| v.trim().trim_matches(['"', '\'']).to_owned())
    };
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            if let Some((name, Some(path))) = current.take() {
                bins.push((name, path));
            }
            if line == "[[bin]]" {
                current = Some((None, None));
            }
            continue;
        }
        if let Some((name, path)) = current.as_mut() {
            let key = line.split('=').next().unwrap_or_default().trim();
            match key {
                "name" => *name = value(line),
                "path" => *path = value(line),
                _ => {}
            }
        }
    }
    if let Some((name, Some(path))) = current {
        bins.push((name, path));
    }
    bins
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_read_from_manifests() {
        let text = "[package]\nname = \"x\"\n\n[[bin]]\nname = \"diag\"\npath = \"tools/diag.rs\"\n\n[dependencies]\n";
        assert_eq!(
            declared_bins(text),
            vec![(Some("diag".to_owned()), "tools/diag.rs".to_owned())]
        );
    }
}
