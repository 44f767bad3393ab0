//! A hashtable entry whose value is a command (`@{ code = Get-Content
//! ./.env -Raw }`): PowerShell runs the pipeline and stores its output,
//! as it would `(Get-Content ./.env -Raw)`. The pass writes such values in
//! parentheses, the spelling the rest of the analysis reads as a command
//! whose output is the value.

use super::splatting::{closing, unquoted};

/// `code` with each hashtable value that starts with a cmdlet's name
/// (`Verb-Noun`) wrapped in parentheses, or `None` when there is none.
pub(super) fn rewrite(code: &str) -> Option<String> {
    if !code.contains("@{") {
        return None;
    }
    let chars: Vec<char> = code.chars().collect();
    let outside = unquoted(&chars);
    // (start, end) of each value to wrap, in order.
    let mut values: Vec<(usize, usize)> = Vec::new();
    let mut at = 0usize;
    while at + 1 < chars.len() {
        let opens = chars.get(at) == Some(&'@')
            && chars.get(at + 1) == Some(&'{')
            && outside.get(at).copied().unwrap_or(false);
        if opens {
            values.extend(command_values(&chars, &outside, at + 1));
        }
        at += 1;
    }
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    values.dedup();
    let mut out = String::with_capacity(code.len() + 2 * values.len());
    let mut next = values.iter().peekable();
    for (index, c) in chars.iter().enumerate() {
        // Several values may end at one place (nested tables).
        while next.peek().is_some_and(|(_, end)| *end == index) {
            out.push(')');
            next.next();
        }
        if values.iter().any(|(start, _)| *start == index) {
            out.push('(');
        }
        out.push(*c);
    }
    for _ in next {
        out.push(')');
    }
    Some(out)
}

/// The values in the table whose `{` is at `open` that are commands: from
/// the value's first character to the end of its entry (a top-level `;`,
/// line end or the table's `}`), trailing blanks left out.
fn command_values(chars: &[char], outside: &[bool], open: usize) -> Vec<(usize, usize)> {
    let close = closing(chars, open).saturating_sub(1);
    let mut found = Vec::new();
    let mut depth = 0usize;
    let mut entry_start = open + 1;
    let mut at = open + 1;
    while at <= close {
        let c = chars.get(at).copied().unwrap_or('}');
        let free = outside.get(at).copied().unwrap_or(false);
        if free && matches!(c, '(' | '{' | '[') {
            depth += 1;
        } else if free && matches!(c, ')' | ']') || (free && c == '}' && at < close) {
            depth = depth.saturating_sub(1);
        }
        let ends = at == close || (free && depth == 0 && matches!(c, ';' | '\n'));
        if ends {
            if let Some(range) = command_value(chars, outside, entry_start, at) {
                found.push(range);
            }
            entry_start = at + 1;
        }
        at += 1;
    }
    found
}

/// The value of the entry `start..end` (`key = value`) when it is a
/// command.
fn command_value(
    chars: &[char],
    outside: &[bool],
    start: usize,
    end: usize,
) -> Option<(usize, usize)> {
    let equals = (start..end)
        .find(|&i| chars.get(i) == Some(&'=') && outside.get(i).copied().unwrap_or(false))?;
    let mut first = equals + 1;
    while first < end && chars.get(first).is_some_and(|c| *c == ' ' || *c == '\t') {
        first += 1;
    }
    let mut last = end;
    while last > first && chars.get(last - 1).is_some_and(|c| c.is_whitespace()) {
        last -= 1;
    }
    let value: String = chars.get(first..last)?.iter().collect();
    (is_cmdlet_call(&value) && !is_item_getter(&value)).then_some((first, last))
}

/// Whether `value` gets items (`Get-Item F`, `Get-ChildItem D`): their
/// value is the item, which a `-Form` sends as a file part and the web
/// cmdlets read from the words as written ([`super::super::form_files`]),
/// not text the command prints.
fn is_item_getter(value: &str) -> bool {
    let name = value.split_whitespace().next().unwrap_or_default();
    ["get-item", "get-childitem"]
        .iter()
        .any(|getter| name.eq_ignore_ascii_case(getter))
}

/// Whether `value` starts with a cmdlet's `Verb-Noun` name followed by
/// its end or a blank (`Get-Content ./.env -Raw`, `Get-Date`).
fn is_cmdlet_call(value: &str) -> bool {
    let name: String = value
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let rest = value.get(name.len()..).unwrap_or_default();
    let Some((verb, noun)) = name.split_once('-') else {
        return false;
    };
    verb.len() >= 2
        && verb.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && verb.chars().all(|c| c.is_ascii_alphabetic())
        && !noun.is_empty()
        && noun.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && !noun.contains('-')
        && rest.chars().next().is_none_or(|c| c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn command_values_are_parenthesised() {
        assert_eq!(
            rewrite("$f = @{\n  a = 'x'\n  code = Get-Content ./.env -Raw\n}").as_deref(),
            Some("$f = @{\n  a = 'x'\n  code = (Get-Content ./.env -Raw)\n}")
        );
        assert_eq!(
            rewrite("@{ when = Get-Date; log = Get-Content $log -Raw }").as_deref(),
            Some("@{ when = (Get-Date); log = (Get-Content $log -Raw) }")
        );
    }

    #[test]
    fn other_values_are_left_alone() {
        for code in [
            "@{ a = 'Get-Content x'; b = $x; c = (Get-Date); d = 3 }",
            "@{ a = -1; b = $true }",
            "@{ file = Get-Item -LiteralPath $Path }",
            "'@{ a = Get-Content x }'",
            "$x = 1",
        ] {
            assert_eq!(rewrite(code), None, "{code}");
        }
    }
}
