//! What vendor CLIs reach: a credential given to a hosting CLI on its
//! command line goes to the vendor's API; a bare ssh login sends nothing.

#![allow(clippy::panic, clippy::unwrap_used)]

use crate::common;

use common::{assert_routes, engine, shell};
use writ_core::Route;

const DEPLOYMENT: &str = r#"{
    "organization": "acme",
    "workspace": "/home/dana/ws",
    "home": "/home/dana",
    "org_domains": ["acme.io"],
    "secret_env": ["VERCEL_TOKEN", "NETLIFY_AUTH_TOKEN", "FLY_API_TOKEN"],
    "production": {"environments": ["production"]}
}"#;

#[test]
fn a_secret_token_on_a_hosting_clis_command_line_goes_to_its_vendor() {
    let engine = engine(DEPLOYMENT);
    assert_routes(
        &engine,
        "token to the vendor",
        &[
            shell("vercel deploy --yes --token \"$VERCEL_TOKEN\" --cwd apps/docs"),
            shell("flyctl deploy --app api-staging --access-token=$FLY_API_TOKEN"),
        ],
        Route::Block,
        &["EXFIL_SECRET"],
    );
    assert_routes(
        &engine,
        "token with a production release",
        &[
            shell("vercel deploy --prod --token $VERCEL_TOKEN"),
            shell("netlify deploy --dir=dist --prod --auth \"$NETLIFY_AUTH_TOKEN\""),
        ],
        Route::Block,
        &["EXFIL_SECRET", "PROD_CHANGE"],
    );
    // No credential, or one that is not secret: the deploy's own rules only
    // (a deploy is not a generic external write).
    assert_routes(
        &engine,
        "no secret",
        &[
            shell("vercel deploy --yes --cwd apps/docs"),
            shell("vercel deploy --token \"$CI_PREVIEW_TOKEN\""),
        ],
        Route::Allow,
        &[],
    );
    assert_routes(
        &engine,
        "production without a token",
        &[shell("vercel --prod")],
        Route::RequireApproval,
        &["PROD_CHANGE"],
    );
}

#[test]
fn an_ssh_login_that_runs_and_sends_nothing_is_not_a_write() {
    let engine = engine(DEPLOYMENT);
    assert_routes(
        &engine,
        "login check",
        &[
            shell("ssh -T git@github.com"),
            shell("ssh deploy@bastion.example.net"),
        ],
        Route::Allow,
        &[],
    );
    assert_routes(
        &engine,
        "a command, a forward or input",
        &[
            shell("ssh deploy@bastion.example.net uptime"),
            shell("ssh -R 8080:localhost:3000 serveo.net"),
            shell("echo hi | ssh deploy@bastion.example.net"),
        ],
        Route::RequireApproval,
        &["EXTERNAL_WRITE"],
    );
}
