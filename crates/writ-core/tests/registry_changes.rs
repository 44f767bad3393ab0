//! Changes at package registries route as the writes they are: a publish
//! after global options, a NuGet push, a Python publisher's upload, a
//! yank and an owner change at crates.io, an `npm access` change; making
//! an existing org package public is a public exposure. The same commands
//! to the organisation's own registry are not external writes.

#![allow(clippy::panic, clippy::unwrap_used)]

use crate::common;

use common::{assert_routes, decide_after, engine, shell};
use writ_core::Route;

const DEPLOYMENT: &str = r#"{
    "organization": "acme",
    "workspace": "/home/dana/ws",
    "home": "/home/dana",
    "org_domains": ["acme.io", "acme.internal"],
    "secret_env": ["NUGET_API_KEY", "CARGO_REGISTRY_TOKEN"]
}"#;

#[test]
fn registry_uploads_and_changes_are_external_writes() {
    let engine = engine(DEPLOYMENT);
    assert_routes(
        &engine,
        "to a public registry",
        &[
            shell("pnpm --filter @acme/icons publish --access public --no-git-checks"),
            shell("npm --workspace ui publish"),
            shell(
                "dotnet nuget push bin/Release/Acme.Client.3.1.0.nupkg --source https://api.nuget.org/v3/index.json",
            ),
            shell("nuget push Acme.Client.3.1.0.nupkg"),
            shell("dotnet nuget delete Acme.Client 3.1.0 -s https://api.nuget.org/v3/index.json"),
            shell("cd python/tracing && flit publish"),
            shell("hatch publish"),
            shell("pdm publish"),
            shell("cargo yank --version 0.7.2 acme-codec"),
            shell("npm access set status=private @acme/ledger"),
            shell("npm deprecate @acme/ledger@1 'use 2'"),
        ],
        Route::RequireApproval,
        &["EXTERNAL_WRITE"],
    );
    assert_routes(
        &engine,
        "to the organisation's registry",
        &[
            shell("npm --registry https://npm.acme.internal publish"),
            shell("dotnet nuget push x.nupkg -s https://nuget.acme.internal/v3/index.json"),
            shell("pdm publish -r https://pypi.acme.internal/legacy/"),
            shell("cargo yank --version 1.0.0 --index sparse+https://cargo.acme.internal/index/ x"),
            shell("npm unpublish @acme/ledger@1.0.0 --registry https://npm.acme.internal"),
        ],
        Route::Allow,
        &[],
    );
    assert_routes(
        &engine,
        "a secret key to nuget.org",
        &[shell("dotnet nuget push x.nupkg -k $NUGET_API_KEY")],
        Route::Block,
        &["EXFIL_SECRET"],
    );
}

#[test]
fn access_changes_at_a_registry() {
    let engine = engine(DEPLOYMENT);
    assert_routes(
        &engine,
        "an org package made public",
        &[
            shell("npm access set status=public @acme/ledger"),
            shell("npm access public @acme/ledger"),
        ],
        Route::Block,
        &["PUBLIC_EXPOSURE", "EXTERNAL_WRITE"],
    );
    assert_routes(
        &engine,
        "who may publish",
        &[
            shell("npm access grant read-write acme:devs @acme/ledger"),
            shell("npm access revoke acme:devs @acme/ledger"),
            shell("npm owner rm mallory @acme/ledger"),
            shell("cargo owner --add github:acme:core acme-codec"),
            shell("cargo owner --remove mallory acme-codec"),
        ],
        Route::RequireApproval,
        &["EXTERNAL_WRITE", "PERMISSION_CHANGE"],
    );
    assert_routes(
        &engine,
        "listings",
        &[
            shell("npm access list packages acme"),
            shell("cargo owner --list acme-codec"),
        ],
        Route::Allow,
        &[],
    );
}

#[test]
fn a_push_after_a_blocked_one_is_a_retry() {
    let engine = engine(DEPLOYMENT);
    let blocked = shell("dotnet nuget push x.nupkg --api-key $NUGET_API_KEY");
    let decision = decide_after(
        &engine,
        &[(blocked, false)],
        &shell("dotnet nuget push x.nupkg --source https://api.nuget.org/v3/index.json"),
    );
    assert_eq!(decision.route, Route::RequireApproval);
    assert_eq!(decision.reasons, ["EXTERNAL_WRITE", "RETRY_AFTER_BLOCK"]);
}
