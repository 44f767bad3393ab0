//! A Go program's own command line, written into its code: the options
//! its `flag` package (or `pflag`, or a `flag.NewFlagSet`) declares take
//! the values the words after `go run PKG` give them, or their defaults.
//!
//! - `apply := flag.Bool("apply", false, "...")` makes `*apply` `true`
//!   when `-apply` (`--apply`, `-apply=true`) is given, else its default;
//!   `flag.StringVar(&dsn, "dsn", os.Getenv("DSN"), "...")` makes `dsn`
//!   the given value, else the default's expression;
//! - the words after the options are `flag.Args()`: `flag.Arg(0)` is the
//!   first, and `for _, d := range flag.Args() { ... }` runs its body once
//!   per word; `os.Args[1]` is the first word after the package;
//! - literal concatenations (`"deployment/" + "api"`) are folded.
//!
//! Go's flag parsing stops at the first word that is not an option (or
//! `--`); a bool option takes a value only as `-name=value`. An option the
//! code does not declare leaves the whole line unread (Go would stop
//! there), as does code that declares none.

use super::braces::{
    MAX_CODE, call_args, ends_name, in_literal, is_ident, literal_text, quoted, replace_name,
    starts_name,
};
use crate::commands::inline::{literals, matching_bracket};

/// How many declarations are read.
const MAX_FLAGS: usize = 64;
/// How many words a `range flag.Args()` loop is unrolled for.
const MAX_UNROLLED: usize = 16;

/// The `flag` package's declaring functions, by what their value is.
const KINDS: &[(&str, Kind)] = &[
    ("String", Kind::Text),
    ("Bool", Kind::Bool),
    ("Int", Kind::Number),
    ("Int64", Kind::Number),
    ("Uint", Kind::Number),
    ("Uint64", Kind::Number),
    ("Float64", Kind::Number),
    ("Duration", Kind::Text),
];

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Text,
    Bool,
    Number,
}

/// One declared option.
#[derive(Debug)]
struct Flag {
    /// Its name on the command line (`dsn` for `-dsn`).
    name: String,
    /// pflag's one-letter shorthand.
    short: Option<String>,
    kind: Kind,
    /// How the code reads it: `*dsn` for `flag.String`, `dsn` for
    /// `flag.StringVar(&dsn, ...)`.
    reads: String,
    /// The default's expression as written.
    default: String,
}

/// `code` with its flags' values (or defaults) written in where read, and
/// its positional words where `flag.Args()`, `flag.Arg(N)` and
/// `os.Args[N]` read them; `None` when it reads no flag.
pub(super) fn bound(code: &str, words: &[String]) -> Option<String> {
    if code.len() > MAX_CODE || !(code.contains("flag.") || code.contains("os.Args")) {
        return None;
    }
    let flags = declared(code);
    let (values, rest) = if flags.is_empty() {
        (Vec::new(), words.to_vec())
    } else {
        parse(&flags, words)?
    };
    let mut out = code.to_owned();
    for (flag, value) in flags.iter().zip(values) {
        let text = match value {
            None => flag.default.clone(),
            Some(value) => match flag.kind {
                Kind::Bool => value,
                Kind::Number if value.parse::<f64>().is_ok() => value,
                _ => quoted(&value),
            },
        };
        out = match flag.reads.strip_prefix('*') {
            Some(name) => replace_deref(&out, name, &text),
            None => replace_name(&out, &flag.reads, &text, false),
        };
    }
    out = positional(&out, &rest, !flags.is_empty());
    Some(folded(&out))
}

