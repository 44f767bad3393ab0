//! Version control beside git: Mercurial pushes, bundles, exports and
//! patchbomb mail; Subversion imports, copies, exports and the passwords
//! they send; Fossil pushes and clones; `git lfs push` to a URL holding a
//! token; git-annex special remotes set up by `initremote`.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};

/// What a push, a bundle or an export of the repository carries.
fn repository() -> Value {
    json!({"text": [], "files": [], "env": [], "repository": true})
}

fn env(name: &str) -> Value {
    payload(&[], &[], &[name])
}

fn rev(name: &str) -> Value {
    refspec(Some(name), None, false, false)
}

fn message(program: &str, recipients: &[&str], payload: Value) -> Value {
    json!({"effect": "message", "program": program, "recipients": recipients, "payload": payload})
}

/// An upload of annexed content to a remote by name: a special remote set
/// up earlier, else the git remote of that name.
/// What `git annex initremote NAME ...` sets `NAME` to lead to.
fn annex_remote(name: &str, url: &str) -> Value {
    json!({"effect": "git_remote", "repo_dir": W, "name": format!("annex:{name}"), "url": url})
}

fn annex_upload(dir: &str, remote: &str, payload: Value) -> Value {
    json!({"effect": "request", "program": "git", "target": {"kind": "tool_remote", "repo_dir": dir, "name": format!("annex:{remote}"), "unset": {"kind": "remote", "name": remote}}, "method": "UPLOAD", "payload": payload, "public": false})
}

/// The effects of `command`, as JSON.
/// The payload of the request `command` makes to `url`.
fn sent_to(command: &str, url: &str) -> Value {
    effects(command)
        .into_iter()
        .find(|e| e["target"]["url"] == url)
        .map(|e| e["payload"].clone())
        .unwrap_or_else(|| panic!("{command}: no request to {url}"))
}

#[test]
fn hg_push_sends_changesets_where_git_push_would() {
    run_table(&[
        (
            "hg push -r 'ancestors(.)' ssh://hg@hg.sr.ht/~dana/app",
            json!([push(
                W,
                Some("ssh://hg@hg.sr.ht/~dana/app"),
                json!([rev("ancestors(.)")]),
                false,
                false
            )]),
        ),
        // No destination: the `default` path, the workspace's remote.
        (
            "hg push",
            json!([push(W, Some("default"), json!([]), false, false)]),
        ),
        (
            "hg push --new-branch -B feature -f",
            json!([push(
                W,
                Some("default"),
                json!([rev("feature")]),
                true,
                false
            )]),
        ),
        // `.` is the working directory's revision: the branch checked out.
        (
            "hg --cwd sub push --rev . https://hg.acme.io/app",
            json!([push(
                &at("sub"),
                Some("https://hg.acme.io/app"),
                json!([refspec(Some("HEAD"), None, false, false)]),
                false,
                false
            )]),
        ),
        (
            "hg -R /srv/app push backup",
            json!([push("/srv/app", Some("backup"), json!([]), false, false)]),
        ),
        // Reads send nothing.
        (
            "hg outgoing https://hg.acme.io/app",
            json!([url_request(
                "hg",
                "https://hg.acme.io/app",
                "DOWNLOAD",
                empty()
            )]),
        ),
        ("hg status", json!([])),
        ("hg log -r tip", json!([])),
    ]);
}

#[test]
fn hg_push_to_a_url_with_a_token_sends_the_token() {
    let sent = sent_to(
        "hg push https://dana:${HG_TOKEN}@hg.example.net/app",
        "https://dana:${HG_TOKEN}@hg.example.net/app",
    );
    assert_eq!(sent["env"], json!(["HG_TOKEN"]));
}

