//! Azure (`az storage blob`, `az storage container set-permission`,
//! `azcopy`), `rclone`, whose remotes are names from its
//! configuration: where they lead is where `rclone config create` on the
//! line or earlier in the session set them to (a [`Target::ToolRemote`]
//! `rclone:NAME`), else not on the command line, so such a destination is
//! a host nobody has vouched for (but a remote of S3 or GCS, by its
//! on-the-fly backend, its type or its name, is the bucket its path
//! names), and peer-to-peer senders that hand a file to whoever holds a
//! code, through a public relay (`wormhole send`, `croc send`). Backup
//! tools are [`super::backups`]'s.

use super::{Invocation, Outcome, request, send_file, url};
use crate::args::{self, Arg, Item, Spec};
use crate::{Effect, Payload, Resource, Target, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "az" => az(inv),
        "azcopy" => azcopy(inv),
        "rclone" => rclone(inv),
        "wormhole" | "wormhole-william" | "croc" | "ffsend" => peer_send(inv),
        _ => None,
    }
}

const AZ_LONG: &[&str] = &[
    "account-name",
    "account-key",
    "connection-string",
    "sas-token",
    "container-name",
    "file",
    "name",
    "source",
    "destination",
    "pattern",
    "blob-url",
    "content-type",
    "tier",
    "public-access",
    "assignee",
    "assignee-object-id",
    "role",
    "scope",
    "resource-group",
    "subscription",
    "auth-mode",
    "output",
    "query",
];

/// `az storage blob upload|upload-batch|sync`, `az storage container
/// set-permission --public-access` (role assignments are
/// [`super::access`]'s).
fn az(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "cfnsdgo",
            long: AZ_LONG,
            stop_after: None,
        },
    );
    let words: Vec<&str> = args::positionals(&items)
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    let value = |names: &[&str]| args::value(&items, names).map(|a| a.text.clone());
    let account = value(&["--account-name"])
        .or_else(|| value(&["--connection-string"]).and_then(|c| connection_account(&c)))
        .unwrap_or_default();
    let mut outcome = Outcome::default();
    match words.as_slice() {
        ["storage", "blob", "upload" | "upload-batch" | "sync", ..] => {
            // `--dryrun` lists what would be uploaded and sends nothing.
            if args::has(&items, &["--dryrun"]) {
                return Some(outcome);
            }
            let container =
                value(&["--container-name", "-c", "--destination", "-d"]).unwrap_or_default();
            // A destination given as the container's URL names its host.
            let container_url = value(&["--destination", "-d"]).filter(|d| d.contains("://"));
            let target = value(&["--blob-url"]).or(container_url).unwrap_or_else(|| {
                format!(
                    "https://{account}.blob.core.windows.net/{}",
                    container.trim_start_matches('/')
                )
            });
            let mut payload = Payload::default();
            for source in args::values(&items, &["--file", "-f", "--source", "-s"]) {
                send_local(inv, &mut payload, source, words.get(2) != Some(&"upload"));
            }
            if args::values(&items, &["--file", "-f", "--source", "-s"]).is_empty() {
                flow::merge(&mut payload, inv.stdin);
            }
            outcome
                .effects
                .push(request("az", url(&target), "UPLOAD", payload, false));
        }
        ["storage", "container", "set-permission" | "create", ..] => {
            let level = value(&["--public-access"]).unwrap_or_default();
            if matches!(level.as_str(), "blob" | "container") {
                let container = value(&["--name", "-n"]).unwrap_or_default();
                outcome.effects.push(Effect::MakePublic {
                    resource: Resource::Other {
                        name: format!("https://{account}.blob.core.windows.net/{container}"),
                    },
                });
            }
        }
        // Its context is the cluster's name.
        ["aks", "get-credentials", ..] => {
            if let Some(name) = value(&["--name", "-n"]) {
                outcome.effects.push(super::infra::use_context(name));
            }
        }
        _ => return None,
    }
    Some(outcome)
}

/// The account named in an Azure storage connection string.
fn connection_account(connection: &str) -> Option<String> {
    connection.split(';').find_map(|part| {
        let (key, value) = part.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("AccountName")
            .then(|| value.trim().to_owned())
    })
}

