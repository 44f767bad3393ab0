//! Branches of a Python script that its own command line rules out.
//!
//! A script's flags decide what it does: `if args.include_env:
//! files.append(".env")` attaches `.env` only when `--include-env` is
//! given, and typer's `apply: bool = typer.Option(False,
//! "--apply/--dry-run")` followed by `if not apply: ...; return` writes
//! nothing without `--apply`. The values the command line gives (see
//! [`bindings`]: argparse's `store_true`, `store_false`,
//! `BooleanOptionalAction` and string options with their `default=`,
//! click's and typer's options) decide conditions made of those names,
//! `not`, `and`, `or` and `==`/`!=` against a string literal. A branch
//! that cannot run is blanked out (its text replaced by spaces, so every
//! other offset stays), and so is the rest of the function after a branch
//! that surely runs and ends in `return` or `sys.exit(...)`.
//!
//! Only certain values prune: an argument whose text is not known, a flag
//! possibly given in a form not read (an abbreviation, combined short
//! flags) or a condition with any other part keeps both branches.
//!
//! Before that, a path's ancestors by index (`.parents[1]`) are spelled
//! as the path evaluator reads them ([`super::py_parents`]).

use super::{Invocation, Literal, literals, matching_bracket};

/// Code longer than this is not pruned.
const MAX_CODE: usize = 64 * 1024;
/// How many bindings are read.
const MAX_BINDINGS: usize = 64;
/// How deep conditions nest (`not (a and (b or c))`).
const MAX_DEPTH: usize = 8;

/// A value the command line gives a name.
#[derive(Clone, Debug, PartialEq)]
enum Bound {
    Flag(bool),
    Text(String),
}

/// A name the command line binds, and the code where it holds (a click or
/// typer parameter: its function).
struct Binding {
    name: String,
    value: Bound,
    scope: (usize, usize),
}

/// Whether a spelling of an option is on the command line.
#[derive(Clone, Copy, PartialEq)]
enum Presence {
    Absent,
    /// At this word.
    At(usize),
    /// Possibly, in a form not read (`--incl`, `-ve`).
    Unknown,
}

/// `code` with the branches its command line rules out blanked; `None`
/// when nothing is pruned. `original` is the code as given on the command
/// line (its arguments follow it).
pub(super) fn pruned(inv: &Invocation<'_>, original: &str, code: &str) -> Option<String> {
    if !inv.program.starts_with("python") || code.len() > MAX_CODE {
        return None;
    }
    let spelled = super::py_parents::spelled_out(code);
    let code = spelled.as_deref().unwrap_or(code);
    branches_pruned(inv, original, code).or(spelled)
}

/// [`pruned`]'s branches: `code` with those its arguments rule out
/// blanked; `None` when none is.
fn branches_pruned(inv: &Invocation<'_>, original: &str, code: &str) -> Option<String> {
    let at = inv
        .args
        .iter()
        .position(|a| a.text == original || a.text == "-")?;
    let rest = inv.args.get(at + 1..).unwrap_or_default();
    if rest.iter().any(|a| a.dynamic) {
        return None;
    }
    let words: Vec<String> = rest
        .iter()
        .map(|a| a.text.clone())
        .take_while(|w| w != "--")
        .collect();
    let literals = literals(code);
    let source = Source {
        code,
        literals: &literals,
    };
    let bindings = bindings(&source, &words);
    if bindings.is_empty() {
        return None;
    }
    prune(&source, &bindings)
}

/// The code read, with its string literals.
struct Source<'a> {
    code: &'a str,
    literals: &'a [Literal],
}

