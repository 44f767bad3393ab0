//! Credentials that a command hands to a remote host in ways other than a
//! request body: in a package index's URL or npm configuration, in git's
//! extra headers, typed in by `sshpass`, given to a Kubernetes client for
//! an explicit server, or as an FTP/SFTP login; and installs from a code
//! host. Each case is a command line and the exact effects (as JSON) that
//! `analyze` must report, run in `/home/dana/acme-web` with home
//! `/home/dana`.

#![allow(clippy::panic)]

use serde_json::{Value, json};

use crate::common;
use common::*;

fn remote_request(program: &str, name: &str, method: &str, payload: Value) -> Value {
    json!({"effect": "request", "program": program, "target": {"kind": "remote", "name": name}, "method": method, "payload": payload, "public": false})
}

fn push(remote: &str, branch: &str) -> Value {
    json!({"effect": "git_push", "repo_dir": W, "remote": remote, "refspecs": [{"src": branch, "dst": branch, "force": false, "delete": false}], "force": false, "all_refs": false, "cloned_from": null})
}

fn kubectl(verb: &str, args: &[&str], files: &[&str]) -> Value {
    json!({"effect": "kubectl", "verb": verb, "args": args, "context": null, "namespace": null, "files": files, "dry_run": false, "all": false})
}

fn helm(verb: &str, release: &str) -> Value {
    json!({"effect": "helm", "verb": verb, "release": release, "kube_context": null, "dry_run": false})
}

#[test]
fn package_index_credentials() {
    let index = "https://__token__:$GITLAB_TOKEN@pypi.vendor-mirror.io/simple";
    run_table(&[
        (
            "pip install --index-url https://__token__:$GITLAB_TOKEN@pypi.vendor-mirror.io/simple hl7apy",
            json!([
                install_from("pip", &["hl7apy"], index),
                url_request("pip", index, "GET", payload(&[], &[], &["GITLAB_TOKEN"])),
            ]),
        ),
        (
            "pip install -i https://__token__:$GITLAB_TOKEN@pypi.vendor-mirror.io/simple hl7apy",
            json!([
                install_from("pip", &["hl7apy"], index),
                url_request("pip", index, "GET", payload(&[], &[], &["GITLAB_TOKEN"])),
            ]),
        ),
        // An extra index adds to the public one: the install names none,
        // but the credential still goes to the extra index.
        (
            "pip3 install --extra-index-url=https://u:$T@pypi.x.io/simple requests",
            json!([
                install("pip3", &["requests"]),
                url_request(
                    "pip3",
                    "https://u:$T@pypi.x.io/simple",
                    "GET",
                    payload(&[], &[], &["T"])
                ),
            ]),
        ),
        // From a requirements file alone: no named package, but the
        // index is read all the same.
        (
            "uv pip install -r requirements.txt --index-url https://u:$T@pypi.x.io/simple",
            json!([url_request(
                "uv",
                "https://u:$T@pypi.x.io/simple",
                "GET",
                payload(&[], &[], &["T"])
            )]),
        ),
        (
            "pip install --index-url 'https://pypi.x.io/simple?token=abc' tool",
            json!([
                install_from("pip", &["tool"], "https://pypi.x.io/simple?token=abc"),
                url_request(
                    "pip",
                    "https://pypi.x.io/simple?token=abc",
                    "GET",
                    payload(&["token=abc"], &[], &[])
                ),
            ]),
        ),
        (
            "npm install --registry https://user:$T@npm.vendor.io/ left-pad",
            json!([
                install_from("npm", &["left-pad"], "https://user:$T@npm.vendor.io/"),
                url_request(
                    "npm",
                    "https://user:$T@npm.vendor.io/",
                    "GET",
                    payload(&[], &[], &["T"])
                ),
            ]),
        ),
        (
            "npm install --//npm.vendor.io/:_authToken=$NPM_TOKEN left-pad",
            json!([
                install("npm", &["left-pad"]),
                url_request(
                    "npm",
                    "https://npm.vendor.io/",
                    "GET",
                    payload(&["$NPM_TOKEN"], &[], &["NPM_TOKEN"])
                ),
            ]),
        ),
        // An index that carries nothing is the install's alone.
        (
            "pip install --index-url https://pypi.vendor-mirror.io/simple hl7apy",
            json!([install_from(
                "pip",
                &["hl7apy"],
                "https://pypi.vendor-mirror.io/simple"
            )]),
        ),
        (
            "pip install requests",
            json!([install("pip", &["requests"])]),
        ),
        // Offline: nothing is fetched.
        (
            "pip install --no-index -i https://u:$T@pypi.x.io/simple tool",
            json!([]),
        ),
    ]);
}

