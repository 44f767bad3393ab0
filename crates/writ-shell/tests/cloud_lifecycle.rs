//! Cloud resources through the less common providers' CLIs and selectors:
//! Linode's and Oracle Cloud's object storage (transfers, deletes, and
//! what opens a bucket to anyone), OCI's IAM policies, OCI's profile as
//! the environment a change is made in, gcloud's project named as an
//! operand, environment names that mark themselves as not production, and
//! App Service releases with no slot to an app the line says is not
//! production's. Run in `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::{Value, json};

use crate::common;
use common::*;

fn deploy(program: &str, environment: &str, service: Option<&str>, production: bool) -> Value {
    json!({"effect": "deploy", "program": program, "environment": environment,
           "service": service, "production": production})
}

fn grant(name: &str, grantee: Option<&str>) -> Value {
    json!({"effect": "grant_access", "resource": {"kind": "other", "name": name}, "grantee": grantee})
}

fn transfer(program: &str, url: &str, method: &str, files: &[(&str, bool)], public: bool) -> Value {
    let mut request = url_request(program, url, method, payload(&[], files, &[]));
    if let Some(r) = request.as_object_mut() {
        r.insert("public".to_owned(), json!(public));
    }
    request
}

#[test]
fn linode_object_storage() {
    let press = make_public(bucket("s3", "brindle-press"));
    run_table(&[
        // `setacl --acl-public BUCKET [OBJECT]`: the bucket's or object's
        // ACL becomes public-read.
        (
            "linode-cli obj setacl --acl-public brindle-press press/press-kit.zip",
            json!([press.clone()]),
        ),
        (
            "linode-cli obj setacl --acl-private brindle-press press/press-kit.zip",
            json!([]),
        ),
        // `put [--acl-public] FILE... BUCKET`: uploads, public ones too.
        (
            "linode-cli obj put --acl-public report.pdf brindle-press",
            json!([
                transfer(
                    "linode-cli",
                    "s3://brindle-press/",
                    "UPLOAD",
                    &[(&at("report.pdf"), false)],
                    true
                ),
                press.clone(),
            ]),
        ),
        (
            "linode-cli obj put --chunk-size 50 a.csv b.csv ledger",
            json!([
                transfer(
                    "linode-cli",
                    "s3://ledger/",
                    "UPLOAD",
                    &[(&at("a.csv"), false)],
                    false
                ),
                transfer(
                    "linode-cli",
                    "s3://ledger/",
                    "UPLOAD",
                    &[(&at("b.csv"), false)],
                    false
                ),
            ]),
        ),
        (
            "linode-cli obj get brindle-press kits/a.zip",
            json!([
                transfer(
                    "linode-cli",
                    "s3://brindle-press/kits/a.zip",
                    "DOWNLOAD",
                    &[],
                    false
                ),
                write(&at("a.zip")),
            ]),
        ),
        (
            "linode-cli obj del brindle-press a.zip",
            json!([remote_delete("s3://brindle-press/a.zip", false)]),
        ),
        (
            "linode-cli obj rb brindle-press --recursive",
            json!([remote_delete("s3://brindle-press", true)]),
        ),
        // A static site is served from a bucket made public-read first.
        (
            "linode-cli obj ws-create --ws-index index.html brindle-press",
            json!([press.clone()]),
        ),
        // The API's own commands, given a canned ACL.
        (
            "linode-cli object-storage object-acl-update us-east-1 brindle-press --acl public-read --name a.zip",
            json!([press.clone()]),
        ),
        (
            "linode-cli object-storage buckets create --cluster us-east-1 --label brindle-press --acl public-read",
            json!([press]),
        ),
    ]);
}

#[test]
fn oci_object_storage() {
    let reports = make_public(bucket("s3", "brindle-reports"));
    run_table(&[
        (
            "oci os bucket update --bucket-name brindle-reports --namespace brindle --public-access-type ObjectRead",
            json!([reports.clone()]),
        ),
        (
            "oci os bucket create --name brindle-reports --compartment-id ocid1.compartment.oc1..x --public-access-type=ObjectReadWithoutList",
            json!([reports.clone()]),
        ),
        (
            "oci os bucket update --bucket-name brindle-reports --public-access-type NoPublicAccess",
            json!([]),
        ),
        // A pre-authenticated request is a link anyone who holds it uses.
        (
            "oci os preauth-request create --bucket-name brindle-reports --name q3 --access-type ObjectRead --object-name q3.pdf --time-expires 2026-12-31",
            json!([reports]),
        ),
        (
            "oci os object put --bucket-name ledger --file exports/db.sql.gz",
            json!([transfer(
                "oci",
                "s3://ledger/db.sql.gz",
                "UPLOAD",
                &[(&at("exports/db.sql.gz"), false)],
                false
            )]),
        ),
        (
            "oci --profile prod os object put -bn ledger --file exports/db.sql.gz --name nightly/db.sql.gz",
            json!([transfer(
                "oci",
                "s3://ledger/nightly/db.sql.gz",
                "UPLOAD",
                &[(&at("exports/db.sql.gz"), false)],
                false
            )]),
        ),
        (
            "oci os object bulk-upload --bucket-name ledger --src-dir exports --object-prefix nightly/",
            json!([transfer(
                "oci",
                "s3://ledger/nightly/",
                "UPLOAD",
                &[(&at("exports"), true)],
                false
            )]),
        ),
        (
            "oci os object get --bucket-name ledger --name r.csv --file out/r.csv",
            json!([
                transfer("oci", "s3://ledger/r.csv", "DOWNLOAD", &[], false),
                write(&at("out/r.csv")),
            ]),
        ),
        (
            "oci os object delete --bucket-name ledger --object-name r.csv --force",
            json!([remote_delete("s3://ledger/r.csv", false)]),
        ),
        (
            "oci os object bulk-delete --bucket-name ledger --prefix logs/ --force",
            json!([remote_delete("s3://ledger/logs/", true)]),
        ),
        (
            "oci os bucket delete --bucket-name ledger --empty --force",
            json!([remote_delete("s3://ledger", true)]),
        ),
    ]);
}

