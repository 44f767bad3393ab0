//! Paths in inline code that are not written out as one literal: a
//! variable assigned a literal earlier in the code (`p = '.env'; open(p)`),
//! home directory lookups (`os.homedir()`, `Path.home()`,
//! `process.env.HOME`, `os.environ['HOME']`, `Dir.home`, `$ENV{HOME}`),
//! path functions (`os.path.expanduser`, `os.path.join`, `path.join`,
//! `File.join`, ...), concatenation (`+`, Python's `Path / 'x'`, Perl and
//! PHP's ` . `) and interpolation (`` `${HOME}/x` ``, `f'{home}/x'`,
//! Ruby's `"#{dir}/x"`, Perl's and PHP's `"$dir/x"`), and `basename`s
//! (`File.basename(p)`).
//!
//! The same evaluation gives other values the code binds: names bound as a
//! tuple (`owner, repo = "o", "r"`), argparse options (`args.host`: the
//! value the code's arguments give `--host`, else its `default=`), the
//! working directory (`os.getcwd()`, `Path.cwd()`: `.`), lists (`tf =
//! ["terraform", ...]`, written in where spread, `[*tf, "apply"]`), the
//! code's command-line arguments (Ruby's `ARGV[0]` and `ARGV.fetch(0,
//! "main")`, Perl's `$ARGV[0]` and top-level `shift`), an
//! f-string whose other interpolations are not known (kept as written:
//! `f'https://h/x?t={token}'`) and the known start of a `+` join.
//!
//! [`resolve`] rewrites each such expression as the string literal it
//! evaluates to (`~` for the home directory), so the literal analysis of
//! `inline` sees `open('~/.aws/credentials')` where the code says
//! `open(os.path.expanduser('~/.aws/credentials'))`. An expression with
//! any part it cannot evaluate is left as written.

use std::cell::{Cell, RefCell};

use super::inline::{Literal, literals};

/// Code longer than this is not rewritten.
const MAX_CODE: usize = 64 * 1024;
/// How many assignments are remembered.
const MAX_NAMES: usize = 64;
/// How deep parentheses, function arguments and interpolations nest.
const MAX_DEPTH: usize = 4;

/// Expressions that are the home directory.
const HOME_FORMS: &[&str] = &[
    "os.homedir()",
    "homedir()",
    "require('os').homedir()",
    "require(\"os\").homedir()",
    "require('node:os').homedir()",
    "require(\"node:os\").homedir()",
    "process.env.HOME",
    "process.env['HOME']",
    "process.env[\"HOME\"]",
    "Bun.env.HOME",
    "Deno.env.get('HOME')",
    "Deno.env.get(\"HOME\")",
    "os.environ['HOME']",
    "os.environ[\"HOME\"]",
    "os.environ.get('HOME')",
    "os.environ.get(\"HOME\")",
    "os.getenv('HOME')",
    "os.getenv(\"HOME\")",
    "getenv('HOME')",
    "getenv(\"HOME\")",
    "ENV['HOME']",
    "ENV[\"HOME\"]",
    "ENV.fetch('HOME')",
    "ENV.fetch(\"HOME\")",
    "Dir.home",
    "$ENV{HOME}",
    "$ENV{'HOME'}",
    "$ENV{\"HOME\"}",
    "$_SERVER['HOME']",
    "$_ENV['HOME']",
];

/// Expressions that are the home directory as a `pathlib.Path`.
const HOME_PATH_FORMS: &[&str] = &["pathlib.Path.home()", "Path.home()"];

/// Functions that return a path built from their arguments (joined); the
/// second field: the result is a `pathlib.Path`.
const PATH_FUNCTIONS: &[(&str, bool)] = &[
    ("os.path.join", false),
    ("os.path.expanduser", false),
    ("os.path.abspath", false),
    ("os.path.realpath", false),
    ("os.path.normpath", false),
    ("os.path.expandvars", false),
    ("posixpath.join", false),
    ("os.fspath", false),
    ("str", false),
    ("pathlib.Path", true),
    ("pathlib.PurePath", true),
    ("Path", true),
    ("PurePath", true),
    ("PosixPath", true),
    ("require('path').join", false),
    ("require(\"path\").join", false),
    ("require('path').resolve", false),
    ("require(\"path\").resolve", false),
    ("path.posix.join", false),
    ("path.join", false),
    ("path.resolve", false),
    ("path.normalize", false),
    ("File.join", false),
    ("File.expand_path", false),
    ("Pathname.new", false),
];

/// Expressions that are the working directory (`.` stands for it).
const CWD_FORMS: &[&str] = &[
    "os.getcwd()",
    "getcwd()",
    "process.cwd()",
    "Dir.pwd",
    "Dir.getwd",
];

/// Expressions that are the working directory as a `pathlib.Path`.
const CWD_PATH_FORMS: &[&str] = &["pathlib.Path.cwd()", "Path.cwd()"];

/// Methods of a path that return the same file.
const SAME_FILE_METHODS: &[&str] = &[".expanduser()", ".resolve()", ".absolute()"];

#[derive(Debug, Clone, Default, PartialEq)]
struct Value {
    text: String,
    /// A `pathlib.Path` (`/` joins it).
    path: bool,
    /// A Python f-string's text with interpolations whose values are not
    /// known kept as written (`https://h/x?t={token}`), its literal braces
    /// doubled: rendered as an f-string.
    template: bool,
    /// A list's items (`["terraform", "-chdir=x"]`); `text` is then empty.
    items: Option<Vec<Value>>,
    /// A mapping's entries (a dict literal, a configuration file loaded
    /// into one: `cfg = {"bucket": "b"}`), read by `cfg["bucket"]` and
    /// `cfg.get("prefix", "")`; `text` is then empty.
    entries: Option<Vec<(String, Value)>>,
}

impl Value {
    /// Plain text, a whole value.
    fn known(&self) -> bool {
        !self.template && self.items.is_none() && self.entries.is_none()
    }
}

/// What an expression evaluated to: its value, where it ends, and whether
/// it is more than one plain literal (worth rewriting).
struct Evaluated {
    value: Value,
    end: usize,
    derived: bool,
}

/// An option an argparse parser defines.
struct ArgparseOption {
    /// Its spellings (`-H`, `--host`).
    flags: Vec<String>,
    /// The attribute it sets (`host`).
    dest: String,
    /// Its default; `None` when that is not known.
    default: Option<Value>,
}

/// The value `words` give an option spelled `flags` (`--host h`,
/// `--host=h`, `-Hh`): `Some(None)` when it is given in a form not read
/// (an abbreviation, a value not written out), `None` when not given.
fn given_value(flags: &[String], words: &[String]) -> Option<Option<Value>> {
    let known = |text: &str| Value {
        text: text.to_owned(),
        ..Value::default()
    };
    for (index, word) in words.iter().enumerate() {
        for flag in flags {
            if word == flag {
                return Some(words.get(index + 1).map(|next| known(next)));
            }
            if let Some(value) = word.strip_prefix(flag.as_str()) {
                if let Some(value) = value.strip_prefix('=') {
                    return Some(Some(known(value)));
                }
                if !flag.starts_with("--") && flag.len() == 2 {
                    return Some(Some(known(value)));
                }
            }
            // argparse accepts an unambiguous prefix of a long option.
            let stem = word.split('=').next().unwrap_or_default();
            if stem.len() > 2 && stem.starts_with("--") && flag.starts_with(stem) {
                return Some(None);
            }
        }
    }
    None
}

/// Names assigned in the code: `(name, where the value holds from, value)`;
/// `None` for a value that is not known.
type Names = Vec<(String, usize, Option<Value>)>;

struct Evaluator<'a> {
    code: &'a str,
    literals: Vec<Literal>,
    names: &'a RefCell<Names>,
    /// Where names are looked up, for code inside an interpolation.
    at: Option<usize>,
    depth: Cell<usize>,
    /// Backtick literals are template strings (not Ruby's, Perl's or PHP's
    /// commands).
    templates: bool,
    /// How double-quoted strings interpolate names, when they do.
    interpolation: Option<Interpolation>,
    /// The code's command-line arguments (`ARGV`).
    words: &'a [String],
}

