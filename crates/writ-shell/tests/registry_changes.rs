//! Table-driven tests for publishes and changes at package registries
//! beyond a plain `npm publish`: publishes after global options, NuGet
//! pushes and deletes, flit, hatch and pdm uploads, `npm access` and `npm
//! team`, owner changes, and cargo's `yank` and `owner`. Each case is a
//! command line and the exact effects (as JSON) `analyze` must report for
//! it, run in `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::{Value, json};

use crate::common;
use common::*;

fn grant(resource: &str, grantee: Option<&str>) -> Value {
    json!({"effect": "grant_access", "resource": {"kind": "other", "name": resource}, "grantee": grantee})
}

fn other(name: &str) -> Value {
    json!({"kind": "other", "name": name})
}

#[test]
fn node_publishes_after_global_options() {
    let npm_publish = |program: &str| {
        public_request(
            program,
            "https://registry.npmjs.org",
            "UPLOAD",
            payload(&[], &[(W, false)], &[]),
        )
    };
    run_table(&[
        (
            "pnpm --filter @acme/icons publish --access public --no-git-checks",
            json!([npm_publish("pnpm")]),
        ),
        ("pnpm -r publish", json!([npm_publish("pnpm")])),
        ("pnpm -F=@acme/ui publish", json!([npm_publish("pnpm")])),
        ("npm --workspace ui publish", json!([npm_publish("npm")])),
        ("npm -w ui publish", json!([npm_publish("npm")])),
        // The directory the options name is the one published.
        (
            "npm --prefix packages/ui publish",
            json!([public_request(
                "npm",
                "https://registry.npmjs.org",
                "UPLOAD",
                payload(&[], &[(&at("packages/ui"), false)], &[])
            )]),
        ),
        // Options other than the selectors still count.
        (
            "pnpm --registry https://npm.acme.io/ publish",
            json!([url_request(
                "pnpm",
                "https://npm.acme.io/",
                "UPLOAD",
                payload(&[], &[(W, false)], &[])
            )]),
        ),
        (
            "NPM_TOKEN=$CI_NPM pnpm --filter ui publish",
            json!([public_request(
                "pnpm",
                "https://registry.npmjs.org",
                "UPLOAD",
                payload(&["$CI_NPM"], &[(W, false)], &["CI_NPM"])
            )]),
        ),
        (
            "yarn --cwd packages/ui npm publish",
            json!([public_request(
                "yarn",
                "https://registry.yarnpkg.com",
                "UPLOAD",
                payload(&[], &[(&at("packages/ui"), false)], &[])
            )]),
        ),
        ("pnpm --filter ui publish --dry-run", json!([])),
    ]);
}

#[test]
fn npm_access_and_teams() {
    let access = |package: &str, method: &str, text: &[&str]| {
        url_request(
            "npm",
            &format!("https://registry.npmjs.org/-/package/{package}/access"),
            method,
            payload(text, &[], &[]),
        )
    };
    run_table(&[
        (
            "npm access set status=public @acme/ledger",
            json!([
                make_public(other("npm package @acme/ledger")),
                access("@acme/ledger", "PUT", &["status=public", "@acme/ledger"])
            ]),
        ),
        (
            "npm access public @acme/ledger",
            json!([
                make_public(other("npm package @acme/ledger")),
                access("@acme/ledger", "PUT", &["@acme/ledger"])
            ]),
        ),
        // Without a package, the working directory's.
        (
            "npm access set status=public",
            json!([
                make_public(other(&format!("npm package {W}"))),
                url_request(
                    "npm",
                    "https://registry.npmjs.org/-/package//access",
                    "PUT",
                    payload(&["status=public"], &[], &[])
                )
            ]),
        ),
        (
            "npm access set status=private @acme/ledger",
            json!([access(
                "@acme/ledger",
                "PUT",
                &["status=private", "@acme/ledger"]
            )]),
        ),
        (
            "npm access restricted @acme/ledger",
            json!([access("@acme/ledger", "PUT", &["@acme/ledger"])]),
        ),
        (
            "npm access grant read-write acme:devs @acme/ledger",
            json!([
                grant("npm package @acme/ledger", Some("acme:devs")),
                access(
                    "@acme/ledger",
                    "PUT",
                    &["read-write", "acme:devs", "@acme/ledger"]
                )
            ]),
        ),
        (
            "npm access revoke acme:devs @acme/ledger",
            json!([
                grant("npm package @acme/ledger", None),
                access("@acme/ledger", "DELETE", &["acme:devs", "@acme/ledger"])
            ]),
        ),
        // The scope's registry on the line.
        (
            "npm access set status=public @acme/ledger --@acme:registry=https://npm.acme.io",
            json!([
                make_public(other("npm package @acme/ledger")),
                url_request(
                    "npm",
                    "https://npm.acme.io/-/package/@acme/ledger/access",
                    "PUT",
                    payload(&["status=public", "@acme/ledger"], &[], &[])
                )
            ]),
        ),
        (
            "npm team add acme:devs mallory",
            json!([
                grant("npm team acme:devs", Some("mallory")),
                url_request(
                    "npm",
                    "https://registry.npmjs.org/-/team/acme/devs",
                    "PUT",
                    payload(&["acme:devs", "mallory"], &[], &[])
                )
            ]),
        ),
        ("npm access list packages acme", json!([])),
        ("npm access get status @acme/ledger", json!([])),
        ("npm team ls acme:devs", json!([])),
    ]);
}

