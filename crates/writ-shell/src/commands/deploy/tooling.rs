//! An organisation's own deploy tooling, read by what it is called when
//! writ does not know what it does: a script, a task runner's target or
//! recipe, or a package script whose name says it deploys (`deploy`,
//! `release`, `rollout`, `promote`, `ship`: `./scripts/deploy.sh prod`,
//! `make deploy ENV=prod`, `npm run deploy:prod`, `./gradlew deployProd`,
//! `rake deploy[production]`, `fab -H prod-web-1 deploy`) is a [`Deploy`]
//! to the environments its arguments name (a word, `--env`/`--stage`/`-e`,
//! `ENV=`/`STAGE=`/`DEPLOY_ENV=` as a prefix or a runner's variable, a
//! host) or its name names (`deploy-prod.sh`, `deploy:prod`); an internal
//! CLI writ has no handler for, told an environment by option and given a
//! verb that changes something (`globexctl --env=live rollout restart
//! ledger`, `globexctl db migrate --env prod`), changes that environment.
//! The organisation's list of production environments then sorts them, as
//! it sorts the existing deploy handlers' reports.
//!
//! A name that also says it only builds, tests or previews
//! (`assembleProdRelease`, `release-notes`, `build:prod`) deploys nothing,
//! nor does a dry run or a help request. When the script, Makefile,
//! justfile, Taskfile or package.json was written earlier, what it holds
//! is run instead (`runners.rs`), and these guesses are dropped
//! ([`forget_guesses`]).

use super::super::publish::GRADLE_VALUE_OPTIONS;
use super::super::runners::RAKE_VALUED;
use super::super::{Invocation, Outcome};
use super::environment_changes;
use crate::Effect;
use crate::args::Arg;
use crate::paths;

/// Words by which a name says it deploys. `publish` is not one: a
/// package published to a registry goes to no environment (and a name
/// that says it publishes, `publishAndReleaseToMavenCentral`, is not a
/// deploy: [`NOT_A_DEPLOY_WORDS`]).
const DEPLOY_WORDS: &[&str] = &[
    "deploy", "deploys", "redeploy", "release", "rollout", "promote", "ship",
];

/// Words by which a name that also says it deploys says it only builds,
/// checks or describes the release (Android's `assembleProdRelease`,
/// `release-notes`, `build:release`, `deploy-preview`).
const NOT_A_DEPLOY_WORDS: &[&str] = &[
    "assemble",
    "build",
    "bundle",
    "compile",
    "test",
    "tests",
    "lint",
    "check",
    "verify",
    "validate",
    "package",
    "pack",
    "publish",
    "publishing",
    "clean",
    "notes",
    "changelog",
    "docs",
    "doc",
    "plan",
    "diff",
    "preview",
    "dry",
    "dryrun",
    "local",
    "status",
    "help",
];

/// Words that only join a deploy name's parts (`deployToProduction`).
const FILLER_WORDS: &[&str] = &["to", "on", "in", "for", "env", "the"];

/// Extensions of script files, dropped from a script's name.
const SCRIPT_EXTENSIONS: &[&str] = &[
    "sh", "bash", "zsh", "py", "rb", "js", "mjs", "cjs", "ts", "pl", "php", "ps1",
];

/// Options that name the environment to act on. `-e` is one only for a
/// command whose name says it deploys: another CLI's `-e` may be anything.
const ENV_OPTIONS: &[&str] = &[
    "--env",
    "--environment",
    "--stage",
    "--target-env",
    "--env-name",
    "-e",
];

/// Options by which a command only rehearses, previews or describes
/// itself.
const REHEARSALS: &[&str] = &[
    "--dry-run",
    "--dryrun",
    "--dry_run",
    "--plan",
    "--diff",
    "--preview",
    "--check",
    "--noop",
    "--help",
    "-h",
    "--list",
];

/// A task runner's own options that print or rehearse its tasks and run
/// none (`make -n`, `rake -T`, `task --summary`, `fab -l`).
const RUNNER_REHEARSALS: &[&str] = &[
    "-n",
    "--just-print",
    "--recon",
    "-q",
    "--question",
    "--dry",
    "--summary",
    "-T",
    "--tasks",
    "-l",
    "--show",
];

