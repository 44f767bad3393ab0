//! Where things go: hosts, URLs, remotes, addresses, repositories, buckets.

use std::net::IpAddr;

use serde::Serialize;
use url::Url;

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
    /// `s3`, `gs` or `b2` (Backblaze B2).
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
///
/// Details:
/// - surrounding whitespace, quotes and `<...>` are ignored; `mailto:ADDR`
///   is parsed as an e-mail address (see [`parse_email`]);
/// - `path` is `None` when the URL's path is empty or `/`;
/// - `s3://B/...`, `gs://B/...` (and `gcs://`): host is the bucket name;
///   S3/GCS HTTPS URLs keep their real host and carry the bucket;
/// - forms without a scheme and without `user@` (`host:path`, `host/path`,
///   `host:port`) need a plausible host name: an IP address, `localhost`,
///   or a dotted name whose last label is a public-suffix-list TLD or a
///   common private one (`internal`, `local`, `corp`, `lan`, `home`,
///   `intranet`, `localdomain`) — so `notes.txt` is not a host;
/// - a bare `user@host` is an ssh-style login, not an e-mail address (its
///   `email` is `None`); use [`parse_email`] for mail recipients;
/// - repositories are recognised on GitHub (web, `api.github.com/repos/`,
///   `raw.githubusercontent.com`, `codeload.github.com`), GitLab,
///   Bitbucket, Codeberg, hosts whose first label is `git`, `gitlab`,
///   `github`, `gitea`, `forgejo` or `bitbucket`, `git://` URLs, `.git`
///   paths, and ssh/scp remotes to a code host or as user `git`.
pub fn parse_destination(text: &str) -> Option<Destination> {
    if text.bytes().any(|b| b == b'$' || b == b'{') {
        return parse_concrete(&with_placeholders(text));
    }
    parse_concrete(text)
}

