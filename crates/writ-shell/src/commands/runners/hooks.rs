//! Hooks git runs, and the pre-commit framework's. `git commit` runs the
//! repository's `pre-commit`, `prepare-commit-msg`, `commit-msg` and
//! `post-commit` hooks (`git push` its `pre-push`): a hook script whose
//! text is known (in `.git/hooks/`, husky's `.husky/`, or `-c
//! core.hooksPath=DIR`) runs as that script. With no known `pre-commit`
//! script, a known `.pre-commit-config.yaml` stands for it: whether
//! `pre-commit install` ran cannot be seen (an earlier session, a clone
//! template or a setup script may have run it), and a repository that
//! carries the configuration usually has it installed, so a commit is
//! taken to run the configuration's hooks. `pre-commit run [HOOK]` runs
//! them too. Only `repo: local` hooks are read: their `entry` (with
//! `args`) is a command; hooks of other repositories run code that is
//! not here to read.

use yaml_rust2::{Yaml, YamlLoader};

use super::{MAX_JOBS, find_file};
use crate::args::{self, Arg, Spec};
use crate::commands::words::{self, Backslash};
use crate::commands::{Invocation, Lookup, Nested};
use crate::paths;

/// The configuration file pre-commit reads from the repository's root.
const CONFIG: &str = ".pre-commit-config.yaml";

/// Configurations larger than this are not read.
const MAX_CONFIG: usize = 256 * 1024;

/// Where a repository's hook scripts are, below its root.
const HOOK_DIRS: &[&str] = &[".git/hooks", ".husky"];

/// `git commit`'s options that take a value.
const COMMIT_SPEC: Spec<'static> = Spec {
    short: "mFCct",
    long: &[
        "message",
        "file",
        "reuse-message",
        "reedit-message",
        "template",
        "author",
        "date",
        "fixup",
        "squash",
        "trailer",
        "cleanup",
        "pathspec-from-file",
    ],
    stop_after: None,
};