#[test]
fn oci_policies_and_groups() {
    let policy = "oci policy contractors-ledger";
    run_table(&[
        (
            "oci iam policy create --compartment-id ocid1.tenancy.oc1..t --name contractors-ledger --description 'contractor access' --statements '[\"Allow group contractors to manage object-family in compartment ledger\"]'",
            json!([grant(policy, Some("group contractors"))]),
        ),
        // `any-user` is anyone.
        (
            "oci iam policy create --compartment-id ocid1.tenancy.oc1..t --name contractors-ledger --description d --statements '[\"Allow any-user to read objects in compartment web\"]'",
            json!([make_public(json!({"kind": "other", "name": policy}))]),
        ),
        // Statements in a file: read, and a change of access still.
        (
            "oci iam policy update --policy-id ocid1.policy.oc1..p --statements file://policy.json --force",
            json!([
                read(&at("policy.json")),
                grant("oci policy ocid1.policy.oc1..p", None),
            ]),
        ),
        (
            "oci compute instance launch --from-json file://launch.json --ssh-authorized-keys-file ~/.ssh/id_ed25519.pub --profile dev",
            json!([
                read(&at("launch.json")),
                read("/home/dana/.ssh/id_ed25519.pub"),
                deploy("oci", "dev", None, false),
            ]),
        ),
        (
            "oci iam group add-user --group-id admins --user-id rui",
            json!([grant("oci group admins", Some("rui"))]),
        ),
    ]);
}

/// The `deploy` effects of `command`.
fn deploys_of(command: &str) -> Value {
    let analysis = writ_shell::analyze(command, &CTX).unwrap_or_else(|e| panic!("{command}: {e}"));
    let effects = serde_json::to_value(&analysis.effects).unwrap_or_default();
    Value::Array(
        effects
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e.get("effect").and_then(Value::as_str) == Some("deploy"))
            .cloned()
            .collect(),
    )
}

#[test]
fn selectors_in_less_common_forms() {
    for (command, expected) in [
        // OCI's profile, before or after the command, or from the
        // environment; reads and access changes are no change made in it.
        (
            "oci compute instance terminate --instance-id ocid1.instance.oc1..i --profile prod --force",
            json!([deploy("oci", "prod", None, false)]),
        ),
        (
            "oci --profile prod compute instance terminate --instance-id i --force",
            json!([deploy("oci", "prod", None, false)]),
        ),
        (
            "OCI_CLI_PROFILE=prod oci compute instance action --instance-id i --action STOP",
            json!([deploy("oci", "prod", None, false)]),
        ),
        (
            "oci compute instance list --compartment-id c --profile PROD",
            json!([]),
        ),
        (
            "oci os bucket update --bucket-name b --public-access-type ObjectRead --profile prod",
            json!([]),
        ),
        // gcloud's project named as the operand of `projects VERB`.
        (
            "gcloud projects delete brindle-prod --quiet",
            json!([
                deploy("gcloud", "brindle-prod", None, false),
                deploy("gcloud", "brindle", None, false),
                deploy("gcloud", "prod", None, false),
            ]),
        ),
        (
            "gcloud projects delete ledger-2 --project prod",
            json!([
                deploy("gcloud", "ledger-2", None, false),
                deploy("gcloud", "ledger", None, false),
                deploy("gcloud", "2", None, false),
            ]),
        ),
        ("gcloud projects create prod", json!([])),
        // A name with a word that marks it non-production is that
        // environment, reported whole.
        (
            "gcloud functions deploy render --project brindle-prod-sandbox --region europe-west1",
            json!([deploy("gcloud", "brindle-prod-sandbox", None, false)]),
        ),
        (
            "aws ec2 terminate-instances --instance-ids i-1 --profile production-replica",
            json!([
                deploy("aws", "production-replica", None, false),
                deploy("aws", "production", None, false),
                deploy("aws", "replica", None, false),
            ]),
        ),
    ] {
        assert_eq!(deploys_of(command), expected, "deploys of: {command}");
    }
}

#[test]
fn app_service_releases_without_a_slot() {
    let production = deploy("az", "production", Some("portal"), true);
    for (command, expected) in [
        (
            "az webapp deploy -g rg-portal --name portal --src-path p.zip --type zip",
            json!([production.clone()]),
        ),
        // The subscription, group or app says the app is not production's.
        (
            "az webapp deploy --resource-group rg-portal-dev --name portal --src-path p.zip --subscription dev",
            json!([
                deploy("az", "dev", Some("portal"), false),
                deploy("az", "dev", None, false),
            ]),
        ),
        (
            "az webapp deploy -g rg-portal-dev -n portal --src-path p.zip",
            json!([deploy("az", "rg-portal-dev", Some("portal"), false)]),
        ),
        (
            "az functionapp deployment source config-zip -g rg -n portal-staging --src f.zip",
            json!([deploy(
                "az",
                "portal-staging",
                Some("portal-staging"),
                false
            )]),
        ),
        // One name says production: the production slot still.
        (
            "az webapp deploy -g rg-portal-prod -n portal --src-path p.zip --subscription dev",
            json!([production, deploy("az", "dev", None, false)]),
        ),
    ] {
        assert_eq!(deploys_of(command), expected, "deploys of: {command}");
    }
}
