//! A PHP script's own command line, the configuration files it loads and
//! the strings it builds, written into its code; and the branches they
//! rule out, blanked.
//!
//! - `$opts = getopt('', ['upload', 'month:', 'note::'])`:
//!   `isset($opts['upload'])` and `array_key_exists('upload', $opts)`
//!   become `true` or `false`, `$opts['month'] ?? X` the value given (or
//!   `X`), as does `in_array('--upload', $argv)`; an optional value
//!   (`note::`) is given only joined (`--note=X`).
//! - `foreach` over a list of literals (`['a', 'b']`, `array(...)`, a
//!   `(array)` cast of one, as an option's value becomes) runs its body
//!   once per item, the loop's variable written as the item.
//! - The attachment calls of PHP's mail libraries (PHPMailer's
//!   `addAttachment(P)`, Symfony Mime's `attachFromPath(P)`,
//!   SwiftMailer's `Swift_Attachment::fromPath(P)`) read the file they
//!   name into the message: written as that read (`file_get_contents(P)`).
//! - `$cfg = json_decode(file_get_contents(P), true)` of a file an
//!   earlier step wrote: `$cfg['bucket']` becomes the value it holds.
//! - Variables assigned once, at the top level, a string built of
//!   literals (`.`, `sprintf`, `escapeshellarg`, `rtrim`, `basename`,
//!   `str_starts_with`) become that string where used, so `passthru($cmd)`
//!   reads as the command line it runs.
//! - `if (...) { ... } else { ... }` whose condition is then certain
//!   keeps only the branch that runs (the rest blanked, so every offset
//!   stays), and a top-level branch that surely runs and ends in `exit`
//!   or `die` blanks the rest of the script.
//!
//! Only certain values are written in: an argument whose text is not
//! known keeps every read.

use yaml_rust2::{Yaml, YamlLoader};

use super::{Invocation, Literal, literals, matching_bracket, php_loops, storage};
use crate::commands::{Arg, top_level};

/// Code longer than this is not read.
const MAX_CODE: usize = 64 * 1024;
/// How many folding rounds run (each may make more values known).
const MAX_ROUNDS: usize = 4;

fn is_php(program: &str) -> bool {
    program == "php"
}

use super::rb_args::{is_ident, words_of};
use super::storage::in_literal;

/// A PHP script's `code`, run with the arguments `rest`, with its
/// options, the configuration files `text_of` knows (by absolute path)
/// and the strings it builds written in; `None` when nothing is.
pub(crate) fn with_loaded_configs(
    inv: &Invocation<'_>,
    code: &str,
    rest: &[Arg],
    text_of: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    if !is_php(inv.program) || code.len() > MAX_CODE {
        return None;
    }
    let words = words_of(rest)?;
    let bound = with_options(code, &words);
    let current = bound.as_deref().unwrap_or(code);
    let built = folded(current).or_else(|| bound.clone());
    let current = built.as_deref().unwrap_or(current);
    let loaded = with_configs(current, &|file| text_of(&inv.path(file)));
    let current = loaded.as_deref().unwrap_or(current);
    folded(current).or(loaded).or(built)
}

/// `code` (given on the command line as `original`) with its options and
/// strings written in and the branches they rule out blanked; `None` when
/// nothing changes.
pub(super) fn bound(inv: &Invocation<'_>, original: &str, code: &str) -> Option<String> {
    if !is_php(inv.program) || code.len() > MAX_CODE {
        return None;
    }
    let at = inv
        .args
        .iter()
        .position(|a| a.text == original || a.text == "-")?;
    let words = words_of(inv.args.get(at + 1..).unwrap_or_default())?;
    let mut current = with_options(code, &words);
    for _ in 0..MAX_ROUNDS {
        let text = current.as_deref().unwrap_or(code);
        let folded = folded(text);
        let text = folded.as_deref().unwrap_or(text);
        let unrolled = php_loops::unrolled(text);
        let text = unrolled.as_deref().unwrap_or(text);
        match pruned(text) {
            Some(next) => current = Some(next),
            None => {
                current = unrolled.or(folded).or(current);
                break;
            }
        }
    }
    let text = current.as_deref().unwrap_or(code);
    attachments_read(text).or(current)
}

