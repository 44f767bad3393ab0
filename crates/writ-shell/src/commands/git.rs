//! git and the GitHub CLI.

use std::borrow::Cow;

mod aliases;
mod blobs;
mod configured;
mod gh_repo;
mod urls;

use configured::{Config, Paging};
use gh_repo::{GithubRepo, RepoSelection};
pub use urls::resolve_remote;

use super::words::{self, Backslash};
use super::{Invocation, Lookup, Nested, Outcome, request, send_file, url};
use crate::args::{self, Arg, Item, Spec};
use crate::{Effect, FileRef, GitPush, Payload, RefSpec, Resource, Target, flow, paths};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "git" => Some(git(inv)),
        "git-lfs" => Some(lfs(inv)),
        "git-annex" => Some(annex(inv)),
        "datalad" => Some(datalad(inv)),
        "gh" => Some(gh(inv)),
        _ => None,
    }
}

/// git with none of its configuration files known.
fn git(inv: &Invocation<'_>) -> Outcome {
    git_with(inv, &|_| None)
}

/// git again when the text of its configuration files is known (written
/// on the line or by an earlier step, or read whole): a subcommand that
/// is an alias they define runs the alias, and `git config` adds to what
/// the file is known to hold (`aliases.rs`). `outcome` is replaced only
/// when a known file's text counts.
pub(crate) fn configured_aliases(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    text_of: &Lookup<'_>,
) {
    if inv.program != "git" {
        return;
    }
    let known = std::cell::Cell::new(false);
    let again = git_with(inv, &|path| {
        let text = text_of(path);
        known.set(known.get() || text.is_some());
        text
    });
    if known.get() {
        *outcome = again;
    }
}

/// Splits git's global options (`-C dir`, `-c k=v`, `--config-env`,
/// `-p`/`-P`) from the subcommand, expands an alias the settings define
/// (`-c alias.NAME=...`, else the configuration files `text_of` knows),
/// and adds what git runs because of its settings and environment
/// (`configured.rs`).
fn git_with(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Outcome {
    let mut dir = inv.cwd.to_owned();
    let mut args: Cow<'_, [Arg]> = Cow::Borrowed(inv.args);
    let mut config = Config::from_env(inv);
    let mut paging = Paging::Default;
    let mut expansions = 0;
    loop {
        let mut rest: &[Arg] = &args;
        while let Some((first, tail)) = rest.split_first() {
            let text = first.text.as_str();
            let value = tail.first();
            let mut skip = 0;
            match text {
                "-C" => {
                    if let Some(value) = value {
                        dir = paths::resolve(&dir, inv.home, &value.text);
                    }
                    skip = 1;
                }
                "-c" => {
                    if let Some(value) = value {
                        config.push_assignment(value);
                    }
                    skip = 1;
                }
                "--config-env" => {
                    if let Some(value) = value {
                        config.push_from_env(value, inv);
                    }
                    skip = 1;
                }
                "-p" | "--paginate" => paging = Paging::Forced,
                "-P" | "--no-pager" => paging = Paging::Off,
                "--git-dir" | "--work-tree" | "--namespace" | "--exec-path" => skip = 1,
                _ if text.starts_with('-') => {
                    if let Some(spec) = text.strip_prefix("--config-env=") {
                        config.push_from_env(&first.with_text(spec), inv);
                    }
                }
                _ => break,
            }
            rest = tail.get(skip..).unwrap_or_default();
        }
        let Some((sub, sub_args)) = rest.split_first() else {
            return Outcome::default();
        };
        let alias = (!is_git_command(&sub.text) && expansions < MAX_ALIAS_EXPANSIONS)
            .then(|| {
                config.alias(&sub.text).cloned().or_else(|| {
                    aliases::configured(&dir, inv.home, &sub.text, text_of)
                        .map(|value| Arg::literal(&value))
                })
            })
            .flatten();
        let Some(value) = alias else {
            if sub.text == "clone" {
                config.push_clone_options(sub_args);
            }
            let inv = Invocation {
                args: sub_args,
                cwd: &dir,
                ..*inv
            };
            let mut outcome = git_command(&inv, &sub.text, text_of);
            let headers = extra_headers(&config);
            if !headers.is_empty() {
                send_headers(&inv, &sub.text, &headers, &mut outcome);
            }
            configured::resolve_remotes(&config, &sub.text, &mut outcome);
            configured::run(&inv, &sub.text, &config, paging, &mut outcome);
            return outcome;
        };
        expansions += 1;
        if let Some(command) = value.text.strip_prefix('!') {
            // A shell command, run with the arguments after the alias as
            // `"$@"`, as git runs it (spelt one by one).
            let mut positional = vec![value.with_text(command)];
            positional.extend(sub_args.iter().cloned());
            let mut outcome = Outcome::default();
            outcome.nested.push(Nested::ShellScript {
                text: if sub_args.is_empty() {
                    command.to_owned()
                } else {
                    format!("{command} {}", configured::positional_words(sub_args.len()))
                },
                what: format!("the git alias {}", sub.text),
                args: positional,
                env: Vec::new(),
            });
            return outcome;
        }
        // `git NAME ARGS` is `git VALUE ARGS`, global options included.
        let mut expanded: Vec<Arg> = split_alias(&value.text)
            .iter()
            .map(|word| value.with_text(word))
            .collect();
        expanded.extend(sub_args.iter().cloned());
        args = Cow::Owned(expanded);
    }
}

/// How many aliases are expanded in turn (git refuses alias loops).
const MAX_ALIAS_EXPANSIONS: usize = 8;

/// Words of an alias's value, split as git's `split_cmdline` splits them.
pub(super) fn split_alias(value: &str) -> Vec<String> {
    words::split(value, Backslash::OutsideAndInDoubleQuotes)
}

/// git's own commands, which an alias of the same name does not replace.
fn is_git_command(name: &str) -> bool {
    GIT_COMMANDS.binary_search(&name).is_ok()
}

/// git's commands (sorted), those an alias cannot hide.
const GIT_COMMANDS: &[&str] = &[
    "add",
    "am",
    "annex",
    "annotate",
    "apply",
    "archive",
    "bisect",
    "blame",
    "branch",
    "bugreport",
    "bundle",
    "cat-file",
    "check-attr",
    "check-ignore",
    "check-mailmap",
    "check-ref-format",
    "checkout",
    "checkout-index",
    "cherry",
    "cherry-pick",
    "citool",
    "clean",
    "clone",
    "column",
    "commit",
    "commit-graph",
    "commit-tree",
    "config",
    "count-objects",
    "credential",
    "daemon",
    "describe",
    "diagnose",
    "diff",
    "diff-files",
    "diff-index",
    "diff-tree",
    "difftool",
    "fast-export",
    "fast-import",
    "fetch",
    "fetch-pack",
    "filter-branch",
    "fmt-merge-msg",
    "for-each-ref",
    "for-each-repo",
    "format-patch",
    "fsck",
    "gc",
    "get-tar-commit-id",
    "grep",
    "gui",
    "hash-object",
    "help",
    "hook",
    "http-backend",
    "index-pack",
    "init",
    "instaweb",
    "interpret-trailers",
    "lfs",
    "log",
    "ls-files",
    "ls-remote",
    "ls-tree",
    "mailinfo",
    "mailsplit",
    "maintenance",
    "merge",
    "merge-base",
    "merge-file",
    "merge-index",
    "merge-tree",
    "mergetool",
    "mktag",
    "mktree",
    "multi-pack-index",
    "mv",
    "notes",
    "p4",
    "pack-objects",
    "pack-refs",
    "prune",
    "prune-packed",
    "pull",
    "push",
    "range-diff",
    "read-tree",
    "rebase",
    "receive-pack",
    "reflog",
    "remote",
    "repack",
    "replace",
    "request-pull",
    "rerere",
    "reset",
    "restore",
    "rev-list",
    "rev-parse",
    "revert",
    "rm",
    "send-email",
    "send-pack",
    "shortlog",
    "show",
    "show-branch",
    "show-index",
    "show-ref",
    "sparse-checkout",
    "stash",
    "status",
    "stripspace",
    "submodule",
    "subtree",
    "svn",
    "switch",
    "symbolic-ref",
    "tag",
    "unpack-file",
    "unpack-objects",
    "update-index",
    "update-ref",
    "update-server-info",
    "upload-archive",
    "upload-pack",
    "var",
    "verify-commit",
    "verify-pack",
    "verify-tag",
    "version",
    "whatchanged",
    "worktree",
    "write-tree",
];

fn git_command(inv: &Invocation<'_>, sub: &str, text_of: &Lookup<'_>) -> Outcome {
    match sub {
        "push" => push(inv),
        "subtree" => subtree(inv),
        "clone" => clone(inv),
        "submodule" => submodule(inv),
        "fetch" | "pull" | "ls-remote" => fetch(inv, sub),
        "config" => config(inv, text_of),
        "clean" => clean(inv),
        "rm" => remove(inv),
        "mv" => move_paths(inv),
        "archive" => archive(inv),
        "checkout" if switches_branch(inv) => switch(inv),
        "switch" => switch(inv),
        "checkout" | "restore" => restore(inv, sub),
        "bundle" => bundle(inv),
        "remote" => remote(inv),
        "send-email" => super::mail::git_send_email(inv),
        "lfs" => lfs(inv),
        "annex" => annex(inv),
        "apply" => super::patch::git_apply(inv, text_of),
        "diff" | "show" | "log" | "format-patch" | "cat-file" => printed_code(inv, sub),
        _ => Outcome::default(),
    }
}

/// What `git diff`, `git show`, `git log -p` and `git format-patch
/// --stdout` print: the repository's code, unless only names or counts are
/// asked for; the files `git show` and `git cat-file` name
/// (`blobs.rs`) are read and printed.
fn printed_code(inv: &Invocation<'_>, sub: &str) -> Outcome {
    let has = |flags: &[&str]| inv.args.iter().any(|a| flags.contains(&a.text.as_str()));
    let summary_only = has(&[
        "--stat",
        "--shortstat",
        "--numstat",
        "--name-only",
        "--name-status",
        "--quiet",
        "--exit-code",
        "--no-patch",
        "-s",
        "--oneline",
    ]) && !has(&["-p", "--patch", "-u"]);
    let files = blobs::printed_files(inv, sub, summary_only);
    let prints = match sub {
        "show" if !files.is_empty() => !summary_only && blobs::shows_revisions(inv.args),
        "diff" | "show" => !summary_only,
        "log" => has(&["-p", "--patch", "-u", "--full-diff"]),
        "cat-file" => false,
        _ => has(&["--stdout"]),
    };
    let mut outcome = Outcome {
        stdout: prints.then(repository_contents),
        ..Outcome::default()
    };
    // Files printed by name (`git show HEAD:.env`) are those files: read,
    // and printed beside the revisions it shows.
    for path in files {
        if let Some(stdout) = &mut outcome.stdout {
            flow::push_file(
                stdout,
                crate::FileRef {
                    path: path.clone(),
                    recursive: false,
                    excludes: Vec::new(),
                },
            );
        }
        outcome.read(path, false);
    }
    outcome
}

/// A header that `-c http.extraHeader="NAME: VALUE"` (or `-c
/// http.<URL>.extraHeader=...`) adds to every HTTP request git makes (to
/// URLs under `<URL>` only): its text and what it expands.
#[derive(Debug)]
struct ExtraHeader {
    /// The `<URL>` it is limited to.
    scope: Option<String>,
    payload: Payload,
}

/// The headers the settings add, in the order given.
fn extra_headers(config: &Config) -> Vec<ExtraHeader> {
    config
        .all("http", "extraheader")
        .map(|(scope, value)| ExtraHeader {
            scope: scope.map(str::to_owned),
            payload: value.payload(),
        })
        .collect()
}

/// True when git sends what is configured for `scope` (a URL prefix) to
/// `remote` (a URL): same scheme and host, and the remote's path below
/// the scope's.
fn url_matches(scope: &str, remote: &str) -> bool {
    let split = |text: &str| -> Option<(String, String, String)> {
        let (scheme, rest) = text.split_once("://")?;
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host = authority.rsplit('@').next().unwrap_or(authority);
        Some((
            scheme.to_ascii_lowercase(),
            host.to_ascii_lowercase(),
            path.trim_end_matches('/').to_owned(),
        ))
    };
    match (split(scope), split(remote)) {
        (Some((s1, h1, p1)), Some((s2, h2, p2))) => {
            s1 == s2 && h1 == h2 && (p1.is_empty() || p2 == p1 || p2.starts_with(&format!("{p1}/")))
        }
        _ => false,
    }
}

/// The extra headers of `git -c http.extraHeader=... fetch|pull|clone|
/// ls-remote|push REMOTE` go to the remote with git's requests. A remote
/// given by name is the repository's remote of that name; a header
/// limited to a URL goes to remotes under it only.
fn send_headers(inv: &Invocation<'_>, sub: &str, headers: &[ExtraHeader], outcome: &mut Outcome) {
    let method = match sub {
        "fetch" | "pull" | "clone" | "ls-remote" => "GET",
        "push" => "POST",
        _ => return,
    };
    let (short, long): (&str, &[&str]) = match sub {
        "clone" => ("objuc", CLONE_VALUE_OPTIONS),
        "push" => ("o", PUSH_VALUE_OPTIONS),
        _ => ("oj", FETCH_VALUE_OPTIONS),
    };
    let items = args::parse(
        inv.args,
        &Spec {
            short,
            long,
            stop_after: None,
        },
    );
    let remote = args::value(&items, &["--repo"])
        .filter(|_| sub == "push")
        .or_else(|| args::positionals(&items).first().copied())
        .map_or("origin", |r| r.text.as_str());
    let is_url = remote.contains("://");
    for header in headers {
        // A header limited to a URL goes with the requests to a remote
        // under it, and nowhere else; a remote given by name is taken to
        // be under it (if it is not, nothing is sent).
        let target = match (&header.scope, is_url) {
            (Some(scope), true) if !url_matches(scope, remote) => continue,
            (_, true) => url(remote),
            (_, false) => Target::Remote {
                name: remote.to_owned(),
            },
        };
        outcome.effects.push(request(
            "git",
            target,
            method,
            header.payload.clone(),
            false,
        ));
    }
}

/// `git remote add [-f] [-t BRANCH] [-m HEAD] NAME URL` and `git remote
/// set-url [--push] NAME URL`: `NAME` is `URL` from now on.
fn remote(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "tm",
            long: &["track", "master", "mirror"],
            stop_after: None,
        },
    );
    match args::positionals(&items).as_slice() {
        // `set-url --delete` removes a URL; `set-url --push` sets the push
        // URL, which pushes take before the remote's URL.
        [verb, ..] if verb.text == "set-url" && args::has(&items, &["--delete"]) => {
            Outcome::default()
        }
        [verb, name, url, ..] if verb.text == "set-url" && args::has(&items, &["--push"]) => {
            let key = format!("remote.{}.pushurl", name.text);
            Outcome {
                effects: url_setting(inv.cwd, &key, &url.text).into_iter().collect(),
                ..Outcome::default()
            }
        }
        [verb, name, url, ..] if matches!(verb.text.as_str(), "add" | "set-url") => {
            Outcome::default().effect(Effect::GitRemote {
                repo_dir: inv.cwd.to_owned(),
                name: name.text.clone(),
                url: url.text.clone(),
            })
        }
        _ => Outcome::default(),
    }
}

