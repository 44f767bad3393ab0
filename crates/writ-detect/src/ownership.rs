//! Whose a destination is.

use serde::Serialize;

use crate::destination::{Destination, RepoRef, domain_matches, normalize_host};

/// Ownership of a destination, strongest claim of the organisation first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ownership {
    Org,
    Partner,
    Public,
    Personal,
    ThirdParty,
}

impl Ownership {
    /// The name used in policy and JSON (`org`, `partner`, `public`, `personal`, `third_party`).
    pub fn as_str(self) -> &'static str {
        match self {
            Ownership::Org => "org",
            Ownership::Partner => "partner",
            Ownership::Public => "public",
            Ownership::Personal => "personal",
            Ownership::ThirdParty => "third_party",
        }
    }
}

/// An organisation's facts about destinations (see the deployment format).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnershipRules {
    /// Domains the organisation owns (`acme.com`): the host or any subdomain.
    pub org_domains: Vec<String>,
    /// Repository patterns `host/owner/name`, where `*` matches one path
    /// segment or the rest of it (`github.com/acme/*`, `git.acme.internal/*`).
    pub org_repos: Vec<String>,
    /// Bucket names the organisation owns.
    pub org_buckets: Vec<String>,
    pub partner_domains: Vec<String>,
    /// Public sharing sites (`pastebin.com`, `gist.github.com`): host or subdomain.
    pub public_sharing: Vec<String>,
    pub personal_email_domains: Vec<String>,
}

impl OwnershipRules {
    /// Classifies `dest`, first match wins:
    /// 1. `org`: host is or is under an `org_domains` entry; its repo matches
    ///    an `org_repos` pattern; its bucket is in `org_buckets`;
    /// 2. `partner`: host is or is under a `partner_domains` entry;
    /// 3. `public`: `makes_public`, or host is or is under a `public_sharing` entry;
    /// 4. `personal`: a repo on a host some `org_repos` pattern uses whose
    ///    owner matches no pattern; an e-mail address at a personal domain;
    /// 5. `third_party`: anything else.
    ///
    /// For an `s3://` / `gs://` destination (whose host is the bucket name,
    /// which anyone can choose) the host is not compared with domains: the
    /// bucket is `org` only when listed in `org_buckets`.
    pub fn classify(&self, dest: &Destination, makes_public: bool) -> Ownership {
        let host = normalize_host(&dest.host);
        let host_is_bucket = dest.bucket.as_ref().is_some_and(|b| b.name == host);
        let host_under = |domains: &[String]| {
            !host_is_bucket && domains.iter().any(|d| domain_matches(&host, d))
        };
        // On a host the deployment's repositories name that is not a code
        // host writ knows (a container registry: `ghcr.io/acme/*`), the
        // path's first segments are a repository too (`ghcr.io/acme/api:1`).
        let path_repo = match &dest.repo {
            Some(_) => None,
            None => self.repository_on_listed_host(dest),
        };
        let repo = dest.repo.as_ref().or(path_repo.as_ref());
        if host_under(&self.org_domains)
            || repo.is_some_and(|r| self.is_org_repo(r))
            || (repo.is_none() && self.is_org_account(dest))
            || dest.bucket.as_ref().is_some_and(|b| {
                self.org_buckets
                    .iter()
                    .any(|o| o.trim().eq_ignore_ascii_case(&b.name))
            })
        {
            return Ownership::Org;
        }
        if host_under(&self.partner_domains) {
            return Ownership::Partner;
        }
        if makes_public || host_under(&self.public_sharing) {
            return Ownership::Public;
        }
        if repo.is_some_and(|r| self.is_personal_repo(r)) {
            return Ownership::Personal;
        }
        if dest.email.is_some()
            && self
                .personal_email_domains
                .iter()
                .any(|d| domain_matches(&host, d))
        {
            return Ownership::Personal;
        }
        Ownership::ThirdParty
    }

    /// True when `repo` matches an `org_repos` pattern.
    ///
    /// Patterns are `host/owner/name` segments compared case-insensitively;
    /// a leading `scheme://`, a trailing `/` and `.git` are ignored. A
    /// segment `*` matches one segment, or as the last pattern segment one or
    /// more; `*` inside a segment (`acme-*`) matches within that segment.
    pub fn is_org_repo(&self, repo: &RepoRef) -> bool {
        let path = repo_segments(repo);
        self.org_repos.iter().any(|p| {
            let pat = pattern_segments(p);
            pattern_matches(&pat, &path)
        })
    }

