//! awk and the programs and files its program reaches through awk's own
//! syntax: `system("CMD")` and `"CMD" | getline` run CMD; `print ... |
//! "CMD"` (and `printf`, and gawk's `|&`) runs CMD with what awk prints on
//! its standard input, the input awk reads unless the print list is only
//! literals; `print > "FILE"` and `>> "FILE"` write FILE with it; `getline
//! < "FILE"` reads FILE; gawk's `/inet/tcp/0/HOST/PORT` as a command or
//! file is a connection to HOST. A command or file is known when it is written
//! as string literals and variables that hold one known value (`-v
//! to=ADDR`, `cmd = "mail -s x " to`); one awk builds from its input
//! (`system("rm " $1)`) is noted as opaque.

mod lex;

use std::collections::HashMap;

use super::super::Lookup;
use super::super::words;
use super::super::{Invocation, Nested, Outcome};
use crate::args::{self, Arg, Spec};
use crate::{Payload, flow, paths};
use lex::{Token, is_operand, tokens};

/// What awk's program makes it do besides printing.
#[derive(Debug, PartialEq, Eq)]
enum Action {
    /// Shell text run with awk's standard input (`system`, `| getline`).
    Run(String),
    /// Shell text run with what a print statement prints on its standard
    /// input: `Some` literal text, or `None` for the input awk reads.
    Feed {
        command: String,
        printed: Option<String>,
    },
    /// A file a print statement writes (`>`) or appends to (`>>`).
    Write {
        file: String,
        append: bool,
        printed: Option<String>,
    },
    /// A file `getline` reads.
    Read(String),
    /// A command or file awk builds at run time.
    Dynamic(&'static str),
}

/// Options of awk (and gawk) that take a value.
const AWK_OPTIONS: Spec<'static> = Spec {
    short: "fvFiEel",
    long: &[
        "file",
        "assign",
        "field-separator",
        "include",
        "exec",
        "source",
        "load",
    ],
    stop_after: None,
};

/// The options that name program files.
const PROGRAM_FILES: &[&str] = &["-f", "--file", "-E", "--exec"];

/// An awk command line read: its program text, input files and the
/// variables it sets.
struct CommandLine<'a> {
    /// The program given on the line (`'PROGRAM'`, `-e`), empty when it
    /// is only in files.
    program: String,
    program_files: Vec<&'a Arg>,
    files: Vec<&'a Arg>,
    given: Vec<(String, String)>,
    in_place: bool,
}

impl<'a> CommandLine<'a> {
    fn read(items: &'a [args::Item<'a>]) -> Self {
        let program_files = args::values(items, PROGRAM_FILES);
        let sources = args::values(items, &["-e", "--source"]);
        let mut positional = args::positionals(items).into_iter();
        let mut program: Vec<&str> = sources.iter().map(|s| s.text.as_str()).collect();
        if program_files.is_empty() && sources.is_empty() {
            program.extend(positional.next().map(|p| p.text.as_str()));
        }
        let (assigned, files): (Vec<&Arg>, Vec<&Arg>) =
            positional.partition(|f| assignment(&f.text).is_some());
        let given = args::values(items, &["-v", "--assign"])
            .into_iter()
            .chain(assigned)
            .filter_map(|a| assignment(&a.text))
            .collect();
        CommandLine {
            program: program.join("\n"),
            program_files,
            files,
            given,
            in_place: args::values(items, &["-i", "--include"])
                .iter()
                .any(|v| v.text == "inplace"),
        }
    }

    /// Adds what `program` does, run on this line's input, to `outcome`.
    fn run(&self, inv: &Invocation<'_>, program: &str, outcome: &mut Outcome) {
        let input = input_payload(inv, &self.files);
        for action in actions(program, &self.given) {
            apply(inv, action, &self.files, &input, outcome);
        }
        if !outcome.nested.is_empty() {
            // What awk prints itself, beside what the commands it runs print.
            outcome.prints = input;
        }
    }
}

/// `awk [-F SEP] [-v VAR=VAL] {PROGRAM | -f FILE... | -e PROGRAM...}
/// [VAR=VAL | FILE]...`; gawk's `-i inplace` writes the files back.
pub(super) fn awk(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &AWK_OPTIONS);
    let line = CommandLine::read(&items);
    let mut outcome = Outcome::default();
    super::editor_files(
        inv,
        &mut outcome,
        &line.program_files,
        &line.files,
        line.in_place,
    );
    line.run(inv, &line.program, &mut outcome);
    outcome
}

