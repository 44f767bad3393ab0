//! A Ruby script's own command line, and the configuration files it
//! loads, written into its code; and the branches they rule out, blanked.
//!
//! - OptionParser options (`o.on('--apply') { opts[:apply] = true }`,
//!   `o.on('-c', '--config PATH') { |v| opts[:config] = v }`) with the
//!   defaults of the options hash (`opts = { config: 'c.yml' }`): each
//!   `opts[:key]` read after the parse becomes the value the command line
//!   gives it (`true`, `'config/full.yml'`, or the default, `nil` without
//!   one); `ARGV.include?('--apply')` becomes `true` or `false`.
//! - Configuration files an earlier step wrote (`cfg =
//!   YAML.safe_load_file('c.yml')`, `YAML.load_file`, `JSON.parse(
//!   File.read('c.json'))`): `cfg.fetch('dest')` and `cfg['dest']` become
//!   the values the file holds.
//! - Branches (`if`/`unless ... end`, statement modifiers) whose
//!   condition is then `true`, `false`, `nil` or a negation of one are
//!   blanked when they cannot run (their text replaced by spaces), and so
//!   is the rest of the script after a top-level branch that surely runs
//!   and ends in `exit`, `abort` or `return`.
//!
//! - Files the Mail gem's `add_file` attaches, as the reads they are
//!   ([`super::sdk_mail::ruby_attachments_read`]).
//!
//! Only certain values are written in: an argument whose text is not
//! known, an option possibly given in a form not read (an abbreviation,
//! combined short flags) or an option with `[no-]` keeps its reads.

use yaml_rust2::{Yaml, YamlLoader};

use super::storage::in_literal;
use super::{Invocation, Literal, literals, matching_bracket, storage};
use crate::commands::Arg;

/// Code longer than this is not read.
const MAX_CODE: usize = 64 * 1024;
/// How deep a loaded mapping nests.
const MAX_NESTING: usize = 4;

/// Calls that load a configuration file (their argument names it).
const FILE_LOADERS: &[&str] = &[
    "YAML.safe_load_file",
    "YAML.load_file",
    "YAML.unsafe_load_file",
    "Psych.safe_load_file",
    "Psych.load_file",
    "JSON.load_file",
];

/// Calls that parse a configuration's text (`JSON.parse(File.read(p))`).
const TEXT_LOADERS: &[&str] = &["YAML.safe_load", "YAML.load", "JSON.parse", "Psych.load"];

/// Keywords that open a block closed by `end` when they begin a line.
const OPENERS: &[&str] = &[
    "if", "unless", "while", "until", "case", "begin", "def", "class", "module", "for",
];

fn is_ruby(program: &str) -> bool {
    program == "ruby"
}

/// A character of a name (Ruby's and PHP's identifiers).
pub(super) fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The words of a command line, or `None` when one is not known.
pub(super) fn words_of(rest: &[Arg]) -> Option<Vec<String>> {
    if rest.iter().any(|a| a.dynamic) {
        return None;
    }
    Some(rest.iter().map(|a| a.text.clone()).collect())
}

/// A Ruby script's `code`, run with the arguments `rest`, with its
/// options' values and the configuration files whose text `text_of`
/// knows (by absolute path) written in; `None` when nothing is.
pub(crate) fn with_loaded_configs(
    inv: &Invocation<'_>,
    code: &str,
    rest: &[Arg],
    text_of: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    if !is_ruby(inv.program) || code.len() > MAX_CODE {
        return None;
    }
    let words = words_of(rest)?;
    // Whole-line comments, whose apostrophes are no quotes.
    let uncommented = super::comments::blanked(code, inv.program);
    let code = uncommented.as_deref().unwrap_or(code);
    let bound = with_options(code, &words).or_else(|| uncommented.clone());
    let current = bound.as_deref().unwrap_or(code);
    let loaded = with_configs(current, &|file| text_of(&inv.path(file)));
    let current = loaded.as_deref().unwrap_or(current);
    let chomped = folded_chomps(current);
    chomped.or(loaded).or(bound)
}

/// `code` (given on the command line as `original`) with its options'
/// values written in and the branches they rule out blanked, and the
/// files its Mail gem messages attach written as the reads they are
/// ([`super::sdk_mail::ruby_attachments_read`]); `None` when nothing
/// changes.
pub(super) fn bound(inv: &Invocation<'_>, original: &str, code: &str) -> Option<String> {
    if !is_ruby(inv.program) || code.len() > MAX_CODE {
        return None;
    }
    let options = options_bound(inv, original, code);
    let current = options.as_deref().unwrap_or(code);
    super::sdk_mail::ruby_attachments_read(current).or(options)
}