/// `git checkout [REF] -- PATH...` (or `REF PATH...`, `--ours|--theirs
/// PATH...`) and `git restore [--source REF] PATH...` overwrite the
/// working tree's files (`git restore --staged` alone only the index).
/// `git checkout B` (no `--`, one operand) switches branches; with `--`
/// or several operands it restores files.
fn switches_branch(inv: &Invocation<'_>) -> bool {
    let operands: Vec<&Arg> = inv
        .args
        .iter()
        .filter(|a| !a.text.starts_with('-'))
        .collect();
    // `--ours`, `--theirs` and a path list from a file check out paths.
    let paths_only = checks_out_a_side(inv.args)
        || inv
            .args
            .iter()
            .any(|a| a.text == "--" || a.text.starts_with("--pathspec-from-file"));
    !paths_only
        && (operands.len() == 1 && operands.first().is_some_and(|a| a.text != ".")
            || inv
                .args
                .iter()
                .any(|a| matches!(a.text.as_str(), "-b" | "-B" | "--orphan" | "--detach")))
}

/// `git checkout --ours|--theirs`: a side of a conflict, which is checked
/// out for paths only.
fn checks_out_a_side(args: &[Arg]) -> bool {
    args.iter()
        .any(|a| matches!(a.text.as_str(), "--ours" | "--theirs"))
}

/// `git switch [-c|-C] B [START]`, `git checkout [-b|-B] B [START]`: the
/// repository is on `B` from now on. `git switch --detach`, `git checkout
/// -` and a commit leave the branch unknown.
fn switch(inv: &Invocation<'_>) -> Outcome {
    let mut words = inv.args.iter();
    let mut branch = None;
    let mut detached = false;
    while let Some(word) = words.next() {
        match word.text.as_str() {
            "-c" | "-C" | "-b" | "-B" | "--create" | "--force-create" | "--orphan" => {
                branch = words.next().map(|b| b.text.clone());
                break;
            }
            "--detach" | "-d" => detached = true,
            text if text.starts_with('-') => {}
            text => {
                branch.get_or_insert_with(|| text.to_owned());
            }
        }
    }
    let named = branch.filter(|b| {
        // A commit id: seven or more hex digits.
        let commit = b.len() >= 7 && b.chars().all(|c| c.is_ascii_hexdigit());
        !(detached || commit || b == "-" || b.starts_with("HEAD") || b.contains(['~', '^']))
    });
    Outcome::default().effect(Effect::GitSwitch {
        repo_dir: inv.cwd.to_owned(),
        branch: named.map(|b| b.trim_start_matches("origin/").to_owned()),
    })
}

fn restore(inv: &Invocation<'_>, sub: &str) -> Outcome {
    let mut outcome = Outcome::default();
    let paths: Vec<&Arg> = if sub == "checkout" {
        let operands = || inv.args.iter().filter(|a| !a.text.starts_with('-'));
        let sides = checks_out_a_side(inv.args);
        match inv.args.iter().position(|a| a.text == "--") {
            Some(at) => inv.args.iter().skip(at + 1).collect(),
            // A side of a conflict is checked out for paths only.
            None if sides => operands().collect(),
            // `git checkout REF PATH...`.
            None => operands().skip(1).collect(),
        }
    } else {
        let items = args::parse(
            inv.args,
            &Spec {
                short: "s",
                long: &["source", "pathspec-from-file"],
                stop_after: None,
            },
        );
        let staged_only =
            args::has(&items, &["--staged", "-S"]) && !args::has(&items, &["--worktree", "-W"]);
        if staged_only {
            return outcome;
        }
        args::positionals(&items)
    };
    for path in paths {
        outcome.write(inv.path(&path.text), false);
    }
    outcome
}

/// The repository's contents, as git archive and git bundle write them.
fn repository_contents() -> Payload {
    Payload {
        repository: true,
        ..Payload::default()
    }
}

/// `git archive [--format F] [-o FILE] TREE [PATH...]`: the repository's
/// contents, on standard output or in `FILE`.
fn archive(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "o",
            long: &[
                "format", "output", "prefix", "remote", "exec", "add-file", "mtime",
            ],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    if args::has(&items, &["--list", "-l"]) {
        return outcome;
    }
    // The paths after the tree, a tree written `REV:PATH`, and
    // `--add-file`s are files it holds.
    let mut contents = repository_contents();
    let positionals = args::positionals(&items);
    let subtree = positionals
        .first()
        .and_then(|tree| tree.text.split_once(':'))
        .map(|(_, path)| path)
        .filter(|path| !path.is_empty());
    let paths = positionals.iter().skip(1).map(|p| p.text.as_str());
    let added = args::values(&items, &["--add-file"]);
    for path in subtree
        .into_iter()
        .chain(paths)
        .chain(added.iter().map(|a| a.text.as_str()))
    {
        contents.files.push(FileRef {
            path: inv.path(path),
            recursive: true,
            excludes: Vec::new(),
        });
    }
    match args::value(&items, &["-o", "--output"]) {
        Some(file) => {
            let path = inv.path(&file.text);
            outcome.write(path.clone(), false);
            outcome.contents.push((path, contents));
            outcome.stdout = Some(Payload::default());
        }
        None => outcome.stdout = Some(contents),
    }
    outcome
}

/// `git bundle create FILE REFS...`: the repository's history in `FILE`.
fn bundle(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    // Its file operand may be `-` (standard output), which `args::words`
    // would take for an option.
    let words: Vec<&str> = inv
        .args
        .iter()
        .map(|a| a.text.as_str())
        .filter(|w| *w == "-" || !w.starts_with('-'))
        .collect();
    if let ["create", file, ..] = words.as_slice() {
        if *file == "-" {
            outcome.stdout = Some(repository_contents());
        } else {
            let path = inv.path(file);
            outcome.write(path.clone(), false);
            outcome.contents.push((path, repository_contents()));
        }
    }
    outcome
}

/// `git push`'s long options that take a value.
const PUSH_VALUE_OPTIONS: &[&str] = &["repo", "push-option", "receive-pack", "exec", "signed"];

/// `git clone`'s long options that take a value.
const CLONE_VALUE_OPTIONS: &[&str] = &[
    "origin",
    "branch",
    "upload-pack",
    "template",
    "config",
    "depth",
    "shallow-since",
    "shallow-exclude",
    "reference",
    "separate-git-dir",
    "jobs",
    "filter",
    "bundle-uri",
    "server-option",
];

/// `git fetch`'s, `git pull`'s and `git ls-remote`'s long options that
/// take a value.
const FETCH_VALUE_OPTIONS: &[&str] = &[
    "upload-pack",
    "depth",
    "deepen",
    "shallow-since",
    "shallow-exclude",
    "refmap",
    "jobs",
    "server-option",
    "filter",
    "recurse-submodules-default",
    "negotiation-tip",
    "strategy",
    "strategy-option",
    "sort",
];

