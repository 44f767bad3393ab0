//! Bun's package scripts: `bun run [OPTIONS] NAME [ARGS]` and the
//! shorthand `bun NAME [ARGS]` run the script of that name in the nearest
//! package.json (or `--cwd`'s), with its `preNAME` and `postNAME`
//! scripts, as `npm run` does. Bun's options may come before or after
//! `run`; every word after the name is the script's. A word that is a
//! file (`bun run src/seed.ts`, `bun index.js`) or inline code is the
//! runtime's (`inline/runtimes.rs`), and a filter over the workspace's
//! packages (`--filter`) is not this package's script.

use super::{Lookup, package_scripts, script_jobs};
use crate::args::Arg;
use crate::commands::{Invocation, Nested};

/// Bun's options that take a value as the next word.
const VALUED: &[&str] = &[
    "--cwd",
    "--elide-lines",
    "--shell",
    "--env-file",
    "-c",
    "--config",
    "-r",
    "--preload",
    "--require",
    "--import",
    "--tsconfig-override",
    "-d",
    "--define",
    "-l",
    "--loader",
    "--conditions",
    "--main-fields",
    "--port",
    "--jsx-factory",
    "--jsx-fragment",
    "--jsx-import-source",
    "--jsx-runtime",
];

/// Options that run something other than one of this package's scripts.
const ELSEWHERE: &[&str] = &[
    "-F",
    "--filter",
    "--workspaces",
    "-e",
    "--eval",
    "-p",
    "--print",
    "-h",
    "--help",
    "-v",
    "--version",
    "--revision",
];

/// Bun's own commands, which a script of the same name does not replace
/// in the shorthand (`bun test` is Bun's test runner).
const COMMANDS: &[&str] = &[
    "run",
    "test",
    "x",
    "repl",
    "exec",
    "install",
    "i",
    "add",
    "a",
    "remove",
    "rm",
    "update",
    "outdated",
    "link",
    "unlink",
    "pm",
    "build",
    "init",
    "create",
    "c",
    "upgrade",
    "publish",
    "patch",
    "patch-commit",
    "audit",
    "info",
    "why",
    "completions",
    "help",
];

/// What a Bun command line names: the script, its arguments, the
/// directory it starts from, and whether it said `run`.
struct Named<'a> {
    name: &'a str,
    extra: Vec<&'a Arg>,
    start: String,
    with_run: bool,
}

/// Reads `bun [OPTIONS] [run] [OPTIONS] NAME [ARGS]`.
fn named<'a>(inv: &Invocation<'a>) -> Option<Named<'a>> {
    let mut start = inv.cwd.to_owned();
    let mut with_run = false;
    let mut words = inv.args.iter().enumerate();
    while let Some((at, word)) = words.next() {
        let text = word.text.as_str();
        let (option, attached) = match text.split_once('=') {
            Some((option, value)) if option.starts_with("--") => (option, Some(value)),
            _ => (text, None),
        };
        if ELSEWHERE.contains(&option) {
            return None;
        }
        if option == "--" {
            continue;
        }
        if option.starts_with('-') {
            let value = match attached {
                Some(value) => Some(value.to_owned()),
                None if VALUED.contains(&option) => words.next().map(|(_, w)| w.text.clone()),
                None => None,
            };
            if option == "--cwd"
                && let Some(dir) = value
            {
                start = inv.path(&dir);
            }
            continue;
        }
        if !with_run && text == "run" {
            with_run = true;
            continue;
        }
        if !with_run && COMMANDS.contains(&text) {
            return None;
        }
        if !word.substitutions.is_empty() || is_file(text) {
            return None;
        }
        let extra = inv
            .args
            .get(at + 1..)
            .unwrap_or_default()
            .iter()
            .filter(|a| a.text != "--")
            .collect();
        return Some(Named {
            name: text,
            extra,
            start,
            with_run,
        });
    }
    None
}

/// A word Bun runs as a file: a path, or a name with a script's extension.
fn is_file(text: &str) -> bool {
    const EXTENSIONS: &[&str] = &["js", "mjs", "cjs", "ts", "mts", "cts", "jsx", "tsx", "sh"];
    text.contains('/')
        || text
            .rsplit_once('.')
            .is_some_and(|(_, ext)| EXTENSIONS.contains(&ext))
}

/// The script `bun run NAME` or `bun NAME` runs, and its jobs; `None`
/// when the line runs no script of a known package.json. Also says
/// whether the shorthand was used (the runtime then read `NAME` as a
/// file, which it is not).
pub(super) fn bun(
    inv: &Invocation<'_>,
    text_of: &Lookup<'_>,
) -> Option<(String, bool, Vec<Nested>)> {
    let named = named(inv)?;
    let (dir, scripts) = package_scripts(&named.start, text_of)?;
    let script = |name: &str| scripts.get(name)?.as_str();
    let jobs = script_jobs(&script, named.name, &named.extra, &dir)?;
    Some((named.name.to_owned(), !named.with_run, jobs))
}