/// Programs whose arguments name tasks or scripts in files ([`RUNNER_REHEARSALS`]).
const RUNNERS: &[&str] = &[
    "make", "gmake", "just", "task", "go-task", "rake", "mina", "fab", "invoke", "inv",
];

/// Verbs by which an internal CLI changes what runs in an environment.
const CHANGE_VERBS: &[&str] = &[
    "apply",
    "cutover",
    "decommission",
    "delete",
    "deploy",
    "destroy",
    "downgrade",
    "drain",
    "failover",
    "migrate",
    "patch",
    "promote",
    "provision",
    "purge",
    "redeploy",
    "release",
    "restart",
    "revert",
    "rollback",
    "rollout",
    "scale",
    "stop",
    "teardown",
    "terminate",
    "undeploy",
    "upgrade",
];

/// Verbs by which it only looks.
const READ_VERBS: &[&str] = &[
    "describe", "diff", "get", "history", "info", "inspect", "list", "logs", "ls", "plan",
    "preview", "show", "status", "tail", "top", "validate", "watch", "version", "help",
];

/// Interpreters whose first operand is the script they run.
const INTERPRETERS: &[&str] = &[
    "sh", "bash", "dash", "zsh", "ksh", "node", "nodejs", "ruby", "perl", "php", "tsx", "ts-node",
    "deno",
];

/// What a command asks to run, in the terms this reading needs: the names
/// of the scripts, targets or tasks it runs, and the words it gives them.
#[derive(Default)]
struct Run {
    names: Vec<String>,
    words: Vec<String>,
    /// Environment-like places the runner itself names (Fabric's hosts).
    places: Vec<String>,
}

/// Adds to `outcome` the deploys `inv` makes as an organisation's own
/// tooling, unless a handler already reported where it deploys. `known`:
/// some handler knows the program, so only the task runners and
/// interpreters are read here, not its own name or verbs.
pub(in crate::commands) fn add(inv: &Invocation<'_>, known: bool, outcome: &mut Outcome) {
    if outcome
        .effects
        .iter()
        .any(|e| matches!(e, Effect::Deploy(_)))
    {
        return;
    }
    outcome.effects.extend(guesses(inv, known));
}

/// Drops the deploys [`add`] guessed for `inv`, whose definition is known
/// after all: what it holds is run instead.
pub(in crate::commands) fn forget_guesses(inv: &Invocation<'_>, outcome: &mut Outcome) {
    let guessed = guesses(inv, false);
    outcome.effects.retain(|e| !guessed.contains(e));
}

/// The path of the script an interpreter runs (`python scripts/release.py`),
/// as written.
pub(in crate::commands) fn script_operand(inv: &Invocation<'_>) -> Option<String> {
    interpreted(inv).map(|(script, _)| script.to_owned())
}

/// The deploys `inv` makes as an organisation's own tooling.
fn guesses(inv: &Invocation<'_>, known: bool) -> Vec<Effect> {
    let runner = RUNNERS.contains(&inv.program);
    if inv.args.iter().any(|a| {
        REHEARSALS.contains(&a.text.as_str())
            || (runner && RUNNER_REHEARSALS.contains(&a.text.as_str()))
    }) {
        return Vec::new();
    }
    let run = match inv.program {
        "make" | "gmake" => make(inv.args),
        "just" => just(inv.args),
        "task" | "go-task" => task(inv.args),
        "npm" | "pnpm" | "yarn" | "bun" => node_script(inv.program, inv.args),
        "rake" | "mina" => rake(inv.args),
        "fab" | "invoke" | "inv" => fabric(inv.args),
        "gradle" | "gradlew" => gradle(inv.args),
        // A lane of a Fastfile not known (`fastlane android deploy_prod`).
        "fastlane" => super::fastlane::named_lane(inv.args).map(|(lane, words)| Run {
            names: vec![lane],
            words,
            places: Vec::new(),
        }),
        _ => match interpreted(inv) {
            Some((script, rest)) => Some(Run {
                names: vec![paths::basename(script).to_owned()],
                words: texts(rest),
                places: Vec::new(),
            }),
            None if known => None,
            None => {
                return internal_cli(inv).unwrap_or_else(|| {
                    deploys(
                        inv,
                        &Run {
                            names: vec![inv.program.to_owned()],
                            words: texts(inv.args),
                            places: Vec::new(),
                        },
                    )
                });
            }
        },
    };
    run.map(|run| deploys(inv, &run)).unwrap_or_default()
}

