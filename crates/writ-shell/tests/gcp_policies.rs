//! Google Cloud IAM policy files and AWS IAM Identity Center. `gcloud ...
//! set-iam-policy RESOURCE FILE` and `gsutil iam set FILE gs://B` replace
//! a policy with a file's bindings: when an earlier step (or the line)
//! wrote the file with known text, its members decide (`allUsers` and
//! `allAuthenticatedUsers` make the resource public, the others are
//! grantees); a file writ never saw is a grant to no one known. gsutil's
//! `acl`/`iam` `ch` and `set` change access, `get` reads. `aws sso-admin`
//! changes to permission sets and assignments change who may do what.
//! Run in `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use crate::common;

use common::*;
use serde_json::{Value, json};
use writ_shell::WrittenFile;

const PUBLIC_POLICY: &str = r#"{
  "bindings": [
    {"role": "roles/storage.legacyBucketOwner", "members": ["projectOwner:acme-prod"]},
    {"role": "roles/storage.objectViewer", "members": ["allUsers"]}
  ],
  "etag": "CAE="
}"#;

const TEAM_POLICY: &str = r#"{
  "bindings": [
    {"role": "roles/viewer", "members": ["user:ops@acme.com", "projectViewer:acme-prod"]},
    {"role": "roles/editor", "members": ["user:dev@gmail.com", "deleted:user:old@acme.com?uid=1"]}
  ],
  "version": 1
}"#;

const YAML_POLICY: &str = "bindings:\n- members:\n  - allAuthenticatedUsers\n  role: roles/run.invoker\netag: BwX=\nversion: 1\n";

fn grant(resource: Value, grantee: Option<&str>) -> Value {
    json!({"effect": "grant_access", "resource": resource, "grantee": grantee})
}

fn other(name: &str) -> Value {
    json!({"kind": "other", "name": name})
}

/// The access effects (and reads) `command` has after `written`.
fn access_after(written: &[WrittenFile], command: &str) -> Value {
    let effects = effects_after(written, command);
    let kept: Vec<Value> = effects
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| {
            matches!(
                e.get("effect").and_then(Value::as_str),
                Some("grant_access" | "make_public" | "read")
            )
        })
        .cloned()
        .collect();
    Value::Array(kept)
}

fn earlier() -> Vec<WrittenFile> {
    vec![
        text_file(&at("policy.json"), PUBLIC_POLICY),
        text_file(&at("team.json"), TEAM_POLICY),
        text_file("/tmp/invoker.yaml", YAML_POLICY),
    ]
}

#[test]
fn policy_files_written_earlier_are_read() {
    let written = earlier();
    let policy = at("policy.json");
    let team = at("team.json");
    let cases: &[(&str, Value)] = &[
        (
            "gcloud storage buckets set-iam-policy gs://assets policy.json",
            json!([read(&policy), make_public(bucket("gs", "assets"))]),
        ),
        (
            "gcloud storage buckets set-iam-policy gs://assets ./policy.json --format=json",
            json!([read(&policy), make_public(bucket("gs", "assets"))]),
        ),
        (
            "gsutil iam set policy.json gs://assets",
            json!([read(&policy), make_public(bucket("gs", "assets"))]),
        ),
        (
            "gsutil -m iam set -e CAE= policy.json gs://assets gs://media",
            json!([
                read(&policy),
                make_public(bucket("gs", "assets")),
                make_public(bucket("gs", "media"))
            ]),
        ),
        (
            "gcloud projects set-iam-policy acme-prod team.json",
            json!([
                read(&team),
                grant(other("acme-prod"), Some("user:ops@acme.com")),
                grant(other("acme-prod"), Some("user:dev@gmail.com"))
            ]),
        ),
        (
            "gcloud resource-manager folders set-iam-policy 4411 team.json",
            json!([
                read(&team),
                grant(other("4411"), Some("user:ops@acme.com")),
                grant(other("4411"), Some("user:dev@gmail.com"))
            ]),
        ),
        (
            "gcloud run services set-iam-policy api /tmp/invoker.yaml --region us-central1",
            json!([read("/tmp/invoker.yaml"), make_public(other("api"))]),
        ),
        (
            "gcloud kms keys set-iam-policy signer team.json --keyring ring --location global",
            json!([
                read(&team),
                grant(other("signer"), Some("user:ops@acme.com")),
                grant(other("signer"), Some("user:dev@gmail.com"))
            ]),
        ),
    ];
    for (command, expected) in cases {
        assert_eq!(
            &access_after(&written, command),
            expected,
            "access effects of: {command}"
        );
    }
}

#[test]
fn policy_files_written_on_the_line() {
    let line = format!(
        "cat > /tmp/p.json <<'EOF'\n{PUBLIC_POLICY}\nEOF\ngcloud storage buckets set-iam-policy gs://assets /tmp/p.json"
    );
    let effects = access_after(&[], &line);
    assert!(
        effects
            .as_array()
            .is_some_and(|list| list.contains(&make_public(bucket("gs", "assets")))),
        "{effects}"
    );
}

