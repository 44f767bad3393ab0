//! Personal-cloud and sync CLIs, whose commands are uploads, downloads,
//! deletes and shares at their vendor's host: Dropbox's `dbxcli`
//! (content.dropboxapi.com, api.dropboxapi.com), MEGAcmd's `mega-*`
//! commands (mega.nz), `gdrive` (Google Drive's API at www.googleapis.com:
//! v3's `files` and `permissions`, v2's flat commands), the OneDrive
//! client `onedrive` (Microsoft Graph: a sync sends the sync directory),
//! and `unison`, which syncs two roots both ways (a root on another host,
//! `ssh://` or `socket://`, receives the local root's files).
//!
//! They report what the storage CLIs do (`aws s3 cp`, `rclone copy`): an
//! upload is an `UPLOAD` request carrying the local files, a download a
//! `DOWNLOAD` and a write of the local destination, a change at the store
//! (a move, a new folder) a request that sends what it names, a delete a
//! [`Effect::RemoteDelete`], a link anyone may open an
//! [`Effect::MakePublic`], a share with a person an
//! [`Effect::GrantAccess`].

use super::{Invocation, Outcome, request, send_file, url};
use crate::args::{self, Arg, OptionsEnd, Spec};
use crate::{Effect, Payload, Resource, Target, flow, paths};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "dbxcli" => dbxcli(inv),
        "gdrive" => gdrive(inv),
        "onedrive" => onedrive(inv),
        "unison" | "unison-text" | "unison-gtk" => unison(inv),
        // `mega-exec put ...` runs MEGAcmd's `put` as `mega-put` does.
        "mega-exec" => {
            let (command, args) = inv.args.split_first()?;
            mega(&inv.with_args(args), &command.text)
        }
        program => mega(inv, program.strip_prefix("mega-")?),
    }
}

/// What sending `source` carries: the file or tree it names (`-` is
/// standard input) and what its expansions carry.
fn local(inv: &Invocation<'_>, source: &Arg) -> Payload {
    sent_source(inv, source, true)
}

/// What sending `source` carries: the file it names (the tree below it
/// too when `recursive`; `-` is standard input) and what its expansions
/// carry.
pub(super) fn sent_source(inv: &Invocation<'_>, source: &Arg, recursive: bool) -> Payload {
    let mut payload = Payload::default();
    if source.text == "-" {
        flow::merge(&mut payload, inv.stdin);
        return payload;
    }
    flow::merge(&mut payload, &source.expansions());
    send_file(inv, &mut payload, &source.text, recursive);
    payload
}

/// A payload of text only: the name of what a change at the store acts on.
fn naming(text: &str) -> Payload {
    let mut payload = Payload::default();
    flow::push_text(&mut payload, text);
    payload
}

/// A path on a vendor's store, reached at `host`.
fn at(host: &str, path: Option<&str>) -> Target {
    Target::Host {
        user: None,
        host: host.to_owned(),
        port: None,
        path: path.map(str::to_owned),
    }
}

/// The thing a share or link names, as written.
fn named(name: &str) -> Resource {
    Resource::Other {
        name: name.to_owned(),
    }
}

/// Dropbox's content host (uploads and downloads) and API host (the rest).
const DROPBOX_CONTENT: &str = "content.dropboxapi.com";
const DROPBOX_API: &str = "api.dropboxapi.com";

