//! `expect [-dDinN] [-c SCRIPT]... [[-f|-b] FILE | FILE | -] [ARGS]`, the
//! script on standard input without one: Tcl read command by command.
//!
//! - `spawn [-noecho ...] PROGRAM ARGS` runs PROGRAM with those words (no
//!   shell splits them again); `exec WORDS` runs a Tcl pipeline (`|`,
//!   `<`, `>`, `2>`, `&`); `system WORDS` joins its words into a line for
//!   `/bin/sh`; `open "|WORDS"` runs a pipeline too. Each becomes shell
//!   text with Tcl's substitutions as the shell's: `$env(NAME)` is
//!   `${NAME}`, `[exec ...]` is `$(...)`, a variable `set` earlier its
//!   value.
//! - `send` types text into the spawned program: over its connection for
//!   network clients ([`TYPED_INTO`]), and as command lines into a shell
//!   spawned without a command.
//! - Braced words (the bodies of `expect`, `if`, `proc`, ...) and `[...]`
//!   in other commands' words are read as scripts too.

use std::collections::HashMap;

use super::super::{Invocation, Nested, Outcome};
use crate::args::Arg;
use crate::{Payload, flow};

/// Programs whose connections carry what an `expect` script types in.
const TYPED_INTO: &[&str] = &[
    "telnet", "ssh", "scp", "sftp", "ftp", "lftp", "rsync", "nc", "ncat", "netcat", "mosh",
    "autossh", "socat",
];

/// Shells that run what is typed into them as command lines.
const SHELLS: &[&str] = &["sh", "bash", "dash", "zsh", "ksh", "ash", "fish"];

/// How deep braced bodies and `[...]` substitutions are read.
const MAX_DEPTH: usize = 16;

/// Where the script comes from.
struct Sources {
    /// `-c` scripts, in order.
    inline: Vec<String>,
    /// The script file (`-f FILE`, `-b FILE`, the first operand).
    file: Option<String>,
    /// `-` or no script at all: standard input.
    stdin: bool,
}

fn sources(inv: &Invocation<'_>) -> Sources {
    let mut inline = Vec::new();
    let mut file = None;
    let mut words = inv.args.iter();
    while let Some(word) = words.next() {
        match word.text.as_str() {
            "-c" => inline.extend(words.next().map(|s| s.text.clone())),
            "-f" | "-b" => {
                file = words.next().map(|f| f.text.clone());
                break;
            }
            "--" => {
                file = words.next().map(|f| f.text.clone());
                break;
            }
            "-" => {
                file = Some("-".to_owned());
                break;
            }
            text if text.starts_with('-') => {}
            text => {
                file = Some(text.to_owned());
                break;
            }
        }
    }
    let stdin = match file.as_deref() {
        Some("-") => {
            file = None;
            true
        }
        Some(_) => false,
        None => inline.is_empty(),
    };
    Sources {
        inline,
        file,
        stdin,
    }
}

pub(super) fn handle(inv: &Invocation<'_>) -> Outcome {
    let sources = sources(inv);
    let mut scripts = sources.inline;
    if sources.stdin && inv.has_stdin {
        scripts.push(inv.stdin.text.join("\n"));
    }
    let mut outcome = Outcome::default();
    for text in &scripts {
        super::merge(&mut outcome, script(inv, text));
    }
    if let Some(file) = sources.file {
        outcome.read(inv.path(&file), false);
        outcome.opaque.push(note(&file));
    }
    outcome
}

/// The opaque note for a script file whose text is not known.
fn note(file: &str) -> String {
    format!("expect runs the script {file}")
}

/// The script file, by absolute path, with the note [`handle`] left for it.
pub(super) fn script_files(inv: &Invocation<'_>) -> Vec<(String, String)> {
    sources(inv)
        .file
        .map(|file| (inv.path(&file), note(&file)))
        .into_iter()
        .collect()
}

/// What a script's text does.
pub(super) fn script(_inv: &Invocation<'_>, text: &str) -> Outcome {
    let mut reader = Reader::default();
    reader.script(text, 0);
    let typed = (reader.typed != Payload::default()).then_some((reader.typed, TYPED_INTO));
    Outcome {
        nested: reader.nested,
        nested_credential: typed,
        ..Outcome::default()
    }
}

