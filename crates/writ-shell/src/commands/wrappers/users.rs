//! Programs that run a command as another user or group, analysed as if
//! the command ran directly: `su [-] [USER] -c CMD` and `runuser -l USER
//! -c CMD` give CMD to the user's shell; `runuser -u USER [--] CMD ARG...`,
//! `gosu USER CMD...`, `su-exec USER[:GROUP] CMD...` and `pkexec [--user
//! USER] CMD...` run CMD with its arguments.

use super::super::{Invocation, Nested, Outcome};
use super::run_argv;
use crate::args::{self, Arg, Spec};

/// The options of util-linux's `su` and `runuser` that take a value.
const SU_OPTIONS: Spec<'static> = Spec {
    short: "cgGsuw",
    long: &[
        "command",
        "session-command",
        "group",
        "supp-group",
        "shell",
        "user",
        "whitelist-environment",
    ],
    stop_after: None,
};

/// The command `inv` runs as another user, when it is one of these.
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    Some(match inv.program {
        "su" | "runuser" => su(inv),
        // `gosu USER CMD ARG...`, `su-exec USER[:GROUP] CMD ARG...`.
        "gosu" | "su-exec" => run_argv(inv.args.iter().skip(1).cloned().collect(), None),
        "pkexec" => pkexec(inv),
        _ => return None,
    })
}

/// `su`/`runuser`: `-c CMD` (`--command`, `--session-command`) runs CMD
/// in the user's shell; `runuser -u USER` runs the words after its options
/// (and `--`) as the command itself.
fn su(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &SU_OPTIONS);
    if let Some(text) = args::value(&items, &["-c", "--command", "--session-command"]) {
        return shell_text(inv.program, text);
    }
    if inv.program != "runuser" || !args::has(&items, &["-u", "--user"]) {
        return Outcome::default();
    }
    // The command's own options are not runuser's.
    let items = args::parse(
        inv.args,
        &Spec {
            stop_after: Some(1),
            ..SU_OPTIONS
        },
    );
    run_argv(
        args::positionals(&items).into_iter().cloned().collect(),
        None,
    )
}

/// `pkexec [--user USER] [--disable-internal-agent] [--keep-cwd] CMD ARG...`.
fn pkexec(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            long: &["user"],
            stop_after: Some(1),
            ..Spec::default()
        },
    );
    run_argv(
        args::positionals(&items).into_iter().cloned().collect(),
        None,
    )
}

/// Shell text run by `program`'s shell.
fn shell_text(program: &str, text: &Arg) -> Outcome {
    let mut outcome = Outcome::default();
    outcome.nested.push(Nested::Script {
        text: text.text.clone(),
        what: format!("{program} -c"),
    });
    outcome
}