/// `dbxcli put [-r] SRC [DST]` uploads (to `/NAME` without DST), `get SRC
/// [DST]` downloads, `rm [-f|-r] PATH...` deletes, `cp|mv SRC DST` and
/// `mkdir|restore` change the Dropbox, `share getlink PATH` makes a link
/// anyone may open, `team add-member|remove-member EMAIL` changes who is
/// in the team. Listings and account commands send nothing.
fn dbxcli(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "wc",
            long: &["as-member", "domain", "workers", "chunksize", "token"],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let (command, operands) = positional.split_first()?;
    let mut outcome = Outcome::default();
    match (command.text.as_str(), operands) {
        ("put", [source, rest @ ..]) => {
            let destination = rest.first().map_or_else(
                || format!("/{}", paths::basename(&source.text)),
                |d| d.text.clone(),
            );
            outcome.effects.push(request(
                "dbxcli",
                at(DROPBOX_CONTENT, Some(&destination)),
                "UPLOAD",
                local(inv, source),
                false,
            ));
        }
        ("get", [source, rest @ ..]) => {
            outcome.effects.push(request(
                "dbxcli",
                at(DROPBOX_CONTENT, Some(&source.text)),
                "DOWNLOAD",
                Payload::default(),
                false,
            ));
            let destination = rest
                .first()
                .map_or_else(|| paths::basename(&source.text), |d| d.text.as_str());
            if destination != "-" {
                outcome.write(inv.path(destination), false);
            }
        }
        ("rm" | "rmdir", paths) => {
            let recursive = args::has(&items, &["-r", "--recursive", "-f", "--force"]);
            for path in paths {
                outcome.effects.push(Effect::RemoteDelete {
                    target: at(DROPBOX_API, Some(&path.text)),
                    recursive,
                });
            }
        }
        ("cp" | "mv", [source, destination, ..]) => {
            outcome.effects.push(request(
                "dbxcli",
                at(DROPBOX_API, Some(&destination.text)),
                "UPLOAD",
                naming(&source.text),
                false,
            ));
        }
        ("mkdir" | "restore", [path, ..]) => {
            outcome.effects.push(request(
                "dbxcli",
                at(DROPBOX_API, Some(&path.text)),
                "POST",
                Payload::default(),
                false,
            ));
        }
        ("share", [verb, path, ..]) if verb.text != "list" => {
            outcome.effects.push(Effect::MakePublic {
                resource: named(&path.text),
            });
        }
        ("team", [verb, email, ..])
            if matches!(verb.text.as_str(), "add-member" | "remove-member") =>
        {
            outcome.effects.push(Effect::GrantAccess {
                resource: named("dropbox team"),
                grantee: Some(email.text.clone()),
            });
        }
        (
            "ls" | "search" | "du" | "revs" | "account" | "version" | "login" | "logout" | "info"
            | "share" | "team" | "help" | "completion",
            _,
        ) => {}
        _ => return None,
    }
    Some(outcome)
}

/// MEGA's host, whose cloud drive MEGAcmd's paths (`/Root/x`) are in.
const MEGA: &str = "mega.nz";

