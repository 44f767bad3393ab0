//! Package installs from public registries, and what package managers
//! send to the servers they are configured with: Conan's remotes and
//! uploads ([`conan`]) and the binary caches vcpkg's builds read and
//! write ([`vcpkg`]).

use std::borrow::Cow;

mod conan;
pub(super) mod npm_config;
mod vcpkg;

use super::{Invocation, Lookup, Nested, Outcome, request, url};
use crate::args::{self, Arg, Spec};
use crate::{Effect, PackageInstall, Payload, flow};

/// Global options a package manager takes before its subcommand, with a
/// value in the next word (`npm --prefix web install`, `apt-get -o X=Y
/// install`).
const GLOBAL_VALUE_OPTIONS: &[&str] = &[
    "--prefix",
    "-C",
    "--dir",
    "--filter",
    "-F",
    "--cwd",
    "-o",
    "-c",
    "-t",
    "--option",
    "--config-file",
    "--target-release",
    "--installroot",
    "--proxy",
    "--cache-dir",
    "--log",
    "--python",
    "--directory",
    "--project",
];

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    if inv.program == "conan" {
        return conan::handle(inv);
    }
    // The subcommand follows any global options (`apt-get -y install`,
    // `pip -q install`, `npm --prefix web install`, `cargo +nightly install`).
    // (pacman's operation is itself an option: `pacman -S x`.)
    let mut start = 0;
    let operation_is_an_option = matches!(inv.program, "pacman" | "yay" | "paru");
    while let Some(word) = inv
        .args
        .get(start)
        .map(|a| a.text.as_str())
        .filter(|_| !operation_is_an_option)
    {
        if word.starts_with('+') && inv.program == "cargo" {
            start += 1;
        } else if word.starts_with('-') && word != "-" {
            // npm's `-w`/`--workspace NAME` picks a workspace (pnpm's `-w`
            // is `--workspace-root`, a switch).
            let npm_workspace = inv.program == "npm" && matches!(word, "-w" | "--workspace");
            start += if GLOBAL_VALUE_OPTIONS.contains(&word) || npm_workspace {
                2
            } else {
                1
            };
        } else {
            break;
        }
    }
    let args = inv.args.get(start..).unwrap_or_default();
    let (first, rest) = match args.split_first() {
        Some((first, rest)) => (first.text.as_str(), rest),
        None => ("", args),
    };
    if inv.program == "yarn"
        && let Some(argv) = yarn_workspace_command(first, rest)
    {
        let mut outcome = Outcome::default();
        if !argv.is_empty() {
            outcome.nested.push(Nested::Argv {
                argv,
                env: Vec::new(),
                cwd: None,
            });
        }
        return Some(outcome);
    }
    let runner_words = match (inv.program, first) {
        ("npx" | "bunx" | "uvx", _) => Some(inv.args),
        ("pnpm" | "yarn", "dlx") | ("pipx", "run") => Some(rest),
        ("uv", "tool") if rest.first().is_some_and(|a| a.text == "run") => {
            Some(rest.get(1..).unwrap_or_default())
        }
        _ => None,
    };
    if let Some(words) = runner_words {
        return Some(run_package(inv, words));
    }
    let packages = match (inv.program, first) {
        ("npm", "install" | "i" | "add" | "in" | "ins" | "isntall")
        | ("pnpm", "add" | "install" | "i")
        | ("bun", "add" | "install" | "i" | "a") => node_packages(inv.program, rest),
        ("yarn", "add") => node_packages(inv.program, rest),
        ("yarn", "global") if rest.first().is_some_and(|a| a.text == "add") => {
            node_packages(inv.program, rest.get(1..).unwrap_or_default())
        }
        ("pip" | "pip3" | "pipx", "install") => pip_packages(inv.program, rest),
        ("uv", "pip") if rest.first().is_some_and(|a| a.text == "install") => {
            pip_packages(inv.program, rest.get(1..).unwrap_or_default())
        }
        ("uv", "add") | ("poetry" | "pdm" | "rye", "add") => pip_packages(inv.program, rest),
        ("uv", "tool") if rest.first().is_some_and(|a| a.text == "install") => {
            pip_packages(inv.program, rest.get(1..).unwrap_or_default())
        }
        ("cargo", "add" | "install") => cargo_packages(rest),
        ("gem", "install") => generic(
            rest,
            Spec {
                short: "vinsP",
                long: &["version", "install-dir", "bindir", "source", "platform"],
                stop_after: None,
            },
        ),
        ("go", "install" | "get") => go_packages(rest),
        ("apt-get" | "apt" | "aptitude", "install") => generic(
            rest,
            Spec {
                short: "otc",
                long: &["target-release", "option", "config-file"],
                stop_after: None,
            },
        ),
        (
            "brew" | "dnf" | "yum" | "zypper" | "snap" | "port" | "pkg" | "choco" | "winget",
            "install" | "in",
        ) => generic(
            rest,
            Spec {
                short: "",
                long: &["enablerepo", "disablerepo", "channel", "repo"],
                stop_after: None,
            },
        ),
        ("apk", "add") => generic(
            rest,
            Spec {
                short: "X",
                long: &["repository"],
                stop_after: None,
            },
        ),
        ("pacman" | "yay" | "paru", flag) if flag.starts_with("-S") && !flag.contains('s') => {
            generic(rest, Spec::default())
        }
        // PHP's Packagist: `composer require X`, `composer global require X`.
        ("composer", "require") => composer_packages(rest),
        ("composer", "global") if rest.first().is_some_and(|a| a.text == "require") => {
            composer_packages(rest.get(1..).unwrap_or_default())
        }
        // RubyGems through Bundler: `bundle add X`.
        ("bundle", "add") => generic(
            rest,
            Spec {
                short: "vgs",
                long: &[
                    "version", "group", "source", "require", "path", "git", "branch",
                ],
                stop_after: None,
            },
        ),
        // Ansible Galaxy: `ansible-galaxy install ROLE`, `ansible-galaxy
        // collection|role install X` (a requirements file names none).
        ("ansible-galaxy", "install") => galaxy_packages(rest),
        ("ansible-galaxy", "collection" | "role")
            if rest.first().is_some_and(|a| a.text == "install") =>
        {
            galaxy_packages(rest.get(1..).unwrap_or_default())
        }
        // kubectl plugins from the krew index: `kubectl krew install X`.
        ("kubectl-krew" | "krew", "install") => generic(rest, Spec::default()),
        // NuGet: `dotnet add [PROJECT] package X`.
        ("dotnet", "add") => dotnet_packages(rest),
        // .NET tools from NuGet: `dotnet tool install [-g] X` (a tool
        // manifest's `dotnet tool restore` names none).
        ("dotnet", "tool") if rest.first().is_some_and(|a| a.text == "install") => generic(
            rest.get(1..).unwrap_or_default(),
            Spec {
                short: "av",
                long: &[
                    "version",
                    "add-source",
                    "configfile",
                    "framework",
                    "tool-path",
                    "tool-manifest",
                    "verbosity",
                    "arch",
                ],
                stop_after: None,
            },
        ),
        // C/C++ ports: `vcpkg install zlib sdl2:x64-windows` (classic mode;
        // in manifest mode a bare `vcpkg install` names none).
        ("vcpkg", "install") => generic(
            rest,
            Spec {
                short: "",
                long: &[
                    "triplet",
                    "host-triplet",
                    "overlay-ports",
                    "overlay-triplets",
                    "x-install-root",
                    "vcpkg-root",
                    "x-manifest-root",
                ],
                stop_after: None,
            },
        ),
        ("nuget", "install") => generic(
            rest,
            Spec {
                short: "",
                long: &["version", "source", "outputdirectory", "configfile"],
                stop_after: None,
            },
        ),
        // Deno: `deno add npm:X jsr:@scope/y`, `deno install -g npm:X`.
        ("deno", "add" | "install" | "i") => generic(
            rest,
            Spec {
                short: "n",
                long: &["name", "root", "config", "allow-scripts"],
                stop_after: None,
            },
        ),
        ("cabal" | "stack" | "opam" | "luarocks" | "flatpak" | "scoop" | "nimble", "install") => {
            generic(
                rest,
                Spec {
                    short: "",
                    long: &["tree", "server", "only", "bucket"],
                    stop_after: None,
                },
            )
        }
        ("dart" | "flutter", "pub") if rest.first().is_some_and(|a| a.text == "add") => {
            generic(rest.get(1..).unwrap_or_default(), Spec::default())
        }
        // CPAN: `cpanm X`, `cpan X` / `cpan -i X` (every positional is a module).
        ("cpanm" | "cpan", _) => generic(
            inv.args,
            Spec {
                short: "lL",
                long: &["local-lib", "local-lib-contained", "mirror"],
                stop_after: None,
            },
        ),
        // `create -n ENV PKGS...` installs the packages it names into the new
        // environment (`--file` and `--clone` name none).
        ("conda" | "mamba" | "micromamba", "install" | "create") | ("pixi", "add") => {
            generic(rest, CONDA_SPEC)
        }
        ("pixi", "global") if rest.first().is_some_and(|a| a.text == "install") => {
            generic(rest.get(1..).unwrap_or_default(), CONDA_SPEC)
        }
        // Racket's catalog: `raco pkg install X`.
        ("raco", "pkg") if rest.first().is_some_and(|a| a.text == "install") => generic(
            rest.get(1..).unwrap_or_default(),
            Spec {
                short: "",
                long: &["scope", "catalog", "type", "name", "checksum"],
                stop_after: None,
            },
        ),
        // Hex: `mix archive.install hex phx_new`, `mix escript.install hex X`.
        ("mix", "archive.install" | "escript.install")
            if rest.first().is_some_and(|a| a.text == "hex") =>
        {
            names(args::positionals(&args::parse(
                rest.get(1..2).unwrap_or_default(),
                &Spec::default(),
            )))
        }
        // SDKMAN's candidates and asdf's plugins: the name, not the version.
        ("sdk", "install" | "i") | ("asdf", "plugin-add") => names(
            args::positionals(&args::parse(rest, &Spec::default()))
                .into_iter()
                .take(1)
                .collect(),
        ),
        ("asdf", "plugin") if rest.first().is_some_and(|a| a.text == "add") => names(
            args::positionals(&args::parse(
                rest.get(1..).unwrap_or_default(),
                &Spec::default(),
            ))
            .into_iter()
            .take(1)
            .collect(),
        ),
        // vcpkg's other commands that build ports name none to install.
        ("vcpkg", command) if vcpkg::BUILDING.contains(&command) => Vec::new(),
        _ => return None,
    };
    let mut outcome = install(inv, inv.program, packages);
    if inv.program == "vcpkg" && vcpkg::BUILDING.contains(&first) {
        outcome.effects.extend(vcpkg::cache_requests(inv));
    }
    Some(outcome)
}