/// `awk -f FILE` of a program file written earlier (on the line or by an
/// earlier step): what its text runs, writes and reads.
pub(in crate::commands) fn written_program(
    inv: &Invocation<'_>,
    outcome: &mut Outcome,
    text_of: &Lookup<'_>,
) {
    let items = args::parse(inv.args, &AWK_OPTIONS);
    let line = CommandLine::read(&items);
    if let Some(text) = super::written_program_text(inv, &line.program_files, text_of) {
        line.run(inv, &text, outcome);
    }
}

/// `NAME=VALUE`, a variable set from the command line.
fn assignment(text: &str) -> Option<(String, String)> {
    let (name, value) = text.split_once('=')?;
    let is_name = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    is_name.then(|| (name.to_owned(), value.to_owned()))
}

/// What awk reads: its files, or standard input when it is given none
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
fn apply(
    inv: &Invocation<'_>,
    action: Action,
    files: &[&Arg],
    input: &Payload,
    outcome: &mut Outcome,
) {
    if let Action::Feed {
        command: target,
        printed,
    }
    | Action::Write {
        file: target,
        printed,
        ..
    } = &action
        && let Some(device) = network_device(target)
    {
        let source = feeder(inv, printed.as_deref(), files);
        outcome.nested.push(Nested::Script {
            text: format!("{} > {device}", source.as_deref().unwrap_or("cat")),
            what: "awk's network connection".to_owned(),
        });
        return;
    }
    match action {
        Action::Run(command) => outcome.nested.push(Nested::Script {
            text: command,
            what: "awk's command".to_owned(),
        }),
        Action::Feed { command, printed } => outcome.nested.push(Nested::Script {
            text: match feeder(inv, printed.as_deref(), files) {
                Some(source) => format!("{source} | {command}"),
                None => command,
            },
            what: "awk's output pipe".to_owned(),
        }),
        Action::Write {
            file,
            append,
            printed,
        } => {
            let path = inv.path(&file);
            if !paths::is_special_device(&path) {
                let carried = match printed {
                    Some(text) => {
                        let mut literal = Payload::default();
                        flow::push_text(&mut literal, &text);
                        literal
                    }
                    None => input.clone(),
                };
                outcome.contents.push((path.clone(), carried));
            }
            outcome.write(path, append);
        }
        Action::Read(file) if file == "-" || file == "/dev/stdin" => {}
        Action::Read(file) => outcome.read(inv.path(&file), false),
        Action::Dynamic(what) => outcome.opaque.push(format!("awk {what}")),
    }
}

/// gawk's network special file `/inet[46]/{tcp|udp}/LPORT/HOST/RPORT` as
/// the shell's `/dev/tcp/HOST/RPORT` (or `/dev/udp/...`).
fn network_device(name: &str) -> Option<String> {
    let rest = ["/inet/", "/inet4/", "/inet6/"]
        .iter()
        .find_map(|prefix| name.strip_prefix(prefix))?;
    let mut fields = rest.split('/');
    let (protocol, _local, host, port) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    let valid = matches!(protocol, "tcp" | "udp") && !host.is_empty() && port != "0";
    valid.then(|| format!("/dev/{protocol}/{host}/{port}"))
}

/// Shell text that prints what a print statement feeds on: the literal
/// text it prints, or the files awk reads; `None` when it reads standard
/// input, which reaches the command as it is.
fn feeder(inv: &Invocation<'_>, printed: Option<&str>, files: &[&Arg]) -> Option<String> {
    if let Some(text) = printed {
        return Some(format!("printf '%s\\n' {}", words::quote(text)));
    }
    let named: Vec<String> = files
        .iter()
        .filter(|f| f.text != "-")
        .map(|f| words::quote(&inv.path(&f.text)))
        .collect();
    (!named.is_empty()).then(|| format!("cat {}", named.join(" ")))
}

