//! A small query lexer shared by dialects that only need a statement's
//! words, string values and brackets (ClickHouse SQL, Cypher): statements
//! split at `;`, comments and what the dialect leaves out dropped.

/// One token: an upper-cased word, a string's value, or a punctuation mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    Word(String),
    Text(String),
    Punct(char),
}

/// What tells one dialect's tokens apart.
pub(crate) struct Lexicon {
    /// Markers of a comment to the end of the line (`--`, `#`, `//`).
    pub(crate) line_comments: &'static [&'static str],
    /// Quotes whose body is a string value; the other quotes (of `'`,
    /// `"`, `` ` ``) quote names and are left out.
    pub(crate) text_quotes: &'static [char],
    /// Punctuation kept as tokens.
    pub(crate) punctuation: &'static [char],
    /// Whether a word may start with a digit.
    pub(crate) digit_words: bool,
    /// A sigil of parameters (`$x`), left out.
    pub(crate) parameter: Option<char>,
}

/// `text` split into statements at `;`, as tokens. A `/* */` comment is
/// left out in every dialect; a string's `\` escapes the next character.
pub(crate) fn statements(text: &str, lexicon: &Lexicon) -> Vec<Vec<Token>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = vec![Vec::new()];
    let mut at = 0;
    let starts = |at: usize, marker: &str| {
        marker
            .chars()
            .enumerate()
            .all(|(i, m)| chars.get(at + i) == Some(&m))
    };
    while let Some(&c) = chars.get(at) {
        if lexicon.line_comments.iter().any(|m| starts(at, m)) {
            while chars.get(at).is_some_and(|&c| c != '\n') {
                at += 1;
            }
            continue;
        }
        if starts(at, "/*") {
            at += 2;
            while at < chars.len() && !starts(at, "*/") {
                at += 1;
            }
            at += 2;
            continue;
        }
        at += 1;
        match c {
            '\'' | '"' | '`' => {
                let mut body = String::new();
                while let Some(&d) = chars.get(at) {
                    at += 1;
                    if d == '\\' {
                        body.extend(chars.get(at));
                        at += 1;
                    } else if d == c {
                        break;
                    } else {
                        body.push(d);
                    }
                }
                if lexicon.text_quotes.contains(&c)
                    && let Some(statement) = out.last_mut()
                {
                    statement.push(Token::Text(body));
                }
            }
            ';' => out.push(Vec::new()),
            c if c.is_alphabetic()
                || c == '_'
                || (lexicon.digit_words && c.is_numeric())
                || Some(c) == lexicon.parameter =>
            {
                let mut word = String::from(c);
                while let Some(&d) = chars.get(at).filter(|d| d.is_alphanumeric() || **d == '_') {
                    word.push(d);
                    at += 1;
                }
                if Some(c) != lexicon.parameter
                    && let Some(statement) = out.last_mut()
                {
                    statement.push(Token::Word(word.to_uppercase()));
                }
            }
            c if lexicon.punctuation.contains(&c) => {
                if let Some(statement) = out.last_mut() {
                    statement.push(Token::Punct(c));
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Lexicon, Token, statements};

    const CYPHERISH: Lexicon = Lexicon {
        line_comments: &["//"],
        text_quotes: &['\'', '"'],
        punctuation: &['(', ')'],
        digit_words: false,
        parameter: Some('$'),
    };

    const SQLISH: Lexicon = Lexicon {
        line_comments: &["--", "#"],
        text_quotes: &['\''],
        punctuation: &[','],
        digit_words: true,
        parameter: None,
    };

    fn word(w: &str) -> Token {
        Token::Word(w.to_owned())
    }

    fn text(t: &str) -> Token {
        Token::Text(t.to_owned())
    }

    #[test]
    fn each_dialect_keeps_its_own_strings_comments_and_marks() {
        assert_eq!(
            statements(
                "match (n) // all\nwhere n.x = $p and n.y = \"a\\\"b\"; /* c */ return `n`",
                &CYPHERISH
            ),
            vec![
                vec![
                    word("MATCH"),
                    Token::Punct('('),
                    word("N"),
                    Token::Punct(')'),
                    word("WHERE"),
                    word("N"),
                    word("X"),
                    word("AND"),
                    word("N"),
                    word("Y"),
                    text("a\"b"),
                ],
                vec![word("RETURN")],
            ]
        );
        assert_eq!(
            statements("select 1, 'x' -- no\n# none\nfrom \"t\"", &SQLISH),
            vec![vec![
                word("SELECT"),
                word("1"),
                Token::Punct(','),
                text("x"),
                word("FROM"),
            ]]
        );
    }
}