/// `text` with each part the shell would still expand (`$h`, `${HOST}`,
/// a command substitution `$(date +%F)`, a brace list `{1..3}` or `{a,b}`
/// of name characters) written as `x`: `deploy@$h.staging.acme.corp` is
/// some host under `staging.acme.corp`, whatever `$h` holds, and
/// `https://$HOST/` an unknown host.
fn with_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['$', '{']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let taken = if let Some(inner) = tail.strip_prefix("${") {
            inner.find('}').map(|end| end + 3)
        } else if tail.starts_with("$(") {
            closing_paren(tail).map(|end| end + 1)
        } else if let Some(inner) = tail.strip_prefix('$') {
            let name = inner
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            (name > 0).then_some(name + 1)
        } else {
            tail.find('}')
                .filter(|end| {
                    tail[1..*end].bytes().all(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b',' | b'.' | b'_' | b'-')
                    })
                })
                .map(|end| end + 1)
        };
        match taken {
            Some(len) => {
                out.push('x');
                rest = &tail[len..];
            }
            None => {
                out.push_str(&tail[..1]);
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where the `(` that `text` opens (after its `$`) is closed, nested
/// parentheses counted.
fn closing_paren(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, b) in text.bytes().enumerate() {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}

fn parse_concrete(text: &str) -> Option<Destination> {
    let text = trim_wrapping(text);
    if text.is_empty() || text.chars().any(char::is_whitespace) {
        return None;
    }
    if let Some(rest) = strip_prefix_ci(text, "mailto:") {
        let addr = rest.split('?').next().unwrap_or(rest);
        return parse_email(addr);
    }
    if let Some(idx) = text.find("://") {
        let scheme = &text[..idx];
        if is_scheme(scheme) {
            return parse_url_form(text, &scheme.to_ascii_lowercase(), &text[idx + 3..]);
        }
        return None;
    }
    if let Some(rest) = text.strip_prefix("//") {
        return parse_bare(rest);
    }
    // rsync daemon: [user@]host::module[/path]
    if let Some(idx) = text.find("::") {
        let before = &text[..idx];
        if !before.is_empty() && !before.contains('/') && !before.contains('[') {
            let (user, host) = split_user(before);
            if host_ok(host, user.is_none()) {
                let module = &text[idx + 2..];
                return Some(Destination {
                    host: normalize_host(host),
                    repo: None,
                    bucket: None,
                    email: None,
                    path: (!module.is_empty()).then(|| format!("/{}", module)),
                });
            }
            return None;
        }
    }
    // scp-style: [user@]host:path (but host:PORT[/path] is a bare host).
    if let Some(idx) = text.find(':') {
        let before = &text[..idx];
        let after = &text[idx + 1..];
        if !before.is_empty() && !before.contains('/') && !before.starts_with('[') {
            let port_like = {
                let p = after.split('/').next().unwrap_or("");
                !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())
            };
            if !port_like {
                let (user, host) = split_user(before);
                if after.starts_with('\\') || !host_ok(host, user.is_none()) {
                    return None;
                }
                return Some(scp_destination(user, host, after));
            }
        }
    }
    parse_bare(text)
}

fn trim_wrapping(text: &str) -> &str {
    let mut t = text.trim();
    loop {
        let before = t;
        for (open, close) in [('"', '"'), ('\'', '\''), ('<', '>'), ('`', '`')] {
            if t.len() >= 2 && t.starts_with(open) && t.ends_with(close) {
                t = t[1..t.len() - 1].trim();
            }
        }
        if t == before {
            return t;
        }
    }
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    if text.len() >= prefix.len()
        && text.is_char_boundary(prefix.len())
        && text[..prefix.len()].eq_ignore_ascii_case(prefix)
    {
        Some(&text[prefix.len()..])
    } else {
        None
    }
}

fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Splits `user@host` into (`Some(user)`, `host`); the last `@` separates.
fn split_user(s: &str) -> (Option<&str>, &str) {
    match s.rfind('@') {
        Some(i) => (Some(&s[..i]), &s[i + 1..]),
        None => (None, s),
    }
}

const PRIVATE_TLDS: [&str; 7] = [
    "internal",
    "local",
    "corp",
    "lan",
    "home",
    "intranet",
    "localdomain",
];

/// True when `host` is syntactically a host name or IP address. With
/// `strict`, a name must also be dotted with a known or private TLD.
fn host_ok(host: &str, strict: bool) -> bool {
    let h = normalize_host(host);
    if h.is_empty() {
        return false;
    }
    if h.parse::<IpAddr>().is_ok() || h == "localhost" {
        return true;
    }
    let labels: Vec<&str> = h.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if !labels.iter().all(label_ok) {
        return false;
    }
    if !strict {
        return true;
    }
    if labels.len() < 2 {
        return false;
    }
    let tld = labels[labels.len() - 1];
    if !(tld.starts_with("xn--")
        || (tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic())))
    {
        return false;
    }
    PRIVATE_TLDS.contains(&tld) || psl::suffix(tld.as_bytes()).is_some_and(|s| s.is_known())
}

fn parse_bare(text: &str) -> Option<Destination> {
    let authority_end = text.find(['/', '?', '#']).unwrap_or(text.len());
    let authority = &text[..authority_end];
    let (user, hostport) = split_user(authority);
    let host = if hostport.starts_with('[') {
        hostport.split(']').next().map(|h| format!("{}]", h))?
    } else {
        hostport.split(':').next().unwrap_or("").to_string()
    };
    if !host.starts_with('[') && !host_ok(&host, user.is_none()) {
        return None;
    }
    let url = Url::parse(&format!("http://{}", text)).ok()?;
    from_url(&url, "http")
}

fn parse_url_form(text: &str, scheme: &str, rest: &str) -> Option<Destination> {
    if matches!(scheme, "s3" | "gs" | "gcs" | "b2") {
        let (name, path) = match rest.find(['/', '?', '#']) {
            Some(i) => (&rest[..i], Some(&rest[i..])),
            None => (rest, None),
        };
        let name = normalize_host(name);
        if name.is_empty() {
            return None;
        }
        let path = path
            .map(|p| p.split(['?', '#']).next().unwrap_or(""))
            .filter(|p| !p.is_empty() && *p != "/")
            .map(str::to_string);
        let scheme = match scheme {
            "gcs" => "gs",
            other => other,
        };
        return Some(Destination {
            host: name.clone(),
            repo: None,
            bucket: Some(Bucket {
                scheme: scheme.to_string(),
                name,
            }),
            email: None,
            path,
        });
    }
    match Url::parse(text) {
        Ok(url) => from_url(&url, scheme),
        Err(_) => {
            // `ssh://git@host:owner/repo.git` mixes URL and scp syntax.
            if scheme.contains("ssh") || scheme.contains("git") {
                let authority_end = rest.find('/').unwrap_or(rest.len());
                let colon = rest[..authority_end].rfind(':')?;
                let (user, host) = split_user(&rest[..colon]);
                if host_ok(host, false) {
                    return Some(scp_destination(user, host, &rest[colon + 1..]));
                }
            }
            None
        }
    }
}