#[test]
fn installs_from_code_hosts() {
    run_table(&[
        (
            "pip install git+https://github.com/someone/tool.git@main",
            json!([install_from(
                "pip",
                &["git+https://github.com/someone/tool.git@main"],
                "https://github.com/someone/tool.git"
            )]),
        ),
        // One install per source, after the registry's.
        (
            "pip install requests git+https://github.com/a/x.git git+https://gitlab.com/b/y",
            json!([
                install("pip", &["requests"]),
                install_from(
                    "pip",
                    &["git+https://github.com/a/x.git"],
                    "https://github.com/a/x.git"
                ),
                install_from(
                    "pip",
                    &["git+https://gitlab.com/b/y"],
                    "https://gitlab.com/b/y"
                ),
            ]),
        ),
        (
            "uv pip install 'tool @ git+ssh://git@github.com/acme/tool.git@v2'",
            json!([install_from(
                "uv",
                &["tool @ git+ssh://git@github.com/acme/tool.git@v2"],
                "ssh://git@github.com/acme/tool.git"
            )]),
        ),
        (
            "pip install -e git+https://gitlab.com/a/b#egg=b",
            json!([install_from(
                "pip",
                &["git+https://gitlab.com/a/b#egg=b"],
                "https://gitlab.com/a/b"
            )]),
        ),
        (
            "npm install git+https://github.com/a/b.git#v1",
            json!([install_from(
                "npm",
                &["git+https://github.com/a/b.git#v1"],
                "https://github.com/a/b.git"
            )]),
        ),
        (
            "npm install github:user/repo",
            json!([install_from(
                "npm",
                &["github:user/repo"],
                "https://github.com/user/repo"
            )]),
        ),
        (
            "yarn add user/repo#main",
            json!([install_from(
                "yarn",
                &["user/repo#main"],
                "https://github.com/user/repo"
            )]),
        ),
        (
            "pnpm add git@github.com:acme/ui.git @scope/pkg",
            json!([
                install("pnpm", &["@scope/pkg"]),
                install_from(
                    "pnpm",
                    &["git@github.com:acme/ui.git"],
                    "git@github.com:acme/ui.git"
                ),
            ]),
        ),
        // Local sources are not installs from a registry or code host.
        ("pip install ./local", json!([])),
        ("pip install git+file:///srv/repos/tool", json!([])),
        ("pip install dist/tool-1.0-py3-none-any.whl", json!([])),
        (
            "npm install ./vendor/lib file:../shared ./pkg.tgz",
            json!([]),
        ),
        ("npm install --prefix web/app", json!([])),
    ]);
}

