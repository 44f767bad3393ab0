//! Cloud storage SDK calls in inline code that open a bucket or object to
//! everyone or delete them, read as the CLI calls they stand for:
//! - boto3 and the AWS SDK for JavaScript: a public canned ACL or a grant
//!   to S3's `AllUsers` group on any call (`put_object_acl(...,
//!   ACL='public-read')`, `put_bucket_acl`, `create_bucket`, `copy_object`,
//!   the resource API's `Object('b', 'k').Acl().put(ACL=...)`), a bucket
//!   policy whose principal is `*`, a public access block removed: as
//!   `aws s3api put-object-acl --acl public-read` (the bucket made public);
//! - the typed SDKs (Go's, Java's, .NET's): their canned ACL constants
//!   and setters ([`sdk_acls`]), on the bucket the request names;
//! - Azure Blob Storage: a container created or set with a public access
//!   level ([`sdk_azure`]), its URL made public;
//! - Google Cloud Storage: `blob.make_public()`, `bucket.make_public()`,
//!   `acl.all().grant_read()`, an IAM policy for `allUsers` (Node's
//!   `makePublic()`, `iam.setPolicy`);
//! - deletes: boto3's `delete_bucket`, `delete_object`, `delete_objects`
//!   (and the JavaScript SDK's commands and methods), the resource API's
//!   `Bucket('b').objects.all().delete()` (or `.filter(Prefix=...)`, or each
//!   object of such a listing deleted in a loop), `Bucket('b').delete()`,
//!   `Object('b', 'k').delete()`; GCS's `bucket.delete()`,
//!   `blob.delete()`, `delete_blob(s)`, Node's `deleteFiles`: as `aws s3 rm
//!   [--recursive]` and `aws s3 rb`.
//!
//! The bucket and key come from the call's `Bucket`/`Key` arguments or
//! from the chain of calls it is made on (`Bucket('b')`, `bucket('b')`,
//! `blob('k')`), through the names that chain is assigned to (`b =
//! s3.Bucket('x')`, `for o in b.objects.all(): o.delete()`).

use super::bucket_keys::{self, KeyArg};
use super::storage::{
    self, ACL_KEYS, Args, BUCKET_KEYS, KEY_KEYS, arguments, calls, calls_with_args, is_ident,
    literal_at, named_before,
};
use super::{Literal, sdk_acls, sdk_azure, value_of};
use crate::commands::cloud::{grants_everyone, is_public_acl};
use crate::{Effect, Resource, Target};
use std::ops::Range;

/// How many names a chain is followed through.
const MAX_BINDINGS: usize = 4;

/// One link of a call chain: `name`, or `name(...)` with its `(`.
struct Link {
    name: String,
    start: usize,
    open: Option<usize>,
}

/// What a chain of calls reaches.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A bucket (`Bucket('b')`, `bucket('b')`).
    Bucket,
    /// One object (`Object('b', 'k')`, `blob('k')`, `file('k')`).
    Object,
    /// Objects of a listing (`objects.all()`, `list_blobs(prefix=...)`) or
    /// one element of one.
    Objects,
    /// Something else of a bucket or object: its ACL, policy, tags, ...
    Other,
}

/// The storage a chain reaches.
struct Subject {
    /// `s3` or `gs`.
    scheme: &'static str,
    bucket: Option<String>,
    /// The object's key, or a listing's prefix.
    key: Option<String>,
    /// The key is not written out whole (`Object('b', k)`,
    /// `blob(f'r/{n}')`): [`bucket_keys::KeyArg::computed`].
    computed: bool,
    kind: Kind,
    /// The literals that named it.
    used: Vec<usize>,
}

/// Where the literal that ends just before `end` starts.
fn literal_ending_at(literals: &[Literal], end: usize) -> Option<&Literal> {
    let i = literals.partition_point(|l| l.end < end);
    literals.get(i).filter(|l| l.end == end)
}

/// Where the bracket that closes at `close` opens, reading backwards.
pub(super) fn opening(code: &str, literals: &[Literal], close: usize) -> Option<usize> {
    let bytes = code.as_bytes();
    let mut depth = 0usize;
    let mut pos = close + 1;
    while pos > 0 {
        if let Some(literal) = literal_ending_at(literals, pos) {
            pos = literal.start;
            continue;
        }
        pos -= 1;
        match bytes.get(pos) {
            Some(b')' | b']' | b'}') => depth += 1,
            Some(b'(' | b'[' | b'{') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(pos);
                }
            }
            _ => {}
        }
    }
    None
}

/// The chain of names and calls that ends just before `end`
/// (`boto3.resource('s3').Bucket('b').objects.all()`), first link first.
fn chain_before(code: &str, literals: &[Literal], end: usize) -> Vec<Link> {
    let bytes = code.as_bytes();
    let mut links = Vec::new();
    let mut pos = end;
    loop {
        let mut open = None;
        if pos > 0 && bytes.get(pos - 1) == Some(&b')') {
            let Some(at) = opening(code, literals, pos - 1) else {
                break;
            };
            open = Some(at);
            pos = at;
        }
        let head = code.get(..pos).unwrap_or_default();
        let start = head
            .char_indices()
            .rev()
            .find(|(_, c)| !is_ident(*c))
            .map_or(0, |(at, c)| at + c.len_utf8());
        if start == pos {
            break;
        }
        links.push(Link {
            name: head.get(start..).unwrap_or_default().to_owned(),
            start,
            open,
        });
        pos = start;
        match head.get(..pos) {
            Some(rest) if rest.ends_with('.') => pos -= 1,
            Some(rest) if rest.ends_with("?.") => pos -= 2,
            _ => break,
        }
    }
    links.reverse();
    links
}

