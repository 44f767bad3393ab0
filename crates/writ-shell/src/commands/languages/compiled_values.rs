//! The strings Rust and C# programs bind to names and build their paths
//! and addresses from, written in as the literals they are, so that the
//! literal reader ([`crate::commands::inline::analyze`]) sees the file a
//! program reads where its code only says
//! `fs::read_to_string(format!("{home}/.ssh/id_ed25519"))` or
//! `File.ReadAllText(Path.Combine(home, ".aws", "credentials"))`.
//!
//! Read in order through the code:
//! - names bound to a value (Rust's `let [mut] NAME[: T] = ...;`, `const`
//!   and `static`; C#'s `var`/`string NAME = ...;`), bound again (`NAME =
//!   ...;`) and grown (`NAME += ...;`, Rust's `NAME.push(...)` and
//!   `NAME.push_str(...)`); a parameter, a loop's or a closure's variable,
//!   or a binding to a value not known hides an earlier binding;
//! - the home directory (`~`): Rust's `env::var("HOME")`,
//!   `dirs::home_dir()`, `std::env::home_dir()`; C#'s
//!   `Environment.GetEnvironmentVariable("HOME")`,
//!   `Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)`;
//!   and the configuration and data directories under it;
//! - strings built from known parts: Rust's `format!` (positional `{}`
//!   and `{0}`, named `{name}` and captured `{home}` arguments), C#'s
//!   `$"..."` and `string.Format`, `+`; paths joined (`.join(..)`,
//!   `Path.Combine(..)`) or made (`PathBuf::from(..)`, `Path::new(..)`);
//! - what only converts or unwraps a value (`?`, `.unwrap()`,
//!   `.expect(..)`, `.to_string()`, `.display()`, `&`, C#'s `!`), and a
//!   fallback after a known value (`?? "/root"`, `.unwrap_or(..)`).
//!
//! A known expression given as a call's argument (not a macro's) is
//! written in as its literal, and a built one bound to a name is too. An
//! expression with a part not known is left as written.

use std::cell::{Cell, RefCell};

use super::braces::{MAX_CODE, blank_comments, call_args, is_ident, quoted};
use crate::commands::inline::{Literal, literals, matching_bracket};

/// How deep expressions nest (parentheses, arguments, interpolations).
const MAX_DEPTH: usize = 6;
/// How many bindings are remembered.
const MAX_NAMES: usize = 256;

/// The language whose spellings are read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(in crate::commands) enum Dialect {
    Rust,
    CSharp,
}

/// Expressions that are a directory under the home directory (`~`), by
/// language.
const RUST_DIRS: &[(&str, &str)] = &[
    ("std::env::var(\"HOME\")", "~"),
    ("env::var(\"HOME\")", "~"),
    ("std::env::var_os(\"HOME\")", "~"),
    ("env::var_os(\"HOME\")", "~"),
    ("var(\"HOME\")", "~"),
    ("std::env::var(\"USERPROFILE\")", "~"),
    ("env::var(\"USERPROFILE\")", "~"),
    ("std::env::home_dir()", "~"),
    ("env::home_dir()", "~"),
    ("dirs::home_dir()", "~"),
    ("dirs_next::home_dir()", "~"),
    ("home::home_dir()", "~"),
    ("home_dir()", "~"),
    ("dirs::config_dir()", "~/.config"),
    ("dirs_next::config_dir()", "~/.config"),
    ("dirs::cache_dir()", "~/.cache"),
    ("dirs::data_dir()", "~/.local/share"),
    ("dirs::data_local_dir()", "~/.local/share"),
];

/// C#'s, each also written with `System.` before it.
const CSHARP_DIRS: &[(&str, &str)] = &[
    ("Environment.GetEnvironmentVariable(\"HOME\")", "~"),
    ("Environment.GetEnvironmentVariable(\"USERPROFILE\")", "~"),
    (
        "Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)",
        "~",
    ),
    (
        "Environment.GetFolderPath(Environment.SpecialFolder.Personal)",
        "~",
    ),
    (
        "Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData)",
        "~/.config",
    ),
    (
        "Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)",
        "~/.local/share",
    ),
];

/// What a call of a function does with its arguments' values.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Builds {
    /// Its one argument, as it is (`PathBuf::from(x)`).
    Same,
    /// Its arguments joined as a path (`Path.Combine(a, b)`).
    Joined,
    /// Its arguments one after the other (`string.Concat(a, b)`).
    Concatenated,
    /// Its first argument, a format with `{0}`, filled from the others
    /// (`string.Format("{0}/x", a)`).
    Formatted,
}

