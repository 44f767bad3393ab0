//! Splatting: `$a = @('push', '--force', 'origin', 'x')` then `& git @a`
//! runs git with the array's items as its arguments; `$p = @{ Uri = U;
//! Method = 'Post' }` then `Invoke-RestMethod @p` binds each key as the
//! parameter `-Key value`. The statement pass ([`super::statements`])
//! writes a splatted variable out as those words, so the command's handler
//! reads them as it reads arguments written out.
//!
//! Only variables the text assigns a literal array or hashtable (or a
//! comma list, `$a = 'x', 'y'`) are expanded, with the last such
//! assignment before the splat; a hashtable's values are kept as written
//! (`Headers = $headers` stays the variable, which carries what it holds).

use super::word_at;

/// What a variable was assigned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Value {
    /// An array's items, as written (`'push'`, `$x`).
    Array(Vec<String>),
    /// A hashtable's entries: the key without quotes, the value as written.
    Table(Vec<(String, String)>),
}

/// An assignment of a literal array or hashtable: where it ends, the
/// variable's lower-case name, the value.
pub(super) type Assigned = (usize, String, Value);

/// `code` with its splatted variables (`@name`) written out, or `None`
/// when it splats none the text assigned.
pub(super) fn rewrite(code: &str) -> Option<String> {
    if !code.contains('@') {
        return None;
    }
    let chars: Vec<char> = code.chars().collect();
    let assigned = assignments(&chars);
    if assigned.is_empty() {
        return None;
    }
    let outside = unquoted(&chars);
    let mut out = String::with_capacity(code.len() + 64);
    let mut changed = false;
    let mut at = 0usize;
    while let Some(&c) = chars.get(at) {
        if c == '@' && outside.get(at).copied().unwrap_or(false) {
            let before = at
                .checked_sub(1)
                .and_then(|b| chars.get(b))
                .is_none_or(|b| b.is_whitespace() || matches!(b, '(' | ';' | '|'));
            let name = word_at(&chars, at + 1);
            let end = at + 1 + name.chars().count();
            let ends = chars
                .get(end)
                .is_none_or(|c| c.is_whitespace() || matches!(c, ';' | '|' | ')' | '}'));
            let lower = name.to_ascii_lowercase();
            let value = assigned
                .iter()
                .rev()
                .find(|(done, variable, _)| *done <= at && *variable == lower)
                .map(|(_, _, value)| value);
            if before
                && ends
                && !name.is_empty()
                && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && let Some(value) = value
            {
                out.push_str(&words(value));
                changed = true;
                at = end;
                continue;
            }
        }
        out.push(c);
        at += 1;
    }
    changed.then_some(out)
}

