//! Personal-cloud and sync CLIs (`dbxcli`, MEGAcmd, `gdrive`, `onedrive`,
//! `unison`) as uploads, downloads, deletes and shares at their vendor's
//! host, and rclone remotes that `rclone config create` defines on the line.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};

fn sent(files: &[&str]) -> Value {
    let files: Vec<(&str, bool)> = files.iter().map(|f| (*f, true)).collect();
    payload(&[], &files, &[])
}

fn deleted(target: Value, recursive: bool) -> Value {
    json!({"effect": "remote_delete", "target": target, "recursive": recursive})
}

fn public(name: &str) -> Value {
    json!({"effect": "make_public", "resource": {"kind": "other", "name": name}})
}

fn grant(name: &str, grantee: Option<&str>) -> Value {
    json!({"effect": "grant_access", "resource": {"kind": "other", "name": name}, "grantee": grantee})
}

fn set_remote(name: &str, url: &str) -> Value {
    json!({"effect": "git_remote", "repo_dir": "/", "name": name, "url": url})
}

#[test]
fn dbxcli_uploads_downloads_deletes_and_links() {
    let dropbox = |host_name: &str, path: &str| host(None, host_name, None, Some(path));
    run_table(&[
        (
            "dbxcli put services/api/.env /Backups/api.env",
            json!([host_request(
                "dbxcli",
                dropbox("content.dropboxapi.com", "/Backups/api.env"),
                "UPLOAD",
                sent(&[&at("services/api/.env")])
            )]),
        ),
        // Without a destination the file goes to the root, by its name.
        (
            "dbxcli put -r dist",
            json!([host_request(
                "dbxcli",
                dropbox("content.dropboxapi.com", "/dist"),
                "UPLOAD",
                sent(&[&at("dist")])
            )]),
        ),
        (
            "dbxcli get /Reports/q3.csv data/q3.csv",
            json!([
                host_request(
                    "dbxcli",
                    dropbox("content.dropboxapi.com", "/Reports/q3.csv"),
                    "DOWNLOAD",
                    empty()
                ),
                write(&at("data/q3.csv")),
            ]),
        ),
        (
            "dbxcli rm -f /Old /Tmp",
            json!([
                deleted(dropbox("api.dropboxapi.com", "/Old"), true),
                deleted(dropbox("api.dropboxapi.com", "/Tmp"), true),
            ]),
        ),
        (
            "dbxcli mv /a.txt /Shared/a.txt",
            json!([host_request(
                "dbxcli",
                dropbox("api.dropboxapi.com", "/Shared/a.txt"),
                "UPLOAD",
                payload(&["/a.txt"], &[], &[])
            )]),
        ),
        (
            "dbxcli share getlink /Docs/spec.pdf",
            json!([public("/Docs/spec.pdf")]),
        ),
        ("dbxcli ls -l /Docs", json!([])),
        ("dbxcli share list link", json!([])),
    ]);
}

#[test]
fn megacmd_commands() {
    let mega = |path: Option<&str>| host(None, "mega.nz", None, path);
    run_table(&[
        (
            "mega-put ~/.ssh/id_ed25519 notes.md /Root/keys/",
            json!([host_request(
                "mega-put",
                mega(Some("/Root/keys/")),
                "UPLOAD",
                sent(&["/home/dana/.ssh/id_ed25519", &at("notes.md")])
            )]),
        ),
        // One operand is a local file for the current remote folder.
        (
            "mega-put -c report.pdf",
            json!([host_request(
                "mega-put",
                mega(None),
                "UPLOAD",
                sent(&[&at("report.pdf")])
            )]),
        ),
        (
            "mega-get /Root/x.csv data/",
            json!([
                host_request("mega-get", mega(Some("/Root/x.csv")), "DOWNLOAD", empty()),
                write(&at("data")),
            ]),
        ),
        (
            "mega-rm -r /Root/old",
            json!([deleted(mega(Some("/Root/old")), true)]),
        ),
        // A link anyone may open; one with a password admits its holders.
        (
            "mega-export -a -f /Root/docs",
            json!([public("/Root/docs")]),
        ),
        (
            "mega-export -a --password=s3cret /Root/docs",
            json!([grant("/Root/docs", Some("anyone with the link"))]),
        ),
        ("mega-export /Root/docs", json!([])),
        (
            "mega-share -a --with=bob@gmail.com --level=1 /Root/docs",
            json!([grant("/Root/docs", Some("bob@gmail.com"))]),
        ),
        (
            "mega-sync docs /Root/docs",
            json!([
                host_request(
                    "mega-sync",
                    mega(Some("/Root/docs")),
                    "UPLOAD",
                    sent(&[&at("docs")])
                ),
                host_request("mega-sync", mega(Some("/Root/docs")), "DOWNLOAD", empty()),
                write(&at("docs")),
            ]),
        ),
        (
            "mega-exec put a.txt /Root/",
            json!([host_request(
                "mega-put",
                mega(Some("/Root/")),
                "UPLOAD",
                sent(&[&at("a.txt")])
            )]),
        ),
        ("mega-ls -l /Root", json!([])),
    ]);
}