fn push(inv: &Invocation<'_>) -> Outcome {
    let spec = Spec {
        short: "o",
        long: PUSH_VALUE_OPTIONS,
        stop_after: None,
    };
    let items = args::parse(inv.args, &spec);
    let force_flags = ["-f", "--force", "--force-if-includes", "--mirror"];
    let force = items.iter().any(|item| {
        item.is(&force_flags)
            || matches!(item, Item::Opt { name, .. } if name == "--force-with-lease")
    });
    // A dry run pushes nothing.
    if args::has(&items, &["-n", "--dry-run"]) {
        return Outcome::default();
    }
    let all_refs = args::has(&items, &["--all", "--branches", "--mirror"]);
    let tags = args::has(&items, &["--tags"]);
    let delete = args::has(&items, &["-d", "--delete"]);
    let positional = args::positionals(&items);
    let remote = args::value(&items, &["--repo"])
        .or_else(|| positional.first().copied())
        .map(|r| r.text.clone());
    let refspecs = positional
        .iter()
        .skip(1)
        .map(|r| refspec(&r.text, delete))
        .collect();
    let mut outcome = Outcome::default();
    // A repository on this machine (`/tmp/backup.git`, `file:///srv/x.git`,
    // `../mirror.git`) is written here; nothing leaves the machine.
    if let Some(path) = remote.as_deref().and_then(local_repository_path) {
        outcome.write(inv.path(path), false);
        return outcome;
    }
    // A credential written into the remote's URL goes to its host.
    if let Some(url_arg) = args::value(&items, &["--repo"]).or_else(|| positional.first().copied())
        && url_arg.text.contains("://")
    {
        let carried = url_arg.expansions();
        if carried != Payload::default() {
            outcome
                .effects
                .push(request("git", url(&url_arg.text), "POST", carried, false));
        }
    }
    outcome.effect(Effect::GitPush(GitPush {
        repo_dir: inv.cwd.to_owned(),
        remote,
        refspecs,
        force,
        all_refs,
        tags,
        branch: None,
        cloned_from: None,
        settings: None,
    }))
}

/// The path of a push's remote when it is a repository on this machine:
/// an absolute, home or relative path, or a `file://` URL. A remote's
/// name, a URL and scp's `host:path` are not.
fn local_repository_path(remote: &str) -> Option<&str> {
    if let Some(path) = remote.strip_prefix("file://") {
        return Some(path);
    }
    let pathlike = remote.starts_with(['/', '.', '~']) || remote.contains('/');
    (pathlike && !remote.contains(':')).then_some(remote)
}

/// `git lfs push [--all] [--object-id] [--stdin] REMOTE|URL [REF|OID...]`:
/// the repository's large files go to the remote's LFS store. It moves no
/// branch, so it is an upload of the repository's contents to that remote,
/// not a push of its refs. `--dry-run` and a remote on this machine (a
/// path) send nothing anywhere; other `git lfs` commands work locally or
/// fetch.
fn lfs(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &Spec::default());
    let positional = args::positionals(&items);
    let [verb, remote, ..] = positional.as_slice() else {
        return Outcome::default();
    };
    let local_path = ["/", ".", "~", "file://"]
        .iter()
        .any(|prefix| remote.text.starts_with(prefix));
    if verb.text != "push" || local_path || args::has(&items, &["--dry-run"]) {
        return Outcome::default();
    }
    let mut outcome = Outcome::default();
    let target = if is_remote_name(&remote.text) {
        Target::Remote {
            name: remote.text.clone(),
        }
    } else {
        // Credentials written into the URL go to its host, a payload of
        // their own beside the files, as `git push URL` sends them.
        let carried = remote.expansions();
        if !carried.is_empty() {
            outcome
                .effects
                .push(request("git", url(&remote.text), "POST", carried, false));
        }
        url(&without_userinfo(&remote.text))
    };
    outcome.effect(request(
        "git",
        target,
        "UPLOAD",
        repository_contents(),
        false,
    ))
}

/// A URL without the user information before its host
/// (`https://user:TOKEN@host/path` is `https://host/path`).
pub(super) fn without_userinfo(text: &str) -> String {
    let Some((scheme, rest)) = text.split_once("://") else {
        return text.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((_, host)) => format!("{scheme}://{host}{path}"),
        None => text.to_owned(),
    }
}

/// git-annex's options that take a value: the remotes (`--to`, `--from`),
/// file matching (`--include=GLOB`, `--in=REMOTE`, `--largerthan=SIZE`,
/// ...), `-J N`, `-c NAME=VALUE`, and sync's `--content-of PATH` (`-C`)
/// and `--message` (`-m`).
const ANNEX_VALUE_OPTIONS: &[&str] = &[
    "to",
    "from",
    "jobs",
    "branch",
    "key",
    "include",
    "exclude",
    "in",
    "copies",
    "lackingcopies",
    "approxlackingcopies",
    "inbackend",
    "largerthan",
    "smallerthan",
    "metadata",
    "inallgroup",
    "onlyingroup",
    "accessedwithin",
    "mimetype",
    "mimeencoding",
    "time-limit",
    "size-limit",
    "content-of",
    "message",
];

/// git-annex moves annexed files' content to a remote, by name:
/// - `copy|move|mirror [PATH...] --to REMOTE`: those files go there (no
///   path: what the repository annexes, as `export TREEISH --to REMOTE`
///   sends);
/// - `sync [REMOTE...]` pushes the branches (`--only-annex`: only the
///   `git-annex` branch) and, with `--content` or `--content-of PATH`,
///   the files; `push [REMOTE...]` and `assist` send the files unless
///   `--no-content`/`-g`; `--no-push` pushes nothing.
///
/// The files are an upload to the remote, resolved as `git push`'s is.
fn annex(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "JcCm",
            long: ANNEX_VALUE_OPTIONS,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let Some((verb, operands)) = positional.split_first() else {
        return Outcome::default();
    };
    let mut outcome = Outcome::default();
    match verb.text.as_str() {
        "initremote" | "enableremote" => {
            if let [name, parameters @ ..] = operands
                && let Some(location) = special_remote_location(inv, parameters)
            {
                outcome.effects.push(Effect::GitRemote {
                    repo_dir: inv.cwd.to_owned(),
                    name: annex_remote_key(&name.text),
                    url: location,
                });
            }
        }
        "copy" | "move" | "mirror" | "export" => {
            let Some(remote) = args::value(&items, &["--to"]).filter(|r| r.text != "here") else {
                return outcome;
            };
            let content = if verb.text == "export" {
                Content::Repository
            } else {
                Content::paths(inv, operands)
            };
            outcome
                .effects
                .push(content_upload("git", inv.cwd, Some(&remote.text), &content));
        }
        "sync" | "push" | "assist" => {
            if args::has(&items, &["--no-push"]) {
                return outcome;
            }
            let content_of = args::values(&items, &["-C", "--content-of"]);
            let sends_content = !args::has(&items, &["--no-content", "-g"])
                && (verb.text != "sync" || args::has(&items, &["--content"]));
            let content = if !content_of.is_empty() {
                Some(Content::paths(inv, &content_of))
            } else {
                sends_content.then_some(Content::Repository)
            };
            let refspecs = if args::has(&items, &["--only-annex", "-a"]) {
                vec![refspec("git-annex", false)]
            } else {
                Vec::new()
            };
            let remotes: Vec<Option<&str>> = if operands.is_empty() {
                vec![None]
            } else {
                operands.iter().map(|r| Some(r.text.as_str())).collect()
            };
            for remote in remotes {
                outcome
                    .effects
                    .push(repository_push(inv.cwd, remote, refspecs.clone(), false));
                if let Some(content) = &content {
                    outcome
                        .effects
                        .push(content_upload("git", inv.cwd, remote, content));
                }
            }
        }
        _ => {}
    }
    outcome
}

/// `datalad [-C DIR] push [--to REMOTE] [-d DATASET] [PATH...]`: the
/// dataset's branches go to the remote as `git push` sends them (`-f
/// all|gitpush` forces), and the annexed content of the paths (no path:
/// all the dataset annexes) as `git annex copy` sends it, unless `--data
/// nothing`. Paths are the working directory's.
fn datalad(inv: &Invocation<'_>) -> Outcome {
    let mut cwd = inv.cwd.to_owned();
    let mut rest = inv.args;
    while let Some((first, tail)) = rest.split_first() {
        let text = first.text.as_str();
        let takes_value = matches!(
            text,
            "-C" | "-c"
                | "-l"
                | "--log-level"
                | "-f"
                | "--output-format"
                | "--on-failure"
                | "--report-status"
                | "--report-type"
                | "--cfg-proc"
        );
        if text == "-C"
            && let Some(dir) = tail.first()
        {
            cwd = paths::resolve(&cwd, inv.home, &dir.text);
        }
        if takes_value {
            rest = tail.get(1..).unwrap_or_default();
        } else if text.starts_with('-') {
            rest = tail;
        } else {
            break;
        }
    }
    let Some((verb, args)) = rest.split_first() else {
        return Outcome::default();
    };
    if verb.text != "push" {
        return Outcome::default();
    }
    let inv = Invocation {
        args,
        cwd: &cwd,
        ..*inv
    };
    let items = args::parse(
        inv.args,
        &Spec {
            short: "dfJR",
            long: &[
                "to",
                "dataset",
                "since",
                "data",
                "force",
                "jobs",
                "recursion-limit",
            ],
            stop_after: None,
        },
    );
    let remote = args::value(&items, &["--to"]).map(|r| r.text.as_str());
    let dataset = args::value(&items, &["-d", "--dataset"])
        .map_or_else(|| cwd.clone(), |d| inv.path(&d.text));
    let force = args::value(&items, &["-f", "--force"])
        .is_some_and(|f| matches!(f.text.as_str(), "all" | "gitpush"));
    let mut outcome =
        Outcome::default().effect(repository_push(&dataset, remote, Vec::new(), force));
    let sends_data = args::value(&items, &["--data"]).is_none_or(|d| d.text != "nothing");
    if sends_data {
        let content = Content::paths(&inv, &args::positionals(&items));
        outcome
            .effects
            .push(content_upload("datalad", &dataset, remote, &content));
    }
    outcome
}

/// A push of the repository at `dir` to `remote` (`None`: the default).
pub(super) fn repository_push(
    dir: &str,
    remote: Option<&str>,
    refspecs: Vec<RefSpec>,
    force: bool,
) -> Effect {
    Effect::GitPush(GitPush {
        repo_dir: dir.to_owned(),
        remote: remote.map(str::to_owned),
        refspecs,
        force,
        all_refs: false,
        tags: false,
        branch: None,
        cloned_from: None,
        settings: None,
    })
}

/// What git-annex sends: the annexed content of some paths, or all the
/// repository annexes (what it tracks, not files it ignores).
#[derive(Debug)]
enum Content {
    Paths(Vec<String>),
    Repository,
}

impl Content {
    /// The paths named, or the repository when none is.
    fn paths(inv: &Invocation<'_>, operands: &[&Arg]) -> Content {
        if operands.is_empty() {
            Content::Repository
        } else {
            Content::Paths(operands.iter().map(|p| inv.path(&p.text)).collect())
        }
    }
}

/// An upload of annexed content to a remote by name (`None`: `origin`) or
/// URL. A name is a special remote `git annex initremote` set up on the
/// line or earlier in the session when there is one
/// ([`Target::ToolRemote`], kept as `annex:NAME`), else the repository's
/// git remote of that name.
fn content_upload(program: &str, dir: &str, remote: Option<&str>, content: &Content) -> Effect {
    let remote = remote.unwrap_or("origin");
    let target = if is_remote_name(remote) {
        Target::ToolRemote {
            repo_dir: dir.to_owned(),
            name: annex_remote_key(remote),
            path: None,
            unset: Some(Box::new(Target::Remote {
                name: remote.to_owned(),
            })),
        }
    } else {
        url(remote)
    };
    let payload = match content {
        Content::Repository => repository_contents(),
        Content::Paths(paths) => Payload {
            files: paths
                .iter()
                .map(|path| crate::FileRef {
                    path: path.clone(),
                    recursive: true,
                    excludes: Vec::new(),
                })
                .collect(),
            ..Payload::default()
        },
    };
    request(program, target, "UPLOAD", payload, false)
}