fn scp_destination(user: Option<&str>, host: &str, path: &str) -> Destination {
    let host = normalize_host(host);
    let segs = segments(path);
    let is_git_user = user.is_some_and(|u| u.eq_ignore_ascii_case("git"));
    let repo = repo_for(&host, &segs, true, is_git_user);
    let path = if path.is_empty() {
        None
    } else if path.starts_with('/') {
        Some(path.to_string())
    } else {
        Some(format!("/{}", path))
    };
    Destination {
        host,
        repo,
        bucket: None,
        email: None,
        path,
    }
}

fn segments(path: &str) -> Vec<&str> {
    path.split(['?', '#'])
        .next()
        .unwrap_or("")
        .split('/')
        .filter(|s| !s.is_empty())
        .collect()
}

fn from_url(url: &Url, scheme: &str) -> Option<Destination> {
    let host = normalize_host(url.host_str()?);
    if host.is_empty() {
        return None;
    }
    let raw_path = url.path();
    let segs = segments(raw_path);
    let git_scheme = scheme == "git" || scheme.starts_with("git+") || scheme.ends_with("+git");
    let ssh_scheme = scheme.contains("ssh");
    let is_git_user = url.username().eq_ignore_ascii_case("git");
    let repo = if git_scheme {
        repo_for(&host, &segs, true, true)
    } else {
        repo_for(&host, &segs, ssh_scheme, is_git_user)
    };
    let bucket = if matches!(scheme, "http" | "https") {
        bucket_for(&host, &segs)
    } else {
        None
    };
    let path = (!raw_path.is_empty() && raw_path != "/").then(|| raw_path.to_string());
    Some(Destination {
        host,
        repo,
        bucket,
        email: None,
        path,
    })
}

/// GitHub paths that are not `OWNER/...`.
const GITHUB_RESERVED: [&str; 46] = [
    "about",
    "account",
    "apps",
    "blog",
    "codespaces",
    "collections",
    "contact",
    "customer-stories",
    "dashboard",
    "enterprise",
    "enterprises",
    "events",
    "explore",
    "features",
    "gist",
    "issues",
    "join",
    "login",
    "logout",
    "marketplace",
    "new",
    "notifications",
    "orgs",
    "organizations",
    "password_reset",
    "pricing",
    "pulls",
    "readme",
    "search",
    "security",
    "sessions",
    "settings",
    "site",
    "sponsors",
    "stars",
    "team",
    "topics",
    "trending",
    "users",
    "watching",
    "signup",
    "copilot",
    "github-copilot",
    "resources",
    "solutions",
    "_private",
];

/// Hugging Face paths that are not `OWNER/NAME`.
const HUB_RESERVED: [&str; 14] = [
    "api",
    "docs",
    "blog",
    "settings",
    "join",
    "login",
    "pricing",
    "organizations",
    "collections",
    "papers",
    "tasks",
    "new",
    "learn",
    "posts",
];

const CODE_HOSTS: [&str; 4] = ["github.com", "gitlab.com", "bitbucket.org", "codeberg.org"];
const CODE_HOST_FIRST_LABELS: [&str; 6] =
    ["git", "gitlab", "github", "gitea", "forgejo", "bitbucket"];

/// Whether `host` is a code host whose repositories [`parse_destination`]
/// recognises itself (so a path it did not take for one names none).
pub fn is_code_host(host: &str) -> bool {
    let host = normalize_host(host);
    let first_label = host.split('.').next().unwrap_or_default();
    CODE_HOSTS.contains(&host.as_str()) || CODE_HOST_FIRST_LABELS.contains(&first_label)
}

fn strip_git(name: &str) -> &str {
    name.strip_suffix(".git").unwrap_or(name)
}

