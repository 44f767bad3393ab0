//! JavaScript functions that wrap one call of their parameters (`const
//! run = c => execSync(c, {stdio: "inherit"})`, `function run(c) {
//! return execSync(c) }`, `const sh = (c) => { execSync(c) }`): each call
//! of one (`run("git push --force origin x")`) is rewritten as the call
//! its body makes with the call's arguments in place of the parameters
//! (`execSync("git push --force origin x", {stdio: "inherit"})`), so that
//! the literal analysis of `inline` sees the command run. This is
//! [`super::forwarders`]' reading of Python's `def f(*args)`, for
//! JavaScript's wrappers.
//!
//! Read: a function of plain parameters (no defaults or destructuring)
//! whose body uses them only inside one call's arguments. A last rest
//! parameter (`const gh = (...args) => execFileSync('gh', args)`) stands
//! for the list of the call's remaining arguments (`gh('repo', 'edit')`
//! is `execFileSync('gh', ['repo', 'edit'])`; its spread `...args`, for
//! those arguments). A call of it with a different number of arguments,
//! or with a spread, is left as written.

use std::ops::Range;

use super::storage::token_starts;
use super::{Literal, literals, storage};

/// Code longer than this is not rewritten.
const MAX_CODE: usize = 64 * 1024;
/// How many wrappers are read.
const MAX_WRAPPERS: usize = 16;
/// Programs that run JavaScript or TypeScript.
const JS_PROGRAMS: &[&str] = &["node", "nodejs", "deno", "bun", "tsx", "ts-node"];

/// A function whose body is one call of its parameters.
struct Wrapper {
    name: String,
    params: Vec<String>,
    /// Whether the last parameter is a rest parameter (`...args`).
    rest: bool,
    /// The call its body makes (`execSync(c, {...})`).
    call: Range<usize>,
    /// The function's whole definition, whose text stays as written.
    span: Range<usize>,
}

/// `code` (JavaScript, for `program`) with the calls of its wrapper
/// functions rewritten as the calls they make; `None` when there is
/// nothing to rewrite.
pub(super) fn expand(code: &str, program: &str) -> Option<String> {
    let name = program.rsplit('/').next().unwrap_or(program);
    if !JS_PROGRAMS.contains(&name) || code.len() > MAX_CODE {
        return None;
    }
    let literals = literals(code);
    let wrappers: Vec<Wrapper> = (0..code.len())
        .filter(|at| code.is_char_boundary(*at) && storage::literal_at(&literals, *at).is_none())
        .filter_map(|at| wrapper(code, &literals, at))
        .take(MAX_WRAPPERS)
        .collect();
    if wrappers.is_empty() {
        return None;
    }
    super::forwarders::rewrite_calls(code, &literals, |pos| {
        wrappers
            .iter()
            .filter(|w| !w.span.contains(&pos))
            .find_map(|w| call_site(code, &literals, w, pos))
    })
}

/// The name starting at `pos`.
fn name_at(code: &str, pos: usize) -> &str {
    let rest = code.get(pos..).unwrap_or_default();
    let len = rest
        .char_indices()
        .find(|(_, c)| !storage::is_ident(*c))
        .map_or(rest.len(), |(i, _)| i);
    rest.get(..len).unwrap_or_default()
}

/// `code` from `pos` past spaces.
fn skip_space(code: &str, pos: usize) -> usize {
    let rest = code.get(pos..).unwrap_or_default();
    pos + (rest.len() - rest.trim_start().len())
}

