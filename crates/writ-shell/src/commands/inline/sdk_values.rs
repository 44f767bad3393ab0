//! The values of the expressions a vendor SDK's call is given, in inline
//! code whose literals and argparse options are already written in
//! ([`super::super::pathexpr`]): a string or number literal; a name bound
//! earlier (`cents = int(args.usd * 100)`, `const amount =
//! Number.parseInt(cents, 10)`), also by unpacking (`base_url, env =
//! WORKSPACES["x"]`, `const [, , pi, cents, reason = "dup"] =
//! process.argv`, `const { to } = cfg`); a member of a list or mapping
//! written out (`WORKSPACES["x"]` of `WORKSPACES = {"x": ("https://h/",
//! "T")}`); the script's own arguments (`sys.argv[1]`,
//! `process.argv[2]`); conversions that keep the value (`int(x)`,
//! `Number(x)`, `Decimal(x)`, `parseInt(x, 10)`, `.to_integral_value()`)
//! and a product of numbers (`usd * 100`: the amount in cents).
//!
//! Anything else (a call's result, a value read at run time) is not
//! known: `None`.

use super::storage::{Item, is_ident, literal_at, matching, top_level_split};
use super::{Invocation, Literal};
use crate::Payload;
use crate::args::Arg;
use crate::flow;

/// How deep names and expressions are followed.
const MAX_DEPTH: usize = 8;

/// Calls whose value is their first argument's, converted.
const CONVERSIONS: &[&str] = &[
    "int",
    "float",
    "str",
    "round",
    "Decimal",
    "decimal.Decimal",
    "Number",
    "String",
    "BigInt",
    "parseInt",
    "parseFloat",
    "Number.parseInt",
    "Number.parseFloat",
    "Math.round",
    "Math.trunc",
    "Integer",
    "Float",
    "BigDecimal",
];

/// Keywords that declare the names a statement assigns.
const DECLARATIONS: &[&str] = &["export ", "const ", "let ", "var ", "final ", "val "];

/// Methods whose value is their object's, converted.
const CONVERTING_METHODS: &[&str] = &[
    ".to_integral_value()",
    ".to_integral()",
    ".strip()",
    ".trim()",
    ".to_i",
    ".to_s",
    ".to_f",
];

/// A value an expression has.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Text(String),
    /// A list or tuple.
    List(Vec<Value>),
    /// A mapping or object literal, by key.
    Map(Vec<(String, Value)>),
}

impl Value {
    /// Every text the value holds, in order (a list's items, a mapping's
    /// values).
    pub(super) fn texts(&self) -> Vec<&str> {
        match self {
            Value::Text(text) => vec![text.as_str()],
            Value::List(items) => items.iter().flat_map(Value::texts).collect(),
            Value::Map(entries) => entries.iter().flat_map(|(_, v)| v.texts()).collect(),
        }
    }

    /// The text of a plain value.
    pub(super) fn text(&self) -> Option<&str> {
        match self {
            Value::Text(text) => Some(text),
            _ => None,
        }
    }
}

/// Reads the values of expressions in one piece of code.
pub(super) struct Values<'a> {
    code: &'a str,
    literals: &'a [Literal],
    /// The code's own command-line arguments (a script's).
    args: &'a [Arg],
}

impl<'a> Values<'a> {
    /// `code` (with its `literals`) as run by `inv`; `original` is the code
    /// as given on the command line, whose arguments follow it.
    pub(super) fn new(
        inv: &Invocation<'a>,
        original: &str,
        code: &'a str,
        literals: &'a [Literal],
    ) -> Self {
        let args = inv
            .args
            .iter()
            .position(|a| a.text == original || a.text == "-")
            .and_then(|at| inv.args.get(at + 1..))
            .unwrap_or_default();
        Values {
            code,
            literals,
            args,
        }
    }

    /// The value of the expression at `start..end`.
    pub(super) fn of(&self, start: usize, end: usize) -> Option<Value> {
        self.eval(start, end, 0)
    }

