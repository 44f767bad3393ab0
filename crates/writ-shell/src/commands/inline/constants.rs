//! Constant string expressions in inline code that stand for text they do
//! not write out: a command decoded before it is run
//! (`os.system(base64.b64decode('...').decode())`, `system(scalar reverse
//! q{...})`, `system(decode_base64("..."))`, `` `#{Base64.decode64(...)}` ``).
//!
//! [`fold`] evaluates each such expression whose every part is a literal
//! and rewrites it as the string literal it evaluates to, so the literal
//! analysis of `inline` sees the command a shell-running call is given.
//! Understood, by language:
//! - Python: all literal forms (prefixes, triple quotes, escapes), `+`,
//!   `base64.b64decode` (and its standard, URL-safe and `decodebytes`
//!   forms), `bytes.fromhex`, `binascii.unhexlify`, `codecs.decode(s,
//!   'rot13' | 'hex' | 'base64')`, `chr`, `bytes([...])`, `.decode()`,
//!   `.encode()`, `[::-1]`, `''.join(...)` of a list, `map(chr, [...])` or
//!   `chr(c) for c in [...]`;
//! - Perl: quotes, `q{}`/`qq{}`/`qw{}` with any delimiter, `.`,
//!   `scalar reverse`, `decode_base64`, `pack('H*' | 'C*', ...)`, `join`,
//!   `chr`, `map { chr } ...`;
//! - Ruby: quotes, `+`, `Base64.decode64`, `.reverse`, `.pack('c*' |
//!   'U*' | 'H*')`, `.unpack1('m')`, `.map(&:chr)`, `.join`;
//! - JavaScript: quotes, `+`, `atob`, `Buffer.from(s, 'base64' | 'hex')`,
//!   `.toString()`, `String.fromCharCode`, `.split('')`, `.reverse()`,
//!   `.join('')`.
//!
//! An expression with any part it cannot evaluate (a variable, an
//! interpolation, an unknown call) is left as written.

use std::cell::Cell;

use super::super::pathexpr::Cursor;

/// Code longer than this is not rewritten.
const MAX_CODE: usize = 64 * 1024;
/// How deep calls and parentheses nest.
const MAX_DEPTH: usize = 12;
/// Longest text or list a value may grow to.
const MAX_VALUE: usize = 16 * 1024;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Language {
    Python,
    Perl,
    Ruby,
    Node,
}