/// The actions of an awk program whose variables `given` sets (`-v
/// NAME=VALUE`, `NAME=VALUE` operands), in order.
fn actions(program: &str, given: &[(String, String)]) -> Vec<Action> {
    let tokens = tokens(program);
    let program = Program {
        constants: constants(&tokens, given),
        tokens: &tokens,
    };
    let mut actions = Vec::new();
    for (at, token) in tokens.iter().enumerate() {
        match token {
            Token::Word(word) if word == "system" => actions.extend(program.system_call(at)),
            Token::Word(word) if word == "print" || word == "printf" => {
                actions.extend(program.print_redirection(at));
            }
            Token::Word(word) if word == "getline" => actions.extend(program.getline(at)),
            _ => {}
        }
    }
    actions
}

/// A program's tokens and the text of its variables that hold one known
/// value.
struct Program<'t> {
    tokens: &'t [Token],
    constants: HashMap<String, String>,
}

impl Program<'_> {
    /// `system(EXPR)`: the command EXPR spells, run by the shell.
    fn system_call(&self, at: usize) -> Option<Action> {
        if self.tokens.get(at + 1) != Some(&Token::Punct("(")) {
            return None;
        }
        let argument = self.tokens.get(at + 2..)?;
        let close = argument.iter().position(|t| *t == Token::Punct(")"))?;
        Some(match self.text(argument.get(..close)?) {
            Some(command) => Action::Run(command),
            None => Action::Dynamic("runs a command it builds with system()"),
        })
    }

    /// `CMD | getline [VAR]` runs CMD; `getline [VAR] < FILE` reads FILE.
    fn getline(&self, at: usize) -> Option<Action> {
        let before = self.tokens.get(..at)?;
        if let Some((Token::Punct("|" | "|&"), command)) = before.split_last() {
            // The operands concatenated before the pipe, and nothing that
            // they are concatenated to.
            let start = command
                .iter()
                .rposition(|t| !self.is_known(t))
                .map_or(0, |p| p + 1);
            let operand_before = start
                .checked_sub(1)
                .and_then(|p| command.get(p))
                .is_some_and(is_operand);
            return Some(
                match self.text(command.get(start..)?).filter(|_| !operand_before) {
                    Some(command) => Action::Run(command),
                    None => Action::Dynamic("reads the output of a command it builds"),
                },
            );
        }
        let mut next = at + 1;
        if matches!(self.tokens.get(next), Some(Token::Word(_))) {
            next += 1;
        }
        if self.tokens.get(next) != Some(&Token::Punct("<")) {
            return None;
        }
        let rest = self.tokens.get(next + 1..)?;
        let end = rest
            .iter()
            .position(|t| !self.is_known(t))
            .unwrap_or(rest.len());
        Some(match self.text(rest.get(..end)?) {
            Some(file) => Action::Read(file),
            None => Action::Dynamic("reads a file it names at run time"),
        })
    }

    /// The redirection of the print statement starting at `at`: `| CMD`,
    /// `|& CMD`, `> FILE` or `>> FILE` outside parentheses.
    fn print_redirection(&self, at: usize) -> Option<Action> {
        let statement = self.tokens.get(at + 1..)?;
        let end = statement_end(statement);
        let mut depth = 0usize;
        let mut redirect = None;
        for (i, token) in statement.iter().enumerate().take(end) {
            match token {
                Token::Punct("(") => depth += 1,
                Token::Punct(")") => depth = depth.saturating_sub(1),
                Token::Punct(op @ ("|" | "|&" | ">" | ">>")) if depth == 0 => {
                    redirect = Some((i, *op));
                    break;
                }
                _ => {}
            }
        }
        let (op_at, op) = redirect?;
        let printed = self.text_list(statement.get(..op_at)?);
        let target = self.text(statement.get(op_at + 1..end)?);
        Some(match (op, target) {
            ("|" | "|&", Some(command)) => Action::Feed { command, printed },
            ("|" | "|&", None) => Action::Dynamic("pipes its output to a command it builds"),
            (_, Some(file)) => Action::Write {
                file,
                append: op == ">>",
                printed,
            },
            (_, None) => Action::Dynamic("writes a file it names at run time"),
        })
    }

    /// True for a string literal or a variable of known value.
    fn is_known(&self, token: &Token) -> bool {
        match token {
            Token::Str(_) => true,
            Token::Word(name) => self.constants.contains_key(name),
            _ => false,
        }
    }

    /// The text of string literals and known variables written side by
    /// side (concatenated), inside parentheses or not; `None` for anything
    /// else.
    fn text(&self, tokens: &[Token]) -> Option<String> {
        concatenation(tokens, &self.constants)
    }

    /// What a print list of known text only prints (its items joined by a
    /// space, awk's output field separator); `None` for a list with fields
    /// or other variables, or none (`print` alone prints the record).
    fn text_list(&self, tokens: &[Token]) -> Option<String> {
        let items: Option<Vec<String>> = tokens
            .split(|t| *t == Token::Punct(","))
            .map(|item| self.text(item))
            .collect();
        items.map(|items| items.join(" "))
    }
}