/// The name a special remote of git-annex is kept under among the remotes
/// set: one no git remote can have (git forbids `:` in a remote's name).
fn annex_remote_key(name: &str) -> String {
    format!("annex:{name}")
}

/// Where a special remote that `git annex initremote NAME type=T
/// KEY=VALUE...` sets up keeps the files, from its parameters: an S3
/// bucket (`bucket=B`, on AWS unless `host=H` names another endpoint),
/// an rsync or bup destination (`rsyncurl=`, `buprepo=`: `host:path`, or a
/// local directory), a WebDAV or git URL (`url=`, `location=`,
/// `gitrepo=`), a directory (`directory=`). `None` when the parameters do
/// not say (an S3 bucket named after the remote's UUID).
fn special_remote_location(inv: &Invocation<'_>, parameters: &[&Arg]) -> Option<String> {
    let parameter = |key: &str| {
        parameters.iter().find_map(|p| {
            p.text
                .split_once('=')
                .filter(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.to_owned())
        })
    };
    let kind = parameter("type")?.to_ascii_lowercase();
    match kind.as_str() {
        "s3" => {
            let bucket = parameter("bucket")?;
            Some(
                match parameter("host").filter(|h| !h.ends_with("amazonaws.com")) {
                    Some(host) => format!("https://{host}/{bucket}"),
                    None => format!("s3://{bucket}"),
                },
            )
        }
        "rsync" | "bup" | "borg" | "ddar" => {
            let location = parameter("rsyncurl")
                .or_else(|| parameter("buprepo"))
                .or_else(|| parameter("borgrepo"))
                .or_else(|| parameter("ddarrepo"))?;
            Some(network_location(inv, &location))
        }
        "directory" => parameter("directory").map(|d| inv.path(&d)),
        _ => parameter("url")
            .or_else(|| parameter("location"))
            .or_else(|| parameter("gitrepo"))
            .map(|location| network_location(inv, &location)),
    }
}

/// A location as a URL: `[user@]host:path` as `ssh://[user@]host/path`, a
/// URL as written, a local path absolute.
fn network_location(inv: &Invocation<'_>, location: &str) -> String {
    if location.contains("://") {
        return location.to_owned();
    }
    match location.split_once(':') {
        Some((host, path)) if !host.is_empty() && !host.contains('/') => {
            format!("ssh://{host}/{}", path.trim_start_matches('/'))
        }
        _ => inv.path(location),
    }
}

/// A remote's name (`origin`), not a URL or an scp-style address.
fn is_remote_name(text: &str) -> bool {
    !text.is_empty() && !text.contains([':', '/', '@'])
}

/// `git subtree push --prefix=DIR REMOTE REF`: the directory's history
/// is pushed to `REF` of `REMOTE`, as `git push REMOTE SPLIT:REF`.
fn subtree(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "Pm",
            long: &["prefix", "message", "annotate", "branch", "onto"],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let [command, remote, reference, ..] = positional.as_slice() else {
        return Outcome::default();
    };
    if command.text != "push" {
        return Outcome::default();
    }
    Outcome::default().effect(Effect::GitPush(GitPush {
        repo_dir: inv.cwd.to_owned(),
        remote: Some(remote.text.clone()),
        refspecs: vec![RefSpec {
            src: Some(format!("subtree:{}", reference.text)),
            dst: Some(branch(&reference.text)),
            force: reference.text.starts_with('+'),
            delete: false,
        }],
        force: false,
        all_refs: false,
        tags: false,
        branch: None,
        cloned_from: None,
        settings: None,
    }))
}

/// `[+]src[:dst]`, with `refs/heads/` stripped from the destination.
fn refspec(text: &str, delete: bool) -> RefSpec {
    if delete {
        return RefSpec {
            src: None,
            dst: Some(branch(text)),
            force: false,
            delete: true,
        };
    }
    let (force, body) = match text.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    match body.split_once(':') {
        Some((src, dst)) => RefSpec {
            src: (!src.is_empty()).then(|| src.to_owned()),
            dst: (!dst.is_empty()).then(|| branch(dst)),
            force,
            delete: src.is_empty(),
        },
        None => RefSpec {
            src: Some(body.to_owned()),
            dst: (body != "HEAD" && body != "@").then(|| branch(body)),
            force,
            delete: false,
        },
    }
}

fn branch(text: &str) -> String {
    text.strip_prefix("refs/heads/").unwrap_or(text).to_owned()
}

fn clone(inv: &Invocation<'_>) -> Outcome {
    let spec = Spec {
        short: "objuc",
        long: CLONE_VALUE_OPTIONS,
        stop_after: None,
    };
    let items = args::parse(inv.args, &spec);
    let positional = args::positionals(&items);
    let Some(source) = positional.first() else {
        return Outcome::default();
    };
    // A repository on this machine (`git clone --mirror . /tmp/x`) is
    // named by its absolute path, so a push from the clone is known to
    // carry that repository's code.
    let source_text = match local_repository(&source.text) {
        Some(path) => inv.path(path),
        None => source.text.clone(),
    };
    let mut outcome = clone_from("git", inv, &source_text, Some(positional.get(1).copied()));
    carry_url_expansions(&mut outcome, source);
    outcome
}

/// `git submodule add [-b B] [--name N] URL [PATH]` clones URL into PATH
/// (by default the repository's name), as `git clone` does.
fn submodule(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "bj",
            long: &["branch", "name", "reference", "depth", "jobs"],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let [verb, source, rest @ ..] = positional.as_slice() else {
        return Outcome::default();
    };
    if verb.text != "add" {
        return Outcome::default();
    }
    // A relative URL (`../lib.git`) is relative to the superproject's
    // default remote: the submodule comes from where `origin` is.
    let relative = source.text.starts_with("./") || source.text.starts_with("../");
    let mut outcome = Outcome::default().effect(request(
        "git",
        url(if relative { "origin" } else { &source.text }),
        "DOWNLOAD",
        Payload::default(),
        false,
    ));
    let dir = clone_dir(&source.text, rest.first().copied());
    outcome.write(inv.path(&dir), false);
    carry_url_expansions(&mut outcome, source);
    outcome
}

/// A credential written into a URL (`https://ci:$TOKEN@host/...`) goes to
/// the host with the request.
fn carry_url_expansions(outcome: &mut Outcome, url_arg: &Arg) {
    if let Some(Effect::Request(request)) = outcome.effects.first_mut() {
        flow::merge(&mut request.payload, &url_arg.expansions());
    }
}

fn fetch(inv: &Invocation<'_>, verb: &str) -> Outcome {
    let spec = Spec {
        short: "oj",
        long: FETCH_VALUE_OPTIONS,
        stop_after: None,
    };
    let items = args::parse(inv.args, &spec);
    if verb == "fetch" && args::has(&items, &["--all"]) {
        return Outcome::default().effect(request(
            "git",
            url("--all"),
            "DOWNLOAD",
            Payload::default(),
            false,
        ));
    }
    let remote_arg = args::positionals(&items).first().copied();
    let remote = remote_arg.map_or_else(|| "origin".to_owned(), |r| r.text.clone());
    let mut outcome = Outcome::default().effect(request(
        "git",
        url(&remote),
        "DOWNLOAD",
        Payload::default(),
        false,
    ));
    if let Some(remote_arg) = remote_arg {
        carry_url_expansions(&mut outcome, remote_arg);
    }
    outcome
}

/// `git config --global k v` writes `~/.gitconfig`. A setting that moves
/// where git sends a remote is reported too: `remote.NAME.url` as `git
/// remote set-url` sets it, URL rewrites and push URLs as
/// [`Effect::GitSetting`]s, for the pushes after it. An alias set or
/// removed changes what the file is known to hold ([`alias_change`]).
fn config(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "f",
            long: &["file", "blob", "type", "default", "comment", "value"],
            stop_after: None,
        },
    );
    let reads = [
        "--get",
        "--get-all",
        "--get-regexp",
        "--list",
        "-l",
        "--show-origin",
        "--get-urlmatch",
        "--show-scope",
    ];
    let removes = [
        "--unset",
        "--unset-all",
        "--remove-section",
        "--rename-section",
    ];
    let positional = args::positionals(&items);
    let reading = args::has(&items, &reads)
        || positional
            .first()
            .is_some_and(|p| matches!(p.text.as_str(), "get" | "list"))
        || (positional.len() < 2
            && !args::has(&items, &removes)
            && !args::has(&items, &["--add", "--replace-all", "-e", "--edit"]));
    if reading {
        return Outcome::default();
    }
    let global = args::has(&items, &["--global", "--system"]);
    let path = if let Some(file) = args::value(&items, &["-f", "--file"]) {
        inv.path(&file.text)
    } else if args::has(&items, &["--global"]) {
        paths::resolve(inv.cwd, inv.home, "~/.gitconfig")
    } else if args::has(&items, &["--system"]) {
        "/etc/gitconfig".to_owned()
    } else {
        paths::resolve(inv.cwd, inv.home, ".git/config")
    };
    let mut outcome = Outcome::default();
    // `git config set KEY VALUE` (git 2.46's form) or `git config KEY VALUE`.
    let operands = match positional.split_first() {
        Some((verb, rest)) if verb.text == "set" => rest,
        _ => positional.as_slice(),
    };
    let removing = args::has(&items, &removes)
        || positional.first().is_some_and(|p| {
            matches!(
                p.text.as_str(),
                "unset" | "remove-section" | "rename-section" | "edit"
            )
        });
    if let ([key, value, ..], false) = (operands, removing)
        && let Some(scope) =
            settings_scope(inv, &path, global, args::has(&items, &["-f", "--file"]))
    {
        outcome
            .effects
            .extend(url_setting(&scope, &key.text, &value.text));
    }
    // The section `--remove-section`, `--rename-section` (or git 2.46's
    // `remove-section`, `rename-section`) takes out of the file.
    let section_removed = match positional.as_slice() {
        [section, ..] if args::has(&items, &["--remove-section", "--rename-section"]) => {
            Some(*section)
        }
        [verb, section, ..]
            if matches!(verb.text.as_str(), "remove-section" | "rename-section") =>
        {
            Some(*section)
        }
        _ => None,
    };
    let change = match (section_removed, operands, removing) {
        (Some(section), _, _) => section
            .text
            .eq_ignore_ascii_case("alias")
            .then_some(AliasChange::Remove(None)),
        (None, [verb, key, ..], true) if matches!(verb.text.as_str(), "unset" | "unset-all") => {
            alias_name(&key.text).map(|name| AliasChange::Remove(Some(name)))
        }
        (None, [key, ..], true) => {
            alias_name(&key.text).map(|name| AliasChange::Remove(Some(name)))
        }
        (None, [key, value, ..], false) => {
            alias_name(&key.text).map(|name| AliasChange::Set(name, &value.text))
        }
        _ => None,
    };
    let edited = args::has(&items, &["-e", "--edit"])
        || positional.first().is_some_and(|p| p.text == "edit");
    if let Some(holds) = alias_change(change, edited, || text_of(&path)) {
        outcome.contents.push((path.clone(), holds));
    }
    outcome.write(path, false);
    outcome
}

