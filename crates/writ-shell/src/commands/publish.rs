//! Package uploads, where the line's options, the environment and the
//! configuration files written earlier send them ([`package`]: `npm
//! publish` with `npm_config_*` and `.npmrc`, `poetry publish -r NAME`,
//! `twine upload -r NAME`), and publishing that is not an image upload to
//! a registry the line names first (those are [`super::cloud`]'s): the same publishes
//! after global options (`pnpm --filter X publish`), NuGet pushes and
//! deletes, flit's, hatch's and pdm's uploads, changes at a package
//! registry (`npm unpublish`, `npm deprecate`, `npm dist-tag add|rm`, `npm
//! owner add|rm`, `npm access`, `npm team`, yarn's `tag`/`owner`/`npm
//! tag`, `cargo yank`, `cargo owner`), what `cosign` writes beside an image in its
//! registry, keys sent to a keyserver (`gpg --send-keys`) or installed on
//! a host (`ssh-copy-id`), Maven deploys (and sbt publishes) to a repository the line names
//! and Gradle's to one its publishing plugin fixes ([`gradle`]),
//! GoReleaser's release of the working directory's repository, and game
//! and app store uploads: Steam's `steamcmd +run_app_build`, itch.io's
//! `butler push`, Apple's `altool` and `notarytool` (also through
//! `xcrun`), and Epic's `BuildPatchTool -mode=UploadBinary`.
//!
//! Also what every publisher is handed to authenticate with, and so
//! sends: [`credentials`].

mod gradle;
mod package;
mod python_repos;
pub(super) use gradle::VALUE_OPTIONS as GRADLE_VALUE_OPTIONS;
pub(super) use package::package;