impl Source<'_> {
    fn literal_at(&self, pos: usize) -> Option<&Literal> {
        self.literals
            .binary_search_by_key(&pos, |l| l.start)
            .ok()
            .and_then(|i| self.literals.get(i))
    }

    /// True when `pos` is inside a string literal (after its quote).
    fn in_literal(&self, pos: usize) -> bool {
        self.literals.iter().any(|l| l.start < pos && pos < l.end)
    }

    /// The arguments of the call whose `(` is at `open`, as trimmed
    /// pieces split at top-level commas, and where it closes.
    fn arguments(&self, open: usize) -> Option<(Vec<&str>, usize)> {
        let close = matching_bracket(self.code, self.literals, open)?;
        let mut pieces = Vec::new();
        let mut level = 0usize;
        let mut piece = open + 1;
        let mut pos = open + 1;
        let bytes = self.code.as_bytes();
        while pos < close {
            if let Some(literal) = self.literal_at(pos) {
                pos = literal.end;
                continue;
            }
            match bytes.get(pos) {
                Some(b'(' | b'[' | b'{') => level += 1,
                Some(b')' | b']' | b'}') => level = level.saturating_sub(1),
                Some(b',') if level == 0 => {
                    pieces.push(self.code.get(piece..pos)?.trim());
                    piece = pos + 1;
                }
                _ => {}
            }
            pos += 1;
        }
        let last = self.code.get(piece..close)?.trim();
        if !last.is_empty() {
            pieces.push(last);
        }
        Some((pieces, close))
    }

    /// The text of a piece that is one string literal.
    fn literal_text(&self, piece: &str) -> Option<String> {
        let start = self.offset(piece)?;
        let literal = self.literal_at(start)?;
        (literal.end == start + piece.len()).then(|| literal.text.clone())
    }

    /// Where `piece` (a slice of the code) starts.
    fn offset(&self, piece: &str) -> Option<usize> {
        (piece.as_ptr() as usize).checked_sub(self.code.as_ptr() as usize)
    }
}

/// `KEY=VALUE` in a call's arguments: the value's text.
fn keyword<'p>(pieces: &[&'p str], key: &str) -> Option<&'p str> {
    pieces.iter().find_map(|piece| {
        let (k, v) = piece.split_once('=')?;
        (k.trim() == key && !v.starts_with('=')).then(|| v.trim())
    })
}

/// A Python constant's value: `True`, `False`, `None` (false).
fn constant(text: &str) -> Option<bool> {
    match text {
        "True" => Some(true),
        "False" | "None" => Some(false),
        _ => None,
    }
}

/// Where a spelling of an option is in `words`.
fn presence(spellings: &[String], words: &[String]) -> Presence {
    let mut found = Presence::Absent;
    for (index, word) in words.iter().enumerate() {
        for spelling in spellings {
            let long = spelling.starts_with("--");
            if word == spelling
                || (long && word.starts_with(&format!("{spelling}=")))
                || (!long && word.len() > 2 && word.starts_with(spelling.as_str()))
            {
                if word.len() > spelling.len() && !long && !word.starts_with("--") {
                    // `-ve` may be `-v -e` or `-v` given `e`.
                    found = Presence::Unknown;
                } else if found == Presence::Absent {
                    found = Presence::At(index);
                }
            } else if long
                && word.starts_with("--")
                && word.len() > 3
                && spelling.starts_with(word.split('=').next().unwrap_or_default())
            {
                // argparse accepts an unambiguous prefix.
                found = Presence::Unknown;
            } else if !long
                && !word.starts_with("--")
                && word.starts_with('-')
                && word.len() > 2
                && spelling
                    .get(1..)
                    .is_some_and(|c| word.get(1..).is_some_and(|w| w.contains(c)))
            {
                found = Presence::Unknown;
            }
        }
    }
    found
}

/// The value `words` give a string option at `index` (`--env prod`,
/// `--env=prod`, `-eprod`).
fn given_text(spellings: &[String], words: &[String], index: usize) -> Option<String> {
    let word = words.get(index)?;
    for spelling in spellings {
        if word == spelling {
            return words.get(index + 1).cloned();
        }
        if let Some(value) = word.strip_prefix(spelling.as_str()) {
            return Some(value.strip_prefix('=').unwrap_or(value).to_owned());
        }
    }
    None
}

/// One option: its spellings turning it on (or giving its value), those
/// turning it off, its default, and whether it is a flag.
struct OptionSpec {
    on: Vec<String>,
    off: Vec<String>,
    default: Option<Bound>,
    flag: bool,
}

