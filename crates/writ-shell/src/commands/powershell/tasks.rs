//! Scheduled tasks made with the ScheduledTasks cmdlets: `$a =
//! New-ScheduledTaskAction -Execute PROG -Argument ARGS` returns the
//! action (an [`Object::TaskAction`], which travels with `$a`);
//! `New-ScheduledTask -Action $a` a task that carries it; and
//! `Register-ScheduledTask ... -Action $a` (or `-InputObject $task`, or
//! either piped in) and `Set-ScheduledTask -Action $a` make the task run
//! it. As with `schtasks /create /tr`, what the task will run is a command
//! that runs, read as a command line of Windows (the program, then its
//! argument string) from the action's working directory.

use super::objects::{self, Object};
use super::{Bound, Cmdlet, bind, path_text};
use crate::args::Arg;
use crate::commands::windows::cmd_to_bash;
use crate::commands::{Invocation, Nested, Outcome};

/// `New-ScheduledTaskAction [-Execute] PROG [[-Argument] ARGS]
/// [[-WorkingDirectory] DIR] [-Id ID]`.
const NEW_ACTION: Cmdlet = Cmdlet {
    values: &[
        "execute",
        "argument",
        "workingdirectory",
        "id",
        "cimsession",
        "throttlelimit",
    ],
    positional: 3,
    switches: &["asjob"],
    aliases: &[("session", "cimsession")],
};

/// `Register-ScheduledTask`, `Set-ScheduledTask` and `New-ScheduledTask`:
/// the parameters that carry actions, and the rest so that their values
/// are not taken for positional ones.
const TASK: Cmdlet = Cmdlet {
    values: &[
        "taskname",
        "taskpath",
        "action",
        "inputobject",
        "trigger",
        "settings",
        "principal",
        "user",
        "password",
        "runlevel",
        "description",
        "xml",
        "cimsession",
        "throttlelimit",
    ],
    positional: 3,
    switches: &["asjob"],
    aliases: &[("session", "cimsession")],
};

/// The scheduled-task cmdlets this module reads.
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "new-scheduledtaskaction" => Some(new_action(inv)),
        "new-scheduledtask" => Some(new_task(inv)),
        "register-scheduledtask" | "set-scheduledtask" => Some(register(inv)),
        _ => None,
    }
}

/// `New-ScheduledTaskAction`: returns the action.
fn new_action(inv: &Invocation<'_>) -> Outcome {
    let bound = bind(&NEW_ACTION, inv.args);
    let mut outcome = Outcome::default();
    let Some(execute) = bound.value("execute") else {
        return outcome;
    };
    let action = Object::TaskAction {
        execute: unquoted(execute),
        arguments: bound.value("argument").map(unquoted).unwrap_or_default(),
        directory: bound.value("workingdirectory").map(unquoted),
    };
    outcome.stdout = Some(objects::printed(&[action]));
    outcome
}

/// A value's text without the quotes PowerShell would have removed.
fn unquoted(value: &Arg) -> String {
    let text = value.text.trim();
    for quote in ['\'', '"'] {
        if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote)) {
            return inner.to_owned();
        }
    }
    text.to_owned()
}

/// The actions the cmdlet is given: in its values (`-Action $a`,
/// `-InputObject $task`, or positional) and in what is piped to it.
fn actions(inv: &Invocation<'_>, bound: &Bound) -> Vec<Object> {
    let mut found: Vec<Object> = bound
        .values
        .iter()
        .map(|(_, value)| value)
        .chain(&bound.extra)
        .flat_map(objects::in_value)
        .collect();
    found.extend(objects::carried(inv.stdin));
    found.retain(|o| matches!(o, Object::TaskAction { .. }));
    found
}

/// `New-ScheduledTask -Action $a ...`: returns a task that carries them.
fn new_task(inv: &Invocation<'_>) -> Outcome {
    let bound = bind(&TASK, inv.args);
    let mut outcome = Outcome::default();
    let actions = actions(inv, &bound);
    if !actions.is_empty() {
        outcome.stdout = Some(objects::printed(&actions));
    }
    outcome
}

/// `Register-ScheduledTask`/`Set-ScheduledTask`: the task will run each
/// of its actions.
fn register(inv: &Invocation<'_>) -> Outcome {
    let bound = bind(&TASK, inv.args);
    let mut outcome = Outcome::default();
    for action in actions(inv, &bound) {
        if let Some(job) = action_job(inv, &action) {
            outcome.nested.push(job);
        }
    }
    outcome
}

/// What a task action runs: its program with its argument string, a
/// Windows command line, from its working directory.
fn action_job(inv: &Invocation<'_>, action: &Object) -> Option<Nested> {
    let Object::TaskAction {
        execute,
        arguments,
        directory,
    } = action
    else {
        return None;
    };
    let program = if execute.contains(' ') && !execute.starts_with('"') {
        format!("\"{execute}\"")
    } else {
        execute.clone()
    };
    let line = format!("{program} {arguments}");
    let text = cmd_to_bash(line.trim());
    Some(Nested::Argv {
        argv: vec![Arg::literal("sh"), Arg::literal("-c"), Arg::literal(&text)],
        env: Vec::new(),
        cwd: directory.as_ref().map(|d| inv.path(&path_text(d))),
    })
}