use super::{Invocation, Lookup, Nested, Outcome, request, send_file, url};
use crate::args::{self, Arg, Item, Spec};
use crate::{Effect, Payload, Resource, Target, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "poetry" => python_repos::poetry_config(inv),
        "npm" | "pnpm" | "yarn" => publish_after_options(inv).or_else(|| registry_change(inv)),
        "cargo" => cargo_registry(inv),
        "dotnet" | "nuget" => nuget(inv),
        "flit" | "hatch" | "pdm" => python_publish(inv),
        "cosign" => cosign(inv),
        "gpg" | "gpg2" => send_keys(inv),
        "ssh-copy-id" => ssh_copy_id(inv),
        "mvn" | "mvnw" => maven(inv),
        "sbt" => sbt(inv),
        "gradle" | "gradlew" => gradle::publish(inv),
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

/// What a package manager's or release tool's configuration written
/// earlier (on the line or by an earlier step) changes in `inv`'s outcome:
/// a package upload goes where the files written configure it
/// ([`package`]), a `poetry config` keeps what its file held, and a
/// fastlane lane does what its Fastfile says
/// ([`super::deploy::fastlane::written_lanes`]).
pub(crate) fn configured(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    super::deploy::fastlane::written_lanes(inv, outcome, text_of);
    python_repos::append_to_config(inv, outcome, text_of);
    let Some(upload) = package(inv, text_of) else {
        return;
    };
    outcome
        .effects
        .retain(|effect| !matches!(effect, Effect::Request(r) if r.program == inv.program));
    outcome.effects.extend(upload.effects);
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
    (&["flit"], &["FLIT_PASSWORD", "FLIT_USERNAME"]),
    (&["hatch"], &["HATCH_INDEX_AUTH", "HATCH_INDEX_USER"]),
    (&["pdm"], &["PDM_PUBLISH_PASSWORD", "PDM_PUBLISH_USERNAME"]),
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
    (
        &["gradle", "gradlew"],
        &["GRADLE_PUBLISH_KEY", "GRADLE_PUBLISH_SECRET"],
    ),
    (
        &["jf", "jfrog"],
        &[
            "JF_ACCESS_TOKEN",
            "JF_PASSWORD",
            "JF_USER",
            "JFROG_CLI_ACCESS_TOKEN",
            "JFROG_CLI_PASSWORD",
            "JFROG_CLI_USER",
        ],
    ),
    (
        &["conan"],
        &[
            "CONAN_PASSWORD",
            "CONAN_PASSWORD_*",
            "CONAN_LOGIN_USERNAME",
            "CONAN_LOGIN_USERNAME_*",
        ],
    ),
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

/// The options of npm, pnpm and yarn that take a value, wherever they
/// stand. npm's `-w`/`--workspace NAME` picks a workspace and its `-C` is
/// `--prefix`; pnpm's `-w` is `--workspace-root` (a switch), its `-F` is
/// `--filter` and its `-C` is `--dir`; yarn's short options take none.
fn node_spec(program: &str) -> Spec<'static> {
    const LONG: &[&str] = &[
        "registry",
        "otp",
        "userconfig",
        "globalconfig",
        "workspace",
        "prefix",
        "cwd",
        "dir",
        "filter",
        "filter-prod",
        "tag",
        "access",
        "loglevel",
        "cache",
        "reporter",
        "store-dir",
        "workspace-concurrency",
        "auth-type",
    ];
    Spec {
        short: match program {
            "npm" => "wC",
            "pnpm" => "FC",
            _ => "",
        },
        long: LONG,
        stop_after: None,
    }
}

/// `npm|pnpm [GLOBAL-OPTIONS] publish ...` and `yarn [OPTIONS] npm publish`
/// with the options before the subcommand (`pnpm --filter @acme/ui publish
/// --access public`, `pnpm -r publish`, `npm --workspace ui publish`, `npm
/// --prefix pkg publish`): the same publish as with the subcommand first,
/// run in the directory `--prefix`/`-C`/`--dir`/`--cwd` name. The options
/// that choose which workspace packages are published (`--filter`,
/// `--workspace`) are dropped: the package stays the working directory's.
fn publish_after_options(inv: &Invocation<'_>) -> Option<Outcome> {
    if !inv.args.first().is_some_and(|a| a.text.starts_with('-')) {
        return None;
    }
    let spec = node_spec(inv.program);
    let takes_value = |name: &str| match name.strip_prefix("--") {
        Some(long) => spec.long.contains(&long),
        None => {
            let letters = name.get(1..).unwrap_or_default();
            letters.len() == 1 && spec.short.contains(letters)
        }
    };
    let mut kept: Vec<Arg> = Vec::new();
    let mut cwd: Option<String> = None;
    let mut at = 0;
    while let Some(word) = inv.args.get(at) {
        let text = word.text.as_str();
        if !text.starts_with('-') || text == "-" || text == "--" {
            break;
        }
        let (name, inline) = match text.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(word.with_text(value))),
            _ => (text, None),
        };
        let takes = inline.is_none() && takes_value(name);
        let value = inline.or_else(|| takes.then(|| inv.args.get(at + 1).cloned()).flatten());
        at += if takes { 2 } else { 1 };
        let npm = inv.program == "npm";
        match name {
            "--prefix" | "-C" | "--dir" | "--cwd" => cwd = value.map(|v| inv.path(&v.text)),
            "--filter" | "-F" | "--filter-prod" => {}
            "--workspace" | "-w" if npm => {}
            _ => {
                kept.push(word.clone());
                if takes {
                    kept.extend(value);
                }
            }
        }
    }
    let rest = inv.args.get(at..).unwrap_or_default();
    let publishes = match rest {
        [first, ..] if first.text == "publish" => inv.program != "yarn",
        [first, second, ..] => {
            inv.program == "yarn" && first.text == "npm" && second.text == "publish"
        }
        _ => false,
    };
    if !publishes {
        return None;
    }
    let mut argv = vec![Arg::literal(inv.program)];
    argv.extend(rest.iter().cloned());
    argv.extend(kept);
    Some(Outcome {
        nested: vec![Nested::Argv {
            argv,
            env: Vec::new(),
            cwd,
        }],
        ..Outcome::default()
    })
}

/// The public registry `program` talks to.
fn node_default_registry(program: &str) -> &'static str {
    if program == "yarn" {
        "https://registry.yarnpkg.com"
    } else {
        "https://registry.npmjs.org"
    }
}

/// The registry a change to `package` goes to, as npm chooses it: the
/// registry configured for the package's scope on the line
/// (`--@acme:registry=URL`), `--registry`, the environment's
/// (`npm_config_registry`, yarn's `YARN_NPM_REGISTRY_SERVER`), else the
/// public one. Without a trailing `/`.
fn node_registry(inv: &Invocation<'_>, items: &[Item<'_>], package: Option<&str>) -> String {
    let scoped = package
        .and_then(|p| p.strip_prefix('@'))
        .and_then(|p| p.split_once('/'))
        .and_then(|(scope, _)| {
            let option = format!("--@{scope}:registry");
            inv.args.iter().enumerate().find_map(|(at, word)| {
                match word.text.strip_prefix(option.as_str()) {
                    Some(value) if value.starts_with('=') => {
                        Some(value.trim_start_matches('=').to_owned())
                    }
                    Some("") => inv.args.get(at + 1).map(|v| v.text.clone()),
                    _ => None,
                }
            })
        });
    scoped
        .or_else(|| args::value(items, &["--registry"]).map(|r| r.text.clone()))
        .or_else(|| super::packages::env_registry(inv))
        .unwrap_or_else(|| node_default_registry(inv.program).to_owned())
        .trim_end_matches('/')
        .to_owned()
}

