//! `expect [-dDinN] [-c SCRIPT]... [[-f|-b] FILE | FILE | -] [ARGS]`, the
//! script on standard input without one: Tcl ([`tcl`]) with expect's own
//! commands.
//!
//! - `spawn [-noecho ...] PROGRAM ARGS` runs PROGRAM with those words (no
//!   shell splits them again); `system WORDS` joins its words into a line
//!   for `/bin/sh`.
//! - `send` types text into the spawned program: each line typed is a
//!   line of its standard input (sftp's commands, psql's SQL, a shell's
//!   command lines), except the answer to a password prompt (the last
//!   `expect` pattern); everything typed also goes over the connection of
//!   network clients ([`TYPED_INTO`]).
//! - `expect`'s and `interact`'s bodies are read as scripts, each after
//!   its pattern.

use super::super::tcl::{self, Dialect, Mode, Reader, Value, Word};
use super::super::{Invocation, Outcome};
use crate::{Payload, flow};

/// Programs whose connections carry what an `expect` script types in.
const TYPED_INTO: &[&str] = &[
    "telnet", "ssh", "scp", "sftp", "ftp", "lftp", "rsync", "nc", "ncat", "netcat", "mosh",
    "autossh", "socat",
];

/// Words of a prompt whose answer is a secret, not a command line.
const SECRET_PROMPTS: &[&str] = &["assword", "passphrase", "passcode", "pin:", "token"];

/// The heredoc delimiter that feeds typed lines to a spawned program.
const TYPED_END: &str = "WRIT_EXPECT_TYPED";

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
pub(super) fn script(inv: &Invocation<'_>, text: &str) -> Outcome {
    let mut expect = Expect::default();
    tcl::run(inv, text, &mut expect)
}

/// A program `spawn` started, and the lines typed into it.
struct Spawned {
    argv: Vec<Value>,
    lines: Vec<String>,
}

/// Expect's commands over Tcl.
#[derive(Default)]
struct Expect {
    spawned: Option<Spawned>,
    /// Everything typed, for network clients' connections.
    typed: Payload,
    /// The last pattern `expect` waited for.
    prompt: String,
}

impl Dialect for Expect {
    fn command(&mut self, reader: &mut Reader<'_>, words: &[Word], depth: usize) -> Option<Value> {
        let (verb, rest) = words.split_first()?;
        if verb.braced {
            return None;
        }
        match verb.text.as_str() {
            "spawn" | "exp_spawn" => {
                let values = reader.values(rest, depth, self);
                self.flush(reader);
                self.spawn(values);
            }
            "send" | "exp_send" | "send_spawn" => {
                let values = reader.values(rest, depth, self);
                let raw = rest.iter().rfind(|w| !w.text.starts_with('-') || w.braced);
                self.send(&values, raw.map(|w| w.text.as_str()));
            }
            "system" => {
                let values = reader.values(rest, depth, self);
                let line: Vec<String> = values.iter().map(|v| v.shell(Mode::Raw)).collect();
                reader.run_shell(line.join(" "), "expect system");
            }
            "expect" | "exp_expect" | "expect_after" | "expect_before" | "expect_background"
            | "interact" => self.expect(reader, rest, depth),
            "send_user" | "send_error" | "send_log" | "send_tty" => {
                reader.values(rest, depth, self);
            }
            _ => return None,
        }
        Some(Value::default())
    }

    fn finish(&mut self, reader: &mut Reader<'_>) {
        self.flush(reader);
        let typed = std::mem::take(&mut self.typed);
        if typed != Payload::default() {
            reader.outcome.nested_credential = Some((typed, TYPED_INTO));
        }
    }
}

impl Expect {
    /// `spawn [-noecho|-console|-nottycopy|-nottyinit|-pty] [-open ID |
    /// -leaveopen ID | -ignore SIG]... PROGRAM ARGS`.
    fn spawn(&mut self, values: Vec<Value>) {
        let mut values = values.into_iter().peekable();
        while let Some(option) = values.next_if(|v| v.literal().is_some_and(|t| t.starts_with('-')))
        {
            if matches!(
                option.literal().as_deref(),
                Some("-open" | "-leaveopen" | "-ignore")
            ) {
                values.next();
            }
        }
        self.spawned = Some(Spawned {
            argv: values.collect(),
            lines: Vec::new(),
        });
    }

    /// `send [-s|-h|-raw|-null|-break|--] [-i ID] TEXT`: the text typed
    /// (`raw`: as the script writes it).
    fn send(&mut self, values: &[Value], raw: Option<&str>) {
        let mut iter = values.iter();
        let mut text = None;
        while let Some(value) = iter.next() {
            match value.literal().as_deref() {
                Some("-i") => {
                    iter.next();
                }
                Some("--") => {
                    text = iter.next();
                    break;
                }
                Some(t) if t.starts_with('-') && t.len() > 1 => {}
                _ => text = Some(value),
            }
        }
        let Some(text) = text else {
            return;
        };
        let mut data = text.data();
        data.text = raw
            .map(|t| t.trim_end_matches("\\r").trim_end_matches("\\n").to_owned())
            .filter(|t| !t.is_empty())
            .into_iter()
            .collect();
        flow::merge(&mut self.typed, &data);
        let prompt = self.prompt.to_ascii_lowercase();
        if SECRET_PROMPTS.iter().any(|p| prompt.contains(p)) {
            return;
        }
        if let Some(spawned) = &mut self.spawned {
            let typed = text.shell(Mode::Heredoc).replace('\r', "\n");
            spawned.lines.extend(
                typed
                    .split('\n')
                    .filter(|line| !line.trim().is_empty() && *line != TYPED_END)
                    .map(str::to_owned),
            );
        }
    }

    /// `expect ?OPTIONS? PATTERN BODY ...` or `expect { PATTERN BODY ... }`:
    /// each body read after its pattern.
    fn expect(&mut self, reader: &mut Reader<'_>, rest: &[Word], depth: usize) {
        let listed;
        let words = match rest {
            [one] if one.braced && tcl::commands(&one.text).concat().len() > 1 => {
                listed = tcl::commands(&one.text).concat();
                listed.as_slice()
            }
            _ => rest,
        };
        let mut iter = words.iter();
        while let Some(word) = iter.next() {
            match word.text.as_str() {
                "-re" | "-ex" | "-gl" | "-nocase" | "-notransfer" | "--" if !word.braced => {}
                "-timeout" | "-i" if !word.braced => {
                    iter.next();
                }
                _ => {
                    let pattern = reader.value(word, depth, self);
                    self.prompt = pattern.literal().unwrap_or_default();
                    if let Some(body) = iter.next() {
                        reader.body(body, depth, self);
                    }
                }
            }
        }
    }

    /// The program spawned last, run with the lines typed into it on its
    /// standard input.
    fn flush(&mut self, reader: &mut Reader<'_>) {
        let Some(spawned) = self.spawned.take() else {
            return;
        };
        if spawned.lines.is_empty() {
            reader.run_argv(&spawned.argv);
            return;
        }
        let argv: Vec<String> = spawned.argv.iter().map(Value::word).collect();
        reader.run_shell(
            format!(
                "{} <<{TYPED_END}\n{}\n{TYPED_END}",
                argv.join(" "),
                spawned.lines.join("\n")
            ),
            "expect spawn",
        );
    }
}
