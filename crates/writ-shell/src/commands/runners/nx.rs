//! Nx: `nx run PROJECT:TARGET[:CONFIGURATION] [--NAME=value...]` and
//! `nx TARGET PROJECT` (also under `npx`, `pnpm nx`, `yarn nx`) run the
//! target of the project whose `project.json` is known (read or written
//! earlier): found by its `"name"` (or its directory's name) where the
//! workspace keeps projects (`node_workspaces::find_member`: `apps/`,
//! `libs/`, nx.json's `workspaceLayout` directories, ...), or the
//! project.json of the directory nx runs in when no project is named.
//!
//! A target of the `nx:run-commands` executor (or its older names, or the
//! `"command"` shorthand) runs its `options.command` or each of its
//! `options.commands` (strings or `{"command": ...}` objects), by `sh -c`
//! in `options.cwd` under the workspace root (the root itself by
//! default), its options overridden by the chosen `configurations` entry;
//! `{args.NAME}` is the line's `--NAME=value`, `{projectRoot}`,
//! `{projectName}` and `{workspaceRoot}` what they name. `nx:run-script`
//! runs the project's package.json script of that name. Other executors
//! (builders of plugins) and `dependsOn` are not followed; the line's
//! other arguments are not forwarded to the commands.

use std::collections::HashMap;

use serde_json::Value as Json;

use super::{Lookup, find_file, node_workspaces, shell_job};
use crate::commands::{Invocation, Nested};
use crate::paths;

/// True for a program this module runs the targets of.
pub(super) fn is_runner(program: &str) -> bool {
    program == "nx"
}

/// nx's own commands, which name no target.
const COMMANDS: &[&str] = &[
    "run-many",
    "affected",
    "graph",
    "dep-graph",
    "generate",
    "g",
    "migrate",
    "reset",
    "report",
    "list",
    "show",
    "init",
    "add",
    "release",
    "daemon",
    "format",
    "format:check",
    "format:write",
    "print-affected",
    "connect",
    "view-logs",
    "watch",
    "exec",
    "sync",
    "sync:check",
    "repair",
    "import",
    "login",
    "logout",
];

/// The jobs of an `nx` line whose project's target is known.
pub(super) fn nx(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let (words, options) = split_arguments(inv);
    let Some((project, target, configuration)) = chosen_target(&words) else {
        return Vec::new();
    };
    let configuration = configuration.or_else(|| {
        options
            .get("configuration")
            .or_else(|| options.get("c"))
            .cloned()
    });
    let Some((root, project_dir, project_json)) = project_file(inv, project.as_deref(), text_of)
    else {
        return Vec::new();
    };
    let Some(spec) = project_json.get("targets").and_then(|t| t.get(&target)) else {
        return Vec::new();
    };
    let name = project_json
        .get("name")
        .and_then(Json::as_str)
        .map_or_else(|| paths::basename(&project_dir).to_owned(), str::to_owned);
    let context = Context {
        root: &root,
        project_dir: &project_dir,
        project: &name,
        args: &options,
    };
    target_jobs(spec, configuration.as_deref(), &context, text_of)
}

/// The line's words, and its `--NAME=value` / `--NAME value` options (a
/// switch as `true`).
fn split_arguments(inv: &Invocation<'_>) -> (Vec<String>, HashMap<String, String>) {
    let mut words = Vec::new();
    let mut options = HashMap::new();
    let mut args = inv.args.iter().peekable();
    while let Some(arg) = args.next() {
        let text = arg.text.as_str();
        if text == "--" {
            continue;
        }
        let Some(option) = text.strip_prefix("--").or_else(|| text.strip_prefix('-')) else {
            words.push(text.to_owned());
            continue;
        };
        match option.split_once('=') {
            Some((name, value)) => {
                options.insert(name.to_owned(), value.to_owned());
            }
            None => {
                let value = args
                    .next_if(|next| !next.text.starts_with('-'))
                    .map_or_else(|| "true".to_owned(), |next| next.text.clone());
                options.insert(option.to_owned(), value);
            }
        }
    }
    (words, options)
}

/// The project (`None`: the one nx runs in), target and configuration the
/// words choose: `run P:T[:C]`, `run T`, `T P`, `T`.
fn chosen_target(words: &[String]) -> Option<(Option<String>, String, Option<String>)> {
    let (first, rest) = words.split_first()?;
    if first == "run" {
        let spec = rest.first()?;
        let mut parts = spec.splitn(3, ':');
        let a = parts.next()?.to_owned();
        return Some(match parts.next() {
            Some(target) => (Some(a), target.to_owned(), parts.next().map(str::to_owned)),
            None => (None, a, None),
        });
    }
    if COMMANDS.contains(&first.as_str()) {
        return None;
    }
    // `nx web:build` is `nx run web:build`.
    if let Some((project, target)) = first.split_once(':') {
        let (target, configuration) = match target.split_once(':') {
            Some((t, c)) => (t.to_owned(), Some(c.to_owned())),
            None => (target.to_owned(), None),
        };
        return Some((Some(project.to_owned()), target, configuration));
    }
    Some((rest.first().cloned(), first.clone(), None))
}