/// Rust's functions, by their path without `std::` and its module.
const RUST_FUNCTIONS: &[(&str, Builds)] = &[
    ("PathBuf::from", Builds::Same),
    ("Path::new", Builds::Same),
    ("String::from", Builds::Same),
    ("OsString::from", Builds::Same),
    ("OsStr::new", Builds::Same),
    ("Url::parse", Builds::Same),
];

/// C#'s, without `System.` and `System.IO.` (`new Uri(x)` without `new`).
const CSHARP_FUNCTIONS: &[(&str, Builds)] = &[
    ("Path.Combine", Builds::Joined),
    ("Path.Join", Builds::Joined),
    ("Path.GetFullPath", Builds::Same),
    ("Uri", Builds::Same),
    ("string.Concat", Builds::Concatenated),
    ("String.Concat", Builds::Concatenated),
    ("string.Format", Builds::Formatted),
    ("String.Format", Builds::Formatted),
];

/// Methods that give the value they are called on (whatever their
/// arguments): conversions, unwraps, and fallbacks a known value makes
/// dead.
const RUST_SAME_METHODS: &[&str] = &[
    "unwrap",
    "expect",
    "unwrap_or_default",
    "unwrap_or",
    "unwrap_or_else",
    "context",
    "with_context",
    "ok_or",
    "ok_or_else",
    "map_err",
    "ok",
    "to_string",
    "to_owned",
    "into",
    "clone",
    "as_str",
    "as_path",
    "as_ref",
    "display",
    "to_str",
    "to_string_lossy",
    "into_string",
    "to_path_buf",
    "into_os_string",
    "as_os_str",
    "borrow",
];

/// C#'s.
const CSHARP_SAME_METHODS: &[&str] = &["ToString"];

/// The types a C# variable holding a path or an address is declared
/// with.
const CSHARP_DECLARED: &[&str] = &["var", "string", "String", "string?"];

/// Keywords a `(` may follow that opens no call.
const KEYWORDS: &[&str] = &[
    "if", "while", "for", "foreach", "switch", "match", "return", "catch", "using", "lock", "when",
    "in", "fixed", "typeof", "nameof", "sizeof",
];

/// Rust's keywords that bind a name.
const RUST_DECLARED: &[&str] = &["let", "const", "static"];

/// A value read from the code: its text, where it ends, and whether it
/// is built (from more than one literal, or from a lookup).
struct Evaluated {
    text: String,
    end: usize,
    built: bool,
}

/// A binding made at the end of its statement (its own value reads the
/// earlier one: `let p = p.join("x");`).
struct Pending {
    at: usize,
    name: String,
    value: Option<String>,
}

/// The bracket a scanned position is in.
struct Open {
    /// A macro's (`println!(`) or no call's (`[`, `{`): its items are
    /// not rewritten.
    rewrites: bool,
}

/// `code` with its known values written in as literals; `None` when
/// nothing changes.
pub(in crate::commands) fn plain(code: &str, dialect: Dialect) -> Option<String> {
    if code.len() > MAX_CODE || !code.contains(['(', '=']) {
        return None;
    }
    // Comments and characters blanked (offsets stay) for the reading only.
    let scanned = blank_comments(code);
    let reader = Reader::new(&scanned, dialect, Vec::new());
    let replacements = reader.scan();
    replaced(code, replacements)
}

/// `code` with each `(start, end, text)` in place (overlaps skipped).
fn replaced(code: &str, mut replacements: Vec<(usize, usize, String)>) -> Option<String> {
    if replacements.is_empty() {
        return None;
    }
    replacements.sort_by_key(|(start, _, _)| *start);
    let mut out = String::with_capacity(code.len());
    let mut copied = 0;
    for (start, end, text) in replacements {
        if start < copied {
            continue;
        }
        out.push_str(code.get(copied..start)?);
        out.push_str(&text);
        copied = end;
    }
    out.push_str(code.get(copied..)?);
    (out != code).then_some(out)
}

/// Joins `part` to the path `base` (an absolute part replaces it).
fn join(base: &str, part: &str) -> String {
    if part.starts_with('/') || base.is_empty() {
        part.to_owned()
    } else if part.is_empty() || base.ends_with('/') {
        format!("{base}{part}")
    } else {
        format!("{base}/{part}")
    }
}

/// Reads the values of one piece of code, in order.
struct Reader<'c> {
    code: &'c str,
    literals: Vec<Literal>,
    dialect: Dialect,
    /// The names bound so far, latest last; `None`: not known.
    names: RefCell<Vec<(String, Option<String>)>>,
    depth: Cell<usize>,
}

impl<'c> Reader<'c> {
    fn new(code: &'c str, dialect: Dialect, names: Vec<(String, Option<String>)>) -> Self {
        Reader {
            code,
            literals: literals(code),
            dialect,
            names: RefCell::new(names),
            depth: Cell::new(0),
        }
    }

