//! restic: the repository is `-r`/`--repo`, the first line of
//! `--repository-file` (when written earlier), `RESTIC_REPOSITORY` or
//! `RESTIC_REPOSITORY_FILE`, in a backend's form (`sftp:user@host:/path`,
//! `s3:host/bucket/path`, `rest:URL`, `b2:bucket:path`, `azure:`, `gs:`,
//! `swift:`, `rclone:remote:path`) or a local path. `backup` uploads its
//! paths, `init` creates the repository there, `forget` and `prune`
//! delete snapshots there, `restore` downloads and writes below its
//! target, `copy` copies snapshots between repositories, and the rest
//! (`snapshots`, `ls`, `check`, `stats`, ...) read.

use super::{Lookup, backed_up, below, download, remove, upload};
use crate::args::{self, Arg, Item, Spec};
use crate::commands::remotes::rclone_target;
use crate::commands::{Invocation, Nested, Outcome, send_file, url};
use crate::{Payload, Target};

/// Options of restic and its commands that take a value.
const LONG: &[&str] = &[
    "repo",
    "repository-file",
    "password-file",
    "password-command",
    "key-hint",
    "cacert",
    "tls-client-cert",
    "cache-dir",
    "option",
    "limit-upload",
    "limit-download",
    "pack-size",
    "compression",
    "retry-lock",
    "stuck-request-timeout",
    "exclude",
    "exclude-file",
    "iexclude",
    "iexclude-file",
    "exclude-if-present",
    "exclude-larger-than",
    "files-from",
    "files-from-raw",
    "files-from-verbatim",
    "host",
    "parent",
    "tag",
    "time",
    "stdin-filename",
    "read-concurrency",
    "group-by",
    "target",
    "include",
    "iinclude",
    "include-file",
    "iinclude-file",
    "overwrite",
    "path",
    "keep-last",
    "keep-hourly",
    "keep-daily",
    "keep-weekly",
    "keep-monthly",
    "keep-yearly",
    "keep-within",
    "keep-within-hourly",
    "keep-within-daily",
    "keep-within-weekly",
    "keep-within-monthly",
    "keep-within-yearly",
    "keep-tag",
    "max-unused",
    "max-repack-size",
    "from-repo",
    "from-repository-file",
    "from-password-file",
    "from-password-command",
    "from-key-hint",
    "repo2",
    "password-file2",
    "repository-version",
    "snapshot",
    "add",
    "remove",
    "set",
    "new-password-file",
    "user",
    "read-data-subset",
    "archive",
];

/// Short options that take a value: `-r` repository, `-p` password
/// file, `-o` option, `-H` host, `-t` target, `-i` include, `-e`
/// exclude, `-g` group-by and forget's `-l`/`-d`/`-w`/`-m`/`-y` keeps.
const SHORT: &str = "rpoHtiegldwmy";

pub(super) fn handle(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: SHORT,
            long: LONG,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let Some((verb, operands)) = positional.split_first() else {
        return Some(Outcome::default());
    };
    let repository = repository(inv, &items, text_of);
    let dry_run = args::has(&items, &["-n", "--dry-run"]);
    let mut outcome = Outcome::default();
    // The password commands run whatever the command does.
    let password_commands =
        args::values(&items, &["--password-command", "--from-password-command"])
            .into_iter()
            .chain(inv.env_value("RESTIC_PASSWORD_COMMAND"));
    for command in password_commands {
        outcome.nested.push(Nested::Script {
            text: command.text.clone(),
            what: "restic --password-command".to_owned(),
        });
    }
    match verb.text.as_str() {
        _ if dry_run => {}
        "backup" => backup(inv, &items, operands, repository, text_of, &mut outcome),
        "restore" => restore(inv, &items, repository, &mut outcome),
        "init" | "key" | "tag" | "repair" | "rebuild-index" | "migrate" => {
            if let Some(target) = repository {
                outcome
                    .effects
                    .push(upload("restic", target, Payload::default()));
            }
        }
        "forget" | "prune" => {
            if let Some(target) = repository {
                outcome.effects.push(remove("restic", target));
            }
        }
        "copy" => copy(inv, &items, repository, text_of, &mut outcome),
        // Since 0.17 `dump --target FILE` writes the file it dumps.
        "dump" => {
            if let Some(file) = args::value(&items, &["-t", "--target"]) {
                outcome.write(inv.path(&file.text), false);
            }
        }
        // `snapshots`, `ls`, `check`, `stats`, `find`, `diff`, `cat`, ...
        _ => {}
    }
    Some(outcome)
}

