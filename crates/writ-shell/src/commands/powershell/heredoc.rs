//! `pwsh -Command "$(cat <<'PS1' ... PS1)"`: how an agent whose shell
//! tool runs bash hands PowerShell a script of several lines. The word is
//! one command substitution that prints a heredoc, so the text PowerShell
//! runs is the heredoc's body. The shell walk keeps such a substitution's
//! output unknown when it holds a backslash (an `echo` elsewhere would
//! decode it), but `cat` prints a heredoc as it is, and Windows paths
//! (`'src\fh-endpoint'`, `\\fs02\Finance$`) are full of backslashes.

use crate::args::Arg;

/// The body of the heredoc `word` prints, when `word` is wholly one
/// `$(cat <<DELIM ... DELIM)` substitution: with the delimiter quoted
/// (`'PS1'`, `"PS1"`) the body as written; with it bare, the body as
/// bash expands it when nothing in it expands but backslash escapes (a
/// `$` or backtick there is bash's to fill in, unknown). `<<-` strips the
/// body lines' leading tabs. `None` for any other word.
pub(super) fn printed_body(word: &Arg) -> Option<String> {
    let [inner] = word.substitutions.as_slice() else {
        return None;
    };
    let whole = word
        .text
        .trim()
        .strip_prefix("$(")
        .and_then(|t| t.strip_suffix(')'))?;
    if whole != inner {
        return None;
    }
    let (head, rest) = inner.trim_start().split_once('\n')?;
    let redirect = head.trim().strip_prefix("cat")?.trim_start();
    let redirect = redirect.strip_prefix("<<")?;
    let (strip_tabs, redirect) = match redirect.strip_prefix('-') {
        Some(after) => (true, after),
        None => (false, redirect),
    };
    let (delimiter, quoted) = delimiter(redirect.trim())?;
    let mut body: Vec<&str> = Vec::new();
    let mut lines = rest.split('\n');
    let mut closed = false;
    for line in lines.by_ref() {
        let line = if strip_tabs {
            line.trim_start_matches('\t')
        } else {
            line
        };
        if line.trim_end_matches('\r') == delimiter {
            closed = true;
            break;
        }
        body.push(line);
    }
    // Nothing but blanks may follow the heredoc in the substitution.
    if !closed || lines.any(|line| !line.trim().is_empty()) {
        return None;
    }
    let text = body.join("\n");
    if quoted {
        return Some(text);
    }
    if text.contains(['$', '`']) {
        return None;
    }
    Some(unescape(&text))
}

/// The delimiter word of a heredoc redirection and whether it is quoted
/// (`'PS1'`, `"PS1"`, `\PS1`): then the body is not expanded.
fn delimiter(word: &str) -> Option<(&str, bool)> {
    let plain = |name: &str| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    for quote in ['\'', '"'] {
        if let Some(name) = word.strip_prefix(quote).and_then(|w| w.strip_suffix(quote)) {
            return plain(name).then_some((name, true));
        }
    }
    if let Some(name) = word.strip_prefix('\\') {
        return plain(name).then_some((name, true));
    }
    plain(word).then_some((word, false))
}

/// A bare-delimited heredoc body without `$` or backticks as bash prints
/// it: `\\` is one backslash, a backslash before a line break joins the
/// lines, and any other backslash stays.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('\\') => {
                out.push('\\');
                chars.next();
            }
            Some('\n') => {
                chars.next();
            }
            _ => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn substitution(inner: &str) -> Arg {
        Arg {
            text: format!("$({inner})"),
            substitutions: vec![inner.to_owned()],
            dynamic: true,
            ..Arg::default()
        }
    }

    #[test]
    fn quoted_heredocs_print_their_body() {
        let word = substitution("cat <<'PS1'\nRemove-Item 'src\\app' -Recurse\n$x = 1\nPS1\n");
        assert_eq!(
            printed_body(&word).as_deref(),
            Some("Remove-Item 'src\\app' -Recurse\n$x = 1")
        );
        let word = substitution("cat <<-\"END\"\n\tGet-Item C:\\a\n\tEND\n");
        assert_eq!(printed_body(&word).as_deref(), Some("Get-Item C:\\a"));
    }

    #[test]
    fn bare_heredocs_print_their_body_without_expansions() {
        let word = substitution("cat <<PS1\nGet-Item C:\\a\\\\b\nPS1\n");
        assert_eq!(printed_body(&word).as_deref(), Some("Get-Item C:\\a\\b"));
        assert_eq!(
            printed_body(&substitution("cat <<PS1\nGet-Item $HOME\\a\nPS1\n")),
            None
        );
    }

    #[test]
    fn other_words_print_nothing_known() {
        for inner in [
            "cat ./script.ps1",
            "cat <<'PS1' | sed s/a/b/\nGet-Item a\nPS1\n",
            "cat <<'PS1'\nGet-Item a\nPS1\necho more\n",
            "cat <<'PS1'\nGet-Item a\n",
        ] {
            assert_eq!(printed_body(&substitution(inner)), None, "{inner}");
        }
        let mut word = substitution("cat <<'PS1'\na\nPS1\n");
        word.text = format!("x{}", word.text);
        assert_eq!(printed_body(&word), None);
    }
}
