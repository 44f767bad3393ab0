//! Borg and borgmatic. Borg 1 names the repository in each command's
//! `REPO::ARCHIVE` (or `REPO` alone), `::ARCHIVE` standing for
//! `BORG_REPO`; borg 2 takes `-r`/`--repo` (or `BORG_REPO`) and plain
//! archive names. A repository is `ssh://user@host:port/path`,
//! `[user@]host:path` or a local path. `create` uploads its paths,
//! `init` creates the repository there, `delete`, `prune` and `compact`
//! delete there (`delete REPO` the whole repository), `extract` downloads
//! and writes below the working directory, and `list`, `info`, `check`
//! read.
//!
//! borgmatic runs borg for the repositories and source directories its
//! configuration names (`-c FILE`, else `~/.config/borgmatic/config.yaml`
//! or `/etc/borgmatic/config.yaml`), when that file was written earlier;
//! its command hooks and `encryption_passcommand` run commands.

use yaml_rust2::{Yaml, YamlLoader};

use super::{Lookup, backed_up, download, remove, upload};
use crate::args::{self, Arg, Item, Spec};
use crate::commands::remotes::rclone_target;
use crate::commands::{Invocation, Nested, Outcome, url};
use crate::{Effect, Payload, Target};

/// Options of borg and its commands that take a value.
const LONG: &[&str] = &[
    "repo",
    "other-repo",
    "remote-path",
    "rsh",
    "lock-wait",
    "umask",
    "upload-ratelimit",
    "upload-buffer",
    "debug-topic",
    "exclude",
    "exclude-from",
    "exclude-if-present",
    "pattern",
    "patterns-from",
    "compression",
    "comment",
    "timestamp",
    "chunker-params",
    "checkpoint-interval",
    "checkpoint-volume",
    "stdin-name",
    "stdin-user",
    "stdin-group",
    "stdin-mode",
    "files-cache",
    "filter",
    "paths-delimiter",
    "encryption",
    "storage-quota",
    "glob-archives",
    "match-archives",
    "prefix",
    "sort-by",
    "first",
    "last",
    "older",
    "newer",
    "oldest",
    "newest",
    "format",
    "strip-components",
    "keep-within",
    "keep-last",
    "keep-secondly",
    "keep-minutely",
    "keep-hourly",
    "keep-daily",
    "keep-weekly",
    "keep-monthly",
    "keep-yearly",
    "keep-13weekly",
    "keep-3monthly",
    "recompress",
    "target",
    "max-duration",
    "key-algorithm",
];

/// Short options that take a value: `-e` exclude (init's encryption),
/// `-C` compression, `-c` checkpoint interval, `-a` archive glob, `-P`
/// prefix, `-r` repository (borg 2), and prune's `-H`/`-d`/`-w`/`-m`/`-y`.
const SHORT: &str = "eCcaPrHdwmy";

/// Options that pick some archives of a repository to delete.
const ARCHIVE_FILTERS: &[&str] = &[
    "-a",
    "--glob-archives",
    "--match-archives",
    "-P",
    "--prefix",
    "--first",
    "--last",
    "--older",
    "--newer",
    "--oldest",
    "--newest",
];

