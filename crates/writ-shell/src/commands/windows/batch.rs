//! Batch files and the lines only cmd reads.
//!
//! - A batch file (`diag.cmd`, `build.bat`) an earlier step wrote, run by
//!   cmd (`call diag.cmd`, `diag.cmd ARGS`, `cmd /c diag.cmd`), runs the
//!   lines it holds as cmd reads them, with `%0`, `%1`..`%9`, `%~1`,
//!   `%~dp0` and `%*` bound to its path and arguments ([`written`]); its
//!   `call :LABEL ARGS` runs the subroutine's lines with ARGS bound
//!   ([`super::subroutines`]).
//! - `cmd [/SWITCHES] /c|/k LINE` at the start of a cmd line runs LINE as
//!   cmd reads the rest of the line after the switch: its first and last
//!   quotes stripped, up to the first `&` or `|` outside quotes
//!   ([`nested_cmd`]), so quotes inside it (`/c "curl -H "A: b" URL"`)
//!   stay cmd's rather than a shell's.
//! - Delayed expansion (`cmd /v:on`, `setlocal enabledelayedexpansion`):
//!   `!NAME!` is NAME's value, as `%NAME%` is.
//! - Which lines handed to a shell tool are cmd's: one that starts with
//!   `cmd /X` and quotes with no `'` (Git Bash would turn `/c` into a
//!   path, so such a line is written for cmd), `call` of a batch file or a label, `setlocal`,
//!   or a cmd loop as any of its commands (`del x & for /r . %d in (bin) do
//!   ...`: bash's `for` takes a name, never `/d` or `%d`)
//!   ([`cmd_only_line`]); and, when bash cannot parse a line, one with a
//!   statement only cmd has after any of its operators (`& if errorlevel
//!   1 (...)`, `&& exit /b 1`, `call npm install`: [`has_cmd_statement`]).

use super::{
    Piece, Token, cmd_to_bash_with, lex, strip_outer_quotes, subroutines, switch, variable_piece,
    win_path,
};
use crate::args::Arg;
use crate::commands::{Invocation, Nested, Outcome};

/// `!NAME!` at `at` under delayed expansion: the piece and the length
/// written. A `!` with no name closed after it is itself.
pub(super) fn delayed_variable(chars: &[char], at: usize) -> Option<(Piece, usize)> {
    let rest = chars.get(at + 1..)?;
    let close = rest.iter().position(|c| *c == '!')?;
    let name: String = rest.get(..close)?.iter().collect();
    let valid = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '$'));
    valid.then(|| (variable_piece(name), close + 2))
}

/// Whether a script turns delayed expansion on (`setlocal
/// enabledelayedexpansion`).
pub(super) fn enables_delayed_expansion(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("setlocal") && lower.contains("enabledelayedexpansion")
}

/// Whether cmd's switches before `/c` (`at`; all of them without one)
/// turn delayed expansion on: `/v:on`, `/v`.
pub(super) fn delayed_switch(args: &[Arg], at: Option<usize>) -> bool {
    let before = args.get(..at.unwrap_or(args.len())).unwrap_or_default();
    before.iter().any(|a| {
        switch(&a.text).is_some_and(|(name, value)| {
            name == "v" && value.is_none_or(|v| v.eq_ignore_ascii_case("on"))
        })
    })
}

/// Whether a command name (lower case) names a batch file.
pub(super) fn is_batch_name(lower: &str) -> bool {
    let name = lower.trim_matches('"');
    name.len() > 4 && (name.ends_with(".bat") || name.ends_with(".cmd"))
}

/// A line that only runs a batch file (`diag.cmd A B`, `call x.bat`):
/// the file's name and its arguments.
pub(super) fn batch_run(line: &str) -> Option<(String, Vec<String>)> {
    let tokens = lex(line, false);
    let mut words = Vec::new();
    for token in &tokens {
        match token {
            Token::Word(_) => words.push(token.text()),
            _ => return None,
        }
    }
    let mut words = words.into_iter().peekable();
    if words
        .peek()
        .is_some_and(|w| w.trim_start_matches('@').eq_ignore_ascii_case("call"))
    {
        words.next();
    }
    let name = words.next()?.trim_start_matches('@').to_owned();
    is_batch_name(&name.to_ascii_lowercase()).then(|| (name, words.collect()))
}