/// Where the expression that starts at `from` ends: at a `;` or line end
/// outside brackets, or at one of `stops` (a `for` loop's `:`), or where an
/// enclosing bracket closes.
pub(super) fn expression_end(code: &str, literals: &[Literal], from: usize, stops: &[u8]) -> usize {
    let bytes = code.as_bytes();
    let mut depth = 0usize;
    let mut pos = from;
    while let Some(&b) = bytes.get(pos) {
        if let Some((_, literal)) = literal_at(literals, pos) {
            pos = literal.end;
            continue;
        }
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth == 0 => break,
            b')' | b']' | b'}' => depth -= 1,
            b';' | b'\n' if depth == 0 => break,
            _ if depth == 0 && stops.contains(&b) => break,
            _ => {}
        }
        pos += 1;
    }
    let text = code.get(from..pos).unwrap_or_default();
    from + text.trim_end().len()
}

/// What the name `name` is bound to before `before`: where the expression
/// of its last assignment (`name = ...`, `const name = ...`), or of the
/// `for` loop it is the variable of (`for name in ...:`, `for (const name
/// of ...)`), starts and ends.
pub(super) fn binding(
    code: &str,
    literals: &[Literal],
    name: &str,
    before: usize,
) -> Option<Range<usize>> {
    let head = code.get(..before)?;
    head.rmatch_indices(name).find_map(|(at, _)| {
        if literal_at(literals, at).is_some()
            || literals.iter().any(|l| l.start < at && at < l.end)
            || head[..at].chars().next_back().is_some_and(is_ident)
            || head[..at].ends_with('.')
        {
            return None;
        }
        let after = &head[at + name.len()..];
        if after.starts_with(is_ident) {
            return None;
        }
        let rest = after.trim_start();
        let offset = at + name.len() + (after.len() - rest.len());
        if let Some(value) = rest.strip_prefix('=')
            && !value.starts_with(['=', '>'])
        {
            let value_at = offset + 1;
            let trimmed = code.get(value_at..)?;
            let start = value_at + trimmed.len() - trimmed.trim_start().len();
            return Some(start..expression_end(code, literals, start, b","));
        }
        let mut pre = head[..at].trim_end();
        for declaration in ["const", "let", "var", "my"] {
            pre = pre.strip_suffix(declaration).unwrap_or(pre).trim_end();
        }
        pre = pre.strip_suffix('(').unwrap_or(pre).trim_end();
        let is_loop = pre
            .strip_suffix("for")
            .is_some_and(|head| !head.chars().next_back().is_some_and(is_ident));
        let over = rest
            .strip_prefix("in ")
            .or_else(|| rest.strip_prefix("of "));
        if is_loop && let Some(value) = over {
            let value_at = offset + (rest.len() - value.len());
            let start = value_at + value.len() - value.trim_start().len();
            return Some(start..expression_end(code, literals, start, b":"));
        }
        None
    })
}

/// The chain that ends before `end`, its first name followed through what
/// it is bound to. A loop's variable is bound to the listing it goes
/// through: deleting each of its elements deletes the listing.
fn resolved_chain(code: &str, literals: &[Literal], end: usize) -> Vec<Link> {
    let mut links = chain_before(code, literals, end);
    for _ in 0..MAX_BINDINGS {
        let Some(first) = links.first().filter(|l| l.open.is_none()) else {
            break;
        };
        let Some(value) = binding(code, literals, &first.name, first.start) else {
            break;
        };
        let mut bound = chain_before(code, literals, value.end);
        if bound.is_empty() {
            break;
        }
        bound.extend(links.drain(1..));
        links = bound;
    }
    links
}

/// The literal positional arguments of the call whose `(` is at `open`.
fn positional_literals(code: &str, literals: &[Literal], open: usize) -> Vec<(String, usize)> {
    let Some((items, _)) = arguments(code, literals, open) else {
        return Vec::new();
    };
    items
        .iter()
        .filter(|i| i.key.is_none())
        .map_while(|item| {
            let (index, literal) = literal_at(literals, item.start)?;
            (literal.end == item.end && !literal.backtick).then(|| (literal.text.clone(), index))
        })
        .collect()
}

/// The literal value of keyword `keys` in the call whose `(` is at `open`.
fn keyword_literal(
    code: &str,
    literals: &[Literal],
    open: usize,
    keys: &[&str],
) -> Option<(String, usize)> {
    let (items, _) = arguments(code, literals, open)?;
    let item = items
        .iter()
        .find(|i| i.key.as_deref().is_some_and(|k| keys.contains(&k)))?;
    let (index, literal) = literal_at(literals, item.start)?;
    (literal.end == item.end).then(|| (literal.text.clone(), index))
}

