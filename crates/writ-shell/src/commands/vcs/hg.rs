//! Mercurial: `hg [-R REPO] [--cwd DIR] COMMAND ...`.
//! - `push [DEST] [-r REV] [-B BOOK] [-b BRANCH] [--new-branch]` sends the
//!   changesets to DEST: a URL, or a `[paths]` alias (`default`, the
//!   workspace's remote, when none is given), as `git push` does;
//! - `pull`, `incoming`, `outgoing`, `clone` read from their source;
//! - `bundle FILE`, `archive DEST` and `export -o FILE` write the
//!   repository's contents to a file; `export`, `diff` and `archive -`
//!   print them;
//! - `email` (patchbomb) mails the changesets to `--to`, `--cc` and
//!   `--bcc`, unless `-n/--test` or `-m/--mbox FILE` keep them here.

use super::super::git::clone_from;
use super::super::{Invocation, Outcome};
use super::{
    changesets_push, credentials_request, download, is_network_url, repository_contents, revision,
    write_repository,
};
use crate::args::{self, Arg, Spec};
use crate::{Effect, Message, Payload, flow, paths};

/// hg's global options that take a value.
const GLOBAL_VALUE_OPTIONS: &[&str] = &[
    "-R",
    "--repository",
    "--repo",
    "--cwd",
    "--config",
    "--color",
    "--pager",
    "--encoding",
    "--encodingmode",
    "--config-file",
];

/// The options of hg's commands that take a value (push, pull, bundle,
/// export, diff, archive, email), as one table: no command gives one of
/// these names a meaning without a value.
const VALUE_OPTIONS: &[&str] = &[
    "rev",
    "bookmark",
    "branch",
    "ssh",
    "remotecmd",
    "pushvars",
    "base",
    "type",
    "output",
    "change",
    "include",
    "exclude",
    "unified",
    "prefix",
    "to",
    "cc",
    "bcc",
    "from",
    "subject",
    "in-reply-to",
    "flag",
    "desc",
    "mbox",
    "date",
    "bundlename",
    "reply-to",
    "updaterev",
    "template",
];

/// The short options of `command` that take a value: hg's letters mean
/// different things in different commands (`-f` is `--force` to push and
/// `--from` to email; `-b` is `--branch` to push and `--bundle` to email).
fn short_value_options(command: &str) -> &'static str {
    match command {
        "push" | "pull" | "incoming" | "in" | "outgoing" | "out" => "rBbe",
        "clone" => "urbe",
        "bundle" => "rbte",
        "archive" => "ptrIX",
        "export" => "orB",
        "diff" => "rcIXU",
        "email" | "mail" => "tcfsrBem",
        _ => "",
    }
}

