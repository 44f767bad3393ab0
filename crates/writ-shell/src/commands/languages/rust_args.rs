//! A Rust program's own command line, written into its code: the words
//! after `cargo run ... --` (or a script's, for `rust-script F ARGS`) are
//! what `std::env::args()` yields after the program's name.
//!
//! - `env::args().nth(N)` is the Nth word; through `.unwrap_or_else(||
//!   DEFAULT)`, `.unwrap_or(DEFAULT)`, `.expect(..)`, `.ok_or(..)?` and
//!   the like it is that word's literal, or without it the default's
//!   expression;
//! - a collected list (`let args: Vec<String> = env::args().collect();`,
//!   `.skip(1)` counted) gives `args[N]` and `args.get(N)` their words;
//! - `args.iter().position(|a| a == "--report-to").and_then(|i|
//!   args.get(i + 1).cloned())` is the word after that option, as
//!   `Some("...")`, or `None`;
//! - `args.iter().any(|a| a == "--apply")` and
//!   `args.contains(&"--apply".to_string())` are `true` or `false`.

use super::braces::{MAX_CODE, call_args, in_literal, is_ident, quoted, starts_name};
use crate::commands::inline::{Literal, literals, matching_bracket};

/// Combinators after `.nth(N)` that give a default or pass the value on.
const UNWRAPS: &[&str] = &[
    ".unwrap_or_else(",
    ".unwrap_or(",
    ".unwrap_or_default(",
    ".unwrap(",
    ".expect(",
    ".ok_or(",
    ".ok_or_else(",
    ".context(",
    ".with_context(",
];

/// `code` with the program's arguments written in where it reads them;
/// `None` when it reads none this knows.
pub(super) fn bound(code: &str, words: &[String]) -> Option<String> {
    if code.len() > MAX_CODE || !code.contains("args()") {
        return None;
    }
    let mut out = nth_calls(code, words);
    for (name, skipped) in collected(&out) {
        // The list's items: the program's name, then its words, less
        // those skipped.
        let items: Vec<String> = std::iter::once(String::new())
            .chain(words.iter().cloned())
            .skip(skipped)
            .collect();
        out = indexed(&out, &name, &items, skipped == 0);
        out = option_after(&out, &name, words);
        out = presence(&out, &name, words);
    }
    out = presence(&out, "args()", words);
    (out != code).then_some(out)
}

/// `code` with each `env::args().nth(N)` chain made its word's literal,
/// or its default's expression.
fn nth_calls(code: &str, words: &[String]) -> String {
    let mut out = code.to_owned();
    let mut from = 0;
    while let Some(found) = out.get(from..).and_then(|r| r.find("args()")) {
        let at = from + found;
        from = at + 1;
        let found_literals = literals(&out);
        if in_literal(&found_literals, at) {
            continue;
        }
        let start = chain_start(&out, at);
        let rest = out.get(at + "args()".len()..).unwrap_or_default();
        let lead = rest.len() - rest.trim_start().len();
        let Some(index) = rest
            .trim_start()
            .strip_prefix(".nth(")
            .and_then(|r| r.split_once(')'))
            .and_then(|(n, _)| n.trim().parse::<usize>().ok())
        else {
            continue;
        };
        let nth_end = at + "args()".len() + lead + rest.trim_start().find(')').map_or(0, |n| n + 1);
        let (end, default) = unwrapped(&out, &found_literals, nth_end);
        let given = index.checked_sub(1).and_then(|i| words.get(i));
        let text = match (given, default) {
            (Some(word), _) => quoted(word),
            (None, Some(default)) => default,
            (None, None) => continue,
        };
        out.replace_range(start..end, &text);
        from = start + text.len();
    }
    out
}

/// Where the `env::args()` at `at` starts (`std::env::args()`).
fn chain_start(code: &str, at: usize) -> usize {
    let head = code.get(..at).unwrap_or_default();
    let path = head.len()
        - head
            .trim_end_matches(|c: char| is_ident(c) || c == ':')
            .len();
    at - path
}

