//! A package manager's command aimed at one package of a workspace runs
//! in that package's directory: `pnpm --filter NAME CMD` (`-F NAME`,
//! `--filter ./path`, `--filter {path}`), `pnpm -C DIR CMD` (`--dir`),
//! `npm -w NAME CMD` (`--workspace`), `yarn workspace NAME CMD` and `yarn
//! --cwd DIR CMD`. Its own scripts, its `publishConfig` and its `.npmrc`
//! then apply, as they do when the manager runs there: the line runs
//! again as `MANAGER CMD` in that directory.
//!
//! A package named by its `"name"` is found among the package.json files
//! known (read or written earlier) where workspaces keep packages: the
//! directories the root's `pnpm-workspace.yaml` or package.json
//! `workspaces` list (`packages/*`), else the usual ones (`packages/`,
//! `apps/`, `libs/`, ...), under the package's unscoped name
//! (`@acme/ui-kit` in `packages/ui-kit`). A selector of several packages
//! (`...`, globs, `-r`) or a package not found leaves the line as it is.

use super::{Lookup, MAX_NESTING, find_file};
use crate::args::Arg;
use crate::commands::{Invocation, Nested, Outcome};
use crate::paths;

/// Where workspaces usually keep their packages and projects.
const USUAL_PARENTS: &[&str] = &[
    "packages", "apps", "libs", "services", "modules", "tools", "plugins", "projects", "internal",
    "examples",
];

/// Global options of the managers that take a value, besides those that
/// choose a package.
const VALUED: &[&str] = &[
    "--loglevel",
    "--reporter",
    "--prefix",
    "--registry",
    "--userconfig",
    "--cache",
    "--workspace-concurrency",
];

/// Runs the line again in the workspace package it is aimed at, in place
/// of what the manager's handler made of it in this directory: true when
/// it did.
pub(super) fn redirect(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) -> bool {
    if !matches!(inv.program, "npm" | "pnpm" | "yarn") {
        return false;
    }
    let Some((dir, rest)) = aimed_at(inv, text_of) else {
        return false;
    };
    let argv = std::iter::once(Arg::literal(inv.program))
        .chain(rest)
        .collect();
    *outcome = Outcome::default();
    outcome.nested.push(Nested::Argv {
        argv,
        env: inv.env.to_vec(),
        cwd: Some(dir),
    });
    true
}

/// The package directory the line is aimed at and its arguments without
/// the selector.
fn aimed_at(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Option<(String, Vec<Arg>)> {
    let mut rest: Vec<Arg> = Vec::new();
    let mut selector: Option<(&str, String)> = None;
    let mut args = inv.args.iter();
    while let Some(arg) = args.next() {
        let text = arg.text.as_str();
        if !text.starts_with('-') || text == "-" {
            // yarn's `workspace NAME CMD...`, before any command.
            if inv.program == "yarn" && text == "workspace" && selector.is_none() {
                let name = args.next()?;
                selector = Some(("workspace", name.text.clone()));
                rest.extend(args.cloned());
                break;
            }
            rest.push(arg.clone());
            rest.extend(args.cloned());
            break;
        }
        let (name, inline) = match text.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (text, None),
        };
        let kind = match (inv.program, name) {
            ("pnpm", "--filter" | "-F") | ("npm", "-w" | "--workspace") => "name",
            ("pnpm", "-C" | "--dir") | ("yarn", "--cwd") => "dir",
            (_, "-r" | "--recursive" | "--workspaces" | "-ws") => return None,
            (_, name) if VALUED.contains(&name) => {
                rest.push(arg.clone());
                if inline.is_none() {
                    rest.extend(args.next().cloned());
                }
                continue;
            }
            _ => {
                rest.push(arg.clone());
                continue;
            }
        };
        let value = match inline {
            Some(value) => value,
            None => args.next()?.text.clone(),
        };
        // Several selectors choose several packages.
        if selector.is_some() {
            return None;
        }
        selector = Some((kind, value));
    }
    let (kind, value) = selector?;
    let dir = match kind {
        "dir" => inv.path(&value),
        _ => package_dir(inv, &value, text_of)?,
    };
    Some((dir, rest))
}

/// The directory of the package a selector names: a path (`./ui`,
/// `{packages/ui}`) or a package's name.
fn package_dir(inv: &Invocation<'_>, selector: &str, text_of: &Lookup<'_>) -> Option<String> {
    if let Some(path) = selector.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
        return Some(inv.path(path));
    }
    if selector.starts_with("./") || selector.starts_with("../") || selector.starts_with('/') {
        return Some(inv.path(selector));
    }
    let several = ["...", "*", "!", "^", "[", "{"];
    if several.iter().any(|s| selector.contains(s)) {
        return None;
    }
    find_member(inv.cwd, selector, "package.json", &[], text_of)
}

