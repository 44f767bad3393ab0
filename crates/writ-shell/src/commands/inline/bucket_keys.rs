//! The keys an object storage SDK's delete is given, when they are not
//! written out as plain literals ([`super::buckets`] reads the calls):
//! - a template (`f'releases/{n}.js.map'`, JavaScript's
//!   `` `releases/${n}.js.map` ``) or any other expression (`Key=k`) is
//!   one object each, named by the template's text or by `{expression}`,
//!   as `aws s3 rm "s3://B/$KEY"` names its object;
//! - a name that is the variable of a loop over a list written out
//!   (`[{'Key': k} for k in keys]` after `keys = ['a', 'b']`, `for (const
//!   k of ['a', 'b'])`, `['a', 'b'].map(k => ...)`) is each of its items;
//! - names bound to a literal stand for it: JavaScript's shorthand
//!   property (`{ Bucket }` after `const Bucket = 'b'`).
//!
//! Whether a computed key is one of a listing's (a loop over the whole
//! bucket) is [`super::buckets`]' to say: it knows the listings.

use std::ops::Range;

use super::Literal;
use super::buckets::{binding, expression_end, opening};
use super::storage::{Args, is_ident, literal_at, matching, token_ends, token_starts};

/// How many names a list is followed through (`keys = names`).
const MAX_DEPTH: usize = 3;
/// The longest expression written into a key as `{expression}`.
const MAX_EXPRESSION: usize = 120;

/// The key an argument gives.
pub(super) struct KeyArg {
    /// The key: a literal's text, a template's (`releases/{n}.js.map`), or
    /// `{expression}` for a computed one.
    pub(super) text: String,
    /// Not written out whole: computed, or a template that fills values in.
    pub(super) computed: bool,
    /// The literal that writes it.
    pub(super) literal: Option<usize>,
}

/// The key the expression at `range` gives; `None` when it is blank.
pub(super) fn key_arg(code: &str, literals: &[Literal], range: Range<usize>) -> Option<KeyArg> {
    let written = code.get(range.clone())?.trim();
    if written.is_empty() {
        return None;
    }
    let start = range.start + code.get(range.clone())?.find(written)?;
    let end = start + written.len();
    // A string's prefix (Python's `f`, `r`, `b`, `u`, `rf`): a literal
    // starts just after it.
    let prefix_len = written
        .find(['\'', '"', '`'])
        .filter(|&n| n <= 2 && written.get(..n).is_some_and(is_string_prefix));
    if let Some(n) = prefix_len
        && let Some((index, literal)) = literal_at(literals, start + n)
        && literal.end == end
    {
        let prefix = written.get(..n).unwrap_or_default();
        let template = (literal.backtick && literal.text.contains("${"))
            || (prefix.contains(['f', 'F']) && literal.text.contains('{'));
        return Some(KeyArg {
            text: literal.text.clone(),
            computed: template,
            literal: Some(index),
        });
    }
    let expression: String = written
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(MAX_EXPRESSION)
        .collect();
    Some(KeyArg {
        text: format!("{{{expression}}}"),
        computed: true,
        literal: None,
    })
}

/// True for the letters that may start a Python string (`f`, `rb`, ...).
fn is_string_prefix(prefix: &str) -> bool {
    prefix.chars().all(|c| "fFrRbBuU".contains(c))
}