/// `cmd [/SWITCHES] /c|/k|/r REST` at the start of a cmd line: REST (up
/// to the first `&` or `|` outside quotes) rewritten as the line that cmd
/// runs, then what follows it on the outer line.
pub(super) fn nested_cmd(line: &str, delayed: bool) -> Option<String> {
    let trimmed = line.trim_start().trim_start_matches('@');
    let first_end = trimmed.find(char::is_whitespace)?;
    let first = trimmed
        .get(..first_end)?
        .trim_matches('"')
        .to_ascii_lowercase();
    if !matches!(first.as_str(), "cmd" | "cmd.exe") {
        return None;
    }
    let mut rest = trimmed.get(first_end..)?.trim_start();
    let mut inner_delayed = false;
    loop {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = rest.get(..end)?;
        let (name, value) = switch(word)?;
        rest = rest.get(end..)?.trim_start();
        match name.as_str() {
            "c" | "k" | "r" => break,
            "v" => inner_delayed = value.is_none_or(|v| v.eq_ignore_ascii_case("on")),
            _ => {}
        }
    }
    let (segment, after) = split_at_operator(rest);
    let inner = strip_outer_quotes(segment);
    let mut out = format!("( {} )", cmd_to_bash_with(&inner, inner_delayed));
    if inner.trim().is_empty() {
        out = String::from("true");
    }
    let after = after.trim_start();
    if after.is_empty() {
        return Some(out);
    }
    let (op, next) = if let Some(next) = after.strip_prefix("&&") {
        ("&&", next)
    } else if let Some(next) = after.strip_prefix("||") {
        ("||", next)
    } else if let Some(next) = after.strip_prefix('|') {
        ("|", next)
    } else {
        (";", after.get(1..).unwrap_or_default())
    };
    let next = cmd_to_bash_with(next, delayed);
    if next.trim().is_empty() {
        return Some(out);
    }
    Some(format!("{out} {op} {next}"))
}

/// The text up to the first `&`, `|` or line break outside `"` quotes (a
/// `^` escapes the next character), and the rest from there.
fn split_at_operator(text: &str) -> (&str, &str) {
    let mut quoted = false;
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '"' => quoted = !quoted,
            '^' if !quoted => escaped = true,
            '&' | '|' | '\n' if !quoted => {
                return (text.get(..at).unwrap_or(text), text.get(at..).unwrap_or(""));
            }
            _ => {}
        }
    }
    (text, "")
}

/// Whether a line handed to a shell tool is cmd's by how it starts: `cmd
/// /X ...` (with one slash: Git Bash would turn `/c` into a path) and no
/// `'`, which cmd does not quote with,
/// `setlocal`, or with `call` of a batch file or a label, or a cmd loop
/// ([`is_cmd_loop`]), as any of its commands.
pub(crate) fn cmd_only_line(line: &str) -> bool {
    let line = line.trim_start().trim_start_matches('@');
    let mut words = line.split_whitespace();
    let (Some(first), second) = (words.next(), words.next().unwrap_or_default()) else {
        return false;
    };
    match first.to_ascii_lowercase().as_str() {
        // cmd has no quotes but `"`: `cmd /c 'rd /s /q x'` is a shell's.
        "cmd" | "cmd.exe" => {
            !second.starts_with("//") && switch(second).is_some() && !line.contains('\'')
        }
        "setlocal" => true,
        _ => calls_batch(line) || runs_cmd_loop(line) || cmd_variable_path_command(line),
    }
}