/// The workspace root, the project's directory and its project.json.
fn project_file(
    inv: &Invocation<'_>,
    project: Option<&str>,
    text_of: &Lookup<'_>,
) -> Option<(String, String, Json)> {
    let nx_json = find_file(inv.cwd, &["nx.json"], true, text_of);
    let root = nx_json
        .as_ref()
        .map(|(dir, _, _)| dir.clone())
        .or_else(|| find_file(inv.cwd, &["package.json"], true, text_of).map(|(dir, _, _)| dir))
        .unwrap_or_else(|| inv.cwd.to_owned());
    let (dir, text) = match project {
        Some(name) => {
            let parents = layout_dirs(nx_json.as_ref().map(|(_, _, text)| text.as_str()));
            let dir = node_workspaces::find_member(&root, name, "project.json", &parents, text_of)?;
            let text = text_of(&paths::resolve(&dir, "/", "project.json"))?;
            (dir, text)
        }
        None => {
            let (dir, _, text) = find_file(inv.cwd, &["project.json"], true, text_of)?;
            (dir, text)
        }
    };
    let json = serde_json::from_str(&text).ok()?;
    Some((root, dir, json))
}

/// nx.json's `workspaceLayout` directories (`appsDir`, `libsDir`).
fn layout_dirs(nx_json: Option<&str>) -> Vec<String> {
    let Some(json) = nx_json.and_then(|t| serde_json::from_str::<Json>(t).ok()) else {
        return Vec::new();
    };
    ["appsDir", "libsDir"]
        .iter()
        .filter_map(|key| json.get("workspaceLayout")?.get(*key)?.as_str())
        .map(|dir| format!("{}/*", dir.trim_end_matches('/')))
        .collect()
}

/// What a target's interpolations stand for.
struct Context<'a> {
    root: &'a str,
    project_dir: &'a str,
    project: &'a str,
    args: &'a HashMap<String, String>,
}

/// The jobs of one target.
fn target_jobs(
    spec: &Json,
    configuration: Option<&str>,
    context: &Context<'_>,
    text_of: &Lookup<'_>,
) -> Vec<Nested> {
    let mut options = spec
        .get("options")
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(chosen) = configuration
        .and_then(|c| spec.get("configurations")?.get(c)?.as_object())
        .cloned()
    {
        options.extend(chosen);
    }
    let executor = spec.get("executor").and_then(Json::as_str).unwrap_or("");
    if executor.ends_with(":run-script") {
        let Some(script) = options.get("script").and_then(Json::as_str) else {
            return Vec::new();
        };
        let package = text_of(&paths::resolve(context.project_dir, "/", "package.json"))
            .and_then(|text| serde_json::from_str::<Json>(&text).ok());
        return package
            .as_ref()
            .and_then(|p| p.get("scripts")?.get(script)?.as_str())
            .map(|text| vec![shell_job(text, context.project_dir)])
            .unwrap_or_default();
    }
    let shorthand = spec.get("command").cloned();
    let runs_commands = executor.ends_with(":run-commands") || shorthand.is_some();
    if !runs_commands {
        return Vec::new();
    }
    let mut commands: Vec<String> = Vec::new();
    let command = shorthand.or_else(|| options.get("command").cloned());
    commands.extend(command.as_ref().and_then(Json::as_str).map(str::to_owned));
    for item in options
        .get("commands")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let text = item
            .as_str()
            .or_else(|| item.get("command").and_then(Json::as_str));
        commands.extend(text.map(str::to_owned));
    }
    let cwd = options.get("cwd").and_then(Json::as_str).map_or_else(
        || context.root.to_owned(),
        |dir| paths::resolve(context.root, "/", &interpolate(dir, context)),
    );
    commands
        .iter()
        .map(|command| interpolate(command, context))
        .filter(|command| !command.trim().is_empty())
        .map(|command| shell_job(&command, &cwd))
        .collect()
}

/// A command with its `{args.NAME}`, `{projectRoot}`, `{projectName}` and
/// `{workspaceRoot}` filled in; an argument the line does not give stays
/// as written.
fn interpolate(text: &str, context: &Context<'_>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(rest.get(..open).unwrap_or_default());
        let after = rest.get(open + 1..).unwrap_or_default();
        let Some(close) = after.find('}') else {
            out.push_str(rest.get(open..).unwrap_or_default());
            return out;
        };
        let name = after.get(..close).unwrap_or_default().trim();
        let value = match name {
            "projectRoot" => Some(relative(context.project_dir, context.root)),
            "projectName" => Some(context.project.to_owned()),
            "workspaceRoot" => Some(context.root.to_owned()),
            _ => name
                .strip_prefix("args.")
                .and_then(|arg| context.args.get(arg).cloned()),
        };
        match value {
            Some(value) => out.push_str(&value),
            None => out.push_str(rest.get(open..=open + close + 1).unwrap_or_default()),
        }
        rest = after.get(close + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// `dir` relative to `root` (itself when it is not under it).
fn relative(dir: &str, root: &str) -> String {
    dir.strip_prefix(root)
        .and_then(|d| d.strip_prefix('/'))
        .map_or_else(|| dir.to_owned(), str::to_owned)
}