/// Plugins and extensions installed through a tool's own manager, from its
/// index or a repository URL: `kubectl krew install X`, `helm plugin
/// install URL`, `gh extension install OWNER/REPO`, `vagrant plugin install
/// X`, `code --install-extension X`. Asked before the tools' own handlers.
pub(super) fn plugin_install(inv: &Invocation<'_>) -> Option<Outcome> {
    if !matches!(
        inv.program,
        "kubectl" | "helm" | "gh" | "vagrant" | "code" | "code-insiders" | "codium" | "cursor"
    ) {
        return None;
    }
    let word = |i: usize| inv.args.get(i).map(|a| a.text.as_str());
    let rest = |from: usize| inv.args.get(from..).unwrap_or_default();
    let packages = match (inv.program, word(0), word(1)) {
        ("kubectl", Some("krew"), Some("install"))
        | ("helm", Some("plugin"), Some("install"))
        | ("gh", Some("extension" | "ext"), Some("install"))
        | ("vagrant", Some("plugin"), Some("install")) => names_or_vcs(
            inv.program,
            args::positionals(&args::parse(
                rest(2),
                &Spec {
                    short: "",
                    long: &["version", "pin", "plugin-version", "plugin-source"],
                    stop_after: None,
                },
            )),
        ),
        ("code" | "code-insiders" | "codium" | "cursor", _, _) => inv
            .args
            .windows(2)
            .filter(|pair| pair[0].text == "--install-extension")
            .map(|pair| pair[1].text.clone())
            .filter(|name| !is_local_or_url(name))
            .collect(),
        _ => return None,
    };
    (!packages.is_empty()).then(|| {
        let manager = match inv.program {
            "kubectl" => "krew",
            other => other,
        };
        install(inv, manager, packages)
    })
}