    /// What the script's arguments whose text `texts` hold carry beside
    /// their text: the variables and substitutions of `--body "key:
    /// $SECRET"`, written into the code as the literal it gives.
    pub(super) fn expansions_in(&self, texts: &[&str]) -> Payload {
        let mut payload = Payload::default();
        for arg in self.args {
            let held = !arg.text.is_empty() && texts.iter().any(|t| t.contains(&arg.text));
            if held {
                flow::merge(&mut payload, &arg.expansions());
            }
        }
        payload
    }

    fn eval(&self, start: usize, end: usize, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        let raw = self.code.get(start..end)?;
        let start = start + (raw.len() - raw.trim_start().len());
        let end = start + raw.trim().len();
        let text = self.code.get(start..end)?;
        if text.is_empty() {
            return None;
        }
        if let Some((_, literal)) = literal_at(self.literals, start)
            && literal.end == end
        {
            return Some(Value::Text(literal.text.clone()));
        }
        if let Some(number) = number(text) {
            return Some(Value::Text(number));
        }
        let next = depth + 1;
        if let Some(inner) = text.strip_prefix("await ") {
            return self.eval(end - inner.len(), end, next);
        }
        if let Some(method) = CONVERTING_METHODS.iter().find(|m| text.ends_with(**m)) {
            return self.eval(start, end - method.len(), next);
        }
        if let Some(value) = self.bracketed(start, end, next) {
            return value;
        }
        if let Some(value) = self.product(start, end, next) {
            return Some(value);
        }
        if text.ends_with(')') {
            return self.conversion(start, end, next);
        }
        if text.ends_with(']') {
            return self.subscript(start, end, next);
        }
        let name_like = text.chars().all(|c| is_ident(c) || c == '.');
        if !name_like {
            return None;
        }
        if let Some(value) = self.assigned(text, start, next) {
            return Some(value);
        }
        // `cfg.to`: a member of a mapping bound to a name.
        let (head, member) = text.rsplit_once('.')?;
        match self.assigned(head, start, next)? {
            Value::Map(entries) => entries
                .into_iter()
                .find(|(key, _)| key == member)
                .map(|(_, value)| value),
            _ => None,
        }
    }

    /// A list, tuple or mapping written out, or an expression in
    /// parentheses: `Some(value)` when the whole text is one.
    fn bracketed(&self, start: usize, end: usize, depth: usize) -> Option<Option<Value>> {
        let open = *self.code.as_bytes().get(start)?;
        if !matches!(open, b'(' | b'[' | b'{')
            || matching(self.code, self.literals, start)? + 1 != end
        {
            return None;
        }
        let inside = top_level_split(self.code, self.literals, start + 1..end - 1)?;
        // PHP's arrays with keys (`['amount' => 100]`) are mappings.
        let keyed =
            open == b'[' && !inside.is_empty() && inside.iter().all(|(_, p)| p.contains("=>"));
        if open == b'{' || keyed {
            let entries = inside
                .iter()
                .filter_map(|(at, piece)| self.entry(*at, *at + piece.len(), depth))
                .collect();
            return Some(Some(Value::Map(entries)));
        }
        let tuple = open == b'[' || inside.len() > 1 || {
            let body = self.code.get(start + 1..end - 1).unwrap_or_default();
            body.trim_end().ends_with(',')
        };
        if !tuple {
            return Some(self.eval(start + 1, end - 1, depth));
        }
        let items: Option<Vec<Value>> = inside
            .iter()
            .map(|(at, piece)| self.eval(*at, *at + piece.len(), depth))
            .collect();
        Some(items.map(Value::List))
    }

