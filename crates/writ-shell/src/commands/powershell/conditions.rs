//! `if` statements whose conditions are constants: `if ($false) { ... }`
//! runs nothing, `if ($true) { A } else { B }` runs A only. Conditions
//! become constants when the text is bound to its arguments: a script or
//! function run with `-WhatIf` has its `$PSCmdlet.ShouldProcess(...)`
//! calls return `$false` (`binding.rs`), so the work they guard does not
//! run. The statement pass ([`super::statements`]) keeps, of each such
//! `if`/`elseif`/`else` chain, the clauses that may run: a clause whose
//! condition is `$false` goes, and one whose condition is `$true` is the
//! last (it becomes the `else`). A constant is `$true`, `$false`, `-not`
//! or `!` of one, or `-and`/`-or` of operands that decide it (`$Force
//! -or $true`); any other condition is unknown and its clause stays.
//!
//! A clause that surely runs and ends with `return` or `exit` (`if (-not
//! $PSCmdlet.ShouldProcess(...)) { return }` under `-WhatIf`) ends its
//! block: what follows it there does not run.

use super::splatting::{closing, split_top, unquoted};

/// One clause of an `if` chain: its condition's text (`None` for
/// `else`) and its block's inner text.
struct Clause {
    condition: Option<String>,
    body: String,
}