/// `code` with its options' values written in and the branches they rule
/// out blanked; `None` when nothing changes or the command line is not
/// known.
fn options_bound(inv: &Invocation<'_>, original: &str, code: &str) -> Option<String> {
    let at = inv
        .args
        .iter()
        .position(|a| a.text == original || a.text == "-")?;
    let words = words_of(inv.args.get(at + 1..).unwrap_or_default())?;
    let bound = with_options(code, &words);
    let current = bound.as_deref().unwrap_or(code);
    let pruned = pruned(current);
    let current = pruned.as_deref().unwrap_or(current);
    folded_arrays(current).or(pruned).or(bound)
}

/// An option OptionParser is told of.
struct Spec {
    /// Its spellings (`--config`, `-c`).
    spellings: Vec<String>,
    takes_value: bool,
    /// The options hash and key its block sets.
    target: String,
    key: String,
    /// What its block sets when given without a value (`true`).
    flag_value: String,
}

/// What the command line gives an option.
enum Given {
    Absent,
    Flag,
    Value(String),
    Unknown,
}

/// `code` with `opts[:key]` reads and `ARGV.include?(...)` written as the
/// values the command line `words` gives.
fn with_options(code: &str, words: &[String]) -> Option<String> {
    let literals = literals(code);
    let mut replacements: Vec<(usize, usize, String)> = Vec::new();
    for (at, _) in code.match_indices("ARGV.include?(") {
        let open = at + "ARGV.include?".len();
        let Some(literal) = literals.iter().find(|l| l.start == open + 1) else {
            continue;
        };
        let closes = code.get(literal.end..).is_some_and(|r| r.starts_with(')'));
        if closes && literal.text.starts_with('-') && !in_literal(&literals, at) {
            let given = words.contains(&literal.text);
            replacements.push((at, literal.end + 1, given.to_string()));
        }
    }
    let specs = option_specs(code, &literals);
    let parsed_at = code
        .rfind(".parse!")
        .or_else(|| code.rfind(".parse("))
        .filter(|_| !specs.is_empty());
    if let Some(parsed_at) = parsed_at {
        for (target, key, value) in option_values(code, &literals, &specs, words) {
            let read = format!("{target}[:{key}]");
            for (at, _) in code.match_indices(&read) {
                let end = at + read.len();
                let whole = code
                    .get(..at)
                    .and_then(|b| b.chars().next_back())
                    .is_none_or(|c| !is_ident(c) && c != '@' && c != '.');
                let after = code.get(end..).unwrap_or_default().trim_start();
                let assigned = after.starts_with('=') && !after.starts_with("==");
                if at < parsed_at || !whole || assigned || in_text(code, &literals, at) {
                    continue;
                }
                // `nil || x` is `x`.
                let mut end = end;
                if matches!(value.as_str(), "nil" | "false") {
                    if let Some(rest) = after.strip_prefix("||") {
                        let skipped = code.len() - rest.trim_start().len();
                        replacements.push((at, skipped, String::new()));
                        continue;
                    }
                } else if after.starts_with("||") {
                    // `'v' || x` is `'v'`: the alternative never runs.
                    end = code.len() - after.len();
                }
                replacements.push((at, end, value.clone()));
            }
        }
    }
    storage::replaced(code, replacements)
}

/// True when `pos` is inside a string literal's text, not in an
/// interpolation (`"s3://#{cfg.fetch('b')}"`) where code is written.
fn in_text(code: &str, literals: &[Literal], pos: usize) -> bool {
    literals.iter().any(|l| {
        let inside = l.start <= pos && pos < l.end;
        let head = code.get(l.start..pos).unwrap_or_default();
        let interpolated = head.starts_with('"')
            && head
                .rfind("#{")
                .is_some_and(|open| head.rfind('}').is_none_or(|close| close < open));
        inside && !interpolated
    })
}

/// The options `.on(...)` calls declare, with the hash key their block
/// sets.
fn option_specs(code: &str, literals: &[Literal]) -> Vec<Spec> {
    let mut specs = Vec::new();
    for (at, _) in code.match_indices(".on(") {
        let open = at + ".on".len();
        if in_literal(literals, at) {
            continue;
        }
        let Some(close) = matching_bracket(code, literals, open) else {
            continue;
        };
        let inside: Vec<&Literal> = literals
            .iter()
            .filter(|l| l.start > open && l.end <= close && l.text.starts_with('-'))
            .collect();
        if inside.iter().any(|l| l.text.contains('[')) {
            continue;
        }
        let mut spellings = Vec::new();
        let mut takes_value = false;
        for literal in inside {
            let text = literal.text.trim();
            let name: String = text
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '=')
                .collect();
            takes_value |= text.len() > name.len();
            spellings.push(name);
        }
        let Some((target, key, value)) = block_assignment(code, literals, close + 1) else {
            continue;
        };
        if spellings.is_empty() {
            continue;
        }
        specs.push(Spec {
            spellings,
            takes_value,
            target,
            key,
            flag_value: value,
        });
    }
    specs
}