/// The outcome of installing `packages` with `manager`.
fn install(inv: &Invocation<'_>, manager: &str, packages: Vec<String>) -> Outcome {
    let mut outcome = Outcome::default();
    let words = install_words(inv);
    // `pip install --no-index --find-links ./wheels x` fetches nothing.
    if offline(inv, &words) {
        return outcome;
    }
    // A package from a code host (`git+https://...`, `github:o/r`) is
    // installed from that repository: one install per source, so that
    // the organisation's own repositories are told apart from others'.
    let (from_vcs, named): (Vec<String>, Vec<String>) = packages
        .into_iter()
        .partition(|p| vcs_source(inv.program, p).is_some());
    if !named.is_empty() {
        for (registry, packages) in sources(inv, &words, named) {
            outcome.effects.push(Effect::PackageInstall(PackageInstall {
                manager: manager.to_owned(),
                packages,
                registry,
            }));
        }
    }
    for package in from_vcs {
        let registry = vcs_source(inv.program, &package);
        outcome.effects.push(Effect::PackageInstall(PackageInstall {
            manager: manager.to_owned(),
            packages: vec![package],
            registry,
        }));
    }
    outcome.effects.extend(index_fetches(inv, &words));
    outcome
}

/// The words an install reads its options from: its arguments, and for
/// pipx the pip arguments it hands on (`--pip-args="--index-url URL"`).
fn install_words<'a>(inv: &Invocation<'a>) -> Cow<'a, [Arg]> {
    if inv.program != "pipx" {
        return Cow::Borrowed(inv.args);
    }
    let mut words = inv.args.to_vec();
    let mut iter = inv.args.iter();
    while let Some(word) = iter.next() {
        let value = match word.text.strip_prefix("--pip-args=") {
            Some(value) => Some(word.with_text(value)),
            None if word.text == "--pip-args" => iter.next().cloned(),
            None => None,
        };
        if let Some(value) = value {
            words.extend(value.text.split_whitespace().map(|w| value.with_text(w)));
        }
    }
    Cow::Owned(words)
}

/// True when the install fetches nothing: `--no-index`, `--offline`, or
/// the environment's equivalent (`PIP_NO_INDEX=1`, `UV_OFFLINE=1`).
fn offline(inv: &Invocation<'_>, words: &[Arg]) -> bool {
    words
        .iter()
        .any(|a| a.text == "--no-index" || a.text == "--offline")
        || source_variables(inv.program).iter().any(|var| {
            var.role == SourceRole::Offline
                && inv.env_value(var.name).is_some_and(|v| {
                    !matches!(
                        v.text.to_ascii_lowercase().as_str(),
                        "" | "0" | "false" | "no" | "off"
                    )
                })
        })
        || (matches!(inv.program, "npm" | "npx" | "pnpm")
            && npm_config::env_setting(inv, "offline").is_some_and(npm_config::is_on))
}

/// What an environment variable a package manager reads says about its
/// package sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SourceRole {
    /// A registry in place of the public one (`PIP_INDEX_URL`).
    Replaces,
    /// A registry beside the public one, which stays (`PIP_EXTRA_INDEX_URL`).
    Adds,
    /// Set to a true value, nothing is fetched (`UV_OFFLINE=1`).
    Offline,
}

#[derive(Debug)]
struct SourceVariable {
    name: &'static str,
    role: SourceRole,
}

const fn var(name: &'static str, role: SourceRole) -> SourceVariable {
    SourceVariable { name, role }
}

