//! The values a script's command line gives its positional arguments,
//! written in where the code reads them, as [`super::py_branches`] and
//! [`super::js_args`] do for options:
//! - a Python script's argparse positionals (`ap.add_argument("path")`,
//!   read as `args.path`): the words that are no option nor an option's
//!   value, in order. A read of one is written as the string literal it
//!   is (`open(args.path)`: `open('f.csv')`; a `type=Path` one as
//!   `Path('f.csv')`, a `type=argparse.FileType(...)` one as `open('f.csv')`;
//!   `f"{args.path}"` as the text);
//! - a Node.js script's `process.argv` destructured (`const [, ,
//!   url, ...files] = process.argv`, or `process.argv.slice(2)`): the
//!   declaration is written as one binding each name to its word (`const
//!   url = "u", files = ["a", "b"]`), which the path evaluator then writes
//!   in where the names are used.
//!
//! Only certain values are written in: a word that may be an option the
//! parser was not told of, an option taking several values, or a word not
//! known (an expansion) binds nothing; a positional taking several words
//! (`nargs=`) ends the binding, and a name the code assigns again is left
//! alone.

use super::storage::{self, is_ident, replaced};
use super::{Invocation, Literal, literals, py_appends};

/// Code longer than this is not read.
const MAX_CODE: usize = 64 * 1024;
/// How many positional arguments are bound.
const MAX_POSITIONALS: usize = 16;
/// Programs that run JavaScript or TypeScript.
const JS_PROGRAMS: &[&str] = &["node", "nodejs", "deno", "bun", "tsx", "ts-node", "esno"];

/// `code` with its reads of its positional arguments written as their
/// values; `None` when nothing changes. `original` is the code as given
/// on the command line (its arguments follow it).
pub(super) fn bound(inv: &Invocation<'_>, original: &str, code: &str) -> Option<String> {
    if code.len() > MAX_CODE {
        return None;
    }
    let at = inv.args.iter().position(|a| a.text == original)?;
    let rest = inv.args.get(at + 1..).unwrap_or_default();
    if rest.iter().any(|a| a.dynamic) {
        return None;
    }
    let words: Vec<String> = rest.iter().map(|a| a.text.clone()).collect();
    let name = inv.program.rsplit('/').next().unwrap_or(inv.program);
    if name.starts_with("python") {
        python(code, &words)
    } else if JS_PROGRAMS.contains(&name) {
        javascript(code, &words)
    } else {
        None
    }
}

/// How a positional's value is read.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// A string (no `type=`, `type=str`).
    Text,
    /// `type=Path`.
    Path,
    /// `type=argparse.FileType(...)`: the file opened.
    Opened,
    /// Anything else: its word is taken, its value not written.
    Other,
}

/// One `add_argument(...)` call, as the words it takes see it.
enum Argument {
    /// A positional: its name, how it is read, and whether it takes
    /// exactly one word.
    Positional { name: String, kind: Kind, one: bool },
    /// An option: its spellings, whether it takes a value, and for a
    /// `store_true` (`store_false`) flag its attribute and the value it
    /// stores.
    Option {
        spellings: Vec<String>,
        value: bool,
        flag: Option<(String, bool)>,
    },
}

/// argparse's actions that take no value.
const NO_VALUE_ACTIONS: &[&str] = &[
    "store_true",
    "store_false",
    "store_const",
    "append_const",
    "count",
    "help",
    "version",
];