/// The `NAME[:key] = VALUE` a block after `from` (`{ ... }` or `do ...
/// end`) makes.
fn block_assignment(
    code: &str,
    literals: &[Literal],
    from: usize,
) -> Option<(String, String, String)> {
    let rest = code.get(from..)?;
    let trimmed = rest.trim_start();
    let start = from + rest.len() - trimmed.len();
    let body = if trimmed.starts_with('{') {
        code.get(start..matching_bracket(code, literals, start)?)?
    } else if trimmed.starts_with("do") {
        let end = trimmed.find("end")?;
        trimmed.get(..end)?
    } else {
        return None;
    };
    let bracket = body.find("[:")?;
    let target: String = body
        .get(..bracket)?
        .chars()
        .rev()
        .take_while(|c| is_ident(*c))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after = body.get(bracket + 2..)?;
    let key: String = after.chars().take_while(|c| is_ident(*c)).collect();
    let value = after
        .get(key.len()..)?
        .strip_prefix(']')?
        .trim_start()
        .strip_prefix('=')?;
    if value.starts_with('=') || target.is_empty() || key.is_empty() {
        return None;
    }
    let value: String = value
        .trim_start()
        .chars()
        .take_while(|c| is_ident(*c))
        .collect();
    (!value.is_empty()).then_some((target, key, value))
}

/// Each option's target, key and the value (Ruby source) the command
/// line gives it; options not known for certain are left out.
fn option_values(
    code: &str,
    literals: &[Literal],
    specs: &[Spec],
    words: &[String],
) -> Vec<(String, String, String)> {
    let mut given: Vec<Given> = specs.iter().map(|_| Given::Absent).collect();
    let mut index = 0;
    while let Some(word) = words.get(index) {
        index += 1;
        // OptionParser reads no option after `--`.
        if word == "--" {
            break;
        }
        if !word.starts_with('-') || word == "-" {
            continue;
        }
        let name = word.split('=').next().unwrap_or(word);
        let exact = specs
            .iter()
            .position(|s| s.spellings.iter().any(|n| n == name));
        if let Some(at) = exact {
            let spec = &specs[at];
            let slot = &mut given[at];
            *slot = match (spec.takes_value, word.split_once('=')) {
                (true, Some((_, value))) => Given::Value(value.to_owned()),
                (true, None) => match words.get(index) {
                    Some(value) => {
                        index += 1;
                        Given::Value(value.clone())
                    }
                    None => Given::Unknown,
                },
                (false, None) => Given::Flag,
                (false, Some(_)) => Given::Unknown,
            };
            continue;
        }
        // `-cPATH`, or a form not read: an abbreviation (`--app`) or
        // combined short flags (`-na`).
        for (spec, slot) in specs.iter().zip(given.iter_mut()) {
            let short_with_value = spec.takes_value
                && spec
                    .spellings
                    .iter()
                    .any(|n| n.len() == 2 && !n.starts_with("--") && word.starts_with(n.as_str()));
            if short_with_value {
                *slot = Given::Value(word.get(2..).unwrap_or_default().to_owned());
                continue;
            }
            let abbreviated =
                word.starts_with("--") && spec.spellings.iter().any(|n| n.starts_with(name));
            let combined = !word.starts_with("--")
                && spec.spellings.iter().any(|n| {
                    n.len() == 2
                        && !n.starts_with("--")
                        && n.get(1..).is_some_and(|c| word.contains(c))
                });
            if abbreviated || combined {
                *slot = Given::Unknown;
            }
        }
    }
    let mut values = Vec::new();
    for (spec, given) in specs.iter().zip(given) {
        let value = match given {
            Given::Unknown => continue,
            Given::Flag => spec.flag_value.clone(),
            Given::Value(text) if !text.contains(['\'', '\\']) => format!("'{text}'"),
            Given::Value(_) => continue,
            Given::Absent => match default_of(code, literals, &spec.target, &spec.key) {
                Some(value) => value,
                None => continue,
            },
        };
        values
            .retain(|(t, k, _): &(String, String, String)| !(*t == spec.target && *k == spec.key));
        values.push((spec.target.clone(), spec.key.clone(), value));
    }
    values
}

