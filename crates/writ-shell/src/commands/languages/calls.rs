//! Commands the languages of [`super`] run: calls given a command line
//! (`os:cmd("...")`, `(system "...")`, `callCommand "..."`,
//! `execShellCmd("...")`) or a program and its arguments
//! (`System.cmd("git", ["push"])`, `(system* "git" "push")`,
//! `(uiop:run-program (list "git" "push"))`, `callProcess "git" ["push"]`,
//! `exec.Command("git", "push")`), Rust's `Command::new("git").args([...])`,
//! Swift's `Process` with `executableURL` and `arguments`, and Crystal's
//! backticks.
//!
//! Calls are written with parentheses (`f(a, b)`), as a Lisp form (`(f a
//! b)`) or applied without them (`f a b` in Haskell and OCaml, `f a, b`
//! in Elixir, Crystal and Nim). The calls' text is taken out of the code
//! that is read further, so that their words are not read as its data.

use super::Family;
use crate::args::Arg;

/// What a call runs.
pub(super) enum Job {
    /// A command, word by word.
    Argv(Vec<Arg>),
    /// A shell command line.
    Shell(String),
}

/// How a call's arguments make the command.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A string alone is a command line; a string and a list, the program
    /// and its arguments; a list first, the whole command.
    Command,
    /// Every argument is a word (a list first: the whole command).
    Words,
    /// Words, as [`Shape::Words`], unless a value comes first and a
    /// string after it: then that string is a command line (the `cmd!`
    /// of duct, `cmd!("git", "push")`, and of xshell, `cmd!(sh, "git
    /// push {remote}")`).
    WordsOrLine,
}

/// Calls that run commands, by family: name, shape, and how many leading
/// arguments are not part of the command (Go's context).
fn table(family: Family) -> &'static [(&'static str, Shape, usize)] {
    match family {
        Family::Elixir => &[
            ("System.cmd", Shape::Command, 0),
            ("System.shell", Shape::Command, 0),
            (":os.cmd", Shape::Command, 0),
            ("MuonTrap.cmd", Shape::Command, 0),
            ("Rambo.run", Shape::Command, 0),
            ("Porcelain.exec", Shape::Command, 0),
            ("Porcelain.shell", Shape::Command, 0),
        ],
        Family::Erlang => &[("os:cmd", Shape::Command, 0)],
        Family::Lisp => &[
            ("system", Shape::Command, 0),
            ("system*", Shape::Words, 0),
            ("system/exit-code", Shape::Command, 0),
            ("system*/exit-code", Shape::Words, 0),
            ("process", Shape::Command, 0),
            ("process*", Shape::Words, 0),
            ("uiop:run-program", Shape::Command, 0),
            ("uiop:launch-program", Shape::Command, 0),
            ("sb-ext:run-program", Shape::Command, 0),
            ("run-program", Shape::Command, 0),
            ("ccl:run-program", Shape::Command, 0),
            ("ext:run-program", Shape::Command, 0),
            ("ext:shell", Shape::Command, 0),
            ("inferior-shell:run", Shape::Command, 0),
            ("open-input-pipe", Shape::Command, 0),
            ("open-output-pipe", Shape::Command, 0),
            ("open-pipe*", Shape::Words, 1),
        ],
        Family::Haskell => &[
            ("callCommand", Shape::Command, 0),
            ("system", Shape::Command, 0),
            ("spawnCommand", Shape::Command, 0),
            ("shell", Shape::Command, 0),
            ("runCommand", Shape::Command, 0),
            ("callProcess", Shape::Command, 0),
            ("readProcess", Shape::Command, 0),
            ("readProcessWithExitCode", Shape::Command, 0),
            ("rawSystem", Shape::Command, 0),
            ("spawnProcess", Shape::Command, 0),
            ("proc", Shape::Command, 0),
        ],
        Family::Ocaml => &[
            ("Sys.command", Shape::Command, 0),
            ("Unix.system", Shape::Command, 0),
            ("Unix.open_process_in", Shape::Command, 0),
            ("Unix.open_process", Shape::Command, 0),
            ("Unix.execvp", Shape::Command, 0),
            ("Unix.execv", Shape::Command, 0),
        ],
        Family::Crystal => &[
            ("system", Shape::Command, 0),
            ("Process.run", Shape::Command, 0),
            ("Process.new", Shape::Command, 0),
            ("Process.exec", Shape::Command, 0),
        ],
        Family::Nim => &[
            ("execShellCmd", Shape::Command, 0),
            ("execCmd", Shape::Command, 0),
            ("execCmdEx", Shape::Command, 0),
            ("execProcess", Shape::Command, 0),
            ("startProcess", Shape::Command, 0),
        ],
        Family::Dart => &[
            ("Process.run", Shape::Command, 0),
            ("Process.runSync", Shape::Command, 0),
            ("Process.start", Shape::Command, 0),
        ],
        Family::Go => &[
            ("exec.Command", Shape::Words, 0),
            ("exec.CommandContext", Shape::Words, 1),
            ("syscall.Exec", Shape::Command, 0),
        ],
        Family::Rust => &[("cmd!", Shape::WordsOrLine, 0)],
        Family::Zig | Family::Swift => &[],
    }
}