/// Changes at a package registry that are not a publish: `npm unpublish
/// [PKG]`, `npm deprecate PKG MSG`, `npm|pnpm dist-tag add|rm PKG TAG`,
/// `npm|pnpm|yarn owner add|rm USER [PKG]`, `yarn tag add|remove`, `yarn
/// npm tag add|remove`, and [`npm_access`]'s. (pnpm hands `unpublish`,
/// `deprecate`, `access` and `team` to npm.) They go to the registry
/// [`node_registry`] names, carrying what they name (a deprecation message
/// is published); adding or removing an owner changes who may publish the
/// package, and adding one grants that user access to it.
fn registry_change(inv: &Invocation<'_>) -> Option<Outcome> {
    let items = args::parse(inv.args, &node_spec(inv.program));
    let positional = args::positionals(&items);
    if let Some(outcome) = npm_access(inv, &items, &positional) {
        return Some(outcome);
    }
    let words: Vec<&str> = positional.iter().map(|a| a.text.as_str()).collect();
    // (method, how many leading words name the command, owner change)
    let (method, skip, owner) = match (inv.program, words.as_slice()) {
        ("npm" | "pnpm", ["unpublish", ..]) => ("DELETE", 1, false),
        ("npm" | "pnpm", ["deprecate", ..]) => ("PUT", 1, false),
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
    let registry = node_registry(inv, &items, package);
    let target = match package {
        Some(name) => format!("{registry}/{name}"),
        None => registry,
    };
    let mut payload = credentials(inv, &items, &["--otp"]);
    for operand in operands {
        flow::merge(&mut payload, &operand.payload());
    }
    let mut outcome = Outcome::default();
    if owner {
        // Who is removed is sent nothing: only the package's access changes.
        let grantee = (method == "PUT")
            .then(|| operands.first().map(|u| u.text.clone()))
            .flatten();
        outcome.effects.push(Effect::GrantAccess {
            resource: Resource::Other {
                name: format!("{} package {}", inv.program, package.unwrap_or_default()),
            },
            grantee,
        });
    }
    outcome
        .effects
        .push(request(inv.program, url(&target), method, payload, false));
    Some(outcome)
}

/// What an `npm access` or `npm team` command changes.
enum AccessChange {
    /// Anyone may install the package (`status=public`, `public`).
    Public,
    /// A setting of the package or team (`status=private`, `mfa=...`,
    /// `restricted`, `2fa-required`, `team create`).
    Setting,
    /// Access given to the team or user named at this word.
    Grant(usize),
    /// Access taken away.
    Revoke,
    /// A team removed.
    Remove,
}

/// `npm access` (npm 9's words and the older ones; pnpm hands it to npm)
/// and `npm team`, each a change at the registry ([`node_registry`]):
/// `npm access set status=public [PKG]` (older `npm access public [PKG]`)
/// makes an existing package public, as `status=private`, `restricted`,
/// `mfa=...` and `2fa-required` change its settings; `npm access grant
/// read-only|read-write SCOPE:TEAM [PKG]` gives the team access, `npm access
/// revoke SCOPE:TEAM [PKG]` takes it away; `npm team add SCOPE:TEAM USER`
/// adds a member, `team rm` removes one, `team create|destroy SCOPE:TEAM`
/// makes or removes a team. Without PKG, the package is the working
/// directory's. Listings (`list`, `get`, `ls-packages`, `team ls`) only read.
fn npm_access(inv: &Invocation<'_>, items: &[Item<'_>], positional: &[&Arg]) -> Option<Outcome> {
    if inv.program == "yarn" {
        return None;
    }
    let words: Vec<&str> = positional.iter().map(|a| a.text.as_str()).collect();
    // The change, and where the package or team is among the words.
    let (change, subject_at) = match words.as_slice() {
        ["access", "set", setting, ..] => match setting.split_once('=') {
            Some(("status", "public")) => (AccessChange::Public, 3),
            Some(_) => (AccessChange::Setting, 3),
            None => return Some(Outcome::default()),
        },
        ["access", "public", ..] => (AccessChange::Public, 2),
        [
            "access",
            "restricted" | "2fa-required" | "2fa-not-required",
            ..,
        ] => (AccessChange::Setting, 2),
        // `grant PERMISSION TEAM [PKG]`.
        ["access", "grant", ..] => (AccessChange::Grant(3), 4),
        ["access", "revoke", ..] => (AccessChange::Revoke, 3),
        ["team", "create", ..] => (AccessChange::Setting, 2),
        ["team", "destroy", ..] => (AccessChange::Remove, 2),
        // `team add TEAM USER`.
        ["team", "add", ..] => (AccessChange::Grant(3), 2),
        ["team", "rm" | "remove", ..] => (AccessChange::Revoke, 2),
        ["access" | "team", ..] => return Some(Outcome::default()),
        _ => return None,
    };
    let team = words.first() == Some(&"team");
    let subject = positional.get(subject_at).map(|a| a.text.as_str());
    let (resource, path, package) = if team {
        let team = subject.unwrap_or_default();
        let (scope, name) = team.split_once(':').unwrap_or((team, ""));
        let scope = scope.trim_start_matches('@');
        (
            format!("npm team {team}"),
            format!("-/team/{scope}/{name}"),
            None,
        )
    } else {
        let package = subject.map(package_name);
        let name = package.map_or_else(|| inv.cwd.to_owned(), str::to_owned);
        (
            format!("npm package {name}"),
            format!("-/package/{}/access", package.unwrap_or_default()),
            package,
        )
    };
    let registry = node_registry(inv, items, package);
    let target = format!("{registry}/{path}");
    let mut payload = credentials(inv, items, &["--otp"]);
    for operand in positional.iter().skip(2) {
        flow::merge(&mut payload, &operand.payload());
    }
    let resource = Resource::Other { name: resource };
    let mut outcome = Outcome::default();
    let method = match change {
        AccessChange::Public => {
            outcome.effects.push(Effect::MakePublic { resource });
            "PUT"
        }
        AccessChange::Setting => "PUT",
        AccessChange::Grant(at) => {
            outcome.effects.push(Effect::GrantAccess {
                resource,
                grantee: positional.get(at).map(|g| g.text.clone()),
            });
            "PUT"
        }
        AccessChange::Revoke => {
            outcome.effects.push(Effect::GrantAccess {
                resource,
                grantee: None,
            });
            "DELETE"
        }
        AccessChange::Remove => "DELETE",
    };
    outcome
        .effects
        .push(request(inv.program, url(&target), method, payload, false));
    Some(outcome)
}

