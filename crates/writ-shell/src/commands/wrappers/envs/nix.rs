//! Nix: `nix run INSTALLABLE [ARGS]` runs the installable's program (known
//! only for `nixpkgs#NAME`, which runs NAME), `nix shell|develop
//! [INSTALLABLES] --command CMD ARGS` and `nix-shell --run TEXT` run a
//! command in the environment; `nix copy --to URL PATHS` and
//! `nix-copy-closure --to HOST PATHS` upload store paths to another store;
//! `nix profile install|add` and `nix-env -i` install packages.

use super::super::{Invocation, Nested, Outcome, run_argv};
use super::install;
use crate::args::Arg;
use crate::commands::{request, url};
use crate::{Payload, Target, flow};

/// Options of the `nix` commands that take one value: their own, and the
/// settings most given on the command line (`--NAME VALUE`; every
/// `--extra-NAME` takes one too).
const ONE_VALUE: &[&str] = &[
    "--file",
    "-f",
    "--expr",
    "--include",
    "-I",
    "--inputs-from",
    "--profile",
    "--store",
    "--eval-store",
    "--log-format",
    "--max-jobs",
    "-j",
    "--cores",
    "--builders",
    "--system",
    "--substituters",
    "--trusted-public-keys",
    "--experimental-features",
    "--to",
    "--from",
    "--keep",
    "-k",
    "--unset",
    "-u",
    "--out-link",
    "-o",
    "--priority",
    "--reference-lock-file",
    "--output-lock-file",
    "--update-input",
    "--phase",
    "--attr",
    "-A",
    "--max-silent-time",
    "--timeout",
    "--netrc-file",
    "--access-tokens",
    "--flake-registry",
    "--arg-from-stdin",
    "--from-profile",
];

/// Options that take two values (`--arg NAME EXPR`).
const TWO_VALUES: &[&str] = &[
    "--arg",
    "--argstr",
    "--arg-from-file",
    "--override-input",
    "--override-flake",
    "--option",
    "--redirect",
];

/// A Nix command line split as Nix reads it.
#[derive(Debug, Default)]
struct NixLine<'a> {
    /// Words that are not options, the subcommand first.
    positionals: Vec<&'a Arg>,
    /// Options with their values.
    options: Vec<(&'a str, Vec<&'a Arg>)>,
    /// What follows `--command`/`-c` (`nix shell`, `nix develop`).
    command: Option<&'a [Arg]>,
    /// What follows `--` (`nix run INSTALLABLE -- ARGS`).
    rest: Option<&'a [Arg]>,
}

impl<'a> NixLine<'a> {
    /// Splits `args`; `extra` are more options that take one value, and
    /// `command` the options that take the rest as a command.
    fn parse(args: &'a [Arg], extra: &[&str], command: &[&str]) -> NixLine<'a> {
        let mut line = NixLine::default();
        let mut at = 0;
        while let Some(word) = args.get(at) {
            let text = word.text.as_str();
            at += 1;
            if text == "--" {
                line.rest = args.get(at..);
                break;
            }
            if command.contains(&text) {
                line.command = args.get(at..);
                break;
            }
            if !text.starts_with('-') || text == "-" {
                line.positionals.push(word);
                continue;
            }
            let takes = if TWO_VALUES.contains(&text) {
                2
            } else if ONE_VALUE.contains(&text)
                || extra.contains(&text)
                || text.starts_with("--extra-")
            {
                1
            } else {
                0
            };
            let values: Vec<&Arg> = args.iter().skip(at).take(takes).collect();
            at += values.len();
            line.options.push((text, values));
        }
        line
    }

    /// The first value of the last option called one of `names`.
    fn value(&self, names: &[&str]) -> Option<&'a Arg> {
        self.options
            .iter()
            .rev()
            .find(|(name, _)| names.contains(name))
            .and_then(|(_, values)| values.first().copied())
    }

    fn has(&self, names: &[&str]) -> bool {
        self.options.iter().any(|(name, _)| names.contains(name))
    }

    /// The positionals after the first `skip`.
    fn operands(&self, skip: usize) -> Vec<&'a Arg> {
        self.positionals.iter().skip(skip).copied().collect()
    }
}

/// `nix [OPTIONS] SUBCOMMAND ...`.
pub(super) fn nix(inv: &Invocation<'_>) -> Option<Outcome> {
    let line = NixLine::parse(inv.args, &[], &["--command", "-c"]);
    let word = |i: usize| line.positionals.get(i).map(|a| a.text.as_str());
    let outcome = match (word(0), word(1)) {
        (Some("run"), _) => run(&line),
        (Some("shell" | "develop"), _) => line
            .command
            .map(|argv| run_argv(argv.to_vec(), None))
            .unwrap_or_default(),
        (Some("copy"), _) => copy(inv, &line, line.operands(1)),
        (Some("profile"), Some("install" | "add")) => install_flakes(line.operands(2)),
        _ => return None,
    };
    Some(outcome)
}