#[test]
fn policy_files_not_known_stay_grants_to_no_one_known() {
    let cases: &[(&str, Value)] = &[
        (
            "gcloud projects set-iam-policy acme-prod policy.json",
            json!([grant(other("acme-prod"), None)]),
        ),
        (
            "gcloud storage buckets set-iam-policy gs://assets policy.json",
            json!([grant(bucket("gs", "assets"), None)]),
        ),
        (
            "gsutil iam set policy.json gs://assets",
            json!([grant(bucket("gs", "assets"), None)]),
        ),
        (
            "gsutil acl set private gs://assets/report.pdf",
            json!([grant(bucket("gs", "assets"), None)]),
        ),
        (
            "gsutil acl set public-read gs://assets/report.pdf",
            json!([make_public(bucket("gs", "assets"))]),
        ),
        (
            "gsutil defacl ch -u AllUsers:R gs://assets",
            json!([make_public(bucket("gs", "assets"))]),
        ),
        // Removing everyone's binding opens nothing.
        (
            "gsutil iam ch -d allUsers gs://assets",
            json!([grant(bucket("gs", "assets"), Some("allUsers"))]),
        ),
        (
            "gsutil acl ch -d AllUsers gs://assets",
            json!([grant(bucket("gs", "assets"), Some("AllUsers"))]),
        ),
        (
            "gsutil acl ch -u bob@partner.io:R gs://assets",
            json!([grant(bucket("gs", "assets"), Some("bob@partner.io:R"))]),
        ),
    ];
    for (command, expected) in cases {
        assert_eq!(
            &access_after(&[], command),
            expected,
            "access effects of: {command}"
        );
    }
}

#[test]
fn reads_of_policies_change_nothing() {
    let written = earlier();
    for command in [
        "gsutil iam get gs://assets",
        "gsutil acl get gs://assets/report.pdf",
        "gsutil defacl get gs://assets",
        "gcloud storage buckets get-iam-policy gs://assets --format=json",
        "gcloud projects get-iam-policy acme-prod",
        // The file is only printed.
        "cat policy.json",
    ] {
        let effects = access_after(&written, command);
        assert!(
            effects.as_array().is_none_or(|list| list
                .iter()
                .all(|e| e["effect"] != "grant_access" && e["effect"] != "make_public")),
            "{command}: {effects}"
        );
    }
}

#[test]
fn identity_center_permission_sets_change_access() {
    let ps = "arn:aws:sso:::permissionSet/ssoins-1/ps-1";
    let set = |name: &str| other(&format!("permission set {name}"));
    let cases: Vec<(String, Value)> = vec![
        (
            format!(
                "aws sso-admin attach-managed-policy-to-permission-set --instance-arn arn:aws:sso:::instance/ssoins-1 --permission-set-arn {ps} --managed-policy-arn arn:aws:iam::aws:policy/AdministratorAccess"
            ),
            json!([grant(set(ps), None)]),
        ),
        (
            format!(
                "aws sso-admin attach-customer-managed-policy-reference-to-permission-set --instance-arn arn:i --permission-set-arn {ps} --customer-managed-policy-reference Name=Deploy,Path=/"
            ),
            json!([grant(set(ps), None)]),
        ),
        (
            format!(
                "aws sso-admin put-inline-policy-to-permission-set --instance-arn arn:i --permission-set-arn {ps} --inline-policy '{{\"Statement\":[]}}'"
            ),
            json!([grant(set(ps), None)]),
        ),
        (
            format!(
                "aws sso-admin provision-permission-set --instance-arn arn:i --permission-set-arn {ps} --target-type ALL_PROVISIONED_ACCOUNTS"
            ),
            json!([grant(set(ps), None)]),
        ),
        (
            format!(
                "aws sso-admin create-account-assignment --instance-arn arn:i --target-id 418273650912 --target-type AWS_ACCOUNT --permission-set-arn {ps} --principal-type GROUP --principal-id g-1"
            ),
            json!([grant(other("aws account 418273650912"), Some("g-1"))]),
        ),
        (
            "aws sso-admin create-application-assignment --application-arn arn:app --principal-id u-1 --principal-type USER".to_owned(),
            json!([grant(other("application arn:app"), Some("u-1"))]),
        ),
        (
            "aws identitystore create-group-membership --identity-store-id d-1 --group-id g-1 --member-id UserId=u-1".to_owned(),
            json!([grant(other("identitystore group g-1"), Some("UserId=u-1"))]),
        ),
    ];
    for (command, expected) in &cases {
        assert_eq!(
            &access_after(&[], command),
            expected,
            "access effects of: {command}"
        );
    }
    for command in [
        "aws sso-admin list-permission-sets --instance-arn arn:i",
        "aws sso-admin describe-permission-set --instance-arn arn:i --permission-set-arn arn:ps",
        "aws sso-admin list-account-assignments --instance-arn arn:i --account-id 1 --permission-set-arn arn:ps",
        "aws sso-admin get-inline-policy-for-permission-set --instance-arn arn:i --permission-set-arn arn:ps",
        "aws sso-admin list-managed-policies-in-permission-set --instance-arn arn:i --permission-set-arn arn:ps",
        "aws identitystore list-group-memberships --identity-store-id d-1 --group-id g-1",
        "aws identitystore describe-user --identity-store-id d-1 --user-id u-1",
    ] {
        assert_eq!(access_after(&[], command), json!([]), "{command}");
    }
}