/// MEGAcmd's `mega-COMMAND` (options as `-x` and `--name=value`): `put
/// LOCAL... [REMOTE]` uploads, `get REMOTE|LINK [LOCAL]` downloads, `rm
/// [-r] REMOTE...` deletes, `cp|mv` and `mkdir` change the drive, `sync
/// LOCAL REMOTE` keeps both alike (an upload and a download), `backup
/// LOCAL REMOTE` uploads, `export -a PATH` makes a link anyone may open
/// (one with `--password=` admits whoever has the password), `export -d`
/// removes it, `share -a|-d --with=EMAIL PATH` changes EMAIL's access.
fn mega(inv: &Invocation<'_>, command: &str) -> Option<Outcome> {
    let items = args::parse(inv.args, &Spec::default());
    let operands = args::positionals(&items);
    let mut outcome = Outcome::default();
    let remote = |text: &str| {
        if text.contains("://") {
            url(text)
        } else {
            at(MEGA, Some(text))
        }
    };
    match (command, operands.as_slice()) {
        ("put", [sources @ .., destination]) => {
            // One operand is a local file for the drive's current folder.
            let (sources, destination) = if sources.is_empty() {
                (&operands[..], None)
            } else {
                (sources, Some(destination.text.as_str()))
            };
            let mut payload = Payload::default();
            for source in sources {
                flow::merge(&mut payload, &local(inv, source));
            }
            outcome.effects.push(request(
                "mega-put",
                at(MEGA, destination),
                "UPLOAD",
                payload,
                false,
            ));
        }
        ("get", [source, rest @ ..]) => {
            outcome.effects.push(request(
                "mega-get",
                remote(&source.text),
                "DOWNLOAD",
                Payload::default(),
                false,
            ));
            // A link's file name is not on the line.
            let destination = rest
                .first()
                .map(|d| d.text.as_str())
                .or_else(|| (!source.text.contains("://")).then(|| paths::basename(&source.text)));
            if let Some(destination) = destination {
                outcome.write(inv.path(destination), false);
            }
        }
        ("rm", paths) => {
            let recursive = args::has(&items, &["-r"]);
            for path in paths {
                outcome.effects.push(Effect::RemoteDelete {
                    target: remote(&path.text),
                    recursive,
                });
            }
        }
        ("cp" | "mv", [sources @ .., destination]) if !sources.is_empty() => {
            let mut payload = Payload::default();
            for source in sources {
                flow::push_text(&mut payload, &source.text);
            }
            outcome.effects.push(request(
                inv.program,
                remote(&destination.text),
                "UPLOAD",
                payload,
                false,
            ));
        }
        ("mkdir" | "import", [.., path]) => {
            outcome.effects.push(request(
                inv.program,
                remote(&path.text),
                "POST",
                Payload::default(),
                false,
            ));
        }
        ("sync" | "backup", [source, destination]) => {
            outcome.effects.push(request(
                inv.program,
                remote(&destination.text),
                "UPLOAD",
                local(inv, source),
                false,
            ));
            if command == "sync" {
                outcome.effects.push(request(
                    inv.program,
                    remote(&destination.text),
                    "DOWNLOAD",
                    Payload::default(),
                    false,
                ));
                outcome.write(inv.path(&source.text), false);
            }
        }
        ("export", paths) => {
            let password = args::value(&items, &["--password"]).is_some();
            for path in paths {
                let resource = named(&path.text);
                if args::has(&items, &["-a"]) && !password {
                    outcome.effects.push(Effect::MakePublic { resource });
                } else if args::has(&items, &["-a", "-d"]) {
                    outcome.effects.push(Effect::GrantAccess {
                        resource,
                        grantee: Some("anyone with the link".to_owned()),
                    });
                }
            }
        }
        ("share", paths) if args::has(&items, &["-a", "-d"]) => {
            let grantee = args::value(&items, &["--with"]).map(|w| w.text.clone());
            for path in paths {
                outcome.effects.push(Effect::GrantAccess {
                    resource: named(&path.text),
                    grantee: grantee.clone(),
                });
            }
        }
        (
            "ls" | "cd" | "pwd" | "du" | "find" | "tree" | "whoami" | "login" | "logout"
            | "version" | "help" | "sync" | "backup" | "share" | "df" | "lcd" | "lpwd" | "session"
            | "transfers" | "cat" | "attr" | "userattr" | "users" | "showpcr" | "history"
            | "reload" | "signup" | "confirm" | "passwd" | "killsession" | "deleteversions"
            | "debug" | "log" | "speedlimit" | "thumbnail" | "preview" | "mediainfo" | "exclude"
            | "mount" | "proxy" | "errorcode" | "quit" | "exit",
            _,
        ) => {}
        _ => return None,
    }
    Some(outcome)
}

/// Google Drive's API: file operations and the uploads' endpoint.
const DRIVE_FILES: &str = "https://www.googleapis.com/drive/v3/files";
const DRIVE_UPLOADS: &str = "https://www.googleapis.com/upload/drive/v3/files";

/// Options of gdrive (v3's and v2's) that take a value.
const GDRIVE_LONG: &[&str] = &[
    "parent",
    "mime",
    "name",
    "description",
    "chunksize",
    "chunk-size",
    "timeout",
    "role",
    "type",
    "email",
    "domain",
    "destination",
    "path",
    "query",
    "order",
    "order-by",
    "max",
    "config",
    "refresh-token",
    "access-token",
    "service-account",
    "id",
];

