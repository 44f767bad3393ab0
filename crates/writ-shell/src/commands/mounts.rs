//! Network file systems mounted here: sshfs, NFS and SMB mounts, and the
//! bucket mounts (s3fs, goofys, mount-s3, gcsfuse). A file written below
//! the mount point is written on the server. The line notes a mount as a
//! remote of the mount point named [`crate::MOUNT_REMOTE`] (as a data
//! tool's remote is noted), which the line's own later commands and the
//! session's later steps resolve ([`crate::mount_location`]); `umount`
//! and `fusermount -u` note that the mount point is a local directory
//! again. Mounting sends nothing by itself.

use super::{Invocation, Outcome};
use crate::args::{self, Arg, Spec};
use crate::{Effect, MOUNT_REMOTE, paths};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "sshfs" => Some(sshfs(inv)),
        "s3fs" | "goofys" => Some(bucket(inv, "s3", true)),
        "mount-s3" => Some(bucket(inv, "s3", false)),
        "gcsfuse" => Some(bucket(inv, "gs", false)),
        "umount" | "fusermount" | "fusermount3" => Some(unmount(inv)),
        _ => None,
    }
}

/// The effect that notes `url` mounted at `mount_point` (an empty `url`:
/// nothing mounted there any more).
pub(super) fn mounted(inv: &Invocation<'_>, mount_point: &Arg, url: String) -> Effect {
    Effect::GitRemote {
        repo_dir: inv.path(&mount_point.text),
        name: MOUNT_REMOTE.to_owned(),
        url,
    }
}

/// `sshfs [OPTIONS] [USER@]HOST:[DIR] MOUNTPOINT [OPTIONS]`: the server's
/// directory over SFTP (`-p PORT` or `-o port=PORT`).
fn sshfs(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "opF",
            long: &[],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    let positionals = args::positionals(&items);
    let (Some(remote), Some(mount_point)) = (positionals.first(), positionals.get(1)) else {
        return outcome;
    };
    let Some((login, dir)) = remote.text.split_once(':') else {
        return outcome;
    };
    let port = args::value(&items, &["-p"])
        .map(|p| p.text.clone())
        .or_else(|| {
            args::values(&items, &["-o"])
                .iter()
                .flat_map(|o| o.text.split(','))
                .find_map(|o| o.strip_prefix("port=").map(str::to_owned))
        })
        .filter(|p| p.parse::<u16>().is_ok());
    let port = port.map(|p| format!(":{p}")).unwrap_or_default();
    let url = format!("sftp://{login}{port}/{}", dir.trim_start_matches('/'));
    outcome.effects.push(mounted(inv, mount_point, url));
    outcome
}

/// `s3fs BUCKET[:/PATH] DIR`, `goofys BUCKET[:PREFIX] DIR`, `mount-s3
/// BUCKET DIR [--prefix P]`, `gcsfuse [--only-dir D] BUCKET DIR`: the
/// bucket (below the prefix) at DIR. Their options come first and some
/// take values, so the bucket and the directory are the last two words.
fn bucket(inv: &Invocation<'_>, scheme: &str, colon_prefix: bool) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "o",
            long: &["prefix", "only-dir"],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    let positionals = args::positionals(&items);
    let [.., name, mount_point] = positionals.as_slice() else {
        return outcome;
    };
    let (bucket, prefix) = match name.text.split_once(':') {
        Some((bucket, prefix)) if colon_prefix => (bucket, prefix.to_owned()),
        _ => (
            name.text.as_str(),
            args::value(&items, &["--prefix", "--only-dir"])
                .map(|p| p.text.clone())
                .unwrap_or_default(),
        ),
    };
    if bucket.is_empty() {
        return outcome;
    }
    let prefix = prefix.trim_matches('/');
    let url = if prefix.is_empty() {
        format!("{scheme}://{bucket}/")
    } else {
        format!("{scheme}://{bucket}/{prefix}/")
    };
    outcome.effects.push(mounted(inv, mount_point, url));
    outcome
}

/// `umount [-lf] DIR...`, `fusermount -u DIR`: nothing is mounted there
/// any more (a device's name is no mount point and changes nothing).
fn unmount(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "tOoN",
            long: &["types", "test-opts", "namespace"],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    if inv.program != "umount" && !args::has(&items, &["-u"]) {
        return outcome;
    }
    for dir in args::positionals(&items) {
        if !dir.text.starts_with("/dev/") && paths::file_share(&dir.text).is_none() {
            outcome.effects.push(mounted(inv, dir, String::new()));
        }
    }
    outcome
}