pub(super) fn borg(inv: &Invocation<'_>) -> Option<Outcome> {
    let parse = |stop_after| {
        args::parse(
            inv.args,
            &Spec {
                short: SHORT,
                long: LONG,
                stop_after,
            },
        )
    };
    let mut items = parse(None);
    // `with-lock REPO COMMAND...`: the command's options are its own.
    if args::positionals(&items)
        .first()
        .is_some_and(|verb| verb.text == "with-lock")
    {
        items = parse(Some(3));
    }
    let positional = args::positionals(&items);
    let Some((verb, operands)) = positional.split_first() else {
        return Some(Outcome::default());
    };
    let repos = Repos::new(inv, &items);
    let mut outcome = Outcome::default();
    // `BORG_PASSCOMMAND` runs whatever the command does.
    if let Some(command) = inv.env_value("BORG_PASSCOMMAND") {
        outcome.nested.push(Nested::Script {
            text: command.text.clone(),
            what: "BORG_PASSCOMMAND".to_owned(),
        });
    }
    if args::has(&items, &["-n", "--dry-run"]) {
        return Some(outcome);
    }
    match verb.text.as_str() {
        "create" => create(inv, &items, operands, &repos, &mut outcome),
        "init" | "rcreate" | "repo-create" => {
            if let Some(target) = repos.named(operands.first().copied()).remote {
                outcome
                    .effects
                    .push(upload(inv.program, target, Payload::default()));
            }
        }
        "extract" => extract(inv, &items, operands, &repos, &mut outcome),
        "export-tar" => {
            let (repository, rest) = repos.archive(operands);
            if let Some(target) = repository.remote {
                outcome.effects.push(download(inv.program, target));
            }
            if let Some(file) = rest.get(1).filter(|f| f.text != "-") {
                outcome.write(inv.path(&file.text), false);
            }
        }
        "import-tar" => {
            let (repository, rest) = repos.archive(operands);
            if let Some(target) = repository.remote {
                let payload = backed_up(inv, rest.iter().skip(1).take(1).copied());
                outcome.effects.push(upload(inv.program, target, payload));
            }
        }
        "delete" | "rdelete" | "repo-delete" => {
            delete(inv, &items, verb, operands, &repos, &mut outcome);
        }
        "prune" | "compact" => {
            if let Some(target) = repos.named(operands.first().copied()).remote {
                outcome.effects.push(remove(inv.program, target));
            }
        }
        "recreate" | "rename" | "upgrade" => {
            if let Some(target) = repos.archive(operands).0.remote {
                outcome
                    .effects
                    .push(upload(inv.program, target, Payload::default()));
            }
        }
        "key" => key(inv, operands, &repos, &mut outcome),
        // `with-lock REPO COMMAND ARGS...` runs the command.
        "with-lock" => {
            if let [_, command @ ..] = operands
                && !command.is_empty()
            {
                outcome.nested.push(Nested::Argv {
                    argv: command.iter().map(|a| (*a).clone()).collect(),
                    env: Vec::new(),
                    cwd: None,
                });
            }
        }
        // `list`, `info`, `check`, `diff`, `mount`, ...
        _ => {}
    }
    Some(outcome)
}

