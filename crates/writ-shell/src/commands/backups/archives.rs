//! duplicity, rdiff-backup and tarsnap: backups kept as archives at a URL,
//! a `host::/path` or Tarsnap's own service.

use super::{backed_up, below, download, host, remove, upload};
use crate::args::{self, Arg, Spec};
use crate::commands::remotes::rclone_target;
use crate::commands::{Invocation, Outcome, url};
use crate::{Payload, Target};

/// duplicity's commands (`backup` and `restore` are implied by the order
/// of a URL and a directory when none is named).
const DUPLICITY_COMMANDS: &[&str] = &[
    "full",
    "incremental",
    "incr",
    "inc",
    "backup",
    "restore",
    "verify",
    "collection-status",
    "list-current-files",
    "remove-older-than",
    "remove-all-but-n-full",
    "remove-all-inc-of-but-n-full",
    "cleanup",
    "replicate",
];

/// duplicity options that take a value.
const DUPLICITY_LONG: &[&str] = &[
    "encrypt-key",
    "sign-key",
    "hidden-encrypt-key",
    "encrypt-secret-keyring",
    "gpg-binary",
    "gpg-options",
    "exclude",
    "include",
    "exclude-filelist",
    "include-filelist",
    "exclude-regexp",
    "include-regexp",
    "exclude-if-present",
    "exclude-older-than",
    "filter-globbing",
    "archive-dir",
    "name",
    "volsize",
    "max-blocksize",
    "full-if-older-than",
    "tempdir",
    "log-file",
    "log-fd",
    "verbosity",
    "ssh-options",
    "ssh-backend",
    "rsync-options",
    "scp-command",
    "sftp-command",
    "s3-region-name",
    "s3-endpoint-url",
    "s3-multipart-chunk-size",
    "file-to-restore",
    "time",
    "restore-time",
    "num-retries",
    "backend-retry-delay",
    "timeout",
    "ssl-cacert-file",
    "ssl-cacert-path",
    "webdav-headers",
    "azure-blob-tier",
    "par2-redundancy",
    "par2-options",
    "mf-purge",
    "metadata-sync-mode",
    "idr-fakeroot",
    "imap-mailbox",
    "imap-full-address",
    "rename",
    "file-prefix",
    "file-prefix-archive",
    "file-prefix-manifest",
    "file-prefix-signature",
    "numeric-owner",
];

/// `duplicity [full|incremental|backup] SOURCE URL` uploads SOURCE;
/// `duplicity [restore] URL DIR` downloads and writes DIR; `replicate
/// URL URL` copies the backups; `remove-older-than T URL`,
/// `remove-all-but-n-full N URL`, `remove-all-inc-of-but-n-full N URL`
/// and `cleanup URL` delete there only with `--force` (without it they
/// list what they would delete); `verify`, `collection-status` and
/// `list-current-files` read. A `file://` URL is a local directory.
pub(super) fn duplicity(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "vtr",
            long: DUPLICITY_LONG,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let (command, operands) = match positional.split_first() {
        Some((first, rest)) if DUPLICITY_COMMANDS.contains(&first.text.as_str()) => {
            (first.text.as_str(), rest)
        }
        _ => ("", positional.as_slice()),
    };
    let mut outcome = Outcome::default();
    if args::has(&items, &["--dry-run"]) {
        return Some(outcome);
    }
    let remote = |arg: &Arg| duplicity_target(&arg.text);
    match (command, operands) {
        ("" | "full" | "incremental" | "incr" | "inc" | "backup", [source, destination])
            if remote(source).is_none() =>
        {
            if let Some(target) = remote(destination) {
                let payload = backed_up(inv, [*source]);
                outcome.effects.push(upload("duplicity", target, payload));
            }
        }
        ("" | "restore", [source, destination]) if remote(destination).is_none() => {
            if let Some(target) = remote(source) {
                outcome.effects.push(download("duplicity", target));
            }
            outcome.write(inv.path(&destination.text), false);
        }
        ("replicate", [source, destination]) => {
            if let Some(target) = remote(source) {
                outcome.effects.push(download("duplicity", target));
            }
            if let Some(target) = remote(destination) {
                outcome
                    .effects
                    .push(upload("duplicity", target, Payload::default()));
            }
        }
        (
            "remove-older-than"
            | "remove-all-but-n-full"
            | "remove-all-inc-of-but-n-full"
            | "cleanup",
            [.., location],
        ) if args::has(&items, &["--force"]) => {
            if let Some(target) = remote(location) {
                outcome.effects.push(remove("duplicity", target));
            }
        }
        _ => {}
    }
    Some(outcome)
}

