//! Bash's value operators on a variable whose value the line set:
//! `${v:1:7}`, `${v#pat}`, `${v%%pat}`, `${v/a/b}`, `${v^^}`, `${v,}`.
//! A command hidden by slicing a literal (`t=xcurlx; ${t:1:4}`) is that
//! command.

use brush_parser::word::{ParameterExpr, SubstringMatchKind};
use globset::{Glob, GlobMatcher};

/// Longest value the pattern operators are applied to (they try every
/// substring).
const MAX_VALUE: usize = 4096;

/// `value` with the operator of `expr` applied, or `None` when it is no
/// such operator or cannot be worked out (a pattern or offset with an
/// expansion in it).
pub(super) fn apply(expr: &ParameterExpr, value: &str) -> Option<String> {
    use ParameterExpr as P;
    let chars: Vec<char> = value.chars().collect();
    if chars.len() > MAX_VALUE {
        return None;
    }
    match expr {
        P::Substring {
            indirect: false,
            offset,
            length,
            ..
        } => {
            let offset = integer(&offset.value)?;
            let length = match length {
                Some(length) => Some(integer(&length.value)?),
                None => None,
            };
            substring(&chars, offset, length)
        }
        P::RemoveSmallestPrefixPattern {
            indirect: false,
            pattern,
            ..
        } => remove(&chars, pattern.as_deref(), End::Prefix, Size::Smallest),
        P::RemoveLargestPrefixPattern {
            indirect: false,
            pattern,
            ..
        } => remove(&chars, pattern.as_deref(), End::Prefix, Size::Largest),
        P::RemoveSmallestSuffixPattern {
            indirect: false,
            pattern,
            ..
        } => remove(&chars, pattern.as_deref(), End::Suffix, Size::Smallest),
        P::RemoveLargestSuffixPattern {
            indirect: false,
            pattern,
            ..
        } => remove(&chars, pattern.as_deref(), End::Suffix, Size::Largest),
        P::UppercasePattern {
            indirect: false,
            pattern,
            ..
        } if no_pattern(pattern.as_deref()) => Some(value.to_uppercase()),
        P::LowercasePattern {
            indirect: false,
            pattern,
            ..
        } if no_pattern(pattern.as_deref()) => Some(value.to_lowercase()),
        P::UppercaseFirstChar {
            indirect: false,
            pattern,
            ..
        } if no_pattern(pattern.as_deref()) => Some(first_char(&chars, char::to_uppercase)),
        P::LowercaseFirstChar {
            indirect: false,
            pattern,
            ..
        } if no_pattern(pattern.as_deref()) => Some(first_char(&chars, char::to_lowercase)),
        P::ReplaceSubstring {
            indirect: false,
            pattern,
            replacement,
            match_kind,
            ..
        } => replace(&chars, pattern, replacement.as_deref(), match_kind),
        _ => None,
    }
}

/// An offset or length written as a plain integer (`1`, ` -3`, `(-3)`).
fn integer(text: &str) -> Option<i64> {
    let text = text.trim();
    let text = text
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .unwrap_or(text);
    text.trim().parse().ok()
}

/// `${v:offset:length}`: a negative offset counts from the end, a negative
/// length stops that far from the end; out of range is empty.
fn substring(chars: &[char], offset: i64, length: Option<i64>) -> Option<String> {
    let len = i64::try_from(chars.len()).ok()?;
    let start = if offset < 0 { len + offset } else { offset };
    if start < 0 || start > len {
        return Some(String::new());
    }
    let end = match length {
        None => len,
        Some(length) if length < 0 => len + length,
        Some(length) => start.saturating_add(length).min(len),
    };
    if end < start {
        // Bash reports an error and expands to nothing.
        return Some(String::new());
    }
    let (start, end) = (usize::try_from(start).ok()?, usize::try_from(end).ok()?);
    Some(chars.get(start..end)?.iter().collect())
}

#[derive(Clone, Copy, PartialEq)]
enum End {
    Prefix,
    Suffix,
}

#[derive(Clone, Copy, PartialEq)]
enum Size {
    Smallest,
    Largest,
}

