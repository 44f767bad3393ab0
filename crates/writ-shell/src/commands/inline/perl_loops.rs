//! Perl's `foreach` loops over a list the code writes out, unrolled: `for
//! my $f (".a", ".b") { unlink $f }`, `foreach my $f (qw(a b)) {...}`,
//! `for (LIST) {...}` binding `$_`, a list held in an array assigned it
//! (`my @f = ("a", "b"); for my $x (@f) {...}`) and the statement
//! modifier (`unlink $_ for qw(a b);`).
//!
//! The body is written out once per item, each copy with the loop
//! variable written in as that item: as a string literal in code, as its
//! text inside an interpolating string (`"$f.bak"`), so the calls in it
//! name the files they are given (`rename(".a", ".a.bak")`). A loop over
//! anything else (a range, a call's result, C's three-part `for`) is left
//! as written.
//!
//! An array a process call is given (`my @cmd = ("kubectl", ...);
//! system(@cmd)`) is written in as its list, so the call names its words.

use super::{Literal, literals, matching_bracket};

/// The longest code unrolled, in bytes: a bigger result is not made.
const MAX_UNROLLED: usize = 64 * 1024;

/// How many times nested loops are unrolled, outermost first.
const MAX_PASSES: usize = 3;

/// `code` with its loops over written-out lists unrolled and the arrays
/// its process calls are given spread, or `None` when it has none (or is
/// not Perl).
pub(super) fn unrolled(code: &str, program: &str) -> Option<String> {
    if !program.starts_with("perl") {
        return None;
    }
    let mut out: Option<String> = None;
    for _ in 0..MAX_PASSES {
        let current = out.as_deref().unwrap_or(code);
        match unroll_once(current) {
            Some(next) if next.len() <= MAX_UNROLLED => out = Some(next),
            _ => break,
        }
    }
    let current = out.as_deref().unwrap_or(code);
    spread_runs(current).or(out)
}

/// Calls that run a command from the list they are given.
const RUN_CALLS: &[&str] = &["system", "exec"];

/// Calls that change an array in place.
const ARRAY_CHANGES: &[&str] = &["push", "unshift", "splice", "pop", "shift"];

/// `code` with each array a process call is given (`system(@cmd)`,
/// `exec @cmd`) written as the list of literals the code assigned it
/// (`my @cmd = ("kubectl", "rollout", ...)`), so the call reads as the
/// command it runs; `None` when there is none. An array assigned more
/// than once, or changed in place (`push @cmd, ...`), is left as written.
fn spread_runs(code: &str) -> Option<String> {
    let literals = literals(code);
    let mut replacements = Vec::new();
    for call in RUN_CALLS {
        for (at, _) in code.match_indices(call) {
            if literals.iter().any(|l| l.start <= at && at < l.end) || !word_at(code, at, call) {
                continue;
            }
            let after = at + call.len();
            let mut pos = skip_space(code, after);
            if code.get(pos..)?.starts_with('(') {
                pos = skip_space(code, pos + 1);
            }
            let rest = code.get(pos..)?;
            let Some(name_text) = rest.strip_prefix('@') else {
                continue;
            };
            let name: String = name_text
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let end = pos + 1 + name.len();
            let closes = code.get(end..).map(str::trim_start).is_some_and(|r| {
                r.starts_with([')', ';', '\n']) || r.starts_with("or ") || r.is_empty()
            });
            if name.is_empty() || !closes || !assigned_once(code, &literals, &name) {
                continue;
            }
            let Some(items) = array_items(code, &literals, &name, pos) else {
                continue;
            };
            let list: Vec<String> = items.iter().map(|i| format!("\"{}\"", escape(i))).collect();
            replacements.push((pos, end, list.join(", ")));
        }
    }
    super::storage::replaced(code, replacements)
}

/// True when `word` stands whole at `at` (not inside a name, a method or
/// a variable: `$system`, `->system`).
fn word_at(code: &str, at: usize, word: &str) -> bool {
    let before = code.get(..at).and_then(|h| h.chars().next_back());
    let after = code.get(at + word.len()..).and_then(|t| t.chars().next());
    before.is_none_or(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '@' | '>' | ':')))
        && after.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'))
}

