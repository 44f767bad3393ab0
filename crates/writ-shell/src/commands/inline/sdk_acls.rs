//! S3 canned ACLs as the typed SDKs write them, for [`super::buckets`]:
//! - the constants of Go's (`types.ObjectCannedACLPublicRead`, v1's
//!   `s3.BucketCannedACLPublicReadWrite`), Java's (v2's
//!   `ObjectCannedACL.PUBLIC_READ`, v1's
//!   `CannedAccessControlList.PublicRead`) and .NET's
//!   (`S3CannedACL.PublicRead`) SDKs, wherever they are given;
//! - a public ACL's text handed through a wrapper (Go's `ACL:
//!   aws.String("public-read")`, `types.ObjectCannedACL("public-read")`,
//!   .NET's `new S3CannedACL("public-read")`) or to a builder's setter
//!   (Java v2's `.acl("public-read")`).
//!
//! The bucket such an ACL opens is the one the request names nearest
//! before it (else just after it): a keyed value (`Bucket:
//! aws.String("b")`, `BucketName = "b"`) or a builder's setter
//! (`.bucket("b")`, `.withBucketName("b")`). Without one it is unknown.

use super::storage::{ACL_KEYS, is_ident};
use super::{Literal, value_of};
use crate::commands::cloud::is_public_acl;

/// The SDKs' names of the canned ACLs that open an object or bucket to
/// everyone (or to every AWS account), without their package qualifier.
const PUBLIC_CONSTANTS: &[&str] = &[
    // Go's, v2's `types.` and v1's `s3.`.
    "ObjectCannedACLPublicRead",
    "ObjectCannedACLPublicReadWrite",
    "ObjectCannedACLAuthenticatedRead",
    "BucketCannedACLPublicRead",
    "BucketCannedACLPublicReadWrite",
    "BucketCannedACLAuthenticatedRead",
    // Java's, v2's enums and v1's.
    "ObjectCannedACL.PUBLIC_READ",
    "ObjectCannedACL.PUBLIC_READ_WRITE",
    "ObjectCannedACL.AUTHENTICATED_READ",
    "BucketCannedACL.PUBLIC_READ",
    "BucketCannedACL.PUBLIC_READ_WRITE",
    "BucketCannedACL.AUTHENTICATED_READ",
    "CannedAccessControlList.PublicRead",
    "CannedAccessControlList.PublicReadWrite",
    "CannedAccessControlList.AuthenticatedRead",
    // .NET's.
    "S3CannedACL.PublicRead",
    "S3CannedACL.PublicReadWrite",
    "S3CannedACL.AuthenticatedRead",
];

/// Keys an ACL is given as in a typed request (Go's `ACL:`, .NET's
/// `CannedACL =`), besides the dynamic SDKs' [`ACL_KEYS`].
const TYPED_ACL_KEYS: &[&str] = &["CannedACL", "CannedAcl"];

/// Builder setters that take a canned ACL (Java's `.acl(...)`,
/// `.withCannedAcl(...)`, `.cannedAcl(...)`).
const ACL_SETTERS: &[&str] = &["acl", "withCannedAcl", "cannedAcl", "setCannedAcl"];

/// Keys a typed request names its bucket with (Go's `Bucket:`, .NET's
/// `BucketName =`).
const BUCKET_KEYS: &[&str] = &["Bucket", "BucketName", "bucketName"];

/// Builder setters that name a request's bucket (Java v2's `.bucket("b")`,
/// v1's `.withBucketName("b")`).
const BUCKET_SETTERS: &[&str] = &["bucket", "withBucketName", "bucketName", "setBucketName"];

/// A public canned ACL the code gives: the bucket it opens, when named,
/// and the literals that named them.
pub(super) struct PublicAcl {
    pub(super) bucket: Option<String>,
    pub(super) used: Vec<usize>,
}

/// The public canned ACLs `code` gives as a typed SDK's constant or
/// through a wrapper or setter; literals in `taken` are another reader's.
pub(super) fn public_acls(code: &str, literals: &[Literal], taken: &[usize]) -> Vec<PublicAcl> {
    let mut positions: Vec<(usize, Vec<usize>)> = constants(code, literals)
        .into_iter()
        .map(|at| (at, Vec::new()))
        .collect();
    for (index, literal) in literals.iter().enumerate() {
        let before = code.get(..literal.start).unwrap_or_default();
        if taken.contains(&index) || !is_public_acl(&literal.text) || value_of(before, ACL_KEYS) {
            continue;
        }
        if wrapped_acl(before) || setter_before(before, ACL_SETTERS) {
            positions.push((literal.start, vec![index]));
        }
    }
    positions.sort_by_key(|(at, _)| *at);
    positions
        .into_iter()
        .map(|(at, mut used)| {
            let bucket = bucket_near(code, literals, at).map(|(bucket, index)| {
                used.push(index);
                bucket
            });
            PublicAcl { bucket, used }
        })
        .collect()
}

