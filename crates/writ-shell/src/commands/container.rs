//! Commands run in a container: `docker run IMAGE CMD...`, `docker exec
//! CONTAINER CMD...` (and podman, nerdctl), `docker compose exec|run
//! SERVICE CMD...`. The container's command is
//! analysed as a nested command. What it sends over the network is sent
//! from this machine's network as any command's is. Its file paths are the
//! container's: a path under a bind mount (`-v HOST:CTR`, `--mount
//! type=bind,source=HOST,target=CTR`) is the host path it maps to, and any
//! other path is inside the container, so it reads, writes and sends
//! nothing of the host's.

use super::{Invocation, Nested, Outcome};
use crate::args::{self, Arg, Spec};
use crate::{Effect, FileRef, Payload};

/// Options of `run`/`create`/`exec` that take a value.
const VALUE_OPTIONS: &[&str] = &[
    "attach",
    "cpu-shares",
    "env",
    "hostname",
    "label",
    "memory",
    "publish",
    "user",
    "volume",
    "workdir",
    "name",
    "network",
    "net",
    "entrypoint",
    "env-file",
    "mount",
    "platform",
    "pull",
    "restart",
    "log-driver",
    "log-opt",
    "add-host",
    "device",
    "dns",
    "expose",
    "gpus",
    "ipc",
    "pid",
    "runtime",
    "shm-size",
    "tmpfs",
    "ulimit",
    "cap-add",
    "cap-drop",
    "security-opt",
    "stop-signal",
    "stop-timeout",
    "cpus",
    "memory-swap",
    "label-file",
    "volumes-from",
    "cidfile",
    "detach-keys",
    "health-cmd",
    "isolation",
    "userns",
    "uts",
    "link",
    "group-add",
];

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    if let Some(outcome) = compose(inv) {
        return Some(outcome);
    }
    if !matches!(inv.program, "docker" | "podman" | "nerdctl") {
        return None;
    }
    let (verb, rest) = match inv.args {
        [container, verb, rest @ ..] if container.text == "container" => (verb, rest),
        [verb, rest @ ..] => (verb, rest),
        [] => return None,
    };
    let exec = match verb.text.as_str() {
        "run" => false,
        "exec" => true,
        _ => return None,
    };
    let items = args::parse(
        rest,
        &Spec {
            short: "acehlmpuvw",
            long: VALUE_OPTIONS,
            stop_after: Some(0),
        },
    );
    let mut words: Vec<Arg> = args::positionals(&items).into_iter().cloned().collect();
    if words.is_empty() {
        return Some(Outcome::default());
    }
    // The image (run) or the container (exec).
    let image = words.remove(0);
    if let Some(entrypoint) = args::value(&items, &["--entrypoint"]) {
        words.insert(0, entrypoint.clone());
    } else if let Some(program) = (!exec).then(|| entrypoint(&image.text)).flatten()
        && words.first().is_none_or(|w| w.text != program)
    {
        // A CLI's own image runs the CLI: its words are the CLI's
        // (`amazon/aws-cli s3 rb s3://b`).
        words.insert(0, image.with_text(program));
    } else if !exec && words.first().is_some_and(|w| w.text.starts_with('-')) {
        // Options first: the image's own entrypoint takes them, which a
        // single-tool image names (`curlimages/curl -s URL`).
        words.insert(0, image.with_text(image_program(&image.text)));
    }
    if words.is_empty() {
        return Some(Outcome::default());
    }
    let mut mounts: Vec<(String, String)> = Vec::new();
    if !exec {
        for volume in args::values(&items, &["-v", "--volume"]) {
            if let Some(mount) = volume_mount(inv, &volume.text) {
                mounts.push(mount);
            }
        }
        for mount in args::values(&items, &["--mount"]) {
            if let Some(mount) = bind_mount(inv, &mount.text) {
                mounts.push(mount);
            }
        }
    }
    let workdir = args::value(&items, &["-w", "--workdir"])
        .map_or_else(|| "/".to_owned(), |w| crate::paths::normalize(&w.text));
    let mut outcome = Outcome::default();
    outcome.nested.push(Nested::Container {
        argv: words,
        workdir,
        mounts,
    });
    Some(outcome)
}

/// Compose's options before its subcommand that take a value.
const COMPOSE_GLOBAL_VALUES: &[&str] = &[
    "-f",
    "--file",
    "-p",
    "--project-name",
    "--profile",
    "--env-file",
    "--project-directory",
    "--ansi",
    "--progress",
    "--parallel",
];

