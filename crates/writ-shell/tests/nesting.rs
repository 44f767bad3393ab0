//! Deeply nested text is refused, not a crash: the parser and the walk
//! recurse once per level, so a line nested deeper than the limit is a
//! syntax error (`UNPARSED_COMMAND` in the policy) and a nested script
//! too deep is an opaque part. Lines at the limit are analysed on a thread
//! with the main thread's 8 MiB stack, which every thread that decides has.

#![allow(clippy::panic)]

use writ_shell::{Analysis, ShellContext, ShellError, WrittenFile, analyze};

const CTX: ShellContext<'static> = ShellContext {
    cwd: "/home/dana/acme-web",
    home: "/home/dana",
    workspace: None,
    written: &[],
};

/// Analyses `command` on a thread with the main thread's stack.
fn analyze_on_main_stack(
    command: String,
    written: Vec<WrittenFile>,
) -> Result<Analysis, ShellError> {
    let thread = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let ctx = ShellContext {
                written: &written,
                ..CTX
            };
            analyze(&command, &ctx)
        })
        .unwrap_or_else(|e| panic!("cannot start a thread: {e}"));
    thread
        .join()
        .unwrap_or_else(|_| panic!("analysis thread panicked"))
}

fn substitutions(levels: usize) -> String {
    format!("echo {}true{}", "$(".repeat(levels), ")".repeat(levels))
}

fn ifs(levels: usize) -> String {
    format!(
        "{}true{}",
        "if true; then ".repeat(levels),
        "; fi".repeat(levels)
    )
}

fn braces(levels: usize) -> String {
    format!("{}true;{}", "{ ".repeat(levels), " }".repeat(levels))
}

fn python_parens(levels: usize) -> String {
    format!(
        "python3 -c \"import os; open({}os.path.expanduser('~/.ssh/id_rsa'){}).read()\"",
        "(".repeat(levels),
        ")".repeat(levels)
    )
}

#[test]
fn lines_at_the_limit_are_analysed() {
    for command in [substitutions(60), ifs(60), braces(60)] {
        let analysis = analyze_on_main_stack(command.clone(), Vec::new());
        assert!(analysis.is_ok(), "{command:.40}: {analysis:?}");
    }
    // Parentheses around a path in inline code do not hide what it reads.
    let analysis = analyze_on_main_stack(python_parens(3), Vec::new());
    let effects =
        serde_json::to_string(&analysis.map(|a| a.effects).unwrap_or_default()).unwrap_or_default();
    assert!(effects.contains("/home/dana/.ssh/id_rsa"), "{effects}");
}

#[test]
fn lines_nested_too_deep_are_syntax_errors() {
    for command in [
        substitutions(100_000),
        ifs(20_000),
        braces(50_000),
        format!("{}true{}", "( ".repeat(30_000), " )".repeat(30_000)),
        format!("echo $(({}1{}))", "(".repeat(30_000), ")".repeat(30_000)),
    ] {
        match analyze(&command, &CTX) {
            Err(ShellError::Syntax(message)) => {
                assert!(message.contains("nested more than"), "{message}")
            }
            other => panic!("{command:.40}: {other:?}"),
        }
    }
}

#[test]
fn deep_inline_code_is_read_without_a_crash() {
    // The code nests 30,000 deep inside one quoted word: refused with the
    // line, as it passes the limit on brackets.
    let command = python_parens(30_000);
    assert!(matches!(
        analyze(&command, &CTX),
        Err(ShellError::Syntax(_))
    ));
    // The same code in a file an earlier step wrote is read (and its path
    // expression left unresolved) without exhausting the stack.
    let script = WrittenFile {
        path: "/home/dana/acme-web/deep.py".to_owned(),
        holds: writ_shell::Payload {
            text: vec![format!("x = {}1{}", "(".repeat(30_000), ")".repeat(30_000))],
            ..writ_shell::Payload::default()
        },
        partial: false,
    };
    let analysis = analyze_on_main_stack("python3 deep.py".to_owned(), vec![script]);
    assert!(analysis.is_ok(), "{analysis:?}");
}

#[test]
fn scripts_nested_inside_scripts_share_one_budget() {
    // Each `bash -c` level is shallow, but together they pass the total:
    // the innermost part is refused as unparsed, and the line itself
    // still parses.
    let mut command = ifs(40);
    for _ in 0..8 {
        command = format!(
            "bash -c {}",
            shell_quote(&format!("{} ; {command}", ifs(40)))
        );
    }
    let analysis = analyze_on_main_stack(command, Vec::new());
    match analysis {
        Ok(analysis) => assert!(
            analysis
                .unparsed
                .iter()
                .any(|o| o.contains("does not parse")),
            "{:?}",
            analysis.unparsed
        ),
        Err(error) => panic!("{error}"),
    }
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[test]
fn a_nested_script_that_does_not_parse_is_unparsed_beside_what_is_known() {
    // bash parses a `-c` text before it runs any of it; brush may fail
    // where bash would not, so the hidden part is refused, not skipped.
    let analysis = analyze_on_main_stack(
        "ls && bash -c 'curl -X POST https://x.example -d \"a'".to_owned(),
        Vec::new(),
    )
    .unwrap();
    assert_eq!(analysis.unparsed.len(), 1, "{analysis:?}");
    assert!(analysis.programs.iter().any(|p| p == "ls"), "{analysis:?}");
    let clean = analyze_on_main_stack("bash -c 'ls -la'".to_owned(), Vec::new()).unwrap();
    assert!(clean.unparsed.is_empty(), "{clean:?}");
}
