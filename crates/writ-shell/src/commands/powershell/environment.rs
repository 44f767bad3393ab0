//! Environment variables read other ways than `$env:NAME`: the .NET call
//! `[Environment]::GetEnvironmentVariable('NAME')` (also
//! `[System.Environment]`, double quotes, a second argument naming the
//! scope: `'User'`, `[EnvironmentVariableTarget]::Machine`) and the
//! `Env:` drive's item, `(Get-Item Env:NAME).Value`. The statement pass
//! ([`super::statements`]) writes each as the `$env:NAME` it reads, so the
//! variable it names is carried as `$env:NAME` is: into the variable
//! assigned its value, the strings that interpolate that variable
//! (`"api_key=$key"`) and the requests those go into.
//!
//! Only calls outside quotes, or inside a double-quoted string's
//! subexpression (`"key=$([Environment]::GetEnvironmentVariable('K'))"`),
//! are read: the same text inside a string is text. A subexpression
//! that only reads a variable (`"$($env:NAME)"`) is written `${env:NAME}`,
//! which the rewrite into shell text reads as the variable it names.

use super::word_at;

/// `code` with its environment reads written as `$env:NAME`, or `None`
/// when it has none.
pub(super) fn rewrite(code: &str) -> Option<String> {
    let lower = code.to_ascii_lowercase();
    if !lower.contains("getenvironmentvariable(") && !lower.contains("env:") {
        return None;
    }
    let chars: Vec<char> = code.chars().collect();
    let mut out = String::with_capacity(code.len());
    let mut changed = false;
    let mut quote: Option<Quote> = None;
    // Parenthesis depth, and for each open `$(` inside a string the depth
    // it opened at and the string it returns to.
    let mut depth = 0usize;
    let mut subexpressions: Vec<(usize, Quote)> = Vec::new();
    let mut at = 0usize;
    while let Some(&c) = chars.get(at) {
        let next = chars.get(at + 1).copied();
        match (quote, c) {
            (Some(Quote::Single), '\'') | (Some(Quote::Double), '"') => quote = None,
            (Some(Quote::HereSingle), '\'') | (Some(Quote::HereDouble), '"')
                if next == Some('@') && at_line_start(&chars, at) =>
            {
                out.push(c);
                out.push('@');
                at += 2;
                quote = None;
                continue;
            }
            (Some(Quote::Double | Quote::HereDouble) | None, '`') => {
                out.push(c);
                out.extend(next);
                at += 2;
                continue;
            }
            (Some(q @ (Quote::Double | Quote::HereDouble)), '$') if next == Some('(') => {
                if let Some((name, end)) = subexpression_read(&chars, at) {
                    // Braced: the string's text after it is not its name.
                    out.push_str(&format!("${{env:{name}}}"));
                    changed = true;
                    at = end;
                    continue;
                }
                out.push_str("$(");
                depth += 1;
                subexpressions.push((depth, q));
                quote = None;
                at += 2;
                continue;
            }
            (Some(_), _) => {}
            (None, '@') if matches!(next, Some('\'' | '"')) => {
                quote = Some(if next == Some('\'') {
                    Quote::HereSingle
                } else {
                    Quote::HereDouble
                });
                out.push(c);
                out.extend(next);
                at += 2;
                continue;
            }
            (None, '\'') => quote = Some(Quote::Single),
            (None, '"') => quote = Some(Quote::Double),
            (None, '[' | '(') => {
                if let Some((name, end)) =
                    dotnet_read(&chars, at).or_else(|| drive_read(&chars, at))
                {
                    out.push_str("$env:");
                    out.push_str(&name);
                    changed = true;
                    at = end;
                    continue;
                }
                if c == '(' {
                    depth += 1;
                }
            }
            (None, ')') => {
                if subexpressions.last().is_some_and(|(d, _)| *d == depth) {
                    quote = subexpressions.pop().map(|(_, q)| q);
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
        out.push(c);
        at += 1;
    }
    changed.then_some(out)
}

/// The kind of string being read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    Single,
    Double,
    HereSingle,
    HereDouble,
}

/// Whether `at` starts a line.
fn at_line_start(chars: &[char], at: usize) -> bool {
    at.checked_sub(1)
        .and_then(|before| chars.get(before))
        .is_none_or(|c| *c == '\n')
}

/// `[Environment]::GetEnvironmentVariable('NAME'[, SCOPE])` at `at` (any
/// case, `System.` or not): the name it reads, and just past the call.
fn dotnet_read(chars: &[char], at: usize) -> Option<(String, usize)> {
    let mut after = None;
    for class in ["[environment]::", "[system.environment]::"] {
        let prefix = format!("{class}getenvironmentvariable");
        if starts_with_lower(chars, at, &prefix) {
            after = Some(at + prefix.chars().count());
        }
    }
    let open = skip_blanks(chars, after?);
    if chars.get(open) != Some(&'(') {
        return None;
    }
    let (name, end) = quoted_name(chars, skip_blanks(chars, open + 1))?;
    // A second argument names the scope; it reads the variable all the same.
    let close = skip_blanks(chars, end);
    let rest = chars.get(close..).unwrap_or_default();
    let scope_end = match rest.first() {
        Some(')') => close,
        Some(',') => close + rest.iter().position(|c| matches!(c, ')' | '(' | '\n'))?,
        _ => return None,
    };
    (chars.get(scope_end) == Some(&')')).then_some((name, scope_end + 1))
}

/// A string's subexpression at `at` that only reads an environment
/// variable (`$($env:NAME)`, `$([Environment]::GetEnvironmentVariable(
/// 'NAME'))`): the name, and just past its `)`.
fn subexpression_read(chars: &[char], at: usize) -> Option<(String, usize)> {
    let start = skip_blanks(chars, at + 2);
    let (name, end) = if starts_with_lower(chars, start, "$env:") {
        let name = word_at(chars, start + "$env:".len());
        let end = start + "$env:".len() + name.chars().count();
        (!name.is_empty()).then_some((name, end))?
    } else {
        dotnet_read(chars, start).or_else(|| drive_read(chars, start))?
    };
    let close = skip_blanks(chars, end);
    (chars.get(close) == Some(&')')).then_some((name, close + 1))
}

/// `(Get-Item Env:NAME).Value` at `at` (also `gi`, `Get-ChildItem`,
/// `-Path`/`-LiteralPath`, the path quoted): the name it reads, and just
/// past `.Value`.
fn drive_read(chars: &[char], at: usize) -> Option<(String, usize)> {
    if chars.get(at) != Some(&'(') {
        return None;
    }
    let close = at + chars.get(at..)?.iter().position(|c| *c == ')')?;
    let inner: String = chars.get(at + 1..close)?.iter().collect();
    let mut words = inner.split_whitespace();
    let cmdlet = words.next()?.to_ascii_lowercase();
    if !["get-item", "gi", "get-childitem", "gci"].contains(&cmdlet.as_str()) {
        return None;
    }
    let mut path = words.next()?;
    if ["-path", "-literalpath"].contains(&path.to_ascii_lowercase().as_str()) {
        path = words.next()?;
    }
    if words.next().is_some() {
        return None;
    }
    let path = path.trim_matches(['\'', '"']);
    let name = path
        .get(..4)
        .filter(|drive| drive.eq_ignore_ascii_case("env:"))
        .and_then(|_| path.get(4..))?;
    let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let end = close + 1 + ".value".len();
    let whole = chars
        .get(end)
        .is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == '_'));
    (plain && starts_with_lower(chars, close + 1, ".value") && whole)
        .then(|| (name.to_owned(), end))
}