/// `gdrive` v3 (`files upload|update|import PATH`, `files download ID
/// [--destination D]`, `files export ID PATH`, `files delete|trash ID`,
/// `files mkdir|rename|move|copy`, `permissions share|revoke ID`) and v2
/// (`upload [--share] [--delete] PATH`, `download [--path D] ID`, `update
/// ID PATH`, `delete ID`, `share ID`, `sync upload LOCAL ID`, `sync
/// download ID LOCAL`, ...). A share's type is `anyone` unless `--type`
/// says otherwise: a link anyone may open.
fn gdrive(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "pcmq",
            long: GDRIVE_LONG,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let words: Vec<&str> = positional.iter().map(|a| a.text.as_str()).collect();
    let value = |names: &[&str]| args::value(&items, names).map(|a| a.text.as_str());
    let recursive = args::has(&items, &["-r", "--recursive"]);
    let file = |id: &str| url(&format!("{DRIVE_FILES}/{id}"));
    let mut outcome = Outcome::default();
    let upload = |outcome: &mut Outcome, target: Target, source: &Arg, public: bool| {
        outcome.effects.push(request(
            "gdrive",
            target,
            "UPLOAD",
            local(inv, source),
            public,
        ));
    };
    let download = |outcome: &mut Outcome, id: &str, destination: Option<&str>| {
        outcome.effects.push(request(
            "gdrive",
            file(id),
            "DOWNLOAD",
            Payload::default(),
            false,
        ));
        if let Some(destination) = destination.filter(|d| *d != "-") {
            outcome.write(inv.path(destination), false);
        }
    };
    // v3 nests its commands under `files` and `permissions`; v2's are flat.
    let (command, at) = match words.as_slice() {
        ["files" | "permissions", verb, ..] => (*verb, 2),
        [verb, ..] => (*verb, 1),
        [] => return None,
    };
    let operand = |i: usize| positional.get(at + i).copied();
    let v3 = at == 2;
    match (words.first().copied(), command) {
        (Some("permissions"), "share") | (Some("share"), "share") => {
            // v2's `share list|revoke ID` read or take away.
            match operand(0).map(|a| a.text.as_str()) {
                Some("list") if !v3 => {}
                Some("revoke") if !v3 => outcome.effects.push(Effect::GrantAccess {
                    resource: named(operand(1).map_or("", |a| a.text.as_str())),
                    grantee: None,
                }),
                Some(id) => outcome.effects.push(drive_share(
                    id,
                    value(&["--type"]),
                    value(&["--email", "--domain"]),
                )),
                None => {}
            }
        }
        (Some("permissions"), "revoke") => {
            if let Some(id) = operand(0) {
                outcome.effects.push(Effect::GrantAccess {
                    resource: named(&id.text),
                    grantee: None,
                });
            }
        }
        (_, "upload" | "import") => {
            let Some(source) = operand(0) else {
                return Some(outcome);
            };
            // v2's `--share` shares the upload with anyone.
            let share = !v3 && args::has(&items, &["--share"]);
            upload(&mut outcome, url(DRIVE_UPLOADS), source, share);
            if share {
                outcome.effects.push(Effect::MakePublic {
                    resource: named(value(&["--name"]).unwrap_or(paths::basename(&source.text))),
                });
            }
            if !v3 && args::has(&items, &["--delete"]) && source.text != "-" {
                outcome.delete(inv.path(&source.text), recursive);
            }
        }
        (_, "update") => {
            if let (Some(id), Some(source)) = (operand(0), operand(1)) {
                upload(
                    &mut outcome,
                    url(&format!("{DRIVE_UPLOADS}/{}", id.text)),
                    source,
                    false,
                );
            }
        }
        (_, "download") => {
            if let Some(id) = operand(0).filter(|id| id.text != "query") {
                download(&mut outcome, &id.text, value(&["--destination", "--path"]));
                if !v3 && args::has(&items, &["--delete"]) {
                    outcome.effects.push(Effect::RemoteDelete {
                        target: file(&id.text),
                        recursive,
                    });
                }
            }
        }
        (_, "export") => {
            if let Some(id) = operand(0) {
                download(&mut outcome, &id.text, operand(1).map(|p| p.text.as_str()));
            }
        }
        (_, "delete" | "trash") => {
            if let Some(id) = operand(0) {
                outcome.effects.push(Effect::RemoteDelete {
                    target: file(&id.text),
                    recursive,
                });
            }
        }
        (_, "mkdir" | "rename" | "move" | "copy" | "untrash") => {
            let target = match command {
                "mkdir" => url(DRIVE_FILES),
                _ => file(operand(0).map_or("", |a| a.text.as_str())),
            };
            outcome
                .effects
                .push(request("gdrive", target, "POST", Payload::default(), false));
        }
        // v2's `sync upload LOCAL ID` and `sync download ID LOCAL`.
        (Some("sync"), "sync") => match (operand(0), operand(1), operand(2)) {
            (Some(verb), Some(source), Some(id)) if verb.text == "upload" => {
                upload(&mut outcome, file(&id.text), source, false);
            }
            (Some(verb), Some(id), Some(destination)) if verb.text == "download" => {
                download(&mut outcome, &id.text, Some(&destination.text));
            }
            _ => {}
        },
        (_, "revision") => match (operand(0), operand(1)) {
            (Some(verb), Some(id)) if verb.text == "download" => {
                download(&mut outcome, &id.text, value(&["--path"]));
            }
            (Some(verb), Some(id)) if verb.text == "delete" => {
                outcome.effects.push(Effect::RemoteDelete {
                    target: file(&id.text),
                    recursive: false,
                });
            }
            _ => {}
        },
        (
            _,
            "list" | "info" | "about" | "changes" | "version" | "help" | "account" | "drives"
            | "generate-ids" | "permissions" | "files",
        ) => {}
        _ => return None,
    }
    Some(outcome)
}

