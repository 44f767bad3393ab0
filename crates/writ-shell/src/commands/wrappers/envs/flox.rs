//! flox: `flox activate [-d DIR] -- CMD ARGS` execs a command in the
//! environment and `flox activate -c TEXT` runs shell text there, after
//! the manifest's `[hook] on-activate` script and with its `[vars]`
//! (`.flox/env/manifest.toml`, when written earlier). `flox install PKGS`
//! installs packages.

use super::super::{Invocation, Nested, Outcome, run_argv};
use super::{Lookup, Prelude, find_file, install, run_after, split_double_dash};
use crate::args::{self, Arg, Spec};
use crate::commands::toml::{Document, Value};
use crate::paths;

/// `flox activate`'s options that take a value.
const ACTIVATE_SPEC: Spec<'static> = Spec {
    short: "drgmc",
    long: &[
        "dir",
        "reference",
        "remote",
        "generation",
        "mode",
        "command",
    ],
    stop_after: None,
};

/// Where a manifest sits below an environment's directory.
const MANIFEST: &str = ".flox/env/manifest.toml";

/// The subcommand, after the general options, and what follows it.
fn subcommand(args: &[Arg]) -> Option<(&str, &[Arg])> {
    let at = args.iter().position(|a| !a.text.starts_with('-'))?;
    Some((args.get(at)?.text.as_str(), args.get(at + 1..)?))
}

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let outcome = match subcommand(inv.args)? {
        ("activate", rest) => activate(rest),
        ("install" | "i", rest) => {
            let items = args::parse(
                rest,
                &Spec {
                    short: "dri",
                    long: &["dir", "remote", "reference", "id"],
                    stop_after: None,
                },
            );
            let packages = args::positionals(&items)
                .into_iter()
                .map(|p| p.text.clone())
                .collect();
            install("flox", packages, None)
        }
        _ => return None,
    };
    Some(outcome)
}

fn activate(rest: &[Arg]) -> Outcome {
    let (own, command) = split_double_dash(rest);
    let items = args::parse(own, &ACTIVATE_SPEC);
    if let Some(text) = args::value(&items, &["-c", "--command"]) {
        let mut outcome = Outcome::default();
        outcome.nested.push(Nested::Script {
            text: text.text.clone(),
            what: "flox activate -c".to_owned(),
        });
        return outcome;
    }
    run_argv(command.unwrap_or_default().to_vec(), None)
}

/// The manifest's hook and variables, around the command `flox activate`
/// runs. A remote environment's (`-r OWNER/NAME`) is not known.
pub(super) fn written(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    let Some(("activate", rest)) = subcommand(inv.args) else {
        return;
    };
    let (own, _) = split_double_dash(rest);
    let items = args::parse(own, &ACTIVATE_SPEC);
    if args::has(&items, &["-r", "--remote", "--reference"]) {
        return;
    }
    let text = match args::value(&items, &["-d", "--dir"]) {
        Some(dir) => text_of(&paths::resolve(&inv.path(&dir.text), "/", MANIFEST)),
        None => find_file(inv.cwd, &[MANIFEST], true, text_of).map(|(_, _, text)| text),
    };
    let Some(text) = text else {
        return;
    };
    let manifest = Document::parse(&text);
    let hook = match manifest.get(&["hook", "on-activate"]) {
        Some(Value::Str(script)) => script.clone(),
        _ => String::new(),
    };
    let env: Vec<(String, Arg)> = manifest
        .keys_below(&["vars"])
        .into_iter()
        .filter_map(|name| match manifest.get(&["vars", &name]) {
            Some(Value::Str(value)) => Some((name, Arg::literal(value))),
            _ => None,
        })
        .collect();
    if hook.trim().is_empty() && env.is_empty() {
        return;
    }
    let prelude = Prelude {
        text: &hook,
        dir: inv.cwd,
        env,
        what: "flox on-activate",
    };
    run_after(outcome, prelude, inv.cwd);
}