/// `docker compose [OPTIONS] exec [OPTIONS] SERVICE CMD...` and `... run
/// [OPTIONS] SERVICE [CMD...]` (and `docker-compose`, `podman compose`,
/// `podman-compose`, `nerdctl compose`): CMD runs in the service's
/// container, as `docker exec` and `docker run` run theirs; `run`'s own
/// `-v` bind mounts are its host paths (the compose file's are not read).
/// Without CMD the service runs its own command, which the line does not
/// say. Other subcommands are not commands run in a container: `None`.
fn compose(inv: &Invocation<'_>) -> Option<Outcome> {
    let mut rest = match inv.program {
        "docker-compose" | "podman-compose" => inv.args,
        "docker" | "podman" | "nerdctl" => match inv.args.split_first() {
            Some((first, rest)) if first.text == "compose" => rest,
            _ => return None,
        },
        _ => return None,
    };
    let verb = loop {
        let (first, after) = rest.split_first()?;
        let text = first.text.as_str();
        if !text.starts_with('-') {
            rest = after;
            break text;
        }
        rest = if COMPOSE_GLOBAL_VALUES.contains(&text) {
            after.get(1..).unwrap_or_default()
        } else {
            after
        };
    };
    let exec = match verb {
        "exec" => true,
        "run" => false,
        _ => return None,
    };
    let items = args::parse(
        rest,
        &Spec {
            short: "eluvwp",
            long: &[
                "env",
                "env-from-file",
                "index",
                "user",
                "workdir",
                "entrypoint",
                "label",
                "name",
                "publish",
                "pull",
                "volume",
                "cap-add",
                "cap-drop",
            ],
            stop_after: Some(0),
        },
    );
    let mut words: Vec<Arg> = args::positionals(&items)
        .into_iter()
        .skip(1)
        .cloned()
        .collect();
    if let Some(entrypoint) = args::value(&items, &["--entrypoint"]) {
        words.insert(0, entrypoint.clone());
    }
    let mut outcome = Outcome::default();
    if words.is_empty() {
        return Some(outcome);
    }
    let mounts = if exec {
        Vec::new()
    } else {
        args::values(&items, &["-v", "--volume"])
            .into_iter()
            .filter_map(|volume| volume_mount(inv, &volume.text))
            .collect()
    };
    let workdir = args::value(&items, &["-w", "--workdir"])
        .map_or_else(|| "/".to_owned(), |w| crate::paths::normalize(&w.text));
    outcome.nested.push(Nested::Container {
        argv: words,
        workdir,
        mounts,
    });
    Some(outcome)
}

/// `-v HOST:CTR[:opts]`: a bind mount when `HOST` is a path (a name is a
/// named volume, which holds nothing of the host's files).
fn volume_mount(inv: &Invocation<'_>, text: &str) -> Option<(String, String)> {
    let mut parts = text.splitn(3, ':');
    let host = parts.next()?;
    let target = parts.next()?;
    host_path(inv, host).map(|host| (host, crate::paths::normalize(target)))
}

/// `--mount type=bind,source=HOST,target=CTR`.
fn bind_mount(inv: &Invocation<'_>, text: &str) -> Option<(String, String)> {
    let mut kind = "volume";
    let (mut source, mut target) = (None, None);
    for pair in text.split(',') {
        match pair.split_once('=') {
            Some(("type", v)) => kind = v,
            Some(("source" | "src", v)) => source = Some(v),
            Some(("target" | "dst" | "destination", v)) => target = Some(v),
            _ => {}
        }
    }
    if kind != "bind" {
        return None;
    }
    Some((host_path(inv, source?)?, crate::paths::normalize(target?)))
}

/// Well-known images whose entrypoint is a CLI, by repository (registry,
/// tag and digest dropped): the arguments after the image are that CLI's.
const CLI_IMAGES: &[(&str, &str)] = &[
    ("amazon/aws-cli", "aws"),
    ("aws-cli/aws-cli", "aws"),
    ("alpine/helm", "helm"),
    ("bitnami/kubectl", "kubectl"),
    ("rancher/kubectl", "kubectl"),
    ("hashicorp/terraform", "terraform"),
    ("hashicorp/packer", "packer"),
    ("curlimages/curl", "curl"),
    ("alpine/curl", "curl"),
    ("alpine/git", "git"),
    ("rclone/rclone", "rclone"),
    ("minio/mc", "mc"),
    ("stripe/stripe-cli", "stripe"),
    ("mikefarah/yq", "yq"),
    ("stedolan/jq", "jq"),
    ("google/cloud-sdk", ""),
    ("opentofu/opentofu", "tofu"),
    ("fluxcd/flux-cli", "flux"),
    ("argoproj/argocd", ""),
];

