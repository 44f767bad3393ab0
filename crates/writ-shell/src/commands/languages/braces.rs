//! Go's and Rust's code made plain for the reader, and the branches its
//! known values rule out:
//! - comments (`// ...`, `/* ... */`) and apostrophes outside strings
//!   (Go's runes `'\n'`, Rust's chars and lifetimes `&'a str`) are
//!   blanked ([`blank_comments`]): an apostrophe would otherwise open a
//!   string literal that swallows the code after it;
//! - `if COND { ... } else { ... }` whose condition is a constant once the
//!   command line's values are written in (`if !true {`, `if "a" == "b"
//!   {`, `if dry_run {` after `let dry_run = false;`) keeps the branch that
//!   runs and blanks the other; a branch that surely runs and ends in
//!   `return` (`os.Exit`, `log.Fatal`, `process::exit`, `panic!`) blanks
//!   the rest of its block too ([`pruned`]).
//!
//! Blanking replaces text by spaces (line breaks kept), so offsets stay.

use crate::commands::inline::{Literal, literals, matching_bracket};

/// Code longer than this is not rewritten.
pub(super) const MAX_CODE: usize = 64 * 1024;
/// How many branches are pruned.
const MAX_PRUNED: usize = 64;

/// `code` with its comments and the apostrophes outside its strings
/// blanked; `"..."`, Go's `` `...` `` and Rust's `r#"..."#` strings kept.
pub(super) fn blank_comments(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut chars = code.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let rest = code.get(at..).unwrap_or_default();
        if rest.starts_with("//") {
            let end = rest.find('\n').map_or(code.len(), |n| at + n);
            blank_into(&mut out, code.get(at..end).unwrap_or_default());
            while chars.next_if(|(i, _)| *i < end).is_some() {}
        } else if rest.starts_with("/*") {
            let end = rest
                .get(2..)
                .and_then(|r| r.find("*/"))
                .map_or(code.len(), |n| at + n + 4);
            blank_into(&mut out, code.get(at..end).unwrap_or_default());
            while chars.next_if(|(i, _)| *i < end).is_some() {}
        } else if c == '\'' {
            out.push(' ');
        } else if let Some(end) = string_end(code, at) {
            out.push_str(code.get(at..end).unwrap_or_default());
            while chars.next_if(|(i, _)| *i < end).is_some() {}
        } else {
            out.push(c);
        }
    }
    out
}

/// Where the string literal that starts at `at` ends (past its closing
/// quote), or `None` when no string starts there.
fn string_end(code: &str, at: usize) -> Option<usize> {
    let rest = code.get(at..)?;
    let ident_before = code
        .get(..at)
        .and_then(|b| b.chars().next_back())
        .is_some_and(is_ident);
    if !ident_before && let Some(hashes) = rest.strip_prefix('r') {
        let count = hashes.len() - hashes.trim_start_matches('#').len();
        if count > 0 && hashes.get(count..).is_some_and(|r| r.starts_with('"')) {
            let close = format!("\"{}", "#".repeat(count));
            let body = at + 1 + count + 1;
            let end = code
                .get(body..)?
                .find(&close)
                .map(|n| body + n + close.len());
            return Some(end.unwrap_or(code.len()));
        }
    }
    match rest.chars().next()? {
        '`' => Some(rest.get(1..)?.find('`').map_or(code.len(), |n| at + n + 2)),
        '"' => {
            let mut escaped = false;
            for (i, c) in rest.char_indices().skip(1) {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => return Some(at + i + 1),
                    _ => {}
                }
            }
            Some(code.len())
        }
        _ => None,
    }
}

/// Pushes `text` as blanks: a space per byte, line breaks kept.
fn blank_into(out: &mut String, text: &str) {
    for c in text.chars() {
        if c == '\n' {
            out.push('\n');
        } else {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        }
    }
}

/// `code` with `start..end` blanked.
pub(super) fn blanked(code: &str, start: usize, end: usize) -> String {
    let mut out = String::with_capacity(code.len());
    out.push_str(code.get(..start).unwrap_or_default());
    blank_into(&mut out, code.get(start..end).unwrap_or_default());
    out.push_str(code.get(end..).unwrap_or_default());
    out
}

/// True for a character of a name.
pub(super) fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// True when `at` is inside one of `literals` (or at its opening quote).
pub(super) fn in_literal(literals: &[Literal], at: usize) -> bool {
    literals.iter().any(|l| l.start <= at && at < l.end)
}

/// True when a whole name may start at `at`: not inside a name or after
/// a `.`.
pub(super) fn starts_name(code: &str, at: usize) -> bool {
    code.get(..at)
        .and_then(|b| b.chars().next_back())
        .is_none_or(|c| !is_ident(c) && c != '.')
}

