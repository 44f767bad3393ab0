//! Steps that print configuration: what the session learns from their
//! output.
//!
//! Some commands print where the session's tools point: `git remote -v`
//! (and `git remote show`, `git remote get-url [--push] NAME`, `git config
//! --get remote.NAME.url`, `--get-regexp`, `--list`) the remotes of the
//! repository they run in and where pushes to them go;
//! `kubectl config current-context` (and `get-contexts`, `config view`,
//! `kubectx -c`) the current Kubernetes context. Once such a step has
//! run, the session knows that as if a command had set it: each thing
//! shown is read as the command that sets it (`git remote set-url NAME
//! URL`, `git remote set-url --push NAME URL`, `git config KEY VALUE`,
//! `kubectl config use-context NAME`), analysed where the step ran. So the
//! session learns what those commands would have set, in the same form,
//! an ssh alias that the ssh configuration the session knew renames
//! included.
//!
//! The repository gh acts on when a command names none is the default
//! `gh repo set-default OWNER/REPO` chose in the repository it ran in
//! (`--unset` takes it back, `--view` prints it): the session keeps it
//! among that repository's remotes, as [`GH_DEFAULT_REMOTE`]
//! ([`gh_default`]).
//!
//! A line is read only when what it prints is the query's output alone:
//! the query, the `cd` before it, and filters after it that keep lines as
//! they are (`| grep origin`, `| head -3`).

use serde::{Deserialize, Serialize};
use writ_shell::{ShellContext, WrittenFile};

use crate::deployment::Facts;

/// A step whose output shows configuration, and where it ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownQuery {
    /// Absolute directory the query ran in: the repository whose remotes
    /// it shows.
    pub dir: String,
    pub query: Query,
    /// ssh's configuration files (below `~/.ssh`) the session knew when
    /// the step was decided: remote URLs shown through an alias there
    /// resolve as git resolves them.
    pub ssh_files: Vec<WrittenFile>,
}

/// What a query prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Query {
    /// `git remote -v`: `NAME<TAB>URL (fetch)` and `NAME<TAB>URL (push)`.
    GitRemotes,
    /// `git remote show NAME`: `* remote NAME`, `Fetch URL: URL`, `Push
    /// URL: URL`.
    GitRemoteShow,
    /// `git remote get-url [--push] NAME`: the URL (`--all`: one a line).
    /// `url`: the remote's URL the session knew, which a push URL shown
    /// the same is (git prints it when the remote has no push URL).
    GitRemoteUrl {
        name: String,
        push: bool,
        url: Option<String>,
    },
    /// `git config --get KEY` (`--get-all`, `get`, or the key alone): its
    /// value, one a line; `global`: the user's or system's settings.
    GitConfigValue { key: String, global: bool },
    /// `git config --get-regexp RE` (`KEY VALUE` lines, `separator` a
    /// space) or `git config --list` (`KEY=VALUE` lines); with
    /// `--show-origin` or `--show-scope`, after a tab.
    GitConfigEntries { separator: char, global: bool },
    /// `kubectl config current-context`, `kubectx -c`: the context's name.
    KubeCurrentContext,
    /// `kubectl config get-contexts`: a table whose current row is marked
    /// `*` in its first column.
    KubeContexts,
    /// `kubectl config view`: `current-context: NAME` (YAML) or
    /// `"current-context": "NAME"` (JSON) among its lines.
    KubeConfigView,
    /// `gh repo set-default --view`: `OWNER/REPO`.
    GhDefaultRepo,
    /// `gh repo set-default OWNER/REPO` (the repository's address), or
    /// `--unset` (`None`): sets it, whatever it prints.
    GhSetDefault { repo: Option<String> },
}

/// The name under which the session keeps the default repository of gh
/// among the remotes of the repository it was chosen in: one no git
/// remote can have (git forbids `:` in a remote's name). gh keeps it in
/// that repository's settings, so it holds there and in the directories
/// inside it. An empty URL: taken back.
pub const GH_DEFAULT_REMOTE: &str = "gh:default";