/// The value the command line gives `option`; `None` when not certain.
fn value_of(option: &OptionSpec, words: &[String]) -> Option<Bound> {
    let on = presence(&option.on, words);
    let off = presence(&option.off, words);
    match (on, off) {
        (Presence::Unknown, _) | (_, Presence::Unknown) | (Presence::At(_), Presence::At(_)) => {
            None
        }
        (Presence::At(index), Presence::Absent) => {
            if option.flag {
                Some(Bound::Flag(true))
            } else {
                given_text(&option.on, words, index).map(Bound::Text)
            }
        }
        (Presence::Absent, Presence::At(_)) => Some(Bound::Flag(false)),
        (Presence::Absent, Presence::Absent) => option.default.clone(),
    }
}

/// A default written out: a constant for a flag, a string literal for
/// an option with a value.
fn default_of(source: &Source<'_>, text: Option<&str>, flag: bool) -> Option<Bound> {
    match (text, flag) {
        (None, true) => Some(Bound::Flag(false)),
        (Some(text), true) => constant(text).map(Bound::Flag),
        (Some(text), false) => source.literal_text(text).map(Bound::Text),
        (None, false) => None,
    }
}

/// Spellings written in an option's literal arguments, split into those
/// turning it on and off (`"--apply/--dry-run"`), and its parameter name
/// when one is written without dashes (click's `"name"`).
fn spellings(source: &Source<'_>, pieces: &[&str]) -> (Vec<String>, Vec<String>, Option<String>) {
    let (mut on, mut off, mut name) = (Vec::new(), Vec::new(), None);
    for piece in pieces {
        let Some(text) = source.literal_text(piece) else {
            continue;
        };
        if let Some((yes, no)) = text.split_once('/') {
            on.push(yes.trim().to_owned());
            off.push(no.trim().to_owned());
        } else if text.starts_with('-') {
            on.push(text);
        } else if name.is_none() && text.chars().all(|c| c.is_alphanumeric() || c == '_') {
            name = Some(text);
        }
    }
    (on, off, name)
}

/// The attribute or parameter name an option's spellings give it
/// (`--include-env`: `include_env`).
fn name_from(on: &[String]) -> Option<String> {
    on.iter()
        .find(|s| s.starts_with("--"))
        .or_else(|| on.first())
        .map(|s| s.trim_start_matches('-').replace('-', "_"))
        .filter(|n| !n.is_empty())
}

/// Everything the command line binds: argparse's, click's and typer's
/// options.
fn bindings(source: &Source<'_>, words: &[String]) -> Vec<Binding> {
    let mut out = argparse(source, words);
    out.extend(click(source, words));
    out.extend(typer(source, words));
    out.truncate(MAX_BINDINGS);
    out
}

