//! LXD and Incus (`lxc`, `incus`: one command line).
//!
//! - An image made public: `image edit IMAGE` fed a document whose
//!   top-level `public:` is true (piped or redirected in, or a file an
//!   earlier step wrote: [`written_image_documents`]), `publish INSTANCE
//!   --public`, `image import|copy ... --public` ([`Effect::MakePublic`]).
//! - Who may reach the server: `config trust add` and setting
//!   `core.trust_password` ([`Effect::GrantAccess`]).
//! - `file push LOCAL... [REMOTE:]INSTANCE/PATH` reads the local files,
//!   `file pull` writes the local one, and `exec [REMOTE:]INSTANCE -- CMD`
//!   runs CMD in the instance ([`Nested::Container`]). An instance on a
//!   remote server (a `REMOTE:` other than `local:`) is reached through
//!   the tool remote `lxc:REMOTE`, which `remote add NAME URL` on the line
//!   or earlier in the session sets ([`Target::ToolRemote`], as rclone's
//!   remotes are); one set nowhere is its name as a host nobody has
//!   vouched for.

use super::super::container::Lookup;
use super::super::{Invocation, Nested, Outcome, printed_lines, request};
use crate::args::{self, Arg, Spec};
use crate::{Effect, FileRef, Payload, Resource, Target, flow};

/// Options of the handled commands that take a value.
const VALUES: Spec<'static> = Spec {
    short: "",
    long: &[
        "project",
        "alias",
        "env",
        "cwd",
        "user",
        "group",
        "mode",
        "uid",
        "gid",
        "target",
        "protocol",
        "auth-type",
        "password",
        "token",
        "compression",
        "expire",
        "name",
        "projects",
        "description",
    ],
    stop_after: None,
};

/// LXD's default port.
const LXD_PORT: u16 = 8443;

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(inv.args, &VALUES);
    let operands = args::positionals(&items);
    let words: Vec<&str> = operands.iter().map(|a| a.text.as_str()).collect();
    let public = args::has(&items, &["--public"]);
    let mut outcome = Outcome::default();
    match words.as_slice() {
        ["image", "edit", image, ..] => {
            let document: Vec<String> = inv.stdin.text.iter().map(|t| printed_lines(t)).collect();
            if document.iter().any(|d| says_public(d)) {
                outcome.effects.push(made_public("image", image));
            }
        }
        ["image", "import", files @ ..] => {
            for file in files.iter().filter(|f| !is_remote_only(f)) {
                outcome.read(inv.path(file), false);
            }
            if public {
                let name =
                    args::value(&items, &["--alias"]).map_or("imported", |a| a.text.as_str());
                outcome.effects.push(made_public("image", name));
            }
        }
        ["image", "copy", image, ..] if public => {
            outcome.effects.push(made_public("image", image));
        }
        ["publish", instance, ..] if public => {
            outcome
                .effects
                .push(made_public("image published from", instance));
        }
        ["file", "push", ..] => file_push(
            inv,
            operands.get(2..).unwrap_or_default(),
            &items,
            &mut outcome,
        ),
        ["file", "pull", ..] => file_pull(inv, operands.get(2..).unwrap_or_default(), &mut outcome),
        ["exec", ..] => return Some(exec(inv)),
        ["remote", "add", name, rest @ ..] => {
            outcome
                .effects
                .extend(remote_add(name, rest.first().copied(), &items));
        }
        ["config", "trust", "add" | "add-certificate", rest @ ..] => {
            for file in rest.iter().filter(|f| !is_remote_only(f)) {
                outcome.read(inv.path(file), false);
            }
            let grantee = args::value(&items, &["--name"])
                .map(|n| n.text.clone())
                .or_else(|| {
                    rest.iter()
                        .find(|f| !is_remote_only(f))
                        .map(|f| (*f).to_owned())
                });
            outcome.effects.push(Effect::GrantAccess {
                resource: Resource::Other {
                    name: format!("{} trust store", inv.program),
                },
                grantee,
            });
        }
        ["config", "set", rest @ ..] if rest.iter().any(|w| w.contains("core.trust_password")) => {
            outcome.effects.push(Effect::GrantAccess {
                resource: Resource::Other {
                    name: format!("{} core.trust_password", inv.program),
                },
                grantee: None,
            });
        }
        _ => return None,
    }
    Some(outcome)
}

/// True when a YAML document sets its top-level `public:` to true.
fn says_public(document: &str) -> bool {
    document.lines().any(|line| {
        line.strip_prefix("public:").is_some_and(|value| {
            let value = value.split('#').next().unwrap_or_default().trim();
            let value = value.trim_matches(['"', '\'']);
            ["true", "yes", "on"]
                .iter()
                .any(|t| value.eq_ignore_ascii_case(t))
        })
    })
}

/// The change that makes `name` public.
fn made_public(kind: &str, name: &str) -> Effect {
    Effect::MakePublic {
        resource: Resource::Other {
            name: format!("lxd {kind} {name}"),
        },
    }
}

/// `REMOTE:` alone, which names a server, not a file.
fn is_remote_only(word: &str) -> bool {
    word.ends_with(':') && !word.contains('/')
}

/// The remote a `[REMOTE:]NAME[/PATH]` operand names and the rest; `None`
/// for the local server.
fn split_remote(word: &str) -> (Option<&str>, &str) {
    match word.split_once(':') {
        Some((remote, rest)) if !remote.contains('/') && !remote.is_empty() => {
            if remote == "local" {
                (None, rest)
            } else {
                (Some(remote), rest)
            }
        }
        _ => (None, word),
    }
}

