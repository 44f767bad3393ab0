//! zx's scripts: Node code run with zx's globals loaded, where `` $`...` ``
//! runs a shell command (read by `inline` as nested shell) and `argv` is
//! the script's own command line as minimist parses it: `--name VALUE`
//! and `--name=VALUE` give `argv.name` that text, a `--name` with no
//! value after it is `true`, and a name the command line does not give
//! is `undefined` (so `argv.context ?? 'staging'` falls back).
//!
//! A script is zx's when it runs through `zx` (read as `node
//! --import=zx/globals`, [`super::runtimes`]), starts with a `#!` line
//! naming zx, or imports zx; and only when it binds no `argv` of its own.

use super::js_args::{CliParser, OptionSpec};
use super::storage::{in_literal, is_ident, token_starts};
use super::{Invocation, Literal};

/// The Node option that loads zx's globals, as `zx FILE` is read.
pub(super) const GLOBALS_IMPORT: &str = "--import=zx/globals";

/// The module that defines zx's globals.
const GLOBALS_MODULE: &str = "zx/globals";

/// How many options a command line is read with.
const MAX_OPTIONS: usize = 64;

/// How the code imports zx, written with either quote.
const IMPORTS: &[&str] = &[
    "from 'zx'",
    "from \"zx\"",
    "from 'zx/globals'",
    "from \"zx/globals\"",
    "import 'zx/globals'",
    "import \"zx/globals\"",
    "require('zx')",
    "require(\"zx\")",
    "require('zx/globals')",
    "require(\"zx/globals\")",
];

/// True when `code`, run as `inv`, is a zx script.
pub(super) fn runs_zx(inv: &Invocation<'_>, code: &str) -> bool {
    let loaded = inv.args.iter().enumerate().any(|(index, arg)| {
        arg.text == GLOBALS_IMPORT
            || arg.text == "--require=zx/globals"
            || (matches!(arg.text.as_str(), "--import" | "-r" | "--require")
                && inv
                    .args
                    .get(index + 1)
                    .is_some_and(|next| next.text == GLOBALS_MODULE))
    });
    let shebang = code
        .lines()
        .next()
        .is_some_and(|line| line.starts_with("#!") && line.split_whitespace().any(is_zx_word));
    loaded || shebang || IMPORTS.iter().any(|import| code.contains(import))
}

/// True for a `#!` line's word that runs zx (`zx`, `/usr/bin/env zx`'s
/// last word, `/usr/local/bin/zx`).
fn is_zx_word(word: &str) -> bool {
    word.rsplit('/').next() == Some("zx")
}

/// zx's `argv` as a parser of the options `words` give, and of each other
/// `argv.NAME` the code reads (not given: `undefined`); `None` when the
/// code binds `argv` itself or a word is not read the way minimist reads
/// it here (combined short flags, `-abc`).
pub(super) fn argv_parser(code: &str, literals: &[Literal], words: &[String]) -> Option<CliParser> {
    if binds_argv(code, literals) {
        return None;
    }
    let mut options = given_options(words)?;
    for name in read_names(code, literals) {
        if options.len() >= MAX_OPTIONS {
            break;
        }
        if !options.iter().any(|o| o.name == name) {
            options.push(OptionSpec {
                name,
                boolean: false,
                short: None,
                default: None,
            });
        }
    }
    (!options.is_empty()).then(|| CliParser {
        holders: vec!["argv".to_owned()],
        options,
        camel: true,
    })
}

/// The options the words give, as minimist reads them: a word after an
/// option that is no option itself is its value.
fn given_options(words: &[String]) -> Option<Vec<OptionSpec>> {
    let mut options: Vec<OptionSpec> = Vec::new();
    let mut iter = words.iter().peekable();
    while let Some(word) = iter.next() {
        if word == "--" || options.len() >= MAX_OPTIONS {
            break;
        }
        let (name, short) = if let Some(long) = word.strip_prefix("--") {
            (long.split_once('=').map_or(long, |(n, _)| n), false)
        } else if let Some(short) = word.strip_prefix('-') {
            if short.chars().count() != 1 {
                // `-abc` or a negative number: not read here.
                return None;
            }
            (short, true)
        } else {
            continue;
        };
        if name.is_empty() {
            return None;
        }
        let valued = word.contains('=') || iter.peek().is_some_and(|next| !next.starts_with('-'));
        if valued && !word.contains('=') {
            iter.next();
        }
        if options.iter().any(|o| o.name == name) {
            // Given twice: minimist makes an array.
            return None;
        }
        options.push(OptionSpec {
            name: name.to_owned(),
            boolean: !valued,
            short: short.then(|| name.to_owned()),
            default: None,
        });
    }
    Some(options)
}

/// True when the code declares a name `argv` of its own (`const argv =
/// yargs(...)`, `let { argv } = ...`, a parameter `(argv) =>`).
fn binds_argv(code: &str, literals: &[Literal]) -> bool {
    code.match_indices("argv").any(|(at, _)| {
        if in_literal(literals, at) || !token_starts(code, at) {
            return false;
        }
        let after = code.get(at + 4..).unwrap_or_default();
        if after.starts_with(is_ident) {
            return false;
        }
        let before = code.get(..at).unwrap_or_default().trim_end();
        let declared = ["const", "let", "var", "function"]
            .iter()
            .any(|kw| before.ends_with(kw) && token_starts(before, before.len() - kw.len()));
        let parameter = before.ends_with('(') && after.trim_start().starts_with(')');
        declared || parameter
    })
}

/// The names the code reads as `argv.NAME` (not `process.argv`), except
/// minimist's positional `_`.
fn read_names(code: &str, literals: &[Literal]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (at, found) in code.match_indices("argv.") {
        // Inside a template literal, an interpolation reads it too.
        let quoted = literals
            .iter()
            .any(|l| l.start <= at && at < l.end && !l.backtick);
        if quoted || !token_starts(code, at) {
            continue;
        }
        let rest = code.get(at + found.len()..).unwrap_or_default();
        let len = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
        let name = rest.get(..len).unwrap_or_default();
        if name.is_empty() || name == "_" || name.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        if !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn options_are_read_as_minimist_reads_them() {
        let options = given_options(&words(&["--context", "prod", "--dry", "--tag=1", "x"]));
        let options = options.unwrap_or_default();
        let read: Vec<(&str, bool)> = options
            .iter()
            .map(|o| (o.name.as_str(), o.boolean))
            .collect();
        assert_eq!(
            read,
            vec![("context", false), ("dry", true), ("tag", false)]
        );
        assert!(given_options(&words(&["-abc"])).is_none());
    }

    #[test]
    fn an_own_argv_is_not_zx() {
        let code = "const argv = yargs(hideBin(process.argv)).parse(); argv.x";
        assert!(binds_argv(code, &super::super::literals(code)));
        let code = "const c = argv.context ?? 'x'; process.argv.slice(2)";
        let literals = super::super::literals(code);
        assert!(!binds_argv(code, &literals));
        assert_eq!(read_names(code, &literals), vec!["context".to_owned()]);
    }
}
