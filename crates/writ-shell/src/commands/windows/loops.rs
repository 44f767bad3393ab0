//! cmd's `for` loops over a set, read as the shell loops they are.
//!
//! `for [/d] [/r [DIR]] [/l] %v in (SET) do BODY` runs BODY once per value
//! of SET, with `%v` (`%%v` in a batch file, `%~nxv` and the like for parts
//! of it) standing for that value. The rewrite into shell text makes it
//! `for writ_for_v in VALUES; do BODY; done` with every `%v` of BODY read
//! as `${writ_for_v}`, so the commands of the body see the real values
//! (`kubectl --context %c` for each context listed).
//!
//! - SET's items are separated by blanks, `,`, `;` or `=`.
//! - `/l` counts: `(START,STEP,END)` are the numbers from START to END.
//! - `/r [DIR]` walks DIR (the working directory without one) and every
//!   directory below it: `%v` is `DIR\ITEM` and `DIR\...\ITEM`, read as
//!   `DIR/ITEM` and `DIR/**/ITEM`, paths within DIR.
//!
//! `for /f`, whose values are what a command printed or a file holds, is
//! [`super::for_f`]'s.

use super::{Piece, Token};

/// At most this many values of a `/l` count are read.
const MAX_COUNT: usize = 16;

/// The header of a cmd `for` loop over a set: its variable's letter, the
/// values the body runs with, and where the body starts.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct LoopHeader {
    pub(super) variable: char,
    pub(super) values: Vec<Vec<Piece>>,
    /// The token just past `do`.
    pub(super) body: usize,
}

impl LoopHeader {
    /// The shell variable that stands for the loop's variable.
    pub(super) fn shell_name(&self) -> String {
        shell_name(self.variable)
    }
}

fn shell_name(variable: char) -> String {
    format!("writ_for_{variable}")
}

/// The loop header whose words start at `at`, just past `for`: `[/d]
/// [/r [DIR]] [/l] %v in ( SET ) do`. `None` for `for /f` and for what is
/// no loop header.
pub(super) fn header(tokens: &[Token], at: usize) -> Option<LoopHeader> {
    let mut at = at;
    let (mut walk, mut count) = (false, false);
    let mut root: Option<Vec<Piece>> = None;
    let variable = loop {
        let Some(token @ Token::Word(pieces)) = tokens.get(at) else {
            return None;
        };
        at += 1;
        let text = token.text();
        if let Some(variable) = loop_variable(&text) {
            break variable;
        }
        match super::switch(&text).map(|(name, _)| name).as_deref() {
            Some("d") => {}
            Some("r") => walk = true,
            Some("l") => count = true,
            // `/r`'s root directory, when given.
            None if walk && root.is_none() => root = Some(pieces.clone()),
            _ => return None,
        }
    };
    let word_is = |at: usize, word: &str| {
        tokens
            .get(at)
            .is_some_and(|t| matches!(t, Token::Word(_)) && t.text().eq_ignore_ascii_case(word))
    };
    if !word_is(at, "in") || tokens.get(at + 1) != Some(&Token::Op("(")) {
        return None;
    }
    at += 2;
    let mut items: Vec<Vec<Piece>> = Vec::new();
    loop {
        match tokens.get(at)? {
            Token::Word(pieces) => items.extend(split_items(pieces)),
            Token::Op(")") => break,
            _ => return None,
        }
        at += 1;
    }
    if !word_is(at + 1, "do") {
        return None;
    }
    let values = if count {
        counted(&items).unwrap_or(items)
    } else if walk {
        walked(root, &items)
    } else {
        items
    };
    Some(LoopHeader {
        variable,
        values,
        body: at + 2,
    })
}

/// A loop variable as written in a header, `%v` (`%%v` reads as `%v`):
/// its letter.
fn loop_variable(text: &str) -> Option<char> {
    let mut chars = text.strip_prefix('%')?.chars();
    let letter = chars.next().filter(char::is_ascii_alphabetic)?;
    chars.next().is_none().then_some(letter)
}

