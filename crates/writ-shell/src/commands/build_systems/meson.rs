//! Meson: `meson setup BUILD [SOURCE] --prefix=P` (or `-Dprefix=P`;
//! `meson configure BUILD` too) records the prefix in the build
//! directory's `meson-info/intro-buildoptions.json`, as Meson does; `meson
//! install [-C BUILD] [--destdir D]` writes under `DESTDIR` and that prefix
//! (Meson's default `/usr/local` when none is known). `--dry-run` installs
//! nothing.

use super::{DEFAULT_PREFIX, Install, replace_install};
use crate::args;
use crate::commands::{Invocation, Lookup, Outcome};
use crate::paths;

/// The file of a build directory that lists its options.
const OPTIONS_FILE: &str = "meson-info/intro-buildoptions.json";

/// Meson's options that take a value, for the subcommands read here.
const VALUED: &[&str] = &[
    "C",
    "D",
    "prefix",
    "destdir",
    "tags",
    "buildtype",
    "backend",
    "libdir",
    "bindir",
    "native-file",
    "cross-file",
    "default-library",
];

/// What a meson command line asks for.
enum Step {
    /// `setup`/`configure` of `build`, with the prefix it sets.
    Configure {
        build: String,
        prefix: Option<String>,
    },
    /// `install` from `build`.
    Install { build: String, install: Install },
}

/// Reads a meson command line: its subcommand (a directory alone is
/// `setup`), the build directory and the options that matter here.
fn step(inv: &Invocation<'_>) -> Option<Step> {
    let (first, rest) = inv.args.split_first()?;
    let (subcommand, rest) = match first.text.as_str() {
        "setup" | "configure" | "install" => (first.text.as_str(), rest),
        text if !text.starts_with('-') && !is_subcommand(text) => ("setup", inv.args),
        _ => return None,
    };
    let items = args::parse_valued(rest, VALUED);
    let positionals = args::positionals(&items);
    match subcommand {
        "install" => {
            if args::has(&items, &["-n", "--dry-run"]) {
                return None;
            }
            let build = args::value(&items, &["-C"])
                .map_or_else(|| inv.cwd.to_owned(), |dir| inv.path(&dir.text));
            let destdir = args::value(&items, &["--destdir"]).or_else(|| inv.env_value("DESTDIR"));
            Some(Step::Install {
                build,
                install: Install::staged(inv, destdir),
            })
        }
        _ => {
            let build = positionals
                .first()
                .map_or_else(|| inv.cwd.to_owned(), |dir| inv.path(&dir.text));
            let defined = args::values(&items, &["-D"])
                .into_iter()
                .filter_map(|d| d.text.strip_prefix("prefix=").map(str::to_owned))
                .next_back();
            let prefix = args::value(&items, &["--prefix"])
                .map(|p| p.text.clone())
                .or(defined)
                .map(|p| inv.path(&p));
            Some(Step::Configure { build, prefix })
        }
    }
}

/// Meson's other subcommands, which are not a build directory.
fn is_subcommand(text: &str) -> bool {
    matches!(
        text,
        "compile"
            | "test"
            | "dist"
            | "init"
            | "introspect"
            | "wrap"
            | "subprojects"
            | "rewrite"
            | "devenv"
            | "env2mfile"
            | "format"
            | "fmt"
            | "help"
            | "--version"
            | "-v"
    )
}

/// What the line alone says: the prefix a configure step records, the
/// prefix an install writes into.
pub(super) fn line(inv: &Invocation<'_>) -> Option<Outcome> {
    let mut outcome = Outcome::default();
    match step(inv)? {
        Step::Configure { build, prefix } => {
            let prefix = prefix?;
            let path = paths::resolve(&build, "/", OPTIONS_FILE);
            outcome.contents.push((
                path.clone(),
                crate::Payload {
                    text: vec![options_text(&prefix)],
                    ..crate::Payload::default()
                },
            ));
            outcome.write(path, false);
        }
        Step::Install { install, .. } => outcome.write(install.path(DEFAULT_PREFIX), false),
    }
    Some(outcome)
}

/// An install from a build directory whose prefix is known writes there.
pub(super) fn known(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    if let Some(Step::Install { build, install }) = step(inv)
        && let Some(prefix) = configured_prefix(&build, text_of)
    {
        replace_install(outcome, &install, &prefix);
    }
}

/// The prefix a Meson build directory was configured with, when known.
pub(super) fn configured_prefix(build: &str, text_of: &Lookup<'_>) -> Option<String> {
    let text = text_of(&paths::resolve(build, "/", OPTIONS_FILE))?;
    let options: serde_json::Value = serde_json::from_str(&text).ok()?;
    options
        .as_array()?
        .iter()
        .find(|o| o.get("name").and_then(|n| n.as_str()) == Some("prefix"))
        .and_then(|o| o.get("value"))
        .and_then(|v| v.as_str())
        .map(str::to_owned)
}

/// The options file's text for `prefix`.
fn options_text(prefix: &str) -> String {
    serde_json::json!([{
        "name": "prefix",
        "value": prefix,
        "section": "directory",
        "type": "string",
    }])
    .to_string()
}
