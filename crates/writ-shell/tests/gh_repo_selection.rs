//! Table tests for the repository a `gh` command acts on, picked as the
//! GitHub CLI picks it: `-R/--repo [HOST/]OWNER/REPO` (or a URL, anywhere
//! before `--`), else `GH_REPO` (on the command, exported earlier on the
//! line), else the working directory's `origin`; `GH_HOST` is the host of
//! an `OWNER/REPO` without one. Every subcommand reads it alike. Each case
//! is a command line and the exact effects `analyze` must report, run in
//! `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::{Value, json};

use crate::common;
use common::*;

fn deploy(environment: &str, service: &str) -> Value {
    json!({"effect": "deploy", "program": "gh", "environment": environment, "service": service, "production": false})
}

fn grant_repo(host: &str, slug: Option<&str>, grantee: &str) -> Value {
    json!({"effect": "grant_access", "resource": {"kind": "repo", "host": host, "slug": slug}, "grantee": grantee})
}

fn gh(url: &str, method: &str, payload: Value) -> Value {
    url_request("gh", url, method, payload)
}

/// The stored value `$K` (the variable `K`).
fn secret_value(name: &str) -> Value {
    payload(&[&format!("${name}")], &[], &[name])
}

#[test]
fn secrets_and_variables_go_to_the_selected_repository() {
    run_table(&[
        // A host prefix names the host, not an owner.
        (
            "gh secret set -f .env -R github.com/acme/web",
            json!([gh(
                "https://github.com/acme/web",
                "PUT",
                payload(&[], &[(&at(".env"), false)], &[])
            )]),
        ),
        (
            "gh secret set K -b \"$K\" --repo=https://github.com/someone/tools.git",
            json!([gh(
                "https://github.com/someone/tools",
                "PUT",
                secret_value("K")
            )]),
        ),
        // `GH_REPO` on the command, or exported earlier on the line.
        (
            "GH_REPO=someone/scratch gh variable set K --body \"$K\"",
            json!([gh(
                "https://github.com/someone/scratch",
                "PUT",
                secret_value("K")
            )]),
        ),
        (
            "export GH_REPO=github.com/someone/scratch; gh secret set K -b \"$K\"",
            json!([gh(
                "https://github.com/someone/scratch",
                "PUT",
                secret_value("K")
            )]),
        ),
        // `-R` wins over `GH_REPO`; `--org` over both, as gh reads them.
        (
            "GH_REPO=someone/scratch gh secret set K -b \"$K\" -R acme/web",
            json!([gh("https://github.com/acme/web", "PUT", secret_value("K"))]),
        ),
        (
            "GH_REPO=someone/scratch gh secret set K -b \"$K\" --org acme",
            json!([gh(
                "https://api.github.com/orgs/acme",
                "PUT",
                secret_value("K")
            )]),
        ),
        // `-R` given to the command group, before the verb.
        (
            "gh secret -R someone/tools set K -b \"$K\"",
            json!([gh(
                "https://github.com/someone/tools",
                "PUT",
                secret_value("K")
            )]),
        ),
        // `GH_HOST` hosts an `OWNER/REPO` without a host, and an org's
        // secret; a named host stays.
        (
            "GH_HOST=ghe.acme.corp gh secret set K -b \"$K\" -R platform/web",
            json!([gh(
                "https://ghe.acme.corp/platform/web",
                "PUT",
                secret_value("K")
            )]),
        ),
        (
            "GH_HOST=ghe.acme.corp GH_REPO=github.com/someone/x gh secret set K -b \"$K\"",
            json!([gh("https://github.com/someone/x", "PUT", secret_value("K"))]),
        ),
        (
            "GH_HOST=ghe.acme.corp gh secret set K -b \"$K\" -o platform",
            json!([gh(
                "https://ghe.acme.corp/api/v3/orgs/platform",
                "PUT",
                secret_value("K")
            )]),
        ),
        // Near misses: no selection is the working directory's; a
        // variable set only for another command, or not exported, is not
        // gh's; an empty `GH_REPO` selects nothing.
        (
            "gh secret set K -b \"$K\"",
            json!([origin_request("gh", "PUT", secret_value("K"))]),
        ),
        (
            "GH_REPO=someone/scratch true; gh secret set K -b \"$K\"",
            json!([origin_request("gh", "PUT", secret_value("K"))]),
        ),
        (
            "GH_REPO=someone/scratch; gh secret set K -b \"$K\"",
            json!([origin_request("gh", "PUT", secret_value("K"))]),
        ),
        (
            "GH_REPO= gh secret set K -b \"$K\"",
            json!([origin_request("gh", "PUT", secret_value("K"))]),
        ),
    ]);
}