/// The default the options hash `target = { key: VALUE, ... }` gives
/// `key`, as Ruby source (`nil` when it gives none); `None` when the hash
/// is not written out or the default is not a plain value.
fn default_of(code: &str, literals: &[Literal], target: &str, key: &str) -> Option<String> {
    let head = format!("{target} = {{");
    let at = code.match_indices(&head).find_map(|(at, _)| {
        let whole = code
            .get(..at)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| !is_ident(c));
        whole.then_some(at)
    })?;
    let open = at + head.len() - 1;
    let close = matching_bracket(code, literals, open)?;
    let body = code.get(open + 1..close)?;
    if body.contains(['{', '(', '[']) {
        return None;
    }
    for entry in body.split(',') {
        let Some((name, value)) = entry.split_once(':') else {
            continue;
        };
        if name.trim() != key {
            continue;
        }
        let value = value.trim();
        let plain = matches!(value, "true" | "false" | "nil")
            || (value.len() >= 2
                && value.starts_with('\'')
                && value.ends_with('\'')
                && !value[1..value.len() - 1].contains(['\'', '\\']))
            || (value.len() >= 2
                && value.starts_with('"')
                && value.ends_with('"')
                && !value[1..value.len() - 1].contains(['"', '\\', '#']));
        return plain.then(|| value.to_owned());
    }
    Some("nil".to_owned())
}

/// `code` with reads of configuration files `text_of` knows (by the path
/// the code names) written as the values the files hold.
fn with_configs(code: &str, text_of: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let literals = literals(code);
    let mut replacements = Vec::new();
    for line in code.lines() {
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        let name = name.trim();
        let value = value.trim();
        if name.is_empty() || !name.chars().all(is_ident) || value.starts_with(['=', '~']) {
            continue;
        }
        let Some(file) = loaded_file(value) else {
            continue;
        };
        let Some(config) = text_of(&file).and_then(|text| {
            YamlLoader::load_from_str(&text)
                .ok()
                .and_then(|docs| docs.into_iter().next())
        }) else {
            continue;
        };
        if !matches!(config, Yaml::Hash(_)) || assignments(code, name) != 1 {
            continue;
        }
        replacements.extend(config_reads(code, &literals, name, &config));
    }
    storage::replaced(code, replacements)
}

/// How many lines assign `name`.
fn assignments(code: &str, name: &str) -> usize {
    code.lines()
        .filter(|line| {
            line.trim_start()
                .strip_prefix(name)
                .map(str::trim_start)
                .and_then(|r| r.strip_prefix('='))
                .is_some_and(|r| !r.starts_with(['=', '~']))
        })
        .count()
}

/// The file a loader call (`YAML.load_file('c.yml')`,
/// `JSON.parse(File.read("c.json"))`) names by a literal.
fn loaded_file(value: &str) -> Option<String> {
    let argument = FILE_LOADERS
        .iter()
        .find_map(|l| value.strip_prefix(l)?.strip_prefix('('))
        .or_else(|| {
            TEXT_LOADERS
                .iter()
                .find_map(|l| value.strip_prefix(l)?.strip_prefix('('))
                .and_then(|r| r.strip_prefix("File.read("))
        })?;
    let quote = argument
        .chars()
        .next()
        .filter(|c| matches!(c, '\'' | '"'))?;
    let rest = argument.get(1..)?;
    let end = rest.find(quote)?;
    let file = rest.get(..end)?;
    let closed = rest.get(end + 1..)?.starts_with(')');
    (closed && !file.contains(['#', '\\']) && !file.is_empty()).then(|| file.to_owned())
}

/// Reads of the loaded mapping `name` (`cfg.fetch('k')`, `cfg['k']`):
/// their spans and the values written for them.
fn config_reads(
    code: &str,
    literals: &[Literal],
    name: &str,
    config: &Yaml,
) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices(name) {
        let whole = code
            .get(..at)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| !is_ident(c) && c != '.' && c != '@' && c != ':');
        let after = at + name.len();
        if !whole || in_text(code, literals, at) {
            continue;
        }
        let rest = code.get(after..).unwrap_or_default();
        let (open, closing) = if rest.starts_with(".fetch(") {
            (after + ".fetch".len(), b')')
        } else if rest.starts_with('[') {
            (after, b']')
        } else {
            continue;
        };
        let Some((key, key_end)) = quoted_key(code, open + 1) else {
            continue;
        };
        let alone = code.as_bytes().get(key_end) == Some(&closing);
        // `cfg.fetch('k', default)` of a key the file has: the value.
        let close = if alone {
            Some(key_end)
        } else if closing == b')' && !in_literal(literals, at) {
            matching_bracket(code, literals, open)
        } else {
            None
        };
        let Some(close) = close else {
            continue;
        };
        let Some(value) = config.as_hash().and_then(|h| h.get(&Yaml::String(key))) else {
            continue;
        };
        // `"s3://#{cfg.fetch('bucket')}/"`: the text, in the string.
        let interpolated = in_literal(literals, at)
            && code.get(..at).is_some_and(|b| b.ends_with("#{"))
            && code.as_bytes().get(close + 1) == Some(&b'}');
        let text = match value {
            Yaml::String(text) | Yaml::Real(text) => Some(text.clone()),
            Yaml::Integer(number) => Some(number.to_string()),
            _ => None,
        }
        .filter(|t| !t.contains(['"', '#', '\\']));
        match (interpolated, text) {
            (true, Some(text)) => out.push((at - 2, close + 2, text)),
            _ => {
                if let Some(ruby) = ruby_of(value, 0) {
                    out.push((at, close + 1, ruby));
                }
            }
        }
    }
    out
}