/// The deploys of a run one of whose names says it deploys: to every
/// environment its words, its variables, its places and the rest of its
/// names name.
fn deploys(inv: &Invocation<'_>, run: &Run) -> Vec<Effect> {
    let Some(deploying) = run.names.iter().find(|name| says_deploy(name)) else {
        return Vec::new();
    };
    let mut environments: Vec<String> = Vec::new();
    environments.extend(remainder(deploying));
    for name in run.names.iter().filter(|n| *n != deploying) {
        environments.extend(remainder(name));
    }
    environments.extend(
        inv.env
            .iter()
            .filter(|(key, _)| is_environment_key(key))
            .map(|(_, value)| value.text.clone()),
    );
    let mut words = run.words.iter();
    while let Some(word) = words.next() {
        let setting = word.split_once('=');
        match setting {
            Some((option, value)) if ENV_OPTIONS.contains(&option) => {
                environments.push(value.to_owned());
            }
            _ if ENV_OPTIONS.contains(&word.as_str()) => {
                environments.extend(words.next().cloned());
            }
            _ if word.starts_with('-') => {}
            Some((key, value)) if is_environment_key(key) => environments.push(value.to_owned()),
            Some(_) => {}
            None => environments.push(word.clone()),
        }
    }
    environments.extend(run.places.iter().cloned());
    let mut effects: Vec<Effect> = Vec::new();
    for environment in environments
        .iter()
        .filter(|e| !e.is_empty() && !e.contains(char::is_whitespace) && !e.contains('/'))
    {
        for effect in environment_changes(inv.program, environment, None) {
            if !effects.contains(&effect) {
                effects.push(effect);
            }
        }
    }
    effects
        .into_iter()
        .map(|effect| match effect {
            Effect::Deploy(mut deploy) => {
                deploy.production = deploy.environment.eq_ignore_ascii_case(super::PRODUCTION);
                Effect::Deploy(deploy)
            }
            other => other,
        })
        .collect()
}

/// Whether a variable or parameter called `key` names the environment to
/// deploy to: the CI names ([`super::super::is_environment_parameter`]:
/// `ENV`, `STAGE`, `DEPLOY_ENV`), and, for a command that says it
/// deploys, the frameworks' own (`RAILS_ENV`, `RACK_ENV`, `APP_ENV`,
/// `MIX_ENV`). `NODE_ENV` and `BABEL_ENV` only choose how assets are built.
fn is_environment_key(key: &str) -> bool {
    super::super::is_environment_parameter(key)
        || ["rails_env", "rack_env", "mix_env", "flask_env"]
            .iter()
            .any(|k| k.eq_ignore_ascii_case(key))
}