/// How a language interpolates values into its double-quoted strings.
#[derive(Clone, Copy, PartialEq)]
enum Interpolation {
    /// Ruby's `"#{expr}"`.
    Ruby,
    /// Perl's and PHP's `"$name"` and `"${name}"`.
    Sigil,
}

/// Calls that return the directory holding the path they are given.
const DIRNAME_FUNCTIONS: &[&str] = &["File.dirname", "os.path.dirname", "path.dirname", "dirname"];

/// Calls that return the last component of the path they are given.
const BASENAME_FUNCTIONS: &[&str] = &[
    "File.basename",
    "os.path.basename",
    "path.basename",
    "basename",
];

/// `code` with its path expressions rewritten as literals; `None` when
/// there is nothing to rewrite.
///
/// `words` are the code's command-line arguments (a script's), which give
/// argparse options their values.
pub(super) fn resolve(code: &str, program: &str, words: &[String]) -> Option<String> {
    if code.len() > MAX_CODE {
        return None;
    }
    let names = RefCell::new(Names::new());
    let evaluator = Evaluator {
        code,
        literals: literals(code),
        names: &names,
        at: None,
        depth: Cell::new(0),
        templates: !matches!(program, "ruby" | "perl" | "php"),
        interpolation: match program {
            "ruby" => Some(Interpolation::Ruby),
            "perl" | "php" => Some(Interpolation::Sigil),
            _ => None,
        },
        words,
    };
    evaluator.assignments();
    // Options' defaults may name values assigned (`default=HOST`), and
    // values assigned may use options (`[..., f"{args.env}"]`): the
    // assignments are read again once the options are known.
    let options = evaluator.argparse_options(words);
    if !options.is_empty() {
        names.replace(options);
        evaluator.assignments();
    }
    evaluator.rewrite()
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// Reading positions of a piece of code: the readers of inline code
/// (this evaluator, the constant folder) walk it by byte offsets.
pub(super) trait Cursor {
    /// The code read.
    fn code(&self) -> &str;

    /// The code from `pos` on.
    fn rest(&self, pos: usize) -> &str {
        self.code().get(pos..).unwrap_or_default()
    }

    /// The character at `pos`.
    fn char_at(&self, pos: usize) -> Option<char> {
        self.rest(pos).chars().next()
    }

    /// The character just before `pos`.
    fn char_before(&self, pos: usize) -> Option<char> {
        self.code().get(..pos).and_then(|b| b.chars().next_back())
    }
}

impl Cursor for Evaluator<'_> {
    fn code(&self) -> &str {
        self.code
    }
}

