//! DVC pushes to the remote `dvc remote add` set on the line (or left for
//! the session to resolve), rclone's on-the-fly backends whose server a
//! flag, a variable or the connection string names, and `bq update
//! --source` on a dataset as an access change.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};
use writ_shell::analyze;

/// `dvc push` of `files` (`(path, recursive)`) to `url`.
fn dvc_push(url: &str, files: &[(&str, bool)]) -> Value {
    url_request("dvc", url, "UPLOAD", payload(&[], files, &[]))
}

/// A request to DVC's remote `name` that the line did not set.
fn unresolved_push(name: &str, payload: Value) -> Value {
    json!({"effect": "request", "program": "dvc", "target": {"kind": "tool_remote", "repo_dir": W, "name": name}, "method": "UPLOAD", "payload": payload, "public": false})
}

fn set_remote(dir: &str, name: &str, url: &str) -> Value {
    json!({"effect": "git_remote", "repo_dir": dir, "name": name, "url": url})
}

/// The repository's tracked data: what a push without targets carries.
fn repository() -> Value {
    json!({"text": [], "files": [], "env": [], "repository": true})
}

#[test]
fn a_dvc_push_sends_the_tracked_data_to_the_remote_the_line_set() {
    run_table(&[
        // A `.dvc` file stands for the data it tracks.
        (
            "dvc remote add collab ssh://lena@hpc.partner.edu/dvc && dvc push -r collab data/c_phi.csv.dvc",
            json!([
                set_remote(W, "dvc:collab", "ssh://lena@hpc.partner.edu/dvc"),
                dvc_push(
                    "ssh://lena@hpc.partner.edu/dvc",
                    &[(&at("data/c_phi.csv"), true)]
                ),
            ]),
        ),
        // `-d` makes it the default, which a push without `-r` uses; no
        // target is the repository's tracked data.
        (
            "dvc remote add -d -f store s3://acme-dvc/cache && dvc push",
            json!([
                set_remote(W, "dvc:store", "s3://acme-dvc/cache"),
                set_remote(W, "dvc:", "s3://acme-dvc/cache"),
                host_request(
                    "dvc",
                    json!({"kind": "url", "url": "s3://acme-dvc/cache"}),
                    "UPLOAD",
                    repository()
                ),
            ]),
        ),
        // `modify NAME url` moves it; a pipeline's file pushes its outputs.
        (
            "dvc remote add s webdavs://dav.partner.edu/x && dvc remote modify s url gs://acme-dvc && dvc push -r s dvc.yaml models",
            json!([
                set_remote(W, "dvc:s", "webdavs://dav.partner.edu/x"),
                set_remote(W, "dvc:s", "gs://acme-dvc"),
                host_request(
                    "dvc",
                    json!({"kind": "url", "url": "gs://acme-dvc"}),
                    "UPLOAD",
                    json!({"text": [], "files": [{"path": at("models"), "recursive": true}], "env": [], "repository": true})
                ),
            ]),
        ),
        // A remote that is a directory here makes the push a local write.
        (
            "dvc remote add local ../dvc-store && dvc push -r local",
            json!([
                set_remote(W, "dvc:local", "/home/dana/dvc-store"),
                write("/home/dana/dvc-store"),
            ]),
        ),
        // A remote of the user's configuration serves every repository.
        (
            "dvc remote add --global shared https://dav.partner.edu/d && cd sub && dvc push -r shared x.dvc",
            json!([
                set_remote("/", "dvc:shared", "https://dav.partner.edu/d"),
                dvc_push("https://dav.partner.edu/d", &[(&at("sub/x"), true)]),
            ]),
        ),
    ]);
}

#[test]
fn a_dvc_remote_the_line_does_not_set_is_left_to_the_session() {
    run_table(&[
        (
            "dvc push -r collab data/c.csv.dvc",
            json!([unresolved_push(
                "dvc:collab",
                payload(&[], &[(&at("data/c.csv"), true)], &[])
            )]),
        ),
        (
            "dvc push --all-commits",
            json!([unresolved_push("dvc:", repository())]),
        ),
        // A git remote of the same name is not DVC's.
        (
            "git remote add collab https://partner.edu/x.git && dvc push -r collab",
            json!([
                set_remote(W, "collab", "https://partner.edu/x.git"),
                unresolved_push("dvc:collab", repository()),
            ]),
        ),
    ]);
}

