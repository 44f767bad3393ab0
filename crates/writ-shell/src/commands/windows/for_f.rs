//! cmd's `for /f` loops, read as the commands they run and the values
//! they bind.
//!
//! `for /f ["OPTS"] %v in (SET) do BODY` runs BODY once per line of what
//! a command printed (`('cmd')`, or `` (`cmd`) `` with `usebackq`), of a
//! file (`(f)`, or `("f")` with `usebackq`) or of a string (`("text")`).
//! The rewrite into shell text runs the command (or reads the file) into
//! `writ_for_v`, then BODY with `%v` read as `${writ_for_v}`.
//!
//! - `tokens=` splits each line into several variables, the letters
//!   after `%v` (`tokens=1,* delims==` with `%a`: the name in `%a`, the
//!   value in `%b`): each is read as holding what the line holds, so a
//!   body that sends `%b` sends the file's contents.
//! - A batch file's `for /f` on a line of its own, after other lines, is
//!   read so too: the lines before it are rewritten as they are, and it
//!   runs with the rest of the file as its body ([`rewrite`]).

use super::{Piece, Token, cmd_to_bash, cmd_to_bash_with, lex, push_word};

/// At most this many variables a `tokens=` option is read to fill.
const MAX_VARIABLES: usize = 26;

/// The shell text for a cmd text that starts with a `for /f` loop, or
/// that has one at the start of a line outside any block (the lines
/// before it rewritten with `delayed` as [`cmd_to_bash_with`] does).
pub(super) fn rewrite(text: &str, delayed: bool) -> Option<String> {
    if let Some(rewritten) = for_f_to_bash(text) {
        return Some(rewritten);
    }
    let lines: Vec<&str> = text.split('\n').collect();
    (1..lines.len()).find_map(|at| {
        let line = lines.get(at)?;
        if !starts_for_f(line) {
            return None;
        }
        let before = lines.get(..at)?.join("\n");
        if !closes_its_blocks(&before) {
            return None;
        }
        let rest = for_f_to_bash(&lines.get(at..)?.join("\n"))?;
        Some(format!("{}\n{rest}", cmd_to_bash_with(&before, delayed)))
    })
}

/// Whether a line starts with `for /f` (`@for /F`, `for //f` too).
fn starts_for_f(line: &str) -> bool {
    let mut words = line.trim_start().trim_start_matches('@').split_whitespace();
    let first = words.next().unwrap_or_default();
    let second = words.next().unwrap_or_default();
    first.eq_ignore_ascii_case("for") && super::switch(second).is_some_and(|(name, _)| name == "f")
}

/// Whether every block (`(`...`)`) the text opens it also closes.
fn closes_its_blocks(text: &str) -> bool {
    let tokens = lex(text, false);
    let opened = tokens.iter().filter(|t| **t == Token::Op("(")).count();
    let closed = tokens.iter().filter(|t| **t == Token::Op(")")).count();
    opened == closed
}

/// `for /f ["OPTS"] %v in (SET) do BODY`, the loop over a command's output
/// lines (`('cmd')`, or `` (`cmd`) `` with `usebackq`) or a file's (`(f)`,
/// or `("f")` with `usebackq`): the command runs, or the file is read,
/// and the body runs with `%v` standing for what that printed.
fn for_f_to_bash(line: &str) -> Option<String> {
    let trimmed = line.trim_start().trim_start_matches('@');
    let lower = trimmed.to_ascii_lowercase();
    let rest = lower.strip_prefix("for")?.trim_start();
    if !rest.starts_with("/f") {
        return None;
    }
    let at = trimmed.len() - rest.len() + 2;
    let after = trimmed.get(at..)?.trim_start();
    // The options string, then the loop variable.
    // The options: quoted, or their quotes lost to the shell that ran
    // `cmd /c` (`tokens=2 delims==`): the words before the variable.
    let (options, after) = match after.strip_prefix('"') {
        Some(quoted) => {
            let end = quoted.find('"')?;
            (quoted.get(..end)?, quoted.get(end + 1..)?.trim_start())
        }
        None => {
            let variable = after.find('%')?;
            (after.get(..variable)?, after.get(variable..)?)
        }
    };
    let variable: String = after
        .trim_start_matches('%')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    if variable.is_empty() {
        return None;
    }
    let after = after
        .trim_start_matches('%')
        .get(variable.len()..)?
        .trim_start();
    let set_and_body = after
        .get(..2)
        .filter(|w| w.eq_ignore_ascii_case("in"))
        .and_then(|_| after.get(2..))?
        .trim_start()
        .strip_prefix('(')?;
    // The set ends at the first `)` outside quotes.
    let mut quote: Option<char> = None;
    let close = set_and_body
        .char_indices()
        .find_map(|(i, c)| match (quote, c) {
            (None, '\'' | '"' | '`') => {
                quote = Some(c);
                None
            }
            (Some(q), _) if c == q => {
                quote = None;
                None
            }
            (None, ')') => Some(i),
            _ => None,
        })?;
    let set = set_and_body.get(..close)?.trim();
    let body = set_and_body.get(close + 1..)?.trim_start();
    let body = body
        .get(..2)
        .filter(|w| w.eq_ignore_ascii_case("do"))
        .and_then(|_| body.get(2..))?;
    let usebackq = options.to_ascii_lowercase().contains("usebackq");
    let unquoted = |q: char| {
        set.strip_prefix(q)
            .and_then(|s| s.strip_suffix(q))
            .map(str::to_owned)
    };
    let source = if usebackq {
        match unquoted('`') {
            Some(command) => cmd_to_bash(&command.replace("^", "")),
            None => format!(
                "cat {}",
                bash_quote(&unquoted('"').unwrap_or_else(|| set.to_owned()))
            ),
        }
    } else {
        match unquoted('\'') {
            Some(command) => cmd_to_bash(&command.replace("^", "")),
            None if set.starts_with('"') => {
                format!("printf '%s\\n' {}", bash_quote(set.trim_matches('"')))
            }
            None => format!("cat {}", bash_quote(set)),
        }
    };
    let names = loop_variables(&variable, options);
    let first = format!("writ_for_{variable}");
    let mut out = format!("{first}=\"$({source})\";");
    for name in names.iter().skip(1) {
        out.push_str(&format!(" writ_for_{name}=\"${{{first}}}\";"));
    }
    Some(format!(
        "{out} {}",
        cmd_to_bash(&bind_variables(body, &names))
    ))
}