/// Whether the text at `at` starts with `prefix` (lower-case ASCII), in
/// any case.
fn starts_with_lower(chars: &[char], at: usize, prefix: &str) -> bool {
    let mut at = at;
    prefix.chars().all(|p| {
        let matched = chars.get(at).is_some_and(|c| c.to_ascii_lowercase() == p);
        at += 1;
        matched
    })
}

/// Just past the blanks at `at`.
fn skip_blanks(chars: &[char], at: usize) -> usize {
    let mut at = at;
    while chars.get(at).is_some_and(|c| *c == ' ' || *c == '\t') {
        at += 1;
    }
    at
}

/// A variable's name quoted at `at` (`'NAME'` or `"NAME"`), and just past
/// its closing quote.
fn quoted_name(chars: &[char], at: usize) -> Option<(String, usize)> {
    let quote = *chars.get(at).filter(|q| matches!(q, '\'' | '"'))?;
    let name: String = chars
        .get(at + 1..)?
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
        .collect();
    let end = at + 1 + name.chars().count();
    (!name.is_empty() && chars.get(end) == Some(&quote)).then_some((name, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotnet_and_drive_reads_become_env_references() {
        assert_eq!(
            rewrite("$k = [Environment]::GetEnvironmentVariable('API_KEY')").as_deref(),
            Some("$k = $env:API_KEY")
        );
        assert_eq!(
            rewrite("$k = [System.Environment]::GetEnvironmentVariable( \"T\", 'User' )")
                .as_deref(),
            Some("$k = $env:T")
        );
        assert_eq!(
            rewrite("\"k=$([environment]::getenvironmentvariable('T', [EnvironmentVariableTarget]::Machine))\"")
                .as_deref(),
            Some("\"k=${env:T}\"")
        );
        // A here-string's subexpression reading `$env:` too.
        assert_eq!(
            rewrite("@\"\nk: $( $env:T )!\n\"@").as_deref(),
            Some("@\"\nk: ${env:T}!\n\"@")
        );
        assert_eq!(
            rewrite("$t = (Get-Item -Path Env:GITHUB_TOKEN).Value").as_deref(),
            Some("$t = $env:GITHUB_TOKEN")
        );
    }

    #[test]
    fn text_and_other_calls_are_left_alone() {
        // In a string it is text; a name given by variable is not known.
        assert_eq!(
            rewrite("'[Environment]::GetEnvironmentVariable(\"T\")'"),
            None
        );
        assert_eq!(
            rewrite("\"see [Environment]::GetEnvironmentVariable('T')\""),
            None
        );
        assert_eq!(
            rewrite("[Environment]::GetEnvironmentVariable($name)"),
            None
        );
        assert_eq!(rewrite("(Get-Item Env:T).Name"), None);
        assert_eq!(
            rewrite("@'\n[Environment]::GetEnvironmentVariable('T')\n'@"),
            None
        );
    }
}
