//! Whole-line `#` comments of Perl, Ruby, Python and PHP code, blanked
//! before the code is read: a comment's apostrophe (`# Upload Payroll's
//! export`) would otherwise open a string literal that swallows the code
//! after it.

/// Languages whose line comments start with `#`.
const HASH_COMMENT_PROGRAMS: &[&str] = &["perl", "ruby", "php"];

/// `code` with each line that is a `#` comment (the shebang too) made
/// empty, line breaks kept; `None` when there is none or the language's
/// comments are not `#` ones.
pub(super) fn blanked(code: &str, program: &str) -> Option<String> {
    let name = program.rsplit('/').next().unwrap_or(program);
    if !(HASH_COMMENT_PROGRAMS.contains(&name) || name.starts_with("python")) {
        return None;
    }
    let is_comment = |line: &str| line.trim_start().starts_with('#');
    if !code.contains('\n') || !code.lines().any(is_comment) {
        return None;
    }
    let kept: Vec<&str> = code
        .split('\n')
        .map(|line| if is_comment(line) { "" } else { line })
        .collect();
    Some(kept.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_lines_are_emptied() {
        assert_eq!(
            blanked(
                "#!/usr/bin/env perl\n# Payroll's drop\nmy $f = 'x';\n",
                "perl"
            )
            .as_deref(),
            Some("\n\nmy $f = 'x';\n")
        );
        // One line of code, other languages' comments: left alone.
        assert_eq!(blanked("# a\nx = 1", "node"), None);
        assert_eq!(blanked("print 1 # it's", "perl"), None);
    }
}