    /// The repository `host/owner/name` a destination's path names, when
    /// an `org_repos` pattern names that host: an image reference's
    /// `owner/name[:tag|@digest]`, or a registry API path's after `v2/`.
    fn repository_on_listed_host(&self, dest: &Destination) -> Option<RepoRef> {
        let host = normalize_host(&dest.host);
        if crate::destination::is_code_host(&host) {
            return None;
        }
        let listed = self.org_repos.iter().any(|p| {
            pattern_segments(p)
                .first()
                .is_some_and(|first| segment_matches(first, &host))
        });
        if !listed {
            return None;
        }
        let path = dest.path.as_deref()?.trim_start_matches('/');
        let path = path.strip_prefix("v2/").unwrap_or(path);
        let mut segments = path.split('/').filter(|s| !s.is_empty());
        let owner = segments.next()?;
        let name = segments.next()?;
        let name = name.split([':', '@']).next().unwrap_or(name);
        (!owner.contains([':', '@']) && !name.is_empty()).then(|| RepoRef {
            host,
            owner: owner.to_owned(),
            name: name.to_owned(),
        })
    }

    /// True when a code host's URL names an account and no repository
    /// (`https://github.com/acme`, `github.com/orgs/acme`), and an
    /// `org_repos` pattern names that account's repositories
    /// (`github.com/acme/*`): the organisation's own account.
    fn is_org_account(&self, dest: &Destination) -> bool {
        let host = normalize_host(&dest.host);
        if !crate::destination::is_code_host(&host) {
            return false;
        }
        let Some(path) = dest.path.as_deref() else {
            return false;
        };
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let owner = match segments.as_slice() {
            [owner] | ["orgs", owner] => *owner,
            _ => return false,
        };
        self.is_org_repo(&RepoRef {
            host,
            owner: owner.to_owned(),
            name: "*".to_owned(),
        })
    }

    /// True when `repo` is on a host some `org_repos` pattern uses and its
    /// owner matches no pattern's owner (`github.com/someone/x`).
    pub fn is_personal_repo(&self, repo: &RepoRef) -> bool {
        let host = normalize_host(&repo.host);
        let owner: Vec<String> = repo
            .owner
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
        let mut host_used = false;
        for p in &self.org_repos {
            let pat = pattern_segments(p);
            let Some(first) = pat.first() else { continue };
            if !segment_matches(first, &host) {
                continue;
            }
            host_used = true;
            // The pattern's owner part: everything between host and name.
            let rest = &pat[1..];
            let owner_pat: &[String] = match rest.len() {
                0 => return false,
                1 if rest[0] == "*" => return false,
                1 => rest,
                n => &rest[..n - 1],
            };
            if owner_pattern_matches(owner_pat, &owner) {
                return false;
            }
        }
        host_used
    }
}

fn repo_segments(repo: &RepoRef) -> Vec<String> {
    let mut v = vec![normalize_host(&repo.host)];
    v.extend(
        repo.owner
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_ascii_lowercase),
    );
    v.push(repo.name.to_ascii_lowercase());
    v
}

fn pattern_segments(pattern: &str) -> Vec<String> {
    let p = pattern.trim();
    let p = p.split_once("://").map_or(p, |(_, rest)| rest);
    let p = p.trim_end_matches('/');
    let p = p.strip_suffix(".git").unwrap_or(p);
    let mut segs: Vec<String> = p
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if let Some(h) = segs.first_mut() {
        *h = normalize_host(h);
    }
    segs
}

/// `pat` against `path`: `*` segment = one segment, or the rest when last.
fn pattern_matches(pat: &[String], path: &[String]) -> bool {
    match pat.split_first() {
        None => path.is_empty(),
        Some((p, rest)) => {
            if p == "*" && rest.is_empty() {
                return !path.is_empty();
            }
            match path.split_first() {
                Some((s, path_rest)) => segment_matches(p, s) && pattern_matches(rest, path_rest),
                None => false,
            }
        }
    }
}

/// The owner part of a pattern against a repo owner (which may have
/// several segments, e.g. GitLab subgroups): a trailing `*` covers the rest.
fn owner_pattern_matches(pat: &[String], owner: &[String]) -> bool {
    match pat.split_first() {
        None => owner.is_empty(),
        Some((p, rest)) => match owner.split_first() {
            Some((s, owner_rest)) => {
                segment_matches(p, s)
                    && (owner_pattern_matches(rest, owner_rest) || (p == "*" && rest.is_empty()))
            }
            None => false,
        },
    }
}

/// One segment against a pattern segment where `*` matches any run of characters.
fn segment_matches(pat: &str, s: &str) -> bool {
    if !pat.contains('*') {
        return pat == s;
    }
    let parts: Vec<&str> = pat.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !s.starts_with(first) || s.len() < first.len() + last.len() || !s.ends_with(last) {
        return false;
    }
    let mut rest = &s[first.len()..s.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}