fn make_repo(host: &str, owner: &str, name: &str) -> Option<RepoRef> {
    let name = strip_git(name);
    if owner.is_empty() || name.is_empty() || owner.starts_with('.') || name.starts_with('.') {
        return None;
    }
    Some(RepoRef {
        host: host.to_string(),
        owner: owner.to_string(),
        name: name.to_string(),
    })
}

/// Azure DevOps repositories: `dev.azure.com/ORG/PROJECT/_git/REPO`, the
/// older `ORG.visualstudio.com/PROJECT/_git/REPO`, the ssh form
/// `ssh.dev.azure.com:v3/ORG/PROJECT/REPO`, and Azure DevOps Server's
/// `HOST/COLLECTION/PROJECT/_git/REPO`. The owner is the path before the
/// repository (`ORG/PROJECT`); the cloud forms are all `dev.azure.com`.
fn azure_devops_repo(host: &str, segs: &[&str]) -> Option<RepoRef> {
    if matches!(host, "ssh.dev.azure.com" | "vs-ssh.visualstudio.com") {
        return match segs {
            ["v3", org, project, name, ..] => {
                make_repo("dev.azure.com", &format!("{org}/{project}"), name)
            }
            _ => None,
        };
    }
    let at = segs.iter().position(|s| *s == "_git")?;
    let name = segs.get(at + 1)?;
    let owner = segs.get(..at).filter(|o| !o.is_empty())?.join("/");
    match host.strip_suffix(".visualstudio.com") {
        Some(org) => make_repo("dev.azure.com", &format!("{org}/{owner}"), name),
        None => make_repo(host, &owner, name),
    }
}

/// The repository named by `segs` on `host`. `remote` says the destination
/// is a git transport (ssh/scp/git) and `git_user` that it logs in as `git`.
fn repo_for(host: &str, segs: &[&str], remote: bool, git_user: bool) -> Option<RepoRef> {
    let host = host.strip_prefix("www.").unwrap_or(host);
    match host {
        "gist.github.com" | "gist.githubusercontent.com" => return None,
        "api.github.com" | "uploads.github.com" => {
            return match segs {
                ["repos", owner, name, ..] => make_repo("github.com", owner, name),
                // An organisation's own settings, teams and members: every
                // repository of it (`OWNER/*`).
                ["orgs", owner, ..] => make_repo("github.com", owner, NAMESPACE),
                _ => None,
            };
        }
        "api.bitbucket.org" => {
            return match segs {
                ["2.0", "repositories", owner, name, ..] => make_repo("bitbucket.org", owner, name),
                _ => None,
            };
        }
        // The Hugging Face Hub: models at `OWNER/NAME`, datasets and
        // spaces under their kind, the API under `api/KIND/`.
        "huggingface.co" | "hf.co" => {
            return match segs {
                ["api", "models" | "datasets" | "spaces", owner, name, ..]
                | ["datasets" | "spaces" | "models", owner, name, ..] => {
                    make_repo("huggingface.co", owner, name)
                }
                [owner, name, ..] if !HUB_RESERVED.contains(owner) => {
                    make_repo("huggingface.co", owner, name)
                }
                _ => None,
            };
        }
        "raw.githubusercontent.com" | "codeload.github.com" => {
            return match segs {
                [owner, name, ..] => make_repo("github.com", owner, name),
                _ => None,
            };
        }
        _ => {}
    }
    if let Some(repo) = gitlab_api_project(host, segs).or_else(|| github_server_api(host, segs)) {
        return Some(repo);
    }
    if let Some(repo) = azure_devops_repo(host, segs) {
        return Some(repo);
    }
    // Bitbucket Server's API (`/rest/api/1.0/projects/P/repos/R`) and its
    // clone URLs (`/scm/P/R.git`).
    match segs {
        ["rest", "api", "1.0", "projects", project, "repos", name, ..] | ["scm", project, name] => {
            return make_repo(host, project, name);
        }
        _ => {}
    }
    let first_label = host.split('.').next().unwrap_or("");
    let github_like = host == "github.com" || first_label == "github";
    if github_like {
        if let [owner, name, ..] = segs {
            if GITHUB_RESERVED.contains(&owner.to_ascii_lowercase().as_str()) {
                return None;
            }
            return make_repo(host, owner, name);
        }
        return None;
    }
    // `.git` in the path: everything before it is owner/name.
    if let Some(i) = segs.iter().position(|s| s.ends_with(".git") && s.len() > 4) {
        if i >= 1 {
            return make_repo(host, &segs[..i].join("/"), segs[i]);
        }
        return None;
    }
    let code_host = CODE_HOSTS.contains(&host) || CODE_HOST_FIRST_LABELS.contains(&first_label);
    if remote && (code_host || git_user) {
        if segs.len() >= 2 {
            let last = segs.len() - 1;
            return make_repo(host, &segs[..last].join("/"), segs[last]);
        }
        return None;
    }
    if code_host {
        // GitLab-style `group/sub/repo/-/blob/...`.
        if let Some(i) = segs.iter().position(|s| *s == "-") {
            if i >= 2 {
                return make_repo(host, &segs[..i - 1].join("/"), segs[i - 1]);
            }
            return None;
        }
        if let [owner, name, ..] = segs {
            if matches!(
                *owner,
                "users" | "explore" | "dashboard" | "help" | "api" | "admin" | "-" | "login"
            ) {
                return None;
            }
            return make_repo(host, owner, name);
        }
    }
    None
}

