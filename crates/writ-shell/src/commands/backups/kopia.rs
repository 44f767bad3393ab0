//! kopia: `repository create|connect BACKEND` logs in to the storage its
//! flags name (`s3 --bucket B [--endpoint E]`, `b2`, `gcs`, `azure`,
//! `sftp --host H`, `webdav --url U`, `rclone --remote-path R`, `server
//! --url U`, `filesystem --path P`), sending the access keys given there
//! (`create` writes the repository there too), and from then on is the
//! repository kopia is connected to: kept as the tool remote `kopia:`
//! (with `--config-file`, `kopia:FILE`), so a `snapshot create PATH...`
//! on the line or later in the session uploads the paths there. `repository
//! sync-to BACKEND` copies the repository there. `snapshot restore ID
//! DIR` downloads and writes DIR, `snapshot delete --delete` and `snapshot
//! expire --delete` delete there.

use super::{backed_up, download, remove, upload};
use crate::args::{self, Item, Spec};
use crate::commands::remotes::rclone_target;
use crate::commands::{Invocation, Outcome, request, url};
use crate::{Effect, Payload, Target, flow};

/// Options of kopia's commands that take a value.
const LONG: &[&str] = &[
    "config-file",
    "log-level",
    "file-log-level",
    "log-dir",
    "password",
    "bucket",
    "endpoint",
    "prefix",
    "region",
    "access-key",
    "secret-access-key",
    "session-token",
    "root-ca-pem-base64",
    "root-ca-pem-path",
    "key-id",
    "key",
    "credentials-file",
    "read-only-credentials-file",
    "container",
    "storage-account",
    "storage-key",
    "storage-domain",
    "sas-token",
    "tenant-id",
    "client-id",
    "client-secret",
    "path",
    "host",
    "port",
    "username",
    "sftp-password",
    "keyfile",
    "key-data",
    "known-hosts",
    "known-hosts-data",
    "ssh-command",
    "ssh-args",
    "url",
    "webdav-username",
    "webdav-password",
    "remote-path",
    "rclone-exe",
    "server-cert-fingerprint",
    "override-username",
    "override-hostname",
    "folder-id",
    "description",
    "description-file",
    "tags",
    "parallel",
    "override-source",
    "stdin-file",
    "start-time",
    "end-time",
    "max-retries",
    "block-hash",
    "encryption",
    "ecc",
    "ecc-overhead-percent",
    "object-splitter",
    "format-version",
    "cache-directory",
    "content-cache-size-mb",
    "metadata-cache-size-mb",
    "snapshot-time",
];

/// The flags whose values a backend sends to its storage to log in.
const SENT_KEYS: &[&str] = &[
    "--access-key",
    "--secret-access-key",
    "--session-token",
    "--key-id",
    "--key",
    "--storage-key",
    "--sas-token",
    "--client-secret",
    "--sftp-password",
    "--webdav-password",
];

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: LONG,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let words: Vec<&str> = positional.iter().map(|a| a.text.as_str()).collect();
    let remote = connected(inv, &items);
    let deletes = args::has(&items, &["--delete"]);
    let mut outcome = Outcome::default();
    match words.as_slice() {
        [
            "repository" | "repo",
            verb @ ("create" | "connect" | "sync-to"),
            backend,
            ..,
        ] => {
            let Some(location) = storage(inv, &items, backend) else {
                return Some(outcome);
            };
            let method = if *verb == "connect" {
                "CONNECT"
            } else {
                "UPLOAD"
            };
            match &location {
                Storage::Remote(target) => {
                    outcome.effects.push(request(
                        "kopia",
                        target.clone(),
                        method,
                        login(&items),
                        false,
                    ));
                }
                Storage::Local(path) if *verb != "connect" => outcome.write(path.clone(), false),
                Storage::Local(_) => {}
            }
            if *verb != "sync-to" {
                outcome.effects.push(Effect::GitRemote {
                    repo_dir: "/".to_owned(),
                    name: remote_name(inv, &items),
                    url: location.as_remote_url(),
                });
            }
        }
        ["snapshot" | "snap", "create", paths @ ..] if !paths.is_empty() => {
            let payload = backed_up(inv, positional.iter().skip(2).copied());
            outcome.effects.push(upload("kopia", remote, payload));
        }
        ["snapshot" | "snap", "restore", _, _, ..] | ["restore", _, _, ..] => {
            if let Some(destination) = positional.last() {
                outcome.effects.push(download("kopia", remote));
                outcome.write(inv.path(&destination.text), false);
            }
        }
        ["snapshot" | "snap", "delete" | "expire", ..] if deletes => {
            outcome.effects.push(remove("kopia", remote));
        }
        _ => {}
    }
    Some(outcome)
}

