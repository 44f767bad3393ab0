//! A reader for Emacs Lisp: lists, vectors, strings, atoms and quoted
//! forms; comments are skipped, and text that does not read ends the
//! forms read so far.

/// One form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Sexp {
    List(Vec<Sexp>),
    Vector(Vec<Sexp>),
    Str(String),
    /// A symbol, number or character literal, as written.
    Atom(String),
    /// `'x`, `` `x ``, `,x`, `#'x`.
    Quoted(Box<Sexp>),
}

/// How deep forms may nest before the reader stops.
const MAX_DEPTH: usize = 64;

/// Every form of `text` that reads.
pub(super) fn read_all(text: &str) -> Vec<Sexp> {
    let mut reader = Reader {
        chars: text.chars().collect(),
        at: 0,
    };
    let mut forms = Vec::new();
    while let Some(form) = reader.form(0) {
        forms.push(form);
    }
    forms
}

struct Reader {
    chars: Vec<char>,
    at: usize,
}

impl Reader {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        Some(c)
    }

    /// Skips whitespace and `;` comments.
    fn skip_blank(&mut self) {
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                self.at += 1;
            } else if c == ';' {
                while self.peek().is_some_and(|c| c != '\n') {
                    self.at += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The next form; `None` at the end, at a closing bracket, or when
    /// it does not read.
    fn form(&mut self, depth: usize) -> Option<Sexp> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_blank();
        match self.peek()? {
            '(' => {
                self.at += 1;
                self.items(')', depth).map(Sexp::List)
            }
            '[' => {
                self.at += 1;
                self.items(']', depth).map(Sexp::Vector)
            }
            ')' | ']' => None,
            '"' => {
                self.at += 1;
                self.string().map(Sexp::Str)
            }
            '\'' | '`' => {
                self.at += 1;
                self.quoted(depth)
            }
            ',' => {
                self.at += 1;
                if self.peek() == Some('@') {
                    self.at += 1;
                }
                self.quoted(depth)
            }
            '#' if self.chars.get(self.at + 1) == Some(&'\'') => {
                self.at += 2;
                self.quoted(depth)
            }
            _ => Some(Sexp::Atom(self.atom())),
        }
    }

    fn quoted(&mut self, depth: usize) -> Option<Sexp> {
        self.form(depth + 1)
            .map(|form| Sexp::Quoted(Box::new(form)))
    }

    /// The forms up to `close`.
    fn items(&mut self, close: char, depth: usize) -> Option<Vec<Sexp>> {
        let mut items = Vec::new();
        loop {
            self.skip_blank();
            match self.peek()? {
                c if c == close => {
                    self.at += 1;
                    return Some(items);
                }
                ')' | ']' => return None,
                _ => items.push(self.form(depth + 1)?),
            }
        }
    }

    /// A string's text after its opening quote: `\"`, `\\`, `\n`, `\t`,
    /// `\e`; a backslash before a newline joins the lines.
    fn string(&mut self) -> Option<String> {
        let mut text = String::new();
        loop {
            match self.bump()? {
                '"' => return Some(text),
                '\\' => match self.bump()? {
                    'n' => text.push('\n'),
                    't' => text.push('\t'),
                    'r' => text.push('\r'),
                    'e' => text.push('\u{1b}'),
                    '\n' | ' ' => {}
                    other => text.push(other),
                },
                c => text.push(c),
            }
        }
    }

    /// A symbol or number (`\` escapes one character), or a character
    /// literal (`?a`, `?\(`).
    fn atom(&mut self) -> String {
        let mut text = String::new();
        if self.peek() == Some('?') {
            text.extend(self.bump());
            if let Some(c) = self.bump() {
                text.push(c);
                if c == '\\' {
                    text.extend(self.bump());
                }
            }
            return text;
        }
        while let Some(c) = self.peek() {
            if c.is_whitespace() || "()[]\";'`,".contains(c) {
                break;
            }
            self.at += 1;
            if c == '\\' {
                text.extend(self.bump());
            } else {
                text.push(c);
            }
        }
        if text.is_empty() {
            // A character no form starts with: skip it.
            self.at += 1;
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn atom(text: &str) -> Sexp {
        Sexp::Atom(text.to_owned())
    }

    #[test]
    fn reads_calls_strings_and_quotes() {
        let forms = read_all(r#"(call-process "rm" nil nil nil "-rf" "a \"b\"") ; done"#);
        assert_eq!(
            forms,
            vec![Sexp::List(vec![
                atom("call-process"),
                Sexp::Str("rm".to_owned()),
                atom("nil"),
                atom("nil"),
                atom("nil"),
                Sexp::Str("-rf".to_owned()),
                Sexp::Str("a \"b\"".to_owned()),
            ])]
        );
        let forms = read_all("'(\"a\") #'f ?\\( [x]");
        assert_eq!(
            forms,
            vec![
                Sexp::Quoted(Box::new(Sexp::List(vec![Sexp::Str("a".to_owned())]))),
                Sexp::Quoted(Box::new(atom("f"))),
                atom("?\\("),
                Sexp::Vector(vec![atom("x")]),
            ]
        );
    }

    #[test]
    fn unbalanced_text_stops_reading() {
        assert_eq!(read_all("(a (b"), Vec::new());
        let deep = "(".repeat(500);
        assert_eq!(read_all(&deep), Vec::new());
    }
}
