//! Publishing that is not a package or image upload (those are
//! [`super::cloud`]'s): changes at a package registry (`npm unpublish`,
//! `npm deprecate`, `npm dist-tag add|rm`, `npm owner add|rm`, yarn's
//! `tag`/`owner`/`npm tag`), what `cosign` writes beside an image in its
//! registry, keys sent to a keyserver (`gpg --send-keys`) or installed on
//! a host (`ssh-copy-id`), Maven deploys to a repository the line names,
//! GoReleaser's release of the working directory's repository, and game
//! and app store uploads: Steam's `steamcmd +run_app_build`, itch.io's
//! `butler push`, Apple's `altool` and `notarytool` (also through
//! `xcrun`), and Epic's `BuildPatchTool -mode=UploadBinary`.
//!
//! Also what every publisher is handed to authenticate with, and so
//! sends: [`credentials`].

use super::{Invocation, Nested, Outcome, request, send_file, url};
use crate::args::{self, Arg, Item, Spec};
use crate::{Effect, Payload, Resource, Target, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "npm" | "pnpm" | "yarn" => registry_change(inv),
        "cosign" => cosign(inv),
        "gpg" | "gpg2" => send_keys(inv),
        "ssh-copy-id" => ssh_copy_id(inv),
        "mvn" | "mvnw" => maven(inv),
        "goreleaser" => goreleaser(inv),
        "steamcmd" | "steamcmd.sh" => steamcmd(inv),
        "butler" => butler(inv),
        "xcrun" => xcrun(inv),
        "altool" => apple_upload(inv, ALTOOL),
        "notarytool" => apple_upload(inv, NOTARYTOOL),
        // Command names arrive lower-cased, `.exe` dropped.
        "buildpatchtool" => build_patch_tool(inv),
        _ => None,
    }
}

/// Environment variables through which a publisher takes its credentials
/// (`TWINE_PASSWORD="$PYPI_TOKEN" twine upload ...`): set on the command
/// line or exported before it, their values go where the publisher sends.
/// A `*` stands for any text (`POETRY_PYPI_TOKEN_<REPO>`).
const CREDENTIAL_ENV: &[(&[&str], &[&str])] = &[
    (&["twine"], &["TWINE_PASSWORD", "TWINE_USERNAME"]),
    (
        &["uv"],
        &[
            "UV_PUBLISH_TOKEN",
            "UV_PUBLISH_PASSWORD",
            "UV_PUBLISH_USERNAME",
        ],
    ),
    (
        &["cargo"],
        &["CARGO_REGISTRY_TOKEN", "CARGO_REGISTRIES_*_TOKEN"],
    ),
    (
        &["poetry"],
        &[
            "POETRY_PYPI_TOKEN_*",
            "POETRY_HTTP_BASIC_*_PASSWORD",
            "POETRY_HTTP_BASIC_*_USERNAME",
        ],
    ),
    (
        &["npm", "pnpm", "yarn"],
        &["NODE_AUTH_TOKEN", "NPM_TOKEN", "YARN_NPM_AUTH_TOKEN"],
    ),
    (&["gem"], &["GEM_HOST_API_KEY"]),
    (
        &["huggingface-cli", "hf"],
        &["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"],
    ),
    (
        &["kaggle"],
        &["KAGGLE_KEY", "KAGGLE_USERNAME", "KAGGLE_API_TOKEN"],
    ),
    (&["wandb"], &["WANDB_API_KEY"]),
    (&["butler"], &["BUTLER_API_KEY"]),
    (&["p4"], &["P4PASSWD"]),
    (
        &["mlflow"],
        &[
            "MLFLOW_TRACKING_TOKEN",
            "MLFLOW_TRACKING_PASSWORD",
            "MLFLOW_TRACKING_USERNAME",
        ],
    ),
    (
        &["goreleaser"],
        &["GITHUB_TOKEN", "GITLAB_TOKEN", "GITEA_TOKEN"],
    ),
    (&["circleci"], &["CIRCLECI_CLI_TOKEN"]),
    (&["bk"], &["BUILDKITE_API_TOKEN"]),
    (&["buildkite-agent"], &["BUILDKITE_AGENT_ACCESS_TOKEN"]),
    (&["cld"], &["CLOUDINARY_URL"]),
    (&["osf"], &["OSF_PASSWORD", "OSF_TOKEN"]),
    (&["lhci"], &["LHCI_TOKEN", "LHCI_BUILD_TOKEN"]),
    (&["cypress"], &["CYPRESS_RECORD_KEY"]),
    (&["chromatic"], &["CHROMATIC_PROJECT_TOKEN"]),
    (&["percy"], &["PERCY_TOKEN"]),
];