/// The CLI a well-known image runs ([`CLI_IMAGES`]); `None` for any other
/// image, or one (such as `google/cloud-sdk`) whose command is given.
fn entrypoint(image: &str) -> Option<&'static str> {
    let name = image.split('@').next().unwrap_or(image);
    let mut segments: Vec<&str> = name.split('/').collect();
    // A registry is the first segment when it has a `.` or `:` or is localhost.
    if segments.len() > 1
        && segments
            .first()
            .is_some_and(|s| s.contains(['.', ':']) || *s == "localhost")
    {
        segments.remove(0);
    }
    let last = segments.pop()?;
    let last = last.split(':').next().unwrap_or(last);
    segments.push(last);
    let repository = segments.join("/");
    let repository = repository.strip_prefix("library/").unwrap_or(&repository);
    CLI_IMAGES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(repository))
        .map(|(_, program)| *program)
        .filter(|program| !program.is_empty())
}

/// The program a single-tool image runs: its name without registry,
/// namespace, tag or digest (`docker.io/curlimages/curl:8.5` -> `curl`).
fn image_program(image: &str) -> &str {
    let name = image.split('@').next().unwrap_or(image);
    let name = name.rsplit('/').next().unwrap_or(name);
    name.split(':').next().unwrap_or(name)
}

/// A mount's host side as an absolute path; `None` for a volume name.
fn host_path(inv: &Invocation<'_>, text: &str) -> Option<String> {
    for pwd in ["$(pwd)", "`pwd`", "${PWD}", "$PWD"] {
        if let Some(rest) = text.strip_prefix(pwd) {
            return Some(inv.path(&format!(".{rest}")));
        }
    }
    for home in ["${HOME}", "$HOME"] {
        if let Some(rest) = text.strip_prefix(home) {
            return Some(inv.path(&format!("~{rest}")));
        }
    }
    let is_path = text.starts_with('/') || text.starts_with('.') || text.starts_with('~');
    is_path.then(|| inv.path(text))
}

/// The host path a container path is, through the mounts (the innermost
/// mount that holds it); `None` inside the container.
fn host_side(path: &str, mounts: &[(String, String)]) -> Option<String> {
    mounts
        .iter()
        .filter(|(_, target)| crate::paths::is_within(path, target))
        .max_by_key(|(_, target)| target.len())
        .map(|(host, target)| {
            let rest = path
                .get(target.trim_end_matches('/').len()..)
                .unwrap_or_default();
            format!("{}{rest}", host.trim_end_matches('/'))
        })
}

/// An effect of a command run in a container, as the host sees it: file
/// effects on a bind mount become the host paths, those elsewhere in the
/// container are dropped; what a request sends keeps only the host's files
/// (through the mounts, or `piped` in from the host).
pub(crate) fn to_host(
    effect: Effect,
    mounts: &[(String, String)],
    piped: &[FileRef],
) -> Option<Effect> {
    Some(match effect {
        Effect::Read { file } => Effect::Read {
            file: FileRef {
                path: host_side(&file.path, mounts)?,
                recursive: file.recursive,
            },
        },
        Effect::Write { path, append } => Effect::Write {
            path: host_side(&path, mounts)?,
            append,
        },
        Effect::Delete { path, recursive } => Effect::Delete {
            path: host_side(&path, mounts)?,
            recursive,
        },
        Effect::DeleteNamed { root, names } => Effect::DeleteNamed {
            root: host_side(&root, mounts)?,
            names,
        },
        Effect::Request(mut request) => {
            request.payload = host_payload(request.payload, mounts, piped);
            Effect::Request(request)
        }
        other => other,
    })
}

/// A payload from inside a container with its files as host paths (files
/// outside the mounts are the container's own, not the host's, unless the
/// host `piped` them in).
pub(crate) fn host_payload(
    mut payload: Payload,
    mounts: &[(String, String)],
    piped: &[FileRef],
) -> Payload {
    payload.files = payload
        .files
        .into_iter()
        .filter_map(|file| {
            if piped.contains(&file) {
                return Some(file);
            }
            Some(FileRef {
                path: host_side(&file.path, mounts)?,
                recursive: file.recursive,
            })
        })
        .collect();
    payload
}
