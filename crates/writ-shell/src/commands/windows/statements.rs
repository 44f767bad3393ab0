//! cmd's own statements that the rewrite into shell text reads for what
//! they do, and the ways a line starts that only cmd's lines do.
//!
//! - `set NAME=VALUE` (or `set "NAME=VALUE"`) assigns NAME, so a later
//!   `%NAME%` is what was assigned; `set /p NAME=[PROMPT]` reads a line of
//!   standard input into NAME (`set /p K=<k.txt`: the file's first line),
//!   as bash's `read` does.
//! - `pushd \\HOST\SHARE\DIR` maps a drive to the share (the first free
//!   letter from `Z:` down) and makes `DIR` on it the working directory,
//!   so what the commands after it write there is written on HOST; its
//!   `popd` removes the drive again. Read as the share mounted at the
//!   drive's directory (`/z`), as `mount -t cifs` would, and `pushd` into
//!   it; `popd` then unmounts it.

use super::{Piece, Token, push_word};
use crate::paths;

/// The drives the rewrite's `pushd`s mapped: one entry per `pushd` still
/// on the stack (`None`: a local directory, no drive mapped), and every
/// letter the line has mapped.
#[derive(Debug, Default)]
pub(super) struct Pushed {
    stack: Vec<Option<char>>,
    taken: Vec<char>,
}

impl Pushed {
    /// The next free letter: `Z:` down. A letter a `popd` freed is not
    /// used again on the line, so each share keeps its own directory.
    fn next_letter(&self) -> Option<char> {
        ('d'..='z')
            .rev()
            .find(|letter| !self.taken.contains(letter))
    }

    fn push(&mut self, letter: Option<char>) {
        self.stack.push(letter);
        self.taken.extend(letter);
    }
}

/// The shell text for the cmd statement `name` (lower case) whose words
/// start at `at`, and where the rest of the line resumes; `None` when the
/// statement is read as any other command.
pub(super) fn rewrite(
    name: &str,
    tokens: &[Token],
    at: usize,
    pushed: &mut Pushed,
) -> Option<(String, usize)> {
    match name {
        "set" => set(tokens, at),
        "pushd" => pushd(tokens, at, pushed),
        "popd" => Some((popd(pushed), at)),
        _ => None,
    }
}

/// The words from `at` up to the next operator or redirection.
fn words(tokens: &[Token], at: usize) -> (Vec<&Vec<Piece>>, usize) {
    let mut words = Vec::new();
    let mut end = at;
    while let Some(Token::Word(pieces)) = tokens.get(end) {
        words.push(pieces);
        end += 1;
    }
    (words, end)
}