/// True when array `name` is assigned once and never changed in place.
fn assigned_once(code: &str, literals: &[Literal], name: &str) -> bool {
    let array = format!("@{name}");
    let mut assignments = 0;
    for (at, _) in code.match_indices(&array) {
        if literals.iter().any(|l| l.start <= at && at < l.end) {
            continue;
        }
        let after = code.get(at + array.len()..).unwrap_or_default();
        if after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let after = after.trim_start();
        if after.starts_with('=') && !after.starts_with("==") && !after.starts_with("=~") {
            assignments += 1;
        }
        let head = code.get(..at).unwrap_or_default().trim_end();
        let head = head.strip_suffix('(').unwrap_or(head).trim_end();
        if ARRAY_CHANGES.iter().any(|change| {
            head.strip_suffix(change)
                .is_some_and(|h| !h.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
        }) {
            return false;
        }
    }
    // `$cmd[0] = ...` changes an item.
    let item = format!("${name}[");
    let items_changed = code.match_indices(&item).any(|(at, _)| {
        code.get(at..)
            .and_then(|r| r.find(']').and_then(|close| r.get(close + 1..)))
            .map(str::trim_start)
            .is_some_and(|r| r.starts_with('=') && !r.starts_with("=="))
    });
    assignments == 1 && !items_changed
}

/// One loop found: the code it spans, its variable and its items.
struct Loop {
    /// Where the loop (or the modified statement) starts and ends.
    start: usize,
    end: usize,
    /// The variable's name, without its `$` (`_` for `$_`).
    variable: String,
    items: Vec<String>,
    /// The code run for each item: a block with its braces, or a
    /// modified statement without its `;`.
    body: String,
}

/// `code` with each outermost loop over a written-out list unrolled.
fn unroll_once(code: &str) -> Option<String> {
    let literals = literals(code);
    let mut out = String::new();
    let mut copied = 0;
    let mut found = false;
    let mut search = 0;
    while let Some(found_loop) = next_loop(code, &literals, search) {
        search = found_loop.end;
        if found_loop.start < copied {
            continue;
        }
        out.push_str(code.get(copied..found_loop.start)?);
        let copies: Vec<String> = found_loop
            .items
            .iter()
            .map(|item| substituted(&found_loop.body, &found_loop.variable, item))
            .collect();
        // Blocks side by side; statements each ended, as the one was.
        let separator = if found_loop.body.ends_with('}') {
            " "
        } else {
            "; "
        };
        out.push_str(&copies.join(separator));
        copied = found_loop.end;
        found = true;
    }
    if !found {
        return None;
    }
    out.push_str(code.get(copied..)?);
    Some(out)
}

/// The first loop over a written-out list whose `for` keyword is at or
/// after `from`.
fn next_loop(code: &str, literals: &[Literal], from: usize) -> Option<Loop> {
    let mut pos = from;
    loop {
        let at = keyword_at_or_after(code, literals, pos)?;
        if let Some(found) = loop_at(code, literals, at) {
            return Some(found);
        }
        pos = at + 1;
    }
}

/// Where the next `for` or `foreach` keyword outside literals starts.
fn keyword_at_or_after(code: &str, literals: &[Literal], from: usize) -> Option<usize> {
    let bytes = code.as_bytes();
    let mut pos = from;
    while pos < bytes.len() {
        if let Some(literal) = literals.iter().find(|l| l.start <= pos && pos < l.end) {
            pos = literal.end;
            continue;
        }
        let rest = code.get(pos..).unwrap_or_default();
        let before = pos
            .checked_sub(1)
            .and_then(|b| bytes.get(b))
            .copied()
            .unwrap_or(b' ');
        let word_starts = !(before.is_ascii_alphanumeric() || matches!(before, b'_' | b'$' | b'@'));
        if word_starts
            && ["foreach", "for"].iter().any(|k| {
                rest.strip_prefix(k)
                    .is_some_and(|after| after.starts_with([' ', '\t', '\n', '(', '$']))
            })
        {
            return Some(pos);
        }
        pos += 1;
    }
    None
}

/// The loop whose keyword starts at `at`: a block loop (`for my $x
/// (LIST) {...}`) or a statement modifier (`STATEMENT for LIST;`).
fn loop_at(code: &str, literals: &[Literal], at: usize) -> Option<Loop> {
    let keyword = if code.get(at..)?.starts_with("foreach") {
        "foreach"
    } else {
        "for"
    };
    let mut pos = skip_space(code, at + keyword.len());
    let statement = statement_start(code, literals, at);
    if statement < at {
        // `STATEMENT for LIST;`
        let (items, end) = list(code, literals, pos, true)?;
        let body = code.get(statement..at)?.trim_end().to_owned();
        return Some(Loop {
            start: statement,
            end,
            variable: "_".to_owned(),
            items,
            body,
        });
    }
    let rest = code.get(pos..)?;
    for declarator in ["my ", "our ", "local "] {
        if rest.starts_with(declarator) {
            pos = skip_space(code, pos + declarator.len());
        }
    }
    let variable = match code.get(pos..)?.strip_prefix('$') {
        Some(after) => {
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() {
                return None;
            }
            pos = skip_space(code, pos + 1 + name.len());
            name
        }
        None => "_".to_owned(),
    };
    if !code.get(pos..)?.starts_with('(') {
        return None;
    }
    let (items, end) = list(code, literals, pos, false)?;
    let open = skip_space(code, end);
    if !code.get(open..)?.starts_with('{') {
        return None;
    }
    let close = matching_bracket(code, literals, open)?;
    Some(Loop {
        start: at,
        end: close + 1,
        variable,
        items,
        body: code.get(open..=close)?.to_owned(),
    })
}

/// Where the statement holding `at` starts: just past the `;`, `{` or
/// `}` before it (outside literals), its leading space skipped.
fn statement_start(code: &str, literals: &[Literal], at: usize) -> usize {
    let bytes = code.as_bytes();
    let mut pos = at;
    while pos > 0 {
        pos -= 1;
        if let Some(literal) = literals.iter().find(|l| l.start < pos && pos < l.end) {
            pos = literal.start;
            continue;
        }
        if matches!(bytes.get(pos), Some(b';' | b'{' | b'}')) {
            return skip_space(code, pos + 1).min(at);
        }
    }
    skip_space(code, 0).min(at)
}

/// The items of the written-out list at `pos` and where it ends:
/// `("a", "b")`, `(qw(a b))`, `qw(a b)`, `(@name)` for an array assigned
/// such a list; with `bare` (a statement modifier's), also `"a", "b"` up
/// to the `;`. `None` when any item is not a literal.
fn list(code: &str, literals: &[Literal], pos: usize, bare: bool) -> Option<(Vec<String>, usize)> {
    let rest = code.get(pos..)?;
    if rest.starts_with("qw") {
        let (words, end) = quote_words(code, pos)?;
        return Some((words, end));
    }
    let (inner_start, inner_end, end) = if rest.starts_with('(') {
        let close = matching_bracket(code, literals, pos)?;
        (pos + 1, close, close + 1)
    } else if bare {
        let stop = code
            .get(pos..)?
            .find(';')
            .map_or(code.len(), |offset| pos + offset);
        (pos, stop, stop)
    } else {
        return None;
    };
    let items = items(code, literals, inner_start, inner_end)?;
    Some((items, end))
}

/// The items between `start` and `end`: literals and `qw(...)` lists
/// joined by commas, or one array the code assigned such a list.
fn items(code: &str, literals: &[Literal], start: usize, end: usize) -> Option<Vec<String>> {
    let inner = code.get(start..end)?.trim();
    if let Some(name) = inner.strip_prefix('@') {
        return array_items(code, literals, name, start);
    }
    let mut items = Vec::new();
    let mut pos = skip_space(code, start);
    while pos < end {
        if let Some(literal) = literals.iter().find(|l| l.start == pos) {
            if literal.backtick || literal.end > end {
                return None;
            }
            items.push(literal.text.clone());
            pos = literal.end;
        } else if code.get(pos..)?.starts_with("qw") {
            let (words, after) = quote_words(code, pos)?;
            items.extend(words);
            pos = after;
        } else {
            return None;
        }
        pos = skip_space(code, pos);
        if code.get(pos..)?.starts_with(',') {
            pos = skip_space(code, pos + 1);
        } else if pos < end {
            return None;
        }
    }
    (!items.is_empty()).then_some(items)
}

/// The items of array `name`, from where the code before `before`
/// assigns it a written-out list (`my @f = ("a", "b");`).
fn array_items(code: &str, literals: &[Literal], name: &str, before: usize) -> Option<Vec<String>> {
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let head = code.get(..before)?;
    let assigned = format!("@{name}");
    let (at, _) = head.match_indices(&assigned).find(|(at, _)| {
        let after = code.get(at + assigned.len()..).unwrap_or_default();
        after.trim_start().starts_with('=') && !after.trim_start().starts_with("==")
    })?;
    let value = code.get(at + assigned.len()..)?;
    let value_at = at + assigned.len() + (value.len() - value.trim_start().len()) + 1;
    let value_at = skip_space(code, value_at);
    let (items, _) = list(code, literals, value_at, false)?;
    Some(items)
}

/// The words of `qw(...)` (any delimiter) at `pos`, and where it ends.
fn quote_words(code: &str, pos: usize) -> Option<(Vec<String>, usize)> {
    let after = code.get(pos + 2..)?;
    let open = after.chars().next()?;
    let close = match open {
        '(' => ')',
        '[' => ']',
        '{' => '}',
        '<' => '>',
        c if c.is_ascii_punctuation() => c,
        _ => return None,
    };
    let body = after.get(open.len_utf8()..)?;
    let length = body.find(close)?;
    let words = body
        .get(..length)?
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    Some((words, pos + 2 + open.len_utf8() + length + close.len_utf8()))
}

fn skip_space(code: &str, pos: usize) -> usize {
    let rest = code.get(pos..).unwrap_or_default();
    pos + (rest.len() - rest.trim_start().len())
}

/// `body` with `$variable` written in as `item`: a double-quoted literal
/// in code, its text inside double-quoted and backtick strings; single-
/// quoted strings do not interpolate. `$x[...]` and `$x{...}` are other
/// variables' items.
pub(super) fn substituted(body: &str, variable: &str, item: &str) -> String {
    let body_literals = literals(body);
    let escaped = escape(item);
    let mut out = String::new();
    let mut pos = 0;
    while pos < body.len() {
        let literal = body_literals.iter().find(|l| l.start == pos);
        let quote = body.get(pos..).and_then(|rest| rest.chars().next());
        if let (Some(literal), Some(quote)) = (literal, quote) {
            let span = body.get(literal.start..literal.end).unwrap_or_default();
            if quote == '\'' {
                out.push_str(span);
            } else {
                out.push_str(&replaced(span, variable, &escaped));
            }
            pos = literal.end;
            continue;
        }
        let next = body_literals
            .iter()
            .map(|l| l.start)
            .find(|start| *start > pos)
            .unwrap_or(body.len());
        let code = body.get(pos..next).unwrap_or_default();
        out.push_str(&replaced(code, variable, &format!("\"{escaped}\"")));
        pos = next;
    }
    out
}

/// `text` with each `$variable` and `${variable}` replaced by `with`.
fn replaced(text: &str, variable: &str, with: &str) -> String {
    let plain = format!("${variable}");
    let braced = format!("${{{variable}}}");
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let tail = rest.get(at..).unwrap_or_default();
        if let Some(after) = tail.strip_prefix(&braced) {
            out.push_str(with);
            rest = after;
        } else if let Some(after) = tail.strip_prefix(&plain).filter(|after| {
            !after.starts_with(|c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '[' | '{'))
                && !after.starts_with("::")
        }) {
            out.push_str(with);
            rest = after;
        } else {
            out.push('$');
            rest = tail.get(1..).unwrap_or_default();
        }
    }
    out.push_str(rest);
    out
}