#[test]
fn gdrive_v3_and_v2() {
    let uploads = "https://www.googleapis.com/upload/drive/v3/files";
    let file = |id: &str| format!("https://www.googleapis.com/drive/v3/files/{id}");
    run_table(&[
        (
            "gdrive files upload --parent 1Qx7 finance/payroll.xlsx",
            json!([url_request(
                "gdrive",
                uploads,
                "UPLOAD",
                sent(&[&at("finance/payroll.xlsx")])
            )]),
        ),
        (
            "gdrive files update 1F docs/a.md",
            json!([url_request(
                "gdrive",
                &format!("{uploads}/1F"),
                "UPLOAD",
                sent(&[&at("docs/a.md")])
            )]),
        ),
        (
            "gdrive files download --destination out 1F",
            json!([
                url_request("gdrive", &file("1F"), "DOWNLOAD", empty()),
                write(&at("out")),
            ]),
        ),
        (
            "gdrive files delete --recursive 1F",
            json!([deleted(json!({"kind": "url", "url": file("1F")}), true)]),
        ),
        // A share is with anyone unless its type says otherwise.
        ("gdrive permissions share 1F", json!([public("1F")])),
        (
            "gdrive permissions share 1F --type domain --domain partner.com",
            json!([grant("1F", Some("partner.com"))]),
        ),
        (
            "gdrive permissions revoke --all 1F",
            json!([grant("1F", None)]),
        ),
        // v2: `--share` makes the upload public; `--delete` removes the
        // local file.
        (
            "gdrive upload --share --delete -p 1Qx report.pdf",
            json!([
                public_request("gdrive", uploads, "UPLOAD", sent(&[&at("report.pdf")])),
                public("report.pdf"),
                delete(&at("report.pdf"), false),
            ]),
        ),
        (
            "gdrive sync upload docs 1Dir",
            json!([url_request(
                "gdrive",
                &file("1Dir"),
                "UPLOAD",
                sent(&[&at("docs")])
            )]),
        ),
        (
            "gdrive download --path out 1F",
            json!([
                url_request("gdrive", &file("1F"), "DOWNLOAD", empty()),
                write(&at("out")),
            ]),
        ),
        ("gdrive share 1F", json!([public("1F")])),
        ("gdrive share list 1F", json!([])),
        ("gdrive files list --max 5", json!([])),
        ("gdrive list", json!([])),
    ]);
}

#[test]
fn onedrive_syncs_its_directory() {
    let root = "https://graph.microsoft.com/v1.0/me/drive/root";
    let notes = format!("{root}:/ledger-notes");
    run_table(&[
        (
            "onedrive --synchronize --upload-only --single-directory 'ledger-notes'",
            json!([url_request(
                "onedrive",
                &notes,
                "UPLOAD",
                sent(&["/home/dana/OneDrive/ledger-notes"])
            )]),
        ),
        (
            "onedrive --sync --syncdir ~/work",
            json!([
                url_request(
                    "onedrive",
                    &format!("{root}:/"),
                    "UPLOAD",
                    sent(&["/home/dana/work"])
                ),
                url_request("onedrive", &format!("{root}:/"), "DOWNLOAD", empty()),
                write("/home/dana/work"),
            ]),
        ),
        (
            "onedrive -s --download-only --single-directory ledger-notes",
            json!([
                url_request("onedrive", &notes, "DOWNLOAD", empty()),
                write("/home/dana/OneDrive/ledger-notes"),
            ]),
        ),
        // What was sent is then deleted here.
        (
            "onedrive --sync --upload-only --remove-source-files",
            json!([
                url_request(
                    "onedrive",
                    &format!("{root}:/"),
                    "UPLOAD",
                    sent(&["/home/dana/OneDrive"])
                ),
                delete("/home/dana/OneDrive", true),
            ]),
        ),
        (
            "onedrive --create-share-link Documents/spec.pdf",
            json!([public("Documents/spec.pdf")]),
        ),
        ("onedrive --sync --dry-run", json!([])),
        ("onedrive --display-config", json!([])),
    ]);
}

