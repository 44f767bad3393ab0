//! `wsl.exe`, which runs a Linux command in a WSL distribution of this
//! Windows machine.
//!
//! - `wsl -e|--exec CMD ARGS...` runs CMD with its arguments as they are,
//!   no shell between.
//! - `wsl [--] CMD ARGS...` hands the words to the distribution's default
//!   shell as one command line (`wsl bash -lc 'cd x && make'`, `wsl --
//!   sh -c '...'`): Windows quotes a word with a blank in it, so such a
//!   word stays one, and any other word is read by that shell as written
//!   (`wsl cat f '|' nc host 9` pipes).
//! - `wsl` with no command and standard input piped runs what it reads.
//! - Options before the command choose where it runs: `-d|--distribution
//!   NAME`, `-u|--user NAME`, `--shell-type TYPE`, `--distribution-id
//!   ID`, `--system`, and `--cd DIR`, its working directory. Any other
//!   option is a management command (`--list`, `--shutdown`, `--install`,
//!   `--unregister`, ...) and runs none; `--export NAME FILE` writes FILE
//!   and `--import NAME DIR FILE` reads FILE.
//!
//! The Linux side reaches the Windows drives at `/mnt/c`, `/mnt/d`, ...,
//! which the path resolution reads as those drives on a Windows machine
//! (`paths::resolve`), so `wsl -e git -C /mnt/d/src/app push` pushes the
//! repository at `D:\src\app`. The distribution's own home (`~` there) is
//! not the Windows one; it is left as the analysis reads `~`.

use crate::args::Arg;
use crate::commands::{Invocation, Nested, Outcome};

/// Options that take a value and only say where the command runs.
const PLACE_OPTIONS: &[&str] = &[
    "-d",
    "--distribution",
    "-u",
    "--user",
    "--shell-type",
    "--distribution-id",
];

pub(super) fn wsl(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut cwd: Option<String> = None;
    let mut at = 0;
    while let Some(arg) = inv.args.get(at) {
        let rest = inv.args.get(at + 1..).unwrap_or_default();
        match arg.text.as_str() {
            "-e" | "--exec" => {
                push_argv(&mut outcome, rest.to_vec(), cwd);
                return outcome;
            }
            "--" => {
                push_shell_line(&mut outcome, rest, cwd);
                return outcome;
            }
            "--cd" => {
                cwd = rest.first().and_then(|dir| directory(inv, dir));
                at += 2;
            }
            "--system" => at += 1,
            option if PLACE_OPTIONS.contains(&option) => at += 2,
            option if option.starts_with('-') => {
                management(inv, option, rest, &mut outcome);
                return outcome;
            }
            _ => {
                push_shell_line(&mut outcome, inv.args.get(at..).unwrap_or_default(), cwd);
                return outcome;
            }
        }
    }
    // No command: the default shell reads its script from standard input.
    if inv.has_stdin {
        push_argv(&mut outcome, vec![Arg::literal("sh")], cwd);
    }
    outcome
}

/// The working directory `--cd DIR` names, as an absolute path; `~`, the
/// distribution's home, is not known here.
fn directory(inv: &Invocation<'_>, dir: &Arg) -> Option<String> {
    (!dir.text.starts_with('~') && !dir.dynamic).then(|| inv.path(&dir.text))
}

/// Runs `argv` as it is, in `cwd` when given.
fn push_argv(outcome: &mut Outcome, argv: Vec<Arg>, cwd: Option<String>) {
    if argv.is_empty() {
        return;
    }
    outcome.nested.push(Nested::Argv {
        argv,
        env: Vec::new(),
        cwd,
    });
}

/// Runs `words` as the default shell reads them joined into one line: as
/// they are when none of them holds the shell's syntax outside a word
/// Windows quotes, else as `sh -c LINE`.
///
/// The words arrive with the quotes of the line that ran `wsl` removed,
/// and a caller that quoted a word to keep its syntax from the Linux
/// shell (`wsl -- jq "del(.hooks)" f` from cmd, which passes its line on
/// as written) leaves no trace of that here. A joined line the shell
/// cannot parse (`jq del(.hooks) f`, `find . \\( -name x \\)`) is such
/// a line, or one that fails before it runs anything: either way the
/// words are read as the command they name, as they are.
fn push_shell_line(outcome: &mut Outcome, words: &[Arg], cwd: Option<String>) {
    if !words.iter().any(shell_reads_syntax) {
        push_argv(outcome, words.to_vec(), cwd);
        return;
    }
    let line: Vec<String> = words.iter().map(|w| windows_quoted(&w.text)).collect();
    let line = line.join(" ");
    if !shell_parses(&line) {
        push_argv(outcome, words.to_vec(), cwd);
        return;
    }
    let argv = vec![Arg::literal("sh"), Arg::literal("-c"), Arg::literal(&line)];
    push_argv(outcome, argv, cwd);
}

/// Whether the Linux shell can parse `line`.
fn shell_parses(line: &str) -> bool {
    crate::walk::parse_line(line, &brush_parser::ParserOptions::default()).is_ok()
}

/// Whether the shell reads syntax in `word` as Windows passes it on: an
/// operator, a redirection, an expansion or a quote in a word without
/// blanks (a word with a blank is passed quoted, as one word).
fn shell_reads_syntax(word: &Arg) -> bool {
    !word.text.contains(char::is_whitespace)
        && word
            .text
            .contains(['|', '&', ';', '<', '>', '(', ')', '`', '\'', '"'])
}

/// A word as Windows passes it on the command line: in double quotes when
/// it has a blank, its own double quotes escaped.
fn windows_quoted(text: &str) -> String {
    if text.contains(char::is_whitespace) {
        format!("\"{}\"", text.replace('"', "\\\""))
    } else {
        text.to_owned()
    }
}

/// A management command: `--export NAME FILE` (`--vhd` included) writes
/// the distribution's archive to FILE, `--import NAME DIR FILE` reads
/// FILE; the others run nothing this analysis reads.
fn management(inv: &Invocation<'_>, option: &str, rest: &[Arg], outcome: &mut Outcome) {
    let operands: Vec<&Arg> = rest.iter().filter(|a| !a.text.starts_with("--")).collect();
    match option {
        "--export" => {
            if let Some(file) = operands.get(1).filter(|f| f.text != "-") {
                outcome.write(inv.path(&file.text), false);
            }
        }
        "--import" => {
            if let Some(file) = operands.get(2).filter(|f| f.text != "-") {
                outcome.read(inv.path(&file.text), false);
            }
        }
        _ => {}
    }
}
