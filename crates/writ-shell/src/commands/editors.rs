//! Editors that run commands and write files when told to from the
//! command line: vim and its kin (`-c CMD`, `+CMD`, `--cmd CMD`, an Ex
//! script on standard input, [`vim`]), ed (its commands on standard
//! input) and emacs (`--eval EXPR`, `-f FUNC`, [`emacs`]). Ex commands
//! ([`ex`]), Vim script and Lua calls ([`script`]) and Emacs Lisp
//! ([`elisp`]) are read for what they do: a shell command (`:!cmd`, `:r
//! !cmd`, `:w !cmd`, `system("cmd")`, `(shell-command "cmd")`) runs as the
//! shell would run it, a program run from a list of words
//! (`(call-process "rm" nil nil nil "-rf" "dir")`) as that command, and a
//! file written (`:wq` writes the buffer's file, `(write-region ...)`),
//! read or deleted is that file. Only literal text is read; the rest of
//! the code stays opaque.

mod elisp;
mod emacs;
mod ex;
mod script;
mod vim;

use super::sql::Lookup;
use super::words;
use super::{Invocation, Nested, Outcome, request, url};
use crate::args::Arg;
use crate::{Payload, flow, paths};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    vim::run(inv, None)
        .or_else(|| emacs::run(inv, None))
        .map(|(outcome, _)| outcome)
}

/// Code files an editor runs whose text was written earlier (on the line
/// or by an earlier step: `vim -S F`, `vim -s KEYS`, `nvim -l F.lua`, `ex
/// < F`, `emacs -l F`, `emacs --script F`): the run is read again with
/// their text, which runs as the editor's own commands.
pub(crate) fn written_scripts(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    let redone = vim::run(inv, Some(text_of)).or_else(|| emacs::run(inv, Some(text_of)));
    if let Some((redone, true)) = redone {
        outcome.effects = redone.effects;
        outcome.nested = redone.nested;
        outcome.opaque = redone.opaque;
        outcome.contents = redone.contents;
    }
}

/// The language of an editor's commands and code files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Language {
    Vim,
    Ed,
    Emacs,
}

/// How deep code files may source others.
const MAX_SOURCE_DEPTH: usize = 8;

/// Something an editor's command does.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Action {
    /// Shell text run by the editor's shell. `input`: the buffer's file is
    /// its standard input (`:w !cmd`, `:%!cmd`); `expand`: `%` in it names
    /// the buffer's file, as vim and ed replace it.
    Shell {
        text: String,
        input: bool,
        expand: bool,
    },
    /// A program run from a list of words (`jobstart(['git', 'push'])`).
    Argv(Vec<String>),
    /// Code handed to an interpreter (`:python3 CODE`), as `PROGRAM FLAG CODE`.
    Code {
        program: &'static str,
        flag: &'static str,
        code: String,
    },
    /// Writes `path`, or the buffer's file when `None` (`:w`, `:wq`).
    Write { path: Option<String>, append: bool },
    /// Writes `text` into `path` (`(write-region "text" nil "f")`).
    WriteText {
        path: String,
        text: String,
        append: bool,
    },
    /// Reads a file (`:r FILE`, `readfile("f")`).
    Read(String),
    /// Reads a file and makes it the buffer (`:e FILE`, `(find-file F)`);
    /// `None` is a new buffer with no file (`:enew`).
    Edit(Option<String>),
    /// Names the buffer's file (`:file NAME`, `:saveas` does it too).
    Rename(String),
    /// Reads a file of the editor's own code (`:source F`, `-l F`).
    Source(String),
    /// Reads a file of keys typed in Normal mode (`vim -s F`): its `:`
    /// lines are Ex commands.
    Keys(String),
    /// Removes a file, or a tree when `recursive` (`(delete-directory D t)`).
    Delete { path: String, recursive: bool },
    /// Copies a file (`(copy-file A B)`): B holds what A held.
    Copy { from: String, to: String },
    /// Fetches a URL (`(url-retrieve URL ...)`), into a file when given.
    Fetch { url: String, into: Option<String> },
    /// Changes the working directory (`:cd DIR`, `(cd "DIR")`).
    Chdir(String),
    /// Leaves the editor: what follows does not run.
    Quit,
}

/// What an editor's run has done so far: the file its buffer holds and
/// the directory relative names resolve in.
struct Editor<'i, 'a> {
    inv: &'i Invocation<'a>,
    language: Language,
    /// The text of files written earlier, when known.
    lookup: Option<&'i Lookup<'i>>,
    buffer: Option<String>,
    cwd: String,
    /// Shell commands are refused (`vim -Z`, `rvim`).
    restricted: bool,
    /// How deep in sourced code files the run is.
    depth: usize,
    /// A code file's text came from `lookup`.
    used_written: bool,
    outcome: Outcome,
}