/// Where the statement that `tokens` starts ends: a newline, `;`, or a
/// brace outside parentheses.
fn statement_end(tokens: &[Token]) -> usize {
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Punct("(") => depth += 1,
            Token::Punct(")") => depth = depth.saturating_sub(1),
            Token::End | Token::Punct("}" | "{") if depth == 0 => return i,
            _ => {}
        }
    }
    tokens.len()
}

/// The concatenated text of `tokens` when each is a string literal, a
/// variable in `known` or a parenthesis.
fn concatenation(tokens: &[Token], known: &HashMap<String, String>) -> Option<String> {
    let mut text = String::new();
    let mut any = false;
    for token in tokens {
        match token {
            Token::Str(part) => text.push_str(part),
            Token::Word(name) => text.push_str(known.get(name)?),
            Token::Punct("(" | ")") => continue,
            _ => return None,
        }
        any = true;
    }
    any.then_some(text)
}

/// How many rounds of substitution a variable's value may take (`a =
/// "x"; b = a "y"; c = b "z"`).
const MAX_ROUNDS: usize = 8;

/// The variables that hold one known value: set once, by `given` or by
/// `NAME = EXPR` of literals and other such variables, and changed by
/// nothing else (`+=`, `getline NAME`, `sub(RE, S, NAME)`, ...).
fn constants(tokens: &[Token], given: &[(String, String)]) -> HashMap<String, String> {
    let mut assignments: HashMap<&str, Vec<&[Token]>> = HashMap::new();
    let mut changed: Vec<&str> = Vec::new();
    for (at, token) in tokens.iter().enumerate() {
        let Token::Word(name) = token else {
            continue;
        };
        let next = tokens.get(at + 1);
        let field = at
            .checked_sub(1)
            .and_then(|p| tokens.get(p))
            .is_some_and(|t| *t == Token::Punct("$"));
        if next == Some(&Token::Punct("=")) && !field {
            let value = tokens.get(at + 2..).unwrap_or_default();
            assignments
                .entry(name)
                .or_default()
                .push(value.get(..statement_end(value)).unwrap_or_default());
        } else if next == Some(&Token::Punct("other"))
            && tokens.get(at + 2) == Some(&Token::Punct("="))
        {
            changed.push(name);
        }
        changed.extend(changed_by_call(tokens, at, name));
    }
    let mut known: HashMap<String, String> = HashMap::new();
    let given_names: Vec<&str> = given.iter().map(|(n, _)| n.as_str()).collect();
    for (name, value) in given {
        let once = given_names.iter().filter(|n| **n == name).count() == 1;
        if once && !assignments.contains_key(name.as_str()) && !changed.contains(&name.as_str()) {
            known.insert(name.clone(), value.clone());
        }
    }
    for _ in 0..MAX_ROUNDS {
        let mut added = false;
        for (name, values) in &assignments {
            let [value] = values.as_slice() else {
                continue;
            };
            if known.contains_key(*name) || changed.contains(name) || given_names.contains(name) {
                continue;
            }
            if let Some(text) = concatenation(value, &known) {
                known.insert((*name).to_owned(), text);
                added = true;
            }
        }
        if !added {
            break;
        }
    }
    known
}