/// The wrapper defined at `start`: `function NAME(PARAMS) {BODY}`, or
/// `NAME = (PARAMS) => BODY` / `NAME = PARAM => BODY` / `NAME =
/// function (PARAMS) {BODY}` (after `const`, `let` or `var`).
fn wrapper(code: &str, literals: &[Literal], start: usize) -> Option<Wrapper> {
    if !token_starts(code, start) {
        return None;
    }
    let word = name_at(code, start);
    let (name, params, body_start) = if word == "function" {
        let name_start = skip_space(code, start + word.len());
        let name = name_at(code, name_start);
        let open = skip_space(code, name_start + name.len());
        let (params, close) = parameters(code, literals, open)?;
        (name, params, skip_space(code, close + 1))
    } else {
        let name = word;
        let eq = skip_space(code, start + name.len());
        let rest = code.get(eq..)?;
        if !rest.starts_with('=') || rest.starts_with("==") || rest.starts_with("=>") {
            return None;
        }
        let mut at = skip_space(code, eq + 1);
        if name_at(code, at) == "async" {
            at = skip_space(code, at + "async".len());
        }
        if name_at(code, at) == "function" {
            let open = skip_space(code, at + "function".len());
            let (params, close) = parameters(code, literals, open)?;
            (name, params, skip_space(code, close + 1))
        } else {
            let (params, after) = if code.get(at..)?.starts_with('(') {
                let (params, close) = parameters(code, literals, at)?;
                (params, close + 1)
            } else {
                let param = name_at(code, at);
                (vec![param.to_owned()], at + param.len())
            };
            let arrow = skip_space(code, after);
            if !code.get(arrow..)?.starts_with("=>") {
                return None;
            }
            (name, params, skip_space(code, arrow + 2))
        }
    };
    let plain = |n: &str| n.chars().next().is_some_and(|c| !c.is_ascii_digit()) && !n.is_empty();
    let mut params = params;
    let rest = params
        .last_mut()
        .and_then(|last| {
            last.strip_prefix("...")
                .map(str::to_owned)
                .map(|n| *last = n)
        })
        .is_some();
    if !plain(name) || params.is_empty() || !params.iter().all(|p| plain(p)) {
        return None;
    }
    let body = if code.get(body_start..)?.starts_with('{') {
        body_start..storage::matching(code, literals, body_start)? + 1
    } else {
        // An arrow's expression body: a call (with methods of what it
        // returns, `.toString()`) that ends the expression.
        let callee = callee_len(code, body_start)?;
        let mut end = storage::matching(code, literals, body_start + callee)? + 1;
        while code.get(end..)?.starts_with('.') {
            let method = callee_len(code, end + 1)?;
            end = storage::matching(code, literals, end + 1 + method)? + 1;
        }
        let rest = code.get(end..)?.trim_start_matches([' ', '\t']);
        let ends = rest.is_empty() || rest.starts_with([';', '\n', '\r', ',', ')', '}']);
        ends.then_some(body_start..end)?
    };
    let call = one_call(code, literals, &params, body.clone())?;
    Some(Wrapper {
        name: name.to_owned(),
        params,
        rest,
        call,
        span: start..body.end,
    })
}

/// The plain names between the parentheses opened at `open`, and where
/// they close.
fn parameters(code: &str, literals: &[Literal], open: usize) -> Option<(Vec<String>, usize)> {
    if !code.get(open..)?.starts_with('(') {
        return None;
    }
    let close = storage::matching(code, literals, open)?;
    let inner = code.get(open + 1..close)?;
    let params: Vec<String> = inner
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    let last = params.len().saturating_sub(1);
    params
        .iter()
        .enumerate()
        .all(|(i, p)| {
            let p = if i == last {
                p.strip_prefix("...").unwrap_or(p)
            } else {
                p
            };
            p.chars().all(storage::is_ident)
        })
        .then_some((params, close))
}

/// The length of a callee (`execSync`, `cp.execSync`) at `pos` that an
/// argument list follows.
fn callee_len(code: &str, pos: usize) -> Option<usize> {
    let rest = code.get(pos..)?;
    let len = rest
        .char_indices()
        .find(|(_, c)| !(storage::is_ident(*c) || *c == '.'))
        .map_or(rest.len(), |(i, _)| i);
    (len > 0 && rest.get(len..)?.starts_with('(')).then_some(len)
}

/// Where each of `params` is used in `range`, outside literals.
fn uses(
    code: &str,
    literals: &[Literal],
    params: &[String],
    range: Range<usize>,
) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut pos = range.start;
    while pos < range.end {
        if let Some((_, literal)) = storage::literal_at(literals, pos) {
            pos = literal.end;
            continue;
        }
        let name = name_at(code, pos);
        let spread = code.get(..pos).is_some_and(|b| b.ends_with("..."));
        if !name.is_empty() && (token_starts(code, pos) || spread) {
            if let Some(index) = params.iter().position(|p| p == name) {
                found.push((pos, index));
            }
            pos += name.len();
            continue;
        }
        pos += code
            .get(pos..)
            .and_then(|r| r.chars().next())
            .map_or(1, char::len_utf8);
    }
    found
}