/// The loop's variables: the one its header names, and with `tokens=`
/// one more per token it asks for, the letters after it (`tokens=1,*`
/// with `%a`: `%a` and `%b`, the rest of the line). Each is read as
/// holding what the whole line holds.
fn loop_variables(first: &str, options: &str) -> Vec<String> {
    let mut letters = first.chars();
    let (Some(letter), None) = (letters.next(), letters.next()) else {
        return vec![first.to_owned()];
    };
    let count = token_count(options).min(MAX_VARIABLES);
    (letter..)
        .take_while(char::is_ascii_alphabetic)
        .take(count)
        .map(String::from)
        .collect()
}

/// How many variables the `tokens=` option of `options` fills: one per
/// token number (`2-4` is three), one more for `*` (the rest of the
/// line); one without the option.
fn token_count(options: &str) -> usize {
    let lower = options.to_ascii_lowercase();
    let Some(spec) = lower
        .split_whitespace()
        .find_map(|word| word.strip_prefix("tokens="))
    else {
        return 1;
    };
    let mut count = 0usize;
    for item in spec.split(',') {
        let numbers = item.trim_end_matches('*');
        count += match numbers.split_once('-') {
            Some((low, high)) => match (low.parse::<usize>(), high.parse::<usize>()) {
                (Ok(low), Ok(high)) if high >= low => high - low + 1,
                _ => 1,
            },
            None if numbers.is_empty() => 0,
            None => 1,
        };
        if item.ends_with('*') {
            count += 1;
        }
    }
    count.max(1)
}

/// The loop's body with each reference to one of its variables (`%v`,
/// `%%v`, followed by no letter or digit) written as the variable cmd's
/// rewrite reads (`%writ_for_v%`).
fn bind_variables(body: &str, names: &[String]) -> String {
    let mut replaced = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            replaced.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
        }
        let referenced = names.iter().find(|name| {
            let mut lookahead = chars.clone();
            let matches = name.chars().all(|v| lookahead.next() == Some(v));
            matches && lookahead.peek().is_none_or(|c| !c.is_ascii_alphanumeric())
        });
        match referenced {
            Some(name) => {
                for _ in 0..name.chars().count() {
                    chars.next();
                }
                replaced.push_str(&format!("%writ_for_{name}%"));
            }
            None => replaced.push('%'),
        }
    }
    replaced
}

/// `text` as one single-quoted shell word, `\` read as `/`.
fn bash_quote(text: &str) -> String {
    let mut out = String::new();
    push_word(&mut out, &[Piece::Text(text.to_owned())]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_variables_tokens_fill() {
        assert_eq!(token_count("usebackq tokens=1,* delims=="), 2);
        assert_eq!(token_count("tokens=2-4,6*"), 5);
        assert_eq!(token_count("tokens=*"), 1);
        assert_eq!(token_count("delims="), 1);
        assert_eq!(loop_variables("a", "tokens=1,2,3"), vec!["a", "b", "c"]);
        assert_eq!(loop_variables("y", "tokens=1-5"), vec!["y", "z"]);
        assert_eq!(loop_variables("ab", "tokens=1,2"), vec!["ab"]);
    }

    #[test]
    fn reads_a_for_f_after_other_lines() {
        let text = "if x==y (\n echo a\n)\nfor /f %%u in ('hostname') do set H=%%u\necho %H%";
        let rewritten = rewrite(text, false).unwrap_or_default();
        assert!(
            rewritten.starts_with("( echo 'a' ; )\nwrit_for_u=\"$(hostname)\"; H="),
            "{rewritten}"
        );
        // Inside a block it is left to the line's rewrite.
        assert_eq!(rewrite("(\nfor /f %%u in (x) do y\n)", false), None);
    }
}