/// Where the values of the `Key`/`key` entries between `start` and `end`
/// are (`{'Key': k}`, `{ Key: o.Key }`, `dict(Key=k)`).
pub(super) fn key_values(
    code: &str,
    literals: &[Literal],
    span: Range<usize>,
) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    for name in ["Key", "key"] {
        let Some(text) = code.get(span.clone()) else {
            return found;
        };
        for (offset, _) in text.match_indices(name) {
            let at = span.start + offset;
            let after = match literals.iter().find(|l| l.start < at && at < l.end) {
                // A quoted key: the whole literal.
                Some(l) if l.start + 1 == at && l.text == name && !l.backtick => l.end,
                Some(_) => continue,
                None if token_starts(code, at) && token_ends(code, at + name.len()) => {
                    at + name.len()
                }
                None => continue,
            };
            let rest = code.get(after..).unwrap_or_default();
            let trimmed = rest.trim_start();
            // `:` or `=`, not `::`, `==` or `=>`.
            let assigns = match trimmed.as_bytes() {
                [b':', next, ..] => *next != b':',
                [b'=', next, ..] => !matches!(next, b'=' | b'>'),
                _ => false,
            };
            if !assigns {
                continue;
            }
            let value = after + (rest.len() - trimmed.len()) + 1;
            let tail = code.get(value..).unwrap_or_default();
            let value = value + (tail.len() - tail.trim_start().len());
            let value_end = expression_end(code, literals, value, b",");
            if value < value_end && value_end <= span.end {
                found.push(value..value_end);
            }
        }
    }
    found.sort_by_key(|r| r.start);
    found
}

/// The literal the name `name` is bound to before `before` (`const
/// Bucket = 'b'`), with its index.
pub(super) fn bound_literal(
    code: &str,
    literals: &[Literal],
    name: &str,
    before: usize,
) -> Option<(String, usize)> {
    let value = binding(code, literals, name, before)?;
    let (index, literal) = literal_at(literals, value.start)?;
    (literal.end == value.end && !literal.backtick).then(|| (literal.text.clone(), index))
}

/// The value of a shorthand property among a call's arguments (`{ Bucket
/// }`, one of `names` bound to a literal before it).
pub(super) fn shorthand(
    code: &str,
    literals: &[Literal],
    args: &Args<'_>,
    names: &[&str],
) -> Option<(String, usize)> {
    args.items
        .iter()
        .filter(|item| item.key.is_none())
        .find_map(|item| {
            let name = code.get(item.start..item.end)?;
            names
                .contains(&name)
                .then(|| bound_literal(code, literals, name, item.start))?
        })
}

/// The items of the list the expression at `range` gives, each with its
/// literal's index, when every one is a literal: a list or tuple written
/// out, or a name bound to one.
fn list_items(
    code: &str,
    literals: &[Literal],
    range: Range<usize>,
    depth: usize,
) -> Option<Vec<(String, usize)>> {
    let text = code.get(range.clone())?.trim();
    let start = range.start + code.get(range.clone())?.find(text)?;
    let end = start + text.len();
    if text.chars().all(is_ident) && !text.is_empty() {
        if depth >= MAX_DEPTH {
            return None;
        }
        let value = binding(code, literals, text, start)?;
        return list_items(code, literals, value, depth + 1);
    }
    if !text.starts_with(['[', '(']) || matching(code, literals, start) != Some(end - 1) {
        return None;
    }
    let mut items = Vec::new();
    let mut pos = start + 1;
    while pos < end - 1 {
        let Some(&byte) = code.as_bytes().get(pos) else {
            break;
        };
        if byte == b',' || byte.is_ascii_whitespace() {
            pos += 1;
            continue;
        }
        let (index, literal) = literal_at(literals, pos)?;
        if literal.backtick {
            return None;
        }
        items.push((literal.text.clone(), index));
        pos = literal.end;
    }
    (!items.is_empty()).then_some(items)
}