/// The attachment calls of PHP's mail libraries, whose first argument
/// names a file the message carries.
const ATTACHMENT_CALLS: &[&str] = &[
    "->addAttachment(",
    "->attachFromPath(",
    "Swift_Attachment::fromPath(",
];

/// `code` with the string literal each attachment call names a file by
/// written as the read of it that the call makes (`file_get_contents(P)`);
/// `None` when there is none.
fn attachments_read(code: &str) -> Option<String> {
    let literals = literals(code);
    let mut replacements = Vec::new();
    for call in ATTACHMENT_CALLS {
        for (at, _) in code.match_indices(call) {
            let start = at + call.len();
            let rest = code.get(start..).unwrap_or_default();
            let first = start + (rest.len() - rest.trim_start().len());
            if in_literal(&literals, at) {
                continue;
            }
            if let Some((_, literal)) = storage::literal_at(&literals, first) {
                let text = code.get(literal.start..literal.end).unwrap_or_default();
                replacements.push((
                    literal.start,
                    literal.end,
                    format!("file_get_contents({text})"),
                ));
            }
        }
    }
    storage::replaced(code, replacements)
}

/// Whether a long option takes a value: `name` none, `name:` one,
/// `name::` one only when joined to it (`--name=X`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Takes {
    Nothing,
    Value,
    Joined,
}

/// What the command line gives a long option.
enum Given {
    Absent,
    Flag,
    Value(String),
}

/// `code` with its `getopt` options' reads and `in_array('--x', $argv)`
/// written as the values the command line `words` gives.
fn with_options(code: &str, words: &[String]) -> Option<String> {
    let literals = literals(code);
    let mut replacements: Vec<(usize, usize, String)> = Vec::new();
    for (at, _) in code.match_indices("in_array(") {
        let open = at + "in_array".len();
        let Some((flag, end)) = quoted_at(code, open + 1) else {
            continue;
        };
        let rest = code.get(end..).unwrap_or_default();
        let Some(after) = rest
            .trim_start()
            .strip_prefix(',')
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix("$argv"))
            .and_then(|r| r.trim_start().strip_prefix(')'))
        else {
            continue;
        };
        let whole = code
            .get(..at)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| !is_ident(c));
        if whole && flag.starts_with('-') && !in_literal(&literals, at) {
            // `$argv` holds every word, options or not.
            let given = words.contains(&flag);
            replacements.push((at, code.len() - after.len(), given.to_string()));
        }
    }
    if let Some((name, options)) = getopt(code) {
        let given = given_options(&options, words);
        let reads = option_reads(code, &literals, &name, &given);
        replacements.extend(reads);
    }
    storage::replaced(code, replacements)
}

/// The variable `getopt` fills and its long options (`("month",
/// Takes::Value)` for `'month:'`).
fn getopt(code: &str) -> Option<(String, Vec<(String, Takes)>)> {
    let at = code.find("getopt(")?;
    let line_start = code.get(..at)?.rfind('\n').map_or(0, |n| n + 1);
    let head = code.get(line_start..at)?.trim();
    let name = head.strip_suffix('=')?.trim().strip_prefix('$')?;
    if name.is_empty() || !name.chars().all(is_ident) {
        return None;
    }
    let args = code.get(at + "getopt(".len()..)?;
    let (short, end) = quoted_at(args, 0)?;
    if !short.is_empty() {
        return None;
    }
    let rest = args
        .get(end..)?
        .trim_start()
        .strip_prefix(',')?
        .trim_start();
    let list = rest.strip_prefix('[')?;
    let list = list.get(..list.find(']')?)?;
    let mut options = Vec::new();
    for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let (text, end) = quoted_at(item, 0)?;
        if end != item.len() {
            return None;
        }
        let option = match (text.strip_suffix("::"), text.strip_suffix(':')) {
            (Some(name), _) => (name.to_owned(), Takes::Joined),
            (None, Some(name)) => (name.to_owned(), Takes::Value),
            (None, None) => (text, Takes::Nothing),
        };
        if option.0.is_empty() || option.0.contains(':') {
            return None;
        }
        options.push(option);
    }
    Some((name.to_owned(), options))
}

