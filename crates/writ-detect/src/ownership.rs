//! Whose a destination is.

use serde::Serialize;

use crate::destination::{Destination, RepoRef};

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
    pub fn classify(&self, dest: &Destination, makes_public: bool) -> Ownership {
        let _ = (dest, makes_public);
        todo!()
    }

    /// True when `repo` matches an `org_repos` pattern.
    pub fn is_org_repo(&self, repo: &RepoRef) -> bool {
        let _ = repo;
        todo!()
    }
}