/// Names whose call is an S3 object of the resource API.
const S3_OBJECTS: &[&str] = &["Object", "ObjectSummary", "ObjectVersion"];
/// Listings of a bucket's objects.
const LISTINGS: &[&str] = &["objects", "object_versions", "list_blobs"];
/// Calls that keep what a chain reaches (`objects.all()`).
const KEEPS: &[&str] = &["all", "filter", "limit", "page_size", "reload", "load"];

/// The storage that `links` reach, or `None` when no link names any.
fn subject(code: &str, literals: &[Literal], links: &[Link]) -> Option<Subject> {
    let mut found: Option<Subject> = None;
    for link in links {
        let args = || {
            link.open
                .map(|open| positional_literals(code, literals, open))
                .unwrap_or_default()
        };
        let name = link.name.as_str();
        let first = found.is_none();
        match (&mut found, link.open) {
            (_, Some(_)) if name == "Bucket" || (first && name.starts_with("Bucket")) => {
                let args = args();
                let bucket = args.first().cloned();
                let kind = if name == "Bucket" {
                    Kind::Bucket
                } else {
                    Kind::Other
                };
                found = Some(Subject {
                    scheme: "s3",
                    bucket: bucket.as_ref().map(|(b, _)| b.clone()),
                    key: None,
                    computed: false,
                    kind,
                    used: bucket.into_iter().map(|(_, i)| i).collect(),
                });
            }
            (None, Some(open)) if name.starts_with("Object") => {
                let args = args();
                let kind = if S3_OBJECTS.contains(&name) {
                    Kind::Object
                } else {
                    Kind::Other
                };
                let mut found_now = Subject {
                    scheme: "s3",
                    bucket: args.first().map(|(b, _)| b.clone()),
                    key: None,
                    computed: false,
                    kind,
                    used: args.iter().take(1).map(|(_, i)| *i).collect(),
                };
                if !args.is_empty() {
                    found_now.take_key(positional_key(code, literals, open, 1));
                }
                found = Some(found_now);
            }
            (None, Some(_)) if matches!(name, "bucket" | "get_bucket" | "lookup_bucket") => {
                let bucket = args().into_iter().next();
                // Ruby's `Aws::S3::Resource.new.bucket('b')` is S3's.
                let scheme = if code.contains("Aws::S3") { "s3" } else { "gs" };
                found = Some(Subject {
                    scheme,
                    bucket: bucket.as_ref().map(|(b, _)| b.clone()),
                    key: None,
                    computed: false,
                    kind: Kind::Bucket,
                    used: bucket.into_iter().map(|(_, i)| i).collect(),
                });
            }
            (None, _) => {}
            (Some(s), Some(open))
                if s.kind == Kind::Bucket
                    && (S3_OBJECTS.contains(&name)
                        || matches!(name, "blob" | "get_blob" | "file" | "object")) =>
            {
                s.take_key(positional_key(code, literals, open, 0));
                s.kind = Kind::Object;
            }
            (Some(s), open) if s.kind == Kind::Bucket && LISTINGS.contains(&name) => {
                s.kind = Kind::Objects;
                if let Some(open) = open
                    && let Some((prefix, index)) =
                        keyword_literal(code, literals, open, &["prefix", "Prefix"])
                {
                    s.key = Some(prefix);
                    s.used.push(index);
                }
            }
            (Some(s), Some(open)) if s.kind == Kind::Objects && name == "filter" => {
                if let Some((prefix, index)) =
                    keyword_literal(code, literals, open, &["Prefix", "prefix"])
                {
                    s.key = Some(prefix);
                    s.used.push(index);
                }
            }
            (Some(_), Some(_)) if KEEPS.contains(&name) => {}
            (Some(s), _) => s.kind = Kind::Other,
        }
    }
    found
}

impl Subject {
    /// The object's key, given by an argument.
    fn take_key(&mut self, key: Option<KeyArg>) {
        let Some(key) = key else {
            return;
        };
        self.used.extend(key.literal);
        self.computed = key.computed;
        self.key = Some(key.text);
    }
}

/// The key the `n`th positional argument of the call whose `(` is at
/// `open` gives, written out or not.
fn positional_key(code: &str, literals: &[Literal], open: usize, n: usize) -> Option<KeyArg> {
    let (items, _) = arguments(code, literals, open)?;
    let item = items.iter().filter(|i| i.key.is_none()).nth(n)?;
    bucket_keys::key_arg(code, literals, item.start..item.end)
}

/// A bucket resource, by scheme and name (empty when not written out).
fn bucket_resource(scheme: &str, bucket: Option<&str>) -> Resource {
    Resource::Bucket {
        scheme: scheme.to_owned(),
        name: bucket.unwrap_or_default().to_owned(),
    }
}

/// What the calls of the code change.
struct Changes<'a> {
    code: &'a str,
    literals: &'a [Literal],
    /// An S3 endpoint of the code's own (`endpoint_url=...`): objects are
    /// named by their URL there.
    endpoint: Option<String>,
    /// The code's listings of buckets' objects.
    listings: Vec<Listing>,
    effects: Vec<Effect>,
    used: Vec<usize>,
}