/// One Tcl word: its text without its delimiters, and whether braces
/// quoted it (then nothing in it is substituted).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    text: String,
    braced: bool,
}

/// What the script runs, as it is read.
#[derive(Default)]
struct Reader {
    nested: Vec<Nested>,
    typed: Payload,
    /// Variables `set` to a value the script gives, as shell text for
    /// inside double quotes.
    vars: HashMap<String, String>,
    /// The last `spawn` started a shell without a command.
    shell_spawned: bool,
}

impl Reader {
    fn script(&mut self, text: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for command in commands(text) {
            self.command(&command, depth);
        }
    }

    fn command(&mut self, words: &[Word], depth: usize) {
        let Some((verb, rest)) = words.split_first() else {
            return;
        };
        match verb.text.as_str() {
            "spawn" => self.spawn(rest),
            "exec" => self.run(pipeline(rest, &self.vars), "expect exec"),
            "system" => {
                let text: Vec<String> = rest.iter().map(|w| self.raw(w)).collect();
                self.run(text.join(" "), "expect system");
            }
            "open" => {
                let target = rest.first().map(|w| self.raw(w)).unwrap_or_default();
                match target.strip_prefix('|') {
                    Some(list) => {
                        let words = commands(list).into_iter().next().unwrap_or_default();
                        self.run(pipeline(&words, &self.vars), "expect open");
                    }
                    None => self.inner(rest, depth, true),
                }
            }
            "send" | "exp_send" | "send_spawn" => self.send(rest, depth),
            "set" => {
                self.inner(rest, depth, false);
                if let [name, value] = rest {
                    let value = self.quoted(value);
                    self.vars.insert(name.text.clone(), value);
                }
            }
            // Text they print: a braced word is not a body.
            "puts" | "send_user" | "send_error" | "send_log" | "send_tty" => {
                self.inner(rest, depth, false);
            }
            _ => self.inner(words, depth, true),
        }
    }

    /// Reads the `[...]` substitutions of `words` as scripts, and their
    /// braced words (`bodies`: the bodies of `expect`, `if`, `proc`, ...).
    fn inner(&mut self, words: &[Word], depth: usize, bodies: bool) {
        for word in words {
            if word.braced {
                if bodies {
                    self.script(&word.text, depth + 1);
                }
            } else {
                for inner in brackets(&word.text) {
                    self.script(&inner, depth + 1);
                }
            }
        }
    }

    fn run(&mut self, text: String, what: &str) {
        if !text.trim().is_empty() {
            self.nested.push(Nested::Script {
                text,
                what: what.to_owned(),
            });
        }
    }

    /// `spawn [-noecho|-console|-nottycopy|-nottyinit|-pty] [-open ID |
    /// -leaveopen ID | -ignore SIG]... PROGRAM ARGS`.
    fn spawn(&mut self, rest: &[Word]) {
        let mut words = rest.iter().peekable();
        while let Some(word) = words.next_if(|w| w.text.starts_with('-') && !w.braced) {
            if matches!(word.text.as_str(), "-open" | "-leaveopen" | "-ignore") {
                words.next();
            }
        }
        let argv: Vec<String> = words.map(|w| shell_word(&self.quoted(w))).collect();
        let program = rest
            .iter()
            .find(|w| !w.text.starts_with('-'))
            .map(|w| w.text.rsplit('/').next().unwrap_or_default().to_owned());
        self.shell_spawned = argv.len() == 1 && program.is_some_and(|p| SHELLS.contains(&&*p));
        self.run(argv.join(" "), "expect spawn");
    }

