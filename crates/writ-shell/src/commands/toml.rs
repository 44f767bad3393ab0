//! The part of TOML that tool manifests and configurations use
//! (`mise.toml`'s tasks, flox's `manifest.toml`, poetry's repositories):
//! tables and dotted keys, basic and literal strings (one-line and
//! multi-line), arrays and inline tables. Numbers, booleans
//! and dates are kept as their text. Reading stops at the first thing it
//! cannot read, keeping what came before.

/// A value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Str(String),
    Array(Vec<Value>),
    /// An inline table, its keys relative to it.
    Table(Vec<(Vec<String>, Value)>),
    /// A number, boolean or date, as written.
    Other(String),
}

impl Value {
    /// The strings a value holds: itself, or an array's strings.
    pub(crate) fn strings(&self) -> Vec<String> {
        match self {
            Value::Str(text) => vec![text.clone()],
            Value::Array(items) => items
                .iter()
                .filter_map(|item| match item {
                    Value::Str(text) => Some(text.clone()),
                    _ => None,
                })
                .collect(),
            Value::Table(_) | Value::Other(_) => Vec::new(),
        }
    }

    /// The value at `path` inside an inline table.
    pub(crate) fn get(&self, path: &[&str]) -> Option<&Value> {
        match self {
            Value::Table(entries) => lookup(entries, path),
            _ => None,
        }
    }
}

/// A document's values by their full key path.
#[derive(Debug, Default)]
pub(crate) struct Document {
    entries: Vec<(Vec<String>, Value)>,
}

impl Document {
    pub(crate) fn parse(text: &str) -> Document {
        let mut parser = Parser {
            chars: text.chars().collect(),
            at: 0,
        };
        Document {
            entries: parser.document(),
        }
    }

    /// The value at `path` (a key of a table or of an inline table).
    pub(crate) fn get(&self, path: &[&str]) -> Option<&Value> {
        lookup(&self.entries, path)
    }

    /// The value at `path`, or the table of the keys below it (`[tasks.x]`
    /// with its `run = ...` is the table `{ run = ... }`).
    pub(crate) fn section(&self, path: &[&str]) -> Option<Value> {
        if let Some(value) = self.get(path) {
            return Some(value.clone());
        }
        let below: Vec<(Vec<String>, Value)> = self
            .entries
            .iter()
            .filter(|(key, _)| key.len() > path.len() && key.iter().zip(path).all(|(k, p)| k == p))
            .map(|(key, value)| {
                (
                    key.get(path.len()..).unwrap_or_default().to_vec(),
                    value.clone(),
                )
            })
            .collect();
        (!below.is_empty()).then_some(Value::Table(below))
    }

    /// The keys directly below `prefix`, in the order they first appear
    /// (the task names below `tasks`).
    pub(crate) fn keys_below(&self, prefix: &[&str]) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for (path, value) in &self.entries {
            let below =
                path.len() > prefix.len() && path.iter().zip(prefix).all(|(key, want)| key == want);
            if below {
                if let Some(key) = path.get(prefix.len())
                    && !keys.contains(key)
                {
                    keys.push(key.clone());
                }
            } else if path.len() == prefix.len()
                && path.iter().zip(prefix).all(|(key, want)| key == want)
                && let Value::Table(entries) = value
            {
                for (inner, _) in entries {
                    if let Some(key) = inner.first()
                        && !keys.contains(key)
                    {
                        keys.push(key.clone());
                    }
                }
            }
        }
        keys
    }
}