/// The environment variables `program` reads its package sources from,
/// strongest first: pip's (also through pipx, which runs pip), uv's, pdm's,
/// npm's configuration (read by pnpm, and by yarn 1 and bun after their
/// own), yarn's and bun's, and Julia's package server.
fn source_variables(program: &str) -> &'static [SourceVariable] {
    use SourceRole::{Adds, Offline, Replaces};
    const PIP: &[SourceVariable] = &[
        var("PIP_INDEX_URL", Replaces),
        var("PIP_EXTRA_INDEX_URL", Adds),
        var("PIP_NO_INDEX", Offline),
    ];
    // uv reads none of pip's; `UV_INDEX` is consulted before the default
    // index, as `--index` is.
    const UV: &[SourceVariable] = &[
        var("UV_INDEX", Replaces),
        var("UV_DEFAULT_INDEX", Replaces),
        var("UV_INDEX_URL", Replaces),
        var("UV_EXTRA_INDEX_URL", Adds),
        var("UV_OFFLINE", Offline),
        var("UV_NO_INDEX", Offline),
    ];
    const PDM: &[SourceVariable] = &[var("PDM_PYPI_URL", Replaces)];
    // npm's own configuration (`npm_config_*`) is read by [`npm_config`].
    const YARN: &[SourceVariable] = &[
        var("YARN_NPM_REGISTRY_SERVER", Replaces),
        var("YARN_REGISTRY", Replaces),
    ];
    const BUN: &[SourceVariable] = &[var("BUN_CONFIG_REGISTRY", Replaces)];
    const JULIA: &[SourceVariable] = &[var("JULIA_PKG_SERVER", Replaces)];
    match program {
        "pip" | "pip3" | "pipx" => PIP,
        "uv" | "uvx" => UV,
        "pdm" => PDM,
        "yarn" => YARN,
        "bun" | "bunx" => BUN,
        "julia" => JULIA,
        _ => &[],
    }
}

/// The registry the environment names in place of the public one
/// (`PIP_INDEX_URL=URL pip install x`, `export npm_config_registry=URL`),
/// the first of a list (`UV_INDEX="URL1 URL2"`).
pub(super) fn env_registry(inv: &Invocation<'_>) -> Option<String> {
    source_variables(inv.program)
        .iter()
        .filter(|var| var.role == SourceRole::Replaces)
        .find_map(|var| inv.env_value(var.name))
        .or_else(|| {
            reads_npm_config(inv.program)
                .then(|| npm_config::env_setting(inv, "registry"))
                .flatten()
        })
        .and_then(|value| value.text.split_whitespace().next().map(index_url))
        .map(str::to_owned)
}

/// The installs of a manager that reads npm's configuration, with the
/// registries its `.npmrc` files known to the session set
/// ([`npm_config::NpmConfig`]): a package whose scope has a registry
/// (`@acme:registry=URL`) comes from it, as npm takes it even over
/// `--registry`; another from the line's or environment's registry, else
/// the files' `registry`, else the public one. The project's `.npmrc` is
/// looked for from the directory `--prefix` (`-C`, `--dir`, `--cwd`)
/// names, else the working directory.
pub(crate) fn configured_installs(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    text_of: &Lookup<'_>,
) {
    if !reads_npm_config(inv.program)
        || !outcome
            .effects
            .iter()
            .any(|e| matches!(e, Effect::PackageInstall(_)))
    {
        return;
    }
    let items = args::parse_valued(inv.args, &["prefix", "C", "dir", "cwd"]);
    let project = match args::value(&items, &["--prefix", "-C", "--dir", "--cwd"]) {
        Some(dir) if dir.dynamic => return,
        Some(dir) => inv.path(&dir.text),
        None => inv.cwd.to_owned(),
    };
    let config = npm_config::NpmConfig::read(inv, Vec::new(), &project, text_of);
    let mut effects = Vec::with_capacity(outcome.effects.len());
    for effect in std::mem::take(&mut outcome.effects) {
        let Effect::PackageInstall(install) = effect else {
            effects.push(effect);
            continue;
        };
        // One install per registry, in the order the packages came.
        let mut groups: Vec<(Option<String>, Vec<String>)> = Vec::new();
        for package in install.packages {
            let registry = config
                .scope_registry(&package)
                .or_else(|| install.registry.clone())
                .or_else(|| config.registry(None));
            match groups.iter_mut().find(|(r, _)| *r == registry) {
                Some((_, packages)) => packages.push(package),
                None => groups.push((registry, vec![package])),
            }
        }
        effects.extend(groups.into_iter().map(|(registry, packages)| {
            Effect::PackageInstall(PackageInstall {
                manager: install.manager.clone(),
                packages,
                registry,
            })
        }));
    }
    outcome.effects = effects;
}

/// Package managers that read npm's configuration (after their own).
fn reads_npm_config(program: &str) -> bool {
    matches!(program, "npm" | "npx" | "pnpm" | "yarn" | "bun" | "bunx")
}

/// An index's URL without uv's `NAME=` before it (`internal=https://...`).
fn index_url(text: &str) -> &str {
    match text.split_once('=') {
        Some((name, url)) if !name.contains([':', '/']) && url.contains("://") => url,
        _ => text,
    }
}

/// Where named packages come from, one group per source: the registry the
/// command (`--index-url`, `--registry`) or its environment
/// (`PIP_INDEX_URL`, `npm_config_registry`) names, `None` for the public
/// one; conda's channels when `--override-channels` leaves only them; Go's
/// module proxy (`GOPROXY`), or each module's own repository.
fn sources(
    inv: &Invocation<'_>,
    words: &[Arg],
    packages: Vec<String>,
) -> Vec<(Option<String>, Vec<String>)> {
    match inv.program {
        "go" => go_sources(inv, packages),
        "conda" | "mamba" | "micromamba" => conda_sources(words, packages),
        _ => vec![(
            registry_named(words).or_else(|| env_registry(inv)),
            packages,
        )],
    }
}

/// Go fetches a module from the first proxy `GOPROXY` lists (a `,` or `|`
/// list; unset, the public proxy.golang.org), or directly from the
/// module's own host for `direct` and for the modules `GONOPROXY` (else
/// `GOPRIVATE`) matches; `off` fetches nothing.
fn go_sources(inv: &Invocation<'_>, packages: Vec<String>) -> Vec<(Option<String>, Vec<String>)> {
    let proxy = inv.env_value("GOPROXY").and_then(|v| {
        v.text
            .split([',', '|'])
            .map(str::trim)
            .find(|p| !p.is_empty())
    });
    let private = inv
        .env_value("GONOPROXY")
        .or_else(|| inv.env_value("GOPRIVATE"))
        .map(|v| v.text.as_str());
    let mut groups: Vec<(Option<String>, Vec<String>)> = Vec::new();
    for package in packages {
        let module = package.split('@').next().unwrap_or(&package);
        let direct = proxy == Some("direct") || private.is_some_and(|p| go_private(p, module));
        let source = match proxy {
            _ if direct => Some(format!("https://{module}")),
            Some("off") => continue,
            other => other.map(str::to_owned),
        };
        match groups.iter_mut().find(|(s, _)| *s == source) {
            Some((_, group)) => group.push(package),
            None => groups.push((source, vec![package])),
        }
    }
    groups
}