    /// One entry of a mapping written out: `"k": v`, `k: v`, or the
    /// shorthand `k` (JavaScript's `{ k }`).
    fn entry(&self, start: usize, end: usize, depth: usize) -> Option<(String, Value)> {
        let piece = self.code.get(start..end)?;
        let lead = piece.len() - piece.trim_start().len();
        let at = start + lead;
        let (key, after) = match literal_at(self.literals, at) {
            Some((_, literal)) => (literal.text.clone(), literal.end),
            None => {
                let name: String = piece
                    .trim_start()
                    .chars()
                    .take_while(|c| is_ident(*c))
                    .collect();
                (name.clone(), at + name.len())
            }
        };
        if key.is_empty() {
            return None;
        }
        let rest = self.code.get(after..end)?;
        let separated = rest.trim_start();
        let value = separated
            .strip_prefix("=>")
            .or_else(|| separated.strip_prefix(':'));
        match value {
            Some(value) => {
                let value_start = end - value.len();
                Some((key, self.eval(value_start, end, depth)?))
            }
            None if rest.trim().is_empty() => {
                Some((key.clone(), self.assigned(&key, start, depth)?))
            }
            None => None,
        }
    }

    /// `a * b` of two numbers (`usd * 100`), as the number it is; `None`
    /// for anything else.
    fn product(&self, start: usize, end: usize, depth: usize) -> Option<Value> {
        let pieces = self.top_level_operands(start, end, b'*')?;
        let [(a, a_end), (b, b_end)] = pieces.as_slice() else {
            return None;
        };
        let left = self.eval(*a, *a_end, depth)?;
        let right = self.eval(*b, *b_end, depth)?;
        let product = left.text()?.parse::<f64>().ok()? * right.text()?.parse::<f64>().ok()?;
        let whole = product.round();
        (product.is_finite() && (product - whole).abs() < 1e-6 && whole.abs() < 1e15)
            .then(|| Value::Text(format!("{whole:.0}")))
    }

    /// The operands of `start..end` split at each top-level `op` (not
    /// doubled, as `**` is); `None` when there is no such operator.
    fn top_level_operands(&self, start: usize, end: usize, op: u8) -> Option<Vec<(usize, usize)>> {
        let bytes = self.code.as_bytes();
        let mut pieces = Vec::new();
        let mut piece = start;
        let mut pos = start;
        while pos < end {
            if let Some((_, literal)) = literal_at(self.literals, pos) {
                pos = literal.end;
                continue;
            }
            match bytes.get(pos)? {
                b'(' | b'[' | b'{' => {
                    pos = matching(self.code, self.literals, pos)? + 1;
                    continue;
                }
                byte if *byte == op => {
                    if bytes.get(pos + 1) == Some(&op) {
                        return None;
                    }
                    pieces.push((piece, pos));
                    piece = pos + 1;
                }
                _ => {}
            }
            pos += 1;
        }
        if pieces.is_empty() {
            return None;
        }
        pieces.push((piece, end));
        Some(pieces)
    }

    /// A conversion's value: its first argument's (`int(x)`,
    /// `Number.parseInt(x, 10)`).
    fn conversion(&self, start: usize, end: usize, depth: usize) -> Option<Value> {
        let text = self.code.get(start..end)?;
        let open = start + text.find('(')?;
        if matching(self.code, self.literals, open)? + 1 != end {
            return None;
        }
        let name = self.code.get(start..open)?.trim();
        let name = name.strip_prefix("new ").unwrap_or(name).trim();
        if !CONVERSIONS.contains(&name) {
            return None;
        }
        let args = top_level_split(self.code, self.literals, open + 1..end - 1)?;
        let (at, first) = args.first()?;
        self.eval(*at, *at + first.len(), depth)
    }

    /// `X[K]`: the member of a list or mapping, or (`sys.argv[1]`,
    /// `process.argv[2]`) the script's own argument.
    fn subscript(&self, start: usize, end: usize, depth: usize) -> Option<Value> {
        let text = self.code.get(start..end)?;
        let open = start + text.find('[')?;
        if open == start || matching(self.code, self.literals, open)? + 1 != end {
            return None;
        }
        let head = self.code.get(start..open)?.trim();
        let key = self.eval(open + 1, end - 1, depth)?;
        let key = key.text()?;
        if let Some(skipped) = argv_offset(head) {
            let index: usize = key.parse().ok()?;
            let word = self.args.get(index.checked_sub(skipped)?)?;
            return Some(Value::Text(word.text.clone()));
        }
        match self.eval(start, open, depth)? {
            Value::Map(entries) => entries
                .into_iter()
                .find(|(k, _)| k == key)
                .map(|(_, value)| value),
            Value::List(items) => items.into_iter().nth(key.parse().ok()?),
            Value::Text(_) => None,
        }
    }