/// crates.io, where cargo's registry commands go by default.
const CRATES_IO: &str = "https://crates.io";

/// The registry a cargo registry command goes to: `--index URL` (its
/// `sparse+` prefix dropped; crates.io's own index is crates.io), else the
/// registry `--registry NAME` (or `CARGO_REGISTRY_DEFAULT`) names, through
/// `CARGO_REGISTRIES_<NAME>_INDEX` when the line sets it; a name whose
/// index is in cargo's configuration stands for itself. `crates-io` and
/// none are crates.io.
fn cargo_registry_url(inv: &Invocation<'_>, items: &[Item<'_>]) -> String {
    let index_url = |text: &str| {
        let url = text
            .strip_prefix("sparse+")
            .or_else(|| text.strip_prefix("registry+"))
            .unwrap_or(text)
            .trim_end_matches('/');
        if url.contains("index.crates.io") || url.contains("github.com/rust-lang/crates.io-index") {
            CRATES_IO.to_owned()
        } else {
            url.to_owned()
        }
    };
    if let Some(index) = args::value(items, &["--index"]) {
        return index_url(&index.text);
    }
    let name = args::value(items, &["--registry"])
        .or_else(|| inv.env_value("CARGO_REGISTRY_DEFAULT"))
        .map(|n| n.text.clone());
    match name.as_deref() {
        None | Some("crates-io") => CRATES_IO.to_owned(),
        Some(name) => {
            let variable = format!(
                "CARGO_REGISTRIES_{}_INDEX",
                name.to_ascii_uppercase().replace('-', "_")
            );
            inv.env_value(&variable)
                .map_or_else(|| name.to_owned(), |index| index_url(&index.text))
        }
    }
}