/// What a publisher sends to authenticate: the values of its credential
/// options among `items` (`twine upload -p "$TOKEN"`, `cargo publish
/// --token T`, `helm repo add --password P`) and of its credential
/// environment variables ([`CREDENTIAL_ENV`]). Each value keeps the
/// variables it expands, so a secret one makes the payload secret.
pub(super) fn credentials(inv: &Invocation<'_>, items: &[Item<'_>], options: &[&str]) -> Payload {
    let mut payload = Payload::default();
    for value in args::values(items, options) {
        flow::merge(&mut payload, &value.payload());
    }
    let names = CREDENTIAL_ENV
        .iter()
        .filter(|(programs, _)| programs.contains(&inv.program))
        .flat_map(|(_, names)| names.iter());
    for pattern in names {
        for (name, value) in inv.env {
            if wildcard_match(pattern, name) {
                flow::merge(&mut payload, &value.payload());
            }
        }
    }
    payload
}

/// `pattern` with at most one `*` standing for any text.
fn wildcard_match(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        Some((head, tail)) => {
            name.len() >= head.len() + tail.len() && name.starts_with(head) && name.ends_with(tail)
        }
        None => pattern == name,
    }
}

/// A package name without its version (`@scope/pkg@1.2.3` is `@scope/pkg`).
fn package_name(spec: &str) -> &str {
    match spec.get(1..).and_then(|rest| rest.find('@')) {
        Some(at) => spec.get(..=at).unwrap_or(spec),
        None => spec,
    }
}

/// Changes at a package registry that are not a publish: `npm unpublish
/// [PKG]`, `npm deprecate PKG MSG`, `npm|pnpm dist-tag add|rm PKG TAG`,
/// `npm|pnpm|yarn owner add|rm USER [PKG]`, `yarn tag add|remove`, `yarn
/// npm tag add|remove`. They go to `--registry` or the public registry,
/// carrying what they name (a deprecation message is published); adding
/// an owner also grants that user access to the package.
fn registry_change(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "w",
            long: &[
                "registry",
                "otp",
                "userconfig",
                "workspace",
                "prefix",
                "cwd",
                "dir",
                "filter",
            ],
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let words: Vec<&str> = positional.iter().map(|a| a.text.as_str()).collect();
    // (method, how many leading words name the command, owner change)
    let (method, skip, owner) = match (inv.program, words.as_slice()) {
        ("npm", ["unpublish", ..]) => ("DELETE", 1, false),
        ("npm", ["deprecate", ..]) => ("PUT", 1, false),
        ("npm" | "pnpm", ["dist-tag" | "dist-tags", "add" | "set", ..])
        | ("yarn", ["tag", "add", ..]) => ("PUT", 2, false),
        ("npm" | "pnpm", ["dist-tag" | "dist-tags", "rm" | "remove" | "del", ..])
        | ("yarn", ["tag", "remove" | "rm", ..]) => ("DELETE", 2, false),
        ("yarn", ["npm", "tag", "add", ..]) => ("PUT", 3, false),
        ("yarn", ["npm", "tag", "remove", ..]) => ("DELETE", 3, false),
        ("npm" | "pnpm" | "yarn", ["owner" | "author", "add", ..]) => ("PUT", 2, true),
        ("npm" | "pnpm" | "yarn", ["owner" | "author", "rm" | "remove", ..]) => ("DELETE", 2, true),
        // Listings read the registry.
        (
            "npm" | "pnpm" | "yarn",
            [
                "owner" | "author" | "dist-tag" | "dist-tags" | "tag",
                "ls" | "list",
                ..,
            ]
            | ["npm", "tag", "list", ..],
        ) => return Some(Outcome::default()),
        _ => return None,
    };
    let operands = positional.get(skip..).unwrap_or_default();
    // An owner change names the user first, then the package.
    let package = if owner {
        operands.get(1)
    } else {
        operands.first()
    }
    .map(|a| package_name(&a.text));
    let default_registry = if inv.program == "yarn" {
        "https://registry.yarnpkg.com"
    } else {
        "https://registry.npmjs.org"
    };
    let registry = args::value(&items, &["--registry"])
        .map_or(default_registry, |r| r.text.as_str())
        .trim_end_matches('/');
    let target = match package {
        Some(name) => format!("{registry}/{name}"),
        None => registry.to_owned(),
    };
    let mut payload = credentials(inv, &items, &["--otp"]);
    for operand in operands {
        flow::merge(&mut payload, &operand.payload());
    }
    let mut outcome = Outcome::default();
    if owner && method == "PUT" {
        outcome.effects.push(Effect::GrantAccess {
            resource: Resource::Other {
                name: format!("{} package {}", inv.program, package.unwrap_or_default()),
            },
            grantee: operands.first().map(|u| u.text.clone()),
        });
    }
    outcome
        .effects
        .push(request(inv.program, url(&target), method, payload, false));
    Some(outcome)
}

