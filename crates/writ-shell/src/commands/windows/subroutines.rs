//! A batch file's subroutines: `call :LABEL ARGS` runs the lines from
//! `:LABEL` up to its `goto :eof` or `exit /b` (or the end of the file),
//! with `%1`..`%9`, `%~1` and `%*` bound to ARGS, then goes on after the
//! `call`.
//!
//! Before the file's own arguments are bound, each such `call` is
//! replaced by a block of the subroutine's lines with the call's
//! arguments bound ([`inline_calls`]); what the arguments say of the
//! file's (`call :push %1`) is bound with the file's then. The labelled
//! lines also stay where they are, as the reading of every line in turn
//! (which does without `goto`) reads them.

/// At most this many rounds of calls are replaced (a subroutine that
/// calls another, or itself).
const MAX_ROUNDS: usize = 3;

/// Text longer than this gets no more calls replaced.
const MAX_TEXT: usize = 256 * 1024;

/// The batch file's text with each `call :LABEL ARGS` of a label it has
/// replaced by the subroutine's lines, its arguments bound.
pub(super) fn inline_calls(text: &str) -> String {
    let mut text = text.to_owned();
    for _ in 0..MAX_ROUNDS {
        if text.len() > MAX_TEXT {
            break;
        }
        let lines: Vec<&str> = text.lines().collect();
        let mut changed = false;
        let rewritten: Vec<String> = lines
            .iter()
            .map(|line| {
                let (line, replaced) = inline_line(line, &lines);
                changed |= replaced;
                line
            })
            .collect();
        if !changed {
            break;
        }
        text = rewritten.join("\n");
    }
    text
}

/// One line with its calls of labels replaced, and whether it had any.
fn inline_line(line: &str, lines: &[&str]) -> (String, bool) {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut replaced = false;
    while let Some((start, end)) = next_call(rest) {
        let (before, call) = rest.split_at(start);
        let (call, after) = call.split_at(end - start);
        out.push_str(before);
        match subroutine_block(call, lines) {
            Some(block) => {
                out.push_str(&block);
                replaced = true;
            }
            None => out.push_str(call),
        }
        rest = after;
    }
    out.push_str(rest);
    (out, replaced)
}

/// Where the next `call :LABEL ...` of the line starts and ends: `call`
/// as a command (at the start of the line, after `&`, `|`, `(`, `do` or
/// `else`, or after the condition of a line's `if`), up to the next `&`,
/// `|`, `)` or the end, outside quotes.
fn next_call(line: &str) -> Option<(usize, usize)> {
    let starts_with_if = first_word(line).eq_ignore_ascii_case("if");
    let mut quoted = false;
    let mut command_start = true;
    let mut previous_word = "";
    let mut at = 0usize;
    while at < line.len() {
        let rest = line.get(at..)?;
        let c = rest.chars().next()?;
        if quoted {
            quoted = c != '"';
            at += c.len_utf8();
            continue;
        }
        match c {
            '"' => {
                quoted = true;
                command_start = false;
                at += 1;
            }
            '&' | '|' | '(' | ')' => {
                command_start = true;
                at += 1;
            }
            c if c.is_whitespace() || c == '@' => at += c.len_utf8(),
            _ => {
                let len = rest
                    .find(|c: char| c.is_whitespace() || matches!(c, '&' | '|' | '(' | ')' | '"'))
                    .unwrap_or(rest.len());
                let word = rest.get(..len)?;
                let may_start = command_start
                    || starts_with_if
                    || previous_word.eq_ignore_ascii_case("do")
                    || previous_word.eq_ignore_ascii_case("else");
                if may_start && word.eq_ignore_ascii_case("call") && calls_label(rest.get(len..)?) {
                    return Some((at, at + call_len(rest)));
                }
                previous_word = word;
                command_start = false;
                at += len.max(1);
            }
        }
    }
    None
}

/// The line's first word, without cmd's `@`.
fn first_word(line: &str) -> &str {
    line.trim_start()
        .trim_start_matches('@')
        .split_whitespace()
        .next()
        .unwrap_or_default()
}

/// Whether what follows `call` names a label (`call :push main`).
fn calls_label(after: &str) -> bool {
    after.starts_with(char::is_whitespace) && after.trim_start().starts_with(':')
}