#[test]
fn unison_syncs_both_ways_with_a_remote_root() {
    let tank = host(
        Some("mira"),
        "tank.example.net",
        None,
        Some("/srv/sync/docs"),
    );
    run_table(&[
        (
            "unison docs ssh://mira@tank.example.net//srv/sync/docs -batch -auto",
            json!([
                host_request("unison", tank.clone(), "UPLOAD", sent(&[&at("docs")])),
                host_request("unison", tank.clone(), "DOWNLOAD", empty()),
                write(&at("docs")),
            ]),
        ),
        // Only the paths named; only the forced root's changes.
        (
            "unison -batch -path .env -path src . ssh://mira@tank.example.net//srv/sync/docs -force .",
            json!([host_request(
                "unison",
                tank.clone(),
                "UPLOAD",
                sent(&[&at(".env"), &at("src")])
            )]),
        ),
        (
            "unison -root ssh://mira@tank.example.net//srv/sync/docs -root docs -noupdate ssh://mira@tank.example.net//srv/sync/docs",
            json!([
                host_request("unison", tank.clone(), "DOWNLOAD", empty()),
                write(&at("docs")),
            ]),
        ),
        (
            "unison docs socket://sync.example.net:5000/data -batch",
            json!([
                host_request(
                    "unison",
                    host(None, "sync.example.net", Some(5000), Some("data")),
                    "UPLOAD",
                    sent(&[&at("docs")])
                ),
                host_request(
                    "unison",
                    host(None, "sync.example.net", Some(5000), Some("data")),
                    "DOWNLOAD",
                    empty()
                ),
                write(&at("docs")),
            ]),
        ),
        // A profile names roots the line does not show.
        ("unison ledger -batch", json!([])),
    ]);
}

#[test]
fn rclone_config_create_defines_where_a_remote_leads() {
    let clinical = || sent(&[&at("data/clinical")]);
    run_table(&[
        // Positional `KEY VALUE` pairs, or `KEY=VALUE`.
        (
            "rclone config create nas sftp host nas.acme.io user dana && rclone copy data/clinical nas:/volume1/x",
            json!([
                set_remote("rclone:nas", "sftp://dana@nas.acme.io/"),
                url_request(
                    "rclone",
                    "sftp://dana@nas.acme.io/volume1/x",
                    "UPLOAD",
                    clinical()
                ),
            ]),
        ),
        (
            "rclone config create --non-interactive drop sftp host=sftp.partner.edu port=2222 && rclone copy data/clinical drop:in",
            json!([
                set_remote("rclone:drop", "sftp://sftp.partner.edu:2222/"),
                url_request(
                    "rclone",
                    "sftp://sftp.partner.edu:2222/in",
                    "UPLOAD",
                    clinical()
                ),
            ]),
        ),
        // A bucket store's path starts with the bucket, at its endpoint if
        // it names one.
        (
            "rclone config create b s3 provider AWS && rclone copy data/clinical b:acme-data/x",
            json!([
                set_remote("rclone:b", "s3://"),
                url_request("rclone", "s3://acme-data/x", "UPLOAD", clinical()),
            ]),
        ),
        (
            "rclone config create m s3 provider=Minio endpoint=https://minio.partner.edu && rclone purge m:lab/x",
            json!([
                set_remote("rclone:m", "https://minio.partner.edu/"),
                deleted(
                    json!({"kind": "url", "url": "https://minio.partner.edu/lab/x"}),
                    true
                ),
            ]),
        ),
        // A vendor's service is at the vendor's host.
        (
            "rclone config create gd drive scope drive && rclone copy data/clinical gd:backup",
            json!([
                set_remote("rclone:gd", "https://www.googleapis.com/"),
                url_request(
                    "rclone",
                    "https://www.googleapis.com/backup",
                    "UPLOAD",
                    clinical()
                ),
            ]),
        ),
        // A remote the line does not define is left to the session.
        (
            "rclone copy data/clinical nas:/volume1/x",
            json!([host_request(
                "rclone",
                rclone_remote("nas", Some("/volume1/x")),
                "UPLOAD",
                clinical()
            )]),
        ),
        // A local or wrapping remote leads elsewhere.
        (
            "rclone config create here local && rclone config create c crypt remote nas:enc",
            json!([]),
        ),
    ]);
}