impl Language {
    fn of(program: &str) -> Option<Self> {
        let name = program.rsplit('/').next().unwrap_or(program);
        if name.starts_with("python") || name.starts_with("pypy") {
            Some(Self::Python)
        } else if name.starts_with("perl") {
            Some(Self::Perl)
        } else if name.starts_with("ruby") {
            Some(Self::Ruby)
        } else if name.starts_with("node") || matches!(name, "deno" | "bun" | "nodejs") {
            Some(Self::Node)
        } else {
            None
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Value {
    Text(String),
    Number(i64),
    List(Vec<Value>),
}

impl Value {
    fn text(self) -> Option<String> {
        match self {
            Self::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The value's items: a list's, or one value's alone.
    fn items(self) -> Vec<Value> {
        match self {
            Self::List(items) => items,
            other => vec![other],
        }
    }

    /// The character a number is the code of.
    fn char_code(&self) -> Option<char> {
        match self {
            Self::Number(n) => u32::try_from(*n).ok().and_then(char::from_u32),
            _ => None,
        }
    }

    /// A byte: a number below 256.
    fn byte(&self) -> Option<u8> {
        match self {
            Self::Number(n) => u8::try_from(*n).ok(),
            _ => None,
        }
    }
}

/// What an expression evaluated to, where it ends, and whether it is more
/// than one plain literal (worth rewriting).
struct Evaluated {
    value: Value,
    end: usize,
    derived: bool,
}

/// `code` with its constant decoding expressions rewritten as literals;
/// `None` when there is nothing to rewrite.
pub(super) fn fold(code: &str, program: &str) -> Option<String> {
    let language = Language::of(program)?;
    if code.len() > MAX_CODE {
        return None;
    }
    let folder = Folder {
        code,
        language,
        depth: Cell::new(0),
    };
    folder.rewrite()
}

struct Folder<'a> {
    code: &'a str,
    language: Language,
    depth: Cell<usize>,
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The decoders of one argument, by the names code calls them with.
const BASE64_CALLS: &[&str] = &[
    "base64.b64decode",
    "base64.standard_b64decode",
    "base64.urlsafe_b64decode",
    "base64.decodebytes",
    "base64.decodestring",
    "b64decode",
    "standard_b64decode",
    "urlsafe_b64decode",
    "MIME::Base64::decode_base64",
    "decode_base64",
    "Base64.decode64",
    "Base64.strict_decode64",
    "Base64.urlsafe_decode64",
    "atob",
];

const HEX_CALLS: &[&str] = &[
    "bytes.fromhex",
    "bytearray.fromhex",
    "binascii.unhexlify",
    "binascii.a2b_hex",
    "unhexlify",
];

impl Cursor for Folder<'_> {
    fn code(&self) -> &str {
        self.code
    }
}

impl Folder<'_> {
    fn skip_spaces(&self, pos: usize) -> usize {
        let rest = self.rest(pos);
        pos + rest.len() - rest.trim_start().len()
    }

    /// The dotted (or `::`) name at `pos`: `base64.b64decode`.
    fn name_at(&self, pos: usize) -> Option<&str> {
        let rest = self.rest(pos);
        if !rest
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        {
            return None;
        }
        let mut len = 0;
        let bytes = rest.as_bytes();
        while len < bytes.len() {
            let c = char::from(bytes[len]);
            let dotted = (c == '.' || (c == ':' && bytes.get(len + 1) == Some(&b':')))
                && bytes
                    .get(len + if c == ':' { 2 } else { 1 })
                    .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'_');
            if is_ident_char(c) {
                len += 1;
            } else if dotted {
                len += if c == ':' { 2 } else { 1 };
            } else {
                break;
            }
        }
        rest.get(..len)
    }

    /// True when the word at `pos` is `word`, whole.
    fn word_at(&self, pos: usize, word: &str) -> bool {
        self.rest(pos).starts_with(word)
            && !self
                .rest(pos + word.len())
                .chars()
                .next()
                .is_some_and(is_ident_char)
    }

    fn nested<T>(&self, f: impl FnOnce() -> Option<T>) -> Option<T> {
        if self.depth.get() >= MAX_DEPTH {
            return None;
        }
        self.depth.set(self.depth.get() + 1);
        let found = f();
        self.depth.set(self.depth.get() - 1);
        found
    }

    /// An expression: terms joined by the language's concatenation.
    fn expr(&self, pos: usize) -> Option<Evaluated> {
        self.nested(|| {
            let mut left = self.term(pos)?;
            loop {
                let at = self.skip_spaces(left.end);
                let Some(next) = self.concatenation(at) else {
                    return Some(left);
                };
                let right = self.term(self.skip_spaces(next))?;
                let joined = match (left.value, right.value) {
                    (Value::Text(a), Value::Text(b)) if a.len() + b.len() <= MAX_VALUE => {
                        Value::Text(a + &b)
                    }
                    _ => return None,
                };
                left = Evaluated {
                    value: joined,
                    end: right.end,
                    derived: true,
                };
            }
        })
    }

    /// Where the right operand of a concatenation at `pos` starts.
    fn concatenation(&self, pos: usize) -> Option<usize> {
        let rest = self.rest(pos);
        match self.language {
            Language::Perl => {
                (rest.starts_with('.') && !rest.starts_with("..") && !rest.starts_with(".="))
                    .then_some(pos + 1)
            }
            _ => (rest.starts_with('+') && !rest.starts_with("++") && !rest.starts_with("+="))
                .then_some(pos + 1),
        }
    }

    /// A primary with the methods and slices after it.
    fn term(&self, pos: usize) -> Option<Evaluated> {
        let mut term = self.primary(pos)?;
        loop {
            let at = if self.language == Language::Ruby {
                term.end
            } else {
                self.skip_spaces(term.end)
            };
            match self.postfix(term.value.clone(), at) {
                Some((value, end)) => {
                    term = Evaluated {
                        value,
                        end,
                        derived: true,
                    };
                }
                None => return Some(term),
            }
        }
    }

    /// A method call or slice at `pos` applied to `value`: the result and
    /// where it ends.
    fn postfix(&self, value: Value, pos: usize) -> Option<(Value, usize)> {
        let rest = self.rest(pos);
        if let Some(slice) = ["[::-1]", "[ :: -1 ]"]
            .iter()
            .find(|s| rest.starts_with(**s))
        {
            return Some((reversed(value), pos + slice.len()));
        }
        let after_dot = rest.strip_prefix('.')?;
        let method: String = after_dot
            .chars()
            .take_while(|c| is_ident_char(*c) || *c == '!')
            .collect();
        let name_end = pos + 1 + method.len();
        let (args, end) = if self.char_at(name_end) == Some('(') && method != "map" {
            self.arguments(name_end + 1)?
        } else {
            (Vec::new(), name_end)
        };
        let first_text = || args.first().cloned().and_then(Value::text);
        let result = match method.as_str() {
            // Bytes to text and back, text to itself: the same text here.
            "decode" | "encode" | "toString" | "force_encoding" | "to_s" | "strip" | "chomp"
            | "trim" => {
                let other_encoding = first_text().is_some_and(|e| {
                    !matches!(
                        e.to_ascii_lowercase().as_str(),
                        "utf-8" | "utf8" | "ascii" | "latin1" | "binary"
                    )
                });
                if method == "toString" && other_encoding {
                    return None;
                }
                match (method.as_str(), value) {
                    ("strip" | "trim", Value::Text(t)) => Value::Text(t.trim().to_owned()),
                    ("chomp", Value::Text(t)) => Value::Text(t.trim_end_matches('\n').to_owned()),
                    (_, v @ Value::Text(_)) => v,
                    _ => return None,
                }
            }
            "reverse" => reversed(value),
            "join" => match value {
                // Python: `sep.join(items)`.
                Value::Text(sep) if self.language == Language::Python => {
                    joined(args.into_iter().next()?.items(), &sep)?
                }
                // Ruby and JavaScript: `items.join(sep)`.
                Value::List(items) => {
                    let sep = match args.first() {
                        Some(_) => first_text()?,
                        None if self.language == Language::Node => ",".to_owned(),
                        None => String::new(),
                    };
                    joined(items, &sep)?
                }
                _ => return None,
            },
            "split" if first_text().is_some_and(|s| s.is_empty()) => match value {
                Value::Text(t) => Value::List(t.chars().map(|c| Value::Text(c.into())).collect()),
                _ => return None,
            },
            "map" if self.rest(name_end).starts_with("(&:chr)") => {
                let codes = value
                    .items()
                    .iter()
                    .map(|v| v.char_code())
                    .collect::<Option<Vec<_>>>()?;
                return Some((
                    Value::List(codes.into_iter().map(|c| Value::Text(c.into())).collect()),
                    name_end + "(&:chr)".len(),
                ));
            }
            "pack" => pack(&first_text()?, value.items())?,
            "unpack1" => match (first_text()?.as_str(), value) {
                ("m" | "m0", Value::Text(t)) => {
                    Value::Text(crate::flow::decode_base64_text(&t, false)?)
                }
                _ => return None,
            },
            _ => return None,
        };
        Some((result, end))
    }

    /// Comma-separated arguments from `pos` up to the closing `)`: their
    /// values (a spread `...[list]` adds its items) and the position past
    /// it. Keyword arguments are skipped.
    fn arguments(&self, pos: usize) -> Option<(Vec<Value>, usize)> {
        self.items(pos, ')')
    }

    /// Comma-separated items from `pos` up to `close`.
    fn items(&self, pos: usize, close: char) -> Option<(Vec<Value>, usize)> {
        let mut values = Vec::new();
        let mut at = self.skip_spaces(pos);
        if self.char_at(at) == Some(close) {
            return Some((values, at + 1));
        }
        loop {
            if self.rest(at).starts_with("...") {
                let spread = self.expr(self.skip_spaces(at + 3))?;
                values.extend(spread.value.items());
                at = self.skip_spaces(spread.end);
            } else if let Some(after) = self.keyword_argument(at) {
                at = after;
            } else if let Some((value, end)) = self.comprehension(at) {
                values.push(value);
                at = self.skip_spaces(end);
            } else {
                let item = self.expr(at)?;
                values.push(item.value);
                at = self.skip_spaces(item.end);
            }
            if values.len() > MAX_VALUE {
                return None;
            }
            match self.char_at(at)? {
                c if c == close => return Some((values, at + 1)),
                ',' => {
                    at = self.skip_spaces(at + 1);
                    if self.char_at(at) == Some(close) {
                        return Some((values, at + 1));
                    }
                }
                _ => return None,
            }
        }
    }

    /// A Python keyword argument at `pos` (`errors='ignore'`): where it
    /// ends. Its value is not the call's text.
    fn keyword_argument(&self, pos: usize) -> Option<usize> {
        if self.language != Language::Python {
            return None;
        }
        let name = self.name_at(pos)?;
        let eq = self.skip_spaces(pos + name.len());
        let rest = self.rest(eq);
        (rest.starts_with('=') && !rest.starts_with("==")).then_some(())?;
        Some(self.expr(self.skip_spaces(eq + 1))?.end)
    }

    /// Python's `chr(c) for c in ITEMS` (bracketed or not): the characters.
    fn comprehension(&self, pos: usize) -> Option<(Value, usize)> {
        if self.language != Language::Python {
            return None;
        }
        let (open, mut at) = match self.char_at(pos) {
            Some('[') => (true, self.skip_spaces(pos + 1)),
            _ => (false, pos),
        };
        at = self.skip_spaces(self.expect(at, "chr")?);
        at = self.skip_spaces(self.expect(at, "(")?);
        let var = self.name_at(at)?;
        at = self.skip_spaces(at + var.len());
        at = self.skip_spaces(self.expect(at, ")")?);
        at = self.skip_spaces(self.expect_word(at, "for")?);
        at = self.skip_spaces(self.expect_word(at, var)?);
        at = self.skip_spaces(self.expect_word(at, "in")?);
        let items = self.expr(at)?;
        let mut end = items.end;
        if open {
            end = self.expect(self.skip_spaces(end), "]")?;
        }
        Some((chars_of(items.value.items())?, end))
    }

    fn expect(&self, pos: usize, text: &str) -> Option<usize> {
        self.rest(pos).starts_with(text).then_some(pos + text.len())
    }

    fn expect_word(&self, pos: usize, word: &str) -> Option<usize> {
        self.word_at(pos, word).then_some(pos + word.len())
    }

    fn primary(&self, pos: usize) -> Option<Evaluated> {
        let c = self.char_at(pos)?;
        if let Some((text, end)) = self.string_literal(pos) {
            return Some(Evaluated {
                value: text,
                end,
                derived: false,
            });
        }
        if c == '(' {
            let (mut values, end) = self.nested(|| self.items(pos + 1, ')'))?;
            let value = if values.len() == 1 {
                values.pop()?
            } else {
                Value::List(values)
            };
            return Some(Evaluated {
                value,
                end,
                derived: true,
            });
        }
        if c == '[' {
            let (values, end) = self.nested(|| self.items(pos + 1, ']'))?;
            return Some(Evaluated {
                value: Value::List(values),
                end,
                derived: true,
            });
        }
        if c.is_ascii_digit() {
            return self.number(pos);
        }
        let name = self.name_at(pos)?;
        let after = self.skip_spaces(pos + name.len());
        let (value, end) = self.call(name, after)?;
        Some(Evaluated {
            value,
            end,
            derived: true,
        })
    }

    /// A decimal, hex (`0x`), octal (`0o`) or binary (`0b`) integer.
    fn number(&self, pos: usize) -> Option<Evaluated> {
        let digits: String = self
            .rest(pos)
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let clean = digits.replace('_', "");
        let lower = clean.to_ascii_lowercase();
        let parsed = if let Some(hex) = lower.strip_prefix("0x") {
            i64::from_str_radix(hex, 16).ok()
        } else if let Some(oct) = lower.strip_prefix("0o") {
            i64::from_str_radix(oct, 8).ok()
        } else if let Some(bin) = lower.strip_prefix("0b") {
            i64::from_str_radix(bin, 2).ok()
        } else {
            lower.parse().ok()
        }?;
        Some(Evaluated {
            value: Value::Number(parsed),
            end: pos + digits.len(),
            derived: false,
        })
    }

    /// The arguments of a call whose name ends before `pos`: in
    /// parentheses, or (Perl and Ruby) a list written after the name.
    fn call_arguments(&self, pos: usize) -> Option<(Vec<Value>, usize)> {
        if self.char_at(pos) == Some('(') {
            return self.nested(|| self.arguments(pos + 1));
        }
        if !matches!(self.language, Language::Perl | Language::Ruby) {
            return None;
        }
        let mut values = Vec::new();
        let mut at = pos;
        loop {
            let item = self.expr(at)?;
            values.push(item.value);
            let next = self.skip_spaces(item.end);
            if self.char_at(next) != Some(',') {
                return Some((values, item.end));
            }
            at = self.skip_spaces(next + 1);
        }
    }

    /// A named call at `pos` (just past the name): its value and end.
    fn call(&self, name: &str, pos: usize) -> Option<(Value, usize)> {
        if self.language == Language::Perl
            && let Some(found) = self.perl_call(name, pos)
        {
            return Some(found);
        }
        if self.language == Language::Python && name == "map" {
            return self.python_map(pos);
        }
        let (args, end) = self.call_arguments(pos)?;
        let text_arg = |i: usize| args.get(i).cloned().and_then(Value::text);
        let value = if BASE64_CALLS.contains(&name) {
            Value::Text(crate::flow::decode_base64_text(
                &text_arg(0)?,
                name.contains("urlsafe"),
            )?)
        } else if HEX_CALLS.contains(&name) {
            Value::Text(unhex(&text_arg(0)?)?)
        } else {
            match name {
                "codecs.decode" | "codecs.encode" => {
                    codec(&text_arg(0)?, &text_arg(1)?, name.ends_with("decode"))?
                }
                "chr" => Value::Text(args.first()?.char_code()?.into()),
                "str" => Value::Text(text_arg(0)?),
                "bytes" | "bytearray" => match args.first()? {
                    Value::List(items) => bytes_text(items)?,
                    Value::Text(t) => Value::Text(t.clone()),
                    Value::Number(_) => return None,
                },
                "Buffer.from" => match text_arg(1).as_deref() {
                    Some("base64") => {
                        Value::Text(crate::flow::decode_base64_text(&text_arg(0)?, true)?)
                    }
                    Some("hex") => Value::Text(unhex(&text_arg(0)?)?),
                    None | Some("utf8" | "utf-8") => match args.first()? {
                        Value::List(items) => bytes_text(items)?,
                        Value::Text(t) => Value::Text(t.clone()),
                        Value::Number(_) => return None,
                    },
                    _ => return None,
                },
                "String.fromCharCode" => chars_of(args)?,
                _ => return None,
            }
        };
        Some((value, end))
    }

    /// Python's `map(chr, ITEMS)`, its arguments from `pos` (the `(`):
    /// the characters, and where the call ends.
    fn python_map(&self, pos: usize) -> Option<(Value, usize)> {
        let mut at = self.skip_spaces(self.expect(pos, "(")?);
        at = self.skip_spaces(self.expect_word(at, "chr")?);
        at = self.skip_spaces(self.expect(at, ",")?);
        let items = self.expr(at)?;
        let end = self.expect(self.skip_spaces(items.end), ")")?;
        Some((chars_of(items.value.items())?, end))
    }

    /// Perl's built-ins: `scalar reverse`, `reverse`, `join`, `pack`,
    /// `chr`, `map { chr } LIST` and `qw`.
    fn perl_call(&self, name: &str, pos: usize) -> Option<(Value, usize)> {
        match name {
            "scalar" => {
                let inner_at = if self.char_at(pos) == Some('(') {
                    self.skip_spaces(pos + 1)
                } else {
                    pos
                };
                let reverse_at = self.expect_word(inner_at, "reverse")?;
                let (args, mut end) = self.call_arguments(self.skip_spaces(reverse_at))?;
                if inner_at != pos {
                    end = self.expect(self.skip_spaces(end), ")")?;
                }
                let text = joined(args, "")?;
                Some((reversed(text), end))
            }
            "reverse" => {
                let (args, end) = self.call_arguments(pos)?;
                let value = if self.scalar_context(pos) {
                    reversed(joined(args, "")?)
                } else {
                    let mut items = args;
                    items.reverse();
                    list_or_one(items)
                };
                Some((value, end))
            }
            "join" => {
                let (args, end) = self.call_arguments(pos)?;
                let mut args = args.into_iter();
                let sep = args.next()?.text()?;
                let items: Vec<Value> = args.flat_map(Value::items).collect();
                Some((joined(items, &sep)?, end))
            }
            "pack" => {
                let (args, end) = self.call_arguments(pos)?;
                let mut args = args.into_iter();
                let template = args.next()?.text()?;
                let items: Vec<Value> = args.flat_map(Value::items).collect();
                Some((pack(&template, items)?, end))
            }
            "map" => {
                let mut at = self.expect(pos, "{")?;
                at = self.skip_spaces(at);
                at = self.skip_spaces(self.expect_word(at, "chr")?);
                if let Some(open) = self.expect(at, "(") {
                    at = self.skip_spaces(self.expect(self.skip_spaces(open), "$_")?);
                    at = self.skip_spaces(self.expect(at, ")")?);
                } else if let Some(after) = self.expect(at, "$_") {
                    at = self.skip_spaces(after);
                }
                at = self.skip_spaces(self.expect(at, "}")?);
                let (args, end) = self.call_arguments(at)?;
                let items: Vec<Value> = args.into_iter().flat_map(Value::items).collect();
                Some((chars_of(items)?, end))
            }
            "chr" => {
                let (args, end) = self.call_arguments(pos)?;
                Some((Value::Text(args.first()?.char_code()?.into()), end))
            }
            _ => None,
        }
    }

    /// True when Perl's `reverse` (its arguments from `pos`) is in scalar
    /// context: assigned to a scalar (`$c = reverse ...`) or concatenated.
    fn scalar_context(&self, pos: usize) -> bool {
        let Some(before) = self
            .code
            .get(..pos)
            .unwrap_or_default()
            .trim_end()
            .strip_suffix("reverse")
        else {
            return false;
        };
        let before = before.trim_end();
        if before.ends_with('.') && !before.ends_with("..") {
            return true;
        }
        let Some(head) = before.strip_suffix('=') else {
            return false;
        };
        let head = head.trim_end();
        let name_start = head.trim_end_matches(|c: char| is_ident_char(c)).len();
        head.get(..name_start).is_some_and(|h| h.ends_with('$'))
    }

    /// The string literal at `pos`, by the language's quoting: its value
    /// and end. `None` for one that interpolates.
    fn string_literal(&self, pos: usize) -> Option<(Value, usize)> {
        match self.language {
            Language::Python => self.python_literal(pos),
            Language::Perl => self.perl_literal(pos),
            Language::Ruby | Language::Node => {
                let quote = self
                    .char_at(pos)
                    .filter(|c| matches!(c, '\'' | '"' | '`'))?;
                let (raw, end) = quoted(self.code, pos + 1, quote, None)?;
                let interpolates = match (self.language, quote) {
                    (Language::Ruby, '"') => raw.contains("#{"),
                    (Language::Node, '`') => raw.contains("${"),
                    (Language::Ruby, '`') => return None,
                    _ => false,
                };
                if interpolates {
                    return None;
                }
                let text = if quote == '\'' {
                    single_quoted(&raw)
                } else {
                    unescape(&raw)?
                };
                Some((Value::Text(text), end))
            }
        }
    }

    fn python_literal(&self, pos: usize) -> Option<(Value, usize)> {
        let rest = self.rest(pos);
        let prefix: String = rest
            .chars()
            .take(2)
            .take_while(|c| matches!(c.to_ascii_lowercase(), 'r' | 'b' | 'u'))
            .collect();
        if !prefix.is_empty() && self.char_before(pos).is_some_and(is_ident_char) {
            return None;
        }
        let start = pos + prefix.len();
        let quote = self.char_at(start).filter(|c| matches!(c, '\'' | '"'))?;
        let triple: String = std::iter::repeat_n(quote, 3).collect();
        let raw_prefix = prefix.to_ascii_lowercase().contains('r');
        let (raw, end) = if self.rest(start).starts_with(&triple) {
            let body = start + 3;
            let close = self.rest(body).find(&triple)?;
            (self.rest(body).get(..close)?.to_owned(), body + close + 3)
        } else {
            quoted(self.code, start + 1, quote, None)?
        };
        let text = if raw_prefix { raw } else { unescape(&raw)? };
        Some((Value::Text(text), end))
    }

    fn perl_literal(&self, pos: usize) -> Option<(Value, usize)> {
        let c = self.char_at(pos)?;
        if matches!(c, '\'' | '"') {
            let (raw, end) = quoted(self.code, pos + 1, c, None)?;
            let text = if c == '\'' {
                single_quoted(&raw)
            } else {
                perl_double(&raw)?
            };
            return Some((Value::Text(text), end));
        }
        if !self
            .char_before(pos)
            .is_none_or(|b| !is_ident_char(b) && !matches!(b, '$' | '@' | '%' | '&'))
        {
            return None;
        }
        let operator = ["qq", "qw", "q"]
            .into_iter()
            .find(|op| self.rest(pos).starts_with(op))?;
        let open_at = self.skip_spaces(pos + operator.len());
        let open = self.char_at(open_at)?;
        if is_ident_char(open) || open.is_whitespace() || open == ',' || open == ';' || open == '='
        {
            return None;
        }
        let close = match open {
            '{' => '}',
            '(' => ')',
            '[' => ']',
            '<' => '>',
            other => other,
        };
        let (raw, end) = quoted(
            self.code,
            open_at + 1,
            close,
            (open != close).then_some(open),
        )?;
        let value = match operator {
            "q" => Value::Text(single_quoted(&raw)),
            "qq" => Value::Text(perl_double(&raw)?),
            _ => Value::List(
                raw.split_whitespace()
                    .map(|w| Value::Text(w.to_owned()))
                    .collect(),
            ),
        };
        Some((value, end))
    }

    /// The code with every derived constant expression replaced by its
    /// literal.
    fn rewrite(&self) -> Option<String> {
        let mut out = String::with_capacity(self.code.len());
        let mut copied = 0;
        let mut skip_to = 0;
        for (pos, c) in self.code.char_indices() {
            if pos < skip_to {
                continue;
            }
            if c == '#' && self.language != Language::Node && self.comment_starts(pos) {
                skip_to = self
                    .rest(pos)
                    .find('\n')
                    .map_or(self.code.len(), |n| pos + n);
                continue;
            }
            let literal = self.string_literal(pos).map(|(_, end)| end);
            if !self.candidate(pos, c, literal.is_some()) {
                continue;
            }
            match self.expr(pos).filter(|e| e.derived) {
                Some(Evaluated {
                    value: Value::Text(text),
                    end,
                    ..
                }) => {
                    out.push_str(self.code.get(copied..pos).unwrap_or_default());
                    out.push_str(&render(&text));
                    copied = end;
                    skip_to = end;
                }
                _ => {
                    if let Some(end) = literal {
                        skip_to = end;
                    }
                }
            }
        }
        if copied == 0 {
            return None;
        }
        out.push_str(self.code.get(copied..).unwrap_or_default());
        Some(out)
    }

    /// True when `#` at `pos` starts a comment (not Perl's `$#array` or
    /// a delimiter).
    fn comment_starts(&self, pos: usize) -> bool {
        self.char_before(pos)
            .is_none_or(|b| b.is_whitespace() || matches!(b, ';' | '{' | '}'))
    }

    /// True when an expression may start at `pos`: a literal, a name
    /// that is not part of another, or a group or list that is not a
    /// call's arguments or an index.
    fn candidate(&self, pos: usize, c: char, literal: bool) -> bool {
        let before = self.char_before(pos);
        if literal {
            return true;
        }
        if c == '(' || c == '[' {
            return !before.is_some_and(|b| {
                is_ident_char(b) || matches!(b, ')' | ']' | '\'' | '"' | '`' | '}')
            });
        }
        (c.is_ascii_alphabetic() || c == '_')
            && before.is_none_or(|b| {
                !is_ident_char(b) && !matches!(b, '.' | '$' | '@' | '%' | '&' | ':')
            })
    }
}

/// A text's characters, or a list's items, in reverse order.
fn reversed(value: Value) -> Value {
    match value {
        Value::Text(t) => Value::Text(t.chars().rev().collect()),
        Value::List(mut items) => {
            items.reverse();
            Value::List(items)
        }
        other => other,
    }
}

fn list_or_one(mut items: Vec<Value>) -> Value {
    if items.len() == 1 {
        items.pop().unwrap_or(Value::List(Vec::new()))
    } else {
        Value::List(items)
    }
}

/// Texts (numbers as digits) joined with `sep`.
fn joined(items: Vec<Value>, sep: &str) -> Option<Value> {
    let parts = items
        .into_iter()
        .map(|item| match item {
            Value::Text(t) => Some(t),
            Value::Number(n) => Some(n.to_string()),
            Value::List(_) => None,
        })
        .collect::<Option<Vec<_>>>()?;
    let text = parts.join(sep);
    (text.len() <= MAX_VALUE).then_some(Value::Text(text))
}

/// The characters numbers are codes of, as one text.
fn chars_of(items: Vec<Value>) -> Option<Value> {
    items
        .iter()
        .map(Value::char_code)
        .collect::<Option<String>>()
        .map(Value::Text)
}

/// Bytes (numbers below 256) as UTF-8 text.
fn bytes_text(items: &[Value]) -> Option<Value> {
    let bytes = items.iter().map(Value::byte).collect::<Option<Vec<u8>>>()?;
    String::from_utf8(bytes).ok().map(Value::Text)
}

/// Hex digits (spaces ignored) as UTF-8 text.
fn unhex(hex: &str) -> Option<String> {
    let digits: Vec<u8> = hex.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    let bytes = digits
        .chunks(2)
        .map(|pair| {
            let pair = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(pair, 16).ok()
        })
        .collect::<Option<Vec<u8>>>()?;
    String::from_utf8(bytes).ok()
}

/// Python's `codecs.decode(text, codec)` (or `encode`, for ROT13).
fn codec(text: &str, codec: &str, decode: bool) -> Option<Value> {
    let codec = codec.to_ascii_lowercase().replace('-', "_");
    let out = match codec.as_str() {
        "rot13" | "rot_13" => text.chars().map(rot13).collect(),
        "hex" | "hex_codec" if decode => unhex(text)?,
        "base64" | "base64_codec" | "base_64" if decode => {
            crate::flow::decode_base64_text(text, false)?
        }
        "utf8" | "utf_8" | "ascii" => text.to_owned(),
        _ => return None,
    };
    Some(Value::Text(out))
}

fn rot13(c: char) -> char {
    let rotate = |base: u8| char::from((c as u8 - base + 13) % 26 + base);
    if c.is_ascii_lowercase() {
        rotate(b'a')
    } else if c.is_ascii_uppercase() {
        rotate(b'A')
    } else {
        c
    }
}

/// Perl's `pack` and Ruby's `Array#pack` for the templates that build
/// text: hex (`H*`) and character codes (`C*`, `c*`, `U*`, `W*`).
fn pack(template: &str, items: Vec<Value>) -> Option<Value> {
    match template.trim() {
        "H*" | "H" => Some(Value::Text(unhex(&joined(items, "")?.text()?)?)),
        "C*" | "c*" => bytes_text(&items),
        "U*" | "W*" => chars_of(items),
        _ => None,
    }
}

/// The body of a quoted literal from `pos` to its unescaped `close`
/// (nesting `open` when given), raw, and the position past it.
fn quoted(code: &str, pos: usize, close: char, open: Option<char>) -> Option<(String, usize)> {
    let mut raw = String::new();
    let mut depth = 0usize;
    let mut chars = code.get(pos..)?.char_indices();
    while let Some((at, c)) = chars.next() {
        if c == '\\' {
            raw.push(c);
            if let Some((_, escaped)) = chars.next() {
                raw.push(escaped);
            }
        } else if Some(c) == open {
            depth += 1;
            raw.push(c);
        } else if c == close {
            if depth == 0 {
                return Some((raw, pos + at + c.len_utf8()));
            }
            depth -= 1;
            raw.push(c);
        } else {
            raw.push(c);
        }
    }
    None
}

/// A single-quoted body: only `\\` and an escaped quote are escapes.
fn single_quoted(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(&next)) if matches!(next, '\\' | '\'' | '}' | ')' | ']' | '>') => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// A Perl double-quoted body: escapes, and `None` when a `$` or `@`
/// interpolates a variable.
fn perl_double(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        let escaped = i > 0 && bytes[i - 1] == b'\\';
        let next = bytes.get(i + 1).copied();
        if matches!(b, b'$' | b'@')
            && !escaped
            && next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, b'_' | b'{' | b':'))
        {
            return None;
        }
    }
    unescape(raw)
}