/// True when the name ending at `end` ends there.
pub(super) fn ends_name(code: &str, end: usize) -> bool {
    code.get(end..)
        .and_then(|a| a.chars().next())
        .is_none_or(|c| !is_ident(c))
}

/// The pieces of the call whose `(` is at `open`, split at its top-level
/// commas, as `(start, end)` spans trimmed, and where it closes.
pub(super) fn call_args(
    code: &str,
    literals: &[Literal],
    open: usize,
) -> Option<(Vec<(usize, usize)>, usize)> {
    let close = matching_bracket(code, literals, open)?;
    let mut pieces = Vec::new();
    let mut level = 0usize;
    let mut piece = open + 1;
    let mut pos = open + 1;
    let bytes = code.as_bytes();
    while pos < close {
        if let Some(literal) = literals.iter().find(|l| l.start == pos) {
            pos = literal.end;
            continue;
        }
        match bytes.get(pos) {
            Some(b'(' | b'[' | b'{') => level += 1,
            Some(b')' | b']' | b'}') => level = level.saturating_sub(1),
            Some(b',') if level == 0 => {
                pieces.push(trimmed(code, piece, pos));
                piece = pos + 1;
            }
            _ => {}
        }
        pos += 1;
    }
    let last = trimmed(code, piece, close);
    if last.0 < last.1 {
        pieces.push(last);
    }
    Some((pieces, close))
}

/// `start..end` without the whitespace at its ends.
fn trimmed(code: &str, start: usize, end: usize) -> (usize, usize) {
    let text = code.get(start..end).unwrap_or_default();
    let lead = text.len() - text.trim_start().len();
    let trail = text.len() - text.trim_end().len();
    (start + lead, (end - trail).max(start + lead))
}

/// The text of `span` when it is one string literal.
pub(super) fn literal_text(literals: &[Literal], span: (usize, usize)) -> Option<String> {
    literals
        .iter()
        .find(|l| l.start == span.0 && l.end == span.1 && !l.text.contains('\n'))
        .map(|l| l.text.clone())
}