/// `create REPO::ARCHIVE PATH...` (borg 2: `create ARCHIVE PATH...`): the
/// paths (and `--pattern`'s roots, `R /path`) go to the repository;
/// `--content-from-command` sends what its command prints.
fn create(
    inv: &Invocation<'_>,
    items: &[Item<'_>],
    operands: &[&Arg],
    repos: &Repos,
    outcome: &mut Outcome,
) {
    let (repository, rest) = repos.archive(operands);
    let Some(target) = repository.remote else {
        return;
    };
    let paths = rest.get(1..).unwrap_or_default();
    if args::has(items, &["--content-from-command", "--paths-from-command"]) {
        if !paths.is_empty() {
            outcome.nested.push(Nested::Argv {
                argv: paths.iter().map(|a| (*a).clone()).collect(),
                env: Vec::new(),
                cwd: None,
            });
            outcome.nested_output_sent = args::has(items, &["--content-from-command"]);
        }
        outcome
            .effects
            .push(upload(inv.program, target, Payload::default()));
        return;
    }
    let roots: Vec<Arg> = args::values(items, &["--pattern"])
        .iter()
        .filter_map(|p| {
            p.text
                .strip_prefix('R')
                .map(|root| p.with_text(root.trim()))
        })
        .collect();
    let payload = backed_up(inv, paths.iter().copied().chain(roots.iter()));
    outcome.effects.push(upload(inv.program, target, payload));
}

/// `extract REPO::ARCHIVE [PATH...]`: the archive's files (or the paths
/// named, kept relative) are written below the working directory, unless
/// they go to standard output.
fn extract(
    inv: &Invocation<'_>,
    items: &[Item<'_>],
    operands: &[&Arg],
    repos: &Repos,
    outcome: &mut Outcome,
) {
    let (repository, rest) = repos.archive(operands);
    if let Some(target) = repository.remote {
        outcome.effects.push(download(inv.program, target));
    }
    if args::has(items, &["--stdout"]) {
        return;
    }
    let paths = rest.get(1..).unwrap_or_default();
    if paths.is_empty() || args::has(items, &["--strip-components"]) {
        outcome.write(inv.path("."), false);
        return;
    }
    for path in paths {
        outcome.write(inv.path(path.text.trim_start_matches('/')), false);
    }
}

/// `delete REPO::ARCHIVE`, `delete REPO ARCHIVE...` or with an archive
/// filter deletes those archives; `delete REPO` alone (borg 2:
/// `repo-delete`) deletes the whole repository, a local one's directory.
/// `--cache-only` deletes only the local cache.
fn delete(
    inv: &Invocation<'_>,
    items: &[Item<'_>],
    verb: &Arg,
    operands: &[&Arg],
    repos: &Repos,
    outcome: &mut Outcome,
) {
    if args::has(items, &["--cache-only"]) {
        return;
    }
    let (repository, rest) = repos.archive(operands);
    let names_archive = operands.first().is_some_and(|o| o.text.contains("::"))
        || (repos.flag && !operands.is_empty())
        || rest.len() > 1
        || ARCHIVE_FILTERS.iter().any(|f| args::has(items, &[f]));
    let whole = verb.text != "delete" || !names_archive;
    match (repository.remote, repository.local) {
        (Some(target), _) => {
            if whole {
                outcome.effects.push(Effect::RemoteDelete {
                    target: target.clone(),
                    recursive: true,
                });
            }
            outcome.effects.push(remove(inv.program, target));
        }
        (None, Some(path)) if whole => outcome.delete(path, true),
        _ => {}
    }
}

/// `key import REPO FILE` sends the key; `key export REPO FILE` writes
/// it; `key change-passphrase REPO` rewrites it in the repository.
fn key(inv: &Invocation<'_>, operands: &[&Arg], repos: &Repos, outcome: &mut Outcome) {
    let [action, rest @ ..] = operands else {
        return;
    };
    let (repository, file) = match (repos.flag, rest) {
        (true, [file, ..]) => (repos.named(None), Some(*file)),
        (true, []) => (repos.named(None), None),
        (false, [repo, file, ..]) => (repos.named(Some(repo)), Some(*file)),
        (false, [repo]) => (repos.named(Some(repo)), None),
        (false, []) => (repos.named(None), None),
    };
    match (action.text.as_str(), repository.remote, file) {
        ("export", remote, Some(file)) if file.text != "-" => {
            if let Some(target) = remote {
                outcome.effects.push(download(inv.program, target));
            }
            outcome.write(inv.path(&file.text), false);
        }
        ("import", Some(target), file) => {
            let payload = backed_up(inv, file);
            outcome.effects.push(upload(inv.program, target, payload));
        }
        ("change-passphrase" | "change-location" | "change-algorithm", Some(target), _) => {
            outcome
                .effects
                .push(upload(inv.program, target, Payload::default()));
        }
        _ => {}
    }
}

/// A repository as a destination, or the local directory it is.
#[derive(Debug, Default)]
struct Repository {
    remote: Option<Target>,
    local: Option<String>,
}

/// How a borg line names its repositories.
struct Repos {
    /// `-r`/`--repo` (borg 2), else `BORG_REPO`.
    default: Option<String>,
    /// True when `-r`/`--repo` named it: operands are archive names.
    flag: bool,
    cwd: String,
    home: String,
}

impl Repos {
    fn new(inv: &Invocation<'_>, items: &[Item<'_>]) -> Self {
        let flag = args::value(items, &["-r", "--repo"]);
        Self {
            default: flag
                .or_else(|| inv.env_value("BORG_REPO"))
                .map(|a| a.text.clone()),
            flag: flag.is_some(),
            cwd: inv.cwd.to_owned(),
            home: inv.home.to_owned(),
        }
    }

    /// The repository of `REPO::ARCHIVE`, `::ARCHIVE` or `REPO` (the
    /// default when the operand names none), and the operands from the
    /// archive on (the archive's own operand first, as written).
    fn archive<'a, 'b>(&self, operands: &'b [&'a Arg]) -> (Repository, &'b [&'a Arg]) {
        let first = operands.first().map(|a| a.text.as_str());
        match first {
            Some(spec) if spec.contains("::") => {
                let repository = spec.split_once("::").map_or("", |(r, _)| r);
                let named = (!repository.is_empty()).then_some(repository);
                (self.resolve(named), operands)
            }
            // Borg 2 (or `borg create NAME` with `BORG_REPO`): a name.
            Some(_) if self.flag || self.default.is_some() => (self.resolve(None), operands),
            _ => (self.resolve(first), operands),
        }
    }

    /// The repository an operand names (`REPO`, `REPO::ARCHIVE`), else the
    /// default.
    fn named(&self, operand: Option<&Arg>) -> Repository {
        match operand {
            Some(arg) if !self.flag => {
                let repository = arg
                    .text
                    .split_once("::")
                    .map_or(arg.text.as_str(), |(r, _)| r);
                self.resolve((!repository.is_empty()).then_some(repository))
            }
            _ => self.resolve(None),
        }
    }

    fn resolve(&self, named: Option<&str>) -> Repository {
        let Some(text) = named.or(self.default.as_deref()) else {
            return Repository::default();
        };
        match repository_target(text) {
            Some(remote) => Repository {
                remote: Some(remote),
                local: None,
            },
            None => Repository {
                remote: None,
                local: Some(crate::paths::resolve(
                    &self.cwd,
                    &self.home,
                    text.strip_prefix("file://").unwrap_or(text),
                )),
            },
        }
    }
}