/// The length of the `call` command `text` starts with: up to the next
/// `&`, `|`, `)` or the end, outside quotes.
fn call_len(text: &str) -> usize {
    let mut quoted = false;
    for (at, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '&' | '|' | ')' if !quoted => return at,
            _ => {}
        }
    }
    text.len()
}

/// `call :LABEL ARGS` as a block of the subroutine's lines, its
/// parameters bound to ARGS; `None` when the file has no such label
/// (`call :eof`, a label of another file).
fn subroutine_block(call: &str, lines: &[&str]) -> Option<String> {
    let after_call = call.trim_start().get(4..)?.trim_start();
    let target = after_call.strip_prefix(':')?;
    let label_end = target
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '='))
        .unwrap_or(target.len());
    let label = target.get(..label_end)?;
    let args = call_arguments(target.get(label_end..)?);
    let body = subroutine_lines(label, lines)?;
    let bound = super::batch::bind_arguments(&body.join("\n"), None, &args);
    Some(format!("(\n{bound}\n)"))
}

/// The lines of the subroutine at `:label` (case-insensitive): those
/// after the label up to the first line that leaves it (`goto :eof`,
/// `exit /b`, `exit`) or the end of the file.
fn subroutine_lines<'a>(label: &str, lines: &[&'a str]) -> Option<Vec<&'a str>> {
    let start = lines.iter().position(|line| labels(line, label))?;
    let body = lines
        .get(start + 1..)?
        .iter()
        .take_while(|line| !leaves_subroutine(line))
        .copied()
        .collect();
    Some(body)
}

/// Whether a line is the label `:name` (`::` starts a comment).
fn labels(line: &str, name: &str) -> bool {
    let Some(label) = line.trim_start().strip_prefix(':') else {
        return false;
    };
    let written = label
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '=' | ':'))
        .next()
        .unwrap_or_default();
    !written.is_empty() && written.eq_ignore_ascii_case(name)
}

/// Whether a line, as a whole, leaves the subroutine: `goto :eof`,
/// `exit /b [N]`, `exit`.
fn leaves_subroutine(line: &str) -> bool {
    let lower = line.trim().trim_start_matches('@').to_ascii_lowercase();
    let mut words = lower.split_whitespace();
    match (words.next(), words.next()) {
        (Some("goto"), Some(target)) => target.trim_start_matches(':') == "eof",
        (Some("exit"), _) => true,
        _ => false,
    }
}

/// A `call`'s arguments after the label, as cmd splits them (at blanks,
/// `,`, `;` and `=` outside quotes), without their quotes.
fn call_arguments(text: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut in_arg = false;
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                in_arg = true;
            }
            c if !quoted && (c.is_whitespace() || matches!(c, ',' | ';' | '=')) => {
                if in_arg {
                    args.push(std::mem::take(&mut current));
                    in_arg = false;
                }
            }
            c => {
                current.push(c);
                in_arg = true;
            }
        }
    }
    if in_arg {
        args.push(current);
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_runs_the_labels_lines_with_its_arguments() {
        let text = "@echo off\ncall :push main \"a b\"\nif errorlevel 1 call :push v%VER% & echo x\nexit /b\n:push\ngit push origin %1 %~2 %0\ngoto :eof\n:other\necho no";
        assert_eq!(
            inline_calls(text),
            "@echo off\n(\ngit push origin main a b %0\n)\nif errorlevel 1 (\ngit push origin v%VER%  %0\n)& echo x\nexit /b\n:push\ngit push origin %1 %~2 %0\ngoto :eof\n:other\necho no"
        );
    }

    #[test]
    fn reads_only_calls_of_labels_it_has() {
        for line in [
            "echo call :push",
            "call :missing x",
            "call build.cmd",
            "rem call :push",
        ] {
            let text = format!("{line}\n:push\ngit push\n");
            assert_eq!(inline_calls(&text), text, "{line}");
        }
    }

    #[test]
    fn splits_a_calls_arguments_as_cmd_does() {
        assert_eq!(
            call_arguments(" a,b;c=\"d e\"  f"),
            vec!["a", "b", "c", "d e", "f"]
        );
        assert!(leaves_subroutine("  goto :EOF"));
        assert!(leaves_subroutine("exit /b 1"));
        assert!(!leaves_subroutine("if errorlevel 1 exit /b 1"));
        assert!(labels(":Push rest", "push"));
        assert!(!labels("::push", "push"));
    }
}