#[test]
fn git_extra_headers() {
    let header = || payload(&["PRIVATE-TOKEN: $T"], &[], &["T"]);
    run_table(&[
        (
            "git -c http.extraHeader=\"PRIVATE-TOKEN: $T\" fetch https://gitlab.com/x/y.git",
            json!([
                url_request("git", "https://gitlab.com/x/y.git", "DOWNLOAD", empty()),
                url_request("git", "https://gitlab.com/x/y.git", "GET", header()),
            ]),
        ),
        // A remote by name: the repository's remote of that name.
        (
            "git -c http.extraHeader=\"PRIVATE-TOKEN: $T\" pull",
            json!([
                url_request("git", "origin", "DOWNLOAD", empty()),
                remote_request("git", "origin", "GET", header()),
            ]),
        ),
        (
            "git -c http.extraheader=\"PRIVATE-TOKEN: $T\" push origin feature",
            json!([
                push("origin", "feature"),
                remote_request("git", "origin", "POST", header()),
            ]),
        ),
        (
            "git -c http.https://gitlab.com/.extraheader=\"PRIVATE-TOKEN: $T\" clone https://gitlab.com/x/y.git",
            json!([
                url_request("git", "https://gitlab.com/x/y.git", "DOWNLOAD", empty()),
                write(&format!("{W}/y")),
                url_request("git", "https://gitlab.com/x/y.git", "GET", header()),
            ]),
        ),
        // A header for another host is not sent.
        (
            "git -c http.https://git.acme.io/.extraheader=\"PRIVATE-TOKEN: $T\" clone https://gitlab.com/x/y.git",
            json!([
                url_request("git", "https://gitlab.com/x/y.git", "DOWNLOAD", empty()),
                write(&format!("{W}/y")),
            ]),
        ),
        // Limited to a URL, to a remote by name: it goes to that remote
        // (and nowhere when the remote is not under the URL).
        (
            "git -c http.https://gitlab.com/.extraheader=\"PRIVATE-TOKEN: $T\" ls-remote upstream",
            json!([
                url_request("git", "upstream", "DOWNLOAD", empty()),
                json!({"effect": "request", "program": "git", "target": {"kind": "remote", "name": "upstream"}, "method": "GET", "payload": header(), "public": false}),
            ]),
        ),
        (
            "git ls-remote https://oauth2:$TOKEN@gitlab.com/x/y.git",
            json!([url_request(
                "git",
                "https://oauth2:$TOKEN@gitlab.com/x/y.git",
                "DOWNLOAD",
                payload(&[], &[], &["TOKEN"])
            )]),
        ),
        (
            "git fetch origin",
            json!([url_request("git", "origin", "DOWNLOAD", empty())]),
        ),
        // A submodule is cloned from its URL, with what the URL carries.
        (
            "git submodule add -b main https://oauth2:$TOKEN@gitlab.com/x/y.git vendor/y",
            json!([
                url_request(
                    "git",
                    "https://oauth2:$TOKEN@gitlab.com/x/y.git",
                    "DOWNLOAD",
                    payload(&[], &[], &["TOKEN"])
                ),
                write(&format!("{W}/vendor/y")),
            ]),
        ),
        // A relative one comes from where the superproject's `origin` is.
        (
            "git submodule add ../shared-lib.git",
            json!([
                url_request("git", "origin", "DOWNLOAD", empty()),
                write(&format!("{W}/shared-lib")),
            ]),
        ),
        // Other configuration sends nothing; local commands stay local.
        (
            "git -c user.name=bot -c http.extraHeader=\"X: $T\" commit -m wip",
            json!([]),
        ),
        (
            "git -c core.sshCommand='ssh -i key' fetch origin",
            json!([url_request("git", "origin", "DOWNLOAD", empty())]),
        ),
    ]);
}

#[test]
fn sshpass_types_the_password_for_its_command() {
    run_table(&[
        (
            "sshpass -p \"$PASS\" ssh deploy@bastion.example.net uptime",
            json!([host_request(
                "ssh",
                host(Some("deploy"), "bastion.example.net", None, None),
                "EXEC",
                payload(&["uptime", "$PASS"], &[], &["PASS"])
            )]),
        ),
        (
            "sshpass -e scp build.tgz me@files.example.net:/in",
            json!([host_request(
                "scp",
                host(Some("me"), "files.example.net", None, Some("/in")),
                "UPLOAD",
                payload(&[], &[(&format!("{W}/build.tgz"), false)], &["SSHPASS"])
            )]),
        ),
        (
            "SSHPASS=\"$DB_PASS\" sshpass -e ssh db.example.net",
            json!([host_request(
                "ssh",
                host(None, "db.example.net", None, None),
                "EXEC",
                payload(&["$DB_PASS"], &[], &["DB_PASS"])
            )]),
        ),
        (
            "sshpass -f ~/.pw rsync -a dist/ me@host.example.net:/srv",
            json!([
                read("/home/dana/.pw"),
                host_request(
                    "rsync",
                    host(Some("me"), "host.example.net", None, Some("/srv")),
                    "UPLOAD",
                    payload(
                        &[],
                        &[(&format!("{W}/dist"), true), ("/home/dana/.pw", false)],
                        &[]
                    )
                ),
            ]),
        ),
        // The nested command's own local effects are not given the password.
        (
            "sshpass -p secret ssh localhost true",
            json!([host_request(
                "ssh",
                host(None, "localhost", None, None),
                "EXEC",
                payload(&["true", "secret"], &[], &[])
            )]),
        ),
        (
            "sshpass -p secret cat notes.txt",
            json!([read(&format!("{W}/notes.txt"))]),
        ),
    ]);
}

