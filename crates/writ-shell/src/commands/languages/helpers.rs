//! Calls of a Go or Rust program's own helper functions, read as their
//! bodies: after `func write(p string, v any) { ... os.WriteFile(p, b,
//! 0o644) }`, the call `write(filepath.Join(".claude", "settings.json"),
//! v)` writes that file. Each call given a string literal gets a copy of
//! the helper's body, each parameter made the call's argument, appended
//! as a block of its own.
//!
//! Methods, generic functions, `main`, variadic helpers (read by
//! [`crate::commands::inline::wrappers_compiled`]) and calls with another
//! number of arguments are left alone; so are calls inside the helper.

use super::braces::{MAX_CODE, call_args, in_literal, is_ident, starts_name};
use crate::commands::inline::{literals, matching_bracket};

/// How many copies are appended.
const MAX_COPIES: usize = 16;
/// The longest body copied.
const MAX_BODY: usize = 8 * 1024;

/// A helper function: its name, parameters and body's span.
struct Helper {
    name: String,
    params: Vec<String>,
    /// The body between its braces.
    body: (usize, usize),
}

/// `code` with a copy of a helper's body per call given a literal; `None`
/// when there is none.
pub(super) fn inlined(code: &str) -> Option<String> {
    if code.len() > MAX_CODE {
        return None;
    }
    let found = literals(code);
    let helpers = helpers(code);
    let mut copies = Vec::new();
    for helper in &helpers {
        for (at, _) in code.match_indices(helper.name.as_str()) {
            if copies.len() >= MAX_COPIES {
                break;
            }
            let open = at + helper.name.len();
            if in_literal(&found, at)
                || !starts_name(code, at)
                || code.get(open..=open) != Some("(")
                || (helper.body.0 <= at && at < helper.body.1)
                || defines(code, at)
            {
                continue;
            }
            let Some((pieces, _)) = call_args(code, &found, open) else {
                continue;
            };
            let args: Vec<&str> = pieces
                .iter()
                .filter_map(|(s, e)| code.get(*s..*e))
                .collect();
            if args.len() != helper.params.len() || !args.iter().any(|a| a.contains('"')) {
                continue;
            }
            let body = code.get(helper.body.0..helper.body.1).unwrap_or_default();
            copies.push(with_arguments(body, &helper.params, &args));
        }
    }
    if copies.is_empty() {
        return None;
    }
    let mut out = code.to_owned();
    for copy in copies {
        out.push_str("\n{\n");
        out.push_str(&copy);
        out.push_str("\n}\n");
    }
    Some(out)
}

/// True when the name at `at` is a function's definition (`func NAME(`,
/// `fn NAME(`).
fn defines(code: &str, at: usize) -> bool {
    let head = code.get(..at).unwrap_or_default().trim_end();
    head.ends_with("func") || head.ends_with("fn")
}

/// The helpers `code` defines.
fn helpers(code: &str) -> Vec<Helper> {
    let found = literals(code);
    let mut out = Vec::new();
    for keyword in ["func ", "fn "] {
        for (at, _) in code.match_indices(keyword) {
            if in_literal(&found, at) || !starts_name(code, at) {
                continue;
            }
            let rest = code.get(at + keyword.len()..).unwrap_or_default();
            let name: String = rest.chars().take_while(|c| is_ident(*c)).collect();
            let open = at + keyword.len() + name.len();
            if name.is_empty() || name == "main" || code.get(open..=open) != Some("(") {
                continue;
            }
            let Some((pieces, close)) = call_args(code, &found, open) else {
                continue;
            };
            let params: Option<Vec<String>> = pieces
                .iter()
                .map(|(s, e)| parameter(code.get(*s..*e).unwrap_or_default()))
                .collect();
            let Some(params) = params.filter(|p| !p.is_empty()) else {
                continue;
            };
            let Some(body_open) = code
                .get(close..)
                .and_then(|r| r.find('{'))
                .map(|n| close + n)
                .filter(|b| !code.get(close..*b).unwrap_or_default().contains([';', '}']))
            else {
                continue;
            };
            let Some(body_close) = matching_bracket(code, &found, body_open) else {
                continue;
            };
            if body_close - body_open > MAX_BODY {
                continue;
            }
            out.push(Helper {
                name,
                params,
                body: (body_open + 1, body_close),
            });
        }
    }
    out
}

/// A parameter's name (`p string`, `p`, `mut p: &str`), or `None` for one
/// this does not copy (a receiver, a pattern, a variadic one).
fn parameter(piece: &str) -> Option<String> {
    if piece.contains("...") || piece.contains("self") {
        return None;
    }
    let piece = piece.trim().trim_start_matches("mut ").trim_start();
    let name: String = piece.chars().take_while(|c| is_ident(*c)).collect();
    let after = piece.get(name.len()..).unwrap_or_default().trim_start();
    let plain = after.is_empty()
        || after.starts_with(':')
        || after.starts_with(|c: char| c.is_alphabetic() || matches!(c, '*' | '[' | '&'));
    (!name.is_empty() && plain).then_some(name)
}

/// `body` with each parameter made its argument.
fn with_arguments(body: &str, params: &[String], args: &[&str]) -> String {
    let mut out = body.to_owned();
    // Through markers, so an argument naming another parameter stays.
    for (index, param) in params.iter().enumerate() {
        out = super::braces::replace_name(&out, param, &format!("__writ_arg_{index}__"), true);
    }
    for (index, arg) in args.iter().enumerate() {
        out = out.replace(&format!("__writ_arg_{index}__"), arg);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helper_calls_get_their_bodies() {
        let code = "func write(p string, v any) {\n\tos.WriteFile(p, b, 0o644)\n}\nfunc main() {\n\twrite(filepath.Join(\".claude\", \"x.json\"), agent)\n}\n";
        let out = inlined(code).unwrap_or_default();
        assert!(out.ends_with(
            "{\n\n\tos.WriteFile(filepath.Join(\".claude\", \"x.json\"), b, 0o644)\n\n}\n"
        ));
        // A call without a literal, or a variadic helper: nothing to copy.
        assert_eq!(inlined("func w(p string) { f(p) }\nw(x)\n"), None);
        assert_eq!(inlined("func w(a ...string) { f(a) }\nw(\"x\")\n"), None);
    }
}