/// The words of a name, lower case: split at `-`, `_`, `:`, `.`, `/`,
/// `[`, `]`, `,`, `=` and where a lower-case letter or digit meets an
/// upper-case one (`deployProd`).
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | ':' | '.' | '/' | '[' | ']' | ',' | '=' | ' ') {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// True when a name says it deploys ([`DEPLOY_WORDS`]) and not that it
/// only builds or checks ([`NOT_A_DEPLOY_WORDS`]).
fn says_deploy(name: &str) -> bool {
    let words = name_words(name);
    words.iter().any(|w| DEPLOY_WORDS.contains(&w.as_str()))
        && !words
            .iter()
            .any(|w| NOT_A_DEPLOY_WORDS.contains(&w.as_str()))
}

/// What a name names besides deploying (`prod` of `deploy-prod.sh`,
/// `production` of `deployToProduction`), joined by `-`; `None` when
/// nothing is left.
fn remainder(name: &str) -> Option<String> {
    let mut words = name_words(name);
    if words.len() > 1
        && words
            .last()
            .is_some_and(|w| SCRIPT_EXTENSIONS.contains(&w.as_str()))
    {
        words.pop();
    }
    let rest: Vec<String> = words
        .into_iter()
        .filter(|w| !DEPLOY_WORDS.contains(&w.as_str()) && !FILLER_WORDS.contains(&w.as_str()))
        .collect();
    (!rest.is_empty()).then(|| rest.join("-"))
}

fn texts(args: &[Arg]) -> Vec<String> {
    args.iter().map(|a| a.text.clone()).collect()
}

/// A runner's words that are neither options nor the values of its
/// `valued` options.
fn positionals(args: &[Arg], valued: &[&str]) -> Vec<String> {
    let mut words = Vec::new();
    let mut skip = false;
    for arg in args {
        let text = arg.text.as_str();
        if skip {
            skip = false;
            continue;
        }
        if text.starts_with('-') {
            skip = valued.contains(&text);
            continue;
        }
        words.push(text.to_owned());
    }
    words
}

/// `make [OPTIONS] [VAR=value...] TARGET...`: the targets are the names,
/// the variables the words.
fn make(args: &[Arg]) -> Option<Run> {
    let words = positionals(
        args,
        &["-C", "-f", "--file", "--makefile", "-I", "-o", "-W"],
    );
    let (settings, names): (Vec<String>, Vec<String>) =
        words.into_iter().partition(|w| w.contains('='));
    Some(Run {
        names,
        words: settings,
        places: Vec::new(),
    })
}

/// `just [OPTIONS] [NAME=VALUE...] RECIPE [ARGS...]`.
fn just(args: &[Arg]) -> Option<Run> {
    let words = positionals(
        args,
        &[
            "-f",
            "--justfile",
            "-d",
            "--working-directory",
            "--shell",
            "--dotenv-path",
            "--dotenv-filename",
            "--color",
        ],
    );
    let at = words.iter().position(|w| !w.contains('='))?;
    let mut rest = words;
    let recipe = rest.remove(at);
    Some(Run {
        names: vec![recipe],
        words: rest,
        places: Vec::new(),
    })
}

/// `task [OPTIONS] TASK... [VAR=value...] [-- CLI_ARGS]`.
fn task(args: &[Arg]) -> Option<Run> {
    let split = args.iter().position(|a| a.text == "--");
    let (before, after) = args.split_at(split.unwrap_or(args.len()));
    let words = positionals(
        before,
        &[
            "-t",
            "--taskfile",
            "-d",
            "--dir",
            "-o",
            "--output",
            "-C",
            "--concurrency",
        ],
    );
    let (mut settings, names): (Vec<String>, Vec<String>) =
        words.into_iter().partition(|w| w.contains('='));
    settings.extend(texts(after.get(1..).unwrap_or_default()));
    Some(Run {
        names,
        words: settings,
        places: Vec::new(),
    })
}

/// `npm run NAME [-- ARGS]`, `pnpm [run] NAME`, `yarn [run] NAME`, `bun
/// run NAME`: the package script is the name, what follows its words.
/// pnpm's own `deploy` (a package copied into a directory) is not a script.
fn node_script(program: &str, args: &[Arg]) -> Option<Run> {
    let valued = [
        "--prefix",
        "-C",
        "--dir",
        "--cwd",
        "--filter",
        "-F",
        "-w",
        "--workspace",
    ];
    let mut skip = false;
    let mut at = None;
    for (index, arg) in args.iter().enumerate() {
        let text = arg.text.as_str();
        if skip {
            skip = false;
            continue;
        }
        if text.starts_with('-') {
            skip = valued.contains(&text) && !(program == "pnpm" && text == "-w");
            continue;
        }
        at = Some(index);
        break;
    }
    let at = at?;
    let first = args.get(at)?.text.as_str();
    let (name_at, implicit) = match first {
        "run" | "run-script" | "rum" | "urn" => (at + 1, false),
        _ if program == "npm" || program == "bun" => return None,
        _ => (at, true),
    };
    let rest = args.get(name_at..).unwrap_or_default();
    let (name, words) = rest.split_first()?;
    if implicit && program == "pnpm" && name.text == "deploy" {
        return None;
    }
    let words: Vec<String> = words
        .iter()
        .filter(|w| w.text != "--")
        .map(|w| w.text.clone())
        .collect();
    Some(Run {
        names: vec![name.text.clone()],
        words,
        places: Vec::new(),
    })
}

/// `rake [OPTIONS] TASK[ARGS]... [VAR=value...]` (and mina, built on it):
/// `deploy[production]`'s bracketed arguments are its words.
fn rake(args: &[Arg]) -> Option<Run> {
    // `-e CODE` runs Ruby, not a task.
    if args.iter().any(|a| a.text == "-e" || a.text == "--execute") {
        return None;
    }
    let words = positionals(args, RAKE_VALUED);
    let mut run = Run::default();
    for word in words {
        if word.contains('=') && !word.contains('[') {
            run.words.push(word);
        } else if let Some((name, arguments)) = word.split_once('[') {
            run.names.push(name.to_owned());
            run.words.extend(
                arguments
                    .trim_end_matches(']')
                    .split(',')
                    .map(|a| a.trim().to_owned()),
            );
        } else {
            run.names.push(word);
        }
    }
    Some(run)
}

/// `fab [-H HOSTS] [-R ROLES] TASK[:ARGS]... [--TASK-OPTIONS]` (Fabric 1
/// and 2) and `invoke TASK [--OPTIONS]`: the hosts and roles it runs on
/// are places; the other words are its tasks (Fabric 1's `deploy:prod`
/// names its argument) and their options.
fn fabric(args: &[Arg]) -> Option<Run> {
    let hosts = ["-H", "--hosts", "-R", "--roles"];
    let mut run = Run::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let text = arg.text.as_str();
        let host_list = match text.split_once('=') {
            Some((option, value)) if hosts.contains(&option) => Some(value.to_owned()),
            _ if hosts.contains(&text) => iter.next().map(|v| v.text.clone()),
            _ => None,
        };
        if let Some(list) = host_list {
            run.places.extend(list.split(',').map(str::to_owned));
        } else if text.starts_with('-') {
            run.words.push(text.to_owned());
        } else {
            run.names.push(text.to_owned());
        }
    }
    Some(run)
}

