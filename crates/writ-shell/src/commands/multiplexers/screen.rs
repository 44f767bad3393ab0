//! GNU screen: `screen [OPTIONS] [CMD ARGS...]` starts a session running
//! CMD directly (`-dmS NAME` detached; `-r`, `-R`, `-x`, and `-d`/`-D`
//! without `-m`, attach to a session named by the operand instead, and
//! `-ls`/`-wipe` only list); `screen [-S NAME] [-p WIN] -X COMMAND ARGS`
//! sends a command to a running session: `stuff TEXT` types TEXT (`^M`,
//! `\n`, `\r`, `\015` end a line; `^C` erases it), `exec [FDPAT] CMD
//! ARGS` and `screen [OPTS] CMD ARGS` run CMD, `eval 'CMD ...'...` runs
//! each command line, `at WINDOW CMD` runs CMD there, `source FILE` reads
//! commands from FILE.

use super::{Start, erase_line, run_argv, run_typed};
use crate::args::Arg;
use crate::commands::words::{self, Backslash};
use crate::commands::{Invocation, Outcome};

/// One-letter options that take a value, attached or as the next word.
const VALUE_LETTERS: &str = "cehpsStT";

/// What the options ask for.
#[derive(Debug, Default)]
struct Mode {
    /// `-X`: the operands are a command for a running session.
    remote: bool,
    /// `-m`: a new session even inside one (`-dm`: started detached).
    new: bool,
    /// `-r`, `-R`, `-x`: attach; `-d`/`-D`: detach, attach unless `-m`.
    attach: bool,
    detach: bool,
    /// `-ls`, `-list`, `-wipe`, `-v`, `-h`elp: nothing runs.
    inquiry: bool,
}

pub(super) fn screen(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut mode = Mode::default();
    let mut words = inv.args.iter();
    let mut operands: Vec<Arg> = Vec::new();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if !text.starts_with('-') || text == "-" {
            operands.push(word.clone());
            operands.extend(words.by_ref().cloned());
            break;
        }
        match text {
            "-Logfile" => {
                if let Some(file) = words.next() {
                    outcome.write(inv.path(&file.text), true);
                }
            }
            "-ls" | "-list" | "-wipe" | "-v" | "-version" | "--version" | "-help" | "--help" => {
                mode.inquiry = true;
            }
            "-fn" | "-fa" | "-ln" => {}
            _ => cluster(text, &mut words, &mut mode),
        }
    }
    if mode.inquiry {
        return outcome;
    }
    if mode.remote {
        let operands: Vec<&Arg> = operands.iter().collect();
        command(inv, &operands, 0, &mut outcome);
    } else if !(mode.attach || (mode.detach && !mode.new)) {
        run_argv(operands, Start::default(), &mut outcome);
    }
    outcome
}

/// A cluster of one-letter options (`-dmS NAME`, `-S NAME`, `-Sname`).
fn cluster<'a>(text: &str, words: &mut impl Iterator<Item = &'a Arg>, mode: &mut Mode) {
    for (at, letter) in text.char_indices().skip(1) {
        match letter {
            _ if VALUE_LETTERS.contains(letter) => {
                // The rest of the cluster, or the next word, is its value.
                if text.len() == at + letter.len_utf8() {
                    words.next();
                }
                return;
            }
            'X' => mode.remote = true,
            'm' => mode.new = true,
            'r' | 'R' | 'x' => mode.attach = true,
            'd' | 'D' => mode.detach = true,
            _ => {}
        }
    }
}

/// How deep `eval` and `at` may nest.
const MAX_DEPTH: usize = 8;

