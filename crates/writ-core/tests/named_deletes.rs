//! `find ROOT -name N -exec rm -rf {} +` deletes the entries named N below
//! ROOT. When the workspace, the home directory or a directory on the way
//! to them bears one of the names, that protected tree goes
//! (DESTROY_PROTECTED), though no path on the line names it.

#![allow(clippy::unwrap_used)]

use crate::common;

use common::{decide, engine, shell};
use writ_core::Route;

const DEPLOYMENT: &str = r#"{
    "organization": "acme",
    "workspace": "/home/dana/src/acme-web",
    "home": "/home/dana"
}"#;

fn routed(command: &str) -> (Route, Vec<String>) {
    let decision = decide(&engine(DEPLOYMENT), &shell(command));
    (decision.route, decision.reasons)
}

#[test]
fn a_named_delete_that_reaches_a_protected_tree_destroys_it() {
    for command in [
        "cd .. && find . -maxdepth 1 -type d -name acme-web -exec rm -rf {} +",
        "find ~ -name 'acme-*' -prune -exec rm -rf {} +",
        // A directory on the way to the workspace takes it along.
        "find /home/dana -maxdepth 1 -name src -exec rm -rf {} \\;",
        "find /home -name dana -exec rm -rf {} +",
    ] {
        let (route, reasons) = routed(command);
        assert_eq!(route, Route::Block, "{command}");
        assert!(
            reasons.contains(&"DESTROY_PROTECTED".to_owned()),
            "{command}: {reasons:?}"
        );
    }
}

#[test]
fn named_deletes_of_other_entries_destroy_nothing_protected() {
    for command in [
        "find . -name '*.pyc' -delete",
        "find . -name acme-web -exec rm -rf {} +",
        "find ~/src -name node_modules -prune -exec rm -rf {} +",
    ] {
        let (route, reasons) = routed(command);
        assert!(
            !reasons.contains(&"DESTROY_PROTECTED".to_owned()),
            "{command}: {reasons:?}"
        );
        assert_ne!(route, Route::Block, "{command}");
    }
}