    fn rest(&self, pos: usize) -> &'c str {
        self.code.get(pos..).unwrap_or_default()
    }

    fn char_at(&self, pos: usize) -> Option<char> {
        self.rest(pos).chars().next()
    }

    /// Past white space (line breaks too) from `pos`.
    fn skip_space(&self, pos: usize) -> usize {
        let rest = self.rest(pos);
        pos + (rest.len() - rest.trim_start().len())
    }

    /// The last non-space character before `pos`.
    fn before(&self, pos: usize) -> Option<char> {
        self.code.get(..pos)?.trim_end().chars().next_back()
    }

    /// The literal that starts at `pos` (the literals are in order).
    fn literal_at(&self, pos: usize) -> Option<&Literal> {
        let at = self.literals.binary_search_by_key(&pos, |l| l.start).ok()?;
        self.literals.get(at)
    }

    /// The name (letters, digits, `_`) at `pos`.
    fn name_at(&self, pos: usize) -> &'c str {
        let rest = self.rest(pos);
        let len = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
        rest.get(..len).unwrap_or_default()
    }

    /// True when a whole name starts at `pos` (not after `.` or `::`).
    fn starts_name(&self, pos: usize) -> bool {
        self.code
            .get(..pos)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| !is_ident(c) && c != '.' && c != ':')
            && self
                .char_at(pos)
                .is_some_and(|c| is_ident(c) && !c.is_numeric())
    }

    fn lookup(&self, name: &str) -> Option<String> {
        let names = self.names.borrow();
        names.iter().rev().find(|(n, _)| n == name)?.1.clone()
    }

    fn bind(&self, name: &str, value: Option<String>) {
        let mut names = self.names.borrow_mut();
        if names.len() < MAX_NAMES || names.iter().any(|(n, _)| n == name) {
            names.retain(|(n, _)| n != name);
            names.push((name.to_owned(), value));
        }
    }

    /// The replacements for the whole code, read from its start.
    fn scan(&self) -> Vec<(usize, usize, String)> {
        let mut out = Vec::new();
        let mut pending: Vec<Pending> = Vec::new();
        let mut opens: Vec<Open> = Vec::new();
        let mut pos = 0;
        while pos < self.code.len() {
            pending.retain(|p| {
                if p.at <= pos {
                    self.bind(&p.name, p.value.clone());
                    false
                } else {
                    true
                }
            });
            if let Some(literal) = self.literal_at(pos) {
                pos = literal.end;
                continue;
            }
            let Some(c) = self.char_at(pos) else {
                break;
            };
            if self.starts_name(pos)
                && let Some(next) = self.statement(pos, &mut pending, &mut out)
            {
                pos = next;
                continue;
            }
            match c {
                '(' => {
                    let rewrites = self.is_call(pos);
                    opens.push(Open { rewrites });
                    if rewrites && let Some((end, text)) = self.argument(pos + 1) {
                        let start = self.skip_space(pos + 1);
                        out.push((start, end, text));
                        pos = end;
                        continue;
                    }
                }
                '[' | '{' => opens.push(Open { rewrites: false }),
                ')' | ']' | '}' => {
                    opens.pop();
                }
                ',' if opens.last().is_some_and(|o| o.rewrites) => {
                    if let Some((end, text)) = self.argument(pos + 1) {
                        let start = self.skip_space(pos + 1);
                        out.push((start, end, text));
                        pos = end;
                        continue;
                    }
                }
                '|' if self.dialect == Dialect::Rust => self.closure_parameters(pos),
                _ => {}
            }
            pos += c.len_utf8();
        }
        out
    }

    /// True when the `(` at `open` opens a call's arguments: after a
    /// function's name (or its generic arguments), not a macro's or a
    /// keyword's (`if (`).
    fn is_call(&self, open: usize) -> bool {
        let head = self.code.get(..open).unwrap_or_default().trim_end();
        let word_len = head.len() - head.trim_end_matches(is_ident).len();
        let word = head.get(head.len() - word_len..).unwrap_or_default();
        (word_len > 0 || head.ends_with('>')) && !KEYWORDS.contains(&word)
    }

    /// A call's argument at `pos` whose value is known and not written
    /// as one literal: where it ends and the literal it is.
    fn argument(&self, pos: usize) -> Option<(usize, String)> {
        let start = self.skip_space(pos);
        // A named argument (C#'s `name: value`) goes on with its `:`: not read.
        let evaluated = self.expr(start)?;
        let after = self.skip_space(evaluated.end);
        if !matches!(self.char_at(after), Some(')' | ',')) {
            return None;
        }
        let whole = self
            .literal_at(start)
            .is_some_and(|l| l.end == evaluated.end);
        (!whole).then(|| (evaluated.end, quoted(&evaluated.text)))
    }

    /// Reads a statement that binds a name at `pos`, when one starts
    /// there: where the scan goes on.
    fn statement(
        &self,
        pos: usize,
        pending: &mut Vec<Pending>,
        out: &mut Vec<(usize, usize, String)>,
    ) -> Option<usize> {
        let word = self.name_at(pos);
        let after_word = pos + word.len();
        let declared = match self.dialect {
            Dialect::Rust => RUST_DECLARED.contains(&word),
            Dialect::CSharp => {
                let typed = if self.rest(after_word).starts_with('?') {
                    self.code.get(pos..after_word + 1).unwrap_or_default()
                } else {
                    word
                };
                CSHARP_DECLARED.contains(&typed)
            }
        };
        if declared {
            return self.declaration(after_word, pending, out);
        }
        if self.dialect == Dialect::Rust && word == "fn" {
            self.function_parameters(after_word);
            return None;
        }
        if self.dialect == Dialect::Rust && word == "for" {
            let name_at = self.skip_space(after_word);
            let name = self.name_at(name_at);
            if !name.is_empty()
                && self
                    .rest(self.skip_space(name_at + name.len()))
                    .starts_with("in ")
            {
                self.bind(name, None);
            }
            return None;
        }
        self.assignment(pos, word, pending, out)
    }

    /// `let [mut] NAME[: T] = VALUE;`, `const NAME: T = VALUE;`, `var
    /// NAME = VALUE;`, `string NAME = VALUE;`; a C# parameter or loop
    /// variable (`string NAME)`, `var NAME in`) binds nothing known.
    fn declaration(
        &self,
        after_word: usize,
        pending: &mut Vec<Pending>,
        out: &mut Vec<(usize, usize, String)>,
    ) -> Option<usize> {
        let mut at = after_word;
        if self.dialect == Dialect::CSharp && self.rest(at).starts_with('?') {
            at += 1;
        }
        if !self.rest(at).starts_with([' ', '\t']) {
            return None;
        }
        at = self.skip_space(at);
        if self.rest(at).starts_with("mut ") {
            at = self.skip_space(at + 3);
        }
        // `if let Some(NAME) = ...`, `let Ok(NAME) = ... else`.
        let wrapper = ["Some(", "Ok("]
            .iter()
            .find(|w| self.dialect == Dialect::Rust && self.rest(at).starts_with(**w));
        if let Some(wrapper) = wrapper {
            at = self.skip_space(at + wrapper.len());
        }
        let name = self.name_at(at);
        if name.is_empty() || name.starts_with(char::is_numeric) {
            return None;
        }
        let mut next = self.skip_space(at + name.len());
        if wrapper.is_some() {
            if self.char_at(next) != Some(')') {
                return None;
            }
            next = self.skip_space(next + 1);
        }
        if self.dialect == Dialect::Rust && self.rest(next).starts_with(':') {
            // The type, up to the `=`.
            let rest = self.rest(next);
            let equals = rest.find('=')?;
            if rest.get(..equals)?.contains([';', '{', '(', '"']) {
                return None;
            }
            next += equals;
        }
        let rest = self.rest(next);
        if !rest.starts_with('=') || rest.starts_with("==") || rest.starts_with("=>") {
            self.bind(name, None);
            return None;
        }
        Some(self.bound_value(name, next + 1, None, pending, out))
    }

    /// `NAME = VALUE;`, `NAME += VALUE;`, and Rust's `NAME.push(PART);`
    /// and `NAME.push_str(TEXT);`, at a statement's start.
    fn assignment(
        &self,
        pos: usize,
        name: &str,
        pending: &mut Vec<Pending>,
        out: &mut Vec<(usize, usize, String)>,
    ) -> Option<usize> {
        if !self
            .before(pos)
            .is_none_or(|c| matches!(c, ';' | '{' | '}'))
        {
            return None;
        }
        let after = pos + name.len();
        let next = self.skip_space(after);
        let rest = self.rest(next);
        if rest.starts_with("+=") {
            let old = self.lookup(name);
            return Some(self.bound_value(name, next + 2, Some(old), pending, out));
        }
        if rest.starts_with('=') && !rest.starts_with("==") && !rest.starts_with("=>") {
            return Some(self.bound_value(name, next + 1, None, pending, out));
        }
        if self.dialect == Dialect::Rust {
            for (method, joined) in [(".push(", true), (".push_str(", false)] {
                if !self.rest(after).starts_with(method) {
                    continue;
                }
                let open = after + method.len() - 1;
                let close = matching_bracket(self.code, &self.literals, open)?;
                let part = self.expr(self.skip_space(open + 1));
                let value = match (self.lookup(name), part) {
                    (Some(old), Some(part)) if self.skip_space(part.end) == close => {
                        Some(if joined {
                            join(&old, &part.text)
                        } else {
                            old + &part.text
                        })
                    }
                    _ => None,
                };
                pending.push(Pending {
                    at: close + 1,
                    name: name.to_owned(),
                    value,
                });
                return None;
            }
        }
        None
    }

    /// Binds `name`, at the end of its statement, to the value at `from`
    /// (after `grown`'s text, for `+=`: `Some(None)` when that is not
    /// known); a built value is written in. Where the scan goes on.
    fn bound_value(
        &self,
        name: &str,
        from: usize,
        grown: Option<Option<String>>,
        pending: &mut Vec<Pending>,
        out: &mut Vec<(usize, usize, String)>,
    ) -> usize {
        let start = self.skip_space(from);
        let evaluated = self
            .expr(start)
            .filter(|e| matches!(self.char_at(self.skip_space(e.end)), Some(';' | '{') | None));
        let end = self.statement_end(start);
        let value = match (&grown, &evaluated) {
            (None, Some(e)) => Some(e.text.clone()),
            (Some(Some(old)), Some(e)) => Some(format!("{old}{}", e.text)),
            _ => None,
        };
        pending.push(Pending {
            at: end,
            name: name.to_owned(),
            value,
        });
        match evaluated {
            Some(e) if e.built && grown.is_none() => {
                out.push((start, e.end, quoted(&e.text)));
                e.end
            }
            _ => start,
        }
    }

    /// Where the statement that goes on at `from` ends: its `;` or the
    /// block it opens (`if let ... {`) at depth zero, or the bracket it is
    /// in closing.
    fn statement_end(&self, from: usize) -> usize {
        let mut level = 0usize;
        let mut pos = from;
        while let Some(c) = self.char_at(pos) {
            if let Some(literal) = self.literal_at(pos) {
                pos = literal.end;
                continue;
            }
            match c {
                '{' if level == 0 => return pos,
                '(' | '[' | '{' => level += 1,
                ')' | ']' | '}' if level == 0 => return pos,
                ')' | ']' | '}' => level -= 1,
                ';' if level == 0 => return pos,
                _ => {}
            }
            pos += c.len_utf8();
        }
        self.code.len()
    }

    /// A Rust function's parameters (`fn f(path: &str)`) hide the names
    /// bound before it.
    fn function_parameters(&self, after_fn: usize) {
        let Some(open) = self.rest(after_fn).find('(').map(|n| after_fn + n) else {
            return;
        };
        let Some((pieces, _)) = call_args(self.code, &self.literals, open) else {
            return;
        };
        for (start, end) in pieces {
            let piece = self.code.get(start..end).unwrap_or_default();
            let Some((pattern, _)) = piece.split_once(':') else {
                continue;
            };
            let name = pattern.trim().trim_start_matches("mut ").trim();
            if !name.is_empty() && name.chars().all(is_ident) {
                self.bind(name, None);
            }
        }
    }

    /// A Rust closure's parameters (`|p| ...`, `|a, b|`) hide the names
    /// bound before it.
    fn closure_parameters(&self, pos: usize) {
        let rest = self.rest(pos + 1);
        let Some(close) = rest.find('|') else {
            return;
        };
        let inner = rest.get(..close).unwrap_or_default();
        if inner.contains(['(', ')', ';', '\n', '"', '=']) {
            return;
        }
        for part in inner.split(',') {
            let name = part.split(':').next().unwrap_or_default();
            let name = name
                .trim()
                .trim_start_matches('&')
                .trim_start_matches("mut ")
                .trim();
            if !name.is_empty() && name.chars().all(is_ident) {
                self.bind(name, None);
            }
        }
    }

    /// The expression at `pos`: terms joined by `+`, and C#'s `?? fallback`
    /// after a known value.
    fn expr(&self, pos: usize) -> Option<Evaluated> {
        if self.depth.get() >= MAX_DEPTH {
            return None;
        }
        self.depth.set(self.depth.get() + 1);
        let found = self.sum(pos);
        self.depth.set(self.depth.get() - 1);
        found
    }

    fn sum(&self, pos: usize) -> Option<Evaluated> {
        let mut value = self.term(pos)?;
        loop {
            let next = self.skip_space(value.end);
            let rest = self.rest(next);
            if rest.starts_with('+') && !rest.starts_with("+=") && !rest.starts_with("++") {
                let right = self.term(self.skip_space(next + 1))?;
                value = Evaluated {
                    text: value.text + &right.text,
                    end: right.end,
                    built: true,
                };
            } else if self.dialect == Dialect::CSharp && rest.starts_with("??") {
                value.end = self.operand_end(next + 2);
            } else {
                return Some(value);
            }
        }
    }

    /// Where an operand whose value does not matter ends: at a `,`, `)`,
    /// `;`, `]` or `}` at its depth.
    fn operand_end(&self, from: usize) -> usize {
        let end = self.statement_end(from);
        let mut pos = from;
        let mut level = 0usize;
        while pos < end {
            if let Some(literal) = self.literal_at(pos) {
                pos = literal.end;
                continue;
            }
            match self.char_at(pos) {
                Some('(' | '[' | '{') => level += 1,
                Some(')' | ']' | '}') => level = level.saturating_sub(1),
                Some(',') if level == 0 => break,
                _ => {}
            }
            pos += self.char_at(pos).map_or(1, char::len_utf8);
        }
        let text = self.code.get(from..pos).unwrap_or_default();
        from + text.trim_end().len()
    }

    /// A primary value with the conversions and joins after it.
    fn term(&self, pos: usize) -> Option<Evaluated> {
        let mut pos = pos;
        // References and dereferences (not a mutable borrow).
        while let Some('&' | '*') = self.char_at(pos) {
            if self.rest(pos).starts_with("&&") {
                return None;
            }
            pos = self.skip_space(pos + 1);
            if self.rest(pos).starts_with("mut ") {
                return None;
            }
        }
        let mut value = self.primary(pos)?;
        loop {
            let next = self.skip_space(value.end);
            let rest = self.rest(next);
            if self.dialect == Dialect::Rust && rest.starts_with('?') {
                value.end = next + 1;
                continue;
            }
            if self.dialect == Dialect::CSharp && rest.starts_with('!') && !rest.starts_with("!=") {
                value.end = next + 1;
                continue;
            }
            let Some(method_rest) = rest.strip_prefix('.') else {
                return Some(value);
            };
            let method_at = next + 1 + (method_rest.len() - method_rest.trim_start().len());
            let method = self.name_at(method_at);
            let open = method_at + method.len();
            if method.is_empty() || self.char_at(open) != Some('(') {
                return Some(value);
            }
            let Some(close) = matching_bracket(self.code, &self.literals, open) else {
                return Some(value);
            };
            let same = match self.dialect {
                Dialect::Rust => RUST_SAME_METHODS.contains(&method),
                Dialect::CSharp => CSHARP_SAME_METHODS.contains(&method),
            };
            if self.dialect == Dialect::Rust && method == "join" {
                let part = self.expr(self.skip_space(open + 1))?;
                if self.skip_space(part.end) != close {
                    return None;
                }
                value = Evaluated {
                    text: join(&value.text, &part.text),
                    end: close + 1,
                    built: true,
                };
            } else if same {
                value.end = close + 1;
            } else {
                return Some(value);
            }
        }
    }

    /// A literal (C#'s `$"..."` interpolated), a parenthesised
    /// expression, a directory, a function's call, `format!(...)`, or a
    /// name bound to a known value.
    fn primary(&self, pos: usize) -> Option<Evaluated> {
        let rest = self.rest(pos);
        if let Some(found) = self.string(pos) {
            return Some(found);
        }
        if rest.starts_with('(') {
            let inner = self.expr(self.skip_space(pos + 1))?;
            let close = self.skip_space(inner.end);
            return (self.char_at(close) == Some(')')).then_some(Evaluated {
                end: close + 1,
                ..inner
            });
        }
        if !self.starts_name(pos) {
            return None;
        }
        if let Some(found) = self.directory(pos) {
            return Some(found);
        }
        if self.dialect == Dialect::Rust && rest.starts_with("format!(") {
            return self.rust_format(pos + "format!".len());
        }
        if let Some(found) = self.call(pos) {
            return Some(found);
        }
        let name = self.name_at(pos);
        let after = pos + name.len();
        let next = self.rest(after);
        if next.starts_with(['(', '!', '{']) || next.starts_with("::") {
            return None;
        }
        let value = self.lookup(name)?;
        Some(Evaluated {
            text: value,
            end: after,
            built: true,
        })
    }

    /// A string literal at `pos`: Rust's raw `r"..."`, C#'s `$"..."` with
    /// its holes filled, or a plain one.
    fn string(&self, pos: usize) -> Option<Evaluated> {
        let rest = self.rest(pos);
        let prefix = match self.dialect {
            Dialect::Rust if rest.starts_with("r\"") => 1,
            Dialect::CSharp if rest.starts_with("$\"") || rest.starts_with("@\"") => 1,
            Dialect::CSharp if rest.starts_with("$@\"") || rest.starts_with("@$\"") => 2,
            _ => 0,
        };
        let literal = self.literal_at(pos + prefix)?;
        if literal.backtick || self.char_at(literal.start) != Some('"') {
            return None;
        }
        let source = self
            .code
            .get(literal.start + 1..literal.end.saturating_sub(1))?;
        let marks = rest.get(..prefix).unwrap_or_default();
        let raw = marks.contains(['r', '@']);
        if raw && source.contains('\\') {
            // Escapes the literal reader took as escapes.
            return None;
        }
        if marks.contains('$') {
            let text = self.interpolated(&literal.text)?;
            return Some(Evaluated {
                text,
                end: literal.end,
                built: true,
            });
        }
        Some(Evaluated {
            text: literal.text.clone(),
            end: literal.end,
            built: prefix > 0,
        })
    }

    /// A directory under the home directory, written in one of the
    /// language's spellings at `pos`.
    fn directory(&self, pos: usize) -> Option<Evaluated> {
        let rest = self.rest(pos);
        let (forms, qualifier) = match self.dialect {
            Dialect::Rust => (RUST_DIRS, ""),
            Dialect::CSharp => (CSHARP_DIRS, "System."),
        };
        let rest_unqualified = rest
            .strip_prefix(qualifier)
            .filter(|_| !qualifier.is_empty());
        let skipped = rest.len() - rest_unqualified.unwrap_or(rest).len();
        let rest = rest_unqualified.unwrap_or(rest);
        let (form, text) = forms.iter().find(|(form, _)| rest.starts_with(form))?;
        Some(Evaluated {
            text: (*text).to_owned(),
            end: pos + skipped + form.len(),
            built: false,
        })
    }

    /// A call at `pos` of one of the language's functions that build a
    /// string from their arguments.
    fn call(&self, pos: usize) -> Option<Evaluated> {
        let mut start = pos;
        if self.dialect == Dialect::CSharp && self.rest(pos).starts_with("new ") {
            start = self.skip_space(pos + 3);
        }
        let rest = self.rest(start);
        let len = rest
            .find(|c: char| !(is_ident(c) || c == ':' || c == '.'))
            .unwrap_or(rest.len());
        let callee = rest.get(..len)?;
        let open = start + len;
        if self.char_at(open) != Some('(') {
            return None;
        }
        let (table, qualifiers): (&[(&str, Builds)], &[&str]) = match self.dialect {
            Dialect::Rust => (
                RUST_FUNCTIONS,
                &[
                    "std::path::",
                    "std::ffi::",
                    "std::string::",
                    "url::",
                    "reqwest::",
                ],
            ),
            Dialect::CSharp => (CSHARP_FUNCTIONS, &["System.IO.", "System."]),
        };
        let unqualified = qualifiers
            .iter()
            .find_map(|q| callee.strip_prefix(q))
            .unwrap_or(callee);
        let builds = table
            .iter()
            .find(|(name, _)| *name == unqualified)
            .map(|(_, builds)| *builds)?;
        let (pieces, close) = call_args(self.code, &self.literals, open)?;
        let mut values = Vec::new();
        for (piece_start, piece_end) in pieces {
            let value = self.expr(piece_start)?;
            if value.end != piece_end {
                return None;
            }
            values.push(value.text);
        }
        let text = match builds {
            Builds::Same => match values.as_slice() {
                [one] => one.clone(),
                _ => return None,
            },
            Builds::Joined => values
                .iter()
                .fold(String::new(), |acc, part| join(&acc, part)),
            Builds::Concatenated => values.concat(),
            Builds::Formatted => {
                let (template, arguments) = values.split_first()?;
                fill(template, |hole| {
                    let index: usize = hole.parse().ok()?;
                    arguments.get(index).cloned()
                })?
            }
        };
        Some(Evaluated {
            text,
            end: close + 1,
            built: true,
        })
    }

    /// Rust's `format!(TEMPLATE, ARGS...)` whose `(` is at `open`, when
    /// every hole is known.
    fn rust_format(&self, open: usize) -> Option<Evaluated> {
        let (pieces, close) = call_args(self.code, &self.literals, open)?;
        let ((template_start, template_end), arguments) = pieces.split_first()?;
        let template = self
            .literal_at(*template_start)
            .filter(|l| l.end == *template_end && !l.backtick)?;
        let mut positional = Vec::new();
        let mut named = Vec::new();
        for (start, end) in arguments {
            let name = self.name_at(*start);
            let after = self.skip_space(start + name.len());
            let rest = self.rest(after);
            let (slot, value_at) =
                if !name.is_empty() && rest.starts_with('=') && !rest.starts_with("==") {
                    (Some(name), self.skip_space(after + 1))
                } else {
                    (None, *start)
                };
            let value = self
                .expr(value_at)
                .filter(|v| v.end == *end)
                .map(|v| v.text);
            match slot {
                Some(name) => named.push((name, value)),
                None => positional.push(value),
            }
        }
        let mut next = 0;
        let text = fill(&template.text, |hole| {
            if hole.is_empty() {
                next += 1;
                return positional.get(next - 1).cloned().flatten();
            }
            if let Ok(index) = hole.parse::<usize>() {
                return positional.get(index).cloned().flatten();
            }
            match named.iter().find(|(n, _)| *n == hole) {
                Some((_, value)) => value.clone(),
                None if hole.chars().all(is_ident) => self.lookup(hole),
                None => None,
            }
        })?;
        Some(Evaluated {
            text,
            end: close + 1,
            built: true,
        })
    }

    /// C#'s interpolated text, its holes (`{home}`, `{Path.Combine(a,
    /// b)}`) read as expressions.
    fn interpolated(&self, text: &str) -> Option<String> {
        fill(text, |hole| {
            if hole.chars().all(is_ident) {
                return self.lookup(hole);
            }
            let names = self.names.borrow().clone();
            let inner = Reader::new(hole, self.dialect, names);
            inner.depth.set(self.depth.get());
            inner
                .expr(0)
                .filter(|e| e.end == hole.len())
                .map(|e| e.text)
        })
    }
}