/// `backup PATH...`: the paths (`--stdin`'s input, the output of
/// `--stdin-from-command`'s command, the files `--files-from` lists) go
/// to the repository.
fn backup(
    inv: &Invocation<'_>,
    items: &[Item<'_>],
    operands: &[&Arg],
    repository: Option<Target>,
    text_of: &Lookup<'_>,
    outcome: &mut Outcome,
) {
    let Some(target) = repository else {
        return;
    };
    if args::has(items, &["--stdin-from-command"]) {
        outcome.nested.push(Nested::Argv {
            argv: operands.iter().map(|a| (*a).clone()).collect(),
            env: Vec::new(),
            cwd: None,
        });
        outcome.nested_output_sent = true;
        outcome
            .effects
            .push(upload("restic", target, Payload::default()));
        return;
    }
    let mut payload = backed_up(inv, operands.iter().copied());
    if args::has(items, &["--stdin"]) {
        crate::flow::merge(&mut payload, inv.stdin);
    }
    for (name, separator) in [
        ("--files-from", '\n'),
        ("--files-from-verbatim", '\n'),
        ("--files-from-raw", '\0'),
    ] {
        for list in args::values(items, &[name]) {
            let path = inv.path(&list.text);
            match text_of(&path) {
                Some(text) => listed(inv, &mut payload, &text, separator, name),
                None => outcome.read(path, false),
            }
        }
    }
    outcome.effects.push(upload("restic", target, payload));
}

/// The paths a `--files-from` file lists (one a line; `#` comments and
/// blank lines skipped except in the verbatim and raw forms).
fn listed(inv: &Invocation<'_>, payload: &mut Payload, text: &str, separator: char, name: &str) {
    let verbatim = name != "--files-from";
    for line in text.split(separator) {
        let line = if verbatim { line } else { line.trim() };
        if line.is_empty() || (!verbatim && line.starts_with('#')) {
            continue;
        }
        send_file(inv, payload, line, true);
    }
}

/// `restore SNAPSHOT --target DIR [--include PATH]...`: the snapshot's
/// files come from the repository and are written below DIR, only the
/// included paths when some are (`--target / --include /x` writes `/x`);
/// `--delete` removes what the snapshot does not hold there.
fn restore(
    inv: &Invocation<'_>,
    items: &[Item<'_>],
    repository: Option<Target>,
    outcome: &mut Outcome,
) {
    let Some(dir) = args::value(items, &["-t", "--target"]) else {
        return;
    };
    if let Some(target) = repository {
        outcome.effects.push(download("restic", target));
    }
    let includes = args::values(items, &["-i", "--include", "--iinclude"]);
    let written: Vec<String> = if includes.is_empty() {
        vec![inv.path(&dir.text)]
    } else {
        includes
            .iter()
            .map(|include| below(inv, &dir.text, &include.text))
            .collect()
    };
    let deletes = args::has(items, &["--delete"]);
    for path in written {
        if deletes {
            outcome.delete(path.clone(), true);
        }
        outcome.write(path, false);
    }
}

/// `copy`: snapshots go from `--from-repo` to the repository (in restic
/// before 0.14, from the repository to `--repo2`).
fn copy(
    inv: &Invocation<'_>,
    items: &[Item<'_>],
    repository: Option<Target>,
    text_of: &Lookup<'_>,
    outcome: &mut Outcome,
) {
    let (source, destination) = match args::value(items, &["--repo2"]) {
        Some(second) => (repository, location(inv, &second.text)),
        None => {
            let from = args::value(items, &["--from-repo"])
                .map(|a| a.text.clone())
                .or_else(|| {
                    let file = args::value(items, &["--from-repository-file"])?;
                    first_line(&text_of(&inv.path(&file.text))?)
                })
                .or_else(|| {
                    inv.env_value("RESTIC_FROM_REPOSITORY")
                        .map(|a| a.text.clone())
                });
            (from.and_then(|f| location(inv, &f)), repository)
        }
    };
    if let Some(source) = source {
        outcome.effects.push(download("restic", source));
    }
    if let Some(destination) = destination {
        outcome
            .effects
            .push(upload("restic", destination, Payload::default()));
    }
}

/// The repository the line names, where it is not local.
fn repository(inv: &Invocation<'_>, items: &[Item<'_>], text_of: &Lookup<'_>) -> Option<Target> {
    let from_file = |file: &Arg| first_line(&text_of(&inv.path(&file.text))?);
    let named = args::value(items, &["-r", "--repo"])
        .map(|a| a.text.clone())
        .or_else(|| args::value(items, &["--repository-file"]).and_then(from_file))
        .or_else(|| inv.env_value("RESTIC_REPOSITORY").map(|a| a.text.clone()))
        .or_else(|| inv.env_value("RESTIC_REPOSITORY_FILE").and_then(from_file))?;
    location(inv, &named)
}

/// A repository file's first line, the repository.
fn first_line(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_owned)
}

/// Where a restic repository is: `sftp:user@host:/path`,
/// `sftp://user@host:port//path`, `s3:s3.amazonaws.com/bucket/path` (an
/// AWS bucket), `s3:https://minio.x/bucket` (a bucket at that endpoint),
/// `rest:URL`, `gs:bucket:/path`, `b2:bucket:path`, `azure:container:/path`
/// (at `AZURE_ACCOUNT_NAME`'s blob host when it is set),
/// `swift:container:/path`, `rclone:remote:path`; `None` for a local
/// directory.
fn location(inv: &Invocation<'_>, repository: &str) -> Option<Target> {
    let (backend, rest) = repository.split_once(':')?;
    Some(match backend {
        "sftp" => match rest.strip_prefix("//") {
            Some(_) => url(&format!("sftp:{rest}")),
            None => crate::commands::net::scp_remote(rest)?,
        },
        "rest" => url(rest),
        "s3" => s3_location(rest),
        "azure" => {
            let (container, path) = rest.split_once(':').unwrap_or((rest, ""));
            let path = path.trim_start_matches('/');
            match inv.env_value("AZURE_ACCOUNT_NAME") {
                Some(account) => url(&format!(
                    "https://{}.blob.core.windows.net/{container}/{path}",
                    account.text
                )),
                None => url(&format!("azure://{container}/{path}")),
            }
        }
        "gs" | "b2" | "swift" => {
            let (bucket, path) = rest.split_once(':').unwrap_or((rest, ""));
            url(&format!(
                "{backend}://{bucket}/{}",
                path.trim_start_matches('/')
            ))
        }
        "rclone" => rclone_target(rest, inv.env, &[]),
        _ => return None,
    })
}

/// `s3:ENDPOINT/BUCKET/PATH` (the endpoint with or without a scheme): a
/// bucket of AWS's is `s3://BUCKET/PATH`, another endpoint's is its URL.
fn s3_location(rest: &str) -> Target {
    let (scheme, bare) = match rest.split_once("://") {
        Some((scheme, bare)) => (scheme, bare),
        None => ("https", rest),
    };
    let (endpoint, path) = bare.split_once('/').unwrap_or((bare, ""));
    if endpoint.ends_with("amazonaws.com") && !path.is_empty() {
        return url(&format!("s3://{path}"));
    }
    if endpoint.contains('.') || endpoint.contains(':') {
        return url(&format!("{scheme}://{bare}"));
    }
    // No endpoint at all: `s3:bucket/path`.
    url(&format!("s3://{bare}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_repositories_name_their_bucket_or_endpoint() {
        let text = |t: Target| match t {
            Target::Url { url } => url,
            other => format!("{other:?}"),
        };
        assert_eq!(text(s3_location("s3.amazonaws.com/acme/x")), "s3://acme/x");
        assert_eq!(
            text(s3_location("https://s3.eu-west-1.amazonaws.com/acme")),
            "s3://acme"
        );
        assert_eq!(
            text(s3_location("http://minio.lan:9000/acme/x")),
            "http://minio.lan:9000/acme/x"
        );
        assert_eq!(text(s3_location("acme/x")), "s3://acme/x");
    }
}
