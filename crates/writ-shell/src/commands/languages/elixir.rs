//! Elixir's own syntax for what a script is given, made plain:
//!
//! - its command line: `{opts, _, _} = OptionParser.parse(System.argv(),
//!   strict: [endpoint: :string, dry_run: :boolean], aliases: [e:
//!   :endpoint])` (or `parse!`, or `System.argv() |> OptionParser.parse(
//!   ...)`) binds `opts`; its reads (`Keyword.fetch!(opts, :endpoint)`,
//!   `Keyword.get(opts, :since, DEFAULT)`, `opts[:endpoint]`, and their
//!   piped forms `opts |> Keyword.get(:since, DEFAULT)`) are written as
//!   the values the words give (`--endpoint URL`, `--endpoint=URL`, `-e
//!   URL`, `--dry-run`, `--no-dry-run`), else the default given (else
//!   `nil`);
//! - the word-list sigils `~w(a b c)` (any delimiter, `~W` too) as the
//!   lists of strings they are (`["a", "b", "c"]`), so `System.cmd("git",
//!   ~w(push origin main))` reads as the command it runs.
//!
//! Only certain values are written in: a word that looks like an option
//! the parser was not told of, a `:count` or `:keep` option, or a parser
//! fed anything but `System.argv()` binds nothing.

use super::super::inline::{literals, matching_bracket};
use super::super::top_level;

/// How many options are read.
const MAX_OPTIONS: usize = 64;

/// How an option's value is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Flag,
}

/// What the command line gives an option.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Given {
    Text(String),
    Flag(bool),
    Absent,
}

/// `code` with its `OptionParser` reads written as the values `words`
/// give; `None` when nothing changes.
pub(super) fn bound(code: &str, words: &[String]) -> Option<String> {
    let Parser {
        holder,
        options,
        aliases,
    } = parser(code)?;
    let given = given(&options, &aliases, words)?;
    let mut replacements: Vec<(usize, usize, String)> = Vec::new();
    let found = literals(code);
    let in_literal = |at: usize| found.iter().any(|l| l.start <= at && at < l.end);
    for call in ["Keyword.get(", "Keyword.fetch!(", "Keyword.get_lazy("] {
        for (at, _) in code.match_indices(call) {
            if in_literal(at) {
                continue;
            }
            let open = at + call.len() - 1;
            let Some(close) = matching_bracket(code, &found, open) else {
                continue;
            };
            let arguments = split_top(code.get(open + 1..close).unwrap_or_default());
            // Piped: `opts |> Keyword.get(:k, d)`.
            let before = code.get(..at).unwrap_or_default().trim_end();
            let piped = before
                .strip_suffix("|>")
                .map(str::trim_end)
                .filter(|b| ends_with_name(b, &holder));
            let (start, key, default) = match piped {
                Some(rest) => (
                    rest.len() - holder.len(),
                    arguments.first(),
                    arguments.get(1),
                ),
                None if arguments.first().map(|a| a.trim()) == Some(holder.as_str()) => {
                    (at, arguments.get(1), arguments.get(2))
                }
                None => continue,
            };
            let Some(name) = key.and_then(|k| k.trim().strip_prefix(':')) else {
                continue;
            };
            let Some((_, value)) = given.iter().find(|(n, _)| n == name) else {
                continue;
            };
            let text = match (value, default, call) {
                (Given::Absent, Some(default), "Keyword.get(") => default.trim().to_owned(),
                (Given::Absent, None, "Keyword.get(") => "nil".to_owned(),
                (Given::Absent, _, _) => continue,
                (value, _, _) => rendered(value),
            };
            replacements.push((start, close + 1, text));
        }
    }
    let index = format!("{holder}[:");
    for (at, _) in code.match_indices(&index) {
        if in_literal(at) || !starts_name(code, at) {
            continue;
        }
        let rest = code.get(at + index.len()..).unwrap_or_default();
        let Some((name, _)) = rest.split_once(']') else {
            continue;
        };
        if let Some((_, value)) = given.iter().find(|(n, _)| n == name) {
            let end = at + index.len() + name.len() + 1;
            let text = match value {
                Given::Absent => "nil".to_owned(),
                value => rendered(value),
            };
            replacements.push((at, end, text));
        }
    }
    replaced(code, replacements)
}

/// An `OptionParser` call: the name its options are bound to, its
/// options and its aliases (`("e", "endpoint")`).
struct Parser {
    holder: String,
    options: Vec<(String, Kind)>,
    aliases: Vec<(String, String)>,
}