/// cosign's options that take a value.
const COSIGN_LONG: &[&str] = &[
    "key",
    "annotations",
    "predicate",
    "type",
    "signature",
    "sbom",
    "sbom-type",
    "attestation",
    "payload",
    "files",
    "certificate",
    "certificate-chain",
    "output-signature",
    "output-certificate",
    "output-attestation",
    "output-payload",
    "output-file",
    "registry-username",
    "registry-password",
    "registry-token",
    "identity-token",
    "fulcio-url",
    "rekor-url",
    "tsa-server-url",
    "oidc-issuer",
    "oidc-client-id",
    "oidc-client-secret-file",
    "oidc-provider",
    "oidc-redirect-url",
    "attachment",
    "attachment-tag-prefix",
    "slot",
    "timeout",
    "content-type",
    "ct",
    "input-format",
    "platform",
    "bundle",
    "signing-config",
    "trusted-root",
    "registry-referrers-mode",
    "certificate-identity",
    "certificate-oidc-issuer",
];

/// `cosign sign [--key K] IMAGE...`, `cosign attest --predicate F IMAGE`,
/// `cosign attach signature|sbom|attestation --FILE-OPTION F IMAGE`,
/// `cosign upload blob|wasm -f FILE IMAGE`, `cosign copy SRC DST`: each
/// writes to the image's registry, carrying the files it attaches and the
/// registry credentials on the line. `--upload=false` writes nothing
/// there; `verify`, `sign-blob`, `download`, `tree` and the like send
/// nothing to a registry. (The signing key stays local: what is sent is
/// the signature.)
fn cosign(inv: &Invocation<'_>) -> Option<Outcome> {
    let verb = args::leading(inv.args).first().copied().unwrap_or_default();
    let items = args::parse(
        inv.args,
        &Spec {
            // `-f` is `--files` only for `upload` (`--force` elsewhere).
            short: if verb == "upload" { "af" } else { "a" },
            long: COSIGN_LONG,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let words: Vec<&str> = positional.iter().map(|a| a.text.as_str()).collect();
    let file_options: &[&str] = match words.as_slice() {
        ["sign" | "attest", ..] => &["--predicate", "--payload"],
        ["attach", ..] => &[
            "--signature",
            "--sbom",
            "--attestation",
            "--payload",
            "--certificate",
            "--certificate-chain",
        ],
        ["upload", "blob" | "wasm", ..] => &["-f", "--files"],
        ["copy" | "cp", _, _, ..] => &[],
        _ => return Some(Outcome::default()),
    };
    let not_uploaded = items.iter().any(|item| {
        matches!(item, Item::Opt { name, value: Some(v) } if name == "--upload" && v.text == "false")
    });
    if not_uploaded {
        return Some(Outcome::default());
    }
    let images: Vec<&Arg> = match words.as_slice() {
        ["sign", ..] => positional.iter().skip(1).copied().collect(),
        _ => positional.last().copied().into_iter().collect(),
    };
    let mut payload = credentials(
        inv,
        &items,
        &[
            "--registry-username",
            "--registry-password",
            "--registry-token",
        ],
    );
    for annotation in args::values(&items, &["-a", "--annotations"]) {
        flow::merge(&mut payload, &annotation.payload());
    }
    for value in args::values(&items, file_options) {
        // `-f a.wasm,b.wasm`, a file's platform after a colon
        // (`-f app:linux/amd64`).
        for file in value.text.split(',') {
            let path = file.split_once(':').map_or(file, |(p, _)| p);
            send_file(inv, &mut payload, path, false);
        }
    }
    let mut outcome = Outcome::default();
    for image in images {
        outcome.effects.push(super::cloud::image_upload(
            "cosign",
            &image.text,
            payload.clone(),
        ));
    }
    Some(outcome)
}

/// `gpg [--keyserver URL] --send-keys KEYID...`: the public keys go to the
/// keyserver (GnuPG's default `hkps://keys.openpgp.org`), which publishes
/// them. Other gpg commands are [`super::files`]'s.
fn send_keys(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(inv.args, &super::files::GPG_SPEC);
    if !args::has(&items, &["--send-keys", "--send-key"]) {
        return None;
    }
    let keyserver = args::value(&items, &["--keyserver"])
        .map_or("hkps://keys.openpgp.org", |k| k.text.as_str());
    let target = if keyserver.contains("://") {
        url(keyserver)
    } else {
        url(&format!("hkps://{keyserver}"))
    };
    let mut payload = Payload::default();
    for key in args::positionals(&items) {
        flow::merge(&mut payload, &key.payload());
    }
    Some(Outcome::default().effect(request(inv.program, target, "UPLOAD", payload, true)))
}

/// Names of files that list the SSH keys allowed to log in: a user's
/// (`~/.ssh/authorized_keys`, the older `authorized_keys2`) and Windows'
/// OpenSSH file for administrators.
const AUTHORIZED_KEYS: &[&str] = &[
    "authorized_keys",
    "authorized_keys2",
    "administrators_authorized_keys",
];

/// Whether writing or deleting `path` (absolute) changes which SSH keys may
/// log in to an account, and so who has access to it: an
/// [`AUTHORIZED_KEYS`] file in any directory (any user's `.ssh`, a path
/// sshd's `AuthorizedKeysFile` names), a file in a directory of that name
/// (`/etc/ssh/authorized_keys/USER`), or, when `recursive`, a whole `.ssh`
/// directory or its contents (`rm -rf ~/.ssh/*`).
pub fn changes_login_keys(path: &str, recursive: bool) -> bool {
    let path = path
        .strip_suffix("/*")
        .or(path.strip_suffix("/.*"))
        .unwrap_or(path);
    let mut parts = path.split(['/', '\\']).filter(|p| !p.is_empty());
    let last = parts.clone().next_back().unwrap_or_default();
    parts.any(|part| {
        AUTHORIZED_KEYS
            .iter()
            .any(|name| part.eq_ignore_ascii_case(name))
    }) || (recursive && last.eq_ignore_ascii_case(".ssh"))
}

/// `ssh-copy-id [-i KEY] [-p PORT] [user@]host` (or `ssh://user@host:port`):
/// the public key is appended to the host's `authorized_keys`, which lets
/// its holder log in there: a grant of access to the account. `-i KEY`
/// sends `KEY.pub` (ssh-copy-id adds the suffix when it is missing);
/// without `-i` it sends the newest `~/.ssh/id*.pub`, which is reported as
/// that glob, the file it is chosen from. `-n` is a dry run.
fn ssh_copy_id(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "ipotF",
            long: &[],
            stop_after: Some(1),
        },
    );
    if args::has(&items, &["-n"]) {
        return Some(Outcome::default());
    }
    let destination = args::positionals(&items).into_iter().next()?;
    let text = destination.text.as_str();
    let (authority, mut port) = match text.strip_prefix("ssh://") {
        Some(rest) => {
            let authority = rest.split('/').next().unwrap_or(rest);
            match authority.rsplit_once(':') {
                Some((a, p)) if p.parse::<u16>().is_ok() => (a, p.parse().ok()),
                _ => (authority, None),
            }
        }
        None => (text, None),
    };
    if let Some(p) = args::value(&items, &["-p"]) {
        port = p.text.parse().ok();
    }
    let (user, host) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u.to_owned()), h),
        None => (None, authority),
    };
    let key = args::value(&items, &["-i"]).map_or_else(
        || "~/.ssh/id*.pub".to_owned(),
        |k| {
            if k.text.ends_with(".pub") {
                k.text.clone()
            } else {
                format!("{}.pub", k.text)
            }
        },
    );
    let mut payload = Payload::default();
    send_file(inv, &mut payload, &key, false);
    let account = match &user {
        Some(user) => format!("{user}@{host}"),
        None => host.to_owned(),
    };
    let target = Target::Host {
        user,
        host: host.to_owned(),
        port,
        path: None,
    };
    Some(
        Outcome::default()
            .effect(request(inv.program, target, "UPLOAD", payload, false))
            .effect(Effect::GrantAccess {
                resource: Resource::Other {
                    name: format!("{account}:.ssh/authorized_keys"),
                },
                grantee: None,
            }),
    )
}