/// The one call in `body` whose arguments hold every use of `params`.
fn one_call(
    code: &str,
    literals: &[Literal],
    params: &[String],
    body: Range<usize>,
) -> Option<Range<usize>> {
    let used = uses(code, literals, params, body.clone());
    let first = used.first()?.0;
    let last = used.last()?.0;
    let mut calls = Vec::new();
    let mut pos = body.start;
    while pos < first {
        if let Some((_, literal)) = storage::literal_at(literals, pos) {
            pos = literal.end;
            continue;
        }
        if token_starts(code, pos)
            && let Some(len) = callee_len(code, pos)
            && !matches!(
                name_at(code, pos),
                "return" | "if" | "while" | "for" | "switch"
            )
        {
            let close = storage::matching(code, literals, pos + len)?;
            if close > last && close < body.end {
                calls.push(pos..close + 1);
            }
        }
        pos += code
            .get(pos..)
            .and_then(|r| r.chars().next())
            .map_or(1, char::len_utf8);
    }
    // The innermost call around the uses, and no other use outside it.
    calls.into_iter().next_back()
}

/// The call the wrapper makes for a call of it at `pos`, and where that
/// call ends.
fn call_site(
    code: &str,
    literals: &[Literal],
    wrapper: &Wrapper,
    pos: usize,
) -> Option<(String, usize)> {
    if !token_starts(code, pos) || name_at(code, pos) != wrapper.name {
        return None;
    }
    let open = pos + wrapper.name.len();
    if !code.get(open..)?.starts_with('(') {
        return None;
    }
    let close = storage::matching(code, literals, open)?;
    let arguments: Vec<&str> = storage::top_level_split(code, literals, open + 1..close)?
        .into_iter()
        .map(|(_, argument)| argument.trim())
        .collect();
    let counts = if wrapper.rest {
        arguments.len() + 1 >= wrapper.params.len()
    } else {
        arguments.len() == wrapper.params.len()
    };
    if !counts || arguments.iter().any(|a| a.starts_with("...")) {
        return None;
    }
    let rest_at = wrapper.params.len().saturating_sub(1);
    let mut text = String::new();
    let mut copied = wrapper.call.start;
    for (at, index) in uses(code, literals, &wrapper.params, wrapper.call.clone()) {
        if wrapper.rest && index == rest_at {
            let remaining = arguments.get(rest_at..).unwrap_or_default().join(", ");
            // `...args` spreads them in place; `args` is their list.
            let spread_at = at
                .checked_sub(3)
                .filter(|s| code.get(*s..at) == Some("..."));
            match spread_at {
                Some(spread) => {
                    text.push_str(code.get(copied..spread)?);
                    text.push_str(&remaining);
                }
                None => {
                    text.push_str(code.get(copied..at)?);
                    text.push_str(&format!("[{remaining}]"));
                }
            }
        } else {
            text.push_str(code.get(copied..at)?);
            text.push_str(arguments.get(index)?);
        }
        copied = at + wrapper.params.get(index)?.len();
    }
    text.push_str(code.get(copied..wrapper.call.end)?);
    Some((text, close + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(code: &str) -> String {
        expand(code, "node").unwrap_or_else(|| code.to_owned())
    }

    #[test]
    fn calls_of_wrappers_become_the_calls_they_make() {
        assert_eq!(
            node(r#"const run = c => execSync(c, { stdio: "inherit" }); run("git push")"#),
            r#"const run = c => execSync(c, { stdio: "inherit" }); execSync("git push", { stdio: "inherit" })"#
        );
        assert_eq!(
            node(r#"function sh(c) { return cp.execSync(c).toString() } sh("ls")"#),
            r#"function sh(c) { return cp.execSync(c).toString() } cp.execSync("ls")"#
        );
        assert_eq!(
            node(r#"const sh = (c, o) => { execSync(c, o) }; sh("ls", {})"#),
            r#"const sh = (c, o) => { execSync(c, o) }; execSync("ls", {})"#
        );
        assert_eq!(
            node(r#"const gh = (...a) => execFileSync('gh', a, {}); gh('repo', 'edit', r)"#),
            r#"const gh = (...a) => execFileSync('gh', a, {}); execFileSync('gh', ['repo', 'edit', r], {})"#
        );
        assert_eq!(
            node(r#"const git = (...a) => spawnSync('git', [...a]); git('push')"#),
            r#"const git = (...a) => spawnSync('git', [...a]); spawnSync('git', ['push'])"#
        );
    }

    #[test]
    fn other_functions_and_calls_are_left_alone() {
        for code in [
            r#"const f = c => g(c) + h(c); f("x")"#,
            r#"const run = c => execSync(c); run("a", "b")"#,
            r#"const run = c => execSync(c); run(...cmds)"#,
            r#"const n = 1 + 2; n("x")"#,
        ] {
            assert_eq!(node(code), code);
        }
        assert_eq!(expand("run = c => os.system(c)", "python3"), None);
    }
}
