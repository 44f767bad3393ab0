//! Scanning the C-like source of build files (Go magefiles, Gradle's
//! Kotlin and Groovy scripts): string literals, comments, matching
//! brackets and top-level separators, so that a runner can find a
//! function's body or a call's arguments without a full parser.

use super::super::top_level;

/// The index just past the string literal that starts at `at`: `"..."`
/// and `'...'` with backslash escapes, Go's raw `` `...` `` and Kotlin's
/// and Groovy's triple-quoted `"""..."""` and `'''...'''`. `None` when
/// no literal starts there.
pub(super) fn literal_end(code: &str, at: usize) -> Option<usize> {
    let bytes = code.as_bytes();
    let quote = *bytes.get(at)?;
    if !matches!(quote, b'"' | b'\'' | b'`') {
        return None;
    }
    let triple = [quote; 3];
    if quote != b'`' && bytes.get(at..at + 3) == Some(&triple[..]) {
        let body = code.get(at + 3..)?;
        let close = std::str::from_utf8(&triple).ok()?;
        return Some(body.find(close).map_or(code.len(), |end| at + 3 + end + 3));
    }
    let mut i = at + 1;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'\\' && quote != b'`' {
            i += 2;
            continue;
        }
        if byte == quote {
            return Some(i + 1);
        }
        if byte == b'\n' && quote != b'`' {
            return Some(i);
        }
        i += 1;
    }
    Some(code.len())
}

/// The index just past the `//` or `/* */` comment at `at`, if one starts there.
pub(super) fn comment_end(code: &str, at: usize) -> Option<usize> {
    let rest = code.get(at..)?;
    if rest.starts_with("//") {
        return Some(rest.find('\n').map_or(code.len(), |end| at + end));
    }
    if rest.starts_with("/*") {
        return Some(rest.find("*/").map_or(code.len(), |end| at + end + 2));
    }
    None
}

/// The index of the bracket closing the one at `open` (`(`, `[`, `{`),
/// literals and comments skipped.
pub(super) fn matching(code: &str, open: usize) -> Option<usize> {
    top_level::matching_with(code, open, token_end)
}

/// `code` split at each `separator` outside brackets, literals and
/// comments, each piece trimmed; empty pieces dropped.
pub(super) fn split_top<'c>(code: &'c str, separator: &str) -> Vec<&'c str> {
    let mut pieces: Vec<&str> = top_level::split_with(code, separator, token_end)
        .into_iter()
        .map(str::trim)
        .collect();
    pieces.retain(|piece| !piece.is_empty());
    pieces
}

/// Where the literal or comment at `at` ends, if one starts there.
fn token_end(code: &str, at: usize) -> Option<usize> {
    literal_end(code, at).or_else(|| comment_end(code, at))
}

/// The text of `piece` when it is one whole string literal: escapes
/// read, except in Go's raw `` `...` `` and triple-quoted literals.
/// Templates (`$name`) are left to the caller. `None` when `piece` is
/// not one literal.
pub(super) fn string_value(piece: &str) -> Option<String> {
    let piece = piece.trim();
    if literal_end(piece, 0)? != piece.len() {
        return None;
    }
    for quotes in ["\"\"\"", "'''"] {
        if let Some(inner) = piece
            .strip_prefix(quotes)
            .and_then(|p| p.strip_suffix(quotes))
        {
            return Some(inner.to_owned());
        }
    }
    let inner = piece.get(1..piece.len().checked_sub(1)?)?;
    if piece.starts_with('`') {
        return Some(inner.to_owned());
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    Some(out)
}

/// True for a byte of an identifier.
pub(super) fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_top_level_commas_only() {
        assert_eq!(
            split_top(r#""a", f("b", "c"), "d,e""#, ","),
            [r#""a""#, r#"f("b", "c")"#, r#""d,e""#]
        );
    }

    #[test]
    fn matching_skips_brackets_in_literals() {
        let code = r#"f("(", ')') x"#;
        assert_eq!(matching(code, 1), Some(10));
    }

    #[test]
    fn string_values_read_escapes() {
        assert_eq!(string_value(r#""a\"b""#).as_deref(), Some("a\"b"));
        assert_eq!(string_value("`raw\\n`").as_deref(), Some("raw\\n"));
        assert_eq!(string_value("'x'").as_deref(), Some("x"));
        assert_eq!(string_value(r#""a" + b"#), None);
    }
}
