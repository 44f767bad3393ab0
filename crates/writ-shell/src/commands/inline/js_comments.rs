//! Whole-line `//` comments of JavaScript and TypeScript code (and a
//! script's `#!` line), blanked before the code is read, as
//! [`super::comments`] blanks `#` ones: a comment's apostrophe (`//
//! Amount is in cents (Stripe's smallest unit)`) would otherwise open a
//! string literal that swallows the code after it, and with it the
//! script's reads of its own arguments.

/// Programs that run JavaScript or TypeScript.
const JS_PROGRAMS: &[&str] = &["node", "nodejs", "deno", "bun", "tsx", "ts-node", "esno"];

/// `code` with each line that is a `//` comment, and a first `#!` line,
/// made empty, line breaks kept; `None` when there is none or the code is
/// not JavaScript's.
pub(super) fn blanked(code: &str, program: &str) -> Option<String> {
    let name = program.rsplit('/').next().unwrap_or(program);
    if !JS_PROGRAMS.contains(&name) || !code.contains('\n') {
        return None;
    }
    let mut changed = false;
    let kept: Vec<&str> = code
        .split('\n')
        .enumerate()
        .map(|(index, line)| {
            let trimmed = line.trim_start();
            let comment = trimmed.starts_with("//") || (index == 0 && trimmed.starts_with("#!"));
            changed |= comment;
            if comment { "" } else { line }
        })
        .collect();
    changed.then(|| kept.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_lines_are_emptied() {
        assert_eq!(
            blanked(
                "#!/usr/bin/env node\n// Stripe's unit\nconst a = 'x'; // it's\n",
                "node"
            )
            .as_deref(),
            Some("\n\nconst a = 'x'; // it's\n")
        );
        assert_eq!(blanked("// a\nx = 1", "python3"), None);
        assert_eq!(blanked("const a = 1;\n", "node"), None);
    }
}