/// `template` with each `{HOLE}` made `value(HOLE)` and `{{`, `}}` made
/// `{`, `}`; `None` when a hole has no known value, or a format (`{:?}`,
/// `{0,8}`).
fn fill(template: &str, mut value: impl FnMut(&str) -> Option<String>) -> Option<String> {
    let mut out = String::with_capacity(template.len());
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut hole = String::new();
                loop {
                    match chars.next()? {
                        '}' => break,
                        other => hole.push(other),
                    }
                }
                let hole = hole.trim();
                if hole.contains([':', ',']) && !hole.contains('(') {
                    return None;
                }
                out.push_str(&value(hole)?);
            }
            other => out.push(other),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rust(code: &str) -> String {
        plain(code, Dialect::Rust).unwrap_or_else(|| code.to_owned())
    }

    fn csharp(code: &str) -> String {
        plain(code, Dialect::CSharp).unwrap_or_else(|| code.to_owned())
    }

    #[test]
    fn rust_formats_and_joins_of_the_home_directory() {
        assert_eq!(
            rust(
                "let home = env::var(\"HOME\")?;\nlet key = fs::read_to_string(format!(\"{home}/.ssh/id_ed25519\"))?;"
            ),
            "let home = env::var(\"HOME\")?;\nlet key = fs::read_to_string(\"~/.ssh/id_ed25519\")?;"
        );
        assert_eq!(
            rust(
                "let p = format!(\"{}/{f}\", dirs::home_dir().unwrap().display(), f = \".netrc\");"
            ),
            "let p = \"~/.netrc\";"
        );
        assert_eq!(
            rust(
                "let h = dirs::home_dir().unwrap();\nfs::read(h.join(\".aws\").join(\"credentials\"))"
            ),
            "let h = dirs::home_dir().unwrap();\nfs::read(\"~/.aws/credentials\")"
        );
        assert_eq!(
            rust(
                "let mut p = std::env::home_dir().expect(\"x\");\np.push(\".netrc\");\nfs::read(&p)"
            ),
            "let mut p = std::env::home_dir().expect(\"x\");\np.push(\".netrc\");\nfs::read(\"~/.netrc\")"
        );
    }

    #[test]
    fn unknown_parts_leave_the_expression() {
        for code in [
            "let url = format!(\"https://h/{}\", token);\nget(&url)",
            "let p = format!(\"{:?}/x\", \"a\");",
            "fn f(home: &str) { fs::read(format!(\"{home}/x\")) }",
            "println!(\"{}\", home);",
        ] {
            assert_eq!(rust(code), code);
        }
        // A parameter hides the binding before it.
        let code =
            "let home = dirs::home_dir();\nfn f(home: &str) { fs::read(format!(\"{home}/x\")) }";
        assert_eq!(rust(code), code);
    }

    #[test]
    fn csharp_interpolations_combines_and_concatenations() {
        assert_eq!(
            csharp(
                "var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);\nFile.ReadAllText(Path.Combine(home, \".ssh\", \"id_rsa\"));"
            ),
            "var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);\nFile.ReadAllText(\"~/.ssh/id_rsa\");"
        );
        assert_eq!(
            csharp(
                "string h = Environment.GetEnvironmentVariable(\"HOME\") ?? \"/root\";\nvar p = $\"{h}/.aws/credentials\";"
            ),
            "string h = Environment.GetEnvironmentVariable(\"HOME\") ?? \"/root\";\nvar p = \"~/.aws/credentials\";"
        );
        assert_eq!(
            csharp("var d = \"exports\";\nFile.OpenRead(d + \"/c.csv\");"),
            "var d = \"exports\";\nFile.OpenRead(\"exports/c.csv\");"
        );
        let code =
            "var url = \"https://b.example/x?\" + Environment.GetEnvironmentVariable(\"QS\");";
        assert_eq!(csharp(code), code);
    }
}
