//! `Join-Path`: the path it returns, written out where it is used. `(Join-Path
//! $HOME '.writ')` as an argument, or `$p = Join-Path $HOME .writ` as an
//! assignment, becomes the one double-quoted string `"$HOME/.writ"`, so
//! the cmdlet given it (`Remove-Item -LiteralPath (Join-Path ...)`) reads
//! the path rather than a command substitution's text. Only calls whose
//! operands are plain words (quoted strings without expansions of their
//! own, variables, `$env:NAME`) are written out: `[-Path] P [-ChildPath]
//! C [[-AdditionalChildPath] D ...]`, joined with `/`.
//!
//! `Resolve-Path P` and `Convert-Path P` (`-Path`, `-LiteralPath`,
//! `-Relative`) return the path P names, so they are written out the same
//! way: `$pfx = Resolve-Path 'certs/x.pfx'` then `[IO.File]::
//! ReadAllBytes($pfx)` reads `certs/x.pfx`.

use super::splatting::{closing, unquoted};

/// The cmdlets whose calls are written out as the paths they return, and
/// the path each returns given its arguments' text.
type PathCall = (&'static str, fn(&str) -> Option<String>);

const PATH_CALLS: [PathCall; 3] = [
    ("join-path", join),
    ("resolve-path", resolved),
    ("convert-path", resolved),
];

/// `code` with its `Join-Path`, `Resolve-Path` and `Convert-Path` calls
/// written as the paths they return, or `None` when it has none that can
/// be.
pub(super) fn rewrite(code: &str) -> Option<String> {
    let lower = code.to_ascii_lowercase();
    if !PATH_CALLS.iter().any(|(name, _)| lower.contains(name)) {
        return None;
    }
    let chars: Vec<char> = code.chars().collect();
    let outside = unquoted(&chars);
    let mut out = String::with_capacity(code.len());
    let mut kept = 0usize;
    let mut at = 0usize;
    let mut changed = false;
    while at < chars.len() {
        let Some((from, end, text)) = call_at(&chars, &outside, at) else {
            at += 1;
            continue;
        };
        if from < kept {
            at += 1;
            continue;
        }
        out.extend(chars.get(kept..from).unwrap_or_default());
        out.push_str(&text);
        kept = end;
        at = end;
        changed = true;
    }
    if !changed {
        return None;
    }
    out.extend(chars.get(kept..).unwrap_or_default());
    Some(out)
}

/// The path call ([`PATH_CALLS`]) whose name starts at `at` (outside
/// quotes): the span it replaces and the string written there. In
/// parentheses (`(...)` or `$(...)`) the parenthesised expression is
/// replaced; after `=` (an assignment's value) the rest of the statement,
/// unless it is piped on.
fn call_at(chars: &[char], outside: &[bool], at: usize) -> Option<(usize, usize, String)> {
    if !outside.get(at).copied().unwrap_or(false) {
        return None;
    }
    let (name, path_of) = PATH_CALLS.iter().find(|(name, _)| {
        chars
            .get(at..at + name.len())
            .is_some_and(|word| word.iter().collect::<String>().eq_ignore_ascii_case(name))
    })?;
    let name_len = name.len();
    if !chars.get(at + name_len).is_some_and(|c| c.is_whitespace()) {
        return None;
    }
    let mut before = at;
    while before > 0
        && chars
            .get(before - 1)
            .is_some_and(|c| *c == ' ' || *c == '\t')
    {
        before -= 1;
    }
    let opener = before.checked_sub(1)?;
    let (from, end, inner_end) = match chars.get(opener)? {
        '(' => {
            let end = closing(chars, opener);
            let from = if opener > 0 && chars.get(opener - 1) == Some(&'$') {
                opener - 1
            } else {
                opener
            };
            (from, end, end.checked_sub(1)?)
        }
        '=' if !matches!(
            opener.checked_sub(1).and_then(|p| chars.get(p)),
            Some('=' | '!' | '<' | '>')
        ) =>
        {
            let mut end = at;
            while let Some(&c) = chars.get(end) {
                let out = outside.get(end).copied().unwrap_or(false);
                if out && matches!(c, ';' | '\n' | '}' | ')') {
                    break;
                }
                if out && c == '|' {
                    return None;
                }
                end += 1;
            }
            (at, end, end)
        }
        _ => return None,
    };
    if chars.get(inner_end) != Some(&')') && chars.get(opener) == Some(&'(') {
        return None;
    }
    let args: String = chars.get(at + name_len..inner_end)?.iter().collect();
    let path = path_of(&args)?;
    Some((from, end, format!("\"{path}\"")))
}

/// The path `Resolve-Path ARGS` (or `Convert-Path ARGS`) returns: the one
/// path given, as [`join`] writes it; `None` for anything else (a base
/// for `-Relative` to be relative to, a second path, an operand that is
/// not a plain word).
fn resolved(args: &str) -> Option<String> {
    let mut path: Option<String> = None;
    let mut skip_value = false;
    for word in words(args)? {
        if skip_value {
            skip_value = false;
            continue;
        }
        if let Some(name) = word.strip_prefix('-').filter(|n| {
            n.starts_with(|c: char| c.is_ascii_alphabetic()) && !word.starts_with(['\'', '"'])
        }) {
            match name.to_ascii_lowercase().as_str() {
                "path" | "literalpath" | "lp" | "pspath" | "relative" => {}
                "erroraction" | "ea" => skip_value = true,
                _ => return None,
            }
            continue;
        }
        if path.replace(operand(&word)?).is_some() {
            return None;
        }
    }
    path
}

/// The path `Join-Path ARGS` returns, as the inner text of a
/// double-quoted string; `None` for operands that are not plain words.
fn join(args: &str) -> Option<String> {
    let mut path: Option<String> = None;
    let mut child: Option<String> = None;
    let mut more: Vec<String> = Vec::new();
    let mut pending: Option<&str> = None;
    for word in words(args)? {
        if let Some(name) = word.strip_prefix('-').filter(|n| {
            n.starts_with(|c: char| c.is_ascii_alphabetic()) && !word.starts_with(['\'', '"'])
        }) {
            let name = name.to_ascii_lowercase();
            let full = ["path", "childpath", "additionalchildpath", "resolve"]
                .into_iter()
                .find(|full| full.starts_with(name.as_str()))?;
            if full != "resolve" {
                pending = Some(full);
            }
            continue;
        }
        let value = operand(&word)?;
        match pending.take() {
            Some("path") => path = Some(value),
            Some("childpath") => child = Some(value),
            Some(_) => more.push(value),
            None if path.is_none() => path = Some(value),
            None if child.is_none() => child = Some(value),
            None => more.push(value),
        }
    }
    let mut joined = path?.trim_end_matches('/').to_owned();
    for part in std::iter::once(child?).chain(more) {
        joined.push('/');
        joined.push_str(part.trim_start_matches('/'));
    }
    Some(joined)
}

/// The words of `args`, split at blanks outside quotes; `None` when a
/// quote does not close.
fn words(args: &str) -> Option<Vec<String>> {
    let (words, closed) = super::super::runners::quoted_words(args);
    closed.then_some(words)
}

/// A plain operand as text for a double-quoted string: a quoted string
/// holding nothing that expands or escapes, or a bare word of path
/// characters and variables. `\` becomes `/`.
fn operand(word: &str) -> Option<String> {
    let (text, single) = match word.chars().next()? {
        '\'' => (word.get(1..word.len() - 1)?, true),
        '"' => (word.get(1..word.len() - 1)?, false),
        _ => (word, false),
    };
    let special = |c: char| {
        matches!(
            c,
            '`' | '"' | '(' | ')' | '{' | '}' | '[' | ']' | '@' | ',' | ';' | '|'
        ) || (single && matches!(c, '$' | '\''))
    };
    if text.chars().any(special) {
        return None;
    }
    Some(text.replace('\\', "/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_path_calls_become_their_paths() {
        assert_eq!(
            rewrite("Remove-Item -LiteralPath (Join-Path $HOME '.writ') -Recurse").as_deref(),
            Some("Remove-Item -LiteralPath \"$HOME/.writ\" -Recurse")
        );
        assert_eq!(
            rewrite("$p = Join-Path -Path $env:USERPROFILE -ChildPath .writ ledger.db; rm $p")
                .as_deref(),
            Some("$p = \"$env:USERPROFILE/.writ/ledger.db\"; rm $p")
        );
        assert_eq!(
            rewrite("Get-Item \"$(Join-Path C:\\work\\ 'out')\"").as_deref(),
            None,
            "inside a string it is left to the shell"
        );
        assert_eq!(rewrite("Remove-Item (Join-Path $d (Get-Date))"), None);
        assert_eq!(rewrite("Remove-Item (Join-Path $d '$x')"), None);
        assert_eq!(rewrite("$p = Join-Path a b | Set-Content f"), None);
    }

    #[test]
    fn resolve_path_calls_become_their_paths() {
        assert_eq!(
            rewrite("$pfx = Resolve-Path -Path 'certs\\x.pfx'\n$b = 1").as_deref(),
            Some("$pfx = \"certs/x.pfx\"\n$b = 1")
        );
        assert_eq!(
            rewrite("Get-Content (Convert-Path -LiteralPath $f -ErrorAction Stop)").as_deref(),
            Some("Get-Content \"$f\"")
        );
        assert_eq!(rewrite("$p = Resolve-Path a b"), None);
        assert_eq!(rewrite("$p = Resolve-Path a -RelativeBasePath b"), None);
    }
}
