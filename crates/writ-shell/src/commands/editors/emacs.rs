//! emacs and emacsclient run from the command line. emacs processes its
//! arguments in order: a file (or `--visit FILE`) is visited and becomes
//! the current buffer, `--eval EXPR` evaluates Lisp, `-f FUNC` calls a
//! function (`-f save-buffer` writes the buffer), `-l FILE` and `--script
//! FILE` load Lisp from a file, `--insert FILE` reads one, `--chdir DIR`
//! moves. `emacsclient -e EXPR...` evaluates each expression in the
//! server. The Lisp is read for the calls whose arguments are literal
//! (`(shell-command "cmd")`, `(call-process "prog" nil nil nil "arg")`,
//! `(delete-directory "dir" t)`, `(write-region ... "file")`, ...).

use super::elisp::{Sexp, read_all};
use super::{Action, Editor, Language, quote_words};
use crate::commands::sql::Lookup;
use crate::commands::{Invocation, Outcome};

/// The run of emacs or emacsclient, and whether it read the text of a
/// file written earlier.
pub(super) fn run(inv: &Invocation<'_>, lookup: Option<&Lookup<'_>>) -> Option<(Outcome, bool)> {
    let mut editor = Editor::new(inv, Language::Emacs, lookup);
    match inv.program {
        "emacs" | "emacs-nox" | "emacs-gtk" | "emacs-lucid" | "xemacs" => emacs(&mut editor),
        "emacsclient" => emacsclient(&mut editor),
        _ => return None,
    }
    Some((editor.outcome, editor.used_written))
}

/// The actions of Lisp code (a file emacs loads).
pub(super) fn lisp(code: &str) -> Vec<Action> {
    let mut actions = Vec::new();
    for form in read_all(code) {
        walk(&form, &mut actions);
    }
    actions
}

/// emacs's options that take a value (`-x V`, `--x V` or `--x=V`) and do
/// nothing writ follows.
const VALUE_OPTIONS: &[&str] = &[
    "-L",
    "--directory",
    "-directory",
    "--init-directory",
    "-t",
    "--terminal",
    "-d",
    "--display",
    "-display",
    "-u",
    "--user",
    "-user",
    "--dump-file",
    "--seccomp",
    "-bg",
    "--background-color",
    "-fg",
    "--foreground-color",
    "-fn",
    "--font",
    "-g",
    "--geometry",
    "--name",
    "-name",
    "-T",
    "--title",
    "-title",
    "-bd",
    "--border-color",
    "-bw",
    "--border-width",
    "-cr",
    "--cursor-color",
    "-ms",
    "--mouse-color",
    "-ib",
    "--internal-border",
    "-lsp",
    "--line-spacing",
    "-xrm",
    "--xrm",
    "--color",
    "--parent-id",
];

/// An option's name and its value attached with `=` (`--eval=EXPR`).
fn split_value(word: &str) -> (&str, Option<&str>) {
    match word.split_once('=') {
        Some((name, value)) if name.starts_with('-') => (name, Some(value)),
        _ => (word, None),
    }
}

fn emacs(editor: &mut Editor<'_, '_>) {
    let inv = editor.inv;
    let mut words = inv.args.iter().map(|a| a.text.as_str());
    let mut only_files = false;
    while let Some(word) = words.next() {
        if only_files || !word.starts_with('-') {
            // `+LINE[:COL]` places the cursor in the next file.
            if only_files || !word.starts_with('+') {
                editor.visit(word);
            }
            continue;
        }
        if word == "--" {
            only_files = true;
            continue;
        }
        let (name, attached) = split_value(word);
        let mut value = || {
            attached
                .map(str::to_owned)
                .or_else(|| words.next().map(str::to_owned))
        };
        let keep_going = match name {
            "--eval" | "-eval" | "--execute" | "-execute" => {
                value().is_none_or(|code| evaluate(editor, &code))
            }
            "-f" | "--funcall" | "-funcall" => value().is_none_or(|f| funcall(editor, &f)),
            "-l" | "--load" | "-load" | "--script" | "-script" => {
                value().is_none_or(|file| editor.apply(Action::Source(file)))
            }
            "--visit" | "-visit" | "--file" | "-file" | "--find-file" | "-find-file" => {
                if let Some(file) = value() {
                    editor.visit(&file);
                }
                true
            }
            "--insert" | "-insert" => value().is_none_or(|file| editor.apply(Action::Read(file))),
            "--chdir" | "-chdir" => value().is_none_or(|dir| editor.apply(Action::Chdir(dir))),
            "-kill" | "--kill" => false,
            _ => {
                if VALUE_OPTIONS.contains(&name) && attached.is_none() {
                    words.next();
                }
                true
            }
        };
        if !keep_going {
            break;
        }
    }
}

