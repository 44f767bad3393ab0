//! A Node.js script's reads of the word after an option, found by looking
//! the option up in its command line: `process.argv[process.argv.indexOf(
//! '--month') + 1]`, or the same through a slice of it (`const args =
//! process.argv.slice(2)`, Deno's `Deno.args` read as one) whatever the
//! slice, since the word after is the same. Each such read is the word
//! that follows the option on the command line, for [`super::js_args`] to
//! write in; an option the command line does not give (or gives last)
//! leaves its read as written.

use super::Literal;
use super::js_args::Value;
use super::storage::{in_literal, literal_at, token_starts};

/// How many reads are taken.
const MAX_READS: usize = 32;

/// The reads of the word after an option in `code`, as written, each with
/// the word `words` (the script's arguments) give.
pub(super) fn reads(code: &str, literals: &[Literal], words: &[String]) -> Vec<(String, Value)> {
    let mut found: Vec<(String, Value)> = Vec::new();
    for holder in holders(code, literals) {
        for (at, _) in code.match_indices(&format!("{holder}[")) {
            if found.len() >= MAX_READS {
                return found;
            }
            if in_literal(literals, at) || !token_starts(code, at) {
                continue;
            }
            let Some((end, option)) = word_after(code, literals, &holder, at + holder.len() + 1)
            else {
                continue;
            };
            let value = words
                .iter()
                .position(|w| *w == option)
                .and_then(|i| words.get(i + 1));
            if let (Some(value), Some(text)) = (value, code.get(at..end))
                && !found.iter().any(|(t, _)| t == text)
            {
                found.push((text.to_owned(), Value::Text(value.clone())));
            }
        }
    }
    found
}

/// The arrays that hold the command line's words: `process.argv`, its
/// slices, and the names declared as either (`const args =
/// process.argv.slice(2)`).
fn holders(code: &str, literals: &[Literal]) -> Vec<String> {
    let mut holders = vec!["process.argv".to_owned()];
    for (at, found) in code.match_indices("process.argv.slice(") {
        if in_literal(literals, at) {
            continue;
        }
        let rest = code.get(at + found.len()..).unwrap_or_default();
        let Some(close) = rest.find(')') else {
            continue;
        };
        let inner = rest.get(..close).unwrap_or_default();
        if !inner.trim().chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let slice = code
            .get(at..at + found.len() + close + 1)
            .unwrap_or_default();
        if !holders.iter().any(|h| h == slice) {
            holders.push(slice.to_owned());
        }
        if let Some(name) = super::js_cli::assigned_name(code, at) {
            let after = code.get(at + found.len() + close + 1..).unwrap_or_default();
            let ends = after.trim_start().is_empty() || after.trim_start().starts_with([';', '\n']);
            if ends && !holders.contains(&name) {
                holders.push(name);
            }
        }
    }
    holders
}

/// After `HOLDER[` at `pos`: `HOLDER.indexOf('OPTION') + 1]`, as where it
/// ends and the option.
fn word_after(
    code: &str,
    literals: &[Literal],
    holder: &str,
    pos: usize,
) -> Option<(usize, String)> {
    let pos = skip_space(code, pos);
    let lookup = format!("{holder}.indexOf(");
    if !code.get(pos..)?.starts_with(&lookup) {
        return None;
    }
    let (_, literal) = literal_at(literals, skip_space(code, pos + lookup.len()))?;
    if literal.backtick && literal.text.contains("${") {
        return None;
    }
    let mut at = literal.end;
    for part in [")", "+", "1", "]"] {
        at = skip_space(code, at);
        if !code.get(at..)?.starts_with(part) {
            return None;
        }
        at += part.len();
    }
    Some((at, literal.text.clone()))
}

/// Past the spaces and line breaks from `pos`.
fn skip_space(code: &str, pos: usize) -> usize {
    let rest = code.get(pos..).unwrap_or_default();
    pos + (rest.len() - rest.trim_start().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(code: &str, words: &[&str]) -> Vec<(String, Value)> {
        let words: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
        reads(code, &super::super::literals(code), &words)
    }

    #[test]
    fn the_word_after_an_option_is_read() {
        let code = "const m = process.argv[process.argv.indexOf('--month') + 1];";
        assert_eq!(
            read(code, &["--month", "2026-10"]),
            vec![(
                "process.argv[process.argv.indexOf('--month') + 1]".to_owned(),
                Value::Text("2026-10".to_owned())
            )]
        );
        assert!(read(code, &["--month"]).is_empty());
        let code = "const args = process.argv.slice(2);\nconst e = args[args.indexOf(\"-e\")+1];";
        assert_eq!(
            read(code, &["-e", "prod"]),
            vec![(
                "args[args.indexOf(\"-e\")+1]".to_owned(),
                Value::Text("prod".to_owned())
            )]
        );
    }
}