/// What the command line gives each option. PHP's `getopt` stops at the
/// first word that is no option.
fn given_options(options: &[(String, Takes)], words: &[String]) -> Vec<(String, Given)> {
    let mut given: Vec<(String, Given)> = options
        .iter()
        .map(|(name, _)| (name.clone(), Given::Absent))
        .collect();
    let mut index = 0;
    while let Some(word) = words.get(index) {
        index += 1;
        let Some(long) = word.strip_prefix("--") else {
            if word.starts_with('-') {
                continue;
            }
            break;
        };
        if long.is_empty() {
            break;
        }
        let (name, inline) = match long.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (long, None),
        };
        let Some(position) = options.iter().position(|(n, _)| n == name) else {
            continue;
        };
        let takes = options.get(position).map_or(Takes::Nothing, |o| o.1);
        let value = match (takes, inline) {
            (Takes::Value | Takes::Joined, Some(value)) => Given::Value(value),
            (Takes::Value, None) => match words.get(index) {
                Some(value) => {
                    index += 1;
                    Given::Value(value.clone())
                }
                None => Given::Absent,
            },
            (Takes::Joined | Takes::Nothing, _) => Given::Flag,
        };
        if let Some(slot) = given.get_mut(position) {
            slot.1 = value;
        }
    }
    given
}

/// The reads of the options variable `name` and what they become.
fn option_reads(
    code: &str,
    literals: &[Literal],
    name: &str,
    given: &[(String, Given)],
) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let var = format!("${name}");
    for (option, value) in given {
        let present = !matches!(value, Given::Absent);
        for read in [
            format!("isset({var}['{option}'])"),
            format!("isset({var}[\"{option}\"])"),
            format!("array_key_exists('{option}', {var})"),
            format!("array_key_exists(\"{option}\", {var})"),
        ] {
            for (at, _) in code.match_indices(&read) {
                if !in_literal(literals, at) {
                    out.push((at, at + read.len(), present.to_string()));
                }
            }
        }
        let Given::Value(text) = value else {
            // `$opts['m'] ?? default` of an option not given: the default.
            if !present {
                for read in [format!("{var}['{option}']"), format!("{var}[\"{option}\"]")] {
                    for (at, _) in code.match_indices(&read) {
                        let end = at + read.len();
                        let rest = code.get(end..).unwrap_or_default().trim_start();
                        if let Some(default) = rest.strip_prefix("??") {
                            let skipped = code.len() - default.trim_start().len();
                            if !in_literal(literals, at) {
                                out.push((at, skipped, String::new()));
                            }
                        }
                    }
                }
            }
            continue;
        };
        for read in [format!("{var}['{option}']"), format!("{var}[\"{option}\"]")] {
            for (at, _) in code.match_indices(&read) {
                let end = at + read.len();
                let inside = out.iter().any(|(a, b, _)| *a <= at && at < *b);
                if inside || in_literal(literals, at) {
                    continue;
                }
                // `$opts['m'] ?? default`: the value given.
                let end = alternative_end(code, end).unwrap_or(end);
                out.push((at, end, php_quoted(text)));
            }
        }
    }
    out
}

/// Where the `?? default` after `from` ends (before `;`, `,` or `)` at its
/// level), when there is one.
fn alternative_end(code: &str, from: usize) -> Option<usize> {
    let rest = code.get(from..)?;
    let after = rest.trim_start().strip_prefix("??")?;
    let start = code.len() - after.len();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (offset, c) in after.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') if depth > 0 => depth -= 1,
            (None, ')' | ']' | ';' | ',') if depth == 0 => return Some(start + offset),
            _ => {}
        }
    }
    None
}

/// `code` with each `$cfg['key']` of a configuration file loaded with
/// `json_decode(file_get_contents(P), ...)` or `require P` (a PHP file
/// that returns an array) written as its value; a mapping picked from a
/// loaded one (`$cfg = $all['production'] ?? ...`) is read the same way.
fn with_configs(code: &str, text_of: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let literals = literals(code);
    let mut loaded: Vec<(String, Yaml)> = Vec::new();
    let mut replacements = Vec::new();
    for line in code.lines() {
        let Some((name, value)) = line.trim().split_once('=') else {
            continue;
        };
        let Some(name) = name.trim().strip_prefix('$') else {
            continue;
        };
        if !name.chars().all(is_ident) || name.is_empty() || assignments(code, name) != 1 {
            continue;
        }
        let value = value.trim().trim_end_matches(';');
        let Some(config) = loaded_config(value, &loaded, text_of) else {
            continue;
        };
        if let Yaml::Hash(hash) = &config {
            for (key, value) in hash {
                let (Some(key), Some(text)) = (scalar(key), scalar(value)) else {
                    continue;
                };
                for read in [format!("${name}['{key}']"), format!("${name}[\"{key}\"]")] {
                    for (at, _) in code.match_indices(&read) {
                        if !in_literal(&literals, at) {
                            replacements.push((at, at + read.len(), php_quoted(&text)));
                        }
                    }
                }
            }
            loaded.push((name.to_owned(), config));
        }
    }
    storage::replaced(code, replacements)
}