/// Where a borg repository is: `ssh://user@host:port/path` (and borg 2's
/// `sftp://`), `[user@]host:path`, borg 2's `rclone:remote:path`; `None`
/// for a local path (`/srv/borg`, `file:///srv/borg`, `./repo`).
pub(super) fn repository_target(text: &str) -> Option<Target> {
    if text.starts_with("file://") {
        return None;
    }
    if text.contains("://") {
        return Some(url(text));
    }
    if let Some(remote) = text.strip_prefix("rclone:") {
        return Some(rclone_target(remote, &[], &[]));
    }
    crate::commands::net::scp_remote(text)
}

/// borgmatic's actions that run when none is named.
const DEFAULT_ACTIONS: &[&str] = &["prune", "compact", "create", "check"];

/// `borgmatic [-c FILE] [-n] [ACTION...]`: each action of its
/// configuration's repositories.
pub(super) fn borgmatic(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "cv",
            long: &[
                "config",
                "verbosity",
                "syslog-verbosity",
                "log-file",
                "log-file-verbosity",
                "log-file-format",
                "monitoring-verbosity",
                "override",
                "repository",
                "archive",
                "destination",
                "path",
                "strip-components",
                "match-archives",
                "glob-archives",
                "format",
                "source-repository",
                "other-repo",
                "keep-daily",
                "keep-weekly",
                "keep-monthly",
                "keep-yearly",
                "keep-within",
                "encryption",
                "mount-point",
            ],
            stop_after: None,
        },
    );
    let mut actions: Vec<&str> = args::positionals(&items)
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    for (flag, action) in [("-C", "create"), ("-p", "prune"), ("-k", "check")] {
        if args::has(&items, &[flag]) {
            actions.push(action);
        }
    }
    if actions.is_empty() {
        actions = DEFAULT_ACTIONS.to_vec();
    }
    let mut outcome = Outcome::default();
    let files: Vec<String> = match args::values(&items, &["-c", "--config"]).as_slice() {
        [] => default_configs(inv, text_of),
        named => named.iter().map(|f| inv.path(&f.text)).collect(),
    };
    let dry_run = args::has(&items, &["-n", "--dry-run"]);
    let only = args::value(&items, &["--repository"]).map(|r| r.text.as_str());
    let destination = args::value(&items, &["--destination"]).map(|d| inv.path(&d.text));
    for file in files {
        let config = text_of(&file).and_then(|text| Config::parse(&text));
        outcome.read(file, false);
        let Some(config) = config else {
            continue;
        };
        if dry_run {
            continue;
        }
        config.run(inv, &actions, only, destination.as_deref(), &mut outcome);
    }
    outcome
}