/// Whether some command of the line is one of Windows' own programs
/// given a path that starts with a cmd variable (`... && move /y
/// %TEMP%\s.json %USERPROFILE%\.claude\settings.json`), on a line
/// without `'` or `$`, which cmd does not read: only cmd expands
/// `%NAME%`, and bash would drop the `\` after it.
fn cmd_variable_path_command(line: &str) -> bool {
    if line.contains(['\'', '$']) {
        return false;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    words.iter().enumerate().any(|(at, word)| {
        let starts = at == 0
            || words
                .get(at - 1)
                .is_some_and(|before| before.ends_with(['&', '|']));
        let program = word.trim_start_matches('@');
        starts
            && super::starts_with_windows_program(program)
            && words
                .get(at + 1..)
                .unwrap_or_default()
                .iter()
                .take_while(|w| !w.starts_with(['&', '|']))
                .any(|w| starts_with_cmd_variable_path(w))
    })
}

/// Whether a word is a path under a cmd variable: `%NAME%\...`, quoted
/// or not.
fn starts_with_cmd_variable_path(word: &str) -> bool {
    let word = word.trim_start_matches('"');
    word.strip_prefix('%')
        .and_then(|rest| rest.split_once('%'))
        .is_some_and(|(name, rest)| {
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && rest.starts_with('\\')
        })
}

/// Whether some command of the line is a cmd loop ([`is_cmd_loop`]).
fn runs_cmd_loop(line: &str) -> bool {
    let tokens = lex(line, false);
    tokens.iter().enumerate().any(|(at, token)| {
        let starts = at == 0 || matches!(tokens.get(at - 1), Some(Token::Op(_)));
        let word = |token: &Token| token.text().trim_start_matches('@').to_ascii_lowercase();
        starts
            && matches!(token, Token::Word(_))
            && word(token) == "for"
            && tokens
                .get(at + 1)
                .is_some_and(|next| is_cmd_loop(&word(next)))
    })
}

/// Whether the word after `for` (lower case) starts cmd's loop: a switch
/// (`/d`, `/r`, `/l`, `/f`) or the loop's variable (`%x`, `%%x`). Bash's
/// `for` takes a name there.
fn is_cmd_loop(second: &str) -> bool {
    second.starts_with('%')
        || switch(second).is_some_and(|(name, _)| matches!(name.as_str(), "d" | "r" | "l" | "f"))
}

/// Whether some command of the line is `call` of a batch file or a label
/// (`cd tools && call build.bat`).
fn calls_batch(line: &str) -> bool {
    let tokens = lex(line, false);
    tokens.windows(2).enumerate().any(|(at, pair)| {
        let starts = at == 0 || matches!(tokens.get(at - 1), Some(Token::Op(_)));
        let [first @ Token::Word(_), second @ Token::Word(_)] = pair else {
            return false;
        };
        let (first, second) = (first.text(), second.text().to_ascii_lowercase());
        starts
            && first.trim_start_matches('@').eq_ignore_ascii_case("call")
            && (second.starts_with(':') || is_batch_name(&second))
    })
}

/// Whether some command of the line, after any of cmd's operators, is a
/// statement only cmd has: `if [/i] [not] errorlevel|exist|defined ...`
/// (after an operator),
/// `exit /b`, `call`, `goto`, `setlocal`, `cd /d`, `set /p|/a`, a loop
/// (`for /d ...`, `for %x in ...`).
pub(crate) fn has_cmd_statement(line: &str) -> bool {
    let tokens = lex(line, false);
    let word = |i: usize| {
        tokens
            .get(i)
            .filter(|t| matches!(t, Token::Word(_)))
            .map(|t| t.text().trim_start_matches('@').to_ascii_lowercase())
    };
    (0..tokens.len()).any(|at| {
        let starts = at == 0 || matches!(tokens.get(at - 1), Some(Token::Op(_)));
        let (Some(first), second) = (word(at), word(at + 1).unwrap_or_default()) else {
            return false;
        };
        starts
            && match first.as_str() {
                // A line that starts with cmd's `if` is cmd's by
                // [`super::statements::starts_as_cmd`], which wants a
                // Windows path on it.
                "if" if at == 0 => false,
                "if" => matches!(
                    second.as_str(),
                    "/i" | "not" | "errorlevel" | "exist" | "defined" | "cmdextversion"
                ),
                "exit" => second == "/b",
                "cd" | "chdir" => second == "/d",
                "set" => matches!(second.as_str(), "/p" | "/a"),
                "call" => !second.is_empty(),
                "for" => is_cmd_loop(&second),
                "goto" | "setlocal" | "endlocal" => true,
                _ => false,
            }
    })
}

/// A batch file an earlier step wrote, run by cmd (`cmd /c diag.cmd A`,
/// or as the command `diag.cmd A`, which a cmd line's `call diag.cmd A`
/// and `diag.cmd A` are rewritten into): its lines run as cmd's, with its
/// arguments bound.
pub(crate) fn written(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    text_of: &dyn Fn(&str) -> Option<String>,
) {
    let (name, args, delayed) = if inv.program == "cmd" {
        let Some(at) = inv.args.iter().position(|a| {
            switch(&a.text).is_some_and(|(name, _)| matches!(name.as_str(), "c" | "k" | "r"))
        }) else {
            return;
        };
        let rest = inv.args.get(at + 1..).unwrap_or_default();
        if rest.iter().any(|a| a.dynamic) {
            return;
        }
        let line = strip_outer_quotes(
            &rest
                .iter()
                .map(|a| a.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        );
        let Some((name, args)) = batch_run(&line) else {
            return;
        };
        (name, args, delayed_switch(inv.args, Some(at)))
    } else if is_batch_name(&inv.program.to_ascii_lowercase()) {
        let args = inv.args.iter().map(|a| a.text.clone()).collect();
        (inv.program.to_owned(), args, false)
    } else {
        return;
    };
    let path = inv.path(&win_path(&name));
    let Some(text) = text_of(&path) else {
        return;
    };
    let bound = bind_arguments(&subroutines::inline_calls(&text), Some(&path), &args);
    let delayed = delayed || enables_delayed_expansion(&bound);
    outcome.nested.push(Nested::Script {
        text: cmd_to_bash_with(&bound, delayed),
        what: format!("cmd {path}"),
    });
}

/// A batch file's text with its parameters replaced: `%0` (and `%~f0`)
/// by its path, `%~dp0` by its directory, `%N` and `%~N` by the Nth
/// argument (quoted when it has a blank; without its quotes for `%~N`),
/// `%*` by all of them. `%%` stays for the rewrite to read. Without a
/// path (a subroutine's lines, bound to a `call`'s arguments) `%0` and
/// its forms stay as written, for the file's own binding.
pub(super) fn bind_arguments(text: &str, path: Option<&str>, args: &[String]) -> String {
    let directory = path.map_or("", |path| path.rsplit_once('/').map_or("", |(dir, _)| dir));
    let argument = |n: usize, bare: bool| -> String {
        match n {
            0 => path.unwrap_or_default().to_owned(),
            n => args.get(n - 1).map_or_else(String::new, |a| {
                if !bare && a.contains(' ') {
                    format!("\"{a}\"")
                } else {
                    a.clone()
                }
            }),
        }
    };
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    while let Some(&c) = chars.get(at) {
        at += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.get(at) {
            Some('%') => {
                out.push_str("%%");
                at += 1;
            }
            Some('*') => {
                out.push_str(&args.join(" "));
                at += 1;
            }
            Some('0') if path.is_none() => out.push('%'),
            Some(d) if d.is_ascii_digit() => {
                out.push_str(&argument(d.to_digit(10).unwrap_or(0) as usize, false));
                at += 1;
            }
            Some('~') => {
                let modifiers: String = chars
                    .get(at + 1..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .collect();
                let digit = chars
                    .get(at + 1 + modifiers.len())
                    .and_then(|d| d.to_digit(10));
                match digit {
                    Some(0) if path.is_none() => out.push('%'),
                    Some(n) => {
                        let lower = modifiers.to_ascii_lowercase();
                        if n == 0 && lower.contains('d') && lower.contains('p') {
                            out.push_str(directory);
                            out.push('/');
                        } else {
                            out.push_str(&argument(n as usize, true));
                        }
                        at += 2 + modifiers.len();
                    }
                    None => out.push('%'),
                }
            }
            _ => out.push('%'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binds_a_batch_files_arguments() {
        let args = vec!["a b".to_owned(), "c".to_owned()];
        assert_eq!(
            bind_arguments(
                "x %1 %~1 %2 %3 %* %~dp0t.exe %0 %%f",
                Some("/w/d.cmd"),
                &args
            ),
            "x \"a b\" a b c  a b c /w/t.exe /w/d.cmd %%f"
        );
    }

    #[test]
    fn reads_a_cmd_line_run_by_cmd() {
        assert_eq!(
            nested_cmd("cmd /v:on /c \"echo !T! & del x\" & echo y", false).as_deref(),
            Some("( echo \"${T}\" ; del 'x' ) ; echo 'y'")
        );
        assert_eq!(nested_cmd("cmd.exe", false), None);
        assert_eq!(nested_cmd("cmdx /c y", false), None);
    }

    #[test]
    fn tells_lines_only_cmd_reads() {
        assert!(cmd_only_line("cmd /v:on /c \"echo x\""));
        assert!(cmd_only_line("call diag.cmd"));
        assert!(!cmd_only_line("cmd //c dir"));
        assert!(!cmd_only_line("cmd.exe /c 'rd /s /q ..'"));
        assert!(!cmd_only_line("call"));
        assert!(cmd_only_line("cd tools && call build.bat"));
        assert!(!cmd_only_line("echo call build.bat"));
        assert!(has_cmd_statement("git push & if errorlevel 1 echo failed"));
        assert!(has_cmd_statement("cd web && call npm ci"));
        assert!(!has_cmd_statement("if [ -f x ] then"));
        assert!(!has_cmd_statement("echo if errorlevel 1"));
        assert!(!has_cmd_statement("if exist build rd /s /q build"));
        assert!(cmd_only_line(
            "del /s x & for /d /r . %d in (bin) do rd /s /q %d"
        ));
        assert!(has_cmd_statement("make && for %c in (a b) do echo %c"));
        assert!(!cmd_only_line("make && for f in a b; do echo $f; done"));
    }
}