/// The repository kopia is connected to, as a tool remote: where a
/// `repository create|connect` on the line or earlier in the session
/// left it, else nowhere known.
fn connected(inv: &Invocation<'_>, items: &[Item<'_>]) -> Target {
    Target::ToolRemote {
        repo_dir: "/".to_owned(),
        name: remote_name(inv, items),
        path: None,
        unset: None,
    }
}

/// The tool remote's name: each configuration file (`--config-file`,
/// `KOPIA_CONFIG_PATH`) holds its own connection.
fn remote_name(inv: &Invocation<'_>, items: &[Item<'_>]) -> String {
    let file = args::value(items, &["--config-file"])
        .or_else(|| inv.env_value("KOPIA_CONFIG_PATH"))
        .map(|f| inv.path(&f.text));
    format!("kopia:{}", file.unwrap_or_default())
}

/// Where a repository's storage is.
enum Storage {
    Remote(Target),
    /// A local directory (`filesystem --path`).
    Local(String),
}

impl Storage {
    /// The location a tool remote is set to.
    fn as_remote_url(&self) -> String {
        match self {
            Storage::Remote(Target::Url { url }) => url.clone(),
            Storage::Remote(Target::Host {
                user,
                host,
                port,
                path,
            }) => {
                let user = user.as_ref().map_or_else(String::new, |u| format!("{u}@"));
                let port = port.map_or_else(String::new, |p| format!(":{p}"));
                let path = path.as_deref().unwrap_or_default().trim_start_matches('/');
                format!("sftp://{user}{host}{port}/{path}")
            }
            Storage::Remote(_) => String::new(),
            Storage::Local(path) => format!("file://{path}"),
        }
    }
}

/// The storage of `backend` as its flags name it.
fn storage(inv: &Invocation<'_>, items: &[Item<'_>], backend: &str) -> Option<Storage> {
    let value = |names: &[&str]| args::value(items, names).map(|a| a.text.clone());
    let prefix = value(&["--prefix"]).unwrap_or_default();
    let prefix = prefix.trim_start_matches('/');
    let remote = |text: String| Some(Storage::Remote(url(&text)));
    match backend {
        "s3" => {
            let bucket = value(&["--bucket"])?;
            match value(&["--endpoint"]).filter(|e| !e.ends_with("amazonaws.com")) {
                Some(endpoint) => {
                    let scheme = if args::has(items, &["--disable-tls"]) {
                        "http"
                    } else {
                        "https"
                    };
                    remote(format!("{scheme}://{endpoint}/{bucket}/{prefix}"))
                }
                None => remote(format!("s3://{bucket}/{prefix}")),
            }
        }
        "b2" => remote(format!("b2://{}/{prefix}", value(&["--bucket"])?)),
        "gcs" => remote(format!("gs://{}/{prefix}", value(&["--bucket"])?)),
        "azure" => {
            let container = value(&["--container"])?;
            let account = value(&["--storage-account"])?;
            let domain =
                value(&["--storage-domain"]).unwrap_or_else(|| "blob.core.windows.net".to_owned());
            remote(format!("https://{account}.{domain}/{container}/{prefix}"))
        }
        "sftp" => Some(Storage::Remote(Target::Host {
            user: value(&["--username"]),
            host: value(&["--host"])?,
            port: value(&["--port"]).and_then(|p| p.parse().ok()),
            path: value(&["--path"]),
        })),
        "webdav" | "server" => remote(value(&["--url"])?),
        "rclone" => Some(Storage::Remote(rclone_target(
            &value(&["--remote-path"])?,
            inv.env,
            &[],
        ))),
        "gdrive" => remote("https://www.googleapis.com/".to_owned()),
        "filesystem" => Some(Storage::Local(inv.path(&value(&["--path"])?))),
        _ => None,
    }
}

/// The access keys and passwords the line gives its storage (a
/// repository server's login is the repository password too).
fn login(items: &[Item<'_>]) -> Payload {
    let mut payload = Payload::default();
    let server = args::positionals(items)
        .get(2)
        .is_some_and(|b| b.text == "server");
    for (name, value) in args::options(items) {
        if SENT_KEYS.contains(&name) || (server && name == "--password") {
            flow::merge(&mut payload, &value.payload());
        }
    }
    payload
}
