//! rsync: a copy between local paths and remote locations ([`super::transfer`]).
//! `--files-from=FILE` (`-` is standard input) lists the files sent, below
//! the source directory, when the list is known (a file written earlier);
//! `-a` then does not recurse into listed directories, `-r` does. A dry run
//! (`-n`, `--dry-run`), `--list-only` or a lone location only lists: it
//! sends, writes and deletes nothing. The remote shell (`-e 'ssh -p 2222
//! -i KEY'`) gives the port; its identity file authenticates and is not
//! sent.

use super::super::{Invocation, Outcome};
use super::{Location, Lookup, location, transfer};
use crate::args::{self, Arg, Item, Spec};

const RSYNC_LONG: &[&str] = &[
    "rsh",
    "exclude",
    "include",
    "exclude-from",
    "include-from",
    "files-from",
    "filter",
    "port",
    "password-file",
    "temp-dir",
    "partial-dir",
    "backup-dir",
    "suffix",
    "chmod",
    "chown",
    "log-file",
    "bwlimit",
    "timeout",
    "rsync-path",
    "compare-dest",
    "copy-dest",
    "link-dest",
    "remote-option",
    "block-size",
    "max-size",
    "min-size",
    "out-format",
    "info",
    "debug",
    "usermap",
    "groupmap",
    "contimeout",
    "address",
    "sockopts",
    "checksum-choice",
    "compress-choice",
    "iconv",
    "max-delete",
    "modify-window",
    "skip-compress",
];

/// rsync's options and operands.
fn options(words: &[Arg]) -> Vec<Item<'_>> {
    args::parse(
        words,
        &Spec {
            short: "efTBM",
            long: RSYNC_LONG,
            stop_after: None,
        },
    )
}

/// `rsync [OPTS] SOURCE... DEST`.
pub(super) fn rsync(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Outcome {
    let items = options(inv.args);
    let positional = args::positionals(&items);
    if positional.len() < 2 || args::has(&items, &["-n", "--dry-run", "--list-only"]) {
        return Outcome::default();
    }
    let port = args::value(&items, &["--port"])
        .and_then(|p| p.text.parse().ok())
        .or_else(|| args::value(&items, &["-e", "--rsh"]).and_then(|rsh| rsh_port(&rsh.text)));
    let delete = items
        .iter()
        .any(|i| matches!(i, Item::Opt { name, .. } if name.starts_with("--delete")));
    let listed = listed_files(inv, &items, text_of);
    let recursive = if listed.is_some() {
        args::has(&items, &["-r", "--recursive"])
    } else {
        args::has(&items, &["-a", "-r", "--archive", "--recursive"])
    };
    let sources = match &listed {
        Some((names, _)) => with_listed(&positional, names, port),
        None => positional.iter().map(|a| (*a).clone()).collect(),
    };
    let sources: Vec<&Arg> = sources.iter().collect();
    let mut outcome = transfer(inv, "rsync", &sources, port, recursive, delete);
    outcome.exclude(&excludes(&items));
    if args::has(&items, &["--remove-source-files"]) {
        for source in sources.iter().rev().skip(1) {
            if matches!(location(&source.text, port), Location::Local) {
                outcome.delete(inv.path(&source.text), recursive);
            }
        }
    }
    outcome
}

/// The name patterns `--exclude PATTERN` (and `--filter='- PATTERN'`,
/// `--filter='exclude PATTERN'`) leave out. A pattern that is a path below
/// the source (`--exclude config/prod.env`) or one `--include` may bring
/// back is kept anyway: it is compared by name only, and only an exclude
/// with no include at all counts.
fn excludes(items: &[Item<'_>]) -> Vec<String> {
    if args::has(items, &["--include", "--include-from"]) {
        return Vec::new();
    }
    let mut out: Vec<String> = args::values(items, &["--exclude"])
        .into_iter()
        .map(|a| a.text.clone())
        .collect();
    out.extend(
        args::values(items, &["-f", "--filter"])
            .into_iter()
            .filter_map(|rule| {
                rule.text
                    .strip_prefix("- ")
                    .or_else(|| rule.text.strip_prefix("exclude "))
                    .map(|p| p.trim().to_owned())
            }),
    );
    out
}

/// The copy again once files written earlier are known: `Some` when its
/// `--files-from` list is one of them.
pub(super) fn from_written(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Option<Outcome> {
    let items = options(inv.args);
    let (_, written) = listed_files(inv, &items, text_of)?;
    written.then(|| rsync(inv, text_of))
}

/// The names `--files-from` lists, when its text is known, and whether
/// that text is a file written earlier (else standard input). Blank lines
/// and lines starting with `#` or `;` are not names; `-0` (`--from0`)
/// separates names with NUL instead of lines. A list on the remote side
/// (`--files-from=HOST:FILE`, `:FILE`) is not known.
fn listed_files(
    inv: &Invocation<'_>,
    items: &[Item<'_>],
    text_of: &Lookup<'_>,
) -> Option<(Vec<String>, bool)> {
    let list = args::value(items, &["--files-from"])?;
    let (text, written) = if list.text == "-" {
        (inv.stdin.text.join("\n"), false)
    } else if matches!(location(&list.text, None), Location::Remote(_))
        || list.text.starts_with(':')
    {
        return None;
    } else {
        (text_of(&inv.path(&list.text))?, true)
    };
    if text.is_empty() {
        return None;
    }
    let separator = if args::has(items, &["-0", "--from0"]) {
        '\0'
    } else {
        '\n'
    };
    let names = text
        .split(separator)
        .map(|line| line.trim_end_matches('\r'))
        .filter(|line| !line.trim().is_empty() && !line.starts_with(['#', ';']))
        .map(str::to_owned)
        .collect();
    Some((names, written))
}

/// The sources with each local one replaced by the listed names below it
/// (their leading `/` dropped, as rsync does); the destination stays last.
fn with_listed(positional: &[&Arg], names: &[String], port: Option<u16>) -> Vec<Arg> {
    let Some((destination, sources)) = positional.split_last() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for source in sources {
        if matches!(location(&source.text, port), Location::Remote(_)) {
            out.push((*source).clone());
            continue;
        }
        let dir = source.text.trim_end_matches('/');
        for name in names {
            let name = name.trim_start_matches('/');
            let path = if dir.is_empty() {
                format!("/{name}")
            } else {
                format!("{dir}/{name}")
            };
            out.push(source.with_text(&path));
        }
    }
    out.push((*destination).clone());
    out
}

/// The port in `-e 'ssh -p 2222'`.
fn rsh_port(rsh: &str) -> Option<u16> {
    let mut words = rsh.split_whitespace();
    while let Some(word) = words.next() {
        if word == "-p" {
            return words.next().and_then(|p| p.parse().ok());
        }
        if let Some(port) = word.strip_prefix("-p") {
            return port.parse().ok();
        }
    }
    None
}
