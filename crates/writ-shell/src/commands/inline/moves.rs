//! Files moved by a call that renames one, given both paths as literals:
//! Perl's and PHP's `rename("a", "b")` (and Python's `os.rename`, Node's
//! `fs.renameSync`, Ruby's `File.rename`, which end in the same name),
//! Python's `os.replace` and `shutil.move`, Ruby's `FileUtils.mv`, .NET's
//! `File.Move`, Perl's `File::Copy` `move`. As `mv a b` moves it, the file
//! is gone from where it was (a delete) and written where it goes,
//! holding what it held.

use super::super::files::{Copy, transfer};
use super::{Literal, called_with};
use crate::commands::{Invocation, Outcome};

/// Calls whose two first arguments are the path moved and where it goes.
const MOVE_CALLS: &[&str] = &[
    "rename",
    "renameSync",
    "os.replace",
    "shutil.move",
    "FileUtils.mv",
    "FileUtils.move",
    "File.Move",
];

/// Perl's `File::Copy` moves, by the names it exports.
const PERL_MOVE_CALLS: &[&str] = &["move", "File::Copy::move"];

/// Adds each move the code makes to `outcome`, as `mv` would report it;
/// returns the indices of the literals that name them.
pub(super) fn moved(
    inv: &Invocation<'_>,
    code: &str,
    literals: &[Literal],
    outcome: &mut Outcome,
) -> Vec<usize> {
    let mut used = Vec::new();
    for (index, pair) in literals.windows(2).enumerate() {
        let [from, to] = pair else { continue };
        let before = code.get(..from.start).unwrap_or_default();
        let is_move = called_with(before, MOVE_CALLS).is_some_and(|call| !call.list)
            || (inv.program.starts_with("perl") && called_with(before, PERL_MOVE_CALLS).is_some());
        let between = code.get(from.end..to.start).unwrap_or_default();
        if !is_move || between.trim() != "," || from.backtick || to.backtick {
            continue;
        }
        let copy = Copy {
            recursive: false,
            moving: true,
            into_dir: to.text.ends_with('/'),
        };
        transfer(inv, &[from.text.as_str()], &to.text, &copy, outcome);
        used.extend([index, index + 1]);
    }
    used
}