/// A name bash can assign: a letter or `_`, then letters, digits or `_`.
fn assignable(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `set NAME=VALUE`, `set "NAME=VALUE"`, `set /p NAME=[PROMPT]`. `set
/// /a` (arithmetic) and `set [PREFIX]` (which prints variables) are left
/// as they are.
fn set(tokens: &[Token], at: usize) -> Option<(String, usize)> {
    let (words, end) = words(tokens, at);
    let (first, rest) = words.split_first()?;
    let first_text = Token::Word((*first).clone()).text();
    if first_text.eq_ignore_ascii_case("/p") {
        // `set /p NAME=PROMPT`: the prompt is printed, a line is read.
        let assignment = rest.first()?;
        let Some(Piece::Text(text)) = assignment.first() else {
            return None;
        };
        let (name, _) = text.split_once('=')?;
        if !assignable(name) {
            return None;
        }
        return Some((format!("read -r {name}"), end));
    }
    let Some(Piece::Text(text)) = first.first() else {
        return None;
    };
    let (name, value) = text.split_once('=')?;
    if !assignable(name) {
        return None;
    }
    // The value is the rest of the statement, words joined by blanks.
    let mut pieces: Vec<Piece> = Vec::new();
    if !value.is_empty() {
        pieces.push(Piece::Text(value.to_owned()));
    }
    pieces.extend(first.iter().skip(1).cloned());
    for word in rest {
        pieces.push(Piece::Text(" ".to_owned()));
        pieces.extend(word.iter().cloned());
    }
    let mut out = format!("{name}=");
    push_word(&mut out, &pieces);
    Some((out, end))
}

/// `pushd \\HOST\SHARE[\DIR]`: the share mounted at the next free drive,
/// and `pushd` into DIR there. Any other `pushd` is the shell's.
fn pushd(tokens: &[Token], at: usize, pushed: &mut Pushed) -> Option<(String, usize)> {
    let Some(Token::Word(pieces)) = tokens.get(at) else {
        pushed.push(None);
        return None;
    };
    let text = Token::Word(pieces.clone()).text();
    let unc = text.starts_with("\\\\") || text.starts_with("//");
    let letter = pushed.next_letter();
    let (true, Some(_), Some(letter)) = (unc, paths::file_share(&text), letter) else {
        pushed.push(None);
        return None;
    };
    let slashed = text.replace('\\', "/");
    let mut parts = slashed.trim_start_matches('/').splitn(3, '/');
    let host = parts.next().unwrap_or_default();
    let share = parts.next().unwrap_or_default();
    let below = parts.next().unwrap_or_default().trim_matches('/');
    pushed.push(Some(letter));
    let mut out = String::from("mount -t cifs ");
    push_word(&mut out, &[Piece::Text(format!("//{host}/{share}"))]);
    out.push_str(&format!(" '/{letter}' && pushd "));
    let directory = if below.is_empty() {
        format!("/{letter}")
    } else {
        format!("/{letter}/{below}")
    };
    push_word(&mut out, &[Piece::Text(directory)]);
    Some((out, at + 1))
}

/// `popd`: back to the directory before the last `pushd`. The drive that
/// `pushd` mapped is removed then, but the mount is kept: what the line
/// wrote on the drive was written on the share, which is judged from the
/// mounts the line leaves noted.
fn popd(pushed: &mut Pushed) -> String {
    pushed.stack.pop();
    "popd".to_owned()
}

/// Whether a line starts as only cmd's lines do: `cd /d DIR` (and
/// `chdir /d`), `pushd \\HOST\SHARE`, an `if` whose condition is cmd's
/// (`if [/i] [not] exist|defined|errorlevel ...`, on a line with a `\`
/// path), `set NAME=VALUE`, `set /p` or `set /a`,
/// `setlocal`, or `call` of a label or a batch file.
pub(super) fn starts_as_cmd(line: &str) -> bool {
    let line = line.trim_start().trim_start_matches('@');
    let mut words = line.split_whitespace();
    let (Some(first), second) = (words.next(), words.next()) else {
        return false;
    };
    let second = second.unwrap_or_default().to_ascii_lowercase();
    match first.to_ascii_lowercase().as_str() {
        "cd" | "chdir" => second == "/d",
        "pushd" => second.starts_with("\\\\"),
        // Only with a Windows path: a line bash cannot parse that starts
        // with a Windows program is otherwise read as PowerShell, which
        // has no such `if`; left to bash, it is refused as unparsed.
        "if" => {
            line.contains('\\')
                && matches!(
                    second.as_str(),
                    "/i" | "not" | "exist" | "defined" | "errorlevel" | "cmdextversion"
                )
        }
        // `set NAME=VALUE` would only set bash's `$1`.
        "set" => {
            matches!(second.as_str(), "/p" | "/a")
                || second
                    .trim_start_matches('"')
                    .split_once('=')
                    .is_some_and(|(name, _)| assignable(name))
        }
        "setlocal" => true,
        "call" => second.starts_with(':') || second.ends_with(".bat") || second.ends_with(".cmd"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_cmd_lines() {
        assert!(starts_as_cmd("cd /d infra\\dev && terraform plan"));
        assert!(starts_as_cmd("pushd \\\\nas\\drop && copy a b"));
        assert!(starts_as_cmd("if exist x\\y del x\\y"));
        assert!(starts_as_cmd("if /i \"%A%\"==\"y\" copy a b\\c"));
        assert!(starts_as_cmd("set /p K=<k.txt"));
        assert!(starts_as_cmd("call :build"));
        assert!(!starts_as_cmd("cd infra/dev && make"));
        assert!(!starts_as_cmd("if [ -f x ]; then rm x; fi"));
        assert!(!starts_as_cmd("if exist build rd /s /q build"));
        assert!(!starts_as_cmd("pushd build"));
        assert!(starts_as_cmd("set \"DEST=\\\\nas\\drop\" && copy a %DEST%"));
        assert!(!starts_as_cmd("set -e"));
        assert!(!starts_as_cmd("set -- a=b"));
        assert!(!starts_as_cmd("call"));
    }

    #[test]
    fn letters_go_down_from_z() {
        let mut pushed = Pushed::default();
        assert_eq!(pushed.next_letter(), Some('z'));
        pushed.push(Some('z'));
        pushed.push(None);
        assert_eq!(pushed.next_letter(), Some('y'));
        assert_eq!(popd(&mut pushed), "popd");
        assert_eq!(popd(&mut pushed), "popd");
        assert_eq!(pushed.next_letter(), Some('y'));
    }
}
