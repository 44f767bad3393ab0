//! rclone's configuration file (`--config FILE`, else the file
//! `RCLONE_CONFIG` names, else `$XDG_CONFIG_HOME/rclone/rclone.conf`,
//! `~/.config/rclone/rclone.conf` or `~/.rclone.conf`): each `[NAME]`
//! section is the remote `NAME:`, which leads where its backend's options
//! say, as it would after `rclone config create NAME TYPE OPTIONS...`
//! (`type = sftp` with `host = files.example.internal` is that host, an S3
//! remote's `endpoint` the service holding its buckets). A remote that
//! wraps another (`alias`, `crypt`, ...: `remote = other:path`) leads
//! where that one does. Remotes the line or its environment describes
//! (`RCLONE_CONFIG_NAME_TYPE`, on-the-fly `:sftp:`) are resolved already.

use super::ini::{self, Section};
use super::{Invocation, Lookup, Outcome, first_known, known_env};
use crate::args;
use crate::{Effect, Target};

/// How many wrapping remotes are followed to the one that stores.
const MAX_WRAPS: usize = 4;

/// The backends that store their files in another remote (`remote =`).
const WRAPPERS: &[&str] = &["alias", "crypt", "chunker", "compress", "hasher", "cache"];

/// Points the requests and deletes of an `rclone` command at the places
/// the remotes of its configuration file lead, when the session knows it.
pub(super) fn apply(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    let Some(text) = first_known(&config_paths(inv), text_of) else {
        return;
    };
    let sections = ini::sections(&text);
    for effect in &mut outcome.effects {
        let target = match effect {
            Effect::Request(request) => &mut request.target,
            Effect::RemoteDelete { target, .. } => target,
            _ => continue,
        };
        let Target::ToolRemote { name, .. } = &*target else {
            continue;
        };
        let Some(remote) = name.strip_prefix("rclone:") else {
            continue;
        };
        let Some(location) = location(&sections, remote, MAX_WRAPS) else {
            continue;
        };
        let set = [("/".to_owned(), name.clone(), location)];
        if let Some(crate::RemoteLocation::Url(url)) = crate::tool_remote_location(&set, target) {
            *target = Target::Url { url };
        }
    }
}

/// The configuration files rclone may read, the one it reads first.
fn config_paths(inv: &Invocation<'_>) -> Vec<String> {
    let items = args::parse_valued(inv.args, &["config"]);
    if let Some(file) = args::value(&items, &["--config"]) {
        return if file.dynamic {
            Vec::new()
        } else {
            vec![inv.path(&file.text)]
        };
    }
    if let Some(file) = known_env(inv, "RCLONE_CONFIG") {
        return vec![inv.path(file)];
    }
    let mut paths = Vec::new();
    if let Some(config_home) = known_env(inv, "XDG_CONFIG_HOME") {
        paths.push(inv.path(&format!("{config_home}/rclone/rclone.conf")));
    }
    paths.push(inv.path("~/.config/rclone/rclone.conf"));
    paths.push(inv.path("~/.rclone.conf"));
    paths
}

/// Where remote `name` leads, as a URL its paths go below; `None` when the
/// file does not hold it, or it leads to a directory here.
fn location(sections: &[Section], name: &str, wraps: usize) -> Option<String> {
    let section = sections.iter().rev().find(|s| s.name == name)?;
    let backend = section.get("type")?;
    if WRAPPERS.contains(&backend.to_ascii_lowercase().as_str()) {
        let inner = section.get("remote")?;
        let (remote, path) = inner.split_once(':')?;
        if remote.is_empty() || remote.contains(['/', '\\']) {
            return None;
        }
        let base = location(sections, remote, wraps.checked_sub(1)?)?;
        let path = path.trim_start_matches('/');
        return Some(if path.is_empty() {
            base
        } else {
            format!("{}/{path}/", base.trim_end_matches('/'))
        });
    }
    let options: Vec<(String, String)> = section.settings.clone();
    crate::commands::remotes::configured_location(backend, &options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remotes_lead_where_their_backend_and_wrapped_remotes_say() {
        let text = "[nas]\ntype = sftp\nhost = files.x.internal\nuser = dev\n[vault]\ntype = crypt\nremote = nas:/secure\n[loop]\ntype = alias\nremote = loop:x\n[here]\ntype = alias\nremote = /mnt/x\n";
        let sections = ini::sections(text);
        assert_eq!(
            location(&sections, "nas", MAX_WRAPS).as_deref(),
            Some("sftp://dev@files.x.internal/")
        );
        assert_eq!(
            location(&sections, "vault", MAX_WRAPS).as_deref(),
            Some("sftp://dev@files.x.internal/secure/")
        );
        assert_eq!(location(&sections, "loop", MAX_WRAPS), None);
        assert_eq!(location(&sections, "here", MAX_WRAPS), None);
        assert_eq!(location(&sections, "absent", MAX_WRAPS), None);
    }
}
