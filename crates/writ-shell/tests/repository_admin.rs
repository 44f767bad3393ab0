//! Repository administration on GitHub and GitLab that moves code or
//! access: forks and transfers copy a repository's contents to another
//! owner (a push of its code there), `internal` visibility opens a
//! repository to every enterprise member or instance user, and a GitHub
//! App installation given a repository gets access to it. Each case is a
//! command line and every effect `analyze` must report for it. Run in
//! `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};

/// A copy of a repository's contents to `dest`: from `source` (a URL),
/// else from the repository in `dir`. Its branches land in a new
/// repository, so it names none (`tags` alone).
fn copy(dir: &str, source: Option<&str>, dest: &str) -> Value {
    json!({"effect": "git_push", "repo_dir": dir, "remote": dest, "refspecs": [],
           "force": false, "all_refs": false, "tags": true, "cloned_from": source})
}

fn repo(host: &str, slug: Option<&str>) -> Value {
    json!({"kind": "repo", "host": host, "slug": slug})
}

fn grant(resource: Value, grantee: Option<&str>) -> Value {
    json!({"effect": "grant_access", "resource": resource, "grantee": grantee})
}

fn other(name: &str) -> Value {
    json!({"kind": "other", "name": name})
}

fn gh_api(url: &str, method: &str, payload: Value) -> Value {
    url_request("gh", url, method, payload)
}

fn glab_api(url: &str, method: &str, payload: Value) -> Value {
    url_request("glab", url, method, payload)
}

const ENTERPRISE: &str = "every enterprise member (internal visibility)";
const INSTANCE: &str = "every signed-in user (internal visibility)";

#[test]
fn gh_repo_fork_copies_the_repository_to_its_new_owner() {
    let read = |url: &str| url_request("gh", url, "DOWNLOAD", empty());
    run_table(&[
        (
            "gh repo fork acme/web --org ravi-labs --clone=false",
            json!([
                read("https://github.com/acme/web"),
                copy(
                    "",
                    Some("https://github.com/acme/web"),
                    "https://github.com/ravi-labs/web.git"
                )
            ]),
        ),
        // No `--org`: the signed-in account, an owner no org pattern names.
        (
            "gh repo fork acme/web",
            json!([
                read("https://github.com/acme/web"),
                copy(
                    "",
                    Some("https://github.com/acme/web"),
                    "https://github.com/@me/web.git"
                )
            ]),
        ),
        (
            "gh repo fork https://github.com/acme/web.git --fork-name web2 --remote",
            json!([
                read("https://github.com/acme/web"),
                copy(
                    "",
                    Some("https://github.com/acme/web"),
                    "https://github.com/@me/web2.git"
                )
            ]),
        ),
        (
            "gh repo fork ghe.acme.io/platform/api --org=tools",
            json!([
                read("https://ghe.acme.io/platform/api"),
                copy(
                    "",
                    Some("https://ghe.acme.io/platform/api"),
                    "https://ghe.acme.io/tools/api.git"
                )
            ]),
        ),
        // The flags after `--` are git's, for `--clone`.
        (
            "gh repo fork acme/web --clone -- --depth 1",
            json!([
                read("https://github.com/acme/web"),
                copy(
                    "",
                    Some("https://github.com/acme/web"),
                    "https://github.com/@me/web.git"
                )
            ]),
        ),
        // The working directory's repository, named as its directory.
        (
            "gh repo fork --org ravi-labs",
            json!([copy(
                "/home/dana/acme-web",
                None,
                "https://github.com/ravi-labs/acme-web.git"
            )]),
        ),
    ]);
}

