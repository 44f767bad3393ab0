//! TypeScript's non-null assertions (`Deno.env.get("HOME")!`,
//! `process.env.KEY!`, `map.get(k)!.name`), which only tell the compiler a
//! value is there: made the plain expressions they assert, so that the
//! path evaluator and the literal analysis read the value as they would
//! without the `!`.
//!
//! A `!` is an assertion when it directly follows a name, `)` or `]`
//! outside string literals and no `=` follows it (`a != b`, `a!==b` are
//! comparisons); JavaScript has no other `!` there.

use super::storage::{in_literal, is_ident};
use super::{Literal, literals};

/// Programs that run JavaScript or TypeScript.
const JS_PROGRAMS: &[&str] = &["node", "nodejs", "deno", "bun", "tsx", "ts-node", "esno"];

/// Code longer than this is not rewritten.
const MAX_CODE: usize = 64 * 1024;

/// `code` with its non-null assertions removed; `None` when there is none
/// or the code is not JavaScript's.
pub(super) fn plain(code: &str, program: &str) -> Option<String> {
    let name = program.rsplit('/').next().unwrap_or(program);
    if !JS_PROGRAMS.contains(&name) || code.len() > MAX_CODE || !code.contains('!') {
        return None;
    }
    let literals = literals(code);
    let assertions: Vec<usize> = code
        .match_indices('!')
        .map(|(at, _)| at)
        .filter(|at| is_assertion(code, &literals, *at))
        .collect();
    if assertions.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(code.len());
    let mut copied = 0;
    for at in assertions {
        out.push_str(code.get(copied..at).unwrap_or_default());
        copied = at + 1;
    }
    out.push_str(code.get(copied..).unwrap_or_default());
    Some(out)
}

/// True when the `!` at `at` asserts the expression before it.
fn is_assertion(code: &str, literals: &[Literal], at: usize) -> bool {
    if in_literal(literals, at) {
        return false;
    }
    let before = code
        .get(..at)
        .and_then(|b| b.chars().next_back())
        .is_some_and(|c| is_ident(c) || matches!(c, ')' | ']'));
    let after = code.get(at + 1..).and_then(|r| r.chars().next());
    before && after != Some('=') && !ends_keyword(code, at)
}

/// True when the name just before `at` is a keyword an operand follows
/// (`return!x`, `typeof!x`): its `!` negates what comes after.
fn ends_keyword(code: &str, at: usize) -> bool {
    let head = code.get(..at).unwrap_or_default();
    let start = head
        .char_indices()
        .rev()
        .find(|(_, c)| !is_ident(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    matches!(
        head.get(start..).unwrap_or_default(),
        "return"
            | "typeof"
            | "void"
            | "await"
            | "yield"
            | "case"
            | "in"
            | "of"
            | "else"
            | "do"
            | "throw"
            | "delete"
            | "new"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assertions_are_removed_and_negations_kept() {
        assert_eq!(
            plain(r#"const home = Deno.env.get("HOME")!; x[0]!.y"#, "deno").as_deref(),
            Some(r#"const home = Deno.env.get("HOME"); x[0].y"#)
        );
        assert_eq!(plain("if (a != b && !c) return!d; 'e!'", "node"), None);
        assert_eq!(plain("a!", "python3"), None);
    }
}