/// An alias `git config` sets or removes.
enum AliasChange<'a> {
    /// `alias.NAME VALUE`.
    Set(&'a str, &'a str),
    /// `--unset alias.NAME`, or the whole section (`--remove-section alias`).
    Remove(Option<&'a str>),
}

/// The NAME of an `alias.NAME` key.
fn alias_name(key: &str) -> Option<&str> {
    let (section, name) = key.split_once('.')?;
    (section.eq_ignore_ascii_case("alias") && !name.is_empty() && !name.contains('.'))
        .then_some(name)
}

/// What the settings file holds once `git config` has changed an alias in
/// it, given the text it was known to hold (`earlier`): an alias set is
/// added after that text (or is all that is known of the file), one
/// removed is taken out of it. A file edited by hand (`--edit`), or an
/// alias removed from a file not known, holds what is not known (an empty
/// payload); `None` leaves what is known of it as it was.
fn alias_change(
    change: Option<AliasChange<'_>>,
    edited: bool,
    earlier: impl FnOnce() -> Option<String>,
) -> Option<Payload> {
    if edited {
        return Some(Payload::default());
    }
    let text = match (change?, earlier()) {
        (AliasChange::Set(name, value), earlier) => {
            let entry = aliases::alias_entry(name, value);
            match earlier {
                Some(earlier) => format!("{earlier}\n{entry}"),
                None => entry,
            }
        }
        (AliasChange::Remove(name), Some(earlier)) => aliases::without_alias(&earlier, name),
        (AliasChange::Remove(_), None) => return Some(Payload::default()),
    };
    Some(Payload {
        text: vec![text],
        ..Payload::default()
    })
}

/// The repositories a settings file written at `path` holds for: every
/// one (`/`) for the user's and the system's files, the repository around
/// `.git/config`, the working directory's for the repository's own; `None`
/// for another file (`-f FILE`), which git reads only when told to.
fn settings_scope(inv: &Invocation<'_>, path: &str, global: bool, file: bool) -> Option<String> {
    if global {
        return Some("/".to_owned());
    }
    if !file {
        return Some(inv.cwd.to_owned());
    }
    let user = ["~/.gitconfig", "~/.config/git/config", "/etc/gitconfig"];
    if user
        .iter()
        .any(|p| paths::resolve(inv.cwd, inv.home, p) == path)
    {
        return Some("/".to_owned());
    }
    path.strip_suffix("/.git/config").map(str::to_owned)
}

/// What setting `key` to `value` in `scope` does to where git sends a
/// remote: `remote.NAME.url` names the remote's URL; URL rewrites and
/// push URLs move pushes ([`Effect::GitSetting`]).
fn url_setting(scope: &str, key: &str, value: &str) -> Option<Effect> {
    let key = urls::canonical_key(key)?;
    if let Some(name) = key
        .strip_prefix("remote.")
        .and_then(|rest| rest.strip_suffix(".url"))
    {
        return Some(Effect::GitRemote {
            repo_dir: scope.to_owned(),
            name: name.to_owned(),
            url: value.to_owned(),
        });
    }
    urls::moves_pushes(&key).then(|| Effect::GitSetting {
        scope: scope.to_owned(),
        key,
        value: value.to_owned(),
    })
}

fn clean(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "e",
            long: &["exclude"],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    if args::has(&items, &["-n", "--dry-run"]) {
        return outcome;
    }
    // Entries below each path go, never the path itself; untracked ones
    // only, unless `-x` (and ignored ones) or `-X` (ignored ones only):
    // then whatever the ignore rules keep out of git (`.env`, local
    // settings) may go too.
    let names = if args::has(&items, &["-x", "-X"]) {
        vec!["*".to_owned()]
    } else {
        Vec::new()
    };
    let positional = args::positionals(&items);
    let roots = if positional.is_empty() {
        vec![inv.cwd.to_owned()]
    } else {
        positional.iter().map(|p| inv.path(&p.text)).collect()
    };
    for root in roots {
        outcome.effects.push(Effect::DeleteNamed {
            root,
            names: names.clone(),
        });
    }
    outcome
}

/// `git mv [-f] [-k] SOURCE... DESTINATION`: each source leaves its path
/// for the destination (or for its name inside a destination directory).
fn move_paths(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &Spec::default());
    let mut outcome = Outcome::default();
    if args::has(&items, &["-n", "--dry-run"]) {
        return outcome;
    }
    let positional = args::positionals(&items);
    let Some((destination, sources)) = positional.split_last() else {
        return outcome;
    };
    let destination = inv.path(&destination.text);
    for source in sources {
        let from = inv.path(&source.text);
        let to = if sources.len() > 1 {
            crate::paths::resolve(&destination, inv.home, crate::paths::basename(&from))
        } else {
            destination.clone()
        };
        outcome.delete(from, false);
        outcome.write(to, false);
    }
    outcome
}

fn remove(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &Spec::default());
    let mut outcome = Outcome::default();
    if args::has(&items, &["--cached", "-n", "--dry-run"]) {
        return outcome;
    }
    let recursive = args::has(&items, &["-r"]);
    for path in args::positionals(&items) {
        outcome.delete(inv.path(&path.text), recursive);
    }
    outcome
}

const GITHUB_API: &str = "https://api.github.com";

/// The repository a forge CLI acts on when no `--repo` names one: the one
/// the working directory's `origin` remote is.
pub(super) fn current_repository() -> Target {
    Target::Remote {
        name: "origin".to_owned(),
    }
}

fn github_repo(slug: Option<&str>) -> Resource {
    Resource::Repo {
        host: "github.com".to_owned(),
        slug: slug.map(str::to_owned),
    }
}

/// A repository gh acts on as a resource: the named one, else the working
/// directory's.
fn selected_repo(repo: Option<&GithubRepo>) -> Resource {
    match repo {
        Some(repo) => Resource::Repo {
            host: repo.host.clone(),
            slug: Some(repo.slug()),
        },
        None => github_repo(None),
    }
}

/// The request target of a call about the selected repository's `tail`
/// ([`GithubRepo::api`]), else the working directory's `origin`.
fn repo_target(repo: Option<&GithubRepo>, tail: &str) -> Target {
    repo.map_or_else(current_repository, |r| url(&r.api(tail)))
}

/// `gh SUBCOMMAND ...`, with the repository it acts on read once for every
/// subcommand ([`RepoSelection`]).
fn gh(inv: &Invocation<'_>) -> Outcome {
    let selection = RepoSelection::read(inv);
    let args = selection.args.as_slice();
    let sel = &selection;
    let words: Vec<&str> = args.iter().map(|a| a.text.as_str()).collect();
    let rest = args.get(2..).unwrap_or_default();
    match words.as_slice() {
        ["gist", "create", ..] => gist_create(inv, rest),
        ["repo", "edit", ..] => repo_edit(rest, sel),
        ["repo", "create", ..] => repo_create(inv, rest),
        ["repo", "clone", ..] => repo_clone(inv, rest, true),
        ["repo", "fork", ..] => repo_fork(inv, rest, sel),
        ["api", ..] => api(inv, args.get(1..).unwrap_or_default(), sel),
        ["issue" | "pr", "create" | "comment" | "edit" | "review", ..] => {
            let noun = words.first().copied().unwrap_or_default();
            let verb = words.get(1).copied().unwrap_or_default();
            issue_or_pr(inv, noun, verb, rest, sel)
        }
        ["release", "upload" | "create", ..] => release(inv, rest, sel),
        ["secret" | "variable", "set", ..] => secret_set(inv, rest, sel),
        ["repo", "deploy-key", "add" | "delete", ..] => deploy_key(inv, &words, rest, sel),
        ["workflow", "run", ..] => workflow_run(inv, rest, sel),
        ["workflow", verb @ ("enable" | "disable"), ..] => workflow_switch(verb, rest, sel),
        ["run", verb @ ("rerun" | "cancel"), ..] => run_change(verb, rest, sel),
        [
            "issue" | "pr" | "release" | "run" | "workflow" | "discussion" | "label",
            "view" | "list" | "diff" | "checks" | "status" | "download",
            ..,
        ]
        | ["repo", "view", ..] => gh_read(&words, rest, sel),
        ["codespace" | "cs", ..] => {
            super::wrappers::codespace(inv, args.get(1..).unwrap_or_default())
        }
        ["search", ..] => Outcome::default().effect(request(
            "gh",
            url(&sel.api_url("search")),
            "GET",
            Payload::default(),
            false,
        )),
        _ => Outcome::default(),
    }
}

/// A workflow's inputs that name the environment it deploys to (`gh
/// workflow run -f environment=E`, the REST dispatch's `inputs`).
pub const WORKFLOW_ENVIRONMENT_INPUTS: &[&str] = &[
    "environment",
    "env",
    "stage",
    "target",
    "target_env",
    "deploy_env",
];

/// `gh workflow run WORKFLOW -f environment=E` (or `-f env=E`, `-f
/// stage=E`, `-f DEPLOY_ENV=E`: [`super::is_environment_parameter`];
/// `--field`, `--raw-field`): the workflow deploys to the environment its
/// input names. Dispatched on a repository the line names (`-R`,
/// `GH_REPO`), it is also a request to that repository carrying the
/// inputs (`--json`: from standard input); on the working directory's
/// own, a CI run of the repository being worked on, it is only the deploy.
fn workflow_run(inv: &Invocation<'_>, rest: &[Arg], sel: &RepoSelection) -> Outcome {
    let items = args::parse(
        rest,
        &Spec {
            short: "fFr",
            long: &["field", "raw-field", "ref"],
            stop_after: None,
        },
    );
    let workflow = args::positionals(&items).first().map(|w| w.text.clone());
    let fields = args::values(&items, &["-f", "-F", "--field", "--raw-field"]);
    let mut outcome = Outcome::default();
    for field in &fields {
        if let Some((key, value)) = field.text.split_once('=')
            && super::is_environment_parameter(key)
            && !value.is_empty()
        {
            outcome.effects.push(Effect::Deploy(crate::Deploy {
                program: "gh".to_owned(),
                environment: value.to_owned(),
                service: workflow.clone(),
                production: false,
            }));
        }
    }
    if let Some(repo) = &sel.repo {
        let mut payload = Payload::default();
        for field in fields {
            flow::merge(&mut payload, &field.payload());
        }
        if args::has(&items, &["--json"]) && inv.has_stdin {
            flow::merge(&mut payload, inv.stdin);
        }
        let tail = format!(
            "actions/workflows/{}/dispatches",
            workflow.as_deref().unwrap_or_default()
        );
        outcome
            .effects
            .push(request("gh", url(&repo.api(&tail)), "POST", payload, false));
    }
    outcome
}

/// `gh run rerun|cancel [RUN_ID]` on a repository the line names: a
/// request that starts or stops its CI. On the working directory's own
/// repository it is a CI run of the repository being worked on, and
/// sends nothing elsewhere.
fn run_change(verb: &str, rest: &[Arg], sel: &RepoSelection) -> Outcome {
    let Some(repo) = &sel.repo else {
        return Outcome::default();
    };
    let items = args::parse(
        rest,
        &Spec {
            short: "j",
            long: &["job"],
            stop_after: None,
        },
    );
    let run = args::positionals(&items)
        .first()
        .map_or_else(String::new, |id| id.text.clone());
    let tail = format!("actions/runs/{run}/{verb}");
    Outcome::default().effect(request(
        "gh",
        url(&repo.api(&tail)),
        "POST",
        Payload::default(),
        false,
    ))
}

