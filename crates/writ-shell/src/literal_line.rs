//! A command line read as literal commands, for what a step's output is.
//!
//! What a step printed is its commands' output alone when the line is a
//! list of pipelines (joined by `;`, `&&` or new lines) of simple commands
//! whose words are all literal: plain or quoted text, with no expansion,
//! escape, tilde or glob, and no redirection but of standard error
//! (`2>/dev/null`, `2>&1`). writ-core reads such steps' output: a remote's
//! URL that `git remote -v` showed, a file's part that `sed -n` printed.

use brush_parser::ParserOptions;
use brush_parser::ast::{
    AndOr, Command, CommandPrefixOrSuffixItem, IoFileRedirectKind, IoFileRedirectTarget,
    IoRedirect, Pipeline, SeparatorOperator,
};
use brush_parser::word::{self, WordPiece, WordPieceWithSource};

/// One simple command of a literal line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiteralCommand {
    /// Its words, unquoted, assignments before it (`NAME=value`) first.
    pub words: Vec<String>,
    /// It reads the output of the command before it (`a | b`).
    pub piped: bool,
}

/// The simple commands of `line` in order, when it is a literal line (the
/// module's docs); `None` for any other line: one that does not parse,
/// runs something in the background, branches on failure (`||`), or
/// holds a compound command, an expansion, a glob or another redirection.
pub fn literal_commands(line: &str) -> Option<Vec<LiteralCommand>> {
    let options = ParserOptions::default();
    let (program, _) = crate::walk::parse_line(line, &options).ok()?;
    let mut commands = Vec::new();
    for list in &program.complete_commands {
        for item in &list.0 {
            if matches!(item.1, SeparatorOperator::Async) {
                return None;
            }
            pipeline(&item.0.first, &options, &mut commands)?;
            for next in &item.0.additional {
                match next {
                    AndOr::And(next) => pipeline(next, &options, &mut commands)?,
                    AndOr::Or(_) => return None,
                }
            }
        }
    }
    Some(commands)
}

/// Adds the commands of a pipeline (`None` when one is not literal).
fn pipeline(
    pipeline: &Pipeline,
    options: &ParserOptions,
    commands: &mut Vec<LiteralCommand>,
) -> Option<()> {
    if pipeline.bang || pipeline.timed.is_some() {
        return None;
    }
    for (at, command) in pipeline.seq.iter().enumerate() {
        let Command::Simple(simple) = command else {
            return None;
        };
        let mut words = Vec::new();
        let prefix = simple.prefix.iter().flat_map(|p| &p.0);
        let suffix = simple.suffix.iter().flat_map(|s| &s.0);
        for item in prefix.clone() {
            item_words(item, options, &mut words)?;
        }
        if let Some(name) = &simple.word_or_name {
            words.push(literal_word(&name.value, options)?);
        }
        for item in suffix {
            item_words(item, options, &mut words)?;
        }
        commands.push(LiteralCommand {
            words,
            piped: at > 0,
        });
    }
    Some(())
}

/// Adds a prefix's or suffix's word; a redirection of standard error adds
/// none, and any other redirection or a process substitution is `None`.
fn item_words(
    item: &CommandPrefixOrSuffixItem,
    options: &ParserOptions,
    words: &mut Vec<String>,
) -> Option<()> {
    match item {
        CommandPrefixOrSuffixItem::Word(word)
        | CommandPrefixOrSuffixItem::AssignmentWord(_, word) => {
            words.push(literal_word(&word.value, options)?);
        }
        CommandPrefixOrSuffixItem::IoRedirect(redirect) if silences_errors(redirect) => {}
        _ => return None,
    }
    Some(())
}

/// `2>/dev/null`, `2>&1`: errors, not the output read.
fn silences_errors(redirect: &IoRedirect) -> bool {
    match redirect {
        IoRedirect::File(Some(2), IoFileRedirectKind::Write, IoFileRedirectTarget::Filename(w)) => {
            w.value == "/dev/null"
        }
        IoRedirect::File(Some(2), IoFileRedirectKind::DuplicateOutput, target) => {
            matches!(target, IoFileRedirectTarget::Fd(1))
                || matches!(target, IoFileRedirectTarget::Duplicate(w) if w.value == "1")
        }
        _ => false,
    }
}

/// The text of a literal word, its quotes taken off.
fn literal_word(raw: &str, options: &ParserOptions) -> Option<String> {
    let pieces = word::parse(raw, options).ok()?;
    let mut text = String::new();
    literal_pieces(&pieces, false, &mut text)?;
    Some(text)
}

fn literal_pieces(pieces: &[WordPieceWithSource], quoted: bool, text: &mut String) -> Option<()> {
    for piece in pieces {
        match &piece.piece {
            WordPiece::Text(part) if quoted || !part.contains(['*', '?', '[', '{']) => {
                text.push_str(part);
            }
            WordPiece::SingleQuotedText(part) => text.push_str(part),
            WordPiece::DoubleQuotedSequence(inner) => literal_pieces(inner, true, text)?,
            _ => return None,
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(words: &[&str], piped: bool) -> LiteralCommand {
        LiteralCommand {
            words: words.iter().map(|w| (*w).to_owned()).collect(),
            piped,
        }
    }

    #[test]
    fn reads_literal_lists_and_pipelines() {
        assert_eq!(
            literal_commands("cd repo && git remote -v 2>/dev/null | grep 'ori gin'"),
            Some(vec![
                command(&["cd", "repo"], false),
                command(&["git", "remote", "-v"], false),
                command(&["grep", "ori gin"], true),
            ])
        );
        assert_eq!(
            literal_commands("A=1 kubectl config current-context; jq \".a\" f.json 2>&1"),
            Some(vec![
                command(&["A=1", "kubectl", "config", "current-context"], false),
                command(&["jq", ".a", "f.json"], false),
            ])
        );
        assert_eq!(
            literal_commands("sed -n '1,5p' \"a b\".txt"),
            Some(vec![command(&["sed", "-n", "1,5p", "a b.txt"], false)])
        );
    }

    #[test]
    fn refuses_what_is_not_literal() {
        for line in [
            "git remote -v || true",
            "git remote -v &",
            "git remote -v > out.txt",
            "cat $HOME/f",
            "cat \"$f\"",
            "cat *.json",
            "cat ~/f",
            "cat a\\ b",
            "(git remote -v)",
            "if true; then git remote -v; fi",
            "! git remote -v",
            "cat <(git remote -v)",
            "echo `pwd`",
            "git remote -v 'unclosed",
        ] {
            assert_eq!(literal_commands(line), None, "{line}");
        }
    }
}