/// Where the code names a public ACL constant as a whole name outside
/// its string literals.
fn constants(code: &str, literals: &[Literal]) -> Vec<usize> {
    let mut found = Vec::new();
    for constant in PUBLIC_CONSTANTS {
        for (at, _) in code.match_indices(constant) {
            let whole_start = code
                .get(..at)
                .and_then(|head| head.chars().next_back())
                .is_none_or(|c| !is_ident(c));
            let whole_end = code
                .get(at + constant.len()..)
                .and_then(|tail| tail.chars().next())
                .is_none_or(|c| !is_ident(c));
            let quoted = literals.iter().any(|l| l.start < at && at < l.end);
            if whole_start && whole_end && !quoted && !found.contains(&at) {
                found.push(at);
            }
        }
    }
    found
}

/// True when the text before a literal gives it to an ACL key through a
/// wrapper call: `ACL: aws.String(`, `ACL: types.ObjectCannedACL(`,
/// `CannedACL = new S3CannedACL(`.
fn wrapped_acl(before: &str) -> bool {
    let Some(head) = unwrapped(before) else {
        return false;
    };
    value_of(head, ACL_KEYS) || value_of(head, TYPED_ACL_KEYS)
}

/// The text before a wrapper call whose argument follows (`aws.String(`,
/// `new S3CannedACL(`), or `None` when `before` does not end in one.
fn unwrapped(before: &str) -> Option<&str> {
    let open = before.trim_end().strip_suffix('(')?.trim_end();
    let head = open.trim_end_matches(|c: char| is_ident(c) || c == '.');
    if head.len() == open.len() {
        return None;
    }
    let head = head.trim_end();
    Some(head.strip_suffix("new").unwrap_or(head))
}

/// True when `before` ends in a call of one of `setters` as a method
/// (`.acl(`), its argument next.
fn setter_before(before: &str, setters: &[&str]) -> bool {
    let Some(open) = before.trim_end().strip_suffix('(') else {
        return false;
    };
    let open = open.trim_end();
    setters.iter().any(|setter| {
        open.strip_suffix(setter)
            .is_some_and(|head| head.trim_end().ends_with('.'))
    })
}

/// True when the literal after `before` names a request's bucket: a
/// bucket key's value, directly or through a wrapper (`Bucket:
/// aws.String(`), or a bucket setter's argument (`.bucket(`).
fn names_bucket(before: &str) -> bool {
    value_of(before, BUCKET_KEYS)
        || unwrapped(before).is_some_and(|head| value_of(head, BUCKET_KEYS))
        || setter_before(before, BUCKET_SETTERS)
}

/// The bucket named nearest before `at`, else first after it, with its
/// literal's index.
pub(super) fn bucket_near(code: &str, literals: &[Literal], at: usize) -> Option<(String, usize)> {
    let named = |(_, literal): &(usize, &Literal)| {
        let before = code.get(..literal.start).unwrap_or_default();
        names_bucket(before) && !literal.text.is_empty()
    };
    let mut candidates = literals.iter().enumerate();
    let nearest_before = candidates.clone().filter(|(_, l)| l.end <= at).rfind(named);
    nearest_before
        .or_else(|| candidates.find(|entry| entry.1.start > at && named(entry)))
        .map(|(index, literal)| (literal.text.clone(), index))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::inline::literals;

    fn buckets(code: &str) -> Vec<Option<String>> {
        let literals = literals(code);
        public_acls(code, &literals, &[])
            .into_iter()
            .map(|acl| acl.bucket)
            .collect()
    }

    #[test]
    fn typed_constants_open_the_bucket_the_request_names() {
        assert_eq!(
            buckets(
                "client.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: aws.String(\"b\"), \
                 Key: aws.String(\"k\"), ACL: types.ObjectCannedACLPublicRead})"
            ),
            [Some("b".to_owned())]
        );
        assert_eq!(
            buckets(
                "s3.putObjectAcl(PutObjectAclRequest.builder().acl(ObjectCannedACL.PUBLIC_READ)\
                 .bucket(\"b\").key(\"k\").build());"
            ),
            [Some("b".to_owned())]
        );
        assert_eq!(
            buckets(
                "new PutObjectRequest { BucketName = \"b\", CannedACL = S3CannedACL.PublicRead }"
            ),
            [Some("b".to_owned())]
        );
    }

    #[test]
    fn private_acls_and_quoted_names_are_not_public() {
        assert!(buckets("ACL: types.ObjectCannedACLPrivate, Bucket: aws.String(\"b\")").is_empty());
        assert!(buckets("log(\"ObjectCannedACLPublicRead\")").is_empty());
        assert!(buckets("x.acl(\"private\").bucket(\"b\")").is_empty());
    }

    #[test]
    fn wrapped_and_set_texts_are_read() {
        assert_eq!(
            buckets(
                "&s3.PutObjectInput{Bucket: aws.String(\"b\"), ACL: aws.String(\"public-read\")}"
            ),
            [Some("b".to_owned())]
        );
        assert_eq!(
            buckets("PutBucketAclRequest.builder().bucket(\"b\").acl(\"public-read\").build()"),
            [Some("b".to_owned())]
        );
    }
}