/// The mapping an assignment's `value` loads: a file `text_of` knows,
/// read by `json_decode(file_get_contents(P))` or `require P`, or a
/// mapping picked from one already `loaded` (`$all['production']`).
fn loaded_config(
    value: &str,
    loaded: &[(String, Yaml)],
    text_of: &dyn Fn(&str) -> Option<String>,
) -> Option<Yaml> {
    if let Some(argument) = value
        .strip_prefix("json_decode(file_get_contents(")
        .and_then(|r| r.split_once(')'))
        .map(|(a, _)| a)
    {
        let file = value_of(argument, &[])?;
        let text = text_of(&normalized(&file))?;
        return YamlLoader::load_from_str(&text)
            .ok()
            .and_then(|docs| docs.into_iter().next())
            .filter(|doc| matches!(doc, Yaml::Hash(_)));
    }
    if let Some(argument) = ["require_once ", "require ", "include_once ", "include "]
        .iter()
        .find_map(|r| value.strip_prefix(r))
    {
        let file = value_of(argument, &[])?;
        return php_array(&text_of(&normalized(&file))?);
    }
    // `$all['production'] ?? throw ...`: the mapping picked.
    let picked = value.split("??").next().unwrap_or(value).trim();
    let (source, key) = picked.strip_prefix('$')?.split_once('[')?;
    let (key, end) = quoted_at(key, 0)?;
    if picked.get(source.len() + 2 + end..) != Some("]") {
        return None;
    }
    let (_, mapping) = loaded.iter().find(|(n, _)| n == source)?;
    mapping
        .as_hash()?
        .get(&Yaml::String(key))
        .filter(|v| matches!(v, Yaml::Hash(_)))
        .cloned()
}

/// A PHP file that returns an array of string keys and plain values
/// (`<?php return ['prod' => ['host' => 'h']];`), as a mapping; `None`
/// for any other.
fn php_array(text: &str) -> Option<Yaml> {
    let body: String = text
        .lines()
        .map(|line| line.trim())
        .filter(|line| !line.starts_with("//") && !line.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let body = body.trim().strip_prefix("<?php")?.trim();
    let body = body.strip_prefix("return")?.trim().strip_suffix(';')?;
    if body.contains(['$', '(', '"', '\\']) {
        return None;
    }
    let mut flow = String::with_capacity(body.len());
    let mut quoted = false;
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                flow.push('"');
            }
            _ if quoted => flow.push(c),
            '[' => flow.push('{'),
            ']' => flow.push('}'),
            '=' if chars.peek() == Some(&'>') => {
                chars.next();
                flow.push(':');
            }
            _ => flow.push(c),
        }
    }
    // Trailing commas: `..., }`.
    let mut cleaned = String::with_capacity(flow.len());
    for (at, c) in flow.char_indices() {
        let trailing = c == ','
            && flow
                .get(at + 1..)
                .is_some_and(|r| r.trim_start().starts_with('}'));
        if !trailing {
            cleaned.push(c);
        }
    }
    YamlLoader::load_from_str(&cleaned)
        .ok()
        .and_then(|docs| docs.into_iter().next())
        .filter(|doc| matches!(doc, Yaml::Hash(_)))
}