/// `cargo yank [--version V] [--undo] CRATE[@V]` and `cargo owner --add
/// LOGIN | --remove LOGIN [CRATE]`, to the registry [`cargo_registry_url`]
/// names, with the `--token` given: a yank (or its undo) changes which
/// versions the registry offers; an owner change changes who may publish
/// the crate, and an added owner (a user or `github:ORG:TEAM`, several
/// separated by commas) is given that access. `cargo owner --list` reads.
/// Without CRATE, the crate is the working directory's. Global options
/// (`+toolchain`, `-Z`, `--config`, `-C DIR`) may come first.
fn cargo_registry(inv: &Invocation<'_>) -> Option<Outcome> {
    let verb_items = args::parse(
        inv.args,
        &Spec {
            short: "ZC",
            long: &["config", "color"],
            stop_after: None,
        },
    );
    let verb = args::positionals(&verb_items)
        .into_iter()
        .find(|a| !a.text.starts_with('+'))?;
    let owner = match verb.text.as_str() {
        "yank" => false,
        "owner" => true,
        _ => return None,
    };
    let items = args::parse(
        inv.args,
        &Spec {
            short: if owner { "ZCar" } else { "ZC" },
            long: &[
                "config", "color", "version", "vers", "index", "registry", "token", "add", "remove",
            ],
            stop_after: None,
        },
    );
    if args::has(&items, &["--help", "-h"]) {
        return Some(Outcome::default());
    }
    let operands: Vec<&Arg> = args::positionals(&items)
        .into_iter()
        .filter(|a| !a.text.starts_with('+'))
        .skip(1)
        .collect();
    let spec = operands.first().map(|c| c.text.as_str());
    let (krate, at_version) = match spec.and_then(|s| s.split_once('@')) {
        Some((name, version)) => (Some(name), Some(version)),
        None => (spec, None),
    };
    let registry = cargo_registry_url(inv, &items);
    let mut payload = credentials(inv, &items, &["--token"]);
    for operand in &operands {
        flow::merge(&mut payload, &operand.payload());
    }
    let crate_path = krate.map_or_else(String::new, |k| format!("/{k}"));
    let mut outcome = Outcome::default();
    let (target, method) = if owner {
        let logins = |names: &[&str]| -> Vec<Arg> {
            args::values(&items, names)
                .into_iter()
                .flat_map(|v| {
                    v.text
                        .split(',')
                        .map(|l| v.with_text(l.trim()))
                        .collect::<Vec<_>>()
                })
                .filter(|l| !l.text.is_empty())
                .collect()
        };
        let added = logins(&["-a", "--add"]);
        let removed = logins(&["-r", "--remove"]);
        if added.is_empty() && removed.is_empty() {
            return Some(outcome);
        }
        let resource = || Resource::Other {
            name: format!("cargo crate {}", krate.unwrap_or(inv.cwd)),
        };
        for login in &added {
            outcome.effects.push(Effect::GrantAccess {
                resource: resource(),
                grantee: Some(login.text.clone()),
            });
        }
        // Who is removed is sent nothing: only the crate's access changes.
        if !removed.is_empty() {
            outcome.effects.push(Effect::GrantAccess {
                resource: resource(),
                grantee: None,
            });
        }
        for login in added.iter().chain(&removed) {
            flow::merge(&mut payload, &login.payload());
        }
        let method = if added.is_empty() { "DELETE" } else { "PUT" };
        (
            format!("{registry}/api/v1/crates{crate_path}/owners"),
            method,
        )
    } else {
        let version = args::value(&items, &["--version", "--vers"])
            .map(|v| {
                flow::merge(&mut payload, &v.payload());
                v.text.clone()
            })
            .or(at_version.map(str::to_owned))
            .map_or_else(String::new, |v| format!("/{v}"));
        let (action, method) = if args::has(&items, &["--undo"]) {
            ("unyank", "PUT")
        } else {
            ("yank", "DELETE")
        };
        (
            format!("{registry}/api/v1/crates{crate_path}{version}/{action}"),
            method,
        )
    };
    outcome
        .effects
        .push(request(inv.program, url(&target), method, payload, false));
    Some(outcome)
}

/// nuget.org's package source, where a push goes when no source is named.
const NUGET_ORG: &str = "https://api.nuget.org/v3/index.json";