/// argparse's options, as `HOLDER.DEST` for `HOLDER = p.parse_args()`.
fn argparse(source: &Source<'_>, words: &[String]) -> Vec<Binding> {
    let code = source.code;
    let holders: Vec<&str> = code
        .match_indices(".parse_args(")
        .filter_map(|(at, _)| {
            let line = code.get(..at)?.rsplit('\n').next()?;
            let (name, _) = line.split_once('=')?;
            let name = name.trim();
            name.chars()
                .all(|c| c.is_alphanumeric() || c == '_')
                .then_some(name)
        })
        .collect();
    // Several parsers, or subcommands, make the words' meaning unclear.
    let [holder] = holders.as_slice() else {
        return Vec::new();
    };
    if code.contains("add_subparsers(") || code.contains("parse_known_args(") {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (at, _) in code.match_indices(".add_argument(") {
        let open = at + ".add_argument".len();
        let Some((pieces, _)) = source.arguments(open) else {
            continue;
        };
        let (on, _, _) = spellings(source, &pieces);
        if !on.iter().all(|s| s.starts_with('-')) || on.is_empty() {
            continue;
        }
        let action = keyword(&pieces, "action");
        let action_text = action.and_then(|a| source.literal_text(a));
        let default = keyword(&pieces, "default");
        let option = match (action_text.as_deref(), action) {
            (Some("store_true"), _) => OptionSpec {
                on: on.clone(),
                off: Vec::new(),
                default: default_of(source, default, true),
                flag: true,
            },
            (Some("store_false"), _) => OptionSpec {
                on: Vec::new(),
                off: on.clone(),
                default: match default {
                    None => Some(Bound::Flag(true)),
                    Some(text) => constant(text).map(Bound::Flag),
                },
                flag: true,
            },
            (None, Some(a)) if a.ends_with("BooleanOptionalAction") => OptionSpec {
                off: on
                    .iter()
                    .filter_map(|s| s.strip_prefix("--").map(|s| format!("--no-{s}")))
                    .collect(),
                on: on.clone(),
                default: default_of(source, default, true),
                flag: true,
            },
            (None, None)
                if keyword(&pieces, "nargs").is_none()
                    && keyword(&pieces, "type").is_none_or(|t| t == "str") =>
            {
                OptionSpec {
                    on: on.clone(),
                    off: Vec::new(),
                    default: default_of(source, default, false),
                    flag: false,
                }
            }
            _ => continue,
        };
        let dest = keyword(&pieces, "dest")
            .and_then(|d| source.literal_text(d))
            .or_else(|| name_from(&on));
        if let (Some(dest), Some(value)) = (dest, value_of(&option, words)) {
            out.push(Binding {
                name: format!("{holder}.{dest}"),
                value,
                scope: (0, code.len()),
            });
        }
    }
    out
}

/// The function defined at or after `pos` (`def NAME(`): where its
/// parameters open and where its body ends.
fn function_after(source: &Source<'_>, pos: usize) -> Option<(usize, usize)> {
    let code = source.code;
    let def = pos + code.get(pos..)?.find("def ")?;
    let open = def + code.get(def..)?.find('(')?;
    let indent = indent_of(code, line_start(code, def));
    let end = block_end(source, def, indent);
    Some((open, end))
}

/// click's options of the one command a script defines, as the
/// parameters of its function.
fn click(source: &Source<'_>, words: &[String]) -> Vec<Binding> {
    let code = source.code;
    if !code.contains("click") || code.contains(".group(") {
        return Vec::new();
    }
    let commands = code.matches(".command(").count();
    if commands != 1 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (at, _) in code.match_indices("click.option(") {
        let open = at + "click.option".len();
        let Some((pieces, close)) = source.arguments(open) else {
            continue;
        };
        if ["flag_value", "count", "multiple", "type"]
            .iter()
            .any(|k| keyword(&pieces, k).is_some())
        {
            continue;
        }
        let (on, off, name) = spellings(source, &pieces);
        let flag = !off.is_empty() || keyword(&pieces, "is_flag") == Some("True");
        let option = OptionSpec {
            default: default_of(source, keyword(&pieces, "default"), flag),
            on: on.clone(),
            off,
            flag,
        };
        let (Some(name), Some((_, end))) = (
            name.or_else(|| name_from(&on)),
            function_after(source, close),
        ) else {
            continue;
        };
        if let Some(value) = value_of(&option, words) {
            out.push(Binding {
                name,
                value,
                scope: (close, end),
            });
        }
    }
    out
}

/// typer's options of the one command a script defines (`@app.command()`
/// or `typer.run(main)`), from its function's parameters: `apply: bool =
/// typer.Option(False, "--apply/--dry-run")`, `force: bool = False`,
/// `env: str = typer.Option("staging", "--env")`.
fn typer(source: &Source<'_>, words: &[String]) -> Vec<Binding> {
    let code = source.code;
    if !code.contains("typer") {
        return Vec::new();
    }
    let decorated: Vec<usize> = code
        .match_indices(".command(")
        .filter(|(at, _)| {
            code.get(..*at)
                .and_then(|b| b.rsplit('\n').next())
                .is_some_and(|l| l.trim_start().starts_with('@'))
        })
        .map(|(at, _)| at)
        .collect();
    let start = match decorated.as_slice() {
        [one] if !code.contains(".callback(") => *one,
        [] => match code.find("typer.run(") {
            Some(run) => {
                let name = code
                    .get(run + "typer.run(".len()..)
                    .and_then(|r| r.split(')').next())
                    .unwrap_or_default()
                    .trim();
                match code.find(&format!("def {name}(")) {
                    Some(def) if !name.is_empty() => def,
                    _ => return Vec::new(),
                }
            }
            None => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    let Some((open, end)) = function_after(source, start) else {
        return Vec::new();
    };
    let Some((params, close)) = source.arguments(open) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for param in params {
        let Some((name, rest)) = param.split_once(':') else {
            continue;
        };
        let name = name.trim();
        let (annotation, default) = match rest.split_once('=') {
            Some((a, d)) => (a.trim(), Some(d.trim())),
            None => (rest.trim(), None),
        };
        let Some(option) = typer_option(source, name, annotation, default) else {
            continue;
        };
        if let Some(value) = value_of(&option, words) {
            out.push(Binding {
                name: name.to_owned(),
                value,
                scope: (close, end),
            });
        }
    }
    out
}

/// The option a typer parameter `NAME: ANNOTATION = DEFAULT` declares.
fn typer_option(
    source: &Source<'_>,
    name: &str,
    annotation: &str,
    default: Option<&str>,
) -> Option<OptionSpec> {
    let flag = match annotation {
        "bool" => true,
        "str" => false,
        _ if annotation.starts_with("Annotated[bool") => true,
        _ if annotation.starts_with("Annotated[str") => false,
        _ => return None,
    };
    // The declaration: `typer.Option(...)` as the default or annotation.
    let declared = [Some(annotation), default]
        .into_iter()
        .flatten()
        .find_map(|text| {
            let at = text
                .find("typer.Option(")
                .or_else(|| text.find("Option("))?;
            let open = source.offset(text)? + at + text.get(at..)?.find('(')?;
            source.arguments(open)
        });
    if let Some(text) = [Some(annotation), default]
        .into_iter()
        .flatten()
        .find(|t| t.contains("typer.Argument(") || t.contains("Argument("))
        && !text.is_empty()
    {
        return None;
    }
    let dashed = format!("--{}", name.replace('_', "-"));
    let (mut on, mut off, written_default) = match &declared {
        Some((pieces, _)) => {
            let (on, off, _) = spellings(source, pieces);
            // `typer.Option(False, "--apply")`: the first argument is the
            // default unless it is a spelling (the `Annotated` form).
            let first = pieces.first().copied();
            let default = match first {
                Some(first)
                    if source
                        .literal_text(first)
                        .is_none_or(|t| !t.starts_with('-')) =>
                {
                    Some(first)
                }
                _ => default.filter(|d| !d.contains("Option(")),
            };
            (on, off, default)
        }
        None => (Vec::new(), Vec::new(), default),
    };
    if on.is_empty() {
        on.push(dashed.clone());
        if flag && off.is_empty() {
            off.push(format!("--no-{}", name.replace('_', "-")));
        }
    }
    if written_default.is_some_and(|d| d == "...") {
        return None;
    }
    let option_default = default_of(source, written_default, flag);
    if written_default.is_none() && !flag {
        return None;
    }
    on.dedup();
    off.dedup();
    Some(OptionSpec {
        on,
        off,
        default: option_default,
        flag,
    })
}

/// What a condition evaluates to, when certain.
#[derive(Clone, Debug, PartialEq)]
enum Known {
    Bool(bool),
    Text(String),
}

impl Known {
    fn truth(&self) -> bool {
        match self {
            Known::Bool(b) => *b,
            Known::Text(t) => !t.is_empty(),
        }
    }
}

/// The value of the condition `text` written at `pos`; `None` when not
/// certain.
fn condition(
    source: &Source<'_>,
    bindings: &[Binding],
    text: &str,
    pos: usize,
    depth: usize,
) -> Option<Known> {
    if depth > MAX_DEPTH {
        return None;
    }
    let text = text.trim();
    // `or` binds loosest, then `and`, then `not`.
    for operator in [" or ", " and "] {
        if let Some(parts) = split_top(source, text, operator) {
            let mut result = None;
            let is_or = operator == " or ";
            let mut unknown = false;
            for part in parts {
                match condition(source, bindings, part, pos, depth + 1).map(|k| k.truth()) {
                    Some(value) if value == is_or => return Some(Known::Bool(is_or)),
                    Some(value) => result = Some(value),
                    None => unknown = true,
                }
            }
            return if unknown {
                None
            } else {
                result.map(Known::Bool)
            };
        }
    }
    if let Some(inner) = text.strip_prefix("not ") {
        return condition(source, bindings, inner, pos, depth + 1).map(|k| Known::Bool(!k.truth()));
    }
    if let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')'))
        && source
            .offset(text)
            .and_then(|start| matching_bracket(source.code, source.literals, start))
            .is_some_and(|close| Some(close + 1) == source.offset(text).map(|s| s + text.len()))
    {
        return condition(source, bindings, inner, pos, depth + 1);
    }
    for (operator, equal) in [("==", true), ("!=", false)] {
        if let Some(parts) = split_top(source, text, operator)
            && let [left, right] = parts.as_slice()
        {
            let left = condition(source, bindings, left, pos, depth + 1)?;
            let right = condition(source, bindings, right, pos, depth + 1)?;
            return Some(Known::Bool((left == right) == equal));
        }
    }
    if let Some(literal) = source.literal_text(text) {
        return Some(Known::Text(literal));
    }
    if let Some(value) = constant(text) {
        return Some(Known::Bool(value));
    }
    let binding = bindings
        .iter()
        .rev()
        .find(|b| b.name == text && b.scope.0 <= pos && pos < b.scope.1)?;
    // A name assigned anew in the code may no longer hold the option.
    if reassigned(source.code, text) {
        return None;
    }
    Some(match &binding.value {
        Bound::Flag(b) => Known::Bool(*b),
        Bound::Text(t) => Known::Text(t.clone()),
    })
}

/// True when the code assigns `name` (`apply = True`, `args.x = ...`).
fn reassigned(code: &str, name: &str) -> bool {
    code.match_indices(name).any(|(at, _)| {
        let before = code.get(..at).and_then(|b| b.chars().next_back());
        let rest = code
            .get(at + name.len()..)
            .unwrap_or_default()
            .trim_start_matches([' ', '\t']);
        before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'))
            && ((rest.starts_with('=') && !rest.starts_with("=="))
                || ["+=", "-=", "|=", "&="].iter().any(|o| rest.starts_with(o)))
    })
}

/// `text` split at each top-level `operator` (outside literals and
/// brackets); `None` when it holds none.
fn split_top<'t>(source: &Source<'_>, text: &'t str, operator: &str) -> Option<Vec<&'t str>> {
    let start = source.offset(text)?;
    let mut parts = Vec::new();
    let mut level = 0usize;
    let mut piece = 0;
    let mut pos = 0;
    while pos < text.len() {
        if let Some(literal) = source.literal_at(start + pos) {
            pos = literal.end.saturating_sub(start);
            continue;
        }
        let rest = text.get(pos..)?;
        match rest.as_bytes().first() {
            Some(b'(' | b'[' | b'{') => level += 1,
            Some(b')' | b']' | b'}') => level = level.saturating_sub(1),
            _ if level == 0 && rest.starts_with(operator) => {
                parts.push(text.get(piece..pos)?);
                pos += operator.len();
                piece = pos;
                continue;
            }
            _ => {}
        }
        pos += rest.chars().next().map_or(1, char::len_utf8);
    }
    if parts.is_empty() {
        return None;
    }
    parts.push(text.get(piece..)?);
    Some(parts)
}

fn line_start(code: &str, pos: usize) -> usize {
    code.get(..pos)
        .and_then(|b| b.rfind('\n'))
        .map_or(0, |n| n + 1)
}

fn line_end(code: &str, pos: usize) -> usize {
    code.get(pos..)
        .and_then(|r| r.find('\n'))
        .map_or(code.len(), |n| pos + n)
}

fn indent_of(code: &str, start: usize) -> usize {
    code.get(start..)
        .map_or(0, |r| r.len() - r.trim_start_matches([' ', '\t']).len())
}

/// True when the line at `start` holds no statement: blank, a comment, or
/// the inside of a string literal or brackets that opened above.
fn not_a_statement(source: &Source<'_>, start: usize) -> bool {
    let code = source.code;
    let text = code
        .get(start..line_end(code, start))
        .unwrap_or_default()
        .trim();
    text.is_empty()
        || text.starts_with('#')
        || source.in_literal(start)
        || open_brackets(source, start)
}

/// True when brackets opened before `pos` are still open there.
fn open_brackets(source: &Source<'_>, pos: usize) -> bool {
    let bytes = source.code.as_bytes();
    let mut level = 0usize;
    let mut at = 0;
    while at < pos {
        if let Some(literal) = source.literal_at(at) {
            at = literal.end;
            continue;
        }
        match bytes.get(at) {
            Some(b'(' | b'[' | b'{') => level += 1,
            Some(b')' | b']' | b'}') => level = level.saturating_sub(1),
            Some(b'#') => at = line_end(source.code, at),
            _ => {}
        }
        at += 1;
    }
    level > 0
}

/// Where the block of the statement at `pos` (indented `indent`) ends:
/// at the start of the next statement indented no deeper.
fn block_end(source: &Source<'_>, pos: usize, indent: usize) -> usize {
    let code = source.code;
    let mut at = line_end(code, pos);
    while at < code.len() {
        let start = at + 1;
        if !not_a_statement(source, start) && indent_of(code, start) <= indent {
            return start;
        }
        at = line_end(code, start);
    }
    code.len()
}

/// The statements of a Python `if` chain: each header's condition (`None`
/// for `else`), where its body starts and where it ends.
struct Arm<'c> {
    condition: Option<&'c str>,
    body: (usize, usize),
}