/// The address (`https://HOST/OWNER/REPO`) of the default repository of gh
/// commands run in `dir`, from the remotes the session set (`(repository
/// directory, name, URL)`, oldest first); `None` when none was chosen
/// there or the latest choice was taken back.
pub fn gh_default<'a>(remotes: &'a [(String, String, String)], dir: &str) -> Option<&'a str> {
    writ_shell::remote_url(remotes, dir, GH_DEFAULT_REMOTE).filter(|url| !url.is_empty())
}

/// What the session learns from a query's output, in the forms a
/// [`crate::session::StepRecord`] holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Learned {
    /// `(repository directory, name, URL)`.
    pub remotes: Vec<(String, String, String)>,
    /// `(scope, key, value)` of settings that move pushes.
    pub url_settings: Vec<(String, String, String)>,
    /// The current Kubernetes context.
    pub kube_context: Option<String>,
}

/// How many settings one output may teach (a runaway `git config --list`
/// keeps its first).
const MAX_SETTINGS: usize = 128;

/// Filters that print some of their input's lines unchanged, so a
/// query's lines stay readable after them.
const LINE_FILTERS: &[&str] = &[
    "cat", "grep", "egrep", "fgrep", "head", "tail", "sort", "uniq",
];

/// Variables that point a query at another configuration than the one
/// later commands use: what it shows is not theirs.
const OTHER_CONFIGURATION: &[&str] = &[
    "KUBECONFIG",
    "GIT_DIR",
    "GIT_CONFIG",
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_SYSTEM",
    "GH_REPO",
    "GH_HOST",
];

/// Whether a command line points kubectl or helm at a kubeconfig of its
/// own (`KUBECONFIG=FILE`, `--kubeconfig FILE`): its commands act in that
/// file's current context, not in the one the session knows.
pub fn names_kubeconfig(command: &str) -> bool {
    command.contains("KUBECONFIG=") || command.contains("--kubeconfig")
}

/// The query `command` runs in `cwd` (absolute), when its output is that
/// query's alone, with what it needs of what the session knew
/// ([`crate::interpret::Earlier`]): ssh's configuration, a remote's URL.
pub fn shown_query(
    command: &str,
    cwd: &str,
    facts: &Facts,
    earlier: crate::interpret::Earlier<'_>,
) -> Option<ShownQuery> {
    let mut dir = cwd.to_owned();
    let mut found: Option<(String, Query)> = None;
    for segment in writ_shell::literal_commands(command)? {
        let words = without_assignments(&segment.words)?;
        let (program, args) = words.split_first()?;
        if segment.piped {
            // A filter of the query's lines, or a line this module does
            // not read.
            if found.is_none() || !LINE_FILTERS.contains(&program.as_str()) {
                return None;
            }
            continue;
        }
        if found.is_some() {
            return None;
        }
        match (program.as_str(), args) {
            ("cd" | "pushd", [target]) => dir = facts.local_path(target, &dir),
            _ => {
                let (query_dir, query) = query_of(program, args, &dir, facts)?;
                found = Some((query_dir, query));
            }
        }
    }
    let (dir, mut query) = found?;
    if let Query::GitRemoteUrl { name, url, .. } = &mut query {
        // Where the session, a clone or the deployment says the remote
        // leads, as a push reads it.
        *url = writ_shell::remote_url(earlier.remotes, &dir, name)
            .or_else(|| writ_shell::clone_source(earlier.clones, &dir).filter(|_| name == "origin"))
            .or_else(|| facts.git_remotes.get(name.as_str()).map(String::as_str))
            .map(str::to_owned);
    }
    let ssh_dir = format!("{}/.ssh", facts.home.trim_end_matches('/'));
    let ssh_files = earlier
        .written
        .iter()
        .filter(|file| writ_detect::paths::is_within(&file.path, &ssh_dir))
        .cloned()
        .collect();
    Some(ShownQuery {
        dir,
        query,
        ssh_files,
    })
}