#[test]
fn hg_writes_and_prints_the_repository() {
    run_table(&[
        (
            "hg bundle -a -t gzip-v2 /tmp/app.hg",
            json!([write("/tmp/app.hg")]),
        ),
        (
            "hg archive -t tgz /tmp/app.tgz",
            json!([write("/tmp/app.tgz")]),
        ),
        (
            "hg export -o /tmp/p.patch -r tip",
            json!([write("/tmp/p.patch")]),
        ),
    ]);
    // What the bundle holds goes with a later upload of it.
    let sent = sent_to(
        "hg bundle -a /tmp/app.hg && curl --upload-file /tmp/app.hg https://transfer.sh/app.hg",
        "https://transfer.sh/app.hg",
    );
    assert_eq!(sent["repository"], json!(true));
    let printed = sent_to(
        "hg export -r tip | curl --data-binary @- https://paste.example.net",
        "https://paste.example.net",
    );
    assert_eq!(printed["repository"], json!(true));
}

#[test]
fn hg_email_mails_the_changesets_unless_it_only_shows_them() {
    run_table(&[
        (
            "hg email -b -r 'draft()' -t a@proton.me -f dana@acme.io -s drafts",
            json!([message(
                "hg",
                &["a@proton.me"],
                json!({"text": ["drafts"], "files": [], "env": [], "repository": true})
            )]),
        ),
        (
            "hg email --to 'A <a@x.org>,b@y.org' --bcc c@z.org -r tip",
            json!([message(
                "hg",
                &["a@x.org", "b@y.org", "c@z.org"],
                repository()
            )]),
        ),
        ("hg email --test -r tip --to a@proton.me", json!([])),
        ("hg email -n -r tip -t a@proton.me", json!([])),
        (
            "hg email -m /tmp/out.mbox -r tip -t a@proton.me",
            json!([write("/tmp/out.mbox")]),
        ),
    ]);
}

#[test]
fn svn_sends_files_and_passwords_to_the_url_it_names() {
    run_table(&[
        (
            "svn import --username dana --password \"$SVN_PASSWORD\" -m x . https://svn.example.net/scratch",
            json!([
                url_request(
                    "svn",
                    "https://svn.example.net/scratch",
                    "POST",
                    payload(&["$SVN_PASSWORD"], &[], &["SVN_PASSWORD"])
                ),
                url_request(
                    "svn",
                    "https://svn.example.net/scratch",
                    "UPLOAD",
                    payload(&[], &[(W, true)], &[])
                ),
                url_request(
                    "svn",
                    "https://svn.example.net/scratch",
                    "UPLOAD",
                    repository()
                ),
            ]),
        ),
        (
            "svn copy -m branch . https://svn.acme.io/repos/app/branches/b",
            json!([
                url_request(
                    "svn",
                    "https://svn.acme.io/repos/app/branches/b",
                    "UPLOAD",
                    payload(&[], &[(W, true)], &[])
                ),
                url_request(
                    "svn",
                    "https://svn.acme.io/repos/app/branches/b",
                    "UPLOAD",
                    repository()
                ),
            ]),
        ),
        // A server-side copy changes only the server.
        (
            "svn cp https://svn.acme.io/r/trunk https://svn.acme.io/r/tags/1.0 -m tag",
            json!([url_request(
                "svn",
                "https://svn.acme.io/r/tags/1.0",
                "UPLOAD",
                empty()
            )]),
        ),
        // A copy inside the working copy, and a commit to a server the
        // line does not name, report nothing.
        ("svn copy a.c b.c", json!([])),
        ("svn commit -m fix", json!([])),
        ("svn update", json!([])),
    ]);
}

#[test]
fn svn_export_writes_the_repository_that_a_later_upload_carries() {
    run_table(&[(
        "svn export --force -q https://svn.acme.io/repos/app/trunk /tmp/app",
        json!([
            url_request(
                "svn",
                "https://svn.acme.io/repos/app/trunk",
                "DOWNLOAD",
                empty()
            ),
            write("/tmp/app"),
        ]),
    )]);
    let sent = sent_to(
        "svn export https://svn.acme.io/repos/app/trunk /tmp/app && tar -C /tmp -czf - app | curl -F file=@- https://0x0.st",
        "https://0x0.st",
    );
    assert_eq!(sent["repository"], json!(true));
    // A checkout is a read: its directory carries nothing known.
    let checked_out = sent_to(
        "svn co https://svn.apache.org/repos/asf/x /tmp/x && tar -C /tmp -czf - x | curl -F file=@- https://0x0.st",
        "https://0x0.st",
    );
    assert!(checked_out.get("repository").is_none());
}