/// `nix run [INSTALLABLE [ARGS...]] [-- ARGS...]`: the program of
/// `nixpkgs#NAME` is NAME; any other installable's is not known.
fn run(line: &NixLine<'_>) -> Outcome {
    let installable = line.positionals.get(1).map_or(".", |a| a.text.as_str());
    let Some(program) =
        nixpkgs_program(installable).filter(|_| !line.has(&["--expr", "--file", "-f"]))
    else {
        let mut outcome = Outcome::default();
        outcome
            .opaque
            .push(format!("nix run runs the program of {installable}"));
        return outcome;
    };
    let mut argv = vec![Arg::literal(program)];
    argv.extend(line.operands(2).into_iter().cloned());
    argv.extend(line.rest.unwrap_or_default().iter().cloned());
    let mut outcome = Outcome::default();
    outcome.nested.push(Nested::Argv {
        argv,
        env: Vec::new(),
        cwd: None,
    });
    outcome
}

/// The program `nix run` runs for a package of nixpkgs (`nixpkgs#jq`,
/// `nixpkgs/nixos-24.05#jq`, `github:NixOS/nixpkgs#jq`): its attribute
/// name. An attribute path (`python3Packages.black`) names no program.
fn nixpkgs_program(installable: &str) -> Option<&str> {
    let (flake, attr) = installable.split_once('#')?;
    let flake = flake.to_ascii_lowercase();
    let flake = flake.strip_prefix("flake:").unwrap_or(&flake);
    let nixpkgs = ["nixpkgs", "github:nixos/nixpkgs"]
        .iter()
        .any(|name| flake == *name || flake.strip_prefix(name).is_some_and(|r| r.starts_with('/')));
    let plain = !attr.is_empty()
        && attr
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '\''));
    (nixpkgs && plain).then_some(attr)
}

/// Where a Nix store URL leads.
enum Store {
    /// Another host's store (`ssh://`, `ssh-ng://`, `s3://`, `https://`).
    Remote(Target),
    /// A store on this machine, at a path when one is named.
    Local(Option<String>),
}

/// The store a URL names (`s3://bucket?region=R`, `ssh-ng://user@host`,
/// `https://cache.example.org`, `file:///mnt/cache`, `local`, `daemon`).
fn store(inv: &Invocation<'_>, text: &str) -> Store {
    let (scheme, rest) = match text.split_once("://") {
        Some(split) => split,
        None if text.starts_with('/') || text.starts_with('.') || text.starts_with('~') => {
            return Store::Local(Some(inv.path(text)));
        }
        None => return Store::Local(None),
    };
    let without_query = rest.split('?').next().unwrap_or(rest);
    match scheme.to_ascii_lowercase().as_str() {
        "ssh" | "ssh-ng" => {
            let authority = without_query.split('/').next().unwrap_or(without_query);
            Store::Remote(host_target(authority))
        }
        "s3" => Store::Remote(url(&format!("s3://{without_query}"))),
        "file" => Store::Local(Some(inv.path(without_query))),
        "local" | "daemon" | "unix" => Store::Local(None),
        _ => Store::Remote(url(text)),
    }
}

/// `[user@]host[:port]` as a host target.
fn host_target(authority: &str) -> Target {
    let (user, rest) = match authority.rsplit_once('@') {
        Some((user, rest)) => (Some(user.to_owned()), rest),
        None => (None, authority),
    };
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) if port.parse::<u16>().is_ok() => (host, port.parse().ok()),
        _ => (rest, None),
    };
    Target::Host {
        user,
        host: host.to_owned(),
        port,
        path: None,
    }
}

/// `nix copy --to URL PATHS...` uploads the store paths (and what they
/// need) to that store; `--from URL` downloads them.
fn copy(inv: &Invocation<'_>, line: &NixLine<'_>, paths: Vec<&Arg>) -> Outcome {
    let mut payload = Payload::default();
    for path in &paths {
        flow::push_text(&mut payload, &path.text);
    }
    let mut outcome = Outcome::default();
    if let Some(to) = line.value(&["--to"]) {
        match store(inv, &to.text) {
            Store::Remote(target) => {
                outcome
                    .effects
                    .push(request("nix", target, "UPLOAD", payload, false));
            }
            Store::Local(Some(path)) => outcome.write(path, false),
            Store::Local(None) => {}
        }
    }
    if let Some(from) = line.value(&["--from"])
        && let Store::Remote(target) = store(inv, &from.text)
    {
        outcome.effects.push(request(
            "nix",
            target,
            "DOWNLOAD",
            Payload::default(),
            false,
        ));
    }
    outcome
}

