//! A push goes where git's URL settings send it: `url.BASE.insteadOf`,
//! `url.BASE.pushInsteadOf` and `remote.NAME.pushurl`, given on the line
//! (`-c`, `git config`) or written by an earlier step of the session, join
//! the URL the session or the deployment knows for the remote's name.

#![allow(clippy::panic, clippy::unwrap_used)]

use crate::common;

use common::{decide_after, engine, ran, shell};
use writ_core::{Decision, Effect, Engine, Route};

const DEPLOYMENT: &str = r#"{
    "organization": "acme",
    "workspace": "/home/dana/ws",
    "home": "/home/dana",
    "org_domains": ["acme.io"],
    "git_remotes": {"origin": "https://github.com/acme/ws.git"},
    "org_repos": ["github.com/acme/*"]
}"#;

/// The decision on `command` after `earlier` ran, in order.
fn after(engine: &Engine, earlier: &[&str], command: &str) -> Decision {
    decide_after(engine, &ran(earlier), &shell(command))
}

/// Where the decision's pushes go.
fn pushed_to(decision: &Decision) -> Vec<String> {
    decision
        .facts
        .effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::GitPush { remote, .. } => Some(remote.clone()),
            _ => None,
        })
        .collect()
}

fn check(earlier: &[&str], command: &str, to: &str, route: Route) {
    let engine = engine(DEPLOYMENT);
    let decision = after(&engine, earlier, command);
    assert_eq!(
        pushed_to(&decision),
        vec![to.to_owned()],
        "{earlier:?} {command}"
    );
    assert_eq!(decision.route, route, "{earlier:?} {command}");
}

const ORIGIN: &str = "https://github.com/acme/ws.git";
const PERSONAL: &str = "https://github.com/dana-personal/ws.git";

#[test]
fn the_lines_settings_move_a_remote_the_deployment_names() {
    for command in [
        r#"git -c url."https://github.com/dana-personal/".insteadOf="https://github.com/acme/" push origin feature/x"#,
        "git -c url.https://github.com/dana-personal/.pushInsteadOf=https://github.com/acme/ push origin feature/x",
        "git config remote.origin.pushurl https://github.com/dana-personal/ws.git && git push origin feature/x",
        "git remote set-url --push origin https://github.com/dana-personal/ws.git && git push",
        "git config url.https://github.com/dana-personal/.pushInsteadOf https://github.com/acme/ && git push origin feature/x",
    ] {
        check(&[], command, PERSONAL, Route::Block);
    }
    // Fetch-only settings and other remotes' leave the push where it was.
    check(
        &[],
        "git -c url.https://github.com/dana-personal/.insteadOf=https://gitlab.com/ push origin feature/x",
        ORIGIN,
        Route::Allow,
    );
    check(
        &[],
        "git -c remote.fork.pushurl=https://github.com/dana-personal/ws.git push origin feature/x",
        ORIGIN,
        Route::Allow,
    );
}

#[test]
fn an_earlier_steps_settings_move_a_later_push() {
    for earlier in [
        "git config --global url.https://github.com/dana-personal/.pushInsteadOf https://github.com/acme/",
        "git config --global url.https://github.com/dana-personal/.insteadOf https://github.com/acme/",
        "git config remote.origin.pushurl https://github.com/dana-personal/ws.git",
        "git remote set-url --push origin https://github.com/dana-personal/ws.git",
    ] {
        check(
            &[earlier],
            "git push origin feature/x",
            PERSONAL,
            Route::Block,
        );
    }
    // A repository's own setting holds in that repository only.
    check(
        &[
            "cd /tmp/other && git config url.https://github.com/dana-personal/.pushInsteadOf https://github.com/acme/",
        ],
        "git push origin feature/x",
        ORIGIN,
        Route::Allow,
    );
}

#[test]
fn the_session_and_the_line_join_in_one_pass() {
    // The line's longer prefix wins over the session's shorter one.
    check(
        &[
            "git config --global url.https://github.com/dana-personal/.insteadOf https://github.com/",
        ],
        "git -c url.https://github.com/acme-mirror/.insteadOf=https://github.com/acme/ push origin feature/x",
        "https://github.com/acme-mirror/ws.git",
        Route::Block,
    );
    // A push URL takes no pushInsteadOf, but an insteadOf.
    check(
        &[
            "git config --global url.https://drop.example/.pushInsteadOf https://github.com/",
            "git config --global url.https://github.com/dana-personal/.insteadOf https://github.com/acme-old/",
        ],
        "git -c remote.origin.pushurl=https://github.com/acme-old/ws.git push origin feature/x",
        PERSONAL,
        Route::Block,
    );
    // A remote an earlier step set is rewritten by the session's setting.
    check(
        &[
            "git remote add backup https://github.com/acme/ws-backup.git",
            "git config --global url.https://github.com/dana-personal/.pushInsteadOf https://github.com/acme/",
        ],
        "git push backup main",
        "https://github.com/dana-personal/ws-backup.git",
        Route::Block,
    );
}