/// A Drive share of file `id` with `kind` of grantee (`anyone` when not
/// given: gdrive's default) named `grantee`: a link anyone may open, or
/// access for the person, group or domain.
fn drive_share(id: &str, kind: Option<&str>, grantee: Option<&str>) -> Effect {
    let resource = named(id);
    match kind.unwrap_or("anyone") {
        kind if kind.eq_ignore_ascii_case("anyone") => Effect::MakePublic { resource },
        kind => Effect::GrantAccess {
            resource,
            grantee: Some(grantee.unwrap_or(kind).to_owned()),
        },
    }
}

/// Microsoft Graph's OneDrive root, below which a path is `root:/PATH`.
const ONEDRIVE_ROOT: &str = "https://graph.microsoft.com/v1.0/me/drive/root";

/// Options of the OneDrive client (abraunegg's) that take a value.
const ONEDRIVE_LONG: &[&str] = &[
    "confdir",
    "syncdir",
    "single-directory",
    "source-directory",
    "destination-directory",
    "create-directory",
    "remove-directory",
    "create-share-link",
    "get-file-link",
    "get-sharepoint-drive-id",
    "get-O365-drive-id",
    "modified-by",
    "auth-files",
    "auth-response",
    "skip-file",
    "skip-dir",
    "skip-size",
    "classify-as-big-delete",
    "log-dir",
    "monitor-interval",
    "monitor-log-frequency",
    "monitor-fullscan-frequency",
    "space-reservation",
    "share-password",
    "file-fragment-size",
    "threads",
];