impl<'i, 'a> Editor<'i, 'a> {
    fn new(inv: &'i Invocation<'a>, language: Language, lookup: Option<&'i Lookup<'i>>) -> Self {
        Self {
            inv,
            language,
            lookup,
            buffer: None,
            cwd: inv.cwd.to_owned(),
            restricted: false,
            depth: 0,
            used_written: false,
            outcome: Outcome::default(),
        }
    }

    /// The text of a file written earlier.
    fn written_text(&mut self, path: &str) -> Option<String> {
        let text = self.lookup.and_then(|lookup| lookup(path))?;
        self.used_written = true;
        Some(text)
    }

    /// Reads a code file (or, with `keys`, a file of Normal-mode keys) and
    /// runs it when its text is known; false when it leaves the editor.
    fn source(&mut self, text: &str, keys: bool) -> bool {
        // `emacs -l ert`: a library found on the load path, not a file here.
        if self.language == Language::Emacs && !paths::looks_like_path(text) {
            return true;
        }
        let path = self.path(text);
        self.outcome.read(path.clone(), false);
        let code = if self.depth < MAX_SOURCE_DEPTH {
            self.written_text(&path)
        } else {
            None
        };
        let Some(code) = code else {
            self.outcome
                .opaque
                .push(format!("{} runs its code from {path}", self.inv.program));
            return true;
        };
        let actions = match self.language {
            Language::Vim if keys => code
                .lines()
                .filter_map(|line| line.strip_prefix(':'))
                .flat_map(|line| ex::line(line, ex::Dialect::Vim))
                .collect(),
            Language::Vim if path.ends_with(".lua") => ex::lua(&code),
            Language::Vim => ex::script(&code, ex::Dialect::Vim),
            Language::Ed => ex::script(&code, ex::Dialect::Ed),
            Language::Emacs => emacs::lisp(&code),
        };
        self.depth += 1;
        let going = self.run(actions);
        self.depth -= 1;
        going
    }

    /// A name as an absolute path, from the editor's directory.
    fn path(&self, text: &str) -> String {
        paths::resolve(&self.cwd, self.inv.home, text)
    }

    /// Loads a file into the buffer (a file argument, `:e FILE`).
    fn visit(&mut self, text: &str) {
        let path = self.path(text);
        self.outcome.read(path.clone(), false);
        self.buffer = Some(path);
    }

    /// Does what every action says, in order, until one leaves the editor;
    /// false when one did.
    fn run(&mut self, actions: Vec<Action>) -> bool {
        actions.into_iter().all(|action| self.apply(action))
    }

    /// Does what `action` says; false when it leaves the editor.
    fn apply(&mut self, action: Action) -> bool {
        match action {
            Action::Shell {
                text,
                input,
                expand,
            } => self.shell(&text, input, expand),
            Action::Argv(words) => {
                let argv = words.iter().map(|w| Arg::literal(w)).collect();
                self.nested(Nested::Argv {
                    argv,
                    env: Vec::new(),
                    cwd: self.moved_cwd(),
                });
            }
            Action::Code {
                program,
                flag,
                code,
            } => {
                let argv = vec![
                    Arg::literal(program),
                    Arg::literal(flag),
                    Arg::literal(&code),
                ];
                self.nested(Nested::Argv {
                    argv,
                    env: Vec::new(),
                    cwd: self.moved_cwd(),
                });
            }
            Action::Write { path, append } => self.write(path.as_deref(), append),
            Action::WriteText { path, text, append } => {
                let path = self.path(&path);
                if !append {
                    let mut holds = Payload::default();
                    flow::push_text(&mut holds, &text);
                    self.outcome.contents.push((path.clone(), holds));
                }
                self.outcome.write(path, append);
            }
            Action::Read(text) => {
                let path = self.path(&self.expand_names(&text));
                self.outcome.read(path, false);
            }
            Action::Edit(Some(text)) => self.visit(&self.expand_names(&text)),
            Action::Edit(None) => self.buffer = None,
            Action::Rename(text) => self.buffer = Some(self.path(&text)),
            Action::Source(text) => return self.source(&text, false),
            Action::Keys(text) => return self.source(&text, true),
            Action::Delete { path, recursive } => {
                let path = self.path(&path);
                self.outcome.delete(path, recursive);
            }
            Action::Copy { from, to } => {
                let (from, to) = (self.path(&from), self.path(&to));
                self.outcome.read(from.clone(), false);
                self.outcome
                    .contents
                    .push((to.clone(), flow::file_payload(from, false)));
                self.outcome.write(to, false);
            }
            Action::Fetch { url: address, into } => {
                let fetch = request(
                    self.inv.program,
                    url(&address),
                    "GET",
                    Payload::default(),
                    false,
                );
                self.outcome.effects.push(fetch);
                if let Some(file) = into {
                    let path = self.path(&file);
                    self.outcome.write(path, false);
                }
            }
            Action::Chdir(text) => self.cwd = self.path(&text),
            Action::Quit => return false,
        }
        true
    }