/// True when a `GOPRIVATE`-style list of path globs (`*.corp.com,rsc.io/private`)
/// matches a leading part of `module`, as Go's `module.MatchPrefixPatterns`.
fn go_private(patterns: &str, module: &str) -> bool {
    patterns
        .split(',')
        .map(|p| p.trim().trim_end_matches('/'))
        .filter(|p| !p.is_empty())
        .any(|pattern| {
            let mut segments = module.split('/');
            pattern
                .split('/')
                .all(|glob| segments.next().is_some_and(|s| segment_matches(glob, s)))
        })
}

/// One path segment against a glob with `*` (any run of characters) and
/// `?` (one character).
fn segment_matches(glob: &str, text: &str) -> bool {
    fn matches(glob: &[u8], text: &[u8]) -> bool {
        match glob.split_first() {
            None => text.is_empty(),
            Some((b'*', rest)) => {
                (0..=text.len()).any(|at| matches(rest, text.get(at..).unwrap_or_default()))
            }
            Some((want, rest)) => text
                .split_first()
                .is_some_and(|(got, tail)| (*want == b'?' || want == got) && matches(rest, tail)),
        }
    }
    matches(glob.as_bytes(), text.as_bytes())
}

/// conda's long options that take a value (also mamba's and micromamba's).
const CONDA_VALUE_OPTIONS: &[&str] = &[
    "channel",
    "name",
    "prefix",
    "file",
    "clone",
    "solver",
    "repodata-fn",
    "subdir",
    "platform",
    "experimental",
    "root-prefix",
    "channel-alias",
];

const CONDA_SPEC: Spec<'static> = Spec {
    short: "cnpfr",
    long: CONDA_VALUE_OPTIONS,
    stop_after: None,
};

/// conda installs from its default channels and those `-c` adds; with
/// `--override-channels`, from the `-c` channels alone (a name is a
/// channel on anaconda.org, a path one on this machine).
fn conda_sources(words: &[Arg], packages: Vec<String>) -> Vec<(Option<String>, Vec<String>)> {
    let items = args::parse(words, &CONDA_SPEC);
    let channels = args::values(&items, &["-c", "--channel"]);
    if !args::has(&items, &["--override-channels"]) || channels.is_empty() {
        return vec![(None, packages)];
    }
    channels
        .iter()
        .map(|c| c.text.as_str())
        .filter(|c| !(c.starts_with(['/', '.', '~']) || c.starts_with("file:")))
        .map(|channel| {
            let url = if channel.contains("://") {
                channel.to_owned()
            } else if channel == "defaults" {
                "https://repo.anaconda.com/pkgs/main".to_owned()
            } else {
                format!("https://conda.anaconda.org/{channel}")
            };
            (Some(url), packages.clone())
        })
        .collect()
}

/// Options of an install that name an index, registry or package source
/// by URL (pip and uv's indexes and find-links, npm's registry, gem's
/// source, apk's repository, conda's channel, pip's constraints).
const INDEX_OPTIONS: &[&str] = &[
    "--registry",
    "-i",
    "--index-url",
    "--extra-index-url",
    "--default-index",
    "--index",
    "--find-links",
    "-f",
    "--source",
    "--repository",
    "-X",
    "--channel",
    "-c",
];

/// What an install sends to the indexes it names: a credential written
/// into an index URL (`--index-url https://__token__:$T@host/simple`,
/// `--registry https://u:$T@host/`, `PIP_INDEX_URL=...` in its
/// environment) or its query goes to that host when the index is read,
/// and so does a registry credential given as npm
/// configuration on the line (`--//host/:_authToken=$T`). An index URL
/// that carries nothing is reported by the install alone.
fn index_fetches(inv: &Invocation<'_>, words: &[Arg]) -> Vec<Effect> {
    let mut effects = Vec::new();
    // The indexes the environment names, replacing or beside the public one.
    for var in source_variables(inv.program) {
        if var.role != SourceRole::Offline
            && let Some(value) = inv.env_value(var.name)
        {
            for index in value.text.split_whitespace() {
                effects.extend(index_fetch(inv.program, &value.with_text(index_url(index))));
            }
        }
    }
    let mut words = words.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        // npm configuration for a registry: `--//HOST/PATH/:_authToken=T`.
        if matches!(inv.program, "npm" | "pnpm" | "yarn" | "bun")
            && let Some(scoped) = text.strip_prefix("--//")
            && let Some((key, value)) = scoped.split_once('=')
            && let Some((location, _setting)) = key.rsplit_once(":_")
        {
            let payload = word.with_text(value).payload();
            effects.push(request(
                inv.program,
                url(&format!("https://{location}")),
                "GET",
                payload,
                false,
            ));
            continue;
        }
        let value = match text.split_once('=') {
            Some((name, value)) if INDEX_OPTIONS.contains(&name) => word.with_text(value),
            _ if INDEX_OPTIONS.contains(&text) => match words.next() {
                Some(value) => value.clone(),
                None => break,
            },
            _ => continue,
        };
        if let Some(effect) = index_fetch(inv.program, &value) {
            effects.push(effect);
        }
    }
    effects
}