#[test]
fn dvc_reads_send_nothing_and_imports_fetch() {
    run_table(&[
        (
            "dvc pull -r store data/x.csv.dvc && dvc status -c",
            json!([]),
        ),
        ("dvc fetch && dvc diff HEAD~1", json!([])),
        (
            "dvc import-url https://zenodo.org/record/1/files/x.csv data/x.csv",
            json!([url_request(
                "dvc",
                "https://zenodo.org/record/1/files/x.csv",
                "DOWNLOAD",
                empty()
            )]),
        ),
        (
            "dvc get https://github.com/iterative/dataset-registry get-started/data.xml -o data",
            json!([url_request(
                "dvc",
                "https://github.com/iterative/dataset-registry",
                "DOWNLOAD",
                empty()
            )]),
        ),
        ("dvc get ../registry data.xml", json!([])),
    ]);
}

#[test]
fn rclone_on_the_fly_backends_reach_the_server_their_options_name() {
    let sent = || payload(&[], &[(&at("data/clinical"), true)], &[]);
    let sftp = |user: Option<&str>, port: Option<u16>| {
        host_request(
            "rclone",
            host(user, "sftp.partner.edu", port, Some("/in")),
            "UPLOAD",
            sent(),
        )
    };
    run_table(&[
        (
            "rclone copy data/clinical/ :sftp:/in --sftp-host sftp.partner.edu --sftp-user lena --sftp-key-file ~/.ssh/k",
            json!([sftp(Some("lena"), None)]),
        ),
        // Flags before the command take their values.
        (
            "rclone --sftp-host=sftp.partner.edu --sftp-port 2222 copy data/clinical/ :sftp:/in",
            json!([sftp(None, Some(2222))]),
        ),
        (
            "RCLONE_SFTP_HOST=sftp.partner.edu rclone copy data/clinical/ :sftp:/in",
            json!([sftp(None, None)]),
        ),
        // The connection string comes first, then the flag.
        (
            "rclone copy data/clinical/ :sftp,host=sftp.partner.edu:/in --sftp-host other.example",
            json!([sftp(None, None)]),
        ),
        // A named remote's type and server from its variables.
        (
            "RCLONE_CONFIG_KI_TYPE=sftp RCLONE_CONFIG_KI_HOST=sftp.partner.edu rclone copy data/clinical/ ki:/in",
            json!([sftp(None, None)]),
        ),
        (
            "rclone copy data/clinical/ :ftp:/in --ftp-host ftp.partner.edu --ftp-tls",
            json!([host_request(
                "rclone",
                host(None, "ftp.partner.edu", None, Some("/in")),
                "UPLOAD",
                sent()
            )]),
        ),
        (
            "rclone copy data/clinical/ :webdav:/in --webdav-url https://dav.partner.edu/remote.php/dav",
            json!([url_request(
                "rclone",
                "https://dav.partner.edu/remote.php/dav",
                "UPLOAD",
                sent()
            )]),
        ),
        // An S3-compatible store holds the bucket at its endpoint.
        (
            "rclone copy data/clinical/ :s3:lab-bucket/in --s3-endpoint https://minio.partner.edu",
            json!([url_request(
                "rclone",
                "https://minio.partner.edu/lab-bucket/in",
                "UPLOAD",
                sent()
            )]),
        ),
        (
            "rclone copy data/clinical/ :s3:lab-bucket/in --s3-endpoint s3.eu-north-1.amazonaws.com",
            json!([url_request(
                "rclone",
                "https://s3.eu-north-1.amazonaws.com/lab-bucket/in",
                "UPLOAD",
                sent()
            )]),
        ),
        // A flag of another backend names nothing for this one.
        (
            "rclone copy data/clinical/ :sftp:/in --ftp-host ftp.partner.edu",
            json!([host_request(
                "rclone",
                host(None, "sftp", None, Some("/in")),
                "UPLOAD",
                sent()
            )]),
        ),
    ]);
}

#[test]
fn bq_update_from_a_file_changes_a_datasets_access() {
    let grant = |dataset: &str| json!([{"effect": "grant_access", "resource": {"kind": "other", "name": dataset}, "grantee": null}]);
    run_table(&[
        (
            "bq update --source /tmp/ds.json lab-research:clinical",
            grant("lab-research:clinical"),
        ),
        ("bq update -d --source=ds.json clinical", grant("clinical")),
        (
            "bq --project_id lab update --source ds.json clinical",
            grant("clinical"),
        ),
    ]);
    // A table's definition, or a dataset's other options, are not access.
    for command in [
        "bq update --source t.json lab:clinical.cohort",
        "bq update -t --source t.json lab:clinical",
        "bq update --description 'x' lab:clinical",
    ] {
        let analysis = analyze(command, &CTX).unwrap_or_else(|e| panic!("{command}: {e}"));
        let effects = serde_json::to_value(&analysis.effects).unwrap_or_default();
        let grants = effects
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["effect"] == "grant_access")
            .count();
        assert_eq!(grants, 0, "{command}: {effects}");
    }
}