#[test]
fn registry_state_changes() {
    run_table(&[
        (
            "npm owner rm mallory @acme/ui",
            json!([
                grant("npm package @acme/ui", None),
                url_request(
                    "npm",
                    "https://registry.npmjs.org/@acme/ui",
                    "DELETE",
                    payload(&["mallory", "@acme/ui"], &[], &[])
                )
            ]),
        ),
        (
            "pnpm unpublish @acme/ui@1.0.0",
            json!([url_request(
                "pnpm",
                "https://registry.npmjs.org/@acme/ui",
                "DELETE",
                payload(&["@acme/ui@1.0.0"], &[], &[])
            )]),
        ),
        // The environment's registry, as an install's.
        (
            "npm_config_registry=https://npm.acme.io npm deprecate left-pad@1 old",
            json!([url_request(
                "npm",
                "https://npm.acme.io/left-pad",
                "PUT",
                payload(&["left-pad@1", "old"], &[], &[])
            )]),
        ),
        (
            "npm --registry https://npm.acme.io/ unpublish x@1.0.0",
            json!([url_request(
                "npm",
                "https://npm.acme.io/x",
                "DELETE",
                payload(&["x@1.0.0"], &[], &[])
            )]),
        ),
    ]);
}

#[test]
fn cargo_yank_and_owner() {
    run_table(&[
        (
            "cargo yank --version 0.7.2 acme-codec",
            json!([url_request(
                "cargo",
                "https://crates.io/api/v1/crates/acme-codec/0.7.2/yank",
                "DELETE",
                payload(&["acme-codec", "0.7.2"], &[], &[])
            )]),
        ),
        (
            "cargo yank acme-codec@0.7.2 --undo --token $CRATES_TOKEN",
            json!([url_request(
                "cargo",
                "https://crates.io/api/v1/crates/acme-codec/0.7.2/unyank",
                "PUT",
                payload(
                    &["$CRATES_TOKEN", "acme-codec@0.7.2"],
                    &[],
                    &["CRATES_TOKEN"]
                )
            )]),
        ),
        (
            "cargo +stable yank --vers 1.0.0 --index sparse+https://cargo.acme.io/index/ acme-codec",
            json!([url_request(
                "cargo",
                "https://cargo.acme.io/index/api/v1/crates/acme-codec/1.0.0/yank",
                "DELETE",
                payload(&["acme-codec", "1.0.0"], &[], &[])
            )]),
        ),
        // A named registry, through the variable that gives its index.
        (
            "CARGO_REGISTRIES_ACME_INTERNAL_INDEX=sparse+https://cargo.acme.io/ cargo yank --registry acme-internal --version 1.0.0 x",
            json!([url_request(
                "cargo",
                "https://cargo.acme.io/api/v1/crates/x/1.0.0/yank",
                "DELETE",
                payload(&["x", "1.0.0"], &[], &[])
            )]),
        ),
        (
            "cargo owner --add github:acme:core,mallory acme-codec",
            json!([
                grant("cargo crate acme-codec", Some("github:acme:core")),
                grant("cargo crate acme-codec", Some("mallory")),
                url_request(
                    "cargo",
                    "https://crates.io/api/v1/crates/acme-codec/owners",
                    "PUT",
                    payload(&["acme-codec", "github:acme:core", "mallory"], &[], &[])
                )
            ]),
        ),
        (
            "cargo owner -r mallory acme-codec",
            json!([
                grant("cargo crate acme-codec", None),
                url_request(
                    "cargo",
                    "https://crates.io/api/v1/crates/acme-codec/owners",
                    "DELETE",
                    payload(&["acme-codec", "mallory"], &[], &[])
                )
            ]),
        ),
        ("cargo owner --list acme-codec", json!([])),
    ]);
}