/// A GET of an index URL that carries something: userinfo, a query, or
/// expansions.
fn index_fetch(program: &str, index: &Arg) -> Option<Effect> {
    let text = index.text.as_str();
    let (_, rest) = text.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let mut payload = index.expansions();
    if let Some((_, query)) = text.split_once('?') {
        flow::push_text(&mut payload, query.split('#').next().unwrap_or_default());
    }
    let carries = authority.contains('@') || payload != Payload::default();
    carries.then(|| request(program, url(text), "GET", payload, false))
}

/// Where a package spec installs from when it names a repository on a
/// code host rather than a registry package: pip and uv's VCS URLs
/// (`git+https://host/o/r.git@REF`, `name @ git+ssh://...`, `hg+`,
/// `svn+`, `bzr+`), and npm's git specs (`git+https://...`, `git://...`,
/// `https://host/o/r.git`, `github:o/r`, `gitlab:o/r`, `bitbucket:o/r`,
/// `gist:ID`, `git@host:o/r.git`, and the GitHub shorthand `o/r`), as a
/// URL of the repository (without the VCS prefix, revision or fragment).
/// Local repositories (`git+file://`) are not a code host.
fn vcs_source(program: &str, spec: &str) -> Option<String> {
    match program {
        "pip" | "pip3" | "pipx" | "uv" | "poetry" | "pdm" => python_vcs(spec),
        "npm" | "pnpm" | "yarn" | "bun" => node_vcs(spec),
        // A plugin's repository URL (`helm plugin install https://...`).
        "helm" | "vagrant" => ["https://", "http://"]
            .iter()
            .any(|scheme| spec.starts_with(scheme))
            .then(|| spec.trim_end_matches(".git").to_owned()),
        _ => None,
    }
}

fn python_vcs(spec: &str) -> Option<String> {
    // `git+https://...`, or after a name: `tool @ git+https://...`.
    let start = ["git+", "hg+", "svn+", "bzr+"]
        .iter()
        .filter_map(|prefix| spec.find(prefix))
        .min()?;
    let before = spec.get(..start)?.trim_end();
    if !(before.is_empty() || before.ends_with('@')) {
        return None;
    }
    let url_text = spec.get(start..)?.split_once('+')?.1;
    let (scheme, rest) = url_text.split_once("://")?;
    if scheme.eq_ignore_ascii_case("file") {
        return None;
    }
    let rest = rest.split('#').next().unwrap_or(rest);
    // A revision follows the path: `.../tool.git@main`.
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let path = path.split('@').next().unwrap_or(path);
    Some(format!("{scheme}://{authority}/{path}"))
}

fn node_vcs(spec: &str) -> Option<String> {
    let spec = spec.split('#').next().unwrap_or(spec);
    for (prefix, host) in [
        ("github:", "github.com"),
        ("gitlab:", "gitlab.com"),
        ("bitbucket:", "bitbucket.org"),
        ("gist:", "gist.github.com"),
    ] {
        if let Some(path) = spec.strip_prefix(prefix) {
            return Some(format!("https://{host}/{path}"));
        }
    }
    if let Some(rest) = spec.strip_prefix("git+") {
        return (!rest.starts_with("file:")).then(|| rest.to_owned());
    }
    if spec.starts_with("git://") {
        return Some(spec.to_owned());
    }
    if let Some((_, rest)) = spec.split_once("://") {
        let path = rest.split('?').next().unwrap_or(rest);
        return path.ends_with(".git").then(|| spec.to_owned());
    }
    // `git@github.com:o/r.git`.
    if let Some((user_host, path)) = spec.split_once(':')
        && let Some((user, host)) = user_host.split_once('@')
        && !user.is_empty()
        && host.contains('.')
        && !path.is_empty()
    {
        return Some(spec.to_owned());
    }
    // The GitHub shorthand `owner/repo` (not `@scope/name`, not a path).
    let shorthand = !spec.starts_with(['@', '.', '/', '~'])
        && !spec.contains([':', '@'])
        && spec
            .split_once('/')
            .is_some_and(|(o, r)| !o.is_empty() && !r.is_empty() && !r.contains('/'));
    shorthand.then(|| format!("https://github.com/{spec}"))
}

/// The registry an install names in place of the public one: `--registry`
/// (npm, pnpm, yarn), `-i`/`--index-url`/`--default-index`/`--index` (pip,
/// uv; uv's `NAME=URL` is its URL), `--source` (gem), `--repository`
/// (apk). An extra index adds to the public one, so it names none.
fn registry_named(words: &[Arg]) -> Option<String> {
    const OPTIONS: &[&str] = &[
        "--registry",
        "-i",
        "--index-url",
        "--default-index",
        "--index",
        "--source",
        "--repository",
    ];
    let mut iter = words.iter();
    while let Some(word) = iter.next() {
        if let Some((name, value)) = word.text.split_once('=')
            && OPTIONS.contains(&name)
        {
            return Some(index_url(value).to_owned());
        }
        if OPTIONS.contains(&word.text.as_str()) {
            return iter.next().map(|v| index_url(&v.text).to_owned());
        }
    }
    None
}

/// A local path, URL or archive rather than a registry package name.
pub(super) fn is_local_or_url(text: &str) -> bool {
    text.starts_with('.')
        || text.starts_with('/')
        || text.starts_with('~')
        || text.contains("://")
        || text.starts_with("git+")
        || text.starts_with("file:")
        || text.starts_with("link:")
        || text.starts_with("workspace:")
        || local_version(text)
        || [".tgz", ".tar.gz", ".whl", ".zip", ".gem", ".tar.bz2"]
            .iter()
            .any(|ext| text.ends_with(ext))
}