/// The `if`/`elif`/`else` chain whose `if` line starts at `start`.
fn chain<'c>(source: &Source<'c>, start: usize) -> Option<Vec<Arm<'c>>> {
    let code: &'c str = source.code;
    let indent = indent_of(code, start);
    let mut arms = Vec::new();
    let mut at = start;
    loop {
        let header = code.get(at + indent..line_end(code, at))?;
        let (keyword, rest) = if let Some(rest) = header.strip_prefix("if ") {
            ("if", rest)
        } else if let Some(rest) = header.strip_prefix("elif ") {
            ("elif", rest)
        } else if header.starts_with("else:") {
            ("else", header.get(4..)?)
        } else {
            return (!arms.is_empty()).then_some(arms);
        };
        if (keyword == "if") != arms.is_empty() {
            return (!arms.is_empty()).then_some(arms);
        }
        let colon = header_colon(source, rest)?;
        let condition = (keyword != "else").then(|| rest.get(..colon)).flatten();
        let colon_at = source.offset(rest)? + colon;
        let after = code.get(colon_at + 1..line_end(code, colon_at))?.trim();
        let end = block_end(source, at, indent);
        let body_start = if after.is_empty() || after.starts_with('#') {
            line_end(code, colon_at)
        } else {
            colon_at + 1
        };
        arms.push(Arm {
            condition,
            body: (body_start, end.max(body_start)),
        });
        if end >= code.len() || indent_of(code, end) != indent {
            return Some(arms);
        }
        at = end;
    }
}

