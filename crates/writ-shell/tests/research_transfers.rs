//! Research data tools and package managers beyond the common ones:
//! Aspera's `ascp` copies as scp does, iRODS's `ichmod` grants access,
//! and rye, pixi, raco, mix's Hex archives, SDKMAN and asdf install
//! packages. Run in `/home/dana/acme-web` with home `/home/dana`.

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

#[test]
fn installs_of_more_package_managers_are_installs() {
    run_table(&[
        ("rye add httpx", json!([install("rye", &["httpx"])])),
        ("pixi add numpy", json!([install("pixi", &["numpy"])])),
        (
            "pixi global install ripgrep",
            json!([install("pixi", &["ripgrep"])]),
        ),
        (
            "raco pkg install --auto gregor",
            json!([install("raco", &["gregor"])]),
        ),
        (
            "mix archive.install hex phx_new",
            json!([install("mix", &["phx_new"])]),
        ),
        (
            "sdk install java 21.0.2-tem",
            json!([install("sdk", &["java"])]),
        ),
        (
            "asdf plugin add nodejs",
            json!([install("asdf", &["nodejs"])]),
        ),
        // Installs from a lock or a local path name no package.
        ("pixi install", json!([])),
    ]);
}