/// What the session learns once `query` has run and printed `output`.
pub fn learned(query: &ShownQuery, output: Option<&str>, facts: &Facts) -> Learned {
    let gh_default = match &query.query {
        Query::GhSetDefault { repo } => Some(repo.clone().unwrap_or_default()),
        Query::GhDefaultRepo => output.and_then(one_word).and_then(github_repository),
        _ => None,
    };
    if let Some(url) = gh_default {
        return Learned {
            remotes: vec![(query.dir.clone(), GH_DEFAULT_REMOTE.to_owned(), url)],
            ..Learned::default()
        };
    }
    let Some(output) = output else {
        return Learned::default();
    };
    let commands = setting_commands(&query.query, output);
    if commands.is_empty() {
        return Learned::default();
    }
    let ctx = ShellContext {
        cwd: &query.dir,
        home: &facts.home,
        workspace: Some(&facts.workspace),
        written: &query.ssh_files,
    };
    match writ_shell::analyze(&commands.join("\n"), &ctx) {
        Ok(analysis) => Learned {
            remotes: analysis.remotes,
            url_settings: analysis.url_settings,
            kube_context: analysis.kube_context,
        },
        Err(_) => Learned::default(),
    }
}

/// The commands that set what `output` of `query` shows.
fn setting_commands(query: &Query, output: &str) -> Vec<String> {
    let lines = output.lines().map(str::trim_end);
    let mut commands: Vec<String> = match query {
        Query::GitRemotes => {
            let shown: Vec<(&str, &str, bool)> = lines
                .filter_map(|line| {
                    let [name, url, kind] = line.split_whitespace().collect::<Vec<_>>()[..] else {
                        return None;
                    };
                    match kind {
                        "(fetch)" => Some((name, url, false)),
                        "(push)" => Some((name, url, true)),
                        _ => None,
                    }
                })
                .collect();
            remote_commands(&shown)
        }
        Query::GitRemoteShow => {
            let mut name: Option<&str> = None;
            let mut shown = Vec::new();
            for line in lines {
                let line = line.trim_start();
                if let Some(remote) = line.strip_prefix("* remote ") {
                    name = Some(remote.trim());
                } else if let Some(url) = line.strip_prefix("Fetch URL:") {
                    shown.extend(name.map(|n| (n, url.trim(), false)));
                } else if let Some(url) = line
                    .strip_prefix("Push")
                    .and_then(|rest| rest.trim_start().strip_prefix("URL:"))
                {
                    shown.extend(name.map(|n| (n, url.trim(), true)));
                }
            }
            remote_commands(&shown)
        }
        Query::GitRemoteUrl { name, push, url } => lines
            .map(str::trim)
            // The remote's own URL printed for its push URL: it has none.
            .filter(|shown| !*push || url.as_deref() != Some(*shown))
            .filter_map(|shown| set_url(name, shown, *push))
            .collect(),
        Query::GitConfigValue { key, global } => lines
            .filter(|value| !value.is_empty())
            .filter_map(|value| git_config(key, value, *global))
            .collect(),
        Query::GitConfigEntries { separator, global } => lines
            .filter_map(|line| {
                let entry = line.rsplit('\t').next().unwrap_or(line);
                let (key, value) = entry.split_once(*separator)?;
                git_config(key, value, *global)
            })
            .collect(),
        Query::KubeCurrentContext => one_word(output).map(use_context).into_iter().collect(),
        Query::KubeContexts => lines
            .filter_map(|line| {
                let mut cells = line.split_whitespace();
                (cells.next() == Some("*")).then(|| cells.next()).flatten()
            })
            .map(use_context)
            .collect(),
        Query::KubeConfigView => lines
            .filter_map(|line| {
                let line = line.trim_start();
                let value = line
                    .strip_prefix("current-context:")
                    .or_else(|| line.strip_prefix("\"current-context\":"))?;
                let name = value.trim().trim_end_matches(',').trim_matches(['"', '\'']);
                (!name.is_empty() && !name.contains(char::is_whitespace)).then_some(name)
            })
            .map(use_context)
            .collect(),
        Query::GhDefaultRepo | Query::GhSetDefault { .. } => Vec::new(),
    };
    commands.truncate(MAX_SETTINGS);
    commands
}