    /// The editor's directory when a command moved it, for what it runs.
    fn moved_cwd(&self) -> Option<String> {
        (self.cwd != self.inv.cwd).then(|| self.cwd.clone())
    }

    fn nested(&mut self, job: Nested) {
        self.outcome.nested.push(job);
    }

    /// Runs shell text as `'shell' -c TEXT`, the buffer's file on its
    /// standard input when `input`.
    fn shell(&mut self, text: &str, input: bool, expand: bool) {
        if self.restricted {
            self.outcome.opaque.push(format!(
                "{} refuses a shell command in restricted mode: {text}",
                self.inv.program
            ));
            return;
        }
        let mut text = if expand {
            self.expand_names(text)
        } else {
            text.to_owned()
        };
        if text.trim().is_empty() {
            return;
        }
        if let (true, Some(buffer)) = (input, &self.buffer) {
            text = format!("{{ {text}\n}} < {}", words::quote(buffer));
        }
        let what = format!("a command {} runs", self.inv.program);
        match self.moved_cwd() {
            None => self.nested(Nested::Script { text, what }),
            Some(dir) => self.nested(Nested::Argv {
                argv: vec![Arg::literal("sh"), Arg::literal("-c"), Arg::literal(&text)],
                env: Vec::new(),
                cwd: Some(dir),
            }),
        }
    }

    /// Writes a file, or the buffer's; another file written from the
    /// buffer holds what the buffer's file held.
    fn write(&mut self, path: Option<&str>, append: bool) {
        let target = match path {
            Some(text) => self.path(&self.expand_names(text)),
            None => match &self.buffer {
                Some(buffer) => buffer.clone(),
                None => return,
            },
        };
        if let Some(buffer) = &self.buffer
            && *buffer != target
            && !append
        {
            self.outcome
                .contents
                .push((target.clone(), flow::file_payload(buffer.clone(), false)));
        }
        self.outcome.write(target, append);
    }

    /// Text with vim's and ed's `%` (with `:p`, `:h`, `:t`, `:r`, `:e`
    /// modifiers) replaced by the buffer's file name, as they put it,
    /// unquoted; `\%` is a plain `%`. Without a buffer the text stays as
    /// written.
    fn expand_names(&self, text: &str) -> String {
        let Some(buffer) = &self.buffer else {
            return text.replace("\\%", "%");
        };
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find(['%', '\\']) {
            out.push_str(&rest[..at]);
            let tail = &rest[at..];
            if let Some(after) = tail.strip_prefix("\\%") {
                out.push('%');
                rest = after;
                continue;
            }
            if let Some(after) = tail.strip_prefix('\\') {
                out.push('\\');
                rest = after;
                continue;
            }
            let (name, after) = name_modifiers(buffer, &tail[1..]);
            out.push_str(&name);
            rest = after;
        }
        out.push_str(rest);
        out
    }
}

/// The buffer's file name with the `:p`/`:h`/`:t`/`:r`/`:e` modifiers at
/// the start of `after` applied, and what follows them.
fn name_modifiers<'t>(buffer: &str, mut after: &'t str) -> (String, &'t str) {
    let mut name = buffer.to_owned();
    while let Some(rest) = after.strip_prefix(':') {
        let Some(letter) = rest.chars().next() else {
            break;
        };
        name = match letter {
            'p' => name,
            'h' => name
                .rsplit_once('/')
                .map_or_else(|| ".".to_owned(), |(dir, _)| dir.to_owned()),
            't' => paths::basename(&name).to_owned(),
            'r' => match name.rsplit_once('.') {
                Some((stem, ext)) if !ext.contains('/') => stem.to_owned(),
                _ => name,
            },
            'e' => match name.rsplit_once('.') {
                Some((_, ext)) if !ext.contains('/') => ext.to_owned(),
                _ => String::new(),
            },
            _ => break,
        };
        after = &rest[1..];
    }
    (name, after)
}

/// Words as one shell line, each quoted.
fn quote_words(list: &[String]) -> String {
    list.iter()
        .map(|w| words::quote(w))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modifiers_edit_the_buffer_name() {
        let buffer = "/w/src/app.py";
        assert_eq!(name_modifiers(buffer, ":h x").0, "/w/src");
        assert_eq!(name_modifiers(buffer, ":t:r").0, "app");
        assert_eq!(name_modifiers(buffer, ":e").0, "py");
        assert_eq!(
            name_modifiers(buffer, " rest"),
            (buffer.to_owned(), " rest")
        );
    }
}