/// The value at `path` among `entries`, looking into inline tables.
/// The value at `path`; of a key given twice (a file appended to), the
/// last.
fn lookup<'a>(entries: &'a [(Vec<String>, Value)], path: &[&str]) -> Option<&'a Value> {
    entries.iter().rev().find_map(|(key, value)| {
        if key.len() > path.len() || !key.iter().zip(path).all(|(k, p)| k == p) {
            return None;
        }
        match path.get(key.len()..) {
            Some([]) => Some(value),
            Some(rest) => value.get(rest),
            None => None,
        }
    })
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn starts_with(&self, text: &str) -> bool {
        text.chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(self.at + i) == Some(&c))
    }

    /// Spaces and tabs.
    fn blanks(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.at += 1;
        }
    }

    /// Blanks, line breaks and comments.
    fn space(&mut self) {
        loop {
            match self.peek() {
                Some(' ' | '\t' | '\n' | '\r') => self.at += 1,
                Some('#') => self.comment(),
                _ => return,
            }
        }
    }

    fn comment(&mut self) {
        while self.peek().is_some_and(|c| c != '\n') {
            self.at += 1;
        }
    }

    /// Every `key = value` of the document, under its table's path.
    fn document(&mut self) -> Vec<(Vec<String>, Value)> {
        let mut entries = Vec::new();
        let mut table: Vec<String> = Vec::new();
        loop {
            self.space();
            match self.peek() {
                None => return entries,
                Some('[') => {
                    let array = self.starts_with("[[");
                    self.at += if array { 2 } else { 1 };
                    self.blanks();
                    let Some(key) = self.key() else {
                        return entries;
                    };
                    self.blanks();
                    let close = if array { "]]" } else { "]" };
                    if !self.starts_with(close) {
                        return entries;
                    }
                    self.at += close.len();
                    table = key;
                    if array {
                        // The elements of an array of tables are not
                        // told apart: a key there is none of a table's.
                        table.push("[]".to_owned());
                    }
                }
                Some(_) => {
                    let Some((key, value)) = self.key_value() else {
                        return entries;
                    };
                    let mut path = table.clone();
                    path.extend(key);
                    entries.push((path, value));
                }
            }
            self.blanks();
            if self.peek() == Some('#') {
                self.comment();
            }
        }
    }

    fn key_value(&mut self) -> Option<(Vec<String>, Value)> {
        let key = self.key()?;
        self.blanks();
        if self.peek() != Some('=') {
            return None;
        }
        self.at += 1;
        self.blanks();
        Some((key, self.value()?))
    }

    /// A dotted key: bare words and quoted strings joined by `.`.
    fn key(&mut self) -> Option<Vec<String>> {
        let mut parts = Vec::new();
        loop {
            self.blanks();
            let part = match self.peek()? {
                '"' => self.basic_string()?,
                '\'' => self.literal_string()?,
                _ => {
                    let start = self.at;
                    while self
                        .peek()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
                    {
                        self.at += 1;
                    }
                    if self.at == start {
                        return None;
                    }
                    self.chars.get(start..self.at)?.iter().collect()
                }
            };
            parts.push(part);
            self.blanks();
            if self.peek() != Some('.') {
                return Some(parts);
            }
            self.at += 1;
        }
    }

    fn value(&mut self) -> Option<Value> {
        if self.starts_with("\"\"\"") {
            return self.multiline('"').map(Value::Str);
        }
        if self.starts_with("'''") {
            return self.multiline('\'').map(Value::Str);
        }
        match self.peek()? {
            '"' => self.basic_string().map(Value::Str),
            '\'' => self.literal_string().map(Value::Str),
            '[' => self.array(),
            '{' => self.inline_table(),
            _ => {
                let start = self.at;
                while self
                    .peek()
                    .is_some_and(|c| !matches!(c, ',' | ']' | '}' | '\n' | '\r' | '#'))
                {
                    self.at += 1;
                }
                let text: String = self.chars.get(start..self.at)?.iter().collect();
                let text = text.trim();
                (!text.is_empty()).then(|| Value::Other(text.to_owned()))
            }
        }
    }

    fn array(&mut self) -> Option<Value> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.space();
            if self.peek()? == ']' {
                self.at += 1;
                return Some(Value::Array(items));
            }
            items.push(self.value()?);
            self.space();
            match self.peek()? {
                ',' => self.at += 1,
                ']' => {}
                _ => return None,
            }
        }
    }

    fn inline_table(&mut self) -> Option<Value> {
        self.at += 1;
        let mut entries = Vec::new();
        loop {
            self.space();
            if self.peek()? == '}' {
                self.at += 1;
                return Some(Value::Table(entries));
            }
            entries.push(self.key_value()?);
            self.space();
            match self.peek()? {
                ',' => self.at += 1,
                '}' => {}
                _ => return None,
            }
        }
    }

    /// `"..."` with its escapes.
    fn basic_string(&mut self) -> Option<String> {
        self.at += 1;
        let mut text = String::new();
        loop {
            match self.peek()? {
                '"' => {
                    self.at += 1;
                    return Some(text);
                }
                '\\' => self.escape(&mut text)?,
                '\n' => return None,
                c => {
                    text.push(c);
                    self.at += 1;
                }
            }
        }
    }

    /// `'...'`, as written.
    fn literal_string(&mut self) -> Option<String> {
        self.at += 1;
        let mut text = String::new();
        loop {
            match self.peek()? {
                '\'' => {
                    self.at += 1;
                    return Some(text);
                }
                '\n' => return None,
                c => {
                    text.push(c);
                    self.at += 1;
                }
            }
        }
    }

    /// `"""..."""` (escapes, and a backslash at a line's end joins it to
    /// the next non-blank text) or `'''...'''` (as written); a line break
    /// right after the opening quotes is not part of it.
    fn multiline(&mut self, quote: char) -> Option<String> {
        self.at += 3;
        if self.starts_with("\r\n") {
            self.at += 2;
        } else if self.peek() == Some('\n') {
            self.at += 1;
        }
        let close: String = std::iter::repeat_n(quote, 3).collect();
        let mut text = String::new();
        loop {
            if self.starts_with(&close) {
                self.at += 3;
                // Up to two more quotes belong to the string.
                for _ in 0..2 {
                    if self.peek() == Some(quote) {
                        text.push(quote);
                        self.at += 1;
                    }
                }
                return Some(text);
            }
            match self.peek()? {
                '\\' if quote == '"' => {
                    let after = self.chars.get(self.at + 1..).unwrap_or_default();
                    let line_end = after
                        .iter()
                        .take_while(|c| matches!(c, ' ' | '\t' | '\r'))
                        .count();
                    if after.get(line_end) == Some(&'\n') {
                        self.at += 1;
                        while self.peek().is_some_and(char::is_whitespace) {
                            self.at += 1;
                        }
                    } else {
                        self.escape(&mut text)?;
                    }
                }
                c => {
                    text.push(c);
                    self.at += 1;
                }
            }
        }
    }

    /// A backslash escape of a basic string.
    fn escape(&mut self, text: &mut String) -> Option<()> {
        self.at += 1;
        let c = self.peek()?;
        self.at += 1;
        let plain = match c {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'e' => '\u{1b}',
            '"' | '\\' => c,
            'u' | 'U' => {
                let digits = if c == 'u' { 4 } else { 8 };
                let hex: String = self.chars.get(self.at..self.at + digits)?.iter().collect();
                self.at += digits;
                char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
            }
            _ => return None,
        };
        text.push(plain);
        Some(())
    }
}
