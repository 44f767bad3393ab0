//! Backblaze B2's command-line tool (`b2`, Debian's `backblaze-b2`, and the
//! `b2v3`/`b2v4` entry points that keep older interfaces): 3.x's verbs
//! (`upload-file BUCKET FILE NAME`, `sync`, `rm BUCKET [FOLDER]`,
//! `delete-file-version`, `delete-bucket`, `update-bucket BUCKET
//! allPublic`, `download-file-by-name`, ...) and 4.x's groups (`file
//! upload`, `file download b2://BUCKET/NAME`, `bucket update BUCKET
//! allPublic`, `rm b2://BUCKET/PATH`). 3.x spelled its options in
//! camelCase (`--contentType`), later versions in kebab-case: both are
//! read, so an option's value is never taken for a file.
//!
//! An object is `b2://BUCKET/NAME` (`b2id://ID` when named by its file id),
//! as rclone, kopia and restic name B2 buckets: uploads send the local
//! files there, deletes destroy the objects (a bucket named alone, or a
//! recursive `rm`, all of them), a bucket of type `allPublic` is readable
//! by anyone, downloads read the objects into local files. Listing,
//! account and key commands, and the download URLs and tokens the tool
//! prints (`get-download-url-with-auth`, `file url --with-auth`), change
//! nothing.

use super::super::{Invocation, Outcome, request, send_file, url};
use super::bucket;
use crate::args::{self, Arg, Spec};
use crate::{Effect, Payload, flow};

/// Options that take a value, in kebab-case, across the tool's commands.
const VALUES: &[&str] = &[
    "profile",
    "content-type",
    "sha1",
    "info",
    "custom-upload-timestamp",
    "cache-control",
    "content-disposition",
    "content-encoding",
    "content-language",
    "expires",
    "min-part-size",
    "part-size",
    "threads",
    "sync-threads",
    "download-threads",
    "upload-threads",
    "max-download-streams-per-file",
    "write-buffer-size",
    "unused-buffer-timeout-seconds",
    "destination-server-side-encryption",
    "destination-server-side-encryption-algorithm",
    "source-server-side-encryption",
    "source-server-side-encryption-algorithm",
    "default-server-side-encryption",
    "default-server-side-encryption-algorithm",
    "legal-hold",
    "file-retention-mode",
    "retain-until",
    "compare-versions",
    "compare-threshold",
    "exclude-regex",
    "include-regex",
    "exclude-dir-regex",
    "exclude-if-modified-after",
    "exclude-if-uploaded-after",
    "keep-days",
    "queue-size",
    "include",
    "exclude",
    "range",
    "metadata-directive",
    "bucket-info",
    "cors-rules",
    "lifecycle-rule",
    "lifecycle-rules",
    "default-retention-mode",
    "default-retention-period",
    "replication",
    "duration",
    "prefix",
    "bucket",
    "name-prefix",
    "destination-profile",
    "output-format",
    "columns",
    "name",
    "priority",
    "file-name-prefix",
];

/// Commands of the tool that reach no bucket's contents: listings,
/// account, key and replication administration, and the commands that
/// print a URL, a token or information.
const INERT: &[&str] = &[
    "account",
    "key",
    "replication",
    "ls",
    "version",
    "license",
    "install-autocomplete",
    "authorize-account",
    "clear-account",
    "get-account-info",
    "list-buckets",
    "get-bucket",
    "bucket list",
    "bucket get",
    "list-file-names",
    "list-file-versions",
    "list-keys",
    "create-key",
    "delete-key",
    "list-parts",
    "list-unfinished-large-files",
    "cancel-large-file",
    "cancel-all-unfinished-large-files",
    "get-file-info",
    "file-info",
    "file info",
    "get-url",
    "make-url",
    "make-friendly-url",
    "file url",
    "get-download-auth",
    "bucket get-download-auth",
    "get-download-url-with-auth",
    "hide-file",
    "file hide",
    "unhide-file",
    "file unhide",
    "update-file-retention",
    "update-file-legal-hold",
    "file update",
    "file large",
    "bucket notification-rule",
];

