//! The other spellings of a backtick command: Ruby's `%x(...)` (any
//! delimiter: `%x{...}`, `%x[...]`, `%x|...|`) and Perl's `qx(...)`
//! (`qx{...}`, `qx/.../`, `qx'...'`). Each runs its text as a shell
//! command line, as `` `...` `` does; they are rewritten as backtick
//! literals, which the literal reader takes as commands.

/// The code with its `%x(...)` or `qx(...)` commands written as backtick
/// literals; `None` for other languages or code without them.
pub(super) fn backquoted(program: &str, code: &str) -> Option<String> {
    let opener = if program.starts_with("ruby") {
        "%x"
    } else if program.starts_with("perl") {
        "qx"
    } else {
        return None;
    };
    if !code.contains(opener) {
        return None;
    }
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    let mut changed = false;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix(opener)
            && starts_word(&out, opener)
            && let Some((text, remainder)) = delimited(after, opener == "qx")
        {
            out.push('`');
            for c in text.chars() {
                if c == '`' {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('`');
            rest = remainder;
            changed = true;
            continue;
        }
        // Quoted literals are copied whole: a `%x(` inside one is text.
        if !copy_literal_or_char(&mut rest, &mut out, &['\'', '"', '`']) {
            break;
        }
    }
    changed.then_some(out)
}

/// True when an opener may start here: not in the middle of a name, and
/// (Ruby) not the modulo operator after a value (`n %x`), (Perl) not a
/// variable's or a hash key's name (`$qx`, `{qx}`).
fn starts_word(before: &str, opener: &str) -> bool {
    let Some(last) = before.chars().next_back() else {
        return true;
    };
    if last.is_alphanumeric() || last == '_' {
        return false;
    }
    if opener == "%x" {
        let value = before.trim_end().chars().next_back();
        let modulo = value.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | ')' | ']'));
        // `puts %x(ls)`: a method's argument after a space.
        let argument = last.is_whitespace()
            && before
                .trim_end()
                .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
                .is_some_and(|word| !word.is_empty() && !word.starts_with(char::is_numeric));
        return !modulo || argument;
    }
    // `$qx`, `@qx`, `$h{qx}`, `$o->qx(...)`.
    !matches!(last, '$' | '@' | '%' | '&' | '>' | '{')
}

/// The body of a delimited literal (`%x(...)`, `%q|...|`, `qx{...}`)
/// and what follows it; brackets nest. Perl allows space before the
/// delimiter (`qx {ls}`).
pub(in crate::commands) fn delimited(text: &str, spaced: bool) -> Option<(&str, &str)> {
    let text = if spaced {
        text.trim_start_matches([' ', '\t'])
    } else {
        text
    };
    let open = text.chars().next()?;
    let close = match open {
        '(' => ')',
        '[' => ']',
        '{' => '}',
        '<' => '>',
        c if c.is_ascii_punctuation() && !matches!(c, '=' | ',' | ';' | '_') => c,
        _ => return None,
    };
    let body = text.get(open.len_utf8()..)?;
    let mut depth = 0usize;
    let mut escaped = false;
    for (at, c) in body.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == close && depth == 0 {
            return Some((body.get(..at)?, body.get(at + c.len_utf8()..)?));
        } else if c == close {
            depth -= 1;
        } else if c == open && open != close {
            depth += 1;
        }
    }
    None
}

/// Copies what starts `rest` to `out` and moves past it: a literal that
/// opens with one of `quotes` whole (so an opener inside it stays text),
/// else one character; `false` when `rest` is empty.
pub(in crate::commands) fn copy_literal_or_char<'a>(
    rest: &mut &'a str,
    out: &mut String,
    quotes: &[char],
) -> bool {
    let text: &'a str = rest;
    let mut chars = text.chars();
    let Some(c) = chars.next() else {
        return false;
    };
    if quotes.contains(&c) {
        let end = literal_end(text, c);
        out.push_str(text.get(..end).unwrap_or(text));
        *rest = text.get(end..).unwrap_or_default();
    } else {
        out.push(c);
        *rest = chars.as_str();
    }
    true
}

/// Where the quoted literal at the start of `text` ends (just past its
/// closing quote; the whole text when it does not close).
fn literal_end(text: &str, quote: char) -> usize {
    let mut escaped = false;
    for (at, c) in text.char_indices().skip(1) {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == quote {
            return at + c.len_utf8();
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_literals_become_backticks() {
        assert_eq!(
            backquoted("ruby", "out = %x(kubectl apply -f a.yaml 2>&1); puts out").as_deref(),
            Some("out = `kubectl apply -f a.yaml 2>&1`; puts out")
        );
        assert_eq!(
            backquoted("ruby", "puts %x{echo (a) {b}}").as_deref(),
            Some("puts `echo (a) {b}`")
        );
        assert_eq!(
            backquoted("perl", "my $o = qx{git push origin main};").as_deref(),
            Some("my $o = `git push origin main`;")
        );
        assert_eq!(
            backquoted("perl", "my $o = qx/ls `pwd`/;").as_deref(),
            Some("my $o = `ls \\`pwd\\``;")
        );
        // Not commands: text in a string, a modulo, a Perl variable.
        assert_eq!(backquoted("ruby", "puts '%x(ls)'"), None);
        assert_eq!(backquoted("ruby", "y = n %x"), None);
        assert_eq!(backquoted("perl", "print $qx{a};"), None);
        assert_eq!(backquoted("python", "x = '%x(ls)'"), None);
    }
}
