//! Package uploads to a registry: `npm|pnpm|yarn publish`, yarn 2's `yarn
//! npm publish`, `cargo publish`, `gem push`, `poetry publish`, `twine
//! upload`, `uv publish`. Where each goes, and whether it goes at all, is
//! the tool's configuration: the line's options, then its environment,
//! then the configuration files written earlier (on the line or by an
//! earlier step): npm's `.npmrc` files and the package's `publishConfig`
//! ([`NpmConfig`]), poetry's repositories and twine's `.pypirc`
//! ([`super::python_repos`]). The same handler runs at dispatch, with no
//! file known, and again once the walk knows what was written
//! ([`super::configured`]).

use serde_json::Value as Json;

use super::python_repos;
use crate::args::{self, Arg, Item, Spec};
use crate::commands::packages::npm_config::{self, NpmConfig};
use crate::commands::{Invocation, Lookup, Outcome, request, url};
use crate::{FileRef, Payload, flow};

/// npm's public registry.
const NPM_REGISTRY: &str = "https://registry.npmjs.org";
/// PyPI's upload endpoint.
pub(super) const PYPI_UPLOAD: &str = "https://upload.pypi.org/legacy/";

/// A package upload's outcome, when `inv` is one.
pub(in crate::commands) fn package(inv: &Invocation<'_>, text_of: &Lookup<'_>) -> Option<Outcome> {
    let first = inv.args.first().map(|a| a.text.as_str());
    let second = inv.args.get(1).map(|a| a.text.as_str());
    let (manager, default_registry) = match (inv.program, first, second) {
        ("npm" | "pnpm" | "yarn", Some("pack"), _) => {
            return Some(package_listing(inv, "--dry-run"));
        }
        ("cargo", Some("package"), _) => return Some(package_listing(inv, "--list")),
        ("npm" | "pnpm" | "yarn", Some("publish"), _) => ("npm", NPM_REGISTRY),
        ("cargo", Some("publish"), _) => ("cargo", "https://crates.io"),
        ("gem", Some("push"), _) => ("gem", "https://rubygems.org"),
        ("poetry", Some("publish"), _) => ("poetry", PYPI_UPLOAD),
        ("twine", Some("upload"), _) => ("twine", PYPI_UPLOAD),
        ("uv", Some("publish"), _) => ("uv", PYPI_UPLOAD),
        // Yarn 2+: `yarn npm publish`.
        ("yarn", Some("npm"), Some("publish")) => {
            let rest = inv.with_args(inv.args.get(1..).unwrap_or_default());
            return Some(upload(
                &rest,
                "yarn",
                "https://registry.yarnpkg.com",
                text_of,
            ));
        }
        _ => return None,
    };
    Some(upload(inv, manager, default_registry, text_of))
}

/// A dry run of a package upload sends nothing; npm's (and pnpm's and
/// yarn's) prints the package's contents, which a later publish of the
/// same directory sends.
fn dry_run_listing(inv: &Invocation<'_>, manager: &str, items: &[Item<'_>]) -> Outcome {
    if manager != "npm" {
        return Outcome::default();
    }
    package_dir(inv, &args::positionals(items))
        .map(listed_package)
        .unwrap_or_default()
}

/// `npm pack --dry-run [DIR]` (pnpm's and yarn's too) and `cargo package
/// --list [--manifest-path DIR/Cargo.toml]`: the package's contents,
/// printed, not packed. Packing for real writes an archive beside it; a
/// package named from a registry (`npm pack lodash`) lists nothing here.
fn package_listing(inv: &Invocation<'_>, listing_switch: &str) -> Outcome {
    let items = args::parse(inv.args.get(1..).unwrap_or_default(), &spec(inv.program));
    let cargo_list = listing_switch == "--list" && args::has(&items, &["-l"]);
    if !args::has(&items, &[listing_switch]) && !cargo_list {
        return Outcome::default();
    }
    let dir = if inv.program == "cargo" {
        match args::value(&items, &["--manifest-path"]) {
            Some(manifest) => Some(inv.path(manifest.text.trim_end_matches("Cargo.toml"))),
            None if args::value(&items, &["-p", "--package"]).is_none() => Some(inv.cwd.to_owned()),
            None => None,
        }
    } else {
        package_dir(inv, &args::positionals(&items))
    };
    dir.map(listed_package).unwrap_or_default()
}

/// The directory a package is built from: the working directory, or the
/// one path given (`./packages/sdk`); `None` for a package named any
/// other way (a registry name, a tarball, several).
fn package_dir(inv: &Invocation<'_>, positional: &[&Arg]) -> Option<String> {
    match positional {
        [] => Some(inv.cwd.to_owned()),
        [dir]
            if !dir.dynamic
                && (dir.text.starts_with(['.', '/']) || dir.text.starts_with("~/"))
                && !dir.text.ends_with(".tgz") =>
        {
            Some(inv.path(&dir.text))
        }
        _ => None,
    }
}

fn listed_package(dir: String) -> Outcome {
    Outcome::default().effect(crate::Effect::List(crate::Listing {
        dir,
        recursive: true,
        package: true,
    }))
}