/// `dotnet nuget push PKG [-s|--source SOURCE] [-k|--api-key KEY]
/// [-ss|--symbol-source S] [-sk|--symbol-api-key K] [-n|--no-symbols]`,
/// `dotnet nuget delete ID VERSION [-s SOURCE] [-k KEY]`, and nuget.exe's
/// `nuget push PKG [KEY] [-Source S] [-ApiKey K] [-SymbolSource S]` and
/// `nuget delete ID VERSION [-Source S]` (its options in any case). A push
/// uploads the package (and its symbols to a symbol source) with the key
/// given; a delete removes (on nuget.org, unlists) a version. SOURCE is a
/// URL, nuget.org's name, a local folder feed (a copy into it), a
/// `\\host\share` feed, or a source configured by name (where it leads is
/// not on the line: the name stands for the host); with none the push goes
/// to nuget.org. Options take `-s URL`, `--source=URL` or `--source:URL`.
fn nuget(inv: &Invocation<'_>) -> Option<Outcome> {
    let words = match inv.program {
        "dotnet" => match inv.args.split_first() {
            Some((first, rest)) if first.text == "nuget" => rest,
            _ => return None,
        },
        _ => inv.args,
    };
    const VALUES: &[&str] = &[
        "-s",
        "--source",
        "-source",
        "-k",
        "--api-key",
        "-apikey",
        "-ss",
        "--symbol-source",
        "-symbolsource",
        "-sk",
        "--symbol-api-key",
        "-symbolapikey",
        "-t",
        "--timeout",
        "-timeout",
        "--configfile",
        "-configfile",
        "-verbosity",
        "-v",
        "--verbosity",
    ];
    let mut options: Vec<(String, Option<Arg>)> = Vec::new();
    let mut positional: Vec<&Arg> = Vec::new();
    let mut iter = words.iter();
    while let Some(word) = iter.next() {
        let text = word.text.as_str();
        if !text.starts_with('-') || text == "-" {
            positional.push(word);
            continue;
        }
        let lower = text.to_ascii_lowercase();
        let inline = lower
            .find(['=', ':'])
            .filter(|at| VALUES.contains(&lower.get(..*at).unwrap_or_default()));
        match inline {
            Some(at) => options.push((
                lower.get(..at).unwrap_or_default().to_owned(),
                Some(word.with_text(text.get(at + 1..).unwrap_or_default())),
            )),
            None if VALUES.contains(&lower.as_str()) => {
                options.push((lower, iter.next().cloned()));
            }
            None => options.push((lower, None)),
        }
    }
    let value = |names: &[&str]| {
        options
            .iter()
            .rev()
            .find(|(name, _)| names.contains(&name.as_str()))
            .and_then(|(_, value)| value.as_ref())
    };
    let has = |names: &[&str]| {
        options
            .iter()
            .any(|(name, _)| names.contains(&name.as_str()))
    };
    let (verb, operands) = positional.split_first()?;
    let push = match verb.text.to_ascii_lowercase().as_str() {
        "push" => true,
        "delete" => false,
        _ => return None,
    };
    if has(&["-h", "--help", "-?", "-help"]) {
        return Some(Outcome::default());
    }
    let mut payload = Payload::default();
    for key in [
        value(&["-k", "--api-key", "-apikey"]),
        value(&["-sk", "--symbol-api-key", "-symbolapikey"]),
    ]
    .into_iter()
    .flatten()
    {
        flow::merge(&mut payload, &key.payload());
    }
    let mut outcome = Outcome::default();
    let source = value(&["-s", "--source", "-source"]).map(|s| s.text.as_str());
    let method = if push {
        // nuget.exe takes the key as a second operand too.
        if inv.program == "nuget"
            && let Some(key) = operands.get(1)
        {
            flow::merge(&mut payload, &key.payload());
        }
        for package in operands.iter().take(1) {
            send_file(inv, &mut payload, &package.text, false);
        }
        if let Some(symbols) = value(&["-ss", "--symbol-source", "-symbolsource"])
            && !has(&["-n", "--no-symbols", "-nosymbols"])
            && let Some(target) = nuget_source(inv, Some(&symbols.text), &mut outcome, operands)
        {
            outcome.effects.push(request(
                inv.program,
                target,
                "UPLOAD",
                payload.clone(),
                false,
            ));
        }
        "UPLOAD"
    } else {
        for operand in operands.iter().take(2) {
            flow::merge(&mut payload, &operand.payload());
        }
        "DELETE"
    };
    if let Some(target) = nuget_source(inv, source, &mut outcome, operands) {
        let public = push && source.is_none_or(nuget_org);
        outcome
            .effects
            .push(request(inv.program, target, method, payload, public));
    }
    Some(outcome)
}

/// Whether a NuGet source is nuget.org (by URL or by its configured name).
fn nuget_org(source: &str) -> bool {
    source.eq_ignore_ascii_case("nuget.org") || source == NUGET_ORG
}

/// Where a NuGet source leads (see [`nuget`]); a local folder feed is a
/// write of the pushed packages there, reported in `outcome`, and no
/// destination.
fn nuget_source(
    inv: &Invocation<'_>,
    source: Option<&str>,
    outcome: &mut Outcome,
    operands: &[&Arg],
) -> Option<Target> {
    let source = match source {
        None => return Some(url(NUGET_ORG)),
        Some(s) if nuget_org(s) => return Some(url(NUGET_ORG)),
        Some(s) => s,
    };
    if source.contains("://") {
        return Some(url(source));
    }
    if let Some(unc) = source
        .strip_prefix("\\\\")
        .or_else(|| source.strip_prefix("//"))
    {
        let (host, path) = unc.split_once(['\\', '/']).unwrap_or((unc, ""));
        return Some(Target::Host {
            user: None,
            host: host.to_owned(),
            port: None,
            path: (!path.is_empty()).then(|| path.replace('\\', "/")),
        });
    }
    let windows_drive = source.as_bytes().get(1) == Some(&b':');
    if source.starts_with(['/', '.', '~']) || windows_drive {
        let dir = inv.path(source);
        for package in operands.iter().take(1) {
            let name = package.text.rsplit(['/', '\\']).next().unwrap_or_default();
            outcome.write(format!("{}/{name}", dir.trim_end_matches('/')), false);
        }
        return None;
    }
    Some(Target::Host {
        user: None,
        host: source.to_owned(),
        port: None,
        path: None,
    })
}