/// borgmatic's own configuration files, `~/.config/borgmatic/config.yaml`
/// and `/etc/borgmatic/config.yaml`: those written earlier, else both.
fn default_configs(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Vec<String> {
    let files = [
        inv.path("~/.config/borgmatic/config.yaml"),
        "/etc/borgmatic/config.yaml".to_owned(),
    ];
    let known: Vec<String> = files
        .iter()
        .filter(|f| text_of(f).is_some())
        .cloned()
        .collect();
    if known.is_empty() {
        files.to_vec()
    } else {
        known
    }
}

/// What a borgmatic configuration file says.
#[derive(Debug, Default)]
struct Config {
    sources: Vec<String>,
    /// `(path, label)`.
    repositories: Vec<(String, Option<String>)>,
    /// Commands its hooks and `encryption_passcommand` run.
    commands: Vec<String>,
}

/// Configuration files larger than this are not read.
const MAX_CONFIG: usize = 256 * 1024;

/// borgmatic's hooks that run commands (its configuration before 1.8
/// keeps them under `hooks:`).
const HOOKS: &[&str] = &[
    "before_actions",
    "before_backup",
    "before_prune",
    "before_compact",
    "before_check",
    "before_extract",
    "before_everything",
    "after_actions",
    "after_backup",
    "after_prune",
    "after_compact",
    "after_check",
    "after_extract",
    "after_everything",
    "on_error",
];

impl Config {
    /// The first document of `text`, in the flat layout of borgmatic 1.8
    /// or the sectioned one before it (`location:`, `storage:`, `hooks:`).
    fn parse(text: &str) -> Option<Self> {
        if text.len() > MAX_CONFIG {
            return None;
        }
        let document = YamlLoader::load_from_str(text).ok()?.into_iter().next()?;
        let get = |section: &str, key: &str| {
            let flat = &document[key];
            if flat.is_badvalue() {
                document[section][key].clone()
            } else {
                flat.clone()
            }
        };
        let mut config = Config {
            sources: scalars(&get("location", "source_directories")),
            ..Config::default()
        };
        for pattern in scalars(&get("location", "patterns")) {
            if let Some(root) = pattern.strip_prefix('R') {
                config.sources.push(root.trim().to_owned());
            }
        }
        for entry in get("location", "repositories")
            .as_vec()
            .into_iter()
            .flatten()
        {
            match entry {
                Yaml::Hash(_) => {
                    if let Some(path) = entry["path"].as_str() {
                        let label = entry["label"].as_str().map(str::to_owned);
                        config.repositories.push((path.to_owned(), label));
                    }
                }
                other => {
                    if let Some(path) = other.as_str() {
                        config.repositories.push((path.to_owned(), None));
                    }
                }
            }
        }
        for hook in HOOKS {
            config.commands.extend(scalars(&get("hooks", hook)));
        }
        // borgmatic 1.9.14's `commands:` entries, each with a `run:` list.
        for entry in document["commands"].as_vec().into_iter().flatten() {
            config.commands.extend(scalars(&entry["run"]));
        }
        config
            .commands
            .extend(scalars(&get("storage", "encryption_passcommand")));
        Some(config)
    }

    /// The effects of `actions` on the repositories (`only` the one whose
    /// path or label it is, when given).
    fn run(
        &self,
        inv: &Invocation<'_>,
        actions: &[&str],
        only: Option<&str>,
        destination: Option<&str>,
        outcome: &mut Outcome,
    ) {
        for command in &self.commands {
            outcome.nested.push(Nested::Script {
                text: command.clone(),
                what: "borgmatic hook".to_owned(),
            });
        }
        let sources: Vec<Arg> = self.sources.iter().map(|s| Arg::literal(s)).collect();
        let chosen = self.repositories.iter().filter(|(path, label)| {
            only.is_none_or(|only| path == only || label.as_deref() == Some(only))
        });
        for (path, _) in chosen {
            let Some(target) = repository_target(path) else {
                continue;
            };
            for action in actions {
                match *action {
                    "create" => {
                        let payload = backed_up(inv, &sources);
                        outcome
                            .effects
                            .push(upload("borgmatic", target.clone(), payload));
                    }
                    "init" | "rcreate" | "repo-create" => outcome.effects.push(upload(
                        "borgmatic",
                        target.clone(),
                        Payload::default(),
                    )),
                    "prune" | "compact" | "delete" | "rdelete" | "repo-delete" => {
                        outcome.effects.push(remove("borgmatic", target.clone()));
                    }
                    "extract" => {
                        outcome.effects.push(download("borgmatic", target.clone()));
                        let local = destination.map_or_else(|| inv.path("."), str::to_owned);
                        outcome.write(local, false);
                    }
                    _ => {}
                }
            }
        }
    }
}

/// A scalar's text, or a list's scalars.
fn scalars(node: &Yaml) -> Vec<String> {
    match node {
        Yaml::Array(items) => items.iter().filter_map(scalar).collect(),
        other => scalar(other).into_iter().collect(),
    }
}

fn scalar(node: &Yaml) -> Option<String> {
    match node {
        Yaml::String(text) | Yaml::Real(text) => Some(text.clone()),
        Yaml::Integer(n) => Some(n.to_string()),
        _ => None,
    }
    .filter(|t| !t.is_empty())
}