/// `${v#p}`, `${v##p}`, `${v%p}`, `${v%%p}`.
fn remove(chars: &[char], pattern: Option<&str>, end: End, size: Size) -> Option<String> {
    let Some(pattern) = pattern else {
        return Some(chars.iter().collect());
    };
    let matcher = matcher(pattern)?;
    let lengths: Vec<usize> = match size {
        Size::Smallest => (0..=chars.len()).collect(),
        Size::Largest => (0..=chars.len()).rev().collect(),
    };
    for n in lengths {
        let (part, rest) = match end {
            End::Prefix => (chars.get(..n)?, chars.get(n..)?),
            End::Suffix => {
                let at = chars.len() - n;
                (chars.get(at..)?, chars.get(..at)?)
            }
        };
        if matcher.is_match(part.iter().collect::<String>()) {
            return Some(rest.iter().collect());
        }
    }
    Some(chars.iter().collect())
}

/// `${v/p/r}` (first match), `${v//p/r}` (every match), `${v/#p/r}`
/// (prefix), `${v/%p/r}` (suffix); each match is the longest at its start.
fn replace(
    chars: &[char],
    pattern: &str,
    replacement: Option<&str>,
    kind: &SubstringMatchKind,
) -> Option<String> {
    let replacement = replacement.unwrap_or_default();
    if has_expansion(replacement) {
        return None;
    }
    let matcher = matcher(pattern)?;
    let text = |range: &[char]| range.iter().collect::<String>();
    let longest_at = |start: usize, to_end: bool| -> Option<usize> {
        let ends: Vec<usize> = if to_end {
            vec![chars.len()]
        } else {
            (start + 1..=chars.len()).rev().collect()
        };
        ends.into_iter().find(|&end| {
            chars
                .get(start..end)
                .is_some_and(|r| matcher.is_match(text(r)))
        })
    };
    let mut out = String::new();
    let mut at = 0;
    match kind {
        SubstringMatchKind::Prefix => {
            return Some(match longest_at(0, false) {
                Some(end) => format!("{replacement}{}", text(chars.get(end..)?)),
                None => text(chars),
            });
        }
        SubstringMatchKind::Suffix => {
            let start = (0..chars.len()).find(|&s| longest_at(s, true).is_some());
            return Some(match start {
                Some(start) => format!("{}{replacement}", text(chars.get(..start)?)),
                None => text(chars),
            });
        }
        SubstringMatchKind::FirstOccurrence | SubstringMatchKind::Anywhere => {
            let every = matches!(kind, SubstringMatchKind::Anywhere);
            let mut replaced = false;
            while at < chars.len() {
                if (every || !replaced)
                    && let Some(end) = longest_at(at, false)
                {
                    out.push_str(replacement);
                    at = end;
                    replaced = true;
                    continue;
                }
                out.push(*chars.get(at)?);
                at += 1;
            }
        }
    }
    Some(out)
}

fn first_char<I: Iterator<Item = char>>(chars: &[char], convert: impl Fn(char) -> I) -> String {
    let mut out = String::new();
    if let Some((first, rest)) = chars.split_first() {
        out.extend(convert(*first));
        out.extend(rest);
    }
    out
}

/// Whether bash's pattern matches all of `value`; `None` when the pattern
/// cannot be read.
pub(super) fn pattern_matches(pattern: &str, value: &str) -> Option<bool> {
    Some(matcher(pattern)?.is_match(value))
}

/// Bash's pattern as a matcher over the whole string (`*` matches `/`
/// too); `None` for a pattern with an expansion or quoting in it.
fn matcher(pattern: &str) -> Option<GlobMatcher> {
    if has_expansion(pattern) || pattern.contains(['\'', '"', '\\']) {
        return None;
    }
    // Braces are literal in bash patterns.
    let escaped = pattern.replace('{', "[{]").replace('}', "[}]");
    Glob::new(&escaped).ok().map(|g| g.compile_matcher())
}

/// `${v^^}`, `${v,}`: no pattern, so every character (the first) is
/// converted.
fn no_pattern(pattern: Option<&str>) -> bool {
    pattern.is_none_or(str::is_empty)
}

fn has_expansion(text: &str) -> bool {
    text.contains(['$', '`'])
}