#[test]
fn kubernetes_credentials_to_an_explicit_server() {
    run_table(&[
        (
            "kubectl --server https://k8s.vendor.example --token \"$T\" get pods",
            json!([
                url_request(
                    "kubectl",
                    "https://k8s.vendor.example",
                    "GET",
                    payload(&["$T"], &[], &["T"])
                ),
                kubectl("get", &["pods"], &[]),
            ]),
        ),
        (
            "kubectl -s k8s.vendor.example:6443 --username admin --password \"$P\" apply -f k.yaml",
            json!([
                url_request(
                    "kubectl",
                    "https://k8s.vendor.example:6443",
                    "GET",
                    payload(&["admin", "$P"], &[], &["P"])
                ),
                kubectl("apply", &[], &[&format!("{W}/k.yaml")]),
            ]),
        ),
        (
            "helm upgrade web ./chart --kube-apiserver https://k.vendor.io --kube-token $T",
            json!([
                helm("upgrade", "web"),
                url_request(
                    "helm",
                    "https://k.vendor.io",
                    "GET",
                    payload(&["$T"], &[], &["T"])
                ),
            ]),
        ),
        // Without a server on the line the credential goes to the
        // kubeconfig's cluster; without a credential nothing new is sent.
        (
            "kubectl --token \"$T\" get pods",
            json!([kubectl("get", &["pods"], &[])]),
        ),
        (
            "kubectl --server https://k8s.vendor.example get pods",
            json!([kubectl("get", &["pods"], &[])]),
        ),
    ]);
}

#[test]
fn file_transfer_logins() {
    run_table(&[
        (
            "lftp -u deploy,$PASS sftp://files.vendor.io",
            json!([url_request(
                "lftp",
                "sftp://files.vendor.io",
                "UPLOAD",
                payload(&["deploy,$PASS"], &[], &["PASS"])
            )]),
        ),
        (
            "lftp -u deploy,$PASS -e 'put report.csv; bye' ftp://ftp.vendor.io/in",
            json!([url_request(
                "lftp",
                "ftp://ftp.vendor.io",
                "UPLOAD",
                payload(
                    &["deploy,$PASS"],
                    &[(&format!("{W}/report.csv"), false)],
                    &["PASS"]
                )
            )]),
        ),
        // A session that transfers nothing still logs in.
        (
            "lftp -u deploy,$PASS -e 'ls; bye' ftp.vendor.io",
            json!([host_request(
                "lftp",
                host(None, "ftp.vendor.io", None, None),
                "DOWNLOAD",
                payload(&["deploy,$PASS"], &[], &["PASS"])
            )]),
        ),
        (
            "smbclient //fs.vendor.io/share -U bob%$PASS -c 'ls'",
            json!([host_request(
                "smbclient",
                host(None, "fs.vendor.io", None, None),
                "DOWNLOAD",
                payload(&["bob%$PASS"], &[], &["PASS"])
            )]),
        ),
        (
            "curl -u user:$T ftp://ftp.vendor.io/",
            json!([url_request(
                "curl",
                "ftp://ftp.vendor.io/",
                "GET",
                payload(&["user:$T"], &[], &["T"])
            )]),
        ),
        ("lftp -e 'ls; bye' ftp.vendor.io", json!([])),
    ]);
}