#[test]
fn nuget_pushes_and_deletes() {
    let nupkg = at("bin/Release/Acme.Client.3.1.0.nupkg");
    run_table(&[
        (
            "dotnet nuget push bin/Release/Acme.Client.3.1.0.nupkg --source https://api.nuget.org/v3/index.json",
            json!([public_request(
                "dotnet",
                "https://api.nuget.org/v3/index.json",
                "UPLOAD",
                payload(&[], &[(&nupkg, false)], &[])
            )]),
        ),
        // nuget.org by default; the key is sent.
        (
            "dotnet nuget push bin/Release/Acme.Client.3.1.0.nupkg -k $NUGET_API_KEY",
            json!([public_request(
                "dotnet",
                "https://api.nuget.org/v3/index.json",
                "UPLOAD",
                payload(&["$NUGET_API_KEY"], &[(&nupkg, false)], &["NUGET_API_KEY"])
            )]),
        ),
        (
            "dotnet nuget push bin/Release/Acme.Client.3.1.0.nupkg --source=https://nuget.acme.io/v3/index.json",
            json!([url_request(
                "dotnet",
                "https://nuget.acme.io/v3/index.json",
                "UPLOAD",
                payload(&[], &[(&nupkg, false)], &[])
            )]),
        ),
        // A local folder feed is a copy into it.
        (
            "dotnet nuget push bin/Release/Acme.Client.3.1.0.nupkg -s ./feed",
            json!([write(&at("feed/Acme.Client.3.1.0.nupkg"))]),
        ),
        (
            "dotnet nuget delete Acme.Client 3.1.0 --source https://api.nuget.org/v3/index.json --non-interactive",
            json!([url_request(
                "dotnet",
                "https://api.nuget.org/v3/index.json",
                "DELETE",
                payload(&["Acme.Client", "3.1.0"], &[], &[])
            )]),
        ),
        (
            "nuget push Acme.Client.3.1.0.nupkg $KEY -Source nuget.org",
            json!([public_request(
                "nuget",
                "https://api.nuget.org/v3/index.json",
                "UPLOAD",
                payload(
                    &["$KEY"],
                    &[(&at("Acme.Client.3.1.0.nupkg"), false)],
                    &["KEY"]
                )
            )]),
        ),
        // A source configured by name stands for itself.
        (
            "nuget push Acme.Client.3.1.0.nupkg -Source github",
            json!([host_request(
                "nuget",
                host(None, "github", None, None),
                "UPLOAD",
                payload(&[], &[(&at("Acme.Client.3.1.0.nupkg"), false)], &[])
            )]),
        ),
        ("dotnet nuget locals all --list", json!([])),
    ]);
}

#[test]
fn python_publishers() {
    let pypi = "https://upload.pypi.org/legacy/";
    run_table(&[
        (
            "flit publish",
            json!([public_request(
                "flit",
                pypi,
                "UPLOAD",
                payload(&[], &[(W, false)], &[])
            )]),
        ),
        (
            "cd python/tracing && flit publish --repository testpypi",
            json!([public_request(
                "flit",
                "https://test.pypi.org/legacy/",
                "UPLOAD",
                payload(&[], &[(&at("python/tracing"), false)], &[])
            )]),
        ),
        (
            "FLIT_INDEX_URL=https://pypi.acme.io/legacy/ FLIT_PASSWORD=$PYPI_PW flit -f sub/pyproject.toml publish",
            json!([url_request(
                "flit",
                "https://pypi.acme.io/legacy/",
                "UPLOAD",
                payload(&["$PYPI_PW"], &[(&at("sub"), false)], &["PYPI_PW"])
            )]),
        ),
        (
            "hatch publish",
            json!([public_request(
                "hatch",
                pypi,
                "UPLOAD",
                payload(&[], &[(&at("dist/*"), false)], &[])
            )]),
        ),
        (
            "hatch -e release publish -r https://pypi.acme.io/legacy/ -a $TOKEN dist/x.whl",
            json!([url_request(
                "hatch",
                "https://pypi.acme.io/legacy/",
                "UPLOAD",
                payload(&["$TOKEN"], &[(&at("dist/x.whl"), false)], &["TOKEN"])
            )]),
        ),
        (
            "pdm publish -d out",
            json!([public_request(
                "pdm",
                pypi,
                "UPLOAD",
                payload(&[], &[(&at("out/*"), false)], &[])
            )]),
        ),
        (
            "pdm publish --no-build -r internal",
            json!([url_request(
                "pdm",
                "internal",
                "UPLOAD",
                payload(&[], &[(&at("dist/*"), false)], &[])
            )]),
        ),
        ("hatch build", json!([])),
        ("pdm publish --help", json!([])),
    ]);
}

#[test]
fn npm_workspace_option_before_install() {
    run_table(&[
        (
            "npm -w web install left-pad",
            json!([install("npm", &["left-pad"])]),
        ),
        (
            "npm --workspace web install left-pad",
            json!([install("npm", &["left-pad"])]),
        ),
        // pnpm's `-w` takes no value.
        (
            "pnpm -w add left-pad",
            json!([install("pnpm", &["left-pad"])]),
        ),
    ]);
}
