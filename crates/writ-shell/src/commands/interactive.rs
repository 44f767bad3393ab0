//! Interactive programs whose own commands run shell lines: Tcl shells
//! ([`super::tcl`]: `tclsh`, `wish`), `expect`
//! scripts ([`expect`]: `spawn`, `exec`, `system`, text sent to a spawned
//! shell) and debuggers ([`debuggers`]: gdb's `shell`, `!`, `pipe` and
//! `call system(...)`, lldb's `platform shell` and `script`). What such a
//! command runs is nested shell text, analysed as the shell would run
//! it. Command files written earlier (`expect -f F`, `gdb -x F`, `lldb -s
//! F`) are read by [`written_scripts`].

mod debuggers;
mod expect;

use super::sql::Lookup;
use super::{Invocation, Outcome};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "expect" => Some(expect::handle(inv)),
        program if super::tcl::is_tcl(program) => Some(super::tcl::handle(inv)),
        _ => debuggers::handle(inv),
    }
}

/// The command files of an interactive program whose text is known
/// (written earlier on the line or by an earlier step): each runs as the
/// commands it holds, in place of the opaque note its handler left.
pub(crate) fn written_scripts(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    if super::tcl::is_tcl(inv.program) {
        super::tcl::written_scripts(inv, outcome, text_of);
        return;
    }
    let files = match inv.program {
        "expect" => expect::script_files(inv),
        _ => debuggers::script_files(inv),
    };
    for (path, note) in files {
        let Some(text) = text_of(&path) else {
            continue;
        };
        let ran = match inv.program {
            "expect" => expect::script(inv, &text),
            _ => debuggers::script(inv, &path, &text),
        };
        outcome.opaque.retain(|line| *line != note);
        merge(outcome, ran);
    }
}

/// Adds what `more` found to `outcome`.
pub(super) fn merge(outcome: &mut Outcome, more: Outcome) {
    outcome.effects.extend(more.effects);
    outcome.opaque.extend(more.opaque);
    outcome.nested.extend(more.nested);
    match (&mut outcome.nested_credential, more.nested_credential) {
        (Some((typed, _)), Some((more, _))) => crate::flow::merge(typed, &more),
        (slot @ None, more) => *slot = more,
        (Some(_), None) => {}
    }
}