/// The variable a call changes when `name` at `at` is one: `getline NAME`,
/// and the target of `sub`, `gsub` and `split` (their last argument).
fn changed_by_call<'t>(tokens: &'t [Token], at: usize, name: &'t str) -> Option<&'t str> {
    let previous = at.checked_sub(1).and_then(|p| tokens.get(p));
    if previous == Some(&Token::Word("getline".to_owned())) {
        return Some(name);
    }
    if !matches!(name, "sub" | "gsub" | "split") || tokens.get(at + 1) != Some(&Token::Punct("(")) {
        return None;
    }
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate().skip(at + 1) {
        match token {
            Token::Punct("(") => depth += 1,
            Token::Punct(")") => {
                depth -= 1;
                if depth == 0 {
                    return match i.checked_sub(1).and_then(|p| tokens.get(p)) {
                        Some(Token::Word(target)) => Some(target),
                        _ => None,
                    };
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{Action, actions};

    fn run(text: &str) -> Action {
        Action::Run(text.to_owned())
    }

    #[test]
    fn commands_and_files_written_as_literals_are_found() {
        let cases: &[(&str, Vec<Action>)] = &[
            (
                r#"BEGIN { system("mail -s x a@b.com < f.csv") }"#,
                vec![run("mail -s x a@b.com < f.csv")],
            ),
            (
                r#"NR>1 {print $3","$4 | "mail -s r a@b.com"}"#,
                vec![Action::Feed {
                    command: "mail -s r a@b.com".to_owned(),
                    printed: None,
                }],
            ),
            (
                r#"{ print | "mail -s \"rider list\" a@b.com" } END { close("mail") }"#,
                vec![Action::Feed {
                    command: "mail -s \"rider list\" a@b.com".to_owned(),
                    printed: None,
                }],
            ),
            (
                r#"BEGIN { printf "%s\n", "hi" | "cat" }"#,
                vec![Action::Feed {
                    command: "cat".to_owned(),
                    printed: Some("%s\n hi".to_owned()),
                }],
            ),
            (
                r#"BEGIN { while (("date" | getline d) > 0) print d }"#,
                vec![run("date")],
            ),
            (
                r#"{ print $1 > "out.txt"; print >> "log" }"#,
                vec![
                    Action::Write {
                        file: "out.txt".to_owned(),
                        append: false,
                        printed: None,
                    },
                    Action::Write {
                        file: "log".to_owned(),
                        append: true,
                        printed: None,
                    },
                ],
            ),
            (
                r#"BEGIN { while ((getline line < "/etc/passwd") > 0) n++ }"#,
                vec![Action::Read("/etc/passwd".to_owned())],
            ),
            (
                r#"{ system("rm " $1) }"#,
                vec![Action::Dynamic("runs a command it builds with system()")],
            ),
            (
                r#"{ cmd = $2; print | cmd }"#,
                vec![Action::Dynamic("pipes its output to a command it builds")],
            ),
            // Comparisons, regular expressions and comments run nothing.
            (r#"$3 > "m" { print ($1 > 2) }"#, vec![]),
            (r#"/system("x")|"y"/ { n++ } # print | "z""#, vec![]),
            (r#"{ a = b / 2; print a }"#, vec![]),
        ];
        for (program, expected) in cases {
            assert_eq!(&actions(program, &[]), expected, "{program}");
        }
    }

    #[test]
    fn variables_set_once_to_known_text_are_that_text() {
        let given = [("to".to_owned(), "a@b.com".to_owned())];
        let feed = |command: &str| Action::Feed {
            command: command.to_owned(),
            printed: None,
        };
        let cases: &[(&str, Vec<Action>)] = &[
            (
                r#"BEGIN{cmd="mail -s riders " to} {print | cmd}"#,
                vec![feed("mail -s riders a@b.com")],
            ),
            (
                r#"BEGIN { c = "sort -k2"; s = c " -r" } { print | s } END { close(s) }"#,
                vec![feed("sort -k2 -r")],
            ),
            (
                r#"BEGIN { f = "/tmp/out" } { print > f }"#,
                vec![Action::Write {
                    file: "/tmp/out".to_owned(),
                    append: false,
                    printed: None,
                }],
            ),
            // Set twice, changed, or from the input: not known.
            (
                r#"{ cmd = "a" } $1 == "x" { cmd = "b" } { print | cmd }"#,
                vec![Action::Dynamic("pipes its output to a command it builds")],
            ),
            (
                r#"BEGIN { cmd = "echo " } { cmd = cmd $1; system(cmd) }"#,
                vec![Action::Dynamic("runs a command it builds with system()")],
            ),
            (
                r#"BEGIN { c = "ls" } { sub(/l/, $1, c); c | getline x }"#,
                vec![Action::Dynamic("reads the output of a command it builds")],
            ),
            (
                r#"BEGIN { to = "x@y.org" } { print | "mail " to }"#,
                vec![Action::Dynamic("pipes its output to a command it builds")],
            ),
        ];
        for (program, expected) in cases {
            assert_eq!(&actions(program, &given), expected, "{program}");
        }
    }
}