/// Maven options that take the next word as their value.
const MAVEN_VALUE_OPTIONS: &[&str] = &[
    "-f",
    "--file",
    "-s",
    "--settings",
    "-gs",
    "--global-settings",
    "-P",
    "--activate-profiles",
    "-pl",
    "--projects",
    "-rf",
    "--resume-from",
    "-T",
    "--threads",
    "-l",
    "--log-file",
    "-b",
    "--builder",
    "-t",
    "--toolchains",
    "-gt",
    "--global-toolchains",
    "-D",
    "--define",
];

/// `mvn [goals] deploy -DaltDeploymentRepository=id::[layout::]URL`: the
/// project's artifacts go to URL; `mvn deploy:deploy-file -Dfile=F
/// -Durl=URL` sends F (and `-DpomFile`, `-Dsources`, `-Djavadoc`,
/// `-Dfiles`). Where the POM's `distributionManagement` names the
/// repository, the line does not say where: nothing is reported.
fn maven(inv: &Invocation<'_>) -> Option<Outcome> {
    let mut goals: Vec<&str> = Vec::new();
    let mut properties: Vec<(&str, Arg)> = Vec::new();
    let mut pom: Option<&Arg> = None;
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        let define = if matches!(text, "-D" | "--define") {
            words.next()
        } else if text.starts_with("-D") {
            Some(word)
        } else {
            None
        };
        if let Some(define) = define {
            let body = define.text.strip_prefix("-D").unwrap_or(&define.text);
            if let Some((name, value)) = body.split_once('=') {
                properties.push((name, define.with_text(value)));
            }
            continue;
        }
        if MAVEN_VALUE_OPTIONS.contains(&text) {
            let value = words.next();
            if matches!(text, "-f" | "--file") {
                pom = value;
            }
        } else if !text.starts_with('-') {
            goals.push(text);
        }
    }
    let property = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| properties.iter().rev().find(|(name, _)| name == n))
            .map(|(_, value)| value)
    };
    let remote = |text: &str| text.contains("://") && !text.starts_with("file:");
    let mut outcome = Outcome::default();
    if goals.iter().any(|g| g.ends_with("deploy-file")) {
        let destination = property(&["url"]).filter(|u| remote(&u.text))?;
        let mut payload = Payload::default();
        for name in ["file", "pomFile", "sources", "javadoc", "files"] {
            if let Some(value) = property(&[name]) {
                for file in value.text.split(',') {
                    send_file(inv, &mut payload, file, false);
                }
            }
        }
        outcome.effects.push(request(
            inv.program,
            url(&destination.text),
            "UPLOAD",
            payload,
            false,
        ));
    }
    if goals
        .iter()
        .any(|g| *g == "deploy" || g.ends_with(":deploy"))
    {
        let repository = property(&[
            "altDeploymentRepository",
            "altReleaseDeploymentRepository",
            "altSnapshotDeploymentRepository",
        ]);
        let destination = repository
            .map(|r| r.text.rsplit("::").next().unwrap_or_default().to_owned())
            .filter(|u| remote(u));
        if let Some(destination) = destination {
            // The project's artifacts, built from its directory.
            let dir = pom.map_or_else(
                || inv.cwd.to_owned(),
                |p| inv.path(p.text.trim_end_matches("pom.xml")),
            );
            let payload = flow::file_payload(dir, false);
            outcome.effects.push(request(
                inv.program,
                url(&destination),
                "UPLOAD",
                payload,
                false,
            ));
        }
    }
    (!outcome.effects.is_empty()).then_some(outcome)
}