/// The destination of a duplicity URL: a backend prefix (`paramiko+`,
/// `boto3+`, `par2+`, ...) chooses how, not where, and `s3+http://` is
/// S3; S3's old `s3://s3.amazonaws.com/bucket/path` is that bucket;
/// `rclone://remote:path` is the rclone remote. `None` for a local path
/// or `file://`.
fn duplicity_target(text: &str) -> Option<Target> {
    let (scheme, rest) = text.split_once("://")?;
    let scheme = match scheme.split_once('+') {
        Some((
            "paramiko" | "pexpect" | "boto" | "boto3" | "par2" | "lftp" | "gio" | "multi",
            inner,
        )) => inner,
        Some((backend, _)) => backend,
        None => scheme,
    };
    Some(match scheme {
        "file" => return None,
        "rclone" => rclone_target(rest, &[], &[]),
        "s3" => match rest.split_once('/') {
            Some((endpoint, path)) if endpoint.ends_with("amazonaws.com") => {
                url(&format!("s3://{path}"))
            }
            _ => url(&format!("s3://{rest}")),
        },
        _ => url(&format!("{scheme}://{rest}")),
    })
}

/// rdiff-backup's actions (2.2 and later).
const RDIFF_ACTIONS: &[&str] = &[
    "backup",
    "restore",
    "remove",
    "list",
    "compare",
    "verify",
    "info",
    "test",
    "server",
    "regress",
    "calculate",
    "complete",
];

/// rdiff-backup options that take a value.
const RDIFF_LONG: &[&str] = &[
    "api-version",
    "remote-schema",
    "remote-tempdir",
    "terminal-verbosity",
    "verbosity",
    "current-time",
    "tempdir",
    "include",
    "exclude",
    "include-filelist",
    "exclude-filelist",
    "include-globbing-filelist",
    "exclude-globbing-filelist",
    "include-regexp",
    "exclude-regexp",
    "exclude-if-present",
    "max-file-size",
    "min-file-size",
    "remove-older-than",
    "restore-as-of",
    "at",
    "older-than",
    "group-mapping-file",
    "user-mapping-file",
    "chars-to-quote",
    "compare-at-time",
    "compare-hash-at-time",
    "compare-full-at-time",
    "verify-at-time",
    "list-at-time",
    "list-changed-since",
    "restrict",
    "restrict-path",
    "restrict-read-only",
    "restrict-update-only",
    "restrict-mode",
];

/// `rdiff-backup [backup] SOURCE DEST`: a local SOURCE goes to a remote
/// DEST (`[user@]host::/path`), a remote SOURCE is copied into a local
/// DEST; `restore` (`-r TIME`, `--restore-as-of`) downloads and writes
/// its destination; `--remove-older-than T REPO` (`remove increments
/// --older-than T REPO`) deletes increments there; the rest read.
pub(super) fn rdiff_backup(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "vr",
            long: RDIFF_LONG,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let action = match positional.split_first() {
        Some((first, rest))
            if RDIFF_ACTIONS.contains(&first.text.as_str())
                && (!matches!(first.text.as_str(), "backup" | "restore") || rest.len() >= 2) =>
        {
            Some(first.text.as_str())
        }
        _ => None,
    };
    let locations = match action {
        Some(_) => positional.get(1..).unwrap_or_default(),
        None => positional.as_slice(),
    };
    let action = action.unwrap_or_else(|| {
        if args::has(&items, &["--remove-older-than"]) {
            "remove"
        } else if args::has(&items, &["-r", "--restore-as-of", "--restore"]) {
            "restore"
        } else if items.iter().any(|item| match item {
            args::Item::Opt { name, .. } => {
                name.starts_with("--list")
                    || name.starts_with("--compare")
                    || name.starts_with("--verify")
                    || matches!(
                        name.as_ref(),
                        "-l" | "--test-server" | "--check-destination-dir"
                    )
            }
            args::Item::Pos(_) => false,
        }) {
            "read"
        } else {
            "backup"
        }
    });
    let mut outcome = Outcome::default();
    let remote = |arg: &Arg| rdiff_location(&arg.text);
    match (action, locations) {
        ("backup", [source, destination]) => match (remote(source), remote(destination)) {
            (None, Some(target)) => {
                let payload = backed_up(inv, [*source]);
                outcome
                    .effects
                    .push(upload("rdiff-backup", target, payload));
            }
            (Some(target), None) => {
                outcome.effects.push(download("rdiff-backup", target));
                outcome.write(inv.path(&destination.text), false);
            }
            _ => {}
        },
        ("restore", [repository, destination]) => {
            if let Some(target) = remote(repository) {
                outcome.effects.push(download("rdiff-backup", target));
            }
            if remote(destination).is_none() {
                outcome.write(inv.path(&destination.text), false);
            }
        }
        ("remove", [.., repository]) => {
            if let Some(target) = remote(repository) {
                outcome.effects.push(remove("rdiff-backup", target));
            }
        }
        _ => {}
    }
    Some(outcome)
}

/// rdiff-backup's remote location, `[user@]host::/path`.
fn rdiff_location(text: &str) -> Option<Target> {
    let (login, path) = text.split_once("::")?;
    if login.is_empty() || login.contains('/') {
        return None;
    }
    let (user, name) = match login.rsplit_once('@') {
        Some((user, name)) => (Some(user), name),
        None => (None, login),
    };
    Some(host(user, name, (!path.is_empty()).then_some(path)))
}

/// Tarsnap's server: every archive goes to Tarsnap's service.
const TARSNAP_SERVER: &str = "v1-0-0-server.tarsnap.com";