/// emacsclient's options that take a value.
const CLIENT_VALUE_OPTIONS: &[&str] = &[
    "-s",
    "--socket-name",
    "-f",
    "--server-file",
    "-a",
    "--alternate-editor",
    "-d",
    "--display",
    "-T",
    "--tramp",
    "-F",
    "--frame-parameters",
    "-w",
    "--timeout",
    "--parent-id",
];

/// `emacsclient [OPTIONS] FILE...`, or `-e EXPR...`: each operand an
/// expression the server evaluates.
fn emacsclient(editor: &mut Editor<'_, '_>) {
    let inv = editor.inv;
    let mut operands = Vec::new();
    let mut evaluates = false;
    let mut words = inv.args.iter().map(|a| a.text.as_str());
    while let Some(word) = words.next() {
        let (name, attached) = split_value(word);
        match name {
            "-e" | "--eval" => evaluates = true,
            _ if CLIENT_VALUE_OPTIONS.contains(&name) => {
                if attached.is_none() {
                    words.next();
                }
            }
            _ if word.starts_with('-') => {}
            _ => operands.push(word),
        }
    }
    for operand in operands {
        if evaluates {
            if !evaluate(editor, operand) {
                break;
            }
        } else if !operand.starts_with('+') {
            editor.visit(operand);
        }
    }
}

/// `-f FUNC`: a command called with no arguments.
fn funcall(editor: &mut Editor<'_, '_>, function: &str) -> bool {
    let call = Sexp::List(vec![Sexp::Atom(function.to_owned())]);
    let mut actions = Vec::new();
    walk(&call, &mut actions);
    editor.run(actions)
}

/// Evaluates Lisp text; false when it leaves emacs.
fn evaluate(editor: &mut Editor<'_, '_>, code: &str) -> bool {
    editor.run(lisp(code))
}

/// The actions of a form and the forms inside it, in the order written.
fn walk(form: &Sexp, actions: &mut Vec<Action>) {
    match form {
        Sexp::List(items) => {
            if let Some((Sexp::Atom(head), arguments)) = items.split_first() {
                call(head, arguments, actions);
            }
            for item in items {
                walk(item, actions);
            }
        }
        Sexp::Vector(items) => items.iter().for_each(|item| walk(item, actions)),
        Sexp::Quoted(inner) => walk(inner, actions),
        Sexp::Str(_) | Sexp::Atom(_) => {}
    }
}

