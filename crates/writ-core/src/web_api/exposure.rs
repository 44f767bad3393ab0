//! Storage services' REST requests that make data public, read as their
//! vendors document them: Azure Blob's container access level
//! (`x-ms-blob-public-access: blob|container` on Create Container and Set
//! Container ACL), S3's canned ACLs (`x-amz-acl`), grants to its global
//! groups (`x-amz-grant-*`, an `?acl` document), bucket policies (`?policy`)
//! and public access block (`?publicAccessBlock`), and GCS's XML ACL
//! documents (`<Scope type="AllUsers"/>`); Azure Resource Manager's blob
//! containers (`properties.publicAccess`). Each header, subresource and
//! document belongs to one protocol, so they are read on any host:
//! S3-compatible endpoints (MinIO, R2, Spaces, B2) and Azure's sovereign
//! clouds speak the same API as AWS's and Azure's public hosts. The GCS
//! JSON API's readings (`entity`, `predefinedAcl`, `iam`) are its hosts'
//! ([`super::storage`]).

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use writ_shell::{Effect, Resource};

use super::{field, fields_and_query, is_public_acl};

/// A storage request's parts: its method, path segments, query pairs
/// (`?acl` is `acl` with an empty value), fields (headers, body members,
/// form pairs and the query, [`fields_and_query`]) and texts.
pub(super) struct Parts<'r> {
    method: &'r str,
    segments: &'r [&'r str],
    query: Vec<(String, String)>,
    fields: Vec<(String, String)>,
    texts: &'r [String],
}

impl<'r> Parts<'r> {
    pub(super) fn new(
        method: &'r str,
        segments: &'r [&'r str],
        query: &str,
        texts: &'r [String],
    ) -> Self {
        Self {
            method,
            segments,
            query: fields_and_query(&[], query),
            fields: fields_and_query(texts, query),
            texts,
        }
    }

    pub(super) fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    pub(super) fn texts(&self) -> &[String] {
        self.texts
    }

    /// The query names `key` (`?policy`, `?acl`).
    fn queries(&self, key: &str) -> bool {
        field(&self.query, key).is_some()
    }

    /// The request sets a bucket's policy (`PUT ?policy`): its document
    /// decides who it admits ([`policy_reach`]), not the words in it.
    pub(super) fn puts_policy(&self) -> bool {
        self.method == "PUT" && self.queries("policy")
    }

    /// The request names an Azure Resource Manager blob container
    /// (`.../storageAccounts/A/blobServices/default/containers/C`).
    fn names_managed_container(&self) -> bool {
        self.segments
            .iter()
            .position(|s| s.eq_ignore_ascii_case("blobServices"))
            .is_some_and(|at| {
                self.segments
                    .get(at + 2)
                    .is_some_and(|s| s.eq_ignore_ascii_case("containers"))
            })
    }

    /// The request names S3's public access block: the bucket's
    /// `?publicAccessBlock`, or S3 Control's account-wide
    /// `configuration/publicAccessBlock`.
    fn names_public_access_block(&self) -> bool {
        self.queries("publicAccessBlock")
            || self
                .segments
                .last()
                .is_some_and(|s| s.eq_ignore_ascii_case("publicAccessBlock"))
    }
}

/// Words one of a request's path, query or texts holds when these
/// readings may find something (`?acl`, `x-amz-acl`, `x-goog-acl`,
/// `x-amz-grant-*`, `?policy`, `?restype=container`, `publicAccessBlock`,
/// `blobServices`), ignoring ASCII case.
const SIGNALS: &[&str] = &[
    "acl",
    "x-amz-grant-",
    "policy",
    "restype",
    "publicaccessblock",
    "blobservices",
];

/// True when a request to a host not catalogued as storage, with `path`
/// (query included) and `texts`, may be a storage protocol's: one pass of
/// an Aho-Corasick automaton built once, so that other requests are
/// answered before their texts are parsed.
pub(super) fn may_be_storage(path: &str, texts: &[String]) -> bool {
    static NEEDLES: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(SIGNALS)
            .ok()
    });
    match NEEDLES.as_ref() {
        Some(automaton) => {
            automaton.is_match(path) || texts.iter().any(|text| automaton.is_match(text))
        }
        // Not built (it always is for these needles): read every request.
        None => true,
    }
}