/// How a Python publisher other than twine, poetry and uv (those are
/// [`super::cloud`]'s) is called.
struct PythonPublisher {
    /// Global options before the subcommand that take a value.
    global_values: &'static [&'static str],
    /// The subcommand's short and long options that take a value.
    short: &'static str,
    long: &'static [&'static str],
    /// Options naming the repository (a URL or a configured name).
    repository_options: &'static [&'static str],
    /// Environment variables naming the repository as those options do.
    repository_env: &'static [&'static str],
    /// Environment variables with the repository's URL, which win over
    /// the options.
    url_env: &'static [&'static str],
    /// Options whose values are credentials sent.
    credential_options: &'static [&'static str],
    /// Repository names the tool knows without configuration: PyPI's and
    /// TestPyPI's.
    pypi: &'static [&'static str],
    testpypi: &'static [&'static str],
    /// What is uploaded when no artifact is named: the project directory
    /// (its package as the tool builds it), or the files of a directory
    /// (`dist`, or the one `dist_options` names).
    uploads_project: bool,
    dist_options: &'static [&'static str],
}

/// `flit [-f pyproject.toml] publish [--repository NAME] [--pypirc F]`:
/// the package flit builds from the project, to `FLIT_INDEX_URL` or the
/// `.pypirc` repository NAME (`pypi` by default).
const FLIT: PythonPublisher = PythonPublisher {
    global_values: &["-f", "--ini-file"],
    short: "",
    long: &["repository", "pypirc", "format"],
    repository_options: &["--repository"],
    repository_env: &[],
    url_env: &["FLIT_INDEX_URL"],
    credential_options: &[],
    pypi: &["pypi"],
    testpypi: &["testpypi"],
    uploads_project: true,
    dist_options: &[],
};

/// `hatch [-e ENV] [-p PROJECT] publish [-r main|test|URL|NAME] [-u USER]
/// [-a AUTH] [ARTIFACT...]`: `dist/` by default, to PyPI (`main`).
const HATCH: PythonPublisher = PythonPublisher {
    global_values: &[
        "-e",
        "--env",
        "-p",
        "--project",
        "--data-dir",
        "--cache-dir",
        "--config",
    ],
    short: "ruapo",
    long: &[
        "repo",
        "user",
        "auth",
        "ca-cert",
        "client-cert",
        "client-key",
        "publisher",
        "option",
    ],
    repository_options: &["-r", "--repo"],
    repository_env: &["HATCH_INDEX_REPO"],
    url_env: &[],
    credential_options: &["-u", "--user", "-a", "--auth"],
    pypi: &["main", "pypi"],
    testpypi: &["test", "testpypi"],
    uploads_project: false,
    dist_options: &[],
};

/// `pdm publish [-r pypi|testpypi|URL|NAME] [-u USER] [-P PASSWORD] [-d
/// DIR]`: builds into `dist/` (or DIR) and uploads what is there.
const PDM: PythonPublisher = PythonPublisher {
    global_values: &["-c", "--config", "-p", "--project"],
    short: "ruPicdp",
    long: &[
        "repository",
        "username",
        "password",
        "identity",
        "comment",
        "ca-certs",
        "cert",
        "client-cert",
        "client-key",
        "dest",
        "project",
        "venv",
    ],
    repository_options: &["-r", "--repository"],
    repository_env: &["PDM_PUBLISH_REPO"],
    url_env: &[],
    credential_options: &["-u", "--username", "-P", "--password"],
    pypi: &["pypi"],
    testpypi: &["testpypi"],
    uploads_project: false,
    dist_options: &["-d", "--dest"],
};

/// Where a package is uploaded to PyPI and TestPyPI.
const PYPI_UPLOAD: &str = "https://upload.pypi.org/legacy/";
const TESTPYPI_UPLOAD: &str = "https://test.pypi.org/legacy/";