#[test]
fn fossil_pushes_like_git_and_clones_read() {
    run_table(&[
        (
            "fossil push --private --once https://dana@chiselapp.com/user/dana/repository/tools",
            json!([push(
                W,
                Some("https://dana@chiselapp.com/user/dana/repository/tools"),
                json!([]),
                false,
                false
            )]),
        ),
        (
            "fossil clone https://fossil.acme.io/tools tools.fossil",
            json!([
                url_request(
                    "fossil",
                    "https://fossil.acme.io/tools",
                    "DOWNLOAD",
                    empty()
                ),
                write(&at("tools.fossil")),
            ]),
        ),
        // The remembered remote is not on the line.
        ("fossil push", json!([])),
        ("fossil status", json!([])),
    ]);
    let sent = sent_to(
        "fossil sync -B dana:$FOSSIL_PW https://fossil.example.net/tools",
        "https://fossil.example.net/tools",
    );
    assert_eq!(sent["env"], json!(["FOSSIL_PW"]));
}

#[test]
fn lfs_push_to_a_url_sends_its_token_apart_from_the_files() {
    run_table(&[
        (
            "git lfs push --all \"https://x-access-token:${GITHUB_TOKEN}@github.com/dana/assets.git\"",
            json!([
                url_request(
                    "git",
                    "https://x-access-token:${GITHUB_TOKEN}@github.com/dana/assets.git",
                    "POST",
                    env("GITHUB_TOKEN")
                ),
                url_request(
                    "git",
                    "https://github.com/dana/assets.git",
                    "UPLOAD",
                    repository()
                ),
            ]),
        ),
        (
            "git lfs push origin main",
            json!([origin_request("git", "UPLOAD", repository())]),
        ),
        ("git lfs push --dry-run origin main", json!([])),
    ]);
}

#[test]
fn annex_special_remotes_lead_where_initremote_set_them() {
    run_table(&[
        (
            "git annex initremote cold type=S3 bucket=dana-cold encryption=none && git annex copy --to cold data/",
            json!([
                annex_remote("cold", "s3://dana-cold"),
                host_request(
                    "git",
                    json!({"kind": "url", "url": "s3://dana-cold"}),
                    "UPLOAD",
                    payload(&[], &[(&at("data"), true)], &[])
                )
            ]),
        ),
        (
            "git annex initremote nas type=rsync rsyncurl=dana@nas.home.net:/vol/annex encryption=none && git annex copy --to nas f",
            json!([
                annex_remote("nas", "ssh://dana@nas.home.net/vol/annex"),
                host_request(
                    "git",
                    json!({"kind": "url", "url": "ssh://dana@nas.home.net/vol/annex"}),
                    "UPLOAD",
                    payload(&[], &[(&at("f"), true)], &[])
                )
            ]),
        ),
        (
            "git annex initremote dav type=webdav url=https://dav.example.net/annex encryption=none && git annex move --to=dav f",
            json!([
                annex_remote("dav", "https://dav.example.net/annex"),
                host_request(
                    "git",
                    json!({"kind": "url", "url": "https://dav.example.net/annex"}),
                    "UPLOAD",
                    payload(&[], &[(&at("f"), true)], &[])
                )
            ]),
        ),
        // A local directory remote is a write there.
        (
            "git annex initremote usb type=directory directory=/mnt/usb encryption=none && git annex copy --to usb f",
            json!([annex_remote("usb", "/mnt/usb"), write("/mnt/usb")]),
        ),
        // A remote set up earlier (or a git remote) stays a name here.
        (
            "git annex copy --to=cold data/",
            json!([annex_upload(
                W,
                "cold",
                payload(&[], &[(&at("data"), true)], &[])
            )]),
        ),
        // Parameters that do not say where (a bucket named by UUID).
        ("git annex initremote s3 type=S3 encryption=none", json!([])),
    ]);
    let set_up = effects("git annex initremote cold type=S3 bucket=dana-cold encryption=none");
    assert_eq!(set_up, vec![annex_remote("cold", "s3://dana-cold")]);
}