/// The project a GitLab REST path names, on any host (self-managed GitLab
/// has no fixed name): `api/v4/projects/GROUP%2FSUB%2FNAME/...` names
/// `HOST/GROUP/SUB/NAME`, and `api/v4/groups/GROUP/...` every project of
/// the group. A numeric id names no path, so `None`.
fn gitlab_api_project(host: &str, segs: &[&str]) -> Option<RepoRef> {
    match segs {
        ["api", "v4", "projects", id, ..] => {
            let path = gitlab_project_path(id)?;
            let (owner, name) = path.rsplit_once('/')?;
            make_repo(host, owner, name)
        }
        // A group (`api/v4/groups/GROUP%2FSUB/...`): every project in it.
        ["api", "v4", "groups", id, ..] if !id.chars().all(|c| c.is_ascii_digit()) => {
            let path = id.replace("%2F", "/").replace("%2f", "/");
            make_repo(host, &path, NAMESPACE)
        }
        _ => None,
    }
}

/// GitHub Enterprise Server's REST API, on the server's own host
/// (`https://HOST/api/v3/repos/OWNER/REPO/...`, `.../api/v3/orgs/OWNER`).
fn github_server_api(host: &str, segs: &[&str]) -> Option<RepoRef> {
    match segs {
        ["api", "v3", "repos", owner, name, ..] => make_repo(host, owner, name),
        ["api", "v3", "orgs", owner, ..] => make_repo(host, owner, NAMESPACE),
        _ => None,
    }
}

/// The name standing for every repository of an owner (`github.com/acme/*`),
/// for API paths that address the owner itself (`orgs/acme/teams`).
pub const NAMESPACE: &str = "*";

/// A GitLab project id as a path (`acme%2Fweb` -> `acme/web`); `None` for
/// a numeric id.
pub fn gitlab_project_path(id: &str) -> Option<String> {
    let decoded = id.replace("%2F", "/").replace("%2f", "/");
    decoded.contains('/').then_some(decoded)
}

/// The bucket an S3 or GCS HTTPS URL names.
fn bucket_for(host: &str, segs: &[&str]) -> Option<Bucket> {
    let mk = |scheme: &str, name: &str| {
        let name = name.to_ascii_lowercase();
        (!name.is_empty()).then(|| Bucket {
            scheme: scheme.to_string(),
            name,
        })
    };
    if host.ends_with(".amazonaws.com") {
        let labels: Vec<&str> = host.split('.').collect();
        let i = labels
            .iter()
            .position(|l| *l == "s3" || l.starts_with("s3-") || l.starts_with("s3."))?;
        if i > 0 {
            return mk("s3", &labels[..i].join("."));
        }
        return segs.first().and_then(|b| mk("s3", b));
    }
    // The JSON API (`storage/v1/b/BUCKET/o`, `upload/storage/v1/b/BUCKET/o`)
    // on either host, else the XML API's path-style `HOST/BUCKET/OBJECT`.
    let json_api = match segs {
        ["storage", _, "b", b, ..] | ["upload" | "batch", "storage", _, "b", b, ..] => Some(*b),
        _ => None,
    };
    match host {
        "storage.googleapis.com" | "storage.cloud.google.com" => {
            json_api.or(segs.first().copied()).and_then(|b| mk("gs", b))
        }
        "www.googleapis.com" => json_api.and_then(|b| mk("gs", b)),
        _ => host
            .strip_suffix(".storage.googleapis.com")
            .and_then(|b| mk("gs", b)),
    }
}

