//! A refspec's `+` forces that refspec only: `git push origin +feat/x
//! main` force-pushes a feature branch (a warning) and pushes `main`
//! plainly (an approval for the protected branch), not a force push of
//! `main`.

#![allow(clippy::panic, clippy::unwrap_used)]

use crate::common;

use common::{decide, engine, shell};
use writ_core::Route;

const DEPLOYMENT: &str = r#"{
    "organization": "acme",
    "workspace": "/home/dana/ws",
    "home": "/home/dana",
    "org_domains": ["acme.io"],
    "org_repos": ["github.com/acme/*"],
    "protected_branches": ["main", "release/*"],
    "git_remotes": {"origin": "https://github.com/acme/app.git"}
}"#;

fn routed(command: &str) -> (Route, Vec<String>) {
    let decision = decide(&engine(DEPLOYMENT), &shell(command));
    (decision.route, decision.reasons)
}

#[test]
fn a_plus_forces_only_its_own_refspec() {
    let (route, reasons) = routed("git push origin +feat/x main");
    assert_eq!(route, Route::RequireApproval, "{reasons:?}");
    assert!(
        reasons.contains(&"PROTECTED_BRANCH_PUSH".to_owned()),
        "{reasons:?}"
    );
    assert!(reasons.contains(&"FORCE_PUSH".to_owned()), "{reasons:?}");
    assert!(
        !reasons.contains(&"DESTROY_PROTECTED".to_owned()),
        "{reasons:?}"
    );
}

#[test]
fn a_forced_protected_refspec_beside_a_plain_one_still_destroys() {
    let (route, reasons) = routed("git push origin feat/x +main");
    assert_eq!(route, Route::Block, "{reasons:?}");
    assert!(
        reasons.contains(&"DESTROY_PROTECTED".to_owned()),
        "{reasons:?}"
    );
    // `--force` forces every refspec.
    let (route, _) = routed("git push --force origin feat/x main");
    assert_eq!(route, Route::Block);
}
