//! Statements that go on past a line's end. A line break ends a
//! PowerShell statement unless the statement cannot end there: a pipeline
//! whose line ends with `|` (or the chain operators `||`, `&&`) goes on
//! with the next line's command, and so does one whose next line starts
//! with `|` (PowerShell 7's leading pipe):
//!
//! ```powershell
//! $urls = Select-String -Path ./docs/*.md -Pattern 'https://\S+' |
//!     ForEach-Object { $_.Matches.Value }
//! Get-ChildItem ./logs
//!     | Remove-Item
//! ```
//!
//! The statement pass ([`super::statements`]) and the rewrite into shell
//! text ([`super::to_bash`]) read such a line break as a blank, so the
//! assignment holds the whole pipeline's value and the loop's list is
//! what the pipeline gives. (A backtick before the line break, `` ` ``,
//! joins lines anywhere; both already read it as an escape.)

/// Whether the line break between `before` (the statement's text so far)
/// and `after` (the text after the line break) goes on with the same
/// statement: `before` ends with a pipe or a chain operator, or the next
/// line starts with a pipe.
pub(super) fn line_continues(before: &str, after: &str) -> bool {
    let ended = before.trim_end_matches([' ', '\t', '\r']);
    if ended.ends_with('|') || ended.ends_with("&&") {
        return true;
    }
    let next = after.trim_start_matches([' ', '\t']);
    next.starts_with('|') && !next.starts_with("||")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipes_and_chains_go_on_past_the_line() {
        assert!(line_continues(
            "$u = Get-Content x |",
            "    ForEach-Object { $_ }"
        ));
        assert!(line_continues("dotnet build &&\r", "dotnet test"));
        assert!(line_continues("Get-ChildItem ./logs", "    | Remove-Item"));
        assert!(!line_continues("Get-ChildItem ./logs", "Remove-Item x"));
        assert!(!line_continues("$a = 1", "|| echo no"));
    }
}