/// Where the `:` ending a header's condition is in `rest`; `None` when the
/// condition goes on past the line.
fn header_colon(source: &Source<'_>, rest: &str) -> Option<usize> {
    let start = source.offset(rest)?;
    let mut level = 0usize;
    let mut pos = 0;
    while pos < rest.len() {
        if let Some(literal) = source.literal_at(start + pos) {
            pos = literal.end.checked_sub(start)?;
            continue;
        }
        match rest.as_bytes().get(pos) {
            Some(b'(' | b'[' | b'{') => level += 1,
            Some(b')' | b']' | b'}') => level = level.saturating_sub(1),
            Some(b':') if level == 0 => return Some(pos),
            _ => {}
        }
        pos += 1;
    }
    None
}

/// True when the body's last statement leaves the function or script
/// (`return`, `sys.exit(...)`, `raise SystemExit`).
fn ends_in_exit(source: &Source<'_>, body: (usize, usize)) -> bool {
    let code = source.code;
    let Some(text) = code.get(body.0..body.1) else {
        return false;
    };
    let mut lines = text.lines().filter(|l| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    });
    let first_indent = lines.clone().next().map(|l| l.len() - l.trim_start().len());
    let Some(last) = lines.next_back() else {
        return false;
    };
    let statement = last.trim();
    first_indent == Some(last.len() - last.trim_start().len())
        && (statement == "return"
            || statement.starts_with("return ")
            || ["sys.exit(", "exit(", "quit(", "raise SystemExit"]
                .iter()
                .any(|e| statement.starts_with(e)))
}

