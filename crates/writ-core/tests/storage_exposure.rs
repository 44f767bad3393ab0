//! Storage services' REST requests that make data public (DOCTRINE,
//! `PUBLIC_EXPOSURE`: "making a resource public"), read from the request's
//! method, URL, headers and body, alike from curl in a shell and through
//! the HTTP gateway: Azure Blob's container access level, S3's canned ACLs,
//! grants, bucket policies and public access block (on AWS's hosts and on
//! S3-compatible ones), and the GCS JSON and XML APIs' ACLs, predefined
//! ACLs and IAM policies. The same requests with private ACLs, grants to
//! named people, or reads of an ACL expose nothing.

#![allow(clippy::panic, clippy::unwrap_used)]

use crate::common;

use common::{curl_and_gateway, shell};
use writ_core::{Engine, Route};

const DEPLOYMENT: &str = r#"{
    "organization": "lumen",
    "workspace": "/home/dana/ws",
    "home": "/home/dana",
    "org_domains": ["lumen.io", "lumenstore.blob.core.windows.net"],
    "org_buckets": ["lumen-assets", "lumen-exports"],
    "approvers": {"security": ["sec@lumen.io"]}
}"#;

fn engine() -> Engine {
    common::engine(DEPLOYMENT)
}

/// A request: method, URL, headers, body.
type Case<'c> = (&'c str, &'c str, &'c [(&'c str, &'c str)], &'c str);