/// `nix-copy-closure [--to|--from] [USER@]HOST PATHS...`: over SSH, to
/// the host unless `--from` (its options take no value).
pub(super) fn copy_closure(inv: &Invocation<'_>) -> Outcome {
    let mut operands = inv.args.iter().filter(|a| !a.text.starts_with('-'));
    let Some(host) = operands.next() else {
        return Outcome::default();
    };
    let (method, payload) = if inv.args.iter().any(|a| a.text == "--from") {
        ("DOWNLOAD", Payload::default())
    } else {
        let mut payload = Payload::default();
        for path in operands {
            flow::push_text(&mut payload, &path.text);
        }
        ("UPLOAD", payload)
    };
    Outcome::default().effect(request(
        "nix-copy-closure",
        host_target(&host.text),
        method,
        payload,
        false,
    ))
}

/// `nix-shell [-p PKGS... | FILE] --run TEXT` (or `--command TEXT`): the
/// text runs in the environment's shell.
pub(super) fn nix_shell(inv: &Invocation<'_>) -> Option<Outcome> {
    let line = NixLine::parse(inv.args, &["--run", "--command", "-i"], &[]);
    let text = line.value(&["--run", "--command"])?;
    let mut outcome = Outcome::default();
    outcome.nested.push(Nested::Script {
        text: text.text.clone(),
        what: "nix-shell --run".to_owned(),
    });
    Some(outcome)
}

/// `nix-env -i PKGS` / `--install` (`-iA nixpkgs.jq`: by attribute): the
/// packages are installed into the profile. A store path or a local file
/// names no package.
pub(super) fn nix_env(inv: &Invocation<'_>) -> Option<Outcome> {
    let installs = inv
        .args
        .iter()
        .any(|a| a.text == "--install" || a.text.starts_with("-i"));
    if !installs {
        return None;
    }
    let line = NixLine::parse(inv.args, &["-p"], &[]);
    let by_attribute = line
        .options
        .iter()
        .filter(|(name, _)| matches!(*name, "-A" | "--attr"))
        .flat_map(|(_, values)| values.iter().copied());
    let packages = line
        .operands(0)
        .into_iter()
        .chain(by_attribute)
        .filter(|p| !is_local(&p.text))
        .map(|p| p.text.clone())
        .collect();
    Some(install("nix-env", packages, None))
}

/// `nix profile install|add INSTALLABLES`: each installable from the
/// flake it names, one install per source (nixpkgs and other registry
/// flakes name none; `github:O/R#x` is that repository).
fn install_flakes(installables: Vec<&Arg>) -> Outcome {
    let mut by_source: Vec<(Option<String>, Vec<String>)> = Vec::new();
    for installable in installables {
        let text = installable.text.as_str();
        if is_local(text) {
            continue;
        }
        let source = flake_source(text);
        match by_source.iter_mut().find(|(s, _)| *s == source) {
            Some((_, packages)) => packages.push(text.to_owned()),
            None => by_source.push((source, vec![text.to_owned()])),
        }
    }
    let mut outcome = Outcome::default();
    for (registry, packages) in by_source {
        outcome
            .effects
            .extend(install("nix", packages, registry).effects);
    }
    outcome
}

/// A flake reference on this machine: a path, `path:`, `git+file:`,
/// `file:`, a store path.
fn is_local(text: &str) -> bool {
    text.starts_with(['.', '/', '~'])
        || ["path:", "git+file:", "file:", "tarball+file:"]
            .iter()
            .any(|scheme| text.starts_with(scheme))
}

/// The repository a flake reference fetches from (`github:O/R/REF#x` is
/// `https://github.com/O/R`; `git+https://H/P?ref=x` is `https://H/P`),
/// `None` for a name the flake registry resolves (`nixpkgs#jq`).
fn flake_source(text: &str) -> Option<String> {
    let flake = text.split('#').next().unwrap_or(text);
    let flake = flake.split('?').next().unwrap_or(flake);
    for (scheme, host) in [
        ("github:", "github.com"),
        ("gitlab:", "gitlab.com"),
        ("sourcehut:", "git.sr.ht"),
    ] {
        if let Some(path) = flake.strip_prefix(scheme) {
            let repo: Vec<&str> = path.split('/').take(2).collect();
            if repo.len() == 2 && repo.iter().all(|part| !part.is_empty()) {
                return Some(format!("https://{host}/{}", repo.join("/")));
            }
        }
    }
    let url = flake
        .strip_prefix("git+")
        .or_else(|| flake.strip_prefix("tarball+"))
        .or_else(|| flake.strip_prefix("file+"))
        .unwrap_or(flake);
    url.contains("://").then(|| url.to_owned())
}
