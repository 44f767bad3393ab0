//! Loops over lists the text writes out: `'a', 'b' | ForEach-Object {
//! ... }` (also `%`, `foreach`, `-Process { ... }`) runs its block once
//! per item with `$_` (`$PSItem`) bound to it, and `foreach ($x in 'a',
//! 'b') { ... }` once per item with `$x` bound. The statement pass
//! ([`super::statements`]) unrolls such a loop into its block's
//! statements, each run after an assignment of the item, so the commands
//! inside run with the values they would have (`kubectl rollout restart
//! "deployment/$_"` restarts each deployment named).
//!
//! The list is a comma list of quoted strings or numbers, an `@( ... )`
//! of them, a small range (`1..3`), or a variable the text assigned such
//! an array earlier; a loop over anything else (a command's output) is
//! left to run its block once, as before.

use super::splatting::{Value, array_items, assignments, closing, unquoted};
use super::word_at;

/// The variable `$_` becomes inside an unrolled block (the shell's own
/// `$_` is the last argument of the previous command).
const ITEM: &str = "$__item";

/// Most items a loop is unrolled for.
const MOST: usize = 64;

/// `code` with its loops over literal lists unrolled, or `None`.
pub(super) fn rewrite(code: &str) -> Option<String> {
    let lower = code.to_ascii_lowercase();
    if !lower.contains("foreach") && !code.contains('%') {
        return None;
    }
    let chars: Vec<char> = code.chars().collect();
    let outside = unquoted(&chars);
    let arrays = assignments(&chars);
    let mut out = String::with_capacity(code.len() * 2);
    let mut kept = 0usize;
    // Where the statement at each bracket depth started.
    let mut starts: Vec<usize> = vec![0];
    let mut at = 0usize;
    while let Some(&c) = chars.get(at) {
        if !outside.get(at).copied().unwrap_or(false) {
            at += 1;
            continue;
        }
        let start = starts.last().copied().unwrap_or(0);
        let found = match c {
            '|' => piped_loop(&chars, &arrays, start, at),
            'f' | 'F'
                if chars
                    .get(start..at)
                    .is_some_and(|b| b.iter().all(|c| c.is_whitespace())) =>
            {
                keyword_loop(&chars, &arrays, at)
            }
            _ => None,
        };
        if let Some((from, end, text)) = found.filter(|(from, _, _)| *from >= kept) {
            out.extend(chars.get(kept..from).unwrap_or_default());
            out.push_str(&text);
            kept = end;
            at = end;
            continue;
        }
        match c {
            '(' | '{' | '[' => starts.push(at + 1),
            ')' | '}' | ']' => {
                if starts.len() > 1 {
                    starts.pop();
                }
                if let Some(last) = starts.last_mut() {
                    *last = at + 1;
                }
            }
            ';' => {
                if let Some(last) = starts.last_mut() {
                    *last = at + 1;
                }
            }
            '\n' => {
                // A line ending in `,`, `|` or a backtick goes on.
                let before: String = chars.get(start..at).unwrap_or_default().iter().collect();
                let continued = before.trim_end().ends_with([',', '|', '`']);
                if !continued && let Some(last) = starts.last_mut() {
                    *last = at + 1;
                }
            }
            _ => {}
        }
        at += 1;
    }
    if kept == 0 {
        return None;
    }
    out.extend(chars.get(kept..).unwrap_or_default());
    Some(out)
}