/// The options `code` declares.
fn declared(code: &str) -> Vec<Flag> {
    let found = literals(code);
    let mut sets = vec!["flag".to_owned(), "pflag".to_owned()];
    for (at, _) in code.match_indices("NewFlagSet(") {
        let head = code.get(..at).unwrap_or_default();
        let Some(target) = head
            .trim_end_matches(|c: char| is_ident(c) || c == '.')
            .trim_end()
            .strip_suffix(":=")
            .or_else(|| head.trim_end().strip_suffix('='))
        else {
            continue;
        };
        let name: String = target
            .trim_end()
            .chars()
            .rev()
            .take_while(|c| is_ident(*c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if !name.is_empty() {
            sets.push(name);
        }
    }
    let mut flags = Vec::new();
    for (at, _) in code.match_indices('(') {
        if flags.len() >= MAX_FLAGS || in_literal(&found, at) {
            continue;
        }
        let head = code.get(..at).unwrap_or_default();
        let Some((set, function)) = head
            .rsplit(|c: char| !(is_ident(c) || c == '.'))
            .next()
            .and_then(|callee| callee.split_once('.'))
        else {
            continue;
        };
        if !sets.iter().any(|s| s == set) {
            continue;
        }
        let (base, var, shorthand) = match function.strip_suffix("VarP") {
            Some(base) => (base, true, true),
            None => match function.strip_suffix("Var") {
                Some(base) => (base, true, false),
                None => match function.strip_suffix('P') {
                    Some(base) if KINDS.iter().any(|(k, _)| *k == base) => (base, false, true),
                    _ => (function, false, false),
                },
            },
        };
        let Some((_, kind)) = KINDS.iter().find(|(k, _)| *k == base) else {
            continue;
        };
        let Some((pieces, _)) = call_args(code, &found, at) else {
            continue;
        };
        let piece = |i: usize| {
            pieces
                .get(i)
                .and_then(|(s, e)| code.get(*s..*e))
                .map(str::to_owned)
        };
        let first = usize::from(var);
        let Some(name) = pieces
            .get(first)
            .and_then(|span| literal_text(&found, *span))
        else {
            continue;
        };
        let short = shorthand
            .then(|| pieces.get(first + 1))
            .flatten()
            .and_then(|span| literal_text(&found, *span));
        let Some(default) = piece(first + 1 + usize::from(shorthand)) else {
            continue;
        };
        let reads = if var {
            match piece(0).and_then(|t| t.strip_prefix('&').map(str::to_owned)) {
                Some(target) => target,
                None => continue,
            }
        } else {
            match assigned_name(head.get(..head.len() - set.len() - function.len() - 1)) {
                Some(name) => format!("*{name}"),
                None => continue,
            }
        };
        flags.push(Flag {
            name,
            short,
            kind: *kind,
            reads,
            default,
        });
    }
    flags
}

/// The name `NAME := ` or `NAME = ` assigns, from the text before the
/// value.
fn assigned_name(head: Option<&str>) -> Option<String> {
    let head = head?.trim_end();
    let head = head
        .strip_suffix(":=")
        .or_else(|| head.strip_suffix('='))?
        .trim_end();
    let name: String = head
        .chars()
        .rev()
        .take_while(|c| is_ident(*c))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (!name.is_empty()).then_some(name)
}

/// Each flag's value from `words`, as Go's `flag` package reads them, and
/// the words after the options; `None` when a word is an option the code
/// does not declare.
type Parsed = (Vec<Option<String>>, Vec<String>);

fn parse(flags: &[Flag], words: &[String]) -> Option<Parsed> {
    let mut values: Vec<Option<String>> = vec![None; flags.len()];
    let mut at = 0;
    while let Some(word) = words.get(at) {
        if word == "--" {
            at += 1;
            break;
        }
        if !word.starts_with('-') || word == "-" {
            break;
        }
        let bare = word.strip_prefix("--").unwrap_or(&word[1..]);
        let (name, inline) = match bare.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (bare, None),
        };
        let index = flags
            .iter()
            .position(|f| f.name == name || f.short.as_deref() == Some(name))?;
        let flag = flags.get(index)?;
        let value = match (flag.kind, inline) {
            (Kind::Bool, Some(value)) => Some(go_bool(&value)?.to_string()),
            (Kind::Bool, None) => Some("true".to_owned()),
            (_, Some(value)) => Some(value),
            (_, None) => {
                at += 1;
                Some(words.get(at)?.clone())
            }
        };
        if let Some(slot) = values.get_mut(index) {
            *slot = value;
        }
        at += 1;
    }
    Some((values, words.get(at..).unwrap_or_default().to_vec()))
}

/// A bool as `strconv.ParseBool` reads it.
fn go_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// `code` with each `*name` outside literals made `value`.
fn replace_deref(code: &str, name: &str, value: &str) -> String {
    let found = literals(code);
    let pattern = format!("*{name}");
    let mut out = String::with_capacity(code.len());
    let mut last = 0;
    for (at, _) in code.match_indices(&pattern) {
        let before = code
            .get(..at)
            .and_then(|b| b.chars().next_back())
            .unwrap_or(' ');
        if at < last
            || in_literal(&found, at)
            || is_ident(before)
            || matches!(before, ')' | ']')
            || !ends_name(code, at + pattern.len())
        {
            continue;
        }
        out.push_str(code.get(last..at).unwrap_or_default());
        out.push_str(value);
        last = at + pattern.len();
    }
    out.push_str(code.get(last..).unwrap_or_default());
    out
}

/// `code` with the positional words written in: `flag.Arg(N)`,
/// `flag.NArg()`, loops over `flag.Args()`, and (without flags)
/// `os.Args[N]`.
fn positional(code: &str, rest: &[String], has_flags: bool) -> String {
    let mut out = unrolled(code, "flag.Args()", rest);
    for (index, word) in rest.iter().enumerate().take(MAX_UNROLLED) {
        out = out.replace(&format!("flag.Arg({index})"), &quoted(word));
        if !has_flags {
            out = out.replace(&format!("os.Args[{}]", index + 1), &quoted(word));
        }
    }
    if !has_flags {
        out = unrolled(&out, "os.Args[1:]", rest);
    }
    out.replace("flag.NArg()", &rest.len().to_string())
}

/// `code` with each `for _, NAME := range LIST {BODY}` over `list` (the
/// words `LIST` holds) made one `{BODY}` per word, `NAME` its literal.
fn unrolled(code: &str, list: &str, words: &[String]) -> String {
    if words.len() > MAX_UNROLLED {
        return code.to_owned();
    }
    let mut out = code.to_owned();
    let header = format!("range {list}");
    while let Some(found_at) = out.find(&header) {
        let found = literals(&out);
        let head = out.get(..found_at).unwrap_or_default();
        let Some(for_at) = head.rfind("for ") else {
            break;
        };
        let binding = head.get(for_at + 4..).unwrap_or_default();
        let name = binding
            .split_once(":=")
            .map(|(names, _)| names.rsplit(',').next().unwrap_or_default().trim())
            .filter(|n| !n.is_empty() && *n != "_" && n.chars().all(is_ident));
        let after = found_at + header.len();
        let open = out
            .get(after..)
            .filter(|rest| rest.trim_start().starts_with('{'))
            .and_then(|rest| rest.find('{'))
            .map(|n| after + n);
        let (Some(name), Some(open)) = (name, open) else {
            break;
        };
        if in_literal(&found, found_at) || !starts_name(&out, for_at) {
            break;
        }
        let Some(close) = matching_bracket(&out, &found, open) else {
            break;
        };
        let body = out.get(open + 1..close).unwrap_or_default();
        let copies: String = words
            .iter()
            .map(|word| format!("{{{}}}\n", replace_name(body, name, &quoted(word), true)))
            .collect();
        out = format!(
            "{}{}{}",
            out.get(..for_at).unwrap_or_default(),
            copies,
            out.get(close + 1..).unwrap_or_default()
        );
    }
    out
}

/// `code` with `"a" + "b"` made `"ab"`.
pub(super) fn folded(code: &str) -> String {
    let mut out = code.to_owned();
    loop {
        let found = literals(&out);
        let joined = found.windows(2).find_map(|pair| {
            let [left, right] = pair else { return None };
            let between = out.get(left.end..right.start)?;
            let plain = |l: &crate::commands::inline::Literal| {
                !l.backtick && out.get(l.start..=l.start) == Some("\"")
            };
            (between.trim() == "+" && plain(left) && plain(right)).then(|| {
                (
                    left.start,
                    right.end,
                    format!("{}{}", left.text, right.text),
                )
            })
        });
        let Some((start, end, text)) = joined else {
            return out;
        };
        out.replace_range(start..end, &quoted(&text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn flags_take_the_given_values_or_their_defaults() {
        let code = "dsn := flag.String(\"dsn\", \"\", \"u\")\napply := flag.Bool(\"apply\", false, \"u\")\nflag.Parse()\nopen(*dsn)\nif !*apply {\n\treturn\n}\n";
        let out = bound(code, &words("-dsn postgres://h/db -apply")).unwrap_or_default();
        assert!(out.contains("open(\"postgres://h/db\")"));
        assert!(out.contains("if !true {"));
        let out = bound(code, &words("--dsn=x")).unwrap_or_default();
        assert!(out.contains("open(\"x\")") && out.contains("if !false {"));
        // An option the code does not declare: Go stops there.
        assert_eq!(bound(code, &words("-other 1")), None);
    }

    #[test]
    fn var_forms_bools_with_values_and_positional_words() {
        let code = "var dry bool\nflag.BoolVar(&dry, \"dry-run\", true, \"u\")\nflag.Parse()\nif dry {\n}\nfor _, d := range flag.Args() {\n\trun(\"deployment/\" + d)\n}\n";
        let out = bound(code, &words("-dry-run=false api web")).unwrap_or_default();
        assert!(out.contains("if false {"));
        assert!(out.contains("run(\"deployment/api\")") && out.contains("run(\"deployment/web\")"));
    }
}