/// Where the source of the loop whose variable is `name` is, nearest to
/// `near`: `for name in SOURCE`, `for (const name of SOURCE)`,
/// `SOURCE.map(name => ...)`.
fn loop_source(code: &str, literals: &[Literal], name: &str, near: usize) -> Option<Range<usize>> {
    let mut sources = Vec::new();
    for (at, _) in code.match_indices("for") {
        if !token_starts(code, at)
            || !token_ends(code, at + 3)
            || literals.iter().any(|l| l.start <= at && at < l.end)
        {
            continue;
        }
        let mut rest = code.get(at + 3..).unwrap_or_default().trim_start();
        rest = rest.strip_prefix('(').unwrap_or(rest).trim_start();
        for declaration in ["const ", "let ", "var "] {
            rest = rest.strip_prefix(declaration).unwrap_or(rest).trim_start();
        }
        let Some(after) = rest.strip_prefix(name) else {
            continue;
        };
        if after.starts_with(is_ident) {
            continue;
        }
        let after = after.trim_start();
        let Some(source) = after
            .strip_prefix("in ")
            .or_else(|| after.strip_prefix("of "))
        else {
            continue;
        };
        let from = code.len() - source.len();
        sources.push(from..expression_end(code, literals, from, b":"));
    }
    for (at, _) in code.match_indices(".map(") {
        let rest = code.get(at + 5..).unwrap_or_default().trim_start();
        let rest = rest.strip_prefix('(').unwrap_or(rest).trim_start();
        let Some(after) = rest.strip_prefix(name) else {
            continue;
        };
        let after = after.trim_start();
        let after = after.strip_prefix(')').unwrap_or(after).trim_start();
        if !after.starts_with("=>") {
            continue;
        }
        if let Some(receiver) = receiver_before(code, literals, at) {
            sources.push(receiver);
        }
    }
    sources
        .into_iter()
        .min_by_key(|source| source.start.abs_diff(near))
}

/// The list or name a method called at `dot` (`.map(`) is called on:
/// `['a', 'b']` or `keys`.
fn receiver_before(code: &str, literals: &[Literal], dot: usize) -> Option<Range<usize>> {
    let head = code.get(..dot)?;
    if head.ends_with(']') {
        return Some(opening(code, literals, dot - 1)?..dot);
    }
    let start = head
        .char_indices()
        .rev()
        .find(|(_, c)| !is_ident(*c))
        .map_or(0, |(at, c)| at + c.len_utf8());
    (start < dot && !head.get(..start)?.ends_with('.')).then_some(start..dot)
}

/// The keys the expression at `expr` takes, each, when it is the variable
/// of a loop over a list of literals.
pub(super) fn loop_keys(
    code: &str,
    literals: &[Literal],
    expr: Range<usize>,
) -> Option<Vec<(String, usize)>> {
    let name = code.get(expr.clone())?.trim();
    if name.is_empty() || !name.chars().all(is_ident) {
        return None;
    }
    let source = loop_source(code, literals, name, expr.start)?;
    list_items(code, literals, source, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::inline::literals;

    fn key(code: &str) -> (String, bool) {
        let literals = literals(code);
        let found = key_arg(code, &literals, 0..code.len());
        found.map(|k| (k.text, k.computed)).unwrap_or_default()
    }

    fn keys(code: &str, at: &str) -> Option<Vec<String>> {
        let literals = literals(code);
        let start = code.rfind(at)?;
        let found = loop_keys(code, &literals, start..start + at.len())?;
        Some(found.into_iter().map(|(k, _)| k).collect())
    }

    #[test]
    fn keys_are_literals_templates_or_expressions() {
        assert_eq!(key("'a/b.txt'"), ("a/b.txt".to_owned(), false));
        assert_eq!(key("f'r/{n}.map'"), ("r/{n}.map".to_owned(), true));
        assert_eq!(key("rb'r/x'"), ("r/x".to_owned(), false));
        assert_eq!(key("`r/${n}.map`"), ("r/${n}.map".to_owned(), true));
        assert_eq!(key(" o['Key'] "), ("{o['Key']}".to_owned(), true));
    }

    #[test]
    fn loop_variables_take_the_lists_they_go_through() {
        let code = "keys = ['a', 'b']\nx = [{'Key': k} for k in keys]";
        assert_eq!(keys(code, "k"), Some(vec!["a".to_owned(), "b".to_owned()]));
        let code = "for (const k of [\"a\"]) { del({Key: k}) }";
        assert_eq!(keys(code, "k"), Some(vec!["a".to_owned()]));
        let code = "['a', 'b'].map(k => del({Key: k}))";
        assert_eq!(keys(code, "k"), Some(vec!["a".to_owned(), "b".to_owned()]));
        let code = "for o in page['Contents']: x = [{'Key': o}]";
        assert_eq!(keys(code, "o"), None);
    }
}