/// `LIST | ForEach-Object { BODY }` with the `|` at `pipe`: where the
/// statement starts, just past the block, and the unrolled text.
fn piped_loop(
    chars: &[char],
    arrays: &[super::splatting::Assigned],
    start: usize,
    pipe: usize,
) -> Option<(usize, usize, String)> {
    let source: String = chars.get(start..pipe)?.iter().collect();
    let mut at = skip_blank(chars, pipe + 1);
    let word: String = chars
        .get(at..)?
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '%'))
        .collect();
    if !matches!(
        word.to_ascii_lowercase().as_str(),
        "foreach-object" | "%" | "foreach"
    ) {
        return None;
    }
    at = skip_blank(chars, at + word.chars().count());
    // `-Process { }`, or `-Parallel { }` (PowerShell 7: the same body once
    // per item, in parallel runspaces).
    for parameter in ["-process", "-parallel"] {
        let written: String = chars.get(at..at + parameter.len())?.iter().collect();
        if written.eq_ignore_ascii_case(parameter) {
            at = skip_blank(chars, at + parameter.len());
            break;
        }
    }
    if chars.get(at) != Some(&'{') {
        return None;
    }
    let block_end = closing(chars, at);
    let end = past_parallel_options(chars, block_end);
    if !statement_ends(chars, end) {
        return None;
    }
    let items = items(source.trim(), arrays, start)?;
    let body: String = chars
        .get(at + 1..block_end.saturating_sub(1))?
        .iter()
        .collect();
    let body = bind_item(&without_using_scope(&body));
    let body = rewrite(&body).unwrap_or(body);
    let unrolled: Vec<String> = items
        .iter()
        .map(|item| format!("{ITEM} = {item}\n{}", body.trim()))
        .collect();
    let from = start + (source.chars().count() - source.trim_start().chars().count());
    Some((from, end, unrolled.join("\n")))
}

/// Just past the options that may follow a `ForEach-Object -Parallel`
/// block and change only how or when it runs (`-ThrottleLimit 4`,
/// `-TimeoutSeconds 60`, `-UseNewRunspace`, `-AsJob`), from `at` on the
/// block's line.
fn past_parallel_options(chars: &[char], at: usize) -> usize {
    const VALUED: &[&str] = &["-throttlelimit", "-timeoutseconds"];
    const SWITCHES: &[&str] = &["-usenewrunspace", "-asjob"];
    let mut cursor = at;
    loop {
        let mut next = cursor;
        while chars.get(next).is_some_and(|c| *c == ' ' || *c == '\t') {
            next += 1;
        }
        let word: String = chars
            .get(next..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == '-')
            .collect();
        let lower = word.to_ascii_lowercase();
        if SWITCHES.contains(&lower.as_str()) {
            cursor = next + word.chars().count();
        } else if VALUED.contains(&lower.as_str()) {
            let mut value = next + word.chars().count();
            while chars.get(value).is_some_and(|c| *c == ' ' || *c == '\t') {
                value += 1;
            }
            let digits = chars
                .get(value..)
                .unwrap_or_default()
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if digits == 0 {
                return cursor;
            }
            cursor = value + digits;
        } else {
            return cursor;
        }
    }
}