/// Where the rest of the function holding `pos` ends (the script's end at
/// its top level); `None` inside a `try` (an exit there may be caught).
fn function_rest_end(source: &Source<'_>, pos: usize) -> Option<usize> {
    let code = source.code;
    let mut indent = indent_of(code, line_start(code, pos));
    let mut at = line_start(code, pos);
    while at > 0 && indent > 0 {
        at = line_start(code, at - 1);
        if not_a_statement(source, at) || indent_of(code, at) >= indent {
            continue;
        }
        indent = indent_of(code, at);
        let line = code
            .get(at + indent..line_end(code, at))
            .unwrap_or_default();
        if line.starts_with("try:") {
            return None;
        }
        if line.starts_with("def ") || line.starts_with("async def ") {
            return Some(block_end(source, at, indent));
        }
        if line.starts_with("class ") {
            return None;
        }
    }
    (indent == 0).then_some(code.len())
}

/// The code with the branches `bindings` rule out blanked.
fn prune(source: &Source<'_>, bindings: &[Binding]) -> Option<String> {
    let code = source.code;
    let mut dead: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    while at < code.len() {
        let start = at;
        at = line_end(code, at) + 1;
        if dead.iter().any(|(a, b)| *a <= start && start < *b) || not_a_statement(source, start) {
            continue;
        }
        let indent = indent_of(code, start);
        if !code
            .get(start + indent..)
            .is_some_and(|l| l.starts_with("if "))
        {
            continue;
        }
        let Some(arms) = chain(source, start) else {
            continue;
        };
        let mut taken = false;
        for arm in &arms {
            if taken {
                dead.push(arm.body);
                continue;
            }
            let value = match arm.condition {
                None => Some(true),
                Some(text) => condition(source, bindings, text, start, 0).map(|k| k.truth()),
            };
            match value {
                Some(false) => dead.push(arm.body),
                Some(true) => {
                    taken = true;
                    let chain_end = arms.last().map_or(arm.body.1, |a| a.body.1);
                    if ends_in_exit(source, arm.body)
                        && let Some(end) = function_rest_end(source, start)
                        && end > chain_end
                    {
                        dead.push((chain_end, end));
                    }
                }
                // Not certain: this arm and the ones after may run.
                None => break,
            }
        }
    }
    if dead.is_empty() {
        return None;
    }
    let mut out: Vec<u8> = code.as_bytes().to_vec();
    for (from, to) in dead {
        for byte in out.get_mut(from..to).unwrap_or_default() {
            if !matches!(*byte, b'\n' | b'\r') {
                *byte = b' ';
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source_bindings(code: &str, words: &[&str]) -> Vec<(String, Bound)> {
        let literals = literals(code);
        let source = Source {
            code,
            literals: &literals,
        };
        let words: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
        bindings(&source, &words)
            .into_iter()
            .map(|b| (b.name, b.value))
            .collect()
    }

    #[test]
    fn argparse_store_true_is_false_without_its_flag() {
        let code = "import argparse\nap = argparse.ArgumentParser()\nap.add_argument(\"--include-env\", action=\"store_true\")\nargs = ap.parse_args()\n";
        assert_eq!(
            source_bindings(code, &[]),
            vec![("args.include_env".to_owned(), Bound::Flag(false))]
        );
        assert_eq!(
            source_bindings(code, &["--include-env"]),
            vec![("args.include_env".to_owned(), Bound::Flag(true))]
        );
        // An abbreviation may be the flag.
        assert!(source_bindings(code, &["--incl"]).is_empty());
    }

    #[test]
    fn typer_flag_pair_takes_its_default() {
        let code = "import typer\napp = typer.Typer()\n@app.command()\ndef main(\n    batch: int = typer.Option(500),\n    apply: bool = typer.Option(False, \"--apply/--dry-run\"),\n) -> None:\n    pass\n";
        assert_eq!(
            source_bindings(code, &["--batch", "2"]),
            vec![("apply".to_owned(), Bound::Flag(false))]
        );
        assert_eq!(
            source_bindings(code, &["--apply"]),
            vec![("apply".to_owned(), Bound::Flag(true))]
        );
    }
}