/// The commands that set the URLs shown of remotes, `(name, URL, push)`: a
/// push URL that is the remote's URL shown is none of its own (git shows
/// the remote's URL there when it has no push URL), which a later change
/// of the remote's URL would move too.
fn remote_commands(shown: &[(&str, &str, bool)]) -> Vec<String> {
    let own_url = |name: &str, url: &str| {
        shown
            .iter()
            .any(|(n, u, push)| !push && *n == name && *u == url)
    };
    shown
        .iter()
        .filter(|(name, url, push)| !push || !own_url(name, url))
        .filter_map(|(name, url, push)| set_url(name, url, *push))
        .collect()
}

/// `git remote set-url [--push] NAME URL`, for a remote's name and a URL
/// as git prints them (one word each).
fn set_url(name: &str, url: &str, push: bool) -> Option<String> {
    let word = |text: &str| {
        !text.is_empty() && !text.starts_with('-') && !text.contains(char::is_whitespace)
    };
    if !word(name) || !word(url) {
        return None;
    }
    let push = if push { "--push " } else { "" };
    Some(format!(
        "git remote set-url {push}{} {}",
        quote(name),
        quote(url)
    ))
}

/// `git config [--global] KEY VALUE` for a setting of a remote or of a
/// URL, the only ones whose values say where git sends things.
fn git_config(key: &str, value: &str, global: bool) -> Option<String> {
    let key = key.trim();
    let value = value.trim();
    let remote_or_url = ["remote.", "url."].iter().any(|section| {
        key.get(..section.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(section))
    });
    if !remote_or_url || value.is_empty() || key.contains(char::is_whitespace) {
        return None;
    }
    let scope = if global { "--global " } else { "" };
    Some(format!("git config {scope}{} {}", quote(key), quote(value)))
}

fn use_context(name: &str) -> String {
    format!("kubectl config use-context {}", quote(name))
}

/// The output's one word, when it is a single word on a single line.
fn one_word(output: &str) -> Option<&str> {
    let mut lines = output.lines().map(str::trim).filter(|l| !l.is_empty());
    let word = lines.next()?;
    (lines.next().is_none() && !word.contains(char::is_whitespace)).then_some(word)
}

/// The address of a repository as gh names one: `OWNER/REPO` (on
/// github.com), `HOST/OWNER/REPO`, or its `https://` URL.
fn github_repository(text: &str) -> Option<String> {
    let text = text.trim_end_matches('/');
    let text = text.strip_suffix(".git").unwrap_or(text);
    let text = text.strip_prefix("https://").unwrap_or(text);
    let parts: Vec<&str> = text.split('/').collect();
    let named = parts.iter().all(|part| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    });
    match parts.as_slice() {
        [owner, repo] if named => Some(format!("https://github.com/{owner}/{repo}")),
        [host, owner, repo] if named => Some(format!(
            "https://{}/{owner}/{repo}",
            host.to_ascii_lowercase()
        )),
        _ => None,
    }
}

/// `text` as one single-quoted shell word.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The query a command is, and the directory it shows the repository
/// of; `None` for another command, or one that reads another
/// configuration than later commands do.
fn query_of(program: &str, args: &[String], dir: &str, facts: &Facts) -> Option<(String, Query)> {
    let query = match program {
        "git" => return git_query(args, dir, facts),
        "kubectl" | "oc" => kube_query(args)?,
        "kubectx" if matches!(args, [flag] if flag == "-c" || flag == "--current") => {
            Query::KubeCurrentContext
        }
        "gh" => gh_default_query(args)?,
        _ => return None,
    };
    Some((dir.to_owned(), query))
}

