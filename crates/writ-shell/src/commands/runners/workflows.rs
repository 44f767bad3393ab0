//! `act`: GitHub Actions workflows run on this machine. The jobs run
//! their steps' `run:` scripts, with the workflow's, job's and step's
//! `env`, and their `${{ ... }}` expressions read as what act gives them:
//! a secret the line passes (`-s NAME` is the environment variable NAME,
//! `-s NAME=VALUE` that value), `env.X` as the shell's `$X`, the line's
//! `--input`s and `--var`s. Steps that use actions (`uses:`) are not
//! read. act runs the steps in a container holding a copy of the
//! repository; they are read as run here, in the repository.

use std::collections::HashMap;

use yaml_rust2::{Yaml, YamlLoader};

use super::{MAX_JOBS, MAX_NESTING, interpreter_job, shell_job};
use crate::args::{self, Arg, Spec};
use crate::commands::{Invocation, Lookup, Nested};
use crate::paths;

/// act's options that take a value.
const ACT_SPEC: Spec<'static> = Spec {
    short: "WjseCPapE",
    long: &[
        "workflows",
        "job",
        "secret",
        "secret-file",
        "eventpath",
        "env",
        "env-file",
        "input",
        "input-file",
        "var",
        "var-file",
        "platform",
        "container-architecture",
        "directory",
        "actor",
        "artifact-server-path",
        "artifact-server-addr",
        "artifact-server-port",
        "cache-server-path",
        "cache-server-addr",
        "cache-server-port",
        "defaultbranch",
        "matrix",
        "network",
        "container-daemon-socket",
        "container-options",
        "container-cap-add",
        "container-cap-drop",
        "remote-name",
        "github-instance",
        "concurrent-jobs",
        "action-cache-path",
        "userns",
        "local-repository",
        "action-offline-mode",
    ],
    stop_after: None,
};

/// Workflow files tried in a directory act is given (or
/// `.github/workflows`): only files whose text is known can be read, and
/// those are looked up by name.
const CONVENTIONAL_WORKFLOWS: &[&str] = &[
    "ci",
    "main",
    "build",
    "test",
    "tests",
    "lint",
    "release",
    "deploy",
    "publish",
    "nightly",
    "pr",
    "pull_request",
    "push",
    "cd",
    "docker",
    "e2e",
    "integration",
    "checks",
    "smoke",
];

/// Workflow files larger than this are not read.
const MAX_WORKFLOW: usize = 256 * 1024;

/// `act [EVENT] [-W FILE|DIR] [-j JOB] [-s NAME[=VALUE]]... [--env
/// NAME=VALUE]...`: with `-j`, that job of each workflow (after the jobs
/// it `needs`); else every job of the workflows `EVENT` (`push` when
/// none is named) triggers. Listing, graphs and dry runs run nothing.
pub(super) fn act(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let items = args::parse(inv.args, &ACT_SPEC);
    let runs_nothing = [
        "-l",
        "--list",
        "-g",
        "--graph",
        "-n",
        "--dryrun",
        "--version",
        "-h",
        "--help",
        "--bug-report",
        "--list-options",
    ];
    if args::has(&items, &runs_nothing) {
        return Vec::new();
    }
    let dir = args::value(&items, &["-C", "--directory"])
        .map_or_else(|| inv.cwd.to_owned(), |d| inv.path(&d.text));
    let event = args::positionals(&items)
        .first()
        .map_or_else(|| "push".to_owned(), |e| e.text.clone());
    let job = args::value(&items, &["-j", "--job"]).map(|j| j.text.clone());
    let context = Context::from_line(&items, &dir);
    let workflows: Vec<Yaml> = workflow_texts(&items, &dir, text_of)
        .iter()
        .filter(|text| text.len() <= MAX_WORKFLOW)
        .filter_map(|text| YamlLoader::load_from_str(text).ok()?.into_iter().next())
        .collect();
    let mut jobs = Vec::new();
    for workflow in &workflows {
        let Some(defined) = workflow["jobs"].as_hash() else {
            continue;
        };
        let ids: Vec<String> = defined
            .keys()
            .filter_map(|k| k.as_str().map(str::to_owned))
            .collect();
        let chosen: Vec<String> = match &job {
            Some(job) => ids.into_iter().filter(|id| id == job).collect(),
            None if triggered_by(workflow, &event) => ids,
            None => Vec::new(),
        };
        let mut done = Vec::new();
        for id in chosen {
            run_job(workflow, &id, &context, 0, &mut done, &mut jobs);
        }
    }
    jobs.truncate(MAX_JOBS);
    jobs
}