/// `goreleaser [release]`: the artifacts it builds into `dist/` are
/// uploaded to a release of the working directory's repository (its
/// `origin`), with the tokens it is given. `--snapshot` and
/// `--skip=publish` (`--skip-publish`) publish nothing.
fn goreleaser(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "fp",
            long: &[
                "config",
                "parallelism",
                "timeout",
                "release-notes",
                "release-notes-tmpl",
                "release-header",
                "release-header-tmpl",
                "release-footer",
                "release-footer-tmpl",
                "skip",
                "id",
            ],
            stop_after: None,
        },
    );
    let verb = args::positionals(&items).first().map(|a| a.text.as_str());
    if !matches!(verb, None | Some("release")) {
        return None;
    }
    let skipped = args::values(&items, &["--skip"])
        .iter()
        .any(|s| s.text.split(',').any(|part| part.trim() == "publish"));
    if skipped || args::has(&items, &["--snapshot", "--skip-publish", "--help", "-h"]) {
        return Some(Outcome::default());
    }
    let mut payload = credentials(inv, &items, &[]);
    send_file(inv, &mut payload, "dist", true);
    Some(Outcome::default().effect(request(
        inv.program,
        super::git::current_repository(),
        "UPLOAD",
        payload,
        false,
    )))
}

/// Where Steam's partner builds are uploaded.
const STEAM_PARTNER: &str = "https://partner.steamgames.com";