/// `gh repo set-default --view`, `gh repo set-default OWNER/REPO`, `gh
/// repo set-default --unset`.
fn gh_default_query(args: &[String]) -> Option<Query> {
    let [group, verb, operand] = args else {
        return None;
    };
    if group != "repo" || verb != "set-default" {
        return None;
    }
    Some(match operand.as_str() {
        "-v" | "--view" => Query::GhDefaultRepo,
        "-u" | "--unset" => Query::GhSetDefault { repo: None },
        repo => Query::GhSetDefault {
            repo: Some(github_repository(repo)?),
        },
    })
}

/// `git [-C DIR] [--no-pager] remote ...` or `git ... config ...`.
fn git_query(args: &[String], dir: &str, facts: &Facts) -> Option<(String, Query)> {
    let mut dir = dir.to_owned();
    let mut rest = args;
    loop {
        match rest {
            [flag, value, tail @ ..] if flag == "-C" => {
                dir = facts.local_path(value, &dir);
                rest = tail;
            }
            // `-c remote.origin.url=...` would print itself.
            [flag, tail @ ..] if flag == "--no-pager" || flag == "-P" => rest = tail,
            _ => break,
        }
    }
    let (sub, sub_args) = rest.split_first()?;
    let query = match sub.as_str() {
        "remote" => remote_query(sub_args)?,
        "config" => config_query(sub_args)?,
        _ => return None,
    };
    Some((dir, query))
}

/// `git remote -v`, `git remote show NAME`, `git remote get-url [--push]
/// [--all] NAME`.
fn remote_query(args: &[String]) -> Option<Query> {
    let (options, operands): (Vec<&String>, Vec<&String>) =
        args.iter().partition(|a| a.starts_with('-'));
    let has = |names: &[&str]| options.iter().any(|o| names.contains(&o.as_str()));
    match operands.as_slice() {
        [] if has(&["-v", "--verbose"]) => Some(Query::GitRemotes),
        [show, ..] if *show == "show" => Some(Query::GitRemoteShow),
        [get, name] if *get == "get-url" => Some(Query::GitRemoteUrl {
            name: (*name).clone(),
            push: has(&["--push"]),
            url: None,
        }),
        _ => None,
    }
}

/// `git config` reading the settings: `--get[-all] KEY`, `get KEY`, `KEY`
/// alone, `--get-regexp RE`, `--list`, `list`. Another file (`-f`), or
/// output in another shape (`-z`, `--name-only`), is not read.
fn config_query(args: &[String]) -> Option<Query> {
    let (options, operands): (Vec<&String>, Vec<&String>) =
        args.iter().partition(|a| a.starts_with('-'));
    let has = |names: &[&str]| options.iter().any(|o| names.contains(&o.as_str()));
    let other_shape = ["-f", "--file", "--blob", "-z", "--null", "--name-only"];
    if options
        .iter()
        .any(|o| other_shape.contains(&o.as_str()) || o.starts_with("--file="))
    {
        return None;
    }
    let global = has(&["--global", "--system"]);
    let operands: Vec<&str> = operands.iter().map(|o| o.as_str()).collect();
    if has(&["--list", "-l"]) || operands == ["list"] {
        return Some(Query::GitConfigEntries {
            separator: '=',
            global,
        });
    }
    if has(&["--get-regexp"]) || (operands.first() == Some(&"get") && has(&["--regexp"])) {
        return Some(Query::GitConfigEntries {
            separator: ' ',
            global,
        });
    }
    let key = match operands.as_slice() {
        ["get", key] => *key,
        [key] if !has(&CHANGES) => *key,
        _ => return None,
    };
    Some(Query::GitConfigValue {
        key: key.to_owned(),
        global,
    })
}