/// tarsnap's long options that take a value (`--keyfile` is the login,
/// not what is sent).
const TARSNAP_LONG: &[&str] = &[
    "keyfile",
    "cachedir",
    "configfile",
    "exclude",
    "include",
    "maxbw",
    "maxbw-rate",
    "maxbw-rate-down",
    "maxbw-rate-up",
    "creationtime",
    "csv-file",
    "newer",
    "newer-mtime",
    "newer-than",
    "newer-mtime-than",
    "archive-names",
    "strip-components",
    "snaptime",
    "disk-pause",
    "checkpoint-bytes",
    "options",
    "passphrase",
    "uid",
    "gid",
    "uname",
    "gname",
];

/// What a tarsnap line asks for, read bsdtar's way: `-c` creates, `-d`
/// deletes, `-x` extracts (`-f NAME` in a cluster as `-cvf NAME`).
#[derive(Debug, Default)]
struct TarsnapLine<'a> {
    mode: Option<char>,
    directory: Option<String>,
    paths: Vec<&'a Arg>,
    dry_run: bool,
}

impl<'a> TarsnapLine<'a> {
    fn read(args: &'a [Arg]) -> Self {
        let mut line = TarsnapLine::default();
        let mut words = args.iter();
        while let Some(arg) = words.next() {
            let text = arg.text.as_str();
            if let Some(long) = text.strip_prefix("--") {
                match long {
                    "dry-run" => line.dry_run = true,
                    "nuke" => line.mode = Some('N'),
                    _ if TARSNAP_LONG.contains(&long) => {
                        words.next();
                    }
                    _ => {}
                }
            } else if let Some(cluster) = text.strip_prefix('-').filter(|c| !c.is_empty()) {
                for (at, letter) in cluster.char_indices() {
                    match letter {
                        'c' | 'd' | 'x' | 't' | 'r' => line.mode = Some(letter),
                        'f' | 'C' | 'T' | 'X' | 's' => {
                            let attached = cluster.get(at + 1..).unwrap_or_default();
                            let value = if attached.is_empty() {
                                words.next().map(|v| v.text.clone())
                            } else {
                                Some(attached.to_owned())
                            };
                            if letter == 'C' {
                                line.directory = value;
                            }
                            break;
                        }
                        _ => {}
                    }
                }
            } else if !text.starts_with('@') {
                line.paths.push(arg);
            }
        }
        line
    }
}

/// `tarsnap -c -f NAME PATH...` uploads the paths (below `-C DIR`) to
/// Tarsnap's service; `-d -f NAME` and `--nuke` delete there; `-x -f
/// NAME [PATH...]` downloads and writes below the working directory (or
/// `-C DIR`); `--dry-run` sends nothing.
pub(super) fn tarsnap(inv: &Invocation<'_>) -> Option<Outcome> {
    let line = TarsnapLine::read(inv.args);
    let service = host(None, TARSNAP_SERVER, None);
    let root = line.directory.as_deref().unwrap_or(".");
    let mut outcome = Outcome::default();
    if line.dry_run {
        return Some(outcome);
    }
    match line.mode {
        Some('c') => {
            let placed: Vec<Arg> = line
                .paths
                .iter()
                .map(|p| p.with_text(&below_or_absolute(inv, root, &p.text)))
                .collect();
            let payload = backed_up(inv, &placed);
            outcome.effects.push(upload("tarsnap", service, payload));
        }
        Some('d' | 'N') => outcome.effects.push(remove("tarsnap", service)),
        Some('x') => {
            outcome.effects.push(download("tarsnap", service));
            if line.paths.is_empty() {
                outcome.write(inv.path(root), false);
            }
            for path in &line.paths {
                outcome.write(below(inv, root, &path.text), false);
            }
        }
        _ => {}
    }
    Some(outcome)
}

/// A path as tar reads it after `-C DIR`: an absolute one as it is.
fn below_or_absolute(inv: &Invocation<'_>, root: &str, path: &str) -> String {
    if path.starts_with('/') || path.starts_with('~') {
        inv.path(path)
    } else {
        below(inv, root, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(target: Option<Target>) -> String {
        match target {
            Some(Target::Url { url }) => url,
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn duplicity_urls_name_where_not_how() {
        assert_eq!(text(duplicity_target("boto3+s3://acme/x")), "s3://acme/x");
        assert_eq!(
            text(duplicity_target("s3://s3.amazonaws.com/acme/x")),
            "s3://acme/x"
        );
        assert_eq!(text(duplicity_target("s3+http://acme/x")), "s3://acme/x");
        assert_eq!(
            text(duplicity_target("paramiko+scp://u@h/x")),
            "scp://u@h/x"
        );
        assert!(duplicity_target("file:///mnt/b").is_none());
        assert!(duplicity_target("/mnt/b").is_none());
    }

    #[test]
    fn rdiff_locations_are_double_colon_hosts() {
        assert!(rdiff_location("/srv/x").is_none());
        assert!(rdiff_location("a/b::c").is_none());
        assert_eq!(
            rdiff_location("u@nas::/v"),
            Some(host(Some("u"), "nas", Some("/v")))
        );
    }
}
