//! PHP's `foreach` over a list written out, run once per item: `foreach
//! (['a.csv', 'b.csv'] as $f) { $m->addAttachment($f); }` (or
//! `array(...)`, `$k => $f`, and a `(array)` cast of one literal, which is
//! what an option's value becomes once [`super::php_args`] writes it in:
//! `(array)('a.csv')`) is its body once for each item, the loop's
//! variable written as that item, so each call reads as the literal it is
//! given.
//!
//! Only lists of plain string literals are unrolled, at most
//! [`MAX_ITEMS`] of them, and only a body in braces.

use super::storage::{in_literal, is_ident, literal_at};
use super::{Literal, literals, matching_bracket};

/// The most items a loop is unrolled for.
const MAX_ITEMS: usize = 32;

/// `code` with its `foreach` loops over written-out lists unrolled;
/// `None` when there is none.
pub(super) fn unrolled(code: &str) -> Option<String> {
    let literals = literals(code);
    let mut replacements: Vec<(usize, usize, String)> = Vec::new();
    for (at, keyword) in code.match_indices("foreach") {
        let whole = code
            .get(..at)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| !is_ident(c) && c != '$' && c != '>');
        let inside = replacements.iter().any(|(s, e, _)| *s <= at && at < *e);
        if !whole || inside || in_literal(&literals, at) {
            continue;
        }
        if let Some((end, text)) = unroll(code, &literals, at + keyword.len()) {
            replacements.push((at, end, text));
        }
    }
    super::storage::replaced(code, replacements)
}

/// The loop whose header follows `from` (just past `foreach`), unrolled,
/// and where it ends.
fn unroll(code: &str, literals: &[Literal], from: usize) -> Option<(usize, String)> {
    let open = skip_space(code, from);
    if code.as_bytes().get(open) != Some(&b'(') {
        return None;
    }
    let close = matching_bracket(code, literals, open)?;
    let header = code.get(open + 1..close)?;
    let as_at = open + 1 + header.rfind(" as ")?;
    if in_literal(literals, as_at) {
        return None;
    }
    let target = code.get(as_at + 4..close)?.trim();
    let variable = target
        .rsplit_once("=>")
        .map_or(target, |(_, value)| value.trim());
    let name = variable.strip_prefix('$')?;
    if name.is_empty() || !name.chars().all(is_ident) {
        return None;
    }
    let items = items(code, literals, open + 1, as_at)?;
    let body_open = skip_space(code, close + 1);
    if code.as_bytes().get(body_open) != Some(&b'{') {
        return None;
    }
    let body_close = matching_bracket(code, literals, body_open)?;
    let mut out = String::new();
    for item in &items {
        out.push_str(&with_variable(
            code,
            literals,
            body_open,
            body_close + 1,
            variable,
            item,
        ));
        out.push('\n');
    }
    Some((body_close + 1, out.trim_end().to_owned()))
}

/// The string literals of the iterable between `start` and `end`: a list
/// (`[...]`, `array(...)`) of them, or one cast to an array; `None` for
/// anything else.
fn items(code: &str, literals: &[Literal], start: usize, end: usize) -> Option<Vec<String>> {
    let mut text_start = skip_space(code, start);
    let text = code.get(text_start..end)?.trim_end();
    let mut text_end = text_start + text.len();
    let cast = text.starts_with("(array)");
    if cast {
        text_start = skip_space(code, text_start + "(array)".len());
    }
    // Parentheses around the whole (`(array)('a')`).
    while code.as_bytes().get(text_start) == Some(&b'(')
        && matching_bracket(code, literals, text_start) == Some(text_end - 1)
    {
        text_start = skip_space(code, text_start + 1);
        text_end = text_start + code.get(text_start..text_end - 1)?.trim_end().len();
    }
    let inner = if code.get(text_start..)?.starts_with('[') {
        (text_start + 1, text_end.checked_sub(1)?)
    } else if code.get(text_start..)?.starts_with("array(") {
        (text_start + "array(".len(), text_end.checked_sub(1)?)
    } else if cast {
        (text_start, text_end)
    } else {
        return None;
    };
    if inner.0 > inner.1 {
        return None;
    }
    let mut found = Vec::new();
    let mut pos = inner.0;
    loop {
        pos = skip_space(code, pos);
        if pos >= inner.1 {
            break;
        }
        let (_, literal) = literal_at(literals, pos)?;
        if literal.backtick || code.get(literal.start..literal.end)?.contains('$') {
            return None;
        }
        found.push(literal.text.clone());
        pos = skip_space(code, literal.end);
        match code.as_bytes().get(pos) {
            Some(b',') => pos += 1,
            _ if pos >= inner.1 => break,
            _ => return None,
        }
    }
    (!found.is_empty() && found.len() <= MAX_ITEMS).then_some(found)
}

/// The text from `start` to `end` with each read of `variable` outside
/// literals written as `value`, quoted.
fn with_variable(
    code: &str,
    literals: &[Literal],
    start: usize,
    end: usize,
    variable: &str,
    value: &str,
) -> String {
    let quoted = format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"));
    let text = code.get(start..end).unwrap_or_default();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (offset, _) in text.match_indices(variable) {
        let at = start + offset;
        let next = text
            .get(offset + variable.len()..)
            .and_then(|r| r.chars().next());
        if offset < copied || next.is_some_and(is_ident) || in_literal(literals, at) {
            continue;
        }
        out.push_str(text.get(copied..offset).unwrap_or_default());
        out.push_str(&quoted);
        copied = offset + variable.len();
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

fn skip_space(code: &str, pos: usize) -> usize {
    let rest = code.get(pos..).unwrap_or_default();
    pos + (rest.len() - rest.trim_start().len())
}

#[cfg(test)]
mod tests {
    use super::unrolled;

    #[test]
    fn loops_over_literals_run_once_per_item() {
        let out = unrolled(
            "foreach ((array)('a.csv') as $p) {\n    $m->addAttachment($p);\n}\nforeach (['x', 'y'] as $i => $d) { rm($d); }\n",
        )
        .unwrap_or_default();
        assert!(out.contains("$m->addAttachment('a.csv');"), "{out}");
        assert!(out.contains("{ rm('x'); }\n{ rm('y'); }"), "{out}");
        assert_eq!(unrolled("foreach ($files as $f) { rm($f); }"), None);
        assert_eq!(unrolled("foreach (['a', $b] as $f) { rm($f); }"), None);
    }
}