/// Every request in `cases` routes to `route` with exactly `reasons`, from
/// both runtimes; the failures are listed together.
fn check(cases: &[Case<'_>], route: Route, reasons: &[&str]) {
    let engine = engine();
    let wanted = (
        route,
        reasons.iter().map(|r| (*r).to_owned()).collect::<Vec<_>>(),
    );
    let mut wrong = Vec::new();
    for (method, url, headers, body) in cases {
        for event in curl_and_gateway(method, url, headers, body) {
            let decision = common::decide(&engine, &event);
            let got = (decision.route, decision.reasons);
            if got != wanted {
                wrong.push(format!("{:?} {method} {url} {headers:?}: {got:?}", event.0));
            }
        }
    }
    assert!(wrong.is_empty(), "wanted {wanted:?}:\n{}", wrong.join("\n"));
}

const AZURE_ACL: &str =
    "https://lumenstore.blob.core.windows.net/site-media?restype=container&comp=acl";
const AZURE_CREATE: &str = "https://lumenstore.blob.core.windows.net/site-media?restype=container";

const ARM_CONTAINER: &str = "https://management.azure.com/subscriptions/5f1c/resourceGroups/web/providers/Microsoft.Storage/storageAccounts/lumenstore/blobServices/default/containers/site-media?api-version=2023-05-01";

const EVERYONE_READS: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lumen-assets/*"}]}"#;

const TLS_ONLY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::lumen-assets/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}"#;

const ORG_ONLY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lumen-assets/*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}]}"#;

const ALL_USERS_ACL: &str = r#"<AccessControlPolicy><Owner><ID>abc</ID></Owner><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>"#;

const GCS_XML_ALL_USERS: &str = r#"<AccessControlList><Entries><Entry><Scope type="AllUsers"/><Permission>READ</Permission></Entry></Entries></AccessControlList>"#;

const UNBLOCKED: &str = r#"<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>false</BlockPublicPolicy><RestrictPublicBuckets>false</RestrictPublicBuckets></PublicAccessBlockConfiguration>"#;

const BLOCKED: &str = r#"<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>"#;

#[test]
fn azure_containers_opened_to_anonymous_readers() {
    check(
        &[
            (
                "PUT",
                AZURE_ACL,
                &[
                    ("x-ms-version", "2023-11-03"),
                    ("x-ms-blob-public-access", "blob"),
                ],
                "",
            ),
            (
                "PUT",
                AZURE_ACL,
                &[("x-ms-blob-public-access", "container")],
                "",
            ),
            (
                "PUT",
                AZURE_CREATE,
                &[("x-ms-blob-public-access", "container")],
                "",
            ),
            // A signed-identifier body beside the access level.
            (
                "PUT",
                AZURE_ACL,
                &[("x-ms-blob-public-access", "blob")],
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><SignedIdentifiers></SignedIdentifiers>",
            ),
            // Another account's container, and a sovereign cloud's.
            (
                "PUT",
                "https://fileshare77.blob.core.windows.net/drop?restype=container&comp=acl",
                &[("x-ms-blob-public-access", "blob")],
                "",
            ),
            (
                "PUT",
                "https://lumengov.blob.core.usgovcloudapi.net/drop?restype=container",
                &[("X-Ms-Blob-Public-Access", "Container")],
                "",
            ),
            // The management plane's Blob Containers Create and Update.
            (
                "PUT",
                ARM_CONTAINER,
                &[("content-type", "application/json")],
                r#"{"properties": {"publicAccess": "Blob"}}"#,
            ),
            (
                "PATCH",
                ARM_CONTAINER,
                &[],
                r#"{"properties": {"publicAccess": "Container", "metadata": {}}}"#,
            ),
        ],
        Route::Block,
        &["PUBLIC_EXPOSURE"],
    );
}

#[test]
fn s3_acls_grants_policies_and_public_access_blocks() {
    check(
        &[
            // Canned ACLs on a bucket's ACL, an object's, a new bucket.
            (
                "PUT",
                "https://lumen-assets.s3.amazonaws.com/?acl",
                &[("x-amz-acl", "public-read")],
                "",
            ),
            (
                "PUT",
                "https://s3.eu-west-1.amazonaws.com/lumen-assets/img/a.png?acl",
                &[("x-amz-acl", "public-read-write")],
                "",
            ),
            (
                "PUT",
                "https://lumen-assets.s3.us-east-2.amazonaws.com/",
                &[("x-amz-acl", "public-read")],
                "",
            ),
            // Grants to everyone, in a header and in the ACL's body.
            (
                "PUT",
                "https://lumen-assets.s3.amazonaws.com/?acl",
                &[(
                    "x-amz-grant-read",
                    "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"",
                )],
                "",
            ),
            (
                "PUT",
                "https://lumen-assets.s3.amazonaws.com/?acl",
                &[(
                    "x-amz-grant-full-control",
                    "id=\"abc\", uri=\"http://acs.amazonaws.com/groups/global/AuthenticatedUsers\"",
                )],
                "",
            ),
            (
                "PUT",
                "https://lumen-assets.s3.amazonaws.com/?acl",
                &[("content-type", "application/xml")],
                ALL_USERS_ACL,
            ),
            // A policy that lets anyone read.
            (
                "PUT",
                "https://lumen-assets.s3.amazonaws.com/?policy",
                &[("content-type", "application/json")],
                EVERYONE_READS,
            ),
            (
                "PUT",
                "https://s3.amazonaws.com/lumen-assets?policy",
                &[],
                EVERYONE_READS,
            ),
            // The bucket's public access block removed, or its policy block off.
            (
                "DELETE",
                "https://lumen-assets.s3.amazonaws.com/?publicAccessBlock",
                &[],
                "",
            ),
            (
                "PUT",
                "https://lumen-assets.s3.amazonaws.com/?publicAccessBlock",
                &[],
                UNBLOCKED,
            ),
            // S3-compatible endpoints speak the same API.
            (
                "PUT",
                "https://media.nyc3.digitaloceanspaces.com/?acl",
                &[("x-amz-acl", "public-read")],
                "",
            ),
            (
                "PUT",
                "https://minio.lumen.io/reports?policy",
                &[],
                EVERYONE_READS,
            ),
            (
                "PUT",
                "https://lumen.r2.example.net/exports/q3.csv?acl",
                &[(
                    "x-amz-grant-read",
                    "uri=http://acs.amazonaws.com/groups/global/AllUsers",
                )],
                "",
            ),
            (
                "DELETE",
                "https://s3.us-west-004.backblazeb2.com/lumen-exports?publicAccessBlock",
                &[],
                "",
            ),
            // The account's public access block, through S3 Control.
            (
                "DELETE",
                "https://111122223333.s3-control.us-east-1.amazonaws.com/v20180820/configuration/publicAccessBlock",
                &[("x-amz-account-id", "111122223333")],
                "",
            ),
        ],
        Route::Block,
        &["PUBLIC_EXPOSURE"],
    );
}

#[test]
fn gcs_acls_predefined_acls_and_iam_policies() {
    check(
        &[
            (
                "POST",
                "https://storage.googleapis.com/storage/v1/b/lumen-assets/o/img%2Fa.png/acl",
                &[("content-type", "application/json")],
                r#"{"entity": "allUsers", "role": "READER"}"#,
            ),
            (
                "PUT",
                "https://storage.googleapis.com/storage/v1/b/lumen-assets/o/a.png/acl/allUsers",
                &[],
                r#"{"entity": "allUsers", "role": "READER"}"#,
            ),
            (
                "POST",
                "https://www.googleapis.com/storage/v1/b/lumen-assets/defaultObjectAcl",
                &[],
                r#"{"entity": "allAuthenticatedUsers", "role": "READER"}"#,
            ),
            (
                "PATCH",
                "https://storage.googleapis.com/storage/v1/b/lumen-assets/o/a.png",
                &[],
                r#"{"acl": [{"entity": "allUsers", "role": "READER"}]}"#,
            ),
            (
                "PATCH",
                "https://storage.googleapis.com/storage/v1/b/lumen-assets?predefinedDefaultObjectAcl=publicRead",
                &[],
                "{}",
            ),
            (
                "PATCH",
                "https://storage.googleapis.com/storage/v1/b/lumen-assets?predefinedAcl=publicReadWrite",
                &[],
                "{}",
            ),
            (
                "POST",
                "https://storage.googleapis.com/upload/storage/v1/b/lumen-assets/o?uploadType=media&name=a.png&predefinedAcl=publicRead",
                &[("content-type", "image/png")],
                "PNG",
            ),
            (
                "PUT",
                "https://storage.googleapis.com/storage/v1/b/lumen-assets/iam",
                &[],
                r#"{"bindings": [{"role": "roles/storage.objectViewer", "members": ["allUsers"]}]}"#,
            ),
            (
                "PUT",
                "https://www.googleapis.com/storage/v1/b/lumen-assets/iam",
                &[],
                r#"{"bindings": [{"role": "roles/storage.objectViewer", "members": ["group:eng@lumen.io", "allAuthenticatedUsers"]}]}"#,
            ),
            // The XML API: a canned ACL header, an ACL document.
            (
                "PUT",
                "https://storage.googleapis.com/lumen-assets/a.png?acl",
                &[("x-goog-acl", "public-read")],
                "",
            ),
            (
                "PUT",
                "https://lumen-assets.storage.googleapis.com/?acl",
                &[],
                GCS_XML_ALL_USERS,
            ),
        ],
        Route::Block,
        &["PUBLIC_EXPOSURE"],
    );
}

#[test]
fn requests_that_open_nothing() {
    check(
        &[
            // Private canned ACLs.
            (
                "PUT",
                "https://lumen-assets.s3.amazonaws.com/?acl",
                &[("x-amz-acl", "private")],
                "",
            ),
            (
                "PUT",
                "https://lumen-assets.s3.amazonaws.com/a.csv?acl",
                &[("x-amz-acl", "bucket-owner-full-control")],
                "",
            ),
            // No access level: the container stays private.
            (
                "PUT",
                "https://lumenstore.blob.core.windows.net/site-media?restype=container&comp=acl",
                &[("x-ms-version", "2023-11-03")],
                "",
            ),
            ("PUT", AZURE_CREATE, &[("x-ms-blob-public-access", "")], ""),
            // The public access block put back.
            (
                "PUT",
                "https://lumen-assets.s3.amazonaws.com/?publicAccessBlock",
                &[],
                BLOCKED,
            ),
            // The header on a blob's upload, where Azure ignores it.
            (
                "PUT",
                "https://lumenstore.blob.core.windows.net/site-media/a.png",
                &[
                    ("x-ms-blob-type", "BlockBlob"),
                    ("x-ms-blob-public-access", "blob"),
                ],
                "PNG",
            ),
            // Reads of ACLs and policies.
            ("GET", AZURE_ACL, &[], ""),
            ("GET", "https://lumen-assets.s3.amazonaws.com/?acl", &[], ""),
            (
                "GET",
                "https://lumen-assets.s3.amazonaws.com/?policy",
                &[],
                "",
            ),
            (
                "GET",
                "https://storage.googleapis.com/storage/v1/b/lumen-assets/o/a.png/acl",
                &[],
                "",
            ),
        ],
        Route::Allow,
        &[],
    );
}

#[test]
fn grants_to_named_people_are_not_public() {
    check(
        &[(
            "POST",
            "https://storage.googleapis.com/storage/v1/b/lumen-assets/o/a.png/acl",
            &[],
            r#"{"entity": "user-ana@lumen.io", "role": "READER"}"#,
        )],
        Route::Allow,
        &[],
    );
}

#[test]
fn a_private_managed_container_is_only_a_write_to_azure() {
    check(
        &[(
            "PUT",
            ARM_CONTAINER,
            &[],
            r#"{"properties": {"publicAccess": "None"}}"#,
        )],
        Route::RequireApproval,
        &["EXTERNAL_WRITE"],
    );
}

const ONE_ACCOUNT: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lumen-assets/*"}]}"#;

#[test]
fn policies_and_grants_that_open_nothing_change_permissions() {
    check(
        &[
            (
                "PUT",
                "https://lumen-assets.s3.amazonaws.com/?policy",
                &[],
                ONE_ACCOUNT,
            ),
            (
                "PUT",
                "https://minio.lumen.io/reports?policy",
                &[],
                ONE_ACCOUNT,
            ),
            // A policy that opens nothing still changes who may do what:
            // one that only denies, one only the organisation may use.
            (
                "PUT",
                "https://lumen-assets.s3.amazonaws.com/?policy",
                &[],
                TLS_ONLY,
            ),
            (
                "PUT",
                "https://lumen-assets.s3.amazonaws.com/?policy",
                &[],
                ORG_ONLY,
            ),
            (
                "PUT",
                "https://lumen-assets.s3.amazonaws.com/?acl",
                &[("x-amz-grant-read", "emailAddress=\"sam@partner.com\"")],
                "",
            ),
        ],
        Route::RequireApproval,
        &["PERMISSION_CHANGE"],
    );
}

#[test]
fn uploads_that_set_a_public_acl_stay_uploads() {
    // To an S3-compatible endpoint outside the organisation: its content
    // is written there too.
    check(
        &[(
            "PUT",
            "https://media.nyc3.digitaloceanspaces.com/q3.csv",
            &[("x-amz-acl", "public-read")],
            "a,b\n1,2\n",
        )],
        Route::Block,
        &["PUBLIC_EXPOSURE", "EXTERNAL_WRITE"],
    );
    check(
        &[
            (
                "PUT",
                "https://minio.lumen.io/reports/q3.csv",
                &[("x-amz-acl", "public-read")],
                "a,b\n1,2\n",
            ),
            (
                "PUT",
                "https://lumen-assets.s3.amazonaws.com/q3.csv",
                &[("x-amz-acl", "public-read")],
                "a,b\n1,2\n",
            ),
        ],
        Route::Block,
        &["PUBLIC_EXPOSURE"],
    );
}

#[test]
fn deleting_a_configuration_deletes_no_data() {
    check(
        &[
            (
                "DELETE",
                "https://lumen-assets.s3.amazonaws.com/?policy",
                &[],
                "",
            ),
            (
                "DELETE",
                "https://lumen-assets.s3.amazonaws.com/a.csv?tagging",
                &[],
                "",
            ),
            (
                "DELETE",
                "https://lumen-assets.s3.amazonaws.com/a.csv?uploadId=VXBsb2Fk",
                &[],
                "",
            ),
            (
                "DELETE",
                "https://storage.googleapis.com/storage/v1/b/lumen-assets/o/a.png/acl/allUsers",
                &[],
                "",
            ),
        ],
        Route::Allow,
        &[],
    );
    // The bucket itself still is.
    check(
        &[
            ("DELETE", "https://lumen-assets.s3.amazonaws.com/", &[], ""),
            (
                "DELETE",
                "https://storage.googleapis.com/storage/v1/b/lumen-assets",
                &[],
                "",
            ),
        ],
        Route::Block,
        &["DESTROY_PROTECTED"],
    );
}

#[test]
fn the_clis_and_their_rest_requests_route_alike() {
    let engine = engine();
    let pairs = [
        (
            "az storage container set-permission --account-name lumenstore --name site-media --public-access blob",
            curl_and_gateway("PUT", AZURE_ACL, &[("x-ms-blob-public-access", "blob")], ""),
        ),
        (
            "aws s3api delete-public-access-block --bucket lumen-assets",
            curl_and_gateway(
                "DELETE",
                "https://lumen-assets.s3.amazonaws.com/?publicAccessBlock",
                &[],
                "",
            ),
        ),
        (
            &*format!(
                "aws s3api put-bucket-policy --bucket lumen-assets --policy '{EVERYONE_READS}'"
            ),
            curl_and_gateway(
                "PUT",
                "https://lumen-assets.s3.amazonaws.com/?policy",
                &[],
                EVERYONE_READS,
            ),
        ),
        (
            &*format!("aws s3api put-bucket-policy --bucket lumen-assets --policy '{TLS_ONLY}'"),
            curl_and_gateway(
                "PUT",
                "https://lumen-assets.s3.amazonaws.com/?policy",
                &[],
                TLS_ONLY,
            ),
        ),
        (
            &*format!("aws s3api put-bucket-policy --bucket lumen-assets --policy '{ONE_ACCOUNT}'"),
            curl_and_gateway(
                "PUT",
                "https://lumen-assets.s3.amazonaws.com/?policy",
                &[],
                ONE_ACCOUNT,
            ),
        ),
        (
            "aws s3api put-bucket-acl --bucket lumen-assets --acl private",
            curl_and_gateway(
                "PUT",
                "https://lumen-assets.s3.amazonaws.com/?acl",
                &[("x-amz-acl", "private")],
                "",
            ),
        ),
    ];
    for (cli, requests) in pairs {
        let wanted = common::decide(&engine, &shell(cli));
        for event in requests {
            let decision = common::decide(&engine, &event);
            assert_eq!(
                (decision.route, decision.reasons),
                (wanted.route, wanted.reasons.clone()),
                "{cli} and {:?} {}",
                event.0,
                event.1
            );
        }
    }
}