/// What a storage request on any host does to access by the protocol
/// readings above: `resource` made public, or its access changed
/// ([`access_change`]). `None` when it says nothing of access.
pub(super) fn protocol_effect(parts: &Parts<'_>, resource: Resource) -> Option<Effect> {
    if opens_to_everyone(parts) {
        return Some(Effect::MakePublic { resource });
    }
    access_change(parts).map(|grantee| Effect::GrantAccess { resource, grantee })
}

/// The request opens what it names to everyone: a container's anonymous
/// access level, a public canned ACL, a grant to S3's global groups, an
/// ACL document naming everyone, a policy admitting everyone, the public
/// access block lifted.
pub(super) fn opens_to_everyone(parts: &Parts<'_>) -> bool {
    let writes = matches!(parts.method, "PUT" | "POST");
    (writes
        && (public_container(parts)
            || ["x-amz-acl", "x-goog-acl"]
                .iter()
                .any(|key| field(&parts.fields, key).is_some_and(is_public_acl))
            || grant_headers(parts).any(writ_shell::grants_everyone)
            || (parts.method == "PUT" && acl_document_names_everyone(parts))
            || (parts.puts_policy() && policy_reach(parts.texts) == Reach::Everyone)))
        || lifts_public_access_block(parts)
        || public_managed_container(parts)
}

/// Azure Blob's Create Container (`PUT ?restype=container`) and Set
/// Container ACL (`&comp=acl`) with `x-ms-blob-public-access` `blob`
/// (anyone may read its blobs) or `container` (and list them); without
/// the header the container is private.
fn public_container(parts: &Parts<'_>) -> bool {
    parts.method == "PUT"
        && field(&parts.query, "restype").is_some_and(|t| t.eq_ignore_ascii_case("container"))
        && field(&parts.fields, "x-ms-blob-public-access").is_some_and(|level| {
            ["blob", "container"]
                .iter()
                .any(|l| level.eq_ignore_ascii_case(l))
        })
}

/// Azure Resource Manager's Blob Containers Create and Update (`PUT` or
/// `PATCH` of `.../blobServices/default/containers/C`) with
/// `properties.publicAccess` `Blob` or `Container`, the management plane's
/// form of the same access level.
fn public_managed_container(parts: &Parts<'_>) -> bool {
    matches!(parts.method, "PUT" | "PATCH")
        && parts.names_managed_container()
        && field(&parts.fields, "publicAccess").is_some_and(|level| {
            ["blob", "container"]
                .iter()
                .any(|l| level.eq_ignore_ascii_case(l))
        })
}

/// The values of S3's grant headers (`x-amz-grant-read: uri="..."`,
/// `id="..."`, `emailAddress="..."`).
fn grant_headers<'p>(parts: &'p Parts<'_>) -> impl Iterator<Item = &'p str> {
    parts
        .fields
        .iter()
        .filter(|(key, _)| {
            key.get(..12)
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case("x-amz-grant-"))
        })
        .map(|(_, value)| value.as_str())
}

/// An ACL document set with `?acl` (or GCS's `?defaultObjectAcl`) that
/// grants to S3's `AllUsers`/`AuthenticatedUsers` groups or to GCS's
/// `AllUsers`/`AllAuthenticatedUsers` scopes.
fn acl_document_names_everyone(parts: &Parts<'_>) -> bool {
    (parts.queries("acl") || parts.queries("defaultObjectAcl"))
        && parts.texts.iter().any(|text| {
            let compact: String = text
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| if c == '\'' { '"' } else { c })
                .collect();
            writ_shell::grants_everyone(text)
                || compact.contains("type=\"AllUsers\"")
                || compact.contains("type=\"AllAuthenticatedUsers\"")
        })
}