/// `b2 ...`: `None` when the words are not the B2 tool's (Boost's build
/// tool is also `b2`).
pub(in crate::commands) fn b2(inv: &Invocation<'_>) -> Option<Outcome> {
    let words: Vec<Arg> = inv.args.iter().map(kebab_option).collect();
    let items = args::parse(
        &words,
        &Spec {
            short: "",
            long: VALUES,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let (verb, operands) = command(&positional)?;
    if INERT.contains(&verb.as_str()) || args::has(&items, &["--dry-run"]) {
        return Some(Outcome::default());
    }
    let mut outcome = Outcome::default();
    match (verb.as_str(), operands) {
        ("upload-file" | "upload-unbound-stream" | "file upload", [name, local, object, ..]) => {
            let mut payload = Payload::default();
            if local.text == "-" {
                flow::merge(&mut payload, inv.stdin);
            }
            send_file(inv, &mut payload, &local.text, false);
            flow::merge(&mut payload, &local.expansions());
            for info in args::values(&items, &["--info"]) {
                flow::merge(&mut payload, &info.payload());
            }
            let target = format!("b2://{}/{}", name.text, object.text);
            outcome
                .effects
                .push(request("b2", url(&target), "UPLOAD", payload, false));
        }
        ("sync", [source, destination, ..]) => sync(inv, source, destination, &mut outcome),
        ("download-file-by-name", [name, object, local, ..]) => {
            let source = format!("b2://{}/{}", name.text, object.text);
            download(inv, &source, Some(local), &mut outcome);
        }
        ("download-file-by-id", [id, local, ..]) => {
            download(
                inv,
                &format!("b2id://{}", id.text),
                Some(local),
                &mut outcome,
            );
        }
        ("download-file" | "file download", [source, local, ..]) => {
            download(inv, &source.text, Some(local), &mut outcome);
        }
        ("cat" | "file cat", [source, ..]) => download(inv, &source.text, None, &mut outcome),
        ("rm", [first, rest @ ..]) => {
            let target = if is_uri(&first.text) {
                first.text.clone()
            } else {
                let folder = rest.first().map_or("", |f| f.text.as_str());
                format!("b2://{}/{folder}", first.text)
            };
            let recursive = args::has(&items, &["-r", "--recursive"])
                || (args::has(&items, &["--with-wildcard"]) && target.ends_with('*'));
            outcome.effects.push(Effect::RemoteDelete {
                target: url(&target),
                recursive,
            });
        }
        // `[fileName] fileId`: the version is named by its id.
        ("delete-file-version", [.., id]) => outcome.effects.push(Effect::RemoteDelete {
            target: url(&format!("b2id://{}", id.text)),
            recursive: false,
        }),
        ("delete-bucket" | "bucket delete", [name, ..]) => {
            outcome.effects.push(Effect::RemoteDelete {
                target: url(&format!("b2://{}", name.text)),
                recursive: true,
            });
        }
        (
            "create-bucket" | "update-bucket" | "bucket create" | "bucket update",
            [name, kind, ..],
        ) if kind.text == "allPublic" => outcome.effects.push(Effect::MakePublic {
            resource: bucket("b2", &name.text),
        }),
        ("copy-file-by-id" | "file copy-by-id", [id, name, object, ..]) => {
            let target = format!("b2://{}/{}", name.text, object.text);
            copy(&format!("b2id://{}", id.text), &target, &mut outcome);
        }
        ("copy-file" | "file server-side-copy", [source, destination, ..]) => {
            copy(&source.text, &destination.text, &mut outcome);
        }
        _ => {}
    }
    Some(outcome)
}

/// The command the words name, as 3.x's hyphenated verb (`upload-file`,
/// older `upload_file`) or a 4.x group and its verb (`file upload`), and
/// its operands. `None` for words no version of the tool has.
fn command<'a, 'b>(words: &'b [&'a Arg]) -> Option<(String, &'b [&'a Arg])> {
    let (first, rest) = words.split_first()?;
    let first = first.text.replace('_', "-");
    if matches!(first.as_str(), "file" | "bucket")
        && let Some((second, operands)) = rest.split_first()
    {
        return Some((
            format!("{first} {}", second.text.replace('_', "-")),
            operands,
        ));
    }
    let known = INERT.contains(&first.as_str())
        || matches!(
            first.as_str(),
            "upload-file"
                | "upload-unbound-stream"
                | "sync"
                | "download-file-by-name"
                | "download-file-by-id"
                | "download-file"
                | "cat"
                | "rm"
                | "delete-file-version"
                | "delete-bucket"
                | "create-bucket"
                | "update-bucket"
                | "copy-file-by-id"
                | "copy-file"
        );
    known.then_some((first, rest))
}

/// A 3.x camelCase option (`--noProgress`, `--contentType=text/plain`) in
/// the kebab-case its successors use; other words unchanged.
fn kebab_option(word: &Arg) -> Arg {
    let Some(option) = word.text.strip_prefix("--") else {
        return word.clone();
    };
    let (name, value) = match option.split_once('=') {
        Some((name, value)) => (name, Some(value)),
        None => (option, None),
    };
    if !name.chars().any(|c| c.is_ascii_uppercase()) {
        return word.clone();
    }
    let mut text = String::from("--");
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            text.push('-');
        }
        text.push(c.to_ascii_lowercase());
    }
    if let Some(value) = value {
        text.push('=');
        text.push_str(value);
    }
    word.with_text(&text)
}

/// A B2 URI: `b2://BUCKET/PATH` or `b2id://FILE_ID`.
fn is_uri(text: &str) -> bool {
    text.starts_with("b2://") || text.starts_with("b2id://")
}

/// `sync SOURCE DESTINATION`: a local folder to a bucket is an upload of
/// the folder, a bucket to a local folder a download into it, a bucket to
/// a bucket a copy there. `--delete` prunes what the source lacks, within
/// the destination's prefix: the sync still replaces it, no bucket goes.
fn sync(inv: &Invocation<'_>, source: &Arg, destination: &Arg, outcome: &mut Outcome) {
    match (is_uri(&source.text), is_uri(&destination.text)) {
        (false, true) => {
            let mut payload = Payload::default();
            send_file(inv, &mut payload, &source.text, true);
            flow::merge(&mut payload, &source.expansions());
            outcome.effects.push(request(
                "b2",
                url(&destination.text),
                "UPLOAD",
                payload,
                false,
            ));
        }
        (true, false) => download(inv, &source.text, Some(destination), outcome),
        (true, true) => copy(&source.text, &destination.text, outcome),
        (false, false) => {}
    }
}

/// A download of the object or folder `source`, into `local` (`-` and
/// `None` print it).
fn download(inv: &Invocation<'_>, source: &str, local: Option<&Arg>, outcome: &mut Outcome) {
    outcome.effects.push(request(
        "b2",
        url(source),
        "DOWNLOAD",
        Payload::default(),
        false,
    ));
    if let Some(local) = local.filter(|l| l.text != "-") {
        outcome.write(inv.path(&local.text), false);
    }
}

/// A copy made by the service from `source` to `destination`: what it
/// writes there is the source's objects.
fn copy(source: &str, destination: &str, outcome: &mut Outcome) {
    let mut payload = Payload::default();
    flow::push_text(&mut payload, source);
    outcome
        .effects
        .push(request("b2", url(destination), "UPLOAD", payload, false));
}