/// `gradle|gradlew [OPTIONS] TASK... [-PKEY=VALUE]`: the tasks (their last
/// `:` segment) are the names, the project properties the words. Options
/// that take a value are Gradle's ([`GRADLE_VALUE_OPTIONS`]) and `-D`.
fn gradle(args: &[Arg]) -> Option<Run> {
    let mut run = Run::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let text = arg.text.as_str();
        if text == "-P" || text == "--project-prop" {
            run.words.extend(iter.next().map(|v| v.text.clone()));
        } else if let Some(property) = text.strip_prefix("-P") {
            run.words.push(property.to_owned());
        } else if GRADLE_VALUE_OPTIONS.contains(&text) || matches!(text, "-D" | "--system-prop") {
            iter.next();
        } else if !text.starts_with('-') {
            let task = text.rsplit(':').next().unwrap_or(text);
            if !only_releases_artifacts(task) {
                run.names.push(task.to_owned());
            }
        }
    }
    Some(run)
}

/// True for a Gradle task whose only deploy word is `release`: a build
/// type or a repository's release of artifacts (`assembleRelease`,
/// `closeAndReleaseSonatypeStagingRepository`), not an environment's.
fn only_releases_artifacts(task: &str) -> bool {
    let words = name_words(task);
    words.iter().any(|w| w == "release")
        && !words
            .iter()
            .any(|w| w != "release" && DEPLOY_WORDS.contains(&w.as_str()))
}