/// A listing of a bucket's objects (`list_objects_v2(Bucket='b',
/// Prefix='p')`, `Bucket('b').objects.all()`): the keys a loop over it
/// deletes are all of its objects.
struct Listing {
    /// `None` when not written out: any bucket's.
    bucket: Option<String>,
    /// `None` for the whole bucket.
    prefix: Option<String>,
}

/// Client calls that list a bucket's objects: boto3's and the JavaScript
/// SDK's (its commands, paginators and v2 methods).
const LISTING_CALLS: &[&str] = &[
    "list_objects",
    "list_objects_v2",
    "list_object_versions",
    "ListObjectsCommand",
    "ListObjectsV2Command",
    "ListObjectVersionsCommand",
    "paginateListObjects",
    "paginateListObjectsV2",
    "paginateListObjectVersions",
    "listObjects",
    "listObjectsV2",
    "listObjectVersions",
];
/// Calls on a listing of the resource APIs that keep it one
/// (`objects.all()`, `objects.filter(Prefix='p')`, `list_blobs()`).
const LISTING_METHODS: &[&str] = &[
    "all",
    "filter",
    "page_size",
    "limit",
    "list_blobs",
    "getFiles",
];
/// Keys of a listing's prefix.
const PREFIX_KEYS: &[&str] = &["Prefix", "prefix"];

