//! Python functions that forward their arguments into a call
//! (`def git(*args): return subprocess.run(["git", *args], ...)`): each
//! call of one (`git("push", "--force", "origin", "x")`) is rewritten as
//! the call the function makes with those arguments spread where it
//! spreads them (`subprocess.run(["git", "push", "--force", "origin",
//! "x"], ...)`), so that the literal analysis of `inline` sees the
//! command run.
//!
//! Read: a `def NAME(*ARGS, ...)` whose first parameter gathers the
//! positional arguments and whose body spreads them once (`*ARGS`) into
//! a call's list or arguments. A call of it with keyword arguments, or
//! with a spread of its own, is left as written.

use super::{Literal, literals, storage};

/// Code longer than this is not rewritten.
const MAX_CODE: usize = 64 * 1024;
/// How many forwarding functions are read.
const MAX_FUNCTIONS: usize = 16;

/// A function that forwards its positional arguments into a call.
struct Forwarder {
    name: String,
    /// The call its body makes, before and after where the arguments go.
    call: (String, String),
    /// The function's whole definition, whose text stays as written.
    span: std::ops::Range<usize>,
}

/// `code` (Python, for `program`) with the calls of its forwarding
/// functions rewritten as the calls they make; `None` when there is
/// nothing to rewrite.
pub(super) fn expand(code: &str, program: &str) -> Option<String> {
    let name = program.rsplit('/').next().unwrap_or(program);
    if !name.starts_with("python") || code.len() > MAX_CODE || !code.contains("def ") {
        return None;
    }
    let literals = literals(code);
    let forwarders: Vec<Forwarder> = definitions(code)
        .filter_map(|start| forwarder(code, &literals, start))
        .take(MAX_FUNCTIONS)
        .collect();
    if forwarders.is_empty() {
        return None;
    }
    rewrite_calls(code, &literals, |pos| {
        forwarders
            .iter()
            .filter(|f| !f.span.contains(&pos))
            .find_map(|f| call_site(code, &literals, f, pos).map(|site| (f, site)))
            .map(|(forwarder, (arguments, end))| {
                let (head, tail) = &forwarder.call;
                (format!("{head}{arguments}{tail}"), end)
            })
    })
}

/// `code` with each call `rewrite(pos)` finds outside string literals
/// replaced by the text it gives (up to the end it gives); `None` when no
/// call was rewritten.
pub(super) fn rewrite_calls(
    code: &str,
    literals: &[Literal],
    rewrite: impl Fn(usize) -> Option<(String, usize)>,
) -> Option<String> {
    let mut out = String::with_capacity(code.len());
    let mut copied = 0;
    let mut pos = 0;
    while pos < code.len() {
        if let Some((_, literal)) = storage::literal_at(literals, pos) {
            pos = literal.end;
            continue;
        }
        match rewrite(pos) {
            Some((text, end)) => {
                out.push_str(code.get(copied..pos).unwrap_or_default());
                out.push_str(&text);
                copied = end;
                pos = end;
            }
            None => {
                pos += code
                    .get(pos..)
                    .and_then(|r| r.chars().next())
                    .map_or(1, char::len_utf8)
            }
        }
    }
    if copied == 0 {
        return None;
    }
    out.push_str(code.get(copied..).unwrap_or_default());
    Some(out)
}

/// Where each `def` at the start of a line starts.
fn definitions(code: &str) -> impl Iterator<Item = usize> + '_ {
    code.match_indices("def ").map(|(at, _)| at).filter(|at| {
        code.get(..*at)
            .map(|before| before.trim_end_matches([' ', '\t']))
            .is_some_and(|head| head.is_empty() || head.ends_with(['\n', ';', ':']))
    })
}

/// The function defined at `start` when it forwards its gathered
/// positional arguments (`def NAME(*ARGS...)`) into one call.
fn forwarder(code: &str, literals: &[Literal], start: usize) -> Option<Forwarder> {
    let after_def = code.get(start + "def ".len()..)?;
    let name: String = after_def
        .chars()
        .take_while(|c| storage::is_ident(*c))
        .collect();
    let open = start + "def ".len() + name.len();
    if name.is_empty() || !code.get(open..)?.starts_with('(') {
        return None;
    }
    let close = storage::matching(code, literals, open)?;
    let first = code.get(open + 1..close)?.split(',').next()?.trim();
    let gathered = first.strip_prefix('*').filter(|g| !g.starts_with('*'))?;
    let gathered = gathered.split(':').next()?.trim();
    let end = body_end(code, start);
    let body_start = close + 1;
    let spread = format!("*{gathered}");
    let spreads: Vec<usize> = code
        .get(body_start..end)?
        .match_indices(spread.as_str())
        .map(|(at, _)| body_start + at)
        .filter(|at| is_spread(code, *at, spread.len()))
        .filter(|at| storage::literal_at(literals, *at).is_none())
        .collect();
    let [at] = spreads.as_slice() else {
        return None;
    };
    let (call_start, call_end) = enclosing_call(code, literals, body_start, *at)?;
    let call = (
        code.get(call_start..*at)?.to_owned(),
        code.get(at + spread.len()..=call_end)?.to_owned(),
    );
    Some(Forwarder {
        name,
        call,
        span: start..end,
    })
}