/// Options of `git config` that change the settings instead of reading
/// them.
const CHANGES: [&str; 8] = [
    "--unset",
    "--unset-all",
    "--remove-section",
    "--rename-section",
    "--add",
    "--replace-all",
    "-e",
    "--edit",
];

/// `kubectl config current-context`, `config get-contexts [NAME]`,
/// `config view [--minify]` (or `-o jsonpath='{.current-context}'`), of
/// the kubeconfig later commands read (no `--kubeconfig`).
fn kube_query(args: &[String]) -> Option<Query> {
    if args.iter().any(|a| {
        a == "--kubeconfig"
            || a.starts_with("--kubeconfig=")
            || a == "--context"
            || a.starts_with("--context=")
    }) {
        return None;
    }
    let operands: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    let output = args.iter().enumerate().find_map(|(i, a)| {
        if a == "-o" || a == "--output" {
            args.get(i + 1).map(String::as_str)
        } else {
            a.strip_prefix("--output=")
                .or_else(|| a.strip_prefix("-o").filter(|v| !v.is_empty()))
        }
    });
    match operands.as_slice() {
        ["config", "current-context"] => Some(Query::KubeCurrentContext),
        ["config", "get-contexts", ..] if output.is_none() => Some(Query::KubeContexts),
        ["config", "view", ..] => match output.map(|o| o.trim_matches(['\'', '"'])) {
            Some("jsonpath={.current-context}") => Some(Query::KubeCurrentContext),
            None | Some("yaml" | "json") => Some(Query::KubeConfigView),
            Some(_) => None,
        },
        _ => None,
    }
}

/// A command's words after its leading `NAME=value` assignments; `None`
/// when one of them points the command at another configuration
/// ([`OTHER_CONFIGURATION`]).
fn without_assignments(words: &[String]) -> Option<&[String]> {
    let mut rest = words;
    while let Some((first, tail)) = rest.split_first() {
        let Some((name, _)) = first.split_once('=') else {
            break;
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            break;
        }
        if OTHER_CONFIGURATION.contains(&name) {
            return None;
        }
        rest = tail;
    }
    Some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_become_the_commands_that_set_them() {
        let remotes = "origin\thttps://github.com/o/app.git (fetch)\n\
                       origin\thttps://github.com/me/app.git (push)\n";
        assert_eq!(
            setting_commands(&Query::GitRemotes, remotes),
            [
                "git remote set-url 'origin' 'https://github.com/o/app.git'",
                "git remote set-url --push 'origin' 'https://github.com/me/app.git'",
            ]
        );
        let same = "origin\thttps://github.com/o/app.git (fetch)\n\
                    origin\thttps://github.com/o/app.git (push)\n";
        assert_eq!(
            setting_commands(&Query::GitRemotes, same),
            ["git remote set-url 'origin' 'https://github.com/o/app.git'"]
        );
        let table =
            "CURRENT   NAME      CLUSTER\n          dev       kind\n*         prod-eu   gke\n";
        assert_eq!(
            setting_commands(&Query::KubeContexts, table),
            ["kubectl config use-context 'prod-eu'"]
        );
        assert!(
            setting_commands(
                &Query::KubeCurrentContext,
                "error: current-context is not set\n"
            )
            .is_empty()
        );
        assert!(
            setting_commands(
                &Query::GhDefaultRepo,
                "no default repository has been set\n"
            )
            .is_empty()
        );
        assert_eq!(
            setting_commands(
                &Query::GitConfigEntries {
                    separator: ' ',
                    global: false
                },
                "remote.origin.url https://h/o/r.git\nremote.origin.fetch +refs/heads/*:refs/remotes/origin/*\nuser.name Dev\n"
            ),
            [
                "git config 'remote.origin.url' 'https://h/o/r.git'",
                "git config 'remote.origin.fetch' '+refs/heads/*:refs/remotes/origin/*'",
            ]
        );
    }
}
