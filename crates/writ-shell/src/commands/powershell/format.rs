//! The format operator: `'release/{0}.{1}' -f 2026, 11` is the string
//! `release/2026.11`, `'+HEAD:refs/heads/{0}' -f $branch` the string with
//! `$branch`'s value in it. The statement pass ([`super::statements`])
//! writes such an expression out as the one double-quoted string it
//! equals, so the walk reads it as it reads any string: a literal argument
//! becomes text, a variable (`$b`, `$env:T`) its expansion. An argument of
//! another form (`(Get-Date)`, `$x.Name`) leaves its format item as it is
//! written. The operator is only read where an expression is (after `=`,
//! `(`, `,`, `+` or at a statement's start): a command's argument `'x' -f
//! y` is a parameter.

use super::splatting::closing;

/// `code` with its format-operator expressions written out as strings, or
/// `None` when it has none.
pub(super) fn rewrite(code: &str) -> Option<String> {
    let lower = code.to_ascii_lowercase();
    if !lower.contains("-f ") && !lower.contains("-f\t") {
        return None;
    }
    let chars: Vec<char> = code.chars().collect();
    let mut out = String::with_capacity(code.len());
    let mut changed = false;
    let mut at = 0usize;
    while let Some(&c) = chars.get(at) {
        match c {
            '\'' | '"' => {
                let end = string_end(&chars, at);
                if expression_position(&chars, at)
                    && let Some((text, next)) = format_expression(&chars, at, end)
                {
                    out.push_str(&text);
                    changed = true;
                    at = next;
                    continue;
                }
                out.extend(chars.get(at..end).unwrap_or_default());
                at = end;
            }
            '`' => {
                out.extend(chars.get(at..at + 2).unwrap_or_default());
                at += 2;
            }
            '#' => {
                // A comment runs to the end of its line.
                let end = (at..chars.len())
                    .find(|i| chars.get(*i) == Some(&'\n'))
                    .unwrap_or(chars.len());
                out.extend(chars.get(at..end).unwrap_or_default());
                at = end;
            }
            c => {
                out.push(c);
                at += 1;
            }
        }
    }
    changed.then_some(out)
}

/// Just past the quoted string that starts at `start` (`''` and `""` are
/// quotes inside it, a backtick escapes in a double-quoted one).
pub(super) fn string_end(chars: &[char], start: usize) -> usize {
    let quote = chars.get(start).copied().unwrap_or('\'');
    let mut at = start + 1;
    while let Some(&c) = chars.get(at) {
        if c == '`' && quote == '"' {
            at += 2;
            continue;
        }
        if c == quote {
            if chars.get(at + 1) == Some(&quote) {
                at += 2;
                continue;
            }
            return at + 1;
        }
        at += 1;
    }
    chars.len()
}

/// Whether the string at `at` is an operand of an expression: it starts a
/// statement or follows `=`, `(`, `,`, `+`, `{`, `;` or `return`.
fn expression_position(chars: &[char], at: usize) -> bool {
    let mut before = at;
    while before > 0
        && chars
            .get(before - 1)
            .is_some_and(|c| *c == ' ' || *c == '\t')
    {
        before -= 1;
    }
    let Some(previous) = before.checked_sub(1).and_then(|i| chars.get(i)) else {
        return true;
    };
    if matches!(previous, '\n' | '=' | '(' | ',' | '+' | '{' | ';') {
        return true;
    }
    let word: String = chars
        .get(before.saturating_sub(6)..before)
        .unwrap_or_default()
        .iter()
        .collect();
    word.eq_ignore_ascii_case("return")
}

/// The format expression whose format string is `chars[start..end]`, as a
/// double-quoted string, and just past its last argument; `None` when no
/// `-f` follows the string or its format or arguments are not read.
fn format_expression(chars: &[char], start: usize, end: usize) -> Option<(String, usize)> {
    let mut at = skip_blanks(chars, end);
    let operator: String = chars.get(at..at + 2)?.iter().collect();
    if !operator.eq_ignore_ascii_case("-f")
        || !chars.get(at + 2).is_some_and(|c| *c == ' ' || *c == '\t')
    {
        return None;
    }
    at += 2;
    let mut arguments = Vec::new();
    loop {
        at = skip_blanks(chars, at);
        let (value, next) = argument(chars, at)?;
        arguments.push(value);
        at = next;
        let after = skip_blanks(chars, at);
        if chars.get(after) != Some(&',') {
            break;
        }
        at = after + 1;
        while chars.get(at).is_some_and(|c| c.is_whitespace()) {
            at += 1;
        }
    }
    let format = format_text(chars, start, end)?;
    Some((format!("\"{}\"", apply(&format, &arguments)?), at))
}

/// Past spaces and tabs from `at`.
fn skip_blanks(chars: &[char], mut at: usize) -> usize {
    while chars.get(at).is_some_and(|c| *c == ' ' || *c == '\t') {
        at += 1;
    }
    at
}

/// The format string `chars[start..end]` as a double-quoted string's inner
/// text; `None` for a double-quoted one that runs a subexpression.
fn format_text(chars: &[char], start: usize, end: usize) -> Option<String> {
    let quote = *chars.get(start)?;
    let inner: String = chars.get(start + 1..end.checked_sub(1)?)?.iter().collect();
    if quote == '"' {
        return (!inner.contains("$(")).then(|| inner.replace("\"\"", "`\""));
    }
    Some(literal_inner(&inner.replace("''", "'")))
}