/// `$using:name` (a parallel block's, a job's or a remote command's read
/// of the caller's variable) as `$name`: the block reads the value the
/// caller's variable has where the block is given.
pub(super) fn without_using_scope(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find('$') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let after = rest.get(at + 1..).unwrap_or_default();
        match after.get(..6) {
            Some(prefix) if prefix.eq_ignore_ascii_case("using:") => {
                out.push('$');
                rest = after.get(6..).unwrap_or_default();
            }
            _ => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `foreach ($x in LIST) { BODY }` at `at`.
fn keyword_loop(
    chars: &[char],
    arrays: &[super::splatting::Assigned],
    at: usize,
) -> Option<(usize, usize, String)> {
    let keyword: String = chars.get(at..at + 7)?.iter().collect();
    if !keyword.eq_ignore_ascii_case("foreach") {
        return None;
    }
    let open = skip_blank(chars, at + 7);
    if chars.get(open) != Some(&'(') {
        return None;
    }
    let close = closing(chars, open);
    let head: String = chars
        .get(open + 1..close.saturating_sub(1))?
        .iter()
        .collect();
    let lower = head.to_ascii_lowercase();
    let split = lower.find(" in ")?;
    let variable = head.get(..split)?.trim();
    let list = head.get(split + 4..)?.trim();
    let valid = variable.len() > 1
        && variable.starts_with('$')
        && variable
            .chars()
            .skip(1)
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return None;
    }
    let brace = skip_blank(chars, close);
    if chars.get(brace) != Some(&'{') {
        return None;
    }
    let end = closing(chars, brace);
    let items = items(list, arrays, at)?;
    let body: String = chars
        .get(brace + 1..end.saturating_sub(1))?
        .iter()
        .collect();
    let body = rewrite(&body).unwrap_or(body);
    let unrolled: Vec<String> = items
        .iter()
        .map(|item| format!("{variable} = {item}\n{}", body.trim()))
        .collect();
    Some((at, end, unrolled.join("\n")))
}

/// Just past the blanks (line ends too) from `at`.
fn skip_blank(chars: &[char], mut at: usize) -> usize {
    while chars.get(at).is_some_and(|c| c.is_whitespace()) {
        at += 1;
    }
    at
}

/// Whether the statement ends at `at` (blanks, then the text's end, `;`,
/// a line end or a closing brace).
fn statement_ends(chars: &[char], mut at: usize) -> bool {
    while chars
        .get(at)
        .is_some_and(|c| *c == ' ' || *c == '\t' || *c == '\r')
    {
        at += 1;
    }
    matches!(chars.get(at), None | Some(';' | '\n' | '}' | ')'))
}

/// The items of a literal list, as written, or `None` when it is not one.
fn items(
    source: &str,
    arrays: &[super::splatting::Assigned],
    before: usize,
) -> Option<Vec<String>> {
    let items = if let Some(name) = source.strip_prefix('$') {
        let lower = name.to_ascii_lowercase();
        match arrays
            .iter()
            .rev()
            .find(|(done, variable, _)| *done <= before && *variable == lower)
        {
            Some((_, _, Value::Array(items))) => items.clone(),
            _ => return None,
        }
    } else if let Some((low, high)) = source.split_once("..") {
        let (low, high) = (
            low.trim().parse::<i64>().ok()?,
            high.trim().parse::<i64>().ok()?,
        );
        if high < low || high - low >= MOST as i64 {
            return None;
        }
        (low..=high).map(|n| n.to_string()).collect()
    } else {
        array_items(source)
    };
    let literal = |item: &String| {
        let quoted =
            matches!(item.chars().next(), Some('\'' | '"')) && super::splatting::is_literal(item);
        quoted || item.parse::<f64>().is_ok()
    };
    (!items.is_empty() && items.len() <= MOST && items.iter().all(literal)).then_some(items)
}

/// The block with `$_` and `$PSItem` written as [`ITEM`].
fn bind_item(body: &str) -> String {
    let chars: Vec<char> = body.chars().collect();
    let mut out = String::with_capacity(body.len() + 16);
    let mut at = 0usize;
    while let Some(&c) = chars.get(at) {
        if c == '$' {
            let name = word_at(&chars, at + 1);
            if name == "_" || name.eq_ignore_ascii_case("psitem") {
                out.push_str(ITEM);
                at += 1 + name.chars().count();
                continue;
            }
        }
        out.push(c);
        at += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_lists_unroll() {
        let code = "'a', 'b' | ForEach-Object {\n  kubectl rollout restart \"deployment/$_\"\n}";
        assert_eq!(
            rewrite(code).as_deref(),
            Some(
                "$__item = 'a'\nkubectl rollout restart \"deployment/$__item\"\n$__item = 'b'\nkubectl rollout restart \"deployment/$__item\""
            )
        );
        assert_eq!(
            rewrite("foreach ($n in @('x','y')) { rm $n }").as_deref(),
            Some("$n = 'x'\nrm $n\n$n = 'y'\nrm $n")
        );
        assert_eq!(rewrite("Get-ChildItem | ForEach-Object { rm $_ }"), None);
    }
}
