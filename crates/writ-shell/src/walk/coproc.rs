//! Coprocesses: `coproc [NAME] COMMAND`. Bash runs COMMAND with its
//! standard input and output connected to two descriptors of the shell,
//! whose numbers it puts in the array NAME (`COPROC` when unnamed):
//! `NAME[1]` writes COMMAND's input, `NAME[0]` reads its output, and
//! `NAME_PID` is its process id. The descriptors are the shell's open
//! descriptors (as `exec N>PATH` leaves them), each on a `/dev/fd/N` file
//! of its own, so `>&"${NAME[1]}"` and `<&"${NAME[0]}"` reach them. What
//! the line writes into NAME[1] is COMMAND's input: it runs with that
//! input when the line first reads its output, or when the shell ends.

use brush_parser::ast;

use super::{Analyzer, Array, Scope};
use crate::Payload;
use crate::args::Arg;
use crate::flow;

/// A coprocess the line started and what it was given.
#[derive(Debug)]
pub(super) struct Coprocess {
    /// The file of `NAME[1]`: what is written into it, COMMAND reads.
    input: String,
    /// The file of `NAME[0]`: what COMMAND prints, the shell reads.
    output: String,
    body: ast::Command,
    scope: Scope,
    /// What the line wrote into its input that it has not run with yet.
    pending: Option<Payload>,
    ran: bool,
}

impl Analyzer<'_> {
    /// `coproc [NAME] COMMAND`: NAME's descriptors open in `scope`, and
    /// COMMAND kept to run once the line has written its input.
    pub(super) fn start_coprocess(&mut self, co: &ast::CoprocessCommand, scope: &mut Scope) {
        let name = match &co.name {
            Some(word) => self.expand(&word.value, scope).text,
            None => "COPROC".to_owned(),
        };
        let output = self.process_file();
        let input = self.process_file();
        let mut array = Array::default();
        for path in [&output, &input] {
            let Some(fd) = descriptor_number(path) else {
                return;
            };
            array.elements.push(Arg::literal(&fd.to_string()));
            scope.descriptors.retain(|(n, _)| *n != fd);
            scope.descriptors.push((fd, path.clone()));
        }
        self.assign(scope, &name, array.joined());
        if let Some(var) = scope.vars.get_mut(&name) {
            var.array = Some(array);
        }
        let pid = Arg {
            text: format!("${name}_PID"),
            dynamic: true,
            ..Arg::default()
        };
        self.assign(scope, &format!("{name}_PID"), pid);
        self.coprocesses.push(Coprocess {
            input,
            output,
            body: (*co.body).clone(),
            scope: scope.clone(),
            pending: None,
            ran: false,
        });
    }

    /// Gives what was written into `path` to the coprocess whose input it
    /// is; false when `path` is no coprocess's input.
    pub(super) fn feed_coprocess(&mut self, path: &str, written: &Payload) -> bool {
        let Some(co) = self.coprocesses.iter_mut().find(|co| co.input == path) else {
            return false;
        };
        flow::merge(co.pending.get_or_insert_with(Payload::default), written);
        true
    }

    /// Before the shell reads `path`: when it is a coprocess's output, the
    /// coprocess runs with what it was given, so the file holds what it
    /// printed.
    pub(super) fn drain_coprocess(&mut self, path: &str) {
        if let Some(index) = self
            .coprocesses
            .iter()
            .position(|co| co.output == path && (!co.ran || co.pending.is_some()))
        {
            self.run_coprocess(index);
        }
    }

    /// At the end of a shell: the coprocesses it started (from `first` on)
    /// that never ran, or were given input after they ran, run with it.
    pub(super) fn finish_coprocesses(&mut self, first: usize) {
        for index in first..self.coprocesses.len() {
            if self
                .coprocesses
                .get(index)
                .is_some_and(|co| !co.ran || co.pending.is_some())
            {
                self.run_coprocess(index);
            }
        }
    }

    fn run_coprocess(&mut self, index: usize) {
        if self.depth >= super::MAX_DEPTH {
            return;
        }
        let Some(co) = self.coprocesses.get_mut(index) else {
            return;
        };
        co.ran = true;
        let input = co.pending.take();
        let body = co.body.clone();
        let mut scope = co.scope.clone();
        let output = co.output.clone();
        self.depth += 1;
        let printed = self.command(&body, &mut scope, input.as_ref());
        self.depth -= 1;
        flow::merge(self.contents.entry(output).or_default(), &printed);
    }
}

/// The descriptor number of a `/dev/fd/N` file.
fn descriptor_number(path: &str) -> Option<ast::IoFd> {
    path.strip_prefix("/dev/fd/")?.parse().ok()
}