/// A set's word as its items: split at blanks' stand-ins `,`, `;`, `=`.
fn split_items(pieces: &[Piece]) -> Vec<Vec<Piece>> {
    let mut items: Vec<Vec<Piece>> = Vec::new();
    let mut current: Vec<Piece> = Vec::new();
    for piece in pieces {
        let Piece::Text(text) = piece else {
            current.push(piece.clone());
            continue;
        };
        let mut parts = text.split([',', ';', '=']).peekable();
        while let Some(part) = parts.next() {
            if !part.is_empty() {
                current.push(Piece::Text(part.to_owned()));
            }
            if parts.peek().is_some() && !current.is_empty() {
                items.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.is_empty() {
        items.push(current);
    }
    items
}

/// `/l`'s `(START,STEP,END)` as the numbers counted (the first
/// [`MAX_COUNT`]); `None` when the set is not three numbers.
fn counted(items: &[Vec<Piece>]) -> Option<Vec<Vec<Piece>>> {
    let numbers: Vec<i64> = items
        .iter()
        .map(|item| match item.as_slice() {
            [Piece::Text(text)] => text.trim().parse::<i64>().ok(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let [start, step, end] = numbers.as_slice() else {
        return None;
    };
    let mut values = Vec::new();
    let mut value = *start;
    while values.len() < MAX_COUNT
        && ((*step >= 0 && value <= *end) || (*step < 0 && value >= *end))
    {
        values.push(vec![Piece::Text(value.to_string())]);
        let Some(next) = value.checked_add(*step).filter(|_| *step != 0) else {
            break;
        };
        value = next;
    }
    Some(values)
}

/// `/r`'s values: each item in the root directory and below it.
fn walked(root: Option<Vec<Piece>>, items: &[Vec<Piece>]) -> Vec<Vec<Piece>> {
    let mut root = root.unwrap_or_else(|| vec![Piece::Text(".".to_owned())]);
    if let Some(Piece::Text(last)) = root.last_mut() {
        let trimmed = last.trim_end_matches(['\\', '/']);
        // `C:\` and `\` keep their root.
        if !trimmed.is_empty() && !trimmed.ends_with(':') {
            *last = trimmed.to_owned();
        }
    }
    let under = |between: &str, item: &[Piece]| {
        let mut value = root.clone();
        value.push(Piece::Text(between.to_owned()));
        value.extend(item.iter().cloned());
        value
    };
    items
        .iter()
        .flat_map(|item| [under("/", item), under("/**/", item)])
        .collect()
}

/// Every cmd `for` loop's variable in its body read as the shell variable
/// that stands for it: `%v`, and `%~MODv` (a part of the value, read as
/// all of it), become [`LoopHeader::shell_name`]'s value. A body runs to
/// the end of the line, or of the block the loop is in.
pub(super) fn bind_variables(tokens: &mut [Token]) {
    for at in 0..tokens.len() {
        let starts_loop = tokens.get(at).is_some_and(|t| {
            matches!(t, Token::Word(_))
                && t.text().trim_start_matches('@').eq_ignore_ascii_case("for")
        });
        let Some(header) = starts_loop.then(|| header(tokens, at + 1)).flatten() else {
            continue;
        };
        let end = body_end(tokens, header.body);
        for token in tokens.get_mut(header.body..end).unwrap_or_default() {
            if let Token::Word(pieces) = token {
                *pieces = bind_pieces(pieces, header.variable);
            }
        }
    }
}

/// Just past a loop's body that starts at `at`: the end of the line, or
/// the `)` that closes the block the loop is in.
pub(super) fn body_end(tokens: &[Token], at: usize) -> usize {
    let mut depth = 0usize;
    let mut end = at;
    while let Some(token) = tokens.get(end) {
        match token {
            Token::Op("(") => depth += 1,
            Token::Op(")") if depth == 0 => break,
            Token::Op(")") => depth -= 1,
            _ => {}
        }
        end += 1;
    }
    end
}

/// The modifiers of `%~MODv` (`%~nxv`, `%~dpv`, `%~fv`, ...).
const MODIFIERS: &str = "fdpnxsatzFDPNXSATZ";

/// A word with each `%v` and `%~MODv` of its text as the loop's value.
/// The lexer may have read a reference and what follows it as a
/// variable (`%a-%b` as `%a-%`, `%a%b` as `%a%`); a name no environment
/// variable has (one letter, or with `-`, `.`, ...) that starts with the
/// loop's letter is read again as text, as cmd leaves an unset `%NAME%`
/// on a command line for the loop to replace.
fn bind_pieces(pieces: &[Piece], variable: char) -> Vec<Piece> {
    let name = shell_name(variable);
    let mut bound: Vec<Piece> = Vec::new();
    let push_text = |bound: &mut Vec<Piece>, text: &str| {
        if text.is_empty() {
            return;
        }
        match bound.last_mut() {
            Some(Piece::Text(t)) => t.push_str(text),
            _ => bound.push(Piece::Text(text.to_owned())),
        }
    };
    for piece in pieces {
        let text = match piece {
            Piece::Text(text) => text.clone(),
            Piece::Var(read) if misread_reference(read, variable) => format!("%{read}%"),
            Piece::Var(_) => {
                bound.push(piece.clone());
                continue;
            }
        };
        let mut rest = text.as_str();
        while let Some(percent) = rest.find('%') {
            let (before, from) = rest.split_at(percent);
            push_text(&mut bound, before);
            match reference_len(from, variable) {
                Some(len) => {
                    bound.push(Piece::Var(name.clone()));
                    rest = from.get(len..).unwrap_or_default();
                }
                None => {
                    push_text(&mut bound, "%");
                    rest = from.get(1..).unwrap_or_default();
                }
            }
        }
        push_text(&mut bound, rest);
    }
    bound
}

/// Whether the lexer's variable `name` (`%name%`) is rather a reference
/// to the loop's `variable` and the text after it: a name that starts
/// with the letter and that no environment variable has (the letter
/// alone, or with characters outside letters, digits and `_`).
fn misread_reference(name: &str, variable: char) -> bool {
    name.starts_with(variable)
        && (name.len() == variable.len_utf8()
            || name.chars().any(|c| !c.is_ascii_alphanumeric() && c != '_'))
}

/// The length of the reference to `variable` that `text` starts with
/// (`%v`, `%~nxv`), if it starts with one. cmd reads `%~` as the longest
/// run of modifiers followed by the variable, and gives back the run's
/// last letter when that is the variable (`%~dpd` for `%d`).
fn reference_len(text: &str, variable: char) -> Option<usize> {
    let after = text.strip_prefix('%')?;
    let Some(modified) = after.strip_prefix('~') else {
        return after.starts_with(variable).then(|| 1 + variable.len_utf8());
    };
    let run = modified
        .find(|c: char| !MODIFIERS.contains(c))
        .unwrap_or(modified.len());
    if modified.get(run..).is_some_and(|r| r.starts_with(variable)) {
        return Some(2 + run + variable.len_utf8());
    }
    let ends_with_variable = modified.get(..run).is_some_and(|r| r.ends_with(variable));
    (run > 0 && ends_with_variable).then_some(2 + run)
}

#[cfg(test)]
mod tests {
    use super::super::lex;
    use super::*;

    fn text(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.clone(),
                Piece::Var(v) => format!("${{{v}}}"),
            })
            .collect()
    }

    fn values(line: &str) -> Option<(char, Vec<String>)> {
        let tokens = lex(line, false);
        let header = header(&tokens, 1)?;
        Some((
            header.variable,
            header.values.iter().map(|v| text(v)).collect(),
        ))
    }

    #[test]
    fn reads_the_values_of_a_loops_set() {
        assert_eq!(
            values("for %c in (a,b;c d=e) do x %c"),
            Some((
                'c',
                vec!["a", "b", "c", "d", "e"]
                    .into_iter()
                    .map(String::from)
                    .collect()
            ))
        );
        assert_eq!(
            values("for /d /r src\\ %d in (bin obj) do rd /s /q \"%d\""),
            Some((
                'd',
                vec!["src/bin", "src/**/bin", "src/obj", "src/**/obj"]
                    .into_iter()
                    .map(String::from)
                    .collect()
            ))
        );
        assert_eq!(
            values("for /r %f in (*.log) do del %f"),
            Some(('f', vec!["./*.log".to_owned(), "./**/*.log".to_owned()]))
        );
        assert_eq!(
            values("for /l %i in (1,2,6) do echo %i"),
            Some(('i', vec!["1".to_owned(), "3".to_owned(), "5".to_owned()]))
        );
        assert_eq!(values("for /f %v in (x.txt) do echo %v"), None);
        assert_eq!(values("for %v in x do echo"), None);
        assert_eq!(values("for f in a b; do echo"), None);
    }

    #[test]
    fn binds_the_variable_in_a_word() {
        let bound = |word: &str, variable: char| {
            text(&bind_pieces(&[Piece::Text(word.to_owned())], variable))
        };
        assert_eq!(bound("--context=%c", 'c'), "--context=${writ_for_c}");
        assert_eq!(bound("%~nxf.bak", 'f'), "${writ_for_f}.bak");
        assert_eq!(bound("%~dpd", 'd'), "${writ_for_d}");
        assert_eq!(bound("%e 100%", 'd'), "%e 100%");
        let misread = [
            Piece::Text("out/".to_owned()),
            Piece::Var("a-".to_owned()),
            Piece::Text("b.txt".to_owned()),
        ];
        assert_eq!(
            text(&bind_pieces(&bind_pieces(&misread, 'a'), 'b')),
            "out/${writ_for_a}-${writ_for_b}.txt"
        );
        let set = [Piece::Var("HOME".to_owned())];
        assert_eq!(bind_pieces(&set, 'H'), set.to_vec());
    }

    #[test]
    fn a_body_ends_with_its_block() {
        let tokens = lex("(for %a in (x) do echo %a) & echo %a", false);
        let mut bound = tokens.clone();
        bind_variables(&mut bound);
        let words: Vec<String> = bound
            .iter()
            .filter_map(|t| match t {
                Token::Word(p) => Some(text(p)),
                _ => None,
            })
            .collect();
        assert_eq!(
            words,
            vec![
                "for",
                "%a",
                "in",
                "x",
                "do",
                "echo",
                "${writ_for_a}",
                "echo",
                "%a"
            ]
        );
    }
}