#[test]
fn github_api_forks_and_transfers() {
    const API: &str = "https://api.github.com/repos/acme/pdf";
    run_table(&[
        (
            "gh api -X POST repos/acme/pdf/transfer -f new_owner=inkwell-oss",
            json!([
                gh_api(
                    &format!("{API}/transfer"),
                    "POST",
                    payload(&["new_owner=inkwell-oss"], &[], &[])
                ),
                grant(
                    repo("github.com", Some("acme/pdf")),
                    Some("new owner inkwell-oss")
                ),
                copy(
                    "",
                    Some("https://github.com/acme/pdf"),
                    "https://github.com/inkwell-oss/pdf.git"
                )
            ]),
        ),
        (
            "gh api -X POST repos/acme/pdf/transfer -f new_owner=acme-archive -f new_name=pdf-old",
            json!([
                gh_api(
                    &format!("{API}/transfer"),
                    "POST",
                    payload(&["new_owner=acme-archive", "new_name=pdf-old"], &[], &[])
                ),
                grant(
                    repo("github.com", Some("acme/pdf")),
                    Some("new owner acme-archive")
                ),
                copy(
                    "",
                    Some("https://github.com/acme/pdf"),
                    "https://github.com/acme-archive/pdf-old.git"
                )
            ]),
        ),
        // Without a new owner GitHub refuses it: nothing moves.
        (
            "gh api -X POST repos/acme/pdf/transfer",
            json!([gh_api(&format!("{API}/transfer"), "POST", empty())]),
        ),
        (
            "gh api -X POST repos/acme/pdf/forks",
            json!([
                gh_api(&format!("{API}/forks"), "POST", empty()),
                copy(
                    "",
                    Some("https://github.com/acme/pdf"),
                    "https://github.com/@me/pdf.git"
                )
            ]),
        ),
        (
            "gh api repos/acme/pdf/forks -f organization=ravi-labs -f name=p",
            json!([
                gh_api(
                    &format!("{API}/forks"),
                    "POST",
                    payload(&["organization=ravi-labs", "name=p"], &[], &[])
                ),
                copy(
                    "",
                    Some("https://github.com/acme/pdf"),
                    "https://github.com/ravi-labs/p.git"
                )
            ]),
        ),
        // gh's placeholders: the working directory's repository.
        (
            "gh api -X POST 'repos/{owner}/{repo}/forks' -f organization=ravi-labs",
            json!([
                origin_request("gh", "POST", payload(&["organization=ravi-labs"], &[], &[])),
                copy(
                    "/home/dana/acme-web",
                    None,
                    "https://github.com/ravi-labs/acme-web.git"
                )
            ]),
        ),
        // A read of the forks copies nothing.
        (
            "gh api repos/acme/pdf/forks",
            json!([gh_api(&format!("{API}/forks"), "GET", empty())]),
        ),
    ]);
}

#[test]
fn internal_visibility_grants_access_short_of_public() {
    let ledger = || repo("github.com", Some("acme/ledger"));
    run_table(&[
        (
            "gh repo edit acme/ledger --visibility internal --accept-visibility-change-consequences",
            json!([grant(ledger(), Some(ENTERPRISE))]),
        ),
        (
            "gh repo edit acme/ledger --visibility=INTERNAL",
            json!([grant(ledger(), Some(ENTERPRISE))]),
        ),
        (
            "gh repo edit acme/ledger --visibility public",
            json!([{"effect": "make_public", "resource": ledger()}]),
        ),
        // Made private, it is open to fewer: no grant.
        ("gh repo edit acme/ledger --visibility private", json!([])),
        (
            "gh api -X PATCH repos/acme/ledger -f visibility=internal",
            json!([
                gh_api(
                    "https://api.github.com/repos/acme/ledger",
                    "PATCH",
                    payload(&["visibility=internal"], &[], &[])
                ),
                grant(ledger(), Some(ENTERPRISE))
            ]),
        ),
        (
            "gh api -X PATCH repos/acme/ledger -F private=false",
            json!([
                gh_api(
                    "https://api.github.com/repos/acme/ledger",
                    "PATCH",
                    payload(&["private=false"], &[], &[])
                ),
                {"effect": "make_public", "resource": ledger()}
            ]),
        ),
        (
            "glab repo edit g/web --visibility internal",
            json!([grant(repo("gitlab.com", Some("g/web")), Some(INSTANCE))]),
        ),
        (
            "glab api -X PUT projects/g%2Fweb -f visibility=internal",
            json!([
                glab_api(
                    "https://gitlab.com/api/v4/projects/g%2Fweb",
                    "PUT",
                    payload(&["visibility=internal"], &[], &[])
                ),
                grant(repo("gitlab.com", Some("g/web")), Some(INSTANCE))
            ]),
        ),
    ]);
}