/// A plain quoted key at `at` (`'k'`, `"k"`): its text and where it
/// ends (just past its quote).
fn quoted_key(code: &str, at: usize) -> Option<(String, usize)> {
    quoted_at(code, at).filter(|(key, _)| key.chars().all(|c| is_ident(c) || c == '-' || c == '.'))
}

/// A quoted string without escapes or interpolation at `at`: its text and
/// where it ends (just past its quote).
fn quoted_at(code: &str, at: usize) -> Option<(String, usize)> {
    let rest = code.get(at..)?;
    let quote = rest.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
    let inner = rest.get(1..)?;
    let end = inner.find(quote)?;
    let text = inner.get(..end)?;
    (!text.contains(['\\', '#', '\n'])).then(|| (text.to_owned(), at + end + 2))
}

/// A YAML value as Ruby source: mappings as hashes, sequences as arrays,
/// scalars as single-quoted strings; `None` for a null or one nested too
/// deep.
fn ruby_of(value: &Yaml, depth: usize) -> Option<String> {
    if depth > MAX_NESTING {
        return None;
    }
    match value {
        Yaml::Hash(hash) => {
            let entries: Vec<String> = hash
                .iter()
                .filter_map(|(key, value)| {
                    Some(format!(
                        "{} => {}",
                        ruby_of(key, depth + 1)?,
                        ruby_of(value, depth + 1)?
                    ))
                })
                .collect();
            Some(format!("{{{}}}", entries.join(", ")))
        }
        Yaml::Array(items) => {
            let items: Vec<String> = items
                .iter()
                .filter_map(|item| ruby_of(item, depth + 1))
                .collect();
            Some(format!("[{}]", items.join(", ")))
        }
        Yaml::String(text) | Yaml::Real(text) => Some(single_quoted(text)),
        Yaml::Integer(number) => Some(number.to_string()),
        Yaml::Boolean(flag) => Some(flag.to_string()),
        _ => None,
    }
}