/// What a call to `head` does with its literal arguments.
fn call(head: &str, arguments: &[Sexp], actions: &mut Vec<Action>) {
    let arg = |index: usize| arguments.get(index).and_then(text);
    match head {
        "shell-command"
        | "async-shell-command"
        | "shell-command-to-string"
        | "compile"
        | "eshell-command" => {
            if let Some(command) = arg(0) {
                actions.push(shell(command, false));
            }
        }
        "call-process-shell-command" | "process-file-shell-command" => {
            if let Some(command) = arg(0) {
                let extra: Vec<String> = arguments.iter().skip(4).filter_map(text).collect();
                let line = [command]
                    .into_iter()
                    .chain(extra)
                    .collect::<Vec<_>>()
                    .join(" ");
                actions.push(shell(
                    redirected(line, arguments.get(1), arguments.get(2)),
                    false,
                ));
            }
        }
        "start-process-shell-command" | "start-file-process-shell-command" => {
            if let Some(command) = arg(2) {
                actions.push(shell(command, false));
            }
        }
        "shell-command-on-region" => {
            if let Some(command) = arg(2) {
                actions.push(shell(command, true));
            }
        }
        "call-process" | "process-file" => {
            process(
                arguments.first(),
                arguments.get(4..),
                arguments.get(1),
                arguments.get(2),
                actions,
            );
        }
        "call-process-region" => {
            if let Some(words) = program_words(arguments.get(2), arguments.get(6..)) {
                // The region (the buffer) is its input, unless START is a string.
                let input = !matches!(arguments.first(), Some(Sexp::Str(_)));
                actions.push(shell(quote_words(&words), input));
            }
        }
        "start-process" | "start-file-process" => {
            process(arguments.get(2), arguments.get(3..), None, None, actions);
        }
        "process-lines" | "process-lines-ignore-status" => {
            process(arguments.first(), arguments.get(1..), None, None, actions);
        }
        "make-process" => {
            if let Some(words) = keyword(arguments, ":command").and_then(word_list) {
                actions.push(Action::Argv(words));
            }
        }
        "delete-file" | "move-file-to-trash" => {
            if let Some(path) = arg(0) {
                actions.push(Action::Delete {
                    path,
                    recursive: false,
                });
            }
        }
        "delete-directory" => {
            if let Some(path) = arg(0) {
                let recursive = arguments.get(1).is_some_and(|flag| !is_nil(flag));
                actions.push(Action::Delete { path, recursive });
            }
        }
        "write-region" => write_region(arguments, actions),
        "append-to-file" => {
            if let Some(path) = arg(2) {
                actions.push(Action::Write {
                    path: Some(path),
                    append: true,
                });
            }
        }
        "write-file" | "set-visited-file-name" => {
            if let Some(path) = arg(0) {
                if head == "write-file" {
                    actions.push(Action::Write {
                        path: Some(path.clone()),
                        append: false,
                    });
                }
                actions.push(Action::Rename(path));
            }
        }
        "with-temp-file" => {
            if let Some(path) = arg(0) {
                actions.push(Action::Write {
                    path: Some(path),
                    append: false,
                });
            }
        }
        "save-buffer" | "basic-save-buffer" | "save-some-buffers" => actions.push(Action::Write {
            path: None,
            append: false,
        }),
        "copy-file" | "copy-directory" | "rename-file" | "make-symbolic-link"
        | "add-name-to-file" => {
            if let (Some(from), Some(to)) = (arg(0), arg(1)) {
                actions.push(Action::Copy {
                    from: from.clone(),
                    to,
                });
                if head == "rename-file" {
                    actions.push(Action::Delete {
                        path: from,
                        recursive: true,
                    });
                }
            }
        }
        "find-file"
        | "find-file-noselect"
        | "find-file-literally"
        | "find-file-read-only"
        | "find-file-other-window"
        | "view-file" => {
            if let Some(path) = arg(0) {
                actions.push(Action::Edit(Some(path)));
            }
        }
        "insert-file-contents" | "insert-file-contents-literally" | "insert-file" => {
            if let Some(path) = arg(0) {
                actions.push(Action::Read(path));
            }
        }
        "load" | "load-file" => {
            if let Some(path) = arg(0) {
                actions.push(Action::Source(path));
            }
        }
        "url-retrieve" | "url-retrieve-synchronously" => {
            if let Some(url) = arg(0) {
                actions.push(Action::Fetch { url, into: None });
            }
        }
        "url-copy-file" => {
            if let Some(url) = arg(0) {
                actions.push(Action::Fetch { url, into: arg(1) });
            }
        }
        "cd" => {
            if let Some(dir) = arg(0) {
                actions.push(Action::Chdir(dir));
            }
        }
        "setq" | "setq-default" => {
            // `(setq default-directory "DIR")`: where relative names resolve.
            for pair in arguments.chunks(2) {
                if let [Sexp::Atom(name), value] = pair
                    && name == "default-directory"
                    && let Some(dir) = text(value)
                {
                    actions.push(Action::Chdir(dir));
                }
            }
        }
        "kill-emacs" | "save-buffers-kill-emacs" => actions.push(Action::Quit),
        _ => {}
    }
}