    /// The value the last assignment before `before` gives `name`:
    /// directly (`name = v`, `const name = v`, `name: T = v`) or by
    /// unpacking a list, tuple or object (`a, name = v`, `const [, name =
    /// "d"] = v`, `const { name } = v`).
    fn assigned(&self, name: &str, before: usize, depth: usize) -> Option<Value> {
        if name.is_empty() || depth > MAX_DEPTH {
            return None;
        }
        let head = self.code.get(..before)?;
        head.match_indices(name)
            .filter(|(at, _)| self.whole_name(*at, name))
            .filter_map(|(at, _)| self.assignment_at(name, at, depth))
            .last()
    }

    /// True when `name` at `at` is a whole name outside any literal.
    fn whole_name(&self, at: usize, name: &str) -> bool {
        let before = self.code.get(..at).and_then(|b| b.chars().next_back());
        let after = self
            .code
            .get(at + name.len()..)
            .and_then(|a| a.chars().next());
        let inside_literal = self.literals.iter().any(|l| l.start <= at && at < l.end);
        before.is_none_or(|c| !(is_ident(c) || c == '.'))
            && after.is_none_or(|c| !is_ident(c))
            && !inside_literal
    }

    /// The value the statement holding `name` at `at` gives it, when that
    /// statement assigns it.
    fn assignment_at(&self, name: &str, at: usize, depth: usize) -> Option<Value> {
        let line_start = self.code.get(..at)?.rfind(['\n', ';']).map_or(0, |i| i + 1);
        let end = self.statement_end(line_start)?;
        let statement = self.code.get(line_start..end)?;
        let lead = statement.len() - statement.trim_start().len();
        let declared = DECLARATIONS
            .iter()
            .find_map(|keyword| statement.trim_start().strip_prefix(keyword));
        // `const a = 1, b = 2`: each declarator on its own.
        let declarators = match declared {
            Some(rest) => {
                let from = end - rest.len();
                top_level_split(self.code, self.literals, from..end)?
            }
            None => vec![(line_start + lead, self.code.get(line_start + lead..end)?)],
        };
        let (piece_start, piece) = declarators
            .into_iter()
            .find(|(start, piece)| *start <= at && at < start + piece.len())?;
        let piece_end = piece_start + piece.len();
        let equals = self.assigning_equals(piece_start, piece_end)?;
        if at > equals {
            return None;
        }
        let target = self.code.get(piece_start..equals)?.trim();
        let target = DECLARATIONS
            .iter()
            .fold(target, |t, keyword| t.strip_prefix(keyword).unwrap_or(t))
            .trim();
        let value_start = equals + 1;
        let plain = target == name
            || target
                .split_once(':')
                .is_some_and(|(n, _)| n.trim() == name && !target.starts_with('{'));
        if plain {
            return self.eval(value_start, piece_end, depth + 1);
        }
        self.unpacked(target, name, value_start, piece_end, depth + 1)
    }

    /// Where the statement starting at `start` ends: its `;` or line end
    /// outside brackets and literals.
    fn statement_end(&self, start: usize) -> Option<usize> {
        let bytes = self.code.as_bytes();
        let mut pos = start;
        while let Some(&byte) = bytes.get(pos) {
            if let Some((_, literal)) = literal_at(self.literals, pos) {
                pos = literal.end;
                continue;
            }
            match byte {
                b'(' | b'[' | b'{' => {
                    pos = matching(self.code, self.literals, pos)? + 1;
                    continue;
                }
                b'\n' | b';' => break,
                _ => {}
            }
            pos += 1;
        }
        Some(pos)
    }