/// `gh workflow enable|disable WORKFLOW` on a repository the line names:
/// a change to its CI settings there (as [`run_change`]).
fn workflow_switch(verb: &str, rest: &[Arg], sel: &RepoSelection) -> Outcome {
    let Some(repo) = &sel.repo else {
        return Outcome::default();
    };
    let items = args::parse(rest, &Spec::default());
    let workflow = args::positionals(&items)
        .first()
        .map_or_else(String::new, |w| w.text.clone());
    let tail = format!("actions/workflows/{workflow}/{verb}");
    Outcome::default().effect(request(
        "gh",
        url(&repo.api(&tail)),
        "PUT",
        Payload::default(),
        false,
    ))
}

/// `gh repo deploy-key add KEY_FILE [--allow-write] [-t TITLE] [-R O/R]`:
/// a key that may read (with `--allow-write`, push to) the repository, the
/// grant `POST repos/O/R/keys` makes, and that request sends the key
/// file's contents to GitHub; `gh repo deploy-key delete ID` takes one
/// away.
fn deploy_key(inv: &Invocation<'_>, words: &[&str], rest: &[Arg], sel: &RepoSelection) -> Outcome {
    let items = args::parse(
        rest,
        &Spec {
            short: "t",
            long: &["title"],
            stop_after: None,
        },
    );
    let repo = sel.repo.as_ref();
    // After the verb: the key file (`add`) or the key's id (`delete`).
    let operand = args::positionals(&items).get(1).map(|a| a.text.clone());
    let write = if args::has(&items, &["--allow-write", "-w"]) {
        "write "
    } else {
        ""
    };
    let grantee = if words.get(2) == Some(&"delete") {
        format!("deploy key {}", operand.as_deref().unwrap_or_default())
    } else {
        args::value(&items, &["-t", "--title"]).map_or_else(
            || format!("a {write}deploy key"),
            |t| format!("{write}deploy key {}", t.text),
        )
    };
    let mut outcome = Outcome::default();
    if words.get(2) == Some(&"add")
        && let Some(key_file) = &operand
    {
        let mut payload = Payload::default();
        send_file(inv, &mut payload, key_file, false);
        outcome.effects.push(request(
            "gh",
            repo_target(repo, "keys"),
            "POST",
            payload,
            false,
        ));
    }
    outcome.effect(Effect::GrantAccess {
        resource: selected_repo(repo),
        grantee: Some(grantee),
    })
}