/// A splatted value as the words it stands for.
fn words(value: &Value) -> String {
    match value {
        Value::Array(items) => items.join(" "),
        Value::Table(entries) => entries
            .iter()
            .map(|(key, value)| match value.to_ascii_lowercase().as_str() {
                // A switch given `$true` is the switch written alone.
                "$true" => format!("-{key}"),
                "$false" => format!("-{key}:$false"),
                _ => format!("-{key} {value}"),
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// For each character, whether it is outside quotes (PowerShell's: `''`
/// inside single quotes, backtick escapes inside double quotes and out).
pub(super) fn unquoted(chars: &[char]) -> Vec<bool> {
    let mut mask = Vec::with_capacity(chars.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for &c in chars {
        if escaped {
            escaped = false;
            mask.push(quote.is_none());
            continue;
        }
        match (quote, c) {
            (Some('"') | None, '`') => {
                escaped = true;
                mask.push(quote.is_none());
            }
            (Some(q), c) if c == q => {
                quote = None;
                mask.push(false);
            }
            (Some(_), _) => mask.push(false),
            (None, '\'' | '"') => {
                quote = Some(c);
                mask.push(false);
            }
            (None, _) => mask.push(true),
        }
    }
    mask
}

/// Just past the bracket closing the one at `open` (any of `(`, `{`,
/// `[`), quotes respected.
pub(super) fn closing(chars: &[char], open: usize) -> usize {
    let outside = unquoted(chars);
    let mut depth = 0usize;
    let mut at = open;
    while let Some(&c) = chars.get(at) {
        if outside.get(at).copied().unwrap_or(false) {
            match c {
                '(' | '{' | '[' => depth += 1,
                ')' | '}' | ']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return at + 1;
                    }
                }
                _ => {}
            }
        }
        at += 1;
    }
    chars.len()
}

/// Splits `text` at the top-level characters `at` (outside quotes and
/// brackets), each part trimmed, empty ones left out.
pub(super) fn split_top(text: &str, at: &[char]) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let outside = unquoted(&chars);
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for (index, &c) in chars.iter().enumerate() {
        if outside.get(index).copied().unwrap_or(false) {
            match c {
                '(' | '{' | '[' => depth += 1,
                ')' | '}' | ']' => depth = depth.saturating_sub(1),
                c if depth == 0 && at.contains(&c) => {
                    parts.push(std::mem::take(&mut current));
                    continue;
                }
                _ => {}
            }
        }
        current.push(c);
    }
    parts.push(current);
    parts
        .into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The items of an array written `@( ... )` (items split at commas,
/// `;` or line ends) or as a comma list.
pub(super) fn array_items(text: &str) -> Vec<String> {
    let text = text.trim();
    match text.strip_prefix("@(").and_then(|t| t.strip_suffix(')')) {
        Some(inner) => split_top(inner, &[',', ';', '\n']),
        None => split_top(text, &[',']),
    }
}

/// The entries of a hashtable written `@{ k = v; ... }` (entries split at
/// `;` or line ends).
pub(super) fn table_entries(text: &str) -> Option<Vec<(String, String)>> {
    let inner = text.trim().strip_prefix("@{")?.strip_suffix('}')?;
    Some(
        split_top(inner, &[';', '\n'])
            .into_iter()
            .filter_map(|entry| {
                let (key, value) = entry.split_once('=')?;
                let key = key.trim().trim_matches(['\'', '"']).trim().to_owned();
                let valid =
                    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                valid.then(|| (key, value.trim().to_owned()))
            })
            .collect(),
    )
}

/// The assignments of literal arrays and hashtables in the text, in order.
pub(super) fn assignments(chars: &[char]) -> Vec<Assigned> {
    let outside = unquoted(chars);
    let mut found = Vec::new();
    let mut statement_start = true;
    let mut at = 0usize;
    while let Some(&c) = chars.get(at) {
        let free = outside.get(at).copied().unwrap_or(false);
        if free
            && statement_start
            && c == '$'
            && let Some(assigned) = assignment_at(chars, &outside, at)
        {
            at = assigned.0;
            found.push(assigned);
            statement_start = false;
            continue;
        }
        if free {
            if matches!(c, ';' | '\n' | '{' | '}' | '(') {
                statement_start = true;
            } else if !c.is_whitespace() {
                statement_start = false;
            }
        }
        at += 1;
    }
    found
}

/// `$name = VALUE` at `at`, VALUE a literal array, hashtable or comma list.
fn assignment_at(chars: &[char], outside: &[bool], at: usize) -> Option<Assigned> {
    let name = word_at(chars, at + 1);
    if name.is_empty() {
        return None;
    }
    let mut after = at + 1 + name.chars().count();
    while chars.get(after).is_some_and(|c| *c == ' ' || *c == '\t') {
        after += 1;
    }
    if chars.get(after) != Some(&'=') || chars.get(after + 1) == Some(&'=') {
        return None;
    }
    after += 1;
    while chars.get(after).is_some_and(|c| *c == ' ' || *c == '\t') {
        after += 1;
    }
    let bracketed =
        chars.get(after) == Some(&'@') && matches!(chars.get(after + 1), Some('(' | '{'));
    let end = if bracketed {
        closing(chars, after + 1)
    } else if matches!(chars.get(after), Some('\'' | '"')) {
        // A comma list to the statement's end (a line continued after a
        // comma goes on).
        let mut end = after;
        let mut depth = 0usize;
        while let Some(&c) = chars.get(end) {
            if outside.get(end).copied().unwrap_or(false) {
                match c {
                    '(' | '{' | '[' => depth += 1,
                    ')' | '}' | ']' if depth == 0 => break,
                    ')' | '}' | ']' => depth -= 1,
                    ';' | '|' if depth == 0 => break,
                    '\n' if depth == 0 => {
                        let before: String = chars.get(after..end)?.iter().collect();
                        if !before.trim_end().ends_with(',') {
                            break;
                        }
                    }
                    _ => {}
                }
            }
            end += 1;
        }
        end
    } else {
        return None;
    };
    let text: String = chars.get(after..end)?.iter().collect();
    let value = if text.starts_with("@{") {
        Value::Table(table_entries(&text)?)
    } else {
        let items = array_items(&text);
        // A pipeline or a command is not a literal list.
        if !text.starts_with('@') && items.iter().any(|i| !is_literal(i)) {
            return None;
        }
        Value::Array(items)
    };
    Some((end, name.to_ascii_lowercase(), value))
}

/// Whether an item is a quoted string or a bare word with no expansion.
pub(super) fn is_literal(item: &str) -> bool {
    let chars: Vec<char> = item.chars().collect();
    match chars.first() {
        Some(q @ ('\'' | '"')) => {
            chars.len() >= 2
                && chars.last() == Some(q)
                && unquoted(&chars)
                    .iter()
                    .skip(1)
                    .rev()
                    .skip(1)
                    .all(|free| !free)
        }
        Some(_) => item
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':')),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_and_tables_are_written_out() {
        let code = "$a = @('push', '--force',\n  'origin')\n& git @a";
        assert_eq!(
            rewrite(code).as_deref(),
            Some("$a = @('push', '--force',\n  'origin')\n& git 'push' '--force' 'origin'")
        );
        let code = "$p = @{\n  Uri = 'https://x'\n  Force = $true\n}\nirm @p";
        assert_eq!(
            rewrite(code).as_deref(),
            Some("$p = @{\n  Uri = 'https://x'\n  Force = $true\n}\nirm -Uri 'https://x' -Force")
        );
        assert_eq!(rewrite("git commit -m 'a @b'; mail x@y.com"), None);
        assert_eq!(rewrite("& git @unknown"), None);
    }
}