/// True when a node package spec's version names a local source rather
/// than a registry release: `@org/ui@workspace:*` (pnpm and yarn resolve
/// it only to a package of the monorepo), `x@file:../x`, `x@link:../x`,
/// yarn's `x@portal:../x`.
fn local_version(spec: &str) -> bool {
    const LOCAL_PROTOCOLS: &[&str] = &["workspace:", "file:", "link:", "portal:"];
    // The version follows the first `@` that does not open a scope.
    spec.get(1..)
        .and_then(|s| s.split_once('@'))
        .is_some_and(|(_, version)| LOCAL_PROTOCOLS.iter().any(|p| version.starts_with(p)))
}

fn names(positional: Vec<&Arg>) -> Vec<String> {
    positional
        .into_iter()
        .map(|a| a.text.clone())
        .filter(|t| !t.is_empty() && !is_local_or_url(t))
        .collect()
}

/// Named packages and repositories on a code host (see [`vcs_source`]).
fn names_or_vcs(program: &str, positional: Vec<&Arg>) -> Vec<String> {
    positional
        .into_iter()
        .map(|a| a.text.clone())
        .filter(|t| !t.is_empty() && (!is_local_or_url(t) || vcs_source(program, t).is_some()))
        .collect()
}

fn generic(rest: &[Arg], spec: Spec<'_>) -> Vec<String> {
    names(args::positionals(&args::parse(rest, &spec)))
}

/// Ansible Galaxy collections and roles: a name or a tarball; `-r FILE`
/// names a requirements file, not a package.
fn galaxy_packages(words: &[Arg]) -> Vec<String> {
    generic(
        words,
        Spec {
            short: "rpsc",
            long: &[
                "requirements-file",
                "roles-path",
                "collections-path",
                "server",
                "api-key",
                "timeout",
            ],
            stop_after: None,
        },
    )
}

/// Options of `npm install`/`bun add` that take a value: npm's
/// `-w`/`--workspace NAME` chooses where the packages go, not what they are.
const NPM_INSTALL_SPEC: Spec<'static> = Spec {
    short: "wFC",
    long: &[
        "registry",
        "prefix",
        "workspace",
        "tag",
        "filter",
        "dir",
        "cwd",
        "cache",
        "userconfig",
    ],
    stop_after: None,
};

/// Options of `pnpm add` that take a value. pnpm's `-w` is
/// `--workspace-root` and its `--workspace` a switch: they take none.
const PNPM_ADD_SPEC: Spec<'static> = Spec {
    short: "FC",
    long: &[
        "registry",
        "filter",
        "dir",
        "reporter",
        "loglevel",
        "store-dir",
        "virtual-store-dir",
        "modules-dir",
        "allow-build",
        "config",
        "cache-dir",
    ],
    stop_after: None,
};

/// Options of `yarn add` that take a value (yarn's `-C` is `--caret`).
const YARN_ADD_SPEC: Spec<'static> = Spec {
    short: "",
    long: &["registry", "mode", "cwd", "network-concurrency"],
    stop_after: None,
};

fn node_packages(program: &str, rest: &[Arg]) -> Vec<String> {
    let spec = match program {
        "pnpm" => &PNPM_ADD_SPEC,
        "yarn" => &YARN_ADD_SPEC,
        _ => &NPM_INSTALL_SPEC,
    };
    let items = args::parse(rest, spec);
    // `pnpm add X --workspace` adds X only when it is a package of the
    // local workspace: nothing comes from a registry.
    if program == "pnpm" && args::has(&items, &["--workspace"]) {
        return Vec::new();
    }
    names_or_vcs(program, args::positionals(&items))
}

/// The yarn command a workspace command runs: `yarn workspace NAME CMD...`
/// runs `yarn CMD...` in the workspace NAME; `yarn workspaces foreach
/// [OPTIONS] CMD...` runs it in each workspace (with `-n`/`--dry-run`,
/// only lists them); yarn 1's `yarn workspaces run CMD...` runs a script
/// in each.
fn yarn_workspace_command(first: &str, rest: &[Arg]) -> Option<Vec<Arg>> {
    const FOREACH_SPEC: Spec<'static> = Spec {
        short: "j",
        long: &["from", "jobs", "include", "exclude"],
        stop_after: Some(1),
    };
    let command: Vec<&Arg> = match (first, rest.split_first()) {
        ("workspace", Some((_name, command))) => command.iter().collect(),
        ("workspaces", Some((verb, after))) if verb.text == "foreach" => {
            let items = args::parse(after, &FOREACH_SPEC);
            if args::has(&items, &["-n", "--dry-run"]) {
                return Some(Vec::new());
            }
            args::positionals(&items)
        }
        ("workspaces", Some((verb, _))) if verb.text == "run" => rest.iter().collect(),
        _ => return None,
    };
    if command.is_empty() {
        return Some(Vec::new());
    }
    let yarn = std::iter::once(Arg::literal("yarn"));
    Some(yarn.chain(command.into_iter().cloned()).collect())
}