/// `gh issue view N -R OWNER/REPO`, `gh pr list --repo ...`, `gh repo
/// view OWNER/REPO`, `gh issue view https://github.com/OWNER/REPO/...`:
/// a read of another repository's issues, code or releases, whose text
/// comes from whoever wrote it there. The working directory's own
/// repository (no `-R`, no `GH_REPO`) is the organisation's, and fetches
/// nothing new.
fn gh_read(words: &[&str], rest: &[Arg], sel: &RepoSelection) -> Outcome {
    let items = args::parse(
        rest,
        &Spec {
            short: "LSsAljqtw",
            long: &[
                "limit", "state", "search", "author", "label", "json", "jq", "template", "branch",
                "workflow", "pattern", "dir", "comments",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    // `gh repo view OWNER/REPO`, or a URL (`gh pr view` also takes a
    // branch name, which is no repository).
    let from_operand = positional.first().and_then(|first| {
        let is_url = first.text.contains("://");
        (is_url || words.first() == Some(&"repo"))
            .then(|| GithubRepo::parse(&first.text, &sel.host))
            .flatten()
    });
    let Some(repo) = from_operand.as_ref().or(sel.repo.as_ref()) else {
        return Outcome::default();
    };
    let noun = words.first().copied().unwrap_or("repo");
    Outcome::default().effect(request(
        "gh",
        url(&repo.api(noun)),
        "GET",
        Payload::default(),
        false,
    ))
}

/// `gh secret|variable set NAME [-b VALUE | -f ENV_FILE | < file] [-o ORG
/// | -R REPO | --env ENV]`: the value is stored at the organisation
/// (`--org`, whatever repository is selected, as gh does) or at the
/// selected repository ([`RepoSelection`]), so it is sent there.
fn secret_set(inv: &Invocation<'_>, rest: &[Arg], sel: &RepoSelection) -> Outcome {
    let items = args::parse(
        rest,
        &Spec {
            short: "bfoevar",
            long: &[
                "body",
                "env-file",
                "org",
                "env",
                "visibility",
                "app",
                "repos",
            ],
            stop_after: None,
        },
    );
    let mut payload = Payload::default();
    if let Some(body) = args::value(&items, &["-b", "--body"]) {
        flow::merge(&mut payload, &body.payload());
    }
    if let Some(file) = args::value(&items, &["-f", "--env-file"]) {
        send_file(inv, &mut payload, &file.text, false);
    }
    if inv.has_stdin {
        flow::merge(&mut payload, inv.stdin);
    }
    let target = match (args::value(&items, &["-o", "--org"]), &sel.repo) {
        (Some(org), _) => url(&sel.api_url(&format!("orgs/{}", org.text))),
        (None, Some(repo)) => url(&repo.url()),
        (None, None) => current_repository(),
    };
    Outcome::default().effect(request("gh", target, "PUT", payload, false))
}

fn gist_create(inv: &Invocation<'_>, rest: &[Arg]) -> Outcome {
    let items = args::parse(
        rest,
        &Spec {
            short: "fd",
            long: &["filename", "desc"],
            stop_after: None,
        },
    );
    let mut payload = Payload::default();
    for file in args::positionals(&items) {
        if file.text != "-" {
            flow::push_file(
                &mut payload,
                crate::FileRef {
                    path: inv.path(&file.text),
                    recursive: false,
                    excludes: Vec::new(),
                },
            );
        }
        flow::merge(&mut payload, &file.expansions());
    }
    if let Some(desc) = args::value(&items, &["-d", "--desc"]) {
        flow::merge(&mut payload, &desc.payload());
    }
    let public = args::has(&items, &["-p", "--public"]);
    Outcome::default().effect(request(
        "gh",
        url("https://gist.github.com"),
        "POST",
        payload,
        public,
    ))
}

fn repo_edit(rest: &[Arg], sel: &RepoSelection) -> Outcome {
    let items = args::parse(
        rest,
        &Spec {
            short: "",
            long: &[
                "visibility",
                "description",
                "homepage",
                "default-branch",
                "add-topic",
                "remove-topic",
                "template",
            ],
            stop_after: None,
        },
    );
    // `[HOST/]OWNER/REPO` or a URL, else the selected repository.
    let named = args::positionals(&items)
        .first()
        .and_then(|a| GithubRepo::parse(&a.text, &sel.host));
    let visibility = args::value(&items, &["--visibility"]).map(|v| v.text.to_ascii_lowercase());
    Outcome {
        effects: visibility_change(
            selected_repo(named.as_ref().or(sel.repo.as_ref())),
            visibility.as_deref(),
        ),
        ..Outcome::default()
    }
}

/// Who an `internal` repository is open to on GitHub: every member of the
/// enterprise that owns its organisation, not only the organisation's.
const GITHUB_INTERNAL: &str = "every enterprise member (internal visibility)";

/// What setting a GitHub repository's visibility does to access: `public`
/// makes it public; `internal` lets every member of the enterprise read
/// it, a grant of access short of public; `private` takes access away, no
/// grant.
fn visibility_change(resource: Resource, visibility: Option<&str>) -> Vec<Effect> {
    match visibility {
        Some("public") => vec![Effect::MakePublic { resource }],
        Some("internal") => vec![Effect::GrantAccess {
            resource,
            grantee: Some(GITHUB_INTERNAL.to_owned()),
        }],
        _ => Vec::new(),
    }
}

fn repo_create(inv: &Invocation<'_>, rest: &[Arg]) -> Outcome {
    let items = args::parse(
        rest,
        &Spec {
            short: "dhtgls",
            long: &[
                "description",
                "homepage",
                "team",
                "gitignore",
                "license",
                "source",
                "remote",
                "template",
            ],
            stop_after: None,
        },
    );
    let name = args::positionals(&items)
        .first()
        .map(|a| a.text.clone())
        .unwrap_or_default();
    let public = args::has(&items, &["--public"]);
    let target = format!("https://github.com/{name}");
    let target = target.trim_end_matches('/');
    // `--source DIR --push`: the new repository receives DIR's, as by
    // `git push`; made public under an owner's name, that code is public.
    let Some(source) =
        args::value(&items, &["-s", "--source"]).filter(|_| args::has(&items, &["--push"]))
    else {
        return Outcome::default().effect(request(
            "gh",
            url(target),
            "POST",
            Payload::default(),
            public,
        ));
    };
    let mut outcome = Outcome::default().effect(Effect::GitPush(GitPush {
        repo_dir: inv.path(&source.text),
        remote: Some(format!("{target}.git")),
        refspecs: Vec::new(),
        force: false,
        all_refs: false,
        tags: false,
        branch: None,
        cloned_from: None,
        settings: None,
    }));
    if public && name.contains('/') {
        outcome.effects.push(Effect::MakePublic {
            resource: Resource::Repo {
                host: "github.com".to_owned(),
                slug: Some(name),
            },
        });
    }
    outcome
}

fn repo_clone(inv: &Invocation<'_>, rest: &[Arg], clones: bool) -> Outcome {
    let items = args::parse(rest, &Spec::default());
    let positional = args::positionals(&items);
    let Some(slug) = positional.first() else {
        return Outcome::default();
    };
    let target = if slug.text.contains("://") {
        slug.text.clone()
    } else {
        format!("https://github.com/{}", slug.text)
    };
    let dir = clones.then(|| positional.get(1).copied());
    clone_from("gh", inv, &target, dir)
}

/// The owner a fork goes to when none is named: the signed-in account,
/// written as gh and glab write it in their own commands (`--owner @me`).
/// No login contains `@`, so it is never an `org_repos` owner: the new
/// repository reads as an account's, a personal one.
pub(super) const SIGNED_IN_OWNER: &str = "@me";

/// A copy of a repository's contents into a new repository at `dest` (a
/// fork, a transfer to another owner): the code leaves as by `git push`,
/// so where it lands decides, and org code copied to an owner outside
/// the organisation is the organisation's code sent there. `source` is
/// the copied repository's URL; `None`, the repository in `dir`. Its
/// branches land in a repository that had none, so it pushes to no branch
/// protection covers: as `git push --tags` alone, no branch.
pub(super) fn repository_copy(dir: &str, source: Option<String>, dest: String) -> Effect {
    Effect::GitPush(GitPush {
        repo_dir: if source.is_some() {
            String::new()
        } else {
            dir.to_owned()
        },
        remote: Some(dest),
        refspecs: Vec::new(),
        force: false,
        all_refs: false,
        tags: true,
        branch: None,
        cloned_from: source,
        settings: None,
    })
}

/// `gh repo fork [REPO] [--org ORG] [--fork-name NAME] [-- GITFLAGS]`:
/// GitHub copies `REPO` (with none, the working directory's) into a new
/// repository of `ORG`, else of the signed-in account. The source is read
/// (as `gh repo clone` reads it) and its contents copied
/// ([`repository_copy`]) to `HOST/ORG/NAME`.
fn repo_fork(inv: &Invocation<'_>, rest: &[Arg], sel: &RepoSelection) -> Outcome {
    // After `--` come git's flags for `--clone`, not the repository.
    let own = rest
        .iter()
        .position(|a| a.text == "--")
        .map_or(rest, |end| rest.get(..end).unwrap_or_default());
    let items = args::parse(
        own,
        &Spec {
            short: "",
            long: &["org", "fork-name", "remote-name"],
            stop_after: None,
        },
    );
    let owner = args::value(&items, &["--org"]).map_or(SIGNED_IN_OWNER, |o| o.text.as_str());
    let fork_name = args::value(&items, &["--fork-name"]).map(|n| n.text.clone());
    let Some(source) = args::positionals(&items).first().copied() else {
        // The working directory's repository, named as its directory is.
        let name = fork_name.unwrap_or_else(|| paths::basename(inv.cwd).to_owned());
        return Outcome::default().effect(repository_copy(
            inv.cwd,
            None,
            format!("https://github.com/{owner}/{name}.git"),
        ));
    };
    let Some(repo) = GithubRepo::parse(&source.text, &sel.host) else {
        return repo_clone(inv, std::slice::from_ref(source), false);
    };
    let name = fork_name.unwrap_or_else(|| repo.name.clone());
    let dest = format!("https://{}/{owner}/{name}.git", repo.host);
    let mut outcome = clone_from("gh", inv, &repo.url(), None);
    outcome
        .effects
        .push(repository_copy(inv.cwd, Some(repo.url()), dest));
    outcome
}

/// A download from `source` by `program`; with `dir` (`Some(None)`: the
/// default directory), a clone into it, whose write follows the download
/// (`carry_clone_source` reads the pair).
pub(super) fn clone_from(
    program: &str,
    inv: &Invocation<'_>,
    source: &str,
    dir: Option<Option<&Arg>>,
) -> Outcome {
    let mut outcome = Outcome::default().effect(request(
        program,
        url(source),
        "DOWNLOAD",
        Payload::default(),
        false,
    ));
    if let Some(dir) = dir {
        outcome.write(inv.path(&clone_dir(source, dir)), false);
    }
    outcome
}

/// The path of a clone source that is a repository on this machine (a
/// path, or a `file://` URL), not a URL or an scp-style `host:path`.
fn local_repository(source: &str) -> Option<&str> {
    if let Some(path) = source.strip_prefix("file://") {
        return Some(path);
    }
    let scp_like = source
        .find(':')
        .and_then(|colon| source.get(..colon))
        .is_some_and(|host| !host.contains('/'));
    (!source.contains("://") && !scp_like && !source.is_empty()).then_some(source)
}

/// Where a clone of `source` goes: `dir` when given, else the source's
/// last path segment without `.git` (as git, gh and glab name it).
fn clone_dir(source: &str, dir: Option<&Arg>) -> String {
    if let Some(dir) = dir {
        return dir.text.clone();
    }
    let name = paths::basename(source.trim_end_matches('/'));
    let name = name.rsplit(':').next().unwrap_or(name);
    name.strip_suffix(".git").unwrap_or(name).to_owned()
}

/// `gh api ENDPOINT [-X M] [-f k=v] [-F k=v] [--input f] [--hostname H]`:
/// a request to `H` (else `GH_HOST`, else github.com). gh fills the
/// endpoint's `{owner}` and `{repo}` from the selected repository
/// (`GH_REPO`), else from the working directory's.
fn api(inv: &Invocation<'_>, rest: &[Arg], sel: &RepoSelection) -> Outcome {
    let Some(mut call) = ApiCall::parse(inv, rest) else {
        return Outcome::default();
    };
    if let Some(repo) = &sel.repo {
        call.endpoint = call
            .endpoint
            .replace("{owner}", &repo.owner)
            .replace("{repo}", &repo.name);
    }
    let endpoint = &call.endpoint;
    let host = call.hostname.as_deref().unwrap_or(&sel.host);
    let target = if endpoint.contains("://") {
        url(endpoint)
    } else if endpoint.contains("{owner}") || endpoint.contains("{repo}") {
        current_repository()
    } else {
        url(&gh_repo::api_url(host, endpoint))
    };
    let access = access_changes(endpoint, &call.method, &call.fields, inv.cwd);
    let mut outcome =
        Outcome::default().effect(request("gh", target, &call.method, call.payload, false));
    outcome.effects.extend(access);
    outcome
}

/// The request a forge CLI's `api` command (`gh api`, `glab api`) makes,
/// from their shared syntax: `ENDPOINT`, `-f/--raw-field k=v` (as
/// written), `-F/--field k=v` (`k=@FILE` sends the file), `--input FILE`,
/// `-H/--header`, `--hostname`, and `-X/--method` (POST when there is a
/// body, else GET).
pub(super) struct ApiCall {
    /// The endpoint as written, without a leading `/`.
    pub endpoint: String,
    pub method: String,
    pub payload: Payload,
    /// The body's `key=value` pairs.
    pub fields: Vec<String>,
    pub hostname: Option<String>,
}

impl ApiCall {
    /// `None` without an endpoint.
    pub(super) fn parse(inv: &Invocation<'_>, rest: &[Arg]) -> Option<ApiCall> {
        let spec = Spec {
            short: "XfFHtqp",
            long: &[
                "method",
                "raw-field",
                "field",
                "header",
                "input",
                "jq",
                "template",
                "hostname",
                "cache",
                "preview",
            ],
            stop_after: None,
        };
        let items = args::parse(rest, &spec);
        let endpoint = args::positionals(&items)
            .first()?
            .text
            .trim_start_matches('/')
            .to_owned();
        let mut call = ApiCall::read(inv, &items);
        call.endpoint = endpoint;
        call.hostname = args::value(&items, &["--hostname"]).map(|h| h.text.clone());
        Some(call)
    }

    fn read(inv: &Invocation<'_>, items: &[Item<'_>]) -> ApiCall {
        let mut payload = Payload::default();
        let mut has_body = false;
        let mut fields: Vec<String> = Vec::new();
        for (name, v) in args::options(items) {
            match name {
                "-f" | "--raw-field" => {
                    has_body = true;
                    fields.push(v.text.clone());
                    flow::merge(&mut payload, &v.payload());
                }
                "-F" | "--field" => {
                    has_body = true;
                    fields.push(v.text.clone());
                    match v.text.split_once("=@") {
                        Some((_, file)) if file != "-" => {
                            super::send_file(inv, &mut payload, file, false);
                        }
                        _ => flow::merge(&mut payload, &v.payload()),
                    }
                }
                "--input" => {
                    has_body = true;
                    super::send_file(inv, &mut payload, &v.text, false);
                    // `printf '{"private":false}' | gh api ... --input -`:
                    // the body's fields are those of `-F private=false`.
                    if v.text == "-" {
                        fields.extend(json_body_fields(&inv.stdin.text.join("\n")));
                    }
                }
                "-H" | "--header" => flow::merge(&mut payload, &v.payload()),
                _ => {}
            }
        }
        let method = args::value(items, &["-X", "--method"])
            .map(|m| m.text.to_ascii_uppercase())
            .unwrap_or_else(|| if has_body { "POST" } else { "GET" }.to_owned());
        ApiCall {
            endpoint: String::new(),
            method,
            payload,
            fields,
            hostname: None,
        }
    }
}

/// The top-level fields of a JSON object request body as `key=value`, as
/// `-F key=value` gives them: `{"private":false}` is `private=false`, a
/// string its text, a nested value its JSON. None for other text.
fn json_body_fields(text: &str) -> Vec<String> {
    let Ok(serde_json::Value::Object(object)) = serde_json::from_str(text.trim()) else {
        return Vec::new();
    };
    object
        .into_iter()
        .map(|(key, value)| match value {
            serde_json::Value::String(text) => format!("{key}={text}"),
            other => format!("{key}={other}"),
        })
        .collect()
}

/// What a GitHub REST call does to access, whoever makes it (`gh api`,
/// curl, an HTTP gateway). `endpoint` is the path after
/// `https://api.github.com/`, `fields` the body's `key=value` pairs:
/// - `PATCH repos/O/R` with `private=false` or `visibility=public` makes
///   `O/R` public;
/// - `PUT repos/O/R/collaborators/U` grants `U` access to `O/R`, `POST
///   repos/O/R/keys` a deploy key, and `PUT orgs/O/teams/T/repos/O/R` (or
///   `teams/ID/repos/O/R`) the team `T`;
/// - `PUT orgs/O/memberships/U` makes `U` a member of the organisation,
///   `PUT orgs/O/teams/T/memberships/U` (or `teams/ID/memberships/U`) of
///   the team, `POST orgs/O/invitations` invites someone, `PUT
///   orgs/O/outside_collaborators/U` turns a member into an outside
///   collaborator, `PUT orgs/O/organization-roles/users|teams/W/ROLE`
///   gives `W` an organisation role, and `PATCH orgs/O` setting
///   `default_repository_permission` or a `members_can_*` permission
///   changes what every member may do;
/// - any change (`PUT`, `PATCH`, `POST`, `DELETE`) of a branch's
///   protection (`repos/O/R/branches/B/protection[/...]`), of a ruleset
///   (`repos/O/R/rulesets[/ID]`, `orgs/O/rulesets[/ID]`) or of tag
///   protection changes who may push there: access to the repository (or
///   the organisation's repositories), granted to no one in particular;
/// - removing any of these (`DELETE`) changes access as well;
/// - `PATCH repos/O/R/git/refs/heads/B` moves branch `B` (a force push with
///   `force=true`), `DELETE` of it deletes the branch, and `PUT
///   repos/O/R/contents/PATH` with `branch=B` or `POST repos/O/R/merges`
///   with `base=B` commits to `B`: each is a push to `B` of `O/R`;
/// - `PATCH repos/O/R` with `visibility=internal` opens `O/R` to every
///   member of the enterprise (a grant short of public);
/// - `POST repos/O/R/forks` (into `organization`, else the signed-in
///   account) and `POST repos/O/R/transfer` (to `new_owner`, which also
///   gets the repository) copy `O/R`'s contents to that owner
///   ([`repository_copy`]);
/// - `PUT` or `DELETE user/installations/ID/repositories/RID` adds a
///   repository to a GitHub App's installation or takes it away, and an
///   enterprise's changes of its organisations' installations
///   (`enterprises/E/apps/organizations/O/installations[/...]`) or an
///   app's suspension or removal of its own (`app/installations/ID`)
///   change what the app may reach.
///
/// gh's `{owner}/{repo}` placeholders name the working directory's
/// repository.
pub fn github_access_changes(endpoint: &str, method: &str, fields: &[String]) -> Vec<Effect> {
    access_changes(endpoint, method, fields, "")
}

/// [`github_access_changes`] for a call made in `cwd`, whose repository
/// gh's `{owner}/{repo}` placeholders name (`""`: no working directory).
fn access_changes(endpoint: &str, method: &str, fields: &[String], cwd: &str) -> Vec<Effect> {
    let path = endpoint
        .trim_start_matches('/')
        .split('?')
        .next()
        .unwrap_or_default();
    let parts: Vec<&str> = path.split('/').collect();
    let repo = |owner: &str, name: &str| {
        if owner == "{owner}" || name == "{repo}" {
            github_repo(None)
        } else {
            github_repo(Some(&format!("{owner}/{name}")))
        }
    };
    let org = |org: &str| Resource::Other {
        name: format!("github.com/{org}"),
    };
    let team = |org: Option<&str>, team: &str| Resource::Other {
        name: match org {
            Some(org) => format!("github.com/{org} team {team}"),
            None => format!("github.com team {team}"),
        },
    };
    let grant = |resource: Resource, grantee: String| {
        vec![Effect::GrantAccess {
            resource,
            grantee: Some(grantee),
        }]
    };
    // A change of who may push, granted to no one in particular.
    let rules = |resource: Resource| {
        vec![Effect::GrantAccess {
            resource,
            grantee: None,
        }]
    };
    let changes = !matches!(method, "GET" | "HEAD" | "OPTIONS");
    let adds_or_removes = matches!(method, "PUT" | "PATCH" | "DELETE");
    match parts.as_slice() {
        ["repos", owner, name, "collaborators", user] if adds_or_removes => {
            grant(repo(owner, name), (*user).to_owned())
        }
        ["repos", owner, name, "keys"] if method == "POST" => {
            // `read_only=false` lets the key push, as `gh repo deploy-key
            // add --allow-write` does.
            let write = if field(fields, "read_only") == Some("false") {
                "write "
            } else {
                ""
            };
            let title = field(fields, "title").map_or_else(
                || format!("a {write}deploy key"),
                |t| format!("{write}deploy key {t}"),
            );
            grant(repo(owner, name), title)
        }
        ["repos", owner, name, "keys", id] if method == "DELETE" => {
            grant(repo(owner, name), format!("deploy key {id}"))
        }
        ["repos", owner, name, "invitations", id] if changes => {
            grant(repo(owner, name), format!("invitation {id}"))
        }
        ["orgs", _, "teams", team, "repos", owner, name]
        | ["teams", team, "repos", owner, name]
            if adds_or_removes =>
        {
            grant(repo(owner, name), format!("team {team}"))
        }
        ["orgs", o, "teams", t, "memberships" | "members", user] if adds_or_removes => {
            grant(team(Some(o), t), (*user).to_owned())
        }
        ["teams", t, "memberships" | "members", user] if adds_or_removes => {
            grant(team(None, t), (*user).to_owned())
        }
        [
            "orgs",
            o,
            "memberships" | "members" | "outside_collaborators",
            user,
        ] if adds_or_removes => grant(org(o), (*user).to_owned()),
        ["orgs", o, "invitations"] if method == "POST" => grant(
            org(o),
            field(fields, "email")
                .or_else(|| field(fields, "invitee_id"))
                .unwrap_or("someone invited")
                .to_owned(),
        ),
        ["orgs", o, "organization-roles", "users" | "teams", who, ..] if adds_or_removes => {
            grant(org(o), (*who).to_owned())
        }
        ["repos", owner, name, "branches", rest @ ..]
            if changes && rest.contains(&"protection") =>
        {
            rules(repo(owner, name))
        }
        ["repos", owner, name, "rulesets", ..]
        | ["repos", owner, name, "tags", "protection", ..]
            if changes =>
        {
            rules(repo(owner, name))
        }
        ["orgs", o, "rulesets", ..] if changes => rules(org(o)),
        ["orgs", o] if method == "PATCH" => {
            // Settings of what every member may do: the base permission on
            // all repositories, who may create, fork or delete them.
            let settings: Vec<&str> = fields
                .iter()
                .map(String::as_str)
                .filter(|f| {
                    let key = f.split('=').next().unwrap_or_default().trim();
                    key == "default_repository_permission"
                        || key.starts_with("members_can_")
                        || key.starts_with("members_allowed_")
                })
                .collect();
            if settings.is_empty() {
                Vec::new()
            } else {
                grant(org(o), format!("all members ({})", settings.join(", ")))
            }
        }
        ["repos", owner, name, "git", "refs", "heads", branch @ ..]
            if matches!(method, "PATCH" | "POST" | "DELETE") && !branch.is_empty() =>
        {
            let force = field(fields, "force").is_some_and(|f| f == "true");
            vec![api_push(
                owner,
                name,
                &branch.join("/"),
                force,
                method == "DELETE",
            )]
        }
        ["repos", owner, name, "contents", ..] if method == "PUT" => field(fields, "branch")
            .map(|branch| vec![api_push(owner, name, branch, false, false)])
            .unwrap_or_default(),
        ["repos", owner, name, "merges"] if method == "POST" => field(fields, "base")
            .map(|branch| vec![api_push(owner, name, branch, false, false)])
            .unwrap_or_default(),
        ["repos", owner, name] if method == "PATCH" => {
            let visibility = if field(fields, "private") == Some("false") {
                Some("public".to_owned())
            } else {
                field(fields, "visibility").map(str::to_ascii_lowercase)
            };
            visibility_change(repo(owner, name), visibility.as_deref())
        }
        ["repos", owner, name, "forks"] if method == "POST" => {
            let to = field(fields, "organization").unwrap_or(SIGNED_IN_OWNER);
            vec![api_copy(owner, name, to, field(fields, "name"), cwd)]
        }
        ["repos", owner, name, "transfer"] if method == "POST" => {
            let Some(to) = field(fields, "new_owner").filter(|o| !o.is_empty()) else {
                return Vec::new();
            };
            let mut effects = grant(repo(owner, name), format!("new owner {to}"));
            effects.push(api_copy(owner, name, to, field(fields, "new_name"), cwd));
            effects
        }
        ["user", "installations", id, "repositories", rid] if adds_or_removes => grant(
            Resource::Other {
                name: format!("github.com repository {rid}"),
            },
            format!("GitHub App installation {id}"),
        ),
        [
            "enterprises",
            _,
            "apps",
            "organizations",
            o,
            "installations",
            rest @ ..,
        ] if changes => grant(
            org(o),
            rest.first().map_or_else(
                || {
                    field(fields, "client_id")
                        .map_or_else(|| "a GitHub App".to_owned(), |c| format!("GitHub App {c}"))
                },
                |id| format!("GitHub App installation {id}"),
            ),
        ),
        ["app", "installations", id] if method == "DELETE" => rules(Resource::Other {
            name: format!("GitHub App installation {id}"),
        }),
        ["app", "installations", id, "suspended"] if adds_or_removes => rules(Resource::Other {
            name: format!("GitHub App installation {id}"),
        }),
        _ => Vec::new(),
    }
}

/// A copy of `github.com/OWNER/NAME` made through the API
/// ([`repository_copy`]) to `github.com/TO/NEW_NAME` (`NAME` when no new
/// name is given); `{owner}/{repo}` is the repository in `cwd`, named as
/// its directory is.
fn api_copy(owner: &str, name: &str, to: &str, new_name: Option<&str>, cwd: &str) -> Effect {
    let placeholder = owner == "{owner}" || name == "{repo}";
    let name = if name == "{repo}" {
        paths::basename(cwd)
    } else {
        name
    };
    let dest = format!(
        "https://github.com/{to}/{}.git",
        new_name.filter(|n| !n.is_empty()).unwrap_or(name)
    );
    let source = (!placeholder).then(|| format!("https://github.com/{owner}/{name}"));
    repository_copy(cwd, source, dest)
}

/// The value of the body field `key` (`key=value`, spaces ignored).
fn field<'f>(fields: &'f [String], key: &str) -> Option<&'f str> {
    fields.iter().find_map(|f| {
        let (k, v) = f.split_once('=')?;
        (k.trim() == key).then(|| v.trim())
    })
}

