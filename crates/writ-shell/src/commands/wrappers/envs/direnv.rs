//! direnv: `direnv exec DIR CMD ARGS...` loads the environment of DIR's
//! `.envrc` (the closest one, in DIR or above it), which bash runs in its
//! own directory, then runs CMD with it from the current directory.

use super::super::{Invocation, Outcome, run_argv};
use super::{Lookup, Prelude, find_file, run_after};

/// `direnv exec DIR CMD...`: the command, as if run directly; the
/// `.envrc` is added when its text is known (`written`).
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.args {
        [verb, _dir, command @ ..] if verb.text == "exec" => Some(run_argv(command.to_vec(), None)),
        _ => None,
    }
}

/// The `.envrc` `direnv exec` sources before its command, when it was
/// written (or read) earlier.
pub(super) fn written(inv: &Invocation<'_>, outcome: &mut Outcome, text_of: &Lookup<'_>) {
    let [verb, dir, ..] = inv.args else {
        return;
    };
    if verb.text != "exec" {
        return;
    }
    let Some((envrc_dir, _, text)) = find_file(&inv.path(&dir.text), &[".envrc"], true, text_of)
    else {
        return;
    };
    let prelude = Prelude {
        text: &text,
        dir: &envrc_dir,
        env: Vec::new(),
        what: "direnv .envrc",
    };
    run_after(outcome, prelude, inv.cwd);
}