/// `code` with its constant `if` conditions decided, or `None` when it
/// has none.
pub(super) fn rewrite(code: &str) -> Option<String> {
    let lower = code.to_ascii_lowercase();
    if !lower.contains("$true") && !lower.contains("$false") {
        return None;
    }
    let chars: Vec<char> = code.chars().collect();
    let outside = unquoted(&chars);
    let mut out = String::with_capacity(code.len());
    let mut changed = false;
    // Where each open bracket stands (a block's `{`, a subexpression's
    // `(`).
    let mut blocks: Vec<usize> = Vec::new();
    let mut at = 0usize;
    while let Some(&c) = chars.get(at) {
        if !outside.get(at).copied().unwrap_or(false) {
            out.push(c);
            at += 1;
            continue;
        }
        match c {
            '{' | '(' | '[' => blocks.push(at),
            '}' | ')' | ']' => {
                blocks.pop();
            }
            'i' | 'I' if statement_start(&chars, at) => {
                if let Some((clauses, end)) = chain(&chars, at)
                    && let Some((text, ends_block)) = decided(&clauses)
                {
                    out.push_str(&text);
                    changed = true;
                    at = if ends_block {
                        // Up to the bracket closing the enclosing block.
                        blocks
                            .last()
                            .map_or(chars.len(), |open| closing(&chars, *open).saturating_sub(1))
                            .max(end)
                    } else {
                        end
                    };
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
        at += 1;
    }
    changed.then_some(out)
}

/// Whether a statement (or a value: `$x = if ...`, `$(if ...)`) may
/// start at `at`.
fn statement_start(chars: &[char], at: usize) -> bool {
    let before = chars
        .get(..at)
        .unwrap_or_default()
        .iter()
        .rev()
        .find(|c| **c != ' ' && **c != '\t' && **c != '\r')
        .copied();
    let adjacent = at
        .checked_sub(1)
        .and_then(|b| chars.get(b))
        .is_none_or(|c| c.is_whitespace() || matches!(c, ';' | '{' | '}' | '(' | '='));
    adjacent && matches!(before, None | Some('\n' | ';' | '{' | '}' | '(' | '='))
}

/// The `if` chain starting at `at`: its clauses and where it ends.
fn chain(chars: &[char], at: usize) -> Option<(Vec<Clause>, usize)> {
    let (condition, body, mut end) = clause(chars, at, "if", true)?;
    let mut clauses = vec![Clause {
        condition: Some(condition),
        body,
    }];
    loop {
        let next = skip_blank(chars, end);
        if let Some((condition, body, after)) = clause(chars, next, "elseif", true) {
            clauses.push(Clause {
                condition: Some(condition),
                body,
            });
            end = after;
        } else if let Some((_, body, after)) = clause(chars, next, "else", false) {
            clauses.push(Clause {
                condition: None,
                body,
            });
            end = after;
            break;
        } else {
            break;
        }
    }
    Some((clauses, end))
}

/// `KEYWORD (CONDITION) { BODY }` (without a condition for `else`) at
/// `at`: the condition's text, the body's, and where the clause ends.
fn clause(
    chars: &[char],
    at: usize,
    keyword: &str,
    conditional: bool,
) -> Option<(String, String, usize)> {
    let length = keyword.chars().count();
    let written: String = chars.get(at..at + length)?.iter().collect();
    if !written.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let mut next = at + length;
    if chars
        .get(next)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
    {
        return None;
    }
    let mut condition = String::new();
    if conditional {
        next = skip_blank(chars, next);
        if chars.get(next) != Some(&'(') {
            return None;
        }
        let close = closing(chars, next);
        condition = chars
            .get(next + 1..close.saturating_sub(1))?
            .iter()
            .collect();
        next = close;
    }
    next = skip_blank(chars, next);
    if chars.get(next) != Some(&'{') {
        return None;
    }
    let close = closing(chars, next);
    let body: String = chars
        .get(next + 1..close.saturating_sub(1))?
        .iter()
        .collect();
    Some((condition, body, close))
}

/// Just past the blanks (line ends too) from `at`.
fn skip_blank(chars: &[char], mut at: usize) -> usize {
    while chars.get(at).is_some_and(|c| c.is_whitespace()) {
        at += 1;
    }
    at
}

/// The chain written with only the clauses that may run (their bodies
/// decided in turn), and whether it surely ends its block (`return`,
/// `exit`); `None` when no condition in it is a constant.
fn decided(clauses: &[Clause]) -> Option<(String, bool)> {
    let mut kept: Vec<(Option<&str>, String)> = Vec::new();
    let mut changed = false;
    for clause in clauses {
        let body = rewrite(&clause.body).unwrap_or_else(|| clause.body.clone());
        match clause.condition.as_deref().map(constant) {
            Some(Some(false)) => changed = true,
            Some(Some(true)) | None => {
                changed |= clause.condition.is_some();
                kept.push((None, body));
                break;
            }
            Some(None) => kept.push((clause.condition.as_deref(), body)),
        }
    }
    if !changed {
        return None;
    }
    let mut text = String::new();
    for (index, (condition, body)) in kept.iter().enumerate() {
        let clause = match (index, condition) {
            (0, Some(condition)) => format!("if ({condition}) {{{body}}}"),
            // What surely runs, still a block of its own.
            (0, None) => format!("if ($true) {{{body}}}"),
            (_, Some(condition)) => format!(" elseif ({condition}) {{{body}}}"),
            (_, None) => format!(" else {{{body}}}"),
        };
        text.push_str(&clause);
    }
    let ends_block = matches!(kept.as_slice(), [(None, body)] if returns(body));
    Some((text, ends_block))
}

/// Whether a block's last statement is `return` or `exit`.
fn returns(body: &str) -> bool {
    let statements = split_top(body, &[';', '\n']);
    let Some(last) = statements.last() else {
        return false;
    };
    let word: String = last
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let rest = last.get(word.len()..).unwrap_or_default();
    let whole = rest.is_empty() || rest.starts_with(char::is_whitespace);
    whole && (word.eq_ignore_ascii_case("return") || word.eq_ignore_ascii_case("exit"))
}

/// The value of a condition that is a constant: `$true`, `$false`,
/// `-not`/`!` of one, `-and`/`-or` of operands that decide it.
fn constant(condition: &str) -> Option<bool> {
    let mut text = condition.trim();
    while let Some(inner) = wrapped(text) {
        text = inner.trim();
    }
    let (operands, operators) = logical_parts(text);
    if operands.len() > 1 {
        let mut value = constant(operands.first()?);
        for (operand, and) in operands.iter().skip(1).zip(operators) {
            let right = constant(operand);
            value = match (and, value, right) {
                (true, Some(false), _) | (true, _, Some(false)) => Some(false),
                (true, Some(true), Some(true)) => Some(true),
                (false, Some(true), _) | (false, _, Some(true)) => Some(true),
                (false, Some(false), Some(false)) => Some(false),
                _ => None,
            };
        }
        return value;
    }
    let lower = text.to_ascii_lowercase();
    if let Some(operand) = lower
        .strip_prefix("-not")
        .filter(|rest| rest.starts_with([' ', '\t', '(', '$']))
        .or_else(|| lower.strip_prefix('!'))
    {
        return constant(operand).map(|value| !value);
    }
    match lower.as_str() {
        "$true" => Some(true),
        "$false" => Some(false),
        _ => None,
    }
}

/// The text inside the parentheses that wrap all of `text`.
fn wrapped(text: &str) -> Option<&str> {
    let chars: Vec<char> = text.chars().collect();
    if chars.first() != Some(&'(') || closing(&chars, 0) != chars.len() {
        return None;
    }
    text.get(1..text.len() - 1)
}

/// A condition's operands at its top-level `-and`/`-or` operators, and
/// the operators (`true` for `-and`), left to right.
fn logical_parts(text: &str) -> (Vec<String>, Vec<bool>) {
    let chars: Vec<char> = text.chars().collect();
    let outside = unquoted(&chars);
    let mut operands = Vec::new();
    let mut operators = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    let mut at = 0usize;
    while let Some(&c) = chars.get(at) {
        if outside.get(at).copied().unwrap_or(false) {
            match c {
                '(' | '{' | '[' => depth += 1,
                ')' | '}' | ']' => depth = depth.saturating_sub(1),
                '-' if depth == 0 => {
                    let word: String = chars
                        .get(at + 1..)
                        .unwrap_or_default()
                        .iter()
                        .take_while(|c| c.is_ascii_alphabetic())
                        .collect();
                    let lower = word.to_ascii_lowercase();
                    let after = chars.get(at + 1 + word.len());
                    let separated = at > 0
                        && chars
                            .get(at - 1)
                            .is_some_and(|c| c.is_whitespace() || *c == ')')
                        && after.is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '$'));
                    if separated && (lower == "and" || lower == "or") {
                        operands.push(chars.get(start..at).unwrap_or_default().iter().collect());
                        operators.push(lower == "and");
                        at += 1 + word.len();
                        start = at;
                        continue;
                    }
                }
                _ => {}
            }
        }
        at += 1;
    }
    operands.push(chars.get(start..).unwrap_or_default().iter().collect());
    (operands, operators)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_conditions() {
        assert_eq!(constant("$false"), Some(false));
        assert_eq!(constant(" (-not ($False)) "), Some(true));
        assert_eq!(constant("!$true"), Some(false));
        assert_eq!(constant("$Force -or $true"), Some(true));
        assert_eq!(constant("$Force -and $false"), Some(false));
        assert_eq!(constant("$Force -or $false"), None);
        assert_eq!(constant("$x -eq '-and $false'"), None);
        assert_eq!(constant("$LASTEXITCODE -ne 0"), None);
    }

    #[test]
    fn only_the_clauses_that_may_run_stay() {
        assert_eq!(
            rewrite("a\nif ($false) { rm x }\nb").as_deref(),
            Some("a\n\nb")
        );
        assert_eq!(
            rewrite("if ($false) { a } elseif ($y) { b } else { c }").as_deref(),
            Some("if ($y) { b } else { c }")
        );
        assert_eq!(
            rewrite("If ($true) { a } else { b }\nc").as_deref(),
            Some("if ($true) { a }\nc")
        );
        assert_eq!(
            rewrite("$v = if ($false) { 'a' } else { 'b' }").as_deref(),
            Some("$v = if ($true) { 'b' }")
        );
        assert_eq!(rewrite("if ($x) { $true }"), None);
        assert_eq!(rewrite("Write-Host 'if ($false) { x }'"), None);
    }

    #[test]
    fn a_clause_that_returns_ends_its_block() {
        assert_eq!(
            rewrite("a\nif (-not $false) { Write-Warning 'skip'; return }\nrm x").as_deref(),
            Some("a\nif ($true) { Write-Warning 'skip'; return }")
        );
        assert_eq!(
            rewrite("& {\nif (!$false) { exit 1 }\nrm x\n}\nb").as_deref(),
            Some("& {\nif ($true) { exit 1 }}\nb")
        );
        assert_eq!(
            rewrite("$v = $(if (-not $false) { return }; rm x)").as_deref(),
            Some("$v = $(if ($true) { return })")
        );
        assert_eq!(
            rewrite("if (-not $true) { return }\nrm x").as_deref(),
            Some("\nrm x")
        );
    }
}