/// `onedrive --sync` (`-s`, the older `--synchronize`) or `--monitor`
/// (`-m`): the sync directory (`--syncdir`, else `~/OneDrive`), or its
/// `--single-directory D`, goes to OneDrive (not with `--download-only`)
/// and OneDrive's copy comes back into it (not with `--upload-only`;
/// `--remove-source-files` then deletes what was sent). A `--dry-run`
/// changes nothing. `--create-share-link PATH` makes a link anyone may
/// open; `--remove-directory`, `--create-directory` and a move
/// (`--source-directory` to `--destination-directory`) change the drive.
fn onedrive(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "",
            long: ONEDRIVE_LONG,
            stop_after: None,
        },
    );
    let value = |names: &[&str]| args::value(&items, names).map(|a| a.text.as_str());
    let item = |path: &str| {
        url(&format!(
            "{ONEDRIVE_ROOT}:/{}",
            path.trim_start_matches('/')
        ))
    };
    let mut outcome = Outcome::default();
    if args::has(&items, &["--dry-run"]) {
        return Some(outcome);
    }
    if let Some(path) = value(&["--create-share-link"]) {
        outcome.effects.push(Effect::MakePublic {
            resource: named(path),
        });
    }
    if let Some(path) = value(&["--remove-directory"]) {
        outcome.effects.push(Effect::RemoteDelete {
            target: item(path),
            recursive: true,
        });
    }
    for path in [
        value(&["--create-directory"]),
        value(&["--destination-directory"]).filter(|_| value(&["--source-directory"]).is_some()),
    ]
    .into_iter()
    .flatten()
    {
        outcome.effects.push(request(
            "onedrive",
            item(path),
            "POST",
            Payload::default(),
            false,
        ));
    }
    let syncs = args::has(
        &items,
        &["--sync", "-s", "--synchronize", "--monitor", "-m"],
    );
    if !syncs {
        // Another program of the name (`onedrive ls`) is not this one.
        let other = outcome.effects.is_empty() && !args::positionals(&items).is_empty();
        return (!other).then_some(outcome);
    }
    let root = value(&["--syncdir"]).map_or_else(
        || paths::resolve(inv.home, inv.home, "OneDrive"),
        |dir| inv.path(dir),
    );
    let single = value(&["--single-directory"]).map(|d| d.trim_matches('/'));
    let directory = single.map_or_else(|| root.clone(), |d| format!("{root}/{d}"));
    let remote = item(single.unwrap_or_default());
    if !args::has(&items, &["--download-only"]) {
        let mut payload = Payload::default();
        send_file(inv, &mut payload, &directory, true);
        outcome.effects.push(request(
            "onedrive",
            remote.clone(),
            "UPLOAD",
            payload,
            false,
        ));
        if args::has(&items, &["--upload-only"]) && args::has(&items, &["--remove-source-files"]) {
            outcome.delete(directory.clone(), true);
        }
    }
    if !args::has(&items, &["--upload-only"]) {
        outcome.effects.push(request(
            "onedrive",
            remote,
            "DOWNLOAD",
            Payload::default(),
            false,
        ));
        outcome.write(directory, false);
    }
    Some(outcome)
}

/// unison's preferences that take a value (`-name value` or
/// `-name=value`); the others are switches (`-batch`, `-auto`).
const UNISON_VALUES: &[&str] = &[
    "root",
    "path",
    "ignore",
    "ignorenot",
    "ignorecase",
    "logfile",
    "servercmd",
    "sshargs",
    "sshcmd",
    "rshcmd",
    "rshargs",
    "force",
    "forcepartial",
    "prefer",
    "preferpartial",
    "backup",
    "backupnot",
    "backupdir",
    "backuploc",
    "backupprefix",
    "backupsuffix",
    "maxbackups",
    "ui",
    "port",
    "label",
    "repeat",
    "retry",
    "perms",
    "maxthreads",
    "copythreshold",
    "copyprog",
    "copyprogrest",
    "copyquoterem",
    "merge",
    "nodeletion",
    "nodeletionpartial",
    "noupdate",
    "noupdatepartial",
    "nocreation",
    "nocreationpartial",
    "fastcheck",
    "key",
    "links",
    "rootalias",
    "sortfirst",
    "sortlast",
    "height",
    "diff",
    "clientHostName",
    "follow",
    "immutable",
    "immutablenot",
    "include",
    "source",
    "maxsizethreshold",
    "debug",
    "addprefsto",
    "socket",
    "listen",
    "host",
    "atomic",
    "maxerrors",
    "mountpoint",
    "watch",
];

/// A unison root on another host: `ssh://[user@]host[:port]/path` (`//`
/// before an absolute path), `rsh://...`, `socket://host:port/path`.
fn unison_remote(root: &str) -> Option<Target> {
    let (scheme, rest) = root.split_once("://")?;
    if !matches!(scheme, "ssh" | "rsh" | "socket") {
        return None;
    }
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let (user, host) = match authority.rsplit_once('@') {
        Some((user, host)) => (Some(user.to_owned()), host),
        None => (None, authority),
    };
    let (host, port) = match host.rsplit_once(':') {
        Some((host, port)) if port.parse::<u16>().is_ok() => (host, port.parse().ok()),
        _ => (host, None),
    };
    (!host.is_empty()).then(|| Target::Host {
        user,
        host: host.to_owned(),
        port,
        path: (!path.is_empty()).then(|| path.to_owned()),
    })
}