/// The directory of the workspace member named `name` whose `file`
/// (package.json, Nx's project.json) is known: one whose `"name"` is
/// `name`, or, with no `"name"`, whose directory is named `name`. Looked
/// for under each root (the workspace's, from the nearest
/// `pnpm-workspace.yaml`, package.json or `nx.json` up from `cwd`, and
/// `cwd`), in the directories its workspaces list, `parents` and the
/// usual ones.
pub(super) fn find_member(
    cwd: &str,
    name: &str,
    file: &str,
    parents: &[String],
    text_of: &Lookup<'_>,
) -> Option<String> {
    let mut roots: Vec<String> = Vec::new();
    for marker in ["pnpm-workspace.yaml", "nx.json", "package.json"] {
        if let Some((dir, _, _)) = find_file(cwd, &[marker], true, text_of)
            && !roots.contains(&dir)
        {
            roots.push(dir);
        }
    }
    if !roots.iter().any(|r| r == cwd) {
        roots.push(cwd.to_owned());
    }
    let leaves = leaf_names(name);
    for root in &roots {
        let mut dirs: Vec<String> = workspace_patterns(root, text_of);
        dirs.extend(parents.iter().cloned());
        dirs.extend(USUAL_PARENTS.iter().map(|p| (*p).to_owned()));
        for pattern in dirs.iter().take(MAX_NESTING * 4) {
            let candidates: Vec<String> = match pattern.strip_suffix("/**") {
                Some(parent) => leaves.iter().map(|l| format!("{parent}/{l}")).collect(),
                None => match pattern.strip_suffix("/*") {
                    Some(parent) => leaves.iter().map(|l| format!("{parent}/{l}")).collect(),
                    None if pattern.contains('*') => Vec::new(),
                    None => std::iter::once(pattern.clone())
                        .chain(leaves.iter().map(|l| format!("{pattern}/{l}")))
                        .collect(),
                },
            };
            for candidate in candidates {
                let dir = paths::resolve(root, "/", &candidate);
                if is_member(&dir, name, file, text_of) {
                    return Some(dir);
                }
            }
        }
    }
    None
}

/// True when `dir`'s known `file` is the member `name`.
fn is_member(dir: &str, name: &str, file: &str, text_of: &Lookup<'_>) -> bool {
    let Some(text) = text_of(&paths::resolve(dir, "/", file)) else {
        return false;
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return false;
    };
    match json.get("name").and_then(|n| n.as_str()) {
        Some(own) => own == name,
        None => paths::basename(dir) == name,
    }
}

/// The directory names a package of that name is usually kept under:
/// `@acme/ui-kit` as `ui-kit` and `acme-ui-kit`.
fn leaf_names(name: &str) -> Vec<String> {
    let unscoped = name.rsplit('/').next().unwrap_or(name).to_owned();
    let flat = name.trim_start_matches('@').replace('/', "-");
    let mut leaves = vec![unscoped];
    if !leaves.contains(&flat) {
        leaves.push(flat);
    }
    leaves
}

/// The member directories a workspace root lists: `pnpm-workspace.yaml`'s
/// `packages` items and package.json's `workspaces` (a list, or its
/// `packages`), as written (`packages/*`).
fn workspace_patterns(root: &str, text_of: &Lookup<'_>) -> Vec<String> {
    let mut patterns = Vec::new();
    if let Some(text) = text_of(&paths::resolve(root, "/", "pnpm-workspace.yaml")) {
        let mut in_packages = false;
        for line in text.lines() {
            let trimmed = line.trim();
            if !line.starts_with([' ', '\t', '-']) && !trimmed.is_empty() {
                in_packages = trimmed.starts_with("packages:");
                continue;
            }
            if let Some(item) = trimmed.strip_prefix('-').filter(|_| in_packages) {
                let item = item.trim().trim_matches(['\'', '"']);
                if !item.starts_with('!') && !item.is_empty() {
                    patterns.push(item.trim_start_matches("./").to_owned());
                }
            }
        }
    }
    if let Some(text) = text_of(&paths::resolve(root, "/", "package.json"))
        && let Ok(json) = serde_json::from_str::<serde_json::Value>(&text)
    {
        let workspaces = json.get("workspaces");
        let list = workspaces
            .and_then(|w| w.as_array())
            .or_else(|| workspaces?.get("packages")?.as_array());
        for item in list.into_iter().flatten() {
            if let Some(item) = item.as_str().filter(|i| !i.starts_with('!')) {
                patterns.push(item.trim_start_matches("./").to_owned());
            }
        }
    }
    patterns
}
