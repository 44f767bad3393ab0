//! awk's tokens, as far as the analysis needs them: string literals with
//! their escapes decoded, names, the operators that redirect and compare,
//! statement ends; regular expression literals and comments dropped.

/// How many tokens of one program are read at most.
const MAX_TOKENS: usize = 4096;

/// A token of an awk program, as far as the analysis needs one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
    /// A string literal, escapes decoded.
    Str(String),
    /// A name, keyword or number.
    Word(String),
    /// An operator or punctuation: `|`, `|&`, `>`, `>>`, `<`, `(`, ...
    Punct(&'static str),
    /// The end of a statement: a newline or `;`.
    End,
}

/// True for a token that ends an operand (so a string after it is
/// concatenated to it).
pub(super) fn is_operand(token: &Token) -> bool {
    matches!(
        token,
        Token::Word(_) | Token::Str(_) | Token::Punct(")" | "$")
    )
}

/// The tokens of `program`: string literals decoded, regular expression
/// literals and comments dropped.
pub(super) fn tokens(program: &str) -> Vec<Token> {
    let chars: Vec<char> = program.chars().collect();
    let mut tokens = Vec::new();
    let mut at = 0;
    while let Some(&c) = chars.get(at) {
        if tokens.len() >= MAX_TOKENS {
            break;
        }
        at += 1;
        match c {
            '"' => {
                let (text, end) = string_literal(&chars, at);
                tokens.push(Token::Str(text));
                at = end;
            }
            '#' => {
                while chars.get(at).is_some_and(|c| *c != '\n') {
                    at += 1;
                }
            }
            '\\' if chars.get(at) == Some(&'\n') => at += 1,
            '\n' | ';' => tokens.push(Token::End),
            '/' if !tokens.last().is_some_and(is_operand) => at = regex_end(&chars, at),
            c if c.is_alphanumeric() || c == '_' || c == '.' => {
                let start = at - 1;
                while chars
                    .get(at)
                    .is_some_and(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
                {
                    at += 1;
                }
                let word: String = chars.get(start..at).unwrap_or_default().iter().collect();
                tokens.push(Token::Word(word));
            }
            c if c.is_whitespace() => {}
            _ => {
                let (punct, width) = punctuation(c, chars.get(at).copied());
                tokens.push(Token::Punct(punct));
                at += width;
            }
        }
    }
    tokens
}

/// An operator at `c` (followed by `next`) and how many more characters it
/// takes.
fn punctuation(c: char, next: Option<char>) -> (&'static str, usize) {
    match (c, next) {
        ('|', Some('&')) => ("|&", 1),
        ('|', Some('|')) => ("||", 1),
        ('>', Some('>')) => (">>", 1),
        ('>', Some('=')) => (">=", 1),
        ('<', Some('=')) => ("<=", 1),
        ('&', Some('&')) => ("&&", 1),
        ('!', Some('=')) => ("!=", 1),
        ('=', Some('=')) => ("==", 1),
        ('=', _) => ("=", 0),
        ('|', _) => ("|", 0),
        ('>', _) => (">", 0),
        ('<', _) => ("<", 0),
        ('(', _) => ("(", 0),
        (')', _) => (")", 0),
        ('{', _) => ("{", 0),
        ('}', _) => ("}", 0),
        (',', _) => (",", 0),
        ('$', _) => ("$", 0),
        _ => ("other", 0),
    }
}

/// A string literal's text from `at` (just past its `"`), and where it ends.
fn string_literal(chars: &[char], mut at: usize) -> (String, usize) {
    let mut text = String::new();
    while let Some(&c) = chars.get(at) {
        at += 1;
        match c {
            '"' => break,
            '\\' => {
                let Some(&escaped) = chars.get(at) else {
                    break;
                };
                at += 1;
                match escaped {
                    'n' => text.push('\n'),
                    't' => text.push('\t'),
                    'r' => text.push('\r'),
                    '\n' => {}
                    other => text.push(other),
                }
            }
            c => text.push(c),
        }
    }
    (text, at)
}

/// Where a regular expression literal that starts at `at` (past its `/`)
/// ends: past its closing `/`, which a backslash or a bracket expression
/// may hold.
fn regex_end(chars: &[char], mut at: usize) -> usize {
    let mut in_bracket = false;
    while let Some(&c) = chars.get(at) {
        at += 1;
        match c {
            '\\' => at += 1,
            '[' => in_bracket = true,
            ']' => in_bracket = false,
            '/' if !in_bracket => return at,
            '\n' => return at,
            _ => {}
        }
    }
    at
}