/// Where steamcmd signs in.
const STEAM_LOGIN: &str = "https://steampowered.com";

/// `steamcmd +login USER [PASSWORD [CODE]] +run_app_build [-desc D]
/// [-preview] VDF +quit` (also `+run_app_build_http`, `+run_workshop_build
/// VDF`, `+workshop_build_item VDF`): the build the VDF describes is
/// uploaded to Steam's partner site with the credentials given; a
/// `-preview` build uploads nothing. A password given to `+login` alone
/// (`+app_update`) is still sent to Steam.
fn steamcmd(inv: &Invocation<'_>) -> Option<Outcome> {
    // Each `+command` with the words up to the next one.
    let mut commands: Vec<(&str, &[Arg])> = Vec::new();
    for (at, word) in inv.args.iter().enumerate() {
        if let Some(name) = word.text.strip_prefix('+') {
            let rest = inv.args.get(at + 1..).unwrap_or_default();
            let end = rest
                .iter()
                .position(|a| a.text.starts_with('+'))
                .unwrap_or(rest.len());
            commands.push((name, rest.get(..end).unwrap_or_default()));
        }
    }
    let mut credentials = Payload::default();
    let mut uploads = Payload::default();
    let mut uploading = false;
    for (name, words) in &commands {
        match name.to_ascii_lowercase().as_str() {
            "login" | "set_steam_guard_code" => {
                for word in *words {
                    flow::merge(&mut credentials, &word.payload());
                }
            }
            "run_app_build"
            | "run_app_build_http"
            | "run_workshop_build"
            | "workshop_build_item" => {
                if words.iter().any(|w| w.text == "-preview") {
                    continue;
                }
                let mut description = false;
                for word in *words {
                    if description {
                        flow::merge(&mut uploads, &word.payload());
                        description = false;
                    } else if word.text == "-desc" {
                        description = true;
                    } else if !word.text.starts_with('-') {
                        send_file(inv, &mut uploads, &word.text, false);
                    }
                }
                uploading = true;
            }
            _ => {}
        }
    }
    // `anonymous` signs in with nothing secret.
    let signed_in = credentials.text.len() > 1 || !credentials.env.is_empty();
    let effect = if uploading {
        flow::merge(&mut uploads, &credentials);
        request(inv.program, url(STEAM_PARTNER), "UPLOAD", uploads, false)
    } else if signed_in {
        request(
            inv.program,
            url(STEAM_LOGIN),
            "DOWNLOAD",
            credentials,
            false,
        )
    } else {
        return Some(Outcome::default());
    };
    Some(Outcome::default().effect(effect))
}

/// butler's options that take a value (global and `push`'s).
const BUTLER_LONG: &[&str] = &[
    "identity",
    "address",
    "user-agent",
    "dbpath",
    "context-timeout",
    "ignore",
    "userversion",
    "userversion-file",
];