/// Where a request to remote `name` goes: what `remote add` set it to,
/// else its name as a host.
fn remote_target(name: &str, path: Option<&str>) -> Target {
    Target::ToolRemote {
        repo_dir: "/".to_owned(),
        name: format!("lxc:{name}"),
        path: path.map(str::to_owned),
        unset: Some(Box::new(Target::Host {
            user: None,
            host: name.to_owned(),
            port: None,
            path: path.map(str::to_owned),
        })),
    }
}

/// `file push [-r] [-p] [--mode M] LOCAL... [REMOTE:]INSTANCE/PATH`.
fn file_push(inv: &Invocation<'_>, operands: &[&Arg], items: &[args::Item<'_>], out: &mut Outcome) {
    let Some((destination, sources)) = operands.split_last() else {
        return;
    };
    let recursive = args::has(items, &["-r", "--recursive"]);
    let mut payload = Payload::default();
    for source in sources.iter().filter(|s| s.text != "-") {
        let path = inv.path(&source.text);
        out.read(path.clone(), recursive);
        flow::merge(&mut payload, &source.expansions());
        flow::push_file(
            &mut payload,
            FileRef {
                path,
                recursive,
                excludes: Vec::new(),
            },
        );
    }
    if let (Some(remote), path) = split_remote(&destination.text) {
        out.effects.push(request(
            inv.program,
            remote_target(remote, Some(path)),
            "UPLOAD",
            payload,
            false,
        ));
    }
}

/// `file pull [REMOTE:]INSTANCE/PATH... LOCAL`.
fn file_pull(inv: &Invocation<'_>, operands: &[&Arg], out: &mut Outcome) {
    let Some((local, sources)) = operands.split_last() else {
        return;
    };
    for source in sources {
        if let (Some(remote), path) = split_remote(&source.text) {
            out.effects.push(request(
                inv.program,
                remote_target(remote, Some(path)),
                "DOWNLOAD",
                Payload::default(),
                false,
            ));
        }
    }
    if local.text != "-" {
        out.write(inv.path(&local.text), false);
    }
}

/// `exec [REMOTE:]INSTANCE [--env K=V] [--cwd DIR] [-T|-t] [-n] [--] CMD...`:
/// CMD runs in the instance, from `--cwd` (else `/root`); on a remote
/// server, the command is sent there.
fn exec(inv: &Invocation<'_>) -> Outcome {
    let at = inv
        .args
        .iter()
        .position(|a| a.text == "exec")
        .map_or(0, |at| at + 1);
    let rest = inv.args.get(at..).unwrap_or_default();
    let items = args::parse(
        rest,
        &Spec {
            stop_after: Some(1),
            ..VALUES
        },
    );
    let mut outcome = Outcome::default();
    let operands = args::positionals(&items);
    let Some((instance, command)) = operands.split_first() else {
        return outcome;
    };
    // Options stop at the instance; a `--` after it only ends them.
    let command = match command.split_first() {
        Some((dashes, rest)) if dashes.text == "--" => rest,
        _ => command,
    };
    let argv: Vec<Arg> = command.iter().map(|a| (*a).clone()).collect();
    if let (Some(remote), _) = split_remote(&instance.text) {
        let mut payload = Payload::default();
        for word in command {
            flow::merge(&mut payload, &word.payload());
        }
        outcome.effects.push(request(
            inv.program,
            remote_target(remote, None),
            "EXEC",
            payload,
            false,
        ));
    }
    if argv.is_empty() {
        return outcome;
    }
    let workdir = args::value(&items, &["--cwd"])
        .map_or_else(|| "/root".to_owned(), |w| crate::paths::normalize(&w.text));
    outcome.nested.push(Nested::Container {
        argv,
        workdir,
        mounts: Vec::new(),
    });
    outcome
}

/// `remote add NAME [URL] [--protocol P] [--password P | --token T]`: from
/// now on `NAME:` leads to URL (`https://HOST:8443/` for a bare host);
/// the password or token goes to it.
fn remote_add(name: &str, address: Option<&str>, items: &[args::Item<'_>]) -> Vec<Effect> {
    let address = address.unwrap_or(name);
    let url = if address.contains("://") {
        format!("{}/", address.trim_end_matches('/'))
    } else if address.contains(':') {
        format!("https://{address}/")
    } else {
        format!("https://{address}:{LXD_PORT}/")
    };
    let mut effects = vec![Effect::GitRemote {
        repo_dir: "/".to_owned(),
        name: format!("lxc:{name}"),
        url: url.clone(),
    }];
    let mut payload = Payload::default();
    for secret in args::values(items, &["--password", "--token"]) {
        flow::merge(&mut payload, &secret.payload());
    }
    if !payload.is_empty() {
        effects.push(request("lxc", Target::Url { url }, "POST", payload, false));
    }
    effects
}

/// `lxc image edit IMAGE < FILE` of a document an earlier step (or the
/// line) wrote: the image is made public when the document says so.
pub(crate) fn written_image_documents(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    text_of: &Lookup<'_>,
) {
    if !matches!(inv.program, "lxc" | "incus") {
        return;
    }
    let items = args::parse(inv.args, &VALUES);
    let operands = args::positionals(&items);
    let [image_word, edit, image, ..] = operands.as_slice() else {
        return;
    };
    if image_word.text != "image" || edit.text != "edit" {
        return;
    }
    let public = inv
        .stdin
        .files
        .iter()
        .filter_map(|f| text_of(&f.path))
        .any(|text| says_public(&text));
    let effect = made_public("image", &image.text);
    if public && !outcome.effects.contains(&effect) {
        outcome.effects.push(effect);
    }
}
