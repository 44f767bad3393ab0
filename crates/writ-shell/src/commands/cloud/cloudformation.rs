//! AWS CloudFormation's previews: commands that propose a change to a
//! stack for review and make none. `aws cloudformation create-change-set`
//! computes a change set (`execute-change-set` is the change), and
//! `aws cloudformation deploy --no-execute-changeset` creates one and
//! leaves it unexecuted, as `terraform plan` leaves its plan. The
//! commands that change a stack release to the environment its name holds.

use crate::args::{self, Item};

/// True when `aws cloudformation COMMAND` with these options only
/// proposes a change.
pub(super) fn previews(command: &str, items: &[Item<'_>]) -> bool {
    match command {
        "create-change-set" => true,
        "deploy" => args::has(items, &["--no-execute-changeset"]),
        _ => false,
    }
}

/// True when `aws cloudformation COMMAND` changes the stack it names
/// (creates, updates, deploys, deletes or executes a change set on it).
pub(super) fn changes_stack(command: &str) -> bool {
    matches!(
        command,
        "deploy" | "create-stack" | "update-stack" | "delete-stack" | "execute-change-set"
    )
}