impl Evaluator<'_> {
    /// Past spaces and tabs (a line break ends a Python statement).
    fn skip_spaces(&self, pos: usize) -> usize {
        let rest = self.rest(pos);
        pos + (rest.len() - rest.trim_start_matches([' ', '\t']).len())
    }

    /// Past any white space (inside brackets).
    fn skip_space(&self, pos: usize) -> usize {
        let rest = self.rest(pos);
        pos + (rest.len() - rest.trim_start().len())
    }

    fn literal_at(&self, pos: usize) -> Option<&Literal> {
        self.literals
            .binary_search_by_key(&pos, |l| l.start)
            .ok()
            .and_then(|i| self.literals.get(i))
    }

    /// The simple name starting at `pos`, when one does.
    fn name_at(&self, pos: usize) -> Option<&str> {
        let rest = self.rest(pos);
        let len = rest
            .char_indices()
            .find(|(_, c)| !is_ident_char(*c))
            .map_or(rest.len(), |(i, _)| i);
        let name = rest.get(..len)?;
        let first = name.chars().find(|c| *c != '$')?;
        (!first.is_ascii_digit()).then_some(name)
    }

    /// The value `name` holds at `pos`.
    fn lookup(&self, name: &str, pos: usize) -> Option<Value> {
        let at = self.at.unwrap_or(pos);
        self.names
            .borrow()
            .iter()
            .rev()
            .find(|(n, from, _)| n == name && *from <= at)
            .and_then(|(_, _, value)| value.clone())
    }

    /// The known form at `pos` among `forms`, as a whole name.
    fn form_at<'f>(&self, pos: usize, forms: &[&'f str]) -> Option<&'f str> {
        let rest = self.rest(pos);
        forms.iter().copied().find(|form| {
            rest.starts_with(form)
                && (form.ends_with([')', ']', '}'])
                    || rest
                        .get(form.len()..)
                        .and_then(|r| r.chars().next())
                        .is_none_or(|c| !is_ident_char(c)))
        })
    }

    /// An expression: terms joined by `+`, ` . ` or (for a Path) `/`.
    fn expr(&self, pos: usize) -> Option<Evaluated> {
        if self.depth.get() > MAX_DEPTH {
            return None;
        }
        let mut left = self.term(pos)?;
        loop {
            let at = self.skip_spaces(left.end);
            let rest = self.rest(at);
            let operator = if rest.starts_with('+') && !rest.starts_with("++") {
                rest.get(1..).is_some_and(|r| !r.starts_with('='))
            } else if rest.starts_with('/') && left.value.path {
                rest.get(1..).is_some_and(|r| !r.starts_with(['/', '=']))
            } else {
                // Perl's and PHP's concatenation, spaced: `$home . '/x'`.
                rest.starts_with(". ") || rest.starts_with(".\t")
            };
            if !operator {
                return Some(self.same_either_way(left).unwrap_or_else(|left| left));
            }
            let Some(right) = self.term(self.skip_space(at + 1)) else {
                // `base + "?t=" + token`: the known text before a part not
                // known is written in, the rest stays as written.
                let known_start = rest.starts_with('+') && left.value.known() && !left.value.path;
                return known_start.then_some(left);
            };
            let value = match (left.value.items, right.value.items) {
                // Lists joined by `+`: `tf + ["apply"]`.
                (Some(mut first), Some(second)) => {
                    first.extend(second);
                    Value {
                        items: Some(first),
                        ..Value::default()
                    }
                }
                (None, None)
                    if !left.value.template
                        && !right.value.template
                        && left.value.entries.is_none()
                        && right.value.entries.is_none() =>
                {
                    let text = if left.value.path {
                        join(&left.value.text, &right.value.text)
                    } else {
                        format!("{}{}", left.value.text, right.value.text)
                    };
                    Value {
                        text,
                        path: left.value.path,
                        ..Value::default()
                    }
                }
                _ => return None,
            };
            left = Evaluated {
                value,
                end: right.end,
                derived: true,
            };
        }
    }

    /// A primary with the path methods after it (`.resolve()`,
    /// `.joinpath('x')`).
    fn term(&self, pos: usize) -> Option<Evaluated> {
        let mut term = self.primary(pos)?;
        loop {
            let rest = self.rest(term.end);
            if let Some(method) = SAME_FILE_METHODS.iter().find(|m| rest.starts_with(**m)) {
                term.end += method.len();
                term.derived = true;
            } else if term.value.path
                && term.value.known()
                && self.form_at(term.end, &[".parent"]).is_some()
            {
                // `Path(f).parent`: the directory holding it.
                term.value.text = parent(&term.value.text)?;
                term.end += ".parent".len();
                term.derived = true;
            } else if let Some(found) = self.entry(&term).or_else(|| self.stripped(&term)) {
                term = found;
            } else if rest.starts_with(".joinpath(") {
                let (parts, end) = self.arguments(term.end + ".joinpath(".len())?;
                if !term.value.known() || !parts.iter().all(Value::known) {
                    return None;
                }
                for part in parts {
                    term.value.text = join(&term.value.text, &part.text);
                }
                term.end = end;
                term.derived = true;
            } else {
                return Some(term);
            }
        }
    }

    fn primary(&self, pos: usize) -> Option<Evaluated> {
        let c = self.char_at(pos)?;
        if matches!(c, '\'' | '"' | '`') {
            let literal = self.literal_at(pos)?;
            if literal.backtick {
                if !self.templates {
                    return None;
                }
                let (text, derived) = self.interpolate(&literal.text, "${", pos)?;
                return Some(plain(text, literal.end, derived));
            }
            if let Some((text, true)) = self.double_quoted(literal, pos) {
                return Some(plain(text, literal.end, true));
            }
            return Some(plain(literal.text.clone(), literal.end, false));
        }
        if c == '(' {
            self.depth.set(self.depth.get() + 1);
            let inner = self.expr(self.skip_space(pos + 1));
            self.depth.set(self.depth.get() - 1);
            let inner = inner?;
            let close = self.skip_space(inner.end);
            return (self.char_at(close) == Some(')')).then(|| Evaluated {
                end: close + 1,
                ..inner
            });
        }
        if c == '[' {
            return self.list(pos + 1);
        }
        if c == '{' {
            return self.mapping(pos + 1);
        }
        // A Python f-string: `f'{home}/x'`.
        let letters = self
            .rest(pos)
            .chars()
            .take(2)
            .take_while(|c| matches!(c, 'f' | 'F' | 'r' | 'R'))
            .count();
        let prefix = self
            .rest(pos)
            .get(..letters)
            .filter(|p| p.contains(['f', 'F']))
            .filter(|p| matches!(self.char_at(pos + p.len()), Some('\'' | '"')));
        if let Some(prefix) = prefix {
            let literal = self.literal_at(pos + prefix.len())?;
            let escapes = prefix.contains(['r', 'R'])
                || self
                    .code
                    .get(literal.start..literal.end)
                    .is_some_and(|source| source.contains('\\'));
            return self.f_string(&literal.text, escapes, literal.end, pos);
        }
        for (forms, text) in [(HOME_PATH_FORMS, "~"), (CWD_PATH_FORMS, ".")] {
            if let Some(form) = self.form_at(pos, forms) {
                return Some(Evaluated {
                    value: Value {
                        text: text.to_owned(),
                        path: true,
                        ..Value::default()
                    },
                    end: pos + form.len(),
                    derived: true,
                });
            }
        }
        for (forms, text) in [(HOME_FORMS, "~"), (CWD_FORMS, ".")] {
            if let Some(form) = self.form_at(pos, forms) {
                return Some(plain(text.to_owned(), pos + form.len(), true));
            }
        }
        for (function, path) in PATH_FUNCTIONS {
            if self.form_at(pos, &[function]).is_none() {
                continue;
            }
            let open = self.skip_spaces(pos + function.len());
            if self.char_at(open) != Some('(') {
                continue;
            }
            let (parts, end) = self.arguments(open + 1)?;
            if !parts.iter().all(Value::known) {
                return None;
            }
            let first = parts.first()?;
            let text = match parts.as_slice() {
                // Ruby's `File.expand_path(name, dir)`: `name` relative to
                // `dir` (`File.expand_path('../.env', __dir__)`).
                [name, dir] if *function == "File.expand_path" => join(&dir.text, &name.text),
                _ => parts
                    .iter()
                    .skip(1)
                    .fold(first.text.clone(), |acc, p| join(&acc, &p.text)),
            };
            // `Path('f')` alone is a file the literal analysis reads itself.
            let derived = !(*path && parts.len() == 1 && !self.argument_derived(open + 1));
            return Some(Evaluated {
                value: Value {
                    text,
                    path: *path,
                    ..Value::default()
                },
                end,
                derived,
            });
        }
        if let Some(found) = self.basename(pos).or_else(|| self.argument_word(pos)) {
            return Some(found);
        }
        let name = self.name_at(pos)?;
        // An attribute bound to a value (`args.host`, an argparse option).
        let attribute = self
            .rest(pos + name.len())
            .strip_prefix('.')
            .and_then(|rest| self.name_at(self.code.len() - rest.len()))
            .map(|attr| format!("{name}.{attr}"));
        let name = attribute
            .as_deref()
            .filter(|attribute| self.names.borrow().iter().any(|(n, _, _)| n == attribute))
            .unwrap_or(name);
        let after = self.skip_spaces(pos + name.len());
        let value = self.lookup(name, pos)?;
        // A mapping's entry is read after it (`cfg["bucket"]`), by [`Self::entry`].
        let subscripted = self.char_at(after) == Some('[') && value.entries.is_some();
        if matches!(self.char_at(after), Some('(' | '[')) && !subscripted {
            return None;
        }
        Some(Evaluated {
            value,
            end: pos + name.len(),
            derived: true,
        })
    }

    /// A Ruby, Perl or PHP double-quoted literal's text with its
    /// interpolations evaluated, and whether it held any; `None` when one
    /// is not known, or the literal has escapes (its text is then not the
    /// source's).
    fn double_quoted(&self, literal: &Literal, pos: usize) -> Option<(String, bool)> {
        let interpolation = self.interpolation?;
        let source = self.code.get(literal.start..literal.end)?;
        if !source.starts_with('"') || source.contains('\\') {
            return None;
        }
        match interpolation {
            Interpolation::Ruby => self.interpolate(&literal.text, "#{", pos),
            Interpolation::Sigil => self.sigil_interpolate(&literal.text, pos),
        }
    }

    /// A Perl or PHP string's text with each `$name` (`${name}`) written
    /// in; `None` when a name is not known, or an element (`$h{k}`,
    /// `$a[0]`, `$r->{k}`), a special variable (`$!`) or an array (`@a`) is
    /// interpolated.
    fn sigil_interpolate(&self, text: &str, pos: usize) -> Option<(String, bool)> {
        let mut out = String::new();
        let mut rest = text;
        let mut any = false;
        while let Some(start) = rest.find(['$', '@']) {
            out.push_str(rest.get(..start)?);
            let sigil = rest.get(start..=start)?;
            let after = rest.get(start + 1..)?;
            let (name, tail) = match after.strip_prefix('{') {
                Some(braced) => {
                    let close = braced.find('}')?;
                    (braced.get(..close)?, braced.get(close + 1..)?)
                }
                None => {
                    let len = after
                        .char_indices()
                        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
                        .map_or(after.len(), |(i, _)| i);
                    let element = after
                        .get(len..)
                        .is_some_and(|t| t.starts_with(['[', '{']) || t.starts_with("->"));
                    (after.get(..len).filter(|_| !element)?, after.get(len..)?)
                }
            };
            if sigil == "@" {
                // An address (`a@b.io`) is no array when nothing names one.
                if name.is_empty()
                    || !self
                        .names
                        .borrow()
                        .iter()
                        .any(|(n, _, _)| n == &format!("@{name}"))
                {
                    out.push('@');
                    rest = after;
                    continue;
                }
                return None;
            }
            let first = name.chars().next()?;
            if !(first.is_ascii_alphabetic() || first == '_') {
                return None;
            }
            let value = self.lookup(&format!("${name}"), pos).filter(Value::known)?;
            out.push_str(&value.text);
            any = true;
            rest = tail;
        }
        out.push_str(rest);
        Some((out, any))
    }

    /// `File.basename(p)` (`os.path.basename`, ...) of a known path: its
    /// last component; `os.path.dirname(p)` (`File.dirname`, ...): the
    /// directory holding it.
    fn basename(&self, pos: usize) -> Option<Evaluated> {
        let (function, last) = match self.form_at(pos, BASENAME_FUNCTIONS) {
            Some(function) => (function, true),
            None => (self.form_at(pos, DIRNAME_FUNCTIONS)?, false),
        };
        if self.char_before(pos) == Some('.') && !function.contains('.') {
            return None;
        }
        let open = self.skip_spaces(pos + function.len());
        if self.char_at(open) != Some('(') {
            return None;
        }
        let (parts, end) = self.arguments(open + 1)?;
        let [path] = parts.as_slice() else {
            return None;
        };
        if !path.known() {
            return None;
        }
        if !last {
            return Some(plain(parent(&path.text)?, end, true));
        }
        let text = path.text.trim_end_matches('/');
        let base = text.rsplit('/').next().unwrap_or(text);
        Some(plain(base.to_owned(), end, true))
    }

    /// A command-line argument of the code by its index: Ruby's
    /// `ARGV[0]` and `ARGV.fetch(0, "default")` (the default when not
    /// given), Perl's `$ARGV[0]`, Python's `sys.argv[1]`.
    fn argument_word(&self, pos: usize) -> Option<Evaluated> {
        // Perl's `shift` of `@ARGV` (not a method, `$q->shift`).
        if self.interpolation == Some(Interpolation::Sigil)
            && self.char_before(pos) != Some('>')
            && let Some(form) = self.form_at(pos, &["shift(@ARGV)", "shift @ARGV", "shift"])
            && self.first_shift(pos)
        {
            let word = self.words.first()?;
            return Some(plain(word.clone(), pos + form.len(), true));
        }
        let index = |at: usize| -> Option<(usize, usize)> {
            let rest = self.rest(at);
            let len = rest.chars().take_while(char::is_ascii_digit).count();
            Some((rest.get(..len)?.parse().ok()?, at + len))
        };
        // Python's `sys.argv[1]`: `sys.argv[0]` is the script itself.
        if self.char_before(pos) != Some('.')
            && let Some(form) = self.form_at(pos, &["sys.argv"])
        {
            let open = pos + form.len();
            (self.char_at(open) == Some('[')).then_some(())?;
            let (n, end) = index(open + 1)?;
            (self.char_at(end) == Some(']')).then_some(())?;
            let word = self.words.get(n.checked_sub(1)?)?;
            return Some(plain(word.clone(), end + 1, true));
        }
        let form = self.form_at(pos, &["ARGV", "$ARGV"])?;
        let after = pos + form.len();
        if self.char_at(after) == Some('[') {
            let (n, end) = index(after + 1)?;
            if self.char_at(end) != Some(']') {
                return None;
            }
            let word = self.words.get(n)?;
            return Some(plain(word.clone(), end + 1, true));
        }
        let open = after + ".fetch(".len();
        if !self.rest(after).starts_with(".fetch(") || form != "ARGV" {
            return None;
        }
        let (n, end) = index(self.skip_space(open))?;
        let comma = self.skip_space(end);
        let value = match self.char_at(comma)? {
            ',' => {
                let default = self.expr(self.skip_space(comma + 1))?;
                let close = self.skip_space(default.end);
                (self.char_at(close) == Some(')')).then_some(())?;
                let given = self.words.get(n).map(|w| (w.clone(), close + 1));
                given.or_else(|| {
                    default
                        .value
                        .known()
                        .then(|| (default.value.text, close + 1))
                })
            }
            ')' => self.words.get(n).map(|w| (w.clone(), comma + 1)),
            _ => None,
        };
        let (text, end) = value?;
        Some(plain(text, end, true))
    }

    /// True when the Perl `shift` at `pos` is the code's first and stands
    /// outside any `sub`: it takes the first of the code's arguments.
    fn first_shift(&self, pos: usize) -> bool {
        let before = self.code.get(..pos).unwrap_or_default();
        let mut names = before
            .char_indices()
            .filter(|(at, _)| self.token_starts(*at));
        let earlier = names.any(|(at, _)| {
            self.literal_at(at).is_none() && matches!(self.name_at(at), Some("shift" | "sub"))
        });
        !earlier
    }

    /// A list's items from `pos` up to the closing `]`, as a list value.
    fn list(&self, pos: usize) -> Option<Evaluated> {
        let mut items = Vec::new();
        let mut at = self.skip_space(pos);
        self.depth.set(self.depth.get() + 1);
        let end = loop {
            if self.char_at(at) == Some(']') {
                break Some(at + 1);
            }
            let Some(item) = self.expr(at).filter(|item| item.value.items.is_none()) else {
                break None;
            };
            items.push(item.value);
            at = self.skip_space(item.end);
            match self.char_at(at) {
                Some(']') => break Some(at + 1),
                Some(',') => at = self.skip_space(at + 1),
                _ => break None,
            }
        };
        self.depth.set(self.depth.get() - 1);
        Some(Evaluated {
            value: Value {
                items: Some(items),
                ..Value::default()
            },
            end: end?,
            derived: false,
        })
    }

    /// A dict literal (`{"bucket": "b", "prefix": p}`) whose keys are
    /// string literals and whose values are known, from just past its `{`.
    fn mapping(&self, pos: usize) -> Option<Evaluated> {
        let mut entries = Vec::new();
        let mut at = self.skip_space(pos);
        self.depth.set(self.depth.get() + 1);
        let end = loop {
            if self.char_at(at) == Some('}') {
                break Some(at + 1);
            }
            let Some(key) = self.literal_at(at).filter(|l| !l.backtick) else {
                break None;
            };
            let colon = self.skip_space(key.end);
            if self.char_at(colon) != Some(':') {
                break None;
            }
            let Some(value) = self.expr(self.skip_space(colon + 1)) else {
                break None;
            };
            entries.push((key.text.clone(), value.value));
            at = self.skip_space(value.end);
            match self.char_at(at) {
                Some('}') => break Some(at + 1),
                Some(',') => at = self.skip_space(at + 1),
                _ => break None,
            }
        };
        self.depth.set(self.depth.get() - 1);
        Some(Evaluated {
            value: Value {
                entries: Some(entries),
                ..Value::default()
            },
            end: end?,
            derived: false,
        })
    }

    /// A mapping's entry read after `term`: `[KEY]`, `.get(KEY)` or
    /// `.get(KEY, DEFAULT)` (the default when the key is missing), with
    /// KEY a string literal.
    fn entry(&self, term: &Evaluated) -> Option<Evaluated> {
        let entries = term.value.entries.as_ref()?;
        let rest = self.rest(term.end);
        let (key_at, get) = if rest.starts_with('[') {
            (self.skip_space(term.end + 1), false)
        } else if rest.starts_with(".get(") {
            (self.skip_space(term.end + ".get(".len()), true)
        } else {
            return None;
        };
        let key = self.literal_at(key_at).filter(|l| !l.backtick)?;
        let after = self.skip_space(key.end);
        let found = entries
            .iter()
            .find(|(k, _)| *k == key.text)
            .map(|(_, v)| v.clone());
        let (value, end) = match (self.char_at(after)?, get) {
            (']', false) | (')', true) => (found?, after + 1),
            (',', true) => {
                let fallback = self.expr(self.skip_space(after + 1))?;
                let close = self.skip_space(fallback.end);
                if self.char_at(close) != Some(')') {
                    return None;
                }
                (found.unwrap_or(fallback.value), close + 1)
            }
            _ => return None,
        };
        Some(Evaluated {
            value,
            end,
            derived: true,
        })
    }

    /// `term` with Python's and Ruby's `.strip()`, `.lstrip("/")`,
    /// `.rstrip(...)` applied, when its text is known.
    fn stripped(&self, term: &Evaluated) -> Option<Evaluated> {
        if !term.value.known() || term.value.path {
            return None;
        }
        let rest = self.rest(term.end);
        let method = [".strip(", ".lstrip(", ".rstrip("]
            .into_iter()
            .find(|m| rest.starts_with(m))?;
        let at = self.skip_space(term.end + method.len());
        let (chars, end) = if self.char_at(at) == Some(')') {
            (None, at + 1)
        } else {
            let literal = self.literal_at(at).filter(|l| !l.backtick)?;
            let close = self.skip_space(literal.end);
            if self.char_at(close) != Some(')') {
                return None;
            }
            (Some(literal.text.clone()), close + 1)
        };
        let strips = |c: char| {
            chars
                .as_deref()
                .map_or(c.is_whitespace(), |s| s.contains(c))
        };
        let text = &term.value.text;
        let text = match method {
            ".lstrip(" => text.trim_start_matches(strips),
            ".rstrip(" => text.trim_end_matches(strips),
            _ => text.trim_matches(strips),
        };
        Some(plain(text.to_owned(), end, true))
    }

    /// Python's `A if C else B` whose sides are the same value (a file
    /// loaded by either of two parsers): that value, to past `B`;
    /// otherwise `left` as it was.
    fn same_either_way(&self, left: Evaluated) -> Result<Evaluated, Evaluated> {
        let at = self.skip_spaces(left.end);
        if !self.rest(at).starts_with("if ") {
            return Err(left);
        }
        let Some(other) = self
            .top_level_else(at + "if ".len())
            .and_then(|else_at| self.expr(self.skip_spaces(else_at + "else ".len())))
        else {
            return Err(left);
        };
        if other.value != left.value {
            return Err(left);
        }
        Ok(Evaluated {
            value: left.value,
            end: other.end,
            derived: true,
        })
    }

    /// Where the `else ` of a conditional expression whose condition
    /// starts at `pos` is, on the same line and outside brackets.
    fn top_level_else(&self, pos: usize) -> Option<usize> {
        let mut depth = 0usize;
        let mut at = pos;
        while let Some(c) = self.char_at(at) {
            if let Some(literal) = self.literal_at(at) {
                at = literal.end;
                continue;
            }
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth = depth.checked_sub(1)?,
                '\n' | ';' if depth == 0 => return None,
                'e' if depth == 0
                    && self.rest(at).starts_with("else ")
                    && self.char_before(at).is_some_and(char::is_whitespace) =>
                {
                    return Some(at);
                }
                _ => {}
            }
            at += c.len_utf8();
        }
        None
    }

    /// `for NAME in ITER:` over the files of a tree (`src.rglob("*")`,
    /// `d.glob("*.csv")`, `d.iterdir()`, `glob.glob("x/*.csv")`, inside
    /// `sorted(...)` or a comprehension): NAME bound, from the loop on, to
    /// the glob pattern of the files it goes through (`exports/**/*`).
    fn loop_binding(&self, pos: usize) -> Option<()> {
        let at = self.skip_spaces(pos + "for".len());
        let name = self.name_at(at)?;
        let after = self.skip_spaces(at + name.len());
        if !self.rest(after).starts_with("in ") {
            return None;
        }
        let from = after + "in ".len();
        let to = from + self.rest(from).find('\n').unwrap_or(self.rest(from).len());
        let pattern = self.walked_pattern(from, to)?;
        self.names.borrow_mut().push((
            name.to_owned(),
            to,
            Some(Value {
                text: pattern,
                ..Value::default()
            }),
        ));
        Some(())
    }

    /// The glob pattern of the files a tree walk between `from` and `to`
    /// goes through.
    fn walked_pattern(&self, from: usize, to: usize) -> Option<String> {
        let span = self.code.get(from..to)?;
        for (method, prefix) in [(".rglob(", "**/"), (".glob(", ""), (".iterdir(", "")] {
            let Some(found) = span.find(method) else {
                continue;
            };
            let dot = from + found;
            let open = self.skip_space(dot + method.len());
            let start = self.receiver_start(dot)?;
            if self.code.get(start..dot) == Some("glob") {
                // `glob.glob(PATTERN)`: the pattern itself.
                return self
                    .expr(open)
                    .filter(|p| p.value.known())
                    .map(|p| p.value.text);
            }
            let base = self
                .expr(start)
                .filter(|b| b.end == dot && b.value.known())?;
            let pattern = if method == ".iterdir(" {
                "*".to_owned()
            } else {
                let literal = self.literal_at(open).filter(|l| !l.backtick)?;
                format!("{prefix}{}", literal.text)
            };
            return Some(join(&base.value.text, &pattern));
        }
        None
    }

    /// Where the receiver of the method whose `.` is at `dot` starts: a
    /// dotted name, or a call (`Path(args.src)`).
    fn receiver_start(&self, dot: usize) -> Option<usize> {
        let mut at = dot;
        if self.char_before(at) == Some(')') {
            let mut depth = 0usize;
            while let Some(c) = self.char_before(at) {
                at -= c.len_utf8();
                if let Some(literal) = self.literals.iter().find(|l| l.start < at && at < l.end) {
                    at = literal.start;
                    continue;
                }
                match c {
                    ')' => depth += 1,
                    '(' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            break;
                        }
                    }
                    '\n' => return None,
                    _ => {}
                }
            }
        }
        while let Some(c) = self
            .char_before(at)
            .filter(|c| is_ident_char(*c) || *c == '.')
        {
            at -= c.len_utf8();
        }
        (at < dot).then_some(at)
    }

    /// A Python f-string's value: each `{expr}` evaluated; one whose value
    /// is not known keeps it as written (a template), when another's is.
    /// With `escapes` (a raw string's or one with backslashes), only a
    /// wholly known one is read.
    fn f_string(&self, text: &str, escapes: bool, end: usize, pos: usize) -> Option<Evaluated> {
        if let Some((text, derived)) = self.interpolate(text, "{", pos) {
            return Some(plain(text, end, derived));
        }
        if escapes {
            return None;
        }
        let (template, any) = self.partial_template(text, pos)?;
        any.then(|| Evaluated {
            value: Value {
                text: template,
                template: true,
                ..Value::default()
            },
            end,
            derived: true,
        })
    }

    /// An f-string's text with the interpolations whose values are known
    /// written in (their braces doubled), the others kept; whether any
    /// was known.
    fn partial_template(&self, text: &str, pos: usize) -> Option<(String, bool)> {
        let mut out = String::new();
        let mut rest = text;
        let mut any = false;
        while let Some(start) = rest.find(['{', '}']) {
            let escaped = rest
                .get(start..)
                .is_some_and(|r| r.starts_with("{{") || r.starts_with("}}"));
            if escaped {
                out.push_str(rest.get(..start + 2)?);
                rest = rest.get(start + 2..)?;
                continue;
            }
            out.push_str(rest.get(..start)?);
            if rest.get(start..)?.starts_with('}') {
                return None;
            }
            let close = rest.get(start..)?.find('}')? + start;
            let inner = rest.get(start + 1..close)?;
            match self
                .evaluate_fragment(inner.trim(), pos)
                .filter(Value::known)
            {
                Some(value) => {
                    out.push_str(&value.text.replace('{', "{{").replace('}', "}}"));
                    any = true;
                }
                None => out.push_str(rest.get(start..=close)?),
            }
            rest = rest.get(close + 1..)?;
        }
        out.push_str(rest);
        Some((out, any))
    }

    /// True when the first argument at `pos` is more than a plain literal.
    fn argument_derived(&self, pos: usize) -> bool {
        self.expr(self.skip_space(pos)).is_none_or(|e| e.derived)
    }

    /// Comma-separated arguments from `pos` up to the closing `)`: their
    /// values and the position past it. Keyword arguments are not paths.
    fn arguments(&self, pos: usize) -> Option<(Vec<Value>, usize)> {
        self.depth.set(self.depth.get() + 1);
        let found = self.argument_list(pos);
        self.depth.set(self.depth.get() - 1);
        found
    }

    fn argument_list(&self, pos: usize) -> Option<(Vec<Value>, usize)> {
        let mut values = Vec::new();
        let mut at = self.skip_space(pos);
        if self.char_at(at) == Some(')') {
            return None;
        }
        loop {
            let arg = self.expr(at)?;
            values.push(arg.value);
            at = self.skip_space(arg.end);
            match self.char_at(at)? {
                ')' => return Some((values, at + 1)),
                ',' => at = self.skip_space(at + 1),
                _ => return None,
            }
        }
    }

    /// A template's or f-string's text with each `${expr}` (`{expr}`)
    /// evaluated; `{{` is a brace in an f-string. Whether it held any.
    fn interpolate(&self, text: &str, open: &str, pos: usize) -> Option<(String, bool)> {
        let mut out = String::new();
        let mut rest = text;
        let mut any = false;
        while let Some(start) = rest.find(open) {
            if open == "{" && rest.get(start..).is_some_and(|r| r.starts_with("{{")) {
                out.push_str(rest.get(..start + 1)?);
                rest = rest.get(start + 2..)?;
                continue;
            }
            out.push_str(rest.get(..start)?);
            let inner_start = start + open.len();
            let close = rest.get(inner_start..)?.find('}')? + inner_start;
            let inner = rest.get(inner_start..close)?.trim();
            let value = self.evaluate_fragment(inner, pos).filter(Value::known)?;
            out.push_str(&value.text);
            any = true;
            rest = rest.get(close + 1..)?;
        }
        out.push_str(rest);
        let out = if open == "{" {
            out.replace("}}", "}")
        } else {
            out
        };
        Some((out, any))
    }

    /// The value of a whole code fragment (an interpolation's expression),
    /// its names looked up where the fragment stands.
    fn evaluate_fragment(&self, fragment: &str, pos: usize) -> Option<Value> {
        let inner = Evaluator {
            code: fragment,
            literals: literals(fragment),
            names: self.names,
            at: Some(self.at.unwrap_or(pos)),
            depth: Cell::new(self.depth.get() + 1),
            templates: self.templates,
            interpolation: self.interpolation,
            words: self.words,
        };
        let evaluated = inner.expr(0)?;
        (inner.skip_space(evaluated.end) == fragment.len()).then_some(evaluated.value)
    }

    /// True when a token may start at `pos`: not inside a name, and not an
    /// attribute (`x.p`).
    fn token_starts(&self, pos: usize) -> bool {
        self.char_before(pos)
            .is_none_or(|c| !is_ident_char(c) && c != '.')
    }

    /// `NAME = EXPR` (`const`/`let`/`var`/`my` NAME = ...) at the start of
    /// a statement, whose value is known when EXPR evaluates and ends the
    /// statement.
    fn assignments(&self) {
        let mut count = 0;
        let mut next_literal = 0;
        for (pos, c) in self.code.char_indices() {
            while self
                .literals
                .get(next_literal)
                .is_some_and(|l| l.end <= pos)
            {
                next_literal += 1;
            }
            if self
                .literals
                .get(next_literal)
                .is_some_and(|l| l.start <= pos)
            {
                continue;
            }
            if !is_ident_char(c) || !self.token_starts(pos) || count >= MAX_NAMES {
                continue;
            }
            if self.name_at(pos).is_none() || !self.statement_start(pos) {
                continue;
            }
            if self.name_at(pos) == Some("for") {
                if self.loop_binding(pos).is_some() {
                    count += 1;
                }
                continue;
            }
            let Some((targets, eq)) = self.targets(pos) else {
                continue;
            };
            let values = self.assigned_values(self.skip_spaces(eq + 1));
            let values = values.filter(|(values, _)| values.len() == targets.len());
            let from = values.as_ref().map_or(eq, |(_, end)| *end);
            let mut values = values.map(|(values, _)| {
                values
                    .into_iter()
                    .zip(&targets)
                    .map(|(value, target)| {
                        // A list changed after (`cmd.append(x)`) is not
                        // known from its assignment.
                        let changed = match (&value.items, &value.entries) {
                            (None, None) => false,
                            (Some(_), _) => self.mutated(target),
                            (_, Some(_)) => self.mapping_mutated(target),
                        };
                        (!changed).then_some(value)
                    })
                    .collect::<Vec<_>>()
                    .into_iter()
            });
            for target in targets {
                let value = values.as_mut().and_then(Iterator::next).flatten();
                self.names
                    .borrow_mut()
                    .push((target.to_owned(), from, value));
                count += 1;
            }
        }
    }

    /// The names a statement at `pos` assigns (`p = ...`, Python's `owner,
    /// repo = ...`) and where its `=` is.
    fn targets(&self, pos: usize) -> Option<(Vec<&str>, usize)> {
        let mut targets = Vec::new();
        let mut at = pos;
        loop {
            let name = self.name_at(at)?;
            targets.push(name);
            at = self.skip_spaces(at + name.len());
            match self.char_at(at)? {
                ',' => at = self.skip_spaces(at + 1),
                '=' => break,
                _ => return None,
            }
        }
        let rest = self.rest(at);
        (!rest.starts_with("==") && !rest.starts_with("=>")).then_some((targets, at))
    }

    /// True when the code may change the list `name` in place
    /// (`name.append(`, `name += `; any index, `name[0] = `, to be safe).
    fn mutated(&self, name: &str) -> bool {
        self.code.match_indices(name).any(|(at, _)| {
            let whole =
                self.token_starts(at) && self.name_at(at).is_some_and(|n| n.len() == name.len());
            let rest = self.rest(at + name.len());
            let changed = [
                ".append(",
                ".extend(",
                ".insert(",
                ".pop(",
                ".remove(",
                ".clear(",
                ".sort(",
                ".reverse(",
                ".push(",
                ".unshift(",
                ".splice(",
                ".shift(",
                "[",
            ]
            .iter()
            .any(|method| rest.starts_with(method))
                || rest.trim_start_matches([' ', '\t']).starts_with("+=");
            whole && changed
        })
    }

    /// True when the code may change the mapping `name` in place
    /// (`name["k"] = v`, `name.update(...)`, `del name["k"]`).
    fn mapping_mutated(&self, name: &str) -> bool {
        self.code.match_indices(name).any(|(at, _)| {
            let whole =
                self.token_starts(at) && self.name_at(at).is_some_and(|n| n.len() == name.len());
            let rest = self.rest(at + name.len());
            let deleted = self
                .code
                .get(..at)
                .is_some_and(|b| b.trim_end_matches([' ', '\t']).ends_with("del"));
            let method = [".update(", ".setdefault(", ".pop(", ".clear(", ".popitem("]
                .iter()
                .any(|m| rest.starts_with(m));
            let stored = rest.starts_with('[')
                && self
                    .char_at(at + name.len())
                    .and_then(|_| {
                        let close = at + name.len() + rest.find(']')?;
                        let after = self.rest(close + 1).trim_start_matches([' ', '\t']);
                        Some(after.starts_with('=') && !after.starts_with("=="))
                    })
                    .unwrap_or(true);
            whole && (deleted || method || stored || rest.trim_start().starts_with("|="))
        })
    }

    /// The values of the comma-separated expressions at `pos` that end the
    /// statement, and where they end; `None` when one is not known.
    fn assigned_values(&self, pos: usize) -> Option<(Vec<Value>, usize)> {
        let mut values = Vec::new();
        let mut at = pos;
        loop {
            let value = self.expr(at)?;
            values.push(value.value);
            let end = self.skip_spaces(value.end);
            // Perl's `my $f = shift or die "usage"`: `or` binds after `=`.
            let perl_or = self.interpolation == Some(Interpolation::Sigil)
                && self.rest(end).starts_with("or ");
            match self.char_at(end) {
                None | Some(';' | '\n' | '\r' | '}') => return Some((values, value.end)),
                _ if perl_or => return Some((values, value.end)),
                Some(',') => at = self.skip_spaces(end + 1),
                _ => return None,
            }
        }
    }

    /// The options an argparse parser defines (`ap.add_argument("--host",
    /// default="h")`) as attributes of what its `parse_args()` returns
    /// (`args.host`): the value `words`, the code's command-line
    /// arguments, give it (`--host h`, `--host=h`), else its default.
    /// One given in a form not read (an abbreviation) is not known.
    fn argparse_options(&self, words: &[String]) -> Names {
        let holders: Vec<(String, usize)> = self
            .code
            .match_indices(".parse_args(")
            .filter_map(|(at, _)| {
                let line_start = self.code.get(..at)?.rfind(['\n', ';']).map_or(0, |n| n + 1);
                let statement = self.code.get(line_start..at)?.trim_start();
                let (name, _) = statement.split_once('=')?;
                let name = name.trim();
                let start = line_start + self.code.get(line_start..)?.find(name)?;
                (self.name_at(start) == Some(name)).then(|| (name.to_owned(), at))
            })
            .collect();
        let mut options = Names::new();
        let Some((holder, from)) = holders.first() else {
            return options;
        };
        for (at, _) in self.code.match_indices(".add_argument(") {
            if options.len() >= MAX_NAMES {
                break;
            }
            let Some(option) = self.argparse_option(at + ".add_argument(".len()) else {
                continue;
            };
            let value = given_value(&option.flags, words).unwrap_or(option.default);
            options.push((format!("{holder}.{}", option.dest), *from, value));
        }
        options
    }

    /// The option an `add_argument(` call whose arguments start at `pos`
    /// defines; `None` for a positional argument or one without a default.
    fn argparse_option(&self, pos: usize) -> Option<ArgparseOption> {
        let mut flags = Vec::new();
        let mut dest = None;
        let mut default = None;
        let mut at = self.skip_space(pos);
        while self.char_at(at) != Some(')') {
            let end = self.argument_end(at)?;
            let piece = self.code.get(at..end)?.trim_end();
            if let Some(literal) = self.literal_at(at).filter(|l| l.end == at + piece.len()) {
                flags.push(literal.text.clone());
            } else if let Some(name) = self.name_at(at) {
                let eq = self.skip_spaces(at + name.len());
                let rest = self.rest(eq);
                if rest.starts_with('=') && !rest.starts_with("==") {
                    let value_at = self.skip_space(eq + 1);
                    match name {
                        "default" => {
                            default = self
                                .expr(value_at)
                                .filter(|v| v.value.known() && self.skip_space(v.end) >= end)
                                .map(|v| v.value);
                        }
                        "dest" => dest = self.literal_at(value_at).map(|l| l.text.clone()),
                        _ => {}
                    }
                }
            }
            match self.char_at(end)? {
                ',' => at = self.skip_space(end + 1),
                _ => break,
            }
        }
        let long = flags.iter().find(|f| f.starts_with("--"));
        let dest = dest.or_else(|| {
            long.or_else(|| flags.first())
                .filter(|f| f.starts_with('-'))
                .map(|f| f.trim_start_matches('-').replace('-', "_"))
        })?;
        Some(ArgparseOption {
            flags,
            dest,
            default,
        })
    }

    /// Where the argument at `pos` ends: at the top-level `,` or `)`
    /// after it.
    fn argument_end(&self, pos: usize) -> Option<usize> {
        let mut depth = 0usize;
        let mut at = pos;
        while let Some(c) = self.char_at(at) {
            if let Some(literal) = self.literal_at(at) {
                at = literal.end;
                continue;
            }
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' if depth == 0 => return Some(at),
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => return Some(at),
                _ => {}
            }
            at += c.len_utf8();
        }
        None
    }

    /// True when the name at `pos` begins a statement, after an optional
    /// declaration keyword.
    fn statement_start(&self, pos: usize) -> bool {
        let before = self.code.get(..pos).unwrap_or_default();
        let mut head = before.trim_end_matches([' ', '\t']);
        for keyword in ["const", "let", "var", "my", "our", "local"] {
            if let Some(rest) = head.strip_suffix(keyword)
                && rest.chars().next_back().is_none_or(|c| !is_ident_char(c))
                && head.len() < before.len()
            {
                head = rest.trim_end_matches([' ', '\t']);
                break;
            }
        }
        head.chars()
            .next_back()
            .is_none_or(|c| matches!(c, ';' | ':' | '\n' | '\r' | '{' | '}'))
    }

    /// The code with every derived path expression replaced by its literal.
    fn rewrite(&self) -> Option<String> {
        let mut out = String::with_capacity(self.code.len());
        let mut copied = 0;
        let mut skip_to = 0;
        let mut next_literal = 0;
        for (pos, c) in self.code.char_indices() {
            if pos < skip_to {
                continue;
            }
            while self
                .literals
                .get(next_literal)
                .is_some_and(|l| l.start < pos)
            {
                next_literal += 1;
            }
            let literal_here = self
                .literals
                .get(next_literal)
                .is_some_and(|l| l.start == pos);
            let candidate =
                literal_here || c == '(' || (is_ident_char(c) && self.token_starts(pos));
            if !candidate {
                continue;
            }
            if c == '('
                && self
                    .char_before(pos)
                    .is_some_and(|b| is_ident_char(b) || matches!(b, ')' | ']' | '\'' | '"' | '`'))
            {
                // A call's parentheses, not a group.
                continue;
            }
            let evaluated = self.expr(pos).filter(|e| e.derived);
            match evaluated {
                Some(e) if !self.assigned_here(pos, e.end) => {
                    let follows_method = self.rest(e.end).starts_with('.');
                    // `[*tf, "apply"]`: the list's items in place.
                    let spread_from = self.spread_start(pos).filter(|_| e.value.items.is_some());
                    let text = match (spread_from, &e.value.items) {
                        (Some(_), Some(items)) => spread(items),
                        _ => render(&e.value, follows_method),
                    };
                    if let Some(text) = text {
                        let start = spread_from.unwrap_or(pos);
                        out.push_str(self.code.get(copied..start).unwrap_or_default());
                        out.push_str(&text);
                        copied = e.end;
                    }
                    skip_to = e.end;
                }
                _ => {
                    if literal_here && let Some(l) = self.literals.get(next_literal) {
                        skip_to = l.end;
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

    /// Where `*` spreading the expression at `pos` into a list or call's
    /// arguments starts (`[*tf, ...]`, `f(*argv)`), when one does.
    fn spread_start(&self, pos: usize) -> Option<usize> {
        let star = pos
            .checked_sub(1)
            .filter(|at| self.char_at(*at) == Some('*'))?;
        let before = self.code.get(..star)?.trim_end();
        matches!(before.chars().next_back(), Some('[' | ',' | '(')).then_some(star)
    }

    /// True when the expression `pos..end` is a name being assigned
    /// (`p = ...`, a keyword argument `p=...`) or an object's bare key
    /// (`{to: to}`, `, to: x`: the key is the word, not the name's value).
    fn assigned_here(&self, pos: usize, end: usize) -> bool {
        let is_name = self
            .code
            .get(pos..end)
            .is_some_and(|text| text.chars().all(|c| is_ident_char(c) || c == '.'));
        let rest = self.rest(self.skip_spaces(end));
        let assigned = rest.starts_with('=') && !rest.starts_with("==");
        let before = self
            .code
            .get(..pos)
            .and_then(|b| b.trim_end().chars().next_back());
        let key =
            rest.starts_with(':') && !rest.starts_with("::") && matches!(before, Some('{' | ','));
        is_name && (assigned || key)
    }
}

/// What a name for the running script's own location stands for.
#[derive(Clone, Copy)]
enum ScriptName {
    /// The script file (`__file__`, `__filename`, `__FILE__`).
    File,
    /// The directory holding it (`__dirname`, `__dir__`, `__DIR__`).
    Dir,
}

/// The names `program`'s language gives the script it runs, for its own
/// location: Python's `__file__`, Node's `__filename` and `__dirname`
/// (and an ES module's `import.meta.filename`/`dirname`,
/// `fileURLToPath(import.meta.url)`), Ruby's `__FILE__` and `__dir__`,
/// Perl's `__FILE__` and FindBin's `$FindBin::Bin`, PHP's `__FILE__` and
/// `__DIR__`. Longer spellings first.
fn script_names(program: &str) -> &'static [(&'static str, ScriptName)] {
    use ScriptName::{Dir, File};
    match program {
        _ if program
            .strip_prefix("python")
            .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.')) =>
        {
            &[("__file__", File)]
        }
        "node" | "nodejs" | "tsx" | "ts-node" | "esno" | "bun" | "deno" => &[
            ("url.fileURLToPath(import.meta.url)", File),
            ("fileURLToPath(import.meta.url)", File),
            ("import.meta.filename", File),
            ("import.meta.dirname", Dir),
            ("__filename", File),
            ("__dirname", Dir),
        ],
        "ruby" => &[("__FILE__", File), ("__dir__", Dir)],
        "perl" => &[
            ("__FILE__", File),
            ("$FindBin::RealBin", Dir),
            ("$FindBin::Bin", Dir),
        ],
        "php" => &[("__FILE__", File), ("__DIR__", Dir)],
        _ => &[],
    }
}

/// The code of a script file `program` runs, with the names its language
/// gives the script's own location ([`script_names`]) written as the
/// literals they stand for, `path` being the script's absolute path:
/// `Path(__file__).parent / ".env"` reads as `Path('/w/scripts/x.py').parent
/// / ".env"`, which the evaluator then resolves. An interpolation of one
/// (`` `${__dirname}/x` ``, `"#{__dir__}/x"`, `f"{__file__}"`, Perl's
/// `"$FindBin::Bin/x"`) becomes its text; the name written inside a
/// string as text is left alone. `None` when nothing is rewritten.
pub(crate) fn with_script_path(code: &str, program: &str, path: &str) -> Option<String> {
    let names = script_names(program);
    if names.is_empty() || code.len() > MAX_CODE {
        return None;
    }
    let dir = parent(path)?;
    let literals = literals(code);
    let mut out = String::new();
    let mut copied = 0;
    let mut pos = 0;
    while let Some(rest) = code.get(pos..).filter(|r| !r.is_empty()) {
        let found = names
            .iter()
            .find(|(name, _)| rest.starts_with(name) && whole_name(code, pos, name));
        let Some((name, stands_for)) = found else {
            pos += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let value = match stands_for {
            ScriptName::File => path,
            ScriptName::Dir => dir.as_str(),
        };
        let end = pos + name.len();
        let inside = literals.iter().find(|l| l.start < pos && pos < l.end);
        let replaced = match inside {
            None => quoted(value).map(|literal| (pos, end, literal)),
            Some(literal) => interpolated(code, literal, pos, end, name, value),
        };
        if let Some((from, to, text)) = replaced.filter(|(from, _, _)| *from >= copied) {
            out.push_str(code.get(copied..from)?);
            out.push_str(&text);
            copied = to;
        }
        pos = end;
    }
    if copied == 0 {
        return None;
    }
    out.push_str(code.get(copied..)?);
    Some(out)
}

/// True when `name` at `pos` stands alone: not part of a longer name or
/// an attribute (`obj.__file__`).
fn whole_name(code: &str, pos: usize, name: &str) -> bool {
    let before = code.get(..pos).and_then(|b| b.chars().next_back());
    let after = code.get(pos + name.len()..).and_then(|a| a.chars().next());
    let ends_in_name = name.chars().next_back().is_some_and(is_ident_char);
    before.is_none_or(|c| !is_ident_char(c) && c != '.')
        && !(ends_in_name && after.is_some_and(is_ident_char))
}

/// `text` as a single- or double-quoted literal; `None` when it holds
/// characters a literal would have to escape.
fn quoted(text: &str) -> Option<String> {
    if text.contains(['\\', '\n', '\r']) {
        return None;
    }
    if !text.contains('\'') {
        Some(format!("'{text}'"))
    } else if !text.contains(['"', '$', '#', '{']) {
        Some(format!("\"{text}\""))
    } else {
        None
    }
}

/// The span of an interpolation of `name` (at `pos..end` inside
/// `literal`) and the text it becomes: `${name}` in a template literal,
/// `#{name}` in a double-quoted string, `{name}` in a Python f-string, a
/// `$`-name (Perl's `$FindBin::Bin`) in a double-quoted string.
fn interpolated(
    code: &str,
    literal: &Literal,
    pos: usize,
    end: usize,
    name: &str,
    value: &str,
) -> Option<(usize, usize, String)> {
    let special = ['\\', '\'', '"', '`', '$', '#', '{', '}', '\n', '\r'];
    if value.contains(special) {
        return None;
    }
    let quote = code.get(literal.start..)?.chars().next()?;
    let before = code.get(literal.start + 1..pos)?;
    if name.starts_with('$') {
        return (quote == '"').then(|| (pos, end, value.to_owned()));
    }
    let closes = code.get(end..)?.starts_with('}');
    let opener = if (literal.backtick && before.ends_with("${"))
        || (quote == '"' && before.ends_with("#{"))
    {
        2
    } else if before.ends_with('{') && !before.ends_with("{{") && is_f_string(code, literal) {
        1
    } else {
        return None;
    };
    closes.then(|| (pos - opener, end + 1, value.to_owned()))
}

/// True when `literal` is a Python f-string (`f"..."`, `rf'...'`).
fn is_f_string(code: &str, literal: &Literal) -> bool {
    let prefix: String = code
        .get(..literal.start)
        .unwrap_or_default()
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    prefix.len() <= 2 && prefix.chars().any(|c| matches!(c, 'f' | 'F'))
}

fn plain(text: String, end: usize, derived: bool) -> Evaluated {
    Evaluated {
        value: Value {
            text,
            ..Value::default()
        },
        end,
        derived,
    }
}

/// A list's items as the code's literals, comma-separated.
fn spread(items: &[Value]) -> Option<String> {
    let rendered: Option<Vec<String>> = items.iter().map(|item| render(item, false)).collect();
    Some(rendered?.join(", "))
}

/// The directory holding `path` (`scripts/x.py`: `scripts`; `x.py`:
/// `.`; `.`: `..`); `None` for the root and the home directory, whose
/// parents are not written as paths here.
fn parent(path: &str) -> Option<String> {
    let trimmed = path.trim_end_matches('/');
    if matches!(trimmed, "" | "~") {
        return None;
    }
    if trimmed == "." {
        return Some("..".to_owned());
    }
    match trimmed.rsplit_once('/') {
        Some((head, ".")) => parent(head),
        Some((_, "..")) => Some(format!("{trimmed}/..")),
        None if trimmed == ".." => Some("../..".to_owned()),
        Some(("", _)) => Some("/".to_owned()),
        Some((head, _)) => Some(head.to_owned()),
        None => Some(".".to_owned()),
    }
}

/// `a` and `b` joined as path components (`b` absolute stands alone).
fn join(a: &str, b: &str) -> String {
    if b.starts_with('/') || a.is_empty() {
        b.to_owned()
    } else if b.is_empty() {
        a.to_owned()
    } else {
        format!("{}/{b}", a.trim_end_matches('/'))
    }
}

/// A value as a literal of the code; a Path whose method is called stays
/// a Path (`Path('f').write_text(...)`).
fn render(value: &Value, method_follows: bool) -> Option<String> {
    if value.entries.is_some() {
        return None;
    }
    if let Some(items) = &value.items {
        return spread(items).map(|items| format!("[{items}]"));
    }
    let text = &value.text;
    if text.contains(['\\', '\n', '\r']) {
        return None;
    }
    let quote = if !text.contains('\'') {
        '\''
    } else if !text.contains('"') {
        '"'
    } else {
        return None;
    };
    Some(if value.template {
        format!("f{quote}{text}{quote}")
    } else if value.path && method_follows {
        format!("Path({quote}{text}{quote})")
    } else {
        format!("{quote}{text}{quote}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn py(code: &str) -> String {
        resolve(code, "python3", &[]).unwrap_or_else(|| code.to_owned())
    }

    #[test]
    fn names_assigned_literals_are_replaced_where_used() {
        assert_eq!(
            py(
                "import json; p='.claude/settings.json'; d=json.load(open(p)); json.dump(d, open(p,'w'))"
            ),
            "import json; p='.claude/settings.json'; d=json.load(open('.claude/settings.json')); json.dump(d, open('.claude/settings.json','w'))"
        );
        assert_eq!(
            resolve("const p = '.env'; fs.readFileSync(p)", "node", &[]).as_deref(),
            Some("const p = '.env'; fs.readFileSync('.env')")
        );
        // Attributes, keyword names and unknown values stay.
        assert_eq!(py("x.p = 1; f(p=2)"), "x.p = 1; f(p=2)");
        assert_eq!(py("p = input(); open(p)"), "p = input(); open(p)");
    }

    #[test]
    fn home_expressions_become_tilde_paths() {
        assert_eq!(
            py("open(os.path.expanduser('~/.aws/credentials'))"),
            "open('~/.aws/credentials')"
        );
        assert_eq!(
            py("open(os.path.join(os.path.expanduser('~'), '.x'))"),
            "open('~/.x')"
        );
        assert_eq!(
            py("(Path.home() / '.ssh' / 'id_rsa').read_text()"),
            "Path('~/.ssh/id_rsa').read_text()"
        );
        assert_eq!(
            py("open(f\"{os.environ['HOME']}/.netrc\")"),
            "open('~/.netrc')"
        );
        for (code, want) in [
            (
                "fs.readFileSync(process.env.HOME + '/.aws/credentials')",
                "fs.readFileSync('~/.aws/credentials')",
            ),
            (
                "fs.readFileSync(`${process.env.HOME}/.x`)",
                "fs.readFileSync('~/.x')",
            ),
            (
                "fs.readFileSync(os.homedir() + '/.x')",
                "fs.readFileSync('~/.x')",
            ),
            (
                "fs.readFileSync(path.join(os.homedir(), '.x'))",
                "fs.readFileSync('~/.x')",
            ),
        ] {
            assert_eq!(resolve(code, "node", &[]).as_deref(), Some(want), "{code}");
        }
        // An object's bare keys stay words; their values are resolved.
        assert_eq!(
            resolve(
                "const to = os.homedir() + '/.x'; send({to: to, from: to})",
                "node",
                &[]
            )
            .as_deref(),
            Some("const to = '~/.x'; send({to: '~/.x', from: '~/.x'})")
        );
        // Concatenation with something unknown is left alone.
        assert_eq!(
            py("requests.get('https://x.io/?d=' + d)"),
            "requests.get('https://x.io/?d=' + d)"
        );
        assert_eq!(
            py("print(open('README.md').read())"),
            "print(open('README.md').read())"
        );
    }
}
