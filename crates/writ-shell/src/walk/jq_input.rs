//! `jq FILTER FILE` over a file whose text is known (an earlier step wrote
//! it): jq prints what it would print with that text on standard input,
//! so `CTX=$(jq -r --arg e "$ENV" '.[$e].context' deploy/envs.json)` is
//! the context the file names. The handler still reports the read; only
//! the printed value is filled in. One file operand, no filter file, no
//! `--args`, and no standard input of its own.

use super::Analyzer;
use crate::args::Arg;
use crate::commands::{self, Invocation, Outcome};
use crate::{Payload, flow, paths};

/// jq's options that take one value, and those that take two.
const ONE_VALUE: &[&str] = &["--indent"];
const TWO_VALUES: &[&str] = &["--arg", "--argjson"];

impl Analyzer<'_> {
    /// Fills in what `jq FILTER FILE` prints when the file's text is known.
    pub(super) fn jq_known_file(&self, inv: &Invocation<'_>, outcome: &mut Outcome) {
        if !matches!(inv.program, "jq" | "gojq" | "jaq")
            || outcome.stdout.is_some()
            || inv.has_stdin
            || self.contents.is_empty()
        {
            return;
        }
        let Some(at) = file_operand(inv.args) else {
            return;
        };
        let Some(file) = inv.args.get(at) else {
            return;
        };
        let Some(text) = self.script_text(&paths::resolve(inv.cwd, inv.home, &file.text)) else {
            return;
        };
        let mut args = inv.args.to_vec();
        args.remove(at);
        let mut input = Payload::default();
        flow::push_text(&mut input, &text);
        let with_input = Invocation {
            args: &args,
            stdin: &input,
            has_stdin: true,
            ..*inv
        };
        outcome.stdout = commands::dispatch(&with_input).stdout;
    }
}

/// The index of jq's one file operand, after its filter; `None` with
/// none, several, a dynamic one, `-f`/`--from-file`, `--args`,
/// `--jsonargs`, `--slurpfile`/`--rawfile` or `-n`.
fn file_operand(args: &[Arg]) -> Option<usize> {
    let mut operands = Vec::new();
    let mut options_done = false;
    let mut at = 0;
    while let Some(word) = args.get(at) {
        let text = word.text.as_str();
        if options_done || !text.starts_with('-') || text == "-" {
            operands.push(at);
        } else if text == "--" {
            options_done = true;
        } else if word.dynamic {
            return None;
        } else if TWO_VALUES.contains(&text) {
            at += 2;
        } else if ONE_VALUE.contains(&text) {
            at += 1;
        } else if text.starts_with("--") {
            if matches!(
                text,
                "--args"
                    | "--jsonargs"
                    | "--from-file"
                    | "--slurpfile"
                    | "--rawfile"
                    | "--null-input"
            ) {
                return None;
            }
        } else if text.contains(['f', 'n']) {
            // `-f FILE` (the filter from a file), `-n` (no input).
            return None;
        }
        at += 1;
    }
    match operands.as_slice() {
        [_filter, file] => args
            .get(*file)
            .filter(|a| !a.dynamic && a.text != "-")
            .map(|_| *file),
        _ => None,
    }
}