/// True when `*NAME` at `at` (of `len` bytes) spreads a whole name into a
/// list or arguments (after `[`, `(` or `,`).
fn is_spread(code: &str, at: usize, len: usize) -> bool {
    let before = code.get(..at).unwrap_or_default().trim_end();
    let whole = code
        .get(at + len..)
        .and_then(|r| r.chars().next())
        .is_none_or(|c| !storage::is_ident(c));
    whole && !before.ends_with('*') && before.ends_with(['[', '(', ','])
}

/// Where a function defined at `start` ends: before the first line after
/// its header indented no deeper than `def`.
fn body_end(code: &str, start: usize) -> usize {
    let line_start = code
        .get(..start)
        .and_then(|b| b.rfind('\n'))
        .map_or(0, |n| n + 1);
    let indent = start - line_start;
    let mut at = code
        .get(start..)
        .and_then(|r| r.find('\n'))
        .map_or(code.len(), |n| start + n + 1);
    while at < code.len() {
        let line = code.get(at..).unwrap_or_default();
        let line_end = line.find('\n').map_or(code.len(), |n| at + n + 1);
        let text = line.get(..line_end - at).unwrap_or_default();
        let depth = text.len() - text.trim_start_matches([' ', '\t']).len();
        if !text.trim().is_empty() && depth <= indent {
            return at;
        }
        at = line_end;
    }
    code.len()
}

/// The call in the body (from `from`) whose arguments hold the spread at
/// `at`: where its name starts and where its `)` is.
fn enclosing_call(
    code: &str,
    literals: &[Literal],
    from: usize,
    at: usize,
) -> Option<(usize, usize)> {
    let mut open = at;
    loop {
        open = code.get(from..open)?.rfind('(').map(|n| from + n)?;
        if storage::literal_at(literals, open).is_some() {
            continue;
        }
        let close = storage::matching(code, literals, open)?;
        if close < at {
            continue;
        }
        let head = code.get(from..open)?;
        let name_len = head
            .chars()
            .rev()
            .take_while(|c| storage::is_ident(*c) || *c == '.')
            .count();
        if name_len == 0 {
            continue;
        }
        return Some((open - name_len, close));
    }
}

/// The call of `forwarder` at `pos`, when one is: its positional
/// arguments' text and where the call ends.
fn call_site(
    code: &str,
    literals: &[Literal],
    forwarder: &Forwarder,
    pos: usize,
) -> Option<(String, usize)> {
    let rest = code.get(pos..)?;
    let after = rest.strip_prefix(forwarder.name.as_str())?;
    if !after.starts_with('(') {
        return None;
    }
    let before = code.get(..pos)?;
    if before
        .chars()
        .next_back()
        .is_some_and(|c| storage::is_ident(c) || c == '.')
    {
        return None;
    }
    let open = pos + forwarder.name.len();
    let close = storage::matching(code, literals, open)?;
    let arguments = code.get(open + 1..close)?.trim();
    if keyword_or_spread(code, literals, open + 1, close) {
        return None;
    }
    Some((arguments.trim_end_matches(',').to_owned(), close + 1))
}

/// True when the arguments between `start` and `end` include a keyword
/// argument (`check=False`) or a spread (`*rest`) outside strings and
/// brackets.
fn keyword_or_spread(code: &str, literals: &[Literal], start: usize, end: usize) -> bool {
    let mut depth = 0usize;
    let mut pos = start;
    let mut piece_start = true;
    while pos < end {
        if let Some((_, literal)) = storage::literal_at(literals, pos) {
            pos = literal.end;
            piece_start = false;
            continue;
        }
        let Some(c) = code.get(pos..).and_then(|r| r.chars().next()) else {
            break;
        };
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => piece_start = true,
            '*' if depth == 0 && piece_start => return true,
            '=' if depth == 0 => {
                let next = code.get(pos + 1..).and_then(|r| r.chars().next());
                let prev = code.get(..pos).and_then(|b| b.chars().next_back());
                if next != Some('=') && !matches!(prev, Some('=' | '!' | '<' | '>')) {
                    return true;
                }
            }
            _ if c.is_whitespace() => {}
            _ => piece_start = false,
        }
        pos += c.len_utf8();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_of_forwarders_become_the_calls_they_make() {
        let code = "import subprocess\ndef git(*args):\n    return subprocess.run([\"git\", *args], check=True).stdout\n\ngit(\"fetch\")\nprint(git(\"push\", \"-f\"))\n";
        let expanded = expand(code, "python3").unwrap_or_default();
        assert!(expanded.contains("subprocess.run([\"git\", \"fetch\"], check=True)\n"));
        assert!(
            expanded.contains("print(subprocess.run([\"git\", \"push\", \"-f\"], check=True))")
        );
        // The definition stays as written.
        assert!(expanded.contains("def git(*args):\n    return subprocess.run([\"git\", *args]"));
    }

    #[test]
    fn other_functions_and_calls_are_left_alone() {
        // Not a gathered parameter; keyword arguments at the call.
        assert_eq!(
            expand("def g(a):\n    run(['x', *a])\ng('y')\n", "python3"),
            None
        );
        assert_eq!(
            expand(
                "def g(*a):\n    run(['x', *a])\ng('y', check=False)\n",
                "python3"
            ),
            None
        );
        assert_eq!(expand("def g(*a):\n    run(['x', *a])\n", "node"), None);
    }
}