/// An absolute path with its `.` and `..` steps taken (`/w/bin/../c`
/// is `/w/c`); other paths as they are.
fn normalized(path: &str) -> String {
    if !path.starts_with('/') {
        return path.to_owned();
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

fn scalar(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(text) | Yaml::Real(text) => Some(text.clone()),
        Yaml::Integer(number) => Some(number.to_string()),
        _ => None,
    }
}

/// How many statements assign `$name` (`=`, `.=`, `[] =`, by reference).
fn assignments(code: &str, name: &str) -> usize {
    let var = format!("${name}");
    code.match_indices(&var)
        .filter(|(at, _)| {
            let rest = code.get(at + var.len()..).unwrap_or_default();
            let whole = rest.chars().next().is_none_or(|c| !is_ident(c));
            let rest = rest.trim_start();
            let rest = rest.strip_prefix("[]").unwrap_or(rest).trim_start();
            let assigned =
                (rest.starts_with('=') && !rest.starts_with("==") && !rest.starts_with("=>"))
                    || [".=", "+=", "-=", "??="]
                        .iter()
                        .any(|op| rest.starts_with(op));
            let before = code.get(..*at).unwrap_or_default().trim_end();
            let by_reference = before.ends_with('&') || before.ends_with(" as");
            whole && (assigned || by_reference)
        })
        .count()
}

/// `code` with each variable assigned once at the top level a string
/// [`value_of`] knows written as that string where read.
fn folded(code: &str) -> Option<String> {
    let literals = literals(code);
    let depths = brace_depths(code, &literals);
    let mut known: Vec<(String, String)> = Vec::new();
    let mut replacements: Vec<(usize, usize, String)> = Vec::new();
    let mut offset = 0;
    for line in code.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim();
        let Some(statement) = trimmed.strip_suffix(';') else {
            continue;
        };
        let Some((target, expr)) = statement.split_once('=') else {
            continue;
        };
        let Some(name) = target.trim().strip_prefix('$') else {
            continue;
        };
        let indent = line.len() - line.trim_start().len();
        let at_top = depths.get(start + indent).is_some_and(|d| *d == 0);
        if !name.chars().all(is_ident)
            || name.is_empty()
            || expr.starts_with(['=', '>'])
            || !at_top
            || assignments(code, name) != 1
        {
            continue;
        }
        // A flag (`$dryRun = false;`): its reads become the flag.
        if matches!(expr.trim(), "true" | "false") {
            let var = format!("${name}");
            for (at, _) in code.match_indices(&var).filter(|(at, _)| *at > offset) {
                let next = code.get(at + var.len()..).and_then(|r| r.chars().next());
                if next.is_none_or(|c| !is_ident(c)) && !in_literal(&literals, at) {
                    replacements.push((at, at + var.len(), expr.trim().to_owned()));
                }
            }
            continue;
        }
        let Some(value) = value_of(expr, &known) else {
            continue;
        };
        let expr_at = start + line.find(expr.trim()).unwrap_or(0);
        let quoted = php_quoted(&value);
        if expr.trim() != quoted {
            replacements.push((expr_at, expr_at + expr.trim().len(), quoted.clone()));
        }
        // Its reads after the assignment.
        let var = format!("${name}");
        for (at, _) in code.match_indices(&var).filter(|(at, _)| *at > offset) {
            let next = code.get(at + var.len()..).and_then(|r| r.chars().next());
            let whole = next.is_none_or(|c| !is_ident(c) && c != '[');
            let rest = code.get(at + var.len()..).unwrap_or_default().trim_start();
            let written = rest.starts_with('=') && !rest.starts_with("==");
            if whole && !written && !in_literal(&literals, at) {
                replacements.push((at, at + var.len(), quoted.clone()));
            }
        }
        known.push((name.to_owned(), value));
    }
    // A read inside a value written out whole is already in it.
    let whole: Vec<(usize, usize)> = replacements
        .iter()
        .filter(|(at, end, _)| {
            end - at > 1
                && code
                    .get(*at..*end)
                    .is_some_and(|t| !t.starts_with('$') || t.contains(' '))
        })
        .map(|(at, end, _)| (*at, *end))
        .collect();
    replacements.retain(|(at, end, _)| {
        !whole
            .iter()
            .any(|(a, b)| (a, b) != (at, end) && a <= at && end <= b)
    });
    replacements.sort_by_key(|(at, _, _)| *at);
    replacements.dedup_by_key(|(at, _, _)| *at);
    storage::replaced(code, replacements)
}

/// The brace depth at each byte of `code` (literals skipped).
fn brace_depths(code: &str, literals: &[Literal]) -> Vec<usize> {
    let mut depths = Vec::with_capacity(code.len());
    let mut depth = 0usize;
    for (at, byte) in code.bytes().enumerate() {
        let quoted = in_literal(literals, at);
        if !quoted && byte == b'}' {
            depth = depth.saturating_sub(1);
        }
        depths.push(depth);
        if !quoted && byte == b'{' {
            depth += 1;
        }
    }
    depths
}

