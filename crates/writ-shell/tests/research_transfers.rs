//! Research data tools: Aspera's `ascp` copies as scp does, iRODS's
//! `ichmod` grants access. Run in `/home/dana/acme-web` with home
//! `/home/dana`.

#![allow(clippy::panic)]

use serde_json::json;

use crate::common;
use common::*;

#[test]
fn ascp_uploads_and_downloads_like_scp() {
    let sent = effects(
        "ascp -i ~/keys/aspera.openssh -QT -l 300m -k 1 -d data/fastq/ subasp@upload.example-archive.org:uploads/run7",
    );
    let upload = sent
        .iter()
        .find(|e| e["effect"] == "request")
        .unwrap_or_else(|| panic!("{sent:?}"));
    assert_eq!(upload["method"], "UPLOAD", "{sent:?}");
    assert_eq!(upload["target"]["host"], "upload.example-archive.org");
    assert_eq!(upload["payload"]["files"][0]["path"], at("data/fastq"));
    // `--host` names the remote side of a bare destination.
    let hosted = effects(
        "ascp --host aspera.partner.example --user xfer --mode send -P 33001 manifest.csv /inbox/",
    );
    assert_eq!(
        hosted[0]["target"]["host"], "aspera.partner.example",
        "{hosted:?}"
    );
    assert_eq!(hosted[0]["target"]["port"], 33001, "{hosted:?}");
    // A remote source is fetched.
    assert_eq!(
        kinds("ascp xfer@aspera.partner.example:/outbox/results.csv ."),
        vec!["request", "write"]
    );
}

#[test]
fn ichmod_grants_access_to_each_path() {
    assert_eq!(
        effects("ichmod -r read aokafor /zone/projects/cohort/derived"),
        vec![
            json!({"effect": "grant_access", "resource": {"kind": "other", "name": "irods /zone/projects/cohort/derived"}, "grantee": "aokafor"})
        ]
    );
    assert_eq!(
        kinds("ichmod inherit /zone/projects/cohort"),
        Vec::<String>::new()
    );
}
