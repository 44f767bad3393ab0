//! Whole-line `//` comments of JavaScript and TypeScript code, `/* */`
//! blocks that start a line, and a script's `#!` line, blanked before
//! the code is read, as
//! [`super::comments`] blanks `#` ones: a comment's apostrophe (`//
//! Amount is in cents (Stripe's smallest unit)`) would otherwise open a
//! string literal that swallows the code after it, and with it the
//! script's reads of its own arguments.

/// Programs that run JavaScript or TypeScript.
const JS_PROGRAMS: &[&str] = &["node", "nodejs", "deno", "bun", "tsx", "ts-node", "esno"];

/// `code` with each line that is a `//` comment, each `/* ... */` block
/// that starts a line (up to its `*/`; code after that on the line is
/// kept), and a first `#!` line, made empty, line breaks kept; `None` when
/// there is none or the code is not JavaScript's.
pub(super) fn blanked(code: &str, program: &str) -> Option<String> {
    let name = program.rsplit('/').next().unwrap_or(program);
    if !JS_PROGRAMS.contains(&name) || !code.contains('\n') {
        return None;
    }
    let mut changed = false;
    let mut in_block = false;
    let mut kept: Vec<&str> = Vec::new();
    for (index, line) in code.split('\n').enumerate() {
        let trimmed = line.trim_start();
        if !in_block && trimmed.starts_with("/*") {
            in_block = true;
        }
        if in_block {
            changed = true;
            // The block's end: the line goes on with what follows `*/`.
            let opened = line.len() - trimmed.len();
            match line.get(opened + 2..).and_then(|rest| rest.find("*/")) {
                Some(at) => {
                    in_block = false;
                    kept.push(line.get(opened + 2 + at + 2..).unwrap_or_default());
                }
                None if index > 0 && !trimmed.starts_with("/*") => {
                    // Inside the block: a later line may close it.
                    match line.find("*/") {
                        Some(at) => {
                            in_block = false;
                            kept.push(line.get(at + 2..).unwrap_or_default());
                        }
                        None => kept.push(""),
                    }
                }
                None => kept.push(""),
            }
            continue;
        }
        let comment = trimmed.starts_with("//") || (index == 0 && trimmed.starts_with("#!"));
        changed |= comment;
        kept.push(if comment { "" } else { line });
    }
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
        // A block that starts a line, to its end; code after it is kept.
        assert_eq!(
            blanked(
                "/**\n * Bucket's name.\n */\nconst b = 'x';\n  /* it's */ upload(b);\n",
                "node"
            )
            .as_deref(),
            Some("\n\n\nconst b = 'x';\n upload(b);\n")
        );
        // A `/*` inside a string is no comment: the line does not start one.
        assert_eq!(blanked("const g = 'src/**/*.js';\nrun(g);\n", "node"), None);
        assert_eq!(blanked("const a = 1;\n", "node"), None);
    }
}