/// The script an interpreter runs and the words it is given:
/// `python [OPTIONS] SCRIPT ARGS`, `python -m MODULE ARGS`, `bash SCRIPT
/// ARGS`; `None` for code given inline (`-c`, `-e`) or no script.
fn interpreted<'a>(inv: &'a Invocation<'_>) -> Option<(&'a str, &'a [Arg])> {
    let python = inv
        .program
        .strip_prefix("python")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'));
    if !python && !INTERPRETERS.contains(&inv.program) {
        return None;
    }
    let (valued, inline): (&[&str], &[&str]) = if python {
        (&["-W", "-X"], &["-c"])
    } else {
        (
            &["-r", "--require", "-I", "-o", "--import", "--loader"],
            &["-c", "-e", "-p", "--eval", "--print", "-E"],
        )
    };
    let mut skip = false;
    for (at, arg) in inv.args.iter().enumerate() {
        let text = arg.text.as_str();
        if skip {
            skip = false;
            continue;
        }
        if inline.contains(&text) {
            return None;
        }
        if python && text == "-m" {
            let module = inv.args.get(at + 1)?;
            return Some((
                module.text.as_str(),
                inv.args.get(at + 2..).unwrap_or_default(),
            ));
        }
        if text.starts_with('-') {
            skip = valued.contains(&text);
            continue;
        }
        // `deno run FILE`: the file after the subcommand.
        if inv.program == "deno" && text == "run" {
            continue;
        }
        return Some((text, inv.args.get(at + 1..).unwrap_or_default()));
    }
    None
}

/// A CLI writ has no handler for, told an environment by option
/// (`--env prod`, `--environment=live`) and given a verb that changes
/// something as its subcommand (`rollout restart`, `db migrate`, `scale`):
/// a change in that environment. A reading verb first (`get`, `logs`,
/// `status`) changes nothing; `None` when the line is not of this shape.
fn internal_cli(inv: &Invocation<'_>) -> Option<Vec<Effect>> {
    let mut environments = Vec::new();
    let mut subcommand = Vec::new();
    let mut iter = inv.args.iter();
    while let Some(arg) = iter.next() {
        let text = arg.text.as_str();
        let env_option = |name: &str| name != "-e" && ENV_OPTIONS.contains(&name);
        if let Some((option, value)) = text.split_once('=')
            && env_option(option)
        {
            environments.push(value.to_owned());
        } else if env_option(text) {
            environments.extend(iter.next().map(|v| v.text.clone()));
        } else if !text.starts_with('-') && subcommand.len() < 3 {
            subcommand.push(text.to_ascii_lowercase());
        }
    }
    if environments.is_empty() {
        return None;
    }
    let changes = subcommand.iter().find_map(|word| {
        if CHANGE_VERBS.contains(&word.as_str()) {
            Some(true)
        } else if READ_VERBS.contains(&word.as_str()) {
            Some(false)
        } else {
            None
        }
    })?;
    if !changes {
        return Some(Vec::new());
    }
    Some(
        environments
            .iter()
            .flat_map(|e| environment_changes(inv.program, e, None))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_words() {
        assert_eq!(name_words("deployProd"), ["deploy", "prod"]);
        assert_eq!(name_words("deploy-prod.sh"), ["deploy", "prod", "sh"]);
        assert_eq!(name_words("deploy[production]"), ["deploy", "production"]);
        assert_eq!(name_words("deploy:prod"), ["deploy", "prod"]);
    }

    #[test]
    fn names_that_deploy() {
        for name in [
            "deploy",
            "deploy.sh",
            "deployProd",
            "release.py",
            "rollout",
            "ship-it",
        ] {
            assert!(says_deploy(name), "{name}");
        }
        for name in [
            "assembleProdRelease",
            "release-notes",
            "build:release",
            "publish",
            "deployer",
            "test",
        ] {
            assert!(!says_deploy(name), "{name}");
        }
    }

    #[test]
    fn what_a_name_names_besides_deploying() {
        assert_eq!(remainder("deploy-prod.sh").as_deref(), Some("prod"));
        assert_eq!(
            remainder("deployToProduction").as_deref(),
            Some("production")
        );
        assert_eq!(remainder("deploy.sh"), None);
        assert_eq!(remainder("deploy"), None);
    }
}