/// `unison [OPTIONS] ROOT1 ROOT2` (or `-root R` twice, or a profile then
/// the roots): the two roots are made alike, both ways. A local root's
/// files (those below each `-path P`, if any) go to a root on another
/// host and that root's come back into it, except where `-force ROOT`
/// says only ROOT's changes count or `-noupdate ROOT` leaves ROOT as it
/// is. Two local roots write each other; a profile alone names roots the
/// line does not show.
fn unison(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::long_options(inv.args, UNISON_VALUES, OptionsEnd::DoubleDash, "-");
    let value = |name: &str| args::value(&items, &[name]).map(|a| a.text.as_str());
    let positional = args::positionals(&items);
    let mut roots: Vec<&str> = args::values(&items, &["-root"])
        .into_iter()
        .map(|a| a.text.as_str())
        .collect();
    if let [.., first, second] = positional.as_slice()
        && roots.len() < 2
    {
        roots = vec![first.text.as_str(), second.text.as_str()];
    }
    let mut outcome = Outcome::default();
    if roots.len() != 2 || args::has(&items, &["-testserver", "-version", "-doc"]) {
        return Some(outcome);
    }
    let only: Vec<&str> = args::values(&items, &["-path"])
        .into_iter()
        .map(|a| a.text.as_str())
        .collect();
    // The local directories a root covers: itself, or its `-path`s.
    let covered = |root: &str| -> Vec<String> {
        let dir = inv.path(root.strip_prefix("file://").unwrap_or(root));
        if only.is_empty() {
            vec![dir]
        } else {
            only.iter()
                .map(|p| format!("{dir}/{}", p.trim_matches('/')))
                .collect()
        }
    };
    let forced = value("-force");
    let kept = value("-noupdate");
    let updated = |root: &str| forced.is_none_or(|f| f != root) && kept != Some(root);
    let sends = |root: &str| forced.is_none_or(|f| f == root);
    let remote: Vec<(&str, Target)> = roots
        .iter()
        .filter_map(|r| Some((*r, unison_remote(r)?)))
        .collect();
    let locals: Vec<&str> = roots
        .iter()
        .copied()
        .filter(|r| unison_remote(r).is_none())
        .collect();
    for local_root in &locals {
        for (remote_root, target) in &remote {
            if sends(local_root) && updated(remote_root) {
                let mut payload = Payload::default();
                for dir in covered(local_root) {
                    send_file(inv, &mut payload, &dir, true);
                }
                outcome
                    .effects
                    .push(request("unison", target.clone(), "UPLOAD", payload, false));
            }
            if sends(remote_root) && updated(local_root) {
                outcome.effects.push(request(
                    "unison",
                    target.clone(),
                    "DOWNLOAD",
                    Payload::default(),
                    false,
                ));
                for dir in covered(local_root) {
                    outcome.write(dir, false);
                }
            }
        }
        if remote.is_empty() && updated(local_root) {
            for dir in covered(local_root) {
                outcome.write(dir, false);
            }
        }
    }
    Some(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unison_roots_on_other_hosts() {
        assert_eq!(
            unison_remote("ssh://mira@tank.example.net//srv/sync"),
            Some(Target::Host {
                user: Some("mira".to_owned()),
                host: "tank.example.net".to_owned(),
                port: None,
                path: Some("/srv/sync".to_owned()),
            })
        );
        assert_eq!(
            unison_remote("socket://sync.example.net:5000/data"),
            Some(Target::Host {
                user: None,
                host: "sync.example.net".to_owned(),
                port: Some(5000),
                path: Some("data".to_owned()),
            })
        );
        assert_eq!(unison_remote("docs"), None);
        assert_eq!(unison_remote("file:///home/x"), None);
    }

    #[test]
    fn drive_shares_are_with_anyone_unless_typed() {
        assert!(matches!(
            drive_share("F1", None, None),
            Effect::MakePublic { .. }
        ));
        assert!(matches!(
            drive_share("F1", Some("user"), Some("a@x.com")),
            Effect::GrantAccess { grantee: Some(g), .. } if g == "a@x.com"
        ));
    }
}
