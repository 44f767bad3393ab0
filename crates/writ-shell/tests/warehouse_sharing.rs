//! Data sharing from warehouses and lakes at the shell: the Databricks
//! CLI's grants (Delta Sharing, Unity Catalog, workspace access lists) as
//! access changes to the principals that gain access, and the key files
//! GCS signing and gcloud logins read. Run in `/home/dana/acme-web` with
//! home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::{Value, json};

use crate::common;
use common::*;

fn grant(resource: &str, grantee: Option<&str>) -> Value {
    json!({"effect": "grant_access", "resource": {"kind": "other", "name": resource}, "grantee": grantee})
}

#[test]
fn databricks_grants_name_the_principals_that_gain_access() {
    run_table(&[
        (
            r#"databricks shares update-permissions claims_q3 --json '{"changes":[{"principal":"harborview_actuarial","add":["SELECT"]}]}'"#,
            json!([grant("share claims_q3", Some("harborview_actuarial"))]),
        ),
        // Only taken away: an access change with nobody gaining.
        (
            r#"databricks shares update-permissions claims_q3 --json '{"changes":[{"principal":"old_partner","remove":["SELECT"]}]}'"#,
            json!([grant("share claims_q3", None)]),
        ),
        (
            r#"databricks -p prod grants update table main.claims.q3 --json '{"changes":[{"principal":"a@partner.example","add":["SELECT"]},{"principal":"analysts","add":["SELECT","MODIFY"]},{"principal":"gone","remove":["SELECT"]}]}'"#,
            json!([
                grant("table main.claims.q3", Some("a@partner.example")),
                grant("table main.claims.q3", Some("analysts"))
            ]),
        ),
        // A body in a file the line does not show.
        (
            "databricks grants update catalog main --json @grants.json",
            json!([grant("catalog main", None)]),
        ),
        (
            r#"databricks unity-catalog shares update-permissions --name claims_q3 --json '{"changes":[{"principal":"r1","add":["SELECT"]}]}'"#,
            json!([grant("share claims_q3", Some("r1"))]),
        ),
        (
            r#"databricks unity-catalog permissions update --securable-type table --securable-full-name main.s.t --json '{"changes":[{"principal":"u@x.io","add":["SELECT"]}]}'"#,
            json!([grant("table main.s.t", Some("u@x.io"))]),
        ),
        (
            "databricks recipients create harborview --comment 'Q3 claims'",
            json!([grant("recipient harborview", Some("harborview"))]),
        ),
        (
            "databricks recipients rotate-token harborview --existing-token-expire-in-seconds 0",
            json!([grant("recipient harborview", None)]),
        ),
        (
            r#"databricks clusters set-permissions 0123-abc --json '{"access_control_list":[{"user_name":"x@gmail.com","permission_level":"CAN_MANAGE"},{"group_name":"ops","permission_level":"CAN_RESTART"}]}'"#,
            json!([
                grant("clusters 0123-abc", Some("x@gmail.com")),
                grant("clusters 0123-abc", Some("ops"))
            ]),
        ),
        (
            r#"databricks permissions update jobs 42 --json '{"access_control_list":[{"service_principal_name":"sp-etl","permission_level":"CAN_MANAGE_RUN"}]}'"#,
            json!([grant("jobs 42", Some("sp-etl"))]),
        ),
        (
            r#"databricks account workspace-assignment update 1234 5678 --json '{"permissions":["ADMIN"]}'"#,
            json!([grant("workspace 1234", Some("5678"))]),
        ),
        (
            r#"databricks api patch /api/2.1/unity-catalog/shares/claims_q3/permissions --json '{"changes":[{"principal":"r2","add":["SELECT"]}]}'"#,
            json!([grant(
                "/api/2.1/unity-catalog/shares/claims_q3/permissions",
                Some("r2")
            )]),
        ),
    ]);
    // Its reads and listings change nobody's access.
    for command in [
        "databricks shares list",
        "databricks grants get catalog main",
        "databricks recipients list",
        "databricks clusters get-permissions 0123-abc",
    ] {
        check(command, json!([]));
    }
}

#[test]
fn signing_and_logging_in_read_the_key_file() {
    let key = "/home/dana/.config/gcloud/keys/svc.json";
    run_table(&[
        (
            "gcloud storage sign-url gs://exports/q3.csv --private-key-file=~/.config/gcloud/keys/svc.json --duration=7d",
            json!([read(key)]),
        ),
        (
            "gcloud beta storage sign-url gs://exports/q3.csv --private-key-file ~/.config/gcloud/keys/svc.json --duration 7d",
            json!([read(key)]),
        ),
        (
            "gcloud auth activate-service-account ci@p.iam.gserviceaccount.com --key-file ~/.config/gcloud/keys/svc.json",
            json!([read(key)]),
        ),
        (
            "gcloud auth login --cred-file=creds/sa.json",
            json!([read(&at("creds/sa.json"))]),
        ),
        (
            "gsutil signurl -d 7d ~/.config/gcloud/keys/svc.json gs://exports/q3.csv",
            json!([read(key)]),
        ),
        // `-u` signs as the current account: no key file.
        ("gsutil signurl -u -d 1h gs://exports/q3.csv", json!([])),
        (
            "gsutil -o Credentials:gs_service_key_file=/home/dana/.config/gcloud/keys/svc.json ls gs://exports",
            json!([read(key)]),
        ),
        (
            "gcloud storage cp q3.csv gs://exports/ --credential-file-override=/home/dana/.config/gcloud/keys/svc.json",
            json!([
                url_request(
                    "gcloud",
                    "gs://exports/",
                    "UPLOAD",
                    payload(&[], &[(&at("q3.csv"), false)], &[])
                ),
                read(key)
            ]),
        ),
        // Signing with another account's identity reads no file.
        (
            "gcloud storage sign-url gs://exports/q3.csv --impersonate-service-account=sa@p.iam.gserviceaccount.com --duration=1h",
            json!([]),
        ),
    ]);
}

#[test]
fn a_signed_url_piped_on_carries_no_key() {
    // What the signer prints is a URL, not the key it read.
    check(
        "gsutil signurl ~/.config/gcloud/keys/svc.json gs://exports/q3.csv | mail -s link a@partner.example",
        json!([
            read("/home/dana/.config/gcloud/keys/svc.json"),
            {"effect": "message", "program": "mail", "recipients": ["a@partner.example"],
             "payload": payload(&["link"], &[], &[])}
        ]),
    );
}
