//! GNU Guix: `guix shell [PKGS...] -- CMD ARGS` and `guix environment
//! [--ad-hoc] PKGS -- CMD ARGS` run a command in an environment; `guix
//! time-machine [OPTIONS] -- SUBCOMMAND ...` runs another guix command;
//! `guix install PKGS` and `guix package -i PKGS` install packages.

use super::super::{Invocation, Outcome, run_argv};
use super::{install, split_double_dash};
use crate::args::{self, Arg, Spec};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let (verb, rest) = inv.args.split_first()?;
    let outcome = match verb.text.as_str() {
        "shell" | "environment" => {
            let (_, command) = split_double_dash(rest);
            run_argv(command.unwrap_or_default().to_vec(), None)
        }
        "time-machine" => match split_double_dash(rest) {
            (_, Some(command)) if !command.is_empty() => {
                let mut argv = vec![verb.with_text("guix")];
                argv.extend(command.iter().cloned());
                run_argv(argv, None)
            }
            _ => Outcome::default(),
        },
        "install" => install("guix", packages(rest), None),
        "package" if installs(rest) => {
            let mut named = packages(rest);
            named.extend(
                rest.iter()
                    .filter_map(|a| a.text.strip_prefix("--install="))
                    .map(str::to_owned),
            );
            install("guix", named, None)
        }
        _ => return None,
    };
    Some(outcome)
}

/// `guix package` installs with `-i`/`--install` (`--install=PKG` too).
fn installs(args: &[Arg]) -> bool {
    args.iter().any(|a| {
        a.text == "--install"
            || a.text.starts_with("--install=")
            || (a.text.starts_with("-i") && !a.text.starts_with("--"))
    })
}

/// The packages a `guix install`/`guix package -i` names.
fn packages(args: &[Arg]) -> Vec<String> {
    let items = args::parse(
        args,
        &Spec {
            short: "pLfmeru",
            long: &[
                "profile",
                "load-path",
                "install-from-file",
                "manifest",
                "install-from-expression",
                "remove",
                "upgrade",
            ],
            stop_after: None,
        },
    );
    args::positionals(&items)
        .into_iter()
        .map(|p| p.text.clone())
        .collect()
}