/// The arguments `add_argument` calls define, in order; `None` when one
/// cannot be read (an option taking several values).
fn arguments(code: &str, literals: &[Literal]) -> Option<Vec<Argument>> {
    let mut out = Vec::new();
    for (_, open) in code
        .match_indices(".add_argument(")
        .map(|(at, m)| (at, at + m.len() - 1))
    {
        let args = storage::args_at(code, literals, open)?;
        let text = |start: usize, end: usize| code.get(start..end).unwrap_or_default().trim();
        let keyword = |key: &str| {
            args.keyed(&[key])
                .map(|item| text(item.start, item.end).to_owned())
        };
        let names: Vec<String> = args
            .items
            .iter()
            .filter(|item| item.key.is_none())
            .filter_map(|item| {
                let (_, literal) = storage::literal_at(literals, item.start)?;
                (literal.end == item.end).then(|| literal.text.clone())
            })
            .collect();
        let first = names.first()?;
        let nargs = keyword("nargs");
        let action = keyword("action").map(|a| a.trim_matches(['"', '\'']).to_owned());
        if first.starts_with('-') {
            let value = match action.as_deref() {
                None | Some("store" | "append" | "extend") => true,
                Some(a) if NO_VALUE_ACTIONS.contains(&a) || a.contains("BooleanOptional") => false,
                Some(_) => return None,
            };
            // An option taking a number of values other than one.
            if value && nargs.is_some() {
                return None;
            }
            let stores = match action.as_deref() {
                Some("store_true") => Some(true),
                Some("store_false") => Some(false),
                _ => None,
            };
            let dest = keyword("dest")
                .map(|d| d.trim_matches(['"', '\'']).to_owned())
                .or_else(|| {
                    let long = names.iter().find(|n| n.starts_with("--")).unwrap_or(first);
                    Some(long.trim_start_matches('-').replace('-', "_"))
                });
            let flag = stores.zip(dest);
            out.push(Argument::Option {
                spellings: names,
                value,
                flag: flag.map(|(stores, dest)| (dest, stores)),
            });
        } else {
            let kind = match keyword("type").as_deref() {
                None | Some("str") => Kind::Text,
                Some("Path" | "pathlib.Path") => Kind::Path,
                Some(t) if t.contains("FileType(") => Kind::Opened,
                Some(_) => Kind::Other,
            };
            let name = keyword("dest")
                .map(|d| d.trim_matches(['"', '\'']).to_owned())
                .unwrap_or_else(|| first.clone());
            out.push(Argument::Positional {
                name,
                kind,
                one: nargs.is_none() && action.is_none(),
            });
        }
    }
    Some(out)
}

/// The words that are positional arguments, in order; `None` when a word
/// may be an option the parser was not told of.
fn positional_words(arguments: &[Argument], words: &[String]) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut iter = words.iter();
    while let Some(word) = iter.next() {
        if word == "--" {
            out.extend(iter.cloned());
            break;
        }
        if !word.starts_with('-') || word == "-" {
            out.push(word.clone());
            continue;
        }
        let (spelling, inline) = match word.split_once('=') {
            Some((s, _)) if word.starts_with("--") => (s, true),
            _ => (word.as_str(), false),
        };
        let value = arguments.iter().find_map(|argument| match argument {
            Argument::Option {
                spellings, value, ..
            } => {
                if spellings.iter().any(|s| s == spelling) {
                    return Some(*value && !inline);
                }
                // A short option with its value attached (`-n5`).
                let attached = spellings.iter().any(|s| {
                    s.len() == 2 && !s.starts_with("--") && spelling.starts_with(s.as_str())
                });
                (attached && *value).then_some(false)
            }
            Argument::Positional { .. } => None,
        })?;
        if value {
            iter.next();
        }
    }
    Some(out)
}

/// The conditions the line's flags make surely true: `args.dry_run` for
/// a `store_true` flag given (`--dry-run`), `not args.dry_run` for one not
/// given, and the reverse for a `store_false` one.
fn true_flags(holder: &str, arguments: &[Argument], words: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for argument in arguments {
        let Argument::Option {
            spellings,
            flag: Some((dest, stores)),
            ..
        } = argument
        else {
            continue;
        };
        let given = words.iter().any(|w| spellings.contains(w));
        let name = format!("{holder}.{dest}");
        out.push(if given == *stores {
            name
        } else {
            format!("not {name}")
        });
    }
    out
}

