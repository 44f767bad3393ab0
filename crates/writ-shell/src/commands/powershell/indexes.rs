//! Hashtables indexed by a known key: `$contexts = @{ staging =
//! 'aks-stg'; prod = 'aks-prod' }` then `$contexts[$Environment]` (or
//! `$contexts['prod']`, `$contexts.prod`) is the value written for that
//! key, when `$Environment` holds a string the text wrote (`'prod'`, as a
//! script's or function's parameter bound to its argument does). The
//! statement pass ([`super::statements`]) writes each such index out as
//! the entry's value, so the commands that use it (`kubectl --context
//! $ctx`) are given the value the table holds. PowerShell's hashtables
//! match keys without regard to case.
//!
//! The table and the key's variable are those of the last assignment
//! before the index; one changed in between (assigned anything else, an
//! entry set or added, a loop over it) is no longer known, and an index
//! left unknown stays as written.

use super::splatting::{Assigned, Value, assignments, closing, is_literal, unquoted};
use super::word_at;

/// `code` with its indexes of known keys in literal hashtables written
/// out as the values, or `None` when it has none.
pub(super) fn rewrite(code: &str) -> Option<String> {
    if !code.contains("@{") {
        return None;
    }
    let chars: Vec<char> = code.chars().collect();
    let literals = assignments(&chars);
    if !literals
        .iter()
        .any(|(_, _, value)| matches!(value, Value::Table(_)))
    {
        return None;
    }
    let outside = unquoted(&chars);
    let known = Known {
        literals,
        changes: changes(&chars, &outside),
    };
    let mut out = String::with_capacity(code.len());
    let mut changed = false;
    let mut at = 0usize;
    while let Some(&c) = chars.get(at) {
        if c == '$'
            && outside.get(at).copied().unwrap_or(false)
            && let Some((value, end)) = indexed(&chars, &known, at)
        {
            out.push_str(&value);
            changed = true;
            at = end;
            continue;
        }
        out.push(c);
        at += 1;
    }
    changed.then_some(out)
}

/// What the text assigns its variables.
struct Known {
    /// The literal arrays, lists and hashtables assigned.
    literals: Vec<Assigned>,
    /// Where each variable is assigned or changed in any way: (where,
    /// lower-case name).
    changes: Vec<(usize, String)>,
}

impl Known {
    /// The literal value `$name` holds at `at`: that of its last
    /// assignment before, when that one assigned a literal.
    fn value(&self, name: &str, at: usize) -> Option<&Value> {
        let last = self
            .changes
            .iter()
            .filter(|(start, variable)| *start < at && variable == name)
            .map(|(start, _)| *start)
            .max()?;
        self.literals
            .iter()
            .filter(|(end, variable, _)| *end > last && *end <= at && variable == name)
            .min_by_key(|(end, _, _)| *end)
            .map(|(_, _, value)| value)
    }

    /// The string `$name` holds at `at`, when the text wrote it.
    fn string(&self, name: &str, at: usize) -> Option<String> {
        match self.value(name, at)? {
            Value::Array(items) => match items.as_slice() {
                [item] => literal_string(item),
                _ => None,
            },
            Value::Table(_) => None,
        }
    }
}

/// The index `$table[KEY]` or `$table.KEY` at `at`, of a known key in a
/// literal hashtable: the entry's value and where the index ends.
fn indexed(chars: &[char], known: &Known, at: usize) -> Option<(String, usize)> {
    let name = word_at(chars, at + 1);
    if name.is_empty() {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    let Value::Table(entries) = known.value(&lower, at)? else {
        return None;
    };
    let after = at + 1 + name.chars().count();
    let (key, end) = match chars.get(after) {
        Some('[') => {
            let close = closing(chars, after);
            let inner: String = chars
                .get(after + 1..close.saturating_sub(1))?
                .iter()
                .collect();
            let inner = inner.trim();
            let key = match inner.strip_prefix('$') {
                Some(variable) => known.string(&variable.to_ascii_lowercase(), at)?,
                None => literal_string(inner)?,
            };
            (key, close)
        }
        Some('.') => {
            let key = word_at(chars, after + 1);
            let end = after + 1 + key.chars().count();
            // A method (`$t.ContainsKey(...)`) is not an entry.
            if key.is_empty() || chars.get(end) == Some(&'(') {
                return None;
            }
            (key, end)
        }
        _ => return None,
    };
    if assigned_at(chars, end) {
        return None;
    }
    let (_, value) = entries
        .iter()
        .find(|(entry, _)| entry.eq_ignore_ascii_case(&key))?;
    let simple_variable = value.strip_prefix('$').is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ':'))
    });
    let text = if literal_string(value).is_some() || simple_variable {
        value.clone()
    } else {
        format!("({value})")
    };
    Some((text, end))
}