/// Literal text as a double-quoted string's inner text: `$`, `` ` `` and
/// `"` escaped.
pub(super) fn literal_inner(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '$' | '`' | '"') {
            out.push('`');
        }
        out.push(c);
    }
    out
}

/// One argument of the operator at `at`: its value as a double-quoted
/// string's inner text (`None` when not known) and just past it; `None`
/// when no argument is read there.
fn argument(chars: &[char], at: usize) -> Option<(Option<Argument>, usize)> {
    let c = *chars.get(at)?;
    match c {
        '\'' => {
            let end = string_end(chars, at);
            let inner: String = chars.get(at + 1..end.checked_sub(1)?)?.iter().collect();
            Some((
                Some(Argument::Text(literal_inner(&inner.replace("''", "'")))),
                end,
            ))
        }
        '"' => {
            let end = string_end(chars, at);
            let inner: String = chars.get(at + 1..end.checked_sub(1)?)?.iter().collect();
            let value =
                (!inner.contains("$(")).then(|| Argument::Text(inner.replace("\"\"", "`\"")));
            Some((value, end))
        }
        '$' => {
            let name: String = chars
                .get(at + 1..)
                .unwrap_or_default()
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ':'))
                .collect();
            if name.is_empty() || name.ends_with(':') {
                return None;
            }
            let end = at + 1 + name.chars().count();
            // `$x.Name`, `$x[0]`, `$x.M()`: a value the walk does not know.
            if matches!(chars.get(end), Some('.' | '[' | '(')) {
                return Some((None, operand_end(chars, end)));
            }
            Some((Some(Argument::Text(format!("${{{name}}}"))), end))
        }
        '(' | '[' => Some((None, operand_end(chars, at))),
        c if c.is_ascii_digit() || c == '-' => {
            let number: String = chars
                .get(at..)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .take_while(|(i, c)| c.is_ascii_digit() || **c == '.' || (*i == 0 && **c == '-'))
                .map(|(_, c)| *c)
                .collect();
            if !number.chars().any(|c| c.is_ascii_digit()) {
                return None;
            }
            let end = at + number.chars().count();
            Some((Some(Argument::Number(number)), end))
        }
        _ => None,
    }
}

/// A known argument: a number (which `D2` and the like pad) or text.
enum Argument {
    Number(String),
    Text(String),
}

/// Just past an operand that goes on from `at` with brackets, member
/// access and calls (`[uri]::Escape('x')`, `$x.Name`, `(Get-Date)`).
fn operand_end(chars: &[char], mut at: usize) -> usize {
    loop {
        match chars.get(at) {
            Some('(' | '[') => at = closing(chars, at),
            Some('.') | Some(':') => {
                at += 1;
                while chars
                    .get(at)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ':'))
                {
                    at += 1;
                }
            }
            _ => return at,
        }
    }
}

/// `format` (a double-quoted string's inner text) with its format items
/// (`{0}`, `{1:D2}`, `{0,-8}`) replaced by the arguments; `{{` and `}}`
/// are braces. An item whose argument is not known stays as written;
/// `None` when an item names no argument.
fn apply(format: &str, arguments: &[Option<Argument>]) -> Option<String> {
    let chars: Vec<char> = format.chars().collect();
    let mut out = String::with_capacity(format.len() + 32);
    let mut at = 0usize;
    while let Some(&c) = chars.get(at) {
        match (c, chars.get(at + 1)) {
            ('{', Some('{')) | ('}', Some('}')) => {
                out.push(c);
                at += 2;
            }
            ('{', Some(d)) if d.is_ascii_digit() => {
                let close = (at..chars.len()).find(|i| chars.get(*i) == Some(&'}'))?;
                let item: String = chars.get(at + 1..close)?.iter().collect();
                let index_end = item
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(item.len());
                let index: usize = item.get(..index_end)?.parse().ok()?;
                let spec = item.get(index_end..).unwrap_or_default();
                match arguments.get(index)? {
                    Some(argument) => out.push_str(&formatted(argument, spec)),
                    None => out.extend(chars.get(at..=close).unwrap_or_default()),
                }
                at = close + 1;
            }
            _ => {
                out.push(c);
                at += 1;
            }
        }
    }
    Some(out)
}

/// An argument formatted by an item's spec: `:D<n>` pads a whole number
/// with zeros to n digits; other specs leave the value as it is.
fn formatted(argument: &Argument, spec: &str) -> String {
    match argument {
        Argument::Text(text) => text.clone(),
        Argument::Number(number) => {
            let width = spec
                .strip_prefix(':')
                .and_then(|s| s.strip_prefix(['D', 'd']))
                .and_then(|w| w.parse::<usize>().ok());
            match width {
                Some(width) if !number.contains('.') && !number.starts_with('-') => {
                    format!("{number:0>width$}")
                }
                _ => number.clone(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_expressions_become_strings() {
        assert_eq!(
            rewrite("$r = 'release/{0}.{1}' -f 2026, 11").as_deref(),
            Some("$r = \"release/2026.11\"")
        );
        assert_eq!(
            rewrite("$s = '+HEAD:refs/heads/{0}' -f $b\ngit push origin $s").as_deref(),
            Some("$s = \"+HEAD:refs/heads/${b}\"\ngit push origin $s")
        );
        assert_eq!(
            rewrite("$v = 'v{0:D2}-{1}' -f 7, (Get-Date)").as_deref(),
            Some("$v = \"v07-{1}\"")
        );
        assert_eq!(rewrite("Write-Host '{0}' -f Red"), None);
        assert_eq!(rewrite("$x = '{3}' -f 1"), None);
    }
}