/// S3's public access block removed (`DELETE`), or put back with its
/// public policies allowed (`<BlockPublicPolicy>false</BlockPublicPolicy>`),
/// as `aws s3api delete-public-access-block` and `put-public-access-block`
/// are read.
fn lifts_public_access_block(parts: &Parts<'_>) -> bool {
    if !parts.names_public_access_block() {
        return false;
    }
    match parts.method {
        "DELETE" => true,
        "PUT" => parts.texts.iter().any(|text| {
            let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            compact
                .to_ascii_lowercase()
                .contains("<blockpublicpolicy>false</blockpublicpolicy>")
        }),
        _ => false,
    }
}

/// A change of access that opens nothing to everyone, and whom it names,
/// as `aws s3api put-bucket-policy` and `put-bucket-acl --grant-*` are
/// read: a bucket policy set changes who may do what whomever it names
/// (its accounts and roles, or no one), an `?acl` request's grant headers
/// give access to their grantees. `None` when access is not changed.
fn access_change(parts: &Parts<'_>) -> Option<Option<String>> {
    if parts.puts_policy() {
        return Some(match policy_reach(parts.texts) {
            Reach::Principals(grantee) => Some(grantee),
            _ => None,
        });
    }
    if parts.method != "PUT" || !parts.queries("acl") {
        return None;
    }
    let grants: Vec<&str> = grant_headers(parts).collect();
    (!grants.is_empty()).then(|| Some(grants.join(", ")))
}

/// Who a policy document admits.
#[derive(Debug, PartialEq, Eq)]
enum Reach {
    Everyone,
    Principals(String),
    Nobody,
}

/// Who the policy document among `texts` admits, read as IAM evaluates it
/// (statement by statement: a `Deny` to everyone opens nothing, a
/// condition on the caller's organisation, account or network narrows
/// it) by writ-shell's reader, the one the `aws` CLI's policies go
/// through.
fn policy_reach(texts: &[String]) -> Reach {
    let mut reach = Reach::Nobody;
    for text in texts {
        match writ_shell::policy_reach(text) {
            Some(read) if read.everyone => return Reach::Everyone,
            Some(read) => {
                if let Some(grantee) = read.grantee() {
                    reach = Reach::Principals(grantee);
                }
            }
            None => {}
        }
    }
    reach
}

/// True when a storage request sets access (an ACL, a policy, IAM, the
/// public access block, an Azure container's access level) rather than
/// writing an object or a blob: `after` is what follows the bucket in its
/// path.
pub(super) fn sets_access(parts: &Parts<'_>, after: &[&str]) -> bool {
    ["acl", "policy"]
        .iter()
        .any(|key| field(&parts.fields, key).is_some())
        || after
            .last()
            .is_some_and(|s| matches!(*s, "acl" | "iam" | "defaultObjectAcl"))
        || parts.names_public_access_block()
        || field(&parts.query, "restype").is_some_and(|t| t.eq_ignore_ascii_case("container"))
        || parts.names_managed_container()
}

/// S3's (and GCS's XML API's) configuration subresources: a `DELETE` that
/// names one removes that configuration (`DeleteBucketPolicy`,
/// `DeletePublicAccessBlock`, `DeleteObjectTagging`), or aborts a
/// multipart upload (`uploadId`), and deletes no data.
const SUBRESOURCES: &[&str] = &[
    "acl",
    "analytics",
    "cors",
    "encryption",
    "intelligent-tiering",
    "inventory",
    "lifecycle",
    "metadataTable",
    "metrics",
    "notification",
    "ownershipControls",
    "policy",
    "publicAccessBlock",
    "replication",
    "tagging",
    "uploadId",
    "website",
];

/// True when a `DELETE` removes a bucket's or object's configuration or
/// access rather than its data: an S3 subresource, the public access
/// block, or a GCS JSON API path beyond `b/BUCKET` and `o/OBJECT`
/// (`acl/ENTITY`, `defaultObjectAcl/ENTITY`, `notificationConfigs/ID`).
pub(super) fn deletes_configuration(parts: &Parts<'_>, after: &[&str]) -> bool {
    let json_api = matches!(
        parts.segments,
        ["storage", _, "b", ..] | ["upload" | "batch", "storage", _, "b", ..]
    );
    parts.names_public_access_block()
        || SUBRESOURCES.iter().any(|key| parts.queries(key))
        || (json_api && !matches!(after, [] | ["o", _]))
}