/// A Python string literal holding `text`.
fn python_literal(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// A Python script's argparse positionals written in.
fn python(code: &str, words: &[String]) -> Option<String> {
    let literals = literals(code);
    let holders: Vec<&str> = code
        .match_indices(".parse_args(")
        .filter_map(|(at, _)| {
            let line = code.get(..at)?.rsplit('\n').next()?;
            let (name, _) = line.split_once('=')?;
            let name = name.trim();
            (!name.is_empty() && name.chars().all(is_ident)).then_some(name)
        })
        .collect();
    // Several parsers, or subcommands, make the words' meaning unclear.
    let [holder] = holders.as_slice() else {
        return None;
    };
    if code.contains("add_subparsers(") || code.contains("parse_known_args(") {
        return None;
    }
    let arguments = arguments(code, &literals)?;
    let given = positional_words(&arguments, words)?;
    // Lists the code appends to under a flag the line gives, whole.
    let folded = py_appends::folded(code, &true_flags(holder, &arguments, words));
    if let Some(folded) = folded {
        return python(&folded, words).or(Some(folded));
    }
    let mut replacements = Vec::new();
    let positionals = arguments.iter().filter_map(|argument| match argument {
        Argument::Positional { name, kind, one } => Some((name, *kind, *one)),
        Argument::Option { .. } => None,
    });
    for ((name, kind, one), word) in positionals.zip(&given).take(MAX_POSITIONALS) {
        if !one {
            break;
        }
        if kind == Kind::Other || !name.chars().all(is_ident) {
            continue;
        }
        let read = format!("{holder}.{name}");
        let Some(reads) = reads_of(code, &literals, &read) else {
            continue;
        };
        let quoted = python_literal(word);
        for (start, in_literal) in reads {
            if let Some(literal) = in_literal {
                // `f"...{args.path}..."`: the text itself.
                let plain = !word.contains(['{', '}', '\\', '\'', '"', '\n']);
                if plain && is_f_string(code, literal) {
                    let open = start.checked_sub(1)?;
                    replacements.push((open, start + read.len() + 1, word.clone()));
                }
                continue;
            }
            let value = match kind {
                Kind::Path => format!("Path({quoted})"),
                Kind::Opened => format!("open({quoted})"),
                _ => quoted.clone(),
            };
            replacements.push((start, start + read.len(), value));
        }
    }
    replaced(code, replacements)
}

/// True when `literal` is an f-string (`f"..."`, `rf'...'`).
fn is_f_string(code: &str, literal: &Literal) -> bool {
    let prefix: String = code
        .get(..literal.start)
        .unwrap_or_default()
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    prefix.len() <= 2 && prefix.to_ascii_lowercase().contains('f')
}

/// Where the code reads `name` (`args.path`) as a whole name: each start,
/// with the f-string literal it is interpolated in alone (`{args.path}`),
/// if any. `None` when the code assigns it (`args.path = ...`).
fn reads_of<'l>(
    code: &str,
    literals: &'l [Literal],
    name: &str,
) -> Option<Vec<(usize, Option<&'l Literal>)>> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices(name) {
        let whole_start = code
            .get(..at)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| !is_ident(c) && c != '.');
        let after = code.get(at + name.len()..).unwrap_or_default();
        let whole_end = after.chars().next().is_none_or(|c| !is_ident(c));
        if !whole_start || !whole_end {
            continue;
        }
        let inside = literals.iter().find(|l| l.start < at && at < l.end);
        match inside {
            Some(literal) => {
                let braced =
                    code.get(..at).is_some_and(|b| b.ends_with('{')) && after.starts_with('}');
                if braced {
                    out.push((at, Some(literal)));
                }
            }
            None => {
                let next = after.trim_start_matches([' ', '\t']);
                if next.starts_with('=') && !next.starts_with("==") {
                    return None;
                }
                out.push((at, None));
            }
        }
    }
    Some(out)
}

/// A JavaScript string literal holding `text`.
fn js_literal(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A Node.js script's `process.argv` destructured, written as bindings of
/// each name to its word.
fn javascript(code: &str, words: &[String]) -> Option<String> {
    let literals = literals(code);
    let mut replacements = Vec::new();
    for (at, _) in code.match_indices("process.argv") {
        if storage::literal_at(&literals, at).is_some()
            || literals.iter().any(|l| l.start < at && at < l.end)
        {
            continue;
        }
        let after = code.get(at + "process.argv".len()..).unwrap_or_default();
        // `process.argv` itself, or `.slice(N)` of it.
        let (skip, source_end) = match after.strip_prefix(".slice(") {
            Some(rest) => {
                let close = rest.find(')')?;
                let n: usize = rest.get(..close)?.trim().parse().ok()?;
                (n, at + "process.argv.slice(".len() + close + 1)
            }
            None if after
                .chars()
                .next()
                .is_none_or(|c| !is_ident(c) && c != '.' && c != '[') =>
            {
                (0, at + "process.argv".len())
            }
            None => continue,
        };
        let Some((start, close)) = destructured(code, &literals, at) else {
            continue;
        };
        let elements = pattern_elements(code, &literals, start + 1, close);
        let mut bindings = Vec::new();
        for (index, element) in elements.iter().enumerate() {
            let element = element.trim();
            if element.is_empty() {
                continue;
            }
            // The script's own words start at `process.argv[2]`.
            let position = (index + skip).checked_sub(2);
            if let Some(rest) = element.strip_prefix("...") {
                let items: Vec<String> = position
                    .map(|p| words.iter().skip(p).map(|w| js_literal(w)).collect())
                    .unwrap_or_default();
                bindings.push(format!("{} = [{}]", rest.trim(), items.join(", ")));
                continue;
            }
            let (name, default) = match element.split_once('=') {
                Some((name, default)) => (name.trim(), Some(default.trim())),
                None => (element, None),
            };
            if !name.chars().all(is_ident) {
                return None;
            }
            let word = position.and_then(|p| words.get(p));
            let value = match (word, default, position) {
                (Some(word), _, _) => js_literal(word),
                (None, Some(default), _) => default.to_owned(),
                // `process.argv[0]` and `[1]`: the runtime and the script.
                (None, None, None) => continue,
                (None, None, Some(_)) => "undefined".to_owned(),
            };
            bindings.push(format!("{name} = {value}"));
        }
        if bindings.is_empty() {
            continue;
        }
        replacements.push((start, source_end, bindings.join(", ")));
    }
    replaced(code, replacements)
}

/// The elements of the array pattern between `start` and `end`, split at
/// the commas outside its literals; holes are empty.
fn pattern_elements<'c>(
    code: &'c str,
    literals: &[Literal],
    start: usize,
    end: usize,
) -> Vec<&'c str> {
    let mut elements = Vec::new();
    let mut from = start;
    let mut pos = start;
    while pos < end {
        if let Some((_, literal)) = storage::literal_at(literals, pos) {
            pos = literal.end;
            continue;
        }
        if code.as_bytes().get(pos) == Some(&b',') {
            elements.push(code.get(from..pos).unwrap_or_default());
            from = pos + 1;
        }
        pos += 1;
    }
    elements.push(code.get(from..end).unwrap_or_default());
    elements
}