fn shell(text: String, input: bool) -> Action {
    Action::Shell {
        text,
        input,
        expand: false,
    }
}

/// `(call-process PROGRAM INFILE DESTINATION DISPLAY ARGS...)` and its
/// kin: the words as a command, reading INFILE and writing `(:file F)`.
fn process(
    program: Option<&Sexp>,
    arguments: Option<&[Sexp]>,
    infile: Option<&Sexp>,
    destination: Option<&Sexp>,
    actions: &mut Vec<Action>,
) {
    let Some(words) = program_words(program, arguments) else {
        return;
    };
    let reads = infile.and_then(text);
    let writes = destination.and_then(output_file);
    if reads.is_none() && writes.is_none() {
        actions.push(Action::Argv(words));
        return;
    }
    actions.push(shell(
        redirected(quote_words(&words), infile, destination),
        false,
    ));
}

/// A program and its literal arguments (a list given whole too, as
/// `apply` passes it).
fn program_words(program: Option<&Sexp>, arguments: Option<&[Sexp]>) -> Option<Vec<String>> {
    let mut words = vec![text(program?)?];
    for argument in arguments.unwrap_or_default() {
        match text(argument) {
            Some(word) => words.push(word),
            None => words.extend(word_list(argument).unwrap_or_default()),
        }
    }
    Some(words)
}

/// A shell line with INFILE as its input and `(:file F)` as its output.
fn redirected(line: String, infile: Option<&Sexp>, destination: Option<&Sexp>) -> String {
    let mut line = line;
    if let Some(file) = infile.and_then(text) {
        line = format!("{line} < {}", quote_words(&[file]));
    }
    if let Some(file) = destination.and_then(output_file) {
        line = format!("{line} > {}", quote_words(&[file]));
    }
    line
}

/// A process's output file: `'(:file "F")` or `(list :file "F")`, the
/// first of a `(STDOUT STDERR)` pair.
fn output_file(destination: &Sexp) -> Option<String> {
    let items = match destination {
        Sexp::Quoted(inner) => match inner.as_ref() {
            Sexp::List(items) => items.as_slice(),
            _ => return None,
        },
        Sexp::List(items) if matches!(items.first(), Some(Sexp::Atom(a)) if a == "list") => {
            &items[1..]
        }
        _ => return None,
    };
    match items {
        [Sexp::Atom(key), file, ..] if key == ":file" => text(file),
        [first, ..] => output_file(first),
        [] => None,
    }
}

/// `(write-region START END FILE &optional APPEND ...)`: START a string
/// writes that text; APPEND non-nil appends (`'excl` only refuses an
/// existing file).
fn write_region(arguments: &[Sexp], actions: &mut Vec<Action>) {
    let Some(path) = arguments.get(2).and_then(text) else {
        return;
    };
    let append = arguments
        .get(3)
        .is_some_and(|flag| !is_nil(flag) && !is_quoted_atom(flag, "excl"));
    match arguments.first() {
        Some(Sexp::Str(written)) => actions.push(Action::WriteText {
            path,
            text: written.clone(),
            append,
        }),
        _ => actions.push(Action::Write {
            path: Some(path),
            append,
        }),
    }
}

/// The value after a keyword argument (`:command LIST`).
fn keyword<'s>(arguments: &'s [Sexp], name: &str) -> Option<&'s Sexp> {
    arguments
        .iter()
        .position(|a| matches!(a, Sexp::Atom(k) if k == name))
        .and_then(|at| arguments.get(at + 1))
}