/// Options of a publisher whose values are credentials it sends.
fn credential_options(manager: &str) -> &'static [&'static str] {
    match manager {
        "twine" | "poetry" => &["-u", "-p", "--username", "--password"],
        "uv" => &["-u", "-p", "-t", "--username", "--password", "--token"],
        "cargo" => &["--token"],
        _ => &["--otp"],
    }
}

/// Environment variables that name a publisher's registry in place of the
/// default one.
const REGISTRY_ENV: &[(&str, &str)] = &[
    ("uv", "UV_PUBLISH_URL"),
    ("twine", "TWINE_REPOSITORY_URL"),
    ("gem", "RUBYGEMS_HOST"),
    ("yarn", "YARN_NPM_PUBLISH_REGISTRY"),
    ("yarn", "YARN_NPM_REGISTRY_SERVER"),
];

/// The options publishers take with a value. Short options that take a
/// value differ by tool: twine's and poetry's `-r REPOSITORY`, but pnpm's
/// `-r` is `--recursive`.
fn spec(program: &str) -> Spec<'static> {
    let short = match program {
        "npm" => "w",
        "pnpm" => "wFC",
        "yarn" => "",
        "cargo" => "pjZ",
        "gem" => "k",
        "uv" => "upt",
        "poetry" => "rupC",
        _ => "rupci",
    };
    Spec {
        short,
        long: &[
            "registry",
            "repository-url",
            "repository",
            "tag",
            "access",
            "otp",
            "token",
            "manifest-path",
            "index",
            "username",
            "password",
            "package",
            "config-file",
            "workspace",
            "publish-url",
            "check-url",
            "trusted-publishing",
            "keyring-provider",
            "host",
            "key",
            "identity",
            "sign-with",
            "comment",
            "client-cert",
            "cert",
            "cache-dir",
            "directory",
            "project",
            "userconfig",
        ],
        stop_after: None,
    }
}

/// Where an upload goes and what configuration adds to what it sends.
struct Destination {
    registry: String,
    /// Credentials the configuration holds for it.
    credentials: Payload,
    /// The configuration makes it a dry run (`npm_config_dry_run=true`).
    dry_run: bool,
}

/// `npm publish`, `cargo publish`, `twine upload dist/*`, `uv publish`,
/// `gem push X.gem [--host URL]`: public uploads, to the registry the
/// line or the configuration names or the public one, carrying the
/// credentials given on the line ([`super::credentials`]; npm's
/// `--//host/:_authToken=T` too) and those configured for that registry.
fn upload(
    inv: &Invocation<'_>,
    manager: &str,
    default_registry: &str,
    text_of: &Lookup<'_>,
) -> Outcome {
    let items = args::parse(inv.args.get(1..).unwrap_or_default(), &spec(inv.program));
    if args::has(&items, &["--dry-run", "-n"]) {
        return dry_run_listing(inv, manager, &items);
    }
    let Some(destination) = destination(inv, manager, default_registry, &items, text_of) else {
        return Outcome::default();
    };
    if destination.dry_run {
        return dry_run_listing(inv, manager, &items);
    }
    let restricted = args::value(&items, &["--access"]).is_some_and(|a| a.text == "restricted");
    let registry = destination.registry;
    let private_registry = registry.trim_end_matches('/') != default_registry.trim_end_matches('/');
    // A package is what its manifest and ignore files select from the
    // tree, not the working tree: what lies beside it (a `.env`) is not
    // guessed into it, so the directory is not read as a whole tree.
    let mut payload = super::credentials(inv, &items, credential_options(manager));
    flow::merge(&mut payload, &destination.credentials);
    for (name, value) in args::options(&items) {
        let lower = name.to_ascii_lowercase();
        if lower.contains("_auth") || lower.contains("_password") {
            flow::merge(&mut payload, &value.payload());
        }
    }
    let mut positional = args::positionals(&items);
    // `uv publish` uploads `dist/*` unless it is given files.
    let dist = Arg::literal("dist/*");
    if manager == "uv" && positional.is_empty() {
        positional.push(&dist);
    }
    if positional.is_empty() || manager == "cargo" {
        let dir = args::value(&items, &["--manifest-path"])
            .map(|m| inv.path(m.text.trim_end_matches("Cargo.toml")))
            .unwrap_or_else(|| inv.cwd.to_owned());
        flow::push_file(
            &mut payload,
            FileRef {
                path: dir,
                recursive: false,
                excludes: Vec::new(),
            },
        );
    }
    if manager != "cargo" {
        for file in positional {
            flow::push_file(
                &mut payload,
                FileRef {
                    path: inv.path(&file.text),
                    recursive: false,
                    excludes: Vec::new(),
                },
            );
        }
    }
    Outcome::default().effect(request(
        inv.program,
        url(&registry),
        "UPLOAD",
        payload,
        !restricted && !private_registry,
    ))
}

