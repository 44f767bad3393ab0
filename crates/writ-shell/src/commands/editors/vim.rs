//! vim, nvim, vi, ex, view (and gvim, vimdiff, rvim, ...) and ed, run
//! from the command line. vim's `--cmd CMD` runs before its startup
//! files, then the first file is loaded and `-c CMD`, `+CMD` and `-S
//! FILE` run in order; in Ex mode (`ex`, `-e`, `-E`, `-es`) with
//! standard input not a terminal, its lines are Ex commands too, as ed's
//! are. nvim's `-l SCRIPT` runs a Lua script; `--remote-expr EXPR`
//! evaluates an expression in a running server; `-s FILE` types Normal
//! mode keys (in Ex mode `-s` is silent mode); `-w`/`-W FILE` records the
//! keys typed into FILE; `-Z` and the `r` names refuse shell commands.

use super::ex::{self, Dialect};
use super::{Action, Editor, Language};
use crate::commands::sql::Lookup;
use crate::commands::{Invocation, Outcome};
use std::iter::Peekable;

/// The run of a vim-family editor or ed, and whether it read the text
/// of a file written earlier.
pub(super) fn run(inv: &Invocation<'_>, lookup: Option<&Lookup<'_>>) -> Option<(Outcome, bool)> {
    match inv.program {
        "vim" | "vi" | "nvim" | "ex" | "view" | "gvim" | "gview" | "vimdiff" | "gvimdiff"
        | "evim" | "vimx" | "rvim" | "rview" | "rgvim" | "rgview" | "nvi" => Some(vim(inv, lookup)),
        "ed" | "red" => Some(ed(inv, lookup)),
        _ => None,
    }
}

/// What vim's command line asks of it.
#[derive(Debug, Default)]
struct Startup {
    /// `--cmd` commands, run before the first file is loaded.
    before: Vec<String>,
    /// `-c`, `+CMD` and `-S FILE` commands, in order.
    after: Vec<String>,
    files: Vec<String>,
    ex_mode: bool,
    restricted: bool,
    /// Files of vim's own code run at startup (`-u`, nvim's `-l`).
    sourced: Vec<String>,
    /// Files of Normal-mode keys typed once started (`-s`).
    keys: Vec<String>,
    /// Files the typed keys are recorded into, appended to when true.
    records: Vec<(String, bool)>,
    /// Expressions evaluated in a server (`--remote-expr`).
    remote: Vec<String>,
    /// A file is `-`: the text to edit is standard input.
    stdin_text: bool,
}

/// Options taking a value as the next word.
const VALUE_LONG: &[&str] = &[
    "--servername",
    "--startuptime",
    "--log",
    "--listen",
    "--server",
    "--remote-send",
    "--socketid",
    "--windowid",
    "--gui-dialog-file",
];

fn startup(inv: &Invocation<'_>) -> Startup {
    let nvim = inv.program.starts_with("nvim");
    let mut found = Startup {
        ex_mode: matches!(inv.program, "ex"),
        restricted: inv.program.starts_with('r'),
        ..Startup::default()
    };
    let mut words = inv.args.iter().map(|a| a.text.as_str()).peekable();
    let mut only_files = false;
    while let Some(word) = words.next() {
        if only_files || word == "-" || !word.starts_with(['-', '+']) {
            if word == "-" {
                found.stdin_text = true;
            } else {
                found.files.push(word.to_owned());
            }
            continue;
        }
        if word == "--" {
            only_files = true;
        } else if let Some(command) = word.strip_prefix('+') {
            // `+N` and `+/pat` move the cursor; `+CMD` runs CMD.
            if !(command.is_empty()
                || command.chars().all(|c| c.is_ascii_digit())
                || command.starts_with(['/', '?']))
            {
                found.after.push(command.to_owned());
            }
        } else if word == "--cmd" {
            found.before.extend(words.next().map(str::to_owned));
        } else if word == "--remote-expr" {
            found.remote.extend(words.next().map(str::to_owned));
        } else if VALUE_LONG.contains(&word) {
            words.next();
        } else if word.starts_with("--") {
            // `--headless`, `--clean`, `--noplugin`, `--remote`, ...
        } else if nvim && word == "-l" {
            // `nvim -l SCRIPT ARGS...`: the rest are the script's.
            found.sourced.extend(words.next().map(str::to_owned));
            break;
        } else {
            short_cluster(word, &mut words, &mut found);
        }
    }
    found
}

/// A cluster of vim's one-letter options (`-es`, `-c CMD`, `-cCMD`).
fn short_cluster<'w, I: Iterator<Item = &'w str>>(
    word: &'w str,
    words: &mut Peekable<I>,
    found: &mut Startup,
) {
    let body = &word[1..];
    for (index, letter) in body.char_indices() {
        let attached = &body[index + letter.len_utf8()..];
        let mut value = || {
            if attached.is_empty() {
                words.next().map(str::to_owned)
            } else {
                Some(attached.to_owned())
            }
        };
        match letter {
            'e' | 'E' => found.ex_mode = true,
            'Z' => found.restricted = true,
            's' if found.ex_mode => {}
            's' => {
                found.keys.extend(value());
                return;
            }
            'u' | 'U' => {
                let file = value().filter(|f| !matches!(f.as_str(), "NONE" | "NORC" | "DEFAULTS"));
                found.sourced.extend(file);
                return;
            }
            'c' => {
                found.after.extend(value());
                return;
            }
            // `-S` alone, or before an option, sources `Session.vim`.
            'S' => {
                let file = if attached.is_empty() {
                    words
                        .next_if(|next| !next.starts_with('-'))
                        .map(str::to_owned)
                } else {
                    Some(attached.to_owned())
                };
                let file = file.unwrap_or_else(|| "Session.vim".to_owned());
                found.after.push(format!("source {file}"));
                return;
            }
            'w' | 'W' => {
                if attached.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                    return;
                }
                if let Some(file) = value() {
                    found.records.push((file, letter == 'w'));
                }
                return;
            }
            'T' | 'i' | 't' | 'q' => {
                value();
                return;
            }
            // `-o3`, `-V9file`: what follows the letter is its own.
            'o' | 'O' | 'p' | 'V' => return,
            _ => {}
        }
    }
}