impl Changes<'_> {
    fn target(&self, scheme: &str, bucket: &str, key: Option<&str>) -> Target {
        let path = match key {
            Some(key) if !key.is_empty() => format!("{bucket}/{key}"),
            _ => bucket.to_owned(),
        };
        let url = match (&self.endpoint, scheme) {
            (Some(endpoint), "s3") => format!("{}/{path}", endpoint.trim_end_matches('/')),
            _ => format!("{scheme}://{path}"),
        };
        Target::Url { url }
    }

    fn delete(&mut self, scheme: &str, bucket: Option<&str>, key: Option<&str>, recursive: bool) {
        let Some(bucket) = bucket else {
            return;
        };
        let target = self.target(scheme, bucket, key);
        let effect = Effect::RemoteDelete { target, recursive };
        if !self.effects.contains(&effect) {
            self.effects.push(effect);
        }
    }

    fn public(&mut self, scheme: &str, bucket: Option<&str>) {
        // A local emulator's bucket (LocalStack, MinIO on this machine).
        if scheme == "s3" && self.endpoint.as_deref().is_some_and(is_local) {
            return;
        }
        let effect = Effect::MakePublic {
            resource: bucket_resource(scheme, bucket),
        };
        if !self.effects.contains(&effect) {
            self.effects.push(effect);
        }
    }

    /// The subject of the chain a call whose name starts at `at` is made
    /// on (`x.delete()`: `x`).
    fn receiver(&self, at: usize) -> Option<Subject> {
        let dot = self.code.get(..at)?.strip_suffix('.')?.len();
        let links = resolved_chain(self.code, self.literals, dot);
        subject(self.code, self.literals, &links)
    }

    /// The bucket a call names: its `Bucket` argument (a shorthand
    /// property's too, `{ Bucket }`), else the bucket of the chain it is
    /// made on, else the last bucket named before it.
    fn bucket_of(&mut self, at: usize, args: &mut Args<'_>) -> (&'static str, Option<String>) {
        if let Some(bucket) = self.bucket_argument(args) {
            return ("s3", Some(bucket));
        }
        if let Some(s) = self.receiver(at) {
            self.used.extend(&s.used);
            return (s.scheme, s.bucket);
        }
        let named = named_before(self.code, self.literals, at, &["Bucket"], 0);
        (
            "s3",
            named.map(|(b, i)| {
                self.used.push(i);
                b
            }),
        )
    }

    /// A call's `Bucket` argument, or shorthand property bound to a literal.
    fn bucket_argument(&mut self, args: &mut Args<'_>) -> Option<String> {
        if let Some(bucket) = args.text(BUCKET_KEYS, None) {
            return Some(bucket);
        }
        let (bucket, index) = bucket_keys::shorthand(self.code, self.literals, args, BUCKET_KEYS)?;
        self.used.push(index);
        Some(bucket)
    }

    /// The listings of buckets' objects the code makes.
    fn find_listings(&mut self) {
        let (code, literals) = (self.code, self.literals);
        // boto3's paginator of a listing (`get_paginator('list_objects_v2')
        // .paginate(Bucket='b')`).
        let paginates = code.contains("list_object").then_some("paginate");
        for name in LISTING_CALLS.iter().copied().chain(paginates) {
            for (_, mut args) in calls_with_args(code, literals, name) {
                let bucket = self.bucket_argument(&mut args);
                let prefix = args
                    .keyed(PREFIX_KEYS)
                    .and_then(|item| bucket_keys::key_arg(code, literals, item.start..item.end));
                self.used.extend(prefix.as_ref().and_then(|p| p.literal));
                self.used.append(&mut args.used);
                self.listings.push(Listing {
                    bucket,
                    prefix: prefix.map(|p| p.text),
                });
            }
        }
        for name in LISTING_METHODS {
            for (_, open) in calls(code, name) {
                let Some(close) = storage::matching(code, literals, open) else {
                    continue;
                };
                let links = resolved_chain(code, literals, close + 1);
                match subject(code, literals, &links) {
                    Some(s) if s.kind == Kind::Objects => {
                        self.used.extend(&s.used);
                        self.listings.push(Listing {
                            bucket: s.bucket,
                            prefix: s.key,
                        });
                    }
                    // GCS's client's `list_blobs('b', prefix='p')`.
                    None if *name == "list_blobs" => {
                        let bucket = positional_literals(code, literals, open).into_iter().next();
                        let prefix = keyword_literal(code, literals, open, PREFIX_KEYS);
                        self.used
                            .extend(bucket.iter().chain(&prefix).map(|(_, i)| *i));
                        self.listings.push(Listing {
                            bucket: bucket.map(|(b, _)| b),
                            prefix: prefix.map(|(p, _)| p),
                        });
                    }
                    _ => {}
                }
            }
        }
    }

    /// The prefix of the code's listing of `bucket` (`Some(None)`: the
    /// whole bucket's), if it lists it.
    fn listed(&self, bucket: Option<&str>) -> Option<Option<String>> {
        let mut found = self
            .listings
            .iter()
            .filter(|l| l.bucket.is_none() || l.bucket.as_deref() == bucket);
        let first = found.next()?;
        if first.prefix.is_none() || found.any(|l| l.prefix.is_none()) {
            return Some(None);
        }
        Some(first.prefix.clone())
    }

    /// Deletes the object of `bucket` whose key the code computes (`key`:
    /// a template's text or `{expression}`): one of a listing's, when the
    /// code lists the bucket (the listing's objects, as `aws s3 rm
    /// --recursive` deletes them), else that one object.
    fn delete_computed(&mut self, scheme: &str, bucket: Option<&str>, key: &str) {
        match self.listed(bucket) {
            Some(prefix) => self.delete(scheme, bucket, prefix.as_deref(), true),
            None => self.delete(scheme, bucket, Some(key), false),
        }
    }

    /// Deletes the objects the key expression at `range` gives: a literal
    /// key, each key of a loop over a list written out, else a computed
    /// key ([`Changes::delete_computed`]). False when it gives none.
    fn delete_keys(&mut self, scheme: &str, bucket: Option<&str>, range: Range<usize>) -> bool {
        let (code, literals) = (self.code, self.literals);
        if let Some(keys) = bucket_keys::loop_keys(code, literals, range.clone()) {
            for (key, index) in keys {
                self.used.push(index);
                self.delete(scheme, bucket, Some(&key), false);
            }
            return true;
        }
        let Some(key) = bucket_keys::key_arg(code, literals, range) else {
            return false;
        };
        self.used.extend(key.literal);
        if key.computed {
            self.delete_computed(scheme, bucket, &key.text);
        } else {
            self.delete(scheme, bucket, Some(&key.text), false);
        }
        true
    }

    /// `.delete()` on a bucket, an object or a listing.
    fn chained_deletes(&mut self) {
        for method in ["delete", "deleteFiles", "delete_blobs", "delete_blob"] {
            for (at, open) in calls(self.code, method) {
                let Some(s) = self.receiver(at) else {
                    continue;
                };
                self.used.extend(&s.used);
                let bucket = s.bucket.as_deref();
                match (method, s.kind) {
                    ("delete", Kind::Bucket) | ("delete_blobs", _) => {
                        self.delete(s.scheme, bucket, None, true);
                    }
                    ("delete", Kind::Object) => match s.key.as_deref() {
                        Some(key) if s.computed => self.delete_computed(s.scheme, bucket, key),
                        key => self.delete(s.scheme, bucket, key, false),
                    },
                    ("delete", Kind::Objects) => {
                        self.delete(s.scheme, bucket, s.key.as_deref(), true);
                    }
                    ("deleteFiles", Kind::Bucket) => {
                        // Node's `bucket.deleteFiles({prefix: 'p'})`.
                        let prefix = keyword_literal(self.code, self.literals, open, &["prefix"]);
                        if let Some((_, index)) = &prefix {
                            self.used.push(*index);
                        }
                        let prefix = prefix.map(|(p, _)| p);
                        self.delete(s.scheme, bucket, prefix.as_deref(), true);
                    }
                    ("delete_blob", Kind::Bucket) => {
                        let key =
                            storage::args_at(self.code, self.literals, open).and_then(|args| {
                                let item = args.items.iter().find(|i| i.key.is_none())?;
                                Some(item.start..item.end)
                            });
                        let deleted =
                            key.is_some_and(|key| self.delete_keys(s.scheme, bucket, key));
                        if !deleted {
                            self.delete(s.scheme, bucket, None, true);
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// The client calls that delete: boto3's and the JavaScript SDK's.
    fn client_deletes(&mut self) {
        const BUCKETS: &[&str] = &["delete_bucket", "DeleteBucketCommand", "deleteBucket"];
        const OBJECTS: &[&str] = &["delete_object", "DeleteObjectCommand", "deleteObject"];
        const MANY: &[&str] = &["delete_objects", "DeleteObjectsCommand", "deleteObjects"];
        let (code, literals) = (self.code, self.literals);
        for name in BUCKETS.iter().chain(OBJECTS).chain(MANY) {
            for (at, mut args) in calls_with_args(code, literals, name) {
                let (scheme, bucket) = self.bucket_of(at, &mut args);
                let bucket = bucket.as_deref();
                if BUCKETS.contains(name) {
                    self.delete(scheme, bucket, None, true);
                } else if OBJECTS.contains(name) {
                    // `Key=...`, or a shorthand property (`{ Bucket, Key }`).
                    let key = args.keyed(KEY_KEYS).or_else(|| {
                        args.items.iter().find(|i| {
                            i.key.is_none()
                                && code
                                    .get(i.start..i.end)
                                    .is_some_and(|t| KEY_KEYS.contains(&t))
                        })
                    });
                    let key = key.map(|i| i.start..i.end);
                    if !key.is_some_and(|key| self.delete_key(scheme, bucket, key)) {
                        self.delete(scheme, bucket, None, true);
                    }
                } else {
                    self.delete_listed_keys(scheme, bucket, &args);
                }
                self.used.append(&mut args.used);
            }
        }
    }

    /// Deletes what the key expression at `range` of a single delete
    /// gives: a shorthand property's literal (`{ Key }` after `const Key =
    /// 'k'`), else [`Changes::delete_keys`].
    fn delete_key(&mut self, scheme: &str, bucket: Option<&str>, range: Range<usize>) -> bool {
        let (code, literals) = (self.code, self.literals);
        let name = code.get(range.clone()).unwrap_or_default();
        if KEY_KEYS.contains(&name)
            && let Some((key, index)) =
                bucket_keys::bound_literal(code, literals, name, range.start)
        {
            self.used.push(index);
            self.delete(scheme, bucket, Some(&key), false);
            return true;
        }
        self.delete_keys(scheme, bucket, range)
    }

    /// What a batch delete (`delete_objects`, `DeleteObjectsCommand`)
    /// deletes: the keys it lists, each; keys a loop over a list written
    /// out gives, each; keys the code computes: a listing's objects when
    /// it lists the bucket ([`Changes::delete_computed`]), else the
    /// objects it names.
    fn delete_listed_keys(&mut self, scheme: &str, bucket: Option<&str>, args: &Args<'_>) {
        let (code, literals) = (self.code, self.literals);
        let (start, end) = span(args);
        let keys: Vec<(String, usize)> = literals
            .iter()
            .enumerate()
            .filter(|(_, l)| l.start >= start && l.end <= end)
            .filter(|(_, l)| value_of(code.get(..l.start).unwrap_or_default(), KEY_KEYS))
            .map(|(i, l)| (l.text.clone(), i))
            .collect();
        for (key, index) in &keys {
            self.used.push(*index);
            self.delete(scheme, bucket, Some(key), false);
        }
        if !keys.is_empty() {
            return;
        }
        let mut deleted = false;
        for value in bucket_keys::key_values(code, literals, start..end) {
            deleted |= self.delete_keys(scheme, bucket, value);
        }
        if deleted {
            return;
        }
        // The objects a name or expression holds (`Delete={'Objects':
        // batch}`).
        let objects = args
            .keyed(&["Objects", "objects"])
            .and_then(|item| bucket_keys::key_arg(code, literals, item.start..item.end));
        let key = objects.map_or_else(|| "{Objects}".to_owned(), |o| o.text);
        self.delete_computed(scheme, bucket, &key);
    }

    /// Public canned ACLs and grants to everyone, on whatever call they
    /// are given to.
    fn public_acls(&mut self, taken: &[usize]) {
        let (code, literals) = (self.code, self.literals);
        for (index, literal) in literals.iter().enumerate() {
            if taken.contains(&index) {
                continue;
            }
            let before = code.get(..literal.start).unwrap_or_default();
            let canned = value_of(before, ACL_KEYS) && is_public_acl(&literal.text);
            // S3's groups, in a grant (`GrantRead='uri=...AllUsers'`) or an
            // `AccessControlPolicy`'s grantee.
            let group = literal
                .text
                .contains("acs.amazonaws.com/groups/global/AllUsers")
                || literal
                    .text
                    .contains("acs.amazonaws.com/groups/global/AuthenticatedUsers");
            if !canned && !group {
                continue;
            }
            self.used.push(index);
            // S3's canned ACLs are hyphenated (`public-read`), GCS's
            // camel-cased (`publicRead`): Ruby's `acl:` is either SDK's.
            let s3_acl = value_of(before, &["ACL"])
                || (exact_key(before, "acl") && literal.text.contains('-'));
            let scheme = if s3_acl || group { "s3" } else { "gs" };
            let bucket = enclosing_call(code, literals, literal.start).and_then(|(at, open)| {
                let mut args = storage::args_at(code, literals, open)?;
                let (found, bucket) = self.bucket_of(at, &mut args);
                self.used.append(&mut args.used);
                bucket.filter(|_| found == scheme)
            });
            // A typed request's bucket (Go's `Bucket: aws.String("b")`).
            let bucket = bucket.or_else(|| {
                let (bucket, index) = sdk_acls::bucket_near(code, literals, literal.start)
                    .filter(|_| scheme == "s3")?;
                self.used.push(index);
                Some(bucket)
            });
            self.public(scheme, bucket.as_deref());
        }
    }

    /// Public canned ACLs as typed SDKs give them (Go's
    /// `types.ObjectCannedACLPublicRead`, Java's `.acl(...)`):
    /// [`sdk_acls`].
    fn typed_acls(&mut self, taken: &[usize]) {
        for acl in sdk_acls::public_acls(self.code, self.literals, taken) {
            self.used.extend(acl.used);
            self.public("s3", acl.bucket.as_deref());
        }
    }

    /// Bucket policies for everyone and public access blocks removed.
    fn public_policies(&mut self) {
        const POLICIES: &[&str] = &[
            "put_bucket_policy",
            "PutBucketPolicyCommand",
            "putBucketPolicy",
        ];
        const UNBLOCKS: &[&str] = &[
            "delete_public_access_block",
            "DeletePublicAccessBlockCommand",
            "deletePublicAccessBlock",
        ];
        const BLOCKS: &[&str] = &[
            "put_public_access_block",
            "PutPublicAccessBlockCommand",
            "putPublicAccessBlock",
        ];
        let (code, literals) = (self.code, self.literals);
        // Quotes and spacing as JSON writes them: `{'Principal': '*'}`.
        let normal: String = code
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c == '\'' { '"' } else { c })
            .collect();
        for name in POLICIES.iter().chain(UNBLOCKS).chain(BLOCKS) {
            for (at, mut args) in calls_with_args(code, literals, name) {
                let public = if POLICIES.contains(name) {
                    grants_everyone(&normal)
                } else if UNBLOCKS.contains(name) {
                    true
                } else {
                    [
                        "\"BlockPublicPolicy\":False",
                        "BlockPublicPolicy:false",
                        "\"BlockPublicPolicy\":false",
                    ]
                    .iter()
                    .any(|m| normal.contains(m))
                };
                if public {
                    let (scheme, bucket) = self.bucket_of(at, &mut args);
                    self.used.append(&mut args.used);
                    self.public(scheme, bucket.as_deref());
                }
            }
        }
        // The resource API's `BucketPolicy('b').put(Policy=...)`.
        for (at, _) in calls(code, "put") {
            if let Some(s) = self.receiver(at)
                && s.scheme == "s3"
                && grants_everyone(&normal)
                && chain_names(code, literals, at)
                    .iter()
                    .any(|n| n == "BucketPolicy" || n == "Policy")
            {
                self.used.extend(&s.used);
                self.public(s.scheme, s.bucket.as_deref());
            }
        }
    }

    /// GCS: `make_public()`, `acl.all().grant_read()`, an IAM policy that
    /// binds `allUsers`.
    fn gcs_public(&mut self) {
        let code = self.code;
        let everyone = self
            .literals
            .iter()
            .any(|l| matches!(l.text.as_str(), "allUsers" | "allAuthenticatedUsers"));
        let mut found = Vec::new();
        for name in ["make_public", "makePublic"] {
            found.extend(calls(code, name).into_iter().map(|(at, _)| at));
        }
        for name in ["grant_read", "grant_write", "grant_owner"] {
            for (at, _) in calls(code, name) {
                let names = chain_names(code, self.literals, at);
                if names.iter().any(|n| n == "all" || n == "all_authenticated") {
                    found.push(at);
                }
            }
        }
        if everyone {
            for name in ["set_iam_policy", "setPolicy"] {
                found.extend(calls(code, name).into_iter().map(|(at, _)| at));
            }
        }
        for at in found {
            match self.receiver(at) {
                Some(s) if s.scheme == "gs" => {
                    self.used.extend(&s.used);
                    self.public("gs", s.bucket.as_deref());
                }
                // The bucket held where this cannot follow it.
                None if code.contains("google.cloud") || code.contains("@google-cloud/storage") => {
                    self.public("gs", None);
                }
                _ => {}
            }
        }
    }
}

/// True when the literal after `before` is the value of the key `key`
/// itself (`acl: "x"`, `acl="x"`), not of a longer name ending in it.
fn exact_key(before: &str, key: &str) -> bool {
    let before = before.trim_end();
    [":", "=", "=>"].iter().any(|sep| {
        before
            .strip_suffix(sep)
            .map(|b| b.trim_end().trim_end_matches(['\'', '"']))
            .and_then(|b| b.strip_suffix(key))
            .is_some_and(|head| !head.chars().next_back().is_some_and(is_ident))
    })
}

/// The bucket of an upload's `s3://B/K` or `gs://B/K` target; `None` for
/// an endpoint's or a blob's URL.
pub(super) fn bucket_of_url(target: &str) -> Option<Resource> {
    let (scheme, rest) = target.split_once("://")?;
    if !matches!(scheme, "s3" | "gs") {
        return None;
    }
    let name = rest.split('/').next().unwrap_or_default();
    Some(bucket_resource(scheme, Some(name)))
}

/// True for a URL on this machine.
fn is_local(url: &str) -> bool {
    let host = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = host.split(['/', '?']).next().unwrap_or_default();
    let host = super::super::sql::strip_port(host);
    host == "localhost" || host.starts_with("127.") || host == "::1" || host == "0.0.0.0"
}

/// The S3 object the call whose name starts at `at` is made on, read from
/// its chain (Ruby's resource API, `Aws::S3::Resource.new.bucket('b')
/// .object('k').upload_file(p)`; boto3's `Bucket('b').Object('k')`): its
/// bucket, its key (empty when not written out) and the literals that
/// name them. `None` when the chain reaches no S3 object whose bucket is
/// written out.
pub(super) fn s3_object_of(
    code: &str,
    literals: &[Literal],
    at: usize,
) -> Option<(String, String, Vec<usize>)> {
    let dot = code.get(..at)?.strip_suffix('.')?.len();
    let links = resolved_chain(code, literals, dot);
    let found = subject(code, literals, &links)?;
    if found.scheme != "s3" || found.kind != Kind::Object {
        return None;
    }
    let key = found.key.filter(|_| !found.computed);
    Some((found.bucket?, key.unwrap_or_default(), found.used))
}

/// The names of the chain a call whose name starts at `at` is made on.
fn chain_names(code: &str, literals: &[Literal], at: usize) -> Vec<String> {
    let Some(dot) = code.get(..at).and_then(|h| h.strip_suffix('.')) else {
        return Vec::new();
    };
    resolved_chain(code, literals, dot.len())
        .into_iter()
        .map(|l| l.name)
        .collect()
}

/// The span of a call's arguments.
fn span(args: &Args<'_>) -> (usize, usize) {
    let start = args.items.iter().map(|i| i.start).min().unwrap_or_default();
    let end = args.items.iter().map(|i| i.end).max().unwrap_or_default();
    (start, end)
}

/// The innermost call whose arguments hold `pos` (through the object and
/// list literals between): where its name starts and its `(`.
fn enclosing_call(code: &str, literals: &[Literal], pos: usize) -> Option<(usize, usize)> {
    let bytes = code.as_bytes();
    let mut depth = 0usize;
    let mut at = pos;
    while at > 0 {
        if let Some(literal) = literal_ending_at(literals, at) {
            at = literal.start;
            continue;
        }
        at -= 1;
        match bytes.get(at) {
            Some(b')' | b']' | b'}') => depth += 1,
            Some(b'[' | b'{') if depth == 0 => {}
            Some(b'(') if depth == 0 => {
                let head = code.get(..at).unwrap_or_default();
                let start = head
                    .char_indices()
                    .rev()
                    .find(|(_, c)| !is_ident(*c))
                    .map_or(0, |(i, c)| i + c.len_utf8());
                if start < at {
                    return Some((start, at));
                }
            }
            Some(b'(' | b'[' | b'{') => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The changes the code makes to buckets and objects, and the literals
/// that name them. `taken`: literals an upload already read.
pub(super) fn changes(
    code: &str,
    literals: &[Literal],
    taken: &[usize],
) -> (Vec<Effect>, Vec<usize>) {
    let endpoint =
        storage::keyword_before(code, literals, code.len(), &["endpoint_url", "endpoint"])
            .filter(|(url, _)| url.starts_with("http"));
    let mut changes = Changes {
        code,
        literals,
        endpoint: endpoint.as_ref().map(|(url, _)| url.clone()),
        listings: Vec::new(),
        effects: Vec::new(),
        used: endpoint.map(|(_, i)| i).into_iter().collect(),
    };
    changes.find_listings();
    changes.chained_deletes();
    changes.client_deletes();
    changes.public_acls(taken);
    changes.typed_acls(taken);
    changes.public_policies();
    changes.gcs_public();
    // Azure containers given a public access level.
    let (containers, containers_used) = sdk_azure::public_containers(code, literals);
    changes.effects.extend(containers);
    changes.used.extend(containers_used);
    if changes.effects.is_empty() {
        return (Vec::new(), Vec::new());
    }
    (changes.effects, changes.used)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::inline::literals;

    fn names(code: &str) -> Vec<String> {
        let literals = literals(code);
        let links = resolved_chain(code, &literals, code.len());
        links.into_iter().map(|l| l.name).collect()
    }

    #[test]
    fn chains_are_read_back_through_their_names() {
        assert_eq!(
            names("boto3.resource('s3').Bucket('b').objects.all()"),
            ["boto3", "resource", "Bucket", "objects", "all"]
        );
        assert_eq!(
            names("b = s3.Bucket('x (y)')\nb.objects"),
            ["s3", "Bucket", "objects"]
        );
        assert_eq!(
            names("for o in s3.Bucket('x').objects.all(): o"),
            ["s3", "Bucket", "objects", "all"]
        );
        assert_eq!(names("x == 1; x"), ["x"]);
    }
}