/// A command sent to a session (`-X`), or one that `eval` or `at` runs.
fn command(inv: &Invocation<'_>, words: &[&Arg], depth: usize, outcome: &mut Outcome) {
    let Some((name, rest)) = words.split_first() else {
        return;
    };
    if depth > MAX_DEPTH {
        return;
    }
    match name.text.as_str() {
        "stuff" => {
            let text: Vec<&str> = rest.iter().map(|w| w.text.as_str()).collect();
            run_typed(
                &stuffed(&text.join(" ")),
                "text stuffed into a screen window",
                outcome,
            );
        }
        "exec" => {
            // An optional pattern of `.`, `!` and `:` says where the
            // program's descriptors go.
            let rest = match rest.split_first() {
                Some((pattern, after))
                    if !pattern.text.is_empty()
                        && pattern.text.chars().all(|c| ".!:|".contains(c)) =>
                {
                    after
                }
                _ => rest,
            };
            run_argv(
                rest.iter().map(|w| (*w).clone()).collect(),
                Start::default(),
                outcome,
            );
        }
        "screen" => window(rest, outcome),
        "eval" => {
            for line in rest {
                let words: Vec<Arg> = split_words(&line.text)
                    .iter()
                    .map(|w| Arg::literal(w))
                    .collect();
                let refs: Vec<&Arg> = words.iter().collect();
                command(inv, &refs, depth + 1, outcome);
            }
        }
        "at" => {
            if let Some((_, command_words)) = rest.split_first() {
                command(inv, command_words, depth + 1, outcome);
            }
        }
        "source" => {
            if let Some(file) = rest.first() {
                outcome.read(inv.path(&file.text), false);
            }
        }
        _ => {}
    }
}

/// The `screen` command: a new window running CMD ARGS.
fn window(words: &[&Arg], outcome: &mut Outcome) {
    let mut at = 0;
    while let Some(word) = words.get(at) {
        let text = word.text.as_str();
        if !text.starts_with('-') || text == "-" {
            break;
        }
        at += 1;
        if text == "--" {
            break;
        }
        if matches!(text, "-t" | "-T" | "-h") {
            at += 1;
        }
    }
    let argv = words.get(at..).unwrap_or_default();
    run_argv(
        argv.iter().map(|w| (*w).clone()).collect(),
        Start::default(),
        outcome,
    );
}

/// Text `stuff` types: `^X` is a control key (`^M` and `^J` end a line,
/// `^C` and `^U` erase it), `\n`, `\r`, `\t` and octal `\NNN` escapes.
fn stuffed(text: &str) -> String {
    let mut typed = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '^' => match chars.next().map(|k| k.to_ascii_uppercase()) {
                Some('M' | 'J') => typed.push('\n'),
                Some('C' | 'U') => erase_line(&mut typed),
                Some('I') => typed.push('\t'),
                Some('^') => typed.push('^'),
                Some(_) => {}
                None => typed.push('^'),
            },
            '\\' => match chars.next() {
                Some('n' | 'r') => typed.push('\n'),
                Some('t') => typed.push('\t'),
                Some(digit @ '0'..='7') => {
                    let mut value = digit.to_digit(8).unwrap_or_default();
                    for _ in 0..2 {
                        match chars.peek().and_then(|d| d.to_digit(8)) {
                            Some(next) => {
                                value = value * 8 + next;
                                chars.next();
                            }
                            None => break,
                        }
                    }
                    match value {
                        10 | 13 => typed.push('\n'),
                        3 | 21 => erase_line(&mut typed),
                        _ => typed.extend(char::from_u32(value).filter(|c| !c.is_control())),
                    }
                }
                Some(other) => typed.push(other),
                None => typed.push('\\'),
            },
            '\r' => typed.push('\n'),
            _ => typed.push(c),
        }
    }
    typed
}

/// A command line's words: blanks part them, quotes group them, and a
/// backslash is a character like any other.
fn split_words(text: &str) -> Vec<String> {
    words::split(text, Backslash::Literal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stuffed_text() {
        assert_eq!(stuffed("git push^M"), "git push\n");
        assert_eq!(stuffed("ls\\n"), "ls\n");
        assert_eq!(stuffed("rm -rf x^Cpwd\\015"), "pwd\n");
        assert_eq!(stuffed("echo a^^b"), "echo a^b");
    }

    #[test]
    fn words_of_eval_lines() {
        assert_eq!(split_words("stuff 'ls -l^M'"), ["stuff", "ls -l^M"]);
        assert_eq!(split_words(" exec  sh \"a b\" "), ["exec", "sh", "a b"]);
    }
}