/// Past the combinators after `from` (`.unwrap_or_else(|| "x".into())?`),
/// and the default they give.
fn unwrapped(code: &str, found: &[Literal], from: usize) -> (usize, Option<String>) {
    let mut end = from;
    let mut default = None;
    loop {
        let rest = code.get(end..).unwrap_or_default();
        let lead = rest.len() - rest.trim_start().len();
        let Some(unwrap) = UNWRAPS.iter().find(|u| rest.trim_start().starts_with(*u)) else {
            break;
        };
        let open = end + lead + unwrap.len() - 1;
        let Some((pieces, close)) = call_args(code, found, open) else {
            break;
        };
        if matches!(*unwrap, ".unwrap_or_else(" | ".unwrap_or(")
            && let Some((s, e)) = pieces.first()
        {
            let piece = code.get(*s..*e).unwrap_or_default();
            let value = piece.strip_prefix("||").map_or(piece, str::trim).to_owned();
            default = Some(value);
        } else if *unwrap == ".unwrap_or_default(" {
            default = Some("String::new()".to_owned());
        }
        end = close + 1;
        if code.get(end..).is_some_and(|r| r.starts_with('?')) {
            end += 1;
        }
    }
    (end, default)
}

/// The names bound to the collected arguments, with how many leading
/// items were skipped (`let args: Vec<String> = env::args().skip(1).collect();`).
fn collected(code: &str) -> Vec<(String, usize)> {
    let mut names = Vec::new();
    for line in code.split([';', '{', '}']) {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("let ") else {
            continue;
        };
        let Some((target, value)) = rest.split_once('=') else {
            continue;
        };
        let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
        let Some(after) = compact.split("args()").nth(1) else {
            continue;
        };
        if !compact.contains("env::args()") && !compact.starts_with("args()") {
            continue;
        }
        if !after.starts_with(".collect") && !after.starts_with(".skip(") {
            continue;
        }
        let skipped = after
            .strip_prefix(".skip(")
            .and_then(|r| r.split_once(')'))
            .and_then(|(n, _)| n.parse::<usize>().ok())
            .unwrap_or(0);
        if !after.contains(".collect") {
            continue;
        }
        let name = target
            .trim()
            .trim_start_matches("mut ")
            .split(':')
            .next()
            .unwrap_or_default()
            .trim();
        if !name.is_empty() && name.chars().all(is_ident) {
            names.push((name.to_owned(), skipped));
        }
    }
    names
}

/// `code` with `name[N]` and `name.get(N)` made the items' literals (not
/// the program's name, when `named_first`).
fn indexed(code: &str, name: &str, items: &[String], named_first: bool) -> String {
    let mut out = code.to_owned();
    for (index, item) in items.iter().enumerate() {
        if index == 0 && named_first {
            continue;
        }
        out = replace_whole(&out, &format!("{name}[{index}]"), &quoted(item));
        out = replace_whole(
            &out,
            &format!("{name}.get({index})"),
            &format!("Some({})", quoted(item)),
        );
    }
    out
}

/// `code` with each whole `pattern` outside literals made `value`.
fn replace_whole(code: &str, pattern: &str, value: &str) -> String {
    let found = literals(code);
    let mut out = String::with_capacity(code.len());
    let mut last = 0;
    for (at, _) in code.match_indices(pattern) {
        if at < last || in_literal(&found, at) || !starts_name(code, at) {
            continue;
        }
        out.push_str(code.get(last..at).unwrap_or_default());
        out.push_str(value);
        last = at + pattern.len();
    }
    out.push_str(code.get(last..).unwrap_or_default());
    out
}

/// `code` with each statement that finds an option in `name` and takes
/// the item after it (`name.iter().position(|a| a == "--x")` with `i + 1`)
/// made that word's `Some("...")`, or `None`.
fn option_after(code: &str, name: &str, words: &[String]) -> String {
    let mut out = code.to_owned();
    let pattern = format!("{name}.iter().position(|");
    let mut from = 0;
    while let Some(found) = out.get(from..).and_then(|r| r.find(name)) {
        let at = from + found;
        from = at + 1;
        let found_literals = literals(&out);
        if in_literal(&found_literals, at) || !starts_name(&out, at) {
            continue;
        }
        let end = statement_end(&out, &found_literals, at);
        let compact = compact(out.get(at..end).unwrap_or_default());
        if !compact.starts_with(&pattern) || !compact.contains("+1") {
            continue;
        }
        let Some(option) = closure_options(&found_literals, at, end).into_iter().next() else {
            continue;
        };
        let value = words
            .iter()
            .position(|w| *w == option)
            .and_then(|i| words.get(i + 1));
        let text = match value {
            Some(word) => format!("Some({})", quoted(word)),
            None => "None".to_owned(),
        };
        out.replace_range(at..end, &text);
        from = at + text.len();
    }
    out
}

