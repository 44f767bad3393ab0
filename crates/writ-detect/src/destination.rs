//! Where things go: hosts, URLs, remotes, addresses, repositories, buckets.

use serde::Serialize;

/// A repository on a code host, e.g. `github.com/acme/web`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct RepoRef {
    /// Lower-case host (`github.com`), never an API host.
    pub host: String,
    pub owner: String,
    /// Name without `.git`.
    pub name: String,
}

impl RepoRef {
    /// `host/owner/name`.
    pub fn path(&self) -> String {
        format!("{}/{}/{}", self.host, self.owner, self.name)
    }
}

/// An object-store bucket.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Bucket {
    /// `s3` or `gs`.
    pub scheme: String,
    pub name: String,
}

/// A parsed network destination.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Destination {
    /// Lower-case host without port, trailing dot or IPv6 brackets. For a
    /// bucket, the bucket name; for an e-mail address, its domain.
    pub host: String,
    /// The repository the destination names, if any (git remotes, code-host
    /// web URLs, `api.github.com/repos/OWNER/REPO/...`).
    pub repo: Option<RepoRef>,
    /// The bucket, for `s3://` and `gs://` URIs and
    /// `BUCKET.s3.amazonaws.com` / `storage.googleapis.com/BUCKET` URLs.
    pub bucket: Option<Bucket>,
    /// The whole address, lower-cased, when the destination is an e-mail address.
    pub email: Option<String>,
    /// The URL path (`/api/v1/x`), when there is one.
    pub path: Option<String>,
}

/// Parses a URL (`https://`, `http://`, `ssh://`, `git://`, `s3://`,
/// `gs://`, `ftp://`, ...), an scp-style remote (`user@host:path`,
/// `git@github.com:owner/repo.git`), an rsync daemon target (`host::mod`),
/// or a bare `host[:port][/path]`. `None` when it names no host.
pub fn parse_destination(text: &str) -> Option<Destination> {
    let _ = text;
    todo!()
}

/// Parses one e-mail address, with or without a display name
/// (`Lee <lee@x.io>`). `None` when it is not an address.
pub fn parse_email(text: &str) -> Option<Destination> {
    let _ = text;
    todo!()
}

/// Lower-cases a host and strips a trailing dot and IPv6 brackets.
pub fn normalize_host(host: &str) -> String {
    let _ = host;
    todo!()
}

/// True when `host` equals `domain` or is a subdomain of it (label-wise,
/// case-insensitive: `api.acme.com` matches `acme.com`, `evilacme.com` does not).
pub fn domain_matches(host: &str, domain: &str) -> bool {
    let _ = (host, domain);
    todo!()
}

/// The registrable domain (eTLD+1) of `host` by the public suffix list:
/// `a.b.example.co.uk` is `example.co.uk`. `None` for IP addresses and
/// bare public suffixes.
pub fn registrable_domain(host: &str) -> Option<String> {
    let _ = host;
    todo!()
}
