//! Script blocks given as values (`ForEach-Object { ... }`, `Start-Job
//! -ScriptBlock { ... }`, `$b = { ... }`): [`to_bash`] keeps each one as a
//! single word holding its PowerShell text, braces and all, and the
//! cmdlets that run a block run that text as PowerShell, so the cmdlets
//! inside it are read as top-level ones are.

use super::to_bash;
use crate::args::Arg;
use crate::commands::{Invocation, Nested, Outcome};

/// The PowerShell text of a script block written as a value (`{ ... }`),
/// without its braces.
pub(super) fn body(word: &Arg) -> Option<&str> {
    word.text
        .trim()
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
}

/// A job that runs a script block's `code` here.
pub(super) fn local_job(code: &str, what: &str) -> Nested {
    Nested::Script {
        text: to_bash(code),
        what: what.to_owned(),
    }
}

/// Cmdlets that run the script blocks they are given, here: the pipeline
/// cmdlets (`ForEach-Object`'s `-Begin`, `-Process`, `-End` and
/// `-Parallel` blocks, `Where-Object`'s filter), background and timed
/// runs, and event actions.
const RUNNERS: &[&str] = &[
    "foreach-object",
    "%",
    "where-object",
    "where",
    "?",
    "start-job",
    "sajb",
    "start-threadjob",
    "measure-command",
    "register-objectevent",
    "register-engineevent",
    "register-wmievent",
    "register-cimindicationevent",
    "register-scheduledjob",
    "trace-command",
];

/// `ForEach-Object { ... }` and the other [`RUNNERS`]: each block given
/// runs here, with the pipeline's input.
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    if !RUNNERS.contains(&inv.program) {
        return None;
    }
    let mut outcome = Outcome::default();
    let what = format!("{} script block", inv.program);
    for code in inv.args.iter().filter_map(body) {
        outcome.nested.push(local_job(code, &what));
    }
    // A filter passes on what it is given, not what its block prints.
    if matches!(inv.program, "where-object" | "where" | "?") {
        outcome.stdout = Some(inv.stdin.clone());
    }
    Some(outcome)
}