#[test]
fn github_app_installations_given_or_denied_repositories() {
    const USER: &str = "https://api.github.com/user/installations/51234567/repositories";
    let app = |grantee: &str| grant(other("github.com repository 778899001"), Some(grantee));
    run_table(&[
        (
            "gh api -X PUT user/installations/51234567/repositories/778899001",
            json!([
                gh_api(&format!("{USER}/778899001"), "PUT", empty()),
                app("GitHub App installation 51234567")
            ]),
        ),
        (
            "gh api --method DELETE /user/installations/51234567/repositories/778899001",
            json!([
                gh_api(&format!("{USER}/778899001"), "DELETE", empty()),
                app("GitHub App installation 51234567")
            ]),
        ),
        // Listing them changes nothing.
        (
            "gh api user/installations/51234567/repositories",
            json!([gh_api(USER, "GET", empty())]),
        ),
        (
            "gh api -X PATCH enterprises/acme-ent/apps/organizations/acme/installations/77/repositories/add -f 'repositories[]=web'",
            json!([
                gh_api(
                    "https://api.github.com/enterprises/acme-ent/apps/organizations/acme/installations/77/repositories/add",
                    "PATCH",
                    payload(&["repositories[]=web"], &[], &[])
                ),
                grant(other("github.com/acme"), Some("GitHub App installation 77"))
            ]),
        ),
        (
            "gh api -X POST enterprises/acme-ent/apps/organizations/acme/installations -f client_id=Iv1.abc",
            json!([
                gh_api(
                    "https://api.github.com/enterprises/acme-ent/apps/organizations/acme/installations",
                    "POST",
                    payload(&["client_id=Iv1.abc"], &[], &[])
                ),
                grant(other("github.com/acme"), Some("GitHub App Iv1.abc"))
            ]),
        ),
        (
            "gh api -X PUT app/installations/77/suspended",
            json!([
                gh_api(
                    "https://api.github.com/app/installations/77/suspended",
                    "PUT",
                    empty()
                ),
                grant(other("GitHub App installation 77"), None)
            ]),
        ),
    ]);
}

#[test]
fn gitlab_forks_and_transfers() {
    let read = |url: &str| url_request("glab", url, "DOWNLOAD", empty());
    const API: &str = "https://gitlab.com/api/v4/projects/g%2Fweb";
    run_table(&[
        (
            "glab repo transfer g/web --target-namespace someone",
            json!([
                grant(repo("gitlab.com", Some("g/web")), Some("namespace someone")),
                copy(
                    "",
                    Some("https://gitlab.com/g/web"),
                    "https://gitlab.com/someone/web.git"
                )
            ]),
        ),
        // A namespace id names no owner: the grant alone.
        (
            "glab repo transfer g/web -t 42",
            json!([grant(
                repo("gitlab.com", Some("g/web")),
                Some("namespace 42")
            )]),
        ),
        // The working directory's project.
        (
            "GITLAB_HOST=git.acme.io glab repo transfer --target-namespace ops/archive",
            json!([
                grant(repo("git.acme.io", None), Some("namespace ops/archive")),
                copy(
                    "/home/dana/acme-web",
                    None,
                    "https://git.acme.io/ops/archive/acme-web.git"
                )
            ]),
        ),
        // glab forks into the signed-in user's namespace.
        (
            "glab repo fork g/web -p mine --clone",
            json!([
                read("https://gitlab.com/g/web"),
                copy(
                    "",
                    Some("https://gitlab.com/g/web"),
                    "https://gitlab.com/@me/mine.git"
                )
            ]),
        ),
        (
            "glab repo fork",
            json!([copy(
                "/home/dana/acme-web",
                None,
                "https://gitlab.com/@me/acme-web.git"
            )]),
        ),
        (
            "glab api -X PUT projects/g%2Fweb/transfer -f namespace=ravi",
            json!([
                glab_api(
                    &format!("{API}/transfer"),
                    "PUT",
                    payload(&["namespace=ravi"], &[], &[])
                ),
                grant(repo("gitlab.com", Some("g/web")), Some("namespace ravi")),
                copy(
                    "",
                    Some("https://gitlab.com/g/web"),
                    "https://gitlab.com/ravi/web.git"
                )
            ]),
        ),
        (
            "glab api -X POST projects/g%2Fweb/fork -f namespace_path=ravi/sandbox -f path=w",
            json!([
                glab_api(
                    &format!("{API}/fork"),
                    "POST",
                    payload(&["namespace_path=ravi/sandbox", "path=w"], &[], &[])
                ),
                copy(
                    "",
                    Some("https://gitlab.com/g/web"),
                    "https://gitlab.com/ravi/sandbox/w.git"
                )
            ]),
        ),
        (
            "glab api -X POST projects/g%2Fweb/fork",
            json!([
                glab_api(&format!("{API}/fork"), "POST", empty()),
                copy(
                    "",
                    Some("https://gitlab.com/g/web"),
                    "https://gitlab.com/@me/web.git"
                )
            ]),
        ),
        (
            "glab api -X POST projects/g%2Fweb/fork -f namespace_id=17",
            json!([glab_api(
                &format!("{API}/fork"),
                "POST",
                payload(&["namespace_id=17"], &[], &[])
            )]),
        ),
    ]);
}