/// Characters of a name in these languages (`uiop:run-program`,
/// `system*`, `File.rm_rf!`).
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | ':' | '-' | '*' | '!' | '?' | '/' | '\'')
}

/// The commands `code` runs, and `code` with those calls blanked out.
pub(super) fn runs(code: &str, family: Family) -> (Vec<Job>, String) {
    let scan = Scan::new(code);
    let mut jobs = Vec::new();
    let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
    if family == Family::Crystal {
        for literal in scan.literals.iter().filter(|l| l.backtick) {
            jobs.push(Job::Shell(literal.text.clone()));
            spans.push(literal.start..literal.end);
        }
    }
    if family == Family::Rust {
        rust_commands(&scan, &mut jobs, &mut spans);
    }
    if family == Family::Swift {
        swift_process(&scan, &mut jobs, &mut spans);
    }
    for (name, shape, skip) in table(family) {
        let mut from = 0;
        while let Some(found) = code.get(from..).and_then(|rest| rest.find(name)) {
            let at = from + found;
            from = at + name.len();
            if scan.in_literal(at)
                || code
                    .get(..at)
                    .and_then(|b| b.chars().next_back())
                    .is_some_and(|c| is_name_char(c) && !name.starts_with(':'))
                || code
                    .get(from..)
                    .and_then(|a| a.chars().next())
                    .is_some_and(is_name_char)
            {
                continue;
            }
            let Some((region, end)) = scan.arguments(at, from, family) else {
                continue;
            };
            let items = scan.items(region.clone(), family);
            if let Some(job) = job(&items, *shape, *skip) {
                jobs.push(job);
                spans.push(at..end);
                from = end.max(from);
            }
        }
    }
    (jobs, blank(code, &spans))
}