/// Backslash escapes as C-like languages read them: `\n`, `\t`, `\r`,
/// `\0`, `\e`, `\xHH`, `\x{H..}`, `\uHHHH`, `\u{H..}`, and a character
/// escaped as itself.
fn unescape(raw: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(escaped) = chars.next() else {
            out.push('\\');
            break;
        };
        match escaped {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '0' => out.push('\0'),
            'e' => out.push('\u{1b}'),
            'a' => out.push('\u{7}'),
            'x' | 'u' => {
                let digits: String = if chars.peek() == Some(&'{') {
                    chars.next();
                    let inner: String = chars.by_ref().take_while(|c| *c != '}').collect();
                    inner
                } else {
                    let count = if escaped == 'x' { 2 } else { 4 };
                    let mut taken = String::new();
                    while taken.len() < count && chars.peek().is_some_and(char::is_ascii_hexdigit) {
                        taken.extend(chars.next());
                    }
                    taken
                };
                let code = u32::from_str_radix(&digits, 16).ok()?;
                out.push(char::from_u32(code)?);
            }
            '\n' => {}
            other => out.push(other),
        }
    }
    Some(out)
}

/// Text as a single-quoted literal that `inline`'s literal reader reads
/// back (`\\`, `\'` and `\n` escaped).
fn render(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            other => out.push(other),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(code: &str, program: &str) -> String {
        fold(code, program).unwrap_or_else(|| code.to_owned())
    }

    #[test]
    fn python_decoders_become_literals() {
        assert_eq!(
            folded(
                "import base64,os; os.system(base64.b64decode('bHMgLWw=').decode())",
                "python3"
            ),
            "import base64,os; os.system('ls -l')"
        );
        assert_eq!(
            folded("os.system(''.join(map(chr, [108, 115])))", "python3"),
            "os.system('ls')"
        );
        assert_eq!(
            folded("os.system(''.join(chr(c) for c in [108, 115]))", "python3"),
            "os.system('ls')"
        );
        assert_eq!(
            folded("os.system(bytes.fromhex('6c73').decode())", "python3"),
            "os.system('ls')"
        );
        assert_eq!(
            folded("os.system(codecs.decode('yf', 'rot13'))", "python3"),
            "os.system('ls')"
        );
        assert_eq!(
            folded("os.system('sl'[::-1])", "python3"),
            "os.system('ls')"
        );
    }

    #[test]
    fn perl_decoders_become_literals() {
        assert_eq!(
            folded("system(scalar reverse q{\"a b\" sl})", "perl"),
            "system('ls \"b a\"')"
        );
        assert_eq!(
            folded("system(decode_base64(\"bHM=\"))", "perl"),
            "system('ls')"
        );
        assert_eq!(
            folded("system(pack(\"H*\", \"6c73\"))", "perl"),
            "system('ls')"
        );
        assert_eq!(
            folded("system(join '', map { chr } (108, 115))", "perl"),
            "system('ls')"
        );
        // List context: `reverse` of one string is that string.
        assert_eq!(folded("system(reverse 'sl')", "perl"), "system('sl')");
    }

    #[test]
    fn unknown_parts_are_left_alone() {
        for (code, program) in [
            ("os.system(base64.b64decode(x).decode())", "python3"),
            ("system(\"echo $HOME\")", "perl"),
            ("print('a')", "python3"),
            ("system(decode_base64($ARGV[0]))", "perl"),
        ] {
            assert_eq!(fold(code, program), None, "{code}");
        }
    }
}