/// The script's `OptionParser` call, when it parses `System.argv()`.
fn parser(code: &str) -> Option<Parser> {
    let found = literals(code);
    let (at, call) = code
        .match_indices("OptionParser.parse!(")
        .chain(code.match_indices("OptionParser.parse("))
        .find(|(at, _)| !found.iter().any(|l| l.start <= *at && *at < l.end))?;
    let open = at + call.len() - 1;
    let close = matching_bracket(code, &found, open)?;
    let arguments = split_top(code.get(open + 1..close)?);
    let before = code.get(..at)?.trim_end();
    let (head, settings) = match before.strip_suffix("|>") {
        Some(head) => {
            let head = head.trim_end();
            let head = strip_argv(head)?;
            (head, arguments.first()?.to_string())
        }
        None => {
            let source = arguments.first()?.trim();
            if !matches!(source, "System.argv()" | "System.argv") {
                return None;
            }
            (before, arguments.get(1..)?.join(","))
        }
    };
    let head = head.trim_end().strip_suffix('=')?.trim_end();
    let pattern = head.get(head.rfind('{')?..)?;
    let holder = pattern
        .trim_start_matches('{')
        .split(',')
        .next()?
        .trim()
        .to_owned();
    if holder.is_empty() || !holder.chars().all(is_name) || holder.starts_with('_') {
        return None;
    }
    let options = keyword_list(&settings, "strict:")
        .or_else(|| keyword_list(&settings, "switches:"))?
        .into_iter()
        .map(|(name, kind)| match kind.as_str() {
            ":string" | ":integer" | ":float" => Some((name, Kind::Text)),
            ":boolean" => Some((name, Kind::Flag)),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    let aliases = keyword_list(&settings, "aliases:")
        .unwrap_or_default()
        .into_iter()
        .map(|(letter, name)| Some((letter, name.strip_prefix(':')?.to_owned())))
        .collect::<Option<Vec<_>>>()?;
    (!options.is_empty() && options.len() <= MAX_OPTIONS).then_some(Parser {
        holder,
        options,
        aliases,
    })
}

/// `head` without the `System.argv()` piped from it.
fn strip_argv(head: &str) -> Option<&str> {
    head.strip_suffix("System.argv()")
        .or_else(|| head.strip_suffix("System.argv"))
}

/// The `key: value` pairs of the keyword list that follows `key` in
/// `settings` (`strict: [a: :string, b: :boolean]`).
fn keyword_list(settings: &str, key: &str) -> Option<Vec<(String, String)>> {
    let at = settings
        .match_indices(key)
        .find(|(at, _)| starts_name(settings, *at))?
        .0;
    let rest = settings.get(at + key.len()..)?.trim_start();
    let inner = rest.strip_prefix('[')?;
    let inner = inner.get(..inner.find(']')?)?;
    let mut pairs = Vec::new();
    for entry in inner.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let (name, value) = entry.split_once(':')?;
        let name = name.trim();
        if name.is_empty() || !name.chars().all(is_name) {
            return None;
        }
        pairs.push((name.to_owned(), value.trim().to_owned()));
    }
    Some(pairs)
}

/// What `words` give each option; `None` when a word may be an option not
/// read.
fn given(
    options: &[(String, Kind)],
    aliases: &[(String, String)],
    words: &[String],
) -> Option<Vec<(String, Given)>> {
    let mut values: Vec<(String, Given)> = options
        .iter()
        .map(|(name, _)| (name.clone(), Given::Absent))
        .collect();
    let mut iter = words.iter();
    while let Some(word) = iter.next() {
        if word == "--" {
            break;
        }
        let (spelling, inline) = match word.split_once('=') {
            Some((s, v)) if word.starts_with("--") => (s, Some(v.to_owned())),
            _ => (word.as_str(), None),
        };
        let name = if let Some(long) = spelling.strip_prefix("--") {
            long.replace('-', "_")
        } else if let Some(letter) = spelling.strip_prefix('-').filter(|l| !l.is_empty()) {
            aliases
                .iter()
                .find(|(a, _)| a == letter)
                .map(|(_, name)| name.clone())?
        } else {
            continue;
        };
        let (name, negated) = match name.strip_prefix("no_") {
            Some(flag) if options.iter().any(|(n, k)| n == flag && *k == Kind::Flag) => {
                (flag.to_owned(), true)
            }
            _ => (name, false),
        };
        let (_, kind) = options.iter().find(|(n, _)| *n == name)?;
        let value = match kind {
            Kind::Flag if inline.is_none() => Given::Flag(!negated),
            Kind::Flag => return None,
            Kind::Text => Given::Text(match inline {
                Some(value) => value,
                None => iter.next()?.clone(),
            }),
        };
        if let Some(slot) = values.iter_mut().find(|(n, _)| *n == name) {
            slot.1 = value;
        }
    }
    Some(values)
}

/// A value as Elixir code.
fn rendered(value: &Given) -> String {
    match value {
        Given::Text(text) => format!(
            "\"{}\"",
            text.replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace("#{", "\\#{")
        ),
        Given::Flag(flag) => flag.to_string(),
        Given::Absent => "nil".to_owned(),
    }
}

/// `code` with the word-list sigils written as lists of strings.
pub(super) fn word_lists(code: &str) -> Option<String> {
    let found = literals(code);
    let mut replacements = Vec::new();
    for (at, _) in code.match_indices('~') {
        let sigil = code.get(at + 1..at + 2);
        if !matches!(sigil, Some("w" | "W"))
            || found.iter().any(|l| l.start < at && at < l.end)
            || code
                .get(..at)
                .and_then(|b| b.chars().next_back())
                .is_some_and(is_name)
        {
            continue;
        }
        let open_at = at + 2;
        let Some(open) = code.get(open_at..).and_then(|r| r.chars().next()) else {
            continue;
        };
        let close = match open {
            '(' => ')',
            '[' => ']',
            '{' => '}',
            '<' => '>',
            '"' | '\'' | '|' | '/' => open,
            _ => continue,
        };
        let body_at = open_at + open.len_utf8();
        let Some(length) = code.get(body_at..).and_then(|r| r.find(close)) else {
            continue;
        };
        let body = code.get(body_at..body_at + length).unwrap_or_default();
        if body.contains(['\\', '#']) && sigil == Some("w") {
            continue;
        }
        let mut end = body_at + length + close.len_utf8();
        // Modifiers: `a` atoms, `c` charlists, `s` strings.
        while code
            .get(end..)
            .and_then(|r| r.chars().next())
            .is_some_and(|c| matches!(c, 'a' | 'c' | 's'))
        {
            end += 1;
        }
        let list: Vec<String> = body
            .split_whitespace()
            .map(|word| format!("\"{}\"", word.replace('\\', "\\\\").replace('"', "\\\"")))
            .collect();
        replacements.push((at, end, format!("[{}]", list.join(", "))));
    }
    replaced(code, replacements)
}

/// `code` with each `(start, end, text)` written in; `None` for none.
fn replaced(code: &str, mut replacements: Vec<(usize, usize, String)>) -> Option<String> {
    if replacements.is_empty() {
        return None;
    }
    replacements.sort_by_key(|(at, _, _)| *at);
    let mut out = String::with_capacity(code.len());
    let mut copied = 0;
    for (at, end, text) in replacements {
        if at < copied {
            continue;
        }
        out.push_str(code.get(copied..at)?);
        out.push_str(&text);
        copied = end;
    }
    out.push_str(code.get(copied..)?);
    Some(out)
}

/// `text` split at its top-level commas (outside brackets and strings),
/// a blank last piece dropped.
fn split_top(text: &str) -> Vec<&str> {
    let mut parts = top_level::split_with(text, ",", top_level::quoted_end);
    if parts.last().is_some_and(|last| last.trim().is_empty()) {
        parts.pop();
    }
    parts
}

/// Characters of an Elixir name.
fn is_name(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// True when `text` ends with the whole name `name`.
fn ends_with_name(text: &str, name: &str) -> bool {
    text.strip_suffix(name).is_some_and(|head| {
        !head
            .chars()
            .next_back()
            .is_some_and(|c| is_name(c) || c == '.')
    })
}

/// True when a name may start at `at`: not inside one, not after a `.`.
fn starts_name(code: &str, at: usize) -> bool {
    code.get(..at)
        .and_then(|b| b.chars().next_back())
        .is_none_or(|c| !is_name(c) && c != '.')
}

#[cfg(test)]
mod tests {
    use super::{bound, word_lists};

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn option_parser_reads_take_their_values() {
        let code = "{opts, _, _} = OptionParser.parse(System.argv(), strict: [endpoint: :string, since: :string, dry_run: :boolean], aliases: [e: :endpoint])\nendpoint = Keyword.fetch!(opts, :endpoint)\nsince = opts |> Keyword.get(:since, today()) |> parse()\nif opts[:dry_run], do: :ok\n";
        let out = bound(code, &words(&["-e", "https://h/x", "--dry-run"])).unwrap_or_default();
        assert!(out.contains("endpoint = \"https://h/x\""), "{out}");
        assert!(out.contains("since = today() |> parse()"), "{out}");
        assert!(out.contains("if true, do"), "{out}");
        // An option the parser was not told of: nothing bound.
        assert_eq!(bound(code, &words(&["--other", "x"])), None);
    }

    #[test]
    fn word_list_sigils_are_lists() {
        assert_eq!(
            word_lists("System.cmd(\"kubectl\", ~w(scale  deploy/x --replicas=6), into: s)")
                .as_deref(),
            Some("System.cmd(\"kubectl\", [\"scale\", \"deploy/x\", \"--replicas=6\"], into: s)")
        );
        assert_eq!(word_lists("x = \"a ~w(b)\""), None);
    }
}