/// `flit publish`, `hatch publish`, `pdm publish` ([`FLIT`], [`HATCH`],
/// [`PDM`]): the package goes to the repository the line or its
/// environment names, PyPI by default (public), with the credentials
/// given. A repository named only in the tool's configuration stands for
/// itself, as poetry's `-r NAME` does.
fn python_publish(inv: &Invocation<'_>) -> Option<Outcome> {
    let tool = match inv.program {
        "flit" => &FLIT,
        "hatch" => &HATCH,
        _ => &PDM,
    };
    let mut at = 0;
    while let Some(word) = inv.args.get(at) {
        let text = word.text.as_str();
        if !text.starts_with('-') {
            break;
        }
        at += if tool.global_values.contains(&text) {
            2
        } else {
            1
        };
    }
    let (verb, rest) = inv.args.get(at..).unwrap_or_default().split_first()?;
    if verb.text != "publish" {
        return None;
    }
    let items = args::parse(
        rest,
        &Spec {
            short: tool.short,
            long: tool.long,
            stop_after: None,
        },
    );
    if args::has(&items, &["--help", "-h"]) {
        return Some(Outcome::default());
    }
    let named = tool
        .url_env
        .iter()
        .find_map(|name| inv.env_value(name))
        .or_else(|| args::value(&items, tool.repository_options))
        .or_else(|| {
            tool.repository_env
                .iter()
                .find_map(|name| inv.env_value(name))
        })
        .map(|r| r.text.clone())
        .filter(|r| !r.is_empty());
    let registry = match named.as_deref() {
        None => PYPI_UPLOAD.to_owned(),
        Some(name) if tool.pypi.contains(&name) => PYPI_UPLOAD.to_owned(),
        Some(name) if tool.testpypi.contains(&name) => TESTPYPI_UPLOAD.to_owned(),
        Some(other) => other.to_owned(),
    };
    let public = registry == PYPI_UPLOAD || registry == TESTPYPI_UPLOAD;
    let mut payload = credentials(inv, &items, tool.credential_options);
    let artifacts = args::positionals(&items);
    if tool.uploads_project {
        // flit's `-f pyproject.toml` names the project's file.
        let ini = inv
            .args
            .get(..at)
            .unwrap_or_default()
            .windows(2)
            .find_map(|pair| {
                tool.global_values
                    .contains(&pair[0].text.as_str())
                    .then_some(&pair[1])
            });
        let dir = ini.map_or_else(
            || inv.cwd.to_owned(),
            |file| {
                let path = inv.path(&file.text);
                path.rsplit_once('/')
                    .map_or(path.clone(), |(dir, _)| dir.to_owned())
            },
        );
        flow::push_file(
            &mut payload,
            crate::FileRef {
                path: dir,
                recursive: false,
                excludes: Vec::new(),
            },
        );
    } else if artifacts.is_empty() {
        let dist = args::value(&items, tool.dist_options).map_or("dist", |d| d.text.as_str());
        send_file(
            inv,
            &mut payload,
            &format!("{}/*", dist.trim_end_matches('/')),
            false,
        );
    } else {
        for artifact in artifacts {
            send_file(inv, &mut payload, &artifact.text, false);
        }
    }
    Some(Outcome::default().effect(request(
        inv.program,
        url(&registry),
        "UPLOAD",
        payload,
        public,
    )))
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
pub(super) const MAVEN_VALUE_OPTIONS: &[&str] = &[
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

/// `sbt ['set publishTo := Some("name" at "URL")'] publish`: each argument
/// is an sbt command, run in order; a `set` of `publishTo` (for any scope:
/// `ThisBuild / publishTo`, `ledger / publishTo`) to a resolver with a URL
/// (`"name" at "URL"`, `Resolver.url("name", url("URL"))`,
/// `MavenRepository("name", "URL")`) sends what a later `publish` (`+publish`,
/// `ledger/publish`, `publishSigned`) builds, the project's directory, to
/// that URL. Where the build file names the repository the line does not
/// say where: nothing is reported, as for Maven.
fn sbt(inv: &Invocation<'_>) -> Option<Outcome> {
    let mut destination: Option<String> = None;
    let mut outcome = Outcome::default();
    for command in inv.args.iter().map(|a| a.text.trim()) {
        if let Some(setting) = command.strip_prefix("set ")
            && let Some((key, value)) = setting.split_once(":=")
            && key.trim().ends_with("publishTo")
        {
            destination = quoted_strings(value)
                .into_iter()
                .find(|text| text.contains("://") && !text.starts_with("file:"));
            continue;
        }
        let task = command.trim_start_matches('+');
        let task = task.rsplit('/').next().unwrap_or(task).trim();
        let publishes = matches!(task, "publish" | "publishSigned" | "releaseEarly");
        if let (true, Some(target)) = (publishes, &destination) {
            outcome.effects.push(request(
                inv.program,
                url(target),
                "UPLOAD",
                flow::file_payload(inv.cwd.to_owned(), false),
                false,
            ));
        }
    }
    (!outcome.effects.is_empty()).then_some(outcome)
}

/// The double-quoted strings of Scala text, in order.
fn quoted_strings(text: &str) -> Vec<String> {
    text.split('"')
        .enumerate()
        .filter(|(index, _)| index % 2 == 1)
        .map(|(_, inner)| inner.to_owned())
        .collect()
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
