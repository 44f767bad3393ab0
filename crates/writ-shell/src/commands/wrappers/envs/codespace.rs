//! GitHub Codespaces through gh: `gh codespace ssh [-c NAME] [-- SSH
//! OPTIONS] [CMD...]` runs a command on the codespace, a machine of its
//! own (its files are the codespace's, its repository under
//! `/workspaces`), reading what is piped to gh as ssh's does; `gh
//! codespace ports visibility PORT:public` makes a forwarded port
//! reachable by anyone; `gh codespace cp SRC... DEST` copies files to
//! (`remote:PATH` destination) or from a codespace, one that belongs to
//! the owner of the `-R OWNER/REPO` it is picked by.

use super::super::{Invocation, Outcome};
use super::split_double_dash;
use crate::args::{self, Arg, Spec};
use crate::commands::{request, url};
use crate::{Effect, FileRef, Payload, Resource, flow};

/// `gh codespace ssh`'s options that take a value.
const SSH_SPEC: Spec<'static> = Spec {
    short: "cR",
    long: &[
        "codespace",
        "debug-file",
        "profile",
        "repo",
        "repo-owner",
        "server-port",
    ],
    stop_after: Some(0),
};

/// ssh's options that take a value (`-L 8080:localhost:8080`).
const SSH_VALUE_LETTERS: &str = "BbcDEeFIiJLlmOoPpQRSWw";

/// Where a codespace keeps its repositories.
const WORKSPACES: &str = "/workspaces";

/// `gh codespace|cs SUBCOMMAND ...`: `args` follow `codespace`.
pub(in crate::commands) fn codespace(inv: &Invocation<'_>, args: &[Arg]) -> Outcome {
    let words: Vec<&str> = args.iter().map(|a| a.text.as_str()).collect();
    match words.as_slice() {
        ["ssh", ..] => ssh(inv, args.get(1..).unwrap_or_default()),
        ["ports", "visibility", ..] => visibility(args.get(2..).unwrap_or_default()),
        ["cp", ..] => copy(inv, args.get(1..).unwrap_or_default()),
        _ => Outcome::default(),
    }
}

/// The command `gh codespace ssh` runs there, as shell text (ssh joins its
/// words); with none, what is piped in is the shell's script.
fn ssh(inv: &Invocation<'_>, args: &[Arg]) -> Outcome {
    let (own, after) = split_double_dash(args);
    let items = args::parse(own, &SSH_SPEC);
    if args::has(&items, &["--config"]) {
        return Outcome::default();
    }
    let mut command: Vec<&Arg> = args::positionals(&items);
    command.extend(without_ssh_options(after.unwrap_or_default()));
    crate::commands::devenvs::remote_shell(inv, &command, WORKSPACES)
}

/// The words after ssh's own options (`-tt`, `-L SPEC`).
fn without_ssh_options(words: &[Arg]) -> Vec<&Arg> {
    let mut rest = words.iter();
    let mut command = Vec::new();
    while let Some(word) = rest.next() {
        let text = word.text.as_str();
        if !command.is_empty() || !text.starts_with('-') || text == "-" {
            command.push(word);
            continue;
        }
        // A cluster ending in a letter that takes a value takes the next word.
        let body = text.get(1..).unwrap_or_default();
        if let Some(at) = body.find(|c| SSH_VALUE_LETTERS.contains(c))
            && at + 1 == body.len()
        {
            rest.next();
        }
    }
    command
}

/// `gh codespace ports visibility PORT:VISIBILITY...`: each port made
/// `public` is reachable by anyone.
fn visibility(args: &[Arg]) -> Outcome {
    let items = args::parse(
        args,
        &Spec {
            short: "cR",
            long: &["codespace", "repo", "repo-owner"],
            stop_after: None,
        },
    );
    let codespace = args::value(&items, &["-c", "--codespace"]).map(|c| c.text.clone());
    let mut outcome = Outcome::default();
    for setting in args::positionals(&items) {
        let Some((port, level)) = setting.text.split_once(':') else {
            continue;
        };
        if level.eq_ignore_ascii_case("public") {
            let name = match &codespace {
                Some(codespace) => format!("codespace {codespace} port {port}"),
                None => format!("codespace port {port}"),
            };
            outcome.effects.push(Effect::MakePublic {
                resource: Resource::Other { name },
            });
        }
    }
    outcome
}

/// A codespace path of `gh codespace cp`.
const REMOTE_PREFIX: &str = "remote:";

/// Where gh finds GitHub.
const GITHUB: &str = "https://github.com";

/// `gh codespace cp [-e] [-r] [-c NAME | -R OWNER/REPO] [-- SCP FLAGS]
/// SRC... DEST`: local sources copied to a `remote:` destination are an
/// upload to the codespace, `remote:` sources copied here a download
/// that writes DEST.
fn copy(inv: &Invocation<'_>, args: &[Arg]) -> Outcome {
    let (own, after) = split_double_dash(args);
    let items = args::parse(
        own,
        &Spec {
            short: "cpR",
            long: &["codespace", "profile", "repo", "repo-owner"],
            stop_after: None,
        },
    );
    let mut paths: Vec<&Arg> = args::positionals(&items);
    paths.extend(without_ssh_options(after.unwrap_or_default()));
    let mut outcome = Outcome::default();
    let Some((destination, sources)) = paths.split_last() else {
        return outcome;
    };
    let codespace = url(&codespace_url(&items));
    let recursive = args::has(&items, &["-r", "--recursive"]);
    if destination.text.starts_with(REMOTE_PREFIX) {
        let mut payload = Payload::default();
        for source in sources
            .iter()
            .filter(|s| !s.text.starts_with(REMOTE_PREFIX))
        {
            flow::push_file(
                &mut payload,
                FileRef {
                    path: inv.path(&source.text),
                    recursive,
                    excludes: Vec::new(),
                },
            );
            flow::merge(&mut payload, &source.expansions());
        }
        outcome
            .effects
            .push(request("gh", codespace, "UPLOAD", payload, false));
    } else if sources.iter().any(|s| s.text.starts_with(REMOTE_PREFIX)) {
        outcome.effects.push(request(
            "gh",
            codespace,
            "DOWNLOAD",
            Payload::default(),
            false,
        ));
        outcome.write(inv.path(&destination.text), false);
    }
    outcome
}

/// The codespace `gh codespace cp` picks, as an address under its owner:
/// `-R OWNER/REPO` is the repository's, `--repo-owner OWNER` the owner's;
/// otherwise it is one of the user's choosing on GitHub.
fn codespace_url(items: &[args::Item<'_>]) -> String {
    if let Some(repo) = args::value(items, &["-R", "--repo"]) {
        let slug = repo.text.trim_matches('/');
        let slug = slug.strip_prefix("github.com/").unwrap_or(slug);
        return format!("{GITHUB}/{slug}");
    }
    match args::value(items, &["--repo-owner"]) {
        Some(owner) => format!("{GITHUB}/{}", owner.text),
        None => GITHUB.to_owned(),
    }
}