/// Parses one e-mail address, with or without a display name
/// (`Lee <lee@x.io>`). `None` when it is not an address.
///
/// Accepts a `mailto:` prefix. The local part may use the usual unquoted
/// characters (no quoted local parts); the domain must be a dotted host name
/// with an alphabetic (or `xn--`) TLD. The result's `host` is the domain and
/// `email` the whole address, both lower-cased.
pub fn parse_email(text: &str) -> Option<Destination> {
    let mut t = text.trim();
    if let (Some(open), true) = (t.rfind('<'), t.ends_with('>')) {
        t = t[open + 1..t.len() - 1].trim();
    }
    if let Some(rest) = strip_prefix_ci(t, "mailto:") {
        t = rest;
    }
    let (local, domain) = t.split_once('@')?;
    if local.is_empty()
        || local.len() > 64
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
        || !local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~.-".contains(&b))
    {
        return None;
    }
    let domain = normalize_host(domain);
    if domain.len() > 253 || !domain.contains('.') || domain.parse::<IpAddr>().is_ok() {
        return None;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if !labels.iter().all(label_ok) {
        return None;
    }
    let tld = labels[labels.len() - 1];
    if !(tld.starts_with("xn--")
        || (tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic())))
    {
        return None;
    }
    Some(Destination {
        email: Some(format!("{}@{}", local.to_ascii_lowercase(), domain)),
        host: domain,
        repo: None,
        bucket: None,
        path: None,
    })
}

/// Lower-cases a host and strips a trailing dot and IPv6 brackets.
pub fn normalize_host(host: &str) -> String {
    let h = host.trim();
    let h = h
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .unwrap_or(h);
    h.trim_end_matches('.').to_ascii_lowercase()
}

/// True when `host` equals `domain` or is a subdomain of it (label-wise,
/// case-insensitive: `api.acme.com` matches `acme.com`, `evilacme.com` does not).
/// A leading `*.` or `.` on `domain` is ignored; an empty domain matches nothing.
pub fn domain_matches(host: &str, domain: &str) -> bool {
    // Allocation-free: this runs for every destination against every listed domain.
    fn trim(h: &str) -> &str {
        // Nothing below removes an ASCII letter or digit at either end.
        if let (Some(a), Some(z)) = (h.as_bytes().first(), h.as_bytes().last())
            && a.is_ascii_alphanumeric()
            && z.is_ascii_alphanumeric()
        {
            return h;
        }
        let h = h.trim();
        let h = h
            .strip_prefix('[')
            .and_then(|x| x.strip_suffix(']'))
            .unwrap_or(h);
        h.trim_end_matches('.')
    }
    let host = trim(host).as_bytes();
    let domain = trim(domain);
    let domain = domain
        .strip_prefix("*.")
        .or_else(|| domain.strip_prefix('.'))
        .unwrap_or(domain)
        .as_bytes();
    if domain.is_empty() || host.is_empty() || host.len() < domain.len() {
        return false;
    }
    let cut = host.len() - domain.len();
    let tail_matches = host
        .get(cut..)
        .is_some_and(|t| t.eq_ignore_ascii_case(domain));
    tail_matches && (cut == 0 || (cut >= 2 && host.get(cut - 1) == Some(&b'.')))
}

/// The registrable domain (eTLD+1) of `host` by the public suffix list:
/// `a.b.example.co.uk` is `example.co.uk`. `None` for IP addresses and
/// bare public suffixes.
pub fn registrable_domain(host: &str) -> Option<String> {
    let host = normalize_host(host);
    if host.is_empty() || host.parse::<IpAddr>().is_ok() {
        return None;
    }
    psl::domain_str(&host).map(str::to_string)
}