/// The texts of the workflows act reads: `-W`'s file, or the known files
/// of `-W`'s directory (`.github/workflows` by default).
fn workflow_texts(items: &[args::Item<'_>], dir: &str, text_of: &Lookup<'_>) -> Vec<String> {
    let given = args::values(items, &["-W", "--workflows"]);
    let places: Vec<String> = if given.is_empty() {
        vec![paths::resolve(dir, "/", ".github/workflows")]
    } else {
        given
            .iter()
            .map(|w| paths::resolve(dir, "/", &w.text))
            .collect()
    };
    let mut texts = Vec::new();
    for place in places {
        if place.ends_with(".yml") || place.ends_with(".yaml") {
            texts.extend(text_of(&place));
            continue;
        }
        for name in CONVENTIONAL_WORKFLOWS {
            for extension in ["yml", "yaml"] {
                texts.extend(text_of(&format!("{place}/{name}.{extension}")));
            }
        }
    }
    texts
}

/// True when `event` triggers the workflow: its `on` names it (a name, a
/// list of names, or a map's keys).
fn triggered_by(workflow: &Yaml, event: &str) -> bool {
    match &workflow["on"] {
        Yaml::String(name) => name == event,
        Yaml::Array(names) => names.iter().any(|n| n.as_str() == Some(event)),
        Yaml::Hash(map) => map.keys().any(|k| k.as_str() == Some(event)),
        _ => false,
    }
}

/// What a run's expressions read from the act command line.
struct Context {
    dir: String,
    /// `-s NAME[=VALUE]`: secrets given, by name, with the value when given.
    secrets: HashMap<String, Option<Arg>>,
    /// `--env NAME=VALUE`.
    env: Vec<(String, Arg)>,
    /// `--input NAME=VALUE` and `--var NAME=VALUE`.
    inputs: HashMap<String, String>,
    vars: HashMap<String, String>,
    /// `--secret-file`: secrets whose values are in a file, by name.
    secret_file: bool,
}

impl Context {
    fn from_line(items: &[args::Item<'_>], dir: &str) -> Context {
        let pairs = |names: &[&str]| -> Vec<(String, Option<Arg>)> {
            args::values(items, names)
                .into_iter()
                .map(|arg| match arg.text.split_once('=') {
                    Some((name, value)) => (name.to_owned(), Some(arg.with_text(value))),
                    None => (arg.text.clone(), None),
                })
                .collect()
        };
        let texts = |names: &[&str]| -> HashMap<String, String> {
            pairs(names)
                .into_iter()
                .filter_map(|(name, value)| Some((name, value?.text)))
                .collect()
        };
        Context {
            dir: dir.to_owned(),
            secrets: pairs(&["-s", "--secret"]).into_iter().collect(),
            env: pairs(&["--env"])
                .into_iter()
                .filter_map(|(name, value)| Some((name, value?)))
                .collect(),
            inputs: texts(&["--input"]),
            vars: texts(&["--var"]),
            secret_file: args::has(items, &["--secret-file"]),
        }
    }

    /// The shell text an expression stands for: `secrets.NAME` and
    /// `env.NAME` as `${NAME}` (a secret the line does not give is empty),
    /// `inputs.NAME` and `vars.NAME` as the line gives them, `A || B` as
    /// the first that is not empty; anything else is empty.
    fn expression(&self, expression: &str) -> String {
        for alternative in expression.split("||") {
            let value = self.operand(alternative.trim());
            if !value.is_empty() {
                return value;
            }
        }
        String::new()
    }

    fn operand(&self, operand: &str) -> String {
        let field = |prefix: &str| {
            operand
                .strip_prefix(prefix)
                .map(|name| name.trim_matches(|c| c == '\'' || c == '"' || c == '[' || c == ']'))
        };
        if let Some(name) = field("secrets.").or_else(|| field("secrets[")) {
            let given = self.secrets.contains_key(name) || self.secret_file;
            return if given && super::is_name(name) {
                format!("${{{name}}}")
            } else {
                String::new()
            };
        }
        if let Some(name) = field("env.").filter(|n| super::is_name(n)) {
            return format!("${{{name}}}");
        }
        if let Some(name) = field("inputs.").or_else(|| field("github.event.inputs.")) {
            return self.inputs.get(name).cloned().unwrap_or_default();
        }
        if let Some(name) = field("vars.") {
            return self.vars.get(name).cloned().unwrap_or_default();
        }
        if operand == "github.workspace" {
            return self.dir.clone();
        }
        if let Some(text) = operand
            .strip_prefix('\'')
            .and_then(|o| o.strip_suffix('\''))
        {
            return text.replace("''", "'");
        }
        String::new()
    }

    /// `text` with its `${{ ... }}` expressions replaced.
    fn substitute(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find("${{") {
            out.push_str(rest.get(..open).unwrap_or_default());
            let after = rest.get(open + 3..).unwrap_or_default();
            let Some(close) = after.find("}}") else {
                out.push_str(rest.get(open..).unwrap_or_default());
                return out;
            };
            out.push_str(&self.expression(after.get(..close).unwrap_or_default().trim()));
            rest = after.get(close + 2..).unwrap_or_default();
        }
        out.push_str(rest);
        out
    }

    /// The environment every step gets from the line: `--env`, and the
    /// secrets given with their values.
    fn line_env(&self) -> Vec<(String, Arg)> {
        let mut env = self.env.clone();
        for (name, value) in &self.secrets {
            if let Some(value) = value {
                env.push((name.clone(), value.clone()));
            }
        }
        env
    }
}

/// Adds the jobs of the job `id`, after those of the jobs it `needs`.
fn run_job(
    workflow: &Yaml,
    id: &str,
    context: &Context,
    depth: usize,
    done: &mut Vec<String>,
    jobs: &mut Vec<Nested>,
) {
    if depth > MAX_NESTING || jobs.len() >= MAX_JOBS || done.iter().any(|d| d == id) {
        return;
    }
    done.push(id.to_owned());
    let job = &workflow["jobs"][id];
    let needs: Vec<String> = match &job["needs"] {
        Yaml::String(name) => vec![name.clone()],
        Yaml::Array(names) => names
            .iter()
            .filter_map(|n| n.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    for need in needs {
        run_job(workflow, &need, context, depth + 1, done, jobs);
    }
    let Some(steps) = job["steps"].as_vec() else {
        return;
    };
    let defaults = |key: &str| {
        job["defaults"]["run"][key]
            .as_str()
            .or_else(|| workflow["defaults"]["run"][key].as_str())
            .map(str::to_owned)
    };
    for step in steps {
        let Some(run) = step["run"].as_str() else {
            continue;
        };
        let mut exports = String::new();
        for scope in [&workflow["env"], &job["env"], &step["env"]] {
            exports.push_str(&env_exports(scope, context));
        }
        let script = format!("{exports}{}", context.substitute(run));
        let cwd = step["working-directory"]
            .as_str()
            .map(str::to_owned)
            .or_else(|| defaults("working-directory"))
            .map_or_else(
                || context.dir.clone(),
                |d| paths::resolve(&context.dir, "/", &d),
            );
        let shell = step["shell"]
            .as_str()
            .map(str::to_owned)
            .or_else(|| defaults("shell"));
        let shell = shell.as_deref().unwrap_or("bash");
        let program = shell.split_whitespace().next().unwrap_or("bash");
        let job = match paths::basename(program) {
            "bash" | "sh" => Some(shell_job(&script, &cwd)),
            _ => interpreter_job(program, &context.substitute(run), &cwd),
        };
        if let Some(Nested::Argv { argv, cwd, .. }) = job {
            jobs.push(Nested::Argv {
                argv,
                env: context.line_env(),
                cwd,
            });
        }
    }
}

/// An `env` map as shell `export` lines, their values' expressions
/// replaced.
fn env_exports(env: &Yaml, context: &Context) -> String {
    let Some(map) = env.as_hash() else {
        return String::new();
    };
    let mut lines = String::new();
    for (name, value) in map {
        let Some(name) = name.as_str().filter(|n| super::is_name(n)) else {
            continue;
        };
        let value = match value {
            Yaml::String(text) | Yaml::Real(text) => text.clone(),
            Yaml::Integer(n) => n.to_string(),
            Yaml::Boolean(b) => b.to_string(),
            _ => continue,
        };
        let value = context
            .substitute(&value)
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('`', "\\`");
        lines.push_str(&format!("export {name}=\"{value}\"\n"));
    }
    lines
}
