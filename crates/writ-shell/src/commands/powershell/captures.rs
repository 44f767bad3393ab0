//! Statements whose output is assigned: `$jobs = foreach ($t in $list) {
//! ... }`, `$type = switch ($ext) { '.html' { 'text/html' } ... }`, `$v =
//! if ($a) { 1 } else { 2 }`, `$r = try { ... } catch { ... }`. PowerShell
//! collects what the statement writes into the variable, just as it does
//! for the subexpression `$( ... )` around it, so the statement pass
//! ([`super::statements`]) writes the statement as that subexpression:
//! the keyword then starts a statement of its own, which the later passes
//! (a loop over a literal list unrolled, `loops.rs`) and the rewrite into
//! shell text read as they read any other, and the shell text assigns
//! the substitution's output.

use super::splatting::{closing, unquoted};
use super::statements::{assignment, statements};

/// Keywords that start a statement whose output an assignment can take.
const CAPTURED: &[&str] = &["foreach", "for", "while", "do", "switch", "if", "try"];

/// `code` with each assigned keyword statement written as a
/// subexpression, or `None` when it has none.
pub(super) fn rewrite(code: &str) -> Option<String> {
    let lower = code.to_ascii_lowercase();
    if !CAPTURED.iter().any(|k| lower.contains(k)) {
        return None;
    }
    let chars: Vec<char> = code.chars().collect();
    let outside = unquoted(&chars);
    // Character positions where `$(` opens and `)` closes.
    let mut inserts: Vec<(usize, &str)> = Vec::new();
    for (start, end) in statements(code) {
        let statement = code.get(start..end).unwrap_or_default();
        let Some((_, value)) = assignment(statement) else {
            continue;
        };
        let Some(keyword) = leading_keyword(value) else {
            continue;
        };
        // The value's place in `code`, counted in characters.
        let value_at = start + (statement.len() - value.len());
        let Some(at) = code
            .get(..value_at)
            .map(|before| before.chars().count())
            .filter(|at| outside.get(*at).copied().unwrap_or(false))
        else {
            continue;
        };
        if let Some(end) = statement_end(&chars, &outside, at, keyword) {
            inserts.push((at, "$("));
            inserts.push((end, ")"));
        }
    }
    if inserts.is_empty() {
        return None;
    }
    // Stable: a statement nested in another closes before the one around it.
    inserts.sort_by_key(|(at, _)| *at);
    let mut out = String::with_capacity(code.len() + inserts.len() * 2);
    let mut kept = 0usize;
    for (at, text) in inserts {
        out.extend(chars.get(kept..at).unwrap_or_default());
        out.push_str(text);
        kept = at;
    }
    out.extend(chars.get(kept..).unwrap_or_default());
    Some(out)
}

/// The keyword (lower case) that starts `value` as a whole word.
fn leading_keyword(value: &str) -> Option<&'static str> {
    let word: String = value
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_lowercase();
    let keyword = CAPTURED.iter().find(|k| **k == word)?;
    let next = value.chars().nth(word.len());
    next.is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '{'))
        .then_some(*keyword)
}

/// Just past the keyword statement that starts at `at`: its block, with
/// an `if`'s `elseif`/`else` blocks, a `try`'s `catch`/`finally` blocks
/// and a `do` block's `while (...)`/`until (...)`.
fn statement_end(chars: &[char], outside: &[bool], at: usize, keyword: &str) -> Option<usize> {
    let mut end = block_end(chars, outside, at + keyword.len())?;
    let followers: &[&str] = match keyword {
        "if" => &["elseif", "else"],
        "try" => &["catch", "finally"],
        "do" => {
            let (word, after) = next_word(chars, end);
            if !matches!(word.as_str(), "while" | "until") {
                return None;
            }
            let open = skip_blank(chars, after);
            return (chars.get(open) == Some(&'(')).then(|| closing(chars, open));
        }
        _ => &[],
    };
    loop {
        let (word, after) = next_word(chars, end);
        if !followers.contains(&word.as_str()) {
            return Some(end);
        }
        end = block_end(chars, outside, after)?;
        if word == "else" || word == "finally" {
            return Some(end);
        }
    }
}

/// Just past the `{ ... }` block that follows `from`, stepping over a
/// head (`($t in $list)`, `-Regex ($x)`, `[System.Exception]`); `None`
/// when the statement ends first.
fn block_end(chars: &[char], outside: &[bool], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(&c) = chars.get(at) {
        if !outside.get(at).copied().unwrap_or(false) {
            at += 1;
            continue;
        }
        match c {
            '{' => return Some(closing(chars, at)),
            '(' | '[' => at = closing(chars, at),
            ';' | '}' | ')' | ']' => return None,
            _ => at += 1,
        }
    }
    None
}

/// The word (lower case) after the blanks and line breaks from `at`, and
/// just past it.
fn next_word(chars: &[char], at: usize) -> (String, usize) {
    let start = skip_blank(chars, at);
    let word: String = chars
        .get(start..)
        .unwrap_or_default()
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let end = start + word.chars().count();
    (word.to_ascii_lowercase(), end)
}

/// Just past the blanks and line breaks from `at`.
fn skip_blank(chars: &[char], mut at: usize) -> usize {
    while chars.get(at).is_some_and(|c| c.is_whitespace()) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assigned_statements_become_subexpressions() {
        assert_eq!(
            rewrite("$jobs = foreach ($t in $l) {\n  Start-Job { 1 }\n}\n$jobs | Wait-Job")
                .as_deref(),
            Some("$jobs = $(foreach ($t in $l) {\n  Start-Job { 1 }\n})\n$jobs | Wait-Job")
        );
        assert_eq!(
            rewrite("$t = switch ($e) { '.js' { 'a' } default { 'b' } }; x").as_deref(),
            Some("$t = $(switch ($e) { '.js' { 'a' } default { 'b' } }); x")
        );
        assert_eq!(
            rewrite("$v = if ($a) { 1 }\nelseif ($b) { 2 } else { 3 }\n$w").as_deref(),
            Some("$v = $(if ($a) { 1 }\nelseif ($b) { 2 } else { 3 })\n$w")
        );
        assert_eq!(
            rewrite("$r = try { irm $u } catch [System.Net.WebException] { 0 } finally { 1 }")
                .as_deref(),
            Some("$r = $(try { irm $u } catch [System.Net.WebException] { 0 } finally { 1 })")
        );
        assert_eq!(
            rewrite("$n = do { $i++ } while ($i -lt 3)").as_deref(),
            Some("$n = $(do { $i++ } while ($i -lt 3))")
        );
    }

    #[test]
    fn nested_captures_nest() {
        assert_eq!(
            rewrite("$a = foreach ($x in $l) { $b = if ($x) { 1 } else { 2 }; $b }").as_deref(),
            Some("$a = $(foreach ($x in $l) { $b = $(if ($x) { 1 } else { 2 }); $b })")
        );
    }

    #[test]
    fn other_assignments_are_left() {
        for code in [
            "$x = 'if (a) { b }'",
            "$x = iffy -Name y",
            "$forecast = Get-Forecast",
            "$x = do { 1 }",
        ] {
            assert_eq!(rewrite(code), None, "{code}");
        }
    }
}