fn single_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// `code` with `name.chomp('x')` of a name assigned one plain literal
/// (`src = '.'`) written as its result.
fn folded_chomps(code: &str) -> Option<String> {
    let literals = literals(code);
    let mut replacements = Vec::new();
    for (at, _) in code.match_indices(".chomp(") {
        let head = code.get(..at).unwrap_or_default();
        let name: String = head
            .chars()
            .rev()
            .take_while(|c| is_ident(*c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let open = at + ".chomp".len();
        let Some((suffix, suffix_end)) = quoted_at(code, open + 1) else {
            continue;
        };
        if name.is_empty() || code.as_bytes().get(suffix_end) != Some(&b')') {
            continue;
        }
        let Some(value) = single_value(code, &name) else {
            continue;
        };
        let chomped = value.strip_suffix(suffix.as_str()).unwrap_or(&value);
        let start = at - name.len();
        // In an interpolation (`"#{src.chomp('/')}/"`): the text itself.
        let interpolated = in_literal(&literals, start)
            && code.get(..start).is_some_and(|b| b.ends_with("#{"))
            && code.as_bytes().get(suffix_end + 1) == Some(&b'}');
        if interpolated && !chomped.contains(['"', '#', '\\']) {
            replacements.push((start - 2, suffix_end + 2, chomped.to_owned()));
        } else if !in_literal(&literals, start) {
            replacements.push((start, suffix_end + 1, single_quoted(chomped)));
        }
    }
    storage::replaced(code, replacements)
}

/// The plain literal `name` is assigned, when it is assigned once.
fn single_value(code: &str, name: &str) -> Option<String> {
    if assignments(code, name) != 1 {
        return None;
    }
    let line = code.lines().find(|line| {
        line.trim_start()
            .strip_prefix(name)
            .is_some_and(|r| r.trim_start().starts_with('='))
    })?;
    let value = line.split_once('=')?.1.trim();
    let inner = value.strip_prefix('\'')?.strip_suffix('\'')?;
    (!inner.contains(['\'', '\\'])).then(|| inner.to_owned())
}

/// `code` with the literals pushed onto an array written out where it
/// was assigned (`args = ['-a']` then `args << '-n'` and
/// `['x', 'y'].each { |p| args.push('--exclude', p) }` on lines of their
/// own, as `args = ['-a', '-n', '--exclude', 'x', '--exclude', 'y']`),
/// those lines blanked; `None` when there is none.
fn folded_arrays(code: &str) -> Option<String> {
    let mut replacements: Vec<(usize, usize, String)> = Vec::new();
    let mut offset = 0;
    let lines: Vec<(usize, &str)> = code
        .split_inclusive('\n')
        .map(|line| {
            let start = offset;
            offset += line.len();
            (start, line)
        })
        .collect();
    for (index, (start, line)) in lines.iter().enumerate() {
        let trimmed = line.trim();
        let indent = line.len() - line.trim_start().len();
        let Some((name, value)) = trimmed.split_once(" = ") else {
            continue;
        };
        if !name.chars().all(is_ident) || name.is_empty() || assignments(code, name) != 1 {
            continue;
        }
        let Some(mut items) = list_items(value) else {
            continue;
        };
        let mut folded = Vec::new();
        for (at, next) in lines.iter().skip(index + 1) {
            let next_indent = next.len() - next.trim_start().len();
            let statement = next.trim();
            if next_indent != indent || statement.is_empty() {
                continue;
            }
            match pushed(statement, name) {
                Some(Pushed::Items(more)) => {
                    items.extend(more);
                    folded.push((*at, at + next.trim_end_matches('\n').len()));
                }
                Some(Pushed::Unknown) => break,
                None => {}
            }
        }
        if folded.is_empty() {
            continue;
        }
        let written: Vec<String> = items.iter().map(|i| single_quoted(i)).collect();
        let value_at = start + line.find(value)?;
        replacements.push((
            value_at,
            value_at + value.len(),
            format!("[{}]", written.join(", ")),
        ));
        for (from, to) in folded {
            replacements.push((from, to, " ".repeat(to - from)));
        }
    }
    storage::replaced(code, replacements)
}

/// The items of a one-line array of plain literals (`['a', "b"]`,
/// `Array(['a'])`).
fn list_items(value: &str) -> Option<Vec<String>> {
    let value = value.trim();
    let value = value
        .strip_prefix("Array(")
        .and_then(|v| v.strip_suffix(')'))
        .unwrap_or(value);
    let inner = value.strip_prefix('[')?.strip_suffix(']')?;
    arguments(inner)
}

/// Comma-separated plain literals, as their texts.
fn arguments(text: &str) -> Option<Vec<String>> {
    let mut items = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let (item, end) = quoted_at(rest, 0)?;
        items.push(item);
        rest = rest.get(end..)?.trim_start();
        rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
    }
    Some(items)
}

/// What a statement pushes onto the array `name`.
enum Pushed {
    Items(Vec<String>),
    /// It changes the array in a way not read.
    Unknown,
}

/// The literals `statement` pushes onto `name` (`name << 'x'`,
/// `name.push('a', 'b')`, `[...].each { |v| name.push('--x', v) }`);
/// `None` when it does not touch `name`.
fn pushed(statement: &str, name: &str) -> Option<Pushed> {
    let mentions = statement
        .split(|c: char| !is_ident(c))
        .any(|word| word == name);
    if !mentions {
        return None;
    }
    let known = |items: Option<Vec<String>>| Some(items.map_or(Pushed::Unknown, Pushed::Items));
    if let Some(rest) = statement.strip_prefix(name) {
        if let Some(item) = rest.trim_start().strip_prefix("<<") {
            return known(arguments(item).filter(|items| items.len() == 1));
        }
        if let Some(args) = rest
            .strip_prefix(".push(")
            .and_then(|r| r.strip_suffix(')'))
        {
            return known(arguments(args));
        }
    }
    // `[...].each { |v| name.push('--x', v) }`.
    let (list, block) = statement.split_once(".each")?;
    let block = block.trim().strip_prefix('{')?.strip_suffix('}')?.trim();
    let (var, body) = block.strip_prefix('|')?.split_once('|')?;
    let args = body
        .trim()
        .strip_prefix(name)
        .and_then(|r| r.strip_prefix(".push("))
        .and_then(|r| r.strip_suffix(')'));
    let (Some(list), Some(args)) = (list_items(list), args) else {
        return Some(Pushed::Unknown);
    };
    let mut items = Vec::new();
    for each in list {
        for arg in args.split(',').map(str::trim) {
            if arg == var.trim() {
                items.push(each.clone());
            } else {
                let Some((text, end)) = quoted_at(arg, 0).filter(|(_, end)| *end == arg.len())
                else {
                    return Some(Pushed::Unknown);
                };
                let _ = end;
                items.push(text);
            }
        }
    }
    Some(Pushed::Items(items))
}

/// `code` with the branches whose conditions are certain and cannot run
/// blanked; `None` when nothing is.
fn pruned(code: &str) -> Option<String> {
    if ["<<~", "<<-", "=begin", "<<'", "<<\""]
        .iter()
        .any(|m| code.contains(m))
    {
        return None;
    }
    let lines: Vec<(usize, &str)> = code
        .split_inclusive('\n')
        .scan(0, |at, line| {
            let start = *at;
            *at += line.len();
            Some((start, line))
        })
        .collect();
    let depths = depths(&lines)?;
    let mut dead: Vec<(usize, usize)> = Vec::new();
    let blank_lines = |dead: &mut Vec<(usize, usize)>, from: usize, to: usize| {
        if let (Some(a), Some(b), true) =
            (lines.get(from), lines.get(to.saturating_sub(1)), from < to)
        {
            dead.push((a.0, b.0 + b.1.len()));
        }
    };
    let mut index = 0;
    while let Some((start, line)) = lines.get(index) {
        let current = index;
        index += 1;
        if dead.iter().any(|(a, b)| a <= start && start < b) {
            continue;
        }
        let trimmed = line.trim();
        let depth = depths.get(current).copied().unwrap_or(1);
        let (keyword, condition) = match trimmed.split_once(char::is_whitespace) {
            Some((k @ ("if" | "unless"), c)) => (k, c),
            _ => {
                if let Some((statement, runs)) = modifier(trimmed) {
                    if !runs {
                        blank_lines(&mut dead, current, current + 1);
                    } else if depth == 0 && exits(statement, true) {
                        blank_lines(&mut dead, current + 1, lines.len());
                    }
                }
                continue;
            }
        };
        let condition = condition.trim().trim_end_matches("then").trim();
        let Some(truth) = truth(condition) else {
            continue;
        };
        let runs = truth == (keyword == "if");
        let Some((arms, end)) = arms(&lines, &depths, current) else {
            continue;
        };
        let has_elsif = arms.iter().any(|a| {
            lines
                .get(*a)
                .is_some_and(|(_, l)| l.trim_start().starts_with("elsif"))
        });
        let first_arm_end = arms.first().copied().unwrap_or(end);
        if runs {
            blank_lines(&mut dead, first_arm_end, end);
            let last = (current + 1..first_arm_end)
                .rev()
                .filter_map(|i| lines.get(i))
                .map(|(_, l)| l.trim())
                .find(|l| !l.is_empty() && !l.starts_with('#'));
            if depth == 0 && last.is_some_and(|l| exits(l, true)) {
                blank_lines(&mut dead, end + 1, lines.len());
            }
        } else if !has_elsif {
            blank_lines(&mut dead, current + 1, first_arm_end);
        }
    }
    if dead.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(code.len());
    for (at, c) in code.char_indices() {
        let blank = dead.iter().any(|(a, b)| *a <= at && at < *b);
        out.push(if blank && c != '\n' { ' ' } else { c });
    }
    Some(out)
}

/// The first word of a line, without a trailing comment's.
fn first_word(line: &str) -> &str {
    let trimmed = line.trim_start();
    let end = trimmed
        .find(|c: char| !is_ident(c) && c != '?' && c != '!')
        .unwrap_or(trimmed.len());
    trimmed.get(..end).unwrap_or_default()
}

/// True when the line opens a block closed by `end`.
fn opens(line: &str) -> bool {
    let code = line.split(" #").next().unwrap_or(line).trim_end();
    let word = first_word(code);
    let keyword = OPENERS.contains(&word) && modifier(code.trim()).is_none();
    let block = code.ends_with(" do")
        || code.ends_with("\tdo")
        || code == "do"
        || (code.ends_with('|') && code.contains(" do |"));
    let assigned = ["= if ", "= unless ", "= case ", "= begin", "= while "]
        .iter()
        .any(|m| code.contains(m));
    keyword || block || assigned
}

/// Each line's nesting depth (blocks open before it); `None` when the
/// blocks do not balance or a line opens and closes one.
fn depths(lines: &[(usize, &str)]) -> Option<Vec<usize>> {
    let mut depth = 0usize;
    let mut out = Vec::with_capacity(lines.len());
    for (_, line) in lines {
        let code = line.split(" #").next().unwrap_or(line);
        let closes = first_word(code) == "end";
        let ends_too = code
            .split(|c: char| !is_ident(c))
            .skip(1)
            .any(|w| w == "end");
        if closes {
            depth = depth.checked_sub(1)?;
        }
        out.push(depth);
        if opens(code) {
            if ends_too {
                return None;
            }
            depth += 1;
        }
    }
    (depth == 0).then_some(out)
}

/// The `elsif`/`else` lines of the block opened at `at`, and its `end`.
fn arms(lines: &[(usize, &str)], depths: &[usize], at: usize) -> Option<(Vec<usize>, usize)> {
    let depth = *depths.get(at)?;
    let mut arms = Vec::new();
    for index in at + 1..lines.len() {
        if *depths.get(index)? != depth + 1 && *depths.get(index)? != depth {
            continue;
        }
        let word = first_word(lines.get(index)?.1);
        if *depths.get(index)? == depth && word == "end" {
            return Some((arms, index));
        }
        if *depths.get(index)? == depth + 1 && matches!(word, "elsif" | "else") {
            arms.push(index);
        }
    }
    None
}

/// A statement with an `if`/`unless` modifier (`x << 'y' if opts[:n]`):
/// the statement, and whether it runs; `None` when it is no such line or
/// the condition is not certain.
fn modifier(line: &str) -> Option<(&str, bool)> {
    let literals = literals(line);
    for keyword in [" if ", " unless "] {
        let Some(at) = line
            .match_indices(keyword)
            .map(|(at, _)| at)
            .filter(|at| !in_literal(&literals, *at))
            .last()
        else {
            continue;
        };
        let statement = line.get(..at)?.trim();
        if statement.is_empty() || OPENERS.contains(&first_word(statement)) {
            return None;
        }
        let truth = truth(line.get(at + keyword.len()..)?.trim())?;
        return Some((statement, truth == (keyword == " if ")));
    }
    None
}

/// The truth of a condition made of `true`, `false`, `nil`, string
/// literals, `!` and `not`; `None` for any other.
fn truth(condition: &str) -> Option<bool> {
    let condition = condition.trim();
    if let Some(inner) = condition
        .strip_prefix('(')
        .and_then(|c| c.strip_suffix(')'))
    {
        return truth(inner);
    }
    if let Some(rest) = condition.strip_prefix('!') {
        return truth(rest).map(|t| !t);
    }
    if let Some(rest) = condition.strip_prefix("not ") {
        return truth(rest).map(|t| !t);
    }
    match condition {
        "true" => Some(true),
        "false" | "nil" => Some(false),
        _ if condition.len() >= 2
            && condition.starts_with('\'')
            && condition.ends_with('\'')
            && !condition[1..condition.len() - 1].contains('\'') =>
        {
            Some(true)
        }
        _ => None,
    }
}

/// True when the statement ends the script (`exit`, `exit 0`, `abort
/// "..."`, and at the top level `return`).
fn exits(statement: &str, top: bool) -> bool {
    matches!(first_word(statement), "exit" | "exit!" | "abort")
        || (top && first_word(statement) == "return")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| (*w).to_owned()).collect()
    }

    const SCRIPT: &str = "opts = { config: 'c.yml', apply: false }\n\
        OptionParser.new do |o|\n  o.on('-c', '--config PATH') { |v| opts[:config] = v }\n  \
        o.on('--apply') { opts[:apply] = true }\nend.parse!\n\
        cfg = YAML.load_file(opts[:config])\nunless opts[:apply]\n  puts 'dry'\n  exit 0\nend\n\
        post(cfg.fetch('url'))\n";

    #[test]
    fn options_take_the_command_line_values() {
        let bound =
            with_options(SCRIPT, &words(&["-c", "full.yml", "--apply"])).unwrap_or_default();
        assert!(bound.contains("YAML.load_file('full.yml')"), "{bound}");
        assert!(bound.contains("unless true"), "{bound}");
        let default = with_options(SCRIPT, &words(&[])).unwrap_or_default();
        assert!(default.contains("YAML.load_file('c.yml')"), "{default}");
        assert!(default.contains("unless false"), "{default}");
    }

    #[test]
    fn abbreviations_keep_the_read() {
        let bound = with_options(SCRIPT, &words(&["--app"])).unwrap_or_default();
        assert!(bound.contains("unless opts[:apply]"), "{bound}");
    }

    #[test]
    fn configs_are_written_in() {
        let code =
            "cfg = JSON.parse(File.read('c.json'))\nx = cfg.fetch('bucket')\ny = cfg['list']\n";
        let out = with_configs(code, &|_| {
            Some("{\"bucket\": \"b\", \"list\": [\"a\"]}".to_owned())
        })
        .unwrap_or_default();
        assert!(
            out.contains("x = 'b'") && out.contains("y = ['a']"),
            "{out}"
        );
    }

    #[test]
    fn a_dry_run_that_exits_blanks_the_rest() {
        let code = "unless false\n  puts 'dry'\n  exit 0\nend\npost('x')\n";
        let out = pruned(code).unwrap_or_default();
        assert!(!out.contains("post"), "{out}");
        let code = "unless true\n  puts 'dry'\n  exit 0\nend\npost('x')\n";
        let out = pruned(code).unwrap_or_default();
        assert!(out.contains("post") && !out.contains("dry"), "{out}");
    }
}