    /// The assigning `=` of `start..end`, outside brackets (a default
    /// inside a pattern) and literals; `None` when there is none or a
    /// comparison (`==`, `=>`, `<=`, `>=`, `!=`) or an update (`+=`)
    /// comes first.
    fn assigning_equals(&self, start: usize, end: usize) -> Option<usize> {
        let bytes = self.code.as_bytes();
        let mut pos = start;
        while pos < end {
            if let Some((_, literal)) = literal_at(self.literals, pos) {
                pos = literal.end;
                continue;
            }
            match bytes.get(pos)? {
                b'(' | b'[' | b'{' => {
                    pos = matching(self.code, self.literals, pos)? + 1;
                    continue;
                }
                b'=' => {
                    let prev = pos.checked_sub(1).and_then(|p| bytes.get(p)).copied();
                    let next = bytes.get(pos + 1).copied();
                    let compares = matches!(next, Some(b'=' | b'>'))
                        || matches!(
                            prev,
                            Some(b'=' | b'!' | b'<' | b'>' | b'+' | b'-' | b'*' | b'/')
                        );
                    return (!compares).then_some(pos);
                }
                _ => {}
            }
            pos += 1;
        }
        None
    }

    /// The value `name` gets from unpacking the value at `start..end` into
    /// `target` (`a, b`, `(a, b)`, `[, , a, b = "d"]`, `{ a, b: c }`).
    fn unpacked(
        &self,
        target: &str,
        name: &str,
        start: usize,
        end: usize,
        depth: usize,
    ) -> Option<Value> {
        let value_text = self.code.get(start..end)?.trim();
        if let Some(inner) = target.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            let (key, default) = inner.split(',').find_map(|part| {
                let (binding, default) = match part.split_once('=') {
                    Some((b, d)) => (b.trim(), Some(d.trim())),
                    None => (part.trim(), None),
                };
                match binding.split_once(':') {
                    Some((key, alias)) if alias.trim() == name => Some((key.trim(), default)),
                    None if binding == name => Some((binding, default)),
                    _ => None,
                }
            })?;
            let found = match self.eval(start, end, depth)? {
                Value::Map(entries) => entries.into_iter().find(|(k, _)| k == key).map(|(_, v)| v),
                _ => None,
            };
            return found.or_else(|| default.and_then(quoted_text));
        }
        let inner = target
            .strip_prefix('[')
            .and_then(|t| t.strip_suffix(']'))
            .or_else(|| target.strip_prefix('(').and_then(|t| t.strip_suffix(')')))
            .unwrap_or(target);
        let (index, default) = inner.split(',').enumerate().find_map(|(index, part)| {
            let (binding, default) = match part.split_once('=') {
                Some((b, d)) => (b.trim(), Some(d.trim())),
                None => (part.trim(), None),
            };
            (binding == name).then_some((index, default))
        })?;
        // The script's own arguments, unpacked (`process.argv`, `sys.argv`).
        if let Some(skipped) = argv_offset(value_text) {
            let word = index.checked_sub(skipped).and_then(|i| self.args.get(i));
            return match word {
                Some(word) => Some(Value::Text(word.text.clone())),
                None => default.and_then(quoted_text),
            };
        }
        match self.eval(start, end, depth)? {
            Value::List(items) => items.into_iter().nth(index),
            _ => None,
        }
        .or_else(|| default.and_then(quoted_text))
    }
}

/// The key of an argument of the call whose `(` is at `open`: its
/// keyword, or for JavaScript's shorthand `{ amount }` the name itself.
pub(super) fn item_key(
    code: &str,
    literals: &[Literal],
    open: usize,
    item: &Item,
) -> Option<String> {
    if item.key.is_some() {
        return item.key.clone();
    }
    code.get(item.start..item.end)
        .filter(|t| !t.is_empty() && t.chars().all(is_ident))
        .filter(|_| in_object(code, literals, open, item.start))
        .map(str::to_owned)
}