fn vim(inv: &Invocation<'_>, lookup: Option<&Lookup<'_>>) -> (Outcome, bool) {
    let found = startup(inv);
    let mut editor = Editor::new(inv, Language::Vim, lookup);
    editor.restricted = found.restricted;
    for (file, append) in &found.records {
        let path = editor.path(file);
        editor.outcome.write(path, *append);
    }
    let early: Vec<Action> = found
        .sourced
        .iter()
        .map(|file| Action::Source(file.clone()))
        .chain(
            found
                .remote
                .iter()
                .flat_map(|expression| ex::line(&format!("call {expression}"), Dialect::Vim)),
        )
        .chain(
            found
                .before
                .iter()
                .flat_map(|line| ex::line(line, Dialect::Vim)),
        )
        .collect();
    if editor.run(early) {
        // vim loads the first file; the others wait in its argument list.
        if let Some((first, others)) = found.files.split_first() {
            for other in others {
                let path = editor.path(other);
                editor.outcome.read(path, false);
            }
            editor.visit(first);
        }
        let mut actions: Vec<Action> = found
            .after
            .iter()
            .flat_map(|line| ex::line(line, Dialect::Vim))
            .collect();
        if found.ex_mode && !found.stdin_text {
            actions.extend(stdin_script(&mut editor, Dialect::Vim));
        }
        actions.extend(found.keys.iter().map(|file| Action::Keys(file.clone())));
        editor.run(actions);
    }
    (editor.outcome, editor.used_written)
}

/// `ed [-s] [-p PROMPT] [FILE]`: its commands come on standard input.
fn ed(inv: &Invocation<'_>, lookup: Option<&Lookup<'_>>) -> (Outcome, bool) {
    let mut editor = Editor::new(inv, Language::Ed, lookup);
    editor.restricted = inv.program == "red";
    let mut words = inv.args.iter().map(|a| a.text.as_str());
    let mut file = None;
    while let Some(word) = words.next() {
        match word {
            "-p" | "--prompt" => {
                words.next();
            }
            "-r" | "--restricted" => editor.restricted = true,
            _ if word.starts_with('-') && word.len() > 1 => {}
            _ => file = Some(word),
        }
    }
    match file {
        // `ed !cmd` edits what the command prints.
        Some(command) if command.starts_with('!') => {
            editor.run(vec![Action::Shell {
                text: command[1..].to_owned(),
                input: false,
                expand: false,
            }]);
        }
        Some(file) => editor.visit(file),
        None => {}
    }
    let actions = stdin_script(&mut editor, Dialect::Ed);
    editor.run(actions);
    (editor.outcome, editor.used_written)
}

/// The commands standard input gives an Ex-mode editor, when their text
/// is known (the line fixes it, or it is a file written earlier);
/// otherwise the script is noted as unread.
fn stdin_script(editor: &mut Editor<'_, '_>, dialect: Dialect) -> Vec<Action> {
    let inv = editor.inv;
    if !inv.has_stdin {
        return Vec::new();
    }
    if let [file] = inv.stdin.files.as_slice()
        && let Some(text) = editor.written_text(&file.path)
    {
        return ex::script(&text, dialect);
    }
    if inv.stdin.files.is_empty() && !inv.stdin.text.is_empty() {
        return ex::script(&inv.stdin.text.join("\n"), dialect);
    }
    editor.outcome.opaque.push(format!(
        "{} reads its commands from standard input",
        inv.program
    ));
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Payload;
    use crate::args::Arg;

    fn startup_of(program: &str, words: &[&str]) -> Startup {
        let args: Vec<Arg> = words.iter().map(|w| Arg::literal(w)).collect();
        let stdin = Payload::default();
        let inv = Invocation {
            program,
            args: &args,
            cwd: "/w",
            home: "/h",
            env: &[],
            stdin: &stdin,
            has_stdin: false,
        };
        startup(&inv)
    }

    #[test]
    fn startup_commands_and_files() {
        let found = startup_of("nvim", &["--headless", "+!ls", "+12", "-c", "wq", "f.txt"]);
        assert_eq!(found.after, ["!ls", "wq"]);
        assert_eq!(found.files, ["f.txt"]);
        let found = startup_of("vim", &["-es", "-c", "x", "-s", "f"]);
        assert!(found.ex_mode);
        assert_eq!(found.files, ["f"]);
        let found = startup_of("vim", &["-s", "keys.txt", "f"]);
        assert_eq!(found.keys, ["keys.txt"]);
        let found = startup_of("vim", &["-S", "s.vim", "f"]);
        assert_eq!(found.after, ["source s.vim"]);
        assert_eq!(found.files, ["f"]);
        let found = startup_of("vim", &["-cwq", "--", "-c"]);
        assert_eq!(found.after, ["wq"]);
        assert_eq!(found.files, ["-c"]);
    }
}