/// `text` as the inside of a Perl double-quoted string.
fn escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if matches!(c, '\\' | '"' | '$' | '@' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn perl(code: &str) -> Option<String> {
        unrolled(code, "perl")
    }

    #[test]
    fn block_loops_are_written_out_per_item() {
        assert_eq!(
            perl(r#"for my $f (".a", ".b") { rename($f, "$f.bak") }"#).as_deref(),
            Some(r#"{ rename(".a", ".a.bak") } { rename(".b", ".b.bak") }"#)
        );
        assert_eq!(
            perl("foreach (qw(x y)) { unlink $_; }").as_deref(),
            Some(r#"{ unlink "x"; } { unlink "y"; }"#)
        );
    }

    #[test]
    fn arrays_and_statement_modifiers_are_unrolled() {
        assert_eq!(
            perl(r#"my @f = ("a", "b"); for my $x (@f) { unlink $x }"#).as_deref(),
            Some(r#"my @f = ("a", "b"); { unlink "a" } { unlink "b" }"#)
        );
        assert_eq!(
            perl("print 1; unlink $_ for qw(a b); print 2").as_deref(),
            Some(r#"print 1; unlink "a"; unlink "b"; print 2"#)
        );
    }

    #[test]
    fn other_loops_are_left_as_written() {
        assert_eq!(perl("for (my $i = 0; $i < 3; $i++) { unlink $i }"), None);
        assert_eq!(perl("for my $f (glob('*.log')) { unlink $f }"), None);
        assert_eq!(perl("for my $i (1..3) { print $i }"), None);
        assert_eq!(unrolled(r#"for f in ("a", "b"): pass"#, "python3"), None);
        assert_eq!(perl(r#"print 'for ("a") { x }'"#), None);
    }
}