/// True when `pos`, inside the call whose `(` is at `open`, is in an
/// object literal (`create({ amount })`) rather than an argument itself.
fn in_object(code: &str, literals: &[Literal], open: usize, pos: usize) -> bool {
    let mut stack = Vec::new();
    let mut at = open + 1;
    while at < pos {
        if let Some((_, literal)) = literal_at(literals, at) {
            at = literal.end;
            continue;
        }
        match code.as_bytes().get(at) {
            Some(b @ (b'(' | b'[' | b'{')) => stack.push(*b),
            Some(b')' | b']' | b'}') => {
                stack.pop();
            }
            _ => {}
        }
        at += 1;
    }
    stack.last() == Some(&b'{')
}

/// How many words before a script's own arguments an argument vector
/// holds: none in `Deno.args`, the script in `sys.argv`, the runtime and
/// the script in `process.argv`.
fn argv_offset(expression: &str) -> Option<usize> {
    match expression.trim() {
        "Deno.args" => Some(0),
        "sys.argv" => Some(1),
        "process.argv" | "Bun.argv" => Some(2),
        _ => None,
    }
}

/// The text of a string literal written as a default (`"dup"`).
fn quoted_text(text: &str) -> Option<Value> {
    let text = text.trim();
    let quote = text.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let inner = text.strip_prefix(quote)?.strip_suffix(quote)?;
    (!inner.contains(quote)).then(|| Value::Text(inner.to_owned()))
}

/// A number written out (`2500`, `25.00`, `1_000`), as plain digits.
fn number(text: &str) -> Option<String> {
    let digits = text.replace('_', "");
    let body = digits.strip_prefix('-').unwrap_or(&digits);
    let numeric = !body.is_empty()
        && body.starts_with(|c: char| c.is_ascii_digit())
        && body.chars().all(|c| c.is_ascii_digit() || c == '.')
        && body.matches('.').count() <= 1;
    numeric.then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::super::literals;
    use super::*;

    /// The value `name` has at the end of `code`, run with `words`.
    fn value_of(code: &str, words: &[&str], name: &str) -> Option<Value> {
        let literals = literals(code);
        let mut args = vec![Arg::literal(code)];
        args.extend(words.iter().map(|w| Arg::literal(w)));
        let empty = Payload::default();
        let inv = Invocation {
            program: "python3",
            args: &args,
            cwd: "/w",
            home: "/h",
            env: &[],
            stdin: &empty,
            has_stdin: false,
        };
        let values = Values::new(&inv, code, code, &literals);
        let end = code.len();
        values.assigned(name, end, 0)
    }

    fn text(t: &str) -> Option<Value> {
        Some(Value::Text(t.to_owned()))
    }

    #[test]
    fn names_unpack_mappings_and_arguments() {
        let code = "W = {\"a\": (\"https://a/\", \"T\"), \"b\": (\"https://b/\", \"U\")}\nbase, env = W['b']\n";
        assert_eq!(value_of(code, &[], "base"), text("https://b/"));
        let code = "const [, , pi, cents, reason = \"dup\"] = process.argv;\nconst amount = Number.parseInt(cents, 10);\n";
        assert_eq!(value_of(code, &["pi_1", "2500"], "amount"), text("2500"));
        assert_eq!(value_of(code, &["pi_1", "2500"], "reason"), text("dup"));
        assert_eq!(value_of(code, &["pi_1", "2500"], "pi"), text("pi_1"));
    }

    #[test]
    fn amounts_in_cents_are_products() {
        let code = "cents = int(('2500.00' * 100).to_integral_value())\n";
        assert_eq!(value_of(code, &[], "cents"), text("250000"));
        let code = "cents = round(float(x) * 100)\n";
        assert_eq!(value_of(code, &[], "cents"), None);
        // A comparison assigns nothing.
        assert_eq!(value_of("if cents == 5:\n  pass\n", &[], "cents"), None);
    }
}