/// The string a PHP expression builds from literals and `known`
/// variables: `.` concatenation, `sprintf` with `%s`/`%d`,
/// `escapeshellarg`, `rtrim`, `basename`, parentheses; `None` for any
/// other.
fn value_of(expr: &str, known: &[(String, String)]) -> Option<String> {
    let terms = split_top(expr.trim(), ".")?;
    if terms.len() > 1 {
        let mut out = String::new();
        for term in terms {
            out.push_str(&value_of(term, known)?);
        }
        return Some(out);
    }
    let expr = expr.trim();
    if let Some((text, end)) = quoted_at(expr, 0) {
        return (end == expr.len()).then_some(text);
    }
    if let Some(name) = expr.strip_prefix('$') {
        return known
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone());
    }
    if let Some(inner) = expr.strip_prefix('(').and_then(|e| e.strip_suffix(')')) {
        return value_of(inner, known);
    }
    let (call, args) = expr.split_once('(')?;
    let args = split_top(args.strip_suffix(')')?, ",")?;
    let values: Option<Vec<String>> = args.iter().map(|a| value_of(a, known)).collect();
    let values = values?;
    match (call.trim(), values.as_slice()) {
        ("escapeshellarg", [text]) => Some(format!("'{}'", text.replace('\'', "'\\''"))),
        ("rtrim", [text]) => Some(text.trim_end().to_owned()),
        ("rtrim", [text, chars]) => Some(text.trim_end_matches(|c| chars.contains(c)).to_owned()),
        ("basename", [text]) => text.rsplit('/').next().map(str::to_owned),
        ("sprintf", [format, rest @ ..]) => sprintf(format, rest),
        _ => None,
    }
}

/// `sprintf` with `%s`, `%d` and `%%` only.
fn sprintf(format: &str, args: &[String]) -> Option<String> {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'd' => out.push_str(args.next()?),
            _ => return None,
        }
    }
    args.next().is_none().then_some(out)
}

/// `text` split at `sep` outside quotes and brackets, pieces trimmed;
/// `None` when a quote or bracket does not close.
fn split_top<'t>(text: &'t str, sep: &str) -> Option<Vec<&'t str>> {
    if top_level::ends_in_quote(text) || !top_level::balanced_with(text, top_level::quoted_end) {
        return None;
    }
    let pieces = top_level::split_with(text, sep, top_level::quoted_end);
    Some(pieces.into_iter().map(str::trim).collect())
}

/// A quoted string at `at` with no escapes (and, double-quoted, no
/// interpolation): its text and where it ends (just past its quote).
fn quoted_at(code: &str, at: usize) -> Option<(String, usize)> {
    let rest = code.get(at..)?;
    let quote = rest.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
    let inner = rest.get(1..)?;
    let end = inner.find(quote)?;
    let text = inner.get(..end)?;
    let plain = !text.contains('\\') && (quote == '\'' || !text.contains('$'));
    plain.then(|| (text.to_owned(), at + end + 2))
}