/// The hooks a git command runs: `git [-C DIR] [-c core.hooksPath=DIR]
/// commit|push ...`. `--no-verify` skips `pre-commit`, `commit-msg` and
/// `pre-push`; a dry run runs none.
pub(super) fn git(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let mut dir = inv.cwd.to_owned();
    let mut hooks_path: Option<String> = None;
    let mut rest = inv.args;
    while let Some((first, tail)) = rest.split_first() {
        let mut skip = 0;
        match first.text.as_str() {
            "-C" => {
                if let Some(value) = tail.first() {
                    dir = paths::resolve(&dir, inv.home, &value.text);
                }
                skip = 1;
            }
            "-c" => {
                if let Some((key, value)) = tail.first().and_then(|v| v.text.split_once('='))
                    && key.eq_ignore_ascii_case("core.hooksPath")
                {
                    hooks_path = Some(value.to_owned());
                }
                skip = 1;
            }
            "--git-dir" | "--work-tree" | "--namespace" | "--exec-path" | "--config-env" => {
                skip = 1;
            }
            text if text.starts_with('-') => {}
            _ => break,
        }
        rest = tail.get(skip..).unwrap_or_default();
    }
    let Some((sub, sub_args)) = rest.split_first() else {
        return Vec::new();
    };
    let items = args::parse(sub_args, &COMMIT_SPEC);
    if args::has(&items, &["--dry-run", "-h", "--help"]) {
        return Vec::new();
    }
    let verify = !args::has(&items, &["-n", "--no-verify"]);
    let hooks: &[(&str, bool)] = match sub.text.as_str() {
        "commit" => &[
            ("pre-commit", true),
            ("prepare-commit-msg", false),
            ("commit-msg", true),
            ("post-commit", false),
        ],
        "push" => &[("pre-push", true)],
        _ => return Vec::new(),
    };
    let mut dirs: Vec<String> = hooks_path.into_iter().collect();
    dirs.extend(HOOK_DIRS.iter().map(|d| (*d).to_owned()));
    let mut jobs = Vec::new();
    for (hook, skipped_by_no_verify) in hooks {
        if *skipped_by_no_verify && !verify {
            continue;
        }
        let names: Vec<String> = dirs.iter().map(|d| format!("{d}/{hook}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        match find_file(&dir, &names, true, text_of) {
            // Run by its path, as the script it holds.
            Some((root, path, _)) => jobs.push(Nested::Argv {
                argv: vec![Arg::literal(&path)],
                env: Vec::new(),
                cwd: Some(root),
            }),
            None if *hook == "pre-commit" => {
                jobs.extend(framework_hooks(&dir, None, "pre-commit", None, text_of));
            }
            None => {}
        }
    }
    jobs
}

/// `pre-commit run [HOOK] [--all-files] [--hook-stage STAGE] [-c
/// CONFIG]` and `pre-commit hook-impl --hook-type=STAGE` (what an
/// installed hook script runs): the configuration's local hooks of that
/// stage (`pre-commit` by default), or the one named.
pub(super) fn pre_commit(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<Nested> {
    let Some((verb, rest)) = inv.args.split_first() else {
        return Vec::new();
    };
    let items = args::parse(
        rest,
        &Spec {
            short: "cs",
            long: &[
                "config",
                "hook-stage",
                "hook-type",
                "hook-dir",
                "files",
                "from-ref",
                "to-ref",
                "source",
                "origin",
                "remote-name",
                "remote-url",
                "commit-msg-filename",
                "color",
            ],
            stop_after: None,
        },
    );
    let (stage, hook) = match verb.text.as_str() {
        "run" => (
            args::value(&items, &["--hook-stage"])
                .map_or_else(|| "pre-commit".to_owned(), |s| s.text.clone()),
            args::positionals(&items).first().map(|h| h.text.clone()),
        ),
        "hook-impl" => match args::value(&items, &["--hook-type"]) {
            Some(stage) => (stage.text.clone(), None),
            None => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    let config = args::value(&items, &["-c", "--config"]).map(|c| c.text.clone());
    framework_hooks(inv.cwd, config.as_deref(), &stage, hook.as_deref(), text_of)
}

/// The local hooks of the configuration (`config`, else the nearest
/// `.pre-commit-config.yaml`) that run at `stage`, or the hook `only`
/// (by id or alias), each run in the repository's root.
fn framework_hooks(
    dir: &str,
    config: Option<&str>,
    stage: &str,
    only: Option<&str>,
    text_of: &Lookup<'_>,
) -> Vec<Nested> {
    let found = match config {
        Some(config) => {
            let path = paths::resolve(dir, "/", config);
            text_of(&path).map(|text| (super::parent(&path), text))
        }
        None => find_file(dir, &[CONFIG], true, text_of).map(|(root, _, text)| (root, text)),
    };
    let Some((root, text)) = found.filter(|(_, text)| text.len() <= MAX_CONFIG) else {
        return Vec::new();
    };
    let Some(document) = YamlLoader::load_from_str(&text)
        .ok()
        .and_then(|d| d.into_iter().next())
    else {
        return Vec::new();
    };
    let default_stages = stages(&document["default_stages"]);
    let mut jobs = Vec::new();
    for repo in document["repos"]
        .as_vec()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        if repo["repo"].as_str() != Some("local") {
            continue;
        }
        for hook in repo["hooks"]
            .as_vec()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let named = |key: &str| hook[key].as_str().is_some_and(|v| Some(v) == only);
            let runs = match only {
                Some(_) => named("id") || named("alias"),
                None => {
                    let own = stages(&hook["stages"]);
                    let stages = if own.is_empty() {
                        &default_stages
                    } else {
                        &own
                    };
                    stages.is_empty() || stages.iter().any(|s| *s == stage_name(stage))
                }
            };
            if runs && jobs.len() < MAX_JOBS {
                jobs.extend(hook_job(hook, &root));
            }
        }
    }
    jobs
}

/// A stage list's names, old names (`commit`, `push`) as today's.
fn stages(list: &Yaml) -> Vec<String> {
    list.as_vec()
        .map(|names| {
            names
                .iter()
                .filter_map(Yaml::as_str)
                .map(|name| stage_name(name).to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A stage by its current name: `commit` is `pre-commit`, `push`
/// `pre-push`, `merge-commit` `pre-merge-commit`.
fn stage_name(stage: &str) -> &str {
    match stage {
        "commit" => "pre-commit",
        "push" => "pre-push",
        "merge-commit" => "pre-merge-commit",
        other => other,
    }
}

/// A local hook's command: its `entry` split as pre-commit splits it
/// (shell words, no shell), then its `args`; a `script` hook's entry is
/// a file of the repository. `pygrep`, `fail` and Docker hooks run no
/// command of the entry's.
fn hook_job(hook: &Yaml, root: &str) -> Option<Nested> {
    let language = hook["language"].as_str().unwrap_or("system");
    if matches!(language, "pygrep" | "fail" | "docker" | "docker_image") {
        return None;
    }
    let mut argv: Vec<String> = words::split(hook["entry"].as_str()?, Backslash::Posix);
    if language == "script"
        && let Some(script) = argv.first_mut()
    {
        *script = paths::resolve(root, "/", script);
    }
    if let Some(extra) = hook["args"].as_vec() {
        argv.extend(extra.iter().filter_map(|a| match a {
            Yaml::String(text) | Yaml::Real(text) => Some(text.clone()),
            Yaml::Integer(n) => Some(n.to_string()),
            _ => None,
        }));
    }
    if argv.is_empty() {
        return None;
    }
    Some(Nested::Argv {
        argv: argv.iter().map(|w| Arg::literal(w)).collect(),
        env: Vec::new(),
        cwd: Some(root.to_owned()),
    })
}