/// `text` without whitespace.
fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `code` with `name.iter().any(|a| a == "--x" || ...)`,
/// `name.contains(&"--x"...)` made `true` when a word is one of those
/// options, else `false`.
fn presence(code: &str, name: &str, words: &[String]) -> String {
    let mut out = code.to_owned();
    let mut from = 0;
    while let Some(found) = out.get(from..).and_then(|r| r.find(name)) {
        let at = from + found;
        from = at + 1;
        let found_literals = literals(&out);
        if in_literal(&found_literals, at) || !starts_name(&out, at) {
            continue;
        }
        let end = statement_end(&out, &found_literals, at);
        let statement = compact(out.get(at..end).unwrap_or_default());
        let Some(call) = [".iter().any(", ".any(", ".contains("]
            .iter()
            .find(|call| statement.starts_with(&format!("{name}{call}")))
        else {
            continue;
        };
        let method = if call.ends_with("any(") {
            ".any("
        } else {
            ".contains("
        };
        let Some(open) = out
            .get(at..end)
            .and_then(|s| s.find(method))
            .map(|n| at + n + method.len() - 1)
        else {
            continue;
        };
        let Some(close) = matching_bracket(&out, &found_literals, open) else {
            continue;
        };
        let options = closure_options(&found_literals, open, close);
        let inner = out.get(open + 1..close).unwrap_or_default();
        let only_options = found_literals
            .iter()
            .filter(|l| l.start > open && l.end <= close)
            .all(|l| l.text.starts_with('-'));
        let compared = *call == ".contains(" || inner.contains("==");
        if options.is_empty() || !only_options || !compared {
            continue;
        }
        let given = words.iter().any(|w| options.contains(w));
        let start = if name == "args()" {
            chain_start(&out, at)
        } else {
            at
        };
        let text = given.to_string();
        out.replace_range(start..=close, &text);
        from = start + text.len();
    }
    out
}

/// The option literals (`"--x"`) between `from` and `to`.
fn closure_options(found: &[Literal], from: usize, to: usize) -> Vec<String> {
    found
        .iter()
        .filter(|l| l.start > from && l.end <= to && l.text.starts_with('-') && l.text.len() > 1)
        .map(|l| l.text.clone())
        .collect()
}

/// Where the statement that `at` is in ends (its `;` at depth 0, or the
/// code's end).
fn statement_end(code: &str, found: &[Literal], at: usize) -> usize {
    let bytes = code.as_bytes();
    let mut level = 0usize;
    let mut pos = at;
    while pos < code.len() {
        if let Some(literal) = found.iter().find(|l| l.start == pos) {
            pos = literal.end;
            continue;
        }
        match bytes.get(pos) {
            Some(b'(' | b'[' | b'{') => level += 1,
            Some(b')' | b']' | b'}') if level == 0 => return pos,
            Some(b')' | b']' | b'}') => level -= 1,
            Some(b';') if level == 0 => return pos,
            _ => {}
        }
        pos += 1;
    }
    code.len()
}

/// Conversions of a string literal that leave its text (`"x".to_string()`,
/// `String::from("x")`).
const CONVERSIONS: &[&str] = &[".to_string()", ".to_owned()", ".into()", ".as_str()"];

/// Rust `code` with what only converts or annotates made plain for the
/// reader: a literal's conversions (`"https://h/x".to_string()`,
/// `String::from("...")`) are the literal, a binding's type (`let body:
/// serde_json::Value = ...`) is dropped, `File::open(p)` is the read
/// `fs::read(p)`, and the strings the code builds from known values
/// (`format!("{home}/.ssh/id_ed25519")` after `let home =
/// env::var("HOME")?;`) are the literals they are
/// ([`super::compiled_values`]).
pub(super) fn plain(code: &str) -> String {
    let mut out = code.to_owned();
    let found = literals(&out);
    for literal in found.iter().rev() {
        let after = out.get(literal.end..).unwrap_or_default();
        if let Some(conversion) = CONVERSIONS.iter().find(|c| after.starts_with(*c)) {
            out.replace_range(literal.end..literal.end + conversion.len(), "");
        }
        let head = out.get(..literal.start).unwrap_or_default();
        if head.ends_with("String::from(")
            && out.get(literal.end..).is_some_and(|a| a.starts_with(')'))
        {
            out.replace_range(literal.end..=literal.end, "");
            out.replace_range(literal.start - "String::from(".len()..literal.start, "");
        }
    }
    let out = untyped_bindings(&out);
    let out = read_spellings(&out);
    super::compiled_values::plain(&out, super::compiled_values::Dialect::Rust).unwrap_or(out)
}

