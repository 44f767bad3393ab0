//! Backup tools as what they do to which repository: a backup uploads
//! what it backs up there, creating a repository writes there, forgetting
//! or pruning snapshots deletes there, a restore downloads and writes the
//! local files it restores, and listing or checking only reads. Each tool
//! names its repository its own way (`restic -r sftp:u@h:/p`,
//! `RESTIC_REPOSITORY`, `borg create u@h:repo::archive`, `BORG_REPO`,
//! borgmatic's configuration file, kopia's connected repository,
//! duplicity's URL, rdiff-backup's `host::/path`, Tarsnap's service); a
//! repository on a local path is no destination. A dry run sends,
//! deletes and writes nothing.
//!
//! restic (`restic.rs`), borg and borgmatic (`borg.rs`), kopia
//! (`kopia.rs`), duplicity, rdiff-backup and tarsnap (`archives.rs`).

mod archives;
mod borg;
mod kopia;
mod restic;

use super::{Invocation, Outcome, request, send_file};
use crate::args::Arg;
use crate::{Effect, Payload, Target, flow};

pub(crate) use crate::commands::Lookup;

/// What a backup tool's line does, knowing no file written earlier.
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    handle_with(inv, &|_| None)
}

/// A backup tool whose line names a file written earlier (borgmatic's
/// configuration, restic's `--repository-file` or `--files-from`) does
/// what that file says: its handler's effects are read again with it.
pub(crate) fn configured(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    let (Some(blind), Some(fresh)) = (handle(inv), handle_with(inv, text_of)) else {
        return;
    };
    if blind.effects == fresh.effects && blind.nested.len() == fresh.nested.len() {
        return;
    }
    // The handler's effects come first; what `dispatch` added follows.
    if !outcome.effects.starts_with(&blind.effects) {
        return;
    }
    outcome.effects.splice(..blind.effects.len(), fresh.effects);
    outcome.nested = fresh.nested;
    outcome.nested_output_sent |= fresh.nested_output_sent;
}

fn handle_with(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Option<Outcome> {
    match inv.program {
        "restic" => restic::handle(inv, text_of),
        "borg" | "borgbackup" | "borg2" => borg::borg(inv),
        "borgmatic" => Some(borg::borgmatic(inv, text_of)),
        "kopia" => kopia::handle(inv),
        "duplicity" => archives::duplicity(inv),
        "rdiff-backup" => archives::rdiff_backup(inv),
        "tarsnap" => archives::tarsnap(inv),
        _ => None,
    }
}

/// The method of a request that deletes snapshots or archives at a
/// repository. Not HTTP's `DELETE`: at a bucket's root that reads as
/// deleting the bucket, and pruning a repository leaves the repository.
const REMOVE: &str = "REMOVE";

/// Sends `payload` to the repository at `target` (what a backup, or the
/// creation of a repository, writes there).
fn upload(program: &str, target: Target, payload: Payload) -> Effect {
    request(program, target, "UPLOAD", payload, false)
}

/// Fetches what a restore writes from the repository at `target`.
fn download(program: &str, target: Target) -> Effect {
    request(program, target, "DOWNLOAD", Payload::default(), false)
}

/// Deletes snapshots or archives at the repository at `target`.
fn remove(program: &str, target: Target) -> Effect {
    request(program, target, REMOVE, Payload::default(), false)
}

/// What backing up `paths` sends: each file or tree (`-` is standard
/// input) and what its word's expansions carry.
fn backed_up<'a>(inv: &Invocation<'_>, paths: impl IntoIterator<Item = &'a Arg>) -> Payload {
    let mut payload = Payload::default();
    for path in paths {
        if path.text == "-" {
            flow::merge(&mut payload, inv.stdin);
            continue;
        }
        flow::merge(&mut payload, &path.expansions());
        send_file(inv, &mut payload, &path.text, true);
    }
    payload
}

/// `path` below the directory `root` (a restore's target and an included
/// path of the snapshot: `/` and `/home/u/x` are `/home/u/x`).
fn below(inv: &Invocation<'_>, root: &str, path: &str) -> String {
    let root = inv.path(root);
    let path = path.trim_start_matches('/');
    if path.is_empty() {
        return root;
    }
    inv.path(&format!("{}/{path}", root.trim_end_matches('/')))
}

/// A host reached without a URL.
fn host(user: Option<&str>, host: &str, path: Option<&str>) -> Target {
    Target::Host {
        user: user.map(str::to_owned),
        host: host.to_owned(),
        port: None,
        path: path.map(str::to_owned),
    }
}