/// `azcopy copy|sync SOURCE DESTINATION [--recursive]`: an upload when the
/// destination is a URL and the source is local.
fn azcopy(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &[
                "include-pattern",
                "exclude-pattern",
                "from-to",
                "log-level",
                "blob-type",
                "block-size-mb",
                "cap-mbps",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let [verb, source, destination, ..] = positional.as_slice() else {
        return None;
    };
    if !matches!(verb.text.as_str(), "copy" | "cp" | "sync") {
        return None;
    }
    let recursive = verb.text == "sync"
        || args::has(&items, &["--recursive"])
        || items.iter().any(|i| i.is(&["--recursive=true"]));
    Some(transfer(
        inv,
        "azcopy",
        source,
        destination,
        recursive,
        |t: &str| t.contains("://"),
        |t: &str| url(t),
    ))
}

/// `rclone copy|sync|move|copyto|moveto|bisync SOURCE DEST`, `rclone rcat
/// REMOTE:PATH` (standard input), `rclone copyurl URL DEST`, and the
/// deletes: `rclone purge REMOTE:PATH` removes the path and all it holds
/// (it obeys no filters), `rclone delete REMOTE:PATH` every file below it
/// unless an include filter (`--include`, `--include-from`,
/// `--files-from`) selects only some, `rclone deletefile REMOTE:PATH`
/// one file. Under `-n` (`--dry-run`) none of them copies, writes or
/// deletes anything.
fn rclone(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &[
                "config",
                "include",
                "exclude",
                "filter",
                "include-from",
                "exclude-from",
                "filter-from",
                "transfers",
                "checkers",
                "bwlimit",
                "log-file",
                "log-level",
                "backup-dir",
                "max-age",
                "min-age",
                "max-size",
                "min-size",
                "files-from",
                "files-from-raw",
                "max-depth",
                "sftp-host",
                "sftp-user",
                "sftp-port",
                "sftp-pass",
                "sftp-key-file",
                "sftp-key-pem",
                "ftp-host",
                "ftp-user",
                "ftp-port",
                "ftp-pass",
                "smb-host",
                "smb-user",
                "smb-port",
                "smb-pass",
                "smb-domain",
                "webdav-url",
                "webdav-user",
                "webdav-pass",
                "webdav-vendor",
                "webdav-bearer-token",
                "http-url",
                "s3-endpoint",
                "s3-provider",
                "s3-region",
                "s3-access-key-id",
                "s3-secret-access-key",
                "s3-acl",
                "swift-auth",
                "swift-user",
                "swift-key",
                "hdfs-namenode",
                "azureblob-endpoint",
                "azureblob-account",
                "azureblob-key",
                "state",
                "result",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let (verb, operands) = positional.split_first()?;
    if is_dry_run(&items) && RCLONE_CHANGES.contains(&verb.text.as_str()) {
        // A trial run lists both sides and changes neither.
        return Some(Outcome::default());
    }
    let target = |text: &str| rclone_target(text, inv.env, &items);
    let mut outcome = Outcome::default();
    match (verb.text.as_str(), operands) {
        ("copy" | "sync" | "move" | "copyto" | "moveto" | "bisync", [source, destination, ..]) => {
            let recursive = !matches!(verb.text.as_str(), "copyto" | "moveto");
            outcome = transfer(
                inv,
                "rclone",
                source,
                destination,
                recursive,
                is_rclone_remote,
                target,
            );
        }
        ("rcat", [destination, ..]) if is_rclone_remote(&destination.text) => {
            outcome.effects.push(request(
                "rclone",
                target(&destination.text),
                "UPLOAD",
                inv.stdin.clone(),
                false,
            ));
        }
        (verb @ ("purge" | "delete" | "deletefile"), [path, ..]) => {
            let selected = args::has(
                &items,
                &[
                    "--include",
                    "--include-from",
                    "--files-from",
                    "--files-from-raw",
                ],
            );
            let recursive = verb == "purge" || (verb == "delete" && !selected);
            if is_rclone_remote(&path.text) {
                outcome.effects.push(Effect::RemoteDelete {
                    target: target(&path.text),
                    recursive,
                });
            } else {
                outcome.delete(inv.path(&path.text), recursive);
            }
        }
        ("config", [verb, ..]) if verb.text == "create" => outcome = config(operands),
        // A remote mounted here: what is written below DIR goes to it
        // (see `mounts.rs`).
        ("mount" | "nfsmount", [remote, mount_point, ..]) if is_rclone_remote(&remote.text) => {
            let url = match target(&remote.text) {
                Target::Url { url } => url,
                Target::ToolRemote { name, path, .. } => {
                    format!("{name}:{}", path.unwrap_or_default())
                }
                Target::Host {
                    user,
                    host,
                    port,
                    path,
                } => {
                    let login = user.map(|u| format!("{u}@")).unwrap_or_default();
                    let port = port.map(|p| format!(":{p}")).unwrap_or_default();
                    let path = path.unwrap_or_default();
                    format!(
                        "sftp://{login}{host}{port}/{}",
                        path.trim_start_matches('/')
                    )
                }
                Target::Remote { .. } => return Some(outcome),
            };
            outcome
                .effects
                .push(super::mounts::mounted(inv, mount_point, url));
        }
        ("copyurl", [source, destination, ..]) => {
            outcome.effects.push(request(
                "rclone",
                url(&source.text),
                "DOWNLOAD",
                Payload::default(),
                false,
            ));
            if !is_rclone_remote(&destination.text) {
                outcome.write(inv.path(&destination.text), false);
            }
        }
        _ => return None,
    }
    Some(outcome)
}

/// The rclone commands that copy, move or delete, which a dry run leaves
/// undone.
const RCLONE_CHANGES: &[&str] = &[
    "copy",
    "sync",
    "move",
    "copyto",
    "moveto",
    "bisync",
    "rcat",
    "purge",
    "delete",
    "deletefile",
    "copyurl",
];

/// rclone's `-n` (`--dry-run`, not `--dry-run=false`).
fn is_dry_run(items: &[Item<'_>]) -> bool {
    items.iter().any(|item| match item {
        Item::Opt { name, value } if name == "-n" || name == "--dry-run" => {
            value.as_ref().is_none_or(|v| v.text != "false")
        }
        _ => false,
    })
}

/// `wormhole send [--text T] FILE...`, `croc send FILE...`, `ffsend
/// upload FILE`: the files (or text) go through the tool's public relay
/// to whoever holds the code, a destination nobody has vouched for.
fn peer_send(inv: &Invocation<'_>) -> Option<Outcome> {
    let (relay, verbs) = match inv.program {
        "croc" => ("croc.schollz.com", &["send"][..]),
        "ffsend" => ("send.vis.ee", &["upload", "up", "u"][..]),
        _ => ("relay.magic-wormhole.io", &["send", "tx"][..]),
    };
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: &[
                "text",
                "code",
                "relay",
                "relay-url",
                "transit-helper",
                "hash",
                "pass",
                "curve",
                "ip",
                "downloads",
                "expiry",
                "password",
                "name",
                "host",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let (verb, files) = positional.split_first()?;
    if !verbs.contains(&verb.text.as_str()) {
        return None;
    }
    let mut payload = Payload::default();
    if let Some(text) = args::value(&items, &["--text"]) {
        flow::merge(&mut payload, &text.payload());
    }
    let mut outcome = Outcome::default();
    for file in files {
        outcome.read(inv.path(&file.text), true);
        send_file(inv, &mut payload, &file.text, true);
    }
    let relay = args::value(&items, &["--relay", "--relay-url", "--host"])
        .map_or(relay, |r| r.text.as_str());
    outcome.effects.push(request(
        inv.program,
        Target::Host {
            user: None,
            host: relay
                .split("://")
                .last()
                .unwrap_or(relay)
                .split([':', '/'])
                .next()
                .unwrap_or(relay)
                .to_owned(),
            port: None,
            path: None,
        },
        "UPLOAD",
        payload,
        false,
    ));
    Some(outcome)
}

/// `remote:path` (a configured remote, or `:backend:` on the fly), not a
/// local path (`./a:b`, `/x:y`, a drive letter).
fn is_rclone_remote(text: &str) -> bool {
    if text.starts_with(':') {
        return true;
    }
    match text.split_once(':') {
        Some((name, rest)) => {
            let local = name.is_empty()
                || name.contains(['/', '\\'])
                // A drive letter: `C:\data`.
                || (name.len() == 1 && rest.starts_with('\\'));
            !local
        }
        None => false,
    }
}

/// A remote as a destination: its name stands for the host, except on a
/// bucket store ([`bucket_scheme`]), where the path's first element is the
/// bucket (`s3:acme-data/x` is `s3://acme-data/x`), and on a backend whose
/// server an option names ([`RCLONE_SERVER_OPTIONS`]): an on-the-fly
/// `:sftp:/in --sftp-host H`, `:webdav:/x --webdav-url URL`, or a
/// connection string `:sftp,host=H,user=U:/p` is that server.
pub(super) fn rclone_target(text: &str, env: &[(String, Arg)], flags: &[Item<'_>]) -> Target {
    let trimmed = text.trim_start_matches(':');
    let (remote, path) = trimmed.split_once(':').unwrap_or((trimmed, ""));
    let option = |key: &str| rclone_option(text, remote, key, env, flags);
    let bucket = bucket_scheme(text, remote, env);
    let bucket_path = path.trim_start_matches('/');
    let server = RCLONE_SERVER_OPTIONS
        .iter()
        .find_map(|key| option(key).map(|value| (*key, value)));
    match server {
        // An S3-compatible store elsewhere holds the bucket at its
        // endpoint (path style); an AWS endpoint is the bucket's.
        Some(("endpoint", endpoint)) if bucket.is_some() && !bucket_path.is_empty() => {
            let endpoint = endpoint.trim_end_matches('/');
            return if endpoint.contains("://") {
                url(&format!("{endpoint}/{bucket_path}"))
            } else {
                url(&format!("https://{endpoint}/{bucket_path}"))
            };
        }
        Some((_, server)) if server.contains("://") => return url(&server),
        Some((_, server)) => {
            let (host, port) = match server.rsplit_once(':') {
                Some((host, port)) if port.parse::<u16>().is_ok() => (host, port.parse().ok()),
                _ => (server.as_str(), None),
            };
            return Target::Host {
                user: option("user"),
                host: host.to_owned(),
                port: option("port").and_then(|p| p.parse().ok()).or(port),
                path: (!path.is_empty()).then(|| path.to_owned()),
            };
        }
        None => {}
    }
    if let Some(scheme) = bucket
        && !bucket_path.is_empty()
    {
        return url(&format!("{scheme}://{bucket_path}"));
    }
    let path = (!path.is_empty()).then(|| path.to_owned());
    let named = Target::Host {
        user: None,
        host: remote.to_owned(),
        port: None,
        path: path.clone(),
    };
    // A remote of the configuration file, which the line's variables do not
    // describe, leads where `rclone config create` set it to, on the line
    // or earlier in the session ([`config`]).
    let name = remote.split(',').next().unwrap_or(remote);
    if text.starts_with(':') || variable_value(env, &format!("RCLONE_CONFIG_{name}_TYPE")).is_some()
    {
        return named;
    }
    Target::ToolRemote {
        repo_dir: "/".to_owned(),
        name: config_key(name),
        path,
        unset: Some(Box::new(named)),
    }
}

/// The name an rclone remote is kept under among the remotes set: one no
/// git remote can have. rclone's configuration is the user's, so it serves
/// every directory (`/`).
fn config_key(name: &str) -> String {
    format!("rclone:{name}")
}

/// `rclone config create NAME TYPE [KEY VALUE | KEY=VALUE]...`: `NAME:`
/// from now on leads where the options of its backend say
/// ([`configured_location`]).
fn config(operands: &[&Arg]) -> Outcome {
    let mut outcome = Outcome::default();
    let [verb, name, backend, rest @ ..] = operands else {
        return outcome;
    };
    if verb.text != "create" {
        return outcome;
    }
    let mut options: Vec<(String, String)> = Vec::new();
    let mut words = rest.iter();
    while let Some(word) = words.next() {
        match word.text.split_once('=') {
            Some((key, value)) => options.push((key.to_owned(), value.to_owned())),
            None => {
                let value = words.next().map(|v| v.text.clone()).unwrap_or_default();
                options.push((word.text.clone(), value));
            }
        }
    }
    if let Some(location) = configured_location(&backend.text, &options) {
        outcome.effects.push(Effect::GitRemote {
            repo_dir: "/".to_owned(),
            name: config_key(&name.text),
            url: location,
        });
    }
    outcome
}

/// Where a remote of `backend` with `options` leads, as a URL that a
/// request's path goes below: the server its options name (`host`, `url`,
/// `endpoint`, ... with `user` and `port`: `sftp://u@h:22/`); a bucket
/// store's buckets (`s3://`, the endpoint's `https://minio.x/`); a
/// vendor's service at the vendor's API host. `None` for a local remote
/// or one that wraps another (`alias`, `crypt`), which lead elsewhere.
pub(in crate::commands) fn configured_location(
    backend: &str,
    options: &[(String, String)],
) -> Option<String> {
    let backend = backend.to_ascii_lowercase();
    let option = |key: &str| {
        options
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.trim().trim_matches(['"', '\'']).to_owned())
            .filter(|v| !v.is_empty())
    };
    let bucket = bucket_scheme(&format!(":{backend}:"), &backend, &[]);
    let slash = |base: &str| {
        if base.ends_with('/') {
            base.to_owned()
        } else {
            format!("{base}/")
        }
    };
    match RCLONE_SERVER_OPTIONS
        .iter()
        .find_map(|key| option(key).map(|value| (*key, value)))
    {
        Some((_, server)) if server.contains("://") => return Some(slash(&server)),
        Some(("endpoint", endpoint)) if bucket.is_some() => {
            return Some(slash(&format!("https://{endpoint}")));
        }
        Some((_, server)) => {
            let user = option("user").map_or_else(String::new, |u| format!("{u}@"));
            let port = match option("port") {
                Some(port) if !server.contains(':') => format!(":{port}"),
                _ => String::new(),
            };
            return Some(format!("{backend}://{user}{server}{port}/"));
        }
        None => {}
    }
    if let Some(scheme) = bucket {
        return Some(format!("{scheme}://"));
    }
    if let Some(account) = option("account").filter(|_| backend == "azureblob") {
        return Some(format!("https://{account}.blob.core.windows.net/"));
    }
    let host = match backend.as_str() {
        "drive" => "www.googleapis.com",
        "dropbox" => "content.dropboxapi.com",
        "onedrive" => "graph.microsoft.com",
        "box" => "api.box.com",
        "mega" => "mega.nz",
        "pcloud" => "api.pcloud.com",
        "b2" => return Some("b2://".to_owned()),
        "yandex" => "cloud-api.yandex.net",
        "jottacloud" => "jfs.jottacloud.com",
        "protondrive" => "drive.proton.me",
        "koofr" => "app.koofr.net",
        "hidrive" => "api.hidrive.strato.com",
        "putio" => "api.put.io",
        "zoho" => "workdrive.zoho.com",
        "pikpak" => "api-drive.mypikpak.com",
        "iclouddrive" => "www.icloud.com",
        "internetarchive" => "s3.us.archive.org",
        _ => return None,
    };
    Some(format!("https://{host}/"))
}

/// The options that name an rclone backend's server, first found wins:
/// `url` (webdav, http, seafile), `endpoint` (s3 and the stores that speak
/// its API, azureblob, koofr), `host` (sftp, ftp, smb), `namenode` (hdfs),
/// `auth` (swift's auth server), `api_url` (sia).
const RCLONE_SERVER_OPTIONS: &[&str] = &["url", "endpoint", "host", "namenode", "auth", "api_url"];

/// An option of the remote `text` (named `remote`), in rclone's order of
/// precedence: the connection string (`:sftp,host=H:`), the backend's flag
/// (`--sftp-host H`), the remote's variable (`RCLONE_CONFIG_NAME_HOST`),
/// the backend's (`RCLONE_SFTP_HOST`). A backend's flags and variables
/// apply only where the backend is known: given on the fly (`:sftp:`) or
/// by `RCLONE_CONFIG_NAME_TYPE`.
fn rclone_option(
    text: &str,
    remote: &str,
    key: &str,
    env: &[(String, Arg)],
    flags: &[Item<'_>],
) -> Option<String> {
    let mut parts = remote.split(',');
    let name = parts.next().unwrap_or_default();
    let clean = |value: &str| value.trim().trim_matches(['"', '\'']).to_owned();
    if let Some(value) = parts.find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k.trim() == key).then_some(v)
    }) {
        return Some(clean(value)).filter(|value| !value.is_empty());
    }
    let variable =
        |prefix: &str| variable_value(env, &format!("{prefix}_{key}")).map(|v| clean(&v));
    let backend = if text.starts_with(':') {
        Some(name.to_ascii_lowercase())
    } else {
        variable_value(env, &format!("RCLONE_CONFIG_{name}_TYPE")).map(|b| b.to_ascii_lowercase())
    };
    let flag = backend.as_ref().and_then(|backend| {
        let flag = format!("--{backend}-{}", key.replace('_', "-"));
        args::value(flags, &[flag.as_str()]).map(|v| clean(&v.text))
    });
    flag.or_else(|| variable(&format!("RCLONE_CONFIG_{name}")))
        .or_else(|| variable(&format!("RCLONE_{}", backend.as_deref()?)))
        .filter(|value| !value.is_empty())
}

/// The value of the environment variable `name` (`-` and case aside, as
/// rclone reads remote names into variable names).
fn variable_value(env: &[(String, Arg)], name: &str) -> Option<String> {
    let name = name.to_ascii_uppercase().replace('-', "_");
    env.iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.text.clone())
}

/// The URL scheme of an rclone remote that stores buckets, S3's or Google
/// Cloud Storage's: a backend given on the fly (`:s3:`, `:s3,provider=AWS:`),
/// a remote whose type its environment sets (`RCLONE_CONFIG_NAME_TYPE=s3`),
/// or a remote named after its backend (`s3:`, `gcs:`, `s3-prod:`).
/// Connection-string options after a comma (`s3,region=eu-west-1:`) are
/// not part of the name.
fn bucket_scheme(text: &str, remote: &str, env: &[(String, Arg)]) -> Option<&'static str> {
    let name = remote.split(',').next().unwrap_or(remote);
    let scheme_of = |backend: &str| match backend.to_ascii_lowercase().as_str() {
        "s3" | "aws" => Some("s3"),
        "gcs" | "gs" | "google cloud storage" => Some("gs"),
        _ => None,
    };
    if text.starts_with(':') {
        return scheme_of(name);
    }
    if let Some(backend) = variable_value(env, &format!("RCLONE_CONFIG_{name}_TYPE")) {
        return scheme_of(&backend);
    }
    name.split(['-', '_']).find_map(scheme_of)
}