/// A push to `branch` of `github.com/OWNER/NAME` made through the API: it
/// moves the branch but sends no code from here (`{owner}/{repo}` is the
/// working directory's `origin`).
fn api_push(owner: &str, name: &str, branch: &str, force: bool, delete: bool) -> Effect {
    let remote = (owner != "{owner}" && name != "{repo}")
        .then(|| format!("https://github.com/{owner}/{name}.git"));
    Effect::GitPush(crate::GitPush {
        repo_dir: String::new(),
        remote,
        refspecs: vec![crate::RefSpec {
            src: (!delete).then(|| branch.to_owned()),
            dst: Some(branch.to_owned()),
            force,
            delete,
        }],
        force,
        all_refs: false,
        tags: false,
        branch: None,
        cloned_from: None,
        settings: None,
    })
}

/// `gh issue|pr create|comment`: POST to the named repository's API, or to
/// `https://github.com` when the repository comes from the working directory.
fn issue_or_pr(
    inv: &Invocation<'_>,
    noun: &str,
    verb: &str,
    rest: &[Arg],
    sel: &RepoSelection,
) -> Outcome {
    let spec = Spec {
        short: "bFtBHalmpTdw",
        long: &[
            "body",
            "body-file",
            "title",
            "base",
            "head",
            "assignee",
            "label",
            "milestone",
            "project",
            "template",
            "reviewer",
            "recover",
        ],
        stop_after: None,
    };
    let items = args::parse(rest, &spec);
    let mut payload = Payload::default();
    for (name, v) in args::options(&items) {
        match name {
            "-b" | "--body" | "-t" | "--title" => flow::merge(&mut payload, &v.payload()),
            "-F" | "--body-file" if v.text != "-" => flow::push_file(
                &mut payload,
                crate::FileRef {
                    path: inv.path(&v.text),
                    recursive: false,
                    excludes: Vec::new(),
                },
            ),
            _ => {}
        }
    }
    let collection = if noun == "pr" && verb == "create" {
        "pulls"
    } else {
        "issues"
    };
    // The issue or pull request by number, or by its URL, which names its
    // repository too (`gh issue comment https://github.com/O/R/issues/7`).
    let operand = args::positionals(&items).first().map(|n| n.text.clone());
    let from_url = operand
        .as_deref()
        .filter(|o| o.contains("://"))
        .and_then(|o| GithubRepo::parse(o, &sel.host));
    let number = match &from_url {
        Some(_) => operand.as_deref().and_then(|o| {
            o.trim_end_matches('/')
                .rsplit('/')
                .next()
                .filter(|n| n.chars().all(|c| c.is_ascii_digit()))
                .map(str::to_owned)
        }),
        None => operand.clone(),
    };
    let tail = match (verb, number) {
        ("comment", Some(n)) => format!("issues/{n}/comments"),
        _ => collection.to_owned(),
    };
    let target = repo_target(from_url.as_ref().or(sel.repo.as_ref()), &tail);
    let method = if verb == "edit" { "PATCH" } else { "POST" };
    Outcome::default().effect(request("gh", target, method, payload, false))
}

fn release(inv: &Invocation<'_>, rest: &[Arg], sel: &RepoSelection) -> Outcome {
    let items = args::parse(
        rest,
        &Spec {
            short: "ntF",
            long: &[
                "notes",
                "title",
                "notes-file",
                "target",
                "discussion-category",
                "notes-start-tag",
            ],
            stop_after: None,
        },
    );
    let mut payload = Payload::default();
    for file in args::positionals(&items).into_iter().skip(1) {
        let path = file.text.split('#').next().unwrap_or_default();
        flow::push_file(
            &mut payload,
            crate::FileRef {
                path: inv.path(path),
                recursive: false,
                excludes: Vec::new(),
            },
        );
    }
    if let Some(notes) = args::value(&items, &["-n", "--notes"]) {
        flow::merge(&mut payload, &notes.payload());
    }
    let target = sel
        .repo
        .as_ref()
        .map_or_else(current_repository, |r| url(&r.url()));
    Outcome::default().effect(request("gh", target, "UPLOAD", payload, false))
}