/// The `[` and `]` of the array pattern a declaration destructures the
/// value at `value` into (`const [a, b] = process.argv`), when nothing but
/// `=` stands between.
fn destructured(code: &str, literals: &[Literal], value: usize) -> Option<(usize, usize)> {
    let before = code.get(..value)?.trim_end().strip_suffix('=')?.trim_end();
    let close = before.len().checked_sub(1)?;
    if !before.ends_with(']') {
        return None;
    }
    let open = before.rfind('[')?;
    let pattern = code.get(open + 1..close)?;
    let quoted = |at: usize| literals.iter().any(|l| l.start <= at && at < l.end);
    let nested = pattern
        .char_indices()
        .any(|(at, c)| matches!(c, '[' | '{' | '(') && !quoted(open + 1 + at));
    if nested {
        return None;
    }
    let head = code.get(..open)?.trim_end();
    let declared = ["const", "let", "var"].iter().any(|keyword| {
        head.strip_suffix(keyword)
            .is_some_and(|h| h.chars().next_back().is_none_or(|c| !is_ident(c)))
    });
    declared.then_some((open, close))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(all: &[&str]) -> Vec<String> {
        all.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn argparse_positionals_are_written_in() {
        let code = "ap = argparse.ArgumentParser()\nap.add_argument('path')\n\
                    ap.add_argument('--purpose', default='x')\nap.add_argument('-v', action='store_true')\n\
                    args = ap.parse_args()\nopen(args.path, 'rb')\nprint(f\"{args.path}\")\n";
        assert_eq!(
            python(code, &words(&["--purpose", "p", "-v", "d/f.csv"])).as_deref(),
            Some(
                "ap = argparse.ArgumentParser()\nap.add_argument('path')\n\
                 ap.add_argument('--purpose', default='x')\nap.add_argument('-v', action='store_true')\n\
                 args = ap.parse_args()\nopen('d/f.csv', 'rb')\nprint(f\"d/f.csv\")\n"
            )
        );
    }

    #[test]
    fn unknown_options_and_reassigned_names_bind_nothing() {
        let code = "p.add_argument('path')\nargs = p.parse_args()\nopen(args.path)\n";
        assert_eq!(python(code, &words(&["--other", "f"])), None);
        let assigned = "p.add_argument('path')\nargs = p.parse_args()\nargs.path = 'x'\n";
        assert_eq!(python(assigned, &words(&["f"])), None);
    }

    #[test]
    fn argv_destructuring_binds_each_name() {
        assert_eq!(
            javascript(
                "const [, , url, ...files] = process.argv;\nf(url, files);\n",
                &words(&["https://h/c", "a.pdf", "b.pdf"])
            )
            .as_deref(),
            Some("const url = \"https://h/c\", files = [\"a.pdf\", \"b.pdf\"];\nf(url, files);\n")
        );
        assert_eq!(
            javascript(
                "let [src, dst = 'out'] = process.argv.slice(2);\n",
                &words(&["in.txt"])
            )
            .as_deref(),
            Some("let src = \"in.txt\", dst = 'out';\n")
        );
        assert_eq!(
            javascript("const a = process.argv[2];\n", &words(&["x"])),
            None
        );
    }
}