    /// `send [-s|-h|-raw|-null|-break|--] [-i ID] TEXT`: the text typed.
    fn send(&mut self, rest: &[Word], depth: usize) {
        let Some(word) = rest.iter().rfind(|w| !w.text.starts_with('-')) else {
            return;
        };
        if !word.braced {
            for inner in brackets(&word.text) {
                self.script(&inner, depth + 1);
            }
        }
        if self.shell_spawned {
            let typed = unescape(&word.text);
            self.run(typed.replace('\r', "\n"), "expect send to a shell");
        }
        let arg = tcl_arg(word.text.trim_end_matches("\\r").trim_end_matches("\\n"));
        flow::merge(&mut self.typed, &arg.payload());
    }

    /// A word as shell text for inside double quotes.
    fn quoted(&self, word: &Word) -> String {
        render(word, &self.vars, Mode::Quoted)
    }

    /// A word as raw shell text (`system` joins its words into one line).
    fn raw(&self, word: &Word) -> String {
        render(word, &self.vars, Mode::Raw)
    }
}

/// A Tcl word as a shell argument for `send`: `$env(NAME)` and `$NAME`
/// are environment variables.
fn tcl_arg(word: &str) -> Arg {
    let mut arg = Arg::literal(word);
    let mut rest = word;
    while let Some(at) = rest.find('$') {
        rest = &rest[at + 1..];
        let name = match rest.strip_prefix("env(") {
            Some(inner) => inner.split(')').next().unwrap_or(""),
            None => rest
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .next()
                .unwrap_or(""),
        };
        if !name.is_empty() && !arg.env.iter().any(|n| n == name) {
            arg.env.push(name.to_owned());
        }
    }
    arg
}

/// How substituted text is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Inside a shell's double quotes: literal `"`, `\`, `$` and backquotes
    /// escaped.
    Quoted,
    /// As it stands, for a line a shell splits again.
    Raw,
}

/// A Tcl word as shell text: backslash escapes resolved, `$env(NAME)` as
/// `${NAME}`, a variable the script set as its value, any other as a
/// shell variable of its name (a value not known), and `[exec ...]` as
/// `$(...)`. A braced word is literal.
fn render(word: &Word, vars: &HashMap<String, String>, mode: Mode) -> String {
    let literal = |out: &mut String, c: char| {
        if mode == Mode::Quoted && matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    };
    let mut out = String::new();
    if word.braced {
        word.text.chars().for_each(|c| literal(&mut out, c));
        return out;
    }
    let text = word.text.as_str();
    let mut at = 0;
    while let Some(c) = text[at..].chars().next() {
        at += c.len_utf8();
        match c {
            '\\' => {
                let next = text[at..].chars().next();
                at += next.map_or(0, char::len_utf8);
                literal(&mut out, escaped(next));
            }
            '$' => match variable(&text[at..]) {
                Some((name, len)) => {
                    at += len;
                    match (
                        name.strip_prefix("env(").and_then(|n| n.strip_suffix(')')),
                        vars.get(&name),
                    ) {
                        (Some(env), _) => out.push_str(&format!("${{{env}}}")),
                        (None, Some(value)) if mode == Mode::Quoted => out.push_str(value),
                        (None, Some(value)) => out.push_str(&format!("\"{value}\"")),
                        (None, None) => {
                            let base = name.split('(').next().unwrap_or_default();
                            out.push_str(&format!("${{{base}}}"));
                        }
                    }
                }
                None => literal(&mut out, '$'),
            },
            '[' => {
                let inner_len = bracket_len(&text[at..]);
                let inner = &text[at..at + inner_len];
                at = (at + inner_len + 1).min(text.len());
                let words = commands(inner).into_iter().next().unwrap_or_default();
                match words.split_first() {
                    Some((verb, rest)) if verb.text == "exec" => {
                        out.push_str(&format!("$({})", pipeline(rest, vars)));
                    }
                    _ => {
                        literal(&mut out, '[');
                        inner.chars().for_each(|c| literal(&mut out, c));
                        literal(&mut out, ']');
                    }
                }
            }
            c => literal(&mut out, c),
        }
    }
    out
}

/// Text rendered for inside double quotes as one shell word: bare when
/// nothing in it is special to the shell.
fn shell_word(quoted: &str) -> String {
    if super::super::words::is_plain(quoted) {
        quoted.to_owned()
    } else {
        format!("\"{quoted}\"")
    }
}