/// `butler push [--userversion V] DIR USER/GAME:CHANNEL`: DIR (a directory
/// or an archive) is uploaded to itch.io (`--address`) with the API key of
/// `-i FILE` or `BUTLER_API_KEY`. `--dry-run` uploads nothing; butler's
/// other commands work on local files or read.
fn butler(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "ia",
            long: BUTLER_LONG,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let [verb, source, target, ..] = positional.as_slice() else {
        return None;
    };
    if verb.text != "push" {
        return None;
    }
    if args::has(&items, &["--dry-run"]) {
        return Some(Outcome::default());
    }
    let mut payload = credentials(inv, &items, &["--userversion"]);
    flow::merge(&mut payload, &target.payload());
    for file in args::values(&items, &["-i", "--identity", "--userversion-file"]) {
        send_file(inv, &mut payload, &file.text, false);
    }
    flow::merge(&mut payload, &source.expansions());
    send_file(inv, &mut payload, &source.text, true);
    let address =
        args::value(&items, &["-a", "--address"]).map_or("https://itch.io", |a| a.text.as_str());
    Some(Outcome::default().effect(request(inv.program, url(address), "UPLOAD", payload, false)))
}

/// `xcrun [--sdk SDK] [--toolchain T] TOOL ARGS...` runs the developer tool
/// TOOL (`xcrun altool ...`, `xcrun notarytool ...`); `--find` and
/// `--show-sdk-*` only print paths.
fn xcrun(inv: &Invocation<'_>) -> Option<Outcome> {
    let mut rest = inv.args;
    while let Some((word, tail)) = rest.split_first() {
        match word.text.as_str() {
            "--sdk" | "--toolchain" => rest = tail.get(1..).unwrap_or_default(),
            "-f" | "--find" | "-h" | "--help" | "--version" => return Some(Outcome::default()),
            text if text.starts_with("--show-sdk") => return Some(Outcome::default()),
            text if text.starts_with('-') => rest = tail,
            _ => break,
        }
    }
    if rest.is_empty() {
        return Some(Outcome::default());
    }
    Some(Outcome {
        nested: vec![Nested::Argv {
            argv: rest.to_vec(),
            env: Vec::new(),
            cwd: None,
        }],
        ..Outcome::default()
    })
}

/// How an Apple upload tool is called: where it sends, the verbs that
/// upload, the options that name the file sent, the options whose values
/// are sent to sign in, and the options that take a value.
struct AppleTool {
    host: &'static str,
    /// Verbs (`submit`) or verb options (`--upload-app`) that upload.
    uploads: &'static [&'static str],
    /// Options whose value is the file uploaded.
    file_options: &'static [&'static str],
    /// Options whose value is sent to sign in (`@env:NAME` names a variable).
    credential_options: &'static [&'static str],
    short: &'static str,
    long: &'static [&'static str],
}

/// `altool --upload-app|--upload-package|--validate-app|--notarize-app -f
/// FILE [-u USER -p PASSWORD | --apiKey K --apiIssuer I]`. The API key's
/// `.p8` signs a token locally; it is not sent.
const ALTOOL: &AppleTool = &AppleTool {
    host: "https://appstoreconnect.apple.com",
    uploads: &[
        "--upload-app",
        "--upload-package",
        "--validate-app",
        "--notarize-app",
    ],
    file_options: &["-f", "--file", "--upload-package"],
    credential_options: &["-u", "--username", "-p", "--password"],
    short: "ftup",
    long: &[
        "file",
        "type",
        "username",
        "password",
        "apiKey",
        "apiIssuer",
        "upload-package",
        "asc-provider",
        "asc-public-id",
        "primary-bundle-id",
        "apple-id",
        "bundle-id",
        "bundle-version",
        "bundle-short-version-string",
        "team-id",
        "output-format",
        "provider-public-id",
        "platform",
    ],
};

/// `notarytool submit FILE [--keychain-profile P | --apple-id ID --password
/// PW --team-id T | --key P8 --key-id K --issuer I] [--wait]`. The `--key`
/// file signs a token locally; it is not sent.
const NOTARYTOOL: &AppleTool = &AppleTool {
    host: "https://appstoreconnect.apple.com",
    uploads: &["submit"],
    file_options: &[],
    credential_options: &["--apple-id", "--password"],
    short: "p",
    long: &[
        "keychain-profile",
        "apple-id",
        "password",
        "team-id",
        "key",
        "key-id",
        "issuer",
        "keychain",
        "timeout",
        "webhook",
        "output-format",
        "output-file",
    ],
};