/// `text` as a single-quoted PHP literal.
fn php_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// `code` with the first `if` whose condition is certain cut down to the
/// branch that runs (the rest blanked), and everything after it blanked
/// when that branch is at the top level and ends in `exit` or `die`;
/// `None` when there is none.
fn pruned(code: &str) -> Option<String> {
    let literals = literals(code);
    let depths = brace_depths(code, &literals);
    for (at, _) in code.match_indices("if (") {
        let whole = code
            .get(..at)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| c.is_whitespace() || matches!(c, ';' | '{' | '}'));
        let elseif = code
            .get(..at)
            .is_some_and(|b| b.trim_end().ends_with("else"));
        if !whole || elseif || in_literal(&literals, at) {
            continue;
        }
        let open = at + "if ".len();
        let Some(close) = matching_bracket(code, &literals, open) else {
            continue;
        };
        let Some(truth) = code.get(open + 1..close).and_then(truth) else {
            continue;
        };
        let Some(body) = block_after(code, &literals, close + 1) else {
            continue;
        };
        let after_body = code.get(body.1 + 1..).unwrap_or_default();
        let else_at = body.1 + 1 + (after_body.len() - after_body.trim_start().len());
        let other = code
            .get(else_at..)
            .and_then(|r| r.strip_prefix("else"))
            .filter(|r| r.trim_start().starts_with('{'))
            .and_then(|_| block_after(code, &literals, else_at + "else".len()));
        if code.get(else_at..).is_some_and(|r| r.starts_with("elseif")) {
            continue;
        }
        let end = other.map_or(body.1, |o| o.1) + 1;
        let taken = if truth { Some(body) } else { other };
        let mut keep = match taken {
            Some((from, to)) => vec![(from + 1, to)],
            None => Vec::new(),
        };
        let top = depths.get(at).is_some_and(|d| *d == 0);
        let exits = taken.is_some_and(|(from, to)| {
            let last = code
                .get(from + 1..to)
                .unwrap_or_default()
                .trim()
                .trim_end_matches(';')
                .rsplit(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_owned();
            last.starts_with("exit") || last.starts_with("die")
        });
        let blank_to = if top && exits { code.len() } else { end };
        if keep.is_empty() && blank_to == end {
            keep.push((end, end));
        }
        let mut out = String::with_capacity(code.len());
        for (pos, c) in code.char_indices() {
            let dead =
                pos >= at && pos < blank_to && !keep.iter().any(|(a, b)| *a <= pos && pos < *b);
            out.push(if dead && c != '\n' { ' ' } else { c });
        }
        return Some(out);
    }
    None
}

/// The `{ ... }` block after `from`: where its braces are.
fn block_after(code: &str, literals: &[Literal], from: usize) -> Option<(usize, usize)> {
    let rest = code.get(from..)?;
    let open = from + rest.len() - rest.trim_start().len();
    if code.as_bytes().get(open) != Some(&b'{') {
        return None;
    }
    Some((open, matching_bracket(code, literals, open)?))
}

/// The truth of a condition made of `true`, `false`, `!`, parentheses
/// and `str_starts_with`/`str_ends_with`/`str_contains` of literals.
fn truth(condition: &str) -> Option<bool> {
    let condition = condition.trim();
    if let Some(rest) = condition.strip_prefix('!') {
        return truth(rest).map(|t| !t);
    }
    if let Some(inner) = condition
        .strip_prefix('(')
        .and_then(|c| c.strip_suffix(')'))
        .filter(|inner| split_top(inner, ",").is_some())
    {
        return truth(inner);
    }
    match condition {
        "true" => return Some(true),
        "false" | "null" => return Some(false),
        _ => {}
    }
    let (call, args) = condition.split_once('(')?;
    let args = split_top(args.strip_suffix(')')?, ",")?;
    let [haystack, needle] = args.as_slice() else {
        return None;
    };
    let (haystack, h_end) = quoted_at(haystack, 0)?;
    let (needle, n_end) = quoted_at(needle, 0)?;
    if h_end != args.first()?.len() || n_end != args.get(1)?.len() {
        return None;
    }
    match call.trim() {
        "str_starts_with" => Some(haystack.starts_with(&needle)),
        "str_ends_with" => Some(haystack.ends_with(&needle)),
        "str_contains" => Some(haystack.contains(&needle)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn getopt_options_take_their_values() {
        let code = "$opts = getopt('', ['month:', 'upload']);\n$m = $opts['month'] ?? 'x';\nif (!isset($opts['upload'])) {\n    exit(0);\n}\n";
        let out = with_options(code, &words(&["--month=2026-10"])).unwrap_or_default();
        assert!(out.contains("$m = '2026-10';"), "{out}");
        assert!(out.contains("if (!false)"), "{out}");
    }

    #[test]
    fn strings_are_built_and_branches_pruned() {
        let code = "$t = 'https://h/x';\nif (str_starts_with($t, 's3://')) {\n    $c = 'aws';\n} else {\n    $c = sprintf('curl %s', escapeshellarg($t));\n}\npassthru($c);\n";
        let folded = folded(code).unwrap_or_default();
        let pruned = pruned(&folded).unwrap_or_default();
        let again = super::folded(&pruned).unwrap_or_default();
        assert!(
            again.contains("passthru('curl \\'https://h/x\\'')"),
            "{again}"
        );
    }

    #[test]
    fn a_top_level_exit_blanks_the_rest() {
        let out = pruned("if (!false) {\n    exit(0);\n}\nsend();\n").unwrap_or_default();
        assert!(!out.contains("send"), "{out}");
    }
}