/// The character a backslash escape stands for.
fn escaped(next: Option<char>) -> char {
    match next {
        Some('n') => '\n',
        Some('r') => '\r',
        Some('t') => '\t',
        Some('\n') | None => ' ',
        Some(c) => c,
    }
}

/// A Tcl word's backslash escapes resolved.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        out.push(if c == '\\' { escaped(chars.next()) } else { c });
    }
    out
}

/// The variable a `$` starts (`name`, `${name}`, `name(index)`,
/// `env(NAME)`) and how many bytes after the `$` it takes.
fn variable(text: &str) -> Option<(String, usize)> {
    if let Some(inner) = text.strip_prefix('{') {
        let name = inner.split('}').next()?;
        return Some((name.to_owned(), name.len() + 2));
    }
    let len = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(text.len());
    if len == 0 {
        return None;
    }
    let mut name = text[..len].to_owned();
    let mut taken = len;
    if text[len..].starts_with('(')
        && let Some(close) = text[len..].find(')')
    {
        name.push_str(&text[len..=len + close]);
        taken += close + 1;
    }
    Some((name, taken))
}

/// The length of the text inside a `[` whose opening is just before
/// `text`, up to its matching `]` (or the end).
fn bracket_len(text: &str) -> usize {
    let mut depth = 0usize;
    let mut chars = text.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '[' => depth += 1,
            ']' if depth == 0 => return at,
            ']' => depth -= 1,
            _ => {}
        }
    }
    text.len()
}

/// The scripts of the `[...]` substitutions in a word.
fn brackets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(open) = text[at..].find('[') {
        let start = at + open + 1;
        if text[..start - 1].ends_with('\\') {
            at = start;
            continue;
        }
        let len = bracket_len(&text[start..]);
        out.push(text[start..start + len].to_owned());
        at = (start + len + 1).min(text.len());
    }
    out
}

/// A Tcl `exec` pipeline as a shell line: its words quoted, its
/// operators (`|`, `|&`, `<`, `<<`, `>`, `>>`, `2>`, `2>>`, `>&`, `>>&`,
/// and a last `&`) as the shell's. Leading switches (`-ignorestderr`,
/// `-keepnewline`, `--`) are exec's own; `<@ ID` and `>@ ID` redirect to
/// Tcl channels and are dropped.
fn pipeline(words: &[Word], vars: &HashMap<String, String>) -> String {
    const OPERATORS: &[(&str, &str)] = &[
        ("2>>", "2>>"),
        (">>&", "&>>"),
        ("2>@1", "2>&1"),
        ("2>", "2>"),
        (">>", ">>"),
        (">&", "&>"),
        ("<<", "<<<"),
        ("|&", "|&"),
        ("<@", ""),
        (">@", ""),
        ("<", "<"),
        (">", ">"),
        ("|", "|"),
    ];
    let mut words = words.iter().peekable();
    while words
        .next_if(|w| !w.braced && matches!(w.text.as_str(), "-ignorestderr" | "-keepnewline"))
        .is_some()
    {}
    words.next_if(|w| !w.braced && w.text == "--");
    let mut line: Vec<String> = Vec::new();
    let mut drop_next = false;
    while let Some(word) = words.next() {
        let quoted = |text: &str| {
            let word = Word {
                text: text.to_owned(),
                braced: word.braced,
            };
            shell_word(&render(&word, vars, Mode::Quoted))
        };
        if std::mem::take(&mut drop_next) {
            continue;
        }
        if word.braced {
            line.push(quoted(&word.text));
            continue;
        }
        if word.text == "&" && words.peek().is_none() {
            line.push("&".to_owned());
            continue;
        }
        match OPERATORS.iter().find(|(op, _)| word.text.starts_with(op)) {
            Some((op, shell)) => {
                let target = &word.text[op.len()..];
                if shell.is_empty() {
                    drop_next = target.is_empty();
                    continue;
                }
                line.push((*shell).to_owned());
                if !target.is_empty() {
                    line.push(quoted(target));
                }
            }
            None => line.push(quoted(&word.text)),
        }
    }
    line.join(" ")
}