/// `code` with the bytes of `spans` replaced by spaces.
fn blank(code: &str, spans: &[std::ops::Range<usize>]) -> String {
    code.char_indices()
        .map(|(at, c)| {
            if spans.iter().any(|s| s.contains(&at)) && c != '\n' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// One argument of a call.
enum Item {
    /// A string literal.
    Text(String),
    /// A list of words.
    List(Vec<Arg>),
    /// Any other expression.
    Other(String),
}

/// The command a call's arguments make, by its shape.
fn job(items: &[Item], shape: Shape, skip: usize) -> Option<Job> {
    let items = items.get(skip..)?;
    match (items.first()?, items.get(1)) {
        (Item::List(words), _) => (!words.is_empty()).then(|| Job::Argv(words.clone())),
        (Item::Text(program), Some(Item::List(words))) if shape == Shape::Command => {
            let mut argv = vec![Arg::literal(program)];
            argv.extend(words.iter().cloned());
            Some(Job::Argv(argv))
        }
        (Item::Text(line), _) if shape == Shape::Command => Some(Job::Shell(line.clone())),
        (Item::Other(_), Some(Item::Text(line))) if shape == Shape::WordsOrLine => {
            Some(Job::Shell(line.clone()))
        }
        (Item::Text(_), _) => {
            let argv: Vec<Arg> = items
                .iter()
                .take_while(|item| !matches!(item, Item::Other(t) if is_keyword(t)))
                .filter_map(|item| match item {
                    Item::Text(text) => Some(Arg::literal(text)),
                    Item::Other(expr) => Some(unknown(expr)),
                    Item::List(_) => None,
                })
                .collect();
            Some(Job::Argv(argv))
        }
        (Item::Other(_), _) => None,
    }
}

/// A keyword argument or option (`:output`, `#:body`, `into: x`).
fn is_keyword(text: &str) -> bool {
    let text = text.trim();
    text.starts_with(':')
        || text.starts_with("#:")
        || text
            .split_once(':')
            .is_some_and(|(key, _)| key.chars().all(|c| c.is_alphanumeric() || c == '_'))
}

/// A word whose value is not known.
fn unknown(expr: &str) -> Arg {
    Arg {
        text: format!("${}", expr.trim()),
        dynamic: true,
        ..Arg::default()
    }
}

/// The code and its string literals.
struct Scan<'a> {
    code: &'a str,
    literals: Vec<super::super::inline::Literal>,
}

impl<'a> Scan<'a> {
    fn new(code: &'a str) -> Self {
        Self {
            code,
            literals: super::super::inline::literals(code),
        }
    }

    fn in_literal(&self, at: usize) -> bool {
        self.literals.iter().any(|l| l.start <= at && at < l.end)
    }

    /// The literal that starts at `at`.
    fn literal_at(&self, at: usize) -> Option<&super::super::inline::Literal> {
        self.literals.iter().find(|l| l.start == at)
    }

    /// The bracket that closes the one at `open`.
    fn close_of(&self, open: usize) -> Option<usize> {
        super::super::inline::matching_bracket(self.code, &self.literals, open)
    }

    /// The arguments of the call named from `at` to `name_end`, and where
    /// the call ends: `name(...)`, a Lisp form `(name ...)`, or an
    /// application without parentheses, to the end of the statement.
    fn arguments(
        &self,
        at: usize,
        name_end: usize,
        family: Family,
    ) -> Option<(std::ops::Range<usize>, usize)> {
        let code = self.code;
        let after = code.get(name_end..)?;
        let gap = after.len() - after.trim_start_matches([' ', '\t']).len();
        let next = name_end + gap;
        let before = code.get(..at)?.trim_end();
        if family == Family::Lisp {
            if !before.ends_with('(') {
                return None;
            }
            let open = before.len() - 1;
            let close = self.close_of(open)?;
            return Some((name_end..close, close + 1));
        }
        if code.get(next..)?.starts_with('(') && gap == 0 {
            let close = self.close_of(next)?;
            return Some((next + 1..close, close + 1));
        }
        let applies = matches!(
            family,
            Family::Haskell | Family::Ocaml | Family::Elixir | Family::Crystal | Family::Nim
        );
        if !applies || gap == 0 {
            return None;
        }
        let mut start = next;
        if family == Family::Haskell
            && let Some(rest) = code.get(next..)
            && let Some(stripped) = rest.strip_prefix('$')
        {
            start = next + 1 + (stripped.len() - stripped.trim_start().len());
        }
        let first = code.get(start..)?.chars().next()?;
        if !matches!(first, '"' | '\'' | '[' | '(') {
            return None;
        }
        // To the statement's end.
        let bytes = code.as_bytes();
        let mut pos = start;
        while let Some(&byte) = bytes.get(pos) {
            if let Some(literal) = self.literal_at(pos) {
                pos = literal.end;
                continue;
            }
            match byte {
                b'(' | b'[' | b'{' => pos = self.close_of(pos)? + 1,
                b')' | b']' | b'}' | b';' | b'\n' => break,
                b'|' | b'>' | b'&' if family != Family::Elixir || byte == b'|' => {
                    let rest = code.get(pos..).unwrap_or_default();
                    if ["|>", ">>", "&&", "||", ">>="]
                        .iter()
                        .any(|s| rest.starts_with(s))
                    {
                        break;
                    }
                    pos += 1;
                }
                _ => pos += 1,
            }
        }
        Some((start..pos, pos))
    }

    /// The arguments in `region`, split at top-level commas (or spaces,
    /// in Lisp, Haskell and OCaml).
    fn items(&self, region: std::ops::Range<usize>, family: Family) -> Vec<Item> {
        let by_space = matches!(family, Family::Lisp | Family::Haskell | Family::Ocaml);
        self.pieces(region, by_space, false)
            .into_iter()
            .map(|piece| self.item(piece, family))
            .collect()
    }

    /// The top-level pieces of `region`: split at commas, at spaces too
    /// with `by_space`, at semicolons too with `semicolons`.
    fn pieces(
        &self,
        region: std::ops::Range<usize>,
        by_space: bool,
        semicolons: bool,
    ) -> Vec<std::ops::Range<usize>> {
        let bytes = self.code.as_bytes();
        let mut pieces = Vec::new();
        let mut start = region.start;
        let mut at = region.start;
        while at < region.end {
            if let Some(literal) = self.literal_at(at) {
                at = literal.end;
                continue;
            }
            let Some(&byte) = bytes.get(at) else {
                break;
            };
            match byte {
                b'(' | b'[' | b'{' => {
                    at = self.close_of(at).map_or(region.end, |c| c + 1);
                    continue;
                }
                b',' => {
                    pieces.push(start..at);
                    start = at + 1;
                }
                b';' if semicolons => {
                    pieces.push(start..at);
                    start = at + 1;
                }
                b' ' | b'\t' | b'\n' if by_space => {
                    pieces.push(start..at);
                    start = at + 1;
                }
                _ => {}
            }
            at += 1;
        }
        pieces.push(start..region.end.min(self.code.len()));
        pieces
            .into_iter()
            .filter(|p| {
                self.code
                    .get(p.clone())
                    .is_some_and(|t| !t.trim().is_empty())
            })
            .collect()
    }

    /// One argument, by its text.
    fn item(&self, piece: std::ops::Range<usize>, family: Family) -> Item {
        let raw = self.code.get(piece.clone()).unwrap_or_default();
        let lead = raw.len() - raw.trim_start().len();
        let text = raw.trim();
        let start = piece.start + lead;
        let end = start + text.len();
        if let Some(literal) = self.literal_at(start).filter(|l| l.end == end) {
            return Item::Text(literal.text.clone());
        }
        // Lists: `[...]`, `[|...|]`, `&[...]`, `vec![...]`, `(list ...)`.
        let opener = ["(list ", "(vector ", "vec![", "&[", "[|", "["]
            .iter()
            .find(|o| text.starts_with(**o));
        if let Some(opener) = opener {
            let inner_start = start + opener.len();
            let inner_end = end.saturating_sub(if text.ends_with("|]") { 2 } else { 1 });
            let by_space = matches!(family, Family::Lisp) || opener.starts_with('(');
            let words = self
                .pieces(inner_start..inner_end.max(inner_start), by_space, true)
                .into_iter()
                .filter_map(|p| {
                    let raw = self.code.get(p.clone())?;
                    let lead = raw.len() - raw.trim_start().len();
                    let t = raw.trim();
                    let s = p.start + lead;
                    Some(match self.literal_at(s).filter(|l| l.end == s + t.len()) {
                        Some(literal) => Arg::literal(&literal.text),
                        None => unknown(t),
                    })
                })
                .collect();
            return Item::List(words);
        }
        Item::Other(text.to_owned())
    }
}

/// Rust's `Command::new("git").arg("x").args(["y", "z"])`: the program
/// and the words its chained `arg`/`args` calls add.
fn rust_commands(scan: &Scan<'_>, jobs: &mut Vec<Job>, spans: &mut Vec<std::ops::Range<usize>>) {
    let code = scan.code;
    for (at, marker) in code.match_indices("Command::new(") {
        if scan.in_literal(at) {
            continue;
        }
        let open = at + marker.len() - 1;
        let Some(close) = scan.close_of(open) else {
            continue;
        };
        let Some(Item::Text(program)) =
            scan.items(open + 1..close, Family::Rust).into_iter().next()
        else {
            continue;
        };
        let mut argv = vec![Arg::literal(&program)];
        let mut end = close + 1;
        loop {
            let rest = code.get(end..).unwrap_or_default();
            let gap = rest.len() - rest.trim_start().len();
            let Some(method) = rest.trim_start().strip_prefix('.') else {
                break;
            };
            let name: String = method
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let open = end + gap + 1 + name.len();
            if code.as_bytes().get(open) != Some(&b'(') {
                break;
            }
            let Some(close) = scan.close_of(open) else {
                break;
            };
            let items = scan.items(open + 1..close, Family::Rust);
            match (name.as_str(), items.first()) {
                ("arg", Some(Item::Text(text))) => argv.push(Arg::literal(text)),
                ("arg", Some(Item::Other(expr))) => argv.push(unknown(expr)),
                ("args", Some(Item::List(words))) => argv.extend(words.iter().cloned()),
                _ => {}
            }
            end = close + 1;
        }
        jobs.push(Job::Argv(argv));
        spans.push(at..end);
    }
}

/// Swift's `Process`: the program its `executableURL` (or `launchPath`)
/// names and the words of its `arguments`; through `/usr/bin/env`, the
/// arguments alone.
fn swift_process(scan: &Scan<'_>, jobs: &mut Vec<Job>, spans: &mut Vec<std::ops::Range<usize>>) {
    let code = scan.code;
    let literal_after = |marker: &str| {
        code.match_indices(marker).find_map(|(at, m)| {
            let from = at + m.len();
            scan.literals.iter().find(|l| {
                l.start >= from
                    && code
                        .get(from..l.start)
                        .is_some_and(|g| g.trim().is_empty() || g.trim() == "URL(fileURLWithPath:")
            })
        })
    };
    let program = literal_after("executableURL =").or_else(|| literal_after("launchPath ="));
    let Some(program) = program else {
        return;
    };
    let mut argv = Vec::new();
    if !program.text.ends_with("/env") {
        argv.push(Arg::literal(&program.text));
    }
    spans.push(program.start..program.end);
    if let Some((at, m)) = code.match_indices("arguments =").next() {
        let rest = code.get(at + m.len()..).unwrap_or_default();
        let open = at + m.len() + (rest.len() - rest.trim_start().len());
        if code.as_bytes().get(open) == Some(&b'[')
            && let Some(close) = scan.close_of(open)
            && let Some(Item::List(words)) = scan
                .items(open..close + 1, Family::Swift)
                .into_iter()
                .next()
        {
            argv.extend(words);
            spans.push(open..close + 1);
        }
    }
    if !argv.is_empty() {
        jobs.push(Job::Argv(argv));
    }
}
