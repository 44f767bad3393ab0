//! Text split into words the way a program other than the shell splits
//! it: at whitespace outside single and double quotes, quotes removed.
//! Programs differ only in what a backslash does, so that is the one
//! parameter ([`Backslash`]). And the way back: a word [`quote`]d so the
//! shell reads it as one word again.

/// What a backslash means to the program that splits the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Backslash {
    /// Nothing: it is a character like any other (a Dockerfile
    /// instruction's shell form, once its lines are joined).
    Literal,
    /// Outside quotes it takes the next character literally; inside
    /// quotes it is itself (xargs's input).
    OutsideQuotes,
    /// Outside quotes and inside double quotes it takes the next
    /// character literally (git's `split_cmdline`, for aliases).
    OutsideAndInDoubleQuotes,
    /// As POSIX sh without expansions: outside quotes it takes the next
    /// character literally; inside double quotes only before `"`, `\`,
    /// `$` or a backquote, and is kept before anything else.
    Posix,
}

/// `text`'s words, split at whitespace outside quotes, quotes removed and
/// backslashes read as `backslash` says. An empty quoted word (`''`) is a
/// word.
pub(super) fn split(text: &str, backslash: Backslash) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') if backslash == Backslash::OutsideAndInDoubleQuotes => {
                word.extend(chars.next());
            }
            (Some('"'), '\\') if backslash == Backslash::Posix => match chars.next() {
                Some(next @ ('"' | '\\' | '$' | '`')) => word.push(next),
                Some(next) => {
                    word.push('\\');
                    word.push(next);
                }
                None => word.push('\\'),
            },
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '\\') if backslash != Backslash::Literal => {
                word.extend(chars.next());
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// True for text the shell reads as one word as it stands.
pub(super) fn is_plain(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c))
}

/// `text` as one shell word, in single quotes unless it needs none.
pub(super) fn quote(text: &str) -> String {
    if is_plain(text) {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::{Backslash, quote, split};

    #[test]
    fn every_dialect_splits_at_blanks_outside_quotes_and_keeps_empty_quoted_words() {
        for dialect in [
            Backslash::Literal,
            Backslash::OutsideQuotes,
            Backslash::OutsideAndInDoubleQuotes,
            Backslash::Posix,
        ] {
            assert_eq!(
                split("  a 'b c'\t\"d  e\" f''g '' ", dialect),
                ["a", "b c", "d  e", "fg", ""],
                "{dialect:?}"
            );
        }
    }

    #[test]
    fn each_dialect_reads_backslashes_as_its_program_does() {
        let cases: &[(Backslash, &str, &[&str])] = &[
            (Backslash::Literal, r"a\ b 'c\d'", &[r"a\", "b", r"c\d"]),
            (
                Backslash::OutsideQuotes,
                r#"a\ b 'c\d' "e\"f"#,
                &["a b", r"c\d", r"e\f"],
            ),
            (
                Backslash::OutsideAndInDoubleQuotes,
                r#"a\ b 'c\d' "e\"f\g""#,
                &["a b", r"c\d", "e\"fg"],
            ),
            (
                Backslash::Posix,
                r#"a\ b 'c\d' "e\"f\g\$h""#,
                &["a b", r"c\d", r#"e"f\g$h"#],
            ),
        ];
        for (dialect, text, words) in cases {
            assert_eq!(split(text, *dialect), *words, "{dialect:?}: {text}");
        }
    }

    #[test]
    fn quoting_keeps_plain_words_and_single_quotes_the_rest() {
        assert_eq!(quote("a/b.txt"), "a/b.txt");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a b"), "'a b'");
    }
}
