//! Subversion: `svn COMMAND ...`.
//! - `import [PATH] URL` sends PATH's files (the working directory's, the
//!   repository's contents) to the repository at URL;
//! - `copy|cp SRC... DST_URL` commits a copy at DST_URL: of the working
//!   copy's files when a source is a path, a server-side copy when every
//!   source is a URL;
//! - `export SRC [DEST]` writes DEST with the repository's files, so a
//!   later upload of DEST carries them; `checkout|co URL [PATH]` reads;
//! - `commit|ci` sends to the working copy's repository, whose URL the line
//!   does not show: nothing is reported;
//! - `--username`/`--password VALUE` go to the server of the URL the
//!   command names.

use super::super::git::without_userinfo;
use super::super::{Invocation, Outcome, request, url};
use super::{credentials_request, download, is_network_url, repository_contents, write_repository};
use crate::args::{self, Arg, Spec};
use crate::{Payload, flow, paths};

/// svn's options that take a value.
const VALUE_OPTIONS: &[&str] = &[
    "username",
    "password",
    "config-dir",
    "config-option",
    "message",
    "file",
    "revision",
    "depth",
    "set-depth",
    "encoding",
    "with-revprop",
    "editor-cmd",
    "native-eol",
    "changelist",
    "cl",
    "accept",
    "change",
    "limit",
    "diff-cmd",
    "extensions",
    "search",
    "search-and",
    "show-item",
    "targets",
    "strip",
];

pub(super) fn svn(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "mFrclx",
            long: VALUE_OPTIONS,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let Some((command, operands)) = positional.split_first() else {
        return Outcome::default();
    };
    let password = args::values(&items, &["--password"]);
    match command.text.as_str() {
        "import" => import(inv, operands, &password),
        "copy" | "cp" => copy(inv, operands, &password),
        "export" => export(inv, operands, &password),
        "checkout" | "co" => checkout(inv, operands, &password),
        // Reads of a URL the line names carry the password there.
        "cat" | "list" | "ls" | "log" | "info" | "diff" | "di" | "blame" | "praise" => {
            let mut outcome = Outcome::default();
            if let Some(source) = operands.iter().find(|o| is_network_url(&o.text)) {
                outcome.effects = download("svn", source, &password);
            }
            outcome
        }
        _ => Outcome::default(),
    }
}

/// Uploads of `payloads` to the repository at `target`, with the
/// credentials the command gives beside them.
fn upload(target: &Arg, password: &[&Arg], payloads: Vec<Payload>) -> Outcome {
    let mut outcome = Outcome::default();
    if let Some(credentials) = credentials_request("svn", &target.text, Some(target), password) {
        outcome.effects.push(credentials);
    }
    let destination = without_userinfo(&target.text);
    for payload in payloads {
        outcome
            .effects
            .push(request("svn", url(&destination), "UPLOAD", payload, false));
    }
    outcome
}

/// What local paths hold when they are sent: their files, and apart from
/// them the repository's contents when one is the working directory or
/// inside it (the working copy's code, judged as a push's is).
fn local_files(inv: &Invocation<'_>, texts: &[&str]) -> Vec<Payload> {
    let mut files = Payload::default();
    let mut repository = false;
    for text in texts {
        let path = inv.path(text);
        repository |= paths::is_within(&path, inv.cwd);
        flow::push_file(
            &mut files,
            crate::FileRef {
                path,
                recursive: true,
                excludes: Vec::new(),
            },
        );
    }
    let mut payloads = vec![files];
    if repository {
        payloads.push(repository_contents());
    }
    payloads
}

/// `svn import [PATH] URL`: PATH (`.` when none) goes to URL.
fn import(inv: &Invocation<'_>, operands: &[&Arg], password: &[&Arg]) -> Outcome {
    let (path, target) = match operands {
        [target] => (".", *target),
        [path, target, ..] => (path.text.as_str(), *target),
        [] => return Outcome::default(),
    };
    if !is_network_url(&target.text) {
        return Outcome::default();
    }
    upload(target, password, local_files(inv, &[path]))
}

/// `svn copy SRC... DST`: to a URL, a commit there of the sources (the
/// working copy's files for a path); between paths, a local copy.
fn copy(inv: &Invocation<'_>, operands: &[&Arg], password: &[&Arg]) -> Outcome {
    let Some((target, sources)) = operands.split_last() else {
        return Outcome::default();
    };
    if !is_network_url(&target.text) {
        return Outcome::default();
    }
    let local: Vec<&str> = sources
        .iter()
        .filter(|s| !is_network_url(&s.text))
        .map(|s| s.text.as_str())
        .collect();
    // Between URLs, the server copies what it holds: a change there.
    let payloads = if local.is_empty() {
        vec![Payload::default()]
    } else {
        local_files(inv, &local)
    };
    upload(target, password, payloads)
}

/// `svn export SRC [DEST]`: DEST (SRC's last segment when none) holds the
/// repository's files; a URL source is read from its server.
fn export(inv: &Invocation<'_>, operands: &[&Arg], password: &[&Arg]) -> Outcome {
    let Some(source) = operands.first() else {
        return Outcome::default();
    };
    let dest = operands.get(1).map_or_else(
        || paths::basename(source.text.trim_end_matches('/')).to_owned(),
        |d| d.text.clone(),
    );
    let mut outcome = Outcome::default();
    if is_network_url(&source.text) {
        outcome.effects = download("svn", source, password);
    }
    write_repository(&mut outcome, inv.path(&dest));
    outcome
}

/// `svn checkout URL [PATH]`: a download into PATH.
fn checkout(inv: &Invocation<'_>, operands: &[&Arg], password: &[&Arg]) -> Outcome {
    let Some(source) = operands.first() else {
        return Outcome::default();
    };
    let mut outcome = Outcome::default();
    if is_network_url(&source.text) {
        outcome.effects = download("svn", source, password);
    }
    let dest = operands.get(1).map_or_else(
        || paths::basename(source.text.trim_end_matches('/')).to_owned(),
        |d| d.text.clone(),
    );
    outcome.write(inv.path(&dest), false);
    outcome
}
