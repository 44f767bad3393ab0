//! A command substitution that prints files whose text is known (`$(cat
//! F)`, `` `cat F` ``, bash's `$(< F)`): its value is that text, so `sh -c
//! "$(cat deploy.sh)"` or `eval "$(cat env.sh)"` runs the script an
//! earlier step wrote (or showed whole) as `bash deploy.sh` would. Only a
//! bare `cat` of known words: an option that changes the output (`-n`,
//! `-A`), standard input or a file whose text is not known leaves the
//! substitution's value unknown.

use super::{Analyzer, Scope};
use crate::paths;

/// `cat` options that print the files as they are (`-u`, unbuffered).
const PLAIN_OPTIONS: &[&str] = &["-u"];

impl Analyzer<'_> {
    /// What the substitution `inner` prints, without the trailing newlines
    /// the shell strips, when it is `cat` of files whose text is known.
    pub(super) fn printed_file_text(&mut self, inner: &str, scope: &Scope) -> Option<String> {
        if self.contents.is_empty() {
            return None;
        }
        let (name, words) = self.simple_words(&cat_text(inner)?)?;
        if name != "cat" {
            return None;
        }
        let mut operands = Vec::new();
        let mut options_end = false;
        for word in &words {
            let text = word.as_str();
            if !options_end && text == "--" {
                options_end = true;
            } else if !options_end && text.starts_with('-') && text != "-" {
                if !PLAIN_OPTIONS.contains(&text) {
                    return None;
                }
            } else {
                operands.push(text);
            }
        }
        if operands.is_empty() {
            return None;
        }
        let mut printed = String::new();
        for operand in operands {
            let operand = self.expand(operand, scope);
            if operand.dynamic || operand.text == "-" {
                return None;
            }
            let path = paths::resolve(&scope.cwd, self.home, &operand.text);
            printed.push_str(&self.script_text(&path)?);
        }
        Some(printed.trim_end_matches('\n').to_owned())
    }
}

/// The substitution as a `cat` command: bash's `$(< F)` is `$(cat F)`;
/// `None` for one that cannot be a bare `cat`.
pub(super) fn cat_text(inner: &str) -> Option<String> {
    let trimmed = inner.trim();
    match trimmed.strip_prefix('<') {
        Some(file) if !file.starts_with(['<', '(', '&']) && !file.trim().is_empty() => {
            Some(format!("cat {}", file.trim()))
        }
        Some(_) => None,
        None => {
            let rest = trimmed.strip_prefix("cat")?;
            rest.starts_with([' ', '\t']).then(|| trimmed.to_owned())
        }
    }
}