#[test]
fn workflow_dispatches_on_a_named_repository() {
    run_table(&[
        // Dispatched on a repository the line names: a request there with
        // the inputs.
        (
            "gh workflow run ci.yml -R someone/scratch -f debug_enabled=true",
            json!([gh(
                "https://api.github.com/repos/someone/scratch/actions/workflows/ci.yml/dispatches",
                "POST",
                payload(&["debug_enabled=true"], &[], &[])
            )]),
        ),
        (
            "GH_REPO=someone/scratch gh workflow run ci.yml -f token=\"$T\"",
            json!([gh(
                "https://api.github.com/repos/someone/scratch/actions/workflows/ci.yml/dispatches",
                "POST",
                payload(&["token=$T"], &[], &["T"])
            )]),
        ),
        // An input naming an environment is also the deploy.
        (
            "gh workflow run deploy.yml --repo acme/web -f environment=production",
            json!([
                deploy("production", "deploy.yml"),
                gh(
                    "https://api.github.com/repos/acme/web/actions/workflows/deploy.yml/dispatches",
                    "POST",
                    payload(&["environment=production"], &[], &[])
                )
            ]),
        ),
        (
            "echo '{\"a\":\"b\"}' | gh workflow run ci.yml --json -R someone/scratch",
            json!([gh(
                "https://api.github.com/repos/someone/scratch/actions/workflows/ci.yml/dispatches",
                "POST",
                payload(&["{\"a\":\"b\"}"], &[], &[])
            )]),
        ),
        (
            "gh run rerun 42 --failed -R someone/scratch",
            json!([gh(
                "https://api.github.com/repos/someone/scratch/actions/runs/42/rerun",
                "POST",
                empty()
            )]),
        ),
        (
            "GH_REPO=someone/scratch gh workflow disable ci.yml",
            json!([gh(
                "https://api.github.com/repos/someone/scratch/actions/workflows/ci.yml/disable",
                "PUT",
                empty()
            )]),
        ),
        // Near misses: on the working directory's repository, a CI run of
        // it (and a deploy when an input names one); reads send nothing.
        ("gh workflow run ci.yml -f debug_enabled=true", json!([])),
        (
            "gh workflow run deploy.yml --ref main -f environment=staging",
            json!([deploy("staging", "deploy.yml")]),
        ),
        ("gh run rerun 42 --failed --debug", json!([])),
        ("gh secret list --repo someone/scratch", json!([])),
    ]);
}

#[test]
fn other_subcommands_read_the_same_selection() {
    run_table(&[
        (
            "GH_REPO=someone/scratch gh issue create -t hi -b \"$K\"",
            json!([gh(
                "https://api.github.com/repos/someone/scratch/issues",
                "POST",
                payload(&["hi", "$K"], &[], &["K"])
            )]),
        ),
        (
            "gh pr comment 7 -b ok -R github.com/someone/scratch",
            json!([gh(
                "https://api.github.com/repos/someone/scratch/issues/7/comments",
                "POST",
                payload(&["ok"], &[], &[])
            )]),
        ),
        // An issue or pull request given by URL names its repository.
        (
            "gh issue comment https://github.com/golang/go/issues/70123 --body 'still fails'",
            json!([gh(
                "https://api.github.com/repos/golang/go/issues/70123/comments",
                "POST",
                payload(&["still fails"], &[], &[])
            )]),
        ),
        (
            "gh pr comment https://github.com/someone/scratch/pull/5 -b ok",
            json!([gh(
                "https://api.github.com/repos/someone/scratch/issues/5/comments",
                "POST",
                payload(&["ok"], &[], &[])
            )]),
        ),
        (
            "GH_REPO=someone/scratch gh release upload v1 dist.tgz",
            json!([gh(
                "https://github.com/someone/scratch",
                "UPLOAD",
                payload(&[], &[(&at("dist.tgz"), false)], &[])
            )]),
        ),
        (
            "GH_REPO=someone/scratch gh repo deploy-key add key.pub",
            json!([
                gh(
                    "https://api.github.com/repos/someone/scratch/keys",
                    "POST",
                    payload(&[], &[(&at("key.pub"), false)], &[])
                ),
                grant_repo("github.com", Some("someone/scratch"), "a deploy key")
            ]),
        ),
        (
            "gh repo deploy-key add key.pub -R ghe.acme.corp/platform/web",
            json!([
                gh(
                    "https://ghe.acme.corp/platform/web",
                    "POST",
                    payload(&[], &[(&at("key.pub"), false)], &[])
                ),
                grant_repo("ghe.acme.corp", Some("platform/web"), "a deploy key")
            ]),
        ),
        (
            "GH_REPO=someone/scratch gh issue list",
            json!([gh(
                "https://api.github.com/repos/someone/scratch/issue",
                "GET",
                empty()
            )]),
        ),
        // gh api fills `{owner}/{repo}` from `GH_REPO`.
        (
            "GH_REPO=someone/scratch gh api -X PUT repos/{owner}/{repo}/actions/variables/K -f value=\"$K\"",
            json!([gh(
                "https://api.github.com/repos/someone/scratch/actions/variables/K",
                "PUT",
                payload(&["value=$K"], &[], &["K"])
            )]),
        ),
        (
            "gh api repos/acme/web/issues --hostname ghe.acme.corp",
            json!([gh(
                "https://ghe.acme.corp/api/v3/repos/acme/web/issues",
                "GET",
                empty()
            )]),
        ),
        // Near miss: without a selection, the working directory's.
        (
            "gh api -X PUT repos/{owner}/{repo}/actions/variables/K -f value=1",
            json!([origin_request("gh", "PUT", payload(&["value=1"], &[], &[]))]),
        ),
        // `--repo` of `gh search` filters results; it selects nothing.
        (
            "gh search issues leak --repo someone/scratch",
            json!([gh("https://api.github.com/search", "GET", empty())]),
        ),
    ]);
}