/// A Tcl script's commands as words: a command ends at `;` or a line
/// break outside quotes, braces and brackets; a `#` where a command
/// starts comments out the line; `"..."` and `{...}` at a word's start
/// group it (their delimiters removed); a backslash before a line break
/// continues the line.
fn commands(script: &str) -> Vec<Vec<Word>> {
    let mut commands = Vec::new();
    let mut words: Vec<Word> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote = false;
    let mut braces = 0usize;
    let mut brackets = 0usize;
    let mut braced = false;
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        if braces > 0 {
            match c {
                '\\' => {
                    word.push(c);
                    word.extend(chars.next());
                }
                '{' => {
                    braces += 1;
                    word.push(c);
                }
                '}' => {
                    braces -= 1;
                    if braces > 0 {
                        word.push(c);
                    }
                }
                c => word.push(c),
            }
            continue;
        }
        match c {
            '#' if !in_word && words.is_empty() => while chars.next_if(|c| *c != '\n').is_some() {},
            '\\' if chars.peek() == Some(&'\n') => {
                chars.next();
                if quote || brackets > 0 {
                    word.push(' ');
                } else if in_word {
                    words.push(take_word(&mut word, &mut braced));
                    in_word = false;
                }
            }
            '\\' => {
                word.push(c);
                word.extend(chars.next());
                in_word = true;
            }
            '{' if !in_word => {
                braces = 1;
                braced = true;
                in_word = true;
            }
            '"' if !in_word => {
                quote = true;
                in_word = true;
            }
            '"' if quote && brackets == 0 => quote = false,
            '[' => {
                brackets += 1;
                word.push(c);
                in_word = true;
            }
            ']' if brackets > 0 => {
                brackets -= 1;
                word.push(c);
            }
            ';' | '\n' if !quote && brackets == 0 => {
                if in_word {
                    words.push(take_word(&mut word, &mut braced));
                    in_word = false;
                }
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            c if c.is_whitespace() && !quote && brackets == 0 => {
                if in_word {
                    words.push(take_word(&mut word, &mut braced));
                    in_word = false;
                }
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(take_word(&mut word, &mut braced));
    }
    if !words.is_empty() {
        commands.push(words);
    }
    commands
}

fn take_word(word: &mut String, braced: &mut bool) -> Word {
    Word {
        text: std::mem::take(word),
        braced: std::mem::take(braced),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(script: &str) -> Vec<Vec<String>> {
        commands(script)
            .into_iter()
            .map(|c| c.into_iter().map(|w| w.text).collect())
            .collect()
    }

    #[test]
    fn tcl_words() {
        assert_eq!(
            texts("spawn telnet h; expect \"P:\"\nsend {a b}"),
            vec![
                vec!["spawn", "telnet", "h"],
                vec!["expect", "P:"],
                vec!["send", "a b"]
            ]
        );
        assert_eq!(
            texts("# spawn rm\nset x [exec cat f; echo]\nputs a{b}"),
            vec![vec!["set", "x", "[exec cat f; echo]"], vec!["puts", "a{b}"]]
        );
        assert_eq!(tcl_arg("$env(PASS)\\r").env, vec!["PASS".to_owned()]);
    }

    #[test]
    fn substitutions_become_the_shells() {
        let vars = HashMap::from([("host".to_owned(), "db.example".to_owned())]);
        let word = |text: &str| Word {
            text: text.to_owned(),
            braced: false,
        };
        assert_eq!(
            render(&word("$env(TOKEN)"), &vars, Mode::Quoted),
            "${TOKEN}"
        );
        assert_eq!(
            render(&word("u@$host"), &vars, Mode::Quoted),
            "u@db.example"
        );
        assert_eq!(
            render(&word("[exec cat .env]"), &vars, Mode::Quoted),
            "$(cat .env)"
        );
        assert_eq!(
            pipeline(
                &commands("tar czf - src | curl -T - https://x >/tmp/o &")[0],
                &vars
            ),
            "tar czf - src | curl -T - https://x > /tmp/o &"
        );
    }
}