/// An Apple upload (`altool`, `notarytool`): the package goes to App
/// Store Connect with the credentials on the line. A password written
/// `@env:NAME` is that variable's value; `@keychain:ITEM` is read from the
/// keychain. Other verbs (history, info, listings) send only the
/// credentials, when the line gives any.
fn apple_upload(inv: &Invocation<'_>, tool: &AppleTool) -> Option<Outcome> {
    let items = args::parse(
        inv.args,
        &Spec {
            short: tool.short,
            long: tool.long,
            stop_after: None,
        },
    );
    let positional = args::positionals(&items);
    let uploading = args::has(&items, tool.uploads)
        || positional
            .first()
            .is_some_and(|verb| tool.uploads.contains(&verb.text.as_str()));
    let mut payload = Payload::default();
    for value in args::values(&items, tool.credential_options) {
        match value.text.strip_prefix("@env:") {
            Some(name) => flow::push_env(&mut payload, name),
            None if value.text.starts_with("@keychain:") => {}
            None => flow::merge(&mut payload, &value.payload()),
        }
    }
    if !uploading {
        if payload == Payload::default() {
            return Some(Outcome::default());
        }
        return Some(Outcome::default().effect(request(
            inv.program,
            url(tool.host),
            "DOWNLOAD",
            payload,
            false,
        )));
    }
    for file in args::values(&items, tool.file_options) {
        send_file(inv, &mut payload, &file.text, false);
    }
    // `notarytool submit FILE`.
    for file in positional.iter().skip(1) {
        send_file(inv, &mut payload, &file.text, false);
    }
    Some(Outcome::default().effect(request(
        inv.program,
        url(tool.host),
        "UPLOAD",
        payload,
        false,
    )))
}

/// Where Epic's BuildPatchTool sends.
const EPIC_API: &str = "https://api.epicgames.dev";

/// Epic's `BuildPatchTool -mode=UploadBinary -BuildRoot=DIR -ClientId=ID
/// -ClientSecret=S|-ClientSecretEnvVar=NAME ...` (Windows-style
/// `-Key=Value` options, keys in any case): DIR is uploaded to Epic with
/// the client credentials. `LabelBinary`/`UnlabelBinary` change which
/// build a platform serves, `DeleteBinary` removes one, `ListBinaries`
/// reads; the other modes work on local files.
fn build_patch_tool(inv: &Invocation<'_>) -> Option<Outcome> {
    let option = |key: &str| {
        inv.args.iter().rev().find_map(|arg| {
            let (name, value) = arg.text.strip_prefix('-')?.split_once('=')?;
            name.eq_ignore_ascii_case(key).then(|| arg.with_text(value))
        })
    };
    let mode = option("mode")?.text.to_ascii_lowercase();
    let method = match mode.as_str() {
        "uploadbinary" => "UPLOAD",
        "labelbinary" | "unlabelbinary" => "PUT",
        "deletebinary" => "DELETE",
        "listbinaries" => "DOWNLOAD",
        _ => return None,
    };
    let mut payload = Payload::default();
    for key in ["ClientId", "ClientSecret"] {
        if let Some(value) = option(key) {
            flow::merge(&mut payload, &value.payload());
        }
    }
    if let Some(name) = option("ClientSecretEnvVar") {
        flow::push_env(&mut payload, &name.text);
    }
    if method == "UPLOAD"
        && let Some(root) = option("BuildRoot")
    {
        flow::merge(&mut payload, &root.expansions());
        send_file(inv, &mut payload, &root.text, true);
    }
    Some(Outcome::default().effect(request(inv.program, url(EPIC_API), method, payload, false)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_credential_names() {
        assert!(wildcard_match(
            "POETRY_PYPI_TOKEN_*",
            "POETRY_PYPI_TOKEN_PYPI"
        ));
        assert!(wildcard_match(
            "CARGO_REGISTRIES_*_TOKEN",
            "CARGO_REGISTRIES_ACME_TOKEN"
        ));
        assert!(!wildcard_match("CARGO_REGISTRIES_*_TOKEN", "CARGO_TOKEN"));
        assert!(wildcard_match("HF_TOKEN", "HF_TOKEN"));
        assert!(!wildcard_match("HF_TOKEN", "HF_TOKENS"));
    }

    #[test]
    fn package_names_drop_versions() {
        assert_eq!(package_name("left-pad@1.3.0"), "left-pad");
        assert_eq!(package_name("@acme/ui@2"), "@acme/ui");
        assert_eq!(package_name("@acme/ui"), "@acme/ui");
    }
}
