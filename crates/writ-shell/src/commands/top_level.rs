//! Scanning source text at its top level: where a bracket closes and where
//! a list splits, outside the tokens (strings, comments) in which a
//! language's brackets and separators do not count. Each language's reader
//! says where its tokens end; the scan is shared by the readers of Lua,
//! Vim script, PHP, Elixir, Go and Gradle build files, and host lists.

/// Where the bracket (`(`, `[`, `{`) opened at `open` closes, skipping
/// from each place after it to `token_end(code, at)` where a token starts.
pub(super) fn matching_with(
    code: &str,
    open: usize,
    token_end: impl Fn(&str, usize) -> Option<usize>,
) -> Option<usize> {
    let bracket = code.get(open..)?.chars().next()?;
    if !matches!(bracket, '(' | '[' | '{') {
        return None;
    }
    let mut depth = 1usize;
    for (at, c) in outside_tokens(code, open + bracket.len_utf8(), token_end) {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}

/// `text` split at each `separator` outside brackets and the tokens that
/// `token_end` reads over, pieces as written (untrimmed, empty ones kept).
pub(super) fn split_with<'t>(
    text: &'t str,
    separator: &str,
    token_end: impl Fn(&str, usize) -> Option<usize>,
) -> Vec<&'t str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (at, c) in outside_tokens(text, 0, token_end) {
        if at < start {
            continue;
        }
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ if depth == 0 && text.get(at..).unwrap_or_default().starts_with(separator) => {
                parts.push(text.get(start..at).unwrap_or_default());
                start = at + separator.len();
            }
            _ => {}
        }
    }
    parts.push(text.get(start..).unwrap_or_default());
    parts
}

/// True when every bracket in `text` (outside the tokens `token_end` reads
/// over) closes, and none closes that was not opened.
pub(super) fn balanced_with(text: &str, token_end: impl Fn(&str, usize) -> Option<usize>) -> bool {
    let mut depth = 0usize;
    for (_, c) in outside_tokens(text, 0, token_end) {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => match depth.checked_sub(1) {
                Some(less) => depth = less,
                None => return false,
            },
            _ => {}
        }
    }
    depth == 0
}

/// The characters of `text` from `from` on, with their indexes, less
/// those inside the tokens `token_end` reads over.
fn outside_tokens(
    text: &str,
    from: usize,
    token_end: impl Fn(&str, usize) -> Option<usize>,
) -> impl Iterator<Item = (usize, char)> {
    let mut at = from;
    std::iter::from_fn(move || {
        loop {
            let c = text.get(at..)?.chars().next()?;
            if let Some(end) = token_end(text, at).filter(|end| *end > at) {
                at = end;
                continue;
            }
            let here = at;
            at += c.len_utf8();
            return Some((here, c));
        }
    })
}

/// Where the quoted string starting at `at` ends, just past its closing
/// quote: `'...'` or `"..."` with backslash escapes. `None` when no quote
/// starts there; a quote that never closes runs to the end of `text`.
pub(super) fn quoted_end(text: &str, at: usize) -> Option<usize> {
    quoted(text, at).map(|(end, _)| end)
}

/// True when `text` ends inside a quoted string that [`quoted_end`] reads.
pub(super) fn ends_in_quote(text: &str) -> bool {
    let mut at = 0;
    while let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) {
        match quoted(text, at) {
            Some((_, false)) => return true,
            Some((end, true)) => at = end,
            None => at += c.len_utf8(),
        }
    }
    false
}

/// The quoted string at `at`: where it ends, and whether its quote closed.
fn quoted(text: &str, at: usize) -> Option<(usize, bool)> {
    let rest = text.get(at..)?;
    let quote = rest.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
    let mut escaped = false;
    for (offset, c) in rest.char_indices().skip(1) {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == quote {
            return Some((at + offset + 1, true));
        }
    }
    Some((text.len(), false))
}

/// No tokens: every bracket and separator counts.
pub(super) fn no_tokens(_: &str, _: usize) -> Option<usize> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_outside_brackets_and_quotes() {
        assert_eq!(
            split_with(r#"a, f(b, c), "d,e", [1,2]"#, ",", quoted_end),
            vec!["a", " f(b, c)", r#" "d,e""#, " [1,2]"]
        );
        assert_eq!(split_with("a..b", "..", no_tokens), vec!["a", "b"]);
        assert_eq!(
            split_with(r#"'it\'s, ok', x"#, ",", quoted_end),
            vec![r#"'it\'s, ok'"#, " x"]
        );
    }

    #[test]
    fn finds_the_closing_bracket_past_strings() {
        assert_eq!(matching_with(r#"f(")", (1)) + 2"#, 1, quoted_end), Some(10));
        assert_eq!(matching_with("f(a", 1, quoted_end), None);
    }

    #[test]
    fn tells_unbalanced_brackets_and_open_quotes() {
        assert!(balanced_with("f(a, [b])", quoted_end));
        assert!(!balanced_with("f(a", quoted_end));
        assert!(!balanced_with("a)", quoted_end));
        assert!(balanced_with(r#""(" + x"#, quoted_end));
        assert!(ends_in_quote(r#"a, "b"#));
        assert!(!ends_in_quote(r#"a, "b""#));
        assert!(ends_in_quote(r#"a, "b\""#));
        assert!(!ends_in_quote("a, b"));
    }
}