/// Rust's opens of a file to read it, and the spelling of a read the
/// literal reader knows (`fs::read`).
const READ_SPELLINGS: &[(&str, &str)] = &[
    ("std::fs::File::open(", "fs::read("),
    ("fs::File::open(", "fs::read("),
    ("File::open(", "fs::read("),
];

/// `code` with its opens of files to read ([`READ_SPELLINGS`]) spelled
/// as reads.
fn read_spellings(code: &str) -> String {
    let mut out = code.to_owned();
    for (from, to) in READ_SPELLINGS {
        out = replace_whole(&out, from, to);
    }
    out
}

/// `code` with `let NAME: TYPE =` made `let NAME =`.
fn untyped_bindings(code: &str) -> String {
    let found = literals(code);
    let mut out = String::with_capacity(code.len());
    let mut last = 0;
    for (at, _) in code.match_indices("let ") {
        if at < last || in_literal(&found, at) || !starts_name(code, at) {
            continue;
        }
        let rest = code.get(at + 4..).unwrap_or_default();
        let name_len = rest.strip_prefix("mut ").map_or(0, |_| 4)
            + rest
                .trim_start_matches("mut ")
                .chars()
                .take_while(|c| is_ident(*c))
                .count();
        let Some(typed) = rest.get(name_len..).and_then(|r| r.strip_prefix(':')) else {
            continue;
        };
        let Some(equals) = typed.find('=') else {
            continue;
        };
        let annotation = typed.get(..equals).unwrap_or_default();
        if annotation.contains([';', '{', '"', '\n'])
            || typed.get(equals..).is_some_and(|e| e.starts_with("=="))
        {
            continue;
        }
        let colon = at + 4 + name_len;
        out.push_str(code.get(last..colon).unwrap_or_default());
        out.push(' ');
        last = colon + 1 + equals;
    }
    out.push_str(code.get(last..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn nth_words_and_their_defaults() {
        let code = "let endpoint = env::args()\n    .nth(1)\n    .unwrap_or_else(|| \"https://a.example/r\".to_string());\nsend(&endpoint);";
        let out = bound(code, &words("https://b.example/x")).unwrap_or_default();
        assert!(out.contains("let endpoint = \"https://b.example/x\";"));
        let out = bound(code, &[]).unwrap_or_default();
        assert!(out.contains("let endpoint = \"https://a.example/r\".to_string();"));
        let code = "let path = std::env::args().nth(1).ok_or(\"usage\")?;";
        let out = bound(code, &words("f.txt")).unwrap_or_default();
        assert_eq!(out, "let path = \"f.txt\";");
    }

    #[test]
    fn options_found_in_the_collected_list() {
        let code = "let args: Vec<String> = env::args().collect();\nlet to = args\n    .iter()\n    .position(|a| a == \"--report-to\")\n    .and_then(|i| args.get(i + 1).cloned());\nlet apply = args.iter().any(|a| a == \"--apply\");\nlet first = &args[1];";
        let out = bound(code, &words("--report-to https://c.example/s")).unwrap_or_default();
        assert!(out.contains("let to = Some(\"https://c.example/s\");"));
        assert!(out.contains("let apply = false;"));
        assert!(out.contains("let first = &\"--report-to\";"));
        let out = bound(code, &words("--apply")).unwrap_or_default();
        assert!(out.contains("let to = None;") && out.contains("let apply = true;"));
    }

    #[test]
    fn conversions_and_annotations_are_plain() {
        assert_eq!(
            plain(
                "let body: serde_json::Value = get(&String::from(\"u\"));\nlet u = \"h\".to_string();"
            ),
            "let body = get(\"u\");\nlet u = \"h\";"
        );
        // An open of a file is its read.
        assert_eq!(
            plain("let f = std::fs::File::open(\"k.pem\")?;"),
            "let f = fs::read(\"k.pem\")?;"
        );
    }
}