/// `text` as a double-quoted string literal of Go or Rust.
pub(super) fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `code` with each whole name `name` outside literals (not after `.` or
/// `::`, nor after `&` unless `references`) made `value`.
pub(super) fn replace_name(code: &str, name: &str, value: &str, references: bool) -> String {
    let found = literals(code);
    let mut out = String::with_capacity(code.len());
    let mut last = 0;
    for (at, _) in code.match_indices(name) {
        if at < last
            || in_literal(&found, at)
            || !starts_name(code, at)
            || !ends_name(code, at + name.len())
            || code
                .get(..at)
                .is_some_and(|b| (!references && b.ends_with('&')) || b.ends_with("::"))
        {
            continue;
        }
        out.push_str(code.get(last..at).unwrap_or_default());
        out.push_str(value);
        last = at + name.len();
    }
    out.push_str(code.get(last..).unwrap_or_default());
    out
}

/// `code` with the branches whose conditions are constant pruned.
pub(super) fn pruned(code: &str) -> String {
    if code.len() > MAX_CODE {
        return code.to_owned();
    }
    let mut out = code.to_owned();
    for _ in 0..MAX_PRUNED {
        let constants = bool_constants(&out);
        match prune_one(&out, &constants) {
            Some(next) => out = next,
            None => break,
        }
    }
    out
}

/// Names bound once to `true` or `false` and never assigned again
/// (`apply := false`, `let dry_run = true;`).
fn bool_constants(code: &str) -> Vec<(String, bool)> {
    let mut found: Vec<(String, bool)> = Vec::new();
    for line in code.lines() {
        let line = line.trim().trim_end_matches(';');
        let line = line.strip_prefix("let ").unwrap_or(line);
        let line = line.strip_prefix("var ").unwrap_or(line);
        let Some((name, value)) = line.split_once(":=").or_else(|| line.split_once('=')) else {
            continue;
        };
        let name = name.trim().split(':').next().unwrap_or_default().trim();
        let value = match value.trim() {
            "true" => true,
            "false" => false,
            _ => continue,
        };
        if !name.is_empty() && name.chars().all(is_ident) {
            found.push((name.to_owned(), value));
        }
    }
    found.retain(|(name, _)| assignments(code, name) == 1);
    found
}

/// How many times `name` is assigned (`name =`, `name :=`, `name +=`)
/// outside literals.
fn assignments(code: &str, name: &str) -> usize {
    let found = literals(code);
    code.match_indices(name)
        .filter(|(at, _)| {
            !in_literal(&found, *at) && starts_name(code, *at) && ends_name(code, at + name.len())
        })
        .filter(|(at, _)| {
            let after = code.get(at + name.len()..).unwrap_or_default().trim_start();
            // `let x: bool = ...`: the `=` after the type.
            let typed = after
                .strip_prefix(':')
                .filter(|a| !a.starts_with([':', '=']));
            let after = match typed {
                Some(typed) => {
                    let line = typed.lines().next().unwrap_or_default();
                    line.find('=')
                        .map_or("", |n| line.get(n..).unwrap_or_default())
                }
                None => after,
            };
            (after.starts_with('=') && !after.starts_with("=="))
                || after.starts_with(":=")
                || ["+=", "-=", "|=", "&="]
                    .iter()
                    .any(|op| after.starts_with(op))
        })
        .count()
}

/// One constant `if` pruned, or `None` when there is none.
fn prune_one(code: &str, constants: &[(String, bool)]) -> Option<String> {
    let found = literals(code);
    for (at, _) in code.match_indices("if") {
        if in_literal(&found, at) || !starts_name(code, at) || !ends_name(code, at + 2) {
            continue;
        }
        let Some((open, value)) = condition(code, &found, at, constants) else {
            continue;
        };
        let close = matching_bracket(code, &found, open)?;
        let (chain_end, else_at) = else_chain(code, &found, close);
        if value {
            // Keep the body as a bare block; drop the rest of the chain.
            let mut out = blanked(code, at, open);
            if let Some(else_at) = else_at {
                out = blanked(&out, else_at, chain_end);
            }
            let body = code.get(open + 1..close).unwrap_or_default();
            if ends_in_exit(body)
                && let Some(block_end) = enclosing_close(code, &found, at)
                && chain_end < block_end
            {
                out = blanked(&out, chain_end, block_end);
            }
            return Some(out);
        }
        let mut out = blanked(code, at, close + 1);
        if let Some(else_at) = else_at {
            // `else { ... }` is then a bare block, `else if` an `if`.
            out = blanked(&out, else_at, else_at + 4);
        }
        return Some(out);
    }
    None
}

/// For the `if` at `at`: where its block opens and its condition's
/// value, when constant.
fn condition(
    code: &str,
    found: &[Literal],
    at: usize,
    constants: &[(String, bool)],
) -> Option<(usize, bool)> {
    let mut pos = at + 2;
    let mut level = 0usize;
    let bytes = code.as_bytes();
    while pos < code.len() {
        if let Some(literal) = found.iter().find(|l| l.start == pos) {
            pos = literal.end;
            continue;
        }
        match bytes.get(pos) {
            Some(b'(' | b'[') => level += 1,
            Some(b')' | b']') => level = level.saturating_sub(1),
            Some(b'{') if level == 0 => break,
            Some(b';' | b'}') if level == 0 => return None,
            _ => {}
        }
        pos += 1;
    }
    let text = code.get(at + 2..pos)?;
    let tokens = tokens(text, constants)?;
    let mut parser = Parser {
        tokens: &tokens,
        at: 0,
    };
    let value = parser.or()?;
    (parser.at == tokens.len()).then_some((pos, value))
}

/// Where the `else` chain after the block closing at `close` ends, and
/// where its `else` starts (`None` when there is none).
fn else_chain(code: &str, found: &[Literal], close: usize) -> (usize, Option<usize>) {
    let mut end = close + 1;
    let mut first = None;
    loop {
        let rest = code.get(end..).unwrap_or_default();
        let lead = rest.len() - rest.trim_start().len();
        let else_at = end + lead;
        let is_else = rest.trim_start().starts_with("else") && ends_name(code, else_at + 4);
        if !is_else {
            return (end, first);
        }
        first.get_or_insert(else_at);
        let Some(open) = code
            .get(else_at..)
            .and_then(|r| r.find('{'))
            .map(|n| else_at + n)
        else {
            return (end, first);
        };
        let Some(block_close) = matching_bracket(code, found, open) else {
            return (end, first);
        };
        end = block_close + 1;
        let between = code.get(else_at + 4..open).unwrap_or_default().trim();
        if between.is_empty() {
            return (end, first);
        }
    }
}

/// True when a block's last statement leaves the function or the
/// program.
fn ends_in_exit(body: &str) -> bool {
    let last = body
        .trim()
        .trim_end_matches(';')
        .rsplit(['\n', ';'])
        .next()
        .unwrap_or_default()
        .trim();
    [
        "return",
        "os.Exit(",
        "log.Fatal",
        "std::process::exit(",
        "process::exit(",
        "panic!(",
        "panic(",
        "bail!(",
        "anyhow::bail!(",
    ]
    .iter()
    .any(|exit| last.starts_with(exit))
}

/// Where the innermost block around `at` closes.
fn enclosing_close(code: &str, found: &[Literal], at: usize) -> Option<usize> {
    let mut depth = 0usize;
    let bytes = code.as_bytes();
    let mut pos = at;
    while pos > 0 {
        pos -= 1;
        if in_literal(found, pos) {
            continue;
        }
        match bytes.get(pos) {
            Some(b'}') => depth += 1,
            Some(b'{') if depth == 0 => return matching_bracket(code, found, pos),
            Some(b'{') => depth -= 1,
            _ => {}
        }
    }
    None
}

/// A token of a constant condition.
#[derive(Clone, PartialEq, Debug)]
enum Token {
    Bool(bool),
    Text(String),
    Not,
    And,
    Or,
    Eq,
    Ne,
    Open,
    Close,
}

/// The tokens of a condition, or `None` when it has any other part.
fn tokens(text: &str, constants: &[(String, bool)]) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let found = literals(text);
    let mut pos = 0;
    while pos < text.len() {
        let rest = text.get(pos..)?;
        let c = rest.chars().next()?;
        if c.is_whitespace() {
            pos += c.len_utf8();
            continue;
        }
        if let Some(literal) = found.iter().find(|l| l.start == pos) {
            if literal.backtick && literal.text.contains('\n') {
                return None;
            }
            out.push(Token::Text(literal.text.clone()));
            pos = literal.end;
            continue;
        }
        let (token, len) = if rest.starts_with("&&") {
            (Token::And, 2)
        } else if rest.starts_with("||") {
            (Token::Or, 2)
        } else if rest.starts_with("==") {
            (Token::Eq, 2)
        } else if rest.starts_with("!=") {
            (Token::Ne, 2)
        } else if c == '!' {
            (Token::Not, 1)
        } else if c == '(' {
            (Token::Open, 1)
        } else if c == ')' {
            (Token::Close, 1)
        } else if is_ident(c) {
            let word: String = rest.chars().take_while(|c| is_ident(*c)).collect();
            let value = match word.as_str() {
                "true" => true,
                "false" => false,
                _ => constants
                    .iter()
                    .find(|(name, _)| *name == word)
                    .map(|(_, value)| *value)?,
            };
            let len = word.len();
            (Token::Bool(value), len)
        } else {
            return None;
        };
        out.push(token);
        pos += len;
    }
    (!out.is_empty()).then_some(out)
}