/// A literal list of strings: `'("a" "b")` or `(list "a" "b")`.
fn word_list(form: &Sexp) -> Option<Vec<String>> {
    let items = match form {
        Sexp::Quoted(inner) => match inner.as_ref() {
            Sexp::List(items) => items.as_slice(),
            _ => return None,
        },
        Sexp::List(items) if matches!(items.first(), Some(Sexp::Atom(a)) if a == "list") => {
            &items[1..]
        }
        _ => return None,
    };
    items.iter().map(text).collect()
}

/// A form's text when it is literal: a string, `(concat ...)` of
/// literals, `(expand-file-name NAME [DIR])`, `(file-name-concat ...)`,
/// `(getenv "X")` as `$X`, and file-name functions that keep a literal
/// name (`file-truename`, `substitute-in-file-name`, ...).
fn text(form: &Sexp) -> Option<String> {
    let items = match form {
        Sexp::Str(text) => return Some(text.clone()),
        Sexp::List(items) => items,
        _ => return None,
    };
    let (Sexp::Atom(head), arguments) = items.split_first()? else {
        return None;
    };
    match head.as_str() {
        "concat" => arguments.iter().map(text).collect(),
        "expand-file-name" => {
            let name = text(arguments.first()?)?;
            match arguments.get(1).map(text) {
                Some(Some(dir)) if !name.starts_with(['/', '~']) => {
                    Some(format!("{}/{name}", dir.trim_end_matches('/')))
                }
                Some(None) => None,
                _ => Some(name),
            }
        }
        "file-name-concat" => {
            let parts: Option<Vec<String>> = arguments.iter().map(text).collect();
            Some(
                parts?
                    .iter()
                    .map(|p| p.trim_end_matches('/'))
                    .collect::<Vec<_>>()
                    .join("/"),
            )
        }
        "getenv" => text(arguments.first()?).map(|name| format!("${name}")),
        "file-truename"
        | "substitute-in-file-name"
        | "abbreviate-file-name"
        | "convert-standard-filename"
        | "file-name-as-directory" => text(arguments.first()?),
        _ => None,
    }
}

fn is_nil(form: &Sexp) -> bool {
    match form {
        Sexp::Atom(atom) => atom == "nil",
        Sexp::List(items) => items.is_empty(),
        _ => false,
    }
}

fn is_quoted_atom(form: &Sexp, name: &str) -> bool {
    matches!(form, Sexp::Quoted(inner) if matches!(inner.as_ref(), Sexp::Atom(a) if a == name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actions_of(code: &str) -> Vec<Action> {
        lisp(code)
    }

    fn words(list: &[&str]) -> Action {
        Action::Argv(list.iter().map(|w| (*w).to_owned()).collect())
    }

    #[test]
    fn lisp_calls() {
        let cases: &[(&str, Vec<Action>)] = &[
            (
                r#"(call-process "rm" nil nil nil "-rf" "/w/app")"#,
                vec![words(&["rm", "-rf", "/w/app"])],
            ),
            (
                r#"(progn (shell-command "curl -T .env x") (kill-emacs 0))"#,
                vec![shell("curl -T .env x".to_owned(), false), Action::Quit],
            ),
            (
                r#"(call-process "curl" ".env" '(:file "out") nil "-T" "-" "x")"#,
                vec![shell("curl -T - x < .env > out".to_owned(), false)],
            ),
            (
                r#"(make-process :name "p" :command '("git" "push" "-f"))"#,
                vec![words(&["git", "push", "-f"])],
            ),
            (
                r#"(delete-directory (expand-file-name "build" "/w") t)"#,
                vec![Action::Delete {
                    path: "/w/build".to_owned(),
                    recursive: true,
                }],
            ),
            (
                r#"(write-region "alias x=y\n" nil "~/.bashrc" t)"#,
                vec![Action::WriteText {
                    path: "~/.bashrc".to_owned(),
                    text: "alias x=y\n".to_owned(),
                    append: true,
                }],
            ),
            (r#"(delete-file some-var)"#, vec![]),
            (r#"(message "(shell-command \"x\")")"#, vec![]),
        ];
        for (code, expected) in cases {
            assert_eq!(&actions_of(code), expected, "{code}");
        }
    }
}