/// `npx [-y] [-p PKG] CMD ARGS...` (and `bunx`, `pnpm dlx`, `yarn dlx`,
/// `uvx [--from PKG]`, `pipx run`): the package is fetched from the registry
/// and its command runs, analysed as any command. Without `-p`/`--from`, the
/// command is the package's own executable: its name without scope and
/// version (`@scope/tool@2` runs `tool`), and without the `-cli`/`-tools`
/// suffix by which packages are often told apart from what they install
/// (`netlify-cli` runs `netlify`, `firebase-tools` runs `firebase`).
fn run_package(inv: &Invocation<'_>, words: &[Arg]) -> Outcome {
    let manager = inv.program;
    let items = args::parse(
        words,
        &Spec {
            short: "pci",
            long: &[
                "package",
                "call",
                "from",
                "with",
                "spec",
                "python",
                "index-url",
                "index",
                "default-index",
                "registry",
            ],
            stop_after: Some(1),
        },
    );
    // The runner's own options come before the package; the environment's
    // registry otherwise.
    let registry = args::value(
        &items,
        &[
            "--registry",
            "--index-url",
            "-i",
            "--index",
            "--default-index",
        ],
    )
    .map(|r| index_url(&r.text).to_owned())
    .or_else(|| env_registry(inv));
    let explicit: Vec<&Arg> =
        args::values(&items, &["-p", "--package", "--from", "--with", "--spec"]);
    let positional = args::positionals(&items);
    let mut argv: Vec<Arg> = positional.iter().map(|a| (*a).clone()).collect();
    let packages: Vec<String> = if explicit.is_empty() {
        if let Some(first) = argv.first_mut() {
            *first = first.with_text(executable_of(&first.text));
        }
        if runs_local_first(manager, &items) {
            Vec::new()
        } else {
            names(positional.first().copied().into_iter().collect())
        }
    } else {
        explicit
            .iter()
            .flat_map(|a| a.text.split(','))
            .map(str::trim)
            .filter(|t| !t.is_empty() && !is_local_or_url(t))
            .map(str::to_owned)
            .collect()
    };
    let mut outcome = Outcome::default();
    if !packages.is_empty() {
        outcome.effects.push(Effect::PackageInstall(PackageInstall {
            manager: manager.to_owned(),
            packages,
            registry,
        }));
    }
    if !argv.is_empty() {
        outcome.nested.push(Nested::Argv {
            argv,
            env: Vec::new(),
            cwd: None,
        });
    }
    outcome
}

/// `npx tool[@version]` and `bunx tool` run the project's own `tool` when
/// it is installed (`npx prisma migrate deploy`) and otherwise ask before
/// fetching it: only `-y`/`--yes` (install without asking) or `-p PKG`
/// makes the runner an install. `pnpm dlx`, `yarn dlx`, `uvx` and `pipx
/// run` always fetch.
fn runs_local_first(manager: &str, items: &[args::Item<'_>]) -> bool {
    matches!(manager, "npx" | "bunx") && !args::has(items, &["-y", "--yes"])
}

/// The executable a runner's package name stands for (see [`run_package`]).
fn executable_of(package: &str) -> &str {
    let unversioned = match package.rfind('@') {
        Some(at) if at > 0 => &package[..at],
        _ => package,
    };
    let name = unversioned.rsplit('/').next().unwrap_or(unversioned);
    let bare = name
        .strip_suffix("-cli")
        .or_else(|| name.strip_suffix("-tools"))
        .filter(|b| !b.is_empty())
        .unwrap_or(name);
    if is_local_or_url(package) {
        package
    } else {
        bare
    }
}

fn pip_packages(program: &str, rest: &[Arg]) -> Vec<String> {
    let spec = Spec {
        short: "rceitfC",
        long: &[
            "requirement",
            "constraint",
            "editable",
            "index-url",
            "extra-index-url",
            "target",
            "prefix",
            "root",
            "find-links",
            "platform",
            "python-version",
            "implementation",
            "abi",
            "src",
            "upgrade-strategy",
            "progress-bar",
            "trusted-host",
            "cache-dir",
            "log",
            "proxy",
            "retries",
            "timeout",
            "only-binary",
            "no-binary",
            "config-settings",
            "python",
            "group",
            "optional",
            "extra",
            "source",
            "index",
            "default-index",
            "pip-args",
            "suffix",
            "preinstall",
        ],
        stop_after: None,
    };
    let items = args::parse(rest, &spec);
    let mut packages = names_or_vcs(program, args::positionals(&items));
    // `-e git+https://...`: an editable install of a repository.
    for editable in args::values(&items, &["-e", "--editable"]) {
        if vcs_source(program, &editable.text).is_some() {
            packages.push(editable.text.clone());
        }
    }
    packages
}

fn cargo_packages(rest: &[Arg]) -> Vec<String> {
    let spec = Spec {
        short: "Fjp",
        long: &[
            "version",
            "vers",
            "git",
            "branch",
            "tag",
            "rev",
            "path",
            "registry",
            "index",
            "root",
            "features",
            "target",
            "profile",
            "package",
            "rename",
            "manifest-path",
            "jobs",
            "target-dir",
        ],
        stop_after: None,
    };
    let items = args::parse(rest, &spec);
    if args::has(&items, &["--path", "--git"]) {
        return Vec::new();
    }
    names(args::positionals(&items))
}

fn composer_packages(rest: &[Arg]) -> Vec<String> {
    generic(
        rest,
        Spec {
            short: "d",
            long: &["working-dir", "repository"],
            stop_after: None,
        },
    )
}

/// `dotnet add [PROJECT] package NAME [--version V]`: the name after `package`.
fn dotnet_packages(rest: &[Arg]) -> Vec<String> {
    let items = args::parse(
        rest,
        &Spec {
            short: "vsf",
            long: &["version", "source", "framework", "package-directory"],
            stop_after: None,
        },
    );
    let words = args::positionals(&items);
    match words.iter().position(|a| a.text == "package") {
        Some(at) => names(words.into_iter().skip(at + 1).take(1).collect()),
        None => Vec::new(),
    }
}

fn go_packages(rest: &[Arg]) -> Vec<String> {
    let items = args::parse(
        rest,
        &Spec {
            short: "",
            long: &["modfile", "tags", "ldflags", "gcflags", "o"],
            stop_after: None,
        },
    );
    names(args::positionals(&items))
}