/// A recursive-descent reader of constant conditions.
struct Parser<'t> {
    tokens: &'t [Token],
    at: usize,
}

impl Parser<'_> {
    fn next_is(&mut self, token: &Token) -> bool {
        let is = self.tokens.get(self.at) == Some(token);
        if is {
            self.at += 1;
        }
        is
    }

    fn or(&mut self) -> Option<bool> {
        let mut value = self.and()?;
        while self.next_is(&Token::Or) {
            value = self.and()? || value;
        }
        Some(value)
    }

    fn and(&mut self) -> Option<bool> {
        let mut value = self.unary()?;
        while self.next_is(&Token::And) {
            value = self.unary()? && value;
        }
        Some(value)
    }

    fn unary(&mut self) -> Option<bool> {
        if self.next_is(&Token::Not) {
            return self.unary().map(|v| !v);
        }
        if self.next_is(&Token::Open) {
            let value = self.or()?;
            return self.next_is(&Token::Close).then_some(value);
        }
        match self.tokens.get(self.at)?.clone() {
            Token::Bool(value) => {
                self.at += 1;
                Some(value)
            }
            Token::Text(left) => {
                self.at += 1;
                let equal = if self.next_is(&Token::Eq) {
                    true
                } else if self.next_is(&Token::Ne) {
                    false
                } else {
                    return None;
                };
                let Token::Text(right) = self.tokens.get(self.at)?.clone() else {
                    return None;
                };
                self.at += 1;
                Some((left == right) == equal)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_apostrophes_are_blanked() {
        let code = "// don't\nlet c = '\\n'; let s = \"it's\"; /* a\nb */ x";
        assert_eq!(
            blank_comments(code),
            "        \nlet c =  \\n ; let s = \"it's\";     \n     x"
        );
    }

    #[test]
    fn constant_branches_are_pruned() {
        let code = "func main() {\n\tif !true {\n\t\treturn\n\t}\n\tupdate()\n}\n";
        assert!(pruned(code).contains("update()"));
        let code = "func main() {\n\tif !false {\n\t\treturn\n\t}\n\tupdate()\n}\n";
        assert!(!pruned(code).contains("update()"));
        let code = "fn main() {\n let dry = false;\n if dry { a(); } else { b(); }\n}";
        let out = pruned(code);
        assert!(!out.contains("a()") && out.contains("b()"));
        let code = "if \"x\" == \"y\" { a() } else if true { b() } else { c() }";
        let out = pruned(code);
        assert!(!out.contains("a()") && out.contains("b()") && !out.contains("c()"));
        // A name whose value is not known keeps both branches.
        let code = "if apply { a() } else { b() }";
        assert_eq!(pruned(code), code);
    }
}