pub(super) fn hg(inv: &Invocation<'_>) -> Outcome {
    let mut dir = inv.cwd.to_owned();
    let mut rest = inv.args;
    while let Some((first, tail)) = rest.split_first() {
        let text = first.text.as_str();
        if let Some(value) = text
            .strip_prefix("--cwd=")
            .or_else(|| text.strip_prefix("--repository="))
            .or_else(|| text.strip_prefix("-R").filter(|v| !v.is_empty()))
        {
            dir = paths::resolve(&dir, inv.home, value);
            rest = tail;
        } else if GLOBAL_VALUE_OPTIONS.contains(&text) {
            if let Some(value) = tail.first()
                && matches!(text, "-R" | "--repository" | "--repo" | "--cwd")
            {
                dir = paths::resolve(&dir, inv.home, &value.text);
            }
            rest = tail.get(1..).unwrap_or_default();
        } else if text.starts_with('-') {
            rest = tail;
        } else {
            break;
        }
    }
    let Some((command, operands)) = rest.split_first() else {
        return Outcome::default();
    };
    let inv = Invocation {
        args: operands,
        cwd: &dir,
        ..*inv
    };
    let command = command.text.as_str();
    let items = args::parse(
        inv.args,
        &Spec {
            short: short_value_options(command),
            long: VALUE_OPTIONS,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    match command {
        "push" => push(&inv, &items, &positional),
        "pull" | "incoming" | "in" | "outgoing" | "out" => {
            let default = Arg::literal("default");
            let source = positional.first().copied().unwrap_or(&default);
            Outcome {
                effects: download("hg", source, &[]),
                ..Outcome::default()
            }
        }
        "clone" => clone(&inv, &positional),
        "bundle" => bundle(&inv, &positional),
        "archive" => archive(&inv, &positional),
        "export" => export(&inv, &items),
        "diff" => Outcome {
            stdout: (!args::has(&items, &["--stat"])).then(repository_contents),
            ..Outcome::default()
        },
        "email" | "mail" => email(&inv, &items),
        _ => Outcome::default(),
    }
}

/// `hg push [DEST]`: the changesets go to DEST (`default` when none is
/// named); `-r`, `-B` and `-b` name what is pushed.
fn push(inv: &Invocation<'_>, items: &[args::Item<'_>], positional: &[&Arg]) -> Outcome {
    let dest = positional.first().copied();
    let remote = dest.map_or("default", |d| d.text.as_str());
    let revisions = args::values(
        items,
        &["-r", "--rev", "-B", "--bookmark", "-b", "--branch"],
    )
    .into_iter()
    .map(|r| revision(&r.text))
    .collect();
    let force = args::has(items, &["-f", "--force"]);
    let mut outcome = Outcome::default();
    if is_network_url(remote)
        && let Some(credentials) = credentials_request("hg", remote, dest, &[])
    {
        outcome.effects.push(credentials);
    }
    outcome.effect(changesets_push(inv.cwd, remote, revisions, force))
}

/// `hg clone SOURCE [DEST]`: a download of SOURCE into DEST.
fn clone(inv: &Invocation<'_>, positional: &[&Arg]) -> Outcome {
    let Some(source) = positional.first() else {
        return Outcome::default();
    };
    let mut outcome = clone_from("hg", inv, &source.text, Some(positional.get(1).copied()));
    if let Some(Effect::Request(request)) = outcome.effects.first_mut() {
        flow::merge(&mut request.payload, &source.expansions());
    }
    outcome
}

/// `hg bundle [-a] [--type T] FILE [DEST]`: FILE holds the repository's
/// changesets.
fn bundle(inv: &Invocation<'_>, positional: &[&Arg]) -> Outcome {
    let mut outcome = Outcome::default();
    if let Some(file) = positional.first() {
        write_repository(&mut outcome, inv.path(&file.text));
    }
    outcome
}

/// `hg archive [-t TYPE] DEST`: DEST (a directory or an archive) holds
/// the repository's files; `-` prints them.
fn archive(inv: &Invocation<'_>, positional: &[&Arg]) -> Outcome {
    let mut outcome = Outcome::default();
    let dest = positional.first().map(|d| d.text.as_str());
    match dest {
        Some("-") => outcome.stdout = Some(repository_contents()),
        Some(dest) => write_repository(&mut outcome, inv.path(dest)),
        None => {}
    }
    outcome
}

/// `hg export [-o FILE] REV...`: the changesets as patches, printed or
/// written to FILE.
fn export(inv: &Invocation<'_>, items: &[args::Item<'_>]) -> Outcome {
    let mut outcome = Outcome::default();
    match args::value(items, &["-o", "--output"]) {
        Some(file) if file.text != "-" => {
            write_repository(&mut outcome, inv.path(&file.text));
            outcome.stdout = Some(Payload::default());
        }
        _ => outcome.stdout = Some(repository_contents()),
    }
    outcome
}

/// `hg email -t TO [--cc CC] [--bcc BCC] [-b] [-r REV]`: the changesets,
/// as patches or a bundle, mailed to the recipients. `-n/--test` prints
/// them and `-m/--mbox FILE` writes them to FILE instead.
fn email(inv: &Invocation<'_>, items: &[args::Item<'_>]) -> Outcome {
    let mut outcome = Outcome::default();
    if args::has(items, &["-n", "--test"]) {
        outcome.stdout = Some(repository_contents());
        return outcome;
    }
    if let Some(mbox) = args::value(items, &["-m", "--mbox"]) {
        write_repository(&mut outcome, inv.path(&mbox.text));
        return outcome;
    }
    let recipients: Vec<String> = args::values(items, &["-t", "--to", "-c", "--cc", "--bcc"])
        .iter()
        .flat_map(|value| super::super::mail::split_addresses(&value.text))
        .collect();
    if recipients.is_empty() {
        return outcome;
    }
    let mut payload = repository_contents();
    for subject in args::values(items, &["-s", "--subject"]) {
        flow::merge(&mut payload, &subject.payload());
    }
    if let Some(desc) = args::value(items, &["--desc"]) {
        super::super::send_file(inv, &mut payload, &desc.text, false);
    }
    outcome.effect(Effect::Message(Message {
        program: "hg".to_owned(),
        recipients,
        payload,
    }))
}