/// A quoted string with nothing to expand (`'prod'`, `"prod"`) without
/// its quotes, or a number.
fn literal_string(text: &str) -> Option<String> {
    let text = text.trim();
    if text.parse::<f64>().is_ok() {
        return Some(text.to_owned());
    }
    let quote = text.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
    let inner = text.strip_prefix(quote)?.strip_suffix(quote)?;
    let expands = quote == '"' && inner.contains(['$', '`']);
    (is_literal(text) && !expands).then(|| inner.replace("''", "'"))
}

/// Whether an assignment operator (`=`, `+=`, ...) follows `at`, blanks
/// aside.
fn assigned_at(chars: &[char], mut at: usize) -> bool {
    while chars.get(at).is_some_and(|c| *c == ' ' || *c == '\t') {
        at += 1;
    }
    match chars.get(at) {
        Some('=') => chars.get(at + 1) != Some(&'='),
        Some('+' | '-' | '*' | '/' | '%') => {
            chars.get(at + 1) == Some(&'=') || chars.get(at + 1) == chars.get(at)
        }
        _ => false,
    }
}

/// Methods that change a hashtable's entries.
const CHANGING_METHODS: &[&str] = &["add", "remove", "clear", "set_item"];

/// Where each variable is assigned or changed: `$x = ...` (and `+=`,
/// `++`, ...), `$x[k] = ...`, `$x.k = ...`, `$x.Add(...)`, a `foreach
/// ($x in ...)` loop, `[ref]$x`.
fn changes(chars: &[char], outside: &[bool]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut at = 0usize;
    while let Some(&c) = chars.get(at) {
        if c != '$' || !outside.get(at).copied().unwrap_or(false) {
            at += 1;
            continue;
        }
        let name = word_at(chars, at + 1);
        if name.is_empty() {
            at += 1;
            continue;
        }
        let lower = name.to_ascii_lowercase();
        let mut end = at + 1 + name.chars().count();
        let mut method = false;
        match chars.get(end) {
            Some('[') => end = closing(chars, end),
            Some('.') => {
                let member = word_at(chars, end + 1);
                end += 1 + member.chars().count();
                method = chars.get(end) == Some(&'(')
                    && CHANGING_METHODS.contains(&member.to_ascii_lowercase().as_str());
            }
            _ => {}
        }
        let before: String = chars
            .get(at.saturating_sub(5)..at)
            .unwrap_or_default()
            .iter()
            .collect();
        let looped = loop_variable(chars, at);
        if method || looped || assigned_at(chars, end) || before.eq_ignore_ascii_case("[ref]") {
            found.push((at, lower));
        }
        at = end.max(at + 1);
    }
    found
}

/// Whether the variable at `at` is a `foreach` loop's (`foreach ($x in
/// ...)`).
fn loop_variable(chars: &[char], at: usize) -> bool {
    let head: String = chars
        .get(at.saturating_sub(16)..at)
        .unwrap_or_default()
        .iter()
        .collect::<String>()
        .to_ascii_lowercase();
    let Some(head) = head.trim_end().strip_suffix('(') else {
        return false;
    };
    let mut after = at + 1 + word_at(chars, at + 1).chars().count();
    while chars.get(after).is_some_and(|c| c.is_whitespace()) {
        after += 1;
    }
    let word: String = chars
        .get(after..after + 3)
        .unwrap_or_default()
        .iter()
        .collect();
    head.trim_end().ends_with("foreach") && word.eq_ignore_ascii_case("in ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_keys_are_their_values() {
        let code = "$Environment = 'prod'\n$contexts = @{ staging = 'aks-stg'; PROD = 'aks-prod' }\n$ctx = $contexts[$Environment]\nkubectl --context $contexts.staging get pods; $contexts[\"Prod\"]";
        assert_eq!(
            rewrite(code).as_deref(),
            Some(
                "$Environment = 'prod'\n$contexts = @{ staging = 'aks-stg'; PROD = 'aks-prod' }\n$ctx = 'aks-prod'\nkubectl --context 'aks-stg' get pods; 'aks-prod'"
            )
        );
    }

    #[test]
    fn unknown_keys_and_changed_tables_stay() {
        for code in [
            "$t = @{ a = 'x' }\n$t[$k]",
            "$t = @{ a = 'x' }\n$t['b']",
            "$t = @{ a = 'x' }\n$t['a'] = 'y'\n$t['a']",
            "$t = @{ a = 'x' }\n$t.Add('b', 1); $t.a",
            "$t = @{ a = 'x' }\n$t = Get-Table\n$t.a",
            "$k = 'a'\n$k = Read-Host\n$t = @{ a = 'x' }\n$t[$k]",
            "$k = 'a'\n$t = @{ a = 'x' }\nforeach ($k in $list) { $t[$k] }\n",
            "$t = @{ a = 'x' }\n$t[a]",
            "$t = @{ a = 'x' }\n$t.ContainsKey('a')",
            "$t = @{ a = 'x' }\n\"$t['a']\"",
        ] {
            assert_eq!(rewrite(code), None, "{code}");
        }
        assert_eq!(
            rewrite("$t = @{ a = Get-X }\n$v = $t.a").as_deref(),
            Some("$t = @{ a = Get-X }\n$v = (Get-X)")
        );
    }
}