/// Where the upload goes, by the manager's configuration; `None` when
/// that is not on the line or in a file known (uv's `--index NAME`).
fn destination(
    inv: &Invocation<'_>,
    manager: &str,
    default_registry: &str,
    items: &[Item<'_>],
    text_of: &Lookup<'_>,
) -> Option<Destination> {
    let from_env = REGISTRY_ENV
        .iter()
        .filter(|(m, _)| *m == manager)
        .find_map(|(_, name)| inv.env_value(name))
        .map(|v| v.text.clone())
        .filter(|v| !v.is_empty());
    let named = args::value(
        items,
        &["--registry", "--repository-url", "--publish-url", "--host"],
    )
    .map(|r| r.text.clone())
    .or(from_env);
    let plain = |registry: String| Destination {
        registry,
        credentials: Payload::default(),
        dry_run: false,
    };
    match manager {
        "npm" => Some(npm_destination(inv, items, text_of)),
        "poetry" | "twine" => {
            let repository = args::value(items, &["-r", "--repository"]).or_else(|| {
                (manager == "twine")
                    .then(|| inv.env_value("TWINE_REPOSITORY"))
                    .flatten()
            });
            let Some(repository) = repository.filter(|_| named.is_none()) else {
                return Some(plain(named.unwrap_or_else(|| default_registry.to_owned())));
            };
            let found = if manager == "poetry" {
                python_repos::poetry_repository(inv, &repository.text, text_of)
                    .map(|url| (url, Payload::default()))
            } else {
                let config = args::value(items, &["--config-file"]).map(|f| inv.path(&f.text));
                python_repos::pypirc_repository(inv, config.as_deref(), &repository.text, text_of)
            };
            let (registry, credentials) = found.unwrap_or_else(|| {
                let registry = match repository.text.as_str() {
                    "testpypi" => "https://test.pypi.org/legacy/".to_owned(),
                    "pypi" => default_registry.to_owned(),
                    other => other.to_owned(),
                };
                (registry, Payload::default())
            });
            Some(Destination {
                registry,
                credentials,
                dry_run: false,
            })
        }
        _ => {
            // uv's `--index NAME` names an index of the project's
            // configuration: where it publishes is not on the line.
            let index = args::value(items, &["--index"]).map(|r| r.text.clone());
            if manager == "uv"
                && named.is_none()
                && index.as_ref().is_some_and(|i| !i.contains("://"))
            {
                return None;
            }
            Some(plain(
                named
                    .or(index)
                    .unwrap_or_else(|| default_registry.to_owned()),
            ))
        }
    }
}

/// Where `npm|pnpm|yarn publish [FOLDER]` sends the package, as npm's
/// configuration ([`NpmConfig`]) names it, with the package's
/// `publishConfig` over all but the line's options, and the package's
/// scope's registry over the plain one.
fn npm_destination(inv: &Invocation<'_>, items: &[Item<'_>], text_of: &Lookup<'_>) -> Destination {
    // npm's `--workspace` names a workspace by its name or its folder;
    // a folder (`packages/ui`) is the package published.
    let workspace_folder = args::value(items, &["--workspace", "-w"])
        .filter(|w| inv.program == "npm" && (w.text.contains('/') || w.text.starts_with('.')));
    let folder = args::positionals(items)
        .into_iter()
        .find(|p| !p.text.ends_with(".tgz"))
        .or(workspace_folder)
        .map_or_else(|| inv.cwd.to_owned(), |p| inv.path(&p.text));
    let cli: Vec<(String, Arg)> = args::options(items)
        .filter_map(|(name, value)| Some((name.strip_prefix("--")?.to_owned(), value.clone())))
        .chain(
            items
                .iter()
                .filter_map(|item| match item {
                    Item::Opt { name, value: None } => name.strip_prefix("--"),
                    Item::Pos(_) | Item::Opt { .. } => None,
                })
                .map(switch_setting),
        )
        .collect();
    let mut config = NpmConfig::read(inv, cli, &folder, text_of);
    let manifest = text_of(&format!("{}/package.json", folder.trim_end_matches('/')))
        .and_then(|text| serde_json::from_str::<Json>(&text).ok());
    let package = manifest
        .as_ref()
        .and_then(|m| m.get("name"))
        .and_then(Json::as_str)
        .map(str::to_owned);
    if let Some(Json::Object(settings)) = manifest.as_ref().and_then(|m| m.get("publishConfig")) {
        let settings = settings
            .iter()
            .filter_map(|(key, value)| {
                let text = match value {
                    Json::String(text) => text.clone(),
                    Json::Bool(on) => on.to_string(),
                    _ => return None,
                };
                Some((key.clone(), npm_config::setting(&text)))
            })
            .collect();
        config.override_with(settings);
    }
    let registry = config
        .registry(package.as_deref())
        .unwrap_or_else(|| NPM_REGISTRY.to_owned());
    Destination {
        credentials: config.credentials(&registry),
        dry_run: config.flag("dry-run"),
        registry,
    }
}

/// A switch on the line as a setting: `--dry-run` is `dry-run=true`,
/// `--no-dry-run` is `dry-run=false`.
fn switch_setting(name: &str) -> (String, Arg) {
    match name.strip_prefix("no-") {
        Some(key) => (key.to_owned(), Arg::literal("false")),
        None => (name.to_owned(), Arg::literal("true")),
    }
}