/// A copy between a local side and a remote one (`is_remote` tells them
/// apart): an upload of the local source, or a download into the local
/// destination.
fn transfer(
    inv: &Invocation<'_>,
    program: &str,
    source: &Arg,
    destination: &Arg,
    recursive: bool,
    is_remote: impl Fn(&str) -> bool,
    target: impl Fn(&str) -> Target,
) -> Outcome {
    let mut outcome = Outcome::default();
    if is_remote(&destination.text) {
        let mut payload = Payload::default();
        if is_remote(&source.text) {
            flow::push_text(&mut payload, &source.text);
        } else {
            send_local(inv, &mut payload, source, recursive);
        }
        outcome.effects.push(request(
            program,
            target(&destination.text),
            "UPLOAD",
            payload,
            false,
        ));
    } else if is_remote(&source.text) {
        outcome.effects.push(request(
            program,
            target(&source.text),
            "DOWNLOAD",
            Payload::default(),
            false,
        ));
        outcome.write(inv.path(&destination.text), false);
    }
    outcome
}

/// Sends a local file or tree (`-` is standard input).
fn send_local(inv: &Invocation<'_>, payload: &mut Payload, source: &Arg, recursive: bool) {
    if source.text == "-" {
        flow::merge(payload, inv.stdin);
        return;
    }
    flow::merge(payload, &source.expansions());
    send_file(inv, payload, &source.text, recursive);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rclone_remotes_are_told_from_local_paths() {
        assert!(is_rclone_remote("backup:"));
        assert!(is_rclone_remote("s3remote:bucket/dir"));
        assert!(is_rclone_remote(":s3:bucket"));
        assert!(!is_rclone_remote("./a:b"));
        assert!(!is_rclone_remote("/tmp/x:y"));
        assert!(!is_rclone_remote("C:\\data"));
        assert!(!is_rclone_remote("plain"));
    }

    #[test]
    fn bucket_stores_are_known_by_backend_type_or_name() {
        let typed = [("RCLONE_CONFIG_MY_VAULT_TYPE".to_owned(), Arg::literal("s3"))];
        assert_eq!(bucket_scheme(":s3:b/x", "s3", &[]), Some("s3"));
        assert_eq!(bucket_scheme(":gcs,x=y:b", "gcs,x=y", &[]), Some("gs"));
        assert_eq!(bucket_scheme(":sftp:b", "sftp", &[]), None);
        assert_eq!(bucket_scheme("my-vault:b", "my-vault", &typed), Some("s3"));
        assert_eq!(bucket_scheme("s3-prod:b", "s3-prod", &[]), Some("s3"));
        assert_eq!(bucket_scheme("nas:b", "nas", &[]), None);
        assert_eq!(
            bucket_scheme("gdrive-personal:b", "gdrive-personal", &[]),
            None
        );
        // The type the environment gives wins over the name.
        let drive = [("RCLONE_CONFIG_S3_TYPE".to_owned(), Arg::literal("drive"))];
        assert_eq!(bucket_scheme("s3:b", "s3", &drive), None);
    }

    #[test]
    fn connection_strings_name_their_account() {
        assert_eq!(
            connection_account("DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=x=="),
            Some("acme".to_owned())
        );
        assert_eq!(connection_account("UseDevelopmentStorage=true"), None);
    }
}
